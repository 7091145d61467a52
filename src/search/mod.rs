//! Stage 5, search (docs/search.md): one analyzer ([`analyze`]), the searchable
//! view of each document ([`document`]), BM25 contributions ([`postings`]),
//! the query model ([`query`]) and ranking rule ([`scorer`]) shared with the
//! browser client, the static browser index ([`static_index`]) and the
//! tantivy index ([`tantivy_index`]).

pub mod analyze;
pub mod bundle;
pub mod cli;
pub mod document;
pub mod groups;
pub mod near;
pub mod packed;
pub mod postings;
pub mod query;
pub mod scorer;
pub mod static_index;
pub mod tantivy_index;
pub mod terms;

use std::path::{Path, PathBuf};

use crate::core::Output;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use crate::text::fnv1a;

/// The browser client: no framework, no build step.
const CLIENT_JS: &str = include_str!("../../themes/default/static/search.js");

/// Site-relative path of the search page.
pub const PAGE: &str = crate::urls::SEARCH_PAGE;

/// The client script (the site theme's own `search.js` if it has one) and
/// its content-hashed, site-relative path.
pub fn client_js(site: &Site) -> (String, String) {
    let own = site
        .root
        .join("themes")
        .join(&site.config.theme)
        .join("static")
        .join("search.js");
    let js = std::fs::read_to_string(own).unwrap_or_else(|_| slim(CLIENT_JS));
    let path = format!(
        "{}/search.{:016x}.js",
        static_index::DIR,
        fnv1a(js.as_bytes())
    );
    (path, js)
}

/// Script text as it may stand inside `<script>` in a page: a closing tag
/// in it would end the element early, so `</` is written `<\/` (the same
/// string, regular expression or comment to JavaScript and to JSON).
pub fn inline_script(text: &str) -> String {
    text.replace("</", "<\\/")
}

/// The path of the search page's file.
pub fn page_file() -> String {
    format!("{PAGE}index.html")
}

/// The path of the index's manifest, which the search page carries.
pub fn manifest_file() -> String {
    format!("{}{}", crate::urls::SEARCH_FILES, static_index::MANIFEST)
}

/// The search page `html` with the index's manifest in its
/// `<script id="search-manifest">` element (empty as rendered: the page is
/// rendered before the index is made, and `serve` swaps indexes under
/// it), so the page's first request is for the index itself. A page
/// without the element (a theme's own) is returned as it is.
pub fn inline_manifest(html: &[u8], manifest: &[u8]) -> Vec<u8> {
    let (Ok(page), Ok(manifest)) = (std::str::from_utf8(html), std::str::from_utf8(manifest))
    else {
        return html.to_vec();
    };
    let Some(at) = page.find("search-manifest") else {
        return html.to_vec();
    };
    let (Some(open), Some(close)) = (
        page[at..].find('>').map(|i| at + i + 1),
        page[at..].find("</script>").map(|i| at + i),
    ) else {
        return html.to_vec();
    };
    if open > close {
        return html.to_vec();
    }
    let mut out = String::with_capacity(page.len() + manifest.len());
    out.push_str(&page[..open]);
    out.push_str(&inline_script(manifest.trim()));
    out.push_str(&page[close..]);
    out.into_bytes()
}

/// The built-in client as served: comments, blank lines and indentation
/// dropped (a third of its bytes, which count in a cold query's budget);
/// the source stays readable. Safe for `search.js` only, which has no
/// template literals and whose comments begin their lines; a theme's own
/// client is served as written.
fn slim(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_comment = false;
    for line in js.lines() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.ends_with("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.ends_with("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// CPU time (user + system) of this process so far, in milliseconds, where
/// `/proc` tells it (Linux).
fn process_cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks * 10)
}

/// Where `build` writes the tantivy index.
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(".dienhinh").join("index")
}

/// Where a build keeps each document's counted terms for the next one
/// (`postings::Memory`).
fn terms_file(root: &Path) -> PathBuf {
    root.join(".dienhinh").join("search-terms.bin")
}

/// Where a build keeps its term shards' digests for the next one
/// (`static_index::Reuse`).
fn shards_file(root: &Path) -> PathBuf {
    root.join(".dienhinh").join("search-shards.bin")
}

