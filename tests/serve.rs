//! `dienhinh serve` end to end: start it on a free port, fetch a page, edit
//! the file and see both the live-reload event and the new page; break the
//! file and see the error event while the last good page stays; fix it and
//! see the page come back — all without a restart.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dienhinh"))
        .arg("-C")
        .arg(site)
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The guard exists before any wait, so a failed start still ends the child.
    let mut server = Server {
        child,
        addr: String::new(),
        log: rx,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(line) = server.log.recv_timeout(Duration::from_millis(200)) {
            if let Some(i) = line.find("http://127.0.0.1:") {
                server.addr = line[i + 7..].split('/').next().unwrap().to_string();
                return server;
            }
        }
    }
    panic!("serve did not start");
}

/// A plain HTTP/1.0 request; returns the status and the body.
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Opens the event stream; every SSE line arrives on the channel.
fn events(addr: &str) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__dienhinh/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for an SSE `event:` of this name and returns its data line.
fn wait_event(rx: &mpsc::Receiver<String>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut current = String::new();
    while Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if let Some(e) = line.strip_prefix("event: ") {
            current = e.to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if current == name {
                return data.to_string();
            }
        }
    }
    panic!("no `{name}` event within 30 s");
}

/// Waits for a line of the server's terminal output that starts with
/// `prefix`; returns it.
fn wait_log(server: &Server, prefix: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut log = Vec::new();
    while Instant::now() < deadline {
        if let Ok(l) = server.log.recv_timeout(Duration::from_millis(200)) {
            if l.starts_with(prefix) {
                return l;
            }
            log.push(l);
        }
    }
    panic!("no line starting with {prefix}:\n{}", log.join("\n"));
}

/// Saves like most editors do: a temporary file renamed over the old one,
/// so the watcher never sees a half-written file.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(".dienhinh-test-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn serve_reloads_on_edit_and_shows_errors_until_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    assert!(common::run(tmp.path(), &["init", site.to_str().unwrap(), "-q"]).ok);
    let server = start(&site);
    let addr = &server.addr;
    let page = "/mo-hinh/nam-gao-tinh-thuong/";

    let (status, html) = request(addr, "GET", page);
    assert_eq!(status, 200);
    assert!(html.contains("Nắm gạo tình thương"));
    assert!(
        html.contains("/__dienhinh/events"),
        "live-reload script injected"
    );
    assert!(!site.join("public").exists(), "serve builds into memory");

    // Nothing outside the site, and only GET/HEAD.
    assert_eq!(request(addr, "GET", "/../site.yaml").0, 404);
    assert_eq!(request(addr, "GET", "/%2e%2e/%2e%2e/etc/passwd").0, 404);
    assert_eq!(request(addr, "GET", "/content/gioi-thieu.md").0, 404);
    assert_eq!(request(addr, "POST", "/").0, 405);
    assert_eq!(request(addr, "HEAD", page).0, 200);

    // The search index comes on its own thread after the pages; its
    // reload event must not be taken for the edit's.
    wait_log(&server, "⌕", Duration::from_secs(120));
    let stream = events(addr);
    std::thread::sleep(Duration::from_millis(300));
    let file = site.join("content/mo-hinh/nam-gao-tinh-thuong.md");
    let text = std::fs::read_to_string(&file).unwrap();
    save(
        &file,
        &text.replace(
            "title: \"Nắm gạo tình thương\"",
            "title: \"Nắm gạo nghĩa tình\"",
        ),
    );
    let data = wait_event(&stream, "reload");
    assert!(data.contains(page), "the edited page reloads first: {data}");
    let (_, html) = request(addr, "GET", page);
    assert!(html.contains("Nắm gạo nghĩa tình"), "the page changed");

    // A mistake: the error is sent to the page, the last good page stays.
    let good = std::fs::read_to_string(&file).unwrap();
    save(
        &file,
        &good.replace("field: van-hoa-xa-hoi", "field: van-hoa-xa-hio"),
    );
    let error = wait_event(&stream, "build-error");
    assert!(
        error.contains("DH009") && error.contains("nam-gao-tinh-thuong.md:5:8"),
        "{error}"
    );
    assert!(
        error.contains("van-hoa-xa-hoi"),
        "the fix is suggested: {error}"
    );
    assert!(request(addr, "GET", page).1.contains("Nắm gạo nghĩa tình"));

    // Fixed: every page reloads, no restart needed.
    save(
        &file,
        &good.replace("Nắm gạo nghĩa tình", "Nắm gạo yêu thương"),
    );
    let data = wait_event(&stream, "reload");
    assert!(data.contains('*') || data.contains(page), "{data}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !request(addr, "GET", page).1.contains("Nắm gạo yêu thương") {
        assert!(Instant::now() < deadline, "the page did not come back");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The terminal shows the timings: pages, then the search index.
    let pages = wait_log(&server, "↻", Duration::from_secs(60));
    assert!(pages.contains(" ms"), "{pages}");
    let search = wait_log(&server, "⌕", Duration::from_secs(120));
    assert!(search.contains(" ms"), "{search}");
}

/// The injected script in Chromium (skipped, with a notice, where Chromium
/// or puppeteer-core is not installed, as in tests/browser.rs).
#[test]
fn live_reload_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !Path::new("/usr/bin/chromium").exists()
        || !root
            .join("tests/browser/node_modules/puppeteer-core")
            .exists()
    {
        let _ = writeln!(
            std::io::stderr().lock(),
            "serve browser test skipped: Chromium or puppeteer-core missing; run .ci/run"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    assert!(common::run(tmp.path(), &["init", site.to_str().unwrap(), "-q"]).ok);
    let server = start(&site);
    let out = Command::new("node")
        .arg("tests/browser/serve_reload.mjs")
        .current_dir(root)
        .env(
            "PAGE_URL",
            format!("http://{}/mo-hinh/nam-gao-tinh-thuong/", server.addr),
        )
        .env("FILE", site.join("content/mo-hinh/nam-gao-tinh-thuong.md"))
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
