//! The sample site published under a path of another site
//! (`https://portal.example/dan-van/`): no link, asset, srcset entry, feed or
//! sitemap entry, open-data URL, search file reference or redirect may leave
//! `/dan-van/`, and every link inside it must reach a published file.
//!
//! Every output file is scanned: HTML attributes (and the JSON-LD inside),
//! XML, JSON, CSV, text, CSS `url()`, the redirect maps and the gzip-packed
//! JSON of the search index (whose `u` fields the search page links to).

use crate::common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::{copy_dir, run, SAMPLE_SITE};

const BASE: &str = "https://portal.example/dan-van/";
const ROOT: &str = "/dan-van/";

/// The sample site (content, settings, theme) with a photo added to one
/// model, so that `srcset` is covered too, built under [`BASE`].
fn build_under_subpath() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let sample = Path::new(SAMPLE_SITE);
    fs::copy(sample.join("site.yaml"), site.join("site.yaml")).unwrap();
    copy_dir(&sample.join("content"), &site.join("content"));
    copy_dir(&sample.join("themes"), &site.join("themes"));
    copy_dir(&sample.join("static"), &site.join("static"));
    let models = site.join("content/mo-hinh");
    let mut files: Vec<PathBuf> = fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let md = fs::read_to_string(&files[0]).unwrap();
    assert!(
        !md.contains("\nimages:"),
        "the sample gains its first photo here"
    );
    let close = md[3..].find("\n---").unwrap() + 3;
    let with_photo = format!(
        "{}\nimages:\n  - {{src: anh-thu.jpg, alt: \"Ảnh thử\"}}{}",
        &md[..close],
        &md[close..]
    );
    fs::write(&files[0], with_photo).unwrap();
    let photo = image::RgbImage::from_fn(1100, 700, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 128])
    });
    image::DynamicImage::ImageRgb8(photo)
        .save(models.join("anh-thu.jpg"))
        .unwrap();
    let out = run(&site, &["build", "--base-url", BASE]);
    assert!(out.ok, "build failed:\n{}", out.stderr);
    (tmp, site.join("public"))
}

#[test]
fn nothing_escapes_the_sub_path() {
    let (_tmp, public) = build_under_subpath();
    let mut scan = Scan {
        public: public.clone(),
        problems: Vec::new(),
        checked: 0,
        srcset: 0,
    };
    for file in files_under(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = fs::read(&file).unwrap();
        scan.file(&rel, &bytes);
    }
    assert!(
        scan.problems.is_empty(),
        "{} problems, e.g.:\n{}",
        scan.problems.len(),
        scan.problems[..scan.problems.len().min(30)].join("\n")
    );
    assert!(scan.checked > 5000, "only {} URLs checked", scan.checked);
    assert!(scan.srcset >= 3, "the photo's srcset was checked");
}

struct Scan {
    public: PathBuf,
    problems: Vec<String>,
    checked: usize,
    srcset: usize,
}

