//! `clusterdesk import members` against `sqlite3 .import` of the same CSV into
//! a table with a primary key, taking turns in the same run (DESIGN.md's
//! import budget: <= 2.0x sqlite3's time, <= 128 MiB peak).
//!
//! `cargo bench --bench import` (CLUSTERDESK_BENCH_MEMBERS=N for another
//! size, CLUSTERDESK_BENCH_ROUNDS=R for more turns). The CSV is made from
//! the shared sample's rows (`../shared/data/members-1k.csv`) with unique
//! codes in random order, names, dates and addresses varied; without the
//! sample, from the bench generator.
//!
//! Each command runs under this binary re-run as a small parent
//! (`--measure`), which waits for it and reports its own children's peak
//! resident memory: the figure belongs to that one command alone.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SCHEMA: &str = "CREATE TABLE members(code TEXT PRIMARY KEY, name TEXT, sector TEXT, \
    areas TEXT, status TEXT, joined TEXT, city TEXT, country TEXT, website TEXT, email TEXT, \
    phone TEXT, contact_name TEXT, contact_email TEXT, notes TEXT);";

const COLUMNS: [&str; 14] = [
    "code",
    "name",
    "sector",
    "areas",
    "status",
    "joined",
    "city",
    "country",
    "website",
    "email",
    "phone",
    "contact_name",
    "contact_email",
    "notes",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--measure") {
        measure(&args[2..]);
        return;
    }
    let members = common::members();
    let rounds: usize = std::env::var("CLUSTERDESK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("members.csv");
    let source = generate(&csv, members);
    let size = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    println!(
        "import: {members} members, {:.1} MiB of CSV ({source})",
        size as f64 / 1048576.0
    );
    let have_sqlite = Command::new("sqlite3").arg("-version").output().is_ok();
    if !have_sqlite {
        println!("  sqlite3 is not installed: only clusterdesk is measured");
    }

    let mut sqlite = Vec::new();
    let mut ours = Vec::new();
    for round in 1..=rounds {
        if have_sqlite {
            let db = dir.path().join("members.db");
            let _ = std::fs::remove_file(&db);
            let status = Command::new("sqlite3")
                .arg(&db)
                .arg(SCHEMA)
                .status()
                .expect("sqlite3 runs");
            assert!(status.success(), "the schema is created");
            let import = format!(".import --csv --skip 1 {} members", csv.display());
            let m = run_measured(&["sqlite3", db.to_str().expect("UTF-8"), &import]);
            println!(
                "  round {round}: sqlite3 .import      {:6.2} s  peak {:6.1} MiB",
                m.0.as_secs_f64(),
                m.1
            );
            sqlite.push(m);
        }
        let store = dir.path().join("store");
        let _ = std::fs::remove_dir_all(&store);
        // --embedded: the store is written in the measured process, as
        // sqlite3 writes its file; through a server the work moves to the
        // server process and this figure would hide it.
        let m = run_measured(&[
            env!("CARGO_BIN_EXE_clusterdesk"),
            "--embedded",
            "--store",
            store.to_str().expect("UTF-8"),
            "import",
            "members",
            csv.to_str().expect("UTF-8"),
        ]);
        println!(
            "  round {round}: clusterdesk import   {:6.2} s  peak {:6.1} MiB",
            m.0.as_secs_f64(),
            m.1
        );
        ours.push(m);
    }
    let median = |v: &[(Duration, f64)]| -> (f64, f64) {
        let mut t: Vec<f64> = v.iter().map(|m| m.0.as_secs_f64()).collect();
        let mut p: Vec<f64> = v.iter().map(|m| m.1).collect();
        t.sort_by(f64::total_cmp);
        p.sort_by(f64::total_cmp);
        (t[t.len() / 2], p[p.len() / 2])
    };
    let (our_t, our_p) = median(&ours);
    println!(
        "  median clusterdesk: {our_t:.2} s, peak {our_p:.1} MiB (must <= 128 MiB, aim <= 64)"
    );
    if !sqlite.is_empty() {
        let (sq_t, sq_p) = median(&sqlite);
        println!(
            "  median sqlite3:     {sq_t:.2} s, peak {sq_p:.1} MiB\n  ratio: {:.1}x sqlite3's time (must <= 2.0x, aim <= 1.0x)",
            our_t / sq_t
        );
    }
}

