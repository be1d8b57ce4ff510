//! The stored bytes of every schema version, frozen. If one of these tests
//! fails after a change to a record, the change altered how existing stores
//! are read: add a new envelope version in `store/codec.rs` instead.
//!
//! A missing fixture is written from the current encoding and the test fails
//! once, saying so; run again and commit `tests/data/golden/`.

use std::path::PathBuf;

use clusterdesk::model::{
    Action, Contact, Indicator, Lang, Meeting, MeetingKind, Member, NewsItem, NewsStatus, Sector,
    Status, StatusChange,
};
use clusterdesk::store::codec::{SCHEMA_VERSION, decode, encode};
use jiff::civil::{Date, Time, date, time};
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

fn golden_member() -> Member {
    Member {
        id: Uuid::from_u128(0x0190_a1b2_c3d4_7e5f_8a6b_7c8d_9e0f_0001),
        code: "ITK-001".into(),
        name: "UAB „Šiaulių šviesa“ 光 🙂".into(),
        sector: Some(Sector::ElectricalEquipment),
        areas: vec!["smart-city".into(), "smart-grid".into()],
        status: Status::Active,
        status_history: vec![
            StatusChange {
                date: date(2014, 5, 1),
                status: Status::Prospect,
            },
            StatusChange {
                date: date(2015, 1, 15),
                status: Status::Active,
            },
        ],
        joined: Some(date(2015, 1, 15)),
        left: None,
        city: "Šiauliai".into(),
        country: "LT".into(),
        website: "https://example.lt".into(),
        email: "info@example.lt".into(),
        phone: "+370 41 123456".into(),
        contacts: vec![Contact {
            name: "Ona Onaitė".into(),
            role: "direktorė".into(),
            email: "ona@example.lt".into(),
            phone: String::new(),
        }],
        notes: "# Pastabos\n\n\t- narys nuo 2015".into(),
    }
}

fn golden_indicator() -> Indicator {
    Indicator {
        id: Uuid::from_u128(0x0190_a1b2_c3d4_7e5f_8a6b_7c8d_9e0f_0002),
        member: "ITK-001".into(),
        year: 2023,
        turnover_eur: Some(12_500_000),
        export_eur: Some(4_000_000),
        rnd_eur: None,
        employees: Some(87),
    }
}

fn golden_news() -> NewsItem {
    NewsItem {
        id: Uuid::from_u128(0x0190_a1b2_c3d4_7e5f_8a6b_7c8d_9e0f_0003),
        slug: "klasterio-renginys-siauliuose".into(),
        title: "Klasterio renginys Šiauliuose".into(),
        lang: Some(Lang::Lt),
        status: NewsStatus::Published,
        author: "Jonas".into(),
        tags: vec!["smart-city".into()],
        members: vec!["ITK-001".into()],
        summary: "Trumpai apie renginį.".into(),
        body: "Renginys vyko **Šiauliuose**.\n\nDalyvavo 12 narių.".into(),
        created: Some(date(2024, 3, 1)),
        updated: Some(date(2024, 3, 6)),
        publish_at: None,
        published_at: Some(date(2024, 3, 6)),
    }
}

fn golden_meeting() -> Meeting {
    Meeting {
        id: Uuid::from_u128(0x0190_a1b2_c3d4_7e5f_8a6b_7c8d_9e0f_0004),
        slug: "2024-03-05-patirties-sklaida".into(),
        title: "Patirties sklaida".into(),
        date: Some(date(2024, 3, 5)),
        start: Some(time(9, 30, 0, 0)),
        location: "Šiaulių universitetas".into(),
        kind: Some(MeetingKind::ExperienceSharing),
        attendees: vec!["ITK-001".into(), "ITK-002".into()],
        notes: "Aptarta:\n\t- eksportas".into(),
        decisions: vec!["Kitas susitikimas gegužę".into()],
        actions: vec![Action {
            text: "Paruošti ataskaitą".into(),
            owner: "ITK-001".into(),
            due: Some(date(2024, 4, 1)),
            done: false,
        }],
    }
}

fn fixture_path(version: u32, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/golden")
        .join(format!("v{version}"))
        .join(format!("{name}.bin"))
}

/// Compares the current encoding with the fixture, writing a missing fixture
/// (and failing, so that a new fixture is always looked at before it counts).
fn check_golden<T>(name: &str, record: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let path = fixture_path(SCHEMA_VERSION, name);
    let bytes = encode(record).unwrap();
    let fixture = match std::fs::read(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            panic!(
                "golden fixture {} was missing: wrote it from the current encoding ({} bytes); \
                 check it, commit it and run the tests again",
                path.display(),
                bytes.len()
            );
        }
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    assert!(
        bytes == fixture,
        "the encoding of a {name} changed; stores written with schema {SCHEMA_VERSION} \
         would be misread. Add a new envelope version instead.\n now:    {bytes:02x?}\n golden: {fixture:02x?}"
    );
    // The first byte is the envelope's variant: V1 is 0.
    assert_eq!(fixture[0], 0, "{name}: not a V1 envelope");
    let decoded: T = decode(&fixture).unwrap();
    assert_eq!(
        &decoded, record,
        "{name}: the fixture no longer decodes to the record"
    );
}

