//! Text helpers that are not about Vietnamese as such (that is
//! `src/vi.rs`): "did you mean" suggestions, numbers, line and column of
//! an offset, stable hashes, paths as printed.

use crate::vi::fold;

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

/// A [`std::hash::Hasher`] whose number is the same in every process and
/// on every machine of one byte order (the standard hasher promises
/// neither), so a digest can be kept on disk between builds. XXH3: the
/// digests of a build read every document's text (77 MB at 10,000
/// models), which FNV-1a, a byte at a time, took 0.1 s of one core to
/// hash; names the browser also computes stay on [`fnv1a`].
pub struct StableHasher(xxhash_rust::xxh3::Xxh3);

impl Default for StableHasher {
    fn default() -> Self {
        Self(xxhash_rust::xxh3::Xxh3::new())
    }
}

impl std::hash::Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
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
