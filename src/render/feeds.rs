//! Machine-readable outputs: Atom feeds, the sitemap, robots.txt, open data
//! (JSON, CSV) and redirect maps for servers that can answer with a real 301.
//! Nothing here depends on the clock, so two builds give the same bytes.

use serde::Serialize;

use super::browse::Item;
use super::views;
use super::{OpenFile, Renderer};
use crate::core::Output;
use crate::diagnostic::Diagnostic;

mod report;
use crate::site::{Date, Doc, Owner, Site};
use crate::urls::{self, short_key};

/// Entries per feed: enough for any reader, small enough to fetch often.
const FEED_ENTRIES: usize = 50;
/// The sitemap protocol's limit per file.
const SITEMAP_URLS: usize = 50_000;
/// Version of the open-data schema documented at /du-lieu/.
pub const OPEN_DATA_VERSION: u32 = 1;

fn data(path: impl Into<String>, bytes: Vec<u8>) -> Output {
    Output::file(path.into(), bytes)
}

/// `2019-10-15T00:00:00Z`; a date known only to the month or year is put
/// at its first day, as Atom needs a full timestamp.
fn rfc3339(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        d.year,
        d.month.max(1),
        d.day.max(1)
    )
}

impl<'a> Renderer<'a> {
    fn doc_of(&self, item: Item) -> &Doc {
        match item {
            Item::Model(i) => &self.site.models[i].doc,
            Item::Ceremony(i) => &self.site.ceremonies[i].doc,
        }
    }

    /// An Atom feed of the newest documents among `items` (`atom.xml`).
    pub(super) fn atom(
        &self,
        path: &str,
        title: &str,
        page: &str,
        items: &[Item],
    ) -> Result<Output, Diagnostic> {
        let mut docs: Vec<&Doc> = items.iter().map(|&i| self.doc_of(i)).collect();
        docs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
        docs.truncate(FEED_ENTRIES);
        let updated = docs
            .iter()
            .filter_map(|d| d.date)
            .max()
            .map_or_else(|| "2000-01-01T00:00:00Z".to_string(), rfc3339);
        let entries = docs
            .into_iter()
            .map(|d| views::FeedEntry {
                title: &d.title,
                url: self.absolute(&d.path),
                updated: d.date.map_or_else(|| updated.clone(), rfc3339),
                summary: &d.summary,
            })
            .collect();
        let view = views::Feed {
            title,
            url: self.absolute(path),
            page_url: self.absolute(page),
            updated,
            entries,
        };
        self.text_output("atom.xml", path.to_string(), &view)
    }

    pub(super) fn site_feed(&self) -> Result<Output, Diagnostic> {
        let mut items = self.all_models.clone();
        items.extend(self.all_ceremonies.iter().copied());
        self.atom(urls::SITE_FEED, self.t("latest_updates"), "", &items)
    }

    pub(super) fn term_feed(&self, axis: usize, term: usize) -> Result<Output, Diagnostic> {
        let t = &self.site.taxonomies.list[axis];
        let term = &t.terms[term];
        let page = t.term_path(term);
        self.atom(
            &urls::feed_of(&page),
            &term.label,
            &page,
            &super::browse::items(&term.models, &term.ceremonies),
        )
    }

    pub(super) fn place_feed(&self, n: usize) -> Result<Output, Diagnostic> {
        let node = &self.site.taxonomies.places.nodes[n];
        let items = super::browse::items(&node.models, &node.ceremonies);
        self.atom(&urls::feed_of(&node.path), &node.label, &node.path, &items)
    }

    /// The pages a search engine is told about, in the order the render
    /// plan makes them ([`super::sitemap_entry`] says which).
    fn sitemap_entries(&self) -> Vec<(String, Option<Date>)> {
        super::plan(self.site)
            .iter()
            .filter_map(|job| super::sitemap_entry(self.site, job))
            .collect()
    }

