//! `professionalism/profile-mixing`: personal content on a professional account, or the reverse.

use std::sync::LazyLock;

use primum_text::{Lexicon, Span, TokenKind};

use super::humor_at_patients::Tone;
use crate::declare_rule;
use crate::post::AccountKind;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Needs to know what the account is for (the post's `account`, or the
    /// policy's `[account] kind`); silent when that is unknown or anonymous.
    ///
    /// - On a **professional** account: personal-life content
    ///   (`lexicons/personal_life.csv`). Parties, alcohol and dating fire on
    ///   one marker when the author speaks in the first person (or adds a
    ///   second marker); partisan politics (voting for a named party,
    ///   party colours and slates, "vote blue all the way down the
    ///   ballot", political hashtags such as `#auspol`, an election
    ///   hashtag with or without its year: `#Election2026`, `#GE2024`)
    ///   fires on one;
    ///   holidays, family
    ///   and hobbies need two markers, so "thank you to my family" in an
    ///   award post or a charity marathon stays silent.
    /// - On a **personal** account: clinical content, where the author
    ///   speaks from their clinical work ("as a nurse", "tip from a nurse
    ///   mum", "my patient", "on nights", `lexicons/tone_markers.csv` kind
    ///   `clinical`; or presenting themselves as a clinician: "PSA from
    ///   your friendly neighbourhood GP", "as an ED nurse", "GP here",
    ///   "check with your own physio", "PSA from your nurse friend"; "my
    ///   nurse friend" is someone else)
    ///   about health advice (a health word or a named
    ///   medicine: "if your nan's on warfarin"), a procedure ("three lumbar
    ///   punctures"), a rehab protocol, or a patient. Saying one works
    ///   shifts ("tea before every night shift") is an anchor only beside
    ///   health advice or one patient's story.
    ///
    /// ## Why
    ///
    /// "Keep personal and professional profiles separate." Consider
    /// separating personal and professional content online (AMA Code 2.3.2(d),
    /// `us-ama-2.3.2(d)`; ANA principle 4, `us-ana-2011-p4`); the NMC advises
    /// nurses to keep separate personal and professional accounts (NMC advice
    /// 2011/12). A hangover post under a clinic's name undermines trust; health
    /// advice from a personal account reaches people as a clinician's advice
    /// without a clinician's care.
    ///
    /// ## Example
    ///
    /// On a professional account:
    ///
    /// ```text
    /// Absolutely wrecked after my best friend's hen do 🍾🍸 do NOT ask me about the tequila. Clinic at 8 tomorrow!
    /// ```
    ///
    /// Better: post it from your personal account, or for the professional
    /// one:
    ///
    /// ```text
    /// Clinic is open from 8 tomorrow; book online or call reception.
    /// ```
    ///
    /// ## Fix
    ///
    /// Post it from the other account, or leave out the part that belongs there.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "professionalism/profile-mixing",
        fix: Never,
        options: [],
        check: check,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    Party,
    Alcohol,
    Dating,
    Politics,
    Holiday,
    Family,
    Hobby,
}

impl Topic {
    fn parse(s: &str) -> Option<Topic> {
        Some(match s {
            "party" => Topic::Party,
            "alcohol" => Topic::Alcohol,
            "dating" => Topic::Dating,
            "politics" => Topic::Politics,
            "holiday" => Topic::Holiday,
            "family" => Topic::Family,
            "hobby" => Topic::Hobby,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Topic::Party => "a party",
            Topic::Alcohol => "alcohol",
            Topic::Dating => "dating",
            Topic::Politics => "partisan politics",
            Topic::Holiday => "a holiday",
            Topic::Family => "family life",
            Topic::Hobby => "a hobby",
        }
    }
}

static PERSONAL: LazyLock<Lexicon<Topic>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("personal_life.csv").into_iter().filter_map(|r| {
        let [term, topic] = r.as_slice() else { return None };
        Some((term.clone(), Topic::parse(topic)?))
    }))
});

