//! `public: false` withholds a name: a ceremony's honoree who must not be
//! named, a model whose owner is a private person. The name stays in the
//! source file for the office's records; not one of its words may reach a
//! published file (pages, feeds, open data, the static search index, its
//! compressed siblings) or the answers of `dienhinh search`.
//!
//! A public honoree, built beside them, proves that the scan does see the
//! indexes: her words must be found where the withheld ones must not.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// Invented names whose every word is rare enough to appear nowhere else.
const WITHHELD_HONOREE: &str = "Khưu Ngoẵng Xuýnh Phẩu";
const WITHHELD_OWNER: &str = "Quách Khuých Thuỳnh Xoẳn";
const PUBLIC_HONOREE: &str = "Lượm Quắn Thưởi";
/// What the withheld honoree was given, by whom, by which decision: the
/// ceremony's page shows them (beside "name withheld"), but search must
/// not, or a rare body or decision would lead to the person. The award is
/// given to no one else.
const WITHHELD_BODY: &str = "Hội đồng Khoảnh Huỵch";
const WITHHELD_BODY_RARE: &str = "Khoảnh Huỵch";
const WITHHELD_DECISION: &str = "Quyết định số 4711/QĐ-HĐKH";
const WITHHELD_AWARD: &str = "ky-niem-chuong";
/// The public honoree's: in the search indexes (the control).
const PUBLIC_BODY: &str = "Ủy ban Thoòng Quềnh";
const PUBLIC_DECISION: &str = "Quyết định số 8086/QĐ-UBTQ";

/// Runs the program as an editor does: in the site's folder, no `-C`,
/// stdin not a terminal.
fn dienhinh(site: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dienhinh"))
        .current_dir(site)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run dienhinh");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small site with both kinds of withheld name, the static index
/// published and every text file precompressed.
fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write(
        &site,
        "site.yaml",
        "title: \"Thử\"\nbase_url: \"https://vi-du.gov.vn/\"\nsearch: {publish_index: true}\ncompress: true\n",
    );
    write(
        &site,
        "content/mo-hinh/nuoi-ca.md",
        &format!(
            "---\nid: nc001\ntitle: \"Nuôi cá giống cho hộ nghèo\"\nfield: kinh-te\nkind: ca-nhan\nowner: {{name: \"{WITHHELD_OWNER}\", role: chủ hộ}}\npublic: false\nplace: [Tỉnh Bến Tre]\ndate: 2020-05-01\n---\nMột hộ gia đình giúp hàng xóm nuôi cá giống.\n"
        ),
    );
    write(
        &site,
        "content/tuyen-duong/le-2020.md",
        &format!(
            "---\nid: le201\ntitle: \"Lễ tuyên dương năm 2020\"\ndate: 2020-06-01\nhonorees:\n  - {{name: \"{WITHHELD_HONOREE}\", kind: ca-nhan, award: {WITHHELD_AWARD}, by: \"{WITHHELD_BODY}\", decision: \"{WITHHELD_DECISION}\", public: false}}\n  - {{name: \"{PUBLIC_HONOREE}\", kind: ca-nhan, award: giay-khen, by: \"{PUBLIC_BODY}\", decision: \"{PUBLIC_DECISION}\"}}\n  - {{model: nuoi-ca, award: giay-khen}}\n---\nBuổi lễ tuyên dương các điển hình.\n"
        ),
    );
    (tmp, site)
}

/// The text of every file under `dir`, gzip and brotli files inflated.
fn published_text(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            published_text(&path, out);
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut inflated = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_end(&mut inflated)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            text = String::from_utf8_lossy(&inflated).into_owned();
        } else if path.extension().is_some_and(|e| e == "br") {
            let mut inflated = Vec::new();
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut inflated)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            text = String::from_utf8_lossy(&inflated).into_owned();
        }
        out.push((path.display().to_string(), text));
    }
}

/// A name's words as they could be written out: as typed, lower case and
/// folded to ASCII (the static dictionary holds folded words).
fn spellings(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in name.split_whitespace() {
        out.push(word.to_string());
        out.push(word.to_lowercase());
        out.push(deunicode::deunicode(&word.to_lowercase()));
    }
    out.sort();
    out.dedup();
    out
}

fn files_holding(files: &[(String, String)], needle: &str) -> Vec<String> {
    let lower = needle.to_lowercase();
    files
        .iter()
        .filter(|(_, text)| text.contains(needle) || text.to_lowercase().contains(&lower))
        .map(|(path, _)| path.clone())
        .collect()
}

