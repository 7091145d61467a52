//! Every address the site writes that is not a document's own: the short
//! links, the place tree, statistics, open data, embeds and search. Pages,
//! the collision check, `urls.lock`, the sitemap, redirects and `serve` ask
//! here, so a page under a new prefix cannot escape the check that keeps
//! documents off the site's own addresses (`RESERVED`).
//!
//! Paths are site-relative, without a leading slash. A path ending with
//! `/` is a folder whose page is its `index.html`; a last segment without
//! a dot is a page written as `<path>.html`, which static hosts serve at
//! the path itself (GitHub, GitLab and Cloudflare Pages, Netlify; nginx
//! with the `try_files` line of docs/deploy.md): short links and a list's
//! later pages, ten thousands of them on a large site, each one file
//! instead of a file in a folder of its own ([`page_file`]).

use crate::site::Doc;

/// Short links printed under QR codes: `m/<id>` (written `m/<id>.html`).
const SHORT: &str = "m";
/// Their folder, which robots.txt asks crawlers to skip.
pub const SHORT_LINKS: &str = "m/";
/// The place tree: `dia-ban/<tỉnh>/<huyện>/`.
pub const PLACES: &str = "dia-ban/";
/// Statistics: `thong-ke/`, by field and by province below it.
pub const STATS: &str = "thong-ke/";
/// Open data: the page and its files.
pub const OPEN_DATA: &str = "du-lieu/";
/// Bare lists for another site's `<iframe>`.
const EMBED: &str = "nhung";
/// The page listing what other sites can embed: `nhung/`.
pub const EMBED_INDEX: &str = "nhung/";
/// The search page.
pub const SEARCH_PAGE: &str = "tim-kiem/";
/// The static search index's folder, and its files under it.
pub const SEARCH_DIR: &str = "_search";
pub const SEARCH_FILES: &str = "_search/";
/// The folder of a list's later pages: `<list>/trang/2` (`trang/2.html`).
const LIST_PAGE: &str = "trang";
/// Link-preview cards (src/cards.rs): `chia-se/<name>-<key>.png`.
const SHARE_CARDS: &str = "chia-se";
/// The whole site's Atom feed.
pub const SITE_FEED: &str = "atom.xml";

/// The Atom feed of a term or place page (`linh-vuc/kinh-te/atom.xml`).
pub fn feed_of(page: &str) -> String {
    format!("{page}{SITE_FEED}")
}

/// First path segments the site's own pages take (besides the taxonomies'
/// and the sections', which come from the vocabularies and `site.yaml`):
/// no document, slug or alias may use one.
pub const RESERVED: [&str; 8] = [
    SHORT,
    "dia-ban",
    "thong-ke",
    "du-lieu",
    EMBED,
    "tim-kiem",
    SEARCH_DIR,
    SHARE_CARDS,
];

/// The key of a document's short link: its permanent id, else its slug
/// (README.md § Content schema).
pub fn short_key(doc: &Doc) -> &str {
    doc.id.as_deref().unwrap_or(&doc.slug)
}

/// Every document with a page, and whether it has a short link (models
/// and ceremonies do, plain pages do not).
pub fn documents(site: &crate::site::Site) -> impl Iterator<Item = (&Doc, bool)> {
    site.models
        .iter()
        .map(|m| (&m.doc, true))
        .chain(site.ceremonies.iter().map(|c| (&c.doc, true)))
        .chain(site.pages.iter().map(|p| (&p.doc, false)))
}

/// `m/<key>`, the short link of a document.
pub fn short_link(doc: &Doc) -> String {
    short_link_of(short_key(doc))
}

/// `m/<key>` for a short-link key.
///
/// Short links were folders, `m/<key>/`, until 2026-12, and codes printed
/// then carry that form: it is still answered, by a redirect rule
/// (`_redirects`, the nginx map: src/render/feeds.rs) or by the 404 page's
/// forward (themes/default/templates/404.html), and `urls.lock` still
/// counts it as published (src/urls_lock.rs, `answered`).
pub fn short_link_of(key: &str) -> String {
    format!("{SHORT}/{key}")
}

/// The file a page at `path` is written to: `a/` → `a/index.html`,
/// `m/k7p2m` → `m/k7p2m.html`, `404.html` as it is.
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else if is_extensionless(path) {
        format!("{path}.html")
    } else {
        path.to_string()
    }
}

/// The files that can answer the address `path`, most likely first (as a
/// static host looks for them): `a/` → `a/index.html`; `a` → `a`,
/// `a.html`, `a/index.html`.
pub fn files_answering(path: &str) -> Vec<String> {
    if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![
            path.to_string(),
            format!("{path}.html"),
            format!("{path}/index.html"),
        ]
    }
}

/// The address a published file answers at: `a/index.html` → `a/`,
/// `m/k7p2m.html` → `m/k7p2m`; other files at their own path.
pub fn address_of_file(file: &str) -> Option<String> {
    if file == "index.html" {
        return Some(String::new());
    }
    if let Some(dir) = file.strip_suffix("/index.html") {
        return Some(format!("{dir}/"));
    }
    file.strip_suffix(".html")
        .filter(|p| is_extensionless(p) && p.contains('/'))
        .map(str::to_string)
}

