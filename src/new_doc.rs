//! `dienhinh new model|ceremony "Tên"`: a new content file at the right
//! path, with a fresh permanent id and every field of the front matter laid
//! out with a Vietnamese comment, so an editor only fills in values.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::core::Lang;
use crate::diagnostic::{Code, Diagnostic, Text as Words};
use crate::load::CONTENT_DIR;
use crate::site::Date;
use crate::tr;
use crate::vi::slugify;
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
/// value is unknown or missing, or the file exists. A required value not
/// given on the command line is asked for through `ask` (a terminal); with
/// no `ask` it is a usage error, so what `new` writes always builds.
pub fn new_document(
    root: &Path,
    kind: DocKind,
    title: &str,
    opts: &NewOptions,
    ask: Option<&mut dyn Ask>,
) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(root)?;
    let title = crate::vi::nfc(title.trim());
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
        Some(d) => Some(parse_date(d, &rel)?),
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
                .map(crate::vi::nfc)
                .collect()
        })
        .unwrap_or_default();
    let v = &config.vocab;
    let text = match kind {
        DocKind::Model => {
            let field = resolve(&v.fields, FIELD, opts.field.as_deref(), &rel)?;
            let kind = resolve(&v.kinds, KIND, opts.kind.as_deref(), &rel)?;
            // Every required value is known before anything is written:
            // asked for on a terminal, else named in one usage error.
            let (field, kind) = match (field, kind, ask) {
                (Some(f), Some(k), _) => (f, k),
                (field, kind, Some(ask)) => {
                    let field = match field {
                        Some(f) => f,
                        None => choose(ask, &v.fields, FIELD, &rel)?,
                    };
                    let kind = match kind {
                        Some(k) => k,
                        None => choose(ask, &v.kinds, KIND, &rel)?,
                    };
                    (field, kind)
                }
                (field, kind, None) => {
                    let mut missing = Vec::new();
                    if field.is_none() {
                        missing.push(Missing::Term(FIELD, &v.fields));
                    }
                    if kind.is_none() {
                        missing.push(Missing::Term(KIND, &v.kinds));
                    }
                    return Err(missing_flags(
                        kind_word(DocKind::Model),
                        &title,
                        &missing,
                        &rel,
                    ));
                }
            };
            model_text(&ModelValues {
                id: &id,
                title: &title,
                field,
                kind,
                place,
                date: date.unwrap_or_else(crate::clock::today),
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
            let event = resolve(&v.event_types, EVENT, opts.kind.as_deref(), &rel)?;
            // The day it was held: today is rarely right, so it is asked
            // for (or required), never assumed.
            let date = match (date, ask) {
                (Some(d), _) => d,
                (None, Some(ask)) => ask_date(ask, &rel)?,
                (None, None) => {
                    return Err(missing_flags(
                        kind_word(DocKind::Ceremony),
                        &title,
                        &[Missing::Date],
                        &rel,
                    ))
                }
            };
            ceremony_text(&id, &title, event, &place, &date, opts.draft, &config)
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

/// A vocabulary `new` fills in: its name in both languages and its flag.
#[derive(Clone, Copy)]
struct What {
    vi: &'static str,
    en: &'static str,
    flag: &'static str,
}

const FIELD: What = What {
    vi: "lĩnh vực",
    en: "field (lĩnh vực)",
    flag: "--field",
};
const KIND: What = What {
    vi: "loại",
    en: "kind (loại)",
    flag: "--kind",
};
const EVENT: What = What {
    vi: "loại sự kiện",
    en: "event type",
    flag: "--kind",
};

fn parse_date(given: &str, rel: &str) -> Result<String, Diagnostic> {
    Date::parse(given.trim())
        .map(|d| d.to_string())
        .ok_or_else(|| {
            Diagnostic::error(
                Code::BadDate,
                rel,
                tr!(
                    "`{given}` không phải là ngày hợp lệ",
                    "`{given}` is not a valid date"
                ),
            )
            .help(tr!(
                "viết ngày theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ `--date 2024-05-20`",
                "write the date as YYYY-MM-DD, e.g. `--date 2024-05-20`"
            ))
        })
}

/// The term's id for a value given on the command line, or an error with
/// the closest term.
fn resolve(
    vocab: &Vocabulary,
    What {
        vi: what_vi,
        en: what_en,
        flag,
    }: What,
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

/// A required value missing from the command line.
enum Missing<'a> {
    Term(What, &'a Vocabulary),
    Date,
}

fn kind_word(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Model => "model",
        DocKind::Ceremony => "ceremony",
    }
}

/// The usage error of `new` without a terminal to ask on: every missing
/// flag with the values it takes, and the whole command to type.
fn missing_flags(what: &str, title: &str, missing: &[Missing], rel: &str) -> Diagnostic {
    let flags = missing
        .iter()
        .map(|m| match m {
            Missing::Term(w, _) => format!("`{}`", w.flag),
            Missing::Date => "`--date`".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut vi = Vec::new();
    let mut en = Vec::new();
    let mut example = format!("dienhinh new {what} {}", quoted(title));
    for m in missing {
        match m {
            Missing::Term(w, vocab) => {
                let allowed = vocab.ids().collect::<Vec<_>>().join(", ");
                vi.push(format!("`{}` là {}: {allowed}", w.flag, w.vi));
                en.push(format!("`{}` is the {}: {allowed}", w.flag, w.en));
                let first = vocab.ids().next().unwrap_or("…");
                example.push_str(&format!(" {} {first}", w.flag));
            }
            Missing::Date => {
                vi.push("`--date` là ngày tổ chức, dạng YYYY-MM-DD".to_string());
                en.push("`--date` is the day it was held, as YYYY-MM-DD".to_string());
                example.push_str(" --date 2024-05-20");
            }
        }
    }
    let (vi, en) = (vi.join("; "), en.join("; "));
    Diagnostic::error(
        Code::MissingField,
        rel,
        tr!(
            "thiếu {flags} (bắt buộc); chưa ghi gì",
            "{flags} missing (required); nothing was written"
        ),
    )
    .help(tr!(
        "{vi}. Ví dụ: `{example}` (chạy trong cửa sổ dòng lệnh thì chương trình sẽ hỏi từng giá trị)",
        "{en}. For example: `{example}` (run in a terminal, it asks for each value)"
    ))
}

/// Questions for the editor, on a terminal. Kept behind a trait so the
/// choosing logic is tested with scripted answers.
pub trait Ask {
    /// Shows `text` (a question, a list, a remark) without waiting.
    fn say(&mut self, text: &Words);
    /// Shows `prompt` and returns the line typed, or `None` at the end of
    /// input (Ctrl-D), which stops `new` with nothing written.
    fn line(&mut self, prompt: &Words) -> Option<String>;
}

/// [`Ask`] on the process's terminal: questions on stderr (stdout carries
/// only the path written), answers from stdin.
pub struct Terminal {
    pub lang: Lang,
}

impl Ask for Terminal {
    fn say(&mut self, text: &Words) {
        eprintln!("{}", text.get(self.lang));
    }

    fn line(&mut self, prompt: &Words) -> Option<String> {
        use std::io::Write;
        eprint!("{}", prompt.get(self.lang));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        match std::io::stdin().read_line(&mut answer) {
            Ok(0) | Err(_) => {
                // End the prompt's line, so what follows starts clean.
                eprintln!();
                None
            }
            Ok(_) => Some(answer.trim().to_string()),
        }
    }
}

fn stopped(rel: &str) -> Diagnostic {
    Diagnostic::error(
        Code::MissingField,
        rel,
        tr!(
            "đã dừng trước khi chọn xong; chưa ghi gì",
            "stopped before every value was chosen; nothing was written"
        ),
    )
    .help(tr!(
        "chạy lại lệnh và trả lời các câu hỏi, hoặc ghi sẵn các giá trị bằng `--field`, `--kind`, `--date`",
        "run the command again and answer the questions, or give the values with `--field`, `--kind`, `--date`"
    ))
}

/// Asks for one term of `vocab`, listed numbered with labels; takes the
/// number, the id, the label or an alias, and asks again until it gets one.
fn choose(
    ask: &mut dyn Ask,
    vocab: &Vocabulary,
    what: What,
    rel: &str,
) -> Result<String, Diagnostic> {
    let What { vi, en, .. } = what;
    ask.say(&tr!("Chọn {vi} (bắt buộc):", "Choose the {en} (required):"));
    let terms: Vec<_> = vocab.iter().map(|(_, t)| t).collect();
    for (i, t) in terms.iter().enumerate() {
        let (n, id, label) = (i + 1, &t.id, &t.label);
        ask.say(&tr!("  {n}. {id} — {label}", "  {n}. {id} — {label}"));
    }
    let n = terms.len();
    loop {
        let answer = ask
            .line(&tr!(
                "Chọn số (1–{n}), mã hoặc tên: ",
                "Choose a number (1–{n}), an id or a name: "
            ))
            .ok_or_else(|| stopped(rel))?;
        if answer.is_empty() {
            ask.say(&tr!(
                "Chưa chọn gì: {vi} là bắt buộc.",
                "Nothing chosen: the {en} is required."
            ));
            continue;
        }
        // A number in the list picks by position; anything else (a site's
        // id may be a number too) is looked up as an id, label or alias.
        let picked = match answer.parse::<usize>() {
            Ok(i) if (1..=n).contains(&i) => Some(terms[i - 1]),
            _ => vocab.resolve(&answer).ok().map(|id| vocab.term(id)),
        };
        match picked {
            Some(t) => {
                let (id, label) = (&t.id, &t.label);
                ask.say(&tr!("→ {vi}: {id} ({label})", "→ {en}: {id} ({label})"));
                return Ok(t.id.clone());
            }
            None => {
                let hint = vocab
                    .resolve(&answer)
                    .err()
                    .and_then(|u| u.suggestion)
                    .map(|s| tr!(" Có phải ý bạn là `{s}`?", " Did you mean `{s}`?"));
                let (hint_vi, hint_en) = hint.as_ref().map_or(("", ""), |h| (h.vi(), h.en()));
                ask.say(&tr!(
                    "`{answer}` không có trong danh sách.{hint_vi} Chọn lại.",
                    "`{answer}` is not in the list.{hint_en} Choose again."
                ));
            }
        }
    }
}

/// Asks for the day a ceremony was held until a valid one is typed;
/// `15/10/2019` is understood too and shown in the written form.
fn ask_date(ask: &mut dyn Ask, rel: &str) -> Result<String, Diagnostic> {
    loop {
        let answer = ask
            .line(&tr!(
                "Ngày tổ chức (bắt buộc, YYYY-MM-DD): ",
                "Day it was held (required, YYYY-MM-DD): "
            ))
            .ok_or_else(|| stopped(rel))?;
        let iso = crate::validate::guess_iso(&answer).unwrap_or_else(|| answer.clone());
        match Date::parse(&iso) {
            Some(d) if !answer.is_empty() => {
                let d = d.to_string();
                ask.say(&tr!("→ ngày: {d}", "→ date: {d}"));
                return Ok(d);
            }
            _ => ask.say(&tr!(
                "`{answer}` không phải là ngày hợp lệ; viết như `2019-10-15`.",
                "`{answer}` is not a valid date; write it like `2019-10-15`."
            )),
        }
    }
}

/// Every id and slug in use by a model or ceremony: short links are
/// `/m/<id>`, or `/m/<slug>` for a document without one. Read from the
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

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `s` as a YAML scalar that reads back as the same text: plain when YAML
/// takes it as that string, quoted when it might read as something else
/// (`352e7` is a number, `~` nothing). Older YAML (1.1) readers take
/// `yes`/`no`/`on`/`off` for booleans and `1:30` or `0x1f` for numbers, so
/// those words, and anything starting like a number, are quoted too.
fn scalar(s: &str) -> String {
    const YAML11_BOOLS: [&str; 8] = ["y", "n", "yes", "no", "on", "off", "true", "false"];
    let numberish = s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
    let plain = !numberish
        && !YAML11_BOOLS.contains(&s.to_ascii_lowercase().as_str())
        && matches!(
            serde_yaml::from_str::<serde_yaml::Value>(s),
            Ok(serde_yaml::Value::String(read)) if read == s
        );
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
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
    field: String,
    kind: String,
    place: Vec<String>,
    date: String,
    draft: bool,
    config: &'a Config,
}

fn model_text(m: &ModelValues) -> String {
    let v = &m.config.vocab;
    let ceremonies = &m.config.sections.ceremonies;
    format!(
        r#"---
# Mã cố định, dùng cho đường dẫn ngắn /m/{id} in trên mã QR. Đừng đổi, kể cả khi đổi tên tệp.
id: {id_yaml}
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
        // Always quoted: an id of digits and one `e` (`352e7`) reads as a number.
        id = m.id,
        id_yaml = quoted(m.id),
        title = quoted(m.title),
        field = scalar(&m.field),
        kind = scalar(&m.kind),
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
# Mã cố định, dùng cho đường dẫn ngắn /m/{id}. Đừng đổi, kể cả khi đổi tên tệp.
id: {id_yaml}
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
        id_yaml = quoted(id),
        title = quoted(title),
        events = ids(&v.event_types),
        // Most ceremonies are `tuyen-duong`; written out (so it can be
        // seen and changed) only where the site's vocabulary has it.
        event = event
            .or_else(|| v
                .event_types
                .resolve("tuyen-duong")
                .ok()
                .map(|_| "tuyen-duong".into()))
            .map(|e| scalar(&e))
            .unwrap_or_default(),
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
            assert!(crate::vi::is_clean_slug(&id));
            assert!(taken.insert(id));
        }
    }

    /// Answers typed in advance; everything said is kept.
    struct Script {
        answers: std::collections::VecDeque<&'static str>,
        said: Vec<String>,
    }

    impl Ask for Script {
        fn say(&mut self, text: &Words) {
            self.said.push(text.en().to_string());
        }
        fn line(&mut self, prompt: &Words) -> Option<String> {
            self.said.push(prompt.en().to_string());
            self.answers.pop_front().map(str::to_string)
        }
    }

    fn script(answers: &[&'static str]) -> Script {
        Script {
            answers: answers.iter().copied().collect(),
            said: Vec::new(),
        }
    }

    fn fields() -> Vocabulary {
        use crate::vocab::Term;
        let term = |id: &str, label: &str, aliases: &[&str]| Term {
            id: id.into(),
            label: label.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        Vocabulary::new(vec![
            term("kinh-te", "Phát triển kinh tế", &["kinh tế"]),
            term("van-hoa-xa-hoi", "Văn hóa – xã hội", &[]),
        ])
    }

    #[test]
    fn choosing_takes_a_number_an_id_a_label_or_an_alias() {
        let v = fields();
        for (answer, want) in [
            ("2", "van-hoa-xa-hoi"),
            ("kinh-te", "kinh-te"),
            ("VĂN HÓA – XÃ HỘI", "van-hoa-xa-hoi"),
            ("kinh tế", "kinh-te"),
        ] {
            let mut ask = script(&[answer]);
            assert_eq!(choose(&mut ask, &v, FIELD, "a.md").unwrap(), want);
            assert!(ask
                .said
                .iter()
                .any(|s| s == "  1. kinh-te — Phát triển kinh tế"));
        }
    }

    #[test]
    fn choosing_asks_again_until_an_answer_fits_and_stops_at_end_of_input() {
        let v = fields();
        let mut ask = script(&["0", "", "van-hoa-xa-hio", "3", "1"]);
        assert_eq!(choose(&mut ask, &v, FIELD, "a.md").unwrap(), "kinh-te");
        let said = ask.said.join("\n");
        assert!(
            said.contains("`0` is not in the list. Choose again."),
            "{said}"
        );
        assert!(said.contains("Nothing chosen"), "{said}");
        assert!(said.contains("Did you mean `van-hoa-xa-hoi`?"), "{said}");
        assert!(said.contains("→ field (lĩnh vực): kinh-te (Phát triển kinh tế)"));

        let mut ask = script(&["x"]);
        let stopped = choose(&mut ask, &v, FIELD, "a.md").unwrap_err();
        assert!(stopped.message.en().contains("nothing was written"));

        let mut ask = script(&["", "31/02/2020", "20/5/2024"]);
        assert_eq!(ask_date(&mut ask, "a.md").unwrap(), "2024-05-20");
        assert!(ask_date(&mut script(&[]), "a.md").is_err());
    }

    #[test]
    fn scalars_are_quoted_only_when_yaml_would_misread_them() {
        for plain in ["kinh-te", "tap-the", "k7p2m", "Văn hóa"] {
            assert_eq!(scalar(plain), plain);
        }
        for odd in [
            "352e7", "12345", "no", "true", "~", "null", "", "1.5", "a: b", "#x",
        ] {
            assert_eq!(scalar(odd), quoted(odd), "{odd}");
        }
    }
}
