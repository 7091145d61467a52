//! Stage 4: pages. Each page is rendered from a small view built for it
//! alone (never from a copy of the whole site), in parallel.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::{Code, Diagnostic};
use crate::hosts::ShortPage;
use crate::markdown;
use crate::site::{Ceremony, Date, Doc, Model, Owner, Site};
use crate::taxonomy::Axis;
use crate::text::format_number;
use crate::theme::Theme;
use crate::vocab::{TermId, Vocabulary};

const OPEN_DATA_DOC_VI: &str = include_str!("assets/open-data.vi.md");
const OPEN_DATA_DOC_EN: &str = include_str!("assets/open-data.en.md");
/// The about page the footer links to when the site has one.
const ABOUT_PAGE: &str = "gioi-thieu/";

mod browse;
mod feeds;
mod reads;
mod share;
mod stats;
mod views;

pub use reads::{key, reads, Digests, DocDigests, DocRef, JobKey, Loaded, Read, Reads};

use crate::core::Output;

/// The values every template sees.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    root: &'a str,
    lang: &'a str,
    css: String,
    menu: Vec<Link>,
    /// The site's own pages that no menu lists: open data, keywords,
    /// statistics, embeds, the feed, the about page.
    footer: Vec<Link>,
    /// The agency publishing the site (`organization:` in site.yaml).
    organization: Option<OrgView<'a>>,
    /// The logo's URL, when site.yaml names one.
    logo: Option<String>,
    /// `footer:` of site.yaml, else the theme's line.
    footer_text: String,
    /// The day of the build, for printouts (a printed page cannot know
    /// when it is printed): `dd/mm/yyyy` and ISO.
    built: String,
    built_iso: String,
    /// `extra:` of site.yaml, for the theme's own use.
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// `organization:` of site.yaml, with the phone number as a `tel:` link.
#[derive(Serialize)]
struct OrgView<'a> {
    #[serde(flatten)]
    org: &'a crate::config::Organization,
    phone_href: Option<String>,
}

impl<'a> OrgView<'a> {
    fn new(org: &'a crate::config::Organization) -> Self {
        // `tel:` takes digits and a leading +; people write 0239.3855.xxx
        // or (0239) 3855 xxx.
        let phone_href = org.phone.as_ref().map(|p| {
            let digits: String = p
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            format!("tel:{digits}")
        });
        OrgView { org, phone_href }
    }
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Meta {
    title: String,
    description: String,
    /// Absolute URL of this page.
    canonical: String,
    og_type: &'static str,
    json_ld: String,
    /// Site-relative path, for marking the current menu entry.
    path: String,
    /// Absolute URL of a picture for link previews.
    image: Option<String>,
    image_alt: Option<String>,
    image_width: Option<u32>,
    image_height: Option<u32>,
    /// Absolute URL of the Atom feed that covers this page.
    feed: Option<String>,
}

#[derive(Serialize)]
struct TermView {
    id: String,
    label: String,
    /// The term's own page, where the site has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Card {
    title: String,
    url: String,
    summary: String,
    badges: Vec<String>,
    place: String,
    date: Option<String>,
    date_iso: Option<String>,
}

#[derive(Serialize)]
struct FigureView {
    label: String,
    value: String,
    unit: Option<String>,
    qualifier: Option<&'static str>,
}

#[derive(Serialize)]
struct ImageView {
    /// The largest JPEG (or the original when photos were not processed).
    url: String,
    alt: String,
    caption: Option<String>,
    credit: Option<String>,
    /// Of the largest size, so the page keeps the photo's room while it
    /// loads.
    width: Option<u32>,
    height: Option<u32>,
    /// `url 480w, …` for `<img srcset>` and the WebP `<source>`.
    srcset: Option<String>,
    webp_srcset: Option<String>,
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PagerItem>,
}

#[derive(Serialize)]
struct PagerItem {
    number: usize,
    url: String,
    current: bool,
    gap_before: bool,
}

/// Shared pieces for rendering one site.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    base: Context,
    /// Every model and every ceremony as list items, built once so each
    /// list page only slices them.
    all_models: Vec<browse::Item>,
    all_ceremonies: Vec<browse::Item>,
    /// Each taxonomy term by axis and slug, so a document page finds the
    /// page of each of its values without scanning every term (a site has
    /// thousands of tags).
    terms_by_slug: HashMap<(Axis, &'a str), usize>,
    /// Link-preview cards and which page names which.
    cards: share::CardPlan,
    /// Forwarding pages and rule files for short links and aliases.
    redirects: crate::hosts::Redirects,
}

/// Renders `jobs` in parallel, handing each job's result to `sink` (from
/// any thread) as soon as it is made, so that no command holds the whole
/// rendered site; `redirects` says which forwarding pages are written (see
/// [`redirect_plan`]). The one way pages are rendered: src/pipeline.rs
/// gives each command's sink.
pub fn render(
    site: &Site,
    theme: &Theme,
    jobs: &[Job],
    redirects: crate::hosts::Redirects,
    sink: &(dyn Fn(Job, Result<Vec<Output>, Diagnostic>) + Sync),
) {
    let mut r = Renderer::new(site, theme);
    r.redirects = redirects;
    // Profiling: jobs slower than this are named on stderr.
    let slow = crate::core::timing::shown().then_some(std::time::Duration::from_millis(50));
    // The longest jobs first: the open data's files (the workbook takes
    // 200 ms at 10,000 models) and the cards (5 ms each) come last in the
    // plan, where one of them could keep a core busy after the other had
    // nothing left to take.
    let mut jobs = jobs.to_vec();
    jobs.sort_by_key(|job| !matches!(job, Job::OpenData(_) | Job::Card(_)));
    jobs.par_iter().for_each(|&job| {
        let started = std::time::Instant::now();
        let out = r.render_job(&job);
        if slow.is_some_and(|s| started.elapsed() > s) {
            eprintln!("timing: slow job {job:?} {:?}", started.elapsed());
        }
        sink(job, out);
    });
}

/// The spreadsheet report of `dienhinh export`: the open data's models and
/// ceremonies, and the counts of `/thong-ke/`.
pub fn sheet_report<'a>(
    site: &'a Site,
    theme: &'a Theme,
    kept: Option<&[usize]>,
) -> crate::sheet::workbook::Report<'a> {
    Renderer::new(site, theme).full_report(kept)
}

