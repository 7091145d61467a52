//! `dienhinh serve`: the site built into memory and served on this machine,
//! rebuilt on every change with the browser reloaded live.
//!
//! Nothing is written to disk. Pages live in a map from site path to bytes;
//! static files and images are read from where they are, found through the
//! same map, so a request can never name a file outside the site. A change
//! to one content file re-renders that document's page first and tells the
//! browser at once, then re-renders the rest and swaps in only the pages
//! whose bytes changed. A build error keeps the last good pages and is
//! shown over them in the browser.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::build::{self, BuildOptions};
use crate::config::{Lang, CONFIG_FILE};
use crate::diagnostic::{render_report_in, Diagnostic};
use crate::load::{self, rel_path, CONTENT_DIR};
use crate::render::{self, Job};
use crate::site::Site;
use crate::theme::Theme;
use crate::validate::{self, Document};

/// The path of the live-reload event stream. Content cannot take it: it
/// starts with `_` and has no `index.html`.
pub const EVENTS_PATH: &str = "/__dienhinh/events";

/// Where the search index lives in the site.
const SEARCH_DIR: &str = "_search/";

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
    clients: Mutex<Vec<mpsc::Sender<String>>>,
}

impl Shared {
    /// Sends an SSE event to every open page, forgetting closed ones.
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(msg.clone()).is_ok());
        }
    }
}

/// Binds, builds, serves and watches until the process ends.
pub fn run(opts: &ServeOptions) -> io::Result<()> {
    let server = Server::http(&opts.addr).map_err(io::Error::other)?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io::Error::other("not an IP address"))?;
    let url = format!("http://{addr}/");
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
    };
    let started = Instant::now();
    let pages = builder.full();
    if let Some(n) = pages {
        let ms = started.elapsed().as_millis();
        builder.say(
            format!("Đã dựng {n} trang trong bộ nhớ trong {ms} ms."),
            format!("Built {n} pages in memory in {ms} ms."),
        );
    }
    builder.say(
        format!("Đang phục vụ tại {url} (Ctrl+C để dừng); trang tự tải lại khi tệp thay đổi."),
        format!("Serving at {url} (Ctrl+C to stop); pages reload when files change."),
    );
    if opts.open {
        open_browser(&url);
    }
    let _watcher = watch(&opts.root, builder)?;
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || handle(&shared, request));
    }
    Ok(())
}

struct Builder {
    opts: BuildOptions,
    shared: Arc<Shared>,
    lang: Option<Lang>,
    color: bool,
    /// The last site that built: the fast path edits it in place.
    current: Option<Ready>,
}

/// A rebuilt site ready to render from.
struct Ready {
    site: Site,
    theme: Theme,
    warnings: Vec<Diagnostic>,
}

impl Builder {
    /// Load, validate and link; on errors show them and keep the old pages.
    fn assemble(&self) -> Option<Ready> {
        let result = build::load_site(&self.opts).and_then(|(mut site, warnings)| {
            let theme = Theme::load(&self.opts.root, &site.config)
                .map_err(|d| build::BuildFailure { diagnostics: d })?;
            // Photos resized as `build` does (cached in .dienhinh/, never public/).
            crate::images::process(&mut site)
                .map_err(|d| build::BuildFailure { diagnostics: d })?;
            Ok(Ready {
                site,
                theme,
                warnings,
            })
        });
        match result {
            Ok(r) => Some(r),
            Err(f) => {
                self.show_errors(&f.diagnostics);
                None
            }
        }
    }

    fn lang(&self, site: Option<&Site>) -> Lang {
        self.lang
            .or(site.map(|s| s.config.lang))
            .unwrap_or(Lang::Vi)
    }

    fn say(&self, vi: String, en: String) {
        match self.lang(None) {
            Lang::Vi => eprintln!("{vi}"),
            Lang::En => eprintln!("{en}"),
        }
    }

    fn show_errors(&self, diagnostics: &[Diagnostic]) {
        let lang = self.lang(None);
        eprint!("{}", render_report_in(diagnostics, self.color, lang));
        let plain = render_report_in(diagnostics, false, lang);
        if let Ok(mut p) = self.shared.pages.write() {
            p.overlay = Some(plain.clone());
        }
        self.shared.broadcast(
            "build-error",
            &serde_json::to_string(&plain).unwrap_or_default(),
        );
    }

