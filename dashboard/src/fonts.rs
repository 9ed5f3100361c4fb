//! The fonts compiled into the binary (DejaVu, Bitstream Vera licence in
//! `assets/DejaVuSans.LICENSE`): charts measure their labels with them and the PDF and PNG
//! renderers draw with them, so output looks the same on a machine with no fonts installed.

/// DejaVu Sans: chart labels and the PDF's body text.
pub static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// DejaVu Sans Bold: headings and table headers of the PDF.
pub static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../assets/DejaVuSans-Bold.ttf");
