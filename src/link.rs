//! Stage 2b–3: checks that span documents (one URL, id or alias for two
//! documents; references to documents that do not exist) and resolves
//! references both ways into the immutable [`Site`].

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::failed::FailedDocs;
use crate::load::Section;
use crate::site::{Ceremony, Doc, Honour, Model, Page, Reference, Relations, Site};
use crate::text::closest;
use crate::tr;
use crate::urls::short_key;
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
        || crate::urls::RESERVED.contains(&top)
}

pub fn link(
    config: Config,
    root: PathBuf,
    docs: Vec<Document>,
    include_drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    link_knowing(config, root, docs, include_drafts, &FailedDocs::default())
}

/// [`link`], knowing the documents that failed to load or validate: a
/// reference to one of them is not reported as broken, since its own
/// error is the one to fix.
pub fn link_knowing(
    config: Config,
    root: PathBuf,
    docs: Vec<Document>,
    include_drafts: bool,
    failed: &FailedDocs,
) -> (Site, Vec<Diagnostic>) {
    let mut lap = crate::core::timing::Lap::within("link/");
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
    lap.mark("sort");

    let mut diagnostics = collisions(&config, &models, &ceremonies, &pages);
    lap.mark("collisions");
    let mut relations = resolve(&models, &ceremonies, &drafts, failed, &mut diagnostics);
    lap.mark("resolve");
    relations.related = crate::related::related(&models);
    lap.mark("related");
    let taxonomies = crate::classify::build(&config, &models, &ceremonies);
    lap.mark("taxonomies");
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
/// The documents are large: their order is found on references and they
/// are moved once.
fn sort_docs<T>(items: &mut Vec<T>, doc: impl Fn(&T) -> &Doc + Sync)
where
    T: Sync,
{
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (a, b) = (doc(&items[a]), doc(&items[b]));
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
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
        let mut claim = |url: &str, at: &str, (vi, en): (&str, &str), own: bool| {
            let key = url.to_lowercase();
            if !own && is_reserved(config, &key) {
                diagnostics.push(
                    located(
                        doc,
                        at,
                        Code::DuplicateUrl,
                        tr!(
                            "{vi} /{url} đã được chính trang web dùng",
                            "{en} /{url} is used by the site itself"
                        ),
                    )
                    .help(tr!(
                        "chọn tên tệp, slug hoặc địa chỉ cũ (alias) khác",
                        "choose another file name, slug or alias"
                    )),
                );
            } else if let Some(first) = urls.get(&key) {
                let other = &first.file.rel_path;
                diagnostics.push(
                    located(
                        doc,
                        at,
                        Code::DuplicateUrl,
                        tr!(
                            "{vi} /{url} đã thuộc về {other}",
                            "{en} /{url} is already taken by {other}"
                        ),
                    )
                    .label(tr!(
                        "tài liệu thứ hai trên cùng địa chỉ",
                        "second document on the same address"
                    ))
                    .help(tr!(
                        "đặt cho một trong hai tài liệu slug (`slug:`) hoặc alias khác; địa chỉ được so sánh không phân biệt chữ hoa, chữ thường",
                        "give one of the two another slug (`slug:`) or alias; URLs are compared ignoring letter case"
                    )),
                );
            } else {
                urls.insert(key, doc);
            }
        };
        claim(&doc.path, "slug", ("Địa chỉ", "URL"), in_own_section);
        for (i, alias) in doc.aliases.iter().enumerate() {
            claim(
                alias,
                &format!("aliases.{i}"),
                ("Địa chỉ cũ (alias)", "alias"),
                false,
            );
        }
    }
    let mut ids: HashMap<String, &Doc> = HashMap::new();
    for doc in ordered.iter().filter(|d| !is_page(d, pages)) {
        let key = short_key(doc).to_lowercase();
        if let Some(first) = ids.get(&key) {
            let other = &first.file.rel_path;
            diagnostics.push(
                located(
                    doc,
                    "id",
                    Code::DuplicateId,
                    tr!(
                        "mã `{key}` đã được dùng ở {other}",
                        "id `{key}` is already used by {other}"
                    ),
                )
                .label(tr!("trùng mã", "duplicate id"))
                .help(tr!(
                    "mã là đường dẫn ngắn cố định (/m/<id>) nên không được trùng giữa các mô hình và buổi tuyên dương; hãy đặt mã khác cho tài liệu này",
                    "ids are permanent short links (/m/<id>) and must be unique across models and ceremonies; give this document another id"
                )),
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

fn located(doc: &Doc, at: &str, code: Code, message: Text) -> Diagnostic {
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
    failed: &FailedDocs,
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
                    diagnostics.extend(broken(&c.doc, r, MODEL, &model_lookup, drafts, failed));
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
                    let at = &ceremony_lookup;
                    diagnostics.extend(broken(&m.doc, c, CEREMONY, at, drafts, failed));
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
                        tr!(
                            "một mô hình không thể được nhân rộng từ chính nó",
                            "a model cannot be replicated from itself"
                        ),
                    )
                    .help(tr!(
                        "ghi mô hình gốc mà mô hình này học theo",
                        "name the model this one was copied from"
                    )),
                ),
                None => diagnostics.extend(broken(&m.doc, r, MODEL, &model_lookup, drafts, failed)),
            }
        }
    }
    // Ceremonies were visited newest first; show them that way on each model.
    for honours in &mut rel.honoured_by {
        honours.sort_by_key(|h| h.ceremony);
    }
    rel
}

