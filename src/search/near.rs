//! Typo tolerance: which dictionary words a mistyped word may stand for,
//! defined once for the three searchers (the browser client mirrors it in
//! `search.js`, `nearKeys`, `distance`).
//!
//! A query word of at least [`MIN_LEN`] letters that is in no document is
//! compared with the site's words within an edit distance (insertions,
//! deletions, substitutions and transpositions of two neighbouring letters)
//! of 1, from [`MIN_LEN_TWO`] letters of 2. The candidates of a word come
//! from two small files of the static index, so the whole dictionary is
//! never downloaded: the words that begin with its first letter, and the
//! words that end with its last letter. A single edit cannot change both
//! the first and the last letter of a word of four letters or more, so
//! every candidate at distance 1 is in one of the two; the same two lists
//! also give the joined words ("banhmi" = "banh" + "mi": a left part from
//! the first list, a right part from the second). Two edits may change
//! both ends; such words are not found, a price for reading two files.
//!
//! Words with digits are never corrected and never candidates ("quận 12"
//! is not a typo of "quận 11").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Letters a word needs before it is corrected at all.
pub const MIN_LEN: usize = 4;
/// Letters a word needs before two edits are allowed.
pub const MIN_LEN_TWO: usize = 5;
/// Corrections tried per word, best first.
pub const CORRECTIONS: usize = 3;

/// A dictionary word as the near lists keep it: folded form, document
/// frequency, and the form most documents write it in (empty when that is
/// the folded form itself), shown in "Kết quả cho …".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearWord(pub String, pub u32, pub String);

impl NearWord {
    pub fn shown(&self) -> &str {
        if self.2.is_empty() {
            &self.0
        } else {
            &self.2
        }
    }
}

/// Edits allowed for a word of `len` letters (0: not corrected).
pub fn max_distance(len: usize) -> usize {
    if len >= MIN_LEN_TWO {
        2
    } else if len >= MIN_LEN {
        1
    } else {
        0
    }
}

/// Whether a folded word may be corrected or be a correction: letters
/// only (no digits, no code).
pub fn correctable(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphabetic)
}

/// The two lists a word's candidates come from: `^` and its first letter,
/// its last letter and `$`.
pub fn keys(word: &str) -> Vec<String> {
    let (Some(first), Some(last)) = (word.chars().next(), word.chars().last()) else {
        return Vec::new();
    };
    vec![format!("^{first}"), format!("{last}$")]
}

/// Optimal string alignment distance between `a` and `b` (characters),
/// or `None` when it is above `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows: the one before the previous for transpositions.
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        if cur.iter().min().is_some_and(|&m| m > max) {
            return None;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The near lists of a dictionary: `words` gives each folded word with its
/// document frequency; `shown` the form to show for it, if any.
pub fn lists<'a>(
    words: impl Iterator<Item = (&'a str, u32)>,
    shown: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, Vec<NearWord>> {
    let mut out: BTreeMap<String, Vec<NearWord>> = BTreeMap::new();
    for (w, df) in words.filter(|(w, _)| correctable(w)) {
        let entry = NearWord(
            w.to_string(),
            df,
            shown(w).filter(|s| s != w).unwrap_or_default(),
        );
        for key in keys(w) {
            out.entry(key).or_default().push(entry.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_transpositions_once() {
        assert_eq!(distance("banh", "banh", 1), Some(0));
        assert_eq!(distance("bnah", "banh", 1), Some(1));
        assert_eq!(distance("xamh", "xanh", 1), Some(1));
        assert_eq!(distance("cammera", "camera", 2), Some(1));
        assert_eq!(distance("quam", "quan", 1), Some(1));
        assert_eq!(distance("abcdef", "badcfe", 2), None);
        assert_eq!(distance("abcdef", "badcef", 2), Some(2));
        assert_eq!(distance("ab", "abcd", 1), None);
        assert_eq!(distance("", "ab", 2), Some(2));
    }

    #[test]
    fn a_single_edit_keeps_the_first_or_the_last_letter() {
        for (typed, word) in [
            ("xamh", "xanh"),
            ("anh", "banh"),
            ("bnah", "banh"),
            ("vanh", "banh"),
        ] {
            let k = keys(typed);
            let w = keys(word);
            assert!(k.iter().any(|x| w.contains(x)), "{typed} {word}");
        }
    }

    #[test]
    fn lists_skip_numbers_and_keep_the_written_form() {
        let words = [("banh", 9), ("11", 4), ("mi", 3)];
        let l = lists(words.into_iter(), &|w| (w == "banh").then(|| "bánh".into()));
        assert_eq!(l["^b"], [NearWord("banh".into(), 9, "bánh".into())]);
        assert_eq!(l["i$"], [NearWord("mi".into(), 3, String::new())]);
        assert!(!l.contains_key("^1"));
    }
}
