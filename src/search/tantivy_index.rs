//! The tantivy index (docs/search.md), written beside the site in
//! `.dienhinh/index/` and read by `dienhinh search`. Its text fields are
//! tokenized by the one analyzer, registered under [`FOLDED`], [`EXACT`]
//! and [`PAIRS`]: any reader must call [`register`] before searching.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query as TQuery,
    TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, Token as TToken, TokenStream, Tokenizer};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::analyze::{analyze, pairs};
use super::document::{Facet as Column, Meta, SearchDoc, Texts, FIELDS, PAIR_BOOST};
use super::groups::{self, Groups, Reuse};
use super::postings::{Analyzed, EXACT_PREFIX, TEXT_SEP as SEP};
use super::query::{Alt, Query};
use crate::site::Site;
use crate::vi::slugify;

pub const FOLDED: &str = "dienhinh_vi";
pub const EXACT: &str = "dienhinh_vi_exact";
pub const PAIRS: &str = "dienhinh_vi_pairs";

#[derive(Clone, Copy)]
enum Mode {
    Folded,
    Exact,
    Pairs,
}

#[derive(Clone)]
struct ViTokenizer(Mode);

struct ViStream {
    tokens: Vec<TToken>,
    next: usize,
}

impl TokenStream for ViStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &TToken {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut TToken {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViStream {
        let analyzed = analyze(text);
        let make = |i: usize, text: String| TToken {
            position: i,
            text,
            ..TToken::default()
        };
        let tokens = match self.0 {
            Mode::Folded => analyzed
                .into_iter()
                .map(|t| make(t.pos as usize, t.folded))
                .collect(),
            Mode::Exact => analyzed
                .into_iter()
                .map(|t| make(t.pos as usize, t.exact))
                .collect(),
            Mode::Pairs => pairs(&analyzed)
                .into_iter()
                .enumerate()
                .map(|(i, p)| make(i, p))
                .collect(),
        };
        ViStream { tokens, next: 0 }
    }
}

/// Registers the analyzer's three token streams on `index`.
pub fn register(index: &Index) {
    let m = index.tokenizers();
    m.register(FOLDED, TextAnalyzer::from(ViTokenizer(Mode::Folded)));
    m.register(EXACT, TextAnalyzer::from(ViTokenizer(Mode::Exact)));
    m.register(PAIRS, TextAnalyzer::from(ViTokenizer(Mode::Pairs)));
}

struct Fields {
    folded: Vec<Field>,
    exact: Vec<Field>,
    pairs: Field,
    doc: Field,
    group: Field,
    date: Field,
    url: Field,
    title: Field,
    summary: Field,
    place: Field,
    facets: Vec<Field>,
    year: Field,
    place_path: Field,
    place_any: Field,
}

/// The index field of a facet column: `f_` and its name.
fn facet_field(column: Column) -> String {
    format!("f_{}", column.name())
}

fn schema() -> Schema {
    // Without positions: phrases are matched through the pairs field.
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let mut b = Schema::builder();
    for (name, _) in FIELDS {
        b.add_text_field(name, text(FOLDED));
        b.add_text_field(&format!("{name}_x"), text(EXACT));
    }
    b.add_text_field("pairs", text(PAIRS));
    b.add_u64_field("doc", STORED);
    // The document's group (`search::groups`): a changed group's documents
    // are deleted by it.
    b.add_u64_field("group", INDEXED);
    b.add_u64_field("date", STORED);
    for name in ["url", "title_s", "summary_s", "place_s"] {
        b.add_text_field(name, STORED);
    }
    let columns = Column::ALL.map(facet_field);
    for name in columns
        .iter()
        .map(String::as_str)
        .chain(["f_year", "f_place"])
    {
        b.add_facet_field(name, FacetOptions::default());
    }
    b.add_text_field("place_any", STRING);
    b.build()
}

fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |n: &str| schema.get_field(n);
    Ok(Fields {
        folded: FIELDS.iter().map(|(n, _)| f(n)).collect::<Result<_, _>>()?,
        exact: FIELDS
            .iter()
            .map(|(n, _)| f(&format!("{n}_x")))
            .collect::<Result<_, _>>()?,
        pairs: f("pairs")?,
        doc: f("doc")?,
        group: f("group")?,
        date: f("date")?,
        url: f("url")?,
        title: f("title_s")?,
        summary: f("summary_s")?,
        place: f("place_s")?,
        facets: Column::ALL
            .iter()
            .map(|&c| f(&facet_field(c)))
            .collect::<Result<_, _>>()?,
        year: f("f_year")?,
        place_path: f("f_place")?,
        place_any: f("place_any")?,
    })
}

