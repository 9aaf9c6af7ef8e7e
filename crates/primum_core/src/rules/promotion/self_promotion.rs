//! `promotion/self-promotion`: advertising the author or their practice.

use std::cell::OnceCell;
use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{Shapes, TokenSet, Words};
use crate::rules::promotion::testimonial;
use crate::rules::promotion::undisclosed_interest::{self, marker_lexicon};
use crate::signals::Signals;

declare_rule! {
    /// ## What it checks
    ///
    /// Advertising of the author or their practice: superlatives about
    /// oneself ("BEST DENTIST IN TOWN", "Why go anywhere else?", "Voted
    /// best...", "Ranked the No.1 knee surgeon"), calls to book or buy
    /// ("Book your patch test today!", "DM me to book", "call us to book",
    /// "book through my website"), prices ("initial consult $180", "from
    /// ₹1,50,000", "$199 per area"), discounts and offers ("50% OFF", "this
    /// month only", "half price if you mention this post"), giveaways
    /// ("GIVEAWAY", "tag 3 mates to WIN"), "link in bio" and finance ("EMI
    /// options"). The phrases are in `lexicons/promotional.csv`; a contact
    /// verb followed by "to book" or "to arrange" is read by code, and so
    /// is "best" or "top" before a profession (the `profession` rows of
    /// `lexicons/promotion_markers.csv`: "Best sports physio on the
    /// northside"). The weaker signs ("DM us", "new patients welcome",
    /// "number one", "best physio" without a ranking) count only beside a
    /// second sign of advertising, and a patient testimonial (star rating,
    /// "5-star Google review") is such a second sign (`weak_promo` rows of
    /// `lexicons/promotion_markers.csv`). Booking a public-health service
    /// ("book your flu jab", "book through the NHS app", or a booking
    /// phrase after a public-health service named in its own or the
    /// previous sentence, unless it books "our"/"my" service) or one's own
    /// clinician ("book in with your GP"), quoted words, praise of someone else ("the best surgeon I
    /// know") and a third party's product (see
    /// `promotion/undisclosed-interest`) are not findings. Each finding
    /// underlines one phrase.
    ///
    /// ## Why
    ///
    /// "Don't promote yourself; showcase expertise with knowledge sharing
    /// and achievements." Health advertising must not mislead or offer
    /// inducements: National Law s133(1)(a)-(e) (`au-natlaw-133(1)(a)` to
    /// `(e)`), NY Education Law §6530(27) (`us-ny-educ-6530(27)`), MCI
    /// 2002 r6.1.1 (`in-mci-2002-6.1.1`, soliciting patients and
    /// self-advertisement, an error in the `in` pack) and, in the UK, MPS
    /// guidance on GMC advertising (`uk-mps-advertising`).
    ///
    /// ## Example
    ///
    /// ```text
    /// 💥 50% OFF ALL WHITENING THIS WEEKEND ONLY 💥 BEST DENTIST IN TOWN, ASK ANYONE!!! CALL NOW
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Thinking about whitening? Here's what the evidence says about safety and how long it lasts.
    /// ```
    ///
    /// ## Fix
    ///
    /// Share knowledge or news instead of selling: remove prices, offers,
    /// superlatives and calls to book. There is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "promotion/self-promotion",
        fix: Never,
        options: [],
        check: check,
    }
}

/// `lexicons/promotional.csv`: phrase and kind.
static PROMOTIONAL: LazyLock<Lexicon<String>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("promotional.csv").into_iter().filter_map(|r| {
        let mut it = r.into_iter();
        Some((it.next()?, it.next()?))
    }))
});

/// Weak phrases, as normalised by the lexicon, for lookup by match phrase.
static WEAK: LazyLock<Vec<String>> = LazyLock::new(|| {
    marker_lexicon("weak_promo")
        .phrases()
        .map(|(p, _)| p.to_string())
        .collect()
});

static PUBLIC_HEALTH: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("public_health"));

