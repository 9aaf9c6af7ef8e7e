//! `professionalism/humor-at-patients`: laughing at patients.

use foldhash::{HashMap, HashMapExt};
use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// A post that laughs or scoffs while talking about a patient or
    /// customer: laughter or mockery markers (`lol`, `😂`, `💀`, `🙄`,
    /// "sure buddy", "you won't believe", sarcasm such as "shocker", 💅 or
    /// "status dramaticus", `#dentalhumor`, listed in
    /// `lexicons/tone_markers.csv`) together with words that refer to a
    /// patient ("this patient", "man came in with", "customer asked"). Plain
    /// laughter next to warmth ("made my day", `❤️`) is read as laughing
    /// with the patient and left alone; mockery is not, and neither is a
    /// patronising "bless him" after a laugh. An eye-roll (`🙄`) with no
    /// laugh in a post that insults someone is exasperation, reported by
    /// `professionalism/disrespect`, not by this rule, unless sarcasm in
    /// words ("sir the door is right there") comes with it. An ironic
    /// aside (`🙃`) counts as mockery when a person in care is its target
    /// ("a patient", "Mr", "bed 4"). Phrases that only describe someone in
    /// care (`care` rows: "escape attempt", "leave AMA"), read across
    /// scare quotes ("Dorothy's 'escape' attempt"), stand for the patient
    /// when nothing else does, except in a post about a pet, or when the
    /// writer's own ("my birth plan"); "rolls in again" counts only with a
    /// person in its sentence ("the guy who ... rolls in again").
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
    /// Words that only describe someone in care ("escape attempt").
    Care,
    /// An ironic aside (🙃): mockery when aimed at a person in care.
    Irony,
}

/// Words of a patient mention that name a person ("a patient", "Mr",
/// "the lady in bed 4"), as opposed to an event ("died", "admitted"):
/// irony needs a person to be aimed at.
const PERSON_WORDS: &[&str] = &[
    "patient",
    "patients",
    "pt",
    "pts",
    "resident",
    "residents",
    "customer",
    "customers",
    "client",
    "clients",
    "relative",
    "relatives",
    "man",
    "woman",
    "lady",
    "gentleman",
    "guy",
    "bloke",
    "mr",
    "mrs",
    "ms",
    "miss",
    "sir",
    "madam",
    "bed",
    "room",
    "bay",
    "mum",
    "dad",
    "family",
    "parent",
    "parents",
];

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
            "care" => Tone::Care,
            "irony" => Tone::Irony,
            _ => return None,
        };
        Some((phrase.clone(), kind))
    }))
});

/// Animals, whose "escape attempts" are not a patient's.
const ANIMALS: &[&str] = &[
    "dog", "cat", "puppy", "pup", "kitten", "hamster", "rabbit", "bunny", "pet", "parrot", "tortoise", "budgie",
    "guinea",
];

