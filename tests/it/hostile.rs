//! The hostile corpus (`tests/fixtures/hostile/`): malicious and broken
//! inputs, each laid over the good fixture site and built by the real binary
//! under a memory limit and a time limit. Every input must end in a clear
//! error naming the file, or in a site with no live script; never in a
//! panic, a hang, a write outside `public/` or an exhausted memory.
//!
//! Small inputs are committed as they are (`<case>/overlay/` plus `EXPECT`);
//! the huge, deep and symlinked ones are made here at test time and listed
//! in `tests/fixtures/hostile/GENERATED`, which this test keeps honest.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{copy_dir, FIXTURE_SITE};

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
/// No input may take longer than this (debug build, loaded machine).
const TIME_LIMIT: Duration = Duration::from_secs(90);
/// Address-space limit for the build process (bytes).
const MEMORY_LIMIT: &str = "2000000000";
/// The site sits this deep in the temporary folder, so a path that climbs
/// out of `public/` still lands inside the folder compared before and after.
const DEPTH: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h"];

#[derive(Clone, Debug, Default)]
struct Expect {
    /// `safe` (the site builds, with no live script) or `error`.
    outcome: String,
    /// For errors: the file the message must name.
    file: Option<String>,
    /// For safe builds: a page that must exist (the input reached it).
    page: Option<String>,
    /// For safe builds: text the page must hold (the payload, escaped).
    contains: Option<String>,
    /// For safe builds: a file that must not be in `public/`.
    no_file: Option<String>,
}

fn read_expect(dir: &Path) -> Expect {
    let text = fs::read_to_string(dir.join("EXPECT")).unwrap();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .map(str::to_string)
    };
    let e = Expect {
        outcome: get("outcome").unwrap_or_default(),
        file: get("file"),
        page: get("page"),
        contains: get("contains"),
        no_file: get("no_file"),
    };
    assert!(
        e.outcome == "safe" && e.page.is_some() || e.outcome == "error" && e.file.is_some(),
        "{}: EXPECT needs `outcome: safe` with `page:` or `outcome: error` with `file:`",
        dir.display()
    );
    e
}

fn safe(page: &str) -> Expect {
    Expect {
        outcome: "safe".into(),
        page: Some(page.into()),
        ..Expect::default()
    }
}

fn error(file: &str) -> Expect {
    Expect {
        outcome: "error".into(),
        file: Some(file.into()),
        ..Expect::default()
    }
}

type Generator = fn(&Path);

struct Case {
    name: String,
    overlay: Option<PathBuf>,
    generate: Option<Generator>,
    expect: Expect,
}

const HEAD: &str = "---\ntitle: \"Mô hình thử\"\nfield: kinh-te\nkind: tap-the\n";

