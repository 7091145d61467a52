//! Strings stay strings: every text field is read as the scalar's own text,
//! whatever YAML would infer from it (`id: 288e5` is not 28800000), and
//! whatever text the editor writes, every XML file the build publishes
//! stays well-formed.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

/// `src/new_doc.rs`'s id alphabet and length: the ids `dienhinh new` writes
/// are five of these (not all digits). Kept in step by
/// `ids_written_by_new_use_this_alphabet`.
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const ID_LEN: usize = 5;

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the program as an editor does: in the site's folder, no `-C`,
/// stdin not a terminal.
fn dienhinh(site: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_dienhinh"))
        .current_dir(site)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run dienhinh");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write(
        &site,
        "site.yaml",
        "title: \"Thử\"\nbase_url: \"https://vi-du.gov.vn/\"\n",
    );
    (tmp, site)
}

fn model(id_line: &str, extra: &str) -> String {
    format!("---\n{id_line}\ntitle: \"Mô hình\"\nfield: kinh-te\nkind: tap-the\n{extra}---\nNội dung.\n")
}

/// A small deterministic generator (xorshift), so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// Ids as `new` can write them, weighted towards the ones YAML reads as
/// numbers: digits and `e` only (`352e7`, `2e324`, `57e43`), then any.
fn generated_ids(n: usize) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let numeric: Vec<u8> = b"23456789e".to_vec();
    let mut ids: Vec<String> = Vec::new();
    while ids.len() < n {
        let from: &[u8] = if ids.len().is_multiple_of(2) {
            &numeric
        } else {
            ID_ALPHABET
        };
        let id: String = (0..ID_LEN).map(|_| rng.pick(from) as char).collect();
        // `new` never writes an id of digits only (see `fresh_id`).
        if id.bytes().any(|b| b.is_ascii_lowercase()) && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

#[test]
fn every_id_new_can_write_round_trips_to_its_short_link() {
    let mut ids = generated_ids(240);
    // From the issue, and ids valid as written though `new` would not
    // make them: digits only, hexadecimal, octal, a YAML boolean.
    for id in [
        "352e7", "57e43", "288e5", "2e324", "2e236", "0x1ab", "23456", "0o777", "7e-32", "true",
        "1e9",
    ] {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    }
    let (_tmp, site) = new_site();
    for (i, id) in ids.iter().enumerate() {
        write(
            &site,
            &format!("content/mo-hinh/m{i}.md"),
            &model(&format!("id: {id}"), ""),
        );
    }
    write(
        &site,
        "content/tuyen-duong/le.md",
        "---\nid: 466e5\ntitle: \"Lễ\"\ndate: 2020-01-01\n---\nLễ.\n",
    );
    let out = dienhinh(&site, &["build"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let short = site.join("public/m");
    let mut all = ids.clone();
    all.push("466e5".to_string());
    let missing: Vec<&String> = all
        .iter()
        .filter(|id| !short.join(format!("{id}.html")).is_file())
        .collect();
    assert!(missing.is_empty(), "short links missing for {missing:?}");
    // Nothing was published under a number YAML would have made of an id.
    for number in ["28800000", "427", "35200000", "4660000"] {
        assert!(
            !short.join(format!("{number}.html")).exists(),
            "/m/{number} published"
        );
    }
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap_or_default();
    assert!(lock.contains("/m/288e5\n"), "urls.lock:\n{lock}");
}

#[test]
fn ids_written_by_new_use_this_alphabet() {
    let (_tmp, site) = new_site();
    for i in 0..12 {
        let out = dienhinh(
            &site,
            &[
                "new",
                "model",
                &format!("Mô hình số {i}"),
                "--field",
                "kinh-te",
                "--kind",
                "tap-the",
            ],
        );
        assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    }
    let mut seen = 0;
    for entry in fs::read_dir(site.join("content/mo-hinh")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        let line = text.lines().find(|l| l.starts_with("id:")).unwrap();
        let id = line["id:".len()..].trim().trim_matches(['"', '\'']);
        assert_eq!(id.len(), ID_LEN, "{line}");
        assert!(id.bytes().all(|b| ID_ALPHABET.contains(&b)), "{line}");
        seen += 1;
    }
    assert_eq!(seen, 12);
}

#[test]
fn text_fields_keep_the_text_yaml_would_read_as_a_number() {
    let (_tmp, site) = new_site();
    write(
        &site,
        "content/mo-hinh/a.md",
        &model(
            "id: aaaa2",
            "owner: 0x1F\nrecognitions:\n  - {level: cap-huyen, year: 2019, decision: 0x1ab}\nperiod: 2019\ntags: [1e3]\n",
        ),
    );
    write(
        &site,
        "content/mo-hinh/b.md",
        &model("id: bbbb2", "owner: {name: 23456, role: 1e5}\n"),
    );
    let out = dienhinh(&site, &["build"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let data = fs::read_to_string(site.join("public/du-lieu/mo-hinh.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let models = v["models"].as_array().expect("models");
    let by_id = |id: &str| {
        models
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in {data}"))
    };
    let a = by_id("aaaa2");
    assert_eq!(a["owner"], "0x1F");
    assert_eq!(a["recognitions"][0]["decision"], "0x1ab");
    assert_eq!(a["period"], "2019");
    assert_eq!(a["tags"][0], "1e3");
    assert_eq!(by_id("bbbb2")["owner"], "23456");
    let page = fs::read_to_string(site.join("public/mo-hinh/b/index.html")).unwrap();
    assert!(page.contains("23456 (1e5)"), "{page}");
}

#[test]
fn an_owner_of_the_wrong_form_is_reported_at_its_place() {
    let (_tmp, site) = new_site();
    write(
        &site,
        "content/mo-hinh/a.md",
        &model("id: aaaa2", "owner: [Hội Phụ nữ, Đoàn Thanh niên]\n"),
    );
    let out = dienhinh(&site, &["build"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(!out.stderr.contains("untagged"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/mo-hinh/a.md:6:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("{name, role}"), "{}", out.stderr);
}

#[test]
fn a_period_that_ends_before_it_starts_is_an_error() {
    let (_tmp, site) = new_site();
    write(
        &site,
        "content/mo-hinh/a.md",
        &model("id: aaaa2", "period: 2024-2019\n"),
    );
    write(
        &site,
        "content/mo-hinh/b.md",
        &model("id: bbbb2", "period: 2019–2024\n"),
    );
    let out = dienhinh(&site, &["build"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("DH010"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/mo-hinh/a.md:6:9"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2019-2024"), "{}", out.stderr);
    assert!(!out.stderr.contains("b.md"), "{}", out.stderr);
}

/// Characters that break XML 1.0 or test its escaping, and ordinary text.
const PIECES: &[&str] = &[
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{1}",
    "\u{8}",
    "\u{B}",
    "\u{C}",
    "\u{1F}",
    "\u{7F}",
    "\u{85}",
    "\u{FDD0}",
    "\u{2028}",
    "\u{FFFD}",
    "\u{1F600}",
    "\u{10FFFF}",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "&amp;",
    "<![CDATA[",
    "\t",
    " ",
    "Dân vận khéo",
    "Nguyễn",
    "x",
    "\n",
];

/// `s` as a YAML double-quoted scalar: every character outside printable
/// ASCII escaped, so YAML accepts any of them.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[test]
fn feeds_and_sitemaps_stay_well_formed_whatever_the_text() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut text = |len: usize| -> String { (0..len).map(|_| rng.pick(PIECES)).collect() };
    let (_tmp, site) = new_site();
    for i in 0..30 {
        let title = format!("Mô hình {i} {}", text(12)).replace('\n', " ");
        let tag = text(4).replace('\n', " ");
        let body = format!("{}\n\n{}\n", text(40), text(20));
        write(
            &site,
            &format!("content/mo-hinh/m{i}.md"),
            &format!(
                "---\nid: f{i:04}\ntitle: {}\nfield: kinh-te\nkind: tap-the\nplace: [{}]\ntags: [{}]\ndate: 2020-01-{:02}\n---\n{body}",
                yaml_quoted(&title),
                yaml_quoted(&format!("Tỉnh {}", text(3).replace('\n', " "))),
                yaml_quoted(&format!("thẻ {tag}")),
                i % 28 + 1
            ),
        );
    }
    // A body holding a character XML forbids reaches the feeds' summaries.
    write(
        &site,
        "content/tuyen-duong/le.md",
        "---\nid: le001\ntitle: \"Lễ \\uFFFE tuyên dương \\x01\"\ndate: 2020-02-01\n---\nBuổi lễ \u{FFFE}\u{FFFF} có \u{1}ký tự lạ.\n",
    );
    let out = dienhinh(&site, &["build"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut xml_files = Vec::new();
    collect(&site.join("public"), &mut xml_files);
    let mut checked = 0;
    let mut broken = Vec::new();
    for path in &xml_files {
        let text = fs::read_to_string(path).unwrap();
        match roxmltree::Document::parse(&text) {
            Ok(doc) => {
                // The readable text arrived (only forbidden characters went).
                if path.ends_with("atom.xml") && doc.root_element().tag_name().name() == "feed" {
                    checked += 1;
                }
            }
            Err(e) => broken.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(broken.is_empty(), "not well-formed:\n{}", broken.join("\n"));
    assert!(checked >= 2, "too few feeds checked ({checked})");
    let feed = fs::read_to_string(site.join("public/atom.xml")).unwrap();
    assert!(feed.contains("Buổi lễ"), "{feed}");
    assert!(feed.contains("ký tự lạ"), "{feed}");
    assert!(xml_files.iter().any(|p| p.ends_with("sitemap.xml")));
}

/// Every `.xml` and `.svg` file under `dir`.
fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml" || e == "svg") {
            out.push(path);
        }
    }
}