/// Professions and practices, for "best sports physio on the northside".
static PROFESSIONS: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("profession"));

/// Verbs of contact before "to book" ("call us to book", "ring the
/// clinic to arrange").
const CONTACT_VERBS: &[&str] = &[
    "call", "ring", "phone", "dm", "message", "email", "e-mail", "text", "whatsapp", "contact", "inbox", "pm", "visit",
];

/// Verbs after "to" that make the contact a booking.
/// A `match`, not a list: it is tested on every word of every post, and a
/// match compares lengths before bytes.
/// The words of [`book_verb`], and the currencies of [`price_at`].
static BOOK_OR_CURRENCY: Words = Words::new(&[
    "book", "arrange", "schedule", "reserve", "secure", "enquire", "inquire", "$", "£", "€", "₹", "rs", "inr", "aud",
    "usd",
]);

fn book_verb(w: &str) -> bool {
    matches!(
        w,
        "book" | "arrange" | "schedule" | "reserve" | "secure" | "enquire" | "inquire"
    )
}

/// Words before "best"/"top" that make it a ranking of the author.
const RANKED: &[&str] = &[
    "ranked", "voted", "named", "rated", "crowned", "awarded", "i'm", "we're", "im", "were",
];

/// "Call us to book", "message the clinic to arrange": a contact verb up
/// to five words before "to" and a booking verb (token `i`), as a span.
fn contact_to_book_at(a: &Analysis<'_>, i: usize) -> Option<Span> {
    let t = &a.tokens[i];
    if t.kind != TokenKind::Word || !book_verb(&t.norm) || a.quoted[i] || a.negated[i] {
        return None;
    }
    let to = a.prev_word(i).filter(|&k| a.tokens[k].norm == "to")?;
    let mut k = to;
    for _ in 0..5 {
        let p = a.prev_word(k)?;
        if CONTACT_VERBS.contains(&a.tokens[p].norm.as_str()) {
            return Some(a.tokens_span(p..i + 1));
        }
        k = p;
    }
    None
}

/// The bookings ([`contact_to_book_at`]) and the prices ([`price_at`]) of
/// the post, in one pass over its tokens.
fn bookings_and_prices(a: &Analysis<'_>, shapes: &Shapes) -> (Vec<Span>, Vec<Span>) {
    let (mut bookings, mut prices) = (Vec::new(), Vec::new());
    // Only the tokens that may be a booking verb or a currency are looked
    // at, found with no branch on each token (see [`bits`]): a branch on
    // each token's kind and word was mispredicted a few times a post.
    let candidates = TokenSet::of(a.tokens.len(), |i| BOOK_OR_CURRENCY.may_have_key(shapes.key(i)));
    for i in candidates.iter() {
        bookings.extend(contact_to_book_at(a, i));
        prices.extend(price_at(a, i));
    }
    (bookings, prices)
}

/// "Best sports physio on the northside", "Ranked the No.1 knee
/// surgeon": "best", "top" or "no.1" up to three words before a
/// profession. Strong after a ranking verb ("voted", "I'm"), weak
/// otherwise; praise of someone else ("the best surgeon I know") is left
/// out.
fn profession_superlatives(a: &Analysis<'_>) -> Vec<(Span, bool)> {
    let mut out = Vec::new();
    for m in PROFESSIONS.each(a) {
        if a.quoted[m.first] {
            continue;
        }
        let mut k = m.first;
        for _ in 0..4 {
            let Some(p) = a.prev_word(k) else { break };
            if (p + 1..k)
                .any(|j| a.tokens[j].kind == TokenKind::Punct && a.tokens[j].norm != "." && a.tokens[j].norm != "#")
            {
                break;
            }
            let w = a.tokens[p].norm.as_str();
            let sup = matches!(w, "best" | "top" | "leading")
                || (a.tokens[p].kind == TokenKind::Number
                    && w == "1"
                    && a.prev_word(p)
                        .is_some_and(|q| matches!(a.tokens[q].norm.as_str(), "no" | "number")));
            if sup {
                let start = if w == "1" { a.prev_word(p).unwrap_or(p) } else { p };
                let before = a.prev_word(start).map(|q| a.tokens[q].norm.as_str());
                let before2 = a
                    .prev_word(start)
                    .and_then(|q| a.prev_word(q))
                    .map(|q| a.tokens[q].norm.as_str());
                let ranked = before.is_some_and(|b| RANKED.contains(&b))
                    || (before == Some("the") && before2.is_some_and(|b| RANKED.contains(&b)));
                let other = before.is_some_and(|b| OTHERS.contains(&b));
                if ranked || !other {
                    out.push((a.tokens_span(start..m.end), ranked));
                }
                break;
            }
            k = p;
        }
    }
    out
}