/// First-person words (a closed set of grammar).
const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "we", "we're", "our", "us",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    match ctx.account() {
        Some(AccountKind::Professional) => professional(ctx, out),
        Some(AccountKind::Personal) => personal(ctx, out),
        _ => {}
    }
}

fn professional(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    // A marker in a sentence about patients describes them ("drunk
    // patients"), not the author's life.
    let mut patient_sentences: Vec<u32> = ctx
        .signals
        .patient()
        .mentions
        .iter()
        .filter_map(|s| {
            let i = a.tokens.partition_point(|t| t.span.start < s.start);
            a.sentence_of.get(i).copied()
        })
        .collect();
    patient_sentences.sort_unstable();
    let hits: Vec<_> = PERSONAL
        .each(a)
        .filter(|m| {
            !a.quoted.get(m.first).copied().unwrap_or(false)
                && a.sentence_of
                    .get(m.first)
                    .is_none_or(|s| patient_sentences.binary_search(s).is_err())
        })
        .collect();
    let tag = election_hashtag(a);
    if hits.is_empty() {
        if let Some(span) = tag {
            out.push(
                Diagnostic::at(span, "partisan politics on a professional account")
                    .with_help("post personal news from your personal account, or leave it out here")
                    .with_note("personal-life content: partisan politics"),
            );
        }
        return;
    }
    let first_person = a.tokens.iter().any(|t| FIRST_PERSON.contains(&t.norm.as_str()));
    let strong = |t: Topic| matches!(t, Topic::Party | Topic::Alcohol | Topic::Dating);
    let fires = tag.is_some()
        || hits.iter().any(|m| *m.value == Topic::Politics)
        || hits.iter().any(|m| strong(*m.value)) && (first_person || hits.len() >= 2)
        || hits.len() >= 2;
    if !fires {
        return;
    }
    let lead = hits
        .iter()
        .find(|m| *m.value == Topic::Politics)
        .or_else(|| hits.iter().find(|m| strong(*m.value)))
        .unwrap_or(&hits[0]);
    let mut topics: Vec<&str> = hits.iter().map(|m| m.value.name()).collect();
    topics.dedup();
    out.push(
        Diagnostic::at(lead.span, format!("{} on a professional account", lead.value.name()))
            .with_help("post personal news from your personal account, or leave it out here")
            .with_note(format!("personal-life content: {}", topics.join(", "))),
    );
}

/// An election hashtag ("#Election2026", "#GE2024", "#LocalElections"):
/// the hashtag's words without a trailing year.
fn election_hashtag(a: &primum_text::Analysis<'_>) -> Option<Span> {
    a.tokens.iter().enumerate().find_map(|(i, t)| {
        if t.kind != TokenKind::Hashtag || a.quoted[i] {
            return None;
        }
        let tag = t
            .norm
            .trim_start_matches('#')
            .trim_end_matches(|c: char| c.is_ascii_digit());
        matches!(
            tag,
            "election" | "elections" | "generalelection" | "localelections" | "ge" | "votethemout" | "govote"
        )
        .then_some(t.span)
    })
}

/// Clinical roles an author may present themselves as ("your friendly
/// neighbourhood GP", "as an ED nurse", "GP here").
const ROLES: &[&str] = &[
    "gp",
    "doctor",
    "doc",
    "nurse",
    "midwife",
    "paramedic",
    "pharmacist",
    "dentist",
    "physio",
    "physiotherapist",
    "surgeon",
    "consultant",
    "registrar",
    "physician",
    "paediatrician",
    "pediatrician",
    "anaesthetist",
    "anesthesiologist",
    "medic",
    "hcp",
    "clinician",
    "psychiatrist",
    "obstetrician",
    "gynaecologist",
    "dietitian",
    "optometrist",
    "radiographer",
    "sonographer",
    "emt",
    "np",
    "rn",
    "md",
];

