//! The static browser index in `public/_search/` (docs/search.md), and a reader
//! of it for the Rust scorer that checks the JavaScript client.
//!
//! `manifest.json` is the only fixed name (rewritten every build; the search
//! page carries a copy, with the client, so a cold query costs two round
//! trips after the page: shards and facets, then metadata). Every other
//! file is gzip-compressed JSON (the client inflates it with
//! `DecompressionStream`, so any plain static server will do) named by a
//! content hash: a family of numbered members shares the hash of all its
//! members (a large one, of each group of [`GROUP`] members: [`Family`]),
//! so a build never mixes cached old files with new ones, an edit renames
//! only the groups it changed, and the manifest stays a few kilobytes
//! whatever the size of the site. The two large families, shards and
//! metadata, are written a file a group (`search::bundle`), each member
//! read with a range request.
//! - `s.<hash>.bin` bundles of term shards (binary, see `packed`): a term lives in
//!   the shard its hash and the manifest's seeds give ([`Placement`]: no
//!   two large lists share a shard) with its document frequency and every
//!   document that contains it. A list longer than the tier keeps its
//!   [`TIER`] highest contributions exactly (its *first tier*); the other
//!   documents (the *rest*) are listed without contributions and each
//!   counts as the rest's median. So a query reads one shard per term and
//!   nothing more to score every document, in one round trip: the rest of a
//!   word in most documents costs a few hundred bytes (written by
//!   complement), where its contributions cost kilobytes and, read on
//!   demand in blocks, a round trip each and most blocks for any query of
//!   three common words (bench/SEARCH.md). Below the tier a document's
//!   contribution is small and close to the median, so ranking by it
//!   changes little: the figures are in bench/SEARCH.md.
//! - `f.<hash>.bin` the facet column: per document its date and its values
//!   of each facet, with the facet values' labels. Document ids follow
//!   dates, so results are ordered without it; on a large site the client
//!   reads it only for filters.
//! - `m.<hash>.bin` bundles of metadata, a member for [`CHUNK`] consecutive documents,
//!   fetched only for the hits shown.
//! - `x.<hash>.<i>.bin` the term dictionary, for prefix matching: every
//!   folded word, then every adjacent pair, with its document frequency,
//!   each sorted by UTF-16 code units (JavaScript's string order) and cut
//!   into blocks of [`DICT_BLOCK`] terms; the manifest holds each block's
//!   first term and how many blocks hold words. Words and pairs apart, a
//!   word's prefix reads no block of pairs ("nha" sorts before the
//!   thousands of pairs "nha …", which sort before "nhac").

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::bundle;
use super::document::{Facet, FacetValue, Meta, SearchDoc};
use super::near::NearWord;
use super::packed::{self, Entry, Rest};
use super::postings::{weights, List, Postings, EXACT_PREFIX};
use crate::core::Output;
use crate::site::Site;
use crate::text::fnv1a;
use crate::vi::fold_word;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// The index's folder (src/urls.rs owns it).
pub use crate::urls::SEARCH_DIR as DIR;
pub const MANIFEST: &str = "manifest.json";
/// Contributions a term's entry keeps exactly; its other documents count
/// as their median (see the module documentation).
pub const TIER: usize = 500;
/// Documents per metadata file. One: a query fetches the metadata of a
/// dozen scattered documents, and a neighbour sharing the file is almost
/// never among them (two per file cost the 10k benchmark 3 KB a query).
pub const CHUNK: usize = 1;
/// Results per page.
pub const PAGE: usize = 10;
/// Terms per dictionary block: a lookup reads one or two (about 1.5 KB
/// each at 10,000 models).
pub const DICT_BLOCK: usize = 256;
/// About this many postings per shard: a query reads one shard per term,
/// so the smaller they are, the fewer bytes of other terms it reads (a
/// common word's first tier alone is a thousand postings).
pub const SHARD_POSTINGS: usize = 400;
/// A facet column up to this size (compressed) is read with every query;
/// a larger one only when filters are used or shown.
const FACETS_EAGER: usize = 16 * 1024;

/// A numbered family of files: `<kind>.<hash>.<i>.bin`, `i < n`. A large
/// family is named by groups of [`GROUP`] consecutive members instead,
/// each group by the hash of its own members (`groups[i / per]`): an edit
/// then renames only the groups it changed, not tens of thousands of files
/// whose bytes are the same. The term shards and the metadata are
/// *bundled*: a group is one file, `<kind>.<group>.bin`, its members one
/// after another, each `unit`-padded, with their lengths in `sizes`
/// (`search::bundle`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Family {
    pub n: usize,
    /// Of all the members.
    pub hash: String,
    /// Members per group, when named by groups.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub per: usize,
    /// Each group's hash, when named by groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Bytes a unit of `sizes`, when bundled.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unit: usize,
    /// Each member's length in units, when bundled (`bundle::sizes`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sizes: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Where a member of a family is: a file, or bytes `range` of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub range: Option<std::ops::Range<usize>>,
}

impl Family {
    /// The hash naming member `i`'s file.
    fn group_hash(&self, i: usize) -> &str {
        match self.groups.get(i / self.per.max(1)) {
            Some(group) if self.per > 0 => group,
            _ => &self.hash,
        }
    }

    /// Where each member is, in order; `None` when the lengths of a
    /// bundled family do not add up.
    pub fn places(&self, kind: &str) -> Option<Vec<Place>> {
        if self.unit == 0 {
            let named = |i| Place {
                file: member_name(kind, self.group_hash(i), i),
                range: None,
            };
            return Some((0..self.n).map(named).collect());
        }
        let sizes = bundle::sizes(&self.sizes).filter(|s| s.len() == self.n)?;
        let per = if self.per > 0 {
            self.per
        } else {
            self.n.max(1)
        };
        let mut at = 0;
        let places = sizes.iter().enumerate().map(|(i, units)| {
            if i % per == 0 {
                at = 0;
            }
            let start = at;
            at += units * self.unit;
            Place {
                file: bundle_name(kind, self.group_hash(i)),
                range: Some(start..at),
            }
        });
        Some(places.collect())
    }
}

/// Members of a family named by groups. A group's name is a twelve-digit
/// hash: the manifest carries one per group, and only a group's earlier
/// versions need another name.
const GROUP: usize = 128;

#[derive(Debug, Serialize, Deserialize)]
pub struct Dict {
    #[serde(flatten)]
    pub files: Family,
    /// The first term of each block.
    pub first: Vec<String>,
    /// Blocks of words (the first ones); the others hold pairs.
    pub words: usize,
}

