//! `site.yaml`: the site's settings and vocabularies.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::core::{Lang, Paging};
use crate::diagnostic::{yaml_diagnostic, Code, Diagnostic};
use crate::tr;
use crate::vocab::{Term, Vocabulary};

/// `site.yaml` as written. Every key is optional, so an empty file is a site.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    /// The language the documents are written in (default `vi`), for the
    /// pages' `lang` and feeds: `language` is only the interface's.
    content_language: Option<String>,
    theme: Option<String>,
    paginate: Option<usize>,
    paginate_later: Option<usize>,
    sections: Option<Sections>,
    menu: Option<Vec<MenuItem>>,
    #[serde(default)]
    vocabularies: RawVocabularies,
    /// The place register (README.md § site.yaml); read here, used by the place tree.
    #[serde(default)]
    places: Vec<PlaceEntry>,
    #[serde(default)]
    search: SearchConfig,
    /// Write `.gz` and `.br` beside text files (as `build --compress`).
    #[serde(default)]
    compress: bool,
    /// Minify each page's HTML (off by default: docs/deploy.md § Minifying).
    #[serde(default)]
    minify: bool,
    #[serde(default)]
    images: ImagesConfig,
    /// The agency that publishes the site (cơ quan chủ quản).
    organization: Option<Organization>,
    /// A picture under `static/` shown in the header, the printout and the
    /// link-preview cards.
    logo: Option<String>,
    /// A line of text for the foot of every page (a licence, a notice).
    footer: Option<String>,
    #[serde(default)]
    share_cards: ShareCards,
    /// Which term and place pages get an Atom feed of their own.
    #[serde(default)]
    feeds: PerPage,
    /// Which term and place pages get an embeddable list (`nhung/…`).
    #[serde(default)]
    embeds: PerPage,
    /// Where the site is published (`hosts.rs`).
    host: Option<crate::hosts::Host>,
    /// Values for the theme's own use, as `site.extra` (docs/theming.md).
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocabularies {
    #[serde(default)]
    fields: Vec<Term>,
    #[serde(default)]
    kinds: Vec<Term>,
    #[serde(default)]
    levels: Vec<Term>,
    #[serde(default)]
    statuses: Vec<Term>,
    #[serde(default)]
    awards: Vec<Term>,
    #[serde(default)]
    event_types: Vec<Term>,
    #[serde(default)]
    organizations: Vec<Term>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    #[serde(default = "default_models_dir")]
    pub models: String,
    #[serde(default = "default_ceremonies_dir")]
    pub ceremonies: String,
}

fn default_models_dir() -> String {
    "mo-hinh".into()
}
fn default_ceremonies_dir() -> String {
    "tuyen-duong".into()
}

impl Default for Sections {
    fn default() -> Self {
        Self {
            models: default_models_dir(),
            ceremonies: default_ceremonies_dir(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub label: String,
    pub url: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceEntry {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub parent: Option<String>,
    pub successor: Option<String>,
    pub valid_until: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default)]
    pub publish_index: bool,
    #[serde(default)]
    pub synonyms: std::collections::BTreeMap<String, Vec<String>>,
}

/// `organization:` — who publishes the site: the footer, the printout and
/// the preview cards name it.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    /// The body it belongs to ("Tỉnh ủy Hà Tĩnh").
    pub parent: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// `share_cards:` — which pages get a preview card of their own
/// (src/cards.rs). Documents with a photo always use its crop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShareCards {
    /// One card for the site, one per field and one per province; every
    /// other page uses the nearest of them.
    #[default]
    Sections,
    /// Besides those, one per model and ceremony without a photo.
    Documents,
}

/// `feeds:` and `embeds:` — which term and place pages get a feed (or an
/// embeddable list) of their own. Few visitors fetch the feed of a commune
/// or of a keyword, and at 10,000 models they were a quarter of the files
/// of a build (docs/sharing.md § Feeds and embeds), so by default only
/// provinces and fields have them; the site's own feed is always written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPage {
    #[serde(default)]
    pub places: PlaceScope,
    #[serde(default)]
    pub terms: TermScope,
}

