//! `professionalism/disrespect`: insults, slurs, profanity and derogatory slang.

use foldhash::HashSet;
use std::cell::OnceCell;
use std::sync::LazyLock;

use primum_text::{Lexicon, PerSentence, PerToken, Span, TokenKind};

use crate::declare_rule;
use crate::finding::{Applicability, Fix};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Profanity (`lexicons/profanity.csv`), insults, slurs and derogatory
    /// clinical slang about patients or colleagues
    /// (`lexicons/derogatory.csv`: "frequent flyer", "GOMER", "drug
    /// seeker", "muppet", "illiterate village people", contempt for another
    /// practitioner's work: "butchered her molars", "some people shouldn't
    /// be allowed near"), matched on whole
    /// words however they are cased, spaced or spelt in leetspeak; masked
    /// profanity (`f***ing`, `sh*t`) is compared letter by letter with the
    /// profanity list. Terms also match their plurals, a phrase by its
    /// last word ("pr1cks", "old biddies"). One finding per term.
    ///
    /// Left alone: clinical words that profanity lists flag
    /// (`lexicons/medical_allow.csv`), neutral service names ("frequent
    /// attender service"), a word inside another word, milder profanity
    /// with an ordinary sense ("bloody diarrhoea") unless it is masked,
    /// terms the lexicon marks as ambiguous unless they are said of someone
    /// ("a clown", "these illiterate people", "an absolute cow", "entitled
    /// Karens", not "the hospital clown" or the possessive "cow's milk"),
    /// and abuse the author reports in quotation marks ("a patient called
    /// me a 'useless nurse'").
    ///
    /// ## Why
    ///
    /// "Maintain your professionalism: treat your audience fairly and with
    /// respect." Do not use social media to abuse, discriminate against,
    /// bully or harass any person or group (GMC 2024 ¶14,
    /// `uk-gmc-sm2024-14`); treat people with kindness, respect and
    /// compassion (NMC Code ¶1.1, `uk-nmc-code-1.1`); no disparaging remarks
    /// about patients, employers or co-workers even unnamed (ANA tip 4,
    /// `us-ana-2011-tip4`); boards discipline for derogatory remarks about
    /// patients and discriminatory language (FSMB 2012, `us-fsmb-2012`);
    /// treat colleagues and patients with dignity (CMA Code ¶31–33,
    /// `ca-cma-code-31`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Our favourite frequent flyer is back in bay 2 for the 6th time this month 🙄
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Some of our patients come back to ED again and again. Our new frequent attender service helps them get care that fits.
    /// ```
    ///
    /// ## Fix
    ///
    /// Say what you mean without the label: describe the situation, not the
    /// person. For profanity the suggested fix deletes the word (unsafe: read
    /// the sentence again afterwards).
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "professionalism/disrespect",
        fix: Sometimes,
        options: [],
        check: check,
    }
}

/// Profanity, with its rating (2 = likely, 1 = maybe).
static PROFANITY_ROWS: LazyLock<Vec<(String, u8)>> = LazyLock::new(|| {
    let rows: Vec<(String, u8)> = crate::lexicon_rows!("profanity.csv")
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [t, rating] => Some((t.to_lowercase(), rating.parse().unwrap_or(1))),
            _ => None,
        })
        .collect();
    with_plurals(rows, |r| &r.0, |r, p| (p, r.1))
});

/// The English plural of a word or of a phrase's last word (`prick` ->
/// `pricks`, `bitch` -> `bitches`, `old biddy` -> `old biddies`), or
/// `None` when the last word already ends in `s` or is not a plain word.
fn plural(term: &str) -> Option<String> {
    let (head, word) = term.rsplit_once(' ').map_or(("", term), |(h, w)| (h, w));
    if word.len() < 2 || !word.chars().all(char::is_alphabetic) || word.ends_with('s') {
        return None;
    }
    let sep = if head.is_empty() { "" } else { " " };
    let stem_y = word
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']));
    let p = if let Some(stem) = stem_y {
        format!("{stem}ies")
    } else if word.ends_with("sh") || word.ends_with("ch") || word.ends_with('x') || word.ends_with('z') {
        format!("{word}es")
    } else {
        format!("{word}s")
    };
    Some(format!("{head}{sep}{p}"))
}

/// `rows` plus, for each term, its plural where the list does
/// not have it: word lists name the singular, posts use both.
fn with_plurals<T>(rows: Vec<T>, term: impl Fn(&T) -> &str, make: impl Fn(&T, String) -> T) -> Vec<T> {
    let known: HashSet<String> = rows.iter().map(|r| term(r).to_string()).collect();
    let mut extra = Vec::new();
    for r in &rows {
        if let Some(p) = plural(term(r))
            && !known.contains(&p)
            && !MEDICAL_ALLOW.contains(&p)
        {
            extra.push(make(r, p));
        }
    }
    let mut rows = rows;
    rows.extend(extra);
    rows
}

