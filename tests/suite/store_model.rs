//! The store against a model: random sequences of edits applied to a Store
//! and to plain maps must leave both holding the same records, with every
//! index (key, sort, count) agreeing. Plus the store's promises one by one:
//! history, batches, refusals that write nothing, reopening, schema checks.

use std::collections::BTreeMap;
use std::path::Path;

use clusterdesk::model::record::validate;
use clusterdesk::model::text::sort_fold;
use clusterdesk::model::{Indicator, Meeting, Member, Record, Status};
use clusterdesk::store::{Store, StoreError};
use proptest::prelude::*;
use uuid::Uuid;

const CODES: [&str; 6] = ["M0", "M1", "M-2", "ITK3", "A4", "Z5"];

use crate::fixtures::records::member_with_id as member;

fn indicator(id: Uuid, code: &str, year: i16, turnover: Option<u64>) -> Indicator {
    let mut i = Indicator::empty(id);
    i.set_text("member", code).unwrap();
    i.set_text("year", &year.to_string()).unwrap();
    i.turnover_eur = turnover;
    i
}

/// The field names an Invalid error carries.
#[track_caller]
fn invalid_fields(e: &StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid { errors, .. } => errors.0.iter().map(|e| e.field.clone()).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

use crate::fixtures::store::open_when_free;

fn reopen(path: &Path) -> Store {
    open_when_free(path).unwrap()
}

// ---------------------------------------------------------------- the model

#[derive(Debug, Clone)]
enum Op {
    AddMember {
        code: usize,
        lower: bool,
        name: String,
    },
    SetName {
        pick: usize,
        name: String,
    },
    SetStatus {
        pick: usize,
        status: Status,
    },
    SetCity {
        pick: usize,
        city: String,
    },
    RemoveMember {
        code: usize,
    },
    PutIndicator {
        code: usize,
        year: i16,
        turnover: Option<u64>,
        fresh_id: bool,
    },
    RemoveIndicator {
        pick: usize,
    },
    Reopen,
}

fn name_strategy() -> impl Strategy<Value = String> {
    // Lithuanian and Polish letters, CJK, emoji, and blanks (a blank name is refused).
    "[ a-zA-ZąčęėįšųūžĄČĘĖĮŠŲŪŽłŁ光🙂0-9]{0,12}"
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let code = 0..CODES.len();
    prop_oneof![
        4 => (code.clone(), any::<bool>(), name_strategy())
            .prop_map(|(code, lower, name)| Op::AddMember { code, lower, name }),
        2 => (any::<usize>(), name_strategy()).prop_map(|(pick, name)| Op::SetName { pick, name }),
        1 => (any::<usize>(), prop::sample::select(Status::ALL))
            .prop_map(|(pick, status)| Op::SetStatus { pick, status }),
        1 => (any::<usize>(), "[a-zA-ZŠšŪū ]{0,8}").prop_map(|(pick, city)| Op::SetCity { pick, city }),
        2 => code.clone().prop_map(|code| Op::RemoveMember { code }),
        3 => (code, 2020i16..2024, prop::option::of(0u64..1_000_000), prop::bool::weighted(0.2))
            .prop_map(|(code, year, turnover, fresh_id)| Op::PutIndicator { code, year, turnover, fresh_id }),
        2 => any::<usize>().prop_map(|pick| Op::RemoveIndicator { pick }),
        1 => Just(Op::Reopen),
    ]
}

#[derive(Default)]
struct Model {
    members: BTreeMap<String, Member>,
    indicators: BTreeMap<String, Indicator>,
    next_id: u128,
}

impl Model {
    fn new_id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }

    fn pick_member(&self, pick: usize) -> Option<Member> {
        let n = self.members.len();
        (n > 0).then(|| self.members.values().nth(pick % n).cloned().unwrap())
    }

    fn has_indicators(&self, code: &str) -> bool {
        self.indicators.values().any(|i| i.member == code)
    }
}

/// Puts `record` through a batch, expecting success exactly when `ok`;
/// returns the stored record, which must equal what the model expects.
fn put_expect<R: Record>(store: &Store, record: R, expect_ok: bool) -> Result<R, StoreError> {
    let mut batch = store.batch();
    let ctx = batch.context().unwrap();
    let result = batch.put(record.clone());
    match &result {
        Ok(stored) => {
            assert!(expect_ok, "put was accepted: {stored:?}");
            let expected = validate(&record, &ctx).unwrap();
            assert_eq!(stored, &expected);
            batch.commit().unwrap();
        }
        Err(e) => assert!(!expect_ok, "put was refused: {e}"),
    }
    result
}