/// Writes the index into a staging folder beside `dir`, which replaces
/// `dir` when [`Writer::finish`] succeeds. The staging index starts as a
/// copy of the previous one when that one was written by the same program:
/// then only the groups of documents that changed are written again
/// (`search::groups`).
pub struct Writer {
    dir: PathBuf,
    staging: PathBuf,
    fields: Fields,
    groups: Groups,
    reuse: Reuse,
    writer: Mutex<Open>,
}

/// The index writer, and the group its last documents belong to: each
/// group is committed on its own, so its segments hold it alone.
struct Open {
    writer: IndexWriter,
    group: Option<usize>,
}

impl Writer {
    /// A writer for `docs` with their `texts` (numbered as the build
    /// numbers them), by the program `program`
    /// (`build::unchanged::program`).
    pub fn create(
        dir: &Path,
        site: &Site,
        docs: &[SearchDoc],
        texts: &[Texts],
        program: u64,
    ) -> tantivy::Result<Writer> {
        let staging = dir.with_extension("new");
        let groups = Groups::of(site, docs, texts, program);
        let (index, reuse) = match previous(dir, &staging, &groups) {
            Some(found) => found,
            None => {
                if staging.exists() {
                    std::fs::remove_dir_all(&staging)?;
                }
                std::fs::create_dir_all(&staging)?;
                let index = Index::create_in_dir(&staging, schema())?;
                (index, Reuse::nothing(&groups))
            }
        };
        let m = index.tokenizers();
        for name in [FOLDED, EXACT, PAIRS] {
            m.register(name, TextAnalyzer::from(Presplit));
        }
        let fields = fields(&index.schema())?;
        // One indexing thread: with two, which segment a document lands
        // in depends on the threads' timing, and tantivy sums a document's
        // term scores in an order that follows its segment's layout, so a
        // score could differ in its last bit from one build to the next
        // and two near-equal results swap (seen under load). One thread
        // fills the segments the same way every time; it runs beside the
        // analysis feeding it, which is parallel. Segments are never
        // merged: merging would cost time, and mix groups. Tantivy sums
        // its BM25 statistics over segments, so scores are those of the
        // static index still.
        let writer: IndexWriter = index.writer_with_num_threads(1, 48_000_000)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for &g in &reuse.dropped {
            writer.delete_term(Term::from_field_u64(fields.group, g as u64));
        }
        Ok(Writer {
            dir: dir.to_path_buf(),
            staging,
            fields,
            groups,
            reuse,
            writer: Mutex::new(Open {
                writer,
                group: None,
            }),
        })
    }

    /// Whether document `i` is to be written: its group is not kept from
    /// the previous index.
    pub fn wants(&self, i: usize) -> bool {
        !self.reuse.keeps(self.groups.of_doc(i))
    }

    /// Groups of documents kept from the previous index, and in all.
    pub fn kept(&self) -> (usize, usize) {
        (self.reuse.kept_count(), self.groups.hashes.len())
    }

    /// Document `i` with the tokens the static index counted.
    pub fn document(
        &self,
        site: &Site,
        i: usize,
        d: &SearchDoc,
        t: &Texts,
        a: &Analyzed,
    ) -> TantivyDocument {
        let mut doc = document(&self.fields, i, &d.meta(site), d, t, a);
        doc.add_u64(self.fields.group, self.groups.of_doc(i) as u64);
        doc
    }

    /// Adds document `i` (documents come in order of their numbers).
    pub fn add(&self, i: usize, doc: TantivyDocument) -> tantivy::Result<()> {
        let mut open = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let group = self.groups.of_doc(i);
        if open.group != Some(group) {
            if open.group.is_some() {
                open.writer.commit()?;
            }
            open.group = Some(group);
        }
        open.writer.add_document(doc)?;
        Ok(())
    }

    /// Writes the index out in full, still beside `dir`: the build puts it
    /// in place with the rest of its output ([`Staged::commit`]).
    pub fn finish(self) -> tantivy::Result<Staged> {
        let mut open = self
            .writer
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        open.writer.commit()?;
        open.writer.wait_merging_threads()?;
        let json = serde_json::to_vec(&self.groups).map_err(std::io::Error::other)?;
        std::fs::write(self.staging.join(groups::FILE), json)?;
        Ok(Staged {
            dir: self.dir,
            staging: self.staging,
        })
    }
}

