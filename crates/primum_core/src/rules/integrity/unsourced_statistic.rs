//! `integrity/unsourced-statistic`: a health statistic with no source.

use std::sync::LazyLock;

use primum_text::{Analysis, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{TokenSet, Words};
use crate::rules::integrity::health_misinformation::{cue, cues};
use crate::signals::WordShapes;

declare_rule! {
    /// ## What it checks
    ///
    /// Finds a statistic or efficacy figure: a percentage ("80% of low back
    /// pain", "prevent about 60% of admissions", "100% success rate"), a
    /// proportion ("9 out of 10 strokes", "1 in 3 adults", "one in four"),
    /// or a relative risk ("three times more likely", "doubles your risk",
    /// "cuts your risk in half", "by a third"), or life gained or lost
    /// ("get back almost ten years of life expectancy", "adds 7 years to
    /// your life", "live 5 years longer"), or a share in words of a
    /// population ("half of all antibiotics", "a third of adults"), in digits or in words ("fifty
    /// per cent"), and fires when the
    /// post gives no source: no link, no citation ("(Smith 2020)", a doi),
    /// no named source ("a Cochrane review", "according to", "NICE",
    /// "WHO" in capitals; the `source` cues of `integrity_cues.csv`).
    /// Percentages that are prices or moods ("15% off", "100% agree") and
    /// figures that are not proportions ("43 people learned CPR", "12-hour
    /// shifts") do not count. One finding per figure.
    ///
    /// ## Why
    ///
    /// "Share accurate and up-to-date information." A number reads as fact;
    /// without its source a reader cannot check it or see how old it is.
    /// The GMC asks doctors to give context so readers can check their
    /// claims (GMC 2024, `uk-gmc-sm2024`); the NMC Code asks for
    /// evidence-based information (`uk-nmc-code-6`); Ahpra expects claims
    /// supported by acceptable evidence (`au-ahpra-sm2019-evidence`).
    ///
    /// ## Example
    ///
    /// ```text
    /// 9 out of 10 strokes are preventable. Know your numbers.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Up to 9 in 10 strokes are linked to risks we can change (INTERSTROKE study: https://doi.org/10.1016/S0140-6736(16)30506-2). Know your numbers.
    /// ```
    ///
    /// ## Fix
    ///
    /// Add the source: a link, or the study, guideline or organisation the
    /// figure comes from. No automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "integrity/unsourced-statistic",
        fix: Never,
        options: [],
        check: check,
    }
}

/// Number words that can make a proportion ("one in four").
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("thousand", 1000),
];

/// Words after "100%" that make it a claim of efficacy rather than an
/// intensifier ("100% agree").
const FULL_CLAIM: &[&str] = &[
    "of",
    "success",
    "effective",
    "efficacy",
    "survival",
    "cure",
    "accurate",
    "safe",
    "natural",
    "guaranteed",
    "results",
    "recovery",
    "effectiveness",
    "protection",
    "protective",
    "reliable",
];

/// Words after "N times" that make it a relative risk.
const COMPARATIVES: &[&str] = &["more", "less", "likelier", "higher", "lower", "greater", "as"];

/// Time units: "1 in 3 days" is not a proportion.
const TIME_UNITS: &[&str] = &[
    "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days", "week",
    "weeks", "month", "months", "year", "years",
];

/// The value of token `i`: a number ("1,000") or a number word ("four").
/// This runs for every token: it is kept small, with the rare thousands
/// comma handled out of line.
#[inline]
fn number_value(a: &Analysis<'_>, i: usize) -> Option<u32> {
    let t = &a.tokens[i];
    match t.kind {
        TokenKind::Number => parse_number(&t.norm),
        TokenKind::Word => number_word(&t.norm),
        _ => None,
    }
}

/// A number token's value, thousands commas dropped.
fn parse_number(s: &str) -> Option<u32> {
    if s.contains(',') {
        s.replace(',', "").parse().ok()
    } else {
        s.parse().ok()
    }
}

/// A number word's value ([`NUMBER_WORDS`]).
fn number_word(w: &str) -> Option<u32> {
    // Most words are not number words: only those that start as one of
    // them does (the first two letters) are looked up.
    let b = w.as_bytes();
    if b.len() < 3
        || !matches!(
            (b[0], b[1]),
            (b'o', b'n')
                | (b't', b'w' | b'h' | b'e')
                | (b'f', b'o' | b'i')
                | (b's', b'i' | b'e')
                | (b'e', b'i' | b'l')
                | (b'n', b'i')
                | (b'h', b'u')
        )
    {
        return None;
    }
    NUMBER_WORDS.iter().find(|(x, _)| *x == w).map(|&(_, v)| v)
}

