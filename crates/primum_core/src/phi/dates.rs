//! Dates tied to a day, written out: `3 March 2026`, `March 3rd`, `the
//! 3rd of March`, `Monday 25 August`, `3-17 August`, and named days
//! (`Boxing Day`), and a weekday said of one day (`on Tuesday morning`,
//! `meet Monday`). A year alone (`2026 goal`), a month alone and relative
//! times (`yesterday`, `last night`) are not dates here: they are
//! quasi-identifiers, weighed by `privacy/reidentification-risk`.
//! Numeric dates (`03/03/2026`) are found with the other numbers.

use std::sync::LazyLock;

use primum_text::{Analysis, PerToken};

use super::pattern::{Haystack, Pattern};
use super::words::{Class, Cues, Role, ShapeFilter, WordSet};
use super::{Identifier, push};
use crate::finding::Kind;

const WEEKDAY: &str =
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)";
const MONTH: &str = r"(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)";

/// The first three letters of every form of [`MONTH`].
const MONTH_STARTS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static DAY_FIRST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:{WEEKDAY}\.?,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|\u{{2013}}|to)\s*\d{{1,2}}(?:st|nd|rd|th)?)?(?:\s+of)?\s+{MONTH}\b\.?(?:,?\s+(\d{{4}})\b)?"
    ))
    .needs_digit()
    .when_any(MONTH_STARTS)
    .when(|h| month_after_day(h.text.as_bytes()))
});
static MONTH_FIRST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:{WEEKDAY}\.?,?\s+)?{MONTH}\.?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
    ))
    .needs_digit()
    .when_any(MONTH_STARTS)
    .when(|h| month_before_day(h.text.as_bytes()))
});