/// The `care` rows of `lexicons/tone_markers.csv`, as words, grouped by
/// their first word (a post is walked once, looking each word up).
static CARE: LazyLock<HashMap<String, Vec<Vec<String>>>> = LazyLock::new(|| {
    let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for r in crate::lexicon_rows!("tone_markers.csv") {
        if r.get(1).is_none_or(|k| k != "care") {
            continue;
        }
        let Some(phrase) = r.first() else { continue };
        let words: Vec<String> = phrase
            .split([' ', '-'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(first) = words.first() {
            by_first.entry(first.clone()).or_default().push(words);
        }
    }
    by_first
});

/// Care phrases in the post, read across scare quotes and hyphens
/// ("Dorothy's 'escape' attempt", "self-discharged"): their spans.
/// People who can "roll in again" as a regular attender.
const ARRIVING_PEOPLE: &[&str] = &[
    "guy", "bloke", "man", "woman", "lady", "gent", "chap", "fella", "fellow", "dude", "who", "who's", "he", "she",
    "patient", "regular", "regulars", "mr", "mrs", "ms",
];

fn care_phrases(a: &Analysis<'_>) -> Vec<Span> {
    let words: Vec<usize> = (0..a.tokens.len())
        .filter(|&i| {
            let t = &a.tokens[i];
            t.kind != TokenKind::Punct || !matches!(t.norm.as_str(), "'" | "\"" | "-")
        })
        .collect();
    let mut out = Vec::new();
    for (k, &i) in words.iter().enumerate() {
        let Some(phrases) = CARE.get(a.tokens[i].norm.as_str()) else {
            continue;
        };
        for phrase in phrases {
            let hit =
                phrase.len() <= words.len() - k && phrase.iter().zip(&words[k..]).all(|(p, &j)| a.tokens[j].norm == *p);
            // "my birth plan", "my own call bell": the writer's own, not a
            // patient's.
            let own = k
                .checked_sub(1)
                .and_then(|p| words.get(p))
                .is_some_and(|&p| matches!(a.tokens[p].norm.as_str(), "my" | "own"));
            // "rolls in again" is a regular attender only when a person
            // does the rolling ("the guy who ... rolls in again"), not a van.
            let arrival = phrase.first().is_some_and(|w| matches!(w.as_str(), "rolls" | "rocks"));
            let someone = || {
                let s = a.sentence_of[i];
                (0..i)
                    .filter(|&j| a.sentence_of[j] == s)
                    .any(|j| ARRIVING_PEOPLE.contains(&a.tokens[j].norm.as_str()))
            };
            if hit && !own && (!arrival || someone()) {
                out.push(a.tokens[i].span.cover(a.tokens[words[k + phrase.len() - 1]].span));
            }
        }
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let tones = ctx.signals.tones();
    // The finding is at a laugh or a mockery: without one, nothing below
    // can fire.
    if !tones
        .iter()
        .any(|m| matches!(*m.value, Tone::Laugh | Tone::Mock | Tone::Irony))
    {
        return;
    }
    let patient = ctx.signals.patient();
    // Words that only describe someone in care ("her 'escape' attempt",
    // "about to leave AMA") stand for the patient when nothing else does.
    // A pet's escape attempt is not a patient's.
    let animal = a.tokens.iter().any(|t| {
        t.kind == TokenKind::Word
            && ANIMALS.contains(&t.norm.strip_suffix("'s").unwrap_or(&t.norm).trim_end_matches('s'))
    });
    let care: Vec<&str> = if animal {
        Vec::new()
    } else {
        care_phrases(a).into_iter().map(|s| a.slice(s)).collect()
    };
    if !patient.any() && care.is_empty() {
        return;
    }
    let unquoted = |first: usize| !a.quoted.get(first).copied().unwrap_or(false);
    let person = !care.is_empty()
        || patient.mentions.iter().any(|s| {
            a.slice(*s)
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| PERSON_WORDS.contains(&w.to_lowercase().as_str()))
        });
    let mocks: Vec<_> = tones
        .iter()
        .filter(|m| (*m.value == Tone::Mock || *m.value == Tone::Irony && person) && unquoted(m.first))
        .collect();
    let laugh = tones.iter().find(|m| *m.value == Tone::Laugh && unquoted(m.first));
    let affection = tones.iter().any(|m| *m.value == Tone::Affection);
    // An eye-roll with no laugh in a post that insults reads as exasperation,
    // which `professionalism/disrespect` reports; it is not a joke.
    let exasperated = |m: &&primum_text::LexMatch<'_, Tone>| {
        matches!(a.slice(m.span), "🙄" | "🤦" | "🤦‍♀️" | "🤦‍♂️")
            && !ctx.signals.disrespect(|| super::disrespect::find(ctx)).is_empty()
    };
    // Sarcasm in words ("sir the door is right there") is mockery even
    // beside an exasperated eye-roll.
    let mock = mocks
        .iter()
        .copied()
        .find(|m| !exasperated(m))
        .or(mocks.first().copied());
    let marker = match (mock, laugh) {
        (Some(m), None) if exasperated(&m) => return,
        (Some(m), _) => m,
        (None, Some(l)) if !affection => l,
        _ => return,
    };
    let who: Vec<&str> = patient
        .mentions
        .iter()
        .take(3)
        .map(|s| a.slice(*s))
        .chain(care.iter().copied())
        .take(3)
        .collect();
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

    #[test]
    fn irony_care_words_and_sarcasm() {
        // An ironic aside aimed at a patient.
        assert!(crate::testing::Test::new("Mr. Patel in bay 2 asking for the 10th time when lunch is 🙃").fires(&RULE));
        // A care phrase across scare quotes stands for the patient.
        assert!(
            crate::testing::Test::new("Our Bert's 'escape' attempt this morning 😂 made it to the car park")
                .fires(&RULE)
        );
    }

    #[test]
    fn hard_negatives_for_irony_and_care_words() {
        // Irony with no person in care as its target.
        assert_silent(&RULE, "New number for friends: my phone died in the sluice 🙃");
        // A pet's escape attempt is not a patient's.
        assert_silent(
            &RULE,
            "The dog's 'escape' attempt number 4 this week 😂 got as far as the bins",
        );
    }
}

#[cfg(test)]
mod sarcasm_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn sarcasm_markers_about_patients() {
        assert!(
            Test::new("The lady in bay 3 made a miraculous recovery once her family went home, shocker 💅")
                .fires(&RULE)
        );
        assert!(!Test::new("Shocker: the coffee machine is broken again").fires(&RULE));
        assert!(!Test::new("What a shocker of a night shift, so proud of the team").fires(&RULE));
    }

    #[test]
    fn people_in_care_named_by_their_situation() {
        // Residents named by condition, a patient's birth plan, the regular
        // who rolls in again: each stands for the person laughed at.
        assert!(Test::new("our dementia residents are wild after 4pm lol").fires(&RULE));
        assert!(Test::new("Sundowning hour on the unit again 🤪").fires(&RULE));
        assert!(Test::new("Birth plan said 'no pain relief, just vibes' 😂 epidural by 3cm").fires(&RULE));
        assert!(Test::new("Guess who rolls in again on a Friday night 🙄😂").fires(&RULE));
        // No laugh, or laughing at the job: silent.
        assert!(!Test::new("Sundowning is hard on families; here is what helps in the late afternoon.").fires(&RULE));
        assert!(!Test::new("Writing my own birth plan for baby number 2 😂 wish me luck").fires(&RULE));
        assert!(!Test::new("The delivery van rolls in again an hour late 😂").fires(&RULE));
    }
}
