//! A document's terms as the index counts them, found without a string
//! per token: the indexing twin of [`super::analyze`], which stays the
//! reference (queries, the client's vectors) and which this module is
//! held to token for token (`tests` below, and
//! `tests/it/search.rs::the_fast_scanner_finds_the_analyzers_tokens`).
//!
//! Why a second path: the site's text is tens of megabytes, and the
//! reference analyzer made two strings per word, a third per adjacent
//! pair, then hashed and sorted them all again per document; at 10,000
//! models that was most of the search stage's CPU. A site writes a few
//! thousand distinct words, so here each thread normalises a word once
//! and afterwards knows it by a number: words, exact forms and document
//! codes are interned in one [`Vocab`] the threads share (consulted only
//! for words a thread has not met), a pair of adjacent words is named by
//! its two numbers, and a document's terms are counted by sorting
//! integers.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::analyze::{
    is_code_joiner_char, is_ignorable, is_space, is_vietnamese_letter, is_word_char,
    normalize_uncached,
};
use super::postings::EXACT_PREFIX;

/// Every term of one index by number: folded words, exact forms (with
/// their [`EXACT_PREFIX`]) and document codes. Numbers are dense from 0.
pub struct Vocab {
    /// Tells one vocabulary's numbers from another's in the threads'
    /// memos (a test, or `serve` starting afresh, makes a new one).
    generation: u64,
    inner: Mutex<Interned>,
}

#[derive(Default)]
struct Interned {
    ids: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

impl Default for Vocab {
    fn default() -> Vocab {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Vocab {
            generation: NEXT.fetch_add(1, Ordering::Relaxed),
            inner: Mutex::new(Interned::default()),
        }
    }
}

impl Vocab {
    /// The number of `term`, given one if it is new.
    pub(crate) fn id(&self, term: &str) -> u32 {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = inner.ids.get(term) {
            return id;
        }
        let id = inner.terms.len() as u32;
        inner.terms.push(term.into());
        inner.ids.insert(term.into(), id);
        id
    }

    /// Every term, by number.
    pub fn with_terms<R>(&self, f: impl FnOnce(&[Box<str>]) -> R) -> R {
        f(&self.inner.lock().unwrap_or_else(|e| e.into_inner()).terms)
    }

    pub fn len(&self) -> usize {
        self.with_terms(<[_]>::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A word as a thread knows it once normalised.
struct Known {
    folded: u32,
    /// The exact form's number, when it differs from the folded form.
    exact: Option<u32>,
    folded_text: Box<str>,
    exact_text: Box<str>,
}

/// Words a thread has normalised, by their text as written.
#[derive(Default)]
struct Memo {
    generation: u64,
    index: FxHashMap<Box<str>, u32>,
    words: Vec<Known>,
}

/// Bound on a thread's memo: a hostile text of endless distinct words
/// costs time, not memory.
const MEMO_WORDS: usize = 500_000;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

impl Memo {
    fn known(&mut self, vocab: &Vocab, word: &str) -> &Known {
        if self.generation != vocab.generation || self.words.len() >= MEMO_WORDS {
            self.index.clear();
            self.words.clear();
            self.generation = vocab.generation;
        }
        if let Some(&i) = self.index.get(word) {
            return &self.words[i as usize];
        }
        let (exact, folded) = normalize_uncached(word);
        self.words.push(Known {
            folded: vocab.id(&folded),
            exact: (exact != folded).then(|| vocab.id(&exact_term(&exact))),
            folded_text: folded.into(),
            exact_text: exact.into(),
        });
        self.index.insert(word.into(), self.words.len() as u32 - 1);
        &self.words[self.words.len() - 1]
    }
}

fn exact_term(exact: &str) -> String {
    let mut t = String::with_capacity(exact.len() + 1);
    t.push(EXACT_PREFIX);
    t.push_str(exact);
    t
}

/// One token, as [`super::analyze::Token`] has it but by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tok<'a> {
    pub folded: u32,
    pub exact: Option<u32>,
    pub folded_text: &'a str,
    pub exact_text: &'a str,
    /// Only whitespace separates it from the previous word.
    pub joined: bool,
    /// A whole document code.
    pub code: bool,
}

/// What separates a word from the one before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Whitespace only: the two words are a pair.
    Space,
    /// One of `-`, `/`, `.`, alone: the words may be one code.
    Joiner(char),
    Other,
}

/// A word of the text: where it is, what precedes it, what it holds.
struct Span {
    start: usize,
    end: usize,
    gap: Gap,
    digit: bool,
    letter: bool,
}

/// Calls `each` with the tokens of `text`, in the order
/// [`super::analyze::analyze`] gives them.
pub fn scan(vocab: &Vocab, text: &str, mut each: impl FnMut(Tok<'_>)) {
    // One pass over text that is already as the analyzer reads it (all
    // of it at a build: content is NFC from load on); a second otherwise.
    let (text, spans) = match spans_of_plain(text) {
        Some(spans) => (std::borrow::Cow::Borrowed(text), spans),
        None => {
            let text = prepared(text);
            let spans = spans(&text);
            (text, spans)
        }
    };
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let mut i = 0;
        while i < spans.len() {
            let end = code_chain_end(&spans, i);
            if end > i + 1 {
                let (folded, exact) = code_texts(&mut memo, vocab, &text, &spans[i..end]);
                let exact_id = (exact != folded).then(|| vocab.id(&exact_term(&exact)));
                each(Tok {
                    folded: vocab.id(&folded),
                    exact: exact_id,
                    folded_text: &folded,
                    exact_text: &exact,
                    joined: false,
                    code: true,
                });
            }
            let last = if end > i + 1 { end } else { i + 1 };
            for (j, s) in spans.iter().enumerate().take(last).skip(i) {
                let k = memo.known(vocab, &text[s.start..s.end]);
                each(Tok {
                    folded: k.folded,
                    exact: k.exact,
                    folded_text: &k.folded_text,
                    exact_text: &k.exact_text,
                    joined: j == i && j > 0 && s.gap == Gap::Space,
                    code: false,
                });
            }
            i = last;
        }
    });
}

/// The text NFC, without the characters that vanish inside words (as the
/// analyzer reads it); borrowed when it already is so, which one pass over
/// it tells for the characters Vietnamese text is made of (content is NFC
/// from load on).
fn prepared(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(plainly_nfc) {
        return text.into();
    }
    let composed: std::borrow::Cow<str> = if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        text.into()
    } else {
        text.nfc().collect::<String>().into()
    };
    if composed.chars().any(is_ignorable) {
        composed
            .chars()
            .filter(|&c| !is_ignorable(c))
            .collect::<String>()
            .into()
    } else {
        composed
    }
}

