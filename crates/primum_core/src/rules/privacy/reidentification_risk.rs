//! `privacy/reidentification-risk`: details that together make a patient
//! recognisable.

use std::sync::LazyLock;

use primum_text::{Lexicon, Span};

use crate::declare_rule;
use crate::finding::Severity;
use crate::phi::pattern::Pattern;
use crate::rule::{Ctx, Diagnostic};
use crate::signals::PlaceKind;

declare_rule! {
    /// ## What it checks
    ///
    /// In a post that tells one patient's story (the shared patient
    /// signal of `privacy/patient-case`), collects the quasi-identifiers:
    /// details that are harmless alone but together point at one person.
    /// Each category found adds its weight `w`:
    ///
    /// | category | examples | w |
    /// |---|---|---|
    /// | rare condition | Takayasu arteritis, Wilson's disease | 0.35 |
    /// | occupation | barista, primary school principal, lighthouse keeper | 0.30 |
    /// | notable event | regatta, came in by lifeboat, house fire, in the hospital car park | 0.30 |
    /// | uniqueness | the only, youngest-ever, whole town, years of trying, first baby born | 0.30 |
    /// | place | a town, suburb, district, island, street, named hospital | 0.25 |
    /// | age | 45-year-old, 23F, in her eighties, ", 46,", "mum was 19," | 0.20 |
    /// | time | Boxing Day, Saturday's, a date, yesterday | 0.10 |
    /// | relationship | daughter, neighbour | 0.05 |
    /// | sex | she, gentleman, 23F | 0.05 |
    ///
    /// The score is `1 - Π(1 - w)` over the categories found (each counts
    /// once): the chance that at least one detail gives the person away.
    /// A post with no patient story scores 0. Time, relationship and sex
    /// narrow the population only a little: they add to the score but
    /// never make a finding on their own, so a finding needs at least two
    /// of the weightier categories (w >= 0.2) — a place with a time ("in
    /// Inverness yesterday") is not yet a recognisable person, a place
    /// with an occupation or an age is. The finding spans the
    /// details, from the first to the last, and its notes give the score
    /// and each detail; it is an error at or above `threshold` and a
    /// warning from `min_score`.
    ///
    /// ## Why
    ///
    /// "Protect the privacy of patients; what you say may be taken out of
    /// context and spread." Several harmless-looking details together can
    /// let a patient or someone close to them recognise the case: GMC
    /// *Using social media as a medical professional* ¶19
    /// (`uk-gmc-sm2024-19`). HIPAA Safe Harbor also requires that the
    /// author have no actual knowledge that what remains could identify
    /// the person alone or in combination (`us-hipaa-164.514(b)(2)(ii)`),
    /// and lists "any other unique identifying characteristic"
    /// (`us-hipaa-164.514(b)(2)(i)(R)`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Only the 2nd case of Wilson's disease I've seen: 23F, barista from Thornbury Heath, came in on Boxing Day.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Wilson's disease is rare but treatable: think of it in a young adult with unexplained liver disease.
    /// ```
    ///
    /// ## Fix
    ///
    /// Drop the details that single the person out, starting with the
    /// heaviest (the help names them): the rare condition, the occupation,
    /// the event, the place. Better still, teach the point without the case.
    ///
    /// ## Options
    ///
    /// - `threshold` (number, default 0.6): the score at or above which
    ///   the finding is an error.
    /// - `min_score` (number, default 0.35): the lowest score reported
    ///   (as a warning below `threshold`).
    pub static RULE = {
        id: "privacy/reidentification-risk",
        fix: Never,
        options: [
            ("threshold", Float(0.6), "the score (0 to 1) at or above which the finding is an error"),
            ("min_score", Float(0.35), "the lowest score reported, as a warning below the threshold"),
        ],
        check: check,
    }
}

/// A category of quasi-identifier and its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Category {
    RareCondition,
    Occupation,
    Event,
    Unique,
    Place,
    Age,
    Time,
    Relationship,
    Sex,
}

impl Category {
    fn weight(self) -> f64 {
        match self {
            Category::RareCondition => 0.35,
            Category::Occupation | Category::Event | Category::Unique => 0.30,
            Category::Place => 0.25,
            Category::Age => 0.20,
            Category::Time => 0.10,
            Category::Relationship | Category::Sex => 0.05,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Category::RareCondition => "rare condition",
            Category::Occupation => "occupation",
            Category::Event => "notable event",
            Category::Unique => "uniqueness",
            Category::Place => "place",
            Category::Age => "age",
            Category::Time => "time",
            Category::Relationship => "relationship",
            Category::Sex => "sex",
        }
    }