/// Every fixture of every schema version this build must still read.
fn fixtures_of_all_versions(name: &str) -> Vec<(u32, Vec<u8>)> {
    (1..=SCHEMA_VERSION)
        .filter_map(|v| std::fs::read(fixture_path(v, name)).ok().map(|b| (v, b)))
        .collect()
}

#[test]
fn member_bytes_are_golden() {
    check_golden("member", &golden_member());
}

#[test]
fn indicator_bytes_are_golden() {
    check_golden("indicator", &golden_indicator());
}

#[test]
fn news_bytes_are_golden() {
    check_golden("news", &golden_news());
}

#[test]
fn meeting_bytes_are_golden() {
    check_golden("meeting", &golden_meeting());
}

#[test]
fn fixtures_of_every_version_decode() {
    // With one version this repeats the golden tests; when V2 comes, the V1
    // fixtures stay and must still decode (upgraded) to the current records.
    let all = fixtures_of_all_versions("member");
    assert!(all.iter().any(|(v, _)| *v == 1), "no v1 member fixture yet");
    for (v, bytes) in all {
        let m: Member = decode(&bytes).unwrap_or_else(|e| panic!("v{v} member: {e}"));
        assert_eq!(m, golden_member(), "v{v}");
    }
    for (v, bytes) in fixtures_of_all_versions("indicator") {
        assert_eq!(
            decode::<Indicator>(&bytes).unwrap(),
            golden_indicator(),
            "v{v}"
        );
    }
    for (v, bytes) in fixtures_of_all_versions("news") {
        assert_eq!(decode::<NewsItem>(&bytes).unwrap(), golden_news(), "v{v}");
    }
    for (v, bytes) in fixtures_of_all_versions("meeting") {
        assert_eq!(decode::<Meeting>(&bytes).unwrap(), golden_meeting(), "v{v}");
    }
}

// ---------------------------------------------------------------- damaged bytes

fn assert_damage_refused<T: Serialize + DeserializeOwned + std::fmt::Debug>(
    name: &str,
    record: &T,
) {
    let bytes = encode(record).unwrap();
    for n in 0..bytes.len() {
        let r = decode::<T>(&bytes[..n]);
        assert!(
            r.is_err(),
            "{name} cut to {n} of {} bytes decoded: {r:?}",
            bytes.len()
        );
    }
    for tail in [&[0u8][..], &[0xff], &[1, 2, 3], &bytes[..]] {
        let mut longer = bytes.clone();
        longer.extend_from_slice(tail);
        let r = decode::<T>(&longer);
        let err = r.expect_err("trailing bytes were accepted");
        assert!(err.contains("left over"), "{name}: {err}");
    }
    // An envelope version this build does not know.
    let mut future = bytes.clone();
    future[0] = 1;
    assert!(
        decode::<T>(&future).is_err(),
        "{name}: unknown envelope version accepted"
    );
}

#[test]
fn truncated_and_trailing_bytes_are_refused() {
    assert_damage_refused("member", &golden_member());
    assert_damage_refused("indicator", &golden_indicator());
    assert_damage_refused("news", &golden_news());
    assert_damage_refused("meeting", &golden_meeting());
}

#[test]
fn a_stored_choice_outside_its_list_is_refused() {
    // Choice names are stored as text; a name this build does not know is an error.
    let bytes = encode(&golden_member()).unwrap();
    let at = bytes
        .windows(b"electrical-equipment".len())
        .position(|w| w == b"electrical-equipment")
        .unwrap();
    let mut bad = bytes.clone();
    bad[at] = b'x';
    assert!(decode::<Member>(&bad).is_err());
}

#[test]
fn a_huge_length_prefix_is_an_error_not_an_allocation() {
    // Layout of a V1 member: variant 0, the id as 16 length-prefixed bytes,
    // then the code's length (7, "ITK-001").
    let bytes = encode(&golden_member()).unwrap();
    assert_eq!(&bytes[..2], &[0, 16]);
    assert_eq!(bytes[18], 7);
    assert_eq!(&bytes[19..26], b"ITK-001");
    // 0xfd announces a u64 length: claim 2^40 and 2^63 bytes.
    for claim in [1u64 << 40, 1 << 63, u64::MAX] {
        let mut bad = bytes[..18].to_vec();
        bad.push(0xfd);
        bad.extend_from_slice(&claim.to_le_bytes());
        bad.extend_from_slice(&bytes[19..]);
        assert!(decode::<Member>(&bad).is_err(), "length {claim} accepted");
    }
}