/// A character that is NFC whatever surrounds it and does not vanish
/// inside a word: below the combining marks (U+0300), but the soft
/// hyphen; the precomposed Vietnamese vowels; dashes, quotes and ellipsis.
fn plainly_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{ac}' | '\u{ae}'..='\u{2ff}' | '\u{1ea0}'..='\u{1ef9}' | '\u{2010}'..='\u{2027}')
}

/// The words of `text`, if every character of it is [`plainly_nfc`] (then
/// [`prepared`] would return it as it is).
fn spans_of_plain(text: &str) -> Option<Vec<Span>> {
    spans_checking(text, true)
}

fn spans(text: &str) -> Vec<Span> {
    spans_checking(text, false).unwrap_or_default()
}

/// The words of `text`; none when `plain_only` and a character is not
/// [`plainly_nfc`].
fn spans_checking(text: &str, plain_only: bool) -> Option<Vec<Span>> {
    let mut spans: Vec<Span> = Vec::new();
    let mut word: Option<Span> = None;
    // The gap before the next word: how many characters, and the first.
    let (mut gap_chars, mut gap_first, mut gap_spaces) = (0usize, ' ', true);
    for (at, c) in text.char_indices() {
        if plain_only && !c.is_ascii() && !plainly_nfc(c) {
            return None;
        }
        let (is_word, digit, letter) = classify(c);
        if is_word {
            let w = word.get_or_insert_with(|| Span {
                start: at,
                end: at,
                gap: match (gap_chars, gap_spaces) {
                    (_, true) => Gap::Space,
                    (1, false) if is_code_joiner_char(gap_first) => Gap::Joiner(gap_first),
                    _ => Gap::Other,
                },
                digit: false,
                letter: false,
            });
            w.end = at + c.len_utf8();
            w.digit |= digit;
            w.letter |= letter;
        } else {
            if let Some(w) = word.take() {
                spans.push(w);
                (gap_chars, gap_spaces) = (0, true);
            }
            if gap_chars == 0 {
                gap_first = c;
            }
            gap_chars += 1;
            gap_spaces &= is_space(c);
        }
    }
    spans.extend(word);
    Some(spans)
}

/// Whether `c` belongs to a word, is a digit, is a letter (as
/// `analyze::is_word_char`, `char::is_numeric`, `char::is_alphabetic`),
/// the letters of Vietnamese first: Unicode's general tables are a
/// binary search each.
fn classify(c: char) -> (bool, bool, bool) {
    if c.is_ascii() {
        return (
            c.is_ascii_alphanumeric(),
            c.is_ascii_digit(),
            c.is_ascii_alphabetic(),
        );
    }
    if is_vietnamese_letter(c) {
        return (true, false, true);
    }
    (is_word_char(c), c.is_numeric(), c.is_alphabetic())
}

