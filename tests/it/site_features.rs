//! Browse, statistics, feeds, open data, redirects and print features on the
//! fixture site, whose numbers are known by hand:
//! models tu-banh-mi (văn hóa – xã hội, tập thể, TP.HCM › Quận 1, nhân rộng,
//! recognised 2019 at le-quan-1), hu-gao (văn hóa – xã hội, tập thể,
//! TP.HCM › Quận 4, 2020, replicated from tu-banh-mi, honoured at
//! le-quan-4) and hostile (quốc phòng – an ninh, cá nhân, 2018, not public);
//! ceremonies le-quan-1 (2019, cấp huyện, Quận 1) and le-quan-4 (2020).

use crate::common;

use std::fs;
use std::path::Path;

use common::{build_fixture, copy_dir, page, run, run_in, snapshot, FIXTURE_SITE};

/// Number of cards on a list page.
fn cards(html: &str) -> usize {
    html.matches("<article class=card>").count()
}

/// `label</a> <span class=count>N` on an index page.
fn count_of(html: &str, label: &str) -> Option<usize> {
    let at = html.find(&format!(">{label}</a> <span class=count>"))?;
    let rest = &html[at + label.len() + "</a> <span class=count>".len() + 1..];
    rest[..rest.find('<')?].parse().ok()
}

#[test]
fn taxonomy_pages_list_every_matching_document() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    let index = page(&public, "linh-vuc/index.html");
    assert_eq!(count_of(&index, "Văn hóa – xã hội"), Some(2));
    assert_eq!(count_of(&index, "Quốc phòng – an ninh"), Some(1));
    assert_eq!(
        count_of(&index, "Phát triển kinh tế"),
        None,
        "empty terms are left out"
    );
    // (page, documents on it): paginate is 2 in the fixture.
    for (path, expected) in [
        ("linh-vuc/van-hoa-xa-hoi/index.html", 2),
        ("loai/tap-the/index.html", 2),
        ("loai/ca-nhan/index.html", 1),
        ("cap/cap-huyen/index.html", 2), // tu-banh-mi's recognition + le-quan-1
        ("tinh-trang/nhan-rong/index.html", 1),
        ("tinh-trang/thuc-hien/index.html", 1),
        ("to-chuc/hoi-phu-nu/index.html", 1),
        ("to-chuc/mttq/index.html", 1),
        ("tu-khoa/an-sinh-xa-hoi/index.html", 1),
        ("nam/2019/index.html", 2), // recognition year + ceremony date
        ("nam/2020/index.html", 2), // hu-gao's date (no recognition) + le-quan-4
        ("nam/2018/index.html", 1),
        ("dia-ban/tp-ho-chi-minh/quan-1/index.html", 2),
        ("dia-ban/tp-ho-chi-minh/quan-4/index.html", 1),
    ] {
        assert_eq!(cards(&page(&public, path)), expected, "{path}");
    }
    // TP.HCM holds 2 models + 1 ceremony: 3 documents over 2 pages.
    let hcm = page(&public, "dia-ban/tp-ho-chi-minh/index.html");
    let hcm2 = page(&public, "dia-ban/tp-ho-chi-minh/trang/2.html");
    assert_eq!(cards(&hcm), 2);
    assert_eq!(rows(&hcm2), Some((1, 3)), "a later page's rows number on");
    assert!(
        hcm.contains(">Quận 1</a> <span class=count>2"),
        "sub-units with counts"
    );
    assert!(!public.join("dia-ban/tp-ho-chi-minh/trang/3.html").exists());
    for axis in [
        "linh-vuc",
        "loai",
        "cap",
        "tinh-trang",
        "to-chuc",
        "tu-khoa",
        "nam",
        "dia-ban",
    ] {
        assert!(
            public.join(axis).join("index.html").is_file(),
            "{axis} index"
        );
    }
}

/// Rows on a list's later page: its `<li>` items and the number it starts at.
fn rows(html: &str) -> Option<(usize, usize)> {
    let at = html.find("<ol class=rows start=")? + "<ol class=rows start=".len();
    let start = html[at..html[at..].find('>')? + at].parse().ok()?;
    let end = at + html[at..].find("</ol>")?;
    Some((html[at..end].matches("<li>").count(), start))
}