impl Scan {
    fn file(&mut self, rel: &str, bytes: &[u8]) {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if rel.starts_with("_search/") && rel.ends_with(".bin") {
            let mut json = Vec::new();
            if flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut json)
                .is_ok()
            {
                self.text_mentions(rel, &String::from_utf8_lossy(&json));
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&json) {
                    self.json(rel, &v);
                }
            }
            return;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return; // pictures
        };
        self.text_mentions(rel, text);
        match name.rsplit_once('.').map(|(_, e)| e).unwrap_or(name) {
            "html" => self.html(rel, text),
            "json" => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(v) => self.json(rel, &v),
                Err(e) => self.problems.push(format!("{rel}: bad JSON: {e}")),
            },
            "xml" => self.xml(rel, text),
            "css" => {
                for u in text.split("url(").skip(1) {
                    let u = u.split(')').next().unwrap_or("").trim_matches(['"', '\'']);
                    self.url(rel, u, true);
                }
            }
            "_redirects" | "map" => {
                for line in text.lines().filter(|l| !l.starts_with('#')) {
                    for word in line.split_whitespace() {
                        let w = word.trim_end_matches(';');
                        if w.starts_with('/') {
                            self.url(rel, w, false);
                        }
                    }
                }
            }
            "txt" => {
                for line in text.lines() {
                    if let Some((_, v)) = line.split_once(':') {
                        let v = v.trim();
                        if v.starts_with('/') || v.starts_with("http") {
                            self.url(rel, v, false);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Every mention of the portal's host continues with the sub-path,
    /// whatever the format (CSV cells, feed text, printed short links).
    fn text_mentions(&mut self, rel: &str, text: &str) {
        for (i, _) in text.match_indices("portal.example") {
            let rest = &text[i + "portal.example".len()..];
            if !rest.starts_with(ROOT) {
                let end = rest.len().min(40);
                self.problems
                    .push(format!("{rel}: portal.example{}", &rest[..end]));
            }
            self.checked += 1;
        }
    }

    fn html(&mut self, rel: &str, html: &str) {
        for tag in tags(html) {
            for (name, value) in &tag.attrs {
                match name.as_str() {
                    "srcset" => {
                        for item in value.split(',') {
                            let url = item.split_whitespace().next().unwrap_or("");
                            self.url(rel, url, true);
                            self.srcset += 1;
                        }
                    }
                    "href" if tag.name == "a" && is_other_site(value) => {}
                    "href" | "src" | "action" | "data-index" | "poster" => {
                        self.url(rel, value, true)
                    }
                    "content" if value.starts_with('/') || value.starts_with("http") => {
                        self.url(rel, value, true)
                    }
                    _ if value.starts_with(ROOT) || value.starts_with(BASE) => {
                        self.url(rel, value, false)
                    }
                    _ => {}
                }
            }
        }
        for (i, _) in html.match_indices("application/ld+json>") {
            let start = i + "application/ld+json>".len();
            let end = start + html[start..].find("</script>").unwrap();
            match serde_json::from_str::<serde_json::Value>(&html[start..end]) {
                Ok(v) => self.json(rel, &v),
                Err(e) => self.problems.push(format!("{rel}: bad JSON-LD: {e}")),
            }
        }
    }

    fn json(&mut self, rel: &str, v: &serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.starts_with('/') || s.starts_with("http") => {
                self.url(rel, s, true)
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| self.json(rel, x)),
            serde_json::Value::Object(o) => o.values().for_each(|x| self.json(rel, x)),
            _ => {}
        }
    }

    fn xml(&mut self, rel: &str, xml: &str) {
        let doc = match roxmltree::Document::parse(xml) {
            Ok(d) => d,
            Err(e) => return self.problems.push(format!("{rel}: bad XML: {e}")),
        };
        for node in doc.descendants() {
            for a in node.attributes() {
                if a.name() == "href" || a.name() == "src" {
                    self.url(rel, a.value(), true);
                }
            }
            if let Some(t) = node.text() {
                let t = t.trim();
                if node.is_element() && (t.starts_with("http") || t.starts_with('/')) {
                    self.url(rel, t, true);
                }
            }
        }
    }

    /// A URL found in `rel`. Other sites are fine (sources cite newspapers);
    /// this site's URLs must stay under the sub-path, and with `exists`
    /// they must name a published file.
    fn url(&mut self, rel: &str, url: &str, exists: bool) {
        self.checked += 1;
        let url = url.replace("&amp;", "&");
        if url.is_empty() || url.starts_with('#') || url.starts_with('?') {
            return;
        }
        if url.starts_with("mailto:") || url.starts_with("tel:") || url.starts_with("data:") {
            return;
        }
        let path = if let Some(rest) = url.strip_prefix(BASE) {
            format!("{ROOT}{rest}")
        } else if url.starts_with("//") || url.contains("://") {
            if url.contains("portal.example") || url.contains("localhost") {
                self.problems.push(format!("{rel}: {url} leaves {BASE}"));
            }
            return;
        } else if url.starts_with('/') {
            url.clone()
        } else {
            resolve(&format!("{ROOT}{rel}"), &url)
        };
        let Some(inside) = path.strip_prefix(ROOT) else {
            self.problems
                .push(format!("{rel}: {url} → {path} leaves {ROOT}"));
            return;
        };
        if exists {
            let target = inside.split(['#', '?']).next().unwrap_or("");
            let file = self.public.join(target);
            let ok = if target.is_empty() || target.ends_with('/') {
                file.join("index.html").is_file() || file.is_dir()
            } else {
                // A page without a folder (`m/<id>`, `trang/2`) is `<path>.html`,
                // served at the path by every static host.
                file.is_file()
                    || file.join("index.html").is_file()
                    || self.public.join(format!("{target}.html")).is_file()
            };
            if !ok {
                self.problems.push(format!("{rel}: {url} is not published"));
            }
        }
    }
}

fn is_other_site(url: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//"))
        && !url.contains("portal.example")
}

/// `url` relative to the page at `page` (a path starting with `/`).
fn resolve(page: &str, url: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    for seg in url.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// Start tags with their attributes, quoted or not (the output is
/// minified), skipping the text of scripts and styles.
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i] as char;
                    let end = html[i + 1..].find(q).map_or(html.len(), |e| i + 1 + e);
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(html.len());
                } else {
                    let end = html[i..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .map_or(html.len(), |e| i + e);
                    value = html[i..end].to_string();
                    i = end;
                }
            }
            attrs.push((attr, value));
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            if let Some(e) = html[i.min(html.len())..].find(&close) {
                i += e;
            }
        }
        out.push(Tag { name, attrs });
    }
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn resolve_handles_dot_segments() {
    assert_eq!(resolve("/dan-van/a/b/index.html", "../c/"), "/dan-van/a/c/");
    assert_eq!(resolve("/dan-van/index.html", "../../x"), "/x");
    assert_eq!(
        resolve("/dan-van/a/index.html", "d.css"),
        "/dan-van/a/d.css"
    );
}