/// What `dienhinh search --json` found for `query`.
/// Results matching the query as typed (or as the beginning of a word).
/// A word in no document is corrected to public words near it, and the
/// results for those (class 2, "corrected") say nothing about the name:
/// they are what the same typo of any absent word finds.
fn search_hits(site: &Path, query: &str) -> usize {
    let (ok, stdout, stderr) = dienhinh(site, &["search", "--json", query]);
    assert!(ok, "search {query}: {stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("search prints JSON");
    v.as_array()
        .or_else(|| v["results"].as_array())
        .unwrap_or_else(|| panic!("unexpected search output: {stdout}"))
        .iter()
        .filter(|h| h["class"].as_u64() != Some(2))
        .count()
}

#[test]
fn withheld_names_reach_no_published_file_and_no_index() {
    let (_tmp, site) = site();
    let (ok, _, stderr) = dienhinh(&site, &["build"]);
    assert!(ok, "build failed:\n{stderr}");
    let mut files = Vec::new();
    published_text(&site.join("public"), &mut files);
    assert!(
        files.iter().any(|(p, _)| p.contains("_search")),
        "the static index was not published"
    );

    // The scan sees the pages and the index: the public name is found.
    for word in spellings(PUBLIC_HONOREE) {
        assert!(
            !files_holding(&files, &word).is_empty(),
            "control: `{word}` of the public honoree is in no published file"
        );
    }
    assert!(
        files_holding(&files, "luom")
            .iter()
            .any(|p| p.contains("_search")),
        "control: the public honoree is not in the static index"
    );
    assert!(search_hits(&site, PUBLIC_HONOREE) > 0);

    // The public honoree's award, body and decision are searchable.
    let search_files: Vec<(String, String)> = files
        .iter()
        .filter(|(p, _)| p.contains("_search"))
        .cloned()
        .collect();
    for word in spellings("Thoòng Quềnh") {
        assert!(
            !files_holding(&search_files, &word).is_empty(),
            "control: `{word}` of the public honoree's awarding body is not in the static index"
        );
    }
    for query in [PUBLIC_BODY, "8086/QĐ-UBTQ", "thoong quenh"] {
        assert!(search_hits(&site, query) > 0, "control: {query}");
    }
    let (ok, _, stderr) = dienhinh(&site, &["search", "lễ", "--body", PUBLIC_BODY]);
    assert!(ok, "control: --body {PUBLIC_BODY}: {stderr}");

    let mut leaks = Vec::new();
    // Of the withheld honoree, nothing reaches the search indexes (published
    // or beside the site) nor the answers of `dienhinh search`: not its
    // body, its decision, nor its award (which no one else received).
    let mut indexes = search_files;
    published_text(&site.join(".dienhinh/index"), &mut indexes);
    let withheld_words = spellings(WITHHELD_BODY_RARE)
        .into_iter()
        .chain(["hdkh", "HĐKH", WITHHELD_AWARD, "Kỷ niệm chương"].map(String::from));
    for word in withheld_words {
        for path in files_holding(&indexes, &word) {
            leaks.push(format!(
                "`{word}` of the withheld honoree's award in {path}"
            ));
        }
    }
    for query in [
        WITHHELD_BODY,
        WITHHELD_DECISION,
        "4711/QĐ-HĐKH",
        "khoanh huych",
        "kỷ niệm chương",
    ] {
        let hits = search_hits(&site, query);
        if hits > 0 {
            leaks.push(format!("`dienhinh search \"{query}\"` finds {hits}"));
        }
    }
    for (option, value) in [("--body", WITHHELD_BODY), ("--award", WITHHELD_AWARD)] {
        let (ok, stdout, _) = dienhinh(&site, &["search", "--json", "lễ", option, value]);
        if ok && stdout.trim() != "[]" {
            leaks.push(format!(
                "`dienhinh search lễ {option} \"{value}\"` finds {stdout}"
            ));
        }
    }
    for name in [WITHHELD_HONOREE, WITHHELD_OWNER] {
        for word in spellings(name) {
            for path in files_holding(&files, &word) {
                leaks.push(format!("`{word}` in {path}"));
            }
        }
        for query in [name.to_string(), deunicode::deunicode(name)]
            .into_iter()
            .chain(name.split_whitespace().map(str::to_string))
        {
            let hits = search_hits(&site, &query);
            if hits > 0 {
                leaks.push(format!("`dienhinh search \"{query}\"` finds {hits}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "withheld names leak:\n{}",
        leaks.join("\n")
    );
}