/// True when one of [`MONTH_STARTS`], in any case, starts a word at byte
/// `p` of `b` (after no ASCII letter, digit or `_`): every match of
/// [`DAY_FIRST`] and [`MONTH_FIRST`] holds a month so (the literal test
/// alone passes `doctor` and `october` alike, and `may` is a common word).
fn month_at(b: &[u8], p: usize) -> bool {
    /// Three bytes as one number; `| 0x20` lower-cases an ASCII letter
    /// and makes no other byte one.
    const fn key(w: &[u8]) -> u32 {
        ((w[0] | 0x20) as u32) << 16 | ((w[1] | 0x20) as u32) << 8 | (w[2] | 0x20) as u32
    }
    const KEYS: [u32; 12] = {
        let mut k = [0; 12];
        let mut i = 0;
        while i < 12 {
            k[i] = key(MONTH_STARTS[i].as_bytes());
            i += 1;
        }
        k
    };
    let starts = p == 0 || !(b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_');
    starts
        && b.get(p..p + 3)
            .is_some_and(|w| w[0].is_ascii_alphabetic() && KEYS.contains(&key(w)))
}

/// True for a byte that may be (part of) what `\s` matches.
fn space_like(c: u8) -> bool {
    super::pattern::space_like(c)
}

/// True when a run of digits of `b` is followed as [`DAY_FIRST`] needs
/// its day (or the last day of its range) to be: an optional ordinal
/// suffix, spaces, an optional `of` and spaces, then a month. Looked for
/// from each digit, the rarest byte of the pattern.
fn month_after_day(b: &[u8]) -> bool {
    let skip = |mut k: usize| {
        while k < b.len() && space_like(b[k]) {
            k += 1;
        }
        k
    };
    let is = |k: usize, w: &[u8]| b.get(k..k + w.len()).is_some_and(|x| x.eq_ignore_ascii_case(w));
    (0..b.len()).any(|d| {
        b[d].is_ascii_digit() && !b.get(d + 1).is_some_and(u8::is_ascii_digit) && {
            let mut k = d + 1;
            if [b"st", b"nd", b"rd", b"th"].iter().any(|w| is(k, *w)) {
                k += 2;
            }
            k = skip(k);
            if is(k, b"of") {
                k = skip(k + 2);
            }
            month_at(b, k)
        }
    })
}

/// True when a run of digits of `b` comes after what [`MONTH_FIRST`]
/// needs before its day: a month word, an optional `.`, spaces, an
/// optional `the` and spaces. (The month is the whole run of ASCII
/// letters there: the pattern needs a word boundary before it.)
fn month_before_day(b: &[u8]) -> bool {
    let skip = |mut k: usize| {
        while k > 0 && space_like(b[k - 1]) {
            k -= 1;
        }
        k
    };
    (0..b.len()).any(|q| {
        b[q].is_ascii_digit() && (q == 0 || !b[q - 1].is_ascii_digit()) && {
            let mut k = skip(q);
            if k >= 3 && b[k - 3..k].eq_ignore_ascii_case(b"the") {
                k = skip(k - 3);
            }
            if k > 0 && b[k - 1] == b'.' {
                k -= 1;
            }
            let end = k;
            while k > 0 && b[k - 1].is_ascii_alphabetic() {
                k -= 1;
            }
            k < end && month_at(b, k)
        }
    })
}

/// Month words that are also ordinary words and count only when capitalised.
fn month_ok(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let ambiguous = matches!(
        lower.as_str(),
        "may" | "mar" | "march" | "jan" | "sat" | "sun" | "wed" | "dec"
    );
    !ambiguous || word.starts_with(|c: char| c.is_ascii_uppercase())
}

pub(super) fn detect(a: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let text = a.text;
    for c in &mut DAY_FIRST.captures_iter(h) {
        let (Some(m), Some(day), Some(month)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let d: u32 = day.as_str().parse().unwrap_or(0);
        if (1..=31).contains(&d) && month_ok(month.as_str()) && !prev_is_digit(text, m.start()) {
            push(
                out,
                m.start(),
                trim_dot(text, m.start(), m.end()),
                Kind::Date,
                0.85,
                "day and month",
            );
        }
    }
    for c in &mut MONTH_FIRST.captures_iter(h) {
        let (Some(m), Some(month), Some(day)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let d: u32 = day.as_str().parse().unwrap_or(0);
        let after = text[m.end()..].trim_start();
        let ordinal = text[day.end()..m.end()].starts_with(|ch: char| ch.is_ascii_alphabetic());
        // "May 15 patients": a count, not a day.
        let count = c.get(3).is_none() && !ordinal && after.starts_with(|ch: char| ch.is_lowercase());
        if (1..=31).contains(&d) && month_ok(month.as_str()) && !count {
            push(out, m.start(), m.end(), Kind::Date, 0.85, "month and day");
        }
    }
    // A weekday said of one day: `on Tuesday morning`, `meet Monday at`.
    // Not a routine (`every Monday`) or a greeting (`Happy Monday`).
    // Whether the text has no capital (then a weekday needs none) is
    // looked up only for a weekday with a cue: most texts have none.
    let lower_text = std::cell::OnceCell::new();
    // The words that may be weekdays (a word with a weekday's shape: few),
    // listed without a branch on each token: the list grows by arithmetic
    // (a token is written at its end, which moves on only for a kept
    // one). A test `word & shape` in an `if` was compiled to a branch on
    // each, going either way from token to token.
    let n = a.tokens.len();
    let weekday_like = |i: usize| (cues.class(i) & Class::WORD != 0) & WEEKDAY_SHAPES.may_hold(cues.shape(i));
    let mut at = PerToken::new(n);
    for &i in at.select(weekday_like) {
        let i = i as usize;
        let t = &a.tokens[i];
        let w = t.norm.as_str();
        if !weekday(w) {
            continue;
        }
        let before = i.checked_sub(1).map_or("", |p| a.tokens[p].norm.as_str());
        let after = a.tokens.get(i + 1).map_or("", |x| x.norm.as_str());
        // A weekday with a preposition and a time of day (`on Tuesday
        // morning`) or an appointment (`meet Monday`): a day in a person's
        // story. A bare `on Friday` is too often an event's public date.
        let prep = matches!(
            before,
            "on" | "last" | "this" | "by" | "until" | "till" | "since" | "from"
        );
        let part = matches!(after, "morning" | "afternoon" | "evening" | "night" | "lunchtime");
        // A day of someone's care: `will revisit Monday`, `home Thursday
        // with VNA`, `has a bed Friday`, `appt Tues`.
        let care = matches!(
            before,
            "visit"
                | "revisit"
                | "home"
                | "discharge"
                | "discharged"
                | "dc"
                | "appt"
                | "appointment"
                | "review"
                | "surgery"
                | "theatre"
                | "clinic"
                | "scan"
                | "bed"
                | "admitted"
                | "adm"
        );
        let cue = prep && part || before == "meet" || care;
        let cased = || {
            text[t.span.start..].starts_with(|c: char| c.is_uppercase())
                || *lower_text.get_or_init(|| !text.contains(|c: char| c.is_uppercase()))
        };
        if cue && cased() {
            push(out, t.span.start, t.span.end, Kind::Date, 0.6, super::ages::WEEKDAY);
        }
    }
    // Named days.
    if !cues.any(Role::Holiday) {
        return;
    }
    for i in 0..a.tokens.len() {
        if cues.starts_with(i, Role::Holiday) {
            let mut e = i;
            while e < a.tokens.len() && cues.covered(e, Role::Holiday) && !cues.ends_with(e, Role::Holiday) {
                e += 1;
            }
            if let Some(t) = a.tokens.get(e) {
                push(out, a.tokens[i].span.start, t.span.end, Kind::Date, 0.75, "named day");
            }
        }
    }
}

/// A weekday's name, full or short (`Tues`, `Weds`, `Thurs`), lower case.
/// [`WEEKDAYS`] as a filter read with one load per token (the twelve
/// shapes compared one by one cost a branch each, some going either way).
const WEEKDAY_SHAPES: ShapeFilter = ShapeFilter::of(&WEEKDAYS);

const WEEKDAYS: WordSet<12> = WordSet::new({
    // The full names as the month and day words list them (after the
    // twelve months), then the short forms.
    let full = super::names::MONTH_DAY_WORDS;
    let short = ["mon", "tues", "weds", "thurs", "fri"];
    let mut words = [""; 12];
    let mut i = 0;
    while i < 7 {
        words[i] = full[12 + i];
        i += 1;
    }
    while i < 12 {
        words[i] = short[i - 7];
        i += 1;
    }
    words
});

/// A weekday's name, full or short (`Tues`, `Weds`, `Thurs`).
fn weekday(w: &str) -> bool {
    WEEKDAYS.contains(w)
}

/// A full stop after a date ends the sentence; it is not part of the date.
fn trim_dot(text: &str, start: usize, end: usize) -> usize {
    if text[start..end].ends_with('.') { end - 1 } else { end }
}

fn prev_is_digit(text: &str, at: usize) -> bool {
    text[..at]
        .trim_end_matches([' ', '/', '-'])
        .ends_with(|c: char| c.is_ascii_digit())
        && text[..at].ends_with(['/', '-'])
}

#[cfg(test)]
mod tests {
    use super::super::pattern::assert_gates_keep_every_match;
    use super::{DAY_FIRST, MONTH_FIRST};

    /// The weekday set holds the full names and the short forms.
    #[test]
    fn weekdays() {
        for w in super::WEEKDAYS.words() {
            assert!(super::weekday(w), "{w}");
            assert_eq!(
                super::super::names::full_weekday(w),
                !matches!(*w, "mon" | "tues" | "weds" | "thurs" | "fri")
            );
        }
        for w in ["monda", "tue", "sat", "sun", "wed", "friday's", "Monday", "day"] {
            assert!(!super::weekday(w), "{w}");
        }
    }

    #[test]
    fn gates_keep_every_date() {
        let pieces = [
            "May", "may", "MAR", "March", "sept", "Sept.", "Dec", "december", "the", "THE", "of", "Of", "5", "12",
            "2026", "th", "st", "ND", " ", "  ", "\u{a0}", "\n", ".", ",", "-", "\u{2013}", "to", "Monday", "sat", "x",
            "é", "_", "prof", "Zoë",
        ];
        assert_gates_keep_every_match(&pieces, 20000, &[&DAY_FIRST, &MONTH_FIRST]);
    }
}
