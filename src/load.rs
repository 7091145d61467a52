//! Stage 1: find every content file, read it, normalise it and parse its
//! front matter into the typed structs of [`crate::schema`].
//!
//! Files are independent here, so they are read in parallel and each one's
//! problems are collected; a broken file never hides another's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::core::files::MAX_FILE_BYTES;
use crate::diagnostic::{duplicate_key, yaml_diagnostic, Code, Diagnostic};
use crate::frontmatter::{split, SplitError};
use crate::schema::{CeremonyFront, ModelFront, PageFront};
use crate::site::SourceFile;
use crate::tr;
use crate::vi::nfc_borrowed;
use std::borrow::Cow;

pub const CONTENT_DIR: &str = "content";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Model,
    Ceremony,
    Page,
}

#[derive(Debug)]
pub enum Front {
    Model(Box<ModelFront>),
    Ceremony(Box<CeremonyFront>),
    Page(Box<PageFront>),
}

#[derive(Debug)]
pub struct Loaded {
    pub file: Arc<SourceFile>,
    pub front: Front,
}

/// A content file found on disk, before reading.
#[derive(Debug)]
struct Found {
    path: PathBuf,
    rel_path: String,
    section: Section,
}

/// Reads every `.md` under `content/`; returns what parsed and what did not.
pub fn load(root: &Path, config: &Config) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let (found, mut diagnostics) = discover(root, config);
    let results: Vec<Result<Loaded, Vec<Diagnostic>>> = found.par_iter().map(load_one).collect();
    let mut loaded = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(l) => loaded.push(l),
            Err(d) => diagnostics.extend(d),
        }
    }
    (loaded, diagnostics)
}

/// Reads the one content file at `path`, found as [`load`] finds files
/// (`serve` re-reads only the file an editor saved). `None` if `load`
/// would not read it.
pub fn load_file(
    root: &Path,
    config: &Config,
    path: &Path,
) -> Option<Result<Loaded, Vec<Diagnostic>>> {
    let (found, _) = discover(root, config);
    found.iter().find(|f| f.path == path).map(load_one)
}

fn discover(root: &Path, config: &Config) -> (Vec<Found>, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    if !content.is_dir() {
        return (found, diagnostics);
    }
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map_or_else(|| CONTENT_DIR.to_string(), |p| rel_path(root, p));
                diagnostics.push(Diagnostic::error(
                    Code::Io,
                    rel,
                    tr!("không đọc được: {e}", "cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let rel = rel_path(root, path);
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnsafePath,
                    rel,
                    tr!(
                        "không đi theo liên kết tượng trưng (symbolic link)",
                        "symbolic links are not followed"
                    ),
                )
                .help(tr!(
                    "chép hẳn tệp vào content/ thay vì tạo liên kết tới nó",
                    "copy the file into content/ instead of linking to it"
                )),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let in_content = path.strip_prefix(&content).unwrap_or(path);
        let section = match in_content
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
        {
            Some(first)
                if in_content.components().count() > 1 && first == config.sections.models =>
            {
                Section::Model
            }
            Some(first)
                if in_content.components().count() > 1 && first == config.sections.ceremonies =>
            {
                Section::Ceremony
            }
            _ => Section::Page,
        };
        found.push(Found {
            path: path.to_path_buf(),
            rel_path: rel,
            section,
        });
    }
    (found, diagnostics)
}

/// `/`-separated path relative to the site root, for messages and ids.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_one(found: &Found) -> Result<Loaded, Vec<Diagnostic>> {
    use std::io::Read;
    let one = |d: Diagnostic| vec![d];
    let rel = &found.rel_path;
    let unreadable = |e: std::io::Error| {
        one(Diagnostic::error(
            Code::Io,
            rel,
            tr!("không đọc được: {e}", "cannot read: {e}"),
        ))
    };
    // The size from the open file, not from the path: each path looked
    // up again is a walk of its folders in the kernel, for every file of
    // the site at every build.
    let mut file = std::fs::File::open(&found.path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(one(Diagnostic::error(
            Code::FileTooLarge,
            rel,
            tr!(
                "tệp nặng {mib:.1} MiB, quá mức 8 MiB cho phép",
                "file is {mib:.1} MiB, more than the 8 MiB allowed",
                mib = size as f64 / (1024.0 * 1024.0)
            ),
        )
        .help(tr!(
            "chia bài thành nhiều bài, hoặc chuyển các bảng số liệu sang một tài liệu riêng có liên kết",
            "split the article, or move data tables to a linked document"
        ))));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    parse_bytes(rel, found.section, bytes)
}

/// Loads one content file given as bytes, as if read from `rel_path` (e.g.
/// `content/mo-hinh/a.md`): the same decoding and parsing as a build, with no
/// disk access. The fuzz targets and their regression test enter here.
pub fn load_bytes(
    rel_path: &str,
    bytes: Vec<u8>,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    parse_bytes(rel_path, section_of(rel_path, config), bytes)
}

/// The section of the content file at `rel_path` (`content/…`), as
/// [`load`] decides it.
pub fn section_of(rel_path: &str, config: &Config) -> Section {
    let mut parts = rel_path.split('/').skip(1);
    match (parts.next(), parts.next()) {
        (Some(first), Some(_)) if first == config.sections.models => Section::Model,
        (Some(first), Some(_)) if first == config.sections.ceremonies => Section::Ceremony,
        _ => Section::Page,
    }
}

fn parse_bytes(rel: &str, section: Section, bytes: Vec<u8>) -> Result<Loaded, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let (text, was_nfd) = decode(rel, bytes).map_err(one)?;
    let text: Arc<str> = Arc::from(text);
    let parts = split(&text).map_err(|e| one(split_error(rel, &text, e)))?;
    let front_text = &text[parts.front.clone()];
    if let Some(line) = crate::frontmatter::too_deep(front_text) {
        let offset = parts.front.start
            + front_text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>();
        return Err(one(
            Diagnostic::error(
                Code::YamlSyntax,
                rel,
                tr!(
                    "phần đầu lồng nhau sâu quá {depth} tầng",
                    "the front matter is nested more than {depth} levels deep",
                    depth = crate::frontmatter::MAX_DEPTH
                ),
            )
            .at(&text, offset, 1)
            .label(tr!("quá sâu từ đây", "too deep from here"))
            .help(tr!(
                "phần đầu chỉ cần tối đa bốn tầng (ví dụ statistics → breakdowns → parts); kiểm tra thụt lề và các dấu ngoặc",
                "front matter needs at most four levels (e.g. statistics → breakdowns → parts); check the indentation and brackets"
            )),
        ));
    }
    let mut file = SourceFile::new(rel.to_string(), Arc::clone(&text), parts.front, parts.body);
    file.was_nfd = was_nfd;
    let file = Arc::new(file);
    let front = match section {
        Section::Model => Front::Model(Box::new(parse_front(&file)?)),
        Section::Ceremony => Front::Ceremony(Box::new(parse_front(&file)?)),
        Section::Page => Front::Page(Box::new(parse_front(&file)?)),
    };
    Ok(Loaded { file, front })
}

