//! Writes a synthetic but realistic dienhinh site for benchmarks and tests:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --models 10000 --ceremonies 1000 --seed 1 --out /tmp/site
//! ```
//!
//! The output is a function of the arguments only (own PRNG, no hash-map
//! iteration), so two runs with one seed are byte-identical. Everything is
//! made up from lists of real Vietnamese place names, organisations and
//! phrasing of the "Dân vận khéo" reports in the seed articles; no article
//! is copied. About 5% of the files are written in NFD and 3% without
//! diacritics, as editors' files arrive in practice.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Parser)]
#[command(about = "Generate a synthetic dienhinh site (models, ceremonies, an about page)")]
pub struct Args {
    /// Number of models (content/mo-hinh/*.md).
    #[arg(long, default_value_t = 1000)]
    pub models: usize,
    /// Number of ceremonies (content/tuyen-duong/*.md).
    #[arg(long, default_value_t = 100)]
    pub ceremonies: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Site directory to write; must be empty, absent or an earlier output.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write a few small SVG illustrations and reference them from
    /// about 5% of the models (the `images` field). Off for benchmarks.
    #[arg(long)]
    pub photos: bool,
}

/// Marks a directory as ours, so a rerun may replace its content.
const MARKER: &str = ".gen_corpus";

#[allow(dead_code)] // unused where tests include this file as a module
fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the site; tests/it/gen_corpus.rs calls this directly.
pub fn run(args: &Args) -> Result<(), String> {
    prepare_dir(&args.out)?;
    let mut g = Gen::new(args.seed, args.photos);
    let ceremonies = g.plan_ceremonies(args.ceremonies);
    let mut corpus = Corpus {
        ceremonies,
        models: Vec::new(),
    };
    g.plan_models(args.models, &mut corpus);
    let files = g.write_all(&corpus);
    let io = |e: std::io::Error| e.to_string();
    let content = args.out.join("content");
    fs::create_dir_all(content.join("mo-hinh")).map_err(io)?;
    fs::create_dir_all(content.join("tuyen-duong")).map_err(io)?;
    let mut bytes = 0usize;
    for (rel, text) in &files {
        let path = args.out.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        bytes += text.len();
    }
    eprintln!(
        "gen_corpus: {} models, {} ceremonies, {} files, {:.1} MB in {}",
        corpus.models.len(),
        corpus.ceremonies.len(),
        files.len(),
        bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}

/// Refuses to overwrite a directory we did not write; clears our own.
fn prepare_dir(out: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    if out.exists() {
        let empty = fs::read_dir(out).map_err(io)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(format!(
                "{} is not empty and was not written by gen_corpus; choose another --out",
                out.display()
            ));
        }
        for sub in ["content", "static", "public", ".dienhinh"] {
            let p = out.join(sub);
            if p.exists() {
                fs::remove_dir_all(&p).map_err(io)?;
            }
        }
    }
    fs::create_dir_all(out).map_err(io)?;
    fs::write(out.join(MARKER), "written by examples/gen_corpus.rs\n").map_err(io)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Randomness: splitmix64, so the corpus depends on nothing but the seed.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// A value from a weighted table of `(value, weight)`.
    fn choose<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let w: Vec<u32> = table.iter().map(|(_, w)| *w).collect();
        table[self.weighted(&w)].0
    }
}

// ---------------------------------------------------------------------------
// Vocabulary of the domain. Provinces as before the 2025 reform, with the
// province that absorbed them (`None`: kept its name), and real districts.

struct Province {
    name: &'static str,
    weight: u32,
    successor: Option<&'static str>,
    districts: &'static [&'static str],
}

const PROVINCES: &[Province] = &[
    Province {
        name: "Hà Nội",
        weight: 14,
        successor: None,
        districts: &[
            "Quận Ba Đình",
            "Quận Hoàn Kiếm",
            "Quận Long Biên",
            "Quận Cầu Giấy",
            "Huyện Gia Lâm",
            "Huyện Sóc Sơn",
            "Huyện Ba Vì",
            "Huyện Đông Anh",
            "Huyện Thạch Thất",
            "Huyện Mỹ Đức",
        ],
    },
    Province {
        name: "TP. Hồ Chí Minh",
        weight: 14,
        successor: None,
        districts: &[
            "Quận 1",
            "Quận 3",
            "Quận 8",
            "Quận Bình Tân",
            "Quận Gò Vấp",
            "Quận Tân Phú",
            "Huyện Củ Chi",
            "Huyện Bình Chánh",
            "Thành phố Thủ Đức",
            "Huyện Cần Giờ",
            "Huyện Hóc Môn",
        ],
    },
    Province {
        name: "Hải Phòng",
        weight: 5,
        successor: None,
        districts: &[
            "Quận Lê Chân",
            "Quận Hải An",
            "Huyện Thủy Nguyên",
            "Huyện Tiên Lãng",
            "Huyện Vĩnh Bảo",
            "Huyện An Lão",
        ],
    },
    Province {
        name: "Đà Nẵng",
        weight: 4,
        successor: None,
        districts: &[
            "Quận Hải Châu",
            "Quận Thanh Khê",
            "Quận Sơn Trà",
            "Quận Liên Chiểu",
            "Huyện Hòa Vang",
        ],
    },
    Province {
        name: "Cần Thơ",
        weight: 3,
        successor: None,
        districts: &[
            "Quận Ninh Kiều",
            "Quận Cái Răng",
            "Quận Ô Môn",
            "Huyện Phong Điền",
            "Huyện Cờ Đỏ",
        ],
    },
    Province {
        name: "Lai Châu",
        weight: 2,
        successor: None,
        districts: &[
            "Thành phố Lai Châu",
            "Huyện Tam Đường",
            "Huyện Tân Uyên",
            "Huyện Phong Thổ",
            "Huyện Sìn Hồ",
            "Huyện Mường Tè",
        ],
    },
    Province {
        name: "Sơn La",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Sơn La",
            "Huyện Mường La",
            "Huyện Mộc Châu",
            "Huyện Thuận Châu",
            "Huyện Yên Châu",
            "Huyện Sông Mã",
        ],
    },
    Province {
        name: "Hà Tĩnh",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Hà Tĩnh",
            "Huyện Hương Khê",
            "Huyện Can Lộc",
            "Thị xã Kỳ Anh",
            "Huyện Đức Thọ",
            "Huyện Nghi Xuân",
        ],
    },
    Province {
        name: "Hải Dương",
        weight: 3,
        successor: Some("Hải Phòng"),
        districts: &[
            "Thành phố Hải Dương",
            "Thị xã Kinh Môn",
            "Huyện Thanh Hà",
            "Huyện Nam Sách",
            "Huyện Gia Lộc",
            "Thành phố Chí Linh",
        ],
    },
    Province {
        name: "Nghệ An",
        weight: 5,
        successor: None,
        districts: &[
            "Thành phố Vinh",
            "Huyện Nghi Lộc",
            "Huyện Diễn Châu",
            "Huyện Quỳnh Lưu",
            "Huyện Con Cuông",
            "Huyện Kỳ Sơn",
            "Huyện Nam Đàn",
        ],
    },
    Province {
        name: "Thanh Hóa",
        weight: 5,
        successor: None,
        districts: &[
            "Thành phố Thanh Hóa",
            "Huyện Thọ Xuân",
            "Huyện Nga Sơn",
            "Huyện Quảng Xương",
            "Huyện Bá Thước",
            "Thành phố Sầm Sơn",
            "Huyện Mường Lát",
        ],
    },
    Province {
        name: "Quảng Ninh",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Hạ Long",
            "Thành phố Móng Cái",
            "Huyện Tiên Yên",
            "Huyện Bình Liêu",
            "Huyện Vân Đồn",
            "Huyện Đầm Hà",
        ],
    },
    Province {
        name: "Quảng Bình",
        weight: 2,
        successor: Some("Quảng Trị"),
        districts: &[
            "Thành phố Đồng Hới",
            "Huyện Bố Trạch",
            "Huyện Lệ Thủy",
            "Huyện Minh Hóa",
            "Huyện Quảng Ninh",
        ],
    },
    Province {
        name: "Thừa Thiên Huế",
        weight: 2,
        successor: Some("Huế"),
        districts: &[
            "Huyện Phú Vang",
            "Huyện A Lưới",
            "Thị xã Hương Trà",
            "Huyện Phong Điền",
            "Huyện Quảng Điền",
        ],
    },
    Province {
        name: "Đắk Lắk",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Buôn Ma Thuột",
            "Huyện Krông Pắc",
            "Huyện Ea H'leo",
            "Huyện Buôn Đôn",
            "Huyện Lắk",
        ],
    },
    Province {
        name: "Lâm Đồng",
        weight: 2,
        successor: None,
        districts: &[
            "Thành phố Bảo Lộc",
            "Huyện Đức Trọng",
            "Huyện Lâm Hà",
            "Huyện Di Linh",
            "Huyện Đơn Dương",
        ],
    },
    Province {
        name: "Bình Dương",
        weight: 3,
        successor: Some("TP. Hồ Chí Minh"),
        districts: &[
            "Thành phố Thủ Dầu Một",
            "Thành phố Dĩ An",
            "Thành phố Thuận An",
            "Huyện Bàu Bàng",
            "Thành phố Bến Cát",
        ],
    },
    Province {
        name: "Đồng Nai",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Biên Hòa",
            "Huyện Trảng Bom",
            "Huyện Định Quán",
            "Thành phố Long Khánh",
            "Huyện Nhơn Trạch",
        ],
    },
    Province {
        name: "An Giang",
        weight: 3,
        successor: None,
        districts: &[
            "Thành phố Long Xuyên",
            "Huyện Chợ Mới",
            "Huyện Tri Tôn",
            "Thị xã Tân Châu",
            "Huyện An Phú",
        ],
    },
    Province {
        name: "Bến Tre",
        weight: 2,
        successor: Some("Vĩnh Long"),
        districts: &[
            "Huyện Mỏ Cày Nam",
            "Huyện Chợ Lách",
            "Huyện Giồng Trôm",
            "Huyện Ba Tri",
            "Huyện Thạnh Phú",
        ],
    },
    Province {
        name: "Sóc Trăng",
        weight: 2,
        successor: Some("Cần Thơ"),
        districts: &[
            "Huyện Mỹ Xuyên",
            "Huyện Trần Đề",
            "Thị xã Vĩnh Châu",
            "Huyện Kế Sách",
            "Huyện Long Phú",
        ],
    },
    Province {
        name: "Cà Mau",
        weight: 2,
        successor: None,
        districts: &[
            "Huyện Năm Căn",
            "Huyện Đầm Dơi",
            "Huyện U Minh",
            "Huyện Trần Văn Thời",
            "Huyện Ngọc Hiển",
        ],
    },
    Province {
        name: "Hà Giang",
        weight: 2,
        successor: Some("Tuyên Quang"),
        districts: &[
            "Huyện Đồng Văn",
            "Huyện Mèo Vạc",
            "Huyện Yên Minh",
            "Huyện Quản Bạ",
            "Huyện Hoàng Su Phì",
        ],
    },
    Province {
        name: "Lào Cai",
        weight: 2,
        successor: None,
        districts: &[
            "Thị xã Sa Pa",
            "Huyện Bát Xát",
            "Huyện Bắc Hà",
            "Huyện Mường Khương",
            "Huyện Si Ma Cai",
        ],
    },
    Province {
        name: "Bắc Giang",
        weight: 3,
        successor: Some("Bắc Ninh"),
        districts: &[
            "Huyện Lục Ngạn",
            "Huyện Yên Thế",
            "Huyện Tân Yên",
            "Huyện Lạng Giang",
            "Huyện Sơn Động",
        ],
    },
    Province {
        name: "Thái Bình",
        weight: 2,
        successor: Some("Hưng Yên"),
        districts: &[
            "Huyện Kiến Xương",
            "Huyện Tiền Hải",
            "Huyện Quỳnh Phụ",
            "Huyện Vũ Thư",
            "Huyện Thái Thụy",
        ],
    },
    Province {
        name: "Nam Định",
        weight: 2,
        successor: Some("Ninh Bình"),
        districts: &[
            "Huyện Hải Hậu",
            "Huyện Giao Thủy",
            "Huyện Nghĩa Hưng",
            "Huyện Ý Yên",
            "Huyện Xuân Trường",
        ],
    },
    Province {
        name: "Quảng Nam",
        weight: 3,
        successor: Some("Đà Nẵng"),
        districts: &[
            "Thành phố Hội An",
            "Huyện Duy Xuyên",
            "Huyện Nam Giang",
            "Huyện Núi Thành",
            "Huyện Tây Giang",
        ],
    },
    Province {
        name: "Gia Lai",
        weight: 2,
        successor: None,
        districts: &[
            "Huyện Chư Sê",
            "Huyện Đak Đoa",
            "Huyện Ia Grai",
            "Thị xã An Khê",
            "Huyện Chư Prông",
        ],
    },
    Province {
        name: "Kiên Giang",
        weight: 2,
        successor: Some("An Giang"),
        districts: &[
            "Thành phố Phú Quốc",
            "Huyện Châu Thành",
            "Huyện Giồng Riềng",
            "Huyện An Biên",
            "Huyện Kiên Lương",
        ],
    },
];

