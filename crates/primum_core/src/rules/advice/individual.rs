//! `advice/individual`: personal medical advice or a diagnosis for one person.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::advice::{dosage, general_without_caveat};

declare_rule! {
    /// ## What it checks
    ///
    /// Advice or a diagnosis aimed at one person. It fires on:
    ///
    /// - an offer to assess someone privately ("DM me a photo of the rash",
    ///   "send me your results and I'll tell you if you need to worry"),
    ///   wherever it appears;
    /// - in a post addressed to someone (a reply, a post opening with an
    ///   @mention, or with "Madam", "Sir", "mate"), about their health:
    ///   a diagnosis, that is a condition (the `condition` rows, a word
    ///   ending in -itis, -osis, -algia, -pathy, or a modifier and a head
    ///   noun such as pain, syndrome or tear straight after the frame:
    ///   "sounds like patellofemoral pain") after a judging frame
    ///   ("that's Bell's palsy", "classic erythema migrans", "sounds like
    ///   a chest infection", "sounds like classic ADHD") or a diagnosing
    ///   phrase ("sounds like you
    ///   have", "he'll be fine", "gets better on its own"); a directive
    ///   ("you should stop", "you need", "no need to visit", "at your
    ///   age... I'd skip it", "I'd want her seen again"); a self-care instruction opening a clause
    ///   ("Put a humidifier in his room") when no clinician is mentioned
    ///   beside it; or a dose instruction (see `advice/dosage`). Questions
    ///   ("could it be shingles?") are not diagnoses.
    ///
    /// Health education that says "you" to everyone is not addressed to
    /// anyone and does not fire, and a reply that declines to advise ("I
    /// can't advise on individual symptoms here, call 111") is not a
    /// finding. A directive whose clause sends the person to their own
    /// clinician ("you should see your GP") is a redirection, not advice.
    /// The phrases are in `lexicons/advice_markers.csv`.
    ///
    /// ## Why
    ///
    /// "Don't give medical advice on social media." Advice without a
    /// consultation, history or examination can be wrong and harmful, and it
    /// may start a clinical relationship the clinician cannot follow up.
    /// RCGP Social Media Highway Code rule 3 (`uk-rcgp-hc-3`); NMC Code ¶6
    /// (`uk-nmc-code-6`): advice must be evidence-based and within
    /// competence; FSMB 2012 (`us-fsmb-2012`): an online exchange may begin
    /// a physician-patient relationship.
    ///
    /// ## Example
    ///
    /// ```text
    /// Madam it is typical ringworm only. Apply clotrimazole cream twice daily. No need to visit.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// I'm sorry, I can't advise on individual symptoms here. A pharmacist or your GP can look at it this week.
    /// ```
    ///
    /// ## Fix
    ///
    /// Decline to advise in public and point the person to their own
    /// clinician, a pharmacist or the local urgent line. There is no
    /// automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "advice/individual",
        fix: Never,
        options: [],
        check: check,
    }
}

/// Conditions a reply may diagnose (`condition` rows).
pub(crate) static CONDITIONS: LazyLock<Lexicon<()>> =
    LazyLock::new(|| Lexicon::new(rows_of("condition").map(|p| (p, ()))));

/// Words before a condition that make naming it a judgement about the
/// reader: "that's", "classic", "sounds like", "could be", "probably".
const FRAMES: &[&str] = &[
    "that's",
    "thats",
    "it's",
    "its",
    "classic",
    "typical",
    "textbook",
    "probably",
    "definitely",
    "likely",
    "certainly",
    "like",
    "be",
    "clearly",
    "obviously",
];

/// Self-care verbs too common in everyday replies ("check this out",
/// "stay safe", "try the library") to be advice by themselves.
const EVERYDAY_VERBS: &[&str] = &[
    "check", "stay", "wait", "try", "use", "run", "support", "offer", "choose", "place", "let", "start", "stop",
    "hold", "press", "relax", "switch", "stand", "walk", "add", "keep", "cover",
];

