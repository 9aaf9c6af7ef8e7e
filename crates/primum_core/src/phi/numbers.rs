//! Identifiers made of digits: phone and fax numbers, numeric dates, IP
//! addresses, national and account numbers (with their check digits),
//! postcodes and record numbers introduced by a cue (`MRN 7734021`).
//!
//! A few regexes run once over the text (the regex crate is linear); cue
//! words come from the token analysis.

use std::sync::LazyLock;

use super::checksums;
use super::pattern::{Haystack, Pattern, Shape};
use super::words::{Cues, Role};
use super::{Identifier, push};
use crate::finding::Kind;
use primum_text::{Analysis, Span, TokenKind};

fn re(p: &str) -> Pattern {
    Pattern::new(p)
}

static PHONE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?\d(?:[ .\-]?\d){5,14}(?:\s?(?:x|ext\.?)\s?\d{1,5}\b)?")
        .min_digits(6)
        // The digits after the prefixes make a chain of six or more.
        .when_shape(Shape::CHAIN_6)
});
/// Words right after a number that make it a phone or fax number
/// (`0490 39 07 81 mobile`, `3660170548-Fax`).
const PHONE_AFTER: &[&str] = &[
    "office", "mobile", "cell", "home", "work", "desk", "landline", "tel", "phone",
];
static NUM_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
        .min_digits(4)
        .when_shape(Shape::SLASH | Shape::DOT | Shape::DASH)
});
/// A day and month without a year (`3/14`, `22/12`): a date only right
/// after a word that introduces one (`adm 3/14`, `as of 12/22`, `cultures
/// from 2/3`); anywhere else it is a score, a ratio or a fraction (`pain
/// 6/10`, `BP 124/70`, `2/3 of the team`).
static DAY_MONTH: LazyLock<Pattern> =
    LazyLock::new(|| re(r"\b(\d{1,2})/(\d{1,2})\b").min_digits(2).when_shape(Shape::SLASH));
/// Words right before a day and month that make it a date.
const DATE_BEFORE: &[&str] = &[
    "on",
    "from",
    "since",
    "adm",
    "admitted",
    "admission",
    "until",
    "till",
    "dated",
    "discharged",
    "dc",
    "due",
    "started",
    "before",
    "after",
    "dob",
    "born",
    "date",
    "seen",
    "til",
];

/// True when the word right before `at` (with nothing but spaces or a
/// colon between) introduces a date: one of [`DATE_BEFORE`], or `as of`.
fn date_word_before(a: &Analysis<'_>, at: usize) -> bool {
    let Some(j) = words_before(a, at, 1).next() else {
        return false;
    };
    let between = &a.text[a.tokens[j].span.end..at];
    if !between.chars().all(|c| c.is_whitespace() || c == ':') {
        return false;
    }
    let w = a.tokens[j].norm.as_str();
    DATE_BEFORE.contains(&w) || w == "of" && j > 0 && a.tokens[j - 1].norm == "as"
}

static IPV4: LazyLock<Pattern> =
    LazyLock::new(|| re(r"\b(?:\d{1,3}\.){3}\d{1,3}\b").min_digits(4).when_shape(Shape::DOT));