/// Common commune-level names; combined with a district they read as real
/// places (many Vietnamese communes share these names).
const COMMUNE_NAMES: &[&str] = &[
    "Tân Lập",
    "Hòa Bình",
    "Quang Trung",
    "Tân Phú",
    "An Bình",
    "Bình Minh",
    "Đồng Tâm",
    "Thanh Xuân",
    "Phú Thịnh",
    "Hưng Đạo",
    "Nghĩa Hưng",
    "Tân Tiến",
    "Xuân Sơn",
    "Kim Sơn",
    "Long Hưng",
    "Vĩnh Hòa",
    "Minh Khai",
    "Lê Lợi",
    "Trung Sơn",
    "Đông Hòa",
    "Tây Sơn",
    "Phước Hưng",
    "Mỹ Lộc",
    "Cẩm Thành",
    "Hiệp Hòa",
    "Bản Bo",
    "Ngọc Chiến",
    "Mường Khoa",
    "Ea Tu",
    "Đắk Mar",
    "Ia Pếch",
    "Lũng Cú",
    "Sơn Vĩ",
    "Tả Van",
    "Bình Châu",
    "Thạnh Lộc",
];

const WARD_NUMBERS: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
];

const VILLAGE_PREFIXES: &[&str] = &[
    "Thôn",
    "Ấp",
    "Khu phố",
    "Tổ dân phố",
    "Bản",
    "Khu dân cư",
    "Xóm",
];
const VILLAGE_NAMES: &[&str] = &[
    "1",
    "2",
    "3",
    "4",
    "5",
    "7",
    "9",
    "Đông",
    "Tây",
    "Trung",
    "Chạm Cả",
    "Lướt",
    "An Lăng",
    "Phú Mỹ",
    "Bình Hòa",
    "Tân Hiệp",
    "Hạ",
    "Thượng",
    "Nà Khum",
    "Cây Thị",
    "Đồng Mới",
];

const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Lò", 1),
    ("Giàng", 1),
    ("Thào", 1),
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh", "Công", "Đình", "Xuân",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị",
    "Ngọc",
    "Thu",
    "Bích",
    "Thanh",
    "Kim",
    "Thị Thu",
    "Hồng",
];
const GIVEN_MALE: &[&str] = &[
    "Hùng", "Nhuận", "Nho", "Dũng", "Tâm", "Hải", "Bình", "Thinh", "Thuận", "Sơn", "Tuấn", "Long",
    "Phúc", "Cường", "Khải", "Trung", "Nam", "Quang", "Thắng", "Lợi", "A Páo",
];
const GIVEN_FEMALE: &[&str] = &[
    "Lan",
    "Vân",
    "Hoa",
    "Huyền",
    "Phượng",
    "Hà",
    "Mai",
    "Cúc",
    "Hạnh",
    "Nga",
    "Thảo",
    "Hương",
    "Liên",
    "Dung",
    "Nhung",
    "Trân",
    "Xuân",
    "Thủy",
    "Oanh",
];

/// Field ids with their weight (as in a province's published totals:
/// economy first, then culture–society, security, the political system).
const FIELDS: &[(usize, u32)] = &[(0, 39), (1, 31), (2, 16), (3, 14)];
const FIELD_IDS: &[&str] = &[
    "kinh-te",
    "van-hoa-xa-hoi",
    "quoc-phong-an-ninh",
    "he-thong-chinh-tri",
];
/// Labels and aliases an editor may write instead of the id.
const FIELD_SPELLINGS: &[&[&str]] = &[
    &["Phát triển kinh tế", "kinh tế"],
    &["Văn hóa – xã hội", "văn hoá xã hội"],
    &["Quốc phòng – an ninh", "an ninh trật tự"],
    &["Xây dựng Đảng và hệ thống chính trị", "hệ thống chính trị"],
];
const FIELD_PROSE: &[&str] = &[
    "phát triển kinh tế",
    "văn hóa – xã hội",
    "quốc phòng – an ninh",
    "xây dựng Đảng và hệ thống chính trị",
];

const KINDS: &[(&str, u32)] = &[("tap-the", 72), ("ca-nhan", 23), ("ho-gia-dinh", 5)];
const KIND_SPELLINGS: &[(&str, &str)] = &[
    ("tap-the", "tập thể"),
    ("ca-nhan", "Cá nhân"),
    ("ho-gia-dinh", "hộ gia đình"),
];

const STATUSES: &[(&str, u32)] = &[
    ("dang-ky", 8),
    ("thuc-hien", 28),
    ("tham-dinh", 7),
    ("cong-nhan", 35),
    ("nhan-rong", 16),
    ("dung", 6),
];
const STATUS_ORDER: &[&str] = &[
    "dang-ky",
    "thuc-hien",
    "tham-dinh",
    "cong-nhan",
    "nhan-rong",
];
const STATUS_SPELLINGS: &[(&str, &str)] = &[
    ("thuc-hien", "đang thực hiện"),
    ("cong-nhan", "được công nhận"),
    ("nhan-rong", "đã nhân rộng"),
    ("dung", "dừng thực hiện"),
];

const LEVELS: &[(&str, u32)] = &[
    ("co-so", 58),
    ("cap-huyen", 29),
    ("cap-tinh", 11),
    ("trung-uong", 2),
];
const LEVEL_SPELLINGS: &[(&str, &str)] = &[
    ("co-so", "cấp cơ sở"),
    ("cap-huyen", "cấp huyện"),
    ("cap-tinh", "cấp tỉnh"),
    ("trung-uong", "toàn quốc"),
];

const AWARDS_BY_LEVEL: &[(&str, &[(&str, u32)])] = &[
    (
        "co-so",
        &[("giay-khen", 60), ("cong-nhan", 30), ("hoa", 10)],
    ),
    (
        "cap-huyen",
        &[("giay-khen", 70), ("cong-nhan", 20), ("giai-thuong", 10)],
    ),
    (
        "cap-tinh",
        &[("bang-khen", 60), ("danh-hieu", 25), ("giai-thuong", 15)],
    ),
    ("trung-uong", &[("bang-khen", 50), ("ky-niem-chuong", 50)]),
];

/// Organisation id, how its branch is named, its weight for collectives.
const ORGS: &[(&str, &str, u32)] = &[
    ("hoi-phu-nu", "Hội Liên hiệp Phụ nữ", 16),
    ("hoi-nong-dan", "Hội Nông dân", 13),
    ("doan-thanh-nien", "Đoàn Thanh niên", 10),
    ("hoi-cuu-chien-binh", "Hội Cựu chiến binh", 9),
    ("mttq", "Ban Công tác Mặt trận", 10),
    ("cap-uy", "Chi bộ", 10),
    ("chinh-quyen", "UBND", 9),
    ("cong-an", "Công an", 7),
    ("quan-su", "Ban Chỉ huy Quân sự", 3),
    ("bien-phong", "Đồn Biên phòng", 2),
    ("cong-doan", "Công đoàn", 4),
    ("khuyen-hoc", "Hội Khuyến học", 3),
    ("cong-dong", "Tổ tự quản", 3),
    ("doanh-nghiep", "Hợp tác xã", 3),
    ("hoi-nguoi-cao-tuoi", "Hội Người cao tuổi", 2),
];
/// Spellings of organisations other than their ids (labels, aliases).
const ORG_SPELLINGS: &[(&str, &str)] = &[
    ("hoi-phu-nu", "Hội Phụ nữ"),
    ("mttq", "MTTQ"),
    ("hoi-cuu-chien-binh", "CCB"),
    ("chinh-quyen", "UBND"),
    ("doan-thanh-nien", "Đoàn Thanh niên"),
    ("cap-uy", "chi bộ"),
];

const CROPS: &[&str] = &[
    "chè chất lượng cao",
    "vú sữa",
    "bưởi da xanh",
    "cà phê",
    "hồ tiêu",
    "sầu riêng",
    "thanh long",
    "vải thiều",
    "cam sành",
    "lúa hữu cơ",
    "dừa",
    "quế",
    "mắc ca",
    "rau an toàn",
    "nấm",
    "dược liệu",
    "ngô xuân",
    "chanh leo",
];
const ANIMALS: &[&str] = &[
    "bò sinh sản",
    "lợn đen",
    "gà thả vườn",
    "cá lồng",
    "tôm càng xanh",
    "dê",
    "ong mật",
    "cua biển",
];

const SUBJECTS: &[&[&str]] = &[
    // kinh-te
    &[
        "Liên kết trồng {cay}",
        "Vận động nhân dân chuyển đổi cây trồng sang {cay}",
        "Tổ hợp tác nuôi {con}",
        "Hợp tác xã {cay} sạch",
        "Dân vận khéo trong phát triển kinh tế, giảm nghèo bền vững",
        "Vận động hiến đất làm đường giao thông nông thôn",
        "Phát triển du lịch cộng đồng",
        "Chi hội nông dân nghề nghiệp {cay}",
        "Tiết kiệm tín dụng giúp phụ nữ khởi nghiệp",
        "Cánh đồng mẫu lớn",
        "Ứng dụng khoa học kỹ thuật thâm canh {cay}",
        "Trồng ngô xuân sớm trên diện tích lúa một vụ",
        "Nuôi {con} theo hướng an toàn sinh học",
        "Khéo vận động làm đường giao thông nông thôn",
        "Chợ phiên nông sản {cay}",
    ],
    // van-hoa-xa-hoi
    &[
        "Hũ gạo tình thương",
        "Tủ bánh mì nghĩa tình",
        "Bữa cơm 0 đồng",
        "Quỹ khuyến học dòng họ",
        "Con đường hoa",
        "Thắp sáng đường quê",
        "Nhà nhân ái cho hộ nghèo",
        "Phân loại rác thải tại nguồn",
        "Cánh đồng không rác thải",
        "Câu lạc bộ dân ca",
        "Ngày Chủ nhật xanh",
        "Tủ sách cộng đồng",
        "Lớp học tình thương",
        "Nuôi con đỡ đầu",
        "Tiếp sức mùa thi",
        "Gia đình 5 không, 3 sạch",
        "Khu dân cư văn hóa kiểu mẫu",
        "Bảo tồn văn hóa truyền thống",
        "Mái ấm công đoàn",
    ],
    // quoc-phong-an-ninh
    &[
        "Camera an ninh",
        "Tổ tự quản an ninh trật tự",
        "Khu dân cư an toàn về an ninh trật tự",
        "Tiếng kẻng an ninh",
        "Dòng họ không có người vi phạm pháp luật",
        "Nhóm liên gia tự quản",
        "Phòng chống ma túy học đường",
        "Tuyến đường tự quản an ninh, trật tự",
        "Nâng bước em tới trường",
        "Mỗi đồn một cụm dân cư",
        "Dân vận khéo trong tuyển quân",
        "Toàn dân tham gia phòng chống tội phạm",
        "Bản cam kết “5 có, 5 không”",
    ],
    // he-thong-chinh-tri
    &[
        "Chi bộ 4 tốt",
        "Ngày thứ bảy cùng dân",
        "Một cửa liên thông thân thiện",
        "Lắng nghe dân nói",
        "Cán bộ, đảng viên gần dân",
        "Đảng viên giúp hộ nghèo",
        "Dân vận chính quyền trong cải cách hành chính",
        "Đối thoại định kỳ giữa người đứng đầu và nhân dân",
        "Trả kết quả thủ tục hành chính tại nhà",
        "Zalo kết nối dân",
        "Đảng viên dẫn đường",
        "Chính quyền thân thiện vì nhân dân phục vụ",
    ],
];

