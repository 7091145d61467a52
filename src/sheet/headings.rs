//! Which front-matter key each column of an office's list fills, read from
//! its heading: compared after [`crate::vi::fold`], so accents, case and
//! spacing do not matter ("TÊN MÔ HÌNH", "Tên  mô hình", "ten mo hinh").

use std::collections::BTreeMap;

use crate::vi::fold;

/// What a column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A running number (STT): read past.
    Number,
    Id,
    Title,
    Owner,
    Kind,
    Field,
    Organizations,
    /// A whole place ("xã A, huyện B, tỉnh C" or "Tỉnh > Huyện > Xã").
    Place,
    Province,
    District,
    Commune,
    Period,
    Date,
    Status,
    RecognitionYear,
    Level,
    Award,
    AwardedBy,
    Decision,
    Summary,
    Tags,
    Public,
    /// A ceremony's organiser (`organizer`).
    Organizer,
    /// A ceremony's event type (`event_type`: tuyên dương, sơ kết…).
    EventType,
    /// The occasion a ceremony marks (`occasion`).
    Occasion,
    /// Results in words, kept in the body under "Kết quả".
    Results,
    /// Notes, kept in the body under "Ghi chú".
    Notes,
    /// A page address written by an export: read past (the site makes it).
    Url,
    /// Kept in the body under "Các cột khác".
    Body,
    /// Left out.
    Ignore,
}

/// Names used in `map.yaml`, and the headings (folded) recognised without
/// one. The export's headings (src/sheet/workbook.rs) are all here.
const TARGETS: &[(Target, &str, &[&str])] = &[
    (Target::Number, "stt", &["stt", "tt", "so tt", "so thu tu"]),
    (Target::Id, "id", &["ma", "id", "ma so", "ma mo hinh"]),
    (
        Target::Title,
        "title",
        &[
            "ten mo hinh",
            "mo hinh",
            "ten",
            "ten mo hinh dien hinh",
            "ten dien hinh",
            "mo hinh dien hinh",
            "ten mo hinh dan van kheo",
            // A list of ceremonies (`import --section tuyen-duong`).
            "ten hoi nghi",
            "hoi nghi",
            "ten buoi le",
            "buoi le",
            "ten su kien",
            "su kien",
            "ten chuong trinh",
        ],
    ),
    (
        Target::Owner,
        "owner",
        &[
            "chu the",
            "chu the thuc hien",
            "don vi thuc hien",
            "don vi",
            "tap the ca nhan",
            "ca nhan tap the",
            "don vi ca nhan",
            "ten tap the ca nhan",
        ],
    ),
    (Target::Kind, "kind", &["loai", "loai hinh", "doi tuong"]),
    (Target::Field, "field", &["linh vuc", "linh vuc thuc hien"]),
    (
        Target::Organizations,
        "organizations",
        &["to chuc tham gia", "to chuc", "co quan phoi hop"],
    ),
    (
        Target::Place,
        "place",
        &[
            "dia ban",
            "dia ban thuc hien",
            "dia chi",
            "noi thuc hien",
            "dia diem",
            "dia diem to chuc",
        ],
    ),
    (
        Target::Province,
        "province",
        &["tinh", "tinh thanh pho", "tinh thanh"],
    ),
    (
        Target::District,
        "district",
        &[
            "huyen",
            "quan huyen",
            "huyen thi xa thanh pho",
            "huyen quan",
        ],
    ),
    (
        Target::Commune,
        "commune",
        &[
            "xa phuong",
            "xa",
            "phuong",
            "xa phuong thi tran",
            "phuong xa",
        ],
    ),
    (
        Target::Period,
        "period",
        &["thoi gian", "thoi gian thuc hien", "thoi gian bat dau"],
    ),
    (
        Target::Date,
        "date",
        &[
            "ngay",
            "nam",
            "nam thuc hien",
            "ngay cap nhat",
            "ngay to chuc",
            "thoi gian to chuc",
        ],
    ),
    (Target::Status, "status", &["tinh trang", "trang thai"]),
    (
        Target::RecognitionYear,
        "recognition_year",
        &["nam khen", "nam khen thuong", "nam cong nhan"],
    ),
    (
        Target::Level,
        "level",
        &["cap khen", "cap", "cap khen thuong", "cap cong nhan"],
    ),
    (
        Target::Award,
        "award",
        &[
            "hinh thuc khen thuong",
            "khen thuong",
            "hinh thuc khen",
            "hinh thuc",
        ],
    ),
    (
        Target::AwardedBy,
        "by",
        &[
            "co quan khen",
            "co quan khen thuong",
            "don vi khen",
            "noi khen",
        ],
    ),
    (
        Target::Decision,
        "decision",
        &["so quyet dinh", "quyet dinh", "so qd", "qd"],
    ),
    (
        Target::Summary,
        "summary",
        &["tom tat", "noi dung", "mo ta", "noi dung mo hinh"],
    ),
    (
        Target::Organizer,
        "organizer",
        &[
            "don vi to chuc",
            "co quan to chuc",
            "don vi chu tri",
            "co quan chu tri",
            "ban to chuc",
        ],
    ),
    (
        Target::EventType,
        "event_type",
        &[
            "loai su kien",
            "hinh thuc to chuc",
            "loai hoi nghi",
            "hinh thuc su kien",
        ],
    ),
    (
        Target::Occasion,
        "occasion",
        &["dip", "nhan dip", "dip to chuc"],
    ),
    (Target::Tags, "tags", &["tu khoa"]),
    (Target::Public, "public", &["cong khai"]),
    (
        Target::Results,
        "results",
        &["ket qua", "ket qua dat duoc", "hieu qua"],
    ),
    (Target::Notes, "notes", &["ghi chu"]),
    (Target::Url, "url", &["dia chi trang", "duong dan"]),
    (Target::Body, "body", &[]),
    (Target::Ignore, "ignore", &[]),
];

