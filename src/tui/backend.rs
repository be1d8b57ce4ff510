//! The crossterm backend, minus the one thing that asks the terminal a
//! question. ratatui's `Terminal::clear` asks for the cursor position
//! (`ESC[6n`) and waits up to 2 s for the answer; a terminal that never
//! answers (some serial consoles, odd SSH clients) then gets no console at
//! all, and keys typed meanwhile (`ESC [ 1 ;`...) can be read as a broken
//! answer and end the console. Full-screen drawing never needs the answer:
//! the cursor is wherever the console last put it.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

pub struct NoQueryBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// Where the console last put the cursor: what a query would answer.
    cursor: Position,
}

impl<W: Write> NoQueryBackend<W> {
    pub fn new(writer: W) -> Self {
        NoQueryBackend {
            inner: CrosstermBackend::new(writer),
            cursor: Position::ORIGIN,
        }
    }
}

impl<W: Write> Backend for NoQueryBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;

    #[test]
    fn clearing_and_drawing_write_no_cursor_query() {
        let mut out = Vec::new();
        {
            let mut term = Terminal::with_options(
                NoQueryBackend::new(&mut out),
                ratatui::TerminalOptions {
                    viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 20, 3)),
                },
            )
            .unwrap();
            term.clear().unwrap();
            term.draw(|f| {
                f.render_widget(ratatui::widgets::Paragraph::new("hello"), f.area());
                f.set_cursor_position((3, 1));
            })
            .unwrap();
            term.clear().unwrap();
            assert_eq!(term.get_cursor_position().unwrap(), Position::new(3, 1));
        }
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("\x1b[6n"), "{text:?}");
        assert!(text.contains("hello"));
    }
}
