//! `build --compress` (or `compress: true` in site.yaml) writes `.gz` and
//! `.br` beside every text file, smaller than it, decompressing to the same
//! bytes, and identical from one build to the next.

use crate::common;

use std::fs;
use std::io::Read;
use std::path::Path;

use common::{copy_dir, run, snapshot, FIXTURE_SITE};

fn fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    (tmp, site)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn text_files_get_smaller_gz_and_br_siblings() {
    let (_tmp, site) = fixture();
    let out = run(&site, &["build", "--compress"]);
    assert!(out.ok, "{}", out.stderr);
    let files = snapshot(&site.join("public"));
    let mut text = 0;
    let mut with_both = 0;
    for (path, bytes) in &files {
        if path.ends_with(".gz") || path.ends_with(".br") {
            let original = path[..path.len() - 3].to_string();
            let plain = files
                .get(&original)
                .unwrap_or_else(|| panic!("{path} without {original}"));
            assert!(bytes.len() < plain.len(), "{path} is not smaller");
            assert!(
                dienhinh::compress::is_text(&original),
                "{path}: only text is compressed"
            );
            let back = if path.ends_with(".gz") {
                gunzip(bytes)
            } else {
                unbrotli(bytes)
            };
            assert!(back == *plain, "{path} does not decompress to {original}");
            continue;
        }
        if !dienhinh::compress::is_text(path) {
            assert!(!files.contains_key(&format!("{path}.gz")), "{path}");
            continue;
        }
        text += 1;
        if files.contains_key(&format!("{path}.gz")) && files.contains_key(&format!("{path}.br")) {
            with_both += 1;
        }
    }
    for must in [
        "index.html",
        "404.html",
        "mo-hinh/tu-banh-mi/index.html",
        "atom.xml",
        "sitemap.xml",
    ] {
        assert!(files.contains_key(&format!("{must}.gz")), "{must}.gz");
        assert!(files.contains_key(&format!("{must}.br")), "{must}.br");
    }
    let css = files
        .keys()
        .find(|k| k.starts_with("style.") && k.ends_with(".css"))
        .unwrap();
    assert!(files.contains_key(&format!("{css}.br")));
    assert!(
        with_both * 10 >= text * 8,
        "most text files compress: {with_both} of {text}"
    );
}

#[test]
fn compressed_files_are_the_same_on_every_build() {
    let (_tmp, site) = fixture();
    assert!(run(&site, &["build", "--compress"]).ok);
    let first = snapshot(&site.join("public"));
    // Let the clock move so a timestamp would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(run(&site, &["build", "--compress"]).ok);
    let second = snapshot(&site.join("public"));
    let packed: Vec<&String> = first
        .keys()
        .filter(|k| k.ends_with(".gz") || k.ends_with(".br"))
        .collect();
    assert!(!packed.is_empty());
    for k in packed {
        assert!(first[k] == second[k], "{k} changed between builds");
    }
}

#[test]
fn site_yaml_setting_compresses_and_default_does_not() {
    let (_tmp, site) = fixture();
    assert!(run(&site, &["build"]).ok);
    assert!(
        !site.join("public/index.html.gz").exists(),
        "off by default"
    );
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(site.join("site.yaml"), format!("{yaml}\ncompress: true\n")).unwrap();
    let out = run(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(site.join("public/index.html.gz").is_file());
    assert!(site.join("public/index.html.br").is_file());
}
