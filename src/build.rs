//! `dienhinh build`: the pipeline (src/pipeline.rs) run to write the site,
//! with what only a build does — where it may write and one build at a
//! time (`build/place.rs`), nothing written when nothing changed
//! (`build/unchanged.rs`), pages (minified when asked) written into a staging tree
//! as they are rendered, `urls.lock`, and the swap of the whole tree.

use rayon::iter::{IntoParallelIterator, ParallelIterator};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::core::timing::Lap;
use crate::core::Output;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::{self, Copy};
use crate::pipeline::{self, Mode, Sink, Target};
use crate::render::{self, Job};
use crate::site::Site;
use crate::theme::Theme;
use crate::{compress, images, urls_lock};

pub use crate::pipeline::{BuildFailure, BuildOptions};

mod pages;
mod place;
mod unchanged;

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
    /// False when the build made `dienhinh search`'s index (the site
    /// publishes it) and could not put it in place.
    pub index_kept: bool,
    /// Nothing had changed since the last build: nothing was written, and
    /// the figures are that build's (`build/unchanged.rs`).
    pub unchanged: bool,
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    place::check_output(&opts.root, &opts.output)?;
    // Taken before anything is read: a save during the build is a change.
    let inputs = unchanged::key(opts);
    if let Some(report) = already_published(opts, inputs, started) {
        return Ok(report);
    }
    // Whose files are in the output folder is walked while the site
    // loads; the walk only reads, and is used if the folder is still the
    // one walked when the build is ready to write (`SiteWriter::open_surveyed`).
    let target = opts.output.clone();
    let survey = std::thread::spawn(move || output::survey(&target));
    let mut building = Building {
        opts,
        inputs,
        started,
        survey: Some(survey),
    };
    let ran = pipeline::run(opts, &mut building)?;
    let Some(made) = ran.made else {
        // A build stops at its first stage with errors (pipeline::run)
        // and otherwise always reaches its output stage.
        return Err(BuildFailure {
            diagnostics: ran.diagnostics,
        });
    };
    Ok(BuildReport {
        warnings: ran.diagnostics,
        pages: made.written.pages,
        files: made.written.files,
        bytes: made.written.bytes,
        elapsed: started.elapsed(),
        images: ran.images,
        backed_up: made.backed_up,
        index_kept: made.index_kept,
        unchanged: false,
    })
}

/// The last build's report again, when nothing has changed since it
/// (`build/unchanged.rs`); `None` when this build has work to do, or
/// another build is running (the pipeline then says so).
fn already_published(opts: &BuildOptions, inputs: u64, started: Instant) -> Option<BuildReport> {
    let _lock = place::BuildLock::take(&opts.root).ok()?;
    let mut last = unchanged::published(opts, inputs)?;
    let warnings = last.warnings()?;
    Lap::start().total(started);
    Some(BuildReport {
        warnings,
        pages: last.pages,
        files: last.files,
        bytes: last.bytes,
        elapsed: started.elapsed(),
        images: images::ImageStats::default(),
        backed_up: None,
        index_kept: true,
        unchanged: true,
    })
}

/// Brings `dienhinh search`'s index (`.dienhinh/index/`) up to date with
/// the site in `root` as it is now, writing again only what changed since
/// it was written (docs/search.md § The tantivy index). When it cannot,
/// the index stays as it was.
pub fn refresh_search_index(root: &std::path::Path) -> Result<(), Unrefreshed> {
    let opts = BuildOptions::new(root);
    // The inputs by their stamps, as a build tells that nothing changed:
    // a search of an unchanged site loads nothing.
    let inputs = unchanged::key(&opts).to_string();
    let noted = crate::search::index_dir(root).join(INDEXED_INPUTS);
    if std::fs::read_to_string(&noted).is_ok_and(|k| k == inputs) {
        return Ok(());
    }
    let (site, _) =
        crate::pipeline::load_site(&opts).map_err(|f| Unrefreshed::SiteErrors(f.diagnostics))?;
    let labels = crate::search::document::TypeLabels::for_site(&site);
    crate::search::refresh_cli_index(&site, &labels, unchanged::program())
        .map_err(Unrefreshed::Unwritten)?;
    // Not noted, the next search only loads the site again.
    let _ = std::fs::write(&noted, inputs);
    Ok(())
}

/// Why [`refresh_search_index`] left the index as it was.
#[derive(Debug)]
pub enum Unrefreshed {
    /// The site does not load: these errors (or no `site.yaml`).
    SiteErrors(Vec<Diagnostic>),
    /// The new index could not be written.
    Unwritten(Diagnostic),
}

/// The file in `dienhinh search`'s index naming the inputs it was made of.
const INDEXED_INPUTS: &str = "dienhinh-inputs";

/// `build`'s side of the pipeline: where it may write, one build at a
/// time.
struct Building<'o> {
    opts: &'o BuildOptions,
    /// The inputs' stamps (`build/unchanged.rs`).
    inputs: u64,
    started: Instant,
    /// The walk of the output folder, started with the build.
    survey: Option<std::thread::JoinHandle<std::io::Result<output::Surveyed>>>,
}

