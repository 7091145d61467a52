//! The spreadsheet report ([`crate::sheet::workbook`]) filled from the
//! open-data records, so it shows exactly what `/du-lieu/` publishes, and
//! from the `/thong-ke/` sections, so its counts are the site's.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{CeremonyRecord, ModelRecord};
use crate::render::Renderer;
use crate::sheet::workbook::{
    By, CeremonySheet, HonoreeRow, ModelRow, RecognitionRow, Report, Text,
};
use crate::vocab::Vocabulary;

/// A vocabulary id's label (ids in the records always resolve).
fn label<'a>(v: &'a Vocabulary, id: &'a str) -> Text<'a> {
    Cow::Borrowed(v.resolve(id).map_or(id, |t| v.term(t).label.as_str()))
}

impl<'a> Renderer<'a> {
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
    pub(in crate::render) fn full_report(&self, kept: Option<&[usize]>) -> Report<'a> {
        let (models, ceremonies) = self.open_records();
        let Some(kept) = kept else {
            return self.report(&models, &ceremonies, None);
        };
        let slugs: std::collections::HashSet<&str> = kept.iter().map(|&i| models[i].slug).collect();
        let ceremonies: Vec<CeremonyRecord> = ceremonies
            .into_iter()
            .filter(|c| {
                c.honorees
                    .iter()
                    .any(|h| h.model.is_some_and(|m| slugs.contains(m)))
            })
            .collect();
        self.report(&models, &ceremonies, Some(kept))
    }

    fn report(
        &self,
        models: &[ModelRecord<'a>],
        ceremonies: &[CeremonyRecord<'a>],
        kept: Option<&[usize]>,
    ) -> Report<'a> {
        let all: Vec<usize> = (0..models.len()).collect();
        let kept = kept.unwrap_or(&all);
        let v: &'a crate::config::Vocabularies = &self.site.config.vocab;
        let titles: HashMap<&str, &'a str> = models.iter().map(|m| (m.slug, m.title)).collect();
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
                    id: m.id.into(),
                    title: m.title.into(),
                    owner: m.owner.map(Cow::Borrowed),
                    kind: label(&v.kinds, m.kind),
                    field: label(&v.fields, m.field),
                    organizations: m
                        .organizations
                        .iter()
                        .map(|o| label(&v.organizations, o))
                        .collect(),
                    place: Cow::Borrowed(m.place),
                    period: m.period.map(Cow::Borrowed),
                    date: m.date.clone().map(Cow::Owned),
                    status: m.status.map(|s| label(&v.statuses, s)),
                    recognitions: m
                        .recognitions
                        .iter()
                        .map(|r| RecognitionRow {
                            year: r.year,
                            level: label(&v.levels, r.level),
                            award: r.award.map(|a| label(&v.awards, a)),
                            by: r.by.map(Cow::Borrowed),
                            decision: r.decision.map(Cow::Borrowed),
                        })
                        .collect(),
                    summary: m.summary.into(),
                    tags: Cow::Borrowed(m.tags),
                    public: model.public,
                    url: m.url.clone().into(),
                })
                .collect(),
            ceremonies: ceremonies
                .iter()
                .map(|c| CeremonySheet {
                    id: c.id.into(),
                    title: c.title.into(),
                    date: c.date.clone().map(Cow::Owned),
                    place: Cow::Borrowed(c.place),
                    organizer: c.organizer.map(Cow::Borrowed),
                    honorees: c
                        .honorees
                        .iter()
                        .map(|h| HonoreeRow {
                            name: h
                                .model
                                .and_then(|s| titles.get(s).copied())
                                .or(h.name)
                                .map(Cow::Borrowed),
                            kind: h.kind.map(|k| label(&v.kinds, k)),
                            award: h.award.map(|a| label(&v.awards, a)),
                            by: h.by.map(Cow::Borrowed),
                            decision: h.decision.map(Cow::Borrowed),
                        })
                        .collect(),
                })
                .collect(),
            summaries: self.summary_tables(kept),
        }
    }
}
