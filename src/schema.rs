//! Front matter exactly as README.md § Content schema specifies it, before validation.
//!
//! Vocabulary values and dates stay strings here: serde stops at the first
//! error of a file, while validation of these values reports every bad one
//! with its own position and a suggestion.
//!
//! Every text field is read as the scalar's own text, whatever YAML would
//! infer from it: `id: 288e5` is the id `288e5`, not 28800000, and
//! `owner: 0x1F` is the name `0x1F`, not 31. serde_yaml hands a plain scalar
//! to `deserialize_str` as written; only `deserialize_any` (untagged enums)
//! turns it into a number, so no text field goes through it.

use serde::Deserialize;

/// A scalar an editor may write as text or as a number (`period: 2019`,
/// `period: 2009-2019`, `id: 23456`), kept exactly as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_str(Visit)
    }
}

/// A required text value left empty (`field:`) reads as `""`, so that
/// validation reports it as required and empty, with the allowed values,
/// instead of serde's "invalid type: unit value". A key that is absent is
/// still serde's "missing field".
fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// `owner:` — a name, or `{name, role}`.
#[derive(Clone, Debug)]
pub enum OwnerFront {
    Name(String),
    Detailed(OwnerDetail),
    /// A plain scalar YAML reads as a number or a boolean (`owner: 0x1F`).
    /// The deserializer has only the inferred value (31), so validation
    /// takes the name from the source text at the value's position.
    Bare,
}

/// By hand rather than `#[serde(untagged)]`: an untagged enum reads its
/// value through `deserialize_any`, which turns `0x1F` into 31 and reports
/// any mistake as "did not match any variant" at the top of the file.
impl<'de> Deserialize<'de> for OwnerFront {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = OwnerFront;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name, or {name, role}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Name(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<OwnerFront, E> {
                Ok(OwnerFront::Bare)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<OwnerFront, A::Error> {
                OwnerDetail::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OwnerFront::Detailed)
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerDetail {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryFront {
    #[serde(deserialize_with = "nullable")]
    pub status: String,
    pub date: Text,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecognitionFront {
    #[serde(deserialize_with = "nullable")]
    pub level: String,
    pub year: i32,
    pub by: Option<String>,
    pub award: Option<String>,
    pub ceremony: Option<String>,
    pub decision: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultFront {
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFront {
    pub src: String,
    /// Required by the schema (README.md); optional here so its absence is reported by
    /// validation with a precise message rather than by serde.
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFront {
    pub url: Option<String>,
    pub publication: Option<String>,
    pub title: Option<String>,
    pub date: Option<Text>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFront {
    pub title: String,
    #[serde(deserialize_with = "nullable")]
    pub field: String,
    #[serde(deserialize_with = "nullable")]
    pub kind: String,
    pub id: Option<Text>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub owner: Option<OwnerFront>,
    #[serde(default)]
    pub organizations: Vec<String>,
    #[serde(default)]
    pub place: Vec<String>,
    pub period: Option<Text>,
    pub date: Option<Text>,
    pub status: Option<String>,
    #[serde(default)]
    pub history: Vec<HistoryFront>,
    #[serde(default)]
    pub recognitions: Vec<RecognitionFront>,
    #[serde(default)]
    pub results: Vec<ResultFront>,
    #[serde(default)]
    pub replicated_from: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub images: Vec<ImageFront>,
    #[serde(default)]
    pub sources: Vec<SourceFront>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub public: Option<bool>,
    #[serde(default)]
    pub draft: bool,
    /// Values for the theme's own use, shown by no built-in template.
    #[serde(default)]
    pub extra: Extra,
    /// Where `dienhinh import` read the model (`list.xlsx!Sheet1!17`), for
    /// the office's records. Never published: no page, feed or open-data
    /// file reads it.
    pub source_row: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HonoreeFront {
    pub model: Option<String>,
    pub name: Option<String>,
    /// `false`: a person not to be named in public (the name stays in the
    /// source file for the office's records).
    pub public: Option<bool>,
    pub kind: Option<String>,
    pub award: Option<String>,
    pub by: Option<String>,
    pub decision: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardCountFront {
    #[serde(deserialize_with = "nullable")]
    pub award: String,
    pub by: Option<String>,
    pub kind: Option<String>,
    pub count: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticFront {
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    #[serde(default)]
    pub breakdowns: Vec<BreakdownFront>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakdownFront {
    pub by: String,
    pub parts: Vec<PartFront>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartFront {
    pub label: String,
    pub value: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeremonyFront {
    pub title: String,
    pub date: Text,
    pub id: Option<Text>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub event_type: Option<String>,
    pub organizer: Option<String>,
    pub level: Option<String>,
    #[serde(default)]
    pub place: Vec<String>,
    pub occasion: Option<String>,
    /// Where it was held, as written (“Hội trường UBND Quận 1”): `place`
    /// is the administrative unit, this the hall.
    pub venue: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub images: Vec<ImageFront>,
    #[serde(default)]
    pub sources: Vec<SourceFront>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub honorees: Vec<HonoreeFront>,
    #[serde(default)]
    pub award_counts: Vec<AwardCountFront>,
    #[serde(default)]
    pub statistics: Vec<StatisticFront>,
    #[serde(default)]
    pub extra: Extra,
    /// Where `dienhinh import --section tuyen-duong` read the ceremony
    /// (`list.xlsx!Sheet1!17`). Never published, as a model's.
    pub source_row: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<Text>,
    pub slug: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub extra: Extra,
}

/// `extra:` — a mapping of values a theme reads (`extra.x` in its
/// templates, docs/theming.md); dienhinh checks only that it is a mapping.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// The fields every document type shares, so validation reads them once.
pub trait CommonFront {
    fn title(&self) -> &str;
    fn slug(&self) -> Option<&str>;
    fn id(&self) -> Option<&Text>;
    fn summary(&self) -> Option<&str>;
    fn aliases(&self) -> &[String];
    fn tags(&self) -> &[String];
    fn images(&self) -> &[ImageFront];
    fn sources(&self) -> &[SourceFront];
    fn draft(&self) -> bool;
    fn extra(&self) -> &Extra;
}

macro_rules! common_front {
    ($t:ty) => {
        impl CommonFront for $t {
            fn title(&self) -> &str {
                &self.title
            }
            fn slug(&self) -> Option<&str> {
                self.slug.as_deref()
            }
            fn id(&self) -> Option<&Text> {
                self.id.as_ref()
            }
            fn summary(&self) -> Option<&str> {
                self.summary.as_deref()
            }
            fn aliases(&self) -> &[String] {
                &self.aliases
            }
            fn tags(&self) -> &[String] {
                &self.tags
            }
            fn images(&self) -> &[ImageFront] {
                &self.images
            }
            fn sources(&self) -> &[SourceFront] {
                &self.sources
            }
            fn draft(&self) -> bool {
                self.draft
            }
            fn extra(&self) -> &Extra {
                &self.extra
            }
        }
    };
}

common_front!(ModelFront);
common_front!(CeremonyFront);

impl CommonFront for PageFront {
    fn title(&self) -> &str {
        &self.title
    }
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
    /// Pages have no short link, hence no id.
    fn id(&self) -> Option<&Text> {
        None
    }
    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn tags(&self) -> &[String] {
        &[]
    }
    fn images(&self) -> &[ImageFront] {
        &[]
    }
    fn sources(&self) -> &[SourceFront] {
        &[]
    }
    fn draft(&self) -> bool {
        self.draft
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
}
