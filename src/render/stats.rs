//! Statistics pages: counts computed from the documents, each drawn as an
//! SVG bar chart at build time with the numbers in a table beside it, and
//! the figures ceremonies announced, shown apart and as published.

use crate::core::xml::xml_escape;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{views, Renderer};
use crate::classify::current_status;
use crate::core::Output;
use crate::diagnostic::Diagnostic;
use crate::site::Model;
use crate::taxonomy::Axis;
use crate::text::format_number;
use crate::vi::fold;

#[derive(Serialize, Clone)]
pub(super) struct Row {
    label: String,
    url: Option<String>,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct Section {
    id: String,
    title: String,
    svg: String,
    rows: Vec<Row>,
    note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Announced {
    label: String,
    value: String,
    unit: Option<String>,
    qualifier: Option<&'static str>,
    ceremony: super::Link,
    date: Option<String>,
    breakdowns: Vec<AnnouncedBreakdown>,
}

#[derive(Serialize)]
struct AnnouncedBreakdown {
    by: String,
    parts: Vec<(String, String)>,
    /// Set when the parts do not add up to the announced value.
    sum_note: Option<String>,
}

/// Which models a statistics page counts.
pub(super) enum Scope {
    All,
    /// A place-tree node (a province as browsed today).
    Place(usize),
    /// A field (index in the field taxonomy's terms).
    Field(usize),
}

/// Stages of the registration → recognition → replication funnel, in the
/// order a model passes them (README.md § What a build writes).
const FUNNEL: [(&str, &str); 3] = [
    ("dang-ky", "funnel_registered"),
    ("cong-nhan", "funnel_recognised"),
    ("nhan-rong", "funnel_replicated"),
];

fn stage_rank(id: &str) -> Option<usize> {
    [
        "dang-ky",
        "thuc-hien",
        "tham-dinh",
        "cong-nhan",
        "nhan-rong",
    ]
    .iter()
    .position(|s| *s == id)
}

impl Renderer<'_> {
    pub(super) fn stats_page(&self, scope: Scope) -> Result<Output, Diagnostic> {
        let s = self.site;
        let (models, heading, path, subject): (Vec<usize>, String, String, Option<String>) =
            match scope {
                Scope::All => (
                    (0..s.models.len()).collect(),
                    self.t("statistics").to_string(),
                    crate::urls::STATS.into(),
                    None,
                ),
                Scope::Place(n) => {
                    let node = &s.taxonomies.places.nodes[n];
                    (
                        node.models.clone(),
                        format!("{}: {}", self.t("statistics"), node.label),
                        crate::urls::stats_of_place(&node.path),
                        Some(node.label.clone()),
                    )
                }
                Scope::Field(t) => {
                    let term = &s.taxonomies.get(Axis::Field).terms[t];
                    (
                        term.models.clone(),
                        format!("{}: {}", self.t("statistics"), term.label),
                        crate::urls::stats_of_field(&term.slug),
                        Some(term.label.clone()),
                    )
                }
            };
        let sections = self.sections(&models);
        let announced = if subject.is_none() {
            self.announced()
        } else {
            Vec::new()
        };
        let view = views::Stats {
            heading: &heading,
            model_count: models.len(),
            sections,
            announced,
            subpages: if subject.is_none() {
                self.stats_subpages()
            } else {
                Vec::new()
            },
            breadcrumbs: if subject.is_some() {
                vec![super::Link {
                    title: self.t("statistics").to_string(),
                    url: self.url(crate::urls::STATS),
                }]
            } else {
                Vec::new()
            },
        };
        let ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": heading,
            "url": self.absolute(&path),
            "description": self.t("stats_computed_note"),
        });
        let meta = self.meta(
            &heading,
            self.t("stats_computed_note"),
            &path,
            "website",
            ld,
        );
        self.page_output("stats.html", path, meta, &view)
    }

    /// Every count a statistics page shows for `models`, in page order;
    /// empty sections are left out.
    fn sections(&self, models: &[usize]) -> Vec<Section> {
        let mut sections = vec![
            self.axis_section(Axis::Field, models),
            self.axis_section(Axis::Kind, models),
            self.axis_section(Axis::Level, models),
            self.axis_section(Axis::Status, models),
            self.axis_section(Axis::Year, models),
            self.province_section(models),
            self.axis_section(Axis::Organization, models),
            self.funnel_section(models),
            self.awards_by_type(models),
            self.awards_by_body(models),
        ];
        sections.retain(|sec| !sec.rows.is_empty());
        sections
    }

    /// The tables of `/thong-ke/` as plain data (the spreadsheet report's
    /// summary sheets): the same sections, so every figure is the site's.
    pub(super) fn summary_tables(&self, models: &[usize]) -> Vec<crate::sheet::workbook::Summary> {
        self.sections(models)
            .into_iter()
            .map(|sec| crate::sheet::workbook::Summary {
                id: sec.id,
                title: sec.title,
                rows: sec.rows.into_iter().map(|r| (r.label, r.count)).collect(),
                note: sec.note,
            })
            .collect()
    }

    fn stats_subpages(&self) -> Vec<Row> {
        let s = self.site;
        let places = &s.taxonomies.places;
        let mut rows: Vec<Row> = s
            .taxonomies
            .get(Axis::Field)
            .terms
            .iter()
            .map(|t| Row {
                label: t.label.clone(),
                url: Some(self.url(&crate::urls::stats_of_field(&t.slug))),
                count: t.models.len(),
            })
            .collect();
        rows.extend(self.current_provinces().into_iter().map(|n| {
            let node = &places.nodes[n];
            Row {
                label: places.today_label(n, s.config.lang),
                url: Some(self.url(&crate::urls::stats_of_place(&node.path))),
                count: node.models.len(),
            }
        }));
        rows
    }

    /// Provinces as they are today: roots of the place tree that were not
    /// merged into another, so no model is counted twice.
    pub(super) fn current_provinces(&self) -> Vec<usize> {
        self.site.taxonomies.places.current_roots().collect()
    }

    fn axis_section(&self, axis: Axis, models: &[usize]) -> Section {
        let t = self.site.taxonomies.get(axis);
        let in_scope = Membership::new(self.site.models.len(), models.iter().copied());
        let mut rows: Vec<Row> = t
            .terms
            .iter()
            .map(|term| Row {
                label: term.label.clone(),
                url: Some(self.url(&t.term_path(term))),
                count: term.models.iter().filter(|&&m| in_scope.has(m)).count(),
            })
            .filter(|r| r.count > 0)
            .collect();
        let stated = Membership::new(
            self.site.models.len(),
            t.terms.iter().flat_map(|term| term.models.iter().copied()),
        );
        self.push_not_stated(&mut rows, models, &stated);
        let note = match axis {
            Axis::Level => Some(self.t("stats_level_note")),
            Axis::Year => Some(self.t("stats_year_note")),
            Axis::Organization => Some(self.t("stats_multi_note")),
            _ => None,
        };
        let note = Some(self.with_total(note, models.len()));
        let title = format!(
            "{} {}",
            self.t("models_by"),
            self.t(axis.name_key()).to_lowercase()
        );
        section(axis.slug(), &title, rows, note)
    }

    /// A chart's note ended by the number of models it accounts for.
    fn with_total(&self, note: Option<&str>, total: usize) -> String {
        let total = self
            .t("stats_total_note")
            .replace("{n}", &format_number(total as f64));
        match note {
            Some(n) => format!("{n} {total}"),
            None => total,
        }
    }

    /// A “Chưa rõ” (not stated) bar for the models in scope that `stated`
    /// does not hold, so every chart accounts for every model.
    fn push_not_stated(&self, rows: &mut Vec<Row>, models: &[usize], stated: &Membership) {
        let missing = models.iter().filter(|&&m| !stated.has(m)).count();
        if missing > 0 {
            rows.push(Row {
                label: self.t("not_stated").to_string(),
                url: None,
                count: missing,
            });
        }
    }

    fn province_section(&self, models: &[usize]) -> Section {
        let places = &self.site.taxonomies.places;
        let in_scope = Membership::new(self.site.models.len(), models.iter().copied());
        let provinces = self.current_provinces();
        let mut rows: Vec<Row> = provinces
            .iter()
            .map(|&n| {
                let node = &places.nodes[n];
                Row {
                    label: places.today_label(n, self.site.config.lang),
                    url: Some(self.url(&node.path)),
                    count: node.models.iter().filter(|&&m| in_scope.has(m)).count(),
                }
            })
            .filter(|r| r.count > 0)
            .collect();
        let stated = Membership::new(
            self.site.models.len(),
            provinces
                .iter()
                .flat_map(|&n| places.nodes[n].models.iter().copied()),
        );
        self.push_not_stated(&mut rows, models, &stated);
        let title = format!(
            "{} {}",
            self.t("models_by"),
            self.t("province").to_lowercase()
        );
        let note = self.with_total(Some(self.t("stats_province_note")), models.len());
        section("tinh", &title, rows, Some(note))
    }

    fn funnel_section(&self, models: &[usize]) -> Section {
        let statuses = &self.site.config.vocab.statuses;
        let mut reached = [0usize; 3];
        for &m in models {
            let Some(rank) = furthest_stage(&self.site.models[m], statuses) else {
                continue;
            };
            for (k, (id, _)) in FUNNEL.iter().enumerate() {
                if stage_rank(id).is_some_and(|r| rank >= r) {
                    reached[k] += 1;
                }
            }
        }
        let rows = if reached[0] == 0 {
            Vec::new()
        } else {
            FUNNEL
                .iter()
                .zip(reached)
                .map(|((_, key), count)| Row {
                    label: self.t(key).to_string(),
                    url: None,
                    count,
                })
                .collect()
        };
        section(
            "pheu",
            self.t("funnel"),
            rows,
            Some(self.t("funnel_note").to_string()),
        )
    }

    /// Every award a model received, counted once per (model, ceremony or
    /// recognition, award): from its recognitions and from ceremonies'
    /// honoree lists.
    fn awards(&self, models: &[usize]) -> Vec<(crate::vocab::TermId, Option<String>)> {
        let s = self.site;
        let in_scope = Membership::new(s.models.len(), models.iter().copied());
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for &m in models {
            for (r, c) in s.models[m]
                .recognitions
                .iter()
                .zip(&s.relations.recognition_ceremonies[m])
            {
                if let Some(a) = r.award {
                    if c.is_none() || seen.insert((m, c.unwrap_or(usize::MAX), a)) {
                        out.push((a, r.by.clone()));
                    }
                }
            }
        }
        for (ci, c) in s.ceremonies.iter().enumerate() {
            for (h, target) in c.honorees.iter().zip(&s.relations.honoree_models[ci]) {
                let (Some(m), Some(a)) = (*target, h.award) else {
                    continue;
                };
                if in_scope.has(m) && seen.insert((m, ci, a)) {
                    out.push((a, h.by.clone()));
                }
            }
        }
        out
    }

    fn awards_by_type(&self, models: &[usize]) -> Section {
        let awards = &self.site.config.vocab.awards;
        let mut counts: BTreeMap<crate::vocab::TermId, usize> = BTreeMap::new();
        for (a, _) in self.awards(models) {
            *counts.entry(a).or_default() += 1;
        }
        let rows = counts
            .into_iter()
            .map(|(a, count)| Row {
                label: awards.term(a).label.clone(),
                url: None,
                count,
            })
            .collect();
        section(
            "khen-thuong",
            self.t("awards_by_type"),
            rows,
            Some(self.t("awards_note").to_string()),
        )
    }

    fn awards_by_body(&self, models: &[usize]) -> Section {
        // Spellings of one body ("UBND Quận 1", "UBND quận 1") are united.
        let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for (_, by) in self.awards(models) {
            let by = by.unwrap_or_else(|| self.t("unknown_body").to_string());
            let e = counts.entry(fold(&by)).or_insert((by, 0));
            e.1 += 1;
        }
        let mut rows: Vec<Row> = counts
            .into_values()
            .map(|(label, count)| Row {
                label,
                url: None,
                count,
            })
            .collect();
        rows.sort_by_cached_key(|r| (std::cmp::Reverse(r.count), crate::vi::sort_key(&r.label)));
        section("co-quan-trao", self.t("awards_by_body"), rows, None)
    }

    fn announced(&self) -> Vec<Announced> {
        let s = self.site;
        let mut out = Vec::new();
        for c in &s.ceremonies {
            for st in &c.statistics {
                let f = &st.figure;
                out.push(Announced {
                    label: f.label.clone(),
                    value: format_number(f.value),
                    unit: f.unit.clone(),
                    qualifier: f.qualifier.map(|q| q.word()),
                    ceremony: self.link_to(&c.doc),
                    date: c.doc.date.map(|d| d.display_vi()),
                    breakdowns: st
                        .breakdowns
                        .iter()
                        .map(|b| {
                            let sum: f64 = b.parts.iter().map(|(_, v)| v).sum();
                            AnnouncedBreakdown {
                                by: b.by.clone(),
                                parts: b
                                    .parts
                                    .iter()
                                    .map(|(l, v)| (l.clone(), format_number(*v)))
                                    .collect(),
                                sum_note: ((sum - f.value).abs() > 1e-9).then(|| {
                                    format!("{} {}", self.t("parts_sum_to"), format_number(sum))
                                }),
                            }
                        })
                        .collect(),
                });
            }
        }
        out
    }
}

