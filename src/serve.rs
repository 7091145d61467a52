//! `dienhinh serve`: the site built into memory and served on this machine,
//! rebuilt on every change with the browser reloaded live.
//!
//! Nothing is written to disk. Pages live in a map from site path to bytes;
//! static files and images are read from where they are, found through the
//! same map, so a request can never name a file outside the site. A change
//! to content files re-reads those files alone: the edited page is
//! re-rendered first and the browser told at once; then the site is linked
//! again from the documents kept in memory and only the render jobs whose
//! inputs changed run (what each job reads is declared by the render plan,
//! `render::reads`); the search index follows on
//! its own thread. A build error keeps the last good pages and is shown
//! over them in the browser.
//!
//! Requests are answered in `src/serve/http.rs` (hyper, with bounded
//! connections and request heads and a `Host` check; why not tiny_http is
//! said there). The site folder is watched by its canonical path, whatever
//! name it was given (see `watch`).

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::core::Lang;
use crate::core::Output;
use crate::diagnostic::{render_report_brief, Code, Diagnostic};
use crate::load::{self, rel_path, CONTENT_DIR};
use crate::output::Copy;
use crate::pipeline::{self, BuildOptions, Mode, Sink, Target};
use crate::render::{self, DocDigests, Job, JobKey, Loaded};
use crate::site::Site;
use crate::theme::Theme;
use crate::validate::{self, Document};
use crate::{link, urls_lock};

mod http;

/// The path of the live-reload event stream. Content cannot take it: it
/// starts with `_` and has no `index.html`.
pub const EVENTS_PATH: &str = "/__dienhinh/events";

/// Saves usually arrive as several file-system events; this gathers them.
const DEBOUNCE: Duration = Duration::from_millis(20);

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `127.0.0.1:1111`; port 0 picks a free port.
    pub addr: String,
    pub drafts: bool,
    pub open: bool,
    pub lang: Option<Lang>,
    pub color: bool,
}

/// Everything the server answers from.
#[derive(Default)]
struct Pages {
    files: HashMap<String, Arc<Vec<u8>>>,
    /// Site path → file on disk (static files, images).
    copies: HashMap<String, PathBuf>,
    /// The last build's errors, shown over every page until fixed.
    overlay: Option<String>,
}

struct Shared {
    pages: RwLock<Pages>,
    /// One queue per open page's event stream.
    clients: Mutex<Vec<tokio::sync::mpsc::Sender<String>>>,
}

impl Shared {
    /// Sends an SSE event to every open page, forgetting closed ones and
    /// ones whose queue is full (a page that reads nothing; it reconnects
    /// if it comes back).
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.try_send(msg.clone()).is_ok());
        }
    }
}

/// Binds, builds, serves and watches until the process ends. The error
/// is the message to print, in the chosen language.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    crate::memory::keep_freed_pages();
    let lang = opts.lang.unwrap_or(Lang::Vi);
    let addr = &opts.addr;
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        crate::tr!("không mở được {addr}: {e}", "cannot listen on {addr}: {e}")
            .get(lang)
            .to_string()
    })?;
    let local = listener.local_addr().map_err(|e| format!("{addr}: {e}"))?;
    let home = home_address(local);
    let url = format!("http://{home}/");
    let mut build_opts = BuildOptions::new(&opts.root);
    build_opts.drafts = opts.drafts;
    build_opts.base_url = Some(url.clone());
    let shared = Arc::new(Shared {
        pages: RwLock::new(Pages::default()),
        clients: Mutex::new(Vec::new()),
    });
    let mut builder = Builder {
        opts: build_opts,
        shared: Arc::clone(&shared),
        lang: opts.lang,
        color: opts.color,
        current: None,
        search: search_thread(Arc::clone(&shared), lang),
        loads: 0,
    };
    let started = Instant::now();
    let pages = builder.full(started).map(|(n, _)| n);
    let ms = started.elapsed().as_millis();
    let said = builder.lang(None);
    // Watching before the address is given: "pages reload when files
    // change" is true from the moment it is printed.
    let _watcher = watch(&opts.root, builder).map_err(|e| {
        let root = crate::core::escape::for_terminal(&opts.root.to_string_lossy()).into_owned();
        crate::tr!(
            "không theo dõi được thư mục {root}: {e}",
            "cannot watch the folder {root}: {e}"
        )
        .get(lang)
        .to_string()
    })?;
    if let Some(n) = pages {
        say(
            said,
            format!("Đã dựng {n} trang trong bộ nhớ trong {ms} ms."),
            format!("Built {n} pages in memory in {ms} ms."),
        );
    }
    say(
        said,
        format!("Đang phục vụ tại {url} (Ctrl+C để dừng); trang tự tải lại khi tệp thay đổi."),
        format!("Serving at {url} (Ctrl+C to stop); pages reload when files change."),
    );
    warn_if_visible(local, lang);
    if opts.open {
        open_browser(&url);
    }
    let config = http::Config { base: home, lang };
    http::serve(listener, shared, config).map_err(|e| e.to_string())
}

