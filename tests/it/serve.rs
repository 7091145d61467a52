//! `dienhinh serve` end to end: start it on a free port, fetch a page, edit
//! the file and see both the live-reload event and the new page; break the
//! file and see the error event while the last good page stays; fix it and
//! see the page come back — all without a restart.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::serve::{events, request, save, spawn, start, start_in, wait_event, wait_log, Server};

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
    // In the site's language (`init` writes `language: vi`), message and fix.
    assert!(
        error.contains("lĩnh vực `van-hoa-xa-hio` không có trong danh mục")
            && error.contains("có phải ý bạn là `van-hoa-xa-hoi`?"),
        "{error}"
    );
    assert!(request(addr, "GET", page).1.contains("Nắm gạo nghĩa tình"));

    // Fixed: every page reloads, no restart needed.
    save(
        &file,
        &good.replace("Nắm gạo nghĩa tình", "Nắm gạo yêu thương"),
    );
    // The search index of the edit before may be swapped in meanwhile:
    // its reload names only the search page.
    let mut data = wait_event(&stream, "reload");
    while data.contains("/tim-kiem/") && !data.contains(page) && !data.contains('*') {
        data = wait_event(&stream, "reload");
    }
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
/// or puppeteer-core is not installed, as in tests/it/browser.rs).
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

use crate::corpus as gen_corpus;

/// Every URL in the sitemap plus the feeds and open-data files, as paths.
fn site_paths(addr: &str) -> Vec<String> {
    let (status, sitemap) = request(addr, "GET", "/sitemap.xml");
    assert_eq!(status, 200);
    let origin = format!("http://{addr}");
    let mut paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .filter_map(|u| u.strip_prefix(&origin).map(str::to_string))
        .collect();
    paths.extend(
        [
            "/atom.xml",
            "/du-lieu/mo-hinh.json",
            "/du-lieu/mo-hinh.csv",
            "/du-lieu/tuyen-duong.json",
        ]
        .map(String::from),
    );
    paths
}

/// The page with the drawing of its QR code left out.
fn without_qr(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(" d=\"M") {
        out.push_str(&rest[..i]);
        rest = &rest[i + 5..];
        rest = rest.find('"').map_or("", |j| &rest[j..]);
    }
    out.push_str(rest);
    out
}

fn slug_of(text: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("slug: ")).unwrap();
    line["slug: ".len()..].trim().to_string()
}

/// The `↻` timing line's count of re-rendered jobs.
fn jobs_rerendered(line: &str) -> usize {
    let before = line.split(" việc dựng lại").next().unwrap_or_default();
    before
        .rsplit('(')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no job count in {line}"))
}

/// Collects the URLs of `reload` events until the `↻` line is printed.
fn reloads_until_done(server: &Server, stream: &mpsc::Receiver<String>) -> (Vec<String>, String) {
    let line = wait_log(server, "↻", Duration::from_secs(60));
    let mut urls = Vec::new();
    let mut current = String::new();
    while let Ok(l) = stream.recv_timeout(Duration::from_millis(300)) {
        if let Some(e) = l.strip_prefix("event: ") {
            current = e.to_string();
        } else if let Some(data) = l.strip_prefix("data: ") {
            if current == "reload" {
                let list: Vec<String> = serde_json::from_str(data).unwrap();
                urls.extend(list);
            }
        }
    }
    (urls, line)
}

