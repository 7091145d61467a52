//! The build pipeline, top to bottom (docs/architecture.md):
//! load → validate → link → render → write.

use rayon::iter::{IntoParallelIterator, ParallelIterator};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::core::timing::Lap;
use crate::core::Output;
use crate::diagnostic::{Code, Diagnostic};
use crate::failed::FailedDocs;
use crate::output::{self, Copy};
use crate::progress::Stage;
use crate::render;
use crate::site::Site;
use crate::theme::{list_files, Theme};
use crate::{compress, images, link, load, urls_lock, validate};

mod place;
mod unchanged;

#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The site directory (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Where the site is written; `public/` in the root by default.
    pub output: PathBuf,
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml` (e.g. for `serve`).
    pub base_url: Option<String>,
    /// Write `.gz`/`.br` siblings of text files (also `compress: true` in
    /// `site.yaml`).
    pub compress: bool,
    /// Told each stage and each page rendered (the progress bar).
    pub progress: crate::progress::Hook,
    /// What to do with files in the output folder no build wrote
    /// (`--force` moves them into a backup folder).
    pub strangers: output::Strangers,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            output: root.join("public"),
            root,
            drafts: false,
            base_url: None,
            compress: false,
            progress: crate::progress::Hook::default(),
            strangers: output::Strangers::Refuse,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings only: a build with errors returns [`BuildFailure`].
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Photos encoded by this build and found in the cache.
    pub images: images::ImageStats,
    /// What `--force` moved out of the output folder.
    pub backed_up: Option<output::BackedUp>,
    /// Whether `dienhinh search`'s index was replaced too.
    pub index_kept: bool,
    /// Nothing had changed since the last build: nothing was written, and
    /// the figures are that build's (`build/unchanged.rs`).
    pub unchanged: bool,
}

/// Every problem that stopped the build; nothing was written.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for BuildFailure {
    fn from(d: Diagnostic) -> Self {
        Self {
            diagnostics: vec![d],
        }
    }
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    place::check_output(&opts.root, &opts.output)?;
    // Taken before anything is read: a save during the build is a change.
    let inputs = unchanged::key(opts);
    let (mut site, mut diagnostics) = load_site(opts)?;
    let mut lap = Lap::start();
    let theme =
        Theme::load(&opts.root, &site.config).map_err(|d| BuildFailure { diagnostics: d })?;
    lap.mark("theme");
    opts.progress.stage(Stage::Images, None);
    let images = images::process(&mut site).map_err(|d| BuildFailure { diagnostics: d })?;
    lap.mark("images");
    // From here on this build writes beside the site: one at a time.
    let _lock = place::BuildLock::take(&opts.root)?;
    if let Some(last) = unchanged::published(opts, inputs) {
        diagnostics.extend(host_warnings(&site, last.files as u64, last.bytes));
        return Ok(BuildReport {
            warnings: diagnostics,
            pages: last.pages,
            files: last.files,
            bytes: last.bytes,
            elapsed: started.elapsed(),
            images,
            backed_up: None,
            index_kept: true,
            unchanged: true,
        });
    }
    // Until this build is in place, no build is known to be published.
    unchanged::forget(opts);
    // Pages are minified and written into the staging tree as they are
    // rendered; the tree replaces `public/` only if everything succeeds.
    let opened = output::SiteWriter::open(&opts.output, opts.strangers)
        .map_err(|e| place::open_failure(&opts.output, e))?;
    let mut writer = opened.writer;
    let publish = Publisher::new(&writer, opts.compress || site.config.compress);
    // The search page waits for the index: it carries its manifest.
    let search_page = std::sync::Mutex::new(None);
    diagnostics.extend(render::render_to(&site, &theme, &opts.progress, &|o| {
        let (page, rest): (Vec<Output>, Vec<Output>) = o
            .into_iter()
            .partition(|o| o.path == crate::search::page_file());
        if let Some(page) = page.into_iter().next() {
            *search_page.lock().unwrap_or_else(|e| e.into_inner()) = Some(page);
        }
        publish.all(rest)
    }));
    fail_on_errors(&mut diagnostics)?;
    publish.result().map_err(|e| write_failure(opts, &e))?;
    lap.mark("render");
    opts.progress.stage(Stage::Search, None);
    let (index_files, index) = crate::search::build(&site)?;
    let manifest_file = crate::search::manifest_file();
    let manifest = index_files.iter().find(|o| o.path == manifest_file);
    if let Some(mut page) = search_page.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if let Some(m) = manifest {
            page.bytes = crate::search::inline_manifest(&page.bytes, &m.bytes);
        }
        publish.all(vec![page]);
    }
    publish.all(index_files);
    lap.mark("search");
    opts.progress.stage(Stage::Write, None);
    let copies = copies(&site, &theme);
    if publish.compress {
        publish.all(compress::copy_siblings(&copies).map_err(|e| write_failure(opts, &e))?);
    }
    publish.result().map_err(|e| write_failure(opts, &e))?;
    drop(publish);
    writer
        .finish_files(&copies)
        .map_err(|e| write_failure(opts, &e))?;
    // The files beside the site go first, each whole or not at all: if one
    // cannot be written, the previous site stays published and says so.
    let previous_lock = urls_lock::save(&opts.root, &site).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            urls_lock::LOCK_FILE,
            crate::tr!("không ghi được: {e}", "cannot write: {e}"),
        )
        .help(unchanged_help(opts))
    })?;
    lap.mark("urls-lock-save");
    let written = writer.swap().map_err(|e| {
        // Keep urls.lock true to what is published.
        let _ = previous_lock.restore();
        write_failure(opts, &e)
    })?;
    // The tantivy index only serves `dienhinh search`: a failure to put
    // it in place leaves the previous one, and the site is published.
    let index_kept = index.commit().is_ok();
    lap.mark("write");
    diagnostics.extend(host_warnings(&site, written.files as u64, written.bytes));
    if index_kept {
        unchanged::remember(opts, inputs, &written);
    }
    lap.total(started);
    Ok(BuildReport {
        warnings: diagnostics,
        pages: written.pages,
        files: written.files,
        bytes: written.bytes,
        elapsed: started.elapsed(),
        images,
        backed_up: opened.backed_up,
        index_kept,
        unchanged: false,
    })
}

/// What the site's host will not take of a site of `files` files and
/// `bytes` bytes, and redirects written as pages because its rules could
/// not hold them.
fn host_warnings(site: &Site, files: u64, bytes: u64) -> Vec<Diagnostic> {
    let host = site.config.host;
    let (plan, rules) = render::redirect_plan(site);
    let mut out: Vec<Diagnostic> = crate::hosts::rules_note(host, rules, plan)
        .into_iter()
        .collect();
    out.extend(crate::hosts::over_limits(host, files, bytes));
    out
}

fn write_failure(opts: &BuildOptions, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        crate::text::shown_path(&opts.output),
        crate::tr!("không ghi được trang: {e}", "cannot write the site: {e}"),
    )
    .help(unchanged_help(opts))
}

/// Says what a failed build left, truthfully: the previous site where
/// there was one.
fn unchanged_help(opts: &BuildOptions) -> crate::diagnostic::Text {
    let out = crate::text::shown_path(&opts.output);
    if opts.output.is_dir() {
        crate::tr!(
            "kiểm tra dung lượng đĩa còn trống và quyền ghi; trang cũ trong {out} vẫn được giữ nguyên",
            "check free disk space and permissions; the previous site in {out} was left in place"
        )
    } else {
        crate::tr!(
            "kiểm tra dung lượng đĩa còn trống và quyền ghi; chưa có gì được ghi vào {out}",
            "check free disk space and permissions; nothing was written to {out}"
        )
    }
}

/// Minifies each output, adds its compressed siblings when asked, and
/// writes them; keeps the first write error (outputs arrive from many
/// threads, so they cannot return it).
struct Publisher<'a> {
    writer: &'a output::SiteWriter,
    compress: bool,
    failed: std::sync::Mutex<Option<std::io::Error>>,
}

impl<'a> Publisher<'a> {
    fn new(writer: &'a output::SiteWriter, compress: bool) -> Self {
        Self {
            writer,
            compress,
            failed: std::sync::Mutex::new(None),
        }
    }

    /// Writes `outputs` on both cores: a render job's few pages, or the
    /// search index's tens of thousands of files at once.
    fn all(&self, outputs: Vec<Output>) {
        outputs.into_par_iter().for_each(|o| {
            if let Err(e) = self.one(output::minify(o)) {
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert(e);
            }
        });
    }

    fn one(&self, o: Output) -> std::io::Result<()> {
        if self.compress {
            for sibling in compress::siblings(&o.path, &o.bytes)? {
                self.writer.put(&sibling)?;
            }
        }
        self.writer.put(&o)
    }

    fn result(&self) -> std::io::Result<()> {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.take().map_or(Ok(()), Err)
    }
}

/// Load, validate and link: everything `build` checks before rendering.
/// Returns the site with its warnings, or every error found.
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), BuildFailure> {
    let (site, mut diagnostics) = assemble(opts)?;
    fail_on_errors(&mut diagnostics)?;
    Ok((site, diagnostics))
}

/// Load, validate and link without stopping at errors: the site holds every
/// document that was valid, beside all diagnostics (`check` lints it). Only
/// an unreadable `site.yaml` stops here.
pub fn assemble(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), BuildFailure> {
    let mut config = Config::load(&opts.root)?;
    // An address given on the command line (serve's own, or a deploy's)
    // is meant; only site.yaml's can be a forgotten placeholder.
    let placeholder = match &opts.base_url {
        Some(url) => {
            config = config.with_base_url(url)?;
            None
        }
        None => crate::config::placeholder_base_url(&opts.root, &config),
    };
    let logo = crate::config::logo_problem(&opts.root, &config);
    if logo.is_some() {
        config.logo = None;
    }
    let mut lap = Lap::start();
    opts.progress.stage(Stage::Load, None);
    let (loaded, mut diagnostics) = load::load(&opts.root, &config);
    diagnostics.extend(placeholder);
    diagnostics.extend(logo);
    lap.mark("load");
    opts.progress.stage(Stage::Validate, None);
    let (docs, invalid) = validate::validate(&opts.root, &config, loaded);
    diagnostics.extend(invalid);
    lap.mark("validate");
    // A document with an error is left out of the site but still exists:
    // references to it and its locked addresses are not reported again.
    let failed = FailedDocs::collect(&opts.root, &config, &diagnostics);
    opts.progress.stage(Stage::Link, None);
    let (site, broken) = link::link_knowing(config, opts.root.clone(), docs, opts.drafts, &failed);
    diagnostics.extend(broken);
    lap.mark("link");
    diagnostics.extend(urls_lock::vanished_knowing(&site, &failed));
    lap.mark("urls-lock-check");
    Ok((site, diagnostics))
}

/// Orders diagnostics by file and position; fails if any is an error.
fn fail_on_errors(diagnostics: &mut Vec<Diagnostic>) -> Result<(), BuildFailure> {
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line_col(), a.severity).cmp(&(
            b.file.as_str(),
            b.line_col(),
            b.severity,
        ))
    });
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildFailure {
            diagnostics: std::mem::take(diagnostics),
        });
    }
    Ok(())
}

/// Images named by documents (their resized copies once
/// [`images::process`] made them, else the originals), the site's
/// `static/` and the theme's extra files.
pub fn copies(site: &Site, theme: &Theme) -> Vec<Copy> {
    let images = site
        .models
        .iter()
        .map(|m| &m.doc)
        .chain(site.ceremonies.iter().map(|c| &c.doc))
        .flat_map(|d| d.images.iter())
        .flat_map(|i| match &i.rendition {
            Some(r) => r.files.clone(),
            None => vec![(i.file.clone(), i.output.clone())],
        })
        .map(|(from, to)| Copy { from, to });
    let statics = theme
        .static_files
        .iter()
        .cloned()
        .chain(list_files(&site.root.join("static")))
        .map(|(from, to)| Copy { from, to });
    let mut all: Vec<Copy> = statics.chain(images).collect();
    // Later entries win (site static over theme static); keep one per path.
    all.reverse();
    let mut seen = std::collections::HashSet::new();
    all.retain(|c| seen.insert(c.to.clone()));
    all
}

/// Stops a command that needs a site in a folder without `site.yaml`,
/// before it writes anything there.
pub fn require_site(root: &Path) -> Result<(), Diagnostic> {
    if root.join(crate::config::CONFIG_FILE).is_file() {
        return Ok(());
    }
    let shown = crate::text::shown_path(root);
    let here = root == Path::new(".");
    let message = if here {
        crate::tr!(
            "thư mục hiện tại không phải một trang dienhinh: không có tệp site.yaml; chưa ghi gì",
            "the current folder is not a dienhinh site: there is no site.yaml; nothing was written"
        )
    } else {
        crate::tr!(
            "`{shown}` không phải một trang dienhinh: không có tệp site.yaml; chưa ghi gì",
            "`{shown}` is not a dienhinh site: there is no site.yaml; nothing was written"
        )
    };
    Err(
        Diagnostic::error(Code::NotASite, crate::config::CONFIG_FILE, message).help(crate::tr!(
            "chạy lệnh trong thư mục của trang (nơi có site.yaml), hoặc chỉ tới nó bằng `-C thu-muc-trang`; chưa có trang thì tạo bằng `dienhinh init ten-trang`",
            "run the command in the site's folder (where site.yaml is), or point at it with `-C site-folder`; to start a site, run `dienhinh init site-name`"
        )),
    )
}

/// The site root given on the command line, or the current directory.
pub fn site_root(dir: Option<&Path>) -> PathBuf {
    dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