// ---------------------------------------------------------------- round trips

fn any_date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn any_time() -> impl Strategy<Value = Time> {
    (0i8..24, 0i8..60, 0i8..60, 0i32..1_000_000_000).prop_map(|(h, m, s, n)| time(h, m, s, n))
}

fn any_uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

/// Any text, including control characters, Lithuanian, CJK and emoji: the
/// codec stores what it is given; validation is not its job.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-ZąčęėįšųūžĄČĘĖĮŠŲŪŽ光明🙂 \n\t\u{1b}\u{202e}-]{0,40}",
    ]
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(any_text(), 0..4)
}

fn any_contact() -> impl Strategy<Value = Contact> {
    (any_text(), any_text(), any_text(), any_text()).prop_map(|(name, role, email, phone)| {
        Contact {
            name,
            role,
            email,
            phone,
        }
    })
}

fn any_member() -> impl Strategy<Value = Member> {
    let head = (
        any_uuid(),
        any_text(),
        any_text(),
        prop::option::of(prop::sample::select(Sector::ALL)),
        texts(),
        prop::sample::select(Status::ALL),
        prop::collection::vec(
            (any_date(), prop::sample::select(Status::ALL))
                .prop_map(|(date, status)| StatusChange { date, status }),
            0..4,
        ),
        prop::option::of(any_date()),
        prop::option::of(any_date()),
    );
    let tail = (
        any_text(),
        any_text(),
        any_text(),
        any_text(),
        any_text(),
        prop::collection::vec(any_contact(), 0..3),
        any_text(),
    );
    (head, tail).prop_map(
        |(
            (id, code, name, sector, areas, status, status_history, joined, left),
            (city, country, website, email, phone, contacts, notes),
        )| Member {
            id,
            code,
            name,
            sector,
            areas,
            status,
            status_history,
            joined,
            left,
            city,
            country,
            website,
            email,
            phone,
            contacts,
            notes,
        },
    )
}

fn any_meeting() -> impl Strategy<Value = Meeting> {
    let action = (
        any_text(),
        any_text(),
        prop::option::of(any_date()),
        any::<bool>(),
    )
        .prop_map(|(text, owner, due, done)| Action {
            text,
            owner,
            due,
            done,
        });
    (
        any_uuid(),
        any_text(),
        any_text(),
        prop::option::of(any_date()),
        prop::option::of(any_time()),
        any_text(),
        prop::option::of(prop::sample::select(MeetingKind::ALL)),
        texts(),
        any_text(),
        texts(),
        prop::collection::vec(action, 0..3),
    )
        .prop_map(
            |(
                id,
                slug,
                title,
                date,
                start,
                location,
                kind,
                attendees,
                notes,
                decisions,
                actions,
            )| {
                Meeting {
                    id,
                    slug,
                    title,
                    date,
                    start,
                    location,
                    kind,
                    attendees,
                    notes,
                    decisions,
                    actions,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn member_round_trips(m in any_member()) {
        let bytes = encode(&m).unwrap();
        prop_assert_eq!(decode::<Member>(&bytes).unwrap(), m);
    }

    #[test]
    fn meeting_round_trips(m in any_meeting()) {
        let bytes = encode(&m).unwrap();
        prop_assert_eq!(decode::<Meeting>(&bytes).unwrap(), m);
    }

    #[test]
    fn indicator_round_trips(
        id in any_uuid(),
        member in any_text(),
        year in any::<i16>(),
        turnover_eur in any::<Option<u64>>(),
        export_eur in any::<Option<u64>>(),
        rnd_eur in any::<Option<u64>>(),
        employees in any::<Option<u32>>(),
    ) {
        let i = Indicator { id, member, year, turnover_eur, export_eur, rnd_eur, employees };
        prop_assert_eq!(decode::<Indicator>(&encode(&i).unwrap()).unwrap(), i);
    }

    /// Random bytes are an error or a record, never a panic or a huge allocation.
    #[test]
    fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode::<Member>(&bytes);
        let _ = decode::<Meeting>(&bytes);
        let _ = decode::<NewsItem>(&bytes);
        let _ = decode::<Indicator>(&bytes);
    }

    /// A damaged golden record (one byte changed) decodes to an error or to
    /// some record, never a panic.
    #[test]
    fn damaged_bytes_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = encode(&golden_member()).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = decode::<Member>(&bytes);
    }
}
