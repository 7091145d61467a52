//! Files beside the site, written whole or not at all.

use std::path::Path;

/// The site's settings file, in the site folder.
pub const CONFIG_FILE: &str = "site.yaml";

/// The largest content file or `site.yaml` read: far beyond any real
/// document, small enough that a stray binary cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Replaces `path` by `bytes` atomically: a temporary file beside it,
/// synced to disk, then renamed over it. A full disk or a crash leaves the
/// previous file, never half of the new one.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map_or_else(|| "tmp".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}
