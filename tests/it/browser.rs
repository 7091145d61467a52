//! Real-browser tests: runs `tests/browser/run.mjs` (Node + puppeteer-core +
//! Debian's headless Chromium) against the sample site built by this crate's
//! `dienhinh` binary. Skipped, with a notice, where Chromium or the npm
//! packages are not installed.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// run.mjs stops itself after 5 minutes; this is the backstop.
const TIMEOUT: Duration = Duration::from_secs(6 * 60);

#[test]
fn browser_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} not found"));
    }
    if !root
        .join("tests/browser/node_modules/puppeteer-core")
        .exists()
    {
        missing.push("tests/browser/node_modules/puppeteer-core not installed".to_string());
    }
    if !missing.is_empty() {
        // Straight to stderr, past the test harness's capture, so it is seen.
        let _ = writeln!(
            std::io::stderr().lock(),
            "browser tests skipped: {}; run .ci/run or \
             `apt-get install -y chromium && (cd tests/browser && npm ci)`",
            missing.join(", ")
        );
        return;
    }

    let mut child = Command::new("node")
        .arg("tests/browser/run.mjs")
        .current_dir(root)
        .env("DIENHINH_BIN", env!("CARGO_BIN_EXE_dienhinh"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("could not start `node` (is Node.js installed?)");

    let drain = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));

    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for node") {
            break Some(status);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        println!("--- stderr ---\n{stderr}");
    }
    match status {
        None => panic!("tests/browser/run.mjs did not finish in {TIMEOUT:?}"),
        Some(s) => assert!(
            s.success(),
            "browser tests failed ({s}); see the FAIL lines above and \
             the screenshots in tests/browser/artifacts/"
        ),
    }
}
