//! Each document's counted terms, remembered from one build to the next in
//! `.dienhinh/search-terms.bin`, so that a rebuild analyses only the
//! documents whose searchable text changed. The statistics, and so every
//! contribution, are still computed over the whole site from the counts:
//! the index is the one a build from nothing makes (docs/search.md).
//!
//! Why: analysing the text is most of the search stage, and a rebuild
//! after one edit analysed every document again (at 10,000 models, 2 s of
//! CPU for one changed page). `serve` keeps the same counts in memory
//! between saves (`Reuse`); a build is a new process each time.
//!
//! The file is this program's own cache, read only by the program that
//! wrote it (its stamp is in the header), so its format is the simplest
//! that reads fast: varints, written as documents are counted (never held
//! whole), then the table of term names, an index of documents by the key
//! of their text (where each one's record is), the occurrences gathered
//! from them all (`patch`), and a footer saying where each starts. A file
//! that is missing, damaged or from another program is not used: every
//! document is analysed, as in a first build.
//!
//! A rebuild that patches the occurrences continues the file in place
//! ([`Next::continuing`]): the records stay where they are, the edited
//! documents' new ones are added after them, and what follows the records
//! is written again. Copying every record to a new file was most of the
//! stage's time after one edit (at 10,000 models, 38 MB read and written
//! again). The old records of edited documents stay in the file unlisted
//! until they are an eighth of it ([`Previous::room_for`]); the file is
//! then written afresh.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::super::packed::{put, varint};
use super::super::terms::Vocab;
use super::{pair_key, DocTerms, SlotTf, SLOTS};

const MAGIC: &[u8; 8] = b"DHTERMS3";
/// Footer: where the names start, where the index starts, where the
/// gathered occurrences start (`patch`), the program's stamp, the magic
/// again (a file cut short has no footer).
const FOOTER: usize = 8 * 4 + MAGIC.len();

/// The counts the last build remembered, and the vocabulary this build
/// counts in: it starts with the last build's terms, numbered as that
/// build numbered them, so a remembered document's record means the same
/// in both files. Its counts are read without renumbering or sorting, and
/// written to the next file as they were read (at 10,000 models, the
/// renumbering, sorting and encoding again were a third of a rebuild's
/// search stage after one edit). Terms no document holds any more keep
/// their numbers until the file is made afresh ([`Next::finish`]).
pub struct Previous {
    file: File,
    /// How many terms the last build numbered.
    terms: u64,
    /// Where each document's record is, by the key of its text.
    index: FxHashMap<u64, (u64, u32)>,
    /// Where the names start (the records end there), and where the
    /// gathered occurrences start and end.
    names_at: u64,
    occurrences: (u64, u64),
    program: u64,
}

