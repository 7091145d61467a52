//! The HTTP side of `serve`: hyper on a one-thread tokio runtime.
//!
//! Why not tiny_http, used before: its accept loop ends at the first accept
//! error, so running out of file descriptors (EMFILE) left the process
//! alive but deaf for good; it started a thread for every connection with
//! no cap, and read request heads of any size into memory (eight 200 MB
//! heads held 1.5 GB). None of that can be changed from outside it. hyper
//! bounds the head (`max_header_size`, answered with 431) and times out
//! heads that never end, and it leaves the accept loop to us, so here:
//!
//! - an accept error is reported once and retried after a pause, never
//!   fatal;
//! - at most [`max_connections`] connections are open: one more closes the
//!   oldest connection with no request in flight, or waits while every
//!   connection is busy;
//! - a request must name this machine in `Host` (see [`Hosts`]), or it is
//!   answered 421 Misdirected Request, event stream included: a web page
//!   the editor visits cannot read the preview through DNS rebinding;
//! - absolute links the preview wrote (canonical, feeds, `og:url`) name
//!   the address the browser asked for, so a phone given the machine's
//!   network address follows links that work for it.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::header::{
    HeaderValue, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_RANGE, CONTENT_TYPE, HOST, RANGE,
};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{mpsc, Notify};

use super::{Shared, EVENTS_PATH};
use crate::core::Lang;

/// The longest request head taken (request line and headers): browsers
/// send a few kilobytes; anything longer is answered 431 and dropped.
pub const MAX_HEAD: usize = 64 * 1024;

/// A connection must send a whole request head within this time.
const HEAD_TIMEOUT: Duration = Duration::from_secs(20);

/// Between attempts while `accept` fails (out of descriptors, mostly).
const ACCEPT_PAUSE: Duration = Duration::from_millis(200);

/// How often a failing `accept` is reported.
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// Messages queued for one open page; a page that reads none of them is
/// gone or stuck and is dropped rather than remembered without end.
const EVENTS_QUEUE: usize = 64;

/// How the server answers: where the preview's links point and in which
/// language it speaks.
pub struct Config {
    /// The address written into the site's absolute links.
    pub base: SocketAddr,
    pub lang: Lang,
}

/// Serves on `listener` until the process ends.
pub fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    config: Config,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        // Static files and photos are read off the async thread.
        .max_blocking_threads(8)
        .build()?;
    runtime.block_on(accept_loop(listener, shared, config))
}

/// What every request handler reads.
struct State {
    shared: Arc<Shared>,
    hosts: Hosts,
    /// `host:port` as written in the preview's links.
    base: String,
    lang: Lang,
}

async fn accept_loop(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    config: Config,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let state = Arc::new(State {
        shared,
        hosts: Hosts::default(),
        base: config.base.to_string(),
        lang: config.lang,
    });
    let conns = Conns::new(max_connections());
    let mut reported: Option<std::time::Instant> = None;
    loop {
        conns.make_room().await;
        let e = match listener.accept().await {
            Ok((stream, _)) => {
                let ticket = conns.open();
                tokio::spawn(connection(stream, Arc::clone(&state), ticket));
                continue;
            }
            // One client gave up before it was accepted: nothing is wrong.
            Err(e) if gone_before_accept(&e) => continue,
            Err(e) => e,
        };
        // Said once a minute at most: under a flood it would fill the
        // terminal.
        if reported.is_none_or(|t| t.elapsed() >= REPORT_EVERY) {
            reported = Some(std::time::Instant::now());
            let ms = ACCEPT_PAUSE.as_millis();
            say(
                state.lang,
                crate::tr!(
                    "⚠ Chưa nhận được kết nối mới ({e}); đang thử lại (sau mỗi {ms} ms khi không có kết nối rảnh nào để đóng bớt).",
                    "⚠ Cannot accept new connections ({e}); retrying (every {ms} ms while no idle connection can be closed)."
                ),
            );
        }
        // Out of descriptors (EMFILE, ENFILE): closing an idle connection
        // frees one at once; otherwise the connection waits in the queue
        // until some are freed.
        let pause = if out_of_descriptors(&e) && conns.close_oldest_idle() {
            Duration::from_millis(1)
        } else {
            ACCEPT_PAUSE
        };
        tokio::time::sleep(pause).await;
    }
}

