//! A build killed with SIGKILL at any moment leaves `public/` as the
//! previous complete site or the new complete site, never a mix and never
//! missing; the next build clears what the killed one left behind.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::copy_dir;

const MODELS: usize = 300;
const KILLS: usize = 40;

/// Every file under `dir` with a hash of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, u64> {
    common::snapshot(dir)
        .into_iter()
        .map(|(k, v)| (k, dienhinh::text::fnv1a(&v)))
        .collect()
}

/// The files that differ between two snapshots (for readable failures).
fn differences(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> Vec<String> {
    let mut keys: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
        .collect();
    keys.truncate(20);
    keys
}

/// A private copy of the binary: a `cargo build` running beside this long
/// test must not swap the program between the two sites' builds.
fn binary() -> &'static Path {
    static COPY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dienhinh-interrupt-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("dienhinh");
        fs::copy(env!("CARGO_BIN_EXE_dienhinh"), &copy).unwrap();
        copy
    })
}

fn spawn_build(site: &Path) -> Child {
    Command::new(binary())
        .arg("-C")
        .arg(site)
        .arg("build")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run dienhinh")
}

fn build(site: &Path) {
    let status = spawn_build(site).wait().unwrap();
    assert!(status.success(), "build of {} failed", site.display());
}

/// Models enough for the build to take about a second (debug build).
fn add_models(site: &Path, from: usize, to: usize, word: &str) {
    let fields = [
        "kinh-te",
        "van-hoa-xa-hoi",
        "quoc-phong-an-ninh",
        "xay-dung-he-thong-chinh-tri",
    ];
    let dir = site.join("content/mo-hinh");
    for i in from..to {
        let text = format!(
            "---\nid: k{i:04}\ntitle: \"Mô hình {word} số {i}\"\nfield: {}\nkind: tap-the\nplace: [TP. Hồ Chí Minh, Quận {}]\ndate: 20{:02}-0{}-1{}\ntags: [an sinh, {word}]\n---\n{}\n",
            fields[i % 4],
            i % 12 + 1,
            10 + i % 15,
            i % 9 + 1,
            i % 9,
            format!("Đoạn văn {word} về cách làm hay thứ {i}, giúp người dân. ").repeat(8)
        );
        fs::write(dir.join(format!("mo-hinh-{i}.md")), text).unwrap();
    }
}

