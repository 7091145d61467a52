//! Splitting a content file into YAML front matter and Markdown body, and
//! locating every value of the front matter in the file.
//!
//! serde gives typed values but no positions, so a second, event-level pass
//! (saphyr) records where each value starts. Validation then points at the
//! exact place of a bad value (`recognitions.1.award`) instead of the top of
//! the file.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span, SpannedEventReceiver};

/// Byte ranges of the two parts inside the (normalised) file text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Finds `---\n…\n---` at the very start of `text` (which has LF line ends).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let front_start = (first_line_end + 1).min(text.len());
    let mut pos = front_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                front: front_start..pos,
                body: body_start..text.len(),
            });
        }
        pos = end + 1;
    }
    Err(SplitError::Unclosed)
}

/// Deepest nesting a front matter may have. The schema needs four levels;
/// parsers recurse once per level, so a hostile file of thousands of levels
/// must be refused before any parser sees it.
pub const MAX_DEPTH: usize = 32;

/// A cheap upper estimate of a YAML text's nesting: block levels (by
/// indentation, `- ` counting as one) plus open flow brackets. Returns the
/// line (1-based) where `MAX_DEPTH` is first exceeded.
pub fn too_deep(yaml: &str) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let trimmed = line.trim_start_matches([' ', '-']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if flow == 0 {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut quote: Option<char> = None;
        for c in trimmed.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                (None, '#') => break,
                _ => {}
            }
            if indents.len() + flow > MAX_DEPTH {
                return Some(i + 1);
            }
        }
        let dashes = line[..indent].matches('-').count();
        if indents.len() + dashes + flow > MAX_DEPTH {
            return Some(i + 1);
        }
    }
    None
}

/// Whether `yaml` may write a key twice in one mapping: false only when no
/// key is written twice anywhere in it, so [`SpanIndex::first_duplicate`]
/// need not be asked. Every file is checked at every build, and the full
/// parse that finds the repeat was a tenth of loading a site whose files
/// repeat nothing (at 10,000 models, 0.1 s of CPU on each rebuild).
///
/// A repeat in a block mapping is two lines starting with the same key,
/// after the indentation and any `- `, quoted or not. Whatever this scan
/// cannot read that way is taken as a possible repeat: a flow mapping
/// (`{`), an explicit key (`?`), a key with a tag, anchor or alias, a
/// quoted key with escapes, a line break other than `\n`.
pub fn may_repeat_a_key(yaml: &str) -> bool {
    // A flow mapping, or a line break `lines` does not split at.
    if yaml.contains(['{', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return true;
    }
    // FxHash: a front matter's few dozen short keys, at every build for
    // every file (the standard SipHash was a seventieth of a rebuild).
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for line in yaml.lines() {
        let mut t = line.trim_start();
        while let Some(rest) = t
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        {
            t = rest.trim_start();
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let key = match line_key(t) {
            LineKey::Key(k) => k,
            LineKey::None => continue,
            LineKey::Unreadable => return true,
        };
        if !seen.insert(key) {
            return true;
        }
    }
    false
}

/// What starts a line of block YAML (indentation and `- ` removed).
enum LineKey<'a> {
    /// A key, unquoted.
    Key(&'a str),
    /// No key: a value, or the continuation of one.
    None,
    /// Something [`may_repeat_a_key`] does not read.
    Unreadable,
}

fn line_key(t: &str) -> LineKey<'_> {
    if t.starts_with(['?', '!', '&', '*']) {
        return LineKey::Unreadable;
    }
    let ends_key = |after: &str| after.is_empty() || after.starts_with([' ', '\t']);
    if let Some(q) = t.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &t[1..];
        let Some(close) = inner.find(q) else {
            return LineKey::Unreadable;
        };
        let (key, after) = (&inner[..close], &inner[close + 1..]);
        // `''` inside single quotes, or an escape inside double ones.
        if after.starts_with(q) || key.contains('\\') {
            return LineKey::Unreadable;
        }
        return match after.trim_start().strip_prefix(':') {
            Some(rest) if ends_key(rest) => LineKey::Key(key),
            _ => LineKey::None,
        };
    }
    let mut from = 0;
    while let Some(i) = t[from..].find(':') {
        let at = from + i;
        if ends_key(&t[at + 1..]) {
            return LineKey::Key(t[..at].trim_end());
        }
        from = at + 1;
    }
    LineKey::None
}

/// Where each value of a YAML document is, by path (`recognitions.0.award`),
/// in character offsets of the front-matter text.
#[derive(Debug, Default)]
pub struct SpanIndex {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
    /// Keys written a second time in the same mapping, with the position of
    /// the repeat (YAML forbids it; serde would only point at the mapping).
    duplicates: Vec<(String, Range<usize>)>,
}

impl SpanIndex {
    pub fn build(yaml: &str) -> SpanIndex {
        let mut recv = Receiver::default();
        let mut parser = Parser::new_from_str(yaml);
        // A syntax error stops the index where it is; serde reports the error.
        let _ = parser.load(&mut recv, false);
        recv.index
    }

    /// Character range of the value at `path`.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }

    /// The first key repeated within one mapping, if any.
    pub fn first_duplicate(&self) -> Option<(&str, Range<usize>)> {
        self.duplicates
            .first()
            .map(|(k, r)| (k.as_str(), r.clone()))
    }

