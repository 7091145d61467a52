//! What is searchable about each model, ceremony and page: the text of
//! each field, its facets and the few words a result shows. Both indexes
//! are built from these, so they index exactly the same thing.

use pulldown_cmark::{Event, Parser, TagEnd};
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::site::{Doc, Model, Owner, Site};
use crate::vocab::{TermId, Vocabulary};

/// Searchable fields and their boosts, in index order.
pub const FIELDS: [(&str, f32); 7] = [
    ("title", 3.0),
    ("summary", 1.5),
    ("body", 1.0),
    ("owner", 1.5),
    ("place", 2.0),
    ("organizations", 1.0),
    ("tags", 2.0),
];
/// Index of the body in [`FIELDS`].
pub const BODY: usize = 2;
/// Boost of the adjacent-syllable field.
pub const PAIR_BOOST: f32 = 2.0;

/// Facet columns, in the order of [`SearchDoc::facets`].
/// Characters of summary a result shows: two or three lines on a phone,
/// and every result's metadata is a file a query downloads.
const RESULT_SUMMARY: usize = 160;
/// Characters of body a result's metadata holds for its snippet: a few
/// paragraphs, a third of a kilobyte compressed.
pub const EXCERPT: usize = 600;

pub const FACETS: [&str; 6] = ["type", "field", "kind", "level", "status", "province"];

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
    #[serde(rename = "x", skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
    #[serde(rename = "d")]
    pub date: String,
}

pub struct SearchDoc {
    /// Values of each of [`FIELDS`]; a field may hold several. The body's
    /// text is not among them: it is read from `file` when the document is
    /// analysed (the plain text of every body at once would be a second
    /// copy of the site in memory).
    pub fields: [Vec<String>; FIELDS.len()],
    pub file: Arc<crate::site::SourceFile>,
    /// One value (or none) per [`FACETS`] column; documents share them (a
    /// site has a few dozen values and 100,000 documents).
    pub facets: [Option<Arc<FacetValue>>; FACETS.len()],
    pub years: Vec<u16>,
    /// Names of the units its places were merged into ("Thành phố Hải
    /// Phòng" for Kinh Môn, Hải Dương): searched as part of the place.
    pub place_today: Vec<String>,
    /// Every id a `--place` filter may name it by: each unit's slug, its
    /// name's slug with and without its type, and those of the units it
    /// was merged into.
    pub place_ids: Vec<String>,
    /// `YYYYMMDD` (unknown parts 0), for the tie rule.
    pub date: u32,
    pub meta: Meta,
}

impl SearchDoc {
    /// Place as published, coarse to fine (the tantivy place-path facet).
    pub fn place_path(&self) -> &[String] {
        &self.fields[PLACE]
    }
}

/// Index of the place in [`FIELDS`].
pub const PLACE: usize = 4;
const _: () = assert!(matches!(FIELDS[PLACE].0.as_bytes(), b"place"));

/// One shared copy of each facet value, found without allocating (this
/// runs for every document at every save in `serve`).
#[derive(Default)]
struct Shared {
    /// By id, then label.
    values: HashMap<String, HashMap<String, Arc<FacetValue>>>,
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
}

/// Every document of the site, newest first (then models, ceremonies,
/// pages, in site order); its position is the document's id. Because ids
/// follow dates, the tie rule's "date, then id" is "id" alone, so the
/// browser client can order results before it has the facet column.
pub fn documents(site: &Site) -> Vec<SearchDoc> {
    let v = &site.config.vocab;
    let root = &site.config.root;
    let mut shared = Shared::default();
    let mut docs: Vec<SearchDoc> = site
        .models
        .iter()
        .map(|m| model_doc(site, m, &mut shared))
        .collect();
    for c in &site.ceremonies {
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
        let event = c.event_type.map(|e| v.event_types.term(e).label.clone());
        let mut d = base_doc(
            &c.doc,
            root,
            owner,
            &c.place,
            Vec::new(),
            &c.doc.date.map(|d| d.year).into_iter().collect::<Vec<_>>(),
        );
        d.facets[0] = Some(shared.value("tuyen-duong", "Tuyên dương"));
        d.facets[3] = c.level.map(|l| shared.term(v.levels.term(l)));
        d.meta.badges = event.into_iter().collect();
        d.fields[0].extend(c.occasion.clone());
        docs.push(d);
    }
    today_provinces(site, &mut docs, &mut shared);
    places_through_the_register(site, &mut docs);
    for p in site.pages.iter().filter(|p| !p.doc.path.is_empty()) {
        let mut d = base_doc(&p.doc, root, Vec::new(), &[], Vec::new(), &[]);
        d.facets[0] = Some(shared.value("trang", "Trang"));
        docs.push(d);
    }
    // Stable: equal dates keep site order.
    docs.sort_by_key(|d| std::cmp::Reverse(d.date));
    docs
}

