//! `advice/general-without-caveat`: self-care instructions with no pointer
//! to one's own clinician.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::advice::{dosage, individual};

declare_rule! {
    /// ## What it checks
    ///
    /// Health education written as instructions: at least two clauses that
    /// open with a self-care verb ("Rest", "Raise the head of your bed",
    /// "pinch the soft part", "don't eat within 3 hours", "let them sleep
    /// it off"; the verbs are the `imperative` rows of
    /// `lexicons/advice_markers.csv`), in a post about health, with no
    /// pointer to the reader's own clinician or a service ("see your GP",
    /// "ask your pharmacist", "call 111", "if it persists", "seek medical
    /// advice": the `caveat` rows). Info only: a nudge to add the pointer,
    /// never a block. The finding underlines the first instruction.
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
static IMPERATIVES: LazyLock<Lexicon<()>> = LazyLock::new(|| {
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
fn opens_clause(a: &Analysis<'_>, i: usize) -> bool {
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
            _ => return false,
        }
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.is_empty() || ctx.reply.is_some() {
        return;
    }
    let instructions: Vec<_> = IMPERATIVES
        .find_all(a)
        .into_iter()
        .filter(|m| !a.quoted[m.first] && opens_clause(a, m.first))
        // "Ice" or "rest" as a noun after "the"/"a" is not an instruction;
        // opens_clause already rules most of these out, and the verb must
        // be followed by a word, not end the post.
        .filter(|m| a.next_word(m.first).is_some() || m.first + 1 < a.tokens.len())
        .collect();
    if instructions.len() < 2 {
        return;
    }
    if !(individual::HEALTH.matches(a) || dosage::MEDICINES.matches(a) || instructions.len() >= 3) {
        return;
    }
    if dosage::CAVEATS.matches(a) {
        return;
    }
    let first = &instructions[0];
    let verbs: Vec<&str> = instructions.iter().map(|m| a.token_text(m.first)).collect();
    out.push(
        Diagnostic::at(
            first.span,
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
