//! The status line (mode, pending keys and count, message, store path) and
//! the command line below it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::display::{cell, truncate, width};
use crate::tui::action::Mode;
use crate::tui::app::Presence;
use crate::tui::app::{App, PromptKind};
use crate::tui::keymap::display_keys;
use crate::tui::theme::Theme;
use crate::tui::window::Focus;

pub fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mode = match app.mode {
        Mode::Normal => "NORMAL",
        Mode::Visual => "VISUAL",
        Mode::Insert => "INSERT",
        Mode::Command => "COMMAND",
        Mode::Search => "SEARCH",
        Mode::Help => "HELP",
        Mode::Conflict => "CONFLICT",
    };
    let mut left = vec![Span::styled(format!(" {mode} "), theme.mode())];
    let mut keys = String::new();
    if let Some(n) = app.keys.count {
        keys.push_str(&n.to_string());
    }
    keys.push_str(&display_keys(&app.keys.pending));
    if !keys.is_empty() {
        left.push(Span::raw(format!(" {keys}")));
    }
    let w = app.workspace.focused();
    let position = match w.focus {
        Focus::List if !w.list.is_empty() => format!("{}/{}", w.list.cursor + 1, w.list.len()),
        Focus::Detail => format!("field {}/{}", w.detail.field + 1, w.detail.field_count()),
        _ => String::new(),
    };
    let position = match app.presence {
        Presence::Alone => position,
        Presence::Shared(n) => format!("{position}  {n} connected"),
        Presence::Offline => format!("{position}  offline"),
    };
    let used: usize = left.iter().map(|s| width(&s.content)).sum();
    // A message comes before the store path: the path is shown only in the
    // room the message leaves.
    let message_width = app
        .message
        .as_ref()
        .map_or(0, |m| width(&cell(&m.text)) + 1);
    let store = app.store_path();
    let total = area.width as usize;
    let with_store = format!(" {position}  {store} ");
    let right = if used + message_width + width(&with_store) <= total {
        with_store
    } else {
        format!(" {position} ")
    };
    let room = total.saturating_sub(used + width(&right) + 1);
    if let Some(message) = &app.message {
        let text = truncate(&cell(&message.text), room).into_owned();
        let style = if message.error {
            theme.error()
        } else {
            ratatui::style::Style::default()
        };
        left.push(Span::raw(" "));
        left.push(Span::styled(text, style));
    }
    let used: usize = left.iter().map(|s| width(&s.content)).sum();
    let gap = (area.width as usize).saturating_sub(used + width(&right));
    left.push(Span::raw(" ".repeat(gap)));
    left.push(Span::styled(
        truncate(&right, area.width as usize).into_owned(),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

pub fn draw_command(frame: &mut Frame, app: &App, _theme: &Theme, area: Rect) {
    let Some(prompt) = app.prompt.as_ref() else {
        return;
    };
    let lead = match prompt.kind {
        PromptKind::Command => ":",
        PromptKind::Search { forward: true } => "/",
        PromptKind::Search { forward: false } => "?",
    };
    frame.render_widget(Paragraph::new(lead), Rect { width: 1, ..area });
    let rest = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    frame.render_widget(&prompt.text, rest);
}
