//! `promotion/outcome-claim`: guaranteed or risk-free outcomes of a
//! treatment or service.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::promotion::self_promotion;
use crate::rules::promotion::undisclosed_interest::marker_lexicon;

declare_rule! {
    /// ## What it checks
    ///
    /// A promised outcome of a treatment or service: a guarantee
    /// ("guaranteed results, or your money back", "guarantees lasting
    /// relief"), a perfect record ("100% success rate"), no pain or risk
    /// ("PAINLESS", "zero side effects", "risk-free"), permanence or speed
    /// ("permanent results", "in as little as 6 sessions"). The phrases are
    /// the `promotion/outcome-claim` rows of `lexicons/claims.csv`.
    /// A perfect record of a series ("zero complications in my last 500
    /// replacements", "without a single complication") is one too.
    /// Guarantees, perfect records, "100%" and "zero" claims count alone; the others count
    /// when the sentence is about the author's own service ("our", "we",
    /// "my", a treatment, procedure or clinic) or the post advertises; in
    /// a third party's product endorsement "my" alone is the author's
    /// experience of the product, left to `promotion/undisclosed-interest`.
    /// Negated ("no treatment is risk-free"), hedged ("most people are
    /// pain-free within a week") and quoted claims are not findings. Claims
    /// about health in general ("vaccines are 100% safe") belong to
    /// `integrity/absolute-claim`.
    ///
    /// ## Why
    ///
    /// "Maintain integrity and share truthful information." No treatment
    /// works every time or without risk; promising it misleads patients
    /// and is banned in health advertising: National Law s133(1)(a),(d)
    /// (`au-natlaw-133(1)(a)`, `au-natlaw-133(1)(d)`: misleading claims,
    /// unreasonable expectation of benefit), NY Education Law §6530(27)
    /// (`us-ny-educ-6530(27)`), MCI 2002 r6.1.1 (`in-mci-2002-6.1.1`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Our laser hair removal is PAINLESS with guaranteed results, or your money back 💯
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Laser hair removal usually needs 6-8 sessions and most people feel a brief sting. Ask us about risks and results at your consultation.
    /// ```
    ///
    /// ## Fix
    ///
    /// Describe typical results and risks honestly, with their source;
    /// never promise an outcome. There is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "promotion/outcome-claim",
        fix: Never,
        options: [],
        check: check,
    }
}

/// The `promotion/outcome-claim` rows of `lexicons/claims.csv`, with their
/// kind.
static CLAIMS: LazyLock<Lexicon<String>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("claims.csv").into_iter().filter_map(|r| {
        let mut it = r.into_iter();
        let (phrase, rule, kind) = (it.next()?, it.next()?, it.next()?);
        (rule == "promotion/outcome-claim").then_some((phrase, kind))
    }))
});

/// Services the author may sell (`service` rows of
/// `lexicons/promotion_markers.csv`).
static SERVICES: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("service"));

/// Words of the author's own voice.
const SELF_WORDS: &[&str] = &["we", "our", "us", "my", "i", "we've", "i've", "we're", "i'm", "ours"];

/// Hedges that make a claim a typical result rather than a promise.
const HEDGES: &[&str] = &[
    "may",
    "might",
    "can",
    "could",
    "usually",
    "often",
    "most",
    "many",
    "some",
    "rarely",
    "typically",
    "generally",
    "aim",
    "hope",
    "hopefully",
    "mostly",
    "nearly",
    "almost",
    "few",
    "if",
];

