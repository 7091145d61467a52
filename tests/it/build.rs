//! Builds the fixture site and the sample site and checks the pages as a
//! visitor (and a crawler) would see them.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, page, run, snapshot, FIXTURE_SITE, SAMPLE_SITE};

/// Builds the fixture site; returns the temp dir and its `public/`.
fn build_fixture() -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = common::build_fixture();
    (tmp, site.join("public"))
}

/// The JSON inside `<script type=application/ld+json>`.
fn json_ld(html: &str) -> serde_json::Value {
    let start =
        html.find("application/ld+json>").expect("JSON-LD present") + "application/ld+json>".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

#[test]
fn model_page_shows_all_structured_data_with_exact_links() {
    let (_tmp, public) = build_fixture();
    let html = page(&public, "mo-hinh/tu-banh-mi/index.html");
    for expected in [
        "<h1>Tủ bánh mì nghĩa tình</h1>",
        "Văn hóa – xã hội",
        "Tập thể",
        "Hội Liên hiệp Phụ nữ Quận 1 (chủ trì)",
        // Every value with a page of its own links to it.
        "<a href=/dan-van/to-chuc/hoi-phu-nu/>Hội Liên hiệp Phụ nữ</a>, <a href=/dan-van/to-chuc/mttq/>Mặt trận Tổ quốc</a>",
        "<a href=/dan-van/dia-ban/tp-ho-chi-minh/quan-1/>Quận 1</a>, <a href=/dan-van/dia-ban/tp-ho-chi-minh/>TP. Hồ Chí Minh</a>",
        "<a href=/dan-van/linh-vuc/van-hoa-xa-hoi/>Văn hóa – xã hội</a>",
        "<a class=tag href=/dan-van/tu-khoa/an-sinh-xa-hoi/>an sinh xã hội</a>",
        // Breadcrumbs: home, the section, the field.
        "<li><a href=/dan-van/>Trang chủ</a></li><li><a href=/dan-van/mo-hinh/>Mô hình, điển hình</a></li><li><a href=/dan-van/linh-vuc/van-hoa-xa-hoi/>Văn hóa – xã hội</a></li>",
        // A range with an en dash; a source's date as every date is shown.
        "2017–2019",
        "(<time datetime=2019-10-16>16/10/2019</time>)",
        "Nhân rộng",
        "<time datetime=2019-10-15>15/10/2019</time>",
        "hơn 200 suất",
        "12.000 người",
        "Quyết định số 123/QĐ-UBND",
        "Giấy khen",
        "href=/dan-van/tuyen-duong/le-quan-1/>Họp mặt tuyên dương điển hình Quận 1</a>",
        "Được nhân rộng tại: <a href=/dan-van/mo-hinh/hu-gao/>Hũ gạo tình thương</a>",
        // The photo resized (64 px wide: never enlarged), named by its hash.
        "src=/dan-van/mo-hinh/tu-banh-mi/tu-64.",
        "alt=\"Tủ bánh mì đặt trước trụ sở\"",
        "Ảnh: Hội Phụ nữ",
        "href=https://thanhuytphcm.vn/bai-viet",
        "https://vi-du.gov.vn/dan-van/m/tbm01",
        "<h2 id=cach-lam>Cách làm</h2>",
        "class=footnote-definition",
        "<link href=https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/ rel=canonical>",
        "property=og:locale",
    ] {
        assert!(html.contains(expected), "model page lacks {expected:?}");
    }
    // Raw HTML in Markdown is shown, not obeyed.
    assert!(html.contains("&lt;b>và&lt;/b>"));
    assert!(
        !html.contains("/m/tbm01/"),
        "the short link in its old form"
    );
    // The ceremony that honoured it appears once, though named from both sides.
    assert_eq!(html.matches("Được tuyên dương tại").count(), 1);
    let section = &html[html.find("Được tuyên dương tại").unwrap()..];
    let list = &section[..section.find("</ul>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 2 - 1);
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "CreativeWork");
    assert_eq!(ld["name"], "Tủ bánh mì nghĩa tình");
    assert_eq!(
        ld["url"],
        "https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/"
    );
    assert!(public.join("mo-hinh/tu-banh-mi/tu.png").is_file());
}

#[test]
fn replication_and_honours_show_on_both_sides() {
    let (_tmp, public) = build_fixture();
    let hu_gao = page(&public, "mo-hinh/hu-gao/index.html");
    // No summary written: the first paragraph is not repeated as a lead.
    assert!(!hu_gao.contains("class=lead"));
    assert!(page(&public, "mo-hinh/hostile/index.html").contains("class=lead"));
    assert!(hu_gao
        .contains("Nhân rộng từ: <a href=/dan-van/mo-hinh/tu-banh-mi/>Tủ bánh mì nghĩa tình</a>"));
    // Honoured by id (`hg002`), not slug.
    assert!(hu_gao.contains("href=/dan-van/tuyen-duong/le-quan-4/>Hội nghị Quận 4</a>"));
    let ceremony = page(&public, "tuyen-duong/le-quan-1/index.html");
    assert!(ceremony.contains("<a href=/dan-van/mo-hinh/tu-banh-mi/>Tủ bánh mì nghĩa tình</a>"));
    assert!(ceremony.contains("Trần Thị B"));
    assert!(ceremony.contains("<td class=num>93</td>"));
    assert!(ceremony.contains("hơn 5.102"));
    assert!(ceremony.contains("cấp quận <strong>1.085</strong>"));
    assert!(ceremony.contains("Số liệu được công bố tại buổi lễ"));
    let ld = json_ld(&ceremony);
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["startDate"], "2019-10-15");
}

#[test]
fn front_matter_is_escaped_everywhere() {
    let (_tmp, public) = build_fixture();
    let html = page(&public, "mo-hinh/hostile/index.html");
    // Inside <title> and quoted attributes `<` is plain text (HTML's own
    // rules, which the minifier relies on); everywhere else it is escaped.
    let title_end = html.find("</title>").unwrap();
    let title_start = html.find("<title>").unwrap();
    assert!(!html[title_start + 7..title_end].contains("</title"));
    let html = format!("{}{}", &html[..title_start], &html[title_end..]);
    let html = strip_attribute_values(&html);
    assert!(
        !html.contains("<script>alert"),
        "script from front matter must not run"
    );
    assert!(
        !html.contains("<img src=x"),
        "markup from the summary must be text"
    );
    assert!(
        html.contains("&lt;script>alert('x')&lt;/script> Mô hình &amp; “thử”")
            || html.contains("&lt;script>alert('x')&lt;/script> Mô hình & “thử”")
    );
    assert!(
        !html.contains("javascript:"),
        "javascript: links are dropped"
    );
    // Only the JSON-LD script elements (the page's, the breadcrumbs') and
    // the theme's share script exist, and nothing closes them early.
    assert_eq!(html.matches("<script").count(), 3);
    assert_eq!(html.matches("<script id=dienhinh-share>").count(), 1);
    assert_eq!(html.matches("<script type=application/ld+json>").count(), 2);
    let crumbs = &html[html.rfind("<script type=application/ld+json>").unwrap()..];
    let crumbs_ld = json_ld(crumbs);
    assert_eq!(crumbs_ld["@type"], "BreadcrumbList");
    let items = crumbs_ld["itemListElement"].as_array().unwrap();
    assert!(items.last().unwrap()["name"]
        .as_str()
        .unwrap()
        .starts_with("<script>"));
    let ld = json_ld(&html);
    assert!(ld["name"].as_str().unwrap().starts_with("<script>"));
    // `public: false`: the person's name is not published.
    assert!(!html.contains("Nguyễn Văn A"));
    // List pages escape too.
    for list in ["mo-hinh/index.html", "mo-hinh/trang/2.html", "index.html"] {
        let l = page(&public, list);
        assert!(
            !l.contains("<script>alert") && !l.contains("<img src=x"),
            "{list}"
        );
    }
}

/// Removes quoted attribute values (`="…"`, `='…'`) so that only markup
/// and text remain to be checked.
fn strip_attribute_values(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    let mut in_tag = false;
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '=' if in_tag => {
                if let Some(&q) = chars.peek() {
                    if q == '"' || q == '\'' {
                        chars.next();
                        for d in chars.by_ref() {
                            if d == q {
                                break;
                            }
                        }
                        out.push_str("\"\"");
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn lists_paginate_linearly_and_drafts_stay_out() {
    let (_tmp, public) = build_fixture();
    // paginate: 2 and three published models → two pages.
    let first = page(&public, "mo-hinh/index.html");
    // A later page is one file, no folder of its own.
    let second = page(&public, "mo-hinh/trang/2.html");
    assert!(!public.join("mo-hinh/trang/2").exists());
    assert!(!public.join("mo-hinh/trang/3.html").exists());
    assert!(first.contains("href=/dan-van/mo-hinh/trang/2 rel=next"));
    assert!(second.contains("href=/dan-van/mo-hinh/ rel=prev"));
    // Cards on the first page, rows on the later ones (src/core/paging.rs).
    let cards = |h: &str| h.matches("<article class=card>").count();
    let rows = |h: &str| {
        h.split_once("<ol class=rows")
            .and_then(|(_, rest)| rest.split_once("</ol>"))
            .map_or(0, |(list, _)| list.matches("<li><a href=").count())
    };
    assert_eq!((cards(&first), rows(&first)), (2, 0));
    assert_eq!((cards(&second), rows(&second)), (0, 1));
    // Newest first.
    let hu = first.find("Hũ gạo tình thương").unwrap();
    let tu = first.find("Tủ bánh mì nghĩa tình").unwrap();
    assert!(hu < tu);
    assert!(!public.join("mo-hinh/nhap").exists());
    let all: String = snapshot(&public)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!all.contains("Bản nháp"));
}

#[test]
fn drafts_build_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    assert!(run(&site, &["build", "--drafts"]).ok);
    assert!(site.join("public/mo-hinh/nhap/index.html").is_file());
}

#[test]
fn short_links_aliases_home_about_and_404() {
    let (_tmp, public) = build_fixture();
    // A short link, `m/<id>.html` served at `/m/<id>`, publishes its
    // document's page itself: a scanned QR code opens the page with no
    // forwarding page and refresh between, and the link is no file of its
    // own but a second name of the page's (src/hosts.rs, `ShortPage`).
    let short = page(&public, "m/tbm01.html");
    assert_eq!(short, page(&public, "mo-hinh/tu-banh-mi/index.html"));
    assert!(short
        .contains("<link href=https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/ rel=canonical>"));
    assert!(!short.contains("http-equiv=refresh"));
    #[cfg(unix)]
    assert!(common::one_file(
        &public,
        "m/tbm01.html",
        "mo-hinh/tu-banh-mi/index.html"
    ));
    assert!(!public.join("m/tbm01").exists());
    assert_eq!(
        page(&public, "m/lq101.html"),
        page(&public, "tuyen-duong/le-quan-1/index.html")
    );
    // An old address forwards: the browser must learn the new one.
    let alias = page(&public, "tu-banh-mi-cu/index.html");
    assert!(alias.contains("url=https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/"));
    assert!(alias.contains("http-equiv=refresh"));
    // Short links printed in their old form, `/m/<id>/`, still arrive:
    // both rule files forward them, and the 404 page does where no rule
    // is read (tests/browser/run.mjs follows it in Chromium).
    let text = |f: &str| fs::read_to_string(public.join(f)).unwrap();
    let nginx = text("redirects.nginx.map");
    assert!(nginx.contains("    /dan-van/m/tbm01 /dan-van/mo-hinh/tu-banh-mi/;\n"));
    assert!(nginx.contains("    /dan-van/m/tbm01/ /dan-van/mo-hinh/tu-banh-mi/;\n"));
    let rules = text("_redirects");
    assert!(rules.contains("/dan-van/m/tbm01 /dan-van/mo-hinh/tu-banh-mi/ 301\n"));
    assert!(
        rules.ends_with("/dan-van/m/:id/ /dan-van/m/:id 301\n"),
        "{rules}"
    );
    let home = page(&public, "index.html");
    assert!(home.contains("<h1>Trang thử nghiệm</h1>"));
    assert!(home.contains("<strong>3</strong> mô hình"));
    assert!(home.contains("<strong>2</strong> buổi tuyên dương"));
    assert_eq!(json_ld(&home)["@type"], "WebSite");
    let about = page(&public, "gioi-thieu/index.html");
    assert!(about.contains("<h1>Giới thiệu</h1>"));
    assert!(
        about.contains("href=/dan-van/mo-hinh/tu-banh-mi/"),
        "site-absolute links get the base path"
    );
    let not_found = page(&public, "404.html");
    assert!(not_found.contains("Không tìm thấy trang"));
    assert!(not_found.contains("<html lang=vi>"));
    assert!(not_found.contains("dienhinh-old-address"));
}

/// The tags of an HTML text (without `<` `>`), skipping `<` inside quoted
/// attribute values.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in html.chars() {
        match (&mut current, quote, c) {
            (None, _, '<') => current = Some(String::new()),
            (None, _, _) => {}
            (Some(t), Some(q), c) => {
                if c == q {
                    quote = None;
                }
                t.push(c);
            }
            (Some(t), None, '"' | '\'') => {
                quote = Some(c);
                t.push(c);
            }
            (Some(_), None, '>') => out.push(current.take().unwrap_or_default()),
            (Some(t), None, c) => t.push(c),
        }
    }
    out
}

#[test]
fn every_page_is_minified_accessible_markup() {
    let (_tmp, public) = build_fixture();
    let css: Vec<_> = fs::read_dir(&public)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "one content-hashed stylesheet");
    for (path, bytes) in snapshot(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(!html.contains("\n\n"), "{path}: not minified");
        // Redirect pages and iframe embeds are deliberately bare.
        if html.contains("http-equiv=refresh") || path.starts_with("nhung/") {
            continue;
        }
        assert_eq!(html.matches("<h1>").count(), 1, "{path}: one h1");
        for landmark in [
            "<main",
            "<header",
            "<nav",
            "<footer",
            "lang=vi",
            "name=viewport",
            "class=skip",
        ] {
            assert!(html.contains(landmark), "{path}: lacks {landmark}");
        }
        // Stylesheets, scripts and images come from the site itself.
        for tag in tags(&html).into_iter().filter(|t| {
            t.starts_with("link") && t.contains("rel=stylesheet")
                || t.starts_with("script")
                || t.starts_with("img")
        }) {
            let src = tag
                .split([' ', '>'])
                .find_map(|a| a.strip_prefix("href=").or_else(|| a.strip_prefix("src=")));
            if let Some(src) = src {
                assert!(
                    src.starts_with("/dan-van/"),
                    "{path}: external resource in <{tag}"
                );
            }
        }
        assert!(
            !html.contains("<script src"),
            "{path}: no scripts needed to read"
        );
        assert!(
            html.contains(&format!("/dan-van/{}", css[0])),
            "{path}: links the stylesheet under the base path"
        );
    }
}

