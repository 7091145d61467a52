//! `dienhinh export report.xlsx` and `/du-lieu/mo-hinh.xlsx`: the workbook
//! an office sends upward, written with `rust_xlsxwriter`.
//!
//! It is drawn from plain rows ([`Report`]) that the renderer fills from
//! the open-data records (src/render/feeds.rs), so it holds exactly what the
//! published JSON and CSV hold and nothing `public: false` withholds; its
//! summary sheets are the sections of `/thong-ke/` (src/render/stats.rs).
//! Bytes are deterministic: the creation date is the latest document date,
//! and the zip entries carry the writer's fixed timestamp.

use std::borrow::Cow;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Headings of the models sheet, in the order an office's list uses. The
/// import recognises every one of them (src/sheet/headings.rs), so an
/// exported workbook reads back as it was.
pub const MODEL_HEADINGS: [&str; 20] = [
    "STT",
    "Mã",
    "Tên mô hình",
    "Chủ thể thực hiện",
    "Loại",
    "Lĩnh vực",
    "Tổ chức tham gia",
    "Địa bàn",
    "Thời gian thực hiện",
    "Ngày",
    "Tình trạng",
    "Năm khen",
    "Cấp khen",
    "Hình thức khen thưởng",
    "Cơ quan khen",
    "Số quyết định",
    "Tóm tắt",
    "Từ khóa",
    "Công khai",
    "Địa chỉ trang",
];

/// The first sheet: every model published.
pub const MODELS_SHEET: &str = "Mô hình";
/// The second: every ceremony's honorees, a row each.
pub const HONOREES_SHEET: &str = "Tuyên dương";
/// Up to this many ceremonies, each also has a sheet of its own, the page a
/// district prints for its conference. Past it there are none: a province's
/// thousand would be tabs no one can find, and rust_xlsxwriter assembles
/// every in-memory sheet at once, one thread each (10,000 ceremonies were
/// 300 MB of a 100,000-model build's peak). The honorees stay in
/// [`HONOREES_SHEET`].
pub const CEREMONY_SHEETS_MAX: usize = 100;

/// Excel's own limit on a sheet name.
const SHEET_NAME_MAX: usize = 31;
/// Widest column, in characters: long summaries wrap instead.
const WIDTH_MAX: usize = 60;

/// A cell's text: borrowed from the site where it can be (at 100,000
/// models an owned copy of every row cost over 100 MB beside the open
/// data's own), owned where it is made up.
pub type Text<'a> = Cow<'a, str>;

/// What the workbook shows, already filtered for publication.
#[derive(Clone, Debug, Default)]
pub struct Report<'a> {
    pub site: String,
    /// The latest document date, used as the workbook's creation date so
    /// two builds give the same bytes.
    pub created: Option<(u16, u8, u8)>,
    pub models: Vec<ModelRow<'a>>,
    pub ceremonies: Vec<CeremonySheet<'a>>,
    pub summaries: Vec<Summary>,
}

#[derive(Clone, Debug, Default)]
pub struct ModelRow<'a> {
    pub id: Text<'a>,
    pub title: Text<'a>,
    /// `None` when withheld (`public: false`) or not given.
    pub owner: Option<Text<'a>>,
    pub kind: Text<'a>,
    pub field: Text<'a>,
    pub organizations: Vec<Text<'a>>,
    /// Coarse to fine.
    pub place: Cow<'a, [String]>,
    pub period: Option<Text<'a>>,
    /// ISO, at the precision given (`2024-05-20`, `2024-05`, `2024`).
    pub date: Option<Text<'a>>,
    pub status: Option<Text<'a>>,
    pub recognitions: Vec<RecognitionRow<'a>>,
    pub summary: Text<'a>,
    pub tags: Cow<'a, [String]>,
    /// Whether the owner may be named (`public:`); a withheld owner's name
    /// is not in the row, only this mark.
    pub public: bool,
    pub url: Text<'a>,
}

#[derive(Clone, Debug, Default)]
pub struct RecognitionRow<'a> {
    pub year: i32,
    pub level: Text<'a>,
    pub award: Option<Text<'a>>,
    pub by: Option<Text<'a>>,
    pub decision: Option<Text<'a>>,
}