#[test]
fn a_lists_later_pages_are_numbered_rows_of_paginate_later() {
    let (_tmp, site) = common::fixture_with_yaml(|yaml| {
        assert!(yaml.contains("paginate: 2\n"));
        yaml.replace("paginate: 2\n", "paginate: 1\npaginate_later: 2\n")
    });
    // As an editor runs it: inside the site's folder.
    let out = run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    // Three published models: one card, then two rows on page 2, and no
    // page 3 (with 1 a page throughout there would be three pages).
    let first = page(&public, "mo-hinh/index.html");
    assert_eq!(cards(&first), 1);
    assert_eq!(rows(&first), None);
    assert!(first.contains("Trang 1/2"), "{first}");
    let second = page(&public, "mo-hinh/trang/2.html");
    assert_eq!(cards(&second), 0);
    assert_eq!(rows(&second), Some((2, 2)));
    assert!(second.contains("Trang 2/2"));
    assert!(!public.join("mo-hinh/trang/3.html").exists());
    // Each model on exactly one of the pages, newest first.
    for (title, on_first) in [
        ("Hũ gạo tình thương", true),
        ("Tủ bánh mì nghĩa tình", false),
    ] {
        assert_eq!(first.contains(title), on_first, "{title}");
        assert_eq!(second.contains(title), !on_first, "{title}");
    }
    // A place's list the same way: TP.HCM holds two models and a ceremony.
    let hcm2 = page(&public, "dia-ban/tp-ho-chi-minh/trang/2.html");
    assert_eq!(rows(&hcm2), Some((2, 2)));
    assert!(!public.join("dia-ban/tp-ho-chi-minh/trang/3.html").exists());
    // A row links to its document and carries the card's facts.
    assert!(second.contains(
        "<li><a href=/dan-van/mo-hinh/tu-banh-mi/>Tủ bánh mì nghĩa tình</a><p class=badges>"
    ));
}

#[test]
fn place_register_unites_spellings_and_maps_merged_units() {
    let (_tmp, site) = common::fixture_with_yaml(|yaml| {
        format!(
            "{yaml}places:\n  - {{id: hcm, label: \"TP. Hồ Chí Minh\", type: \"Thành phố\", aliases: [TPHCM, TP.HCM]}}\n  - {{id: hai-duong, label: \"Hải Dương\", type: \"Tỉnh\", successor: hai-phong, valid_until: 2025-06-30}}\n  - {{id: hai-phong, label: \"Hải Phòng\", type: \"Thành phố\"}}\n"
        )
    });
    fs::write(
        site.join("content/mo-hinh/kinh-mon.md"),
        "---\nid: km001\ntitle: Mô hình ở Kinh Môn\nfield: kinh-te\nkind: tap-the\nplace: [Hải Dương, Thị xã Kinh Môn]\n---\n",
    )
    .unwrap();
    fs::write(
        site.join("content/mo-hinh/viet-tat.md"),
        "---\nid: vt001\ntitle: Viết tắt\nfield: kinh-te\nkind: tap-the\nplace: [TPHCM, Quận 1]\n---\n",
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    // "TPHCM" joins "TP. Hồ Chí Minh": one Quận 1 with 3 documents.
    assert!(!public.join("dia-ban/tphcm").exists());
    let hcm = page(&public, "dia-ban/tp-ho-chi-minh/index.html");
    assert!(
        hcm.contains(">Quận 1</a> <span class=count>3"),
        "Quận 1 holds 3 documents"
    );
    // The merged province is browsable under its old and its new name.
    let old = page(&public, "dia-ban/hai-duong/index.html");
    assert!(
        old.contains("nay thuộc Hải Phòng"),
        "merged unit points to its successor"
    );
    assert_eq!(cards(&old), 1);
    assert_eq!(cards(&page(&public, "dia-ban/hai-phong/index.html")), 1);
    assert!(page(&public, "dia-ban/hai-phong/index.html").contains("sáp nhập từ Hải Dương"));
    // Statistics count today's units only, so nothing is counted twice.
    let stats = page(&public, "thong-ke/index.html");
    assert!(stats.contains("Hải Phòng"));
    assert!(!public.join("thong-ke/dia-ban/hai-duong").exists());
}

#[test]
fn statistics_equal_the_matching_documents() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    let stats = page(&public, "thong-ke/index.html");
    let row = |label: &str| {
        let at = stats
            .find(&format!(">{label}</a></td><td class=num>"))
            .or_else(|| stats.find(&format!("<td>{label}</td><td class=num>")))?;
        let rest = &stats[at..];
        let start = rest.find("class=num>")? + "class=num>".len();
        rest[start..start + rest[start..].find('<')?]
            .parse::<usize>()
            .ok()
    };
    assert_eq!(row("Văn hóa – xã hội"), Some(2));
    assert_eq!(row("Quốc phòng – an ninh"), Some(1));
    assert_eq!(row("Tập thể"), Some(2));
    assert_eq!(row("Cá nhân"), Some(1));
    assert_eq!(row("TP. Hồ Chí Minh"), Some(2));
    assert_eq!(
        row("Đăng ký"),
        Some(2),
        "funnel: tu-banh-mi and hu-gao have a stage"
    );
    assert_eq!(row("Được công nhận"), Some(1));
    assert_eq!(row("Được nhân rộng"), Some(1));
    // Named by the ceremony and by the recognition: counted once.
    assert_eq!(row("Giấy khen"), Some(1));
    assert_eq!(row("Bằng khen"), Some(1));
    // Charts: SVG drawn at build time, in currentColor, with a title.
    assert!(stats.matches("class=chart").count() >= 8);
    assert!(stats.contains("fill=currentColor"));
    assert!(stats.contains("role=img"));
    // Announced figures stay apart, as published, with the mismatch noted.
    assert!(stats.contains("hơn 5.102"));
    assert!(stats.contains("các phần cộng lại được 5.122"));
    // Per province and per field pages.
    let field = page(&public, "thong-ke/linh-vuc/van-hoa-xa-hoi/index.html");
    assert!(field.contains("(2 mô hình)"));
    let province = page(&public, "thong-ke/dia-ban/tp-ho-chi-minh/index.html");
    assert!(province.contains("(2 mô hình)"));
}

