//! The fuzzed entry points, shared by the cargo-fuzz targets (nightly,
//! `fuzz/`) and by `tests/it/fuzz_corpus.rs`, which replays the committed
//! corpus on stable so every input that once mattered stays a regression test.
// Each fuzz target calls one of these functions.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use dienhinh::config::Config;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::default_config)
}

/// Load and validate one content file held in memory. The first byte picks
/// the section, so one corpus covers models, ceremonies and pages.
pub fn front_matter(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let rel = match which % 3 {
        0 => "content/mo-hinh/fuzz.md",
        1 => "content/tuyen-duong/fuzz.md",
        _ => "content/fuzz.md",
    };
    // Image paths are checked on disk: a root that does not exist makes
    // every one "missing", with no file read.
    let root = Path::new("/nonexistent/dienhinh-fuzz");
    match dienhinh::load::load_bytes(rel, bytes.to_vec(), config()) {
        Ok(loaded) => {
            let (_docs, diagnostics) = dienhinh::validate::validate(root, config(), vec![loaded]);
            for d in &diagnostics {
                assert_eq!(d.file, rel, "a diagnostic names another file");
            }
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a refused file must say why");
            for d in &diagnostics {
                assert_eq!(d.file, rel, "a diagnostic names another file");
            }
        }
    }
}

/// A string field written as a plain YAML scalar must come out as the very
/// text written, whatever YAML would infer from it (`288e5`, `0x1F`,
/// `true`): the first line of the input goes into every text field of a
/// model.
pub fn front_matter_strings(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = text.lines().next().unwrap_or("").trim();
    if !plain_scalar(s) {
        return;
    }
    let as_id = dienhinh::vi::is_clean_slug(s) && s.len() <= 32;
    let id_line = if as_id {
        format!("id: {s}\n")
    } else {
        String::new()
    };
    let file = format!(
        "---\n{id_line}title: {s}\nfield: kinh-te\nkind: tap-the\nowner: {s}\nperiod: {s}\nrecognitions:\n  - {{level: cap-huyen, year: 2019, by: {s}, decision: {s}}}\ntags: [{s}]\n---\nx\n"
    );
    let rel = "content/mo-hinh/fuzz.md";
    let loaded = match dienhinh::load::load_bytes(rel, file.clone().into_bytes(), config()) {
        Ok(l) => l,
        Err(d) => panic!("`{s}` as plain scalars was refused: {d:?}\n{file}"),
    };
    let dienhinh::load::Front::Model(f) = &loaded.front else {
        panic!("not read as a model");
    };
    assert_eq!(f.title, s);
    assert_eq!(f.period.as_ref().map(|p| p.0.as_str()), Some(s), "period");
    if as_id {
        assert_eq!(f.id.as_ref().map(|p| p.0.as_str()), Some(s), "id");
    }
    let root = Path::new("/nonexistent/dienhinh-fuzz");
    let (docs, diagnostics) = dienhinh::validate::validate(root, config(), vec![loaded]);
    let Some(dienhinh::validate::Document::Model(m)) = docs.first() else {
        // Only a period such as `2024-2019` (end before start) may fail.
        assert!(
            diagnostics
                .iter()
                .all(|d| d.code == dienhinh::diagnostic::Code::BadDate),
            "`{s}`: {diagnostics:?}"
        );
        return;
    };
    match &m.owner {
        Some(dienhinh::site::Owner::Name(n)) => assert_eq!(n, s, "owner"),
        other => panic!("owner `{s}` read as {other:?}"),
    }
    assert_eq!(m.recognitions[0].decision.as_deref(), Some(s), "decision");
    assert_eq!(m.recognitions[0].by.as_deref(), Some(s), "by");
    assert_eq!(m.doc.tags, [s], "tags");
    if as_id {
        assert_eq!(m.doc.id.as_deref(), Some(s), "id");
    }
}

/// Text YAML takes as a plain scalar in block and flow context, and not as
/// null: letters, digits and `.+_`, a `-` anywhere but first.
fn plain_scalar(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+_-".contains(&b))
        && !matches!(s, "null" | "Null" | "NULL")
}

