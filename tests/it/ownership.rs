//! Never lose an editor's files: what the build may replace, where it may
//! write, what it writes beside the site, and when it says so. Every test
//! runs the program as an editor does: in the site's folder, no `-C`,
//! standard input not a terminal.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, init_site, run_in, snapshot, FIXTURE_SITE};

fn fixture(tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    site
}

/// A logo dropped into `public/` after a build is never deleted: the next
/// builds stop and name it; `--force` moves it into a backup folder.
#[test]
fn a_file_dropped_into_public_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    assert!(run_in(&site, &["build"]).ok);
    fs::write(site.join("public/logo.svg"), "<svg>logo</svg>").unwrap();
    fs::write(site.join("public/mo-hinh/bao-cao.pdf"), "report").unwrap();
    let published = snapshot(&site.join("public"));
    for _ in 0..2 {
        let again = run_in(&site, &["build"]);
        assert!(!again.ok, "{}", again.stderr);
        assert!(again.stderr.contains("DH040"), "{}", again.stderr);
        assert!(again.stderr.contains("`logo.svg`"), "{}", again.stderr);
        assert!(
            again.stderr.contains("mo-hinh/bao-cao.pdf"),
            "{}",
            again.stderr
        );
        assert!(again.stderr.contains("static/"), "{}", again.stderr);
        assert_eq!(snapshot(&site.join("public")), published);
    }
    let forced = run_in(&site, &["build", "--force"]);
    assert!(forced.ok, "{}", forced.stderr);
    let backup = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("public.backup-"))
        .expect("a backup folder beside public/");
    assert!(
        forced.stderr.contains("public.backup-"),
        "{}",
        forced.stderr
    );
    assert_eq!(
        fs::read_to_string(backup.join("logo.svg")).unwrap(),
        "<svg>logo</svg>"
    );
    assert_eq!(
        fs::read_to_string(backup.join("mo-hinh/bao-cao.pdf")).unwrap(),
        "report"
    );
    assert!(!site.join("public/logo.svg").exists());
    assert!(run_in(&site, &["build"]).ok, "clean again");
}

/// A folder someone else filled (`-o portal`) is not taken over, even on
/// the first build: there is no record that dienhinh wrote it.
#[test]
fn an_output_folder_with_someone_elses_files_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    fs::create_dir(tmp.path().join("portal")).unwrap();
    fs::write(tmp.path().join("portal/important.txt"), "keep me").unwrap();
    for _ in 0..2 {
        let out = run_in(&site, &["build", "-o", "../portal"]);
        assert!(!out.ok);
        assert!(out.stderr.contains("important.txt"), "{}", out.stderr);
    }
    assert_eq!(
        fs::read_to_string(tmp.path().join("portal/important.txt")).unwrap(),
        "keep me"
    );
    // An empty folder is fine.
    fs::create_dir(tmp.path().join("www")).unwrap();
    let out = run_in(&site, &["build", "-o", "../www"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(tmp.path().join("www/index.html").is_file());
}

/// `-o` at the site itself, its sources or a folder holding it is refused
/// before anything is written.
#[test]
fn the_output_may_not_overlap_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/a.txt"), "a").unwrap();
    let before = snapshot(tmp.path());
    for o in [
        ".",
        "content",
        "static/out",
        "themes/x",
        "..",
        "./content/../",
    ] {
        let out = run_in(&site, &["build", "-o", o]);
        assert!(!out.ok, "-o {o} was accepted");
        assert!(out.stderr.contains("DH042"), "-o {o}: {}", out.stderr);
        assert_eq!(snapshot(tmp.path()), before, "-o {o} wrote something");
    }
}