#[test]
fn feeds_and_sitemap_are_valid_xml() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    // Feeds of a year or a district are written on request only
    // (`feeds_of_every_place_and_term_on_request` reads them).
    for feed in [
        "atom.xml",
        "linh-vuc/van-hoa-xa-hoi/atom.xml",
        "dia-ban/tp-ho-chi-minh/atom.xml",
    ] {
        let xml = fs::read_to_string(public.join(feed)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed", "{feed}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated"] {
            assert!(
                root.children()
                    .any(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", required))),
                "{feed}: {required}"
            );
        }
    }
    let atom = fs::read_to_string(public.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 5, "3 models + 2 ceremonies");
    assert!(atom.contains("&lt;script&gt;"), "titles are escaped");
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/"));
    assert!(locs.contains(&"https://vi-du.gov.vn/dan-van/thong-ke/"));
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://vi-du.gov.vn/dan-van/")));
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://vi-du.gov.vn/dan-van/sitemap.xml"));
}

#[test]
fn open_data_round_trips_and_withholds_names() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    let models: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("du-lieu/mo-hinh.json")).unwrap()).unwrap();
    assert_eq!(models["schema_version"], 1);
    let list = models["models"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    let tbm = list.iter().find(|m| m["slug"] == "tu-banh-mi").unwrap();
    assert_eq!(tbm["field"], "van-hoa-xa-hoi");
    assert_eq!(tbm["owner"], "Hội Liên hiệp Phụ nữ Quận 1");
    assert_eq!(tbm["results"][0]["qualifier"], "hon");
    assert_eq!(tbm["recognitions"][0]["ceremony"], "le-quan-1");
    assert_eq!(tbm["honoured_by"], serde_json::json!(["le-quan-1"]));
    let hostile = list.iter().find(|m| m["slug"] == "hostile").unwrap();
    assert!(
        hostile["owner"].is_null(),
        "public: false publishes no name"
    );
    let ceremonies: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("du-lieu/tuyen-duong.json")).unwrap())
            .unwrap();
    let le = &ceremonies["ceremonies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "le-quan-1")
        .unwrap()
        .clone();
    assert_eq!(le["statistics"][0]["value"], 5102.0);
    assert_eq!(le["award_counts"][0]["count"], 93);
    // CSV: BOM, header, one row per model, quoting that survives a parse.
    let csv = fs::read(public.join("du-lieu/mo-hinh.csv")).unwrap();
    assert!(csv.starts_with(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows = parse_csv(&text);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][0], "id");
    let title_col = rows[0].iter().position(|h| h == "title").unwrap();
    let hostile_row = rows.iter().find(|r| r[1] == "hostile").unwrap();
    assert_eq!(
        hostile_row[title_col],
        "<script>alert('x')</script> Mô hình & “thử”"
    );
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    // No personal name of a non-public document anywhere in the output.
    for (path, bytes) in snapshot(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Nguyễn Văn A"),
            "{path} leaks a withheld name"
        );
    }
    assert!(
        public.join("du-lieu/index.html").is_file(),
        "the schema is documented"
    );
}

