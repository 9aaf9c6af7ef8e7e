//! `professionalism/humor-at-patients`: laughing at patients.

use std::sync::LazyLock;

use primum_text::Lexicon;

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// A post that laughs or scoffs while talking about a patient or
    /// customer: laughter or mockery markers (`lol`, `😂`, `💀`, `🙄`,
    /// "sure buddy", "you won't believe", `#dentalhumor`, listed in
    /// `lexicons/tone_markers.csv`) together with words that refer to a
    /// patient ("this patient", "man came in with", "customer asked"). Plain
    /// laughter next to warmth ("made my day", `❤️`) is read as laughing
    /// with the patient and left alone; mockery is not, and neither is a
    /// patronising "bless him" after a laugh. An eye-roll (`🙄`) with no
    /// laugh in a post that insults someone is exasperation, reported by
    /// `professionalism/disrespect`, not by this rule.
    ///
    /// Jokes about the job, the rota or oneself ("the vending machine ate my
    /// last £2 😂") have no patient in them and do not fire.
    ///
    /// ## Why
    ///
    /// "Don't forget that people may have a different sense of humour." A
    /// story that is funny in the staff room reads as contempt to the patient,
    /// who may recognise themselves. Respect patients' dignity online (GMC
    /// 2024 ¶18, `uk-gmc-sm2024-18`; no mocking or bullying, ¶14,
    /// `uk-gmc-sm2024-14`); no inappropriate comments about patients (NMC
    /// guidance, `uk-nmc-code-1.1`); no disparaging remarks even when the
    /// patient is not named (ANA tip 4, `us-ana-2011-tip4`).
    ///
    /// ## Example
    ///
    /// ```text
    /// You won't believe what this patient did lol 😂 tried to vape THROUGH his oxygen mask.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Oxygen and e-cigarettes don't mix: the oxygen makes any spark burn fiercely. Please don't vape near oxygen.
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep the lesson, drop the punchline: turn the story into general
    /// advice with no patient in it, or don't post it.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "professionalism/humor-at-patients",
        fix: Never,
        options: [],
        check: check,
    }
}

/// Kinds of tone marker (`lexicons/tone_markers.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Laugh,
    Mock,
    Affection,
    Rant,
    Clinical,
    Health,
}

pub(crate) static TONE: LazyLock<Lexicon<Tone>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("tone_markers.csv").into_iter().filter_map(|r| {
        let [phrase, kind] = r.as_slice() else { return None };
        let kind = match kind.as_str() {
            "laugh" => Tone::Laugh,
            "mock" => Tone::Mock,
            "affection" => Tone::Affection,
            "rant" => Tone::Rant,
            "clinical" => Tone::Clinical,
            "health" => Tone::Health,
            _ => return None,
        };
        Some((phrase.clone(), kind))
    }))
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let patient = ctx.signals.patient();
    if !patient.any() {
        return;
    }
    let tones = TONE.find_all(a);
    let unquoted = |first: usize| !a.quoted.get(first).copied().unwrap_or(false);
    let mock = tones.iter().find(|m| *m.value == Tone::Mock && unquoted(m.first));
    let laugh = tones.iter().find(|m| *m.value == Tone::Laugh && unquoted(m.first));
    let affection = tones.iter().any(|m| *m.value == Tone::Affection);
    // An eye-roll with no laugh in a post that insults reads as exasperation,
    // which `professionalism/disrespect` reports; it is not a joke.
    let exasperated = |m: &&primum_text::LexMatch<'_, Tone>| {
        matches!(a.slice(m.span), "🙄" | "🤦" | "🤦‍♀️" | "🤦‍♂️")
            && !ctx.signals.disrespect(|| super::disrespect::find(ctx)).is_empty()
    };
    let marker = match (mock, laugh) {
        (Some(m), None) if exasperated(&m) => return,
        (Some(m), _) => m,
        (None, Some(l)) if !affection => l,
        _ => return,
    };
    let who: Vec<&str> = patient.mentions.iter().take(3).map(|s| a.slice(*s)).collect();
    out.push(
        Diagnostic::at(marker.span, "laughing at a patient in a public post")
            .with_help("keep the lesson and drop the punchline: make it general advice with no patient in it, or don't post it")
            .with_note(format!("laughter `{}` in a post about {}", a.slice(marker.span), who.join(", "))),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_laughing_at_patients() {
        assert_spans(
            &RULE,
            "You won't believe what this patient did lol 😂 tried to vape through his mask",
            &["You won't believe"],
        );
        assert_spans(
            &RULE,
            "Man came in with a TV remote stuck where the sun don't shine 📺😂 said he 'fell on it'. Sure buddy.",
            &["Sure buddy"],
        );
        assert_spans(
            &RULE,
            "When the patient swears they floss every day 🤥😂 #dentistlife #dentalhumor",
            &["🤥"],
        );
        assert_spans(
            &RULE,
            "Customer asked if the suppositories were chewable. They were not. I need a holiday 💀",
            &["💀"],
        );
        assert_spans(
            &RULE,
            "pt in bed 4 asked if she could smoke in the shower lmao",
            &["lmao"],
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "Me after a 13-hour shift trying to remember my own postcode 😂");
        assert_silent(
            &RULE,
            "Nothing humbles you like a 4am vending machine that takes your last £2 😂 Night shift solidarity",
        );
        assert_silent(
            &RULE,
            "Quiet night in the ED. (I will not be saying that word again. I know. I know.)",
        );
        assert_silent(
            &RULE,
            "My patient told me her new dentures saved her marriage 😂❤️ Best compliment ever",
        );
        assert_silent(
            &RULE,
            "Shoutout to our patient who turned 94 today 🎂 the whole ward sang happy birthday",
        );
        assert_silent(
            &RULE,
            "Athletes are a different breed! Our patient is already asking when she can train 🚣",
        );
        assert_silent(
            &RULE,
            "Anyone else hear what happened at the Christmas do? 👀 Asking for a friend 😂",
        );
        assert_silent(&RULE, "");
    }
    #[test]
    fn patronising_bless_and_exasperation() {
        assert_spans(
            &RULE,
            "Omg the patient in bay 2 just asked me if I was old enough to be a nurse 🤣🤣 bless him",
            &["🤣"],
        );
        assert_silent(
            &RULE,
            "Who else has a f*cking bed blocker who refuses every care home we find? 🙄 Day 41.",
        );
        assert_silent(
            &RULE,
            "My patient turned 100 today and sang for the whole ward ❤️ bless her",
        );
    }
}
