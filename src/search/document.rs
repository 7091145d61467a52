//! What is searchable about each model, ceremony and page: the text of
//! each field, its facets and the few words a result shows. Both indexes
//! are built from these, so they index exactly the same thing.

use pulldown_cmark::{Event, Parser, TagEnd};
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::site::{Ceremony, Doc, Model, Owner, Site};
use crate::vi::{fold, slugify};
use crate::vocab::{TermId, Vocabulary};

/// Searchable fields and their boosts, in index order.
///
/// - `awards`: what was given and by whom, as the page's tables say it: a
///   ceremony's awards (its public honorees' and its award counts'), their
///   awarding bodies and decisions, the counts; a model's recognitions
///   (award, level, body, year, decision) and the awards ceremonies gave
///   it as a public honoree. Names of things, like the owner: boosted as
///   much. Nothing of an honoree with `public: false`.
/// - `figures`: the labels of a model's results and of a ceremony's
///   statistics and their breakdowns. Descriptive prose, like the body, and
///   weighed like it; kept out of `awards` so that an award's few words are
///   not diluted by long labels (BM25 weighs a match by the field's length).
pub const FIELDS: [(&str, f32); 9] = [
    ("title", 3.0),
    ("summary", 1.5),
    ("body", 1.0),
    ("owner", 1.5),
    ("place", 2.0),
    ("organizations", 1.0),
    ("tags", 2.0),
    ("awards", 1.5),
    ("figures", 1.0),
];
/// Index of the title in [`FIELDS`].
const TITLE: usize = 0;
/// Index of the body in [`FIELDS`].
pub const BODY: usize = 2;
/// Index of the awards in [`FIELDS`].
const AWARDS: usize = 7;
/// Index of the figures in [`FIELDS`].
const FIGURES: usize = 8;
const _: () = assert!(matches!(FIELDS[TITLE].0.as_bytes(), b"title"));
const _: () = assert!(matches!(FIELDS[BODY].0.as_bytes(), b"body"));
const _: () = assert!(matches!(FIELDS[AWARDS].0.as_bytes(), b"awards"));
const _: () = assert!(matches!(FIELDS[FIGURES].0.as_bytes(), b"figures"));
/// Boost of the adjacent-syllable field.
pub const PAIR_BOOST: f32 = 2.0;

/// Characters of summary a result shows: two or three lines on a phone,
/// and every result's metadata is a file a query downloads.
const RESULT_SUMMARY: usize = 160;
/// Characters of body a result's metadata holds for its snippet: a few
/// paragraphs, a third of a kilobyte compressed.
pub const EXCERPT: usize = 600;

/// A facet column. A document may have several values in a column (a
/// ceremony gives several awards). The search page names each by the
/// theme's `search_facet_<name>` (or the taxonomy's) string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    /// Model, ceremony or page ([`DocKind`]).
    Type,
    Field,
    Kind,
    Level,
    Status,
    /// Today's province (see [`today_provinces`]).
    Province,
    /// Award types (the vocabulary's `awards`).
    Award,
    /// Awarding bodies, by the slug of their name as written.
    Body,
}

impl Facet {
    /// Every column, in the order the indexes write them.
    pub const ALL: [Facet; 8] = [
        Facet::Type,
        Facet::Field,
        Facet::Kind,
        Facet::Level,
        Facet::Status,
        Facet::Province,
        Facet::Award,
        Facet::Body,
    ];

    /// The column's id in both indexes, in filters and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Field => "field",
            Facet::Kind => "kind",
            Facet::Level => "level",
            Facet::Status => "status",
            Facet::Province => "province",
            Facet::Award => "award",
            Facet::Body => "body",
        }
    }
}

/// A document's values per [`Facet`] column.
#[derive(Default)]
pub struct Facets([Option<FacetSet>; Facet::ALL.len()]);

impl std::ops::Index<Facet> for Facets {
    type Output = Option<FacetSet>;
    fn index(&self, f: Facet) -> &Option<FacetSet> {
        &self.0[f as usize]
    }
}

impl std::ops::IndexMut<Facet> for Facets {
    fn index_mut(&mut self, f: Facet) -> &mut Option<FacetSet> {
        &mut self.0[f as usize]
    }
}