/// A minimal RFC 4180 reader for the round trip.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// A lock written when short links were folders (`/m/<id>/`, before
/// 2026-12) still builds: that form is still answered (the rule files and
/// the 404 page forward it), and the lock the build writes lists `/m/<id>`.
/// A short link that is really gone is still reported, in the form listed.
#[test]
fn a_lock_listing_short_links_as_folders_still_builds() {
    let (_tmp, site) = build_fixture();
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    let old: String = lock
        .lines()
        .map(|l| match l.starts_with("/m/") {
            true => format!("{l}/\n"),
            false => format!("{l}\n"),
        })
        .collect();
    assert!(old.contains("\n/m/hg002/\n"), "{old}");
    fs::write(site.join("urls.lock"), &old).unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    assert!(
        lock.contains("\n/m/hg002\n") && !lock.contains("/m/hg002/"),
        "{lock}"
    );

    fs::write(site.join("urls.lock"), format!("{old}/m/zz9zz/\n")).unwrap();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(
        out.stderr
            .contains("/m/zz9zz/ was published but no document answers there"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("DH031").count(), 1, "{}", out.stderr);

    // A document left out for an error of its own: its short link, listed
    // in the old form, waits for the fix and is not reported as lost.
    fs::write(site.join("urls.lock"), &old).unwrap();
    let model = site.join("content/mo-hinh/hu-gao.md");
    let text = fs::read_to_string(&model).unwrap();
    fs::write(&model, text.replace("date: 2020-05-01", "date: 2020-13-45")).unwrap();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(!out.stderr.contains("DH031"), "{}", out.stderr);
}

#[test]
fn renamed_document_with_alias_redirects_and_without_is_reported() {
    let (_tmp, site) = build_fixture();
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    assert!(lock.contains("\n/mo-hinh/hu-gao/\n") && lock.contains("\n/m/hg002\n"));
    let before = snapshot(&site.join("public"));
    // Renamed without an alias: the build fails and names the lost URL.
    let text = fs::read_to_string(site.join("content/mo-hinh/hu-gao.md")).unwrap();
    fs::remove_file(site.join("content/mo-hinh/hu-gao.md")).unwrap();
    fs::write(site.join("content/mo-hinh/hu-gao-tinh-thuong.md"), &text).unwrap();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("urls.lock:") && out.stderr.contains("/mo-hinh/hu-gao/ was published"),
        "{}",
        out.stderr
    );
    let vi = run(&site, &["build"]).stderr;
    assert!(
        vi.contains("/mo-hinh/hu-gao/ đã được công bố nhưng nay không còn tài liệu nào"),
        "{vi}"
    );
    assert!(out.stderr.contains("aliases: [/mo-hinh/hu-gao/]"));
    assert_eq!(snapshot(&site.join("public")), before);
    // With the alias it builds, and the old address redirects.
    let with_alias = text.replacen("---\n", "---\naliases: [/mo-hinh/hu-gao/]\n", 1);
    fs::write(
        site.join("content/mo-hinh/hu-gao-tinh-thuong.md"),
        with_alias,
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    let redirect = page(&public, "mo-hinh/hu-gao/index.html");
    assert!(redirect.contains("url=https://vi-du.gov.vn/dan-van/mo-hinh/hu-gao-tinh-thuong/"));
    let netlify = fs::read_to_string(public.join("_redirects")).unwrap();
    assert!(netlify.contains("/dan-van/mo-hinh/hu-gao/ /dan-van/mo-hinh/hu-gao-tinh-thuong/ 301"));
    assert!(netlify.contains("/dan-van/m/hg002 /dan-van/mo-hinh/hu-gao-tinh-thuong/ 301"));
    let nginx = fs::read_to_string(public.join("redirects.nginx.map")).unwrap();
    assert!(nginx.contains("map $uri $dienhinh_redirect {"));
    assert!(nginx.contains("/dan-van/mo-hinh/hu-gao/ /dan-van/mo-hinh/hu-gao-tinh-thuong/;"));
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    assert!(
        lock.contains("\n/mo-hinh/hu-gao/\n") && lock.contains("\n/mo-hinh/hu-gao-tinh-thuong/\n")
    );
}

#[test]
fn printed_pages_carry_a_qr_code_of_the_short_link() {
    let (_tmp, site) = build_fixture();
    let html = page(&site.join("public"), "mo-hinh/tu-banh-mi/index.html");
    let decoded = decode_qr(&html).expect("a decodable QR code");
    assert_eq!(decoded, "https://vi-du.gov.vn/dan-van/m/tbm01");
    let ceremony = page(&site.join("public"), "tuyen-duong/le-quan-1/index.html");
    assert_eq!(
        decode_qr(&ceremony).as_deref(),
        Some("https://vi-du.gov.vn/dan-van/m/lq101")
    );
    let css = fs::read_dir(site.join("public"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".css"))
        .unwrap();
    let css = fs::read_to_string(css.path()).unwrap();
    assert!(css.contains("@media print") && css.contains("size:A4") || css.contains("size: A4"));
}

/// Reads the QR code's SVG path (each row's dark runs as lines through
/// the row's middle, `Mx y.5hN` then `mGAP 0hN`) back into pixels and
/// decodes it as a phone camera would.
fn decode_qr(html: &str) -> Option<String> {
    let svg = &html[html[..html.find("class=qr")?].rfind("<svg")?..];
    // The minifier lowercases the attribute; HTML parsers restore the case.
    let view = &svg[svg.to_lowercase().find("viewbox=\"0 0 ")? + 13..];
    let size: usize = view[..view.find(' ')?].parse().ok()?;
    let d = &svg[svg.find(" d=\"")? + 4..];
    let d = &d[..d.find('"')?];
    let mut commands: Vec<(char, String)> = Vec::new();
    for c in d.chars() {
        match c.is_ascii_alphabetic() {
            true => commands.push((c, String::new())),
            false => commands.last_mut()?.1.push(c),
        }
    }
    let mut dark = vec![false; size * size];
    let (mut x, mut y) = (0f64, 0f64);
    for (c, args) in commands {
        let n: Vec<f64> = args
            .split(' ')
            .map(|a| a.parse().ok())
            .collect::<Option<_>>()?;
        match (c, n.as_slice()) {
            ('M', &[nx, ny]) => (x, y) = (nx, ny),
            ('m', &[dx, dy]) => (x, y) = (x + dx, y + dy),
            ('h', &[run]) => {
                // A line one module wide through the middle of a row.
                let (row, from) = ((y - 0.5) as usize, x as usize);
                dark[row * size + from..row * size + from + run as usize].fill(true);
                x += run;
            }
            _ => return None,
        }
    }
    const SCALE: usize = 6;
    let px = size * SCALE;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
        if dark[(y / SCALE) * size + x / SCALE] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    let (_, content) = grids.first()?.decode().ok()?;
    Some(content)
}

#[test]
fn sharing_tags_embeds_and_related_models() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    let html = page(&public, "mo-hinh/tu-banh-mi/index.html");
    for tag in [
        "content=vi_VN property=og:locale",
        // The preview crop of the first photo.
        "content=https://vi-du.gov.vn/dan-van/mo-hinh/tu-banh-mi/tu-og.",
        "content=summary_large_image name=twitter:card",
        "name=twitter:title",
        "type=application/atom+xml",
        "rel=icon",
    ] {
        assert!(html.contains(tag), "lacks {tag}");
    }
    // Same field and province: hu-gao is related; the other field is not.
    let related = &html[html.find("Mô hình liên quan").expect("related section")..];
    assert!(related.contains("href=/dan-van/mo-hinh/hu-gao/"));
    assert!(!related.contains("href=/dan-van/mo-hinh/hostile/"));
    let embed = page(&public, "nhung/linh-vuc/van-hoa-xa-hoi/index.html");
    assert!(embed.contains("<base target=_top>"));
    assert!(embed.contains("href=/dan-van/mo-hinh/tu-banh-mi/"));
    assert!(!embed.contains("<header"), "an embed is only the list");
    assert!(public
        .join("nhung/dia-ban/tp-ho-chi-minh/index.html")
        .is_file());
    // A withheld honoree name is replaced on the ceremony page.
    let ceremony = page(&public, "tuyen-duong/le-quan-1/index.html");
    assert!(ceremony.contains("Trần Thị B"));
}

