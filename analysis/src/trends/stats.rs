//! The statistics behind a rising flag: an exact conditional binomial test of a window against
//! its baseline, and Benjamini-Hochberg across themes.
//!
//! With `x_w` region-periods in the window and `x_b` in the baseline, and exposures `e_w`, `e_b`
//! (the active region-periods), the counts given their sum `n = x_w + x_b` follow
//! `X_w ~ Binomial(n, e_w / (e_w + e_b))` if the rate did not change; the one-sided p-value is
//! `P(X_w >= x_w)`. Exact, so it holds for the small counts of a few regions.
//!
//! Regions are not independent: the regions of one session often raise a theme together (a
//! case and the advice on it), so a single lively session can add six regions at once and the
//! counts vary far more than a binomial says. The test therefore divides both counts by the
//! theme's [`design_effect`] — the regions per session that mentioned it, at least 1 — before
//! computing the tail (Kish's design effect for fully correlated clusters; the tail uses the
//! regularised incomplete beta, which equals the exact binomial tail for whole counts). Where
//! each region raises a theme in its own sessions the design effect is 1 and the test is the
//! plain exact one.

use serde::Serialize;
use statrs::function::beta::checked_beta_reg;

/// One test: the numbers a person needs to check it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RateTest {
    /// Region-periods in the window.
    pub observed: u32,
    /// What the baseline rate predicts for the window's exposure.
    pub expected: f64,
    /// Region-periods in the baseline.
    pub baseline: u32,
    /// Active region-periods in the window and in the baseline.
    pub exposure: u32,
    pub baseline_exposure: u32,
    /// The window's rate over the baseline's (infinite when the baseline is zero).
    #[serde(serialize_with = "finite_or_null")]
    pub rate_ratio: f64,
    /// One-sided exact p-value.
    pub p: f64,
    /// Benjamini-Hochberg q-value across the themes tested together.
    pub q: f64,
    /// The design effect the counts were divided by (1: none; see [`design_effect`]).
    pub design_effect: f64,
}

fn finite_or_null<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

impl RateTest {
    /// Tests `observed` of `exposure` against `baseline` of `baseline_exposure`; `q` starts as
    /// `p` until [`benjamini_hochberg`] sets it.
    pub fn new(observed: u32, exposure: u32, baseline: u32, baseline_exposure: u32) -> RateTest {
        RateTest::with_design_effect(observed, exposure, baseline, baseline_exposure, 1.0)
    }

    /// As [`RateTest::new`], with both counts divided by `design_effect` (at least 1).
    pub fn with_design_effect(
        observed: u32,
        exposure: u32,
        baseline: u32,
        baseline_exposure: u32,
        design_effect: f64,
    ) -> RateTest {
        let deff = if design_effect.is_finite() {
            design_effect.max(1.0)
        } else {
            1.0
        };
        let (x_w, x_b) = (f64::from(observed), f64::from(baseline));
        let (e_w, e_b) = (f64::from(exposure), f64::from(baseline_exposure));
        let expected = if e_b > 0.0 { x_b * e_w / e_b } else { 0.0 };
        let rate_ratio = if e_w == 0.0 || e_b == 0.0 {
            f64::NAN
        } else if x_b == 0.0 {
            if x_w > 0.0 { f64::INFINITY } else { f64::NAN }
        } else {
            (x_w / e_w) / (x_b / e_b)
        };
        let p = upper_tail(x_w / deff, (x_w + x_b) / deff, e_w, e_b);
        RateTest {
            observed,
            expected,
            baseline,
            exposure,
            baseline_exposure,
            rate_ratio,
            p,
            q: p,
            design_effect: deff,
        }
    }
}

/// `P(X >= x)` for `X ~ Binomial(n, e_w / (e_w + e_b))`, continued to real `x` and `n` by the
/// regularised incomplete beta `I_pi(x, n - x + 1)`; 1 when there is nothing to test.
fn upper_tail(x: f64, n: f64, e_w: f64, e_b: f64) -> f64 {
    if x <= 0.0 || e_w + e_b <= 0.0 {
        return 1.0;
    }
    let pi = e_w / (e_w + e_b);
    if pi >= 1.0 {
        return 1.0;
    }
    if pi <= 0.0 {
        return 0.0;
    }
    checked_beta_reg(x, n - x + 1.0, pi).map_or(1.0, |p| p.clamp(0.0, 1.0))
}