#[derive(Clone, Debug, Default)]
pub struct CeremonySheet<'a> {
    pub id: Text<'a>,
    pub title: Text<'a>,
    pub date: Option<Text<'a>>,
    pub place: Cow<'a, [String]>,
    pub organizer: Option<Text<'a>>,
    pub honorees: Vec<HonoreeRow<'a>>,
}

#[derive(Clone, Debug, Default)]
pub struct HonoreeRow<'a> {
    /// The model's title or the person's name; `None` when withheld.
    pub name: Option<Text<'a>>,
    pub kind: Option<Text<'a>>,
    pub award: Option<Text<'a>>,
    pub by: Option<Text<'a>>,
    pub decision: Option<Text<'a>>,
}

/// One table of `/thong-ke/`.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The section's id on the statistics page (`linh-vuc`, `nam`, …).
    pub id: String,
    pub title: String,
    pub rows: Vec<(String, usize)>,
    pub note: Option<String>,
}

/// How `--by` orders the report: the models sheet sorted by that key and
/// its summary sheet placed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Field,
    Place,
    Year,
    Award,
}

impl By {
    /// The `/thong-ke/` section this grouping matches.
    fn section(self) -> &'static str {
        match self {
            By::Field => "linh-vuc",
            By::Place => "tinh",
            By::Year => "nam",
            By::Award => "khen-thuong",
        }
    }

    fn key(self, m: &ModelRow) -> String {
        let first = m.recognitions.first();
        match self {
            By::Field => crate::vi::fold(&m.field),
            By::Place => crate::vi::fold(&m.place.join(" ")),
            By::Year => m.date.as_deref().unwrap_or_default().to_string(),
            By::Award => first
                .and_then(|r| r.award.as_deref())
                .map(crate::vi::fold)
                .unwrap_or_else(|| "~".into()),
        }
    }
}

/// The workbook's bytes.
///
/// The models' and the honorees' sheets are written in rust_xlsxwriter's
/// constant-memory mode:
/// each row goes to a temporary file (unnamed, so nothing is left behind
/// even when a build is killed) as it is finished, instead of every cell
/// of 10,000 models being held until the workbook is saved (tens of
/// megabytes at that size, the largest part of `check`'s peak), and its
/// text is written in the row rather than in the workbook's table of
/// shared strings, which would hold every title and summary until the end
/// (`check` of a generated 10,000-model site peaked at 375 MB with the
/// table, 350 MB without). The cells read the same; rows only lose the
/// optional `spans` hint. Where no temporary file can be made, the sheets are
/// held in memory as before.
pub fn write(report: &Report, by: Option<By>) -> Result<Vec<u8>, XlsxError> {
    write_spilling_to(report, by, &std::env::temp_dir())
}

/// [`write`], the models' rows going to a temporary file in `tempdir`, or
/// held in memory when that fails.
fn write_spilling_to(
    report: &Report,
    by: Option<By>,
    tempdir: &std::path::Path,
) -> Result<Vec<u8>, XlsxError> {
    write_with(report, by, Some(tempdir)).or_else(|_| write_with(report, by, None))
}