/// The previous index in `dir`, copied into a fresh `staging`, with what
/// of it `groups` keeps; `None` when nothing can be kept (no index, another
/// program's, or every group changed). Tantivy writes each segment file
/// once and never again, so those are linked rather than copied; its
/// `.json` files, which it replaces, and ours, are copied.
fn previous(dir: &Path, staging: &Path, groups: &Groups) -> Option<(Index, Reuse)> {
    let old: Groups = serde_json::from_slice(&std::fs::read(dir.join(groups::FILE)).ok()?).ok()?;
    let reuse = groups.against(&old);
    if reuse.kept_count() == 0 {
        return None;
    }
    if staging.exists() {
        std::fs::remove_dir_all(staging).ok()?;
    }
    std::fs::create_dir_all(staging).ok()?;
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !entry.file_type().ok()?.is_file() || name.starts_with(".tantivy-") {
            continue;
        }
        let to = staging.join(name);
        let segment = !name.starts_with("dienhinh-") && !name.ends_with(".json");
        if !(segment && std::fs::hard_link(entry.path(), &to).is_ok()) {
            std::fs::copy(entry.path(), &to).ok()?;
        }
    }
    let index = Index::open_in_dir(staging).ok()?;
    // Every segment opens: a file lost since the last build would fail
    // this one's commit, where a build from nothing succeeds.
    index.reader().ok()?;
    (index.schema() == schema()).then_some((index, reuse))
}

/// A complete index waiting beside the one `dienhinh search` reads.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    staging: PathBuf,
}

/// The file beside the index holding the query-reading dictionary
/// (`static_index::Lexicon`).
pub const LEXICON: &str = "dienhinh-lexicon.json.gz";

impl Staged {
    /// Writes the dictionary `dienhinh search` reads queries with.
    pub fn write_lexicon(&self, lexicon: &super::static_index::Lexicon) -> std::io::Result<()> {
        let json = serde_json::to_vec(lexicon).map_err(std::io::Error::other)?;
        std::fs::write(self.staging.join(LEXICON), super::static_index::gzip(&json))
    }

    /// Where the new index's files are until it is committed.
    pub fn files(&self) -> &Path {
        &self.staging
    }

    /// Replaces the previous index by this one.
    pub fn commit(self) -> std::io::Result<()> {
        let old = self.dir.with_extension("old");
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        if self.dir.exists() {
            std::fs::rename(&self.dir, &old)?;
        }
        std::fs::rename(&self.staging, &self.dir)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

/// Splits text of tokens joined by [`SEP`]: what [`Writer`] registers under
/// the analyzer's names while it writes, because it hands tantivy the very
/// tokens the static index counted (tantivy's own pre-tokenized values
/// would pass every token through JSON).
#[derive(Clone)]
struct Presplit;

impl Tokenizer for Presplit {
    type TokenStream<'a> = PresplitStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PresplitStream<'a> {
        PresplitStream {
            pieces: text.split(SEP),
            token: TToken::default(),
            position: 0,
        }
    }
}

/// One token reused for every piece: tantivy copies what it keeps, and a
/// site's text is millions of tokens.
struct PresplitStream<'a> {
    pieces: std::str::Split<'a, char>,
    token: TToken,
    /// The next piece's position.
    position: usize,
}

impl TokenStream for PresplitStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(piece) = self.pieces.next() else {
            return false;
        };
        self.token.position = self.position;
        self.position += 1;
        self.token.text.clear();
        self.token.text.push_str(piece);
        true
    }
    fn token(&self) -> &TToken {
        &self.token
    }
    fn token_mut(&mut self) -> &mut TToken {
        &mut self.token
    }
}

