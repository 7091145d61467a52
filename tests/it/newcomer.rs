//! The editor's path as a newcomer walks it: the README's commands run
//! literally, in the site's folder, without `-C`, standard input not a
//! terminal; and the small things a first run meets.

use crate::common;

use std::fs;
use std::path::Path;

use common::{init_site, run_in};

/// A new site has no address yet: `build` warns at the line of site.yaml,
/// `check --strict` fails on it alone, and `init --base-url` sets it.
#[test]
fn a_placeholder_base_url_is_told_not_published_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "trang", &[]);
    let build = run_in(&site, &["--lang", "en", "build"]);
    assert!(build.ok, "{}", build.stderr);
    assert!(build.stderr.contains("DH033"), "{}", build.stderr);
    let line = fs::read_to_string(site.join("site.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("base_url:"))
        .unwrap()
        + 1;
    assert!(
        build.stderr.contains(&format!("site.yaml:{line}:11")),
        "{}",
        build.stderr
    );
    let strict = run_in(&site, &["check", "--strict", "--format", "json"]);
    assert!(!strict.ok);
    let json: serde_json::Value = serde_json::from_str(&strict.stdout).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["DH033"],
        "a fresh site fails --strict on its address only"
    );

    let real = init_site(
        tmp.path(),
        "that",
        &["--base-url", "https://danvan.tinh.gov.vn/"],
    );
    let strict = run_in(&real, &["check", "--strict"]);
    assert!(strict.ok, "{}", strict.stderr);
    let build = run_in(&real, &["build"]);
    assert!(
        build.ok && !build.stderr.contains("DH033"),
        "{}",
        build.stderr
    );
    let home = fs::read_to_string(real.join("public/index.html")).unwrap();
    assert!(home.contains("https://danvan.tinh.gov.vn/"));
    assert!(!home.contains("localhost"));
    // An address given to build is meant: no warning.
    let given = run_in(&site, &["build", "--base-url", "https://a.gov.vn/"]);
    assert!(
        given.ok && !given.stderr.contains("DH033"),
        "{}",
        given.stderr
    );
}

/// `init` says what to do next, and that next step builds.
#[test]
fn the_next_step_init_prints_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["init", "trang"]);
    assert!(out.ok, "{}", out.stderr);
    let step = out
        .stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("dienhinh new model"))
        .expect("a next step");
    assert!(out.stderr.contains("base_url"), "{}", out.stderr);
    let site = tmp.path().join("trang");
    let args = shell_words(step.strip_prefix("dienhinh ").unwrap());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let made = run_in(&site, &args);
    assert!(made.ok, "{}", made.stderr);
    let build = run_in(&site, &["build"]);
    assert!(build.ok, "{}", build.stderr);
    assert!(site.join("public/mo-hinh/ten-mo-hinh/index.html").is_file());
}

/// Splits a command line with double quotes, as a shell would here.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `-C DIR` works for `init` as for every command.
#[test]
fn init_takes_dash_c() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["init", "-C", "moi"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(tmp.path().join("moi/site.yaml").is_file());
    let out = run_in(tmp.path(), &["-C", "moi", "build"]);
    assert!(out.ok, "{}", out.stderr);
}

/// Every option of every command says what it does.
#[test]
fn every_option_has_help() {
    for cmd in ["init", "new", "build", "check", "serve", "search"] {
        let out = run_in(Path::new("."), &[cmd, "--help"]);
        assert!(out.ok);
        let lines: Vec<&str> = out.stdout.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with('-') || line.starts_with("-h, --help") {
                continue;
            }
            // The flag and its value name, then its help: on the same line
            // (short form) or on the lines below (long form).
            let words = line
                .split_whitespace()
                .filter(|w| !w.starts_with('-') && !w.starts_with('<') && !w.starts_with('['))
                .count();
            let below = lines
                .get(i + 1)
                .is_some_and(|next| !next.is_empty() && !next.starts_with('-'));
            assert!(words > 0 || below, "`{cmd} {line}` has no help text");
        }
    }
}

