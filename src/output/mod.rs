//! Stage 6: write the site into a staging directory beside `public/`, then
//! swap it into place, so a failed or interrupted build leaves the previous
//! complete `public/` where it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::core::Output;

mod claim;
mod sums;
pub use claim::{BackedUp, Refusal, Strangers, Surveyed};
use sums::{Known, Recorder, Stamp, Sum, TreeId};

/// A writer ready to write, and what it moved aside to get there.
pub struct Opened {
    pub writer: SiteWriter,
    pub backed_up: Option<BackedUp>,
}

/// Why the output folder could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// It holds what the build will not replace (see [`claim`]).
    Refused(Refusal),
    Io(io::Error),
}

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
    /// The published tree's files as its build left them: where a page an
    /// earlier build rendered is taken from when the reused tree lacks it
    /// ([`SiteWriter::keep`]).
    published: Known,
    /// The ledgers of the published tree and of the spare one.
    ledgers: [PathBuf; 2],
    made: Mutex<Made>,
    /// A write failed for lack of space: the unfinished tree is removed,
    /// not kept as the spare.
    out_of_space: AtomicBool,
    finished: bool,
    /// The staging tree was made empty by this build (no spare tree to
    /// reuse, as in a CI build): nothing in it can be in the way, so files
    /// and folders are created without looking first, and nothing is
    /// pruned. A cold build at 10,000 models made five path lookups a
    /// file, four of them failing.
    fresh: bool,
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
    /// Prepares to write the site that will replace `target`. Refuses (or
    /// with [`Strangers::BackUp`] moves aside) whatever in `target` no
    /// build of ours wrote, before anything is written.
    pub fn open(target: &Path, strangers: Strangers) -> Result<Opened, OpenError> {
        Self::open_surveyed(target, strangers, None)
    }

    /// [`SiteWriter::open`] with the walk of `target` a [`survey`] made
    /// ahead of time, when it is still of that folder.
    pub fn open_surveyed(
        target: &Path,
        strangers: Strangers,
        surveyed: Option<Surveyed>,
    ) -> Result<Opened, OpenError> {
        let (parent, name, ledgers) = beside(target);
        let parent = parent.as_path();
        fs::create_dir_all(parent).map_err(|e| OpenError::Io(at(parent, e)))?;
        let surveyed = match surveyed.filter(|s| s.still_of(target)) {
            Some(s) => s,
            None => claim::survey(target, &known_ledgers(target), claim::Walk::OnAllCores)
                .map_err(|e| OpenError::Io(at(target, e)))?,
        };
        let backed_up = claim::settle(target, surveyed, strangers)
            .map_err(|e| OpenError::Io(at(target, e)))?
            .map_err(OpenError::Refused)?;
        let spare = parent.join(format!(".{name}~spare"));
        clean_leftovers(parent, &name, &spare);
        let staging = parent.join(format!(".{name}-staging-{}", std::process::id()));
        // rename(2) is atomic: of two builds racing for the spare tree one
        // gets it, the other starts from an empty folder.
        let fresh = fs::rename(&spare, &staging).is_err() && fs::create_dir(&staging).is_ok();
        // Links in the reused tree are never followed, and no walk looks
        // for them here (at 100,000 models a walk of the tree takes seconds):
        // the tree itself and each folder are checked when first written in
        // (`make_dir`), a file is unlinked before it is replaced
        // (`sync_file`), and `prune` removes the links left.
        if !fresh {
            make_dir(&staging).map_err(|e| OpenError::Io(at(&staging, e)))?;
        }
        let tree = TreeId::of(&staging);
        let recorder = Recorder::start(ledger_beside(&staging), tree);
        let writer = SiteWriter {
            target: target.to_path_buf(),
            spare,
            known: Known::load(&ledgers[1], tree),
            published: Known::load(&ledgers[0], TreeId::of(target)),
            ledgers,
            staging,
            made: Mutex::new(Made {
                recorder: Some(recorder),
                ..Made::default()
            }),
            out_of_space: AtomicBool::new(false),
            finished: false,
            fresh,
        };
        Ok(Opened { writer, backed_up })
    }

    /// Writes one file (unless the spare tree already holds it). Returns
    /// the hash of its bytes, by which [`SiteWriter::keep`] can keep it in
    /// a later build without its bytes.
    pub fn put(&self, o: &Output) -> io::Result<u64> {
        let dest = self.place(&o.path)?;
        let key = sums::key(&o.path);
        let hash = sums::hash(&o.bytes);
        let sum = match self.fresh.then(|| write_new(&dest, &o.bytes, &[])) {
            Some(Ok((stamp, _))) => Ok(stamp.map(|stamp| Sum { stamp, hash })),
            // Written twice in one build: the second write replaces.
            Some(Err(e)) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
            _ => sync_file(&dest, &o.bytes, hash, self.known.get(key)),
        }
        .map_err(|e| self.failed(&dest, e))?;
        self.record(&o.path, o.bytes.len() as u64, o.html, sum.map(|s| (key, s)));
        Ok(hash)
    }

    /// Writes `o` at its path and publishes the same file at each of its
    /// `also` paths (`Output::also`: a document's short link). In a new
    /// tree the links are made before the file's one `stat`, of the open
    /// file: a link changes the file's change time, which its stamp holds,
    /// and looking the link up again by path was one lookup more a short
    /// link (10,900 at 10,000 models). Elsewhere, [`SiteWriter::put`] then
    /// [`SiteWriter::link`] each.
    pub fn publish(&self, o: &Output) -> io::Result<u64> {
        let (len, page) = (o.bytes.len() as u64, o.html);
        let written = match self.fresh && !o.also.is_empty() {
            true => self.put_linked(o)?,
            false => None,
        };
        let (hash, linked) = match written {
            Some(w) => w,
            None => (self.put(o)?, vec![false; o.also.len()]),
        };
        for (also, linked) in o.also.iter().zip(linked) {
            if !linked {
                self.link(&o.path, also, hash, len, page)?;
            }
        }
        Ok(hash)
    }

    /// [`SiteWriter::publish`] in a new tree: the file written and linked
    /// at `o.also`, then its stamp read from the open file and recorded
    /// for every path linked. Its hash and which of `o.also` are linked;
    /// none, having written nothing, when this build already wrote the
    /// path (the general path then replaces it).
    fn put_linked(&self, o: &Output) -> io::Result<Option<(u64, Vec<bool>)>> {
        let dest = self.place(&o.path)?;
        let links = o
            .also
            .iter()
            .map(|a| self.place(a))
            .collect::<io::Result<Vec<_>>>()?;
        let (stamp, linked) = match write_new(&dest, &o.bytes, &links) {
            Ok(w) => w,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(None),
            Err(e) => return Err(self.failed(&dest, e)),
        };
        let hash = sums::hash(&o.bytes);
        let sum = stamp.map(|stamp| Sum { stamp, hash });
        let (len, page) = (o.bytes.len() as u64, o.html);
        self.record(&o.path, len, page, sum.map(|s| (sums::key(&o.path), s)));
        for (also, _) in o.also.iter().zip(&linked).filter(|(_, l)| **l) {
            // A link is a file more but no bytes more (see `link`).
            self.record(also, 0, page, sum.map(|s| (sums::key(also), s)));
        }
        Ok(Some((hash, linked)))
    }

    /// Publishes the file this build put at `from` (written or kept, with
    /// bytes of hash `hash`) at `rel` too, as a second link of that file:
    /// no file of its own (a copy where the file system has no links).
    /// Both paths are recorded with the file's stamp after the link, which
    /// changed its inode's change time. Safe because no write here ever
    /// changes a file in place: each unlinks first (`sync_file`), so the
    /// other path keeps the bytes it was recorded with.
    pub fn link(&self, from: &str, rel: &str, hash: u64, len: u64, page: bool) -> io::Result<()> {
        inside(from)?;
        let dest = self.place(rel)?;
        let source = self.staging.join(from);
        // The file's metadata after the link, and whether `rel` is a link
        // of it (not a copy).
        let after = if self.fresh {
            // A new tree: nothing to ask about either path first; the
            // link's `stat` is the stamp both paths now share.
            let linked = link_or_copy(&source, &dest).map_err(|e| self.failed(&dest, e))?;
            fs::symlink_metadata(&dest).ok().map(|m| (m, linked))
        } else {
            self.relink(&source, &dest)?
        };
        let sum = |m: &fs::Metadata| Stamp::of(m).map(|stamp| Sum { stamp, hash });
        let linked = after.as_ref().filter(|(_, linked)| *linked).map(|(m, _)| m);
        if let Some(m) = linked {
            self.record(from, len, page, sum(m).map(|s| (sums::key(from), s)));
        }
        // A link is a file more but no bytes more: the site's size is what
        // its disk holds (a host whose upload copies links apart holds
        // more; those get forwarding pages, src/hosts.rs).
        let bytes = if linked.is_some() { 0 } else { len };
        let recorded = after
            .as_ref()
            .and_then(|(m, _)| sum(m))
            .map(|s| (sums::key(rel), s));
        self.record(rel, bytes, page, recorded);
        Ok(())
    }

    /// [`SiteWriter::link`] in a reused tree: `dest` left as it is when it
    /// is already a link of `source` (a rebuild that kept both), else
    /// replaced by one. The metadata after, and whether it is a link.
    fn relink(&self, source: &Path, dest: &Path) -> io::Result<Option<(fs::Metadata, bool)>> {
        let here = fs::symlink_metadata(dest).ok();
        let source_meta = fs::symlink_metadata(source).map_err(|e| self.failed(source, e))?;
        let after = match here.as_ref().filter(|m| same_inode(m, &source_meta)) {
            Some(m) => Some(m.clone()),
            None => {
                if here.is_some() {
                    remove_if_present(dest).map_err(|e| self.failed(dest, e))?;
                }
                link_or_copy(source, dest).map_err(|e| self.failed(dest, e))?;
                fs::symlink_metadata(dest).ok()
            }
        };
        Ok(after.map(|m| {
            let linked = same_inode(&m, &source_meta);
            (m, linked)
        }))
    }

    /// Puts in the new tree the file an earlier build wrote at `rel` with
    /// bytes of hash `hash`, without those bytes: the reused tree's copy
    /// when its ledger vouches for it (one `stat`), else a hard link to the
    /// published copy when that ledger vouches for it (the two trees then
    /// share the file until one of them is written again; every write
    /// unlinks first). Returns `false`, having written nothing, when
    /// neither tree holds it as recorded: the caller renders it again.
    pub fn keep(&self, rel: &str, hash: u64, len: u64, page: bool) -> io::Result<bool> {
        self.keep_sized(rel, hash, Some(len), page)
    }

    /// Puts in the new tree the file at `rel` the last build wrote, as
    /// [`SiteWriter::keep`] does, for a file whose name says what it holds
    /// (the search index's are named by a hash of their contents): same
    /// name, same bytes. Asks the file system nothing when no ledger
    /// records the name, so a first build pays nothing for it.
    pub fn keep_as_recorded(&self, rel: &str) -> io::Result<bool> {
        let key = sums::key(rel);
        let Some(sum) = self.published.get(key).or_else(|| self.known.get(key)) else {
            return Ok(false);
        };
        self.keep_sized(rel, sum.hash, None, false)
    }

    /// The bytes of the file at `rel` of the published site, when its
    /// build's ledger vouches that they are what that build wrote there
    /// (same stamp, same hash): what the last build said, never what
    /// someone put in its place.
    pub fn published(&self, rel: &str) -> Option<Vec<u8>> {
        let sum = self.published.get(sums::key(rel))?;
        if sum.hash == sums::UNHASHED || !stays_inside(rel) {
            return None;
        }
        let path = self.target.join(rel);
        let stamp = Stamp::of(&fs::symlink_metadata(&path).ok()?)?;
        let bytes = fs::read(&path).ok()?;
        (stamp == sum.stamp && sums::hash(&bytes) == sum.hash).then_some(bytes)
    }

    /// [`SiteWriter::keep`]; a length not given is the kept file's.
    fn keep_sized(&self, rel: &str, hash: u64, len: Option<u64>, page: bool) -> io::Result<bool> {
        if hash == sums::UNHASHED || !stays_inside(rel) {
            return Ok(false);
        }
        let key = sums::key(rel);
        let vouched = |known: &Known, m: &fs::Metadata| {
            known
                .get(key)
                .is_some_and(|k| k.hash == hash && Stamp::of(m) == Some(k.stamp))
        };
        // Where the job writes it when it is not kept.
        let dest = self.place(rel)?;
        let here = if self.fresh {
            None
        } else {
            fs::symlink_metadata(&dest).ok()
        };
        let kept = match here.as_ref().filter(|m| vouched(&self.known, m)) {
            Some(m) => Some(m.clone()),
            None => {
                let from = self.target.join(rel);
                let Some(source) = fs::symlink_metadata(&from)
                    .ok()
                    .filter(|m| vouched(&self.published, m))
                else {
                    return Ok(false);
                };
                let linked = here.as_ref().is_some_and(|m| same_inode(m, &source));
                if !linked {
                    if here.is_some() {
                        remove_if_present(&dest).map_err(|e| self.failed(&dest, e))?;
                    }
                    if fs::hard_link(&from, &dest).is_err() {
                        // A file system without links: a copy of the vouched file.
                        fs::copy(&from, &dest).map_err(|e| self.failed(&dest, e))?;
                    }
                }
                fs::symlink_metadata(&dest).ok()
            }
        };
        let len = len.unwrap_or_else(|| kept.as_ref().map_or(0, fs::Metadata::len));
        self.record(
            rel,
            len,
            page,
            kept.as_ref()
                .and_then(Stamp::of)
                .map(|stamp| (key, Sum { stamp, hash })),
        );
        Ok(true)
    }

    /// Notes a failed write, and names the file in its error (the OS error
    /// alone does not say which of tens of thousands failed).
    fn failed(&self, path: &Path, e: io::Error) -> io::Error {
        if is_out_of_space(&e) {
            self.out_of_space.store(true, Ordering::Relaxed);
        }
        at(path, e)
    }

    /// Copies the files that are published as they are and removes what
    /// this build did not write from the reused tree: the new site is then
    /// complete beside `target`, ready for [`SiteWriter::swap`].
    pub fn finish_files(&mut self, copies: &[Copy]) -> io::Result<()> {
        let mut lap = crate::core::timing::Lap::within("output/");
        copies.par_iter().try_for_each(|c| {
            let dest = self.place(&c.to)?;
            let meta = match self.fresh.then(|| copy_new(&c.from, &dest)) {
                Some(Ok(meta)) => Ok(meta),
                Some(Err(e)) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
                _ => sync_copy(&c.from, &dest).and_then(|()| fs::symlink_metadata(&dest)),
            }
            .map_err(|e| self.failed(&dest, e))?;
            // Recorded with no hash: the ledger then says the file is ours,
            // and a later page at this path is never taken as unchanged.
            let sum = Stamp::of(&meta).map(|stamp| {
                (
                    sums::key(&c.to),
                    Sum {
                        stamp,
                        hash: sums::UNHASHED,
                    },
                )
            });
            self.record(&c.to, meta.len(), false, sum);
            Ok::<(), io::Error>(())
        })?;
        lap.mark("copies");
        if self.fresh {
            // Only this build wrote here: nothing to remove.
            return Ok(());
        }
        let made = self.lock();
        let (files, dirs) = (made.files.clone(), made.dirs.clone());
        drop(made);
        let pruned = prune(&self.staging, &files, &dirs).map_err(|e| self.failed(&self.staging, e));
        lap.mark("prune");
        pruned
    }

    /// Swaps the finished tree in for `target`; the previous site becomes
    /// the spare tree.
    pub fn swap(mut self) -> io::Result<Written> {
        let made = std::mem::take(&mut *self.lock());
        swap_in(&self.staging, &self.target, &self.spare).map_err(|e| at(&self.target, e))?;
        self.finished = true;
        // The ledgers follow their trees. Failing to move the spare one
        // costs only reading files back in a later build; failing to keep
        // the published one makes the next build ask before replacing
        // files it can no longer tell are ours.
        let [published, spare] = &self.ledgers;
        if fs::rename(published, spare).is_err() {
            let _ = fs::remove_file(spare);
        }
        if let Some(recorder) = made.recorder {
            recorder.keep(published);
        }
        Ok(made.written)
    }

    /// Both steps at once (see [`SiteWriter::finish_files`]).
    pub fn finish(mut self, copies: &[Copy]) -> io::Result<Written> {
        self.finish_files(copies)?;
        self.swap()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Made> {
        // A panic elsewhere cannot leave the sets half-updated.
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The path of `rel` in the staging tree, its folders made.
    fn place(&self, rel: &str) -> io::Result<PathBuf> {
        // Last line of defence: whatever a document or setting produced,
        // no file is written outside the staging directory.
        inside(rel)?;
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
            let dir = self.staging.join(d);
            if self.fresh {
                make_new_dir(&dir)
            } else {
                make_dir(&dir)
            }
            .map_err(|e| self.failed(&dir, e))?;
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
        // What was written is still a good spare: the next build re-syncs
        // it. Not when the disk is full: keeping it would keep it full.
        if self.out_of_space.load(Ordering::Relaxed)
            || fs::rename(&self.staging, &self.spare).is_err()
        {
            let _ = remove_tree(&self.staging);
            // Its ledger described the tree just removed.
            let _ = fs::remove_file(&self.ledgers[1]);
        }
    }
}

/// Walks the output folder `target` for files no build of ours wrote, on
/// the calling thread, reading only: what [`SiteWriter::open_surveyed`]
/// would otherwise walk when the build is ready to write. A build starts
/// it beside the loading of the site (at 10,000 models the walk took
/// 0.1 s of a 1.5 s rebuild).
pub fn survey(target: &Path) -> io::Result<Surveyed> {
    claim::survey(target, &known_ledgers(target), claim::Walk::OnThisThread)
}

/// The ledgers that list files of ours beside `target`: the published
/// tree's, the spare tree's, and those of builds killed while staging.
fn known_ledgers(target: &Path) -> Vec<PathBuf> {
    let (parent, name, ledgers) = beside(target);
    let mut known = ledgers.to_vec();
    known.extend(staging_ledgers(&parent, &name));
    known
}

/// Writes a whole site at once (see [`SiteWriter`]); the tests' shorthand.
#[cfg(test)]
fn write_site(target: &Path, outputs: &[Output], copies: &[Copy]) -> io::Result<Written> {
    let writer = match SiteWriter::open(target, Strangers::Refuse) {
        Ok(o) => o.writer,
        Err(OpenError::Io(e)) => return Err(e),
        Err(OpenError::Refused(r)) => return Err(io::Error::other(format!("{r:?}"))),
    };
    outputs
        .par_iter()
        .try_for_each(|o| writer.put(o).map(|_| ()))?;
    writer.finish(copies)
}

/// A real folder at `dir` (whose parent is one), whatever stood there,
/// that this build can write in: a folder of the reused tree made
/// read-only would otherwise fail every later build.
fn make_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => return writable(dir, &m),
        Ok(_) => fs::remove_file(dir)?,
        Err(_) => {}
    }
    match fs::create_dir(dir) {
        // Another thread made it first.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        r => r,
    }
}

