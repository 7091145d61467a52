//! Spreadsheets in and out (`dienhinh export`, `dienhinh import`, and
//! `/du-lieu/mo-hinh.xlsx`), run as an editor runs them: in the site's
//! folder, no `-C`, standard input not a terminal.

use crate::common;

use std::fs;
use std::io::Read;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::{copy_dir, run_in, FIXTURE_SITE};

/// An owner and an honoree who must not be named, with words found nowhere
/// else, added to a copy of the fixture site.
const WITHHELD_OWNER: &str = "Quách Khuých Thuỳnh Xoẳn";
const WITHHELD_HONOREE: &str = "Khưu Ngoẵng Xuýnh Phẩu";

fn fixture_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE_SITE), &site);
    fs::write(
        site.join("content/mo-hinh/rieng.md"),
        format!(
            "---\nid: rg001\ntitle: \"Bếp ấm riêng\"\nfield: kinh-te\nkind: ca-nhan\nowner: \"{WITHHELD_OWNER}\"\npublic: false\nplace: [TP. Hồ Chí Minh, Quận 1]\ndate: 2021-03-04\n---\nMột bếp ăn.\n"
        ),
    )
    .unwrap();
    fs::write(
        site.join("content/tuyen-duong/le-rieng.md"),
        format!(
            "---\nid: lr001\ntitle: \"Lễ tuyên dương riêng\"\ndate: 2022-01-02\nhonorees:\n  - {{name: \"{WITHHELD_HONOREE}\", public: false, kind: ca-nhan, award: giay-khen}}\n  - {{model: hu-gao, award: bang-khen, by: UBND Quận 4}}\n---\nLễ.\n"
        ),
    )
    .unwrap();
    (tmp, site)
}

/// Every sheet of a workbook as rows of cell text.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = open_workbook_auto(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

/// Every entry of a zip archive, inflated, joined.
fn unzipped(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        f.read_to_string(&mut all).unwrap();
    }
    all
}

