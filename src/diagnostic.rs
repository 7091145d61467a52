//! Errors and warnings about the site, as data.
//!
//! Every problem found while loading, validating or rendering becomes a
//! [`Diagnostic`] that names its file and, where known, the exact byte span
//! in that file. Stages collect them instead of stopping at the first, so an
//! editor sees every mistake of a run at once.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::core::Lang;
use crate::text::{closest, line_col};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable codes, so that documentation and tools can refer to a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Code {
    Io,
    InvalidUtf8,
    NoFrontMatter,
    UnclosedFrontMatter,
    YamlSyntax,
    UnknownKey,
    MissingField,
    WrongType,
    UnknownVocabulary,
    BadDate,
    BadSlug,
    UnsafePath,
    DuplicateUrl,
    DuplicateId,
    BrokenReference,
    ImageMissing,
    ImageNoAlt,
    Config,
    Template,
    FileTooLarge,
    MissingId,
    BrokenLink,
    BrokenAnchor,
    NotNfc,
    LegacyEncoding,
    SplitWord,
    MixedToneMarks,
    BreakdownMismatch,
    ImageTooLarge,
    LongTitle,
    /// A URL in urls.lock that no document answers at any more.
    LostUrl,
    /// An image file that does not decode as a JPEG, PNG or WebP picture.
    ImageUnreadable,
    /// `base_url` still names this machine or an example address.
    PlaceholderBaseUrl,
    /// The output folder holds files that no build of this site wrote.
    ForeignOutput,
    /// The output folder is a symbolic link.
    OutputIsLink,
    /// The output folder would overlap the site's own files.
    OutputPlacement,
    /// Another build of this site is writing its output.
    BuildRunning,
    /// The folder is not a site (no `site.yaml`).
    NotASite,
    /// The built site is past a limit of the host `site.yaml` names.
    HostLimit,
    /// A photo with more pixels than `images.max_megapixels` allows.
    ImageTooManyPixels,
    /// A spreadsheet that cannot be read or written.
    SheetUnreadable,
    /// A spreadsheet past the import's limits (bytes, rows, cells, cell length).
    SheetTooLarge,
    /// No header row, or a column that cannot be placed.
    SheetHeader,
    /// A cell whose value does not fit its column.
    SheetValue,
    /// A row that matches a document already in the site.
    SheetDuplicate,
    /// A value the import filled in, for the editor to confirm.
    SheetInferred,
    /// Cells in a legacy Vietnamese encoding, converted.
    SheetLegacyText,
    /// A formula or external link: its stored value was used.
    SheetFormula,
    /// An error in an import mapping file.
    SheetMap,
    /// An `export --filter` that cannot be read or keeps no model.
    ExportFilter,
    /// `logo:` in site.yaml names no picture in `static/`.
    MissingLogo,
    /// A command-line option whose value names nothing (`search --place`,
    /// `--field`, `--award`, `--body`).
    Option,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "DH001",
            Code::InvalidUtf8 => "DH002",
            Code::NoFrontMatter => "DH003",
            Code::UnclosedFrontMatter => "DH004",
            Code::YamlSyntax => "DH005",
            Code::UnknownKey => "DH006",
            Code::MissingField => "DH007",
            Code::WrongType => "DH008",
            Code::UnknownVocabulary => "DH009",
            Code::BadDate => "DH010",
            Code::BadSlug => "DH011",
            Code::UnsafePath => "DH012",
            Code::DuplicateUrl => "DH013",
            Code::DuplicateId => "DH014",
            Code::BrokenReference => "DH015",
            Code::ImageMissing => "DH016",
            Code::ImageNoAlt => "DH017",
            Code::Config => "DH018",
            Code::Template => "DH019",
            Code::FileTooLarge => "DH020",
            Code::MissingId => "DH021",
            Code::BrokenLink => "DH022",
            Code::BrokenAnchor => "DH023",
            Code::NotNfc => "DH024",
            Code::LegacyEncoding => "DH025",
            Code::SplitWord => "DH026",
            Code::MixedToneMarks => "DH027",
            Code::BreakdownMismatch => "DH028",
            Code::ImageTooLarge => "DH029",
            Code::LongTitle => "DH030",
            Code::LostUrl => "DH031",
            Code::ImageUnreadable => "DH032",
            Code::PlaceholderBaseUrl => "DH033",
            Code::ForeignOutput => "DH040",
            Code::OutputIsLink => "DH041",
            Code::OutputPlacement => "DH042",
            Code::BuildRunning => "DH043",
            Code::NotASite => "DH044",
            Code::HostLimit => "DH045",
            Code::ImageTooManyPixels => "DH034",
            Code::SheetUnreadable => "DH060",
            Code::SheetTooLarge => "DH061",
            Code::SheetHeader => "DH062",
            Code::SheetValue => "DH063",
            Code::SheetDuplicate => "DH064",
            Code::SheetInferred => "DH065",
            Code::SheetLegacyText => "DH066",
            Code::SheetFormula => "DH067",
            Code::SheetMap => "DH068",
            Code::ExportFilter => "DH069",
            Code::MissingLogo => "DH070",
            Code::Option => "DH071",
        }
    }

    /// What the problem is, in a few plain words of the editor's language.
    /// Detailed messages are built where the problem is found; this title
    /// puts every one of them in the reader's language.
    pub fn title(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Code::Io => (
                "Không đọc hoặc ghi được tệp",
                "File cannot be read or written",
            ),
            Code::InvalidUtf8 => ("Tệp không phải văn bản UTF-8", "File is not UTF-8 text"),
            Code::NoFrontMatter => ("Thiếu phần đầu (front matter)", "No front matter"),
            Code::UnclosedFrontMatter => (
                "Phần đầu chưa được đóng bằng ---",
                "Front matter not closed",
            ),
            Code::YamlSyntax => ("Lỗi cú pháp YAML", "YAML syntax error"),
            Code::UnknownKey => ("Khóa không hợp lệ", "Unknown or repeated key"),
            Code::MissingField => ("Thiếu trường bắt buộc", "Required field missing"),
            Code::WrongType => ("Sai kiểu giá trị", "Wrong kind of value"),
            Code::UnknownVocabulary => (
                "Giá trị không có trong danh mục",
                "Value not in the vocabulary",
            ),
            Code::BadDate => ("Ngày tháng không hợp lệ", "Invalid date"),
            Code::BadSlug => (
                "Đường dẫn (slug) hoặc mã không hợp lệ",
                "Invalid slug or id",
            ),
            Code::UnsafePath => ("Đường dẫn không an toàn", "Unsafe path"),
            Code::DuplicateUrl => (
                "Hai tài liệu trùng một địa chỉ",
                "Two documents on one address",
            ),
            Code::DuplicateId => ("Trùng mã (id)", "Duplicate id"),
            Code::BrokenReference => (
                "Tham chiếu tới tài liệu không tồn tại",
                "Reference to a missing document",
            ),
            Code::ImageMissing => ("Không tìm thấy tệp ảnh", "Image file missing"),
            Code::ImageNoAlt => ("Ảnh thiếu lời mô tả (alt)", "Image without alt text"),
            Code::Config => ("Lỗi trong site.yaml", "Error in site.yaml"),
            Code::Template => ("Lỗi mẫu giao diện", "Template error"),
            Code::FileTooLarge => ("Tệp quá lớn", "File too large"),
            Code::MissingId => ("Thiếu mã cố định (id)", "No permanent id"),
            Code::BrokenLink => ("Liên kết tới trang không tồn tại", "Link to a missing page"),
            Code::BrokenAnchor => (
                "Liên kết tới mục không có trong trang",
                "Link to a missing section",
            ),
            Code::NotNfc => (
                "Văn bản dán ở dạng Unicode tổ hợp (NFD)",
                "Text pasted as decomposed Unicode (NFD)",
            ),
            Code::LegacyEncoding => (
                "Văn bản có vẻ dùng bảng mã cũ (TCVN3/VNI)",
                "Text looks like a legacy encoding (TCVN3/VNI)",
            ),
            Code::SplitWord => (
                "Chữ bị tách bởi dấu cách thừa",
                "Word split by a stray space",
            ),
            Code::MixedToneMarks => (
                "Cách đặt dấu thanh không thống nhất",
                "Mixed tone-mark placement",
            ),
            Code::BreakdownMismatch => (
                "Số liệu thành phần không khớp tổng",
                "Breakdown does not add up",
            ),
            Code::ImageTooLarge => ("Tệp ảnh quá nặng", "Image file too large"),
            Code::LongTitle => ("Tiêu đề quá dài", "Title too long"),
            Code::LostUrl => (
                "Một địa chỉ đã công bố bị mất",
                "A published URL disappeared",
            ),
            Code::ImageUnreadable => ("Không đọc được tệp ảnh", "Image file cannot be read"),
            Code::PlaceholderBaseUrl => (
                "Địa chỉ trang (base_url) vẫn là địa chỉ tạm",
                "base_url is still a placeholder",
            ),
            Code::ForeignOutput => (
                "Thư mục xuất có tệp không do dienhinh ghi",
                "Output folder holds files dienhinh did not write",
            ),
            Code::OutputIsLink => (
                "Thư mục xuất là một liên kết (symlink)",
                "Output folder is a symbolic link",
            ),
            Code::OutputPlacement => (
                "Thư mục xuất trùng với tệp của trang",
                "Output folder overlaps the site's files",
            ),
            Code::BuildRunning => (
                "Một lần dựng trang khác đang chạy",
                "Another build is running",
            ),
            Code::NotASite => (
                "Thư mục này không phải một trang dienhinh",
                "This folder is not a dienhinh site",
            ),
            Code::HostLimit => (
                "Vượt giới hạn của nơi đăng trang",
                "Past a limit of the host",
            ),
            Code::ImageTooManyPixels => ("Ảnh quá nhiều điểm ảnh", "Photo has too many pixels"),
            Code::SheetUnreadable => (
                "Không đọc hoặc ghi được bảng tính",
                "Spreadsheet cannot be read or written",
            ),
            Code::SheetTooLarge => (
                "Bảng tính vượt giới hạn nhập",
                "Spreadsheet past the import limits",
            ),
            Code::SheetHeader => (
                "Không nhận ra dòng tiêu đề hoặc cột",
                "Header row or column not recognised",
            ),
            Code::SheetValue => ("Giá trị ô không hợp lệ", "Cell value not valid"),
            Code::SheetDuplicate => (
                "Dòng trùng với tài liệu đã có",
                "Row matches an existing document",
            ),
            Code::SheetInferred => (
                "Giá trị do lệnh nhập tự điền",
                "Value filled in by the import",
            ),
            Code::SheetLegacyText => (
                "Ô dùng bảng mã cũ đã được chuyển",
                "Legacy-encoded cells converted",
            ),
            Code::SheetFormula => (
                "Ô có công thức hoặc liên kết ngoài",
                "Formula or external link in a cell",
            ),
            Code::SheetMap => (
                "Lỗi trong tệp ánh xạ cột",
                "Error in the column mapping file",
            ),
            Code::ExportFilter => ("Bộ lọc báo cáo không dùng được", "Report filter not usable"),
            Code::MissingLogo => ("Không dùng được logo", "Logo not usable"),
            Code::Option => (
                "Giá trị tùy chọn không tìm thấy",
                "Option value names nothing",
            ),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Words for the editor in both languages dienhinh speaks. A problem is
/// found long before anyone knows who will read about it (the terminal, the
/// browser overlay of `serve`, a tool reading JSON), so both are kept and
/// the language is chosen only when the report is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text(
    // Boxed: a diagnostic holds three of these and travels in `Result`s.
    Box<Both>,
);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Both {
    vi: String,
    en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self(Box::new(Both {
            vi: vi.into(),
            en: en.into(),
        }))
    }

    /// Text that is not ours to translate, such as an operating-system
    /// error or a message from a library we could not recognise: shown as
    /// it is in either language. Deliberately not a `From` impl, so that
    /// English cannot slip into a Vietnamese report unnoticed.
    pub fn untranslated(text: impl Into<String>) -> Self {
        let text = text.into();
        Self::new(text.clone(), text)
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.0.vi,
            Lang::En => &self.0.en,
        }
    }

    pub fn vi(&self) -> &str {
        &self.0.vi
    }

    pub fn en(&self) -> &str {
        &self.0.en
    }

    /// Whether the two languages say it differently, i.e. somebody wrote
    /// the Vietnamese. Tests use it to find messages left in English only.
    pub fn is_translated(&self) -> bool {
        self.0.vi != self.0.en
    }
}