    /// Character range of the key that introduces `path`.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned()
    }
}

enum Frame {
    Map {
        path: String,
        pending_key: Option<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Receiver {
    stack: Vec<Frame>,
    index: SpanIndex,
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

impl Receiver {
    /// The path of the next value in the current collection, if the event is
    /// a value (not a mapping key).
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, pending_key }) => pending_key.take().map(|k| join(path, &k)),
        }
    }

    fn record(&mut self, path: String, span: Span) {
        self.index
            .values
            .entry(path)
            .or_insert(span.start.index()..span.end.index().max(span.start.index() + 1));
    }
}

impl<'input> SpannedEventReceiver<'input> for Receiver {
    fn on_event(&mut self, ev: Event<'input>, span: Span) {
        match ev {
            Event::Scalar(value, ..) => match self.next_value_path() {
                Some(path) => self.record(path, span),
                None => {
                    if let Some(Frame::Map { path, pending_key }) = self.stack.last_mut() {
                        let key_path = join(path, &value);
                        let range = span.start.index()..span.end.index();
                        match self.index.keys.entry(key_path) {
                            Entry::Occupied(e) => {
                                self.index.duplicates.push((e.key().clone(), range))
                            }
                            Entry::Vacant(e) => {
                                e.insert(range);
                            }
                        }
                        *pending_key = Some(value.into_owned());
                    }
                }
            },
            Event::Alias(_) => {
                if let Some(path) = self.next_value_path() {
                    self.record(path, span);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A collection used as a mapping key has no simple path.
                let path = self.next_value_path().unwrap_or_else(|| "?".into());
                self.record(path.clone(), span);
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        pending_key: None,
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Byte offset of a character offset.
pub fn char_to_byte(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "---\ntitle: A\n---\nBody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.front.clone()], "title: A\n");
        assert_eq!(&t[s.body], "Body\n");
    }

    #[test]
    fn split_reports_missing_and_unclosed() {
        assert_eq!(split("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split(""), Err(SplitError::Missing));
    }

    #[test]
    fn empty_front_matter_is_allowed() {
        let s = split("---\n---\n").unwrap();
        assert!(s.front.is_empty());
    }

    #[test]
    fn depth_guard_refuses_only_absurd_nesting() {
        let ok = "title: A\nrecognitions:\n  - {level: cap-huyen, year: 2019}\nstatistics:\n  - label: x\n    breakdowns:\n      - by: cấp\n        parts: [{label: a, value: 1}]\n";
        assert_eq!(too_deep(ok), None);
        let flow = format!("tags: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(too_deep(&flow), Some(1));
        let block: String = (0..1000)
            .map(|i| format!("{}a:\n", "  ".repeat(i)))
            .collect();
        assert_eq!(too_deep(&block), Some(MAX_DEPTH + 1));
        assert_eq!(
            too_deep("title: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\""),
            None
        );
    }

    /// Every repeat the full parse finds, the scan lets through to it;
    /// front matter without one is let off the parse.
    #[test]
    fn a_repeated_key_is_never_missed_by_the_quick_scan() {
        let repeats = [
            "title: a\ntitle: b\n",
            "title: a\n\"title\": b\n",
            "'title': a\ntitle  : b\n",
            "recognitions:\n  - award: a\n    award: b\n",
            "recognitions:\n- - award: a\n    award: b\n",
            "a: {x: 1, x: 2}\n",
            "? title\n: a\ntitle: b\n",
            "!!str title: a\ntitle: b\n",
            "\"ti\\x74le\": a\ntitle: b\n",
            "'it''s': a\n'it''s': b\n",
            "title: a\rtitle: b\r",
        ];
        for y in repeats {
            assert!(SpanIndex::build(y).first_duplicate().is_some(), "{y}");
            assert!(may_repeat_a_key(y), "{y}");
        }
        let model = "id: 288e5\ntitle: \"Tủ bánh mì: 0 đồng\"\nsummary: >\n  Mỗi sáng: bánh mì\ntags:\n  - bánh mì\n  - \"a: b\"\nrecognitions:\n  - level: cap-huyen\n    year: 2019\n# title: cũ\n";
        assert!(SpanIndex::build(model).first_duplicate().is_none());
        assert!(!may_repeat_a_key(model));
        // Two list items with the same keys: not a repeat, but the scan
        // cannot tell, so the parse decides.
        let items = "honorees:\n  - name: a\n  - name: b\n";
        assert!(may_repeat_a_key(items));
        assert!(SpanIndex::build(items).first_duplicate().is_none());
    }

    #[test]
    fn index_locates_nested_values_block_and_flow() {
        let y = "title: Tủ bánh mì\nrecognitions:\n  - {level: cap-huyen, year: 2019}\n  - level: cap-tinh\n    award: bang-khen\n";
        let idx = SpanIndex::build(y);
        let at = |p: &str| {
            let r = idx.value(p).unwrap();
            y.chars()
                .skip(r.start)
                .take(r.end - r.start)
                .collect::<String>()
        };
        assert_eq!(at("title"), "Tủ bánh mì");
        assert_eq!(at("recognitions.0.level"), "cap-huyen");
        assert_eq!(at("recognitions.1.award"), "bang-khen");
        let k = idx.key("recognitions.1.award").unwrap();
        assert_eq!(y.chars().skip(k.start).take(5).collect::<String>(), "award");
    }
}
