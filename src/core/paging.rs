//! How a list is cut into pages (`paginate` and `paginate_later` in
//! `site.yaml`).
//!
//! The first page of a list is what nearly every visitor sees: the newest
//! `first` documents as cards, with their summaries. The later pages are an
//! archive to scan: `later` documents each, shown as rows. Most visitors
//! never go past the first page, and every later page is a file a host
//! stores, an upload sends and a cold build makes: on the peers' corpus of
//! 10,000 models, later pages of 20 cards were 5,138 files, rows of 100
//! are 1,082 (bench/RESULTS.md, session 23).

use std::ops::Range;

/// The page sizes of every paginated list: the models' and ceremonies'
/// lists, term and place pages (the home page shows a few of the newest,
/// unpaged). Both sizes are at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    first: usize,
    later: usize,
}

impl Paging {
    /// `first` documents on the first page, `later` on each page after it
    /// (a zero is taken as one).
    pub fn new(first: usize, later: usize) -> Self {
        Paging {
            first: first.max(1),
            later: later.max(1),
        }
    }

    /// Pages a list of `n` documents takes: at least one, which says the
    /// list is empty when it is.
    pub fn pages(self, n: usize) -> usize {
        1 + n.saturating_sub(self.first).div_ceil(self.later)
    }

    /// The documents (as positions in the list of `n`) that page `page`
    /// (1-based) shows; an empty range past the last page.
    pub fn range(self, page: usize, n: usize) -> Range<usize> {
        let (start, len) = match page {
            0 | 1 => (0, self.first),
            k => (self.first + (k - 2) * self.later, self.later),
        };
        start.min(n)..(start + len).min(n)
    }

    /// Whether page `page` shows its documents as rows (every page after
    /// the first).
    pub fn rows(self, page: usize) -> bool {
        page > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_holds_first_and_each_later_page_later() {
        let p = Paging::new(20, 100);
        assert_eq!(p.pages(0), 1);
        assert_eq!(p.pages(20), 1);
        assert_eq!(p.pages(21), 2);
        assert_eq!(p.pages(120), 2);
        assert_eq!(p.pages(121), 3);
        assert_eq!(p.pages(10_000), 101);
        assert_eq!(p.range(1, 10_000), 0..20);
        assert_eq!(p.range(2, 10_000), 20..120);
        assert_eq!(p.range(3, 10_000), 120..220);
        assert_eq!(p.range(101, 10_000), 9_920..10_000);
        assert_eq!(p.range(102, 10_000), 10_000..10_000);
        assert_eq!(p.range(1, 7), 0..7);
        assert!(!p.rows(1) && p.rows(2));
    }

    #[test]
    fn every_document_is_on_exactly_one_page() {
        for (first, later) in [(1, 1), (2, 3), (20, 20), (20, 100), (7, 5)] {
            let p = Paging::new(first, later);
            for n in 0..60 {
                let shown: Vec<usize> = (1..=p.pages(n)).flat_map(|k| p.range(k, n)).collect();
                assert_eq!(shown, (0..n).collect::<Vec<_>>(), "{first}/{later}, n={n}");
                // No page after the first is empty.
                for k in 2..=p.pages(n) {
                    assert!(
                        !p.range(k, n).is_empty(),
                        "{first}/{later}, n={n}, page {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn zero_sizes_are_taken_as_one() {
        let p = Paging::new(0, 0);
        assert_eq!(p.pages(3), 3);
        assert_eq!(p.range(2, 3), 1..2);
    }
}
