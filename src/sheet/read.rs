//! Reading a spreadsheet into rows of cells, within limits: calamine for
//! xlsx, xls and ods, the csv crate for CSV.
//!
//! Limits, so that a hostile file gives a clear error and never a hang or
//! an exhausted machine: the file at most [`MAX_FILE_BYTES`]; a zip-based
//! file (xlsx, ods) at most [`MAX_INFLATED_BYTES`] once inflated, measured
//! by inflating it before calamine does (a zip's declared sizes can lie);
//! at most [`MAX_ROWS`] rows and [`MAX_COLS`] columns read; a cell at most
//! [`MAX_CELL_CHARS`] characters (Excel's own limit). Formulas are never
//! evaluated and links to other files never followed: the value the file
//! stored is read, and the cell is named in a warning.

use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, DataRef, Reader};

pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
pub const MAX_INFLATED_BYTES: u64 = 300 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;
pub const MAX_COLS: usize = 256;
pub const MAX_CELL_CHARS: usize = 32_767;

/// One cell's value as stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date serial (days since 1899-12-30).
    Date(f64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers without a needless ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Date(n) => serial_iso(*n).unwrap_or_else(|| n.to_string()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                format!("{}", *n as i64)
            }
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// An Excel date serial (days since 1899-12-30, which absorbs Excel's
/// 1900 leap-year bug for every date after February 1900) as an ISO date.
pub fn serial_iso(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = crate::clock::civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A sheet as read.
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    /// Row-major; every row as long as the widest.
    pub rows: Vec<Vec<Cell>>,
    /// Cells (row, column, 0-based) whose value a formula computed.
    pub formulas: Vec<(usize, usize)>,
}

/// A workbook as read: the sheets asked for, and whether it links to other
/// files.
#[derive(Debug, Default)]
pub struct Book {
    pub sheets: Vec<Sheet>,
    pub external_links: bool,
    /// A CSV file read from a legacy code page and converted to Unicode.
    pub converted_from: Option<&'static str>,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not a spreadsheet dienhinh reads.
    Format(String),
    /// Past a limit: what, and the limit.
    TooLarge(&'static str, u64),
    NoSheet(String, Vec<String>),
    /// A cell past [`MAX_CELL_CHARS`]: sheet, row, column (0-based), length.
    LongCell(String, usize, usize, usize),
}

/// Reads `path`: `sheet` only, or every sheet.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Book, ReadError> {
    let len = std::fs::metadata(path).map_err(ReadError::Io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge("bytes", MAX_FILE_BYTES));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => read_csv(path),
        "xlsx" | "xlsm" | "ods" | "xls" => read_office(path, &ext, sheet),
        other => Err(ReadError::Format(other.to_string())),
    }
}

fn read_office(path: &Path, ext: &str, wanted: Option<&str>) -> Result<Book, ReadError> {
    let mut external_links = false;
    if ext != "xls" {
        external_links = measure_zip(path)?;
    }
    let mut wb =
        calamine::open_workbook_auto(path).map_err(|e| ReadError::Format(e.to_string()))?;
    let names = wb.sheet_names().to_vec();
    let chosen: Vec<String> = match wanted {
        Some(w) => {
            let f = crate::vi::fold(w);
            match names.iter().find(|n| crate::vi::fold(n) == f) {
                Some(n) => vec![n.clone()],
                None => return Err(ReadError::NoSheet(w.to_string(), names)),
            }
        }
        None => names.clone(),
    };
    let mut sheets = Vec::new();
    for name in chosen {
        let sheet = match &mut wb {
            calamine::Sheets::Xlsx(x) => xlsx_sheet(x, &name)?,
            other => range_sheet(other, path, &name)?,
        };
        sheets.push(sheet);
    }
    Ok(Book {
        sheets,
        external_links,
        converted_from: None,
    })
}

/// Inflates every entry of a zip-based file, counting, and stops past
/// [`MAX_INFLATED_BYTES`]: a zip bomb is refused before calamine sees it.
/// Returns whether the workbook has links to other files.
fn measure_zip(path: &Path) -> Result<bool, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| ReadError::Format(e.to_string()))?;
    let mut total: u64 = 0;
    let mut links = false;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| ReadError::Format(e.to_string()))?;
        links |= entry
            .name()
            .is_ok_and(|n| n.starts_with("xl/externalLinks/"));
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| ReadError::Format(e.to_string()))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_INFLATED_BYTES {
                return Err(ReadError::TooLarge("inflated", MAX_INFLATED_BYTES));
            }
        }
    }
    Ok(links)
}

