//! Term statistics and BM25 contributions, computed once from the analyzed
//! documents. The static index stores these contributions; the tantivy
//! index is fed the same token streams (pre-tokenized, see
//! `tantivy_index::Writer`) and computes the same BM25 from the same
//! lengths (its own field-length quantization is reproduced here), so both
//! rank alike.
//!
//! Documents are analysed once, in parallel chunks; each chunk is reduced
//! at once to its distinct terms per slot, so the tokens of the whole site
//! never live in memory together. Terms are known by number (see
//! `terms.rs`) and shared out by number among a few partitions filled in
//! parallel; a term's postings are appended in document order, so they
//! need no sorting.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use xxhash_rust::xxh3::Xxh3;

use super::analyze::pair_term;
use super::document::{plain_text, Texts, BODY, FIELDS, PAIR_BOOST};
use super::packed::put;
use super::terms::{scan, Vocab};

mod patch;
mod remembered;

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// Prefix of an exact (diacritic-bearing) term in the static index; folded
/// terms are bare and pair terms contain a space.
pub const EXACT_PREFIX: char = '=';

/// Smallest contribution with its own code, and the ratio between codes:
/// 255 steps of 3.5 % cover 0.02 … 125, every BM25 sum a site produces.
const CODE_MIN: f64 = 0.02;
const CODE_STEP: f64 = 1.035;

/// Where a term occurs: slot `2f` is field `f`'s folded terms, `2f + 1` its
/// exact terms, and the last slot the adjacent-syllable pairs. Each slot
/// has its own statistics (document frequency, average length).
pub const SLOTS: usize = FIELDS.len() * 2 + 1;
const PAIR_SLOT: usize = SLOTS - 1;
// A slot is kept in five bits (see `SlotTf`).
const _: () = assert!(SLOTS <= 1 << SLOT_BITS);

/// Documents analysed per chunk: enough to keep both cores busy, few
/// enough that a chunk's tokens stay a few megabytes.
const CHUNK_DOCS: usize = 128;
/// Term partitions filled in parallel.
const PARTS: usize = 8;

fn boost(slot: usize) -> f64 {
    if slot == PAIR_SLOT {
        f64::from(PAIR_BOOST)
    } else {
        f64::from(FIELDS[slot / 2].1)
    }
}

/// A contribution on the log-scale code: any match is at least 1. Code
/// `k` covers `CODE_MIN · CODE_STEP^(k − 1 ± ½)`: the code is one more
/// than the number of those bounds at or below the contribution.
///
/// Every posting of the site passes here (ten million at 10,000 models).
/// A logarithm each cost a fifth of the preview's search index, and a
/// binary search of the bounds was still a twentieth of a rebuild's CPU;
/// so the bounds are found by the contribution's bits: its exponent and
/// first `CODE_MANTISSA_BITS` mantissa bits pick a bucket narrower than
/// a step, which holds at most one bound, and `CodeTable` knows the
/// code where each bucket starts.
pub fn code(contribution: f64) -> u8 {
    static TABLE: std::sync::OnceLock<CodeTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(CodeTable::new).code(contribution)
}

/// Mantissa bits in a [`code`] bucket: buckets 1/64 of a binade wide
/// (at most 1.6 %), narrower than a code's step (3.5 %).
const CODE_MANTISSA_BITS: u32 = 6;
/// Binades the buckets cover, from 2^[`CODE_LOW_EXP`]: below it every
/// contribution is under the first bound, from the top one past the last.
const CODE_LOW_EXP: i32 = -6;
const CODE_BINADES: i32 = 13;
const _: () = assert!(CODE_STEP - 1.0 > 1.0 / (1 << CODE_MANTISSA_BITS) as f64);

struct CodeTable {
    /// The bounds between codes, ascending.
    bounds: [f64; 254],
    /// Per bucket, how many bounds are at or below its start.
    below: Vec<u8>,
}

impl CodeTable {
    fn new() -> CodeTable {
        let bounds = std::array::from_fn(|j| CODE_MIN * CODE_STEP.powf(j as f64 + 0.5));
        let low = CodeTable::low();
        let below = (0..CodeTable::buckets())
            .map(|b| {
                let start = f64::from_bits(low.to_bits() + ((b as u64) << CodeTable::shift()));
                bounds.partition_point(|&x| x <= start) as u8
            })
            .collect();
        CodeTable { bounds, below }
    }

    fn low() -> f64 {
        2f64.powi(CODE_LOW_EXP)
    }

    fn shift() -> u32 {
        f64::MANTISSA_DIGITS - 1 - CODE_MANTISSA_BITS
    }

    fn buckets() -> usize {
        (CODE_BINADES as usize) << CODE_MANTISSA_BITS
    }

    fn code(&self, contribution: f64) -> u8 {
        let low = CodeTable::low();
        // No bound is at or below NaN either.
        if contribution.is_nan() || contribution < low {
            return 1;
        }
        let bucket = ((contribution.to_bits() - low.to_bits()) >> CodeTable::shift()) as usize;
        let Some(&below) = self.below.get(bucket) else {
            return 255;
        };
        let next = self.bounds.get(usize::from(below));
        1 + below + u8::from(next.is_some_and(|&b| b <= contribution))
    }
}

/// Integer weight of each code (index 0 unused). Scores are sums of these,
/// so Rust and JavaScript add exactly the same integers.
pub fn weights() -> Vec<u32> {
    (0..256)
        .map(|c| {
            if c == 0 {
                0
            } else {
                (100_000.0 * CODE_MIN * CODE_STEP.powi(c - 1)).round() as u32
            }
        })
        .collect()
}

/// A document's text as the tantivy index is given it: per field, its
/// tokens' folded and exact forms, and its pairs, each joined by
/// [`TEXT_SEP`] (tantivy reads them back with the same separator).
#[derive(Default)]
pub struct Analyzed {
    pub folded: Vec<String>,
    pub exact: Vec<String>,
    pub pairs: String,
}

/// Separates the tokens of [`Analyzed`]: no token contains a line break.
pub const TEXT_SEP: char = '\n';

fn push_token(out: &mut String, token: &str) {
    if !out.is_empty() {
        out.push(TEXT_SEP);
    }
    out.push_str(token);
}

/// A term's postings by document: documents and their contribution
/// codes, kept apart (five bytes a posting where pairs take eight).
#[derive(Debug, Default)]
pub struct List {
    pub docs: Vec<u32>,
    pub codes: Vec<u8>,
}

impl List {
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// (document, code) pairs, by document.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.docs.iter().copied().zip(self.codes.iter().copied())
    }

    pub fn push(&mut self, doc: u32, code: u8) {
        self.docs.push(doc);
        self.codes.push(code);
    }
}

