//! WCAG AA contrast of the default theme in both colour schemes, computed
//! from the custom properties of its stylesheet: the light `:root`, the
//! `prefers-color-scheme: dark` `:root` and the print `:root` on top of the
//! light one. Text needs 4.5:1; focus outlines and chart bars (non-text)
//! 3:1. The QR code keeps fixed dark-on-white colours in every scheme.

use std::collections::HashMap;

const CSS: &str = include_str!("../../themes/default/static/style.css");

type Scheme = HashMap<String, String>;

/// `--name: value;` pairs of the first `:root { … }` after `from`.
fn root_vars(css: &str, from: usize) -> Scheme {
    let start = from + css[from..].find(":root {").expect(":root block") + ":root {".len();
    let end = start + css[start..].find('}').unwrap();
    css[start..end]
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .filter(|(k, _)| k.trim().starts_with("--"))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn schemes() -> Vec<(&'static str, Scheme)> {
    let light = root_vars(CSS, 0);
    let dark_at = CSS
        .find("@media (prefers-color-scheme: dark)")
        .expect("a dark scheme");
    let mut dark = light.clone();
    dark.extend(root_vars(CSS, dark_at));
    let mut print = light.clone();
    print.extend(root_vars(
        CSS,
        CSS.find("@media print").expect("print rules"),
    ));
    vec![("light", light), ("dark", dark), ("print", print)]
}

/// The declarations of the rule whose selector list is exactly `selector`.
fn rule(selector: &str) -> HashMap<String, String> {
    let at = CSS
        .find(&format!("\n{selector} {{"))
        .unwrap_or_else(|| panic!("no rule {selector}"));
    let start = at + selector.len() + 3;
    let end = start + CSS[start..].find('}').unwrap();
    CSS[start..end]
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// A colour value: `#rgb`, `#rrggbb` or `var(--x)` in `scheme`.
fn color(scheme: &Scheme, value: &str) -> [f64; 3] {
    let value = value.trim();
    if let Some(name) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
        let v = scheme
            .get(name.trim())
            .unwrap_or_else(|| panic!("{name} undefined"));
        return color(scheme, v);
    }
    let hex = value
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("not a colour: {value}"));
    let hex: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_string()
    };
    let c = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
    [c(0), c(2), c(4)]
}

fn luminance(c: [f64; 3]) -> f64 {
    let f = |v: f64| {
        let s = v / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
}

fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `top` painted at `alpha` over `under`.
fn blend(top: [f64; 3], under: [f64; 3], alpha: f64) -> [f64; 3] {
    [0, 1, 2].map(|i| top[i] * alpha + under[i] * (1.0 - alpha))
}

#[test]
fn text_meets_aa_in_both_schemes() {
    // (foreground, background, where)
    let pairs = [
        ("--fg", "--bg", "body text"),
        ("--fg", "--soft", "badges, tags, table heads, notes"),
        ("--muted", "--bg", "muted text, captions, footer"),
        ("--muted", "--soft", "counts in term lists"),
        ("--link", "--bg", "links"),
        ("--link", "--soft", "links in term lists and notes"),
        (
            "--accent-fg",
            "--accent",
            "skip link, current page, pressed facet",
        ),
        ("--brand-fg", "--brand", "header"),
        ("--fg", "--mark", "search highlight"),
        ("--link", "--mark", "search highlight in a result title"),
    ];
    let mut failures = Vec::new();
    for (name, s) in schemes() {
        for (fg, bg, what) in pairs {
            if name == "print" && (fg == "--accent-fg" || fg == "--brand-fg") {
                continue; // the header is not printed
            }
            let r = ratio(
                color(&s, &format!("var({fg})")),
                color(&s, &format!("var({bg})")),
            );
            if r < 4.5 {
                failures.push(format!("{name}: {what} ({fg} on {bg}) {r:.2}:1"));
            }
        }
    }
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

#[test]
fn the_search_highlight_uses_the_scheme_colours() {
    let mark = rule(".search-results mark");
    assert_eq!(mark["background"], "var(--mark)");
    assert_eq!(mark["color"], "inherit");
}

#[test]
fn focus_outlines_and_chart_bars_stand_out() {
    let focus = rule("a:focus-visible, button:focus-visible, input:focus-visible");
    let outline = focus["outline"].rsplit(' ').next().unwrap().to_string();
    let header_focus = rule(".site-header :focus-visible");
    let header = rule(".site-header");
    let chart = rule(".chart-box");
    for (name, s) in schemes() {
        let bg = color(&s, "var(--bg)");
        let r = ratio(color(&s, &outline), bg);
        assert!(r >= 3.0, "{name}: focus outline {r:.2}:1");
        if name != "print" {
            let r = ratio(
                color(&s, &header_focus["outline-color"]),
                color(&s, &header["background"]),
            );
            assert!(r >= 3.0, "{name}: focus outline on the header {r:.2}:1");
        }
        // Bars are `currentColor` (the chart box's colour) at 0.75 opacity.
        let bar = blend(color(&s, &chart["color"]), bg, 0.75);
        let r = ratio(bar, bg);
        assert!(r >= 3.0, "{name}: chart bars {r:.2}:1");
    }
}

#[test]
fn qr_codes_stay_dark_on_white() {
    let svg = dienhinh::qr::svg("https://vi-du.gov.vn/m/abc12/", "QR").unwrap();
    assert!(svg.contains("fill=\"#fff\""), "white background: {svg}");
    assert!(
        svg.contains("<path fill=\"none\" stroke=\"#000\""),
        "black modules"
    );
    assert!(!svg.contains("currentColor"), "no theme colour");
    // And no rule of the stylesheet repaints them.
    for sel in [".qr path", ".qr rect", "svg path", ".qr {"] {
        let hits: Vec<_> = CSS.match_indices(sel).collect();
        for (i, _) in hits {
            let body = &CSS[i..i + CSS[i..].find('}').unwrap()];
            assert!(
                !body.contains("fill") && !body.contains("stroke"),
                "{sel} repaints the QR code: {body}"
            );
        }
    }
}

#[test]
fn dark_scheme_redefines_every_colour() {
    let s = schemes();
    let light = root_vars(CSS, 0);
    let dark_at = CSS.find("@media (prefers-color-scheme: dark)").unwrap();
    let dark_only = root_vars(CSS, dark_at);
    for k in light.keys().filter(|k| light[*k].starts_with('#')) {
        assert!(dark_only.contains_key(k), "{k} has no dark value");
    }
    assert!(
        luminance(color(&s[1].1, "var(--bg)")) < 0.05,
        "dark background"
    );
}
