//! Whose files are in the output folder: a build replaces the whole folder,
//! so before it does, every file there must be one that a build of ours
//! wrote. The [ledgers](super::sums) kept beside the output list them (by
//! path hash): the published tree's, the spare tree's, and that of a build
//! killed between its swap and putting its ledger in place. Anything none
//! lists — a logo an editor dropped into `public/`, a web root's own files,
//! a folder someone else pointed `-o` at — is not ours, and the build
//! refuses rather than deleting it, or with `--force` moves it into a dated
//! backup folder beside the output.
//!
//! A ledger is read here for its paths only, whatever folder it was
//! written for: a published site restored from a copy is still ours.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::sums::{self, Known, TreeId};

/// What to do with entries of the output folder that no build wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strangers {
    /// Stop and name them (the default).
    #[default]
    Refuse,
    /// Move them into a backup folder beside the output, then build.
    BackUp,
}

/// Why the output folder cannot be taken over as it is.
#[derive(Debug)]
pub enum Refusal {
    /// Entries (site-relative, folders ending in `/`) that no build wrote;
    /// `ledger` tells whether any record of our files was found at all.
    Foreign { entries: Vec<String>, ledger: bool },
    /// The output path is a symbolic link to `to`.
    Link { to: PathBuf },
    /// The output path is a file.
    NotAFolder,
}

/// Entries moved aside by [`Strangers::BackUp`].
#[derive(Debug, Clone)]
pub struct BackedUp {
    pub folder: PathBuf,
    pub entries: Vec<String>,
}

/// Checks that `target` holds only files our builds wrote (as listed by
/// the `ledgers`), moving the others aside when `strangers` says so: the
/// tests' shorthand for [`survey`] then [`settle`].
#[cfg(test)]
pub fn claim(
    target: &Path,
    ledgers: &[PathBuf],
    strangers: Strangers,
) -> io::Result<Result<Option<BackedUp>, Refusal>> {
    settle(
        target,
        survey(target, ledgers, Walk::OnAllCores)?,
        strangers,
    )
}

/// What [`survey`] found in the output folder: the walk only, nothing
/// moved, so that a build can walk the folder ahead of time.
#[derive(Debug)]
pub struct Surveyed {
    /// The folder walked: a survey stands for the folder only while it is
    /// the same folder (a build that swapped in its site made a new one).
    tree: Option<TreeId>,
    found: Result<Vec<String>, Refusal>,
    /// Whether any record of our files was found at all.
    ledger: bool,
}

impl Surveyed {
    /// Whether `target` is still the folder walked.
    pub fn still_of(&self, target: &Path) -> bool {
        self.tree.is_some() && self.tree == TreeId::of(target)
    }
}

/// How [`survey`] walks: on rayon's threads, or on the calling thread
/// alone (a walk started beside the loading of the site would wait for the
/// load's work on rayon's threads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    OnAllCores,
    OnThisThread,
}

/// Walks `target` for entries that no ledger of `ledgers` lists; reads
/// only.
pub fn survey(target: &Path, ledgers: &[PathBuf], walk: Walk) -> io::Result<Surveyed> {
    let surveyed = |found, ledger| Surveyed {
        tree: TreeId::of(target),
        found,
        ledger,
    };
    let meta = match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(surveyed(Ok(Vec::new()), false))
        }
        Err(e) => return Err(e),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        let to = fs::read_link(target).unwrap_or_default();
        return Ok(surveyed(Err(Refusal::Link { to }), false));
    }
    if !meta.is_dir() {
        return Ok(surveyed(Err(Refusal::NotAFolder), false));
    }
    let known = Known::paths_in(ledgers);
    let entries = foreign(target, &known, walk)?;
    Ok(surveyed(Ok(entries), !known.is_empty()))
}

/// What a survey of `target` means for the build: go on, stop, or (with
/// [`Strangers::BackUp`]) move the strangers aside and go on.
pub fn settle(
    target: &Path,
    surveyed: Surveyed,
    strangers: Strangers,
) -> io::Result<Result<Option<BackedUp>, Refusal>> {
    let entries = match surveyed.found {
        Err(refusal) => return Ok(Err(refusal)),
        Ok(entries) if entries.is_empty() => return Ok(Ok(None)),
        Ok(entries) => entries,
    };
    match strangers {
        Strangers::Refuse => Ok(Err(Refusal::Foreign {
            entries,
            ledger: surveyed.ledger,
        })),
        Strangers::BackUp => back_up(target, entries).map(|b| Ok(Some(b))),
    }
}