#[cfg(unix)]
fn writable(dir: &Path, m: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = m.permissions().mode();
    if mode & 0o700 == 0o700 {
        return Ok(());
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(mode | 0o700))
}

#[cfg(not(unix))]
fn writable(_dir: &Path, _m: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// Removes a folder of ours whole, making its folders writable first
/// where they are not (`remove_dir_all` cannot empty a read-only folder).
fn remove_tree(dir: &Path) -> io::Result<()> {
    if fs::remove_dir_all(dir).is_ok() || fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_dir() {
            if let Ok(m) = entry.metadata() {
                let _ = writable(entry.path(), &m);
            }
        }
    }
    fs::remove_dir_all(dir)
}

/// Removes from a reused staging tree everything this build does not
/// write: vanished pages, and anything of the wrong kind (a file where a
/// folder goes, a link anywhere). The top level first, then each of its
/// folders on a thread of its own: at 10,000 models the walks of the
/// short links' 10,000 folders and of the model pages' 10,500 run side by
/// side (a walk reads folders, it computes nothing).
fn prune(staging: &Path, files: &HashSet<String>, dirs: &HashSet<String>) -> io::Result<()> {
    let mut kept = Vec::new();
    for entry in fs::read_dir(staging)? {
        let entry = entry?;
        let rel = entry.file_name().to_string_lossy().into_owned();
        // From the folder's listing: a link is neither a folder nor a file.
        let kind = entry.file_type()?;
        if kind.is_dir() && dirs.contains(&rel) {
            kept.push(entry.path());
        } else if kind.is_dir() {
            remove_tree(&entry.path()).map_err(|e| at(&entry.path(), e))?;
        } else if !(kind.is_file() && files.contains(&rel)) {
            fs::remove_file(entry.path()).map_err(|e| at(&entry.path(), e))?;
        }
    }
    kept.par_iter()
        .try_for_each(|top| prune_under(staging, top, files, dirs))
}