/// On the sample site: every count on the statistics page equals the number
/// of matching documents in the open data, and every relation shows on
/// both sides.
#[test]
fn sample_site_statistics_and_relations_are_consistent() {
    // Built with the sample's own base_url, http://localhost:1111/.
    let public = common::sample_public();
    let data: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("du-lieu/mo-hinh.json")).unwrap()).unwrap();
    let models = data["models"].as_array().unwrap();
    let stats = page(public, "thong-ke/index.html");
    let table_count = |href: &str| -> usize {
        let at = stats
            .find(&format!("href=/{href}>"))
            .unwrap_or_else(|| panic!("row {href}"));
        let rest = &stats[at..];
        let start = rest.find("class=num>").unwrap() + "class=num>".len();
        rest[start..start + rest[start..].find('<').unwrap()]
            .parse()
            .unwrap()
    };
    for axis in [
        ("linh-vuc", "field"),
        ("loai", "kind"),
        ("tinh-trang", "status"),
    ] {
        let mut expected = std::collections::BTreeMap::<String, usize>::new();
        for m in models {
            if let Some(v) = m[axis.1].as_str() {
                *expected.entry(v.to_string()).or_default() += 1;
            }
        }
        for (term, n) in expected {
            assert_eq!(
                table_count(&format!("{}/{term}/", axis.0)),
                n,
                "{}/{term}",
                axis.0
            );
        }
    }
    // Relations: a ceremony that links a model is listed on that model's page.
    let ceremonies: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("du-lieu/tuyen-duong.json")).unwrap())
            .unwrap();
    let mut pairs = 0;
    for c in ceremonies["ceremonies"].as_array().unwrap() {
        let slug = c["slug"].as_str().unwrap();
        let ceremony_page = page(public, &format!("tuyen-duong/{slug}/index.html"));
        for h in c["honorees"].as_array().unwrap() {
            if let Some(m) = h["model"].as_str() {
                assert!(
                    ceremony_page.contains(&format!("href=/mo-hinh/{m}/")),
                    "{slug} links {m}"
                );
                let model_page = page(public, &format!("mo-hinh/{m}/index.html"));
                assert!(
                    model_page.contains(&format!("href=/tuyen-duong/{slug}/")),
                    "{m} links back to {slug}"
                );
                pairs += 1;
            }
        }
    }
    assert!(pairs >= 10, "the sample site has honoree links ({pairs})");
    for m in models {
        for c in m["honoured_by"].as_array().unwrap() {
            let html = page(
                public,
                &format!("tuyen-duong/{}/index.html", c.as_str().unwrap()),
            );
            assert!(html.contains(&format!("href=/mo-hinh/{}/", m["slug"].as_str().unwrap())));
        }
    }
}

/// A model that names a ceremony only in its own recognitions still appears
/// on that ceremony's page.
#[test]
fn recognition_shows_on_the_ceremony_page_too() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    fs::write(
        site.join("content/mo-hinh/them.md"),
        "---\nid: them1\ntitle: Mô hình được nêu thêm\nfield: kinh-te\nkind: tap-the\nrecognitions:\n  - {level: cap-huyen, year: 2020, award: giay-khen, ceremony: le-quan-4}\n---\n",
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    let ceremony = page(&public, "tuyen-duong/le-quan-4/index.html");
    assert!(ceremony.contains("href=/dan-van/mo-hinh/them/>Mô hình được nêu thêm</a>"));
    assert!(
        ceremony.contains("href=/dan-van/mo-hinh/hu-gao/>"),
        "its own honoree stays"
    );
    let model = page(&public, "mo-hinh/them/index.html");
    assert!(model.contains("href=/dan-van/tuyen-duong/le-quan-4/>Hội nghị Quận 4</a>"));
    // Named from both sides (le-quan-1 ↔ tu-banh-mi): listed once.
    let le1 = page(&public, "tuyen-duong/le-quan-1/index.html");
    assert_eq!(le1.matches("href=/dan-van/mo-hinh/tu-banh-mi/>").count(), 1);
}