#[test]
fn export_writes_models_ceremonies_and_the_site_s_counts() {
    let (_tmp, site) = fixture_site();
    let out = run_in(&site, &["export", "bao-cao.xlsx"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("bao-cao.xlsx"), "{}", out.stderr);
    let book = sheets(&site.join("bao-cao.xlsx"));
    let (name, models) = &book[0];
    assert_eq!(name, "Mô hình");
    assert_eq!(
        models[0][..4],
        ["STT", "Mã", "Tên mô hình", "Chủ thể thực hiện"]
    );
    let titles: Vec<&str> = models[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(titles.contains(&"Hũ gạo tình thương"), "{titles:?}");
    assert!(titles.contains(&"Bếp ấm riêng"), "{titles:?}");
    // Dates are real dates: calamine reads them back as date cells.
    let mut wb = open_workbook_auto(site.join("bao-cao.xlsx")).unwrap();
    let range = wb.worksheet_range("Mô hình").unwrap();
    let date_col = models[0].iter().position(|h| h == "Ngày").unwrap();
    assert!(
        range
            .rows()
            .skip(1)
            .any(|r| matches!(r[date_col], Data::DateTime(_))),
        "no date cell"
    );
    assert!(book
        .iter()
        .any(|(n, _)| n.starts_with("Lễ tuyên dương riêng")));
    // Every ceremony's honorees in the second sheet, a row each.
    let (name, honorees) = &book[1];
    assert_eq!(name, "Tuyên dương");
    assert_eq!(honorees[0][2], "Buổi tuyên dương");
    assert!(
        honorees[1..]
            .iter()
            .any(|r| r[2].starts_with("Lễ tuyên dương riêng") && !r[6].is_empty()),
        "{honorees:?}"
    );
    // Nothing withheld, in any cell or any part of the archive.
    let all = unzipped(&site.join("bao-cao.xlsx"));
    for word in WITHHELD_OWNER.split(' ').chain(WITHHELD_HONOREE.split(' ')) {
        assert!(!all.contains(word), "`{word}` published in the report");
    }
    // The summary sheets hold the tables of /thong-ke/, figure for figure.
    let built = run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let html = fs::read_to_string(site.join("public/thong-ke/index.html")).unwrap();
    let page = common::stats_tables(&html);
    let summaries = summary_rows(&book);
    assert!(!summaries.is_empty());
    assert_eq!(summaries, page[..summaries.len()].to_vec());
    // Never replaces a file without --force.
    let again = run_in(&site, &["export", "bao-cao.xlsx"]);
    assert!(
        !again.ok && again.stderr.contains("DH060"),
        "{}",
        again.stderr
    );
    let forced = run_in(
        &site,
        &["export", "bao-cao.xlsx", "--force", "--by", "year"],
    );
    assert!(forced.ok, "{}", forced.stderr);
}

/// The summary sheets' `(label, count)` rows, in sheet order.
fn summary_rows(book: &[(String, Vec<Vec<String>>)]) -> Vec<Vec<(String, usize)>> {
    book.iter()
        .filter(|(n, _)| n.starts_with("TK "))
        .map(|(_, rows)| {
            rows.iter()
                .skip_while(|r| r.first().map(String::as_str) != Some("STT"))
                .skip(1)
                .map(|r| (r[1].clone(), r[2].parse().unwrap()))
                .collect()
        })
        .collect()
}

#[test]
fn export_filter_keeps_a_place_or_a_field_and_counts_as_its_statistics_page() {
    let (_tmp, site) = fixture_site();
    let out = run_in(
        &site,
        &["export", "quan-4.xlsx", "--filter", "dia-ban=quận 4"],
    );
    assert!(out.ok, "{}", out.stderr);
    let book = sheets(&site.join("quan-4.xlsx"));
    let place_col = book[0].1[0].iter().position(|h| h == "Địa bàn").unwrap();
    let rows = &book[0].1[1..];
    assert!(!rows.is_empty());
    for r in rows {
        assert!(r[place_col].contains("Quận 4"), "{r:?}");
    }
    // Only the ceremonies honouring a kept model.
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.iter().any(|n| n.starts_with("Hội nghị Quận 4")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("Lễ tuyên dương riêng")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.starts_with("Họp mặt")), "{names:?}");
    // A field's report counts as the field's own statistics page.
    let field = run_in(
        &site,
        &["export", "vhxh.xlsx", "--filter", "linh-vuc=Văn hoá xã hội"],
    );
    assert!(field.ok, "{}", field.stderr);
    let book = sheets(&site.join("vhxh.xlsx"));
    let built = run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let page = fs::read_to_string(site.join("public/thong-ke/linh-vuc/van-hoa-xa-hoi/index.html"))
        .unwrap();
    let summaries = summary_rows(&book);
    assert!(!summaries.is_empty());
    assert_eq!(
        summaries,
        common::stats_tables(&page)[..summaries.len()].to_vec()
    );

    // Filters combine; every bad one is reported at once, nothing written.
    let before = common::snapshot(&site);
    let bad = run_in(
        &site,
        &[
            "export",
            "x.xlsx",
            "--filter",
            "field=kinh-tes",
            "--filter",
            "mau=do",
            "--filter",
            "place=Quận 9",
            "--filter",
            "year=hai",
        ],
    );
    assert!(!bad.ok);
    assert_eq!(bad.stderr.matches("DH069").count(), 4, "{}", bad.stderr);
    assert!(bad.stderr.contains("kinh-te"), "{}", bad.stderr);
    let none = run_in(
        &site,
        &[
            "export",
            "x.xlsx",
            "--filter",
            "place=Quận 4",
            "--filter",
            "year=1990",
        ],
    );
    assert!(!none.ok && none.stderr.contains("DH069"), "{}", none.stderr);
    assert_eq!(before, common::snapshot(&site));
}

#[test]
fn open_data_offers_a_deterministic_xlsx_without_withheld_names() {
    let (_tmp, site) = fixture_site();
    let first = run_in(&site, &["build"]);
    assert!(first.ok, "{}", first.stderr);
    let xlsx = site.join("public/du-lieu/mo-hinh.xlsx");
    let bytes = fs::read(&xlsx).unwrap();
    let page = fs::read_to_string(site.join("public/du-lieu/index.html")).unwrap();
    assert!(
        page.contains("du-lieu/mo-hinh.xlsx"),
        "not linked from /du-lieu/"
    );
    let all = unzipped(&xlsx);
    for word in WITHHELD_OWNER.split(' ').chain(WITHHELD_HONOREE.split(' ')) {
        assert!(!all.contains(word), "`{word}` published in mo-hinh.xlsx");
    }
    assert!(all.contains("Hũ gạo tình thương"));
    let second = run_in(&site, &["build"]);
    assert!(second.ok, "{}", second.stderr);
    assert_eq!(bytes, fs::read(&xlsx).unwrap(), "two builds differ");
}

// ---------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// "Phát triển kinh tế hộ gia đình" typed in TCVN3 (.VnTime) and stored as
/// the Windows-1252 letters an old spreadsheet holds.
const TCVN3_NOTE: &str = "Ph¸t triÓn kinh tÕ hé gia ®×nh";

/// An office's list as offices send them: a title block of merged cells
/// above the header, numbers stored as text, a real date cell, an empty
/// row, a field merged down two rows, a note column in TCVN3, a column the
/// import does not know, a total row at the bottom; and a second sheet
/// with its header on the first row.
fn office_list(path: &Path) {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Xã An Bình").unwrap();
    ws.merge_range(0, 0, 0, 9, "ỦY BAN NHÂN DÂN HUYỆN NAM SÁCH", &bold)
        .unwrap();
    ws.merge_range(
        1,
        0,
        1,
        9,
        "DANH SÁCH MÔ HÌNH “DÂN VẬN KHÉO” NĂM 2024",
        &bold,
    )
    .unwrap();
    let header = [
        "STT",
        "TÊN MÔ HÌNH",
        "Chủ thể thực hiện",
        "Lĩnh vực",
        "Địa bàn",
        "Thời gian",
        "Hình thức khen thưởng",
        "Cấp khen",
        "Số quyết định",
        "Ghi chú",
        "Số thành viên",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let place = "xã An Bình, huyện Nam Sách, tỉnh Hải Dương";
    let rows: [[&str; 11]; 2] = [
        [
            "1",
            "Hũ gạo tình thương",
            "Hội Phụ nữ xã An Bình",
            "Văn hóa – xã hội",
            place,
            "20/5/2024",
            "Giấy khen",
            "cấp huyện",
            "Quyết định số 12/QĐ-UBND",
            TCVN3_NOTE,
            "25",
        ],
        [
            "2",
            "Vườn rau nghĩa tình",
            "Ông Nguyễn Văn Ân",
            "kinh tế",
            place,
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(4 + i as u32, c as u16, *v).unwrap();
            }
        }
    }
    // A real date cell in the date column.
    ws.write_datetime_with_format(5, 5, ExcelDateTime::from_ymd(2023, 3, 8).unwrap(), &date)
        .unwrap();
    // Row 7 is left empty.
    ws.write_string(7, 0, "3").unwrap();
    ws.write_string(7, 1, "Tổ tự quản an ninh").unwrap();
    ws.write_string(7, 2, "Hộ ông Trần Văn Bảy").unwrap();
    ws.write_string(7, 3, "an ninh trật tự").unwrap();
    ws.write_string(7, 4, place).unwrap();
    ws.write_string(7, 5, "năm 2023").unwrap();
    // The field merged down two rows: the value is in the top cell only.
    ws.merge_range(8, 3, 9, 3, "Phát triển kinh tế", &Format::new())
        .unwrap();
    for (r, title) in [(8, "Cánh đồng mẫu lớn"), (9, "Chợ quê sạch")] {
        ws.write_number(r, 0, f64::from(r - 4)).unwrap();
        ws.write_string(r, 1, title).unwrap();
        ws.write_string(r, 2, "Hội Nông dân xã").unwrap();
        ws.write_string(r, 4, place).unwrap();
        ws.write_string(r, 5, "1/2/24").unwrap();
    }
    ws.write_string(10, 0, "Tổng cộng").unwrap();
    ws.write_number(10, 10, 25.0).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Phường Bắc").unwrap();
    for (c, h) in ["Tên mô hình", "Đơn vị thực hiện", "Lĩnh vực", "Năm"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Bếp ăn 0 đồng").unwrap();
    ws.write_string(1, 1, "Đoàn Thanh niên phường Bắc").unwrap();
    ws.write_string(1, 2, "văn hoá xã hội").unwrap();
    ws.write_number(1, 3, 2022.0).unwrap();
    wb.save(path).unwrap();
}

/// A site made by `init`, without its example documents.
fn empty_site(parent: &Path) -> std::path::PathBuf {
    let site = common::init_site(parent, "site", &[]);
    for dir in ["content/mo-hinh", "content/tuyen-duong"] {
        for e in fs::read_dir(site.join(dir)).unwrap() {
            fs::remove_file(e.unwrap().path()).unwrap();
        }
    }
    site
}

fn model_file(site: &Path, name: &str) -> String {
    fs::read_to_string(site.join("content/mo-hinh").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn an_office_list_imports_with_its_files_and_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    office_list(&site.join("danh-sach.xlsx"));
    let out = run_in(&site, &["import", "danh-sach.xlsx"]);
    assert!(out.ok, "{}", out.stderr);
    let written: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(written.len(), 6, "{}", out.stdout);
    let hu = model_file(&site, "hu-gao-tinh-thuong.md");
    for want in [
        "title: \"Hũ gạo tình thương\"",
        "field: \"van-hoa-xa-hoi\"",
        "kind: \"tap-the\"",
        "owner: \"Hội Phụ nữ xã An Bình\"",
        "place: [\"Tỉnh Hải Dương\", \"Huyện Nam Sách\", \"Xã An Bình\"]",
        "period: \"20/5/2024\"",
        "level: cap-huyen, year: 2024, award: giay-khen",
        "decision: \"Quyết định số 12/QĐ-UBND\"",
        "source_row: \"danh-sach.xlsx!Xã An Bình!5\"",
        "## Ghi chú\n\nPhát triển kinh tế hộ gia đình",
        "- **Số thành viên**: 25",
    ] {
        assert!(hu.contains(want), "missing `{want}` in:\n{hu}");
    }
    assert!(hu.contains("\nid: "), "{hu}");
    let vuon = model_file(&site, "vuon-rau-nghia-tinh.md");
    assert!(vuon.contains("kind: \"ca-nhan\""), "{vuon}");
    assert!(vuon.contains("period: \"2023-03-08\""), "{vuon}");
    let to = model_file(&site, "to-tu-quan-an-ninh.md");
    assert!(to.contains("kind: \"ho-gia-dinh\""), "{to}");
    assert!(to.contains("field: \"quoc-phong-an-ninh\""), "{to}");
    // The merged field reaches both rows.
    for f in ["canh-dong-mau-lon.md", "cho-que-sach.md"] {
        assert!(model_file(&site, f).contains("field: \"kinh-te\""), "{f}");
    }
    let bep = model_file(&site, "bep-an-0-dong.md");
    assert!(bep.contains("date: 2022"), "{bep}");
    assert!(
        bep.contains("source_row: \"danh-sach.xlsx!Phường Bắc!2\""),
        "{bep}"
    );
    // Warnings: the TCVN3 cell converted, each person or household named,
    // the collective kinds inferred, the total row skipped.
    let e = &out.stderr;
    assert!(e.contains("DH066") && e.contains("J5"), "{e}");
    assert!(
        e.contains("danh-sach.xlsx!Xã An Bình!C6") && e.contains("Ông Nguyễn Văn Ân"),
        "{e}"
    );
    assert!(e.contains("danh-sach.xlsx!Xã An Bình!C8"), "{e}");
    assert!(e.contains("danh-sach.xlsx!Xã An Bình!11"), "{e}");
    assert!(e.contains("DH065"), "{e}");
    // The site builds, and the source rows are published nowhere.
    let built = run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    for (path, bytes) in common::snapshot(&site.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("danh-sach.xlsx!"),
            "source_row published in {path}"
        );
    }
    // A second import finds every row already there and writes nothing.
    let before = common::snapshot(&site.join("content"));
    let again = run_in(&site, &["import", "danh-sach.xlsx"]);
    assert!(again.ok, "{}", again.stderr);
    assert_eq!(again.stderr.matches("DH064").count(), 6, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("content/mo-hinh/hu-gao-tinh-thuong.md"),
        "{}",
        again.stderr
    );
    assert_eq!(before, common::snapshot(&site.join("content")));
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    office_list(&site.join("danh-sach.xlsx"));
    let before = common::snapshot(&site);
    let out = run_in(
        &site,
        &[
            "import",
            "danh-sach.xlsx",
            "--dry-run",
            "--set",
            "kind=tap-the",
        ],
    );
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("==> content/mo-hinh/hu-gao-tinh-thuong.md"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("title: \"Vườn rau nghĩa tình\""),
        "{}",
        out.stdout
    );
    // --set kind: nothing inferred.
    assert!(!out.stderr.contains("ca-nhan"), "{}", out.stderr);
    assert!(!out.stdout.contains("kind: \"ca-nhan\""), "{}", out.stdout);
    assert_eq!(before, common::snapshot(&site));
}

#[test]
fn every_bad_cell_is_reported_at_once_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DS").unwrap();
    for (c, h) in ["Tên mô hình", "Lĩnh vực", "Ngày"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Mô hình một").unwrap();
    ws.write_string(1, 1, "Văn hoá xã hộii").unwrap();
    ws.write_string(1, 2, "1/1/2024").unwrap();
    ws.write_string(2, 0, "Mô hình hai").unwrap();
    ws.write_string(2, 1, "kinh tế").unwrap();
    ws.write_string(2, 2, "31/2/2024").unwrap();
    wb.save(site.join("ds.xlsx")).unwrap();
    let before = common::snapshot(&site);
    for (lang, words) in [
        ("vi", "không có trong danh mục"),
        ("en", "is not in the vocabulary"),
    ] {
        let out = run_in(&site, &["import", "ds.xlsx", "--lang", lang]);
        assert!(!out.ok);
        let e = &out.stderr;
        assert!(e.contains("ds.xlsx!DS!B2") && e.contains(words), "{e}");
        assert!(e.contains("Văn hóa – xã hội"), "no suggestion: {e}");
        assert!(e.contains("ds.xlsx!DS!C3") && e.contains("DH063"), "{e}");
    }
    assert_eq!(before, common::snapshot(&site));
}

#[test]
fn csv_in_utf8_with_a_bom_and_in_legacy_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    fs::write(
        site.join("ds.csv"),
        "\u{feff}STT,Tên mô hình,Chủ thể,Lĩnh vực,Năm\r\n1,\"Quỹ khuyến học, dòng họ\",Chi hội Khuyến học,văn hóa xã hội,năm 2019\r\n",
    )
    .unwrap();
    let out = run_in(&site, &["import", "ds.csv"]);
    assert!(out.ok, "{}", out.stderr);
    let f = model_file(&site, "quy-khuyen-hoc-dong-ho.md");
    assert!(
        f.contains("date: 2019") && f.contains("source_row: \"ds.csv!2\""),
        "{f}"
    );
    // TCVN3 bytes, as an old CSV export writes them (not UTF-8).
    let mut bytes = b"Ten mo hinh,Linh vuc\r\n".to_vec();
    bytes.extend([b'V', b'i', 0xd5, b't', b' ', b'P', b'h', 0xb8, b't', b',']);
    bytes.extend(b"kinh te\r\n");
    fs::write(site.join("cu.csv"), &bytes).unwrap();
    let out = run_in(&site, &["import", "cu.csv"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr.contains("DH066") && out.stderr.contains("A2"),
        "{}",
        out.stderr
    );
    let f = model_file(&site, "viet-phat.md");
    assert!(f.contains("title: \"Viết Phát\""), "{f}");
}

#[test]
fn write_map_drafts_a_mapping_the_editor_corrects() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Tên sáng kiến", "Tên mô hình", "Lĩnh vực"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Sáng kiến hay").unwrap();
    ws.write_string(1, 1, "Tên cũ").unwrap();
    ws.write_string(1, 2, "kinh tế").unwrap();
    wb.save(site.join("ds.xlsx")).unwrap();
    let out = run_in(&site, &["import", "ds.xlsx", "--write-map"]);
    assert!(out.ok, "{}", out.stderr);
    let map = fs::read_to_string(site.join("map.yaml")).unwrap();
    assert!(map.contains("Tên sáng kiến: body"), "{map}");
    assert!(map.contains("Tên mô hình: title"), "{map}");
    assert!(!site.join("content/mo-hinh/ten-cu.md").exists());
    // Never over an existing map.
    let again = run_in(&site, &["import", "ds.xlsx", "--write-map"]);
    assert!(
        !again.ok && again.stderr.contains("DH068"),
        "{}",
        again.stderr
    );
    let map = map
        .replace("Tên sáng kiến: body", "Tên sáng kiến: title")
        .replace("Tên mô hình: title", "Tên mô hình: ignore");
    fs::write(site.join("map.yaml"), map).unwrap();
    let out = run_in(&site, &["import", "ds.xlsx", "--map", "map.yaml"]);
    assert!(out.ok, "{}", out.stderr);
    let f = model_file(&site, "sang-kien-hay.md");
    assert!(!f.contains("Tên cũ"), "{f}");
    fs::write(site.join("bad.yaml"), "columns:\n  Tên mô hình: tieu-de\n").unwrap();
    let bad = run_in(&site, &["import", "ds.xlsx", "--map", "bad.yaml"]);
    assert!(
        !bad.ok && bad.stderr.contains("DH068") && bad.stderr.contains("tieu-de"),
        "{}",
        bad.stderr
    );
}

