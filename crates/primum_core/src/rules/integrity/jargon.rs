//! `integrity/jargon`: medical jargon with a plain-language alternative.

use std::sync::LazyLock;

use primum_text::{Case, Lexicon};

use crate::declare_rule;
use crate::finding::{Applicability, Fix};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Finds medical and bureaucratic jargon that has a plain-language
    /// alternative in `jargon.csv` ("myocardial infarction" -> "heart
    /// attack", "NPO" -> "nothing to eat or drink", "henceforth" -> "from
    /// now on"), one finding per term. Short abbreviations (four letters or
    /// fewer, such as `NPO`, `PRN`, `GORD`) count only when written in
    /// capitals, so that ordinary words and names that share their letters
    /// ("Gord") do not. A term already explained nearby ("hypertension
    /// (high blood pressure)") is left alone.
    ///
    /// ## Why
    ///
    /// "Information should be easy for patients to understand." Posts are
    /// read by the public, not colleagues; a term a reader does not know is
    /// information they do not get. The NMC Code asks that what you share is
    /// correct and understood (`uk-nmc-code-6`), and the GMC asks for
    /// context readers can check (GMC 2024, `uk-gmc-sm2024`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Reminder for tomorrow's list: you must be NPO from midnight.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Reminder for tomorrow's list: nothing to eat or drink from midnight.
    /// ```
    ///
    /// ## Fix
    ///
    /// The suggested fix replaces the term with its plain alternative. It is
    /// marked unsafe: read the sentence again, as the grammar around the
    /// term may need a touch.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "integrity/jargon",
        fix: Always,
        options: [],
        check: check,
    }
}

struct Term {
    plain: String,
    /// `plain` in lower case, made once rather than for every match.
    plain_lower: String,
    /// A short abbreviation: counts only in capitals.
    abbreviation: bool,
}

static JARGON: LazyLock<Lexicon<Term>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("jargon.csv").into_iter().filter_map(|r| {
        let term = r.first()?.trim().to_string();
        let plain = r.get(1)?.trim().to_string();
        if plain.is_empty() {
            return None;
        }
        let abbreviation = term.len() <= 4 && term.chars().all(|c| c.is_ascii_alphanumeric());
        let plain_lower = plain.to_lowercase();
        Some((
            term,
            Term {
                plain,
                plain_lower,
                abbreviation,
            },
        ))
    }))
});

/// How far after a term to look for its plain explanation, in bytes.
const EXPLAINED_WITHIN: usize = 80;

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let src = ctx.src();
    for m in JARGON.each(a) {
        let term = m.value;
        if term.abbreviation
            && !a.tokens[m.first..m.end]
                .iter()
                .all(|t| matches!(t.case, Case::Upper | Case::Mixed | Case::None))
        {
            continue;
        }
        if m.first + 1 == m.end && a.quoted[m.first] && term.abbreviation {
            continue;
        }
        // Already explained: the plain words follow close by.
        let mut end = (m.span.end + EXPLAINED_WITHIN).min(src.len());
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        let around = &src[m.span.end..end];
        if around.to_lowercase().contains(&term.plain_lower) {
            continue;
        }
        let original = a.slice(m.span);
        let sentence_start = a
            .sentences
            .get(a.sentence_of[m.first] as usize)
            .is_some_and(|s| s.tokens.start == m.first);
        let plain = if sentence_start && original.starts_with(char::is_uppercase) {
            let mut c = term.plain.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            term.plain.clone()
        };
        out.push(
            Diagnostic::at(m.span, format!("jargon: \"{original}\""))
                .with_fix(Fix::replace(m.span, plain.clone(), Applicability::Unsafe))
                .with_help(format!("say \"{plain}\"")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_terms_with_plain_alternatives() {
        assert_spans(
            &RULE,
            "Reminder for tomorrow's list: you must be NPO from midnight.",
            &["NPO"],
        );
        assert_spans(
            &RULE,
            "He had a myocardial infarction last year",
            &["myocardial infarction"],
        );
        assert_spans(&RULE, "Hypertension is common over 40", &["Hypertension"]);
    }

    #[test]
    fn fix_offers_the_plain_words() {
        assert_eq!(
            Test::new("You must be NPO from midnight.").fixed(&RULE),
            "You must be nothing to eat or drink from midnight."
        );
        assert_eq!(
            Test::new("Hypertension is common.").fixed(&RULE),
            "High blood pressure is common."
        );
        let once = Test::new("Hypertension is common.").fixed(&RULE);
        assert_eq!(Test::new(&once).fixed(&RULE), once);
    }

    #[test]
    fn hard_negatives() {
        // Lower-case short forms and names are not the abbreviation.
        assert_silent(&RULE, "npo idea what you mean lol");
        assert_silent(&RULE, "Thanks Gord for covering my shift!");
        // Already explained.
        assert_silent(&RULE, "Hypertension (high blood pressure) often has no symptoms.");
        assert_silent(&RULE, "Flu clinic open Saturday, no appointment needed");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "🩺🩺");
    }
    #[test]
    fn clinical_abbreviations() {
        assert_spans(&RULE, "Had a TIA? Even if it's passed, it's a warning sign.", &["TIA"]);
        assert_spans(
            &RULE,
            "After your operation, watch for signs of a DVT: a swollen, painful calf.",
            &["DVT"],
        );
        assert_silent(&RULE, "Mi casa es su casa, and the sob story continues.");
    }
}
