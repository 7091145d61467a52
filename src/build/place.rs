//! Where a build may write, and that only one build writes at a time.
//!
//! The output folder is replaced whole by every build (see
//! `src/output/mod.rs`), so it must not be the site itself, a folder of the
//! site's own sources, or a folder holding the site; and two builds of one
//! site must not write beside it at once (each would take the other's
//! staging tree).

use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::output::{OpenError, Refusal};
use crate::text::shown_path;
use crate::tr;

/// Folders of a site that hold what the editor wrote.
const SOURCES: [&str; 6] = [
    "content",
    "static",
    "themes",
    ".git",
    ".dienhinh",
    "site.yaml",
];

/// Refuses an output folder that would overlap the site's own files.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let (Some(root_abs), Some(out_abs)) = (absolute(root), absolute(output)) else {
        return Ok(());
    };
    let shown = shown_path(output);
    let clash = if out_abs == root_abs {
        Some(tr!(
            "thư mục xuất `{shown}` chính là thư mục trang: mỗi lần dựng sẽ thay cả thư mục này",
            "the output folder `{shown}` is the site folder itself: every build replaces its output whole"
        ))
    } else if root_abs.starts_with(&out_abs) {
        Some(tr!(
            "thư mục xuất `{shown}` chứa cả thư mục trang: mỗi lần dựng sẽ thay cả thư mục này",
            "the output folder `{shown}` contains the site folder: every build replaces its output whole"
        ))
    } else {
        SOURCES
            .iter()
            .find(|s| out_abs.starts_with(root_abs.join(s)))
            .map(|s| {
                tr!(
                    "thư mục xuất `{shown}` nằm trong `{s}` của trang: mỗi lần dựng sẽ thay cả thư mục này",
                    "the output folder `{shown}` is inside the site's `{s}`: every build replaces its output whole"
                )
            })
    };
    match clash {
        None => Ok(()),
        Some(message) => Err(Diagnostic::error(Code::OutputPlacement, shown.clone(), message)
            .help(tr!(
                "bỏ `-o` để dựng vào `public/`, hoặc chọn một thư mục riêng bên cạnh trang, ví dụ `-o ../trang-web`",
                "leave out `-o` to build into `public/`, or choose a folder of its own beside the site, e.g. `-o ../website`"
            ))),
    }
}

/// `path` made absolute and free of `.`/`..`, through the links of the
/// part that exists (so `-o .` and `-o ../site` are seen as the site).
fn absolute(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            c => clean.push(c),
        }
    }
    // The longest part that exists, resolved; the rest appended as is.
    let mut rest = Vec::new();
    let mut base = clean.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(base) {
            let mut real = real;
            for name in rest.iter().rev() {
                real.push(name);
            }
            return Some(real);
        }
        rest.push(base.file_name()?.to_os_string());
        base = base.parent()?;
    }
}

/// The lock that one build of a site holds while it writes its output and
/// the files beside the site: `.dienhinh/build.lock`, locked with
/// `flock(2)` (released by the system if the build is killed), holding the
/// writer's process id for the message another build prints.
pub struct BuildLock {
    _file: fs::File,
}

pub const LOCK: &str = ".dienhinh/build.lock";