/// Which place pages: `all`, `provinces` (the top of the place tree) or
/// `none`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceScope {
    All,
    #[default]
    Provinces,
    #[serde(rename = "none")]
    Nothing,
}

/// Which taxonomy term pages: `all`, `fields` (lĩnh vực) or `none`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermScope {
    All,
    #[default]
    Fields,
    #[serde(rename = "none")]
    Nothing,
}

impl PerPage {
    /// Whether a place page has one: `province` says it is at the top of
    /// the place tree.
    pub fn place(&self, province: bool) -> bool {
        match self.places {
            PlaceScope::All => true,
            PlaceScope::Provinces => province,
            PlaceScope::Nothing => false,
        }
    }

    /// Whether a term page has one: `field` says its taxonomy is the fields.
    pub fn term(&self, field: bool) -> bool {
        match self.terms {
            TermScope::All => true,
            TermScope::Fields => field,
            TermScope::Nothing => false,
        }
    }
}

/// `images:` — limits on the photos a build decodes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Largest photo decoded, in millions of pixels. A decoded photo takes
    /// 3–4 bytes a pixel, and a small file can claim a huge size (a 437 KB
    /// PNG of 60000×60000 asks for 3.6 GB); 200 leaves room for any camera
    /// (a phone's 50 MP mode is 8160×6120).
    #[serde(default = "default_max_megapixels")]
    pub max_megapixels: u64,
}

pub const DEFAULT_MAX_MEGAPIXELS: u64 = 200;

fn default_max_megapixels() -> u64 {
    DEFAULT_MAX_MEGAPIXELS
}

impl Default for ImagesConfig {
    fn default() -> Self {
        Self {
            max_megapixels: DEFAULT_MAX_MEGAPIXELS,
        }
    }
}

impl ImagesConfig {
    /// The limit in pixels.
    pub fn max_pixels(&self) -> u64 {
        self.max_megapixels.saturating_mul(1_000_000)
    }
}