/// The workbook, its models' sheet in constant-memory mode with its temporary
/// file in `spill` when given, in memory otherwise.
fn write_with(
    report: &Report,
    by: Option<By>,
    spill: Option<&std::path::Path>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    if let Some(dir) = spill {
        wb.set_tempdir(dir)?;
    }
    let (y, m, d) = report.created.unwrap_or((2000, 1, 1));
    let created = ExcelDateTime::from_ymd(y, m, d)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&report.site)
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let mut models: Vec<&ModelRow> = report.models.iter().collect();
    if let Some(by) = by {
        models.sort_by_cached_key(|m| by.key(m));
    }
    models_sheet(new_sheet(&mut wb, spill)?, &models, &styles)?;
    let mut names = std::collections::HashSet::new();
    names.insert(MODELS_SHEET.to_lowercase());
    if !report.ceremonies.is_empty() {
        names.insert(HONOREES_SHEET.to_lowercase());
        honorees_sheet(new_sheet(&mut wb, spill)?, &report.ceremonies, &styles)?;
    }
    let each = report.ceremonies.len() <= CEREMONY_SHEETS_MAX;
    for c in report.ceremonies.iter().filter(|_| each) {
        let sheet = wb.add_worksheet();
        sheet.set_name(unique_name(&c.title, &mut names))?;
        ceremony_sheet(sheet, c, &styles)?;
    }
    let mut summaries: Vec<&Summary> = report.summaries.iter().collect();
    if let Some(by) = by {
        // Stable: the chosen section first, the others in the page's order.
        summaries.sort_by_key(|s| s.id != by.section());
    }
    for s in summaries {
        let sheet = wb.add_worksheet();
        sheet.set_name(unique_name(&format!("TK {}", s.title), &mut names))?;
        summary_sheet(sheet, s, &styles)?;
    }
    wb.save_to_buffer()
}

/// A sheet for a long table: in constant-memory mode with its temporary
/// file in `spill` when given, held in memory otherwise.
fn new_sheet<'w>(
    wb: &'w mut Workbook,
    spill: Option<&std::path::Path>,
) -> Result<&'w mut Worksheet, XlsxError> {
    if spill.is_some() {
        wb.add_worksheet_with_constant_memory()
    } else {
        Ok(wb.add_worksheet())
    }
}

struct Styles {
    header: Format,
    date: Format,
    wrap: Format,
    title: Format,
}

impl Styles {
    fn new() -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color("#F2DCDB"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// A4 landscape, the header row repeated on every printed page, as wide
/// as one page.
fn for_print(sheet: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// Writes the header row and remembers each column's widest text.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    widths: Vec<usize>,
    header_row: u32,
    row: u32,
}

impl<'a> Table<'a> {
    fn new(
        sheet: &'a mut Worksheet,
        header_row: u32,
        headings: &[&str],
        s: &Styles,
    ) -> Result<Self, XlsxError> {
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(header_row, c as u16, *h, &s.header)?;
        }
        Ok(Self {
            widths: headings.iter().map(|h| h.chars().count() + 2).collect(),
            sheet,
            header_row,
            row: header_row + 1,
        })
    }

    fn text(&mut self, col: usize, value: &str, s: &Styles) -> Result<(), XlsxError> {
        if value.is_empty() {
            return Ok(());
        }
        let widest = value.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.widths[col] = self.widths[col].max(widest + 1);
        if value.contains('\n') || widest > WIDTH_MAX {
            self.sheet
                .write_string_with_format(self.row, col as u16, value, &s.wrap)?;
        } else {
            self.sheet.write_string(self.row, col as u16, value)?;
        }
        Ok(())
    }

    fn number(&mut self, col: usize, value: f64) -> Result<(), XlsxError> {
        self.sheet.write_number(self.row, col as u16, value)?;
        Ok(())
    }

    /// A full ISO date as a real date; a year or a month as text, which is
    /// how an office writes it.
    fn date(&mut self, col: usize, iso: Option<&str>, s: &Styles) -> Result<(), XlsxError> {
        let Some(iso) = iso else { return Ok(()) };
        match crate::site::Date::parse(iso) {
            Some(d) if d.day > 0 => {
                let dt = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
                self.sheet
                    .write_datetime_with_format(self.row, col as u16, &dt, &s.date)?;
                self.widths[col] = self.widths[col].max(11);
                Ok(())
            }
            _ => self.text(col, iso, s),
        }
    }

    /// Frozen header, an autofilter over the rows, widths fitted to the
    /// text (capped; long text wraps).
    fn finish(self) -> Result<(), XlsxError> {
        let last_col = self.widths.len().saturating_sub(1) as u16;
        let last_row = (self.row - 1).max(self.header_row);
        self.sheet.set_freeze_panes(self.header_row + 1, 0)?;
        self.sheet
            .autofilter(self.header_row, 0, last_row, last_col)?;
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(c as u16, (*w).min(WIDTH_MAX) as f64)?;
        }
        for_print(self.sheet, self.header_row)
    }
}

