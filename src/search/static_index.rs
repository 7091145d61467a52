//! The static browser index in `public/_search/` (DESIGN §6), and a reader
//! of it for the Rust scorer that checks the JavaScript client.
//!
//! Files, each gzip-compressed JSON named by the hash of its content and
//! listed in `manifest.json` (the only fixed name, rewritten every build):
//! - `s.<hash>.bin` term shards: a term lives in shard `fnv1a32(term) % n`
//!   and maps to `[df, doc gaps, codes]`; a list longer than [`TIER`]
//!   keeps its [`TIER`] highest contributions there and names a tail
//!   file `t.<hash>.bin` (`[doc gaps, codes]`) with the rest, so a query
//!   over common words can often rank without it.
//! - `f.<hash>.bin` the facet column: per document its date and its value
//!   of each facet, with the facet values' labels.
//! - `m.<hash>.bin` metadata of [`CHUNK`] consecutive documents, fetched
//!   only for the hits shown.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::document::{FacetValue, SearchDoc, FACETS};
use super::postings::{weights, Postings};
use crate::render::Output;
use crate::text::fnv1a;

pub const DIR: &str = "_search";
pub const MANIFEST: &str = "manifest.json";
/// Postings kept in a term's shard; the rest go to its tail file.
pub const TIER: usize = 1000;
/// Documents per metadata file.
pub const CHUNK: usize = 8;
/// About this many postings per shard (a few kilobytes compressed).
const SHARD_POSTINGS: usize = 6000;

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: usize,
    pub shards: Vec<String>,
    pub facets: String,
    pub meta: Vec<String>,
    pub chunk: usize,
    pub tier: usize,
    /// Score of each contribution code.
    pub weights: Vec<u32>,
    /// Equivalent forms, folded (see `query::synonym_sets`).
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FacetColumns {
    /// Per document: `YYYYMMDD`, 0 when unknown.
    pub date: Vec<u32>,
    /// Facet name → its values and each document's value indices.
    pub cols: BTreeMap<String, Column>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Column {
    pub values: Vec<FacetValue>,
    pub docs: Vec<Vec<u32>>,
}

/// A term's entry in its shard.
#[derive(Debug, Serialize, Deserialize)]
struct Entry(u32, Vec<u32>, Vec<u8>, #[serde(default)] Option<String>);

/// The shard of a term: FNV-1a (32-bit) of its UTF-8 bytes, modulo `n`.
pub fn shard_of(term: &str, n: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for &b in term.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % n.max(1)
}

fn gaps(docs: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut prev = 0;
    docs.map(|d| {
        let g = d - prev;
        prev = d;
        g
    })
    .collect()
}

fn ungap(gaps: &[u32]) -> Vec<u32> {
    let mut d = 0;
    gaps.iter()
        .map(|g| {
            d += g;
            d
        })
        .collect()
}

/// A file named by its content: `<kind>.<hash>.bin`.
fn hashed(kind: &str, json: &[u8]) -> (String, Vec<u8>) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(json);
    let bytes = gz.finish().unwrap_or_default();
    (format!("{kind}.{:016x}.bin", fnv1a(json)), bytes)
}

fn output(name: &str, bytes: Vec<u8>) -> Output {
    Output {
        path: format!("{DIR}/{name}"),
        bytes,
        html: false,
    }
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Every file of the static index, manifest included.
pub fn files(docs: &[SearchDoc], postings: &Postings, synonyms: &[Vec<String>]) -> Vec<Output> {
    let mut out = Vec::new();
    let total: usize = postings.terms.values().map(|l| l.len().min(TIER)).sum();
    let n_shards = total.div_ceil(SHARD_POSTINGS).max(1);
    let mut shards: Vec<BTreeMap<&str, Entry>> = (0..n_shards).map(|_| BTreeMap::new()).collect();
    for (term, list) in &postings.terms {
        let (head, tail) = split_tier(list);
        let tail_file = (!tail.is_empty()).then(|| {
            let body = json(&(
                gaps(tail.iter().map(|p| p.0)),
                tail.iter().map(|p| p.1).collect::<Vec<_>>(),
            ));
            let (name, bytes) = hashed("t", &body);
            out.push(output(&name, bytes));
            name
        });
        let entry = Entry(
            list.len() as u32,
            gaps(head.iter().map(|p| p.0)),
            head.iter().map(|p| p.1).collect(),
            tail_file,
        );
        shards[shard_of(term, n_shards)].insert(term, entry);
    }
    let shard_names = shards
        .iter()
        .map(|s| {
            let (name, bytes) = hashed("s", &json(s));
            out.push(output(&name, bytes));
            name
        })
        .collect();
    let (facets_name, bytes) = hashed("f", &json(&facet_columns(docs)));
    out.push(output(&facets_name, bytes));
    let meta = docs
        .chunks(CHUNK)
        .map(|c| {
            let (name, bytes) = hashed("m", &json(&c.iter().map(|d| &d.meta).collect::<Vec<_>>()));
            out.push(output(&name, bytes));
            name
        })
        .collect();
    let manifest = Manifest {
        version: 1,
        docs: docs.len(),
        shards: shard_names,
        facets: facets_name,
        meta,
        chunk: CHUNK,
        tier: TIER,
        weights: weights(),
        synonyms: synonyms.to_vec(),
    };
    out.push(output(MANIFEST, json(&manifest)));
    out
}

/// A postings list: (document, code), by document.
type List = Vec<(u32, u8)>;

/// The [`TIER`] highest contributions (ties: lower document first), and the
/// rest; both by document.
fn split_tier(list: &[(u32, u8)]) -> (List, List) {
    if list.len() <= TIER {
        return (list.to_vec(), Vec::new());
    }
    let mut by_code = list.to_vec();
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut tail = by_code.split_off(TIER);
    by_code.sort_unstable();
    tail.sort_unstable();
    (by_code, tail)
}

fn facet_columns(docs: &[SearchDoc]) -> FacetColumns {
    let mut cols = BTreeMap::new();
    for (i, name) in FACETS.iter().enumerate() {
        cols.insert(
            (*name).to_string(),
            column(
                docs.iter()
                    .map(|d| d.facets[i].clone().into_iter().collect()),
            ),
        );
    }
    cols.insert(
        "year".into(),
        column(docs.iter().map(|d| {
            d.years
                .iter()
                .map(|y| FacetValue {
                    id: y.to_string(),
                    label: y.to_string(),
                })
                .collect()
        })),
    );
    FacetColumns {
        date: docs.iter().map(|d| d.date).collect(),
        cols,
    }
}

/// Values sorted (by id), each document's as indices into them.
fn column(per_doc: impl Iterator<Item = Vec<FacetValue>>) -> Column {
    let per_doc: Vec<Vec<FacetValue>> = per_doc.collect();
    let mut values: Vec<FacetValue> = per_doc.iter().flatten().cloned().collect();
    values.sort();
    values.dedup_by(|a, b| a.id == b.id);
    let index: HashMap<&str, u32> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i as u32))
        .collect();
    let docs = per_doc
        .iter()
        .map(|vs| vs.iter().map(|v| index[v.id.as_str()]).collect())
        .collect();
    Column { values, docs }
}

