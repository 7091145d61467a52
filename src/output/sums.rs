//! What the writer remembers of the files it wrote: per file, its inode
//! stamp and a hash of its bytes, so that a later build reusing the tree
//! can tell an unchanged file by one `stat` instead of reading it back.
//!
//! Reading every file of the reused tree to compare was most of a rebuild's
//! write time on large sites: at 100,000 models the tree holds 4.4 GB, more
//! than the page cache keeps, so each rebuild read it from disk.
//!
//! A record is trusted only while the file's stamp is unchanged, and the
//! stamp includes the inode change time (`ctime`), which no write, rename,
//! `touch` or `utime` leaves as it was. So a record that outlived its tree
//! (a killed build, a ledger left behind when moving it failed) is harmless: the files
//! it describes that were rewritten since no longer match it, and those
//! are compared by reading, as without a ledger.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

/// The content hash of a file's bytes. 64 bits: a changed file is missed
/// only if its new bytes collide with its old ones, a chance of 2⁻⁶⁴.
pub fn hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// The hash recorded for a file that was copied rather than written from
/// bytes in memory: no page's bytes are taken as equal to it.
pub const UNHASHED: u64 = 0;

/// The key of a site-relative path. Two paths sharing one is harmless: a
/// record is still checked against the file's own stamp.
pub fn key(rel: &str) -> u64 {
    xxh3_64(rel.as_bytes())
}

/// What identifies a file's current content without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    ino: u64,
    ctime: i64,
    ctime_ns: i64,
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else, and on
    /// systems without inode change times (records are then never used).
    pub fn of(m: &fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            m.is_file().then(|| Stamp {
                len: m.len(),
                ino: m.ino(),
                ctime: m.ctime(),
                ctime_ns: m.ctime_nsec(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = m;
            None
        }
    }
}

/// One file as last written: its stamp then, and its bytes' hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum {
    pub stamp: Stamp,
    pub hash: u64,
}

/// A folder, as the file system knows it: the same after a rename, which is
/// how the published tree becomes the spare one and the spare the staging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeId {
    dev: u64,
    ino: u64,
}

impl TreeId {
    pub fn of(dir: &Path) -> Option<TreeId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = fs::symlink_metadata(dir)
                .ok()
                .filter(fs::Metadata::is_dir)?;
            Some(TreeId {
                dev: m.dev(),
                ino: m.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            None
        }
    }
}

const MAGIC: &[u8] = b"dienhinh sums 1\n";
const HEADER: usize = MAGIC.len() + 16;
const ENTRY: usize = 6 * 8;

/// A tree's records, by key: a sorted table (a site of 100,000 models has
/// most of a million files; this is 48 bytes each, no more).
#[derive(Debug, Default)]
pub struct Known(Vec<(u64, Sum)>);

impl Known {
    /// The records in the ledger file `path`, if it describes `tree`;
    /// none if it is missing, damaged or describes another folder.
    pub fn load(path: &Path, tree: Option<TreeId>) -> Known {
        let records = tree.and_then(|tree| parse(&fs::read(path).ok()?, Some(tree)));
        Known::latest(records.unwrap_or_default())
    }

    /// The records by key, the last of a key standing: a file linked
    /// again after it was recorded is recorded again (`SiteWriter::link`).
    fn latest(mut records: Vec<(u64, Sum)>) -> Known {
        // Stable: records of one key stay in the order they were written.
        records.sort_by_key(|(k, _)| *k);
        let mut out: Vec<(u64, Sum)> = Vec::with_capacity(records.len());
        for r in records {
            match out.last_mut() {
                Some(last) if last.0 == r.0 => *last = r,
                _ => out.push(r),
            }
        }
        Known(out)
    }

    /// The records of every ledger in `paths`, whatever tree each
    /// describes: for telling which paths a build wrote, not whether a
    /// file is unchanged (stamps are not compared through it).
    pub fn paths_in(paths: &[PathBuf]) -> Known {
        let records: Vec<(u64, Sum)> = paths
            .iter()
            .filter_map(|p| parse(&fs::read(p).ok()?, None))
            .flatten()
            .collect();
        Known::latest(records)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, key: u64) -> Option<&Sum> {
        let i = self.0.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        Some(&self.0[i].1)
    }
}

