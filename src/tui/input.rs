//! Terminal events in: keys become actions through the keymap (with counts
//! and pending sequences), typed text goes to the open field or prompt, a
//! paste is text and never keys.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, MouseEventKind};
use ratatui_textarea::TextArea;

use super::action::Mode;
use super::app::{App, Prompt, PromptKind};
use super::keymap::{Key, Lookup};
use crate::model::text::Lines;

impl App {
    pub fn handle_event(&mut self, event: Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Paste(text) => self.handle_paste(&text),
            Event::Resize(w, h) => self.resize(w, h),
            // The wheel runs what the layer's keymap binds `<ScrollDown>` and
            // `<ScrollUp>` to (nothing in a text mode: never away from an edit).
            Event::Mouse(m) if self.mouse => {
                let key = match m.kind {
                    MouseEventKind::ScrollDown => Key::WHEEL_DOWN,
                    MouseEventKind::ScrollUp => Key::WHEEL_UP,
                    _ => return,
                };
                if let Lookup::Matched(action) = self.keymap.lookup(self.layer(), &[key]) {
                    self.run_action(action, None);
                }
            }
            _ => {}
        }
    }

    pub fn handle_key(&mut self, event: KeyEvent) {
        // Esc then a letter typed quickly (or sent together by tmux) reads
        // as Alt+letter. Unless Alt+letter is bound, it is what it was.
        if let Some((esc, rest)) = split_meta(&event)
            && self.keymap.lookup(self.mode, &[Key::from_event(&event)]) == Lookup::NotFound
            && self.keys.pending.is_empty()
        {
            self.handle_key(esc);
            self.handle_key(rest);
            return;
        }
        let key = Key::from_event(&event);
        if matches!(self.layer(), Mode::Help | Mode::Conflict) {
            self.overlay_key(key);
            return;
        }
        let counting =
            matches!(self.mode, Mode::Normal | Mode::Visual) && self.keys.pending.is_empty();
        if counting
            && let Some(digit) = digit_of(&key)
            && (digit != 0 || self.keys.count.is_some())
        {
            let count = self.keys.count.unwrap_or(0);
            self.keys.count = Some(count.saturating_mul(10).saturating_add(digit).min(99_999));
            return;
        }
        // Esc abandons a half-typed sequence, silently, as in vim (a count
        // alone goes to what Esc is bound to, which drops it).
        if event.code == KeyCode::Esc
            && !self.keys.pending.is_empty()
            && matches!(self.mode, Mode::Normal | Mode::Visual)
        {
            self.keys.pending.clear();
            self.keys.count = None;
            return;
        }
        self.keys.pending.push(key);
        match self.keymap.lookup(self.mode, &self.keys.pending) {
            Lookup::Pending => {}
            Lookup::Matched(action) => {
                self.keys.pending.clear();
                let count = self.keys.count.take();
                self.message = None;
                self.run_action(action, count);
            }
            Lookup::NotFound => {
                let pending = std::mem::take(&mut self.keys.pending);
                self.keys.count = None;
                match self.mode {
                    Mode::Insert | Mode::Command | Mode::Search if pending.len() == 1 => {
                        self.type_into(event);
                    }
                    Mode::Insert | Mode::Command | Mode::Search => {}
                    _ => {
                        let keys: Vec<String> = pending.iter().map(ToString::to_string).collect();
                        self.error(format!(
                            "{} is not mapped (F1 or :help lists the keys)",
                            keys.join("")
                        ));
                    }
                }
            }
        }
    }

    /// The keymap section that keys go to now: the help or a conflict
    /// while one is shown, else the mode's.
    pub fn layer(&self) -> Mode {
        if self.help.is_some() {
            Mode::Help
        } else if self.conflict().is_some() {
            Mode::Conflict
        } else {
            self.mode
        }
    }

    /// A key while the help or a conflict is shown: what the section binds
    /// it to; any other key closes the help and is ignored by a conflict.
    fn overlay_key(&mut self, key: Key) {
        match self.keymap.lookup(self.layer(), &[key]) {
            Lookup::Matched(action) => self.run_action(action, None),
            // These sections bind single keys (the keymap parser sees to
            // it), so nothing is ever pending here.
            Lookup::Pending | Lookup::NotFound if self.help.is_some() => self.close_help(),
            Lookup::Pending | Lookup::NotFound => {}
        }
    }

    /// A key that is not bound in a text mode edits the text.
    fn type_into(&mut self, event: KeyEvent) {
        match self.mode {
            Mode::Insert => {
                if let Some(editor) = self.workspace.focused_mut().detail.editor_mut() {
                    editor.text.input(event);
                }
            }
            Mode::Command | Mode::Search => {
                let Some(prompt) = self.prompt.as_mut() else {
                    return;
                };
                prompt.text.input(event);
                if let PromptKind::Search { .. } = prompt.kind {
                    let query = prompt.value();
                    self.search_typed(&query);
                }
            }
            _ => {}
        }
    }

    /// Bracketed paste: text for a field or prompt, never keys to run.
    fn handle_paste(&mut self, text: &str) {
        match self.mode {
            Mode::Insert => {
                let w = self.workspace.focused_mut();
                if let Some(editor) = w.detail.editor_mut() {
                    editor.text.insert_str(pasted(text, editor.multiline));
                }
            }
            Mode::Command | Mode::Search => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.text.insert_str(pasted(text, false));
                    if let PromptKind::Search { .. } = prompt.kind {
                        let query = prompt.value();
                        self.search_typed(&query);
                    }
                }
            }
            Mode::Normal | Mode::Visual | Mode::Help | Mode::Conflict => {
                self.error(
                    "paste ignored: open a field first (i), pasted text is never run as keys",
                );
            }
        }
    }

    pub fn open_prompt(&mut self, kind: PromptKind) {
        let list = &self.workspace.focused().list;
        let previous_query = list.query.clone();
        let previous_record = list.selected_id(&self.catalog);
        let mut text = TextArea::default();
        text.set_cursor_line_style(ratatui::style::Style::default());
        self.prompt = Some(Prompt {
            kind,
            text,
            previous_query,
            previous_record,
        });
        self.mode = match kind {
            PromptKind::Command => Mode::Command,
            PromptKind::Search { .. } => Mode::Search,
        };
    }

    /// The search text changed: narrow the focused list at once.
    pub fn search_typed(&mut self, query: &str) {
        let w = self.workspace.focused_mut();
        w.list.set_query(&self.catalog, &mut self.searcher, query);
        self.sync_focused();
    }
}

/// The digit a key types, for counts (`5j`).
fn digit_of(key: &Key) -> Option<usize> {
    let text = key.to_string();
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.to_digit(10).map(|d| d as usize),
        _ => None,
    }
}

/// Alt+char as the Esc and the char it may have been.
fn split_meta(event: &KeyEvent) -> Option<(KeyEvent, KeyEvent)> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let KeyCode::Char(c) = event.code else {
        return None;
    };
    if !event.modifiers.contains(KeyModifiers::ALT)
        || event.modifiers.contains(KeyModifiers::CONTROL)
    {
        return None;
    }
    let rest_mods = event.modifiers - KeyModifiers::ALT;
    Some((
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char(c), rest_mods),
    ))
}

/// Pasted text as a field takes it: terminals send a pasted line break as a
/// bare `\r`; one-line fields get spaces for line breaks; control and bidi
/// characters are dropped (not stored as replacement marks).
fn pasted(text: &str, multiline: bool) -> String {
    let lines = if multiline { Lines::Many } else { Lines::One };
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| if c == '\n' && !multiline { ' ' } else { c })
        .filter(|&c| !crate::model::text::is_unsafe_char(c, lines))
        .collect()
}
