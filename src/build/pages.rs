//! The page cache of `build`: what each render job read (as one number,
//! src/render/reads.rs) and the files it wrote, kept in
//! `.dienhinh/pages.json` from one build to the next. A job whose number
//! is the one recorded would write the very bytes it wrote then (rendering
//! is a function of what it reads, and the number changes with any of
//! it), so its files are taken from the trees beside the output
//! ([`SiteWriter::keep`]) instead of rendered again; after one model's
//! edit a rebuild renders that model's page and the pages that show it.
//!
//! Nothing is taken on the cache's word alone: a file is kept only where
//! a tree's ledger vouches that it still holds those bytes, else the job
//! is rendered. A cache from another program, settings or theme matches
//! nothing (each is part of every number). A cold build, with no cache,
//! pays for the numbers only (tens of milliseconds at 10,000 models).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::BuildOptions;
use crate::output::SiteWriter;
use crate::render::{self, DocDigests, Job, Loaded};
use crate::site::Site;
use crate::theme::Theme;

/// One file a job wrote.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct File {
    pub path: String,
    pub hash: u64,
    pub len: u64,
    pub page: bool,
}

/// What one job read, and what it wrote from it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    number: u64,
    files: Vec<File>,
}

/// The cache as stored: per job (by [`render::key`]), its entry.
#[derive(Default, Serialize, Deserialize)]
struct Stored {
    /// The program that wrote it: another one may render other bytes.
    program: u64,
    jobs: HashMap<String, Entry>,
}

fn cache_file(root: &Path) -> PathBuf {
    root.join(".dienhinh").join("pages.json")
}

/// The page cache of one build: last build's entries, and this build's as
/// its jobs are kept or rendered.
pub struct PageCache {
    /// Counted by [`PageCache::unchanged`], then taken whole by
    /// [`PageCache::keep_unchanged`].
    last: Mutex<HashMap<String, Entry>>,
    /// Each job of this build's plan: its key and number.
    numbers: HashMap<Job, (String, u64)>,
    made: Mutex<HashMap<String, Entry>>,
    /// How many jobs were kept, for the timing line.
    kept: AtomicUsize,
}

/// Keeps `f`, one of a job's files, in the new tree: as a link of the
/// earlier file of the job with the same bytes where there is one (a
/// short link publishes its document's page, `Output::also`), else from
/// the trees beside the output.
fn keep_file(writer: &SiteWriter, earlier: &[File], f: &File) -> bool {
    match earlier.iter().find(|e| e.hash == f.hash && e.len == f.len) {
        Some(e) => writer.link(&e.path, &f.path, f.hash, f.len, f.page).is_ok(),
        None => writer.keep(&f.path, f.hash, f.len, f.page).unwrap_or(false),
    }
}

/// The last build's entry for a job, if the job's number is the same:
/// it reads what it read then.
fn same_as_last<'l>(last: &'l HashMap<String, Entry>, key: &str, number: u64) -> Option<&'l Entry> {
    last.get(key).filter(|e| e.number == number)
}

impl PageCache {
    /// Numbers every job of `jobs` and loads the last build's entries.
    pub fn new(opts: &BuildOptions, site: &Site, theme: &Theme, jobs: &[Job]) -> PageCache {
        let loaded = loaded(opts, site, theme);
        let digests = DocDigests::default().of(site, loaded);
        let numbers = jobs
            .par_iter()
            .filter(|j| cacheable(**j))
            .map(|&j| {
                (
                    j,
                    (format!("{:?}", render::key(site, j)), digests.of_job(j)),
                )
            })
            .collect();
        let last = std::fs::read(cache_file(&opts.root))
            .ok()
            .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
            .filter(|s| s.program == super::unchanged::program())
            .map(|s| s.jobs)
            .unwrap_or_default();
        PageCache {
            last: Mutex::new(last),
            numbers,
            made: Mutex::new(HashMap::new()),
            kept: AtomicUsize::new(0),
        }
    }

    /// How many jobs read what they read when the last build rendered
    /// them: those [`PageCache::keep_unchanged`] keeps if the trees beside
    /// the output still hold their files.
    pub fn unchanged(&self) -> usize {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        self.numbers
            .values()
            .filter(|(key, number)| same_as_last(&last, key, *number).is_some())
            .count()
    }