/// Fields of a model in open data that an export and import carry.
fn carried(m: &serde_json::Value) -> serde_json::Value {
    let mut recognitions = m["recognitions"].clone();
    for r in recognitions.as_array_mut().unwrap() {
        // The ceremony a recognition names is not in an empty site.
        r.as_object_mut().unwrap().remove("ceremony");
    }
    serde_json::json!({
        "id": m["id"], "title": m["title"], "field": m["field"], "kind": m["kind"],
        "owner": m["owner"], "organizations": m["organizations"], "place": m["place"],
        "period": m["period"], "date": m["date"], "status": m["status"],
        "recognitions": recognitions, "tags": m["tags"],
    })
}

fn open_models(site: &Path) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.join("public/du-lieu/mo-hinh.json")).unwrap(),
    )
    .unwrap();
    json["models"].as_array().unwrap().clone()
}

#[test]
fn export_then_import_into_an_empty_site_gives_the_same_models() {
    let (tmp, source) = fixture_site();
    let out = run_in(&source, &["export", "../bao-cao.xlsx"]);
    assert!(out.ok, "{}", out.stderr);
    let built = run_in(&source, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    fs::create_dir_all(tmp.path().join("new")).unwrap();
    let target = empty_site(&tmp.path().join("new"));
    let imported = run_in(
        &target,
        &["import", "../../bao-cao.xlsx", "--sheet", "Mô hình"],
    );
    assert!(imported.ok, "{}", imported.stderr);
    let built = run_in(&target, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let mut before: Vec<serde_json::Value> = open_models(&source).iter().map(carried).collect();
    let mut after: Vec<serde_json::Value> = open_models(&target).iter().map(carried).collect();
    let key = |v: &serde_json::Value| v["id"].as_str().unwrap().to_string();
    before.sort_by_key(key);
    after.sort_by_key(key);
    assert_eq!(before, after);
}

// ---------------------------------------------------------------------
// Hostile spreadsheets: a clear error or a bounded result, never a hang
// or a write outside the site.
// ---------------------------------------------------------------------

/// Raw deflate of `input` with `flush`, continuing `c`'s stream.
fn deflate(c: &mut flate2::Compress, input: &[u8], flush: flate2::FlushCompress) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 64 + 4096);
    let start = c.total_in();
    loop {
        let used = (c.total_in() - start) as usize;
        if out.len() == out.capacity() {
            out.reserve(4096);
        }
        c.compress_vec(&input[used..], &mut out, flush).unwrap();
        if (c.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
            return out;
        }
    }
}

