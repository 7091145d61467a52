//! Vietnamese text: the one place its rules are written. Normal form
//! (NFC), folding (every diacritic dropped, đ → d), the tone mark's place in
//! a syllable (hoà = hòa), what a syllable is, the alphabet's order, and
//! the ASCII slug. Slugs, lints, the vocabularies' matching and the search
//! analyzer (`src/search/analyze.rs`, mirrored by
//! `themes/default/static/search.js`) all ask here, so "Văn hóa – xã hội",
//! "van hoa xa hoi" and "VĂN HOÁ XÃ HỘI" meet everywhere or nowhere.
//!
//! The test vectors at the end of this file are the rules' examples.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The five tone marks (combining), in dictionary order: huyền, hỏi, ngã,
/// sắc, nặng. A syllable carries at most one.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];
/// Marks that make a different vowel (ă â ê ô ơ ư): they stay where they are.
const QUALITY: [char; 3] = ['\u{302}', '\u{306}', '\u{31b}'];

/// NFC-normalise, the form every string inside dienhinh is kept in.
pub fn nfc(s: &str) -> String {
    nfc_borrowed(s).into_owned()
}

/// [`nfc`] without a copy when `s` is already NFC.
pub fn nfc_borrowed(s: &str) -> std::borrow::Cow<'_, str> {
    // Most files are saved in NFC already: the quick check is one cheap
    // pass, where decomposing and recomposing every character was several.
    if surely_nfc(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.into();
    }
    s.nfc().collect::<String>().into()
}

/// Characters that are NFC whatever surrounds them: each is its own
/// normal form and combines with nothing before it (quick check "yes",
/// combining class 0; every one of them is checked against the Unicode
/// tables in the tests). Vietnamese written in NFC uses only these: ASCII,
/// Latin-1 and Latin Extended-A/B (ă đ ơ ư …), the precomposed letters with
/// tones (ạ ả ấ … ỹ), and typographic punctuation (– “ ” …) and ₫.
/// [`surely_nfc`] reads these ranges from the bytes; the tests hold it to
/// this list.
#[cfg(test)]
const SURELY_NFC: [std::ops::RangeInclusive<char>; 4] = [
    '\0'..='\u{2ff}',
    '\u{1e00}'..='\u{1eff}',
    '\u{2010}'..='\u{2027}',
    '\u{2030}'..='\u{20bf}',
];

/// Whether `s` holds only characters that are NFC whatever surrounds them
/// (U+0000 … U+02FF, U+1E00 … U+1EFF, U+2010 … U+2027, U+2030 … U+20BF),
/// and so is NFC: the
/// library's quick check looks each character up in two tables, and
/// loading a site checks every byte of it (a seventh of a build that found
/// nothing changed, bench/RESULTS.md).
///
/// Read as bytes, eight at a time: a whole site's text passes here at
/// every build, and decoding it into characters first was a twentieth of
/// a rebuild's CPU after one edit at 10,000 models (bench/RESULTS.md,
/// session 21). `s` is UTF-8, so a byte below 0xCC is ASCII, a
/// continuation, or the lead of a character below U+0300, all of them
/// fine; only the leads from 0xCC up, one in a few characters of
/// Vietnamese (the tones of ạ … ỹ are at U+1EA0), are looked at, each with
/// its next two bytes.
fn surely_nfc(s: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(word) = b.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or([0xff; 8]));
            // A byte's top bit after adding 0x34 to its low seven: set
            // when they are 0x4C or more (no carry leaves a byte).
            let lead = ((word & !HIGH) + 0x3434_3434_3434_3434) & word & HIGH;
            if lead == 0 {
                i += 8;
                continue;
            }
            i += (lead.trailing_zeros() / 8) as usize;
        }
        i += match (b[i], b.get(i + 1), b.get(i + 2)) {
            (0x00..=0xcb, _, _) => 1,
            // U+1E00 … U+1EFF.
            (0xe1, Some(0xb8..=0xbb), _) => 3,
            // U+2010 … U+2027, then U+2030 … U+20BF.
            (0xe2, Some(0x80), Some(0x90..=0xa7 | 0xb0..=0xbf))
            | (0xe2, Some(0x81), _)
            | (0xe2, Some(0x82), Some(0x80..=0xbf)) => 3,
            _ => return false,
        };
    }
    true
}

