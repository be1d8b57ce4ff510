//! Store benchmarks at 100,000 members (DESIGN.md "Budgets"): insert, get by
//! code, and the first page sorted by name. The bench makes its own data.
//!
//! `cargo bench --bench store`; CLUSTERDESK_BENCH_MEMBERS changes the size.

use std::hint::black_box;
use std::time::Instant;

use clusterdesk::model::{Member, Record};
use clusterdesk::store::Store;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use uuid::Uuid;

const FIRST: &[&str] = &[
    "Šviesos", "Kauno", "Baltijos", "Žalioji", "Vilniaus", "Ąžuolo", "Nemuno", "Smart", "Grid",
    "Elektros",
];
const SECOND: &[&str] = &[
    "tinklai",
    "įranga",
    "sistemos",
    "energija",
    "technologijos",
    "automatika",
    "sprendimai",
    "miestas",
];
const SECTORS: &[&str] = &[
    "electrical-equipment",
    "machinery",
    "ict",
    "research",
    "public",
    "other",
];
const STATUSES: &[&str] = &["prospect", "active", "suspended", "former"];
const CITIES: &[&str] = &[
    "Vilnius",
    "Kaunas",
    "Klaipėda",
    "Šiauliai",
    "Panevėžys",
    "Alytus",
];

fn member(rng: &mut fastrand::Rng, n: usize) -> Member {
    let mut m = Member::empty(Uuid::now_v7());
    let name = format!(
        "UAB {} {} {n}",
        FIRST[rng.usize(..FIRST.len())],
        SECOND[rng.usize(..SECOND.len())]
    );
    let fields = [
        ("code", format!("LT{:09}", 300_000_000 + n)),
        ("name", name),
        ("sector", SECTORS[rng.usize(..SECTORS.len())].to_string()),
        ("status", STATUSES[rng.usize(..STATUSES.len())].to_string()),
        ("areas", "smart-grid;iot".to_string()),
        (
            "joined",
            format!(
                "20{:02}-{:02}-{:02}",
                rng.u8(5..24),
                rng.u8(1..13),
                rng.u8(1..29)
            ),
        ),
        ("city", CITIES[rng.usize(..CITIES.len())].to_string()),
        ("website", format!("https://www.member{n}.example")),
        ("email", format!("info@member{n}.example")),
        (
            "phone",
            format!("+370 6{:02} {:05}", rng.u8(..100), rng.u32(..100_000)),
        ),
        ("contact_name", "Jurgita Žukauskienė".to_string()),
        ("contact_email", format!("jurgita@member{n}.example")),
    ];
    for (field, value) in fields {
        if let Err(e) = m.set_text(field, &value) {
            panic!("bench data is invalid: {e}");
        }
    }
    m
}

fn members() -> usize {
    std::env::var("CLUSTERDESK_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("open store");
    let mut rng = fastrand::Rng::with_seed(7);
    let total = members();

    // Load the collection in batches of 1,000 (one transaction and one flush each).
    let started = Instant::now();
    let mut n = 0;
    while n < total {
        let mut batch = store.batch();
        for _ in 0..1_000.min(total - n) {
            batch.put(member(&mut rng, n)).expect("put");
            n += 1;
        }
        batch.commit().expect("commit");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "load: {total} members in batches of 1,000 (durable): {secs:.2} s, {:.0} members/s",
        total as f64 / secs
    );

    let mut group = c.benchmark_group(format!("store/{total}"));
    group.sample_size(20);
    let mut next = total;
    group.bench_function("insert one member (own batch, flushed)", |b| {
        b.iter_batched(
            || {
                next += 1;
                member(&mut rng, next)
            },
            |m| store.put(m).expect("put"),
            BatchSize::SmallInput,
        )
    });
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
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