/// [`prune`] below the folder `top` of the staging tree.
fn prune_under(
    staging: &Path,
    top: &Path,
    files: &HashSet<String>,
    dirs: &HashSet<String>,
) -> io::Result<()> {
    let mut walk = walkdir::WalkDir::new(top).min_depth(1).into_iter();
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
                remove_tree(entry.path()).map_err(|e| at(entry.path(), e))?;
                walk.skip_current_dir();
            }
        } else if !(kind.is_file() && files.contains(&rel)) {
            fs::remove_file(entry.path()).map_err(|e| at(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Leaves `dest` alone when it already holds `bytes`; otherwise replaces
/// it. The old file is unlinked first, never truncated in place, in case
/// its inode is shared with a published file. Returns what to remember of
/// the file for the next build that reuses this tree.
fn sync_file(dest: &Path, bytes: &[u8], hash: u64, known: Option<&Sum>) -> io::Result<Option<Sum>> {
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

/// A file written where nothing is (the tree is new) and linked at
/// `links` (where nothing is either); its stamp read from the open file
/// after the links, not looked up again by path. Which links were made
/// (none on a file system without them).
fn write_new(
    dest: &Path,
    bytes: &[u8],
    links: &[PathBuf],
) -> io::Result<(Option<Stamp>, Vec<bool>)> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)?;
    file.write_all(bytes)?;
    let linked = links
        .iter()
        .map(|l| fs::hard_link(dest, l).is_ok())
        .collect();
    Ok((Stamp::of(&file.metadata()?), linked))
}

/// `dest` made a link of `source`, replacing what is there (a path this
/// build wrote twice); a copy where the file system has no links. Nothing
/// is written through an existing file. True when it is a link.
fn link_or_copy(source: &Path, dest: &Path) -> io::Result<bool> {
    let linked = fs::hard_link(source, dest).or_else(|e| {
        if e.kind() != io::ErrorKind::AlreadyExists {
            return Err(e);
        }
        remove_if_present(dest)?;
        fs::hard_link(source, dest)
    });
    if linked.is_err() {
        remove_if_present(dest)?;
        fs::copy(source, dest)?;
    }
    Ok(linked.is_ok())
}

/// Whether two entries are one file (hard links of each other).
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// `from` copied where nothing is (the tree is new).
fn copy_new(from: &Path, dest: &Path) -> io::Result<fs::Metadata> {
    let mut source = fs::File::open(from)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)?;
    io::copy(&mut source, &mut file)?;
    file.metadata()
}

/// A folder made where nothing is (the tree is new); two threads may race
/// to make it.
fn make_new_dir(dir: &Path) -> io::Result<()> {
    match fs::create_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        r => r,
    }
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

/// `e` with the path it happened at, as the OS error does not say.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", crate::text::shown_path(path)))
}