impl Previous {
    /// The file at `path` if `program` wrote it, with the vocabulary its
    /// numbers are in; none if it is missing or unreadable.
    pub fn open(path: &Path, program: u64) -> Option<(Previous, Vocab)> {
        let mut file = File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let mut footer = [0u8; FOOTER];
        file.seek(SeekFrom::Start(len.checked_sub(FOOTER as u64)?))
            .ok()?;
        file.read_exact(&mut footer).ok()?;
        let word =
            |i: usize| u64::from_le_bytes(footer[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let (names_at, index_at, occurrences_at, stamp) = (word(0), word(1), word(2), word(3));
        let body = len - FOOTER as u64;
        let ordered = MAGIC.len() as u64 <= names_at
            && names_at <= index_at
            && index_at <= occurrences_at
            && occurrences_at <= body;
        if &footer[32..] != MAGIC || stamp != program || !ordered {
            return None;
        }
        let mut tail = vec![0u8; usize::try_from(occurrences_at - names_at).ok()?];
        file.seek(SeekFrom::Start(names_at)).ok()?;
        file.read_exact(&mut tail).ok()?;
        let (names, index) = tail.split_at(usize::try_from(index_at - names_at).ok()?);
        let vocab = Vocab::default();
        let mut r = Reader(names);
        let terms = r.number()?;
        for n in 0..terms {
            let len = usize::try_from(r.number()?).ok()?;
            let name = std::str::from_utf8(r.take(len)?).ok()?;
            // A name written twice would give two numbers one term.
            if u64::from(vocab.id(name)) != n {
                return None;
            }
        }
        let mut r = Reader(index);
        let n = r.number()?;
        let mut map = FxHashMap::default();
        for _ in 0..n {
            let key = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
            let at = r.number()?;
            let size = u32::try_from(r.number()?).ok()?;
            if at < MAGIC.len() as u64 || at.checked_add(u64::from(size))? > names_at {
                return None;
            }
            map.insert(key, (at, size));
        }
        r.0.is_empty().then_some((
            Previous {
                file,
                terms,
                index: map,
                names_at,
                occurrences: (occurrences_at, body),
                program,
            },
            vocab,
        ))
    }

    /// The counts of the document whose text has `key`, with its record
    /// as the file holds it; none when the last build did not count it
    /// (or its record does not read back).
    pub(super) fn terms(&self, key: u64) -> Option<(DocTerms, Vec<u8>)> {
        let &(at, size) = self.index.get(&key)?;
        let mut bytes = vec![0u8; size as usize];
        self.file.read_exact_at(&mut bytes, at).ok()?;
        let terms = decode(&bytes, self.terms)?;
        Some((terms, bytes))
    }

    /// Every record, read at once: a rebuild that patches the last
    /// build's occurrences copies them all to the next file.
    pub(super) fn records(&self) -> Option<Records<'_>> {
        let start = MAGIC.len() as u64;
        let mut bytes = vec![0u8; usize::try_from(self.names_at - start).ok()?];
        self.file.read_exact_at(&mut bytes, start).ok()?;
        Some(Records {
            bytes,
            index: &self.index,
        })
    }

    /// Whether the records of `keys`, with `added` more bytes of them,
    /// leave little enough of the file unlisted to be continued in place
    /// ([`Next::continuing`]); none if a key has no record.
    pub(super) fn room_for(&self, keys: impl Iterator<Item = u64>, added: u64) -> Option<bool> {
        let mut listed = added;
        for key in keys {
            listed += u64::from(self.index.get(&key)?.1);
        }
        let all = self.names_at - MAGIC.len() as u64 + added;
        Some(all - listed.min(all) <= listed / STALE_SHARE as u64)
    }

    /// Where in the file the occurrences the last build gathered are
    /// (`patch`): from, to.
    pub(super) fn occurrences(&self) -> (&File, u64, u64) {
        (&self.file, self.occurrences.0, self.occurrences.1)
    }
}

/// The records of [`Previous`], in memory.
pub(super) struct Records<'a> {
    bytes: Vec<u8>,
    index: &'a FxHashMap<u64, (u64, u32)>,
}

impl Records<'_> {
    /// The record of the document whose text has `key`, as the file
    /// holds it.
    pub(super) fn get(&self, key: u64) -> Option<&[u8]> {
        let &(at, size) = self.index.get(&key)?;
        let at = usize::try_from(at).ok()?.checked_sub(MAGIC.len())?;
        self.bytes.get(at..at + size as usize)
    }
}

/// One term in this many may be held by no document before the file is
/// made afresh ([`Next::finish`]): a term leaves the site only when the
/// last text that wrote it is edited or deleted, so at this share the
/// file is remade rarely, and its names stay small.
const STALE_SHARE: usize = 8;

/// The counts this build makes, written as they are made. Dropped
/// unfinished (a write failed), its file is removed.
pub struct Next {
    out: Option<BufWriter<File>>,
    /// Where the file is written before it replaces `path`; none when it
    /// is `path`, continued in place.
    temp: Option<PathBuf>,
    path: PathBuf,
    program: u64,
    /// Each document's key, and where its record is and its size.
    keys: Vec<(u64, u64, u32)>,
    at: u64,
}

