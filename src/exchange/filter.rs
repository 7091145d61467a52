//! `dienhinh export --filter KEY=VALUE`: which models a report covers.
//!
//! A district office reports its own models, a Women's Union its own field;
//! each `--filter` narrows the report and every filter must hold. Values
//! are read as the front matter's are (ids, labels or aliases, accents and
//! case ignored), so `--filter "linh-vuc=Văn hoá xã hội"` and
//! `--filter field=van-hoa-xa-hoi` are the same filter.

use crate::classify::{current_status, model_years};
use crate::diagnostic::{Code, Diagnostic};
use crate::site::{Model, Site};
use crate::tr;
use crate::vi::{fold, slugify};
use crate::vocab::{TermId, Vocabulary};

/// One filter, its value already resolved against the site.
#[derive(Clone, Debug, PartialEq)]
enum Filter {
    Field(TermId),
    Kind(TermId),
    /// A recognition at this level.
    Level(TermId),
    /// The model's current status.
    Status(TermId),
    Organization(TermId),
    /// A recognition with this award.
    Award(TermId),
    /// A year the model was recognised in (as `/nam/` counts it).
    Year(i32),
    /// A place at any level, as its slug (`tinh-ca-mau`, or `ca-mau`).
    Place(String),
    /// A tag, folded.
    Tag(String),
}

/// The keys `--filter` knows, in English and as the site's addresses
/// spell them.
const KEYS: &str = "field|linh-vuc, kind|loai, level|cap, status|tinh-trang, \
                    organization|to-chuc, award|khen-thuong, year|nam, place|dia-ban, tag|tu-khoa";

/// Place words an office may leave out: `--filter place=Cà Mau` finds
/// “Tỉnh Cà Mau”.
const PLACE_UNITS: [&str; 8] = [
    "tinh",
    "thanh-pho",
    "huyen",
    "quan",
    "thi-xa",
    "xa",
    "phuong",
    "thi-tran",
];

/// The models (indices into `site.models`) every filter in `args` keeps,
/// or every problem with `args` at once. No filter keeps every model.
pub fn models_kept(site: &Site, args: &[String]) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let mut filters = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        match parse(site, arg) {
            Ok(f) => filters.push(f),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let kept: Vec<usize> = (0..site.models.len())
        .filter(|&i| filters.iter().all(|f| keeps(f, &site.models[i])))
        .collect();
    if kept.is_empty() && !site.models.is_empty() {
        return Err(vec![Diagnostic::error(
            Code::ExportFilter,
            "--filter",
            tr!(
                "không mô hình nào khớp mọi bộ lọc ({})",
                "no model matches every filter ({})",
                args.join(", ")
            ),
        )
        .help(tr!(
            "bỏ bớt một bộ lọc; chưa ghi gì",
            "drop a filter; nothing was written"
        ))]);
    }
    Ok(kept)
}

fn parse(site: &Site, arg: &str) -> Result<Filter, Diagnostic> {
    let at = format!("--filter {arg}");
    let Some((key, value)) = arg.split_once('=') else {
        return Err(error(
            &at,
            tr!("thiếu dấu `=`", "missing `=`"),
            tr!(
                "viết `KHOÁ=GIÁ TRỊ`, ví dụ `--filter linh-vuc=kinh-te`; khoá: {KEYS}",
                "write `KEY=VALUE`, e.g. `--filter field=kinh-te`; keys: {KEYS}"
            ),
        ));
    };
    let (key, value) = (fold(key.trim()).replace(' ', "-"), value.trim());
    let v = &site.config.vocab;
    let term = |vocab: &Vocabulary| term_of(vocab, value, &at);
    Ok(match key.as_str() {
        "field" | "linh-vuc" => Filter::Field(term(&v.fields)?),
        "kind" | "loai" => Filter::Kind(term(&v.kinds)?),
        "level" | "cap" => Filter::Level(term(&v.levels)?),
        "status" | "tinh-trang" => Filter::Status(term(&v.statuses)?),
        "organization" | "organizations" | "to-chuc" => {
            Filter::Organization(term(&v.organizations)?)
        }
        "award" | "khen-thuong" => Filter::Award(term(&v.awards)?),
        "year" | "nam" => Filter::Year(value.parse().map_err(|_| {
            error(
                &at,
                tr!(
                    "năm “{value}” không phải là số",
                    "year “{value}” is not a number"
                ),
                tr!(
                    "viết năm bốn chữ số, ví dụ `nam=2024`",
                    "write a four-digit year, e.g. `year=2024`"
                ),
            )
        })?),
        "place" | "dia-ban" => place_of(site, value, &at)?,
        "tag" | "tu-khoa" => Filter::Tag(fold(value)),
        _ => {
            return Err(error(
                &at,
                tr!("không có bộ lọc “{key}”", "there is no filter “{key}”"),
                tr!("khoá dùng được: {KEYS}", "keys: {KEYS}"),
            ))
        }
    })
}