/// A zip holding one entry that inflates to `mb` megabytes of zeros from a
/// few hundred kilobytes: made by hand, since no writer makes one. A
/// sync-flushed block of zeros decodes the same after any run of zeros,
/// so it is repeated instead of compressing the whole.
fn zip_bomb(entry: &str, mb: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let first = deflate(&mut c, &zeros, FlushCompress::Sync);
    let next = deflate(&mut c, &zeros, FlushCompress::Sync);
    let last = deflate(&mut c, &[], FlushCompress::Finish);
    let mut data = first;
    for _ in 1..mb {
        data.extend_from_slice(&next);
    }
    data.extend_from_slice(&last);
    let size = (mb << 20) as u32;
    let name = entry.as_bytes();
    let mut z = Vec::new();
    let u16le = |z: &mut Vec<u8>, v: u16| z.extend_from_slice(&v.to_le_bytes());
    let u32le = |z: &mut Vec<u8>, v: u32| z.extend_from_slice(&v.to_le_bytes());
    u32le(&mut z, 0x0403_4b50);
    for v in [20u16, 0, 8, 0, 0] {
        u16le(&mut z, v);
    }
    for v in [0u32, data.len() as u32, size] {
        u32le(&mut z, v);
    }
    u16le(&mut z, name.len() as u16);
    u16le(&mut z, 0);
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    let cd = z.len() as u32;
    u32le(&mut z, 0x0201_4b50);
    for v in [20u16, 20, 0, 8, 0, 0] {
        u16le(&mut z, v);
    }
    for v in [0u32, data.len() as u32, size] {
        u32le(&mut z, v);
    }
    for v in [name.len() as u16, 0, 0, 0, 0] {
        u16le(&mut z, v);
    }
    u32le(&mut z, 0);
    u32le(&mut z, 0);
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd;
    u32le(&mut z, 0x0605_4b50);
    for v in [0u16, 0, 1, 1] {
        u16le(&mut z, v);
    }
    u32le(&mut z, cd_len);
    u32le(&mut z, cd);
    u16le(&mut z, 0);
    z
}