/// Whether the last segment of `path` has no dot (no file extension).
fn is_extensionless(path: &str) -> bool {
    !path.rsplit('/').next().unwrap_or(path).contains('.')
}

/// The statistics page of a field: `thong-ke/linh-vuc/<slug>/`.
pub fn stats_of_field(field_slug: &str) -> String {
    format!("{STATS}linh-vuc/{field_slug}/")
}

/// The statistics page of a place, from its place-tree path
/// (`dia-ban/ha-noi/` → `thong-ke/dia-ban/ha-noi/`).
pub fn stats_of_place(place_path: &str) -> String {
    format!("{STATS}{place_path}")
}

/// The embed page of a term or place page's path (`linh-vuc/kinh-te/` →
/// `nhung/linh-vuc/kinh-te/`).
pub fn embed_of(path: &str) -> String {
    format!("{EMBED}/{path}")
}

/// A preview card's file: `chia-se/<name>-<key>.png`, the key naming its
/// content so a changed card gets a new address.
pub fn share_card(name: &str, key: &str) -> String {
    format!("{SHARE_CARDS}/{name}-{key}.png")
}

/// Page `n` of a paginated list at `base`: `base` itself, then
/// `base/trang/2`, ….
pub fn list_page(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}{LIST_PAGE}/{n}")
    }
}

/// The first page of the list `path` is a page of (`linh-vuc/kinh-te/trang/2`
/// → `linh-vuc/kinh-te/`); any other path as it is.
pub fn list_first_page(path: &str) -> &str {
    let Some((before, number)) = path.rsplit_once('/') else {
        return path;
    };
    match before.strip_suffix(LIST_PAGE) {
        Some(base)
            if (base.is_empty() || base.ends_with('/'))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => path,
    }
}

/// An open-data file: `du-lieu/<file>`.
pub fn open_data(file: &str) -> String {
    format!("{OPEN_DATA}{file}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each builder's first segment is reserved.
    #[test]
    fn every_address_made_here_is_reserved() {
        for path in [
            short_link_of("ab12c"),
            PLACES.to_string(),
            STATS.to_string(),
            stats_of_field("kinh-te"),
            stats_of_place("dia-ban/ha-noi/"),
            embed_of("linh-vuc/kinh-te/"),
            open_data("mo-hinh.json"),
            SEARCH_PAGE.to_string(),
            SEARCH_FILES.to_string(),
        ] {
            let top = path.split('/').next().unwrap();
            assert!(RESERVED.contains(&top), "{path}");
        }
        assert_eq!(short_link_of("ab12c"), "m/ab12c");
    }

    /// Short links and later list pages are files; every page file maps
    /// back to the address it was made for.
    #[test]
    fn a_page_without_a_folder_is_one_html_file() {
        for (path, file) in [
            ("", "index.html"),
            ("mo-hinh/a/", "mo-hinh/a/index.html"),
            ("m/k7p2m", "m/k7p2m.html"),
            ("linh-vuc/kinh-te/trang/2", "linh-vuc/kinh-te/trang/2.html"),
            ("404.html", "404.html"),
            ("atom.xml", "atom.xml"),
        ] {
            assert_eq!(page_file(path), file);
            assert!(files_answering(path).contains(&file.to_string()), "{path}");
            if file.ends_with(".html") && path != "404.html" {
                assert_eq!(address_of_file(file).as_deref(), Some(path));
            }
        }
        assert_eq!(address_of_file("404.html"), None);
        assert_eq!(address_of_file("du-lieu/mo-hinh.csv"), None);
    }

    #[test]
    fn a_list_page_knows_its_first_page() {
        assert_eq!(list_page("linh-vuc/kinh-te/", 1), "linh-vuc/kinh-te/");
        assert_eq!(
            list_page("linh-vuc/kinh-te/", 3),
            "linh-vuc/kinh-te/trang/3"
        );
        assert_eq!(
            list_first_page("linh-vuc/kinh-te/trang/3"),
            "linh-vuc/kinh-te/"
        );
        assert_eq!(list_first_page("trang/2"), "");
        // Places and tags whose names contain "trang" are not list pages.
        assert_eq!(
            list_first_page("dia-ban/khanh-hoa/nha-trang/"),
            "dia-ban/khanh-hoa/nha-trang/"
        );
        assert_eq!(
            list_first_page("dia-ban/x/nha-trang/2"),
            "dia-ban/x/nha-trang/2"
        );
        assert_eq!(list_first_page("dia-ban/x/trang/2/"), "dia-ban/x/trang/2/");
        assert_eq!(list_first_page("tu-khoa/trang-tri/"), "tu-khoa/trang-tri/");
        assert_eq!(list_first_page("dia-ban/x/trang/"), "dia-ban/x/trang/");
    }
}