/// The column a heading names, if it is a known one.
pub fn recognise(heading: &str) -> Option<Target> {
    let f = fold(heading);
    TARGETS
        .iter()
        .find(|(_, _, names)| names.contains(&f.as_str()))
        .map(|(t, _, _)| *t)
}

/// The name of `t` in `map.yaml`.
pub fn name(t: Target) -> &'static str {
    TARGETS
        .iter()
        .find(|(k, _, _)| *k == t)
        .map_or("body", |(_, n, _)| n)
}

/// The target a `map.yaml` value names.
pub fn by_name(n: &str) -> Option<Target> {
    let n = n.trim();
    TARGETS.iter().find(|(_, k, _)| *k == n).map(|(t, _, _)| *t)
}

/// Every name `map.yaml` accepts, for messages.
pub fn names() -> String {
    TARGETS
        .iter()
        .map(|(_, n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `map.yaml`: the header row (1-based, optional) and the target of each
/// heading, as the editor corrected it.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u32>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_fold() {
        assert_eq!(recognise("TÊN MÔ HÌNH"), Some(Target::Title));
        assert_eq!(recognise(" Tên  mô hình "), Some(Target::Title));
        assert_eq!(recognise("Xã/phường"), Some(Target::Commune));
        assert_eq!(recognise("Hình thức khen thưởng"), Some(Target::Award));
        assert_eq!(recognise("Đơn vị thực hiện"), Some(Target::Owner));
        assert_eq!(recognise("Số lượng thành viên"), None);
        assert_eq!(recognise("Tên hội nghị"), Some(Target::Title));
        assert_eq!(recognise("Đơn vị tổ chức"), Some(Target::Organizer));
        assert_eq!(recognise("Thời gian tổ chức"), Some(Target::Date));
        assert_eq!(recognise("Địa điểm"), Some(Target::Place));
        for h in crate::sheet::workbook::MODEL_HEADINGS {
            assert!(recognise(h).is_some(), "export heading {h} not recognised");
        }
    }
}
