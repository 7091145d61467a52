//! `dienhinh search`: answers from the tantivy index the last build wrote.

use std::path::Path;

use super::query::Query;
use super::static_index::Lexicon;
use super::tantivy_index::{self, Filters, Found};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::tr;

pub struct SearchArgs<'a> {
    pub query: &'a str,
    /// Field id, label or alias ("kinh-te", "Phát triển kinh tế").
    pub field: Option<&'a str>,
    /// A place at any level, as published ("Quảng Ninh", "Quận 1").
    pub place: Option<&'a str>,
    pub year: Option<u16>,
    pub limit: usize,
    pub json: bool,
}

/// The results, printed as text or JSON.
pub fn run(root: &Path, args: &SearchArgs) -> Result<String, Diagnostic> {
    let config = Config::load(root)?;
    let mut filters = Filters::new();
    if let Some(f) = args.field {
        let id = config.vocab.fields.resolve(f).map_err(|u| {
            let d = Diagnostic::error(
                Code::Config,
                "--field",
                tr!(
                    "lĩnh vực “{f}” không có trong danh mục",
                    "unknown field “{f}”"
                ),
            );
            match u.suggestion {
                Some(s) => d.help(tr!("có phải ý bạn là “{s}”?", "did you mean “{s}”?")),
                None => {
                    let ids = config.vocab.fields.ids().collect::<Vec<_>>().join(", ");
                    d.help(tr!("chọn một trong: {ids}", "one of: {ids}"))
                }
            }
        })?;
        filters.insert("field".into(), config.vocab.fields.term(id).id.clone());
    }
    if let Some(p) = args.place {
        filters.insert("place".into(), p.to_string());
    }
    if let Some(y) = args.year {
        filters.insert("year".into(), y.to_string());
    }
    let dir = super::index_dir(root);
    if !dir.join("meta.json").is_file() {
        // tantivy would open an empty folder as an empty index and answer
        // "no results", which reads as if the site had none.
        return Err(Diagnostic::error(
            Code::Io,
            ".dienhinh/index",
            tr!(
                "chưa có chỉ mục tìm kiếm: trang chưa được dựng trong thư mục này",
                "there is no search index yet: the site has not been built in this folder"
            ),
        )
        .help(tr!(
            "chạy `dienhinh build` trước: lệnh đó ghi chỉ mục mà `dienhinh search` đọc",
            "run `dienhinh build` first: it writes the index `dienhinh search` reads"
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
            "chạy `dienhinh build` trước: lệnh này ghi chỉ mục",
            "run `dienhinh build` first: it writes the index"
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
            "chạy lại `dienhinh build`: chỉ mục này do một phiên bản cũ ghi",
            "run `dienhinh build` again: an older version wrote this index"
        ))
    })?;
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