/// Nouns of likelihood that a relative change is a figure about.
const RISK_NOUNS: &[&str] = &[
    "risk",
    "risks",
    "chance",
    "chances",
    "odds",
    "likelihood",
    "rate",
    "rates",
];

/// Verbs and phrases of relative change ("halves your risk", "cuts your
/// risk in half", "doubles the odds").
const MULTIPLIERS: &[&str] = &[
    "halves",
    "halve",
    "halved",
    "doubles",
    "double",
    "doubled",
    "triples",
    "triple",
    "tripled",
    "quadruples",
];

/// The shapes of [`MULTIPLIERS`]: every token is tested against the list,
/// and this rules out most of them with one table lookup.
static MULTIPLIER_SHAPES: LazyLock<WordShapes> = LazyLock::new(|| WordShapes::of(MULTIPLIERS.iter().copied()));

/// A relative change of a risk stated as a figure: "halves your risk",
/// "cuts your melanoma risk in half", "by a third".
fn relative_change_at(a: &Analysis<'_>, i: usize) -> Option<usize> {
    let w = a.tokens[i].norm.as_str();
    let risk_within = |from: usize, back: bool, n: usize| {
        let mut j = from;
        (0..n).any(|_| {
            let next = if back { a.prev_word(j) } else { a.next_word(j) };
            next.is_some_and(|k| {
                j = k;
                a.sentence_of[k] == a.sentence_of[i] && RISK_NOUNS.contains(&a.tokens[k].norm.as_str())
            })
        })
    };
    if MULTIPLIER_SHAPES.may_contain(w) && MULTIPLIERS.contains(&w) && risk_within(i, false, 4) {
        return Some(i);
    }
    // "in half", "by half", "by a third", "by two thirds".
    if matches!(w, "in" | "by") {
        let j = a.next_word(i)?;
        let k = match a.tokens[j].norm.as_str() {
            "half" => j,
            "a" | "one" | "two" => {
                let k = a.next_word(j)?;
                matches!(
                    a.tokens[k].norm.as_str(),
                    "third" | "thirds" | "quarter" | "quarters" | "fifth"
                )
                .then_some(k)?
            }
            _ => return None,
        };
        if risk_within(i, true, 4) {
            return Some(k);
        }
    }
    None
}

/// Words that may sit between a span of years and "life" in a figure of
/// life gained or lost ("ten years of life expectancy", "adds 7 years to
/// your life", "takes a decade off their life").
const LIFE_LINKS: &[&str] = &[
    "of", "to", "off", "your", "their", "his", "her", "a", "the", "healthy", "extra",
];

/// Life gained or lost as a figure, starting at the number at `i`: "get
/// back almost ten years of life expectancy", "adds 7 years to your
/// life", "live 5 years longer". Returns the last token index.
fn life_years_at(a: &Analysis<'_>, i: usize, value: Option<u32>) -> Option<usize> {
    value.filter(|&n| n > 0)?;
    let unit = a.next_word(i)?;
    if !matches!(
        a.tokens[unit].norm.as_str(),
        "year" | "years" | "yrs" | "decade" | "decades" | "month" | "months"
    ) {
        return None;
    }
    let mut k = unit;
    for _ in 0..4 {
        let j = a.next_word(k)?;
        if (k + 1..j).any(|x| a.tokens[x].kind == TokenKind::Punct) {
            return None;
        }
        match a.tokens[j].norm.as_str() {
            "life" | "lifespan" | "lives" => return Some(j),
            // "live 5 years longer": the verb before the number.
            "longer" if j == a.next_word(unit)? => {
                let lived = a.window(i, 3).any(|x| {
                    x < i
                        && matches!(
                            a.tokens[x].norm.as_str(),
                            "live" | "lives" | "living" | "survive" | "survival"
                        )
                });
                return lived.then_some(j);
            }
            w if LIFE_LINKS.contains(&w) => k = j,
            _ => return None,
        }
    }
    None
}