const TAGS: &[&[&str]] = &[
    &[
        "nông thôn mới",
        "giảm nghèo",
        "liên kết sản xuất",
        "cây ăn quả",
        "chuyển đổi cây trồng",
        "hợp tác xã",
        "du lịch cộng đồng",
        "giao thông nông thôn",
        "OCOP",
    ],
    &[
        "an sinh xã hội",
        "khuyến học",
        "môi trường",
        "gia đình văn hóa",
        "chăm sóc người cao tuổi",
        "trẻ em",
        "văn hóa truyền thống",
        "đô thị văn minh",
    ],
    &[
        "an ninh trật tự",
        "phòng chống ma túy",
        "biên giới",
        "tự quản",
        "phòng chống tội phạm",
        "tuyển quân",
    ],
    &[
        "cải cách hành chính",
        "quy chế dân chủ",
        "đối thoại",
        "chuyển đổi số",
        "xây dựng Đảng",
        "dân vận chính quyền",
    ],
];
const COMMON_TAGS: &[&str] = &[
    "dân vận khéo",
    "đồng bào dân tộc thiểu số",
    "phụ nữ",
    "thanh niên",
    "cựu chiến binh",
];

/// Results a model reports: label, unit, range, whether decimals make sense.
const RESULTS: &[&[(&str, &str, u32, u32)]] = &[
    &[
        ("Hộ tham gia liên kết", "hộ", 10, 400),
        ("Diện tích chuyển đổi", "ha", 5, 500),
        ("Thu nhập bình quân", "triệu đồng/ha/năm", 50, 400),
        ("Hộ thoát nghèo", "hộ", 3, 120),
        ("Đường bê tông làm mới", "m", 200, 12000),
        ("Đất nhân dân hiến làm đường", "m²", 100, 20000),
    ],
    &[
        ("Suất ăn phát mỗi tuần", "suất", 50, 800),
        ("Hộ khó khăn được hỗ trợ", "hộ", 5, 300),
        ("Tiền và hiện vật vận động", "triệu đồng", 10, 3000),
        ("Học sinh nhận học bổng", "em", 5, 200),
        ("Nhà nhân ái bàn giao", "căn", 1, 60),
        ("Rác thải được phân loại", "tấn", 1, 500),
    ],
    &[
        ("Camera lắp đặt", "camera", 5, 400),
        ("Vụ việc được phát hiện, tố giác", "vụ", 1, 80),
        ("Hộ ký cam kết", "hộ", 50, 2000),
        ("Thanh niên lên đường nhập ngũ", "thanh niên", 5, 150),
        ("Đối tượng được cảm hóa, giáo dục", "người", 1, 40),
    ],
    &[
        ("Hồ sơ giải quyết đúng hạn", "%", 90, 100),
        ("Ý kiến của nhân dân được tiếp thu", "ý kiến", 10, 500),
        ("Buổi đối thoại", "buổi", 2, 40),
        ("Đảng viên mới kết nạp", "đảng viên", 2, 60),
    ],
];

const PUBLICATIONS: &[(&str, &str)] = &[
    ("Báo Nhân Dân", "nhandan.vn"),
    ("Báo Quân đội nhân dân", "qdnd.vn"),
    ("Tạp chí Dân vận", "danvan.vn"),
    ("Báo Dân tộc và Phát triển", "baodantoc.vn"),
    ("Cổng thông tin Đảng Cộng sản Việt Nam", "dangcongsan.vn"),
    ("Báo Đại đoàn kết", "daidoanket.vn"),
];

// ---------------------------------------------------------------------------
// Sentences. Slots in braces are filled per document (see `Ctx::slot`).

const CONTEXT: &[&str] = &[
    "Mô hình “{ten}” do {chu} xây dựng từ năm {nam}, xuất phát từ thực tế đời sống của bà con ở {xa}, {huyen}.",
    "Trước khi có mô hình, {xa} là địa bàn còn nhiều khó khăn, tỷ lệ hộ nghèo cao, đời sống của một bộ phận nhân dân còn thiếu thốn.",
    "Thực hiện phong trào thi đua “Dân vận khéo” gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, {to_chuc} {xa} đã khảo sát, lựa chọn nội dung sát với nhu cầu của người dân.",
    "Ban Dân vận {huyen_uy} đánh giá đây là một trong những mô hình tiêu biểu của lĩnh vực {linh_vuc} trên địa bàn.",
    "Năm {nam}, qua rà soát, đăng ký mô hình “Dân vận khéo”, chi bộ {thon} thống nhất chọn cách làm này để tập trung chỉ đạo.",
    "Ý tưởng ban đầu đến từ một buổi sinh hoạt chi hội, khi nhiều hội viên phản ánh những khó khăn, vướng mắc trong sản xuất và đời sống.",
    "Địa bàn có {so} hộ với hơn {so_lon} nhân khẩu, trong đó nhiều hộ là đồng bào dân tộc thiểu số, điều kiện kinh tế còn hạn chế.",
    "Thấm nhuần lời Bác dạy “Dân vận khéo thì việc gì cũng thành công”, cấp ủy, chính quyền {xa} xác định phải bắt đầu từ những việc nhỏ, thiết thực nhất với dân.",
    "Mô hình được triển khai trong bối cảnh {tinh} đẩy mạnh thực hiện Nghị quyết số 25-NQ/TW về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới.",
    "Những năm trước, việc vận động nhân dân ở {thon} gặp không ít khó khăn vì tâm lý e ngại, chưa tin vào cách làm mới.",
    "Xuất phát từ tình hình thực tế, {chu} đã mạnh dạn đề xuất với cấp ủy xây dựng mô hình và được Đảng ủy {xa} đồng tình, ủng hộ.",
    "Ngay từ khi triển khai, mô hình đã nhận được sự quan tâm chỉ đạo của Thường trực {huyen_uy} và sự phối hợp của Ủy ban MTTQ Việt Nam {huyen}.",
    "Đây là địa bàn có vị trí quan trọng về quốc phòng, an ninh, nhiều tuyến đường liên xã, liên thôn đi qua.",
    "Theo Ban Dân vận Tỉnh ủy {tinh}, giai đoạn {nam}–{nam2} toàn tỉnh đã đăng ký, xây dựng {so_lon} mô hình “Dân vận khéo” trên các lĩnh vực.",
    "Mô hình gắn với Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ về tăng cường và đổi mới công tác dân vận trong cơ quan hành chính nhà nước, chính quyền các cấp.",
    "Cùng với đó, việc thực hiện Quy chế dân chủ ở cơ sở được cấp ủy {xa} xác định là khâu then chốt để phát huy sức dân.",
];

const METHOD: &[&str] = &[
    "Ban chủ nhiệm mô hình đã phân công từng đảng viên, hội viên phụ trách nhóm hộ, trực tiếp đến từng nhà tuyên truyền, vận động.",
    "Với phương châm “cầm tay chỉ việc”, cán bộ xây dựng các điểm trình diễn để bà con xem trực tiếp rồi làm theo.",
    "Các buổi sinh hoạt được tổ chức định kỳ hằng tháng, lồng ghép nội dung tuyên truyền chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
    "Việc gì có lợi cho dân thì hết sức làm, việc gì có hại cho dân thì hết sức tránh, đó là nguyên tắc mà những người thực hiện mô hình luôn ghi nhớ.",
    "Mô hình thực hiện phương châm “Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”, mọi khoản đóng góp đều được công khai tại nhà văn hóa {thon}.",
    "Cán bộ thôn đi từng ngõ, gõ từng nhà, lắng nghe ý kiến, giải thích cho bà con hiểu lợi ích lâu dài của việc tham gia.",
    "Hội viên nòng cốt được tập huấn kỹ thuật, sau đó trở về hướng dẫn lại cho các hộ trong chi hội.",
    "Để tạo nguồn vốn ban đầu, {to_chuc} phối hợp với Ngân hàng Chính sách xã hội {huyen} giải ngân các khoản vay ưu đãi cho {so} hộ.",
    "Những hộ khó khăn được hỗ trợ giống, vật tư và ngày công lao động; hộ khá giúp hộ nghèo theo hình thức “đổi công”.",
    "Mỗi tháng, tổ tự quản họp một lần để rút kinh nghiệm, biểu dương những hộ làm tốt và nhắc nhở những hộ chưa thực hiện.",
    "Trưởng thôn, bí thư chi bộ và người có uy tín trong cộng đồng được mời tham gia ngay từ đầu, làm gương để bà con noi theo.",
    "Mô hình tận dụng mạng xã hội: nhóm Zalo của {thon} có hơn {so} thành viên, là nơi trao đổi thông tin, phản ánh kiến nghị hằng ngày.",
    "Cán bộ, đảng viên cam kết “nói đi đôi với làm”, xung phong làm trước để nhân dân tin và làm theo.",
    "Kinh phí thực hiện chủ yếu do nhân dân tự nguyện đóng góp, kết hợp với nguồn xã hội hóa từ các doanh nghiệp, nhà hảo tâm trên địa bàn.",
    "Mọi việc đều được bàn bạc dân chủ tại các cuộc họp thôn; khi đã thống nhất thì lập biên bản và công khai để cùng giám sát.",
    "Quá trình triển khai bám sát phương châm “Óc nghĩ, mắt trông, tai nghe, chân đi, miệng nói, tay làm”.",
    "Đoàn viên thanh niên đảm nhận những phần việc nặng, còn các chị hội viên phụ nữ lo công tác hậu cần và vận động gia đình.",
    "Với những trường hợp còn băn khoăn, tổ vận động kiên trì gặp gỡ nhiều lần, có khi phải nhờ người thân, dòng họ cùng thuyết phục.",
    "Các cơ quan chuyên môn của {huyen} hỗ trợ chuyển giao tiến bộ khoa học kỹ thuật và liên kết tiêu thụ sản phẩm.",
    "Hằng quý, Ban Dân vận {huyen_uy} phối hợp khảo sát, đánh giá để kịp thời tháo gỡ khó khăn, vướng mắc.",
    "Lực lượng công an, dân quân thường trực tuần tra vào ban đêm và những ngày lễ, Tết, giữ vững an ninh trật tự trong khu dân cư.",
    "Kết quả thực hiện được đưa vào tiêu chí bình xét gia đình văn hóa, khu dân cư văn hóa hằng năm.",
];

/// One extra pool per field, in the order of `FIELD_IDS`.
const METHOD_BY_FIELD: &[&[&str]] = &[
    &[
        "Bà con được hướng dẫn chuyển đổi diện tích kém hiệu quả sang trồng {cay}, áp dụng quy trình sản xuất an toàn.",
        "Hợp tác xã ký hợp đồng bao tiêu sản phẩm {cay} với doanh nghiệp, giúp người dân yên tâm sản xuất.",
        "Nhiều hộ tự nguyện hiến đất, tháo dỡ tường rào, cây cối để mở rộng đường giao thông nội đồng.",
        "Các hộ nuôi {con} được tập huấn về chuồng trại, phòng bệnh và được hỗ trợ con giống ban đầu.",
    ],
    &[
        "Mỗi tuần, các thành viên góp gạo, góp tiền để trao tận tay những hộ có hoàn cảnh khó khăn.",
        "Các em học sinh nghèo vượt khó được trao học bổng, sách vở vào dịp khai giảng năm học mới.",
        "Tuyến đường hoa, đường điện chiếu sáng được nhân dân tự quản, chăm sóc thường xuyên.",
        "Chị em hội viên được hướng dẫn phân loại rác hữu cơ để ủ phân bón cho vườn nhà.",
    ],
    &[
        "Hệ thống camera được lắp đặt tại các điểm giao cắt, kết nối về trụ sở Công an {xa} để theo dõi.",
        "Người dân được hướng dẫn cách nhận biết, tố giác tội phạm và các hành vi vi phạm pháp luật.",
        "Các gia đình ký cam kết không để con em vi phạm pháp luật, không sử dụng, tàng trữ chất ma túy.",
        "Cán bộ đồn biên phòng phối hợp với già làng, trưởng bản vận động bà con không vượt biên trái phép.",
    ],
    &[
        "Cán bộ một cửa được tập huấn kỹ năng giao tiếp, ứng xử với người dân theo tinh thần “trọng dân, gần dân, hiểu dân, giúp dân”.",
        "Người đứng đầu cấp ủy, chính quyền tổ chức đối thoại định kỳ với nhân dân, trực tiếp trả lời những kiến nghị chính đáng.",
        "Hồ sơ thủ tục hành chính được tiếp nhận, trả kết quả qua dịch vụ công trực tuyến và bưu chính công ích.",
        "Mỗi đảng viên nhận giúp đỡ ít nhất một hộ khó khăn, báo cáo kết quả tại buổi sinh hoạt chi bộ hằng tháng.",
    ],
];

