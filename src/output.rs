//! Stage 6: write the site into a staging directory beside `public/`, then
//! swap it into place, so a failed or interrupted build leaves the previous
//! complete `public/` where it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Output;

/// A file copied as is (images, static files).
pub struct Copy {
    pub from: PathBuf,
    /// Site-relative destination.
    pub to: String,
}

fn minify_cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    // JS minification stays off: pages carry only JSON-LD and tiny scripts,
    // and no test yet proves the minifier safe on them.
    cfg.minify_js = false;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg
}

/// Minifies HTML outputs in place (in parallel).
pub fn minify(outputs: &mut [Output]) {
    let cfg = minify_cfg();
    outputs.par_iter_mut().filter(|o| o.html).for_each(|o| {
        o.bytes = minify_html::minify(&o.bytes, &cfg);
    });
}

/// Writes everything into a fresh staging directory and swaps it with
/// `target`. On error the staging directory is removed and `target` is
/// untouched.
pub fn write_site(target: &Path, outputs: &[Output], copies: &[Copy]) -> io::Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    clean_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}-staging-{}", std::process::id()));
    let previous = target.is_dir().then_some(target);
    let result = fill(&staging, previous, outputs, copies).and_then(|()| swap_in(&staging, target));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(
    staging: &Path,
    previous: Option<&Path>,
    outputs: &[Output],
    copies: &[Copy],
) -> io::Result<()> {
    // Last line of defence: whatever a document or setting produced, no
    // file is written outside the staging directory.
    let all = outputs.iter().map(|o| o.path.as_str());
    if let Some(bad) = all
        .chain(copies.iter().map(|c| c.to.as_str()))
        .find(|p| !stays_inside(p))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("output path `{bad}` would leave the site folder"),
        ));
    }
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging)?;
    let mut dirs: Vec<PathBuf> = outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain(copies.iter().map(|c| c.to.as_str()))
        .filter_map(|p| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    outputs
        .par_iter()
        .try_for_each(|o| write_or_link(previous, staging, &o.path, &o.bytes))?;
    copies.par_iter().try_for_each(|c| {
        let dest = staging.join(&c.to);
        if let Some(old) = previous.map(|p| p.join(&c.to)) {
            if same_file_content(&old, &c.from) && fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        fs::copy(&c.from, dest).map(|_| ())
    })?;
    Ok(())
}

/// Writes `bytes` to `staging/rel`, or hard-links the previous build's file
/// when it holds exactly these bytes. A rebuild then allocates no inode and
/// writes no data for unchanged pages (on ext4, allocating thousands of
/// inodes right after freeing thousands was the largest part of the write
/// stage), the old tree's removal frees nothing, and unchanged files keep
/// their modification time, so rsync-style uploads skip them. Files are
/// never modified in place, so sharing an inode with the old tree is safe.
fn write_or_link(
    previous: Option<&Path>,
    staging: &Path,
    rel: &str,
    bytes: &[u8],
) -> io::Result<()> {
    let dest = staging.join(rel);
    if let Some(old) = previous.map(|p| p.join(rel)) {
        if holds(&old, bytes) && fs::hard_link(&old, &dest).is_ok() {
            return Ok(());
        }
    }
    fs::write(dest, bytes)
}

/// Whether `path` is a regular file (not a link) with exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Whether the previous build's copy `old` equals the source file `from`.
fn same_file_content(old: &Path, from: &Path) -> bool {
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(old), fs::metadata(from)) else {
        return false;
    };
    a.is_file() && a.len() == b.len() && fs::read(from).is_ok_and(|bytes| holds(old, &bytes))
}

/// A relative path made only of plain names (no root, no `..`).
fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Replaces `target` by `staging` atomically where the OS allows it.
fn swap_in(staging: &Path, target: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous site.
        return fs::remove_dir_all(staging);
    }
    // rename(2) cannot replace a non-empty directory: move the old one
    // aside, move the new one in, then delete the old.
    let old = staging.with_extension("old");
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    fs::remove_dir_all(&old)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Removes staging directories left by builds that were killed.
fn clean_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}-staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, body: &str) -> Output {
        Output {
            path: path.into(),
            bytes: body.as_bytes().to_vec(),
            html: false,
        }
    }

    #[test]
    fn swap_replaces_the_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(
            &target,
            &[out("a/index.html", "1"), out("old.txt", "x")],
            &[],
        )
        .unwrap();
        write_site(&target, &[out("a/index.html", "2")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!target.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directory left behind");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_build() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let ino = |p: &str| fs::metadata(target.join(p)).unwrap().ino();
        write_site(
            &target,
            &[out("same.html", "a"), out("changed.html", "1")],
            &[],
        )
        .unwrap();
        let (same, changed) = (ino("same.html"), ino("changed.html"));
        write_site(
            &target,
            &[out("same.html", "a"), out("changed.html", "2")],
            &[],
        )
        .unwrap();
        assert_eq!(ino("same.html"), same, "an identical file is reused");
        assert_ne!(
            ino("changed.html"),
            changed,
            "a changed file is written anew"
        );
        assert_eq!(
            fs::read_to_string(target.join("changed.html")).unwrap(),
            "2"
        );
        assert_eq!(
            fs::metadata(target.join("same.html")).unwrap().nlink(),
            1,
            "old tree gone"
        );
    }

    #[test]
    fn paths_leaving_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/public");
        for bad in ["../x.html", "/tmp/x.html", "a/../../x.html", ""] {
            assert!(write_site(&target, &[out(bad, "x")], &[]).is_err(), "{bad}");
        }
        assert!(!dir.path().join("a/x.html").exists() && !target.exists());
        assert!(write_site(&target, &[out("a/b.html", "x")], &[]).is_ok());
    }

    #[test]
    fn failed_write_keeps_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(&target, &[out("index.html", "good")], &[]).unwrap();
        let bad = [Copy {
            from: dir.path().join("missing.jpg"),
            to: "x.jpg".into(),
        }];
        assert!(write_site(&target, &[out("index.html", "new")], &bad).is_err());
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "good"
        );
    }
}
