//! Internal link checking for `check`: every Markdown link or image that
//! stays on this site must reach a file the build writes, and every
//! `#anchor` an id on the target page.
//!
//! Targets are checked against the rendered pages themselves (not a guess
//! of what the build writes), so heading ids are exactly those
//! [`crate::markdown`] gives and any page a template adds counts.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};

use crate::core::Output;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::{Doc, Site};
use crate::tr;

/// What the built site holds: rendered files (for pages, the ids they
/// hold) and copied files (static files and images). Only what a link
/// can point at is kept, not the pages' HTML: `check` at 10,000 models held
/// a gigabyte of rendered pages for this.
pub struct Published {
    pages: HashMap<String, Arc<HashSet<String>>>,
    copied: HashSet<String>,
}

/// The rendered files as [`Published`] keeps them, gathered page by page:
/// each path, and the ids of a page. Pages with the same ids share one set
/// (every model page has the same few), so at 100,000 pages the sets cost
/// a few kilobytes rather than a set a page.
#[derive(Default)]
pub struct Targets {
    pages: Vec<(String, Arc<HashSet<String>>)>,
    sets: HashMap<Vec<String>, Arc<HashSet<String>>>,
}

/// The ids of a rendered file (none but a page's), sorted: the key
/// [`Targets`] shares sets by. Apart from [`Targets::add`] so it is read
/// outside any lock.
pub fn ids_of(o: &Output) -> Vec<String> {
    if !o.html {
        return Vec::new();
    }
    let mut ids: Vec<String> = html_ids(&String::from_utf8_lossy(&o.bytes))
        .into_iter()
        .collect();
    ids.sort_unstable();
    ids
}

impl Targets {
    /// Notes the file at `path` with the ids [`ids_of`] read in it.
    pub fn add(&mut self, path: String, ids: Vec<String>) {
        let set = match self.sets.get(&ids) {
            Some(set) => Arc::clone(set),
            None => {
                let set = Arc::new(ids.iter().cloned().collect::<HashSet<String>>());
                self.sets.insert(ids, Arc::clone(&set));
                set
            }
        };
        self.pages.push((path, set));
    }
}

impl Published {
    pub fn new<'c>(rendered: Targets, copied: impl IntoIterator<Item = &'c str>) -> Self {
        Self {
            pages: rendered.pages.into_iter().collect(),
            copied: copied.into_iter().map(str::to_string).collect(),
        }
    }

    /// The published file a site path names (`a/` → `a/index.html`,
    /// `m/k7p2m` → `m/k7p2m.html`).
    fn file(&self, path: &str) -> Option<String> {
        crate::urls::files_answering(path)
            .into_iter()
            .find(|c| self.pages.contains_key(c.as_str()) || self.copied.contains(c.as_str()))
    }

    fn ids(&self, file: &str) -> Arc<HashSet<String>> {
        self.pages.get(file).cloned().unwrap_or_default()
    }
}

/// Every `id` attribute of an HTML page, quoted or not.
fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=") {
        rest = &rest[i + 4..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        ids.insert(value.to_string());
    }
    ids
}

/// Checks the links of every document of the site.
pub fn check(site: &Site, published: &Published) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in site.docs() {
        out.extend(check_doc(site, doc, published));
    }
    out
}

fn check_doc(site: &Site, doc: &Doc, published: &Published) -> Vec<Diagnostic> {
    let file = &doc.file;
    let body = file.body();
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, pulldown_cmark::Options::all()).into_offset_iter() {
        let (dest, image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        let Some(problem) = check_link(site, doc, &dest, image, published) else {
            continue;
        };
        // Point at the address itself when it is written inline.
        let span = &body[range.clone()];
        let (offset, len) = match span.find(dest.as_str()).filter(|_| !dest.is_empty()) {
            Some(i) => (file.body.start + range.start + i, dest.len()),
            None => (file.body.start + range.start, range.len()),
        };
        out.push(
            problem
                .diagnostic(&file.rel_path)
                .at(&file.text, offset, len),
        );
    }
    out
}