fn write(site: &Path, rel: &str, bytes: &[u8]) {
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Inputs too big, too deep or too system-dependent to commit.
fn generated() -> Vec<(&'static str, Generator, Expect)> {
    let mut no_leak = safe("index.html");
    no_leak.no_file = Some("leak.txt".into());
    let mut no_outside_doc = safe("index.html");
    no_outside_doc.no_file = Some("mo-hinh/ngoai/tai-lieu/index.html".into());
    vec![
        (
            "gen-huge-50mb",
            |s| {
                let mut bytes = format!("{HEAD}---\n").into_bytes();
                bytes.resize(50 * 1024 * 1024, b'a');
                write(s, "content/mo-hinh/hx.md", &bytes);
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-body-near-limit",
            |s| {
                let para = "Đoạn văn <script>alert(1)</script> [x](javascript:alert(1)) dài.\n\n";
                let body = para.repeat(7 * 1024 * 1024 / para.len());
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}---\n{body}").as_bytes(),
                );
            },
            safe("mo-hinh/hx/index.html"),
        ),
        (
            "gen-deep-flow-sequences",
            |s| {
                let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}tags: {deep}\n---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-deep-flow-mappings",
            |s| {
                let deep = format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}owner: {deep}\n---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-deep-block",
            |s| {
                let deep: String = (1..=10_000)
                    .map(|i| format!("{}a:\n", " ".repeat(i)))
                    .collect();
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}owner:\n{deep}---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-deep-block-sequences",
            |s| {
                let deep: String = (1..=10_000)
                    .map(|i| format!("{}-\n", " ".repeat(i)))
                    .collect();
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}tags:\n{deep}---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-deep-site-yaml",
            |s| {
                let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
                write(
                    s,
                    "site.yaml",
                    format!("title: x\nmenu: {deep}\n").as_bytes(),
                );
            },
            error("site.yaml"),
        ),
        (
            "gen-huge-site-yaml",
            |s| {
                let mut text = String::from("title: x\ndescription: \"");
                text.push_str(&"<script>alert(1)</script>".repeat(2_000_000));
                text.push_str("\"\n");
                write(s, "site.yaml", text.as_bytes());
            },
            error("site.yaml"),
        ),
        (
            "gen-symlink-outside",
            |s| symlink("/etc/passwd", &s.join("content/mo-hinh/lien-ket.md")),
            error("content/mo-hinh/lien-ket.md"),
        ),
        (
            "gen-symlink-loop",
            |s| {
                symlink("vong.md", &s.join("content/mo-hinh/vong.md"));
                symlink("..", &s.join("content/mo-hinh/len"));
                symlink(
                    s.join("content"),
                    &s.join("content/tuyen-duong/vong-thu-muc"),
                );
            },
            error("content/mo-hinh/vong.md"),
        ),
        (
            "gen-symlink-dir-outside",
            |s| {
                let outside = s.parent().unwrap().join("ngoai");
                write(
                    &outside,
                    "tai-lieu.md",
                    format!("{HEAD}---\nBí mật.\n").as_bytes(),
                );
                symlink(&outside, &s.join("content/mo-hinh/ngoai"));
            },
            no_outside_doc,
        ),
        (
            "gen-symlink-image-outside",
            |s| {
                symlink("/etc/passwd", &s.join("content/mo-hinh/anh.jpg"));
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}images:\n  - {{src: anh.jpg, alt: x}}\n---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-symlink-image-dir-outside",
            |s| {
                symlink("/etc", &s.join("content/mo-hinh/he-thong"));
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}images:\n  - {{src: he-thong/passwd, alt: x}}\n---\n")
                        .as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-symlink-static-image-outside",
            |s| {
                fs::create_dir_all(s.join("static")).unwrap();
                symlink("/etc/passwd", &s.join("static/anh-chung.jpg"));
                write(
                    s,
                    "content/mo-hinh/hx.md",
                    format!("{HEAD}images:\n  - {{src: anh-chung.jpg, alt: x}}\n---\n").as_bytes(),
                );
            },
            error("content/mo-hinh/hx.md"),
        ),
        (
            "gen-symlink-static-outside",
            |s| {
                fs::create_dir_all(s.join("static")).unwrap();
                symlink("/etc/passwd", &s.join("static/leak.txt"));
                symlink("/etc", &s.join("static/etc"));
            },
            no_leak,
        ),
        (
            "gen-pixel-bomb",
            |s| {
                // The fixture's photo replaced by a PNG claiming 60000×60000
                // pixels (3.6 GB decoded, over the memory limit).
                write(
                    s,
                    "content/mo-hinh/tu.png",
                    &common::png_claiming(60_000, 60_000),
                );
            },
            error("content/mo-hinh/tu-banh-mi.md"),
        ),
        (
            "gen-fifo",
            |s| {
                let path = s.join("content/mo-hinh/ong.md");
                let status = Command::new("mkfifo").arg(&path).status().unwrap();
                assert!(status.success(), "mkfifo");
            },
            safe("index.html"),
        ),
    ]
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(HOSTILE)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            overlay: Some(dir.join("overlay")),
            generate: None,
            expect: read_expect(&dir),
        })
        .collect();
    cases.extend(
        generated()
            .into_iter()
            .map(|(name, generate, expect)| Case {
                name: name.to_string(),
                overlay: None,
                generate: Some(generate),
                expect,
            }),
    );
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

