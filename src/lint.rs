//! Editor lints for `check`: things that build fine but read badly or hint
//! at a copy-and-paste accident. All are warnings; `check --strict` makes
//! them fail the run.

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Text};
use crate::site::{Ceremony, Doc, Site, SourceFile};
use crate::text::{format_number, offset_of};
use crate::vi::{is_syllable, tone_style, ToneStyle};

/// Titles longer than this are cut in search results and on phones; the
/// longest official ceremony names in the sample content stay below it.
pub const MAX_TITLE_CHARS: usize = 150;
/// Photos straight from a camera are several MB; 1 MB is plenty for a page.
pub const MAX_IMAGE_BYTES: u64 = 1024 * 1024;
/// Legacy-encoding mojibake is reported only from this many odd words, so
/// a foreign name (Müller) alone never triggers it.
const LEGACY_MIN_WORDS: usize = 3;

pub fn lint(site: &Site) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let docs: Vec<&Doc> = site.docs().collect();
    // Each document on its own, on every core; in site order after.
    let per_doc: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .map(|doc| {
            let l = Lint { file: &doc.file };
            let mut out = Vec::new();
            out.extend(l.nfd());
            out.extend(l.legacy_encoding());
            out.extend(l.split_words());
            out.extend(l.tone_marks());
            out.extend(l.long_title(doc));
            out.extend(l.large_images(doc));
            out
        })
        .collect();
    let mut out: Vec<Diagnostic> = per_doc.into_iter().flatten().collect();
    for c in &site.ceremonies {
        let l = Lint { file: &c.doc.file };
        out.extend(l.breakdowns(c));
    }
    out
}

struct Lint<'a> {
    file: &'a Arc<SourceFile>,
}

/// Vietnamese and English built apart, for the sentences that are put
/// together from pieces.
fn both(vi: String, en: String) -> Text {
    Text::new(vi, en)
}

