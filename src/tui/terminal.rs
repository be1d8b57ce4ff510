//! The terminal: raw mode and the alternate screen on the way in, everything
//! put back on every way out (quit, error, panic, suspend).

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::backend::NoQueryBackend;

pub type Term = Terminal<NoQueryBackend<Stdout>>;

/// Puts the terminal in the console's state: raw, alternate screen, pasted
/// text marked as paste (so it is never run as keys), cursor hidden.
pub fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    execute!(
        stdout,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    let mut terminal = Terminal::new(NoQueryBackend::new(stdout))?;
    terminal.clear()?;
    Ok(terminal)
}

/// Puts the terminal back as the shell had it. Safe to call more than once
/// and from a panic hook.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = stdout.flush();
}

/// Restores the terminal before a panic's message is printed, so the
/// message is readable and the shell usable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

pub fn set_mouse(on: bool) -> io::Result<()> {
    let mut stdout = io::stdout();
    if on {
        execute!(stdout, EnableMouseCapture)
    } else {
        execute!(stdout, DisableMouseCapture)
    }
}

/// `Ctrl-z`: gives the terminal back and stops the process as the shell's
/// job control expects; on `fg`, takes it again and redraws everything.
pub fn suspend(terminal: &mut Term, mouse: bool) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    reenter(terminal, mouse)
}

/// Runs `f` with the terminal given back (for `$EDITOR`), then takes it again.
pub fn released<T>(terminal: &mut Term, mouse: bool, f: impl FnOnce() -> T) -> io::Result<T> {
    restore();
    let result = f();
    reenter(terminal, mouse)?;
    Ok(result)
}

/// Takes the terminal again after giving it back, and redraws everything.
fn reenter(terminal: &mut Term, mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if mouse {
        set_mouse(true)?;
    }
    terminal.clear()
}

/// Sends an OSC 52 sequence: the terminal (even over SSH, and tmux with
/// `set-clipboard on`) puts the text on the local clipboard.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout();
    stdout.write_all(super::clipboard::osc52(text).as_bytes())?;
    stdout.flush()
}