/// The vocabularies in force: the defaults overlaid with the site's own.
#[derive(Clone, Debug)]
pub struct Vocabularies {
    pub fields: Vocabulary,
    pub kinds: Vocabulary,
    pub levels: Vocabulary,
    pub statuses: Vocabulary,
    pub awards: Vocabulary,
    pub event_types: Vocabulary,
    pub organizations: Vocabulary,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL with a trailing slash, e.g. `https://example.org/dan-van/`.
    pub base_url: String,
    /// The path part of `base_url` (`/dan-van/`): every internal link starts with it.
    pub root: String,
    pub lang: Lang,
    /// The documents' language as a BCP 47 tag (`vi`): what `<html lang>`,
    /// feeds and JSON-LD declare, whatever the interface's language.
    pub content_lang: String,
    pub theme: String,
    /// How lists are cut into pages: `paginate` cards on the first page
    /// (default 20), `paginate_later` rows on each later one (default 100).
    pub paging: Paging,
    pub sections: Sections,
    pub menu: Vec<MenuItem>,
    pub vocab: Vocabularies,
    pub places: Vec<PlaceEntry>,
    pub search: SearchConfig,
    /// Precompressed siblings of text files for `gzip_static`/`brotli_static`.
    pub compress: bool,
    /// Pages minified before they are written (`minify: true`).
    pub minify: bool,
    pub images: ImagesConfig,
    pub organization: Option<Organization>,
    /// The logo's path under `static/`, as published (`logo.svg`).
    pub logo: Option<String>,
    pub footer: Option<String>,
    pub share_cards: ShareCards,
    pub feeds: PerPage,
    pub embeds: PerPage,
    /// Where the site is published: redirect pages or rules, and the
    /// limits a build is checked against (`hosts.rs`).
    pub host: Option<crate::hosts::Host>,
    /// `extra:` of site.yaml: the theme's own values, never read by dienhinh.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

const DEFAULT_VOCABULARIES: &str = include_str!("assets/vocabularies.yaml");

pub use crate::core::files::CONFIG_FILE;

impl Config {
    /// Reads `site.yaml` from the site root. A missing file means all defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if let Ok(meta) = std::fs::metadata(&path) {
            if meta.len() > crate::core::files::MAX_FILE_BYTES {
                return Err(Diagnostic::error(
                    Code::FileTooLarge,
                    CONFIG_FILE,
                    tr!(
                        "site.yaml nặng {mib:.1} MiB, quá mức 8 MiB cho phép",
                        "site.yaml is {mib:.1} MiB, more than the 8 MiB allowed",
                        mib = meta.len() as f64 / (1024.0 * 1024.0)
                    ),
                )
                .help(tr!(
                    "phần cài đặt của trang chỉ cần vài kilobyte; kiểm tra xem có đúng tệp không",
                    "site settings fit in a few kilobytes; check that this is the right file"
                )));
            }
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                Diagnostic::error(
                    Code::InvalidUtf8,
                    CONFIG_FILE,
                    tr!(
                        "site.yaml không phải văn bản UTF-8 hợp lệ",
                        "site.yaml is not valid UTF-8"
                    ),
                )
                .help(tr!(
                    "lưu lại tệp ở dạng UTF-8 (lỗi ở byte {at})",
                    "re-save the file as UTF-8 (byte {at})",
                    at = e.utf8_error().valid_up_to()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Diagnostic::error(
                    Code::Io,
                    CONFIG_FILE,
                    tr!("không đọc được: {e}", "cannot read: {e}"),
                ))
            }
        };
        let text = crate::vi::nfc(&text);
        let source: Arc<str> = Arc::from(text.as_str());
        if let Some(d) = crate::diagnostic::duplicate_key(CONFIG_FILE, &source, 0, &text) {
            return Err(d);
        }
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(&text).map_err(|e| {
                let offset = e.location().map_or(0, |l| l.index());
                let message = e.to_string();
                let mut d = yaml_diagnostic(CONFIG_FILE, &source, &message, offset);
                // A word a setting does not take (`feeds: {places: xa}`) is
                // a wrong setting, as a wrong `language` or `base_url` is.
                if message.contains("unknown variant `") {
                    d.code = Code::Config;
                }
                d
            })?
        };
        Self::from_raw(raw)
    }

    /// All defaults, as for a site without `site.yaml`.
    pub fn default_config() -> Config {
        Self::from_raw(RawConfig::default()).expect("built-in defaults are valid")
    }

    fn from_raw(raw: RawConfig) -> Result<Config, Diagnostic> {
        let defaults: RawVocabularies =
            serde_yaml::from_str(DEFAULT_VOCABULARIES).expect("built-in vocabularies parse");
        let v = raw.vocabularies;
        let vocab = Vocabularies {
            fields: Vocabulary::merged(defaults.fields, v.fields),
            kinds: Vocabulary::merged(defaults.kinds, v.kinds),
            levels: Vocabulary::merged(defaults.levels, v.levels),
            statuses: Vocabulary::merged(defaults.statuses, v.statuses),
            awards: Vocabulary::merged(defaults.awards, v.awards),
            event_types: Vocabulary::merged(defaults.event_types, v.event_types),
            organizations: Vocabulary::merged(defaults.organizations, v.organizations),
        };
        let lang = match raw.language.as_deref().unwrap_or("vi") {
            "vi" => Lang::Vi,
            "en" => Lang::En,
            other => {
                return Err(Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    tr!("không có ngôn ngữ `{other}`", "unknown language `{other}`"),
                )
                .help(tr!("dùng `vi` hoặc `en`", "use `vi` or `en`")))
            }
        };
        let content_lang = raw.content_language.unwrap_or_else(|| "vi".into());
        if !is_language_tag(&content_lang) {
            return Err(Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                tr!(
                    "`content_language: {content_lang}` không phải mã ngôn ngữ",
                    "`content_language: {content_lang}` is not a language tag"
                ),
            )
            .help(tr!(
                "dùng mã như `vi` (tiếng Việt) hoặc `en`",
                "use a tag such as `vi` (Vietnamese) or `en`"
            )));
        }
        let base_url =
            normalise_base_url(raw.base_url.as_deref().unwrap_or("http://localhost:1111/"))?;
        let root = url_path(&base_url);
        check_places(&raw.places)?;
        let menu = raw.menu.unwrap_or_else(|| default_menu(lang));
        check_menu(&menu)?;
        let sections = raw.sections.unwrap_or_default();
        check_folder_name("theme", raw.theme.as_deref().unwrap_or("default"))?;
        check_folder_name("sections.models", &sections.models)?;
        check_folder_name("sections.ceremonies", &sections.ceremonies)?;
        check_images(&raw.images)?;
        Ok(Config {
            title: raw.title.unwrap_or_else(|| "Dân vận khéo".into()),
            description: raw.description.unwrap_or_default(),
            base_url,
            root,
            lang,
            content_lang,
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            paging: Paging::new(
                raw.paginate.unwrap_or(20),
                raw.paginate_later.unwrap_or(100),
            ),
            sections,
            menu,
            vocab,
            places: raw.places,
            search: raw.search,
            compress: raw.compress,
            minify: raw.minify,
            images: raw.images,
            organization: raw.organization.filter(|o| !o.name.trim().is_empty()),
            logo: raw.logo.map(|l| {
                l.trim_start_matches('/')
                    .trim_start_matches("static/")
                    .to_string()
            }),
            footer: raw.footer.filter(|f| !f.trim().is_empty()),
            share_cards: raw.share_cards,
            feeds: raw.feeds,
            embeds: raw.embeds,
            host: raw.host,
            extra: raw.extra,
        })
    }

    /// The same configuration served from another address (used by `serve`).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Config, Diagnostic> {
        self.base_url = normalise_base_url(base_url)?;
        self.root = url_path(&self.base_url);
        Ok(self)
    }
}

