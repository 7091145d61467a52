//! QR codes of short links for printed pages, drawn as SVG at build time so
//! a printed page needs no network and no script.
//!
//! The `qrcode` crate encodes and draws; the mask is chosen here. The crate
//! scores each of the eight masks by masking a copy of the whole canvas and
//! walking it module by module, which made QR codes the largest single cost
//! of rendering a model page (a sixth of the render stage at 100,000
//! models). Here each version's function patterns and mask patterns are
//! drawn once, by the crate, as rows of bits ([`Layout`]); a code under a
//! mask is then one XOR per row, and [`penalty`] scores it by the same rules
//! over whole rows. The code drawn is the crate's own (a test holds them
//! equal), several times faster.

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{bits, ec, Color, EcLevel, Version};

/// Modules of white border the QR specification asks for.
const QUIET: usize = 4;

/// The level of error correction: M, as the crate's default.
const LEVEL: EcLevel = EcLevel::M;

/// The masks in the crate's order: on equal penalties the first wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The versions whose side fits a row of bits (61 modules; a short link
/// needs versions 2 to 4).
const BIT_VERSIONS: usize = 11;

/// An SVG QR code of `text`: one path of dark runs on a white background
/// (scanners need dark on light, whatever the page's theme), each run a
/// line one module wide.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = encode(text)?;
    let size = code.width + 2 * QUIET;
    Some(format!(
        r##"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="none" stroke="#000" d="{}"/></svg>"##,
        crate::core::xml::xml_escape(label),
        path(&code)
    ))
}

/// A square of modules, row by row, `true` for dark.
struct Modules {
    width: usize,
    dark: Vec<bool>,
}

impl Modules {
    fn new(width: usize, colors: Vec<Color>) -> Modules {
        let dark = colors.into_iter().map(|c| c == Color::Dark).collect();
        Modules { width, dark }
    }

    fn of_rows(rows: &[u64]) -> Modules {
        let width = rows.len();
        let dark = rows
            .iter()
            .flat_map(|&row| (0..width).map(move |x| row >> x & 1 == 1))
            .collect();
        Modules { width, dark }
    }

    fn at(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

/// `text` at error correction level M with the mask of least penalty.
fn encode(text: &str) -> Option<Modules> {
    let bits = bits::encode_auto(text.as_bytes(), LEVEL).ok()?;
    let version = bits.version();
    let width = usize::try_from(version.width()).ok()?;
    let Some(layout) = Layout::of(version) else {
        // Longer than any link: the crate draws it, mask and all.
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), LEVEL).ok()?;
        return Some(Modules::new(width, code.to_colors()));
    };
    let (data, ecc) = ec::construct_codewords(&bits.into_bytes(), version, LEVEL).ok()?;
    let mut canvas = Canvas::new(version, LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ecc);
    let data = Lines::of(&canvas, width, |m| m == Module::Unmasked(Color::Dark));
    // On equal penalties the first mask wins, as in the crate.
    layout
        .masked
        .iter()
        .map(|masked| masked.xor(&data))
        .min_by_key(penalty)
        .map(|code| Modules::of_rows(&code.rows))
}

/// A square of modules as rows of bits and as columns of bits: bit `x` of
/// row `y` and bit `y` of column `x` set for a dark module. Both, so that
/// the penalty's column rules need no transposing per mask.
struct Lines {
    rows: Vec<u64>,
    cols: Vec<u64>,
}

impl Lines {
    /// The modules of `canvas` for which `set` holds.
    fn of(canvas: &Canvas, width: usize, set: impl Fn(Module) -> bool) -> Lines {
        let mut lines = Lines {
            rows: vec![0; width],
            cols: vec![0; width],
        };
        for y in 0..width {
            for x in 0..width {
                // Both under 64 (BIT_VERSIONS).
                if set(canvas.get(x as i16, y as i16)) {
                    lines.rows[y] |= 1 << x;
                    lines.cols[x] |= 1 << y;
                }
            }
        }
        lines
    }

    fn xor(&self, other: &Lines) -> Lines {
        let each = |a: &[u64], b: &[u64]| a.iter().zip(b).map(|(a, b)| a ^ b).collect();
        Lines {
            rows: each(&self.rows, &other.rows),
            cols: each(&self.cols, &other.cols),
        }
    }
}

