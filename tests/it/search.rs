//! Search: the shared analyzer vectors, the ranking rules of issue 3 over a
//! built fixture, the JS client agreeing with the Rust scorer (exactly) and
//! with tantivy (top hit, 9 of 10), early stopping on tiered postings
//! (exactly the full first page, in both), prefix matching while typing,
//! and no private name in any index.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, run, SAMPLE_SITE};
use dienhinh::search::analyze::{analyze, pairs};
use dienhinh::search::cli::read_query;
use dienhinh::search::scorer::{self, Hit, Results};
use dienhinh::search::static_index::{self, StaticIndex};
use dienhinh::search::{document, packed, postings, query, tantivy_index};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search-site");
const VECTORS: &str = include_str!("../search-js/vectors.json");

/// A copy of `src` (site.yaml, content, static) in a temp dir.
fn site_copy(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::copy(src.join("site.yaml"), site.join("site.yaml")).unwrap();
    copy_dir(&src.join("content"), &site.join("content"));
    // The logo site.yaml names.
    if src.join("static").is_dir() {
        copy_dir(&src.join("static"), &site.join("static"));
    }
    (tmp, site)
}

/// Builds a copy of `src` (site.yaml + content) into a temp dir.
fn built(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = site_copy(src);
    let r = run(&site, &["build"]);
    assert!(r.ok, "build failed: {}", r.stderr);
    (tmp, site)
}

/// `dienhinh search`'s index of the site in `site`, made as a user makes
/// it: by searching.
fn cli_index(site: &Path) -> PathBuf {
    let out = common::run_in(site, &["search", "dân vận"]);
    assert!(out.ok, "{}", out.stderr);
    site.join(".dienhinh/index")
}

fn find(index: &StaticIndex, q: &str) -> Results {
    scorer::search(index, q, &BTreeMap::new())
}

fn titles(index: &StaticIndex, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            index.meta(h.doc).unwrap()["t"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn analyzer_vectors() {
    let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    let strs = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let letters = v["letters"].as_array().unwrap();
    assert_eq!(letters.len(), 146);
    for case in letters.iter().chain(v["texts"].as_array().unwrap()) {
        let input = case["input"].as_str().unwrap();
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(input).collect();
        for text in [input.to_string(), nfd] {
            let t = analyze(&text);
            let exact: Vec<String> = t.iter().map(|t| t.exact.clone()).collect();
            let folded: Vec<String> = t.iter().map(|t| t.folded.clone()).collect();
            assert_eq!(exact, strs(&case["exact"]), "exact of {text:?}");
            assert_eq!(folded, strs(&case["folded"]), "folded of {text:?}");
        }
    }
    for case in v["pairs"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        assert_eq!(pairs(&analyze(input)), strs(&case["pairs"]), "{input}");
    }
}

#[test]
fn ranking_is_right_for_vietnamese() {
    let (_tmp, site) = built(Path::new(FIXTURE));
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    for q in ["banh mi", "BÁNH MÌ", "bánh mi"] {
        let r = find(&index, q);
        assert_eq!(titles(&index, &r.hits)[0], "Tủ bánh mì nghĩa tình", "{q}");
    }
    let duong = titles(&index, &find(&index, "duong").hits);
    assert!(
        duong.contains(&"Con đường nông thôn mới".to_string()),
        "{duong:?}"
    );
    assert!(
        duong.contains(&"Tổ tự quản ở Dương Đông".to_string()),
        "{duong:?}"
    );
    let exact = titles(&index, &find(&index, "đường").hits);
    let pos = |t: &str| exact.iter().position(|x| x == t).unwrap();
    assert!(
        pos("Con đường nông thôn mới") < pos("Tổ tự quản ở Dương Đông"),
        "{exact:?}"
    );
    let qn = titles(&index, &find(&index, "quang ninh").hits);
    assert_eq!(qn, ["Dân vận khéo ở Hạ Long", "Giữ gìn an ninh ở Đồng Hới"]);
    assert_eq!(find(&index, "hoà giải").hits, find(&index, "hòa giải").hits);
    assert!(!find(&index, "hoà giải").hits.is_empty());
    assert_eq!(find(&index, "bánh mì").hits.len(), 3);
    let phrase = titles(&index, &find(&index, "\"bánh mì\"").hits);
    assert!(
        !phrase.contains(&"Bếp ăn và bánh chưng ngày Tết".to_string()),
        "{phrase:?}"
    );
    assert_eq!(
        titles(&index, &find(&index, "11-CT/TU").hits),
        ["Dân vận khéo ở Hạ Long"]
    );
    assert_eq!(
        titles(&index, &find(&index, "25-nq/tw").hits),
        ["Giữ gìn an ninh ở Đồng Hới"]
    );
    // "Ủy ban nhân dân" in its text, and "UBND" as the body of its
    // recognition; then the models and the ceremony UBND bodies awarded.
    let ubnd = titles(&index, &find(&index, "UBND").hits);
    assert_eq!(ubnd[0], "Tổ hoà giải ở cơ sở", "{ubnd:?}");
    assert_eq!(ubnd.len(), 5, "{ubnd:?}");
    assert_eq!(
        titles(&index, &find(&index, "NTM").hits),
        ["Con đường nông thôn mới"]
    );
    assert_eq!(find(&index, "HLHPN").hits.len(), 2, "site.yaml synonym");
    assert_eq!(find(&index, "kĩ thuật").hits, find(&index, "kỹ thuật").hits);
    assert_eq!(find(&index, "kĩ thuật").hits.len(), 1);
    let mut only = BTreeMap::new();
    only.insert("field".to_string(), "kinh-te".to_string());
    let all = find(&index, "nghệ an");
    let narrowed = scorer::search(&index, "nghệ an", &only);
    assert!(narrowed.hits.len() < all.hits.len() && !narrowed.hits.is_empty());
    assert_eq!(all.counts["field"]["kinh-te"] as usize, narrowed.hits.len());
}

#[test]
fn ties_follow_the_shared_rule() {
    let hit = |doc, score, exact| Hit {
        doc,
        class: 0,
        score,
        exact,
        phrase: false,
    };
    let mut hits = vec![
        hit(0, 5, 0),
        hit(1, 5, 1),
        hit(2, 9, 0),
        hit(3, 5, 0),
        hit(4, 5, 0),
    ];
    let dates = [20200101, 20190101, 20180101, 20210101, 20200101];
    scorer::order(&mut hits, &dates);
    let order: Vec<u32> = hits.iter().map(|h| h.doc).collect();
    assert_eq!(order, [2, 1, 3, 0, 4]);
}

#[test]
fn private_owner_is_in_no_index() {
    let (_tmp, site) = built(Path::new(FIXTURE));
    let mut seen = String::new();
    for (file, _) in dienhinh::theme::list_files(&site.join("public/_search")) {
        // Shards are binary: their terms are UTF-8 runs among other bytes.
        let raw = std::fs::read(&file).unwrap();
        let mut inflated = Vec::new();
        let bytes = match flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut inflated) {
            Ok(_) => &inflated,
            Err(_) => &raw,
        };
        seen.push_str(&String::from_utf8_lossy(bytes));
    }
    for (file, _) in dienhinh::theme::list_files(&site.join(".dienhinh/index")) {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(&file).unwrap()));
    }
    assert!(
        seen.contains("cuu chien binh"),
        "the model itself is indexed"
    );
    for name in ["Bí Mật", "bí mật", "bi mat", "Trần Thị"] {
        assert!(!seen.contains(name), "{name} leaked into the search index");
    }
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    assert!(find(&index, "Bí Mật").hits.is_empty());
}

/// Queries over the sample site for the agreement checks.
const QUERIES: &[&str] = &[
    "banh mi",
    "bánh mì",
    "dân vận khéo",
    "dan van kheo",
    "hòa giải",
    "hoà giải",
    "đường",
    "duong",
    "quang ninh",
    "nông thôn mới",
    "NTM",
    "UBND",
    "MTTQ",
    "TP.HCM",
    "hồ chí minh",
    "cựu chiến binh",
    "CCB",
    "phụ nữ",
    "thanh niên",
    "an ninh trật tự",
    "\"an ninh trật tự\"",
    "khuyến học",
    "hũ gạo tình thương",
    "\"hũ gạo\"",
    "quận 1",
    "biên phòng",
    "công an",
    "giảm nghèo",
    "xây dựng đảng",
    "chuyển đổi số",
    "kinh tế",
    "tuyên dương",
    "2019",
    "lai châu",
    "kỹ thuật",
    "thủy",
    "khoá",
    "mô hình",
    "dân",
    "zzzz không có",
    "giấy khen",
    "kỷ niệm chương",
    "UBND quận Bình Tân giấy khen",
    "giay khen quan 10",
    "hai phong",
    "thành phố hải phòng",
    // Long queries, read lightly (src/search/query.rs, `read_lightly`).
    "Vận động nhân dân phát triển kinh tế, xóa đói, giảm nghèo bền vững",
    "dan van kheo trong tuyen truyen van dong nhan dan phat trien kinh te",
    "Thực hiện phương châm 3 cùng với nhân dân",
];

/// Queries typed in the search box: the last word may be unfinished.
const TYPING: &[&str] = &[
    "banh m",
    "bánh m",
    "dân v",
    "hoa gi",
    "nông thôn m",
    "quang n",
    "k",
    "tu",
    "cựu chiến b",
    "\"hũ gạo\" tình th",
    "UBND",
    "an ninh ",
    // Typos, joined words, acronyms as phrases.
    "thu gom pim",
    "bnah mi",
    "banhmi",
    "banh mj ",
    "xe om tu quam",
    "gia su ao xamh",
    "cammera",
    "HĐND",
    "hcm",
    "q1-gan-camera-giam",
    "vận động nhân dân phát triển kinh tế xóa đói giảm ng",
];

type Case = (String, BTreeMap<String, String>, bool);