    /// Of `jobs`, those to render: the others' files are in the new tree,
    /// kept from an earlier build.
    pub fn keep_unchanged(&self, writer: &SiteWriter, jobs: Vec<Job>) -> Vec<Job> {
        // Not read after this: its kept entries are moved out once the
        // jobs are sorted, the rest freed.
        let mut last = std::mem::take(&mut *self.last.lock().unwrap_or_else(|e| e.into_inner()));
        // The key of a job whose files are all kept; a file that cannot be
        // kept is written when the job renders.
        let kept_key = |job: &Job| -> Option<&String> {
            let (key, number) = self.numbers.get(job)?;
            let entry = same_as_last(&last, key, *number)?;
            let all = entry
                .files
                .iter()
                .enumerate()
                .all(|(i, f)| keep_file(writer, &entry.files[..i], f));
            all.then_some(key)
        };
        let jobs_total = jobs.len();
        let sorted: Vec<(Job, Option<&String>)> = jobs
            .into_par_iter()
            .map(|job| (job, kept_key(&job)))
            .collect();
        // The kept entries moved on one thread, not cloned under the lock
        // from every thread (a one-edit rebuild's check at 10,000 models:
        // 132-134 -> 113-125 ms, bench/RESULTS.md, session 20).
        let mut made = self.lock();
        let mut render = Vec::new();
        for (job, key) in sorted {
            match key {
                Some(key) => {
                    if let Some(entry) = last.remove(key) {
                        made.insert(key.clone(), entry);
                    }
                }
                None => render.push(job),
            }
        }
        self.kept
            .store(jobs_total - render.len(), Ordering::Relaxed);
        render
    }

    /// Notes the files `job` wrote.
    pub fn rendered(&self, job: Job, files: Vec<File>) {
        if let Some((key, number)) = self.numbers.get(&job) {
            let entry = Entry {
                number: *number,
                files,
            };
            self.lock().insert(key.clone(), entry);
        }
    }

    /// How many jobs were kept rather than rendered.
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// Stores this build's entries for the next one, once every page is
    /// written (and before the search index is built, so that they are not
    /// held meanwhile). An entry is true of any tree holding those bytes,
    /// so one left by a build that fails later is harmless: a file is kept
    /// only where a ledger vouches for it. A failure to store costs only a
    /// full render next time.
    pub fn save(self, root: &Path) {
        let stored = Stored {
            program: super::unchanged::program(),
            jobs: self.made.into_inner().unwrap_or_else(|e| e.into_inner()),
        };
        let path = cache_file(root);
        if let (Ok(json), Some(dir)) = (serde_json::to_vec(&stored), path.parent()) {
            if std::fs::create_dir_all(dir).is_ok() {
                let _ = crate::core::files::write_whole(&path, &json);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The search page is written after the search stage (it carries the
/// index's manifest): never kept.
fn cacheable(job: Job) -> bool {
    job != Job::Search
}

/// Digests of what every page reads besides the documents: the settings
/// as this build applies them, and the theme.
fn loaded(opts: &BuildOptions, site: &Site, theme: &Theme) -> Loaded {
    let mut config = DefaultHasher::new();
    super::unchanged::program().hash(&mut config);
    std::fs::read(opts.root.join(crate::config::CONFIG_FILE))
        .ok()
        .hash(&mut config);
    (&opts.base_url, opts.drafts, opts.compress).hash(&mut config);
    crate::clock::build_day().hash(&mut config);
    // Cleared when the file is missing (`config::logo_problem`).
    site.config.logo.hash(&mut config);
    // Whether short links are pages depends on how many there are.
    format!("{:?}", crate::pipeline::Mode::Write.redirects(site)).hash(&mut config);
    let mut look = DefaultHasher::new();
    site.config.theme.hash(&mut look);
    theme.strings.hash(&mut look);
    theme.css.hash(&mut look);
    let dir = opts.root.join("themes").join(&site.config.theme);
    for (file, rel) in crate::theme::list_files(&dir) {
        rel.hash(&mut look);
        std::fs::read(&file).ok().hash(&mut look);
    }
    Loaded {
        config: config.finish(),
        theme: look.finish(),
    }
}
