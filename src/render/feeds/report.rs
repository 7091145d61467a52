//! The spreadsheet report ([`crate::sheet::workbook`]) filled from the
//! open-data records, so it shows exactly what `/du-lieu/` publishes, and
//! from the `/thong-ke/` sections, so its counts are the site's.

use std::collections::HashMap;

use super::{CeremonyRecord, ModelRecord};
use crate::render::Renderer;
use crate::sheet::workbook::{By, CeremonySheet, HonoreeRow, ModelRow, RecognitionRow, Report};
use crate::vocab::Vocabulary;

/// A vocabulary id's label (ids in the records always resolve).
fn label(v: &Vocabulary, id: &str) -> String {
    v.resolve(id)
        .map_or_else(|_| id.to_string(), |t| v.term(t).label.clone())
}

impl Renderer<'_> {
    /// The workbook's bytes; an error of the writer (none is expected: every
    /// value is checked first) leaves an empty file rather than no build.
    pub(super) fn report_xlsx(
        &self,
        models: &[ModelRecord],
        ceremonies: &[CeremonyRecord],
        by: Option<By>,
    ) -> Vec<u8> {
        let report = self.report(models, ceremonies, None);
        crate::sheet::workbook::write(&report, by).unwrap_or_default()
    }

    /// The report for `dienhinh export`: the models `kept` (indices into
    /// the site's models; `None` keeps all), the ceremonies that honour one
    /// of them, and the `/thong-ke/` counts of those models.
    pub(in crate::render) fn full_report(&self, kept: Option<&[usize]>) -> Report {
        let (models, ceremonies) = self.open_records();
        let Some(kept) = kept else {
            return self.report(&models, &ceremonies, None);
        };
        let slugs: std::collections::HashSet<&str> =
            kept.iter().map(|&i| models[i].slug.as_str()).collect();
        let ceremonies: Vec<CeremonyRecord> = ceremonies
            .into_iter()
            .filter(|c| {
                c.honorees
                    .iter()
                    .any(|h| h.model.as_deref().is_some_and(|m| slugs.contains(m)))
            })
            .collect();
        self.report(&models, &ceremonies, Some(kept))
    }

    fn report(
        &self,
        models: &[ModelRecord],
        ceremonies: &[CeremonyRecord],
        kept: Option<&[usize]>,
    ) -> Report {
        let all: Vec<usize> = (0..models.len()).collect();
        let kept = kept.unwrap_or(&all);
        let v = &self.site.config.vocab;
        let titles: HashMap<&str, &str> = models
            .iter()
            .map(|m| (m.slug.as_str(), m.title.as_str()))
            .collect();
        let created = self
            .site
            .models
            .iter()
            .map(|m| &m.doc)
            .chain(self.site.ceremonies.iter().map(|c| &c.doc))
            .filter_map(|d| d.date)
            .max()
            .map(|d| (d.year, d.month.max(1), d.day.max(1)));
        Report {
            site: self.site.config.title.clone(),
            created,
            models: kept
                .iter()
                .map(|&i| (&models[i], &self.site.models[i]))
                .map(|(m, model)| ModelRow {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    owner: m.owner.clone(),
                    kind: label(&v.kinds, &m.kind),
                    field: label(&v.fields, &m.field),
                    organizations: m
                        .organizations
                        .iter()
                        .map(|o| label(&v.organizations, o))
                        .collect(),
                    place: m.place.clone(),
                    period: m.period.clone(),
                    date: m.date.clone(),
                    status: m.status.as_deref().map(|s| label(&v.statuses, s)),
                    recognitions: m
                        .recognitions
                        .iter()
                        .map(|r| RecognitionRow {
                            year: r.year,
                            level: label(&v.levels, &r.level),
                            award: r.award.as_deref().map(|a| label(&v.awards, a)),
                            by: r.by.clone(),
                            decision: r.decision.clone(),
                        })
                        .collect(),
                    summary: m.summary.clone(),
                    tags: m.tags.clone(),
                    public: model.public,
                    url: m.url.clone(),
                })
                .collect(),
            ceremonies: ceremonies
                .iter()
                .map(|c| CeremonySheet {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    date: c.date.clone(),
                    place: c.place.clone(),
                    organizer: c.organizer.clone(),
                    honorees: c
                        .honorees
                        .iter()
                        .map(|h| HonoreeRow {
                            name: h
                                .model
                                .as_deref()
                                .and_then(|s| titles.get(s).map(|t| t.to_string()))
                                .or_else(|| h.name.clone()),
                            kind: h.kind.as_deref().map(|k| label(&v.kinds, k)),
                            award: h.award.as_deref().map(|a| label(&v.awards, a)),
                            by: h.by.clone(),
                            decision: h.decision.clone(),
                        })
                        .collect(),
                })
                .collect(),
            summaries: self.summary_tables(kept),
        }
    }
}