/// The near lists of typo tolerance (`search::near`), one file per key.
#[derive(Debug, Serialize, Deserialize)]
pub struct Near {
    #[serde(flatten)]
    pub files: Family,
    /// The key of each file, sorted.
    pub keys: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: usize,
    pub shards: Family,
    /// Which shard holds a term, with `shards.n` ([`Placement`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub seeds: String,
    pub facets: String,
    /// Whether the client reads the facet column with every query (see
    /// [`FACETS_EAGER`]); otherwise only for filters.
    pub facets_eager: bool,
    pub meta: Family,
    pub dict: Dict,
    pub near: Near,
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

/// FNV-1a (32-bit) of the UTF-8 bytes of a term: where its shard is
/// worked out from ([`Placement`]).
fn term_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in term.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// One more FNV-1a step of `h` with the byte `s`: a term's hash under
/// another seed.
fn reseeded(h: u32, s: u8) -> u32 {
    (h ^ u32::from(s)).wrapping_mul(0x0100_0193)
}

/// The shard of a term of hash `h` under `seed`, of `n`.
fn landing(h: u32, seed: u8, n: usize) -> usize {
    (if seed == 0 { h } else { reseeded(h, seed) }) as usize % n
}

/// The seeds' alphabet: seed `i` is written as its `i`th character, so the
/// manifest carries one character a bucket.
const SEED_CHARS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// The hash step that chooses a term's bucket (never a seed: seeds are
/// below 64).
const BUCKET_STEP: u8 = 64;
/// Shards per bucket of seeds: the manifest's seeds are a quarter as many
/// characters as there are shards (about 600 bytes gzipped at 10,000
/// models, where placing the large terms apart saved a twelve-word query
/// 9 KB: bench/SEARCH.md).
const SHARDS_PER_BUCKET: usize = 4;

/// Which shard holds a term.
///
/// A term's shard is its hash modulo the number of shards, unless its
/// bucket (another step of the hash, modulo the number of buckets) has a
/// seed: then it is the hash taken one step further with that seed. The
/// build chooses the seeds so that no two *large* terms (lists that fill
/// half a shard by themselves) share a shard: a query reads a whole shard
/// for each of its terms, and by plain hashing a quarter of the large terms
/// shared theirs with another large one, which the query paid for
/// (bench/SEARCH.md). An exact form has its own shard, not its folded
/// word's: a common word's exact forms (hoa: hòa, hóa, hoá, họa …) each
/// have long lists, and a query needs only the one it typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    n: usize,
    /// One seed (below 64) a bucket; empty when every seed is 0.
    seeds: Vec<u8>,
}

impl Placement {
    /// The placement the manifest describes (`seeds` as [`Placement::seeds`]
    /// writes them; a character outside the alphabet counts as 0).
    pub fn read(n: usize, seeds: &str) -> Placement {
        let seed = |c: u8| SEED_CHARS.iter().position(|&s| s == c).unwrap_or(0) as u8;
        Placement {
            n: n.max(1),
            seeds: seeds.bytes().map(seed).collect(),
        }
    }

    /// The seeds as the manifest carries them: one character a bucket, or
    /// nothing when every seed is 0.
    pub fn seeds(&self) -> String {
        self.seeds
            .iter()
            .map(|&s| char::from(SEED_CHARS[usize::from(s)]))
            .collect()
    }

    /// The shard of `term`.
    pub fn shard(&self, term: &str) -> usize {
        let h = term_hash(term);
        let seed = match self.seeds.len() {
            0 => 0,
            buckets => self.seeds[reseeded(h, BUCKET_STEP) as usize % buckets],
        };
        landing(h, seed, self.n)
    }

    /// Seeds for `n` shards that keep the `large` terms apart. Buckets are
    /// taken in order, and each gets the first seed under which none of its
    /// large terms lands where a large term already is (or the seed with
    /// the fewest such clashes). The choice depends only on which terms
    /// are large, so an edit that leaves them large moves no term.
    pub fn plan<'a>(n: usize, large: impl Iterator<Item = &'a str>) -> Placement {
        let n = n.max(1);
        let buckets = n.div_ceil(SHARDS_PER_BUCKET);
        let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); buckets];
        for term in large {
            let h = term_hash(term);
            by_bucket[reseeded(h, BUCKET_STEP) as usize % buckets].push(h);
        }
        let mut seeds = vec![0u8; buckets];
        let mut taken = vec![false; n];
        let mut landed = Vec::new();
        for (bucket, hashes) in by_bucket.iter().enumerate() {
            if hashes.is_empty() {
                continue;
            }
            let mut best = (usize::MAX, 0u8);
            for seed in 0..SEED_CHARS.len() as u8 {
                landed.clear();
                let mut clashes = 0;
                for &h in hashes {
                    let j = landing(h, seed, n);
                    clashes += usize::from(taken[j] || landed.contains(&j));
                    landed.push(j);
                }
                if clashes < best.0 {
                    best = (clashes, seed);
                }
                if clashes == 0 {
                    break;
                }
            }
            seeds[bucket] = best.1;
            for &h in hashes {
                taken[landing(h, best.1, n)] = true;
            }
        }
        if seeds.iter().all(|&s| s == 0) {
            seeds.clear();
        }
        Placement { n, seeds }
    }
}

/// `json` as one gzip member, at libdeflate's default level (6).
///
/// The index is some 25,000 small members at 10,000 models. libdeflate
/// compresses a buffer whole: no stream state to reset between members
/// (zlib cleared its hash tables for each) and its output a little
/// smaller: at 10,000 models the index's files took 0.51-0.59 s of CPU
/// instead of 0.75 s (bench/RESULTS.md, session 17). The header is fixed (no optional field,
/// no time, no operating system: `bundle::padded` adds its field to it),
/// so the same JSON is the same bytes on every machine.
pub(crate) fn gzip(json: &[u8]) -> Vec<u8> {
    thread_local! {
        static DEFLATE: std::cell::RefCell<libdeflater::Compressor> =
            std::cell::RefCell::new(libdeflater::Compressor::new(libdeflater::CompressionLvl::default()));
    }
    DEFLATE.with_borrow_mut(|deflate| gzip_with(deflate, json))
}

/// The gzip header: deflate, no flags, no time, no extra flags, unknown
/// operating system (255).
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

fn gzip_with(deflate: &mut libdeflater::Compressor, json: &[u8]) -> Vec<u8> {
    let bound = deflate.deflate_compress_bound(json.len());
    let mut out = vec![0u8; GZIP_HEADER.len() + bound + 8];
    out[..GZIP_HEADER.len()].copy_from_slice(&GZIP_HEADER);
    // The bound is libdeflate's own worst case for this length: it fits.
    let written = deflate
        .deflate_compress(json, &mut out[GZIP_HEADER.len()..][..bound])
        .expect("a buffer of libdeflate's stated bound");
    out.truncate(GZIP_HEADER.len() + written);
    let mut crc = libdeflater::Crc::new();
    crc.update(json);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE: the length modulo 2^32, as the format says.
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out
}

