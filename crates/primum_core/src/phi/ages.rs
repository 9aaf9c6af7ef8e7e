//! Ages of people: `92-year-old`, `19 yr old`, `92yo`, `aged 92`, `turned
//! 94`, `23F`, `in her 90s`, `94th birthday`, and an age of 90 or more
//! stated of a person (`she is 103`, `walked out at 95`). All of them are exposed
//! through [`ages`] (an age is a quasi-identifier); only those over 89 are
//! identifiers (HIPAA Safe Harbor (C)).

use std::sync::LazyLock;

use primum_text::{Analysis, Span};

use super::pattern::{Haystack, Pattern, Shape};

/// The reason given to an identifier for an age under 90: `redact`
/// removes it (every stated age is a quasi-identifier), `check` does not
/// report it (HIPAA Safe Harbor names only ages over 89), see
/// `Signals::identifiers`.
pub const UNDER_90: &str = "stated age under 90";

/// The reason given to a weekday said of one day (`on Tuesday morning`).
pub const WEEKDAY: &str = "weekday";

/// True for the quasi-identifiers that `redact` removes but `check` does
/// not report: ages under 90 and weekdays (HIPAA Safe Harbor names
/// neither; `privacy/reidentification-risk` weighs them from the text).
pub fn redact_only(id: &super::Identifier) -> bool {
    id.reason == UNDER_90 || id.reason == WEEKDAY
}

/// An age stated in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Age {
    /// Byte span of the whole expression (`92-year-old`).
    pub span: Span,
    /// Byte span of the number itself (`92`): what redaction replaces.
    pub value: Span,
    /// The age in years (for a decade, its start: `in her 90s` = 90).
    pub years: u32,
    pub confidence: f32,
}

fn re(p: &str) -> Pattern {
    Pattern::new(p)
}

static YEARS_OLD: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(\d{1,3})\s*-?\s*(?:years?|yrs?|yr)\s*-?\s*old\b|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?|yr\.?\s?old|yrs\.?\s?old)(?:\b|$)|\b(\d{1,3})\s*(?:saal|sal|baras|varsh|varsha)\s+(?:ke|ki|ka|ke|old)\b",
    )
    .needs_digit()
    // Each form ends in one of these words.
    .when_any(&["old", "yo", "y/o", "y.o", "sal", "saal", "baras", "varsh"])
    // And has the number, spaces or a hyphen, then `y`, `s`, `b` or `v`.
    .when_shape(Shape::DIGITS_THEN_YSBV)
});

static AGED: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:aged|age|age\s+of|turned|turn|turns|turning|reached|reaches)\s*:?\s+(\d{1,3})\b")
        .needs_digit()
        .when_any(&["age", "turn", "reach"])
        .when_word_before(&[
            "aged", "age", "of", "turned", "turn", "turns", "turning", "reached", "reaches",
        ])
});
/// An age told in the past (`when he was 78`, `since I was 12`).
static WHEN_WAS: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:when|since|until|till|by\s+the\s+time)\s+(?:he|she|i|they|we|you)\s+(?:was|were|turned)\s+(\d{1,3})\b")
        .needs_digit()
        .when_any(&["was", "were", "turn"])
        .when_word_before(&["was", "were", "turned"])
});
/// An age in words (`seventy-eight-year-old`, `twenty one years old`).
static WORD_YEARS_OLD: LazyLock<Pattern> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?",
        r"|one\s+hundred(?:\s+and\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?",
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)",
        r"[\s\-]years?[\s\-]old\b",
    ))
    .when_any(&["old"])
    .when_shape(Shape::YEAR)
});

/// The value of an age written in words (`seventy-eight` = 78).
fn word_number(s: &str) -> u32 {
    let mut total = 0;
    for w in s.to_ascii_lowercase().split([' ', '-']).filter(|w| !w.is_empty()) {
        total += match w {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "fifteen" => 15,
            "sixteen" => 16,
            "seventeen" => 17,
            "eighteen" => 18,
            "nineteen" => 19,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            "hundred" => 100,
            _ => 0,
        };
    }
    total
}
static SEX_AGE: LazyLock<Pattern> =
    LazyLock::new(|| re(r"\b(\d{1,3}) ?([MF])\b").needs_digit().when_shape(Shape::DIGIT_SEX));
