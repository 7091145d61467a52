//! Markdown bodies to safe HTML.
//!
//! Raw HTML written in Markdown is shown as text (README.md § Content schema), links may only
//! use safe schemes, headings get ids for anchors and are shifted one level
//! down so the page title stays the only `<h1>`.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::vi::slugify;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
}

/// Renders a body. `root` is the site's link root (`/` or `/dan-van/`), put
/// in front of site-absolute links so the site works under a sub-path.
pub fn to_html(markdown: &str, root: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(usize, HeadingLevel, Option<CowStr>)> = None;
    for event in limit_depth(Parser::new_ext(markdown, options())) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((events.len(), level, id));
                events.push(Event::Start(Tag::Paragraph)); // placeholder, replaced at End
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level, given)) = heading.take() {
                    let text: String = events[start + 1..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let base = given
                        .map(|g| g.to_string())
                        .filter(|g| !g.is_empty())
                        .unwrap_or_else(|| slugify(&text));
                    let base = if base.is_empty() {
                        "muc".to_string()
                    } else {
                        base
                    };
                    let n = used_ids.entry(base.clone()).or_insert(0);
                    *n += 1;
                    let id = if *n == 1 { base } else { format!("{base}-{n}") };
                    let level = demote(level);
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes: vec![],
                        attrs: vec![],
                    });
                    events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url, root),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url, root),
                title,
                id,
            })),
            other => events.push(other),
        }
    }
    raise_to_h2(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Deeper nesting than any article needs (quotes in quotes, emphasis in
/// emphasis) is flattened: its text is kept, its tags dropped. Thousands of
/// `>` or `*` would otherwise nest elements thousands deep, and the HTML
/// minifier, which recurses per element, overflows its stack on them.
const MAX_NESTING: usize = 32;

fn limit_depth<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // For each open tag, whether it was dropped.
    let mut open: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    events.filter(move |e| match e {
        Event::Start(_) => {
            let keep = kept < MAX_NESTING;
            kept += usize::from(keep);
            open.push(!keep);
            keep
        }
        Event::End(_) => {
            let dropped = open.pop().unwrap_or(false);
            kept -= usize::from(!dropped && kept > 0);
            !dropped
        }
        _ => true,
    })
}

/// Editors often start a body at `##` (the title being the page's `#`):
/// the body's highest heading becomes `<h2>` so no level is skipped after
/// the page's `<h1>` (a validator error and a screen-reader stumble); the
/// others keep their depth relative to it.
fn raise_to_h2(events: &mut [Event]) {
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min();
    let Some(by) = top.map(|t| t.saturating_sub(2)).filter(|&b| b > 0) else {
        return;
    };
    let raised = |l: HeadingLevel| HeadingLevel::try_from(l as usize - by).unwrap_or(l);
    for e in events.iter_mut() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => *level = raised(*level),
            Event::End(TagEnd::Heading(level)) => *level = raised(*level),
            _ => {}
        }
    }
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Only web, mail and phone links, and links inside the site, survive;
/// `javascript:`, `data:` and anything unknown becomes a dead `#`.
fn safe_url<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        Some("http" | "https" | "mailto" | "tel") => url,
        Some(_) => CowStr::from("#"),
        None if url.starts_with("//") => CowStr::from("#"),
        None if url.starts_with('/') && root != "/" => {
            CowStr::from(format!("{root}{}", url.trim_start_matches('/')))
        }
        None => url,
    }
}

/// Plain text of the first paragraph, cut near `max` characters at a word.
pub fn summary(markdown: &str, max: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    truncate_words(text.trim(), max)
}

/// The readable text of the body's first paragraphs, list items and
/// headings, each ended by a full stop when it has no punctuation of its
/// own, cut near `max` characters at a word: where a search result finds
/// the passage around its match. Markdown is read only as far as needed:
/// pulldown-cmark reads a document's block structure whole before its
/// first event, so only a beginning that holds enough text is given to it
/// ([`beginning`]), and the whole body only when that beginning falls
/// short (every build makes an excerpt of every document: at 10,000
/// models, after one edit, the search stage's documents took 125 ms with
/// whole bodies read, 110 ms with their beginnings).
pub fn excerpt(markdown: &str, max: usize) -> String {
    let start = beginning(markdown, 4 * max);
    let (text, reached) = text_of(start, max);
    let text = if reached || start.len() == markdown.len() {
        text
    } else {
        text_of(markdown, max).0
    };
    truncate_words(text.trim(), max)
}

/// The first blocks of `markdown` up to a blank line past its first
/// `bytes` bytes: each block in it is whole, so its events are those the
/// whole text begins with. The whole text when it defines link
/// references or footnotes (`]:`), which its beginning may use.
fn beginning(markdown: &str, bytes: usize) -> &str {
    if markdown.len() <= bytes || markdown.contains("]:") {
        return markdown;
    }
    let from = (bytes..markdown.len())
        .find(|&i| markdown.is_char_boundary(i))
        .unwrap_or(markdown.len());
    match markdown[from..].find("\n\n") {
        Some(i) => &markdown[..from + i + 1],
        None => markdown,
    }
}

