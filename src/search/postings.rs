//! Term statistics and BM25 contributions, computed once from the analyzed
//! documents. The static index stores these contributions; the tantivy
//! index is fed the same token streams (pre-tokenized, see
//! `tantivy_index::Writer`) and computes the same BM25 from the same
//! lengths (its own field-length quantization is reproduced here), so both
//! rank alike.
//!
//! Documents are analysed once, in parallel chunks; each chunk is reduced
//! at once to its distinct terms per slot, so the tokens of the whole site
//! never live in memory together. Terms are interned by a 64-bit hash into
//! a few partitions filled in parallel; a term's postings are appended in
//! document order, so they need no sorting and no per-term map.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;

use super::analyze::{analyze, pairs, Token};
use super::document::{plain_text, SearchDoc, BODY, FIELDS, PAIR_BOOST};
use super::packed::put;
use crate::text::fnv1a;

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
const PARTS: usize = 16;

fn boost(slot: usize) -> f64 {
    if slot == PAIR_SLOT {
        f64::from(PAIR_BOOST)
    } else {
        f64::from(FIELDS[slot / 2].1)
    }
}

/// A contribution on the log-scale code: any match is at least 1. Code
/// `k` covers `CODE_MIN · CODE_STEP^(k − 1 ± ½)`; the bounds are computed
/// once and searched (every posting of the site passes here, and a
/// logarithm each cost a fifth of the preview's search index).
pub fn code(contribution: f64) -> u8 {
    static BOUNDS: std::sync::OnceLock<[f64; 254]> = std::sync::OnceLock::new();
    let bounds =
        BOUNDS.get_or_init(|| std::array::from_fn(|j| CODE_MIN * CODE_STEP.powf(j as f64 + 0.5)));
    1 + bounds.partition_point(|&b| b <= contribution) as u8
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

/// One document's analysed text: per field, its values' tokens; and pairs.
pub struct Analyzed {
    pub fields: Vec<Vec<Token>>,
    pub pairs: Vec<String>,
}

pub fn analyze_doc(doc: &SearchDoc) -> Analyzed {
    let mut pair_terms = Vec::new();
    let fields = doc
        .fields
        .iter()
        .enumerate()
        .map(|(k, values)| {
            let body = (k == BODY).then(|| plain_text(doc.file.body()));
            let mut tokens = Vec::new();
            for v in values.iter().map(String::as_str).chain(body.as_deref()) {
                let t = analyze(v);
                pair_terms.extend(pairs(&t));
                tokens.extend(t);
            }
            tokens
        })
        .collect();
    Analyzed {
        fields,
        pairs: pair_terms,
    }
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

/// Every term's postings.
pub struct Postings {
    pub terms: Vec<(Box<str>, List)>,
    pub docs: usize,
}

/// A document's distinct terms: their texts back to back, and per term
/// and slot its frequency; entries ordered by slot, then text, so that
/// contributions are summed in one fixed order (rebuilds are
/// byte-identical).
struct DocTerms {
    lens: [u32; SLOTS],
    text: String,
    entries: Vec<TermEntry>,
}

struct TermEntry {
    hash: u64,
    start: u32,
    end: u32,
    slot: u8,
    tf: u16,
}

impl DocTerms {
    fn of(a: &Analyzed) -> DocTerms {
        let mut lens = [0u32; SLOTS];
        let mut tf: FxHashMap<(u8, &str), u32> = FxHashMap::default();
        for (f, tokens) in a.fields.iter().enumerate() {
            lens[2 * f] = tokens.len() as u32;
            lens[2 * f + 1] = tokens.len() as u32;
            for t in tokens {
                *tf.entry((2 * f as u8, &t.folded)).or_default() += 1;
                if t.has_diacritics() {
                    *tf.entry((2 * f as u8 + 1, &t.exact)).or_default() += 1;
                }
            }
        }
        lens[PAIR_SLOT] = a.pairs.len() as u32;
        for p in &a.pairs {
            *tf.entry((PAIR_SLOT as u8, p)).or_default() += 1;
        }
        let mut keys: Vec<((u8, &str), u32)> = tf.into_iter().collect();
        keys.sort_unstable();
        let mut text = String::new();
        let entries = keys
            .into_iter()
            .map(|((slot, word), tf)| {
                let start = text.len();
                if slot % 2 == 1 && usize::from(slot) != PAIR_SLOT {
                    text.push(EXACT_PREFIX);
                }
                text.push_str(word);
                TermEntry {
                    hash: fnv1a(&text.as_bytes()[start..]),
                    start: start as u32,
                    end: text.len() as u32,
                    slot,
                    tf: u16::try_from(tf).unwrap_or(u16::MAX),
                }
            })
            .collect();
        DocTerms {
            lens,
            text,
            entries,
        }
    }

    fn term(&self, e: &TermEntry) -> &str {
        &self.text[e.start as usize..e.end as usize]
    }
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

/// Keys are already hashes: use them as they are.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Partitions take the top bits; spread them again for the table.
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Terms by id, found by their 64-bit hash (hashes that collide are told
/// apart by text).
#[derive(Default)]
struct Interner {
    by_hash: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    /// Terms whose hash another term already has.
    collided: HashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

impl Interner {
    /// The id of `term` (whose hash is `hash`), and whether it is new.
    fn id(&mut self, hash: u64, term: &str) -> (usize, bool) {
        let next = self.terms.len() as u32;
        let id = *self.by_hash.entry(hash).or_insert(next);
        let id = if id == next || *self.terms[id as usize] == *term {
            id
        } else {
            *self.collided.entry(term.into()).or_insert(next)
        };
        if id == next {
            self.terms.push(term.into());
        }
        (id as usize, id == next)
    }
}

/// The terms whose hash falls in one partition, with their occurrences.
#[derive(Default)]
struct Part {
    names: Interner,
    lists: Vec<PackedRaws>,
}

impl Part {
    fn of(hash: u64) -> usize {
        (hash >> 60) as usize % PARTS
    }

    fn id(&mut self, hash: u64, term: &str) -> usize {
        let (id, new) = self.names.id(hash, term);
        if new {
            self.lists.push(PackedRaws::default());
        }
        id
    }

    fn add(&mut self, index: usize, first_doc: usize, chunk: &[DocTerms]) {
        for (k, d) in chunk.iter().enumerate() {
            for e in d.entries.iter().filter(|e| Part::of(e.hash) == index) {
                let id = self.id(e.hash, d.term(e));
                self.lists[id].push(Raw {
                    doc: (first_doc + k) as u32,
                    at: SlotTf::new(e.slot, e.tf),
                });
            }
        }
    }
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
}

impl PackedRaws {
    fn push(&mut self, r: Raw) {
        put(&mut self.bytes, u64::from(r.doc - self.last_doc));
        // The frequency in the high bits, the slot in the low ones: most
        // frequencies are small (at most 3: one byte in all).
        put(&mut self.bytes, u64::from(r.at.0.rotate_left(SLOT_BITS)));
        self.last_doc = r.doc;
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
        let at = SlotTf((self.number() as u16).rotate_right(SLOT_BITS));
        Some(Raw { doc: self.doc, at })
    }
}

/// The BM25 statistics every contribution needs.
struct Stats {
    docs: u64,
    /// Per document and slot: `k1 · (1 − b + b · len / avg len)`.
    norms: Vec<[f64; SLOTS]>,
}

impl Stats {
    fn of(lens: &[[u32; SLOTS]]) -> Stats {
        let mut avg = [0f64; SLOTS];
        for l in lens {
            for (s, &len) in l.iter().enumerate() {
                avg[s] += f64::from(len);
            }
        }
        for a in &mut avg {
            *a /= lens.len().max(1) as f64;
        }
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

pub fn build(docs: &[SearchDoc]) -> Postings {
    build_with(docs, |_, _| (), |()| {})
}

/// [`build`], making something of each document's analysis with `make`
/// (in parallel, as the analysis is) and handing it to `each` in document
/// order: the tantivy index's documents are made from it, so the site's
/// text is analysed once for both indexes, and only tantivy's own
/// indexing waits in line.
pub fn build_with<T: Send>(
    docs: &[SearchDoc],
    make: impl Fn(usize, &Analyzed) -> T + Sync,
    mut each: impl FnMut(T),
) -> Postings {
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    let mut lens: Vec<[u32; SLOTS]> = Vec::with_capacity(docs.len());
    for (c, chunk) in docs.chunks(CHUNK_DOCS).enumerate() {
        let first = c * CHUNK_DOCS;
        let analysed: Vec<(DocTerms, T)> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, d)| {
                let a = analyze_doc(d);
                (DocTerms::of(&a), make(first + k, &a))
            })
            .collect();
        let (terms, made): (Vec<DocTerms>, Vec<T>) = analysed.into_iter().unzip();
        lens.extend(terms.iter().map(|t| t.lens));
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, part)| part.add(p, first, &terms));
        drop(terms);
        made.into_iter().for_each(&mut each);
    }
    let stats = Stats::of(&lens);
    let terms = parts
        .into_par_iter()
        .flat_map_iter(|part| {
            let stats = &stats;
            part.names
                .terms
                .into_iter()
                .zip(part.lists)
                .map(move |(term, raws)| (term, stats.list(raws.iter())))
        })
        .collect();
    Postings {
        terms,
        docs: docs.len(),
    }
}

/// What `serve` keeps between two search indexes: every term met, by id,
/// and each document's counted terms by a hash of its searchable text. A
/// save then analyses only the documents it changed; the statistics, and
/// so every contribution, are still computed over the whole site.
#[derive(Default)]
pub struct Reuse {
    names: Interner,
    counted: FxHashMap<u64, Arc<Counted>>,
    occurrences: Occurrences,
    analysed: usize,
}

/// A document's terms as ids into [`Reuse::names`], ordered as in
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

/// Past this many changed documents, occurrences are gathered afresh.
const PATCH_DOCS: usize = 64;

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
        if self.keys.len() != keys.len() || docs.len() != keys.len() {
            return false;
        }
        let changed: Vec<usize> = (0..keys.len())
            .filter(|&i| self.keys[i] != keys[i])
            .collect();
        if changed.len() > PATCH_DOCS {
            return false;
        }
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
fn merge_by_doc(a: impl Iterator<Item = Raw>, b: impl Iterator<Item = Raw>, out: &mut Vec<Raw>) {
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
}

/// [`build`], analysing only documents whose searchable text `reuse` has
/// not seen; the postings are the same.
pub fn build_reusing(docs: &[SearchDoc], reuse: &mut Reuse) -> Postings {
    let mut lap = crate::core::timing::Lap::within("preview search/postings/");
    let keys: Vec<u64> = docs.par_iter().map(text_key).collect();
    lap.mark("keys");
    let unseen: Vec<usize> = (0..docs.len())
        .filter(|&i| !reuse.counted.contains_key(&keys[i]))
        .collect();
    for chunk in unseen.chunks(CHUNK_DOCS) {
        let terms: Vec<DocTerms> = chunk
            .par_iter()
            .map(|&i| DocTerms::of(&analyze_doc(&docs[i])))
            .collect();
        for (&i, t) in chunk.iter().zip(terms) {
            let counted = Counted {
                lens: t.lens,
                terms: t
                    .entries
                    .iter()
                    .map(|e| {
                        let (id, _) = reuse.names.id(e.hash, t.term(e));
                        (id as u32, SlotTf::new(e.slot, e.tf))
                    })
                    .collect(),
            };
            reuse.counted.insert(keys[i], Arc::new(counted));
        }
    }
    lap.mark("analysis");
    let current: Vec<Arc<Counted>> = keys
        .iter()
        .filter_map(|k| reuse.counted.get(k).cloned())
        .collect();
    if !reuse.occurrences.patch(&keys, &current, &reuse.counted) {
        reuse.occurrences = Occurrences::gather(&keys, &current, reuse.names.terms.len());
    }
    let lens: Vec<[u32; SLOTS]> = current.iter().map(|c| c.lens).collect();
    // Documents no longer in the site are forgotten.
    reuse.counted = keys.iter().copied().zip(current).collect();
    reuse.analysed = unseen.len();
    lap.mark("lists");
    let stats = Stats::of(&lens);
    let (names, occurrences) = (&reuse.names.terms, &reuse.occurrences);
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
    Postings {
        terms,
        docs: docs.len(),
    }
}

/// A hash of everything [`analyze_doc`] reads (eight bytes at a time: it
/// runs over the whole site's text at every save).
fn text_key(doc: &SearchDoc) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for values in &doc.fields {
        for v in values {
            h.write(v.as_bytes());
            h.write_u8(0);
        }
        h.write_u8(1);
    }
    h.write(doc.file.body().as_bytes());
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

    #[test]
    fn every_match_counts() {
        assert_eq!(code(0.0), 1);
        assert_eq!(code(1e-6), 1);
        assert!(code(1.0) > code(0.5));
        assert_eq!(code(1e9), 255);
        let w = weights();
        assert!(w[1] >= 1 && w[1..].windows(2).all(|p| p[0] < p[1]));
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

    #[test]
    fn colliding_hashes_stay_apart() {
        let mut part = Part::default();
        let a = part.id(7, "a");
        let b = part.id(7, "b");
        assert_ne!(a, b);
        assert_eq!(part.id(7, "a"), a);
        assert_eq!(part.id(7, "b"), b);
        assert_eq!(&*part.names.terms[b], "b");
    }
}
