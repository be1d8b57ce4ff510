//! One Store API over two backends (issue 10): the same calls on a store
//! held in this process and on one reached through its server give the
//! same answers, errors included, so no caller needs to know which it has.

use std::path::Path;

use clusterdesk::model::{Indicator, Member, NewsItem, Record};
use clusterdesk::store::Store;
use uuid::Uuid;

use crate::fixtures::records::{member_with_id, record, record_with_id};
use crate::fixtures::{BIN, server};

/// What a caller sees of a fixed series of calls, as text, with the store's
/// path written `STORE` (the two stores live in different directories).
fn observe(store: &Store, path: &Path) -> Vec<String> {
    let shown = |text: String| text.replace(&path.display().to_string(), "STORE");
    let mut seen = Vec::new();
    let mut note = |what: &str, text: String| seen.push(format!("{what}: {}", shown(text)));

    let a = member_with_id(Uuid::from_u128(1), "LT1", "UAB Šviesa");
    let b = member_with_id(Uuid::from_u128(2), "LT2", "AB Alfa");
    note(
        "put a",
        format!("{:?}", store.put(a.clone()).map(|m| m.key())),
    );
    note("put b", format!("{:?}", store.put(b).map(|m| m.key())));
    let again = member_with_id(Uuid::from_u128(3), "LT1", "Kita");
    note(
        "a key twice",
        format!("{:?}", store.put(again).map(|m| m.key())),
    );
    let indicator: Indicator = record_with_id(
        Uuid::from_u128(4),
        &[
            ("member", "LT1"),
            ("year", "2021"),
            ("turnover_eur", "1000"),
        ],
    );
    note(
        "indicator",
        format!("{:?}", store.put(indicator).map(|i| i.key())),
    );
    let orphan: Indicator = record(&[("member", "LT9"), ("year", "2021")]);
    note(
        "orphan",
        format!("{:?}", store.put(orphan).map(|i| i.key())),
    );
    let news: NewsItem = record(&[("title", "Naujas narys"), ("lang", "lt")]);
    note(
        "derived slug",
        format!("{:?}", store.put(news).map(|n| n.key())),
    );

    note(
        "get",
        format!(
            "{:?}",
            store.get::<Member>("lt1").map(|m| m.map(|m| m.name))
        ),
    );
    note(
        "require",
        format!("{:?}", store.require::<Member>("LT7").map(|m| m.key())),
    );
    note("keys", format!("{:?}", store.keys::<Member>()));
    note("count", store.count::<Member>().to_string());
    let by_name = store.page::<Member>(Some("name"), 0, 10);
    note(
        "by name",
        format!(
            "{:?}",
            by_name.map(|p| p.iter().map(Record::key).collect::<Vec<_>>())
        ),
    );
    note(
        "remove named",
        format!("{:?}", store.remove::<Member>(&["LT1"]).map(|r| r.len())),
    );

    // A save over a record changed since it was read is a conflict.
    let mut mine = a.clone();
    mine.set_text("city", "Kaunas").expect("city");
    let mut theirs = a.clone();
    theirs.set_text("city", "Vilnius").expect("city");
    note(
        "their save",
        format!("{:?}", store.put(theirs).map(|m| m.city)),
    );
    let conflict = store.put_if(mine, &a).map(|m| m.city);
    note(
        "conflict",
        format!("{:?}", conflict.map_err(|e| e.to_string())),
    );

    let mut batch = store.batch();
    let c = member_with_id(Uuid::from_u128(5), "LT3", "UAB Trečias");
    let put = batch.put(c).map(|m| m.key());
    note("batch put", format!("{put:?}"));
    let removed = batch.remove::<Member>("LT2").map(|m| m.key());
    note("batch remove", format!("{removed:?}"));
    let summary = batch.commit();
    let counts = summary.as_ref().map(|s| (s.created, s.updated, s.removed));
    note("commit", format!("{counts:?}"));
    if let Ok(summary) = summary {
        let undone = store
            .undo_batch(summary.id)
            .map(|s| (s.created, s.updated, s.removed));
        note("undo", format!("{undone:?}"));
    }
    note("keys after undo", format!("{:?}", store.keys::<Member>()));
    let history: Vec<String> = store
        .history()
        .map(|h| {
            h.iter()
                .map(|e| format!("{} {}", e.collection, e.key))
                .collect()
        })
        .unwrap_or_default();
    note("history", format!("{history:?}"));
    seen
}

#[test]
fn a_served_store_answers_as_an_embedded_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let here = dir.path().join("here");
    let embedded = Store::open_local(&here).expect("opens");
    let embedded_seen = observe(&embedded, &here);
    drop(embedded);

    let there = dir.path().join("there");
    let mut serving = server::start(BIN, &there, None);
    let served = Store::connect_socket(&there.join("clusterdesk.sock")).expect("connects");
    assert!(served.reads_are_round_trips(), "through the server");
    let served_seen = observe(&served, &there);
    drop(served);
    let _ = serving.kill();
    let _ = serving.wait();

    assert_eq!(embedded_seen, served_seen);
    // And the series did what it says (not two backends agreeing on nothing).
    let find = |what: &str| {
        embedded_seen
            .iter()
            .find(|l| l.starts_with(what))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        find("a key twice").contains("already exists"),
        "{}",
        find("a key twice")
    );
    assert!(
        find("orphan").contains("no member with code LT9"),
        "{}",
        find("orphan")
    );
    assert!(
        find("derived slug").contains("naujas-narys"),
        "{}",
        find("derived slug")
    );
    assert!(
        find("remove named").contains("Referenced"),
        "{}",
        find("remove named")
    );
    assert!(find("conflict").contains("changed"), "{}", find("conflict"));
    assert_eq!(
        find("keys after undo"),
        "keys after undo: Ok([\"LT1\", \"LT2\"])"
    );
}
