//! The static browser index in `public/_search/` (DESIGN §6), and a reader
//! of it for the Rust scorer that checks the JavaScript client.
//!
//! `manifest.json` is the only fixed name (rewritten every build; the search
//! page preloads it beside the client, so a cold query costs three round
//! trips: client and manifest, shards and facets, metadata). Every other
//! file is gzip-compressed JSON (the client inflates it with
//! `DecompressionStream`, so any plain static server will do) named by a
//! content hash: a family of numbered files shares the hash of all its
//! members, so a build never mixes cached old files with new ones, and the
//! manifest stays a few hundred bytes whatever the size of the site.
//! - `s.<hash>.<i>.bin` term shards: a term lives in shard `fnv1a32(term) % n`
//!   and maps to `[df, doc gaps, codes, tail, tail max]`; a list longer than
//!   the tier keeps its highest contributions there and names a tail file
//!   `t.<hash>.bin` (`[doc gaps, codes]`) with the rest, whose highest code
//!   is `tail max`: the scorer reads the tail only when the first tier cannot
//!   decide the first page of results (see `scorer`).
//! - `f.<hash>.bin` the facet column: per document its date and its value
//!   of each facet, with the facet values' labels. Document ids follow
//!   dates, so results are ordered without it; on a large site the client
//!   reads it only for filters.
//! - `m.<hash>.<i>.bin` metadata of [`CHUNK`] consecutive documents,
//!   fetched only for the hits shown.
//! - `x.<hash>.<i>.bin` the term dictionary, for prefix matching: every
//!   folded word and adjacent pair with its document frequency, sorted by
//!   UTF-16 code units (JavaScript's string order) and cut into blocks of
//!   [`DICT_BLOCK`] terms; the manifest holds each block's first term.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::analyze::fold_word;
use super::document::{FacetValue, Meta, SearchDoc, FACETS};
use super::postings::{weights, Postings, EXACT_PREFIX};
use crate::render::Output;
use crate::text::{fnv1a, fnv1a_continue};

pub const DIR: &str = "_search";
pub const MANIFEST: &str = "manifest.json";
/// Postings kept in a term's shard; the rest go to its tail file.
pub const TIER: usize = 1000;
/// Documents per metadata file.
pub const CHUNK: usize = 2;
/// Results per page: the scorer ranks this many exactly before it reads
/// any tail.
pub const PAGE: usize = 10;
/// Terms per dictionary block.
pub const DICT_BLOCK: usize = 1024;
/// About this many postings per shard (a few kilobytes compressed).
const SHARD_POSTINGS: usize = 1500;
/// A facet column up to this size (compressed) is read with every query;
/// a larger one only when filters are used or shown.
const FACETS_EAGER: usize = 16 * 1024;

/// A numbered family of files: `<kind>.<hash>.<i>.bin`, `i < n`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Family {
    pub n: usize,
    pub hash: String,
}

