//! The editor's workflow from the command line: init → build, new → check,
//! check's lints and link checks, its JSON form and exit status.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_dir, run, snapshot};

const LINTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lints");

#[test]
fn init_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("trang-moi");
    // A site with its address: a fresh one without fails `check --strict`
    // on purpose (DH033, tests/it/newcomer.rs).
    let init = run(
        tmp.path(),
        &[
            "init",
            site.to_str().unwrap(),
            "--base-url",
            "https://danvan.tinh.gov.vn/",
        ],
    );
    assert!(init.ok, "{}", init.stderr);
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("vocabularies:") && yaml.contains("id: quoc-phong-an-ninh"));

    let check = run(&site, &["check", "--strict"]);
    assert!(
        check.ok,
        "a new site must pass check --strict:\n{}",
        check.stderr
    );
    let build = run(&site, &["build"]);
    assert!(build.ok, "{}", build.stderr);
    let public = site.join("public");
    for page in [
        "index.html",
        "gioi-thieu/index.html",
        "mo-hinh/nam-gao-tinh-thuong/index.html",
        "tuyen-duong/xa-vi-du-tuyen-duong-2023/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    assert!(
        fs::read_to_string(public.join("mo-hinh/nam-gao-tinh-thuong/index.html"))
            .unwrap()
            .contains("Nắm gạo tình thương")
    );
    assert!(
        build.stderr.contains("trang") && build.stderr.contains("MB"),
        "one-line summary expected:\n{}",
        build.stderr
    );

    // A second init refuses the folder and changes nothing, unless forced.
    let before = snapshot(&site);
    let again = run(tmp.path(), &["init", site.to_str().unwrap()]);
    assert!(!again.ok && again.stderr.contains("--force"));
    assert_eq!(snapshot(&site), before);
    assert!(run(tmp.path(), &["init", site.to_str().unwrap(), "--force"]).ok);
}

#[test]
fn new_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    assert!(
        run(
            tmp.path(),
            &[
                "init",
                site.to_str().unwrap(),
                "-q",
                "--base-url",
                "https://danvan.tinh.gov.vn/"
            ]
        )
        .ok
    );

    let made = run(
        &site,
        &[
            "new",
            "model",
            "Hũ gạo tình thương",
            "--field",
            "văn hóa xã hội",
            "--kind",
            "tap-the",
            "--place",
            "Hải Dương, Thị xã Kinh Môn",
        ],
    );
    assert!(made.ok, "{}", made.stderr);
    let path = site.join("content/mo-hinh/hu-gao-tinh-thuong.md");
    assert_eq!(made.stdout.trim(), path.to_str().unwrap());
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("field: van-hoa-xa-hoi"), "{text}");
    assert!(text.contains("place: [\"Hải Dương\", \"Thị xã Kinh Môn\"]"));
    assert!(text.contains("# Lĩnh vực (bắt buộc)"));
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id: \"")?.strip_suffix('"'))
        .expect("an id line, quoted");
    assert!(
        id.len() == 5
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );

    let ceremony = run(
        &site,
        &[
            "new",
            "ceremony",
            "Đêm tuyên dương Quận 1",
            "--date",
            "2019-10-15",
        ],
    );
    assert!(ceremony.ok, "{}", ceremony.stderr);
    let ctext =
        fs::read_to_string(site.join("content/tuyen-duong/dem-tuyen-duong-quan-1.md")).unwrap();
    assert!(ctext.contains("date: 2019-10-15"));
    assert!(ctext.contains("\nid: \""), "{ctext}");
    assert!(!ctext.contains(&format!("id: \"{id}\"")), "ids are unique");

    let check = run(&site, &["check", "--strict"]);
    assert!(
        check.ok,
        "new documents must check clean:\n{}",
        check.stderr
    );
    assert!(run(&site, &["build"]).ok);

    // Refuses to overwrite, and refuses unknown values with a suggestion.
    let before = fs::read(&path).unwrap();
    let again = run(&site, &["new", "model", "Hũ gạo tình thương"]);
    assert!(
        !again.ok && again.stderr.contains("tệp này đã có"),
        "{}",
        again.stderr
    );
    let again_en = run(
        &site,
        &["--lang", "en", "new", "model", "Hũ gạo tình thương"],
    );
    assert!(!again_en.ok && again_en.stderr.contains("already exists"));
    assert_eq!(fs::read(&path).unwrap(), before);
    let typo = run(
        &site,
        &["new", "model", "Khác", "--field", "van-hoa-xa-hio"],
    );
    assert!(!typo.ok);
    assert!(
        typo.stderr
            .contains("có phải ý bạn là `--field van-hoa-xa-hoi`?"),
        "{}",
        typo.stderr
    );
    let typo_en = run(
        &site,
        &[
            "--lang",
            "en",
            "new",
            "model",
            "Khác",
            "--field",
            "van-hoa-xa-hio",
        ],
    );
    assert!(
        typo_en
            .stderr
            .contains("did you mean `--field van-hoa-xa-hoi`"),
        "{}",
        typo_en.stderr
    );
    assert!(!site.join("content/mo-hinh/khac.md").exists());
}