fn timed_import(site: &Path, args: &[&str]) -> common::Run {
    let started = std::time::Instant::now();
    let out = run_in(site, args);
    let took = started.elapsed();
    assert!(took.as_secs() < 60, "{args:?} took {took:?}");
    out
}

#[test]
fn a_zip_bomb_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let bomb = zip_bomb("xl/worksheets/sheet1.xml", 400);
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes", bomb.len());
    fs::write(site.join("bom.xlsx"), &bomb).unwrap();
    let before = common::snapshot(&site);
    let out = timed_import(&site, &["import", "bom.xlsx"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("DH061") && out.stderr.contains("300 MB"),
        "{}",
        out.stderr
    );
    assert_eq!(before, common::snapshot(&site));
}

#[test]
fn a_sheet_of_a_million_rows_stops_at_the_row_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Tên mô hình").unwrap();
    ws.write_string(0, 1, "Lĩnh vực").unwrap();
    let small = wb.save_to_buffer().unwrap();
    // The sheet part replaced by one of 1,048,576 rows (the writer holds
    // every cell in memory, which takes long unoptimised).
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>");
    for r in 2..=1_048_576u32 {
        xml.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>"
        ));
    }
    xml.push_str("</sheetData></worksheet>");
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let f = from.by_index(i).unwrap();
        if f.name().unwrap() == "xl/worksheets/sheet1.xml" {
            continue;
        }
        to.raw_copy_file(f).unwrap();
    }
    let fast = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    to.start_file("xl/worksheets/sheet1.xml", fast).unwrap();
    std::io::Write::write_all(&mut to, xml.as_bytes()).unwrap();
    fs::write(site.join("lon.xlsx"), to.finish().unwrap().into_inner()).unwrap();
    let out = timed_import(&site, &["import", "lon.xlsx"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("DH061") && out.stderr.contains("100000"),
        "{}",
        out.stderr
    );
    assert!(!site.join("content/mo-hinh/1.md").exists());
}

