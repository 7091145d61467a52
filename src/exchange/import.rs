//! `dienhinh import FILE`: an office's list of models, one Markdown file
//! per row.
//!
//! The header row is found below any title block; each column is placed by
//! its heading (src/sheet/headings.rs) or by a `map.yaml` the editor
//! corrected (`--write-map` drafts one). Values go through the site's
//! vocabularies, dates and places are read the ways offices write them,
//! and what a list seldom has (the kind) is inferred and reported. Nothing
//! is overwritten: a row matching an existing model (same title and place)
//! is reported with both locations and skipped. Every problem is reported
//! at once, located as `list.xlsx!Sheet1!C17`; then the files written are
//! validated as `check` validates them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::sheet::headings::{self, MapFile, Target};
use crate::sheet::legacy;
use crate::sheet::read::{self, Cell, ReadError, Sheet};
use crate::tr;
use crate::vi::{fold, nfc};
use crate::vocab::Vocabulary;

/// Rows above the header that may hold a title block.
const HEADER_SEARCH_ROWS: usize = 30;
/// Cells named in one warning before "and N more".
const CELLS_NAMED: usize = 12;

/// Which section the rows become documents of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// One model per row (`content/mo-hinh/`).
    #[default]
    Models,
    /// One ceremony per row (`content/tuyen-duong/`): a list of the
    /// conferences and ceremonies an office held.
    Ceremonies,
}

impl Section {
    fn dir(self, config: &Config) -> &str {
        match self {
            Section::Models => &config.sections.models,
            Section::Ceremonies => &config.sections.ceremonies,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The spreadsheet, as given on the command line.
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub map: Option<PathBuf>,
    /// Write a draft `map.yaml` and import nothing.
    pub write_map: bool,
    pub dry_run: bool,
    /// Merge a row into the model it duplicates, field by field.
    pub update: bool,
    /// `--set key=value`, for every row.
    pub set: Vec<String>,
    pub section: Section,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Site-relative paths of the files written (or to be written), with
    /// their text.
    pub files: Vec<(String, String)>,
    /// Every problem and every inferred value; errors mean nothing was
    /// written.
    pub diagnostics: Vec<Diagnostic>,
    pub duplicates: usize,
    /// The mapping file written by `--write-map`.
    pub map_written: Option<PathBuf>,
    /// With `--update`: existing models a row changes.
    pub updates: Vec<Update>,
    pub written: bool,
    /// The section the files go to.
    pub section: Section,
}

/// A row merged into an existing model (`--update`).
#[derive(Debug)]
pub struct Update {
    /// Site-relative path of the model.
    pub file: String,
    /// `key: old → new`, one line per field that changes.
    pub diff: Vec<String>,
    /// The file as it was read, so a file changed meanwhile is left alone.
    before: String,
    after: String,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A cell's column letters: 0 → A, 26 → AA.
pub fn column_name(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Names places in the file: `list.xlsx!Sheet1!C17`; a CSV has one sheet,
/// so `list.csv!C17`.
struct Place<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
}

impl Place<'_> {
    fn cell(&self, r: usize, c: usize) -> String {
        format!(
            "{}{}",
            self.sheet_prefix(),
            format_args!("{}{}", column_name(c), r + 1)
        )
    }
    fn row(&self, r: usize) -> String {
        format!("{}{}", self.sheet_prefix(), r + 1)
    }
    fn sheet_prefix(&self) -> String {
        match self.sheet {
            Some(s) => format!("{}!{s}!", self.file),
            None => format!("{}!", self.file),
        }
    }
}

/// Runs the import. `Err` only when nothing could be read at all.
pub fn import(root: &Path, opts: &ImportOptions) -> Result<ImportReport, Vec<Diagnostic>> {
    let config = Config::load(root).map_err(|d| vec![d])?;
    let shown = crate::text::shown_path(&opts.file);
    let map = match &opts.map {
        Some(p) if !opts.write_map => Some(load_map(p)?),
        _ => None,
    };
    let wanted = opts
        .sheet
        .clone()
        .or_else(|| map.as_ref().and_then(|m| m.sheet.clone()));
    let book =
        read::read(&opts.file, wanted.as_deref()).map_err(|e| vec![read_error(&shown, e)])?;
    let is_csv = matches!(
        opts.file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("csv" | "txt")
    );
    let mut report = ImportReport {
        section: opts.section,
        ..ImportReport::default()
    };
    if let Some(code_page) = book.converted_from {
        report.diagnostics.push(
            Diagnostic::warning(
                Code::SheetLegacyText,
                &shown,
                tr!(
                    "tệp không phải UTF-8: đã đọc theo bảng mã {code_page} và chuyển sang Unicode",
                    "the file is not UTF-8: it was read as {code_page} and converted to Unicode"
                ),
            )
            .help(tr!(
                "kiểm tra vài dòng đã nhập; lần sau lưu CSV dạng “CSV UTF-8”",
                "check a few imported rows; next time save the CSV as “CSV UTF-8”"
            )),
        );
    }
    if book.external_links {
        report.diagnostics.push(
            Diagnostic::warning(
                Code::SheetFormula,
                &shown,
                tr!(
                    "bảng tính có liên kết tới tệp khác; chỉ đọc giá trị đã lưu trong tệp này, không mở tệp nào khác",
                    "the workbook links to other files; only the values stored in this file are read, nothing else is opened"
                ),
            )
            .help(tr!(
                "kiểm tra các ô lấy số liệu từ tệp khác đã đúng chưa (Excel: Dữ liệu → Sửa liên kết → Ngắt liên kết)",
                "check the cells that took figures from other files (Excel: Data → Edit Links → Break Link)"
            )),
        );
    }
    let sets = parse_sets(&opts.set, &config)?;
    let mut ctx = Context::new(root, &config, opts)?;
    let mut found_header = false;
    let mut drafts = Vec::new();
    for sheet in &book.sheets {
        let place = Place {
            file: &shown,
            sheet: (!is_csv).then_some(sheet.name.as_str()),
        };
        let Some(layout) = layout(
            sheet,
            map.as_ref(),
            &place,
            opts.section,
            &mut report.diagnostics,
        ) else {
            continue;
        };
        found_header = true;
        if opts.write_map {
            let path = write_map(opts, sheet, &layout, book.sheets.len() > 1)?;
            report.map_written = Some(path);
            return Ok(report);
        }
        let mut sheet = sheet_converted(sheet, &place, &mut report.diagnostics);
        formulas(&sheet, &place, &mut report.diagnostics);
        sheet.formulas.clear();
        let rows = Rows {
            sheet: &sheet,
            layout: &layout,
            place: &place,
            sets: &sets,
            config: &config,
            section: opts.section,
        };
        drafts.extend(rows.drafts(&mut report.diagnostics));
    }
    if !found_header {
        return Err(std::mem::take(&mut report.diagnostics)
            .into_iter()
            .chain(std::iter::once(no_header(&shown)))
            .collect());
    }
    if opts.section == Section::Models {
        infer_kinds(&mut drafts, &sets, &config, &mut report.diagnostics);
    }
    ctx.place_files(drafts, &mut report);
    Ok(report)
}

/// Writes what [`import`] planned (new files, and with `--update` the
/// merged ones), then validates them as `check` does. Nothing is written
/// when the plan has errors.
pub fn apply(root: &Path, report: &mut ImportReport) -> Result<(), Vec<Diagnostic>> {
    if report.has_errors() || report.map_written.is_some() {
        return Ok(());
    }
    let config = Config::load(root).map_err(|d| vec![d])?;
    if let Err(e) = write_new(root, report.section.dir(&config), report) {
        // The files before the failure are there: say so truthfully.
        report.written = !report.files.is_empty();
        return Err(e);
    }
    for u in &report.updates {
        let path = root.join(&u.file);
        let now = std::fs::read_to_string(&path).unwrap_or_default();
        if now != u.before {
            return Err(vec![Diagnostic::error(
                Code::Io,
                &u.file,
                tr!(
                    "tệp đã đổi trong lúc nhập; không cập nhật",
                    "the file changed during the import; not updated"
                ),
            )
            .help(tr!("chạy lại lệnh nhập", "run the import again"))]);
        }
        crate::core::files::write_whole(&path, u.after.as_bytes())
            .map_err(|e| vec![write_error(&u.file, &e)])?;
    }
    report.written = true;
    let mut touched: Vec<(String, String)> = report.files.clone();
    touched.extend(
        report
            .updates
            .iter()
            .map(|u| (u.file.clone(), String::new())),
    );
    report.diagnostics.extend(validate_written(root, &touched));
    Ok(())
}

fn no_header(shown: &str) -> Diagnostic {
    Diagnostic::error(
        Code::SheetHeader,
        shown,
        tr!(
            "không tìm thấy dòng tiêu đề có cột tên mô hình trong {HEADER_SEARCH_ROWS} dòng đầu",
            "no header row with a model-name column in the first {HEADER_SEARCH_ROWS} rows"
        ),
    )
    .help(tr!(
        "đặt tiêu đề cột như “Tên mô hình”, “Chủ thể”, “Lĩnh vực”…, hoặc chạy `dienhinh import TỆP --write-map` rồi sửa map.yaml và dùng `--map map.yaml`",
        "name the columns e.g. “Tên mô hình”, “Chủ thể”, “Lĩnh vực”…, or run `dienhinh import FILE --write-map`, correct map.yaml and use `--map map.yaml`"
    ))
}

fn read_error(shown: &str, e: ReadError) -> Diagnostic {
    match e {
        ReadError::Io(e) => Diagnostic::error(
            Code::SheetUnreadable,
            shown,
            tr!("không đọc được tệp: {e}", "cannot read the file: {e}"),
        )
        .help(tr!(
            "kiểm tra đường dẫn tệp (tính từ thư mục đang đứng)",
            "check the file's path (relative to the current folder)"
        )),
        ReadError::Format(what) => Diagnostic::error(
            Code::SheetUnreadable,
            shown,
            tr!(
                "không đọc được bảng tính: {what}",
                "cannot read the spreadsheet: {what}"
            ),
        )
        .help(tr!(
            "dùng tệp .xlsx, .xls, .ods hoặc .csv; nếu tệp bị hỏng, mở bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx",
            "use an .xlsx, .xls, .ods or .csv file; if it is damaged, open it in Excel or LibreOffice and save it again as .xlsx"
        )),
        ReadError::TooLarge(what, limit) => {
            let (vi, en) = match what {
                "bytes" => ("tệp lớn hơn", "the file is larger than"),
                "inflated" => ("khi giải nén, tệp lớn hơn", "once inflated, the file is larger than"),
                "rows" => ("bảng có nhiều dòng hơn", "the sheet has more rows than"),
                _ => ("bảng có nhiều cột hơn", "the sheet has more columns than"),
            };
            let shown_limit = if what == "bytes" || what == "inflated" {
                format!("{} MB", limit / (1024 * 1024))
            } else {
                limit.to_string()
            };
            Diagnostic::error(
                Code::SheetTooLarge,
                shown,
                tr!("{vi} {shown_limit}; chưa nhập gì", "{en} {shown_limit}; nothing was imported"),
            )
            .help(tr!(
                "chia danh sách thành nhiều tệp nhỏ hơn, mỗi tệp một trang tính, rồi nhập từng tệp",
                "split the list into smaller files, one sheet each, and import them one at a time"
            ))
        }
        ReadError::NoSheet(w, names) => {
            let list = names.join(", ");
            Diagnostic::error(
                Code::SheetHeader,
                shown,
                tr!("không có trang tính “{w}”", "there is no sheet “{w}”"),
            )
            .help(tr!(
                "các trang tính trong tệp: {list}",
                "the sheets in the file: {list}"
            ))
        }
        ReadError::LongCell(sheet, r, c, n) => {
            let at = format!("{shown}!{sheet}!{}{}", column_name(c), r + 1);
            let max = read::MAX_CELL_CHARS;
            Diagnostic::error(
                Code::SheetTooLarge,
                at,
                tr!(
                    "ô dài {n} ký tự, quá giới hạn {max} của Excel; chưa nhập gì",
                    "the cell holds {n} characters, past Excel's limit of {max}; nothing was imported"
                ),
            )
            .help(tr!(
                "rút gọn nội dung ô này; bài viết dài nên viết vào tệp Markdown sau khi nhập",
                "shorten this cell; long text belongs in the Markdown file after the import"
            ))
        }
    }
}

fn load_map(path: &Path) -> Result<MapFile, Vec<Diagnostic>> {
    let shown = crate::text::shown_path(path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            Code::SheetMap,
            &shown,
            tr!(
                "không đọc được tệp ánh xạ: {e}",
                "cannot read the mapping file: {e}"
            ),
        )]
    })?;
    let map: MapFile = serde_yaml::from_str(&text).map_err(|e| {
        let msg = e.to_string();
        vec![Diagnostic::error(
            Code::SheetMap,
            &shown,
            tr!("tệp ánh xạ không hợp lệ: {msg}", "invalid mapping file: {msg}"),
        )
        .help(tr!(
            "dạng đúng: `columns:` rồi mỗi dòng `\"Tiêu đề cột\": khóa`; tạo bản nháp bằng `--write-map`",
            "the form is `columns:` then one `\"Column heading\": key` per line; draft one with `--write-map`"
        ))]
    })?;
    let mut bad = Vec::new();
    for (heading, target) in &map.columns {
        if headings::by_name(target).is_none() {
            let names = headings::names();
            bad.push(
                Diagnostic::error(
                    Code::SheetMap,
                    &shown,
                    tr!(
                        "cột “{heading}”: không có khóa `{target}`",
                        "column “{heading}”: there is no key `{target}`"
                    ),
                )
                .help(tr!("các khóa dùng được: {names}", "allowed keys: {names}")),
            );
        }
    }
    if bad.is_empty() {
        Ok(map)
    } else {
        Err(bad)
    }
}