/// Compresses the index's files; one that remembers (`serve`) keeps each
/// result by a hash of what went in, and the next index takes it from
/// there: a save changes a few shards, and only those are compressed again.
/// One that keeps (`build`) asks, before compressing a file of a family,
/// whether the last build's copy of that name can stay: a name says what
/// the file holds, so after an edit most of the index's tens of thousands
/// of files are neither compressed nor written again.
#[derive(Default)]
pub struct Gzip<'a> {
    remember: bool,
    files: Memo<Vec<u8>>,
    kept: Option<Keep<'a>>,
    /// The last build's bundles: file name → unit and members' lengths
    /// (from its manifest), so that one kept needs no compressing.
    bundles: FxHashMap<String, (usize, Vec<usize>)>,
    /// The manifest the last build published.
    last: Option<Manifest>,
    /// Reads a file the last build published ([`Gzip::reusing`]).
    read: Option<ReadLast<'a>>,
    /// Where each build keeps its shards' digests for the next one
    /// ([`Reuse`]).
    digests_file: Option<PathBuf>,
}

/// Puts the last build's file at this path (`_search/<name>`) in the new
/// output, and says whether it could.
pub type Keep<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// The bytes of the last build's file at this path (`_search/<name>`),
/// when the build that wrote them vouches for them.
pub type ReadLast<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync);

/// Values made for the last index (`made`), and for the one before, which
/// this one may take again (`previous`).
struct Memo<V> {
    previous: FxHashMap<u64, V>,
    made: Mutex<FxHashMap<u64, V>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            previous: FxHashMap::default(),
            made: Mutex::new(FxHashMap::default()),
        }
    }
}

impl<V: Clone> Memo<V> {
    fn get_or(&self, key: u64, make: impl FnOnce() -> V) -> V {
        let v = match self.previous.get(&key) {
            Some(v) => v.clone(),
            None => make(),
        };
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.insert(key, v.clone());
        v
    }

    fn next_round(&mut self) {
        self.previous = std::mem::take(self.made.get_mut().unwrap_or_else(|e| e.into_inner()));
    }
}

impl<'a> Gzip<'a> {
    pub fn remembering() -> Gzip<'a> {
        Gzip {
            remember: true,
            ..Gzip::default()
        }
    }

    /// `published`: the manifest the last build published, if this
    /// build can trust it is the one it wrote (its bundles are kept by
    /// the lengths it gives).
    pub fn keeping(keep: Keep<'a>, published: Option<&[u8]>) -> Gzip<'a> {
        let last = published.and_then(|m| serde_json::from_slice::<Manifest>(m).ok());
        Gzip {
            kept: Some(keep),
            bundles: last.as_ref().map(bundles_of).unwrap_or_default(),
            last,
            ..Gzip::default()
        }
    }

    /// One that also makes again only the shards whose terms changed
    /// since the last build ([`Reuse`]), taking the others' bytes from
    /// its bundles through `read`, and keeps this build's shards' digests
    /// in `digests_file` for the next.
    pub fn reusing(self, read: ReadLast<'a>, digests_file: PathBuf) -> Gzip<'a> {
        Gzip {
            read: Some(read),
            digests_file: Some(digests_file),
            ..self
        }
    }

    /// The lengths (in units) of the last build's bundle `name` of
    /// `members` members, when it stays in the new output as it is.
    fn kept_bundle(&self, name: &str, members: usize, unit: usize) -> Option<Vec<usize>> {
        let (_, units) = self
            .bundles
            .get(name)
            .filter(|(u, units)| *u == unit && units.len() == members)?;
        self.kept
            .is_some_and(|keep| keep(&path_of(name)))
            .then(|| units.clone())
    }

    /// The bundle `name` of `members` (a group of a bundled family): each
    /// member compressed and padded to whole `unit`s, one after another.
    /// Returns each member's length in units. A bundle the last build
    /// published under that name stays as it is, with the lengths its
    /// manifest gives, and nothing is compressed.
    fn bundle(
        &self,
        name: &str,
        members: Members,
        unit: usize,
        out: &mut Vec<Output>,
    ) -> Vec<usize> {
        let count = match &members {
            Members::Raw(m) | Members::Packed(m) => m.len(),
        };
        if let Some(units) = self.kept_bundle(name, count, unit) {
            return units;
        }
        let members: Vec<Vec<u8>> = match members {
            Members::Raw(raws) => raws
                .par_iter()
                .map(|raw| bundle::padded(self.gzip(raw), unit))
                .collect(),
            Members::Packed(packed) => packed,
        };
        let units = members.iter().map(|m| m.len() / unit).collect();
        out.push(output(name, members.concat()));
        units
    }

    /// The file `name` holding `raw`, compressed; none when the last
    /// build's file of that name stays.
    fn file(&self, name: &str, raw: &[u8]) -> Option<Output> {
        let kept = self.kept.is_some_and(|keep| keep(&path_of(name)));
        (!kept).then(|| output(name, self.gzip(raw)))
    }

    fn gzip(&self, json: &[u8]) -> Vec<u8> {
        if !self.remember {
            return gzip(json);
        }
        // Every file of the index passes here: a hash eight bytes at a
        // time, not FNV's one.
        let mut h = rustc_hash::FxHasher::default();
        h.write(json);
        h.write_usize(json.len());
        self.files.get_or(h.finish(), || gzip(json))
    }

    /// Forgets what the index before the last one needed.
    pub fn next_round(&mut self) {
        self.files.next_round();
    }
}

/// A group's members as [`Gzip::bundle`] is given them.
enum Members {
    /// Before compression.
    Raw(Vec<Vec<u8>>),
    /// Compressed and padded, as the bundle holds them.
    Packed(Vec<Vec<u8>>),
}

/// A group of a family as [`Reuse::group`] gives it.
enum Group {
    Made(Members),
    /// The last build's bundle of the same name, kept already: its
    /// members' lengths in units.
    Kept(Vec<usize>),
}

/// The bundles a manifest lists: file name → unit and members' lengths.
fn bundles_of(m: &Manifest) -> FxHashMap<String, (usize, Vec<usize>)> {
    let mut out: FxHashMap<String, (usize, Vec<usize>)> = FxHashMap::default();
    for (kind, f) in [("s", &m.shards), ("m", &m.meta)] {
        for place in f.places(kind).unwrap_or_default() {
            if let Some(range) = place.range {
                let bundle = out.entry(place.file).or_insert((f.unit, Vec::new()));
                bundle.1.push(range.len() / f.unit);
            }
        }
    }
    out
}

/// A file named by its content: `<kind>.<hash>.bin`.
fn hashed(kind: &str, json: &[u8], gz: &Gzip) -> (String, Vec<u8>) {
    (format!("{kind}.{:016x}.bin", fnv1a(json)), gz.gzip(json))
}

/// Each member's digest, on all cores. XXH3, not the FNV-1a of the
/// other names (which hashes a byte at a time): every build hashes every
/// member of the index to know which files changed, tens of megabytes at
/// 10,000 models, and FNV-1a took 40 ms of one core for the shards alone.
/// No reader computes these names: the manifest lists them.
fn digests(members: &[Vec<u8>]) -> Vec<u8> {
    members
        .par_iter()
        .map(|m| xxh3_64(m))
        .collect::<Vec<u64>>()
        .iter()
        .flat_map(|d| d.to_le_bytes())
        .collect()
}

/// How a family's members are written: a file each, or `unit`-padded in
/// one bundle a group (`search::bundle`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// One file for all the members' hash, however many.
    Files,
    Bundled {
        unit: usize,
    },
}

