//! The validated, linked site: what every later stage reads and never changes.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::config::Config;
pub use crate::core::date::Date;
use crate::frontmatter::{char_to_byte, SpanIndex};
use crate::vocab::TermId;

/// One published size of a photo.
#[derive(Clone, Debug)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site-relative paths.
    pub jpeg: String,
    /// Absent when WebP came out no smaller than the JPEG.
    pub webp: Option<String>,
}

/// What the build made of one photo, as the pages link to it.
#[derive(Clone, Debug)]
pub struct Rendition {
    /// Ascending width; the last is the largest.
    pub variants: Vec<Variant>,
    /// The preview crop, site-relative, with its size.
    pub og: (String, u32, u32),
    /// Cached file → site-relative path, for the output stage to copy.
    pub files: Vec<(PathBuf, String)>,
}

impl Rendition {
    pub fn largest(&self) -> &Variant {
        // A rendition always has one variant at least (see `targets`).
        &self.variants[self.variants.len() - 1]
    }
}

/// "hơn", "gần", "khoảng": how an announced figure was qualified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Hon,
    Gan,
    Khoang,
}

impl Qualifier {
    pub const IDS: [&'static str; 3] = ["hon", "gan", "khoang"];

    /// Accepts the id or the Vietnamese word, with or without diacritics.
    pub fn parse(s: &str) -> Option<Qualifier> {
        match crate::vi::fold(s).as_str() {
            "hon" => Some(Qualifier::Hon),
            "gan" => Some(Qualifier::Gan),
            "khoang" => Some(Qualifier::Khoang),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Qualifier::Hon => "hơn",
            Qualifier::Gan => "gần",
            Qualifier::Khoang => "khoảng",
        }
    }
}

/// A content file as read: normalised text, where its parts are, and where
/// each front-matter value is (for diagnostics).
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the site root, `/`-separated.
    pub rel_path: String,
    pub text: Arc<str>,
    pub front: Range<usize>,
    pub body: Range<usize>,
    /// Where each front-matter value is: made again when a diagnostic first
    /// needs it (kept for every file it was a tenth of a large site's
    /// memory, and nearly every file never has a problem).
    spans: OnceLock<SpanIndex>,
    /// 1-based line of the first character that was written decomposed
    /// (NFD, as pasted from some macOS apps and PDFs) before load
    /// normalised it; `None` when the file was NFC already. `check` warns.
    pub was_nfd: Option<usize>,
}

impl SourceFile {
    pub fn new(rel_path: String, text: Arc<str>, front: Range<usize>, body: Range<usize>) -> Self {
        Self {
            rel_path,
            text,
            front,
            body,
            spans: OnceLock::new(),
            was_nfd: None,
        }
    }

    pub fn spans(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::build(&self.text[self.front.clone()]))
    }

    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// Byte range in the file of the front-matter value at `path`, falling
    /// back to its key, then to the parent value, then to the front matter.
    pub fn locate(&self, path: &str) -> (usize, usize) {
        let front = &self.text[self.front.clone()];
        let mut p = path;
        loop {
            if let Some(r) = self.spans().value(p).or_else(|| self.spans().key(p)) {
                let start = char_to_byte(front, r.start);
                let end = char_to_byte(front, r.end).max(start + 1);
                return (self.front.start + start, end - start);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return (self.front.start, 3.min(self.text.len())),
            }
        }
    }
}

/// What every document has, whatever its type.
#[derive(Clone, Debug)]
pub struct Doc {
    pub file: Arc<SourceFile>,
    pub slug: String,
    /// Site-relative URL path with a trailing slash, e.g. `mo-hinh/tu-banh-mi/`.
    pub path: String,
    pub id: Option<String>,
    pub title: String,
    /// Plain text: given, or the first paragraph of the body.
    pub summary: String,
    /// The summary was written by the editor (not taken from the body), so
    /// pages show it as a lead without repeating the first paragraph.
    pub summary_given: bool,
    pub date: Option<Date>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    pub images: Vec<Image>,
    pub sources: Vec<SourceRef>,
    pub draft: bool,
    /// `extra:` of the front matter, as the theme's templates see it (a
    /// mapping, empty when not written).
    pub extra: serde_json::Value,
}

