//! One harness for the tests that run `dienhinh serve`: start it as a user
//! does, talk plain HTTP to it, follow its event stream and its terminal.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub log: mpsc::Receiver<String>,
    /// What it printed up to the line with its address.
    pub early: Vec<String>,
    /// How many of `early` [`wait_log`] has looked through.
    seen_early: std::cell::Cell<usize>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `dienhinh -C site serve --port 0`.
pub fn start(site: &Path) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    cmd.arg("-C").arg(site).args(["serve", "--port", "0"]);
    spawn(cmd)
}

/// `dienhinh ARGS` started in `dir`, as a user types it there.
pub fn start_in(dir: &Path, args: &[&str]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    cmd.current_dir(dir).args(args);
    spawn(cmd)
}

/// Starts `cmd` (a `serve`) and waits for the line with its address.
pub fn spawn(mut cmd: Command) -> Server {
    let mut child = cmd
        .stdin(Stdio::null())
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
        early: Vec::new(),
        seen_early: std::cell::Cell::new(0),
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(line) = server.log.recv_timeout(Duration::from_millis(200)) {
            if let Some(i) = line.find("http://127.0.0.1:") {
                server.addr = line[i + 7..].split('/').next().unwrap().to_string();
                server.early.push(line);
                return server;
            }
            server.early.push(line);
        }
    }
    panic!("serve did not start:\n{}", server.early.join("\n"));
}

/// A plain HTTP/1.0 request; returns the status and the body.
pub fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
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
pub fn events(addr: &str) -> mpsc::Receiver<String> {
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
pub fn wait_event(rx: &mpsc::Receiver<String>, name: &str) -> String {
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
/// `prefix`; returns it. Lines printed before the address count too: the
/// server's threads print in whatever order they finish.
pub fn wait_log(server: &Server, prefix: &str, within: Duration) -> String {
    // Each early line is looked at once, as the later ones are.
    while server.seen_early.get() < server.early.len() {
        let l = &server.early[server.seen_early.get()];
        server.seen_early.set(server.seen_early.get() + 1);
        if l.starts_with(prefix) {
            return l.clone();
        }
    }
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
pub fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(".dienhinh-test-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}
