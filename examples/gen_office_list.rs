//! An office's list of models as a spreadsheet, for `bench/import.sh`:
//! a title block above the header, Vietnamese headings, one row per model
//! with its owner, field, place (`xã A, huyện B, tỉnh C`), date and award,
//! and a total row. The same rows for the same count.
//!
//!     cargo run --release --example gen_office_list -- OUT.xlsx 10000

use rust_xlsxwriter::{Format, Workbook, XlsxError};

const FIELDS: [&str; 5] = [
    "Kinh tế",
    "Văn hóa – xã hội",
    "Quốc phòng – an ninh",
    "Xây dựng hệ thống chính trị",
    "kinh tế",
];
const OWNERS: [&str; 4] = [
    "Hội Phụ nữ xã",
    "Ông Nguyễn Văn",
    "Hộ bà Trần Thị",
    "Đoàn Thanh niên xã",
];
const PROVINCES: [&str; 4] = ["Hải Dương", "Cà Mau", "Nghệ An", "Lào Cai"];
const WORDS: [&str; 8] = [
    "Hũ gạo",
    "Vườn rau",
    "Tủ sách",
    "Đường hoa",
    "Bếp ăn",
    "Camera an ninh",
    "Quỹ khuyến học",
    "Chợ quê",
];

fn main() -> Result<(), XlsxError> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "danh-sach.xlsx".into());
    let rows: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách")?;
    ws.merge_range(0, 0, 0, 8, "BAN DÂN VẬN TỈNH ỦY", &bold)?;
    ws.merge_range(1, 0, 1, 8, "DANH SÁCH MÔ HÌNH “DÂN VẬN KHÉO”", &bold)?;
    let header = [
        "STT",
        "Tên mô hình",
        "Chủ thể thực hiện",
        "Lĩnh vực",
        "Địa bàn",
        "Thời gian",
        "Hình thức khen thưởng",
        "Cấp khen",
        "Kết quả",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(3, c as u16, *h)?;
    }
    for i in 0..rows {
        let r = 4 + i;
        let n = i as usize;
        let commune = format!("Xã số {}", n / 7 + 1);
        let district = format!("huyện {}", n / 97 + 1);
        let province = PROVINCES[n / 1000 % PROVINCES.len()];
        ws.write_number(r, 0, f64::from(i + 1))?;
        ws.write_string(r, 1, format!("{} số {}", WORDS[n % WORDS.len()], i + 1))?;
        ws.write_string(r, 2, format!("{} {}", OWNERS[n % OWNERS.len()], i + 1))?;
        ws.write_string(r, 3, FIELDS[n % FIELDS.len()])?;
        ws.write_string(r, 4, format!("{commune}, {district}, tỉnh {province}"))?;
        ws.write_string(
            r,
            5,
            format!("{}/{}/20{:02}", n % 28 + 1, n % 12 + 1, 15 + n % 10),
        )?;
        if n.is_multiple_of(3) {
            ws.write_string(r, 6, "Giấy khen")?;
            ws.write_string(r, 7, "cấp huyện")?;
        }
        ws.write_string(r, 8, format!("Giúp {} hộ vượt khó", n % 50 + 1))?;
    }
    ws.write_string(4 + rows, 0, "Tổng cộng")?;
    wb.save(&out)?;
    eprintln!("{out}: {rows} rows");
    Ok(())
}