/// `tr!("…vi…", "…en…")`: a [`Text`] in both languages, each a format
/// string; names in braces are captured from the surrounding code, and any
/// further arguments are given to both.
#[macro_export]
macro_rules! tr {
    ($vi:literal, $en:literal $(,)?) => {
        $crate::diagnostic::Text::new(
            ::std::fmt::format(::std::format_args!($vi)),
            ::std::fmt::format(::std::format_args!($en)),
        )
    };
    ($vi:literal, $en:literal, $($arg:tt)+) => {
        $crate::diagnostic::Text::new(
            ::std::fmt::format(::std::format_args!($vi, $($arg)+)),
            ::std::fmt::format(::std::format_args!($en, $($arg)+)),
        )
    };
}

/// One problem, located in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: Text,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// What was expected at the marked place.
    pub label: Option<Text>,
    /// How to fix it.
    pub help: Option<Text>,
    location: Option<Arc<Location>>,
}

#[derive(Debug)]
struct Location {
    named: NamedSource<Arc<str>>,
    source: Arc<str>,
    offset: usize,
    len: usize,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: Text) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message,
            file: file.into(),
            label: None,
            help: None,
            location: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: Text) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, message)
        }
    }

    /// Point at `len` bytes from `offset` in the file's full text.
    pub fn at(mut self, source: &Arc<str>, offset: usize, len: usize) -> Self {
        let offset = offset.min(source.len());
        self.location = Some(Arc::new(Location {
            // The name is shown on terminals: no escape sequences through it.
            named: NamedSource::new(
                crate::core::escape::for_terminal(&self.file),
                Arc::clone(source),
            ),
            source: Arc::clone(source),
            offset,
            len: len.min(source.len() - offset),
        }));
        self
    }

    pub fn label(mut self, label: Text) -> Self {
        self.label = Some(label);
        self
    }

    pub fn help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    pub fn help_opt(self, help: Option<Text>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column in the file, when the problem has a place.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.location
            .as_ref()
            .map(|l| line_col(&l.source, l.offset))
    }

    /// `file:line:col`, the form editors and terminals recognise, with
    /// control characters in the file name escaped.
    pub fn position(&self) -> String {
        let file = crate::core::escape::for_terminal(&self.file);
        match self.line_col() {
            Some((l, c)) => format!("{file}:{l}:{c}"),
            None => file.into_owned(),
        }
    }
}

