//! Property: export then import is the identity (issue 4). Arbitrary stores
//! (text with quotes, commas, semicolons, line breaks and Lithuanian
//! letters; several contacts; references between collections) are exported
//! in each format and imported into an empty store:
//! - JSON Lines and JSON carry everything, so the new store holds exactly
//!   the same records, ids and derived fields included;
//! - CSV carries the flat fields and the first contact (as documented), so
//!   exporting the new store gives the same bytes.
//!
//! The commands run in this process (`cli::run --embedded`), so many cases
//! stay quick.

use std::path::Path;

use clap::Parser;
use clusterdesk::cli::{Cli, run};
use clusterdesk::model::{
    Indicator, Lang, Meeting, MeetingKind, Member, NewsItem, Record, Sector, Status,
};
use clusterdesk::store::Store;
use proptest::prelude::*;
use proptest::sample::select;
use uuid::Uuid;

const COLLECTIONS: [&str; 4] = ["members", "indicators", "news", "meetings"];

/// Text a coordinator might type on one line, awkward characters included.
fn line() -> impl Strategy<Value = String> {
    "[A-Za-z0-9ĄČĘĖĮŠŲŪŽąčęėįšųūž„“\"',;:. ()&/-]{1,24}"
}

/// Free text over several lines.
fn lines() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..4).prop_map(|l| l.join("\n"))
}

