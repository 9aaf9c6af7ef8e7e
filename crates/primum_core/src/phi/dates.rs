//! Dates tied to a day, written out: `3 March 2026`, `March 3rd`, `the
//! 3rd of March`, `Monday 25 August`, `3-17 August`, and named days
//! (`Boxing Day`), and a weekday said of one day (`on Tuesday morning`,
//! `meet Monday`). A year alone (`2026 goal`), a month alone and relative
//! times (`yesterday`, `last night`) are not dates here: they are
//! quasi-identifiers, weighed by `privacy/reidentification-risk`.
//! Numeric dates (`03/03/2026`) are found with the other numbers.

use std::sync::LazyLock;

use primum_text::Analysis;

use super::pattern::{Haystack, Pattern};
use super::words::{Cues, Role};
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
    .when(|h| month_at_word_start(h.text, day_before))
});
static MONTH_FIRST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:{WEEKDAY}\.?,?\s+)?{MONTH}\.?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
    ))
    .needs_digit()
    .when_any(MONTH_STARTS)
    .when(|h| month_at_word_start(h.text, day_after))
});

/// True when one of [`MONTH_STARTS`], in any case, starts a word of
/// `text` (after no ASCII letter, digit or `_`) and `day` holds there:
/// every match of [`DAY_FIRST`] and [`MONTH_FIRST`] holds a month so,
/// with its day right before or after it (the literal test alone passes
/// `doctor` and `october` alike, and `may` is a common word).
fn month_at_word_start(text: &str, day: fn(&[u8], usize) -> bool) -> bool {
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
    let b = text.as_bytes();
    let mut prev_word = false;
    b.windows(3).enumerate().any(|(p, w)| {
        let starts = !prev_word && w[0].is_ascii_alphabetic();
        prev_word = w[0].is_ascii_alphanumeric() || w[0] == b'_';
        starts && KEYS.contains(&key(w)) && day(b, p)
    })
}

/// True for a byte that may be (part of) what `\s` matches: ASCII
/// whitespace (with the vertical tab), or any byte of a non-ASCII
/// character, some of which are whitespace.
fn space_like(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') || c >= 0x80
}

/// True when the month word starting at byte `p` of `b` is followed as
/// [`MONTH_FIRST`] needs: an optional `.`, spaces, an optional `the` and
/// spaces, then a digit. (The month ends where its ASCII letters do: the
/// pattern needs a `.` or a space after it.)
fn day_after(b: &[u8], p: usize) -> bool {
    let skip = |mut k: usize| {
        while k < b.len() && space_like(b[k]) {
            k += 1;
        }
        k
    };
    let mut k = p;
    while k < b.len() && b[k].is_ascii_alphabetic() {
        k += 1;
    }
    if b.get(k) == Some(&b'.') {
        k += 1;
    }
    k = skip(k);
    if b.get(k..k + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"the")) {
        k = skip(k + 3);
    }
    b.get(k).is_some_and(u8::is_ascii_digit)
}

/// True when the month word starting at byte `p` of `b` comes after what
/// [`DAY_FIRST`] needs before it: a digit, an optional ordinal suffix, an
/// optional `of`, and spaces.
fn day_before(b: &[u8], p: usize) -> bool {
    let skip = |mut k: usize| {
        while k > 0 && space_like(b[k - 1]) {
            k -= 1;
        }
        k
    };
    let ends = |k: usize, w: &[&[u8]]| k >= 2 && w.iter().any(|w| b[k - 2..k].eq_ignore_ascii_case(w));
    let mut k = skip(p);
    if ends(k, &[b"of"]) {
        k = skip(k - 2);
    }
    if ends(k, &[b"st", b"nd", b"rd", b"th"]) {
        k -= 2;
    }
    k > 0 && b[k - 1].is_ascii_digit()
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
    for c in DAY_FIRST.captures_iter(h) {
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
    for c in MONTH_FIRST.captures_iter(h) {
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
    for (i, t) in a.tokens.iter().enumerate() {
        let w = t.norm.as_str();
        if t.kind != primum_text::TokenKind::Word || !weekday(w) {
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

/// A weekday's name, full or short (`Tues`, `Weds`, `Thurs`).
fn weekday(w: &str) -> bool {
    // Every form starts with one of these letters: a test that turns
    // away most words at once.
    matches!(w.as_bytes().first(), Some(b'm' | b't' | b'w' | b'f' | b's'))
        && super::names::full_weekday(w) || matches!(w, "mon" | "tues" | "weds" | "thurs" | "fri")
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
    use primum_text::Analysis;

    use super::super::pattern::{Haystack, made_up_texts};
    use super::{DAY_FIRST, MONTH_FIRST};

    #[test]
    fn gates_keep_every_date() {
        let pieces = [
            "May", "may", "MAR", "March", "sept", "Sept.", "Dec", "december", "the", "THE", "of", "Of", "5", "12",
            "2026", "th", "st", "ND", " ", "  ", "\u{a0}", "\n", ".", ",", "-", "\u{2013}", "to", "Monday", "sat",
            "x", "é", "_", "prof", "Zoë",
        ];
        for t in made_up_texts(&pieces, 20000) {
            let a = Analysis::new(&t);
            let h = Haystack::of(&a);
            assert!(DAY_FIRST.same_as_written(h), "{t:?}");
            assert!(MONTH_FIRST.same_as_written(h), "{t:?}");
        }
    }
}
