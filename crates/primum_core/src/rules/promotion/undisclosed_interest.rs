//! `promotion/undisclosed-interest`: a product or company promoted without
//! a disclosure.

use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// A product, drug, device or company being promoted, with no
    /// disclosure of an interest. Promotion is an affiliate or shop link
    /// (`amzn.to`), or an endorsement ("obsessed with", "I only recommend",
    /// "game-changer", "I'll be prescribing it widely", "use code ... for
    /// 15% off", "linked in my bio") next to a product (socks, strips,
    /// sensor, injection, supplement; or a brand's possessive, "Veltrana's
    /// new injection"). A disclosure anywhere in the post ("#ad", "paid
    /// partnership", "sponsored", "gifted", "affiliate link", "I receive
    /// fees from", "I have no financial interest") silences it, and so do
    /// public-health resources and papers (guideline, journal, preprint)
    /// without a shop link. The phrases are in
    /// `lexicons/promotion_markers.csv`. The finding underlines the
    /// endorsement or the link.
    ///
    /// ## Why
    ///
    /// "Maintain integrity; follow regional legal guidelines." Followers
    /// trust a clinician's recommendation as clinical judgement; an
    /// undisclosed payment, gift or hospitality turns it into advertising.
    /// AMA opinion on product promotion, item 5 (`us-ama-product-5`):
    /// disclose any financial interest; BMA 2011 (`uk-bma-2011`) and ACP/FSMB
    /// 2013 (`us-acp-fsmb-2013`) ask for the same.
    ///
    /// ## Example
    ///
    /// ```text
    /// Obsessed with these Kinetix compression socks for 12-hour shifts 🧦 linked in my bio
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// #ad | Paid partnership with Kinetix. I've worn their compression socks on 12-hour shifts for a month.
    /// ```
    ///
    /// ## Fix
    ///
    /// State the interest at the start ("#ad", "Paid partnership with...",
    /// "I receive speaker fees from..."), or remove the promotion. There is
    /// no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "promotion/undisclosed-interest",
        fix: Never,
        options: [],
        check: check,
    }
}

/// The phrases of `lexicons/promotion_markers.csv` of the given kind.
pub(crate) fn marker_rows(kind: &str) -> Vec<String> {
    crate::lexicon_rows!("promotion_markers.csv")
        .into_iter()
        .filter(|r| r.get(1).is_some_and(|k| k == kind))
        .filter_map(|r| r.into_iter().next())
        .collect()
}

/// A lexicon of the phrases of one kind in `lexicons/promotion_markers.csv`.
pub(crate) fn marker_lexicon(kind: &str) -> Lexicon<()> {
    Lexicon::new(marker_rows(kind).into_iter().map(|p| (p, ())))
}

static DISCLOSURES: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("disclosure"));
pub(crate) static ENDORSEMENTS: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("endorse"));
static PRODUCTS: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("product"));
static PUBLIC_RESOURCES: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("public_resource"));
static AFFILIATE_DOMAINS: LazyLock<Vec<String>> = LazyLock::new(|| marker_rows("affiliate_domain"));

/// The first affiliate or shop link in the post.
fn affiliate_link(a: &Analysis<'_>) -> Option<Span> {
    a.of_kind(TokenKind::Url)
        .find(|(_, t)| AFFILIATE_DOMAINS.iter().any(|d| t.norm.contains(d.as_str())))
        .map(|(_, t)| t.span)
}

/// A discount code: "code" followed by an upper-case code with a digit
/// or in capitals ("use code NURSEJESS15").
fn discount_code(a: &Analysis<'_>) -> Option<Span> {
    a.tokens.iter().enumerate().find_map(|(i, t)| {
        if t.norm != "code" {
            return None;
        }
        let j = a.next_word(i)?;
        let c = &a.tokens[j];
        if c.case != Case::Upper || c.norm.len() < 4 {
            return None;
        }
        // "NURSEJESS15" may be split into letters and digits.
        let tail = a
            .tokens
            .get(j + 1)
            .filter(|n| n.kind == TokenKind::Number && !n.space_before);
        Some(t.span.cover(tail.map_or(c.span, |n| n.span)))
    })
}