#[test]
fn formulas_and_external_links_are_read_as_stored_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Tên mô hình", "Lĩnh vực", "Số hộ"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Mô hình có công thức").unwrap();
    ws.write_string(1, 1, "kinh tế").unwrap();
    ws.write_formula(1, 2, "=[1]Sheet1!A1*2").unwrap();
    let plain = wb.save_to_buffer().unwrap();
    // Add an external-link part, as Excel writes for `[1]Sheet1!A1`.
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        to.raw_copy_file(from.by_index(i).unwrap()).unwrap();
    }
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    to.start_file("xl/externalLinks/externalLink1.xml", stored)
        .unwrap();
    std::io::Write::write_all(
        &mut to,
        b"<externalLink xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><externalBook r:id=\"rId1\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"/></externalLink>",
    )
    .unwrap();
    fs::write(site.join("ct.xlsx"), to.finish().unwrap().into_inner()).unwrap();
    let out = timed_import(&site, &["import", "ct.xlsx"]);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stderr.matches("DH067").count(), 2, "{}", out.stderr);
    assert!(out.stderr.contains("C2"), "{}", out.stderr);
    assert!(
        out.stderr.contains("liên kết tới tệp khác"),
        "{}",
        out.stderr
    );
    assert!(site
        .join("content/mo-hinh/mo-hinh-co-cong-thuc.md")
        .exists());
}

#[test]
fn an_oversized_cell_is_named_and_titles_cannot_leave_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let long = "a".repeat(40_000);
    fs::write(
        site.join("dai.csv"),
        format!("Tên mô hình,Ghi chú\r\nMột,{long}\r\n"),
    )
    .unwrap();
    let out = timed_import(&site, &["import", "dai.csv"]);
    assert!(!out.ok);
    assert!(
        out.stderr.contains("DH061") && out.stderr.contains("dai.csv!dai!B2"),
        "{}",
        out.stderr
    );
    fs::write(
        site.join("thoat.csv"),
        "Tên mô hình,Lĩnh vực\r\n../../../ngoai,kinh tế\r\n",
    )
    .unwrap();
    let out = timed_import(&site, &["import", "thoat.csv"]);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "content/mo-hinh/ngoai.md");
    assert!(!tmp.path().join("ngoai.md").exists());
}

// ---------------------------------------------------------------------
// LibreOffice: the export opens without repair, and .ods/.xls lists (made
// from the fixture by LibreOffice itself) import like the .xlsx one.
// ---------------------------------------------------------------------

/// `soffice --headless --convert-to FORMAT FILE` into `out`, with a
/// profile of its own (parallel tests would share one otherwise). `None`,
/// with a notice, when LibreOffice is not installed (Debian:
/// libreoffice-calc-nogui).
fn soffice(file: &Path, format: &str, out: &Path) -> Option<std::path::PathBuf> {
    let found = std::process::Command::new("sh")
        .args(["-c", "command -v soffice"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // .ci/run installs LibreOffice and sets this: there, a missing
        // soffice is a failure, not a skip.
        assert!(
            std::env::var_os("DIENHINH_REQUIRE_SOFFICE").is_none(),
            "DIENHINH_REQUIRE_SOFFICE is set but soffice is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui");
        return None;
    }
    let profile = out.join("lo-profile");
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run soffice");
    assert!(status.success(), "soffice failed on {}", file.display());
    let ext = format.split(':').next().unwrap();
    let made = out.join(file.with_extension(ext).file_name().unwrap());
    assert!(made.exists(), "soffice made no {}", made.display());
    Some(made)
}

#[test]
fn libreoffice_opens_the_export() {
    let (tmp, site) = fixture_site();
    let out = run_in(&site, &["export", "bao-cao.xlsx"]);
    assert!(out.ok, "{}", out.stderr);
    let dir = tmp.path().join("lo");
    fs::create_dir_all(&dir).unwrap();
    let Some(csv) = soffice(
        &site.join("bao-cao.xlsx"),
        "csv:Text - txt - csv (StarCalc):44,34,76",
        &dir,
    ) else {
        return;
    };
    let text = fs::read_to_string(csv).unwrap();
    assert!(text.starts_with("STT,Mã,Tên mô hình"), "{text}");
    assert!(text.contains("Hũ gạo tình thương"), "{text}");
}

#[test]
fn ods_and_xls_lists_import_like_the_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    let made = tmp.path().join("made");
    fs::create_dir_all(&made).unwrap();
    office_list(&made.join("danh-sach.xlsx"));
    for format in ["ods", "xls"] {
        let Some(file) = soffice(&made.join("danh-sach.xlsx"), format, &made) else {
            return;
        };
        let parent = tmp.path().join(format);
        fs::create_dir_all(&parent).unwrap();
        let site = empty_site(&parent);
        let name = format!("danh-sach.{format}");
        fs::copy(&file, site.join(&name)).unwrap();
        let out = run_in(&site, &["import", &name]);
        assert!(out.ok, "{format}: {}", out.stderr);
        assert_eq!(out.stdout.lines().count(), 6, "{format}: {}", out.stdout);
        let hu = model_file(&site, "hu-gao-tinh-thuong.md");
        assert!(
            hu.contains("Phát triển kinh tế hộ gia đình"),
            "{format}: {hu}"
        );
        assert!(
            hu.contains("place: [\"Tỉnh Hải Dương\", \"Huyện Nam Sách\", \"Xã An Bình\"]"),
            "{format}: {hu}"
        );
        assert!(out.stderr.contains("DH066"), "{format}: {}", out.stderr);
        for f in ["canh-dong-mau-lon.md", "cho-que-sach.md"] {
            assert!(
                model_file(&site, f).contains("field: \"kinh-te\""),
                "{format}: {f}"
            );
        }
    }
}