/// After edits, serve's pages are exactly those of a fresh start on the
/// edited site, and an edit re-renders only what depends on it.
#[test]
fn incremental_rebuild_changes_only_dependent_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    gen_corpus::run(&gen_corpus::Args {
        models: 300,
        ceremonies: 30,
        seed: 7,
        out: site.clone(),
        photos: false,
    })
    .unwrap();
    let server = start(&site);
    wait_log(&server, "⌕", Duration::from_secs(300));
    let addr = server.addr.clone();
    let stream = events(&addr);
    std::thread::sleep(Duration::from_millis(300));

    let dir = site.join("content/mo-hinh");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // Those naming their slug, so the test knows their address.
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("\nslug: "))
        .collect();
    files.sort();
    let file = &files[3];
    let text = std::fs::read_to_string(file).unwrap();
    let slug = slug_of(&text);
    let page = format!("/mo-hinh/{slug}/");
    assert_eq!(request(&addr, "GET", &page).0, 200, "{page}");
    // Its short link publishes the same page, so it changes with it.
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .expect("the generated model has an id")
        .trim_matches('"');
    let short = format!("/m/{id}");

    // A paragraph added at the end shows on the model's page only.
    save(file, &format!("{text}\nĐoạn thêm để kiểm tra cập nhật.\n"));
    let (urls, line) = reloads_until_done(&server, &stream);
    assert!(urls.contains(&page), "{urls:?}");
    let others: Vec<&String> = urls
        .iter()
        // The search page reloads for the new search index, which is
        // built while the pages are rendered.
        .filter(|u| {
            !u.starts_with(&page)
                && !u.starts_with(&short)
                && !u.starts_with("/du-lieu/")
                && !u.starts_with("/tim-kiem/")
        })
        .collect();
    assert!(
        others.is_empty(),
        "only the model's page changes: {others:?}"
    );
    assert!(request(&addr, "GET", &page)
        .1
        .contains("Đoạn thêm để kiểm tra"));
    let pages = site_paths(&addr).len();
    let rerun = jobs_rerendered(&line);
    assert!(
        rerun * 10 < pages,
        "{rerun} jobs re-rendered of {pages} pages: {line}"
    );

    // A new title and date (the model moves in every list), a deleted
    // model and a new one: the result is what a fresh start renders.
    let edited = std::fs::read_to_string(file).unwrap();
    let title_line = edited.lines().find(|l| l.starts_with("title:")).unwrap();
    let date_line = edited.lines().find(|l| l.starts_with("date:")).unwrap();
    save(
        file,
        &edited
            .replacen(title_line, "title: \"Mô hình đổi tên để kiểm tra\"", 1)
            .replacen(date_line, "date: 2031-01-02", 1),
    );
    let (urls, _) = reloads_until_done(&server, &stream);
    assert!(
        urls.contains(&page) && urls.contains(&"/mo-hinh/".to_string()),
        "{urls:?}"
    );
    let deleted = format!(
        "/mo-hinh/{}/",
        slug_of(&std::fs::read_to_string(&files[7]).unwrap())
    );
    assert_eq!(request(&addr, "GET", &deleted).0, 200);
    std::fs::remove_file(&files[7]).unwrap();
    reloads_until_done(&server, &stream);
    let copy = files[11].with_file_name("mo-hinh-moi-de-kiem-tra.md");
    let new_text = std::fs::read_to_string(&files[11])
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("id:"))
        .map(|l| {
            if l.starts_with("slug:") {
                "slug: mo-hinh-moi-de-kiem-tra"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    save(&copy, &new_text);
    reloads_until_done(&server, &stream);

    let fresh = start(&site);
    let mut differ = Vec::new();
    let paths = site_paths(&fresh.addr);
    assert_eq!(paths, site_paths(&addr), "the same pages");
    for p in &paths {
        let a = request(&addr, "GET", p);
        let b = request(&fresh.addr, "GET", p);
        // QR codes and the Facebook share link (percent-encoded) carry the
        // server's own address.
        let (a1, b1) = (
            without_qr(&a.1),
            without_qr(
                &b.1.replace(&fresh.addr, &addr)
                    .replace(&percent_encoded(&fresh.addr), &percent_encoded(&addr)),
            ),
        );
        let a = (a.0, a1);
        if a.0 != b.0 || a.1 != b1 {
            if differ.is_empty() {
                let at =
                    a.1.bytes()
                        .zip(b1.bytes())
                        .take_while(|(x, y)| x == y)
                        .count();
                let lo = a.1.floor_char_boundary(at.saturating_sub(200));
                let hi = a.1.floor_char_boundary((at + 200).min(a.1.len()));
                let hi2 = b1.floor_char_boundary((at + 200).min(b1.len()));
                eprintln!(
                    "{p}: {} vs {}\nSERVE: {}\nFRESH: {}",
                    a.0,
                    b.0,
                    &a.1[lo..hi],
                    &b1[lo..hi2]
                );
            }
            differ.push(p.clone());
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} pages differ: {:?}",
        differ.len(),
        paths.len(),
        &differ[..differ.len().min(10)]
    );
    assert_eq!(request(&addr, "GET", &deleted).0, 404);
}

/// A fresh site from `init`, in `tmp/s`.
fn init_site(tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join("s");
    assert!(common::run(tmp, &["init", site.to_str().unwrap(), "-q"]).ok);
    site
}

/// Asks for `path` until the page holds `text`, for at most `limit`.
fn served_within(addr: &str, path: &str, text: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if request(addr, "GET", path).1.contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A model edited in place and then saved by renaming a new file over it
/// (as `sed -i` and most editors do) is served within 3 s each time, and
/// touching `site.yaml` rebuilds the site.
fn edits_are_served(server: &Server, site: &Path) {
    let addr = &server.addr;
    let page = "/mo-hinh/nam-gao-tinh-thuong/";
    let title = "title: \"Nắm gạo tình thương\"";
    let file = site.join("content/mo-hinh/nam-gao-tinh-thuong.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(title));
    assert!(request(addr, "GET", page).1.contains("Nắm gạo tình thương"));

    std::fs::write(&file, text.replace(title, "title: \"Nắm gạo nghĩa tình\"")).unwrap();
    assert!(
        served_within(addr, page, "Nắm gạo nghĩa tình", Duration::from_secs(3)),
        "a model written in place is not served within 3 s"
    );
    save(&file, &text.replace(title, "title: \"Nắm gạo sẻ chia\""));
    assert!(
        served_within(addr, page, "Nắm gạo sẻ chia", Duration::from_secs(3)),
        "a model saved by rename is not served within 3 s"
    );
    let touched = Command::new("touch")
        .arg("site.yaml")
        .current_dir(site)
        .status()
        .unwrap();
    assert!(touched.success());
    wait_log(server, "↻ site.yaml", Duration::from_secs(10));
}

#[test]
fn serve_started_inside_the_site_reloads_on_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    // The README's way: in the site's folder, no `-C`.
    let server = start_in(&site, &["serve", "--port", "0"]);
    edits_are_served(&server, &site);
}

#[test]
fn serve_with_a_relative_folder_reloads_on_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(tmp.path(), &["-C", "s", "serve", "--port", "0"]);
    edits_are_served(&server, &site);
}

/// Sends `head` and reads the answer, giving up after `limit`; returns
/// the status and the whole response.
fn ask(addr: &str, head: &str, limit: Duration) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr.parse().unwrap(), limit)?;
    s.set_read_timeout(Some(limit))?;
    s.set_write_timeout(Some(limit))?;
    s.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((status, text))
}