static DECADE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:her|his|their|my|your)\s+(?:(?:early|mid|late)[\s\-])?(?:(\d0)'?s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|hundreds))\b",
    )
    // `0s`, `0's`, or a decade word (all but `hundreds` end in `ties`).
    .when_any(&["0s", "0's", "ties", "hundreds"])
});
static NAME_COMMA_AGE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b[A-Z][a-z]+,\s(\d{1,3})(?:,|\))")
        .needs_digit()
        // A lower-case letter, a comma, a space and a digit (`Smith, 94`).
        .when_shape(Shape::COMMA_SPACE_DIGIT)
});

static BIRTHDAY: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(\d{1,3}(?:st|nd|rd|th))\s+(?:birthday|bday|b-day)\b")
        .needs_digit()
        .when_any(&["day"])
        .when_shape(Shape::DIGITS_THEN_ORDINAL)
});
/// A bare number of 90 to 125 after a verb or preposition that can state
/// an age (`is 103`, `at 95`, `now 97`); kept only when a person is the
/// subject and nothing makes it a measurement (see [`stated_age`]).
static STATED: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:is|was|at|now|of|be|being|still|nearly|almost|reached|hit|hits|celebrating)\s+((?:9\d|1[01]\d|12[0-5]))\b")
        .min_digits(2)
        .when_shape(Shape::OVER_89_AFTER_WORD)
});
/// A bare number of 90 to 125 in an idiom said only of a person's age
/// (`96 and still does the crossword`, `102 years young`, `99 and going
/// strong`); kept unless a measure word or `over`/`under` comes just before.
static AGE_IDIOM: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b((?:9\d|1[01]\d|12[0-5]))\s+(?:and\s+still|years?\s+young|and\s+going\s+strong|and\s+counting|not\s+out|and\s+sharp|and\s+fit)\b")
        .min_digits(2)
        .when_shape(Shape::OVER_89_BEFORE_WORD)
});

/// Words after which a number of 90+ is a measurement, a score or a
/// place, not an age (`heart rate at 95`, `bed is 96`).
const MEASURES: &[&str] = &[
    "rate",
    "hr",
    "pulse",
    "bp",
    "pressure",
    "sats",
    "sat",
    "spo2",
    "o2",
    "oxygen",
    "saturation",
    "saturations",
    "temp",
    "temperature",
    "glucose",
    "sugar",
    "sugars",
    "bm",
    "bms",
    "score",
    "scores",
    "weight",
    "weighs",
    "weighed",
    "kg",
    "level",
    "levels",
    "count",
    "iq",
    "percentile",
    "number",
    "page",
    "chapter",
    "room",
    "bed",
    "bay",
    "ward",
    "exit",
    "junction",
    "bus",
    "route",
    "speed",
    "mph",
    "kmh",
    "price",
    "cost",
    "costs",
    "fee",
    "paid",
    "wait",
    "waiting",
    "queue",
    "list",
    "minutes",
    "mins",
    "hours",
    "days",
    "miles",
    "km",
    "metres",
    "meters",
    "steps",
    "calls",
    "patients",
    "beds",
    "people",
    "percent",
    "systolic",
    "diastolic",
    "map",
    "lactate",
    "ferritin",
    "egfr",
    "creatinine",
    "sodium",
    "potassium",
    "hb",
    "haemoglobin",
    "hemoglobin",
    "platelets",
    "crp",
    "inr",
    "troponin",
    "ck",
    "ldl",
    "cholesterol",
    "volume",
    "dose",
    "gestation",
    "gestational",
    "weeks",
    "week",
    "age",
];

