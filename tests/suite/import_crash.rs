//! A crash at any moment of an import leaves all of it or none of it: an
//! import process is killed with SIGKILL at moments spread over its run, 20
//! times, and the store, opened again (which rolls back an unfinished
//! import), must hold every row or none, with its indexes agreeing.

use crate::fixtures::records::members_csv;
use crate::fixtures::start_import;
use crate::fixtures::store as shared;

use std::path::Path;

use shared::open_after_crash;
use std::process::Stdio;
use std::time::Instant;

use clusterdesk::model::Member;

/// Several chunks' worth (1,000 records each), so the chunked, pending-marked path runs.
const ROWS: usize = 6_000;

fn write_csv(path: &Path) {
    members_csv(path, ROWS);
}

fn import(store: &Path, csv: &Path) -> std::process::Child {
    start_import(store, csv, Stdio::null())
}

#[test]
fn an_import_killed_at_any_moment_is_all_or_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("members.csv");
    write_csv(&csv);

    // How long a whole import takes here, to spread the kills over it.
    let probe = dir.path().join("probe");
    let started = Instant::now();
    let status = import(&probe, &csv).wait().expect("the probe import runs");
    assert!(status.success(), "the probe import succeeds");
    let whole = started.elapsed();
    assert_eq!(open_after_crash(&probe).count::<Member>(), ROWS);

    let mut outcomes = (0, 0);
    for run in 0..20u32 {
        let store = dir.path().join(format!("s{run}"));
        let mut child = import(&store, &csv);
        // From the very start to well past the end (a run may be slower
        // than the probe).
        std::thread::sleep(whole.mul_f64(f64::from(run) / 14.0));
        let _ = child.kill();
        let _ = child.wait();

        let opened = open_after_crash(&store);
        let members = opened.count::<Member>();
        let records = opened.all::<Member>().count();
        assert!(
            members == 0 || members == ROWS,
            "run {run}: {members} of {ROWS} members after a kill"
        );
        assert_eq!(records, members, "run {run}: records and key index agree");
        let by_name = opened
            .page::<Member>(Some("name"), 0, usize::MAX)
            .expect("the name index reads")
            .len();
        assert_eq!(by_name, members, "run {run}: name index agrees");
        if members == 0 {
            outcomes.0 += 1;
            assert!(
                opened.history().expect("history reads").is_empty(),
                "run {run}: a rolled-back import leaves no history"
            );
        } else {
            outcomes.1 += 1;
        }
    }
    // Some kills must land before the end and some after, or the test
    // proves little; print the split for the record.
    println!(
        "after 20 kills: {} with nothing, {} with everything",
        outcomes.0, outcomes.1
    );
}
