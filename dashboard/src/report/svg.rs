//! Charts' SVG, read once by usvg and drawn twice: as vectors into the PDF (see [`super::pdf`])
//! and as PNG files beside the Markdown report (resvg, [`png`]).
//!
//! Both read the SVG with the same [`usvg::Options`], whose font database holds only the two
//! DejaVu Sans faces compiled into the binary. No system font is ever loaded and no file is read
//! for an `<image href>`, so a chart looks the same on every machine, with or without fonts
//! installed.

use std::sync::{Arc, LazyLock};

use usvg::fontdb;

pub use crate::fonts::{DEJAVU_SANS, DEJAVU_SANS_BOLD};

/// The family name of both embedded faces.
pub const FAMILY: &str = "DejaVu Sans";

/// Why a chart or a report could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// usvg refused the SVG (not XML, not SVG, or nesting too deep).
    #[error("the SVG could not be read: {0}")]
    Svg(#[from] usvg::Error),
    /// The SVG parsed, but has no area to draw on.
    #[error("the SVG has no size ({width}×{height})")]
    EmptySvg { width: f32, height: f32 },
    /// A PNG was asked for at a scale that is not a positive number.
    #[error("the PNG scale must be a positive number, not {0}")]
    Scale(f32),
    /// The PNG would be too large to hold in memory.
    #[error("a PNG of {width}×{height} pixels is too large")]
    PixmapSize { width: f32, height: f32 },
    /// The PNG encoder failed.
    #[error("the PNG could not be encoded: {0}")]
    Png(String),
    /// A chart of the report could not be drawn: its title and why.
    #[error("chart \"{0}\": {1}")]
    Chart(String, String),
    /// One of the fonts compiled into the binary could not be read.
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    /// krilla could not write the PDF.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// A format's renderer panicked; the text names the format.
    #[error("{0} failed unexpectedly")]
    Panicked(String),
    /// A table could not be written as CSV or XLSX.
    #[error("table: {0}")]
    Table(String),
    /// The HTML template failed.
    #[error("HTML: {0}")]
    Html(String),
}

/// The options every SVG is read with: only the embedded fonts, `sans-serif` mapped to DejaVu
/// Sans (plotters writes `font-family="sans-serif"`; fontdb would look for Arial), and no image
/// files read from disk.
static OPTIONS: LazyLock<usvg::Options<'static>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for face in [DEJAVU_SANS, DEJAVU_SANS_BOLD] {
        db.load_font_source(fontdb::Source::Binary(Arc::new(face)));
    }
    db.set_sans_serif_family(FAMILY);
    // Data URLs are read; a file name is not.
    let image_href_resolver = usvg::ImageHrefResolver {
        resolve_string: Box::new(|_, _| None),
        ..usvg::ImageHrefResolver::default()
    };
    usvg::Options {
        font_family: FAMILY.into(),
        fontdb: Arc::new(db),
        image_href_resolver,
        ..usvg::Options::default()
    }
});

/// Reads an SVG into a usvg tree with the embedded fonts; its text is laid out already.
pub fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    let tree = usvg::Tree::from_str(svg, &OPTIONS)?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err(RenderError::EmptySvg {
            width: size.width(),
            height: size.height(),
        });
    }
    Ok(tree)
}

/// Draws an SVG as a PNG on a white background, `scale` pixels per SVG pixel (2.0 for sharp
/// images on high-density screens). The image is the SVG's size times `scale`, rounded up.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(RenderError::Scale(scale));
    }
    let tree = tree(svg)?;
    let width = (tree.size().width() * scale).ceil();
    let height = (tree.size().height() * scale).ceil();
    let too_large = RenderError::PixmapSize { width, height };
    // 16384 pixels a side is far beyond any chart and keeps the `as u32` below exact.
    if width > 16_384.0 || height > 16_384.0 {
        return Err(too_large);
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width as u32, height as u32).ok_or(too_large)?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" width="100%"><rect x="10" y="10" width="50" height="20" fill="#0b3c68"/><text x="10" y="60" font-family="sans-serif" font-size="14">ideeën één</text></svg>"##;

    /// Width and height from a PNG's IHDR chunk.
    fn png_size(png: &[u8]) -> (u32, u32) {
        let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn a_png_has_the_signature_and_the_scaled_size() {
        let png = png(SVG, 2.0).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(png_size(&png), (400, 160));
        assert_eq!(png_size(&super::png(SVG, 1.25).unwrap()), (250, 100));
    }

    #[test]
    fn the_viewbox_gives_the_size_and_text_uses_only_the_embedded_faces() {
        let tree = tree(SVG).unwrap();
        assert_eq!((tree.size().width(), tree.size().height()), (200.0, 80.0));
        assert_eq!(tree.fontdb().len(), 2);
        // The text was laid out (into paths for resvg), so a font was found for "sans-serif".
        let mut texts = 0;
        for node in tree.root().children() {
            if let usvg::Node::Text(text) = node {
                texts += 1;
                assert!(!text.layouted().is_empty(), "no font for the text");
                assert!(text.flattened().children().iter().count() > 0);
            }
        }
        assert_eq!(texts, 1);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(tree("<svg"), Err(RenderError::Svg(_))));
        assert!(matches!(tree("not svg at all"), Err(RenderError::Svg(_))));
        assert!(matches!(png(SVG, 0.0), Err(RenderError::Scale(_))));
        assert!(matches!(png(SVG, f32::NAN), Err(RenderError::Scale(_))));
        assert!(matches!(
            png(SVG, 1000.0),
            Err(RenderError::PixmapSize { .. })
        ));
        let message = tree("<svg").unwrap_err().to_string();
        assert!(
            message.starts_with("the SVG could not be read"),
            "{message}"
        );
    }
}