fn document(
    f: &Fields,
    i: usize,
    meta: &Meta,
    d: &SearchDoc,
    t: &Texts,
    a: &Analyzed,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for (k, (folded, exact)) in a.folded.iter().zip(&a.exact).enumerate() {
        if folded.is_empty() {
            continue;
        }
        doc.add_text(f.folded[k], folded);
        doc.add_text(f.exact[k], exact);
    }
    if !a.pairs.is_empty() {
        doc.add_text(f.pairs, &a.pairs);
    }
    doc.add_u64(f.doc, i as u64);
    doc.add_u64(f.date, u64::from(d.date));
    doc.add_text(f.url, &meta.url);
    doc.add_text(f.title, &meta.title);
    if meta.summary.is_empty() {
        doc.add_text(
            f.summary,
            crate::markdown::truncate_words(&d.excerpt(), 160),
        );
    } else {
        doc.add_text(f.summary, &meta.summary);
    }
    doc.add_text(f.place, &meta.place);
    for (&column, &field) in Column::ALL.iter().zip(&f.facets) {
        for v in d.facet(column) {
            doc.add_facet(field, Facet::from_path([v.id.as_str()]));
        }
    }
    for y in &d.years {
        doc.add_facet(f.year, Facet::from_path([y.to_string()]));
    }
    if !t.place_path().is_empty() {
        doc.add_facet(
            f.place_path,
            Facet::from_path(t.place_path().iter().map(|p| slugify(p))),
        );
    }
    // Every name of every unit the document lies in (see
    // `Texts::place_names`), so `--place` finds it by any of them.
    let mut slugs: Vec<String> = t.place_names().iter().map(|p| slugify(p)).collect();
    slugs.sort_unstable();
    slugs.dedup();
    for s in slugs.into_iter().filter(|s| !s.is_empty()) {
        doc.add_text(f.place_any, s);
    }
    doc
}

/// Filters of `dienhinh search`: facet → value id (`field`, `year`, `place`, …).
pub type Filters = BTreeMap<String, String>;

#[derive(Debug, serde::Serialize)]
pub struct Found {
    pub doc: u64,
    pub class: u8,
    /// It holds the query as a phrase (`Query::phrase`).
    pub phrase: bool,
    pub score: f32,
    pub exact: u32,
    pub date: u64,
    pub url: String,
    pub title: String,
    pub place: String,
    pub summary: String,
}

/// The dictionary written beside the index in `dir`.
pub fn lexicon(dir: &Path) -> std::io::Result<super::static_index::Lexicon> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir.join(LEXICON))?).read_to_end(&mut json)?;
    serde_json::from_slice(&json).map_err(std::io::Error::other)
}

/// Opens the index in `dir` with the analyzer registered.
pub fn open(dir: &Path) -> tantivy::Result<Index> {
    let index = Index::open_in_dir(dir)?;
    register(&index);
    Ok(index)
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn TQuery> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        )),
        boost,
    ))
}

/// A static-index term as a query over the fields it stands for.
fn term_clause(f: &Fields, term: &str) -> Box<dyn TQuery> {
    if term.contains(' ') {
        return term_query(f.pairs, term, PAIR_BOOST);
    }
    let (fields, text) = match term.strip_prefix(EXACT_PREFIX) {
        Some(t) => (&f.exact, t),
        None => (&f.folded, term),
    };
    Box::new(BooleanQuery::new(
        fields
            .iter()
            .zip(FIELDS)
            .map(|(&field, (_, boost))| (Occur::Should, term_query(field, text, boost)))
            .collect(),
    ))
}

