//! `integrity/absolute-claim`: absolute or miracle health claims.

use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::integrity::health_misinformation::{MAX_CLAIMS, cues, framed_as_not_asserted};

declare_rule! {
    /// ## What it checks
    ///
    /// Finds absolute or miracle health claims from the
    /// `integrity/absolute-claim` rows of `claims.csv`: miracles ("miracle
    /// cure", "wonder drug"), cures ("natural cure", "cure-all"), detoxes
    /// ("flush out toxins"), immunity boosting ("boost your immunity") and
    /// absolute safety ("100% safe", "never causes side effects"), and
    /// speed promises after a healing verb ("dissolves kidney stones in 3
    /// days"). Words that are ordinary medicine on their own ("cure",
    /// "cured", "miracle", "in 3 days") count only with a second sign of an
    /// absolute claim in the same sentence ("a natural, instant cure"), a
    /// list of things cured ("cures anxiety, insomnia and migraines") or
    /// wording that makes it the only answer ("nothing else comes close",
    /// "this one simple trick"). "Kills the virus" and "no side effects"
    /// are true of ordinary things (soap, most vaccines) and are weak too;
    /// in a chain message ("forwarded as received", "share before it's
    /// deleted") every claim is asserted, so weak ones count and a
    /// reporting frame ("doctors have found that") does not excuse them.
    /// A drink called a shot ("haldi shot") is not a vaccine. It
    /// stays silent when the claim is negated ("there's no miracle cure for
    /// the common cold"), including when it opens a noun phrase whose verb
    /// is negated ("Detox teas don't detox anything"), debunked or reported, and on clinical uses ("cure
    /// rates", "alcohol detox", "the flu jab boosts your immunity").
    ///
    /// ## Why
    ///
    /// "Maintain integrity and share truthful, accurate information." An
    /// absolute claim cannot be true of any treatment and raises
    /// expectations no clinician can meet. Advertising must not create an
    /// unreasonable expectation of beneficial treatment (National Law
    /// s133(1)(a) and (d), `au-natlaw-133(1)(d)`); the GMC asks for claims
    /// readers can verify (GMC 2024, `uk-gmc-sm2024`; GMP 2013 ¶70 as quoted
    /// in the 2013 guidance); the FTC treats implied health claims as claims.
    ///
    /// ## Example
    ///
    /// ```text
    /// My miracle 7-day green juice detox to flush out toxins and boost your immunity before winter 🍋🥬
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// My favourite green juice recipe for winter 🍋🥬 Tasty, and a good way to get more veg in.
    /// ```
    ///
    /// ## Fix
    ///
    /// Say what the evidence supports, with its limits ("can help", "for
    /// most people", "reduces the risk"), or drop the claim. No automatic
    /// fix: only the author knows what the evidence supports.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "integrity/absolute-claim",
        fix: Never,
        options: [],
        check: check,
    }
}

/// How a phrase of `claims.csv` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// An absolute claim on its own.
    Strong,
    /// Ordinary words that count only beside another sign of a claim.
    Weak,
}

#[derive(Debug, Clone)]
struct Claim {
    kind: String,
    strength: Strength,
}

static CLAIMS: LazyLock<Lexicon<Claim>> = LazyLock::new(|| {
    let rows = crate::lexicon_rows!("claims.csv");
    Lexicon::new(
        rows.into_iter()
            .filter(|r| r.get(1).is_some_and(|x| x.trim() == "integrity/absolute-claim"))
            .filter_map(|r| {
                let phrase = r.first()?.trim().to_string();
                let kind = r.get(2).map_or("", |k| k.trim()).to_string();
                let single = !phrase.contains([' ', '-']);
                // "Soap kills the virus" and "most people have no side
                // effects" are true of ordinary things: they need a second
                // sign of an absolute claim.
                let weak = matches!(kind.as_str(), "speed" | "success_rate")
                    || (single && matches!(kind.as_str(), "cure" | "miracle" | "natural"))
                    || phrase == "cure for"
                    || phrase.starts_with("kill")
                    || (kind == "absolute_safety" && phrase.ends_with("side effects") && !phrase.starts_with("never"));
                let strength = if weak { Strength::Weak } else { Strength::Strong };
                Some((phrase, Claim { kind, strength }))
            }),
    )
});

