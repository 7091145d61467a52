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
/// key is written twice in any one mapping of it, so
/// [`SpanIndex::first_duplicate`] need not be asked. Every file is checked
/// at every build, and the full parse that finds the repeat was a tenth of
/// loading a site whose files repeat nothing (at 10,000 models, 0.1 s of
/// CPU on each rebuild).
///
/// The scan follows the mappings by their column: a key belongs to the
/// mapping open at its column, which a line at a smaller column or a new
/// `- ` item at a smaller column closes. So the `title` of each of a
/// model's `sources` and its own `title` are three mappings' keys, not a
/// repeat (until session 24, any key written twice anywhere sent the file
/// to the full parse: every model with two sources did). A one-line flow
/// mapping (`- {label: …, value: …}`) is a mapping of its own. Block
/// scalars (`|`, `>`) are skipped whole. Whatever the scan cannot read
/// that way is taken as a possible repeat: an explicit key (`?`), a tag,
/// anchor, alias or merge key, a quoted key with escapes, a quoted or flow
/// value that goes on past its line, a flow mapping inside another flow
/// collection, a tab in the indentation, a line break other than `\n`.
pub fn may_repeat_a_key(yaml: &str) -> bool {
    // A line break `lines` does not split at.
    if yaml.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return true;
    }
    // The open block mappings, by column, innermost last. FxHash: a
    // front matter's few dozen short keys, at every build for every file
    // (the standard SipHash was a seventieth of a rebuild).
    let mut open: Vec<(usize, rustc_hash::FxHashSet<&str>)> = Vec::new();
    // Inside a block scalar: its lines are indented more than this.
    let mut block: Option<usize> = None;
    for line in yaml.lines() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if let Some(parent) = block {
            if indent > parent {
                continue;
            }
            block = None;
        }
        if body.starts_with('\t') {
            return true;
        }
        let (column, t) = after_dashes(indent, body);
        if column > indent {
            // A new item closes the mappings of the item before it.
            while open.last().is_some_and(|(c, _)| *c > indent) {
                open.pop();
            }
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (value, owner) = if t.starts_with(['{', '[']) {
            (t, indent)
        } else {
            match line_key(t) {
                LineKey::Key(key, value) => {
                    if key == "<<" {
                        return true;
                    }
                    while open.last().is_some_and(|(c, _)| *c > column) {
                        open.pop();
                    }
                    if open.last().is_none_or(|(c, _)| *c < column) {
                        open.push((column, Default::default()));
                    }
                    if open.last_mut().is_some_and(|(_, keys)| !keys.insert(key)) {
                        return true;
                    }
                    (value, column)
                }
                LineKey::None => (t, indent),
                LineKey::Unreadable => return true,
            }
        };
        match value_kind(value) {
            Value::Plain => {}
            Value::Block => block = Some(owner),
            Value::Unreadable => return true,
        }
    }
    false
}

/// The column where a line's content starts after its `- ` items, and
/// that content.
fn after_dashes(indent: usize, body: &str) -> (usize, &str) {
    let (mut column, mut t) = (indent, body);
    while let Some(rest) = t
        .strip_prefix('-')
        .filter(|r| r.is_empty() || r.starts_with(' '))
    {
        let trimmed = rest.trim_start_matches(' ');
        column += 1 + rest.len() - trimmed.len();
        t = trimmed;
    }
    (column, t)
}

/// How [`may_repeat_a_key`] reads a value on its line.
enum Value {
    /// Ends on this line, or is a plain scalar (whose next lines hold no
    /// key): nothing more to read.
    Plain,
    /// `|` or `>`: the lines indented more than its key are its text.
    Block,
    /// May hold a repeat the scan does not see, or goes on past the line.
    Unreadable,
}

fn value_kind(v: &str) -> Value {
    match v.chars().next() {
        None | Some('#') => Value::Plain,
        Some('|' | '>') => Value::Block,
        Some('&' | '*' | '!' | '?') => Value::Unreadable,
        Some(q @ ('"' | '\'')) => match closing_quote(v, q) {
            Some(end) if ends_line(&v[end..]) => Value::Plain,
            _ => Value::Unreadable,
        },
        Some('{' | '[') => match flow_keys_repeat(v) {
            Some(false) => Value::Plain,
            _ => Value::Unreadable,
        },
        Some(_) => Value::Plain,
    }
}

/// Whether nothing but spaces and a comment follows.
fn ends_line(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    rest.is_empty() || rest.starts_with('#')
}