impl Next {
    /// Starts a file that replaces `path` once finished.
    pub fn create(path: &Path, program: u64) -> io::Result<Next> {
        let temp = path.with_extension("new");
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&temp)?);
        out.write_all(MAGIC)?;
        Ok(Next {
            out: Some(out),
            temp: Some(temp),
            path: path.to_path_buf(),
            program,
            keys: Vec::new(),
            at: MAGIC.len() as u64,
        })
    }

    /// Continues the file `previous` was read from, at `path`: its records
    /// stay ([`Next::keep`]), what followed them is cut and written again
    /// by [`Next::finish`]. Until then the file has no footer, and a build
    /// that stops meanwhile leaves a file no build reads.
    ///
    /// Only one process continues the file at a time: it holds an
    /// exclusive lock on it (`dienhinh search` and a build may run at
    /// once); another gets an error, and writes a new file instead. A
    /// process reading the file meanwhile reads its records where they
    /// were, and no occurrences (their hash no longer matches).
    pub fn continuing(path: &Path, previous: &Previous) -> io::Result<Next> {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::Error(e) => e,
            std::fs::TryLockError::WouldBlock => io::Error::from(io::ErrorKind::WouldBlock),
        })?;
        file.set_len(previous.names_at)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.seek(SeekFrom::Start(previous.names_at))?;
        Ok(Next {
            out: Some(out),
            temp: None,
            path: path.to_path_buf(),
            program: previous.program,
            keys: Vec::new(),
            at: previous.names_at,
        })
    }

    /// Lists the record of the document whose text has `key` where
    /// `previous` (the file this one continues) holds it; false if it
    /// holds none.
    pub fn keep(&mut self, previous: &Previous, key: u64) -> bool {
        previous
            .index
            .get(&key)
            .map(|&(at, size)| self.keys.push((key, at, size)))
            .is_some()
    }

    /// Writes the records of documents counted in order: their keys and
    /// their counts, encoded ([`encode`]).
    pub fn write(&mut self, records: impl IntoIterator<Item = (u64, Vec<u8>)>) -> io::Result<()> {
        let out = self
            .out
            .as_mut()
            .ok_or_else(|| io::Error::other("finished"))?;
        for (key, bytes) in records {
            out.write_all(&bytes)?;
            let size = u32::try_from(bytes.len()).map_err(io::Error::other)?;
            self.keys.push((key, self.at, size));
            self.at += u64::from(size);
        }
        Ok(())
    }

    /// Writes the names of every term `vocab` numbered, the index, the
    /// occurrences (written by `occurrences`) and the footer, and puts the
    /// file in the place of the last build's. When
    /// more than one term in [`STALE_SHARE`] is one no document holds any
    /// more (of the `held` terms that some document holds), no file is
    /// kept instead: the next build analyses every document and numbers
    /// only the terms they hold.
    pub fn finish(
        mut self,
        vocab: &Vocab,
        held: usize,
        occurrences: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if vocab.len().saturating_sub(held) > held / STALE_SHARE {
            let path = self.path.clone();
            // Dropped unfinished: what was written is removed.
            drop(self);
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let mut tail = Vec::new();
        vocab.with_terms(|terms| {
            put(&mut tail, terms.len() as u64);
            for t in terms {
                put(&mut tail, t.len() as u64);
                tail.extend_from_slice(t.as_bytes());
            }
        });
        let index_at = self.at + tail.len() as u64;
        put(&mut tail, self.keys.len() as u64);
        for &(key, at, size) in &self.keys {
            tail.extend_from_slice(&key.to_le_bytes());
            put(&mut tail, at);
            put(&mut tail, u64::from(size));
        }
        let occurrences_at = self.at + tail.len() as u64;
        let mut out = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("finished"))?;
        out.write_all(&tail)?;
        occurrences(&mut out)?;
        for word in [self.at, index_at, occurrences_at, self.program] {
            out.write_all(&word.to_le_bytes())?;
        }
        out.write_all(MAGIC)?;
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        match &self.temp {
            Some(temp) => std::fs::rename(temp, &self.path),
            None => Ok(()),
        }
    }
}