/// A diagnostic as kept between runs (`build/unchanged.rs` shows the last
/// build's warnings again without reading the site): the same fields, the
/// text it points into stored once per file in a [`Sources`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    severity: Severity,
    code: Code,
    /// Vietnamese, then English.
    message: (String, String),
    file: String,
    label: Option<(String, String)>,
    help: Option<(String, String)>,
    /// The source's number in its [`Sources`], offset and length.
    at: Option<(usize, usize, usize)>,
}

/// The texts recorded diagnostics point into, each once (a file with many
/// warnings is stored a single time), and each only up to a few lines past
/// the last place pointed at: the lines before give the line numbers and
/// the code frame its context, and the rest of a file is not needed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Sources {
    texts: Vec<String>,
    /// The text stored last, as the diagnostics share it.
    #[serde(skip)]
    last: Option<Arc<str>>,
}

/// Lines kept past a place pointed at: more than a code frame shows.
const LINES_AFTER: usize = 3;

impl Sources {
    fn number(&mut self, source: &Arc<str>, end: usize) -> usize {
        // The diagnostics of one file come together and share its text:
        // a text is compared with the last one stored only, so a long run
        // of warnings costs no quadratic search.
        let same = self
            .last
            .as_ref()
            .is_some_and(|l| Arc::ptr_eq(l, source) || **l == **source);
        if !same {
            self.texts.push(String::new());
            self.last = Some(Arc::clone(source));
        }
        let upto = lines_past(source, end);
        if let Some(kept) = self.texts.last_mut().filter(|k| upto > k.len()) {
            *kept = source[..upto].to_string();
        }
        self.texts.len() - 1
    }

    /// The texts, ready to be pointed into again.
    pub fn into_shared(self) -> Vec<Arc<str>> {
        self.texts.into_iter().map(Arc::from).collect()
    }
}