/// Every `parent` and `successor` in the place register names an entry,
/// and every `valid_until` is a date.
fn check_places(places: &[PlaceEntry]) -> Result<(), Diagnostic> {
    let ids: Vec<&str> = places.iter().map(|p| p.id.as_str()).collect();
    for p in places {
        for (what, target) in [("parent", &p.parent), ("successor", &p.successor)] {
            if let Some(t) = target.as_deref().filter(|t| !ids.contains(t)) {
                let help = match crate::text::closest(t, ids.iter().copied()) {
                    Some(s) => tr!(
                        "có phải ý bạn là `{s}`? Ở đây phải ghi `id` của một mục khác trong `places`",
                        "did you mean `{s}`? It must be the `id` of another entry of `places`"
                    ),
                    None => tr!(
                        "ở đây phải ghi `id` của một mục khác trong `places`",
                        "it must be the `id` of another entry of `places`"
                    ),
                };
                let id = &p.id;
                return Err(Diagnostic::error(
                    Code::BrokenReference,
                    CONFIG_FILE,
                    tr!(
                        "địa bàn `{id}`: {what} `{t}` không có trong danh sách địa bàn",
                        "place `{id}`: {what} `{t}` is not in the place register"
                    ),
                )
                .help(help));
            }
        }
        if let Some(d) = p
            .valid_until
            .as_deref()
            .filter(|d| crate::core::date::Date::parse(d).is_none())
        {
            return Err(Diagnostic::error(
                Code::BadDate,
                CONFIG_FILE,
                tr!(
                    "địa bàn `{id}`: valid_until `{d}` không phải là ngày hợp lệ",
                    "place `{id}`: valid_until `{d}` is not a date",
                    id = p.id
                ),
            )
            .help(tr!(
                "viết theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ `2025-06-30`",
                "write it as YYYY-MM-DD, e.g. `2025-06-30`"
            )));
        }
    }
    Ok(())
}