/// Words that make a weak claim absolute when they share its sentence.
const AMPLIFIERS: &[&str] = &[
    "natural",
    "naturally",
    "miracle",
    "miraculous",
    "secret",
    "hidden",
    "hiding",
    "instantly",
    "instant",
    "permanently",
    "overnight",
    "forever",
    "guaranteed",
    "herbal",
    "ancient",
    "everything",
    "anything",
    "all",
    "every",
    "totally",
    "completely",
    "100",
    "toxins",
    "detox",
];

/// Verbs of healing that make a speed phrase ("in 3 days") a promise.
const HEALING_VERBS: &[&str] = &[
    "cure",
    "cures",
    "cured",
    "heal",
    "heals",
    "healed",
    "dissolve",
    "dissolves",
    "dissolved",
    "reverse",
    "reverses",
    "reversed",
    "eliminate",
    "eliminates",
    "melt",
    "melts",
    "flush",
    "flushes",
    "shrink",
    "shrinks",
    "clear",
    "clears",
    "fix",
    "fixes",
    "remove",
    "removes",
    "kill",
    "kills",
    "banish",
    "banishes",
];

/// Words after "cure" that make it a statistic or a noun of medicine, not
/// a claim ("cure rates are high").
const CURE_NOUNS: &[&str] = &["rate", "rates", "rated", "time", "times", "intent", "intention"];

/// Context in which "detox" is a clinical service (alcohol or drug
/// withdrawal), not a wellness claim.
const CLINICAL_DETOX: &[&str] = &[
    "alcohol",
    "drug",
    "drugs",
    "opioid",
    "opiate",
    "opiates",
    "heroin",
    "benzodiazepine",
    "benzo",
    "medical",
    "medically",
    "inpatient",
    "outpatient",
    "unit",
    "ward",
    "service",
    "services",
    "clinic",
    "supervised",
    "withdrawal",
    "programme",
    "program",
    "rehab",
    "dependence",
    "addiction",
];

/// Words that make "boost immunity" a statement about vaccination, which
/// does exactly that.
const VACCINE_WORDS: &[&str] = &[
    "vaccine",
    "vaccines",
    "vaccination",
    "vaccinations",
    "jab",
    "jabs",
    "booster",
    "boosters",
    "immunisation",
    "immunization",
    "immunisations",
    "immunizations",
    "shot",
    "shots",
];

/// Words before "shot" that make it a drink, not a vaccine ("haldi shot",
/// "ginger shots").
const DRINK_SHOTS: &[&str] = &[
    "haldi",
    "turmeric",
    "ginger",
    "wheatgrass",
    "juice",
    "lemon",
    "vinegar",
    "acv",
    "wellness",
    "garlic",
    "amla",
    "tulsi",
    "neem",
    "espresso",
    "tequila",
    "vodka",
    "detox",
    "herbal",
    "health",
    "immunity",
    "immune",
    "morning",
];

/// True when the sentence of token `i` is about vaccination: a vaccine
/// word, but not a drink called a shot ("haldi shot every morning").
fn vaccine_context(a: &Analysis<'_>, i: usize) -> bool {
    let s = a.sentence_of[i] as usize;
    a.sentences.get(s).is_some_and(|x| {
        x.tokens.clone().any(|j| {
            let w = a.tokens[j].norm.as_str();
            VACCINE_WORDS.contains(&w)
                && !(matches!(w, "shot" | "shots")
                    && a.prev_word(j)
                        .is_some_and(|p| DRINK_SHOTS.contains(&a.tokens[p].norm.as_str())))
        })
    })
}