/// A site whose interface is English still publishes Vietnamese documents:
/// pages and feeds declare the content's language, not the interface's.
#[test]
fn pages_declare_the_content_language_not_the_interface_language() {
    for (extra, lang, ok) in [
        ("language: en\n", "vi", true),
        ("language: en\ncontent_language: en\n", "en", true),
        ("content_language: \"Tiếng Việt\"\n", "", false),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        common::copy_dir(Path::new(common::FIXTURE_SITE), &site);
        let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
        fs::write(site.join("site.yaml"), format!("{yaml}{extra}")).unwrap();
        let out = common::run(&site, &["build"]);
        if !ok {
            assert!(
                !out.ok && out.stderr.contains("content_language"),
                "{}",
                out.stderr
            );
            continue;
        }
        assert!(out.ok, "{}", out.stderr);
        let home = fs::read_to_string(site.join("public/index.html")).unwrap();
        assert!(
            home.contains(&format!("<html lang={lang}>")),
            "{extra}: {}",
            &home[..200]
        );
        assert!(
            home.contains(&format!("\"inLanguage\":\"{lang}\"")),
            "{extra}"
        );
        let feed = fs::read_to_string(site.join("public/atom.xml")).unwrap();
        assert!(feed.contains(&format!("xml:lang=\"{lang}\"")), "{extra}");
    }
}

/// Places read one way everywhere: the register's label alone (no "Tỉnh"
/// before "Hà Tĩnh"), and today's unit with the old name beside it in the
/// search facet and the statistics alike.
#[test]
fn places_read_the_same_in_the_tree_the_statistics_and_the_search_facet() {
    let public = common::sample_public();
    let index = common::page(public, "dia-ban/index.html");
    assert!(index.contains(">Hà Tĩnh<"), "place index adds the type");
    assert!(!index.contains("Tỉnh Hà Tĩnh"), "place index adds the type");
    let merged = "Hải Phòng (gồm cả Hải Dương cũ)";
    let stats = common::page(public, "thong-ke/index.html");
    assert!(
        stats.contains(merged),
        "statistics do not name the old unit"
    );

    // The sample's copy the build used (the repository's own would race
    // the browser test's build).
    let site = public.parent().unwrap();
    let (site, _) =
        dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(site)).unwrap();
    let (docs, _) = dienhinh::search::document::documents(
        &site,
        &dienhinh::search::document::TypeLabels::for_site(&site),
    );
    let kinh_mon = docs
        .iter()
        .find(|d| d.meta(&site).place.contains("Kinh Môn"))
        .expect("a Kinh Môn document");
    let province = dienhinh::search::document::Facet::Province;
    let facet = &kinh_mon.facet(province)[0];
    assert_eq!(facet.label, merged);
    assert_eq!(facet.id, "hai-phong");
    // One value per province: no facet still says "Hải Dương" alone.
    assert!(docs
        .iter()
        .flat_map(|d| d.facet(province))
        .all(|f| f.label != "Hải Dương"));
}

/// The fixture with `extra` appended to its site.yaml, built.
fn build_fixture_with(extra: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(site.join("site.yaml"), format!("{yaml}\n{extra}\n")).unwrap();
    let out = run(&site, &["build"]);
    assert!(
        out.ok,
        "fixture build with {extra:?} failed:\n{}",
        out.stderr
    );
    (tmp, site)
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    common::snapshot(dir).into_keys().collect()
}

/// `(visible text, href)` of the feed link in a list page's count line.
fn list_feed_link(html: &str) -> (String, String) {
    let line = &html[html.find("<p class=muted>").expect("count line")..];
    let line = &line[..line.find("</p>").unwrap()];
    let a = &line[line.find("<a href=").expect("a feed link") + "<a href=".len()..];
    let href = a[..a.find('>').unwrap()].trim_matches('"').to_string();
    let text = a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()].to_string();
    (text, href)
}

