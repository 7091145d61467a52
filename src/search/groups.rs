//! Which parts of the previous tantivy index a build can keep
//! (docs/search.md § The tantivy index).
//!
//! Documents are numbered by date, and cut into *groups* of consecutive
//! numbers. The writer gives every group segments of its own (a commit
//! each), so a rebuild keeps the segments of each group whose documents are
//! what they were, and replaces a changed group whole: its old segments lose
//! every document and tantivy drops them, so no deleted document lingers in
//! the statistics and every score is the one a build from nothing gives.
//! What the index holds is remembered beside it, in [`FILE`]: the program
//! that wrote it, the group size and a hash of each group's documents.

use std::hash::Hasher;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::document::{Facet, SearchDoc, Texts};
use crate::site::Site;
use crate::text::{fnv1a, fnv1a_continue, StableHasher};

/// The file beside the index that says what its groups hold.
pub const FILE: &str = "dienhinh-groups.json";

/// The smallest group.
const MIN_GROUP: usize = 256;
/// Groups an index has at most. Each is committed on its own, as one or
/// two segments, and tantivy writes each segment's dictionaries anew: at
/// 10,000 models twenty groups cost a build from nothing 0.6 s of CPU
/// more than one commit, five cost it nothing measurable. A one-model edit
/// then indexes 2,048 documents again, beside the analysis of every
/// document that the static index needs anyway (bench/RESULTS.md).
const MAX_GROUPS: usize = 8;

/// What an index's groups hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Groups {
    /// The program that wrote the index (`build::unchanged::program`): a
    /// new one may analyse or store documents otherwise.
    pub program: u64,
    /// Documents per group (the last may hold fewer).
    pub size: usize,
    /// Per group, a hash of its documents as the index holds them.
    pub hashes: Vec<u64>,
}

impl Groups {
    /// The groups of `docs` (numbered as the build numbers them), made
    /// from `site`.
    pub fn of(site: &Site, docs: &[SearchDoc], texts: &[Texts], program: u64) -> Groups {
        let size = group_size(docs.len());
        let keys: Vec<u64> = docs
            .par_iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (d, t))| doc_key(site, i, d, t))
            .collect();
        let hashes = keys
            .chunks(size)
            .map(|c| {
                c.iter()
                    .fold(fnv1a(b"group"), |h, k| fnv1a_continue(h, &k.to_le_bytes()))
            })
            .collect();
        Groups {
            program,
            size,
            hashes,
        }
    }

    /// The group of document `i`.
    pub fn of_doc(&self, i: usize) -> usize {
        i / self.size
    }

    /// Which of these groups the index `old` already holds as they are
    /// (none when it was written by another program or cut otherwise), and
    /// which of its groups must go: those changed, and those past the last
    /// of these.
    pub fn against(&self, old: &Groups) -> Reuse {
        if old.program != self.program || old.size != self.size {
            return Reuse {
                kept: vec![false; self.hashes.len()],
                dropped: (0..old.hashes.len()).collect(),
            };
        }
        let kept: Vec<bool> = (0..self.hashes.len())
            .map(|g| old.hashes.get(g) == Some(&self.hashes[g]))
            .collect();
        let dropped = (0..old.hashes.len())
            .filter(|&g| !kept.get(g).copied().unwrap_or(false))
            .collect();
        Reuse { kept, dropped }
    }
}

/// What a build keeps of the previous index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuse {
    /// Per group of this build: its segments are kept as they are.
    pub kept: Vec<bool>,
    /// Groups of the previous index whose documents are deleted.
    pub dropped: Vec<usize>,
}

impl Reuse {
    /// Nothing kept: every document is written afresh.
    pub fn nothing(groups: &Groups) -> Reuse {
        Reuse {
            kept: vec![false; groups.hashes.len()],
            dropped: Vec::new(),
        }
    }

    pub fn keeps(&self, group: usize) -> bool {
        self.kept.get(group).copied().unwrap_or(false)
    }

    /// Documents' groups kept, of all.
    pub fn kept_count(&self) -> usize {
        self.kept.iter().filter(|&&k| k).count()
    }
}

/// Documents per group: [`MIN_GROUP`] doubled until there are at most
/// [`MAX_GROUPS`], so group boundaries move only when the site doubles.
fn group_size(docs: usize) -> usize {
    let mut size = MIN_GROUP;
    while docs.div_ceil(size) > MAX_GROUPS {
        size *= 2;
    }
    size
}

/// A hash of everything the index holds of document `i`: its number, its
/// fields and body (the text the analyzer reads), facets, years, date and
/// what a result shows.
fn doc_key(site: &Site, i: usize, d: &SearchDoc, t: &Texts) -> u64 {
    let mut h = StableHasher::default();
    h.write(b"doc");
    h.write(&(i as u64).to_le_bytes());
    for values in &t.fields {
        for v in values {
            h.write(v.as_bytes());
            h.write(&[0]);
        }
        h.write(&[1]);
    }
    h.write(t.body().as_bytes());
    for column in Facet::ALL {
        for v in d.facet(column) {
            h.write(v.id.as_bytes());
            h.write(&[0]);
        }
        h.write(&[1]);
    }
    for y in &d.years {
        h.write(&y.to_le_bytes());
    }
    h.write(&d.date.to_le_bytes());
    h.write(&(t.place_path().len() as u64).to_le_bytes());
    h.write(&serde_json::to_vec(&d.meta(site)).unwrap_or_default());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(program: u64, size: usize, hashes: &[u64]) -> Groups {
        Groups {
            program,
            size,
            hashes: hashes.to_vec(),
        }
    }

    #[test]
    fn groups_double_as_the_site_does() {
        assert_eq!(group_size(0), 256);
        assert_eq!(group_size(8 * 256), 256);
        assert_eq!(group_size(8 * 256 + 1), 512);
        assert_eq!(group_size(10_000), 2048);
        assert_eq!(group_size(100_000), 16_384);
    }

    #[test]
    fn only_changed_groups_are_written_again() {
        let old = groups(7, 1024, &[1, 2, 3, 4]);
        // Group 1 changed, group 3 is gone, group 4 is new.
        let new = groups(7, 1024, &[1, 9, 3]);
        let r = new.against(&old);
        assert_eq!(r.kept, vec![true, false, true]);
        assert_eq!(r.dropped, vec![1, 3]);
        let grown = groups(7, 1024, &[1, 2, 3, 4, 5]);
        assert_eq!(
            grown.against(&old).kept,
            vec![true; 4].into_iter().chain([false]).collect::<Vec<_>>()
        );
        assert!(grown.against(&old).dropped.is_empty());
        // Another program, or another cut: nothing is kept.
        for other in [groups(8, 1024, &[1, 2, 3, 4]), groups(7, 2048, &[1, 2])] {
            let r = other.against(&old);
            assert!(r.kept.iter().all(|k| !k));
            assert_eq!(r.dropped, vec![0, 1, 2, 3]);
        }
    }
}
