//! Photos made fit for phones on slow links. Every picture named in
//! `images:` is decoded once, turned upright (EXIF orientation), resized to
//! a few widths (never enlarged) and re-encoded as JPEG and WebP from bare
//! pixels, so no metadata survives: phone photos carry GPS positions. A
//! 1200×630 crop is cut for link previews.
//!
//! A photo's size is read from its header before anything is decoded, and
//! one with more pixels than `images.max_megapixels` (site.yaml) is refused:
//! a few hundred kilobytes of PNG can claim 60000×60000 pixels, 3.6 GB once
//! decoded. Decoding itself runs under the image crate's `Limits`.
//!
//! Results live in `.dienhinh/cache/images/<key>/`, the key hashing the
//! photo's bytes with the settings below, so an unchanged photo is never
//! re-encoded and a change of settings re-encodes every photo.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::site::{Doc, Rendition, Variant};
use crate::text::fnv1a;
use crate::tr;
use crate::validate::Document;

/// Widths published, in CSS pixels of a 1x screen: a phone, a phone at 2x
/// or a tablet, a desktop.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The size link previews (Open Graph, Zalo, Facebook) show best.
pub const OG_WIDTH: u32 = 1200;
pub const OG_HEIGHT: u32 = 630;
const JPEG_QUALITY: u8 = 80;
const WEBP_QUALITY: f32 = 72.0;
/// Everything that changes the bytes produced; part of the cache key.
const SETTINGS: &str = "dienhinh-images-1;widths=480,960,1600;jpeg=80;webp=72;og=1200x630;lanczos3";
/// Under the site root.
pub const CACHE_DIR: &str = ".dienhinh/cache/images";
const ENTRY_FILE: &str = "entry.json";

/// How many photos the build encoded and how many came from the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageStats {
    pub photos: usize,
    pub encoded: usize,
    pub cached: usize,
}

/// A cache entry's description, written last so that a half-written entry
/// (an interrupted build) is never taken for a whole one.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    /// Upright size of the original.
    width: u32,
    height: u32,
    /// `(width, height, has_webp)`; files `<width>.jpg`, `<width>.webp`.
    variants: Vec<(u32, u32, bool)>,
    og: (u32, u32),
    /// The file republished at the original's own path: the largest size in
    /// the original's format, so old links and Markdown references work.
    full: String,
}

/// Why a photo is not published.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Not a JPEG, PNG or WebP picture this build can read; the reason.
    Unreadable(Text),
    /// More pixels than the site's limit; the size its header claims.
    TooLarge { width: u32, height: u32 },
}