/// A `public/` that links to a web root is never replaced by a folder:
/// the build stops and says how to link the other way.
#[cfg(unix)]
#[test]
fn a_linked_public_is_refused_and_left_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    let web = tmp.path().join("www");
    fs::create_dir(&web).unwrap();
    fs::write(web.join("index.html"), "web root").unwrap();
    std::os::unix::fs::symlink(&web, site.join("public")).unwrap();
    let out = run_in(&site, &["build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("DH041"), "{}", out.stderr);
    assert!(out.stderr.contains("ln -s"), "{}", out.stderr);
    assert!(fs::symlink_metadata(site.join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(web.join("index.html")).unwrap(),
        "web root"
    );
    assert!(!site.join(".public~spare").exists());
}

/// A folder that is not a site is not built, checked, served or searched,
/// and nothing is written into it.
#[test]
fn a_folder_without_site_yaml_is_not_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    fs::create_dir_all(app.join("public")).unwrap();
    fs::write(app.join("public/logo.svg"), "logo").unwrap();
    let before = snapshot(&app);
    for args in [
        &["build"][..],
        &["check"],
        &["serve", "--port", "0"],
        &["search", "x"],
        &["--lang", "en", "build"],
    ] {
        let out = run_in(&app, args);
        assert!(!out.ok, "{args:?}");
        assert!(out.stderr.contains("DH044"), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("init"), "{args:?}: {}", out.stderr);
        assert_eq!(snapshot(&app), before, "{args:?} wrote");
        assert_eq!(fs::read_dir(&app).unwrap().count(), 1, "{args:?}");
    }
    let en = run_in(&app, &["--lang", "en", "build"]);
    assert!(en.stderr.contains("not a dienhinh site"), "{}", en.stderr);
}

/// A failed build says what it left: the previous site where there was
/// one, and that nothing was written where there was none.
#[test]
fn a_failed_build_tells_the_truth_about_public() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    let model = fs::read_dir(site.join("content/mo-hinh"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let good = fs::read_to_string(&model).unwrap();
    fs::write(&model, good.replacen("title:", "title: [", 1)).unwrap();
    let out = run_in(&site, &["--lang", "en", "build"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("Nothing was written to public"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("previous"), "{}", out.stderr);
    assert!(!site.join("public").exists());
    fs::write(&model, &good).unwrap();
    assert!(run_in(&site, &["build"]).ok);
    fs::write(&model, good.replacen("title:", "title: [", 1)).unwrap();
    let out = run_in(&site, &["--lang", "en", "build"]);
    assert!(
        out.stderr.contains("The previous public is unchanged"),
        "{}",
        out.stderr
    );
}

/// urls.lock is written whole before the new site is swapped in: when it
/// cannot be written, the previous site stays published, and the message
/// that says so is true.
#[test]
fn when_urls_lock_cannot_be_written_nothing_is_published() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    assert!(run_in(&site, &["build"]).ok);
    let published = snapshot(&site.join("public"));
    let lock = fs::read(site.join("urls.lock")).unwrap();
    // A new model: the lock must change. Then make it unwritable: a
    // folder of the same name stands where the new file would be renamed.
    let model = fs::read_dir(site.join("content/mo-hinh"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let text = fs::read_to_string(&model).unwrap();
    let copy = text
        .lines()
        .filter(|l| {
            !["id:", "slug:", "aliases:"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(site.join("content/mo-hinh/ban-sao-moi.md"), copy).unwrap();
    fs::remove_file(site.join("urls.lock")).unwrap();
    fs::create_dir_all(site.join("urls.lock/x")).unwrap();
    let out = run_in(&site, &["--lang", "en", "build"]);
    assert!(!out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("urls.lock"), "{}", out.stderr);
    assert!(
        out.stderr.contains("The previous public is unchanged"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&site.join("public")), published, "nothing swapped");
    fs::remove_dir_all(site.join("urls.lock")).unwrap();
    fs::write(site.join("urls.lock"), &lock).unwrap();
    assert!(run_in(&site, &["build"]).ok);
    assert!(site.join("public/mo-hinh/ban-sao-moi/index.html").is_file());
}

/// With the build lock held by another process, a build stops at once
/// with a message naming it, and writes nothing.
#[test]
fn a_second_build_waits_its_turn() {
    if Command::new("flock").arg("--version").output().is_err() {
        eprintln!("notice: `flock` (util-linux) not found; lock test skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    assert!(run_in(&site, &["build"]).ok);
    let published = snapshot(&site.join("public"));
    let mut holder = Command::new("flock")
        .current_dir(&site)
        // --no-fork: the lock is held by the process killed below.
        .args(["--no-fork", ".dienhinh/build.lock", "sleep", "20"])
        .spawn()
        .unwrap();
    // Until flock holds it.
    let mut told = None;
    for _ in 0..100 {
        let out = run_in(&site, &["--lang", "en", "build"]);
        if !out.ok {
            told = Some(out.stderr);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = holder.kill();
    let _ = holder.wait();
    let told = told.expect("the build saw the lock");
    assert!(told.contains("DH043"), "{told}");
    assert!(told.contains("another build is running"), "{told}");
    assert_eq!(snapshot(&site.join("public")), published);
    assert!(run_in(&site, &["build"]).ok, "lock released");
}

/// Two builds started together: each either builds or says another build
/// is running; never a misleading disk error, and the site is whole.
#[test]
fn concurrent_builds_never_break_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    assert!(run_in(&site, &["build"]).ok);
    let expected = snapshot(&site.join("public"));
    for _ in 0..3 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_dienhinh"))
                .current_dir(&site)
                .args(["--lang", "en", "build"])
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("another build is running"),
                "{err}"
            );
        }
        assert_eq!(snapshot(&site.join("public")), expected);
    }
}

/// A build that runs out of disk space leaves the previous site, a whole
/// urls.lock and no partial tree taking the space (needs a small tmpfs:
/// skipped with a notice where this user cannot mount one).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_loses_nothing_and_keeps_no_partial_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("notice: cannot mount a tmpfs here; disk-full test skipped");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    let site = fixture(&disk);
    let first = run_in(&site, &["build"]);
    assert!(first.ok, "{}", first.stderr);
    let published = snapshot(&site.join("public"));
    let lock = fs::read(site.join("urls.lock")).unwrap();
    // Remove the spare tree's room too, then fill the disk but for a few
    // kilobytes, and change every page (the title appears on all).
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        yaml.replacen("title:", "title: Trang mới —", 1),
    )
    .unwrap();
    let filler = disk.join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=4096"])
        .arg(format!("of={}", filler.display()))
        .output();
    let _ = Command::new("truncate")
        .args(["-s", "-16K"])
        .arg(&filler)
        .status();
    let out = run_in(&site, &["--lang", "en", "build"]);
    assert!(!out.ok, "a build fit in 16 KB?\n{}", out.stderr);
    assert!(
        out.stderr.contains("The previous public is unchanged"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&site.join("public")), published);
    assert_eq!(fs::read(site.join("urls.lock")).unwrap(), lock);
    let left: Vec<String> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("spare") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    fs::remove_file(&filler).unwrap();
    assert!(run_in(&site, &["build"]).ok);
}

/// `init --force` over an existing site lists what it replaces, keeps a
/// copy of each, and adds no example document the next build would publish.
#[test]
fn init_force_keeps_what_it_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture(tmp.path());
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    let out = run_in(tmp.path(), &["--lang", "en", "init", "site", "--force"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("replaced"), "{}", out.stderr);
    assert!(out.stderr.contains("site.yaml.bak"), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(site.join("site.yaml.bak")).unwrap(),
        yaml
    );
    assert!(!site.join("content/mo-hinh/nam-gao-tinh-thuong.md").exists());
    assert!(!site
        .join("content/tuyen-duong/xa-vi-du-tuyen-duong-2023.md")
        .exists());
}

/// After builds, a forced build and `init`, `git add -A` stages only what
/// the editor wrote (and urls.lock): `init`'s .gitignore covers the rest.
#[test]
fn git_sees_only_the_sources() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("notice: git not found; .gitignore test skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "trang", &[]);
    for _ in 0..2 {
        assert!(run_in(&site, &["build"]).ok);
    }
    fs::write(site.join("public/stray.txt"), "x").unwrap();
    assert!(run_in(&site, &["build", "--force"]).ok);
    assert!(run_in(&site, &["build", "--compress"]).ok);
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(&site)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    let status =
        String::from_utf8(git(&["status", "--porcelain", "--untracked-files=all"]).stdout).unwrap();
    let mut listed: Vec<&str> = status.lines().map(|l| &l[3..]).collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ".gitignore",
            "content/_index.md",
            "content/gioi-thieu.md",
            "content/mo-hinh/nam-gao-tinh-thuong.md",
            "content/tuyen-duong/xa-vi-du-tuyen-duong-2023.md",
            "site.yaml",
            "static/.gitkeep",
            "urls.lock",
        ]
    );
}
