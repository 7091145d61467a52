//! `dienhinh new model|ceremony "Tên"`: a new content file at the right
//! path, with a fresh permanent id and every field of the front matter laid
//! out with a Vietnamese comment, so an editor only fills in values.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::CONTENT_DIR;
use crate::site::Date;
use crate::text::slugify;
use crate::tr;
use crate::vocab::Vocabulary;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Model,
    Ceremony,
}

/// Values given on the command line; everything else is left to fill in.
#[derive(Clone, Debug, Default)]
pub struct NewOptions {
    pub field: Option<String>,
    /// A model's kind (tập thể, cá nhân, …) or a ceremony's event type.
    pub kind: Option<String>,
    /// Coarse to fine, comma-separated: "Hải Dương, Thị xã Kinh Môn".
    pub place: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
}

/// Ids are read off printed pages and typed in by hand: no 0/o, 1/l/i.
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const ID_LEN: usize = 5;

/// Writes the new document and returns its path. Nothing is written when a
/// value is unknown or the file exists.
pub fn new_document(
    root: &Path,
    kind: DocKind,
    title: &str,
    opts: &NewOptions,
) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(root)?;
    let title = crate::text::nfc(title.trim());
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            Code::BadSlug,
            "",
            tr!(
                "tiêu đề `{title}` không tạo được tên tệp dùng được",
                "the title `{title}` gives no usable file name"
            ),
        )
        .help(tr!(
            "viết tiêu đề có chữ cái hoặc chữ số, ví dụ `dienhinh new model \"Hũ gạo tình thương\"`",
            "write a title with letters or digits, e.g. `dienhinh new model \"Hũ gạo tình thương\"`"
        )));
    }
    let section = match kind {
        DocKind::Model => &config.sections.models,
        DocKind::Ceremony => &config.sections.ceremonies,
    };
    let rel = format!("{CONTENT_DIR}/{section}/{slug}.md");
    let path = root.join(&rel);
    if path.exists() {
        return Err(Diagnostic::error(
            Code::DuplicateUrl,
            &rel,
            tr!(
                "tệp này đã có; chưa ghi gì",
                "this file already exists; nothing was written"
            ),
        )
        .help(tr!(
            "mở tệp đã có để sửa, hoặc chọn một tiêu đề khác",
            "open the existing file to edit it, or choose a different title"
        )));
    }
    let date = match &opts.date {
        Some(d) => Some(
            Date::parse(d.trim())
                .ok_or_else(|| {
                    Diagnostic::error(
                        Code::BadDate,
                        &rel,
                        tr!(
                            "`{d}` không phải là ngày hợp lệ",
                            "`{d}` is not a valid date"
                        ),
                    )
                    .help(tr!(
                        "viết ngày theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ `--date 2024-05-20`",
                        "write the date as YYYY-MM-DD, e.g. `--date 2024-05-20`"
                    ))
                })?
                .to_string(),
        ),
        None => None,
    };
    let id = fresh_id(&taken_keys(root, &config));
    let place = opts
        .place
        .as_deref()
        .map(|p| {
            p.split(',')
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(crate::text::nfc)
                .collect()
        })
        .unwrap_or_default();
    let v = &config.vocab;
    let text = match kind {
        DocKind::Model => {
            let field = resolve(
                &v.fields,
                ("lĩnh vực", "field (lĩnh vực)"),
                "--field",
                opts.field.as_deref(),
                &rel,
            )?;
            let kind = resolve(
                &v.kinds,
                ("loại", "kind (loại)"),
                "--kind",
                opts.kind.as_deref(),
                &rel,
            )?;
            model_text(&ModelValues {
                id: &id,
                title: &title,
                field,
                kind,
                place,
                date: date.unwrap_or_else(today),
                draft: opts.draft,
                config: &config,
            })
        }
        DocKind::Ceremony => {
            if opts.field.is_some() {
                return Err(Diagnostic::error(
                    Code::UnknownKey,
                    &rel,
                    tr!(
                        "buổi tuyên dương không có lĩnh vực",
                        "a ceremony has no field (lĩnh vực)"
                    ),
                )
                .help(tr!(
                    "bỏ `--field` đi; lĩnh vực là của từng mô hình",
                    "leave out `--field`; the field belongs to each model"
                )));
            }
            let event = resolve(
                &v.event_types,
                ("loại sự kiện", "event type"),
                "--kind",
                opts.kind.as_deref(),
                &rel,
            )?;
            ceremony_text(
                &id,
                &title,
                event,
                &place,
                &date.unwrap_or_else(today),
                opts.draft,
                &config,
            )
        }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(&rel, e))?;
    }
    // `create_new` so a file appearing meanwhile is never overwritten.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| io_error(&rel, e))?;
    Ok(path)
}

fn io_error(rel: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        rel,
        tr!("không ghi được: {e}", "cannot write: {e}"),
    )
    .help(tr!(
        "kiểm tra xem có quyền ghi vào thư mục content không",
        "check that the content folder is writable"
    ))
}