/// Whether a write failed for lack of space (or quota).
fn is_out_of_space(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error() == Some(libc::ENOSPC)
}

/// [`stays_inside`], as the error a write refused for it returns.
fn inside(rel: &str) -> io::Result<()> {
    if stays_inside(rel) {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("output path `{rel}` would leave the site folder"),
    ))
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
/// Whether `target` is exactly the tree its ledger says the last build
/// left: every file there recorded, unchanged since (same inode, size and
/// change time), every record there, no link and nothing else. A file an
/// editor touched, removed or added makes it not so.
pub fn intact(target: &Path) -> bool {
    let (_, _, [published, _]) = beside(target);
    let known = Known::load(&published, TreeId::of(target));
    if known.is_empty() {
        return false;
    }
    // Each entry of the top folder walked on its own thread: a published
    // site is tens of thousands of folders, and listing them was most of a
    // build that found nothing changed (bench/RESULTS.md).
    let Ok(top) = fs::read_dir(target).and_then(|d| d.collect::<io::Result<Vec<_>>>()) else {
        return false;
    };
    let files = top
        .par_iter()
        .map(|entry| match entry.file_type() {
            // Never followed: a link anywhere makes the tree not ours.
            Ok(kind) if kind.is_dir() || kind.is_file() => {
                files_intact(target, &entry.path(), &known)
            }
            _ => None,
        })
        .try_reduce(|| 0, |a, b| Some(a + b));
    files == Some(known.len())
}