/// The design effect of counting regions that raise a theme together in one session: the
/// regions per session that mentioned the theme (`regions / sessions`, summed over the periods
/// tested), at least 1. Sessions are the independent units: a case discussed by six regions
/// makes six region-mentions but one event.
pub fn design_effect(regions: u32, sessions: u32) -> f64 {
    if sessions == 0 {
        return 1.0;
    }
    (f64::from(regions) / f64::from(sessions)).max(1.0)
}

/// Benjamini-Hochberg q-values for `p` (same order): `q_(i) = min_{j >= i} m p_(j) / j`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut q = vec![1.0; m];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_exact_test_matches_hand_computation() {
        // 3 of 10 regions now, 2 of 40 region-periods before: n = 5, pi = 10/50 = 0.2.
        // P(X >= 3) = C(5,3) .2^3 .8^2 + C(5,4) .2^4 .8 + .2^5 = 0.0512 + 0.0064 + 0.00032.
        let t = RateTest::new(3, 10, 2, 40);
        assert!(close(t.p, 0.05792), "{}", t.p);
        assert!(close(t.expected, 0.5));
        assert!(close(t.rate_ratio, 6.0));
        // Same rate: nothing to see.
        let flat = RateTest::new(5, 10, 20, 40);
        assert!(close(flat.rate_ratio, 1.0));
        assert!(flat.p > 0.3, "{}", flat.p);
        // Nothing observed: p = 1; nothing in the baseline: an infinite ratio.
        assert_eq!(RateTest::new(0, 10, 4, 40).p, 1.0);
        let new = RateTest::new(4, 10, 0, 40);
        assert!(new.rate_ratio.is_infinite());
        // n = 4, pi = 0.2: P(X >= 4) = 0.2^4.
        assert!(close(new.p, 0.0016));
        assert_eq!(
            serde_json::to_value(new).unwrap()["rate_ratio"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn the_continued_tail_equals_the_binomial_and_clustering_weakens_it() {
        use statrs::distribution::{Binomial, DiscreteCDF};
        for (x, n, pi) in [(3u64, 5u64, 0.2), (7, 20, 0.25), (1, 1, 0.5), (12, 30, 0.1)] {
            let exact = Binomial::new(pi, n).unwrap().sf(x - 1);
            let ours = upper_tail(x as f64, n as f64, pi, 1.0 - pi);
            assert!((exact - ours).abs() < 1e-12, "{x} {n} {pi}: {exact} {ours}");
        }
        let plain = RateTest::new(12, 40, 20, 160);
        let spread = RateTest::with_design_effect(12, 40, 20, 160, 3.0);
        assert!(spread.p > plain.p * 5.0, "{} {}", spread.p, plain.p);
        assert_eq!((spread.observed, spread.expected), (12, 5.0));
        assert_eq!(
            RateTest::with_design_effect(1, 1, 1, 1, 0.2).design_effect,
            1.0
        );
    }

    #[test]
    fn the_design_effect_is_regions_per_session() {
        assert_eq!(design_effect(12, 4), 3.0);
        assert_eq!(
            design_effect(3, 9),
            1.0,
            "one region in many sessions: no clustering"
        );
        assert_eq!(design_effect(5, 0), 1.0);
    }

    #[test]
    fn benjamini_hochberg_matches_the_textbook_example() {
        let p = [0.01, 0.04, 0.03, 0.005];
        let q = benjamini_hochberg(&p);
        // Sorted: .005 (x4/1 = .02), .01 (x4/2 = .02), .03 (x4/3 = .04), .04 (x4/4 = .04).
        let expected = [0.02, 0.04, 0.04, 0.02];
        for (a, b) in q.iter().zip(expected) {
            assert!(close(*a, b), "{q:?}");
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[0.9, 0.8]), vec![0.9, 0.9]);
    }
}
