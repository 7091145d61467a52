//! The theme: templates, interface strings and static files.
//!
//! The default theme is compiled into the binary so `dienhinh` works from
//! anywhere; a site overrides any file by placing one of the same name in
//! `themes/<theme>/templates/`, `…/i18n/` or `…/static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::core::xml::xml_escape;
use crate::diagnostic::{serde_text, Code, Diagnostic, Text};
use crate::text::fnv1a;
use crate::tr;

/// The built-in templates: every file of `themes/default/templates/` (as
/// `build.rs` lists them), by its path there. docs/theming.md lists each
/// one and what it is given.
const BUILT_IN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The files of a theme's `templates/` folder read as templates; anything
/// else there (an editor's backup `base.html~`, a README) is left alone.
const TEMPLATE_EXTENSIONS: [&str; 4] = ["html", "htm", "xml", "txt"];

const I18N_VI: &str = include_str!("../themes/default/i18n/vi.yaml");
const I18N_EN: &str = include_str!("../themes/default/i18n/en.yaml");
const STYLE_CSS: &str = include_str!("../themes/default/static/style.css");

pub struct Theme {
    pub tera: tera::Tera,
    /// Interface strings for the site's language.
    pub strings: BTreeMap<String, String>,
    /// Site-relative path of the stylesheet, named by its content hash.
    pub css_path: String,
    pub css: String,
    /// Extra static files of the site's theme folder: (file, site-relative path).
    pub static_files: Vec<(PathBuf, String)>,
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(&config.theme);
        let (tera, mut diagnostics) = templates(&theme_dir, &config.theme);
        let strings = strings(root, config).unwrap_or_else(|(built_in, d)| {
            diagnostics.push(d);
            built_in
        });
        let css = std::fs::read_to_string(theme_dir.join("static").join("style.css"))
            .unwrap_or_else(|_| STYLE_CSS.to_string());
        let css_path = format!("style.{:016x}.css", fnv1a(css.as_bytes()));
        let static_files = list_files(&theme_dir.join("static"))
            .into_iter()
            .filter(|(_, rel)| rel != "style.css")
            .collect();
        if diagnostics.is_empty() {
            Ok(Theme {
                tera,
                strings,
                css_path,
                css,
                static_files,
            })
        } else {
            Err(diagnostics)
        }
    }
}

/// The interface strings in the site's language: the built-in ones with
/// the theme's `i18n/<lang>.yaml` over them. When the theme's file does not
/// parse, the error and the built-in strings.
pub fn strings(
    root: &Path,
    config: &Config,
) -> Result<BTreeMap<String, String>, (BTreeMap<String, String>, Diagnostic)> {
    let (default_strings, file) = match config.lang {
        crate::core::Lang::Vi => (I18N_VI, "vi.yaml"),
        crate::core::Lang::En => (I18N_EN, "en.yaml"),
    };
    let mut strings: BTreeMap<String, String> =
        serde_yaml::from_str(default_strings).expect("built-in strings parse");
    let own_strings = root
        .join("themes")
        .join(&config.theme)
        .join("i18n")
        .join(file);
    let Ok(text) = std::fs::read_to_string(&own_strings) else {
        return Ok(strings);
    };
    match serde_yaml::from_str::<BTreeMap<String, String>>(&text) {
        Ok(own) => {
            strings.extend(own);
            Ok(strings)
        }
        Err(e) => Err((
            strings,
            Diagnostic::error(
                Code::Config,
                format!("themes/{}/i18n/{file}", config.theme),
                serde_text(&crate::diagnostic::clean_serde_message(&e.to_string())),
            ),
        )),
    }
}

/// A Tera ready for the templates: HTML escaping for `.html` and `.htm`
/// only (feeds and the sitemap escape with `escape_xml`, robots.txt needs
/// none), and `escape_xml` made to also drop what XML 1.0 forbids (a
/// control character pasted into a title would make the feed unreadable).
fn new_tera() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".htm"]);
    tera.register_filter("escape_xml", |s: &str, _: tera::Kwargs, _: &tera::State| {
        xml_escape(s)
    });
    tera
}

/// The built-in templates with the theme's own over them (any file under
/// its `templates/`, so a theme may also add partials and macros), and one
/// diagnostic per broken file.
fn templates(theme_dir: &Path, theme: &str) -> (tera::Tera, Vec<Diagnostic>) {
    let folder = format!("themes/{theme}/templates");
    let mut diagnostics = Vec::new();
    let mut sources: BTreeMap<String, Arc<str>> = BUILT_IN
        .iter()
        .map(|(name, body)| ((*name).to_string(), Arc::from(*body)))
        .collect();
    let mut own = Vec::new();
    for (file, name) in list_files(&theme_dir.join("templates")) {
        let ext = Path::new(&name).extension().and_then(|e| e.to_str());
        if !ext.is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e)) {
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(text) => {
                // Alone, a template can only fail on its own syntax.
                match new_tera().add_raw_template(&name, &text) {
                    Err(e) if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) => {
                        let text: Arc<str> = Arc::from(text);
                        diagnostics.push(template_error(&format!("{folder}/{name}"), &e, &text));
                    }
                    _ => {
                        sources.insert(name.clone(), Arc::from(text));
                        own.push(name);
                    }
                }
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                Code::Io,
                format!("{folder}/{name}"),
                tr!("không đọc được: {e}", "cannot read: {e}"),
            )),
        }
    }
    let mut tera = new_tera();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n, &**t))) {
        // Each file parses: what is wrong is between them (a parent or an
        // include that does not exist, a loop). Tera names the template.
        let name = match e.kind() {
            tera::ErrorKind::MissingParent { current, .. } => Some(current),
            tera::ErrorKind::CircularExtend { tpl, .. }
            | tera::ErrorKind::CircularInclude { tpl, .. } => Some(tpl),
            _ => None,
        };
        let file = match name.filter(|n| own.contains(n)) {
            Some(n) => format!("{folder}/{n}"),
            None => folder,
        };
        diagnostics.push(template_error(&file, &e, &Arc::from("")));
    }
    (tera, diagnostics)
}

/// A template that cannot be loaded, at the place Tera points to.
fn template_error(file: &str, e: &tera::Error, text: &Arc<str>) -> Diagnostic {
    let (message, span) = match e.kind() {
        tera::ErrorKind::SyntaxError(report) => (report.message().to_string(), Some(report.span())),
        _ => (e.to_string(), None),
    };
    let d = Diagnostic::error(Code::Template, file, Text::untranslated(message)).help(tr!(
        "sửa cú pháp mẫu giao diện; các mẫu của giao diện mặc định cho thấy những biến dùng được (docs/theming.md)",
        "fix the template syntax; the default theme's templates show the expected variables (docs/theming.md)"
    ));
    match span {
        Some(span) if !text.is_empty() => {
            let len = span.range.end.saturating_sub(span.range.start).max(1);
            d.at(text, span.range.start, len)
        }
        _ => d,
    }
}

/// Every regular file under `dir` with its `/`-separated relative path,
/// sorted; symbolic links are skipped so nothing outside the site is copied.
pub fn list_files(dir: &Path) -> Vec<(PathBuf, String)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = crate::load::rel_path(dir, e.path());
            (e.into_path(), rel)
        })
        .collect()
}
