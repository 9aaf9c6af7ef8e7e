//! `integrity/outdated-reference`: a guideline, study or statistic dated
//! more than the policy's number of years before the post.

use primum_text::{Analysis, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::integrity::health_misinformation::{cue, cues};

declare_rule! {
    /// ## What it checks
    ///
    /// Finds a dated reference: a year next to something that can be cited,
    /// a guideline, study, trial, review, report, survey or data set (the
    /// `reference` cues of `integrity_cues.csv`), written either way round:
    /// "the 2011 NICE hypertension guideline", "the 2015 ACC/AHA guidance"
    /// (joint issuers written with `/`, `&` or `+`), "a 2009 study", "the
    /// guideline from 2011". It fires when the year is more than
    /// `max_age_years` before the post's date (its `created_at`, else the
    /// time of the check). A year that is not a reference ("qualified in
    /// 2004", "since 2015"; but "according to 2017-18 figures" is a
    /// source, not a period) does not count, nor does a reference whose
    /// sentence also gives a recent year ("the 2011 guideline, updated in
    /// 2024"). Without a date to compare with, the rule stays silent.
    ///
    /// ## Why
    ///
    /// "Share up-to-date information." Guidelines are revised as evidence
    /// moves: a target from a superseded guideline can be wrong today. The
    /// NMC Code asks that what you share is evidence-based and correct
    /// (`uk-nmc-code-6`); the CMA Code asks for views consistent with the
    /// profession's current ones (`ca-cma-code-41`); the GMC asks for
    /// claims readers can check (GMC 2024, `uk-gmc-sm2024`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Quick reminder for our over-60s: per the 2014 JNC 8 guideline, your blood pressure target is under 150/90.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Quick reminder for our over-60s: ask at your next check what your blood pressure target should be (current NICE guidance: https://www.nice.org.uk/guidance/ng136).
    /// ```
    ///
    /// ## Fix
    ///
    /// Check the reference is still current and cite the latest version, or
    /// say why the older one still matters. No automatic fix.
    ///
    /// ## Options
    ///
    /// - `max_age_years` (integer, default 5): how many years old a
    ///   reference may be before the rule notes it.
    pub static RULE = {
        id: "integrity/outdated-reference",
        fix: Never,
        options: [
            ("max_age_years", Int(5), "how many years old a cited guideline, study or statistic may be"),
        ],
        check: check,
    }
}

/// Words that, between a year and a reference noun, show the year is not
/// the reference's ("In 2015 I did a study day").
const BREAKERS: &[&str] = &[
    "i", "we", "you", "he", "she", "they", "it", "did", "do", "does", "was", "were", "had", "have", "has", "is", "are",
    "a", "an", "my", "our", "and", "to", "for", "at", "when", "since", "until",
];

/// Words before a year that make it a period, not a date of publication.
const PERIOD_WORDS: &[&str] = &[
    "since", "until", "till", "by", "before", "after", "between", "to", "through",
];

/// Words linking a reference to its year when the year comes after
/// ("the guideline from 2011").
const YEAR_LINKS: &[&str] = &["from", "of", "in", "dated", "published", "issued"];

fn year_of(a: &Analysis<'_>, i: usize, now_year: i32) -> Option<i32> {
    let t = &a.tokens[i];
    if t.kind != TokenKind::Number || t.norm.len() != 4 {
        return None;
    }
    let y: i32 = t.norm.parse().ok()?;
    (1950..=now_year).contains(&y).then_some(y)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(now) = ctx.now else { return };
    let now_year = now.date.year;
    let max_age = ctx.opt_i64("max_age_years");
    let a = ctx.text;
    let years: Vec<(usize, i32)> = (0..a.tokens.len())
        .filter_map(|i| year_of(a, i, now_year).map(|y| (i, y)))
        .collect();
    if years.is_empty() {
        return;
    }
    let refs: Vec<(usize, usize)> = cues(a)
        .into_iter()
        .filter(|h| h.flags & cue::REFERENCE != 0)
        .map(|h| (h.first, h.end))
        .collect();
    if refs.is_empty() {
        return;
    }
    let old = years.iter().filter(|&&(_, y)| i64::from(now_year - y) > max_age);
    // A bound that keeps pathological posts linear.
    for &(i, year) in old.take(64) {
        let s = a.sentence_of[i];
        // "since 2015", "from 2010 to 2015"; but "according to 2017 figures"
        // names a source, not a period.
        if a.prev_word(i).is_some_and(|p| {
            PERIOD_WORDS.contains(&a.tokens[p].norm.as_str())
                && !(a.tokens[p].norm == "to"
                    && a.prev_word(p)
                        .is_some_and(|q| matches!(a.tokens[q].norm.as_str(), "according" | "refer" | "thanks")))
        }) {
            continue;
        }
        // A recent year in the same sentence: an update is mentioned.
        if years
            .iter()
            .any(|&(j, y)| a.sentence_of[j] == s && i64::from(now_year - y) <= max_age)
        {
            continue;
        }
        let span = forward(a, i, &refs).or_else(|| backward(a, i, &refs));
        let Some(span) = span else { continue };
        out.push(
            Diagnostic::at(span, format!("{}-year-old reference", now_year - year))
                .with_help(
                    "check it is still current and cite the latest version, or say why the older one still applies",
                )
                .with_note(format!(
                    "dated {year}; the policy allows references up to {max_age} years old"
                )),
        );
    }
}

/// "the 2011 NICE hypertension guideline": a reference noun within four
/// words after the year.
fn forward(a: &Analysis<'_>, i: usize, refs: &[(usize, usize)]) -> Option<Span> {
    let s = a.sentence_of[i];
    let mut words = 0;
    for j in i + 1..a.tokens.len() {
        if a.sentence_of[j] != s || words > 4 {
            return None;
        }
        if let Ok(k) = refs.binary_search_by_key(&j, |r| r.0) {
            let end = refs[k].1;
            return Some(a.tokens[i].span.cover(a.tokens[end - 1].span));
        }
        let t = &a.tokens[j];
        if t.is_wordlike() {
            if BREAKERS.contains(&t.norm.as_str()) {
                return None;
            }
            words += 1;
        } else if !matches!(t.norm.as_str(), "-" | "'" | "\u{2019}" | "/" | "&" | "+") {
            return None;
        }
    }
    None
}

/// "the guideline from 2011", "a study published in 2009", "(2012)": a
/// reference noun up to three words before a linking word and the year.
fn backward(a: &Analysis<'_>, i: usize, refs: &[(usize, usize)]) -> Option<Span> {
    let s = a.sentence_of[i];
    let prev = a.prev_word(i)?;
    let linked = YEAR_LINKS.contains(&a.tokens[prev].norm.as_str()) || (i > 0 && a.tokens[i - 1].norm == "(");
    if !linked {
        return None;
    }
    let mut words = 0;
    for j in (0..i).rev() {
        if a.sentence_of[j] != s || words > 4 {
            return None;
        }
        if let Ok(k) = refs.binary_search_by_key(&(j + 1), |r| r.1) {
            let first = refs[k].0;
            return Some(a.tokens[first].span.cover(a.tokens[i].span));
        }
        if a.tokens[j].is_wordlike() {
            words += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_old_references() {
        assert_spans(
            &RULE,
            "Revising from the 2011 NICE hypertension guideline notes 📚",
            &["2011 NICE hypertension guideline"],
        );
        assert_spans(
            &RULE,
            "A 2009 study found that nurses who take breaks make fewer errors.",
            &["2009 study"],
        );
        assert_spans(
            &RULE,
            "Per the 2014 JNC 8 guideline, your target is under 150/90.",
            &["2014 JNC 8 guideline"],
        );
        assert_spans(
            &RULE,
            "The 2017 Cochrane review still says vitamin C doesn't stop colds.",
            &["2017 Cochrane review"],
        );
        assert_spans(
            &RULE,
            "I still quote the asthma guideline from 2012.",
            &["guideline from 2012"],
        );
        assert_spans(&RULE, "The 2015 survey showed most of us skip lunch.", &["2015 survey"]);
    }

    #[test]
    fn relative_to_the_post_date() {
        let t = Test::new("The 2019 NICE guideline says so").created("2021-01-15T20:10:00Z");
        assert!(!t.fires(&RULE));
        let t = Test::new("The 2019 NICE guideline says so").created("2026-01-15T20:10:00Z");
        assert!(t.fires(&RULE));
        let t = Test::new("The 2019 NICE guideline says so").option(&RULE, "max_age_years", OptValue::Int(10));
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "Qualified as a nurse in 2004 and still love it.");
        assert_silent(&RULE, "The 2023 NICE guideline on head injury is worth a re-read.");
        assert_silent(&RULE, "100% success rate on every implant we've placed since 2015");
        assert_silent(
            &RULE,
            "Finally read the joint asthma guideline from late 2024 properly.",
        );
        assert_silent(&RULE, "In 2010 I did a study day on wound care and loved it.");
        assert_silent(&RULE, "The 2011 guideline, updated in 2024, now says otherwise.");
        assert_silent(&RULE, "Call 2011 2012 for the guideline desk");
        assert_silent(&RULE, "");
    }
    #[test]
    fn according_to_a_dated_source() {
        let now = "2026-10-01T07:00:00Z";
        assert!(
            Test::new("According to 2017-18 figures from the ABS, two in three adults are overweight.")
                .now(now)
                .fires(&RULE)
        );
        assert!(
            Test::new("According to the 2016 guideline, aspirin is first line.")
                .now(now)
                .fires(&RULE)
        );
        // A period, not a source's date.
        assert!(
            !Test::new("Admissions rose from 2012 to 2016 figures aside.")
                .now(now)
                .fires(&RULE)
        );
    }
}

#[cfg(test)]
mod joint_issuer_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn joint_issuers_between_year_and_guidance() {
        let at = "2026-03-01T00:00:00Z";
        assert!(
            Test::new("Per the 2015 ACC/AHA guidance, aspirin is still the way to prevent a first heart attack.")
                .created(at)
                .fires(&RULE)
        );
        assert!(
            Test::new("The 2012 BTS & SIGN guideline says so.")
                .created(at)
                .fires(&RULE)
        );
        assert!(
            !Test::new("Per the 2024 ACC/AHA guidance, aspirin is not for routine primary prevention.")
                .created(at)
                .fires(&RULE)
        );
    }
}
