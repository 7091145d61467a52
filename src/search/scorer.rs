//! Scoring and ordering, defined once and implemented identically in
//! `search.js` (`evaluate`, `decide`): a document matches when every group
//! of the query has an alternative whose required terms it contains; its
//! score is the sum, over groups, of the best matching alternative's
//! weights (required and optional terms), plus the pair bonuses it
//! contains. Results are ordered by class (`search::query`: as typed, then
//! prefixed, then corrected; a document's class is the worst of its
//! groups' best classes, and its groups' alternatives of a worse class
//! than that do not count), then by whether it holds the query as a phrase
//! (`Query::phrase`: all of its pairs), then by score, then by how many of
//! the query's diacritic-bearing words it contains exactly, then by date
//! (newest first), then by document id.
//!
//!
//! The static index holds every document of every term (`static_index`),
//! so a query reads one shard per term and scores every matching document:
//! results and facet counts are exact, except when the last word's longer
//! words were not read (`search`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::query::{correct, dict_blocks, expand_open, typed_first, typed_page, Query};
use super::static_index::{FacetColumns, StaticIndex};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub doc: u32,
    pub class: u8,
    pub score: u64,
    pub exact: u32,
    /// It holds the query as a phrase (`Query::phrase`).
    pub phrase: bool,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Per facet, per value id: matching documents with the other filters.
    pub counts: BTreeMap<String, BTreeMap<String, u32>>,
    /// False when the last word's longer words were not read: `hits` is
    /// then the first page and `counts` are lower bounds.
    pub complete: bool,
    /// Words in no document and the correction shown for each.
    pub corrections: Vec<(String, String)>,
}

/// A term's postings as weights, by document.
pub type Lists = HashMap<String, HashMap<u32, u64>>;

/// One document's (class, score, exact count, phrase), `get(term)` giving
/// its weight for a term it contains; `None` when it does not match.
pub fn evaluate(query: &Query, get: &dyn Fn(&str) -> Option<u64>) -> Option<(u8, u64, u32, bool)> {
    if query.groups.is_empty() {
        return None;
    }
    // Each group's matching alternatives, as (class, weight).
    let mut matched: Vec<Vec<(u8, u64)>> = Vec::with_capacity(query.groups.len());
    for group in &query.groups {
        let mut m = Vec::new();
        for alt in group.alts.iter().filter(|a| !a.required.is_empty()) {
            let Some(req) = alt.required.iter().map(|t| get(t)).sum::<Option<u64>>() else {
                continue;
            };
            let opt: u64 = alt.optional.iter().filter_map(|t| get(t)).sum();
            m.push((alt.class, req + opt));
        }
        if m.is_empty() {
            return None;
        }
        matched.push(m);
    }
    let class = matched
        .iter()
        .map(|m| m.iter().map(|a| a.0).min().unwrap_or(0))
        .max()
        .unwrap_or(0);
    let total: u64 = matched
        .iter()
        .map(|m| {
            m.iter()
                .filter(|a| a.0 <= class)
                .map(|a| a.1)
                .max()
                .unwrap_or(0)
        })
        .sum();
    let bonus: u64 = query.bonus.iter().filter_map(|t| get(t)).sum();
    let exact = query.exact.iter().filter(|t| get(t).is_some()).count() as u32;
    let phrase = !query.phrase.is_empty() && query.phrase.iter().all(|t| get(t).is_some());
    Some((class, total + bonus, exact, phrase))
}

/// Scores every matching document of full postings lists, by document.
pub fn score(query: &Query, lists: &Lists) -> Vec<Hit> {
    let empty = HashMap::new();
    let list = |t: &str| lists.get(t).unwrap_or(&empty);
    let mut candidates = BTreeSet::new();
    if let Some(first) = query.groups.first() {
        for alt in &first.alts {
            if let Some(t) = alt.required.first() {
                candidates.extend(list(t).keys().copied());
            }
        }
    }
    candidates
        .into_iter()
        .filter_map(|doc| {
            evaluate(query, &|t| list(t).get(&doc).copied()).map(|(class, score, exact, phrase)| {
                Hit {
                    doc,
                    class,
                    score,
                    exact,
                    phrase,
                }
            })
        })
        .collect()
}

/// Orders hits by the shared rule.
pub fn order(hits: &mut [Hit], dates: &[u32]) {
    let date = |d: u32| dates.get(d as usize).copied().unwrap_or(0);
    hits.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.phrase.cmp(&a.phrase))
            .then(b.score.cmp(&a.score))
            .then(b.exact.cmp(&a.exact))
            .then(date(b.doc).cmp(&date(a.doc)))
            .then(a.doc.cmp(&b.doc))
    });
}