/// A family of `n` members, `make(members)` giving those members (by
/// number, before compression), named by the hash of what they all hold,
/// or when grouped and larger than a group by the hash of each group's.
/// Made a group at a time: at 10,000 models the shards and metadata hold
/// tens of megabytes before compression. With `reuse`, a group's members
/// the last build made alike are taken from its bundle. Also returns
/// every member's digest, in order.
fn family(
    kind: &str,
    n: usize,
    storage: Storage,
    mut make: impl FnMut(&[usize]) -> Vec<Vec<u8>>,
    reuse: Option<&Reuse>,
    gz: &Gzip,
    out: &mut Vec<Output>,
) -> (Family, Vec<u8>) {
    let per = if storage != Storage::Files && n > GROUP {
        GROUP
    } else {
        n.max(1)
    };
    let unit = match storage {
        Storage::Bundled { unit } => unit,
        _ => 0,
    };
    // The family's name hashes its members' digests, and so does each
    // group's.
    let mut whole = Xxh3::new();
    let mut all = Vec::with_capacity(8 * n);
    let mut groups = Vec::new();
    let mut sizes = String::new();
    for start in (0..n).step_by(per) {
        let range = start..(start + per).min(n);
        let reused = reuse
            .filter(|_| unit > 0)
            .and_then(|r| r.group(kind, range.clone(), &mut make, unit, gz));
        let (digests, group) = reused.unwrap_or_else(|| {
            let raws = make(&range.collect::<Vec<_>>());
            (digests(&raws), Group::Made(Members::Raw(raws)))
        });
        whole.update(&digests);
        all.extend_from_slice(&digests);
        let name = if per < n {
            let group = group_name(&digests);
            groups.push(group.clone());
            group
        } else {
            format!("{:016x}", whole.digest())
        };
        if unit > 0 {
            let units = match group {
                Group::Kept(units) => units,
                Group::Made(members) => gz.bundle(&bundle_name(kind, &name), members, unit, out),
            };
            for units in units {
                bundle::put_size(units, &mut sizes);
            }
        } else if let Group::Made(Members::Raw(raws)) = group {
            out.par_extend(
                raws.par_iter()
                    .enumerate()
                    .filter_map(|(k, raw)| gz.file(&member_name(kind, &name, start + k), raw)),
            );
        }
    }
    let family = Family {
        n,
        hash: format!("{:016x}", whole.digest()),
        per: if per < n { per } else { 0 },
        groups,
        unit,
        sizes,
    };
    (family, all)
}

/// A group's name: the hash of its members' digests, twelve digits.
fn group_name(digests: &[u8]) -> String {
    format!("{:012x}", xxh3_64(digests) & 0xffff_ffff_ffff)
}

/// The term shards of the last build that a rebuild after a few edits
/// takes as they are: those holding none of the terms the edits touched
/// (`postings::Since`). Each such shard is the last build's to the byte,
/// so it is neither made nor compressed again; a group holding one the
/// edits touched is written again from the others' compressed bytes in
/// the last build's bundle and the touched ones made anew.
///
/// Why: after one edit at 10,000 models, making every shard again was
/// the longest part of the search stage (190 ms of a 1 s rebuild,
/// bench/RESULTS.md), for an edit whose terms sit in a tenth of them.
///
/// It holds only when the last build's shards were made from the
/// documents the patch started from (the same [`super::postings::basis`]), cut
/// the same way (the same number of shards, placement seeds, documents
/// and tier), and are the bundles published (each group's name is the
/// hash of the digests kept for it). Otherwise every shard is made.
struct Reuse {
    /// The last build's digest of each shard.
    digests: Vec<u64>,
    /// Where each shard is in the last build's bundles.
    places: Vec<Place>,
    /// The shards holding a term the edits touched.
    touched: Vec<bool>,
    /// Shards taken from the last build so far.
    taken: std::cell::Cell<usize>,
}

impl Reuse {
    fn of(
        since: &super::postings::Since,
        gz: &Gzip,
        placement: &Placement,
        docs: usize,
        tier: usize,
    ) -> Option<Reuse> {
        let last = gz.last.as_ref()?;
        let f = &last.shards;
        let n = placement.n;
        let same_cut = last.docs == docs
            && last.tier == tier
            && last.seeds == placement.seeds()
            && f.n == n
            && f.per == GROUP
            && f.unit == bundle::SHARD_UNIT;
        (same_cut && gz.read.is_some()).then_some(())?;
        let digests = read_digests(gz.digests_file.as_deref()?, since.basis, n)?;
        let bytes: Vec<u8> = digests.iter().flat_map(|d| d.to_le_bytes()).collect();
        bytes
            .chunks(8 * GROUP)
            .map(group_name)
            .eq(f.groups.iter().cloned())
            .then_some(())?;
        let places = f.places("s")?;
        let mut touched = vec![false; n];
        for term in &since.terms {
            touched[placement.shard(term)] = true;
        }
        Some(Reuse {
            digests,
            places,
            touched,
            taken: std::cell::Cell::new(0),
        })
    }

    /// The digests and members of the group of shards `range`: the last
    /// build's bundle kept when no shard of it was touched, else the
    /// untouched ones' bytes taken from it and the touched ones made.
    /// None, having made nothing, when the last bundle cannot be read as
    /// its manifest says.
    fn group(
        &self,
        kind: &str,
        range: Range<usize>,
        make: &mut impl FnMut(&[usize]) -> Vec<Vec<u8>>,
        unit: usize,
        gz: &Gzip,
    ) -> Option<(Vec<u8>, Group)> {
        let mut digests: Vec<u8> = self.digests[range.clone()]
            .iter()
            .flat_map(|d| d.to_le_bytes())
            .collect();
        let touched: Vec<usize> = range.clone().filter(|&s| self.touched[s]).collect();
        if touched.is_empty() {
            let name = bundle_name(kind, &group_name(&digests));
            let units = gz.kept_bundle(&name, range.len(), unit)?;
            self.taken.set(self.taken.get() + range.len());
            return Some((digests, Group::Kept(units)));
        }
        let file = &self.places[range.start].file;
        let old = (gz.read?)(&path_of(file))?;
        // Every untouched member read back before any is made: a term's
        // list is given once (`Postings::lists`).
        let mut packed: Vec<Option<Vec<u8>>> = Vec::with_capacity(range.len());
        for (s, place) in range.clone().zip(&self.places[range.clone()]) {
            (place.file == *file).then_some(())?;
            let bytes = old.get(place.range.clone()?)?;
            packed.push((!self.touched[s]).then(|| bytes.to_vec()));
        }
        let raws = make(&touched);
        let made: Vec<(u64, Vec<u8>)> = raws
            .par_iter()
            .map(|raw| (xxh3_64(raw), bundle::padded(gz.gzip(raw), unit)))
            .collect();
        for (&s, (digest, bytes)) in touched.iter().zip(made) {
            let k = s - range.start;
            digests[8 * k..8 * k + 8].copy_from_slice(&digest.to_le_bytes());
            packed[k] = Some(bytes);
        }
        self.taken
            .set(self.taken.get() + range.len() - touched.len());
        Some((
            digests,
            Group::Made(Members::Packed(packed.into_iter().flatten().collect())),
        ))
    }
}

