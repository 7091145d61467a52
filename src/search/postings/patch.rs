//! A rebuild after a few edits: the occurrences the last build gathered,
//! kept at the end of the counts file (`remembered`), are patched where
//! the edited documents' terms are, instead of gathered again from every
//! document's counts.
//!
//! Why: gathering turns every document's counts into every term's list
//! again; at 10,000 models it was a fifth of a rebuild after one edit
//! (bench/RESULTS.md, session 21). A patch touches only the lists of the
//! terms an edited document held before or holds now.
//!
//! The lists are the ones gathering makes from the same counts: each
//! term's occurrences by document, and within a document by slot. So a
//! patch is made only when the documents are the same ones in the same
//! order as in the last build, but for at most [`super::PATCH_DOCS`] whose text
//! changed; otherwise the build gathers (an added, removed or moved
//! document renumbers those after it).
//!
//! The format, varints but for the keys: the documents (the key of each
//! one's text, its slots' lengths), then per partition its words' lists
//! by number and its pairs' lists (each with its key), each list as
//! [`PackedRaws`] holds it.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use super::remembered::Previous;
use super::{
    averages, basis, changed_places, merge_by_doc, Changed, DocTerms, PackedRaws, Part, Parted,
    Raw, SlotTf, Texts, Vocab, PAIR_SLOT, PARTS, SLOTS,
};
use crate::search::packed::{put, varint};

/// Writes what [`read`] reads back: the documents by the keys of their
/// texts and their slots' lengths, and the partitions' occurrences, then
/// the hash of those bytes ([`read`] checks it rather than every list's
/// occurrences, which took as long as reading the rest).
pub(super) fn write(
    out: &mut dyn Write,
    keys: &[u64],
    lens: &[[u32; SLOTS]],
    parts: &[Part],
) -> io::Result<()> {
    let mut out = Hashed {
        out,
        hash: Xxh3::new(),
    };
    // Through a buffer: a varint at a time through `dyn Write` is a call
    // each, tens of millions at 10,000 models.
    let mut buf = Vec::with_capacity(2 * FLUSH_AT);
    put(&mut buf, keys.len() as u64);
    for (key, lens) in keys.iter().zip(lens) {
        buf.extend_from_slice(&key.to_le_bytes());
        for &len in lens {
            put(&mut buf, u64::from(len));
        }
    }
    for part in parts {
        put(&mut buf, part.words.len() as u64);
        for list in &part.words {
            list_to(&mut buf, &mut out, list)?;
        }
        put(&mut buf, part.pairs.len() as u64);
        for (key, list) in part.pair_keys.iter().zip(&part.pairs) {
            buf.extend_from_slice(&key.to_le_bytes());
            list_to(&mut buf, &mut out, list)?;
        }
    }
    out.write_all(&buf)?;
    let hash = out.hash.digest();
    out.out.write_all(&hash.to_le_bytes())
}

/// What [`write`] gathers before writing.
const FLUSH_AT: usize = 1 << 20;

/// A writer that hashes what passes.
struct Hashed<'a> {
    out: &'a mut dyn Write,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl Write for Hashed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One list into `buf`, written to `out` once [`FLUSH_AT`] is gathered.
fn list_to(buf: &mut Vec<u8>, out: &mut dyn Write, list: &PackedRaws) -> io::Result<()> {
    put(buf, list.bytes.len() as u64);
    put(buf, u64::from(list.last_doc));
    put(buf, u64::from(list.docs));
    buf.extend_from_slice(&list.bytes);
    if buf.len() >= FLUSH_AT {
        out.write_all(buf)?;
        buf.clear();
    }
    Ok(())
}

/// The last build's documents and occurrences, as [`write`] wrote them.
struct Snapshot {
    keys: Vec<u64>,
    lens: Vec<[u32; SLOTS]>,
    parts: Vec<Part>,
}

