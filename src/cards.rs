//! Link-preview cards: the 1200×630 picture a page names in `og:image`, so a
//! link pasted into Zalo or Facebook shows a picture even when the page has
//! no photo. A card is drawn at build time from a small SVG (kicker, title,
//! the agency's name and logo, the site title) and rasterised by resvg with
//! the font embedded in the binary (`src/assets/fonts/`, Liberation Sans,
//! SIL OFL 1.1, subset to Vietnamese and Latin), so every machine draws the
//! same bytes and no system font is read.
//!
//! Cards are keyed by a hash of their SVG (and logo) and kept in
//! `.dienhinh/cache/cards/<key>.png` like photos: an unchanged card is read,
//! not drawn. The published name carries the key too, so a changed card gets
//! a new URL and the previews that cache pictures by URL pick it up.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use crate::core::xml::xml_escape as xml_text;

/// The size link previews show best (Open Graph, Zalo, Facebook).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Under the site root.
pub const CACHE_DIR: &str = ".dienhinh/cache/cards";
/// Changes whenever the drawing below changes, so cached cards are redrawn.
const VERSION: &str = "dienhinh-card-2";

const REGULAR: &[u8] = include_bytes!("assets/fonts/LiberationSans-Regular.subset.ttf");
const BOLD: &[u8] = include_bytes!("assets/fonts/LiberationSans-Bold.subset.ttf");
const FAMILY: &str = "Liberation Sans";

/// The site's brand red and the kicker's yellow (themes/default/static/style.css).
const RED: &str = "#a3161a";
const YELLOW: &str = "#ffd54a";

/// What one card shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CardSpec {
    /// A short line above the title: "Lĩnh vực", "Địa bàn", "Mô hình".
    pub kicker: String,
    pub title: String,
    pub site_title: String,
    /// The agency (cơ quan chủ quản) from `organization.name`.
    pub organization: Option<String>,
}

/// The site's logo as the card embeds it.
#[derive(Clone, Debug)]
pub struct Logo {
    pub mime: &'static str,
    pub bytes: Arc<Vec<u8>>,
}

impl Logo {
    /// The logo file's kind by extension; `None` for kinds a card cannot show.
    pub fn read(path: &Path) -> Option<Logo> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let mime = match ext.as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            _ => return None,
        };
        let bytes = fs::read(path).ok()?;
        Some(Logo {
            mime,
            bytes: Arc::new(bytes),
        })
    }
}

/// A card ready to publish: what it shows and the key naming its file. The
/// SVG is made only when the card is drawn (a cache miss), so planning
/// thousands of cards costs a hash each.
pub struct Card {
    pub key: String,
    spec: CardSpec,
    logo: Option<Logo>,
}

impl Card {
    pub fn new(spec: &CardSpec, logo: Option<&Logo>) -> Card {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [VERSION, &spec.kicker, &spec.title, &spec.site_title] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        h.update(spec.organization.as_deref().unwrap_or("").as_bytes());
        h.update(&[0]);
        if let Some(logo) = logo {
            h.update(logo.mime.as_bytes());
            h.update(&logo.bytes);
        }
        Card {
            key: format!("{:016x}", h.digest())[..12].to_string(),
            spec: spec.clone(),
            logo: logo.cloned(),
        }
    }

    /// The PNG: from the cache under `site_root`, or drawn now and cached.
    /// A cache that cannot be written only costs the next build a redraw.
    pub fn png(&self, site_root: &Path) -> Result<Vec<u8>, String> {
        let cached = site_root.join(CACHE_DIR).join(format!("{}.png", self.key));
        if let Ok(bytes) = fs::read(&cached) {
            return Ok(bytes);
        }
        let bytes = draw(&svg(&self.spec, self.logo.as_ref()))?;
        if let Some(dir) = cached.parent() {
            if fs::create_dir_all(dir).is_ok() {
                let tmp = cached.with_extension(format!("tmp{}", std::process::id()));
                if fs::write(&tmp, &bytes).is_ok() && fs::rename(&tmp, &cached).is_err() {
                    let _ = fs::remove_file(&tmp);
                }
            }
        }
        Ok(bytes)
    }
}

/// Rasterises a card's SVG to PNG.
fn draw(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = resvg::usvg::Options::default();
    {
        let db = options.fontdb_mut();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
    }
    options.font_family = FAMILY.to_string();
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the card")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    opaque_png(&pixmap)
        .unwrap_or_else(|| pixmap.encode_png())
        .map_err(|e| e.to_string())
}

/// A card without transparency (its background fills it) as an RGB PNG,
/// rows filtered by their left neighbour: a third of tiny-skia's time for
/// its RGBA with adaptive filters (2.5 against 4.7 ms a card), and smaller
/// (33 against 38 KB), since a card is runs of flat colour along its rows.
/// `None` when some pixel is not opaque.
fn opaque_png(pixmap: &resvg::tiny_skia::Pixmap) -> Option<Result<Vec<u8>, png::EncodingError>> {
    let pixels = pixmap.data().chunks_exact(4);
    if pixels.clone().any(|p| p[3] != u8::MAX) {
        return None;
    }
    // Opaque, so premultiplied colour is the colour itself.
    let rgb: Vec<u8> = pixels.flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut bytes = Vec::new();
    let written = (|| {
        let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        encoder.set_filter(png::Filter::Sub);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
        writer.finish()
    })();
    Some(written.map(|()| bytes))
}

/// Where the text starts, and the room it has.
const MARGIN: f32 = 72.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;