/// Words just before a role (with up to two adjectives between) that make
/// the author present themselves as it: "as a", "I'm an", "your friendly".
const SELF_CUES: &[&[&str]] = &[
    &["as", "a"],
    &["as", "an"],
    &["i'm", "a"],
    &["i'm", "an"],
    &["im", "a"],
    &["im", "an"],
    &["am", "a"],
    &["am", "an"],
    &["your", "friendly"],
    &["ur", "friendly"],
    // "check with your own physio": the writer speaks as one.
    &["your", "own"],
];

/// Words after a role that make it the writer's own to the reader: "your
/// nurse friend", "your GP mate".
const FRIEND_WORDS: &[&str] = &["friend", "mate", "pal", "bestie", "buddy", "bff"];

/// Words that cannot sit between a self-presentation cue and a role.
const NOT_ADJECTIVES: &[&str] = &[
    "my", "your", "his", "her", "our", "their", "the", "this", "that", "a", "an", "to", "of", "and", "with", "for",
    "kid", "child", "patient", "friend",
];

/// Where the author presents themselves as a clinician: a role after a
/// self-presentation cue ("PSA from your friendly neighbourhood GP", "as
/// an A&E nurse") or a role opening a clause with "here" ("GP here:").
fn self_identified(a: &primum_text::Analysis<'_>) -> Option<Span> {
    a.word_indices().find_map(|r| {
        if !ROLES.contains(&a.tokens[r].norm.as_str()) || a.quoted[r] {
            return None;
        }
        if a.next_word(r).is_some_and(|n| a.tokens[n].norm == "here")
            && a.prev_word(r)
                .is_none_or(|p| a.sentence_of[p] != a.sentence_of[r] || p + 1 != r)
        {
            return Some(a.tokens_span(r..r + 1));
        }
        // "PSA from your nurse friend", "ur GP mate": the writer is the
        // reader's friend who holds the role ("my nurse friend" is someone
        // else).
        if a.next_word(r)
            .is_some_and(|n| n == r + 1 && FRIEND_WORDS.contains(&a.tokens[n].norm.as_str()))
        {
            let p1 = a
                .prev_word(r)
                .filter(|&p| p + 1 == r && a.sentence_of[p] == a.sentence_of[r]);
            let p2 = p1.and_then(|p| {
                a.prev_word(p)
                    .filter(|&q| q + 1 == p && a.sentence_of[q] == a.sentence_of[r])
            });
            let yours = |i: usize| matches!(a.tokens[i].norm.as_str(), "your" | "ur" | "yer");
            let start = match (p1, p2) {
                (Some(p), _) if yours(p) => Some(p),
                (Some(p), Some(q)) if yours(q) && !NOT_ADJECTIVES.contains(&a.tokens[p].norm.as_str()) => Some(q),
                _ => None,
            };
            if let Some(start) = start {
                return Some(a.tokens_span(start..r + 2));
            }
        }
        // Walk back over up to two words (adjectives) to a cue.
        let mut words = vec![r];
        let mut k = r;
        for _ in 0..4 {
            let Some(p) = a
                .prev_word(k)
                .filter(|&p| a.sentence_of[p] == a.sentence_of[r] && p + 1 == k)
            else {
                break;
            };
            words.push(p);
            k = p;
        }
        for skip in 0..=2usize {
            // Skipped words describe the role ("friendly neighbourhood"),
            // never name someone else's ("as a kid my GP").
            if words[1..]
                .iter()
                .take(skip)
                .any(|&w| NOT_ADJECTIVES.contains(&a.tokens[w].norm.as_str()))
            {
                break;
            }
            let before = words.get(1 + skip..)?;
            for cue in SELF_CUES {
                let n = cue.len();
                if before.len() >= n && cue.iter().rev().zip(before).all(|(c, &t)| a.tokens[t].norm == *c) {
                    let start = before[n - 1];
                    return Some(a.tokens_span(start..r + 1));
                }
            }
        }
        None
    })
}

