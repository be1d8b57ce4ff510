//! Hostile files through the readers (issue 9, finding 5): what a broken or
//! malicious file costs. Plain figures, no thresholds (tests check behaviour,
//! this measures):
//!
//! - N mutated inputs (byte flips, inserts, deletions, duplicated runs,
//!   truncations) of a valid members CSV, the same rows as JSON Lines and as
//!   a JSON array, and the built-in vim keymap, each through its reader:
//!   total time, the slowest input, and how many were refused; a panic is
//!   counted (and would be a bug);
//! - a CSV header of 1M unknown columns, a JSON object of 1M unknown keys
//!   (import), the same object checked as a dump line (load);
//! - a keymap of 20,000 bindings (`keymap check`'s work), and with a clash.
//!
//! `cargo bench --bench hostile` (CLUSTERDESK_BENCH_INPUTS=N, default 2000;
//! CLUSTERDESK_BENCH_SAMPLE=FILE for another CSV, else
//! `../shared/data/members-1k.csv` beside the checkout or its parent, else
//! generated rows).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clusterdesk::io::read::{self, InputFormat, ReadOptions, unique_keys};
use clusterdesk::model::{FieldValue, Member, Record};
use clusterdesk::tui::keymap::Keymap;

const NESTED: &[&str] = &["contacts", "status_history"];
const VIM: &str = include_str!("../keymaps/vim.toml");

fn main() {
    let inputs: usize = std::env::var("CLUSTERDESK_BENCH_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let (csv, source) = sample();
    let jsonl = as_jsonl(&csv);
    let array = format!("[\n{}]\n", jsonl.trim_end().replace('\n', ",\n"));
    println!(
        "hostile: {inputs} mutated inputs from {source} ({} KiB CSV, {} KiB JSONL, {} KiB JSON, {} KiB keymap)",
        csv.len() / 1024,
        jsonl.len() / 1024,
        array.len() / 1024,
        VIM.len() / 1024
    );
    mutated(inputs, &csv, &jsonl, &array);

    println!("big inputs (best of 3):");
    let mut header = String::from("code,name,sector");
    let mut row = String::from("LT900001,UAB Platus,ict");
    for i in 0..1_000_000 {
        header.push_str(&format!(",x{i}"));
        row.push(',');
    }
    let wide = format!("{header}\n{row}\n");
    report("CSV header, 1M unknown columns", wide.len(), || {
        let input = read_as("wide.csv", &wide, InputFormat::Csv).map_err(|e| e.to_string())?;
        Ok(format!("{} ignored", input.ignored.len()))
    });
    let mut object = String::from(r#"{"code":"LT900002","name":"UAB Raktai","sector":"ict""#);
    for i in 0..1_000_000 {
        object.push_str(&format!(",\"k{i}\":{i}"));
    }
    object.push_str("}\n");
    report(
        "JSON object, 1M unknown keys (import)",
        object.len(),
        || {
            let input =
                read_as("wide.jsonl", &object, InputFormat::Jsonl).map_err(|e| e.to_string())?;
            Ok(format!("{} ignored", input.ignored.len()))
        },
    );
    report("JSON object, 1M keys (load's check)", object.len(), || {
        unique_keys::check(object.trim_end()).map_err(|e| e.to_string())?;
        Ok("unique".into())
    });
    let twice = object.replacen("}\n", ",\"k999999\":0}", 1);
    report(
        "JSON object, 1M keys, last repeated",
        twice.len(),
        || match read_as("twice.jsonl", &twice, InputFormat::Jsonl) {
            Ok(_) => Err("read".into()),
            Err(e) => Ok(format!("refused: {}", e.reason)),
        },
    );

    let bindings = keymap(20_000);
    report("keymap, 20,000 bindings", bindings.len(), || {
        let keymap = Keymap::from_user_text("big.toml", &bindings).map_err(|e| e.to_string())?;
        Ok(format!(
            "{} bindings, {} warnings",
            keymap.len(),
            keymap.shadowed().len()
        ))
    });
    let clash = bindings.replacen(
        "\n]\n",
        "\n  { on = [\"a\", \"a\"], run = \"move_up\" },\n]\n",
        1,
    );
    report(
        "keymap, 20,000 bindings + a clash",
        clash.len(),
        || match Keymap::from_user_text("big.toml", &clash) {
            Ok(_) => Err("loaded".into()),
            Err(e) => Ok(format!("{} problem(s)", e.problems().len())),
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.toml");
    std::fs::write(&file, &bindings).expect("write");
    report(
        "keymap file, 20,000 bindings (load)",
        bindings.len(),
        || {
            let keymap = Keymap::load(Some(&file)).map_err(|e| e.to_string())?;
            Ok(format!("{} bindings", keymap.len()))
        },
    );
}

/// The sample CSV and where it came from.
fn sample() -> (String, String) {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(f) = std::env::var("CLUSTERDESK_BENCH_SAMPLE") {
        candidates.push(f.into());
    }
    // A checkout at /work/main or a worktree at /work/wt/NAME.
    candidates.push(here.join("../shared/data/members-1k.csv"));
    candidates.push(here.join("../../shared/data/members-1k.csv"));
    for path in candidates {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return (text, path.display().to_string());
        }
    }
    let mut text = String::from("code,name,sector,areas,status,joined,city,email\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "LT{i:06},\"UAB Nr. {i}, Kaunas\",ict,smart-city;iot,active,2015-03-{:02},Kaunas,info{i}@example.lt\n",
            i % 28 + 1
        ));
    }
    (text, "generated rows".into())
}

/// The CSV's rows as JSON Lines, field by field.
fn as_jsonl(csv: &str) -> String {
    let input = read_as("sample.csv", csv, InputFormat::Csv).expect("the sample reads");
    let mut out = String::new();
    for row in input.rows {
        let mut object = serde_json::Map::new();
        for (field, value) in row.fields {
            let value = match value {
                FieldValue::Scalar(s) => serde_json::Value::String(s),
                FieldValue::List(items) => items.into(),
            };
            object.insert(field, value);
        }
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    }
    out
}

fn read_as(name: &str, text: &str, format: InputFormat) -> Result<read::RawInput, read::ReadError> {
    let opts = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    read::read(name, text.as_bytes(), &opts, Member::fields(), NESTED)
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Csv,
    Jsonl,
    Json,
    Keymap,
}

/// N mutated inputs, round robin over the four kinds.
fn mutated(n: usize, csv: &str, jsonl: &str, array: &str) {
    let mut rng = fastrand::Rng::with_seed(9);
    let kinds = [
        (Kind::Csv, csv.as_bytes()),
        (Kind::Jsonl, jsonl.as_bytes()),
        (Kind::Json, array.as_bytes()),
        (Kind::Keymap, VIM.as_bytes()),
    ];
    let mut total = Duration::ZERO;
    let mut slowest = (Duration::ZERO, String::new());
    let (mut refused, mut panics) = (0usize, 0usize);
    for i in 0..n {
        let (kind, base) = kinds[i % kinds.len()];
        let (bytes, how) = mutate(&mut rng, base);
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| run(kind, &bytes)));
        let took = started.elapsed();
        total += took;
        match outcome {
            Ok(true) => {}
            Ok(false) => refused += 1,
            Err(_) => panics += 1,
        }
        if took > slowest.0 {
            slowest = (took, format!("{kind:?}, {how}, {} bytes", bytes.len()));
        }
    }
    println!(
        "  mutated: {n} inputs in {:.3} s ({:.1} us each), {refused} refused, {panics} panics",
        total.as_secs_f64(),
        total.as_secs_f64() * 1e6 / n.max(1) as f64
    );
    println!(
        "  slowest: {:.3} ms ({})",
        slowest.0.as_secs_f64() * 1e3,
        slowest.1
    );
}