static PROFANITY: LazyLock<Lexicon<u8>> =
    LazyLock::new(|| Lexicon::new(PROFANITY_ROWS.iter().map(|(t, r)| (t.as_str(), *r))));

/// Single-word profanity, for masked words.
static PROFANE_WORDS: LazyLock<Vec<(&'static str, u8)>> = LazyLock::new(|| {
    PROFANITY_ROWS
        .iter()
        .filter(|(t, _)| t.chars().all(char::is_alphabetic))
        .map(|(t, r)| (t.as_str(), *r))
        .collect()
});

static MEDICAL_ALLOW: LazyLock<HashSet<String>> = LazyLock::new(|| {
    crate::lexicon_rows!("medical_allow.csv")
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect()
});

/// Who a derogatory term demeans, and whether the lexicon notes another,
/// innocent sense ("NB" in its note).
#[derive(Debug, Clone)]
struct Derog {
    target: String,
    ambiguous: bool,
}

static DEROGATORY: LazyLock<Lexicon<Derog>> = LazyLock::new(|| {
    let rows: Vec<(String, Derog)> = crate::lexicon_rows!("derogatory.csv")
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [t, target, note] => Some((
                t.clone(),
                Derog {
                    target: target.clone(),
                    ambiguous: note.contains("NB"),
                },
            )),
            _ => None,
        })
        .collect();
    Lexicon::new(with_plurals(rows, |r| &r.0, |r, p| (p, r.1.clone())))
});

/// Rating-1 profanity that also has an ordinary or clinical sense
/// ("bloody diarrhoea", birds, cats): only reported when masked.
const MILD_AMBIGUOUS: &[&str] = &[
    "bloody", "cock", "tits", "pussy", "knockers", "pecker", "boob", "boobs", "damn", "stiffy", "horny", "turd",
];

/// Words before an ambiguous term that show it is said of someone (a
/// closed set of determiners and intensifiers).
const PERSON_CUES: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "such",
    "total",
    "complete",
    "absolute",
    "utter",
    "another",
    "our",
    "some",
    "what",
    "bunch",
    "like",
    "you",
    "fucking",
    "bloody",
    "effing",
    "freaking",
    // Adjectives of contempt said of people ("entitled Karens").
    "entitled",
    "stupid",
    "lazy",
    "useless",
    "arrogant",
    "ignorant",
    "silly",
    "fat",
    "dumb",
    "miserable",
    "whiny",
    "whinging",
    "demanding",
    "rude",
    "spoilt",
    "spoiled",
    "nasty",
    "old",
    "mardy",
    "pathetic",
    "clueless",
];

/// Words that show quoted abuse is reported, not used, by the author.
const REPORTING: &[&str] = &[
    "called", "calls", "call", "calling", "said", "says", "shouted", "yelled", "screamed", "slur", "abuse", "abused",
    "abusive", "racist",
];

/// Compares a masked word (`f***ing`) with a profane word: `*` stands for
/// one letter, and a run of two or more may stand for one letter more or fewer.
fn masked_match(masked: &str, word: &str) -> bool {
    let m: Vec<char> = masked.chars().collect();
    let w: Vec<char> = word.chars().collect();
    if m.len() == w.len() {
        return m.iter().zip(&w).all(|(a, b)| *a == '*' || a == b);
    }
    // Collapse each run of stars and let it stand for 1..=len+1 letters.
    let (Some(first_star), Some(last_star)) = (m.iter().position(|&c| c == '*'), m.iter().rposition(|&c| c == '*'))
    else {
        return false;
    };
    if m[first_star..=last_star].iter().any(|&c| c != '*') {
        return false;
    }
    let (pre, post) = (&m[..first_star], &m[last_star + 1..]);
    let stars = last_star + 1 - first_star;
    let hidden = w.len().saturating_sub(pre.len() + post.len());
    let (lo, hi) = if stars == 1 { (1, 1) } else { (stars - 1, stars + 1) };
    w.len() > pre.len() + post.len() && (lo..=hi).contains(&hidden) && w.starts_with(pre) && w.ends_with(post)
}