struct Outcome {
    /// Exit code; `None` when killed by a signal or by the time limit.
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    timed_out: bool,
}

/// Runs `dienhinh build` under the memory limit, killing it at the time limit.
fn build(site: &Path, logs: &Path) -> Outcome {
    let err_path = logs.join("stderr");
    let started = Instant::now();
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_dienhinh"))
        .arg("-C")
        .arg(site)
        .arg("build")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("run prlimit (util-linux)");
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        code: status.code(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
        elapsed: started.elapsed(),
        timed_out,
    }
}

/// Everything under `dir` (not following links) except what a build may
/// write: `public/`, the search index folder and `urls.lock` of the site.
fn snapshot_outside_public(dir: &Path, site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut map = BTreeMap::new();
    let allowed = [
        site.join("public"),
        site.join(".dienhinh"),
        site.join("urls.lock"),
        // The writer's own: the previous site and what it knows of the
        // files it wrote (src/output/sums.rs).
        site.join(".public~spare"),
        site.join(".public~sums"),
        site.join(".public~spare~sums"),
    ];
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.unwrap();
        let path = entry.path();
        if allowed.iter().any(|a| path.starts_with(a)) {
            continue;
        }
        let ft = entry.file_type();
        let bytes = if ft.is_file() && !path.ends_with("hx.md") {
            fs::read(path).unwrap()
        } else if ft.is_file() {
            // The 50 MB inputs: their size stands for their content.
            fs::metadata(path).unwrap().len().to_le_bytes().to_vec()
        } else if ft.is_symlink() {
            fs::read_link(path)
                .unwrap()
                .to_string_lossy()
                .as_bytes()
                .to_vec()
        } else {
            Vec::new()
        };
        map.insert(path.to_path_buf(), bytes);
    }
    map
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case) -> Result<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let mut site = tmp.path().to_path_buf();
    for d in DEPTH {
        site.push(d);
    }
    site.push("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    if let Some(overlay) = &case.overlay {
        copy_dir(overlay, &site);
    }
    if let Some(generate) = case.generate {
        generate(&site);
    }
    let before = snapshot_outside_public(tmp.path(), &site);
    let out = build(&site, logs.path());
    let after = snapshot_outside_public(tmp.path(), &site);
    let name = &case.name;
    let err = &out.stderr;
    if out.timed_out {
        return Err(format!("{name}: no result after {TIME_LIMIT:?} (hang)"));
    }
    if err.contains("panicked") || err.contains("memory allocation") || out.code.is_none() {
        return Err(format!("{name}: crashed (exit {:?}):\n{err}", out.code));
    }
    if before != after {
        let changed: Vec<_> = after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .chain(before.keys().filter(|k| !after.contains_key(*k)))
            .collect();
        return Err(format!("{name}: wrote outside public/: {changed:?}"));
    }
    let public = site.join("public");
    let e = &case.expect;
    match e.outcome.as_str() {
        "error" => {
            let file = e.file.as_deref().unwrap_or_default();
            if out.code != Some(1) {
                return Err(format!(
                    "{name}: expected an error, got exit {:?}:\n{err}",
                    out.code
                ));
            }
            if !err.lines().any(|l| l.contains(file)) {
                return Err(format!("{name}: the error does not name {file}:\n{err}"));
            }
            if public.exists() {
                return Err(format!("{name}: a failed first build wrote public/"));
            }
        }
        _ => {
            if out.code != Some(0) {
                return Err(format!(
                    "{name}: expected a safe build, got exit {:?}:\n{err}",
                    out.code
                ));
            }
            let page = e.page.as_deref().unwrap_or_default();
            let html = fs::read_to_string(public.join(page))
                .map_err(|x| format!("{name}: page {page}: {x}"))?;
            if let Some(text) = &e.contains {
                if !html.contains(text.as_str()) {
                    return Err(format!(
                        "{name}: {page} lacks `{text}` (the input did not reach it)"
                    ));
                }
            }
            if let Some(f) = &e.no_file {
                if public.join(f).exists() {
                    return Err(format!("{name}: public/{f} must not exist"));
                }
            }
            let problems = scan_site(&public);
            if !problems.is_empty() {
                return Err(format!(
                    "{name}: live script in the built site:\n{}",
                    problems.join("\n")
                ));
            }
        }
    }
    Ok(format!(
        "{name}: {} in {:.1} s",
        e.outcome,
        out.elapsed.as_secs_f64()
    ))
}