/// The kinds of document, each the value of the [`Facet::Type`] column
/// under a fixed id (the section a visitor knows it by), labelled in the
/// site's language by the theme's `search_type_<id>` string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DocKind {
    Model,
    Ceremony,
    Page,
}

impl DocKind {
    fn id(self) -> &'static str {
        match self {
            DocKind::Model => "mo-hinh",
            DocKind::Ceremony => "tuyen-duong",
            DocKind::Page => "trang",
        }
    }
}

/// The labels of the document kinds in the site's language, read from the
/// theme's strings (`search_type_mo-hinh`, `search_type_tuyen-duong`,
/// `search_type_trang` in `themes/default/i18n/`).
#[derive(Clone, Debug)]
pub struct TypeLabels([String; 3]);

impl TypeLabels {
    /// The labels in a theme's strings (the key itself where one is
    /// missing, as a template shows a missing string).
    pub fn from_strings(strings: &std::collections::BTreeMap<String, String>) -> TypeLabels {
        let kinds = [DocKind::Model, DocKind::Ceremony, DocKind::Page];
        TypeLabels(kinds.map(|k| {
            let key = format!("search_type_{}", k.id());
            strings.get(&key).cloned().unwrap_or(key)
        }))
    }

    /// The labels of `site`'s theme, or of the built-in strings when the
    /// theme's own do not parse (for tools that index without rendering;
    /// a build has reported that error before it indexes).
    pub fn for_site(site: &Site) -> TypeLabels {
        let strings = crate::theme::strings(&site.root, &site.config).unwrap_or_else(|(s, _)| s);
        TypeLabels::from_strings(&strings)
    }

    fn of(&self, kind: DocKind) -> &str {
        &self.0[kind as usize]
    }
}

/// One facet value: a stable id and the label shown.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FacetValue {
    pub id: String,
    pub label: String,
}

/// What a result shows.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// URL path from the site root, e.g. `/mo-hinh/tu-banh-mi/`.
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "p")]
    pub place: String,
    /// Field (or event type) and kind labels.
    #[serde(rename = "b")]
    pub badges: Vec<String>,
    #[serde(rename = "s", skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The body's first [`EXCERPT`] characters, in which a result shows
    /// the passage around its match (`search.js`, `snippet`); when the
    /// summary is the body's own beginning, it is left out as a repeat.
    /// Made from the body only when the metadata is published
    /// ([`SearchDoc::published_meta`]); held for every document through
    /// the search stage, the excerpts were about 100 MB of a
    /// 100,000-model build's peak (bench/RESULTS.md, session 19).
    #[serde(rename = "x", skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
    #[serde(rename = "d")]
    pub date: String,
}

/// A document's values in one facet column, sorted and distinct by id.
/// Documents share them, as they share the values (a site has a few dozen
/// values, a few hundred sets of them, and 100,000 documents).
pub type FacetSet = Arc<[Arc<FacetValue>]>;

pub struct SearchDoc {
    pub file: Arc<crate::site::SourceFile>,
    /// Values (or none) per [`FACETS`] column.
    pub facets: Facets,
    pub years: Vec<u16>,
    /// `YYYYMMDD` (unknown parts 0), for the tie rule.
    pub date: u32,
    /// The site's document this one is, whose [`Meta`] is made from it
    /// when it is needed ([`SearchDoc::meta`]).
    pub source: Source,
}

/// Which of the site's documents a [`SearchDoc`] is, by its place in
/// `site.models`, `site.ceremonies` or `site.pages`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Model(usize),
    Ceremony(usize),
    Page(usize),
}

/// What the analyzer reads of a document: the values of each of
/// [`FIELDS`] and the body. Apart from the [`SearchDoc`] because the
/// analysis consumes them (`postings::gather` frees each chunk's once it
/// is counted): held for every document through the stage, they were
/// 11.5 MB of values on the 10,000-model bench corpus, ten times that at
/// 100,000 models, all in the stage's peak (bench/RESULTS.md, session 25).
pub struct Texts {
    /// Values of each of [`FIELDS`]; a field may hold several. The body's
    /// text is not among them: it is read from `file` when the document is
    /// analysed (the plain text of every body at once would be a second
    /// copy of the site in memory).
    pub fields: [Vec<String>; FIELDS.len()],
    pub file: Arc<crate::site::SourceFile>,
    /// How many of the place field's values are the place as published;
    /// the others are its units' other names (see [`place_names`]).
    place_depth: usize,
}