/// Builds the static browser index, and the tantivy index beside the site
/// when the site publishes it (`search.publish_index`), from the same
/// documents and token streams. Returns the files to publish and the
/// tantivy index, ready to be put in place with the rest of the build.
/// Otherwise the tantivy index, which only `dienhinh search` reads, is not
/// made here but when that command is run ([`refresh_cli_index`]): at 10,000
/// models it was half the search stage's CPU, and the rebuild after an
/// edit analysed the 2,000 documents of a tantivy group again.
/// `program` names the running program (`build::unchanged::program`): the
/// previous tantivy index is reused in part only when the same one wrote it.
/// `keep` puts a file the last build published in the new output (returns
/// whether it could); the static index's files it keeps are not returned.
/// `published`: the manifest the last build published, when the output
/// writer vouches for it (its bundles are kept by the lengths it gives);
/// `read` reads the last build's other files of the index, when the
/// writer vouches for them.
pub fn build(
    site: &Site,
    labels: &document::TypeLabels,
    program: u64,
    keep: static_index::Keep<'_>,
    read: static_index::ReadLast<'_>,
    published: Option<&[u8]>,
) -> Result<(Vec<Output>, Option<tantivy_index::Staged>), Diagnostic> {
    let cpu = process_cpu_ms();
    let mut lap = crate::core::timing::Lap::within("search/");
    let (docs, texts) = document::documents(site, labels);
    lap.mark("documents");
    let with_tantivy = site.config.search.publish_index;
    let (postings, staged) = analysed(site, &docs, texts, program, with_tantivy, &mut lap)?;
    // The lists are freed as the files are made (see `analysed`).
    let _release = crate::memory::PromptRelease::start();
    let mut out = browser_files(
        site,
        &docs,
        postings,
        &static_index::Gzip::keeping(keep, published).reusing(read, shards_file(&site.root)),
    );
    lap.mark("static files");
    if let (Some(before), Some(after)) = (cpu, process_cpu_ms()) {
        // CPU time, all threads: on a shared machine wall time says little.
        if crate::core::timing::shown() {
            eprintln!("timing: search/cpu {} ms", after - before);
        }
    }
    if let Some(staged) = &staged {
        for (file, rel) in crate::theme::list_files(staged.files()) {
            let bytes = std::fs::read(&file).map_err(|e| index_failure(&e))?;
            out.push(Output::file(
                format!("{}/tantivy/{rel}", static_index::DIR),
                bytes,
            ));
        }
    }
    Ok((out, staged))
}

/// Brings `dienhinh search`'s tantivy index up to date with `site`: only
/// the groups of documents that changed since the index was written are
/// written again (`groups`), and only the documents that changed are
/// analysed (`postings::Memory`).
pub fn refresh_cli_index(
    site: &Site,
    labels: &document::TypeLabels,
    program: u64,
) -> Result<(), Diagnostic> {
    let (docs, texts) = document::documents(site, labels);
    let mut lap = crate::core::timing::Lap::within("search/");
    let (_, staged) = analysed(site, &docs, texts, program, true, &mut lap)?;
    match staged {
        Some(staged) => staged.commit().map_err(|e| index_failure(&e)),
        None => Ok(()),
    }
}

/// The failure to write the tantivy index.
fn index_failure(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        ".dienhinh/index",
        crate::tr!(
            "không ghi được chỉ mục tìm kiếm: {e}",
            "cannot write the search index: {e}"
        ),
    )
    .help(crate::tr!(
        "kiểm tra dung lượng đĩa còn trống và quyền ghi trong thư mục trang",
        "check free disk space and permissions in the site folder"
    ))
}

