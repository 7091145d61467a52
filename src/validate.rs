//! Stage 2a: check each document on its own and turn its front matter into
//! the typed site structs — vocabulary terms resolved, dates parsed, slugs,
//! aliases and image paths made safe. Every bad value is reported with its
//! own position; a document with errors is left out of the site.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Text as Words};
use crate::load::{Front, Loaded, CONTENT_DIR};
use crate::markdown;
use crate::schema::{
    CeremonyFront, CommonFront, ImageFront, ModelFront, OwnerFront, PageFront, SourceFront, Text,
};
use crate::site::{
    AwardCount, Breakdown, Ceremony, Date, Doc, Figure, Honoree, Image, Model, Owner, Page,
    Qualifier, Recognition, Reference, SourceFile, SourceRef, Statistic,
};
use crate::tr;
use crate::vi::{is_clean_slug, slugify};
use crate::vocab::{TermId, Vocabulary};

/// A vocabulary's name in both languages, for its messages.
#[derive(Clone, Copy)]
struct What {
    vi: &'static str,
    en: &'static str,
}

const FIELD: What = What {
    vi: "lĩnh vực",
    en: "field (lĩnh vực)",
};
const KIND: What = What {
    vi: "loại",
    en: "kind (loại)",
};
const STATUS: What = What {
    vi: "tình trạng",
    en: "status",
};
const ORGANISATION: What = What {
    vi: "tổ chức",
    en: "organisation",
};
const LEVEL: What = What {
    vi: "cấp",
    en: "level",
};
const AWARD: What = What {
    vi: "hình thức khen thưởng",
    en: "award",
};
const EVENT_TYPE: What = What {
    vi: "loại sự kiện",
    en: "event type",
};

/// Summaries taken from the body are cut near this many characters.
const SUMMARY_CHARS: usize = 300;

pub enum Document {
    Model(Model),
    Ceremony(Ceremony),
    Page(Page),
}

pub fn validate(
    root: &Path,
    config: &Config,
    loaded: Vec<Loaded>,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let results: Vec<(Option<Document>, Vec<Diagnostic>)> = loaded
        .into_par_iter()
        .map(|l| {
            let mut check = Check {
                root,
                config,
                file: &l.file,
                diagnostics: Vec::new(),
            };
            let doc = match l.front {
                Front::Model(f) => check.model(*f).map(Document::Model),
                Front::Ceremony(f) => check.ceremony(*f).map(Document::Ceremony),
                Front::Page(f) => check.page(*f).map(Document::Page),
            };
            let has_errors = check.diagnostics.iter().any(Diagnostic::is_error);
            (doc.filter(|_| !has_errors), check.diagnostics)
        })
        .collect();
    let mut docs = Vec::new();
    let mut diagnostics = Vec::new();
    for (doc, d) in results {
        docs.extend(doc);
        diagnostics.extend(d);
    }
    (docs, diagnostics)
}

/// Checks one document, collecting its diagnostics.
struct Check<'a> {
    root: &'a Path,
    config: &'a Config,
    file: &'a Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
}

