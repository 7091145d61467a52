//! The one driver of the pipeline (docs/architecture.md § The pipeline):
//! `build`, `check` and `serve` each run [`run`] with a [`Target`], which
//! says the [`Mode`] and takes what each stage makes; none of them orders
//! the stages itself.
//!
//! ```text
//! config → load → validate → images → link → theme → render → search → output
//! ```
//!
//! Photos are processed on the validated documents, before `link`: the
//! linked [`Site`] is never changed afterwards.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::core::timing::Lap;
use crate::core::Output;
use crate::diagnostic::Diagnostic;
use crate::failed::FailedDocs;
use crate::images::ImageStats;
use crate::output::Copy;
use crate::progress::Stage;
use crate::render::{self, Job};
use crate::site::Site;
use crate::theme::{list_files, Theme};
use crate::{images, link, load, output, urls_lock, validate};

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

/// Every problem that stopped the run; nothing was written.
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

/// What a run is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `build`: every page for the disk, with the search index.
    Write,
    /// `serve`: every page kept in memory, the search index beside.
    Memory,
    /// `check`: every page rendered, read for what links need and dropped;
    /// nothing written, not even a cache.
    Check,
}

impl Mode {
    /// Photos are resized (and cached in `.dienhinh/`) for pages that show
    /// them; `check` writes nothing.
    fn photos(self) -> bool {
        self != Mode::Check
    }

    /// `check` reports everything of a site with errors (its lints read
    /// the site); the others stop at the first stage that found one.
    fn stops_at_errors(self) -> bool {
        self != Mode::Check
    }

    /// Preview cards are drawn (and cached in `.dienhinh/`); not by `check`.
    fn draws_cards(self) -> bool {
        self != Mode::Check
    }

    /// The open data (`/du-lieu/`: JSON, CSV, the workbook) are files for
    /// others to read, with no link or problem in them for `check` to find;
    /// at 100,000 models they were 360 MB and four seconds of its render.
    fn publishes_open_data(self) -> bool {
        self != Mode::Check
    }

    fn indexes(self) -> bool {
        self != Mode::Check
    }

    /// A build writes the forwarding pages its host needs; the others
    /// render every one (the preview server reads no rule file).
    pub fn redirects(self, site: &Site) -> crate::hosts::Redirects {
        match self {
            Mode::Write => render::redirect_plan(site).0,
            Mode::Memory | Mode::Check => crate::hosts::Redirects::ALL,
        }
    }
}

/// A command's side of a run: its mode, and where its pages go.
pub trait Target {
    type Sink: Sink;

    fn mode(&self) -> Mode;

    /// The site is linked; `diagnostics` holds what was found so far, and
    /// takes the command's own findings (`check`'s lints).
    fn linked(&mut self, _site: &Site, _diagnostics: &mut Vec<Diagnostic>) {}

    /// Where the pages go, once the theme is loaded and before anything is
    /// rendered.
    fn sink(&mut self, site: &Site, theme: &Theme) -> Result<Self::Sink, BuildFailure>;
}

/// What a command does with what the render, search and output stages
/// make. Pages arrive from many threads.
pub trait Sink: Sync {
    /// What the output stage leaves (`build`: what it published).
    type Made;

    /// Of the plan's `jobs`, how many the sink may keep from an earlier
    /// run rather than have them rendered (`build`'s page cache,
    /// src/build/pages.rs); asked before the render starts.
    fn prepare(&mut self, _site: &Site, _theme: &Theme, _jobs: &[Job]) -> usize {
        0
    }

    /// Of the plan's `jobs`, those to render; the sink keeps the others'
    /// pages ([`Sink::prepare`]).
    fn to_render(&self, jobs: Vec<Job>) -> Vec<Job> {
        jobs
    }

    /// One job's outputs, as soon as they are made.
    fn page(&self, job: Job, outputs: Vec<Output>);

    /// Every job has rendered without error.
    fn rendered(&mut self) -> Result<(), BuildFailure> {
        Ok(())
    }

    /// The search stage (not in [`Mode::Check`]). It reads the linked
    /// site, never a page: it may run beside the render
    /// ([`search_beside_render`]).
    fn search(&self, _site: &Arc<Site>, _theme: &Theme) -> Result<(), BuildFailure> {
        Ok(())
    }

