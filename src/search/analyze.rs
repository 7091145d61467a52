//! The one Vietnamese analyzer (docs/search.md), mirrored line for line by
//! `themes/default/static/search.js` and checked against the same vectors
//! (`tests/search-js/vectors.json`) on both sides.
//!
//! Text → words (letters, digits and combining marks; zero-width and
//! non-breaking spaces separate, soft hyphens and joiners vanish) → NFC
//! lowercase → the tone mark moved to one canonical vowel per syllable
//! (hoà = hòa, thuỷ = thủy, with qu-/gi- onsets) → a syllable's lone final
//! `y` after a consonant written `i` (kỹ = kĩ, quý = quí) → the *exact* form;
//! the *folded* form drops every diacritic and writes đ as d.
//!
//! Words joined by `-`, `/` or `.` that mix letters and digits (document
//! codes: "11-CT/TU", "123/QĐ-UBND") are also kept whole, as one *code*
//! token at the position of their first word.

use unicode_normalization::char::is_combining_mark;

use crate::vi::{canonical_syllable, fold_word};
use unicode_normalization::UnicodeNormalization;

/// One token of a field or a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Canonical form with diacritics: what "matched exactly" means.
    pub exact: String,
    /// Without diacritics (đ → d): what every search matches on.
    pub folded: String,
    /// Word position (a code token shares its first word's position).
    pub pos: u32,
    /// Only whitespace separates this word from the previous one, so the
    /// two form an adjacent-syllable pair. Punctuation breaks pairs.
    pub joined: bool,
    /// A whole document code ("25-nq/tw"), not a word.
    pub code: bool,
}

impl Token {
    /// The word carries diacritics (or đ): matching it exactly ranks higher.
    pub fn has_diacritics(&self) -> bool {
        self.exact != self.folded
    }
}

const CODE_JOINERS: [char; 3] = ['-', '/', '.'];

/// Characters removed without breaking a word: soft hyphen, zero-width
/// (non-)joiner, word joiner, byte-order mark.
pub(super) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// A character of a word (JavaScript: `[\p{Alphabetic}\p{N}\p{M}]`).
pub fn is_word_char(c: char) -> bool {
    // Vietnamese letters first: Unicode's general lookup is a binary
    // search, and most of a Vietnamese text's letters are outside ASCII.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_vietnamese_letter(c) || c.is_alphanumeric() || is_combining_mark(c)
}

/// The precomposed letters Vietnamese uses beyond ASCII: Latin-1 and
/// Latin Extended-A (â, ê, ô, đ …), ơ/ư, and the tone-marked vowels of
/// Latin Extended Additional. All alphabetic.
pub(super) fn is_vietnamese_letter(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{17f}'
        | '\u{1a0}' | '\u{1a1}' | '\u{1af}' | '\u{1b0}' | '\u{1ea0}'..='\u{1ef9}')
}

/// Whitespace, including the zero-width space that editors paste from Word.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}'
}

/// A word as found in the text, with what separated it from the previous.
struct RawWord {
    text: String,
    /// Characters between the previous word and this one.
    gap: String,
}

fn split_words(text: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut gap = String::new();
    // Content is NFC from load on, so the quick check nearly always spares
    // the recomposition; queries and other text may not be.
    let composed = crate::vi::nfc_borrowed(text);
    for c in composed.chars() {
        if is_ignorable(c) {
            continue;
        }
        if is_word_char(c) {
            word.push(c);
        } else {
            if !word.is_empty() {
                words.push(RawWord {
                    text: std::mem::take(&mut word),
                    gap: std::mem::take(&mut gap),
                });
            }
            gap.push(c);
        }
    }
    if !word.is_empty() {
        words.push(RawWord { text: word, gap });
    }
    words
}

/// Analyses `text` into tokens in order.
pub fn analyze(text: &str) -> Vec<Token> {
    let words = split_words(text);
    let mut tokens = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let chain_end = code_chain_end(&words, i);
        if chain_end > i + 1 {
            tokens.push(code_token(&words[i..chain_end], i as u32));
        }
        let (exact, folded) = normalize_word(&words[i].text);
        tokens.push(Token {
            exact,
            folded,
            pos: i as u32,
            joined: i > 0 && words[i].gap.chars().all(is_space),
            code: false,
        });
        if chain_end > i + 1 {
            for (j, w) in words.iter().enumerate().take(chain_end).skip(i + 1) {
                let (exact, folded) = normalize_word(&w.text);
                tokens.push(Token {
                    exact,
                    folded,
                    pos: j as u32,
                    joined: false,
                    code: false,
                });
            }
            i = chain_end;
        } else {
            i += 1;
        }
    }
    tokens
}

/// End (exclusive) of the longest run of words from `start` joined by a
/// single code joiner, if that run mixes letters and digits; else `start + 1`.
fn code_chain_end(words: &[RawWord], start: usize) -> usize {
    let mut end = start + 1;
    while end < words.len() && is_code_joiner(&words[end].gap) {
        end += 1;
    }
    let run = &words[start..end];
    let digit = run.iter().any(|w| w.text.chars().any(char::is_numeric));
    let letter = run.iter().any(|w| w.text.chars().any(char::is_alphabetic));
    if end > start + 1 && digit && letter {
        end
    } else {
        start + 1
    }
}

