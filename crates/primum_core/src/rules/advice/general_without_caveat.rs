//! `advice/general-without-caveat`: self-care instructions with no pointer
//! to one's own clinician.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::advice::individual;
use crate::rules::bits::{TokenSet, Words};

declare_rule! {
    /// ## What it checks
    ///
    /// Health education written as instructions: at least two instructions
    /// in a post about health (a `health`, `topic` or `condition` row of
    /// `lexicons/advice_markers.csv`, or a medicine; three instructions
    /// need no topic), with no pointer to the reader's own clinician or a
    /// service ("see your GP", "ask your pharmacist", "call 111", "if it
    /// persists", "seek medical advice": the `caveat` rows). An
    /// instruction is a clause that opens with a self-care verb ("Rest",
    /// "Raise the head of your bed", "don't eat within 3 hours", "never
    /// use ice"; the `imperative` rows), a clause that opens with "no"
    /// ("no screens after 10"), or a routine ("two kiwifruit a day", "2
    /// litres of water", "for 10 minutes"; the `routine` rows). A post
    /// that opens by naming a problem, as a short question ("Bee sting?",
    /// "Can't sleep?") or a label ("Burns:"), counts that as one
    /// instruction: the rest of the post answers it. Replies are left to
    /// `advice/individual`. Info only: a nudge to add the pointer, never a
    /// block. The finding underlines the first instruction.
    ///
    /// ## Why
    ///
    /// "Don't give medical advice on social media." General education is
    /// welcome, but instructions read by thousands will reach someone for
    /// whom they are wrong; a line on when to get help makes them safe.
    /// RCGP Social Media Highway Code rule 3 (`uk-rcgp-hc-3`) and NMC Code
    /// ¶6 (`uk-nmc-code-6`): advice must be evidence-based and general
    /// comments must not mislead.
    ///
    /// ## Example
    ///
    /// ```text
    /// Heartburn at night? Raise the head of your bed by 15cm, don't eat within 3 hours of lying down.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Heartburn at night? Raise the head of your bed by 15cm, don't eat within 3 hours of lying down.
    /// If it keeps happening, see your GP or pharmacist.
    /// ```
    ///
    /// ## Fix
    ///
    /// Add a line on when and where to get help ("If it doesn't settle,
    /// see your GP or pharmacist"). There is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "advice/general-without-caveat",
        fix: Never,
        options: [],
        check: check,
    }
}

/// Self-care verbs (`imperative` rows of `lexicons/advice_markers.csv`).
pub(crate) static IMPERATIVES: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("advice_markers.csv")
            .into_iter()
            .filter(|r| r.get(1).is_some_and(|k| k == "imperative"))
            .filter_map(|r| r.into_iter().next().map(|p| (p, ()))),
    )
});

/// Words that may come before an instruction's verb in its clause.
const LEAD_INS: &[&str] = &[
    "and", "then", "so", "just", "please", "also", "simply", "or", "now", "first", "don't", "dont", "do", "never",
    "always", "try", "to",
];

/// True when token `i` opens a clause: the start of a sentence, after a
/// clause break, an emoji or a lead-in ("and", "then", "don't").
pub(crate) fn opens_clause(a: &Analysis<'_>, i: usize) -> bool {
    let mut j = i;
    loop {
        if j == 0 || a.sentence_of[j - 1] != a.sentence_of[i] {
            return true;
        }
        let p = &a.tokens[j - 1];
        match p.kind {
            TokenKind::Emoji | TokenKind::Hashtag => return true,
            TokenKind::Punct => return matches!(p.norm.as_str(), "," | ";" | ":" | "!" | "?" | "." | "(" | "-"),
            _ if LEAD_INS.contains(&p.norm.as_str()) => j -= 1,
            // "gently lift", "slowly sip": a manner adverb.
            _ if p.norm.len() > 4
                && p.norm.ends_with("ly")
                && !matches!(p.norm.as_str(), "only" | "early" | "daily" | "really") =>
            {
                j -= 1
            }
            _ => return false,
        }
    }
}