/// Encodes (or finds in the cache) every photo the documents to be
/// published name (models and ceremonies; drafts only with `drafts`) and
/// attaches a [`crate::site::Rendition`] to each image. Runs on the
/// validated documents before they are linked, so the linked `Site` is
/// never changed afterwards. Returns the counts, or an error per image
/// that is not a picture this build can read or is over the pixel limit.
pub fn process(
    root: &Path,
    config: &Config,
    docs: &mut [Document],
    drafts: bool,
) -> Result<ImageStats, Vec<Diagnostic>> {
    let cache = root.join(CACHE_DIR);
    let max_pixels = config.images.max_pixels();
    let mut docs: Vec<&mut Doc> = docs
        .iter_mut()
        .filter_map(|d| match d {
            Document::Model(m) => Some(&mut m.doc),
            Document::Ceremony(c) => Some(&mut c.doc),
            Document::Page(_) => None,
        })
        .filter(|d| drafts || !d.draft)
        .collect();
    let mut files: Vec<PathBuf> = docs
        .iter()
        .flat_map(|d| d.images.iter().map(|i| i.file.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    files.sort();
    let encoded = AtomicUsize::new(0);
    let results: HashMap<PathBuf, Result<(String, PathBuf, Entry), Refusal>> = files
        .par_iter()
        .map(|f| {
            let r = prepare(f, &cache, &encoded, max_pixels);
            (f.clone(), r)
        })
        .collect();
    let mut diagnostics = Vec::new();
    for doc in &mut docs {
        let file = std::sync::Arc::clone(&doc.file);
        for img in &mut doc.images {
            match results.get(&img.file) {
                Some(Ok((key, dir, entry))) => {
                    img.rendition = Some(rendition(&img.output, key, dir, entry));
                }
                Some(Err(refusal)) => {
                    let (offset, len) = file.locate(&format!("images.{}.src", img.index));
                    let d = refusal_diagnostic(refusal, &img.src, &file.rel_path, max_pixels);
                    diagnostics.push(d.at(&file.text, offset, len));
                }
                None => {}
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let encoded = encoded.into_inner();
    Ok(ImageStats {
        photos: files.len(),
        encoded,
        cached: files.len() - encoded,
    })
}

/// The error for one refused photo (its position is added by the caller).
fn refusal_diagnostic(refusal: &Refusal, src: &str, file: &str, max_pixels: u64) -> Diagnostic {
    match refusal {
        Refusal::Unreadable(why) => {
            let (why_vi, why_en) = (why.vi(), why.en());
            Diagnostic::error(
                Code::ImageUnreadable,
                file,
                tr!(
                    "không đọc được ảnh `{src}`: {why_vi}",
                    "image `{src}` cannot be read: {why_en}"
                ),
            )
            .label(tr!(
                "không phải ảnh JPEG, PNG hay WebP mà chương trình đọc được",
                "not a JPEG, PNG or WebP photo this build can read"
            ))
            .help(tr!(
                "mở tệp bằng một chương trình xem ảnh; nếu ảnh hiện được, lưu lại ở dạng JPEG (File → Export) rồi dựng lại trang",
                "open the file in an image viewer; if it shows, save it again as JPEG (File → Export) and build again"
            ))
        }
        Refusal::TooLarge { width, height } => {
            let mp = megapixels(u64::from(*width) * u64::from(*height));
            let limit = max_pixels / 1_000_000;
            Diagnostic::error(
                Code::ImageTooManyPixels,
                file,
                tr!(
                    "ảnh `{src}` có {width}×{height} điểm ảnh ({mp} triệu), quá mức {limit} triệu cho phép (images.max_megapixels)",
                    "photo `{src}` is {width}×{height} pixels ({mp} megapixels), over the limit of {limit} megapixels (images.max_megapixels)"
                ),
            )
            .label(tr!(
                "quá nhiều điểm ảnh để giải mã",
                "too many pixels to decode"
            ))
            .help(tr!(
                "thu nhỏ ảnh (trang chỉ đăng ảnh rộng tối đa {top} điểm ảnh), hoặc nếu ảnh đúng là lớn như vậy thì nâng mức trong site.yaml: `images: {{max_megapixels: {need}}}` (bản dựng sẽ cần thêm bộ nhớ)",
                "resize the photo (the site publishes at most {top} pixels wide), or if it really is that large, raise the limit in site.yaml: `images: {{max_megapixels: {need}}}` (the build will need more memory)",
                top = WIDTHS[WIDTHS.len() - 1],
                need = (u64::from(*width) * u64::from(*height)).div_ceil(1_000_000)
            ))
        }
    }
}

/// Millions of pixels with one decimal, for messages.
fn megapixels(pixels: u64) -> String {
    format!("{:.1}", pixels as f64 / 1e6)
}

/// The cache entry of `file`: found, or made now (counted in `encoded`).
/// The size is checked first, cached or not, so lowering the limit in
/// site.yaml applies to every photo.
fn prepare(
    file: &Path,
    cache: &Path,
    encoded: &AtomicUsize,
    max_pixels: u64,
) -> Result<(String, PathBuf, Entry), Refusal> {
    let bytes =
        fs::read(file).map_err(|e| Refusal::Unreadable(Text::untranslated(e.to_string())))?;
    check_size(&bytes, max_pixels)?;
    let ext = extension(file);
    let key = cache_key(&bytes, &ext);
    let dir = cache.join(&key);
    if let Some(entry) = cached(&dir) {
        return Ok((key, dir, entry));
    }
    let img = decode(&bytes, max_pixels)?;
    let entry = encode_into(&img, &ext, cache, &dir).map_err(|e| {
        Refusal::Unreadable(tr!(
            "không ghi được bộ nhớ đệm ảnh {cache}: {e}",
            "cannot write the image cache {cache}: {e}",
            cache = cache.display()
        ))
    })?;
    encoded.fetch_add(1, Ordering::Relaxed);
    Ok((key, dir, entry))
}

/// Hex key of the photo's bytes, its extension (which decides the format
/// of the republished original) and the settings.
fn cache_key(bytes: &[u8], ext: &str) -> String {
    let settings = fnv1a(format!("{SETTINGS};{ext}").as_bytes());
    let content = fnv1a(bytes);
    // The length beside the hash: two different photos would have to
    // collide in both to share an entry.
    format!(
        "{:016x}{:08x}",
        content ^ settings.rotate_left(17),
        bytes.len() as u32
    )
}

fn extension(file: &Path) -> String {
    file.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn cached(dir: &Path) -> Option<Entry> {
    let text = fs::read_to_string(dir.join(ENTRY_FILE)).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    let mut names = vec!["og.jpg".to_string(), entry.full.clone()];
    for &(w, _, webp) in &entry.variants {
        names.push(format!("{w}.jpg"));
        if webp {
            names.push(format!("{w}.webp"));
        }
    }
    names.iter().all(|n| dir.join(n).is_file()).then_some(entry)
}

/// The photo's size as its header gives it, refused when over `max_pixels`.
/// Only the header is read: nothing the size of the picture is allocated.
pub fn check_size(bytes: &[u8], max_pixels: u64) -> Result<(u32, u32), Refusal> {
    let (width, height) = reader(bytes)
        .map_err(Refusal::Unreadable)?
        .into_dimensions()
        .map_err(|e| Refusal::Unreadable(Text::untranslated(e.to_string())))?;
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(Refusal::TooLarge { width, height });
    }
    Ok((width, height))
}

/// A reader for a picture in one of the formats the site publishes.
fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, Text> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Text::untranslated(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => Ok(reader),
        Some(other) => Err(tr!(
            "chưa hỗ trợ ảnh dạng {other:?} (hãy dùng JPEG, PNG hoặc WebP)",
            "{other:?} pictures are not supported (use JPEG, PNG or WebP)"
        )),
        None => Err(tr!(
            "tệp không phải ảnh JPEG, PNG hay WebP",
            "the file is not a JPEG, PNG or WebP picture"
        )),
    }
}

/// Decodes a picture of at most `max_pixels` and turns it upright, the
/// decoder's allocations bounded accordingly (the header may lie about what
/// follows it).
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, Refusal> {
    let (width, height) = check_size(bytes, max_pixels)?;
    let library = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => Refusal::TooLarge { width, height },
        e => Refusal::Unreadable(Text::untranslated(e.to_string())),
    };
    let mut limits = image::Limits::default();
    // Eight bytes a pixel: the widest the decoders produce (16-bit RGBA).
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    let mut reader = reader(bytes).map_err(Refusal::Unreadable)?;
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(library)?;
    // `from_decoder` allocates the whole picture without asking the limits.
    limits.reserve(decoder.total_bytes()).map_err(library)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(library)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// The widths to publish for an original `width` pixels wide: the standard
/// widths below it, and the original width itself when under the largest.
pub fn targets(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    let top = width.min(WIDTHS[WIDTHS.len() - 1]).max(1);
    if out.last() != Some(&top) {
        out.push(top);
    }
    out
}

/// Writes every file of a new cache entry into a scratch directory, then
/// renames it into place, so readers see a whole entry or none.
fn encode_into(img: &DynamicImage, ext: &str, cache: &Path, dir: &Path) -> std::io::Result<Entry> {
    let scratch = cache.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        dir.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    if scratch.exists() {
        fs::remove_dir_all(&scratch)?;
    }
    fs::create_dir_all(&scratch)?;
    let entry = encode_all(img, ext, &scratch)?;
    fs::write(
        scratch.join(ENTRY_FILE),
        serde_json::to_vec(&entry).map_err(std::io::Error::other)?,
    )?;
    if fs::rename(&scratch, dir).is_err() {
        // Another build made the same entry meanwhile: keep theirs.
        let _ = fs::remove_dir_all(&scratch);
        if cached(dir).is_none() {
            return Err(std::io::Error::other("cache entry is incomplete"));
        }
    }
    Ok(entry)
}

fn encode_all(img: &DynamicImage, ext: &str, out: &Path) -> std::io::Result<Entry> {
    let (width, height) = (img.width(), img.height());
    let mut variants = Vec::new();
    // Each size is cut from the next larger one: the same look as from the
    // original, at a fraction of the work on 12-megapixel phone photos.
    let mut source = img.clone();
    let mut sized: Vec<DynamicImage> = Vec::new();
    for &w in targets(width).iter().rev() {
        let h = scaled_height(source.width(), source.height(), w);
        let resized = if w == source.width() {
            source.clone()
        } else {
            source.resize_exact(w, h, FilterType::Lanczos3)
        };
        source = resized.clone();
        sized.push(resized);
    }
    sized.reverse();
    for v in &sized {
        let (w, h) = (v.width(), v.height());
        let jpeg = jpeg_bytes(v)?;
        let webp = webp_bytes(v);
        let has_webp = webp.as_ref().is_some_and(|b| b.len() < jpeg.len());
        fs::write(out.join(format!("{w}.jpg")), &jpeg)?;
        if let (true, Some(b)) = (has_webp, webp) {
            fs::write(out.join(format!("{w}.webp")), b)?;
        }
        variants.push((w, h, has_webp));
    }
    let largest = sized.last().unwrap_or(img);
    let og = og_crop(largest);
    fs::write(out.join("og.jpg"), jpeg_bytes(&og)?)?;
    let full = full_copy(largest, ext, &variants, out)?;
    Ok(Entry {
        width,
        height,
        variants,
        og: (og.width(), og.height()),
        full,
    })
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1))).max(1)
        as u32
}

/// The picture at the original's path: the largest size in the original's
/// own format (a JPEG reuses the largest JPEG).
fn full_copy(
    largest: &DynamicImage,
    ext: &str,
    variants: &[(u32, u32, bool)],
    out: &Path,
) -> std::io::Result<String> {
    let top = variants.last().map_or(0, |v| v.0);
    match ext {
        "png" => {
            let mut buf = Vec::new();
            largest
                .write_to(&mut Cursor::new(&mut buf), ImageFormat::Png)
                .map_err(std::io::Error::other)?;
            fs::write(out.join("full.png"), buf)?;
            Ok("full.png".into())
        }
        "webp" => {
            let bytes =
                webp_bytes(largest).ok_or_else(|| std::io::Error::other("WebP encoding failed"))?;
            fs::write(out.join("full.webp"), bytes)?;
            Ok("full.webp".into())
        }
        _ => Ok(format!("{top}.jpg")),
    }
}

/// JPEG from bare pixels: no EXIF, no GPS, no comment. Transparent areas
/// (PNG logos) become white rather than black.
fn jpeg_bytes(img: &DynamicImage) -> std::io::Result<Vec<u8>> {
    let rgb = flatten(img);
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(std::io::Error::other)?;
    Ok(buf)
}

fn flatten(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// Lossy WebP (libwebp); `None` if the encoder refuses.
fn webp_bytes(img: &DynamicImage) -> Option<Vec<u8>> {
    if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        webp::Encoder::from_rgba(&rgba, rgba.width(), rgba.height())
            .encode_simple(false, WEBP_QUALITY)
            .ok()
            .map(|m| m.to_vec())
    } else {
        let rgb = img.to_rgb8();
        webp::Encoder::from_rgb(&rgb, rgb.width(), rgb.height())
            .encode_simple(false, WEBP_QUALITY)
            .ok()
            .map(|m| m.to_vec())
    }
}

/// The middle of the picture at the preview's proportions, scaled down to
/// 1200×630 (a smaller picture keeps its size: enlarging adds only blur).
pub fn og_crop(img: &DynamicImage) -> DynamicImage {
    let (w, h) = (u64::from(img.width()), u64::from(img.height()));
    let (ow, oh) = (u64::from(OG_WIDTH), u64::from(OG_HEIGHT));
    let (cw, ch) = if w * oh > h * ow {
        ((h * ow / oh).max(1), h)
    } else {
        (w, (w * oh / ow).max(1))
    };
    let crop = img.crop_imm(
        ((w - cw) / 2) as u32,
        ((h - ch) / 2) as u32,
        cw as u32,
        ch as u32,
    );
    if cw > ow {
        crop.resize_exact(OG_WIDTH, OG_HEIGHT, FilterType::Lanczos3)
    } else {
        crop
    }
}

/// Site paths for a photo published at `output` (`mo-hinh/x/anh.jpg`):
/// `mo-hinh/x/anh-960.<key>.jpg`, … — the key in the name lets servers
/// cache them forever.
fn rendition(output: &str, key: &str, dir: &Path, entry: &Entry) -> Rendition {
    let stem = match output.rfind('.') {
        Some(i) if !output[i..].contains('/') => &output[..i],
        _ => output,
    };
    let tag = &key[..16];
    let mut files = Vec::new();
    let variants = entry
        .variants
        .iter()
        .map(|&(w, h, has_webp)| {
            let jpeg = format!("{stem}-{w}.{tag}.jpg");
            files.push((dir.join(format!("{w}.jpg")), jpeg.clone()));
            let webp = has_webp.then(|| {
                let p = format!("{stem}-{w}.{tag}.webp");
                files.push((dir.join(format!("{w}.webp")), p.clone()));
                p
            });
            Variant {
                width: w,
                height: h,
                jpeg,
                webp,
            }
        })
        .collect();
    let og = format!("{stem}-og.{tag}.jpg");
    files.push((dir.join("og.jpg"), og.clone()));
    files.push((dir.join(&entry.full), output.to_string()));
    Rendition {
        variants,
        og: (og, entry.og.0, entry.og.1),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_never_enlarge() {
        assert_eq!(targets(4000), vec![480, 960, 1600]);
        assert_eq!(targets(1600), vec![480, 960, 1600]);
        assert_eq!(targets(1200), vec![480, 960, 1200]);
        assert_eq!(targets(300), vec![300]);
        assert_eq!(targets(480), vec![480]);
    }

    #[test]
    fn og_crop_is_centred_at_preview_proportions() {
        let img = DynamicImage::new_rgb8(3000, 4000);
        let og = og_crop(&img);
        assert_eq!((og.width(), og.height()), (OG_WIDTH, OG_HEIGHT));
        let small = og_crop(&DynamicImage::new_rgb8(600, 600));
        assert_eq!((small.width(), small.height()), (600, 315));
    }

    #[test]
    fn names_carry_the_key() {
        let entry = Entry {
            width: 2000,
            height: 1000,
            variants: vec![(480, 240, true), (960, 480, false)],
            og: (1200, 630),
            full: "960.jpg".into(),
        };
        let r = rendition(
            "mo-hinh/x/anh.jpg",
            "0123456789abcdef00000010",
            Path::new("/c"),
            &entry,
        );
        assert_eq!(r.variants[0].jpeg, "mo-hinh/x/anh-480.0123456789abcdef.jpg");
        assert_eq!(
            r.variants[0].webp.as_deref(),
            Some("mo-hinh/x/anh-480.0123456789abcdef.webp")
        );
        assert_eq!(r.variants[1].webp, None);
        assert_eq!(r.og.0, "mo-hinh/x/anh-og.0123456789abcdef.jpg");
        assert!(r
            .files
            .contains(&(PathBuf::from("/c/960.jpg"), "mo-hinh/x/anh.jpg".into())));
    }
}