    /// `sitemap.xml`, or a sitemap index with numbered parts above 50,000 URLs.
    pub(super) fn sitemaps(&self) -> Result<Vec<Output>, Diagnostic> {
        sitemap_files(
            &self.sitemap_entries(),
            SITEMAP_URLS,
            &|name, part| match part {
                SitemapPart::Urls(entries) => {
                    let view = views::Sitemap {
                        entries: entries
                            .iter()
                            .map(|(path, date)| views::SitemapEntry {
                                url: self.absolute(path),
                                lastmod: date.filter(|d| d.day > 0).map(|d| d.to_string()),
                            })
                            .collect(),
                    };
                    self.text_output("sitemap.xml", name, &view)
                }
                SitemapPart::Index(names) => {
                    let view = views::SitemapIndex {
                        sitemaps: names.iter().map(|n| self.absolute(n)).collect(),
                    };
                    self.text_output("sitemap_index.xml", name, &view)
                }
            },
        )
    }

    pub(super) fn robots(&self) -> Result<Output, Diagnostic> {
        let view = views::Robots {
            disallow: [urls::EMBED_INDEX, urls::SHORT_LINKS]
                .iter()
                .map(|p| self.url(p))
                .collect(),
            sitemap: self.absolute("sitemap.xml"),
        };
        self.text_output("robots.txt", "robots.txt".into(), &view)
    }

    /// `_redirects` (Netlify, Cloudflare Pages, GitLab Pages) and an nginx
    /// `map` to include in a server block, as the host wants them.
    pub(super) fn redirect_maps(&self) -> Vec<Output> {
        let pairs = redirect_pairs(self.site);
        let mut nginx = String::from(
            "# Generated by dienhinh. In the http block:\n#   include /path/to/public/redirects.nginx.map;\n# and in the server block:\n#   if ($dienhinh_redirect) { return 301 $dienhinh_redirect; }\nmap $uri $dienhinh_redirect {\n    default \"\";\n",
        );
        // Each address with and without its last slash: a folder's page is
        // often typed without it, and a short link printed before short
        // links were files ends with one (`urls::short_link_of`).
        for (from, to) in &pairs {
            nginx.push_str(&format!("    {from} {to};\n"));
            match from.strip_suffix('/') {
                Some(bare) => nginx.push_str(&format!("    {bare} {to};\n")),
                None => nginx.push_str(&format!("    {from}/ {to};\n")),
            }
        }
        nginx.push_str("}\n");
        let mut out = Vec::new();
        if self.redirects.rules_file {
            let root = &self.site.config.root;
            out.push(data("_redirects", rules_file(root, &pairs).into_bytes()));
        }
        if self.redirects.nginx_map {
            out.push(data("redirects.nginx.map", nginx.into_bytes()));
        }
        out
    }

