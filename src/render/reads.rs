//! What each render job reads, declared beside the plan (`render::plan`)
//! that makes the jobs: a [`Reads`] value per job, which a table of
//! document digests ([`Digests`]) turns into one stable number. `serve`
//! re-renders after an edit only the jobs whose number changed; a build's
//! render cache can keep each job's pages under it.
//!
//! A document is read in one of two ways: whole (its own page: front
//! matter, body, photos) or as data (what other pages show of it: its
//! front matter, its summary and its photos — its card, its title in
//! links, its figures in statistics). That is coarser than the fields a
//! page really reads, so a change may re-render a page whose bytes then
//! come out the same, never the reverse. Only a document's own page and
//! the home page (the about text) read a body.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::Job;
use crate::core::Paging;
use crate::site::{Doc, Site, SourceFile};
use crate::taxonomy::{PlaceTree, Term};
use crate::text::StableHasher;

/// A document of the linked site, by its list and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocRef {
    Model(usize),
    Ceremony(usize),
    Page(usize),
}

/// One thing a render job reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Read<'a> {
    /// The settings (`site.yaml`, and the command's base URL and drafts).
    Config,
    /// The theme: templates, strings, stylesheet.
    Theme,
    /// Which page of which list the job renders; with the names below, a
    /// job whose index now means another term or place is seen as new.
    Job(Job),
    /// A document whole: its own page.
    Whole(DocRef),
    /// What other pages show of a document.
    Data(DocRef),
    /// A reference that names no document of the site (an honoree who is
    /// not one of its models): shown as plain text.
    Nothing,
    /// How many documents a list holds (its total and its pager).
    Count(usize),
    /// Every document's data, in site order: pages that sum up the site.
    EveryDoc,
    /// A taxonomy term as links to it show it.
    Term {
        slug: &'a str,
        label: &'a str,
        count: usize,
    },
    /// A place as links to it show it: address, name, type, count and the
    /// unit it was merged into.
    Place {
        path: &'a str,
        label: &'a str,
        kind: Option<&'a str>,
        count: usize,
        successor: Option<(&'a str, &'a str)>,
    },
}

/// Everything one render job reads, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reads<'a>(pub Vec<Read<'a>>);

impl<'a> Reads<'a> {
    fn push(&mut self, r: Read<'a>) {
        self.0.push(r);
    }

    /// A list of documents: its length, then the documents shown.
    fn list(&mut self, total: usize, shown: impl Iterator<Item = DocRef>) {
        self.push(Read::Count(total));
        self.0.extend(shown.map(Read::Data));
    }

    fn place(&mut self, places: &'a PlaceTree, n: usize) {
        let node = &places.nodes[n];
        self.push(Read::Place {
            path: &node.path,
            label: &node.label,
            kind: node.kind.as_deref(),
            count: node.models.len() + node.ceremonies.len(),
            successor: node.successor.map(|s| {
                let s = &places.nodes[s];
                (s.label.as_str(), s.path.as_str())
            }),
        });
    }

    fn term(&mut self, term: &'a Term) {
        self.push(Read::Term {
            slug: &term.slug,
            label: &term.label,
            count: term.count(),
        });
    }
}

/// The models then the ceremonies of a list page, embed or feed.
fn items<'i>(models: &'i [usize], ceremonies: &'i [usize]) -> impl Iterator<Item = DocRef> + 'i {
    models
        .iter()
        .map(|&m| DocRef::Model(m))
        .chain(ceremonies.iter().map(|&c| DocRef::Ceremony(c)))
}

/// Page `n` (1-based) of a list of `len` items, as `browse::card_list`
/// cuts it.
fn page_of<T>(
    items: impl Iterator<Item = T>,
    n: usize,
    len: usize,
    paging: Paging,
) -> impl Iterator<Item = T> {
    let shown = paging.range(n, len);
    items.skip(shown.start).take(shown.len())
}

