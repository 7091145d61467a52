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

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;

use super::analyze::{analyze, pairs, Token};
use super::document::{plain_text, SearchDoc, BODY, FIELDS, PAIR_BOOST};
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
// A slot is kept in four bits (see `Raw`).
const _: () = assert!(SLOTS <= 16);

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

/// A contribution on the log-scale code: any match is at least 1.
pub fn code(contribution: f64) -> u8 {
    if contribution <= CODE_MIN {
        return 1;
    }
    let c = 1.0 + ((contribution / CODE_MIN).ln() / CODE_STEP.ln()).round();
    c.clamp(1.0, 255.0) as u8
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

    fn push(&mut self, doc: u32, code: u8) {
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

/// One occurrence of a term: in which document and slot, how often.
/// Packed in six bytes: a large site holds some fourteen million of them.
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct Raw {
    doc: u32,
    /// The slot in the top four bits, the frequency (at most [`MAX_TF`])
    /// below.
    slot_tf: u16,
}

/// Frequencies are counted up to here: BM25 is saturated long before
/// (4,095 occurrences score 99.97 % of infinitely many).
const MAX_TF: u16 = 0x0fff;

impl Raw {
    fn new(doc: u32, slot: u8, tf: u16) -> Raw {
        Raw {
            doc,
            slot_tf: (u16::from(slot) << 12) | tf.min(MAX_TF),
        }
    }
    fn slot(self) -> usize {
        usize::from(self.slot_tf >> 12)
    }
    fn tf(self) -> f64 {
        f64::from(self.slot_tf & MAX_TF)
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

/// The terms whose hash falls in one partition, with their occurrences.
#[derive(Default)]
struct Part {
    by_hash: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    /// Terms whose hash another term of this part already has.
    collided: HashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    lists: Vec<Vec<Raw>>,
}

impl Part {
    fn of(hash: u64) -> usize {
        (hash >> 60) as usize % PARTS
    }

    fn id(&mut self, hash: u64, term: &str) -> usize {
        let next = self.terms.len() as u32;
        let id = *self.by_hash.entry(hash).or_insert(next);
        let id = if id == next || *self.terms[id as usize] == *term {
            id
        } else {
            *self.collided.entry(term.into()).or_insert(next)
        };
        if id == next {
            self.terms.push(term.into());
            self.lists.push(Vec::new());
        }
        id as usize
    }

    fn add(&mut self, index: usize, first_doc: usize, chunk: &[DocTerms]) {
        for (k, d) in chunk.iter().enumerate() {
            for e in d.entries.iter().filter(|e| Part::of(e.hash) == index) {
                let id = self.id(e.hash, d.term(e));
                self.lists[id].push(Raw::new((first_doc + k) as u32, e.slot, e.tf));
            }
        }
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
    fn list(&self, raws: &[Raw]) -> List {
        let mut df = [0u64; SLOTS];
        for r in raws {
            df[r.slot()] += 1;
        }
        let idf: [f64; SLOTS] = std::array::from_fn(|s| idf(df[s].max(1), self.docs.max(1)));
        let mut out = List::default();
        let mut i = 0;
        while i < raws.len() {
            let doc = raws[i].doc;
            let mut sum = 0.0;
            while i < raws.len() && { raws[i].doc } == doc {
                let (s, tf) = (raws[i].slot(), raws[i].tf());
                let norm = self.norms[doc as usize][s];
                sum += boost(s) * idf[s] * (K1 + 1.0) * tf / (tf + norm);
                i += 1;
            }
            out.push(doc, code(sum));
        }
        out
    }
}

pub fn build(docs: &[SearchDoc]) -> Postings {
    build_with(docs, |_, _| {})
}

/// [`build`], handing each document's analysis (in document order) to
/// `each` once its terms are counted: the tantivy index is fed from it, so
/// the site's text is analysed once for both indexes.
pub fn build_with(docs: &[SearchDoc], mut each: impl FnMut(usize, Analyzed)) -> Postings {
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    let mut lens: Vec<[u32; SLOTS]> = Vec::with_capacity(docs.len());
    for (c, chunk) in docs.chunks(CHUNK_DOCS).enumerate() {
        let first = c * CHUNK_DOCS;
        let analysed: Vec<(DocTerms, Analyzed)> = chunk
            .par_iter()
            .map(|d| {
                let a = analyze_doc(d);
                (DocTerms::of(&a), a)
            })
            .collect();
        let (terms, analyses): (Vec<DocTerms>, Vec<Analyzed>) = analysed.into_iter().unzip();
        lens.extend(terms.iter().map(|t| t.lens));
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, part)| part.add(p, first, &terms));
        drop(terms);
        for (k, a) in analyses.into_iter().enumerate() {
            each(first + k, a);
        }
    }
    let stats = Stats::of(&lens);
    let terms = parts
        .into_par_iter()
        .flat_map_iter(|part| {
            let stats = &stats;
            part.terms
                .into_iter()
                .zip(part.lists)
                .map(move |(term, raws)| (term, stats.list(&raws)))
        })
        .collect();
    Postings {
        terms,
        docs: docs.len(),
    }
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
    fn colliding_hashes_stay_apart() {
        let mut part = Part::default();
        let a = part.id(7, "a");
        let b = part.id(7, "b");
        assert_ne!(a, b);
        assert_eq!(part.id(7, "a"), a);
        assert_eq!(part.id(7, "b"), b);
        assert_eq!(&*part.terms[b], "b");
    }
}