/// By default only provinces (the top of the place tree) and fields have a
/// feed and an embed of their own; a district page links to its
/// province's feed, named, and a year's page to the site's.
#[test]
fn feeds_and_embeds_by_default_cover_provinces_and_fields_only() {
    let (_tmp, site) = build_fixture();
    let public = site.join("public");
    for written in [
        "atom.xml",
        "linh-vuc/van-hoa-xa-hoi/atom.xml",
        "linh-vuc/quoc-phong-an-ninh/atom.xml",
        "dia-ban/tp-ho-chi-minh/atom.xml",
        "nhung/index.html",
        "nhung/linh-vuc/van-hoa-xa-hoi/index.html",
        "nhung/dia-ban/tp-ho-chi-minh/index.html",
    ] {
        assert!(public.join(written).is_file(), "{written} is written");
    }
    let files = files_under(&public);
    let feeds: Vec<&String> = files.iter().filter(|f| f.ends_with("atom.xml")).collect();
    assert_eq!(
        feeds,
        [
            "atom.xml",
            "dia-ban/tp-ho-chi-minh/atom.xml",
            "linh-vuc/quoc-phong-an-ninh/atom.xml",
            "linh-vuc/van-hoa-xa-hoi/atom.xml",
        ],
        "the site's, one province's and two fields' feeds"
    );
    let embeds: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("nhung/") && f.as_str() != "nhung/index.html")
        .collect();
    assert_eq!(
        embeds,
        [
            "nhung/dia-ban/tp-ho-chi-minh/index.html",
            "nhung/linh-vuc/quoc-phong-an-ninh/index.html",
            "nhung/linh-vuc/van-hoa-xa-hoi/index.html",
        ]
    );
    // A district's page: its province's feed, which holds its documents.
    let quan_1 = page(&public, "dia-ban/tp-ho-chi-minh/quan-1/index.html");
    assert_eq!(
        list_feed_link(&quan_1),
        (
            "Nguồn tin Atom (TP. Hồ Chí Minh)".to_string(),
            "/dan-van/dia-ban/tp-ho-chi-minh/atom.xml".to_string()
        )
    );
    // A province's and a field's page: their own, unnamed.
    let hcm = page(&public, "dia-ban/tp-ho-chi-minh/index.html");
    assert_eq!(
        list_feed_link(&hcm).1,
        "/dan-van/dia-ban/tp-ho-chi-minh/atom.xml"
    );
    let field = page(&public, "linh-vuc/van-hoa-xa-hoi/index.html");
    assert_eq!(
        list_feed_link(&field),
        (
            "Nguồn tin Atom".to_string(),
            "/dan-van/linh-vuc/van-hoa-xa-hoi/atom.xml".to_string()
        )
    );
    // Any other term's page: the site's feed, said to be the whole site's.
    for term in ["nam/2019/index.html", "tu-khoa/an-sinh-xa-hoi/index.html"] {
        assert_eq!(
            list_feed_link(&page(&public, term)),
            (
                "Nguồn tin Atom (toàn trang)".to_string(),
                "/dan-van/atom.xml".to_string()
            ),
            "{term}"
        );
    }
    // The embeds page promises no embed for a year or a district.
    let index = page(&public, "nhung/index.html");
    assert!(!index.contains("nhung/ vào đầu đường dẫn"), "{index}");
}

/// `feeds:` and `embeds:` in site.yaml bring back a feed and an embed for
/// every place and term, and the pages link to them.
#[test]
fn feeds_and_embeds_of_every_place_and_term_on_request() {
    let (_tmp, site) = build_fixture_with(
        "feeds: {places: all, terms: all}\nembeds:\n  places: all\n  terms: all",
    );
    let public = site.join("public");
    for feed in [
        "dia-ban/tp-ho-chi-minh/quan-1/atom.xml",
        "dia-ban/tp-ho-chi-minh/quan-4/atom.xml",
        "nam/2019/atom.xml",
        "tu-khoa/an-sinh-xa-hoi/atom.xml",
        "loai/tap-the/atom.xml",
    ] {
        let xml = fs::read_to_string(public.join(feed)).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "feed", "{feed}");
    }
    for embed in [
        "nhung/dia-ban/tp-ho-chi-minh/quan-1/index.html",
        "nhung/nam/2019/index.html",
        "nhung/tu-khoa/an-sinh-xa-hoi/index.html",
    ] {
        assert!(public.join(embed).is_file(), "{embed}");
    }
    let quan_1 = page(&public, "dia-ban/tp-ho-chi-minh/quan-1/index.html");
    assert_eq!(
        list_feed_link(&quan_1),
        (
            "Nguồn tin Atom".to_string(),
            "/dan-van/dia-ban/tp-ho-chi-minh/quan-1/atom.xml".to_string()
        )
    );
    assert_eq!(
        list_feed_link(&page(&public, "nam/2019/index.html")).1,
        "/dan-van/nam/2019/atom.xml"
    );
    let index = page(&public, "nhung/index.html");
    assert!(index.contains("thêm nhung/ vào đầu đường dẫn"), "{index}");

    // Only the districts: the fields keep theirs, the other terms have none.
    let (_tmp2, site) = build_fixture_with("feeds: {places: all}");
    let public = site.join("public");
    assert!(public
        .join("dia-ban/tp-ho-chi-minh/quan-1/atom.xml")
        .is_file());
    assert!(public.join("linh-vuc/van-hoa-xa-hoi/atom.xml").is_file());
    assert!(!public.join("nam/2019/atom.xml").exists());
    assert!(!public.join("nhung/dia-ban/tp-ho-chi-minh/quan-1").exists());
}