const RESULT_SENTENCES: &[&str] = &[
    "Sau {so_nho} năm thực hiện, mô hình đã giúp {so} hộ thoát nghèo, thu nhập bình quân đầu người tăng rõ rệt.",
    "Đến nay, mô hình đã vận động được hơn {so_lon} triệu đồng cùng hàng nghìn ngày công lao động của nhân dân.",
    "Mô hình được Ủy ban nhân dân {huyen} tặng Giấy khen và được lựa chọn để nhân rộng ra các xã trong huyện.",
    "Từ {so_nho} hộ ban đầu, đến nay đã có hơn {so} hộ tham gia, vượt xa mục tiêu đề ra.",
    "Nhận thức của người dân về {linh_vuc} được nâng lên rõ rệt, nhiều hộ chủ động đăng ký tham gia mà không cần vận động.",
    "Mối quan hệ giữa cấp ủy, chính quyền với nhân dân ngày càng gắn bó, niềm tin của nhân dân được củng cố.",
    "Mô hình đã được giới thiệu tại hội nghị sơ kết phong trào thi đua “Dân vận khéo” của tỉnh {tinh} năm {nam2}.",
    "Từ mô hình, nhiều hộ đã mạnh dạn vay vốn mở rộng sản xuất, có thu nhập từ {so_nho}0 đến {so} triệu đồng mỗi năm.",
    "Trong năm {nam2}, thôn không có trẻ em bỏ học, không có người mắc tệ nạn xã hội, {so} hộ đạt danh hiệu gia đình văn hóa.",
];

/// Results only one field reports, in the order of `FIELD_IDS`.
const RESULT_BY_FIELD: &[&[&str]] = &[
    &[
        "Toàn thôn đã làm mới {so_lon} mét đường bê tông, hơn {so} hộ tự nguyện hiến đất, tháo dỡ công trình để mở rộng đường.",
        "Sản phẩm {cay} của bà con được bao tiêu ổn định, giá bán cao hơn trước từ 15 đến 20%.",
        "Đàn {con} của các hộ thành viên tăng lên {so} con, nhiều hộ có lãi hàng trăm triệu đồng mỗi năm.",
    ],
    &[
        "Các tuyến đường trong thôn được lắp đặt {so} bóng điện chiếu sáng, trồng hoa hai bên, xanh – sạch – đẹp.",
        "Mỗi năm, mô hình trao hàng trăm suất quà cho người già neo đơn, trẻ em mồ côi và hộ nghèo.",
        "Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa trên địa bàn đạt trên 95%.",
    ],
    &[
        "Tình hình an ninh, trật tự trên địa bàn ổn định, không để xảy ra điểm nóng, các vụ việc được hòa giải ngay từ cơ sở.",
        "Tội phạm và tệ nạn xã hội trên địa bàn giảm rõ rệt; {so} tin báo của nhân dân giúp lực lượng công an kịp thời xử lý.",
        "Nhiều năm liền, địa phương hoàn thành 100% chỉ tiêu giao quân, không có thanh niên trốn, bỏ ngũ.",
    ],
    &[
        "Tỷ lệ hồ sơ giải quyết đúng và trước hạn đạt trên 98%, không có hồ sơ tồn đọng, quá hạn.",
        "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính tăng qua từng năm.",
        "Chi bộ nhiều năm liền được công nhận hoàn thành xuất sắc nhiệm vụ, kết nạp thêm {so_nho} đảng viên mới.",
    ],
];

const MEANING: &[&str] = &[
    "Mô hình cho thấy khi cán bộ gần dân, hiểu dân và tin dân thì việc khó mấy cũng làm được.",
    "Bài học rút ra là phải lựa chọn đúng việc dân cần, phát huy vai trò chủ thể của nhân dân và sự vào cuộc của cả hệ thống chính trị.",
    "Thời gian tới, {to_chuc} tiếp tục duy trì, nâng chất mô hình và chia sẻ kinh nghiệm cho các địa phương lân cận.",
    "Ban Dân vận {huyen_uy} đề nghị các xã, thị trấn học tập cách làm này, vận dụng phù hợp với điều kiện từng nơi.",
    "Từ một mô hình nhỏ ở {thon}, cách làm đã lan tỏa, trở thành phong trào chung của {xa}.",
    "Mô hình góp phần thực hiện thắng lợi nghị quyết đại hội Đảng bộ {xa} và các chỉ tiêu xây dựng nông thôn mới.",
    "Điều đáng quý là mô hình không dựa vào nguồn ngân sách lớn mà chủ yếu phát huy sức dân, tình làng nghĩa xóm.",
    "Những kết quả đạt được tuy chưa lớn nhưng đã góp phần củng cố niềm tin của nhân dân đối với Đảng và Nhà nước.",
    "Để mô hình phát triển bền vững, cần tiếp tục quan tâm đào tạo lớp cán bộ trẻ kế cận và huy động thêm nguồn lực xã hội hóa.",
    "Chia sẻ về kinh nghiệm, {nguoi}, {chuc_vu}, cho biết: “Muốn dân tin thì mình phải làm trước, làm thật, làm đến nơi đến chốn”.",
];

const HEADINGS: &[&[&str]] = &[
    &[
        "Cách làm",
        "Cách làm sáng tạo",
        "Quá trình triển khai",
        "Vận động nhân dân cùng làm",
    ],
    &["Kết quả", "Kết quả đạt được", "Hiệu quả thiết thực"],
    &[
        "Bài học kinh nghiệm",
        "Ý nghĩa và hướng nhân rộng",
        "Nhân rộng mô hình",
    ],
];

const STEPS: &[&str] = &[
    "Khảo sát, nắm tình hình và nguyện vọng của nhân dân",
    "Xây dựng kế hoạch, phân công cán bộ, đảng viên phụ trách",
    "Tuyên truyền, vận động bằng nhiều hình thức phù hợp",
    "Tổ chức thực hiện điểm, rút kinh nghiệm rồi nhân rộng",
    "Công khai kết quả, kinh phí để nhân dân giám sát",
    "Sơ kết, khen thưởng kịp thời những tập thể, cá nhân tiêu biểu",
];

const QUOTES: &[&str] = &[
    "> “Dân vận khéo thì việc gì cũng thành công.”\n>\n> — Chủ tịch Hồ Chí Minh",
    "> “Dễ mười lần không dân cũng chịu, khó vạn lần dân liệu cũng xong.”\n>\n> — Chủ tịch Hồ Chí Minh",
    "> “Óc nghĩ, mắt trông, tai nghe, chân đi, miệng nói, tay làm.”\n>\n> — Bài báo “Dân vận” của Chủ tịch Hồ Chí Minh, năm 1949",
];

const CEREMONY_SENTENCES: &[&str] = &[
    "Phát biểu tại buổi lễ, đồng chí {nguoi}, {chuc_vu}, ghi nhận những đóng góp của các tập thể, cá nhân trong phong trào thi đua “Dân vận khéo”.",
    "Báo cáo cho biết, phong trào đã đi vào đời sống xã hội, tập hợp, vận động được đông đảo các tầng lớp nhân dân tham gia.",
    "Các mô hình tập trung vào những lĩnh vực mà nhân dân quan tâm, phù hợp với điều kiện của từng địa phương, cơ quan, đơn vị.",
    "Công tác dân vận của chính quyền có nhiều chuyển biến tích cực, nhất là trong cải cách thủ tục hành chính và tiếp công dân.",
    "Bên cạnh kết quả đạt được, phong trào vẫn còn hạn chế: một số mô hình chưa bền vững, việc nhân rộng còn chậm.",
    "Hội nghị đề ra nhiệm vụ tiếp tục đổi mới nội dung, phương thức vận động nhân dân, phát hiện và nhân rộng các điển hình mới.",
    "Đồng chí đề nghị các cấp ủy, chính quyền quan tâm hơn nữa đến việc khen thưởng kịp thời những tập thể, cá nhân tiêu biểu.",
    "Nhiều tham luận tại hội nghị chia sẻ cách làm hay trong vận động nhân dân hiến đất làm đường, giữ gìn an ninh trật tự.",
    "Các mô hình được tuyên dương là những cách làm hay, sáng tạo, sát với thực tiễn, đem lại hiệu quả thiết thực cho nhân dân.",
    "Phong trào thi đua “Dân vận khéo” tiếp tục khơi dậy và phát huy vai trò chủ thể của người dân trong xây dựng nông thôn mới, đô thị văn minh.",
];

const ROLES: &[&str] = &[
    "Trưởng ban Dân vận",
    "Phó Trưởng ban Dân vận",
    "Phó Bí thư Thường trực",
    "Chủ tịch Ủy ban MTTQ Việt Nam",
    "Phó Chủ tịch UBND",
    "Bí thư",
    "Trưởng thôn",
    "Chủ tịch Hội Nông dân",
    "Chủ tịch Hội Liên hiệp Phụ nữ",
];

// ---------------------------------------------------------------------------
// Plans: what each document says, decided before any file is written so
// ceremonies can list the models that name them, and the other way round.

#[derive(Clone)]
struct Place {
    province: usize,
    district: usize,
    /// Capitalised, as in a place list: "Xã Tân Lập", "Phường 3".
    commune: String,
    village: String,
}

struct Recognition {
    level: &'static str,
    year: u32,
    by: String,
    award: &'static str,
    ceremony: Option<usize>,
    decision: String,
}

struct ModelPlan {
    slug: String,
    /// File stem; differs from the slug when `slug:` is written.
    stem: String,
    id: String,
    title: String,
    /// What the model does, e.g. "Hũ gạo tình thương".
    subject: String,
    field: usize,
    kind: &'static str,
    place: Place,
    /// Place levels written (2 to 4); 2 after the 2025 reform.
    place_levels: usize,
    org: usize,
    second_org: Option<usize>,
    owner: String,
    owner_role: Option<String>,
    start: u32,
    end: Option<u32>,
    date: (u32, u32, u32),
    status: &'static str,
    recognitions: Vec<Recognition>,
    replicated_from: Vec<usize>,
    public: bool,
    draft: bool,
    crop: &'static str,
    animal: &'static str,
}

struct Honoree {
    model: usize,
    award: &'static str,
    by: String,
    decision: String,
}

struct CeremonyPlan {
    slug: String,
    id: String,
    title: String,
    event_type: &'static str,
    level: &'static str,
    place: Place,
    date: (u32, u32, u32),
    organizer: String,
    honorees: Vec<Honoree>,
}

struct Corpus {
    ceremonies: Vec<CeremonyPlan>,
    models: Vec<ModelPlan>,
}