impl Family {
    pub fn name(&self, kind: &str, i: usize) -> String {
        format!("{kind}.{}.{i}.bin", self.hash)
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Dict {
    #[serde(flatten)]
    pub files: Family,
    /// The first term of each block.
    pub first: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: usize,
    pub shards: Family,
    pub facets: String,
    /// Whether the client reads the facet column with every query (see
    /// [`FACETS_EAGER`]); otherwise only for filters.
    pub facets_eager: bool,
    pub meta: Family,
    pub dict: Dict,
    pub chunk: usize,
    pub tier: usize,
    /// Results per page (see [`PAGE`]).
    pub k: usize,
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

/// A term's entry in its shard: document frequency, first tier (gaps and
/// codes), and the tail file with its highest code.
#[derive(Debug, Serialize, Deserialize)]
struct Entry(
    u32,
    Vec<u32>,
    Vec<u8>,
    #[serde(default)] Option<String>,
    #[serde(default)] u8,
);

/// The shard of a term: FNV-1a (32-bit) of the UTF-8 bytes of its key,
/// modulo `n`. An exact term's key is its folded word, so a word's exact
/// forms share its shard and a query word costs one file, not two.
pub fn shard_of(term: &str, n: usize) -> usize {
    let key = match term.strip_prefix(EXACT_PREFIX) {
        Some(exact) => fold_word(exact),
        None => term.to_string(),
    };
    let mut h: u32 = 0x811c_9dc5;
    for &b in key.as_bytes() {
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

/// The default level: on a 10,000-model index 1 % larger than the best
/// and four times faster (14.5 s of CPU at level 9).
pub(crate) fn gzip(json: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(json);
    gz.finish().unwrap_or_default()
}

/// A file named by its content: `<kind>.<hash>.bin`.
fn hashed(kind: &str, json: &[u8]) -> (String, Vec<u8>) {
    (format!("{kind}.{:016x}.bin", fnv1a(json)), gzip(json))
}

/// A family of files (already compressed) named by the hash of all of
/// them.
fn family(kind: &str, members: Vec<Vec<u8>>, out: &mut Vec<Output>) -> Family {
    let mut hash = fnv1a(&[]);
    for m in &members {
        hash = fnv1a_continue(fnv1a_continue(hash, m), &[0]);
    }
    let fam = Family {
        n: members.len(),
        hash: format!("{hash:016x}"),
    };
    for (i, bytes) in members.into_iter().enumerate() {
        out.push(output(&fam.name(kind, i), bytes));
    }
    fam
}

/// Members of a family as JSON, compressed.
fn packed<T: Serialize + Sync>(members: &[T]) -> Vec<Vec<u8>> {
    members.par_iter().map(|m| gzip(&json(m))).collect()
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
pub fn files(docs: &[SearchDoc], postings: Postings, synonyms: &[Vec<String>]) -> Vec<Output> {
    files_tiered(docs, postings, synonyms, TIER)
}

/// [`files`] with first tiers of `tier` postings (tests use small tiers to
/// exercise early stopping on a small site).
pub fn files_tiered(
    docs: &[SearchDoc],
    postings: Postings,
    synonyms: &[Vec<String>],
    tier: usize,
) -> Vec<Output> {
    let tier = tier.max(1);
    let mut out = Vec::new();
    let total: usize = postings.terms.iter().map(|(_, l)| l.len().min(tier)).sum();
    let n_shards = total.div_ceil(SHARD_POSTINGS).max(1);
    let dict = dictionary(&postings, &mut out);
    // Each list is dropped once its entry is made: the entries (gaps and
    // codes apart) are smaller, and a large site's postings are not held
    // twice.
    let mut shards: Vec<BTreeMap<Box<str>, Entry>> =
        (0..n_shards).map(|_| BTreeMap::new()).collect();
    let mut tails = Vec::new();
    for (term, list) in postings.terms {
        let (head, tail) = split_tier(&list.iter().collect::<Vec<_>>(), tier);
        let df = list.len() as u32;
        drop(list);
        let tail_file = (!tail.is_empty()).then(|| {
            let body = json(&(
                gaps(tail.iter().map(|p| p.0)),
                tail.iter().map(|p| p.1).collect::<Vec<_>>(),
            ));
            let name = format!("t.{:016x}.bin", fnv1a(&body));
            tails.push((name.clone(), body));
            name
        });
        let entry = Entry(
            df,
            gaps(head.iter().map(|p| p.0)),
            head.iter().map(|p| p.1).collect(),
            tail_file,
            tail.iter().map(|p| p.1).max().unwrap_or(0),
        );
        shards[shard_of(&term, n_shards)].insert(term, entry);
    }
    out.par_extend(
        tails
            .into_par_iter()
            .map(|(name, body)| output(&name, gzip(&body))),
    );
    let shards = family("s", packed(&shards), &mut out);
    let (facets_name, bytes) = hashed("f", &json(&facet_columns(docs)));
    let facets_eager = bytes.len() <= FACETS_EAGER;
    out.push(output(&facets_name, bytes));
    let chunks: Vec<Vec<&Meta>> = docs
        .chunks(CHUNK)
        .map(|c| c.iter().map(|d| &d.meta).collect())
        .collect();
    let meta = family("m", packed(&chunks), &mut out);
    let manifest = Manifest {
        version: 2,
        docs: docs.len(),
        shards,
        facets: facets_name,
        facets_eager,
        meta,
        dict,
        chunk: CHUNK,
        tier,
        k: PAGE,
        weights: weights(),
        synonyms: synonyms.to_vec(),
    };
    out.push(output(MANIFEST, json(&manifest)));
    out
}

/// JavaScript's string order: by UTF-16 code units.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The sorted dictionary of folded words and pairs, in blocks.
fn dictionary(postings: &Postings, out: &mut Vec<Output>) -> Dict {
    let mut terms: Vec<(&str, u32)> = postings
        .terms
        .iter()
        .filter(|(t, _)| !t.starts_with(EXACT_PREFIX))
        .map(|(t, l)| (t.as_ref(), l.len() as u32))
        .collect();
    terms.sort_by(|a, b| js_order(a.0, b.0));
    let blocks: Vec<&[(&str, u32)]> = terms.chunks(DICT_BLOCK).collect();
    let first = blocks.iter().map(|b| b[0].0.to_string()).collect();
    let files = family("x", packed(&blocks), out);
    Dict { files, first }
}

/// A postings list: (document, code), by document.
type Pairs = Vec<(u32, u8)>;

/// The `tier` highest contributions (ties: lower document first), and the
/// rest; both by document.
fn split_tier(list: &[(u32, u8)], tier: usize) -> (Pairs, Pairs) {
    if list.len() <= tier {
        return (list.to_vec(), Vec::new());
    }
    let mut by_code = list.to_vec();
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut tail = by_code.split_off(tier);
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

/// A term's first tier as the scorer sees it.
#[derive(Debug, Default, Clone)]
pub struct Head {
    pub list: Vec<(u32, u8)>,
    /// The tail file, when the list is longer than the tier.
    pub tail: Option<String>,
    /// The highest code in the tail.
    pub tail_max: u8,
}

/// The exported files, read back: what the Rust scorer searches.
pub struct StaticIndex {
    dir: PathBuf,
    pub manifest: Manifest,
    pub facets: FacetColumns,
    shards: Vec<HashMap<String, Entry>>,
    dict: Vec<Vec<(String, u32)>>,
}

fn read_gz(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut out)?;
    Ok(out)
}

fn invalid(e: serde_json::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> std::io::Result<T> {
    serde_json::from_slice(&read_gz(path)?).map_err(invalid)
}

impl StaticIndex {
    /// Opens `<public>/_search/`.
    pub fn open(dir: &Path) -> std::io::Result<StaticIndex> {
        let manifest: Manifest =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST))?).map_err(invalid)?;
        let facets = read_json(&dir.join(&manifest.facets))?;
        let shards = (0..manifest.shards.n)
            .map(|i| read_json(&dir.join(manifest.shards.name("s", i))))
            .collect::<std::io::Result<_>>()?;
        let dict = (0..manifest.dict.files.n)
            .map(|i| read_json(&dir.join(manifest.dict.files.name("x", i))))
            .collect::<std::io::Result<_>>()?;
        Ok(StaticIndex {
            dir: dir.to_path_buf(),
            manifest,
            facets,
            shards,
            dict,
        })
    }

    /// A term's first tier, by document.
    pub fn head(&self, term: &str) -> Head {
        let Some(Entry(_, head_gaps, head_codes, tail, tail_max)) =
            self.shards[shard_of(term, self.shards.len())].get(term)
        else {
            return Head::default();
        };
        Head {
            list: ungap(head_gaps)
                .into_iter()
                .zip(head_codes.iter().copied())
                .collect(),
            tail: tail.clone(),
            tail_max: *tail_max,
        }
    }

    /// A tail file's postings, by document.
    pub fn tail(&self, file: &str) -> std::io::Result<Vec<(u32, u8)>> {
        let (g, c): (Vec<u32>, Vec<u8>) = read_json(&self.dir.join(file))?;
        Ok(ungap(&g).into_iter().zip(c).collect())
    }

    /// A term's full postings list (both tiers), by document.
    pub fn postings(&self, term: &str) -> std::io::Result<Vec<(u32, u8)>> {
        let head = self.head(term);
        let mut list = head.list;
        if let Some(t) = head.tail {
            list.extend(self.tail(&t)?);
            list.sort_unstable();
        }
        Ok(list)
    }

    /// The dictionary blocks a prefix lookup reads (see
    /// `query::dict_blocks`), as (term, document frequency).
    pub fn dict_block(&self, i: usize) -> &[(String, u32)] {
        self.dict.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// Metadata of document `doc`.
    pub fn meta(&self, doc: u32) -> std::io::Result<serde_json::Value> {
        let chunk = doc as usize / self.manifest.chunk;
        if chunk >= self.manifest.meta.n {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such document",
            ));
        }
        let all: Vec<serde_json::Value> =
            read_json(&self.dir.join(self.manifest.meta.name("m", chunk)))?;
        Ok(all
            .into_iter()
            .nth(doc as usize % self.manifest.chunk)
            .unwrap_or_default())
    }
}