/// The province facet names today's unit, with the units merged into it
/// beside it, as the statistics do: a model placed in Hải Dương before the
/// 2025 merger is counted under "Hải Phòng (gồm cả Hải Dương cũ)". `docs`
/// holds the models, then the ceremonies, in site order.
fn today_provinces(site: &Site, docs: &mut [SearchDoc], shared: &mut Shared) {
    let places = &site.taxonomies.places;
    let models = site.models.len();
    for root in places.current_roots() {
        let node = &places.nodes[root];
        let id = node.slug();
        let value = shared.value(id, &places.today_label(root, site.config.lang));
        let ids = node
            .models
            .iter()
            .copied()
            .chain(node.ceremonies.iter().map(|&c| models + c));
        for i in ids {
            if let Some(d) = docs.get_mut(i) {
                d.facets[5] = Some(Arc::clone(&value));
            }
        }
    }
}

/// Each document's place as the register knows it: the units it lies in
/// (here or above) under each of their ids, and the units they were merged
/// into, so "hải phòng" and `--place "Hải Phòng"` find a model placed in
/// Kinh Môn, Hải Dương before the 2025 merger. `docs` holds the models,
/// then the ceremonies, in site order.
fn places_through_the_register(site: &Site, docs: &mut [SearchDoc]) {
    let places = &site.taxonomies.places;
    let models = site.models.len();
    for (k, node) in places.nodes.iter().enumerate() {
        let mut ids = vec![node.slug().to_string()];
        ids.extend(unit_ids(&node.label, node.kind.as_deref()));
        let mut today = Vec::new();
        let mut at = places.nodes[k].successor;
        let mut hops = 0;
        while let Some(s) = at.filter(|_| hops < places.nodes.len()) {
            let n = &places.nodes[s];
            ids.push(n.slug().to_string());
            ids.extend(unit_ids(&n.label, n.kind.as_deref()));
            today.push(n.label.clone());
            if let Some(kind) = n.kind.as_deref() {
                if !crate::text::fold(&n.label).starts_with(&crate::text::fold(kind)) {
                    today.push(format!("{kind} {}", n.label));
                }
            }
            at = n.successor;
            hops += 1;
        }
        let docs_here = node
            .models
            .iter()
            .copied()
            .chain(node.ceremonies.iter().map(|&c| models + c));
        for i in docs_here {
            if let Some(d) = docs.get_mut(i) {
                for id in &ids {
                    if !d.place_ids.contains(id) {
                        d.place_ids.push(id.clone());
                    }
                }
                for t in &today {
                    if !d.place_today.contains(t) {
                        d.place_today.push(t.clone());
                    }
                }
            }
        }
    }
}

/// A unit's name as ids: its slug, and without its type word ("Thị xã
/// Kinh Môn" is also `kinh-mon`), unless only a number is left ("Quận 1").
fn unit_ids(label: &str, kind: Option<&str>) -> Vec<String> {
    let mut out = vec![crate::text::slugify(label)];
    let folded = crate::text::fold(label).to_lowercase();
    let types = kind
        .map(|k| crate::text::fold(k).to_lowercase())
        .into_iter()
        .chain(UNIT_TYPES.iter().map(|t| (*t).to_string()));
    for t in types {
        if let Some(rest) = folded.strip_prefix(&format!("{t} ")) {
            if rest.chars().any(char::is_alphabetic) {
                out.push(crate::text::slugify(rest));
            }
            break;
        }
    }
    out
}

/// Type words a unit's name may begin with, folded.
const UNIT_TYPES: [&str; 9] = [
    "thanh pho",
    "thi xa",
    "thi tran",
    "tinh",
    "quan",
    "huyen",
    "xa",
    "phuong",
    "dac khu",
];

fn model_doc(site: &Site, m: &Model, shared: &mut Shared) -> SearchDoc {
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
    let root = &site.config.root;
    let mut d = base_doc(&m.doc, root, owner, &m.place, orgs, &years);
    let field = shared.term(v.fields.term(m.field));
    let kind = shared.term(v.kinds.term(m.kind));
    d.meta.badges = vec![field.label.clone(), kind.label.clone()];
    d.facets[0] = Some(shared.value("mo-hinh", "Mô hình"));
    d.facets[1] = Some(field);
    d.facets[2] = Some(kind);
    d.facets[3] = highest(&v.levels, m.recognitions.iter().map(|r| r.level))
        .map(|l| shared.term(v.levels.term(l)));
    d.facets[4] = m.status.map(|s| shared.term(v.statuses.term(s)));
    d
}

fn base_doc(
    doc: &Doc,
    root: &str,
    owner: Vec<String>,
    place: &[String],
    orgs: Vec<String>,
    years: &[u16],
) -> SearchDoc {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    SearchDoc {
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
        ],
        facets: [
            None, None, None, None, None,
            // Set for the site's documents by `today_provinces`.
            None,
        ],
        file: doc.file.clone(),
        years,
        place_today: Vec::new(),
        place_ids: place.iter().map(|p| crate::text::slugify(p)).collect(),
        date: doc.date.map_or(0, |d| {
            u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
        }),
        meta: Meta {
            url: format!("{root}{}", doc.path),
            title: doc.title.clone(),
            place: place.iter().rev().cloned().collect::<Vec<_>>().join(", "),
            badges: Vec::new(),
            summary: if doc.summary_given {
                crate::markdown::truncate_words(&doc.summary, RESULT_SUMMARY)
            } else {
                String::new()
            },
            excerpt: crate::markdown::excerpt(doc.file.body(), EXCERPT),
            date: doc.date.map(|d| d.display_vi()).unwrap_or_default(),
        },
    }
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