/// A brand's possessive ("Veltrana's") that does not open its sentence.
fn brand_possessive(a: &Analysis<'_>) -> bool {
    a.tokens.iter().enumerate().any(|(i, t)| {
        t.kind == TokenKind::Word
            && matches!(t.case, Case::Title | Case::Mixed | Case::Upper)
            && (a.token_text(i).ends_with("'s") || a.token_text(i).ends_with("’s"))
            && i > 0
            && a.sentence_of[i - 1] == a.sentence_of[i]
            && !matches!(
                a.tokens[i - 1].norm.as_str(),
                "dr" | "mr" | "mrs" | "ms" | "prof" | "nurse" | "sister"
            )
    })
}

/// Where the post promotes a third party's product: the endorsement or
/// link, whether or not it is disclosed. Self-promotion reads this so a
/// product's "link in bio" is not counted as advertising the practice.
pub(crate) fn product_promotion(a: &Analysis<'_>) -> Option<Span> {
    if a.tokens.is_empty() {
        return None;
    }
    if let Some(s) = affiliate_link(a).or_else(|| discount_code(a)) {
        return Some(s);
    }
    let endorsements = ENDORSEMENTS.find_all(a);
    let first = endorsements
        .iter()
        .find(|m| !a.quoted[m.first] && !a.negated[m.first])?;
    let product = PRODUCTS.matches(a) || brand_possessive(a);
    if !product || PUBLIC_RESOURCES.matches(a) {
        return None;
    }
    Some(first.span)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let Some(span) = product_promotion(a) else { return };
    if DISCLOSURES.matches(a) {
        return;
    }
    out.push(
        Diagnostic::at(span, "product promoted without a disclosure of interest")
            .with_help("say at the start whether you are paid, gifted or an affiliate (\"#ad\", \"Paid partnership with...\"), or remove the promotion"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_undisclosed_promotion() {
        assert_spans(
            &RULE,
            "As a dentist I only recommend BrightArc whitening strips to my family and friends. Grab yours here 👉 amzn.to/3xQf7Lm",
            &["amzn.to/3xQf7Lm"],
        );
        assert_spans(
            &RULE,
            "Obsessed with these Kinetix compression socks for 12-hour shifts 🧦 linked in my bio #nurse",
            &["Obsessed with"],
        );
        assert_spans(
            &RULE,
            "Been trying the new GlucoTrack Pro sensor and honestly it's game-changing 🙌 Use code NURSEJESS15 for 15% off",
            &["code NURSEJESS15"],
        );
        assert_spans(
            &RULE,
            "Learning about Veltrana's new migraine injection. Truly a game-changer and I'll be prescribing it widely. Thank you to the amazing Veltrana team for looking after us!",
            &["game-changer"],
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "#ad | Paid partnership with Kinetix. I've been wearing their compression socks on 12-hour shifts and my legs feel less heavy.",
        );
        assert_silent(
            &RULE,
            "Gifted by the brand, but honestly obsessed with these socks for night shifts.",
        );
        assert_silent(
            &RULE,
            "Paper's out! We found that brisk walking cut falls. Full text: https://doi.org/10.1000/jfp.2026.118",
        );
        assert_silent(
            &RULE,
            "The new NICE guideline is a game-changer for how we use reliever inhalers: https://www.nice.org.uk/guidance/ng245",
        );
        assert_silent(
            &RULE,
            "@KavyaRamanMD the LITFL ECG library is brilliant for this, and it's free: https://litfl.com/ecg-library/",
        );
        assert_silent(&RULE, "Flu vaccines are now available at the surgery.");
        assert_silent(&RULE, "I'm not obsessed with any brand of socks, just buy what fits.");
        assert_silent(&RULE, "");
    }
}