enum Problem {
    /// No published file at this address; maybe a known document matches.
    Missing {
        dest: String,
        image: bool,
        suggestion: Option<String>,
    },
    /// A link to the `.md` source instead of the page.
    Source { dest: String, page: Option<String> },
    /// The page exists but has no such id.
    Anchor {
        dest: String,
        anchor: String,
        suggestion: Option<String>,
    },
    /// The link repeats the site's path prefix, which the build adds itself.
    DoubleRoot { dest: String, root: String },
}

impl Problem {
    fn diagnostic(self, rel: &str) -> Diagnostic {
        match self {
            Problem::Missing {
                dest,
                image,
                suggestion,
            } => {
                let (vi, en) = if image {
                    ("ảnh", "image")
                } else {
                    ("liên kết", "link")
                };
                let message = tr!(
                    "{vi} `{dest}` trỏ tới một địa chỉ không có trong trang",
                    "{en} `{dest}` points to no page of this site"
                );
                let help = match suggestion {
                    Some(s) => tr!("có phải ý bạn là `{s}`?", "did you mean `{s}`?"),
                    None if image => tr!(
                        "ảnh trong bài phải nằm trong static/ (viết `/ten-anh.jpg`) hoặc được khai báo trong `images:`",
                        "put the picture under static/ (and write `/name.jpg`) or list it in `images:`"
                    ),
                    None => tr!(
                        "viết địa chỉ trang như `/mo-hinh/ten-mo-hinh/` (bắt đầu bằng /, kết thúc bằng /)",
                        "write the page's address like `/mo-hinh/model-slug/` (starting and ending with /)"
                    ),
                };
                Diagnostic::error(Code::BrokenLink, rel, message)
                    .label(tr!("không tìm thấy", "not found"))
                    .help(help)
            }
            Problem::Source { dest, page } => {
                let message = tr!(
                    "liên kết `{dest}` trỏ tới tệp nguồn .md, không phải trang web",
                    "link `{dest}` points to a .md source file, not a page"
                );
                let help = match page {
                    Some(p) => tr!("viết `{p}`", "write `{p}`"),
                    None => tr!(
                        "viết địa chỉ của trang, ví dụ `/mo-hinh/ten-mo-hinh/`",
                        "write the page's address, e.g. `/mo-hinh/model-slug/`"
                    ),
                };
                Diagnostic::error(Code::BrokenLink, rel, message).help(help)
            }
            Problem::Anchor {
                dest,
                anchor,
                suggestion,
            } => {
                let message = tr!(
                    "trang của liên kết `{dest}` không có mục `#{anchor}`",
                    "the page of link `{dest}` has no section `#{anchor}`"
                );
                let help = match suggestion {
                    Some(s) => tr!(
                        "có phải ý bạn là `#{s}`? Mã mục lấy từ tiêu đề: “## Kết quả” → `#ket-qua`",
                        "did you mean `#{s}`? Section ids come from headings: “## Kết quả” → `#ket-qua`"
                    ),
                    None => tr!(
                        "mã mục lấy từ tiêu đề, viết thường, không dấu: “## Kết quả” → `#ket-qua`",
                        "section ids come from headings, lowercase without diacritics: “## Kết quả” → `#ket-qua`"
                    ),
                };
                Diagnostic::error(Code::BrokenAnchor, rel, message)
                    .label(tr!("không có mục này", "no such section"))
                    .help(help)
            }
            Problem::DoubleRoot { dest, root } => {
                let fixed = format!("/{}", dest.strip_prefix(&root).unwrap_or(&dest));
                let message = tr!(
                    "liên kết `{dest}` lặp lại đường dẫn gốc `{root}` mà dienhinh tự thêm vào",
                    "link `{dest}` repeats the site prefix `{root}`, which dienhinh adds itself"
                );
                Diagnostic::error(Code::BrokenLink, rel, message)
                    .help(tr!("viết `{fixed}`", "write `{fixed}`"))
            }
        }
    }
}