fn apply(store: &Store, model: &mut Model, op: &Op) {
    match op {
        Op::AddMember { code, lower, name } => {
            let code = CODES[*code];
            let typed = if *lower {
                code.to_ascii_lowercase()
            } else {
                code.to_string()
            };
            let id = model.new_id();
            let exists = model.members.contains_key(code);
            let blank = name.trim().is_empty();
            match put_expect(store, member(id, &typed, name), !exists && !blank) {
                Ok(stored) => {
                    assert_eq!(stored.code, code);
                    model.members.insert(code.to_string(), stored);
                }
                // The record's own rules are checked before the store's.
                Err(e) if blank => assert_eq!(invalid_fields(&e), ["name"], "{e}"),
                Err(e) => assert_eq!(invalid_fields(&e), ["code"], "{e}"),
            }
        }
        Op::SetName { pick, name } => {
            let Some(mut m) = model.pick_member(*pick) else {
                return;
            };
            m.set_text("name", name).unwrap();
            let blank = name.trim().is_empty();
            match put_expect(store, m, !blank) {
                Ok(stored) => {
                    model.members.insert(stored.code.clone(), stored);
                }
                Err(e) => assert_eq!(invalid_fields(&e), ["name"]),
            }
        }
        Op::SetStatus { pick, status } => {
            let Some(mut m) = model.pick_member(*pick) else {
                return;
            };
            m.set_text("status", status.as_str()).unwrap();
            let stored = put_expect(store, m, true).unwrap();
            assert_eq!(stored.status, *status);
            assert_eq!(
                stored.status_history.last().map(|c| c.status),
                Some(*status)
            );
            model.members.insert(stored.code.clone(), stored);
        }
        Op::SetCity { pick, city } => {
            let Some(mut m) = model.pick_member(*pick) else {
                return;
            };
            m.set_text("city", city).unwrap();
            let stored = put_expect(store, m, true).unwrap();
            model.members.insert(stored.code.clone(), stored);
        }
        Op::RemoveMember { code } => {
            let code = CODES[*code];
            let result = store.remove::<Member>(&[&code.to_ascii_lowercase()]);
            match (model.members.get(code), model.has_indicators(code)) {
                (None, _) => assert!(
                    matches!(&result, Err(StoreError::NotFound { key, .. }) if key == code),
                    "{result:?}"
                ),
                (Some(_), true) => assert!(
                    matches!(&result, Err(StoreError::Referenced { key, by, .. })
                        if key == code && by.iter().any(|b| b.contains("indicator"))),
                    "{result:?}"
                ),
                (Some(m), false) => {
                    assert_eq!(&result.unwrap(), std::slice::from_ref(m));
                    model.members.remove(code);
                }
            }
        }
        Op::PutIndicator {
            code,
            year,
            turnover,
            fresh_id,
        } => {
            let code = CODES[*code];
            let key = format!("{code}/{year:04}");
            let existing = model.indicators.get(&key).map(|i| i.id);
            let id = match existing {
                Some(id) if !fresh_id => id,
                _ => model.new_id(),
            };
            let member_exists = model.members.contains_key(code);
            let duplicate = existing.is_some_and(|e| e != id);
            match put_expect(
                store,
                indicator(id, code, *year, *turnover),
                member_exists && !duplicate,
            ) {
                Ok(stored) => {
                    assert_eq!(stored.key(), key);
                    model.indicators.insert(key, stored);
                }
                Err(e) => {
                    let fields = invalid_fields(&e);
                    assert_eq!(
                        fields.contains(&"member".to_string()),
                        !member_exists,
                        "{e}"
                    );
                    // A duplicate names the whole key, as messages write it.
                    assert_eq!(
                        fields.contains(&"member/year".to_string()),
                        duplicate,
                        "{e}"
                    );
                }
            }
        }
        Op::RemoveIndicator { pick } => {
            let n = model.indicators.len();
            if n == 0 {
                let r = store.remove::<Indicator>(&["M0/2020"]);
                assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
                return;
            }
            let key = model.indicators.keys().nth(pick % n).unwrap().clone();
            // Keys are found however the year is written.
            let (code, year) = key.split_once('/').unwrap();
            let typed = format!(
                "{}:{}",
                code.to_ascii_lowercase(),
                year.trim_start_matches('0')
            );
            let removed = store.remove::<Indicator>(&[&typed]).unwrap();
            assert_eq!(removed, [model.indicators.remove(&key).unwrap()]);
        }
        Op::Reopen => unreachable!("reopening is done by the caller, which owns the store"),
    }
}

