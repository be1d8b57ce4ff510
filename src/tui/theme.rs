//! Styles. Only the 16 ANSI colours (readable on any terminal that has
//! colour at all) plus bold/reverse/underline; with NO_COLOR set, no colour.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Honours NO_COLOR (https://no-color.org): set and not empty means no colour.
    pub fn from_env() -> Theme {
        Theme::from_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    pub fn from_no_color(value: Option<&std::ffi::OsStr>) -> Theme {
        Theme {
            color: value.is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn cursor(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn selection(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Blue).fg(Color::White)
        } else {
            // The cursor is reversed; a selection must not look the same.
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if focused && self.color {
            s.fg(Color::Cyan)
        } else if focused {
            s.add_modifier(Modifier::UNDERLINED)
        } else {
            s
        }
    }

    pub fn label(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn tab(&self, active: bool) -> Style {
        if active {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
        }
    }

    pub fn mode(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_and_not_empty_means_no_colour() {
        assert!(Theme::from_no_color(None).color);
        assert!(Theme::from_no_color(Some("".as_ref())).color);
        assert!(!Theme::from_no_color(Some("1".as_ref())).color);
    }

    #[test]
    fn only_the_16_ansi_colours_are_used() {
        for color in [true, false] {
            let t = Theme { color };
            for style in [
                t.cursor(true),
                t.cursor(false),
                t.selection(),
                t.title(true),
                t.title(false),
                t.label(),
                t.dim(),
                t.matched(),
                t.error(),
                t.tab(true),
                t.mode(),
            ] {
                for c in [style.fg, style.bg].into_iter().flatten() {
                    assert!(
                        !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                        "{c:?} is not one of the 16 ANSI colours"
                    );
                    assert!(color, "NO_COLOR uses no colour at all, got {c:?}");
                }
            }
            // With or without colour, the cursor and a selection differ.
            assert_ne!(t.cursor(true), t.selection());
        }
    }
}