/// Every term with the number of documents that hold it; each term's
/// list is made when the index asks for it ([`Postings::lists`]), a group
/// of shards at a time, so a large site's lists are never all in memory
/// together (at 100,000 models they and their entries were 0.5 GB of the
/// build's peak: bench/RESULTS.md, session 19).
pub struct Postings {
    /// Every term and its document frequency.
    pub terms: Vec<(Box<str>, u32)>,
    lists: Lists,
    pub docs: usize,
    /// What this build's postings are made from ([`basis`]), when it keeps
    /// its counts for the next one.
    pub basis: Option<u64>,
    /// How they stand to the last build's, when it patched them.
    pub since: Option<Since>,
}

/// The terms whose lists may differ from the last build's, when only they
/// may (its occurrences patched, the documents' average lengths as
/// [`averages`] rounds them unchanged): every other term's list, and so
/// every shard holding none of these, is the last build's to the byte.
pub struct Since {
    /// The last build's [`basis`].
    pub basis: u64,
    /// Their names, present or gone (a word no document holds any more
    /// still changed its shard).
    pub terms: Vec<Box<str>>,
}

/// What a build's postings are made from: the counting program and each
/// document's searchable text (by its key, in order). Two builds of the
/// same basis have the same postings.
pub fn basis(program: u64, keys: &[u64]) -> u64 {
    let mut h = Xxh3::new();
    h.update(&program.to_le_bytes());
    h.update(&(keys.len() as u64).to_le_bytes());
    for k in keys {
        h.update(&k.to_le_bytes());
    }
    h.digest()
}

/// Where [`Postings::lists`] takes each term's list from, by term.
enum Lists {
    /// Made already (the preview's, from the occurrences it keeps).
    Made(Vec<List>),
    /// A build's gathered occurrences, made into lists when asked for and
    /// freed then.
    Gathered { stats: Stats, raws: Vec<PackedRaws> },
}

impl Postings {
    fn made(terms: Vec<(Box<str>, List)>, docs: usize) -> Postings {
        let (terms, lists) = terms
            .into_iter()
            .map(|(t, l)| ((t, l.len() as u32), l))
            .unzip();
        Postings {
            terms,
            lists: Lists::Made(lists),
            docs,
            basis: None,
            since: None,
        }
    }

    /// The lists of the terms `which` (indexes into [`Postings::terms`]),
    /// in that order. A term's list is given once: asked again, it is
    /// empty.
    pub fn lists(&mut self, which: &[u32]) -> Vec<List> {
        match &mut self.lists {
            Lists::Made(lists) => which
                .iter()
                .map(|&i| std::mem::take(&mut lists[i as usize]))
                .collect(),
            Lists::Gathered { stats, raws } => {
                let lists = which
                    .par_iter()
                    .map(|&i| stats.list_packed(&raws[i as usize]))
                    .collect();
                for &i in which {
                    raws[i as usize] = PackedRaws::default();
                }
                lists
            }
        }
    }
}

/// A document's distinct terms, counted: words (folded, exact forms,
/// codes) by their [`Vocab`] number, each with its slot and frequency,
/// ordered by number then slot (so that a term's contributions are
/// summed in one fixed order: rebuilds are byte-identical); and adjacent
/// pairs by their two folded words' numbers.
struct DocTerms {
    lens: [u32; SLOTS],
    words: Vec<(u32, SlotTf)>,
    pairs: Vec<(u64, u16)>,
}

/// A pair's key: its two words' numbers.
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl DocTerms {
    /// Scans `doc`'s fields, filling `texts` for tantivy when given.
    fn of(vocab: &Vocab, doc: &Texts, texts: Option<&mut Analyzed>) -> DocTerms {
        SCRATCH.with_borrow_mut(|(words, pairs)| {
            words.clear();
            pairs.clear();
            DocTerms::counted(vocab, doc, texts, words, pairs)
        })
    }

    /// [`DocTerms::of`], the occurrences listed in `words` and `pairs`
    /// (empty) before they are counted.
    fn counted(
        vocab: &Vocab,
        doc: &Texts,
        mut texts: Option<&mut Analyzed>,
        words: &mut Vec<u64>,
        pairs: &mut Vec<u64>,
    ) -> DocTerms {
        let mut lens = [0u32; SLOTS];
        if let Some(t) = texts.as_deref_mut() {
            t.folded = vec![String::new(); FIELDS.len()];
            t.exact = vec![String::new(); FIELDS.len()];
        }
        let mut prev_text = String::new();
        for (f, values) in doc.fields.iter().enumerate() {
            let body = (f == BODY).then(|| plain_text(doc.body()));
            let (folded_slot, exact_slot) = (2 * f as u64, 2 * f as u64 + 1);
            let mut n = 0u32;
            for v in values.iter().map(String::as_str).chain(body.as_deref()) {
                // Pairs never cross from one value to the next.
                let mut prev: Option<u32> = None;
                scan(vocab, v, |t| {
                    n += 1;
                    words.push((u64::from(t.folded) << SLOT_BITS) | folded_slot);
                    if let Some(e) = t.exact {
                        words.push((u64::from(e) << SLOT_BITS) | exact_slot);
                    }
                    if let Some(x) = texts.as_deref_mut() {
                        push_token(&mut x.folded[f], t.folded_text);
                        push_token(&mut x.exact[f], t.exact_text);
                    }
                    if t.code {
                        return;
                    }
                    if let (Some(p), true) = (prev, t.joined) {
                        pairs.push(pair_key(p, t.folded));
                        if let Some(x) = texts.as_deref_mut() {
                            if !x.pairs.is_empty() {
                                x.pairs.push(TEXT_SEP);
                            }
                            x.pairs.push_str(&prev_text);
                            x.pairs.push(' ');
                            x.pairs.push_str(t.folded_text);
                        }
                    }
                    prev = Some(t.folded);
                    if texts.is_some() {
                        prev_text.clear();
                        prev_text.push_str(t.folded_text);
                    }
                });
            }
            lens[2 * f] = n;
            lens[2 * f + 1] = n;
        }
        lens[PAIR_SLOT] = pairs.len() as u32;
        radsort::sort(words);
        radsort::sort(pairs);
        let slot_mask = (1u64 << SLOT_BITS) - 1;
        let words = runs(words)
            .map(|(key, tf)| {
                let slot = (key & slot_mask) as u8;
                ((key >> SLOT_BITS) as u32, SlotTf::new(slot, tf))
            })
            .collect();
        let pairs = runs(pairs).collect();
        DocTerms { lens, words, pairs }
    }
}

thread_local! {
    /// Each analysing thread's list of a document's occurrences, kept
    /// from one document to the next rather than made and freed for each
    /// (tens of kilobytes a document, grown by doubling every time).
    static SCRATCH: std::cell::RefCell<(Vec<u64>, Vec<u64>)> = const {
        std::cell::RefCell::new((Vec::new(), Vec::new()))
    };
}