/// Grows `rows` to hold (r, c) within the limits and stores the cell.
fn put(sheet: &mut Sheet, r: usize, c: usize, cell: Cell) -> Result<(), ReadError> {
    if cell.is_empty() {
        return Ok(());
    }
    if r >= MAX_ROWS {
        return Err(ReadError::TooLarge("rows", MAX_ROWS as u64));
    }
    if c >= MAX_COLS {
        return Err(ReadError::TooLarge("columns", MAX_COLS as u64));
    }
    if let Cell::Text(t) = &cell {
        let n = t.chars().count();
        if n > MAX_CELL_CHARS {
            return Err(ReadError::LongCell(sheet.name.clone(), r, c, n));
        }
    }
    if sheet.rows.len() <= r {
        sheet.rows.resize_with(r + 1, Vec::new);
    }
    let row = &mut sheet.rows[r];
    if row.len() <= c {
        row.resize(c + 1, Cell::Empty);
    }
    row[c] = cell;
    Ok(())
}

fn squared(mut sheet: Sheet) -> Sheet {
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut sheet.rows {
        r.resize(width, Cell::Empty);
    }
    sheet
}

fn from_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Text(if *b { "có" } else { "không" }.into()),
        DataRef::DateTime(dt) => Cell::Date(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(if *b { "có" } else { "không" }.into()),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
        Data::Empty => Cell::Empty,
    }
}

/// An xlsx sheet, streamed cell by cell so a sheet past the limits stops
/// at the limit instead of being loaded whole.
fn xlsx_sheet<RS: Read + Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
) -> Result<Sheet, ReadError> {
    let mut sheet = Sheet {
        name: name.to_string(),
        ..Sheet::default()
    };
    let merges = wb.merge_cells_by_sheet_name(name).unwrap_or_default();
    {
        let mut cells = wb
            .worksheet_cells_reader(name)
            .map_err(|e| ReadError::Format(e.to_string()))?;
        while let Some(c) = cells
            .next_cell_with_formula()
            .map_err(|e| ReadError::Format(e.to_string()))?
        {
            let (r, col) = (c.pos.0 as usize, c.pos.1 as usize);
            if c.formula.as_deref().is_some_and(|f| !f.is_empty()) && r < MAX_ROWS && col < MAX_COLS
            {
                sheet.formulas.push((r, col));
            }
            put(&mut sheet, r, col, from_ref(&c.value))?;
        }
    }
    let mut sheet = squared(sheet);
    fill_merges(&mut sheet, &merges);
    Ok(sheet)
}

/// A merged block shows its top-left value over the whole block; a list
/// merges a cell down several rows to mean "the same for these rows".
fn fill_merges(sheet: &mut Sheet, merges: &[calamine::Dimensions]) {
    for m in merges {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let (r1, c1) = (m.end.0 as usize, m.end.1 as usize);
        let Some(value) = sheet.rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        // Only down a column: a heading merged across columns names one
        // column, not several.
        if c1 != c0 {
            continue;
        }
        for r in r0 + 1..=r1.min(sheet.rows.len().saturating_sub(1)) {
            if sheet.rows[r][c0].is_empty() {
                sheet.rows[r][c0] = value.clone();
            }
        }
    }
}