/// The furthest stage a model reached: from its history, else its status.
fn furthest_stage(m: &Model, statuses: &crate::vocab::Vocabulary) -> Option<usize> {
    let from_history = m
        .history
        .iter()
        .filter_map(|(s, _)| stage_rank(&statuses.term(*s).id))
        .max();
    from_history
        .into_iter()
        .chain(current_status(m).and_then(|s| stage_rank(&statuses.term(s).id)))
        .max()
}

/// Fast "is model i in this page's scope".
struct Membership(Vec<bool>);

impl Membership {
    fn new(len: usize, members: impl IntoIterator<Item = usize>) -> Self {
        let mut v = vec![false; len];
        for m in members {
            v[m] = true;
        }
        Self(v)
    }
    fn has(&self, i: usize) -> bool {
        self.0[i]
    }
}

fn section(id: &str, title: &str, rows: Vec<Row>, note: Option<String>) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        svg: bar_chart(id, title, &rows),
        rows,
        note,
    }
}

/// Label characters per line: about what 14 px text fits in the 320 px a
/// phone leaves for a chart.
const LABEL_LINE: usize = 38;

/// A horizontal bar chart. Bars and text use `currentColor`, so the chart
/// follows the page's colours in light and dark themes and prints in black.
///
/// It has no `viewBox`: lengths are CSS pixels and bar widths percentages,
/// so the text stays at 14 px on any screen (a 640-unit drawing scaled to a
/// phone made it 7 px). Each label sits above its bar, wrapped, never cut.
pub(super) fn bar_chart(id: &str, title: &str, rows: &[Row]) -> String {
    const FONT: usize = 14;
    const LINE_H: usize = 18;
    const BAR_H: usize = 14;
    const GAP: usize = 12;
    /// The widest bar, in percent: the count is written after it.
    const BAR_MAX: usize = 85;
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let labels: Vec<Vec<String>> = rows.iter().map(|r| wrap(&r.label, LABEL_LINE)).collect();
    let h: usize = labels
        .iter()
        .map(|l| l.len() * LINE_H + BAR_H + GAP)
        .sum::<usize>()
        + 4;
    let mut svg = format!(
        r#"<svg class="chart" width="100%" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        xml_escape(title),
        xml_escape(
            &rows
                .iter()
                .map(|r| format!("{}: {}", r.label, r.count))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    );
    let mut y = 0;
    for (r, lines) in rows.iter().zip(&labels) {
        svg.push_str(&format!(
            r#"<text x="0" y="{}" font-size="{FONT}" fill="currentColor">"#,
            y + LINE_H - 4
        ));
        for (k, line) in lines.iter().enumerate() {
            let dy = if k == 0 { 0 } else { LINE_H };
            svg.push_str(&format!(
                r#"<tspan x="0" dy="{dy}">{}</tspan>"#,
                xml_escape(line)
            ));
        }
        svg.push_str("</text>");
        y += lines.len() * LINE_H;
        // Percent of the width, a thousandth precise; a non-zero count is
        // never drawn as nothing.
        let permille = (r.count * BAR_MAX * 10)
            .div_ceil(max)
            .max(usize::from(r.count > 0) * 5);
        let bw = format!("{}.{}%", permille / 10, permille % 10);
        svg.push_str(&format!(
            r#"<rect x="0" y="{y}" width="{bw}" height="{BAR_H}" fill="currentColor" opacity="0.75"/><text x="{bw}" dx="6" y="{}" font-size="{FONT}" fill="currentColor">{}</text>"#,
            y + BAR_H - 2,
            r.count
        ));
        y += BAR_H + GAP;
    }
    svg.push_str("</svg>");
    svg
}

/// `text` in lines of at most `width` characters, broken between words (a
/// longer word has a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width;
        if !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_escapes_labels_and_scales_bars() {
        let rows = vec![
            Row {
                label: "<b>A & B</b>".into(),
                url: None,
                count: 10,
            },
            Row {
                label: "C".into(),
                url: None,
                count: 5,
            },
        ];
        let svg = bar_chart("x", "Tiêu đề", &rows);
        assert!(svg.contains("&lt;b&gt;A &amp; B&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains(r#"width="85.0%""#), "{svg}");
        assert!(svg.contains(r#"width="42.5%""#), "{svg}");
        assert!(svg.contains("fill=\"currentColor\""));
        assert!(svg.contains("<title id=\"x-title\">Tiêu đề</title>"));
    }

    #[test]
    fn chart_text_is_unscaled_and_labels_are_whole() {
        let long = "Xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh";
        let rows = vec![Row {
            label: long.into(),
            url: None,
            count: 3,
        }];
        let svg = bar_chart("x", "T", &rows);
        // No viewBox: 14 is 14 CSS pixels on a phone as on a desktop.
        assert!(!svg.contains("viewBox"), "{svg}");
        assert!(svg.contains(r#"font-size="14""#));
        let shown: Vec<&str> = svg
            .split("<tspan")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</tspan>").unwrap()])
            .collect();
        assert!(shown.len() > 1, "{shown:?}");
        assert!(shown.iter().all(|l| l.chars().count() <= LABEL_LINE));
        assert_eq!(shown.join(" "), long);
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(
            xml_escape("a\u{1}b\u{FFFE}c\u{FFFF}d\u{b}e\u{7f}\u{FFFD}\u{1F600}\t"),
            "abcde\u{7f}\u{FFFD}\u{1F600}\t"
        );
    }
}
