//! The benchmark corpus generator (examples/gen_corpus.rs) is deterministic,
//! exercises the whole schema and writes a site `dienhinh build` accepts.

use crate::common;

use crate::corpus as gen_corpus;

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const MODELS: usize = 200;
const CEREMONIES: usize = 20;

fn generate(out: &Path, seed: u64) -> BTreeMap<String, Vec<u8>> {
    gen_corpus::run(&gen_corpus::Args {
        models: MODELS,
        ceremonies: CEREMONIES,
        seed,
        out: out.to_path_buf(),
        photos: true,
    })
    .expect("generate");
    common::snapshot(out)
}

fn texts<'a>(files: &'a BTreeMap<String, Vec<u8>>, dir: &str) -> Vec<(&'a str, String)> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with(dir) && p.ends_with(".md"))
        .map(|(p, b)| (p.as_str(), String::from_utf8(b.clone()).expect("UTF-8")))
        .collect()
}

/// The value of a top-level front-matter key, as written.
fn front_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let front = text.split("\n---\n").next()?;
    front
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
}

#[test]
fn same_seed_gives_the_same_bytes_and_the_site_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let a = generate(&tmp.path().join("a"), 7);
    let b = generate(&tmp.path().join("b"), 7);
    assert_eq!(a.len(), b.len(), "same number of files");
    for (path, bytes) in &a {
        assert!(b.get(path) == Some(bytes), "{path} differs between runs");
    }
    let c = generate(&tmp.path().join("c"), 8);
    assert_ne!(a, c, "another seed must give another corpus");

    let models = texts(&a, "content/mo-hinh/");
    let ceremonies = texts(&a, "content/tuyen-duong/");
    assert_eq!(models.len(), MODELS);
    assert_eq!(ceremonies.len(), CEREMONIES);
    assert!(a.contains_key("site.yaml") && a.contains_key("content/gioi-thieu.md"));

    // Every key of the schema appears somewhere (README.md § Content schema).
    let model_keys = [
        "id",
        "title",
        "slug",
        "summary",
        "field",
        "kind",
        "owner",
        "organizations",
        "place",
        "period",
        "date",
        "status",
        "history",
        "recognitions",
        "results",
        "replicated_from",
        "tags",
        "images",
        "sources",
        "aliases",
        "public",
        "draft",
    ];
    let ceremony_keys = [
        "id",
        "title",
        "summary",
        "date",
        "event_type",
        "organizer",
        "level",
        "place",
        "occasion",
        "tags",
        "honorees",
        "award_counts",
        "statistics",
        "sources",
    ];
    for (keys, docs) in [
        (&model_keys[..], &models),
        (&ceremony_keys[..], &ceremonies),
    ] {
        for key in keys {
            let prefix = format!("\n{key}:");
            assert!(
                docs.iter().any(|(_, t)| t.contains(&prefix)),
                "no document writes `{key}`"
            );
        }
    }
    let all = models.iter().chain(&ceremonies);
    let text = |(_, t): &&(&str, String)| t.clone();
    let joined: String = all.clone().map(|d| text(&d)).collect();
    for needle in [
        "{name: ",
        "{model: ",
        "breakdowns:",
        "qualifier: hon",
        "Quyết định số ",
    ] {
        assert!(joined.contains(needle), "no document contains `{needle}`");
    }

    // Some files arrive in NFD, some without diacritics (about 5% and 3%).
    let nfd = all
        .clone()
        .filter(|(_, t)| t.nfc().collect::<String>() != *t)
        .count();
    let plain = all
        .clone()
        .filter(|(_, t)| !t.nfd().any(is_combining_mark) && !t.contains(['đ', 'Đ']))
        .count();
    let n = MODELS + CEREMONIES;
    assert!((2..=n / 8).contains(&nfd), "{nfd} NFD files of {n}");
    assert!(
        (1..=n / 10).contains(&plain),
        "{plain} files without diacritics of {n}"
    );

    // Ids are unique 5-character keys.
    let mut ids: Vec<&str> = all
        .clone()
        .filter_map(|(_, t)| front_value(t, "id"))
        .collect();
    assert!(ids.iter().all(|id| id.len() == 5), "ids are 5 characters");
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "ids are unique");

    let site = tmp.path().join("a");
    let run = common::run(&site, &["build"]);
    assert!(run.ok, "build failed:\n{}", run.stderr);
    let public = site.join("public");
    let mut published = 0;
    for (path, t) in &models {
        if front_value(t, "draft") == Some("true") {
            continue;
        }
        let stem = Path::new(path).file_stem().unwrap().to_string_lossy();
        let slug = front_value(t, "slug").map_or(stem.to_string(), str::to_string);
        let page = public.join("mo-hinh").join(&slug).join("index.html");
        assert!(page.is_file(), "{path}: no page at {}", page.display());
        published += 1;
    }
    assert!(published > MODELS * 9 / 10);
    // A ceremony that honours models links to their pages.
    let (path, honouring) = ceremonies
        .iter()
        .find(|(_, t)| t.contains("{model: "))
        .expect("a ceremony honours a model");
    let slug = Path::new(path).file_stem().unwrap().to_string_lossy();
    let html = common::page(&public, &format!("tuyen-duong/{slug}/index.html"));
    let key = honouring
        .split("{model: ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap();
    // The honoree is named by slug or by id; find its slug.
    let target = models
        .iter()
        .find_map(|(p, t)| {
            let stem = Path::new(p).file_stem().unwrap().to_string_lossy();
            let slug = front_value(t, "slug").map_or(stem.to_string(), str::to_string);
            (slug == key || front_value(t, "id") == Some(key)).then_some(slug)
        })
        .expect("the honoured model exists");
    // The minifier may drop the quotes around attribute values.
    let href = format!("/dan-van/mo-hinh/{target}/");
    assert!(
        html.contains(&format!("href={href}")) || html.contains(&format!("href=\"{href}\"")),
        "{path} does not link honoured model `{key}` ({href})"
    );
}

#[test]
fn refuses_to_overwrite_a_directory_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let err = gen_corpus::run(&gen_corpus::Args {
        models: 1,
        ceremonies: 1,
        seed: 1,
        out: tmp.path().to_path_buf(),
        photos: false,
    })
    .unwrap_err();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}