/// How many files under `root` (a folder or a file of `target`) are as
/// `known` records them; `None` as soon as one is not, or anything but
/// folders and files is there.
fn files_intact(target: &Path, root: &Path, known: &Known) -> Option<usize> {
    let mut files = 0;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return None;
        }
        let rel = entry.path().strip_prefix(target).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        let stamp = entry.metadata().ok().as_ref().and_then(Stamp::of);
        match (known.get(sums::key(&rel)), stamp) {
            (Some(sum), Some(stamp)) if sum.stamp == stamp => files += 1,
            _ => return None,
        }
    }
    Some(files)
}

/// The folder holding `target`, `target`'s name, and the ledgers of the
/// published tree and of the spare one, kept beside it.
fn beside(target: &Path) -> (PathBuf, String, [PathBuf; 2]) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let ledgers = [format!(".{name}~sums"), format!(".{name}~spare~sums")].map(|f| parent.join(f));
    (parent, name, ledgers)
}

fn ledger_beside(staging: &Path) -> PathBuf {
    let mut name = staging.as_os_str().to_owned();
    name.push("~sums");
    PathBuf::from(name)
}

/// The ledgers of staging trees left beside the output: a build killed
/// after its swap and before its ledger was put in place leaves the
/// published tree's records there.
fn staging_ledgers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}-staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with("~sums"))
        })
        .collect()
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
        Output::file(path.into(), body.as_bytes().to_vec())
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

    /// One build of a page and its short link, published as one file.
    #[cfg(unix)]
    fn write_linked(target: &Path, body: &str) {
        let w = SiteWriter::open(target, Strangers::Refuse)
            .ok()
            .unwrap()
            .writer;
        let page = out("p/index.html", body);
        let hash = w.put(&page).unwrap();
        w.link("p/index.html", "m/p.html", hash, body.len() as u64, true)
            .unwrap();
        w.finish(&[]).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_path_follows_its_page_and_no_write_goes_through_it() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let spare = dir.path().join(".public~spare");
        let meta = |t: &Path, p: &str| fs::metadata(t.join(p)).unwrap();
        let read = |t: &Path, p: &str| fs::read_to_string(t.join(p)).unwrap();
        write_linked(&target, "1");
        assert_eq!(
            meta(&target, "m/p.html").ino(),
            meta(&target, "p/index.html").ino()
        );
        // The ledger holds the stamp after the link, so a rebuild that
        // reuses this tree takes both without reading them.
        let ledger = target.parent().unwrap().join(".public~sums");
        let known = sums::Known::load(&ledger, TreeId::of(&target));
        let stamp = Stamp::of(&meta(&target, "m/p.html")).unwrap();
        for p in ["p/index.html", "m/p.html"] {
            assert_eq!(known.get(sums::key(p)).unwrap().stamp, stamp, "{p}");
        }
        write_linked(&target, "2");
        write_linked(&target, "3");
        // Build 3 rewrote build 1's tree: the page anew, its link after it;
        // build 2's tree, now the spare, still holds its bytes.
        assert_eq!(read(&target, "m/p.html"), "3");
        assert_eq!(
            meta(&target, "m/p.html").ino(),
            meta(&target, "p/index.html").ino()
        );
        assert_eq!(
            (read(&spare, "p/index.html"), read(&spare, "m/p.html")),
            ("2".into(), "2".into())
        );
        assert_eq!(meta(&target, "p/index.html").nlink(), 2);
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

    /// A file kept by its hash comes from the reused tree when its ledger
    /// vouches for it, else from the published tree (as a link to the same
    /// file), and from neither once someone edited it.
    #[cfg(unix)]
    #[test]
    fn a_kept_file_is_taken_only_where_a_ledger_vouches_for_it() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let (a, b) = (out("a/index.html", "page a"), out("b/index.html", "page b"));
        let (ha, hb) = (sums::hash(&a.bytes), sums::hash(&b.bytes));
        let keep = |rel: &str, hash: u64| {
            let writer = SiteWriter::open(&target, Strangers::Refuse).unwrap().writer;
            let kept = writer.keep(rel, hash, 6, true).unwrap();
            (kept, writer)
        };
        // Only a published tree: the file is linked from it.
        write_site(
            &target,
            &[out("a/index.html", "page a"), out("b/index.html", "page b")],
            &[],
        )
        .unwrap();
        let (kept, writer) = keep("a/index.html", ha);
        assert!(kept);
        assert!(
            !writer.keep("b/index.html", ha, 6, true).unwrap(),
            "other bytes"
        );
        writer.put(&b).unwrap();
        writer.finish(&[]).unwrap();
        let spare = dir.path().join(".public~spare");
        let (now, then) = (
            fs::metadata(target.join("a/index.html")).unwrap(),
            fs::metadata(spare.join("a/index.html")).unwrap(),
        );
        assert_eq!(now.ino(), then.ino(), "one file, linked");
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "page a"
        );
        // Both trees hold it: kept in place.
        let (kept, writer) = keep("b/index.html", hb);
        assert!(kept);
        writer.keep("a/index.html", ha, 6, true).unwrap();
        writer.finish(&[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("b/index.html")).unwrap(),
            "page b"
        );
        // Edited by hand (in place, so in both trees): kept from neither.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(target.join("a/index.html"), "edited").unwrap();
        let (kept, writer) = keep("a/index.html", ha);
        assert!(!kept, "an edited file is rendered again");
        writer.put(&a).unwrap();
        writer.finish(&[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "page a"
        );
        // Never a path outside the tree, never a copied file.
        let (kept, _) = keep("../x", ha);
        assert!(!kept);
        let (kept, _) = keep("a/index.html", sums::UNHASHED);
        assert!(!kept);
    }

    #[cfg(unix)]
    #[test]
    fn a_files_record_stands_for_its_bytes_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.html");
        let first = sync_file(&file, b"old", sums::hash(b"old"), None)
            .unwrap()
            .unwrap();
        // A record claiming other bytes is believed while the stamp holds:
        // the file is not read back (nor rewritten).
        let claims_new = Sum {
            hash: sums::hash(b"new"),
            ..first
        };
        assert_eq!(
            sync_file(&file, b"new", sums::hash(b"new"), Some(&claims_new)).unwrap(),
            Some(claims_new)
        );
        assert_eq!(fs::read(&file).unwrap(), b"old");
        // Once the file changed, its record is stale and the bytes decide.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&file, b"odd").unwrap();
        let after = sync_file(&file, b"new", sums::hash(b"new"), Some(&claims_new))
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
        // A damaged ledger of the reused tree only costs reading.
        fs::write(dir.path().join(".public~spare~sums"), "garbage").unwrap();
        write_site(&target, &[out("a/index.html", "next")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "next"
        );
        assert!(!target.join("b.txt").exists());
        // Without any ledger nothing tells its files are ours: the next
        // build stops rather than replace them.
        fs::write(dir.path().join(".public~sums"), "garbage").unwrap();
        fs::remove_file(dir.path().join(".public~spare~sums")).unwrap();
        assert!(write_site(&target, &[out("a/index.html", "last")], &[]).is_err());
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "next"
        );
    }

    /// A file dropped into the published site after a build is not
    /// deleted by the next builds: they stop, naming it; copied files
    /// (static files, photos) count as ours.
    #[test]
    fn files_the_build_did_not_write_stop_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let logo = dir.path().join("logo-source.svg");
        fs::write(&logo, "<svg/>").unwrap();
        let copies = [Copy {
            from: logo.clone(),
            to: "img/logo.svg".into(),
        }];
        write_site(&target, &[out("index.html", "1")], &copies).unwrap();
        write_site(&target, &[out("index.html", "2")], &copies).unwrap();
        fs::write(target.join("img/mine.png"), "editor's").unwrap();
        for _ in 0..2 {
            let err = write_site(&target, &[out("index.html", "3")], &copies).unwrap_err();
            assert!(err.to_string().contains("img/mine.png"), "{err}");
        }
        assert_eq!(fs::read(target.join("img/mine.png")).unwrap(), b"editor's");
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"2");
        let opened = SiteWriter::open(&target, Strangers::BackUp).unwrap();
        let backed_up = opened.backed_up.clone().unwrap();
        assert_eq!(backed_up.entries, ["img/mine.png"]);
        opened.writer.put(&out("index.html", "3")).unwrap();
        opened.writer.finish(&copies).unwrap();
        assert_eq!(
            fs::read(backed_up.folder.join("img/mine.png")).unwrap(),
            b"editor's"
        );
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"3");
    }

    /// A walk of the output folder made ahead of time stands for that
    /// folder only: one put in its place meanwhile (here by hand; another
    /// build's swap does the same) is walked again, and its stranger stops
    /// the build.
    #[test]
    fn a_survey_stands_only_for_the_folder_it_walked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(&target, &[out("index.html", "1")], &[]).unwrap();
        let surveyed = survey(&target).unwrap();
        assert!(surveyed.still_of(&target));
        fs::rename(&target, dir.path().join("elsewhere")).unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("theirs.txt"), "theirs").unwrap();
        assert!(!surveyed.still_of(&target));
        let Err(OpenError::Refused(Refusal::Foreign { entries, .. })) =
            SiteWriter::open_surveyed(&target, Strangers::Refuse, Some(surveyed))
        else {
            panic!("the folder put in place was not walked again")
        };
        assert_eq!(entries, ["theirs.txt"]);
        assert_eq!(fs::read(target.join("theirs.txt")).unwrap(), b"theirs");
        // The same folder as walked: the survey is used.
        fs::remove_dir_all(&target).unwrap();
        fs::rename(dir.path().join("elsewhere"), &target).unwrap();
        let surveyed = survey(&target).unwrap();
        assert!(SiteWriter::open_surveyed(&target, Strangers::Refuse, Some(surveyed)).is_ok());
    }

    /// A build that runs out of space removes its unfinished tree instead
    /// of keeping it as the spare (which would keep the disk full).
    #[test]
    fn a_build_out_of_space_leaves_no_tree_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(&target, &[out("index.html", "1")], &[]).unwrap();
        write_site(&target, &[out("index.html", "2")], &[]).unwrap();
        let opened = SiteWriter::open(&target, Strangers::Refuse).unwrap();
        opened.writer.put(&out("a/index.html", "x")).unwrap();
        let full = opened
            .writer
            .failed(Path::new("a/b"), io::Error::from_raw_os_error(libc::ENOSPC));
        assert!(full.to_string().contains("a/b"), "{full}");
        drop(opened);
        let left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            left.iter().all(|n| n == "public" || n == ".public~sums"),
            "{left:?}"
        );
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"2");
    }

    /// A read-only folder in the reused tree (left by a tool or by hand)
    /// does not fail the builds after it.
    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_in_the_reused_tree_is_made_writable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let site = |n: &str| {
            vec![
                out("a/b/index.html", n),
                out(&format!("gone-{n}/x.html"), n),
            ]
        };
        write_site(&target, &site("1"), &[]).unwrap();
        write_site(&target, &site("2"), &[]).unwrap();
        let spare = dir.path().join(".public~spare");
        for d in ["a/b", "gone-1"] {
            fs::set_permissions(spare.join(d), fs::Permissions::from_mode(0o555)).unwrap();
        }
        write_site(&target, &site("3"), &[]).unwrap();
        let mode = fs::metadata(target.join("a/b"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o700, 0o700);
        assert_eq!(fs::read(target.join("a/b/index.html")).unwrap(), b"3");
        assert!(!target.join("gone-1").exists());
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