struct Gen {
    rng: Rng,
    photos: bool,
    ids: HashSet<String>,
    slugs: HashSet<String>,
    /// Sentences already used in the document being written.
    used: Vec<&'static str>,
    /// Ceremony indices by year, for recognitions that name one.
    ceremonies_by_year: BTreeMap<u32, Vec<usize>>,
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Centrally governed cities are "thành phố", with a "Thành ủy".
fn is_city(province: &str) -> bool {
    province.starts_with("TP.")
        || ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"].contains(&province)
}

/// "tỉnh Sơn La", "thành phố Hà Nội", "TP. Hồ Chí Minh".
fn province_phrase(province: &str) -> String {
    if province.starts_with("TP.") {
        province.to_string()
    } else if is_city(province) {
        format!("thành phố {province}")
    } else {
        format!("tỉnh {province}")
    }
}

/// "Tỉnh ủy Sơn La", "Thành ủy Hà Nội".
fn province_party_committee(province: &str) -> String {
    if is_city(province) {
        format!("Thành ủy {province}")
    } else {
        format!("Tỉnh ủy {province}")
    }
}

fn district_party_committee(district: &str) -> String {
    // "Huyện Tam Đường" → "Huyện ủy Tam Đường"; "Quận 1" → "Quận ủy Quận 1".
    for (prefix, committee) in [
        ("Huyện ", "Huyện ủy "),
        ("Quận ", "Quận ủy "),
        ("Thị xã ", "Thị ủy "),
        ("Thành phố ", "Thành ủy "),
    ] {
        if let Some(rest) = district.strip_prefix(prefix) {
            if rest.chars().all(|c| c.is_ascii_digit()) {
                return format!("{committee}{district}");
            }
            return format!("{committee}{rest}");
        }
    }
    format!("Đảng ủy {district}")
}

impl Gen {
    fn new(seed: u64, photos: bool) -> Self {
        Self {
            rng: Rng(seed ^ 0x6469_656e_6869_6e68),
            photos,
            ids: HashSet::new(),
            slugs: HashSet::new(),
            used: Vec::new(),
            ceremonies_by_year: BTreeMap::new(),
        }
    }

    /// A fresh 5-character id: a letter first and at least one digit, so
    /// YAML never reads it as a number, a boolean or null.
    fn id(&mut self) -> String {
        const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
        const ALNUM: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
        loop {
            let mut s = String::with_capacity(5);
            s.push(*self.rng.pick(LETTERS) as char);
            for _ in 0..4 {
                s.push(*self.rng.pick(ALNUM) as char);
            }
            if s.bytes().any(|b| b.is_ascii_digit()) && self.ids.insert(s.clone()) {
                return s;
            }
        }
    }

    /// A slug from the title, at most about 60 characters, unique.
    fn slug(&mut self, title: &str) -> String {
        let full = dienhinh::vi::slugify(title);
        let mut base = String::new();
        for part in full.split('-') {
            if !base.is_empty() && base.len() + part.len() > 60 {
                break;
            }
            if !base.is_empty() {
                base.push('-');
            }
            base.push_str(part);
        }
        let mut slug = base.clone();
        let mut n = 2;
        while !self.slugs.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }

    fn province(&mut self) -> usize {
        let w: Vec<u32> = PROVINCES.iter().map(|p| p.weight).collect();
        self.rng.weighted(&w)
    }

    fn place_in(&mut self, province: usize) -> Place {
        let p = &PROVINCES[province];
        let district = self.rng.below(p.districts.len());
        let urban = p.districts[district].starts_with("Quận");
        let commune = if urban && self.rng.chance(0.6) {
            format!("Phường {}", self.rng.pick(WARD_NUMBERS))
        } else if urban {
            format!("Phường {}", self.rng.pick(COMMUNE_NAMES))
        } else if self.rng.chance(0.1) {
            format!("Thị trấn {}", self.rng.pick(COMMUNE_NAMES))
        } else {
            format!("Xã {}", self.rng.pick(COMMUNE_NAMES))
        };
        let prefix = if urban {
            *self.rng.pick(&["Khu phố", "Tổ dân phố"])
        } else {
            *self.rng.pick(VILLAGE_PREFIXES)
        };
        let village = format!("{prefix} {}", self.rng.pick(VILLAGE_NAMES));
        Place {
            province,
            district,
            commune,
            village,
        }
    }

    fn person(&mut self, female: bool) -> String {
        let family = self.rng.choose(FAMILY);
        let (middle, given) = if female {
            (self.rng.pick(MIDDLE_FEMALE), self.rng.pick(GIVEN_FEMALE))
        } else {
            (self.rng.pick(MIDDLE_MALE), self.rng.pick(GIVEN_MALE))
        };
        format!("{family} {middle} {given}")
    }

    /// A dated year: more models in recent years, as the movement grew.
    fn year(&mut self) -> u32 {
        let w: Vec<u32> = (2009..=2025).map(|y| 4 + (y - 2009)).collect();
        2009 + self.rng.weighted(&w) as u32
    }

    fn decision(&mut self, year: u32, by: &str) -> String {
        let n = self.rng.range(12, 4999);
        let suffix = if by.contains("Ban Dân vận") {
            "QĐ-BDV"
        } else if by.contains("Tỉnh ủy") || by.contains("Thành ủy") {
            "QĐ-TU"
        } else {
            "QĐ-UBND"
        };
        if self.rng.chance(0.5) {
            let (m, d) = (self.rng.range(1, 12), self.rng.range(1, 28));
            format!("Quyết định số {n}/{suffix} ngày {d:02}/{m:02}/{year}")
        } else {
            format!("Quyết định số {n}/{suffix}")
        }
    }

    /// Who gives an award at a level, worded as published.
    fn awarder(&mut self, level: &str, place: &Place) -> String {
        let p = &PROVINCES[place.province];
        let district = p.districts[place.district];
        match level {
            "co-so" => format!("UBND {}", lower_first(&place.commune)),
            "cap-huyen" => {
                if self.rng.chance(0.7) {
                    format!("UBND {}", lower_first(district))
                } else {
                    format!("Ban Dân vận {}", district_party_committee(district))
                }
            }
            "cap-tinh" => {
                if self.rng.chance(0.6) {
                    format!("UBND {}", province_phrase(p.name))
                } else {
                    format!("Ban Dân vận {}", province_party_committee(p.name))
                }
            }
            _ => "Ban Dân vận Trung ương".to_string(),
        }
    }

