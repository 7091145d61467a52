//! The binary layout of term shards: the bulk of what a query downloads,
//! so they are varints and bytes rather than JSON (a quarter fewer bytes
//! once compressed). Written and read here (the Rust scorer reads what
//! `build` publishes) and read by `search.js` (`readShard`), which must
//! follow every change.
//!
//! A shard: the number of terms, then per term (sorted) a header — the term
//! (byte length, UTF-8), its document frequency, its first tier's length
//! `n` and its rest's kind: 0 none, 1 listed, 2 listed by complement; with
//! a rest, the rest's code (one byte) — then every term's `n` document
//! gaps, then every term's `n` codes, then every rest's document gaps. A
//! listed rest names its documents (`df − n` of them); a complement names
//! the documents that are neither in the first tier nor in the rest
//! (`docs − df` of them, `docs` being the index's document count), which is
//! shorter for a word most documents contain. Gaps, codes and headers kept
//! apart compress better than interleaved. Numbers are unsigned LEB128
//! varints; gaps start from 0.

/// A term's entry in its shard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub df: u32,
    /// First tier: documents (ascending) and their codes.
    pub docs: Vec<u32>,
    pub codes: Vec<u8>,
    pub rest: Option<Rest>,
}

/// The documents of a term beyond its first tier, all scored with one code
/// (see `static_index`: a long list's first tier keeps the highest
/// contributions exactly, and the rest counts as their median).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rest {
    pub code: u8,
    /// Ascending.
    pub docs: Vec<u32>,
}

/// How a rest is written: its documents, or those it lacks.
const REST_LISTED: u64 = 1;
const REST_COMPLEMENT: u64 = 2;

/// A file that does not follow the layout (truncated or not ours).
#[derive(Debug, thiserror::Error)]
#[error("malformed search index file (truncated, or from another version)")]
pub struct Malformed;

/// Appends `v` as an unsigned LEB128 varint.
pub(crate) fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A number as [`put`] writes it, its bytes taken from `next`; none when
/// they end first or run past 64 bits.
pub(crate) fn varint(mut next: impl FnMut() -> Option<u8>) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = next()?;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn put_gaps(out: &mut Vec<u8>, docs: impl IntoIterator<Item = u32>) {
    let mut prev = 0;
    for d in docs {
        put(out, u64::from(d - prev));
        prev = d;
    }
}

/// Whether a rest is shorter written by complement: the documents of
/// `0..docs` in neither the first tier nor the rest.
fn by_complement(e: &Entry, rest: &Rest, docs: u32) -> bool {
    docs.saturating_sub(e.df) < rest.docs.len() as u32
}

impl Entry {
    /// How the entry's rest is written in an index of `docs` documents:
    /// 0 no rest, 1 listed, 2 by complement.
    pub fn rest_kind(&self, docs: u32) -> u8 {
        match &self.rest {
            None => 0,
            Some(r) if by_complement(self, r, docs) => REST_COMPLEMENT as u8,
            Some(_) => REST_LISTED as u8,
        }
    }
}

/// The documents of `0..docs` in neither sorted list.
fn complement<'a>(first: &'a [u32], rest: &'a [u32], docs: u32) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    (0..docs).filter(move |&d| {
        while i < first.len() && first[i] < d {
            i += 1;
        }
        while j < rest.len() && rest[j] < d {
            j += 1;
        }
        first.get(i) != Some(&d) && rest.get(j) != Some(&d)
    })
}

/// Serialises a shard's entries (sorted by term) of an index of `docs`
/// documents.
pub fn write_shard<'a>(
    entries: impl Iterator<Item = (&'a str, &'a Entry)> + Clone,
    docs: u32,
) -> Vec<u8> {
    let mut out = Vec::new();
    put(&mut out, entries.clone().count() as u64);
    for (term, e) in entries.clone() {
        put(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        put(&mut out, u64::from(e.df));
        put(&mut out, e.docs.len() as u64);
        put(&mut out, u64::from(e.rest_kind(docs)));
        if let Some(r) = &e.rest {
            out.push(r.code);
        }
    }
    for (_, e) in entries.clone() {
        put_gaps(&mut out, e.docs.iter().copied());
    }
    for (_, e) in entries.clone() {
        out.extend_from_slice(&e.codes);
    }
    for (_, e) in entries {
        if let Some(r) = &e.rest {
            if by_complement(e, r, docs) {
                put_gaps(&mut out, complement(&e.docs, &r.docs, docs));
            } else {
                put_gaps(&mut out, r.docs.iter().copied());
            }
        }
    }
    out
}

/// Reads varints and bytes, failing on a truncated or oversized value.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn number(&mut self) -> Result<u64, Malformed> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or(Malformed)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(Malformed)
    }

    fn small(&mut self) -> Result<u32, Malformed> {
        u32::try_from(self.number()?).map_err(|_| Malformed)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self.at.checked_add(n).ok_or(Malformed)?;
        let s = self.bytes.get(self.at..end).ok_or(Malformed)?;
        self.at = end;
        Ok(s)
    }

    fn docs(&mut self, n: usize) -> Result<Vec<u32>, Malformed> {
        let mut d = 0u32;
        (0..n)
            .map(|_| {
                d = d.checked_add(self.small()?).ok_or(Malformed)?;
                Ok(d)
            })
            .collect()
    }

    /// A length, bounded by the bytes left (every item takes at least one).
    fn len(&mut self) -> Result<usize, Malformed> {
        let n = self.number()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len() - self.at)
            .ok_or(Malformed)
    }
}

