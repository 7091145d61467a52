//! Text from outside the program (file names, above all) made safe to show
//! on a terminal.
//!
//! A file name may hold any byte but `/` and NUL, escape sequences included:
//! printed raw, `ESC ] …` can retitle the window or hide text, `ESC [2J`
//! clears the screen, a carriage return overwrites the line, and
//! right-to-left overrides make a name read backwards. Every such
//! character is shown as its code instead (`\u{1b}`), which no terminal
//! interprets and which still tells the editor which file is meant.

use std::borrow::Cow;

/// `text` with control characters and bidirectional overrides written as
/// `\u{…}`; borrowed unchanged when there are none (the usual case).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal acts on or that reorder what is shown: C0 and C1
/// controls and DEL, and the Unicode bidirectional embeddings, overrides
/// and isolates.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_as_codes() {
        assert_eq!(
            for_terminal("a\u{1b}[31mb\r\n\u{7f}\u{9b}.md"),
            "a\\u{1b}[31mb\\u{d}\\u{a}\\u{7f}\\u{9b}.md"
        );
        assert_eq!(for_terminal("x\u{202E}dm.exe"), "x\\u{202e}dm.exe");
    }

    #[test]
    fn ordinary_names_are_borrowed_as_they_are() {
        let name = "content/mô-hình/Nắm gạo (1).md";
        assert!(matches!(for_terminal(name), Cow::Borrowed(n) if n == name));
    }
}