/// Each distinct value of a sorted slice with how often it occurs.
fn runs(sorted: &[u64]) -> impl Iterator<Item = (u64, u16)> + '_ {
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], u16::try_from(run.len()).unwrap_or(u16::MAX)))
}

/// A slot (top [`SLOT_BITS`] bits) and a frequency (at most [`MAX_TF`],
/// below).
#[derive(Clone, Copy)]
struct SlotTf(u16);

/// Bits of a [`SlotTf`] that hold the slot: room for 32 slots, 15 fields.
const SLOT_BITS: u32 = 5;
const TF_BITS: u32 = 16 - SLOT_BITS;

/// Frequencies are counted up to here: BM25 is saturated long before
/// (2,047 occurrences score 99.94 % of infinitely many in a field of
/// average length).
const MAX_TF: u16 = (1 << TF_BITS) - 1;

impl SlotTf {
    fn new(slot: u8, tf: u16) -> SlotTf {
        SlotTf((u16::from(slot) << TF_BITS) | tf.min(MAX_TF))
    }
    fn slot(self) -> usize {
        usize::from(self.0 >> TF_BITS)
    }
    /// As it is written (in a list, in `.dienhinh/search-terms.bin`): the
    /// frequency in the high bits and the slot in the low ones, so that
    /// the usual frequencies (at most 3) take one byte as a varint in any
    /// slot. Written as stored, a body word (slot 4) took two, a word of
    /// a field from slot 8 on three.
    fn written(self) -> u64 {
        u64::from(self.0.rotate_left(SLOT_BITS))
    }
    /// [`SlotTf::written`] read back.
    fn read(n: u16) -> SlotTf {
        SlotTf(n.rotate_right(SLOT_BITS))
    }
    fn tf(self) -> f64 {
        f64::from(self.0 & MAX_TF)
    }
}

/// One occurrence of a term: in which document and slot, how often.
/// Six bytes: `serve`'s preview keeps every occurrence of the site in one
/// array of these (fourteen million at 10,000 models); a full build packs
/// them tighter ([`PackedRaws`]).
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct Raw {
    doc: u32,
    at: SlotTf,
}

impl Raw {
    fn slot(self) -> usize {
        self.at.slot()
    }
    fn tf(self) -> f64 {
        self.at.tf()
    }
}

/// The terms of one partition, with their occurrences: the words whose
/// number is the partition's modulo [`PARTS`] (a list by number, no
/// lookup), and the pairs whose key hashes to it.
#[derive(Default)]
struct Part {
    /// By word number / [`PARTS`].
    words: Vec<PackedRaws>,
    pair_ids: FxHashMap<u64, u32>,
    pair_keys: Vec<u64>,
    pairs: Vec<PackedRaws>,
}

fn pair_part(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize % PARTS
}

impl Part {
    /// The occurrences of this partition's terms in `chunk`, whose first
    /// document is `first_doc`.
    fn add(&mut self, index: usize, first_doc: usize, chunk: &[Parted]) {
        for (k, d) in chunk.iter().enumerate() {
            let doc = (first_doc + k) as u32;
            for &(id, at) in d.words(index) {
                let local = id as usize / PARTS;
                if local >= self.words.len() {
                    self.words.resize_with(local + 1, PackedRaws::default);
                }
                self.words[local].push(Raw { doc, at });
            }
            for &(key, tf) in d.pairs(index) {
                let next = self.pairs.len() as u32;
                let id = *self.pair_ids.entry(key).or_insert(next);
                if id == next {
                    self.pairs.push(PackedRaws::default());
                    self.pair_keys.push(key);
                }
                self.pairs[id as usize].push(Raw {
                    doc,
                    at: SlotTf::new(PAIR_SLOT as u8, tf),
                });
            }
        }
    }
}

/// A document's counted terms grouped by partition, each group in
/// [`DocTerms`]' order: made once per document, in the analysis's
/// threads, so that each [`Part`] reads only its own terms (every part
/// filtering every document's terms was eight passes over them, an
/// eighth of the stage's CPU at 10,000 models).
struct Parted {
    words: Vec<(u32, SlotTf)>,
    word_starts: [u32; PARTS + 1],
    pairs: Vec<(u64, u16)>,
    pair_starts: [u32; PARTS + 1],
}

impl Parted {
    fn of(t: &DocTerms) -> Parted {
        let (words, word_starts) = grouped(&t.words, |w| w.0 as usize % PARTS);
        let (pairs, pair_starts) = grouped(&t.pairs, |p| pair_part(p.0));
        Parted {
            words,
            word_starts,
            pairs,
            pair_starts,
        }
    }

    fn words(&self, part: usize) -> &[(u32, SlotTf)] {
        &self.words[self.word_starts[part] as usize..self.word_starts[part + 1] as usize]
    }

    fn pairs(&self, part: usize) -> &[(u64, u16)] {
        &self.pairs[self.pair_starts[part] as usize..self.pair_starts[part + 1] as usize]
    }
}

/// `items` grouped by `part` (a counting sort: stable, so each group
/// keeps their order), and where each group starts.
fn grouped<T: Copy>(items: &[T], part: impl Fn(&T) -> usize) -> (Vec<T>, [u32; PARTS + 1]) {
    let mut starts = [0u32; PARTS + 1];
    for item in items {
        starts[part(item) + 1] += 1;
    }
    for p in 1..=PARTS {
        starts[p] += starts[p - 1];
    }
    let mut at = starts;
    let mut out = items.to_vec();
    for &item in items {
        let slot = &mut at[part(&item)];
        out[*slot as usize] = item;
        *slot += 1;
    }
    (out, starts)
}

/// A pair's term: its two folded words, space-separated.
fn pair_name(terms: &[Box<str>], key: u64) -> Box<str> {
    let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
    pair_term(&terms[a], &terms[b]).into_boxed_str()
}

/// A term's occurrences as a full build gathers them, in bytes: per
/// occurrence, how far its document is from the previous occurrence's (0:
/// the same document, another slot), then its slot and frequency, each a
/// varint. Two or three bytes where a [`Raw`] takes six: at 100,000
/// models the site's occurrences were a third of the build's peak memory.
/// Occurrences must be pushed in document order.
#[derive(Default)]
struct PackedRaws {
    bytes: Vec<u8>,
    last_doc: u32,
    /// Distinct documents pushed: the term's document frequency, known
    /// before its list is made.
    docs: u32,
}

impl Extend<Raw> for PackedRaws {
    fn extend<I: IntoIterator<Item = Raw>>(&mut self, raws: I) {
        raws.into_iter().for_each(|r| self.push(r));
    }
}

impl PackedRaws {
    fn push(&mut self, r: Raw) {
        if self.bytes.is_empty() || r.doc != self.last_doc {
            self.docs += 1;
        }
        self.room();
        put(&mut self.bytes, u64::from(r.doc - self.last_doc));
        put(&mut self.bytes, r.at.written());
        self.last_doc = r.doc;
    }

