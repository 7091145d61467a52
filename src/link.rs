//! Stage 2b–3: checks that span documents (one URL, id or alias for two
//! documents; references to documents that do not exist) and resolves
//! references both ways into the immutable [`Site`].

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::{Ceremony, Doc, Honour, Model, Page, Reference, Relations, Site};
use crate::text::closest;
use crate::validate::Document;

/// Whether the generator itself writes `path` (lowercased, site-relative):
/// section list pages and their pagination, and whole folders of its own.
fn is_reserved(config: &Config, path: &str) -> bool {
    let sections = [&config.sections.models, &config.sections.ceremonies];
    if sections
        .iter()
        .any(|s| path == format!("{s}/") || path.starts_with(&format!("{s}/trang/")))
    {
        return true;
    }
    let top = path.split('/').next().unwrap_or("");
    crate::taxonomy::Axis::ALL.iter().any(|a| a.slug() == top)
        || [
            "m", "dia-ban", "thong-ke", "du-lieu", "nhung", "tim-kiem", "_search",
        ]
        .contains(&top)
}

pub fn link(
    config: Config,
    root: PathBuf,
    docs: Vec<Document>,
    include_drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut models = Vec::new();
    let mut ceremonies = Vec::new();
    let mut pages = Vec::new();
    let mut drafts: Vec<String> = Vec::new();
    for d in docs {
        let (draft, slug) = match &d {
            Document::Model(m) => (m.doc.draft, &m.doc.slug),
            Document::Ceremony(c) => (c.doc.draft, &c.doc.slug),
            Document::Page(p) => (p.doc.draft, &p.doc.slug),
        };
        if draft && !include_drafts {
            drafts.push(slug.to_lowercase());
            continue;
        }
        match d {
            Document::Model(m) => models.push(m),
            Document::Ceremony(c) => ceremonies.push(c),
            Document::Page(p) => pages.push(p),
        }
    }
    sort_docs(&mut models, |m| &m.doc);
    sort_docs(&mut ceremonies, |c| &c.doc);
    pages.sort_by(|a: &Page, b: &Page| a.doc.path.cmp(&b.doc.path));

    let mut diagnostics = collisions(&config, &models, &ceremonies, &pages);
    let mut relations = resolve(&models, &ceremonies, &drafts, &mut diagnostics);
    relations.related = crate::related::related(&models);
    let taxonomies = crate::taxonomy::build(&config, &models, &ceremonies);
    let site = Site {
        config,
        root,
        models,
        ceremonies,
        pages,
        relations,
        taxonomies,
    };
    (site, diagnostics)
}

