//! `:help` / F1: the active keymap, made from its `desc` entries, and the
//! `:` commands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::display::{cell, pad, truncate};
use crate::tui::action::Mode;
use crate::tui::app::App;
use crate::tui::keymap::display_keys;
use crate::tui::theme::Theme;

const COMMANDS: &[(&str, &str)] = &[
    (":w", "Save the new record being filled in"),
    (
        ":q  :q!  :wq  ZZ",
        "Quit; quit dropping a new record; save and quit",
    ),
    (
        ":vsplit C  :split C",
        "Open a window on members, news, meetings or indicators",
    ),
    (":members :news :meetings", "Go to a tab"),
    (
        ":filter F=V ...",
        "Show records whose column F is V (:filter clears)",
    ),
    (
        ":sort F  :sort -F",
        "Order by a column, ascending or descending",
    ),
    (":nohl", "Clear the search"),
    (
        ":set F=V",
        "Set a field on the selection (visual) or the record",
    ),
    (
        ":set mouse  :set nomouse",
        "Mouse wheel scrolling on or off",
    ),
    (":N", "Go to record N"),
];

/// How far the help can scroll in a main area `height` rows tall.
pub fn max_scroll(app: &App, height: usize) -> usize {
    let lines = 1
        + Mode::ALL
            .iter()
            .map(|&m| app.keymap.bindings(m).len())
            .filter(|&n| n > 0)
            .map(|n| n + 1)
            .sum::<usize>()
        + 1
        + COMMANDS.len();
    lines.saturating_sub(height)
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let width = area.width as usize;
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
    for (cmd, desc) in COMMANDS {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(pad(cmd, 26), theme.matched()),
            Span::raw(truncate(desc, width.saturating_sub(28)).into_owned()),
        ]));
    }
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