impl Texts {
    /// Place as published, coarse to fine (the tantivy place-path facet).
    pub fn place_path(&self) -> &[String] {
        &self.fields[PLACE][..self.place_depth]
    }

    /// Every name of the document's places: as published, then the other
    /// names of its units, of the units they are part of and of the units
    /// they were merged into, through the place register.
    pub fn place_names(&self) -> &[String] {
        &self.fields[PLACE]
    }

    /// The document's Markdown body.
    pub fn body(&self) -> &str {
        self.file.body()
    }

    /// A document of `file` with a title alone.
    #[cfg(test)]
    pub(super) fn titled(title: &str, file: Arc<crate::site::SourceFile>) -> Texts {
        let mut fields: [Vec<String>; FIELDS.len()] = Default::default();
        fields[TITLE].push(title.to_string());
        Texts {
            fields,
            file,
            place_depth: 0,
        }
    }
}

impl SearchDoc {
    /// The body's excerpt ([`Meta::excerpt`]).
    pub fn excerpt(&self) -> String {
        crate::markdown::excerpt(self.file.body(), EXCERPT)
    }

    /// What a result shows of the document, but the excerpt, made from
    /// `site` (the one the document was made from) when asked for rather
    /// than held: held for every document through the search stage, they
    /// were 79 MB of strings at 100,000 models, and the build's peak fell
    /// from 1,913,932 to 1,785,428 KB without them (bench/RESULTS.md,
    /// session 27).
    pub fn meta(&self, site: &Site) -> Meta {
        let v = &site.config.vocab;
        let (doc, place, badges): (&Doc, &[String], Vec<String>) = match self.source {
            Source::Model(i) => {
                let m = &site.models[i];
                let field = &v.fields.term(m.field).label;
                let kind = &v.kinds.term(m.kind).label;
                (&m.doc, &m.place, vec![field.clone(), kind.clone()])
            }
            Source::Ceremony(i) => {
                let c = &site.ceremonies[i];
                let event = c.event_type.map(|e| v.event_types.term(e).label.clone());
                (&c.doc, &c.place, event.into_iter().collect())
            }
            Source::Page(i) => (&site.pages[i].doc, &[], Vec::new()),
        };
        Meta {
            url: format!("{}{}", site.config.root, doc.path),
            title: doc.title.clone(),
            place: place.iter().rev().cloned().collect::<Vec<_>>().join(", "),
            badges,
            summary: if doc.summary_given {
                crate::markdown::truncate_words(&doc.summary, RESULT_SUMMARY)
            } else {
                String::new()
            },
            excerpt: String::new(),
            date: doc.date.map(|d| d.display_vi()).unwrap_or_default(),
        }
    }

    /// What a result shows of the document, as the index publishes it:
    /// [`SearchDoc::meta`] with the body's excerpt.
    pub fn published_meta(&self, site: &Site) -> Meta {
        Meta {
            excerpt: self.excerpt(),
            ..self.meta(site)
        }
    }

    /// The document's values in facet column `column`.
    pub fn facet(&self, column: Facet) -> &[Arc<FacetValue>] {
        self.facets[column].as_deref().unwrap_or_default()
    }
}

/// Index of the place in [`FIELDS`].
pub const PLACE: usize = 4;
const _: () = assert!(matches!(FIELDS[PLACE].0.as_bytes(), b"place"));

/// One shared copy of each facet value and of each set of them, found
/// without allocating (this runs for every document at every save in
/// `serve`).
#[derive(Default)]
struct Shared {
    /// By id, then label.
    values: HashMap<String, HashMap<String, Arc<FacetValue>>>,
    /// By the addresses of their values (which `values` keeps alive).
    sets: HashMap<Vec<usize>, FacetSet>,
}