impl Lint<'_> {
    fn warn(&self, code: Code, offset: usize, len: usize, message: Text) -> Diagnostic {
        Diagnostic::warning(code, &self.file.rel_path, message).at(&self.file.text, offset, len)
    }

    fn warn_at(&self, code: Code, path: &str, message: Text) -> Diagnostic {
        let (offset, len) = self.file.locate(path);
        self.warn(code, offset, len, message)
    }

    fn nfd(&self) -> Option<Diagnostic> {
        let line = self.file.was_nfd?;
        let text = &self.file.text;
        let start = offset_of(text, line, 0);
        let len = text[start..].find('\n').unwrap_or(text.len() - start);
        Some(
            self.warn(
                Code::NotNfc,
                start,
                len,
                both(
                    format!("từ dòng {line}, chữ có dấu được lưu ở dạng tổ hợp (NFD: chữ cái và dấu là hai ký tự riêng), thường do dán từ PDF hoặc máy Mac"),
                    format!("from line {line} on, accented letters are stored decomposed (NFD: letter and mark as two characters), usually pasted from a PDF or a Mac"),
                ),
            )
            .label(both("dạng tổ hợp".into(), "decomposed".into()))
            .help(both(
                "trang web vẫn đúng vì dienhinh tự chuẩn hóa, nhưng tìm kiếm trong tệp gốc sẽ sót: lưu lại tệp ở dạng “Unicode dựng sẵn” (Unikey: Công cụ chuyển mã, nguồn “Unicode tổ hợp”, đích “Unicode”)".into(),
                "the page is still right (dienhinh normalises), but searching the source file misses these words: re-save it as precomposed Unicode (NFC), e.g. with Unikey's converter from “Unicode tổ hợp” to “Unicode”".into(),
            )),
        )
    }

    fn legacy_encoding(&self) -> Option<Diagnostic> {
        let text = &self.file.text;
        let odd: Vec<(usize, &str, Legacy)> = words(text)
            .filter_map(|(i, w)| legacy_word(w).map(|k| (i, w, k)))
            .collect();
        if odd.len() < LEGACY_MIN_WORDS {
            return None;
        }
        let tcvn = odd.iter().filter(|(_, _, k)| *k == Legacy::Tcvn3).count();
        let name = if tcvn * 2 >= odd.len() {
            "TCVN3 (ABC)"
        } else {
            "VNI"
        };
        let examples: Vec<&str> = odd.iter().take(3).map(|(_, w, _)| *w).collect();
        let (first, word, _) = odd[0];
        Some(
            self.warn(
                Code::LegacyEncoding,
                first,
                word.len(),
                both(
                    format!("{} từ có vẻ là chữ gõ bằng bảng mã cũ {name} rồi dán vào (ví dụ: {})", odd.len(), examples.join(", ")),
                    format!("{} words look like text typed in the legacy {name} encoding and pasted in (e.g. {})", odd.len(), examples.join(", ")),
                ),
            )
            .label(both("chữ lỗi mã".into(), "mojibake".into()))
            .help(both(
                format!("chuyển đoạn văn gốc sang Unicode trước khi dán: Unikey → Công cụ chuyển mã, nguồn “{name}”, đích “Unicode”"),
                format!("convert the original text to Unicode before pasting: Unikey → converter, source “{name}”, target “Unicode”"),
            )),
        )
    }

    fn split_words(&self) -> Vec<Diagnostic> {
        let text = &self.file.text;
        let mut out = Vec::new();
        let list: Vec<(usize, &str)> = words(text).collect();
        for pair in list.windows(2) {
            let ((i, a), (j, b)) = (pair[0], pair[1]);
            // Exactly one space between them, so "khu C, hoạt động" is left alone.
            if j != i + a.len() + 1 || &text[i + a.len()..j] != " " {
                continue;
            }
            if glued_to_a_code(text, i) || !is_split(a, b) {
                continue;
            }
            let joined = format!("{a}{b}");
            out.push(
                self.warn(
                    Code::SplitWord,
                    i,
                    j + b.len() - i,
                    both(
                        format!("“{a} {b}” có vẻ là chữ “{joined}” bị tách bởi một dấu cách thừa"),
                        format!("“{a} {b}” looks like the word “{joined}” split by a stray space"),
                    ),
                )
                .label(both("dấu cách thừa".into(), "stray space".into()))
                .help(both(
                    format!("viết `{joined}`"),
                    format!("write `{joined}`"),
                )),
            );
        }
        out
    }

    fn tone_marks(&self) -> Option<Diagnostic> {
        let text = &self.file.text;
        let mut old: Vec<(usize, &str)> = Vec::new();
        let mut new: Vec<(usize, &str)> = Vec::new();
        for (i, w) in words(text) {
            match tone_style(w) {
                Some(ToneStyle::Old) => old.push((i, w)),
                Some(ToneStyle::New) => new.push((i, w)),
                None => {}
            }
        }
        if old.is_empty() || new.is_empty() {
            return None;
        }
        // Point at the first word of the less used style: that is the one to change.
        let (minority, majority, change_to_new) = if old.len() <= new.len() {
            (&old, &new, true)
        } else {
            (&new, &old, false)
        };
        let (at, word) = minority[0];
        let example = majority[0].1;
        let (vi_style, en_style) = if change_to_new {
            ("kiểu mới (hòa, thủy)", "the new style (hòa, thủy)")
        } else {
            ("kiểu cũ (hoà, thuỷ)", "the old style (hoà, thuỷ)")
        };
        Some(
            self.warn(
                Code::MixedToneMarks,
                at,
                word.len(),
                both(
                    format!("bài viết đặt dấu thanh theo hai kiểu: “{word}” ({} chỗ) và “{example}” ({} chỗ)", minority.len(), majority.len()),
                    format!("the text places tone marks two ways: “{word}” ({} times) and “{example}” ({} times)", minority.len(), majority.len()),
                ),
            )
            .label(both("kiểu ít dùng hơn trong bài".into(), "the less used style here".into()))
            .help(both(
                format!("thống nhất một kiểu trong cả bài, ví dụ {vi_style}; tìm kiếm trên trang coi hai kiểu là một"),
                format!("use one style throughout, e.g. {en_style}; the site's search treats both alike"),
            )),
        )
    }

    fn long_title(&self, doc: &Doc) -> Option<Diagnostic> {
        let n = doc.title.chars().count();
        (n > MAX_TITLE_CHARS).then(|| {
            self.warn_at(
                Code::LongTitle,
                "title",
                both(
                    format!("tiêu đề dài {n} ký tự (nên dưới {MAX_TITLE_CHARS})"),
                    format!("the title is {n} characters long (keep it under {MAX_TITLE_CHARS})"),
                ),
            )
            .help(both(
                "kết quả tìm kiếm và màn hình điện thoại sẽ cắt bớt: giữ tên ngắn gọn trong `title`, đưa phần giải thích vào `summary`".into(),
                "search results and phones cut it: keep the name short in `title` and move the explanation to `summary`".into(),
            ))
        })
    }

    fn large_images(&self, doc: &Doc) -> Vec<Diagnostic> {
        doc.images
            .iter()
            .enumerate()
            .filter_map(|(i, img)| {
                let size = std::fs::metadata(&img.file).ok()?.len();
                (size > MAX_IMAGE_BYTES).then(|| {
                    let mb = format_number((size as f64 / 1_048_576.0 * 10.0).round() / 10.0);
                    self.warn_at(
                        Code::ImageTooLarge,
                        &format!("images.{i}.src"),
                        both(
                            format!("ảnh `{}` nặng {mb} MB (nên dưới 1 MB)", img.src),
                            format!("image `{}` is {mb} MB (keep it under 1 MB)", img.src),
                        ),
                    )
                    .help(both(
                        "trang tự tạo các cỡ ảnh nhỏ, nhưng ảnh gốc nặng làm thư mục nội dung phình to và làm chậm mỗi lần dựng trang: thu nhỏ ảnh gốc còn khoảng 2000 điểm ảnh chiều ngang, lưu JPEG chất lượng 85".into(),
                        "the site makes small sizes itself, but a heavy original bloats the content folder and slows every build: resize the original to about 2000 pixels wide, JPEG quality 85".into(),
                    ))
                })
            })
            .collect()
    }

    /// Announced figures are published as announced, so a breakdown that
    /// does not add up is kept — but the editor should know, since it may be
    /// a typing mistake rather than the source's.
    fn breakdowns(&self, c: &Ceremony) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, st) in c.statistics.iter().enumerate() {
            let f = &st.figure;
            for (j, b) in st.breakdowns.iter().enumerate() {
                let sum: f64 = b.parts.iter().map(|(_, v)| v).sum();
                if (sum - f.value).abs() < 1e-6 {
                    continue;
                }
                let parts = b
                    .parts
                    .iter()
                    .map(|(_, v)| format_number(*v))
                    .collect::<Vec<_>>()
                    .join(" + ");
                let (total, sum_s) = (format_number(f.value), format_number(sum));
                let qualified = f.qualifier.map(|q| q.word());
                let note_vi = qualified.map_or(String::new(), |w| format!(" Số tổng được công bố là “{w} {total}”, nên chênh lệch có thể do nguồn làm tròn."));
                let note_en = qualified.map_or(String::new(), |w| format!(" The total was announced as “{w} {total}”, so the gap may be the source's rounding."));
                out.push(
                    self.warn_at(
                        Code::BreakdownMismatch,
                        &format!("statistics.{i}.breakdowns.{j}"),
                        both(
                            format!("“{}” theo {}: {parts} = {sum_s}, khác tổng {total}", f.label, b.by),
                            format!("“{}” by {}: {parts} = {sum_s}, not the total {total}", f.label, b.by),
                        ),
                    )
                    .label(both(format!("cộng lại được {sum_s}"), format!("adds up to {sum_s}")))
                    .help(both(
                        format!("so lại với nguồn: nếu nguồn ghi đúng như vậy thì giữ nguyên (trang hiển thị đúng số đã công bố).{note_vi}"),
                        format!("compare with the source: if it says exactly this, keep it (the page shows the figures as announced).{note_en}"),
                    )),
                );
            }
        }
        out
    }
}