/// Whether the reader took the input.
fn run(kind: Kind, bytes: &[u8]) -> bool {
    let format = match kind {
        Kind::Csv => InputFormat::Csv,
        Kind::Jsonl => InputFormat::Jsonl,
        Kind::Json => InputFormat::Json,
        Kind::Keymap => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return false;
            };
            return Keymap::from_user_text("k.toml", text).is_ok();
        }
    };
    let opts = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    let mut rows = 0usize;
    let read = read::read_each("m", bytes, &opts, Member::fields(), NESTED, &mut |_| {
        rows += 1
    });
    read.is_ok()
}

/// One to eight mutations of `base`, and what they were.
fn mutate(rng: &mut fastrand::Rng, base: &[u8]) -> (Vec<u8>, String) {
    const SPICE: &[u8] = b"\"',;\t\r\n{}[]:\\\x00\x1b\xff\xc3\xa9";
    let mut bytes = base.to_vec();
    let mut how = Vec::new();
    for _ in 0..rng.usize(1..=8) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.usize(..bytes.len());
        match rng.u8(0..6) {
            0 => {
                bytes[at] ^= 1 << rng.u8(0..8);
                how.push("flip");
            }
            1 => {
                let b = SPICE[rng.usize(..SPICE.len())];
                bytes.insert(at, b);
                how.push("insert");
            }
            2 => {
                let end = (at + rng.usize(1..64)).min(bytes.len());
                bytes.drain(at..end);
                how.push("delete");
            }
            3 => {
                // A run repeated many times: long cells, keys, lines.
                let end = (at + rng.usize(1..32)).min(bytes.len());
                let run = bytes[at..end].to_vec();
                let times = rng.usize(1..2000);
                let tail = bytes.split_off(end);
                for _ in 0..times {
                    bytes.extend_from_slice(&run);
                }
                bytes.extend(tail);
                how.push("repeat");
            }
            4 => {
                bytes.truncate(at);
                how.push("truncate");
            }
            _ => {
                bytes[at] = SPICE[rng.usize(..SPICE.len())];
                how.push("replace");
            }
        }
    }
    (bytes, how.join("+"))
}

/// `n` distinct four-letter sequences in [normal].
fn keymap(n: usize) -> String {
    let letters: Vec<char> = ('a'..='z').collect();
    let mut out = String::from("[normal]\nprepend_keymap = [\n");
    for i in 0..n {
        let keys: Vec<String> = (0..4)
            .map(|d| format!("\"{}\"", letters[i / 26usize.pow(d) % 26]))
            .collect();
        out.push_str(&format!(
            "  {{ on = [{}], run = \"move_down\" }},\n",
            keys.join(", ")
        ));
    }
    out.push_str("]\n");
    out
}

/// Runs `f` three times and prints the best time and what it said.
fn report(what: &str, size: usize, f: impl Fn() -> Result<String, String>) {
    let mut best = Duration::MAX;
    let mut said = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        let outcome = f();
        best = best.min(started.elapsed());
        said = outcome.unwrap_or_else(|e| format!("FAILED: {e}"));
    }
    println!(
        "  {what}: {:.3} s ({:.1} MiB; {said})",
        best.as_secs_f64(),
        size as f64 / 1048576.0
    );
}