/// What `job` reads of `site`.
pub fn reads(site: &Site, job: Job) -> Reads<'_> {
    let mut r = Reads::default();
    if job == Job::Stylesheet {
        r.push(Read::Theme);
        return r;
    }
    r.push(Read::Config);
    r.push(Read::Theme);
    let rel = &site.relations;
    let tax = &site.taxonomies;
    let places = &tax.places;
    let paging = site.config.paging;
    match job {
        Job::Model(i) => {
            r.push(Read::Whole(DocRef::Model(i)));
            for honour in &rel.honoured_by[i] {
                r.push(Read::Data(DocRef::Ceremony(honour.ceremony)));
            }
            for c in &rel.recognition_ceremonies[i] {
                r.push(c.map_or(Read::Nothing, |c| Read::Data(DocRef::Ceremony(c))));
            }
            for list in [
                &rel.replicated_from[i][..],
                &rel.replicated_to[i][..],
                &rel.related[i][..],
            ] {
                r.list(list.len(), list.iter().map(|&m| DocRef::Model(m)));
            }
        }
        Job::Ceremony(i) => {
            r.push(Read::Whole(DocRef::Ceremony(i)));
            for m in &rel.honoree_models[i] {
                r.push(m.map_or(Read::Nothing, |m| Read::Data(DocRef::Model(m))));
            }
            for &(m, _) in &rel.recognised_at[i] {
                r.push(Read::Data(DocRef::Model(m)));
            }
        }
        Job::Page(i) => r.push(Read::Whole(DocRef::Page(i))),
        Job::NotFound | Job::Search | Job::Robots | Job::OpenDataDoc | Job::Stylesheet => {
            r.push(Read::Job(job));
        }
        Job::Home => {
            r.push(Read::Job(job));
            r.push(Read::EveryDoc);
            // The about text.
            let intro = site.pages.iter().position(|p| p.doc.path.is_empty());
            r.push(intro.map_or(Read::Nothing, |i| Read::Whole(DocRef::Page(i))));
        }
        Job::Stats
        | Job::StatsPlace(_)
        | Job::StatsField(_)
        | Job::SiteFeed
        | Job::Sitemap
        | Job::RedirectMaps
        | Job::OpenData(_)
        // A card's index shifts as documents come and go; drawing is
        // cached by content (src/cards.rs), so re-running it is cheap.
        | Job::Card(_)
        | Job::EmbedIndex => {
            r.push(Read::Job(job));
            r.push(Read::EveryDoc);
        }
        Job::ModelList(n) => {
            r.push(Read::Job(job));
            let len = site.models.len();
            let all = (0..len).map(DocRef::Model);
            r.list(len, page_of(all, n, len, paging));
        }
        Job::CeremonyList(n) => {
            r.push(Read::Job(job));
            let len = site.ceremonies.len();
            let all = (0..len).map(DocRef::Ceremony);
            r.list(len, page_of(all, n, len, paging));
        }
        Job::TaxonomyIndex(a) => {
            r.push(Read::Job(job));
            for t in &tax.list[a].terms {
                r.term(t);
            }
        }
        Job::Term(a, t, n) => {
            let term = &tax.list[a].terms[t];
            r.push(Read::Job(job));
            r.term(term);
            let (len, all) = (term.count(), items(&term.models, &term.ceremonies));
            r.list(len, page_of(all, n, len, paging));
        }
        Job::TermEmbed(a, t) => {
            let term = &tax.list[a].terms[t];
            r.push(Read::Job(job));
            r.term(term);
            let all = items(&term.models, &term.ceremonies);
            r.list(term.count(), all.take(super::browse::EMBED_CARDS));
        }
        Job::TermFeed(a, t) => {
            let term = &tax.list[a].terms[t];
            r.push(Read::Job(job));
            r.term(term);
            r.list(term.count(), items(&term.models, &term.ceremonies));
        }
        Job::PlaceIndex => {
            r.push(Read::Job(job));
            for &root in &places.roots {
                r.place(places, root);
            }
        }
        Job::Place(i, n) => {
            let node = &places.nodes[i];
            r.push(Read::Job(job));
            r.place(places, i);
            let mut up = node.parent;
            while let Some(p) = up {
                r.place(places, p);
                up = places.nodes[p].parent;
            }
            for &c in node.children.iter().chain(&node.predecessors) {
                r.place(places, c);
            }
            if let Some(succ) = node.successor {
                r.place(places, succ);
            }
            let count = node.models.len() + node.ceremonies.len();
            let all = items(&node.models, &node.ceremonies);
            r.list(count, page_of(all, n, count, paging));
        }
        Job::PlaceEmbed(i) => {
            let node = &places.nodes[i];
            r.push(Read::Job(job));
            r.place(places, i);
            let count = node.models.len() + node.ceremonies.len();
            let all = items(&node.models, &node.ceremonies);
            r.list(count, all.take(super::browse::EMBED_CARDS));
        }
        Job::PlaceFeed(i) => {
            let node = &places.nodes[i];
            r.push(Read::Job(job));
            r.place(places, i);
            let count = node.models.len() + node.ceremonies.len();
            r.list(count, items(&node.models, &node.ceremonies));
        }
    }
    r
}

/// Which output a job renders, the same across edits: a document's own
/// page by its file, so that a document moving in the site order (a new
/// date) does not make every page after it look new; any other by the job.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum JobKey {
    Doc(String),
    Job(Job),
}

pub fn key(site: &Site, job: Job) -> JobKey {
    let file = |d: &Doc| JobKey::Doc(d.file.rel_path.clone());
    match job {
        Job::Model(i) => file(&site.models[i].doc),
        Job::Ceremony(i) => file(&site.ceremonies[i].doc),
        Job::Page(i) => file(&site.pages[i].doc),
        other => JobKey::Job(other),
    }
}

/// A document's two digests: what other pages read of it, and all of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DocDigest {
    data: u64,
    whole: u64,
}

