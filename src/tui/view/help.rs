//! `:help` / F1: the active keymap, made from its `desc` entries, and the
//! `:` commands, made from the registry (`tui/registry.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::display::{cell, pad, truncate, width as width_of};
use crate::tui::action::Mode;
use crate::tui::app::{App, Page};
use crate::tui::command::special_forms;
use crate::tui::keymap::display_keys;
use crate::tui::registry::COMMANDS;
use crate::tui::theme::Theme;

/// The `:` lines help lists: every registry command with a `:` name, then
/// the special forms, in the registry's words.
fn commands() -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = COMMANDS
        .iter()
        .filter_map(|c| {
            let usage = c.usage()?;
            let others: Vec<String> = c.aliases[1..].iter().map(|a| format!(":{a}")).collect();
            let usage = if others.is_empty() {
                usage
            } else {
                format!("{usage} ({})", others.join(" "))
            };
            Some((usage, c.doc.to_string()))
        })
        .collect();
    rows.extend(special_forms().into_iter().map(|(f, d)| (f, d.to_string())));
    rows
}

/// How far the help can scroll in a main area `height` rows tall.
pub fn max_scroll(app: &App, height: usize) -> usize {
    let theme = Theme { color: false };
    lines(app, &theme, app.size.width as usize)
        .len()
        .saturating_sub(height)
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let lines = lines(app, theme, area.width as usize);
    let scroll = app
        .help
        .unwrap_or(0)
        .min(lines.len().saturating_sub(area.height as usize));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(area.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

fn lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    match app.page {
        Page::Keys => key_lines(app, theme, width),
        Page::Messages => message_lines(app, theme, width),
    }
}

/// The last messages, whole, each line of one on a line of the screen.
fn message_lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        pad(
            " Messages, newest last (j/k or arrows scroll, any other key closes)",
            width,
        ),
        theme.title(true),
    )];
    if app.messages.is_empty() {
        lines.push(Line::styled("  no messages yet", theme.dim()));
    }
    for m in &app.messages {
        let style = if m.error {
            theme.error()
        } else {
            ratatui::style::Style::default()
        };
        for (i, line) in m.text.lines().enumerate() {
            let lead = if i == 0 { "  " } else { "    " };
            let text = truncate(&cell(line), width.saturating_sub(lead.len())).into_owned();
            lines.push(Line::from(vec![Span::raw(lead), Span::styled(text, style)]));
        }
    }
    lines
}

/// Every binding of the keymap in use, by section, then every `:` command.
fn key_lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        pad(
            &format!(
                " Help: keymap {} (j/k or arrows scroll, any other key closes)",
                cell(app.keymap.source())
            ),
            width,
        ),
        theme.title(true),
    )];
    for mode in Mode::ALL {
        let bindings = app.keymap.bindings(mode);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::styled(
            format!("{} mode", mode.as_str()),
            theme.label(),
        ));
        for b in bindings {
            let keys = pad(&display_keys(&b.keys), 12);
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(keys, theme.matched()),
                Span::raw(" "),
                Span::raw(truncate(&cell(&b.desc), width.saturating_sub(15)).into_owned()),
            ]));
        }
    }
    lines.push(Line::styled("commands", theme.label()));
    let commands = commands();
    let column = commands.iter().map(|(u, _)| width_of(u)).max().unwrap_or(0) + 1;
    for (usage, doc) in commands {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(pad(&usage, column), theme.matched()),
            Span::raw(truncate(&doc, width.saturating_sub(column + 2)).into_owned()),
        ]));
    }
    lines
}