/// [`write`]'s bytes, from `at` to `end` of `file`, read back;
/// none when they do not read back whole with the hash after them, or
/// name a word past the `terms` the file numbers.
fn read(file: &File, at: u64, end: u64, terms: usize) -> Option<Snapshot> {
    let mut r = Section::open(file, at, end)?;
    let n = usize::try_from(r.number()?).ok()?;
    // Nine bytes at least a document: a count from damaged bytes asks
    // for no more room than they could fill.
    let room = n.min(usize::try_from(r.left() / 9).ok()?);
    let mut keys = Vec::with_capacity(room);
    let mut lens = Vec::with_capacity(room);
    for _ in 0..n {
        keys.push(r.word()?);
        let mut l = [0u32; SLOTS];
        for len in &mut l {
            *len = u32::try_from(r.number()?).ok()?;
        }
        lens.push(l);
    }
    let mut parts = Vec::with_capacity(PARTS);
    for _ in 0..PARTS {
        let mut part = Part::default();
        let words = usize::try_from(r.number()?).ok()?;
        // The last word's number is one the file names.
        if words
            .checked_sub(1)
            .is_some_and(|l| l * PARTS + parts.len() >= terms)
        {
            return None;
        }
        part.words = (0..words)
            .map(|_| list_from(&mut r, n))
            .collect::<Option<_>>()?;
        let pairs = usize::try_from(r.number()?).ok()?;
        for id in 0..pairs {
            let key = r.word()?;
            let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
            if a >= terms || b >= terms || part.pair_ids.insert(key, id as u32).is_some() {
                return None;
            }
            part.pair_keys.push(key);
            part.pairs.push(list_from(&mut r, n)?);
        }
        parts.push(part);
    }
    r.checked().then_some(Snapshot { keys, lens, parts })
}

/// One list, its last document within `docs` (the lists' bytes are as
/// this program wrote them: their hash is checked).
fn list_from(r: &mut Section, docs: usize) -> Option<PackedRaws> {
    let len = usize::try_from(r.number()?).ok()?;
    let last_doc = u32::try_from(r.number()?).ok()?;
    let count = u32::try_from(r.number()?).ok()?;
    ((last_doc as usize) < docs.max(1) && count as usize <= docs).then_some(())?;
    Some(PackedRaws {
        bytes: r.bytes(len)?,
        last_doc,
        docs: count,
    })
}

/// [`write`]'s bytes read from the file a buffer at a time, and
/// hashed as they are read: at 100,000 models they are a quarter of a
/// gigabyte, which read whole beside the lists made from them took a
/// rebuild's peak past 2 GB.
struct Section<'a> {
    file: &'a File,
    /// Where the next buffer starts, and where the bytes end (their hash
    /// follows).
    next: u64,
    end: u64,
    buf: Vec<u8>,
    pos: usize,
    hash: Xxh3,
}

const SECTION_BUFFER: u64 = 1 << 20;