fn as_json(r: &Results) -> serde_json::Value {
    serde_json::json!({
        "hits": r.hits.iter().map(|h| serde_json::json!([h.doc, h.class, h.score, h.exact, h.phrase])).collect::<Vec<_>>(),
        "counts": r.counts,
        "corrections": r.corrections,
        "complete": r.complete,
    })
}

/// What the JS client answers for `cases` over `dir`, and for each the kinds
/// of file it read (`s` for shards …); `None` without node.
fn js_results(
    tmp: &Path,
    dir: &Path,
    cases: &[Case],
) -> Option<Vec<(serde_json::Value, Vec<String>)>> {
    let queries_file = tmp.join("queries.json");
    std::fs::write(&queries_file, serde_json::to_vec(cases).unwrap()).unwrap();
    // The client as the build serves it (comments and indentation dropped).
    let served = dienhinh::theme::list_files(&tmp.join("site/public/_search"))
        .into_iter()
        .map(|(f, _)| f)
        .find(|f| f.extension().is_some_and(|e| e == "js"))
        .expect("the build publishes the client");
    match Command::new("node")
        .env("DIENHINH_CLIENT", served)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search-js/agree.mjs"
        ))
        .arg(dir)
        .arg(&queries_file)
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
            let split = |mut v: serde_json::Value| {
                let kinds = v["kinds"].as_array().unwrap().iter();
                let kinds = kinds.map(|k| k.as_str().unwrap().to_string()).collect();
                v.as_object_mut().unwrap().remove("kinds");
                (v, kinds)
            };
            Some(all.into_iter().map(split).collect())
        }
        Err(e) => {
            eprintln!("JS agreement skipped: node not found ({e})");
            None
        }
    }
}

fn agreement_cases() -> Vec<Case> {
    let mut field = BTreeMap::new();
    field.insert("field".to_string(), "van-hoa-xa-hoi".to_string());
    QUERIES
        .iter()
        .map(|q| (q.to_string(), BTreeMap::new(), false))
        .chain(
            ["mô hình", "dân vận"]
                .iter()
                .map(|q| (q.to_string(), field.clone(), false)),
        )
        .chain(
            TYPING
                .iter()
                .map(|q| (q.to_string(), BTreeMap::new(), true)),
        )
        .collect()
}

#[test]
fn js_client_agrees_with_rust_and_tantivy() {
    let (tmp, site) = built(Path::new(SAMPLE_SITE));
    let dir = site.join("public/_search");
    let index = StaticIndex::open(&dir).unwrap();
    let one = |facet: &str, id: &str| {
        let mut f = BTreeMap::new();
        f.insert(facet.to_string(), id.to_string());
        f
    };
    // The multi-valued award and body columns filter and count alike.
    let cases: Vec<Case> = agreement_cases()
        .into_iter()
        .chain([
            ("dân vận".to_string(), one("award", "giay-khen"), false),
            ("dân vận".to_string(), one("body", "quan-uy-quan-10"), false),
            (
                "tuyên dương".to_string(),
                one("award", "ky-niem-chuong"),
                false,
            ),
        ])
        .collect();
    assert!(cases.len() >= 30);
    let rust: Vec<serde_json::Value> = cases
        .iter()
        .map(|(q, f, _)| as_json(&scorer::search(&index, q, f)))
        .collect();
    let nonempty = rust
        .iter()
        .filter(|r| !r["hits"].as_array().unwrap().is_empty())
        .count();
    assert!(nonempty >= 30, "only {nonempty} queries have results");
    if let Some(js) = js_results(tmp.path(), &dir, &cases) {
        for ((case, r), (j, _)) in cases.iter().zip(&rust).zip(&js) {
            assert_eq!(r, j, "JS and Rust differ on {case:?}");
        }
    }

    let tindex = tantivy_index::open(&cli_index(&site)).unwrap();
    let lexicon = tantivy_index::lexicon(&cli_index(&site)).unwrap();
    let synonyms = query::synonym_sets(&BTreeMap::new());
    let plain = cases.iter().zip(&rust).filter(|(c, _)| c.1.is_empty());
    for ((q, _, _), r) in plain {
        let ours: Vec<u64> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .take(10)
            .map(|h| h[0].as_u64().unwrap())
            .collect();
        let theirs: Vec<u64> = tantivy_index::search(
            &tindex,
            &read_query(q, &synonyms, &lexicon),
            &BTreeMap::new(),
            10,
        )
        .unwrap()
        .iter()
        .map(|f| f.doc)
        .collect();
        // The static index scores on a log-scale code (steps of 3.5 %):
        // documents whose scores fall on one code tie there, and are
        // ordered by date, where tantivy's exact scores may still order
        // them otherwise; and two documents a step apart may swap. Its top
        // hit must be one of the static top ties, or the two top hits
        // among each other's first two.
        let hits = r["hits"].as_array().unwrap();
        let key = |h: &serde_json::Value| (h[1].clone(), h[4].clone(), h[2].clone(), h[3].clone());
        let top_ties: Vec<u64> = hits
            .iter()
            .take_while(|h| key(h) == key(&hits[0]))
            .map(|h| h[0].as_u64().unwrap())
            .collect();
        let swapped = ours
            .first()
            .is_none_or(|d| theirs.iter().take(2).any(|t| t == d))
            && theirs
                .first()
                .is_none_or(|d| ours.iter().take(2).any(|t| t == d));
        assert!(
            theirs.is_empty() == ours.is_empty()
                && (theirs.first().is_none_or(|t| top_ties.contains(t)) || swapped),
            "top hit differs for {q:?}: {ours:?} (ties {top_ties:?}) vs {theirs:?}"
        );
        // Likewise at the cut: documents tied with the static tenth are
        // as good as it.
        let cut = hits.get(9).map(key);
        let ours_or_tied: Vec<u64> = hits
            .iter()
            .enumerate()
            .take_while(|(i, h)| *i < 10 || cut == Some(key(h)))
            .map(|(_, h)| h[0].as_u64().unwrap())
            .collect();
        let overlap = theirs.iter().filter(|d| ours_or_tied.contains(d)).count();
        assert!(
            overlap >= ours.len().min(10) * 9 / 10,
            "{q:?}: {ours:?} (and ties {ours_or_tied:?}) vs {theirs:?}"
        );
    }
}

/// The sample site's index re-exported with first tiers of `tier` postings.
fn tiered(site: &Path, out: &Path, tier: usize) {
    let (s, _) = dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(site)).unwrap();
    let (docs, texts) =
        document::documents(&s, &dienhinh::search::document::TypeLabels::for_site(&s));
    let p = postings::build(texts);
    let syn = query::synonym_sets(&s.config.search.synonyms);
    // Shards of a few tiers each: many terms are large, so the placement
    // has seeds that the JavaScript client must follow.
    let layout = static_index::Layout {
        tier,
        shard_postings: 2 * tier,
    };
    for o in static_index::files_in(&s, &docs, p, &syn, layout, &static_index::Gzip::default()) {
        let path = out.join(o.path.strip_prefix("_search/").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, o.bytes).unwrap();
    }
}

/// The index learns each term's document frequency before any list is
/// made (it places terms in shards and writes the dictionary from it), and
/// makes each list once, a group of shards at a time, so that a large
/// site's lists are never all in memory: the frequency is the length of
/// the list made later, and a list asked for again is empty (its
/// occurrences were freed).
#[test]
fn a_terms_frequency_is_known_before_its_list_is_made_once() {
    let (s, _) =
        dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(SAMPLE_SITE)).unwrap();
    let (_, texts) = document::documents(&s, &document::TypeLabels::for_site(&s));
    let mut p = postings::build(texts);
    let frequencies: Vec<u32> = p.terms.iter().map(|(_, df)| *df).collect();
    assert!(frequencies.len() > 1_000 && frequencies.iter().all(|&df| df > 0));
    let second = p.lists(&[1]);
    let lists = p.lists(&(0..frequencies.len() as u32).collect::<Vec<_>>());
    assert_eq!(lists.len(), frequencies.len());
    for (i, (list, df)) in lists.iter().zip(&frequencies).enumerate() {
        let want = if i == 1 { second[0].len() } else { list.len() };
        assert_eq!(want as u32, *df, "term {:?}", p.terms[i].0);
    }
    assert!(lists[1].is_empty(), "a list is made once");
    assert!(p.lists(&[0, 2]).iter().all(|l| l.is_empty()));
}

/// A document's excerpt is not held through the search stage (a large
/// site's would be a second copy of every body's beginning): it is made
/// from the body when the result metadata is published, the same text.
#[test]
fn an_excerpt_is_made_when_published_not_held() {
    let (s, _) =
        dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(SAMPLE_SITE)).unwrap();
    let (docs, _) = document::documents(&s, &document::TypeLabels::for_site(&s));
    assert!(docs.iter().all(|d| d.meta(&s).excerpt.is_empty()));
    let published: Vec<String> = docs.iter().map(|d| d.published_meta(&s).excerpt).collect();
    assert!(published.iter().filter(|x| x.chars().count() > 100).count() > docs.len() / 2);
    for (d, x) in docs.iter().zip(&published) {
        assert_eq!(x, &d.excerpt());
        assert_eq!(d.published_meta(&s).title, d.meta(&s).title);
    }
}

