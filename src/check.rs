//! `dienhinh check`: everything `build` validates (pages are rendered in
//! memory, so template errors show too), plus internal links and editor
//! lints. Writes nothing.

use crate::build::{self, BuildOptions};
use crate::core::Lang;
use crate::diagnostic::Diagnostic;
use crate::theme::Theme;
use crate::{links, lint, render};

pub struct CheckReport {
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The language chosen, or the site's.
    pub lang: Lang,
    pub models: usize,
    pub ceremonies: usize,
    pub pages: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

pub fn check(opts: &BuildOptions, lang: Option<Lang>) -> CheckReport {
    let (site, mut diagnostics) = match build::assemble(opts) {
        Ok(s) => s,
        Err(f) => {
            return CheckReport {
                diagnostics: f.diagnostics,
                lang: lang.unwrap_or(Lang::Vi),
                models: 0,
                ceremonies: 0,
                pages: 0,
            }
        }
    };
    let lang = lang.unwrap_or(site.config.lang);
    diagnostics.extend(lint::lint(&site));
    // Rendering a site with errors could meet half-resolved references, and
    // `build` would not render it either; links wait for a clean site.
    if !diagnostics.iter().any(Diagnostic::is_error) {
        match Theme::load(&opts.root, &site.config) {
            Ok(theme) => {
                // Each page is rendered, read for what links need, and
                // dropped: the site is never held whole.
                let rendered = std::sync::Mutex::new(Vec::new());
                let errors = render::render_each_to(&site, &theme, &|outputs| {
                    let targets: Vec<_> = outputs.iter().map(links::target).collect();
                    rendered
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(targets);
                });
                diagnostics.extend(errors);
                let copies = build::copies(&site, &theme);
                let published = links::Published::new(
                    rendered.into_inner().unwrap_or_else(|e| e.into_inner()),
                    copies.iter().map(|c| c.to.as_str()),
                );
                diagnostics.extend(links::check(&site, &published));
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line_col(), a.severity, a.code.as_str()).cmp(&(
            b.file.as_str(),
            b.line_col(),
            b.severity,
            b.code.as_str(),
        ))
    });
    CheckReport {
        diagnostics,
        lang,
        models: site.models.len(),
        ceremonies: site.ceremonies.len(),
        pages: site.pages.len(),
    }
}