/// Every view of the store agrees with the model.
fn check(store: &Store, model: &Model) {
    let keys: Vec<String> = model.members.keys().cloned().collect();
    assert_eq!(store.keys::<Member>().unwrap(), keys);
    assert_eq!(store.count::<Member>(), model.members.len());

    let by_name = store.page::<Member>(Some("name"), 0, usize::MAX).unwrap();
    let mut expected: Vec<&Member> = model.members.values().collect();
    expected.sort_by(|a, b| {
        (sort_fold(&a.name), a.id.as_bytes()).cmp(&(sort_fold(&b.name), b.id.as_bytes()))
    });
    assert!(
        by_name
            .windows(2)
            .all(|w| sort_fold(&w[0].name) <= sort_fold(&w[1].name)),
        "not sorted by folded name: {:?}",
        by_name.iter().map(|m| &m.name).collect::<Vec<_>>()
    );
    assert_eq!(by_name.iter().collect::<Vec<_>>(), expected);

    // A page in the middle is the same slice of the same order.
    if by_name.len() >= 3 {
        assert_eq!(
            store.page::<Member>(Some("name"), 1, 2).unwrap(),
            by_name[1..3]
        );
    }
    let by_code = store.page::<Member>(None, 0, usize::MAX).unwrap();
    assert_eq!(by_code, model.members.values().cloned().collect::<Vec<_>>());

    for (code, m) in &model.members {
        assert_eq!(store.get::<Member>(code).unwrap().as_ref(), Some(m));
        assert_eq!(
            store
                .get::<Member>(&code.to_ascii_lowercase())
                .unwrap()
                .as_ref(),
            Some(m)
        );
        assert_eq!(store.get_by_id::<Member>(m.id).unwrap().as_ref(), Some(m));
    }
    for code in CODES.iter().filter(|c| !model.members.contains_key(**c)) {
        assert_eq!(store.get::<Member>(code).unwrap(), None);
        assert!(!store.contains::<Member>(code).unwrap());
    }

    let keys: Vec<String> = model.indicators.keys().cloned().collect();
    assert_eq!(store.keys::<Indicator>().unwrap(), keys);
    assert_eq!(store.count::<Indicator>(), model.indicators.len());
    let all = store.page::<Indicator>(None, 0, usize::MAX).unwrap();
    assert_eq!(all, model.indicators.values().cloned().collect::<Vec<_>>());
    for (key, i) in &model.indicators {
        assert_eq!(store.get::<Indicator>(key).unwrap().as_ref(), Some(i));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn store_agrees_with_a_model(ops in prop::collection::vec(op_strategy(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let mut store = reopen(&path);
        let mut model = Model::default();
        for op in &ops {
            if let Op::Reopen = op {
                // Close the handle first: sled locks the directory.
                drop(store);
                store = reopen(&path);
            } else {
                apply(&store, &mut model, op);
            }
            check(&store, &model);
        }
        drop(store);
        let store = reopen(&path);
        check(&store, &model);
    }
}

// ---------------------------------------------------------------- plain tests

fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    (dir, store)
}

#[test]
fn history_records_add_set_rm_with_before_and_after() {
    let (_dir, store) = open_temp();

    let mut batch = store.batch();
    let added = batch
        .put(member(Uuid::now_v7(), "lt1", "UAB Pirmas"))
        .unwrap();
    let add_id = batch.commit().unwrap().id;

    let mut changed = added.clone();
    changed.set_text("name", "UAB Antras").unwrap();
    let mut batch = store.batch();
    batch.put(changed).unwrap();
    let set_id = batch.commit().unwrap().id;

    let mut batch = store.batch();
    batch.remove::<Member>("LT1").unwrap();
    let rm_id = batch.commit().unwrap().id;

    let all = store.history().unwrap();
    assert_eq!(all.len(), 3);
    for e in &all {
        assert_eq!(e.who, store.user());
        assert_eq!(e.key, "LT1");
        assert_eq!(e.id, added.id);
        assert_eq!(e.collection, clusterdesk::model::Collection::Members);
    }

    let add = store.batch_history(add_id).unwrap();
    assert_eq!(add.len(), 1);
    assert_eq!(add[0].before, None);
    let after = add[0].after.as_ref().unwrap();
    assert_eq!(after["code"], "LT1");
    assert_eq!(after["name"], "UAB Pirmas");

    let set = store.batch_history(set_id).unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].before.as_ref().unwrap()["name"], "UAB Pirmas");
    assert_eq!(set[0].after.as_ref().unwrap()["name"], "UAB Antras");

    let rm = store.batch_history(rm_id).unwrap();
    assert_eq!(rm.len(), 1);
    assert_eq!(rm[0].before.as_ref().unwrap()["name"], "UAB Antras");
    assert_eq!(rm[0].after, None);
    assert!(store.get::<Member>("LT1").unwrap().is_none());

    // Another author is named in what it changes.
    let mut store = store;
    store.set_user("ona");
    store
        .put(member(Uuid::now_v7(), "LT2", "UAB Trečias"))
        .unwrap();
    let last = store
        .history()
        .unwrap()
        .into_iter()
        .find(|e| e.key == "LT2")
        .unwrap();
    assert_eq!(last.who, "ona");
}

