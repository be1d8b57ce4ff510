//! Console benchmarks at 100,000 members (the budgets): start to
//! first frame, `j` plus its frame, one search keystroke plus its frame, the
//! bytes one `j` sends to a 120x40 terminal, and peak memory.
//!
//! `cargo bench --bench console`; CLUSTERDESK_BENCH_MEMBERS changes the size.
//! Peak memory, and start to first frame as a real start has it (the first
//! open in a process), are measured in fresh processes: the bench runs
//! itself again with CLUSTERDESK_BENCH_CHILD set (see `child_memory`). A
//! breakdown of where the time goes and a summary of every figure next to
//! its budget are printed at the end.
//!
//! Timings come from `iter_custom`: only the measured step is timed, its
//! setup (reopening, resetting the search) is not. Criterion prints its own
//! estimate of the mean; the summary gives the median and the slowest of
//! every run this bench timed (warm-up included), judged on the median.

mod common;

use std::cell::Cell;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clusterdesk::model::{Collection, Member};
use clusterdesk::store::{Store, StoreError};
use clusterdesk::tui::app::App;
use clusterdesk::tui::keymap::Keymap;
use clusterdesk::tui::theme::Theme;
use clusterdesk::tui::{self, rows, view};
use criterion::{Criterion, SamplingMode};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
const THEME: Theme = Theme { color: true };
/// Typed one character at a time after `/`.
const QUERY: &str = "vilnius";
/// Fresh processes timed from start to first frame.
const FRESH_RUNS: usize = 10;
/// `j` presses whose frames are counted in bytes.
const PRESSES: usize = 100;

/// Set in the re-run process: which memory measurement to make.
const CHILD_VAR: &str = "CLUSTERDESK_BENCH_CHILD";
/// The store the re-run process opens.
const STORE_VAR: &str = "CLUSTERDESK_BENCH_STORE";

fn size() -> Rect {
    Rect::new(0, 0, WIDTH, HEIGHT)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn esc() -> KeyEvent {
    KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)
}

fn keymap() -> Keymap {
    Keymap::default_keymap().expect("default keymap")
}

/// `Store::open`, again while another handle in this process lets go of
/// sled's lock (the store already waits a little by itself).
fn open(path: &Path) -> Store {
    let started = Instant::now();
    loop {
        match Store::open(path) {
            Ok(store) => return store,
            Err(StoreError::Busy { .. }) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("open store: {e}"),
        }
    }
}

fn test_terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal")
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) {
    if terminal.draw(|f| view::draw(f, app, &THEME)).is_err() {
        panic!("draw failed");
    }
}

/// Opens the store and reads every list in full, as the console is after
/// its second frame.
fn loaded_app(path: &Path) -> App {
    let mut app = tui::first_state(open(path), keymap(), size()).expect("first state");
    tui::finish_loading(&mut app).expect("finish loading");
    app
}

/// Every time one step took, in the order taken.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn sorted(&self) -> Vec<Duration> {
        let mut v = self.0.clone();
        v.sort();
        v
    }

    fn median(&self) -> Option<Duration> {
        let v = self.sorted();
        v.get(v.len() / 2).copied()
    }

    fn p95(&self) -> Option<Duration> {
        let v = self.sorted();
        v.get(v.len().saturating_sub(1) * 95 / 100).copied()
    }

    fn max(&self) -> Option<Duration> {
        self.0.iter().max().copied()
    }
}

/// Runs `one` `iters` times; each run sets up, times its step with
/// [`time`], cleans up, and returns the step's time.
fn timed(iters: u64, samples: &mut Samples, mut one: impl FnMut() -> Duration) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let took = one();
        samples.0.push(took);
        total += took;
    }
    total
}

/// What `step` returns and how long it took.
fn time<T>(step: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let output = black_box(step());
    (output, started.elapsed())
}

/// What the summary reports.
#[derive(Default)]
struct Figures {
    members: usize,
    /// Run by `cargo test`: each step once, unoptimised; not the benchmark.
    test_mode: bool,
    generate: Duration,
    first_frame: Samples,
    fresh_first_frame: Samples,
    finish_loading: Samples,
    j: Samples,
    search_first: Samples,
    /// The later keys together, and each on its own (index: the key's
    /// place in QUERY; 0 stays empty).
    search_next: Samples,
    search_keys: Vec<Samples>,
    /// Rows left after each prefix of QUERY.
    matches: Vec<(String, usize)>,
    first_frame_bytes: usize,
    /// Per press: bytes written, and whether the list scrolled.
    j_bytes: Vec<(usize, bool)>,
    memory: Vec<(String, Memory)>,
}