    /// Room for one more occurrence. A list past a few kilobytes grows
    /// by a quarter where a `Vec` doubles: the lists are gathered whole
    /// before any is made, and doubling left them a quarter empty (41 MB
    /// held for 30 MB of occurrences on the 10,000-model bench corpus, 34
    /// MB so). The copies this costs are a few times the lists' bytes,
    /// lost in the stage's CPU.
    fn room(&mut self) {
        /// Bytes of one occurrence at most: two varints.
        const MOST: usize = 2 * 10;
        /// Shorter lists double as usual: most of the site's terms have
        /// them, and their slack is little in all.
        const LONG: usize = 4096;
        let capacity = self.bytes.capacity();
        if capacity >= LONG && capacity - self.bytes.len() < MOST {
            self.bytes.reserve_exact(capacity / 4);
        }
    }

    fn iter(&self) -> Unpack<'_> {
        Unpack {
            bytes: &self.bytes,
            doc: 0,
        }
    }
}

/// The occurrences a [`PackedRaws`] holds, in order.
#[derive(Clone)]
struct Unpack<'a> {
    bytes: &'a [u8],
    doc: u32,
}

impl Unpack<'_> {
    fn number(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some((&b, rest)) = self.bytes.split_first() {
            self.bytes = rest;
            v |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 || shift >= 64 {
                break;
            }
        }
        v
    }
}

impl Iterator for Unpack<'_> {
    type Item = Raw;

    fn next(&mut self) -> Option<Raw> {
        if self.bytes.is_empty() {
            return None;
        }
        self.doc += self.number() as u32;
        let at = SlotTf::read(self.number() as u16);
        Some(Raw { doc: self.doc, at })
    }
}

/// Each slot's average length over the documents, rounded to 12
/// significant bits (a 4,096th of it). Every contribution depends on it:
/// unrounded, an edit that lengthens one document by a word moves every
/// score of the site a little, and every shard of the static index has to
/// be made again. Rounded, it almost never moves (a line added to one
/// document of 10,000 moves the body's average by about a millionth of
/// it, against steps of a 4,096th), so the shards that hold
/// none of the edited document's terms keep their bytes
/// (`static_index::Reuse`); the scores move by at most a 4,096th, far
/// inside a contribution code's 3.5 % step.
pub fn averages(lens: &[[u32; SLOTS]]) -> [f64; SLOTS] {
    let mut avg = [0f64; SLOTS];
    for l in lens {
        for (s, &len) in l.iter().enumerate() {
            avg[s] += f64::from(len);
        }
    }
    avg.map(|a| rounded(a / lens.len().max(1) as f64))
}

/// `x` (positive or zero) to the nearest number of 12 significant bits.
fn rounded(x: f64) -> f64 {
    const DROPPED: u32 = 52 - 11;
    let bits = x.to_bits();
    f64::from_bits((bits + (1 << (DROPPED - 1))) & !((1 << DROPPED) - 1))
}

/// The BM25 statistics every contribution needs.
struct Stats {
    docs: u64,
    /// Per document and slot: `k1 · (1 − b + b · len / avg len)`.
    norms: Vec<[f64; SLOTS]>,
}

impl Stats {
    fn of(lens: &[[u32; SLOTS]]) -> Stats {
        let avg = averages(lens);
        let norms = lens
            .iter()
            .map(|l| {
                std::array::from_fn(|s| {
                    K1 * (1.0 - B + B * f64::from(quantized_len(l[s])) / avg[s])
                })
            })
            .collect();
        Stats {
            docs: lens.len() as u64,
            norms,
        }
    }

    /// [`Stats::list`] of packed occurrences, unpacked once: the list
    /// reads them twice (frequencies first, then contributions), and
    /// unpacking the varints twice was a third of its time.
    fn list_packed(&self, raws: &PackedRaws) -> List {
        thread_local! {
            static UNPACKED: std::cell::RefCell<Vec<Raw>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        UNPACKED.with_borrow_mut(|unpacked| {
            unpacked.clear();
            unpacked.extend(raws.iter());
            self.list(unpacked.iter().copied())
        })
    }

    /// A term's codes by document, from its occurrences (by document, and
    /// within a document by slot).
    fn list(&self, raws: impl Iterator<Item = Raw> + Clone) -> List {
        let mut df = [0u64; SLOTS];
        let mut docs = 0;
        let mut last = None;
        for r in raws.clone() {
            df[r.slot()] += 1;
            docs += usize::from(last != Some(r.doc));
            last = Some(r.doc);
        }
        // Per slot, all but the frequency part; most terms are in a few
        // slots: no logarithm for the others.
        let weight: [f64; SLOTS] = std::array::from_fn(|s| {
            if df[s] == 0 {
                0.0
            } else {
                boost(s) * idf(df[s], self.docs) * (K1 + 1.0)
            }
        });
        let mut out = List {
            docs: Vec::with_capacity(docs),
            codes: Vec::with_capacity(docs),
        };
        let mut raws = raws.peekable();
        while let Some(first) = raws.next() {
            let doc = first.doc;
            let norms = &self.norms[doc as usize];
            let part = |r: Raw| {
                let (s, tf) = (r.slot(), r.tf());
                weight[s] * tf / (tf + norms[s])
            };
            let mut sum = part(first);
            while let Some(r) = raws.next_if(|r| { r.doc } == doc) {
                sum += part(r);
            }
            out.push(doc, code(sum));
        }
        out
    }
}

pub fn build(docs: Vec<Texts>) -> Postings {
    gather(
        docs,
        |_| false,
        |_, _, _| (),
        |()| {},
        &mut Memory::default(),
    )
    .postings()
}

/// The file where [`gather`] finds the counts of the last build and keeps
/// this one's (`remembered`), with the stamp of the program that counts;
/// and how many documents it analysed.
#[derive(Default)]
pub struct Memory {
    file: Option<(PathBuf, u64)>,
    analysed: usize,
    patched: bool,
}

impl Memory {
    /// The counts in the file `path`, read if `program` wrote them, and
    /// replaced by this build's.
    pub fn in_file(path: PathBuf, program: u64) -> Memory {
        Memory {
            file: Some((path, program)),
            analysed: 0,
            patched: false,
        }
    }

    /// How many documents the last [`gather`] analysed (the others' counts
    /// were remembered).
    pub fn analysed(&self) -> usize {
        self.analysed
    }