fn near(a: &Analysis<'_>, i: usize, n: usize, words: &[&str]) -> bool {
    a.window(i, n).any(|j| words.contains(&a.tokens[j].norm.as_str()))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let found = CLAIMS.find_all(a);
    if found.is_empty() {
        return;
    }
    let hits = cues(a);
    // A chain message asserts what it passes on, whatever its framing.
    let rumour = crate::rules::engagement::unverified_source::passes_on_rumour(a);
    // Sentences holding a strong claim lend weight to weak words there.
    let strong_sentences: Vec<u32> = found
        .iter()
        .filter(|m| m.value.strength == Strength::Strong)
        .map(|m| a.sentence_of[m.first])
        .collect();
    let mut last: Option<Span> = None;
    for m in found.iter().take(MAX_CLAIMS) {
        let claim = m.value;
        if a.negated[m.first] || (!rumour && framed_as_not_asserted(a, &hits, m.first, m.end)) {
            continue;
        }
        let mut span = m.span;
        match claim.kind.as_str() {
            "detox" if near(a, m.first, 3, CLINICAL_DETOX) => continue,
            "immunity" if vaccine_context(a, m.first) => continue,
            "cure"
                if a.next_word(m.end - 1)
                    .is_some_and(|j| CURE_NOUNS.contains(&a.tokens[j].norm.as_str())) =>
            {
                continue;
            }
            _ => {}
        }
        if claim.strength == Strength::Weak {
            let s = a.sentence_of[m.first];
            if claim.kind == "speed" {
                // "dissolves kidney stones in 3 days": a healing verb up to
                // five words before.
                let verb = (0..m.first)
                    .rev()
                    .take_while(|&j| a.sentence_of[j] == s)
                    .filter(|&j| a.tokens[j].is_wordlike())
                    .take(5)
                    .find(|&j| HEALING_VERBS.contains(&a.tokens[j].norm.as_str()));
                match verb {
                    Some(v) if !a.negated[v] => span = a.tokens[v].span.cover(m.span),
                    _ => continue,
                }
            } else {
                let amplified = a.sentences.get(s as usize).is_some_and(|x| {
                    x.tokens
                        .clone()
                        .filter(|&j| j < m.first || j >= m.end)
                        .any(|j| AMPLIFIERS.contains(&a.tokens[j].norm.as_str()))
                });
                if !amplified
                    && !rumour
                    && !strong_sentences.contains(&s)
                    && !cure_all(a, m.first, m.end)
                    && !exclusive(a)
                {
                    continue;
                }
            }
        }
        if let Some(l) = last
            && l.overlaps(span)
        {
            // One finding for one claim ("dissolves kidney stones" and
            // "in 3 days" around it).
            if let Some(d) = out.last_mut() {
                d.span = Some(l.cover(span));
            }
            last = Some(l.cover(span));
            continue;
        }
        last = Some(span);
        out.push(
            Diagnostic::at(span, format!("{} claim", describe(&claim.kind)))
                .with_help("say what the evidence supports, with its limits (\"can help\", \"for most people\"), or drop the claim")
                .with_note(format!("\"{}\" promises more than any treatment can", a.slice(span))),
        );
    }
}

/// "cures anxiety, insomnia and migraines": a present-tense cure verb
/// followed in its sentence by a list of three or more things.
fn cure_all(a: &Analysis<'_>, first: usize, end: usize) -> bool {
    if !matches!(a.tokens[first].norm.as_str(), "cure" | "cures") {
        return false;
    }
    let s = a.sentence_of[first];
    let (mut commas, mut joined) = (0, false);
    for t in a.tokens[end..].iter().take(14) {
        match t.norm.as_str() {
            "," => commas += 1,
            "and" | "&" | "or" if commas > 0 => joined = true,
            "." | "!" | "?" | ";" | ":" => break,
            _ => {}
        }
    }
    a.sentence_of.get(end).is_none_or(|&x| x == s) && (commas >= 2 || commas >= 1 && joined)
}