    fn open_json<T: serde::Serialize>(&self, kind: &str, records: &T) -> Vec<u8> {
        let doc = Envelope {
            base_url: &self.site.config.base_url,
            kind,
            records,
            schema: self.absolute(urls::OPEN_DATA),
            site: &self.site.config.title,
        };
        let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// One file of the open data.
    pub(super) fn open_data(&self, file: OpenFile) -> Output {
        // Each file's records only: the four jobs run side by side.
        let (name, bytes) = match file {
            OpenFile::ModelsJson => (
                "mo-hinh.json",
                self.open_json("models", &self.open_models()),
            ),
            OpenFile::CeremoniesJson => (
                "tuyen-duong.json",
                self.open_json("ceremonies", &self.open_ceremonies()),
            ),
            OpenFile::ModelsCsv => ("mo-hinh.csv", models_csv(&self.open_models())),
            OpenFile::Workbook => {
                let (models, ceremonies) = self.open_records();
                ("mo-hinh.xlsx", self.report_xlsx(&models, &ceremonies, None))
            }
        };
        data(urls::open_data(name), bytes)
    }

    /// Every model and ceremony as the open data publishes them: what
    /// `public: false` withholds is already left out here, and every other
    /// output drawn from open data (the spreadsheets) starts from these.
    fn open_records(&self) -> (Vec<ModelRecord<'a>>, Vec<CeremonyRecord<'a>>) {
        (self.open_models(), self.open_ceremonies())
    }

    /// The models of [`Renderer::open_records`].
    fn open_models(&self) -> Vec<ModelRecord<'a>> {
        let s: &'a Site = self.site;
        let v = &s.config.vocab;
        s.models
            .iter()
            .enumerate()
            .map(|(i, m)| ModelRecord {
                id: short_key(&m.doc),
                slug: &m.doc.slug,
                url: self.absolute(&m.doc.path),
                title: &m.doc.title,
                summary: &m.doc.summary,
                field: v.fields.term(m.field).id.as_str(),
                kind: v.kinds.term(m.kind).id.as_str(),
                owner: m.owner.as_ref().filter(|_| m.public).map(|o| match o {
                    Owner::Name(n) => n.as_str(),
                    Owner::Detailed { name, .. } => name.as_str(),
                }),
                organizations: m
                    .organizations
                    .iter()
                    .map(|o| v.organizations.term(*o).id.as_str())
                    .collect(),
                place: &m.place,
                period: m.period.as_deref(),
                date: m.doc.date.map(|d| d.to_string()),
                status: crate::classify::current_status(m)
                    .map(|st| v.statuses.term(st).id.as_str()),
                history: m
                    .history
                    .iter()
                    .map(|(st, d)| StatusAt {
                        status: v.statuses.term(*st).id.as_str(),
                        date: d.to_string(),
                    })
                    .collect(),
                recognitions: m
                    .recognitions
                    .iter()
                    .zip(&s.relations.recognition_ceremonies[i])
                    .map(|(r, c)| RecognitionRecord {
                        level: v.levels.term(r.level).id.as_str(),
                        year: r.year,
                        by: r.by.as_deref(),
                        award: r.award.map(|a| v.awards.term(a).id.as_str()),
                        ceremony: c.map(|c| s.ceremonies[c].doc.slug.as_str()),
                        decision: r.decision.as_deref(),
                    })
                    .collect(),
                results: m
                    .results
                    .iter()
                    .map(|f| FigureRecord {
                        label: &f.label,
                        value: f.value,
                        unit: f.unit.as_deref(),
                        qualifier: f.qualifier.map(qualifier_id),
                    })
                    .collect(),
                replicated_from: s.relations.replicated_from[i]
                    .iter()
                    .map(|&j| s.models[j].doc.slug.as_str())
                    .collect(),
                honoured_by: s.relations.honoured_by[i]
                    .iter()
                    .map(|h| s.ceremonies[h.ceremony].doc.slug.as_str())
                    .collect(),
                tags: &m.doc.tags,
                sources: &m.doc.sources,
            })
            .collect()
    }