impl<'o> Target for Building<'o> {
    type Sink = Staging<'o>;

    fn mode(&self) -> Mode {
        Mode::Write
    }

    fn sink(&mut self, site: &Site, _theme: &Theme) -> Result<Staging<'o>, BuildFailure> {
        let opts = self.opts;
        // From here on this build writes beside the site: one at a time.
        let lock = place::BuildLock::take(&opts.root)?;
        // Until this build is in place, no build is known to be published.
        unchanged::forget(opts);
        // Pages are written into the staging tree as they are
        // rendered; the tree replaces `public/` only if everything succeeds.
        let mut lap = Lap::within("render/");
        // A walk that failed is made again, and fails with its error there.
        let surveyed = self
            .survey
            .take()
            .and_then(|walk| walk.join().ok())
            .and_then(Result::ok);
        let opened = output::SiteWriter::open_surveyed(&opts.output, opts.strangers, surveyed)
            .map_err(|e| place::open_failure(&opts.output, e))?;
        lap.mark("claim");
        Ok(Staging {
            opts,
            inputs: self.inputs,
            started: self.started,
            _lock: lock,
            publish: Publisher::new(
                opened.writer,
                opts.compress || site.config.compress,
                site.config.minify,
            ),
            backed_up: opened.backed_up,
            search_page: Mutex::new(None),
            manifest: Mutex::new(None),
            index: Mutex::new(None),
            pages: None,
        })
    }
}

/// The staging tree a build writes into, and what goes in it last.
struct Staging<'o> {
    opts: &'o BuildOptions,
    inputs: u64,
    started: Instant,
    /// Held until the build is done.
    _lock: place::BuildLock,
    publish: Publisher,
    backed_up: Option<output::BackedUp>,
    /// The search page waits for the index: it carries its manifest.
    search_page: Mutex<Option<Output>>,
    /// The search index's manifest, once the index is made.
    manifest: Mutex<Option<Vec<u8>>>,
    /// `dienhinh search`'s index, put in place after the site.
    index: Mutex<Option<crate::search::tantivy_index::Staged>>,
    /// What each job read and wrote, this build and the last
    /// (`build/pages.rs`).
    pages: Option<pages::PageCache>,
}

/// What a build published.
struct Published {
    written: output::Written,
    backed_up: Option<output::BackedUp>,
    /// See [`BuildReport::index_kept`].
    index_kept: bool,
}