/// `none` leaves the site's feed alone; with no embed at all the embeds
/// page and its footer link go too.
#[test]
fn no_feed_or_embed_but_the_site_feed_on_request() {
    let (_tmp, site) = build_fixture_with(
        "feeds: {places: none, terms: none}\nembeds: {places: none, terms: none}",
    );
    let public = site.join("public");
    let files = files_under(&public);
    let feeds: Vec<&String> = files.iter().filter(|f| f.ends_with("atom.xml")).collect();
    assert_eq!(feeds, ["atom.xml"]);
    assert!(!public.join("nhung").exists());
    let home = page(&public, "index.html");
    assert!(
        !home.contains("/dan-van/nhung/"),
        "footer links no embeds page"
    );
    assert!(
        home.contains("href=/dan-van/atom.xml"),
        "the site's feed stays"
    );
    for list in [
        "dia-ban/tp-ho-chi-minh/index.html",
        "dia-ban/tp-ho-chi-minh/quan-1/index.html",
        "linh-vuc/van-hoa-xa-hoi/index.html",
    ] {
        assert_eq!(
            list_feed_link(&page(&public, list)).1,
            "/dan-van/atom.xml",
            "{list}"
        );
    }
    // Embeds of the fields alone: the embeds page shows those, its sample
    // is one of them, and it lists no province.
    let (_tmp2, site) = build_fixture_with("embeds: {places: none}");
    let public = site.join("public");
    let index = page(&public, "nhung/index.html");
    assert!(index.contains("href=/dan-van/nhung/linh-vuc/van-hoa-xa-hoi/"));
    assert!(!index.contains("nhung/dia-ban/"), "{index}");
    assert!(!public.join("nhung/dia-ban").exists());
}

/// Every `href` and `src` (and URL in a code sample) of every HTML page
/// that names a feed or an embed reaches a file the build wrote, however
/// `feeds:` and `embeds:` are set.
#[test]
fn no_page_links_to_a_feed_or_embed_that_is_not_written() {
    let settings = [
        "",
        "feeds: {places: all, terms: all}\nembeds: {places: all, terms: all}",
        "feeds: {places: none, terms: none}\nembeds: {places: none, terms: none}",
        "feeds: {places: all, terms: none}\nembeds: {places: none, terms: all}",
        "feeds: {terms: all}\nembeds: {places: all}",
    ];
    for extra in settings {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        for part in ["content", "themes", "static"] {
            copy_dir(&Path::new(common::SAMPLE_SITE).join(part), &site.join(part));
        }
        for file in ["site.yaml", "urls.lock"] {
            fs::copy(Path::new(common::SAMPLE_SITE).join(file), site.join(file)).unwrap();
        }
        let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
        fs::write(site.join("site.yaml"), format!("{yaml}\n{extra}\n")).unwrap();
        let out = run(&site, &["build", "--base-url", "https://dv.vi-du.vn/"]);
        assert!(out.ok, "{extra:?}:\n{}", out.stderr);
        let public = site.join("public");
        let files = common::snapshot(&public);
        let mut checked = 0;
        let mut fallbacks = 0;
        for (path, bytes) in &files {
            if !path.ends_with(".html") {
                continue;
            }
            let html = common::canonical(&String::from_utf8_lossy(bytes)).replace("&quot;", "\"");
            for attr in ["href=", "src="] {
                for rest in html.split(attr).skip(1) {
                    let value = match rest.chars().next() {
                        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
                        _ => rest.split([' ', '>']).next().unwrap_or_default(),
                    };
                    let Some(rel) = value
                        .strip_prefix("https://dv.vi-du.vn/")
                        .or_else(|| value.strip_prefix('/'))
                    else {
                        continue;
                    };
                    let rel = rel.split(['#', '?']).next().unwrap_or_default();
                    if !(rel.ends_with("atom.xml") || rel.starts_with("nhung/")) {
                        continue;
                    }
                    let file = if rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.to_string()
                    };
                    assert!(
                        files.contains_key(&file),
                        "{extra:?}: {path} links to {value}, which is not written"
                    );
                    checked += 1;
                }
            }
            // A place page (not a later page of one) linking another feed
            // than its own.
            if path.starts_with("dia-ban/")
                && path != "dia-ban/index.html"
                && !path.contains("/trang/")
                && list_feed_link(&html).1 != format!("/{}", path.replace("index.html", "atom.xml"))
            {
                fallbacks += 1;
            }
        }
        assert!(checked > 100, "{extra:?}: only {checked} links checked");
        // Below the provinces, a place page links to a feed other than its
        // own unless every place has one.
        if extra.starts_with("feeds: {places: all") {
            assert_eq!(fallbacks, 0, "{extra:?}");
        } else {
            assert!(
                fallbacks > 0,
                "{extra:?}: every place page links its own feed"
            );
        }
    }
}

#[test]
fn a_ceremony_shows_where_it_was_held() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let file = site.join("content/tuyen-duong/le-quan-1.md");
    common::add_front_matter(&file, "venue: \"Hội trường UBND Quận 1\"\n");
    let r = common::run_in(&site, &["build"]);
    assert!(r.ok, "{}", r.stderr);
    let html = page(&site.join("public"), "tuyen-duong/le-quan-1/index.html");
    assert!(
        html.contains("<dt>Nơi tổ chức</dt><dd>Hội trường UBND Quận 1</dd>"),
        "{html}"
    );
    // A ceremony without one shows no empty row.
    let other = page(&site.join("public"), "tuyen-duong/le-quan-4/index.html");
    assert!(!other.contains("Nơi tổ chức"));
}