fn get_as(addr: &str, host: &str, path: &str) -> (u16, String) {
    let head = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    ask(addr, &head, Duration::from_secs(20)).unwrap()
}

/// The server's terminal output up to and including the first line that
/// starts with `prefix`.
fn log_until(server: &Server, prefix: &str, within: Duration) -> Vec<String> {
    let deadline = Instant::now() + within;
    let mut log = Vec::new();
    while Instant::now() < deadline {
        if let Ok(l) = server.log.recv_timeout(Duration::from_millis(200)) {
            let done = l.starts_with(prefix);
            log.push(l);
            if done {
                return log;
            }
        }
    }
    panic!("no line starting with {prefix}:\n{}", log.join("\n"));
}

/// A figure from `/proc/PID/status`, in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} not in {status}"))
}

#[test]
fn serve_answers_after_running_out_of_descriptors() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    // 256 descriptors, fewer than the idle connections below.
    let mut cmd = Command::new("sh");
    cmd.current_dir(&site)
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" serve --port 0")
        .arg(env!("CARGO_BIN_EXE_dienhinh"));
    let mut server = spawn(cmd);
    let addr = server.addr.clone();
    let sock: std::net::SocketAddr = addr.parse().unwrap();
    let mut idle = Vec::new();
    let mut failures = 0;
    while idle.len() < 300 && failures < 3 {
        match TcpStream::connect_timeout(&sock, Duration::from_secs(2)) {
            Ok(s) => idle.push(s),
            Err(_) => failures += 1,
        }
    }
    let opened = idle.len();
    let started = Instant::now();
    let answer = ask(
        &addr,
        &format!("GET / HTTP/1.0\r\nHost: {addr}\r\n\r\n"),
        Duration::from_secs(10),
    );
    let took = started.elapsed();
    let answer = answer.map(|(status, _)| status);
    eprintln!("{opened} idle connections open; a request answered after {took:?}: {answer:?}");
    assert_eq!(opened, 300, "the idle connections were all taken");
    assert_eq!(
        answer.ok(),
        Some(200),
        "answered beside 300 idle connections"
    );
    drop(idle);
    let (status, _) = get_as(&addr, &addr, "/mo-hinh/nam-gao-tinh-thuong/");
    assert_eq!(status, 200, "answered once they are gone");
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

