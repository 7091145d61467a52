//! `dienhinh serve` hardening: no request path reaches a file outside the
//! built site (raw, percent-encoded, double-encoded, backslashes, overlong
//! UTF-8), only GET and HEAD are served, and 200 concurrent keep-alive
//! connections hammering it for 10 s on 127.0.0.1 get every answer right.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::serve::start;
use common::{copy_dir, FIXTURE_SITE};

const CONNECTIONS: usize = 200;
const LOAD_TIME: Duration = Duration::from_secs(10);
const SECRET: &str = "BÍ-MẬT-NGOÀI-SITE";

/// Sends `head` as is (no client-side normalisation of the path) and reads
/// the whole answer; returns the status and the raw response.
fn raw_request(addr: &str, head: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get(addr: &str, method: &str, target: &str) -> (u16, String) {
    raw_request(
        addr,
        &format!("{method} {target} HTTP/1.0\r\nHost: {addr}\r\n\r\n"),
    )
}

fn site_with_secret_beside() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    std::fs::write(tmp.path().join("secret.txt"), SECRET).unwrap();
    std::fs::write(site.join("secret.txt"), SECRET).unwrap();
    (tmp, site)
}

#[test]
fn traversal_is_refused_and_only_get_and_head_are_served() {
    let (_tmp, site) = site_with_secret_beside();
    let server = start(&site);
    let addr = server.addr.as_str();
    let targets = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/mo-hinh/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..%5csecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/secret.txt",
        "/site.yaml",
        "/content/mo-hinh/hu-gao.md",
        "/urls.lock",
        "//etc/passwd",
        "/etc/passwd",
        "/%00/etc/passwd",
        "/index.html%00.txt",
        "/%",
        "/%zz",
        "../secret.txt",
        "http://127.0.0.1/../secret.txt",
        "/./././secret.txt",
    ];
    for target in targets {
        let (status, text) = get(addr, "GET", target);
        assert!(matches!(status, 400 | 404), "{target}: status {status}");
        assert!(
            !text.contains(SECRET) && !text.contains("root:x:0:0") && !text.contains("base_url:"),
            "{target}: leaked a file outside the site:\n{text}"
        );
    }
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO",
    ] {
        let (status, _) = get(addr, method, "/");
        assert_eq!(status, 405, "{method}");
    }
    let (status, text) = get(addr, "GET", "/mo-hinh/tu-banh-mi/");
    assert_eq!(status, 200);
    assert!(text.contains("</html>"));
    let (status, text) = get(addr, "HEAD", "/mo-hinh/tu-banh-mi/");
    assert_eq!(status, 200);
    assert!(text.ends_with("\r\n\r\n"), "HEAD answers without a body");
}

/// One keep-alive HTTP/1.1 exchange on an open connection: returns the status
/// after reading exactly the announced body.
fn keep_alive_get(reader: &mut BufReader<TcpStream>, path: &str) -> Result<(u16, usize), String> {
    reader
        .get_mut()
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|e| format!("status line: {e}"))?;
    let status = line
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or(format!("bad status line {line:?}"))?;
    let mut length = None;
    loop {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| format!("header: {e}"))?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("body: {e}"))?;
    Ok((status, length))
}

#[test]
fn two_hundred_connections_for_ten_seconds_get_every_answer() {
    let (_tmp, site) = site_with_secret_beside();
    let mut server = start(&site);
    let addr = server.addr.clone();
    let paths = [
        ("/", 200),
        ("/mo-hinh/tu-banh-mi/", 200),
        ("/tuyen-duong/le-quan-1/", 200),
        ("/khong-co/", 404),
        ("/../secret.txt", 404),
    ];
    let barrier = Arc::new(Barrier::new(CONNECTIONS));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for n in 0..CONNECTIONS {
        let (addr, barrier, stop, done) =
            (addr.clone(), barrier.clone(), stop.clone(), done.clone());
        workers.push(std::thread::spawn(move || -> Result<(), String> {
            let stream = TcpStream::connect(&addr).map_err(|e| format!("connect: {e}"));
            // Every connection is open before any request is sent.
            barrier.wait();
            let stream = stream?;
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let started = Instant::now();
            let mut i = n;
            while started.elapsed() < LOAD_TIME && !stop.load(Ordering::Relaxed) {
                let (path, expected) = paths[i % paths.len()];
                let (status, _) = keep_alive_get(&mut reader, path)?;
                if status != expected {
                    return Err(format!("{path}: {status}, expected {expected}"));
                }
                done.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            Ok(())
        }));
    }
    let errors: Vec<String> = workers
        .into_iter()
        .enumerate()
        .filter_map(|(n, w)| match w.join() {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("connection {n}: {e}")),
            Err(_) => Some(format!("connection {n}: thread panicked")),
        })
        .collect();
    stop.store(true, Ordering::Relaxed);
    let total = done.load(Ordering::Relaxed);
    eprintln!(
        "{CONNECTIONS} connections for {LOAD_TIME:?}: {total} answers, {} errors",
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} connections failed:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        total >= CONNECTIONS as u64,
        "every connection got answers ({total})"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "serve is still running"
    );
    let (status, _) = get(&server.addr, "GET", "/");
    assert_eq!(status, 200, "serve answers after the load");
}