/// The end of the [`LINES_AFTER`]th line after byte `end` of `text` (or
/// of the text).
fn lines_past(text: &str, end: usize) -> usize {
    let mut at = end.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    for _ in 0..=LINES_AFTER {
        match text[at..].find('\n') {
            Some(n) => at += n + 1,
            None => return text.len(),
        }
    }
    at
}

fn both(t: &Text) -> (String, String) {
    (t.vi().to_string(), t.en().to_string())
}

impl Diagnostic {
    /// This diagnostic as kept between runs, its text added to `sources`.
    pub fn record(&self, sources: &mut Sources) -> Recorded {
        Recorded {
            severity: self.severity,
            code: self.code,
            message: both(&self.message),
            file: self.file.clone(),
            label: self.label.as_ref().map(both),
            help: self.help.as_ref().map(both),
            at: self
                .location
                .as_ref()
                .map(|l| (sources.number(&l.source, l.offset + l.len), l.offset, l.len)),
        }
    }
}

impl Recorded {
    /// The diagnostic again; `None` when it points past its sources (a
    /// record not written by [`Diagnostic::record`]).
    pub fn restore(self, sources: &[Arc<str>]) -> Option<Diagnostic> {
        let text = |(vi, en): (String, String)| Text::new(vi, en);
        let mut d = Diagnostic {
            severity: self.severity,
            code: self.code,
            message: text(self.message),
            file: self.file,
            label: self.label.map(text),
            help: self.help.map(text),
            location: None,
        };
        if let Some((n, offset, len)) = self.at {
            let source = sources.get(n)?;
            if offset + len > source.len()
                || !source.is_char_boundary(offset)
                || !source.is_char_boundary(offset + len)
            {
                return None;
            }
            d = d.at(source, offset, len);
        }
        Some(d)
    }
}

/// `file:line:col — message` in English, for developers (test failures,
/// debugging). What editors read goes through [`render_report_in`],
/// [`to_json`] or [`Diagnostic::in_lang`], which choose the language.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {}", self.position(), self.message.en())
    }
}

impl std::error::Error for Diagnostic {}

impl Diagnostic {
    /// `file:line:col — title: message` in `lang`, on one line.
    pub fn in_lang(&self, lang: Lang) -> impl fmt::Display + '_ {
        Titled { d: self, lang }
    }
}

/// Renders diagnostics for a terminal (with colour) or a log (without),
/// followed by a summary line that counts them.
pub fn render_report(diagnostics: &[Diagnostic], color: bool) -> String {
    render_report_in(diagnostics, color, Lang::Vi)
}

/// [`render_report`] with each problem titled in `lang`.
pub fn render_report_in(diagnostics: &[Diagnostic], color: bool, lang: Lang) -> String {
    render(diagnostics, color, lang, None)
}

/// How many problems of one code a report shows in full before it only
/// counts the rest: a site migrated without ids has thousands of identical
/// warnings, and ten thousand code frames hide everything else (and take
/// seconds to print).
pub const SHOWN_PER_CODE: usize = 5;

/// [`render_report_in`], but each code beyond its first [`SHOWN_PER_CODE`]
/// problems gets one line with the count and `see_all`, the way to list
/// them all (a flag or a command, in both languages). The rest are not
/// rendered at all.
pub fn render_report_brief(
    diagnostics: &[Diagnostic],
    color: bool,
    lang: Lang,
    see_all: &Text,
) -> String {
    render(diagnostics, color, lang, Some(see_all))
}

fn render(diagnostics: &[Diagnostic], color: bool, lang: Lang, brief: Option<&Text>) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Wrapped lines suit a terminal; logs and tools want one line per message.
    let width = if color { 100 } else { 400 };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    // Codes in order of first appearance, with how many of each were seen.
    let mut counts: Vec<(Code, usize)> = Vec::new();
    for d in diagnostics {
        let seen = match counts.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                counts.push((d.code, 1));
                1
            }
        };
        if brief.is_some() && seen > SHOWN_PER_CODE {
            continue;
        }
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &Titled { d, lang });
        out.push('\n');
    }
    if let Some(see_all) = brief {
        for &(code, n) in counts.iter().filter(|(_, n)| *n > SHOWN_PER_CODE) {
            out.push_str(&not_shown_line(code, n, lang, see_all));
            out.push('\n');
        }
    }
    out.push_str(&summary_line_in(diagnostics, lang));
    out.push('\n');
    out
}

/// `DH021 No permanent id: 12 times, the first 5 shown above; …`
fn not_shown_line(code: Code, n: usize, lang: Lang, see_all: &Text) -> String {
    let (id, title, shown, how) = (
        code.as_str(),
        code.title(lang),
        SHOWN_PER_CODE,
        see_all.get(lang),
    );
    let line = tr!(
        "{id} {title}: {n} lần, chỉ in {shown} lần đầu ở trên; {how}",
        "{id} {title}: {n} times, only the first {shown} shown above; {how}"
    );
    line.get(lang).to_string()
}

pub fn summary_line(diagnostics: &[Diagnostic]) -> String {
    summary_line_in(diagnostics, Lang::Vi)
}

