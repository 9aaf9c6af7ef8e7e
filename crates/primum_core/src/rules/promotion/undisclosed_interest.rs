//! `promotion/undisclosed-interest`: a product or company promoted without
//! a disclosure.

use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, PerToken, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{Shapes, TokenSet, Words};
use crate::signals::WordShapes;

declare_rule! {
    /// ## What it checks
    ///
    /// A product, drug, device or company being promoted, with no
    /// disclosure of an interest. Promotion is an affiliate or shop link
    /// (`amzn.to`, `?tag=`), a discount code ("use code NURSEJESS15", "Use
    /// NURSEKAT for 20% off"), or an endorsement ("obsessed with", "best on
    /// the market", "order at", "I only
    /// recommend", "game-changer", "I recommend it to all my families",
    /// "the only electrolyte drink I let my team near", "linked in my
    /// bio") next to a product (socks, strips, sensor, injection,
    /// supplement; a brand written in camel case, "HydraMax"; or a brand's
    /// possessive, "Veltrana's new injection"). A disclosure anywhere in the post ("#ad", "paid
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

/// [`AFFILIATE_DOMAINS`] as one automaton: a link is searched once for all
/// of them, where searching it for each (some sixteen) set up a search
/// every time.
static AFFILIATE_SEARCH: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(AFFILIATE_DOMAINS.iter()).expect("the affiliate domains make an automaton")
});

/// Platforms and tools written in camel case that are not products one
/// sells (`platform` rows).
static PLATFORMS: LazyLock<Vec<String>> = LazyLock::new(|| marker_rows("platform"));

/// Verbs before a discount code ("use NURSEKAT", "enter DRKATE20").
const CODE_VERBS: &[&str] = &["use", "using", "enter", "apply", "with", "quote", "code"];

/// The shapes of [`CODE_VERBS`]: every token is tested against the list,
/// and this rules out most of them with one table lookup.
static CODE_VERB_SHAPES: LazyLock<WordShapes> = LazyLock::new(|| WordShapes::of(CODE_VERBS.iter().copied()));

/// True when token `i` is written in camel case ("HydraMax", "GlucoTrack"):
/// an upper-case letter after a lower-case one, as brand names are.
fn camel_case(a: &Analysis<'_>, i: usize) -> bool {
    let t = &a.tokens[i];
    if t.kind != TokenKind::Word || PLATFORMS.iter().any(|p| p == t.norm.as_str()) {
        return false;
    }
    let text = a.token_text(i);
    let mut lower_seen = false;
    for (n, c) in text.chars().enumerate() {
        if n == 0 && !c.is_uppercase() {
            return false;
        }
        if c.is_lowercase() {
            lower_seen = true;
        } else if c.is_uppercase() && lower_seen {
            return true;
        }
    }
    false
}

/// A brand written in camel case anywhere in the post.
fn camel_brand(a: &Analysis<'_>) -> bool {
    (0..a.tokens.len()).any(|i| !a.quoted[i] && camel_case(a, i))
}

/// "The only electrolyte drink I let my team near", "the only sunscreen
/// we use": "the only", up to four words, then "I" or "we" and a verb.
fn only_one_i_use(a: &Analysis<'_>, shapes: &Shapes) -> Option<Span> {
    static ONLY: Words = Words::new(&["only"]);
    // The tokens that may be "only", found with no branch on each (see
    // [`TokenSet`]): comparing every norm with "only" was mispredicted
    // several times a post.
    let onlys = TokenSet::of(a.tokens.len(), |i| ONLY.may_have_key(shapes.key(i)));
    onlys.iter().find_map(|i| {
        let t = &a.tokens[i];
        if t.norm != "only" || a.quoted[i] || a.negated[i] {
            return None;
        }
        let p = a
            .prev_word(i)
            .filter(|&p| matches!(a.tokens[p].norm.as_str(), "the" | "my"))?;
        let mut k = i;
        for _ in 0..5 {
            k = a.next_word(k)?;
            if (i + 1..k).any(|j| a.tokens[j].kind == TokenKind::Punct) {
                return None;
            }
            if matches!(a.tokens[k].norm.as_str(), "i" | "we") {
                return Some(a.tokens_span(p..k + 1));
            }
        }
        None
    })
}

/// The first affiliate or shop link in the post.
fn affiliate_link(a: &Analysis<'_>) -> Option<Span> {
    a.of_kind(TokenKind::Url)
        .find(|(_, t)| AFFILIATE_SEARCH.is_match(t.norm.as_str()))
        .map(|(_, t)| t.span)
}