impl BuildLock {
    pub fn take(root: &Path) -> Result<BuildLock, Diagnostic> {
        let path = root.join(LOCK);
        let io = |e: std::io::Error| {
            Diagnostic::error(
                Code::Io,
                LOCK,
                tr!(
                    "không tạo được khóa dựng trang: {e}",
                    "cannot create the build lock: {e}"
                ),
            )
            .help(tr!(
                "kiểm tra quyền ghi trong thư mục trang",
                "check that the site folder is writable"
            ))
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(Diagnostic::error(
                    Code::BuildRunning,
                    LOCK,
                    tr!(
                        "một lần dựng trang khác đang chạy (pid {pid}); lần này không ghi gì",
                        "another build is running (pid {pid}); this one wrote nothing"
                    ),
                )
                .help(tr!(
                    "đợi lần dựng kia xong rồi chạy lại `dienhinh build`",
                    "wait for the other build to finish, then run `dienhinh build` again"
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        // The pid is only for the message; failing to write it is harmless.
        let _ = file
            .set_len(0)
            .and_then(|()| write!(file, "{}", std::process::id()));
        Ok(BuildLock { _file: file })
    }
}

/// The error for an output folder the build will not take over.
pub fn open_failure(output: &Path, e: OpenError) -> Diagnostic {
    let shown = shown_path(output);
    match e {
        OpenError::Io(e) => Diagnostic::error(
            Code::Io,
            shown.clone(),
            tr!("không ghi được trang: {e}", "cannot write the site: {e}"),
        )
        .help(tr!(
            "kiểm tra dung lượng đĩa còn trống và quyền ghi; chưa có gì bị thay đổi",
            "check free disk space and permissions; nothing was changed"
        )),
        OpenError::Refused(Refusal::Foreign { entries, ledger }) => {
            foreign(&shown, &entries, ledger)
        }
        OpenError::Refused(Refusal::Link { to }) => {
            let to = shown_path(&to);
            let real = std::path::absolute(output)
                .map(|p| shown_path(&p))
                .unwrap_or_else(|_| shown.clone());
            Diagnostic::error(
                Code::OutputIsLink,
                shown.clone(),
                tr!(
                    "`{shown}` là một liên kết tới `{to}`; dienhinh thay cả thư mục xuất mỗi lần dựng nên không ghi qua liên kết, và chưa ghi gì",
                    "`{shown}` is a link to `{to}`; dienhinh replaces its output folder whole on every build, so it does not write through a link, and wrote nothing"
                ),
            )
            .help(tr!(
                "đặt liên kết theo chiều ngược lại: xóa liên kết `{shown}`, chạy `dienhinh build`, rồi cho thư mục web trỏ tới trang: `ln -sfn {real} {to}`",
                "link the other way round: remove the link `{shown}`, run `dienhinh build`, then point the web root at the site: `ln -sfn {real} {to}`"
            ))
        }
        OpenError::Refused(Refusal::NotAFolder) => Diagnostic::error(
            Code::OutputPlacement,
            shown.clone(),
            tr!(
                "`{shown}` là một tệp, không phải thư mục; chưa ghi gì",
                "`{shown}` is a file, not a folder; nothing was written"
            ),
        )
        .help(tr!(
            "chọn một thư mục khác bằng `-o`, hoặc đổi tên tệp này",
            "choose another folder with `-o`, or rename this file"
        )),
    }
}

/// How many foreign entries a message lists before "and N more".
const LISTED: usize = 8;

fn foreign(shown: &str, entries: &[String], ledger: bool) -> Diagnostic {
    let list: Vec<String> = entries
        .iter()
        .take(LISTED)
        .map(|e| format!("`{}`", crate::text::escape_controls(e)))
        .collect();
    let more = entries.len().saturating_sub(LISTED);
    let n = entries.len();
    let (vi_more, en_more) = if more > 0 {
        (format!(" và {more} mục khác"), format!(" and {more} more"))
    } else {
        (String::new(), String::new())
    };
    let list = list.join(", ");
    let message = if ledger {
        tr!(
            "`{shown}` có {n} mục không do dienhinh ghi: {list}{vi_more}; lần dựng này sẽ xóa chúng nên chưa ghi gì",
            "`{shown}` holds {n} entries dienhinh did not write: {list}{en_more}; building would delete them, so nothing was written"
        )
    } else {
        tr!(
            "`{shown}` đã có {n} mục mà dienhinh không có ghi nhận đã ghi (chưa từng dựng vào đây): {list}{vi_more}; lần dựng này sẽ xóa chúng nên chưa ghi gì",
            "`{shown}` already holds {n} entries with no record that dienhinh wrote them (it never built here): {list}{en_more}; building would delete them, so nothing was written"
        )
    };
    Diagnostic::error(Code::ForeignOutput, shown.to_string(), message).help(tr!(
        "tệp cần đăng lên trang hãy chuyển vào thư mục `static/` của trang (mỗi lần dựng sẽ chép sang); nếu không cần nữa, chạy lại với `--force`: dienhinh chuyển chúng vào một thư mục sao lưu bên cạnh, không xóa gì",
        "move files meant to be published into the site's `static/` folder (every build copies them over); if they are not needed, run again with `--force`: dienhinh moves them into a backup folder beside it and deletes nothing"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_and_its_sources_are_no_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        for bad in [
            root.clone(),
            root.join("."),
            root.join("content"),
            root.join("content/x/../y"),
            root.join("static/out"),
            root.join("themes/a"),
            root.join(".git"),
            dir.path().to_path_buf(),
        ] {
            let d = check_output(&root, &bad).unwrap_err();
            assert_eq!(d.code, Code::OutputPlacement, "{bad:?}");
        }
        for good in [
            root.join("public"),
            dir.path().join("www"),
            root.join("out"),
        ] {
            assert!(check_output(&root, &good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn a_second_build_is_told_who_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let first = BuildLock::take(dir.path()).unwrap();
        let second = BuildLock::take(dir.path()).err().unwrap();
        assert_eq!(second.code, Code::BuildRunning);
        let pid = std::process::id().to_string();
        assert!(second.message.en().contains(&pid), "{:?}", second.message);
        drop(first);
        assert!(BuildLock::take(dir.path()).is_ok());
    }
}
