//! What each render job reads, reduced to one number, so that after an
//! edit `serve` re-renders only the jobs whose inputs changed.
//!
//! A document's front matter and summary stand for everything other pages
//! show of it (its card, its title in links, its figures in statistics),
//! and its whole text for its own page: coarser than the fields a page
//! really reads, so a change may re-render a page whose bytes then come out
//! the same, never the reverse. Only a document's own page and the home
//! page (the about text) read a body. Jobs are keyed by document
//! file where they render one document, so a document moving in the site
//! order (a new date) does not make every page after it look new; other
//! jobs are keyed by the job itself, and their fingerprint includes what
//! names the page (slug, label, path), so an index that now means another
//! term or place is seen as a change.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::render::Job;
use crate::site::{Doc, Site, SourceFile};
use crate::taxonomy::{PlaceTree, Term};

/// Embedded lists show this many cards (see `render::browse::embed`).
const EMBED_CARDS: usize = 50;

/// Which output a job renders, stable across edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A model, ceremony or page, by its file.
    Doc(String),
    Job(Job),
}

pub fn key(site: &Site, job: Job) -> Key {
    let file = |d: &Doc| Key::Doc(d.file.rel_path.clone());
    match job {
        Job::Model(i) => file(&site.models[i].doc),
        Job::Ceremony(i) => file(&site.ceremonies[i].doc),
        Job::Page(i) => file(&site.pages[i].doc),
        other => Key::Job(other),
    }
}

/// Hashes of document texts, remembered by file so that after an edit only
/// the changed files are hashed again. Holding the `Arc` means a cached
/// entry can only match the very text it was computed from.
#[derive(Default)]
pub struct DocHashes {
    by_file: HashMap<String, (Arc<SourceFile>, Hashes)>,
}

/// What other pages read of a document, and all of it.
#[derive(Clone, Copy)]
struct Hashes {
    data: u64,
    full: u64,
}

impl DocHashes {
    fn get(&mut self, doc: &Doc) -> Hashes {
        let f = &doc.file;
        if let Some((cached, h)) = self.by_file.get(&f.rel_path) {
            if Arc::ptr_eq(cached, f) {
                return *h;
            }
        }
        let mut h = DefaultHasher::new();
        f.rel_path.hash(&mut h);
        f.text[f.front.clone()].hash(&mut h);
        // Taken from the body when not given.
        doc.summary.hash(&mut h);
        // Set by `images::process` outside the text: resized or original.
        for img in &doc.images {
            img.rendition.is_some().hash(&mut h);
        }
        let data = h.finish();
        f.body().hash(&mut h);
        let hashes = Hashes {
            data,
            full: h.finish(),
        };
        self.by_file
            .insert(f.rel_path.clone(), (Arc::clone(f), hashes));
        hashes
    }

    /// The hashes of every document of `site`, in site order; forgets
    /// files no longer in it.
    pub fn inputs<'a>(&mut self, site: &'a Site) -> Inputs<'a> {
        let models: Vec<Hashes> = site.models.iter().map(|m| self.get(&m.doc)).collect();
        let ceremonies: Vec<Hashes> = site.ceremonies.iter().map(|c| self.get(&c.doc)).collect();
        let pages: Vec<Hashes> = site.pages.iter().map(|p| self.get(&p.doc)).collect();
        if self.by_file.len() > models.len() + ceremonies.len() + pages.len() {
            let live: std::collections::HashSet<&str> = site
                .models
                .iter()
                .map(|m| &m.doc)
                .chain(site.ceremonies.iter().map(|c| &c.doc))
                .chain(site.pages.iter().map(|p| &p.doc))
                .map(|d| d.file.rel_path.as_str())
                .collect();
            self.by_file.retain(|k, _| live.contains(k.as_str()));
        }
        let data = |v: &[Hashes]| v.iter().map(|h| h.data).collect::<Vec<u64>>();
        let full = |v: &[Hashes]| v.iter().map(|h| h.full).collect::<Vec<u64>>();
        let mut all = DefaultHasher::new();
        (data(&models), data(&ceremonies), data(&pages)).hash(&mut all);
        let intro = site
            .pages
            .iter()
            .position(|p| p.doc.path.is_empty())
            .map(|i| pages[i].full);
        Inputs {
            site,
            models: data(&models),
            ceremonies: data(&ceremonies),
            own_models: full(&models),
            own_ceremonies: full(&ceremonies),
            pages: full(&pages),
            intro,
            all: all.finish(),
        }
    }
}

/// The document hashes of one site, ready to fingerprint its jobs.
pub struct Inputs<'a> {
    site: &'a Site,
    /// What other pages read of each document.
    models: Vec<u64>,
    ceremonies: Vec<u64>,
    /// Whole documents, for their own pages.
    own_models: Vec<u64>,
    own_ceremonies: Vec<u64>,
    pages: Vec<u64>,
    /// The about text on the home page.
    intro: Option<u64>,
    /// Every document, in order: for pages that summarise the whole site.
    all: u64,
}