/// 1. Start to first frame, and `finish_loading` (every row, read right
///    after the first frame) on its own.
fn bench_start(c: &mut Criterion, path: &Path, figures: &mut Figures) {
    let mut group = c.benchmark_group(format!("console/{}", figures.members));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));

    let samples = &mut figures.first_frame;
    group.bench_function("start to first frame", |b| {
        b.iter_custom(|iters| {
            timed(iters, samples, || {
                let (opened, took) = time(|| {
                    let store = open(path);
                    let app = tui::first_state(store, keymap(), size()).expect("first state");
                    let mut terminal = test_terminal();
                    draw(&mut terminal, &app);
                    (app, terminal)
                });
                // Dropped untimed: closing sled flushes and joins its thread.
                drop(opened);
                took
            })
        })
    });

    // Most of a second per run: one run per sample, 10 samples.
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(12));
    // The store goes from app to app, so only the loading is repeated.
    let mut store = Some(open(path));
    let samples = &mut figures.finish_loading;
    group.bench_function("finish_loading (every row)", |b| {
        b.iter_custom(|iters| {
            timed(iters, samples, || {
                let reopened = store.take().expect("store");
                let mut app = tui::first_state(reopened, keymap(), size()).expect("first state");
                let ((), took) = time(|| tui::finish_loading(&mut app).expect("finish loading"));
                store = Some(app.into_store());
                took
            })
        })
    });
    group.finish();
}

/// 2. `j` (or `k`, alternately, so the cursor stays put) and the frame after it.
fn bench_j(c: &mut Criterion, app: &mut App, figures: &mut Figures) {
    let mut group = c.benchmark_group(format!("console/{}", figures.members));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    let mut terminal = test_terminal();
    draw(&mut terminal, app);
    let mut down = true;
    let samples = &mut figures.j;
    group.bench_function("j + draw (loaded)", |b| {
        b.iter_custom(|iters| {
            timed(iters, samples, || {
                down = !down;
                let c = if down { 'k' } else { 'j' };
                let ((), took) = time(|| {
                    app.handle_key(key(c));
                    draw(&mut terminal, app);
                });
                took
            })
        })
    });
    group.finish();
}

/// Leaves search and opens it again: an empty `/` over the whole list.
fn reset_search(app: &mut App) {
    app.handle_key(esc());
    app.handle_key(key('/'));
}

/// 3. One search keystroke and the frame after it: the first (every row is
///    looked at) and the later ones (only the rows still matching).
fn bench_search(c: &mut Criterion, app: &mut App, figures: &mut Figures) {
    let mut group = c.benchmark_group(format!("console/{}", figures.members));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    let mut terminal = test_terminal();
    app.handle_key(key('/'));
    draw(&mut terminal, app);

    let query: Vec<char> = QUERY.chars().collect();
    let first = query[0];
    let samples = &mut figures.search_first;
    group.bench_function(format!("search: first key '{first}' + draw"), |b| {
        b.iter_custom(|iters| {
            timed(iters, samples, || {
                reset_search(app);
                let ((), took) = time(|| {
                    app.handle_key(key(first));
                    draw(&mut terminal, app);
                });
                took
            })
        })
    });

    // Types QUERY[1..] one key per iteration; at its end, starts again
    // (Esc, `/` and the first key untimed).
    group.measurement_time(Duration::from_secs(7));
    let mut typed = query.len();
    let mut per_key: Vec<Samples> = query.iter().map(|_| Samples::default()).collect();
    let samples = &mut figures.search_next;
    group.bench_function(format!("search: later keys of '{QUERY}' + draw"), |b| {
        b.iter_custom(|iters| {
            timed(iters, samples, || {
                if typed == query.len() {
                    reset_search(app);
                    app.handle_key(key(first));
                    draw(&mut terminal, app);
                    typed = 1;
                }
                let c = query[typed];
                let ((), took) = time(|| {
                    app.handle_key(key(c));
                    draw(&mut terminal, app);
                });
                per_key[typed].0.push(took);
                typed += 1;
                took
            })
        })
    });
    group.finish();
    figures.search_keys = per_key;

    reset_search(app);
    for (i, &c) in query.iter().enumerate() {
        app.handle_key(key(c));
        let prefix: String = query[..=i].iter().collect();
        figures
            .matches
            .push((prefix, app.workspace().focused().list.len()));
    }
    app.handle_key(esc());
}

