//! The bench data shared by the benches (`mod common;` in each): members
//! made from a seeded generator, so every run stores the same cluster (but
//! for the UUIDs, which carry the time), and the size they run at.
// Each bench uses part of this module.
#![allow(dead_code)]

use clusterdesk::model::{Member, Record};
use clusterdesk::store::Store;
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

pub fn member(rng: &mut fastrand::Rng, n: usize) -> Member {
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

/// How many members to generate: CLUSTERDESK_BENCH_MEMBERS, else `default`.
pub fn members_or(default: usize) -> usize {
    std::env::var("CLUSTERDESK_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How many members to generate: CLUSTERDESK_BENCH_MEMBERS, else 100,000.
pub fn members() -> usize {
    members_or(100_000)
}

/// Stores members `0..total` in batches of 1,000 (one transaction and one
/// flush each).
pub fn fill(store: &Store, rng: &mut fastrand::Rng, total: usize) {
    let mut n = 0;
    while n < total {
        let mut batch = store.batch();
        for _ in 0..1_000.min(total - n) {
            batch.put(member(rng, n)).expect("put");
            n += 1;
        }
        batch.commit().expect("commit");
    }
}