/// Copies the lints fixture and adds the oversized photo, which is not kept
/// in the repository.
fn lint_site(tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join("site");
    copy_dir(Path::new(LINTS), &site);
    fs::write(
        site.join("content/mo-hinh/anh-lon.jpg"),
        vec![0xffu8; 1_500_000],
    )
    .unwrap();
    site
}

#[test]
fn check_reports_every_lint_where_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let site = lint_site(tmp.path());
    let before = snapshot(&site);
    let out = run(&site, &["check", "--format", "json"]);
    assert!(!out.ok, "broken links are errors");
    assert_eq!(snapshot(&site), before, "check writes nothing");
    assert!(!site.join("public").exists());

    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let found: Vec<(String, String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("DH024", "content/mo-hinh/nfd.md", 8, "warning"),
        ("DH025", "content/mo-hinh/ma-cu.md", 7, "warning"),
        ("DH026", "content/mo-hinh/tach-chu.md", 8, "warning"),
        ("DH027", "content/mo-hinh/dau-thanh.md", 7, "warning"),
        ("DH028", "content/tuyen-duong/so-lieu.md", 10, "warning"),
        ("DH021", "content/mo-hinh/khong-id.md", 2, "warning"),
        ("DH029", "content/mo-hinh/anh-nang.md", 7, "warning"),
        ("DH030", "content/mo-hinh/tieu-de-dai.md", 3, "warning"),
        ("DH022", "content/mo-hinh/lien-ket.md", 9, "error"),
        ("DH023", "content/mo-hinh/lien-ket.md", 9, "error"),
        ("DH022", "content/mo-hinh/lien-ket.md", 10, "error"),
    ];
    for (code, file, line, severity) in expected {
        assert!(
            found
                .iter()
                .any(|f| f == &(code.into(), file.into(), line, severity.into())),
            "{code} at {file}:{line} ({severity}) missing in {found:#?}"
        );
    }
    assert_eq!(
        found.len(),
        expected.len() + 1,
        "one split word more (N hân), nothing else: {found:#?}"
    );
    assert_eq!(json["errors"], 3);
    assert_eq!(json["ok"], false);
    // The same problems in English, each in words of its own: no lint or
    // link message was left untranslated.
    let en: serde_json::Value =
        serde_json::from_str(&run(&site, &["--lang", "en", "check", "--format", "json"]).stdout)
            .expect("valid JSON");
    let (vi_all, en_all) = (
        json["diagnostics"].as_array().unwrap(),
        en["diagnostics"].as_array().unwrap(),
    );
    assert_eq!(vi_all.len(), en_all.len());
    for (v, e) in vi_all.iter().zip(en_all) {
        assert_eq!(
            (v["lang"].as_str(), e["lang"].as_str()),
            (Some("vi"), Some("en"))
        );
        for key in ["message", "label", "help"] {
            assert!(
                (v[key].is_null() && e[key].is_null()) || v[key] != e[key],
                "{key} of {} is not translated: {}",
                v["code"],
                v[key]
            );
        }
    }
    let d = &json["diagnostics"][0];
    for key in ["title", "message", "column", "source_line", "help"] {
        assert!(!d[key].is_null(), "{key} missing in {d}");
    }

    // Text form: position, source line, marker, explanation and fix.
    let text = run(&site, &["check"]);
    let err = &text.stderr;
    assert!(err.contains("content/mo-hinh/tach-chu.md:8:13"), "{err}");
    assert!(err.contains("Mô hình của T hị xã Kinh Môn"));
    assert!(err.contains("Chữ bị tách bởi dấu cách thừa"));
    assert!(err.contains("viết `Thị`"));
    assert!(err.contains("có phải ý bạn là `#ket-qua`?"));
    assert!(err.contains("viết `/mo-hinh/tach-chu/`"));
    assert!(
        err.contains("3 lỗi (errors), 9 cảnh báo (warnings)"),
        "{err}"
    );
    assert!(
        !err.contains("\u{1b}["),
        "no colours when not on a terminal"
    );

    let en = run(&site, &["check", "--lang", "en"]);
    assert!(en.stderr.contains("Word split by a stray space"));
    assert!(en
        .stderr
        .contains("looks like the word “Thị” split by a stray space"));
    assert!(en.stderr.contains("3 errors, 9 warnings"));
}

#[test]
fn warnings_pass_unless_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let site = lint_site(tmp.path());
    fs::remove_file(site.join("content/mo-hinh/lien-ket.md")).unwrap();
    let plain = run(&site, &["check"]);
    assert!(plain.ok, "warnings only:\n{}", plain.stderr);
    let strict = run(&site, &["check", "--strict", "--format", "json"]);
    assert!(!strict.ok);
    let json: serde_json::Value = serde_json::from_str(&strict.stdout).unwrap();
    assert_eq!(
        (json["errors"].as_u64(), json["ok"].as_bool()),
        (Some(0), Some(false))
    );
    let quiet = run(&site, &["check", "-q"]);
    assert!(
        quiet.ok && !quiet.stderr.contains("DH026"),
        "{}",
        quiet.stderr
    );
}

#[test]
fn the_sample_site_checks_with_only_the_designed_warning() {
    let out = run(
        Path::new(common::SAMPLE_SITE),
        &["check", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["errors"], 0, "{}", out.stdout);
    // The schema's real example (README.md): 1,085 + 4,037 ≠ 5,102.
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "DH028"));
}