/// "Nothing else comes close", "this one simple trick": wording that
/// makes a remedy the only answer.
fn exclusive(a: &Analysis<'_>) -> bool {
    a.tokens.windows(2).any(|w| {
        matches!(
            (w[0].norm.as_str(), w[1].norm.as_str()),
            ("nothing", "else") | ("simple" | "weird" | "one", "trick") | ("only", "cure")
        )
    })
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "miracle" => "miracle",
        "cure" => "cure-all",
        "detox" => "detox",
        "immunity" => "immunity-boosting",
        "absolute_safety" => "absolute safety",
        "natural" => "all-natural",
        "speed" => "instant-result",
        _ => "absolute health",
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fat_melting_claims() {
        let d = Test::new("This green coffee extract melts belly fat with zero side effects.").run(&RULE);
        assert!(!d.is_empty());
        assert_silent(&RULE, "No supplement melts belly fat, whatever the adverts say.");
        assert_silent(
            &RULE,
            "Most people get zero side effects from the flu jab, a sore arm at worst.",
        );
    }

    #[test]
    fn fires_on_absolute_claims() {
        assert_spans(
            &RULE,
            "My miracle 7-day green juice detox to flush out toxins and boost your immunity before winter 🍋🥬",
            &["miracle", "detox", "flush out toxins", "boost your immunity"],
        );
        assert_spans(&RULE, "Vaccines are 100% safe. Full stop.", &["100% safe"]);
        assert_spans(
            &RULE,
            "This tea never causes side effects",
            &["never causes side effects"],
        );
        assert_spans(
            &RULE,
            "Big Pharma is hiding a natural cure for type 2 diabetes.",
            &["natural cure"],
        );
        assert_spans(
            &RULE,
            "baking soda dissolves kidney stones in 3 days",
            &["dissolves kidney stones in 3 days"],
        );
        assert_spans(
            &RULE,
            "Turmeric is the secret cure they never told you about",
            &["secret cure"],
        );
    }

    #[test]
    fn obfuscation_and_case() {
        assert_spans(&RULE, "MIRACLE CURE for back pain!!!", &["MIRACLE CURE"]);
        assert_spans(&RULE, "D-E-T-O-X tea to cleanse your liver", &["cleanse your liver"]);
    }

    #[test]
    fn silent_when_negated_or_debunked() {
        assert_silent(&RULE, "There's no miracle cure for the common cold, sorry.");
        assert_silent(
            &RULE,
            "No vaccine is 100% safe, but the risks are tiny next to measles.",
        );
        assert_silent(
            &RULE,
            "Detox teas are a myth: your liver and kidneys already do that job.",
        );
        assert_silent(&RULE, "Don't fall for 'miracle cure' adverts on your feed.");
    }

    #[test]
    fn silent_on_ordinary_medicine() {
        assert_silent(
            &RULE,
            "Cure rates for testicular cancer are high when it's caught early.",
        );
        assert_silent(&RULE, "Hepatitis C can now be cured with 8 to 12 weeks of tablets.");
        assert_silent(&RULE, "Proud of our alcohol detox unit team this year.");
        assert_silent(&RULE, "The flu jab boosts your immunity before winter. Book today.");
        assert_silent(&RULE, "It's a miracle she made it home by Friday, what a woman.");
        assert_silent(&RULE, "Results in 3 days from the lab, we'll call you.");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "🍋🥬");
    }

    #[test]
    fn cure_alls_and_exclusive_remedies() {
        assert!(
            Test::new("Magnesium glycinate cures anxiety, insomnia AND migraines. Nothing else comes close.")
                .fires(&RULE)
        );
        assert!(Test::new("Sea moss cures eczema, acne and joint pain.").fires(&RULE));
        assert!(Test::new("This one simple trick cures bloating.").fires(&RULE));
        assert_silent(&RULE, "Antibiotics cured her pneumonia and she went home on Friday.");
        assert_silent(&RULE, "Hep C treatment now cures most people within 12 weeks.");
    }

    #[test]
    fn drink_shots_side_effects_and_chain_messages() {
        assert!(Test::new("Ginger shot before breakfast boosts immunity, every single day!").fires(&RULE));
        assert!(Test::new("A herbal tonic with zero side effects, naturally!").fires(&RULE));
        assert!(
            Test::new("FORWARDED AS RECEIVED: scientists found that gargling salt water kills the virus. Share before it's deleted!")
                .fires(&RULE)
        );
        assert_silent(&RULE, "Washing your hands with soap kills the virus.");
        assert_silent(&RULE, "Most people have no side effects from the flu jab.");
        assert_silent(&RULE, "The flu shot boosts immunity before winter, book yours.");
    }

    #[test]
    fn debunking_subject_and_reversal_claims() {
        // The claim opens a noun phrase whose verb is negated: a debunking.
        assert_silent(&RULE, "Detox teas don't detox anything. Your liver does that job.");
        assert_silent(
            &RULE,
            "Juice cleanses do not flush out toxins, whatever the label says.",
        );
        assert_silent(&RULE, "Miracle diets never last, sadly.");
        // A negation in a new clause does not excuse the claim.
        assert!(Test::new("My detox tea that doesn't taste awful flushes out toxins overnight!").fires(&RULE));
        assert!(Test::new("This turmeric tea cures arthritis naturally - no more pills ever!").fires(&RULE));
        // "reverses" + a serious disease is a cure claim.
        assert_spans(&RULE, "Alkaline water reverses cancer, trust me.", &["reverses cancer"]);
        assert!(Test::new("Fasting heals dementia. Start today.").fires(&RULE));
        assert_silent(&RULE, "Sadly nothing reverses dementia yet, but support helps.");
        assert_silent(
            &RULE,
            "Exercise won't reverse heart disease on its own, keep taking your statin.",
        );
    }
}