/// Newest first, then by title and path so the order never depends on disk.
fn sort_docs<T>(items: &mut [T], doc: impl Fn(&T) -> &Doc) {
    items.sort_by(|a, b| {
        let (a, b) = (doc(a), doc(b));
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// The short-link key: the permanent id, else the slug (DESIGN §4).
pub fn short_key(doc: &Doc) -> &str {
    doc.id.as_deref().unwrap_or(&doc.slug)
}

fn collisions(
    config: &Config,
    models: &[Model],
    ceremonies: &[Ceremony],
    pages: &[Page],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // Compared lowercased: on Windows and macOS file systems `A/` and `a/`
    // are one folder, so one would silently overwrite the other.
    let mut urls: HashMap<String, &Doc> = HashMap::new();
    let all_docs = models
        .iter()
        .map(|m| &m.doc)
        .chain(ceremonies.iter().map(|c| &c.doc))
        .chain(pages.iter().map(|p| &p.doc));
    let mut ordered: Vec<&Doc> = all_docs.collect();
    ordered.sort_by(|a, b| a.file.rel_path.cmp(&b.file.rel_path));
    for doc in &ordered {
        // A model or ceremony page is written by its section; pages and
        // aliases may not take an address the generator writes.
        let in_own_section = !is_page(doc, pages);
        let mut claim = |url: &str, at: &str, what: &str, own: bool| {
            let key = url.to_lowercase();
            if !own && is_reserved(config, &key) {
                diagnostics.push(
                    located(
                        doc,
                        at,
                        Code::DuplicateUrl,
                        format!("{what} /{url} is used by the site itself"),
                    )
                    .help("choose another file name, slug or alias"),
                );
            } else if let Some(first) = urls.get(&key) {
                diagnostics.push(
                    located(doc, at, Code::DuplicateUrl, format!("{what} /{url} is already taken by {}", first.file.rel_path))
                        .label("second document on the same address")
                        .help("give one of the two another slug (`slug:`) or alias; URLs are compared ignoring letter case"),
                );
            } else {
                urls.insert(key, doc);
            }
        };
        claim(&doc.path, "slug", "URL", in_own_section);
        for (i, alias) in doc.aliases.iter().enumerate() {
            claim(alias, &format!("aliases.{i}"), "alias", false);
        }
    }
    let mut ids: HashMap<String, &Doc> = HashMap::new();
    for doc in ordered.iter().filter(|d| !is_page(d, pages)) {
        let key = short_key(doc).to_lowercase();
        if let Some(first) = ids.get(&key) {
            diagnostics.push(
                located(doc, "id", Code::DuplicateId, format!("id `{key}` is already used by {}", first.file.rel_path))
                    .label("duplicate id")
                    .help("ids are permanent short links (/m/<id>/) and must be unique across models and ceremonies; give this document another id"),
            );
        } else {
            ids.insert(key, doc);
        }
    }
    diagnostics
}

fn is_page(doc: &Doc, pages: &[Page]) -> bool {
    pages.iter().any(|p| std::ptr::eq(&p.doc, doc))
}

fn located(doc: &Doc, at: &str, code: Code, message: String) -> Diagnostic {
    let (offset, len) = doc.file.locate(at);
    Diagnostic::error(code, &doc.file.rel_path, message).at(&doc.file.text, offset, len)
}

/// Finds documents by slug or id, case-insensitively.
struct Lookup<'a> {
    by_key: HashMap<String, usize>,
    slugs: Vec<&'a str>,
}

impl<'a> Lookup<'a> {
    fn new(docs: impl Iterator<Item = &'a Doc>) -> Self {
        let mut by_key = HashMap::new();
        let mut slugs = Vec::new();
        for (i, d) in docs.enumerate() {
            by_key.insert(d.slug.to_lowercase(), i);
            if let Some(id) = &d.id {
                by_key.entry(id.to_lowercase()).or_insert(i);
            }
            slugs.push(d.slug.as_str());
        }
        Self { by_key, slugs }
    }

    fn find(&self, target: &str) -> Option<usize> {
        self.by_key.get(&target.to_lowercase()).copied()
    }
}

fn resolve(
    models: &[Model],
    ceremonies: &[Ceremony],
    drafts: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Relations {
    let model_lookup = Lookup::new(models.iter().map(|m| &m.doc));
    let ceremony_lookup = Lookup::new(ceremonies.iter().map(|c| &c.doc));

    let mut rel = Relations {
        honoured_by: vec![Vec::new(); models.len()],
        replicated_from: vec![Vec::new(); models.len()],
        replicated_to: vec![Vec::new(); models.len()],
        recognised_at: vec![Vec::new(); ceremonies.len()],
        ..Relations::default()
    };
    for (ci, c) in ceremonies.iter().enumerate() {
        let mut row = Vec::with_capacity(c.honorees.len());
        for h in &c.honorees {
            let target = h.model.as_ref().and_then(|r| {
                let found = model_lookup.find(&r.target);
                if found.is_none() {
                    diagnostics.push(broken(&c.doc, r, "model", &model_lookup, drafts));
                }
                found
            });
            if let Some(mi) = target {
                add_honour(&mut rel.honoured_by[mi], ci, h.award);
            }
            row.push(target);
        }
        rel.honoree_models.push(row);
    }
    for (mi, m) in models.iter().enumerate() {
        let mut row = Vec::with_capacity(m.recognitions.len());
        for r in &m.recognitions {
            let target = r.ceremony.as_ref().and_then(|c| {
                let found = ceremony_lookup.find(&c.target);
                if found.is_none() {
                    diagnostics.push(broken(&m.doc, c, "ceremony", &ceremony_lookup, drafts));
                }
                found
            });
            if let Some(ci) = target {
                add_honour(&mut rel.honoured_by[mi], ci, r.award);
                let listed = rel.honoree_models[ci].contains(&Some(mi));
                if !listed && !rel.recognised_at[ci].iter().any(|(m, _)| *m == mi) {
                    rel.recognised_at[ci].push((mi, r.award));
                }
            }
            row.push(target);
        }
        rel.recognition_ceremonies.push(row);
        for r in &m.replicated_from {
            match model_lookup.find(&r.target) {
                Some(src) if src != mi => {
                    rel.replicated_from[mi].push(src);
                    rel.replicated_to[src].push(mi);
                }
                Some(_) => diagnostics.push(
                    located(
                        &m.doc,
                        &r.at,
                        Code::BrokenReference,
                        "a model cannot be replicated from itself".into(),
                    )
                    .help("name the model this one was copied from"),
                ),
                None => diagnostics.push(broken(&m.doc, r, "model", &model_lookup, drafts)),
            }
        }
    }
    // Ceremonies were visited newest first; show them that way on each model.
    for honours in &mut rel.honoured_by {
        honours.sort_by_key(|h| h.ceremony);
    }
    rel
}

/// A reference to nothing (or to a draft), with the closest slug suggested.
fn broken(doc: &Doc, r: &Reference, what: &str, lookup: &Lookup, drafts: &[String]) -> Diagnostic {
    let (message, help) = if drafts.contains(&r.target.to_lowercase()) {
        (
            format!("{what} `{}` is a draft and is not published", r.target),
            "publish it (`draft: false`) or remove this reference".to_string(),
        )
    } else {
        let help = match closest(&r.target, lookup.slugs.iter().copied()) {
            Some(s) => {
                format!("did you mean `{s}`? References use the file name (slug) or the `id`")
            }
            None => format!("no {what} has this slug or id; check content/ for the file name"),
        };
        (format!("no {what} `{}` exists", r.target), help)
    };
    located(doc, &r.at, Code::BrokenReference, message)
        .label(format!("unknown {what}"))
        .help(help)
}

/// One entry per ceremony: the same ceremony may be named by its honoree
/// list and by the model's recognitions.
fn add_honour(list: &mut Vec<Honour>, ceremony: usize, award: Option<crate::vocab::TermId>) {
    match list.iter_mut().find(|h| h.ceremony == ceremony) {
        Some(h) => h.award = h.award.or(award),
        None => list.push(Honour { ceremony, award }),
    }
}
