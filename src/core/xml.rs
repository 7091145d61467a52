//! Text inside the XML files a build writes (SVG charts, Atom feeds,
//! sitemaps, QR codes).

/// Escapes text for XML (SVG, Atom, sitemaps): every XML file the build
/// writes takes its text through here. Characters XML 1.0 does not allow
/// even as references are dropped, since one of them makes the whole feed
/// unreadable to every reader.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char` production: tab, line feed, carriage return and
/// U+0020 up, less U+FFFE and U+FFFF (surrogates cannot occur in a `str`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}