/// Words that make a person the subject of a sentence.
const PERSON: &[&str] = &[
    "she",
    "he",
    "her",
    "his",
    "him",
    "patient",
    "pt",
    "lady",
    "gentleman",
    "man",
    "woman",
    "gran",
    "granny",
    "grandma",
    "grandmother",
    "grandad",
    "grandpa",
    "grandfather",
    "nan",
    "nana",
    "mum",
    "mom",
    "dad",
    "mother",
    "father",
    "resident",
    "bloke",
    "fella",
    "guy",
    "chap",
    "veteran",
    "widow",
    "widower",
    "client",
    "aunt",
    "uncle",
    "who",
    "oldest",
    "centenarian",
];

/// Words that may follow a stated age (`is 103 and still...`).
const AFTER: &[&str] = &[
    "and",
    "but",
    "still",
    "now",
    "today",
    "this",
    "years",
    "year",
    "yrs",
    "yr",
    "yo",
    "with",
    "when",
    "yet",
    "already",
    "so",
    "too",
    "next",
    "last",
    "tomorrow",
    "soon",
    "then",
    "apparently",
    "going",
    "plus",
    "on",
    "in",
    "she",
    "he",
    "who",
    "herself",
    "himself",
    "if",
    "or",
    "not",
];

/// True when the number at `g` (a match of [`STATED`]) states the age of
/// a person: a person word earlier in its sentence, no measure word just
/// before it, and only a pause, the end or a linking word after it.
fn stated_age(text: &str, start: usize, g: regex::Match<'_>) -> bool {
    // Only the 200 bytes before the match: a sentence is rarely longer,
    // and a bound keeps the search linear however long the text.
    let mut lo = start.saturating_sub(200);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let head = &text[lo..start];
    let from = head.rfind(['.', '!', '?', '\n', ';']).map_or(0, |k| k + 1);
    let before = head[from..].to_ascii_lowercase();
    let words: Vec<&str> = before
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let person = words.iter().any(|w| PERSON.contains(w));
    let measure = words.iter().rev().take(4).any(|w| MEASURES.contains(w));
    let rest = &text[g.end()..];
    let next = rest.chars().next();
    let after_ok = match next {
        None => true,
        Some(c) if c.is_ascii_digit() || c.is_ascii_alphabetic() => false,
        Some('%' | '/' | ':' | '-' | '\u{b0}' | '.' | ',') => {
            // A pause, unless a number goes on (`95.5`, `95,000`).
            matches!(next, Some('.' | ',')) && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
        }
        Some(c) if c.is_whitespace() => {
            let w: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect::<String>()
                .to_ascii_lowercase();
            w.is_empty() && !rest.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '%')
                || AFTER.contains(&w.as_str())
        }
        Some(_) => true,
    };
    person && !measure && after_ok
}

fn decade_word(w: &str) -> u32 {
    match w.to_ascii_lowercase().as_str() {
        "twenties" => 20,
        "thirties" => 30,
        "forties" => 40,
        "fifties" => 50,
        "sixties" => 60,
        "seventies" => 70,
        "eighties" => 80,
        "nineties" => 90,
        "hundreds" => 100,
        _ => 0,
    }
}

/// Every age stated in the text, in order.
pub fn ages(a: &Analysis<'_>) -> Vec<Age> {
    ages_in(Haystack::of(a))
}

/// True when the words after `Nth birthday` name an institution (`to St
/// Luke's Hospital`, `, NHS!`): its age, not a person's.
fn institution_after(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ',', ':']);
    let lower = rest.to_ascii_lowercase();
    let rest = ["to ", "of ", "for "]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower);
    for w in rest.split_whitespace().take(6) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let w = w.strip_suffix("'s").unwrap_or(w);
        if w == "nhs" || crate::phi::words::WORDS.roles_of(w) & crate::phi::words::Role::Facility.bit() != 0 {
            return true;
        }
        if w.is_empty() || ["who", "our", "my", "your", "her", "his", "mum", "dad", "nan"].contains(&w) {
            return false;
        }
    }
    false
}