impl Sink for Staging<'_> {
    type Made = Published;

    fn prepare(&mut self, site: &Site, theme: &Theme, jobs: &[Job]) -> usize {
        let cache = pages::PageCache::new(self.opts, site, theme, jobs);
        let unchanged = cache.unchanged();
        self.pages = Some(cache);
        unchanged
    }

    fn to_render(&self, jobs: Vec<Job>) -> Vec<Job> {
        let Some(cache) = &self.pages else {
            return jobs;
        };
        let total = jobs.len();
        let mut lap = Lap::within("render/");
        let jobs = cache.keep_unchanged(&self.publish.writer, jobs);
        lap.mark("keep");
        if crate::core::timing::shown() {
            eprintln!("timing: render/kept {} of {total} jobs", cache.kept());
        }
        jobs
    }

    fn page(&self, job: Job, outputs: Vec<Output>) {
        let (page, rest): (Vec<Output>, Vec<Output>) = outputs
            .into_iter()
            .partition(|o| o.path == crate::search::page_file());
        if let Some(page) = page.into_iter().next() {
            *lock(&self.search_page) = Some(page);
        }
        let files = self.publish.all(rest);
        if let Some(cache) = &self.pages {
            cache.rendered(job, files);
        }
    }

    fn rendered(&mut self) -> Result<(), BuildFailure> {
        let opts = self.opts;
        self.publish.result().map_err(|e| write_failure(opts, &e))?;
        if let Some(cache) = self.pages.take() {
            cache.save(&opts.root);
        }
        Ok(())
    }

    fn search(&self, site: &Arc<Site>, theme: &Theme) -> Result<(), BuildFailure> {
        let labels = crate::search::document::TypeLabels::from_strings(&theme.strings);
        // The index's files are named by what they hold: one the last build
        // published under the same name stays as it is.
        let kept = std::sync::atomic::AtomicUsize::new(0);
        let writer = &self.publish.writer;
        let keep = |path: &str| {
            let k = writer.keep_as_recorded(path).unwrap_or(false);
            kept.fetch_add(usize::from(k), std::sync::atomic::Ordering::Relaxed);
            k
        };
        let manifest_file = crate::search::manifest_file();
        let published = writer.published(&manifest_file);
        let (index_files, index) = crate::search::build(
            site,
            &labels,
            crate::build::unchanged::program(),
            &keep,
            &|path: &str| writer.published(path),
            published.as_deref(),
        )?;
        if crate::core::timing::shown() {
            let kept = kept.into_inner();
            let all = kept + index_files.len();
            eprintln!("timing: search/static/kept {kept} of {all} files");
        }
        // The search page carries it: put in once the page is rendered
        // too (the index may be made beside the render).
        let manifest = index_files.iter().find(|o| o.path == manifest_file);
        *lock(&self.manifest) = manifest.map(|m| m.bytes.clone());
        self.publish.in_one_folder(index_files);
        *lock(&self.index) = index;
        Ok(())
    }

    fn output(
        self,
        site: &Site,
        _theme: &Theme,
        copies: Vec<Copy>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Published, BuildFailure> {
        let opts = self.opts;
        let mut lap = Lap::start();
        let Staging {
            publish,
            index,
            backed_up,
            search_page,
            manifest,
            ..
        } = self;
        if let Some(mut page) = into_inner(search_page) {
            if let Some(m) = into_inner(manifest) {
                page.bytes = crate::search::inline_manifest(&page.bytes, &m);
            }
            publish.all(vec![page]);
        }
        let index = into_inner(index);
        if publish.compress {
            publish.all(compress::copy_siblings(&copies).map_err(|e| write_failure(opts, &e))?);
        }
        publish.result().map_err(|e| write_failure(opts, &e))?;
        let mut writer = publish.writer;
        writer
            .finish_files(&copies)
            .map_err(|e| write_failure(opts, &e))?;
        // The files beside the site go first, each whole or not at all: if
        // one cannot be written, the previous site stays published and
        // says so.
        let previous_lock = urls_lock::save(&opts.root, site).map_err(|e| {
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
        let index_kept = index.is_none_or(|i| i.commit().is_ok());
        lap.mark("write");
        diagnostics.extend(host_warnings(site, written.files as u64, written.bytes));
        if index_kept {
            unchanged::remember(opts, self.inputs, &written, diagnostics);
        }
        lap.total(self.started);
        Ok(Published {
            written,
            backed_up,
            index_kept,
        })
    }
}

/// A lock another thread's panic cannot leave half-updated: what it
/// guards is replaced whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|e| e.into_inner())
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

/// Minifies each output and adds its compressed siblings when the site asks,
/// writes them, and keeps the first write error (outputs arrive from many
/// threads, so they cannot return it).
struct Publisher {
    writer: output::SiteWriter,
    compress: bool,
    minify: bool,
    failed: Mutex<Option<std::io::Error>>,
}

impl Publisher {
    fn new(writer: output::SiteWriter, compress: bool, minify: bool) -> Self {
        Self {
            writer,
            compress,
            minify,
            failed: Mutex::new(None),
        }
    }

    /// Writes `outputs` on both cores: a render job's few pages. Returns
    /// the files written.
    fn all(&self, outputs: Vec<Output>) -> Vec<pages::File> {
        outputs
            .into_par_iter()
            .flat_map_iter(|o| self.noting_failure(o))
            .collect()
    }

    /// Writes `outputs` on one thread: files that share one folder, as the
    /// search index's tens of thousands do. Creating a file locks its
    /// folder, so a second thread only spins on that lock: written on both
    /// cores, the index's files took twice the system time (search stage at
    /// 10,000 models: 2.7–3.4 s of system time against 1.5–1.7 s, and
    /// 0.2–0.5 s more wall time; bench/RESULTS.md).
    fn in_one_folder(&self, outputs: Vec<Output>) -> Vec<pages::File> {
        outputs
            .into_iter()
            .flat_map(|o| self.noting_failure(o))
            .collect()
    }

    /// [`Publisher::one`], minified first when the site asks; a failure is
    /// kept for [`Publisher::result`] and writes nothing.
    fn noting_failure(&self, o: Output) -> Vec<pages::File> {
        match self.one(if self.minify { output::minify(o) } else { o }) {
            Ok(files) => files,
            Err(e) => {
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert(e);
                Vec::new()
            }
        }
    }

    /// Writes `o` and its compressed siblings, and links each at the
    /// paths that publish the same bytes (`Output::also`).
    fn one(&self, o: Output) -> std::io::Result<Vec<pages::File>> {
        let mut files = Vec::new();
        let mut put = |o: &Output| -> std::io::Result<()> {
            let hash = self.writer.publish(o)?;
            let (len, page) = (o.bytes.len() as u64, o.html);
            files.push(pages::File {
                path: o.path.clone(),
                hash,
                len,
                page,
            });
            for also in &o.also {
                files.push(pages::File {
                    path: also.clone(),
                    hash,
                    len,
                    page,
                });
            }
            Ok(())
        };
        if self.compress {
            for mut sibling in compress::siblings(&o.path, &o.bytes)? {
                // `page.html.gz` is linked at `m/<id>.html.gz`.
                let suffix = &sibling.path[o.path.len()..];
                sibling.also = o.also.iter().map(|a| format!("{a}{suffix}")).collect();
                put(&sibling)?;
            }
        }
        put(&o)?;
        Ok(files)
    }

    fn result(&self) -> std::io::Result<()> {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.take().map_or(Ok(()), Err)
    }
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
