//! Lists the default theme's templates for `src/theme.rs`, so a template
//! added to `themes/default/templates/` is built in without naming it in
//! the code. Written out by hand rather than with the `include_dir` crate:
//! on stable Rust that crate cannot tell Cargo to rebuild when a template
//! changes, and `include_str!` of each file (what this writes) can.

use std::path::Path;

fn main() {
    let dir = Path::new("themes/default/templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    collect(dir, dir, &mut names);
    names.sort();
    let mut out = String::from("&[\n");
    for name in &names {
        out.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/themes/default/templates/\", {name:?}))),\n"
        ));
    }
    out.push(']');
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// Every file under `dir`, by its path from `root` with `/` separators.
fn collect(root: &Path, dir: &Path, names: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).expect("themes/default/templates is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, names);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            names.push(parts.join("/"));
        }
    }
}