/// The address links and the terminal give: the bound one, or loopback
/// when bound to every interface (`0.0.0.0`, `::`), which it includes.
fn home_address(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), local.port())
        }
        _ => local,
    }
}

/// Bound beyond loopback, the preview (drafts too, with `--drafts`) can be
/// read by anyone on the network: say so, with the addresses to use.
fn warn_if_visible(local: SocketAddr, lang: Lang) {
    if local.ip().is_loopback() {
        return;
    }
    let ips = if local.ip().is_unspecified() {
        http::own_addresses()
            .into_iter()
            .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
            .filter(|ip| local.is_ipv6() || ip.is_ipv4())
            .collect()
    } else {
        vec![local.ip()]
    };
    let urls: Vec<String> = ips
        .into_iter()
        .map(|ip| format!("http://{}/", SocketAddr::new(ip, local.port())))
        .collect();
    let at = urls.join(", ");
    let text = if urls.is_empty() {
        crate::tr!(
            "⚠ Bản xem trước mở cho mạng (--bind {local}): mọi máy trong mạng đều xem được. Bỏ --bind để chỉ máy này xem.",
            "⚠ The preview is open to the network (--bind {local}): any machine on it can see it. Leave out --bind to keep it to this machine.",
            local = local.ip()
        )
    } else {
        crate::tr!(
            "⚠ Bản xem trước mở cho mạng: mọi máy trong mạng đều xem được tại {at}. Bỏ --bind để chỉ máy này xem.",
            "⚠ The preview is visible on the network: any machine on it can see it at {at}. Leave out --bind to keep it to this machine."
        )
    };
    say(lang, text.vi().to_string(), text.en().to_string());
}

/// `fe80::/10`: usable only with an interface named, so not worth showing.
fn is_link_local(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80)
}

struct Builder {
    opts: BuildOptions,
    shared: Arc<Shared>,
    lang: Option<Lang>,
    color: bool,
    /// The last site that built: edits are applied to it.
    current: Option<Ready>,
    /// Sites to index for search, on a thread of their own.
    search: mpsc::Sender<ToIndex>,
    /// How many times the settings and the theme were loaded: a job's
    /// reads of either are numbered by it (they change only in a full
    /// build, which loads them again).
    loads: u64,
}

/// A site built and rendered, ready for the next edit.
struct Ready {
    /// Shared with the search thread while it indexes this site.
    site: Arc<Site>,
    theme: Theme,
    warnings: Vec<Diagnostic>,
    /// Per render job: the number of what it read when it last ran
    /// (`render::reads`) and the files it wrote then.
    rendered: HashMap<JobKey, (u64, Vec<String>)>,
    digests: DocDigests,
    /// The settings and theme this site was rendered with.
    loaded: Loaded,
}

/// Where to see every problem when `serve` shows only the first of a kind:
/// its own output has no `--verbose`.
fn see_all() -> crate::diagnostic::Text {
    crate::tr!(
        "chạy `dienhinh check --format json` để xem hết",
        "run `dienhinh check --format json` to see them all"
    )
}

impl Builder {
    fn lang(&self, site: Option<&Site>) -> Lang {
        self.lang
            .or(site.map(|s| s.config.lang))
            .unwrap_or(Lang::Vi)
    }

    fn say(&self, vi: String, en: String) {
        say(self.lang(None), vi, en);
    }

    fn show_errors(&self, diagnostics: &[Diagnostic]) {
        let lang = self.lang(None);
        eprint!(
            "{}",
            render_report_brief(diagnostics, self.color, lang, &see_all())
        );
        let plain = render_report_brief(diagnostics, false, lang, &see_all());
        if let Ok(mut p) = self.shared.pages.write() {
            p.overlay = Some(plain.clone());
        }
        self.shared.broadcast(
            "build-error",
            &serde_json::to_string(&plain).unwrap_or_default(),
        );
    }