impl Check<'_> {
    /// An error about the front-matter value at `path`.
    fn err(&self, code: Code, path: &str, message: Words) -> Diagnostic {
        let (offset, len) = self.file.locate(path);
        Diagnostic::error(code, &self.file.rel_path, message).at(&self.file.text, offset, len)
    }

    fn warning(&self, code: Code, path: &str, message: Words) -> Diagnostic {
        let (offset, len) = self.file.locate(path);
        Diagnostic::warning(code, &self.file.rel_path, message).at(&self.file.text, offset, len)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// An error for a required value left empty (`field: ""` or `field:`),
    /// with what may be written there. Never "unknown value": nothing was
    /// written to be unknown.
    fn required_empty(&mut self, path: &str, what: What, help: Words) {
        let key = path.rsplit('.').next().unwrap_or(path);
        let What { vi, en } = what;
        self.push(
            self.err(
                Code::MissingField,
                path,
                tr!(
                    "{vi} (`{key}`): bắt buộc, đang để trống",
                    "{en}: required, empty"
                ),
            )
            .label(tr!("bắt buộc, đang để trống", "required, empty"))
            .help(help),
        );
    }

    fn term(&mut self, vocab: &Vocabulary, what: What, value: &str, path: &str) -> Option<TermId> {
        if value.trim().is_empty() {
            let allowed = vocab
                .iter()
                .map(|(_, t)| format!("{} ({})", t.id, t.label))
                .collect::<Vec<_>>()
                .join(", ");
            let example = vocab.ids().next().unwrap_or("…");
            let key = path.rsplit('.').next().unwrap_or(path);
            let What { vi, en } = what;
            let help = tr!(
                "ghi một trong các giá trị {vi}: {allowed}; ví dụ `{key}: {example}`",
                "write one of the {en} values: {allowed}; e.g. `{key}: {example}`"
            );
            self.required_empty(path, what, help);
            return None;
        }
        match vocab.resolve(value) {
            Ok(id) => Some(id),
            Err(unknown) => {
                let allowed = vocab.ids().collect::<Vec<_>>().join(", ");
                let What { vi, en } = what;
                let help = match unknown.suggestion {
                    Some(s) => tr!(
                        "có phải ý bạn là `{s}`? Các giá trị {vi} dùng được: {allowed}",
                        "did you mean `{s}`? Allowed {en} values: {allowed}"
                    ),
                    None => tr!(
                        "các giá trị {vi} dùng được: {allowed} (hoặc tên đầy đủ của chúng, hoặc tên gọi khác khai trong site.yaml)",
                        "allowed {en} values: {allowed} (or their labels, or aliases from site.yaml)"
                    ),
                };
                self.push(
                    self.err(
                        Code::UnknownVocabulary,
                        path,
                        tr!(
                            "{vi} `{value}` không có trong danh mục",
                            "unknown {en} `{value}`"
                        ),
                    )
                    .label(tr!("không có trong danh mục {vi}", "not a known {en}"))
                    .help(help),
                );
                None
            }
        }
    }

    fn opt_term(
        &mut self,
        vocab: &Vocabulary,
        what: What,
        value: Option<&str>,
        path: &str,
    ) -> Option<TermId> {
        // An optional value left empty is simply not given.
        value
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| self.term(vocab, what, v, path))
    }

    /// An optional date: left empty, it is not given.
    fn opt_date(&mut self, value: Option<&Text>, path: &str) -> Option<Date> {
        value
            .filter(|v| !v.0.trim().is_empty())
            .and_then(|v| self.date(v, path))
    }

    fn date(&mut self, value: &Text, path: &str) -> Option<Date> {
        if value.0.trim().is_empty() {
            const DATE: What = What {
                vi: "ngày",
                en: "date",
            };
            let key = path.rsplit('.').next().unwrap_or(path);
            let help = tr!(
                "viết ngày theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ `{key}: 2019-10-15`",
                "write the date as YYYY-MM-DD, e.g. `{key}: 2019-10-15`"
            );
            self.required_empty(path, DATE, help);
            return None;
        }
        let parsed = Date::parse(value.0.trim());
        if parsed.is_none() {
            let hint = guess_iso(&value.0)
                .map(|iso| tr!("viết `{iso}`", "write `{iso}`"))
                .unwrap_or_else(|| {
                    tr!(
                        "viết ngày theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ `2019-10-15`",
                        "write the date as YYYY-MM-DD, e.g. `2019-10-15`"
                    )
                });
            let given = &value.0;
            self.push(
                self.err(
                    Code::BadDate,
                    path,
                    tr!(
                        "`{given}` không phải là ngày hợp lệ",
                        "`{given}` is not a valid date"
                    ),
                )
                .label(tr!("cần dạng YYYY-MM-DD", "expected YYYY-MM-DD"))
                .help(hint),
            );
        }
        parsed
    }

    /// `period: 2009-2019` as written; an end before the start is an error
    /// (`2024-2019` is a typo for `2019-2024`, and a page would print it).
    fn period(&mut self, period: String) -> String {
        let years = crate::core::date::year_range(&period);
        if let Some((start, end)) = years.filter(|(a, b)| b < a) {
            self.push(
                self.err(
                    Code::BadDate,
                    "period",
                    tr!(
                        "giai đoạn `{period}` kết thúc trước khi bắt đầu",
                        "period `{period}` ends before it starts"
                    ),
                )
                .label(tr!(
                    "năm cuối nhỏ hơn năm đầu",
                    "the end year is before the start year"
                ))
                .help(tr!(
                    "ghi năm bắt đầu trước: `period: {end}-{start}`",
                    "write the start year first: `period: {end}-{start}`"
                )),
            );
        }
        period
    }

    /// The text of the plain scalar at `path` exactly as the file has it
    /// (serde gave only what YAML inferred from it: a number, a boolean).
    fn scalar_text(&self, path: &str) -> String {
        let front = &self.file.text[self.file.front.clone()];
        self.file
            .spans()
            .value(path)
            .map(|r| {
                let (start, end) = (
                    crate::frontmatter::char_to_byte(front, r.start),
                    crate::frontmatter::char_to_byte(front, r.end),
                );
                front[start..end].trim().to_string()
            })
            .unwrap_or_default()
    }

    fn qualifier(&mut self, value: Option<&str>, path: &str) -> Option<Qualifier> {
        let v = value?;
        let q = Qualifier::parse(v);
        if q.is_none() {
            self.push(self.err(
                Code::UnknownVocabulary,
                path,
                tr!(
                    "từ ước lượng `{v}` không có trong danh mục",
                    "unknown qualifier `{v}`"
                ),
            )
            .label(tr!("cần hon, gan hoặc khoang", "expected hon, gan or khoang"))
            .help(tr!(
                "dùng `hon` (hơn), `gan` (gần) hoặc `khoang` (khoảng), hoặc bỏ đi nếu là con số chính xác",
                "use `hon` (hơn), `gan` (gần) or `khoang` (khoảng), or leave it out for an exact figure"
            )));
        }
        q
    }

    /// The document's slug: given, else the file name made clean.
    fn slug(&mut self, given: Option<&str>) -> Option<String> {
        match given {
            Some(s) if is_clean_slug(s) => Some(s.to_string()),
            Some(s) => {
                let fixed = slugify(s);
                let unsafe_path = s.contains("..") || s.contains('/') || s.contains('\\');
                let code = if unsafe_path {
                    Code::UnsafePath
                } else {
                    Code::BadSlug
                };
                self.push(
                    self.err(
                        code,
                        "slug",
                        tr!(
                            "slug `{s}` không phải một đoạn địa chỉ (URL) sạch",
                            "slug `{s}` is not a clean URL segment"
                        ),
                    )
                    .label(tr!(
                        "chỉ dùng a-z, 0-9 và dấu gạch nối đơn",
                        "only a-z, 0-9 and single hyphens"
                    ))
                    .help_opt(
                        (!fixed.is_empty())
                            .then(|| tr!("viết `slug: {fixed}`", "write `slug: {fixed}`")),
                    ),
                );
                None
            }
            None => {
                let stem = Path::new(&self.file.rel_path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let slug = slugify(&stem);
                if slug.is_empty() {
                    self.push(
                        self.err(
                            Code::BadSlug,
                            "",
                            tr!(
                                "tên tệp `{stem}` không tạo được địa chỉ (URL) dùng được",
                                "the file name `{stem}` gives no usable URL"
                            ),
                        )
                        .help(tr!(
                            "đặt lại tên tệp bằng chữ cái hoặc chữ số, hoặc thêm `slug:`",
                            "rename the file with letters or digits, or set `slug:`"
                        )),
                    );
                    return None;
                }
                Some(slug)
            }
        }
    }

    fn id(&mut self, given: Option<&Text>, slug: &str, typed: bool) -> Option<String> {
        match given {
            Some(Text(id)) if is_clean_slug(id) && id.len() <= 32 => Some(id.clone()),
            Some(Text(id)) => {
                self.push(self.err(
                    Code::BadSlug,
                    "id",
                    tr!(
                        "mã `{id}` không phải một mã ngắn hợp lệ",
                        "id `{id}` is not a clean short key"
                    ),
                )
                .label(tr!(
                    "chỉ dùng a-z, 0-9 và dấu gạch nối, tối đa 32 ký tự",
                    "only a-z, 0-9 and hyphens, at most 32 characters"
                ))
                .help(tr!(
                    "mã là đường dẫn ngắn cố định (/m/<id>): dùng 5 chữ cái thường hoặc chữ số, ví dụ `k7p2m`",
                    "ids are permanent short links (/m/<id>): use 5 lowercase letters or digits, e.g. `k7p2m`"
                )));
                None
            }
            None => {
                if typed {
                    self.push(self.warning(
                        Code::MissingId,
                        "title",
                        tr!(
                            "chưa có `id`: đường dẫn ngắn sẽ là /m/{slug} và sẽ hỏng nếu đổi tên tệp",
                            "no permanent `id`: the short link will be /m/{slug} and breaks if the file is renamed"
                        ),
                    )
                    .help(tr!(
                        "thêm `id:` gồm 5 chữ cái thường hoặc chữ số (`dienhinh new` tự viết sẵn)",
                        "add `id:` with 5 lowercase letters or digits (`dienhinh new` writes one)"
                    )));
                }
                None
            }
        }
    }

    /// Aliases are site-relative URL paths: no scheme, no `..`, no host.
    fn aliases(&mut self, aliases: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in aliases.iter().enumerate() {
            let path = format!("aliases.{i}");
            let trimmed = a.trim().trim_matches('/');
            let segments_ok = !trimmed.is_empty()
                && trimmed.split('/').all(|seg| {
                    !seg.is_empty()
                        && seg != "."
                        && seg != ".."
                        && seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
                });
            if segments_ok && !a.contains("//") {
                out.push(format!("{trimmed}/"));
            } else {
                let fixed: Vec<String> = trimmed
                    .split('/')
                    .map(slugify)
                    .filter(|s| !s.is_empty())
                    .collect();
                let code = if a.contains("..")
                    || a.contains(':')
                    || a.starts_with("//")
                    || a.contains('\\')
                {
                    Code::UnsafePath
                } else {
                    Code::BadSlug
                };
                self.push(
                    self.err(
                        code,
                        &path,
                        tr!(
                            "địa chỉ cũ (alias) `{a}` không phải một đường dẫn an toàn trong trang",
                            "alias `{a}` is not a safe path on this site"
                        ),
                    )
                    .label(tr!(
                        "cần một đường dẫn như /duong-dan-cu/",
                        "expected a path like /duong-dan-cu/"
                    ))
                    .help_opt((!fixed.is_empty()).then(|| {
                        let fixed = fixed.join("/");
                        tr!("viết `/{fixed}/`", "write `/{fixed}/`")
                    })),
                );
            }
        }
        out
    }

    fn images(&mut self, images: &[ImageFront], doc_path: &str) -> Vec<Image> {
        let mut out = Vec::new();
        let doc_dir = Path::new(&self.file.rel_path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for (i, img) in images.iter().enumerate() {
            let at = format!("images.{i}");
            let src = img.src.trim();
            let alt = img.alt.as_deref().map(str::trim).unwrap_or("");
            if alt.is_empty() {
                self.push(self.err(
                    Code::ImageNoAlt,
                    &at,
                    tr!(
                        "ảnh `{src}` chưa có lời mô tả `alt`",
                        "image `{src}` has no `alt` text"
                    ),
                )
                .label(tr!("cần có `alt`", "`alt` is required"))
                .help(tr!(
                    "tả ngắn gọn ảnh chụp gì cho người không xem được ảnh, ví dụ `alt: \"Hội viên phát bánh mì cho người lao động\"`",
                    "describe what the photo shows for readers who cannot see it, e.g. `alt: \"Hội viên phát bánh mì cho người lao động\"`"
                )));
            }
            if !is_safe_relative(src) {
                self.push(self.err(
                    Code::UnsafePath,
                    &format!("{at}.src"),
                    tr!(
                        "đường dẫn ảnh `{src}` không trỏ tới một tệp của trang",
                        "image path `{src}` is not a file of this site"
                    ),
                )
                .label(tr!(
                    "cần tên một tệp nằm cạnh bài, hoặc một đường dẫn trong static/",
                    "expected a file name beside the document, or a path under static/"
                ))
                .help(tr!(
                    "đặt ảnh cùng thư mục với tệp .md và chỉ ghi tên tệp, ví dụ `src: anh-1.jpg`",
                    "put the photo next to the .md file and write just its name, e.g. `src: anh-1.jpg`"
                )));
                continue;
            }
            let beside = self.root.join(&doc_dir).join(src);
            let in_static = self.root.join("static").join(src);
            if [&beside, &in_static]
                .into_iter()
                .any(|p| p.is_file() && !inside(self.root, p))
            {
                self.push(
                    self.err(
                        Code::UnsafePath,
                        &format!("{at}.src"),
                        tr!(
                            "ảnh `{src}` là liên kết tượng trưng tới một tệp nằm ngoài trang",
                            "image `{src}` is a symbolic link to a file outside the site"
                        ),
                    )
                    .label(tr!("không phải tệp của trang", "not a file of this site"))
                    .help(tr!(
                        "chép hẳn ảnh vào trong trang thay vì tạo liên kết tới nó",
                        "copy the photo into the site instead of linking to it"
                    )),
                );
                continue;
            }
            let (file, output) = if beside.is_file() {
                let name = Path::new(src)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                (beside, format!("{doc_path}{}", name.unwrap_or_default()))
            } else if in_static.is_file() {
                (in_static, src.to_string())
            } else {
                self.push(self.err(
                    Code::ImageMissing,
                    &format!("{at}.src"),
                    tr!(
                        "không tìm thấy tệp ảnh `{src}`",
                        "image file `{src}` not found"
                    ),
                )
                .label(tr!("không có tệp này", "no such file"))
                .help(tr!(
                    "đã tìm {dir}/{src} và static/{src}; kiểm tra lại chính tả tên tệp hoặc chép ảnh vào đó",
                    "looked for {dir}/{src} and static/{src}; check the spelling or copy the photo there",
                    dir = doc_dir.display()
                )));
                continue;
            };
            if !alt.is_empty() {
                out.push(Image {
                    src: src.to_string(),
                    file,
                    output,
                    alt: alt.to_string(),
                    caption: img.caption.clone(),
                    credit: img.credit.clone(),
                    index: i,
                    rendition: None,
                });
            }
        }
        out
    }

    fn sources(&mut self, sources: &[SourceFront]) -> Vec<SourceRef> {
        let mut out = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            if let Some(url) = &s.url {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    self.push(
                        self.err(
                            Code::UnsafePath,
                            &format!("sources.{i}.url"),
                            tr!(
                                "địa chỉ nguồn `{url}` không phải địa chỉ http(s)",
                                "source URL `{url}` is not an http(s) address"
                            ),
                        )
                        .help(tr!(
                            "viết đầy đủ địa chỉ, bắt đầu bằng https://",
                            "write the full address, starting with https://"
                        )),
                    );
                    continue;
                }
            }
            self.opt_date(s.date.as_ref(), &format!("sources.{i}.date"));
            out.push(SourceRef {
                url: s.url.clone(),
                publication: s.publication.clone(),
                title: s.title.clone(),
                date: s
                    .date
                    .as_ref()
                    .map(|d| d.0.trim().to_string())
                    .filter(|d| !d.is_empty()),
            });
        }
        out
    }

    fn place(&mut self, place: &[String]) -> Vec<String> {
        if place.len() > 4 {
            self.push(
                self.err(
                    Code::WrongType,
                    "place",
                    tr!(
                        "địa bàn có {n} cấp; chỉ dùng tối đa 4 cấp",
                        "place has {n} levels; at most 4 are used",
                        n = place.len()
                    ),
                )
                .help(tr!(
                    "ghi địa bàn từ lớn đến nhỏ: tỉnh, huyện, xã, thôn",
                    "list the place coarse to fine: province, district, commune, village"
                )),
            );
        }
        place
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// The part every document shares. `typed`: a model or ceremony, which
    /// has a short link and so should have a permanent id.
    fn doc(
        &mut self,
        section: &str,
        f: &impl CommonFront,
        date: Option<Date>,
        typed: bool,
    ) -> Option<Doc> {
        let (slug, id, title, summary) = (f.slug(), f.id(), f.title(), f.summary());
        let (aliases, tags, images, sources, draft) =
            (f.aliases(), f.tags(), f.images(), f.sources(), f.draft());
        let slug = self.slug(slug)?;
        let path = if section.is_empty() {
            format!("{slug}/")
        } else {
            format!("{section}/{slug}/")
        };
        let title = title.trim();
        if title.is_empty() {
            self.push(
                self.err(
                    Code::MissingField,
                    "title",
                    tr!("tiêu đề đang để trống", "the title is empty"),
                )
                .help(tr!(
                    "ghi tên mô hình như đã công bố",
                    "write the model's name as published"
                )),
            );
        }
        let id = self.id(id, &slug, typed);
        let aliases = self.aliases(aliases);
        let images = self.images(images, &path);
        let sources = self.sources(sources);
        let given = summary.map(str::trim).filter(|s| !s.is_empty());
        let summary = match given {
            Some(s) => s.to_string(),
            None => markdown::summary(self.file.body(), SUMMARY_CHARS),
        };
        Some(Doc {
            file: Arc::clone(self.file),
            slug,
            path,
            id,
            title: title.to_string(),
            summary,
            summary_given: given.is_some(),
            date,
            aliases,
            tags: tags
                .iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            images,
            sources,
            draft,
            extra: serde_json::Value::Object(f.extra().clone()),
        })
    }

    fn model(&mut self, f: ModelFront) -> Option<Model> {
        let v = &self.config.vocab;
        let field = self.term(&v.fields, FIELD, &f.field, "field");
        let kind = self.term(&v.kinds, KIND, &f.kind, "kind");
        let status = self.opt_term(&v.statuses, STATUS, f.status.as_deref(), "status");
        let organizations = f
            .organizations
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                self.term(
                    &v.organizations,
                    ORGANISATION,
                    o,
                    &format!("organizations.{i}"),
                )
            })
            .collect();
        let history = f
            .history
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let s = self.term(
                    &v.statuses,
                    STATUS,
                    &h.status,
                    &format!("history.{i}.status"),
                );
                let d = self.date(&h.date, &format!("history.{i}.date"));
                Some((s?, d?))
            })
            .collect();
        let recognitions = f
            .recognitions
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let at = format!("recognitions.{i}");
                let level = self.term(&v.levels, LEVEL, &r.level, &format!("{at}.level"));
                let award =
                    self.opt_term(&v.awards, AWARD, r.award.as_deref(), &format!("{at}.award"));
                if !(1900..=2200).contains(&r.year) {
                    self.push(
                        self.err(
                            Code::BadDate,
                            &format!("{at}.year"),
                            tr!(
                                "năm {year} nằm ngoài khoảng hợp lý",
                                "year {year} is out of range",
                                year = r.year
                            ),
                        )
                        .help(tr!(
                            "ghi năm được công nhận, đủ bốn chữ số",
                            "write the four-digit year of the recognition"
                        )),
                    );
                }
                Some(Recognition {
                    level: level?,
                    year: r.year,
                    by: r.by.clone(),
                    award,
                    ceremony: r.ceremony.as_ref().map(|c| Reference {
                        target: c.trim().to_string(),
                        at: format!("{at}.ceremony"),
                    }),
                    decision: r.decision.clone(),
                })
            })
            .collect();
        let results = f
            .results
            .iter()
            .enumerate()
            .map(|(i, r)| Figure {
                label: r.label.clone(),
                value: r.value,
                unit: r.unit.clone(),
                qualifier: self
                    .qualifier(r.qualifier.as_deref(), &format!("results.{i}.qualifier")),
            })
            .collect();
        let date = self.opt_date(f.date.as_ref(), "date");
        let period = f.period.as_ref().map(|p| self.period(p.0.clone()));
        let place = self.place(&f.place);
        let section = self.config.sections.models.clone();
        let doc = self.doc(&section, &f, date, true)?;
        Some(Model {
            doc,
            field: field?,
            kind: kind?,
            owner: f.owner.clone().map(|o| match o {
                OwnerFront::Name(n) => Owner::Name(n),
                OwnerFront::Detailed(d) => Owner::Detailed {
                    name: d.name,
                    role: d.role,
                },
                OwnerFront::Bare => Owner::Name(self.scalar_text("owner")),
            }),
            organizations,
            place,
            period,
            status,
            history,
            recognitions,
            results,
            replicated_from: f
                .replicated_from
                .iter()
                .enumerate()
                .map(|(i, r)| Reference {
                    target: r.trim().to_string(),
                    at: format!("replicated_from.{i}"),
                })
                .collect(),
            public: f.public.unwrap_or(true),
        })
    }

    fn ceremony(&mut self, f: CeremonyFront) -> Option<Ceremony> {
        let v = &self.config.vocab;
        let date = self.date(&f.date, "date");
        let event_type = self.opt_term(
            &v.event_types,
            EVENT_TYPE,
            f.event_type.as_deref(),
            "event_type",
        );
        let level = self.opt_term(&v.levels, LEVEL, f.level.as_deref(), "level");
        let honorees = f
            .honorees
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let at = format!("honorees.{i}");
                if h.model.is_some() == h.name.is_some() {
                    self.push(self.err(
                        Code::MissingField,
                        &at,
                        tr!(
                            "mỗi người/mô hình được vinh danh cần có `model` hoặc `name`, chỉ một trong hai",
                            "an honoree names either a `model` or a `name`, not both or neither"
                        ),
                    ).help(tr!(
                        "viết `model: <slug của mô hình>` cho mô hình đã có trang, hoặc `name: \"…\"` cho một người",
                        "write `model: <slug of the model>` for a model with a page, or `name: \"…\"` for a person"
                    )));
                }
                Honoree {
                    model: h.model.as_ref().map(|m| Reference {
                        target: m.trim().to_string(),
                        at: format!("{at}.model"),
                    }),
                    name: h.name.clone(),
                    public: h.public.unwrap_or(true),
                    kind: self.opt_term(&v.kinds, KIND, h.kind.as_deref(), &format!("{at}.kind")),
                    award: self.opt_term(&v.awards, AWARD, h.award.as_deref(), &format!("{at}.award")),
                    by: h.by.clone(),
                    decision: h.decision.clone(),
                }
            })
            .collect();
        let award_counts = f
            .award_counts
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let at = format!("award_counts.{i}");
                let award = self.term(&v.awards, AWARD, &a.award, &format!("{at}.award"));
                let kind = self.opt_term(&v.kinds, KIND, a.kind.as_deref(), &format!("{at}.kind"));
                Some(AwardCount {
                    award: award?,
                    by: a.by.clone(),
                    kind,
                    count: a.count,
                })
            })
            .collect();
        let statistics = f
            .statistics
            .iter()
            .enumerate()
            .map(|(i, s)| Statistic {
                figure: Figure {
                    label: s.label.clone(),
                    value: s.value,
                    unit: s.unit.clone(),
                    qualifier: self
                        .qualifier(s.qualifier.as_deref(), &format!("statistics.{i}.qualifier")),
                },
                breakdowns: s
                    .breakdowns
                    .iter()
                    .map(|b| Breakdown {
                        by: b.by.clone(),
                        parts: b.parts.iter().map(|p| (p.label.clone(), p.value)).collect(),
                    })
                    .collect(),
            })
            .collect();
        let place = self.place(&f.place);
        let section = self.config.sections.ceremonies.clone();
        let doc = self.doc(&section, &f, date, true)?;
        date?;
        Some(Ceremony {
            doc,
            event_type,
            organizer: f.organizer.clone(),
            level,
            place,
            occasion: f.occasion.clone(),
            honorees,
            award_counts,
            statistics,
            front: Arc::new(f),
        })
    }

    fn page(&mut self, f: PageFront) -> Option<Page> {
        let date = self.opt_date(f.date.as_ref(), "date");
        let PagePlace {
            dir,
            stem: _,
            is_index,
        } = page_place(&self.file.rel_path);
        let mut doc = if is_index {
            let slug = Path::new(&dir)
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parent = Path::new(&dir)
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let mut d = self.doc(&parent, &f, date, false)?;
            d.slug = slug.clone();
            d.path = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            d
        } else {
            self.doc(&dir, &f, date, false)?
        };
        if let Some(s) = f.slug.as_deref().filter(|_| is_index) {
            self.push(
                self.warning(
                    Code::BadSlug,
                    "slug",
                    tr!(
                        "`slug: {s}` không có tác dụng ở trang mục lục (index)",
                        "`slug: {s}` is ignored on an index page"
                    ),
                )
                .help(tr!(
                    "trang mục lục lấy địa chỉ theo tên thư mục",
                    "the folder name gives an index page its URL"
                )),
            );
        }
        doc.id = None;
        Some(Page {
            doc,
            front: Arc::new(f),
        })
    }
}