/// `search` before any build searches the site as it is (it makes its own
/// index), and says what is wrong with a site that does not load rather
/// than "no results".
#[test]
fn search_before_build_finds_the_site_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "trang", &[]);
    let out = run_in(&site, &["search", "gạo"]);
    assert!(
        out.ok && out.stdout.contains("Nắm gạo"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    // A file that breaks the site: the index as it was, and a warning.
    let broken = site.join("content/mo-hinh/hong.md");
    std::fs::write(&broken, "---\ntitle: [\n---\nThân.\n").unwrap();
    let out = run_in(&site, &["--lang", "en", "search", "gạo"]);
    assert!(
        out.ok && out.stdout.contains("Nắm gạo"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stderr.contains("The site has errors now"),
        "{}",
        out.stderr
    );
    let empty = tmp.path().join("trong");
    std::fs::create_dir(&empty).unwrap();
    let out = run_in(&empty, &["--lang", "en", "search", "gạo"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("site.yaml"), "{}", out.stderr);
    assert!(!out.stdout.contains("Không có kết quả"), "{}", out.stdout);
}

/// English counts agree with their numbers.
#[test]
fn english_counts_are_grammatical() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "trang", &["--base-url", "https://a.gov.vn/"]);
    let out = run_in(&site, &["--lang", "en", "check"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr.contains("Checked 1 model, 1 ceremony,"),
        "{}",
        out.stderr
    );
}

/// The code cites documents of this repository only, and each one it cites
/// exists: a newcomer reading a comment can open what it points at.
#[test]
fn comments_cite_documents_that_exist_here() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cited = 0;
    for dir in ["src", "tests", "themes"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            let path = entry.path();
            let is_code = path.extension().is_some_and(|x| {
                ["rs", "js", "mjs", "yaml", "html", "css"].contains(&x.to_str().unwrap_or(""))
            });
            if !is_code || path.components().any(|c| c.as_os_str() == "node_modules") {
                continue;
            }
            let text = fs::read_to_string(path).unwrap_or_default();
            assert!(
                !text.contains(&["DESIGN", " §"].concat()),
                "{} cites a design document outside the repository",
                path.display()
            );
            for (i, _) in text.match_indices("docs/") {
                let name: String = text[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
                    .collect();
                if let Some(doc) = name
                    .strip_suffix('.')
                    .or(Some(&name))
                    .filter(|n| n.ends_with(".md"))
                {
                    cited += 1;
                    assert!(root.join(doc).is_file(), "{} cites {doc}", path.display());
                }
            }
        }
    }
    assert!(cited > 0, "the code cites its docs");
}

/// The README's path, walked literally as a newcomer does in a fresh
/// folder: `init`, `cd`, the `new model` that `init` suggests (with its
/// flags) and one answered on a terminal, `build`, `check`, `serve` started
/// in the folder with no `-C`, an edit saved by rename seen in the served
/// page within 3 s, and a typo reported as exactly one error.
#[test]
fn the_readme_path_works_first_time() {
    use common::serve::{request, start_in};
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let init = run_in(tmp.path(), &["init", "trang"]);
    assert!(init.ok, "{}", init.stderr);
    let site = tmp.path().join("trang");
    let made = run_in(
        &site,
        &[
            "new",
            "model",
            "Hũ gạo tình thương",
            "--field",
            "kinh-te",
            "--kind",
            "tap-the",
        ],
    );
    assert!(made.ok, "{}", made.stderr);
    let model = site.join(made.stdout.trim());
    assert!(model.is_file(), "{}", made.stdout);
    if let Some(asked) = common::on_terminal(&site, "new model 'Tủ sách dùng chung'", "1\n1\n")
    {
        assert!(
            asked.status.success(),
            "{}",
            String::from_utf8_lossy(&asked.stdout)
        );
        assert!(site.join("content/mo-hinh/tu-sach-dung-chung.md").is_file());
    }
    let build = run_in(&site, &["build"]);
    assert!(build.ok, "{}", build.stderr);
    assert!(site
        .join("public/mo-hinh/hu-gao-tinh-thuong/index.html")
        .is_file());
    let check = run_in(&site, &["check"]);
    assert!(check.ok, "{}", check.stderr);

    let server = start_in(&site, &["serve", "--port", "0"]);
    // serve uses its own address: no warning about the placeholder.
    assert!(
        !server.early.iter().any(|l| l.contains("DH033")),
        "{:?}",
        server.early
    );
    let page = "/mo-hinh/hu-gao-tinh-thuong/";
    assert!(request(&server.addr, "GET", page)
        .1
        .contains("Hũ gạo tình thương"));
    // Saved as sed -i and most editors save: a new file renamed over.
    let text = fs::read_to_string(&model).unwrap();
    let edited = text.replacen(
        "title: \"Hũ gạo tình thương\"",
        "title: \"Hũ gạo đã sửa\"",
        1,
    );
    assert_ne!(edited, text, "{text}");
    let tmp_file = model.with_extension("md.tmp");
    fs::write(&tmp_file, &edited).unwrap();
    fs::rename(&tmp_file, &model).unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut seen = false;
    while Instant::now() < deadline && !seen {
        seen = request(&server.addr, "GET", page)
            .1
            .contains("Hũ gạo đã sửa");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(seen, "the edit was not served within 3 s");
    drop(server);

    // One typo, one error.
    fs::write(
        &model,
        edited.replacen("field: kinh-te", "field: van-hoa-xa-hio", 1),
    )
    .unwrap();
    let check = run_in(&site, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(json["errors"], 1, "{}", check.stdout);
    let build = run_in(&site, &["build"]);
    assert!(!build.ok);
    assert_eq!(build.stderr.matches('×').count(), 1, "{}", build.stderr);
}

/// The README shows what the program prints for a typo, byte for byte.
#[test]
fn the_readme_shows_the_error_the_program_prints() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let shown = readme
        .split_once("<!-- sample-error -->\n```\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .map(|(block, _)| block)
        .expect("the README's sample error");
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(
        tmp.path(),
        "site",
        &["--base-url", "https://danvan.tinh.gov.vn/"],
    );
    fs::write(
        site.join("content/mo-hinh/tu-sach.md"),
        "---\nid: \"loi01\"\ntitle: \"Tủ sách dùng chung\"\nfield: van-hoa-xa-hio\nkind: tap-the\n---\nMỗi khu phố một tủ sách.\n",
    )
    .unwrap();
    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert_eq!(out.stderr, shown, "update the README's sample error");
}

/// `init` on a terminal asks for the site's address and its agency: Enter
/// keeps the placeholder and says so; what is typed is written to
/// site.yaml, and the agency's name is on every page.
#[test]
fn init_on_a_terminal_asks_for_the_address_and_the_agency() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(kept) = common::on_terminal(tmp.path(), "init trang", "\n\n") else {
        return;
    };
    let shown = String::from_utf8_lossy(&kept.stdout);
    assert!(kept.status.success(), "{shown}");
    assert!(shown.contains("Địa chỉ trang khi đưa lên mạng"), "{shown}");
    assert!(shown.contains("vẫn là http://localhost:1111/"), "{shown}");
    let yaml = fs::read_to_string(tmp.path().join("trang/site.yaml")).unwrap();
    assert!(yaml.contains("base_url: \"http://localhost:1111/\""));

    // A wrong answer is asked again; a real one is kept.
    let Some(set) = common::on_terminal(
        tmp.path(),
        "init that",
        "danvan.tinh.gov.vn\nhttps://danvan.tinh.gov.vn\nBan Dân vận Huyện ủy \"Tam Nông\"\n",
    ) else {
        return;
    };
    let shown = String::from_utf8_lossy(&set.stdout);
    assert!(set.status.success(), "{shown}");
    assert!(
        shown.contains("không phải một địa chỉ http(s) đầy đủ"),
        "{shown}"
    );
    assert!(!shown.contains("vẫn là http://localhost"), "{shown}");
    let yaml = fs::read_to_string(tmp.path().join("that/site.yaml")).unwrap();
    assert!(
        yaml.contains("base_url: \"https://danvan.tinh.gov.vn/\""),
        "{yaml}"
    );
    assert!(shown.contains("Tên cơ quan chủ quản"), "{shown}");
    assert!(
        yaml.contains("organization:\n  name: \"Ban Dân vận Huyện ủy \\\"Tam Nông\\\"\""),
        "{yaml}"
    );
    let check = run_in(&tmp.path().join("that"), &["check", "--strict"]);
    assert!(check.ok, "{}", check.stderr);
    let build = run_in(&tmp.path().join("that"), &["build"]);
    assert!(build.ok, "{}", build.stderr);
    let home = fs::read_to_string(tmp.path().join("that/public/index.html")).unwrap();
    assert!(
        home.contains("Ban Dân vận Huyện ủy &quot;Tam Nông&quot;")
            || home.contains("Ban Dân vận Huyện ủy \"Tam Nông\""),
        "agency not on the home page"
    );
    let kept = fs::read_to_string(tmp.path().join("trang/site.yaml")).unwrap();
    assert!(kept.contains("# organization:"), "{kept}");
}