impl Shared {
    fn value(&mut self, id: &str, label: &str) -> Arc<FacetValue> {
        if let Some(v) = self.values.get(id).and_then(|by_label| by_label.get(label)) {
            return Arc::clone(v);
        }
        let v = Arc::new(FacetValue {
            id: id.to_string(),
            label: label.to_string(),
        });
        self.values
            .entry(id.to_string())
            .or_default()
            .insert(label.to_string(), Arc::clone(&v));
        v
    }

    fn term(&mut self, t: &crate::vocab::Term) -> Arc<FacetValue> {
        self.value(&t.id, &t.label)
    }

    /// The set of one value, by id and label.
    fn only(&mut self, id: &str, label: &str) -> FacetSet {
        let v = self.value(id, label);
        self.one(v)
    }

    /// The set of one document kind.
    fn kind(&mut self, kind: DocKind, labels: &TypeLabels) -> FacetSet {
        self.only(kind.id(), labels.of(kind))
    }

    /// The set of one vocabulary term.
    fn only_term(&mut self, t: &crate::vocab::Term) -> FacetSet {
        self.only(&t.id, &t.label)
    }

    /// The set of one value.
    fn one(&mut self, v: Arc<FacetValue>) -> FacetSet {
        let key = [Arc::as_ptr(&v) as usize];
        if let Some(set) = self.sets.get(&key[..]) {
            return Arc::clone(set);
        }
        let set: FacetSet = Arc::from([v]);
        self.sets.insert(key.to_vec(), Arc::clone(&set));
        set
    }

    /// The set of some values (by id, the first label of each), or none.
    fn set(&mut self, mut values: Vec<Arc<FacetValue>>) -> Option<FacetSet> {
        values.sort();
        values.dedup_by(|a, b| a.id == b.id);
        let key: Vec<usize> = values.iter().map(|v| Arc::as_ptr(v) as usize).collect();
        match values.len() {
            0 => None,
            1 => values.pop().map(|v| self.one(v)),
            _ => Some(Arc::clone(
                self.sets.entry(key).or_insert_with(|| values.into()),
            )),
        }
    }
}

/// Every document of the site, newest first (then models, ceremonies,
/// pages, in site order); its position is the document's id. Because ids
/// follow dates, the tie rule's "date, then id" is "id" alone, so the
/// browser client can order results before it has the facet column.
/// Each document's [`Texts`] beside it, at the same position.
pub fn documents(site: &Site, labels: &TypeLabels) -> (Vec<SearchDoc>, Vec<Texts>) {
    let mut shared = Shared::default();
    let honours = public_honours(site);
    let mut docs: Vec<(SearchDoc, Texts)> = site
        .models
        .iter()
        .zip(&honours)
        .enumerate()
        .map(|(i, (m, given))| model_doc(site, i, m, given, labels, &mut shared))
        .collect();
    for (i, c) in site.ceremonies.iter().enumerate() {
        docs.push(ceremony_doc(site, i, c, labels, &mut shared));
    }
    today_provinces(site, &mut docs, &mut shared);
    place_names(site, &mut docs);
    for (i, p) in site.pages.iter().enumerate() {
        if p.doc.path.is_empty() {
            continue;
        }
        let (mut d, t) = base_doc(&p.doc, Source::Page(i), Vec::new(), &[], Vec::new(), &[]);
        d.facets[Facet::Type] = Some(shared.kind(DocKind::Page, labels));
        docs.push((d, t));
    }
    // Stable: equal dates keep site order.
    docs.sort_by_key(|(d, _)| std::cmp::Reverse(d.date));
    docs.into_iter().unzip()
}

/// Per model, the awards ceremonies gave it through their honoree lists
/// (its page lists them): from public honorees only.
fn public_honours(site: &Site) -> Vec<Vec<TermId>> {
    let mut given = vec![Vec::new(); site.models.len()];
    for (c, targets) in site.ceremonies.iter().zip(&site.relations.honoree_models) {
        for (h, target) in c.honorees.iter().zip(targets) {
            if let (true, Some(m), Some(award)) = (h.public, *target, h.award) {
                given[m].push(award);
            }
        }
    }
    given
}