fn alt_query(f: &Fields, alt: &Alt) -> Box<dyn TQuery> {
    let clauses = alt
        .required
        .iter()
        .map(|t| (Occur::Must, term_clause(f, t)))
        .chain(
            alt.optional
                .iter()
                .map(|t| (Occur::Should, term_clause(f, t))),
        )
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The field a filter of `facet` reads.
fn filter_field(f: &Fields, facet: &str) -> Option<Field> {
    match facet {
        "year" => Some(f.year),
        "place" => Some(f.place_any),
        _ => {
            let k = Column::ALL.iter().position(|c| c.name() == facet)?;
            Some(f.facets[k])
        }
    }
}

/// The term filter `facet` = `id` matches.
fn filter_term(f: &Fields, facet: &str, id: &str) -> Option<Term> {
    let field = filter_field(f, facet)?;
    Some(match facet {
        "place" => Term::from_field_text(field, &slugify(id)),
        _ => Term::from_facet(field, &Facet::from_path([id])),
    })
}

/// How many documents filter `facet` = `id` lets through (0 for a facet
/// the index does not have).
pub fn filter_count(index: &Index, facet: &str, id: &str) -> tantivy::Result<u64> {
    let f = fields(&index.schema())?;
    match filter_term(&f, facet, id) {
        Some(term) => index.reader()?.searcher().doc_freq(&term),
        None => Ok(0),
    }
}

/// Every value filter `facet` can take in this index (for `place`, the
/// slugs of every name of every place), sorted.
pub fn filter_values(index: &Index, facet: &str) -> tantivy::Result<Vec<String>> {
    let f = fields(&index.schema())?;
    let Some(field) = filter_field(&f, facet) else {
        return Ok(Vec::new());
    };
    let mut out = std::collections::BTreeSet::new();
    for segment in index.reader()?.searcher().segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            // A facet's term is its path, segments separated by a 0 byte:
            // these facets have one level.
            let key = terms.key();
            let first = key.split(|&b| b == 0).next().unwrap_or_default();
            if let Ok(v) = std::str::from_utf8(first) {
                if !v.is_empty() {
                    out.insert(v.to_string());
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

fn filter_clause(f: &Fields, facet: &str, id: &str) -> Option<Box<dyn TQuery>> {
    let term = filter_term(f, facet, id)?;
    Some(Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    )))
}

/// The documents of one class of the query (see `search::scorer`): every
/// group matched by an alternative of that class or better, scored by
/// those alternatives; with `phrase`, only those that hold the query as a
/// phrase (every pair of `Query::phrase`, scored as the bonus they are).
/// `None` when some group has none.
fn to_tantivy(
    f: &Fields,
    query: &Query,
    filters: &Filters,
    class: u8,
    phrase: bool,
) -> Option<Box<dyn TQuery>> {
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for g in &query.groups {
        let alts: Vec<&Alt> = g.alts.iter().filter(|a| a.class <= class).collect();
        let q = match alts.as_slice() {
            [] => return None,
            [a] => alt_query(f, a),
            _ => Box::new(DisjunctionMaxQuery::new(
                alts.iter().map(|a| alt_query(f, a)).collect(),
            )),
        };
        clauses.push((Occur::Must, q));
    }
    clauses.extend(query.bonus.iter().map(|t| {
        let must = phrase && query.phrase.contains(t);
        let occur = if must { Occur::Must } else { Occur::Should };
        (occur, term_clause(f, t))
    }));
    for (facet, id) in filters {
        if let Some(c) = filter_clause(f, facet, id) {
            clauses.push((Occur::Must, c));
        }
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Searches, ordering by the shared rule; at most `limit` results.
pub fn search(
    index: &Index,
    query: &Query,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Found>> {
    if query.groups.is_empty() {
        return Ok(Vec::new());
    }
    let f = fields(&index.schema())?;
    let searcher = index.reader()?.searcher();
    // Class by class, best first, and in a class the documents that hold
    // the query as a phrase first: a document keeps the first it matches in.
    let mut top: Vec<(u8, bool, f32, tantivy::DocAddress)> = Vec::new();
    let mut seen: HashSet<tantivy::DocAddress> = HashSet::new();
    let mut classes: Vec<u8> = query
        .groups
        .iter()
        .flat_map(|g| g.alts.iter().map(|a| a.class))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    // Enough candidates that ties at the cut are ordered by the full rule.
    let enough = limit.max(1) * 4 + 50;
    let phrases: &[bool] = if query.phrase.is_empty() {
        &[false]
    } else {
        &[true, false]
    };
    'classes: for class in classes {
        for &phrase in phrases {
            let Some(q) = to_tantivy(&f, query, filters, class, phrase) else {
                continue;
            };
            let found = searcher.search(&q, &TopDocs::with_limit(enough).order_by_score())?;
            for (score, addr) in found {
                if seen.insert(addr) {
                    top.push((class, phrase, score, addr));
                }
            }
            if top.len() >= enough {
                break 'classes;
            }
        }
    }
    let mut exact_sets: Vec<HashSet<tantivy::DocAddress>> = Vec::new();
    for t in &query.exact {
        exact_sets.push(searcher.search(term_clause(&f, t).as_ref(), &DocSetCollector)?);
    }
    let mut found = Vec::with_capacity(top.len());
    for (class, phrase, score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let str_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        found.push(Found {
            doc: u64_of(f.doc),
            class,
            phrase,
            score,
            exact: exact_sets.iter().filter(|s| s.contains(&addr)).count() as u32,
            date: u64_of(f.date),
            url: str_of(f.url),
            title: str_of(f.title),
            place: str_of(f.place),
            summary: str_of(f.summary),
        });
    }
    found.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.phrase.cmp(&a.phrase))
            .then(b.score.total_cmp(&a.score))
            .then(b.exact.cmp(&a.exact))
            .then(b.date.cmp(&a.date))
            .then(a.doc.cmp(&b.doc))
    });
    found.truncate(limit);
    Ok(found)
}
