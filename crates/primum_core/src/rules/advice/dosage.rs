//! `advice/dosage`: instructions to take, change or stop a medicine or a dose.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// A specific instruction about a medicine: a verb that tells the reader
    /// to take, give, apply, double, halve, stop, skip or switch it, at the
    /// start of a clause or after "you can", "you should" or "I'd", with a
    /// medicine after it (a name from `lexicons/medicines.csv`, "your meds",
    /// "the brown one") or, in a reply about a medicine, "it". Taking, giving,
    /// applying or using a medicine counts when a dose or a frequency comes
    /// with it ("800 mg", "15 mg/kg", "twice daily", "every 4 hours") or when
    /// nothing in the sentence sends the reader to their own clinician.
    /// Negated ("don't stop taking your statin"), quoted and "as prescribed"
    /// instructions are not findings. The finding underlines the instruction.
    ///
    /// ## Why
    ///
    /// "Don't give medical advice on social media." A dose that is right
    /// for one person can harm another: the writer cannot see the reader's
    /// age, weight, kidneys or other medicines. RCGP Social Media Highway
    /// Code rule 3 (`uk-rcgp-hc-3`) and NMC Code ¶6 (`uk-nmc-code-6`) ask
    /// clinicians not to advise individuals publicly; FSMB 2012
    /// (`us-fsmb-2012`) warns that such advice can begin a clinical
    /// relationship online.
    ///
    /// ## Example
    ///
    /// ```text
    /// Just double your metformin for a week and see if they come down.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Please don't change your dose on your own: your GP practice's
    /// pharmacist can review your metformin this week.
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the dose instruction and point the reader to their own
    /// prescriber or pharmacist. There is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "advice/dosage",
        fix: Never,
        options: [],
        check: check,
    }
}

/// What a medicine phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MedClass {
    /// A named medicine or class (`metformin`, `statin`).
    Named,
    /// A word for the reader's own medicine (`your meds`, `the inhaler`).
    Form,
    /// A vaccine (`flu jab`).
    Vaccine,
}

/// Medicine names and classes, `lexicons/medicines.csv`.
pub(crate) static MEDICINES: LazyLock<Lexicon<MedClass>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("medicines.csv").into_iter().filter_map(|r| {
        let class = match r.get(1).map(String::as_str) {
            Some("form") => MedClass::Form,
            Some("vaccine") => MedClass::Vaccine,
            Some(_) => MedClass::Named,
            None => return None,
        };
        Some((r.first()?.clone(), class))
    }))
});

/// Dose units and frequencies, rows of `lexicons/advice_markers.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dose {
    Unit,
    Frequency,
}

static DOSE: LazyLock<Lexicon<Dose>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("advice_markers.csv").into_iter().filter_map(|r| {
        let kind = match r.get(1).map(String::as_str) {
            Some("unit") => Dose::Unit,
            Some("frequency") => Dose::Frequency,
            _ => return None,
        };
        Some((r.first()?.clone(), kind))
    }))
});

/// Pointers to one's own clinician (`caveat` rows of
/// `lexicons/advice_markers.csv`): an instruction beside one is education.
pub(crate) static CAVEATS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("advice_markers.csv")
            .into_iter()
            .filter(|r| r.get(1).is_some_and(|k| k == "caveat"))
            .filter_map(|r| r.into_iter().next().map(|p| (p, ()))),
    )
});

/// Verbs that change a medicine or its dose: an instruction even without
/// a number. A closed set of grammar, so it stays in code.
const CHANGE_VERBS: &[&str] = &[
    "double",
    "halve",
    "stop",
    "increase",
    "up",
    "reduce",
    "cut",
    "skip",
    "alternate",
    "switch",
    "swap",
    "drop",
    "ditch",
    "quit",
    "lower",
];

/// Verbs that give a medicine: an instruction with a dose, a frequency or
/// no pointer to a clinician.
const GIVE_VERBS: &[&str] = &["take", "give", "apply", "use", "start", "try", "pop", "rub"];

/// Words after which a verb still reads as an instruction.
const LEAD_INS: &[&str] = &[
    "and", "then", "so", "just", "please", "also", "simply", "or", "now", "first",
];

/// Modal phrases before the verb that make it advice to the reader.
const MODALS: &[&str] = &[
    "can", "could", "should", "must", "need", "to", "i'd", "id", "better", "may", "might",
];

/// Colours of inhalers and tablets, for "the brown one".
const COLOURS: &[&str] = &[
    "brown", "blue", "purple", "red", "green", "orange", "white", "pink", "yellow", "grey",
];

fn is_clause_break(a: &Analysis<'_>, i: usize) -> bool {
    let t = &a.tokens[i];
    matches!(t.kind, TokenKind::Punct) && matches!(t.norm.as_str(), "," | ";" | "." | "!" | "?" | ":" | "(" | ")")
}