    /// Renders everything and swaps it in; returns the number of pages, or
    /// `None` after an error. Returns the paths whose bytes changed too.
    fn full(&mut self) -> Option<usize> {
        let ready = self.assemble()?;
        let pages = self.render_all(&ready).map(|(n, _)| n);
        if pages.is_some() {
            self.index(&ready);
        }
        self.current = Some(ready);
        pages
    }

    fn render_all(&self, ready: &Ready) -> Option<(usize, Vec<String>)> {
        let (outputs, errors) = render::render(&ready.site, &ready.theme);
        if !errors.is_empty() {
            self.show_errors(&errors);
            return None;
        }
        if !ready.warnings.is_empty() {
            let lang = self.lang(Some(&ready.site));
            eprint!("{}", render_report_in(&ready.warnings, self.color, lang));
        }
        let pages = outputs.iter().filter(|o| o.html).count();
        let copies: HashMap<String, PathBuf> = build::copies(&ready.site, &ready.theme)
            .into_iter()
            .map(|c| (c.to, c.from))
            .collect();
        let mut p = self.shared.pages.write().ok()?;
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(outputs.len());
        for o in outputs {
            if p.files.get(&o.path).is_none_or(|old| **old != o.bytes) {
                changed.push(o.path.clone());
            }
            files.insert(o.path, Arc::new(o.bytes));
        }
        // The search index is swapped by `index`, which comes after.
        for (k, v) in &p.files {
            if k.starts_with(SEARCH_DIR) {
                files.insert(k.clone(), Arc::clone(v));
            } else if !files.contains_key(k) {
                changed.push(k.clone());
            }
        }
        p.files = files;
        p.copies = copies;
        let had_errors = p.overlay.take().is_some();
        if had_errors {
            changed.push("*".into());
        }
        Some((pages, changed))
    }

    /// The search index as `build` makes it, so search works in preview;
    /// the slowest part of a rebuild, so it comes after the pages.
    fn index(&self, ready: &Ready) -> Vec<String> {
        let index = match crate::search::build(&ready.site) {
            Ok(index) => index,
            Err(d) => {
                self.show_errors(&[d]);
                return Vec::new();
            }
        };
        let Ok(mut p) = self.shared.pages.write() else {
            return Vec::new();
        };
        let mut changed: Vec<String> = Vec::new();
        let fresh: HashMap<String, Arc<Vec<u8>>> = index
            .into_iter()
            .map(|o| (o.path, Arc::new(o.bytes)))
            .collect();
        p.files.retain(|k, _| {
            let keep = !k.starts_with(SEARCH_DIR) || fresh.contains_key(k);
            if !keep {
                changed.push(k.clone());
            }
            keep
        });
        for (k, v) in fresh {
            if p.files.get(&k).is_none_or(|old| *old != v) {
                changed.push(k.clone());
                p.files.insert(k, v);
            }
        }
        changed
    }