#[test]
fn text_is_nfc_whatever_the_editor_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "---\nid: nfd01\ntitle: Hòa giải ở cơ sở\nfield: quốc phòng – an ninh\nkind: tập thể\n---\nĐoàn kết.\n"
        .nfd()
        .collect();
    // CRLF and a BOM, as Windows editors save.
    let crlf = format!("\u{feff}{}", nfd.replace('\n', "\r\n"));
    fs::write(site.join("content/mo-hinh/nfd.md"), crlf).unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let html = page(&site.join("public"), "mo-hinh/nfd/index.html");
    assert!(html.contains("<h1>Hòa giải ở cơ sở</h1>"), "title is NFC");
    assert!(
        html.contains("Quốc phòng – an ninh"),
        "labels resolved from NFD input"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    assert!(run(&site, &["build"]).ok);
    let first = snapshot(&site.join("public"));
    assert!(run(&site, &["build"]).ok);
    assert_eq!(first, snapshot(&site.join("public")));
}

#[test]
fn the_sample_site_builds_every_document() {
    let out_dir = common::sample_public();
    let models = fs::read_dir(Path::new(SAMPLE_SITE).join("content/mo-hinh"))
        .unwrap()
        .count();
    let ceremonies = fs::read_dir(Path::new(SAMPLE_SITE).join("content/tuyen-duong"))
        .unwrap()
        .count();
    assert!(
        models >= 30 && ceremonies >= 8,
        "{models} models, {ceremonies} ceremonies"
    );
    for dir in ["mo-hinh", "tuyen-duong"] {
        for entry in fs::read_dir(Path::new(SAMPLE_SITE).join("content").join(dir)).unwrap() {
            let name = entry
                .unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_string();
            let html = page(out_dir, &format!("{dir}/{name}/index.html"));
            assert!(html.contains("application/ld+json"), "{dir}/{name}");
        }
    }
    assert!(out_dir.join("gioi-thieu/index.html").is_file());
    // Every ceremony honouree with a model page links to it.
    let q1 = page(out_dir, "tuyen-duong/quan-1-hop-mat-2019/index.html");
    assert!(
        q1.contains("href=/mo-hinh/"),
        "ceremony links its honourees"
    );
}