    fn plan_ceremonies(&mut self, n: usize) -> Vec<CeremonyPlan> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let event_type = self.rng.choose(&[
                ("tuyen-duong", 40),
                ("bieu-duong", 15),
                ("so-ket", 12),
                ("tong-ket", 15),
                ("hoi-thi", 8),
                ("hop-mat", 6),
                ("trao-doi", 4),
            ]);
            let level = self.rng.choose(&[
                ("cap-huyen", 55),
                ("cap-tinh", 30),
                ("co-so", 10),
                ("trung-uong", 5),
            ]);
            let province = if level == "trung-uong" {
                0
            } else {
                self.province()
            };
            let place = self.place_in(province);
            let year = 2010 + self.rng.below(16) as u32;
            let (month, day) = match event_type {
                "tong-ket" => (1, self.rng.range(5, 28)),
                "hop-mat" => (10, self.rng.range(10, 16)),
                "tuyen-duong" if self.rng.chance(0.6) => (10, self.rng.range(8, 20)),
                _ => (self.rng.range(3, 12), self.rng.range(1, 28)),
            };
            let p = &PROVINCES[province];
            let district = p.districts[place.district];
            let where_ = match level {
                "co-so" => format!(
                    "{} ({})",
                    lower_first(&place.commune),
                    lower_first(district)
                ),
                "cap-huyen" => lower_first(district),
                "cap-tinh" => province_phrase(p.name),
                _ => "toàn quốc".to_string(),
            };
            let k = self.rng.range(2, 5);
            let title = match event_type {
                "tuyen-duong" => {
                    format!("Tuyên dương điển hình “Dân vận khéo” {where_} năm {year}")
                }
                "bieu-duong" => format!(
                    "Biểu dương mô hình, điển hình “Dân vận khéo” {where_} giai đoạn {}–{year}",
                    year - 5
                ),
                "so-ket" => format!("Sơ kết {k} năm phong trào thi đua “Dân vận khéo” {where_}"),
                "tong-ket" => format!(
                    "Hội nghị tổng kết phong trào thi đua “Dân vận khéo” năm {} {where_}",
                    year - 1
                ),
                "hoi-thi" => format!("Hội thi “Dân vận khéo” {where_} lần thứ {k}, năm {year}"),
                "hop-mat" => format!(
                    "Kỷ niệm {} năm Ngày truyền thống công tác Dân vận của Đảng, {where_}",
                    year - 1930
                ),
                _ => format!(
                    "Trao đổi kinh nghiệm xây dựng mô hình “Dân vận khéo” {where_} năm {year}"
                ),
            };
            let organizer = match level {
                "co-so" => format!("Đảng ủy {}", lower_first(&place.commune)),
                "cap-huyen" => format!("Ban Dân vận {}", district_party_committee(district)),
                "cap-tinh" => format!("Ban Dân vận {}", province_party_committee(p.name)),
                _ => "Ban Dân vận Trung ương".into(),
            };
            let slug = self.slug(&title);
            let id = self.id();
            self.ceremonies_by_year.entry(year).or_default().push(i);
            out.push(CeremonyPlan {
                slug,
                id,
                title,
                event_type,
                level,
                place,
                date: (year, month, day),
                organizer,
                honorees: Vec::new(),
            });
        }
        out
    }

    fn plan_models(&mut self, n: usize, corpus: &mut Corpus) {
        for i in 0..n {
            let m = self.plan_model(i, corpus);
            corpus.models.push(m);
        }
    }

    fn plan_model(&mut self, index: usize, corpus: &mut Corpus) -> ModelPlan {
        let field = self.rng.choose(FIELDS);
        let kind = self.rng.choose(KINDS);
        let province = self.province();
        let place = self.place_in(province);
        let start = self.year();
        let crop = *self.rng.pick(CROPS);
        let animal = *self.rng.pick(ANIMALS);
        let subject = self
            .rng
            .pick(SUBJECTS[field])
            .replace("{cay}", crop)
            .replace("{con}", animal);
        let p = &PROVINCES[province];
        let district = p.districts[place.district];
        let where_ = if self.rng.chance(0.7) {
            lower_first(&place.commune)
        } else {
            lower_first(&place.village)
        };
        let org = {
            let w: Vec<u32> = ORGS.iter().map(|o| o.2).collect();
            self.rng.weighted(&w)
        };
        let female = self.rng.chance(if ORGS[org].0 == "hoi-phu-nu" {
            0.95
        } else {
            0.35
        });
        let person = self.person(female);
        let public = kind == "tap-the" || !self.rng.chance(0.2);
        let (title, owner, owner_role) = match kind {
            _ if !public => {
                // Not to be named in public: the title must not name them.
                let role = format!("Hội viên {} {}", ORGS[org].1, lower_first(&place.commune));
                let owner = if kind == "ca-nhan" {
                    person.clone()
                } else {
                    format!("Gia đình {} {person}", if female { "bà" } else { "ông" })
                };
                (
                    format!("{subject} ở {where_}, {}", lower_first(district)),
                    owner,
                    (kind == "ca-nhan").then_some(role),
                )
            }
            "tap-the" => {
                let unit = ORGS[org].1;
                let at = if ["quan-su", "cong-an", "bien-phong"].contains(&ORGS[org].0)
                    && self.rng.chance(0.5)
                {
                    lower_first(district)
                } else {
                    lower_first(&place.commune)
                };
                (
                    format!("{subject} ở {where_}, {}", lower_first(district)),
                    format!("{unit} {at}"),
                    None,
                )
            }
            "ca-nhan" => {
                let role = format!("{} {}", self.rng.pick(ROLES), lower_first(&place.commune));
                (
                    format!("{person}: {}", lower_first(&subject)),
                    person.clone(),
                    Some(role),
                )
            }
            _ => {
                let head = if female { "bà" } else { "ông" };
                (
                    format!(
                        "Gia đình {head} {person} với mô hình {}",
                        lower_first(&subject)
                    ),
                    format!("Gia đình {head} {person}"),
                    None,
                )
            }
        };
        let slug = self.slug(&title);
        let stem = if self.rng.chance(0.05) {
            format!("{start}-{slug}")
        } else {
            slug.clone()
        };
        let id = self.id();
        // After the 2025 reform there are no districts: two levels.
        let last_year = if start == 2025 {
            2025
        } else {
            (start + self.rng.range(0, 5)).min(2025)
        };
        let (month, day) = (self.rng.range(1, 12), self.rng.range(1, 28));
        let date = (last_year, month, day);
        let place_levels = if date.0 == 2025 && month >= 7 {
            2
        } else {
            *self.rng.pick(&[2, 3, 3, 3, 4, 4])
        };
        let status = self.rng.choose(STATUSES);
        let recognized = matches!(status, "cong-nhan" | "nhan-rong");
        let mut recognitions = Vec::new();
        let count = if recognized {
            1 + self.rng.weighted(&[50, 30, 15, 5])
        } else if status == "tham-dinh" {
            self.rng.weighted(&[70, 30])
        } else {
            0
        };
        let mut level_rank = 0;
        for r in 0..count {
            let year = (start + r as u32 + self.rng.range(0, 2)).min(2025);
            let mut level = self.rng.choose(LEVELS);
            // Recognitions climb the levels over the years, never down.
            let rank = LEVELS.iter().position(|l| l.0 == level).unwrap_or(0);
            if rank < level_rank {
                level = LEVELS[level_rank].0;
            }
            level_rank = level_rank.max(rank);
            let ceremony = self.find_ceremony(corpus, year, level, province);
            let by = match ceremony {
                Some(c) => {
                    let cp = &corpus.ceremonies[c];
                    self.awarder(cp.level, &cp.place)
                }
                None => self.awarder(level, &place),
            };
            let level = ceremony.map_or(level, |c| corpus.ceremonies[c].level);
            let award_table = AWARDS_BY_LEVEL
                .iter()
                .find(|(l, _)| *l == level)
                .map_or(&[("giay-khen", 1)][..], |(_, t)| t);
            let award = self.rng.choose(award_table);
            let decision = self.decision(year, &by);
            recognitions.push(Recognition {
                level,
                year,
                by,
                award,
                ceremony,
                decision,
            });
        }
        let draft = self.rng.chance(0.01);
        if !draft {
            for r in &recognitions {
                if let Some(c) = r.ceremony {
                    corpus.ceremonies[c].honorees.push(Honoree {
                        model: index,
                        award: r.award,
                        by: r.by.clone(),
                        decision: r.decision.clone(),
                    });
                }
            }
        }
        // Copies of an earlier model of the same field; drafts are never
        // named, since a reference to an unpublished model is an error.
        let mut replicated_from = Vec::new();
        if index > 20 && self.rng.chance(0.08) {
            for _ in 0..self.rng.range(1, 2) {
                let j = self.rng.below(index);
                let src = &corpus.models[j];
                if !src.draft && src.field == field && !replicated_from.contains(&j) {
                    replicated_from.push(j);
                }
            }
        }
        ModelPlan {
            slug,
            stem,
            id,
            title,
            subject,
            field,
            kind,
            place,
            place_levels,
            org,
            second_org: self
                .rng
                .chance(0.3)
                .then(|| {
                    let w: Vec<u32> = ORGS.iter().map(|o| o.2).collect();
                    self.rng.weighted(&w)
                })
                .filter(|o| *o != org),
            owner,
            owner_role,
            start,
            end: (self.rng.chance(0.4) && last_year > start).then_some(last_year),
            date,
            status,
            recognitions,
            replicated_from,
            public,
            draft,
            crop,
            animal,
        }
    }

    /// A ceremony of that year, preferably in the same province, that a
    /// recognition may name (about half of them do).
    fn find_ceremony(
        &mut self,
        corpus: &Corpus,
        year: u32,
        level: &str,
        province: usize,
    ) -> Option<usize> {
        if !self.rng.chance(0.55) {
            return None;
        }
        let list = self.ceremonies_by_year.get(&year)?.clone();
        let same: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&c| {
                let cp = &corpus.ceremonies[c];
                cp.place.province == province && (cp.level == level || self.rng.chance(0.3))
            })
            .collect();
        if !same.is_empty() {
            return Some(*self.rng.pick(&same));
        }
        let national: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&c| corpus.ceremonies[c].level == "trung-uong")
            .collect();
        (!national.is_empty() && self.rng.chance(0.3)).then(|| *self.rng.pick(&national))
    }

    // -----------------------------------------------------------------------
    // Writing.

    fn write_all(&mut self, corpus: &Corpus) -> Vec<(String, Vec<u8>)> {
        let mut files = vec![
            ("site.yaml".to_string(), site_yaml().into_bytes()),
            (
                "content/gioi-thieu.md".to_string(),
                about_page(corpus).into_bytes(),
            ),
        ];
        if self.photos {
            files.extend(photos());
        }
        for m in &corpus.models {
            let text = self.model_file(m, corpus);
            let text = self.spelling(text);
            files.push((format!("content/mo-hinh/{}.md", m.stem), text.into_bytes()));
        }
        for c in &corpus.ceremonies {
            let text = self.ceremony_file(c, corpus);
            let text = self.spelling(text);
            files.push((
                format!("content/tuyen-duong/{}.md", c.slug),
                text.into_bytes(),
            ));
        }
        files
    }

    /// About 5% of files arrive in NFD (macOS, some Windows editors), 3%
    /// typed without diacritics (old keyboards, SMS habits).
    fn spelling(&mut self, text: String) -> String {
        let x = self.rng.unit();
        if x < 0.05 {
            text.nfd().collect()
        } else if x < 0.08 {
            strip_diacritics(&text)
        } else {
            text
        }
    }

    fn ctx<'a>(&mut self, m: &'a ModelPlan) -> Ctx<'a> {
        let p = &PROVINCES[m.place.province];
        let district = p.districts[m.place.district];
        let leader_female = self.rng.chance(0.4);
        Ctx {
            title: &m.title,
            owner: if m.public {
                m.owner.clone()
            } else {
                match m.kind {
                    "ho-gia-dinh" => "một hộ gia đình".into(),
                    _ => "một hội viên".into(),
                }
            },
            commune: lower_first(&m.place.commune),
            district: lower_first(district),
            district_committee: district_party_committee(district),
            province: p.name,
            village: lower_first(&m.place.village),
            year: m.start,
            year2: m.date.0,
            org: ORGS[m.org].1,
            field: FIELD_PROSE[m.field],
            crop: m.crop,
            animal: m.animal,
            person: self.person(leader_female),
            role: format!("{} {}", self.rng.pick(ROLES), lower_first(&m.place.commune)),
        }
    }

    fn model_file(&mut self, m: &ModelPlan, corpus: &Corpus) -> String {
        let mut f = String::with_capacity(8192);
        f.push_str("---\n");
        let _ = writeln!(f, "id: {}", m.id);
        let _ = writeln!(f, "title: {}", q(&m.title));
        if m.stem != m.slug {
            let _ = writeln!(f, "slug: {}", m.slug);
        }
        let ctx = self.ctx(m);
        let summary_given = self.rng.chance(0.7);
        if summary_given {
            let template = self.pick_from(RESULT_SENTENCES);
            let result = self.fill(template, &ctx);
            let s = format!(
                "Mô hình “Dân vận khéo” {} của {} ở {}, {}. {result}",
                lower_first(&m.subject),
                ctx.owner,
                ctx.commune,
                ctx.district
            );
            let _ = writeln!(f, "summary: {}", q(&s));
        }
        let _ = writeln!(
            f,
            "field: {}",
            self.spell(FIELD_IDS[m.field], FIELD_SPELLINGS[m.field])
        );
        let kind_spelling = KIND_SPELLINGS.iter().find(|k| k.0 == m.kind).map(|k| k.1);
        let _ = writeln!(
            f,
            "kind: {}",
            self.spell(m.kind, &kind_spelling.into_iter().collect::<Vec<_>>())
        );
        match &m.owner_role {
            Some(role) => {
                let _ = writeln!(f, "owner: {{name: {}, role: {}}}", q(&m.owner), q(role));
            }
            None => {
                let _ = writeln!(f, "owner: {}", q(&m.owner));
            }
        }
        let mut orgs = vec![self.org_spelling(m.org)];
        if let Some(o) = m.second_org {
            orgs.push(self.org_spelling(o));
        }
        let _ = writeln!(f, "organizations: [{}]", orgs.join(", "));
        let _ = writeln!(
            f,
            "place: [{}]",
            self.place_list(&m.place, m.place_levels, m.date.0 == 2025 && m.date.1 >= 7)
                .join(", ")
        );
        match m.end {
            Some(end) => {
                let _ = writeln!(f, "period: {}-{end}", m.start);
            }
            None if self.rng.chance(0.5) => {
                let _ = writeln!(f, "period: {}", m.start);
            }
            None => {}
        }
        let _ = writeln!(f, "date: {}", iso(m.date));
        let status_spelling = STATUS_SPELLINGS
            .iter()
            .find(|s| s.0 == m.status)
            .map(|s| s.1);
        let _ = writeln!(
            f,
            "status: {}",
            self.spell(m.status, &status_spelling.into_iter().collect::<Vec<_>>())
        );
        self.history(&mut f, m);
        if !m.recognitions.is_empty() {
            f.push_str("recognitions:\n");
            for r in &m.recognitions {
                let level_spelling = LEVEL_SPELLINGS.iter().find(|l| l.0 == r.level).map(|l| l.1);
                let level = self.spell(r.level, &level_spelling.into_iter().collect::<Vec<_>>());
                let _ = write!(
                    f,
                    "  - {{level: {level}, year: {}, by: {}, award: {}",
                    r.year,
                    q(&r.by),
                    r.award
                );
                if let Some(c) = r.ceremony {
                    let cp = &corpus.ceremonies[c];
                    let key = if self.rng.chance(0.6) {
                        &cp.slug
                    } else {
                        &cp.id
                    };
                    let _ = write!(f, ", ceremony: {key}");
                }
                let _ = writeln!(f, ", decision: {}}}", q(&r.decision));
            }
        }
        self.results(&mut f, m);
        if !m.replicated_from.is_empty() {
            let keys: Vec<&str> = m
                .replicated_from
                .iter()
                .map(|&j| {
                    let src = &corpus.models[j];
                    if self.rng.chance(0.5) {
                        src.slug.as_str()
                    } else {
                        src.id.as_str()
                    }
                })
                .collect();
            let _ = writeln!(f, "replicated_from: [{}]", keys.join(", "));
        }
        let mut tags: Vec<&str> = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let t = if self.rng.chance(0.8) {
                *self.rng.pick(TAGS[m.field])
            } else {
                *self.rng.pick(COMMON_TAGS)
            };
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let _ = writeln!(
            f,
            "tags: [{}]",
            tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
        );
        if self.photos && self.rng.chance(0.05) {
            let n = self.rng.below(PHOTO_COUNT);
            let _ = writeln!(
                f,
                "images:\n  - src: anh/hoat-dong-{n:02}.png\n    alt: {}\n    caption: {}\n    credit: {}",
                q(&format!("Hình vẽ minh họa hoạt động của mô hình {}", m.title)),
                q(&format!("Hoạt động của mô hình tại {}", ctx.commune)),
                q("Hình vẽ của gen_corpus")
            );
        }
        self.sources(&mut f, m, &ctx);
        if self.rng.chance(0.03) {
            let _ = writeln!(f, "aliases: [/bai-cu/{}/]", m.slug);
        }
        if !m.public {
            f.push_str("public: false\n");
        }
        if m.draft {
            f.push_str("draft: true\n");
        } else if self.rng.chance(0.02) {
            f.push_str("draft: false\n");
        }
        f.push_str("---\n");
        self.model_body(&mut f, m, &ctx);
        f
    }

    fn pick_from(&mut self, pool: &'static [&'static str]) -> &'static str {
        self.rng.pick::<&str>(pool)
    }

    /// The id most of the time, else a label or alias (folded to the id).
    fn spell(&mut self, id: &'static str, others: &[&'static str]) -> String {
        if !others.is_empty() && self.rng.chance(0.12) {
            q(self.rng.pick::<&str>(others))
        } else {
            id.to_string()
        }
    }

    fn org_spelling(&mut self, org: usize) -> String {
        let id = ORGS[org].0;
        match ORG_SPELLINGS.iter().find(|s| s.0 == id) {
            Some((_, s)) if self.rng.chance(0.12) => q(s),
            _ => id.to_string(),
        }
    }

    fn place_list(&mut self, place: &Place, levels: usize, reformed: bool) -> Vec<String> {
        let p = &PROVINCES[place.province];
        let province = if reformed {
            p.successor.unwrap_or(p.name).to_string()
        } else if p.name == "TP. Hồ Chí Minh" && self.rng.chance(0.2) {
            // Spellings the place register merges.
            self.rng
                .pick(&["TP.HCM", "TPHCM", "Thành phố Hồ Chí Minh"])
                .to_string()
        } else {
            p.name.to_string()
        };
        let mut out = vec![province];
        if reformed {
            out.push(place.commune.clone());
            return out.into_iter().map(|s| q(&s)).collect();
        }
        out.push(p.districts[place.district].to_string());
        if levels >= 3 {
            out.push(place.commune.clone());
        }
        if levels >= 4 {
            out.push(place.village.clone());
        }
        out.into_iter().map(|s| q(&s)).collect()
    }

    /// The path to the current status, with dates in order.
    fn history(&mut self, f: &mut String, m: &ModelPlan) {
        if !self.rng.chance(0.6) {
            return;
        }
        let last = STATUS_ORDER.iter().position(|s| *s == m.status);
        let steps: Vec<&str> = match last {
            Some(i) => STATUS_ORDER[..=i].to_vec(),
            None => vec!["dang-ky", "thuc-hien", "dung"],
        };
        f.push_str("history:\n");
        let span_days = ((m.date.0 - m.start) * 365 + 60).max(steps.len() as u32 * 20);
        let step = span_days / steps.len() as u32;
        for (i, s) in steps.iter().enumerate() {
            let offset = i as u32 * step + self.rng.range(0, step / 2);
            let _ = writeln!(
                f,
                "  - {{status: {s}, date: {}}}",
                iso(add_days((m.start, 1, 1), offset))
            );
        }
    }

    fn results(&mut self, f: &mut String, m: &ModelPlan) {
        let n = self.rng.weighted(&[20, 35, 30, 15]);
        if n == 0 {
            return;
        }
        f.push_str("results:\n");
        let pool = RESULTS[m.field];
        let mut used = Vec::new();
        for _ in 0..n {
            let i = self.rng.below(pool.len());
            if used.contains(&i) {
                continue;
            }
            used.push(i);
            let (label, unit, lo, hi) = pool[i];
            let value = if unit == "%" {
                format!("{}.{}", self.rng.range(lo, hi - 1), self.rng.range(0, 9))
            } else {
                self.rng.range(lo, hi).to_string()
            };
            let _ = write!(
                f,
                "  - {{label: {}, value: {value}, unit: {}",
                q(label),
                q(unit)
            );
            let qual = self
                .rng
                .choose(&[("", 60), ("hon", 25), ("gan", 8), ("khoang", 7)]);
            if !qual.is_empty() {
                let _ = write!(f, ", qualifier: {qual}");
            }
            f.push_str("}\n");
        }
    }

    fn sources(&mut self, f: &mut String, m: &ModelPlan, ctx: &Ctx) {
        let n = self.rng.weighted(&[15, 60, 25]);
        if n == 0 {
            return;
        }
        f.push_str("sources:\n");
        for k in 0..n {
            let local = k == 0 && self.rng.chance(0.6);
            let (publication, domain) = if local {
                let name = strip_diacritics(ctx.province)
                    .to_lowercase()
                    .replace([' ', '.'], "");
                (format!("Báo {}", ctx.province), format!("bao{name}.vn"))
            } else {
                let (p, d) = self.rng.pick(PUBLICATIONS);
                (p.to_string(), d.to_string())
            };
            let year = (m.date.0).max(m.start);
            let date = (year, self.rng.range(1, 12), self.rng.range(1, 28));
            let words: String = m.slug.split('-').take(6).collect::<Vec<_>>().join("-");
            let _ = writeln!(
                f,
                "  - url: https://{domain}/{words}-{}.html",
                self.rng.range(10000, 999999)
            );
            let _ = writeln!(f, "    publication: {}", q(&publication));
            let _ = writeln!(
                f,
                "    title: {}",
                q(&format!("{}: {}", ctx.district_title(), m.title))
            );
            let _ = writeln!(f, "    date: {}", iso(date));
        }
    }

    fn fill(&mut self, template: &str, ctx: &Ctx) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            self.slot(&after[..close], ctx, &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn slot(&mut self, name: &str, ctx: &Ctx, out: &mut String) {
        match name {
            "ten" => out.push_str(ctx.title),
            "chu" => out.push_str(&ctx.owner),
            "xa" => out.push_str(&ctx.commune),
            "huyen" => out.push_str(&ctx.district),
            "huyen_uy" => out.push_str(&ctx.district_committee),
            "tinh" => out.push_str(ctx.province),
            "thon" => out.push_str(&ctx.village),
            "nam" => {
                let _ = write!(out, "{}", ctx.year);
            }
            "nam2" => {
                let _ = write!(out, "{}", ctx.year2);
            }
            "to_chuc" => out.push_str(ctx.org),
            "linh_vuc" => out.push_str(ctx.field),
            "cay" => out.push_str(ctx.crop),
            "con" => out.push_str(ctx.animal),
            "nguoi" => out.push_str(&ctx.person),
            "chuc_vu" => out.push_str(&ctx.role),
            "so_nho" => {
                let _ = write!(out, "{}", self.rng.range(2, 9));
            }
            "so" => {
                let _ = write!(out, "{}", self.rng.range(12, 480));
            }
            "so_lon" => out.push_str(&vi_number(self.rng.range(1200, 98000))),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }

    /// Sentences from `pools`, avoiding those the document already used
    /// (long bodies may exhaust a pool and repeat).
    fn paragraph(&mut self, pools: &[&[&'static str]], (lo, hi): (u32, u32), ctx: &Ctx) -> String {
        let sentences = self.rng.range(lo, hi);
        let mut out = String::new();
        for _ in 0..sentences {
            let mut s = "";
            for _ in 0..8 {
                let pool = pools[self.rng.below(pools.len())];
                s = *self.rng.pick(pool);
                if !self.used.contains(&s) {
                    break;
                }
            }
            self.used.push(s);
            if !out.is_empty() {
                out.push(' ');
            }
            let filled = self.fill(s, ctx);
            out.push_str(&filled);
        }
        out
    }

    fn model_body(&mut self, f: &mut String, m: &ModelPlan, ctx: &Ctx) {
        // 300–1,500 words, most bodies near the short end as in the press.
        let target = 300 + (self.rng.unit().powf(1.7) * 1200.0) as usize;
        self.used.clear();
        let start = f.len();
        let words = |f: &String| f[start..].split_whitespace().count();
        let intro = self.paragraph(&[CONTEXT], (2, 4), ctx);
        f.push_str(&intro);
        f.push_str("\n\n");
        let method_pools: &[&[&str]] = &[METHOD, METHOD_BY_FIELD[m.field]];
        let mut section = 0;
        let mut footnote = false;
        while words(f) < target {
            let heading = self.rng.pick(HEADINGS[section % HEADINGS.len()]);
            let _ = write!(f, "## {heading}\n\n");
            let pools: &[&[&str]] = match section % 3 {
                0 => method_pools,
                1 => &[RESULT_SENTENCES, RESULT_BY_FIELD[m.field]],
                _ => &[MEANING, CONTEXT],
            };
            for _ in 0..self.rng.range(1, 3) {
                let p = self.paragraph(pools, (3, 6), ctx);
                f.push_str(&p);
                f.push_str("\n\n");
                if words(f) >= target {
                    break;
                }
            }
            match (section % 3, self.rng.below(6)) {
                (0, 0 | 1) => {
                    for step in STEPS.iter().take(self.rng.range(3, 6) as usize) {
                        let _ = writeln!(f, "- {step};");
                    }
                    f.push('\n');
                }
                (1, 0 | 1) => {
                    f.push_str("| Chỉ tiêu | Kết quả |\n|---|---:|\n");
                    for (label, unit, lo, hi) in RESULTS[m.field].iter().take(3) {
                        let _ = writeln!(
                            f,
                            "| {label} | {} {unit} |",
                            vi_number(self.rng.range(*lo, *hi))
                        );
                    }
                    f.push('\n');
                }
                (2, 0) => {
                    f.push_str(self.rng.pick::<&str>(QUOTES));
                    f.push_str("\n\n");
                }
                (2, 1) if !footnote => {
                    footnote = true;
                    let _ = write!(
                        f,
                        "Mô hình được giới thiệu trên **Cổng thông tin điện tử {}** và trong *Bản tin Dân vận* của tỉnh.[^1]\n\n[^1]: Số liệu do {} cung cấp, năm {}.\n\n",
                        ctx.district, ctx.owner, ctx.year2
                    );
                }
                _ => {}
            }
            section += 1;
        }
    }

    fn ceremony_file(&mut self, c: &CeremonyPlan, corpus: &Corpus) -> String {
        let p = &PROVINCES[c.place.province];
        let district = p.districts[c.place.district];
        let mut f = String::with_capacity(8192);
        f.push_str("---\n");
        let _ = writeln!(f, "id: {}", c.id);
        let _ = writeln!(f, "title: {}", q(&c.title));
        let (tap_the, ca_nhan) = (self.rng.range(5, 120), self.rng.range(3, 90));
        let summary = format!(
            "Ngày {}/{}/{}, {} tổ chức {}; {} tập thể, {} cá nhân được khen thưởng.",
            c.date.2,
            c.date.1,
            c.date.0,
            c.organizer,
            lower_first(&c.title),
            tap_the.max(c.honorees.len() as u32),
            ca_nhan
        );
        if self.rng.chance(0.8) {
            let _ = writeln!(f, "summary: {}", q(&summary));
        }
        let _ = writeln!(f, "date: {}", iso(c.date));
        let _ = writeln!(f, "event_type: {}", c.event_type);
        let _ = writeln!(f, "organizer: {}", q(&c.organizer));
        let _ = writeln!(f, "level: {}", c.level);
        let place: Vec<String> = match c.level {
            "trung-uong" => vec![q("Hà Nội")],
            "cap-tinh" => vec![q(p.name)],
            "cap-huyen" => vec![q(p.name), q(district)],
            _ => vec![q(p.name), q(district), q(&c.place.commune)],
        };
        let _ = writeln!(f, "place: [{}]", place.join(", "));
        if c.date.1 == 10 || self.rng.chance(0.3) {
            let _ = writeln!(
                f,
                "occasion: {}",
                q(&format!(
                    "Kỷ niệm {} năm Ngày truyền thống công tác Dân vận của Đảng (15/10/1930 – 15/10/{})",
                    c.date.0 - 1930,
                    c.date.0
                ))
            );
        }
        let tags: Vec<String> = [
            "ngày truyền thống công tác dân vận",
            "thi đua khen thưởng",
            "dân vận khéo",
            "quy chế dân chủ",
        ]
        .iter()
        .filter(|_| self.rng.chance(0.45))
        .map(|t| q(t))
        .collect();
        if !tags.is_empty() {
            let _ = writeln!(f, "tags: [{}]", tags.join(", "));
        }
        let honoured: Vec<&Honoree> = c.honorees.iter().collect();
        let named = self.rng.range(0, 3);
        if !honoured.is_empty() || named > 0 {
            f.push_str("honorees:\n");
            for h in &honoured {
                let m = &corpus.models[h.model];
                let key = if self.rng.chance(0.7) { &m.slug } else { &m.id };
                let _ = writeln!(
                    f,
                    "  - {{model: {key}, award: {}, by: {}, decision: {}}}",
                    h.award,
                    q(&h.by),
                    q(&h.decision)
                );
            }
            for _ in 0..named {
                let female = self.rng.chance(0.5);
                let kind =
                    self.rng
                        .choose(&[("ca-nhan", 70), ("ho-gia-dinh", 20), ("tap-the", 10)]);
                let name = match kind {
                    "ca-nhan" => self.person(female),
                    "ho-gia-dinh" => format!("Gia đình ông {}", self.person(false)),
                    _ => format!(
                        "Chi hội Phụ nữ {}",
                        lower_first(&self.place_in(c.place.province).village)
                    ),
                };
                let award = if c.level == "trung-uong" {
                    "ky-niem-chuong"
                } else {
                    "hoa"
                };
                let by = self.awarder(c.level, &c.place);
                let _ = writeln!(
                    f,
                    "  - {{name: {}, kind: {kind}, award: {award}, by: {}}}",
                    q(&name),
                    q(&by)
                );
            }
        }
        self.award_counts(&mut f, c, tap_the, ca_nhan);
        self.statistics(&mut f, c);
        if self.rng.chance(0.7) {
            let local = strip_diacritics(p.name)
                .to_lowercase()
                .replace([' ', '.'], "");
            let _ = writeln!(
                f,
                "sources:\n  - url: https://bao{local}.vn/{}-{}.html\n    publication: {}\n    date: {}",
                c.slug.split('-').take(7).collect::<Vec<_>>().join("-"),
                self.rng.range(10000, 999999),
                q(&format!("Báo {}", p.name)),
                iso(c.date)
            );
        }
        if self.rng.chance(0.02) {
            let _ = writeln!(f, "aliases: [/tin-tuc/{}/]", c.slug);
        }
        f.push_str("---\n");
        self.ceremony_body(&mut f, c, corpus, tap_the, ca_nhan);
        f
    }

    fn award_counts(&mut self, f: &mut String, c: &CeremonyPlan, tap_the: u32, ca_nhan: u32) {
        let main = match c.level {
            "co-so" => "giay-khen",
            "cap-huyen" => "giay-khen",
            "cap-tinh" => "bang-khen",
            _ => "ky-niem-chuong",
        };
        let by = self.awarder(c.level, &c.place);
        let _ = writeln!(f, "award_counts:");
        let _ = writeln!(
            f,
            "  - {{award: {main}, by: {}, kind: tap-the, count: {}}}",
            q(&by),
            tap_the.max(c.honorees.len() as u32)
        );
        let _ = writeln!(
            f,
            "  - {{award: {main}, by: {}, kind: ca-nhan, count: {ca_nhan}}}",
            q(&by)
        );
        if self.rng.chance(0.3) {
            let _ = writeln!(
                f,
                "  - {{award: hoa, by: {}, count: {}}}",
                q(&c.organizer),
                self.rng.range(1, 12)
            );
        }
    }

    fn statistics(&mut self, f: &mut String, c: &CeremonyPlan) {
        let n = self.rng.weighted(&[25, 45, 30]);
        if n == 0 {
            return;
        }
        f.push_str("statistics:\n");
        let from = c.date.0.saturating_sub(self.rng.range(1, 10)).max(2009);
        let total = self.rng.range(120, 6000);
        let _ = writeln!(
            f,
            "  - label: {}\n    value: {total}",
            q(&format!(
                "Mô hình “Dân vận khéo” đăng ký {from}–{}",
                c.date.0
            ))
        );
        let qualifier = self.rng.choose(&[("", 70), ("hon", 20), ("gan", 10)]);
        if !qualifier.is_empty() {
            let _ = writeln!(f, "    qualifier: {qualifier}");
        }
        f.push_str("    breakdowns:\n");
        // As announced: almost always adds up; 2% do not, as in real reports.
        let off = if self.rng.chance(0.02) { 20 } else { 0 };
        let upper = total * self.rng.range(15, 30) / 100;
        let _ = writeln!(
            f,
            "      - by: cấp\n        parts: [{{label: cấp huyện, value: {upper}}}, {{label: cấp cơ sở, value: {}}}]",
            total - upper + off
        );
        let shares = [36u32, 28, 14];
        let mut parts = Vec::new();
        let mut left = total;
        for (i, s) in shares.iter().enumerate() {
            let v = total * (s + self.rng.range(0, 5)) / 100;
            parts.push(format!("{{label: {}, value: {v}}}", q(FIELD_PROSE[i])));
            left -= v;
        }
        parts.push(format!("{{label: {}, value: {left}}}", q(FIELD_PROSE[3])));
        let _ = writeln!(
            f,
            "      - by: lĩnh vực\n        parts: [{}]",
            parts.join(", ")
        );
        if n > 1 {
            let v = self.rng.range(20, 900);
            let _ = writeln!(
                f,
                "  - {{label: {}, value: {v}, unit: {}}}",
                q("Gương điển hình “Dân vận khéo” được tuyên dương"),
                q("gương")
            );
        }
    }

    fn ceremony_body(
        &mut self,
        f: &mut String,
        c: &CeremonyPlan,
        corpus: &Corpus,
        tap_the: u32,
        ca_nhan: u32,
    ) {
        let p = &PROVINCES[c.place.province];
        let district = lower_first(p.districts[c.place.district]);
        let female = self.rng.chance(0.4);
        let person = self.person(female);
        let ctx = Ctx {
            title: &c.title,
            owner: c.organizer.clone(),
            commune: lower_first(&c.place.commune),
            district: district.clone(),
            district_committee: district_party_committee(p.districts[c.place.district]),
            province: p.name,
            village: lower_first(&c.place.village),
            year: c.date.0,
            year2: c.date.0,
            org: "Ban Dân vận",
            field: FIELD_PROSE[self.rng.below(4)],
            crop: self.rng.pick::<&str>(CROPS),
            animal: self.rng.pick::<&str>(ANIMALS),
            person: person.clone(),
            role: format!(
                "{} {}",
                self.rng.pick(ROLES),
                ctx_unit(c.level, p.name, &district)
            ),
        };
        let target = 300 + (self.rng.unit().powf(2.0) * 700.0) as usize;
        self.used.clear();
        let start = f.len();
        let _ = write!(
            f,
            "Ngày {}/{}/{}, {} tổ chức {}. Dự có đồng chí {person}, {}, cùng đại diện lãnh đạo các ban, ngành, đoàn thể và đông đảo đại biểu.\n\n",
            c.date.2, c.date.1, c.date.0, c.organizer, lower_first(&c.title), ctx.role
        );
        while f[start..].split_whitespace().count() < target {
            let para = self.paragraph(&[CEREMONY_SENTENCES, CONTEXT], (3, 5), &ctx);
            f.push_str(&para);
            f.push_str("\n\n");
        }
        let _ = write!(
            f,
            "Dịp này, {tap_the} tập thể và {ca_nhan} cá nhân có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” được khen thưởng.\n\n"
        );
        let listed: Vec<&Honoree> = c.honorees.iter().take(30).collect();
        if !listed.is_empty() {
            f.push_str("Một số mô hình được tuyên dương:\n\n");
            for h in listed {
                let m = &corpus.models[h.model];
                let _ = writeln!(
                    f,
                    "- [{}](/mo-hinh/{}/)",
                    m.title.replace(['[', ']'], ""),
                    m.slug
                );
            }
            f.push('\n');
        }
    }
}

fn ctx_unit(level: &str, province: &str, district: &str) -> String {
    match level {
        "cap-tinh" => province_party_committee(province),
        "trung-uong" => "Trung ương".into(),
        _ => district.to_string(),
    }
}

/// Per-document values for the sentence slots.
struct Ctx<'a> {
    title: &'a str,
    owner: String,
    commune: String,
    district: String,
    district_committee: String,
    province: &'a str,
    village: String,
    year: u32,
    year2: u32,
    org: &'a str,
    field: &'a str,
    crop: &'a str,
    animal: &'a str,
    person: String,
    role: String,
}

impl Ctx<'_> {
    fn district_title(&self) -> String {
        let mut c = self.district.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn iso((y, m, d): (u32, u32, u32)) -> String {
    format!("{y}-{m:02}-{d:02}")
}

/// Adds days on a 28-day-month calendar: always a valid date, order kept.
fn add_days((y, m, d): (u32, u32, u32), days: u32) -> (u32, u32, u32) {
    let total = (m - 1) * 28 + (d - 1) + days;
    let y = y + total / (12 * 28);
    let rest = total % (12 * 28);
    (y.min(2025), rest / 28 + 1, rest % 28 + 1)
}

/// Vietnamese grouping: 12.345.
fn vi_number(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn strip_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            _ => c,
        })
        .collect()
}

fn site_yaml() -> String {
    let mut s = String::from(
        "# Written by examples/gen_corpus.rs: a synthetic site for benchmarks.\n\
         title: \"Dân vận khéo — Cơ sở dữ liệu mô hình, điển hình (dữ liệu thử)\"\n\
         description: \"Mô hình, điển hình “Dân vận khéo” và các buổi tuyên dương, sinh tự động để đo hiệu năng.\"\n\
         base_url: \"https://example.gov.vn/dan-van/\"\n\
         language: vi\n\
         paginate: 20\n\
         sections:\n  models: mo-hinh\n  ceremonies: tuyen-duong\n\
         menu:\n  - {label: \"Mô hình\", url: \"mo-hinh/\"}\n  - {label: \"Tuyên dương\", url: \"tuyen-duong/\"}\n  - {label: \"Giới thiệu\", url: \"gioi-thieu/\"}\n\
         vocabularies:\n  organizations:\n    - {id: hoi-nguoi-cao-tuoi, label: \"Hội Người cao tuổi\", aliases: [\"người cao tuổi\"]}\n\
         places:\n",
    );
    for p in PROVINCES {
        let id = dienhinh::vi::slugify(p.name);
        let mut aliases: Vec<String> = Vec::new();
        if p.name == "TP. Hồ Chí Minh" {
            aliases.extend(["TP.HCM", "TPHCM", "Thành phố Hồ Chí Minh"].map(q));
        }
        let _ = write!(s, "  - {{id: {id}, label: {}, type: province", q(p.name));
        if !aliases.is_empty() {
            let _ = write!(s, ", aliases: [{}]", aliases.join(", "));
        }
        if let Some(succ) = p.successor {
            let _ = write!(
                s,
                ", successor: {}, valid_until: 2025-06-30",
                dienhinh::vi::slugify(succ)
            );
        }
        s.push_str("}\n");
    }
    // Successors that are not in the list above still need an entry.
    let mut extra: Vec<&str> = PROVINCES
        .iter()
        .filter_map(|p| p.successor)
        .filter(|s| !PROVINCES.iter().any(|p| p.name == *s))
        .collect();
    extra.sort();
    extra.dedup();
    for name in extra {
        let _ = writeln!(
            s,
            "  - {{id: {}, label: {}, type: province}}",
            dienhinh::vi::slugify(name),
            q(name)
        );
    }
    s.push_str(
        "search:\n  publish_index: false\n  synonyms:\n    ubnd: [\"ủy ban nhân dân\"]\n    mttq: [\"mặt trận tổ quốc\"]\n    ccb: [\"cựu chiến binh\"]\n    ntm: [\"nông thôn mới\"]\n    tphcm: [\"thành phố hồ chí minh\"]\n",
    );
    s
}

fn about_page(corpus: &Corpus) -> String {
    format!(
        "---\ntitle: \"Giới thiệu\"\nsummary: \"Về cơ sở dữ liệu mô hình, điển hình “Dân vận khéo” dùng để đo hiệu năng của dienhinh.\"\ndate: 2025-01-01\naliases: [/ve-chung-toi/]\n---\n\
         Trang này gồm {} mô hình và {} buổi tuyên dương do chương trình `gen_corpus` sinh ra từ danh sách địa danh, tổ chức và cách viết của các bài báo về phong trào thi đua “Dân vận khéo”. Mọi tên người, số liệu và quyết định đều là giả định, chỉ dùng để đo thời gian dựng trang.\n\n\
         ## Phong trào “Dân vận khéo”\n\n\
         Phong trào thi đua “Dân vận khéo” được phát động từ năm 2009, nhằm biểu dương những cách làm hay trong vận động nhân dân trên bốn lĩnh vực: phát triển kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng Đảng và hệ thống chính trị.\n",
        corpus.models.len(),
        corpus.ceremonies.len()
    )
}

const PHOTO_COUNT: usize = 8;

/// Small pictures for the `images` field (only with `--photos`): a dot on
/// a tinted ground, 160×90 PNG, each a different colour.
fn photos() -> Vec<(String, Vec<u8>)> {
    (0..PHOTO_COUNT)
        .map(|i| {
            let tint = [
                (200, 220, 240),
                (240, 220, 200),
                (210, 240, 210),
                (235, 235, 200),
            ][i % 4];
            let dot = (40 + 20 * i as u32, 45);
            let pixels = |x: u32, y: u32| {
                let (dx, dy) = (x as i64 - dot.0 as i64, y as i64 - dot.1 as i64);
                if dx * dx + dy * dy < 400 {
                    [180, 40, 30]
                } else {
                    [tint.0, tint.1, tint.2]
                }
            };
            (
                format!("static/anh/hoat-dong-{i:02}.png"),
                png(160, 90, pixels),
            )
        })
        .collect()
}

/// An RGB PNG, the zlib stream in stored (uncompressed) blocks: no
/// compression library needed for a few kilobytes.
fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity((height * (1 + 3 * width)) as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", z), (b"IEND", Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(&data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