/// Where the header is and what each column fills.
struct Layout {
    header: usize,
    /// Per column: target and heading as written.
    columns: Vec<(Target, String)>,
}

impl Layout {
    fn col(&self, t: Target) -> Option<usize> {
        self.columns.iter().position(|(k, _)| *k == t)
    }
}

fn target_of(heading: &str, map: Option<&MapFile>) -> Option<Target> {
    if let Some(m) = map {
        let f = fold(heading);
        if let Some((_, t)) = m.columns.iter().find(|(h, _)| fold(h) == f) {
            return headings::by_name(t);
        }
    }
    headings::recognise(heading)
}

/// Finds the header row (the one naming most known columns, among the
/// first rows) and each column's target. `None`, with a warning, for a
/// sheet that has none (a cover or instructions sheet).
fn layout(
    sheet: &Sheet,
    map: Option<&MapFile>,
    place: &Place,
    section: Section,
    out: &mut Vec<Diagnostic>,
) -> Option<Layout> {
    let score = |r: &Vec<Cell>| {
        let targets: Vec<Option<Target>> = r.iter().map(|c| target_of(&c.text(), map)).collect();
        let has_title = targets.contains(&Some(Target::Title));
        (has_title, targets.iter().flatten().count())
    };
    let header = match map.and_then(|m| m.header_row) {
        Some(h) if h >= 1 => Some(h as usize - 1).filter(|&h| h < sheet.rows.len()),
        _ => sheet
            .rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .map(|(i, r)| (i, score(r)))
            .filter(|(_, (title, n))| *title && *n >= 2)
            .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
            .map(|(i, _)| i),
    };
    let Some(header) = header else {
        if !sheet.rows.is_empty() {
            let at = place.sheet_prefix();
            let at = at.trim_end_matches('!');
            out.push(match section {
                Section::Models => Diagnostic::warning(
                    Code::SheetHeader,
                    at,
                    tr!(
                        "không thấy dòng tiêu đề có cột tên mô hình; bỏ qua trang tính này",
                        "no header row with a model-name column; this sheet is skipped"
                    ),
                )
                .help(tr!(
                    "nếu trang này có danh sách, đặt tiêu đề cột “Tên mô hình”, hoặc dùng `--map` với `header_row:`",
                    "if this sheet holds a list, head a column “Tên mô hình”, or use `--map` with `header_row:`"
                )),
                Section::Ceremonies => Diagnostic::warning(
                    Code::SheetHeader,
                    at,
                    tr!(
                        "không thấy dòng tiêu đề có cột tên hội nghị, buổi lễ; bỏ qua trang tính này",
                        "no header row with a ceremony-name column; this sheet is skipped"
                    ),
                )
                .help(tr!(
                    "nếu trang này có danh sách, đặt tiêu đề cột “Tên hội nghị”, hoặc dùng `--map` với `header_row:`",
                    "if this sheet holds a list, head a column “Tên hội nghị”, or use `--map` with `header_row:`"
                )),
            });
        }
        return None;
    };
    let mut seen = HashSet::new();
    let columns = sheet.rows[header]
        .iter()
        .enumerate()
        .map(|(c, cell)| {
            let heading = cell.text();
            let heading = if heading.is_empty() {
                format!("Cột {}", column_name(c))
            } else {
                heading.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            let t = target_of(&heading, map).unwrap_or(Target::Body);
            // A second column of the same kind is kept in the body.
            let t = if matches!(t, Target::Body | Target::Ignore) || seen.insert(t) {
                t
            } else {
                Target::Body
            };
            (t, heading)
        })
        .collect();
    Some(Layout { header, columns })
}

fn write_map(
    opts: &ImportOptions,
    sheet: &Sheet,
    layout: &Layout,
    name_sheet: bool,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let path = opts
        .map
        .clone()
        .unwrap_or_else(|| PathBuf::from("map.yaml"));
    let shown = crate::text::shown_path(&path);
    let map = MapFile {
        sheet: name_sheet.then(|| sheet.name.clone()),
        header_row: Some(layout.header as u32 + 1),
        columns: layout
            .columns
            .iter()
            .map(|(t, h)| (h.clone(), headings::name(*t).to_string()))
            .collect(),
    };
    let keys = headings::names();
    let text = format!(
        "# Ánh xạ cột cho `dienhinh import --map {shown}`: sửa khóa bên phải mỗi tiêu đề cột.\n# Khóa dùng được: {keys}\n# body: giữ trong bài dưới mục “Các cột khác”; ignore: bỏ qua.\n{}",
        serde_yaml::to_string(&map).unwrap_or_default()
    );
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(vec![Diagnostic::error(
            Code::SheetMap,
            &shown,
            tr!(
                "tệp này đã có; chưa ghi gì",
                "this file already exists; nothing was written"
            ),
        )
        .help(tr!(
            "dùng `--map TÊN-KHÁC.yaml` để ghi vào tệp khác, hoặc sửa tệp đã có",
            "use `--map OTHER.yaml` to write elsewhere, or edit the existing one"
        ))]),
        Err(e) => Err(vec![Diagnostic::error(
            Code::Io,
            &shown,
            tr!("không ghi được: {e}", "cannot write: {e}"),
        )]),
    }
}