#[test]
fn update_merges_a_row_into_its_model_after_printing_the_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    fs::write(
        site.join("content/mo-hinh/hu-gao.md"),
        "---\nid: hg001\n# Tên như đã công bố.\ntitle: \"Hũ gạo tình thương\"\nfield: kinh-te\nkind: tap-the\nplace: [Hải Dương, Nam Sách]\ntags: [an sinh]\nrecognitions:\n  - {level: co-so, year: 2020, award: giay-khen}\n---\nBài viết của biên tập viên.\n",
    )
    .unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "Tên mô hình",
        "Lĩnh vực",
        "Địa bàn",
        "Tình trạng",
        "Năm khen",
        "Cấp khen",
        "Hình thức khen thưởng",
        "Từ khóa",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let row = [
        "Hũ gạo tình thương",
        "Văn hóa – xã hội",
        "Hải Dương > Nam Sách",
        "công nhận",
        "2024",
        "cấp huyện",
        "bằng khen",
        "an sinh",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(site.join("cap-nhat.xlsx")).unwrap();
    // Without --update: a duplicate, nothing changes.
    let before = fs::read_to_string(site.join("content/mo-hinh/hu-gao.md")).unwrap();
    let out = run_in(&site, &["import", "cap-nhat.xlsx"]);
    assert!(out.ok && out.stderr.contains("DH064"), "{}", out.stderr);
    assert_eq!(
        before,
        fs::read_to_string(site.join("content/mo-hinh/hu-gao.md")).unwrap()
    );
    // --dry-run --update: the diff, and still nothing written.
    let out = run_in(&site, &["import", "cap-nhat.xlsx", "--update", "--dry-run"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("field: \"kinh-te\" → \"van-hoa-xa-hoi\""),
        "{}",
        out.stderr
    );
    assert_eq!(
        before,
        fs::read_to_string(site.join("content/mo-hinh/hu-gao.md")).unwrap()
    );
    let out = run_in(&site, &["import", "cap-nhat.xlsx", "--update"]);
    assert!(out.ok, "{}", out.stderr);
    let e = &out.stderr;
    assert!(e.contains("~ content/mo-hinh/hu-gao.md"), "{e}");
    assert!(e.contains("status: — → \"cong-nhan\""), "{e}");
    assert!(!e.contains("tags:"), "tags did not change: {e}");
    let after = fs::read_to_string(site.join("content/mo-hinh/hu-gao.md")).unwrap();
    assert!(
        after.contains("# Tên như đã công bố.") && after.contains("Bài viết của biên tập viên."),
        "{after}"
    );
    assert!(after.contains("field: \"van-hoa-xa-hoi\""), "{after}");
    assert!(
        after.contains("\"year\":2020") && after.contains("\"award\":\"bang-khen\""),
        "{after}"
    );
    assert!(after.contains("id: hg001"), "{after}");
    let check = run_in(&site, &["check"]);
    assert!(check.ok, "{}", check.stderr);
}

/// A district's list of the conferences it held: a title block, one row
/// per ceremony, a total row.
fn ceremony_list(path: &Path, rows: &[[&str; 7]]) {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 7, "BAN DÂN VẬN HUYỆN ỦY NAM SÁCH", &bold)
        .unwrap();
    ws.merge_range(1, 0, 1, 7, "DANH SÁCH HỘI NGHỊ TUYÊN DƯƠNG", &bold)
        .unwrap();
    let header = [
        "STT",
        "Tên hội nghị",
        "Thời gian tổ chức",
        "Địa điểm",
        "Đơn vị tổ chức",
        "Loại sự kiện",
        "Cấp",
        "Ghi chú",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16 + 1, *v).unwrap();
            }
        }
    }
    let total = 4 + rows.len() as u32;
    ws.write_string(total, 0, "Tổng cộng").unwrap();
    ws.write_number(total, 1, rows.len() as f64).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_list_of_ceremonies_imports_one_ceremony_per_row() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    ceremony_list(
        &site.join("hoi-nghi.xlsx"),
        &[
            [
                "Hội nghị tuyên dương điển hình “Dân vận khéo” năm 2024",
                "15/11/2024",
                "huyện Nam Sách, tỉnh Hải Dương",
                "Ban Dân vận Huyện ủy Nam Sách",
                "tuyên dương",
                "cấp huyện",
                "Tuyên dương 12 mô hình",
            ],
            [
                "Sơ kết 5 năm phong trào thi đua “Dân vận khéo”",
                "20/6/2023",
                "tỉnh Hải Dương",
                "Ban Dân vận Tỉnh ủy",
                "Sơ kết",
                "",
                "",
            ],
        ],
    );
    let out = run_in(
        &site,
        &["import", "hoi-nghi.xlsx", "--section", "tuyen-duong"],
    );
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("2 buổi lễ"), "{}", out.stderr);
    let dir = site.join("content/tuyen-duong");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(fs::read_dir(site.join("content/mo-hinh"))
        .unwrap()
        .next()
        .is_none());
    let text = fs::read_to_string(dir.join(&files[0])).unwrap();
    for want in [
        "title: \"Hội nghị tuyên dương điển hình “Dân vận khéo” năm 2024\"",
        "date: 2024-11-15",
        "event_type: tuyen-duong",
        "organizer: \"Ban Dân vận Huyện ủy Nam Sách\"",
        "level: cap-huyen",
        "place: [\"Tỉnh Hải Dương\", \"Huyện Nam Sách\"]",
        "source_row: \"hoi-nghi.xlsx!Sheet1!5\"",
        "Tuyên dương 12 mô hình",
    ] {
        assert!(text.contains(want), "no `{want}` in\n{text}");
    }
    let other = fs::read_to_string(dir.join(&files[1])).unwrap();
    assert!(
        other.contains("date: 2023-06-20") && other.contains("event_type: so-ket"),
        "{other}"
    );

    // The site builds; where the rows came from is never published.
    let built = run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    for (path, bytes) in common::snapshot(&site.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("hoi-nghi.xlsx"),
            "source_row published in {path}"
        );
    }
    // Imported again: each row is a duplicate (same name, same day).
    let before = common::snapshot(&site.join("content"));
    let again = run_in(
        &site,
        &["import", "hoi-nghi.xlsx", "--section", "tuyen-duong"],
    );
    assert!(again.ok, "{}", again.stderr);
    assert_eq!(again.stderr.matches("DH064").count(), 2, "{}", again.stderr);
    assert_eq!(before, common::snapshot(&site.join("content")));
}