/// The records of a ledger; of the tree `tree` only, when given.
fn parse(bytes: &[u8], tree: Option<TreeId>) -> Option<Vec<(u64, Sum)>> {
    let (head, body) = bytes.split_at_checked(HEADER)?;
    let id = head.strip_prefix(MAGIC)?;
    if tree.is_some_and(|tree| id != tree_bytes(tree)) || !body.len().is_multiple_of(ENTRY) {
        return None;
    }
    let records = body.chunks_exact(ENTRY).map(|e| {
        let n = |i: usize| u64::from_le_bytes(e[8 * i..8 * i + 8].try_into().unwrap_or_default());
        let stamp = Stamp {
            len: n(1),
            ino: n(2),
            ctime: n(3) as i64,
            ctime_ns: n(4) as i64,
        };
        (n(0), Sum { stamp, hash: n(5) })
    });
    Some(records.collect())
}

fn tree_bytes(tree: TreeId) -> [u8; 16] {
    let mut b = [0; 16];
    b[..8].copy_from_slice(&tree.dev.to_le_bytes());
    b[8..].copy_from_slice(&tree.ino.to_le_bytes());
    b
}

/// Writes the records of the tree being built, as its files are written,
/// to a file beside the site (never inside it); [`Recorder::keep`] makes it
/// the tree's ledger once the tree is published.
pub struct Recorder {
    path: PathBuf,
    out: Option<io::BufWriter<fs::File>>,
}

impl Recorder {
    /// A recorder for `tree`; one that records nothing if the file cannot
    /// be made (the next builds but one then compare files by reading).
    pub fn start(path: PathBuf, tree: Option<TreeId>) -> Recorder {
        let out = tree.and_then(|tree| {
            let mut out = io::BufWriter::new(fs::File::create(&path).ok()?);
            out.write_all(MAGIC).ok()?;
            out.write_all(&tree_bytes(tree)).ok()?;
            Some(out)
        });
        Recorder { path, out }
    }

    pub fn record(&mut self, key: u64, sum: Sum) {
        let Some(out) = &mut self.out else { return };
        let s = sum.stamp;
        let fields = [
            key,
            s.len,
            s.ino,
            s.ctime as u64,
            s.ctime_ns as u64,
            sum.hash,
        ];
        if fields
            .iter()
            .any(|n| out.write_all(&n.to_le_bytes()).is_err())
        {
            // A half-written ledger is never kept.
            self.out = None;
        }
    }

    /// Moves the records to `to`: they describe the tree now published.
    pub fn keep(mut self, to: &Path) {
        let done = self
            .out
            .take()
            .is_some_and(|out| out.into_inner().is_ok() && fs::rename(&self.path, to).is_ok());
        if !done {
            let _ = fs::remove_file(to);
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        // Kept ledgers were renamed away: this removes only unfinished ones.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_reads_back_what_was_recorded_and_shrugs_off_damage() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "abc").unwrap();
        let stamp = Stamp::of(&fs::metadata(&file).unwrap()).unwrap();
        let tree = TreeId::of(dir.path());
        let other = TreeId::of(Path::new("/"));
        let sums = [("b/index.html", b"b"), ("a/index.html", b"a")].map(|(path, bytes)| {
            (
                key(path),
                Sum {
                    stamp,
                    hash: hash(bytes),
                },
            )
        });
        let ledger = dir.path().join(".public~sums");
        let mut recorder = Recorder::start(dir.path().join("new"), tree);
        for (k, sum) in sums {
            recorder.record(k, sum);
        }
        recorder.keep(&ledger);
        assert!(!dir.path().join("new").exists());

        let known = Known::load(&ledger, tree);
        for (k, sum) in sums {
            assert_eq!(known.get(k), Some(&sum));
        }
        assert_eq!(known.get(key("c/index.html")), None);
        assert!(
            Known::load(&ledger, other).0.is_empty(),
            "another tree's ledger"
        );

        let whole = fs::read(&ledger).unwrap();
        for cut in 1..whole.len() {
            fs::write(&ledger, &whole[..whole.len() - cut]).unwrap();
            let known = Known::load(&ledger, tree).0;
            assert!(known.is_empty() || cut % ENTRY == 0, "cut by {cut}");
        }
    }

    #[test]
    fn an_unkept_recording_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let tree = TreeId::of(dir.path());
        let mut recorder = Recorder::start(dir.path().join("new"), tree);
        recorder.record(
            1,
            Sum {
                stamp: Stamp {
                    len: 1,
                    ino: 2,
                    ctime: 3,
                    ctime_ns: 4,
                },
                hash: 5,
            },
        );
        drop(recorder);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn any_change_to_a_file_changes_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "abc").unwrap();
        let stamp = |p: &Path| Stamp::of(&fs::metadata(p).unwrap());
        let first = stamp(&file);
        // Same length, and the modification time put back as it was: only
        // the inode change time tells.
        let mtime = fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&file, "xyz").unwrap();
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_ne!(stamp(&file), first);
        assert_eq!(stamp(dir.path()), None, "folders have no stamp");
    }
}