/// The sheet with legacy-encoded cells converted, and one warning naming
/// them.
fn sheet_converted(sheet: &Sheet, place: &Place, out: &mut Vec<Diagnostic>) -> Sheet {
    let mut converted: Vec<(String, legacy::Legacy)> = Vec::new();
    let rows = sheet
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| match cell {
                    Cell::Text(t) => match legacy::repair(t) {
                        Some((fixed, kind)) => {
                            converted.push((place.cell(r, c), kind));
                            Cell::Text(fixed)
                        }
                        None => cell.clone(),
                    },
                    other => other.clone(),
                })
                .collect()
        })
        .collect();
    if let Some((_, kind)) = converted.first() {
        let name = legacy::name(*kind);
        let cells = named_cells(converted.iter().map(|(c, _)| c.as_str()));
        let n = converted.len();
        out.push(
            Diagnostic::warning(
                Code::SheetLegacyText,
                place.sheet_prefix().trim_end_matches('!'),
                tr!(
                    "{n} ô gõ bằng bảng mã cũ {name} đã được chuyển sang Unicode: {cells}",
                    "{n} cells typed in the legacy {name} encoding were converted to Unicode: {cells}"
                ),
            )
            .help(tr!(
                "đọc lại các tệp đã tạo từ những ô này; lần sau lưu bảng tính bằng phông Unicode (Times New Roman)",
                "read over the files made from these cells; next time save the sheet in a Unicode font (Times New Roman)"
            )),
        );
    }
    Sheet {
        name: sheet.name.clone(),
        rows,
        formulas: sheet.formulas.clone(),
    }
}

fn named_cells<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = cells.collect();
    let mut s = all
        .iter()
        .take(CELLS_NAMED)
        .map(|c| c.rsplit('!').next().unwrap_or(c))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > CELLS_NAMED {
        s.push_str(&format!(" (+{})", all.len() - CELLS_NAMED));
    }
    s
}

