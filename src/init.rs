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
base_url: "{base_url}"
# Ngôn ngữ giao diện: vi (tiếng Việt) hoặc en (tiếng Anh)
language: vi
{organization}
# Số mục trên trang đầu của một danh sách (dạng thẻ, có tóm tắt)
paginate: 20
# Số mục trên mỗi trang sau của danh sách (dạng dòng, để tra cứu)
paginate_later: 100
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

/// Everything a build writes beside the sources: the site, the tree and
/// ledgers it keeps to rebuild quickly, the caches and lock, the backups
/// `build --force` makes, and urls.lock's temporary file. (urls.lock
/// itself is committed.)
const GITIGNORE: &str = "\
/public/
/.public~*
/.public-staging-*
/public.backup-*/
/.dienhinh/
/.urls.lock.*.tmp
";

/// The next step `init` suggests: a first model, with the values it needs
/// to build.
pub const FIRST_MODEL: &str =
    "dienhinh new model \"Tên mô hình\" --field van-hoa-xa-hoi --kind tap-the";

/// The placeholder address of a new site, until the editor gives one.
const PLACEHOLDER_URL: &str = "http://localhost:1111/";

/// Example documents, left out of a folder that already has content.
const EXAMPLES: [&str; 2] = [
    "content/mo-hinh/nam-gao-tinh-thuong.md",
    "content/tuyen-duong/xa-vi-du-tuyen-duong-2023.md",
];

/// The files of a new site, relative to its root.
fn files(base_url: &str, organization: Option<&str>) -> Vec<(&'static str, String)> {
    vec![
        ("site.yaml", site_yaml(base_url, organization)),
        ("content/_index.md", HOME.into()),
        ("content/gioi-thieu.md", ABOUT.into()),
        (EXAMPLES[0], MODEL.into()),
        (EXAMPLES[1], CEREMONY.into()),
        ("static/.gitkeep", String::new()),
        (".gitignore", GITIGNORE.into()),
    ]
}