#[test]
fn a_ceremony_row_without_a_day_is_an_error_at_its_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    ceremony_list(
        &site.join("le.xlsx"),
        &[
            ["Hội nghị A", "", "tỉnh Hải Dương", "", "", "", ""],
            [
                "Hội nghị B",
                "tháng 5/2024",
                "tỉnh Hải Dương",
                "",
                "",
                "",
                "",
            ],
            ["Hội nghị C", "1/6/2024", "", "", "họp mặt", "cấp quận", ""],
        ],
    );
    let before = common::snapshot(&site);
    let out = run_in(&site, &["import", "le.xlsx", "--section", "tuyen-duong"]);
    assert!(!out.ok);
    for cell in ["le.xlsx!Sheet1!C5", "le.xlsx!Sheet1!C6"] {
        assert!(
            out.stderr.contains(cell),
            "no error at {cell}:\n{}",
            out.stderr
        );
    }
    assert_eq!(out.stderr.matches("DH063").count(), 2, "{}", out.stderr);
    assert_eq!(before, common::snapshot(&site));
}

/// `text` in Windows-1258 bytes, as Excel on a Vietnamese Windows saves a
/// CSV: letters with their breve, circumflex or horn precomposed, tones
/// as combining marks.
fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = Vec::new();
    for c in text.chars() {
        let parts: Vec<char> = c.to_string().nfd().collect();
        let base: String = parts
            .iter()
            .filter(|p| !TONES.contains(p))
            .collect::<String>()
            .nfc()
            .collect();
        let tone: String = parts.iter().filter(|p| TONES.contains(p)).collect();
        let letter = format!("{base}{tone}");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&letter);
        assert!(!unmappable, "{c} has no Windows-1258 form");
        out.extend_from_slice(&bytes);
    }
    out
}

#[test]
fn a_csv_saved_in_windows_1258_is_read_as_vietnamese() {
    let tmp = tempfile::tempdir().unwrap();
    let site = empty_site(tmp.path());
    let text = "STT,Tên mô hình,Chủ thể thực hiện,Lĩnh vực,Địa bàn,Năm\r\n\
                1,Tuyến đường nở hoa,Hội Phụ nữ xã Việt Hưng,văn hóa xã hội,\"xã Việt Hưng, huyện Kim Thành, tỉnh Hải Dương\",năm 2021\r\n";
    let bytes = windows_1258(text);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    fs::write(site.join("ds.csv"), &bytes).unwrap();
    let out = run_in(&site, &["import", "ds.csv"]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr.contains("DH066") && out.stderr.contains("Windows-1258"),
        "{}",
        out.stderr
    );
    let f = model_file(&site, "tuyen-duong-no-hoa.md");
    for want in [
        "title: \"Tuyến đường nở hoa\"",
        "owner: \"Hội Phụ nữ xã Việt Hưng\"",
        "field: \"van-hoa-xa-hoi\"",
        "place: [\"Tỉnh Hải Dương\", \"Huyện Kim Thành\", \"Xã Việt Hưng\"]",
    ] {
        assert!(f.contains(want), "no `{want}` in\n{f}");
    }
}