/// The entries of `tree` that `known` does not list: files, links and
/// folders holding none of our files (listed once, as the folder). Each
/// folder of the top level is walked on a thread of its own, as the prune
/// of the reused tree does (`super::prune`): at 10,000 models the short
/// links' 10,000 folders and the model pages' 10,500 were read one after
/// the other before every rebuild.
fn foreign(tree: &Path, known: &Known, walk: Walk) -> io::Result<Vec<String>> {
    use rayon::prelude::*;
    let mut out = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(tree)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            folders.push((entry.path(), name));
        } else if !(kind.is_file() && known.get(sums::key(&name)).is_some()) {
            out.push(name);
        }
    }
    let one = |(path, name): (PathBuf, String)| {
        let mut inner = Vec::new();
        let ours = visit(&path, &name, known, &mut inner)?;
        Ok((name, ours, inner))
    };
    let walked: Vec<(String, bool, Vec<String>)> = match walk {
        Walk::OnAllCores => folders
            .into_par_iter()
            .map(one)
            .collect::<io::Result<_>>()?,
        Walk::OnThisThread => folders.into_iter().map(one).collect::<io::Result<_>>()?,
    };
    for (name, ours, mut inner) in walked {
        if ours {
            out.append(&mut inner);
        } else {
            out.push(format!("{name}/"));
        }
    }
    out.sort();
    Ok(out)
}

/// Walks `dir` (at `rel` in the tree); returns whether it holds any file
/// of ours. Folders without one are reported whole, not file by file.
fn visit(dir: &Path, rel: &str, known: &Known, out: &mut Vec<String>) -> io::Result<bool> {
    let mut ours = false;
    let mut strangers = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let mut inner = Vec::new();
            if visit(&entry.path(), &path, known, &mut inner)? {
                ours = true;
                strangers.append(&mut inner);
            } else {
                strangers.push(format!("{path}/"));
            }
        } else if kind.is_file() && known.get(sums::key(&path)).is_some() {
            ours = true;
        } else {
            strangers.push(path);
        }
    }
    out.append(&mut strangers);
    Ok(ours)
}

/// Moves `entries` of `target` into `<target>.backup-<time>/`, keeping
/// their paths, so nothing is deleted; the folder is beside the output, on
/// the same disk, so each move is a rename.
fn back_up(target: &Path, entries: Vec<String>) -> io::Result<BackedUp> {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or(Path::new("."));
    let stamp = crate::clock::now_stamp();
    let mut folder = parent.join(format!("{name}.backup-{stamp}"));
    let mut n = 1;
    while fs::symlink_metadata(&folder).is_ok() {
        n += 1;
        folder = parent.join(format!("{name}.backup-{stamp}-{n}"));
    }
    for rel in &entries {
        let rel = rel.trim_end_matches('/');
        let to = folder.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::rename(target.join(rel), &to)?;
    }
    Ok(BackedUp { folder, entries })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_a_ledger_is_all_strangers() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(target.join("img/a")).unwrap();
        fs::write(target.join("logo.svg"), "x").unwrap();
        fs::write(target.join("img/a/b.png"), "x").unwrap();
        let ledger = [dir.path().join(".public~sums")];
        let Err(Refusal::Foreign { entries, ledger: l }) =
            claim(&target, &ledger, Strangers::Refuse).unwrap()
        else {
            panic!("refused")
        };
        assert_eq!(entries, ["img/", "logo.svg"]);
        assert!(!l);
        let moved = claim(&target, &ledger, Strangers::BackUp)
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(
            fs::read_to_string(moved.folder.join("logo.svg")).unwrap(),
            "x"
        );
        assert_eq!(
            fs::read_to_string(moved.folder.join("img/a/b.png")).unwrap(),
            "x"
        );
        assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
    }

    #[test]
    fn an_empty_or_missing_folder_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let ledger = [dir.path().join(".public~sums")];
        assert!(claim(&target, &ledger, Strangers::Refuse).unwrap().is_ok());
        fs::create_dir(&target).unwrap();
        assert!(claim(&target, &ledger, Strangers::Refuse).unwrap().is_ok());
    }

    #[test]
    fn links_and_files_are_refused_as_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let web = dir.path().join("www");
        fs::create_dir(&web).unwrap();
        let target = dir.path().join("public");
        std::os::unix::fs::symlink(&web, &target).unwrap();
        let ledger = [dir.path().join(".public~sums")];
        assert!(matches!(
            claim(&target, &ledger, Strangers::BackUp).unwrap(),
            Err(Refusal::Link { to }) if to == web
        ));
        let file = dir.path().join("out");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            claim(&file, &ledger, Strangers::BackUp).unwrap(),
            Err(Refusal::NotAFolder)
        ));
    }
}