/// Nor is the rest of what a result shows: a document keeps which of the
/// site's documents it is, and its result's address, title, place,
/// badges, summary and date are made from that document when published
/// (held for every document, they were 79 MB of a 100,000-model build's
/// peak). What is made is the site's: each kind of document with its own
/// badges.
#[test]
fn a_result_is_made_from_its_document_when_published() {
    use document::{Facet, Source};
    let (_tmp, site) = built(Path::new(SAMPLE_SITE));
    let (s, _) = dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(&site)).unwrap();
    let (docs, _) = document::documents(&s, &document::TypeLabels::for_site(&s));
    let v = &s.config.vocab;
    let mut seen = [0usize; 3];
    for d in &docs {
        let m = d.meta(&s);
        let (doc, place, badges) = match d.source {
            Source::Model(i) => {
                seen[0] += 1;
                let x = &s.models[i];
                // As its field and kind facets name them, made apart.
                let badges = [Facet::Field, Facet::Kind]
                    .map(|f| d.facet(f)[0].label.clone())
                    .to_vec();
                (&x.doc, x.place.clone(), badges)
            }
            Source::Ceremony(i) => {
                seen[1] += 1;
                let x = &s.ceremonies[i];
                let badges = x
                    .event_type
                    .map(|e| v.event_types.term(e).label.clone())
                    .into_iter()
                    .collect();
                (&x.doc, x.place.clone(), badges)
            }
            Source::Page(i) => {
                seen[2] += 1;
                (&s.pages[i].doc, Vec::new(), Vec::new())
            }
        };
        assert!(std::sync::Arc::ptr_eq(&d.file, &doc.file), "{}", doc.path);
        assert_eq!(m.url, format!("{}{}", s.config.root, doc.path));
        assert_eq!(m.title, doc.title);
        let mut place = place;
        place.reverse();
        assert_eq!(m.place, place.join(", "));
        assert_eq!(m.badges, badges, "{}", doc.path);
        assert_eq!(m.summary.is_empty(), !doc.summary_given, "{}", doc.path);
    }
    assert_eq!(seen[0], s.models.len());
    assert_eq!(seen[1], s.ceremonies.len());
    assert!(seen[2] > 0, "the sample's pages are searched too");
    // The published metadata is the same, with the body's excerpt.
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    for (k, d) in docs.iter().enumerate() {
        let published = index.meta(k as u32).unwrap();
        let made = serde_json::to_value(d.published_meta(&s)).unwrap();
        assert_eq!(published, made, "document {k}");
    }
}

/// The client's own tests (tests/search-js/*.test.mjs: the analyzer
/// vectors, query parsing, and the shard reader against what
/// `search::packed` reads from an index whose long lists have rests), in
/// Node.
#[test]
fn js_client_unit_tests() {
    let (tmp, site) = built(Path::new(SAMPLE_SITE));
    let dir = tmp.path().join("tiered");
    tiered(&site, &dir, 12);
    let index = StaticIndex::open(&dir).unwrap();
    let docs = index.manifest.docs as u32;
    let mut expected = serde_json::Map::new();
    // Each shard, by where it is: `<bundle>@<start>-<end>`.
    for place in index.manifest.shards.places("s").unwrap() {
        let range = place.range.clone().unwrap();
        let name = format!("{}@{}-{}", place.file, range.start, range.end);
        let file = std::fs::read(dir.join(&place.file)).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&file[range])
            .read_to_end(&mut bytes)
            .unwrap();
        let terms = packed::read_shard(&bytes, docs)
            .unwrap()
            .into_iter()
            .map(|(term, e)| {
                let rest = e.rest_kind(docs);
                let value = serde_json::json!({
                    "df": e.df,
                    "list": static_index::scored(e),
                    "rest": rest,
                });
                (term, value)
            });
        let value = serde_json::Value::Object(terms.collect());
        expected.insert(name, value);
    }
    let expected_file = tmp.path().join("packed.json");
    std::fs::write(&expected_file, serde_json::to_vec(&expected).unwrap()).unwrap();
    let tests = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search-js");
    let files: Vec<PathBuf> = std::fs::read_dir(tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    assert!(files.len() >= 2);
    match Command::new("node")
        .arg("--test")
        .args(&files)
        .env("DIENHINH_SEARCH_DIR", &dir)
        .env("DIENHINH_PACKED_EXPECTED", &expected_file)
        .output()
    {
        Ok(out) => {
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{report}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                report.contains("# fail 0") && report.contains("# skipped 0"),
                "{report}"
            );
        }
        Err(e) => eprintln!("JS client tests skipped: node not found ({e})"),
    }
}

/// With first tiers shorter than most lists, every document of a word or
/// pair is still in its shard: a query reads shards (and the dictionary and
/// near lists it needs) and nothing more, the same documents match, and
/// each counts a term beyond the tier at the rest's code: the median of
/// what it would have scored. An exact form keeps only its first tier.
#[test]
fn long_lists_are_read_whole_from_their_shards() {
    let (tmp, site) = built(Path::new(SAMPLE_SITE));
    let full = StaticIndex::open(&site.join("public/_search")).unwrap();
    let mut rests = 0;
    for tier in [3, 12] {
        let dir = tmp.path().join(format!("tier{tier}"));
        tiered(&site, &dir, tier);
        let small = StaticIndex::open(&dir).unwrap();
        assert!(small.manifest.k >= 10);
        assert!(!small.manifest.seeds.is_empty(), "tier {tier}: no seeds");
        let cases = agreement_cases();
        let mut reordered = 0;
        for (q, f, _) in &cases {
            let whole = scorer::search_all(&full, q, f);
            let r = scorer::search_all(&small, q, f);
            let docs = |r: &Results| r.hits.iter().map(|h| h.doc).collect::<BTreeSet<_>>();
            assert_eq!(docs(&r), docs(&whole), "tier {tier}: {q:?}");
            assert_eq!(r.counts, whole.counts, "tier {tier}: {q:?}");
            if r.hits != whole.hits {
                reordered += 1;
            }
            for t in query::parse(q, &small.manifest.synonyms).terms() {
                let exact = full.postings(&t);
                let e = small.entry(&t);
                assert_eq!(e.df as usize, exact.len(), "{t}");
                assert_eq!(e.docs.len(), exact.len().min(tier), "{t}");
                // An exact form keeps its first tier only.
                assert_eq!(e.rest.is_some(), !t.starts_with('=') && exact.len() > tier);
                let Some(rest) = &e.rest else { continue };
                rests += 1;
                assert_eq!(e.docs.len(), tier, "{t}");
                let beyond: Vec<u8> = exact
                    .iter()
                    .filter(|(d, _)| rest.docs.contains(d))
                    .map(|p| p.1)
                    .collect();
                let mut sorted = beyond.clone();
                sorted.sort_unstable();
                assert_eq!(rest.code, sorted[(sorted.len() - 1) / 2], "{t}");
                let lowest_kept = e.codes.iter().min().unwrap();
                assert!(beyond.iter().all(|c| c <= lowest_kept), "{t}");
            }
        }
        assert!(reordered > 0, "tier {tier}: the rests changed no order");
        if let Some(js) = js_results(tmp.path(), &dir, &cases) {
            let rust: Vec<Results> = cases
                .iter()
                .map(|(q, f, _)| scorer::search(&small, q, f))
                .collect();
            for ((case, r), (j, kinds)) in cases.iter().zip(&rust).zip(&js) {
                assert_eq!(
                    &as_json(r),
                    j,
                    "tier {tier}: JS and Rust differ on {case:?}"
                );
                assert!(
                    kinds
                        .iter()
                        .all(|k| ["manifest", "s", "x", "y", "f"].contains(&k.as_str())),
                    "tier {tier}: {case:?} read {kinds:?}"
                );
            }
        }
    }
    assert!(rests >= 20, "only {rests} terms with rests");
}

#[test]
fn unfinished_last_word_matches_as_a_prefix() {
    let (_tmp, site) = built(Path::new(SAMPLE_SITE));
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    for q in ["banh m", "bánh m", "BANH M"] {
        assert_eq!(
            titles(&index, &find(&index, q).hits)[0],
            "Tủ bánh mì nghĩa tình",
            "{q}"
        );
    }
    // A finished word (trailing space) or a closed phrase is not a prefix:
    // "m" is then a word in no document, corrected from its pair.
    let done = find(&index, "banh m ");
    assert!(done.hits.iter().all(|h| h.class == query::CORRECTED));
    assert_eq!(done.corrections, [("m".to_string(), "mi".to_string())]);
    assert_eq!(
        find(&index, "\"bánh mì\"").hits,
        find(&index, "\"bánh mì\" ").hits
    );
    let mut q = query::parse("quang n", &index.manifest.synonyms);
    assert_eq!(q.open.as_ref().map(|o| o.word.as_str()), Some("n"));
    query::expand_open(&mut q, &|_| {
        vec![
            ("quang ninh".into(), 3),
            ("quang nam".into(), 5),
            ("nam".into(), 9),
        ]
    });
    let alts: Vec<(String, u8)> = q.groups[1]
        .alts
        .iter()
        .map(|a| (a.required.join("+"), a.class))
        .collect();
    let want = [
        ("n+quang n", query::TYPED),
        ("n", query::PREFIXED),
        ("nam", query::PREFIXED),
        ("ninh", query::PREFIXED),
    ];
    assert_eq!(
        alts,
        want.map(|(a, c)| (a.to_string(), c)),
        "the word as typed after the previous one, then elsewhere and the pairs' words by frequency"
    );
}

/// The URL of each result of `dienhinh search --json`, run from inside
/// the site folder as an editor runs it.
fn cli_urls(site: &Path, q: &str) -> Vec<String> {
    cli_urls_with(site, &[q])
}

fn static_urls(index: &StaticIndex, q: &str) -> Vec<String> {
    urls(index, &find(index, q).hits)
}

#[test]
fn a_query_means_the_same_from_the_box_a_link_and_the_command_line() {
    let site = common::sample_public().parent().unwrap();
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    // Unfinished last words, as a shared link or the header form sends them.
    for (q, want) in [
        ("phu nu song x", "/mo-hinh/phu-nu-song-xanh/"),
        ("doi rac lay q", "/mo-hinh/doi-rac-lay-qua-tang/"),
        (
            "camera giam s",
            "/mo-hinh/q1-gan-camera-giam-sat-an-ninh-trat-tu/",
        ),
    ] {
        assert_eq!(
            static_urls(&index, q).first().map(String::as_str),
            Some(want),
            "static {q}"
        );
        assert_eq!(
            cli_urls(site, q).first().map(String::as_str),
            Some(want),
            "cli {q}"
        );
    }
}