/// The `(label, value HTML)` pairs of a document page's facts list.
fn facts(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<dl>") else {
        return Vec::new();
    };
    let dl = &html[start + 4..start + html[start..].find("</dl>").unwrap()];
    dl.split("<dt>")
        .skip(1)
        .map(|pair| {
            let (dt, rest) = pair.split_once("</dt>").unwrap();
            let dd = &rest[rest.find('>').unwrap() + 1..rest.rfind("</dd>").unwrap()];
            (dt.to_string(), dd.to_string())
        })
        .collect()
}

/// Every `href` of internal links in `html`, as site paths.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=")
        .skip(1)
        .map(|h| {
            let h = h.trim_start_matches('"');
            h[..h.find(['"', '>', ' ']).unwrap()].to_string()
        })
        .filter(|h| h.starts_with('/'))
        .collect()
}

#[test]
fn every_taxonomy_value_on_a_document_page_links_to_a_page_that_exists() {
    let public = common::sample_public();
    // Values that have pages of their own: field, kind, organisations,
    // place, status, tags (models); level, place, tags (ceremonies).
    let linked = [
        "Lĩnh vực",
        "Loại",
        "Tổ chức tham gia",
        "Địa bàn",
        "Tình trạng",
        "Từ khóa",
        "Cấp",
    ];
    let mut pages = 0;
    for section in ["mo-hinh", "tuyen-duong"] {
        for entry in fs::read_dir(public.join(section)).unwrap() {
            let path = entry.unwrap().path().join("index.html");
            if !path.is_file() || path.parent().unwrap().ends_with("trang") {
                continue;
            }
            let html = common::canonical(&fs::read_to_string(&path).unwrap());
            if !html.contains("<article class=\"doc ") {
                continue;
            }
            pages += 1;
            let shown = path.display();
            for (label, value) in facts(&html) {
                if !linked.contains(&label.as_str()) {
                    continue;
                }
                // Nothing but links and the commas between them.
                let mut rest = value.clone();
                while let Some(a) = rest.find("<a ") {
                    let end = a + rest[a..].find("</a>").unwrap() + 4;
                    rest.replace_range(a..end, "");
                }
                assert!(
                    rest.trim_matches([',', ' ']).is_empty(),
                    "{shown}: “{label}” has unlinked text {rest:?}"
                );
            }
            // Every internal link of the page (facts, breadcrumbs, footer)
            // reaches a page of the site.
            for href in hrefs(&html) {
                let rel = href.trim_start_matches('/');
                let target = if rel.is_empty() || rel.ends_with('/') {
                    public.join(rel).join("index.html")
                } else {
                    public.join(rel)
                };
                assert!(target.is_file(), "{shown}: link {href} leads nowhere");
            }
            assert!(html.contains("class=crumbs"), "{shown}: no breadcrumbs");
            assert!(html.contains("\"@type\":\"BreadcrumbList\""), "{shown}");
        }
    }
    assert!(pages >= 60, "only {pages} document pages");
}

