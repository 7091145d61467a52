//! Errors and warnings about the site, as data.
//!
//! Every problem found while loading, validating or rendering becomes a
//! [`Diagnostic`] that names its file and, where known, the exact byte span
//! in that file. Stages collect them instead of stopping at the first, so an
//! editor sees every mistake of a run at once.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::config::clean_serde_message;
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
        let _ = handler.render_report(&mut out, d);
        out.push('\n');
    }
    out.push_str(&summary_line(diagnostics));
    out.push('\n');
    out
}

pub fn summary_line(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("{errors} lỗi (errors), {warnings} cảnh báo (warnings)")
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