/// A limit of zero would refuse every photo, which is never what was meant.
fn check_images(images: &ImagesConfig) -> Result<(), Diagnostic> {
    if images.max_megapixels > 0 {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::Config,
        CONFIG_FILE,
        tr!(
            "images.max_megapixels bằng 0 thì không ảnh nào dùng được",
            "images.max_megapixels of 0 would refuse every photo"
        ),
    )
    .help(tr!(
        "bỏ dòng này để dùng mức mặc định ({DEFAULT_MAX_MEGAPIXELS} triệu điểm ảnh), hoặc ghi một số lớn hơn 0",
        "remove the line for the default ({DEFAULT_MAX_MEGAPIXELS} megapixels), or write a number above 0"
    )))
}

/// The theme and section folders are single plain names: they become paths
/// on disk and in `public/`, where `..` or `/` would reach outside the site.
fn check_folder_name(key: &str, name: &str) -> Result<(), Diagnostic> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !name.starts_with('-');
    if ok {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::Config,
        CONFIG_FILE,
        tr!(
            "{key} `{name}` không phải một tên thư mục đơn giản",
            "{key} `{name}` is not a plain folder name"
        ),
    )
    .help(tr!(
        "chỉ dùng chữ cái, chữ số và dấu gạch nối, ví dụ `mo-hinh`; không dùng `/` hay `..`",
        "use letters, digits and hyphens only, e.g. `mo-hinh`; no `/` or `..`"
    )))
}

/// Menu entries link to http(s) addresses or to paths inside the site; any
/// other scheme (`javascript:`, `data:`, `vbscript:`) would put a live script
/// in every page's header.
fn check_menu(menu: &[MenuItem]) -> Result<(), Diagnostic> {
    for item in menu {
        let url = item.url.trim().to_ascii_lowercase();
        let scheme = url
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains(['/', '?', '#']));
        if scheme.is_some_and(|s| s != "http" && s != "https") {
            return Err(Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                tr!(
                    "mục menu `{label}`: url `{url}` không phải địa chỉ http(s), cũng không phải một đường dẫn trong trang",
                    "menu entry `{label}`: url `{url}` is neither http(s) nor a path in the site",
                    label = item.label,
                    url = item.url
                ),
            )
            .help(tr!(
                "ghi địa chỉ bắt đầu bằng https:// hoặc một đường dẫn trong trang như `mo-hinh/`",
                "write an address starting with https:// or a site path such as `mo-hinh/`"
            )));
        }
    }
    Ok(())
}

/// A language tag as `<html lang>` takes it: `vi`, `en`, `zh-Hant`.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn default_menu(lang: Lang) -> Vec<MenuItem> {
    let items: &[(&str, &str)] = match lang {
        Lang::Vi => &[
            ("Mô hình", "mo-hinh/"),
            ("Tuyên dương", "tuyen-duong/"),
            ("Địa bàn", "dia-ban/"),
            ("Lĩnh vực", "linh-vuc/"),
            ("Thống kê", "thong-ke/"),
            ("Giới thiệu", "gioi-thieu/"),
        ],
        Lang::En => &[
            ("Models", "mo-hinh/"),
            ("Ceremonies", "tuyen-duong/"),
            ("Places", "dia-ban/"),
            ("Fields", "linh-vuc/"),
            ("Statistics", "thong-ke/"),
            ("About", "gioi-thieu/"),
        ],
    };
    items
        .iter()
        .map(|(l, u)| MenuItem {
            label: (*l).into(),
            url: (*u).into(),
        })
        .collect()
}

pub fn normalise_base_url(url: &str) -> Result<String, Diagnostic> {
    let url = url.trim();
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && !url.contains(['"', '<', '>', ' ', '\\']);
    if !ok {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            tr!(
                "base_url `{url}` không phải một địa chỉ http(s) đầy đủ",
                "base_url `{url}` is not an absolute http(s) URL"
            ),
        )
        .help(tr!(
            "viết theo dạng `https://example.gov.vn/dan-van/`",
            "write it like `https://example.gov.vn/dan-van/`"
        )));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// Whether `url` points at this machine or at an example address: a site