/// `site.yaml` with the built-in vocabularies written out under `vocabularies:`.
fn site_yaml(base_url: &str, organization: Option<&str>) -> String {
    let mut out = SITE_HEAD
        .replace("{base_url}", base_url)
        .replace("{organization}", &organization_block(organization));
    for line in VOCABULARIES.lines().filter(|l| !l.starts_with('#')) {
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The agency's block of `site.yaml`: its name when given, the other keys
/// commented out so an editor sees what can be filled in.
fn organization_block(name: Option<&str>) -> String {
    let head = "# Cơ quan chủ quản: hiện ở đầu trang, chân trang, bản in và ảnh xem trước\n\
                # khi chia sẻ đường dẫn qua Zalo, Facebook. Logo: tệp ảnh SVG/PNG đặt trong static/.\n";
    let rest = "#  parent: \"Tỉnh ủy …\"\n#  address: \"…\"\n#  phone: \"…\"\n#  email: \"…\"\n#  website: \"https://…\"\n# logo: logo.svg\n";
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        // A JSON string is a YAML double-quoted scalar: quotes and
        // backslashes in the name stay as typed.
        Some(n) => format!(
            "{head}organization:\n  name: {}\n{rest}",
            serde_json::to_string(n).unwrap_or_default()
        ),
        None => format!("{head}# organization:\n#  name: \"Ban Dân vận …\"\n{rest}"),
    }
}

/// How to create a site.
#[derive(Clone, Debug, Default)]
pub struct InitOptions {
    /// Write into a folder that is not empty.
    pub force: bool,
    /// The published address; the placeholder when `None`.
    pub base_url: Option<String>,
    /// The agency's name (`organization.name`).
    pub organization: Option<String>,
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    pub written: Vec<PathBuf>,
    /// Files replaced, each with where its previous text was kept.
    pub backed_up: Vec<(PathBuf, PathBuf)>,
    /// The folder had content: the example documents were not added.
    pub examples_skipped: bool,
    /// Whether `base_url` is a real address (not the placeholder).
    pub base_url_set: bool,
}

/// Creates a site in `dir`. A directory that holds anything is refused
/// unless `force`; even then no file is replaced without a copy of it kept
/// beside it (`NAME.bak`), and no example document is added to a folder
/// that already has content.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<InitReport, Diagnostic> {
    let shown = crate::text::shown_path(dir);
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
    let base_url = match &opts.base_url {
        Some(url) => crate::config::normalise_base_url(url)?,
        None => PLACEHOLDER_URL.to_string(),
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
        if non_empty && !opts.force {
            return Err(Diagnostic::error(
                Code::Io,
                &shown,
                tr!(
                    "thư mục không trống; chưa ghi tệp nào",
                    "the folder is not empty; nothing was written"
                ),
            )
            .help(tr!(
                "chọn một thư mục trống hoặc mới, hoặc thêm `--force` để ghi trang mẫu vào đó (tệp trùng tên được giữ lại thành NAME.bak trước khi thay)",
                "choose an empty or new folder, or add `--force` to write the example site into it (files with the same names are kept as NAME.bak before being replaced)"
            )));
        }
    }
    let mut report = InitReport {
        examples_skipped: has_content(dir),
        base_url_set: !crate::config::is_placeholder_url(&base_url),
        ..InitReport::default()
    };
    for (rel, text) in files(&base_url, opts.organization.as_deref()) {
        if report.examples_skipped && EXAMPLES.contains(&rel) {
            continue;
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        match fs::read(&path) {
            Ok(old) if old == text.as_bytes() => continue,
            Ok(_) => {
                let kept = keep_copy(&path).map_err(io)?;
                report.backed_up.push((path.clone(), kept));
            }
            Err(_) => {}
        }
        crate::core::files::write_whole(&path, text.as_bytes()).map_err(io)?;
        report.written.push(path);
    }
    Ok(report)
}

/// Whether `dir` already holds documents (any `.md` under `content/`).
fn has_content(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// Copies `path` to `path.bak` (or `path.bak.2`, … if taken) and returns
/// where it went.
fn keep_copy(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(".{n}")
        };
        let kept = path.with_file_name(format!("{name}.bak{suffix}"));
        if fs::symlink_metadata(&kept).is_err() {
            fs::copy(path, &kept)?;
            return Ok(kept);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_yaml_spells_out_every_default_vocabulary() {
        let yaml = site_yaml(PLACEHOLDER_URL, None);
        let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        // With an agency named, the file still parses and names it.
        let named = site_yaml(PLACEHOLDER_URL, Some("Ban Dân vận \"Tỉnh\" ủy: Hà Tĩnh"));
        let n: serde_yaml::Value = serde_yaml::from_str(&named).unwrap();
        assert_eq!(
            n["organization"]["name"].as_str(),
            Some("Ban Dân vận \"Tỉnh\" ủy: Hà Tĩnh")
        );
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
        assert!(init(dir.path(), &InitOptions::default()).is_err());
        assert!(!dir.path().join("site.yaml").exists());
        let forced = InitOptions {
            force: true,
            ..InitOptions::default()
        };
        assert!(init(dir.path(), &forced).is_ok());
        assert!(dir.path().join("site.yaml").exists());
    }

    /// `--force` on a site with content keeps a copy of every file it
    /// replaces and adds no example document that the next build would
    /// publish.
    #[test]
    fn forcing_over_a_site_keeps_copies_and_adds_no_examples() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content/mo-hinh")).unwrap();
        fs::write(root.join("site.yaml"), "title: Trang của tỉnh\n").unwrap();
        fs::write(
            root.join("content/mo-hinh/that.md"),
            "---\ntitle: Thật\n---\n",
        )
        .unwrap();
        let forced = InitOptions {
            force: true,
            base_url: Some("https://danvan.tinh.gov.vn".into()),
            organization: None,
        };
        let report = init(root, &forced).unwrap();
        assert!(report.examples_skipped && report.base_url_set);
        assert_eq!(report.backed_up.len(), 1, "{:?}", report.backed_up);
        assert_eq!(
            fs::read_to_string(root.join("site.yaml.bak")).unwrap(),
            "title: Trang của tỉnh\n"
        );
        let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
        assert!(yaml.contains("base_url: \"https://danvan.tinh.gov.vn/\""));
        for example in EXAMPLES {
            assert!(!root.join(example).exists(), "{example}");
        }
        // Again: the new site.yaml is the same, nothing replaced.
        assert!(init(root, &forced).unwrap().backed_up.is_empty());
    }

    #[test]
    fn the_gitignore_covers_what_a_build_writes_beside_the_site() {
        for written in [
            "/public/",
            "/.public~spare/",
            "/.public~sums",
            "/.public~spare~sums",
            "/.public-staging-123/",
            "/public.backup-20261204-101500/",
            "/.dienhinh/",
            "/.urls.lock.77.tmp",
        ] {
            let name = written.trim_matches('/');
            assert!(
                GITIGNORE.lines().any(|p| {
                    let p = p.trim_matches('/');
                    match p.split_once('*') {
                        Some((a, b)) => name.starts_with(a) && name.ends_with(b),
                        None => name == p,
                    }
                }),
                "{written} is not ignored"
            );
        }
    }
}