/// UTF-8 check, then BOM removal, LF line ends and NFC. Line numbers are
/// unchanged by all three, so positions still match the editor's view.
/// Also returns the line of the first decomposed character, if any.
fn decode(rel: &str, bytes: Vec<u8>) -> Result<(String, Option<usize>), Diagnostic> {
    // simdutf8 checks several bytes at once: the standard check takes
    // Vietnamese text, mostly multi-byte, a character at a time (at
    // 10,000 models it was a fifth of loading). The copy costs less.
    let text = match simdutf8::basic::from_utf8(&bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => return Err(not_utf8(rel, &bytes)),
    };
    if text.contains('\0') {
        let source: Arc<str> = Arc::from(text.as_str());
        let at = text.find('\0').unwrap_or(0);
        return Err(Diagnostic::error(
            Code::InvalidUtf8,
            rel,
            tr!("tệp chứa byte NUL", "the file contains a NUL byte"),
        )
        .at(&source, at, 1)
        .help(tr!(
            "đây không phải tệp văn bản; hãy lưu lại ở dạng văn bản thuần UTF-8",
            "this is not a text file; re-save it as plain UTF-8 text"
        )));
    }
    // In place where it can be: a site's text passes here whole at every
    // build, so each copy of it counts.
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let normal = match nfc_borrowed(&text) {
        Cow::Borrowed(_) => None,
        Cow::Owned(normal) => Some(normal),
    };
    Ok(match normal {
        Some(normal) if normal != text => {
            let line = first_difference_line(&text, &normal);
            (normal, Some(line))
        }
        _ => (text, None),
    })
}

/// Where `bytes` stop being UTF-8, as an error on the file.
fn not_utf8(rel: &str, bytes: &[u8]) -> Diagnostic {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
    let offset = String::from_utf8_lossy(&bytes[..at]).len();
    Diagnostic::error(
        Code::InvalidUtf8,
        rel,
        tr!(
            "tệp không phải văn bản UTF-8 hợp lệ (byte {at})",
            "the file is not valid UTF-8 (byte {at})"
        ),
    )
    .at(&lossy, offset, 1)
    .label(tr!("không phải UTF-8", "not UTF-8"))
    .help(tr!(
        "lưu lại tệp ở dạng UTF-8; chữ gõ bằng phông tiếng Việt cũ (TCVN3/VNI) phải được chuyển sang Unicode",
        "re-save the file as UTF-8; text from old Vietnamese fonts (TCVN3/VNI) must be converted to Unicode"
    ))
}

/// NFC changes no line ends, so the first differing line is the first line
/// holding a decomposed character.
fn first_difference_line(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .map_or(1, |i| i + 1)
}

fn split_error(rel: &str, text: &Arc<str>, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Missing => Diagnostic::error(
            Code::NoFrontMatter,
            rel,
            tr!(
                "tệp không bắt đầu bằng phần đầu (front matter)",
                "the file does not start with front matter"
            ),
        )
        .at(text, 0, text.find('\n').unwrap_or(text.len()).max(1))
        .label(tr!("cần một dòng `---` ở đây", "expected a `---` line here"))
        .help(tr!(
            "mở đầu tệp bằng `---`, rồi các trường YAML (ít nhất `title:`), rồi thêm một dòng `---`",
            "start the file with `---`, the YAML fields (at least `title:`), then another `---`"
        )),
        SplitError::Unclosed => Diagnostic::error(
            Code::UnclosedFrontMatter,
            rel,
            tr!(
                "phần đầu (front matter) không được đóng lại",
                "the front matter is never closed"
            ),
        )
        .at(text, 0, 3)
        .label(tr!("mở ở đây", "opened here"))
        .help(tr!(
            "thêm một dòng `---` sau trường YAML cuối cùng, trước phần nội dung bài",
            "add a line `---` after the last YAML field, before the article text"
        )),
    }
}

fn parse_front<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Vec<Diagnostic>> {
    let yaml = &file.text[file.front.clone()];
    if let Some(d) = duplicate_key(&file.rel_path, &file.text, file.front.start, yaml) {
        return Err(vec![d]);
    }
    // An empty block means "no fields": let serde say which are required.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(yaml).map_err(|e| {
        let offset = e.location().map_or(0, |l| l.index());
        vec![yaml_diagnostic(
            &file.rel_path,
            &file.text,
            &e.to_string(),
            file.front.start + offset,
        )]
    })
}