/// The profane word a masked token stands for, if any.
fn unmask(norm: &str) -> Option<(&'static str, u8)> {
    let letters = norm.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 1 || !norm.contains('*') || !norm.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let mut best: Option<(&'static str, u8)> = None;
    for &(w, r) in PROFANE_WORDS.iter() {
        if masked_match(norm, w) && best.is_none_or(|(_, br)| r > br) {
            best = Some((w, r));
        }
    }
    best
}

/// The sentences that carry a reporting word, so that quoted abuse in them
/// reads as reported (one pass over the tokens).
fn reporting_sentences(ctx: &Ctx<'_>) -> PerSentence<bool> {
    let a = ctx.text;
    let mut out = PerSentence::new(a.sentences.len());
    for (i, t) in a.tokens.iter().enumerate() {
        if REPORTING.contains(&t.norm.as_str())
            && let Some(s) = a.sentence_of.get(i).and_then(|&s| out.get_mut(s as usize))
        {
            *s = true;
        }
    }
    out
}

/// True when token `first` is quoted in a reporting sentence. The
/// reporting sentences (a pass over the post) are found on first need:
/// most posts quote nothing.
fn reported_in_quotes(ctx: &Ctx<'_>, reporting: &OnceCell<PerSentence<bool>>, first: usize) -> bool {
    let a = ctx.text;
    a.quoted.get(first).copied().unwrap_or(false)
        && a.sentence_of.get(first).is_some_and(|&s| {
            reporting
                .get_or_init(|| reporting_sentences(ctx))
                .get(s as usize)
                .copied()
                .unwrap_or(false)
        })
}

fn profanity_diag(ctx: &Ctx<'_>, span: Span, word: &str) -> Diagnostic {
    let src = ctx.src();
    let start = src[..span.start].trim_end_matches(' ').len();
    let start = if start == 0 { span.start } else { start };
    Diagnostic::at(span, "profanity in a public post")
        .with_fix(Fix::delete(Span::new(start, span.end), Applicability::Unsafe))
        .with_help("say it without the swearing; readers judge the profession by it")
        .with_note(format!("profanity: {word}"))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    out.extend_from_slice(ctx.signals.disrespect(|| find(ctx)));
}

/// The rule's findings. They depend on the text alone (the rule has no
/// options), so `professionalism/negativity` reads them too, through
/// [`Signals::disrespect`](crate::signals::Signals::disrespect), and
/// they are found once per post.
pub(crate) fn find(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let a = ctx.text;
    let reporting = OnceCell::new();
    // Tokens already reported, so that a term is reported once.
    let mut taken = PerToken::new(a.tokens.len());

    for m in DEROGATORY.each(a) {
        if reported_in_quotes(ctx, &reporting, m.first) {
            continue;
        }
        if m.value.ambiguous {
            // A possessive is a name or a thing ("cow's milk", "Karen's shift").
            if a.tokens
                .get(m.end)
                .is_some_and(|t| !t.space_before && t.norm.starts_with('\''))
            {
                continue;
            }
            let prev = a.prev_word(m.first).map(|j| a.tokens[j].norm.as_str());
            let prev_profane = a.prev_word(m.first).is_some_and(|j| a.tokens[j].norm.contains('*'));
            if !prev.is_some_and(|p| PERSON_CUES.contains(&p)) && !prev_profane {
                continue;
            }
        }
        let t = &m.value.target;
        let message = if t.contains("patient") && t.contains("colleague") {
            "insult of a person in a public post"
        } else if t.contains("colleague") {
            "insult of a colleague in a public post"
        } else if t.starts_with("patient") && !t.contains("group") {
            "derogatory slang for a patient"
        } else {
            "derogatory term for a group of people"
        };
        taken[m.first..m.end].iter_mut().for_each(|t| *t = true);
        out.push(
            Diagnostic::at(m.span, message)
                .with_help("describe the situation, not the person; leave out the label")
                .with_note(format!("derogatory term: {}", m.phrase)),
        );
    }

    for m in PROFANITY.each(a) {
        if taken[m.first..m.end].iter().any(|&t| t) || reported_in_quotes(ctx, &reporting, m.first) {
            continue;
        }
        if MEDICAL_ALLOW.contains(m.phrase) {
            continue;
        }
        let obfuscated = (m.first..m.end).any(|j| a.tokens[j].obfuscated);
        if *m.value < 2 && MILD_AMBIGUOUS.contains(&m.phrase) && !obfuscated {
            continue;
        }
        taken[m.first..m.end].iter_mut().for_each(|t| *t = true);
        out.push(profanity_diag(ctx, m.span, m.phrase));
    }

    // Masked words the lexicon cannot match (`f***ing`, `sh*t`). A word's
    // `*` comes from a `*` or a `#` of the folded text (the tokenizer
    // writes a mask as `*`): a post with neither, most of them, has no
    // masked word, and its tokens are not searched one by one.
    let f = a.folded.text.as_str();
    let masks = f.contains('*') || f.contains('#');
    for (i, t) in a.tokens.iter().enumerate().take(if masks { usize::MAX } else { 0 }) {
        if t.kind != TokenKind::Word || !t.norm.contains('*') || taken[i] {
            continue;
        }
        if reported_in_quotes(ctx, &reporting, i) {
            continue;
        }
        if let Some((w, _)) = unmask(&t.norm) {
            out.push(profanity_diag(ctx, t.span, w));
        }
    }
    out.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    out
}

#[cfg(test)]
mod tests {
    use super::{RULE, masked_match};
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn contempt_for_another_practitioner() {
        assert!(
            Test::new(
                "Saw a lady whose last surgeon butchered her knee. Some people shouldn't be allowed near a scalpel."
            )
            .fires(&RULE)
        );
        assert!(Test::new("Another crown from a cowboy dentist to redo today.").fires(&RULE));
        assert!(
            !Test::new("Kids shouldn't be allowed near fireworks without an adult. Burns clinic is busy enough.")
                .fires(&RULE)
        );
        assert!(
            !Test::new("I absolutely butchered my sourdough this weekend, back to the ward for a rest.").fires(&RULE)
        );
    }

    #[test]
    fn fires_on_clinical_slang() {
        assert_spans(
            &RULE,
            "Our favourite frequent flyer is back in bay 2 🙄",
            &["frequent flyer"],
        );
        assert_spans(&RULE, "Six GOMERs waiting for beds", &["GOMERs"]);
        assert_spans(
            &RULE,
            "Another f***ing drug seeker in room 9 claiming 10/10 pain",
            &["f***ing", "drug seeker"],
        );
    }

    #[test]
    fn fires_on_insults_of_colleagues_and_groups() {
        assert_spans(
            &RULE,
            "The ortho reg is a total f***ing muppet. FOUR hours.",
            &["f***ing", "muppet"],
        );
        assert_spans(
            &RULE,
            "These illiterate village people never follow instructions",
            &["illiterate village people"],
        );
        assert_spans(&RULE, "Night shift with a bunch of lazy nurses again", &["lazy nurses"]);
    }

    #[test]
    fn fires_on_obfuscated_profanity() {
        assert_spans(&RULE, "What a sh*t show of a rota", &["sh*t"]);
        assert_spans(&RULE, "this rota is f u c k i n g ridiculous", &["f u c k i n g"]);
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Our frequent attender service has cut repeat ED visits by a third",
        );
        assert_silent(
            &RULE,
            "Anal fissures are common after childbirth; speak to your GP or midwife",
        );
        assert_silent(&RULE, "Bloody diarrhoea for more than a day needs a call to 111");
        assert_silent(&RULE, "The hospital clown visited the children's ward today");
        assert_silent(
            &RULE,
            "Honestly exhausted. Four hours to get one X-ray reported. We need more radiographers.",
        );
        assert_silent(&RULE, "Scunthorpe General is hiring nurses");
        assert_silent(&RULE, "Calling people 'frequent flyers' is how stigma starts");
        assert_silent(&RULE, "A patient called me a 'useless nurse' today. Still smiled.");
        assert_silent(&RULE, "Adalat Retard dosing has changed, check the BNF");
        assert_silent(&RULE, "***");
        assert_silent(&RULE, "");
    }

    #[test]
    fn masking() {
        assert!(masked_match("f***ing", "fucking"));
        assert!(masked_match("sh*t", "shit"));
        assert!(masked_match("f**k", "fuck"));
        assert!(!masked_match("sh*t", "shoot"));
    }

    #[test]
    fn fix_deletes_profanity() {
        assert_eq!(Test::new("What a sh*t rota").fixed(&RULE), "What a rota");
    }
    #[test]
    fn plurals_obfuscations_and_contempt_cues() {
        for text in [
            "The surgical registrars at this place are a bunch of arrogant pr1cks.",
            "Bed manager is an absolute cow. Sent us home then rang at 2am.",
            "Sick of these entitled Karens demanding antibiotics for a cold.",
            "Got absolutely sh!tfaced after the Christmas do",
            "That f*cking rota again",
            "She's a right b1tch to the students",
            "Honestly the wankers in management never listen",
        ] {
            assert!(Test::new(text).fires(&RULE), "{text}");
        }
    }

    #[test]
    fn innocent_senses_stay_silent() {
        for text in [
            "Cow's milk protein allergy is common in babies; ask your health visitor.",
            "Karen from pharmacy sorted the discharge meds in record time, thank you!",
            "A urine dipstick alone can't diagnose a UTI in older adults.",
            "We saw cows and sheep on the farm visit with the children's ward.",
            "Our git repo for the audit tool is now public.",
        ] {
            assert_silent(&RULE, text);
        }
    }
}

#[cfg(test)]
mod phrase_plural_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn plural_phrases_and_sedation_wishes() {
        assert!(Test::new("Two old codgers arguing over the telly in the day room again").fires(&RULE));
        assert!(Test::new("Honestly some of these old biddies are hard work").fires(&RULE));
        assert!(Test::new("Half the bay should just be sedated tonight").fires(&RULE));
        assert!(!Test::new("The patient should be sedated before the procedure.").fires(&RULE));
        assert!(!Test::new("Happy 90th to Aunt Biddy, our longest-serving volunteer!").fires(&RULE));
    }
}
