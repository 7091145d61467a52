//! Stage 6: write the site into a staging directory beside `public/`, then
//! swap it into place, so a failed or interrupted build leaves the previous
//! complete `public/` where it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::Output;

mod sums;
use sums::{Known, Recorder, Stamp, Sum, TreeId};

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

/// A page minified (other outputs pass through).
pub fn minify(mut o: Output) -> Output {
    if o.html {
        o.bytes = MINIFY.with(|cfg| minify_html::minify(&o.bytes, cfg));
    }
    o
}

thread_local! {
    static MINIFY: minify_html::Cfg = minify_cfg();
}

/// What a build wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    pub files: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// Writes a site into a staging tree as its files are made (from any
/// thread), then swaps the tree in whole: a build never holds the whole
/// rendered site in memory, and on error `target` is untouched.
///
/// The staging tree is not built from nothing: the site before the
/// previous one is kept beside `target` (`.public~spare`) and brought up to
/// date, so a rebuild writes only the files that changed and creates or
/// deletes only the folders that appeared or vanished. Creating and then
/// deleting every page's folder on each build was most of the write time
/// (on ext4 with `discard`, freeing each folder's block waits for the
/// disk), and unchanged files keep their modification time, so rsync-style
/// uploads skip them. The cost is a second copy of the site on disk.
///
/// Whether a file of the reused tree already holds a page's bytes is told
/// by the [ledger](sums) of that tree's build where it can (one `stat`),
/// and by reading the file where it cannot.
pub struct SiteWriter {
    target: PathBuf,
    spare: PathBuf,
    staging: PathBuf,
    /// The reused tree's files as its build left them.
    known: Known,
    /// The ledgers of the published tree and of the spare one.
    ledgers: [PathBuf; 2],
    made: Mutex<Made>,
    finished: bool,
}

#[derive(Default)]
struct Made {
    files: HashSet<String>,
    dirs: HashSet<String>,
    written: Written,
    /// The ledger of the staging tree, as it is written.
    recorder: Option<Recorder>,
}