/// Every document's counted terms, one analysis pass, its tokens also
/// feeding the tantivy index when `with_tantivy` (then written beside the
/// site, with the dictionary `dienhinh search` reads queries with). The
/// analysis consumes the documents' `texts`.
fn analysed(
    site: &Site,
    docs: &[document::SearchDoc],
    texts: Vec<document::Texts>,
    program: u64,
    with_tantivy: bool,
    lap: &mut crate::core::timing::Lap,
) -> Result<(postings::Postings, Option<tantivy_index::Staged>), Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| index_failure(e);
    let writer = with_tantivy
        .then(|| tantivy_index::Writer::create(&index_dir(&site.root), site, docs, &texts, program))
        .transpose()
        .map_err(|e| fail(&e))?;
    let wants = |i: usize| writer.as_ref().is_some_and(|w| w.wants(i));
    let mut added = Ok(());
    let mut memory = postings::Memory::in_file(terms_file(&site.root), program);
    let gathered = postings::gather(
        texts,
        wants,
        |i, t, analysed| {
            let w = writer.as_ref().filter(|w| w.wants(i))?;
            Some((i, w.document(site, i, &docs[i], t, analysed)))
        },
        |made| {
            if let (Some((i, doc)), Some(w), true) = (made, writer.as_ref(), added.is_ok()) {
                added = w.add(i, doc);
            }
        },
        &mut memory,
    );
    if crate::core::timing::shown() {
        if let Some(w) = &writer {
            let (kept, all) = w.kept();
            eprintln!("timing: search/tantivy/kept {kept} of {all} groups");
        }
        let counted = docs.len() - memory.analysed();
        eprintln!(
            "timing: search/postings/remembered {counted} of {} documents",
            docs.len()
        );
        if memory.patched() {
            eprintln!(
                "timing: search/postings/patched {} of {} documents",
                memory.analysed(),
                docs.len()
            );
        }
    }
    lap.mark("postings/gather");
    added.map_err(|e| fail(&e))?;
    let staged = writer
        .map(tantivy_index::Writer::finish)
        .transpose()
        .map_err(|e| fail(&e))?;
    lap.mark("tantivy");
    // From here on the gathered occurrences are freed list by list as the
    // lists are made, and not reused: returned at once, they stay out of
    // the build's peak. Not earlier: while documents are analysed, each
    // one's scratch memory is freed and taken again at once, and giving it
    // back to the system each time cost 0.2-0.45 s of the stage's 2.3-2.9 s
    // of CPU at 10,000 models (bench/RESULTS.md, session 16).
    let _release = crate::memory::PromptRelease::start();
    let postings = gathered.postings();
    lap.mark("postings/lists");
    if let Some(staged) = &staged {
        staged
            .write_lexicon(&static_index::Lexicon::of(&postings))
            .map_err(|e| fail(&e))?;
        lap.mark("lexicon");
    }
    Ok((postings, staged))
}

/// The static browser index of `serve`'s preview, rebuilt after each save
/// from what the previous one kept: only the documents a save changed are
/// analysed, and only the files it changed are compressed, so search
/// follows a save within a second on a large site. Its files are the ones
/// `build` publishes for the same site. No tantivy index: a preview needs
/// none on disk.
pub struct Preview {
    reuse: postings::Reuse,
    gzip: static_index::Gzip<'static>,
}

impl Default for Preview {
    fn default() -> Preview {
        Preview {
            reuse: postings::Reuse::default(),
            gzip: static_index::Gzip::remembering(),
        }
    }
}

impl Preview {
    /// The static index's files for `site`.
    pub fn build(&mut self, site: &Site, labels: &document::TypeLabels) -> Vec<Output> {
        let mut lap = crate::core::timing::Lap::within("preview search/");
        let (docs, texts) = document::documents(site, labels);
        lap.mark("documents");
        let postings = postings::build_reusing(&texts, &mut self.reuse);
        lap.mark("postings");
        let out = browser_files(site, &docs, postings, &self.gzip);
        lap.mark("static files");
        self.gzip.next_round();
        out
    }

    /// How many documents the last [`Preview::build`] analysed.
    pub fn analysed(&self) -> usize {
        self.reuse.analysed()
    }
}

/// The static index and, beside it, the client script.
fn browser_files(
    site: &Site,
    docs: &[document::SearchDoc],
    postings: postings::Postings,
    gz: &static_index::Gzip,
) -> Vec<Output> {
    let synonyms = query::synonym_sets(&site.config.search.synonyms);
    let mut out = static_index::files(site, docs, postings, &synonyms, gz);
    // The search page carries the client; the file is for a theme's own
    // page, or another site, to load it.
    let (path, js) = client_js(site);
    out.push(Output::file(path, js.into_bytes()));
    out
}