#[test]
fn an_oversized_request_head_is_refused_without_holding_memory() {
    const SENT: usize = 32 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(&site, &["serve", "--port", "0"]);
    // The search index is built once after start; its peak is not ours.
    wait_log(&server, "⌕", Duration::from_secs(120));
    let pid = server.child.id();
    let before = status_kb(pid, "VmHWM:");
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                let head = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: ");
                s.write_all(head.as_bytes()).unwrap();
                let chunk = vec![b'a'; 64 * 1024];
                let mut sent = 0;
                while sent < SENT && s.write_all(&chunk).is_ok() {
                    sent += chunk.len();
                }
                let mut answer = Vec::new();
                let _ = s.read_to_end(&mut answer);
                (sent, String::from_utf8_lossy(&answer).into_owned())
            })
        })
        .collect();
    for s in senders {
        let (sent, answer) = s.join().unwrap();
        assert!(
            sent < SENT || answer.starts_with("HTTP/1.1 431"),
            "a {sent}-byte head was read whole: {answer:.80}"
        );
    }
    let grown = status_kb(pid, "VmHWM:").saturating_sub(before);
    eprintln!("peak memory grew by {grown} kB for 8 heads of 32 MB");
    assert!(grown < 64 * 1024, "peak memory grew by {grown} kB");
    assert_eq!(get_as(&server.addr, &server.addr, "/").0, 200);
}

#[test]
fn a_foreign_host_is_refused_with_421() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(&site, &["serve", "--port", "0"]);
    let addr = &server.addr;
    let port = addr.rsplit_once(':').unwrap().1;
    let evil = format!("rebound.example:{port}");
    for path in ["/", "/mo-hinh/nam-gao-tinh-thuong/", "/__dienhinh/events"] {
        assert_eq!(get_as(addr, &evil, path).0, 421, "{path}");
    }
    // A page of the attacker's that set `Host: 127.0.0.1.example` gets nothing either.
    assert_eq!(
        get_as(addr, &format!("127.0.0.1.example:{port}"), "/").0,
        421
    );
    for host in [
        addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_as(addr, &host, "/").0, 200, "{host}");
    }
    // The event stream still opens for the preview's own pages.
    let stream = events(addr);
    assert_eq!(
        stream.recv_timeout(Duration::from_secs(10)).ok().as_deref(),
        Some("HTTP/1.1 200 OK")
    );
}

#[test]
fn binding_beyond_loopback_warns_and_links_follow_the_address_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(&site, &["serve", "--port", "0", "--bind", "0.0.0.0"]);
    let warning = wait_log(&server, "⚠", Duration::from_secs(10));
    assert!(warning.contains("--bind"), "{warning}");
    let addr = &server.addr;
    let port = addr.rsplit_once(':').unwrap().1;
    let page = "/mo-hinh/nam-gao-tinh-thuong/";
    for host in [format!("localhost:{port}"), addr.clone()] {
        let (status, html) = get_as(addr, &host, page);
        assert_eq!(status, 200);
        let canonical = format!(r#"rel="canonical" href="http://{host}{page}""#);
        assert!(html.contains(&canonical), "{canonical} not in:\n{html}");
        assert!(!html.contains("0.0.0.0"), "{html}");
        let (_, feed) = get_as(addr, &host, "/atom.xml");
        assert!(feed.contains(&format!("http://{host}/")), "{feed}");
        assert!(!feed.contains("0.0.0.0"), "{feed}");
    }
}