    /// The ceremonies of [`Renderer::open_records`].
    fn open_ceremonies(&self) -> Vec<CeremonyRecord<'a>> {
        let s: &'a Site = self.site;
        let v = &s.config.vocab;
        s.ceremonies
            .iter()
            .enumerate()
            .map(|(i, c)| CeremonyRecord {
                id: short_key(&c.doc),
                slug: &c.doc.slug,
                url: self.absolute(&c.doc.path),
                title: &c.doc.title,
                summary: &c.doc.summary,
                date: c.doc.date.map(|d| d.to_string()),
                event_type: c.event_type.map(|e| v.event_types.term(e).id.as_str()),
                organizer: c.organizer.as_deref(),
                level: c.level.map(|l| v.levels.term(l).id.as_str()),
                place: &c.place,
                occasion: c.occasion.as_deref(),
                honorees: c
                    .honorees
                    .iter()
                    .zip(&s.relations.honoree_models[i])
                    .map(|(h, m)| HonoreeRecord {
                        model: m.map(|m| s.models[m].doc.slug.as_str()),
                        name: if h.public { h.name.as_deref() } else { None },
                        kind: h.kind.map(|k| v.kinds.term(k).id.as_str()),
                        award: h.award.map(|a| v.awards.term(a).id.as_str()),
                        by: h.by.as_deref(),
                        decision: h.decision.as_deref(),
                    })
                    .collect(),
                award_counts: c
                    .award_counts
                    .iter()
                    .map(|a| AwardCountRecord {
                        award: v.awards.term(a.award).id.as_str(),
                        by: a.by.as_deref(),
                        kind: a.kind.map(|k| v.kinds.term(k).id.as_str()),
                        count: a.count,
                    })
                    .collect(),
                statistics: c
                    .statistics
                    .iter()
                    .map(|st| StatisticRecord {
                        label: &st.figure.label,
                        value: st.figure.value,
                        unit: st.figure.unit.as_deref(),
                        qualifier: st.figure.qualifier.map(qualifier_id),
                        breakdowns: st
                            .breakdowns
                            .iter()
                            .map(|b| BreakdownRecord {
                                by: &b.by,
                                parts: b
                                    .parts
                                    .iter()
                                    .map(|(l, v)| PartRecord {
                                        label: l,
                                        value: *v,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
                tags: &c.doc.tags,
                sources: &c.doc.sources,
            })
            .collect()
    }
}

/// An open-data file: its description, then the records under `kind`,
/// keys in alphabetical order. Serialised straight from the records (a
/// `serde_json::Value` of 100,000 models took gigabytes).
struct Envelope<'a, T> {
    base_url: &'a str,
    kind: &'a str,
    records: &'a T,
    schema: String,
    site: &'a str,
}

impl<T: serde::Serialize> serde::Serialize for Envelope<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("base_url", self.base_url)?;
        // "ceremonies" and "models" both sort between these keys.
        map.serialize_entry(self.kind, self.records)?;
        map.serialize_entry("schema", &self.schema)?;
        map.serialize_entry("schema_version", &OPEN_DATA_VERSION)?;
        map.serialize_entry("site", self.site)?;
        map.end()
    }
}

/// `favicon.ico`: a 16×16 icon (a gold diamond on the theme's red), drawn
/// here so every browser's automatic request finds one.
pub(super) fn favicon() -> Output {
    const N: u32 = 16;
    let mut ico = Vec::with_capacity(1150);
    let image_len = 40 + N * N * 4 + N * 4;
    // ICONDIR and one ICONDIRENTRY.
    for v in [0u16, 1, 1] {
        ico.extend_from_slice(&v.to_le_bytes());
    }
    ico.extend_from_slice(&[N as u8, N as u8, 0, 0]);
    ico.extend_from_slice(&1u16.to_le_bytes());
    ico.extend_from_slice(&32u16.to_le_bytes());
    ico.extend_from_slice(&image_len.to_le_bytes());
    ico.extend_from_slice(&22u32.to_le_bytes());
    // BITMAPINFOHEADER: height counts the colour rows and the mask rows.
    for v in [40u32, N, 2 * N] {
        ico.extend_from_slice(&v.to_le_bytes());
    }
    ico.extend_from_slice(&1u16.to_le_bytes());
    ico.extend_from_slice(&32u16.to_le_bytes());
    ico.extend_from_slice(&[0u8; 24]);
    // Pixels bottom-up, BGRA.
    for y in (0..N).rev() {
        for x in 0..N {
            let d = (2 * x as i32 - 15).abs() + (2 * y as i32 - 15).abs();
            let bgra = if d <= 11 {
                [0x18, 0xc5, 0xf5, 0xff]
            } else {
                [0x1a, 0x16, 0xa3, 0xff]
            };
            ico.extend_from_slice(&bgra);
        }
    }
    // Transparency mask: all opaque (rows padded to 32 bits).
    ico.extend(std::iter::repeat_n(0u8, (N * 4) as usize));
    data("favicon.ico", ico)
}

/// Every redirect (short links and aliases) as (from, to) site paths.
pub(super) fn redirect_pairs(site: &crate::site::Site) -> Vec<(String, String)> {
    let root = &site.config.root;
    let mut pairs = Vec::new();
    for (doc, short) in urls::documents(site) {
        let to = format!("{root}{}", doc.path);
        if short {
            pairs.push((format!("{root}{}", urls::short_link(doc)), to.clone()));
        }
        pairs.extend(
            doc.aliases
                .iter()
                .map(|a| (format!("{root}{a}"), to.clone())),
        );
    }
    pairs.sort();
    pairs
}

/// `_redirects` in Netlify's format: one permanent redirect a line, then
/// one rule with a placeholder (Netlify, Cloudflare Pages and GitLab Pages
/// read them) that sends a short link printed in its old form, `m/<id>/`,
/// to the short link.
pub(super) fn rules_file(root: &str, pairs: &[(String, String)]) -> String {
    let mut text =
        String::from("# Generated by dienhinh: permanent redirects for short links and aliases.\n");
    for (from, to) in pairs {
        text.push_str(&format!("{from} {to} 301\n"));
    }
    let short = urls::short_link_of(":id");
    text.push_str(&format!("{root}{short}/ {root}{short} 301\n"));
    text
}

/// What one sitemap file lists.
enum SitemapPart<'e> {
    /// Pages, with their dates.
    Urls(&'e [(String, Option<Date>)]),
    /// The numbered parts, by file name.
    Index(Vec<String>),
}

/// The sitemap files for `entries`: one `sitemap.xml`, or numbered parts of
/// at most `limit` URLs listed by a `sitemap.xml` index; `write` makes one
/// file from its name and what it lists.
fn sitemap_files(
    entries: &[(String, Option<Date>)],
    limit: usize,
    write: &dyn Fn(String, SitemapPart) -> Result<Output, Diagnostic>,
) -> Result<Vec<Output>, Diagnostic> {
    if entries.len() <= limit {
        return Ok(vec![write(
            "sitemap.xml".into(),
            SitemapPart::Urls(entries),
        )?]);
    }
    let mut out = Vec::new();
    for (i, chunk) in entries.chunks(limit).enumerate() {
        out.push(write(
            format!("sitemap-{}.xml", i + 1),
            SitemapPart::Urls(chunk),
        )?);
    }
    let names = out.iter().map(|o| o.path.clone()).collect();
    out.push(write("sitemap.xml".into(), SitemapPart::Index(names))?);
    Ok(out)
}

fn qualifier_id(q: crate::site::Qualifier) -> &'static str {
    match q {
        crate::site::Qualifier::Hon => "hon",
        crate::site::Qualifier::Gan => "gan",
        crate::site::Qualifier::Khoang => "khoang",
    }
}

/// The model table for spreadsheets: UTF-8 with a byte-order mark (so Excel
/// shows diacritics), CRLF rows, RFC 4180 quoting, lists joined with "; ".
fn models_csv(models: &[ModelRecord]) -> Vec<u8> {
    let header = [
        "id",
        "slug",
        "url",
        "title",
        "field",
        "kind",
        "owner",
        "organizations",
        "place",
        "period",
        "date",
        "status",
        "recognitions",
        "tags",
        "summary",
    ];
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for m in models {
        let recognitions: Vec<String> = m
            .recognitions
            .iter()
            .map(|r| {
                format!(
                    "{} {}{}",
                    r.year,
                    r.level,
                    r.award.map(|a| format!(" {a}")).unwrap_or_default()
                )
            })
            .collect();
        let row = [
            m.id,
            m.slug,
            &m.url,
            m.title,
            m.field,
            m.kind,
            m.owner.unwrap_or_default(),
            &m.organizations.join("; "),
            &m.place.join(" > "),
            m.period.unwrap_or_default(),
            m.date.as_deref().unwrap_or_default(),
            m.status.unwrap_or_default(),
            &recognitions.join("; "),
            &m.tags.join("; "),
            m.summary,
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make Excel evaluate the cell as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[derive(Serialize)]
struct StatusAt<'a> {
    status: &'a str,
    date: String,
}

#[derive(Serialize)]
struct RecognitionRecord<'a> {
    level: &'a str,
    year: i32,
    by: Option<&'a str>,
    award: Option<&'a str>,
    ceremony: Option<&'a str>,
    decision: Option<&'a str>,
}

#[derive(Serialize)]
struct FigureRecord<'a> {
    label: &'a str,
    value: f64,
    unit: Option<&'a str>,
    qualifier: Option<&'static str>,
}

/// A model as the open data publishes it. The text is borrowed from the
/// site: the models' JSON, CSV and workbook are made side by side, and at
/// 100,000 models each owned copy of the records cost over 100 MB.
#[derive(Serialize)]
struct ModelRecord<'a> {
    id: &'a str,
    slug: &'a str,
    url: String,
    title: &'a str,
    summary: &'a str,
    field: &'a str,
    kind: &'a str,
    owner: Option<&'a str>,
    organizations: Vec<&'a str>,
    place: &'a [String],
    period: Option<&'a str>,
    date: Option<String>,
    status: Option<&'a str>,
    history: Vec<StatusAt<'a>>,
    recognitions: Vec<RecognitionRecord<'a>>,
    results: Vec<FigureRecord<'a>>,
    replicated_from: Vec<&'a str>,
    honoured_by: Vec<&'a str>,
    tags: &'a [String],
    sources: &'a [crate::site::SourceRef],
}

