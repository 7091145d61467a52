//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

pub mod serve;

pub const FIXTURE_SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site");
pub const SAMPLE_SITE: &str = env!("CARGO_MANIFEST_DIR");

pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `dienhinh` binary in `site` with `args`.
pub fn run(site: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dienhinh"))
        .arg("-C")
        .arg(site)
        .args(args)
        .output()
        .expect("run dienhinh");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The sample site (the repository root) built once, from a copy of its
/// sources, for every test that reads its pages: builds of one site exclude
/// each other (the build lock, DH043), and the browser test builds the
/// repository's own copy at the same time.
pub fn sample_public() -> &'static Path {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sample");
        let _ = fs::remove_dir_all(&dir);
        let site = dir.join("site");
        for part in ["content", "themes", "static"] {
            let from = Path::new(SAMPLE_SITE).join(part);
            if from.is_dir() {
                copy_dir(&from, &site.join(part));
            }
        }
        for file in ["site.yaml", "urls.lock"] {
            let from = Path::new(SAMPLE_SITE).join(file);
            if from.is_file() {
                fs::copy(&from, site.join(file)).unwrap();
            }
        }
        let r = run(&site, &["build"]);
        assert!(r.ok, "the sample site does not build:\n{}", r.stderr);
        site.join("public")
    })
}

/// Copies a directory tree (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "public" {
                continue;
            }
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its contents, for before/after comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, map);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                map.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    if dir.exists() {
        walk(dir, dir, &mut map);
    }
    map
}

/// Whether two paths of a built site are one file (links of each other):
/// a short link is its page's file (src/hosts.rs, `ShortPage`).
#[cfg(unix)]
pub fn one_file(public: &Path, a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    let id = |p: &str| {
        let m = fs::metadata(public.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        (m.dev(), m.ino())
    };
    id(a) == id(b)
}

/// Adds `lines` (each ending in a newline) at the top of the front matter
/// of the document at `file`.
pub fn add_front_matter(file: &Path, lines: &str) {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    fs::write(file, text.replacen("---\n", &format!("---\n{lines}"), 1)).unwrap();
}

/// Reads a built page as text, in [`canonical`] form.
pub fn page(public: &Path, rel: &str) -> String {
    canonical(&fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// A page in one form for the tests' string checks, whether or not its
/// site minifies (`minify: true`): as the minifier writes it (attributes
/// unquoted where HTML allows, no blank lines). Minifying is idempotent.
pub fn canonical(html: &str) -> String {
    let page = dienhinh::core::Output::page("page.html".into(), html.as_bytes().to_vec());
    String::from_utf8(dienhinh::output::minify(page).bytes).unwrap()
}

/// Copies the fixture site into a temp dir and builds it; returns the temp
/// dir (keep it alive) and the site's folder.
pub fn build_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let out = run(&site, &["build"]);
    assert!(out.ok, "fixture build failed:\n{}", out.stderr);
    (tmp, site)
}

/// A copy of the fixture site in a temp dir, its `site.yaml` rewritten by
/// `edit`; returns the temp dir (keep it alive) and the site's folder.
pub fn fixture_with_yaml(
    edit: impl FnOnce(&str) -> String,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(site.join("site.yaml"), edit(&yaml)).unwrap();
    (tmp, site)
}

/// Runs `dienhinh` as an editor does: in `dir` as the current directory,
/// with no `-C`, and standard input not a terminal.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dienhinh"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run dienhinh");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A new site made by `init` (as a user runs it, from the parent folder)
/// in `parent/name`.
pub fn init_site(parent: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let mut args = vec!["init", name];
    args.extend_from_slice(extra);
    let out = run_in(parent, &args);
    assert!(out.ok, "init failed:\n{}", out.stderr);
    parent.join(name)
}

/// A PNG whose header claims `width`×`height` grey pixels, with one small
/// IDAT chunk: all a reader of the header sees of a real pixel bomb (a
/// 60000×60000 picture of zeros compresses to a few hundred kilobytes).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &vec![0u8; 64 * 1024]).unwrap();
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

/// `script` (util-linux) runs the command on a pseudo-terminal, passing
/// the answers piped to it as typed input.
pub fn on_terminal(site: &Path, command: &str, answers: &str) -> Option<std::process::Output> {
    let script = Command::new("script").arg("--version").output();
    if !script.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: `script` from util-linux is not installed");
        return None;
    }
    let mut child = Command::new("script")
        .args([
            "-qec",
            &format!("{} {command}", env!("CARGO_BIN_EXE_dienhinh")),
            "/dev/null",
        ])
        .current_dir(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

/// `(label, count)` rows of each table on a built statistics page, in page
/// order (the cells as text, tags stripped).
pub fn stats_tables(html: &str) -> Vec<Vec<(String, usize)>> {
    let mut tables = Vec::new();
    for body in html.split("<tbody>").skip(1) {
        let body = &body[..body.find("</tbody>").unwrap()];
        let rows = body
            .split("<tr>")
            .skip(1)
            .map(|tr| {
                let cells: Vec<String> = tr
                    .split("<td")
                    .skip(1)
                    .map(|td| {
                        let inner = &td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()];
                        strip_tags(inner)
                    })
                    .collect();
                (cells[0].clone(), cells[1].trim().parse().unwrap())
            })
            .collect();
        tables.push(rows);
    }
    tables
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").trim().to_string()
}

/// The manifest the search page carries (`<script id="search-manifest">`,
/// written as `search::inline_manifest` writes it); none while the element
/// is empty (before `serve` has made its first index).
pub fn carried_manifest(page: &str) -> Option<serde_json::Value> {
    let at = page.find("search-manifest")?;
    let open = at + page[at..].find('>')? + 1;
    let close = at + page[at..].find("</script>")?;
    serde_json::from_str(&page[open..close].replace("<\\/", "</")).ok()
}

/// A site made by `gen_corpus` (no photos) in `dir`: `models` models and
/// `ceremonies` ceremonies, drawn from `seed`.
pub fn generated_site(
    dir: &Path,
    models: usize,
    ceremonies: usize,
    seed: u64,
) -> std::path::PathBuf {
    crate::corpus::run(&crate::corpus::Args {
        models,
        ceremonies,
        seed,
        out: dir.to_path_buf(),
        photos: false,
    })
    .unwrap();
    dir.to_path_buf()
}

/// The first model file of `site` by name.
pub fn first_model(site: &Path) -> std::path::PathBuf {
    fs::read_dir(site.join("content/mo-hinh"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap()
}