impl DocDigest {
    fn of(doc: &Doc) -> Self {
        let f = &doc.file;
        let mut h = StableHasher::default();
        f.rel_path.hash(&mut h);
        f.text[f.front.clone()].hash(&mut h);
        // Set by `link` outside the text (urls.lock keeps an address the
        // front matter no longer gives).
        (&doc.path, &doc.slug, &doc.id, &doc.aliases).hash(&mut h);
        // Taken from the body when not given.
        doc.summary.hash(&mut h);
        // Set by `images::process` outside the text: resized or original,
        // and which resized files (named by the photo's content).
        for img in &doc.images {
            match &img.rendition {
                Some(r) => {
                    true.hash(&mut h);
                    r.og.hash(&mut h);
                    for (_, to) in &r.files {
                        to.hash(&mut h);
                    }
                }
                None => false.hash(&mut h),
            }
        }
        let data = h.finish();
        f.body().hash(&mut h);
        Self {
            data,
            whole: h.finish(),
        }
    }
}

/// Document digests remembered by file, so that after an edit only the
/// changed files are hashed again. Holding the `Arc` means a remembered
/// digest can only match the very text it was made from.
#[derive(Default)]
pub struct DocDigests {
    by_file: HashMap<String, (Arc<SourceFile>, DocDigest)>,
}

impl DocDigests {
    /// The digest made for this very text, if any.
    fn remembered(&self, doc: &Doc) -> Option<DocDigest> {
        let f = &doc.file;
        // A document read again has a new `Arc`, and its photos are
        // processed when it is read: the same `Arc`, the same photos.
        let (cached, d) = self.by_file.get(&f.rel_path)?;
        Arc::ptr_eq(cached, f).then_some(*d)
    }

    /// The digests of every document of `site`, ready to number its jobs'
    /// reads; forgets files no longer in it. `loaded` stands for the
    /// settings and the theme: whatever tells the caller they changed
    /// (`serve` counts its full builds, which alone load them again).
    pub fn of<'s>(&mut self, site: &'s Site, loaded: Loaded) -> Digests<'s> {
        let docs: Vec<&Doc> = site.docs().collect();
        // Hashing reads every text: on all cores (a build has no digest
        // remembered, and at 10,000 models one core took 0.1 s).
        let made: Vec<(DocDigest, bool)> = docs
            .par_iter()
            .map(|d| match self.remembered(d) {
                Some(digest) => (digest, false),
                None => (DocDigest::of(d), true),
            })
            .collect();
        for (d, &(digest, new)) in docs.iter().zip(&made) {
            if new {
                self.by_file
                    .insert(d.file.rel_path.clone(), (Arc::clone(&d.file), digest));
            }
        }
        if self.by_file.len() > docs.len() {
            let live: std::collections::HashSet<&str> =
                docs.iter().map(|d| d.file.rel_path.as_str()).collect();
            self.by_file.retain(|k, _| live.contains(k.as_str()));
        }
        let mut digests = made.into_iter().map(|(d, _)| d);
        let models: Vec<DocDigest> = digests.by_ref().take(site.models.len()).collect();
        let ceremonies: Vec<DocDigest> = digests.by_ref().take(site.ceremonies.len()).collect();
        let pages: Vec<DocDigest> = digests.collect();
        let mut every = StableHasher::default();
        for d in models.iter().chain(&ceremonies).chain(&pages) {
            d.data.hash(&mut every);
        }
        (models.len(), ceremonies.len(), pages.len()).hash(&mut every);
        Digests {
            site,
            models,
            ceremonies,
            pages,
            every: every.finish(),
            loaded,
        }
    }
}

/// Digests of the settings and the theme, as the caller knows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loaded {
    pub config: u64,
    pub theme: u64,
}

/// The digests of one site's documents.
pub struct Digests<'s> {
    site: &'s Site,
    models: Vec<DocDigest>,
    ceremonies: Vec<DocDigest>,
    pages: Vec<DocDigest>,
    every: u64,
    loaded: Loaded,
}

impl Digests<'_> {
    fn doc(&self, d: DocRef) -> DocDigest {
        match d {
            DocRef::Model(i) => self.models[i],
            DocRef::Ceremony(i) => self.ceremonies[i],
            DocRef::Page(i) => self.pages[i],
        }
    }

    /// One number that changes whenever anything `reads` names changes.
    pub fn number(&self, reads: &Reads) -> u64 {
        let mut h = StableHasher::default();
        for read in &reads.0 {
            std::mem::discriminant(read).hash(&mut h);
            match read {
                Read::Config => self.loaded.config.hash(&mut h),
                Read::Theme => self.loaded.theme.hash(&mut h),
                Read::Whole(d) => self.doc(*d).whole.hash(&mut h),
                Read::Data(d) => self.doc(*d).data.hash(&mut h),
                Read::EveryDoc => self.every.hash(&mut h),
                // Named by value.
                other => other.hash(&mut h),
            }
        }
        h.finish()
    }

    /// The number of what `job` reads.
    pub fn of_job(&self, job: Job) -> u64 {
        self.number(&reads(self.site, job))
    }
}
