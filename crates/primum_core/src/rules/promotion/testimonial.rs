//! `promotion/testimonial`: patients' praise used to promote a practitioner.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{Shapes, TokenSet, Words};
use crate::rules::promotion::self_promotion;
use crate::rules::promotion::undisclosed_interest::marker_lexicon;

declare_rule! {
    /// ## What it checks
    ///
    /// A patient's testimonial or review shown off by the practitioner:
    ///
    /// - a star rating (three or more ⭐ in a row, "5 stars");
    /// - framing of praise ("feedback like this", "messages like this from
    ///   patients", "best compliment I've ever had", "another happy
    ///   patient", "card from a patient") with a quotation, a patient or
    ///   the praise itself;
    /// - weaker framing ("this is why I do what I do", "my patient told me")
    ///   with a patient's words of praise ("gave me my confidence back",
    ///   "changed my life") or a quotation of three or more words that
    ///   speaks to the practitioner ("'You got me back on the course'");
    /// - praise reported in the third person ("she told me", "he said")
    ///   with a superlative for a practitioner someone has "ever had" ("I'm
    ///   the gentlest dentist she's ever had"), in a post about a patient
    ///   or one that advertises.
    ///   Self-promotion counts any of these as a sign of advertising.
    /// - in a post that advertises, weaker framing ("one of our clients
    ///   told us") with a client's own story quoted in the first person
    ///   ("'I couldn't manage the stairs in March and ran my first 5k'").
    ///
    /// Thanking patient volunteers, service feedback ("patients tell us the
    /// worst part is the waiting") and colleagues' awards are not
    /// testimonials. The phrases are the `testimonial_*` rows of
    /// `lexicons/promotion_markers.csv`. The finding underlines the rating
    /// or the framing.
    ///
    /// ## Why
    ///
    /// "Don't promote yourself; follow regional legal guidelines."
    /// Testimonials are selective and cannot be verified, so several
    /// regulators ban them in health advertising: National Law
    /// s133(1)(c) (`au-natlaw-133(1)(c)`, an error in the `au` pack), NY
    /// Education Law §6530(27) (`us-ny-educ-6530(27)`), MCI 2002 r6.1.1
    /// (`in-mci-2002-6.1.1`, an error in the `in` pack); the NMC warns
    /// against "success stories" (2023).
    ///
    /// ## Example
    ///
    /// ```text
    /// 'Dr Meera gave me my confidence back' 🥹 messages like this from patients are why I do this.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Five things to ask before any cosmetic dental treatment, from a dentist of 15 years 🧵
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep patients' thanks private; share what you know instead. There
    /// is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "promotion/testimonial",
        fix: Never,
        options: [],
        check: check,
    }
}

static FRAMES: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("testimonial_frame"));
static WEAK_FRAMES: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("testimonial_weak"));
static PRAISE: LazyLock<Lexicon<()>> = LazyLock::new(|| marker_lexicon("testimonial_praise"));

fn is_star(a: &Analysis<'_>, i: usize) -> bool {
    let t = &a.tokens[i];
    // Each star is three or four bytes of UTF-8: a shorter token (most
    // punctuation) is not read character by character.
    matches!(t.kind, TokenKind::Emoji | TokenKind::Punct)
        && t.span.end - t.span.start >= 3
        && a.token_text(i).chars().any(|c| matches!(c, '⭐' | '🌟' | '★'))
}