#[test]
fn an_exact_word_outranks_the_longer_words_it_begins() {
    let site = common::sample_public().parent().unwrap();
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    // Quận 1 and Quận 11 both hold ceremonies; "1" is typed whole.
    for urls in [static_urls(&index, "quận 1"), cli_urls(site, "quận 1")] {
        let first_11 = urls.iter().position(|u| u.contains("quan-11"));
        let first_1 = urls
            .iter()
            .position(|u| u.contains("/q1-") || u.contains("quan-1-"));
        assert!(first_1.is_some(), "{urls:?}");
        assert!(
            first_11.is_none_or(|p| first_1.unwrap() < p),
            "Quận 11 before Quận 1: {urls:?}"
        );
    }
}

#[test]
fn mistyped_words_find_what_they_meant() {
    let site = common::sample_public().parent().unwrap();
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    for (q, want) in [
        ("thu gom pim", "/mo-hinh/thu-gom-pin/"),
        ("xe om tu quam", "/mo-hinh/q1-to-xe-om-tu-quan/"),
        ("gia su ao xamh", "/mo-hinh/gia-su-ao-xanh/"),
        ("banh mj", "/mo-hinh/q1-tu-banh-mi-nghia-tinh/"),
        ("bnah mi", "/mo-hinh/q1-tu-banh-mi-nghia-tinh/"),
        ("banhmi", "/mo-hinh/q1-tu-banh-mi-nghia-tinh/"),
    ] {
        let s = static_urls(&index, q);
        assert!(s.iter().take(3).any(|u| u == want), "static {q}: {s:?}");
        let c = cli_urls(site, q);
        assert!(c.iter().take(3).any(|u| u == want), "cli {q}: {c:?}");
    }
    // The correction is said.
    let r = find(&index, "bnah mi");
    assert_eq!(r.corrections, [("bnah".to_string(), "bánh".to_string())]);
    let out = common::run_in(site, &["search", "bnah mi"]);
    assert!(
        out.stdout.contains("Kết quả cho “bánh mi”"),
        "{}",
        out.stdout
    );
    // A word the site has is never corrected, and a typed match ranks
    // above every corrected one.
    assert!(find(&index, "bánh mì").corrections.is_empty());
}

#[test]
fn acronyms_match_their_expansion_only_as_a_phrase() {
    let site = common::sample_public().parent().unwrap();
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    // The sample never writes "hội đồng nhân dân" as a phrase: no result
    // may come from its words scattered over a text.
    let sets = &index.manifest.synonyms;
    let q = query::parse("HĐND", sets);
    assert!(q.groups[0]
        .alts
        .iter()
        .any(|a| a.required.contains(&"hoi dong".to_string())));
    for url in static_urls(&index, "HĐND") {
        let text = std::fs::read_to_string(
            site.join("public")
                .join(url.trim_start_matches('/'))
                .join("index.html"),
        )
        .unwrap();
        let folded = dienhinh::vi::fold(&text.to_lowercase());
        assert!(
            folded.contains("hoi dong nhan dan") || folded.contains("hdnd"),
            "{url}"
        );
    }
    // "hcm" alone is known.
    assert!(!find(&index, "hcm").hits.is_empty());
}

/// The URL paths of `hits`.
fn urls(index: &StaticIndex, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            index.meta(h.doc).unwrap()["u"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn filtered(index: &StaticIndex, q: &str, facet: &str, id: &str) -> Vec<String> {
    let mut f = BTreeMap::new();
    f.insert(facet.to_string(), id.to_string());
    urls(index, &scorer::search(index, q, &f).hits)
}

/// The URLs `dienhinh search --json` prints, run as an editor does (in
/// the site's folder).
fn cli_urls_with(site: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json", "--limit", "200"];
    all.extend_from_slice(args);
    let r = common::run_in(site, &all);
    assert!(r.ok, "search {args:?}: {}", r.stderr);
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    v.iter()
        .map(|f| f["url"].as_str().unwrap().to_string())
        .collect()
}

fn write(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A site where the pages that hold a query's words apart (in the title,
/// often) outscore on words the pages that hold the query as written: an
/// organisation named by a phrase, a decision by its code.
fn phrase_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write(
        &site,
        "site.yaml",
        "title: \"Thử\"\nbase_url: \"https://vi-du.gov.vn/\"\n",
    );
    let model = |slug: &str, id: &str, title: &str, date: &str, body: &str| {
        write(
            &site,
            &format!("content/mo-hinh/{slug}.md"),
            &format!("---\nid: {id}\ntitle: \"{title}\"\nfield: van-hoa-xa-hoi\nkind: tap-the\nplace: [Hà Tĩnh]\ndate: {date}\n---\n{body}\n"),
        );
    };
    model(
        "cau-lac-bo-dan-ca",
        "dc001",
        "Câu lạc bộ dân ca",
        "2021-05-01",
        "Câu lạc bộ do Công đoàn xã Đồng Tâm lập nên, hát dân ca mỗi tuần.",
    );
    model(
        "lam-duong-dong-tam",
        "ld002",
        "Làm đường ở xã Đồng Tâm",
        "2022-05-01",
        "Xã Đồng Tâm vận động dân làm đường. Công sức của dân, đoàn thể cùng góp; Đồng Tâm nay có đường mới.",
    );
    model(
        "bua-com-0-dong",
        "bc003",
        "Bữa cơm 0 đồng",
        "2020-05-01",
        "Bếp được khen theo Quyết định số 885/QĐ-UBND của UBND huyện.",
    );
    model(
        "trong-nam",
        "tn004",
        "Trồng nấm theo quyết định của Ủy ban nhân dân",
        "2023-05-01",
        "Thực hiện Quyết định số 12/QĐ-UBND của Ủy ban nhân dân huyện, thôn làm 45.885 mét đường. Quyết định ấy giúp Ủy ban nhân dân xã.",
    );
    let r = common::run_in(&site, &["build"]);
    assert!(r.ok, "build failed: {}", r.stderr);
    (tmp, site)
}

/// A page holding the query as one phrase outranks pages with more of its
/// words apart, and a page holding the decision code typed outranks one
/// where its number is part of another (45.885): in the Rust scorer, the
/// browser client (which agrees with it exactly) and `dienhinh search`.
#[test]
fn a_phrase_or_a_code_as_typed_outranks_its_words_apart() {
    let (tmp, site) = phrase_site();
    let dir = site.join("public/_search");
    let index = StaticIndex::open(&dir).unwrap();
    let cases = [
        ("Công đoàn xã Đồng Tâm", "/mo-hinh/cau-lac-bo-dan-ca/"),
        ("cong doan xa dong tam ", "/mo-hinh/cau-lac-bo-dan-ca/"),
        ("quyết định 885/QĐ-UBND", "/mo-hinh/bua-com-0-dong/"),
    ];
    for (q, want) in cases {
        let rust = static_urls(&index, q);
        assert_eq!(rust.len(), 2, "static {q}: {rust:?}");
        assert_eq!(rust[0], want, "static {q}");
        let cli = cli_urls(&site, q);
        assert_eq!(
            cli.first().map(String::as_str),
            Some(want),
            "cli {q}: {cli:?}"
        );
    }
    // Only by the phrase: the page with the words apart scores more.
    let r = find(&index, "Công đoàn xã Đồng Tâm");
    assert!(r.hits[0].phrase && !r.hits[1].phrase && r.hits[0].score < r.hits[1].score);
    let js_cases: Vec<Case> = cases
        .iter()
        .map(|(q, _)| (q.to_string(), BTreeMap::new(), false))
        .collect();
    if let Some(js) = js_results(tmp.path(), &dir, &js_cases) {
        for ((q, f, _), (j, _)) in js_cases.iter().zip(&js) {
            assert_eq!(
                as_json(&scorer::search(&index, q, f)),
                *j,
                "JS and Rust differ on {q:?}"
            );
        }
    }
}

/// A site whose pages' text says nothing of what was given: the awards,
/// bodies, decisions and figures are in the front matter only.
fn awards_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write(
        &site,
        "site.yaml",
        "title: \"Thử\"\nbase_url: \"https://vi-du.gov.vn/\"\n",
    );
    write(
        &site,
        "content/mo-hinh/nuoi-ong.md",
        "---\nid: ong01\ntitle: \"Nuôi ong lấy mật\"\nfield: kinh-te\nkind: tap-the\nplace: [Quảng Trị, Huyện Gio Linh]\ndate: 2021-05-01\nrecognitions:\n  - {level: cap-tinh, year: 2021, award: bang-khen, by: \"Trung ương Hội Nông dân Việt Nam\", decision: \"Quyết định số 1234/QĐ-HNDTW\"}\nresults:\n  - {label: \"Hộ thoát nghèo nhờ đàn ong\", value: 12, unit: hộ}\n---\nCác hộ trong thôn cùng nhau chăm đàn.\n",
    );
    write(
        &site,
        "content/mo-hinh/ong-rung.md",
        "---\nid: ong02\ntitle: \"Giữ rừng cho ong\"\nfield: kinh-te\nkind: tap-the\nplace: [Quảng Trị, Huyện Gio Linh]\ndate: 2020-05-01\n---\nCả thôn giữ rừng.\n",
    );
    write(
        &site,
        "content/tuyen-duong/le-2022.md",
        "---\nid: le222\ntitle: \"Lễ tuyên dương năm 2022\"\ndate: 2022-10-15\norganizer: Ban Dân vận Huyện ủy Gio Linh\nplace: [Quảng Trị, Huyện Gio Linh]\nhonorees:\n  - {name: \"Tổ hợp tác Cồn Tiên\", kind: tap-the, award: giay-khen, by: \"UBND huyện Gio Linh\", decision: \"Quyết định số 77/QĐ-UBND\"}\n  - {model: nuoi-ong, award: giay-khen, by: \"UBND huyện Gio Linh\"}\naward_counts:\n  - {award: giai-thuong, by: \"Huyện đoàn Gio Linh\", kind: tap-the, count: 5}\nstatistics:\n  - label: \"Hội viên tham gia dự thi\"\n    value: 300\n    breakdowns:\n      - by: giới tính\n        parts: [{label: hội viên nữ, value: 200}]\n---\nBuổi lễ diễn ra tại hội trường.\n",
    );
    let r = common::run_in(&site, &["build"]);
    assert!(r.ok, "build failed: {}", r.stderr);
    (tmp, site)
}

/// A ceremony is found by what it gave, by whom and by which decision, and
/// by its statistics; a model by its recognitions, the awards honoree lists
/// gave it, and its results. Both indexes, and the award and awarding-body
/// facets (several values a document), in the browser's index and through
/// `dienhinh search --award/--body`.
#[test]
fn awards_bodies_decisions_and_figures_are_searched() {
    let (_tmp, site) = awards_site();
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    let model = "/mo-hinh/nuoi-ong/";
    let ceremony = "/tuyen-duong/le-2022/";
    let only = |q: &str, want: &[&str]| {
        let got = urls(&index, &find(&index, q).hits);
        assert_eq!(got, want, "{q}");
        let mut cli = cli_urls_with(&site, &[q]);
        cli.sort();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(cli, want, "dienhinh search {q}");
    };
    only("bằng khen", &[model]);
    only("bang khen trung uong hoi nong dan", &[model]);
    only("1234/QĐ-HNDTW", &[model]);
    only("cấp tỉnh 2021", &[model]);
    only("thoát nghèo nhờ đàn ong", &[model]);
    only("UBND huyện Gio Linh", &[ceremony]);
    only("77/qđ-ubnd", &[ceremony]);
    only("giải thưởng hội thi", &[ceremony]);
    only("huyện đoàn", &[ceremony]);
    only("hội viên tham gia dự thi", &[ceremony]);
    only("giới tính nữ", &[ceremony]);
    // The honoree list gave the model a Giấy khen: both are found.
    let mut both = urls(&index, &find(&index, "giấy khen").hits);
    both.sort();
    assert_eq!(both, [model, ceremony]);

    // Facets: what each document was given and by whom, labels as written.
    let all = find(&index, "gio linh");
    assert_eq!(all.hits.len(), 3);
    let counts = |facet: &str| -> Vec<(String, u32)> {
        all.counts[facet]
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    };
    let pairs = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        counts("award"),
        pairs(&[("bang-khen", 1), ("giai-thuong", 1), ("giay-khen", 2)])
    );
    assert_eq!(
        counts("body"),
        pairs(&[
            ("huyen-doan-gio-linh", 1),
            ("trung-uong-hoi-nong-dan-viet-nam", 1),
            ("ubnd-huyen-gio-linh", 1)
        ])
    );
    let labels: Vec<&str> = index.facets.cols["body"]
        .values
        .iter()
        .map(|v| v.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Huyện đoàn Gio Linh",
            "Trung ương Hội Nông dân Việt Nam",
            "UBND huyện Gio Linh"
        ]
    );
    assert!(labels.iter().all(|l| unicode_normalization::is_nfc(l)));
    let awards: Vec<&str> = index.facets.cols["award"]
        .values
        .iter()
        .map(|v| v.label.as_str())
        .collect();
    assert_eq!(awards, ["Bằng khen", "Giải thưởng hội thi", "Giấy khen"]);
    assert_eq!(filtered(&index, "gio linh", "award", "bang-khen"), [model]);
    assert_eq!(
        filtered(&index, "gio linh", "body", "ubnd-huyen-gio-linh"),
        [ceremony]
    );

    // The command line: an award by id, label or alias, a body as written
    // or unaccented; a clear error, with a suggestion, for either unknown.
    for award in ["bang-khen", "Bằng khen", "bang khen"] {
        assert_eq!(
            cli_urls_with(&site, &["gio linh", "--award", award]),
            [model]
        );
    }
    for body in [
        "UBND huyện Gio Linh",
        "ubnd huyen gio linh",
        "ubnd-huyen-gio-linh",
    ] {
        assert_eq!(
            cli_urls_with(&site, &["gio linh", "--body", body]),
            [ceremony]
        );
    }
    let r = common::run_in(&site, &["search", "gio linh", "--award", "bằng khenn"]);
    assert!(!r.ok && r.stderr.contains("bang-khen"), "{}", r.stderr);
    let r = common::run_in(
        &site,
        &["search", "gio linh", "--body", "UBND huyện Gio Linhh"],
    );
    assert!(
        !r.ok && r.stderr.contains("“ubnd-huyen-gio-linh”"),
        "{}",
        r.stderr
    );
}