    fn parse(s: &str) -> Option<Category> {
        Some(match s {
            "event" => Category::Event,
            "unique" => Category::Unique,
            "relationship" => Category::Relationship,
            "place" => Category::Place,
            "time" => Category::Time,
            "sex" => Category::Sex,
            _ => return None,
        })
    }
}

/// The weight from which a category singles a person out on its own
/// (rare condition, occupation, event, uniqueness, place, age).
const SINGLING_OUT: f64 = 0.2;

static QUASI: LazyLock<Lexicon<Category>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("quasi_identifiers.csv")
            .into_iter()
            .filter_map(|r| Some((r.first()?.clone(), Category::parse(r.get(1)?.trim())?))),
    )
});

static RARE: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("rare_conditions.csv")
            .into_iter()
            .filter_map(|r| Some((r.first()?.clone(), ()))),
    )
});

static AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        \b\d{1,3}\s?-?\s?(?:years?|yrs?|yr|months?)\s?-?\s?olds?\b
        | \b\d{1,3}\s?(?:yo|y/o|y\.o\.?)(?:\b|\s|$)
        | (?:^|[\s(,:;])\d{1,3}\s?[MF](?:[\s,.;:)]|$)
        | (?i:\bin\s(?:his|her|their)\s(?:early\s|mid\s|mid-|late\s)?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[1-9]0s)\b)
        | (?i:\baged\s\d{1,3}\b)
        | (?i:\b(?:mum|mom|dad|she|he|patient|pt|lady|man|woman|girl|boy|mother|father)\s(?:was|is|turned)\s(?:only\s|just\s)?\d{1,3}(?:[,.;!)]|\s(?:and|but|with|when)\b|$))
        | [A-Za-z'’]+,\s\d{1,3},",
    )
});