/// `None` when the link is fine or leaves the site.
fn check_link(
    site: &Site,
    doc: &Doc,
    dest: &str,
    image: bool,
    published: &Published,
) -> Option<Problem> {
    let dest = dest.trim();
    let config = &site.config;
    let local = if let Some(rest) = dest.strip_prefix(config.base_url.as_str()) {
        format!("/{rest}")
    } else if dest.contains(':') || dest.starts_with("//") {
        // Another site, mail or phone; unsafe schemes are neutralised by
        // the Markdown renderer.
        return None;
    } else {
        dest.to_string()
    };
    let (path_part, anchor) = match local.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (local.as_str(), None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let path_part = percent_decode(path_part);
    let target = if path_part.is_empty() {
        Some(doc.path.clone())
    } else if let Some(abs) = path_part.strip_prefix('/') {
        Some(abs.to_string())
    } else {
        join(&doc.path, &path_part)
    };
    let Some(target) = target else {
        return Some(Problem::Missing {
            dest: dest.into(),
            image,
            suggestion: None,
        });
    };
    if target.ends_with(".md") {
        return Some(Problem::Source {
            dest: dest.into(),
            page: source_page(site, doc, &path_part),
        });
    }
    let Some(file) = published.file(&target) else {
        let root = config.root.trim_start_matches('/');
        if !root.is_empty()
            && target.starts_with(root)
            && published.file(&target[root.len()..]).is_some()
        {
            return Some(Problem::DoubleRoot {
                dest: dest.into(),
                root: config.root.clone(),
            });
        }
        return Some(Problem::Missing {
            dest: dest.into(),
            image,
            suggestion: suggest_page(site, &target),
        });
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let anchor = percent_decode(anchor);
    let ids = published.ids(&file);
    if ids.contains(&anchor) {
        return None;
    }
    let suggestion =
        crate::text::closest(&anchor, ids.iter().map(String::as_str)).map(str::to_owned);
    Some(Problem::Anchor {
        dest: dest.into(),
        anchor,
        suggestion,
    })
}

/// `base` is a directory path like `mo-hinh/a/`; `None` if `rel` climbs
/// above the site.
fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = rel.ends_with('/');
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The page of a `.md` file named relative to the linking document's file
/// (or to `content/` when it starts with `/`).
fn source_page(site: &Site, doc: &Doc, md: &str) -> Option<String> {
    let dir = doc.file.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = match md.strip_prefix('/') {
        Some(abs) if abs.starts_with("content/") => Some(abs.to_string()),
        Some(abs) => Some(format!("content/{abs}")),
        None => join(&format!("{dir}/"), md),
    }?;
    site.docs()
        .find(|d| d.file.rel_path == rel)
        .map(|d| format!("/{}", d.path))
}

/// The address of the document whose slug is closest to the link's last
/// segment: the usual mistake is a misspelt or renamed slug.
fn suggest_page(site: &Site, target: &str) -> Option<String> {
    let last = target.trim_end_matches('/').rsplit('/').next()?;
    let slugs: Vec<&str> = site.docs().map(|d| d.slug.as_str()).collect();
    let best = crate::text::closest(last, slugs.iter().copied())?;
    site.docs()
        .find(|d| d.slug == best)
        .map(|d| format!("/{}", d.path))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join("mo-hinh/a/", "../b/").as_deref(), Some("mo-hinh/b/"));
        assert_eq!(
            join("mo-hinh/a/", "../../tuyen-duong/x/").as_deref(),
            Some("tuyen-duong/x/")
        );
        assert_eq!(join("a/", "../../x"), None);
        assert_eq!(join("a/", "anh.jpg").as_deref(), Some("a/anh.jpg"));
    }

    #[test]
    fn finds_ids_quoted_or_not() {
        let ids = html_ids("<h2 id=\"ket-qua\">x</h2><h3 id=cach>y</h3><p id='z'>");
        assert!(ids.contains("ket-qua") && ids.contains("cach") && ids.contains("z"));
    }
}