fn svg(spec: &CardSpec, logo: Option<&Logo>) -> String {
    let (size, lines) = title_lines(&spec.title);
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="{RED}"/><rect y="{band}" width="{WIDTH}" height="8" fill="{YELLOW}"/>"##,
        band = HEIGHT - 120,
    );
    // The agency's line: logo and name, top left.
    let mut agency_x = MARGIN;
    if let Some(logo) = logo {
        s.push_str(&format!(
            r#"<image x="{MARGIN}" y="56" width="88" height="88" preserveAspectRatio="xMidYMid meet" xlink:href="data:{};base64,{}"/>"#,
            logo.mime,
            base64(&logo.bytes)
        ));
        agency_x += 112.0;
    }
    if let Some(org) = spec.organization.as_deref().filter(|o| !o.is_empty()) {
        let org = fit(org, 30.0, false, TEXT_WIDTH - (agency_x - MARGIN));
        s.push_str(&format!(
            r##"<text x="{agency_x}" y="112" font-size="30" fill="#ffffff">{}</text>"##,
            xml_text(&org)
        ));
    }
    // Kicker and title, centred between the agency's line and the band.
    let line_height = size * 1.18;
    let block = 34.0 + 20.0 + size + (lines.len() as f32 - 1.0) * line_height;
    let kicker_y = 330.0 - block / 2.0 + 28.0;
    s.push_str(&format!(
        r##"<text x="{MARGIN}" y="{kicker_y}" font-size="34" fill="{YELLOW}">{}</text>"##,
        xml_text(&fit(&spec.kicker, 34.0, false, TEXT_WIDTH))
    ));
    for (i, line) in lines.iter().enumerate() {
        s.push_str(&format!(
            r##"<text x="{MARGIN}" y="{}" font-size="{size}" font-weight="bold" fill="#ffffff">{}</text>"##,
            kicker_y + 20.0 + size * 0.9 + i as f32 * line_height,
            xml_text(line)
        ));
    }
    // The site, on the band at the foot.
    s.push_str(&format!(
        r##"<text x="{MARGIN}" y="{}" font-size="32" font-weight="bold" fill="#ffffff">{}</text></svg>"##,
        HEIGHT - 48,
        xml_text(&fit(&spec.site_title, 32.0, true, TEXT_WIDTH))
    ));
    s
}

/// The title in at most three lines: at 64 px if it fits, else smaller, the
/// last line cut with "…" when even 48 px is not enough.
fn title_lines(title: &str) -> (f32, Vec<String>) {
    for size in [64.0, 56.0, 48.0] {
        let lines = wrap(title, size);
        if lines.len() <= 3 {
            return (size, lines);
        }
    }
    let mut lines = wrap(title, 48.0);
    let rest = lines.split_off(2).join(" ");
    lines.push(fit(&format!("{rest}…"), 48.0, true, TEXT_WIDTH));
    (48.0, lines)
}

/// Greedy line breaking at spaces, measured in the bold face.
fn wrap(text: &str, size: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width(&candidate, size, true) <= TEXT_WIDTH {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| fit(&l, size, true, TEXT_WIDTH))
        .collect()
}

/// `text` cut with "…" so that it is at most `room` wide.
fn fit(text: &str, size: f32, bold: bool, room: f32) -> String {
    if width(text, size, bold) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let cut: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if width(&cut, size, bold) <= room {
            return cut;
        }
    }
    "…".to_string()
}

/// The advance width of `text` at `size` px. Characters the subset lacks
/// count as an average letter; combining marks add nothing.
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let Ok(face) = ttf_parser::Face::parse(if bold { BOLD } else { REGULAR }, 0) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let per_unit = size / face.units_per_em() as f32;
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(size * 0.6, |a| a as f32 * per_unit)
        })
        .sum()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(title: &str) -> CardSpec {
        CardSpec {
            kicker: "Lĩnh vực".into(),
            title: title.into(),
            site_title: "Dân vận khéo — Mô hình, điển hình".into(),
            organization: Some("Ban Dân vận Tỉnh ủy Hà Tĩnh".into()),
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_under_80_kb() {
        let png = draw(&svg(&spec("Xây dựng Đảng và hệ thống chính trị"), None)).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        assert!(png.len() < 80 * 1024, "{} bytes", png.len());
        // Opaque, so no alpha channel to store (opaque_png).
        assert_eq!(img.color(), image::ColorType::Rgb8);
        // Text was drawn: the title's white covers more than the bare card.
        let white = img
            .to_rgb8()
            .pixels()
            .filter(|p| p.0 == [255, 255, 255])
            .count();
        assert!(white > 5_000, "only {white} white pixels: no text drawn");
    }

    #[test]
    fn long_titles_wrap_into_three_lines_at_most() {
        let long = "Mô hình ".repeat(40);
        let (size, lines) = title_lines(&long);
        assert_eq!(lines.len(), 3);
        assert_eq!(size, 48.0);
        assert!(lines[2].ends_with('…'));
        for l in &lines {
            assert!(width(l, size, true) <= TEXT_WIDTH, "{l}");
        }
        assert_eq!(title_lines("Kinh tế").1, vec!["Kinh tế".to_string()]);
    }

    #[test]
    fn the_key_follows_the_content() {
        let a = Card::new(&spec("Kinh tế"), None).key;
        assert_eq!(a, Card::new(&spec("Kinh tế"), None).key);
        assert_ne!(a, Card::new(&spec("Văn hóa – xã hội"), None).key);
    }

    #[test]
    fn a_logo_is_embedded_as_a_data_url() {
        let logo = Logo {
            mime: "image/svg+xml",
            bytes: Arc::new(
                br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#00ff00"/></svg>"##.to_vec(),
            ),
        };
        let img = image::load_from_memory(&draw(&svg(&spec("Kinh tế"), Some(&logo))).unwrap())
            .unwrap()
            .to_rgb8();
        let green = img.pixels().filter(|p| p.0 == [0, 255, 0]).count();
        assert!(green > 3_000, "logo not drawn ({green} green pixels)");
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
