//! The editor's first steps and first mistakes, run as an editor runs them:
//! in the site folder, without `-C`, stdin not a terminal (or a real
//! pseudo-terminal where `new` asks questions).
//!
//! - `new` writes only documents that build: it asks for the required
//!   values on a terminal, and stops with a usage error without one.
//! - An empty required value is "required, empty", not an unknown value.
//! - One mistake in one document is one error: references to that document
//!   and its `urls.lock` lines are not reported again.
//! - The same warning many times is shown five times, then counted.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, init_site, on_terminal, run_in, SAMPLE_SITE};

/// A fresh site made by `init`, and its temporary folder (keep it alive).
fn fresh_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "trang", &["-q"]);
    (tmp, site)
}

/// The sample site's content, site.yaml and urls.lock, in a temporary folder.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let sample = Path::new(SAMPLE_SITE);
    copy_dir(&sample.join("content"), &site.join("content"));
    for f in ["site.yaml", "urls.lock"] {
        fs::copy(sample.join(f), site.join(f)).unwrap();
    }
    if sample.join("static").is_dir() {
        copy_dir(&sample.join("static"), &site.join("static"));
    }
    (tmp, site)
}

/// `check --format json`, parsed.
fn check_json(site: &Path) -> serde_json::Value {
    let out = run_in(site, &["check", "--format", "json"]);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}:\n{}\n{}", out.stdout, out.stderr))
}

fn codes(json: &serde_json::Value, severity: &str) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == severity)
        .map(|d| format!("{} {}:{}", d["code"], d["file"], d["line"]))
        .collect()
}

/// The lines miette starts each rendered problem with: its code alone.
fn frames(stderr: &str, code: &str) -> usize {
    stderr.lines().filter(|l| l.trim() == code).count()
}