fn is_code_joiner(gap: &str) -> bool {
    let mut chars = gap.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_code_joiner_char(c))
}

/// A character that may join the words of a document code.
pub(super) fn is_code_joiner_char(c: char) -> bool {
    CODE_JOINERS.contains(&c)
}

fn code_token(words: &[RawWord], pos: u32) -> Token {
    let mut exact = String::new();
    let mut folded = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            exact.push_str(&w.gap);
            folded.push_str(&w.gap);
        }
        let (e, f) = normalize_word(&w.text);
        exact.push_str(&e);
        folded.push_str(&f);
    }
    Token {
        exact,
        folded,
        pos,
        joined: false,
        code: true,
    }
}

thread_local! {
    /// Words recur (a site uses a few thousand syllables), so each thread
    /// normalises each distinct word once; bounded for hostile input.
    static NORMALIZED: std::cell::RefCell<rustc_hash::FxHashMap<String, (String, String)>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// The exact and folded forms of one word.
pub fn normalize_word(word: &str) -> (String, String) {
    NORMALIZED.with(|memo| {
        if let Some(v) = memo.borrow().get(word) {
            return v.clone();
        }
        let v = normalize_uncached(word);
        let mut memo = memo.borrow_mut();
        if memo.len() < 500_000 {
            memo.insert(word.to_string(), v.clone());
        }
        v
    })
}

pub(super) fn normalize_uncached(word: &str) -> (String, String) {
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    let exact = canonical_syllable(&lower.nfc().collect::<String>());
    let folded = fold_word(&exact);
    (exact, folded)
}

/// Adjacent-syllable pairs of a token stream (folded), never across
/// punctuation and never involving a code token.
pub fn pairs(tokens: &[Token]) -> Vec<String> {
    let words: Vec<&Token> = tokens.iter().filter(|t| !t.code).collect();
    words
        .windows(2)
        .filter(|w| w[1].joined && w[1].pos == w[0].pos + 1)
        .map(|w| pair_term(&w[0].folded, &w[1].folded))
        .collect()
}

/// The term naming an adjacent pair: both folded words, space-separated.
pub fn pair_term(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(s: &str) -> Vec<String> {
        analyze(s).into_iter().map(|t| t.exact).collect()
    }
    fn folded(s: &str) -> Vec<String> {
        analyze(s).into_iter().map(|t| t.folded).collect()
    }

    /// The fast path claims only letters Unicode calls alphabetic.
    #[test]
    fn vietnamese_letters_are_alphabetic() {
        let claimed: Vec<char> = ('\0'..='\u{2000}')
            .filter(|&c| is_vietnamese_letter(c))
            .collect();
        assert!(claimed.iter().all(|c| c.is_alphabetic()), "{claimed:?}");
        assert!(claimed.len() > 250);
        assert!(!is_vietnamese_letter('×') && !is_vietnamese_letter('÷'));
    }

    #[test]
    fn tone_placement_is_canonical() {
        for (a, b) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("khoá", "khóa"),
            ("Hoè", "hòe"),
            ("uỷ", "ủy"),
            ("ngoaì", "ngoài"),
        ] {
            assert_eq!(exact(a), exact(b), "{a} vs {b}");
        }
        assert_eq!(
            exact("quý giá người giường hoàng"),
            ["quí", "giá", "người", "giường", "hoàng"]
        );
        assert_eq!(exact("gì gìn quả"), ["gì", "gìn", "quả"]);
    }

    #[test]
    fn i_and_y_meet() {
        assert_eq!(exact("kĩ"), exact("kỹ"));
        assert_eq!(folded("sĩ sỹ Mỹ"), ["si", "si", "mi"]);
        assert_eq!(folded("y tế tay huy"), ["y", "te", "tay", "huy"]);
    }

    #[test]
    fn spaces_and_invisible_characters() {
        assert_eq!(folded("bánh\u{a0}mì"), ["banh", "mi"]);
        assert_eq!(folded("bánh\u{200b}mì"), ["banh", "mi"]);
        assert_eq!(folded("bá\u{ad}nh mì"), ["banh", "mi"]);
        let nfd: String = "Hòa giải".nfd().collect();
        assert_eq!(folded(&nfd), ["hoa", "giai"]);
    }

    #[test]
    fn codes_are_kept_whole() {
        let t = analyze("Chỉ thị 11-CT/TU và 123/QĐ-UBND, năm 2019.");
        let codes: Vec<&str> = t
            .iter()
            .filter(|t| t.code)
            .map(|t| t.folded.as_str())
            .collect();
        assert_eq!(codes, ["11-ct/tu", "123/qd-ubnd"]);
        assert!(t.iter().any(|t| t.folded == "ct"));
    }

    #[test]
    fn pairs_stop_at_punctuation() {
        let p = pairs(&analyze("Quảng Bình, an ninh"));
        assert_eq!(p, ["quang binh", "an ninh"]);
    }
}
