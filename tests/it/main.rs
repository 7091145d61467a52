//! The integration tests, in one binary (as ripgrep's `tests/tests.rs`):
//! the crate and its dependencies are linked once, not once per file.
//! Each module tests one part of the program as a user meets it; the
//! shared helpers (running the binary in a folder, a `serve` harness,
//! snapshots) are in `common`.

mod common;

/// The benchmark corpus generator, also checked by `gen_corpus` and used
/// by `serve`'s incremental-rebuild test.
#[path = "../../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod corpus;

/// The fuzz targets' entry points, replayed by `fuzz_corpus`.
#[path = "../../fuzz/entry.rs"]
mod entry;

mod browser;
mod build;
mod cli;
mod compress;
mod contrast;
mod diagnostics;
mod editor_errors;
mod fuzz_corpus;
mod gen_corpus;
mod hostile;
mod hosts;
mod images;
mod interrupt;
mod layers;
mod newcomer;
mod ownership;
mod search;
mod serve;
mod serve_load;
mod share;
mod sheets;
mod site_features;
mod strings;
mod subpath;
mod theming;
mod withheld;