/// The first bytes of a file of shard digests ([`write_digests`]).
const DIGESTS_MAGIC: &[u8; 8] = b"DHSHARD1";

/// Keeps each shard's digest (`digests`, eight bytes each) for the next
/// build, with the [`super::postings::basis`] of the postings they were made
/// from, and a hash of it all: the program's own cache, which a build
/// that cannot write it only does without next time.
fn write_digests(path: &Path, basis: u64, digests: &[u8]) {
    let mut bytes = Vec::with_capacity(32 + digests.len());
    bytes.extend_from_slice(DIGESTS_MAGIC);
    bytes.extend_from_slice(&basis.to_le_bytes());
    bytes.extend_from_slice(&(digests.len() as u64 / 8).to_le_bytes());
    bytes.extend_from_slice(digests);
    let hash = xxh3_64(&bytes);
    bytes.extend_from_slice(&hash.to_le_bytes());
    let tmp = path.with_extension("tmp");
    if std::fs::write(&tmp, &bytes).is_err() || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(path);
    }
}

/// The `n` digests [`write_digests`] kept at `path` for postings of
/// `basis`; none when the file is missing, damaged, or of other postings.
fn read_digests(path: &Path, basis: u64, n: usize) -> Option<Vec<u64>> {
    let bytes = std::fs::read(path).ok()?;
    let (body, hash) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    let fits = body.len() == 24 + 8 * n
        && body.starts_with(DIGESTS_MAGIC)
        && word(&body[8..16]) == basis
        && word(&body[16..24]) == n as u64
        && word(hash) == xxh3_64(body);
    fits.then(|| body[24..].chunks_exact(8).map(word).collect())
}

/// A family's `make` from one member's: the members of a group made on
/// all cores.
fn each(make: impl Fn(usize) -> Vec<u8> + Sync) -> impl FnMut(&[usize]) -> Vec<Vec<u8>> {
    move |members| members.par_iter().map(|&i| make(i)).collect()
}

fn member_name(kind: &str, hash: &str, i: usize) -> String {
    format!("{kind}.{hash}.{i}.bin")
}

fn bundle_name(kind: &str, hash: &str) -> String {
    format!("{kind}.{hash}.bin")
}

/// `n` rounded up to three significant digits (12,254 → 12,300): the
/// number of shards decides every term's shard, so it moves only when the
/// site grew by about a percent, not at each edit (which would rewrite
/// every shard); the shards are at most a hundredth smaller than asked.
fn steady_count(n: usize) -> usize {
    let mut step = 1;
    while n / step >= 1000 {
        step *= 10;
    }
    n.div_ceil(step) * step
}

/// The site path of the index's file `name`.
fn path_of(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn output(name: &str, bytes: Vec<u8>) -> Output {
    Output::file(path_of(name), bytes)
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// How the index is cut: contributions kept exactly per term, and postings
/// per shard.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub tier: usize,
    pub shard_postings: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            tier: TIER,
            shard_postings: SHARD_POSTINGS,
        }
    }
}

/// Every file of the static index, manifest included, of `docs` made
/// from `site`.
pub fn files(
    site: &Site,
    docs: &[SearchDoc],
    postings: Postings,
    synonyms: &[Vec<String>],
    gz: &Gzip,
) -> Vec<Output> {
    files_in(site, docs, postings, synonyms, Layout::default(), gz)
}

/// [`files`] with another [`Layout`] (tests use small tiers to give a
/// small site's words rests).
pub fn files_in(
    site: &Site,
    docs: &[SearchDoc],
    postings: Postings,
    synonyms: &[Vec<String>],
    layout: Layout,
    gz: &Gzip,
) -> Vec<Output> {
    let layout = Layout {
        tier: layout.tier.max(1),
        shard_postings: layout.shard_postings.max(1),
    };
    let n_docs = docs.len();
    let mut lap = crate::core::timing::Lap::within("search/static/");
    let mut out = Vec::new();
    // A rest costs about a byte a document, a first tier's posting two.
    let weight = |term: &str, len: usize| {
        let rest = len.saturating_sub(layout.tier);
        let rest = if term.starts_with(EXACT_PREFIX) {
            0
        } else {
            rest.min(n_docs - len) / 2
        };
        len.min(layout.tier) + rest
    };
    let sizes: Vec<usize> = postings
        .terms
        .iter()
        .map(|(t, df)| weight(t, *df as usize))
        .collect();
    let total: usize = sizes.iter().sum();
    let n_shards = steady_count(total.div_ceil(layout.shard_postings).max(1));
    let large = postings
        .terms
        .iter()
        .zip(&sizes)
        .filter(|(_, &size)| 2 * size >= layout.shard_postings)
        .map(|((t, _), _)| &**t);
    let placement = Placement::plan(n_shards, large);
    let dict = dictionary(&postings, &mut out, gz);
    let near = near_lists(&postings, &mut out, gz);
    lap.mark("dictionary");
    // Each shard's terms (by number, in the order of `postings.terms`).
    let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); n_shards];
    for (i, (term, _)) in postings.terms.iter().enumerate() {
        by_shard[placement.shard(term)].push(i as u32);
    }
    lap.mark("placement");
    let reuse = postings
        .since
        .as_ref()
        .and_then(|since| Reuse::of(since, gz, &placement, n_docs, layout.tier));
    let basis = postings.basis;
    // A group of shards at a time, its terms' lists are made, turned into
    // entries on the shards' threads and dropped: a large site's lists are
    // never all in memory (`Postings::lists`).
    let mut postings = postings;
    let make = |shards: &[usize]| {
        let which: Vec<u32> = shards
            .iter()
            .flat_map(|&s| by_shard[s].iter().copied())
            .collect();
        let mut lists = postings.lists(&which).into_iter();
        let grouped: Vec<Vec<(u32, List)>> = shards
            .iter()
            .map(|&s| by_shard[s].iter().copied().zip(lists.by_ref()).collect())
            .collect();
        let terms = &postings.terms;
        grouped
            .into_par_iter()
            .map(|lists| shard_bytes(terms, lists, layout.tier, n_docs as u32))
            .collect()
    };
    let bundled = Storage::Bundled {
        unit: bundle::SHARD_UNIT,
    };
    let (shards, digests) = family("s", n_shards, bundled, make, reuse.as_ref(), gz, &mut out);
    if let (Some(path), Some(basis)) = (&gz.digests_file, basis) {
        write_digests(path, basis, &digests);
    }
    if crate::core::timing::shown() {
        let taken = reuse.as_ref().map_or(0, |r| r.taken.get());
        eprintln!("timing: search/static/shards taken {taken} of {n_shards}");
    }
    lap.mark("shards");
    let (facets_name, bytes) = hashed("f", &json(&facet_columns(docs)), gz);
    let facets_eager = bytes.len() <= FACETS_EAGER;
    out.push(output(&facets_name, bytes));
    let chunk = |i: usize| -> Vec<Meta> {
        let c = &docs[i * CHUNK..((i + 1) * CHUNK).min(n_docs)];
        c.iter().map(|d| d.published_meta(site)).collect()
    };
    let bundled = Storage::Bundled {
        unit: bundle::META_UNIT,
    };
    let (meta, _) = family(
        "m",
        n_docs.div_ceil(CHUNK),
        bundled,
        each(|i| json(&chunk(i))),
        None,
        gz,
        &mut out,
    );
    lap.mark("facets and meta");
    let manifest = Manifest {
        version: 7,
        docs: docs.len(),
        shards,
        seeds: placement.seeds(),
        facets: facets_name,
        facets_eager,
        meta,
        dict,
        near,
        chunk: CHUNK,
        tier: layout.tier,
        k: PAGE,
        weights: weights(),
        synonyms: synonyms.to_vec(),
    };
    out.push(output(MANIFEST, json(&manifest)));
    out
}

