//! `:` commands.

use ratatui::layout::Direction;

use super::action::{Action, Mode};
use super::app::{App, Effect};
use super::ops;
use super::rows;
use crate::model::Collection;

impl App {
    pub fn run_command(&mut self, line: &str) {
        let line = line.trim();
        let (name, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        let visual = self.mode == Mode::Visual || self.workspace.focused().list.anchor.is_some();
        match name {
            "" => {}
            "w" | "write" => {
                if !self.workspace.focused().detail.draft {
                    self.info("nothing to write: every change is stored as it is made");
                } else {
                    self.write();
                }
            }
            "e!" | "edit!" => self.drop_draft(),
            "q" | "quit" | "qa" => self.quit(false),
            "q!" | "quit!" | "qa!" => self.quit(true),
            "wq" | "x" | "xit" => self.run_action(Action::WriteQuit, None),
            "h" | "help" => self.help = Some(0),
            "vs" | "vsplit" | "vnew" => self.split_command(Direction::Horizontal, rest),
            "sp" | "split" | "new" => self.split_command(Direction::Vertical, rest),
            "members" | "news" | "meetings" => {
                if let Some(c) = Collection::parse(name) {
                    self.workspace.goto_tab(c);
                    self.sync_focused();
                }
            }
            "tabn" | "tabnext" => self.run_action(Action::NextTab, None),
            "tabp" | "tabprevious" => self.run_action(Action::PrevTab, None),
            "filter" => self.filter(rest),
            "sort" => self.sort(rest),
            "noh" | "nohl" | "nohlsearch" => {
                let w = self.workspace.focused_mut();
                w.list.set_query(&self.catalog, &mut self.searcher, "");
                self.sync_focused();
            }
            "set" | "se" => self.set(rest, visual),
            "undo" | "u" => self.run_action(Action::Undo, None),
            "redo" | "red" => self.run_action(Action::Redo, None),
            _ if name.chars().all(|c| c.is_ascii_digit()) => {
                let n: usize = name.parse().unwrap_or(1);
                self.run_action(Action::MoveTop, Some(n));
            }
            _ => self.error(format!(
                "unknown command :{} (:help lists commands and keys)",
                crate::model::text::sanitize_for_message(name)
            )),
        }
        // A command run from visual mode ends it, as in vim, in every window.
        if self.mode != Mode::Visual {
            self.normal();
        }
    }

    /// `:e!`: drops the new record being filled in (vim's "discard changes").
    fn drop_draft(&mut self) {
        let w = self.workspace.focused_mut();
        if !w.detail.draft {
            self.info("nothing to drop: every change is stored as it is made");
            return;
        }
        w.detail.draft = false;
        w.detail.record = None;
        w.detail.editor = None;
        w.focus = super::window::Focus::List;
        self.mode = Mode::Normal;
        self.sync_focused();
        self.info("new record dropped");
    }

    fn split_command(&mut self, direction: Direction, rest: &str) {
        if rest.is_empty() {
            self.split(direction, None);
            return;
        }
        match Collection::parse(rest) {
            Some(c) => self.split(direction, Some(c)),
            None => self.error(format!(
                "no collection \"{}\" ({})",
                crate::model::text::sanitize_for_message(rest),
                Collection::names()
            )),
        }
    }

    /// `:filter status=active sector=ict`; `:filter` alone clears.
    fn filter(&mut self, rest: &str) {
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
    fn sort(&mut self, rest: &str) {
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

    /// `:set FIELD=VALUE` on the selection (or the record under the cursor),
    /// as one batch; `:set mouse` / `:set nomouse`.
    fn set(&mut self, rest: &str, visual: bool) {
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
        let Some((field, value)) = rest.split_once('=') else {
            self.error("usage: :set FIELD=VALUE (on the selection or the record under the cursor), :set mouse");
            return;
        };
        let w = self.workspace.focused();
        let collection = w.collection();
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
        match ops::set_field(&self.store, collection, &ids, field.trim(), value.trim()) {
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
                        field.trim(),
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
