//! Per-stage timings on stderr, for benchmarks and `--verbose`: wall
//! time, the process's CPU time split into user and system time (a stage
//! waiting on the file system shows as system time, one computing as user
//! time), and memory. Off unless the command line turns it on with
//! [`show`]: then each mark costs two system calls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);

/// Turns the timings on or off for this process (the command line does,
/// from `--verbose` or `DIENHINH_TIMINGS=1`).
pub fn show(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// Whether timings are printed.
pub fn shown() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Times the stages of a build, or the parts of one stage.
pub struct Lap {
    at: Instant,
    cpu: Cpu,
    on: bool,
    prefix: &'static str,
}

impl Lap {
    pub fn start() -> Self {
        Self::within("")
    }

    /// Laps of the parts of a stage, printed as `<prefix><part>`.
    pub fn within(prefix: &'static str) -> Self {
        let on = shown();
        Self {
            at: Instant::now(),
            cpu: if on { Cpu::now() } else { Cpu::default() },
            on,
            prefix,
        }
    }

    /// Prints the time since the previous mark as the duration of `stage`.
    pub fn mark(&mut self, stage: &str) {
        if self.on {
            let ms = self.at.elapsed().as_secs_f64() * 1e3;
            let cpu = Cpu::now();
            let (user, sys) = cpu.since(&self.cpu);
            eprintln!(
                "timing: {}{stage} {ms:.1} ms (cpu {user:.0} ms user, {sys:.0} ms sys){}",
                self.prefix,
                memory()
            );
            self.cpu = cpu;
        }
        self.at = Instant::now();
    }

    /// Prints the whole build's time since `started`.
    pub fn total(&self, started: Instant) {
        if self.on {
            let ms = started.elapsed().as_secs_f64() * 1e3;
            eprintln!("timing: total {ms:.1} ms{}", memory());
        }
    }
}

/// The process's CPU time so far (all threads), in milliseconds.
#[derive(Clone, Copy, Default)]
struct Cpu {
    user: f64,
    sys: f64,
}

impl Cpu {
    fn now() -> Cpu {
        #[cfg(unix)]
        {
            // SAFETY: getrusage writes into the zeroed struct it is given.
            let mut u: libc::rusage = unsafe { std::mem::zeroed() };
            if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } == 0 {
                let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
                return Cpu {
                    user: ms(u.ru_utime),
                    sys: ms(u.ru_stime),
                };
            }
        }
        Cpu::default()
    }

    fn since(&self, before: &Cpu) -> (f64, f64) {
        (self.user - before.user, self.sys - before.sys)
    }
}

/// Resident and peak memory, where the system tells (Linux), to see which
/// stage holds what.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(" (rss {} MB, peak {} MB)", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}