fn lines<'a>(items: impl Iterator<Item = Option<&'a str>>) -> String {
    items
        .map(|s| s.unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn models_sheet(sheet: &mut Worksheet, models: &[&ModelRow], s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(MODELS_SHEET)?;
    let mut t = Table::new(sheet, 0, &MODEL_HEADINGS, s)?;
    for (i, m) in models.iter().enumerate() {
        let r = &m.recognitions;
        let years: Vec<String> = r.iter().map(|r| r.year.to_string()).collect();
        t.number(0, (i + 1) as f64)?;
        t.text(1, &m.id, s)?;
        t.text(2, &m.title, s)?;
        t.text(3, m.owner.as_deref().unwrap_or(""), s)?;
        t.text(4, &m.kind, s)?;
        t.text(5, &m.field, s)?;
        t.text(6, &m.organizations.join("; "), s)?;
        t.text(7, &m.place.join(" > "), s)?;
        t.text(8, m.period.as_deref().unwrap_or(""), s)?;
        t.date(9, m.date.as_deref(), s)?;
        t.text(10, m.status.as_deref().unwrap_or(""), s)?;
        // One line per recognition in each of these cells, in step.
        t.text(11, &years.join("\n"), s)?;
        t.text(12, &lines(r.iter().map(|r| Some(r.level.as_ref()))), s)?;
        t.text(13, &lines(r.iter().map(|r| r.award.as_deref())), s)?;
        t.text(14, &lines(r.iter().map(|r| r.by.as_deref())), s)?;
        t.text(15, &lines(r.iter().map(|r| r.decision.as_deref())), s)?;
        t.text(16, &m.summary, s)?;
        t.text(17, &m.tags.join("; "), s)?;
        t.text(18, if m.public { "có" } else { "không" }, s)?;
        t.text(19, &m.url, s)?;
        t.row += 1;
    }
    t.finish()
}

/// Every ceremony's honorees in one table, a row each, so a spreadsheet
/// filters them by ceremony, place or award; a ceremony that names no one
/// still has its row.
fn honorees_sheet(
    sheet: &mut Worksheet,
    ceremonies: &[CeremonySheet],
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(HONOREES_SHEET)?;
    let headings = [
        "STT",
        "Mã buổi",
        "Buổi tuyên dương",
        "Ngày",
        "Địa bàn",
        "Đơn vị tổ chức",
        "Tập thể, cá nhân được khen",
        "Loại",
        "Hình thức khen thưởng",
        "Cơ quan khen",
        "Số quyết định",
    ];
    let mut t = Table::new(sheet, 0, &headings, s)?;
    let mut n = 0;
    for c in ceremonies {
        let none_named = c.honorees.is_empty().then_some(None);
        for h in c.honorees.iter().map(Some).chain(none_named) {
            n += 1;
            t.number(0, n as f64)?;
            t.text(1, &c.id, s)?;
            t.text(2, &c.title, s)?;
            t.date(3, c.date.as_deref(), s)?;
            t.text(4, &c.place.join(" > "), s)?;
            t.text(5, c.organizer.as_deref().unwrap_or(""), s)?;
            if let Some(h) = h {
                honoree_cells(&mut t, 6, h, s)?;
            }
            t.row += 1;
        }
    }
    t.finish()
}

/// An honoree's name, kind, award, awarding body and decision, from column
/// `first` on.
fn honoree_cells(t: &mut Table, first: usize, h: &HonoreeRow, s: &Styles) -> Result<(), XlsxError> {
    t.text(first, h.name.as_deref().unwrap_or("(không nêu tên)"), s)?;
    t.text(first + 1, h.kind.as_deref().unwrap_or(""), s)?;
    t.text(first + 2, h.award.as_deref().unwrap_or(""), s)?;
    t.text(first + 3, h.by.as_deref().unwrap_or(""), s)?;
    t.text(first + 4, h.decision.as_deref().unwrap_or(""), s)
}

fn ceremony_sheet(sheet: &mut Worksheet, c: &CeremonySheet, s: &Styles) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, c.title.as_ref(), &s.title)?;
    let mut facts = Vec::new();
    if let Some(d) = c.date.as_deref().and_then(crate::site::Date::parse) {
        facts.push(format!("Ngày {}", d.display_vi()));
    }
    if !c.place.is_empty() {
        facts.push(format!("Địa bàn: {}", c.place.join(" > ")));
    }
    if let Some(o) = &c.organizer {
        facts.push(format!("Đơn vị tổ chức: {o}"));
    }
    facts.push(format!("Mã: {}", c.id));
    sheet.write_string(1, 0, facts.join(" · "))?;
    let headings = [
        "STT",
        "Tập thể, cá nhân được khen",
        "Loại",
        "Hình thức khen thưởng",
        "Cơ quan khen",
        "Số quyết định",
    ];
    let mut t = Table::new(sheet, 3, &headings, s)?;
    for (i, h) in c.honorees.iter().enumerate() {
        t.number(0, (i + 1) as f64)?;
        honoree_cells(&mut t, 1, h, s)?;
        t.row += 1;
    }
    t.finish()
}

