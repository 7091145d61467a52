//! What each page template sees: one `Serialize` struct per page kind.
//!
//! A template's variables are the fields of its view, plus `site`, `t`
//! (the interface strings) and `meta` (the page's title, address and
//! preview), which every page has. `docs/theming.md` lists them template by
//! template; `tests/it/theming.rs` renders every template with a theme that
//! prints its context and compares the names with that list, so the list
//! cannot go stale.
//!
//! A new front-matter field shown as written is its key in `schema.rs`,
//! its line in the page kind's texts here (`CeremonyTexts`: read from the
//! document's `front`), and the template.

use serde::Serialize;

use super::stats::{Announced, Row, Section};
use super::{Card, FigureView, ImageView, Link, Pager, SourceView, TermView};

/// `home.html`.
#[derive(Serialize)]
pub(super) struct Home {
    /// The about page's body (the page at the site root), as HTML.
    pub intro: Option<String>,
    /// The six newest models and four newest ceremonies, as cards.
    pub models: Vec<Card>,
    pub ceremonies: Vec<Card>,
    pub model_count: usize,
    pub ceremony_count: usize,
    /// Every field of the vocabulary with its number of models.
    pub fields: Vec<FieldCount>,
    pub models_url: String,
    pub ceremonies_url: String,
}

#[derive(Serialize)]
pub(super) struct FieldCount {
    pub label: String,
    pub count: usize,
}

/// `404.html`.
#[derive(Serialize)]
pub(super) struct NotFound {
    pub models_url: String,
}

/// `search.html`.
#[derive(Serialize)]
pub(super) struct Search {
    /// The search client as an inline `<script>` (already escaped).
    pub search_client: String,
    /// The client's own file, for a theme's page that loads it instead.
    pub search_js: String,
    /// The static index's folder.
    pub search_index: String,
    /// The client's interface strings, as JSON.
    pub strings: String,
    /// The models' section (`mo-hinh`), to tell models from ceremonies.
    pub models_dir: String,
}

/// The short link and the share links of a model or ceremony page.
#[derive(Serialize)]
pub(super) struct Share {
    /// The short link's QR code, as inline SVG (none when the link is too
    /// long for one).
    pub qr: Option<String>,
    pub short_url: String,
    pub facebook_share: String,
}

/// What model and ceremony pages share.
#[derive(Serialize)]
pub(super) struct Document<'a> {
    pub title: &'a str,
    /// The summary when the editor wrote one (not the one taken from the body).
    pub lead: Option<&'a str>,
    /// The body, as HTML.
    pub body: String,
    pub breadcrumbs: Vec<Link>,
    /// The breadcrumbs as `BreadcrumbList` JSON-LD.
    pub breadcrumbs_ld: String,
    /// The place as written, finest unit first.
    pub place: String,
    /// The place's pages, finest first (empty when the tree lacks a level).
    pub places: Vec<Link>,
    /// `dd/mm/yyyy`, and ISO for `<time datetime>`.
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub tags: &'a [String],
    /// Each tag with its page.
    pub tag_links: Vec<Link>,
    pub images: Vec<ImageView>,
    pub sources: Vec<SourceView<'a>>,
    /// `extra:` of the front matter, for the theme's own use.
    pub extra: &'a serde_json::Value,
    #[serde(flatten)]
    pub share: Share,
}

/// `model.html`.
#[derive(Serialize)]
pub(super) struct Model<'a> {
    #[serde(flatten)]
    pub doc: Document<'a>,
    pub field: TermView,
    pub kind: TermView,
    /// The latest status of `history:`, else `status:`.
    pub status: Option<TermView>,
    /// `None` when the model is not public (`public: false`).
    pub owner: Option<OwnerView<'a>>,
    pub organizations: Vec<TermView>,
    /// `2017–2019`, with an en dash.
    pub period: Option<String>,
    pub history: Vec<HistoryEntry>,
    pub recognitions: Vec<RecognitionView>,
    pub results: Vec<FigureView>,
    pub replicated_from: Vec<Link>,
    pub replicated_to: Vec<Link>,
    /// The ceremonies that honoured the model.
    pub honoured_by: Vec<HonouredBy>,
    /// Related models, as cards.
    pub related: Vec<Card>,
}