/// `(label, count)` rows of the table in the statistics section `id`.
fn stats_rows(html: &str, id: &str) -> Vec<(String, usize)> {
    let start = html
        .find(&format!("aria-labelledby={id}-h "))
        .unwrap_or_else(|| panic!("no section {id}"));
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    common::stats_tables(section).remove(0)
}

#[test]
fn every_statistics_chart_accounts_for_every_model() {
    let public = common::sample_public();
    let html = page(public, "thong-ke/index.html");
    let data: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("du-lieu/mo-hinh.json")).unwrap()).unwrap();
    let models = data["models"].as_array().unwrap();
    let total = models.len();
    let not_stated = |rows: &[(String, usize)]| {
        rows.iter()
            .find(|(l, _)| l == "Chưa rõ")
            .map_or(0, |(_, n)| *n)
    };
    // One value per model: the bars, “Chưa rõ” included, add up to all.
    for id in ["linh-vuc", "loai", "tinh-trang", "tinh"] {
        let rows = stats_rows(&html, id);
        let sum: usize = rows.iter().map(|(_, n)| n).sum();
        assert_eq!(sum, total, "{id}: {rows:?}");
    }
    // Several values per model: “Chưa rõ” is the models with none.
    let none = |key: &str| {
        models
            .iter()
            .filter(|m| m[key].as_array().is_none_or(|a| a.is_empty()))
            .count()
    };
    assert_eq!(not_stated(&stats_rows(&html, "cap")), none("recognitions"));
    assert_eq!(
        not_stated(&stats_rows(&html, "to-chuc")),
        none("organizations")
    );
    let no_year = models
        .iter()
        .filter(|m| {
            m["recognitions"].as_array().is_none_or(|a| a.is_empty()) && m["date"].is_null()
        })
        .count();
    assert_eq!(not_stated(&stats_rows(&html, "nam")), no_year);
    // And each chart says how many models it accounts for.
    assert!(html.contains(&format!("Tổng số mô hình: {total}")));
}