/// What a document says was given, and by whom: the text of the awards
/// field and the values of the award and body facets, each once.
#[derive(Default)]
struct Awards<'a> {
    text: Vec<String>,
    awards: Vec<TermId>,
    bodies: Vec<&'a str>,
}

impl<'a> Awards<'a> {
    fn text(&mut self, t: impl Into<String>) {
        let t = t.into();
        if !t.trim().is_empty() && !self.text.contains(&t) {
            self.text.push(t);
        }
    }

    fn award(&mut self, v: &Vocabulary, award: Option<TermId>) {
        if let Some(a) = award {
            // The other names editors give it too ("huy hiệu" for the
            // Kỷ niệm chương), as the vocabulary lists them.
            let term = v.term(a);
            for name in std::iter::once(&term.label).chain(&term.aliases) {
                self.text(name.clone());
            }
            if !self.awards.contains(&a) {
                self.awards.push(a);
            }
        }
    }

    fn body(&mut self, body: Option<&'a str>) {
        if let Some(b) = body {
            self.text(b);
            if !self.bodies.contains(&b) {
                self.bodies.push(b);
            }
        }
    }

    /// Into `d`'s awards field and its award and body facets.
    fn put(self, (d, t): &mut (SearchDoc, Texts), v: &Vocabulary, shared: &mut Shared) {
        t.fields[AWARDS] = self.text;
        let awards = self
            .awards
            .iter()
            .map(|&a| shared.term(v.term(a)))
            .collect();
        d.facets[Facet::Award] = shared.set(awards);
        let bodies = self
            .bodies
            .iter()
            .map(|b| (slugify(b), *b))
            .filter(|(id, _)| !id.is_empty())
            .map(|(id, label)| shared.value(&id, label))
            .collect();
        d.facets[Facet::Body] = shared.set(bodies);
    }
}

/// Values of the figures field, each once.
fn distinct<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in labels {
        if !l.trim().is_empty() && !out.iter().any(|o| o == l) {
            out.push(l.to_string());
        }
    }
    out
}

fn ceremony_doc(
    site: &Site,
    i: usize,
    c: &Ceremony,
    labels: &TypeLabels,
    shared: &mut Shared,
) -> (SearchDoc, Texts) {
    let v = &site.config.vocab;
    let mut owner = Vec::new();
    owner.extend(c.organizer.clone());
    // Honorees named in the ceremony are published on its page; a
    // `public: false` one is not, and searching for the name must not
    // even confirm that the person was honoured.
    owner.extend(
        c.honorees
            .iter()
            .filter(|h| h.public)
            .filter_map(|h| h.name.clone()),
    );
    let mut doc = base_doc(
        &c.doc,
        Source::Ceremony(i),
        owner,
        &c.place,
        Vec::new(),
        &c.doc.date.map(|d| d.year).into_iter().collect::<Vec<_>>(),
    );
    let (d, t) = &mut doc;
    d.facets[Facet::Type] = Some(shared.kind(DocKind::Ceremony, labels));
    d.facets[Facet::Level] = c.level.map(|l| shared.only_term(v.levels.term(l)));
    t.fields[TITLE].extend(c.occasion.clone());
    let mut awards = Awards::default();
    // Nothing of a withheld honoree, not even what it was given or by
    // whom: a rare award, body or decision would point at it.
    for h in c.honorees.iter().filter(|h| h.public) {
        awards.award(&v.awards, h.award);
        awards.body(h.by.as_deref());
        awards.text(h.decision.clone().unwrap_or_default());
    }
    // Counts are totals, named by no honoree.
    for a in &c.award_counts {
        awards.award(&v.awards, Some(a.award));
        awards.body(a.by.as_deref());
        let kind = a.kind.map(|k| v.kinds.term(k).label.as_str());
        awards.text(match kind {
            Some(k) => format!("{} {k}", a.count),
            None => a.count.to_string(),
        });
    }
    // Models whose own recognitions name the ceremony: its page lists them.
    for &(_, award) in &site.relations.recognised_at[i] {
        awards.award(&v.awards, award);
    }
    awards.put(&mut doc, &v.awards, shared);
    doc.1.fields[FIGURES] = distinct(c.statistics.iter().flat_map(|s| {
        std::iter::once(s.figure.label.as_str()).chain(s.breakdowns.iter().flat_map(|b| {
            std::iter::once(b.by.as_str()).chain(b.parts.iter().map(|(l, _)| l.as_str()))
        }))
    }));
    doc
}