impl<'a> Section<'a> {
    fn open(file: &'a File, at: u64, end: u64) -> Option<Section<'a>> {
        Some(Section {
            file,
            next: at,
            end: end.checked_sub(8).filter(|&e| e >= at)?,
            buf: Vec::new(),
            pos: 0,
            hash: Xxh3::new(),
        })
    }

    /// Bytes not read yet.
    fn left(&self) -> u64 {
        self.end - self.next + (self.buf.len() - self.pos) as u64
    }

    /// The next buffer, when this one is read.
    fn fill(&mut self) -> Option<()> {
        if self.pos < self.buf.len() {
            return Some(());
        }
        let n = SECTION_BUFFER.min(self.end - self.next);
        (n > 0).then_some(())?;
        self.buf.resize(n as usize, 0);
        self.file.read_exact_at(&mut self.buf, self.next).ok()?;
        self.hash.update(&self.buf);
        self.next += n;
        self.pos = 0;
        Some(())
    }

    fn byte(&mut self) -> Option<u8> {
        self.fill()?;
        self.pos += 1;
        Some(self.buf[self.pos - 1])
    }

    fn number(&mut self) -> Option<u64> {
        varint(|| self.byte())
    }

    /// Eight bytes, little-endian.
    fn word(&mut self) -> Option<u64> {
        let mut w = [0u8; 8];
        for b in &mut w {
            *b = self.byte()?;
        }
        Some(u64::from_le_bytes(w))
    }

    fn bytes(&mut self, n: usize) -> Option<Vec<u8>> {
        (n as u64 <= self.left()).then_some(())?;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.fill()?;
            let take = (n - out.len()).min(self.buf.len() - self.pos);
            out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Some(out)
    }

    /// Whether every byte was read, and the hash after them is theirs.
    fn checked(self) -> bool {
        let mut stored = [0u8; 8];
        self.left() == 0
            && self.file.read_exact_at(&mut stored, self.end).is_ok()
            && u64::from_le_bytes(stored) == self.hash.digest()
    }
}

/// The last build's occurrences with the changed documents' patched in.
pub(super) struct Patched {
    pub parts: Vec<Part>,
    pub lens: Vec<[u32; SLOTS]>,
    /// The changed documents, by place, with their new counts.
    pub counted: Vec<(usize, DocTerms)>,
    /// The terms whose lists changed, when no other term's did: the
    /// documents' average lengths ([`averages`]) are those of the last
    /// build.
    pub since: Option<Changed>,
}

/// The occurrences of `docs` (whose texts have `keys`), patched from the
/// last build's when it had the same documents in the same order and at
/// most [`super::PATCH_DOCS`] of them have changed; none otherwise.
/// `program` counted them (the last build's [`basis`] is its and the
/// last documents').
pub(super) fn patched(
    previous: &Previous,
    vocab: &Vocab,
    docs: &[Texts],
    keys: &[u64],
    program: u64,
) -> Option<Patched> {
    let (file, at, end) = previous.occurrences();
    let last = read(file, at, end, vocab.len())?;
    let changed = changed_places(&last.keys, keys)?;
    let before: Vec<Parted> = changed
        .iter()
        .map(|&i| previous.terms(last.keys[i]).map(|(t, _)| Parted::of(&t)))
        .collect::<Option<_>>()?;
    let counted: Vec<(usize, DocTerms)> = changed
        .par_iter()
        .map(|&i| (i, DocTerms::of(vocab, &docs[i], None)))
        .collect();
    let after: Vec<(u32, Parted)> = counted
        .iter()
        .map(|(i, t)| (*i as u32, Parted::of(t)))
        .collect();
    let Snapshot {
        keys: last_keys,
        mut lens,
        mut parts,
    } = last;
    let averages_before = averages(&lens);
    for (i, t) in &counted {
        lens[*i] = t.lens;
    }
    let since = (averages(&lens) == averages_before).then(|| {
        let mut words: Vec<u32> = Vec::new();
        let mut pairs: Vec<u64> = Vec::new();
        for t in before.iter().chain(after.iter().map(|(_, t)| t)) {
            words.extend(t.words.iter().map(|&(id, _)| id));
            pairs.extend(t.pairs.iter().map(|&(key, _)| key));
        }
        words.sort_unstable();
        words.dedup();
        pairs.sort_unstable();
        pairs.dedup();
        Changed {
            basis: basis(program, &last_keys),
            words,
            pairs,
        }
    });
    let gone: Vec<u32> = changed.iter().map(|&i| i as u32).collect();
    parts
        .par_iter_mut()
        .enumerate()
        .for_each(|(p, part)| patch_part(part, p, &gone, &before, &after));
    Some(Patched {
        parts,
        lens,
        counted,
        since,
    })
}

/// Partition `p`'s lists with the documents `gone` taken out of those
/// their terms `before` were in, and put back into those of their terms
/// `after`.
fn patch_part(part: &mut Part, p: usize, gone: &[u32], before: &[Parted], after: &[(u32, Parted)]) {
    let mut words: FxHashMap<usize, Vec<Raw>> = FxHashMap::default();
    let mut pairs: FxHashMap<u64, Vec<Raw>> = FxHashMap::default();
    for t in before {
        for &(id, _) in t.words(p) {
            words.entry(id as usize / PARTS).or_default();
        }
        for &(key, _) in t.pairs(p) {
            pairs.entry(key).or_default();
        }
    }
    // In document order, and within a document in its counts' order.
    for (doc, t) in after {
        for &(id, at) in t.words(p) {
            words
                .entry(id as usize / PARTS)
                .or_default()
                .push(Raw { doc: *doc, at });
        }
        for &(key, tf) in t.pairs(p) {
            pairs.entry(key).or_default().push(Raw {
                doc: *doc,
                at: SlotTf::new(PAIR_SLOT as u8, tf),
            });
        }
    }
    for (local, added) in words {
        if local >= part.words.len() {
            part.words.resize_with(local + 1, PackedRaws::default);
        }
        part.words[local] = merged(&part.words[local], gone, &added);
    }
    for (key, added) in pairs {
        let next = part.pairs.len() as u32;
        let id = *part.pair_ids.entry(key).or_insert(next) as usize;
        if id == part.pairs.len() {
            part.pairs.push(PackedRaws::default());
            part.pair_keys.push(key);
        }
        part.pairs[id] = merged(&part.pairs[id], gone, &added);
    }
}

/// `list` without the documents `gone`, with `added` (by document) in
/// their places.
fn merged(list: &PackedRaws, gone: &[u32], added: &[Raw]) -> PackedRaws {
    let kept = list
        .iter()
        .filter(|r| gone.binary_search(&{ r.doc }).is_err());
    let mut out = PackedRaws::default();
    merge_by_doc(kept, added.iter().copied(), &mut out);
    out
}