/// Groups of people or of care a share in words is a figure about ("half
/// of all antibiotics", "a third of adults").
const POPULATIONS: &[&str] = &[
    "all",
    "adults",
    "children",
    "kids",
    "people",
    "patients",
    "women",
    "men",
    "teens",
    "cases",
    "deaths",
    "antibiotics",
    "prescriptions",
    "cancers",
    "strokes",
    "admissions",
    "americans",
    "britons",
    "infections",
];

/// A share stated in words, starting at token `i`: "half of all
/// antibiotics", "a third of adults", "two thirds of patients". "Half of
/// my shift" is not a figure: the word after "of" must be a population.
fn share_in_words_at(a: &Analysis<'_>, i: usize) -> Option<usize> {
    let w = a.tokens[i].norm.as_str();
    let frac = match w {
        "half" => i,
        "a" | "one" | "two" | "three" => {
            let k = a.next_word(i)?;
            matches!(
                a.tokens[k].norm.as_str(),
                "third" | "thirds" | "quarter" | "quarters" | "fifth" | "fifths"
            )
            .then_some(k)?
        }
        _ => return None,
    };
    // "two" after "one and a half" etc. is not in scope; a share opens a clause.
    let of = a.next_word(frac)?;
    if a.tokens[of].norm != "of" {
        return None;
    }
    let pop = a.next_word(of)?;
    POPULATIONS.contains(&a.tokens[pop].norm.as_str()).then_some(pop)
}

/// The words that may open a figure besides a number (see
/// [`may_open_figure`]): "half", "a", "in", "by", the number words and the
/// multipliers, the first of them given.
fn figure_openers(first: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    first
        .iter()
        .copied()
        .chain(NUMBER_WORDS.iter().map(|&(w, _)| w))
        .chain(MULTIPLIERS.iter().copied())
}

/// The words that may open a figure, by the shape of a token's folded text
/// (see [`Words`]).
static FIGURE_OPENERS: LazyLock<Words> = LazyLock::new(|| Words::of(figure_openers(&["half", "a", "in", "by"])));

/// [`FIGURE_OPENERS`] but "a", "in" and "by".
static FIGURE_OPENERS_BUT_ARTICLES: LazyLock<Words> = LazyLock::new(|| Words::of(figure_openers(&["half"])));

/// The fractions after which "a", "in" or "by" open a figure (see
/// [`share_in_words_at`] and [`relative_change_at`]).
static FRACTIONS: Words = Words::new(&["half", "third", "thirds", "quarter", "quarters", "fifth", "fifths"]);

/// False when no figure can start at `t` (see [`figure_at`]): a figure
/// opens on a number, a number word, a multiplier, "half", "a", "in" or
/// "by". True when one may.
#[inline]
fn may_open_figure(t: &primum_text::Token) -> bool {
    if t.kind == TokenKind::Number {
        return true;
    }
    let w = t.norm.as_str();
    // The forms of `share_in_words_at` and `relative_change_at` whose
    // first word is neither a number word nor a multiplier.
    matches!(w, "half" | "a" | "in" | "by")
        || number_word(w).is_some()
        || (MULTIPLIER_SHAPES.may_contain(w) && MULTIPLIERS.contains(&w))
}

/// The figure starting at token `i`, as its last token index.
fn figure_at(a: &Analysis<'_>, i: usize) -> Option<usize> {
    if let Some(end) = share_in_words_at(a, i) {
        return Some(end);
    }
    if let Some(end) = relative_change_at(a, i) {
        return Some(end);
    }
    // The value of token `i`, read once for both uses below.
    let value = number_value(a, i);
    if let Some(end) = life_years_at(a, i, value) {
        return Some(end);
    }
    let t = &a.tokens[i];
    let n = value?;
    let next = a.tokens.get(i + 1)?;
    // "80%", "80 %", "80 percent", "80 per cent".
    let pct_end = if next.norm == "%" || next.norm == "percent" {
        Some(i + 1)
    } else if next.norm == "per" && a.tokens.get(i + 2).is_some_and(|x| x.norm == "cent") {
        Some(i + 2)
    } else {
        None
    };
    if let Some(end) = pct_end {
        // "fifty per cent", but not "one percent" of an idiom.
        if t.kind != TokenKind::Number && n < 10 {
            return None;
        }
        if n >= 100 {
            let after = a.next_word(end).map(|j| a.tokens[j].norm.as_str()).unwrap_or("");
            if !FULL_CLAIM.contains(&after) {
                return None;
            }
        }
        return Some(end);
    }
    // "9 out of 10", "1 in 3 adults".
    let (m_idx, joiner_ok) = match next.norm.as_str() {
        "out" if a.tokens.get(i + 2).is_some_and(|x| x.norm == "of") => (i + 3, true),
        "in" => (i + 2, true),
        _ => (0, false),
    };
    if joiner_ok && m_idx < a.tokens.len() {
        let m = number_value(a, m_idx)?;
        if n == 0 || m <= n || m > 100_000 {
            return None;
        }
        // Four-digit "in 2019" is a year, and "1 in 3 days" a rate of time.
        if a.tokens[m_idx].kind == TokenKind::Number && a.tokens[m_idx].norm.len() == 4 {
            return None;
        }
        if a.next_word(m_idx)
            .is_some_and(|j| TIME_UNITS.contains(&a.tokens[j].norm.as_str()))
        {
            return None;
        }
        return Some(m_idx);
    }
    // "3 times more likely", "four times as likely".
    if next.norm == "times"
        && n > 1
        && a.next_word(i + 1)
            .is_some_and(|j| COMPARATIVES.contains(&a.tokens[j].norm.as_str()))
    {
        return Some(i + 1);
    }
    None
}

