//! Every class of bad input fails the build with a precise message (code,
//! file:line:col, explanation, suggestion) and leaves the last good site in
//! place. Each class is a folder under `tests/fixtures/bad/` holding the
//! files to lay over the good fixture site, and an `EXPECT` file.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_dir, run, snapshot, FIXTURE_SITE};

/// `message`/`help` are English (checked with `--lang en`), `message_vi`/
/// `help_vi` Vietnamese (checked with the fixture site's default language).
struct Expect {
    code: String,
    at: String,
    message: String,
    help: String,
    message_vi: String,
    help_vi: String,
}

fn read_expect(dir: &Path) -> Expect {
    let text = fs::read_to_string(dir.join("EXPECT")).unwrap();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("{}: EXPECT lacks `{key}`", dir.display()))
            .to_string()
    };
    Expect {
        code: get("code"),
        at: get("at"),
        message: get("message"),
        help: get("help"),
        message_vi: get("message_vi"),
        help_vi: get("help_vi"),
    }
}

#[test]
fn every_bad_input_class_fails_precisely_and_keeps_the_last_good_site() {
    let bad_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut classes: Vec<_> = fs::read_dir(&bad_root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    classes.sort();
    assert!(
        classes.len() >= 15,
        "expected a fixture per bad-input class"
    );
    for class in classes {
        let name = class.file_name().unwrap().to_string_lossy().into_owned();
        let expect = read_expect(&class);
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_dir(Path::new(FIXTURE_SITE), &site);

        let good = run(&site, &["build"]);
        assert!(
            good.ok,
            "{name}: the good site must build first:\n{}",
            good.stderr
        );
        let before = snapshot(&site.join("public"));

        copy_dir(&class.join("content"), &site.join("content"));
        let bad = run(&site, &["--lang", "en", "build"]);
        let err = &bad.stderr;
        assert!(!bad.ok, "{name}: build should fail");
        assert!(
            err.contains(&format!("[{}]", expect.code)) || err.contains(&expect.code),
            "{name}: code {} missing in:\n{err}",
            expect.code
        );
        assert!(
            err.contains(&expect.at),
            "{name}: position `{}` missing in:\n{err}",
            expect.at
        );
        assert!(
            err.contains(&expect.message),
            "{name}: message `{}` missing in:\n{err}",
            expect.message
        );
        assert!(
            err.contains(&expect.help),
            "{name}: help `{}` missing in:\n{err}",
            expect.help
        );
        assert!(err.contains(" error"), "{name}: summary line missing");
        assert_eq!(
            snapshot(&site.join("public")),
            before,
            "{name}: public/ changed after a failed build"
        );
        let leftovers: Vec<_> = fs::read_dir(&site)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("staging"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{name}: staging directory left behind"
        );
        // `check` reports the same and writes nothing; without `--lang` it
        // speaks the site's language, Vietnamese, and no English is left.
        let check = run(&site, &["check"]);
        let vi = &check.stderr;
        assert!(
            !check.ok && vi.contains(&expect.at),
            "{name}: check disagrees:\n{vi}"
        );
        for (what, want, english) in [
            ("message_vi", &expect.message_vi, &expect.message),
            ("help_vi", &expect.help_vi, &expect.help),
        ] {
            assert!(
                vi.contains(want.as_str()),
                "{name}: {what} `{want}` missing in:\n{vi}"
            );
            assert!(
                !vi.contains(english.as_str()),
                "{name}: English `{english}` shown in a Vietnamese report:\n{vi}"
            );
        }
        assert!(vi.contains("lỗi (errors)"), "{name}: summary line missing");
        every_text_is_translated(&name, &site);
    }
}

/// Every message, label and help of a run differs between the two
/// languages: nothing of ours was left in English only. Compared through
/// `check --format json`, which also says which language it speaks.
fn every_text_is_translated(name: &str, site: &Path) {
    let json = |lang: &str| -> serde_json::Value {
        let out = run(site, &["--lang", lang, "check", "--format", "json"]);
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: check --format json: {e}\n{}", out.stdout))
    };
    let (vi, en) = (json("vi"), json("en"));
    let (vi, en) = (
        vi["diagnostics"].as_array().unwrap(),
        en["diagnostics"].as_array().unwrap(),
    );
    assert!(!vi.is_empty(), "{name}: no diagnostics in JSON");
    assert_eq!(vi.len(), en.len(), "{name}");
    for (v, e) in vi.iter().zip(en) {
        assert_eq!((&v["lang"], &e["lang"]), (&"vi".into(), &"en".into()));
        assert_eq!(v["code"], e["code"], "{name}");
        for key in ["title", "message", "label", "help"] {
            if v[key].is_null() && e[key].is_null() {
                continue;
            }
            assert_ne!(
                v[key], e[key],
                "{name}: `{key}` of {} is the same in both languages",
                v["code"]
            );
        }
    }
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    // Three broken files at once, plus two bad values inside one file.
    fs::copy(
        bad.join("bad-date/content/tuyen-duong/loi.md"),
        site.join("content/tuyen-duong/a.md"),
    )
    .unwrap();
    fs::copy(
        bad.join("unknown-key/content/mo-hinh/loi.md"),
        site.join("content/mo-hinh/b.md"),
    )
    .unwrap();
    fs::copy(
        bad.join("invalid-utf8/content/mo-hinh/loi.md"),
        site.join("content/mo-hinh/c.md"),
    )
    .unwrap();
    fs::write(
        site.join("content/mo-hinh/d.md"),
        "---\nid: ddddd\ntitle: D\nfield: kinh-tee\nkind: tap-thee\n---\n",
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(!out.ok);
    for at in [
        "content/tuyen-duong/a.md:3:7",
        "content/mo-hinh/b.md:5:1",
        "content/mo-hinh/c.md:2:",
        "content/mo-hinh/d.md:4:8",
        "content/mo-hinh/d.md:5:7",
    ] {
        assert!(out.stderr.contains(at), "missing {at} in:\n{}", out.stderr);
    }
    assert!(out.stderr.contains("5 lỗi (errors)"), "{}", out.stderr);
    assert!(
        !site.join("public").exists(),
        "nothing is written when the first build fails"
    );
}

#[test]
fn broken_site_yaml_is_reported_with_position() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    fs::write(site.join("site.yaml"), "title: X\npaginte: 3\n").unwrap();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("site.yaml:2:1"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `paginate`?"),
        "{}",
        out.stderr
    );
    // A site.yaml that does not load cannot name its language: Vietnamese.
    let vi = run(&site, &["build"]).stderr;
    assert!(vi.contains("có phải ý bạn là `paginate`?"), "{vi}");
    assert!(vi.contains("không có khóa `paginte`"), "{vi}");
}

/// A value `feeds:` or `embeds:` does not take is an error in site.yaml
/// (DH018) at its line and column, naming the closest value and all of
/// them, and nothing is built.
#[test]
fn unknown_feeds_or_embeds_value_is_reported_with_position_and_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    fs::write(
        site.join("site.yaml"),
        "title: X\nfeeds:\n  places: province\n",
    )
    .unwrap();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    for part in [
        "DH018",
        "site.yaml:3:11",
        "unknown variant `province`",
        "did you mean `provinces`? The values allowed: `all`, `provinces`, `none`",
    ] {
        assert!(out.stderr.contains(part), "lacks {part}:\n{}", out.stderr);
    }
    assert!(!site.join("public").exists());
    let vi = run(&site, &["build"]).stderr;
    assert!(
        vi.contains("feeds.places: `province` không phải giá trị được phép"),
        "{vi}"
    );
    assert!(vi.contains("có phải ý bạn là `provinces`?"), "{vi}");
    // A word far from every value: the values alone.
    fs::write(
        site.join("site.yaml"),
        "title: X\nembeds: {terms: communes}\n",
    )
    .unwrap();
    let out = run(&site, &["--lang", "en", "check"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("site.yaml:2:17"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the values allowed: `all`, `fields`, `none`"),
        "{}",
        out.stderr
    );
}

/// Inputs meant to crash, hang or exhaust a parser: each gets its own clear
/// error, the process exits normally, and the previous site survives.
#[test]
fn hostile_files_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    assert!(run(&site, &["build"]).ok);
    let before = snapshot(&site.join("public"));
    let dir = site.join("content/mo-hinh");
    let head = "---\ntitle: x\nfield: kinh-te\nkind: tap-the\n";
    let laughs: Vec<String> = std::iter::once("&a \"lol\"".to_string())
        .chain((1..10u8).map(|i| {
            let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
            format!("&{cur} [{}]", vec![format!("*{prev}"); 9].join(","))
        }))
        .collect();
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "deep-flow.md",
            format!(
                "{head}tags: {}{}\n---\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            )
            .into_bytes(),
            "deep-flow.md:5:1 — the front matter is nested more than 32 levels",
        ),
        (
            "deep-block.md",
            format!(
                "{head}owner:\n{}---\n",
                (1..1000)
                    .map(|i| format!("{}a:\n", "  ".repeat(i)))
                    .collect::<String>()
            )
            .into_bytes(),
            "deep-block.md:37:1 — the front matter is nested",
        ),
        (
            "laughs.md",
            format!("{head}place: [{}]\n---\n", laughs.join(", ")).into_bytes(),
            "laughs.md:5:",
        ),
        (
            "huge.md",
            [head.as_bytes(), b"---\n", &vec![b'a'; 9 * 1024 * 1024]].concat(),
            "huge.md — file is 9.0 MiB, more than the 8 MiB allowed",
        ),
        (
            "nul.md",
            b"---\ntitle: \"a\0b\"\nfield: kinh-te\nkind: tap-the\n---\n".to_vec(),
            "nul.md:2:10 — the file contains a NUL byte",
        ),
        (
            "dup-key.md",
            format!("{head}title: y\n---\n").into_bytes(),
            "dup-key.md:5:1 — key `title` is written twice",
        ),
        (
            "empty.md",
            Vec::new(),
            "empty.md:1:1 — the file does not start with front matter",
        ),
        (
            "only-dashes.md",
            b"---\n---\n".to_vec(),
            "missing field `title`",
        ),
    ];
    for (name, bytes, _) in &files {
        fs::write(dir.join(name), bytes).unwrap();
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", dir.join("link.md")).unwrap();
        std::os::unix::fs::symlink(&site, dir.join("loop")).unwrap();
    }
    let started = std::time::Instant::now();
    let out = run(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(
        started.elapsed().as_secs() < 30,
        "hostile input must not hang the build"
    );
    for (name, _, expected) in &files {
        // `position — message`; a translated title may stand between them.
        let (position, message) = expected.split_once(" — ").unwrap_or(("", expected));
        let found = out
            .stderr
            .lines()
            .any(|l| l.contains(position) && l.contains(message));
        assert!(found, "{name}: expected `{expected}` in:\n{}", out.stderr);
    }
    #[cfg(unix)]
    assert!(
        out.stderr
            .lines()
            .any(|l| l.contains("link.md — ") && l.contains("symbolic links are not followed")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked") && !out.stderr.contains("overflow"));
    assert_eq!(snapshot(&site.join("public")), before);
}
