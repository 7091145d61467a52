//! Photos: resized to the published widths and never enlarged, turned
//! upright by their EXIF orientation, stripped of EXIF (GPS), cached between
//! builds, linked with `srcset`, and cut to a 1200×630 link preview.
//!
//! Test pictures are drawn here with the `image` crate; the EXIF block is
//! written byte by byte, as a phone would.

use crate::common;

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::{page, run};
use dienhinh::build::{build, BuildOptions};
use image::{DynamicImage, GenericImageView, ImageFormat, RgbImage};

/// A camera name that must not survive into any published file.
const CAMERA: &str = "DienhinhTestCam";

/// A JPEG whose pixels are stored sideways (left half red, right half blue)
/// with an EXIF block saying "rotate 90° clockwise to view" (Orientation
/// = 6, as phones write portrait photos), a camera make and a GPS position.
fn sideways_phone_photo(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
    with_exif(&jpeg, 6)
}

/// Inserts an APP1 "Exif" segment right after the JPEG's SOI marker.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    // TIFF, big-endian; IFD0 at offset 8 with three entries.
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entries: u16 = 3;
    let ifd0_len = 2 + 12 * u32::from(entries) + 4;
    let make_at = 8 + ifd0_len;
    let make = format!("{CAMERA}\0");
    let gps_at = make_at + make.len() as u32;
    tiff.extend(entries.to_be_bytes());
    // Make (0x010F), ASCII, stored after the IFD.
    tiff.extend(0x010F_u16.to_be_bytes());
    tiff.extend(2_u16.to_be_bytes());
    tiff.extend((make.len() as u32).to_be_bytes());
    tiff.extend(make_at.to_be_bytes());
    // Orientation (0x0112), SHORT, value in the first two bytes.
    tiff.extend(0x0112_u16.to_be_bytes());
    tiff.extend(3_u16.to_be_bytes());
    tiff.extend(1_u32.to_be_bytes());
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    // GPS IFD pointer (0x8825), LONG.
    tiff.extend(0x8825_u16.to_be_bytes());
    tiff.extend(4_u16.to_be_bytes());
    tiff.extend(1_u32.to_be_bytes());
    tiff.extend(gps_at.to_be_bytes());
    tiff.extend(0_u32.to_be_bytes()); // no next IFD
    tiff.extend(make.as_bytes());
    // GPS IFD: GPSLatitudeRef = "N".
    tiff.extend(1_u16.to_be_bytes());
    tiff.extend(0x0001_u16.to_be_bytes());
    tiff.extend(2_u16.to_be_bytes());
    tiff.extend(2_u32.to_be_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(0_u32.to_be_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn small_png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut png = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    png
}

/// A site with one model showing a sideways phone photo (2400×1800 stored,
/// 1800×2400 upright) and a small PNG.
fn photo_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content/mo-hinh")).unwrap();
    fs::write(
        site.join("site.yaml"),
        "title: \"Ảnh\"\nbase_url: \"https://vi-du.gov.vn/dan-van/\"\n",
    )
    .unwrap();
    fs::write(
        site.join("content/mo-hinh/tu-sach.md"),
        "---\nid: tsach\ntitle: \"Tủ sách\"\nfield: van-hoa-xa-hoi\nkind: tap-the\nimages:\n  - {src: anh-dien-thoai.jpg, alt: \"Tủ sách ở nhà văn hóa\"}\n  - {src: so-do.png, alt: \"Sơ đồ\"}\n---\nTủ sách cho thiếu nhi.\n",
    )
    .unwrap();
    fs::write(
        site.join("content/mo-hinh/anh-dien-thoai.jpg"),
        sideways_phone_photo(2400, 1800),
    )
    .unwrap();
    fs::write(site.join("content/mo-hinh/so-do.png"), small_png(300, 200)).unwrap();
    (tmp, site)
}

fn build_site(site: &Path) -> dienhinh::build::BuildReport {
    match build(&BuildOptions::new(site)) {
        Ok(r) => r,
        Err(f) => panic!("build failed: {:?}", f.diagnostics),
    }
}

fn dims(path: &Path) -> (u32, u32) {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .dimensions()
}

