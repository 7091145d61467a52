//! A progress indicator for long builds, on a terminal only: logs and
//! pipes get nothing but the one-line summary.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Builds quicker than this never show the spinner.
const SHOW_AFTER: Duration = Duration::from_millis(400);

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A spinner with the elapsed time, drawn only once the build has taken
    /// longer than [`SHOW_AFTER`].
    pub fn start(enabled: bool, message: &str) -> Self {
        if !enabled {
            return Self { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_string());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Self { bar: Some(bar) }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
