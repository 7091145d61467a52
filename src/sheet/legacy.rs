//! TCVN3 (ABC) and VNI-Windows text to Unicode.
//!
//! Old office files were typed with 8-bit Vietnamese fonts (.VnTime,
//! VNI-Times): a spreadsheet or CSV holds their bytes as Windows-1252
//! letters ("Ph¸t triÓn", "Phaùt trieån"). Which cells are such text is
//! decided by the same test `check` uses for DH025 (src/lint.rs); this
//! module only converts. The tables are written out here because no
//! maintained Rust crate converts either encoding (encoding_rs knows
//! Windows-1258, which is neither), and both tables are short and fixed
//! by the standards (TCVN 5712:1993 and the VNI font layout).

use unicode_normalization::UnicodeNormalization;

pub use crate::lint::Legacy;

/// TCVN3 byte (as its Windows-1252 character) → Unicode. TCVN3 has no
/// toned capitals: those were the same codes in a capitals font.
const TCVN3: &[(char, char)] = &[
    ('¡', 'Ă'),
    ('¢', 'Â'),
    ('£', 'Ê'),
    ('¤', 'Ô'),
    ('¥', 'Ơ'),
    ('¦', 'Ư'),
    ('§', 'Đ'),
    ('¨', 'ă'),
    ('©', 'â'),
    ('ª', 'ê'),
    ('«', 'ô'),
    ('¬', 'ơ'),
    ('\u{ad}', 'ư'),
    ('®', 'đ'),
    ('µ', 'à'),
    ('¶', 'ả'),
    ('·', 'ã'),
    ('¸', 'á'),
    ('¹', 'ạ'),
    ('»', 'ằ'),
    ('¼', 'ẳ'),
    ('½', 'ẵ'),
    ('¾', 'ắ'),
    ('Æ', 'ặ'),
    ('Ç', 'ầ'),
    ('È', 'ẩ'),
    ('É', 'ẫ'),
    ('Ê', 'ấ'),
    ('Ë', 'ậ'),
    ('Ì', 'è'),
    ('Î', 'ẻ'),
    ('Ï', 'ẽ'),
    ('Ð', 'é'),
    ('Ñ', 'ẹ'),
    ('Ò', 'ề'),
    ('Ó', 'ể'),
    ('Ô', 'ễ'),
    ('Õ', 'ế'),
    ('Ö', 'ệ'),
    ('×', 'ì'),
    ('Ø', 'ỉ'),
    ('Ü', 'ĩ'),
    ('Ý', 'í'),
    ('Þ', 'ị'),
    ('ß', 'ò'),
    ('á', 'ỏ'),
    ('â', 'õ'),
    ('ã', 'ó'),
    ('ä', 'ọ'),
    ('å', 'ồ'),
    ('æ', 'ổ'),
    ('ç', 'ỗ'),
    ('è', 'ố'),
    ('é', 'ộ'),
    ('ê', 'ờ'),
    ('ë', 'ở'),
    ('ì', 'ỡ'),
    ('í', 'ớ'),
    ('î', 'ợ'),
    ('ï', 'ù'),
    ('ñ', 'ủ'),
    ('ò', 'ũ'),
    ('ó', 'ú'),
    ('ô', 'ụ'),
    ('õ', 'ừ'),
    ('ö', 'ử'),
    ('÷', 'ữ'),
    ('ø', 'ứ'),
    ('ù', 'ự'),
    ('ú', 'ỳ'),
    ('û', 'ỷ'),
    ('ü', 'ỹ'),
    ('ý', 'ý'),
    ('þ', 'ỵ'),
];