/// Words after "you should be" that make it praise ("you should be proud").
const PRAISE: &[&str] = &[
    "proud",
    "pleased",
    "chuffed",
    "happy",
    "thrilled",
    "delighted",
    "glad",
    "so",
    "really",
    "very",
    "super",
];

/// True when a directive ending at token `end` goes on "be proud".
fn praise_follows(a: &Analysis<'_>, end: usize) -> bool {
    let Some(b) = a.tokens.get(end).filter(|t| t.norm == "be").map(|_| end) else {
        return false;
    };
    a.next_word(b)
        .is_some_and(|k| PRAISE.contains(&a.tokens[k].norm.as_str()))
}

/// Suffixes of condition names ("tendinitis", "fibromyalgia").
fn condition_word(w: &str) -> bool {
    w.len() > 6
        && (w.ends_with("itis") || w.ends_with("algia") || w.ends_with("pathy") || w.ends_with("osis"))
        && !matches!(w, "diagnosis" | "prognosis" | "osmosis")
}

/// Head nouns that make a condition of the word before them
/// ("patellofemoral pain", "piriformis syndrome", "rotator cuff tear").
const CONDITION_HEADS: &[&str] = &[
    "pain",
    "syndrome",
    "disease",
    "disorder",
    "sprain",
    "strain",
    "tear",
    "impingement",
    "reflux",
    "deficiency",
    "insufficiency",
];

/// Words before a head noun that describe a nuisance, not a condition
/// ("a real pain", "a right pain").
const NOT_CONDITION: &[&str] = &[
    "a", "an", "the", "real", "right", "total", "royal", "massive", "proper", "big", "huge", "absolute", "such", "bit",
    "serious", "no", "some", "any", "much", "more", "less", "of", "in", "and", "or", "my", "your", "his", "her",
    "their", "our", "this", "that", "muscle", "growing",
];

/// A condition named by a modifier and a head noun ("patellofemoral
/// pain"), counted only straight after a judging frame ("sounds like
/// patellofemoral pain"): the modifier's index.
fn named_by_head(a: &Analysis<'_>) -> Vec<usize> {
    a.word_indices()
        .filter_map(|h| {
            if !CONDITION_HEADS.contains(&a.tokens[h].norm.as_str()) {
                return None;
            }
            let m = a.prev_word(h).filter(|&m| m + 1 == h)?;
            let f = a.prev_word(m).filter(|&f| f + 1 == m)?;
            let modifier = a.tokens[m].norm.as_str();
            (a.tokens[m].kind == TokenKind::Word
                && modifier.len() > 3
                && !NOT_CONDITION.contains(&modifier)
                && FRAMES.contains(&a.tokens[f].norm.as_str()))
            .then_some(m)
        })
        .collect()
}

/// For each sentence, whether it is a question (its last punctuation is
/// "?").
fn questions(a: &Analysis<'_>) -> Vec<bool> {
    a.sentences
        .iter()
        .map(|sent| {
            sent.tokens
                .clone()
                .rev()
                .find(|&k| a.tokens[k].kind == TokenKind::Punct)
                .is_some_and(|k| a.tokens[k].norm == "?")
        })
        .collect()
}