/// An xls or ods sheet, which calamine reads whole (both are bounded by
/// the file-size limit, ods also by the inflated-size one).
fn range_sheet<RS: Read + Seek>(
    wb: &mut calamine::Sheets<RS>,
    path: &Path,
    name: &str,
) -> Result<Sheet, ReadError> {
    let range = wb
        .worksheet_range(name)
        .map_err(|e| ReadError::Format(e.to_string()))?;
    let mut sheet = Sheet {
        name: name.to_string(),
        ..Sheet::default()
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, row) in range.rows().enumerate() {
        for (c, d) in row.iter().enumerate() {
            put(&mut sheet, r0 as usize + r, c0 as usize + c, from_data(d))?;
        }
    }
    let merges = match wb {
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        calamine::Sheets::Ods(_) => ods_merges(path, name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut sheet = squared(sheet);
    fill_merges(&mut sheet, &merges);
    Ok(sheet)
}

/// The merged blocks of one sheet of an ods file, read from its
/// `content.xml` (cells with `table:number-rows-spanned`), since calamine
/// does not report them. Only positions are counted, so a hostile repeat
/// count costs nothing; the archive was measured before (see
/// [`measure_zip`]).
fn ods_merges(path: &Path, sheet: &str) -> Option<Vec<calamine::Dimensions>> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let attr = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| a.value.into_owned())
    };
    let num = |v: Option<String>| v.and_then(|s| s.parse::<u32>().ok()).unwrap_or(1);
    let (mut inside, mut row, mut col, mut repeat) = (false, 0u32, 0u32, 1u32);
    let mut merges = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    inside = attr(e, "table:name").as_deref() == Some(sheet);
                    row = 0;
                }
                "table:table-row" if inside => {
                    col = 0;
                    repeat = num(attr(e, "table:number-rows-repeated"));
                    if matches!(event, Event::Empty(_)) {
                        row = row.saturating_add(repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if inside => {
                    let rows = num(attr(e, "table:number-rows-spanned"));
                    let cols = num(attr(e, "table:number-columns-spanned"));
                    if rows > 1 || cols > 1 {
                        merges.push(calamine::Dimensions {
                            start: (row, col),
                            end: (row + rows - 1, col + cols - 1),
                        });
                    }
                    col = col.saturating_add(num(attr(e, "table:number-columns-repeated")));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" if inside => row = row.saturating_add(repeat),
                "table:table" if inside => return Some(merges),
                _ => {}
            },
            Event::Eof => return Some(merges),
            _ => {}
        }
        buf.clear();
    }
}

/// A CSV file: UTF-8 with or without a byte-order mark. Other bytes are
/// either TCVN3 or VNI text, read as Windows-1252 letters (the import
/// converts it cell by cell), or Windows-1258, the code page Excel on a
/// Vietnamese Windows saves CSV in, decoded here and put in NFC. The
/// delimiter is a comma, or a semicolon when the first line has more of
/// those (Excel's choice in many locales).
fn read_csv(path: &Path) -> Result<Book, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let (text, converted_from) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(_) => {
            let as_1252: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            let (decoded, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            let as_1258 = crate::vi::nfc(&decoded);
            // Both readings are tried: the one that leaves fewer characters
            // Vietnamese never uses wins (TCVN3 read as Windows-1258 is full
            // of ¸ ¹ Õ; Windows-1258 read as TCVN3 is too).
            let legacy = super::legacy::repair(&as_1252).map(|(t, _)| t);
            match legacy {
                Some(repaired) if not_vietnamese(&repaired) < not_vietnamese(&as_1258) => {
                    (as_1252, None)
                }
                _ => (as_1258, Some("Windows-1258")),
            }
        }
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let name = path
        .file_stem()
        .map_or_else(|| "csv".into(), |s| s.to_string_lossy().into_owned());
    let mut sheet = Sheet {
        name,
        ..Sheet::default()
    };
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::Format(e.to_string()))?;
        for (c, field) in record.iter().enumerate() {
            put(&mut sheet, r, c, Cell::Text(field.to_string()))?;
        }
    }
    Ok(Book {
        sheets: vec![squared(sheet)],
        external_links: false,
        converted_from,
    })
}

/// How many characters of `text` no Vietnamese text uses: letters and
/// signs outside ASCII other than the Vietnamese letters and common
/// punctuation, and combining marks left over after NFC.
fn not_vietnamese(text: &str) -> usize {
    const VIETNAMESE: &str = "ăâđêôơưĂÂĐÊÔƠƯ–—‘’“”…";
    text.chars()
        .filter(|&c| {
            if c.is_ascii() || VIETNAMESE.contains(c) {
                return false;
            }
            // A toned vowel folds to its ASCII letter; ¸ ¹ or a lone mark
            // fold to nothing.
            let folded = crate::vi::fold(&c.to_string());
            folded.is_empty() || !folded.chars().all(|f| f.is_ascii_alphabetic())
        })
        .count()
}

/// A Windows-1252 byte as its character (the 0x80–0x9F block differs from
/// Latin-1; the five bytes it leaves undefined are kept as C1 controls).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}
