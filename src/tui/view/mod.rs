//! Drawing: reads the app's state, never changes it. Every piece of record
//! text reaches the screen through `display::cell`/`sanitize` (no escape
//! sequence can pass) and ratatui's widgets (never `Cell::set_symbol`).

pub mod detail;
pub mod help;
mod list;
mod status;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::theme::Theme;
use super::window::Focus;

/// Below this the console says so instead of drawing a squashed screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "The terminal is {}x{}; clusterdesk needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [tabs, main, status_area, command_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, theme, tabs);
    if app.help.is_some() {
        help::draw(frame, app, theme, main);
    } else {
        for (id, rect) in app.workspace.areas(main) {
            let Some(window) = app.workspace.window(id) else {
                continue;
            };
            // A window with another to its right gives its last column to a divider.
            let rect = if rect.right() < main.right() {
                let divider = Rect {
                    x: rect.right() - 1,
                    width: 1,
                    ..rect
                };
                frame.render_widget(
                    Paragraph::new(vec![
                        Line::styled("┃", theme.dim());
                        divider.height as usize
                    ]),
                    divider,
                );
                Rect {
                    width: rect.width - 1,
                    ..rect
                }
            } else {
                rect
            };
            let focused = id == app.workspace.focus_id();
            draw_window(frame, app, theme, window, rect, focused);
        }
    }
    status::draw_status(frame, app, theme, status_area);
    status::draw_command(frame, app, theme, command_area);
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = Vec::new();
    for (i, tab) in app.workspace.tabs.iter().enumerate() {
        let name = tab.collection.as_str();
        let mut title = name.to_string();
        if let Some(first) = title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        spans.push(Span::styled(
            format!(" {title} "),
            theme.tab(i == app.workspace.active),
        ));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_window(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    window: &super::window::Window,
    area: Rect,
    focused: bool,
) {
    // Wide enough for both: list and detail side by side; otherwise the
    // focused one alone.
    if area.width > 2 * 30 {
        let [list_area, gap, detail_area] = Layout::horizontal([
            Constraint::Percentage(48),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        list::draw(
            frame,
            app,
            theme,
            window,
            list_area,
            focused && window.focus == Focus::List,
        );
        frame.render_widget(
            Paragraph::new(vec![Line::styled("│", theme.dim()); gap.height as usize]),
            gap,
        );
        detail::draw(
            frame,
            app,
            theme,
            window,
            detail_area,
            focused && window.focus == Focus::Detail,
        );
    } else if window.focus == Focus::List {
        list::draw(frame, app, theme, window, area, focused);
    } else {
        detail::draw(frame, app, theme, window, area, focused);
    }
}
