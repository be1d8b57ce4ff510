//! The detail pane: the record's fields, its nested parts and, for a member,
//! the meetings and news that name it. The field being edited is a text area.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::display::{cell, pad, sanitize, truncate};
use crate::model::FieldKind;
use crate::model::text::Lines;
use crate::tui::app::App;
use crate::tui::record::AnyRecord;
use crate::tui::rows::Mention;
use crate::tui::theme::Theme;
use crate::tui::window::Window;

/// Rows a multi-line field's editor takes.
const EDITOR_ROWS: usize = 8;
/// Lines of a multi-line value shown when it is not being edited.
const PREVIEW_LINES: usize = 4;

pub fn draw(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    window: &Window,
    area: Rect,
    focused: bool,
) {
    // The window whose save met it shows the conflict, whichever pane has
    // the cursor (`e` is pressed from the list).
    if let Some(conflict) = window.detail.conflict() {
        draw_conflict(frame, conflict, theme, area);
        return;
    }
    let detail = &window.detail;
    let Some(record) = detail.record.as_ref() else {
        let text = Line::styled(" nothing selected", theme.dim());
        frame.render_widget(Paragraph::new(text), area);
        return;
    };
    let width = area.width as usize;
    let title = if detail.is_draft() {
        format!(
            " new {} (not saved: {})",
            record.collection().singular(),
            app.draft_hint()
        )
    } else {
        format!(
            " {} {}",
            record.collection().singular(),
            cell(&record.key())
        )
    };
    let fields = record.fields();
    let label_width = fields
        .iter()
        .map(|f| f.name.len())
        .max()
        .unwrap_or(0)
        .min(14)
        + 1;
    let value_width = width.saturating_sub(label_width + 1).max(1);

    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    let mut editor_at = None;
    for (i, spec) in fields.iter().enumerate() {
        let on_cursor = i == detail.field;
        let style = if on_cursor {
            theme.cursor(focused)
        } else {
            Style::default()
        };
        let label = Span::styled(
            pad(&truncate(spec.name, label_width - 1), label_width),
            theme.label().patch(style),
        );
        if on_cursor {
            cursor_line = lines.len();
        }
        // A refused edit stays drawn at its field, with its reason, while
        // the cursor is elsewhere.
        let editor = detail
            .editor()
            .filter(|e| e.field == spec.name && (on_cursor || e.refused.is_some()));
        if let Some(editor) = editor {
            let rows = if spec.kind == FieldKind::MultiLine {
                EDITOR_ROWS
            } else {
                1
            };
            editor_at = Some((lines.len(), rows));
            lines.push(Line::from(vec![label]));
            lines.extend((1..rows).map(|_| Line::raw("")));
            if let Some(reason) = &editor.refused {
                let text = truncate(&cell(&format!("! {reason}")), value_width).into_owned();
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_width + 1)),
                    Span::styled(text, theme.error()),
                ]));
            }
            continue;
        }
        let value = record
            .get(spec.name)
            .map(|v| v.to_text())
            .unwrap_or_default();
        if spec.kind == FieldKind::MultiLine && value.contains('\n') {
            let safe = sanitize(&value, Lines::Many);
            let mut first = true;
            let all: Vec<&str> = safe.lines().collect();
            for line in all.iter().take(PREVIEW_LINES) {
                let text = truncate(&cell(line), value_width).into_owned();
                let lead = if first {
                    label.clone()
                } else {
                    Span::raw(" ".repeat(label_width))
                };
                lines.push(Line::from(vec![
                    lead,
                    Span::raw(" "),
                    Span::styled(text, style),
                ]));
                first = false;
            }
            if all.len() > PREVIEW_LINES {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_width + 1)),
                    Span::styled(
                        truncate(
                            &format!(
                                "… {} more lines ({} or {} to see all)",
                                all.len() - PREVIEW_LINES,
                                app.hint(
                                    crate::tui::action::Mode::Normal,
                                    crate::tui::action::Action::EditField
                                ),
                                app.hint(
                                    crate::tui::action::Mode::Normal,
                                    crate::tui::action::Action::EditExternal
                                )
                            ),
                            value_width,
                        )
                        .into_owned(),
                        theme.dim(),
                    ),
                ]));
            }
        } else {
            let text = truncate(&cell(&value), value_width).into_owned();
            lines.push(Line::from(vec![
                label,
                Span::raw(" "),
                Span::styled(pad(&text, value_width), style),
            ]));
        }
    }
    nested_lines(record, theme, width, &mut lines);
    if let AnyRecord::Member(m) = record {
        mention_lines(
            "meetings",
            app.catalog.meetings_of(&m.code),
            theme,
            width,
            &mut lines,
        );
        mention_lines(
            "news",
            app.catalog.news_of(&m.code),
            theme,
            width,
            &mut lines,
        );
    }

    let body_height = area.height.saturating_sub(1) as usize;
    let scroll = cursor_line.saturating_sub(
        body_height
            .saturating_sub(EDITOR_ROWS.min(body_height / 2))
            .max(1)
            - 1,
    );
    let scroll = if cursor_line < body_height { 0 } else { scroll };
    // Past the last field (`j` on it) the pane scrolls on to what follows.
    let scroll = (scroll + detail.below).min(lines.len().saturating_sub(body_height).max(scroll));
    let mut shown = vec![Line::styled(
        pad(&truncate(&title, width), width),
        theme.title(focused),
    )];
    shown.extend(lines.into_iter().skip(scroll).take(body_height));
    frame.render_widget(Paragraph::new(shown), area);

    if let (Some((at, rows)), Some(editor)) = (editor_at, detail.editor())
        && at >= scroll
    {
        let y = area.y + 1 + (at - scroll) as u16;
        let x = area.x + label_width as u16 + 1;
        let bottom = area.y + area.height;
        if y < bottom {
            let rect = Rect {
                x,
                y,
                width: area.width.saturating_sub(label_width as u16 + 1),
                height: (rows as u16).min(bottom - y),
            };
            frame.render_widget(&editor.text, rect);
        }
    }
}

