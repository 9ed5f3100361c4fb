//! Charts as SVG, drawn by plotters on the server (the web pages and the reports share them).
//! Text is measured with an embedded font, so labels fit on a machine with no fonts installed;
//! every chart is paired with a table of its numbers by the caller (the text alternative).

mod heatmap;
mod palette;
mod timeline;

pub use heatmap::{HeatCell, Heatmap};
pub use timeline::{Timeline, TimelinePoint};

use crate::fonts::DEJAVU_SANS;

/// The family name charts use; browsers fall back to their own sans-serif.
const FAMILY: &str = "sans-serif";

static FONT: std::sync::Once = std::sync::Once::new();

/// Registers the embedded font with plotters, once per process.
fn register_font() {
    FONT.call_once(|| {
        // `InvalidFont` is not `Debug`; the font is compiled in, so this cannot fail at run time
        // unless the file in the repository is broken — the chart tests would show that.
        if plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, DEJAVU_SANS)
            .is_err()
        {
            tracing::error!("the embedded DejaVuSans.ttf could not be read");
        }
    });
}

/// A chart could not be drawn (an error of plotters' drawing backend).
#[derive(Debug, thiserror::Error)]
#[error("chart: {0}")]
pub struct ChartError(String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// Escapes text for an SVG attribute or element written by hand.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Makes plotters' SVG accessible: a `role="img"`, a `<title>` and an `aria-labelledby` on the
/// root element, and a `viewBox` so it scales down on a phone.
fn accessible(svg: String, id: &str, title: &str, width: u32, height: u32) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg;
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg;
    };
    let id = escape(id);
    let open = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{id}-title" class="chart"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    format!("{open}{}", without_empty_lines(&svg[end + 1..]))
}

/// `svg` without polylines of no length: plotters' dashed lines end in a dash of zero length
/// when a segment is a multiple of the dash pattern, which draws nothing and which renderers
/// (resvg) warn about when stroking.
fn without_empty_lines(svg: &str) -> String {
    static POLYLINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"<polyline[^>]*\spoints="([^"]*)"[^>]*/>"#).expect("a valid regex")
    });
    POLYLINE
        .replace_all(svg, |c: &regex::Captures<'_>| {
            let mut points = c[1].split_whitespace();
            let first = points.next();
            if points.all(|p| Some(p) == first) {
                String::new()
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_registers_and_measures_text() {
        register_font();
        let font: plotters::style::FontDesc<'_> = (FAMILY, 12.0).into();
        let (w, h) = font.box_size("Werkdruk docenten").unwrap();
        assert!(w > 50 && h > 5, "{w}×{h}");
    }

    #[test]
    fn polylines_of_no_length_are_left_out() {
        let svg = r#"<svg><polyline fill="none" points="659,93 659,93 "/><polyline points="1,2 3,4"/><polyline points="5,5"/></svg>"#;
        let out = accessible(svg.into(), "x", "t", 10, 10);
        assert!(!out.contains("659,93"));
        assert!(!out.contains("5,5"));
        assert!(out.contains(r#"<polyline points="1,2 3,4"/>"#));
    }

    #[test]
    fn accessible_wraps_the_root_element() {
        let svg = r#"<svg width="10" height="20" viewBox="0 0 10 20" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = accessible(svg.into(), "x", "A & B", 10, 20);
        assert!(out.starts_with("<svg xmlns"));
        assert!(out.contains("<title id=\"x-title\">A &amp; B</title><rect/>"));
        assert_eq!(out.matches("<svg").count(), 1);
    }
}
