//! `privacy/self-disclosure`: the author gives away their own or their
//! family's private details.

use std::sync::LazyLock;

use primum_text::{Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::phi::pattern::Pattern;
use crate::rule::{Ctx, Diagnostic};
use crate::signals::PlaceKind;

declare_rule! {
    /// ## What it checks
    ///
    /// Fires when the author shares:
    ///
    /// - a street address made their home ("27 Wexcombe Road is officially
    ///   ours", "housewarming");
    /// - that their home will be empty or how to get in ("flat's empty all
    ///   next week", "key's under the usual pot", "house-sitter bailed",
    ///   "house is all yours, burglars");
    /// - a trip with its dates ("Off to Bali 3-17 August"), or told with a
    ///   plane emoji and its length ("Kerala for two weeks from tomorrow ✈️");
    /// - the children's school named ("Kids' school (St Patrick's NS) is
    ///   shut");
    /// - a child's name or school ("Ava's first day at St Cuthbert's
    ///   Primary");
    /// - their own phone number, given in the sentence that says it is
    ///   theirs ("text me on 07700 900123", "New number for anyone who
    ///   needs me outside work: 07700 900318"), or an identity document
    ///   with a number or a photo;
    /// - a child's school named on a first day ("First day at Greenhill
    ///   Montessori for Leo and Maya").
    ///
    /// A clinic's notice (holiday closure, reception number), a run along
    /// the canal or "back on nights tomorrow" is not a finding. Phrases
    /// are in `lexicons/self_disclosure.csv`.
    ///
    /// ## Why
    ///
    /// "Don't share too much information, especially of a personal
    /// nature." Clinicians are found at home by people they have treated;
    /// a public post that gives an address, an empty house or a child's
    /// school puts the author and their family at risk, and what is
    /// posted is permanent (`us-ama-2.3.2(b)`; BMA 2011, `uk-bma-2011-privacy`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Off to Bali 3-17 August!! ✈️ key's under the usual pot if anyone can water the plants
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Back from a wonderful fortnight in Bali ✈️
    /// ```
    ///
    /// ## Fix
    ///
    /// Post about trips after you are home, leave out addresses, keys and
    /// dates, and share children's names and schools only with people you
    /// know, on a private account.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/self-disclosure",
        fix: Never,
        options: [],
        check: check,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Home,
    Absence,
    Travel,
    Child,
    School,
    Document,
    Phone,
    Public,
}

static PHRASES: LazyLock<Lexicon<Role>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("self_disclosure.csv").into_iter().filter_map(|r| {
        let role = match r.get(1)?.trim() {
            "home" => Role::Home,
            "absence" => Role::Absence,
            "travel" => Role::Travel,
            "child" => Role::Child,
            "school" => Role::School,
            "document" => Role::Document,
            "phone" => Role::Phone,
            "public" => Role::Public,
            _ => return None,
        };
        Some((r.first()?.clone(), role))
    }))
});

/// Dates and spans of days: "3-17 August", "12 May", "for two weeks",
/// "until Sunday". A vague "next week" is not enough: conference trips
/// are announced that way without saying the home is empty.
static DATES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?ix)
        \b\d{1,2}(?:st|nd|rd|th)?\s?(?:-|–|to|until|till)\s?\d{1,2}(?:st|nd|rd|th)?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b
        | \b\d{1,2}(?:st|nd|rd|th)?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b
        | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s\d{1,2}(?:st|nd|rd|th)?\b
        | \bon\sthe\s\d{1,2}(?:st|nd|rd|th)\b
        | \bfor\s(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s(?:days|weeks?|fortnight|months?|nights)\b
        | \b(?:until|till|til|back\son)\s(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s\d)",
    )
});