    /// Whether the last [`gather`] patched the previous build's
    /// occurrences (`patch`) rather than gathering them.
    pub fn patched(&self) -> bool {
        self.patched
    }
}

/// Every document analysed and its terms counted, the lists not made yet
/// ([`Gathered::postings`]), making something of each document's analysis
/// with `make` (in parallel, as the analysis is) and handing it to `each`
/// in document order: the tantivy index's documents are made from it, so
/// the site's text is analysed once for both indexes, and only tantivy's
/// own indexing waits in line. The analysis keeps the token texts `make`
/// reads only for the documents `tokens` names (those tantivy does not
/// hold yet). Apart so the tantivy index can be finished, and its memory
/// freed, before the lists are made: that is the search stage's peak.
/// `memory` carries the counts of the last build's documents (those whose
/// text is unchanged are not analysed again, unless `tokens` names them)
/// and takes this build's. The analysis takes `docs`, and frees each
/// chunk's once counted.
pub fn gather<T: Send>(
    docs: Vec<Texts>,
    tokens: impl Fn(usize) -> bool + Sync,
    make: impl Fn(usize, &Texts, &Analyzed) -> T + Sync,
    mut each: impl FnMut(T),
    memory: &mut Memory,
) -> Gathered {
    let file = memory.file.as_ref();
    let (previous, vocab) =
        match file.and_then(|(path, program)| remembered::Previous::open(path, *program)) {
            Some((previous, vocab)) => (Some(previous), vocab),
            None => (None, Vocab::default()),
        };
    let keys: Vec<u64> = docs.par_iter().map(text_key).collect();
    let program = file.map_or(0, |(_, program)| *program);
    let made_of = file.map(|_| basis(program, &keys));
    // Tantivy needs no document's text: the last build's occurrences may
    // be patched.
    let patch = previous
        .as_ref()
        .filter(|_| (0..docs.len()).all(|i| !tokens(i)))
        .and_then(|p| patch::patched(p, &vocab, &docs, &keys, program).map(|patched| (p, patched)));
    if let Some((previous, patched)) = patch {
        memory.analysed += patched.counted.len();
        memory.patched = true;
        let next = file.and_then(|(path, program)| {
            remembered_patched(path, *program, previous, &keys, &patched.counted)
        });
        let count = docs.len();
        for (i, d) in docs.into_iter().enumerate() {
            each(make(i, &d, &Analyzed::default()));
        }
        let gathered = Gathered {
            vocab,
            parts: patched.parts,
            lens: patched.lens,
            docs: count,
            basis: made_of,
            since: patched.since,
        };
        gathered.remember(next, &keys);
        return gathered;
    }
    let mut next = file.and_then(|(path, program)| remembered::Next::create(path, *program).ok());
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    let count = docs.len();
    let mut lens: Vec<[u32; SLOTS]> = Vec::with_capacity(count);
    // Each chunk's texts are freed once counted.
    let mut docs = docs.into_iter();
    for c in 0.. {
        let chunk: Vec<Texts> = docs.by_ref().take(CHUNK_DOCS).collect();
        if chunk.is_empty() {
            break;
        }
        let first = c * CHUNK_DOCS;
        let keep = next.is_some();
        let scanned: Vec<Scanned<T>> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, d)| {
                let key = keys[first + k];
                let known = previous
                    .as_ref()
                    .filter(|_| !tokens(first + k))
                    .and_then(|p| p.terms(key));
                let mut a = Analyzed::default();
                let analysed = known.is_none();
                let (terms, record) = match known {
                    Some((terms, record)) => (terms, keep.then_some(record)),
                    None => {
                        let terms = DocTerms::of(&vocab, d, tokens(first + k).then_some(&mut a));
                        let record = keep.then(|| remembered::encode(&terms));
                        (terms, record)
                    }
                };
                Scanned {
                    record: record.map(|r| (key, r)),
                    made: make(first + k, d, &a),
                    lens: terms.lens,
                    terms: Parted::of(&terms),
                    analysed,
                }
            })
            .collect();
        drop(chunk);
        let mut terms = Vec::with_capacity(scanned.len());
        let mut made = Vec::with_capacity(scanned.len());
        let mut records = Vec::with_capacity(scanned.len());
        for s in scanned {
            memory.analysed += usize::from(s.analysed);
            lens.push(s.lens);
            terms.push(s.terms);
            made.push(s.made);
            records.extend(s.record);
        }
        if next.as_mut().is_some_and(|n| n.write(records).is_err()) {
            next = None;
        }
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, part)| part.add(p, first, &terms));
        drop(terms);
        made.into_iter().for_each(&mut each);
    }
    let gathered = Gathered {
        vocab,
        parts,
        lens,
        docs: count,
        basis: made_of,
        since: None,
    };
    gathered.remember(next, &keys);
    gathered
}

/// The file of counts at `path` with every document's record (of the
/// documents whose texts have `keys`): the last build's for those
/// unchanged, and the `counted` ones' new counts. The last build's file
/// continued in place where it has room and no other process is
/// continuing it (`remembered`), else a new one (`program`'s). None if a
/// record is missing or a write fails.
fn remembered_patched(
    path: &std::path::Path,
    program: u64,
    previous: &remembered::Previous,
    keys: &[u64],
    counted: &[(usize, DocTerms)],
) -> Option<remembered::Next> {
    let records: Vec<(usize, Vec<u8>)> = counted
        .iter()
        .map(|(i, t)| (*i, remembered::encode(t)))
        .collect();
    let added: usize = records.iter().map(|(_, r)| r.len()).sum();
    let changed = |i: usize| records.binary_search_by_key(&i, |(c, _)| *c).is_ok();
    let unchanged = keys.iter().enumerate().filter(|&(i, _)| !changed(i));
    let in_place = previous.room_for(unchanged.map(|(_, &k)| k), added as u64)?;
    let mut records = records.into_iter().peekable();
    if let Some(mut next) = in_place
        .then(|| remembered::Next::continuing(path, previous).ok())
        .flatten()
    {
        for (i, &key) in keys.iter().enumerate() {
            match records.next_if(|(c, _)| *c == i) {
                Some((_, record)) => next.write([(key, record)]).ok()?,
                None => next.keep(previous, key).then_some(())?,
            }
        }
        return Some(next);
    }
    let mut next = remembered::Next::create(path, program).ok()?;
    let all = previous.records()?;
    let mut batch = Vec::with_capacity(CHUNK_DOCS);
    for (i, &key) in keys.iter().enumerate() {
        let record = match records.next_if(|(c, _)| *c == i) {
            Some((_, record)) => record,
            None => all.get(key)?.to_vec(),
        };
        batch.push((key, record));
        if batch.len() == CHUNK_DOCS {
            next.write(std::mem::take(&mut batch)).ok()?;
        }
    }
    next.write(batch).ok()?;
    Some(next)
}

/// One document as [`gather`] met it: its slots' lengths, its counted
/// terms (by partition), what `make` made of it, its record for the next
/// build (by the key of its text), and whether it was analysed (not
/// remembered).
struct Scanned<T> {
    lens: [u32; SLOTS],
    terms: Parted,
    made: T,
    record: Option<(u64, Vec<u8>)>,
    analysed: bool,
}

/// Every term's occurrences, counted ([`gather`]).
pub struct Gathered {
    vocab: Vocab,
    parts: Vec<Part>,
    lens: Vec<[u32; SLOTS]>,
    docs: usize,
    basis: Option<u64>,
    since: Option<Changed>,
}