impl Drop for Next {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(self.temp.as_ref().unwrap_or(&self.path));
        }
    }
}

/// A document's counts as bytes: its slots' lengths, then its words by
/// number (gaps) with slot and frequency, then its pairs by their first
/// word (gaps), second word (a gap after a pair with the same first word)
/// and frequency (only when not 1). In the order [`DocTerms::of`]
/// counts them (words by number then slot, pairs by key), which
/// [`decode`] checks.
pub(super) fn encode(t: &DocTerms) -> Vec<u8> {
    debug_assert!(t.words.is_sorted_by_key(|&(id, at)| (id, at.slot())));
    debug_assert!(t.pairs.is_sorted());
    encode_as_is(t)
}

/// [`encode`] whatever the order (a test writes a damaged record so).
fn encode_as_is(t: &DocTerms) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 3 * t.words.len() + 5 * t.pairs.len());
    for &len in &t.lens {
        put(&mut out, u64::from(len));
    }
    put(&mut out, t.words.len() as u64);
    let mut last = 0;
    for &(id, at) in &t.words {
        put(&mut out, u64::from(id - last));
        put(&mut out, at.written());
        last = id;
    }
    put(&mut out, t.pairs.len() as u64);
    let mut last: Option<(u32, u32)> = None;
    for &(key, tf) in &t.pairs {
        let (a, b) = ((key >> 32) as u32, key as u32);
        let gap = a - last.map_or(0, |l| l.0);
        put(&mut out, u64::from(gap));
        // Over half a document's pairs start with the word before's first
        // word: their second word is written as a gap from that pair's.
        let second = match last {
            Some((_, lb)) if gap == 0 => b - lb,
            _ => b,
        };
        // Most pairs occur once: the low bit says whether a frequency
        // other than 1 follows.
        put(&mut out, u64::from(second) << 1 | u64::from(tf != 1));
        if tf != 1 {
            put(&mut out, u64::from(tf));
        }
        last = Some((a, b));
    }
    out
}

/// [`encode`]'s bytes read back, in the order [`DocTerms::of`] gives
/// them (which is the order they are written in); none when they do not
/// read back, or name a term past the `terms` the file numbers.
fn decode(bytes: &[u8], terms: u64) -> Option<DocTerms> {
    let mut r = Reader(bytes);
    let mut lens = [0u32; SLOTS];
    for len in &mut lens {
        *len = u32::try_from(r.number()?).ok()?;
    }
    let id = |n: u64| u32::try_from(n).ok().filter(|_| n < terms);
    let n = r.number()?;
    let mut words = Vec::with_capacity(usize::try_from(n).ok()?.min(bytes.len()));
    let mut last: Option<(u64, usize)> = None;
    for _ in 0..n {
        let word = last.map_or(0, |l| l.0) + r.number()?;
        let at = SlotTf::read(u16::try_from(r.number()?).ok()?);
        // By number, then slot: a record out of order is damaged.
        if last.is_some_and(|l| (word, at.slot()) <= l) {
            return None;
        }
        words.push((id(word)?, at));
        last = Some((word, at.slot()));
    }
    let n = r.number()?;
    let mut pairs = Vec::with_capacity(usize::try_from(n).ok()?.min(bytes.len()));
    let mut last: Option<(u64, u64)> = None;
    for _ in 0..n {
        let gap = r.number()?;
        let a = last.map_or(0, |l| l.0).checked_add(gap)?;
        let second = r.number()?;
        let b = match last {
            Some((_, lb)) if gap == 0 => lb.checked_add(second >> 1)?,
            _ => second >> 1,
        };
        let tf = match second & 1 {
            0 => 1,
            _ => u16::try_from(r.number()?).ok()?,
        };
        last = Some((a, b));
        let key = pair_key(id(a)?, id(b)?);
        if pairs.last().is_some_and(|&(k, _)| k >= key) {
            return None;
        }
        pairs.push((key, tf));
    }
    r.0.is_empty().then_some(DocTerms { lens, words, pairs })
}