/// What a reference points at, in Vietnamese and English, and its section.
const MODEL: (&str, &str, Section) = ("mô hình", "model", Section::Model);
const CEREMONY: (&str, &str, Section) = ("buổi tuyên dương", "ceremony", Section::Ceremony);

/// A reference to nothing (or to a draft), with the closest slug suggested.
/// `None` when it names a document left out for an error of its own: that
/// error is the one to fix, and the reference is fine.
fn broken(
    doc: &Doc,
    r: &Reference,
    (vi, en, section): (&str, &str, Section),
    lookup: &Lookup,
    drafts: &[String],
    failed: &FailedDocs,
) -> Option<Diagnostic> {
    let target = &r.target;
    if failed.named(section, target).is_some() {
        return None;
    }
    let (message, help) = if drafts.contains(&target.to_lowercase()) {
        (
            tr!(
                "{vi} `{target}` là bản nháp, chưa được đăng",
                "{en} `{target}` is a draft and is not published"
            ),
            tr!(
                "đăng nó (`draft: false`) hoặc bỏ tham chiếu này",
                "publish it (`draft: false`) or remove this reference"
            ),
        )
    } else if let Some(f) = failed.unreadable_in(section) {
        // Its id or slug could not be read: this may well be it.
        let at = &f.at;
        (
            tr!(
                "không có {vi} nào là `{target}`, có lẽ vì lỗi ở {at}",
                "no {en} `{target}` exists, probably because of the error at {at}"
            ),
            tr!(
                "sửa lỗi ở {at} trước; nếu sau đó vẫn báo lỗi này, hãy xem lại tên tệp (slug) hoặc mã `id` được tham chiếu",
                "fix the error at {at} first; if this is still reported then, check the file name (slug) or `id` referred to"
            ),
        )
    } else {
        let help = match closest(target, lookup.slugs.iter().copied()) {
            Some(s) => tr!(
                "có phải ý bạn là `{s}`? Tham chiếu dùng tên tệp (slug) hoặc mã `id`",
                "did you mean `{s}`? References use the file name (slug) or the `id`"
            ),
            None => tr!(
                "không có {vi} nào mang slug hoặc mã này; hãy xem tên tệp trong content/",
                "no {en} has this slug or id; check content/ for the file name"
            ),
        };
        (
            tr!(
                "không có {vi} nào là `{target}`",
                "no {en} `{target}` exists"
            ),
            help,
        )
    };
    Some(
        located(doc, &r.at, Code::BrokenReference, message)
            .label(tr!("{vi} không tồn tại", "unknown {en}"))
            .help(help),
    )
}

/// One entry per ceremony: the same ceremony may be named by its honoree
/// list and by the model's recognitions.
fn add_honour(list: &mut Vec<Honour>, ceremony: usize, award: Option<crate::vocab::TermId>) {
    match list.iter_mut().find(|h| h.ceremony == ceremony) {
        Some(h) => h.award = h.award.or(award),
        None => list.push(Honour { ceremony, award }),
    }
}