/// Conditions named as a judgement: a condition (lexicon or suffix) with a
/// frame word up to three words before it in its clause, or opening its
/// sentence ("Classic erythema migrans, that's Lyme"). Returns the index
/// of the first token of each.
fn diagnoses(a: &Analysis<'_>) -> Vec<usize> {
    let questions = questions(a);
    let in_question = |i: usize| questions.get(a.sentence_of[i] as usize).copied().unwrap_or(false);
    let mut starts: Vec<usize> = CONDITIONS
        .each(a)
        .map(|m| m.first)
        .chain(a.word_indices().filter(|&i| condition_word(&a.tokens[i].norm)))
        .chain(named_by_head(a))
        .filter(|&i| !a.quoted[i] && !a.negated[i] && !in_question(i))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
        .into_iter()
        .filter_map(|c| {
            let mut k = c;
            for _ in 0..3 {
                let Some(p) = a.prev_word(k) else {
                    // The condition opens its sentence ("Shingles, I'd say").
                    return (k == c).then_some(c);
                };
                if (p + 1..k).any(|j| clause_break(a, j)) {
                    return None;
                }
                if FRAMES.contains(&a.tokens[p].norm.as_str()) {
                    // "sounds like", "could be": start at the verb.
                    let lead = a.prev_word(p).filter(|&q| {
                        matches!(a.tokens[p].norm.as_str(), "like" | "be")
                            && matches!(
                                a.tokens[q].norm.as_str(),
                                "sounds" | "looks" | "could" | "might" | "may" | "must" | "seems"
                            )
                    });
                    return Some(lead.unwrap_or(p));
                }
                k = p;
            }
            None
        })
        .collect()
}

fn clause_break(a: &Analysis<'_>, j: usize) -> bool {
    let t = &a.tokens[j];
    t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "," | ";" | "." | "!" | "?" | ":" | "(" | ")")
}

/// The kinds of phrase in `lexicons/advice_markers.csv` this rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Diagnosis,
    Directive,
    Assessment,
    Decline,
}

fn rows_of(kind: &str) -> impl Iterator<Item = String> + use<'_> {
    crate::lexicon_rows!("advice_markers.csv")
        .into_iter()
        .filter(move |r| r.get(1).is_some_and(|k| k == kind))
        .filter_map(|r| r.into_iter().next())
}

static MARKERS: LazyLock<Lexicon<Marker>> = LazyLock::new(|| {
    Lexicon::new(
        rows_of("diagnosis")
            .map(|p| (p, Marker::Diagnosis))
            .chain(rows_of("directive").map(|p| (p, Marker::Directive)))
            .chain(rows_of("assessment").map(|p| (p, Marker::Assessment)))
            .chain(rows_of("decline").map(|p| (p, Marker::Decline))),
    )
});

/// What someone is asked to send for assessment (`object` rows).
static OBJECTS: LazyLock<Lexicon<()>> = LazyLock::new(|| Lexicon::new(rows_of("object").map(|p| (p, ()))));

/// Words that make a message about someone's health (`health` rows).
pub(crate) static HEALTH: LazyLock<Lexicon<()>> = LazyLock::new(|| Lexicon::new(rows_of("health").map(|p| (p, ()))));

/// True when the text talks about health: a health word, a condition or
/// a medicine.
fn about_health(a: &Analysis<'_>) -> bool {
    HEALTH.matches(a) || CONDITIONS.matches(a) || dosage::MEDICINES.matches(a)
}