/// [`ages`], for a text already prepared for pattern searches.
pub(crate) fn ages_in(h: Haystack<'_>) -> Vec<Age> {
    let text = h.text;
    let mut out: Vec<Age> = Vec::new();
    let mut add = |m: regex::Match<'_>, g: regex::Match<'_>, years: u32, confidence: f32| {
        let (s, e) = (m.start(), m.end());
        if years <= 125 && !out.iter().any(|x| x.span.start < e && s < x.span.end) {
            out.push(Age {
                span: Span::new(s, e),
                value: Span::new(g.start(), g.end()),
                years,
                confidence,
            });
        }
    };
    let num = |c: &regex::Captures<'_>, k: usize| c.get(k).and_then(|x| x.as_str().parse::<u32>().ok());
    for c in &mut YEARS_OLD.captures_iter(h) {
        if let (Some(m), Some(g), Some(y)) = (
            c.get(0),
            c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)),
            num(&c, 1).or_else(|| num(&c, 2)).or_else(|| num(&c, 3)),
        ) {
            add(m, g, y, 0.95);
        }
    }
    for c in &mut BIRTHDAY.captures_iter(h) {
        let years = c
            .get(1)
            .and_then(|x| x.as_str().trim_end_matches(char::is_alphabetic).parse::<u32>().ok());
        if let (Some(m), Some(g), Some(y)) = (c.get(0), c.get(1), years)
            && !institution_after(&text[m.end()..])
        {
            add(m, g, y, 0.9);
        }
    }
    for c in &mut AGED.captures_iter(h) {
        let (Some(m), Some(g), Some(y)) = (c.get(0), c.get(1), num(&c, 1)) else {
            continue;
        };
        // "turned 94" is an age; "turned 2026" or "age 5 minutes" is not.
        let after = text[g.end()..].trim_start();
        let unit = ["min", "hour", "hr", "day", "week", "month", "degree", "%", "mg", "kg"]
            .iter()
            .any(|u| after.get(..u.len()).is_some_and(|x| x.eq_ignore_ascii_case(u)));
        if !unit {
            add(m, g, y, 0.85);
        }
    }
    for c in &mut WORD_YEARS_OLD.captures_iter(h) {
        if let (Some(m), Some(g)) = (c.get(0), c.get(1)) {
            add(m, g, word_number(g.as_str()), 0.9);
        }
    }
    for c in &mut WHEN_WAS.captures_iter(h) {
        let (Some(m), Some(g), Some(y)) = (c.get(0), c.get(1), num(&c, 1)) else {
            continue;
        };
        let after = text[g.end()..].trim_start();
        let unit = after.starts_with(|ch: char| ch.is_ascii_digit())
            || [
                "min", "hour", "hr", "day", "week", "month", "degree", "%", "mg", "kg", "am", "pm", "o'clock",
            ]
            .iter()
            .any(|u| after.get(..u.len()).is_some_and(|x| x.eq_ignore_ascii_case(u)));
        if !unit {
            add(m, g, y, 0.8);
        }
    }
    for c in &mut STATED.captures_iter(h) {
        let (Some(m), Some(g), Some(y)) = (c.get(0), c.get(1), num(&c, 1)) else {
            continue;
        };
        if stated_age(text, m.start(), g) {
            add(m, g, y, 0.7);
        }
    }
    for c in &mut AGE_IDIOM.captures_iter(h) {
        let (Some(g), Some(y)) = (c.get(1), num(&c, 1)) else {
            continue;
        };
        let head = &text[..g.start()];
        let glued = head.ends_with(|ch: char| ch.is_alphanumeric() || "£$€₹.,°#/:-".contains(ch));
        let mut lo = g.start().saturating_sub(40);
        while !text.is_char_boundary(lo) {
            lo += 1;
        }
        // Only the words of its own sentence (`... in room 12. 96 and still`).
        let near = &text[lo..g.start()];
        let near = near[near.rfind(['.', '!', '?', ';', '\n']).map_or(0, |k| k + 1)..].to_ascii_lowercase();
        let words: Vec<&str> = near
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // A measure word counts up to the nearest number before this one
        // (`on ward 9 😭 91 years young`: the ward is 9's).
        let measure = words
            .iter()
            .rev()
            .take(3)
            .take_while(|w| !w.bytes().all(|b| b.is_ascii_digit()))
            .any(|w| {
                MEASURES.contains(w)
                    || matches!(
                        *w,
                        "over" | "under" | "above" | "below" | "page" | "day" | "week" | "mile" | "miles"
                    )
            });
        if !glued && !measure {
            add(g, g, y, 0.75);
        }
    }
    for c in &mut SEX_AGE.captures_iter(h) {
        let (Some(m), Some(g), Some(y)) = (c.get(0), c.get(1), num(&c, 1)) else {
            continue;
        };
        let before = text[..m.start()].trim_end();
        // Glued to a word or a currency sign, also across a space (`$ 2 M`,
        // `#F 4 F`).
        let glued = text[..m.start()].ends_with(|ch: char| ch.is_alphanumeric() || "£$€₹.,°".contains(ch))
            || before.ends_with(|ch: char| "£$€₹°".contains(ch))
            || before
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|w| (1..=2).contains(&w.len()) && !w.contains(|ch: char| ch.is_lowercase()));
        let after = text[m.end()..].trim_start().as_bytes();
        let starts = |w: &str| {
            after
                .get(..w.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
        };
        // "101F fever", "5M views": not ages.
        let from = before.char_indices().rev().nth(23).map_or(0, |(k, _)| k);
        let near = before[from..].to_ascii_lowercase();
        let temperature = ["temp", "fever", "pyrex", "febrile", "feels like", "weather", "humidity"]
            .iter()
            .any(|w| near.contains(w))
            || starts("fever")
            || starts("temp")
            || starts("(");
        let million = c.get(2).is_some_and(|s| s.as_str() == "M")
            && [
                "views", "follow", "people", "users", "dollar", "pound", "rupee", "likes", "subscri", "in ",
            ]
            .iter()
            .any(|w| starts(w));
        if !glued && !temperature && !million && y >= 1 {
            add(m, g, y, 0.7);
        }
    }
    for c in &mut NAME_COMMA_AGE.captures_iter(h) {
        if let (Some(g), Some(y)) = (c.get(1), num(&c, 1)) {
            add(g, g, y, 0.6);
        }
    }
    for c in &mut DECADE.captures_iter(h) {
        let (Some(m), Some(g)) = (c.get(0), c.get(1).or_else(|| c.get(2))) else {
            continue;
        };
        let y = num(&c, 1)
            .or_else(|| c.get(2).map(|w| decade_word(w.as_str())))
            .unwrap_or(0);
        if y > 0 {
            add(m, g, y, 0.8);
        }
    }
    out.sort_by_key(|x| x.span.start);
    out
}