/// The province facet names today's unit, with the units merged into it
/// beside it, as the statistics do: a model placed in Hải Dương before the
/// 2025 merger is counted under "Hải Phòng (gồm cả Hải Dương cũ)". `docs`
/// holds the models, then the ceremonies, in site order.
fn today_provinces(site: &Site, docs: &mut [(SearchDoc, Texts)], shared: &mut Shared) {
    let places = &site.taxonomies.places;
    let models = site.models.len();
    for root in places.current_roots() {
        let node = &places.nodes[root];
        let id = node.slug();
        let value = shared.value(id, &places.today_label(root, site.config.lang));
        let value = shared.one(value);
        let ids = node
            .models
            .iter()
            .copied()
            .chain(node.ceremonies.iter().map(|&c| models + c));
        for i in ids {
            if let Some((d, _)) = docs.get_mut(i) {
                d.facets[Facet::Province] = Some(Arc::clone(&value));
            }
        }
    }
}

/// Adds to each document's place field the other names of its units
/// through the place register, so that a query naming a unit finds what
/// lies in it however it was written: each unit's registered label, its
/// aliases and its type with its name ("Tỉnh Hải Dương"), for the units of
/// the place as published and as it is today (a model placed in "Hải
/// Dương, Thị xã Kinh Môn" before the 2025 merger is also in "Hải Phòng",
/// "Thành phố Hải Phòng"). Ancestors are in the place path already.
/// `docs` holds the models, then the ceremonies, in site order.
fn place_names(site: &Site, docs: &mut [(SearchDoc, Texts)]) {
    let places = &site.taxonomies.places;
    let models = site.models.len();
    // Per document, the units it lies in: those of its place as published
    // and as today, coarse to fine.
    let mut units: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
    for (k, n) in places.nodes.iter().enumerate() {
        let ids = n
            .models
            .iter()
            .copied()
            .chain(n.ceremonies.iter().map(|&c| models + c));
        for i in ids {
            if let Some(u) = units.get_mut(i) {
                u.push(k);
            }
        }
    }
    // Each unit's names once, folded beside them (folding is slow, and a
    // site names the same units thousands of times).
    let mut names: Vec<Option<Vec<(String, String)>>> = vec![None; places.nodes.len()];
    // Documents written with the same place have the same units: their
    // names are worked out once.
    let mut by_place: HashMap<Vec<String>, Vec<String>> = HashMap::new();
    for ((_, d), mut units) in docs.iter_mut().zip(units) {
        if units.is_empty() {
            continue;
        }
        units.sort_by_key(|&k| places.nodes[k].depth);
        if !by_place.contains_key(d.place_path()) {
            let mut seen: Vec<String> = d.place_path().iter().map(|w| fold(w)).collect();
            let mut extra = Vec::new();
            for &k in &units {
                let unit = names[k].get_or_insert_with(|| unit_names(site, k));
                for (folded, name) in unit.iter() {
                    if !seen.contains(folded) {
                        seen.push(folded.clone());
                        extra.push(name.clone());
                    }
                }
            }
            by_place.insert(d.place_path().to_vec(), extra);
        }
        let extra = by_place[d.place_path()].clone();
        d.fields[PLACE].extend(extra);
    }
}

/// A unit's names, folded and as written: its label, and from the place
/// register its registered label, aliases, and its type with its name
/// where no name says the type already.
fn unit_names(site: &Site, unit: usize) -> Vec<(String, String)> {
    let node = &site.taxonomies.places.nodes[unit];
    let entry = node.entry.and_then(|e| site.config.places.get(e));
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str| {
        let folded = fold(name);
        if !folded.is_empty() && !out.iter().any(|(f, _)| *f == folded) {
            out.push((folded, name.to_string()));
        }
    };
    add(&node.label);
    if let Some(e) = entry {
        add(&e.label);
        for a in &e.aliases {
            add(a);
        }
    }
    if let Some(kind) = &node.kind {
        let named = |n: &str| crate::taxonomy::names_its_type(n, kind);
        let label = entry.map_or(node.label.as_str(), |e| e.label.as_str());
        let any_named = named(&node.label)
            || entry.is_some_and(|e| named(&e.label) || e.aliases.iter().any(|a| named(a)));
        if !any_named {
            add(&format!("{kind} {label}"));
        }
    }
    out
}

