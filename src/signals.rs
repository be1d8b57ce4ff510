//! SIGTERM, SIGHUP and SIGINT for the console and `edit`, which hold a
//! terminal in raw mode and a private form file. Left to the default action
//! these signals kill the process where it stands: the terminal stays raw
//! and the form (a copy of a record) stays in the temporary directory. So
//! the handler only notes the signal; the console's loop and the editor's
//! wait look at it and end the normal way (terminal restored, files removed),
//! then the process exits with 128 + the signal's number, as a shell expects.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use signal_hook::SigId;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The process was asked to stop by a signal; it stopped cleanly.
#[derive(Debug, thiserror::Error)]
#[error("stopped by {}", name(*.0))]
pub struct Stopped(pub i32);

impl Stopped {
    /// 128 + the signal's number, as a shell reports a signalled process.
    pub fn exit_code(&self) -> u8 {
        u8::try_from(128 + self.0).unwrap_or(1)
    }
}

fn name(signal: i32) -> &'static str {
    match signal {
        SIGHUP => "SIGHUP (the terminal went away)",
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// The stop signals, noted instead of acted on while this value lives.
pub struct Signals {
    pending: Arc<AtomicUsize>,
    ids: Vec<SigId>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let pending = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            // `signal` is a small positive number, so the cast is exact.
            ids.push(signal_hook::flag::register_usize(
                signal,
                pending.clone(),
                signal as usize,
            )?);
        }
        Ok(Signals { pending, ids })
    }

    /// The last stop signal received, if any.
    pub fn pending(&self) -> Option<i32> {
        match self.pending.load(Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }

    /// Forgets a SIGINT: Ctrl-C typed in `$EDITOR` reaches the whole
    /// foreground group, clusterdesk too, and is the editor's business.
    pub fn forget_interrupt(&self) {
        let _ =
            self.pending
                .compare_exchange(SIGINT as usize, 0, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// The pending signal as an error, for `?`.
    pub fn check(&self) -> Result<(), Stopped> {
        match self.pending() {
            Some(signal) => Err(Stopped(signal)),
            None => Ok(()),
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_is_noted_not_acted_on_and_interrupts_can_be_forgotten() {
        let signals = Signals::install().unwrap();
        assert_eq!(signals.pending(), None);
        signal_hook::low_level::raise(SIGINT).unwrap();
        assert_eq!(signals.pending(), Some(SIGINT));
        signals.forget_interrupt();
        assert_eq!(signals.pending(), None);
        signal_hook::low_level::raise(SIGHUP).unwrap();
        signals.forget_interrupt();
        assert_eq!(signals.pending(), Some(SIGHUP));
        assert_eq!(signals.check().unwrap_err().exit_code(), 129);
    }
}
