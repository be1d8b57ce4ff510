//! The server in the path (issue 5): a one-shot `clusterdesk show` against
//! a running server, and 4 clients each making 1,000 `set`-like changes
//! (read, change a field, save if unchanged) at once: operations per second
//! and p99 latency, against the same operations on the embedded store in
//! one process (4 threads).
//!
//! `cargo bench --bench sharing` (CLUSTERDESK_BENCH_MEMBERS=N for another
//! store size; default 100,000).

mod common;
#[path = "../tests/suite/fixtures/server.rs"]
mod server;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clusterdesk::model::{Member, Record};
use clusterdesk::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_clusterdesk");
const CLIENTS: usize = 4;
const OPS: usize = 1_000;

fn start_server(store: &Path) -> Child {
    server::start(BIN, store, None)
}

fn stop(mut server: Child) {
    // SIGTERM: the server flushes and lets go of the store.
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    let _ = server.wait();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One client's 1,000 changes, each timed.
fn work(s: &Store, client: usize, members: usize, round: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(OPS);
    for i in 0..OPS {
        let n = (client * OPS + i) % members;
        let code = format!("LT{:09}", 300_000_000 + n);
        let t = Instant::now();
        let base: Member = s.require(&code).expect("the member exists");
        let mut changed = base.clone();
        changed
            // Each round writes new values: an unchanged save writes nothing.
            .set_text("phone", &format!("+370 6{round}{client} {i:05}"))
            .expect("phone");
        s.put_if(changed, &base).expect("saved");
        latencies.push(t.elapsed());
    }
    latencies
}

/// 4 clients at once: each its own connection (`shared` None), or all on
/// one embedded store. Wall time and every latency, sorted.
fn storm(
    store: &Path,
    shared: Option<&Store>,
    members: usize,
    round: usize,
) -> (Duration, Vec<Duration>) {
    let started = Instant::now();
    let mut all: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|c| {
                scope.spawn(move || match shared {
                    Some(s) => work(s, c, members, round),
                    None => work(&Store::open(store).expect("connects"), c, members, round),
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    let wall = started.elapsed();
    all.sort();
    (wall, all)
}

fn report(label: &str, wall: Duration, latencies: &[Duration]) {
    println!(
        "  {label:<28} {:7.0} ops/s   p50 {:6.2} ms   p99 {:6.2} ms   ({} ops in {:.2} s)",
        latencies.len() as f64 / wall.as_secs_f64(),
        ms(percentile(latencies, 0.5)),
        ms(percentile(latencies, 0.99)),
        latencies.len(),
        wall.as_secs_f64()
    );
}

fn main() {
    let members = common::members();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    {
        let local = Store::open_local(&store).expect("store");
        let mut rng = fastrand::Rng::with_seed(7);
        common::fill(&local, &mut rng, members);
    }
    println!("sharing: {members} members, {CLIENTS} clients x {OPS} changes");

    // One-shot commands against a running server.
    let server = start_server(&store);
    let mut shows = Vec::new();
    for i in 0..50 {
        let code = format!("LT{:09}", 300_000_000 + (i * 977) % members);
        let t = Instant::now();
        let out = Command::new(BIN)
            .arg("--store")
            .arg(&store)
            .args(["show", "members", &code])
            .stdout(Stdio::null())
            .output()
            .expect("show runs");
        shows.push(t.elapsed());
        assert!(out.status.success(), "{out:?}");
    }
    shows.sort();
    println!(
        "  one-shot `show` via server: median {:.1} ms, p95 {:.1} ms (50 runs, process start included)",
        ms(percentile(&shows, 0.5)),
        ms(percentile(&shows, 0.95))
    );

    let (wall, latencies) = storm(&store, None, members, 1);
    report("through the server:", wall, &latencies);

    // A console on the shared store: its first frame's reads and then every
    // row, through the server (the budget's "start to first full frame").
    let mut firsts = Vec::new();
    let mut loads = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let client = Store::open(&store).expect("connects");
        let mut app = clusterdesk::tui::first_state(
            client,
            clusterdesk::tui::keymap::Keymap::default_keymap().expect("keymap"),
            ratatui::layout::Rect::new(0, 0, 120, 40),
        )
        .expect("first state");
        firsts.push(t.elapsed());
        let t = Instant::now();
        clusterdesk::tui::finish_loading(&mut app).expect("rows");
        loads.push(t.elapsed());
    }
    firsts.sort();
    loads.sort();
    println!(
        "  console through the server: first frame's reads median {:.1} ms; every row {:.0} ms (5 runs)",
        ms(percentile(&firsts, 0.5)),
        ms(percentile(&loads, 0.5))
    );

    // How soon another client hears of a change (a console polls every
    // 50 ms on top of this).
    let watcher = Store::open(&store).expect("connects");
    let events = watcher.take_events().expect("events");
    let writer = Store::open(&store).expect("connects");
    let mut heard = Vec::new();
    for i in 0..200 {
        let code = format!("LT{:09}", 300_000_000 + i % members);
        let mut m: Member = writer.require(&code).expect("member");
        m.set_text("city", &format!("Miestas {i}")).expect("city");
        let t = Instant::now();
        writer.put(m).expect("saved");
        loop {
            match events.recv_timeout(Duration::from_secs(5)) {
                Ok(clusterdesk::server::protocol::Event::Changed { .. }) => break,
                Ok(_) => continue,
                Err(e) => panic!("no event: {e}"),
            }
        }
        heard.push(t.elapsed());
    }
    heard.sort();
    println!(
        "  another client hears of a change (save included): p50 {:.2} ms, p99 {:.2} ms (200 changes)",
        ms(percentile(&heard, 0.5)),
        ms(percentile(&heard, 0.99))
    );
    drop((watcher, writer));
    stop(server);

    // The same on the store held in this process.
    let mut embedded_shows = Vec::new();
    for i in 0..20 {
        let code = format!("LT{:09}", 300_000_000 + (i * 977) % members);
        let t = Instant::now();
        let out = Command::new(BIN)
            .arg("--store")
            .arg(&store)
            .args(["--embedded", "show", "members", &code])
            .stdout(Stdio::null())
            .output()
            .expect("show runs");
        embedded_shows.push(t.elapsed());
        assert!(out.status.success(), "{out:?}");
    }
    embedded_shows.sort();
    println!(
        "  one-shot `show --embedded` (opens sled itself): median {:.1} ms (20 runs)",
        ms(percentile(&embedded_shows, 0.5))
    );
    let local = Store::open_local(&store).expect("store");
    let (wall, latencies) = storm(&store, Some(&local), members, 2);
    report("embedded, one process:", wall, &latencies);
}