/// VNI letters that stand alone (đ, ơ, ư and the toned i's).
const VNI_LETTERS: &[(char, char)] = &[
    ('ñ', 'đ'),
    ('Ñ', 'Đ'),
    ('ô', 'ơ'),
    ('Ô', 'Ơ'),
    ('ö', 'ư'),
    ('Ö', 'Ư'),
    ('ì', 'ì'),
    ('í', 'í'),
    ('æ', 'ỉ'),
    ('ó', 'ĩ'),
    ('ò', 'ị'),
    ('Ì', 'Ì'),
    ('Í', 'Í'),
    ('Æ', 'Ỉ'),
    ('Ó', 'Ĩ'),
    ('Ò', 'Ị'),
];

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';

/// VNI mark codes that follow a vowel: (code, lowercase form) → the
/// combining marks they stand for.
fn vni_marks(c: char) -> Option<&'static [char]> {
    Some(match c.to_lowercase().next()? {
        'ø' => &[GRAVE],
        'ù' => &[ACUTE],
        'û' => &[HOOK],
        'õ' => &[TILDE],
        'ï' => &[DOT],
        'â' => &[CIRCUMFLEX],
        'á' => &[CIRCUMFLEX, ACUTE],
        'à' => &[CIRCUMFLEX, GRAVE],
        'å' => &[CIRCUMFLEX, HOOK],
        'ã' => &[CIRCUMFLEX, TILDE],
        'ä' => &[CIRCUMFLEX, DOT],
        'ê' => &[BREVE],
        'é' => &[BREVE, ACUTE],
        'è' => &[BREVE, GRAVE],
        'ú' => &[BREVE, HOOK],
        'ü' => &[BREVE, TILDE],
        'ë' => &[BREVE, DOT],
        _ => return None,
    })
}

/// Converts text in `from` to NFC Unicode.
pub fn convert(text: &str, from: Legacy) -> String {
    match from {
        Legacy::Tcvn3 => text
            .chars()
            .map(|c| TCVN3.iter().find(|(k, _)| *k == c).map_or(c, |(_, u)| *u))
            .collect(),
        Legacy::Vni => vni(text),
    }
}

fn vni(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_vowel = false;
    for c in text.chars() {
        if prev_vowel {
            if let Some(marks) = vni_marks(c) {
                out.extend(marks.iter());
                // A vowel takes one group of marks.
                prev_vowel = false;
                continue;
            }
        }
        let mapped = VNI_LETTERS
            .iter()
            .find(|(k, _)| *k == c)
            .map_or(c, |(_, u)| *u);
        out.push(mapped);
        prev_vowel = "aeiouyAEIOUYơưƠƯ".contains(mapped);
    }
    out.nfc().collect()
}

/// `text` converted when it looks like legacy text, with the encoding.
pub fn repair(text: &str) -> Option<(String, Legacy)> {
    let kind = crate::lint::legacy_encoding_of(text)?;
    Some((convert(text, kind), kind))
}

/// The encoding's name, as editors know it.
pub fn name(kind: Legacy) -> &'static str {
    match kind {
        Legacy::Tcvn3 => "TCVN3 (ABC)",
        Legacy::Vni => "VNI",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_words() {
        assert_eq!(
            convert("Ph¸t triÓn kinh tÕ", Legacy::Tcvn3),
            "Phát triển kinh tế"
        );
        assert_eq!(convert("§oµn thanh niªn", Legacy::Tcvn3), "Đoàn thanh niên");
        assert_eq!(
            repair("Hò g¹o t×nh th\u{ad}¬ng").map(|(t, _)| t).as_deref(),
            Some("Hũ gạo tình thương")
        );
    }

    #[test]
    fn vni_words() {
        assert_eq!(convert("Phaùt trieån", Legacy::Vni), "Phát triển");
        assert_eq!(convert("ñaëc bieät", Legacy::Vni), "đặc biệt");
        assert_eq!(convert("Ñoaøn thanh nieân", Legacy::Vni), "Đoàn thanh niên");
        assert_eq!(convert("ngöôøi", Legacy::Vni), "người");
    }

    #[test]
    fn unicode_is_left_alone() {
        assert_eq!(repair("Phát triển kinh tế"), None);
    }
}