static IPV6: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?|(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4})",
    )
    // The first form holds `::`, the second seven colons.
    .when(|h| h.text.contains(':') && (h.text.contains("::") || h.text.matches(':').count() >= 7))
});
// Each of these numbers is a chain of digits separated by at most one
// space or `-` (see [`Shape::SPACED_CHAIN_9`]): most texts with nine
// digits hold no such chain, and are not searched.
static SSN: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b\d{3}-\d{2}-\d{4}\b")
        .min_digits(9)
        .when_shape(Shape::SPACED_CHAIN_9)
});
static LONG_DIGITS: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b\d{4}[ \-]?\d{4,6}[ \-]?\d{1,7}(?:[ \-]?\d{1,4})?\b")
        .min_digits(9)
        .when_shape(Shape::SPACED_CHAIN_9)
});
static NHS: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b\d{3}[ \-]?\d{3}[ \-]?\d{4}\b")
        .min_digits(10)
        .when_shape(Shape::SPACED_CHAIN_10)
});
static MBI: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b")
        .min_digits(5)
        .when_shape(Shape::DIGIT_UPPER)
});
/// An Ontario health card number with its version code (`5584-486-674-YM`).
static OHIP: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b\d{4}[ \-]\d{3}[ \-]\d{3}[ \-]?[A-Z]{2}\b")
        .min_digits(10)
        .when_shape(Shape::SPACED_CHAIN_10)
});
static IBAN: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
        .min_digits(2)
        .when_shape(Shape::UPPER2_DIGIT2)
});
static POSTCODE: LazyLock<Pattern> = LazyLock::new(|| {
    re(concat!(
        // UK
        r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b",
        // Canada
        r"|\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b",
        // US state + ZIP
        r"|\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),? \d{5}(?:-\d{4})?\b",
        // Australia: state + postcode
        r"|\b(?:NSW|VIC|Vic|QLD|Qld|SA|WA|TAS|Tas|NT|ACT) \d{4}\b",
        // India: PIN
        r"|(?i:\bpin(?: ?code)?\b[:\s\-]*)\d{3} ?\d{3}\b",
    ))
    .min_digits(2)
    // What every form but the Indian PIN holds: a capital letter glued to
    // a digit and a digit glued to a capital (UK, Canada), or a US or
    // Australian state, an optional comma, a space and four digits.
    .when_shape(Shape::PIN | Shape::UPPER_AND_DIGIT_UPPER | Shape::STATE_DIGITS)
});

/// A point on a road (`mile marker 142`, `milepost 37`, `junction 14 of
/// the M6`): the place of an incident, smaller than a town.
static ROAD_POINT: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:mile\s?markers?|mileposts?|mile\s?posts?|km\s?(?:markers?|posts?)|kilomet(?:re|er)\s?(?:markers?|posts?))\s*#?\d{1,4}(?:\.\d)?\b|\b(?i:junction|jct|exit)\s\d{1,3}[ab]?\s(?i:of|on)\s(?:the\s)?(?:[AM]\d{1,4}|I-\d{1,3})\b")
        .needs_digit()
        .when_any(&["mile", "km", "kilomet", "junction", "jct", "exit"])
});

/// The previous word-like tokens before byte `at` (up to `n`), as token indices.
fn words_before<'a>(a: &'a Analysis<'_>, at: usize, n: usize) -> impl Iterator<Item = usize> + 'a {
    let i = a.tokens.partition_point(|t| t.span.start < at);
    (0..i).rev().filter(|&j| a.tokens[j].kind == TokenKind::Word).take(n)
}

fn cue_before(a: &Analysis<'_>, cues: &Cues, at: usize, n: usize, role: Role) -> bool {
    words_before(a, at, n).any(|j| cues.covered(j, role))
}