#[cfg(test)]
mod gate_tests {
    use super::super::pattern::assert_gates_keep_every_match;
    use super::{
        AGE_IDIOM, AGED, BIRTHDAY, DECADE, NAME_COMMA_AGE, SEX_AGE, STATED, WHEN_WAS, WORD_YEARS_OLD, YEARS_OLD,
    };

    /// The gates of the patterns of ages never turn away a text that one
    /// of them matches.
    #[test]
    fn gates_keep_every_age() {
        let pieces = [
            "92",
            "5",
            "103",
            " ",
            "  ",
            "\u{a0}",
            "-",
            ":",
            ",",
            ".",
            "years",
            "Year",
            "old",
            "yo",
            "y/o",
            "yrs",
            "saal",
            "ke",
            "aged",
            "age of",
            "turned",
            "reTurned",
            "was",
            "WERE",
            "when",
            "she",
            "he",
            "th",
            "ND",
            "birthday",
            "b-day",
            "Smith",
            "x",
            "é",
            "M",
            "F",
            ")",
            "her",
            "90s",
            "nineties",
            "is",
            "and still",
            "twenty",
            "one",
            "\n",
        ];
        assert_gates_keep_every_match(
            &pieces,
            30000,
            &[
                &YEARS_OLD,
                &AGED,
                &WHEN_WAS,
                &WORD_YEARS_OLD,
                &SEX_AGE,
                &DECADE,
                &NAME_COMMA_AGE,
                &BIRTHDAY,
                &STATED,
                &AGE_IDIOM,
            ],
        );
    }
}
