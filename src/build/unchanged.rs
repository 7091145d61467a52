//! A build of what is already published writes nothing: when every input
//! of the last build is as it was, and the published folder is exactly as
//! that build left it, the output would be byte for byte the same
//! (builds are reproducible), and so would its warnings: the site is
//! neither read nor rendered nor indexed again, and the last build's
//! warnings are shown as it found them (recorded with the text they point
//! into, so each still shows its line).
//!
//! The inputs are known by their file system stamps (path, size, inode,
//! modification and change times, as `make` and Hugo's cache do), not
//! read: an editor's save, even one that writes the same bytes or
//! replaces the file by rename, counts as a change. Beside them: the
//! settings file's bytes, the program itself, the day printouts are
//! dated, and the build's options. `urls.lock` is both read and written
//! by a build, so its bytes after the last build are kept beside the key.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BuildOptions;
use crate::diagnostic::{Diagnostic, Recorded, Sources};
use crate::output::Written;

/// What the last complete build was made from and made.
#[derive(Debug, Serialize, Deserialize)]
pub struct Last {
    /// Its inputs ([`key`]), taken before it read them.
    key: u64,
    /// A hash of `urls.lock` as it left it.
    urls_lock: u64,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Its warnings, and the texts they point into.
    warnings: Vec<Recorded>,
    sources: Sources,
}

impl Last {
    /// The warnings of the last build, as it found them; `None` when the
    /// record does not hold them whole.
    pub fn warnings(&mut self) -> Option<Vec<Diagnostic>> {
        let sources = std::mem::take(&mut self.sources).into_shared();
        std::mem::take(&mut self.warnings)
            .into_iter()
            .map(|w| w.restore(&sources))
            .collect()
    }
}

fn record_file(root: &Path) -> PathBuf {
    root.join(".dienhinh").join("last-build.json")
}

/// The inputs of a build of `opts`, by their stamps.
pub fn key(opts: &BuildOptions) -> u64 {
    let mut h = DefaultHasher::new();
    program().hash(&mut h);
    crate::clock::build_day().hash(&mut h);
    (&opts.output, opts.drafts, &opts.base_url, opts.compress).hash(&mut h);
    std::fs::read(opts.root.join(crate::config::CONFIG_FILE))
        .ok()
        .hash(&mut h);
    for dir in ["content", "static", "themes"] {
        let top = opts.root.join(dir);
        top.is_dir().hash(&mut h);
        if !top.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&top).sort_by_file_name() {
            let Ok(entry) = entry else {
                // Unreadable: never the same as last time.
                std::time::SystemTime::now().hash(&mut h);
                continue;
            };
            entry.path().hash(&mut h);
            entry.file_type().is_dir().hash(&mut h);
            if let Ok(m) = entry.metadata() {
                stamp(&m).hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The program itself, by its file's stamp and version: a new binary may
/// write other bytes.
pub fn program() -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        stamp(&m).hash(&mut h);
    }
    env!("CARGO_PKG_VERSION").hash(&mut h);
    h.finish()
}

/// Size, inode, modification and change times.
fn stamp(m: &std::fs::Metadata) -> (u64, u64, i64, i64, i64, i64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (
            m.len(),
            m.ino(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
        )
    }
    #[cfg(not(unix))]
    {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        (m.len(), 0, modified, 0, 0, 0)
    }
}

fn urls_lock_hash(root: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    std::fs::read(root.join(crate::urls_lock::LOCK_FILE))
        .ok()
        .hash(&mut h);
    h.finish()
}

/// The last build, when a build of inputs `key` would write what it
/// published and that is still there untouched.
pub fn published(opts: &BuildOptions, key: u64) -> Option<Last> {
    let text = std::fs::read(record_file(&opts.root)).ok()?;
    let last: Last = serde_json::from_slice(&text).ok()?;
    (last.key == key
        && last.urls_lock == urls_lock_hash(&opts.root)
        && crate::output::intact(&opts.output))
    .then_some(last)
}

/// Notes what a complete build of inputs `key` published, and the
/// warnings it gave. A failure to note it costs only a full build next
/// time.
pub fn remember(opts: &BuildOptions, key: u64, written: &Written, warnings: &[Diagnostic]) {
    let mut sources = Sources::default();
    let warnings = warnings.iter().map(|w| w.record(&mut sources)).collect();
    let last = Last {
        key,
        urls_lock: urls_lock_hash(&opts.root),
        pages: written.pages,
        files: written.files,
        bytes: written.bytes,
        warnings,
        sources,
    };
    if let Ok(json) = serde_json::to_vec(&last) {
        let path = record_file(&opts.root);
        if path
            .parent()
            .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
        {
            let _ = crate::core::files::write_whole(&path, &json);
        }
    }
}

/// Forgets the last build (before one that may leave another site).
pub fn forget(opts: &BuildOptions) {
    let _ = std::fs::remove_file(record_file(&opts.root));
}
