//! Colours: a sequential blue scale (readable for the common colour-vision deficiencies, and in
//! greyscale) and two contrasting series colours.

use plotters::style::RGBColor;

/// Series colours: dark blue and orange (Okabe–Ito), distinguishable for colour-blind readers.
pub const SERIES_A: RGBColor = RGBColor(0, 90, 158);
pub const SERIES_B: RGBColor = RGBColor(213, 94, 0);
pub const GRID: RGBColor = RGBColor(221, 221, 221);
pub const TEXT: RGBColor = RGBColor(34, 34, 34);
pub const MUTED: RGBColor = RGBColor(102, 102, 102);
pub const SUPPRESSED: RGBColor = RGBColor(230, 230, 230);
pub const PARTIAL: RGBColor = RGBColor(245, 245, 245);

const LIGHT: (f64, f64, f64) = (239.0, 246.0, 255.0);
const DARK: (f64, f64, f64) = (8.0, 48.0, 107.0);

/// The fill for `value` on a scale up to `max`, and a text colour that contrasts with it.
pub fn sequential(value: u32, max: u32) -> (RGBColor, RGBColor) {
    if value == 0 || max == 0 {
        return (RGBColor(255, 255, 255), MUTED);
    }
    // A square-root scale keeps small counts visible next to a large maximum.
    let t = 0.15 + 0.85 * (f64::from(value) / f64::from(max)).sqrt().min(1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    let fill = RGBColor(
        mix(LIGHT.0, DARK.0),
        mix(LIGHT.1, DARK.1),
        mix(LIGHT.2, DARK.2),
    );
    // Relative luminance decides the text colour (WCAG contrast).
    let luminance =
        0.2126 * f64::from(fill.0) + 0.7152 * f64::from(fill.1) + 0.0722 * f64::from(fill.2);
    let text = if luminance < 140.0 {
        RGBColor(255, 255, 255)
    } else {
        TEXT
    };
    (fill, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_darkens_and_flips_the_text_colour() {
        let (low, low_text) = sequential(1, 20);
        let (high, high_text) = sequential(20, 20);
        assert!(u32::from(high.0) + u32::from(high.1) < u32::from(low.0) + u32::from(low.1));
        assert_eq!(low_text, TEXT);
        assert_eq!(high_text, RGBColor(255, 255, 255));
        assert_eq!(sequential(0, 20).0, RGBColor(255, 255, 255));
    }
}