    fn show_warnings(&self, warnings: &[Diagnostic]) {
        if !warnings.is_empty() {
            let lang = self.lang(None);
            eprint!(
                "{}",
                render_report_brief(warnings, self.color, lang, &see_all())
            );
        }
    }

    /// Builds everything from disk and swaps it in. Returns the number of
    /// pages and the paths whose bytes changed (`*` when the error overlay
    /// went away), or `None` after an error, which is shown.
    fn full(&mut self, seen: Instant) -> Option<(usize, Vec<String>)> {
        self.current = None;
        self.loads += 1;
        let mut serving = Serving {
            search: self.search.clone(),
            seen,
        };
        let ran = match pipeline::run(&self.opts, &mut serving) {
            Ok(ran) => ran,
            Err(f) => {
                self.show_errors(&f.diagnostics);
                return None;
            }
        };
        // In memory the run always reaches its output stage.
        let (Some(theme), Some(InMemory { jobs, copies })) = (ran.theme, ran.made) else {
            return None;
        };
        let loaded = Loaded {
            config: self.loads,
            theme: self.loads,
        };
        let mut ready = Ready {
            site: ran.site,
            theme,
            warnings: ran.diagnostics,
            rendered: HashMap::new(),
            digests: DocDigests::default(),
            loaded,
        };
        let numbers = numbers(&mut ready, jobs.iter().map(|(j, _)| *j));
        let mut outputs = Vec::new();
        for ((key, number), (_, o)) in numbers.into_iter().zip(jobs) {
            let paths = o.iter().flat_map(paths_of).cloned().collect();
            ready.rendered.insert(key, (number, paths));
            outputs.extend(o);
        }
        self.show_warnings(&ready.warnings);
        let pages = outputs.iter().filter(|o| o.html).count();
        let mut p = self.shared.pages.write().ok()?;
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(outputs.len());
        for (path, bytes) in outputs.into_iter().flat_map(served) {
            if p.files.get(&path).is_none_or(|old| *old != bytes) {
                changed.push(path.clone());
            }
            files.insert(path, bytes);
        }
        // The search index is swapped by its own thread.
        for (k, v) in &p.files {
            if k.starts_with(crate::urls::SEARCH_FILES) {
                files.insert(k.clone(), Arc::clone(v));
            } else if !files.contains_key(k) {
                changed.push(k.clone());
            }
        }
        p.files = files;
        p.copies = copies;
        if p.overlay.take().is_some() {
            changed.push("*".into());
        }
        drop(p);
        self.current = Some(ready);
        Some((pages, changed))
    }

    /// Shares the site with the search thread, which indexes the newest
    /// one it has been given.
    fn index_later(&self, ready: &Ready, seen: Instant) {
        let _ = self.search.send(ToIndex {
            site: Arc::clone(&ready.site),
            labels: crate::search::document::TypeLabels::from_strings(&ready.theme.strings),
            seen,
        });
    }

    /// Reads and checks one saved content file alone, photos included:
    /// the document (`None` when it is gone or is a draft not shown) and
    /// its warnings. `None` on an error, or for a file `load` would not
    /// take as it is: the whole site is then rebuilt from disk, which
    /// reports it exactly as `build` does.
    fn read_document(&self, config: &crate::config::Config, rel: &str) -> Option<Fresh> {
        let path = self.opts.root.join(rel);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Some((None, Vec::new())),
            Err(_) => return None,
        };
        // What `load` would skip or refuse, it decides.
        if !meta.is_file()
            || meta.len() > crate::core::files::MAX_FILE_BYTES
            || rel.split('/').any(|c| c.starts_with('.'))
        {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        let loaded = load::load_bytes(rel, bytes, config).ok()?;
        let (docs, diagnostics) = validate::validate(&self.opts.root, config, vec![loaded]);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        let doc = docs.into_iter().next()?;
        if doc_of(&doc).draft && !self.opts.drafts {
            return Some((None, diagnostics));
        }
        Some((Some(self.with_photos(config, doc)?), diagnostics))
    }

    /// Resizes (or finds in the cache) the photos of one document, through
    /// the same [`crate::images::process`] as a build's images stage.
    fn with_photos(&self, config: &crate::config::Config, doc: Document) -> Option<Document> {
        let mut docs = [doc];
        crate::images::process(&self.opts.root, config, &mut docs, self.opts.drafts).ok()?;
        let [doc] = docs;
        Some(doc)
    }