fn gone_before_accept(e: &io::Error) -> bool {
    use io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    matches!(e.kind(), ConnectionAborted | ConnectionReset | Interrupted)
}

#[cfg(unix)]
fn out_of_descriptors(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

#[cfg(not(unix))]
fn out_of_descriptors(_: &io::Error) -> bool {
    false
}

fn say(lang: Lang, text: crate::diagnostic::Text) {
    eprintln!("{}", text.get(lang));
}

/// One connection, served until the client closes it, it times out, or
/// it is closed to make room for a newer one while idle.
async fn connection(stream: tokio::net::TcpStream, state: Arc<State>, ticket: Ticket) {
    let busy = Arc::clone(&ticket.busy);
    let service = service_fn(move |request| {
        let state = Arc::clone(&state);
        let guard = Busy::new(&busy);
        async move { Ok::<_, Infallible>(respond(&state, request, guard).await) }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .max_header_size(MAX_HEAD)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        // Dropping the connection closes it.
        _ = ticket.evict.notified() => {}
    }
}

/// As many connections as half the descriptors this process may open
/// (the rest are for the files the build reads), within 16..=1024. The
/// soft limit is first raised to the hard one, as servers commonly do.
fn max_connections() -> usize {
    (fd_limit() / 2).clamp(16, 1024)
}

#[cfg(unix)]
fn fd_limit() -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain calls on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 256;
        }
        if lim.rlim_cur < lim.rlim_max {
            let mut raised = lim;
            raised.rlim_cur = lim.rlim_max.min(1 << 20);
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
    }
    usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
}

#[cfg(not(unix))]
fn fd_limit() -> usize {
    2048
}

/// The open connections, oldest first, and whether each has a request in
/// flight.
struct Conns {
    cap: usize,
    open: Mutex<BTreeMap<u64, Slot>>,
    next: AtomicU64,
    /// Signalled whenever a connection ends.
    freed: Notify,
}

struct Slot {
    busy: Arc<AtomicUsize>,
    evict: Arc<Notify>,
}

/// A connection's place in [`Conns`], given up when it ends.
struct Ticket {
    id: u64,
    busy: Arc<AtomicUsize>,
    evict: Arc<Notify>,
    conns: Arc<Conns>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut open) = self.conns.open.lock() {
            open.remove(&self.id);
        }
        self.conns.freed.notify_one();
    }
}

impl Conns {
    fn new(cap: usize) -> Arc<Conns> {
        Arc::new(Conns {
            cap,
            open: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
            freed: Notify::new(),
        })
    }

    /// Returns once one more connection may be opened: below the cap, or
    /// after the oldest idle connection was told to close. Waits while
    /// every connection has a request in flight.
    async fn make_room(&self) {
        loop {
            let freed = self.freed.notified();
            let full = self.open.lock().is_ok_and(|o| o.len() >= self.cap);
            if !full || self.close_oldest_idle() {
                return;
            }
            freed.await;
        }
    }

    /// Tells the oldest connection with no request in flight to close;
    /// `false` when every one is busy.
    fn close_oldest_idle(&self) -> bool {
        let Ok(mut open) = self.open.lock() else {
            return false;
        };
        let idle = open
            .iter()
            .find(|(_, s)| s.busy.load(Ordering::Acquire) == 0)
            .map(|(&id, _)| id);
        match idle.and_then(|id| open.remove(&id)) {
            Some(slot) => {
                slot.evict.notify_one();
                true
            }
            None => false,
        }
    }

    fn open(self: &Arc<Self>) -> Ticket {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let busy = Arc::new(AtomicUsize::new(0));
        let evict = Arc::new(Notify::new());
        if let Ok(mut open) = self.open.lock() {
            open.insert(
                id,
                Slot {
                    busy: Arc::clone(&busy),
                    evict: Arc::clone(&evict),
                },
            );
        }
        Ticket {
            id,
            busy,
            evict,
            conns: Arc::clone(self),
        }
    }
}