/// Where a quoted scalar starting at `v[0]` (quote `q`) ends (just after
/// its closing quote); none when it goes on past the line.
fn closing_quote(v: &str, q: char) -> Option<usize> {
    let bytes = v.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == '"' => i += 2,
            b'\'' if q == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q as u8 => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// For a flow collection written whole on its line (`{…}` or `[…]`, then
/// at most a comment): whether a mapping repeats a key. None when the
/// scan cannot tell: the collection goes on past the line, a mapping is
/// inside another collection, or an entry is not a plain `key: value`.
fn flow_keys_repeat(v: &str) -> Option<bool> {
    let bytes = v.as_bytes();
    let map = bytes[0] == b'{';
    let mut depth = 0usize;
    // Where the current entry of the outer mapping starts.
    let mut entry = 1;
    let mut keys: rustc_hash::FxHashSet<&str> = Default::default();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => i += closing_quote(&v[i..], q as char)? - 1,
            b'{' if depth > 0 => return None,
            b'{' | b'[' => depth += 1,
            b',' | b'}' | b']' if depth == 1 => {
                if map && !flow_entry(&v[entry..i], &mut keys)? {
                    return Some(true);
                }
                entry = i + 1;
                if bytes[i] != b',' {
                    return ends_line(&v[i + 1..]).then_some(false);
                }
            }
            b']' => depth = depth.checked_sub(1)?,
            b'#' if bytes[i - 1] == b' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Adds a flow mapping's entry's key to `keys`; false when it was there.
/// None when the entry is not one the scan reads.
fn flow_entry<'a>(entry: &'a str, keys: &mut rustc_hash::FxHashSet<&'a str>) -> Option<bool> {
    let entry = entry.trim_matches(' ');
    if entry.is_empty() {
        return Some(true);
    }
    let key = match line_key(entry) {
        LineKey::Key(k, _) => k,
        // `{a, b}`: keys with no value.
        LineKey::None if !entry.contains([':', '"', '\'']) => entry,
        _ => return None,
    };
    if key == "<<" || key.starts_with(['&', '*', '!', '?', '[', '{']) {
        return None;
    }
    Some(keys.insert(key))
}

/// What starts a line of block YAML (indentation and `- ` removed).
enum LineKey<'a> {
    /// A key, unquoted, and what follows its colon (spaces trimmed).
    Key(&'a str, &'a str),
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
            Some(rest) if ends_key(rest) => LineKey::Key(key, rest.trim_start()),
            _ => LineKey::None,
        };
    }
    let mut from = 0;
    while let Some(i) = t[from..].find(':') {
        let at = from + i;
        if ends_key(&t[at + 1..]) {
            return LineKey::Key(t[..at].trim_end(), t[at + 1..].trim_start());
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
            "sources:\n  - url: u\n    title: b\n    title: c\n",
            "results:\n  - {label: a, value: 1, label: b}\n",
            "a: {x: 1, 'x': 2}\n",
            "a:\n  b: |\n    t\n  b: 2\n",
            "- a: 1\n  a: 2\n",
        ];
        // A model; then each mapping's keys apart: the items of a list, a
        // nested mapping and its parent, a one-line flow mapping, a block
        // scalar's text.
        let apart = [
            "id: 288e5\ntitle: \"Tủ bánh mì: 0 đồng\"\nsummary: >\n  Mỗi sáng: bánh mì\ntags:\n  - bánh mì\n  - \"a: b\"\nrecognitions:\n  - level: cap-huyen\n    year: 2019\n# title: cũ\n",
            "honorees:\n  - name: a\n  - name: b\n",
            "title: a\nsources:\n  - url: u\n    title: b\n  - url: v\n    title: c\ndate: 2024-01-02\n",
            "sources:\n- url: u\n  title: b\n- url: v\n  title: c\ntitle: d\n",
            "results:\n  - {label: \"Hộ: tham gia\", value: 1, unit: hộ}\n  - {label: b, value: 2}\nlabel: c\n",
            "a:\n  x: 1\nb:\n  x: 2\n",
            "summary: |\n  x: 1\n  x: 2\nx: 3\n",
            "- |\n  a: 1\n  a: 2\n",
            "tags: [\"a, b\", c]\ntitle: \"x: y\" # chú thích\n",
            "a: {b: [1, 2], c: 3}\n",
        ];
        let cases = repeats.iter().map(|y| (y, true));
        for (y, repeat) in cases.chain(apart.iter().map(|y| (y, false))) {
            assert_eq!(
                SpanIndex::build(y).first_duplicate().is_some(),
                repeat,
                "{y}"
            );
            assert_eq!(may_repeat_a_key(y), repeat, "{y}");
        }
    }

    /// Front matters made of random lines (keys, items, flow mappings,
    /// block and quoted scalars at random columns): whenever the full
    /// parse finds a repeat, the scan must not have ruled one out.
    #[test]
    fn the_quick_scan_never_rules_out_a_repeat_the_parse_finds() {
        const PIECES: [&str; 24] = [
            "a: 1",
            "b: 2",
            "a:",
            "b:",
            "- a: 1",
            "- b: 2",
            "- a:",
            "- 1",
            "-",
            "- - a: 1",
            "a: {a: 1, b: 2}",
            "- {a: 1, a: 2}",
            "{a: 1}",
            "a: [1, {a: 2}]",
            "a: |",
            "b: >-",
            "x: y",
            "'a': 3",
            "\"a\": 4",
            "a: \"q",
            "r\"",
            "# a: 1",
            "a: [1,",
            "2]",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut repeats, mut cleared) = (0, 0);
        for _ in 0..40_000 {
            let mut y = String::new();
            for _ in 0..1 + next(7) {
                y.push_str(&" ".repeat(next(3) * 2));
                y.push_str(PIECES[next(PIECES.len())]);
                y.push('\n');
            }
            let repeat = SpanIndex::build(&y).first_duplicate().is_some();
            let may = may_repeat_a_key(&y);
            assert!(!repeat || may, "a repeat the scan ruled out:\n{y}");
            repeats += usize::from(repeat);
            cleared += usize::from(!may);
        }
        // The generator makes both kinds.
        assert!(repeats > 1000 && cleared > 1000, "{repeats} {cleared}");
    }

    /// What the scan cannot follow sends the file to the full parse.
    #[test]
    fn the_quick_scan_leaves_to_the_parse_what_it_cannot_read() {
        let unread = [
            "title: \"a\n  b\"\ntitle: c\n",
            "a: {x: 1,\n  x: 2}\n",
            "a: [{x: 1, x: 2}]\n",
            "a: &k {x: 1}\nb: *k\n",
            "a:\n  <<: {x: 1}\n  x: 2\n",
            "a: {\"x\":1, \"x\":2}\n",
            "a:\n\t x: 1\n",
        ];
        for y in unread {
            assert!(may_repeat_a_key(y), "{y}");
        }
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