#[test]
fn every_hostile_input_ends_in_a_clear_error_or_a_safe_site() {
    let listed: Vec<String> = fs::read_to_string(Path::new(HOSTILE).join("GENERATED"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" — ").map(|(n, _)| n.trim().to_string()))
        .collect();
    let made: Vec<String> = generated().iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(
        listed, made,
        "GENERATED must list every generated input, in order"
    );
    let cases = cases();
    assert!(cases.len() >= 50, "the corpus holds {} inputs", cases.len());
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                let r = run_case(case);
                results.lock().unwrap().push(r);
            });
        }
    });
    let results = results.into_inner().unwrap();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    for r in results.iter().flatten() {
        eprintln!("ok  {r}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile inputs failed:\n{}",
        failures.len(),
        results.len(),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// Live script anywhere in the built pages, one line per finding.
fn scan_site(public: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let client = own_client(public);
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "svg") {
            continue;
        }
        let text = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
        let rel = path.strip_prefix(public).unwrap().display().to_string();
        problems.extend(
            live_script(&text, &client)
                .into_iter()
                .map(|p| format!("{rel}: {p}")),
        );
    }
    problems
}

/// The search client the build published (`_search/search.<hash>.js`), as
/// the search page carries it: the one inline script a page may hold.
fn own_client(public: &Path) -> String {
    let dir = public.join("_search");
    let file = fs::read_dir(&dir)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .find(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("search.") && n.ends_with(".js"))
        });
    file.and_then(|f| fs::read_to_string(f.path()).ok())
        .map(|js| dienhinh::search::inline_script(&js))
        .unwrap_or_default()
}

/// A small HTML tag scanner: finds `<script>` elements other than JSON data
/// blocks and the site's own search client (`client`: its text as the
/// search page carries it), any `on…` attribute, any URL attribute with a
/// `javascript:`, `vbscript:` or `data:` scheme (bar the theme's inline SVG
/// icon), and elements that load or redirect elsewhere.
fn live_script(html: &str, client: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(tag) = parse_tag(html, start) else {
            i = start + 1;
            continue;
        };
        i = tag.end;
        let attr = |k: &str| {
            tag.attrs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        for (k, v) in &tag.attrs {
            if k.starts_with("on") {
                found.push(format!("<{}> has event handler {k}", tag.name));
            }
            let is_url = matches!(
                k.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "data"
                    | "poster"
                    | "background"
                    | "xlink:href"
                    | "srcset"
                    | "cite"
                    | "codebase"
            );
            if is_url && dangerous_scheme(v) {
                let icon = tag.name == "link"
                    && attr("rel") == Some("icon")
                    && v.starts_with("data:image/svg+xml,");
                if !icon {
                    found.push(format!("<{} {k}=\"{v}\">", tag.name));
                }
            }
        }
        match tag.name.as_str() {
            "script" => {
                let ty = attr("type").unwrap_or("");
                let data = matches!(ty, "application/ld+json" | "application/json");
                let lower = html[i..].to_ascii_lowercase();
                let text = &html[i..i + lower.find("</script").unwrap_or(lower.len())];
                // A theme's page may load the client file.
                let own = attr("src").is_some_and(is_own_search_client)
                    // The share block's buttons (base.html): a fixed script
                    // no front matter reaches.
                    || attr("id") == Some("dienhinh-share")
                    // The 404 page's forward of old addresses (404.html):
                    // fixed too, it reads only the address.
                    || attr("id") == Some("dienhinh-old-address")
                    // The search client the page carries, exactly.
                    || (attr("id") == Some("dienhinh-search") && !client.is_empty() && text.trim() == client.trim());
                if !data && !own {
                    found.push(format!("live <script type={ty:?} src={:?}>", attr("src")));
                }
                // Script content is raw text up to `</script`.
                let lower = html[i..].to_ascii_lowercase();
                i += lower.find("</script").unwrap_or(lower.len());
            }
            "style" | "textarea" | "title" => {
                let close = format!("</{}", tag.name);
                let lower = html[i..].to_ascii_lowercase();
                i += lower.find(&close).unwrap_or(lower.len());
            }
            // `<base target=_parent>` (embeds) only says where links open.
            "base" if attr("href").is_none() => {}
            "iframe" | "object" | "embed" | "base" | "frame" | "applet" => {
                found.push(format!("<{}> element", tag.name));
            }
            "meta" if attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh")) => {
                let target = attr("content").unwrap_or("");
                let url = target.split_once('=').map_or("", |(_, u)| u);
                if dangerous_scheme(url) {
                    found.push(format!("meta refresh to {target}"));
                }
            }
            _ => {}
        }
    }
    found
}