/// On the sample: the ceremonies are found by the awards they gave and the
/// bodies that gave them, and filtered by both (a model by its
/// recognitions' body).
#[test]
fn sample_ceremonies_are_found_by_their_awards() {
    let (_tmp, site) = built(Path::new(SAMPLE_SITE));
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    let first = |q: &str| urls(&index, &find(&index, q).hits).into_iter().next();
    let binh_tan = "/tuyen-duong/binh-tan-tuyen-duong-2019/";
    let q10 = "/tuyen-duong/quan-10-tuyen-duong-2019/";
    assert_eq!(first("giay khen quan 10").as_deref(), Some(q10));
    assert_eq!(
        first("UBND quận Bình Tân giấy khen").as_deref(),
        Some(binh_tan)
    );
    assert_eq!(first("kỷ niệm chương").as_deref(), Some(binh_tan));
    // By the name the vocabulary gives as an alias.
    assert_eq!(
        first("huy hiệu vì sự nghiệp dân vận").as_deref(),
        Some(binh_tan)
    );
    let mut gk: Vec<String> = urls(&index, &find(&index, "giấy khen").hits)
        .into_iter()
        .take(4)
        .collect();
    gk.sort();
    assert_eq!(
        gk,
        [
            binh_tan,
            "/tuyen-duong/quan-1-hop-mat-2019/",
            q10,
            "/tuyen-duong/quan-4-tuyen-duong-2019/"
        ]
    );
    // Only Bình Tân gave a Kỷ niệm chương, and Ban Dân vận Trung ương gave it.
    assert_eq!(
        filtered(&index, "tuyên dương", "award", "ky-niem-chuong"),
        [binh_tan]
    );
    assert_eq!(
        filtered(&index, "tuyên dương", "body", "ban-dan-van-trung-uong"),
        [binh_tan]
    );
    // Quận ủy Quận 10 gave Giấy khen at its ceremony and recognised three
    // models (their recognitions say so).
    let mut by_q10 = filtered(&index, "dân vận", "body", "quan-uy-quan-10");
    by_q10.sort();
    assert_eq!(
        by_q10,
        [
            "/mo-hinh/q10-khong-xa-rac-ra-duong-kenh-rach/",
            "/mo-hinh/q10-nam-cai-cach-hanh-chinh/",
            "/mo-hinh/q10-nang-cap-hem-chinh-trang-do-thi/",
            q10
        ]
    );
    let r = common::run_in(
        &site,
        &["search", "--json", "tuyên dương", "--award", "huy hiệu"],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(r.stdout.contains(binh_tan), "{}", r.stdout);
}

/// A place is found by any of its names and by the units merged into it:
/// the Kinh Môn models, placed in Hải Dương before the 2025 merger, are
/// found by "hai phong" and by `--place` naming Hải Phòng, Hải Dương or
/// Kinh Môn in any spelling the register knows, or as a slug; an unknown
/// place is a clear error with a suggestion.
#[test]
fn places_are_found_through_the_register() {
    let (_tmp, site) = built(Path::new(SAMPLE_SITE));
    let index = StaticIndex::open(&site.join("public/_search")).unwrap();
    let places: Vec<(String, String)> = (0..index.manifest.docs as u32)
        .map(|d| {
            let m = index.meta(d).unwrap();
            (
                m["u"].as_str().unwrap().to_string(),
                m["p"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let kinh_mon: Vec<String> = places
        .iter()
        .filter(|(_, p)| p.contains("Kinh Môn"))
        .map(|(u, _)| u.clone())
        .collect();
    assert!(kinh_mon.len() >= 15, "{kinh_mon:?}");
    let tindex = tantivy_index::open(&cli_index(&site)).unwrap();
    let synonyms = query::synonym_sets(&BTreeMap::new());
    for q in [
        "hai phong",
        "Hải Phòng",
        "thành phố hải phòng",
        "tỉnh hải dương",
    ] {
        let found = urls(&index, &find(&index, q).hits);
        let missing: Vec<&String> = kinh_mon.iter().filter(|u| !found.contains(u)).collect();
        assert!(missing.is_empty(), "{q} misses {missing:?}");
        let found: Vec<String> =
            tantivy_index::search(&tindex, &query::parse(q, &synonyms), &BTreeMap::new(), 200)
                .unwrap()
                .into_iter()
                .map(|f| f.url)
                .collect();
        let missing: Vec<&String> = kinh_mon.iter().filter(|u| !found.contains(u)).collect();
        assert!(missing.is_empty(), "tantivy: {q} misses {missing:?}");
    }
    // No word of "hải phòng" is in this model's own text.
    assert_eq!(
        urls(&index, &find(&index, "vú sữa hải phòng").hits)
            .first()
            .map(String::as_str),
        Some("/mo-hinh/an-lang-lien-ket-trong-vu-sua/")
    );

    // The command line, run in the site's folder as an editor does.
    let in_kinh_mon: Vec<String> = cli_urls_with(&site, &["dân vận"])
        .into_iter()
        .filter(|u| kinh_mon.contains(u))
        .collect();
    assert!(in_kinh_mon.len() >= 10, "{in_kinh_mon:?}");
    for place in [
        "Hải Phòng",
        "hai phong",
        "hai-phong",
        "Thành phố Hải Phòng",
        "Hải Dương",
        "hai-duong",
        "kinh-mon",
        "Kinh Môn",
        "Thị xã Kinh Môn",
        "thi-xa-kinh-mon",
    ] {
        assert_eq!(
            cli_urls_with(&site, &["dân vận", "--place", place]),
            in_kinh_mon,
            "--place {place}"
        );
    }
    // An alias of the register, and a place it does not list.
    let hcm = cli_urls_with(&site, &["dân vận", "--place", "TPHCM"]);
    assert!(hcm.len() >= 10, "{hcm:?}");
    assert!(hcm.iter().all(|u| places
        .iter()
        .any(|(v, p)| v == u && p.ends_with("TP. Hồ Chí Minh"))));
    assert_eq!(
        hcm,
        cli_urls_with(&site, &["dân vận", "--place", "Thành phố Hồ Chí Minh"])
    );
    let q1 = cli_urls_with(&site, &["dân vận", "--place", "quận 1"]);
    assert!(!q1.is_empty() && q1.len() < hcm.len(), "{q1:?}");
    let r = common::run_in(&site, &["search", "dân vận", "--place", "Hai Phongg"]);
    assert!(!r.ok && r.stderr.contains("“hai-phong”"), "{}", r.stderr);
    let r = common::run_in(&site, &["search", "dân vận", "--place", "Đà Nẵng"]);
    assert!(!r.ok && r.stderr.contains("Đà Nẵng"), "{}", r.stderr);
}

#[test]
fn search_command_answers_from_the_index() {
    let (_tmp, site) = built(Path::new(FIXTURE));
    let r = run(&site, &["search", "banh mi", "--json"]);
    assert!(r.ok, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["title"], "Tủ bánh mì nghĩa tình");
    let r = run(
        &site,
        &[
            "search",
            "an ninh",
            "--field",
            "Quốc phòng – an ninh",
            "--year",
            "2022",
        ],
    );
    assert!(
        r.ok && r.stdout.contains("Đồng Hới") && !r.stdout.contains("Hạ Long"),
        "{}",
        r.stdout
    );
    let r = run(&site, &["search", "x", "--field", "kinh-tee"]);
    assert!(!r.ok && r.stderr.contains("kinh-te"), "{}", r.stderr);
}

/// The static index's files of `site` as `build` publishes them.
fn built_index(site: &dienhinh::site::Site) -> BTreeMap<String, Vec<u8>> {
    dienhinh::search::build(
        site,
        &dienhinh::search::document::TypeLabels::for_site(site),
        0,
        &|_| false,
        &|_| None,
        None,
    )
    .unwrap()
    .0
    .into_iter()
    .filter(|o| !o.path.contains("/tantivy/"))
    .map(|o| (o.path, o.bytes))
    .collect()
}

/// `serve`'s search index, rebuilt after each save from what it kept,
/// has exactly the files `build` makes for the same site: after a body
/// edit (documents in place, patched), a title and tag edit, a new date
/// (documents reordered), a new model and a deleted one. Only the changed
/// documents are analysed again.
#[test]
fn preview_index_follows_saves_and_equals_the_built_one() {
    let (_tmp, root) = site_copy(Path::new(SAMPLE_SITE));
    let models = root.join("content/mo-hinh");
    let mut names: Vec<String> = std::fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let edit = |name: &str, f: &dyn Fn(&str) -> String| {
        let path = models.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let changed = f(&text);
        assert_ne!(text, changed, "the edit of {name} changes it");
        std::fs::write(path, changed).unwrap();
    };
    let load = || {
        dienhinh::pipeline::load_site(&dienhinh::build::BuildOptions::new(&root))
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
            .0
    };

    let mut preview = dienhinh::search::Preview::default();
    let mut check = |step: &str, analysed: std::ops::RangeInclusive<usize>| {
        let site = load();
        let got: BTreeMap<String, Vec<u8>> = preview
            .build(
                &site,
                &dienhinh::search::document::TypeLabels::for_site(&site),
            )
            .into_iter()
            .map(|o| (o.path, o.bytes))
            .collect();
        let want = built_index(&site);
        let differing: Vec<&String> = want
            .keys()
            .chain(got.keys())
            .filter(|k| got.get(*k) != want.get(*k))
            .take(5)
            .collect();
        assert!(differing.is_empty(), "{step}: files differ: {differing:?}");
        assert!(
            analysed.contains(&preview.analysed()),
            "{step}: {} documents analysed, expected {analysed:?}",
            preview.analysed()
        );
    };
    check("first index", 50..=10_000);
    edit(&names[0], &|t| {
        format!("{t}\nMột câu mới về hũ gạo tình thương ở Đắk Lắk.\n")
    });
    check("body edit", 1..=1);
    edit(&names[1], &|t| {
        t.replacen("\ntitle: ", "\ntitle: Sửa tên — ", 1).replacen(
            "\ntags: [",
            "\ntags: [nhãn mới, ",
            1,
        )
    });
    check("title and tags", 1..=1);
    let dated = names[2..]
        .iter()
        .find(|n| {
            let t = std::fs::read_to_string(models.join(n)).unwrap();
            t.split("\n---").next().unwrap().contains("\ndate: 20")
        })
        .expect("a model with a date");
    edit(dated, &|t| t.replacen("\ndate: 20", "\ndate: 19", 1));
    // The date is not searchable text: documents move, none is analysed.
    check("new date", 0..=0);
    std::fs::write(
        models.join("mo-hinh-moi.md"),
        "---\ntitle: Mô hình mới toanh\nfield: kinh-te\nkind: tap-the\nplace: [Hải Dương]\ndate: 2025-03-04\n---\nNội dung hoàn toàn mới: nuôi ong lấy mật.\n",
    )
    .unwrap();
    check("new model", 1..=1);
    let gone = names[3..].iter().find(|n| *n != dated).unwrap();
    std::fs::remove_file(models.join(gone)).unwrap();
    check("deleted model", 0..=0);
    check("nothing changed", 0..=0);
}

/// The built search page carries the client and the index's manifest, so
/// a query's first request is for shards: the manifest is the one written
/// beside the index, and the page names no other file of the client.
#[test]
fn the_search_page_carries_the_manifest_and_the_client() {
    let (_tmp, site) = built(Path::new(SAMPLE_SITE));
    let public = site.join("public");
    let page = std::fs::read_to_string(public.join("tim-kiem/index.html")).unwrap();
    let carried = common::carried_manifest(&page).expect("the page carries the manifest");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("_search/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(carried, written);
    assert!(page.contains("id=dienhinh-search>") || page.contains("id=\"dienhinh-search\">"));
    assert!(!page.contains("_search/manifest.json") && !page.contains(".js.bin"));
}

/// The index counts terms through `search::terms`, which must find the
/// very tokens and pairs the reference analyzer does (the client is held
/// to the analyzer): over every searchable text of the sample site.
#[test]
fn the_fast_scanner_finds_the_analyzers_tokens() {
    use dienhinh::search::terms::{against_analyzer, Vocab};
    let opts = dienhinh::build::BuildOptions::new(SAMPLE_SITE);
    let Ok((site, _)) = dienhinh::pipeline::load_site(&opts) else {
        panic!("the sample site loads");
    };
    let (_, docs) = document::documents(
        &site,
        &dienhinh::search::document::TypeLabels::for_site(&site),
    );
    assert!(docs.len() > 20);
    // One vocabulary for the whole site, as the index has: words met in
    // one text are read back from the memo in the next.
    let vocab = Vocab::default();
    let mut texts = 0;
    for d in &docs {
        let body = document::plain_text(d.body());
        for text in d
            .fields
            .iter()
            .flatten()
            .map(String::as_str)
            .chain([body.as_str()])
        {
            let [fast, reference] = against_analyzer(&vocab, text);
            assert_eq!(fast, reference, "{text:?}");
            texts += 1;
        }
    }
    assert!(texts > 200, "{texts} texts");
}

/// The facets file of a built site's static index, inflated.
fn built_facets(public: &Path) -> String {
    let dir = public.join(static_index::DIR);
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("f."))
        .expect("a facets file");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&std::fs::read(file).unwrap()[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The kinds of document in the type facet are named by the theme's
/// strings in the site's language (`search_type_<id>`), as every other
/// label of the search page is, not by words written in the code.
#[test]
fn the_type_facet_is_labelled_through_the_themes_strings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::init_site(tmp.path(), "site", &[]);
    let settings = site.join("site.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, yaml.replace("language: vi", "language: en")).unwrap();
    let built = common::run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let facets = built_facets(&site.join("public"));
    assert!(facets.contains("\"Model\""), "{facets}");
    assert!(!facets.contains("Mô hình"), "{facets}");

    // A theme's own string wins over the built-in one.
    let i18n = site.join("themes").join("default").join("i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(
        i18n.join("en.yaml"),
        "search_type_mo-hinh: \"Good practice\"\n",
    )
    .unwrap();
    let built = common::run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let facets = built_facets(&site.join("public"));
    assert!(facets.contains("\"Good practice\""), "{facets}");
}

/// The members of a numbered family of `dir` (`kind.<hash>.<i>.bin`), by
/// number: each one's name and bytes.
fn family_members(dir: &Path, kind: &str) -> BTreeMap<usize, (String, Vec<u8>)> {
    let manifest: static_index::Manifest =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let family = match kind {
        "s" => &manifest.shards,
        "m" => &manifest.meta,
        _ => unreachable!("{kind}"),
    };
    let places = family.places(kind).expect("lengths that add up");
    places
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let file = std::fs::read(dir.join(&p.file)).unwrap();
            let bytes = p.range.map_or(file.clone(), |r| file[r].to_vec());
            (i, (p.file, bytes))
        })
        .collect()
}

/// A large index's shards and metadata are named by groups of files
/// (static_index::Family): an edit renames exactly the groups whose bytes
/// it changed and keeps every other name; the JS client, the Rust reader
/// and the CLI read the grouped names alike.
#[test]
fn an_edit_renames_only_the_index_files_whose_group_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 1000, 20, 5);
    let build = || {
        let out = common::run_in(&site, &["build"]);
        assert!(out.ok, "{}", out.stderr);
    };
    build();
    let dir = site.join("public/_search");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    for family in ["shards", "meta"] {
        let f = &manifest[family];
        assert!(f["n"].as_u64().unwrap() > 128, "{family}: {f}");
        assert_eq!(f["per"], 128, "{family} named by groups");
    }
    let before: Vec<_> = ["s", "m"].iter().map(|k| family_members(&dir, k)).collect();

    let model = common::first_model(&site);
    let text = std::fs::read_to_string(&model).unwrap();
    common::serve::save(&model, &format!("{text}\nXoài cát.\n"));
    build();
    for (kind, old) in ["s", "m"].iter().zip(&before) {
        let now = family_members(&dir, kind);
        assert_eq!(now.len(), old.len(), "{kind}: as many files");
        let changed: BTreeSet<usize> = now
            .iter()
            .filter(|(i, (_, bytes))| old[i].1 != *bytes)
            .map(|(i, _)| i / 128)
            .collect();
        for (i, (name, _)) in &now {
            assert_eq!(
                *name != old[i].0,
                changed.contains(&(i / 128)),
                "{kind}: {name} (was {})",
                old[i].0
            );
        }
        let groups = now.len().div_ceil(128);
        assert!(changed.len() < groups, "{kind}: every group changed");
    }

    let index = StaticIndex::open(&dir).unwrap();
    let found = find(&index, "xoài cát");
    assert!(!found.hits.is_empty());
    let title = titles(&index, &found.hits[..1]).remove(0);
    assert!(text.contains(&title), "{title}");
    let cases: Vec<Case> = ["xoài cát", "dân vận khéo", "bánh mì"]
        .iter()
        .map(|q| (q.to_string(), BTreeMap::new(), false))
        .collect();
    let rust: Vec<serde_json::Value> = cases
        .iter()
        .map(|(q, f, _)| as_json(&scorer::search(&index, q, f)))
        .collect();
    if let Some(js) = js_results(tmp.path(), &dir, &cases) {
        for ((case, r), (j, _)) in cases.iter().zip(&rust).zip(&js) {
            assert_eq!(r, j, "JS and Rust differ on {case:?}");
        }
    }
    let out = common::run_in(&site, &["search", "xoài cát"]);
    assert!(
        out.ok && out.stdout.contains(&title),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

/// Builds the site in `dir` as an editor does (in the folder, no `-C`) and
/// reads the two numbers of its `timing: {what} N of M` line: what the
/// build kept of all it had.
fn built_keeping(dir: &Path, what: &str) -> (usize, usize) {
    kept_in(&built_verbose(dir), what)
}

/// What `build --verbose` in `dir` printed (it succeeded).
fn built_verbose(dir: &Path) -> String {
    let out = common::run_in(dir, &["build", "--verbose"]);
    assert!(out.ok, "{}", out.stderr);
    out.stdout + &out.stderr
}

/// The two numbers of the `timing: {what} N of M` line in `said`.
fn kept_in(said: &str, what: &str) -> (usize, usize) {
    let prefix = format!("timing: {what} ");
    let line = said
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no `{what}` line in:\n{said}"));
    let n: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (n[0], n[1])
}

/// Every file under `dir`, by path relative to it.
fn tree_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

/// After an edit, the static index's files whose names (hashes of what
/// they hold) are unchanged are kept from the last build, not compressed
/// and written again; the index published is byte for byte the one a
/// build from nothing writes.
#[test]
fn a_rebuild_keeps_the_static_index_files_an_edit_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 400, 10, 5);
    let kept_files = |dir: &Path| built_keeping(dir, "search/static/kept");
    let (kept, _) = kept_files(&site);
    assert_eq!(kept, 0, "a first build has nothing to keep");
    let shards = family_members(&site.join("public/_search"), "s");
    assert!(
        shards.len() > 2 * 128,
        "{} shards: they come in several bundles",
        shards.len()
    );

    let model = common::first_model(&site);
    let text = std::fs::read_to_string(&model).unwrap();
    // One word of the body changed for another: the documents' lengths, and
    // so every other term's scores, stay as they were.
    let (head, body) = text.split_at(text.rfind("\n---").unwrap() + 4);
    assert!(body.contains(" và "), "{body}");
    let edited = body.replacen(" và ", " mướpđắngxanh ", 1);
    common::serve::save(&model, &format!("{head}{edited}"));
    let names = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir.join("public/_search"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = names(&site);
    let (kept, _) = kept_files(&site);
    // Every family member whose name stayed (not the manifest, whose name
    // is fixed, nor the facets file and the client script, one each).
    let stayed = names(&site)
        .intersection(&before)
        .filter(|n| n.ends_with(".bin") && !n.starts_with("f."))
        .count();
    assert!(stayed > 0, "an edit renamed every file");
    assert_eq!(kept, stayed, "kept {kept}; {stayed} files kept their names");

    let cold = sources_copied(&site, &tmp.path().join("cold"));
    assert_eq!(kept_files(&cold).0, 0);
    same_static_index(&site, &cold);
}

/// The sources of the site in `site` (not what a build made), copied to
/// `to`: the same site, never built.
fn sources_copied(site: &Path, to: &Path) -> PathBuf {
    for part in ["content", "themes", "static"] {
        if site.join(part).is_dir() {
            copy_dir(&site.join(part), &to.join(part));
        }
    }
    for file in ["site.yaml", "urls.lock"] {
        std::fs::copy(site.join(file), to.join(file)).unwrap();
    }
    to.to_path_buf()
}

/// The two sites published the same static index, file for file, byte for
/// byte.
fn same_static_index(a: &Path, b: &Path) {
    let (a, b) = (
        tree_bytes(&a.join("public/_search")),
        tree_bytes(&b.join("public/_search")),
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (name, bytes) in &a {
        assert!(*bytes == b[name], "{name} differs");
    }
}

/// `build` makes no tantivy index unless the site publishes it: it
/// analyses again only the documents an edit changed (the others' counted
/// terms are remembered, src/search/postings/remembered.rs), and the static
/// index is the same to the byte as a build from nothing's. `dienhinh
/// search` brings its index up to date with the site itself, writing again
/// only the groups of documents an edit changed (src/search/groups.rs), and
/// answers exactly what it answers on a site never searched before: the same
/// results, the same scores.
#[test]
fn a_rebuild_analyses_only_what_changed_and_search_rewrites_only_its_groups() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 600, 20, 9);
    let said = built_verbose(&site);
    assert!(!said.contains("search/tantivy/kept"), "{said}");
    assert!(
        !site.join(".dienhinh/index").exists(),
        "build made the CLI's index"
    );
    let (remembered, docs) = kept_in(&said, "search/postings/remembered");
    assert_eq!(remembered, 0, "a first build analyses every document");
    let (kept, groups) = kept_in(&searched_verbose(&site), "search/tantivy/kept");
    assert_eq!(kept, 0, "a first search has nothing to keep");
    assert!(groups >= 2, "{groups} groups");

    let model = common::first_model(&site);
    let text = std::fs::read_to_string(&model).unwrap();
    common::serve::save(
        &model,
        &format!("{text}\nBà con trồng giống khoaitimnhat.\n"),
    );
    let said = built_verbose(&site);
    assert_eq!(
        kept_in(&said, "search/postings/remembered"),
        (docs - 1, docs),
        "one model edited: only it is analysed again"
    );
    assert_eq!(
        kept_in(&searched_verbose(&site), "search/tantivy/kept"),
        (groups - 1, groups),
        "one model edited"
    );
    assert!(
        !searched_verbose(&site).contains("search/tantivy/kept"),
        "nothing changed: the index is not even looked at"
    );

    let cold = sources_copied(&site, &tmp.path().join("cold"));
    assert_eq!(
        kept_in(&built_verbose(&cold), "search/postings/remembered").0,
        0
    );
    same_static_index(&site, &cold);
    let answers = |dir: &Path| {
        [
            "khoaitimnhat",
            "dân vận khéo",
            "giam ngheo ben vung",
            "hội phụ nữ",
            "UBND",
            "camera",
        ]
        .map(|q| {
            let out = common::run_in(dir, &["search", "--json", "--limit", "50", q]);
            assert!(out.ok, "{q}: {}", out.stderr);
            out.stdout
        })
    };
    let (edited, from_nothing) = (answers(&site), answers(&cold));
    assert_eq!(
        edited[0].matches("\"url\"").count(),
        1,
        "the edit is found: {}",
        edited[0]
    );
    for (i, (a, b)) in edited.iter().zip(&from_nothing).enumerate() {
        let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        assert!(
            a == b,
            "query {i}: the updated index answers otherwise than a new one from line {first:?}:\n{}\n---\n{}",
            a.lines().skip(first.unwrap_or(0).saturating_sub(8)).take(16).collect::<Vec<_>>().join("\n"),
            b.lines().skip(first.unwrap_or(0).saturating_sub(8)).take(16).collect::<Vec<_>>().join("\n"),
        );
    }

    // A segment file lost since: the next search writes the index afresh.
    let index = site.join(".dienhinh/index");
    let store = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    std::fs::remove_file(store).unwrap();
    common::serve::save(
        &model,
        &format!("{text}\nBà con trồng giống khoaitimnhat.\n\nThêm.\n"),
    );
    assert_eq!(
        kept_in(&searched_verbose(&site), "search/tantivy/kept"),
        (0, groups),
        "a damaged index is not reused"
    );
    assert_eq!(answers(&site)[0].matches("\"url\"").count(), 1);
}

/// A rebuild counts in the last build's term numbers
/// (src/search/postings/remembered.rs), so a term that left the site keeps
/// its number: it must still leave the index, and the index stay the one a
/// build from nothing makes.
#[test]
fn a_word_edited_out_leaves_the_index_of_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 60, 4, 3);
    let (_, docs) = kept_in(&built_verbose(&site), "search/postings/remembered");
    let model = common::first_model(&site);
    let text = std::fs::read_to_string(&model).unwrap();
    let found = |q: &str| {
        let out = common::run_in(&site, &["search", "--json", q]);
        assert!(out.ok, "{}", out.stderr);
        out.stdout.matches("\"url\"").count()
    };
    common::serve::save(&model, &format!("{text}\nGiống khoaitimnhat.\n"));
    let said = built_verbose(&site);
    assert_eq!(
        kept_in(&said, "search/postings/remembered"),
        (docs - 1, docs)
    );
    assert_eq!(found("khoaitimnhat"), 1);
    common::serve::save(&model, &text);
    let said = built_verbose(&site);
    assert_eq!(
        kept_in(&said, "search/postings/remembered"),
        (docs - 1, docs)
    );
    assert_eq!(found("khoaitimnhat"), 0);
    let cold = sources_copied(&site, &tmp.path().join("cold"));
    built_verbose(&cold);
    same_static_index(&site, &cold);
}

/// A rebuild after a few edits patches the occurrences the last build
/// gathered (src/search/postings/patch.rs) where the edited documents'
/// terms are: a new word, a word that left the site, a pair of words met
/// for the first time; and it makes again only the term shards holding
/// those terms, taking the others from the last build's bundles
/// (`static_index::Reuse`). Each time the static index is the one a build
/// from nothing makes. Fifty edits move the documents' average length, an
/// added model renumbers the documents after it, occurrences or shard
/// digests whose bytes were damaged are not read: each makes every shard
/// again, with the same index.
#[test]
fn a_rebuild_after_an_edit_patches_the_last_occurrences() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 300, 10, 5);
    let said = built_verbose(&site);
    assert!(!said.contains("search/postings/patched"), "{said}");
    let (_, docs) = kept_in(&said, "search/postings/remembered");
    let model = common::first_model(&site);
    let text = std::fs::read_to_string(&model).unwrap();
    let cold = |name: &str| {
        let cold = sources_copied(&site, &tmp.path().join(name));
        built_verbose(&cold);
        same_static_index(&site, &cold);
    };
    // Rewritten text: words added, none of the old body left.
    let front_end = text.match_indices("---").nth(1).unwrap().0 + 3;
    let edits = [
        format!("{text}\nGiống khoaitimnhat mới, khoaitimnhat tím.\n"),
        format!("{}\nHợp tác xã nuôi ong lấy mật.\n", &text[..front_end]),
        text.clone(),
    ];
    let taken = |said: &str| kept_in(said, "search/static/shards taken");
    for (i, edited) in edits.iter().enumerate() {
        common::serve::save(&model, edited);
        let said = built_verbose(&site);
        assert_eq!(
            kept_in(&said, "search/postings/patched"),
            (1, docs),
            "edit {i}"
        );
        // A line added keeps the average lengths; a body rewritten whole
        // (three hundred words for seven) and then put back moves them.
        let (taken, shards) = taken(&said);
        let kept_averages = i == 0;
        assert!(
            shards > 128 && (taken > 0) == kept_averages && taken < shards,
            "edit {i}: {taken} of {shards} shards taken from the last build"
        );
        cold(&format!("cold{i}"));
    }

    // Fifty edited at once: their old records are more than an eighth of
    // the file of counts, which is written afresh rather than continued
    // (src/search/postings/remembered.rs); then one more edit continues it.
    let models: Vec<PathBuf> = std::fs::read_dir(model.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .take(50)
        .collect();
    let terms = site.join(".dienhinh/search-terms.bin");
    let before = std::fs::metadata(&terms).unwrap().len();
    for m in &models {
        let t = std::fs::read_to_string(m).unwrap();
        common::serve::save(m, &format!("{t}\nNuôi ong lấy mật ở đồi chè.\n"));
    }
    let said = built_verbose(&site);
    assert_eq!(kept_in(&said, "search/postings/patched"), (50, docs));
    assert_eq!(taken(&said).0, 0, "the average lengths moved");
    let compacted = std::fs::metadata(&terms).unwrap().len();
    cold("cold-fifty");
    common::serve::save(&model, &edits[0]);
    let said = built_verbose(&site);
    assert_eq!(kept_in(&said, "search/postings/patched"), (1, docs));
    let continued = std::fs::metadata(&terms).unwrap().len();
    assert!(
        continued > compacted && compacted < before + 50 * 100,
        "{before} → {compacted} → {continued}"
    );
    cold("cold-after-fifty");

    let added = model.with_file_name("aaa-mo-hinh-moi.md");
    let copy: String = text
        .replacen("title: \"", "title: \"Mới: ", 1)
        .replacen("slug: ", "slug: moi-", 1)
        .lines()
        .filter(|l| !l.starts_with("id:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&added, copy).unwrap();
    let said = built_verbose(&site);
    assert!(!said.contains("search/postings/patched"), "added: {said}");
    assert_eq!(taken(&said).0, 0, "added");
    cold("cold-added");

    // A byte of the occurrences (src/search/postings/remembered.rs: the
    // third word of the footer says where they start) changed.
    let mut bytes = std::fs::read(&terms).unwrap();
    let footer = bytes.len() - 40;
    let at = u64::from_le_bytes(bytes[footer + 16..footer + 24].try_into().unwrap()) as usize;
    bytes[at + 20] ^= 0x55;
    std::fs::write(&terms, &bytes).unwrap();
    common::serve::save(&model, &edits[1]);
    let said = built_verbose(&site);
    assert!(!said.contains("search/postings/patched"), "damaged: {said}");
    assert_eq!(
        kept_in(&said, "search/postings/remembered").0,
        docs,
        "the counts are still read"
    );
    assert_eq!(taken(&said).0, 0, "damaged counts");
    cold("cold-damaged");

    // A line added patches again and takes shards; then one byte of the
    // shards' digests (src/search/static_index.rs, `write_digests`)
    // changed.
    common::serve::save(&model, &format!("{}Mật ong rừng.\n", edits[1]));
    assert!(taken(&built_verbose(&site)).0 > 0);
    let digests = site.join(".dienhinh/search-shards.bin");
    let mut bytes = std::fs::read(&digests).unwrap();
    bytes[40] ^= 0x55;
    std::fs::write(&digests, &bytes).unwrap();
    common::serve::save(&model, &format!("{}Mật ong hoa nhãn.\n", edits[1]));
    let said = built_verbose(&site);
    assert_eq!(kept_in(&said, "search/postings/patched").0, 1);
    assert_eq!(taken(&said).0, 0, "damaged digests: {said}");
    cold("cold-damaged-digests");
}

/// What `search --verbose` in `dir` printed (it succeeded).
fn searched_verbose(dir: &Path) -> String {
    let out = common::run_in(dir, &["search", "--verbose", "dân vận"]);
    assert!(out.ok, "{}", out.stderr);
    out.stdout + &out.stderr
}

/// The term shards and the metadata are written a bundle a group of 128
/// (src/search/bundle.rs), not a file each: a cold build at 10,000 models
/// made 20,700 files for them, and creating files was a fifth of its time.
/// Every member read out of its bundle by the manifest's lengths is a
/// complete gzip file; the Rust reader, the CLI and the JS client read the
/// index alike (the other tests of this file).
#[test]
fn shards_and_metadata_are_written_in_bundles_a_group_each() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 600, 10, 3);
    let out = common::run_in(&site, &["build"]);
    assert!(out.ok, "{}", out.stderr);
    let dir = site.join("public/_search");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for kind in ["s", "m"] {
        let members = family_members(&dir, kind);
        let bundles: BTreeSet<&String> = members.values().map(|(file, _)| file).collect();
        let on_disk = files
            .iter()
            .filter(|f| f.starts_with(&format!("{kind}.")))
            .count();
        assert!(members.len() > 128, "{kind}: {} members", members.len());
        assert_eq!(bundles.len(), members.len().div_ceil(128), "{kind}");
        assert_eq!(on_disk, bundles.len(), "{kind}: only the bundles on disk");
        for (i, (file, bytes)) in &members {
            let mut inflated = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut inflated)
                .unwrap_or_else(|e| panic!("{kind} {i} in {file}: {e}"));
            assert!(!inflated.is_empty());
        }
    }
}

