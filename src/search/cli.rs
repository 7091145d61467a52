//! `dienhinh search`: answers from the tantivy index the last build wrote.

use std::path::Path;

use super::query::Query;
use super::static_index::Lexicon;
use super::tantivy_index::{self, Filters, Found};
use crate::config::{Config, PlaceEntry};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::tr;
use crate::vi::slugify;
use crate::vocab::Vocabulary;

pub struct SearchArgs<'a> {
    pub query: &'a str,
    /// Field id, label or alias ("kinh-te", "Phát triển kinh tế").
    pub field: Option<&'a str>,
    /// A place at any level, by any of its names or as a slug ("Quảng
    /// Ninh", "Quận 1", "TPHCM", "hai-phong"): what lies in it, in the
    /// units merged into it, and in its parts.
    pub place: Option<&'a str>,
    pub year: Option<u16>,
    /// Award type id, label or alias ("giay-khen", "Bằng khen").
    pub award: Option<&'a str>,
    /// Awarding body, as written or as a slug ("UBND Quận 1").
    pub body: Option<&'a str>,
    pub limit: usize,
    pub json: bool,
}

/// A vocabulary term named by `value` (id, label or alias), as its id.
fn term_id(
    vocab: &Vocabulary,
    value: &str,
    option: &str,
    unknown: Text,
) -> Result<String, Diagnostic> {
    match vocab.resolve(value) {
        Ok(id) => Ok(vocab.term(id).id.clone()),
        Err(u) => {
            let d = Diagnostic::error(Code::Option, option, unknown);
            Err(match u.suggestion {
                Some(s) => d.help(tr!("có phải ý bạn là “{s}”?", "did you mean “{s}”?")),
                None => {
                    let ids = vocab.ids().collect::<Vec<_>>().join(", ");
                    d.help(tr!("chọn một trong: {ids}", "one of: {ids}"))
                }
            })
        }
    }
}

/// The slug `--place` filters on. A unit of the place register named by
/// its id, its label or an alias (with accents or without, or as a slug)
/// stands for its label, whose slug every document in it carries; any
/// other place for its own slug (documents carry the slugs of every name
/// of their places, see `Texts::place_names`).
pub fn place_slug(register: &[PlaceEntry], place: &str) -> String {
    let want = slugify(place);
    register
        .iter()
        .find(|e| {
            std::iter::once(&e.id)
                .chain(std::iter::once(&e.label))
                .chain(&e.aliases)
                .any(|n| slugify(n) == want)
        })
        .map_or(want, |e| slugify(&e.label))
}

/// An error when filter `facet` = `id` matches no document of the index,
/// suggesting the closest value that does.
fn must_match(
    index: &tantivy::Index,
    facet: &str,
    id: &str,
    option: &str,
    written: &str,
) -> Result<(), Diagnostic> {
    let fail = |e: tantivy::TantivyError| {
        Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!("tìm kiếm không thành công: {e}", "search failed: {e}"),
        )
        .help(tr!(
            "dựng lại trang để ghi lại chỉ mục",
            "rebuild the site to rewrite the index"
        ))
    };
    if tantivy_index::filter_count(index, facet, id).map_err(fail)? > 0 {
        return Ok(());
    }
    let known = tantivy_index::filter_values(index, facet).map_err(fail)?;
    let d = Diagnostic::error(
        Code::Option,
        option,
        match facet {
            "place" => tr!(
                "không có mô hình hay buổi tuyên dương nào ở “{written}”",
                "nothing on the site is placed in “{written}”"
            ),
            _ => tr!(
                "không có mô hình hay buổi tuyên dương nào ghi cơ quan trao “{written}”",
                "nothing on the site names the awarding body “{written}”"
            ),
        },
    );
    Err(
        match crate::text::closest(written, known.iter().map(String::as_str)) {
            Some(s) => d.help(tr!("có phải ý bạn là “{s}”?", "did you mean “{s}”?")),
            None => d.help(tr!(
                "ghi tên như trên trang (có dấu hay không dấu đều được)",
                "write the name as the pages do (with or without accents)"
            )),
        },
    )
}

/// Whether the site in `root` has a tantivy index to search. Its folder is
/// not enough: tantivy would open an empty folder as an empty index and
/// answer "no results", which reads as if the site had none.
pub fn indexed(root: &Path) -> bool {
    super::index_dir(root).join("meta.json").is_file()
}