/// published with it sends every short link, QR code, canonical address
/// and feed entry to nowhere.
pub fn is_placeholder_url(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = after_scheme.split('/').next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback() || ip.is_unspecified();
    }
    let reserved_tld = [".example", ".test", ".invalid", ".localhost", ".local"];
    let example_domains = [
        "example.com",
        "example.net",
        "example.org",
        "example.gov.vn",
    ];
    host.is_empty()
        || host == "localhost"
        || reserved_tld.iter().any(|t| host.ends_with(t))
        || example_domains
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// DH033: the warning for a `base_url` that is still a placeholder, at its
/// line of `site.yaml` (or naming the file when the key is missing).
pub fn placeholder_base_url(root: &Path, config: &Config) -> Option<Diagnostic> {
    if !is_placeholder_url(&config.base_url) {
        return None;
    }
    let url = &config.base_url;
    let warning = Diagnostic::warning(
        Code::PlaceholderBaseUrl,
        CONFIG_FILE,
        tr!(
            "base_url là `{url}`, một địa chỉ tạm: mọi đường dẫn ngắn, mã QR, địa chỉ chuẩn (canonical), sitemap và nguồn tin sẽ trỏ tới đó",
            "base_url is `{url}`, a placeholder: every short link, QR code, canonical address, sitemap entry and feed will point there"
        ),
    )
    .help(tr!(
        "ghi địa chỉ thật của trang vào site.yaml, ví dụ `base_url: \"https://danvan.tinh.gov.vn/\"`, hoặc dựng bằng `dienhinh build --base-url URL`; `dienhinh serve` tự dùng địa chỉ xem thử của nó",
        "write the site's real address in site.yaml, e.g. `base_url: \"https://danvan.province.gov.vn/\"`, or build with `dienhinh build --base-url URL`; `dienhinh serve` uses its own preview address anyway"
    ));
    let text: Arc<str> = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?.into();
    let Some((offset, len)) = value_span(&text, "base_url") else {
        return Some(warning);
    };
    Some(
        warning
            .at(&text, offset, len)
            .label(tr!("địa chỉ tạm", "placeholder address")),
    )
}

/// A warning when `logo:` names no picture in `static/`; the site is then
/// built without a logo (a copied site.yaml without its static/ folder
/// still builds), and `check --strict` fails on it.
pub fn logo_problem(root: &Path, config: &Config) -> Option<Diagnostic> {
    let logo = config.logo.as_ref()?;
    let ext = Path::new(logo)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let message = if !matches!(ext.as_deref(), Some("svg" | "png" | "jpg" | "jpeg")) {
        tr!(
            "logo `{logo}` phải là ảnh SVG, PNG hoặc JPEG; trang được dựng không có logo",
            "logo `{logo}` must be an SVG, PNG or JPEG picture; the site is built without a logo"
        )
    } else if logo.split('/').any(|p| p == ".." || p.is_empty())
        || !root.join("static").join(logo).is_file()
    {
        tr!(
            "không thấy tệp logo `static/{logo}`; trang được dựng không có logo",
            "the logo file `static/{logo}` does not exist; the site is built without a logo"
        )
    } else {
        return None;
    };
    let warning = Diagnostic::warning(Code::MissingLogo, CONFIG_FILE, message).help(tr!(
        "đặt tệp ảnh vào thư mục `static/` của trang rồi ghi tên nó, ví dụ `logo: logo.svg`",
        "put the picture in the site's `static/` folder and give its name, e.g. `logo: logo.svg`"
    ));
    let text: Arc<str> = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?.into();
    match value_span(&text, "logo") {
        Some((offset, len)) => Some(warning.at(&text, offset, len)),
        None => Some(warning),
    }
}