/// Whether document `doc` has value `id` in column `facet`.
fn has(facets: &FacetColumns, facet: &str, id: &str, doc: u32) -> bool {
    facets.cols.get(facet).is_some_and(|c| {
        c.docs
            .get(doc as usize)
            .is_some_and(|vs| vs.iter().any(|&v| c.values[v as usize].id == id))
    })
}

fn passes(
    facets: &FacetColumns,
    filters: &BTreeMap<String, String>,
    doc: u32,
    except: Option<&str>,
) -> bool {
    filters
        .iter()
        .filter(|(f, _)| Some(f.as_str()) != except)
        .all(|(f, id)| has(facets, f, id, doc))
}

/// Filters by facet (`facet → value id`), counts facet values, orders.
pub fn filter_and_count(
    hits: Vec<Hit>,
    facets: &FacetColumns,
    filters: &BTreeMap<String, String>,
) -> Results {
    let mut counts: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for (name, col) in &facets.cols {
        let c = counts.entry(name.clone()).or_default();
        for h in hits
            .iter()
            .filter(|h| passes(facets, filters, h.doc, Some(name)))
        {
            for &v in col.docs.get(h.doc as usize).into_iter().flatten() {
                *c.entry(col.values[v as usize].id.clone()).or_default() += 1;
            }
        }
    }
    let mut hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| passes(facets, filters, h.doc, None))
        .collect();
    order(&mut hits, &facets.date);
    Results {
        hits,
        counts,
        complete: true,
        corrections: Vec::new(),
    }
}

fn weighted(list: &[(u32, u8)], weights: &[u32]) -> HashMap<u32, u64> {
    list.iter()
        .map(|&(d, c)| (d, u64::from(weights[c as usize])))
        .collect()
}

/// Parses `q` and lets its last word stand for the words it begins.
pub fn parse(index: &StaticIndex, q: &str) -> Query {
    let mut query = super::query::parse(q, &index.manifest.synonyms);
    expand_open(&mut query, &|prefix| starting(index, prefix));
    query
}

/// The dictionary terms of the blocks a prefix lookup reads.
fn starting(index: &StaticIndex, prefix: &str) -> Vec<(String, u32)> {
    let dict = &index.manifest.dict;
    dict_blocks(&dict.first, dict.words, prefix)
        .into_iter()
        .flat_map(|i| index.dict_block(i).iter().cloned())
        .collect()
}

/// The Rust reference search over an exported static index, reading what
/// the browser client reads, in the same order: when the last word is a
/// word of the site and may also stand for longer words, the query as
/// typed first, and the longer words only when its results do not fill
/// the first page (`query::typed_first`); the page is then marked
/// incomplete, its counts lower bounds.
pub fn search(index: &StaticIndex, q: &str, filters: &BTreeMap<String, String>) -> Results {
    let typed = super::query::parse(q, &index.manifest.synonyms);
    let lookup = |prefix: &str| starting(index, prefix);
    let mut query = typed.clone();
    if expand_open(&mut query, &lookup) && typed_first(&typed, &lookup) {
        let mut first = answer(index, typed, filters);
        let classes: Vec<u8> = first.hits.iter().map(|h| h.class).collect();
        let k = index.manifest.k;
        if typed_page(&classes, k) {
            first.hits.truncate(k);
            first.complete = false;
            return first;
        }
    }
    answer(index, query, filters)
}

/// Every result of `q`, its last word's longer words read: what "more
/// results" shows.
pub fn search_all(index: &StaticIndex, q: &str, filters: &BTreeMap<String, String>) -> Results {
    answer(index, parse(index, q), filters)
}

/// The results of a query already read (its last word expanded or not).
fn answer(index: &StaticIndex, mut query: Query, filters: &BTreeMap<String, String>) -> Results {
    // Words in no document: their corrections, and then their postings.
    let absent: std::collections::HashSet<String> = query
        .terms_ref()
        .into_iter()
        .filter(|t| index.df(t) == 0)
        .cloned()
        .collect();
    correct(
        &mut query,
        &|w| absent.contains(w),
        &|prefix| starting(index, prefix),
        &|key| index.near(key),
    );
    let w = &index.manifest.weights;
    let lists: Lists = query
        .terms_ref()
        .into_iter()
        .map(|t| (t.clone(), weighted(&index.postings(t), w)))
        .collect();
    let mut r = filter_and_count(score(&query, &lists), &index.facets, filters);
    r.corrections = query.corrections;
    r
}
