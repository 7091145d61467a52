//! Vietnamese-aware text helpers: normalisation, folding, slugs and
//! "did you mean" suggestions. Everything that compares what an editor typed
//! with a known value goes through [`fold`], so "Văn hóa – xã hội",
//! "van hoa xa hoi" and "VĂN HOÁ XÃ HỘI" all meet.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC-normalise, the form every string inside dienhinh is kept in.
pub fn nfc(s: &str) -> String {
    // Most files are saved in NFC already: the quick check is one cheap
    // pass, where decomposing and recomposing every character was several.
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
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
        let tone = match c {
            '\u{300}' => Some(1),
            '\u{309}' => Some(2),
            '\u{303}' => Some(3),
            '\u{301}' => Some(4),
            '\u{323}' => Some(5),
            _ => None,
        };
        if let Some(t) = tone {
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
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
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

/// The candidate closest to `input` (compared folded), if it is close enough
/// to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(input);
    let mut best: Option<(&str, f64)> = None;
    for cand in candidates {
        let score = strsim::normalized_damerau_levenshtein(&folded, &fold(cand));
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((cand, score));
        }
    }
    best.filter(|(_, s)| *s >= 0.5).map(|(c, _)| c)
}

/// Vietnamese number formatting: "." groups thousands, "," marks decimals.
pub fn format_number(v: f64) -> String {
    let negative = v < 0.0;
    let v = v.abs();
    let int = v.trunc() as u64;
    let frac = v - v.trunc();
    let digits = int.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if frac > 1e-9 {
        let decimals = format!("{frac:.2}");
        let decimals = decimals.trim_start_matches('0').trim_end_matches('0');
        out.push(',');
        out.push_str(decimals.trim_start_matches('.'));
    }
    if negative {
        out.insert(0, '-');
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of a 1-based line and 0-based character column.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col)
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A stable 64-bit FNV-1a hash: the same bytes give the same name on every
/// machine and every Rust version, so content-hashed file names never churn.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(0xcbf2_9ce4_8422_2325, bytes)
}

/// FNV-1a of what was hashed into `hash`, followed by `bytes` (for hashing
/// several buffers as one without joining them).
pub fn fnv1a_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A path as it may be printed: control characters (a file name can hold
/// terminal escape codes) escaped (see [`crate::core::escape`]), and a
/// leading `./` dropped: `public`, not `./public`.
pub fn shown_path(path: &std::path::Path) -> String {
    let path = path.strip_prefix(".").unwrap_or(path);
    let shown = path.display().to_string();
    crate::core::escape::for_terminal(if shown.is_empty() { "." } else { &shown }).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn closest_suggests_typos_only() {
        let c = ["kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh"];
        assert_eq!(closest("van-hoa-xa-hio", c), Some("van-hoa-xa-hoi"));
        assert_eq!(closest("zzzzzz", c), None);
    }

    #[test]
    fn numbers_use_vietnamese_separators() {
        assert_eq!(format_number(5102.0), "5.102");
        assert_eq!(format_number(200.0), "200");
        assert_eq!(format_number(1234567.0), "1.234.567");
        assert_eq!(format_number(2.5), "2,5");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nđc x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 4));
        assert_eq!(offset_of(t, 2, 3), t.find('x').unwrap());
    }
}