/// The span from token `first` to the end of its clause.
fn clause_from(a: &Analysis<'_>, first: usize) -> Span {
    let s = a.sentence_of[first];
    let mut last = first;
    let mut j = first;
    while j < a.tokens.len() && a.sentence_of[j] == s {
        let t = &a.tokens[j];
        if t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "," | ";" | "." | "!" | "?" | ":" | "(" | ")") {
            break;
        }
        if t.kind != TokenKind::Emoji && t.kind != TokenKind::Punct {
            last = j;
        }
        j += 1;
    }
    a.tokens_span(first..last + 1)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.is_empty() {
        return;
    }
    let markers = MARKERS.find_all(a);
    let live = |m: &&primum_text::LexMatch<'_, Marker>| !a.quoted[m.first] && !a.negated[m.first];
    if markers.iter().filter(live).any(|m| *m.value == Marker::Decline) {
        return;
    }
    let objects = OBJECTS.find_all(a);
    let mut found: Vec<(Span, &'static str)> = Vec::new();

    // Offers to assess someone privately fire wherever they are.
    for m in markers.iter().filter(live).filter(|m| *m.value == Marker::Assessment) {
        let object_follows = objects.iter().any(|o| o.first >= m.first && o.first <= m.end + 4);
        let open_ended = m.phrase.ends_with(" your") || m.phrase.ends_with(" a");
        let has_object = if open_ended {
            object_follows
        } else {
            !objects.is_empty() || a.has_word(&["worry", "worried", "serious"])
        };
        if has_object {
            found.push((clause_from(a, m.first), "offer to assess someone's health privately"));
        }
    }

    let addressed = dosage::addressed(a, ctx.reply);
    // Three lexicon scans: only for a post addressed to someone.
    // The text's medicines are shared with the other rules that read them.
    let health = || {
        ctx.reply.is_some_and(about_health)
            || HEALTH.matches(a)
            || CONDITIONS.matches(a)
            || !ctx.signals.medicines().is_empty()
    };
    if addressed && health() {
        let caveats = ctx.signals.caveats();
        for d in diagnoses(a) {
            found.push((clause_from(a, d), "diagnosis for a specific person"));
        }
        // A self-care instruction to the person ("Put a humidifier in his
        // room"), unless its sentence sends them to a clinician.
        for m in general_without_caveat::IMPERATIVES.each(a) {
            let i = m.first;
            if a.quoted[i]
                || a.negated[i]
                || EVERYDAY_VERBS.contains(&m.phrase)
                || !general_without_caveat::opens_clause(a, i)
                || a.next_word(i).is_none()
                || caveats.iter().any(|c| a.sentence_of[c.first] == a.sentence_of[i])
            {
                continue;
            }
            found.push((clause_from(a, i), "personal medical advice to a specific person"));
        }
        for m in markers.iter().filter(live) {
            let span = clause_from(a, m.first);
            match m.value {
                Marker::Diagnosis => found.push((span, "diagnosis for a specific person")),
                // "You should be really proud" praises, it does not direct.
                Marker::Directive if praise_follows(a, m.end) => {}
                Marker::Directive => {
                    // "You should see your GP" redirects rather than advises.
                    let redirect = caveats
                        .iter()
                        .any(|c| c.span.start >= m.span.start && c.span.end <= span.end);
                    if !redirect {
                        found.push((span, "personal medical advice to a specific person"));
                    }
                }
                _ => {}
            }
        }
        for ins in ctx.signals.dose_instructions() {
            found.push((ins.span, "personal medical advice to a specific person"));
        }
    }

    // One finding per sentence: the first reason found in it.
    found.sort_by_key(|(s, _)| s.start);
    let mut last_sentence = None;
    for (span, message) in found {
        let sentence = a
            .tokens
            .iter()
            .position(|t| t.span.start >= span.start)
            .map(|i| a.sentence_of[i]);
        if sentence.is_some() && sentence == last_sentence {
            continue;
        }
        last_sentence = sentence;
        out.push(
            Diagnostic::at(span, message)
                .with_help("don't advise individuals in public: point them to their own clinician, a pharmacist or the local urgent line"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_private_assessment_offers() {
        assert_spans(
            &RULE,
            "Worried about a mole? DM me a clear photo and your latest blood results and I'll tell you if you need to worry 📩",
            &["DM me a clear photo and your latest blood results and I'll tell you if you need to worry"],
        );
        assert_spans(
            &RULE,
            "Send me your results and I'll have a look",
            &["Send me your results and I'll have a look"],
        );
        assert_spans(
            &RULE,
            "Acne not clearing? ✨ Send me a DM with your current routine + any meds and I'll tell you exactly what to change 💌",
            &["Send me a DM with your current routine + any meds and I'll tell you exactly what to change"],
        );
    }

    #[test]
    fn fires_in_replies_about_health() {
        let t = Test::new("Madam it is typical ringworm only. No need to visit.")
            .reply_to("Doctor sir, itchy red ring on my thigh for 2 weeks, spreading. What to do?");
        assert_eq!(t.spans(&RULE), ["it is typical ringworm only", "No need to visit"]);
        let t = Test::new("Honestly at your age the flu jab barely works. I'd skip it.")
            .reply_to("Is it worth getting the flu jab this year? I'm 70");
        assert_eq!(t.spans(&RULE), ["at your age the flu jab barely works", "I'd skip it"]);
        let t =
            Test::new("Sounds like you have shingles tbh").reply_to("Painful blistery rash on one side of my back?");
        assert_eq!(t.spans(&RULE), ["Sounds like you have shingles tbh"]);
        let t = Test::new("If you feel fine you can just stop the brown one, it's only for when you're bad.")
            .reply_to("My GP put me on a brown inhaler for my asthma but I've felt fine for a month now");
        assert_eq!(t.spans(&RULE), ["you can just stop the brown one"]);
    }

    #[test]
    fn mention_counts_as_addressed() {
        assert_spans(
            &RULE,
            "@sam_k sounds like you have a chest infection, you need to get antibiotics",
            &["sounds like you have a chest infection"],
        );
    }

    #[test]
    fn conditions_named_by_a_head_noun() {
        let t = Test::new("Sounds like piriformis syndrome to me, get some stretching in.")
            .reply_to("Pain in my bum that shoots down my leg when I sit, what is it?");
        assert_eq!(t.spans(&RULE), ["Sounds like piriformis syndrome to me"]);
        let t = Test::new("Ugh, probably more pain for the finance team than for us, congrats on the new post!")
            .reply_to("Started my new job in the billing office today");
        assert_eq!(t.spans(&RULE), Vec::<String>::new());
        let t = Test::new("Could it be patellofemoral pain? Hard to say without seeing you, book in with your GP.")
            .reply_to("Knee aches on the stairs, any ideas?");
        assert!(t.spans(&RULE).is_empty());
    }

    #[test]
    fn fires_on_diagnoses_in_replies() {
        // A condition after a judging frame, however the sentence is built.
        let t = Test::new("Honestly that's a tension headache, drink more water.")
            .reply_to("Headache every afternoon this week, should I be worried?");
        assert_eq!(t.spans(&RULE), ["that's a tension headache"]);
        let t = Test::new("Probably tennis elbow from the gardening.")
            .reply_to("Outer elbow really sore since the weekend");
        assert_eq!(t.spans(&RULE), ["Probably tennis elbow from the gardening"]);
        let t =
            Test::new("Textbook plantar fasciitis, it'll go in time.").reply_to("Heel pain first thing every morning");
        assert_eq!(t.spans(&RULE), ["Textbook plantar fasciitis"]);
        // Suffix morphology: a condition not in the lexicon.
        let t =
            Test::new("Sounds like costochondritis to me.").reply_to("Sharp pain in my chest wall when I press on it");
        assert_eq!(t.spans(&RULE), ["Sounds like costochondritis to me"]);
        // Reassurance about one person's prognosis.
        let t =
            Test::new("Kids bounce back, she'll be fine by Monday.").reply_to("My 5yo has a fever and is off her food");
        assert_eq!(t.spans(&RULE), ["she'll be fine by Monday"]);
    }

    #[test]
    fn fires_on_self_care_instructions_to_one_person() {
        let t = Test::new("Put a humidifier in his room and a bit of Vaseline in his nostrils.")
            .reply_to("My son keeps getting nosebleeds at night, is that normal?");
        assert_eq!(
            t.spans(&RULE),
            ["Put a humidifier in his room and a bit of Vaseline in his nostrils"]
        );
        let t = Test::new("You need doxycycline for that.").reply_to("Tick bite last week and now a red ring");
        assert_eq!(t.spans(&RULE), ["You need doxycycline for that"]);
    }

    #[test]
    fn hard_negatives_in_replies() {
        // A question is not a diagnosis.
        let t = Test::new("Could it be eczema? Worth showing your GP.").reply_to("Dry itchy patches on my hands");
        assert!(!t.fires(&RULE));
        // Self-care beside a pointer to a clinician is a redirection.
        let t = Test::new("Rest up and call 111 if it gets worse.").reply_to("Day 3 of flu, feel awful");
        assert!(!t.fires(&RULE));
        // Praise is not a directive.
        let t = Test::new("Congratulations on passing your exams, you should be really proud!")
            .reply_to("Just passed my finals after a tough year with my asthma");
        assert!(!t.fires(&RULE));
        // Sympathy and a resource.
        let t = Test::new(
            "Great question! The NHS page on shingles is really clear: https://www.nhs.uk/conditions/shingles/",
        )
        .reply_to("Can you get shingles twice?");
        assert!(!t.fires(&RULE));
        let t = Test::new("Sorry you're dealing with that. I can't recommend a treatment without seeing you, but a pharmacist can help.")
            .reply_to("What's the best cream for eczema on my hands?");
        assert!(!t.fires(&RULE));
        // "Hi all" addresses everyone.
        assert_silent(&RULE, "Hi all, you should book your flu jab if you have asthma.");
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "If you have a high fever, see a doctor, don't self-medicate.");
        assert_silent(
            &RULE,
            "Your child's first dental visit should be when their first tooth appears.",
        );
        assert_silent(
            &RULE,
            "Desk-bound today? Every 30 minutes, stand up and roll your shoulders. You should take breaks.",
        );
        assert_silent(&RULE, "");
        let t = Test::new("I'm sorry, I can't advise on individual symptoms on here. If it's new and you're worried, please call 111 now.")
            .reply_to("Doc, been having a weird tingling in my left arm since this morning, should I be worried?");
        assert!(!t.fires(&RULE));
        let t = Test::new(
            "@KavyaRamanMD the LITFL ECG library is brilliant for this, and it's free: https://litfl.com/ecg-library/",
        )
        .reply_to("Anyone got a good resource for teaching ECGs to new F1s?");
        assert!(!t.fires(&RULE));
        let t = Test::new("You should totally apply, you'd be brilliant!")
            .reply_to("Thinking of applying for the charge nurse post");
        assert!(!t.fires(&RULE));
        let t = Test::new("That sounds awful. You should see your GP about it this week.")
            .reply_to("My knee pain is getting worse");
        assert!(!t.fires(&RULE));
        let t = Test::new("Hi! I have private slots this week, DM me to book")
            .reply_to("Can anyone recommend a good dermatologist? My rash is spreading");
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn generalises_diagnoses_and_judgements_about_a_relative() {
        let t = Test::new("Sounds like typical ADHD, honestly.").reply_to("My son can't sit still or focus at school");
        assert!(t.fires(&RULE));
        let t = Test::new("At her age I'd want her seen today.").reply_to("Mum's 90 and not eating since Sunday");
        assert!(t.fires(&RULE));
        // A dose for one person makes the reply individual advice too.
        let t = Test::new("Amlodipine 10 mg kar do.").reply_to("BP 160/100 hai, amlodipine 5 mg le raha hu");
        assert!(t.fires(&RULE));
    }

    #[test]
    fn hard_negatives_for_diagnoses_and_judgements() {
        // No health in the exchange.
        let t = Test::new("I'd want her to know we're all cheering!").reply_to("My daughter's recital is tonight!");
        assert!(!t.fires(&RULE));
        // Naming a condition without judging anyone.
        let t = Test::new("Good read, the ADHD section especially.").reply_to("What do you think of the new guidance?");
        assert!(!t.fires(&RULE));
    }
}

#[cfg(test)]
mod go_to_dose_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn a_dose_change_in_a_reply_is_individual_advice() {
        assert!(
            Test::new("You can go up to 1g paracetamol four times a day, that should settle it")
                .reply_to("Toothache all night, ibuprofen not touching it")
                .fires(&RULE)
        );
        assert!(
            !Test::new("You can go up to the desk and ask the pharmacist")
                .reply_to("Toothache all night, ibuprofen not touching it")
                .fires(&RULE)
        );
    }
}