/// "(Smith 2020)", "(Smith et al., 2019)": a capitalised word and a year
/// inside brackets.
fn has_citation(a: &Analysis<'_>) -> bool {
    let toks = &a.tokens;
    toks.iter().enumerate().filter(|(_, t)| t.norm == "(").any(|(i, _)| {
        let inner = toks[i + 1..].iter().take(6).take_while(|t| t.norm != ")");
        let (mut name, mut year) = (false, false);
        for t in inner {
            name |= t.kind == TokenKind::Word && t.norm.len() > 1 && !matches!(t.case, primum_text::Case::Lower);
            year |= t.kind == TokenKind::Number && t.norm.len() == 4;
        }
        name && year
    })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    if a.tokens.iter().any(|t| t.kind == TokenKind::Url) {
        return;
    }
    let mut figures: Vec<(usize, usize)> = Vec::new();
    // Most tokens cannot open a figure: one test of each token's shape,
    // made for all of them with no branch (see [`TokenSet`]), turns most
    // away; then the exact test, and `figure_at`, which tries each form of
    // figure in turn. This also serves as the gate for posts with no
    // number, number word, fraction or multiplier at all, which find no
    // figure here.
    // "a", "in" and "by" open a figure only before a fraction ("a third
    // of", "by half"): in a post with no fraction word (most), they are
    // not looked at. (Both tests for every token with no branch.)
    let shapes = ctx.signals.shapes();
    let fraction = (0..a.tokens.len()).fold(false, |any, i| any | FRACTIONS.may_have_key(shapes.key(i)));
    let openers = if fraction {
        &*FIGURE_OPENERS
    } else {
        &*FIGURE_OPENERS_BUT_ARTICLES
    };
    let candidates = TokenSet::of(a.tokens.len(), |i| {
        let t = &a.tokens[i];
        (t.kind == TokenKind::Number) | openers.may_have_key(shapes.key(i))
    });
    let mut i = 0;
    for next in candidates.iter() {
        if next < i {
            continue;
        }
        i = next;
        if !may_open_figure(&a.tokens[i]) {
            continue;
        }
        if let Some(end) = figure_at(a, i) {
            figures.push((i, end));
            i = end + 1;
        }
    }
    if figures.is_empty() {
        return;
    }
    let hits = cues(a);
    if hits.iter().any(|h| h.flags & cue::SOURCE != 0) || has_citation(a) {
        return;
    }
    let not_stat: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| h.flags & cue::NOT_STATISTIC != 0)
        .map(|h| (h.first, h.end))
        .collect();
    for (first, end) in figures.into_iter().take(64) {
        // A price or a mood: the excluding word within three words.
        let mut near = a.window(first, 3).chain(a.window(end, 3));
        if near.any(|j| not_stat.binary_search_by_key(&j, |r| r.0).is_ok()) {
            continue;
        }
        let span = Span::new(a.tokens[first].span.start, a.tokens[end].span.end);
        out.push(
            Diagnostic::at(span, "health statistic without a source")
                .with_help("add the source: a link, or the study, guideline or organisation the figure comes from")
                .with_note(format!(
                    "\"{}\" is given as fact with nothing a reader can check",
                    a.slice(span)
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_unsourced_figures() {
        assert_spans(
            &RULE,
            "80% of low back pain settles within six weeks with no treatment at all.",
            &["80%"],
        );
        assert_spans(
            &RULE,
            "Flu jabs prevent about 60% of hospital admissions from flu in older people.",
            &["60%"],
        );
        assert_spans(
            &RULE,
            "9 out of 10 strokes are preventable. Know your numbers.",
            &["9 out of 10"],
        );
        assert_spans(
            &RULE,
            "100% success rate on every implant we've placed since 2015 🦷",
            &["100%"],
        );
        assert_spans(
            &RULE,
            "One in four adults has high blood pressure and most don't know it",
            &["One in four"],
        );
        assert_spans(
            &RULE,
            "Smokers are three times more likely to lose their teeth",
            &["three times"],
        );
        assert_spans(
            &RULE,
            "Exercise cuts your risk of dementia by 30 per cent",
            &["30 per cent"],
        );
    }

    #[test]
    fn silent_with_a_source() {
        assert_silent(
            &RULE,
            "80% of low back pain settles within six weeks (Cochrane review, 2020).",
        );
        assert_silent(&RULE, "According to the ONS, 1 in 5 adults smoked in 2010.");
        assert_silent(&RULE, "9 out of 10 strokes are preventable: https://www.stroke.org.uk/");
        assert_silent(&RULE, "A 2023 study found 40% of nurses skip breaks.");
        assert_silent(
            &RULE,
            "Around 1 in 3 adults has high blood pressure (Smith et al. 2021).",
        );
        assert_silent(&RULE, "WHO says 1 in 8 people live with obesity");
    }

    #[test]
    fn shares_in_words() {
        assert_spans(
            &RULE,
            "Half of all antibiotics given for sore throats do nothing.",
            &["Half of all"],
        );
        assert_spans(
            &RULE,
            "Roughly a third of adults will have shingles at some point.",
            &["a third of adults"],
        );
        assert_silent(
            &RULE,
            "Spent half of my shift on hold to pharmacy and a third of the night charting.",
        );
        assert_silent(&RULE, "Half of all antibiotics are not needed for colds (NICE, NG84).");
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "Use code NURSEJESS15 for 15% off at the shop");
        assert_silent(&RULE, "50% OFF all scrubs this weekend!");
        assert_silent(&RULE, "43 people learned CPR at our community session today!");
        assert_silent(&RULE, "Compression socks for 12-hour shifts are a lifesaver");
        assert_silent(&RULE, "I 100% agree with this thread");
        assert_silent(&RULE, "Back in 2019 in 3 weeks we built a new ward");
        assert_silent(&RULE, "Take 1 in the morning and 1 at night");
        assert_silent(&RULE, "Battery at 5% after a 13 hour shift, send help");
        assert_silent(&RULE, "");
    }

    #[test]
    fn who_counts_only_in_capitals() {
        assert_spans(&RULE, "People who smoke: 1 in 2 die of it", &["1 in 2"]);
    }

    #[test]
    fn relative_changes_of_risk() {
        assert_spans(
            &RULE,
            "Wearing sunscreen every day cuts your melanoma risk in half 🧴 ask your pharmacist.",
            &["in half"],
        );
        assert!(Test::new("Smoking doubles your risk of a stroke.").fires(&RULE));
        assert!(Test::new("Regular exercise lowers the risk of falls by a third.").fires(&RULE));
        assert_silent(&RULE, "Cut the tablet in half if it's hard to swallow.");
        assert_silent(&RULE, "We had to double the staffing on nights this week.");
        assert_silent(
            &RULE,
            "Smoking doubles your risk of a stroke (NHS, 2023: nhs.uk/stroke).",
        );
    }
}

#[cfg(test)]
mod life_years_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn life_gained_and_figures_in_words() {
        assert!(Test::new("Quitting smoking adds ten years to your life.").fires(&RULE));
        assert!(Test::new("People who walk daily live 5 years longer.").fires(&RULE));
        assert!(Test::new("Fifty per cent of strokes are preventable.").fires(&RULE));
        assert!(!Test::new("I've given ten years of my life to this ward and I'd do it again.").fires(&RULE));
        assert!(!Test::new("Ten years on the ward and still love it.").fires(&RULE));
        assert!(!Test::new("One percent better every day, that's the goal.").fires(&RULE));
    }
}