fn digit_count(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// True when the text right before `start` is a letter, digit or
/// currency sign, or right after `end` a letter, digit, `%` or unit: the
/// match is part of something else.
fn glued(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut rest = text[end..].chars();
    let after = rest.next();
    let digit_next = rest.next().is_some_and(|c| c.is_ascii_digit());
    matches!(before, Some(c) if c.is_alphanumeric() || "£$€₹¥#/:.,".contains(c))
        || matches!(after, Some(c) if c.is_alphanumeric() || "%/:".contains(c))
        || matches!(after, Some(',' | '.')) && digit_next
}

pub(super) fn detect(a: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let text = a.text;
    for m in &mut ROAD_POINT.find_iter(h) {
        push(out, m.start(), m.end(), Kind::Location, 0.7, "point on a road");
    }
    // Numeric dates.
    for c in &mut NUM_DATE.captures_iter(h) {
        let Some(m) = c.get(0) else { continue };
        let g = |k: usize| c.get(k).and_then(|x| x.as_str().parse::<u32>().ok());
        let ok = if let (Some(x), Some(y)) = (g(1), g(2)) {
            let year_ok = c
                .get(3)
                .is_some_and(|y| y.len() == 4 || cue_before(a, cues, m.start(), 3, Role::Dob));
            year_ok && (1..=31).contains(&x) && (1..=31).contains(&y) && (x <= 12 || y <= 12)
        } else if let (Some(y), Some(mo), Some(d)) = (g(4), g(5), g(6)) {
            (1900..=2100).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d)
        } else {
            false
        };
        if ok && !glued(text, m.start(), m.end()) {
            push(out, m.start(), m.end(), Kind::Date, 0.85, "numeric date");
        }
    }
    for c in &mut DAY_MONTH.captures_iter(h) {
        let Some(m) = c.get(0) else { continue };
        let g = |k: usize| c.get(k).and_then(|x| x.as_str().parse::<u32>().ok()).unwrap_or(0);
        let (x, y) = (g(1), g(2));
        let valid = x >= 1 && y >= 1 && (x <= 12 && y <= 31 || y <= 12 && x <= 31);
        if valid && !glued(text, m.start(), m.end()) && date_word_before(a, m.start()) {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Date,
                0.8,
                "day and month after a date word",
            );
        }
    }
    // IP addresses.
    for m in IPV4.find_iter(h) {
        if m.as_str().split('.').all(|p| p.parse::<u32>().is_ok_and(|v| v <= 255)) && !glued(text, m.start(), m.end()) {
            push(out, m.start(), m.end(), Kind::Ip, 0.9, "IPv4 address");
        }
    }
    for m in IPV6.find_iter(h) {
        let s = m.as_str();
        let colons = s.matches(':').count();
        let hexy = s.chars().any(|c| c.is_ascii_alphabetic());
        if colons >= 7 || s.contains("::") && colons >= 3 && hexy {
            push(out, m.start(), m.end(), Kind::Ip, 0.9, "IPv6 address");
        }
    }
    // National and account numbers with a structure or check digit.
    for m in &mut SSN.find_iter(h) {
        if checksums::digits(m.as_str()).is_some_and(|d| checksums::ssn(&d)) && !glued(text, m.start(), m.end()) {
            push(out, m.start(), m.end(), Kind::Id, 0.9, "US social security number");
        }
    }
    for m in &mut LONG_DIGITS.find_iter(h) {
        let Some(d) = checksums::digits(m.as_str()) else {
            continue;
        };
        if glued(text, m.start(), m.end()) {
            continue;
        }
        let grouped = m.as_str().contains([' ', '-']);
        if checksums::aadhaar(&d) && grouped {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Id,
                0.9,
                "Aadhaar number (Verhoeff check)",
            );
        } else if (13..=19).contains(&d.len()) && checksums::luhn(&d) {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Id,
                0.9,
                "payment card number (Luhn check)",
            );
        } else if checksums::au_medicare(&d)
            && (grouped || cue_before(a, cues, m.start(), 3, Role::IdCue))
            && !m.as_str().starts_with('0')
        {
            let shape: Vec<usize> = m.as_str().split([' ', '-']).map(str::len).collect();
            if shape.starts_with(&[4, 5]) {
                push(
                    out,
                    m.start(),
                    m.end(),
                    Kind::Id,
                    0.85,
                    "Medicare card number (check digit)",
                );
            }
        }
    }
    for m in &mut NHS.find_iter(h) {
        let Some(d) = checksums::digits(m.as_str()) else {
            continue;
        };
        if glued(text, m.start(), m.end()) || !checksums::nhs_mod11(&d) {
            continue;
        }
        if cue_before(a, cues, m.start(), 3, Role::IdCue) {
            push(out, m.start(), m.end(), Kind::Id, 0.95, "NHS number (mod 11 check)");
        } else if m.as_str().contains(' ') && d[0] != 0 && !cue_before(a, cues, m.start(), 4, Role::PhoneCue) {
            push(out, m.start(), m.end(), Kind::Id, 0.7, "NHS number (mod 11 check)");
        }
    }
    for m in &mut MBI.find_iter(h) {
        if checksums::us_mbi(m.as_str()) {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Id,
                0.85,
                "Medicare beneficiary identifier",
            );
        }
    }
    for m in &mut OHIP.find_iter(h) {
        if !glued(text, m.start(), m.end()) {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Id,
                0.85,
                "health card number with version code",
            );
        }
    }
    for m in &mut IBAN.find_iter(h) {
        if checksums::iban(m.as_str()) {
            push(out, m.start(), m.end(), Kind::Id, 0.9, "IBAN (mod 97 check)");
        }
    }
    // Postcodes.
    for m in &mut POSTCODE.find_iter(h) {
        let s = m.as_str();
        // A Glasgow Coma Scale in parts (`E3V5M6`) has a postcode's shape.
        let b = s.as_bytes();
        if b.len() == 6 && b[0] == b'E' && b[2] == b'V' && b[4] == b'M' {
            continue;
        }
        // The PIN form starts with its cue word; keep only the digits.
        let off = s
            .find(|c: char| c.is_ascii_digit() && s.starts_with(['p', 'P']))
            .unwrap_or(0);
        push(out, m.start() + off, m.end(), Kind::Address, 0.8, "postcode");
    }
    phones(a, h, cues, out);
    cued_ids(a, cues, out);
}