    /// The edited document's own page(s), before anything else: it takes
    /// the place of its old version in the last good site (references to
    /// and from it are as they were) and only its job is rendered. Returns
    /// the paths whose bytes changed; leaves `doc` alone when it is new to
    /// the site.
    fn render_first(&mut self, rel: &str, doc: &mut Option<Document>) -> Option<Vec<String>> {
        let ready = self.current.as_mut()?;
        // A copy only if the search thread still indexes this site.
        let site = Arc::make_mut(&mut ready.site);
        let same = |d: &crate::site::Doc| d.file.rel_path == rel;
        let job = match doc.as_ref()? {
            Document::Model(_) => Job::Model(site.models.iter().position(|o| same(&o.doc))?),
            Document::Ceremony(_) => {
                Job::Ceremony(site.ceremonies.iter().position(|o| same(&o.doc))?)
            }
            Document::Page(_) => {
                let i = site.pages.iter().position(|o| same(&o.doc))?;
                // The home page's text is shown by the home job.
                if site.pages[i].doc.path.is_empty() {
                    Job::Home
                } else {
                    Job::Page(i)
                }
            }
        };
        match (doc.take()?, job) {
            (Document::Model(m), Job::Model(i)) => site.models[i] = m,
            (Document::Ceremony(c), Job::Ceremony(i)) => site.ceremonies[i] = c,
            (Document::Page(p), Job::Page(i)) => site.pages[i] = p,
            (Document::Page(p), _) => {
                let i = site.pages.iter().position(|o| o.doc.path.is_empty())?;
                site.pages[i] = p;
            }
            _ => return None,
        }
        let mut outputs = Vec::new();
        for (_, result) in render_now(ready, &[job]) {
            match result {
                Ok(o) => outputs.extend(o),
                Err(_) => return Some(Vec::new()),
            }
        }
        Some(self.put(outputs, &[]))
    }

    /// Swaps `outputs` in and `gone` out of the served files; returns the
    /// paths whose bytes changed.
    fn put(&self, outputs: Vec<crate::core::Output>, gone: &[String]) -> Vec<String> {
        let Ok(mut p) = self.shared.pages.write() else {
            return Vec::new();
        };
        let mut changed = Vec::new();
        let written: HashSet<&str> = outputs
            .iter()
            .flat_map(paths_of)
            .map(String::as_str)
            .collect();
        for path in gone {
            if !written.contains(path.as_str()) && p.files.remove(path).is_some() {
                changed.push(path.clone());
            }
        }
        for (path, bytes) in outputs.into_iter().flat_map(served) {
            if p.files.get(&path).is_none_or(|old| *old != bytes) {
                changed.push(path.clone());
                p.files.insert(path, bytes);
            }
        }
        changed
    }

