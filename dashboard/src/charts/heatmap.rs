//! A heatmap of themes (rows) × periods (columns): the count in each cell, darker for more.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{self, sequential};
use super::{ChartError, FAMILY, accessible, register_font};

/// One cell: a count, or a count withheld by disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeatCell {
    Count(u32),
    /// Fewer than k; shown as the `suppressed` label.
    Suppressed,
}

#[derive(Debug, Clone)]
pub struct Heatmap {
    /// Used for the SVG's element ids; unique on a page.
    pub id: String,
    pub title: String,
    pub rows: Vec<String>,
    /// Period labels; `true` marks the running (partial) period.
    pub columns: Vec<(String, bool)>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<HeatCell>>,
    /// The text in a suppressed cell, e.g. "<3".
    pub suppressed: String,
    /// The legend line under the map.
    pub legend: String,
}

const ROW_HEIGHT: i32 = 26;
const COLUMN_WIDTH: i32 = 62;
const LABEL_WIDTH: i32 = 230;
const TOP: i32 = 34;
const BOTTOM: i32 = 30;

impl Heatmap {
    pub fn svg(&self) -> Result<String, ChartError> {
        register_font();
        let columns = self.columns.len() as i32;
        let rows = self.rows.len() as i32;
        let width = (LABEL_WIDTH + columns * COLUMN_WIDTH + 10).max(320) as u32;
        let height = (TOP + rows * ROW_HEIGHT + BOTTOM) as u32;
        let max = self
            .cells
            .iter()
            .flatten()
            .filter_map(|c| match c {
                HeatCell::Count(n) => Some(*n),
                HeatCell::Suppressed => None,
            })
            .max()
            .unwrap_or(0);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE)?;
            let label = TextStyle::from((FAMILY, 13).into_font()).color(&palette::TEXT);
            let header = TextStyle::from((FAMILY, 12).into_font())
                .color(&palette::MUTED)
                .pos(Pos::new(HPos::Center, VPos::Center));
            for (c, (period, partial)) in self.columns.iter().enumerate() {
                let x = LABEL_WIDTH + c as i32 * COLUMN_WIDTH;
                if *partial {
                    root.draw(&Rectangle::new(
                        [(x, TOP - 4), (x + COLUMN_WIDTH, TOP + rows * ROW_HEIGHT)],
                        palette::PARTIAL.filled(),
                    ))?;
                }
                let text = if *partial {
                    format!("{period}*")
                } else {
                    period.clone()
                };
                root.draw(&Text::new(
                    text,
                    (x + COLUMN_WIDTH / 2, TOP / 2),
                    header.clone(),
                ))?;
            }
            for (r, name) in self.rows.iter().enumerate() {
                let y = TOP + r as i32 * ROW_HEIGHT;
                let shown: String = if name.chars().count() > 32 {
                    name.chars().take(31).chain(['…']).collect()
                } else {
                    name.clone()
                };
                root.draw(&Text::new(
                    shown,
                    (6, y + ROW_HEIGHT / 2),
                    label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                for (c, cell) in self.cells[r].iter().enumerate() {
                    let x = LABEL_WIDTH + c as i32 * COLUMN_WIDTH;
                    let (fill, ink, text) = match cell {
                        HeatCell::Count(n) => {
                            let (fill, ink) = sequential(*n, max);
                            (fill, ink, n.to_string())
                        }
                        HeatCell::Suppressed => {
                            (palette::SUPPRESSED, palette::TEXT, self.suppressed.clone())
                        }
                    };
                    root.draw(&Rectangle::new(
                        [(x + 1, y + 1), (x + COLUMN_WIDTH - 1, y + ROW_HEIGHT - 1)],
                        fill.filled(),
                    ))?;
                    root.draw(&Text::new(
                        text,
                        (x + COLUMN_WIDTH / 2, y + ROW_HEIGHT / 2),
                        TextStyle::from((FAMILY, 12).into_font())
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
            }
            root.draw(&Text::new(
                self.legend.clone(),
                (6, TOP + rows * ROW_HEIGHT + BOTTOM / 2),
                TextStyle::from((FAMILY, 11).into_font())
                    .color(&palette::MUTED)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            root.present()?;
        }
        Ok(accessible(svg, &self.id, &self.title, width, height))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Heatmap {
        Heatmap {
            id: "hm".into(),
            title: "Regio's per thema".into(),
            rows: vec!["Werkdruk docenten".into(), "Corona <& co>".into()],
            columns: vec![("2026-Q2".into(), false), ("2026-Q3".into(), true)],
            cells: vec![
                vec![HeatCell::Count(4), HeatCell::Count(0)],
                vec![HeatCell::Suppressed, HeatCell::Count(12)],
            ],
            suppressed: "<3".into(),
            legend: "* lopende periode".into(),
        }
    }

    #[test]
    fn every_label_and_count_is_in_the_svg_escaped() {
        // plotters writes each text on a line of its own.
        let svg = map().svg().unwrap().replace('\n', "");
        for text in [
            "Werkdruk docenten",
            "Corona &lt;&amp; co&gt;",
            "2026-Q3*",
            ">12<",
            "&lt;3",
            ">4<",
        ] {
            assert!(svg.contains(text), "{text} missing in {svg}");
        }
        assert!(!svg.contains("<& co>"));
        assert!(svg.contains("role=\"img\""));
    }
}