#[test]
fn a_file_name_with_escape_codes_is_printed_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(&site, &["serve", "--port", "0"]);
    wait_log(&server, "⌕", Duration::from_secs(120));
    // Sets the terminal's title and rings its bell when printed raw.
    let name = "x\u{1b}]0;pwned\u{7}y.md";
    std::fs::write(site.join("content/mo-hinh").join(name), "no front matter\n").unwrap();
    let log = log_until(&server, "✗", Duration::from_secs(10));
    let text = log.join("\n");
    assert!(
        !text.contains('\u{7}') && !text.contains("\u{1b}]0;"),
        "{text:?}"
    );
    assert!(
        log.last().unwrap().contains(r"x\u{1b}]0;pwned\u{7}y.md"),
        "{text}"
    );
}

#[test]
fn serve_retries_accept_when_out_of_descriptors() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    // So few descriptors that `accept` itself fails (EMFILE) well before
    // the connection cap is reached.
    let mut cmd = Command::new("sh");
    cmd.current_dir(&site)
        .arg("-c")
        .arg("ulimit -n 20 && exec \"$0\" serve --port 0")
        .arg(env!("CARGO_BIN_EXE_dienhinh"));
    let mut server = spawn(cmd);
    let addr = server.addr.clone();
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    let warning = wait_log(&server, "⚠", Duration::from_secs(10));
    assert!(warning.contains("os error 24"), "{warning}");
    let started = Instant::now();
    let answer = ask(
        &addr,
        &format!("GET / HTTP/1.0\r\nHost: {addr}\r\n\r\n"),
        Duration::from_secs(5),
    )
    .map(|(status, _)| status);
    eprintln!("out of descriptors: answered after {:?}", started.elapsed());
    assert_eq!(answer.ok(), Some(200));
    drop(idle);
    assert_eq!(get_as(&addr, &addr, "/").0, 200);
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

/// Every byte but ASCII letters and digits as `%XX`, as the share link
/// encodes the page's address.
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `serve` swaps the search index after each save under a page rendered
/// before it: the page it sends always carries the manifest of the index it
/// serves, so the client asks for files that exist.
#[test]
fn the_search_page_carries_the_manifest_of_the_index_served() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let server = start_in(&site, &["serve", "--port", "0"]);
    let addr = &server.addr;
    let same = || {
        let page = request(addr, "GET", "/tim-kiem/").1;
        let manifest = request(addr, "GET", "/_search/manifest.json").1;
        let served: serde_json::Value = serde_json::from_str(&manifest).ok()?;
        (common::carried_manifest(&page)? == served).then_some(served)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut first = None;
    while first.is_none() && Instant::now() < deadline {
        first = same();
        std::thread::sleep(Duration::from_millis(100));
    }
    let first = first.expect("the page's manifest is the served one");
    let file = site.join("content/mo-hinh/nam-gao-tinh-thuong.md");
    let text = std::fs::read_to_string(&file).unwrap();
    save(
        &file,
        &text.replace("Nắm gạo tình thương", "Nắm gạo sẻ chia"),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut next = None;
    while Instant::now() < deadline {
        next = same().filter(|m| *m != first);
        if next.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        next.is_some(),
        "after a save the page still carries the old manifest"
    );
}

/// The preview answers short links and a list's later pages at the
/// addresses a static host serves them at (`/m/<id>`, `/mo-hinh/trang/2`:
/// files `m/<id>.html`, `trang/2.html`), and a short link in the form
/// printed before they were files (`/m/<id>/`).
#[test]
fn serve_answers_pages_written_without_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(Path::new(common::FIXTURE_SITE), &site);
    let server = start_in(&site, &["serve", "--port", "0"]);
    let addr = &server.addr;
    let deadline = Instant::now() + Duration::from_secs(30);
    while request(addr, "GET", "/m/tbm01").0 != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    for path in ["/m/tbm01", "/m/tbm01/"] {
        let (status, body) = request(addr, "GET", path);
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("mo-hinh/tu-banh-mi/"), "{path}: {body}");
    }
    let (status, body) = request(addr, "GET", "/mo-hinh/trang/2");
    assert_eq!(status, 200);
    assert!(
        body.contains("rel=prev") || body.contains("rel=\"prev\""),
        "{body}"
    );
    assert_eq!(request(addr, "GET", "/m/khong-co").0, 404);
}