static PHONE: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(r"\+?\d[\d ()-]{7,16}\d").needs_digit());

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let found = PHRASES.find_all(a);
    let has = |r: Role| {
        found
            .iter()
            .find(|m| *m.value == r && !a.quoted[m.first])
            .map(|m| m.span)
    };
    // The places are found by pattern, a cost only a home or a child
    // phrase needs.
    let places = || ctx.signals.places();
    let mut hits: Vec<(Span, &'static str)> = Vec::new();

    // A street address made the author's home.
    if let Some(home) = has(Role::Home)
        && let Some(street) = places().iter().find(|p| p.kind == PlaceKind::Street)
    {
        hits.push((street.span.cover(home), "home address"));
    }
    // The home will be empty, or how to get in.
    if let Some(s) = has(Role::Absence) {
        hits.push((s, "home left empty"));
    }
    // A trip with dates.
    if let Some(t) = has(Role::Travel)
        && has(Role::Public).is_none()
        && let Some(d) = DATES
            .find_iter(ctx.signals.haystack())
            .find(|m| m.start() >= t.start && m.start() - t.start < 80)
    {
        hits.push((t.cover(Span::new(d.start(), d.end())), "travel dates"));
    }
    // A trip told with a plane emoji and dates, without a travel verb
    // (`Kerala for two weeks from tomorrow!! ✈️`).
    if has(Role::Travel).is_none()
        && has(Role::Public).is_none()
        && let Some(plane) = a.tokens.iter().find(|t| {
            t.kind == TokenKind::Emoji && matches!(a.slice(t.span).trim_end_matches('\u{fe0f}'), "✈" | "🛫" | "🛬")
        })
        && let Some(d) = DATES.find_iter(ctx.signals.haystack()).find(|m| {
            m.end() <= plane.span.start && plane.span.start - m.end() < 40
                || m.start() >= plane.span.end && m.start() - plane.span.end < 40
        })
    {
        hits.push((plane.span.cover(Span::new(d.start(), d.end())), "travel dates"));
    }
    // A child's name or school.
    if let Some(c) = has(Role::Child) {
        let school = places().iter().find(|p| {
            p.kind == PlaceKind::Institution
                && found
                    .iter()
                    .any(|m| *m.value == Role::School && p.span.overlaps(m.span))
        });
        if let Some(s) = school {
            hits.push((c.cover(s.span), "child's school"));
        } else if let Some(name) = child_name_before(ctx, c) {
            hits.push((name.cover(c), "child's name"));
        }
    }
    // The author's own phone number, in the sentence that says it is
    // theirs ("New number for anyone who needs me outside work: ...").
    if let Some(p) = has(Role::Phone)
        && has(Role::Public).is_none()
        && let Some(n) = PHONE
            .find_iter(ctx.signals.haystack())
            .find(|m| m.start() >= p.end && same_sentence(a, p.start, m.start()))
    {
        hits.push((p.cover(Span::new(n.start(), n.end())), "personal phone number"));
    }
    // An identity document with a number or a photo.
    if let Some(d) = has(Role::Document) {
        let shown = a
            .tokens
            .iter()
            .any(|t| t.kind == TokenKind::Number && t.span.end - t.span.start >= 6)
            || a.tokens
                .iter()
                .any(|t| t.kind == TokenKind::Emoji && matches!(a.slice(t.span), "📸" | "📷"))
            || a.has_word(&["pic", "photo", "selfie"]);
        if shown {
            hits.push((d, "identity document"));
        }
    }
    let Some(first) = hits.first() else { return };
    let span = hits.iter().map(|h| h.0).fold(first.0, Span::cover);
    let what: Vec<&str> = hits.iter().map(|h| h.1).collect();
    out.push(
        Diagnostic::at(span, format!("personal details shared publicly: {}", what.join(", ")))
            .with_help("leave out addresses, keys, travel dates, children's names and schools; post about trips once you are home")
            .with_note(format!("found: {}", what.join(", "))),
    );
}

/// "Ava's first day at": a capitalised name (not opening a sentence with a
/// common word) right before a child phrase.
/// Whether byte offsets `x` and `y` fall in the same sentence.
fn same_sentence(a: &primum_text::Analysis<'_>, x: usize, y: usize) -> bool {
    let s = |b: usize| a.sentences.partition_point(|s| s.span.end <= b);
    s(x) == s(y)
}