/// Published files of the model whose names start with `prefix`.
fn published(public: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(public.join("mo-hinh/tu-sach"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn photos_are_resized_upright_and_never_enlarged() {
    let (_tmp, site) = photo_site();
    build_site(&site);
    let dir = site.join("public/mo-hinh/tu-sach");
    let photo = published(&site.join("public"), "anh-dien-thoai-");
    // Three widths as JPEG and WebP, plus the preview crop.
    assert_eq!(photo.len(), 7, "{photo:?}");
    let mut sizes: Vec<(u32, u32)> = photo
        .iter()
        .filter(|n| !n.contains("-og.") && n.ends_with(".jpg"))
        .map(|n| dims(&dir.join(n)))
        .collect();
    sizes.sort();
    // Upright: the stored 2400×1800 is 1800×2400 on screen.
    assert_eq!(sizes, vec![(480, 640), (960, 1280), (1600, 2133)]);
    for n in photo.iter().filter(|n| n.ends_with(".webp")) {
        let (w, h) = dims(&dir.join(n));
        assert!(n.contains(&format!("-{w}.")), "{n} is {w}×{h}");
        assert!(h > w, "{n} is upright");
    }
    // Turned the right way: the stored left half (red) is now on top.
    let img = image::open(dir.join(photo.iter().find(|n| n.contains("-480.")).unwrap()))
        .unwrap()
        .to_rgb8();
    let top = img.get_pixel(240, 40).0;
    let bottom = img.get_pixel(240, 600).0;
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
    // A picture smaller than the smallest width keeps its size.
    let png = published(&site.join("public"), "so-do-");
    let png_sizes: Vec<(u32, u32)> = png
        .iter()
        .filter(|n| !n.contains("-og."))
        .map(|n| dims(&dir.join(n)))
        .collect();
    assert!(!png_sizes.is_empty());
    assert!(
        png_sizes.iter().all(|&s| s == (300, 200)),
        "{png:?} {png_sizes:?}"
    );
    // The original's own address still answers, with the largest size.
    assert_eq!(dims(&dir.join("anh-dien-thoai.jpg")), (1600, 2133));
    assert_eq!(dims(&dir.join("so-do.png")), (300, 200));
}

#[test]
fn no_exif_or_gps_survives() {
    let (_tmp, site) = photo_site();
    let original = fs::read(site.join("content/mo-hinh/anh-dien-thoai.jpg")).unwrap();
    assert!(contains(&original, b"Exif") && contains(&original, CAMERA.as_bytes()));
    build_site(&site);
    let mut checked = 0;
    for entry in files_under(&site.join("public")) {
        let bytes = fs::read(&entry).unwrap();
        let name = entry.to_string_lossy();
        if !(name.ends_with(".jpg") || name.ends_with(".webp") || name.ends_with(".png")) {
            continue;
        }
        checked += 1;
        assert!(!contains(&bytes, b"Exif"), "{name} carries EXIF");
        assert!(
            !contains(&bytes, CAMERA.as_bytes()),
            "{name} names the camera"
        );
        if name.ends_with(".jpg") {
            // No APP1 (EXIF/XMP) segment among the JPEG's headers.
            assert!(
                !jpeg_markers(&bytes).contains(&0xE1),
                "{name} has an APP1 segment"
            );
        }
    }
    assert!(
        checked >= 10,
        "every published picture was checked: {checked}"
    );
}

#[test]
fn unchanged_photos_are_not_encoded_again() {
    let (_tmp, site) = photo_site();
    let first = build_site(&site);
    assert_eq!(
        (
            first.images.photos,
            first.images.encoded,
            first.images.cached
        ),
        (2, 2, 0)
    );
    let cache = site.join(dienhinh::images::CACHE_DIR);
    let before: Vec<(PathBuf, std::time::SystemTime)> = files_under(&cache)
        .into_iter()
        .map(|p| {
            let m = fs::metadata(&p).unwrap().modified().unwrap();
            (p, m)
        })
        .collect();
    assert!(
        before.len() >= 10,
        "cache holds the encoded files: {before:?}"
    );
    let html_before = page(&site.join("public"), "mo-hinh/tu-sach/index.html");

    // Settings saved again: the next build runs every stage (a build with
    // nothing changed would not look at the photos at all).
    let yaml = site.join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}\n")).unwrap();
    let second = build_site(&site);
    assert!(!second.unchanged);
    assert_eq!((second.images.encoded, second.images.cached), (0, 2));
    for (p, m) in &before {
        assert_eq!(
            fs::metadata(p).unwrap().modified().unwrap(),
            *m,
            "{} rewritten",
            p.display()
        );
    }
    assert_eq!(
        page(&site.join("public"), "mo-hinh/tu-sach/index.html"),
        html_before
    );

    // A new photo under the same name is encoded; the other is not.
    fs::write(site.join("content/mo-hinh/so-do.png"), small_png(320, 200)).unwrap();
    let third = build_site(&site);
    assert_eq!((third.images.encoded, third.images.cached), (1, 1));
    let html = page(&site.join("public"), "mo-hinh/tu-sach/index.html");
    assert_ne!(html, html_before, "new photo, new file names");
}

#[test]
fn gallery_markup_has_srcset_sizes_and_dimensions() {
    let (_tmp, site) = photo_site();
    build_site(&site);
    let public = site.join("public");
    let html = page(&public, "mo-hinh/tu-sach/index.html");
    let start = html.find("<picture>").expect("a <picture>");
    let picture = &html[start..start + html[start..].find("</picture>").unwrap()];
    assert!(picture.contains("type=image/webp"), "{picture}");
    for attr in [
        "loading=lazy",
        "width=1600",
        "height=2133",
        "sizes=\"",
        "alt=\"Tủ sách ở nhà văn hóa\"",
    ] {
        assert!(picture.contains(attr), "lacks {attr}: {picture}");
    }
    // Every srcset candidate exists at the width it claims, under base_url.
    let mut candidates = 0;
    for set in attr_values(picture, "srcset=\"") {
        for item in set.split(", ") {
            let (url, w) = item.split_once(' ').unwrap();
            let rel = url
                .strip_prefix("/dan-van/")
                .expect("under the site's path");
            let w: u32 = w.trim_end_matches('w').parse().unwrap();
            assert_eq!(dims(&public.join(rel)).0, w, "{url}");
            candidates += 1;
        }
    }
    assert_eq!(candidates, 6, "three JPEG and three WebP sizes: {picture}");
    // The small PNG has one size only.
    assert_eq!(html.matches("<picture>").count(), 2);
}

#[test]
fn link_preview_is_a_1200_by_630_crop() {
    let (_tmp, site) = photo_site();
    build_site(&site);
    let public = site.join("public");
    let html = page(&public, "mo-hinh/tu-sach/index.html");
    let og = attr_values(&html, "<meta content=")
        .into_iter()
        .chain(attr_values(&html, "<meta content=\""))
        .find(|v| v.contains("-og."))
        .expect("og:image");
    let rel = og
        .strip_prefix("https://vi-du.gov.vn/dan-van/")
        .expect("absolute URL");
    assert_eq!(dims(&public.join(rel)), (1200, 630));
    assert!(html.contains("content=1200 property=og:image:width"));
    assert!(html.contains("content=630 property=og:image:height"));
}

#[test]
fn an_unreadable_image_names_the_file_and_line() {
    let (_tmp, site) = photo_site();
    fs::write(
        site.join("content/mo-hinh/so-do.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("DH032"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/mo-hinh/tu-sach.md:8:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("so-do.png"), "{}", out.stderr);
    assert!(!site.join("public").exists(), "nothing published");
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Marker bytes of a JPEG's header segments, up to the image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        out.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    out
}

fn attr_values(html: &str, prefix: &str) -> Vec<String> {
    html.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &html[i + prefix.len()..];
            let end = if prefix.ends_with('"') {
                rest.find('"').unwrap()
            } else {
                rest.find([' ', '>']).unwrap()
            };
            rest[..end].to_string()
        })
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// `dienhinh build` in the site's folder under a 2 GB address-space limit.
fn build_limited(site: &Path) -> std::process::Output {
    std::process::Command::new("prlimit")
        .arg("--as=2000000000")
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_dienhinh"))
        .arg("build")
        .current_dir(site)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run prlimit (util-linux)")
}

#[test]
fn a_pixel_bomb_is_refused_from_its_header() {
    let (_tmp, site) = photo_site();
    let first = build_limited(&site);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = common::snapshot(&site.join("public"));
    fs::write(
        site.join("content/mo-hinh/so-do.png"),
        common::png_claiming(60_000, 60_000),
    )
    .unwrap();
    let out = build_limited(&site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    assert!(stderr.contains("DH034"), "{stderr}");
    assert!(stderr.contains("content/mo-hinh/tu-sach.md:8:"), "{stderr}");
    assert!(stderr.contains("so-do.png"), "{stderr}");
    assert!(stderr.contains("60000×60000"), "{stderr}");
    assert!(stderr.contains("max_megapixels: 3600"), "{stderr}");
    assert_eq!(
        common::snapshot(&site.join("public")),
        before,
        "the previous site must stay as it was"
    );
}

#[test]
fn phone_photos_pass_the_pixel_check_and_the_limit_is_the_sites() {
    use dienhinh::images::{check_size, Refusal};
    let limit = dienhinh::config::DEFAULT_MAX_MEGAPIXELS * 1_000_000;
    // A phone's 50 MP mode, and a panorama of 16000×12000.
    for (w, h) in [(8160, 6120), (16_000, 12_000), (480, 320)] {
        assert_eq!(check_size(&common::png_claiming(w, h), limit), Ok((w, h)));
    }
    assert_eq!(
        check_size(&common::png_claiming(60_000, 60_000), limit),
        Err(Refusal::TooLarge {
            width: 60_000,
            height: 60_000
        })
    );
    assert!(check_size(&common::png_claiming(14_143, 14_143), limit).is_err());
    assert!(check_size(&common::png_claiming(60_000, 60_000), 4_000_000_000).is_ok());

    // The limit comes from site.yaml: at 1 megapixel the 2400×1800 phone
    // photo is refused with the value that would let it through.
    let (_tmp, site) = photo_site();
    fs::write(
        site.join("site.yaml"),
        "title: \"Ảnh\"\nimages: {max_megapixels: 1}\n",
    )
    .unwrap();
    let out = run(&site, &["build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("DH034"), "{}", out.stderr);
    assert!(out.stderr.contains("anh-dien-thoai.jpg"), "{}", out.stderr);
    assert!(out.stderr.contains("max_megapixels: 5"), "{}", out.stderr);
    assert_eq!(out.stderr.matches("DH034").count(), 1, "{}", out.stderr);

    fs::write(site.join("site.yaml"), "images: {max_megapixels: 0}\n").unwrap();
    let out = run(&site, &["build"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("site.yaml"), "{}", out.stderr);
    assert!(out.stderr.contains("max_megapixels"), "{}", out.stderr);
}