/// `serve` answers a range request as static hosts do (206 with the bytes
/// asked for), so the search page reads a bundle a member at a time
/// (src/search/bundle.rs); several ranges get the whole file and a range
/// past the end 416.
#[test]
fn serve_answers_range_requests_for_the_index_bundles() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::generated_site(&tmp.path().join("site"), 300, 5, 4);
    let server = common::serve::start_in(&site, &["serve", "--port", "0"]);
    // The preview's index is made once the pages are up.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let manifest = loop {
        let (status, _, manifest) = get_bytes(&server.addr, "/_search/manifest.json", None);
        if status == 200 || std::time::Instant::now() > deadline {
            assert_eq!(status, 200);
            break manifest;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let manifest: static_index::Manifest = serde_json::from_slice(&manifest).unwrap();
    let places = manifest.shards.places("s").unwrap();
    let path = format!("/_search/{}", places[0].file);
    let (status, _, whole) = get_bytes(&server.addr, &path, None);
    assert_eq!(status, 200);
    for place in places
        .iter()
        .filter(|p| format!("/_search/{}", p.file) == path)
    {
        let r = place.range.clone().unwrap();
        let asked = format!("bytes={}-{}", r.start, r.end - 1);
        let (status, head, part) = get_bytes(&server.addr, &path, Some(&asked));
        assert_eq!(status, 206, "{asked}");
        let range_line = format!(
            "content-range: bytes {}-{}/{}",
            r.start,
            r.end - 1,
            whole.len()
        );
        assert!(head.to_lowercase().contains(&range_line), "{head}");
        assert_eq!(part, whole[r.clone()]);
        let mut shard = Vec::new();
        flate2::read::GzDecoder::new(&part[..])
            .read_to_end(&mut shard)
            .unwrap();
        packed::read_shard(&shard, manifest.docs as u32).unwrap();
    }
    let (status, _, body) = get_bytes(&server.addr, &path, Some("bytes=0-1,4-5"));
    assert_eq!((status, body.len()), (200, whole.len()));
    let past = format!("bytes={}-", whole.len() + 10);
    assert_eq!(get_bytes(&server.addr, &path, Some(&past)).0, 416);
}

/// A GET over HTTP/1.0, with a `Range` header when given: status, head
/// and body bytes.
fn get_bytes(addr: &str, path: &str, range: Option<&str>) -> (u16, String, Vec<u8>) {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let range = range.map_or(String::new(), |r| format!("Range: {r}\r\n"));
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{range}\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head[9..12].parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}