fn model_doc(
    site: &Site,
    i: usize,
    m: &Model,
    honours: &[TermId],
    labels: &TypeLabels,
    shared: &mut Shared,
) -> (SearchDoc, Texts) {
    let v = &site.config.vocab;
    // `public: false`: the owner is a person who must not be named.
    let owner = match (&m.owner, m.public) {
        (Some(Owner::Name(n)), true) => vec![n.clone()],
        (Some(Owner::Detailed { name, role }), true) => {
            std::iter::once(name.clone()).chain(role.clone()).collect()
        }
        _ => Vec::new(),
    };
    let orgs = m
        .organizations
        .iter()
        .map(|o| v.organizations.term(*o).label.clone())
        .collect();
    let mut years: Vec<u16> = m
        .recognitions
        .iter()
        .filter_map(|r| u16::try_from(r.year).ok())
        .collect();
    if years.is_empty() {
        years.extend(m.doc.date.map(|d| d.year));
    }
    let mut doc = base_doc(&m.doc, Source::Model(i), owner, &m.place, orgs, &years);
    let d = &mut doc.0;
    let field = shared.term(v.fields.term(m.field));
    let kind = shared.term(v.kinds.term(m.kind));
    d.facets[Facet::Type] = Some(shared.kind(DocKind::Model, labels));
    d.facets[Facet::Field] = Some(shared.one(field));
    d.facets[Facet::Kind] = Some(shared.one(kind));
    d.facets[Facet::Level] = highest(&v.levels, m.recognitions.iter().map(|r| r.level))
        .map(|l| shared.only_term(v.levels.term(l)));
    d.facets[Facet::Status] = m.status.map(|s| shared.only_term(v.statuses.term(s)));
    let mut awards = Awards::default();
    for r in &m.recognitions {
        awards.award(&v.awards, r.award);
        awards.text(v.levels.term(r.level).label.clone());
        awards.body(r.by.as_deref());
        awards.text(r.year.to_string());
        awards.text(r.decision.clone().unwrap_or_default());
    }
    for &a in honours {
        awards.award(&v.awards, Some(a));
    }
    awards.put(&mut doc, &v.awards, shared);
    doc.1.fields[FIGURES] = distinct(m.results.iter().map(|r| r.label.as_str()));
    doc
}

fn base_doc(
    doc: &Doc,
    source: Source,
    owner: Vec<String>,
    place: &[String],
    orgs: Vec<String>,
    years: &[u16],
) -> (SearchDoc, Texts) {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    let texts = Texts {
        fields: [
            vec![doc.title.clone()],
            if doc.summary_given {
                vec![doc.summary.clone()]
            } else {
                Vec::new()
            },
            Vec::new(),
            owner,
            place.to_vec(),
            orgs,
            doc.tags.clone(),
            Vec::new(),
            Vec::new(),
        ],
        file: doc.file.clone(),
        place_depth: place.len(),
    };
    let search_doc = SearchDoc {
        // The province is set for the site's documents by
        // `today_provinces`.
        facets: Default::default(),
        file: doc.file.clone(),
        years,
        date: doc.date.map_or(0, |d| {
            u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
        }),
        source,
    };
    (search_doc, texts)
}

/// The highest of some levels, by the vocabulary's order (cơ sở → trung ương).
fn highest(vocab: &Vocabulary, levels: impl Iterator<Item = TermId>) -> Option<TermId> {
    let rank = |id: TermId| vocab.iter().position(|(t, _)| t == id).unwrap_or(0);
    levels.max_by_key(|&l| rank(l))
}

/// The words of a Markdown body. Blocks end with a full stop so no
/// adjacent-syllable pair spans a heading and the paragraph after it.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => out.push_str(" . "),
            _ => {}
        }
    }
    out
}