/// Reads a shard written by [`write_shard`] for an index of `docs`
/// documents.
pub fn read_shard(bytes: &[u8], docs: u32) -> Result<Vec<(String, Entry)>, Malformed> {
    let mut r = Reader { bytes, at: 0 };
    let count = r.len()?;
    let mut entries = Vec::with_capacity(count);
    // Per entry: first tier's length, and the rest's kind.
    let mut shape = Vec::with_capacity(count);
    for _ in 0..count {
        let len = r.len()?;
        let term = std::str::from_utf8(r.take(len)?).map_err(|_| Malformed)?;
        let df = r.small()?;
        let n = r.len()?;
        let kind = r.number()?;
        let rest = match kind {
            0 => None,
            REST_LISTED | REST_COMPLEMENT => Some(Rest {
                code: r.take(1)?[0],
                docs: Vec::new(),
            }),
            _ => return Err(Malformed),
        };
        if n as u64 > u64::from(df) || df > docs {
            return Err(Malformed);
        }
        shape.push((n, kind));
        entries.push((
            term.to_string(),
            Entry {
                df,
                rest,
                ..Entry::default()
            },
        ));
    }
    for ((_, e), &(n, _)) in entries.iter_mut().zip(&shape) {
        e.docs = r.docs(n)?;
    }
    for ((_, e), &(n, _)) in entries.iter_mut().zip(&shape) {
        e.codes = r.take(n)?.to_vec();
    }
    for ((_, e), &(n, kind)) in entries.iter_mut().zip(&shape) {
        let Some(rest) = &mut e.rest else { continue };
        let listed = e.df as usize - n;
        if kind == REST_LISTED {
            rest.docs = r.docs(listed)?;
        } else {
            let lacking = r.docs((docs - e.df) as usize)?;
            if lacking.last().is_some_and(|&d| d >= docs) {
                return Err(Malformed);
            }
            rest.docs = complement(&e.docs, &lacking, docs).collect();
            if rest.docs.len() != listed {
                return Err(Malformed);
            }
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<(String, Entry)> {
        vec![
            (
                "hoa giai".to_string(),
                Entry {
                    df: 3,
                    docs: vec![0, 7, 300],
                    codes: vec![1, 200, 255],
                    rest: None,
                },
            ),
            (
                // Most documents: the rest is written by complement.
                "=hòa".to_string(),
                Entry {
                    df: 298,
                    docs: vec![5, 299],
                    codes: vec![9, 10],
                    rest: Some(Rest {
                        code: 3,
                        docs: (0..299).filter(|&d| d != 5 && d != 17 && d != 40).collect(),
                    }),
                },
            ),
            (
                // Few documents beyond the tier: listed.
                "nhan".to_string(),
                Entry {
                    df: 4,
                    docs: vec![1, 2],
                    codes: vec![90, 80],
                    rest: Some(Rest {
                        code: 7,
                        docs: vec![0, 250],
                    }),
                },
            ),
        ]
    }

    #[test]
    fn shards_read_back_as_written() {
        let entries = entries();
        let bytes = write_shard(entries.iter().map(|(t, e)| (t.as_str(), e)), 300);
        assert_eq!(read_shard(&bytes, 300).unwrap(), entries);
        // Two documents lack "=hòa": its rest of 296 is written in two gaps.
        let alone = write_shard(entries[1..2].iter().map(|(t, e)| (t.as_str(), e)), 300);
        assert!(alone.len() < 20, "{} bytes", alone.len());
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let entries = entries();
        let bytes = write_shard(entries.iter().map(|(t, e)| (t.as_str(), e)), 300);
        for cut in 0..bytes.len() {
            assert!(read_shard(&bytes[..cut], 300).is_err(), "cut at {cut}");
        }
        assert!(read_shard(&[0xff; 12], 300).is_err());
        // More documents than the index has.
        assert!(read_shard(&bytes, 10).is_err());
        // A gap sum beyond u32 is malformed, not an overflow.
        let mut big = vec![1, 1, b'a', 2, 2, 0];
        big.extend([
            0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 1,
        ]);
        assert!(read_shard(&big, 300).is_err());
    }
}