pub fn summary_line_in(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match lang {
        Lang::Vi => format!("{errors} lỗi (errors), {warnings} cảnh báo (warnings)"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}

/// One diagnostic as data for tools (`check --format json`).
pub fn to_json(d: &Diagnostic, lang: Lang) -> serde_json::Value {
    let (line, column) = d.line_col().unzip();
    let source_line = d.location.as_ref().and_then(|l| {
        let start = l.source[..l.offset].rfind('\n').map_or(0, |i| i + 1);
        l.source[start..].lines().next().map(str::to_owned)
    });
    serde_json::json!({
        "severity": d.severity,
        "code": d.code.as_str(),
        "lang": lang.code(),
        "title": d.code.title(lang),
        "message": d.message.get(lang),
        "file": d.file,
        "line": line,
        "column": column,
        "source_line": source_line,
        "label": d.label.as_ref().map(|t| t.get(lang)),
        "help": d.help.as_ref().map(|t| t.get(lang)),
    })
}

/// A diagnostic shown with its code's title in the reader's language:
/// `file:line:col — title: message`.
struct Titled<'a> {
    d: &'a Diagnostic,
    lang: Lang,
}

impl fmt::Debug for Titled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Titled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} — {}: {}",
            self.d.position(),
            self.d.code.title(self.lang),
            self.d.message.get(self.lang)
        )
    }
}

impl std::error::Error for Titled<'_> {}

impl miette::Diagnostic for Titled<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h.get(self.lang)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.d
            .location
            .as_ref()
            .map(|l| &l.named as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.d.location.as_ref()?;
        let label = self.d.label.as_ref().map(|t| t.get(self.lang).to_owned());
        let span = LabeledSpan::new(label, loc.offset, loc.len);
        Some(Box::new(std::iter::once(span)))
    }
}

/// The first key written twice in one mapping of the YAML at
/// `text[yaml_start..]` (`yaml`), as an error at the second one: serde
/// would only say the mapping holds it and point at its start. Front
/// matter and `site.yaml` both ask here.
pub fn duplicate_key(
    rel: &str,
    text: &Arc<str>,
    yaml_start: usize,
    yaml: &str,
) -> Option<Diagnostic> {
    if !crate::frontmatter::may_repeat_a_key(yaml) {
        return None;
    }
    let index = crate::frontmatter::SpanIndex::build(yaml);
    let (key, range) = index.first_duplicate()?;
    let start = yaml_start + crate::frontmatter::char_to_byte(yaml, range.start);
    let name = key.rsplit('.').next().unwrap_or(key);
    Some(
        Diagnostic::error(
            Code::UnknownKey,
            rel,
            crate::tr!(
                "khóa `{name}` được viết hai lần",
                "key `{name}` is written twice"
            ),
        )
        .at(text, start, name.len())
        .label(crate::tr!("lần thứ hai", "second time"))
        .help(crate::tr!(
            "giữ lại một trong hai dòng; trong YAML mỗi khóa chỉ được viết một lần trong một khối",
            "keep one of the two lines; YAML allows each key once per block"
        )),
    )
}

/// Turns a serde_yaml message into a diagnostic with a useful suggestion.
pub fn yaml_diagnostic(rel: &str, text: &Arc<str>, raw: &str, offset: usize) -> Diagnostic {
    let msg = clean_serde_message(raw);
    let (code, label, help) = if let Some(unknown) = between(&msg, "unknown field `", "`") {
        let expected = expected_names(&msg);
        let help = match closest(unknown, expected.iter().copied()) {
            Some(s) => tr!(
                "có phải ý bạn là `{s}`? Khóa lạ không được chấp nhận để lỗi gõ không bị bỏ qua trong im lặng",
                "did you mean `{s}`? Unknown keys are refused so that typos do not vanish silently"
            ),
            None => {
                let list = expected.join(", ");
                tr!("các khóa dùng được ở đây: {list}", "allowed keys here: {list}")
            }
        };
        (
            Code::UnknownKey,
            tr!("khóa lạ `{unknown}`", "unknown key `{unknown}`"),
            help,
        )
    } else if let Some(value) = between(&msg, "unknown variant `", "`") {
        // A setting that takes one of a few words (`share_cards`, `feeds`,
        // `embeds` in site.yaml): name the closest and list them all.
        // src/config.rs reports it as an error in site.yaml.
        let allowed = variant_names(&msg);
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match closest(value, allowed.iter().copied()) {
            Some(s) => tr!(
                "có phải ý bạn là `{s}`? Các giá trị dùng được: {list}",
                "did you mean `{s}`? The values allowed: {list}"
            ),
            None => tr!(
                "các giá trị dùng được: {list}",
                "the values allowed: {list}"
            ),
        };
        (
            Code::WrongType,
            tr!("không phải giá trị được phép", "not an allowed value"),
            help,
        )
    } else if let Some(missing) = between(&msg, "missing field `", "`") {
        (
            Code::MissingField,
            tr!("cần có `{missing}`", "`{missing}` is required"),
            tr!(
                "thêm một dòng `{missing}: …` vào phần đầu",
                "add a line `{missing}: …` to the front matter"
            ),
        )
    } else if msg.contains("while scanning")
        || msg.contains("while parsing")
        || msg.contains("did not find expected")
    {
        (
            Code::YamlSyntax,
            tr!("lỗi cú pháp YAML", "YAML syntax error"),
            tr!(
                "kiểm tra thụt lề (dùng dấu cách, không dùng tab), dấu ngoặc kép và ngoặc đã đóng chưa; đặt trong ngoặc kép giá trị có `: ` hoặc bắt đầu bằng `[`, `{{`, `*`, `&`, `!`, `%`, `@` hay dấu huyền `` ` ``",
                "check indentation (spaces, not tabs), closing quotes and brackets, and quote values that contain `: ` or start with `[`, `{{`, `*`, `&`, `!`, `%`, `@` or a backquote"
            ),
        )
    } else if msg.contains("invalid type")
        || msg.contains("invalid value")
        || msg.contains("expected")
    {
        (
            Code::WrongType,
            tr!("sai kiểu giá trị", "wrong kind of value"),
            tr!(
                "kiểm tra dạng của giá trị: chữ, số, danh sách (`[a, b]`) hay nhóm khóa (`{{khóa: giá trị}}`)",
                "check the value's form: text, a number, a list (`[a, b]`) or a mapping (`{{key: value}}`)"
            ),
        )
    } else {
        (
            Code::YamlSyntax,
            tr!("lỗi cú pháp YAML", "YAML syntax error"),
            tr!(
                "kiểm tra thụt lề (dùng dấu cách, không dùng tab); đặt trong ngoặc kép giá trị có `:` hoặc bắt đầu bằng `[`, `{{`, `*`, `&`, `!`, `%`, `@` hay dấu huyền `` ` ``",
                "check indentation (spaces, not tabs), and quote values that contain `:` or start with `[`, `{{`, `*`, `&`, `!`, `%`, `@` or a backquote"
            ),
        )
    };
    let len = text[offset.min(text.len())..]
        .find(['\n', ':', ',', '}'])
        .unwrap_or(1)
        .max(1);
    Diagnostic::error(code, rel, serde_text(&msg))
        .at(text, offset, len)
        .label(label)
        .help(help)
}