/// Words (runs of letters and combining marks) with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start: Option<usize> = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let letter = c.is_alphabetic()
            || unicode_normalization::char::is_combining_mark(c)
            || ('\u{a1}'..='\u{bf}').contains(&c);
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

/// The legacy encoding most odd words of `text` look typed in, if any:
/// the spreadsheet import converts such cells (src/sheet/legacy.rs).
pub fn legacy_encoding_of(text: &str) -> Option<Legacy> {
    let (mut tcvn, mut vni) = (0, 0);
    for (_, w) in words(text) {
        match legacy_word(w) {
            Some(Legacy::Tcvn3) => tcvn += 1,
            Some(Legacy::Vni) => vni += 1,
            None => {}
        }
    }
    match (tcvn, vni) {
        (0, 0) => None,
        (t, v) if t >= v => Some(Legacy::Tcvn3),
        _ => Some(Legacy::Vni),
    }
}

/// Latin-1 letters that Vietnamese never uses, but VNI text shown as
/// Windows-1252 is full of (ñ for đ, ö for ư, å ä ë for marks).
const NOT_VIETNAMESE: &str = "ÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþÿ";

fn legacy_word(w: &str) -> Option<Legacy> {
    let chars: Vec<char> = w.chars().collect();
    // TCVN3 shown as Windows-1252: marks become symbols (Ph¸t) and some
    // lowercase letters look uppercase (triÓn, tÕ).
    // Symbols after a letter only, and never guillemets, so "25°C" and
    // "«Dân vận»" are not taken for mojibake.
    let symbol = chars
        .iter()
        .skip(1)
        .any(|c| ('\u{a1}'..='\u{bf}').contains(c) && !matches!(c, '«' | '»'));
    let upper_inside = chars
        .windows(2)
        .any(|p| p[0].is_lowercase() && ('\u{c0}'..='\u{de}').contains(&p[1]));
    if symbol || upper_inside {
        return Some(Legacy::Tcvn3);
    }
    chars
        .iter()
        .any(|c| NOT_VIETNAMESE.contains(*c))
        .then_some(Legacy::Vni)
}

