//! `dienhinh check`: everything `build` validates (pages are rendered in
//! memory, so template errors show too), plus internal links and editor
//! lints. Writes nothing.

use std::sync::Mutex;

use crate::core::{Lang, Output};
use crate::diagnostic::Diagnostic;
use crate::output::Copy;
use crate::pipeline::{self, BuildOptions, Mode, Sink, Target};
use crate::render::Job;
use crate::site::Site;
use crate::theme::Theme;
use crate::{links, lint};

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
    let ran = match pipeline::run(opts, &mut Checking) {
        Ok(ran) => ran,
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
    let mut diagnostics = ran.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line_col(), a.severity, a.code.as_str()).cmp(&(
            b.file.as_str(),
            b.line_col(),
            b.severity,
            b.code.as_str(),
        ))
    });
    let site = &ran.site;
    CheckReport {
        diagnostics,
        lang: lang.unwrap_or(site.config.lang),
        models: site.models.len(),
        ceremonies: site.ceremonies.len(),
        pages: site.pages.len(),
    }
}

/// `check`'s side of the pipeline: the lints, and the pages read for
/// what links need.
struct Checking;

impl Target for Checking {
    type Sink = LinkTargets;

    fn mode(&self) -> Mode {
        Mode::Check
    }

    fn linked(&mut self, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.extend(lint::lint(site));
    }

    fn sink(
        &mut self,
        _site: &Site,
        _theme: &Theme,
    ) -> Result<LinkTargets, pipeline::BuildFailure> {
        Ok(LinkTargets(Mutex::new(links::Targets::default())))
    }
}

/// What links need of each page rendered; the page itself is dropped, so
/// the site is never held whole.
struct LinkTargets(Mutex<links::Targets>);

impl Sink for LinkTargets {
    type Made = ();

    fn page(&self, _job: Job, outputs: Vec<Output>) {
        let ids: Vec<Vec<String>> = outputs.iter().map(links::ids_of).collect();
        let mut targets = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (o, ids) in outputs.into_iter().zip(ids) {
            // A short link publishes its document's page: the same anchors.
            for also in o.also {
                targets.add(also, ids.clone());
            }
            targets.add(o.path, ids);
        }
    }

    fn output(
        self,
        site: &Site,
        _theme: &Theme,
        copies: Vec<Copy>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(), pipeline::BuildFailure> {
        let published = links::Published::new(
            self.0.into_inner().unwrap_or_else(|e| e.into_inner()),
            copies.iter().map(|c| c.to.as_str()),
        );
        diagnostics.extend(links::check(site, &published));
        Ok(())
    }
}
