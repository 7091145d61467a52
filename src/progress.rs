//! Progress of a build: the pipeline tells a [`Hook`] which stage it is in
//! and counts rendered pages; on a terminal [`Progress`] draws that as a
//! bar (pages) or a spinner (other stages). Logs and pipes get nothing but
//! the one-line summary the command prints at the end.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::core::Lang;

/// Builds quicker than this never show a bar.
const SHOW_AFTER: Duration = Duration::from_millis(400);

/// The stages of `build`, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Load,
    Validate,
    Link,
    Images,
    Render,
    Search,
    Write,
}

impl Stage {
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Stage::Load => ("Đọc tệp nội dung", "Reading content"),
            Stage::Validate => ("Kiểm tra phần đầu", "Checking front matter"),
            Stage::Link => ("Liên kết tài liệu", "Linking documents"),
            Stage::Images => ("Xử lý ảnh", "Resizing photos"),
            // Pages are written as they are rendered.
            Stage::Render => ("Dựng và ghi trang", "Rendering and writing pages"),
            Stage::Search => ("Dựng chỉ mục tìm kiếm", "Building the search index"),
            Stage::Write => ("Ghi ra đĩa", "Writing files"),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// What follows a build's progress.
pub trait Observer: Send + Sync {
    /// A stage begins; `total` is the number of steps when they are counted.
    fn stage(&self, stage: Stage, total: Option<usize>);
    /// One counted step done (a page rendered).
    fn tick(&self);
}

/// The build's link to an observer, if any; does nothing by default.
#[derive(Clone, Default)]
pub struct Hook(Option<Arc<dyn Observer>>);

impl Hook {
    pub fn new(observer: Arc<dyn Observer>) -> Self {
        Self(Some(observer))
    }

    pub fn stage(&self, stage: Stage, total: Option<usize>) {
        if let Some(o) = &self.0 {
            o.stage(stage, total);
        }
    }

    pub fn tick(&self) {
        if let Some(o) = &self.0 {
            o.tick();
        }
    }
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Hook(on)"
        } else {
            "Hook(off)"
        })
    }
}

/// A bar on standard error, drawn only once the build has taken longer
/// than [`SHOW_AFTER`].
pub struct Progress {
    bar: ProgressBar,
    lang: Lang,
}

impl Progress {
    /// `None` when not `enabled` (not a terminal, or `--quiet`).
    pub fn start(enabled: bool, lang: Lang) -> Option<Arc<Self>> {
        if !enabled {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(spinner());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Some(Arc::new(Self { bar, lang }))
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for Progress {
    fn stage(&self, stage: Stage, total: Option<usize>) {
        self.bar.set_message(stage.label(self.lang));
        match total {
            Some(n) => {
                self.bar.set_style(bar());
                self.bar.set_length(n as u64);
                self.bar.set_position(0);
            }
            None => {
                self.bar.set_style(spinner());
                self.bar.set_length(0);
            }
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
    }
}

fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}… {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar() -> ProgressStyle {
    ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed} (~{eta})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[derive(Default)]
    struct Record {
        stages: Mutex<Vec<(Stage, Option<usize>)>>,
        ticks: AtomicUsize,
    }

    impl Observer for Record {
        fn stage(&self, stage: Stage, total: Option<usize>) {
            self.stages.lock().unwrap().push((stage, total));
        }
        fn tick(&self) {
            self.ticks.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn hook_forwards_to_its_observer_and_default_does_nothing() {
        Hook::default().stage(Stage::Load, None);
        Hook::default().tick();
        let r = Arc::new(Record::default());
        let hook = Hook::new(r.clone());
        hook.stage(Stage::Render, Some(3));
        hook.tick();
        hook.tick();
        assert_eq!(*r.stages.lock().unwrap(), vec![(Stage::Render, Some(3))]);
        assert_eq!(r.ticks.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn disabled_progress_draws_nothing() {
        assert!(Progress::start(false, Lang::En).is_none());
    }
}