fn is_own_search_client(src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or("");
    name.strip_prefix("search.")
        .and_then(|r| r.strip_suffix(".js"))
        .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
        && !src.contains(':')
}

/// A URL whose scheme would run script or embed a document: decoded of
/// character references, with the spaces and controls browsers ignore
/// removed.
fn dangerous_scheme(url: &str) -> bool {
    let decoded = decode_entities(url);
    let clean: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| clean.starts_with(s))
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .map_or(rest.len(), |(j, _)| j);
        let name = &rest[1..end];
        let ch = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = name.strip_prefix('#') {
            num.parse().ok().and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                _ => None,
            }
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// Byte just after the `>`.
    end: usize,
}

/// Parses the start tag at `start` (`<name attr=value …>`), the way a
/// browser's tokenizer splits attributes: quoted with `"` or `'`, or
/// unquoted up to whitespace or `>`. End tags and text give `None`.
fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let s = &html[start + 1..];
    let name_len = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    let name = s[..name_len].to_ascii_lowercase();
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let mut attrs = Vec::new();
    let b = s.as_bytes();
    let mut i = name_len;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return Some(Tag {
                name,
                attrs,
                end: html.len(),
            });
        }
        if b[i] == b'>' {
            return Some(Tag {
                name,
                attrs,
                end: start + 1 + i + 1,
            });
        }
        let key_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let key = s[key_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                let v_end = b[v_start..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| v_start + p);
                value = s[v_start..v_end].to_string();
                i = (v_end + 1).min(b.len());
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[v_start..i].to_string();
            }
        }
        if !key.is_empty() {
            attrs.push((key, value));
        } else {
            i += 1;
        }
    }
}

#[test]
fn the_scanner_finds_live_script() {
    let bad = [
        "<script>alert(1)</script>",
        "<SCRIPT src=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<a href=JaVaScRiPt:alert(1)>x</a>",
        "<iframe src=/x></iframe>",
        "<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<script type=application/ld+json>{}</script><script>x</script>",
        // Named as the search client, but not its text.
        "<script id=dienhinh-search>alert(1)</script>",
        "<body onload=x>",
    ];
    for html in bad {
        assert!(!live_script(html, "x").is_empty(), "missed: {html}");
    }
    let good = [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onload=x javascript:alert(1)</p>",
        "<script type=application/ld+json>{\"a\":\"\\u003c/script>\"}</script>",
        "<script src=/dan-van/search.0123abcd.js defer></script>",
        "<script id=dienhinh-search>x</script>",
        "<a href=/mo-hinh/x/ title=\"onclick=x\">x</a>",
        "<link rel=icon href=\"data:image/svg+xml,%3Csvg%3E\">",
        "<a href=\"#\">x</a><a href=https://a.vn/?q=javascript:x>y</a>",
    ];
    for html in good {
        assert_eq!(
            live_script(html, "x"),
            Vec::<String>::new(),
            "false alarm: {html}"
        );
    }
}