/// Marks a connection busy from the moment a request arrives until its
/// answer's body has been handed over (for the event stream: until the
/// page goes), so it is never closed to make room meanwhile.
pub struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: &Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::AcqRel);
        Busy(Arc::clone(count))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Which `Host` a request may name: `localhost` (and `*.localhost`, which
/// browsers resolve to loopback), a loopback or unspecified address, or
/// one of this machine's interface addresses (read again when an address
/// is not among those seen, as they change with the network). A name
/// anyone can point anywhere is refused: that is the rebinding attack.
#[derive(Default)]
struct Hosts {
    own: Mutex<Vec<IpAddr>>,
}

impl Hosts {
    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let Ok(ip) = name.trim_matches(['[', ']']).parse::<IpAddr>() else {
            return false;
        };
        let ip = ip.to_canonical();
        if ip.is_loopback() || ip.is_unspecified() {
            return true;
        }
        let Ok(mut own) = self.own.lock() else {
            return false;
        };
        if !own.contains(&ip) {
            *own = own_addresses();
        }
        own.contains(&ip)
    }
}

/// This machine's interface addresses (none if they cannot be read).
pub fn own_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|list| list.iter().map(|i| i.ip().to_canonical()).collect())
        .unwrap_or_default()
}

/// The host part of a `Host` value (`name`, `1.2.3.4` or `[::1]`), when
/// the whole value is well formed: letters, digits, `-` and `.` or an
/// IPv6 literal in brackets, then an optional `:port`.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        (name, rest.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let inner = name.trim_start_matches('[').trim_end_matches(']');
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':');
    if inner.is_empty() || !inner.bytes().all(allowed) {
        return None;
    }
    // A colon belongs in brackets only.
    if !name.starts_with('[') && name.contains(':') {
        return None;
    }
    Some(name)
}

/// Answers one request.
async fn respond(state: &State, request: Request<Incoming>, busy: Busy) -> Response<Body> {
    let host = request
        .headers()
        .get(HOST)
        .map(|h| h.to_str().unwrap_or("\u{0}").to_string());
    // Browsers always send `Host`; a request without one (an HTTP/1.0
    // tool) cannot come through a rebound name.
    if let Some(h) = &host {
        if !state.hosts.allows(h) {
            return text(
                StatusCode::MISDIRECTED_REQUEST,
                &misdirected(state.lang),
                busy,
            );
        }
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed", busy);
    }
    let path = request.uri().path();
    if path == EVENTS_PATH {
        return events(&state.shared, busy);
    }
    // Links are rewritten only for a browser that asked for another name.
    let asked = host.filter(|h| *h != state.base);
    let links = Links {
        base: &state.base,
        asked: asked.as_deref(),
    };
    let range = request.headers().get(RANGE).and_then(|v| v.to_str().ok());
    match super::lookup(&state.shared, path) {
        Some(super::Found::Page(name, bytes)) if !rewritten(&name) => {
            file(&name, bytes.to_vec(), range, busy)
        }
        Some(super::Found::Page(name, bytes)) => page(&name, &bytes, &links, StatusCode::OK, busy),
        Some(super::Found::File(name, path)) => match read(path).await {
            Some(bytes) => file(&name, bytes, range, busy),
            None => not_found(state, &links, busy),
        },
        None => not_found(state, &links, busy),
    }
}