/// Where the value of a top-level `key:` is in `text`.
fn value_span(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.split(" #").next().unwrap_or_default();
            let start = offset + key.len() + 1 + (value.len() - value.trim_start().len());
            return Some((start, value.trim().len().max(1)));
        }
        offset += line.len();
    }
    None
}

/// `/dan-van/` from `https://portal.example/dan-van/`.
fn url_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_addresses_are_told_from_real_ones() {
        for url in [
            "http://localhost:1111/",
            "http://127.0.0.1:8080/x/",
            "http://[::1]:1111/",
            "http://0.0.0.0:1111/",
            "https://example.gov.vn/dan-van/",
            "https://www.example.com/",
            "https://site.test/",
        ] {
            assert!(is_placeholder_url(url), "{url}");
        }
        for url in [
            "https://danvan.haiphong.gov.vn/",
            "https://dangcongsan.vn/dan-van/",
            "http://10.0.0.5/",
        ] {
            assert!(!is_placeholder_url(url), "{url}");
        }
        assert_eq!(
            value_span("title: x\nbase_url: \"http://a/\"  # note\n", "base_url"),
            Some((19, 11))
        );
    }

    #[test]
    fn base_url_path_is_the_link_root() {
        assert_eq!(url_path("https://portal.example/dan-van/"), "/dan-van/");
        assert_eq!(url_path("http://localhost:1111/"), "/");
        assert_eq!(
            normalise_base_url("https://a.vn/x").unwrap(),
            "https://a.vn/x/"
        );
        assert!(normalise_base_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn theme_and_section_folders_are_plain_names() {
        for bad in ["../../etc", "/etc", "a/b", "", "..", "a\\b"] {
            assert!(check_folder_name("theme", bad).is_err(), "{bad}");
        }
        for good in ["default", "mo-hinh", "tuyen_duong2"] {
            assert!(check_folder_name("theme", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn menu_urls_with_other_schemes_are_refused() {
        let item = |url: &str| MenuItem {
            label: "x".into(),
            url: url.into(),
        };
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "java\tscript:x",
        ] {
            assert!(check_menu(&[item(bad)]).is_err(), "{bad}");
        }
        for good in [
            "mo-hinh/",
            "/gioi-thieu/",
            "https://a.vn/x",
            "tim-kiem/?q=a:b",
        ] {
            assert!(check_menu(&[item(good)]).is_ok(), "{good}");
        }
    }

    #[test]
    fn serde_positions_are_removed_from_messages() {
        assert_eq!(
            crate::diagnostic::clean_serde_message(
                "found end of stream at line 3 column 1, while scanning at line 2 column 8"
            ),
            "found end of stream, while scanning"
        );
    }

    #[test]
    fn feeds_and_embeds_default_to_provinces_and_fields() {
        let c = Config::default_config();
        for scope in [c.feeds, c.embeds] {
            assert!(scope.place(true) && !scope.place(false));
            assert!(scope.term(true) && !scope.term(false));
        }
        let all: PerPage = serde_yaml::from_str("{places: all, terms: all}").unwrap();
        assert!(all.place(false) && all.term(false));
        let none: PerPage = serde_yaml::from_str("{places: none, terms: none}").unwrap();
        assert!(!none.place(true) && !none.term(true));
        let half: PerPage = serde_yaml::from_str("terms: all").unwrap();
        assert_eq!(half.places, PlaceScope::Provinces);
        assert!(serde_yaml::from_str::<PerPage>("{places: communes}").is_err());
    }

    #[test]
    fn defaults_hold_every_design_vocabulary() {
        let c = Config::default_config();
        assert_eq!(c.vocab.fields.len(), 4);
        assert_eq!(c.vocab.kinds.len(), 3);
        assert_eq!(c.vocab.levels.len(), 4);
        assert_eq!(c.vocab.statuses.len(), 6);
        assert_eq!(c.vocab.awards.len(), 7);
        assert_eq!(c.vocab.event_types.len(), 7);
        assert_eq!(c.vocab.organizations.len(), 14);
        assert_eq!(c.root, "/");
    }
}