fn summary_sheet(sheet: &mut Worksheet, sum: &Summary, s: &Styles) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &sum.title, &s.title)?;
    if let Some(n) = &sum.note {
        sheet.write_string(1, 0, n)?;
    }
    let mut t = Table::new(sheet, 3, &["STT", "Nội dung", "Số mô hình"], s)?;
    for (i, (label, count)) in sum.rows.iter().enumerate() {
        t.number(0, (i + 1) as f64)?;
        t.text(1, label, s)?;
        t.number(2, *count as f64)?;
        t.row += 1;
    }
    // No total row: several sections count a model more than once
    // (organisations, levels), and a sum would mislead.
    t.finish()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// not starting or ending with an apostrophe, unique ignoring case.
fn unique_name(wanted: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let base: String = if clean.is_empty() { "Trang" } else { clean }
        .chars()
        .take(SHEET_NAME_MAX)
        .collect();
    let mut name = base.trim_end().to_string();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = SHEET_NAME_MAX - suffix.chars().count();
        name = format!(
            "{}{suffix}",
            base.chars().take(keep).collect::<String>().trim_end()
        );
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut taken = std::collections::HashSet::new();
        let a = unique_name(
            "Hội nghị biểu dương điển hình Dân vận khéo năm 2024",
            &mut taken,
        );
        assert!(a.chars().count() <= SHEET_NAME_MAX);
        let b = unique_name(
            "Hội nghị biểu dương điển hình Dân vận khéo năm 2024",
            &mut taken,
        );
        assert_ne!(a, b);
        assert!(b.ends_with("(2)") && b.chars().count() <= SHEET_NAME_MAX);
        assert_eq!(unique_name("a/b:c", &mut taken), "a b c");
    }

    fn ceremony(i: usize, honorees: usize) -> CeremonySheet<'static> {
        CeremonySheet {
            id: format!("c{i:05}").into(),
            title: format!("Hội nghị biểu dương số {i}").into(),
            date: Some("2024-05-20".into()),
            place: vec!["Hà Nội".to_string(), "Ba Vì".to_string()].into(),
            organizer: Some("Ban Dân vận Huyện ủy".into()),
            honorees: (0..honorees)
                .map(|h| HonoreeRow {
                    name: (h != 1).then(|| format!("Tập thể {i}.{h}").into()),
                    award: Some("Giấy khen".into()),
                    ..Default::default()
                })
                .collect(),
        }
    }

    #[test]
    fn every_honoree_is_in_one_sheet_and_few_ceremonies_also_get_their_own() {
        let few = Report {
            site: "Thử".into(),
            ceremonies: vec![ceremony(0, 3), ceremony(1, 0)],
            ..Default::default()
        };
        let book = cells(write(&few, None).unwrap());
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[..2], [MODELS_SHEET, HONOREES_SHEET]);
        assert!(names.contains(&"Hội nghị biểu dương số 0"), "{names:?}");
        let rows = &book[1].1;
        assert_eq!(
            rows.len(),
            1 + 3 + 1,
            "the header, three honorees, an empty ceremony"
        );
        assert_eq!(rows[1][1], "c00000");
        assert_eq!(rows[1][6], "Tập thể 0.0");
        assert_eq!(rows[2][6], "(không nêu tên)");
        assert_eq!(rows[1][8], "Giấy khen");
        assert_eq!(rows[4][1], "c00001");
        assert_eq!(
            rows[4][6], "",
            "a ceremony naming no one is not an unnamed honoree"
        );

        let many = Report {
            site: "Thử".into(),
            ceremonies: (0..=CEREMONY_SHEETS_MAX).map(|i| ceremony(i, 2)).collect(),
            ..Default::default()
        };
        let book = cells(write(&many, None).unwrap());
        assert_eq!(book.len(), 2, "no sheet per ceremony past the limit");
        assert_eq!(book[1].1.len(), 1 + 2 * (CEREMONY_SHEETS_MAX + 1));
    }

    #[test]
    fn a_ceremony_named_like_a_fixed_sheet_gets_a_name_of_its_own() {
        let mut named = ceremony(0, 1);
        named.title = "Mô hình".into();
        let mut also = ceremony(1, 1);
        also.title = "tuyên dương".into();
        let report = Report {
            site: "Thử".into(),
            ceremonies: vec![named, also],
            ..Default::default()
        };
        let book = cells(write(&report, None).expect("a workbook, not an error"));
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["Mô hình", "Tuyên dương", "Mô hình (2)", "tuyên dương (2)"]
        );
    }

    #[test]
    fn two_writes_give_the_same_bytes() {
        let report = Report {
            site: "Thử".into(),
            created: Some((2024, 5, 20)),
            models: vec![ModelRow {
                id: "abcde".into(),
                title: "Hũ gạo".into(),
                date: Some("2024-05-20".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(write(&report, None).unwrap(), write(&report, None).unwrap());
    }

    /// Every sheet's cells, as a reader sees them.
    fn cells(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).unwrap();
                let rows = range
                    .rows()
                    .map(|r| r.iter().map(|c| c.to_string()).collect())
                    .collect();
                (name, rows)
            })
            .collect()
    }

    #[test]
    fn the_low_memory_sheet_holds_what_the_in_memory_one_does() {
        let model = |i: usize| ModelRow {
            id: format!("m{i:04}").into(),
            title: format!("Mô hình số {i}\ncó hai dòng").into(),
            organizations: vec!["Hội Phụ nữ".into(), "Đoàn Thanh niên".into()],
            place: vec!["Hà Nội".to_string(), "Ba Vì".to_string()].into(),
            date: Some(format!("2024-{:02}-1{}", i % 12 + 1, i % 10).into()),
            recognitions: vec![RecognitionRow {
                year: 2020 + (i % 5) as i32,
                level: "Cấp tỉnh".into(),
                award: Some("Bằng khen".into()),
                by: Some("UBND tỉnh".into()),
                decision: None,
            }],
            summary: "x".repeat(i % 90).into(),
            public: !i.is_multiple_of(7),
            ..Default::default()
        };
        let report = Report {
            site: "Thử".into(),
            created: Some((2024, 5, 20)),
            models: (0..300).map(model).collect(),
            ..Default::default()
        };
        let tmp = std::env::temp_dir();
        let low = write_with(&report, Some(By::Place), Some(&tmp)).unwrap();
        let held = write_with(&report, Some(By::Place), None).unwrap();
        let held = cells(held);
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].1.len(), 301, "the header and every model");
        assert_eq!(cells(low), held);
        // No temporary file can be made there: the sheet is held in memory,
        // and the workbook is the same.
        let nowhere = tmp.join("dienhinh-no-such-folder").join("x");
        assert!(write_with(&report, Some(By::Place), Some(&nowhere)).is_err());
        let fallen_back = write_spilling_to(&report, Some(By::Place), &nowhere).unwrap();
        assert_eq!(cells(fallen_back), held);
    }
}