/// What every code of one version shows under each mask before its data:
/// the function patterns (finders, timing, alignment, version and format
/// information, the format differing by mask) and, over the data modules,
/// the mask's own pattern. Drawn by the crate on a canvas with no data, so
/// a code under mask `k` is `masked[k]` XOR its unmasked data modules.
struct Layout {
    masked: Vec<Lines>,
}

impl Layout {
    /// The layout of `version`, drawn on first use; `None` past the
    /// versions a row of bits holds.
    fn of(version: Version) -> Option<&'static Layout> {
        static LAYOUTS: [OnceLock<Layout>; BIT_VERSIONS] =
            [const { OnceLock::new() }; BIT_VERSIONS];
        let Version::Normal(n) = version else {
            return None;
        };
        let slot = LAYOUTS.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
        Some(slot.get_or_init(|| Layout::draw(version)))
    }

    fn draw(version: Version) -> Layout {
        let width = version.width() as usize;
        let mut blank = Canvas::new(version, LEVEL);
        blank.draw_all_functional_patterns();
        let masked = MASKS
            .iter()
            .map(|&mask| {
                // The crate masks an empty data module to the mask's colour.
                let mut canvas = blank.clone();
                canvas.apply_mask(mask);
                Lines::of(&canvas, width, Module::is_dark)
            })
            .collect();
        Layout { masked }
    }
}

/// The specification's mask penalty, computed as the `qrcode` crate does
/// (its balance rule is unrounded, its finder rule counts a pattern unless
/// both sides hold four light modules, the three finders subtracted).
/// Bitwise over whole rows: the branchy per-module loops mispredict on
/// what is by design a random pattern.
fn penalty(g: &Lines) -> u32 {
    let w = g.rows.len();
    let lines = g.rows.iter().chain(&g.cols);
    let mut score: u32 = lines.map(|&line| runs(line, w) + finders(line, w)).sum();
    // 2×2 blocks of one colour, 3 points each.
    let pairs = (1u64 << (w - 1)) - 1;
    for r in g.rows.windows(2) {
        let (a, b) = (r[0], r[1]);
        let same = !(a ^ b) & !(a ^ a >> 1) & !(b ^ b >> 1) & pairs;
        score += 3 * same.count_ones();
    }
    let dark: u32 = g.rows.iter().map(|r| r.count_ones()).sum();
    let ratio = dark as usize * 200 / (w * w);
    // The finders' own 1:1:3:1:1 rows and columns: 9 each way, 40 points.
    score + ratio.abs_diff(100) as u32 - 720
}

/// Modules `from..to` of a line of `w`, as a mask.
fn span(from: usize, to: usize, w: usize) -> u64 {
    let bits = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    bits(to.min(w)) & !bits(from)
}

/// Five or more modules of one colour in a line of `w`: 3 points, and 1
/// more for each module beyond five. A run of `n` holds `n - 4` windows of
/// five equal modules, so its `n - 2` points are its windows plus 2 for
/// the run: counted over the whole line at once, without a loop over runs.
fn runs(line: u64, w: usize) -> u32 {
    // Bit i set: module i equals module i + 1 (both within the line).
    let same = !(line ^ line >> 1) & span(0, w - 1, w);
    // Bit i set: modules i..=i + 4 are one colour.
    let windows = same & same >> 1 & same >> 2 & same >> 3;
    // A run's first window: no window starts one module before it.
    let firsts = windows & !(windows << 1);
    windows.count_ones() + 2 * firsts.count_ones()
}

/// 40 points for each dark-light-dark×3-light-dark pattern in a line of
/// `w` lacking four light modules (or the edge) on either side.
fn finders(line: u64, w: usize) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut at = span(0, w + 1 - 7, w);
    for (k, &dark) in PATTERN.iter().enumerate() {
        at &= if dark { line >> k } else { !(line >> k) };
    }
    let mut score = 0;
    while at != 0 {
        let j = at.trailing_zeros() as usize;
        let before = line & span(j.saturating_sub(4), j, w);
        let after = line & span(j + 7, j + 11, w);
        if before == 0 || after == 0 {
            score += 40;
        }
        at &= at - 1;
    }
    score
}