impl SiteWriter {
    pub fn open(target: &Path) -> io::Result<SiteWriter> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let spare = parent.join(format!(".{name}~spare"));
        clean_leftovers(parent, &name, &spare);
        let staging = parent.join(format!(".{name}-staging-{}", std::process::id()));
        // rename(2) is atomic: of two builds racing for the spare tree one
        // gets it, the other starts from an empty folder.
        let _ = fs::rename(&spare, &staging);
        // Links in the reused tree are never followed, and no walk looks
        // for them here (at 100,000 models a walk of the tree takes seconds):
        // the tree itself and each folder are checked when first written in
        // (`make_dir`), a file is unlinked before it is replaced
        // (`sync_file`), and `prune` removes the links left.
        make_dir(&staging)?;
        let tree = TreeId::of(&staging);
        let ledgers =
            [format!(".{name}~sums"), format!(".{name}~spare~sums")].map(|f| parent.join(f));
        let recorder = Recorder::start(ledger_beside(&staging), tree);
        Ok(SiteWriter {
            target: target.to_path_buf(),
            spare,
            known: Known::load(&ledgers[1], tree),
            ledgers,
            staging,
            made: Mutex::new(Made {
                recorder: Some(recorder),
                ..Made::default()
            }),
            finished: false,
        })
    }

    /// Writes one file (unless the spare tree already holds it).
    pub fn put(&self, o: &Output) -> io::Result<()> {
        let dest = self.place(&o.path)?;
        let key = sums::key(&o.path);
        let sum = sync_file(&dest, &o.bytes, self.known.get(key))?;
        self.record(&o.path, o.bytes.len() as u64, o.html, sum.map(|s| (key, s)));
        Ok(())
    }

    /// Copies the files that are published as they are, then swaps the
    /// staging tree in.
    pub fn finish(mut self, copies: &[Copy]) -> io::Result<Written> {
        copies.par_iter().try_for_each(|c| {
            let dest = self.place(&c.to)?;
            sync_copy(&c.from, &dest)?;
            let len = fs::metadata(&c.from).map_or(0, |m| m.len());
            self.record(&c.to, len, false, None);
            Ok::<(), io::Error>(())
        })?;
        let made = std::mem::take(&mut *self.lock());
        prune(&self.staging, &made.files, &made.dirs)?;
        swap_in(&self.staging, &self.target, &self.spare)?;
        self.finished = true;
        // The ledgers follow their trees. Failing to move one costs only
        // reading files back in a later build: the site is in place.
        let [published, spare] = &self.ledgers;
        if fs::rename(published, spare).is_err() {
            let _ = fs::remove_file(spare);
        }
        if let Some(recorder) = made.recorder {
            recorder.keep(published);
        }
        Ok(made.written)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Made> {
        // A panic elsewhere cannot leave the sets half-updated.
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The path of `rel` in the staging tree, its folders made.
    fn place(&self, rel: &str) -> io::Result<PathBuf> {
        // Last line of defence: whatever a document or setting produced,
        // no file is written outside the staging directory.
        if !stays_inside(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("output path `{rel}` would leave the site folder"),
            ));
        }
        let mut ancestors: Vec<&str> = Path::new(rel)
            .ancestors()
            .skip(1)
            .filter_map(Path::to_str)
            .filter(|d| !d.is_empty())
            .collect();
        ancestors.reverse();
        for d in ancestors {
            if self.lock().dirs.contains(d) {
                continue;
            }
            make_dir(&self.staging.join(d))?;
            self.lock().dirs.insert(d.to_string());
        }
        Ok(self.staging.join(rel))
    }

    fn record(&self, rel: &str, len: u64, page: bool, sum: Option<(u64, Sum)>) {
        let mut made = self.lock();
        if made.files.insert(rel.to_string()) {
            made.written.files += 1;
            made.written.pages += usize::from(page);
            made.written.bytes += len;
        }
        if let (Some((key, sum)), Some(recorder)) = (sum, &mut made.recorder) {
            recorder.record(key, sum);
        }
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // What was written is still a good spare: the next build re-syncs it.
        if fs::rename(&self.staging, &self.spare).is_err() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes a whole site at once (see [`SiteWriter`]); the tests' shorthand.
#[cfg(test)]
fn write_site(target: &Path, outputs: &[Output], copies: &[Copy]) -> io::Result<Written> {
    let writer = SiteWriter::open(target)?;
    outputs.par_iter().try_for_each(|o| writer.put(o))?;
    writer.finish(copies)
}

/// A real folder at `dir` (whose parent is one), whatever stood there.
fn make_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => fs::remove_file(dir)?,
        Err(_) => {}
    }
    match fs::create_dir(dir) {
        // Another thread made it first.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        r => r,
    }
}

/// Removes from a reused staging tree everything this build does not
/// write: vanished pages, and anything of the wrong kind (a file where a
/// folder goes, a link anywhere).
fn prune(staging: &Path, files: &HashSet<String>, dirs: &HashSet<String>) -> io::Result<()> {
    let mut walk = walkdir::WalkDir::new(staging).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(staging)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .replace('\\', "/");
        let kind = entry.file_type();
        if kind.is_dir() {
            if !dirs.contains(&rel) {
                fs::remove_dir_all(entry.path())?;
                walk.skip_current_dir();
            }
        } else if !(kind.is_file() && files.contains(&rel)) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Leaves `dest` alone when it already holds `bytes`; otherwise replaces
/// it. The old file is unlinked first, never truncated in place, in case
/// its inode is shared with a published file. Returns what to remember of
/// the file for the next build that reuses this tree.
fn sync_file(dest: &Path, bytes: &[u8], known: Option<&Sum>) -> io::Result<Option<Sum>> {
    let hash = sums::hash(bytes);
    let old = fs::symlink_metadata(dest).ok();
    let old_stamp = old.as_ref().and_then(Stamp::of);
    let same = match known.filter(|k| old_stamp == Some(k.stamp)) {
        // The file is as its build left it: its hash then tells.
        Some(k) => k.hash == hash,
        None => holds(dest, bytes),
    };
    let stamp = if same {
        old_stamp
    } else {
        remove_if_present(dest)?;
        fs::write(dest, bytes)?;
        fs::symlink_metadata(dest).ok().as_ref().and_then(Stamp::of)
    };
    Ok(stamp.map(|stamp| Sum { stamp, hash }))
}

fn sync_copy(from: &Path, dest: &Path) -> io::Result<()> {
    if same_file_content(dest, from) {
        return Ok(());
    }
    remove_if_present(dest)?;
    fs::copy(from, dest).map(|_| ())
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        // A folder where a file now goes (a page became a file).
        return fs::remove_dir_all(path);
    }
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
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

/// Whether `old` (in the staging tree) equals the source file `from`.
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

/// Replaces `target` by `staging` atomically where the OS allows it; the
/// previous site becomes the spare tree for the next build.
fn swap_in(staging: &Path, target: &Path, spare: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous site.
        return keep_as_spare(staging, spare);
    }
    // rename(2) cannot replace a non-empty directory: move the old one
    // aside, move the new one in, then keep the old.
    let old = staging.with_extension("old");
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    keep_as_spare(&old, spare)
}