impl Inputs<'_> {
    /// A number that changes whenever anything `job` renders from changes.
    pub fn fingerprint(&self, job: Job) -> u64 {
        let s = self.site;
        let rel = &s.relations;
        let mut h = DefaultHasher::new();
        let per = s.config.paginate.max(1);
        match job {
            Job::Model(i) => {
                self.own_models[i].hash(&mut h);
                for honour in &rel.honoured_by[i] {
                    self.ceremonies[honour.ceremony].hash(&mut h);
                }
                for c in &rel.recognition_ceremonies[i] {
                    c.map(|c| self.ceremonies[c]).hash(&mut h);
                }
                for list in [
                    &rel.replicated_from[i],
                    &rel.replicated_to[i],
                    &rel.related[i],
                ] {
                    list.len().hash(&mut h);
                    for &j in list {
                        self.models[j].hash(&mut h);
                    }
                }
            }
            Job::Ceremony(i) => {
                self.own_ceremonies[i].hash(&mut h);
                for m in &rel.honoree_models[i] {
                    m.map(|m| self.models[m]).hash(&mut h);
                }
                for &(m, _) in &rel.recognised_at[i] {
                    self.models[m].hash(&mut h);
                }
            }
            Job::Page(i) => self.pages[i].hash(&mut h),
            // Constant while site.yaml and the theme are (a change to
            // either re-renders everything).
            Job::NotFound | Job::Search | Job::Robots | Job::OpenDataDoc => job.hash(&mut h),
            Job::Home => {
                (job, self.all, self.intro).hash(&mut h);
            }
            Job::Stats
            | Job::StatsPlace(_)
            | Job::StatsField(_)
            | Job::SiteFeed
            | Job::Sitemap
            | Job::RedirectMaps
            | Job::OpenData
            // A card's index shifts as documents come and go; drawing is
            // cached by content (src/cards.rs), so re-running it is cheap.
            | Job::Card(_)
            | Job::EmbedIndex => {
                job.hash(&mut h);
                self.all.hash(&mut h);
            }
            Job::ModelList(n) => {
                job.hash(&mut h);
                page_slice(&self.models, n, per).hash(&mut h);
            }
            Job::CeremonyList(n) => {
                job.hash(&mut h);
                page_slice(&self.ceremonies, n, per).hash(&mut h);
            }
            Job::TaxonomyIndex(a) => {
                job.hash(&mut h);
                for t in &s.taxonomies.list[a].terms {
                    (&t.slug, &t.label, t.count()).hash(&mut h);
                }
            }
            Job::Term(a, t, n) => {
                let term = &s.taxonomies.list[a].terms[t];
                (job, &term.slug, &term.label).hash(&mut h);
                self.items(term.models.iter(), term.ceremonies.iter(), n, per, &mut h);
            }
            Job::TermEmbed(a, t) => {
                let term = &s.taxonomies.list[a].terms[t];
                (job, &term.slug, &term.label).hash(&mut h);
                self.items(
                    term.models.iter(),
                    term.ceremonies.iter(),
                    1,
                    EMBED_CARDS,
                    &mut h,
                );
            }
            Job::TermFeed(a, t) => {
                let term = &s.taxonomies.list[a].terms[t];
                (job, &term.slug, &term.label).hash(&mut h);
                self.all_items(term, &mut h);
            }
            Job::PlaceIndex => {
                let places = &s.taxonomies.places;
                for &r in &places.roots {
                    place_sig(places, r, &mut h);
                }
            }
            Job::Place(i, n) => {
                let places = &s.taxonomies.places;
                let node = &places.nodes[i];
                job.hash(&mut h);
                place_sig(places, i, &mut h);
                let mut up = node.parent;
                while let Some(p) = up {
                    place_sig(places, p, &mut h);
                    up = places.nodes[p].parent;
                }
                for &c in node.children.iter().chain(&node.predecessors) {
                    place_sig(places, c, &mut h);
                }
                if let Some(succ) = node.successor {
                    place_sig(places, succ, &mut h);
                }
                self.items(node.models.iter(), node.ceremonies.iter(), n, per, &mut h);
            }
            Job::PlaceEmbed(i) => {
                let places = &s.taxonomies.places;
                let node = &places.nodes[i];
                job.hash(&mut h);
                place_sig(places, i, &mut h);
                self.items(
                    node.models.iter(),
                    node.ceremonies.iter(),
                    1,
                    EMBED_CARDS,
                    &mut h,
                );
            }
            Job::PlaceFeed(i) => {
                let places = &s.taxonomies.places;
                let node = &places.nodes[i];
                job.hash(&mut h);
                place_sig(places, i, &mut h);
                for &m in &node.models {
                    self.models[m].hash(&mut h);
                }
                for &c in &node.ceremonies {
                    self.ceremonies[c].hash(&mut h);
                }
            }
        }
        h.finish()
    }

    /// Page `n` of a list of models then ceremonies, `per` to a page, and
    /// the list's length (shown as the total and in the pager).
    fn items<'m>(
        &self,
        models: impl ExactSizeIterator<Item = &'m usize>,
        ceremonies: impl ExactSizeIterator<Item = &'m usize>,
        n: usize,
        per: usize,
        h: &mut DefaultHasher,
    ) {
        (models.len() + ceremonies.len()).hash(h);
        let hashes = models
            .map(|&m| self.models[m])
            .chain(ceremonies.map(|&c| self.ceremonies[c]));
        for x in hashes.skip(n.saturating_sub(1) * per).take(per) {
            x.hash(h);
        }
    }

    fn all_items(&self, term: &Term, h: &mut DefaultHasher) {
        for &m in &term.models {
            self.models[m].hash(h);
        }
        for &c in &term.ceremonies {
            self.ceremonies[c].hash(h);
        }
    }
}

/// One page of a list of hashes, with the list's length.
fn page_slice(all: &[u64], n: usize, per: usize) -> (usize, &[u64]) {
    let start = (n.saturating_sub(1) * per).min(all.len());
    (all.len(), &all[start..(start + per).min(all.len())])
}

/// What a link to a place shows: name, type, address, count and the unit
/// it was merged into.
fn place_sig(places: &PlaceTree, n: usize, h: &mut DefaultHasher) {
    let node = &places.nodes[n];
    (&node.path, &node.label, &node.kind).hash(h);
    (node.models.len() + node.ceremonies.len()).hash(h);
    node.successor
        .map(|s| (&places.nodes[s].label, &places.nodes[s].path))
        .hash(h);
}
