//! Spreadsheets in and out (`dienhinh export`, `dienhinh import`, and
//! `/du-lieu/mo-hinh.xlsx`), run as an editor runs them: in the site's
//! folder, no `-C`, standard input not a terminal.

mod common;

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

/// `(label, count)` rows of each table on a built statistics page, by its
/// heading.
fn stats_tables(html: &str) -> Vec<Vec<(String, usize)>> {
    let mut tables = Vec::new();
    for body in html.split("<tbody>").skip(1) {
        let body = &body[..body.find("</tbody>").unwrap()];
        let rows = body
            .split("<tr>")
            .skip(1)
            .map(|tr| {
                let cells: Vec<String> = tr
                    .split("<td")
                    .skip(1)
                    .map(|td| {
                        let inner = &td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()];
                        strip_tags(inner)
                    })
                    .collect();
                (cells[0].clone(), cells[1].trim().parse().unwrap())
            })
            .collect();
        tables.push(rows);
    }
    tables
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").trim().to_string()
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
    // Nothing withheld, in any cell or any part of the archive.
    let all = unzipped(&site.join("bao-cao.xlsx"));
    for word in WITHHELD_OWNER.split(' ').chain(WITHHELD_HONOREE.split(' ')) {
        assert!(!all.contains(word), "`{word}` published in the report");
    }
    // The summary sheets hold the tables of /thong-ke/, figure for figure.
    let built = run_in(&site, &["build"]);
    assert!(built.ok, "{}", built.stderr);
    let html = fs::read_to_string(site.join("public/thong-ke/index.html")).unwrap();
    let page = stats_tables(&html);
    let summaries: Vec<Vec<(String, usize)>> = book
        .iter()
        .filter(|(n, _)| n.starts_with("TK "))
        .map(|(_, rows)| {
            rows.iter()
                .skip_while(|r| r.first().map(String::as_str) != Some("STT"))
                .skip(1)
                .map(|r| (r[1].clone(), r[2].parse().unwrap()))
                .collect()
        })
        .collect();
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