#[test]
fn a_put_that_changes_nothing_writes_no_history() {
    let (_dir, store) = open_temp();
    let m = store
        .put(member(Uuid::now_v7(), "LT1", "UAB Pirmas"))
        .unwrap();
    let before = store.history().unwrap().len();
    store.put(m.clone()).unwrap();
    assert_eq!(store.history().unwrap().len(), before);
}

#[test]
fn one_batch_shares_one_id() {
    let (_dir, store) = open_temp();
    let mut batch = store.batch();
    let id = batch.id().unwrap();
    for (code, name) in [("LT1", "Alfa"), ("LT2", "Beta"), ("LT3", "Gama")] {
        batch.put(member(Uuid::now_v7(), code, name)).unwrap();
    }
    batch
        .put(indicator(Uuid::now_v7(), "LT2", 2023, Some(5)))
        .unwrap();
    assert_eq!(batch.len(), 4);
    let summary = batch.commit().unwrap();
    assert_eq!(summary.id, id);
    assert_eq!(
        (summary.created, summary.updated, summary.removed),
        (4, 0, 0)
    );

    let entries = store.batch_history(id).unwrap();
    assert_eq!(entries.len(), 4);
    assert!(
        entries
            .iter()
            .all(|e| e.batch == id && e.who == store.user())
    );
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    assert_eq!(
        entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
        ["LT1", "LT2", "LT3", "LT2/2023"]
    );
    assert_eq!(store.history().unwrap(), entries);
}

#[test]
fn a_batch_dropped_before_commit_writes_nothing() {
    let (_dir, store) = open_temp();
    let mut batch = store.batch();
    batch.put(member(Uuid::now_v7(), "LT1", "Alfa")).unwrap();
    drop(batch);
    assert_eq!(store.count::<Member>(), 0);
    assert!(store.history().unwrap().is_empty());
}

#[test]
fn duplicate_key_is_refused_and_nothing_written() {
    let (_dir, store) = open_temp();
    store
        .put(member(Uuid::now_v7(), "LT1", "Originalas"))
        .unwrap();
    let history = store.history().unwrap().len();

    let e = store
        .put(member(Uuid::now_v7(), "lt1", "Kopija"))
        .unwrap_err();
    assert_eq!(invalid_fields(&e), ["code"], "{e}");
    assert_eq!(e.exit_code(), 65);

    assert_eq!(store.history().unwrap().len(), history);
    assert_eq!(store.count::<Member>(), 1);
    assert_eq!(
        store.get::<Member>("LT1").unwrap().unwrap().name,
        "Originalas"
    );
    assert_eq!(store.page::<Member>(Some("name"), 0, 10).unwrap().len(), 1);

    // Within one batch too, and the whole batch is refused with it.
    let mut batch = store.batch();
    batch.put(member(Uuid::now_v7(), "LT2", "Antras")).unwrap();
    let e = batch
        .put(member(Uuid::now_v7(), "lt2", "Antras vėl"))
        .unwrap_err();
    assert_eq!(invalid_fields(&e), ["code"], "{e}");
}

#[test]
fn a_member_code_cannot_change() {
    let (_dir, store) = open_temp();
    let mut m = store.put(member(Uuid::now_v7(), "LT1", "Alfa")).unwrap();
    m.set_text("code", "LT9").unwrap();
    let e = store.put(m).unwrap_err();
    assert_eq!(invalid_fields(&e), ["code"], "{e}");
    assert_eq!(store.keys::<Member>().unwrap(), ["LT1"]);
}