/// Varints and byte runs read from a slice; `None` past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn number(&mut self) -> Option<u64> {
        varint(|| {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            Some(b)
        })
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(vocab: &Vocab) -> DocTerms {
        let (a, b, c) = (vocab.id("ban"), vocab.id("=bản"), vocab.id("dan"));
        DocTerms {
            lens: std::array::from_fn(|s| s as u32 * 3),
            words: vec![
                (a, SlotTf::new(0, 2)),
                (a, SlotTf::new(4, 1)),
                (b, SlotTf::new(1, 2)),
                (c, SlotTf::new(0, 300)),
            ],
            pairs: vec![(pair_key(a, c), 2)],
        }
    }

    /// Slot lengths, words and pairs, by name.
    type Named = (Vec<u32>, Vec<(String, u16)>, Vec<(String, u16)>);

    fn as_numbers(t: &DocTerms, vocab: &Vocab) -> Named {
        vocab.with_terms(|names| {
            let mut words: Vec<(String, u16)> = t
                .words
                .iter()
                .map(|&(id, at)| (names[id as usize].to_string(), at.0))
                .collect();
            words.sort();
            let pairs = t
                .pairs
                .iter()
                .map(|&(k, tf)| {
                    (
                        format!("{} {}", names[(k >> 32) as usize], names[k as u32 as usize]),
                        tf,
                    )
                })
                .collect();
            (t.lens.to_vec(), words, pairs)
        })
    }

    /// A counts file at `path` holding one document's record (key 42),
    /// with the vocabulary and terms it was counted in.
    fn one_record_at(path: &Path) -> (Vocab, DocTerms) {
        let vocab = Vocab::default();
        let t = terms(&vocab);
        let mut next = Next::create(path, 7).unwrap();
        next.write([(42, encode(&t))]).unwrap();
        next.finish(&vocab, vocab.len(), |_| Ok(())).unwrap();
        (vocab, t)
    }

    #[test]
    fn counts_read_back_in_the_last_builds_numbers_and_a_damaged_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let (first, t) = one_record_at(&path);

        // The next build counts in the last one's numbers: the record
        // reads back as it was counted, and goes to the next file as is.
        let (previous, second) = Previous::open(&path, 7).unwrap();
        let (read, record) = previous.terms(42).unwrap();
        assert_eq!(as_numbers(&read, &second), as_numbers(&t, &first));
        assert_eq!(record, encode(&t));
        assert_eq!(second.id("dan"), first.id("dan"));
        assert_eq!(
            second.id("new"),
            3,
            "a new term comes after the last build's"
        );
        assert!(previous.terms(43).is_none());

        assert!(Previous::open(&path, 8).is_none(), "another program's");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Previous::open(&path, 7).is_none(), "cut short");
        // A footer whose offsets point past the end.
        let at = bytes.len() - FOOTER;
        let mut bad = bytes.clone();
        bad[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &bad).unwrap();
        assert!(Previous::open(&path, 7).is_none(), "names past the end");
        let mut bad = bytes.clone();
        bad[at + 8..at + 16].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
        std::fs::write(&path, &bad).unwrap();
        assert!(Previous::open(&path, 7).is_none(), "index past the end");
        // Records whose bytes do not read back: cut, or out of order.
        let mut bad = bytes.clone();
        bad[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&[0xff; 4]);
        std::fs::write(&path, &bad).unwrap();
        let (damaged, _) = Previous::open(&path, 7).unwrap();
        assert!(damaged.terms(42).is_none(), "a damaged record");
        // One word's slots in the wrong order.
        let swapped = DocTerms {
            lens: t.lens,
            words: vec![t.words[1], t.words[0]],
            pairs: Vec::new(),
        };
        let mut next = Next::create(&path, 7).unwrap();
        next.write([(42, encode_as_is(&swapped))]).unwrap();
        next.finish(&first, first.len(), |_| Ok(())).unwrap();
        let (damaged, _) = Previous::open(&path, 7).unwrap();
        assert!(damaged.terms(42).is_none(), "a record out of order");

        // Unfinished, the file being written is removed.
        let unfinished = Next::create(&dir.path().join("other.bin"), 7).unwrap();
        drop(unfinished);
        assert!(!dir.path().join("other.new").exists());
    }

    /// The usual word (a body word met once to three times) takes two
    /// bytes, its gap and its slot with frequency; a pair after one with
    /// the same first word takes two, with its frequency only when it is
    /// not 1. It reads back as written. (A body word took three bytes in
    /// all, a pair three or four.)
    #[test]
    fn the_usual_words_and_pairs_take_two_bytes_each() {
        let vocab = Vocab::default();
        let ids: Vec<u32> = (0..40).map(|i| vocab.id(&format!("w{i}"))).collect();
        let body = (2 * crate::search::document::BODY) as u8;
        let words = ids.iter().map(|&id| (id, SlotTf::new(body, 1))).collect();
        let mut pairs: Vec<(u64, u16)> =
            ids[1..].iter().map(|&b| (pair_key(ids[0], b), 1)).collect();
        pairs.push((pair_key(ids[1], ids[0]), 5));
        let t = DocTerms {
            lens: [0; SLOTS],
            words,
            pairs,
        };
        let bytes = encode(&t);
        // Lengths and counts; 40 words; the first pair, 38 after it with
        // the same first word, and one with another first word and tf 5.
        assert_eq!(bytes.len(), SLOTS + 1 + 40 * 2 + 1 + 2 + 38 * 2 + 3);
        let read = decode(&bytes, vocab.len() as u64).unwrap();
        assert_eq!(as_numbers(&read, &vocab), as_numbers(&t, &vocab));
    }

    /// Continued in place, the file keeps its records where they were
    /// and lists a new one after them; one process at a time continues it.
    #[test]
    fn a_file_continued_in_place_keeps_its_records_and_one_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let (vocab, t) = one_record_at(&path);

        let (previous, second) = Previous::open(&path, 7).unwrap();
        let other = std::fs::File::open(&path).unwrap();
        other.lock().unwrap();
        assert_eq!(
            Next::continuing(&path, &previous).err().map(|e| e.kind()),
            Some(io::ErrorKind::WouldBlock),
            "another process is continuing it"
        );
        other.unlock().unwrap();
        let mut next = Next::continuing(&path, &previous).unwrap();
        assert!(next.keep(&previous, 42));
        assert!(!next.keep(&previous, 41), "no record to keep");
        let moved = DocTerms {
            lens: t.lens,
            words: t.words[2..].to_vec(),
            pairs: Vec::new(),
        };
        next.write([(43, encode(&moved))]).unwrap();
        next.finish(&second, second.len(), |_| Ok(())).unwrap();
        drop(previous);

        let (read, third) = Previous::open(&path, 7).unwrap();
        let (kept, _) = read.terms(42).unwrap();
        assert_eq!(as_numbers(&kept, &third), as_numbers(&t, &vocab));
        let (added, _) = read.terms(43).unwrap();
        assert_eq!(as_numbers(&added, &third), as_numbers(&moved, &vocab));
        assert!(read.room_for([42, 43].into_iter(), 0).unwrap());
        assert!(
            !read.room_for([43].into_iter(), 0).unwrap(),
            "42's record unlisted: more than an eighth of the records"
        );
    }

    /// Terms no document holds keep their numbers, so the file keeps
    /// their names; past one in eight, it is dropped, and the build after
    /// analyses everything and numbers afresh.
    #[test]
    fn a_file_holding_many_terms_no_document_holds_is_made_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let vocab = Vocab::default();
        for w in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            vocab.id(w);
        }
        Next::create(&path, 7)
            .unwrap()
            .finish(&vocab, 9, |_| Ok(()))
            .unwrap();
        assert!(
            Previous::open(&path, 7).is_some(),
            "one stale term in ten is kept"
        );
        Next::create(&path, 7)
            .unwrap()
            .finish(&vocab, 8, |_| Ok(()))
            .unwrap();
        assert!(!path.exists(), "two in ten: made afresh");
        assert!(!path.with_extension("new").exists());
    }
}