/// "T hị", "N hân", "c ác": a lone consonant letter, then the rest of a
/// syllable. A lone consonant is never a Vietnamese word, and requiring the
/// joined form to start like a syllable keeps "khu C và" out.
/// Whether the word at `at` continues a code, a number or a path, as the
/// last letter of `/m/fz56b` does: a letter there is not a word of its own,
/// so it cannot be half of a split one. `new` writes such ids at random.
fn glued_to_a_code(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || "/\\_-.@#:=&?%+~".contains(c))
}

fn is_split(a: &str, b: &str) -> bool {
    let mut ac = a.chars();
    let (Some(first), None) = (ac.next(), ac.next()) else {
        return false;
    };
    let lower = first.to_lowercase().next().unwrap_or(first);
    if !"bcdđghklmnpqrstvx".contains(lower) {
        return false;
    }
    if !b.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let joined = crate::vi::fold(&format!("{lower}{b}"));
    joined.chars().all(|c| c.is_ascii_lowercase()) && is_syllable(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_words_from_the_seed_article() {
        for (a, b) in [
            ("T", "hị"),
            ("N", "hân"),
            ("c", "hỉ"),
            ("c", "ác"),
            ("X", "ây"),
            ("P", "hụ"),
            ("d", "uy"),
        ] {
            assert!(is_split(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("C", "và"),
            ("B", "là"),
            ("A", "và"),
            ("mô", "hình"),
            ("x", "2"),
        ] {
            assert!(!is_split(a, b), "{a} {b}");
        }
    }

    #[test]
    fn a_letter_ending_a_code_or_path_is_not_a_split_word() {
        for text in [
            "đường dẫn ngắn /m/fz56b in trên mã QR",
            "mã 7c hỉ",
            "tệp a-b in",
            "x/t hị",
        ] {
            // The last one-letter word is the one before the stray-looking space.
            let (i, a) = words(text)
                .filter(|(_, w)| w.chars().count() == 1)
                .last()
                .unwrap();
            assert!(glued_to_a_code(text, i), "{a} in {text}");
        }
        for text in ["T hị trấn", "(c hỉ đạo)", "“N hân dân”"] {
            let (i, _) = words(text).next().unwrap();
            assert!(!glued_to_a_code(text, i), "{text}");
        }
    }

    #[test]
    fn legacy_encodings() {
        assert_eq!(legacy_word("Ph¸t"), Some(Legacy::Tcvn3));
        assert_eq!(legacy_word("triÓn"), Some(Legacy::Tcvn3));
        assert_eq!(legacy_word("trieån"), Some(Legacy::Vni));
        assert_eq!(legacy_word("ñaëc"), Some(Legacy::Vni));
        assert_eq!(legacy_word("Phát"), None);
        assert_eq!(legacy_word("Đoàn"), None);
    }
}
