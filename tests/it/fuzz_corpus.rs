//! Replays the committed fuzzing corpus (`fuzz/corpus/<target>/`) through
//! the very entry points the cargo-fuzz targets call (`fuzz/entry.rs`), on
//! stable, so every input the fuzzer found interesting stays a regression
//! test: no panic, no live script in rendered Markdown, text fields read
//! as written, XML text well-formed.

use crate::entry;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 50,
        "{target}: only {} corpus files",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let bytes = fs::read(f).unwrap();
            catch_unwind(AssertUnwindSafe(|| run(&bytes)))
                .err()
                .map(|_| f.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{target}: {} of {} corpus inputs failed: {failures:?}",
        failures.len(),
        files.len()
    );
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", entry::front_matter);
}

#[test]
fn front_matter_strings_corpus() {
    replay("front_matter_strings", entry::front_matter_strings);
}

#[test]
fn xml_writers_corpus() {
    replay("xml_writers", entry::xml_writers);
}

#[test]
fn markdown_corpus() {
    replay("markdown", entry::markdown);
}

#[test]
fn search_analyzer_corpus() {
    replay("search_analyzer", entry::search_analyzer);
}

#[test]
fn the_markdown_check_finds_live_script() {
    for bad in [
        "<script>alert(1)</script>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<img src=\"data:image/svg+xml,x\" alt=\"\">",
        "<p onclick=\"x\">a</p>",
        "<a href=\"java&#9;script:x\">a</a>",
    ] {
        assert!(entry::live_script(bad).is_some(), "{bad}");
    }
    let good = "<h2 id=\"a\">A</h2><p><a href=\"https://a.vn\">x</a> &lt;script&gt;</p>";
    assert_eq!(entry::live_script(good), None);
}