/// The term's id for a value given on the command line, or an error with
/// the closest term.
fn resolve(
    vocab: &Vocabulary,
    (what_vi, what_en): (&str, &str),
    flag: &str,
    value: Option<&str>,
    rel: &str,
) -> Result<Option<String>, Diagnostic> {
    let Some(value) = value else { return Ok(None) };
    match vocab.resolve(value) {
        Ok(id) => Ok(Some(vocab.term(id).id.clone())),
        Err(unknown) => {
            let allowed = vocab.ids().collect::<Vec<_>>().join(", ");
            let help = match unknown.suggestion {
                Some(s) => tr!(
                    "có phải ý bạn là `{flag} {s}`? Các giá trị dùng được: {allowed}",
                    "did you mean `{flag} {s}`? Allowed values: {allowed}"
                ),
                None => tr!(
                    "các giá trị dùng được: {allowed} (hoặc tên đầy đủ của chúng)",
                    "allowed values: {allowed} (or their labels)"
                ),
            };
            Err(Diagnostic::error(
                Code::UnknownVocabulary,
                rel,
                tr!(
                    "{what_vi} `{value}` không có trong danh mục; chưa ghi gì",
                    "unknown {what_en} `{value}`; nothing was written"
                ),
            )
            .help(help))
        }
    }
}

/// Every id and slug in use by a model or ceremony: short links are
/// `/m/<id>/`, or `/m/<slug>/` for a document without one. Read from the
/// text, so a file that does not parse still keeps its id.
pub fn taken_keys(root: &Path, config: &Config) -> HashSet<String> {
    let mut keys = HashSet::new();
    for section in [&config.sections.models, &config.sections.ceremonies] {
        let dir = root.join(CONTENT_DIR).join(section);
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let p = entry.path();
            if p.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            if let Some(stem) = p.file_stem() {
                keys.insert(slugify(&stem.to_string_lossy()));
            }
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            for line in text.lines().skip(1).take_while(|l| l.trim_end() != "---") {
                for key in ["id:", "slug:"] {
                    if let Some(v) = line.strip_prefix(key) {
                        keys.insert(v.trim().trim_matches(['"', '\'']).to_string());
                    }
                }
            }
        }
    }
    keys
}

/// A random id not in `taken`. Randomness comes from the standard library's
/// per-process hash keys: ids need to be unpredictable-ish and unique, not
/// cryptographic.
pub fn fresh_id(taken: &HashSet<String>) -> String {
    let state = std::collections::hash_map::RandomState::new();
    for attempt in 0u64.. {
        let mut h = state.build_hasher();
        h.write_u64(attempt);
        let mut bits = h.finish();
        let id: String = (0..ID_LEN)
            .map(|_| {
                let c = ID_ALPHABET[(bits % ID_ALPHABET.len() as u64) as usize];
                bits /= ID_ALPHABET.len() as u64;
                c as char
            })
            .collect();
        // An id of digits only would read as a number in YAML.
        if !taken.contains(&id) && id.bytes().any(|b| b.is_ascii_lowercase()) {
            return id;
        }
    }
    unreachable!("the id space is far larger than any site")
}

/// Today's date (UTC) in ISO form.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn ids(v: &Vocabulary) -> String {
    v.ids().collect::<Vec<_>>().join(" | ")
}

fn place_line(place: &[String]) -> String {
    let items: Vec<String> = place.iter().map(|p| quoted(p)).collect();
    format!("place: [{}]", items.join(", "))
}

struct ModelValues<'a> {
    id: &'a str,
    title: &'a str,
    field: Option<String>,
    kind: Option<String>,
    place: Vec<String>,
    date: String,
    draft: bool,
    config: &'a Config,
}