fn staging_dirs(site: &Path) -> Vec<String> {
    fs::read_dir(site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public-"))
        .collect()
}

/// Puts the previous site back as its build left it: the tree, and the
/// ledger that says its files are dienhinh's (without it the next build
/// would stop, refusing to replace files it has no record of writing).
fn restore(site: &Path, saved: &Path) {
    let public = site.join("public");
    if public.exists() {
        fs::remove_dir_all(&public).unwrap();
    }
    copy_dir(&saved.join("public"), &public);
    fs::copy(saved.join("sums"), site.join(".public~sums")).unwrap();
}

/// Polls until a staging folder exists (or the build ends); returns when.
fn wait_for_staging(site: &Path, child: &mut Child, started: Instant) -> Option<Duration> {
    loop {
        if !staging_dirs(site).is_empty() {
            return Some(started.elapsed());
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Polls until `public/` is another folder than before the build (the
/// swap happened) or the build ends; returns when.
fn wait_for_swap(site: &Path, child: &mut Child, started: Instant) -> Duration {
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &Path| fs::metadata(p).map(|m| m.ino()).ok();
    let public = site.join("public");
    let before = inode(&public);
    while inode(&public) == before && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_micros(200));
    }
    started.elapsed()
}

/// A full build, timed: its length, and how long its staging folder lived
/// (writing, swapping in, deleting the old site).
fn timed_build(site: &Path) -> (Duration, Duration) {
    let started = Instant::now();
    let mut child = spawn_build(site);
    let appeared =
        wait_for_staging(site, &mut child, started).expect("the build writes a staging folder");
    while !staging_dirs(site).is_empty() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_micros(500));
    }
    let gone = started.elapsed();
    assert!(child.wait().unwrap().success());
    (started.elapsed(), gone - appeared)
}

#[test]
fn killed_builds_leave_the_old_or_the_new_site_whole() {
    let (tmp, site) = common::fixture_with_yaml(|yaml| yaml.replace("paginate: 2", "paginate: 20"));

    // The previous site (A), then the new one (B): more models and a new
    // site title, so every page differs between the two.
    add_models(&site, 0, MODELS, "cũ");
    build(&site);
    let old = snapshot(&site.join("public"));
    let saved_old = tmp.path().join("saved-old");
    copy_dir(&site.join("public"), &saved_old.join("public"));
    fs::copy(site.join(".public~sums"), saved_old.join("sums")).unwrap();

    add_models(&site, 0, MODELS + 20, "mới");
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        yaml.replace("Trang thử nghiệm", "Trang mới"),
    )
    .unwrap();
    build(&site);
    let new = snapshot(&site.join("public"));
    assert_ne!(old, new);
    assert!(old.len() > MODELS && new.len() > old.len());
    restore(&site, &saved_old);
    let (mut duration, mut writing) = timed_build(&site);

    let mut seed = 0x9e37_79b9_7f4a_7c15_u64 ^ u64::from(std::process::id());
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut saw_old, mut saw_new, mut left_staging, mut in_write) = (0, 0, 0, 0);
    for i in 0..KILLS {
        restore(&site, &saved_old);
        let started = Instant::now();
        let mut child = spawn_build(&site);
        // Even kills: at a random moment of the i-th slice of the whole
        // build. Kills 1, 5, 9…: at a random moment while the staging folder
        // exists, where writing happens. Kills 3, 7, 11…: the instant the
        // swap is seen. Pages are written into staging from the start, so
        // the swap is the build's last few milliseconds: random moments
        // alone rarely land after it.
        let at = match i % 4 {
            1 => {
                if wait_for_staging(&site, &mut child, started).is_some() {
                    std::thread::sleep(writing.mul_f64(random()));
                }
                started.elapsed()
            }
            3 => wait_for_swap(&site, &mut child, started),
            _ => {
                let span = duration.as_secs_f64();
                std::thread::sleep(Duration::from_secs_f64(
                    span * (i as f64 + random()) / KILLS as f64,
                ));
                started.elapsed()
            }
        };
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let public = site.join("public");
        assert!(public.is_dir(), "kill {i} at {at:?}: public/ is missing");
        let now = snapshot(&public);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!(
                "kill {i} at {at:?}: public/ is neither site; {} files, differing from the old: {:?}",
                now.len(),
                differences(&now, &old)
            );
        }
        if !staging_dirs(&site).is_empty() {
            left_staging += 1;
            in_write += usize::from(i % 4 == 1);
        }
        // Now and then, a build runs to the end: it must clean up after the
        // killed one and give the new site; its timing steers the next kills.
        if i % 10 == 9 {
            restore(&site, &saved_old);
            (duration, writing) = timed_build(&site);
            let now = snapshot(&site.join("public"));
            assert!(
                now == new,
                "build after kill {i} differs: {:?}",
                differences(&now, &new)
            );
            assert_eq!(staging_dirs(&site), Vec::<String>::new(), "after kill {i}");
        }
    }
    eprintln!(
        "{KILLS} kills (builds of {duration:.2?}, staging folder alive {writing:.2?}): {saw_old} left the old site, {saw_new} the new one; {left_staging} left a staging folder ({in_write} of them killed while writing)"
    );
    assert!(
        saw_old > 0 && saw_new > 0,
        "kills must land both before and after the swap"
    );
    assert!(
        left_staging > 0,
        "some kills must land while the staging folder exists"
    );

    build(&site);
    let now = snapshot(&site.join("public"));
    assert!(
        now == new,
        "last build differs: {:?}",
        differences(&now, &new)
    );
    assert_eq!(
        staging_dirs(&site),
        Vec::<String>::new(),
        "stale staging folders are cleaned"
    );
    let _ = fs::remove_dir_all(binary().parent().unwrap());
}