/// A shard's bytes from its terms' lists (by number into `terms`): their
/// entries, sorted by term (a sorted vector, not a tree: built at every
/// save in `serve`).
fn shard_bytes(
    terms: &[(Box<str>, u32)],
    lists: Vec<(u32, List)>,
    tier: usize,
    docs: u32,
) -> Vec<u8> {
    let mut entries: Vec<(&str, Entry)> = lists
        .into_iter()
        .map(|(i, list)| {
            let term = &*terms[i as usize].0;
            let exact = term.starts_with(EXACT_PREFIX);
            (term, entry(list, tier, !exact))
        })
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    packed::write_shard(entries.iter().map(|(t, e)| (*t, e)), docs)
}

/// A term's entry from its list: its first tier, and (`with_rest`) the
/// rest at their median. An exact form keeps no rest: it only adds to the
/// score of a document its folded word already matched, and beyond its
/// 500 strongest documents that addition is small, while its rest would be
/// as large as the folded word's (bench/SEARCH.md).
fn entry(list: List, tier: usize, with_rest: bool) -> Entry {
    let df = list.len() as u32;
    let (head, rest) = split_tier(list, tier);
    Entry {
        df,
        rest: (with_rest && !rest.is_empty()).then(|| Rest {
            code: median(&rest.codes),
            docs: rest.docs,
        }),
        docs: head.docs,
        codes: head.codes,
    }
}

/// The median of codes, by counting (codes are bytes).
fn median(codes: &[u8]) -> u8 {
    let mut count = [0usize; 256];
    for &c in codes {
        count[usize::from(c)] += 1;
    }
    let mut below = 0;
    for (c, n) in count.iter().enumerate() {
        below += n;
        if 2 * below >= codes.len() {
            return c as u8;
        }
    }
    0
}

/// JavaScript's string order: by UTF-16 code units.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Sorts distinct terms in [`js_order`]. That is the byte order of UTF-8
/// unless a term holds a character beyond U+FFFF (UTF-16 puts those,
/// as surrogates, before U+E000…U+FFFF), so the fast byte comparison
/// serves all but such sites.
fn sort_js(terms: &mut [(&str, u32)]) {
    if terms.iter().any(|(t, _)| t.bytes().any(|b| b >= 0xf0)) {
        terms.sort_unstable_by(|a, b| js_order(a.0, b.0));
    } else {
        terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
}

/// The dictionary's blocks: the folded words, sorted, then the pairs,
/// sorted, with document frequencies; and how many blocks hold words.
fn dict_blocks_of(postings: &Postings) -> (Vec<Vec<(&str, u32)>>, usize) {
    type Terms<'a> = Vec<(&'a str, u32)>;
    let (mut words, mut pairs): (Terms, Terms) = postings
        .terms
        .iter()
        .filter(|(t, _)| !t.starts_with(EXACT_PREFIX))
        .map(|(t, df)| (t.as_ref(), *df))
        .partition(|(t, _)| !t.contains(' '));
    sort_js(&mut words);
    sort_js(&mut pairs);
    let mut blocks: Vec<Terms> = words.chunks(DICT_BLOCK).map(<[_]>::to_vec).collect();
    let n_words = blocks.len();
    blocks.extend(pairs.chunks(DICT_BLOCK).map(<[_]>::to_vec));
    (blocks, n_words)
}

/// The sorted dictionary of folded words and pairs, in blocks.
fn dictionary(postings: &Postings, out: &mut Vec<Output>, gz: &Gzip) -> Dict {
    let (blocks, words) = dict_blocks_of(postings);
    let first = blocks.iter().map(|b| b[0].0.to_string()).collect();
    let (files, _) = family(
        "x",
        blocks.len(),
        Storage::Files,
        each(|i| json(&blocks[i])),
        None,
        gz,
        out,
    );
    Dict {
        files,
        first,
        words,
    }
}

/// The near lists (`search::near`): the folded words, each with the form
/// most of its documents write it in.
pub fn near_words(postings: &Postings) -> BTreeMap<String, Vec<NearWord>> {
    let mut shown: HashMap<String, (u32, &str)> = HashMap::new();
    for &(ref t, df) in postings.terms.iter() {
        if let Some(exact) = t.strip_prefix(EXACT_PREFIX) {
            let e = shown.entry(fold_word(exact)).or_insert((0, exact));
            if df > e.0 || (df == e.0 && js_order(exact, e.1).is_lt()) {
                *e = (df, exact);
            }
        }
    }
    let words = postings
        .terms
        .iter()
        .filter(|(t, _)| !t.starts_with(EXACT_PREFIX) && !t.contains(' '))
        .map(|(t, df)| (t.as_ref(), *df));
    super::near::lists(words, &|w| shown.get(w).map(|(_, e)| e.to_string()))
}

fn near_lists(postings: &Postings, out: &mut Vec<Output>, gz: &Gzip) -> Near {
    let lists = near_words(postings);
    let keys: Vec<String> = lists.keys().cloned().collect();
    let members: Vec<&Vec<NearWord>> = lists.values().collect();
    let (files, _) = family(
        "y",
        members.len(),
        Storage::Files,
        each(|i| json(&members[i])),
        None,
        gz,
        out,
    );
    Near { files, keys }
}

/// What `dienhinh search` needs beside the tantivy index to read a query
/// as the browser does: the dictionary (folded words and pairs, with
/// document frequencies, in the blocks the static index has) and the near
/// lists.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Lexicon {
    pub first: Vec<String>,
    /// Blocks of words (the first ones); the others hold pairs.
    pub words: usize,
    pub blocks: Vec<Vec<(String, u32)>>,
    pub near: BTreeMap<String, Vec<NearWord>>,
}