    /// The output stage: `copies` are the files published as they are
    /// (photos, static files).
    fn output(
        self,
        site: &Site,
        theme: &Theme,
        copies: Vec<Copy>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Self::Made, BuildFailure>;
}

/// What a run made.
pub struct Ran<M> {
    /// Never changed after `link`; shared with whatever indexes it.
    pub site: Arc<Site>,
    /// `None` when `check` stopped before the pages (the site has errors,
    /// or the theme has).
    pub theme: Option<Theme>,
    /// Warnings (in `check`, every problem found).
    pub diagnostics: Vec<Diagnostic>,
    pub images: ImageStats,
    /// What the output stage left; `None` when the run ended before it.
    pub made: Option<M>,
}

type RanFor<T> = Ran<<<T as Target>::Sink as Sink>::Made>;

/// Runs every stage, in order, for `target`.
pub fn run<T: Target>(opts: &BuildOptions, target: &mut T) -> Result<RanFor<T>, BuildFailure> {
    let mode = target.mode();
    let mut lap = Lap::start();
    let linked = read_and_link(opts, mode, &mut lap)?;
    let (site, mut diagnostics, images) = (linked.site, linked.diagnostics, linked.images);
    if mode.stops_at_errors() {
        fail_on_errors(&mut diagnostics)?;
    }
    target.linked(&site, &mut diagnostics);
    if mode == Mode::Check {
        // Timed apart, so the theme's lap stays the theme's.
        lap.mark("lints");
    }
    let site = Arc::new(site);
    let ran = |site, theme, diagnostics, made| Ran {
        site,
        theme,
        diagnostics,
        images,
        made,
    };
    // Rendering a site with errors could meet half-resolved references,
    // and `build` would not render it either: `check` stops here.
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(ran(site, None, diagnostics, None));
    }
    let theme = match Theme::load(&opts.root, &site.config) {
        Ok(t) => t,
        Err(d) if mode.stops_at_errors() => return Err(BuildFailure { diagnostics: d }),
        Err(d) => {
            diagnostics.extend(d);
            return Ok(ran(site, None, diagnostics, None));
        }
    };
    lap.mark("theme");
    let mut sink = target.sink(&site, &theme)?;
    let jobs = planned_jobs(mode, &site);
    let unchanged = sink.prepare(&site, &theme, &jobs);
    let beside =
        mode.indexes() && search_beside_render(jobs.len().saturating_sub(unchanged), jobs.len());
    let (problems, searched) = {
        let sink = &sink;
        let render = || render_all(opts, mode, &site, &theme, sink, jobs);
        if beside {
            let render_then_wait = || {
                let problems = render();
                // What the build waits for now.
                opts.progress.stage(Stage::Search, None);
                problems
            };
            let (problems, searched) = rayon::join(render_then_wait, || sink.search(&site, &theme));
            (problems, Some(searched))
        } else {
            (render(), None)
        }
    };
    diagnostics.extend(problems);
    if mode.stops_at_errors() {
        fail_on_errors(&mut diagnostics)?;
    }
    sink.rendered()?;
    match searched {
        Some(searched) => {
            searched?;
            lap.mark("render and search");
        }
        None => {
            lap.mark("render");
            if mode.indexes() {
                opts.progress.stage(Stage::Search, None);
                sink.search(&site, &theme)?;
                lap.mark("search");
            }
        }
    }
    opts.progress.stage(Stage::Write, None);
    let made = sink.output(&site, &theme, copies(&site, &theme), &mut diagnostics)?;
    Ok(ran(site, Some(theme), diagnostics, Some(made)))
}

/// The jobs of the plan the mode renders.
fn planned_jobs(mode: Mode, site: &Site) -> Vec<Job> {
    render::plan(site)
        .into_iter()
        .filter(|j| mode.draws_cards() || !matches!(j, Job::Card(_)))
        .filter(|j| mode.publishes_open_data() || !matches!(j, Job::OpenData(_)))
        .collect()
}

