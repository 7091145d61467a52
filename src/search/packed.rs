//! The binary layout of term shards and tail blocks: the bulk of what a
//! query downloads, so they are varints and bytes rather than JSON (a
//! quarter fewer bytes once compressed). Written and read here (the Rust
//! scorer reads what `build` publishes) and read by `search.js`
//! (`readShard`, `readBlock`), which must follow every change.
//!
//! A shard: the number of terms, then per term (sorted) a header — the term
//! (byte length, UTF-8), its document frequency, its first tier's length
//! `n` and its tail's number of blocks `b` (0: no tail), and when `b > 0`
//! the tail's hash (8 bytes, big-endian), highest code and median code —
//! then every term's `n` document gaps, then every term's `n` codes.
//! Gaps, codes and headers kept apart compress better than interleaved.
//!
//! A tail block: `n`, then `n` document gaps (the first from 0), then `n`
//! codes. Numbers are unsigned LEB128 varints.

/// A term's entry in its shard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub df: u32,
    /// First tier: documents (ascending) and their codes.
    pub docs: Vec<u32>,
    pub codes: Vec<u8>,
    pub tail: Option<TailInfo>,
}

/// Where a term's tail is and what it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TailInfo {
    /// Names the blocks' files (`t.<hash as 16 hex digits>.<b>.bin`).
    pub hash: u64,
    pub blocks: usize,
    /// Highest code in the tail.
    pub max: u8,
    /// Median code of the tail.
    pub median: u8,
}

/// More tail blocks than any index has: a damaged file.
const MAX_BLOCKS: usize = 1 << 16;

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

fn put_gaps(out: &mut Vec<u8>, docs: &[u32]) {
    let mut prev = 0;
    for &d in docs {
        put(out, u64::from(d - prev));
        prev = d;
    }
}

/// Serialises a shard's entries (sorted by term).
pub fn write_shard<'a>(entries: impl Iterator<Item = (&'a str, &'a Entry)> + Clone) -> Vec<u8> {
    let mut out = Vec::new();
    put(&mut out, entries.clone().count() as u64);
    for (term, e) in entries.clone() {
        put(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        put(&mut out, u64::from(e.df));
        put(&mut out, e.docs.len() as u64);
        match &e.tail {
            None => put(&mut out, 0),
            Some(t) => {
                put(&mut out, t.blocks as u64);
                out.extend_from_slice(&t.hash.to_be_bytes());
                out.push(t.max);
                out.push(t.median);
            }
        }
    }
    for (_, e) in entries.clone() {
        put_gaps(&mut out, &e.docs);
    }
    for (_, e) in entries {
        out.extend_from_slice(&e.codes);
    }
    out
}

/// Serialises a tail block.
pub fn write_block(docs: &[u32], codes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(docs.len() * 2 + 4);
    put(&mut out, docs.len() as u64);
    put_gaps(&mut out, docs);
    out.extend_from_slice(codes);
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

/// Reads a shard written by [`write_shard`].
pub fn read_shard(bytes: &[u8]) -> Result<Vec<(String, Entry)>, Malformed> {
    let mut r = Reader { bytes, at: 0 };
    let count = r.len()?;
    let mut entries = Vec::with_capacity(count);
    let mut lens = Vec::with_capacity(count);
    for _ in 0..count {
        let len = r.len()?;
        let term = std::str::from_utf8(r.take(len)?).map_err(|_| Malformed)?;
        let df = r.small()?;
        let n = r.len()?;
        let blocks = r.number()?;
        let blocks = usize::try_from(blocks)
            .ok()
            .filter(|&b| b <= MAX_BLOCKS)
            .ok_or(Malformed)?;
        let tail = if blocks == 0 {
            None
        } else {
            let hash = u64::from_be_bytes(r.take(8)?.try_into().map_err(|_| Malformed)?);
            let mm = r.take(2)?;
            Some(TailInfo {
                hash,
                blocks,
                max: mm[0],
                median: mm[1],
            })
        };
        lens.push(n);
        entries.push((
            term.to_string(),
            Entry {
                df,
                tail,
                ..Entry::default()
            },
        ));
    }
    for ((_, e), &n) in entries.iter_mut().zip(&lens) {
        e.docs = r.docs(n)?;
    }
    for ((_, e), &n) in entries.iter_mut().zip(&lens) {
        e.codes = r.take(n)?.to_vec();
    }
    Ok(entries)
}

/// Reads a tail block written by [`write_block`], by document.
pub fn read_block(bytes: &[u8]) -> Result<Vec<(u32, u8)>, Malformed> {
    let mut r = Reader { bytes, at: 0 };
    let n = r.len()?;
    let docs = r.docs(n)?;
    let codes = r.take(n)?;
    Ok(docs.into_iter().zip(codes.iter().copied()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_and_blocks_read_back_as_written() {
        let entries = vec![
            (
                "hoa giai".to_string(),
                Entry {
                    df: 3,
                    docs: vec![0, 7, 300],
                    codes: vec![1, 200, 255],
                    tail: None,
                },
            ),
            (
                "=hòa".to_string(),
                Entry {
                    df: 70_000,
                    docs: vec![5, 99_999],
                    codes: vec![9, 10],
                    tail: Some(TailInfo {
                        hash: 0x0123_4567_89ab_cdef,
                        blocks: 16,
                        max: 8,
                        median: 3,
                    }),
                },
            ),
        ];
        let bytes = write_shard(entries.iter().map(|(t, e)| (t.as_str(), e)));
        assert_eq!(read_shard(&bytes).unwrap(), entries);
        // A last term with more blocks than bytes left after its header.
        let mut last = [entries[1].clone()];
        last[0].1.docs.truncate(1);
        last[0].1.codes.truncate(1);
        let bytes = write_shard(last.iter().map(|(t, e)| (t.as_str(), e)));
        assert_eq!(read_shard(&bytes).unwrap(), last);
        let block = write_block(&[2, 3, 4000], &[7, 8, 9]);
        assert_eq!(read_block(&block).unwrap(), vec![(2, 7), (3, 8), (4000, 9)]);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let entries = [(
            "an".to_string(),
            Entry {
                df: 2,
                docs: vec![1, 2],
                codes: vec![3, 4],
                tail: None,
            },
        )];
        let bytes = write_shard(entries.iter().map(|(t, e)| (t.as_str(), e)));
        for cut in 0..bytes.len() {
            assert!(read_shard(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(read_shard(&[0xff; 12]).is_err());
        assert!(read_block(&[5, 1]).is_err());
        // A gap sum beyond u32 is malformed, not an overflow.
        assert!(
            read_block(&[2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 1])
                .is_err()
        );
    }
}