fn model_text(m: &ModelValues) -> String {
    let v = &m.config.vocab;
    let field = m.field.clone().unwrap_or_else(|| "\"\"".into());
    let kind = m.kind.clone().unwrap_or_else(|| "\"\"".into());
    let ceremonies = &m.config.sections.ceremonies;
    format!(
        r#"---
# Mã cố định, dùng cho đường dẫn ngắn /m/{id}/ in trên mã QR. Đừng đổi, kể cả khi đổi tên tệp.
id: {id}
# Tên mô hình, đúng như đã công bố.
title: {title}
# Tóm tắt một hai câu (bỏ trống thì lấy đoạn đầu của bài).
summary:
# Lĩnh vực (bắt buộc): {fields}
field: {field}
# Loại (bắt buộc): {kinds}
kind: {kind}
# Chủ thể thực hiện: tên đơn vị, hoặc {{name: "…", role: "…"}}.
owner:
# Tổ chức tham gia: {orgs}
organizations: []
# Địa bàn, từ lớn đến nhỏ, đúng như khi công bố: [Tỉnh, Huyện, Xã].
{place}
# Thời gian thực hiện, ví dụ "2021-2024".
period:
# Ngày đăng hoặc cập nhật (YYYY-MM-DD; có thể chỉ ghi YYYY-MM hoặc YYYY).
date: {date}
# Tình trạng: {statuses}
status:
# Các mốc: [{{status: dang-ky, date: 2024-01-15}}, {{status: cong-nhan, date: 2024-12-20}}]
history: []
# Khen thưởng, ghi nhận. level: {levels}; award: {awards};
# ceremony: tên tệp (không có .md) của buổi tuyên dương trong {ceremonies}/.
#   - {{level: co-so, year: 2024, by: "UBND xã …", award: giay-khen, ceremony: …, decision: "Quyết định số …"}}
recognitions: []
# Kết quả bằng số. qualifier: hon (hơn) | gan (gần) | khoang (khoảng); bỏ trống nếu là số chính xác.
#   - {{label: "Hộ được giúp đỡ", value: 24, unit: hộ}}
results: []
# Mô hình được học tập, nhân rộng từ (tên tệp hoặc mã của mô hình khác).
replicated_from: []
# Từ khóa.
tags: []
# Ảnh đặt cạnh tệp này hoặc trong static/; alt (mô tả ảnh) là bắt buộc.
#   - {{src: anh-1.jpg, alt: "…", caption: "…", credit: "…"}}
images: []
# Nguồn tin.
#   - {{url: "https://…", publication: "Báo …", title: "…", date: 2024-05-20}}
sources: []
# Đường dẫn cũ cần chuyển về trang này, ví dụ [/duong-dan-cu/].
aliases: []
# false: cá nhân, hộ gia đình không muốn nêu tên công khai (ẩn chủ thể).
public: true
# true: bản nháp, chưa đăng (xem trước bằng `dienhinh serve --drafts`).
draft: {draft}
---
Viết bài giới thiệu mô hình ở đây: hoàn cảnh ra đời, cách làm, kết quả.

## Cách làm

## Kết quả
"#,
        id = m.id,
        title = quoted(m.title),
        fields = ids(&v.fields),
        kinds = ids(&v.kinds),
        orgs = ids(&v.organizations),
        statuses = ids(&v.statuses),
        levels = ids(&v.levels),
        awards = ids(&v.awards),
        place = place_line(&m.place),
        date = m.date,
        draft = m.draft,
    )
}

fn ceremony_text(
    id: &str,
    title: &str,
    event: Option<String>,
    place: &[String],
    date: &str,
    draft: bool,
    config: &Config,
) -> String {
    let v = &config.vocab;
    let models = &config.sections.models;
    format!(
        r#"---
# Mã cố định, dùng cho đường dẫn ngắn /m/{id}/. Đừng đổi, kể cả khi đổi tên tệp.
id: {id}
# Tên buổi lễ, hội nghị, đúng như đã công bố.
title: {title}
# Ngày tổ chức (bắt buộc, YYYY-MM-DD).
date: {date}
# Tóm tắt một hai câu (bỏ trống thì lấy đoạn đầu của bài).
summary:
# Loại sự kiện: {events}
event_type: {event}
# Đơn vị tổ chức.
organizer:
# Cấp: {levels}
level:
# Địa bàn, từ lớn đến nhỏ: [Tỉnh, Huyện, Xã].
{place}
# Dịp tổ chức, ví dụ "Kỷ niệm 94 năm Ngày truyền thống công tác Dân vận".
occasion:
# Tập thể, cá nhân được khen. model: tên tệp (không có .md) hoặc mã của mô hình trong {models}/;
# người không có trang riêng thì ghi name. award: {awards}
#   - {{model: …, award: giay-khen, by: "UBND …", decision: "Quyết định số …"}}
#   - {{name: "Ông Nguyễn Văn A", kind: ca-nhan, award: bang-khen, by: "…"}}
honorees: []
# Số lượng khen thưởng khi không liệt kê từng người: {{award: giay-khen, by: "…", kind: tap-the, count: 10}}
award_counts: []
# Số liệu công bố tại buổi lễ, ghi đúng như công bố; qualifier: hon | gan | khoang.
#   - label: "Mô hình đăng ký"
#     value: 120
#     breakdowns: [{{by: cấp, parts: [{{label: cấp huyện, value: 20}}, {{label: cấp xã, value: 100}}]}}]
statistics: []
# Từ khóa.
tags: []
# Ảnh đặt cạnh tệp này hoặc trong static/; alt (mô tả ảnh) là bắt buộc.
images: []
# Nguồn tin: [{{url: "https://…", publication: "Báo …", date: 2024-05-20}}]
sources: []
# Đường dẫn cũ cần chuyển về trang này.
aliases: []
# true: bản nháp, chưa đăng.
draft: {draft}
---
Viết bài tường thuật buổi lễ ở đây.
"#,
        title = quoted(title),
        events = ids(&v.event_types),
        event = event.unwrap_or_else(|| "tuyen-duong".into()),
        levels = ids(&v.levels),
        awards = ids(&v.awards),
        place = place_line(place),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fresh_and_clean() {
        let mut taken = HashSet::new();
        for _ in 0..200 {
            let id = fresh_id(&taken);
            assert_eq!(id.len(), ID_LEN);
            assert!(crate::text::is_clean_slug(&id));
            assert!(taken.insert(id));
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