fn term_of(vocab: &Vocabulary, value: &str, at: &str) -> Result<TermId, Diagnostic> {
    vocab.resolve(value).map_err(|u| {
        let help = match u.suggestion {
            Some(s) => tr!("có phải ý bạn là “{s}”?", "did you mean “{s}”?"),
            None => {
                let ids = vocab.ids().collect::<Vec<_>>().join(", ");
                tr!("chọn một trong: {ids}", "one of: {ids}")
            }
        };
        error(
            at,
            tr!(
                "“{value}” không có trong danh mục",
                "“{value}” is not in the vocabulary"
            ),
            help,
        )
    })
}

/// A place some model names, at any level; an unknown one is an error with
/// the closest place the site has.
fn place_of(site: &Site, value: &str, at: &str) -> Result<Filter, Diagnostic> {
    let slug = slugify(value);
    let named = site
        .models
        .iter()
        .flat_map(|m| &m.place)
        .any(|p| place_matches(p, &slug));
    if named {
        return Ok(Filter::Place(slug));
    }
    let labels = site
        .taxonomies
        .places
        .nodes
        .iter()
        .map(|n| n.label.as_str());
    let help = match crate::text::closest(value, labels) {
        Some(s) => tr!("có phải ý bạn là “{s}”?", "did you mean “{s}”?"),
        None => tr!(
            "viết tên một địa bàn có trong `place:` của mô hình",
            "name a place some model's `place:` lists"
        ),
    };
    Err(error(
        at,
        tr!(
            "không mô hình nào ở địa bàn “{value}”",
            "no model is in the place “{value}”"
        ),
        help,
    ))
}

fn place_matches(place: &str, slug: &str) -> bool {
    let own = slugify(place);
    own == slug
        || PLACE_UNITS
            .iter()
            .any(|u| own.strip_prefix(u).and_then(|r| r.strip_prefix('-')) == Some(slug))
}

fn keeps(f: &Filter, m: &Model) -> bool {
    match f {
        Filter::Field(t) => m.field == *t,
        Filter::Kind(t) => m.kind == *t,
        Filter::Level(t) => m.recognitions.iter().any(|r| r.level == *t),
        Filter::Status(t) => current_status(m) == Some(*t),
        Filter::Organization(t) => m.organizations.contains(t),
        Filter::Award(t) => m.recognitions.iter().any(|r| r.award == Some(*t)),
        Filter::Year(y) => model_years(m).contains(y),
        Filter::Place(slug) => m.place.iter().any(|p| place_matches(p, slug)),
        Filter::Tag(t) => m.doc.tags.iter().any(|g| fold(g) == *t),
    }
}

fn error(at: &str, message: crate::diagnostic::Text, help: crate::diagnostic::Text) -> Diagnostic {
    Diagnostic::error(Code::ExportFilter, at, message).help(help)
}

#[cfg(test)]
mod tests {
    use super::place_matches;

    #[test]
    fn a_place_is_found_with_or_without_its_unit() {
        assert!(place_matches("Tỉnh Cà Mau", "tinh-ca-mau"));
        assert!(place_matches("Tỉnh Cà Mau", "ca-mau"));
        assert!(place_matches("Thành phố Cần Thơ", "can-tho"));
        assert!(!place_matches("Tỉnh Cà Mau", "mau"));
        assert!(!place_matches("Xã Tân Thành", "thanh"));
    }
}
