//! QR codes of short links for printed pages, drawn as SVG at build time so
//! a printed page needs no network and no script.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border the QR specification asks for.
const QUIET: usize = 4;

/// An SVG QR code of `text`: one path of unit squares on a white
/// background (scanners need dark on light, whatever the page's theme).
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        r##"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        crate::render::xml_escape(label)
    ))
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
            svg.contains("M4 4h1v1h-1z"),
            "finder pattern starts in the corner"
        );
    }
}