/// What a build writes for short links and aliases on the site's host
/// (`host:` in site.yaml), and how many redirects there are. `check` and
/// `serve`'s preview render every forwarding page whatever the host: the
/// preview server reads no rule file.
pub fn redirect_plan(site: &Site) -> (crate::hosts::Redirects, usize) {
    if site.config.host.is_none() {
        // Everything is written whatever the count: nothing to count.
        return (crate::hosts::Redirects::ALL, 0);
    }
    let pairs = feeds::redirect_pairs(site);
    let bytes = feeds::rules_file(&site.config.root, &pairs).len();
    // The rule for short links in their old form is one more.
    let plan = crate::hosts::Redirects::for_host(site.config.host, pairs.len() + 1, bytes);
    (plan, pairs.len())
}

/// The theme's stylesheet, under its content-hashed name.
fn stylesheet(theme: &Theme) -> Output {
    Output::file(theme.css_path.clone(), theme.css.clone().into_bytes())
}

/// One unit of rendering work: a page (with its redirect pages, if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    NotFound,
    /// The search page (`/tim-kiem/`).
    Search,
    /// Index into `Site::models`.
    Model(usize),
    Ceremony(usize),
    Page(usize),
    /// 1-based page number of the model list.
    ModelList(usize),
    CeremonyList(usize),
    /// Index into `Taxonomies::list`.
    TaxonomyIndex(usize),
    /// (taxonomy, term, page number)
    Term(usize, usize, usize),
    PlaceIndex,
    /// (place node, page number)
    Place(usize, usize),
    TermEmbed(usize, usize),
    PlaceEmbed(usize),
    Stats,
    /// Statistics of one province (place-tree root).
    StatsPlace(usize),
    /// Statistics of one field (term index).
    StatsField(usize),
    SiteFeed,
    TermFeed(usize, usize),
    PlaceFeed(usize),
    Sitemap,
    Robots,
    RedirectMaps,
    /// One file of the open data (`du-lieu/`).
    OpenData(OpenFile),
    /// The page documenting the open-data schema.
    OpenDataDoc,
    /// The page listing what other sites can embed (`nhung/`).
    EmbedIndex,
    /// A link-preview card (index into the card plan, src/render/share.rs).
    Card(usize),
    /// The theme's stylesheet.
    Stylesheet,
}

/// The files of the open data, each its own job: made together, the four
/// were held at once, the largest part of `check`'s peak at 10,000 models
/// (bench/RESULTS.md). Planned one after the other, they are mostly made
/// by one thread in turn, each freed before the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpenFile {
    ModelsJson,
    CeremoniesJson,
    ModelsCsv,
    Workbook,
}

impl OpenFile {
    pub const ALL: [OpenFile; 4] = [
        OpenFile::ModelsJson,
        OpenFile::CeremoniesJson,
        OpenFile::ModelsCsv,
        OpenFile::Workbook,
    ];
}

/// Every job of the site, in a stable order.
pub fn plan(site: &Site) -> Vec<Job> {
    jobs(site)
}

/// Where `job`'s page is listed in the sitemap, with its date, if it is:
/// every document, the first page of each list, term and place, the
/// statistics and the open data. Beside the plan and an exhaustive match,
/// so a new kind of page is decided here, not forgotten in a second list.
fn sitemap_entry(s: &Site, job: &Job) -> Option<(String, Option<Date>)> {
    let tax = &s.taxonomies;
    let doc = |d: &Doc| Some((d.path.clone(), d.date));
    let undated = |path: String| Some((path, None));
    match *job {
        Job::Home => undated(String::new()),
        Job::Model(i) => doc(&s.models[i].doc),
        Job::Ceremony(i) => doc(&s.ceremonies[i].doc),
        Job::Page(i) => doc(&s.pages[i].doc),
        Job::ModelList(1) => undated(format!("{}/", s.config.sections.models)),
        Job::CeremonyList(1) => undated(format!("{}/", s.config.sections.ceremonies)),
        Job::TaxonomyIndex(a) => undated(format!("{}/", tax.list[a].axis.slug())),
        Job::Term(a, i, 1) => undated(tax.list[a].term_path(&tax.list[a].terms[i])),
        Job::PlaceIndex => undated(crate::urls::PLACES.into()),
        Job::Place(i, 1) => undated(tax.places.nodes[i].path.clone()),
        Job::Stats => undated(crate::urls::STATS.into()),
        Job::OpenData(OpenFile::ModelsJson) => undated(crate::urls::OPEN_DATA.into()),
        // Later pages of a list, pages for machines or for embedding,
        // and pages with nothing of their own to find.
        Job::ModelList(_)
        | Job::CeremonyList(_)
        | Job::Term(..)
        | Job::Place(..)
        | Job::NotFound
        | Job::Search
        | Job::TermEmbed(..)
        | Job::PlaceEmbed(_)
        | Job::StatsPlace(_)
        | Job::StatsField(_)
        | Job::SiteFeed
        | Job::TermFeed(..)
        | Job::PlaceFeed(_)
        | Job::Sitemap
        | Job::Robots
        | Job::RedirectMaps
        | Job::OpenDataDoc
        | Job::OpenData(_)
        | Job::EmbedIndex
        | Job::Card(_)
        | Job::Stylesheet => None,
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let pages = |n: usize| site.config.paging.pages(n);
    let mut jobs = vec![Job::Home, Job::NotFound];
    jobs.push(Job::Search);
    jobs.extend((0..site.models.len()).map(Job::Model));
    jobs.extend((0..site.ceremonies.len()).map(Job::Ceremony));
    jobs.extend(
        (0..site.pages.len())
            .filter(|&i| !site.pages[i].doc.path.is_empty())
            .map(Job::Page),
    );
    jobs.extend((1..=pages(site.models.len())).map(Job::ModelList));
    jobs.extend((1..=pages(site.ceremonies.len())).map(Job::CeremonyList));
    let tax = &site.taxonomies;
    let (feeds, embeds) = (&site.config.feeds, &site.config.embeds);
    for (a, t) in tax.list.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(a));
        for (i, term) in t.terms.iter().enumerate() {
            jobs.extend((1..=pages(term.count())).map(|n| Job::Term(a, i, n)));
            if term_has(embeds, t.axis) {
                jobs.push(Job::TermEmbed(a, i));
            }
        }
    }
    jobs.push(Job::PlaceIndex);
    for (i, node) in tax.places.nodes.iter().enumerate() {
        jobs.extend(
            (1..=pages(node.models.len() + node.ceremonies.len())).map(|n| Job::Place(i, n)),
        );
        if place_has(embeds, &tax.places, i) {
            jobs.push(Job::PlaceEmbed(i));
        }
    }
    jobs.push(Job::Stats);
    jobs.extend(
        tax.places
            .roots
            .iter()
            .filter(|&&r| tax.places.nodes[r].successor.is_none())
            .map(|&r| Job::StatsPlace(r)),
    );
    jobs.extend((0..tax.get(crate::taxonomy::Axis::Field).terms.len()).map(Job::StatsField));
    jobs.push(Job::SiteFeed);
    for (a, t) in tax.list.iter().enumerate() {
        if term_has(feeds, t.axis) {
            jobs.extend((0..t.terms.len()).map(|i| Job::TermFeed(a, i)));
        }
    }
    jobs.extend(
        (0..tax.places.nodes.len())
            .filter(|&i| place_has(feeds, &tax.places, i))
            .map(Job::PlaceFeed),
    );
    jobs.extend([Job::Sitemap, Job::Robots, Job::RedirectMaps]);
    jobs.extend(OpenFile::ALL.map(Job::OpenData));
    jobs.extend([Job::OpenDataDoc, Job::Stylesheet]);
    if has_embed_index(&site.config) {
        jobs.push(Job::EmbedIndex);
    }
    jobs.extend((0..share::CardPlan::count(site)).map(Job::Card));
    jobs
}