/// Numbers given as a service's own (free-phone, short codes) are not a
/// person's.
pub fn service_number(digits: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "0800", "0808", "0300", "0845", "0870", "1800", "1300", "1-800", "1 800", "1855", "1866", "1877", "1888",
    ];
    // The digits of the number and of each prefix are read as they are
    // compared, with no string made of them (this made some forty).
    fn starts(mut d: impl Iterator<Item = u8>, mut p: impl Iterator<Item = u8>) -> bool {
        p.all(|b| d.next() == Some(b))
    }
    let d = || digits.bytes().filter(u8::is_ascii_digit);
    PREFIXES.iter().any(|p| {
        let p = || p.bytes().filter(u8::is_ascii_digit);
        starts(d(), p())
            || starts(d(), b"44".iter().copied().chain(p().skip(1)))
            || starts(d(), b"61".iter().copied().chain(p().skip(1)))
    }) || d().count() == 6 && starts(d(), b"13".iter().copied())
}

fn phones(a: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let text = a.text;
    for m in &mut PHONE.find_iter(h) {
        let (start, end) = (m.start(), m.end());
        // An extension (`x4587`, `ext. 12`) is part of the number, not of
        // its shape.
        let s = m.as_str();
        let ext = s.find(['x', 'e']).map_or(s.len(), |k| s[..k].trim_end().len());
        let s = &s[..ext];
        // A match may start inside a longer token (a date, a price).
        if glued(text, start, end) && !text[..start].ends_with(['(', '+']) {
            continue;
        }
        let d = digit_count(s);
        let plus = s.starts_with('+');
        let paren = s.contains('(');
        // A label right after the number: `082 490 1693-Office`, `... fax`.
        let next_word = a
            .tokens
            .iter()
            .skip_while(|t| t.span.start < end)
            .take(2)
            .find(|t| t.kind == TokenKind::Word)
            .filter(|t| !text[end..t.span.start].contains('\n'))
            .map(|t| t.norm.as_str());
        let fax_after = next_word == Some("fax");
        let cue_after = fax_after || next_word.is_some_and(|w| PHONE_AFTER.contains(&w));
        let cue =
            cue_before(a, cues, start, 4, Role::PhoneCue) || cue_before(a, cues, start, 4, Role::FaxCue) || cue_after;
        let groups: Vec<&str> = s.split([' ', '-', '.', '(', ')']).filter(|g| !g.is_empty()).collect();
        let yearish = groups
            .iter()
            .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")));
        if yearish || s.contains('.') && !cue && groups.len() < 3 {
            continue;
        }
        let ok = if plus {
            (8..=15).contains(&d)
        } else if s.starts_with("00") {
            (10..=15).contains(&d)
        } else if s.starts_with('0') || paren {
            (9..=12).contains(&d) || cue && d == 8
        } else if d == 7 {
            // A local number: 555-0147.
            groups.len() == 2 && groups[0].len() == 3 && (cue || s.contains('-'))
        } else if d == 10 {
            let shape: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            let nhs_like = checksums::digits(s).is_some_and(|x| checksums::nhs_mod11(&x)) && s.contains(' ') && !cue;
            !nhs_like && (cue || shape == [3, 3, 4] || shape == [5, 5] && s.starts_with(['6', '7', '8', '9']))
        } else {
            cue && (8..=13).contains(&d)
        };
        if !ok {
            continue;
        }
        // Include an opening parenthesis before the area code.
        let start = if text[..start].ends_with('(') && !paren {
            start - 1
        } else {
            start
        };
        let fax = cue_before(a, cues, start, 4, Role::FaxCue) || fax_after;
        let (kind, why) = if fax {
            (Kind::Fax, "fax number")
        } else {
            (Kind::Phone, "phone number")
        };
        push(out, start, end, kind, 0.9, why);
    }
}