/// The text [`excerpt`] reads of `markdown`, and whether it reached `max`
/// characters (reading stops there; a beginning that did not may fall
/// short of the whole text's).
fn text_of(markdown: &str, max: usize) -> (String, bool) {
    let mut text = String::new();
    let end_block = |text: &mut String| {
        let t = text.trim_end().len();
        text.truncate(t);
        if !text.is_empty() {
            if !text.ends_with(['.', '!', '?', ':', ';', '…']) {
                text.push('.');
            }
            text.push(' ');
        }
    };
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => end_block(&mut text),
            _ => {}
        }
        if text.chars().count() > max {
            return (text, true);
        }
    }
    (text, false)
}

/// At most about `max` characters, cut at a space, with "…" when cut.
pub fn truncate_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html(
            "Xin chào <script>alert(1)</script>\n\n<div onclick=x>a</div>",
            "/",
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<div"));
    }

    #[test]
    fn dangerous_links_become_dead() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://a.vn) [d](/mo-hinh/x/)",
            "/dv/",
        );
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("data:"));
        assert!(html.contains("href=\"https://a.vn\""));
        assert!(html.contains("href=\"/dv/mo-hinh/x/\""));
    }

    #[test]
    fn deep_nesting_is_flattened_but_keeps_its_text() {
        let quotes = format!("{}sâu", "> ".repeat(5000));
        let html = to_html(&quotes, "/");
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert_eq!(html.matches("</blockquote>").count(), MAX_NESTING);
        assert!(html.contains("sâu"));
        let stars = format!("{}x{}", "*".repeat(20_000), "*".repeat(20_000));
        let html = to_html(&stars, "/");
        let open = html.matches("<em>").count() + html.matches("<strong>").count();
        let close = html.matches("</em>").count() + html.matches("</strong>").count();
        assert!(open < MAX_NESTING && open == close, "{open} {close}");
    }

    #[test]
    fn a_body_starting_at_level_two_starts_at_h2() {
        let html = to_html("## Cách làm\n\n### Chi tiết\n\n## Kết quả", "/");
        assert!(html.contains("<h2 id=\"cach-lam\">"), "{html}");
        assert!(html.contains("<h3 id=\"chi-tiet\">"), "{html}");
        assert!(html.contains("<h2 id=\"ket-qua\">"), "{html}");
        assert!(!html.contains("<h4"), "{html}");
    }

    #[test]
    fn headings_get_ids_and_are_demoted() {
        let html = to_html("# Kết quả\n\n## Kết quả\n\n### Cách làm {#cach}", "/");
        assert!(html.contains("<h2 id=\"ket-qua\">Kết quả</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"ket-qua-2\">"), "{html}");
        assert!(html.contains("<h4 id=\"cach\">"), "{html}");
    }

    #[test]
    fn tables_footnotes_and_smart_quotes() {
        let html = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nCâu[^1] \"trích\"\n\n[^1]: Ghi chú",
            "/",
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("footnote"));
        assert!(html.contains("“trích”"));
    }

    /// An excerpt read from a body's beginning is the one read from the
    /// whole body, whatever comes after the cut: a list made loose by a
    /// blank line further down, a code block with a blank line in it, a
    /// link whose reference is defined at the end, a beginning with too
    /// little text.
    #[test]
    fn an_excerpt_read_from_the_beginning_is_the_whole_bodys() {
        let para = |i: usize| {
            format!("Đoạn {i} nói về mô hình dân vận khéo ở xã {i}, có *nhấn mạnh* và [liên kết](/a/{i}/).\n\n")
        };
        let long = |head: &str, tail: &str| {
            format!("{head}{}{tail}", (0..40).map(para).collect::<String>())
        };
        let bodies = [
            long("", ""),
            long("- mục một\n- mục hai\n\n", "\n- mục ba\n\n- mục bốn\n"),
            long("```\nmã\n\nvẫn là mã\n", "```\n"),
            long("Xem [bài gốc][g] trước.\n\n", "[g]: https://example.org/\n"),
            format!("# Tiêu đề\n\n{}", "![ảnh](a.jpg)\n\n".repeat(400)) + "Chữ ở cuối cùng.\n",
            "Ngắn.\n".to_string(),
        ];
        for body in &bodies {
            for max in [40, 160, 600] {
                let whole = truncate_words(text_of(body, max).0.trim(), max);
                assert_eq!(excerpt(body, max), whole, "{max}: {body:.60}");
            }
        }
        // The beginning is cut where it can be.
        assert!(beginning(&bodies[0], 2400).len() < bodies[0].len());
        assert_eq!(beginning(&bodies[3], 2400).len(), bodies[3].len());
    }

    #[test]
    fn summary_takes_first_paragraph() {
        let md = "## Tiêu đề\n\nĐoạn đầu *có nhấn mạnh*\nvà xuống dòng.\n\nĐoạn hai.";
        assert_eq!(summary(md, 300), "Đoạn đầu có nhấn mạnh và xuống dòng.");
        let long = "từ ".repeat(200);
        let s = summary(&long, 50);
        assert!(s.ends_with('…') && s.chars().count() <= 51);
    }
}