#[derive(Serialize)]
pub(super) struct OwnerView<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct HistoryEntry {
    pub status: String,
    pub date: String,
    pub date_iso: String,
}

#[derive(Serialize)]
pub(super) struct RecognitionView {
    pub level: String,
    pub level_url: Option<String>,
    pub year: i32,
    pub year_url: Option<String>,
    pub by: Option<String>,
    pub award: Option<String>,
    pub decision: Option<String>,
    /// The ceremony page of the recognition, when the site has it.
    pub ceremony: Option<Link>,
}

#[derive(Serialize)]
pub(super) struct HonouredBy {
    pub title: String,
    pub url: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub award: Option<String>,
}

/// `ceremony.html`.
#[derive(Serialize)]
pub(super) struct Ceremony<'a> {
    #[serde(flatten)]
    pub doc: Document<'a>,
    #[serde(flatten)]
    pub texts: CeremonyTexts<'a>,
    pub event_type: Option<TermView>,
    pub level: Option<TermView>,
    /// The page of the ceremony's year.
    pub year_url: Option<String>,
    /// The honorees listed in the ceremony, then the models whose
    /// recognitions name it.
    pub honorees: Vec<HonoreeView>,
    /// Which honoree columns any row fills, so empty ones are left out.
    pub honoree_columns: HonoreeColumns,
    pub award_counts: Vec<AwardCountView>,
    pub statistics: Vec<StatisticView>,
}

/// A ceremony's free texts, shown as written (no rule beyond their type):
/// a new one is its key in `schema.rs` and a line in each of these two.
#[derive(Serialize)]
pub(super) struct CeremonyTexts<'a> {
    pub organizer: Option<&'a str>,
    pub occasion: Option<&'a str>,
    pub venue: Option<&'a str>,
}

impl<'a> CeremonyTexts<'a> {
    pub fn of(front: &'a crate::schema::CeremonyFront) -> Self {
        CeremonyTexts {
            organizer: front.organizer.as_deref(),
            occasion: front.occasion.as_deref(),
            venue: front.venue.as_deref(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct HonoreeView {
    /// The model's title, the name, or the withheld-name label.
    pub name: String,
    pub url: Option<String>,
    pub kind: Option<String>,
    pub award: Option<String>,
    pub by: Option<String>,
    pub decision: Option<String>,
}

#[derive(Serialize)]
pub(super) struct HonoreeColumns {
    pub kind: bool,
    pub award: bool,
    pub by: bool,
}

#[derive(Serialize)]
pub(super) struct AwardCountView {
    pub award: String,
    pub by: Option<String>,
    pub kind: Option<String>,
    /// Written as Vietnamese numbers are (`1.234`).
    pub count: String,
}

#[derive(Serialize)]
pub(super) struct StatisticView {
    pub figure: FigureView,
    pub breakdowns: Vec<BreakdownView>,
}

#[derive(Serialize)]
pub(super) struct BreakdownView {
    pub by: String,
    pub parts: Vec<PartView>,
}

#[derive(Serialize)]
pub(super) struct PartView {
    pub label: String,
    pub value: String,
}

/// `page.html`: a page of `content/` and the open-data page.
#[derive(Serialize)]
pub(super) struct Page<'a> {
    pub title: &'a str,
    pub body: String,
    pub date: Option<String>,
    /// `extra:` of the front matter (null on the open-data page).
    pub extra: &'a serde_json::Value,
}

/// `taxonomy.html`: a taxonomy's terms, or the provinces.
#[derive(Serialize)]
pub(super) struct TermIndex<'a> {
    pub heading: &'a str,
    pub terms: Vec<TermLink>,
    pub breadcrumbs: Vec<Link>,
}

/// A term or place with its page and how many documents it lists.
#[derive(Serialize)]
pub(super) struct TermLink {
    pub label: String,
    pub url: String,
    pub count: usize,
    /// “now part of …” for a unit merged into another.
    pub note: Option<String>,
}

/// `list.html`: one page of a list of cards (models, ceremonies, a term,
/// a place).
#[derive(Serialize)]
pub(super) struct List<'a> {
    pub heading: &'a str,
    /// The documents this page shows.
    pub cards: Vec<Card>,
    /// Whether to show them as rows (the later pages of a list, an archive
    /// to scan) rather than as cards with summaries (src/core/paging.rs).
    pub rows: bool,
    /// The position in the whole list of the first document shown (1 on
    /// the first page), so rows number on across pages.
    pub first_number: usize,
    /// Documents in the whole list, all pages.
    pub total: usize,
    pub pager: Pager,
    pub breadcrumbs: Vec<Link>,
    /// The feed the list links to, and whose it is when not the list's own.
    pub feed: Option<String>,
    pub feed_of: Option<String>,
    /// On a place page: the units below it, and the merger notes.
    pub children: Option<Vec<TermLink>>,
    pub notes: Option<Vec<Link>>,
}

/// `embeds.html`: the page listing what other sites can embed.
#[derive(Serialize)]
pub(super) struct Embeds<'a> {
    pub heading: &'a str,
    /// A sample `<iframe>` to copy.
    pub sample: Option<String>,
    /// What else has an embed besides the lists shown.
    pub more: Option<&'a str>,
    /// The fields' lists, then the provinces'.
    pub groups: [EmbedGroup<'a>; 2],
}

#[derive(Serialize)]
pub(super) struct EmbedGroup<'a> {
    pub title: &'a str,
    pub links: Vec<Link>,
}