#[test]
fn places_are_listed_in_vietnamese_order_with_numbers_by_value() {
    let public = common::sample_public();
    let html = page(public, "dia-ban/tp-ho-chi-minh/index.html");
    let mut seen: Vec<u32> = Vec::new();
    for part in html.split("href=/dia-ban/tp-ho-chi-minh/quan-").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse() {
            if part[digits.len()..].starts_with("/>") && !seen.contains(&n) {
                seen.push(n);
            }
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    assert_eq!(seen, sorted, "districts out of order");
}

/// A build of what is already published writes nothing and says so; any
/// change to an input (a save by rename, as editors' programs do, even of
/// the same bytes), to the options, or to the published folder makes it
/// build again, and a file no build wrote still stops it (DH040).
#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let build = |args: &[&str]| {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = common::run_in(&site, &all);
        assert!(out.ok, "{}", out.stderr);
        out.stdout + &out.stderr
    };
    let unchanged = "Không có gì thay đổi";
    assert!(!build(&[]).contains(unchanged));
    let before = snapshot(&site.join("public"));
    let said = build(&[]);
    assert!(said.contains(unchanged), "{said}");
    assert_eq!(snapshot(&site.join("public")), before);

    // Saved by rename with the same bytes: a change all the same.
    let doc = fs::read_dir(site.join("content/mo-hinh"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let saved = site.join("content/.saving.tmp");
    fs::copy(&doc, &saved).unwrap();
    fs::rename(&saved, &doc).unwrap();
    assert!(!build(&[]).contains(unchanged));
    assert!(build(&[]).contains(unchanged));

    // A published file edited by hand is written again.
    let home = site.join("public/index.html");
    let original = fs::read(&home).unwrap();
    fs::write(&home, b"edited by hand").unwrap();
    assert!(!build(&[]).contains(unchanged));
    assert_eq!(fs::read(&home).unwrap(), original);

    // Other options, another site.
    assert!(!build(&["--base-url", "http://localhost:9/"]).contains(unchanged));
    assert!(!build(&[]).contains(unchanged));
    assert!(build(&[]).contains(unchanged));

    // site.yaml changed.
    let yaml = site.join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}\nfooter: \"Chân trang\"\n")).unwrap();
    assert!(!build(&[]).contains(unchanged));
    assert!(common::page(&site.join("public"), "index.html").contains("Chân trang"));

    // A stranger in the output still stops the build.
    fs::write(site.join("public/la.txt"), b"not ours").unwrap();
    let out = common::run_in(&site, &["build"]);
    assert!(!out.ok && out.stderr.contains("DH040"), "{}", out.stderr);
}

