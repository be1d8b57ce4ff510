//! The list pane: a title line, then one line per record.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::display::{cell, pad, truncate};
use crate::tui::app::App;
use crate::tui::rows::{self, Row};
use crate::tui::search::Searcher;
use crate::tui::theme::Theme;
use crate::tui::window::Window;

pub fn draw(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    window: &Window,
    area: Rect,
    focused: bool,
) {
    let list = &window.list;
    let collection = list.collection;
    let total = app.catalog.rows(collection).len();
    let mut title = format!(" {} {}", collection.as_str(), list.len());
    if list.len() != total {
        title.push_str(&format!("/{total}"));
    }
    if app.loading {
        title.push_str(" (loading…)");
    }
    for (f, v) in &list.filters {
        title.push_str(&format!(" {f}={}", cell(v)));
    }
    if !list.query.is_empty() {
        title.push_str(&format!(" /{}", cell(&list.query)));
    }
    let title = truncate(&title, area.width as usize).into_owned();
    let mut lines = vec![Line::styled(
        pad(&title, area.width as usize),
        theme.title(focused),
    )];

    let height = area.height.saturating_sub(1) as usize;
    let columns = rows::columns(collection);
    let page: Vec<(usize, &Row)> = (list.offset..list.offset + height)
        .filter_map(|i| list.row_at(&app.catalog, i).map(|r| (i, r)))
        .collect();
    let layout = column_widths(
        columns,
        app.catalog.widths(collection),
        area.width as usize,
        rows::title_column(collection),
    );
    let selection = list.anchor.map(|_| list.selection(1));
    // Highlighting needs its own matcher: drawing never touches the app's.
    let mut highlighter = Searcher::default();
    for (i, row) in page {
        let style = if i == list.cursor {
            theme.cursor(focused)
        } else if selection.as_ref().is_some_and(|s| s.contains(&i)) {
            theme.selection()
        } else {
            Style::default()
        };
        let mut spans = Vec::new();
        for (n, &(col, w)) in layout.iter().enumerate() {
            let text = truncate(&cell(row.value(col)), w).into_owned();
            let padded = pad(&text, w);
            if n > 0 {
                spans.push(Span::styled(" ", style));
            }
            if col == rows::title_column(collection) && !list.query.is_empty() {
                spans.extend(highlighted(
                    &mut highlighter,
                    &padded,
                    &list.query,
                    style,
                    theme,
                ));
            } else {
                spans.push(Span::styled(padded, style));
            }
        }
        lines.push(Line::from(spans));
    }
    if list.is_empty() && !app.loading {
        let hint = if list.query.is_empty() && list.filters.is_empty() {
            format!(
                "no {} yet: {} adds one",
                collection.as_str(),
                app.hint(
                    crate::tui::action::Mode::Normal,
                    crate::tui::action::Action::NewRecord
                )
            )
        } else {
            "nothing matches (Esc, :nohl or :filter clear it)".to_string()
        };
        lines.push(Line::styled(
            truncate(&hint, area.width as usize).into_owned(),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Which columns fit, and how wide each is: the key and the title always,
/// more columns while there is room; the title takes what is left.
///
/// Widths come from the whole collection (see `Catalog::widths`), so the
/// columns stay put while the list scrolls.
fn column_widths(
    columns: &[&str],
    widest: &[usize],
    total: usize,
    title: usize,
) -> Vec<(usize, usize)> {
    let natural = |col: usize, cap: usize| widest.get(col).copied().unwrap_or(0).clamp(3, cap);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    if title != 0 {
        chosen.push((0, natural(0, 14)));
    }
    chosen.push((title, 0));
    let mut used: usize = chosen.iter().map(|c| c.1 + 1).sum();
    for col in (0..columns.len()).filter(|&c| c != 0 && c != title) {
        let w = natural(col, 14);
        // Keep at least 16 columns for the title.
        if used + w + 1 + 16 > total {
            break;
        }
        chosen.push((col, w));
        used += w + 1;
    }
    // `used` counted a separator after every column; the last has none.
    let title_width = total.saturating_sub(used.saturating_sub(1)).max(1);
    for c in chosen.iter_mut() {
        if c.0 == title {
            c.1 = title_width;
        }
    }
    chosen
}

/// The text with the characters the search matched picked out.
fn highlighted(
    h: &mut Searcher,
    text: &str,
    query: &str,
    base: Style,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let hits = h.highlights(text, query);
    if hits.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = hits.binary_search(&(i as u32)).is_ok();
        if hit != run_hit && !run.is_empty() {
            let style = if run_hit {
                base.patch(theme.matched())
            } else {
                base
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_hit {
            base.patch(theme.matched())
        } else {
            base
        };
        spans.push(Span::styled(run, style));
    }
    spans
}