/// True when the verb at `i` reads as an instruction to the reader: at the
/// start of a clause, after a lead-in ("and", "just") or after a modal of
/// the second person or of the writer's own opinion ("you can", "I'd").
fn imperative_position(a: &Analysis<'_>, i: usize) -> bool {
    let mut j = i;
    // Walk back over lead-ins.
    loop {
        if j == 0 || a.sentence_of[j - 1] != a.sentence_of[i] {
            return true;
        }
        let p = &a.tokens[j - 1];
        match p.kind {
            TokenKind::Punct | TokenKind::Emoji | TokenKind::Hashtag | TokenKind::Mention => {
                return p.kind != TokenKind::Punct || is_clause_break(a, j - 1) || p.norm == "-";
            }
            _ => {}
        }
        if LEAD_INS.contains(&p.norm.as_str()) {
            j -= 1;
            continue;
        }
        if MODALS.contains(&p.norm.as_str()) {
            // "you can", "you should", "you need to", "I'd", "you'd better".
            let before = a.prev_word(j - 1).map(|k| a.tokens[k].norm.as_str());
            return p.norm.starts_with("i'd")
                || p.norm == "id"
                || matches!(before, Some("you" | "u" | "ya" | "i'd" | "need" | "better" | "i"));
        }
        return matches!(p.norm.as_str(), "you'd" | "youd" | "i'd" | "id" | "you'll" | "please");
    }
}

/// The end of the clause that starts at token `i`, at most `max` tokens on.
fn clause_end(a: &Analysis<'_>, i: usize, max: usize) -> usize {
    let s = a.sentence_of[i];
    let mut j = i + 1;
    while j < a.tokens.len() && j < i + max && a.sentence_of[j] == s && !is_clause_break(a, j) {
        j += 1;
    }
    j
}

/// A dose given as a number and a unit ("800 mg", "800mg") starting at `j`:
/// the token index after it.
fn number_with_unit(a: &Analysis<'_>, j: usize, units: &[(usize, usize)]) -> Option<usize> {
    let t = &a.tokens[j];
    if t.kind == TokenKind::Number {
        return units.iter().find(|&&(f, _)| f == j + 1).map(|&(_, e)| e);
    }
    // "800mg" as one token.
    if t.kind == TokenKind::Word && t.norm.starts_with(|c: char| c.is_ascii_digit()) {
        let unit = t.norm.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        if matches!(unit, "mg" | "mcg" | "g" | "ml" | "iu" | "mls") {
            return Some(j + 1);
        }
    }
    None
}

/// A number-led frequency ("every 4 hours", "3 times a day", "for 4
/// weeks") around token `j`: the token index after it.
fn numeric_frequency(a: &Analysis<'_>, j: usize) -> Option<usize> {
    let norm = |k: usize| a.tokens.get(k).map_or("", |t| t.norm.as_str());
    let is_num = |k: usize| {
        a.tokens.get(k).is_some_and(|t| {
            t.kind == TokenKind::Number || matches!(t.norm.as_str(), "two" | "three" | "four" | "six" | "few")
        })
    };
    let period = |k: usize| {
        matches!(
            norm(k),
            "hours" | "hour" | "hrs" | "hr" | "h" | "days" | "day" | "weeks" | "week" | "hourly" | "mins" | "minutes"
        )
    };
    match norm(j) {
        "every" | "for" if is_num(j + 1) && period(j + 2) => Some(j + 3),
        "every" if period(j + 1) => Some(j + 2),
        _ if is_num(j) && norm(j + 1) == "times" && matches!(norm(j + 2), "a" | "per" | "daily") => Some(j + 3),
        _ => None,
    }
}

/// One dose instruction: its span and the medicine's text.
pub(crate) struct Instruction {
    pub span: Span,
    pub medicine: String,
    /// The verb changes a medicine (stop, double) rather than giving it.
    pub change: bool,
}

