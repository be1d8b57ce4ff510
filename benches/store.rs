//! Store benchmarks at 100,000 members (DESIGN.md "Budgets"): get by code,
//! the first page sorted by name, a page deep in it, and insert. The bench
//! makes its own data.
//!
//! `cargo bench --bench store`; CLUSTERDESK_BENCH_MEMBERS changes the size.

use std::hint::black_box;
use std::time::Instant;

mod common;

use clusterdesk::model::Member;
use clusterdesk::store::Store;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("open store");
    let mut rng = fastrand::Rng::with_seed(7);
    let total = common::members();

    // Load the collection in batches of 1,000 (one transaction and one flush each).
    let started = Instant::now();
    common::fill(&store, &mut rng, total);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "load: {total} members in batches of 1,000 (durable): {secs:.2} s, {:.0} members/s",
        total as f64 / secs
    );

    // Read as a user's next command would: the store opened afresh, the
    // fill behind it. The inserts come last: measured after them, get by
    // code swung between 3.8 and 6.2 us from run to run of one build.
    let path = dir.path().join("store");
    drop(store);
    let store = Store::open(&path).expect("reopen store");
    let mut group = c.benchmark_group(format!("store/{total}"));
    group.sample_size(20);
    let mut rng_get = fastrand::Rng::with_seed(11);
    group.bench_function("get by code", |b| {
        b.iter(|| {
            let code = format!("LT{:09}", 300_000_000 + rng_get.usize(..total));
            black_box(store.get::<Member>(&code).expect("get"))
        })
    });
    group.bench_function("first page of 50 sorted by name", |b| {
        b.iter(|| black_box(store.page::<Member>(Some("name"), 0, 50).expect("page")))
    });
    group.bench_function("50 sorted by name from offset 50,000", |b| {
        b.iter(|| {
            black_box(
                store
                    .page::<Member>(Some("name"), 50_000.min(total / 2), 50)
                    .expect("page"),
            )
        })
    });
    let mut next = total;
    group.bench_function("insert one member (own batch, flushed)", |b| {
        b.iter_batched(
            || {
                next += 1;
                common::member(&mut rng, next)
            },
            |m| store.put(m).expect("put"),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