fn date() -> impl Strategy<Value = String> {
    (1995i32..2026, 1u8..13, 1u8..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

#[derive(Debug, Clone)]
struct MemberSpec {
    name: String,
    sector: &'static str,
    status: &'static str,
    joined: String,
    city: String,
    phone: Option<String>,
    notes: String,
    contacts: Vec<(String, String)>,
}

fn member_spec() -> impl Strategy<Value = MemberSpec> {
    (
        line(),
        select(Sector::NAMES),
        select(Status::NAMES),
        date(),
        line(),
        prop::option::of("\\+370 6[0-9]{2} [0-9]{5}"),
        lines(),
        prop::collection::vec((line(), line()), 0..3),
    )
        .prop_map(
            |(name, sector, status, joined, city, phone, notes, contacts)| MemberSpec {
                name,
                sector,
                status,
                joined,
                city,
                phone,
                notes,
                contacts,
            },
        )
}

/// title, date, kind, attendee indexes, decisions
type MeetingSpec = (String, String, &'static str, Vec<usize>, Vec<String>);

#[derive(Debug, Clone)]
struct Spec {
    members: Vec<MemberSpec>,
    /// (member index, year, turnover)
    indicators: Vec<(usize, i16, Option<u64>)>,
    /// (title, lang, body, member indexes)
    news: Vec<(String, &'static str, String, Vec<usize>)>,
    meetings: Vec<MeetingSpec>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let idx = || prop::collection::vec(0usize..6, 0..4);
    (
        prop::collection::vec(member_spec(), 1..6),
        prop::collection::vec(
            (0usize..6, 1995i16..2026, prop::option::of(0u64..10_000_000)),
            0..6,
        ),
        prop::collection::vec((line(), select(Lang::NAMES), lines(), idx()), 0..4),
        prop::collection::vec(
            (
                line(),
                date(),
                select(MeetingKind::NAMES),
                idx(),
                prop::collection::vec(line(), 0..3),
            ),
            0..4,
        ),
    )
        .prop_map(|(members, indicators, news, meetings)| Spec {
            members,
            indicators,
            news,
            meetings,
        })
}

/// Sets what the rules accept; a refused value leaves the field as it was
/// (the property is about what gets stored, not about generating only
/// valid input).
fn set<R: Record>(record: &mut R, field: &str, value: &str) {
    let _ = record.set_text(field, value);
}

/// Builds the store the spec describes; records the rules refuse are left out.
fn build(path: &Path, spec: &Spec) -> Vec<String> {
    let store = Store::open(path).expect("store opens");
    let mut codes = Vec::new();
    for (i, m) in spec.members.iter().enumerate() {
        let mut r = Member::empty(Uuid::now_v7());
        set(&mut r, "code", &format!("LT{:03}", i + 1));
        set(&mut r, "name", "UAB Vardas");
        set(&mut r, "name", &m.name);
        set(&mut r, "sector", m.sector);
        set(&mut r, "status", m.status);
        set(&mut r, "joined", &m.joined);
        set(&mut r, "city", &m.city);
        if let Some(p) = &m.phone {
            set(&mut r, "phone", p);
        }
        set(&mut r, "notes", &m.notes);
        let contacts: Vec<serde_json::Value> = m
            .contacts
            .iter()
            .map(|(name, role)| serde_json::json!({"name": name, "role": role}))
            .collect();
        let _ = r.set_nested("contacts", serde_json::Value::from(contacts));
        if let Ok(stored) = store.put(r) {
            codes.push(stored.key());
        }
    }
    let code = |i: usize| codes.get(i % codes.len().max(1)).cloned();
    for &(m, year, turnover) in &spec.indicators {
        let Some(member) = code(m) else { continue };
        let mut r = Indicator::empty(Uuid::now_v7());
        set(&mut r, "member", &member);
        set(&mut r, "year", &year.to_string());
        if let Some(t) = turnover {
            set(&mut r, "turnover_eur", &t.to_string());
        }
        let _ = store.put(r);
    }
    let pick = |idx: &[usize]| -> String {
        let mut chosen: Vec<String> = idx.iter().filter_map(|&i| code(i)).collect();
        chosen.sort();
        chosen.dedup();
        chosen.join(";")
    };
    for (title, lang, body, members) in &spec.news {
        let mut r = NewsItem::empty(Uuid::now_v7());
        set(&mut r, "title", title);
        set(&mut r, "lang", lang);
        set(&mut r, "body", body);
        set(&mut r, "members", &pick(members));
        let _ = store.put(r);
    }
    for (title, date, kind, attendees, decisions) in &spec.meetings {
        let mut r = Meeting::empty(Uuid::now_v7());
        set(&mut r, "title", title);
        set(&mut r, "date", date);
        set(&mut r, "kind", kind);
        set(&mut r, "attendees", &pick(attendees));
        set(&mut r, "decisions", &decisions.join("\n"));
        let _ = store.put(r);
    }
    codes
}

/// Runs a command in this process, on the store itself (`--embedded`: a
/// server would be this test binary).
fn cli(args: &[&str]) {
    let cli = Cli::try_parse_from(
        ["clusterdesk", "--embedded"]
            .into_iter()
            .chain(args.iter().copied()),
    )
    .expect("the arguments parse");
    run(cli).unwrap_or_else(|e| panic!("{args:?}: {e:#}"));
}

fn records<R: Record>(path: &Path) -> Vec<R> {
    let store = Store::open(path).expect("store opens");
    let all: Result<Vec<R>, _> = store.all::<R>().collect();
    all.expect("records read")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_is_the_identity(spec in spec()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a");
        let codes = build(&a, &spec);
        prop_assume!(!codes.is_empty());
        let a_str = a.to_str().expect("UTF-8 path");

        for format in ["csv", "jsonl", "json"] {
            let b = dir.path().join(format!("b-{format}"));
            let b_str = b.to_str().expect("UTF-8 path");
            for c in COLLECTIONS {
                let file = dir.path().join(format!("{c}.{format}"));
                let file = file.to_str().expect("UTF-8 path");
                cli(&["--store", a_str, "export", c, "--format", format, "-o", file]);
                cli(&["--store", b_str, "import", c, file]);
                if format == "csv" {
                    let again = dir.path().join(format!("{c}-again.csv"));
                    let again = again.to_str().expect("UTF-8 path");
                    cli(&["--store", b_str, "export", c, "--format", "csv", "-o", again]);
                    let (first, second) = (
                        std::fs::read(file).expect("export"),
                        std::fs::read(again).expect("export again"),
                    );
                    prop_assert!(first == second, "{} as CSV differs after a round trip", c);
                }
            }
            if format != "csv" {
                prop_assert_eq!(records::<Member>(&b), records::<Member>(&a));
                prop_assert_eq!(records::<Indicator>(&b), records::<Indicator>(&a));
                prop_assert_eq!(records::<NewsItem>(&b), records::<NewsItem>(&a));
                prop_assert_eq!(records::<Meeting>(&b), records::<Meeting>(&a));
            }
        }
    }
}