/// The terms a patch touched ([`Since`], by number): the words and pairs
/// the edited documents held before or hold now.
struct Changed {
    basis: u64,
    words: Vec<u32>,
    pairs: Vec<u64>,
}

impl Gathered {
    /// Finishes the file of counts `next` with these occurrences (of the
    /// documents whose texts have `keys`), for the next build to patch.
    /// A cache: a build that cannot keep its counts only analyses more
    /// next time.
    fn remember(&self, next: Option<remembered::Next>, keys: &[u64]) {
        let mut lap = crate::core::timing::Lap::within("search/postings/");
        if let Some(n) = next {
            let held: usize = self
                .parts
                .iter()
                .map(|p| p.words.iter().filter(|w| !w.bytes.is_empty()).count())
                .sum();
            let _ = n.finish(&self.vocab, held, |out| {
                patch::write(out, keys, &self.lens, &self.parts)
            });
        }
        lap.mark("remember");
    }

    /// Every term with its document frequency, its list made later
    /// ([`Postings::lists`]) from the occurrences gathered.
    pub fn postings(self) -> Postings {
        let Gathered {
            vocab,
            parts,
            lens,
            docs,
            basis,
            since,
        } = self;
        let mut terms = Vec::new();
        let mut raws = Vec::new();
        let since = since.map(|c| Since {
            basis: c.basis,
            terms: vocab.with_terms(|names| {
                let words = c.words.iter().map(|&w| names[w as usize].clone());
                let pairs = c.pairs.iter().map(|&k| pair_name(names, k));
                words.chain(pairs).collect()
            }),
        });
        vocab.with_terms(|names| {
            for (p, part) in parts.into_iter().enumerate() {
                for (local, r) in part.words.into_iter().enumerate() {
                    if !r.bytes.is_empty() {
                        terms.push((names[local * PARTS + p].clone(), r.docs));
                        raws.push(r);
                    }
                }
                // A patch leaves a pair no document holds any more empty.
                for (key, r) in part.pair_keys.into_iter().zip(part.pairs) {
                    if r.bytes.is_empty() {
                        continue;
                    }
                    terms.push((pair_name(names, key), r.docs));
                    raws.push(r);
                }
            }
        });
        if crate::core::timing::shown() {
            let n: u64 = terms.iter().map(|(_, df)| u64::from(*df)).sum();
            let names: usize = terms.iter().map(|(t, _)| t.len()).sum();
            eprintln!(
                "timing: search/postings/size {} terms, {n} postings, {names} name bytes",
                terms.len()
            );
        }
        Postings {
            terms,
            lists: Lists::Gathered {
                stats: Stats::of(&lens),
                raws,
            },
            docs,
            basis,
            since,
        }
    }
}

/// What `serve` keeps between two search indexes: every term met, by id,
/// and each document's counted terms by a hash of its searchable text. A
/// save then analyses only the documents it changed; the statistics, and
/// so every contribution, are still computed over the whole site.
#[derive(Default)]
pub struct Reuse {
    vocab: Vocab,
    /// Every term met, by [`Reuse::id`]: its number here by its key.
    ids: FxHashMap<u64, u32>,
    names: Vec<Box<str>>,
    counted: FxHashMap<u64, Arc<Counted>>,
    occurrences: Occurrences,
    analysed: usize,
}

/// A document's terms as numbers into [`Reuse::names`], ordered as in
/// [`DocTerms`].
struct Counted {
    lens: [u32; SLOTS],
    terms: Vec<(u32, SlotTf)>,
}

/// Every term's occurrences in one array, term after term by id, each in
/// document order; and the documents (by the key of their text) they were
/// gathered from.
#[derive(Default)]
struct Occurrences {
    keys: Vec<u64>,
    starts: Vec<usize>,
    raws: Vec<Raw>,
    /// The array before the last patch, written over by the next one: a
    /// fresh one of this size is tens of megabytes of pages to fault in
    /// (a first save took 200 ms more than the next at 10,000 models).
    spare: Vec<Raw>,
}

/// Past this many changed documents, occurrences are gathered afresh
/// (in `serve`'s memory, [`Occurrences::patch`], and from the counts file,
/// `patch`): a patch reads every list of every term they hold.
const PATCH_DOCS: usize = 64;

/// The places whose documents changed, when the documents whose texts
/// had the keys `last` are those of `now` in the same places but for at
/// most [`PATCH_DOCS`] of them; none otherwise (the occurrences are then
/// gathered afresh).
fn changed_places(last: &[u64], now: &[u64]) -> Option<Vec<usize>> {
    if last.len() != now.len() {
        return None;
    }
    let changed: Vec<usize> = (0..now.len()).filter(|&i| last[i] != now[i]).collect();
    (changed.len() <= PATCH_DOCS).then_some(changed)
}

impl Occurrences {
    fn of(&self, id: usize) -> &[Raw] {
        match (self.starts.get(id), self.starts.get(id + 1)) {
            (Some(&a), Some(&b)) => &self.raws[a..b],
            _ => &[],
        }
    }