impl Lexicon {
    pub fn of(postings: &Postings) -> Lexicon {
        let (blocks, words) = dict_blocks_of(postings);
        let blocks: Vec<Vec<(String, u32)>> = blocks
            .iter()
            .map(|b| b.iter().map(|(t, df)| (t.to_string(), *df)).collect())
            .collect();
        Lexicon {
            first: blocks.iter().map(|b| b[0].0.clone()).collect(),
            words,
            blocks,
            near: near_words(postings),
        }
    }

    /// The terms of the blocks a prefix lookup reads (`query::dict_blocks`).
    pub fn starting(&self, prefix: &str) -> Vec<(String, u32)> {
        super::query::dict_blocks(&self.first, self.words, prefix)
            .into_iter()
            .flat_map(|i| self.blocks[i].iter().cloned())
            .collect()
    }

    /// Whether a folded word is in some document.
    pub fn has(&self, word: &str) -> bool {
        let i = self.first[..self.words.min(self.first.len())]
            .iter()
            .rposition(|f| js_order(f, word).is_le())
            .unwrap_or(0);
        self.blocks
            .get(i)
            .is_some_and(|b| b.binary_search_by(|(t, _)| js_order(t, word)).is_ok())
    }

    pub fn near(&self, key: &str) -> Vec<NearWord> {
        self.near.get(key).cloned().unwrap_or_default()
    }
}

/// The `tier` highest contributions (ties: lower document first), and the
/// rest; both by document. Codes are bytes, so the cut is found by
/// counting, and both parts come out in document order without sorting.
fn split_tier(list: List, tier: usize) -> (List, List) {
    if list.len() <= tier {
        return (list, List::default());
    }
    let mut count = [0usize; 256];
    for &c in &list.codes {
        count[usize::from(c)] += 1;
    }
    // The lowest code in the head, and how many of that code it takes.
    let (mut cut, mut above) = (255, 0);
    while above + count[cut] < tier {
        above += count[cut];
        cut -= 1;
    }
    let mut at_cut = tier - above;
    let (mut head, mut tail) = (List::default(), List::default());
    for (doc, c) in list.iter() {
        let c_at = usize::from(c);
        let in_head = c_at > cut || (c_at == cut && at_cut > 0);
        if c_at == cut && in_head {
            at_cut -= 1;
        }
        if in_head {
            head.push(doc, c);
        } else {
            tail.push(doc, c);
        }
    }
    (head, tail)
}

fn facet_columns(docs: &[SearchDoc]) -> FacetColumns {
    let mut cols = BTreeMap::new();
    for facet in Facet::ALL {
        let per_doc = docs
            .iter()
            .map(|d| d.facet(facet).iter().map(|v| &**v).collect());
        cols.insert(facet.name().to_string(), column(per_doc.collect()));
    }
    let years: Vec<Vec<FacetValue>> = docs
        .iter()
        .map(|d| {
            d.years
                .iter()
                .map(|y| FacetValue {
                    id: y.to_string(),
                    label: y.to_string(),
                })
                .collect()
        })
        .collect();
    cols.insert(
        "year".into(),
        column(years.iter().map(|vs| vs.iter().collect()).collect()),
    );
    FacetColumns {
        date: docs.iter().map(|d| d.date).collect(),
        cols,
    }
}

/// Values sorted (by id), each document's as indices into them.
fn column(per_doc: Vec<Vec<&FacetValue>>) -> Column {
    let mut values: Vec<&FacetValue> = per_doc.iter().flatten().copied().collect();
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
    Column {
        values: values.into_iter().cloned().collect(),
        docs,
    }
}

/// A term's entry as (document, code) for every document containing it,
/// by document.
pub fn scored(e: Entry) -> Vec<(u32, u8)> {
    let mut all: Vec<(u32, u8)> = e.docs.into_iter().zip(e.codes).collect();
    if let Some(r) = e.rest {
        all.extend(r.docs.into_iter().map(|d| (d, r.code)));
        all.sort_unstable();
    }
    all
}

/// The exported files, read back: what the Rust scorer searches.
pub struct StaticIndex {
    dir: PathBuf,
    pub manifest: Manifest,
    pub facets: FacetColumns,
    placement: Placement,
    shards: Vec<HashMap<String, Entry>>,
    dict: Vec<Vec<(String, u32)>>,
    near: HashMap<String, Vec<NearWord>>,
    /// Where each chunk of metadata is, read when asked for.
    meta: Vec<Place>,
}

pub(crate) fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

fn read_gz(path: &Path) -> std::io::Result<Vec<u8>> {
    gunzip(&std::fs::read(path)?)
}

/// The members of a family in `dir`, inflated, in order; each bundle read
/// once.
fn read_members(dir: &Path, family: &Family, kind: &str) -> std::io::Result<Vec<Vec<u8>>> {
    let places = family.places(kind).ok_or_else(unreadable_lengths)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    places
        .into_iter()
        .map(|p| {
            if file.as_ref().is_none_or(|(name, _)| *name != p.file) {
                file = Some((p.file.clone(), std::fs::read(dir.join(&p.file))?));
            }
            let bytes = file.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
            read_place(bytes, &p)
        })
        .collect()
}

/// A member out of its file's `bytes`, inflated.
fn read_place(bytes: &[u8], place: &Place) -> std::io::Result<Vec<u8>> {
    let member = match &place.range {
        Some(r) => bytes.get(r.clone()).ok_or_else(|| {
            invalid(std::io::Error::other(
                "a bundle is shorter than its lengths",
            ))
        })?,
        None => bytes,
    };
    gunzip(member)
}

/// A manifest whose bundle lengths do not add up to its members.
fn unreadable_lengths() -> std::io::Error {
    invalid(std::io::Error::other(
        "the lengths of a bundle do not add up",
    ))
}