fn formulas(sheet: &Sheet, place: &Place, out: &mut Vec<Diagnostic>) {
    if sheet.formulas.is_empty() {
        return;
    }
    let n = sheet.formulas.len();
    let cells = named_cells(
        sheet
            .formulas
            .iter()
            .map(|&(r, c)| place.cell(r, c))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    out.push(
        Diagnostic::warning(
            Code::SheetFormula,
            place.sheet_prefix().trim_end_matches('!'),
            tr!(
                "{n} ô có công thức; dùng giá trị đã lưu, không tính lại: {cells}",
                "{n} cells hold formulas; their stored values are used, nothing is recalculated: {cells}"
            ),
        )
        .help(tr!(
            "kiểm tra giá trị các ô này trong tệp đã tạo; một tệp chưa từng mở bằng Excel có thể lưu giá trị 0",
            "check these cells' values in the files made; a file never opened in Excel may store 0"
        )),
    );
}

/// `--set key=value`, each value resolved as a cell's would be.
#[derive(Default)]
struct Sets {
    kind: Option<String>,
    field: Option<String>,
    status: Option<String>,
    level: Option<String>,
    place: Option<Vec<String>>,
    public: Option<bool>,
}

fn parse_sets(sets: &[String], config: &Config) -> Result<Sets, Vec<Diagnostic>> {
    let mut out = Sets::default();
    let mut bad = Vec::new();
    let v = &config.vocab;
    for s in sets {
        let at = format!("--set {s}");
        let Some((k, value)) = s.split_once('=') else {
            bad.push(set_error(&at, tr!("thiếu dấu `=`", "no `=`")));
            continue;
        };
        let value = value.trim();
        let resolved = |vocab: &Vocabulary| {
            term_id(vocab, value).map_err(|help| {
                set_error(
                    &at,
                    tr!(
                        "giá trị `{value}` không có trong danh mục",
                        "`{value}` is not in the vocabulary"
                    ),
                )
                .help(help)
            })
        };
        let r = match k.trim() {
            "kind" => resolved(&v.kinds).map(|id| out.kind = Some(id)),
            "field" => resolved(&v.fields).map(|id| out.field = Some(id)),
            "status" => resolved(&v.statuses).map(|id| out.status = Some(id)),
            "level" => resolved(&v.levels).map(|id| out.level = Some(id)),
            "place" => {
                out.place = Some(split_place(value));
                Ok(())
            }
            "public" => match yes_no(value) {
                Some(b) => {
                    out.public = Some(b);
                    Ok(())
                }
                None => Err(set_error(&at, tr!("dùng `public=true` hoặc `public=false`", "use `public=true` or `public=false`"))),
            },
            other => Err(set_error(
                &at,
                tr!(
                    "không đặt được `{other}`; dùng được: kind, field, status, level, place, public",
                    "cannot set `{other}`; allowed: kind, field, status, level, place, public"
                ),
            )),
        };
        if let Err(d) = r {
            bad.push(d);
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

fn set_error(at: &str, message: Text) -> Diagnostic {
    Diagnostic::error(Code::SheetValue, at, message)
}

fn yes_no(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "co" | "x" | "true" | "yes" | "1" | "cong khai" => Some(true),
        "khong" | "false" | "no" | "0" | "an" | "khong cong khai" => Some(false),
        _ => None,
    }
}

/// A vocabulary term's id, or help naming the closest.
fn term_id(vocab: &Vocabulary, value: &str) -> Result<String, Text> {
    match vocab.resolve(value) {
        Ok(id) => Ok(vocab.term(id).id.clone()),
        Err(unknown) => {
            let labels = vocab
                .iter()
                .map(|(_, t)| t.label.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            Err(match unknown.suggestion {
                Some(s) => {
                    let label = vocab
                        .resolve(&s)
                        .map(|i| vocab.term(i).label.clone())
                        .unwrap_or(s);
                    tr!(
                        "có phải ý bạn là “{label}”? Các giá trị dùng được: {labels}",
                        "did you mean “{label}”? Allowed values: {labels}"
                    )
                }
                None => tr!(
                    "các giá trị dùng được: {labels}",
                    "allowed values: {labels}"
                ),
            })
        }
    }
}

/// "xã A, huyện B, tỉnh C" (fine to coarse, as addresses are written) or
/// "Tỉnh C > Huyện B > Xã A" (as the export writes) → coarse to fine.
pub fn split_place(s: &str) -> Vec<String> {
    let parts: Vec<String> = s
        .split(['>', ',', ';', '\n'])
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| capitalise(&nfc(&p)))
        .collect();
    if s.contains('>') {
        return parts;
    }
    let fine = |p: &str| {
        let f = fold(p);
        [
            "xa ",
            "phuong ",
            "thi tran ",
            "thon ",
            "ap ",
            "ban ",
            "to dan pho ",
            "khu pho ",
        ]
        .iter()
        .any(|w| f.starts_with(w))
    };
    let coarse = |p: &str| {
        let f = fold(p);
        f.starts_with("tinh ") || f.starts_with("thanh pho ") || f.starts_with("tp ")
    };
    let reversed = parts.len() > 1
        && (fine(&parts[0]) || coarse(&parts[parts.len() - 1]))
        && !coarse(&parts[0]);
    if reversed {
        parts.into_iter().rev().collect()
    } else {
        parts
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A date as offices write it, as ISO at the precision given: a date cell,
/// an Excel serial number, `20/5/2024`, `20/5/24`, `5/2024`, `2024`,
/// `năm 2024`, `2024-05-20`.
pub fn parse_date(cell: &Cell) -> Option<String> {
    let iso = match cell {
        Cell::Empty => return None,
        Cell::Date(serial) => serial_date(*serial)?,
        Cell::Number(n) => number_date(*n)?,
        Cell::Text(t) => text_date(t)?,
    };
    // Date::parse checks the day exists in its month.
    crate::site::Date::parse(&iso).map(|d| d.to_string())
}

fn serial_date(serial: f64) -> Option<String> {
    read::serial_iso(serial)
}

fn number_date(n: f64) -> Option<String> {
    if n.fract() == 0.0 && (1900.0..=2100.0).contains(&n) {
        Some(format!("{n:04}"))
    } else if n > 2100.0 {
        serial_date(n)
    } else {
        None
    }
}

fn text_date(t: &str) -> Option<String> {
    let f = fold(t);
    let f = f.strip_prefix("nam ").unwrap_or(&f).trim().to_string();
    let t = t.trim();
    if crate::site::Date::parse(t).is_some() {
        return Some(t.to_string());
    }
    let nums: Vec<&str> = f.split(' ').filter(|p| !p.is_empty()).collect();
    if nums.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().ok();
    let year = |s: &str| {
        let y = n(s)?;
        Some(match s.len() {
            2 if y < 70 => 2000 + y,
            2 => 1900 + y,
            4 => y,
            _ => return None,
        })
    };
    match nums.as_slice() {
        [one] if one.len() == 4 => Some(one.to_string()),
        [one] if one.len() >= 5 => number_date(one.parse().ok()?),
        [m, y] => Some(format!("{:04}-{:02}", year(y)?, n(m)?)),
        [a, b, c] if a.len() == 4 => Some(format!("{a}-{:02}-{:02}", n(b)?, n(c)?)),
        [d, m, y] => Some(format!("{:04}-{:02}-{:02}", year(y)?, n(m)?, n(d)?)),
        _ => None,
    }
}

/// The first year (1900–2100) written in a text such as "2019-2024" or
/// "20/5/2024".
fn first_year(s: &str) -> Option<i32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse().ok())
        .find(|y| (1900..=2100).contains(y))
}

/// One model, as read from a row.
#[derive(Clone, Debug, Default)]
struct Draft {
    /// `file!Sheet!17`.
    source: String,
    /// Cell of the title, for messages.
    title_at: String,
    owner_at: Option<String>,
    id: Option<String>,
    title: String,
    summary: Option<String>,
    field: Option<String>,
    kind: Option<String>,
    owner: Option<String>,
    organizations: Vec<String>,
    place: Vec<String>,
    period: Option<String>,
    date: Option<String>,
    status: Option<String>,
    recognitions: Vec<Recognition>,
    tags: Vec<String>,
    public: Option<bool>,
    /// A ceremony's own keys.
    organizer: Option<String>,
    event_type: Option<String>,
    level: Option<String>,
    occasion: Option<String>,
    /// Body sections: heading → lines.
    body: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, Default)]
struct Recognition {
    level: String,
    year: i32,
    award: Option<String>,
    by: Option<String>,
    decision: Option<String>,
}

struct Rows<'a> {
    sheet: &'a Sheet,
    layout: &'a Layout,
    place: &'a Place<'a>,
    sets: &'a Sets,
    config: &'a Config,
    section: Section,
}

impl Rows<'_> {
    fn drafts(&self, out: &mut Vec<Diagnostic>) -> Vec<Draft> {
        let mut drafts = Vec::new();
        for r in self.layout.header + 1..self.sheet.rows.len() {
            let row = &self.sheet.rows[r];
            let filled: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_empty()).collect();
            if filled.is_empty() {
                continue;
            }
            if let Some(why) = self.skipped(row, &filled) {
                out.push(
                    Diagnostic::warning(Code::SheetInferred, self.place.row(r), why).help(tr!(
                        "dòng này không được nhập; nếu đó là một mô hình, ghi tên mô hình vào cột tên",
                        "this row is not imported; if it is a model, write its name in the name column"
                    )),
                );
                continue;
            }
            let draft = match self.section {
                Section::Models => self.draft(r, row, out),
                Section::Ceremonies => self.ceremony_draft(r, row, out),
            };
            drafts.extend(draft);
        }
        drafts
    }

    /// Why a row is not a model: a total row, or a group heading.
    fn skipped(&self, row: &[Cell], filled: &[usize]) -> Option<Text> {
        // "Tổng cộng", "Tổng số", "Cộng" in the first columns or the name
        // column (not "Công nhận" in a status column).
        let title = self.layout.col(Target::Title);
        let total = filled
            .iter()
            .filter(|&&c| c < 2 || Some(c) == title)
            .any(|&c| {
                let f = fold(&row[c].text());
                matches!(
                    f.as_str(),
                    "cong" | "tong" | "tong cong" | "tong so" | "cong tong"
                ) || f.starts_with("tong cong ")
                    || f.starts_with("tong so ")
            });
        if total {
            return Some(tr!("dòng tổng cộng, bỏ qua", "a total row, skipped"));
        }
        let title = self.layout.col(Target::Title);
        if filled.len() == 1 && title != Some(filled[0]) {
            let text = row[filled[0]].text();
            return Some(tr!(
                "dòng tiêu đề nhóm “{text}”, bỏ qua",
                "a group heading “{text}”, skipped"
            ));
        }
        None
    }

    fn cell<'r>(&self, row: &'r [Cell], t: Target) -> Option<(usize, &'r Cell)> {
        let c = self.layout.col(t)?;
        row.get(c).filter(|v| !v.is_empty()).map(|v| (c, v))
    }

    fn text(&self, row: &[Cell], t: Target) -> Option<String> {
        self.cell(row, t)
            .map(|(_, v)| nfc(&v.text().split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    fn bad(&self, r: usize, c: usize, message: Text, help: Text) -> Diagnostic {
        Diagnostic::error(Code::SheetValue, self.place.cell(r, c), message).help(help)
    }

    fn vocab(
        &self,
        r: usize,
        row: &[Cell],
        t: Target,
        vocab: &Vocabulary,
        out: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let (c, v) = self.cell(row, t)?;
        let value = v.text();
        match term_id(vocab, &value) {
            Ok(id) => Some(id),
            Err(help) => {
                let heading = &self.layout.columns[c].1;
                out.push(self.bad(
                    r,
                    c,
                    tr!(
                        "“{value}” (cột “{heading}”) không có trong danh mục",
                        "“{value}” (column “{heading}”) is not in the vocabulary"
                    ),
                    help,
                ));
                None
            }
        }
    }

    /// The row's permanent id, when it has a valid one.
    fn id(&self, r: usize, row: &[Cell], out: &mut Vec<Diagnostic>) -> Option<String> {
        let (c, cell) = self.cell(row, Target::Id)?;
        let id = cell.text();
        if crate::vi::is_clean_slug(&id) {
            return Some(id);
        }
        out.push(self.bad(
            r,
            c,
            tr!("mã “{id}” không hợp lệ", "the id “{id}” is not valid"),
            tr!(
                "mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang; để trống thì lệnh nhập tạo mã mới",
                "an id is lowercase ASCII letters, digits and hyphens; leave it empty for a new one"
            ),
        ));
        None
    }

    /// What every row gives, model or ceremony: where it is, its name
    /// (required: a row without one is an error at the name cell), its id
    /// and summary.
    fn begin(&self, r: usize, row: &[Cell], out: &mut Vec<Diagnostic>) -> Option<Draft> {
        let title_col = self.layout.col(Target::Title).unwrap_or(0);
        let Some(title) = self.text(row, Target::Title) else {
            let (message, help) = match self.section {
                Section::Models => (
                    tr!(
                        "dòng có số liệu nhưng không có tên mô hình",
                        "the row has data but no model name"
                    ),
                    tr!(
                        "ghi tên mô hình vào ô này, hoặc xóa dòng",
                        "write the model's name here, or delete the row"
                    ),
                ),
                Section::Ceremonies => (
                    tr!(
                        "dòng có số liệu nhưng không có tên hội nghị, buổi lễ",
                        "the row has data but no ceremony name"
                    ),
                    tr!(
                        "ghi tên hội nghị, buổi lễ vào ô này, hoặc xóa dòng",
                        "write the ceremony's name here, or delete the row"
                    ),
                ),
            };
            out.push(self.bad(r, title_col, message, help));
            return None;
        };
        Some(Draft {
            source: self.place.row(r),
            title_at: self.place.cell(r, title_col),
            id: self.id(r, row, out),
            summary: self.text(row, Target::Summary),
            title,
            ..Draft::default()
        })
    }

    /// The tags cell, split at commas and semicolons.
    fn tags(&self, row: &[Cell]) -> Vec<String> {
        self.text(row, Target::Tags)
            .map(|t| {
                t.split([';', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn draft(&self, r: usize, row: &[Cell], out: &mut Vec<Diagnostic>) -> Option<Draft> {
        let v = &self.config.vocab;
        let errors_before = out.iter().filter(|d| d.is_error()).count();
        let title_col = self.layout.col(Target::Title).unwrap_or(0);
        let mut d = self.begin(r, row, out)?;
        d.owner_at = self
            .cell(row, Target::Owner)
            .map(|(c, _)| self.place.cell(r, c));
        d.owner = self.text(row, Target::Owner);
        d.field = match &self.sets.field {
            Some(f) => Some(f.clone()),
            None => self.vocab(r, row, Target::Field, &v.fields, out),
        };
        if d.field.is_none() && self.cell(row, Target::Field).is_none() {
            let col = self.layout.col(Target::Field).unwrap_or(title_col);
            let fields = v
                .fields
                .iter()
                .map(|(_, t)| t.label.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            out.push(self.bad(
                r,
                col,
                tr!("dòng không ghi lĩnh vực (bắt buộc)", "the row has no field (lĩnh vực), which is required"),
                tr!(
                    "ghi lĩnh vực vào cột “Lĩnh vực” ({fields}), hoặc `--set field=…` cho mọi dòng",
                    "write the field in a “Lĩnh vực” column ({fields}), or `--set field=…` for every row"
                ),
            ));
        }
        d.kind = match &self.sets.kind {
            Some(k) => Some(k.clone()),
            None => self.vocab(r, row, Target::Kind, &v.kinds, out),
        };
        d.status = match &self.sets.status {
            Some(s) => Some(s.clone()),
            None => self.vocab(r, row, Target::Status, &v.statuses, out),
        };
        if let Some((c, cell)) = self.cell(row, Target::Organizations) {
            for o in cell
                .text()
                .split([';', ',', '\n'])
                .map(str::trim)
                .filter(|o| !o.is_empty())
            {
                match term_id(&v.organizations, o) {
                    Ok(id) => d.organizations.push(id),
                    Err(help) => out.push(self.bad(
                        r,
                        c,
                        tr!(
                            "tổ chức “{o}” không có trong danh mục",
                            "organisation “{o}” is not in the vocabulary"
                        ),
                        help,
                    )),
                }
            }
        }
        d.place = self.place_of(row);
        d.period = self.text(row, Target::Period);
        if let Some((c, cell)) = self.cell(row, Target::Date) {
            match parse_date(cell) {
                Some(iso) => d.date = Some(iso),
                None => {
                    let value = cell.text();
                    out.push(self.bad(
                        r,
                        c,
                        tr!("“{value}” không phải ngày tháng", "“{value}” is not a date"),
                        tr!(
                            "viết ngày dạng 20/5/2024, tháng 5/2024, năm 2024, hoặc định dạng ô là ngày",
                            "write the date as 20/5/2024, 5/2024 or 2024, or format the cell as a date"
                        ),
                    ))
                }
            }
        }
        d.recognitions = self.recognitions(r, row, &d, out);
        d.tags = self.tags(row);
        d.public = self.sets.public;
        if let Some((c, cell)) = self.cell(row, Target::Public) {
            match yes_no(&cell.text()) {
                Some(b) => d.public = Some(b),
                None => out.push(self.bad(
                    r,
                    c,
                    tr!(
                        "cột công khai cần “có” hoặc “không”",
                        "the public column needs “có” or “không”"
                    ),
                    tr!("ghi “có” hoặc “không”", "write “có” (yes) or “không” (no)"),
                )),
            }
        }
        d.body = self.body(row);
        (out.iter().filter(|d| d.is_error()).count() == errors_before).then_some(d)
    }

    /// One ceremony from a row of a list of ceremonies: its name and the
    /// day it was held are required (a date column, or a “Thời gian” one),
    /// the rest as a model's are read.
    fn ceremony_draft(&self, r: usize, row: &[Cell], out: &mut Vec<Diagnostic>) -> Option<Draft> {
        let v = &self.config.vocab;
        let errors_before = out.iter().filter(|d| d.is_error()).count();
        let title_col = self.layout.col(Target::Title).unwrap_or(0);
        let mut d = self.begin(r, row, out)?;
        d.place = self.place_of(row);
        d.organizer = self.text(row, Target::Organizer);
        d.occasion = self.text(row, Target::Occasion);
        d.event_type = self.vocab(r, row, Target::EventType, &v.event_types, out);
        d.level = match &self.sets.level {
            Some(l) => Some(l.clone()),
            None => self.vocab(r, row, Target::Level, &v.levels, out),
        };
        let day = self
            .cell(row, Target::Date)
            .or_else(|| self.cell(row, Target::Period));
        match day {
            Some((c, cell)) => match parse_date(cell).filter(|iso| iso.len() == 10) {
                Some(iso) => d.date = Some(iso),
                None => {
                    let value = cell.text();
                    out.push(self.bad(
                        r,
                        c,
                        tr!(
                            "“{value}” không phải một ngày (hội nghị, buổi lễ cần ngày tổ chức)",
                            "“{value}” is not a day (a ceremony needs the day it was held)"
                        ),
                        tr!(
                            "viết ngày dạng 20/5/2024, hoặc định dạng ô là ngày",
                            "write the day as 20/5/2024, or format the cell as a date"
                        ),
                    ));
                }
            },
            None => out.push(self.bad(
                r,
                self.layout.col(Target::Date).unwrap_or(title_col),
                tr!(
                    "dòng không ghi ngày tổ chức (bắt buộc)",
                    "the row has no date held, which is required"
                ),
                tr!(
                    "ghi ngày vào cột “Ngày tổ chức”, dạng 20/5/2024",
                    "write the day in a “Ngày tổ chức” column, as 20/5/2024"
                ),
            )),
        }
        d.tags = self.tags(row);
        d.body = self.body(row);
        (out.iter().filter(|d| d.is_error()).count() == errors_before).then_some(d)
    }

    fn place_of(&self, row: &[Cell]) -> Vec<String> {
        if let Some(p) = &self.sets.place {
            return p.clone();
        }
        let parts: Vec<String> = [Target::Province, Target::District, Target::Commune]
            .iter()
            .filter_map(|t| self.text(row, *t))
            .map(|p| capitalise(&p))
            .collect();
        if !parts.is_empty() {
            return parts;
        }
        self.text(row, Target::Place)
            .map(|p| split_place(&p))
            .unwrap_or_default()
    }

    /// One recognition per line of the award columns (the export writes a
    /// model's several recognitions one per line, in step).
    fn recognitions(
        &self,
        r: usize,
        row: &[Cell],
        d: &Draft,
        out: &mut Vec<Diagnostic>,
    ) -> Vec<Recognition> {
        let v = &self.config.vocab;
        let lines = |t: Target| -> Vec<String> {
            self.cell(row, t)
                .map(|(_, c)| c.text().lines().map(|l| l.trim().to_string()).collect())
                .unwrap_or_default()
        };
        let (years, levels, awards, bys, decisions) = (
            lines(Target::RecognitionYear),
            lines(Target::Level),
            lines(Target::Award),
            lines(Target::AwardedBy),
            lines(Target::Decision),
        );
        let n = [
            years.len(),
            levels.len(),
            awards.len(),
            bys.len(),
            decisions.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let get = |v: &[String], i: usize| v.get(i).filter(|s| !s.is_empty()).cloned();
        let at = |t: Target| self.layout.col(t).unwrap_or(0);
        let mut out_recs = Vec::new();
        for i in 0..n {
            let award = match get(&awards, i) {
                Some(a) => match term_id(&v.awards, &a) {
                    Ok(id) => Some(id),
                    Err(help) => {
                        out.push(self.bad(
                            r,
                            at(Target::Award),
                            tr!(
                                "hình thức khen “{a}” không có trong danh mục",
                                "award “{a}” is not in the vocabulary"
                            ),
                            help,
                        ));
                        continue;
                    }
                },
                None => None,
            };
            let level = match get(&levels, i).or_else(|| self.sets.level.clone()) {
                Some(l) => match term_id(&v.levels, &l) {
                    Ok(id) => id,
                    Err(help) => {
                        out.push(self.bad(
                            r,
                            at(Target::Level),
                            tr!(
                                "cấp khen “{l}” không có trong danh mục",
                                "level “{l}” is not in the vocabulary"
                            ),
                            help,
                        ));
                        continue;
                    }
                },
                None => {
                    out.push(self.bad(
                        r,
                        at(Target::Award),
                        tr!("khen thưởng không ghi cấp khen", "a recognition without its level"),
                        tr!(
                            "thêm cột “Cấp khen” (cơ sở, cấp huyện, cấp tỉnh, trung ương), hoặc `--set level=co-so` cho mọi dòng",
                            "add a “Cấp khen” column (cơ sở, cấp huyện, cấp tỉnh, trung ương), or `--set level=co-so` for every row"
                        ),
                    ));
                    continue;
                }
            };
            let year = get(&years, i)
                .and_then(|y| text_date(&y))
                .or_else(|| d.date.clone())
                .and_then(|iso| iso.get(..4)?.parse().ok())
                .or_else(|| d.period.as_deref().and_then(first_year));
            let Some(year) = year else {
                let col = self
                    .layout
                    .col(Target::RecognitionYear)
                    .unwrap_or(at(Target::Award));
                out.push(self.bad(
                    r,
                    col,
                    tr!(
                        "khen thưởng không ghi năm",
                        "a recognition without its year"
                    ),
                    tr!(
                        "thêm cột “Năm khen”, hoặc ghi ngày của mô hình",
                        "add a “Năm khen” column, or give the model's date"
                    ),
                ));
                continue;
            };
            out_recs.push(Recognition {
                level,
                year,
                award,
                by: get(&bys, i),
                decision: get(&decisions, i),
            });
        }
        out_recs
    }

    fn body(&self, row: &[Cell]) -> Vec<(String, Vec<String>)> {
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        let mut push =
            |heading: &str, line: String| match sections.iter_mut().find(|(h, _)| h == heading) {
                Some((_, lines)) => lines.push(line),
                None => sections.push((heading.to_string(), vec![line])),
            };
        for (c, (t, heading)) in self.layout.columns.iter().enumerate() {
            let Some(cell) = row.get(c).filter(|v| !v.is_empty()) else {
                continue;
            };
            let text = nfc(&cell.text());
            match t {
                Target::Results => push("Kết quả", text),
                Target::Notes => push("Ghi chú", text),
                Target::Body => push(
                    "Các cột khác trong bảng",
                    format!("- **{heading}**: {}", text.replace('\n', " ")),
                ),
                _ => {}
            }
        }
        sections
    }
}

/// Fills `kind` where the sheet has none: from the owner's wording, each
/// inference reported (a person or household named in public is the
/// editor's decision: `public:`).
fn infer_kinds(drafts: &mut [Draft], sets: &Sets, config: &Config, out: &mut Vec<Diagnostic>) {
    if sets.kind.is_some() {
        return;
    }
    let kinds = &config.vocab.kinds;
    let known = |id: &str| kinds.resolve(id).is_ok();
    // Collective kinds in one warning per sheet: (sheet, kind) → cells.
    let mut group: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for d in drafts.iter_mut().filter(|d| d.kind.is_none()) {
        let owner = d.owner.as_deref().map(fold).unwrap_or_default();
        let person = [
            "ong ",
            "ba ",
            "anh ",
            "chi ",
            "dong chi ",
            "em ",
            "co ",
            "chu ",
            "bac ",
        ]
        .iter()
        .any(|w| owner.starts_with(w));
        let household = owner.starts_with("ho ") || owner.starts_with("gia dinh");
        let kind = if person {
            "ca-nhan"
        } else if household {
            "ho-gia-dinh"
        } else {
            "tap-the"
        };
        if !known(kind) {
            continue;
        }
        d.kind = Some(kind.to_string());
        let at = d.owner_at.clone().unwrap_or_else(|| d.title_at.clone());
        if kind == "tap-the" {
            let sheet = at
                .rsplit_once('!')
                .map_or(at.as_str(), |(s, _)| s)
                .to_string();
            group.entry((sheet, kind)).or_default().push(at);
        } else {
            let owner = d.owner.clone().unwrap_or_default();
            out.push(
                Diagnostic::warning(
                    Code::SheetInferred,
                    at,
                    tr!(
                        "loại “{kind}” suy ra từ chủ thể “{owner}”; tệp nêu tên một người hoặc một hộ",
                        "kind “{kind}” inferred from the owner “{owner}”; the file names a person or a household"
                    ),
                )
                .help(tr!(
                    "hỏi ý kiến người được nêu tên; nếu họ không muốn công khai, thêm `public: false` vào tệp đã tạo",
                    "ask the person named; if they do not want to be named in public, add `public: false` to the file"
                )),
            );
        }
    }
    for ((file, kind), cells) in group {
        let n = cells.len();
        let list = named_cells(cells.iter().map(String::as_str));
        out.push(
            Diagnostic::warning(
                Code::SheetInferred,
                file,
                tr!(
                    "loại “{kind}” suy ra cho {n} dòng (chủ thể không phải một người hay một hộ): {list}",
                    "kind “{kind}” inferred for {n} rows (the owner is not a person or a household): {list}"
                ),
            )
            .help(tr!(
                "thêm cột “Loại”, hoặc `--set kind=…` cho mọi dòng, nếu cần khác",
                "add a “Loại” column, or `--set kind=…` for every row, where it should differ"
            )),
        );
    }
}

/// The site as it is, for duplicates and ids.
struct Context<'a> {
    root: &'a Path,
    kind: Section,
    section: String,
    /// fold(title) + fold(place) (a model) or the date (a ceremony) → the
    /// existing file.
    existing: HashMap<(String, String), String>,
    /// id → file, for every model and ceremony.
    ids: HashMap<String, String>,
    taken: HashSet<String>,
    file_names: HashSet<String>,
    update: bool,
    /// Files this import makes (a later row matching one is a duplicate
    /// within the sheet, never an update).
    planned: HashSet<String>,
}

/// What makes two rows the same document: a model's name and place; a
/// ceremony's name and day (the same conference is held every year).
fn dup_key(
    section: Section,
    title: &str,
    place: &[String],
    date: Option<&str>,
) -> (String, String) {
    match section {
        Section::Models => (fold(title), fold(&place.join(" "))),
        Section::Ceremonies => (fold(title), date.unwrap_or_default().to_string()),
    }
}

impl<'a> Context<'a> {
    fn new(root: &'a Path, config: &Config, opts: &ImportOptions) -> Result<Self, Vec<Diagnostic>> {
        let mut build = crate::pipeline::BuildOptions::new(root);
        build.drafts = true;
        let (site, _) = crate::pipeline::assemble(&build).map_err(|f| f.diagnostics)?;
        let mut existing = HashMap::new();
        let mut ids = HashMap::new();
        let kind = opts.section;
        match kind {
            Section::Models => {
                for m in &site.models {
                    let key = dup_key(kind, &m.doc.title, &m.place, None);
                    existing.insert(key, m.doc.file.rel_path.clone());
                }
            }
            Section::Ceremonies => {
                for c in &site.ceremonies {
                    let date = c.doc.date.map(|d| d.to_string());
                    let key = dup_key(kind, &c.doc.title, &[], date.as_deref());
                    existing.insert(key, c.doc.file.rel_path.clone());
                }
            }
        }
        for doc in site
            .models
            .iter()
            .map(|m| &m.doc)
            .chain(site.ceremonies.iter().map(|c| &c.doc))
        {
            ids.insert(
                crate::urls::short_key(doc).to_string(),
                doc.file.rel_path.clone(),
            );
        }
        let section = kind.dir(config).to_string();
        let dir = root.join(crate::load::CONTENT_DIR).join(&section);
        let file_names = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            root,
            kind,
            section,
            existing,
            ids,
            taken: crate::new_doc::taken_keys(root, config),
            file_names,
            update: opts.update,
            planned: HashSet::new(),
        })
    }

    /// Gives each draft its id and file, or reports it as a duplicate.
    fn place_files(&mut self, drafts: Vec<Draft>, report: &mut ImportReport) {
        for d in drafts {
            let key = dup_key(self.kind, &d.title, &d.place, d.date.as_deref());
            if let Some(other) = self.existing.get(&key) {
                report.duplicates += 1;
                if self.update && !self.planned.contains(other) {
                    match merged(&self.root.join(other), &d, self.kind) {
                        Some((diff, before, after)) if !diff.is_empty() => {
                            report.updates.push(Update {
                                file: other.clone(),
                                diff,
                                before,
                                after,
                            });
                            continue;
                        }
                        Some(_) => continue,
                        None => {}
                    }
                }
                report
                    .diagnostics
                    .push(duplicate(self.kind, &d.title, &d.title_at, other));
                continue;
            }
            let id = match &d.id {
                Some(id) => {
                    if let Some(other) = self.ids.get(id) {
                        report.diagnostics.push(
                            Diagnostic::error(
                                Code::SheetDuplicate,
                                d.source.clone(),
                                tr!(
                                    "mã “{id}” đã dùng cho {other}",
                                    "the id “{id}” is already used by {other}"
                                ),
                            )
                            .help(tr!(
                                "xóa mã ở dòng này để lệnh nhập tạo mã mới",
                                "clear this row's id so the import makes a new one"
                            )),
                        );
                        continue;
                    }
                    id.clone()
                }
                None => crate::new_doc::fresh_id(&self.taken),
            };
            let rel = self.file_for(&d.title);
            self.taken.insert(id.clone());
            self.ids.insert(id.clone(), rel.clone());
            self.existing.insert(key, rel.clone());
            self.planned.insert(rel.clone());
            let text = match self.kind {
                Section::Models => markdown(&d, &id),
                Section::Ceremonies => ceremony_markdown(&d, &id),
            };
            report.files.push((rel, text));
        }
    }

    fn file_for(&mut self, title: &str) -> String {
        let slug = crate::vi::slugify(title);
        let slug = if slug.is_empty() {
            self.section.clone()
        } else {
            slug
        };
        let mut name = format!("{slug}.md");
        let mut n = 2;
        while !self.file_names.insert(name.clone()) {
            name = format!("{slug}-{n}.md");
            n += 1;
        }
        format!("{}/{}/{name}", crate::load::CONTENT_DIR, self.section)
    }
}

/// A row that is already a document: reported, not imported.
fn duplicate(kind: Section, title: &str, at: &str, other: &str) -> Diagnostic {
    let (message, help) = match kind {
        Section::Models => (
            tr!(
                "“{title}” đã có ở {other} (cùng tên, cùng địa bàn); không nhập dòng này",
                "“{title}” is already in {other} (same name, same place); this row is not imported"
            ),
            tr!(
                "sửa tệp đã có nếu cần cập nhật; đổi tên hoặc địa bàn nếu đây là mô hình khác",
                "edit the existing file to update it; change the name or place if this is another model"
            ),
        ),
        Section::Ceremonies => (
            tr!(
                "“{title}” đã có ở {other} (cùng tên, cùng ngày); không nhập dòng này",
                "“{title}” is already in {other} (same name, same day); this row is not imported"
            ),
            tr!(
                "sửa tệp đã có nếu cần cập nhật (hoặc `--update`); đổi tên hoặc ngày nếu đây là buổi lễ khác",
                "edit the existing file to update it (or `--update`); change the name or day if this is another ceremony"
            ),
        ),
    };
    Diagnostic::warning(Code::SheetDuplicate, at, message).help(help)
}

/// Writes every planned file, never over an existing one.
fn write_new(root: &Path, section: &str, report: &mut ImportReport) -> Result<(), Vec<Diagnostic>> {
    let dir = root.join(crate::load::CONTENT_DIR).join(section);
    std::fs::create_dir_all(&dir).map_err(|e| vec![write_error(section, &e)])?;
    for (i, (rel, text)) in report.files.iter().enumerate() {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(root.join(rel))
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if let Err(e) = written {
            let done = i;
            let mut d = write_error(rel, &e);
            d.help = Some(tr!(
                "{done} tệp trước đó đã được ghi; không tệp nào bị ghi đè",
                "the {done} files before it were written; no file was overwritten"
            ));
            report.files.truncate(i);
            return Err(vec![d]);
        }
    }
    Ok(())
}

fn write_error(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        rel,
        tr!("không ghi được: {e}", "cannot write: {e}"),
    )
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// The Markdown file for a row.
fn markdown(d: &Draft, id: &str) -> String {
    let mut s = String::from("---\n");
    s.push_str(&format!("id: {id}\ntitle: {}\n", q(&d.title)));
    if let Some(v) = &d.summary {
        s.push_str(&format!("summary: {}\n", q(v)));
    }
    s.push_str(&format!(
        "field: {}\n",
        d.field.as_deref().map_or_else(|| "\"\"".into(), q)
    ));
    s.push_str(&format!(
        "kind: {}\n",
        d.kind.as_deref().map_or_else(|| "\"\"".into(), q)
    ));
    if let Some(v) = &d.owner {
        s.push_str(&format!("owner: {}\n", q(v)));
    }
    if !d.organizations.is_empty() {
        s.push_str(&format!("organizations: {}\n", list(&d.organizations)));
    }
    s.push_str(&format!("place: {}\n", list(&d.place)));
    if let Some(v) = &d.period {
        s.push_str(&format!("period: {}\n", q(v)));
    }
    if let Some(v) = &d.date {
        s.push_str(&format!("date: {v}\n"));
    }
    if let Some(v) = &d.status {
        s.push_str(&format!("status: {v}\n"));
    }
    if !d.recognitions.is_empty() {
        s.push_str("recognitions:\n");
        for r in &d.recognitions {
            s.push_str(&format!("  - {{level: {}, year: {}", r.level, r.year));
            if let Some(a) = &r.award {
                s.push_str(&format!(", award: {a}"));
            }
            if let Some(b) = &r.by {
                s.push_str(&format!(", by: {}", q(b)));
            }
            if let Some(x) = &r.decision {
                s.push_str(&format!(", decision: {}", q(x)));
            }
            s.push_str("}\n");
        }
    }
    if !d.tags.is_empty() {
        s.push_str(&format!("tags: {}\n", list(&d.tags)));
    }
    if let Some(p) = d.public {
        s.push_str(&format!("public: {p}\n"));
    }
    source_and_body(&mut s, d);
    s
}

/// The end of every imported file: where the row came from (kept, never
/// published), the closing `---`, and the body sections.
fn source_and_body(s: &mut String, d: &Draft) {
    s.push_str(&format!(
        "# Nguồn: dòng của bảng tính đã nhập (không công bố).\nsource_row: {}\n",
        q(&d.source)
    ));
    s.push_str("---\n");
    for (heading, lines) in &d.body {
        s.push_str(&format!("\n## {heading}\n\n"));
        for l in lines {
            s.push_str(l);
            s.push('\n');
        }
    }
}

/// The Markdown file for a row of a list of ceremonies.
fn ceremony_markdown(d: &Draft, id: &str) -> String {
    let mut s = String::from("---\n");
    s.push_str(&format!("id: {id}\ntitle: {}\n", q(&d.title)));
    // A ceremony's date is required: a row without one is an error before
    // any file is planned.
    s.push_str(&format!(
        "date: {}\n",
        d.date.as_deref().unwrap_or_default()
    ));
    if let Some(v) = &d.summary {
        s.push_str(&format!("summary: {}\n", q(v)));
    }
    if let Some(v) = &d.event_type {
        s.push_str(&format!("event_type: {v}\n"));
    }
    if let Some(v) = &d.organizer {
        s.push_str(&format!("organizer: {}\n", q(v)));
    }
    if let Some(v) = &d.level {
        s.push_str(&format!("level: {v}\n"));
    }
    if !d.place.is_empty() {
        s.push_str(&format!("place: {}\n", list(&d.place)));
    }
    if let Some(v) = &d.occasion {
        s.push_str(&format!("occasion: {}\n", q(v)));
    }
    if !d.tags.is_empty() {
        s.push_str(&format!("tags: {}\n", list(&d.tags)));
    }
    source_and_body(&mut s, d);
    s
}

/// What `check` says about the files just written: the site loaded,
/// validated, linked and linted as `check` does, the diagnostics kept for
/// those files.
fn validate_written(root: &Path, files: &[(String, String)]) -> Vec<Diagnostic> {
    let written: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let mut opts = crate::pipeline::BuildOptions::new(root);
    opts.drafts = true;
    let (site, mut diagnostics) = match crate::pipeline::assemble(&opts) {
        Ok(s) => s,
        Err(f) => return f.diagnostics,
    };
    diagnostics.extend(crate::lint::lint(&site));
    diagnostics.retain(|d| written.contains(d.file.as_str()));
    diagnostics
}

/// The values a row gives, key by key, as YAML values (what `--update`
/// merges). Lists are added to (organisations, tags, recognitions);
/// other values replace.
fn row_values(d: &Draft, kind: Section) -> Vec<(&'static str, serde_json::Value, bool)> {
    use serde_json::{json, Value};
    let mut v: Vec<(&'static str, Value, bool)> = Vec::new();
    let mut one = |k: &'static str, x: Option<Value>| {
        if let Some(x) = x {
            v.push((k, x, false));
        }
    };
    one("summary", d.summary.clone().map(Value::from));
    if kind == Section::Ceremonies {
        one("date", d.date.clone().map(Value::from));
        one("event_type", d.event_type.clone().map(Value::from));
        one("organizer", d.organizer.clone().map(Value::from));
        one("level", d.level.clone().map(Value::from));
        one("occasion", d.occasion.clone().map(Value::from));
        if !d.place.is_empty() {
            v.push(("place", json!(d.place), false));
        }
        if !d.tags.is_empty() {
            v.push(("tags", json!(d.tags), true));
        }
        return v;
    }
    one("field", d.field.clone().map(Value::from));
    one("kind", d.kind.clone().map(Value::from));
    one("owner", d.owner.clone().map(Value::from));
    one("period", d.period.clone().map(Value::from));
    one("date", d.date.clone().map(Value::from));
    one("status", d.status.clone().map(Value::from));
    one("public", d.public.map(Value::from));
    if !d.organizations.is_empty() {
        v.push(("organizations", json!(d.organizations), true));
    }
    if !d.tags.is_empty() {
        v.push(("tags", json!(d.tags), true));
    }
    if !d.recognitions.is_empty() {
        let recs: Vec<Value> = d
            .recognitions
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                m.insert("level".into(), r.level.clone().into());
                m.insert("year".into(), r.year.into());
                for (k, x) in [
                    ("award", &r.award),
                    ("by", &r.by),
                    ("decision", &r.decision),
                ] {
                    if let Some(x) = x {
                        m.insert(k.into(), x.clone().into());
                    }
                }
                Value::Object(m)
            })
            .collect();
        v.push(("recognitions", Value::Array(recs), true));
    }
    v
}

/// Scalars compared as text: `date: 2022` and `date: "2022"` are one value.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same(p, q)))
        }
        (Value::String(s), other) | (other, Value::String(s)) if !other.is_string() => {
            s.parse::<serde_json::Value>().is_ok_and(|v| v == *other)
        }
        _ => a == b,
    }
}

/// `--update`: the model file at `path` with the row's values merged in,
/// its front matter edited key by key (comments and the body are kept).
/// `Some((diff, before, after))`; `None` when the file cannot be read or
/// its front matter is not plain enough to edit safely.
fn merged(path: &Path, d: &Draft, kind: Section) -> Option<(Vec<String>, String, String)> {
    let before = std::fs::read_to_string(path).ok()?;
    let rest = before.strip_prefix("---\n")?;
    let end = rest.find("\n---")?;
    let mut lines: Vec<String> = rest[..end].lines().map(str::to_owned).collect();
    let mut diff = Vec::new();
    for (key, new, additive) in row_values(d, kind) {
        let start = lines
            .iter()
            .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')));
        let (old, span) = match start {
            Some(i) => {
                let n = lines[i + 1..]
                    .iter()
                    .take_while(|l| l.starts_with(' ') || l.starts_with('-') || l.trim().is_empty())
                    .count();
                let text = lines[i..=i + n].join("\n");
                let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
                let old = serde_json::to_value(value.get(key)?).ok()?;
                (Some(old), Some((i, n + 1)))
            }
            None => (None, None),
        };
        let value = match (&old, additive) {
            (Some(serde_json::Value::Array(have)), true) => {
                let mut all = have.clone();
                for x in new.as_array().into_iter().flatten() {
                    if !all.iter().any(|h| same(h, x)) {
                        all.push(x.clone());
                    }
                }
                serde_json::Value::Array(all)
            }
            _ => new,
        };
        if old.as_ref().is_some_and(|o| same(o, &value)) || (old.is_none() && value.is_null()) {
            continue;
        }
        let shown = |v: &serde_json::Value| serde_json::to_string(v).unwrap_or_default();
        let old_shown = old.as_ref().map_or_else(|| "—".to_string(), shown);
        diff.push(format!("{key}: {old_shown} → {}", shown(&value)));
        let line = format!("{key}: {}", shown(&value));
        match span {
            Some((i, n)) => {
                lines.splice(i..i + n, std::iter::once(line));
            }
            None => lines.push(line),
        }
    }
    let after = format!("---\n{}{}", lines.join("\n"), &rest[end..]);
    Some((diff, before, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_offices_write_them() {
        let t = |s: &str| parse_date(&Cell::Text(s.into()));
        assert_eq!(t("20/5/2024").as_deref(), Some("2024-05-20"));
        assert_eq!(t("1/2/19").as_deref(), Some("2019-02-01"));
        assert_eq!(t("05/2024").as_deref(), Some("2024-05"));
        assert_eq!(t("năm 2019").as_deref(), Some("2019"));
        assert_eq!(t("2019").as_deref(), Some("2019"));
        assert_eq!(t("2024-05-20").as_deref(), Some("2024-05-20"));
        assert_eq!(t("31/2/2024"), None);
        assert_eq!(t("hôm qua"), None);
        assert_eq!(
            parse_date(&Cell::Date(45432.0)).as_deref(),
            Some("2024-05-20")
        );
        assert_eq!(
            parse_date(&Cell::Number(45432.0)).as_deref(),
            Some("2024-05-20")
        );
        assert_eq!(
            parse_date(&Cell::Text("45432".into())).as_deref(),
            Some("2024-05-20")
        );
        assert_eq!(parse_date(&Cell::Number(2019.0)).as_deref(), Some("2019"));
    }

    #[test]
    fn places_coarse_to_fine() {
        assert_eq!(
            split_place("xã An Bình, huyện Nam Sách, tỉnh Hải Dương"),
            ["Tỉnh Hải Dương", "Huyện Nam Sách", "Xã An Bình"]
        );
        assert_eq!(
            split_place("Hải Dương, Thị xã Kinh Môn"),
            ["Hải Dương", "Thị xã Kinh Môn"]
        );
        assert_eq!(
            split_place("TP. Hồ Chí Minh > Quận 1"),
            ["TP. Hồ Chí Minh", "Quận 1"]
        );
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }
}
