//! The `:` line, read into a registry command (`registry.rs`), and the
//! commands that only a `:` line gives words to: `:filter`, `:sort`, `:set`.

use super::action::{Action, Mode};
use super::app::{App, Effect};
use super::registry::Call;
use super::rows;
use super::workspace::TAB_COLLECTIONS;
use crate::ops::change as ops;

/// The forms of a `:` line that are not a command's name, for help.
pub fn special_forms() -> Vec<(String, &'static str)> {
    let tabs: Vec<String> = TAB_COLLECTIONS.iter().map(|c| format!(":{c}")).collect();
    vec![
        (":N".to_string(), "Go to record N"),
        (tabs.join(" "), "Go to a tab"),
    ]
}

impl App {
    /// Runs a `:` line: a registry command by one of its `:` names, with
    /// the rest of the line as its arguments; `:N` goes to record N and a
    /// tab's collection name (`:members`) to its tab.
    pub fn run_command(&mut self, line: &str) {
        let line = line.trim();
        let (name, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        if name.is_empty() {
        } else if let Some(action) = Action::by_alias(name) {
            self.run_call(
                action,
                &Call {
                    count: None,
                    args: rest,
                },
            );
        } else if name.chars().all(|c| c.is_ascii_digit()) {
            let n: usize = name.parse().unwrap_or(1);
            self.run_action(Action::MoveTop, Some(n));
        } else if TAB_COLLECTIONS.iter().any(|c| c.as_str() == name) {
            self.run_call(
                Action::GotoTab,
                &Call {
                    count: None,
                    args: name,
                },
            );
        } else {
            self.error(format!(
                "unknown command :{} (:help lists commands and keys)",
                crate::model::text::sanitize_for_message(name)
            ));
        }
        // A command run from visual mode ends it, as in vim, in every window.
        if self.mode != Mode::Visual {
            self.normal();
        }
    }

    /// `:filter status=active sector=ict`; `:filter` alone clears.
    pub(super) fn filter(&mut self, rest: &str) {
        let collection = self.workspace.focused().collection();
        let columns = rows::columns(collection);
        let mut filters = Vec::new();
        for part in rest.split_whitespace() {
            let Some((field, value)) = part.split_once('=') else {
                self.error(format!("filter {part:?} is not FIELD=VALUE"));
                return;
            };
            if !columns.contains(&field) {
                self.error(format!(
                    "can filter {collection} on: {}",
                    columns.join(", ")
                ));
                return;
            }
            filters.push((field.to_string(), value.to_string()));
        }
        let w = self.workspace.focused_mut();
        w.list.filters = filters;
        w.list.sync_filters(&self.catalog, &mut self.searcher);
        let n = w.list.len();
        self.sync_focused();
        self.info(if rest.is_empty() {
            "filter cleared".to_string()
        } else {
            format!("{n} {collection} where {rest}")
        });
    }

    /// `:sort name|joined|code` (`-name` for descending).
    pub(super) fn sort(&mut self, rest: &str) {
        let collection = self.workspace.focused().collection();
        let columns = rows::columns(collection);
        let (field, descending) = match rest.strip_prefix('-') {
            Some(f) => (f, true),
            None => (rest, false),
        };
        if !columns.contains(&field) {
            self.error(format!("can sort {collection} by: {}", columns.join(", ")));
            return;
        }
        let w = self.workspace.focused_mut();
        w.list.sort = field.to_string();
        w.list.descending = descending;
        w.list.resort(&self.catalog, &mut self.searcher);
        self.sync_focused();
        self.info(format!("sorted by {rest}"));
    }

    /// `:set F=V ...` on the selection (or the record under the cursor),
    /// every field in one batch; `:set mouse` / `:set nomouse`.
    pub(super) fn set(&mut self, rest: &str) {
        let visual = self.mode == Mode::Visual || self.workspace.focused().list.anchor.is_some();
        match rest {
            "mouse" => {
                self.mouse = true;
                self.effects.push(Effect::Mouse(true));
                return;
            }
            "nomouse" => {
                self.mouse = false;
                self.effects.push(Effect::Mouse(false));
                return;
            }
            _ => {}
        }
        // A refused :set keeps the selection, so it can be tried again.
        if visual {
            self.mode = Mode::Visual;
        }
        let w = self.workspace.focused();
        let collection = w.collection();
        let fields: Vec<&str> = collection.fields().iter().map(|f| f.name).collect();
        let assignments = match assignments(rest, &fields) {
            Ok(a) => a,
            Err(e) => {
                self.error(e);
                return;
            }
        };
        let range = if visual {
            w.list.selection(1)
        } else {
            w.list.cursor..w.list.cursor + 1
        };
        let ids = w.list.ids_in(&self.catalog, range);
        if ids.is_empty() {
            self.error("no record to set");
            return;
        }
        let named: Vec<&str> = assignments.iter().map(|(f, _)| f.as_str()).collect();
        match ops::set_fields(&self.store, collection, &ids, &assignments) {
            Ok(batch) => {
                let changed = batch.is_some();
                self.record_batch(batch);
                self.normal();
                let touched: Vec<_> = ids.iter().map(|&id| (collection, id)).collect();
                self.after_change(&touched);
                if changed {
                    let what = if ids.len() == 1 {
                        collection.singular()
                    } else {
                        collection.as_str()
                    };
                    self.info(format!(
                        "set {} on {} {what} ({} undoes)",
                        named.join(", "),
                        ids.len(),
                        self.hint(Mode::Normal, Action::Undo)
                    ));
                } else {
                    self.info("no change");
                }
            }
            Err(e) => self.report(&e),
        }
    }
}

/// `F=V ...` read into pairs. A word `NAME=...` whose NAME is one of
/// `fields` starts a pair; any other word belongs to the value before it,
/// so `name=UAB Šviesa city=Kaunas` is two pairs and `notes=a=b` one.
pub fn assignments(rest: &str, fields: &[&str]) -> Result<Vec<(String, String)>, String> {
    let usage = || {
        "usage: :set FIELD=VALUE ... (on the selection or the record under the cursor), :set mouse"
            .to_string()
    };
    let starts_pair = |word: &str| {
        word.split_once('=')
            .is_some_and(|(name, _)| fields.contains(&name))
    };
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            let word = rest[i..].split(char::is_whitespace).next().unwrap_or("");
            if starts_pair(word) {
                starts.push(i);
            }
        }
    }
    let first_word = rest.split_whitespace().next();
    match (first_word, starts.first()) {
        (None, _) => return Err(usage()),
        (Some(word), start) if start != Some(&(rest.len() - rest.trim_start().len())) => {
            return Err(match word.split_once('=') {
                Some((name, _)) => format!(
                    "no field {} here (fields: {})",
                    crate::model::text::sanitize_for_message(name),
                    fields.join(", ")
                ),
                None => usage(),
            });
        }
        _ => {}
    }
    let ends = starts.iter().skip(1).copied().chain([rest.len()]);
    Ok(starts
        .iter()
        .zip(ends)
        .filter_map(|(&from, to)| {
            let (name, value) = rest[from..to].split_once('=')?;
            Some((name.to_string(), value.trim().to_string()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::assignments;

    const FIELDS: &[&str] = &["name", "city", "notes"];

    fn pairs(rest: &str) -> Vec<(String, String)> {
        assignments(rest, FIELDS).expect("reads")
    }

    #[test]
    fn several_fields_with_spaces_in_values() {
        assert_eq!(
            pairs("name=UAB Šviesa  city=Kaunas"),
            [
                ("name".to_string(), "UAB Šviesa".to_string()),
                ("city".to_string(), "Kaunas".to_string())
            ]
        );
        assert_eq!(pairs("notes=a=b x=y"), [("notes".into(), "a=b x=y".into())]);
        assert_eq!(pairs(" city="), [("city".into(), String::new())]);
    }

    #[test]
    fn an_unknown_first_field_or_no_pair_is_refused() {
        let e = assignments("phone=1 city=X", FIELDS).expect_err("refused");
        assert!(e.contains("no field phone"), "{e}");
        assert!(assignments("Kaunas", FIELDS).is_err_and(|e| e.starts_with("usage")));
        assert!(assignments("", FIELDS).is_err());
    }
}