/// Finds the dose instructions in `a`; `reply` is the post replied to,
/// whose medicine lets "double it" count.
pub(crate) fn instructions(a: &Analysis<'_>, reply: Option<&Analysis<'_>>) -> Vec<Instruction> {
    let mut out = Vec::new();
    if a.tokens.is_empty() {
        return out;
    }
    let meds = MEDICINES.find_all(a);
    let doses = DOSE.find_all(a);
    let units: Vec<(usize, usize)> = doses
        .iter()
        .filter(|m| *m.value == Dose::Unit)
        .map(|m| (m.first, m.end))
        .collect();
    let caveats = CAVEATS.find_all(a);
    let reply_has_medicine = reply.is_some_and(|r| MEDICINES.matches(r));
    let mut i = 0;
    while i < a.tokens.len() {
        let t = &a.tokens[i];
        let verb = t.norm.as_str();
        let change = CHANGE_VERBS.contains(&verb);
        if t.kind != TokenKind::Word
            || !(change || GIVE_VERBS.contains(&verb))
            || a.quoted[i]
            || a.negated[i]
            || !imperative_position(a, i)
        {
            i += 1;
            continue;
        }
        let end = clause_end(a, i, 16);
        // The medicine: a lexicon match, "the brown one", or "it" in a
        // reply about a medicine.
        let mut med: Option<(usize, usize)> = meds
            .iter()
            .find(|m| m.first > i && m.first < end && m.end <= end)
            .map(|m| (m.first, m.end));
        if med.is_none() {
            for k in i + 1..end.saturating_sub(1) {
                if COLOURS.contains(&a.tokens[k].norm.as_str())
                    && matches!(
                        a.tokens[k + 1].norm.as_str(),
                        "one" | "ones" | "inhaler" | "pill" | "pills" | "tablet" | "tablets"
                    )
                {
                    med = Some((k, k + 2));
                    break;
                }
            }
        }
        if med.is_none()
            && reply_has_medicine
            && change
            && let Some(k) = a
                .next_word(i)
                .filter(|&k| k < end && matches!(a.tokens[k].norm.as_str(), "it" | "them" | "that" | "those"))
        {
            med = Some((k, k + 1));
        }
        let Some((mf, me)) = med else {
            i += 1;
            continue;
        };
        // Dose and frequency in the clause.
        let mut last = me;
        let mut has_dose = false;
        for m in doses
            .iter()
            .filter(|m| m.first > i && m.end <= end && *m.value == Dose::Frequency)
        {
            has_dose = true;
            last = last.max(m.end);
        }
        for j in i + 1..end {
            if let Some(e) = number_with_unit(a, j, &units).or_else(|| numeric_frequency(a, j))
                && e <= end
            {
                has_dose = true;
                last = last.max(e);
            }
        }
        let sentence = a.sentence_of[i];
        let caveat = caveats.iter().any(|c| a.sentence_of[c.first] == sentence);
        let as_prescribed = caveats
            .iter()
            .any(|c| c.first > i && c.first < end && matches!(c.phrase, "as prescribed" | "as directed"));
        let fires = !as_prescribed && (has_dose || !caveat);
        if fires {
            let span = a.tokens_span(i..last.max(i + 1));
            let medicine = a.slice(a.tokens_span(mf..me)).to_string();
            out.push(Instruction { span, medicine, change });
            i = last.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for ins in instructions(ctx.text, ctx.reply) {
        let what = if ins.change {
            "instruction to change or stop a medicine"
        } else {
            "instruction to take a medicine"
        };
        out.push(
            Diagnostic::at(ins.span, what)
                .with_help("remove the dose instruction and point the reader to their own prescriber or pharmacist")
                .with_note(format!("medicine: {}", ins.medicine)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_dose_instructions() {
        assert_spans(
            &RULE,
            "Just double your metformin for a week and see.",
            &["double your metformin"],
        );
        assert_spans(
            &RULE,
            "Fever in little ones? Give paracetamol 15 mg/kg every 4 hours and alternate with ibuprofen in between",
            &["Give paracetamol 15 mg/kg every 4 hours"],
        );
        assert_spans(
            &RULE,
            "Madam it is ringworm. Apply clotrimazole cream twice daily for 4 weeks and keep the area dry.",
            &["Apply clotrimazole cream twice daily for 4 weeks"],
        );
        assert_spans(
            &RULE,
            "Take 800mg ibuprofen every 4 hours",
            &["Take 800mg ibuprofen every 4 hours"],
        );
        assert_spans(
            &RULE,
            "Honestly you should stop taking your statin, they're overrated",
            &["stop taking your statin"],
        );
        assert_spans(
            &RULE,
            "If you feel fine you can just stop the brown one, it's only for when you're bad.",
            &["stop the brown one"],
        );
    }

    #[test]
    fn reply_context_lets_it_count() {
        let t = Test::new("Just double it for a week.").reply_to("My metformin isn't working");
        assert_eq!(t.spans(&RULE), ["double it"]);
        assert!(!Test::new("Just double it for a week.").fires(&RULE));
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Antibiotics don't work on colds or flu, which are caused by viruses. Taking them when you don't need them helps bacteria become resistant.",
        );
        assert_silent(&RULE, "Your pharmacist can advise on easing symptoms.");
        assert_silent(&RULE, "Don't stop taking your statin without talking to your GP.");
        assert_silent(&RULE, "Take your medicines as prescribed, even when you feel well.");
        assert_silent(
            &RULE,
            "A 2009 study found that nurses who take their full breaks make fewer medication errors.",
        );
        assert_silent(
            &RULE,
            "#ad | Paid partnership with Kinetix. I've been wearing their compression socks on 12-hour shifts.",
        );
        assert_silent(
            &RULE,
            "Please bring unused or out-of-date medicines back to any pharmacy. Don't flush them.",
        );
        assert_silent(
            &RULE,
            "It changes a lot about how we use reliever inhalers, worth a read.",
        );
        assert_silent(&RULE, "Book your flu jab and stop listening to Facebook uncles.");
        assert_silent(
            &RULE,
            "Try antihistamines for hay fever, and ask your pharmacist which one suits you.",
        );
        assert_silent(
            &RULE,
            "She said 'just double your metformin' and I nearly fell off my chair.",
        );
        assert_silent(&RULE, "");
        assert_silent(&RULE, "💊💊💊");
    }
}
