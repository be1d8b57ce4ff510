//! OSC 52: asks the terminal to put text on the clipboard. The text travels
//! base64-encoded, so nothing in it can act as an escape sequence.

use base64::Engine;

/// The sequence for `text` (ESC ] 52 ; c ; base64 BEL).
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_characters_in_the_text_are_encoded() {
        let seq = osc52("a\x1b[2Jb");
        assert_eq!(seq, "\x1b]52;c;YRtbMkpi\x07");
        assert_eq!(
            seq.matches('\x1b').count(),
            1,
            "only the sequence's own ESC"
        );
    }
}
