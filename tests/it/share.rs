//! Pages as they travel: link previews (`og:image` on every page, drawn
//! cards where a page has no photo), the share block, the agency's identity
//! in site.yaml, and the embeds index the footer links to.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, run_in};

/// Every HTML file under `public`, site-relative.
fn html_files(public: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// The `content` of `<meta property="og:image">`, quoted or not (the
/// minifier drops quotes it can).
fn og_image(html: &str) -> Option<String> {
    let at = html
        .find("property=og:image>")
        .or_else(|| html.find("property=\"og:image\""))?;
    let tag_start = html[..at].rfind("<meta")?;
    let tag = &html[tag_start..at];
    let value = tag.split("content=").nth(1)?.trim();
    Some(value.trim_matches(|c| c == '"' || c == ' ').to_string())
}

#[test]
fn every_built_page_names_an_og_image_of_1200_by_630_that_exists() {
    let public = common::sample_public();
    let base = "http://localhost:1111/";
    let pages = html_files(public);
    // The sample site as built (a list's later pages are few: rows of 100).
    assert!(pages.len() > 250, "only {} pages", pages.len());
    let mut checked = std::collections::BTreeMap::new();
    for page in &pages {
        let rel = page.strip_prefix(public).unwrap().display().to_string();
        let html = common::canonical(&fs::read_to_string(page).unwrap());
        let image = og_image(&html).unwrap_or_else(|| panic!("{rel} has no og:image"));
        let path = image
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{rel}: og:image {image} is not on the site"));
        let size = *checked.entry(path.to_string()).or_insert_with(|| {
            let file = public.join(path);
            let img = image::open(&file)
                .unwrap_or_else(|e| panic!("{rel}: og:image {path} does not open: {e}"));
            (img.width(), img.height())
        });
        assert_eq!(size, (1200, 630), "{rel}: og:image {path}");
    }
    // Cards are small enough for a preview on a slow link.
    for path in checked.keys().filter(|p| p.starts_with("chia-se/")) {
        let len = fs::metadata(public.join(path)).unwrap().len();
        assert!(len < 80 * 1024, "{path} is {len} bytes");
    }
    // The site, each field and each province have their own card, and
    // pages use the nearest: a model without a photo its field's.
    let cards: Vec<&String> = checked
        .keys()
        .filter(|p| p.starts_with("chia-se/"))
        .collect();
    assert!(
        cards.iter().any(|p| p.starts_with("chia-se/trang-")),
        "{cards:?}"
    );
    assert!(
        cards
            .iter()
            .any(|p| p.starts_with("chia-se/linh-vuc-van-hoa-xa-hoi-")),
        "{cards:?}"
    );
    assert!(
        cards
            .iter()
            .any(|p| p.starts_with("chia-se/dia-ban-tp-ho-chi-minh-")),
        "{cards:?}"
    );
    let model = common::page(public, "mo-hinh/q1-tu-banh-mi-nghia-tinh/index.html");
    assert!(og_image(&model)
        .unwrap()
        .contains("chia-se/linh-vuc-van-hoa-xa-hoi-"));
    let place = common::page(public, "dia-ban/tp-ho-chi-minh/index.html");
    assert!(og_image(&place)
        .unwrap()
        .contains("chia-se/dia-ban-tp-ho-chi-minh-"));
}

#[test]
fn share_cards_documents_gives_each_document_without_a_photo_its_card_and_the_cache_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::init_site(
        tmp.path(),
        "trang",
        &["--organization", "Ban Dân vận Huyện ủy Tam Nông"],
    );
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        format!("{yaml}\nshare_cards: documents\n"),
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let model = common::page(
        &site.join("public"),
        "mo-hinh/nam-gao-tinh-thuong/index.html",
    );
    let image = og_image(&model).unwrap();
    assert!(
        image.contains("/chia-se/mo-hinh-nam-gao-tinh-thuong-"),
        "{image}"
    );
    let short = walkdir::WalkDir::new(site.join("public/m"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| common::canonical(&fs::read_to_string(e.path()).unwrap()))
        .find(|html| html.contains("/mo-hinh/nam-gao-tinh-thuong/"))
        .expect("the model's short link page");
    // A short link pasted into Zalo previews like the page itself.
    assert_eq!(og_image(&short).as_deref(), Some(image.as_str()));

    // Drawn once: the next build reads the cache (same bytes, same names).
    let cache = site.join(".dienhinh/cache/cards");
    let cached = fs::read_dir(&cache).unwrap().count();
    assert!(cached >= 3, "{cached} cards cached");
    let before = common::snapshot(&site.join("public/chia-se"));
    let again = run_in(&site, &["build"]);
    assert!(again.ok, "{}", again.stderr);
    assert_eq!(before, common::snapshot(&site.join("public/chia-se")));
    assert_eq!(fs::read_dir(&cache).unwrap().count(), cached);
}

#[test]
fn the_agency_and_its_logo_are_in_the_header_footer_and_printout() {
    let public = common::sample_public();
    let model = common::page(public, "mo-hinh/q1-tu-banh-mi-nghia-tinh/index.html");
    let org = "Nhóm biên soạn trang mẫu dienhinh";
    // Header, printout head and foot, footer address.
    assert!(
        model.matches(org).count() >= 4,
        "agency named {} times",
        model.matches(org).count()
    );
    assert!(model.contains("class=brand-logo"), "no logo in the header");
    assert!(public.join("logo.svg").is_file(), "logo not published");
    assert!(
        model.contains("<address class=org>"),
        "no address block in the footer"
    );
    assert!(model.contains("mailto:lienhe@example.org"));
    // The build day, for the printout.
    assert!(
        model.contains("Trang được dựng ngày"),
        "no build date for print"
    );
    // Share: the short link in a field that works without a script, and a
    // plain Facebook link to the page's own address.
    assert!(model.contains("id=short-link-field"));
    assert!(model.contains(
        "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Flocalhost%3A1111%2Fmo%2Dhinh%2Fq1%2Dtu%2Dbanh%2Dmi%2Dnghia%2Dtinh%2F"
    ), "no Facebook share link to the page");
    // The embeds are found from the footer.
    assert!(
        model.contains("href=/nhung/>"),
        "footer does not link the embeds"
    );
    let embeds = common::page(public, "nhung/index.html");
    assert!(
        embeds.contains("&lt;iframe src=\"http://localhost:1111/nhung/linh-vuc/")
            || embeds.contains("&lt;iframe src=&quot;http://localhost:1111/nhung/linh-vuc/"),
        "no sample embed code"
    );
    assert!(
        embeds.contains("href=/nhung/dia-ban/tp-ho-chi-minh/"),
        "no province embed listed"
    );
    assert!(
        embeds.contains("href=/gioi-thieu/"),
        "footer does not link the about page"
    );
}

#[test]
fn a_logo_that_is_not_a_picture_under_static_is_a_warning_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::init_site(
        tmp.path(),
        "trang",
        &["--base-url", "https://danvan.tinh.gov.vn"],
    );
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        format!("{yaml}logo: bieu-trung.svg\n"),
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("DH070"), "{}", out.stderr);
    assert!(
        out.stderr.contains("static/bieu-trung.svg"),
        "{}",
        out.stderr
    );
    let line = yaml.lines().count() + 1;
    assert!(
        out.stderr.contains(&format!("site.yaml:{line}:7")),
        "{}",
        out.stderr
    );
    let home = common::page(&site.join("public"), "index.html");
    assert!(!home.contains("bieu-trung.svg"), "a missing logo is linked");
    let strict = run_in(&site, &["check", "--strict"]);
    assert!(!strict.ok, "check --strict passes a missing logo");

    fs::write(
        site.join("static/bieu-trung.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(out.ok && !out.stderr.contains("DH070"), "{}", out.stderr);
    let home = common::page(&site.join("public"), "index.html");
    assert!(
        home.contains("src=/bieu-trung.svg"),
        "the logo is not in the header"
    );
}

/// A place whose name ends in "trang" (Nha Trang) is not a list's later
/// page: its page and its statistics take its province's card.
#[test]
fn a_place_named_trang_takes_its_provinces_card() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::init_site(tmp.path(), "trang", &[]);
    fs::write(
        site.join("content/mo-hinh/nha-trang.md"),
        "---\nid: nt001\ntitle: \"Tổ tự quản ven biển\"\nfield: kinh-te\nkind: tap-the\nplace: [Khánh Hòa, Thành phố Nha Trang]\n---\nNội dung.\n",
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    for page in [
        "dia-ban/khanh-hoa/thanh-pho-nha-trang/index.html",
        "thong-ke/dia-ban/khanh-hoa/index.html",
    ] {
        let image = og_image(&common::page(&public, page)).unwrap();
        assert!(
            image.contains("/chia-se/dia-ban-khanh-hoa-"),
            "{page}: {image}"
        );
    }
}
