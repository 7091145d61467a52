//! `dienhinh init`: a new site that builds at once with the built-in theme.
//!
//! The example documents are written the way an editor would write real
//! ones, so a new user learns the format by reading them, and `site.yaml`
//! spells out the default vocabularies so they can be edited in place.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::tr;

const VOCABULARIES: &str = include_str!("assets/vocabularies.yaml");

const SITE_HEAD: &str = r#"# Cấu hình trang. Mọi khóa đều có thể bỏ trống: dienhinh dùng giá trị mặc định.
title: "Dân vận khéo — Mô hình, điển hình"
description: "Các mô hình, điển hình “Dân vận khéo” và các buổi tuyên dương, khen thưởng."
# Địa chỉ trang khi đưa lên mạng; có thể có đường dẫn con, ví dụ https://example.gov.vn/dan-van/
base_url: "http://localhost:1111/"
# Ngôn ngữ giao diện: vi (tiếng Việt) hoặc en (tiếng Anh)
language: vi
# Số mục trên một trang danh sách
paginate: 20
# Thư mục chứa mô hình và buổi tuyên dương (trong content/)
sections:
  models: mo-hinh
  ceremonies: tuyen-duong
menu:
  - {label: "Mô hình", url: "mo-hinh/"}
  - {label: "Tuyên dương", url: "tuyen-duong/"}
  - {label: "Giới thiệu", url: "gioi-thieu/"}
# Danh mục đơn vị hành chính (tùy chọn): gộp các cách viết khác nhau của một nơi.
places: []
search:
  publish_index: false
  synonyms: {}
# Danh mục dùng chung. Mã (id) là cố định, đừng đổi; có thể sửa nhãn (label),
# thêm cách viết khác (aliases) hoặc thêm mục mới với mã mới.
vocabularies:
"#;

const MODEL: &str = r#"---
id: vd7mh
title: "Nắm gạo tình thương"
summary: "Mỗi hội viên góp một nắm gạo mỗi ngày để giúp hội viên khó khăn trong khu dân cư."
field: van-hoa-xa-hoi
kind: tap-the
owner: "Chi hội Phụ nữ khu dân cư số 3"
organizations: [hoi-phu-nu]
place: [Tỉnh Mẫu, Xã Ví Dụ]
period: "2021-2024"
date: 2024-05-20
status: cong-nhan
history:
  - {status: dang-ky, date: 2021-03-01}
  - {status: cong-nhan, date: 2023-12-15}
recognitions:
  - {level: co-so, year: 2023, by: "UBND xã Ví Dụ", award: giay-khen, ceremony: xa-vi-du-tuyen-duong-2023}
results:
  - {label: "Gạo quyên góp mỗi năm", value: 1.2, unit: tấn, qualifier: hon}
  - {label: "Hộ được giúp đỡ", value: 24, unit: hộ}
tags: [an sinh xã hội, tương trợ]
---
Đây là **mô hình mẫu** do `dienhinh init` tạo ra. Hãy sửa hoặc xóa tệp này khi đã
quen cách viết.

Mỗi hội viên chi hội đặt một chiếc hũ nhỏ trong bếp, mỗi ngày bớt ra một nắm gạo.
Cuối tháng, chi hội gom gạo lại, trao cho các hộ hội viên gặp khó khăn.

## Cách làm

1. Chi hội họp, thống nhất cách góp và danh sách hộ được giúp.
2. Tổ trưởng ghi sổ, công khai số gạo mỗi tháng.
3. Ban chấp hành chi hội đến tận nhà trao gạo.

## Kết quả

Sau ba năm, mô hình được nhân rộng ra các khu dân cư khác trong xã. Xem thêm
[buổi tuyên dương năm 2023](/tuyen-duong/xa-vi-du-tuyen-duong-2023/).
"#;

const CEREMONY: &str = r#"---
id: vd3td
title: "Xã Ví Dụ tuyên dương mô hình “Dân vận khéo” năm 2023"
date: 2023-12-15
event_type: tuyen-duong
organizer: "Ban Thường vụ Đảng ủy xã Ví Dụ"
level: co-so
place: [Tỉnh Mẫu, Xã Ví Dụ]
honorees:
  - {model: nam-gao-tinh-thuong, award: giay-khen, by: "UBND xã Ví Dụ"}
  - {name: "Ông Nguyễn Văn A, Trưởng khu dân cư số 1", kind: ca-nhan, award: giay-khen, by: "UBND xã Ví Dụ"}
award_counts:
  - {award: giay-khen, by: "UBND xã Ví Dụ", kind: tap-the, count: 5}