/// Words before "best <profession>" that make it praise of someone else.
const OTHERS: &[&str] = &[
    "the", "my", "our", "a", "your", "his", "her", "their", "an", "such", "with",
];

/// Words next to an amount that make it a price of a service.
const PRICE_BEFORE: &[&str] = &[
    "from",
    "only",
    "just",
    "consult",
    "consultation",
    "session",
    "starting",
    "price",
    "fee",
    "fees",
    "costs",
    "cost",
    "now",
    "was",
    "at",
];
const PRICE_AFTER: &[&str] = &["per", "each", "only", "off", "onwards"];

/// A currency amount at token `i` given as the price of a service ("from
/// ₹1,50,000", "initial consult $180").
fn price_at(a: &Analysis<'_>, i: usize) -> Option<Span> {
    // A price is a currency then a number: test the number first, the
    // cheaper test and the rarer.
    let n = a.tokens.get(i + 1).filter(|n| n.kind == TokenKind::Number)?;
    let t = &a.tokens[i];
    let is_currency = match t.kind {
        TokenKind::Punct => matches!(t.norm.as_str(), "$" | "£" | "€" | "₹"),
        TokenKind::Word => matches!(t.norm.as_str(), "rs" | "inr" | "aud" | "usd"),
        _ => false,
    };
    if !is_currency {
        return None;
    }
    let before = a.prev_word(i).map(|k| a.tokens[k].norm.as_str());
    let after = a.next_word(i + 1).map(|k| a.tokens[k].norm.as_str());
    (before.is_some_and(|w| PRICE_BEFORE.contains(&w)) || after.is_some_and(|w| PRICE_AFTER.contains(&w)))
        .then(|| t.span.cover(n.span))
}