/// Counts what the backend writes.
struct CountingWriter(Rc<Cell<usize>>);

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// 4. Bytes a crossterm backend writes for one `j`, over PRESSES presses
///    from the top of the list (the later ones scroll it).
fn measure_bytes(app: &mut App, figures: &mut Figures) {
    let count = Rc::new(Cell::new(0));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(CountingWriter(count.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(size()),
        },
    )
    .expect("terminal");
    app.handle_key(key('g'));
    app.handle_key(key('g'));
    draw(&mut terminal, app);
    figures.first_frame_bytes = count.replace(0);
    for _ in 0..PRESSES {
        let offset = app.workspace().focused().list.offset;
        app.handle_key(key('j'));
        draw(&mut terminal, app);
        let scrolled = app.workspace().focused().list.offset != offset;
        figures.j_bytes.push((count.replace(0), scrolled));
    }
}

/// VmHWM and VmRSS from /proc/self/status, in KiB.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    hwm_kib: u64,
    rss_kib: u64,
}

fn memory_now() -> Memory {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Memory {
        hwm_kib: field("VmHWM:"),
        rss_kib: field("VmRSS:"),
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// 5. In the re-run process: the console's work on the store, with the
///    high-water mark after each stage, one `stage NAME HWM_KIB RSS_KIB`
///    line each.
fn child_memory(kind: &str, path: &Path) {
    let report = |stage: &str| {
        let m = memory_now();
        println!("stage {stage} {} {}", m.hwm_kib, m.rss_kib);
    };
    if kind == "frame" {
        let (_app, took) = time(|| {
            let store = open(path);
            let app = tui::first_state(store, keymap(), size()).expect("first state");
            let mut terminal = test_terminal();
            draw(&mut terminal, &app);
            app
        });
        println!("frame_us {}", took.as_micros());
        return;
    }
    report("process start");
    if kind == "store" {
        // Not the console: for the breakdown, what reading every member
        // costs in sled alone, then what keeping a row for each adds.
        let store = open(path);
        report("store open");
        let n = store.all::<Member>().filter(|r| r.is_ok()).count();
        black_box(n);
        report("every member read, none kept");
        let rows = rows::load_rows(&store, Collection::Members).expect("rows");
        report("every member's row kept");
        let order = rows::order(&rows, Collection::Members, "name", false);
        report("rows sorted by name");
        black_box((rows, order));
        return;
    }
    let store = open(path);
    report("store open");
    let mut app = tui::first_state(store, keymap(), size()).expect("first state");
    let mut terminal = test_terminal();
    draw(&mut terminal, &app);
    report("first frame");
    tui::finish_loading(&mut app).expect("finish loading");
    draw(&mut terminal, &app);
    report("every row loaded, drawn");
    match kind {
        "search" => {
            app.handle_key(key('/'));
            draw(&mut terminal, &app);
            for c in QUERY.chars() {
                app.handle_key(key(c));
                draw(&mut terminal, &app);
            }
            app.handle_key(esc());
            draw(&mut terminal, &app);
            report("search typed and left");
        }
        _ => {
            for _ in 0..PRESSES {
                app.handle_key(key('j'));
                draw(&mut terminal, &app);
            }
            report("j pressed");
        }
    }
    black_box(&app);
}

/// Runs this bench binary again to measure one kind of work in a fresh process.
fn run_child(kind: &str, path: &Path) -> Vec<(String, Memory)> {
    child_output(kind, path)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("stage ")?;
            let mut words = rest.rsplitn(3, ' ');
            let rss_kib = words.next()?.parse().ok()?;
            let hwm_kib = words.next()?.parse().ok()?;
            Some((words.next()?.to_string(), Memory { hwm_kib, rss_kib }))
        })
        .collect()
}