    /// The fast path for one saved document: re-read and check that file
    /// alone, put it in place of its old version in the last good site, and
    /// render its page(s). Pages that list it are brought up to date by the
    /// full pass that follows. Returns the paths whose bytes changed.
    fn render_document(&mut self, file: &str) -> Vec<String> {
        if self
            .shared
            .pages
            .read()
            .map_or(true, |p| p.overlay.is_some())
        {
            // The overlay goes only when the whole site is good again.
            return Vec::new();
        }
        let root = self.opts.root.clone();
        let Some(ready) = self.current.as_mut() else {
            return Vec::new();
        };
        let Some(Ok(loaded)) = load::load_file(&root, &ready.site.config, &root.join(file)) else {
            return Vec::new();
        };
        let (docs, diagnostics) = validate::validate(&root, &ready.site.config, vec![loaded]);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Vec::new();
        }
        let site = &mut ready.site;
        let same = |d: &crate::site::Doc| d.file.rel_path == file;
        let job = match docs.into_iter().next() {
            Some(Document::Model(m)) if !m.doc.draft || self.opts.drafts => {
                site.models.iter().position(|o| same(&o.doc)).map(|i| {
                    site.models[i] = m;
                    Job::Model(i)
                })
            }
            Some(Document::Ceremony(c)) if !c.doc.draft || self.opts.drafts => {
                site.ceremonies.iter().position(|o| same(&o.doc)).map(|i| {
                    site.ceremonies[i] = c;
                    Job::Ceremony(i)
                })
            }
            Some(Document::Page(p)) if !p.doc.draft || self.opts.drafts => {
                site.pages.iter().position(|o| same(&o.doc)).map(|i| {
                    site.pages[i] = p;
                    Job::Page(i)
                })
            }
            _ => None,
        };
        let Some(job) = job else { return Vec::new() };
        let (outputs, errors) = render::render_jobs(&ready.site, &ready.theme, &[job]);
        if !errors.is_empty() {
            return Vec::new();
        }
        let Ok(mut p) = self.shared.pages.write() else {
            return Vec::new();
        };
        let mut changed = Vec::new();
        for o in outputs {
            if p.files.get(&o.path).is_none_or(|old| **old != o.bytes) {
                changed.push(o.path.clone());
                p.files.insert(o.path, Arc::new(o.bytes));
            }
        }
        changed
    }

    /// One batch of changes: the edited document first, then the rest.
    fn on_change(&mut self, paths: &[PathBuf], seen: Instant) {
        let rels: Vec<String> = paths.iter().map(|p| rel_path(&self.opts.root, p)).collect();
        let single_doc = match rels.as_slice() {
            [one] if one.starts_with(&format!("{CONTENT_DIR}/")) && one.ends_with(".md") => {
                Some(one.clone())
            }
            _ => None,
        };
        let shown = rels.join(", ");
        let mut first_ms = None;
        let mut sent: Vec<String> = Vec::new();
        if let Some(file) = &single_doc {
            let changed = self.render_document(file);
            if !changed.is_empty() {
                self.shared.broadcast("reload", &urls_json(&changed));
                first_ms = Some(seen.elapsed().as_millis());
                sent = changed;
            }
        }
        let Some(ready) = self.assemble() else {
            self.say(
                format!("✗ {shown}: lỗi, trang cũ được giữ; sửa tệp là trang tự hiện lại."),
                format!("✗ {shown}: error; the last good pages stay until the file is fixed."),
            );
            return;
        };
        let Some((_, changed)) = self.render_all(&ready) else {
            return;
        };
        let rest: Vec<String> = changed.into_iter().filter(|c| !sent.contains(c)).collect();
        if !rest.is_empty() || sent.is_empty() {
            let all = single_doc.is_none() || rest.iter().any(|c| c == "*");
            let data = if all {
                "[\"*\"]".to_string()
            } else {
                urls_json(&rest)
            };
            self.shared.broadcast("reload", &data);
        }
        let pages_ms = seen.elapsed().as_millis();
        let index = self.index(&ready);
        if !index.is_empty() {
            // The search page reads the index; other pages need no reload.
            self.shared
                .broadcast("reload", &urls_json(&["tim-kiem/index.html".into()]));
        }
        self.current = Some(ready);
        let total_ms = seen.elapsed().as_millis();
        let (n, k) = (rest.len(), index.len());
        match first_ms {
            Some(ms) => self.say(
                format!("↻ {shown}: trang đã sửa tải lại sau {ms} ms; {n} trang liên quan sau {pages_ms} ms; {k} tệp chỉ mục tìm kiếm sau {total_ms} ms."),
                format!("↻ {shown}: edited page reloaded after {ms} ms; {n} dependent files after {pages_ms} ms; {k} search index files after {total_ms} ms."),
            ),
            None => self.say(
                format!("↻ {shown}: {n} tệp cập nhật, tải lại sau {pages_ms} ms; {k} tệp chỉ mục tìm kiếm sau {total_ms} ms."),
                format!("↻ {shown}: {n} files updated, reloaded after {pages_ms} ms; {k} search index files after {total_ms} ms."),
            ),
        }
    }
}

/// Site paths as the URLs a browser shows (`a/index.html` → `/a/`).
fn urls_json(paths: &[String]) -> String {
    let urls: Vec<String> = paths
        .iter()
        .flat_map(|p| {
            let full = format!("/{p}");
            match p.strip_suffix("index.html") {
                Some(dir) => vec![format!("/{dir}"), full],
                None => vec![full],
            }
        })
        .collect();
    serde_json::to_string(&urls).unwrap_or_else(|_| "[\"*\"]".into())
}

