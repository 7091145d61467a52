//! The modules' written order of layers: a module may import from its own
//! layer and the layers below, never from one above, and no modules import
//! each other in a circle. Read from the `crate::` paths of each source
//! file (test modules left out), so a new upward import fails here before
//! it makes the next change cost more (see docs/architecture.md).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Bottom to top.
const LAYERS: [(&str, &[&str]); 6] = [
    (
        "core: shared types and text",
        &[
            "core",
            "clock",
            "memory",
            "vi",
            "text",
            "frontmatter",
            "schema",
        ],
    ),
    (
        "model: settings, vocabularies, diagnostics, the site's data",
        &[
            "diagnostic",
            "vocab",
            "hosts",
            "config",
            "markdown",
            "taxonomy",
            "site",
            "urls",
            "qr",
            "cards",
            "progress",
        ],
    ),
    (
        "read and write: stages 1–3, the writer, new files",
        &[
            "load",
            "validate",
            "failed",
            "classify",
            "related",
            "link",
            "urls_lock",
            "images",
            "lint",
            "links",
            "theme",
            "output",
            "compress",
            "init",
            "new_doc",
            "sheet",
        ],
    ),
    ("make: stages 4–5", &["render", "search"]),
    ("drive: the one pipeline", &["pipeline"]),
    (
        "commands: what each does with the pipeline",
        &["build", "check", "serve", "exchange"],
    ),
];

/// Each top-level module of `src/` with the modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if module == "main" || module == "lib" {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for used in crate_paths(code) {
            if used != module && used != "tr" {
                deps.insert(used);
            }
        }
    }
    graph
}

/// The first segment of every `crate::…` path, including those inside
/// `use crate::{a::X, b}` groups.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

#[test]
fn no_module_imports_from_a_layer_above() {
    let graph = imports();
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        let Some(own) = layer_of(module) else {
            wrong.push(format!("`{module}` is in no layer: add it to LAYERS"));
            continue;
        };
        for dep in deps.iter().filter(|d| graph.contains_key(*d)) {
            match layer_of(dep) {
                Some(l) if l > own => wrong.push(format!(
                    "`{module}` ({}) imports `{dep}` ({})",
                    LAYERS[own].0, LAYERS[l].0
                )),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let graph = imports();
    // Depth-first search; a module met again while still open closes a circle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        open: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = open.iter().position(|o| *o == m) {
            let mut circle: Vec<String> = open[i..].iter().map(|s| s.to_string()).collect();
            circle.push(m.to_string());
            return Some(circle);
        }
        if !done.insert(m) {
            return None;
        }
        open.push(m);
        for dep in graph.get(m).into_iter().flatten() {
            if graph.contains_key(dep) {
                if let Some(c) = visit(dep, graph, open, done) {
                    return Some(c);
                }
            }
        }
        open.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(circle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("modules import each other: {}", circle.join(" → "));
        }
    }
}

/// The checks above see a real upward import: a guard against a parser
/// that finds nothing.
#[test]
fn the_import_reader_sees_imports() {
    let graph = imports();
    assert!(graph["build"].contains("render"));
    assert!(graph["render"].contains("site"));
    assert!(crate_paths("use crate::{a::B, c};\nlet x = crate::d::e();")
        .into_iter()
        .eq(["a", "c", "d"].map(String::from)));
    assert!(LAYERS.iter().flat_map(|(_, m)| m.iter()).count() >= graph.len());
}