/// The exported files, read back: what the Rust scorer searches.
pub struct StaticIndex {
    dir: PathBuf,
    pub manifest: Manifest,
    pub facets: FacetColumns,
    shards: Vec<HashMap<String, Entry>>,
}

fn read_gz(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut out)?;
    Ok(out)
}

fn invalid(e: serde_json::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

impl StaticIndex {
    /// Opens `<public>/_search/`.
    pub fn open(dir: &Path) -> std::io::Result<StaticIndex> {
        let manifest: Manifest =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST))?).map_err(invalid)?;
        let facets =
            serde_json::from_slice(&read_gz(&dir.join(&manifest.facets))?).map_err(invalid)?;
        let shards = manifest
            .shards
            .iter()
            .map(|s| serde_json::from_slice(&read_gz(&dir.join(s))?).map_err(invalid))
            .collect::<std::io::Result<_>>()?;
        Ok(StaticIndex {
            dir: dir.to_path_buf(),
            manifest,
            facets,
            shards,
        })
    }

    /// A term's full postings list (head and tail), by document.
    pub fn postings(&self, term: &str) -> std::io::Result<Vec<(u32, u8)>> {
        let Some(Entry(_, head_gaps, head_codes, tail)) =
            self.shards[shard_of(term, self.shards.len())].get(term)
        else {
            return Ok(Vec::new());
        };
        let mut list: Vec<(u32, u8)> = ungap(head_gaps)
            .into_iter()
            .zip(head_codes.iter().copied())
            .collect();
        if let Some(t) = tail {
            let (g, c): (Vec<u32>, Vec<u8>) =
                serde_json::from_slice(&read_gz(&self.dir.join(t))?).map_err(invalid)?;
            list.extend(ungap(&g).into_iter().zip(c));
            list.sort_unstable();
        }
        Ok(list)
    }

    /// Metadata of document `doc`.
    pub fn meta(&self, doc: u32) -> std::io::Result<serde_json::Value> {
        let chunk = doc as usize / self.manifest.chunk;
        let file =
            self.manifest.meta.get(chunk).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such document")
            })?;
        let all: Vec<serde_json::Value> =
            serde_json::from_slice(&read_gz(&self.dir.join(file))?).map_err(invalid)?;
        Ok(all
            .into_iter()
            .nth(doc as usize % self.manifest.chunk)
            .unwrap_or_default())
    }
}