/// A record, account or licence number after its cue (`MRN 7734021`,
/// `NHS no: 943 476 5919`, `licence plate AB12 CDE`).
fn cued_ids(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    if !cues.any(Role::IdCue) {
        return;
    }
    let toks = &a.tokens;
    for i in 0..toks.len() {
        if !cues.ends_with(i, Role::IdCue) {
            continue;
        }
        // Skip "no", "number", ":", "#", "is" after the cue.
        let mut j = i + 1;
        let mut skipped = 0;
        while j < toks.len() && skipped < 3 {
            let t = &toks[j];
            let skip = match t.kind {
                TokenKind::Punct => matches!(t.norm.as_str(), ":" | "#" | "-" | "(" | "." | "=" | "\u{2013}"),
                TokenKind::Word => matches!(
                    t.norm.as_str(),
                    "no" | "number" | "num" | "is" | "was" | "nr" | "id" | "card"
                ),
                _ => false,
            };
            if !skip {
                break;
            }
            j += 1;
            skipped += 1;
        }
        // Take up to four adjacent code-like tokens.
        let first = j;
        let mut end = j;
        while end < toks.len() && end - first < 7 {
            let t = &toks[end];
            let code = match t.kind {
                TokenKind::Number => !a.token_text(end).contains([',', ':']),
                TokenKind::Word => {
                    let s = a.token_text(end);
                    s.chars().any(|c| c.is_ascii_digit())
                        || end > first && s.len() <= 4 && s.chars().all(|c| c.is_ascii_uppercase())
                }
                TokenKind::Punct => t.norm == "-" && end > first && !t.space_before,
                _ => false,
            };
            if !code || end > first && toks[end].space_before && toks[end - 1].kind == TokenKind::Punct {
                break;
            }
            end += 1;
        }
        while end > first && toks[end - 1].kind == TokenKind::Punct {
            end -= 1;
        }
        if end == first {
            continue;
        }
        let span = Span::new(toks[first].span.start, toks[end - 1].span.end);
        let s = &a.text[span.start..span.end];
        let d = digit_count(s);
        let alpha = s.chars().filter(char::is_ascii_alphabetic).count();
        let year = d == 4 && alpha == 0 && (s.starts_with("19") || s.starts_with("20"));
        if !year && (d >= 5 || d >= 2 && alpha >= 2 && d + alpha >= 5) {
            push(
                out,
                span.start,
                span.end,
                Kind::Id,
                0.95,
                "record or account number after its label",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::pattern::assert_gates_keep_every_match;
    use super::{DAY_MONTH, IBAN, IPV4, LONG_DIGITS, MBI, NHS, NUM_DATE, OHIP, PHONE, POSTCODE, SSN, service_number};

    #[test]
    fn gates_keep_every_number() {
        let pieces = [
            "1", "23", "456", "7890", "12345", " ", "-", ".", "/", ",", "(", ")", "+", "GB", "SW", "A", "M", "NY",
            "Vic", "Tas", "CA, ", "AB", "x", "pin ", "\u{a0}", "é", "_", "E", "V",
        ];
        assert_gates_keep_every_match(
            &pieces,
            20000,
            &[
                &PHONE,
                &NUM_DATE,
                &DAY_MONTH,
                &IPV4,
                &SSN,
                &LONG_DIGITS,
                &NHS,
                &MBI,
                &OHIP,
                &IBAN,
                &POSTCODE,
            ],
        );
    }

    #[test]
    fn service_numbers() {
        assert!(service_number("0800 123 4567"));
        assert!(service_number("1800 022 222"));
        assert!(service_number("13 11 14"));
        assert!(!service_number("07700 900461"));
        assert!(service_number("+44 800 123 4567"));
        assert!(service_number("+61 300 123 456"));
        assert!(!service_number("+33 800 123 456"));
    }
}