static DATE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
    )
    .needs_digit()
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.signals.patient().is_case() {
        return;
    }
    let a = ctx.text;
    let mut found: Vec<(Category, Span)> = Vec::new();
    for m in QUASI.each(a) {
        found.push((*m.value, m.span));
    }
    for m in RARE.each(a) {
        found.push((Category::RareCondition, m.span));
    }
    for m in ctx.signals.occupations() {
        found.push((Category::Occupation, m.span));
    }
    for m in &mut AGE.find_iter(ctx.signals.haystack()) {
        let s = m.as_str();
        let trimmed = s.trim_start_matches(|c: char| !c.is_alphanumeric());
        let start = m.end() - trimmed.len();
        found.push((Category::Age, Span::new(start, m.end())));
    }
    for m in &mut DATE.find_iter(ctx.signals.haystack()) {
        found.push((Category::Time, Span::new(m.start(), m.end())));
    }
    // The places are one category: they can make the two that single a
    // person out only beside another. Without one, the post is below the
    // minimum whatever the places, and they are not searched for (a cost
    // of several patterns over the text).
    if found.iter().any(|(c, _)| c.weight() >= SINGLING_OUT) {
        for p in ctx.signals.places() {
            if matches!(p.kind, PlaceKind::Locality | PlaceKind::Street | PlaceKind::Institution) {
                found.push((Category::Place, p.span));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    found.sort_by_key(|(c, s)| (*c, s.start));
    let mut cats: Vec<(Category, Vec<Span>)> = Vec::new();
    for (c, s) in &found {
        match cats.last_mut() {
            Some((lc, spans)) if lc == c => spans.push(*s),
            _ => cats.push((*c, vec![*s])),
        }
    }
    // One singling-out detail, however many amplifiers go with it, does
    // not yet make a person recognisable.
    if cats.iter().filter(|(c, _)| c.weight() >= SINGLING_OUT).count() < 2 {
        return;
    }
    let score = 1.0 - cats.iter().map(|(c, _)| 1.0 - c.weight()).product::<f64>();
    let min_score = ctx.opt_f64("min_score");
    let threshold = ctx.opt_f64("threshold");
    if score < min_score {
        return;
    }
    let span = found
        .iter()
        .map(|(_, s)| *s)
        .reduce(Span::cover)
        .unwrap_or(Span::new(0, 0));
    let severity = if score >= threshold {
        Severity::Error
    } else {
        Severity::Warning
    };
    let details: Vec<String> = cats
        .iter()
        .map(|(c, spans)| {
            let words: Vec<&str> = spans.iter().map(|s| a.slice(*s)).collect();
            format!("{} ({})", c.name(), words.join(", "))
        })
        .collect();
    let heaviest: Vec<&str> = cats.iter().take(3).map(|(c, _)| c.name()).collect();
    out.push(
        Diagnostic::at(
            span,
            format!("details that together could identify the patient (score {score:.2})"),
        )
        .with_severity(severity)
        .with_note(format!("score {score:.2}: 1 - Π(1 - w) over {} categories", cats.len()))
        .with_note(format!("details found: {}", details.join("; ")))
        .with_help(format!(
            "drop the details that single the person out, starting with: {}",
            heaviest.join(", ")
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::finding::Severity;
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn age_sex_shorthand_with_a_sporting_role() {
        assert!(
            Test::new("Memorable case this week: 29M, Premiership striker, broken leg in Sunday's cup final.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Sports injuries in goalkeepers and strikers: what the evidence says.",
        );
    }

    #[test]
    fn fires_on_recognisable_stories() {
        assert_spans(
            &RULE,
            "Only the 2nd case of Wilson's disease I've seen in my career: 23F, barista from Thornbury Heath, came in on Boxing Day yellow and confused.",
            &["Wilson's disease I've seen in my career: 23F, barista from Thornbury Heath, came in on Boxing Day"],
        );
        let t = Test::new(
            "What a week at the clinic. Delivered a healthy baby girl for our local primary school principal, 46, first bub after years of trying. Whole town's been dropping off casseroles.",
        );
        let f = t.run(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
    }

    #[test]
    fn new_kinds_of_detail() {
        assert!(Test::new("Looked after a 71-year-old retired vicar from Little Hadley today, brought in by air ambulance after a fall at the village fete.").fires(&RULE));
        assert!(
            Test::new("Saw a 34M in clinic yesterday with porphyria, the only fisherman on the island.").fires(&RULE)
        );
    }

    #[test]
    fn few_details_are_below_the_minimum() {
        assert_silent(&RULE, "Man came in with a TV remote stuck where the sun don't shine.");
        assert_silent(
            &RULE,
            "My patient told me today that her new dentures saved her marriage.",
        );
    }

    #[test]
    fn one_singling_out_detail_is_not_enough() {
        // A place, a time and a pronoun: amplifiers around one detail.
        assert_silent(
            &RULE,
            "Celebrating a remarkable lady who walked out of our rehab unit in Inverness yesterday on her own two feet.",
        );
        assert_silent(
            &RULE,
            "Shout out to the family at 22 Larch Lane who had the porch light on when we got there for grandpa last night. He's doing fine",
        );
        // Two singling-out details (an occupation and a place) do.
        assert!(
            Test::new("A privilege to care for the head chef of our town's only restaurant after his stroke. He's planning the new menu from his hospital bed.")
                .fires(&RULE)
        );
        assert!(
            Test::new("The Year 12 captain from Westbrook High who collapsed at Friday's swimming carnival is stable in our PICU.")
                .fires(&RULE)
        );
    }

    #[test]
    fn no_story_no_score() {
        assert_silent(
            &RULE,
            "Wilson's disease is rare: think of it in a young adult with unexplained liver disease.",
        );
        assert_silent(
            &RULE,
            "Congratulations to our practice manager, the only person who understands the rota, on 20 years!",
        );
        assert_silent(&RULE, "");
    }

    #[test]
    fn options_move_the_bands() {
        let text = "Saw a 34M in clinic yesterday with porphyria, the only fisherman on the island.";
        let t = Test::new(text).option(&RULE, "threshold", OptValue::Float(0.99));
        assert_eq!(t.run(&RULE)[0].severity, Severity::Warning);
        let t = Test::new(text).option(&RULE, "min_score", OptValue::Float(0.999));
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn first_baby_of_the_year() {
        assert!(
            Test::new(
                "Delivered the first baby born in Tamworth this year, on New Year's Day! Mum and bub doing well."
            )
            .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Did you know the first baby born through IVF arrived in 1978? Science is amazing.",
        );
    }

    #[test]
    fn stated_ages_and_car_park_births() {
        assert!(
            Test::new("Delivered a baby in the hospital car park at 3am! Mum was 17, a first-timer from Ōtara.")
                .fires(&RULE)
        );
        assert!(!Test::new("Delivered a baby in the hospital car park at 3am! Mum and baby are well.").fires(&RULE));
        assert!(!Test::new("Parking in the hospital car park is free again from Monday.").fires(&RULE));
    }
}