/// Whether the pages of `axis`'s terms get their own feed or embed under
/// `scope` (`feeds:` or `embeds:` of site.yaml).
fn term_has(scope: &crate::config::PerPage, axis: Axis) -> bool {
    scope.term(axis == Axis::Field)
}

/// Whether place `n`'s page gets its own feed or embed under `scope`: the
/// provinces are the top of the place tree.
fn place_has(
    scope: &crate::config::PerPage,
    places: &crate::taxonomy::PlaceTree,
    n: usize,
) -> bool {
    scope.place(places.nodes[n].parent.is_none())
}

/// The page listing the embeds (`nhung/`) is written, and linked from the
/// footer, unless `embeds:` asks for none at all.
fn has_embed_index(config: &crate::config::Config) -> bool {
    config.embeds.term(true) || config.embeds.place(true)
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let c = &site.config;
        let built_iso = crate::clock::build_day();
        let view = SiteView {
            organization: c.organization.as_ref().map(OrgView::new),
            logo: c.logo.as_ref().map(|l| format!("{}{l}", c.root)),
            footer_text: c
                .footer
                .clone()
                .unwrap_or_else(|| theme.strings.get("footer").cloned().unwrap_or_default()),
            built: crate::core::date::Date::parse(&built_iso)
                .map_or_else(|| built_iso.clone(), |d| d.display_vi()),
            built_iso,
            extra: &c.extra,
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            root: &c.root,
            lang: &c.content_lang,
            css: format!("{}{}", c.root, theme.css_path),
            menu: c
                .menu
                .iter()
                .map(|m| Link {
                    title: m.label.clone(),
                    url: if m.url.starts_with("http") {
                        m.url.clone()
                    } else {
                        format!("{}{}", c.root, m.url.trim_start_matches('/'))
                    },
                })
                .collect(),
            footer: [
                ("open_data", crate::urls::OPEN_DATA.to_string()),
                ("tags", format!("{}/", Axis::Tag.slug())),
                ("statistics", crate::urls::STATS.to_string()),
                ("embeds", crate::urls::EMBED_INDEX.to_string()),
                ("feed", crate::urls::SITE_FEED.to_string()),
            ]
            .into_iter()
            .filter(|(key, _)| *key != "embeds" || has_embed_index(c))
            .chain(
                site.pages
                    .iter()
                    .find(|p| p.doc.path == ABOUT_PAGE)
                    .map(|_| ("about", ABOUT_PAGE.to_string())),
            )
            .map(|(key, path)| Link {
                title: theme
                    .strings
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| key.to_string()),
                url: format!("{}{path}", c.root),
            })
            .collect(),
        };
        let mut base = Context::new();
        base.insert("site", &view);
        base.insert("t", &theme.strings);
        Self {
            site,
            theme,
            base,
            all_models: (0..site.models.len()).map(browse::Item::Model).collect(),
            all_ceremonies: (0..site.ceremonies.len())
                .map(browse::Item::Ceremony)
                .collect(),
            terms_by_slug: site
                .taxonomies
                .list
                .iter()
                .flat_map(|t| {
                    t.terms
                        .iter()
                        .enumerate()
                        .map(move |(i, term)| ((t.axis, term.slug.as_str()), i))
                })
                .collect(),
            cards: share::CardPlan::new(site, theme),
            redirects: crate::hosts::Redirects::ALL,
        }
    }

    /// A preview card's PNG, or why it could not be drawn.
    fn share_card(&self, i: usize) -> Result<Output, Diagnostic> {
        self.cards.output(&self.site.root, i).map_err(|e| {
            Diagnostic::error(
                Code::Io,
                crate::cards::CACHE_DIR,
                crate::tr!(
                    "không vẽ được ảnh xem trước: {e}",
                    "cannot draw a link-preview card: {e}"
                ),
            )
        })
    }

    /// Names preview card `card` as the page's picture (a page with a photo
    /// of its own keeps the photo).
    fn with_card(&self, meta: &mut Meta, card: usize) {
        if meta.image.is_some() {
            return;
        }
        meta.image = Some(self.absolute(&self.cards.cards[card].0));
        meta.image_width = Some(crate::cards::WIDTH);
        meta.image_height = Some(crate::cards::HEIGHT);
        meta.image_alt = Some(meta.title.clone());
    }

    fn t<'k>(&'k self, key: &'k str) -> &'k str {
        self.theme.strings.get(key).map_or(key, String::as_str)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.site.config.root, path)
    }

    fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.site.config.base_url, path)
    }

    fn render_job(&self, job: &Job) -> Result<Vec<Output>, Diagnostic> {
        match *job {
            Job::Home => self.home().map(|o| vec![o]),
            Job::NotFound => self.not_found().map(|o| vec![o]),
            Job::Search => self.search_page().map(|o| vec![o]),
            Job::Model(i) => self.model(i),
            Job::Ceremony(i) => self.ceremony(i),
            Job::Page(i) => self.page(i),
            Job::ModelList(n) => self.list(true, n).map(|o| vec![o]),
            Job::CeremonyList(n) => self.list(false, n).map(|o| vec![o]),
            Job::TaxonomyIndex(a) => self.taxonomy_index(a).map(|o| vec![o]),
            Job::Term(a, t, n) => self.term_page(a, t, n).map(|o| vec![o]),
            Job::PlaceIndex => self.place_index().map(|o| vec![o]),
            Job::Place(i, n) => self.place_page(i, n).map(|o| vec![o]),
            Job::TermEmbed(a, t) => self.term_embed(a, t).map(|o| vec![o]),
            Job::PlaceEmbed(i) => self.place_embed(i).map(|o| vec![o]),
            Job::Stats => self.stats_page(stats::Scope::All).map(|o| vec![o]),
            Job::StatsPlace(n) => self.stats_page(stats::Scope::Place(n)).map(|o| vec![o]),
            Job::StatsField(t) => self.stats_page(stats::Scope::Field(t)).map(|o| vec![o]),
            Job::SiteFeed => self.site_feed().map(|o| vec![o]),
            Job::TermFeed(a, t) => self.term_feed(a, t).map(|o| vec![o]),
            Job::PlaceFeed(n) => self.place_feed(n).map(|o| vec![o]),
            Job::Sitemap => self.sitemaps(),
            Job::Robots => Ok(vec![self.robots()?, feeds::favicon()]),
            Job::RedirectMaps => Ok(self.redirect_maps()),
            Job::OpenData(file) => Ok(vec![self.open_data(file)]),
            Job::OpenDataDoc => self.open_data_doc().map(|o| vec![o]),
            Job::EmbedIndex => self.embed_index().map(|o| vec![o]),
            Job::Card(i) => self.share_card(i).map(|o| vec![o]),
            Job::Stylesheet => Ok(vec![stylesheet(self.theme)]),
        }
    }

    /// Renders `template` with its page view (src/render/views.rs) beside
    /// the values every page has (`site`, `t`, `meta`).
    fn page_output(
        &self,
        template: &str,
        path: String,
        meta: Meta,
        view: &impl Serialize,
    ) -> Result<Output, Diagnostic> {
        let mut meta = meta;
        let card = self.cards.page(&meta.path);
        self.with_card(&mut meta, card);
        let html = self.render_view(template, &path, view, Some(&meta))?;
        Ok(Output::page(crate::urls::page_file(&path), html))
    }

    /// A file that is not a page (a feed, the sitemap, robots.txt) from
    /// its template: its view beside `site` and `t`.
    fn text_output(
        &self,
        template: &str,
        path: String,
        view: &impl Serialize,
    ) -> Result<Output, Diagnostic> {
        let text = self.render_view(template, &path, view, None)?;
        Ok(Output::file(path, text))
    }

    /// `template` rendered with `view` (and `meta`, for a page), as the
    /// bytes a file holds; an error names the theme's file and the page
    /// being made. Bytes, not a `String`: Tera's `render` checks that the
    /// text it made is UTF-8 (its own output, from `str`s), which cost more
    /// than running the template on a model page (2.6 % of a cold build's
    /// samples against 1.4 %).
    fn render_view(
        &self,
        template: &str,
        path: &str,
        view: &impl Serialize,
        meta: Option<&Meta>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let template_error = |e: tera::Error| {
            Diagnostic::error(
                Code::Template,
                format!("themes/{}/templates/{template}", self.site.config.theme),
                crate::diagnostic::Text::untranslated(e.to_string()),
            )
            .help(crate::tr!(
                "khi dựng trang /{path}",
                "while rendering /{path}"
            ))
        };
        let mut full = self.base.clone();
        full.extend(Context::from_serialize(view).map_err(template_error)?);
        if let Some(meta) = meta {
            full.insert("meta", meta);
        }
        // A model page is about 18 KB, a forwarding page 2 KB.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(template, &full, &mut bytes)
            .map_err(template_error)?;
        Ok(bytes)
    }

    fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        og_type: &'static str,
        json_ld: serde_json::Value,
    ) -> Meta {
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            canonical: self.absolute(path),
            og_type,
            json_ld: json_ld_string(&json_ld),
            path: path.to_string(),
            image: None,
            image_alt: None,
            image_width: None,
            image_height: None,
            feed: Some(self.absolute(crate::urls::SITE_FEED)),
        }
    }

    /// The page meta of a model or ceremony: its first photo for previews.
    fn doc_meta(&self, doc: &Doc, json_ld: serde_json::Value) -> Meta {
        let mut meta = self.meta(&doc.title, &doc.summary, &doc.path, "article", json_ld);
        if let Some(img) = doc.images.first() {
            meta.image_alt = Some(img.alt.clone());
            match &img.rendition {
                Some(r) => {
                    let (path, w, h) = &r.og;
                    meta.image = Some(self.absolute(path));
                    meta.image_width = Some(*w);
                    meta.image_height = Some(*h);
                }
                None => meta.image = Some(self.absolute(&img.output)),
            }
        }
        meta
    }

    /// The share block: the short link (with its QR code for print) and a
    /// Facebook share link to the page's own address (a plain link: no
    /// script from Facebook runs on the site).
    fn share(&self, short: &str, page: &str) -> views::Share {
        let url = self.absolute(short);
        let label = format!("{} {url}", self.t("qr_label"));
        let page = self.absolute(page);
        let encoded =
            percent_encoding::utf8_percent_encode(&page, percent_encoding::NON_ALPHANUMERIC);
        views::Share {
            qr: crate::qr::svg(&url, &label),
            short_url: url,
            facebook_share: format!("https://www.facebook.com/sharer/sharer.php?u={encoded}"),
        }
    }

    fn term(&self, vocab: &Vocabulary, id: TermId) -> TermView {
        let t = vocab.term(id);
        TermView {
            id: t.id.clone(),
            label: t.label.clone(),
            url: None,
        }
    }

    /// A vocabulary term with the page that lists it on `axis` (the
    /// taxonomy's slugs are the vocabulary's ids).
    fn axis_term(&self, axis: Axis, vocab: &Vocabulary, id: TermId) -> TermView {
        let mut view = self.term(vocab, id);
        view.url = self.term_url(axis, &view.id);
        view
    }

    /// The site path of the term `slug` on `axis`, if the site has it.
    fn term_path(&self, axis: Axis, slug: &str) -> Option<String> {
        let t = self.site.taxonomies.get(axis);
        let &i = self.terms_by_slug.get(&(axis, slug))?;
        Some(t.term_path(&t.terms[i]))
    }

    fn term_url(&self, axis: Axis, slug: &str) -> Option<String> {
        self.term_path(axis, slug).map(|p| self.url(&p))
    }

    /// Each tag with its page.
    fn tag_links(&self, tags: &[String]) -> Vec<Link> {
        tags.iter()
            .filter_map(|tag| {
                let url = self.term_url(Axis::Tag, &crate::vi::slugify(tag))?;
                Some(Link {
                    title: tag.clone(),
                    url,
                })
            })
            .collect()
    }

    /// The place pages of a document, coarse to fine: the province that
    /// holds it, then each unit below that does (`holds` tells a node
    /// that lists the document).
    fn place_trail(&self, holds: impl Fn(&crate::taxonomy::PlaceNode) -> bool) -> Vec<Link> {
        let places = &self.site.taxonomies.places;
        let mut trail = Vec::new();
        let mut level: &[usize] = &places.roots;
        while let Some(&n) = level.iter().find(|&&n| holds(&places.nodes[n])) {
            let node = &places.nodes[n];
            trail.push(Link {
                title: node.label.clone(),
                url: self.url(&node.path),
            });
            level = &node.children;
        }
        trail
    }

    /// The breadcrumb trail of a document page from `(title, path)` pairs
    /// between home and the page (the partial adds home), and its
    /// `BreadcrumbList` JSON-LD (home first, the page itself last).
    fn doc_crumbs(&self, crumbs: Vec<(String, String)>, doc: &Doc) -> (Vec<Link>, String) {
        let all = std::iter::once((self.t("home").to_string(), String::new()))
            .chain(crumbs.iter().cloned())
            .chain(std::iter::once((doc.title.clone(), doc.path.clone())));
        let items: Vec<serde_json::Value> = all
            .enumerate()
            .map(|(i, (name, path))| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": name,
                    "item": self.absolute(&path),
                })
            })
            .collect();
        let ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        });
        let links = crumbs
            .into_iter()
            .map(|(title, path)| Link {
                title,
                url: self.url(&path),
            })
            .collect();
        (links, json_ld_string(&ld))
    }

    fn model_card(&self, m: &Model) -> Card {
        let v = &self.site.config.vocab;
        Card {
            title: m.doc.title.clone(),
            url: self.url(&m.doc.path),
            summary: m.doc.summary.clone(),
            badges: vec![
                v.fields.term(m.field).label.clone(),
                v.kinds.term(m.kind).label.clone(),
            ],
            place: place_text(&m.place),
            date: m.doc.date.map(|d| d.display_vi()),
            date_iso: m.doc.date.map(|d| d.to_string()),
        }
    }

    fn ceremony_card(&self, c: &Ceremony) -> Card {
        let v = &self.site.config.vocab;
        Card {
            title: c.doc.title.clone(),
            url: self.url(&c.doc.path),
            summary: c.doc.summary.clone(),
            badges: c
                .event_type
                .map(|e| v.event_types.term(e).label.clone())
                .into_iter()
                .collect(),
            place: place_text(&c.place),
            date: c.doc.date.map(|d| d.display_vi()),
            date_iso: c.doc.date.map(|d| d.to_string()),
        }
    }

    fn link_to(&self, doc: &Doc) -> Link {
        Link {
            title: doc.title.clone(),
            url: self.url(&doc.path),
        }
    }

    fn images(&self, doc: &Doc) -> Vec<ImageView> {
        doc.images
            .iter()
            .map(|i| {
                let mut view = ImageView {
                    url: self.url(&i.output),
                    alt: i.alt.clone(),
                    caption: i.caption.clone(),
                    credit: i.credit.clone(),
                    width: None,
                    height: None,
                    srcset: None,
                    webp_srcset: None,
                };
                if let Some(r) = &i.rendition {
                    let top = r.largest();
                    view.url = self.url(&top.jpeg);
                    view.width = Some(top.width);
                    view.height = Some(top.height);
                    view.srcset = Some(self.srcset(r.variants.iter().map(|v| (&v.jpeg, v.width))));
                    // All sizes or none: a browser taking WebP picks only among them.
                    if r.variants.iter().all(|v| v.webp.is_some()) {
                        view.webp_srcset = Some(
                            self.srcset(
                                r.variants
                                    .iter()
                                    .filter_map(|v| v.webp.as_ref().map(|p| (p, v.width))),
                            ),
                        );
                    }
                }
                view
            })
            .collect()
    }

    fn srcset<'p>(&self, sizes: impl Iterator<Item = (&'p String, u32)>) -> String {
        sizes
            // A space or comma would end the URL inside `srcset`.
            .map(|(path, w)| {
                let url = self.url(path).replace(' ', "%20").replace(',', "%2C");
                format!("{url} {w}w")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn home(&self) -> Result<Output, Diagnostic> {
        let s = self.site;
        let intro = s
            .pages
            .iter()
            .find(|p| p.doc.path.is_empty())
            .map(|p| markdown::to_html(p.doc.file.body(), &s.config.root));
        let mut by_field = vec![0usize; s.config.vocab.fields.len()];
        for m in &s.models {
            by_field[index_of(m.field, &s.config.vocab.fields)] += 1;
        }
        let view = views::Home {
            intro,
            models: s
                .models
                .iter()
                .take(6)
                .map(|m| self.model_card(m))
                .collect(),
            ceremonies: s
                .ceremonies
                .iter()
                .take(4)
                .map(|c| self.ceremony_card(c))
                .collect(),
            model_count: s.models.len(),
            ceremony_count: s.ceremonies.len(),
            fields: s
                .config
                .vocab
                .fields
                .iter()
                .zip(by_field)
                .map(|((_, t), count)| views::FieldCount {
                    label: t.label.clone(),
                    count,
                })
                .collect(),
            models_url: self.url(&format!("{}/", s.config.sections.models)),
            ceremonies_url: self.url(&format!("{}/", s.config.sections.ceremonies)),
        };
        let ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": s.config.title,
            "description": s.config.description,
            "url": s.config.base_url,
            "inLanguage": s.config.content_lang,
        });
        let meta = self.meta(&s.config.title, &s.config.description, "", "website", ld);
        self.page_output("home.html", String::new(), meta, &view)
    }

    fn not_found(&self) -> Result<Output, Diagnostic> {
        let view = views::NotFound {
            models_url: self.url(&format!("{}/", self.site.config.sections.models)),
        };
        let ld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": self.t("not_found_title")});
        let meta = self.meta(self.t("not_found_title"), "", "404.html", "website", ld);
        self.page_output("404.html", "404.html".into(), meta, &view)
    }

    /// The search page: the client fills it from the static index.
    fn search_page(&self) -> Result<Output, Diagnostic> {
        let (path, js) = crate::search::client_js(self.site);
        let strings = serde_json::json!({
            "prompt": self.t("search_prompt"), "count": self.t("search_count"),
            "none": self.t("search_none"), "none_help": self.t("search_none_help"),
            "try_instead": self.t("search_try_instead"), "clear_filters": self.t("search_clear_filters"),
            "typed": self.t("search_typed"),
            "error": self.t("search_error"), "facet_type": self.t("search_facet_type"),
            "facet_field": self.t("field"), "facet_kind": self.t("kind"), "facet_level": self.t("level"),
            "facet_year": self.t("year"), "facet_province": self.t("place"),
            "facet_award": self.t("search_facet_award"), "facet_body": self.t("search_facet_body"),
        });
        let view = views::Search {
            search_client: crate::search::inline_script(&js),
            // The built-in page carries the client inline.
            search_js: self.url(&path),
            search_index: self.url(&format!("{}/", crate::search::static_index::DIR)),
            strings: json_ld_string(&strings),
            models_dir: self.site.config.sections.models.clone(),
        };
        let path = crate::urls::SEARCH_PAGE.to_string();
        let ld = serde_json::json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": self.t("search"), "url": self.absolute(&path)});
        let meta = self.meta(self.t("search"), "", &path, "website", ld);
        self.page_output("search.html", path, meta, &view)
    }

    fn list(&self, models: bool, number: usize) -> Result<Output, Diagnostic> {
        let s = self.site;
        let (section, items, title) = if models {
            (
                &s.config.sections.models,
                &self.all_models,
                self.t("models"),
            )
        } else {
            (
                &s.config.sections.ceremonies,
                &self.all_ceremonies,
                self.t("ceremonies"),
            )
        };
        let feed = Some((self.url(crate::urls::SITE_FEED), None));
        self.card_list(
            title,
            &format!("{section}/"),
            items,
            number,
            Vec::new(),
            feed,
            None,
        )
    }

    /// Links to the first, last and nearby pages only, so each list page
    /// stays small however many pages there are.
    fn pager(&self, current: usize, total: usize, path: &dyn Fn(usize) -> String) -> Pager {
        let mut numbers: Vec<usize> = vec![1, total];
        numbers.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
        numbers.sort_unstable();
        numbers.dedup();
        let mut prev_n = 0;
        let pages = numbers
            .into_iter()
            .map(|n| {
                let item = PagerItem {
                    number: n,
                    url: self.url(&path(n)),
                    current: n == current,
                    gap_before: n > prev_n + 1,
                };
                prev_n = n;
                item
            })
            .collect();
        Pager {
            current,
            total,
            prev: (current > 1).then(|| self.url(&path(current - 1))),
            next: (current < total).then(|| self.url(&path(current + 1))),
            pages,
        }
    }

    /// What model and ceremony pages share, from the document and the
    /// breadcrumbs between home and the page.
    fn document<'d>(
        &self,
        doc: &'d Doc,
        crumbs: Vec<(String, String)>,
        place: &[String],
        places: Vec<Link>,
    ) -> views::Document<'d> {
        let (breadcrumbs, breadcrumbs_ld) = self.doc_crumbs(crumbs, doc);
        views::Document {
            title: &doc.title,
            lead: lead(doc),
            body: markdown::to_html(doc.file.body(), &self.site.config.root),
            breadcrumbs,
            breadcrumbs_ld,
            place: place_text(place),
            places: fine_first(places, place),
            date: doc.date.map(|d| d.display_vi()),
            date_iso: doc.date.map(|d| d.to_string()),
            tags: &doc.tags,
            tag_links: self.tag_links(&doc.tags),
            images: self.images(doc),
            sources: sources_view(&doc.sources),
            extra: &doc.extra,
            share: self.share(&crate::urls::short_link(doc), &doc.path),
        }
    }

    fn model(&self, i: usize) -> Result<Vec<Output>, Diagnostic> {
        let s = self.site;
        let m = &s.models[i];
        let v = &s.config.vocab;
        let rel = &s.relations;
        let owner = m.owner.as_ref().filter(|_| m.public).map(|o| match o {
            Owner::Name(name) => views::OwnerView { name, role: None },
            Owner::Detailed { name, role } => views::OwnerView {
                name,
                role: role.as_deref(),
            },
        });
        let award = |a: Option<TermId>| a.map(|a| v.awards.term(a).label.clone());
        let recognitions = m
            .recognitions
            .iter()
            .zip(&rel.recognition_ceremonies[i])
            .map(|(r, c)| views::RecognitionView {
                level: v.levels.term(r.level).label.clone(),
                level_url: self.term_url(Axis::Level, &v.levels.term(r.level).id),
                year: r.year,
                year_url: self.term_url(Axis::Year, &r.year.to_string()),
                by: r.by.clone(),
                award: award(r.award),
                decision: r.decision.clone(),
                ceremony: c.map(|c| self.link_to(&s.ceremonies[c].doc)),
            })
            .collect();
        let honoured_by = rel.honoured_by[i]
            .iter()
            .map(|h| {
                let c = &s.ceremonies[h.ceremony];
                views::HonouredBy {
                    title: c.doc.title.clone(),
                    url: self.url(&c.doc.path),
                    date: c.doc.date.map(|d| d.display_vi()),
                    date_iso: c.doc.date.map(|d| d.to_string()),
                    award: award(h.award),
                }
            })
            .collect();
        let history = m
            .history
            .iter()
            .map(|(st, d)| views::HistoryEntry {
                status: v.statuses.term(*st).label.clone(),
                date: d.display_vi(),
                date_iso: d.to_string(),
            })
            .collect();
        let field = self.axis_term(Axis::Field, &v.fields, m.field);
        let mut crumbs = vec![(
            self.t("models").to_string(),
            format!("{}/", s.config.sections.models),
        )];
        if let Some(path) = self.term_path(Axis::Field, &field.id) {
            crumbs.push((field.label.clone(), path));
        }
        let links = |models: &[usize]| -> Vec<Link> {
            models
                .iter()
                .map(|&j| self.link_to(&s.models[j].doc))
                .collect()
        };
        let mut ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "name": m.doc.title,
            "description": m.doc.summary,
            "url": self.absolute(&m.doc.path),
            "genre": v.fields.term(m.field).label,
            "inLanguage": s.config.content_lang,
            "keywords": m.doc.tags.join(", "),
        });
        if let Some(d) = m.doc.date {
            ld["dateModified"] = d.to_string().into();
        }
        if !m.place.is_empty() {
            ld["spatialCoverage"] =
                serde_json::json!({"@type": "Place", "name": place_text(&m.place)});
        }
        if let Some(o) = owner.as_ref() {
            ld["creator"] = serde_json::json!({"@type": "Organization", "name": o.name});
        }
        let view = views::Model {
            doc: self.document(
                &m.doc,
                crumbs,
                &m.place,
                self.place_trail(|n| n.models.binary_search(&i).is_ok()),
            ),
            field,
            kind: self.axis_term(Axis::Kind, &v.kinds, m.kind),
            status: crate::classify::current_status(m)
                .map(|st| self.axis_term(Axis::Status, &v.statuses, st)),
            owner,
            organizations: m
                .organizations
                .iter()
                .map(|o| self.axis_term(Axis::Organization, &v.organizations, *o))
                .collect(),
            period: m.period.as_deref().map(period_display),
            history,
            recognitions,
            results: m.results.iter().map(figure_view).collect(),
            replicated_from: links(&rel.replicated_from[i]),
            replicated_to: links(&rel.replicated_to[i]),
            honoured_by,
            related: rel.related[i]
                .iter()
                .map(|&j| self.model_card(&s.models[j]))
                .collect(),
        };
        let mut meta = self.doc_meta(&m.doc, ld);
        self.with_card(&mut meta, self.cards.model(i));
        let short = crate::urls::short_link(&m.doc);
        self.doc_outputs("model.html", &m.doc, &short, meta, &view)
    }

    fn ceremony(&self, i: usize) -> Result<Vec<Output>, Diagnostic> {
        let s = self.site;
        let c = &s.ceremonies[i];
        let v = &s.config.vocab;
        let label = |vocab: &Vocabulary, id: TermId| vocab.term(id).label.clone();
        let listed = c
            .honorees
            .iter()
            .zip(&s.relations.honoree_models[i])
            .map(|(h, target)| {
                let model = target.map(|j| &s.models[j]);
                let name = match model {
                    Some(m) => m.doc.title.clone(),
                    None if !h.public => self.t("name_withheld").to_string(),
                    None => h.name.clone().unwrap_or_default(),
                };
                views::HonoreeView {
                    name,
                    url: model.map(|m| self.url(&m.doc.path)),
                    kind: h.kind.or(model.map(|m| m.kind)).map(|k| label(&v.kinds, k)),
                    award: h.award.map(|a| label(&v.awards, a)),
                    by: h.by.clone(),
                    decision: h.decision.clone(),
                }
            });
        let recognised = s.relations.recognised_at[i].iter().map(|&(m, award)| {
            let model = &s.models[m];
            views::HonoreeView {
                name: model.doc.title.clone(),
                url: Some(self.url(&model.doc.path)),
                kind: Some(label(&v.kinds, model.kind)),
                award: award.map(|a| label(&v.awards, a)),
                by: None,
                decision: None,
            }
        });
        let honorees: Vec<views::HonoreeView> = listed.chain(recognised).collect();
        // Columns no honoree fills are left out, so narrow screens keep room
        // for the names.
        let honoree_columns = views::HonoreeColumns {
            kind: honorees.iter().any(|h| h.kind.is_some()),
            award: honorees.iter().any(|h| h.award.is_some()),
            by: honorees.iter().any(|h| h.by.is_some()),
        };
        let award_counts = c
            .award_counts
            .iter()
            .map(|a| views::AwardCountView {
                award: label(&v.awards, a.award),
                by: a.by.clone(),
                kind: a.kind.map(|k| label(&v.kinds, k)),
                count: format_number(f64::from(a.count)),
            })
            .collect();
        let statistics = c
            .statistics
            .iter()
            .map(|st| views::StatisticView {
                figure: figure_view(&st.figure),
                breakdowns: st
                    .breakdowns
                    .iter()
                    .map(|b| views::BreakdownView {
                        by: b.by.clone(),
                        parts: b
                            .parts
                            .iter()
                            .map(|(l, val)| views::PartView {
                                label: l.clone(),
                                value: format_number(*val),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let year = c.doc.date.map(|d| d.year.to_string());
        let year_path = year.as_deref().and_then(|y| self.term_path(Axis::Year, y));
        let year_url = year_path.as_deref().map(|p| self.url(p));
        let mut crumbs = vec![(
            self.t("ceremonies").to_string(),
            format!("{}/", s.config.sections.ceremonies),
        )];
        if let (Some(y), Some(path)) = (year, year_path) {
            crumbs.push((y, path));
        }
        let mut ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": c.doc.title,
            "description": c.doc.summary,
            "url": self.absolute(&c.doc.path),
            "eventStatus": "https://schema.org/EventScheduled",
            "inLanguage": s.config.content_lang,
        });
        if let Some(d) = c.doc.date {
            ld["startDate"] = d.to_string().into();
        }
        if !c.place.is_empty() {
            ld["location"] = serde_json::json!({"@type": "Place", "name": place_text(&c.place)});
        }
        if let Some(o) = &c.organizer {
            ld["organizer"] = serde_json::json!({"@type": "Organization", "name": o});
        }
        let view = views::Ceremony {
            doc: self.document(
                &c.doc,
                crumbs,
                &c.place,
                self.place_trail(|n| n.ceremonies.binary_search(&i).is_ok()),
            ),
            event_type: c.event_type.map(|e| self.term(&v.event_types, e)),
            level: c.level.map(|l| self.axis_term(Axis::Level, &v.levels, l)),
            texts: views::CeremonyTexts::of(&c.front),
            year_url,
            honorees,
            honoree_columns,
            award_counts,
            statistics,
        };
        let mut meta = self.doc_meta(&c.doc, ld);
        self.with_card(&mut meta, self.cards.ceremony(i));
        let short = crate::urls::short_link(&c.doc);
        self.doc_outputs("ceremony.html", &c.doc, &short, meta, &view)
    }

    fn page(&self, i: usize) -> Result<Vec<Output>, Diagnostic> {
        let s = self.site;
        let p = &s.pages[i];
        let view = views::Page {
            title: &p.doc.title,
            body: markdown::to_html(p.doc.file.body(), &s.config.root),
            date: p.doc.date.map(|d| d.display_vi()),
            extra: &p.doc.extra,
        };
        let ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": p.doc.title,
            "description": p.doc.summary,
            "url": self.absolute(&p.doc.path),
        });
        let mut meta = self.meta(&p.doc.title, &p.doc.summary, &p.doc.path, "website", ld);
        self.with_card(&mut meta, self.cards.page(&p.doc.path));
        // A page has no short link, only the aliases its editor gave.
        self.doc_outputs("page.html", &p.doc, "", meta, &view)
    }

    /// /du-lieu/: what the open-data files hold, field by field.
    fn open_data_doc(&self) -> Result<Output, Diagnostic> {
        let s = self.site;
        let doc = match s.config.lang {
            crate::core::Lang::Vi => OPEN_DATA_DOC_VI,
            crate::core::Lang::En => OPEN_DATA_DOC_EN,
        };
        let body = doc
            .replace("{root}", &s.config.root)
            .replace("{version}", &feeds::OPEN_DATA_VERSION.to_string());
        let title = self.t("open_data").to_string();
        let empty = serde_json::Value::Object(Default::default());
        let view = views::Page {
            title: &title,
            body: markdown::to_html(&body, "/"),
            date: None,
            extra: &empty,
        };
        let ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": title,
            "url": self.absolute(crate::urls::OPEN_DATA),
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": self.absolute(&crate::urls::open_data("mo-hinh.json"))},
                {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": self.absolute(&crate::urls::open_data("mo-hinh.csv"))},
                {"@type": "DataDownload", "encodingFormat": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "contentUrl": self.absolute(&crate::urls::open_data("mo-hinh.xlsx"))},
                {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": self.absolute(&crate::urls::open_data("tuyen-duong.json"))},
            ],
        });
        let meta = self.meta(
            &title,
            self.t("open_data_summary"),
            crate::urls::OPEN_DATA,
            "website",
            ld,
        );
        self.page_output("page.html", crate::urls::OPEN_DATA.into(), meta, &view)
    }

    /// A document's page, with its short link (`short`, empty for none)
    /// and aliases.
    fn doc_outputs(
        &self,
        template: &str,
        doc: &Doc,
        short: &str,
        meta: Meta,
        view: &impl Serialize,
    ) -> Result<Vec<Output>, Diagnostic> {
        let (also, forwarding) = self.redirects(doc, short, &meta)?;
        let mut page = self.page_output(template, doc.path.clone(), meta, view)?;
        page.also = also;
        let mut out = vec![page];
        out.extend(forwarding);
        Ok(out)
    }

    /// The pages at a document's short link and aliases, as the host
    /// wants them (src/hosts.rs): the files that publish the document's
    /// own page (its short link, as [`ShortPage::Itself`]), and the
    /// forwarding pages (its aliases, and its short link elsewhere).
    /// Forwarding pages carry the page's preview (`meta`): a link shared
    /// in Zalo may be a short link that forwards or an old address, and a
    /// preview crawler does not follow the refresh.
    fn redirects(
        &self,
        doc: &Doc,
        short: &str,
        meta: &Meta,
    ) -> Result<(Vec<String>, Vec<Output>), Diagnostic> {
        let (mut also, mut out) = (Vec::new(), Vec::new());
        if !self.redirects.pages {
            return Ok((also, out));
        }
        let short = (!short.is_empty()).then_some(short);
        let forwarded = match (self.redirects.short, short) {
            (ShortPage::Itself, Some(short)) => {
                also.push(crate::urls::page_file(short));
                None
            }
            (_, short) => short,
        };
        let target = self.absolute(&doc.path);
        let view = views::Redirect {
            target: &target,
            title: &doc.title,
        };
        for path in forwarded
            .into_iter()
            .chain(doc.aliases.iter().map(String::as_str))
        {
            let html = self.render_view("redirect.html", path, &view, Some(meta))?;
            out.push(Output::page(crate::urls::page_file(path), html));
        }
        Ok((also, out))
    }
}