/// The letters of Vietnamese in dictionary order, with the Latin letters it
/// borrows in their places.
const VI_ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// A key that sorts names as a Vietnamese reader expects: letters in the
/// Vietnamese alphabet (“Đ” after “D”, “Ă” after “A”), tones only to break
/// ties (ngang, huyền, hỏi, ngã, sắc, nặng), case ignored, and numbers by
/// value, so “Quận 2” comes before “Quận 10”.
pub fn sort_key(s: &str) -> Vec<u32> {
    const GAP: u32 = 1;
    const NUMBER: u32 = 2;
    const LETTER: u32 = 100;
    let mut primary = Vec::new();
    let mut tones = Vec::new();
    let mut digits: Option<u64> = None;
    let flush = |digits: &mut Option<u64>, primary: &mut Vec<u32>| {
        if let Some(n) = digits.take() {
            primary.push(NUMBER);
            primary.push((n >> 32) as u32);
            primary.push(n as u32);
        }
    };
    for c in s.nfd() {
        if let Some(d) = c.to_digit(10) {
            digits = Some(
                digits
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u64::from(d)),
            );
            continue;
        }
        flush(&mut digits, &mut primary);
        if let Some(t) = TONES.iter().position(|&m| m == c).map(|i| i as u32 + 1) {
            // The tone of the letter just read.
            match tones.last_mut() {
                Some(last) => *last = t,
                None => tones.push(t),
            }
            continue;
        }
        // Breve, circumflex and horn make letters of their own: ă â ê ô ơ ư.
        let modified = |base: char| -> Option<char> {
            Some(match (base, c) {
                ('a', '\u{306}') => 'ă',
                ('a', '\u{302}') => 'â',
                ('e', '\u{302}') => 'ê',
                ('o', '\u{302}') => 'ô',
                ('o', '\u{31b}') => 'ơ',
                ('u', '\u{31b}') => 'ư',
                _ => return None,
            })
        };
        if is_combining_mark(c) {
            let last = primary.last().copied().unwrap_or(0);
            let base = last
                .checked_sub(LETTER)
                .and_then(|i| VI_ALPHABET.chars().nth(i as usize));
            if let Some(letter) = base.and_then(modified) {
                let rank = VI_ALPHABET.chars().position(|x| x == letter).unwrap_or(0);
                *primary.last_mut().expect("a base letter") = LETTER + rank as u32;
            }
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        match VI_ALPHABET.chars().position(|x| x == lower) {
            Some(rank) => {
                primary.push(LETTER + rank as u32);
                tones.push(0);
            }
            None if c.is_alphanumeric() => primary.push(LETTER * 10 + lower as u32),
            None => {
                if primary.last() != Some(&GAP) {
                    primary.push(GAP);
                }
            }
        }
    }
    flush(&mut digits, &mut primary);
    while primary.last() == Some(&GAP) {
        primary.pop();
    }
    primary.push(0);
    primary.extend(tones);
    primary
}