/// A run of three or more stars.
fn star_rating(a: &Analysis<'_>) -> Option<Span> {
    // Most posts hold no star at all: three searches of the text (each a
    // vectorised search for the star's last byte) spare the walk over
    // every token; an ASCII text (known from its analysis) needs none.
    if a.is_ascii() || !(a.text.contains('⭐') || a.text.contains('🌟') || a.text.contains('★')) {
        return None;
    }
    let mut i = 0;
    while i < a.tokens.len() {
        if is_star(a, i) {
            let start = i;
            while i < a.tokens.len() && is_star(a, i) {
                i += 1;
            }
            let stars: usize = (start..i)
                .map(|k| {
                    a.token_text(k)
                        .chars()
                        .filter(|&c| matches!(c, '⭐' | '🌟' | '★'))
                        .count()
                })
                .sum();
            if stars >= 3 {
                return Some(a.tokens_span(start..i));
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A star rating or a testimonial frame ("5-star Google review",
/// "feedback like this") that is not negated: self-promotion counts it as
/// one sign of advertising.
pub(crate) fn testimonial_frame(a: &Analysis<'_>) -> Option<Span> {
    star_rating(a)
        .or_else(|| FRAMES.each(a).find(|m| !a.negated[m.first]).map(|m| m.span))
        .or_else(|| weak_testimonial(a).map(|(frame, _)| frame))
}

/// Words of a quotation that speak to the practitioner ("You got me back
/// on the golf course", "Dr Shah never rushed me").
const TO_PRACTITIONER: &[&str] = &["you", "u", "your", "you've", "you're", "dr", "doc", "doctor"];

/// A quotation of three or more words that speaks to the practitioner:
/// its first token.
fn quote_to_practitioner(a: &Analysis<'_>) -> Option<usize> {
    let quoted: Vec<usize> = (0..a.tokens.len())
        .filter(|&i| a.quoted[i] && a.tokens[i].is_wordlike())
        .collect();
    (quoted.len() >= 3)
        .then(|| {
            quoted
                .iter()
                .copied()
                .find(|&i| TO_PRACTITIONER.contains(&a.tokens[i].norm.as_str()))
        })
        .flatten()
}

/// A weak frame ("this is why we do it") with a patient's praise
/// ("changed my life") or a quotation addressed to the practitioner:
/// the frame's span and the praise's.
/// Superlatives of praise for a practitioner ("the gentlest dentist").
const GOOD_SUPERLATIVES: &[&str] = &[
    "best",
    "gentlest",
    "kindest",
    "nicest",
    "loveliest",
    "greatest",
    "finest",
    "friendliest",
    "calmest",
    "favourite",
    "favorite",
];

/// Practitioners a reported superlative may praise.
const PRACTITIONERS: &[&str] = &[
    "dentist",
    "doctor",
    "doc",
    "gp",
    "nurse",
    "physio",
    "physiotherapist",
    "surgeon",
    "midwife",
    "hygienist",
    "therapist",
    "osteo",
    "osteopath",
    "chiro",
    "chiropractor",
    "pharmacist",
    "optometrist",
    "podiatrist",
    "dermatologist",
    "consultant",
    "practitioner",
    "clinician",
];

/// Praise someone reported ("she told me", "he said") with a superlative
/// for a practitioner that someone has "ever had": the frame and the praise.
fn reported_superlative(a: &Analysis<'_>, shapes: &Shapes) -> Option<(Span, Span)> {
    static PRONOUNS: Words = Words::new(&["she", "he", "they"]);
    let word = |k: usize| a.tokens[k].norm.as_str();
    // The tokens that may be one of the pronouns, found with no branch on
    // each (see [`TokenSet`]): comparing each token's norm with the three
    // was mispredicted several times a post.
    let pronouns = TokenSet::of(a.tokens.len(), |i| PRONOUNS.may_have_key(shapes.key(i)));
    for i in pronouns.iter() {
        if !matches!(word(i), "she" | "he" | "they") || a.negated[i] {
            continue;
        }
        let Some(v) = a.next_word(i) else { continue };
        if !matches!(word(v), "told" | "tells" | "said" | "says") {
            continue;
        }
        let s = a.sentence_of[i];
        let mut k = v;
        for _ in 0..10 {
            let Some(n) = a.next_word(k) else { break };
            if a.sentence_of[n] != s {
                break;
            }
            k = n;
            if !GOOD_SUPERLATIVES.contains(&word(k)) || a.negated[k] {
                continue;
            }
            let Some(p) = a.next_word(k).filter(|&p| PRACTITIONERS.contains(&word(p))) else {
                continue;
            };
            let mut e = p;
            for _ in 0..3 {
                let Some(n) = a.next_word(e) else { break };
                e = n;
                if word(e) == "ever" {
                    return Some((a.tokens_span(i..v + 1), a.tokens_span(k..e + 1)));
                }
            }
        }
    }
    None
}

fn weak_testimonial(a: &Analysis<'_>) -> Option<(Span, Span)> {
    let frame = WEAK_FRAMES.each(a).find(|m| !a.negated[m.first])?;
    let praise = PRAISE
        .each(a)
        .find(|m| !a.negated[m.first])
        .map(|m| m.span)
        .or_else(|| quote_to_practitioner(a).map(|i| a.tokens[i].span))?;
    Some((frame.span, praise))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.is_empty() {
        return;
    }
    let help = "keep patients' thanks private; share what you know instead";
    if let Some(span) = star_rating(a) {
        out.push(Diagnostic::at(span, "star rating from a patient used as promotion").with_help(help));
        return;
    }
    // What backs a frame is worked out only once a frame is found: most
    // posts have none.
    let quoted_words = || {
        a.tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| a.quoted[*i] && t.is_wordlike())
            .count()
    };
    let praised = || PRAISE.each(a).any(|m| !a.negated[m.first]);
    let patient = || ctx.signals.patient().any() || a.has_word(&["patient", "patients", "client", "clients"]);
    let live = |m: &primum_text::LexMatch<'_, ()>| !a.negated[m.first];
    if let Some(frame) = FRAMES.each(a).find(live)
        && (quoted_words() >= 3 || patient() || praised())
    {
        out.push(
            Diagnostic::at(frame.span, "patient testimonial used to promote a practitioner")
                .with_help(help)
                .with_note(format!("framing: {}", a.slice(frame.span))),
        );
        return;
    }
    if let Some((frame, p)) = weak_testimonial(a) {
        out.push(
            Diagnostic::at(frame, "patient testimonial used to promote a practitioner")
                .with_help(help)
                .with_note(format!("praise: {}", a.slice(p))),
        );
        return;
    }
    // Praise reported in the third person: "she told me I'm the gentlest
    // dentist she's ever had".
    if let Some((frame, p)) = reported_superlative(a, ctx.signals.shapes())
        && (patient() || self_promotion::is_advertising(ctx.signals))
    {
        out.push(
            Diagnostic::at(frame, "patient testimonial used to promote a practitioner")
                .with_help(help)
                .with_note(format!("praise: {}", a.slice(p))),
        );
        return;
    }
    // A client's own story in quotation marks ("'I couldn't manage the
    // stairs and ran my first 5k'"), attributed by a weak frame, in a post
    // that sells.
    if let Some(frame) = WEAK_FRAMES.each(a).find(live)
        && let Some(q) = first_person_quote(a)
        && self_promotion::is_advertising(ctx.signals)
    {
        out.push(
            Diagnostic::at(frame.span, "patient testimonial used to promote a practitioner")
                .with_help(help)
                .with_note(format!("client's story quoted: {}", a.slice(a.tokens[q].span))),
        );
    }
}

/// First-person words of a client's own story.
const FIRST_PERSON: &[&str] = &["i", "i'm", "i've", "i'd", "my", "me", "im", "ive"];

/// A quotation of five or more words told in the first person: its first
/// first-person token.
fn first_person_quote(a: &Analysis<'_>) -> Option<usize> {
    let quoted: Vec<usize> = (0..a.tokens.len())
        .filter(|&i| a.quoted[i] && a.tokens[i].is_wordlike())
        .collect();
    if quoted.len() < 5 {
        return None;
    }
    quoted
        .iter()
        .copied()
        .find(|&i| FIRST_PERSON.contains(&a.tokens[i].norm.as_str()))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_testimonials() {
        assert_spans(
            &RULE,
            "⭐⭐⭐⭐⭐ 'Best physio I've ever seen, my shoulder pain was gone after 2 sessions!' — Callum",
            &["⭐⭐⭐⭐⭐"],
        );
        assert_spans(
            &RULE,
            "'Dr Meera gave me my confidence back' 🥹 messages like this from patients are why I do this.",
            &["messages like this"],
        );
        assert_spans(
            &RULE,
            "Feedback like this is why I do what I do: 'After ten years of migraines, Dr Osei's clinic finally gave me my life back.'",
            &["Feedback like this"],
        );
        assert_spans(
            &RULE,
            "My patient told me today that her new dentures saved her marriage 😂❤️ Best compliment I've ever had.",
            &["Best compliment"],
        );
        assert_spans(&RULE, "Another 5 stars from a happy patient today!", &["5 stars"]);
        assert_spans(
            &RULE,
            "This is why we do it. He said we changed his life.",
            &["why we do it"],
        );
    }

    #[test]
    fn reported_superlatives() {
        assert_spans(
            &RULE,
            "Lovely lady in for her implant check, he said I'm the best surgeon he's ever seen! Book your consult today.",
            &["he said"],
        );
        assert_spans(
            &RULE,
            "Patient today said she's terrified of needles. She told me I was the kindest nurse she'd ever had.",
            &["She told"],
        );
        assert_silent(
            &RULE,
            "She told me her last dentist was the roughest dentist she's ever had, so we went slowly.",
        );
        assert_silent(
            &RULE,
            "My sister says she's the best cook she's ever met. Happy birthday!",
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Passed my OSCEs 🎉 Thank you to the patient volunteers and actors who gave up their Saturdays.",
        );
        assert_silent(
            &RULE,
            "Patients tell us all the time that the worst part of coming to hospital is the waiting. So we'll text you.",
        );
        assert_silent(
            &RULE,
            "So proud of our children's ward team for winning Team of the Year at last night's trust awards 🏆",
        );
        assert_silent(
            &RULE,
            "Honestly the best part of being a physio is watching someone walk out of the gym. Never gets old.",
        );
        assert_silent(
            &RULE,
            "Credit unknown: 'You will never forget the patient who held your hand on your worst day.'",
        );
        assert_silent(&RULE, "Rate this post ⭐ if it helped");
        assert_silent(&RULE, "");
    }

    #[test]
    fn cards_and_quotes_to_the_practitioner() {
        assert!(
            crate::testing::Test::new(
                "Thank-you card from a patient this week: 'You made my knee feel new again'. Lovely."
            )
            .fires(&RULE)
        );
        assert!(
            crate::testing::Test::new("'You never once made me feel rushed' - this is why I do what I do.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "This is why we do it: our volunteers raised £2,000 for the hospice.",
        );
        assert_silent(&RULE, "'Keep calm and carry on' - that's why we do what we do.");
    }
}

#[cfg(test)]
mod client_story_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn a_clients_story_used_to_sell() {
        assert!(
            Test::new("'I can walk the dog again without stopping' - what one of our clients told us this month! Book your free assessment now")
                .fires(&RULE)
        );
        assert!(
            !Test::new("'I couldn't get an appointment for weeks' - that's what one of our clients told us. We've changed our booking system.")
                .fires(&RULE)
        );
    }
}
