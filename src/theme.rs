//! The theme: templates, interface strings and static files.
//!
//! The default theme is compiled into the binary so `dienhinh` works from
//! anywhere; a site overrides any file by placing one of the same name in
//! `themes/<theme>/templates/`, `…/i18n/` or `…/static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{serde_text, Code, Diagnostic, Text};
use crate::text::fnv1a;
use crate::tr;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "home.html",
    "model.html",
    "ceremony.html",
    "page.html",
    "list.html",
    "404.html",
    "redirect.html",
    "partials/card.html",
    "partials/pager.html",
    "partials/sources.html",
    "partials/breadcrumbs.html",
    "partials/share.html",
    "partials/og.html",
    "embeds.html",
    "taxonomy.html",
    "embed.html",
    "stats.html",
    "search.html",
);

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
        let mut diagnostics = Vec::new();
        let mut tera = tera::Tera::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, body) in TEMPLATES {
            let own = theme_dir.join("templates").join(name);
            let text = match std::fs::read_to_string(&own) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (*body).to_string(),
                Err(e) => {
                    diagnostics.push(Diagnostic::error(
                        Code::Io,
                        own.display().to_string(),
                        tr!("không đọc được: {e}", "cannot read: {e}"),
                    ));
                    (*body).to_string()
                }
            };
            sources.push(((*name).to_string(), text));
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Template,
                    format!("themes/{}/templates", config.theme),
                    Text::untranslated(e.to_string()),
                )
                .help(tr!(
                    "sửa cú pháp mẫu giao diện; các mẫu của giao diện mặc định cho thấy những biến dùng được",
                    "fix the template syntax; the default theme's templates show the expected variables"
                )),
            );
        }
        let (default_strings, file) = match config.lang {
            crate::core::Lang::Vi => (I18N_VI, "vi.yaml"),
            crate::core::Lang::En => (I18N_EN, "en.yaml"),
        };
        let mut strings: BTreeMap<String, String> =
            serde_yaml::from_str(default_strings).expect("built-in strings parse");
        let own_strings = theme_dir.join("i18n").join(file);
        if let Ok(text) = std::fs::read_to_string(&own_strings) {
            match serde_yaml::from_str::<BTreeMap<String, String>>(&text) {
                Ok(own) => strings.extend(own),
                Err(e) => diagnostics.push(Diagnostic::error(
                    Code::Config,
                    format!("themes/{}/i18n/{file}", config.theme),
                    serde_text(&crate::diagnostic::clean_serde_message(&e.to_string())),
                )),
            }
        }
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
