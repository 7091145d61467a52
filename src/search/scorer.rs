//! Scoring and ordering, defined once and implemented identically in
//! `search.js` (`evaluate`, `decide`): a document matches when every group
//! of the query has an alternative whose required terms it contains; its
//! score is the sum, over groups, of the best matching alternative's
//! weights (required and optional terms), plus the pair bonuses it
//! contains. Results are ordered by class (`search::query`: as typed, then
//! prefixed, then corrected; a document's class is the worst of its
//! groups' best classes, and its groups' alternatives of a worse class
//! than that do not count), then by score, then by how many of the query's
//! diacritic-bearing words it contains exactly, then by date (newest
//! first), then by document id.
//!
//! Early stopping: a long postings list is split into a first tier (its
//! highest contributions) and a tail, cut into blocks by ranges of document
//! ids. The scorer first reads first tiers only. A term is *open* for a
//! document when the document is not in the term's list and the tail block
//! of its range is unread. A document with no open term is *complete*: its
//! score is exact. Any other document can gain at most the tail's highest
//! weight from each open term (and may contain each open exact word), so
//! its key (score, exact count, id) is at best its *bound*. If at least `k`
//! complete documents match and the `k`-th of them (in result order, after
//! filters) comes strictly before every bound — of each other document
//! seen, and of the smallest id seen nowhere with the highest weight of
//! every tail not wholly read — then the first `k` results are exactly
//! those (ids follow dates, so "date, then id" compares as "id"): the
//! results are the first page, the count and facet counts those of the
//! complete documents (lower bounds), marked incomplete. Otherwise the
//! scorer reads, for each document that might still outrank the `k`-th,
//! the block of each of its open terms (every unread block when fewer than
//! `k` documents are complete, or when the document seen nowhere might),
//! and decides again: a block read makes its documents known for that term,
//! so each round completes every rival, and with every block read,
//! everything is exact.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::query::{correct, dict_blocks, expand_open, typed_first, typed_page, Query};
use super::static_index::{block_of, FacetColumns, Head, StaticIndex, TailRef};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub doc: u32,
    pub class: u8,
    pub score: u64,
    pub exact: u32,
}

/// A document's place in the result order, best first when compared with
/// `>`: class (lower is better), score, exact count, id (lower is better).
type Key = (std::cmp::Reverse<u8>, u64, u32, std::cmp::Reverse<u32>);

fn key(class: u8, score: u64, exact: u32, doc: u32) -> Key {
    (
        std::cmp::Reverse(class),
        score,
        exact,
        std::cmp::Reverse(doc),
    )
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Per facet, per value id: matching documents with the other filters.
    pub counts: BTreeMap<String, BTreeMap<String, u32>>,
    /// False when the scorer stopped early: `hits` is then the first page
    /// and `counts` are lower bounds.
    pub complete: bool,
    /// Tail blocks read.
    pub blocks: usize,
    /// Words in no document and the correction shown for each.
    pub corrections: Vec<(String, String)>,
}

/// A term's postings as weights, by document.
pub type Lists = HashMap<String, HashMap<u32, u64>>;