/// Arbitrary text through the escaping every XML writer uses (Atom feeds,
/// sitemaps, SVG charts, QR codes): the result must be XML 1.0 character
/// data whatever the input, with markup only as the five entities.
pub fn xml_writers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let escaped = dienhinh::core::xml::xml_escape(&text);
    assert_xml_text(&escaped);
    if let Some(svg) = dienhinh::qr::svg("https://vi-du.gov.vn/m/abcde/", &text) {
        assert!(svg.chars().all(dienhinh::core::xml::is_xml_char), "{svg:?}");
        let label = svg
            .split("aria-label=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the label attribute");
        assert_xml_text(label);
    }
}

fn assert_xml_text(s: &str) {
    assert!(
        s.chars().all(dienhinh::core::xml::is_xml_char),
        "a character XML forbids: {s:?}"
    );
    assert!(
        !s.contains(['<', '>', '"', '\'']),
        "unescaped markup: {s:?}"
    );
    for (i, _) in s.match_indices('&') {
        let rest = &s[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "a bare `&`: {s:?}"
        );
    }
}

/// Markdown to HTML (at the root and under a sub-path) and the summary; the
/// HTML must carry no live script whatever the input.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for root in ["/", "/dan-van/"] {
        let html = dienhinh::markdown::to_html(text, root);
        if let Some(problem) = live_script(&html) {
            panic!("live script in rendered Markdown: {problem}\n{html}");
        }
    }
    let summary = dienhinh::markdown::summary(text, 300);
    assert!(summary.chars().count() <= 301, "summary longer than asked");
}

/// The analyzer on arbitrary text, as documents and as queries.
pub fn search_analyzer(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tokens = dienhinh::search::analyze::analyze(text);
    let _ = dienhinh::search::analyze::pairs(&tokens);
    // The index's fast scanner finds the very same tokens and pairs.
    let vocab = dienhinh::search::terms::Vocab::default();
    let [fast, reference] = dienhinh::search::terms::against_analyzer(&vocab, text);
    assert_eq!(fast, reference, "{text:?}");
    for t in &tokens {
        let _ = dienhinh::vi::fold_word(&t.exact);
    }
    let synonyms = dienhinh::search::query::synonym_sets(&Default::default());
    let _ = dienhinh::search::query::parse(text, &synonyms).terms();
}

/// The first sign of live script in HTML made by the Markdown renderer: a
/// tag it never emits for safe input, an `on…` attribute, or a link or
/// source whose scheme is not web, mail or phone.
pub fn live_script(html: &str) -> Option<String> {
    const TAGS: &[&str] = &[
        "p",
        "a",
        "img",
        "em",
        "strong",
        "code",
        "pre",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "hr",
        "br",
        "sup",
        "div",
        "section",
        "input",
        "span",
    ];
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !TAGS.contains(&name.as_str()) {
            return Some(format!("tag <{tag}>"));
        }
        for attr in attributes(tag) {
            let (key, value) = attr;
            if key.starts_with("on") {
                return Some(format!("attribute {key}"));
            }
            if matches!(key.as_str(), "href" | "src") && !safe_scheme(&value) {
                return Some(format!("{key}=\"{value}\""));
            }
        }
    }
    None
}

/// Decodes `&amp;`, `&quot;`, `&lt;`, `&gt;` and numeric references as a
/// browser does before it reads a URL (`java&#9;script:` is `javascript:`).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "colon" => Some(':'),
                "Tab" | "tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `key="value"` pairs of a tag (the renderer always quotes with `"`).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let after = &rest[eq + 2..];
        let close = after.find('"').unwrap_or(after.len());
        out.push((key, after[..close].to_string()));
        rest = &after[(close + 1).min(after.len())..];
    }
    out
}

fn safe_scheme(url: &str) -> bool {
    let decoded = decode_entities(url).to_ascii_lowercase();
    let clean: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match clean.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}