/// A discount code: "code" followed by an upper-case code with a digit
/// or in capitals ("use code NURSEJESS15"), or a code in capitals after
/// "use", "enter" or "with" with an offer beside it ("Use NURSEKAT for
/// 20% off", "15% off with NURSEAMY"). A post in capitals throughout has
/// no codes to tell apart.
fn discount_code(a: &Analysis<'_>) -> Option<Span> {
    // Every code is a word in capitals of four letters or more: a post
    // without one (most) is not searched for verbs before a code. Testing
    // the case first reads no word.
    // (One pass with no branch on each token.)
    if !a
        .tokens
        .iter()
        .fold(false, |any, t| any | ((t.case == Case::Upper) & (t.norm.len() >= 4)))
    {
        return None;
    }
    // The capitals ratio is a pass over the text: only taken once a verb
    // before a code is seen.
    let caps = std::cell::OnceCell::new();
    a.tokens.iter().enumerate().find_map(|(i, t)| {
        if t.norm != "code" {
            if !CODE_VERB_SHAPES.may_contain(&t.norm)
                || !CODE_VERBS.contains(&t.norm.as_str())
                || *caps.get_or_init(|| a.caps_ratio().0) > 0.5
            {
                return None;
            }
            let j = a.next_word(i)?;
            let c = &a.tokens[j];
            if c.kind != TokenKind::Word || c.case != Case::Upper || c.norm.len() < 5 {
                return None;
            }
            // The offer is within five tokens: "for 20% off", "20% off with".
            let offer = (i.saturating_sub(5)..a.tokens.len().min(j + 6))
                .any(|k| matches!(a.tokens[k].norm.as_str(), "off" | "%" | "discount"));
            if !offer {
                return None;
            }
            let tail = a
                .tokens
                .get(j + 1)
                .filter(|n| n.kind == TokenKind::Number && !n.space_before);
            return Some(c.span.cover(tail.map_or(c.span, |n| n.span)));
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

/// A brand's possessive ("Veltrana's") that does not open its sentence,
/// with "new" or a product up to three words after it ("Veltrana's new
/// migraine injection"; not "Mother's Day").
fn brand_possessive(a: &Analysis<'_>) -> bool {
    let mut product_at = PerToken::new(a.tokens.len());
    for p in PRODUCTS.each(a) {
        product_at[p.first] = true;
    }
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
            && (i + 1..a.tokens.len().min(i + 5)).any(|k| a.tokens[k].norm == "new" || product_at[k])
    })
}

/// Where the post promotes a third party's product: the endorsement or
/// link, whether or not it is disclosed. Self-promotion reads this so a
/// product's "link in bio" is not counted as advertising the practice.
pub(crate) fn product_promotion(a: &Analysis<'_>, shapes: &Shapes) -> Option<Span> {
    if a.tokens.is_empty() {
        return None;
    }
    if let Some(s) = affiliate_link(a).or_else(|| discount_code(a)) {
        return Some(s);
    }
    let endorsements = ENDORSEMENTS.find_all(a);
    let first = endorsements
        .iter()
        .find(|m| !a.quoted[m.first] && !a.negated[m.first])
        .map(|m| m.span)
        .into_iter()
        .chain(only_one_i_use(a, shapes))
        .min_by_key(|s| s.start)?;
    let product = PRODUCTS.matches(a) || brand_possessive(a) || camel_brand(a);
    if !product || PUBLIC_RESOURCES.matches(a) {
        return None;
    }
    Some(first)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let Some(span) = ctx.signals.product_promotion() else {
        return;
    };
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
    fn hospitality_and_switching_patients() {
        assert_spans(
            &RULE,
            "Great lunch hosted by Respira today to launch their new inhaler. I'll be switching my asthma patients next week.",
            &["I'll be switching"],
        );
        assert_silent(
            &RULE,
            "Paid partnership with Respira: their new inhaler is a game changer for my COPD patients.",
        );
        assert_silent(
            &RULE,
            "Switching all my patients over to the new clinic rota this month, wish me luck.",
        );
    }

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
    fn generalises_codes_brands_and_praise() {
        // A code in capitals after "use" with an offer, no word "code".
        assert_spans(
            &RULE,
            "Honestly the only electrolyte drink I let my team near on night shifts is HydraMax 💧 Use NURSEKAT for 20% off!",
            &["NURSEKAT"],
        );
        assert_spans(
            &RULE,
            "12 hours on my feet and no aches. 15% off with NURSEAMY at cloudstep.co",
            &["NURSEAMY"],
        );
        // A camel-case brand with effusive first-person praise.
        assert_spans(
            &RULE,
            "Can't believe how good the SnoozeBand is 😴 my new favourite thing. Linked in bio!",
            &["my new favourite"],
        );
        assert_spans(
            &RULE,
            "This is the only sunscreen I use on my kids, SunShield Kids SPF50.",
            &["the only sunscreen I"],
        );
    }

    #[test]
    fn hard_negatives_for_brands() {
        // A possessive that is not a brand's.
        assert_silent(
            &RULE,
            "Treat your mum this Mother's Day 💐 Gift vouchers for facials now available at reception.",
        );
        // Disclosed.
        assert_silent(
            &RULE,
            "#ad Paid partnership with HydraMax. I've used their electrolyte tabs on nights. Use NURSEKAT for 20% off.",
        );
        // Platforms and tools are not products one is paid for.
        assert_silent(
            &RULE,
            "Honestly YouTube is a game-changer for teaching inhaler technique, so many good videos.",
        );
        // A pain score is not a rating of a product.
        assert_silent(&RULE, "Patient in bay 3 says his pain is 10/10 and I believe him.");
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

    #[test]
    fn market_superlatives_and_order_links() {
        assert!(
            crate::testing::Test::new(
                "Tried loads, but this magnesium supplement is the best on the market. Order at calmleaf.example.com"
            )
            .fires(&RULE)
        );
        assert_silent(&RULE, "Order at reception: repeat prescriptions take 48 hours.");
        assert_silent(
            &RULE,
            "#ad Paid partnership: this probiotic is the best on the market. Order at gutly.example.com",
        );
    }
}