/// Watches content, templates, static files and `site.yaml`; never the
/// output or build folders, which would only echo our own work.
fn watch(
    root: &Path,
    mut builder: Builder,
) -> io::Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, Some(Duration::from_millis(10)), tx).map_err(io::Error::other)?;
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(io::Error::other)?;
    for dir in [CONTENT_DIR, "static", "themes"] {
        let d = root.join(dir);
        if d.is_dir() {
            debouncer
                .watch(&d, RecursiveMode::Recursive)
                .map_err(io::Error::other)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for result in rx {
            let Ok(events) = result else { continue };
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut seen: Option<Instant> = None;
            for e in &events {
                if e.event.kind.is_access() || e.event.kind.is_other() {
                    continue;
                }
                for p in &e.event.paths {
                    if relevant(&root, p) && !paths.contains(p) {
                        paths.push(p.clone());
                        seen = Some(seen.map_or(e.time, |s: Instant| s.min(e.time)));
                    }
                }
            }
            if let Some(seen) = seen {
                builder.on_change(&paths, seen);
            }
        }
    });
    Ok(debouncer)
}

fn relevant(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Editors' swap and backup files.
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    rel == Path::new(CONFIG_FILE) || [CONTENT_DIR, "static", "themes"].contains(&first.as_str())
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

fn handle(shared: &Shared, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "method not allowed"));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        events(shared, request);
        return;
    }
    let response = match lookup(shared, path) {
        Some(Found::Page(name, bytes)) => page_response(&name, &bytes),
        Some(Found::File(name, file)) => match std::fs::read(&file) {
            Ok(bytes) => with_type(Response::from_data(bytes), &name),
            Err(_) => not_found(shared),
        },
        None => not_found(shared),
    };
    let _ = request.respond(response);
}

enum Found {
    Page(String, Arc<Vec<u8>>),
    File(String, PathBuf),
}

/// Finds a request path among the site's files. Only keys of the in-memory
/// map are ever served, so `..` or an absolute path finds nothing.
fn lookup(shared: &Shared, path: &str) -> Option<Found> {
    let key = site_key(path)?;
    let pages = shared.pages.read().ok()?;
    let candidates = if key.is_empty() || key.ends_with('/') {
        vec![format!("{key}index.html")]
    } else {
        vec![key.clone(), format!("{key}/index.html")]
    };
    candidates.into_iter().find_map(|k| {
        if let Some(b) = pages.files.get(&k) {
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

fn page_response(name: &str, bytes: &[u8]) -> Response<io::Cursor<Vec<u8>>> {
    if !name.ends_with(".html") {
        return with_type(Response::from_data(bytes.to_vec()), name);
    }
    let html = String::from_utf8_lossy(bytes);
    let with_script = match html.rfind("</body>") {
        Some(i) => format!("{}{LIVE_RELOAD}{}", &html[..i], &html[i..]),
        None => format!("{html}{LIVE_RELOAD}"),
    };
    with_type(Response::from_data(with_script.into_bytes()), name)
        .with_header(header("Cache-Control", "no-store"))
}

/// Server-Sent Events: the stream stays open; each message is flushed at
/// once. A closed page makes the next write fail and ends the thread.
fn events(shared: &Shared, request: Request) {
    let (tx, rx) = mpsc::channel::<String>();
    let overlay = shared.pages.read().ok().and_then(|p| p.overlay.clone());
    if let Ok(mut c) = shared.clients.lock() {
        c.push(tx);
    }
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    if let Some(text) = overlay {
        let msg = format!(
            "event: build-error\ndata: {}\n\n",
            serde_json::to_string(&text).unwrap_or_default()
        );
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            // A comment line keeps proxies from closing an idle stream and
            // tells us when the page has gone.
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".into(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
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

fn not_found(shared: &Shared) -> Response<io::Cursor<Vec<u8>>> {
    match lookup(shared, "/404.html") {
        Some(Found::Page(name, bytes)) => page_response(&name, &bytes).with_status_code(404),
        _ => text(404, "không tìm thấy"),
    }
}

fn text(code: u16, body: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(StatusCode(code))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn with_type(r: Response<io::Cursor<Vec<u8>>>, file: &str) -> Response<io::Cursor<Vec<u8>>> {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let mime = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    };
    r.with_header(header("Content-Type", mime))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
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
