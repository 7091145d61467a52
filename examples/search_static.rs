//! The Rust reference scorer (`search::scorer`, what the tests compare the
//! browser client with) over a built site's static index, for a list of
//! queries: bench/search-set-all.sh's "rust" engine.
//!
//!     cargo build --release --example search_static
//!     target/release/examples/search_static PUBLIC/_search [SET.json] \
//!         [--limit N] [--first-page] [--typing]
//!
//! SET.json (or stdin) is a JSON list of queries, each a string or an
//! object with "q" (a relevance set). Prints one JSON line per query,
//! {"q": …, "urls": [the first N result URLs, field "u" of each result's
//! metadata]} (N = 20 by default). As the search page does: the first page,
//! then, when it is incomplete and shorter than N, every result (what
//! "more results" shows; `scorer::search_all`). --first-page: the first
//! page only. --typing: the query is being typed (its last word may be
//! unfinished); today's scorer reads every query's last word as possibly
//! unfinished, so the flag is only reported (503191d's `search_with` took
//! it as a parameter: bench/search_static_503191d.rs).
//!
//! The index must have been written by the same version of the crate.
use std::collections::BTreeMap;
use std::io::Read;

use dienhinh::search::scorer;
use dienhinh::search::static_index::StaticIndex;

/// Result documents of `q`, best first: at most `limit`.
fn ask(
    index: &StaticIndex,
    q: &str,
    filters: &BTreeMap<String, String>,
    limit: usize,
    first_page: bool,
    _typing: bool,
) -> std::io::Result<Vec<u32>> {
    let mut r = scorer::search(index, q, filters);
    if !first_page && !r.complete && r.hits.len() < limit {
        r = scorer::search_all(index, q, filters);
    }
    Ok(r.hits.iter().take(limit).map(|h| h.doc).collect())
}

/// Whether `ask` takes `--typing` into account.
const TYPING_PARAMETER: bool = false;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut set, mut limit) = (None, None, 20usize);
    let (mut first_page, mut typing) = (false, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--limit" => limit = args.next().and_then(|n| n.parse().ok()).expect("--limit N"),
            "--first-page" => first_page = true,
            "--typing" => typing = true,
            _ if dir.is_none() => dir = Some(a),
            _ if set.is_none() => set = Some(a),
            _ => {
                eprintln!("search_static: unexpected argument {a}");
                std::process::exit(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "usage: search_static PUBLIC/_search [SET.json] [--limit N] [--first-page] [--typing]"
        );
        std::process::exit(2);
    };
    if typing && !TYPING_PARAMETER {
        eprintln!("search_static: this scorer has no typing parameter (every query's last word may be unfinished); --typing changes nothing");
    }
    let text = match &set {
        Some(path) => std::fs::read_to_string(path).expect("the query set"),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .expect("queries on stdin");
            s
        }
    };
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON list of queries");
    let index = StaticIndex::open(std::path::Path::new(&dir)).unwrap_or_else(|e| {
        eprintln!("search_static: {dir}: {e}");
        std::process::exit(1);
    });
    let filters = BTreeMap::new();
    for item in list {
        let q = match &item {
            serde_json::Value::String(s) => s.clone(),
            v => v["q"].as_str().expect("a query with \"q\"").to_string(),
        };
        let mut out = serde_json::json!({ "q": q, "urls": [] });
        match ask(&index, &q, &filters, limit, first_page, typing) {
            Ok(docs) => {
                let urls: Vec<serde_json::Value> = docs
                    .into_iter()
                    .map(|d| index.meta(d).map(|m| m["u"].clone()).unwrap_or_default())
                    .collect();
                out["urls"] = serde_json::Value::Array(urls);
            }
            Err(e) => out["error"] = serde_json::Value::String(e.to_string()),
        }
        println!("{out}");
    }
}