/// How many lines follow the fields (nested parts, and for a member the
/// meetings and news that name it): how far `j` past the last field scrolls.
pub fn lines_below_fields(app: &App, record: &AnyRecord) -> usize {
    let theme = Theme { color: false };
    let mut lines = Vec::new();
    nested_lines(record, &theme, 80, &mut lines);
    if let AnyRecord::Member(m) = record {
        mention_lines(
            "meetings",
            app.catalog.meetings_of(&m.code),
            &theme,
            80,
            &mut lines,
        );
        mention_lines("news", app.catalog.news_of(&m.code), &theme, 80, &mut lines);
    }
    lines.len()
}

fn nested_lines(record: &AnyRecord, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    for (name, value) in record.nested() {
        let Some(items) = value.as_array().filter(|a| !a.is_empty()) else {
            continue;
        };
        lines.push(Line::styled(
            format!("{name} ({})", items.len()),
            theme.label(),
        ));
        for item in items {
            let text = match item.as_object() {
                Some(map) => map
                    .values()
                    .filter_map(|v| match v {
                        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
                        serde_json::Value::Bool(true) => Some("done".to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                None => item.to_string(),
            };
            lines.push(Line::raw(
                truncate(&format!("  {}", cell(&text)), width).into_owned(),
            ));
        }
    }
}

fn mention_lines(
    what: &str,
    items: &[Mention],
    theme: &Theme,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    if items.is_empty() {
        return;
    }
    lines.push(Line::styled(
        format!("{what} naming it ({})", items.len()),
        theme.label(),
    ));
    for m in items.iter().take(8) {
        lines.push(Line::raw(
            truncate(&format!("  {} {}", m.date, cell(&m.title)), width).into_owned(),
        ));
    }
    if items.len() > 8 {
        lines.push(Line::styled(
            format!("  … {} more", items.len() - 8),
            theme.dim(),
        ));
    }
}

/// Both versions of a record met by a conflicting edit, field by field.
fn draw_conflict(
    frame: &mut Frame,
    conflict: &crate::tui::conflict::Conflict,
    theme: &Theme,
    area: Rect,
) {
    let key = cell(&conflict.mine.key());
    let mut lines = vec![Line::styled(
        format!(" {key} changed meanwhile: m mine, t theirs, f merge, Esc back"),
        theme.error(),
    )];
    if conflict.theirs.is_none() {
        lines.push(Line::raw(" someone else removed it"));
    }
    let differences = conflict.differences();
    let label = differences
        .iter()
        .map(|d| d.field.len())
        .max()
        .unwrap_or(0)
        .min(14)
        + 2;
    let value = (area.width as usize).saturating_sub(label + 8).max(1);
    for d in differences {
        // `!` marks a field both changed: merging keeps mine there.
        let mark = if d.both { "!" } else { " " };
        lines.push(Line::raw(format!(
            "{mark}{:<label$}theirs {}",
            d.field,
            truncate(&cell(&d.theirs), value)
        )));
        lines.push(Line::styled(
            format!(" {:<label$}mine   {}", "", truncate(&cell(&d.mine), value)),
            theme.label(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