fn child_name_before(ctx: &Ctx<'_>, child: Span) -> Option<Span> {
    let a = ctx.text;
    let i = a.tokens.iter().position(|t| t.span.start == child.start)?;
    let p = a.prev_word(i)?;
    let t = &a.tokens[p];
    let word = a.token_text(p);
    let name = word.trim_end_matches("'s").trim_end_matches("’s");
    (t.kind == TokenKind::Word
        && t.case == primum_text::Case::Title
        && name.len() > 1
        && !matches!(name, "My" | "Our" | "The" | "Her" | "His"))
    .then_some(t.span)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn the_kids_school_named() {
        assert!(
            Test::new("Kids' school (St Brigid's NS, Castlebar) is closed for the storm so they're at work with me.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Kids' school holidays start next week, book your child's vaccines early.",
        );
    }

    #[test]
    fn fires_on_oversharing() {
        assert_spans(
            &RULE,
            "Finally got the keys!! 🏡 27 Wexcombe Road is officially ours.",
            &["got the keys!! 🏡 27 Wexcombe Road"],
        );
        assert_spans(
            &RULE,
            "Flat's empty all next week while I'm at #EuroDerm2026 in Lisbon",
            &["Flat's empty"],
        );
        assert_spans(
            &RULE,
            "Proud mum moment 🥹 Ava's first day at St Cuthbert's Primary in Harrowgate Vale.",
            &["Proud mum moment 🥹 Ava's first day at St Cuthbert's Primary"],
        );
        assert!(Test::new("Off to Bali 3-17 August!! ✈️ key's under the usual pot 😂").fires(&RULE));
    }

    #[test]
    fn fires_on_new_kinds() {
        assert!(
            Test::new("Flying to Crete for two weeks tomorrow, house will be empty so fingers crossed!").fires(&RULE)
        );
        assert!(Test::new("Lost my work phone again, text me on 07700 900123 in the meantime").fires(&RULE));
        assert!(Test::new("My daughter starts at Oakfield Primary School on Monday 🎒").fires(&RULE));
        assert!(Test::new("New passport finally arrived 📸 no more ugly photo").fires(&RULE));
        // The number later in the sentence that says it is the author's.
        assert!(
            Test::new("New number for anyone who needs me outside work: 07700 900318. Old phone died 🙃").fires(&RULE)
        );
        assert!(Test::new("My new mobile, if you need to reach me over the holidays, is 07700 900777").fires(&RULE));
        // A school with a first day, whatever the school is called.
        assert!(Test::new("First day at Greenhill Montessori for Leo and Maya 🎒 both so brave").fires(&RULE));
        assert!(Test::new("First day at Westfield High for our eldest today, where did the time go").fires(&RULE));
    }

    #[test]
    fn public_numbers_are_not_personal() {
        assert_silent(
            &RULE,
            "Our clinic has a new number from Monday: 020 7946 0123. Reception is open 8am to 6pm.",
        );
        assert_silent(
            &RULE,
            "My number one tip for nights: eat a proper meal. Call 111 on 0800 123 4567 if unsure.",
        );
        assert_silent(&RULE, "First day at the new hospital tomorrow, wish me luck!");
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "Proud mum moment 🥹 Didn't cry (much). Back on nights tomorrow!");
        assert_silent(&RULE, "Long run done 🏃‍♀️ 18 miles along the canal, legs are jelly.");
        assert_silent(
            &RULE,
            "Reminder: our Kestrel Bay clinic is closed from 24 December to 2 January.",
        );
        assert_silent(
            &RULE,
            "I'll be speaking at #RCEM2026 in Manchester on 12 May, come and say hi!",
        );
        assert_silent(
            &RULE,
            "Heading to the conference next week to present our audit on sepsis.",
        );
        assert_silent(
            &RULE,
            "Bank holiday opening: the surgery is closed on Monday 25 August. Reception: 01632 960418.",
        );
        assert_silent(&RULE, "");
    }

    #[test]
    fn empty_home_and_trips_with_a_plane() {
        assert!(Test::new("Bali for ten days from Saturday ✈️ can't wait").fires(&RULE));
        assert!(Test::new("Off tomorrow! House is all yours, burglars 😂").fires(&RULE));
        assert_silent(&RULE, "Flights ✈️ to the conference are booked, see you in Melbourne!");
        assert_silent(
            &RULE,
            "Three patients told me their neighbours are kind. Community matters.",
        );
    }
}