/// The dark modules as one SVG path: each row's runs as horizontal lines
/// through the middle of the row, stroked one module wide (the same
/// squares as a rectangle a run). A row starts with "M{x} {y}.5h{n}",
/// each run after it "m{gap} 0h{n}": half the bytes of a rectangle a run
/// ("M{x} {y}h{n}v1h-{n}z"), and the code is some 1.5 KB of every
/// document's page.
fn path(g: &Modules) -> String {
    let mut d = String::with_capacity(g.width * g.width / 2);
    let mut number = itoa::Buffer::new();
    let mut push = |d: &mut String, n: usize| d.push_str(number.format(n));
    for y in 0..g.width {
        let mut x = 0;
        // Where the last run of this row ended, once there is one.
        let mut end: Option<usize> = None;
        while x < g.width {
            if !g.at(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < g.width && g.at(x, y) {
                x += 1;
            }
            // Written without `format!`: a page's code has some 250 runs,
            // and formatting them was a third of drawing it.
            match end {
                None => {
                    d.push('M');
                    push(&mut d, start + QUIET);
                    d.push(' ');
                    push(&mut d, y + QUIET);
                    d.push_str(".5h");
                }
                Some(end) => {
                    d.push('m');
                    push(&mut d, start - end);
                    d.push_str(" 0h");
                }
            }
            push(&mut d, x - start);
            end = Some(x);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_square_code_with_quiet_zone() {
        let svg = svg("https://vi-du.gov.vn/m/abc12/", "Mã QR").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\""));
        assert!(
            svg.contains("viewBox=\"0 0 37 37\""),
            "version 3 (29 modules) + 2×4 quiet: {svg}"
        );
        assert!(
            svg.contains(r#"d="M4 4.5h7m"#),
            "finder pattern's top row starts in the corner: {svg}"
        );
    }

    /// The mask chosen here is the one the crate chooses, module for module.
    #[test]
    fn same_code_as_the_qrcode_crate() {
        let mut texts: Vec<String> = (0..400)
            .map(|i| format!("https://dan-van.example.vn/m/{:x}/", i * 7919 + i * i))
            .collect();
        texts.extend((1..120).map(|n| "đ".repeat(n)));
        texts.push("x".into());
        texts.push("đường dài ".repeat(50)); // version 14: drawn by the crate
        for text in texts {
            let ours = encode(&text).unwrap();
            let theirs =
                qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
            assert_eq!(ours.width, theirs.width(), "{text}");
            let theirs = Modules::new(ours.width, theirs.to_colors());
            assert!(ours.dark == theirs.dark, "different code for {text}");
        }
    }

    /// The bitwise run count against the rule read module by module.
    #[test]
    fn runs_score_as_counted_one_module_at_a_time() {
        let by_module = |line: u64, w: usize| {
            let (mut score, mut len) = (0, 1);
            for x in 1..=w {
                if x < w && (line >> x & 1) == (line >> (x - 1) & 1) {
                    len += 1;
                    continue;
                }
                if len >= 5 {
                    score += len - 2;
                }
                len = 1;
            }
            score
        };
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for w in 5..=61 {
            for _ in 0..200 {
                // xorshift: random lines, sparser ones and one byte repeated.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let repeated = (state & 0xFF) * 0x0101_0101_0101_0101;
                for line in [state, state & (state >> 1), repeated] {
                    let line = line & span(0, w, w);
                    assert_eq!(runs(line, w), by_module(line, w), "{line:b} of {w}");
                }
            }
        }
    }

    #[test]
    fn runs_and_finders_score_as_the_specification_says() {
        assert_eq!(runs(0b11111, 5), 3);
        assert_eq!(runs(0b1111111, 7), 5);
        assert_eq!(runs(0b1011, 4), 0);
        assert_eq!(runs(0b0000_0111_1100_0000, 16), 3 + 3 + 4);
        let finder = 0b1011101;
        assert_eq!(finders(finder, 7), 40, "edges count as light");
        let framed = 1 | finder << 4 | 1 << 14;
        assert_eq!(finders(framed, 15), 0, "dark within four on both sides");
        assert_eq!(finders(framed, 14), 40, "no dark after: the edge");
        assert_eq!(finders(finder << 4 | 1 << 12, 16), 40, "light before");
    }
}
