//! Numbers and test results in words, in Dutch or English: the dashboard and the reports say
//! the same thing the same way.

use analysis::trends::escalation::{Candidate, Reason};
use analysis::trends::stats::RateTest;

use crate::lang::Lang;

/// `x` with `decimals` decimals, with a decimal comma in Dutch.
pub fn decimal(x: f64, decimals: u8, lang: Lang) -> String {
    let text = format!("{x:.*}", usize::from(decimals));
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A rate ratio with two decimals; "∞" when the baseline was zero.
pub fn ratio(x: f64, lang: Lang) -> String {
    if x.is_finite() {
        decimal(x, 2, lang)
    } else {
        "∞".into()
    }
}

/// The statistics of a rate test: "waargenomen 32 regio-perioden, verwacht 11,5, ratio 2,78,
/// q = 0,014".
pub fn test_words(test: &RateTest, lang: Lang) -> String {
    let ratio = ratio(test.rate_ratio, lang);
    let (expected, q) = (decimal(test.expected, 1, lang), decimal(test.q, 3, lang));
    match lang {
        Lang::Nl => format!(
            "waargenomen {} regio-perioden, verwacht {expected}, ratio {ratio}, q = {q}",
            test.observed
        ),
        Lang::En => format!(
            "observed {} region-periods, expected {expected}, ratio {ratio}, q = {q}",
            test.observed
        ),
    }
}

/// One reason of the escalation rule: "Stijgend in 2022-Q2: waargenomen …".
pub fn reason_words(reason: &Reason, lang: Lang) -> String {
    let (word, period, test) = match reason {
        Reason::Rising { period, test } => (lang.pick("Stijgend", "Rising"), period, test),
        Reason::New { period, test } => (lang.pick("Nieuw", "New"), period, test),
        Reason::Persistent { period, test } => (
            lang.pick("Aanhoudend hoger", "Persistently higher"),
            period,
            test,
        ),
    };
    format!("{word} in {period}: {}", test_words(test, lang))
}

/// How many regions raised a candidate recently, against the rule's minimum.
pub fn recent_regions_words(candidate: &Candidate, min_regions: usize, lang: Lang) -> String {
    let (n, recent) = (candidate.recent_regions, &candidate.recent);
    match lang {
        Lang::Nl => format!(
            "{n} verschillende regio's brachten het thema in {recent} in; de regel vraagt er ten minste {min_regions}."
        ),
        Lang::En => format!(
            "{n} distinct regions raised the theme in {recent}; the rule asks for at least {min_regions}."
        ),
    }
}

/// Why a theme is a candidate, in one paragraph: its regions, then each reason.
pub fn candidate_words(candidate: &Candidate, min_regions: usize, lang: Lang) -> String {
    let mut text = recent_regions_words(candidate, min_regions, lang);
    for reason in &candidate.reasons {
        text.push(' ');
        text.push_str(&reason_words(reason, lang));
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test() -> RateTest {
        RateTest {
            observed: 32,
            expected: 11.5,
            baseline: 20,
            exposure: 80,
            baseline_exposure: 160,
            rate_ratio: 2.783,
            p: 0.001,
            q: 0.0142,
            design_effect: 1.0,
        }
    }

    #[test]
    fn numbers_read_in_the_language() {
        assert_eq!(decimal(11.46, 1, Lang::Nl), "11,5");
        assert_eq!(decimal(11.46, 1, Lang::En), "11.5");
        assert_eq!(
            test_words(&test(), Lang::Nl),
            "waargenomen 32 regio-perioden, verwacht 11,5, ratio 2,78, q = 0,014"
        );
        assert_eq!(
            reason_words(
                &Reason::Rising {
                    period: "2022-Q2".into(),
                    test: test()
                },
                Lang::En
            ),
            "Rising in 2022-Q2: observed 32 region-periods, expected 11.5, ratio 2.78, q = 0.014"
        );
    }

    #[test]
    fn a_candidate_reads_in_the_language() {
        let candidate = Candidate {
            theme: "plan_actualisatie".into(),
            period: "2022-Q2".into(),
            recent_regions: 26,
            recent: "2022-Q1 – 2022-Q2".into(),
            rule: "(the analysis crate's Dutch words)".into(),
            reasons: vec![Reason::Rising {
                period: "2022-Q2".into(),
                test: test(),
            }],
            counts: Vec::new(),
            region_names: Vec::new(),
            excerpts: Vec::new(),
        };
        assert_eq!(
            candidate_words(&candidate, 3, Lang::Nl),
            "26 verschillende regio's brachten het thema in 2022-Q1 – 2022-Q2 in; de regel vraagt er ten minste 3. \
             Stijgend in 2022-Q2: waargenomen 32 regio-perioden, verwacht 11,5, ratio 2,78, q = 0,014."
        );
        assert_eq!(
            candidate_words(&candidate, 3, Lang::En),
            "26 distinct regions raised the theme in 2022-Q1 – 2022-Q2; the rule asks for at least 3. \
             Rising in 2022-Q2: observed 32 region-periods, expected 11.5, ratio 2.78, q = 0.014."
        );
    }
}