#[derive(Clone, Debug)]
pub struct Image {
    /// As written, relative to the document's folder or to `static/`.
    pub src: String,
    /// The file on disk.
    pub file: std::path::PathBuf,
    /// Where it is published, site-relative.
    pub output: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Position in the front matter's `images:` list, for messages.
    pub index: usize,
    /// The resized copies, once the build has made them (`check` and
    /// `serve` publish the original as it is).
    pub rendition: Option<Rendition>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct SourceRef {
    pub url: Option<String>,
    pub publication: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Owner {
    Name(String),
    Detailed { name: String, role: Option<String> },
}

#[derive(Clone, Debug)]
pub struct Recognition {
    pub level: TermId,
    pub year: i32,
    pub by: Option<String>,
    pub award: Option<TermId>,
    pub ceremony: Option<Reference>,
    pub decision: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Figure {
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<Qualifier>,
}

/// A slug or id naming another document, with the front-matter path it was
/// written at so a broken one can be pointed at.
#[derive(Clone, Debug)]
pub struct Reference {
    pub target: String,
    pub at: String,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub doc: Doc,
    pub field: TermId,
    pub kind: TermId,
    pub owner: Option<Owner>,
    pub organizations: Vec<TermId>,
    pub place: Vec<String>,
    pub period: Option<String>,
    pub status: Option<TermId>,
    pub history: Vec<(TermId, Date)>,
    pub recognitions: Vec<Recognition>,
    pub results: Vec<Figure>,
    pub replicated_from: Vec<Reference>,
    /// `false`: an individual or household not to be named in public.
    pub public: bool,
}

#[derive(Clone, Debug)]
pub struct Honoree {
    pub model: Option<Reference>,
    pub name: Option<String>,
    /// `false`: the name is never published.
    pub public: bool,
    pub kind: Option<TermId>,
    pub award: Option<TermId>,
    pub by: Option<String>,
    pub decision: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AwardCount {
    pub award: TermId,
    pub by: Option<String>,
    pub kind: Option<TermId>,
    pub count: u32,
}

#[derive(Clone, Debug)]
pub struct Statistic {
    pub figure: Figure,
    pub breakdowns: Vec<Breakdown>,
}

#[derive(Clone, Debug)]
pub struct Breakdown {
    pub by: String,
    pub parts: Vec<(String, f64)>,
}

#[derive(Clone, Debug)]
pub struct Ceremony {
    pub doc: Doc,
    pub event_type: Option<TermId>,
    pub organizer: Option<String>,
    pub level: Option<TermId>,
    pub place: Vec<String>,
    pub occasion: Option<String>,
    pub honorees: Vec<Honoree>,
    pub award_counts: Vec<AwardCount>,
    pub statistics: Vec<Statistic>,
    /// The front matter as written, for the free texts a ceremony page
    /// shows as they are (`render/views.rs`, `CeremonyTexts`). A model keeps
    /// no such copy: at 100,000 models theirs were 0.3 GB of the build's
    /// peak, and no page read them (bench/RESULTS.md, session 19).
    pub front: Arc<crate::schema::CeremonyFront>,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub doc: Doc,
    /// The front matter as written (as a ceremony's `front`).
    pub front: Arc<crate::schema::PageFront>,
}

/// Index of a model in [`Site::models`].
pub type ModelIdx = usize;

/// Index of a ceremony in [`Site::ceremonies`].
pub type CeremonyIdx = usize;

/// How many related models a model page shows (`related.rs`).
pub const RELATED_SHOWN: usize = 4;

/// A model's related models, best first: kept in place, not on the heap.
/// Each model's few indexes allocated one by one among the temporary
/// buckets and scores of `related.rs` left most of that stage's pages half
/// used, which the allocator could not give back: 166 MB of a
/// 100,000-model build's memory from there on (bench/RESULTS.md, session 19).
pub type Related = arrayvec::ArrayVec<ModelIdx, RELATED_SHOWN>;

/// A ceremony that honoured a model, with what it gave.
#[derive(Clone, Debug)]
pub struct Honour {
    pub ceremony: CeremonyIdx,
    pub award: Option<TermId>,
}

/// References resolved in both directions.
#[derive(Clone, Debug, Default)]
pub struct Relations {
    /// Per model: ceremonies that honoured it, each once, by date.
    pub honoured_by: Vec<Vec<Honour>>,
    /// Per ceremony, per honoree: the model it names.
    pub honoree_models: Vec<Vec<Option<ModelIdx>>>,
    /// Per model, per recognition: the ceremony it names.
    pub recognition_ceremonies: Vec<Vec<Option<CeremonyIdx>>>,
    /// Per ceremony: models whose recognitions name it but which its own
    /// honoree list leaves out, with the award — shown on its page too, so
    /// the relation reads from both sides.
    pub recognised_at: Vec<Vec<(ModelIdx, Option<TermId>)>>,
    pub replicated_from: Vec<Vec<ModelIdx>>,
    pub replicated_to: Vec<Vec<ModelIdx>>,
    /// Per model: similar models (same field and place, shared tags).
    pub related: Vec<Related>,
}

#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    pub root: std::path::PathBuf,
    /// Sorted by date (newest first), then title.
    pub models: Vec<Model>,
    pub ceremonies: Vec<Ceremony>,
    pub pages: Vec<Page>,
    pub relations: Relations,
    pub taxonomies: crate::taxonomy::Taxonomies,
}

impl Site {
    /// Every document, in the site's order: models, ceremonies, pages.
    pub fn docs(&self) -> impl Iterator<Item = &Doc> {
        self.models
            .iter()
            .map(|m| &m.doc)
            .chain(self.ceremonies.iter().map(|c| &c.doc))
            .chain(self.pages.iter().map(|p| &p.doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_iso() {
        assert_eq!(
            Date::parse("2019-10-15"),
            Some(Date {
                year: 2019,
                month: 10,
                day: 15
            })
        );
        assert!(Date::parse("2019-02-29").is_none());
        assert!(Date::parse("2020-02-29").is_some());
        assert!(Date::parse("15/10/2019").is_none());
        assert!(Date::parse("2019-13-01").is_none());
        assert!(Date::parse("2019-1-5").is_none());
        assert!(Date::parse("2019-00-05").is_none());
        assert!(Date::parse("20x9").is_none());
        let year = Date::parse("2022").unwrap();
        assert_eq!(
            (year.to_string(), year.display_vi()),
            ("2022".into(), "2022".into())
        );
        let month = Date::parse("2022-06").unwrap();
        assert_eq!(
            (month.to_string(), month.display_vi()),
            ("2022-06".into(), "06/2022".into())
        );
        assert!(year < month && month < Date::parse("2022-06-01").unwrap());
        assert_eq!(
            Date::parse("2019-10-05").unwrap().display_vi(),
            "05/10/2019"
        );
    }

    #[test]
    fn qualifiers_accept_words() {
        assert_eq!(Qualifier::parse("hơn"), Some(Qualifier::Hon));
        assert_eq!(Qualifier::parse("gan"), Some(Qualifier::Gan));
        assert_eq!(Qualifier::parse("about"), None);
    }
}