fn invalid(e: impl std::error::Error + Send + Sync + 'static) -> std::io::Error {
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
        let shards = read_members(dir, &manifest.shards, "s")?
            .into_iter()
            .map(|bytes| {
                Ok(packed::read_shard(&bytes, manifest.docs as u32)
                    .map_err(invalid)?
                    .into_iter()
                    .collect())
            })
            .collect::<std::io::Result<_>>()?;
        let dict = read_members(dir, &manifest.dict.files, "x")?
            .iter()
            .map(|bytes| serde_json::from_slice(bytes).map_err(invalid))
            .collect::<std::io::Result<_>>()?;
        let near = manifest
            .near
            .keys
            .iter()
            .zip(read_members(dir, &manifest.near.files, "y")?)
            .map(|(k, bytes)| Ok((k.clone(), serde_json::from_slice(&bytes).map_err(invalid)?)))
            .collect::<std::io::Result<_>>()?;
        let meta = manifest.meta.places("m").ok_or_else(unreadable_lengths)?;
        Ok(StaticIndex {
            dir: dir.to_path_buf(),
            placement: Placement::read(manifest.shards.n, &manifest.seeds),
            meta,
            manifest,
            facets,
            shards,
            dict,
            near,
        })
    }

    /// A term's entry as read from its shard (empty when no document
    /// contains it).
    pub fn entry(&self, term: &str) -> Entry {
        self.shards[self.placement.shard(term)]
            .get(term)
            .cloned()
            .unwrap_or_default()
    }

    /// How many documents contain a term.
    pub fn df(&self, term: &str) -> u32 {
        self.shards[self.placement.shard(term)]
            .get(term)
            .map_or(0, |e| e.df)
    }

    /// What a term scores in each document that contains it: its first
    /// tier's codes and the rest's code, by document (ascending).
    pub fn postings(&self, term: &str) -> Vec<(u32, u8)> {
        scored(self.entry(term))
    }

    /// The dictionary blocks a prefix lookup reads (see
    /// `query::dict_blocks`), as (term, document frequency).
    pub fn dict_block(&self, i: usize) -> &[(String, u32)] {
        self.dict.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// The near list of a key (`search::near::keys`).
    pub fn near(&self, key: &str) -> Vec<NearWord> {
        self.near.get(key).cloned().unwrap_or_default()
    }

    /// Metadata of document `doc`.
    pub fn meta(&self, doc: u32) -> std::io::Result<serde_json::Value> {
        let chunk = doc as usize / self.manifest.chunk;
        let place = self
            .meta
            .get(chunk)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such document"))?;
        let bytes = read_place(&std::fs::read(self.dir.join(&place.file))?, place)?;
        let all: Vec<serde_json::Value> = serde_json::from_slice(&bytes).map_err(invalid)?;
        Ok(all
            .into_iter()
            .nth(doc as usize % self.manifest.chunk)
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    /// Every member reads back whole with a standard gzip reader, the same
    /// JSON gives the same bytes whatever the compressor did before, and
    /// the header carries no time or system (`bundle::padded` needs no flag).
    #[test]
    fn a_member_reads_back_and_depends_only_on_its_json() {
        let long: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i * 7919 % 251).to_le_bytes())
            .collect();
        let inputs: [&[u8]; 5] = [
            b"",
            "{\"t\":\"Bánh mì\"}".as_bytes(),
            &long,
            b"x",
            &long[..3000],
        ];
        let first: Vec<Vec<u8>> = inputs.iter().map(|j| super::gzip(j)).collect();
        // Twice over, so every input follows another on the same compressor.
        for (json, gz) in inputs.iter().zip(&first) {
            let again = super::gzip(json);
            assert_eq!(&again, gz);
            assert_eq!(&gz[..10], &super::GZIP_HEADER);
            assert_eq!(super::gunzip(gz).unwrap(), *json);
        }
        assert!(first[2].len() < long.len() / 4, "{}", first[2].len());
    }

    #[test]
    fn the_shard_count_moves_in_steps() {
        let steady = super::steady_count;
        assert_eq!((steady(1), steady(999), steady(1000)), (1, 999, 1000));
        assert_eq!(
            (steady(1001), steady(1213), steady(1214)),
            (1010, 1220, 1220)
        );
        assert_eq!(
            (steady(12254), steady(12300), steady(12301)),
            (12300, 12300, 12400)
        );
    }

    /// Placed by plain hashing, about a tenth of 300 large terms among 1,000
    /// shards would share a shard with another; placed by the plan none
    /// does, every term (large or not) has one shard, and the manifest's
    /// seeds read back to the same placement.
    #[test]
    fn large_terms_get_shards_of_their_own() {
        use super::Placement;
        let n = 1000;
        let large: Vec<String> = (0..300).map(|i| format!("từ {i}")).collect();
        let shards_of = |p: &Placement| {
            let mut seen = std::collections::HashMap::new();
            for t in &large {
                *seen.entry(p.shard(t)).or_insert(0) += 1;
            }
            seen.values()
                .filter(|&&k| k > 1)
                .map(|k| k - 1)
                .sum::<usize>()
        };
        let plain = Placement::read(n, "");
        assert!(shards_of(&plain) > 20, "{}", shards_of(&plain));
        let planned = Placement::plan(n, large.iter().map(String::as_str));
        assert_eq!(shards_of(&planned), 0);
        assert!(planned.seeds().len() == n / 4);
        assert_eq!(Placement::read(n, &planned.seeds()), planned);
        assert!((0..5000).all(|i| planned.shard(&format!("w{i}")) < n));
        // Nothing large: no seeds, plain hashing.
        assert_eq!(Placement::plan(n, std::iter::empty()).seeds(), "");
    }

    #[test]
    fn the_folder_is_the_reserved_one() {
        assert_eq!(format!("{}/", super::DIR), crate::urls::SEARCH_FILES);
    }

    use super::*;

    /// The tier by sorting, as the rule says it.
    type Pairs = Vec<(u32, u8)>;

    fn split_by_sorting(list: &[(u32, u8)], tier: usize) -> (Pairs, Pairs) {
        let mut by_code = list.to_vec();
        by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut tail = by_code.split_off(tier.min(list.len()));
        by_code.sort_unstable();
        tail.sort_unstable();
        (by_code, tail)
    }

    #[test]
    fn the_tier_keeps_the_highest_codes_and_the_lowest_documents_among_ties() {
        let mut seed = 7u64;
        for len in [0, 1, 5, 50, 300] {
            for tier in [1, 4, 50, 299, 1000] {
                let mut list = List::default();
                for doc in 0..len {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    // Few distinct codes, so ties at the cut are common.
                    list.push(doc * 3, 1 + (seed >> 61) as u8);
                }
                let pairs: Vec<(u32, u8)> = list.iter().collect();
                let (head, tail) = split_tier(list, tier);
                let (want_head, want_tail) = split_by_sorting(&pairs, tier);
                assert_eq!(head.iter().collect::<Vec<_>>(), want_head, "{len} {tier}");
                assert_eq!(tail.iter().collect::<Vec<_>>(), want_tail, "{len} {tier}");
            }
        }
    }

    #[test]
    fn terms_sort_in_javascript_order() {
        let mut terms = vec![("b", 1), ("ă", 1), ("a", 1), ("\u{ff5e}", 1), ("😀", 1)];
        sort_js(&mut terms);
        let got: Vec<&str> = terms.iter().map(|t| t.0).collect();
        // UTF-16: the emoji's surrogates (D83D …) sort before U+FF5E.
        assert_eq!(got, ["a", "b", "ă", "😀", "\u{ff5e}"]);
        let mut plain = vec![("xã", 1), ("xa", 1), ("đ", 1), ("d", 1)];
        sort_js(&mut plain);
        let got: Vec<&str> = plain.iter().map(|t| t.0).collect();
        assert_eq!(got, ["d", "xa", "xã", "đ"]);
    }
}