/// `embed.html`: a bare list for another site's iframe.
#[derive(Serialize)]
pub(super) struct Embed<'a> {
    pub heading: &'a str,
    pub cards: Vec<Card>,
    pub total: usize,
}

/// `stats.html`.
#[derive(Serialize)]
pub(super) struct Stats<'a> {
    pub heading: &'a str,
    pub model_count: usize,
    /// One per chart: fields, kinds, levels, places, …
    pub sections: Vec<Section>,
    /// Figures announced at ceremonies (the whole site's page only).
    pub announced: Vec<Announced>,
    /// The provinces' and fields' own pages (the whole site's page only).
    pub subpages: Vec<Row>,
    pub breadcrumbs: Vec<Link>,
}

/// `redirect.html`: a short link or an alias forwarding to its document.
#[derive(Serialize)]
pub(super) struct Redirect<'a> {
    /// The document's absolute address.
    pub target: &'a str,
    pub title: &'a str,
}

/// `atom.xml`: an Atom feed of the newest documents of a list.
#[derive(Serialize)]
pub(super) struct Feed<'a> {
    /// The list's own name (the site's title follows it in the template).
    pub title: &'a str,
    /// The feed's absolute address, also its Atom id.
    pub url: String,
    /// The page the feed follows.
    pub page_url: String,
    /// The newest entry's date (RFC 3339).
    pub updated: String,
    /// Newest first, at most 50.
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub updated: String,
    pub summary: &'a str,
}

/// `sitemap.xml`: the pages worth indexing.
#[derive(Serialize)]
pub(super) struct Sitemap {
    pub entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
pub(super) struct SitemapEntry {
    pub url: String,
    /// The content's date (`yyyy-mm-dd`) when known to the day.
    pub lastmod: Option<String>,
}

/// `sitemap_index.xml`: the numbered sitemaps of a site above 50,000
/// addresses (written as `sitemap.xml`).
#[derive(Serialize)]
pub(super) struct SitemapIndex {
    pub sitemaps: Vec<String>,
}

/// `robots.txt`.
#[derive(Serialize)]
pub(super) struct Robots {
    /// Paths crawlers are asked to skip: the embeds and the short links,
    /// which repeat pages found elsewhere.
    pub disallow: Vec<String>,
    /// The sitemap's absolute address.
    pub sitemap: String,
}