/// What the re-run process printed.
fn child_output(kind: &str, path: &Path) -> String {
    let exe = std::env::current_exe().expect("bench binary");
    let out = Command::new(exe)
        .env(CHILD_VAR, kind)
        .env(STORE_VAR, path)
        .output()
        .expect("run the bench again");
    if !out.status.success() {
        panic!(
            "memory child ({kind}) failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Start to first frame as the console has it: the first open in a fresh
/// process (the criterion figure reopens in a process that has opened the
/// store before).
fn measure_fresh_first_frame(path: &Path, figures: &mut Figures) {
    for _ in 0..FRESH_RUNS {
        let out = child_output("frame", path);
        let micros = out
            .lines()
            .find_map(|l| l.strip_prefix("frame_us ")?.trim().parse().ok());
        if let Some(micros) = micros {
            figures
                .fresh_first_frame
                .0
                .push(Duration::from_micros(micros));
        }
    }
}

fn measure_memory(path: &Path, figures: &mut Figures) {
    for (kind, label) in [
        ("console", "console (no search)"),
        ("search", "console with search"),
    ] {
        let stages = run_child(kind, path);
        println!("peak memory, {label}, in a fresh process:");
        for (stage, m) in &stages {
            println!(
                "  after {stage:<26} VmHWM {:7.1} MiB  VmRSS {:7.1} MiB",
                mib(m.hwm_kib),
                mib(m.rss_kib)
            );
        }
        if let Some((_, last)) = stages.last() {
            figures.memory.push((label.to_string(), *last));
        }
    }
}

/// The median of `runs` runs of `step`.
fn median_of(runs: usize, mut step: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| step()).collect();
    v.sort();
    v[v.len() / 2]
}

/// Where the time of the measured steps goes, step by step (medians).
fn breakdown(path: &Path) {
    println!();
    println!("---- breakdown (medians of a few untimed-by-criterion runs) ----");
    let mut parts = [Duration::ZERO; 4];
    let mut runs: Vec<[Duration; 4]> = Vec::new();
    for _ in 0..15 {
        let (store, open_took) = time(|| open(path));
        let (km, keymap_took) = time(keymap);
        let (app, state_took) = time(|| tui::first_state(store, km, size()).expect("state"));
        let mut terminal = test_terminal();
        let ((), draw_took) = time(|| draw(&mut terminal, &app));
        runs.push([open_took, keymap_took, state_took, draw_took]);
        drop(app);
    }
    for (i, part) in parts.iter_mut().enumerate() {
        let mut v: Vec<Duration> = runs.iter().map(|r| r[i]).collect();
        v.sort();
        *part = v[v.len() / 2];
    }
    println!(
        "first frame: Store::open {:.2} ms, default keymap {:.2} ms, first_state {:.2} ms, draw {:.2} ms",
        ms(parts[0]),
        ms(parts[1]),
        ms(parts[2]),
        ms(parts[3])
    );

    let mut app = loaded_app(path);
    let read = median_of(3, || {
        time(|| app.store().all::<Member>().filter(|r| r.is_ok()).count()).1
    });
    let (members, rows_took) =
        time(|| rows::load_rows(app.store(), Collection::Members).expect("rows"));
    let order_took = median_of(3, || {
        time(|| rows::order(&members, Collection::Members, "name", false)).1
    });
    println!(
        "finish_loading: read and decode every member {:.1} ms; the same plus a row each (load_rows) {:.1} ms; sort by name (rows::order) {:.1} ms",
        ms(read),
        ms(rows_took),
        ms(order_took)
    );

    // Search: the matcher over every row alone, the key without the frame,
    // the frame alone.
    app.handle_key(key('/'));
    let everything = app.workspace().focused().list.visible.clone();
    let first = QUERY.chars().next().unwrap_or('v');
    let query = first.to_string();
    // A matcher of the bench's own: the console's is its own business.
    let mut searcher = clusterdesk::tui::search::Searcher::default();
    let filter_took = median_of(9, || {
        let rows = app.catalog().rows(Collection::Members);
        time(|| searcher.filter(rows, &everything, &query)).1
    });
    let mut terminal = test_terminal();
    let mut key_took = Vec::new();
    let mut draw_took = Vec::new();
    for _ in 0..9 {
        reset_search(&mut app);
        draw(&mut terminal, &app);
        key_took.push(time(|| app.handle_key(key(first))).1);
        draw_took.push(time(|| draw(&mut terminal, &app)).1);
    }
    key_took.sort();
    draw_took.sort();
    let rows = app.catalog().rows(Collection::Members);
    let not_ascii = rows.iter().filter(|r| !r.hay.is_ascii()).count();
    let hay_bytes: usize = rows.iter().map(|r| r.hay.len()).sum();
    println!(
        "search, first key '{first}': Searcher::filter over {} rows {:.1} ms; handle_key (filter, order copy, detail) {:.1} ms; draw {:.2} ms",
        everything.len(),
        ms(filter_took),
        ms(key_took[4]),
        ms(draw_took[4])
    );
    println!(
        "  search text: {not_ascii} of {} rows not ASCII after folding (nucleo copies those to UTF-32 on every key); {:.0} bytes a row",
        rows.len(),
        hay_bytes as f64 / rows.len().max(1) as f64
    );
    if let Some(r) = rows.iter().find(|r| !r.hay.is_ascii()) {
        let odd: String = r.hay.chars().filter(|c| !c.is_ascii()).collect();
        println!("  e.g. {:?}: not ASCII: {odd:?}", r.hay);
    }

    // Memory held by the rows themselves (heap payload; malloc adds 8-16
    // bytes and rounds up to 16 for each allocation).
    let mut allocations = 0usize;
    let mut payload = 0usize;
    for r in rows {
        payload += size_of::<rows::Row>() + r.heap_bytes();
        allocations += 2;
    }
    println!(
        "memory: member rows hold {:.1} MiB in {allocations} allocations (about {:.1} MiB with malloc's overhead)",
        payload as f64 / 1048576.0,
        (payload + allocations * 16) as f64 / 1048576.0
    );
    app.handle_key(esc());
    drop(app);
    for (stage, m) in run_child("store", path) {
        println!(
            "  fresh process, store alone: after {stage:<29} VmHWM {:6.1} MiB  VmRSS {:6.1} MiB",
            mib(m.hwm_kib),
            mib(m.rss_kib)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// "met" or not, against the budget and the aim.
fn verdict(value: f64, budget: f64, aim: f64) -> &'static str {
    if value <= aim {
        "meets budget and aim"
    } else if value <= budget {
        "meets budget, misses aim"
    } else {
        "MISSES BUDGET"
    }
}

fn time_line(name: &str, samples: &Samples, budget: f64, aim: f64) {
    let (Some(median), Some(p95), Some(max)) = (samples.median(), samples.p95(), samples.max())
    else {
        println!("{name}: not measured (filtered out)");
        return;
    };
    let value = ms(median);
    println!(
        "{name}: {value:.3} ms median, {:.3} ms p95, {:.3} ms max, {} runs (budget {budget} ms, aim {aim} ms): {}",
        ms(p95),
        ms(max),
        samples.0.len(),
        verdict(value, budget, aim)
    );
}

/// Min, median and max.
fn spread(values: &[usize]) -> Option<(usize, usize, usize)> {
    let mut v = values.to_vec();
    v.sort_unstable();
    Some((*v.first()?, v[v.len() / 2], *v.last()?))
}

fn summary(f: &Figures) {
    println!();
    println!(
        "==== console at {} members, {WIDTH}x{HEIGHT} ====",
        f.members
    );
    println!(
        "(generated in {:.1} s; times: every timed run, warm-up included; judged on the median)",
        f.generate.as_secs_f64()
    );
    if f.test_mode {
        println!("(test mode: each step ran once, unoptimised; run `cargo bench` for figures)");
    }
    time_line("first frame", &f.first_frame, 100.0, 50.0);
    time_line(
        "first frame, first open in a fresh process",
        &f.fresh_first_frame,
        100.0,
        50.0,
    );
    match (f.finish_loading.median(), f.finish_loading.max()) {
        (Some(median), Some(max)) => println!(
            "finish_loading (every row, after the first frame; no budget): {:.1} ms median, {:.1} ms max",
            ms(median),
            ms(max)
        ),
        _ => println!("finish_loading: not measured (filtered out)"),
    }
    time_line("j + draw", &f.j, 5.0, 2.0);
    if let Some((q, n)) = f.matches.first() {
        println!("  first key '{q}': {n} of {} rows left", f.members);
    }
    time_line("search, first key + draw", &f.search_first, 16.0, 5.0);
    time_line("search, later keys + draw", &f.search_next, 16.0, 5.0);
    let mut worst: Option<(String, Duration)> = None;
    for (i, samples) in f.search_keys.iter().enumerate().skip(1) {
        let (Some(median), Some(max), Some((before, looked_at)), Some((typed, left))) = (
            samples.median(),
            samples.max(),
            f.matches.get(i - 1),
            f.matches.get(i),
        ) else {
            continue;
        };
        println!(
            "  '{before}' -> '{typed}' ({looked_at} rows looked at, {left} left): {:.3} ms median, {:.3} ms max, {} runs: {}",
            ms(median),
            ms(max),
            samples.0.len(),
            verdict(ms(median), 16.0, 5.0)
        );
        if worst.as_ref().is_none_or(|(_, w)| median > *w) {
            worst = Some((typed.clone(), median));
        }
    }
    if let Some((typed, median)) = worst {
        println!(
            "search, slowest later key ('{typed}') + draw: {:.3} ms median (budget 16 ms, aim 5 ms): {}",
            ms(median),
            verdict(ms(median), 16.0, 5.0)
        );
    }
    let all: Vec<usize> = f.j_bytes.iter().map(|&(b, _)| b).collect();
    if let Some((min, median, max)) = spread(&all) {
        println!(
            "bytes per j: {median} B median, {min} B min, {max} B max over {} presses from the top (budget 2048 B, aim 1024 B): {}",
            all.len(),
            verdict(median as f64, 2048.0, 1024.0)
        );
        for (scrolled, label) in [(false, "cursor moved on screen"), (true, "list scrolled")] {
            let some: Vec<usize> = f
                .j_bytes
                .iter()
                .filter(|&&(_, s)| s == scrolled)
                .map(|&(b, _)| b)
                .collect();
            if let Some((min, median, max)) = spread(&some) {
                println!(
                    "  {label}: {} presses, {median} B median, {min} B min, {max} B max: {}",
                    some.len(),
                    verdict(median as f64, 2048.0, 1024.0)
                );
            }
        }
        let over = all.iter().filter(|&&b| b > 2048).count();
        let over_aim = all.iter().filter(|&&b| b > 1024).count();
        println!(
            "  presses over 2 KiB: {over}, over 1 KiB: {over_aim}; the first full frame: {} B",
            f.first_frame_bytes
        );
    }
    for (label, m) in &f.memory {
        println!(
            "peak memory, {label}: {:.1} MiB VmHWM (budget 128 MiB, aim 64 MiB): {}",
            mib(m.hwm_kib),
            verdict(mib(m.hwm_kib), 128.0, 64.0)
        );
    }
}

fn main() {
    if let Ok(kind) = std::env::var(CHILD_VAR) {
        let path = PathBuf::from(std::env::var_os(STORE_VAR).expect("store path"));
        child_memory(&kind, &path);
        return;
    }
    // `cargo test --benches` runs each bench once: a small cluster will do.
    let benching = std::env::args().any(|a| a == "--bench");
    let members = if benching {
        common::members()
    } else {
        common::members_or(2_000)
    };
    let mut figures = Figures {
        members,
        test_mode: !benching,
        ..Figures::default()
    };

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let started = Instant::now();
    {
        let store = open(&path);
        common::fill(&store, &mut fastrand::Rng::with_seed(7), members);
    }
    figures.generate = started.elapsed();
    println!(
        "generated {members} members in batches of 1,000: {:.1} s",
        figures.generate.as_secs_f64()
    );

    let mut c = Criterion::default().configure_from_args();
    bench_start(&mut c, &path, &mut figures);
    {
        let mut app = loaded_app(&path);
        bench_j(&mut c, &mut app, &mut figures);
        bench_search(&mut c, &mut app, &mut figures);
        measure_bytes(&mut app, &mut figures);
    }
    c.final_summary();
    measure_memory(&path, &mut figures);
    measure_fresh_first_frame(&path, &mut figures);
    if benching {
        breakdown(&path);
    }
    summary(&figures);
}
