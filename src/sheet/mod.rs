//! Spreadsheets in and out.
//!
//! Offices keep their lists of models in spreadsheets; [`export`] writes the
//! report a province sends upward (models, each ceremony's honorees, and the
//! counts `/thong-ke/` shows), and [`import`] turns an office's list into one
//! Markdown file per row. The Markdown files stay the source of truth: an
//! import never overwrites one, and an export publishes only what the open
//! data does.

pub mod export;
pub mod headings;
pub mod import;
pub mod legacy;
pub mod read;

/// Writes `bytes` to `path` whole: into a temporary file beside it, then
/// renamed over, so a reader never sees half a workbook or half a page.
pub(crate) fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "tep".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
