//! A theme's timeline: a count per period (distinct regions, or other regions for a programme
//! leader) as a line, optionally a share of sessions on a second axis; the running period is
//! shaded, and counts withheld by disclosure control are a band, never a point.

use plotters::prelude::*;

use super::palette;
use super::{ChartError, FAMILY, accessible, register_font};

#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    pub period: String,
    pub partial: bool,
    /// `None`: withheld (fewer than k).
    pub count: Option<u32>,
    /// A share in 0..=1, drawn on the right axis.
    pub share: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub count_label: String,
    /// The right axis; `None` draws no share line.
    pub share_label: Option<String>,
    /// The band below k for withheld counts, with its legend text.
    pub suppressed: Option<(u32, String)>,
    pub partial_label: String,
    pub points: Vec<TimelinePoint>,
}

const WIDTH: u32 = 760;
const HEIGHT: u32 = 320;

impl Timeline {
    /// The chart's size in pixels (its viewBox).
    pub const SIZE: (u32, u32) = (WIDTH, HEIGHT);

    pub fn svg(&self) -> Result<String, ChartError> {
        register_font();
        let n = self.points.len().max(1);
        let top = self
            .points
            .iter()
            .filter_map(|p| p.count)
            .max()
            .unwrap_or(0)
            .max(self.suppressed.as_ref().map_or(0, |(k, _)| *k))
            .max(4);
        // Headroom above the highest point keeps the lines clear of the legend.
        let y_max = f64::from(top) * 1.45;
        let share_max = self
            .points
            .iter()
            .filter_map(|p| p.share)
            .fold(0.0f64, f64::max)
            .max(0.05)
            * 145.0;
        let labels: Vec<&str> = self.points.iter().map(|p| p.period.as_str()).collect();
        // Every period label when they fit, otherwise every second or third one.
        let step = n.div_ceil(12).max(1);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(44)
                .right_y_label_area_size(if self.share_label.is_some() { 48 } else { 0 })
                .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..y_max)?
                .set_secondary_coord(-0.5f64..(n as f64 - 0.5), 0f64..share_max);
            let x_formatter = |x: &f64| {
                let i = x.round();
                if (x - i).abs() > 0.01 || i < 0.0 || !(i as usize).is_multiple_of(step) {
                    return String::new();
                }
                labels
                    .get(i as usize)
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default()
            };
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(palette::GRID)
                .y_labels(6)
                .x_labels(n * 4)
                .x_label_formatter(&x_formatter)
                .y_desc(self.count_label.as_str())
                .y_label_formatter(&|y| format!("{y:.0}"))
                .label_style((FAMILY, 12).into_font().color(&palette::TEXT))
                .axis_desc_style((FAMILY, 12).into_font().color(&palette::MUTED))
                .draw()?;
            if let Some(share) = &self.share_label {
                chart
                    .configure_secondary_axes()
                    .y_desc(share.as_str())
                    .y_labels(6)
                    .y_label_formatter(&|y| format!("{y:.0}%"))
                    .label_style((FAMILY, 12).into_font().color(&palette::SERIES_B))
                    .axis_desc_style((FAMILY, 12).into_font().color(&palette::SERIES_B))
                    .draw()?;
            }
            for (i, point) in self.points.iter().enumerate() {
                if point.partial {
                    let x = i as f64;
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.5, 0.0), (x + 0.5, y_max)],
                        palette::PARTIAL.filled(),
                    )))?;
                }
            }
            if let Some((k, legend)) = &self.suppressed {
                let band = f64::from(*k) - 0.5;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(-0.5, 0.0), (n as f64 - 0.5, band)],
                        palette::SUPPRESSED.mix(0.8).filled(),
                    )))?
                    .label(legend.as_str())
                    .legend(|(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 14, y + 5)], palette::SUPPRESSED.filled())
                    });
            }
            // The count line, broken where a count is withheld.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (i, point) in self.points.iter().enumerate() {
                match point.count {
                    Some(c) => runs
                        .last_mut()
                        .map_or((), |r| r.push((i as f64, f64::from(c)))),
                    None => runs.push(Vec::new()),
                }
            }
            let count_style = palette::SERIES_A.stroke_width(3);
            let count_legend = move |(x, y): (i32, i32)| {
                PathElement::new([(x, y), (x + 14, y)], palette::SERIES_A.stroke_width(3))
            };
            let mut labelled = false;
            for run in runs.into_iter().filter(|r| !r.is_empty()) {
                // A line needs two points: a lone count (between withheld ones) is its dot only.
                if run.len() >= 2 {
                    let series = chart.draw_series(LineSeries::new(run.clone(), count_style))?;
                    if !labelled {
                        series.label(self.count_label.as_str()).legend(count_legend);
                        labelled = true;
                    }
                }
                let dots = chart.draw_series(
                    run.into_iter()
                        .map(|(x, y)| Circle::new((x, y), 4, palette::SERIES_A.filled())),
                )?;
                if !labelled {
                    dots.label(self.count_label.as_str()).legend(count_legend);
                    labelled = true;
                }
            }
            if let Some(share) = &self.share_label {
                let points: Vec<(f64, f64)> = self
                    .points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.share.map(|s| (i as f64, 100.0 * s)))
                    .collect();
                let share_legend = |(x, y): (i32, i32)| {
                    PathElement::new([(x, y), (x + 14, y)], palette::SERIES_B.stroke_width(2))
                };
                let marks = points.iter().map(|&(x, y)| {
                    Rectangle::new(
                        [(x - 0.06, y - 0.4), (x + 0.06, y + 0.4)],
                        palette::SERIES_B.filled(),
                    )
                });
                if points.len() >= 2 {
                    chart
                        .draw_secondary_series(DashedLineSeries::new(
                            points.clone(),
                            6,
                            4,
                            palette::SERIES_B.stroke_width(2),
                        ))?
                        .label(share.as_str())
                        .legend(share_legend);
                    chart.draw_secondary_series(marks)?;
                } else {
                    chart
                        .draw_secondary_series(marks)?
                        .label(share.as_str())
                        .legend(share_legend);
                }
            }
            if self.points.iter().any(|p| p.partial) {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, 0.0), (0.0, 0.0)],
                        palette::PARTIAL.filled(),
                    )))?
                    .label(self.partial_label.as_str())
                    .legend(|(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 14, y + 5)], palette::GRID.filled())
                    });
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.9))
                .border_style(palette::GRID)
                .label_font((FAMILY, 12).into_font().color(&palette::TEXT))
                .draw()?;
            root.present()?;
        }
        Ok(accessible(svg, &self.id, &self.title, WIDTH, HEIGHT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(period: &str, count: Option<u32>, share: Option<f64>, partial: bool) -> TimelinePoint {
        TimelinePoint {
            period: period.into(),
            partial,
            count,
            share,
        }
    }

    /// Every `<polyline>` of an SVG has at least two points (usvg warns about one-point
    /// polylines, and did a dozen times at every start of the demo).
    fn polylines_have_two_points(svg: &str) {
        for (at, _) in svg.match_indices("<polyline") {
            let rest = &svg[at..];
            let points = rest
                .split("points=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or_default();
            let distinct: std::collections::BTreeSet<&str> = points.split_whitespace().collect();
            assert!(
                distinct.len() >= 2,
                "a polyline without two distinct points: {}",
                &rest[..rest.find('>').unwrap_or(rest.len()).min(200)]
            );
        }
    }

    #[test]
    fn a_lone_count_or_share_is_a_dot_not_a_one_point_line() {
        let chart = Timeline {
            id: "tl".into(),
            title: "Corona".into(),
            count_label: "Regio's".into(),
            share_label: Some("Aandeel bijeenkomsten".into()),
            suppressed: Some((3, "minder dan 3".into())),
            partial_label: "lopende periode".into(),
            points: vec![
                point("2026-Q1", None, None, false),
                point("2026-Q2", Some(4), Some(0.2), false),
                point("2026-Q3", None, None, true),
            ],
        };
        let svg = chart.svg().unwrap();
        polylines_have_two_points(&svg);
        assert!(svg.contains("Regio"), "the legend still names the count");
        assert!(svg.contains("Aandeel bijeenkomsten"));
        assert!(svg.contains("<circle"), "the lone count is drawn as a dot");
    }

    #[test]
    fn draws_labels_legend_and_the_partial_period() {
        let chart = Timeline {
            id: "tl".into(),
            title: "Werkdruk".into(),
            count_label: "Regio's".into(),
            share_label: Some("Aandeel bijeenkomsten".into()),
            suppressed: None,
            partial_label: "lopende periode".into(),
            points: vec![
                point("2026-Q1", Some(3), Some(0.2), false),
                point("2026-Q2", Some(7), Some(0.35), false),
                point("2026-Q3", Some(2), Some(0.1), true),
            ],
        };
        let svg = chart.svg().unwrap();
        polylines_have_two_points(&svg);
        for text in [
            "2026-Q1",
            "2026-Q3",
            "Regio&apos;s",
            "Aandeel bijeenkomsten",
            "lopende periode",
        ] {
            assert!(
                svg.contains(text) || svg.contains(&text.replace("&apos;", "'")),
                "{text} missing"
            );
        }
    }

    #[test]
    fn withheld_counts_are_a_band_not_points() {
        let chart = Timeline {
            id: "tl".into(),
            title: "Werkdruk".into(),
            count_label: "Andere regio's".into(),
            share_label: None,
            suppressed: Some((3, "minder dan 3: niet getoond".into())),
            partial_label: "lopende periode".into(),
            points: vec![
                point("2026-Q1", None, None, false),
                point("2026-Q2", Some(5), None, false),
                point("2026-Q3", None, None, true),
            ],
        };
        let svg = chart.svg().unwrap();
        assert!(svg.contains("minder dan 3: niet getoond"));
        // One point drawn: the exact count.
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
    }
}