/// True when the claim at tokens `first..end` counts on its own.
fn strong(a: &Analysis<'_>, first: usize, end: usize, kind: &str) -> bool {
    matches!(kind, "guarantee" | "perfect_record")
        || (first..end).any(|i| {
            matches!(a.tokens[i].norm.as_str(), "100" | "zero" | "100%") || a.tokens[i].norm.starts_with("guarantee")
        })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.is_empty() {
        return;
    }
    let claims = CLAIMS.find_all(a);
    if claims.is_empty() {
        return;
    }
    let services = SERVICES.find_all(a);
    let advertising = self_promotion::is_advertising(ctx.signals);
    let product = ctx.signals.product_promotion().is_some();
    for m in &claims {
        if a.quoted[m.first] || a.negated[m.first] {
            continue;
        }
        let sentence = a.sentence_of[m.first];
        let sentence_tokens = a
            .sentences
            .get(sentence as usize)
            .map(|s| s.tokens.clone())
            .unwrap_or(m.first..m.end);
        // A hedge in the few words before the claim.
        let hedged = (sentence_tokens.start..m.first)
            .rev()
            .filter(|&k| a.tokens[k].kind == TokenKind::Word)
            .take(4)
            .any(|k| HEDGES.contains(&a.tokens[k].norm.as_str()));
        if hedged {
            continue;
        }
        // First-person words make it the author's own result, except in a
        // third party's product endorsement ("12 hours on my feet and zero
        // pain"), which promotion/undisclosed-interest covers.
        let own = (!product
            && sentence_tokens
                .clone()
                .any(|k| SELF_WORDS.contains(&a.tokens[k].norm.as_str())))
            || services.iter().any(|s| a.sentence_of[s.first] == sentence);
        if !(strong(a, m.first, m.end, m.value) || own || advertising) {
            continue;
        }
        out.push(
            Diagnostic::at(m.span, "promised outcome of a treatment or service")
                .with_help("describe typical results and risks honestly, with their source; never promise an outcome")
                .with_note(format!("claim: {} ({})", a.slice(m.span), m.value.replace('_', " "))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_promised_outcomes() {
        assert_spans(
            &RULE,
            "Our laser hair removal is PAINLESS with guaranteed results, or your money back 💯",
            &["PAINLESS", "guaranteed results", "or your money back"],
        );
        assert_spans(
            &RULE,
            "100% success rate on every implant we've placed since 2015 🦷",
            &["100% success rate"],
        );
        assert_spans(
            &RULE,
            "Hair transplant at Sunrise Trichology: 100% natural results, zero pain, zero side effects, GUARANTEED ✅",
            &["100% natural results", "zero pain", "zero side effects", "GUARANTEED"],
        );
        assert_spans(
            &RULE,
            "Our new spinal decompression protocol guarantees lasting relief from sciatica in as little as 6 sessions.",
            &["guarantees", "lasting relief", "in as little as"],
        );
    }

    #[test]
    fn product_endorsement_is_not_own_service() {
        assert_silent(
            &RULE,
            "Loving my new Cloudstep clogs, pain-free shifts at last! 15% off with NURSEAMY",
        );
        assert_spans(
            &RULE,
            "Loving my new knee after our keyhole surgery, pain-free at last!",
            &["pain-free"],
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "Vaccines are 100% safe. Full stop.");
        assert_silent(
            &RULE,
            "No treatment is risk-free, so ask about side effects before you start.",
        );
        assert_silent(&RULE, "There's no guarantee IVF will work, and that's hard to hear.");
        assert_silent(&RULE, "Most people are pain-free within a week of a sprain.");
        assert_silent(&RULE, "The success rate of IVF at 40 is around 10 to 15 per cent.");
        assert_silent(
            &RULE,
            "Offering phone triage first cut average waits from 11 to 6 weeks across our four sites.",
        );
        assert_silent(&RULE, "We found that those who walked briskly had fewer falls.");
        assert_silent(&RULE, "");
    }
}

#[cfg(test)]
mod perfect_record_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn perfect_records() {
        assert!(Test::new("Zero complications in our last 300 hip replacements.").fires(&RULE));
        assert!(Test::new("400 cataract operations without a single complication.").fires(&RULE));
        assert!(!Test::new("Our audit found complications in 2% of cases; ask us about your own risk.").fires(&RULE));
        assert!(!Test::new("No surgeon has zero complications, and anyone who says so is selling.").fires(&RULE));
    }
}