/// A file sent as it is, whole or the one byte range asked for (the
/// search index's bundles are read a member at a time: src/search/bundle.rs).
/// Several ranges at once are answered with the whole file, as RFC 9110
/// lets a server do; a range past the end gets 416.
fn file(name: &str, bytes: Vec<u8>, range: Option<&str>, busy: Busy) -> Response<Body> {
    let builder = typed(Response::builder(), name).header(ACCEPT_RANGES, "bytes");
    let len = bytes.len() as u64;
    // A header that does not parse is ignored, as RFC 9110 § 14.2 asks.
    let asked = range
        .and_then(|r| http_range_header::parse_range_header(r).ok())
        .map(|p| p.validate(len));
    let answer = match asked {
        Some(Ok(ranges)) if ranges.len() == 1 => {
            let (start, end) = ranges[0].clone().into_inner();
            let part = bytes[start as usize..=end as usize].to_vec();
            builder
                .status(StatusCode::PARTIAL_CONTENT)
                .header(CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
                .body(Body::once(part, busy))
        }
        Some(Err(_)) => builder
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header(CONTENT_RANGE, format!("bytes */{len}"))
            .body(Body::once(Vec::new(), busy)),
        _ => builder.body(Body::once(bytes, busy)),
    };
    answer.unwrap_or_else(|_| plain_500())
}

/// Whether the preview changes a built file on the way out: pages get the
/// live-reload script, text files links to the address asked for
/// ([`page`]).
fn rewritten(name: &str) -> bool {
    [".html", ".xml", ".txt", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
}

fn misdirected(lang: Lang) -> String {
    crate::tr!(
        "421: bản xem trước chỉ trả lời khi được gọi bằng localhost hoặc địa chỉ của máy này.",
        "421: the preview answers only when asked for as localhost or by this machine's own address."
    )
    .get(lang)
    .to_string()
}

/// A static file or photo, read off the async thread.
async fn read(file: PathBuf) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || std::fs::read(file))
        .await
        .ok()?
        .ok()
}

fn not_found(state: &State, links: &Links, busy: Busy) -> Response<Body> {
    match super::lookup(&state.shared, "/404.html") {
        Some(super::Found::Page(name, bytes)) => {
            page(&name, &bytes, links, StatusCode::NOT_FOUND, busy)
        }
        _ => text(StatusCode::NOT_FOUND, "không tìm thấy", busy),
    }
}

/// Where the preview's absolute links point, and where the browser asked.
struct Links<'a> {
    base: &'a str,
    asked: Option<&'a str>,
}

