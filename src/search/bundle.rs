//! Bundles: the members of a group of a large family of the static index
//! (term shards, document metadata) in one file, one after another, each
//! a gzip stream of its own (docs/search.md § The static browser index).
//!
//! The client reads one member with an HTTP range request, so a query
//! costs the same bytes as when each member was a file of its own, while a
//! build at 10,000 models writes about 160 files for them instead of
//! 20,700 (on this project's benchmark disk, creating the files was a
//! fifth of a cold build). A server that ignores ranges answers with the
//! whole bundle, and the client cuts the member out of it.
//!
//! The client learns where a member lies from the manifest: each member is
//! padded to a whole number of *units* (32 or 64 bytes), and the manifest
//! lists each member's length in units, a character or two each. Exact
//! lengths would take twice the manifest bytes; the padding costs a query
//! half a unit a member on average. The padding sits in the gzip header's
//! extra field (RFC 1952 § 2.3.1.1), where every decompressor skips it, so
//! each member stays a complete gzip file, read by `DecompressionStream`
//! as any other.

/// Unit of the term shards' lengths.
pub const SHARD_UNIT: usize = 32;
/// Unit of the metadata's lengths (a result page reads ten members, and
/// their lengths vary less).
pub const META_UNIT: usize = 64;

/// The gzip header's flag byte, and its "extra field present" bit.
const FLG: usize = 3;
const FEXTRA: u8 = 0x04;
/// Bytes of the fixed gzip header, before the extra field.
const HEADER: usize = 10;
/// The padding's subfield id in the extra field ("dienhinh padding").
const SUBFIELD: [u8; 2] = *b"DP";
/// An extra field with one subfield is at least XLEN (2), the id (2) and
/// the subfield's length (2).
const LEAST_PADDING: usize = 6;

/// `gz` (a gzip stream with no optional header fields, as
/// `flate2::write::GzEncoder` writes one) made a whole number of `unit`s
/// long by an extra field in its header; unchanged when it already is.
pub fn padded(gz: Vec<u8>, unit: usize) -> Vec<u8> {
    let len = gz.len();
    if unit == 0 || len.is_multiple_of(unit) || len < HEADER || gz[FLG] != 0 {
        return gz;
    }
    let mut total = len.next_multiple_of(unit);
    while total - len < LEAST_PADDING {
        total += unit;
    }
    let pad = total - len;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&gz[..HEADER]);
    out[FLG] |= FEXTRA;
    // A unit is at most a few hundred bytes: the lengths fit in 16 bits.
    out.extend_from_slice(&((pad - 2) as u16).to_le_bytes());
    out.extend_from_slice(&SUBFIELD);
    out.extend_from_slice(&((pad - LEAST_PADDING) as u16).to_le_bytes());
    out.resize(out.len() + pad - LEAST_PADDING, 0);
    out.extend_from_slice(&gz[HEADER..]);
    out
}

/// The characters of the lengths: printable ASCII that a JSON string
/// carries unescaped (`"` and `\` left out), 90 of them. A length is a
/// base-45 number, most significant digit first; a digit of the upper 45
/// says another digit follows. Lengths under 45 units (1,440 bytes of a
/// shard) take one character.
const BASE: usize = 45;

fn char_of(digit: usize) -> char {
    let code = b'#' as usize + digit;
    // Skip the backslash (0x5c).
    char::from(if code >= 0x5c { code + 1 } else { code } as u8)
}

fn digit_of(c: u8) -> Option<usize> {
    let d = match c {
        b'#'..=0x5b => c - b'#',
        0x5d..=b'~' => c - b'#' - 1,
        _ => return None,
    } as usize;
    (d < 2 * BASE).then_some(d)
}

/// Appends `units` to `out`, encoded.
pub fn put_size(units: usize, out: &mut String) {
    let mut digits = vec![units % BASE];
    let mut rest = units / BASE;
    while rest > 0 {
        digits.push(BASE + rest % BASE);
        rest /= BASE;
    }
    out.extend(digits.into_iter().rev().map(char_of));
}

/// Lengths in units, as [`put_size`] wrote them; `None` for anything else.
pub fn sizes(encoded: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let (mut v, mut pending) = (0usize, false);
    for &c in encoded.as_bytes() {
        let d = digit_of(c)?;
        v = v.checked_mul(BASE)?.checked_add(d % BASE)?;
        pending = d >= BASE;
        if !pending {
            out.push(v);
            v = 0;
        }
    }
    (!pending).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::static_index::{gunzip, gzip};

    #[test]
    fn a_padded_member_is_a_whole_number_of_units_and_reads_back() {
        for len in [0, 1, 5, 30, 31, 100, 1000, 5000] {
            let text: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let gz = gzip(&text);
            for unit in [32, 64] {
                let p = padded(gz.clone(), unit);
                assert_eq!(p.len() % unit, 0, "{len} bytes, unit {unit}");
                assert!(p.len() >= gz.len() && p.len() < gz.len() + unit + LEAST_PADDING);
                assert_eq!(gunzip(&p).unwrap(), text);
            }
        }
    }

    #[test]
    fn lengths_read_back_as_written() {
        let lengths = [1, 2, 44, 45, 46, 89, 90, 2024, 2025, 100_000, 0];
        let mut s = String::new();
        for &l in &lengths {
            put_size(l, &mut s);
        }
        assert!(!s.contains(['"', '\\']));
        assert_eq!(s.chars().take(3).count(), 3, "one character a short length");
        assert_eq!(sizes(&s).unwrap(), lengths);
        // A number cut short, or a character not of the alphabet.
        assert_eq!(sizes(&s[..s.len() - 2]), None);
        assert_eq!(sizes("a\\"), None);
    }
}