/// Whether the search stage runs beside the render rather than after it:
/// when the sink kept most pages from an earlier run, the render mostly
/// waits on the file system (checking the pages it keeps) while the search
/// stage computes: at 10,000 models a rebuild after one edit went from
/// 1.7 to 1.5 s (bench/RESULTS.md, session 18). Not when most pages are rendered: the render then keeps
/// both cores busy on its own, and the two stages' memory at once would
/// raise the build's peak.
fn search_beside_render(rendered: usize, planned: usize) -> bool {
    rendered.saturating_mul(4) <= planned
}

/// The render stage: each of `jobs` the sink does not keep rendered, its
/// pages handed to `sink` as they are made. Returns the problems found.
fn render_all(
    opts: &BuildOptions,
    mode: Mode,
    site: &Site,
    theme: &Theme,
    sink: &impl Sink,
    jobs: Vec<Job>,
) -> Vec<Diagnostic> {
    let jobs = sink.to_render(jobs);
    opts.progress.stage(Stage::Render, Some(jobs.len()));
    let problems = Mutex::new(Vec::new());
    render::render(site, theme, &jobs, mode.redirects(site), &|job, out| {
        match out {
            Ok(outputs) => sink.page(job, outputs),
            Err(d) => problems.lock().unwrap_or_else(|e| e.into_inner()).push(d),
        }
        opts.progress.tick();
    });
    problems.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The stages up to `link`, and what they found.
struct Linked {
    site: Site,
    diagnostics: Vec<Diagnostic>,
    images: ImageStats,
}

/// config → load → validate → images → link, without stopping at errors:
/// the site holds every document that was valid. Only an unreadable
/// `site.yaml` stops here.
fn read_and_link(opts: &BuildOptions, mode: Mode, lap: &mut Lap) -> Result<Linked, BuildFailure> {
    let (config, mut diagnostics) = settings(opts)?;
    opts.progress.stage(Stage::Load, None);
    let (loaded, found) = load::load(&opts.root, &config);
    diagnostics.splice(0..0, found);
    lap.mark("load");
    opts.progress.stage(Stage::Validate, None);
    let (mut docs, invalid) = validate::validate(&opts.root, &config, loaded);
    diagnostics.extend(invalid);
    lap.mark("validate");
    // A document with an error is left out of the site but still exists:
    // references to it and its locked addresses are not reported again.
    let failed = FailedDocs::collect(&opts.root, &config, &diagnostics);
    // A site that will not be built is not worth encoding photos for.
    let mut images = ImageStats::default();
    if mode.photos() && !diagnostics.iter().any(Diagnostic::is_error) {
        opts.progress.stage(Stage::Images, None);
        match images::process(&opts.root, &config, &mut docs, opts.drafts) {
            Ok(stats) => images = stats,
            Err(refused) => diagnostics.extend(refused),
        }
        lap.mark("images");
    }
    opts.progress.stage(Stage::Link, None);
    let (site, broken) = link::link_knowing(config, opts.root.clone(), docs, opts.drafts, &failed);
    diagnostics.extend(broken);
    lap.mark("link");
    diagnostics.extend(urls_lock::vanished_knowing(&site, &failed));
    lap.mark("urls-lock-check");
    Ok(Linked {
        site,
        diagnostics,
        images,
    })
}

/// The config stage: `site.yaml` with the command line's address, and
/// what is wrong with its address or logo (warnings).
fn settings(opts: &BuildOptions) -> Result<(Config, Vec<Diagnostic>), BuildFailure> {
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
    Ok((config, placeholder.into_iter().chain(logo).collect()))
}

/// Load, validate and link, photos left as they are: the site with its
/// warnings, or every error found (`export`, and tests that read a site).
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), BuildFailure> {
    let (site, mut diagnostics) = assemble(opts)?;
    fail_on_errors(&mut diagnostics)?;
    Ok((site, diagnostics))
}

/// [`load_site`] without stopping at errors: the site holds every
/// document that was valid, beside all diagnostics (`import` checks what
/// it wrote). Only an unreadable `site.yaml` stops here.
pub fn assemble(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), BuildFailure> {
    let linked = read_and_link(opts, Mode::Check, &mut Lap::start())?;
    Ok((linked.site, linked.diagnostics))
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