/// The values serde lists after an unknown variant: "expected `a` or `b`",
/// "expected one of `a`, `b`, `c`".
fn variant_names(msg: &str) -> Vec<&str> {
    msg.split_once("expected one of ")
        .or_else(|| msg.split_once("expected "))
        .map(|(_, l)| {
            l.split(", ")
                .flat_map(|s| s.split(" or "))
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
}

/// The names after "expected one of" (or "expected") in a serde message.
fn expected_names(msg: &str) -> Vec<&str> {
    msg.split_once("expected one of ")
        .or_else(|| msg.split_once("expected "))
        .map(|(_, l)| {
            l.split(", ")
                .map(|s| s.trim_matches('`'))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
}

/// serde_yaml appends " at line L column C"; diagnostics show the place
/// themselves, so drop it from the message.
pub fn clean_serde_message(msg: &str) -> String {
    // Positions inside the message are relative to the front matter, not
    // the file, so they would mislead: remove every " at line L column C".
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .map_or(after.len(), |(j, _)| j);
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

/// A serde or YAML parser message (already without positions) in both
/// languages: serde's few sentence shapes and the common YAML syntax errors
/// are put into Vietnamese; anything else is shown as the parser wrote it.
pub fn serde_text(msg: &str) -> Text {
    if let Some(name) = between(msg, "unknown field `", "`") {
        let vi = match msg
            .split_once("expected one of ")
            .or_else(|| msg.split_once("expected "))
        {
            Some((_, list)) => format!("không có khóa `{name}`; các khóa dùng được: {list}"),
            None => format!("không có khóa `{name}` ở đây"),
        };
        return Text::new(vi, msg);
    }
    if let Some(name) = between(msg, "missing field `", "`") {
        return Text::new(format!("thiếu khóa `{name}`"), msg);
    }
    if let Some(name) = between(msg, "duplicate field `", "`") {
        return Text::new(format!("khóa `{name}` được viết hai lần"), msg);
    }
    if let Some(name) = between(msg, "unknown variant `", "`") {
        // serde_yaml puts the path of the value first: `feeds.places: …`.
        let path = &msg[..msg.find("unknown variant `").unwrap_or(0)];
        let vi = match msg
            .split_once("expected one of ")
            .or_else(|| msg.split_once("expected "))
        {
            Some((_, list)) => format!(
                "{path}`{name}` không phải giá trị được phép; chọn một trong: {}",
                list.replace(" or ", " hoặc ")
            ),
            None => format!("{path}`{name}` không phải giá trị được phép"),
        };
        return Text::new(vi, msg);
    }
    // serde_yaml puts the path of the value first: `tags[0]: invalid type: …`.
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some((path, found, expected)) = msg.find(kind).and_then(|i| {
            let (found, expected) = msg[i + kind.len()..].rsplit_once(", expected ")?;
            Some((&msg[..i], found, expected))
        }) {
            let vi = format!(
                "{path}sai kiểu giá trị: đây là {}, cần {}",
                found_vi(found),
                expected_vi(expected)
            );
            return Text::new(vi, msg);
        }
    }
    match yaml_syntax_vi(msg) {
        Some(vi) => Text::new(format!("lỗi cú pháp YAML: {vi}"), msg),
        None => Text::untranslated(msg),
    }
}

/// Serde's description of the value it found ("string \"x\"", "integer `5`").
fn found_vi(found: &str) -> String {
    let kinds = [
        ("string ", "chữ "),
        ("integer ", "số "),
        ("floating point ", "số "),
        ("boolean ", "giá trị đúng/sai "),
        ("character ", "ký tự "),
    ];
    for (en, vi) in kinds {
        if let Some(value) = found.strip_prefix(en) {
            return format!("{vi}{value}");
        }
    }
    match found {
        "sequence" => "một danh sách".to_string(),
        "map" => "một nhóm khóa".to_string(),
        "unit value" => "một giá trị để trống".to_string(),
        other => format!("`{other}`"),
    }
}

/// Serde's description of what was wanted ("u32", "a sequence", "struct X").
fn expected_vi(expected: &str) -> String {
    let vi = match expected {
        "a string" | "string" => "chữ",
        // The two text fields that read by hand (src/schema.rs).
        "text or a number" => "chữ hoặc số",
        "a name, or {name, role}" => "một tên, hoặc {name, role}",
        "u8" | "u16" | "u32" | "u64" | "usize" => "một số nguyên không âm",
        "i8" | "i16" | "i32" | "i64" | "isize" => "một số nguyên",
        "f32" | "f64" => "một số",
        "a boolean" => "`true` hoặc `false`",
        "a sequence" => "một danh sách",
        "a map" => "một nhóm khóa",
        e if e.starts_with("struct ") || e.starts_with("a map") => "một nhóm khóa",
        e if e.starts_with("a sequence") || e.starts_with("a list") => "một danh sách",
        other => return format!("`{other}`"),
    };
    vi.to_string()
}

/// The common YAML syntax errors of libyaml, said plainly.
fn yaml_syntax_vi(msg: &str) -> Option<&'static str> {
    let known: [(&str, &str); 12] = [
        (
            "control characters are not allowed",
            "tệp có ký tự điều khiển (không in ra được); hãy xóa nó đi",
        ),
        ("quoted scalar", "dấu ngoặc kép chưa được đóng"),
        (
            "found a tab character",
            "có ký tự tab; YAML chỉ thụt lề bằng dấu cách",
        ),
        (
            "mapping values are not allowed",
            "có dấu `: ` ở chỗ không được phép; hãy đặt giá trị đó trong ngoặc kép",
        ),
        (
            "did not find expected key",
            "thụt lề không đúng: dòng này không bắt đầu bằng một khóa",
        ),
        (
            "did not find expected ',' or ']'",
            "danh sách trong `[ ]` thiếu dấu phẩy hoặc chưa đóng ngoặc",
        ),
        (
            "did not find expected ',' or '}'",
            "nhóm trong `{ }` thiếu dấu phẩy hoặc chưa đóng ngoặc",
        ),
        (
            "did not find expected '-' indicator",
            "thụt lề danh sách không đúng: cần dòng bắt đầu bằng `-`",
        ),
        (
            "cannot start any token",
            "giá trị bắt đầu bằng một ký tự không được phép; hãy đặt nó trong ngoặc kép",
        ),
        (
            "unknown anchor",
            "tham chiếu `*…` tới một neo `&…` không có",
        ),
        ("recursion limit exceeded", "các khóa lồng nhau quá sâu"),
        (
            "repetition limit exceeded",
            "tham chiếu `*…` lặp lại quá nhiều lần",
        ),
    ];
    known
        .iter()
        .find(|(en, _)| msg.contains(en))
        .map(|(_, vi)| *vi)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Arc<str> {
        Arc::from(text)
    }

    /// Recorded and restored, diagnostics render as they did; a file's
    /// text is stored once, and only a few lines past its last warning.
    #[test]
    fn recorded_diagnostics_render_as_the_originals() {
        let body = "dòng thân bài\n".repeat(500);
        let text = source(&format!("---\ntitle: Hũ gạo\nfield: kinhte\n---\n{body}"));
        let at = text.find("kinhte").unwrap();
        let warnings = vec![
            Diagnostic::warning(
                Code::UnknownVocabulary,
                "content/a.md",
                tr!("lĩnh vực lạ", "odd field"),
            )
            .at(&text, at, 6)
            .label(tr!("đây", "here"))
            .help(tr!("sửa", "fix")),
            Diagnostic::warning(Code::MissingId, "content/a.md", tr!("thiếu id", "no id"))
                .at(&text, 4, 5),
            Diagnostic::warning(Code::Io, "site.yaml", tr!("không đọc được", "unreadable")),
        ];
        let mut sources = Sources::default();
        let recorded: Vec<Recorded> = warnings.iter().map(|w| w.record(&mut sources)).collect();
        let json = serde_json::to_string(&(recorded, sources)).unwrap();
        assert!(
            json.len() < 1_000,
            "the body was stored: {} bytes",
            json.len()
        );
        let (recorded, sources): (Vec<Recorded>, Sources) = serde_json::from_str(&json).unwrap();
        let shared = sources.into_shared();
        assert_eq!(shared.len(), 1, "one text for the file's two warnings");
        let again: Vec<Diagnostic> = recorded
            .into_iter()
            .map(|r| r.restore(&shared).unwrap())
            .collect();
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(
                render_report_in(&again, false, lang),
                render_report_in(&warnings, false, lang)
            );
        }
        assert_eq!(again[0].position(), "content/a.md:3:8");
        // A record pointing past its texts is refused, not trusted.
        let mut sources = Sources::default();
        let r = warnings[0].record(&mut sources);
        assert!(r.restore(&[]).is_none());
    }

    #[test]
    fn tr_captures_names_and_shares_arguments() {
        let name = "kind";
        let t = tr!("thiếu `{name}`", "missing `{name}`");
        assert_eq!((t.vi(), t.en()), ("thiếu `kind`", "missing `kind`"));
        let t = tr!("{n} cấp", "{n} levels", n = 2 + 3);
        assert_eq!(t.get(Lang::Vi), "5 cấp");
        assert_eq!(t.get(Lang::En), "5 levels");
        assert!(t.is_translated());
        assert!(!Text::untranslated("os error 13").is_translated());
    }

    #[test]
    fn serde_messages_are_put_into_vietnamese() {
        let cases = [
            (
                "unknown field `palce`, expected one of `title`, `place`",
                "không có khóa `palce`; các khóa dùng được: `title`, `place`",
            ),
            ("missing field `kind`", "thiếu khóa `kind`"),
            ("duplicate field `title`", "khóa `title` được viết hai lần"),
            (
                "invalid type: string \"hai\", expected u32",
                "sai kiểu giá trị: đây là chữ \"hai\", cần một số nguyên không âm",
            ),
            (
                "invalid type: map, expected a sequence",
                "sai kiểu giá trị: đây là một nhóm khóa, cần một danh sách",
            ),
            (
                "tags[0]: invalid type: sequence, expected a string",
                "tags[0]: sai kiểu giá trị: đây là một danh sách, cần chữ",
            ),
            (
                "results[0].value: invalid type: string \"1e400\", expected f64",
                "results[0].value: sai kiểu giá trị: đây là chữ \"1e400\", cần một số",
            ),
            (
                "unknown variant `x`, expected `a` or `b`",
                "`x` không phải giá trị được phép; chọn một trong: `a` hoặc `b`",
            ),
            (
                "feeds.places: unknown variant `xa`, expected one of `all`, `provinces`, `none`",
                "feeds.places: `xa` không phải giá trị được phép; chọn một trong: `all`, `provinces`, `none`",
            ),
            (
                "while scanning a quoted scalar, found unexpected end of stream",
                "lỗi cú pháp YAML: dấu ngoặc kép chưa được đóng",
            ),
        ];
        for (en, vi) in cases {
            let t = serde_text(en);
            assert_eq!((t.vi(), t.en()), (vi, en));
        }
        // A message we do not know is shown as the library wrote it.
        let t = serde_text("something new");
        assert_eq!((t.vi(), t.en()), ("something new", "something new"));
    }

    #[test]
    fn yaml_errors_say_label_and_help_in_both_languages() {
        let text = source("---\npalce: x\n---\n");
        let d = yaml_diagnostic(
            "a.md",
            &text,
            "unknown field `palce`, expected one of `title`, `place`",
            4,
        );
        assert_eq!(d.code, Code::UnknownKey);
        for t in [
            &d.message,
            d.label.as_ref().unwrap(),
            d.help.as_ref().unwrap(),
        ] {
            assert!(t.is_translated(), "{t:?}");
        }
        assert!(d
            .help
            .as_ref()
            .unwrap()
            .vi()
            .starts_with("có phải ý bạn là `place`?"));
        assert!(d
            .help
            .as_ref()
            .unwrap()
            .en()
            .starts_with("did you mean `place`?"));
    }

    #[test]
    fn a_brief_report_shows_five_of_a_code_then_counts_them() {
        let text = source("---\ntitle: x\n---\n");
        let warn = |file: &str| {
            Diagnostic::warning(Code::MissingId, file, tr!("chưa có id", "no id")).at(&text, 4, 5)
        };
        let mut all: Vec<Diagnostic> = (0..7).map(|i| warn(&format!("m{i}.md"))).collect();
        all.push(Diagnostic::error(Code::Io, "x.md", tr!("hỏng", "broken")));
        let see = tr!("thêm `--verbose`", "add `--verbose`");
        let brief = render_report_brief(&all, false, Lang::En, &see);
        let frames = |r: &str| r.lines().filter(|l| l.trim() == "DH021").count();
        assert_eq!(frames(&brief), 5, "{brief}");
        assert!(
            brief.contains("m4.md") && !brief.contains("m5.md"),
            "{brief}"
        );
        assert!(brief.contains("x.md — File cannot be read or written: broken"));
        assert!(brief.contains(
            "DH021 No permanent id: 7 times, only the first 5 shown above; add `--verbose`"
        ));
        assert!(brief.ends_with("1 error, 7 warnings\n"), "{brief}");
        let vi = render_report_brief(&all, false, Lang::Vi, &see);
        assert!(vi.contains(
            "DH021 Thiếu mã cố định (id): 7 lần, chỉ in 5 lần đầu ở trên; thêm `--verbose`"
        ));
        let full = render_report_in(&all, false, Lang::En);
        assert_eq!(frames(&full), 7);
        assert!(!full.contains("times, only"));
    }

    #[test]
    fn the_report_speaks_the_language_asked_for() {
        let text = source("---\ndate: 15/10/2019\n---\n");
        let d = Diagnostic::error(
            Code::BadDate,
            "a.md",
            tr!(
                "`15/10/2019` không phải là ngày hợp lệ",
                "`15/10/2019` is not a valid date"
            ),
        )
        .at(&text, 10, 10)
        .label(tr!("cần dạng YYYY-MM-DD", "expected YYYY-MM-DD"))
        .help(tr!("viết `2019-10-15`", "write `2019-10-15`"));
        let vi = render_report_in(std::slice::from_ref(&d), false, Lang::Vi);
        let en = render_report_in(std::slice::from_ref(&d), false, Lang::En);
        for (report, want, unwanted) in [
            (
                &vi,
                ["không phải là ngày hợp lệ", "cần dạng", "viết `2019-10-15`"],
                "write",
            ),
            (
                &en,
                ["is not a valid date", "expected YYYY", "write `2019-10-15`"],
                "viết",
            ),
        ] {
            for w in want {
                assert!(report.contains(w), "`{w}` missing in:\n{report}");
            }
            assert!(!report.contains(unwanted), "{report}");
        }
        assert!(vi.contains("a.md:2:7"), "{vi}");

        let json = to_json(&d, Lang::Vi);
        assert_eq!(json["lang"], "vi");
        assert_eq!(json["message"], "`15/10/2019` không phải là ngày hợp lệ");
        assert_eq!(json["label"], "cần dạng YYYY-MM-DD");
        assert_eq!(json["help"], "viết `2019-10-15`");
        assert_eq!(to_json(&d, Lang::En)["help"], "write `2019-10-15`");

        assert_eq!(
            d.in_lang(Lang::Vi).to_string(),
            "a.md:2:7 — Ngày tháng không hợp lệ: `15/10/2019` không phải là ngày hợp lệ"
        );
        assert_eq!(d.to_string(), "a.md:2:7 — `15/10/2019` is not a valid date");
    }
}
