//! Scoring and ordering, defined once and implemented identically in
//! `search.js` (`evaluate`): a document matches when every group of the
//! query has an alternative whose required terms it contains; its score is
//! the sum, over groups, of the best matching alternative's weights
//! (required and optional terms), plus the pair bonuses it contains.
//! Results are ordered by score, then by how many of the query's
//! diacritic-bearing words it contains exactly, then by date (newest
//! first), then by document id.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::query::Query;
use super::static_index::{FacetColumns, StaticIndex};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub doc: u32,
    pub score: u64,
    pub exact: u32,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Per facet, per value id: matching documents with the other filters.
    pub counts: BTreeMap<String, BTreeMap<String, u32>>,
}

/// Scores every matching document; `postings` gives a term's list by document.
pub fn score(
    query: &Query,
    postings: &HashMap<String, Vec<(u32, u8)>>,
    weights: &[u32],
) -> Vec<Hit> {
    let lookup = |t: &String| -> HashMap<u32, u64> {
        postings
            .get(t)
            .map(|l| {
                l.iter()
                    .map(|&(d, c)| (d, u64::from(weights[c as usize])))
                    .collect()
            })
            .unwrap_or_default()
    };
    let lists: HashMap<&String, HashMap<u32, u64>> = query
        .terms_ref()
        .into_iter()
        .map(|t| (t, lookup(t)))
        .collect();
    let mut total: Option<HashMap<u32, u64>> = None;
    for group in &query.groups {
        let mut best: HashMap<u32, u64> = HashMap::new();
        for alt in &group.alts {
            let Some(first) = alt.required.first() else {
                continue;
            };
            for &doc in lists[first].keys() {
                let req: Option<u64> = alt
                    .required
                    .iter()
                    .map(|t| lists[t].get(&doc).copied())
                    .sum();
                let Some(req) = req else { continue };
                let opt: u64 = alt.optional.iter().filter_map(|t| lists[t].get(&doc)).sum();
                let s = best.entry(doc).or_default();
                *s = (*s).max(req + opt);
            }
        }
        total = Some(match total {
            None => best,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(d, s)| best.get(&d).map(|b| (d, s + b)))
                .collect(),
        });
    }
    let mut hits: Vec<Hit> = total
        .unwrap_or_default()
        .into_iter()
        .map(|(doc, s)| Hit {
            doc,
            score: s + query
                .bonus
                .iter()
                .filter_map(|t| lists[t].get(&doc))
                .sum::<u64>(),
            exact: query
                .exact
                .iter()
                .filter(|t| lists[t].contains_key(&doc))
                .count() as u32,
        })
        .collect();
    hits.sort_by_key(|h| h.doc);
    hits
}

/// Orders hits by the shared rule.
pub fn order(hits: &mut [Hit], dates: &[u32]) {
    let date = |d: u32| dates.get(d as usize).copied().unwrap_or(0);
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
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

/// Filters by facet (`facet → value id`), counts facet values, orders.
pub fn filter_and_count(
    hits: Vec<Hit>,
    facets: &FacetColumns,
    filters: &BTreeMap<String, String>,
) -> Results {
    let passes = |doc: u32, except: Option<&str>| {
        filters
            .iter()
            .filter(|(f, _)| Some(f.as_str()) != except)
            .all(|(f, id)| has(facets, f, id, doc))
    };
    let mut counts: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for (name, col) in &facets.cols {
        let c = counts.entry(name.clone()).or_default();
        for h in hits.iter().filter(|h| passes(h.doc, Some(name))) {
            for &v in col.docs.get(h.doc as usize).into_iter().flatten() {
                *c.entry(col.values[v as usize].id.clone()).or_default() += 1;
            }
        }
    }
    let mut hits: Vec<Hit> = hits.into_iter().filter(|h| passes(h.doc, None)).collect();
    order(&mut hits, &facets.date);
    Results { hits, counts }
}

/// The Rust reference search over an exported static index.
pub fn search(
    index: &StaticIndex,
    q: &str,
    filters: &BTreeMap<String, String>,
) -> std::io::Result<Results> {
    let query = super::query::parse(q, &index.manifest.synonyms);
    let mut postings = HashMap::new();
    for t in query.terms() {
        let list = index.postings(&t)?;
        postings.insert(t, list);
    }
    let hits = score(&query, &postings, &index.manifest.weights);
    Ok(filter_and_count(hits, &index.facets, filters))
}