/// A build with nothing changed shows the last build's warnings as that
/// build did, each at its line with its code frame, without reading the
/// site again: its `--verbose` timings have no load stage.
#[test]
fn a_build_with_nothing_changed_shows_the_last_warnings_without_reading_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let build = || {
        let out = common::run_in(&site, &["build", "--verbose"]);
        assert!(out.ok, "{}", out.stderr);
        out.stdout + &out.stderr
    };
    // The report: every line but timings and the closing sentence.
    let report = |said: &str| -> String {
        said.lines()
            .filter(|l| {
                !l.starts_with("timing:")
                    && !l.starts_with("Đã dựng")
                    && !l.starts_with("Không có gì thay đổi")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = build();
    assert!(first.contains("timing: load"), "{first}");
    // The fixture's draft has no id: a warning at its title's line, with
    // the line shown (DH021).
    for shown in [
        "DH021",
        "content/mo-hinh/nhap.md:2:8",
        "2 │ title: \"Bản nháp\"",
    ] {
        assert!(report(&first).contains(shown), "{shown}: {first}");
    }
    let again = build();
    assert!(again.contains("Không có gì thay đổi"), "{again}");
    assert!(
        !again.contains("timing: load"),
        "the site was read again:\n{again}"
    );
    assert_eq!(report(&again), report(&first));
}

/// How many render jobs a `--verbose` build kept from the last one, of how
/// many.
fn kept_jobs(said: &str) -> (usize, usize) {
    let line = said
        .lines()
        .find_map(|l| l.strip_prefix("timing: render/kept "))
        .unwrap_or_else(|| panic!("no kept-jobs line in:\n{said}"));
    let mut words = line.split_whitespace();
    let kept = words.next().unwrap().parse().unwrap();
    let total = words.nth(1).unwrap().parse().unwrap();
    (kept, total)
}

/// A rebuild renders only the pages an edit changed and takes the others
/// from the last build (src/build/pages.rs), and what it publishes is
/// byte for byte what a cold build of the same sources publishes — after
/// a body edit, a new title and date, a deleted and a new model, a
/// ceremony's edit, a setting and a theme template.
#[test]
fn a_rebuild_renders_only_what_an_edit_changed_and_publishes_what_a_cold_build_does() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("s"), 120, 12, 11);
    let build = || {
        let out = common::run_in(&site, &["build", "--verbose"]);
        assert!(out.ok, "{}", out.stderr);
        out.stdout + &out.stderr
    };
    // The same sources (urls.lock included) built from nothing elsewhere.
    let cold = |step: &str| {
        let copy = tmp.path().join(format!("cold-{step}"));
        for part in ["content", "themes"] {
            if site.join(part).is_dir() {
                copy_dir(&site.join(part), &copy.join(part));
            }
        }
        for file in ["site.yaml", "urls.lock"] {
            if site.join(file).is_file() {
                fs::copy(site.join(file), copy.join(file)).unwrap();
            }
        }
        copy
    };
    let same_as_cold = |copy: &Path, step: &str| {
        let out = common::run_in(copy, &["build"]);
        assert!(out.ok, "{}", out.stderr);
        let (a, b) = (
            snapshot(&site.join("public")),
            snapshot(&copy.join("public")),
        );
        let differ: Vec<&String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "{step}: differs from a cold build: {differ:?}"
        );
    };
    let first = build();
    let (kept, total) = kept_jobs(&first);
    assert_eq!(kept, 0, "a first build has nothing to keep");
    // A render of every page runs alone, the search stage after it.
    assert!(
        first.contains("timing: render ") && first.contains("timing: search "),
        "{first}"
    );

    let models = site.join("content/mo-hinh");
    let mut files: Vec<PathBuf> = fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // Those naming their slug, so the test knows their address.
        .filter(|p| fs::read_to_string(p).unwrap().contains("\nslug: "))
        .collect();
    files.sort();
    let edit = |path: &Path, f: &dyn Fn(String) -> String| {
        let text = fs::read_to_string(path).unwrap();
        common::serve::save(path, &f(text));
    };

    // A paragraph added to one model: its page alone is rendered again
    // (and the search page, which carries the new index).
    edit(&files[3], &|t| {
        format!("{t}\nĐoạn thêm để kiểm tra bộ nhớ trang.\n")
    });
    let copy = cold("body");
    let edited = build();
    let (kept, now) = kept_jobs(&edited);
    assert_eq!(now, total);
    assert_eq!(kept, total - 2, "only the edited page and the search page");
    // A render that keeps most pages has the search stage beside it
    // (`pipeline::search_beside_render`), and publishes the same bytes.
    assert!(edited.contains("timing: render and search "), "{edited}");
    same_as_cold(&copy, "body");
    let again = build();
    assert!(again.contains("Không có gì thay đổi"), "{again}");

    // A new title and date, a deleted model, a new one, a ceremony.
    edit(&files[5], &|t| {
        let title = t
            .lines()
            .find(|l| l.starts_with("title:"))
            .unwrap()
            .to_string();
        let date = t
            .lines()
            .find(|l| l.starts_with("date:"))
            .unwrap()
            .to_string();
        t.replacen(&title, "title: \"Mô hình đổi tên để kiểm tra\"", 1)
            .replacen(&date, "date: 2031-01-02", 1)
    });
    // Removed on purpose: its line leaves urls.lock too (DH031 says so).
    let gone = fs::read_to_string(&files[7]).unwrap();
    let slug = gone.lines().find_map(|l| l.strip_prefix("slug: ")).unwrap();
    let slug = format!("/{}/", slug.trim_matches('"'));
    let id = gone.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
    let short = format!("/m/{}", id.trim_matches('"'));
    fs::remove_file(&files[7]).unwrap();
    edit(&site.join("urls.lock"), &|t| {
        t.lines()
            .filter(|l| !l.contains(&slug) && !l.contains(&short))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let fresh = files[9].with_file_name("mo-hinh-moi-de-kiem-tra.md");
    let text: Vec<String> = fs::read_to_string(&files[9])
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("id:"))
        .map(|l| match l.starts_with("slug:") {
            true => "slug: mo-hinh-moi-de-kiem-tra".to_string(),
            false => l.to_string(),
        })
        .collect();
    common::serve::save(&fresh, &text.join("\n"));
    let ceremony = fs::read_dir(site.join("content/tuyen-duong"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    edit(&ceremony, &|t| format!("{t}\nMột đoạn về buổi lễ.\n"));
    let copy = cold("many");
    let (kept, _) = kept_jobs(&build());
    assert!(kept > 0, "most pages are kept");
    same_as_cold(&copy, "many");

    // A setting every page shows, then a template: nothing is kept but
    // what does not read them.
    let yaml = site.join("site.yaml");
    edit(&yaml, &|t| format!("{t}\nfooter: \"Chân trang mới\"\n"));
    let copy = cold("setting");
    let (kept, _) = kept_jobs(&build());
    assert!(kept <= 1, "only the stylesheet: {kept}");
    same_as_cold(&copy, "setting");
    assert!(page(&site.join("public"), "index.html").contains("Chân trang mới"));

    let templates = site.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let base = include_str!("../../themes/default/templates/base.html");
    let base = base.replace("</body>", "<p>Dòng của giao diện</p></body>");
    fs::write(templates.join("base.html"), base).unwrap();
    let copy = cold("theme");
    let (kept, _) = kept_jobs(&build());
    assert!(kept <= 1, "only the stylesheet: {kept}");
    same_as_cold(&copy, "theme");
    assert!(page(&site.join("public"), "index.html").contains("Dòng của giao diện"));
}

/// Pages are written as rendered unless `minify: true` asks for the
/// minifier (docs/deploy.md § Minifying): then they are smaller and
/// still say the same.
#[test]
fn pages_are_minified_only_when_the_settings_ask() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::init_site(tmp.path(), "trang", &[]);
    let home = |site: &Path| fs::read_to_string(site.join("public/index.html")).unwrap();
    let out = common::run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let plain = home(&site);
    assert!(plain.contains(">\n<"), "as the templates render it");
    let yaml = site.join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}\nminify: true\n")).unwrap();
    let out = common::run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let minified = home(&site);
    assert!(!minified.contains(">\n<"), "minified");
    assert!(minified.len() < plain.len());
    let title = |h: &str| h[h.find("<title>").unwrap()..h.find("</title>").unwrap()].to_string();
    assert_eq!(title(&plain), title(&minified));
}