/// Routines and quantities (`routine` rows): "a day", "2 litres of water".
static ROUTINES: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("advice_markers.csv")
            .into_iter()
            .filter(|r| r.get(1).is_some_and(|k| k == "routine"))
            .filter_map(|r| r.into_iter().next().map(|p| (p, ()))),
    )
});

/// Broad health topics (`topic` rows): sleep, skin, teeth, the body.
static TOPICS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("advice_markers.csv")
            .into_iter()
            .filter(|r| r.get(1).is_some_and(|k| k == "topic"))
            .filter_map(|r| r.into_iter().next().map(|p| (p, ()))),
    )
});

/// Words after a clause-opening "no" that do not make it an instruction
/// ("no need", "no doubt").
const NOT_INSTRUCTIONS: &[&str] = &[
    "need", "one", "matter", "problem", "wonder", "way", "doubt", "thanks", "longer", "idea", "worries", "surprise",
    "i", "we", "it", "more",
];

/// The post opens by naming a problem: a first sentence that is a short
/// question ("Bee sting?", "Can't sleep?") or a short label and a colon
/// ("Burns:"). Returns the index of its first token.
pub(crate) fn problem_opener(a: &Analysis<'_>) -> Option<usize> {
    let first = a.sentences.first()?;
    let words = first.tokens.clone().filter(|&k| a.tokens[k].is_wordlike()).count();
    let last_punct = first
        .tokens
        .clone()
        .rev()
        .find(|&k| a.tokens[k].kind == TokenKind::Punct)
        .map(|k| a.tokens[k].norm.as_str());
    if (1..=5).contains(&words) && last_punct == Some("?") {
        return Some(first.tokens.start);
    }
    // A label: up to three words, then a colon.
    let colon = a
        .tokens
        .iter()
        .take(5)
        .position(|t| t.kind == TokenKind::Punct && t.norm == ":")?;
    (colon > 0
        && a.tokens[..colon]
            .iter()
            .all(|t| t.is_wordlike() || t.kind == TokenKind::Emoji))
    .then_some(0)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.is_empty() || ctx.reply.is_some() {
        return;
    }
    let instructions: Vec<_> = IMPERATIVES
        .each(a)
        .filter(|m| !a.quoted[m.first] && opens_clause(a, m.first))
        // "Ice" or "rest" as a noun after "the"/"a" is not an instruction;
        // opens_clause already rules most of these out, and the verb must
        // be followed by a word, not end the post.
        .filter(|m| a.next_word(m.first).is_some() || m.first + 1 < a.tokens.len())
        .collect();
    // Every instruction: (first token, span), one per clause-opening verb,
    // "no" clause and routine.
    let mut units: Vec<(usize, primum_text::Span)> = instructions.iter().map(|m| (m.first, m.span)).collect();
    // The tokens that may be "no", found with no branch on each (see
    // [`bits`]); then each tested in full.
    static NO: Words = Words::new(&["no"]);
    let shapes = ctx.signals.shapes();
    let nos = TokenSet::of(a.tokens.len(), |i| NO.may_have_key(shapes.key(i)));
    for i in nos.iter() {
        let t = &a.tokens[i];
        if t.kind == TokenKind::Word
            && t.norm == "no"
            && !a.quoted[i]
            && opens_clause(a, i)
            && a.next_word(i)
                .is_some_and(|k| k == i + 1 && !NOT_INSTRUCTIONS.contains(&a.tokens[k].norm.as_str()))
        {
            units.push((i, t.span));
        }
    }
    let routines = ROUTINES.find_all(a);
    // With no verb, "no" clause or routine there is no instruction to
    // report, whatever the opening: most posts stop here, before the
    // opening sentence is read.
    if units.is_empty() && routines.is_empty() {
        return;
    }
    let opener = problem_opener(a);
    // A routine in the opening question ("Heartburn at night?") names the
    // problem; it is not an instruction.
    let in_opener = |i: usize| opener.is_some() && a.sentence_of[i] == 0;
    for m in routines
        .into_iter()
        .filter(|m| !a.quoted[m.first] && !in_opener(m.first))
    {
        units.push((m.first, m.span));
    }
    let count = units.len() + usize::from(opener.is_some());
    if count < 2 || units.is_empty() {
        return;
    }
    let topical = individual::HEALTH.matches(a)
        || individual::CONDITIONS.matches(a)
        || TOPICS.matches(a)
        || !ctx.signals.medicines().is_empty();
    // An opening question or label names the problem: it is the topic.
    if !(topical || count >= 3 || opener.is_some()) {
        return;
    }
    if !ctx.signals.caveats().is_empty() {
        return;
    }
    units.sort_by_key(|u| u.0);
    // Underline the first verb if there is one, else the first routine.
    let first_span = instructions.first().map_or(units[0].1, |m| m.span);
    let verbs: Vec<&str> = units.iter().map(|&(i, _)| a.token_text(i)).collect();
    out.push(
        Diagnostic::at(
            first_span,
            "health instructions with no pointer to the reader's own clinician",
        )
        .with_help("add when and where to get help, e.g. \"if it doesn't settle, see your GP or pharmacist\"")
        .with_note(format!("instructions: {}", verbs.join(", "))),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_instructions_without_a_pointer() {
        assert_spans(
            &RULE,
            "Heartburn at night? Raise the head of your bed by 15cm, don't eat within 3 hours of lying down, and sleep on your left side.",
            &["Raise"],
        );
        assert_spans(
            &RULE,
            "Nosebleed first aid 👃 Sit up, lean FORWARD (not back!), pinch the soft part of your nose for 10 minutes. Spit out any blood.",
            &["Sit"],
        );
        assert_spans(
            &RULE,
            "Tip from a nurse mum: if your kid has a fever, strip them down to a vest, give them plenty to drink and let them sleep it off.",
            &["strip"],
        );
        assert_spans(
            &RULE,
            "Sprained ankle? Rest, ice 20 min every 2 hours, compress and elevate for 48h. Then start walking on it.",
            &["Rest"],
        );
    }

    #[test]
    fn fires_on_other_shapes_of_instruction() {
        // A label opener and first-aid verbs.
        assert_spans(
            &RULE,
            "Burns: cool the burn under cool running water for 20 minutes, remove jewellery, cover with cling film. Never use ice or butter.",
            &["cool"],
        );
        // A short question opener, then verbs with adverbs before them.
        assert_spans(
            &RULE,
            "Splinter? Clean the area, sterilise a needle and gently pull it out with tweezers.",
            &["Clean"],
        );
        // No verbs at all: a routine answering the opening question.
        assert_spans(
            &RULE,
            "Constipated? Two kiwifruit a day, 2 litres of water and a 20-minute walk after breakfast. Sorted.",
            &["a day"],
        );
        // "No" clauses.
        assert_spans(
            &RULE,
            "Can't sleep? Same wake-up time every day, no screens after 10, no caffeine after lunch.",
            &["every day"],
        );
    }

    #[test]
    fn pointers_and_non_instructions_stay_silent() {
        assert_silent(
            &RULE,
            "Bee sting? Scrape the sting out, wash it and keep the arm raised. If your lips or throat swell, call 999.",
        );
        assert_silent(
            &RULE,
            "Constipated? Two kiwifruit a day and plenty of water. If it isn't improving after a week, speak to a pharmacist.",
        );
        assert_silent(
            &RULE,
            "No need to panic about the new variant, no doubt we'll hear more next week.",
        );
        assert_silent(&RULE, "Busy clinic? Coffee at 10 and a proper lunch break.");
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Sprained ankle? Rest, ice and elevate for 48h. If it's not improving after a week, see your GP or a physio.",
        );
        assert_silent(
            &RULE,
            "Desk-bound today? Every 30 minutes, stand up, roll your shoulders and walk to the window. If neck pain lasts, get it assessed by a physio or your GP.",
        );
        assert_silent(
            &RULE,
            "Heatwave this week. Check on older neighbours, keep curtains closed and drink regularly. If someone seems unwell, call 111.",
        );
        assert_silent(&RULE, "Sunday roast for 12 and not a single burnt potato 🥔");
        assert_silent(&RULE, "Take your breaks, colleagues.");
        assert_silent(&RULE, "");
        let t = Test::new("Rest, drink plenty and take paracetamol.").reply_to("Got the flu");
        assert!(!t.fires(&RULE));
    }
}