/// The results, printed as text or JSON.
pub fn run(root: &Path, args: &SearchArgs) -> Result<String, Diagnostic> {
    let config = Config::load(root)?;
    let mut filters = Filters::new();
    if let Some(f) = args.field {
        let unknown = tr!(
            "lĩnh vực “{f}” không có trong danh mục",
            "unknown field “{f}”"
        );
        filters.insert(
            "field".into(),
            term_id(&config.vocab.fields, f, "--field", unknown)?,
        );
    }
    if let Some(a) = args.award {
        let unknown = tr!(
            "hình thức khen thưởng “{a}” không có trong danh mục",
            "unknown award “{a}”"
        );
        filters.insert(
            "award".into(),
            term_id(&config.vocab.awards, a, "--award", unknown)?,
        );
    }
    if let Some(p) = args.place {
        filters.insert("place".into(), place_slug(&config.places, p));
    }
    if let Some(b) = args.body {
        filters.insert("body".into(), slugify(b));
    }
    if let Some(y) = args.year {
        filters.insert("year".into(), y.to_string());
    }
    let dir = super::index_dir(root);
    if !indexed(root) {
        return Err(Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!(
                "chưa có chỉ mục tìm kiếm trong thư mục này",
                "there is no search index in this folder"
            ),
        )
        .help(tr!(
            "chạy `dienhinh search` trong thư mục của trang (nơi có site.yaml): lệnh đó tự lập chỉ mục",
            "run `dienhinh search` in the site's folder (the one holding site.yaml): it makes the index itself"
        )));
    }
    let index = tantivy_index::open(&dir).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!(
                "không mở được chỉ mục tìm kiếm: {e}",
                "cannot open the search index: {e}"
            ),
        )
        .help(tr!(
            "xoá thư mục .dienhinh/index rồi tìm lại: chỉ mục sẽ được lập lại từ đầu",
            "delete the folder .dienhinh/index and search again: the index is made anew"
        ))
    })?;
    let lexicon = tantivy_index::lexicon(&dir).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!(
                "không đọc được từ điển tìm kiếm: {e}",
                "cannot read the search dictionary: {e}"
            ),
        )
        .help(tr!(
            "xoá thư mục .dienhinh/index rồi tìm lại: chỉ mục này do một phiên bản cũ ghi",
            "delete the folder .dienhinh/index and search again: an older version wrote this index"
        ))
    })?;
    for (facet, option, written) in [
        ("place", "--place", args.place),
        ("body", "--body", args.body),
    ] {
        if let (Some(id), Some(written)) = (filters.get(facet), written) {
            must_match(&index, facet, id, option, written)?;
        }
    }
    let synonyms = super::query::synonym_sets(&config.search.synonyms);
    let query = read_query(args.query, &synonyms, &lexicon);
    let found = tantivy_index::search(&index, &query, &filters, args.limit).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!("tìm kiếm không thành công: {e}", "search failed: {e}"),
        )
        .help(tr!(
            "dựng lại trang để ghi lại chỉ mục",
            "rebuild the site to rewrite the index"
        ))
    })?;
    Ok(if args.json {
        serde_json::to_string_pretty(&found).unwrap_or_default() + "\n"
    } else {
        corrected(args.query, &query.corrections, config.lang) + &text(&found)
    })
}

/// A query read as the browser reads it: the last word may be unfinished,
/// a word in no document may be a typo.
pub fn read_query(q: &str, synonyms: &[Vec<String>], lexicon: &Lexicon) -> Query {
    let mut query = super::query::parse(q, synonyms);
    super::query::expand_open(&mut query, &|p| lexicon.starting(p));
    super::query::correct(
        &mut query,
        &|w| !lexicon.has(w),
        &|p| lexicon.starting(p),
        &|k| lexicon.near(k),
    );
    query
}

/// "Kết quả cho …" with each word in no document replaced by its
/// correction, when some word was corrected.
fn corrected(q: &str, corrections: &[(String, String)], lang: crate::core::Lang) -> String {
    if corrections.is_empty() {
        return String::new();
    }
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            let folded = super::analyze::analyze(w)
                .into_iter()
                .map(|t| t.folded)
                .collect::<Vec<_>>()
                .join(" ");
            corrections
                .iter()
                .find(|(typed, _)| *typed == folded)
                .map_or_else(|| w.to_string(), |(_, shown)| shown.clone())
        })
        .collect();
    tr!(
        "Kết quả cho “{}”:\n",
        "Results for “{}”:\n",
        words.join(" ")
    )
    .get(lang)
    .to_string()
}

fn text(found: &[Found]) -> String {
    if found.is_empty() {
        return "Không có kết quả.\n".into();
    }
    let mut out = String::new();
    for (i, f) in found.iter().enumerate() {
        out.push_str(&format!("{:>2}. {}", i + 1, f.title));
        if !f.place.is_empty() {
            out.push_str(&format!(" — {}", f.place));
        }
        out.push_str(&format!("\n    {}\n", f.url));
    }
    out
}