#[derive(Serialize)]
struct HonoreeRecord<'a> {
    model: Option<&'a str>,
    name: Option<&'a str>,
    kind: Option<&'a str>,
    award: Option<&'a str>,
    by: Option<&'a str>,
    decision: Option<&'a str>,
}

#[derive(Serialize)]
struct AwardCountRecord<'a> {
    award: &'a str,
    by: Option<&'a str>,
    kind: Option<&'a str>,
    count: u32,
}

#[derive(Serialize)]
struct PartRecord<'a> {
    label: &'a str,
    value: f64,
}

#[derive(Serialize)]
struct BreakdownRecord<'a> {
    by: &'a str,
    parts: Vec<PartRecord<'a>>,
}

#[derive(Serialize)]
struct StatisticRecord<'a> {
    label: &'a str,
    value: f64,
    unit: Option<&'a str>,
    qualifier: Option<&'static str>,
    breakdowns: Vec<BreakdownRecord<'a>>,
}

/// A ceremony as the open data publishes it, borrowed like [`ModelRecord`].
#[derive(Serialize)]
struct CeremonyRecord<'a> {
    id: &'a str,
    slug: &'a str,
    url: String,
    title: &'a str,
    summary: &'a str,
    date: Option<String>,
    event_type: Option<&'a str>,
    organizer: Option<&'a str>,
    level: Option<&'a str>,
    place: &'a [String],
    occasion: Option<&'a str>,
    honorees: Vec<HonoreeRecord<'a>>,
    award_counts: Vec<AwardCountRecord<'a>>,
    statistics: Vec<StatisticRecord<'a>>,
    tags: &'a [String],
    sources: &'a [crate::site::SourceRef],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("Tủ bánh mì"), "Tủ bánh mì");
    }

    #[test]
    fn sitemaps_split_above_the_limit() {
        let entries: Vec<(String, Option<Date>)> = (0..5)
            .map(|i| (format!("p{i}/"), Date::parse("2020-01-02")))
            .collect();
        // Each file as what it lists: its pages, or the parts' names.
        let write = |name: String, part: SitemapPart| {
            let listed = match part {
                SitemapPart::Urls(e) => e.iter().map(|(p, _)| p.clone()).collect(),
                SitemapPart::Index(names) => names,
            };
            Ok(data(name, listed.join(" ").into_bytes()))
        };
        let one = sitemap_files(&entries, 5, &write).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, "sitemap.xml");
        assert_eq!(one[0].bytes, b"p0/ p1/ p2/ p3/ p4/");
        let split = sitemap_files(&entries, 2, &write).unwrap();
        let names: Vec<&str> = split.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        assert_eq!(split[2].bytes, b"p4/");
        assert_eq!(split[3].bytes, b"sitemap-1.xml sitemap-2.xml sitemap-3.xml");
    }

    #[test]
    fn favicon_is_a_well_formed_ico() {
        let ico = favicon().bytes;
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0]);
        let len = u32::from_le_bytes(ico[14..18].try_into().unwrap()) as usize;
        let offset = u32::from_le_bytes(ico[18..22].try_into().unwrap()) as usize;
        assert_eq!(offset + len, ico.len());
        assert_eq!(u32::from_le_bytes(ico[22..26].try_into().unwrap()), 40);
    }

    #[test]
    fn atom_dates_are_full_timestamps() {
        assert_eq!(
            rfc3339(Date::parse("2022").unwrap()),
            "2022-01-01T00:00:00Z"
        );
        assert_eq!(
            rfc3339(Date::parse("2019-10-15").unwrap()),
            "2019-10-15T00:00:00Z"
        );
    }
}
