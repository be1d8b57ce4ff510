//! Unix users and a group made for the tests that need more than one user
//! (root only; `.ci/run` runs as root). Included with `#[path]`.
#![allow(dead_code)]

use std::process::Command;

pub const GROUP: &str = "cdshare";
pub const ALLOWED: &str = "cdtest_ona";
pub const REFUSED: &str = "cdtest_petras";
/// A second allowed user, for tests that need two.
pub const OTHER: &str = "cdtest_jonas";

fn exists(db: &str, name: &str) -> bool {
    Command::new("getent")
        .args([db, name])
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn ensure_users() {
    if !exists("group", GROUP) {
        let out = Command::new("groupadd")
            .arg(GROUP)
            .output()
            .expect("groupadd");
        assert!(out.status.success() || exists("group", GROUP), "{out:?}");
    }
    for user in [ALLOWED, REFUSED, OTHER] {
        if !exists("passwd", user) {
            let out = Command::new("useradd")
                .args(["-M", "-G", GROUP, "-s", "/bin/sh", user])
                .output()
                .expect("useradd");
            // Another test run may have made it meanwhile.
            assert!(out.status.success() || exists("passwd", user), "{out:?}");
        }
    }
}