    /// From every document's terms: counted first, then each written at
    /// its place.
    fn gather(keys: &[u64], docs: &[Arc<Counted>], terms: usize) -> Occurrences {
        let mut starts = vec![0usize; terms + 1];
        for c in docs {
            for &(id, _) in &c.terms {
                starts[id as usize + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let blank = Raw {
            doc: 0,
            at: SlotTf(0),
        };
        // Room to grow: patches write into this array two saves later.
        let mut raws = Vec::with_capacity(starts[terms] + starts[terms] / 8);
        raws.resize(starts[terms], blank);
        let mut next = starts.clone();
        for (doc, c) in docs.iter().enumerate() {
            for &(id, at) in &c.terms {
                let slot = &mut next[id as usize];
                raws[*slot] = Raw {
                    doc: doc as u32,
                    at,
                };
                *slot += 1;
            }
        }
        // Faulted in now, while the first index is built anyway.
        let mut spare = Vec::with_capacity(raws.len() + raws.len() / 8);
        spare.resize(spare.capacity(), blank);
        spare.clear();
        Occurrences {
            keys: keys.to_vec(),
            starts,
            raws,
            spare,
        }
    }

    /// Replaces a few documents in place, when the site has the same
    /// documents in the same places but for those (a save that keeps the
    /// date); false (and nothing done) otherwise. Copies the array once,
    /// in order: writing every occurrence to its place again costs three
    /// times as much on a large site, most of it cache misses.
    fn patch(
        &mut self,
        keys: &[u64],
        docs: &[Arc<Counted>],
        counted: &FxHashMap<u64, Arc<Counted>>,
    ) -> bool {
        if docs.len() != keys.len() {
            return false;
        }
        let Some(changed) = changed_places(&self.keys, keys) else {
            return false;
        };
        // Per term touched: its occurrences in the changed documents now.
        let mut fresh: FxHashMap<u32, Vec<Raw>> = FxHashMap::default();
        for &doc in &changed {
            let Some(old) = counted.get(&self.keys[doc]) else {
                return false;
            };
            for &(id, _) in &old.terms {
                fresh.entry(id).or_default();
            }
            for &(id, at) in &docs[doc].terms {
                fresh.entry(id).or_default().push(Raw {
                    doc: doc as u32,
                    at,
                });
            }
        }
        let terms = self
            .starts
            .len()
            .saturating_sub(1)
            .max(fresh.keys().map(|&id| id as usize + 1).max().unwrap_or(0));
        let mut starts = Vec::with_capacity(terms + 1);
        let mut raws = std::mem::take(&mut self.spare);
        raws.clear();
        let need = self.raws.len() + fresh.values().map(Vec::len).sum::<usize>();
        if raws.capacity() < need {
            // Outgrown: a new array with room again.
            raws.reserve_exact(need + need / 8);
        }
        starts.push(0);
        for id in 0..terms {
            let old = self.of(id);
            match fresh.get(&(id as u32)) {
                None => raws.extend_from_slice(old),
                Some(new) => {
                    let kept = old
                        .iter()
                        .filter(|r| changed.binary_search(&{ r.doc as usize }).is_err());
                    merge_by_doc(kept.copied(), new.iter().copied(), &mut raws);
                }
            }
            starts.push(raws.len());
        }
        self.spare = std::mem::replace(&mut self.raws, raws);
        self.starts = starts;
        self.keys = keys.to_vec();
        true
    }
}

/// Two runs of occurrences in document order, merged (no document is in
/// both).
fn merge_by_doc(
    a: impl Iterator<Item = Raw>,
    b: impl Iterator<Item = Raw>,
    out: &mut impl Extend<Raw>,
) {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    // A copy: the packed field cannot be borrowed.
    let doc = |r: &Raw| r.doc;
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => doc(x) < doc(y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}

impl Reuse {
    /// How many documents were analysed for the last [`build_reusing`].
    pub fn analysed(&self) -> usize {
        self.analysed
    }

    /// A document's terms by this preview's numbers, new ones named.
    fn counted(&mut self, t: DocTerms) -> Counted {
        // A word's key is its number with the high half all ones: no pair
        // has that (the vocabulary never reaches 2³² terms).
        const WORD: u64 = 0xffff_ffff << 32;
        let keys = t.words.iter().map(|&(id, at)| (WORD | u64::from(id), at));
        let pairs = t
            .pairs
            .iter()
            .map(|&(key, tf)| (key, SlotTf::new(PAIR_SLOT as u8, tf)));
        let keyed: Vec<(u64, SlotTf)> = keys.chain(pairs).collect();
        let (vocab, ids, names) = (&self.vocab, &mut self.ids, &mut self.names);
        vocab.with_terms(|terms| Counted {
            lens: t.lens,
            terms: keyed
                .into_iter()
                .map(|(key, at)| {
                    let next = names.len() as u32;
                    let id = *ids.entry(key).or_insert(next);
                    if id == next {
                        names.push(if key & WORD == WORD {
                            terms[(key & 0xffff_ffff) as usize].clone()
                        } else {
                            pair_name(terms, key)
                        });
                    }
                    (id, at)
                })
                .collect(),
        })
    }
}

/// [`build`], analysing only documents whose searchable text `reuse` has
/// not seen; the postings are the same.
pub fn build_reusing(docs: &[Texts], reuse: &mut Reuse) -> Postings {
    let mut lap = crate::core::timing::Lap::within("preview search/postings/");
    let keys: Vec<u64> = docs.par_iter().map(text_key).collect();
    lap.mark("keys");
    let unseen: Vec<usize> = (0..docs.len())
        .filter(|&i| !reuse.counted.contains_key(&keys[i]))
        .collect();
    for chunk in unseen.chunks(CHUNK_DOCS) {
        let vocab = &reuse.vocab;
        let terms: Vec<DocTerms> = chunk
            .par_iter()
            .map(|&i| DocTerms::of(vocab, &docs[i], None))
            .collect();
        for (&i, t) in chunk.iter().zip(terms) {
            let counted = reuse.counted(t);
            reuse.counted.insert(keys[i], Arc::new(counted));
        }
    }
    lap.mark("analysis");
    let current: Vec<Arc<Counted>> = keys
        .iter()
        .filter_map(|k| reuse.counted.get(k).cloned())
        .collect();
    if !reuse.occurrences.patch(&keys, &current, &reuse.counted) {
        reuse.occurrences = Occurrences::gather(&keys, &current, reuse.names.len());
    }
    let lens: Vec<[u32; SLOTS]> = current.iter().map(|c| c.lens).collect();
    // Documents no longer in the site are forgotten.
    reuse.counted = keys.iter().copied().zip(current).collect();
    reuse.analysed = unseen.len();
    lap.mark("lists");
    let stats = Stats::of(&lens);
    let (names, occurrences) = (&reuse.names, &reuse.occurrences);
    let terms: Vec<(Box<str>, List)> = (0..names.len())
        .into_par_iter()
        .filter_map(|id| {
            let raws = occurrences.of(id);
            (!raws.is_empty()).then(|| (names[id].clone(), stats.list(raws.iter().copied())))
        })
        .collect();
    lap.mark("codes");
    // Terms of edited-away text stay interned; past twice the live ones,
    // start afresh (the next index analyses every document again).
    if names.len() > 2 * terms.len() + 100_000 {
        *reuse = Reuse::default();
    }
    Postings::made(terms, docs.len())
}

/// A hash of everything [`analyze_doc`] reads, the same in every process
/// (the counts file keeps it). XXH3 ([`crate::text::StableHasher`]): every
/// build and every save in `serve` hash the whole site's text here.
fn text_key(doc: &Texts) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::text::StableHasher::default();
    for values in &doc.fields {
        for v in values {
            h.write(v.as_bytes());
            h.write_u8(0);
        }
        h.write_u8(1);
    }
    h.write(doc.body().as_bytes());
    h.finish()
}

/// BM25's inverse document frequency, as tantivy computes it.
pub fn idf(doc_freq: u64, docs: u64) -> f64 {
    let x = ((docs - doc_freq) as f64 + 0.5) / (doc_freq as f64 + 0.5);
    (1.0 + x).ln()
}

/// A field length as tantivy stores it (one byte, exact up to 40).
fn quantized_len(len: u32) -> u32 {
    FieldNormReader::id_to_fieldnorm(FieldNormReader::fieldnorm_to_id(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analysis frees each chunk's texts once it is counted: while a
    /// later chunk is analysed, an earlier document's file is held only by
    /// whoever else holds it (at a build, its `SearchDoc`), not by its
    /// texts any more.
    #[test]
    fn each_chunks_texts_are_freed_once_counted() {
        use crate::site::SourceFile;
        let files: Vec<Arc<SourceFile>> = (0..3 * CHUNK_DOCS)
            .map(|i| {
                let text: Arc<str> = Arc::from(format!("Thân bài số {i}"));
                let body = 0..text.len();
                Arc::new(SourceFile::new(format!("{i}.md"), text, 0..0, body))
            })
            .collect();
        let texts = files
            .iter()
            .enumerate()
            .map(|(i, f)| Texts::titled(&format!("Mô hình {i}"), Arc::clone(f)))
            .collect();
        let later = 2 * CHUNK_DOCS + 1;
        let mut seen = Vec::new();
        let gathered = gather(
            texts,
            |_| false,
            |i, t, _| {
                (i == later).then(|| {
                    assert!(Arc::ptr_eq(&t.file, &files[later]));
                    (
                        Arc::strong_count(&files[0]),
                        Arc::strong_count(&files[later]),
                    )
                })
            },
            |counts| seen.extend(counts),
            &mut Memory::default(),
        );
        // The first document's texts are gone; the one analysed holds its
        // file besides `files`.
        assert_eq!(seen, [(1, 2)]);
        assert_eq!(gathered.postings().docs, 3 * CHUNK_DOCS);
    }

    /// Each partition reads exactly its own terms, in the order counted.
    #[test]
    fn a_documents_terms_grouped_by_partition_keep_their_order() {
        let items: Vec<u32> = (0..50).map(|i| i * 7 % 23).collect();
        let (out, starts) = grouped(&items, |&i| i as usize % PARTS);
        assert_eq!(starts[0], 0);
        assert_eq!(starts[PARTS] as usize, items.len());
        for p in 0..PARTS {
            let mine: Vec<u32> = items
                .iter()
                .copied()
                .filter(|&i| i as usize % PARTS == p)
                .collect();
            assert_eq!(&out[starts[p] as usize..starts[p + 1] as usize], &mine[..]);
        }
    }

    #[test]
    fn every_match_counts() {
        assert_eq!(code(0.0), 1);
        assert_eq!(code(1e-6), 1);
        assert!(code(1.0) > code(0.5));
        assert_eq!(code(1e9), 255);
        let w = weights();
        assert!(w[1] >= 1 && w[1..].windows(2).all(|p| p[0] < p[1]));
    }

    /// The buckets give what a search of every bound gives: on each
    /// bound, a bit either side of it, between them, and far outside.
    #[test]
    fn codes_by_bucket_are_codes_by_bound() {
        let bounds: Vec<f64> = (0..254)
            .map(|j| CODE_MIN * CODE_STEP.powf(j as f64 + 0.5))
            .collect();
        let by_bound = |c: f64| 1 + bounds.partition_point(|&b| b <= c) as u8;
        let mut tried: Vec<f64> = vec![0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300, 1e300];
        for &b in &bounds {
            let bits = b.to_bits();
            tried.extend([
                b,
                f64::from_bits(bits - 1),
                f64::from_bits(bits + 1),
                b * 1.01,
            ]);
        }
        for i in 0..200_000 {
            tried.push(0.001 * 1.00005f64.powi(i));
        }
        for c in tried {
            assert_eq!(code(c), by_bound(c), "contribution {c}");
        }
    }

    #[test]
    fn codes_follow_the_log_scale() {
        for i in 0..20_000 {
            let c = CODE_MIN * 1.0007f64.powi(i);
            let x = (c / CODE_MIN).ln() / CODE_STEP.ln();
            if (x - x.floor() - 0.5).abs() < 1e-9 {
                continue; // on a bound: either side is right
            }
            let expected = (1.0 + x.round()).clamp(1.0, 255.0) as u8;
            assert_eq!(code(c), expected, "contribution {c}");
        }
    }

    #[test]
    fn packed_occurrences_read_back_as_pushed() {
        let pushed: Vec<(u32, u8, u16)> = vec![
            (0, 0, 1),
            (0, 3, 3),
            (0, PAIR_SLOT as u8, 8),
            (1, 1, MAX_TF),
            (200, 0, 5_000),
            (2_000_000, 2, 127),
            (u32::MAX, PAIR_SLOT as u8, 1),
        ];
        let mut packed = PackedRaws::default();
        for &(doc, slot, tf) in &pushed {
            packed.push(Raw {
                doc,
                at: SlotTf::new(slot, tf),
            });
        }
        let read: Vec<(u32, usize, f64)> =
            packed.iter().map(|r| (r.doc, r.slot(), r.tf())).collect();
        let want: Vec<(u32, usize, f64)> = pushed
            .iter()
            .map(|&(doc, slot, tf)| (doc, usize::from(slot), f64::from(tf.min(MAX_TF))))
            .collect();
        assert_eq!(read, want);
        // Small gaps and frequencies take a byte each: frequency 1 in slot
        // 0, then frequency 3 in slot 3.
        assert_eq!(packed.bytes[..4], [0, 0x20, 0, 0x63]);
    }

    /// A long list is held in little more room than its bytes: doubling
    /// would hold 70,000 bytes in 131,072.
    #[test]
    fn a_long_list_grows_by_a_quarter() {
        let mut packed = PackedRaws::default();
        let mut doc = 0;
        while packed.bytes.len() < 70_000 {
            packed.push(Raw {
                doc,
                at: SlotTf::new(0, 1),
            });
            doc += 1;
        }
        let (len, capacity) = (packed.bytes.len(), packed.bytes.capacity());
        assert!(capacity <= len + len / 4 + 32, "{len} bytes in {capacity}");
        assert_eq!(packed.iter().count(), doc as usize);
    }

    /// Averages keep 12 significant bits, rounded to the nearest: within a
    /// 4,096th of the exact one, unmoved by one word more in one document,
    /// moved by a body rewritten on a small site but not on a large one.
    #[test]
    fn average_lengths_are_rounded_to_twelve_bits() {
        for x in [0.0, 1.0, 2.5, 7.3, 312.77, 4095.4, 4096.6, 123_456.789] {
            let r = rounded(x);
            assert!((r - x).abs() <= x / 4096.0, "{x} → {r}");
            assert_eq!(r.to_bits() & ((1 << 41) - 1), 0, "{x} → {r}");
            assert_eq!(rounded(r), r);
        }
        assert_eq!(rounded(4095.5), 4096.0, "carried into the exponent");
        for (docs, rewritten_keeps) in [(10_000, true), (300, false)] {
            let mut lens = vec![[300u32; SLOTS]; docs];
            let before = averages(&lens);
            lens[17][BODY * 2] += 1;
            assert_eq!(averages(&lens), before, "{docs}: a word more");
            lens[17][BODY * 2] = 10;
            let kept = averages(&lens) == before;
            assert_eq!(kept, rewritten_keeps, "{docs}: a body rewritten");
        }
    }
}