/// The summary, when the editor wrote one; a summary taken from the body
/// would only repeat the first paragraph just below it.
fn lead(doc: &Doc) -> Option<&str> {
    doc.summary_given.then_some(doc.summary.as_str())
}

fn index_of(id: TermId, vocab: &Vocabulary) -> usize {
    vocab.iter().position(|(t, _)| t == id).unwrap_or(0)
}

fn place_text(place: &[String]) -> String {
    place.iter().rev().cloned().collect::<Vec<_>>().join(", ")
}

fn figure_view(f: &crate::site::Figure) -> FigureView {
    FigureView {
        label: f.label.clone(),
        value: format_number(f.value),
        unit: f.unit.clone(),
        qualifier: f.qualifier.map(|q| q.word()),
    }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are
/// escaped so no value can close the script element.
/// A source as pages show it: its date as every other date is shown
/// (15/08/2024), the ISO form kept for `<time datetime>`.
#[derive(Serialize)]
struct SourceView<'a> {
    url: Option<&'a str>,
    publication: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<String>,
    date_iso: Option<&'a str>,
}

fn sources_view(sources: &[crate::site::SourceRef]) -> Vec<SourceView<'_>> {
    sources
        .iter()
        .map(|s| SourceView {
            url: s.url.as_deref(),
            publication: s.publication.as_deref(),
            title: s.title.as_deref(),
            date: s.date.as_deref().map(|d| {
                crate::site::Date::parse(d).map_or_else(|| d.to_string(), |d| d.display_vi())
            }),
            date_iso: s
                .date
                .as_deref()
                .filter(|d| crate::site::Date::parse(d).is_some()),
        })
        .collect()
}

