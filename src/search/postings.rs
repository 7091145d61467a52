//! Term statistics and BM25 contributions, computed once from the analyzed
//! documents. The static index stores these contributions; the tantivy
//! index computes the same BM25 from the same token streams and lengths
//! (its own field-length quantization is reproduced here), so both rank
//! alike.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;

use super::analyze::{analyze, pairs, Token};
use super::document::{SearchDoc, FIELDS, PAIR_BOOST};

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// Prefix of an exact (diacritic-bearing) term in the static index; folded
/// terms are bare and pair terms contain a space.
pub const EXACT_PREFIX: char = '=';

/// Smallest contribution with its own code, and the ratio between codes:
/// 255 steps of 3.5 % cover 0.02 … 125, every BM25 sum a site produces.
const CODE_MIN: f64 = 0.02;
const CODE_STEP: f64 = 1.035;

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
        .map(|values| {
            let mut tokens = Vec::new();
            for v in values {
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

/// Every term's postings: (document, contribution code), by document.
pub struct Postings {
    pub terms: HashMap<String, Vec<(u32, u8)>>,
    pub docs: usize,
}

/// Per indexed field: each document's term frequencies and length.
struct FieldCounts {
    boost: f64,
    per_doc: Vec<(HashMap<String, u32>, u32)>,
}

impl FieldCounts {
    fn avg_len(&self) -> f64 {
        let total: u64 = self.per_doc.iter().map(|(_, l)| u64::from(*l)).sum();
        total as f64 / self.per_doc.len().max(1) as f64
    }
}

pub fn build(docs: &[SearchDoc]) -> Postings {
    let analyzed: Vec<Analyzed> = docs.par_iter().map(analyze_doc).collect();
    let mut fields: Vec<FieldCounts> = Vec::new();
    for (f, (_, boost)) in FIELDS.iter().enumerate() {
        let counts = |exact: bool| FieldCounts {
            boost: f64::from(*boost),
            per_doc: analyzed
                .iter()
                .map(|a| {
                    let tokens = &a.fields[f];
                    let mut tf: HashMap<String, u32> = HashMap::new();
                    for t in tokens {
                        let term = if exact {
                            if !t.has_diacritics() {
                                continue;
                            }
                            format!("{EXACT_PREFIX}{}", t.exact)
                        } else {
                            t.folded.clone()
                        };
                        *tf.entry(term).or_default() += 1;
                    }
                    (tf, tokens.len() as u32)
                })
                .collect(),
        };
        fields.push(counts(false));
        fields.push(counts(true));
    }
    fields.push(FieldCounts {
        boost: f64::from(PAIR_BOOST),
        per_doc: analyzed
            .iter()
            .map(|a| {
                let mut tf: HashMap<String, u32> = HashMap::new();
                for p in &a.pairs {
                    *tf.entry(p.clone()).or_default() += 1;
                }
                (tf, a.pairs.len() as u32)
            })
            .collect(),
    });
    let n = docs.len();
    let mut sums: HashMap<String, HashMap<u32, f64>> = HashMap::new();
    for field in &fields {
        let avg = field.avg_len();
        let mut df: HashMap<&str, u32> = HashMap::new();
        for (tf, _) in &field.per_doc {
            for term in tf.keys() {
                *df.entry(term).or_default() += 1;
            }
        }
        for (doc, (tf, len)) in field.per_doc.iter().enumerate() {
            let norm = K1 * (1.0 - B + B * f64::from(quantized_len(*len)) / avg);
            for (term, &freq) in tf {
                let idf = idf(u64::from(df[term.as_str()]), n as u64);
                let freq = f64::from(freq);
                let c = field.boost * idf * (K1 + 1.0) * freq / (freq + norm);
                *sums
                    .entry(term.clone())
                    .or_default()
                    .entry(doc as u32)
                    .or_default() += c;
            }
        }
    }
    let terms = sums
        .into_iter()
        .map(|(term, by_doc)| {
            let mut list: Vec<(u32, u8)> = by_doc.into_iter().map(|(d, c)| (d, code(c))).collect();
            list.sort_unstable();
            (term, list)
        })
        .collect();
    Postings { terms, docs: n }
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
}