    /// Content files saved (changed, added or deleted) with the site
    /// otherwise as it was: those files alone are read and checked, the
    /// site is linked again from the documents kept in memory, and only
    /// the render jobs whose inputs changed run. The edited page goes
    /// first. Returns `false` when the whole site must be rebuilt instead
    /// (no good site yet, an error to report, a file `load` would skip).
    fn incremental(&mut self, files: &[String], seen: Instant, shown: &str) -> bool {
        let overlay = self
            .shared
            .pages
            .read()
            .map_or(true, |p| p.overlay.is_some());
        // The overlay goes only when the whole site is good again.
        if overlay {
            return false;
        }
        let Some(config) = self.current.as_ref().map(|r| r.site.config.clone()) else {
            return false;
        };
        let mut fresh: Vec<(String, Option<Document>)> = Vec::new();
        let mut warnings = Vec::new();
        for f in files {
            let Some((doc, w)) = self.read_document(&config, f) else {
                return false;
            };
            warnings.extend(w);
            fresh.push((f.clone(), doc));
        }
        let mut first_ms = None;
        let mut sent: Vec<String> = Vec::new();
        let mut placed: Option<String> = None;
        if let [(rel, doc)] = fresh.as_mut_slice() {
            if let Some(changed) = self.render_first(rel, doc) {
                placed = Some(rel.clone());
                if !changed.is_empty() {
                    self.shared.broadcast("reload", &urls_json(&changed));
                    first_ms = Some(seen.elapsed().as_millis());
                    sent = changed;
                }
            }
        }

        let Some(old) = self.current.take() else {
            return false;
        };
        let link_started = Instant::now();
        let replaced: HashSet<&str> = files
            .iter()
            .map(String::as_str)
            .filter(|f| placed.as_deref() != Some(*f))
            .collect();
        let Site {
            config,
            root,
            models,
            ceremonies,
            pages,
            ..
        } = Arc::try_unwrap(old.site).unwrap_or_else(|shared| (*shared).clone());
        let mut docs: Vec<Document> = models
            .into_iter()
            .map(Document::Model)
            .chain(ceremonies.into_iter().map(Document::Ceremony))
            .chain(pages.into_iter().map(Document::Page))
            .filter(|d| !replaced.contains(doc_of(d).file.rel_path.as_str()))
            .collect();
        docs.extend(fresh.into_iter().filter_map(|(_, d)| d));
        let (site, link_diagnostics) = link::link(config, root, docs, self.opts.drafts);
        if link_diagnostics.iter().any(Diagnostic::is_error) {
            return false;
        }
        let mut kept = old.warnings;
        kept.retain(|w| !files.contains(&w.file) && w.code != Code::LostUrl);
        warnings.extend(link_diagnostics);
        warnings.extend(urls_lock::vanished(&site));
        self.show_warnings(&warnings);
        kept.extend(warnings);
        let mut ready = Ready {
            site: Arc::new(site),
            theme: old.theme,
            warnings: kept,
            rendered: HashMap::new(),
            digests: old.digests,
            loaded: old.loaded,
        };
        let link_ms = link_started.elapsed().as_millis();
        // Search needs the linked site only: it is indexed while the pages
        // that depend on the change are rendered.
        self.index_later(&ready, seen);

        let diff_started = Instant::now();
        let jobs = render::plan(&ready.site);
        let fps = numbers(&mut ready, jobs.iter().copied());
        let mut previous = old.rendered;
        let mut todo = Vec::new();
        let mut todo_keys = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        for (job, (key, fp)) in jobs.iter().zip(fps) {
            match previous.remove(&key) {
                Some((was, paths)) if was == fp => {
                    ready.rendered.insert(key, (fp, paths));
                }
                was => {
                    gone.extend(was.map(|(_, paths)| paths).unwrap_or_default());
                    todo.push(*job);
                    todo_keys.push((key, fp));
                }
            }
        }
        gone.extend(previous.into_values().flat_map(|(_, paths)| paths));
        let diff_ms = diff_started.elapsed().as_millis();

        let render_started = Instant::now();
        let results = render_now(&ready, &todo);
        let render_ms = render_started.elapsed().as_millis();
        let mut outputs = Vec::new();
        let mut errors = Vec::new();
        for ((key, fp), (_, result)) in todo_keys.into_iter().zip(results) {
            match result {
                Ok(o) => {
                    ready
                        .rendered
                        .insert(key, (fp, o.iter().flat_map(paths_of).cloned().collect()));
                    outputs.extend(o);
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            // The next change rebuilds everything.
            self.show_errors(&errors);
            return true;
        }
        let copies = served_copies(pipeline::copies(&ready.site, &ready.theme));
        let changed = self.put(outputs, &gone);
        if let Ok(mut p) = self.shared.pages.write() {
            p.copies = copies;
        }
        let rest: Vec<String> = changed.into_iter().filter(|c| !sent.contains(c)).collect();
        if !rest.is_empty() {
            self.shared.broadcast("reload", &urls_json(&rest));
        }
        let pages_ms = seen.elapsed().as_millis();
        let (n, k) = (rest.len(), todo.len());
        let first = first_ms.map_or_else(String::new, |ms| match self.lang(None) {
            Lang::Vi => format!("trang đã sửa tải lại sau {ms} ms; "),
            Lang::En => format!("edited page reloaded after {ms} ms; "),
        });
        self.say(
            format!("↻ {shown}: {first}{n} tệp liên quan cập nhật sau {pages_ms} ms ({k} việc dựng lại; liên kết {link_ms} ms, so vết {diff_ms} ms, dựng {render_ms} ms); chỉ mục tìm kiếm đang dựng lại."),
            format!("↻ {shown}: {first}{n} dependent files updated after {pages_ms} ms ({k} jobs re-rendered; link {link_ms} ms, fingerprints {diff_ms} ms, render {render_ms} ms); search index being rebuilt."),
        );
        self.current = Some(ready);
        true
    }

    /// One batch of changes: content files alone take the incremental
    /// path; anything else (site.yaml, templates, static files, photos)
    /// rebuilds the whole site.
    fn on_change(&mut self, rels: &[String], seen: Instant) {
        let shown = crate::core::escape::for_terminal(&rels.join(", ")).into_owned();
        let docs_only = rels
            .iter()
            .all(|r| r.starts_with(&format!("{CONTENT_DIR}/")) && r.ends_with(".md"));
        if docs_only && self.incremental(rels, seen, &shown) {
            return;
        }
        let Some((_, changed)) = self.full(seen) else {
            self.say(
                format!("✗ {shown}: lỗi, trang cũ được giữ; sửa tệp là trang tự hiện lại."),
                format!("✗ {shown}: error; the last good pages stay until the file is fixed."),
            );
            return;
        };
        let all = !docs_only || changed.iter().any(|c| c == "*");
        let data = if all {
            "[\"*\"]".to_string()
        } else {
            urls_json(&changed)
        };
        self.shared.broadcast("reload", &data);
        let ms = seen.elapsed().as_millis();
        let n = changed.len();
        self.say(
            format!("↻ {shown}: dựng lại cả trang; {n} tệp cập nhật, tải lại sau {ms} ms; chỉ mục tìm kiếm đang dựng lại."),
            format!("↻ {shown}: whole site rebuilt; {n} files updated, reloaded after {ms} ms; search index being rebuilt."),
        );
    }
}

fn say(lang: Lang, vi: String, en: String) {
    match lang {
        Lang::Vi => eprintln!("{vi}"),
        Lang::En => eprintln!("{en}"),
    }
}

fn doc_of(d: &Document) -> &crate::site::Doc {
    match d {
        Document::Model(m) => &m.doc,
        Document::Ceremony(c) => &c.doc,
        Document::Page(p) => &p.doc,
    }
}

/// The key of each job and the number of what it reads, in parallel.
fn numbers(ready: &mut Ready, jobs: impl Iterator<Item = Job>) -> Vec<(JobKey, u64)> {
    let site = &ready.site;
    let digests = ready.digests.of(site, ready.loaded);
    let jobs: Vec<Job> = jobs.collect();
    jobs.par_iter()
        .map(|&j| (render::key(site, j), digests.of_job(j)))
        .collect()
}

/// Renders `jobs` as the pipeline's render stage does in memory, each
/// job's result beside it, in the order of `jobs`.
fn render_now(ready: &Ready, jobs: &[Job]) -> Vec<(Job, Result<Vec<Output>, Diagnostic>)> {
    let done = Mutex::new(HashMap::with_capacity(jobs.len()));
    let redirects = Mode::Memory.redirects(&ready.site);
    render::render(&ready.site, &ready.theme, jobs, redirects, &|job, out| {
        done.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(job, out);
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    jobs.iter()
        .filter_map(|j| done.remove(j).map(|out| (*j, out)))
        .collect()
}

/// `serve`'s side of the pipeline: pages kept in memory by job, the
/// search index made on its own thread.
struct Serving {
    search: mpsc::Sender<ToIndex>,
    seen: Instant,
}

impl Target for Serving {
    type Sink = Kept;

    fn mode(&self) -> Mode {
        Mode::Memory
    }

    fn sink(&mut self, _site: &Site, _theme: &Theme) -> Result<Kept, pipeline::BuildFailure> {
        Ok(Kept {
            jobs: Mutex::new(Vec::new()),
            search: self.search.clone(),
            seen: self.seen,
        })
    }
}

/// Each job's pages, as the render stage made them.
struct Kept {
    jobs: Mutex<Vec<(Job, Vec<Output>)>>,
    search: mpsc::Sender<ToIndex>,
    seen: Instant,
}

/// What a run in memory made: each job's pages, and the files served as
/// they are (site path → file on disk).
struct InMemory {
    jobs: Vec<(Job, Vec<Output>)>,
    copies: HashMap<String, PathBuf>,
}

impl Sink for Kept {
    type Made = InMemory;

    fn page(&self, job: Job, outputs: Vec<Output>) {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((job, outputs));
    }

    /// Every score depends on every document: the site is indexed on the
    /// search thread, while the pages are served.
    fn search(&self, site: &Arc<Site>, theme: &Theme) -> Result<(), pipeline::BuildFailure> {
        let _ = self.search.send(ToIndex {
            site: Arc::clone(site),
            labels: crate::search::document::TypeLabels::from_strings(&theme.strings),
            seen: self.seen,
        });
        Ok(())
    }

    fn output(
        self,
        _site: &Site,
        _theme: &Theme,
        copies: Vec<Copy>,
        _diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<InMemory, pipeline::BuildFailure> {
        Ok(InMemory {
            jobs: self.jobs.into_inner().unwrap_or_else(|e| e.into_inner()),
            copies: served_copies(copies),
        })
    }
}

/// A content file as read again: its document and warnings.
type Fresh = (Option<Document>, Vec<Diagnostic>);

/// Site path → file on disk for static files and photos.
fn served_copies(copies: Vec<Copy>) -> HashMap<String, PathBuf> {
    copies.into_iter().map(|c| (c.to, c.from)).collect()
}

/// A site to index for search, and when the change that made it was seen.
struct ToIndex {
    site: Arc<Site>,
    /// The document kinds' names in the theme's strings.
    labels: crate::search::document::TypeLabels,
    seen: Instant,
}

/// The search index as `build` makes it, so search works in preview. Every
/// score depends on every document, so it runs on its own thread (after a
/// save, as soon as the site is linked, beside the rendering of dependent
/// pages), always on the newest site it has been given, and is swapped in
/// whole; [`crate::search::Preview`] keeps what a save did not change, so
/// it follows a save within a second even on a large site.
fn search_thread(shared: Arc<Shared>, lang: Lang) -> mpsc::Sender<ToIndex> {
    let (tx, rx) = mpsc::channel::<ToIndex>();
    std::thread::spawn(move || {
        let mut preview = crate::search::Preview::default();
        while let Ok(mut job) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
            let started = Instant::now();
            let k = swap_index(&shared, preview.build(&job.site, &job.labels));
            if k > 0 {
                // The search page reads the index; other pages need no reload.
                shared.broadcast(
                    "reload",
                    &urls_json(&[format!("{}index.html", crate::urls::SEARCH_PAGE)]),
                );
            }
            let (ms, own, n) = (
                job.seen.elapsed().as_millis(),
                started.elapsed().as_millis(),
                preview.analysed(),
            );
            say(
                lang,
                format!("⌕ chỉ mục tìm kiếm: {k} tệp cập nhật sau {ms} ms (dựng trong {own} ms, phân tích lại {n} tài liệu)."),
                format!("⌕ search index: {k} files updated after {ms} ms (built in {own} ms, {n} documents analysed)."),
            );
        }
    });
    tx
}

/// The paths an output is served at: its own and those that publish the
/// same bytes (a short link serves its document's page, `Output::also`).
fn paths_of(o: &crate::core::Output) -> impl Iterator<Item = &String> {
    std::iter::once(&o.path).chain(&o.also)
}

/// An output as the server holds it: one copy of its bytes at each of
/// its paths.
fn served(o: crate::core::Output) -> Vec<(String, Arc<Vec<u8>>)> {
    let bytes = Arc::new(o.bytes);
    let mut out: Vec<(String, Arc<Vec<u8>>)> =
        o.also.into_iter().map(|a| (a, bytes.clone())).collect();
    out.push((o.path, bytes));
    out
}

/// Replaces the served search index; returns how many files changed.
fn swap_index(shared: &Shared, index: Vec<crate::core::Output>) -> usize {
    let Ok(mut p) = shared.pages.write() else {
        return 0;
    };
    let fresh: HashMap<String, Arc<Vec<u8>>> = index
        .into_iter()
        .map(|o| (o.path, Arc::new(o.bytes)))
        .collect();
    let before = p.files.len();
    p.files
        .retain(|k, _| !k.starts_with(crate::urls::SEARCH_FILES) || fresh.contains_key(k));
    let mut changed = before - p.files.len();
    for (k, v) in fresh {
        if p.files.get(&k).is_none_or(|old| *old != v) {
            changed += 1;
            p.files.insert(k, v);
        }
    }
    changed
}

/// Site paths as the URLs a browser shows (`a/index.html` → `/a/`,
/// `m/k7p2m.html` → `/m/k7p2m`).
fn urls_json(paths: &[String]) -> String {
    let urls: Vec<String> = paths
        .iter()
        .flat_map(|p| {
            let full = format!("/{p}");
            match crate::urls::address_of_file(p) {
                Some(address) => vec![format!("/{address}"), full],
                None => vec![full],
            }
        })
        .collect();
    serde_json::to_string(&urls).unwrap_or_else(|_| "[\"*\"]".into())
}

/// Watches content, templates, static files and `site.yaml`; never the
/// output or build folders, which would only echo our own work.
///
/// The watcher reports absolute paths whatever it was given, so it watches
/// the site's canonical path and each path is made relative to that: the
/// site is then recognised however it was named (`.`, `-C site`, a link),
/// and the editor is shown `content/…` as everywhere else.
fn watch(
    root: &Path,
    mut builder: Builder,
) -> io::Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let root = std::fs::canonicalize(root)?;
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, Some(Duration::from_millis(10)), tx).map_err(io::Error::other)?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(io::Error::other)?;
    for dir in [CONTENT_DIR, "static", "themes"] {
        let d = root.join(dir);
        if d.is_dir() {
            debouncer
                .watch(&d, RecursiveMode::Recursive)
                .map_err(io::Error::other)?;
        }
    }
    std::thread::spawn(move || {
        for result in rx {
            let Ok(events) = result else { continue };
            let mut rels: Vec<String> = Vec::new();
            let mut seen: Option<Instant> = None;
            for e in &events {
                if e.event.kind.is_access() || e.event.kind.is_other() {
                    continue;
                }
                for p in &e.event.paths {
                    let Some(rel) = relevant(&root, p) else {
                        continue;
                    };
                    if !rels.contains(&rel) {
                        rels.push(rel);
                        seen = Some(seen.map_or(e.time, |s: Instant| s.min(e.time)));
                    }
                }
            }
            if let Some(seen) = seen {
                builder.on_change(&rels, seen);
            }
        }
    });
    Ok(debouncer)
}

/// The site-relative path (`content/mo-hinh/a.md`) of a watched path that
/// the site is built from; `None` for anything else.
fn relevant(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Editors' swap and backup files.
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return None;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let wanted = rel == Path::new(CONFIG_FILE)
        || [CONTENT_DIR, "static", "themes"].contains(&first.as_str());
    wanted.then(|| rel_path(root, p))
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("Không mở được trình duyệt; hãy mở {url}");
    }
}

/// Injected into every HTML page in serve mode only: reloads the page when
/// it (or everything) changed, shows build errors over the page.
const LIVE_RELOAD: &str = r#"<script>(function(){var s=new EventSource("/__dienhinh/events");s.addEventListener("reload",function(e){var u=JSON.parse(e.data);if(u.indexOf("*")>=0||u.indexOf(location.pathname)>=0){location.reload()}});s.addEventListener("build-error",function(e){var d=document.getElementById("dienhinh-loi");if(!d){d=document.createElement("pre");d.id="dienhinh-loi";d.style.cssText="position:fixed;inset:0;margin:0;padding:2em;overflow:auto;z-index:2147483647;background:rgba(40,0,0,.94);color:#fff;font:14px/1.45 monospace;white-space:pre-wrap";document.body.appendChild(d)}d.textContent=JSON.parse(e.data)})})();</script>"#;

enum Found {
    Page(String, Arc<Vec<u8>>),
    File(String, PathBuf),
}

/// Finds a request path among the site's files. Only keys of the in-memory
/// map are ever served, so `..` or an absolute path finds nothing.
fn lookup(shared: &Shared, path: &str) -> Option<Found> {
    let key = site_key(path)?;
    let pages = shared.pages.read().ok()?;
    let mut candidates = crate::urls::files_answering(&key);
    // A short link or a list's later page in its old form (`m/<id>/`,
    // `trang/2/`): static hosts forward it by a rule or the 404 page, the
    // preview serves it.
    if let Some(bare) = key.strip_suffix('/').filter(|b| !b.is_empty()) {
        candidates.push(format!("{bare}.html"));
    }
    candidates.into_iter().find_map(|k| {
        if let Some(b) = pages.files.get(&k) {
            // The search page carries the manifest of the index served now
            // (the two are swapped apart: see `search_thread`).
            if k == crate::search::page_file() {
                if let Some(m) = pages.files.get(&crate::search::manifest_file()) {
                    let page = crate::search::inline_manifest(b, m);
                    return Some(Found::Page(k, Arc::new(page)));
                }
            }
            Some(Found::Page(k, Arc::clone(b)))
        } else {
            pages.copies.get(&k).map(|f| Found::File(k, f.clone()))
        }
    })
}

/// The site-relative key of a request path, refusing any that climbs.
pub fn site_key(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    Some(trimmed.to_string())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(site_key("/").as_deref(), Some(""));
        assert_eq!(site_key("/mo-hinh/a/").as_deref(), Some("mo-hinh/a/"));
        assert!(site_key("/../etc/passwd").is_none());
        assert!(site_key("/%2e%2e/etc/passwd").is_none());
        assert!(site_key("/a/..%2f..%2fetc").is_none());
        assert!(site_key("/a%5c..%5cb").is_none());
    }

    #[test]
    fn urls_cover_directory_and_file_forms() {
        let j = urls_json(&["mo-hinh/a/index.html".into(), "style.css".into()]);
        assert_eq!(j, r#"["/mo-hinh/a/","/mo-hinh/a/index.html","/style.css"]"#);
    }
}