/// A clinical-tone phrase that only says the author works shifts.
fn is_shift(phrase: &str) -> bool {
    phrase.contains("shift") || phrase.contains("nights") || phrase == "at work today"
}

fn personal(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let tones = ctx.signals.tones();
    // Health advice: a health word of the tone list, or a medicine
    // ("if your nan's on warfarin").
    let health =
        tones.iter().filter(|m| *m.value == Tone::Health).count() + usize::from(!ctx.signals.medicines().is_empty());
    let patient = ctx.signals.patient();
    // Saying one works shifts ("tea before every night shift") is not
    // clinical content: a shift alone anchors only health advice or
    // a patient's story.
    let shift_counts = health > 0 || patient.is_case();
    let clinical = tones
        .iter()
        .find(|m| {
            *m.value == Tone::Clinical
                && !a.quoted.get(m.first).copied().unwrap_or(false)
                && (shift_counts || !is_shift(m.phrase))
        })
        .map(|m| m.span)
        .or_else(|| self_identified(a));
    let Some(span) = clinical else {
        return;
    };
    if health == 0 && !patient.any() {
        return;
    }
    out.push(
        Diagnostic::at(span, "clinical content on a personal account")
            .with_help("share health advice and work stories from your professional account, where your standards apply openly")
            .with_note(if health > 0 { "health advice given as a clinician" } else { "a patient story" }),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::post::AccountKind;
    use crate::testing::Test;

    fn pro(text: &str) -> Vec<String> {
        Test::new(text).account(AccountKind::Professional).spans(&RULE)
    }

    fn personal(text: &str) -> Vec<String> {
        Test::new(text).account(AccountKind::Personal).spans(&RULE)
    }

    #[test]
    fn personal_life_on_a_professional_account() {
        assert_eq!(
            pro("Absolutely wrecked after my best friend's hen do 🍾🍸 pics below, do NOT ask me about the tequila."),
            ["Absolutely wrecked"]
        );
        assert_eq!(pro("Vote them OUT on Thursday. #GeneralElection"), ["Vote them OUT"]);
        assert_eq!(
            pro("Off to Bali 3-17 August!! ✈️ House-sitter bailed, key's under the pot"),
            ["✈️"]
        );
        assert_eq!(pro("So hungover I could cry, never again"), ["hungover"]);
    }

    #[test]
    fn clinical_content_on_a_personal_account() {
        assert_eq!(
            personal(
                "Tip from a nurse mum: if your kid has a fever, strip them down to a vest and let them sleep it off."
            ),
            ["Tip from a nurse"]
        );
        assert_eq!(
            personal("My patient today told me I was the best nurse ever and I cried"),
            ["My patient"]
        );
    }

    #[test]
    fn your_clinician_friend_presents_the_writer() {
        assert_eq!(
            personal("PSA from your nurse friend: the flu vaccine is free for over-65s this year. Ask your GP!"),
            ["your nurse friend"]
        );
        assert_eq!(
            personal("Reminder from ur friendly pharmacist mate: finish the antibiotics course."),
            ["ur friendly pharmacist mate"]
        );
        // Someone else's clinician friend: not the writer.
        assert!(personal("My nurse friend says the flu vaccine is free for over-65s, ask your GP.").is_empty());
        assert!(personal("Dinner with your doctor friend Sam next week? Bring wine 🍷").is_empty());
    }

    #[test]
    fn hard_negatives() {
        assert!(pro("Honoured to receive the Nurse Educator of the Year award. Thank you to my students, my team and my family.").is_empty());
        assert!(pro("Running the half marathon for the hospital charity: please sponsor the team").is_empty());
        assert!(
            pro("Drunk patients on Friday nights are a big share of ED attendances; here's how we keep staff safe")
                .is_empty()
        );
        assert!(personal("Sunday roast for 12 and not a single burnt potato 🥔 The in-laws are impressed.").is_empty());
        assert!(personal("Sourdough attempt #4 🍞 Recipe from a very patient baker friend.").is_empty());
        assert!(personal("Long run done 🏃‍♀️ 18 miles along the canal. Marathon in three weeks!").is_empty());
        // Unknown or anonymous account: silent.
        assert!(Test::new("Wine o'clock after my hen do 🍾").spans(&RULE).is_empty());
        assert!(
            Test::new("Wine o'clock after my hen do 🍾")
                .account(AccountKind::Anonymous)
                .spans(&RULE)
                .is_empty()
        );
        assert!(pro("").is_empty());
    }
    #[test]
    fn generalised_politics_and_clinical_work() {
        let pro = |t: &str| Test::new(t).account(AccountKind::Professional).fires(&RULE);
        let personal = |t: &str| Test::new(t).account(AccountKind::Personal).fires(&RULE);
        assert!(pro(
            "Anyone who votes Coalition this weekend deserves what's coming to them. #auspol"
        ));
        assert!(pro("If you voted Tory you can unfollow me now"));
        assert!(!pro("Labour ward is full tonight; please call ahead before coming in."));
        assert!(!pro(
            "Conservative management is usually right for a simple ankle sprain."
        ));
        assert!(personal(
            "Three lumbar punctures on nights and all three first pass 💪 nerd brag over."
        ));
        assert!(!personal("Survived my first night shift! Bed now 😴"));
    }

    #[test]
    fn party_colours_and_medicines() {
        assert!(!pro("Vote red on Thursday, your NHS depends on it.").is_empty());
        assert!(pro("The vote on the new rota is Thursday, blue forms are in the staffroom.").is_empty());
        // Health advice on a personal account can name a medicine only.
        assert!(!personal("Nurse tip: never mix warfarin with cranberry juice.").is_empty());
        assert!(personal("As a nurse I'm shattered but what a team tonight.").is_empty());
    }
}

#[cfg(test)]
mod self_identified_tests {
    use super::RULE;
    use crate::post::AccountKind;
    use crate::testing::Test;

    fn personal(text: &str) -> bool {
        Test::new(text).account(AccountKind::Personal).fires(&RULE)
    }

    #[test]
    fn shifts_politics_tags_and_protocols() {
        // Working shifts is not clinical content.
        assert!(!personal(
            "Ten years with the man who still packs my lunch before every night shift ❤️"
        ));
        assert!(!personal("Back on nights this week so the dog walker is on duty 🐶"));
        assert!(personal(
            "Night shift hack for the nurses: the lady in bay 4 slept through once we swapped her paracetamol to 10pm."
        ));
        // A rehab protocol for followers, speaking as a physio.
        assert!(personal(
            "My post-op rehab protocol for hip replacements: weeks 1-2 ankle pumps and glute squeezes. Check with your own physio first."
        ));
        assert!(!personal(
            "Six weeks post-op and loving my rehab, thanks to my amazing physio 💪"
        ));
        let pro = |t: &str| Test::new(t).account(AccountKind::Professional).fires(&RULE);
        assert!(pro(
            "Can't believe anyone still backs this lot. Think before you vote. #GE2029"
        ));
        assert!(!pro("Our clinic is open as usual on Thursday. #FluJab"));
    }

    #[test]
    fn a_clinician_presenting_themselves_on_a_personal_account() {
        assert!(personal(
            "PSA from your friendly local pharmacist: ibuprofen is fine for most sprains."
        ));
        assert!(personal("As an ED nurse, paracetamol is usually enough for a fever."));
        assert!(personal("GP here: antibiotics won't touch your cold."));
        assert!(!personal("As a kid my GP gave me antibiotics for every cold."));
        assert!(!personal("The GP here was lovely and sorted my antibiotics."));
        assert!(!personal(
            "Thanks to the friendly nurse who gave me my flu vaccine today."
        ));
    }
}