/// Runs `cmd` under a `--measure` parent; its wall time and peak memory.
fn run_measured(cmd: &[&str]) -> (Duration, f64) {
    let out = Command::new(std::env::current_exe().expect("this bench's path"))
        .arg("--measure")
        .args(cmd)
        .output()
        .expect("the measuring parent runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("measured "))
        .unwrap_or_else(|| {
            panic!(
                "no measurement from {cmd:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let mut parts = line.split(' ');
    let secs: f64 = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
    let kib: f64 = parts.next().and_then(|s| s.parse().ok()).expect("KiB");
    (Duration::from_secs_f64(secs), kib / 1024.0)
}

/// The `--measure` parent: runs the command (its output discarded), fails
/// loudly if it fails, and prints `measured SECONDS PEAK_KIB`.
fn measure(cmd: &[String]) {
    let started = Instant::now();
    let out = Command::new(&cmd[0])
        .args(&cmd[1..])
        .output()
        .expect("the measured command starts");
    let elapsed = started.elapsed();
    if !out.status.success() {
        eprintln!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        std::process::exit(1);
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // Linux reports ru_maxrss in KiB.
    println!("measured {} {}", elapsed.as_secs_f64(), usage.max_rss());
}

/// Writes `n` members as CSV; says where they came from.
fn generate(path: &Path, n: usize) -> &'static str {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/members-1k.csv");
    let mut rng = fastrand::Rng::with_seed(7);
    let mut out = csv::Writer::from_path(path).expect("the CSV is created");
    out.write_record(COLUMNS).expect("header");
    // Unique codes in random order, as an accounting export would have them.
    let mut numbers: Vec<u32> = (0..n as u32).map(|i| 100_000_000 + i * 7).collect();
    rng.shuffle(&mut numbers);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&sample)
        .map(|mut r| r.records().filter_map(Result::ok).collect())
        .unwrap_or_default();
    if rows.is_empty() {
        for (i, number) in numbers.iter().enumerate() {
            let m = common::member(&mut rng, i);
            let mut row: Vec<String> = COLUMNS
                .iter()
                .map(|c| {
                    clusterdesk::model::Record::get(&m, c)
                        .map(|v| v.to_text())
                        .unwrap_or_default()
                })
                .collect();
            row[0] = format!("LT{number}");
            out.write_record(&row).expect("row");
        }
        out.flush().expect("flush");
        return "the bench generator";
    }
    for (i, number) in numbers.iter().enumerate() {
        let template = &rows[rng.usize(..rows.len())];
        let mut row: Vec<String> = template.iter().map(str::to_string).collect();
        let slug = format!("m{i}");
        row[0] = format!("{}{number}", row[7]);
        let prefix = rows[rng.usize(..rows.len())]
            .get(1)
            .and_then(|name| name.split_whitespace().next())
            .unwrap_or("UAB")
            .trim_matches(',')
            .to_string();
        row[1] = format!("{prefix} {} {i}", row[1])
            .chars()
            .take(120)
            .collect();
        row[5] = format!(
            "{}-{:02}-{:02}",
            rng.u16(1995..2026),
            rng.u8(1..13),
            rng.u8(1..29)
        );
        row[8] = format!("https://www.{slug}.example");
        row[9] = format!("info@{slug}.example");
        if let Some((user, _)) = row[12].split_once('@') {
            row[12] = format!("{user}@{slug}.example");
        }
        out.write_record(&row).expect("row");
    }
    out.flush().expect("flush");
    "rows of the shared sample"
}
