//! `dienhinh export report.xlsx`: the site loaded and checked as `build`
//! does, then the workbook of src/sheet/workbook.rs written whole beside
//! nothing else.

use crate::sheet::workbook;

/// What `dienhinh export` wrote.
#[derive(Debug)]
pub struct Exported {
    pub models: usize,
    pub ceremonies: usize,
    pub summaries: usize,
    pub bytes: usize,
}

/// `dienhinh export DEST`: loads and checks the site as `build` does (a
/// site with errors is not reported on), then writes the workbook. An
/// existing file is replaced only with `force`, and always whole: the bytes
/// go to a temporary file beside it first.
pub fn export(
    root: &std::path::Path,
    dest: &std::path::Path,
    by: Option<workbook::By>,
    filters: &[String],
    force: bool,
) -> Result<Exported, Vec<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::{Code, Diagnostic};
    let shown = crate::text::shown_path(dest);
    if dest.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        return Err(vec![Diagnostic::error(
            Code::SheetUnreadable,
            &shown,
            crate::tr!(
                "báo cáo phải là tệp .xlsx",
                "the report must be an .xlsx file"
            ),
        )
        .help(crate::tr!(
            "đặt tên tệp có đuôi .xlsx, ví dụ `dienhinh export bao-cao.xlsx`",
            "give the file an .xlsx name, e.g. `dienhinh export report.xlsx`"
        ))]);
    }
    if dest.exists() && !force {
        return Err(vec![Diagnostic::error(
            Code::SheetUnreadable,
            &shown,
            crate::tr!(
                "tệp này đã có; chưa ghi gì",
                "this file already exists; nothing was written"
            ),
        )
        .help(crate::tr!(
            "chọn tên khác, hoặc thêm `--force` để thay tệp cũ",
            "choose another name, or add `--force` to replace it"
        ))]);
    }
    let opts = crate::pipeline::BuildOptions::new(root);
    let (site, _warnings) = crate::pipeline::load_site(&opts).map_err(|f| f.diagnostics)?;
    let theme = crate::theme::Theme::load(root, &site.config)?;
    let kept = if filters.is_empty() {
        None
    } else {
        Some(super::filter::models_kept(&site, filters)?)
    };
    let report = crate::render::sheet_report(&site, &theme, kept.as_deref());
    let bytes = workbook::write(&report, by).map_err(|e| {
        vec![Diagnostic::error(
            Code::SheetUnreadable,
            &shown,
            crate::tr!(
                "không tạo được sổ Excel: {e}",
                "cannot make the workbook: {e}"
            ),
        )]
    })?;
    crate::core::files::write_whole(dest, &bytes).map_err(|e| {
        vec![Diagnostic::error(
            Code::Io,
            &shown,
            crate::tr!("không ghi được: {e}", "cannot write: {e}"),
        )
        .help(crate::tr!(
            "kiểm tra quyền ghi và dung lượng đĩa còn trống",
            "check permissions and free disk space"
        ))]
    })?;
    Ok(Exported {
        models: report.models.len(),
        ceremonies: report.ceremonies.len(),
        summaries: report.summaries.len(),
        bytes: bytes.len(),
    })
}
