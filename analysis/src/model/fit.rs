//! One L2-regularised logistic regression over sparse rows, solved with argmin's L-BFGS (the
//! solver linfa's logistic regression uses too, with the same loss). The rows are sparse and
//! weighted here: a statement reads a few dozen of a theme's few hundred features, and a
//! statement that counts twice is one row with weight 2, so a fit costs what the statements
//! hold, not statements × features.

use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

use crate::error::{Error, Result};

/// One training row: the columns present (each with the same `value`), the label and how many
/// times the row counts.
#[derive(Debug, Clone)]
pub struct Row {
    pub columns: Vec<usize>,
    pub value: f64,
    pub positive: bool,
    pub weight: f64,
}

/// A fitted regression: one weight per column and the intercept; the probability that the
/// label applies is `σ(intercept + value · Σ weights of the row's columns)`.
#[derive(Debug, Clone)]
pub struct Fit {
    pub weights: Vec<f64>,
    pub intercept: f64,
}

/// Minimises `Σ weight · log(1 + exp(−y·z)) + α/2 · |w|²` (the intercept is not penalised),
/// with `y` = ±1, over `columns` columns.
pub fn logistic(rows: &[Row], columns: usize, alpha: f64, max_iterations: u64) -> Result<Fit> {
    let problem = Problem {
        rows,
        columns,
        alpha,
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-4)
        .map_err(solver_error)?;
    let result = Executor::new(problem, solver)
        .configure(|state| {
            state
                .param(Array1::zeros(columns + 1))
                .max_iters(max_iterations)
        })
        .run()
        .map_err(solver_error)?;
    let best = result
        .state
        .best_param
        .ok_or_else(|| Error::Invalid("training the theme model found no parameters".into()))?;
    Ok(Fit {
        intercept: best[columns],
        weights: best.iter().take(columns).copied().collect(),
    })
}

fn solver_error(e: argmin::core::Error) -> Error {
    Error::Invalid(format!("training the theme model failed: {e}"))
}

struct Problem<'a> {
    rows: &'a [Row],
    columns: usize,
    alpha: f64,
}

impl Problem<'_> {
    /// `y·z` of every row, for the parameters `p` (weights, then the intercept).
    fn margins<'r>(&'r self, p: &'r Array1<f64>) -> impl Iterator<Item = (&'r Row, f64)> + 'r {
        let intercept = p[self.columns];
        self.rows.iter().map(move |row| {
            let z = intercept + row.value * row.columns.iter().map(|&c| p[c]).sum::<f64>();
            (row, if row.positive { z } else { -z })
        })
    }

    fn penalty(&self, p: &Array1<f64>) -> f64 {
        0.5 * self.alpha * p.iter().take(self.columns).map(|w| w * w).sum::<f64>()
    }
}

/// `log(1 + exp(−m))` without overflow.
fn log_loss(m: f64) -> f64 {
    if m > 0.0 {
        (-m).exp().ln_1p()
    } else {
        -m + m.exp().ln_1p()
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, p: &Array1<f64>) -> std::result::Result<f64, argmin::core::Error> {
        let loss: f64 = self
            .margins(p)
            .map(|(row, m)| row.weight * log_loss(m))
            .sum();
        Ok(loss + self.penalty(p))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, p: &Array1<f64>) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        let mut grad = Array1::zeros(self.columns + 1);
        for (row, m) in self.margins(p) {
            // d/dz of weight · log(1 + exp(−y·z)) = −weight · y · σ(−y·z).
            let y = if row.positive { 1.0 } else { -1.0 };
            let dz = -row.weight * y * sigmoid(-m);
            grad[self.columns] += dz;
            let dw = dz * row.value;
            for &c in &row.columns {
                grad[c] += dw;
            }
        }
        for c in 0..self.columns {
            grad[c] += self.alpha * p[c];
        }
        Ok(grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(columns: &[usize], positive: bool) -> Row {
        Row {
            columns: columns.to_vec(),
            value: 1.0,
            positive,
            weight: 1.0,
        }
    }

    #[test]
    fn a_column_that_marks_the_positives_gets_a_positive_weight() {
        let rows = vec![
            row(&[0, 2], true),
            row(&[0], true),
            row(&[1], false),
            row(&[1, 2], false),
            row(&[2], false),
        ];
        let fit = logistic(&rows, 3, 0.1, 100).unwrap();
        assert!(fit.weights[0] > 1.0, "{fit:?}");
        assert!(fit.weights[1] < -1.0, "{fit:?}");
        let p = |cols: &[usize]| {
            sigmoid(fit.intercept + cols.iter().map(|&c| fit.weights[c]).sum::<f64>())
        };
        assert!(p(&[0]) > 0.8 && p(&[1]) < 0.2);
    }

    #[test]
    fn a_weight_of_two_is_the_same_as_the_row_twice() {
        let mut weighted = vec![row(&[0], true), row(&[0, 1], false), row(&[1], false)];
        weighted[0].weight = 2.0;
        let repeated = vec![
            row(&[0], true),
            row(&[0], true),
            row(&[0, 1], false),
            row(&[1], false),
        ];
        let a = logistic(&weighted, 2, 0.5, 200).unwrap();
        let b = logistic(&repeated, 2, 0.5, 200).unwrap();
        for (x, y) in a.weights.iter().zip(&b.weights) {
            assert!((x - y).abs() < 1e-3, "{a:?} {b:?}");
        }
        assert!((a.intercept - b.intercept).abs() < 1e-3);
    }

    #[test]
    fn the_gradient_matches_the_cost() {
        let rows = vec![row(&[0, 1], true), row(&[1], false), row(&[0], false)];
        let problem = Problem {
            rows: &rows,
            columns: 2,
            alpha: 0.3,
        };
        let p = Array1::from(vec![0.4, -0.7, 0.2]);
        let grad = problem.gradient(&p).unwrap();
        for k in 0..3 {
            let mut up = p.clone();
            up[k] += 1e-6;
            let mut down = p.clone();
            down[k] -= 1e-6;
            let numeric = (problem.cost(&up).unwrap() - problem.cost(&down).unwrap()) / 2e-6;
            assert!(
                (numeric - grad[k]).abs() < 1e-5,
                "{k}: {numeric} vs {}",
                grad[k]
            );
        }
    }
}