/// A first build writes into a tree it has just made: it asks the file
/// system nothing about any path in it and removes nothing from it (each
/// `stat` there was a path lookup more per file: 10,900 at 10,000 models
/// for the short links alone). Watched with `strace`, the build run as an
/// editor runs it: in the site's folder, no `-C`. Skipped with a notice
/// where `strace` is missing or not allowed; `.ci/run` requires it.
#[test]
fn a_first_build_asks_nothing_about_the_tree_it_makes() {
    let usable = std::process::Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !usable {
        assert!(
            std::env::var_os("DIENHINH_REQUIRE_STRACE").is_none(),
            "strace is required here (DIENHINH_REQUIRE_STRACE)"
        );
        eprintln!("note: file-system trace skipped: strace not installed or not allowed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let log = tmp.path().join("trace");
    let out = std::process::Command::new("strace")
        .current_dir(&site)
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=%stat,statx,unlink,unlinkat,rmdir",
            "-o",
        ])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_dienhinh"))
        .arg("build")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = site.join("public");
    assert!(
        public.join("m").read_dir().unwrap().count() > 0,
        "short links made"
    );
    let trace = fs::read_to_string(&log).unwrap();
    assert!(
        trace.contains("content/"),
        "the trace saw the build: {trace}"
    );
    // A path inside the new tree: `.public-staging-<pid>/…`.
    let inside = |line: &str| {
        line.match_indices("-staging-").any(|(i, m)| {
            let rest = line[i + m.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with('/')
        })
    };
    let asked: Vec<&str> = trace.lines().filter(|l| inside(l)).collect();
    assert!(
        asked.is_empty(),
        "{} calls about paths in the new tree, first: {:?}",
        asked.len(),
        &asked[..asked.len().min(5)]
    );
}
