//! Every integration test in one binary: the crate is linked once, and the
//! helpers in `fixtures` are written once. Each module is one area; run one
//! with `cargo test --test suite AREA::` (e.g. `cargo test --test suite
//! tui_replay::`).

mod fixtures;

mod backends;
mod cli;
mod cli_edit;
mod codec_golden;
mod disk_full;
mod dump_load;
mod hostile_input;
mod hostile_messages;
mod import_cli;
mod import_crash;
mod import_read;
mod keymap;
mod keymap_limits;
mod model_rules;
mod protocol_prop;
mod roundtrip_prop;
mod sharing;
mod sharing_e2e;
mod store_model;
mod tui_conflict;
mod tui_e2e;
mod tui_hostile;
mod tui_pty;
mod tui_registry;
mod tui_replay;
mod tui_snapshots;