/// One document's (class, score, exact count), `get(term)` giving its
/// weight for a term it contains; `None` when it does not match.
///
/// With more terms known (a tail block read), the class can only get
/// better, and at the same class the score only higher: so evaluating
/// with each unread term's highest weight gives a key no worse than the
/// document's, which early stopping relies on.
pub fn evaluate(query: &Query, get: &dyn Fn(&str) -> Option<u64>) -> Option<(u8, u64, u32)> {
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
    Some((class, total + bonus, exact))
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
            evaluate(query, &|t| list(t).get(&doc).copied()).map(|(class, score, exact)| Hit {
                doc,
                class,
                score,
                exact,
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
        blocks: 0,
        corrections: Vec::new(),
    }
}

fn weighted(list: &[(u32, u8)], weights: &[u32]) -> HashMap<u32, u64> {
    list.iter()
        .map(|&(d, c)| (d, u64::from(weights[c as usize])))
        .collect()
}

/// What the lists read so far decide: the first page, or the tail blocks
/// to read, as (term, block) — those of the open terms of each document
/// that might still outrank the `k`-th (every unread block when fewer than
/// `k` documents are complete, or when a document seen nowhere might).
pub enum Decision {
    Page(Results),
    Read(Vec<(String, usize)>),
}

/// The first page from the lists read so far, when they decide it (see
/// the module documentation); else which tail blocks to read next.
pub fn decide(
    query: &Query,
    heads: &HashMap<String, Head>,
    weights: &[u32],
    facets: &FacetColumns,
    filters: &BTreeMap<String, String>,
    k: usize,
    docs: usize,
) -> Decision {
    let lists: Lists = heads
        .iter()
        .map(|(t, h)| (t.clone(), weighted(&h.list, weights)))
        .collect();
    // Terms with unread tail blocks, and their tails' highest weights.
    let tailed: BTreeMap<&str, (&TailRef, u64)> = heads
        .iter()
        .filter_map(|(t, h)| {
            Some((
                t.as_str(),
                (h.tail.as_ref()?, u64::from(weights[h.tail_max as usize])),
            ))
        })
        .collect();
    let all = || {
        Decision::Read(
            tailed
                .iter()
                .flat_map(|(t, (tail, _))| tail.unread().map(move |b| (t.to_string(), b)))
                .collect(),
        )
    };
    let known = |t: &str, doc: u32| lists.get(t).and_then(|l| l.get(&doc)).copied();
    let open = |t: &str, doc: u32| {
        known(t, doc).is_none() && tailed.get(t).is_some_and(|(tail, _)| tail.open(doc, docs))
    };
    let best = |t: &str, doc: u32| known(t, doc).or_else(|| open(t, doc).then(|| tailed[t].1));
    let seen: BTreeSet<u32> = lists.values().flat_map(|l| l.keys().copied()).collect();
    let mut complete = Vec::new();
    // Best cases of the other documents: (score, exact, id), and the
    // blocks that would complete them.
    let mut rivals = Vec::new();
    for &doc in &seen {
        let missing: Vec<(&str, usize)> = tailed
            .iter()
            .filter(|(t, _)| open(t, doc))
            .map(|(t, (tail, _))| (*t, block_of(doc, tail.blocks, docs)))
            .collect();
        if missing.is_empty() {
            if let Some((class, score, exact)) = evaluate(query, &|t| known(t, doc)) {
                complete.push(Hit {
                    doc,
                    class,
                    score,
                    exact,
                });
            }
        } else if passes(facets, filters, doc, None) {
            if let Some((c, s, e)) = evaluate(query, &|t| best(t, doc)) {
                rivals.push((key(c, s, e, doc), Some(missing)));
            }
        }
    }
    // A document in no list: any id not seen, the smallest first; it
    // stands for all of them, so all unread blocks complete it.
    let unseen = (0..docs as u32).find(|d| !seen.contains(d));
    let anywhere = |t: &str| tailed.get(t).map(|(_, w)| *w);
    if let (Some(doc), Some((c, s, e))) = (unseen, evaluate(query, &anywhere)) {
        rivals.push((key(c, s, e, doc), None));
    }
    let mut r = filter_and_count(complete, facets, filters);
    let Some(kth) = k.checked_sub(1).and_then(|i| r.hits.get(i)) else {
        return all();
    };
    // Ids follow dates, so "date, then id" compares as "id".
    let before = |rival: &Key| key(kth.class, kth.score, kth.exact, kth.doc) > *rival;
    let mut read: BTreeSet<(&str, usize)> = BTreeSet::new();
    for (_, missing) in rivals.iter().filter(|(key, _)| !before(key)) {
        match missing {
            Some(blocks) => read.extend(blocks.iter().copied()),
            None => return all(),
        }
    }
    if !read.is_empty() {
        return Decision::Read(read.into_iter().map(|(t, b)| (t.to_string(), b)).collect());
    }
    r.hits.truncate(k);
    r.complete = false;
    Decision::Page(r)
}

/// Parses `q` and lets its last word stand for the words it begins.
pub fn parse(index: &StaticIndex, q: &str) -> Query {
    let mut query = super::query::parse(q, &index.manifest.synonyms);
    expand_open(&mut query, &|prefix| starting(index, prefix));
    query
}

/// The dictionary terms of the blocks a prefix lookup reads.
fn starting(index: &StaticIndex, prefix: &str) -> Vec<(String, u32)> {
    dict_blocks(&index.manifest.dict.first, prefix)
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
pub fn search(
    index: &StaticIndex,
    q: &str,
    filters: &BTreeMap<String, String>,
) -> std::io::Result<Results> {
    let typed = super::query::parse(q, &index.manifest.synonyms);
    let lookup = |prefix: &str| starting(index, prefix);
    let mut query = typed.clone();
    let mut blocks = 0;
    if expand_open(&mut query, &lookup) && typed_first(&typed, &lookup) {
        let mut first = answer(index, typed, filters, false)?;
        let classes: Vec<u8> = first.hits.iter().map(|h| h.class).collect();
        let k = index.manifest.k;
        if typed_page(&classes, k) {
            first.hits.truncate(k);
            first.complete = false;
            return Ok(first);
        }
        blocks = first.blocks;
    }
    let mut r = answer(index, query, filters, false)?;
    r.blocks += blocks;
    Ok(r)
}

/// Every result of `q`, every tail read: what "more results" shows.
pub fn search_all(
    index: &StaticIndex,
    q: &str,
    filters: &BTreeMap<String, String>,
) -> std::io::Result<Results> {
    answer(index, parse(index, q), filters, true)
}

/// The results of a query already read (its last word expanded or not);
/// with `full`, every tail is read (no early stop).
fn answer(
    index: &StaticIndex,
    mut query: Query,
    filters: &BTreeMap<String, String>,
    full: bool,
) -> std::io::Result<Results> {
    let head_of = |t: &String| (t.clone(), index.head(t));
    let mut heads: HashMap<String, Head> = query.terms_ref().into_iter().map(head_of).collect();
    // Words in no document: their corrections, and then their postings.
    let absent: std::collections::HashSet<String> = heads
        .iter()
        .filter(|(_, h)| h.is_empty())
        .map(|(t, _)| t.clone())
        .collect();
    correct(
        &mut query,
        &|w| absent.contains(w),
        &|prefix| starting(index, prefix),
        &|key| index.near(key),
    );
    for t in query.terms_ref() {
        if !heads.contains_key(t) {
            let (t, h) = head_of(t);
            heads.insert(t, h);
        }
    }
    let w = &index.manifest.weights;
    let (k, n) = (index.manifest.k, index.manifest.docs);
    let mut blocks = 0;
    while !full && heads.values().any(|h| h.tail.is_some()) {
        match decide(&query, &heads, w, &index.facets, filters, k, n) {
            Decision::Page(mut r) => {
                r.blocks = blocks;
                r.corrections = query.corrections.clone();
                return Ok(r);
            }
            Decision::Read(wanted) => {
                for (t, b) in wanted {
                    let Some(h) = heads.get_mut(&t) else { continue };
                    let Some(tail) = h.tail.clone() else { continue };
                    let postings = index.tail_block(&tail, b)?;
                    h.add_block(b, postings);
                    blocks += 1;
                }
            }
        }
    }
    // Every block still unread (all of them when `full`).
    for h in heads.values_mut() {
        while let Some(tail) = h.tail.clone() {
            for b in tail.unread() {
                h.add_block(b, index.tail_block(&tail, b)?);
                blocks += 1;
            }
        }
    }
    let lists: Lists = heads
        .into_iter()
        .map(|(t, h)| (t, weighted(&h.list, w)))
        .collect();
    let mut r = filter_and_count(score(&query, &lists), &index.facets, filters);
    r.blocks = blocks;
    r.corrections = query.corrections;
    Ok(r)
}