/// As `analyze::code_chain_end`.
fn code_chain_end(spans: &[Span], start: usize) -> usize {
    let mut end = start + 1;
    while end < spans.len() && matches!(spans[end].gap, Gap::Joiner(_)) {
        end += 1;
    }
    let run = &spans[start..end];
    if end > start + 1 && run.iter().any(|s| s.digit) && run.iter().any(|s| s.letter) {
        end
    } else {
        start + 1
    }
}

/// A code's folded and exact forms: its words normalised, joined by what
/// joins them in the text.
fn code_texts(memo: &mut Memo, vocab: &Vocab, text: &str, run: &[Span]) -> (String, String) {
    let (mut folded, mut exact) = (String::new(), String::new());
    for (k, s) in run.iter().enumerate() {
        if let (true, Gap::Joiner(c)) = (k > 0, s.gap) {
            folded.push(c);
            exact.push(c);
        }
        let w = memo.known(vocab, &text[s.start..s.end]);
        folded.push_str(&w.folded_text);
        exact.push_str(&w.exact_text);
    }
    (folded, exact)
}

/// A token as text: folded, exact, joined, code.
pub type TokenText = (String, String, bool, bool);

/// The tokens of `text` as text, and its adjacent pairs: first as
/// [`scan`] finds them with `vocab` (words it already numbered are read
/// from the memo), then as the reference analyzer does. The two must be
/// equal for any text; the unit tests below, the sample site's texts
/// (`tests/it/search.rs`) and the fuzz corpus (`fuzz/entry.rs`) hold them
/// to it.
pub fn against_analyzer(vocab: &Vocab, text: &str) -> [(Vec<TokenText>, Vec<String>); 2] {
    let (mut tokens, mut pairs) = (Vec::new(), Vec::new());
    let mut prev: Option<String> = None;
    scan(vocab, text, |t| {
        tokens.push((
            t.folded_text.to_string(),
            t.exact_text.to_string(),
            t.joined,
            t.code,
        ));
        if t.code {
            return;
        }
        if let (Some(p), true) = (&prev, t.joined) {
            pairs.push(super::analyze::pair_term(p, t.folded_text));
        }
        prev = Some(t.folded_text.to_string());
    });
    let reference = super::analyze::analyze(text);
    let reference_pairs = super::analyze::pairs(&reference);
    let reference = reference
        .into_iter()
        .map(|t| (t.folded, t.exact, t.joined, t.code))
        .collect();
    [(tokens, pairs), (reference, reference_pairs)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_tokens_and_pairs_as_the_analyzer() {
        let vocab = Vocab::default();
        for text in [
            "",
            "   ",
            "Chỉ thị 11-CT/TU và 123/QĐ-UBND, năm 2019.",
            "Hoà giải ở cơ sở; THUỶ lợi — kỹ thuật",
            "bá\u{ad}nh\u{a0}mì\u{200b}Sài Gòn",
            "a-b-1 x/y 2/3/2020 ĐT.741 - 45.885 mét",
            "NFD: Hòa giải",
            "-lead, trail- ..a.b.. 1.2.a",
            "日本語 and ελληνικά 12ab",
            "Quảng Bình, an ninh trật tự; 11-CT/TU về dân vận",
        ] {
            let text: String = if text.starts_with("NFD") {
                text.nfd().collect()
            } else {
                text.to_string()
            };
            let [fast, reference] = against_analyzer(&vocab, &text);
            assert_eq!(fast, reference, "{text:?}");
        }
        let [(_, pairs), _] = against_analyzer(&vocab, "Quảng Bình, an ninh trật tự");
        assert_eq!(pairs, ["quang binh", "an ninh", "ninh trat", "trat tu"]);
    }

    /// The characters taken as NFC without looking are so, and none of
    /// them vanishes inside a word.
    #[test]
    fn plainly_nfc_characters_are_nfc() {
        for c in ('\0'..='\u{3000}').filter(|&c| plainly_nfc(c)) {
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "{c:?}"
            );
            assert!(!is_ignorable(c), "{c:?}");
            assert!(!unicode_normalization::char::is_combining_mark(c), "{c:?}");
        }
    }

    #[test]
    fn numbers_are_shared_and_exact_forms_prefixed() {
        let vocab = Vocab::default();
        let mut seen = Vec::new();
        scan(&vocab, "Hòa hoà hoa", |t| seen.push((t.folded, t.exact)));
        assert_eq!(seen[0], seen[1]);
        assert_eq!(seen[0].0, seen[2].0);
        assert_eq!(seen[2].1, None);
        vocab.with_terms(|terms| {
            assert_eq!(&*terms[seen[0].0 as usize], "hoa");
            assert_eq!(&*terms[seen[0].1.unwrap() as usize], "=hòa");
        });
    }
}
