//! `host:` in site.yaml (docs/deploy.md § Hosts and their limits): the
//! build writes short links and aliases as the named host serves them —
//! its redirect rules where it reads them all, forwarding pages where it
//! cannot — and says so when the site is past one of the host's limits.

#[cfg(unix)]
use crate::common::one_file;
use crate::common::{copy_dir, run_in, FIXTURE_SITE};
use std::path::{Path, PathBuf};

/// The fixture site in a temp dir, with `host:` set to `host`.
fn site_on(host: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let yaml = site.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}\nhost: {host}\n")).unwrap();
    (tmp, site)
}

/// The short-link forwarding pages a build wrote (`m/<id>.html`).
fn short_link_pages(public: &Path) -> usize {
    std::fs::read_dir(public.join("m")).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref().is_ok_and(|e| {
                e.path().extension().is_some_and(|x| x == "html") && e.path().is_file()
            })
        })
        .count()
    })
}

#[test]
fn each_host_gets_the_redirects_it_serves() {
    // (host, forwarding pages, `_redirects`, nginx map)
    for (host, pages, rules, map) in [
        ("nginx", false, false, true),
        ("netlify", false, true, false),
        ("cloudflare", false, true, false),
        ("gitlab", false, true, false),
        ("github", true, false, false),
    ] {
        let (_tmp, site) = site_on(host);
        let out = run_in(&site, &["build"]);
        assert!(out.ok, "{host}: {}", out.stderr);
        let public = site.join("public");
        assert_eq!(short_link_pages(&public) > 0, pages, "{host}");
        assert_eq!(public.join("_redirects").is_file(), rules, "{host}");
        assert_eq!(public.join("redirects.nginx.map").is_file(), map, "{host}");
        if rules {
            let text = std::fs::read_to_string(public.join("_redirects")).unwrap();
            assert!(text.contains("/dan-van/m/"), "{host}: {text}");
            assert!(text.lines().filter(|l| l.ends_with(" 301")).count() >= 2);
        }
        assert!(!out.stderr.contains("DH045"), "{host}: {}", out.stderr);
    }
    // No host: everything, as before.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    assert!(run_in(&site, &["build"]).ok);
    let public = site.join("public");
    assert!(short_link_pages(&public) > 0);
    assert!(public.join("_redirects").is_file() && public.join("redirects.nginx.map").is_file());
}

/// GitLab Pages applies no rule of a `_redirects` past 1,000 rules: the
/// build writes forwarding pages instead, and says why.
#[test]
fn past_the_hosts_rule_limit_short_links_are_pages() {
    let (_tmp, site) = site_on("gitlab");
    let aliases: Vec<String> = (0..1_000).map(|i| format!("  - /cu/trang-{i}/")).collect();
    std::fs::write(
        site.join("content/lich-su.md"),
        format!(
            "---\ntitle: Lịch sử\naliases:\n{}\n---\nTrang có nhiều địa chỉ cũ.\n",
            aliases.join("\n")
        ),
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    assert!(!public.join("_redirects").exists());
    assert!(short_link_pages(&public) > 0);
    assert!(public.join("cu/trang-999/index.html").is_file());
    assert!(out.stderr.contains("DH045"), "{}", out.stderr);
    assert!(out.stderr.contains("1000"), "{}", out.stderr);
}

#[test]
fn an_unknown_host_is_named_with_the_nearest() {
    let (_tmp, site) = site_on("cloudfare");
    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("DH018"), "{}", out.stderr);
    assert!(out.stderr.contains("`cloudflare`"), "{}", out.stderr);
    assert!(!site.join("public").exists());
}

/// A short link publishes its document's page, as one file with it (no
/// file of its own), compressed siblings included; a rebuild keeps the two
/// together whether the page changed or not. Where the host's upload
/// copies linked files apart (GitHub Pages), it is a small forwarding page.
#[cfg(unix)]
#[test]
fn a_short_link_is_its_documents_page_except_where_links_are_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let (short, own) = ("m/tbm01.html", "mo-hinh/tu-banh-mi/index.html");
    let other = ("m/hg002.html", "mo-hinh/hu-gao/index.html");
    let out = run_in(&site, &["build", "--compress"]);
    assert!(out.ok, "{}", out.stderr);
    let public = site.join("public");
    for (a, b) in [
        (short, own),
        ("m/tbm01.html.gz", "mo-hinh/tu-banh-mi/index.html.gz"),
        ("m/tbm01.html.br", "mo-hinh/tu-banh-mi/index.html.br"),
        other,
    ] {
        assert!(one_file(&public, a, b), "{a} and {b}");
    }
    // Edited, a page is written anew, and its short link follows it; the
    // other documents' links stay as they were.
    let md = site.join("content/mo-hinh/tu-banh-mi.md");
    let text = std::fs::read_to_string(&md).unwrap();
    // Saved as editors' programs save: a new file renamed over the old.
    let saved = md.with_extension("md.tmp");
    std::fs::write(&saved, format!("{text}\nMột đoạn thêm.\n")).unwrap();
    std::fs::rename(&saved, &md).unwrap();
    let again = run_in(&site, &["build", "--compress"]);
    assert!(again.ok, "{}", again.stderr);
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    assert!(read(own).contains("Một đoạn thêm."));
    assert!(one_file(&public, short, own) && one_file(&public, other.0, other.1));
    assert!(one_file(
        &public,
        "m/tbm01.html.gz",
        "mo-hinh/tu-banh-mi/index.html.gz"
    ));
    // Nothing changed: the next build keeps them as they are.
    assert!(run_in(&site, &["build", "--compress"]).ok);
    assert!(one_file(&public, short, own) && read(short).contains("Một đoạn thêm."));

    let (_tmp, github) = site_on("github");
    assert!(run_in(&github, &["build"]).ok);
    let public = github.join("public");
    let page = std::fs::read_to_string(public.join(short)).unwrap();
    assert!(
        page.contains("http-equiv=\"refresh\"") || page.contains("http-equiv=refresh"),
        "{page}"
    );
    assert!(
        page.len() < 4_000,
        "a small forwarding page: {} bytes",
        page.len()
    );
    assert!(!one_file(&public, short, own));
}