/// Where a page's file puts it: the folder's URL path (each part made a
/// slug) and the file's stem; `index.md` and `_index.md` stand for their
/// folder. content/a/b.md → a/b/; content/a/index.md → a/; content/_index.md → home.
pub(crate) struct PagePlace {
    pub dir: String,
    pub stem: String,
    pub is_index: bool,
}

pub(crate) fn page_place(rel_path: &str) -> PagePlace {
    let rel = rel_path.strip_prefix(CONTENT_DIR).unwrap_or(rel_path);
    let rel = rel.trim_start_matches('/');
    let (dir, stem) = match rel.rsplit_once('/') {
        Some((d, f)) => (d.to_string(), f.trim_end_matches(".md").to_string()),
        None => (String::new(), rel.trim_end_matches(".md").to_string()),
    };
    let dir: String = dir
        .split('/')
        .map(slugify)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    let is_index = stem == "index" || stem == "_index";
    PagePlace {
        dir,
        stem,
        is_index,
    }
}

/// Whether `path`, with every symbolic link resolved, is still under `root`:
/// a link to `/etc/passwd` named like a photo must not be published.
fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// A relative path that stays inside the site: no scheme, no root, no `..`.
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains(':')
        && !p.contains('\0')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Recognises the common non-ISO spellings (15/10/2019, 15-10-2019) to
/// suggest the ISO form.
pub(crate) fn guess_iso(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split(['/', '-', '.']).collect();
    if let [d, m, y] = parts[..] {
        if y.len() == 4 {
            let iso = format!("{y}-{:0>2}-{:0>2}", m, d);
            return Date::parse(&iso).map(|_| iso);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_paths() {
        assert!(is_safe_relative("anh.jpg"));
        assert!(is_safe_relative("anh/1.jpg"));
        assert!(!is_safe_relative("../anh.jpg"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("javascript:alert(1)"));
        assert!(!is_safe_relative("a//b"));
    }

    #[test]
    fn guesses_iso_from_vietnamese_dates() {
        assert_eq!(guess_iso("15/10/2019").as_deref(), Some("2019-10-15"));
        assert_eq!(guess_iso("5-1-2020").as_deref(), Some("2020-01-05"));
        assert_eq!(guess_iso("31/02/2020"), None);
    }
}