/// A booking phrase that follows a public-health service named in its own
/// or the previous sentence ("the spring booster is open to over-75s. Book
/// through...") and books nothing of the writer's own ("book through our
/// website" still counts).
fn books_public_service(
    a: &Analysis<'_>,
    first: usize,
    end: usize,
    public_health: &[primum_text::LexMatch<'_, ()>],
) -> bool {
    let s = a.sentence_of[first];
    let named = public_health
        .iter()
        .any(|p| p.first < first && a.sentence_of[p.first] + 1 >= s && !a.negated[p.first]);
    let own = (end..a.tokens.len().min(end + 6))
        .take_while(|&k| a.sentence_of[k] == s)
        .any(|k| matches!(a.tokens[k].norm.as_str(), "my" | "our" | "us" | "me"));
    named && !own
}

/// The advertising phrases of a post, each with whether it counts alone.
fn signals(s: &Signals<'_>) -> Vec<(Span, bool)> {
    let a = s.text;
    let product = s.product_promotion().is_some();
    let endorsements = if product {
        undisclosed_interest::ENDORSEMENTS.find_all(a)
    } else {
        Vec::new()
    };
    // Read only for a booking phrase: found on first need.
    let public_health = OnceCell::new();
    let public_health = || public_health.get_or_init(|| PUBLIC_HEALTH.find_all(a));
    let own_clinician = || s.caveats();
    let mut out = Vec::new();
    for m in PROMOTIONAL.each(a) {
        if a.quoted[m.first] || a.negated[m.first] {
            continue;
        }
        // A third party's product belongs to undisclosed-interest.
        if endorsements.iter().any(|e| e.span.overlaps(m.span)) {
            continue;
        }
        let kind = m.value.as_str();
        // Booking a public-health service or one's own clinician ("book in
        // with your GP") is not advertising.
        if kind == "booking"
            && (public_health().iter().any(|p| p.first >= m.end && p.first <= m.end + 4)
                || own_clinician().iter().any(|p| p.first >= m.end && p.first <= m.end + 4)
                || books_public_service(a, m.first, m.end, public_health()))
        {
            continue;
        }
        if kind == "superlative"
            && !m.phrase.ends_with(" in")
            && m.phrase.starts_with("best ")
            && a.prev_word(m.first)
                .is_some_and(|k| OTHERS.contains(&a.tokens[k].norm.as_str()))
        {
            continue;
        }
        let mut span = m.span;
        if m.phrase.starts_with('%') {
            // "50% off": the number belongs to the offer.
            match a.prev_word(m.first).filter(|&k| a.tokens[k].kind == TokenKind::Number) {
                Some(k) => span = a.tokens[k].span.cover(span),
                None => continue,
            }
        }
        let strong = !WEAK.iter().any(|w| w == m.phrase);
        out.push((span, strong));
    }
    let (bookings, prices) = bookings_and_prices(a, s.shapes());
    for span in bookings {
        if !out.iter().any(|(s, _)| s.overlaps(span)) {
            out.push((span, true));
        }
    }
    for (span, strong) in profession_superlatives(a) {
        match out.iter_mut().find(|(s, _)| s.overlaps(span)) {
            Some((s, st)) => {
                *s = s.cover(span);
                *st |= strong;
            }
            None => out.push((span, strong)),
        }
    }
    for price in prices {
        // "initial consult $" and "$180" are one price.
        match out.iter_mut().find(|(s, _)| s.overlaps(price)) {
            Some((s, strong)) => {
                *s = s.cover(price);
                *strong = true;
            }
            None => out.push((price, true)),
        }
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// True when the signs add up to advertising: one strong sign, or two
/// weak ones, a patient testimonial counting as one.
fn advertises(a: &Analysis<'_>, found: &[(Span, bool)]) -> bool {
    found.iter().any(|(_, strong)| *strong)
        || found.len() >= 2
        || (found.len() == 1 && testimonial::testimonial_frame(a).is_some())
}

/// True when the post advertises the author or their practice.
pub(crate) fn is_advertising(s: &Signals<'_>) -> bool {
    advertises(s.text, s.advertising(|| signals(s)))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let found = ctx.signals.advertising(|| signals(ctx.signals));
    if !advertises(a, found) {
        return;
    }
    for &(span, _) in found {
        out.push(
            Diagnostic::at(span, "advertising of self or practice")
                .with_help(
                    "share knowledge or news instead of selling: remove prices, offers, superlatives and calls to book",
                )
                .with_note(format!("phrase: {}", a.slice(span))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_advertising() {
        assert_spans(
            &RULE,
            "💥 50% OFF ALL WHITENING THIS WEEKEND ONLY 💥 BEST DENTIST IN TOWN, ASK ANYONE!!! CALL NOW",
            &[
                "50% OFF",
                "THIS WEEKEND ONLY",
                "BEST DENTIST IN",
                "ASK ANYONE",
                "CALL NOW",
            ],
        );
        assert_spans(
            &RULE,
            "I have private slots this week, initial consult $180. DM me to book 😊",
            &["private slots", "initial consult $180", "DM me to book"],
        );
        assert_spans(
            &RULE,
            "Our laser hair removal is gentle. Book your patch test today!",
            &["Book your"],
        );
        assert_spans(
            &RULE,
            "Full smile makeover from ₹1,50,000, link in bio ✨",
            &["₹1,50,000", "link in bio"],
        );
        assert_spans(
            &RULE,
            "100% success rate on every implant 🦷 Why go anywhere else?",
            &["Why go anywhere else"],
        );
    }

    #[test]
    fn weak_phrases_need_company() {
        assert_silent(&RULE, "Questions about the new portal? DM us.");
        assert_spans(
            &RULE,
            "Appointments available this Saturday, DM us!",
            &["Appointments available", "DM us"],
        );
    }

    #[test]
    fn generalises_booking_and_rankings() {
        // A contact verb and "to book", however the contact is named.
        assert_spans(
            &RULE,
            "New sports clinic slots from Monday, ring the front desk to book.",
            &["slots from", "ring the front desk to book"],
        );
        // A ranking verb before "the No.1 <profession>", and booking online.
        assert_spans(
            &RULE,
            "Ranked the No.1 hip surgeon in Leeds by my patients. Book through my website.",
            &["Ranked the No.1 hip surgeon", "Book through"],
        );
        // "Best <modifier> <profession>" with an offer.
        assert_spans(
            &RULE,
            "Best sports physio on the northside. First session half price if you mention this post.",
            &["Best sports physio", "First session half price", "mention this post"],
        );
        // A weak sign beside a patient testimonial.
        assert_spans(
            &RULE,
            "Another 5-star Google review this week: 'So gentle and kind!' Thank you! New patients always welcome.",
            &["New patients always welcome"],
        );
    }

    #[test]
    fn hard_negatives_for_rankings_and_booking() {
        // Booking one's own clinician is a pointer, not advertising.
        assert_silent(
            &RULE,
            "A new smell, itch or pain? Book in with your GP or a sexual health clinic. It's quick and confidential.",
        );
        // Praise of a colleague.
        assert_silent(
            &RULE,
            "Congratulations to Dr Mensah, the best registrar we've had in years, on her consultant post!",
        );
        assert_silent(
            &RULE,
            "Proud of our team for being shortlisted for the BMJ Awards this year.",
        );
        // A testimonial alone is promotion/testimonial's business.
        assert_silent(
            &RULE,
            "My patient told me her new dentures saved her marriage. Best compliment I've ever had.",
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "We're hiring! Two staff nurse posts on our renal unit. Apply via NHS Jobs: https://www.jobs.nhs.uk",
        );
        assert_silent(
            &RULE,
            "Bank holiday opening: Harbour Lane Surgery is closed on Monday. For urgent help call 111.",
        );
        assert_silent(
            &RULE,
            "Thank you to everyone who came to our free community CPR session on Saturday!",
        );
        assert_silent(&RULE, "Flu vaccines for over-65s are now available at the surgery.");
        assert_silent(
            &RULE,
            "Vaccines save lives. Book your flu jab and stop listening to Facebook uncles.",
        );
        assert_silent(&RULE, "Honoured to receive the Nurse Educator of the Year award.");
        assert!(
            !Test::new("Flu jabs are in at my pharmacy this week. Book through our website, £15.")
                .run(&RULE)
                .is_empty()
        );
        assert_silent(
            &RULE,
            "Cervical screening invites are going out for 25-49s this month. Book online or at reception, it takes five minutes.",
        );
        assert_silent(
            &RULE,
            "Meet the team 👋 This is Tom, our new sports physio. Say hi when you're in.",
        );
        assert_silent(
            &RULE,
            "Huge congratulations to the best surgeon I know on her retirement!",
        );
        assert_silent(
            &RULE,
            "Nothing humbles you like a vending machine that takes your last £2 and gives you nothing.",
        );
        assert_silent(
            &RULE,
            "Obsessed with these Kinetix compression socks 🧦 linked in my bio",
        );
        assert_silent(&RULE, "");
    }

    #[test]
    fn a_weak_booking_beside_a_card_from_a_patient() {
        assert!(
            crate::testing::Test::new(
                "Lovely card from a patient: 'you got me walking again!' Now taking bookings for spring."
            )
            .fires(&RULE)
        );
        assert_silent(&RULE, "Now taking bookings for the staff Christmas do, see Sam.");
    }
}
