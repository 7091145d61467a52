//! Errors and warnings about the site, as data.
//!
//! Every problem found while loading, validating or rendering becomes a
//! [`Diagnostic`] that names its file and, where known, the exact byte span
//! in that file. Stages collect them instead of stopping at the first, so an
//! editor sees every mistake of a run at once.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::config::{clean_serde_message, Lang};
use crate::text::{closest, line_col};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable codes, so that documentation and tools can refer to a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
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
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// One problem, located in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// What was expected at the marked place.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
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
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.into(),
            label: None,
            help: None,
            location: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, message)
        }
    }

    /// Point at `len` bytes from `offset` in the file's full text.
    pub fn at(mut self, source: &Arc<str>, offset: usize, len: usize) -> Self {
        let offset = offset.min(source.len());
        self.location = Some(Arc::new(Location {
            named: NamedSource::new(&self.file, Arc::clone(source)),
            source: Arc::clone(source),
            offset,
            len: len.min(source.len() - offset),
        }));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(self, help: Option<String>) -> Self {
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

    /// `file:line:col`, the form editors and terminals recognise.
    pub fn position(&self) -> String {
        match self.line_col() {
            Some((l, c)) => format!("{}:{l}:{c}", self.file),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {}", self.position(), self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.as_ref().map(|l| &l.named as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.location.as_ref()?;
        let span = LabeledSpan::new(self.label.clone(), loc.offset, loc.len);
        Some(Box::new(std::iter::once(span)))
    }
}

/// Renders diagnostics for a terminal (with colour) or a log (without),
/// followed by a summary line that counts them.
pub fn render_report(diagnostics: &[Diagnostic], color: bool) -> String {
    render_report_in(diagnostics, color, Lang::Vi)
}

/// [`render_report`] with each problem titled in `lang`.
pub fn render_report_in(diagnostics: &[Diagnostic], color: bool, lang: Lang) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Wrapped lines suit a terminal; logs and tools want one line per message.
    let width = if color { 100 } else { 400 };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    for d in diagnostics {
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &Titled { d, lang });
        out.push('\n');
    }
    out.push_str(&summary_line_in(diagnostics, lang));
    out.push('\n');
    out
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
        "title": d.code.title(lang),
        "message": d.message,
        "file": d.file,
        "line": line,
        "column": column,
        "source_line": source_line,
        "label": d.label,
        "help": d.help,
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
            self.d.message
        )
    }
}

impl std::error::Error for Titled<'_> {}

impl miette::Diagnostic for Titled<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::code(self.d)
    }
    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.d)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(self.d)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        miette::Diagnostic::source_code(self.d)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        miette::Diagnostic::labels(self.d)
    }
}

/// Turns a serde_yaml message into a diagnostic with a useful suggestion.
pub fn yaml_diagnostic(rel: &str, text: &Arc<str>, raw: &str, offset: usize) -> Diagnostic {
    let msg = clean_serde_message(raw);
    let (code, label, help) = if let Some(unknown) = between(&msg, "unknown field `", "`") {
        let expected = msg
            .split_once("expected one of ")
            .or_else(|| msg.split_once("expected "))
            .map(|(_, l)| {
                l.split(", ")
                    .map(|s| s.trim_matches('`'))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let help = match closest(unknown, expected.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? Unknown keys are refused so that typos do not vanish silently"
            ),
            None => format!("allowed keys here: {}", expected.join(", ")),
        };
        (Code::UnknownKey, format!("unknown key `{unknown}`"), help)
    } else if let Some(missing) = between(&msg, "missing field `", "`") {
        (
            Code::MissingField,
            format!("`{missing}` is required"),
            format!("add a line `{missing}: …` to the front matter"),
        )
    } else if msg.contains("while scanning")
        || msg.contains("while parsing")
        || msg.contains("did not find expected")
    {
        (
            Code::YamlSyntax,
            "YAML syntax error".to_string(),
            "check indentation (spaces, not tabs), closing quotes and brackets, and quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a backquote".to_string(),
        )
    } else if msg.contains("invalid type")
        || msg.contains("invalid value")
        || msg.contains("expected")
    {
        (
            Code::WrongType,
            "wrong kind of value".to_string(),
            "check the value's form: text, a number, a list (`[a, b]`) or a mapping (`{key: value}`)".to_string(),
        )
    } else {
        (
            Code::YamlSyntax,
            "YAML syntax error".to_string(),
            "check indentation (spaces, not tabs), and quote values that contain `:` or start with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a backquote".to_string(),
        )
    };
    let len = text[offset.min(text.len())..]
        .find(['\n', ':', ','])
        .unwrap_or(1)
        .max(1);
    Diagnostic::error(code, rel, msg)
        .at(text, offset, len)
        .label(label)
        .help(help)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}