statistics:
  - label: "Mô hình đăng ký năm 2023"
    value: 12
    breakdowns:
      - by: lĩnh vực
        parts: [{label: kinh tế, value: 5}, {label: văn hóa – xã hội, value: 7}]
---
Đây là **buổi tuyên dương mẫu** do `dienhinh init` tạo ra.

Ngày 15/12/2023, Đảng ủy xã Ví Dụ tổ chức sơ kết phong trào thi đua “Dân vận khéo”,
tuyên dương 5 tập thể và 1 cá nhân có mô hình tiêu biểu, trong đó có mô hình
[Nắm gạo tình thương](/mo-hinh/nam-gao-tinh-thuong/).
"#;

const ABOUT: &str = r#"---
title: "Giới thiệu"
summary: "Trang này giới thiệu các mô hình, điển hình “Dân vận khéo” của địa phương."
---
Trang này tập hợp các mô hình, điển hình “Dân vận khéo” và các buổi tuyên dương,
khen thưởng ghi nhận chúng.

## Cách thêm một mô hình

Chạy `dienhinh new model "Tên mô hình"`, điền các trường trong phần đầu tệp, rồi chạy
`dienhinh check` để kiểm tra và `dienhinh build` để dựng trang vào thư mục `public/`.
"#;

const HOME: &str = r#"---
title: "Trang chủ"
---
Chào mừng bạn đến với trang các mô hình, điển hình “Dân vận khéo”.
"#;

const GITIGNORE: &str = "public/\n.dienhinh/\n";

/// The files of a new site, relative to its root.
fn files() -> Vec<(&'static str, String)> {
    vec![
        ("site.yaml", site_yaml()),
        ("content/_index.md", HOME.into()),
        ("content/gioi-thieu.md", ABOUT.into()),
        ("content/mo-hinh/nam-gao-tinh-thuong.md", MODEL.into()),
        (
            "content/tuyen-duong/xa-vi-du-tuyen-duong-2023.md",
            CEREMONY.into(),
        ),
        ("static/.gitkeep", String::new()),
        (".gitignore", GITIGNORE.into()),
    ]
}

/// `site.yaml` with the built-in vocabularies written out under `vocabularies:`.
fn site_yaml() -> String {
    let mut out = SITE_HEAD.to_string();
    for line in VOCABULARIES.lines().filter(|l| !l.starts_with('#')) {
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Creates a site in `dir`. A directory that holds anything is refused
/// unless `force`; even then no existing file is replaced without `force`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.display().to_string();
    let io = |e: std::io::Error| {
        Diagnostic::error(
            Code::Io,
            &shown,
            tr!("không tạo được trang: {e}", "cannot create the site: {e}"),
        )
        .help(tr!(
            "kiểm tra xem có quyền ghi vào thư mục không",
            "check that the folder is writable"
        ))
    };
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(
                Code::Io,
                &shown,
                tr!(
                    "đường dẫn này là một tệp, không phải thư mục",
                    "this path is a file, not a folder"
                ),
            )
            .help(tr!(
                "chọn một tên thư mục mới: `dienhinh init ten-trang`",
                "choose a new folder name: `dienhinh init ten-trang`"
            )));
        }
        let non_empty = fs::read_dir(dir).map_err(io)?.next().is_some();
        if non_empty && !force {
            return Err(Diagnostic::error(
                Code::Io,
                &shown,
                tr!(
                    "thư mục không trống; chưa ghi tệp nào",
                    "the folder is not empty; nothing was written"
                ),
            )
            .help(tr!(
                "chọn một thư mục trống hoặc mới, hoặc thêm `--force` để ghi trang mẫu vào đó (các tệp trùng tên sẽ bị thay)",
                "choose an empty or new folder, or add `--force` to write the example site into it (files with the same names are replaced)"
            )));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_yaml_spells_out_every_default_vocabulary() {
        let yaml = site_yaml();
        let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        let vocab = &v["vocabularies"];
        for key in [
            "fields",
            "kinds",
            "levels",
            "statuses",
            "awards",
            "event_types",
            "organizations",
        ] {
            assert!(
                vocab[key].as_sequence().is_some_and(|s| !s.is_empty()),
                "{key}"
            );
        }
        assert_eq!(vocab["fields"][0]["id"].as_str(), Some("kinh-te"));
    }

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("ghi-chu.txt"), "x").unwrap();
        assert!(init(dir.path(), false).is_err());
        assert!(!dir.path().join("site.yaml").exists());
        assert!(init(dir.path(), true).is_ok());
        assert!(dir.path().join("site.yaml").exists());
    }
}