impl Links<'_> {
    /// `text` with `http://BASE` links turned into `http://ASKED` ones.
    fn localise(&self, text: String) -> String {
        let Some(asked) = self.asked else {
            return text;
        };
        let from = format!("http://{}", self.base);
        if !text.contains(&from) {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find(&from) {
            let after = &rest[i + from.len()..];
            out.push_str(&rest[..i]);
            // `http://127.0.0.1:1111` must not match inside `…:11112`.
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                out.push_str(&from);
            } else {
                out.push_str("http://");
                out.push_str(asked);
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// A built file; HTML pages get the live-reload script, and text files
/// links to the address the browser asked for.
fn page(name: &str, bytes: &[u8], links: &Links, status: StatusCode, busy: Busy) -> Response<Body> {
    let body = match std::str::from_utf8(bytes) {
        Ok(text) if rewritten(name) => {
            let mut text = links.localise(text.to_string());
            if name.ends_with(".html") {
                let at = text.rfind("</body>").unwrap_or(text.len());
                text.insert_str(at, super::LIVE_RELOAD);
            }
            text.into_bytes()
        }
        _ => bytes.to_vec(),
    };
    let mut builder = typed(Response::builder().status(status), name);
    if name.ends_with(".html") {
        builder = builder.header(CACHE_CONTROL, "no-store");
    }
    builder
        .body(Body::once(body, busy))
        .unwrap_or_else(|_| plain_500())
}

/// Server-Sent Events: the stream stays open; each message is sent at
/// once, with a comment line every 15 s that keeps proxies from closing an
/// idle stream and tells us when the page has gone.
fn events(shared: &Shared, busy: Busy) -> Response<Body> {
    let (tx, rx) = mpsc::channel::<String>(EVENTS_QUEUE);
    let overlay = shared.pages.read().ok().and_then(|p| p.overlay.clone());
    if let Ok(mut c) = shared.clients.lock() {
        c.push(tx);
    }
    let mut first = String::from("retry: 500\n\n");
    if let Some(text) = overlay {
        first.push_str(&format!(
            "event: build-error\ndata: {}\n\n",
            serde_json::to_string(&text).unwrap_or_default()
        ));
    }
    let every = Duration::from_secs(15);
    let stream = Events {
        first: Some(Bytes::from(first)),
        rx,
        ping: tokio::time::interval_at(tokio::time::Instant::now() + every, every),
        _busy: busy,
    };
    Response::builder()
        .header(CONTENT_TYPE, "text/event-stream")
        .header(CACHE_CONTROL, "no-store")
        .body(Body::Events(Box::new(stream)))
        .unwrap_or_else(|_| plain_500())
}

fn text(status: StatusCode, body: &str, busy: Busy) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::once(body.as_bytes().to_vec(), busy))
        .unwrap_or_else(|_| plain_500())
}

/// Only reached if a fixed header were invalid.
fn plain_500() -> Response<Body> {
    let mut r = Response::new(Body::Empty);
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r
}

fn typed(builder: hyper::http::response::Builder, file: &str) -> hyper::http::response::Builder {
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
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
    builder.header(CONTENT_TYPE, HeaderValue::from_static(mime))
}

/// An answer's body: bytes known in full, or the event stream.
pub enum Body {
    /// The busy mark goes when the body has been handed over.
    Once {
        bytes: Option<Bytes>,
        _busy: Busy,
    },
    Events(Box<Events>),
    Empty,
}

impl Body {
    fn once(bytes: Vec<u8>, busy: Busy) -> Body {
        Body::Once {
            bytes: Some(Bytes::from(bytes)),
            _busy: busy,
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Once { bytes, .. } => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(stream) => stream.poll_next(cx).map(|m| m.map(|b| Ok(Frame::data(b)))),
            Body::Empty => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Once { bytes: None, .. } | Body::Empty)
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Once { bytes, .. } => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Body::Events(_) => SizeHint::default(),
            Body::Empty => SizeHint::with_exact(0),
        }
    }
}

/// An open page's event stream.
pub struct Events {
    first: Option<Bytes>,
    rx: mpsc::Receiver<String>,
    ping: tokio::time::Interval,
    _busy: Busy,
}

impl Events {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(first));
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(msg)) => return Poll::Ready(Some(Bytes::from(msg))),
            // Dropped by the server as stuck: the page reconnects.
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        self.ping
            .poll_tick(cx)
            .map(|_| Some(Bytes::from_static(b": ping\n\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_naming_this_machine_are_allowed() {
        let hosts = Hosts::default();
        for h in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.:80",
            "app.localhost:1111",
            "127.0.0.1:1111",
            "127.8.9.1",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
            "0.0.0.0:1111",
        ] {
            assert!(hosts.allows(h), "{h}");
        }
        for ip in own_addresses() {
            let h = SocketAddr::new(ip, 1111).to_string();
            assert!(hosts.allows(&h), "{h}");
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        let hosts = Hosts::default();
        for h in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "203.0.113.9:1111",
            "",
            "localhost:",
            "localhost:x",
            "::1",
            "[::1",
            "local host",
            "localhost/x",
            "8.8.8.8",
        ] {
            assert!(!hosts.allows(h), "{h}");
        }
    }

    #[test]
    fn links_follow_the_address_asked_for() {
        let links = Links {
            base: "127.0.0.1:1111",
            asked: Some("192.168.1.5:1111"),
        };
        let page = r#"<link rel="canonical" href="http://127.0.0.1:1111/a/"> http://127.0.0.1:11112/ http://127.0.0.1:1111"#;
        assert_eq!(
            links.localise(page.into()),
            r#"<link rel="canonical" href="http://192.168.1.5:1111/a/"> http://127.0.0.1:11112/ http://192.168.1.5:1111"#
        );
        let same = Links {
            base: "127.0.0.1:1111",
            asked: None,
        };
        assert_eq!(same.localise(page.into()), page);
    }
}