/// A period as Vietnamese typography writes a range: `2017–2019` with an
/// en dash (editors type a hyphen). Only a range of two years changes.
fn period_display(period: &str) -> String {
    match crate::core::date::year_range(period) {
        Some((start, end)) => format!("{start}–{end}"),
        None => period.to_string(),
    }
}

/// A place trail as Vietnamese addresses read: the finest unit first
/// (“Quận 1, TP. Hồ Chí Minh”), as `place_text` writes it.
/// Empty, so the page shows the place as written, when the tree does not
/// hold every level of it.
fn fine_first(mut trail: Vec<Link>, place: &[String]) -> Vec<Link> {
    if trail.len() != place.len() {
        return Vec::new();
    }
    trail.reverse();
    trail
}

pub fn json_ld_string(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_take_an_en_dash_between_years_only() {
        assert_eq!(period_display("2017-2019"), "2017–2019");
        assert_eq!(period_display("2017 - 2019"), "2017–2019");
        assert_eq!(period_display("2017—2019"), "2017–2019");
        assert_eq!(period_display("từ 2017-nay"), "từ 2017-nay");
        assert_eq!(period_display("2019-10-15"), "2019-10-15");
    }

    #[test]
    fn json_ld_cannot_close_the_script() {
        let s = json_ld_string(&serde_json::json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</script"));
        assert!(s.contains("\\u003c/script\\u003e"));
    }

    #[test]
    fn places_read_fine_to_coarse() {
        assert_eq!(
            place_text(&["Lai Châu".into(), "Tân Uyên".into()]),
            "Tân Uyên, Lai Châu"
        );
    }
}
