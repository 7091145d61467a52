//! `urls.lock`: every address the site has published (document pages,
//! short links and aliases), sorted, one per line, kept at the site root and
//! committed with the content. A build that would drop an address without
//! an alias fails, so a fresh clone still notices a lost URL (README.md § What a build writes).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::failed::{Failed, FailedDocs};
use crate::site::Site;
use crate::tr;

pub const LOCK_FILE: &str = "urls.lock";

const HEADER: &str = "# Published URLs (dienhinh). Commit this file with the content.\n# A URL listed here must keep working: give its document an `aliases:` entry when it moves,\n# or delete the line if the page was withdrawn on purpose.\n";

/// Site-relative addresses the site answers at, each starting with `/`.
pub fn current(site: &Site) -> BTreeSet<String> {
    let mut urls = BTreeSet::new();
    for (doc, short) in crate::urls::documents(site) {
        urls.insert(format!("/{}", doc.path));
        if short {
            urls.insert(format!("/{}", crate::urls::short_link(doc)));
        }
        urls.extend(doc.aliases.iter().map(|a| format!("/{a}")));
    }
    urls
}

/// An error for every locked URL the site no longer answers at.
pub fn vanished(site: &Site) -> Vec<Diagnostic> {
    vanished_knowing(site, &FailedDocs::default())
}

/// [`vanished`], knowing the documents left out of the site for an error
/// of their own: their addresses are not lost, only waiting for the fix,
/// so they are not reported again (deleting their lines, as the advice for
/// a lost address says, would drop them from the lock for good).
pub fn vanished_knowing(site: &Site, failed: &FailedDocs) -> Vec<Diagnostic> {
    let Ok(text) = std::fs::read_to_string(site.root.join(LOCK_FILE)) else {
        return Vec::new();
    };
    let now = current(site);
    let source: Arc<str> = Arc::from(text.as_str());
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let url = line.trim();
        let lost = !url.is_empty() && !url.starts_with('#') && !answered(&now, url);
        if lost && failed.owner(url).is_none() {
            let at = offset + line.find('/').unwrap_or(0);
            out.push(lost_url(&source, at, url, failed.unreadable()));
        }
        offset += line.len();
    }
    out
}

/// Whether the site answers at `url`: one of its addresses, or a short
/// link in the form it had before short links were files (`/m/<id>/`),
/// which the redirect rules and the 404 page forward to `/m/<id>`
/// (src/urls.rs, `short_link_of`). A lock written before then lists
/// that form; the next build's lock lists the new one.
fn answered(now: &BTreeSet<String>, url: &str) -> bool {
    now.contains(url)
        || url
            .strip_suffix('/')
            .filter(|bare| bare.starts_with(&format!("/{}", crate::urls::SHORT_LINKS)))
            .is_some_and(|bare| now.contains(bare))
}

/// The error for one lost address. While a document is unreadable, the
/// address may well be one of its aliases: the advice is then to fix that
/// document first, never to delete the line.
fn lost_url(source: &Arc<str>, at: usize, url: &str, unreadable: Option<&Failed>) -> Diagnostic {
    let d = Diagnostic::error(
        Code::LostUrl,
        LOCK_FILE,
        match unreadable {
            None => tr!(
                "{url} đã được công bố nhưng nay không còn tài liệu nào ở địa chỉ đó",
                "{url} was published but no document answers there any more"
            ),
            Some(f) => {
                let at = &f.at;
                tr!(
                    "{url} đã được công bố nhưng nay không còn tài liệu nào ở địa chỉ đó, có lẽ vì lỗi ở {at}",
                    "{url} was published but no document answers there any more, probably because of the error at {at}"
                )
            }
        },
    )
    .at(source, at, url.len())
    .label(tr!("địa chỉ bị mất", "lost address"));
    match unreadable {
        None => d.help(tr!(
            "nếu tài liệu đã chuyển chỗ, thêm `aliases: [{url}]` vào phần đầu của nó; nếu cố ý gỡ bỏ, hãy xóa dòng này",
            "if the document moved, add `aliases: [{url}]` to its front matter; if it was withdrawn on purpose, delete this line"
        )),
        Some(f) => {
            let at = &f.at;
            d.help(tr!(
                "sửa lỗi ở {at} trước: tệp đó chưa đọc được nên chưa biết hết các địa chỉ của nó (mã `id`, địa chỉ cũ `aliases`); đừng xóa dòng này khi lỗi đó còn",
                "fix the error at {at} first: that file cannot be read yet, so not all of its addresses (its `id`, its `aliases`) are known; do not delete this line while that error stands"
            ))
        }
    }
}

/// Writes the lock for the site as built: what it had plus nothing lost
/// (a build with lost URLs never gets here). The new text is written to a
/// temporary file, synced and renamed over the old one, so the lock is
/// always whole: a full disk leaves the previous lock, never half a file.
/// Returns what was there before, for a build that must take it back.
pub fn save(root: &Path, site: &Site) -> std::io::Result<Previous> {
    let mut text = String::from(HEADER);
    for url in current(site) {
        text.push_str(&url);
        text.push('\n');
    }
    let path = root.join(LOCK_FILE);
    let old = std::fs::read(&path).ok();
    // Leave the file (and its timestamp) alone when nothing changed.
    if old.as_deref() == Some(text.as_bytes()) {
        return Ok(Previous { path, old: None });
    }
    crate::core::files::write_whole(&path, text.as_bytes())?;
    Ok(Previous {
        path,
        old: Some(old),
    })
}

/// The lock as it was before [`save`].
#[must_use]
pub struct Previous {
    path: std::path::PathBuf,
    /// `None` when `save` left the file as it was; `Some(None)` when there
    /// was no file.
    old: Option<Option<Vec<u8>>>,
}

impl Previous {
    /// Puts the previous lock back (the build that wrote it failed later).
    pub fn restore(self) -> std::io::Result<()> {
        match self.old {
            None => Ok(()),
            Some(None) => std::fs::remove_file(&self.path),
            Some(Some(bytes)) => crate::core::files::write_whole(&self.path, &bytes),
        }
    }
}