#[test]
fn unknown_member_references_are_refused() {
    let (_dir, store) = open_temp();
    store.put(member(Uuid::now_v7(), "LT1", "Alfa")).unwrap();
    let history = store.history().unwrap().len();

    let mut mt = Meeting::empty(Uuid::now_v7());
    mt.set_text("title", "Valdybos posėdis").unwrap();
    mt.set_text("date", "2024-03-05").unwrap();
    mt.set_text("kind", "board").unwrap();
    mt.set_text("attendees", "lt1, NOPE").unwrap();
    let e = store.put(mt.clone()).unwrap_err();
    assert_eq!(invalid_fields(&e), ["attendees"], "{e}");
    assert!(e.to_string().contains("NOPE"), "{e}");
    assert_eq!(store.count::<Meeting>(), 0);
    assert_eq!(store.history().unwrap().len(), history);

    let e = store
        .put(indicator(Uuid::now_v7(), "NOPE", 2023, None))
        .unwrap_err();
    assert_eq!(invalid_fields(&e), ["member"], "{e}");

    mt.set_text("attendees", "lt1").unwrap();
    let stored = store.put(mt).unwrap();
    assert_eq!(stored.attendees, ["LT1"]);
    assert_eq!(stored.slug, "2024-03-05-valdybos-posedis");
    assert_eq!(
        store.get::<Meeting>("2024-03-05-valdybos-posedis").unwrap(),
        Some(stored)
    );

    // Now the member is referred to by the meeting.
    let e = store.remove::<Member>(&["LT1"]).unwrap_err();
    assert!(
        matches!(&e, StoreError::Referenced { by, .. } if by == &["1 meeting"]),
        "{e:?}"
    );
}

#[test]
fn a_member_with_indicators_cannot_be_removed() {
    let (_dir, store) = open_temp();
    store.put(member(Uuid::now_v7(), "LT1", "Alfa")).unwrap();
    store
        .put(indicator(Uuid::now_v7(), "LT1", 2022, Some(1)))
        .unwrap();
    store
        .put(indicator(Uuid::now_v7(), "LT1", 2023, Some(2)))
        .unwrap();
    let history = store.history().unwrap().len();

    let e = store.remove::<Member>(&["LT1"]).unwrap_err();
    match &e {
        StoreError::Referenced { key, by, .. } => {
            assert_eq!(key, "LT1");
            assert_eq!(by, &["2 indicators"]);
        }
        other => panic!("expected Referenced, got {other:?}"),
    }
    assert_eq!(store.history().unwrap().len(), history);
    assert!(store.contains::<Member>("LT1").unwrap());

    // Removing the indicators in the same batch first makes it possible.
    let mut batch = store.batch();
    batch.remove::<Indicator>("LT1/2022").unwrap();
    batch.remove::<Indicator>("lt1:2023").unwrap();
    batch.remove::<Member>("lt1").unwrap();
    let summary = batch.commit().unwrap();
    assert_eq!(summary.removed, 3);
    assert_eq!(store.count::<Member>() + store.count::<Indicator>(), 0);
}

#[test]
fn reopening_keeps_the_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let m = {
        let store = reopen(&path);
        assert_eq!(store.schema_version().unwrap(), 1);
        let m = store.put(member(Uuid::now_v7(), "LT1", "Šilas")).unwrap();
        store
            .put(indicator(Uuid::now_v7(), "LT1", 2023, Some(7)))
            .unwrap();
        m
    };
    let store = reopen(&path);
    assert_eq!(store.schema_version().unwrap(), 1);
    assert_eq!(store.path(), path);
    assert_eq!(store.get::<Member>("lt1").unwrap(), Some(m.clone()));
    assert_eq!(store.page::<Member>(Some("name"), 0, 10).unwrap(), [m]);
    assert_eq!(store.keys::<Indicator>().unwrap(), ["LT1/2023"]);
    assert_eq!(store.history().unwrap().len(), 2);
}

#[test]
fn a_store_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let db = sled::Config::new()
            .path(&path)
            .flush_every_ms(None)
            .open()
            .unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert("schema_version", &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    // Twice: the refusal leaves the store as it found it.
    for _ in 0..2 {
        match open_when_free(&path) {
            Err(StoreError::NewerSchema {
                found, supported, ..
            }) => {
                assert_eq!((found, supported), (99, 1));
            }
            Err(other) => panic!("expected NewerSchema, got {other}"),
            Ok(_) => panic!("a schema 99 store was opened"),
        }
    }
}

#[test]
fn opening_a_regular_file_is_an_open_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-store");
    std::fs::write(&path, "members,news\n").unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::Open { .. }) => {
            assert_eq!(e.exit_code(), 1);
            assert!(e.to_string().contains("not-a-store"), "{e}");
        }
        Err(other) => panic!("expected Open, got {other:?}"),
        Ok(_) => panic!("a regular file was opened as a store"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "members,news\n");
}

#[test]
fn an_unknown_sort_is_refused_naming_the_kept_ones() {
    let (_dir, store) = open_temp();
    let e = store.page::<Member>(Some("city"), 0, 10).unwrap_err();
    assert_eq!(invalid_fields(&e), ["sort"]);
    assert!(e.to_string().contains("code, name, joined"), "{e}");
}