fn replace_line(path: &Path, key: &str, line: &str) {
    let text = fs::read_to_string(path).unwrap();
    let prefix = format!("{key}:");
    let mut found = false;
    let new: Vec<String> = text
        .lines()
        .map(|l| {
            if !found && l.starts_with(&prefix) {
                found = true;
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(found, "no `{key}:` line in {}", path.display());
    fs::write(path, new.join("\n") + "\n").unwrap();
}

#[test]
fn new_without_a_terminal_names_the_missing_flags_and_writes_nothing() {
    let (_tmp, site) = fresh_site();
    let before = common::snapshot(&site);
    let out = run_in(&site, &["new", "model", "Tủ sách dùng chung"]);
    assert!(!out.ok);
    for want in [
        "`--field`, `--kind`",
        "chưa ghi gì",
        "kinh-te, van-hoa-xa-hoi",
        "tap-the, ca-nhan, ho-gia-dinh",
        "--field kinh-te --kind tap-the",
    ] {
        assert!(out.stderr.contains(want), "`{want}` in:\n{}", out.stderr);
    }
    // Only one of the two flags: the other is still named.
    let en = run_in(
        &site,
        &[
            "--lang",
            "en",
            "new",
            "model",
            "Tủ sách dùng chung",
            "--field",
            "kinh-te",
        ],
    );
    assert!(!en.ok);
    assert!(
        en.stderr
            .contains("`--kind` missing (required); nothing was written")
            && !en.stderr.contains("`--field`, "),
        "{}",
        en.stderr
    );
    let ceremony = run_in(&site, &["new", "ceremony", "Hội nghị điển hình"]);
    assert!(
        !ceremony.ok && ceremony.stderr.contains("`--date`"),
        "{}",
        ceremony.stderr
    );
    assert_eq!(common::snapshot(&site), before, "nothing may be written");
}

#[test]
fn new_with_flags_writes_documents_that_build() {
    let (_tmp, site) = fresh_site();
    let model = run_in(
        &site,
        &[
            "new",
            "model",
            "Tủ sách dùng chung",
            "--field",
            "Văn hóa – xã hội",
            "--kind",
            "ca-nhan",
        ],
    );
    assert!(model.ok, "{}", model.stderr);
    let ceremony = run_in(
        &site,
        &[
            "new",
            "ceremony",
            "Hội nghị điển hình",
            "--date",
            "2024-05-20",
        ],
    );
    assert!(ceremony.ok, "{}", ceremony.stderr);
    let text = fs::read_to_string(site.join("content/mo-hinh/tu-sach-dung-chung.md")).unwrap();
    assert!(text.contains("\nfield: van-hoa-xa-hoi\n"), "{text}");
    assert!(text.contains("\nkind: ca-nhan\n"), "{text}");
    let build = run_in(&site, &["build"]);
    assert!(build.ok, "what `new` writes must build:\n{}", build.stderr);
    assert!(site
        .join("public/mo-hinh/tu-sach-dung-chung/index.html")
        .is_file());
    assert!(site
        .join("public/tuyen-duong/hoi-nghi-dien-hinh/index.html")
        .is_file());
}

#[test]
fn new_quotes_the_id_it_writes() {
    let (_tmp, site) = fresh_site();
    let out = run_in(
        &site,
        &[
            "new", "model", "Mã số", "--field", "kinh-te", "--kind", "tap-the",
        ],
    );
    assert!(out.ok, "{}", out.stderr);
    let text = fs::read_to_string(site.join("content/mo-hinh/ma-so.md")).unwrap();
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .expect("an id line");
    // `id: 352e7` would read as the number 3520000000.
    assert!(
        id.len() == 7 && id.starts_with('"') && id.ends_with('"'),
        "{id}"
    );
}

#[test]
fn new_on_a_terminal_asks_for_each_required_value() {
    let (_tmp, site) = fresh_site();
    // A wrong number, a typo, an empty line, then the number; a label.
    let Some(out) = on_terminal(
        &site,
        "new model 'Tủ sách dùng chung'",
        "9\nvan-hoa-xa-hio\n\n2\nCá nhân\n",
    ) else {
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    for want in [
        "1. kinh-te — Phát triển kinh tế",
        "2. van-hoa-xa-hoi — Văn hóa – xã hội",
        "`9` không có trong danh sách",
        "Có phải ý bạn là `van-hoa-xa-hoi`?",
        "Chưa chọn gì",
        "→ lĩnh vực: van-hoa-xa-hoi",
        "3. ho-gia-dinh — Hộ gia đình",
        "→ loại: ca-nhan (Cá nhân)",
    ] {
        assert!(shown.contains(want), "`{want}` in:\n{shown}");
    }
    let text = fs::read_to_string(site.join("content/mo-hinh/tu-sach-dung-chung.md")).unwrap();
    assert!(text.contains("\nfield: van-hoa-xa-hoi\n") && text.contains("\nkind: ca-nhan\n"));

    let Some(ceremony) = on_terminal(&site, "new ceremony 'Hội nghị'", "hôm qua\n15/10/2019\n")
    else {
        return;
    };
    assert!(ceremony.status.success());
    let text = fs::read_to_string(site.join("content/tuyen-duong/hoi-nghi.md")).unwrap();
    assert!(text.contains("\ndate: 2019-10-15\n"), "{text}");

    let build = run_in(&site, &["build"]);
    assert!(build.ok, "what `new` writes must build:\n{}", build.stderr);
}

#[test]
fn new_on_a_terminal_stops_at_end_of_input_writing_nothing() {
    let (_tmp, site) = fresh_site();
    let before = common::snapshot(&site);
    let Some(out) = on_terminal(&site, "--lang en new model 'Tủ sách'", "1\n") else {
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("nothing was written"), "{shown}");
    assert_eq!(common::snapshot(&site), before);
}

#[test]
fn an_empty_required_value_is_required_not_unknown() {
    let (_tmp, site) = fresh_site();
    let model = site.join("content/mo-hinh/nam-gao-tinh-thuong.md");
    replace_line(&model, "field", "field: \"\"");
    replace_line(&model, "kind", "kind:");
    let ceremony = site.join("content/tuyen-duong/xa-vi-du-tuyen-duong-2023.md");
    replace_line(&ceremony, "date", "date:");
    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert!(
        !out.stderr.contains("DH009") && !out.stderr.contains("không có trong danh mục"),
        "an empty value is not an unknown one:\n{}",
        out.stderr
    );
    for want in [
        "nam-gao-tinh-thuong.md:5:8",
        "lĩnh vực (`field`): bắt buộc, đang để trống",
        "loại (`kind`): bắt buộc, đang để trống",
        "kinh-te (Phát triển kinh tế), van-hoa-xa-hoi",
        "tap-the (Tập thể)",
        "ngày (`date`): bắt buộc, đang để trống",
        "3 lỗi",
    ] {
        assert!(out.stderr.contains(want), "`{want}` in:\n{}", out.stderr);
    }
    let en = run_in(&site, &["--lang", "en", "build"]);
    assert!(
        en.stderr.contains("field (lĩnh vực): required, empty"),
        "{}",
        en.stderr
    );
}

/// The model honoured by a ceremony of the sample, and listed in its urls.lock.
const HONOURED: &str = "content/mo-hinh/q1-tu-banh-mi-nghia-tinh.md";

fn assert_only(site: &Path, code: &str, file: &str) {
    let json = check_json(site);
    let errors = codes(&json, "error");
    assert_eq!(errors.len(), 1, "one mistake, one error; got {errors:#?}");
    assert!(
        errors[0].starts_with(&format!("\"{code}\" \"{file}\"")),
        "{errors:?}"
    );
    assert_eq!(json["errors"], 1);

    let build = run_in(site, &["build"]);
    assert!(!build.ok);
    assert!(
        build.stderr.contains("1 lỗi (errors)"),
        "one error expected:\n{}",
        build.stderr
    );
    for unwanted in ["DH015", "DH031", "xóa dòng"] {
        assert!(
            !build.stderr.contains(unwanted),
            "`{unwanted}` in:\n{}",
            build.stderr
        );
    }
}

#[test]
fn one_typo_in_an_honoured_model_is_one_error() {
    let (_tmp, site) = sample_copy();
    assert_eq!(
        codes(&check_json(&site), "error"),
        Vec::<String>::new(),
        "the sample copy must check clean first"
    );
    let lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    assert!(lock.contains("/mo-hinh/q1-tu-banh-mi-nghia-tinh/") && lock.contains("/m/aw3eb\n"));
    let honoured = fs::read_to_string(site.join("content/tuyen-duong/quan-1-hop-mat-2019.md"))
        .unwrap()
        .contains("model: q1-tu-banh-mi-nghia-tinh");
    assert!(honoured, "the sample's ceremony honours the model");

    replace_line(&site.join(HONOURED), "field", "field: van-hoa-xa-hio");
    assert_only(&site, "DH009", HONOURED);
}

#[test]
fn a_document_whose_yaml_does_not_parse_still_owns_its_urls() {
    let (_tmp, site) = sample_copy();
    // An unclosed quote: serde reads nothing of this front matter.
    replace_line(
        &site.join(HONOURED),
        "title",
        "title: \"Tủ bánh mì nghĩa tình",
    );
    assert_only(&site, "DH005", HONOURED);

    // A page, known by its file name.
    let about = site.join("content/gioi-thieu.md");
    common::add_front_matter(&about, ": [\n");
    replace_line(&site.join(HONOURED), "title", "title: \"Tủ bánh mì\"");
    assert!(fs::read_to_string(site.join("urls.lock"))
        .unwrap()
        .contains("/gioi-thieu/\n"));
    assert_only(&site, "DH005", "content/gioi-thieu.md");
}

#[test]
fn a_lost_url_while_a_document_is_unreadable_points_at_it_and_keeps_the_line() {
    let (_tmp, site) = sample_copy();
    // The model's alias list itself does not parse: its aliases are unknown,
    // so a lost address may be one of them.
    let text = fs::read_to_string(site.join(HONOURED)).unwrap();
    assert!(text.contains("\naliases: []\n") || !text.contains("\naliases:"));
    let text = text.replacen("\nfield:", "\naliases: [/banh-mi-cu/, \"/x\nfield:", 1);
    fs::write(site.join(HONOURED), text).unwrap();
    let mut lock = fs::read_to_string(site.join("urls.lock")).unwrap();
    lock.push_str("/banh-mi-cu/\n");
    fs::write(site.join("urls.lock"), lock).unwrap();

    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("/banh-mi-cu/ đã được công bố")
            && out
                .stderr
                .contains("có lẽ vì lỗi ở content/mo-hinh/q1-tu-banh-mi-nghia-tinh.md:")
            && out.stderr.contains("đừng xóa dòng này"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("hãy xóa dòng này"), "{}", out.stderr);
    assert!(out.stderr.contains("2 lỗi"), "{}", out.stderr);
    let en = run_in(&site, &["--lang", "en", "build"]);
    assert!(
        en.stderr
            .contains("probably because of the error at content/mo-hinh/")
            && en.stderr.contains("do not delete this line"),
        "{}",
        en.stderr
    );
}

/// `n` models without `id:` beside the fresh site's own documents.
fn site_without_ids(n: usize) -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = fresh_site();
    for i in 0..n {
        fs::write(
            site.join(format!("content/mo-hinh/khong-ma-{i:02}.md")),
            format!("---\ntitle: \"Mô hình {i}\"\nfield: kinh-te\nkind: tap-the\n---\nBài {i}.\n"),
        )
        .unwrap();
    }
    (tmp, site)
}

#[test]
fn the_same_warning_many_times_is_shown_five_times_then_counted() {
    let (_tmp, site) = site_without_ids(12);
    let build = run_in(&site, &["build"]);
    assert!(build.ok, "{}", build.stderr);
    assert_eq!(frames(&build.stderr, "DH021"), 5, "{}", build.stderr);
    let summary = "DH021 Thiếu mã cố định (id): 12 lần, chỉ in 5 lần đầu ở trên; thêm `--verbose` để in hết, hoặc chạy `dienhinh check --format json`";
    assert!(build.stderr.contains(summary), "{}", build.stderr);

    let en = run_in(&site, &["--lang", "en", "build"]);
    assert_eq!(frames(&en.stderr, "DH021"), 5);
    assert!(
        en.stderr.contains("DH021 No permanent id: 12 times, only the first 5 shown above; add `--verbose` to show them all, or run `dienhinh check --format json`"),
        "{}",
        en.stderr
    );

    let verbose = run_in(&site, &["build", "--verbose"]);
    assert_eq!(frames(&verbose.stderr, "DH021"), 12, "{}", verbose.stderr);
    assert!(!verbose.stderr.contains("chỉ in 5 lần đầu"));

    let check = run_in(&site, &["check"]);
    assert_eq!(frames(&check.stderr, "DH021"), 5, "{}", check.stderr);
    let json = check_json(&site);
    let listed = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "DH021")
        .count();
    assert_eq!(listed, 12, "check --format json lists every one");

    // Five or fewer are all shown, with no count line.
    let (_tmp5, five) = site_without_ids(5);
    let build = run_in(&five, &["build"]);
    assert_eq!(frames(&build.stderr, "DH021"), 5);
    assert!(!build.stderr.contains("chỉ in"), "{}", build.stderr);
}

#[test]
fn a_reference_to_a_document_whose_id_is_unreadable_points_at_its_error() {
    let (_tmp, site) = sample_copy();
    // The ceremony names the model by its id, and the model's id line breaks.
    let ceremony = site.join("content/tuyen-duong/quan-1-hop-mat-2019.md");
    let text = fs::read_to_string(&ceremony).unwrap();
    fs::write(
        &ceremony,
        text.replace("model: q1-tu-banh-mi-nghia-tinh}", "model: aw3eb}"),
    )
    .unwrap();
    assert_eq!(codes(&check_json(&site), "error"), Vec::<String>::new());
    replace_line(&site.join(HONOURED), "id", "id: [aw3eb");

    let out = run_in(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    let pointer = "probably because of the error at content/mo-hinh/q1-tu-banh-mi-nghia-tinh.md:";
    for want in [
        "no model `aw3eb` exists, probably because of the error at content/mo-hinh/",
        "/m/aw3eb was published but no document answers there any more, probably because",
        "do not delete this line",
        "3 errors",
    ] {
        assert!(out.stderr.contains(want), "`{want}` in:\n{}", out.stderr);
    }
    assert_eq!(out.stderr.matches(pointer).count(), 2, "{}", out.stderr);
    // Its page address is known from the file name: not reported.
    assert!(!out
        .stderr
        .contains("/mo-hinh/q1-tu-banh-mi-nghia-tinh/ was published"));
    let advice = out.stderr.replace("do not delete this line", "");
    assert!(!advice.contains("delete this line"), "{}", out.stderr);
}

/// An editor who adds `language: en` at the end of site.yaml, where `init`
/// already wrote `language: vi`, is shown the line they added and told to
/// keep one of the two, as in front matter; not the file's first key with
/// advice about indentation.
#[test]
fn a_setting_written_twice_in_site_yaml_points_at_the_second() {
    let (_tmp, site) = fresh_site();
    let settings = site.join("site.yaml");
    let yaml = fs::read_to_string(&settings).unwrap();
    let line = yaml.lines().count() + 1;
    fs::write(&settings, format!("{yaml}language: en\n")).unwrap();
    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains(&format!("site.yaml:{line}:1")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`language`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("giữ lại một trong hai dòng"),
        "{}",
        out.stderr
    );
    assert!(!site.join("public").exists());
}