fn keep_as_spare(old: &Path, spare: &Path) -> io::Result<()> {
    if fs::rename(old, spare).is_ok() {
        return Ok(());
    }
    fs::remove_dir_all(old)
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

/// Where the ledger of a staging tree is written until the tree is
/// published: named after the tree, so [`clean_leftovers`] finds it.
fn ledger_beside(staging: &Path) -> PathBuf {
    let mut name = staging.as_os_str().to_owned();
    name.push("~sums");
    PathBuf::from(name)
}

/// Clears staging directories left by builds that were killed: the first
/// becomes the spare tree if there is none (it is re-synced like any spare),
/// the others are removed, and so are their unfinished ledgers.
fn clean_leftovers(parent: &Path, name: &str, spare: &Path) {
    let prefix = format!(".{name}-staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut leftovers: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    for path in leftovers {
        if !path.is_dir() {
            // An unfinished ledger.
            let _ = fs::remove_file(&path);
        } else if spare.exists() || fs::rename(&path, spare).is_err() {
            let _ = fs::remove_dir_all(&path);
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
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".public~spare",
                ".public~spare~sums",
                ".public~sums",
                "public"
            ],
            "no staging directory left behind"
        );
    }

    /// Links planted in the reused tree (or as the tree itself) are never
    /// followed: every write lands inside the staging tree, and the
    /// published site holds no link.
    #[cfg(unix)]
    #[test]
    fn links_in_the_reused_tree_are_not_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("secret"), "secret").unwrap();
        let target = dir.path().join("public");
        let spare = dir.path().join(".public~spare");
        let site = |n: &str| vec![out("a/page.html", n), out("b/c/page.html", n)];
        write_site(&target, &site("1"), &[]).unwrap();
        write_site(&target, &site("2"), &[]).unwrap();
        // Build 3 reuses the tree of build 1.
        fs::remove_file(spare.join("a/page.html")).unwrap();
        symlink(outside.join("secret"), spare.join("a/page.html")).unwrap();
        fs::remove_dir_all(spare.join("b/c")).unwrap();
        symlink(&outside, spare.join("b/c")).unwrap();
        symlink(&outside, spare.join("elsewhere")).unwrap();
        write_site(&target, &site("3"), &[]).unwrap();
        // Build 4 reuses build 2's tree, replaced by a link to a folder.
        fs::remove_dir_all(&spare).unwrap();
        symlink(&outside, &spare).unwrap();
        write_site(&target, &site("4"), &[]).unwrap();
        let mut outside_now: Vec<_> = fs::read_dir(&outside)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        outside_now.sort();
        assert_eq!(outside_now, ["secret"], "nothing written outside");
        assert_eq!(
            fs::read_to_string(outside.join("secret")).unwrap(),
            "secret"
        );
        for tree in [&target, &spare] {
            assert!(fs::symlink_metadata(tree).unwrap().is_dir());
            for entry in walkdir::WalkDir::new(tree) {
                let entry = entry.unwrap();
                assert!(!entry.path_is_symlink(), "{:?} is a link", entry.path());
            }
        }
        assert_eq!(
            fs::read_to_string(target.join("b/c/page.html")).unwrap(),
            "4"
        );
        assert_eq!(
            fs::read_to_string(spare.join("b/c/page.html")).unwrap(),
            "3"
        );
    }

    #[cfg(unix)]
    #[test]
    fn rebuilds_rewrite_only_what_changed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let ino = |p: &str| fs::metadata(target.join(p)).unwrap().ino();
        let site = |n: &str| {
            vec![
                out("a/same.html", "a"),
                out("b/changed.html", n),
                out(&format!("gone-{n}/index.html"), n),
            ]
        };
        // Builds 1 and 2 fill the published and the spare tree; build 3
        // reuses the tree of build 1.
        write_site(&target, &site("1"), &[]).unwrap();
        let same = ino("a/same.html");
        write_site(&target, &site("2"), &[]).unwrap();
        write_site(&target, &site("3"), &[]).unwrap();
        assert_eq!(
            ino("a/same.html"),
            same,
            "an unchanged file is not rewritten"
        );
        assert_eq!(
            fs::read_to_string(target.join("b/changed.html")).unwrap(),
            "3"
        );
        assert!(target.join("gone-3/index.html").is_file());
        for old in ["gone-1", "gone-2"] {
            assert!(!target.join(old).exists(), "{old} vanished with its page");
        }
        let spare = dir.path().join(".public~spare");
        assert_eq!(
            fs::read_to_string(spare.join("b/changed.html")).unwrap(),
            "2"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_files_record_stands_for_its_bytes_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.html");
        let first = sync_file(&file, b"old", None).unwrap().unwrap();
        // A record claiming other bytes is believed while the stamp holds:
        // the file is not read back (nor rewritten).
        let claims_new = Sum {
            hash: sums::hash(b"new"),
            ..first
        };
        assert_eq!(
            sync_file(&file, b"new", Some(&claims_new)).unwrap(),
            Some(claims_new)
        );
        assert_eq!(fs::read(&file).unwrap(), b"old");
        // Once the file changed, its record is stale and the bytes decide.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&file, b"odd").unwrap();
        let after = sync_file(&file, b"new", Some(&claims_new))
            .unwrap()
            .unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert_eq!(after.hash, sums::hash(b"new"));
        assert_ne!(after.stamp, first.stamp);
    }

    #[cfg(unix)]
    #[test]
    fn rebuilds_see_a_hand_edited_file_in_the_reused_tree() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let site = [out("a/index.html", "good"), out("b.txt", "same")];
        for _ in 0..3 {
            write_site(&target, &site, &[]).unwrap();
        }
        assert!(dir.path().join(".public~sums").is_file());
        // The spare tree is reused by the next build: damage it (same
        // length, so only the ledger's stamp can tell).
        let spare = dir.path().join(".public~spare");
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(spare.join("a/index.html"), "evil").unwrap();
        write_site(&target, &site, &[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "good"
        );
        // A damaged ledger only costs reading.
        fs::write(dir.path().join(".public~sums"), "garbage").unwrap();
        write_site(&target, &[out("a/index.html", "next")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "next"
        );
        assert!(!target.join("b.txt").exists());
    }

    #[test]
    fn a_killed_builds_staging_becomes_the_spare() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(&target, &[out("index.html", "1")], &[]).unwrap();
        let stale = dir.path().join(".public-staging-999999999");
        fs::create_dir_all(stale.join("half")).unwrap();
        fs::write(stale.join("half/written.html"), "x").unwrap();
        fs::write(ledger_beside(&stale), "half a ledger").unwrap();
        write_site(&target, &[out("index.html", "2")], &[]).unwrap();
        assert!(!stale.exists());
        write_site(&target, &[out("index.html", "3")], &[]).unwrap();
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| [
                "public",
                ".public~spare",
                ".public~sums",
                ".public~spare~sums"
            ]
            .contains(&n.as_str())),
            "{names:?}"
        );
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "3");
        assert!(!target.join("half").exists());
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