/// Lowercase, strip every diacritic (đ → d) and collapse anything that is
/// not a letter or digit into single spaces. Used for comparing, never shown.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        let Some(c) = plain(c) else {
            continue;
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// A clean ASCII slug: "Hũ gạo tình thương" → "hu-gao-tinh-thuong".
pub fn slugify(s: &str) -> String {
    fold(s)
        .split(' ')
        .map(|w| deunicode::deunicode(w).to_ascii_lowercase())
        .flat_map(|w| {
            w.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether `s` is already a clean slug: lowercase ASCII letters, digits and
/// single hyphens, not starting or ending with a hyphen.
pub fn is_clean_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Every diacritic of one word removed, đ → d, nothing else changed (the
/// search analyzer's folded form of a word already lowercase).
pub fn fold_word(exact: &str) -> String {
    exact.nfd().filter_map(plain).collect()
}

/// A decomposed character without its diacritic: `None` for a combining
/// mark, d for đ, the character itself otherwise. [`fold`] and
/// [`fold_word`] both strip through here, so they never disagree.
fn plain(c: char) -> Option<char> {
    match c {
        'đ' | 'Đ' => Some('d'),
        c if is_combining_mark(c) => None,
        c => Some(c),
    }
}

/// A letter with its combining marks, decomposed.
struct Letter {
    base: char,
    quality: Vec<char>,
    tone: Option<char>,
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Places the tone of a lowercase NFC syllable on its canonical vowel and
/// writes a lone final `y` after a consonant as `i`. Anything that is not a
/// plain Vietnamese syllable (digits, other scripts, two tone marks) is
/// returned unchanged.
pub fn canonical_syllable(word: &str) -> String {
    let Some(mut letters) = decompose(word) else {
        return word.to_string();
    };
    let tones: Vec<char> = letters.iter().filter_map(|l| l.tone).collect();
    if tones.len() > 1 {
        return word.to_string();
    }
    for l in &mut letters {
        l.tone = None;
    }
    let Some((start, end)) = nucleus(&letters) else {
        return word.to_string();
    };
    if end == start + 1
        && start > 0
        && end == letters.len()
        && letters[start].base == 'y'
        && letters[start].quality.is_empty()
    {
        letters[start].base = 'i';
    }
    if let Some(&tone) = tones.first() {
        let at = tone_position(&letters, start, end);
        letters[at].tone = Some(tone);
    }
    let mut out = String::with_capacity(word.len() + 4);
    for l in &letters {
        out.push(l.base);
        out.extend(&l.quality);
        out.extend(l.tone);
    }
    out.nfc().collect()
}

/// Splits a word into letters with their marks, or `None` when it is not
/// written in the Vietnamese alphabet.
fn decompose(word: &str) -> Option<Vec<Letter>> {
    let mut letters: Vec<Letter> = Vec::with_capacity(word.len());
    for c in word.nfd() {
        if TONES.contains(&c) {
            let last = letters.last_mut()?;
            if last.tone.is_some() {
                return None;
            }
            last.tone = Some(c);
        } else if QUALITY.contains(&c) {
            letters.last_mut()?.quality.push(c);
        } else if c.is_ascii_lowercase() || c == 'đ' {
            letters.push(Letter {
                base: c,
                quality: Vec::new(),
                tone: None,
            });
        } else {
            return None;
        }
    }
    Some(letters)
}

/// The vowel nucleus `[start, end)`, after the onset (where the `u` of
/// qu- and the `i` of gi- before another vowel belong to the onset).
fn nucleus(letters: &[Letter]) -> Option<(usize, usize)> {
    let mut start = letters.iter().position(|l| is_vowel(l.base))?;
    let plain = |i: usize, c: char| {
        letters
            .get(i)
            .is_some_and(|l| l.base == c && l.quality.is_empty())
    };
    let vowel_at = |i: usize| letters.get(i).is_some_and(|l| is_vowel(l.base));
    let onset_is =
        |s: &str| start == s.len() && letters[..start].iter().map(|l| l.base).eq(s.chars());
    if ((onset_is("q") && plain(start, 'u')) || (onset_is("g") && plain(start, 'i')))
        && vowel_at(start + 1)
    {
        start += 1;
    }
    let end = (start..letters.len())
        .find(|&i| !is_vowel(letters[i].base))
        .unwrap_or(letters.len());
    Some((start, end))
}

/// Where the tone goes: on the (last) vowel with a quality mark; else on
/// the last vowel before a final consonant; else, in an open syllable, on
/// the first of two vowels or the middle of three (the classic style:
/// hòa, thủy, ngoài).
fn tone_position(letters: &[Letter], start: usize, end: usize) -> usize {
    if let Some(i) = (start..end).rev().find(|&i| !letters[i].quality.is_empty()) {
        return i;
    }
    if end < letters.len() {
        return end - 1;
    }
    match end - start {
        1 | 2 => start,
        _ => start + 1,
    }
}

/// Onsets, longest first so "ngh" is tried before "ng" and "n".
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// A folded syllable: an onset, one to three vowels, an allowed final.
pub fn is_syllable(s: &str) -> bool {
    let Some(rest) = ONSETS.iter().find_map(|o| {
        s.strip_prefix(o)
            .filter(|r| r.starts_with(|c: char| "aeiouy".contains(c)))
    }) else {
        return false;
    };
    let vowels = rest.chars().take_while(|c| "aeiouy".contains(*c)).count();
    let coda = &rest[vowels..];
    (1..=3).contains(&vowels) && ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"].contains(&coda)
}

/// Where a text puts the tone of the syllables that the two spelling
/// conventions write differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToneStyle {
    /// hoà, hoè, thuỷ: the mark on the second vowel.
    Old,
    /// hòa, hòe, thủy: the mark on the first vowel.
    New,
}

/// Only open syllables whose vowels are oa, oe or uy differ between the
/// styles; "qu" is an onset, so "quý" is the same in both.
pub fn tone_style(word: &str) -> Option<ToneStyle> {
    // Lints ask for every word of every text: most words end in another
    // letter and are answered without decomposing them.
    let last = word.chars().next_back()?.to_lowercase().next()?;
    if !"aàáảãạeèéẻẽẹyỳýỷỹỵ".contains(last) {
        return None;
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    let letters = decompose(&nfc_borrowed(&lower))?;
    let (start, end) = nucleus(&letters)?;
    if end != letters.len() || end - start != 2 {
        return None;
    }
    let (a, b) = (&letters[start], &letters[start + 1]);
    let pair = (a.base, b.base);
    if !a.quality.is_empty()
        || !b.quality.is_empty()
        || !matches!(pair, ('o', 'a' | 'e') | ('u', 'y'))
    {
        return None;
    }
    match (a.tone, b.tone) {
        (Some(_), None) => Some(ToneStyle::New),
        (None, Some(_)) => Some(ToneStyle::Old),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character [`surely_nfc`] passes is, by the Unicode
    /// tables, NFC alone and a starter, so a string of them is NFC.
    #[test]
    fn surely_nfc_characters_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        for r in SURELY_NFC {
            for c in r {
                assert_eq!(
                    is_nfc_quick(std::iter::once(c)),
                    IsNormalized::Yes,
                    "U+{:04X}",
                    c as u32
                );
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            }
        }
        assert!(surely_nfc("Dân vận khéo – “Hòa” ₫ ư ơ đ Ỹ"));
        // The bytes say what the characters do: every character alone,
        // after ASCII (the eight-at-a-time path) and before it.
        let by_chars = |s: &str| s.chars().all(|c| SURELY_NFC.iter().any(|r| r.contains(&c)));
        for c in ('\0'..='\u{2ffff}').chain(['\u{10ffff}']) {
            for s in [
                c.to_string(),
                format!("abcdefgh{c}"),
                format!("{c}abcdefghij"),
                format!("ư{c}ơ"),
            ] {
                assert_eq!(surely_nfc(&s), by_chars(&s), "U+{:04X}", c as u32);
            }
        }
        // Near the ranges' ends, at every place in a word of eight bytes,
        // after one- and two-byte characters.
        let edges = [
            '\u{2f0}'..='\u{310}',
            '\u{1df0}'..='\u{1f10}',
            '\u{2000}'..='\u{20d0}',
        ];
        for c in edges.into_iter().flatten().chain(['a', 'ư', '😀']) {
            for pad in ["a", "ă"] {
                for n in 0..10 {
                    let s = format!("{}{c}{}", pad.repeat(n), pad.repeat(9 - n));
                    assert_eq!(surely_nfc(&s), by_chars(&s), "{s:?}");
                }
            }
        }
        // Decomposed marks, and characters outside the ranges, go to the
        // library's check.
        assert!(!surely_nfc("a\u{301}"));
        assert!(!surely_nfc("\u{2000}"));
        assert_eq!(nfc("ho\u{300}a"), "hòa");
        assert_eq!(nfc("\u{2000}"), "\u{2002}");
    }

    #[test]
    fn tone_styles() {
        assert_eq!(tone_style("hoà"), Some(ToneStyle::Old));
        assert_eq!(tone_style("hòa"), Some(ToneStyle::New));
        assert_eq!(tone_style("thuỷ"), Some(ToneStyle::Old));
        assert_eq!(tone_style("Thủy"), Some(ToneStyle::New));
        assert_eq!(tone_style("HOÀ"), Some(ToneStyle::Old));
        assert_eq!(tone_style("oà"), Some(ToneStyle::Old));
        assert_eq!(tone_style("khỏe"), Some(ToneStyle::New));
        assert_eq!(tone_style("quý"), None);
        assert_eq!(tone_style("hoàn"), None);
        assert_eq!(tone_style("ngoài"), None);
        assert_eq!(tone_style("của"), None);
        assert_eq!(tone_style("hoa"), None);
        assert_eq!(tone_style("Zoë"), None);
    }

    /// The two styles meet in one canonical form (the tone on the first of
    /// two open vowels, on the quality vowel, before a final consonant).
    #[test]
    fn canonical_tone_placement() {
        for (written, canonical) in [
            ("hoà", "hòa"),
            ("hòa", "hòa"),
            ("thuỷ", "thủy"),
            ("khoá", "khóa"),
            ("uỷ", "ủy"),
            ("ngoaì", "ngoài"),
            ("hoàng", "hoàng"),
            ("quý", "quí"),
            ("kỹ", "kĩ"),
            ("giường", "giường"),
            ("gì", "gì"),
            ("quả", "quả"),
            ("thuở", "thuở"),
            ("y", "y"),
            ("2021", "2021"),
        ] {
            assert_eq!(canonical_syllable(written), canonical, "{written}");
        }
        // Every written form of a syllable has the same canonical form.
        assert_eq!(canonical_syllable("hoè"), canonical_syllable("hòe"));
    }

    #[test]
    fn fold_and_fold_word_strip_alike() {
        for w in ["đường", "nghiêng", "thuỷ", "quốc", "ưu", "a1"] {
            assert_eq!(fold_word(w), fold(w), "{w}");
        }
        assert_eq!(fold_word("đ"), "d");
        assert_eq!(fold("Đ"), "d");
    }

    #[test]
    fn syllables() {
        for s in [
            "nghieng", "hoa", "thuy", "quoc", "giuong", "a", "oanh", "khuya",
        ] {
            assert!(is_syllable(s), "{s}");
        }
        for s in ["c", "hc", "banhmi", "khu2", "aaaa", "ngk"] {
            assert!(!is_syllable(s), "{s}");
        }
    }

    #[test]
    fn names_sort_as_vietnamese_readers_expect() {
        let mut names = vec![
            "Quận 10",
            "Quận 2",
            "Quận 1",
            "Đông Anh",
            "Duy Tiên",
            "Ân Thi",
            "An Lão",
            "Hòa Bình",
            "Hoà An",
            "Hà Nội",
            "Ba Vì",
            "bắc Ninh",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "An Lão",
                "Ân Thi",
                "Ba Vì",
                "bắc Ninh",
                "Duy Tiên",
                "Đông Anh",
                "Hà Nội",
                "Hoà An",
                "Hòa Bình",
                "Quận 1",
                "Quận 2",
                "Quận 10",
            ]
        );
        // Tones break ties only: “Ma” < “Mà” < “Mả” < “Mã” < “Má” < “Mạ”.
        let mut tones = vec!["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"];
        tones.sort_by_key(|n| sort_key(n));
        assert_eq!(tones, ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]);
    }

    #[test]
    fn fold_removes_diacritics_and_d_stroke() {
        assert_eq!(fold("Văn hóa – xã hội"), "van hoa xa hoi");
        assert_eq!(fold("ĐƯỜNG  Đoàn"), "duong doan");
        assert_eq!(fold("van-hoa-xa-hoi"), "van hoa xa hoi");
    }

    #[test]
    fn fold_accepts_nfd_input() {
        let nfd: String = "hòa giải".nfd().collect();
        assert_eq!(fold(&nfd), "hoa giai");
    }

    #[test]
    fn slugs_are_clean_ascii() {
        assert_eq!(slugify("Hũ gạo tình thương"), "hu-gao-tinh-thuong");
        assert_eq!(
            slugify("Đường điện “thắp sáng” 2021!"),
            "duong-dien-thap-sang-2021"
        );
        assert_eq!(slugify("  "), "");
        assert!(is_clean_slug("hu-gao-2"));
        assert!(!is_clean_slug("../etc"));
        assert!(!is_clean_slug("Hu-gao"));
    }
}
