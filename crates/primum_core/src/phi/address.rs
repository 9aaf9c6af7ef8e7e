//! Postal addresses: a street line (`14 Tern Street`, `221B Baker St.`,
//! `Koskikatu 25`, `6750 Rua do Arenque 1634 Apt. 864`), with the lines or
//! comma-separated parts that follow it when they read as the rest of an
//! address (unit, town, state, country, postcode); military and post-box
//! addresses (`PSC 0413, Box 8144 / APO AA 42323`, `P.O. Box 255`), street
//! corners (`the corner of Csabai kapu 39. and Mathias Pass`) and postcodes
//! after their label (`ZIP: 3520`).
//!
//! A street line needs a house number and either a street type (`Road`,
//! `St.`: the types of `phi_cues.csv`, and a few more here) or, in the
//! European order, a street name followed by its number; the second form
//! also needs an address cue, a long house number or a following address
//! line, so that counts and measurements (`15 patients in bay 4`, `BP
//! 120/80`) never read as streets.

use std::sync::LazyLock;

use primum_text::{Analysis, Case, PerToken, TokenKind};

use super::pattern::{Haystack, Pattern};
use super::places::listed_at;
use super::words::{Class, Cues, Role, ShapeFilter, TokenCues, WORDS, WordSet, shape};
use super::{Identifier, push};
use crate::finding::Kind;

/// Military and post-office-box addresses, and a postcode after its label.
static BOXES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:psc|cmr|unit)\s\d{3,5},?\s(?:box|bx)\s\d{3,5}\s*[\r\n,]*\s*[adf]po\sa[aep]\s\d{5}\b",
        r"|(?i)\b(?:usns|usnv|uss|uscgc|usns)\s\p{L}+(?:\s\p{L}+)?\s*[\r\n,]*\s*fpo\sa[aep]\s\d{5}\b",
    ))
    .min_digits(5)
    .when_any(&["apo", "dpo", "fpo"])
});
static ZIP_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:zip|zip\s?code|post\s?code|postal\s?code|pin\s?code)(?:\s?:|\s+is)?\s?(\d{3,6}(?:[ \-]\d{2,4})?)\b",
    )
    .min_digits(3)
    // Every form but `zip` ends in `code`.
    .when_any(&["zip", "code"])
});

/// Street types besides the `street` cues of `phi_cues.csv` (those are
/// shared with the name detector, where they stop a surname).
fn more_type(w: &str) -> bool {
    in_set(&MORE_TYPES, const { &ShapeFilter::of(&MORE_TYPES) }, w)
}

/// The words of [`more_type`] (see [`in_set`]).
const MORE_TYPES: WordSet<37> = WordSet::new([
    "str", "pass", "gateway", "plaza", "loop", "crossing", "bypass", "ridge", "heights", "point", "spur", "cove",
    "glen", "bend", "landing", "meadows", "vale", "chase", "fields", "common", "strasse", "straße", "vej", "gade",
    "gata", "gatan", "katu", "tie", "weg", "laan", "straat", "gasse", "ulica", "utca", "út", "tér", "u",
]);

/// True when `w` is one of the words of `set`, whose filter is `filter`:
/// the filter answers for most words with one load, the set's shapes for
/// the rest. (A `matches!` on the words was a jump on the word's length,
/// whose target went one way or another from word to word.)
fn in_set<const N: usize>(set: &WordSet<N>, filter: &ShapeFilter, w: &str) -> bool {
    let s = shape(w.as_bytes());
    filter.may_hold(s) && set.contains_shaped(s, w)
}

/// First words of a street name in the languages that put the type first.
fn type_first(w: &str) -> bool {
    TYPE_FIRST.contains(w)
}

/// The words of [`type_first`], as a set read by shape (the scan of
/// [`detect`] asks it of every word).
const TYPE_FIRST: WordSet<28> = WordSet::new([
    "rue",
    "rua",
    "via",
    "viale",
    "calle",
    "avenida",
    "avenue",
    "av",
    "avda",
    "boulevard",
    "bd",
    "ul",
    "ulica",
    "strada",
    "piazza",
    "plaza",
    "praça",
    "largo",
    "camino",
    "carrer",
    "paseo",
    "travessa",
    "chemin",
    "allée",
    "route",
    "trg",
    "odos",
    "leoforos",
]);

/// [`TYPE_FIRST`] as a filter read with one load per word.
const TYPE_FIRST_FILTER: ShapeFilter = ShapeFilter::of(&TYPE_FIRST);

/// The words that [`detect`] looks for in a text without a digit.
const BOX_CORNER: WordSet<2> = WordSet::new(["box", "corner"]);

/// `box`, which [`Scan::number_from`] finds as a number: a word of three
/// bytes, told exactly by its shape.
const BOX: WordSet<1> = WordSet::new(["box"]);

/// `corner`, which opens a street corner.
const CORNER: WordSet<1> = WordSet::new(["corner"]);

/// Street-name endings of the languages that write `Name 25`.
const NAME_SUFFIXES: &[&str] = &[
    "straße", "strasse", "str", "gasse", "weg", "vej", "gade", "gata", "gatan", "vägen", "vagen", "veien", "veg",
    "katu", "tie", "kuja", "polku", "tee", "straat", "laan", "gracht", "plein", "utca", "ulica", "allee", "platz",
    "ring", "stræti", "straeti", "gata", "vegur", "torg",
];

/// Words after a number that make it a count or a measurement.
fn not_street(w: &str) -> bool {
    in_set(&NOT_STREET, const { &ShapeFilter::of(&NOT_STREET) }, w)
}

/// The words of [`not_street`] (see [`in_set`]).
const NOT_STREET: WordSet<36> = WordSet::new([
    "mg", "mcg", "ml", "kg", "g", "mmhg", "units", "unit", "years", "year", "yrs", "months", "weeks", "days", "hours",
    "mins", "minutes", "patients", "people", "beds", "times", "x", "percent", "am", "pm", "of", "and", "or", "to",
    "in", "at", "on", "for", "with", "the", "a",
]);

/// Joining words inside a street name (`Rua do Arenque`).
fn joiner(w: &str) -> bool {
    in_set(&JOINERS, const { &ShapeFilter::of(&JOINERS) }, w)
}

/// The words of [`joiner`] (see [`in_set`]).
const JOINERS: WordSet<31> = WordSet::new([
    "do", "da", "de", "del", "della", "dei", "degli", "delle", "di", "des", "du", "het", "nad", "pod", "la", "le",
    "al", "el", "van", "von", "der", "den", "och", "y", "i", "e", "of", "the", "u", "ul", "św",
]);

/// Unit words (`Apt. 864`, `Suite 501`).
fn unit_word(w: &str) -> bool {
    matches!(
        w,
        "apt"
            | "apartment"
            | "suite"
            | "ste"
            | "unit"
            | "flat"
            | "floor"
            | "fl"
            | "room"
            | "rm"
            | "bldg"
            | "building"
            | "lot"
    )
}

/// Lexical cues that an address follows.
fn address_cue(w: &str) -> bool {
    matches!(
        w,
        "address"
            | "addresses"
            | "and"
            | "at"
            | "to"
            | "is"
            | "lives"
            | "live"
            | "living"
            | "located"
            | "moved"
            | "on"
            | "from"
            | "ship"
            | "deliver"
            | "sent"
    )
}

struct Scan<'a, 't> {
    a: &'a Analysis<'t>,
    cues: &'a Cues,
    /// The text has no upper-case letter: capitalisation says nothing.
    lower_text: bool,
    /// Per token `i`, [`Scan::number_from`] of `i`, made in one pass from
    /// the end of the text (see there).
    next_number: &'a [u32],
}

impl Scan<'_, '_> {
    fn n(&self) -> usize {
        self.a.tokens.len()
    }

    fn word(&self, i: usize) -> bool {
        self.a.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Word)
    }

    fn key(&self, i: usize) -> &str {
        self.a.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    fn cap(&self, i: usize) -> bool {
        self.a.tokens.get(i).is_some_and(|t| {
            t.kind == TokenKind::Word
                && (matches!(t.case, Case::Title | Case::Upper)
                    || t.case == Case::Mixed && self.a.token_text(i).starts_with(char::is_uppercase)
                    || self.lower_text)
        })
    }

    /// A plain house or unit number: up to six digits.
    fn number(&self, i: usize, max: usize) -> bool {
        self.a.tokens.get(i).is_some_and(|t| {
            let s = self.a.token_text(i);
            t.kind == TokenKind::Number && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
        })
    }

    /// A house number with a letter (`221B`, `12a`) as one word token.
    fn lettered_number(&self, i: usize) -> bool {
        self.word(i) && {
            let s = self.a.token_text(i);
            s.len() <= 5
                && s.starts_with(|c: char| c.is_ascii_digit())
                && s.chars().filter(char::is_ascii_alphabetic).count() == 1
                && s.ends_with(|c: char| c.is_ascii_alphabetic())
        }
    }

    /// True when a line break lies between tokens `i` and `i + 1`.
    fn newline_after(&self, i: usize) -> bool {
        match (self.a.tokens.get(i), self.a.tokens.get(i + 1)) {
            (Some(x), Some(y)) => self.a.text.as_bytes()[x.span.end..y.span.start].contains(&b'\n'),
            _ => true,
        }
    }

    fn blank_line_after(&self, i: usize) -> bool {
        match (self.a.tokens.get(i), self.a.tokens.get(i + 1)) {
            (Some(x), Some(y)) => self.a.text[x.span.end..y.span.start].matches('\n').count() >= 2,
            _ => true,
        }
    }

    fn street_type(&self, i: usize) -> bool {
        self.word(i) && (self.cues.covered(i, Role::Street) || more_type(self.key(i))) && !unit_word(self.key(i))
    }

    /// Ends a token range with a `.` glued to its last word (`St.`).
    fn with_dot(&self, e: usize) -> usize {
        match self.a.tokens.get(e + 1) {
            Some(t) if t.norm == "." && !t.space_before && self.word(e) && self.key(e).len() <= 4 => e + 1,
            _ => e,
        }
    }

    /// A unit at `i` (`Apt. 864`, `Suite 501`, `#12`): its last token.
    fn unit_at(&self, i: usize) -> Option<usize> {
        let mut j = i;
        if self.key(j) == "#" {
            return (self.number(j + 1, 5) || self.lettered_number(j + 1)).then_some(j + 1);
        }
        if !self.word(j) || !unit_word(self.key(j)) {
            return None;
        }
        j += 1;
        if self.key(j) == "." || self.key(j) == "#" {
            j += 1;
        }
        if self.key(j) == "no" {
            j += 1;
            if self.key(j) == "." {
                j += 1;
            }
        }
        if self.number(j, 5) || self.lettered_number(j) {
            let mut e = j;
            if self.word(e + 1) && !self.a.tokens[e + 1].space_before && self.a.token_text(e + 1).len() == 1 {
                e += 1;
            }
            return Some(e);
        }
        None
    }

    /// True when the word at `i` is an ordinary English word (in lower case).
    fn common(&self, i: usize, limit: u32) -> bool {
        WORDS.common(self.key(i), limit)
    }

    /// The first token at or after `from` that is a number or `box` (the
    /// token count when there is none), read from the table made once per
    /// text: each token is looked at once, not once per capitalised word.
    fn number_from(&self, from: usize) -> usize {
        self.next_number.get(from).map_or(self.n(), |&x| x as usize)
    }
}

/// Per token, the first token at or after it that is a number or `box`
/// (the token count when there is none), with one more entry for the end.
/// Each entry is the token's own index or the next entry, picked without a
/// branch (a branch on the token's kind goes either way as tokens go).
/// Written into `next`, of one more entry than the tokens.
fn next_numbers(cues: &Cues, next: &mut [u32]) {
    let n = next.len() - 1;
    let mut found = u32::try_from(n).unwrap_or(u32::MAX);
    next[n] = found;
    for i in (0..n).rev() {
        let here = cues.is(i, Class::NUMBER) | BOX.may_hold_shape(cues.tokens[i].shape);
        // A choice of two numbers held in registers: a conditional move.
        found = if here {
            u32::try_from(i).unwrap_or(u32::MAX)
        } else {
            found
        };
        next[i] = found;
    }
}

/// How sure a street line is by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A house number and a street type (`14 Tern Street`), or a street
    /// type and a number (`Villacher Strasse 89`): an address.
    Strong,
    /// A street name of a shape streets have (`Rua Mina 50`,
    /// `Sludevej 13`): an address after an address cue.
    Shaped,
    /// A number and rare capitalised words (`9816 214 Pavlou Drandaki`):
    /// an address after a cue, with a long house number.
    Weak,
}

/// The street line starting at token `i` (a house number, or a
/// `Name 25` street): its last token and how sure it is.
fn street_line(s: &Scan<'_, '_>, i: usize) -> Option<(usize, Evidence)> {
    let n = s.n();
    let numbered = s.number(i, 6) || s.lettered_number(i);
    let mut j = i;
    if numbered {
        j += 1;
        // A second number (`17151 2450 Crown St`, `846 31 Rue ...`).
        if s.number(j, 5) && !s.newline_after(i) {
            j += 1;
        }
    }
    if j >= n || !s.word(j) || not_street(s.key(j)) || s.newline_after(j.saturating_sub(1)) && numbered {
        return None;
    }
    // Without a house number, a number must follow on the line (`Koskikatu
    // 25`, `Villacher Strasse 89`): a quick test before the word checks.
    if !numbered && {
        // Within the next eight tokens, with no line break before it.
        let x = s.number_from(j + 1);
        x >= (j + 9).min(n) || (j..x).any(|y| s.newline_after(y))
    } {
        return None;
    }
    // `45818 P.O. Box 242`, `PO Box 12`.
    if let Some(e) = po_box(s, j) {
        return Some((e, Evidence::Strong));
    }
    let first = j;
    let mut words = 0;
    let mut e = j;
    // The run of words ends without a street type or number: an address
    // only when numbered and every word is rare (`9816 214 Pavlou Drandaki`).
    let bare = |e: usize| {
        let rare = (first..e)
            .filter(|&x| s.word(x))
            .all(|x| joiner(s.key(x)) || !s.common(x, 5000));
        let two = (first..e).filter(|&x| s.word(x)).count() >= 2;
        (numbered && two && rare && s.cap(first)).then_some((e - 1, Evidence::Weak))
    };
    while e < n && words < 6 {
        let t = &s.a.tokens[e];
        if e > first && s.newline_after(e - 1) {
            return bare(e);
        }
        match t.kind {
            TokenKind::Word => {
                let k = s.key(e);
                // A one- or two-letter type is written with its dot (`u.`).
                let short_ok = k.len() >= 3 || s.key(e + 1) == ".";
                if e > first && s.street_type(e) && short_ok && (s.cap(e) || s.lower_text || k.len() <= 4) {
                    // `Crown St`, `Avenue Teboulbi St.`: a street type after a name.
                    let names_ok =
                        (first..e).all(|x| !s.word(x) || s.cap(x) || joiner(s.key(x)) || s.a.token_text(x).len() <= 3);
                    if names_ok {
                        let mut end = s.with_dot(e);
                        // `Villacher Strasse 89`: the number after the type.
                        let number_after = s.number(end + 1, 4) && !s.newline_after(end);
                        let foreign = more_type(k) || type_first(s.key(first));
                        if number_after && (!numbered || foreign) {
                            end += 1;
                        }
                        let strong = numbered || number_after && end > e;
                        return Some((end, if strong { Evidence::Strong } else { Evidence::Weak }));
                    }
                    return None;
                }
                if !(s.cap(e) || joiner(k) || !s.a.token_text(e).is_ascii() || e > first && k.len() <= 3) {
                    return None;
                }
                words += 1;
            }
            TokenKind::Number if e > first => {
                // European order: `Koskikatu 25`, `Rua do Arenque 1634`,
                // `Erzsébet tér 19.`
                let txt = s.a.token_text(e);
                if txt.len() > 5 || !txt.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let head = s.key(first);
                let foreign = (first..e)
                    .filter(|&x| s.word(x))
                    .all(|x| joiner(s.key(x)) || !s.common(x, 3000) || type_first(s.key(x)));
                let shaped = type_first(head)
                    || NAME_SUFFIXES.iter().any(|suf| s.key(e - 1).ends_with(suf))
                    || !s.a.token_text(first).is_ascii();
                if !foreign || !(shaped || numbered) {
                    return None;
                }
                let mut end = e;
                if s.key(e + 1) == "." && !s.a.tokens[e + 1].space_before {
                    end = e + 1;
                }
                // `Dalmatinova 68 St.`: a street type after the number.
                if s.street_type(end + 1) && !s.newline_after(end) {
                    return Some((s.with_dot(end + 1), Evidence::Strong));
                }
                return Some((end, if shaped { Evidence::Shaped } else { Evidence::Weak }));
            }
            TokenKind::Punct if e > first && t.norm == "." && !t.space_before && s.key(e - 1).len() <= 4 => {}
            TokenKind::Punct if e > first && matches!(t.norm.as_str(), "'" | "-") && !t.space_before => {}
            TokenKind::Punct if e > first && matches!(t.norm.as_str(), "," | "." | "!" | "?" | ";") => return bare(e),
            _ => return None,
        }
        e += 1;
    }
    if e >= n { bare(e) } else { None }
}

/// A town and its postcode after `in` (`in København K 1421`, `in
/// Quinta de São Tiago 3610-114`): the last token. A year is not a
/// postcode (`in Leeds 2019`).
fn town_postcode(s: &Scan<'_, '_>, i: usize) -> Option<usize> {
    if i == 0 || s.key(i - 1) != "in" || !s.cap(i) || s.common(i, 3000) {
        return None;
    }
    let mut e = i;
    while e + 1 < s.n() && e - i < 4 && !s.newline_after(e) && (s.cap(e + 1) || joiner(s.key(e + 1))) {
        e += 1;
    }
    let k = e + 1;
    if !s.number(k, 5) || s.newline_after(e) {
        return None;
    }
    let txt = s.a.token_text(k);
    let year = txt.len() == 4 && (txt.starts_with("19") || txt.starts_with("20"));
    if txt.len() < 4 || year {
        return None;
    }
    // `3610-114`
    if s.key(k + 1) == "-" && s.number(k + 2, 4) && !s.a.tokens[k + 1].space_before {
        return Some(k + 2);
    }
    Some(k)
}

/// A 24-hour clock time written as four digits (`0800`, `1830`).
fn clock_time(s: &str) -> bool {
    s.len() == 4
        && s.bytes().all(|b| b.is_ascii_digit())
        && s[..2].parse::<u32>().is_ok_and(|h| h <= 23)
        && s[2..].parse::<u32>().is_ok_and(|m| m <= 59)
}

/// A post-office box at `j` (`P.O. Box 242`, `PO Box 12`): its number.
fn po_box(s: &Scan<'_, '_>, j: usize) -> Option<usize> {
    let mut k = j;
    let mut letters = String::new();
    while k < j + 5 && k < s.n() {
        match s.key(k) {
            "." => {}
            "box" => break,
            w if w.len() <= 2 && s.word(k) => letters.push_str(w),
            _ => return None,
        }
        k += 1;
    }
    (letters == "po" && s.key(k) == "box" && s.number(k + 1, 6)).then_some(k + 1)
}

/// True when the words before token `i` introduce an address.
fn cue_before(s: &Scan<'_, '_>, i: usize) -> bool {
    let mut j = i;
    while j > 0 && matches!(s.key(j - 1), ":" | "-" | ">" | "," | "?") {
        j -= 1;
    }
    j == 0 || s.newline_after(j - 1) || j > 0 && address_cue(s.key(j - 1))
}

/// One more part of an address after token `e` (a new line or a comma):
/// its last token, when it reads as a unit, a town, a state, a country or a
/// postcode.
fn next_part(s: &Scan<'_, '_>, e: usize) -> Option<usize> {
    let n = s.n();
    let mut j = e + 1;
    let comma = s.key(j) == ",";
    while j < n && matches!(s.key(j), "," | ">" | "-" | "?" | "." | "|") {
        j += 1;
    }
    if j >= n || !comma && !s.newline_after(e) && !s.newline_after(j - 1) {
        // On the same line without a comma: only a unit or a postcode.
        if let Some(u) = s.unit_at(j) {
            return Some(u);
        }
        return None;
    }
    if let Some(u) = s.unit_at(j) {
        return Some(u);
    }
    // Up to five tokens on one line: capitalised words, state codes,
    // listed places, postcodes.
    let mut k = j;
    let mut words = 0;
    let mut digits = 0;
    let mut last = None;
    while k < n {
        let t = &s.a.tokens[k];
        let txt = s.a.token_text(k);
        let ok = match t.kind {
            TokenKind::Word => {
                if txt.contains(|c: char| c.is_ascii_digit()) {
                    txt.len() <= 4
                } else if let Some((end, _)) = listed_at(s.a, k, s.lower_text) {
                    words += 1;
                    k = end;
                    true
                } else {
                    words += 1;
                    (s.cap(k) || s.key(k) == "nan" || joiner(s.key(k)))
                        && (!s.common(k, 1000) || t.case == Case::Upper || s.lower_text && !s.common(k, 300))
                }
            }
            TokenKind::Number => {
                digits += txt.len();
                txt.bytes().all(|b| b.is_ascii_digit()) && txt.len() <= 6
            }
            TokenKind::Punct => matches!(t.norm.as_str(), "-" | "." | "'") && k > j,
            _ => false,
        };
        if !ok || words > 4 || digits > 7 {
            // The part ends at a line end, a comma or a postcode (`Reading
            // RG1 2AB when ...`).
            let postcode =
                (k.saturating_sub(2).max(j)..k).any(|x| s.a.token_text(x).contains(|c: char| c.is_ascii_digit()));
            return last
                .filter(|_| words <= 4 && digits <= 7 && (s.newline_after(k - 1) || postcode) || s.key(k) == ",");
        }
        last = Some(k);
        if s.newline_after(k) || s.key(k + 1) == "," {
            break;
        }
        k += 1;
    }
    // A phone number on its own line is not part of the address.
    last.filter(|&l| !(digits >= 7 && l > j))
}

pub(super) fn detect(a: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    for m in &mut BOXES.find_iter(h) {
        push(
            out,
            m.start(),
            m.end(),
            Kind::Address,
            0.9,
            "post-box or military address",
        );
    }
    for c in &mut ZIP_CUE.captures_iter(h) {
        if let Some(m) = c.get(1) {
            push(out, m.start(), m.end(), Kind::Address, 0.85, "postcode after its label");
        }
    }
    // Below, a street corner needs the word `corner`; a town and postcode
    // a number token; a street line a house number (a number token or a
    // word starting with a digit, `221B`) or, without one, a number token
    // or `box` further on. A text with none of them has no address.
    // (Each token's kept class and shape or'ed over the text, without a
    // branch per token: a test of its kind, then of its text, went either
    // way from token to token.)
    let possible = h.digits() > 0
        || (0..a.tokens.len()).fold(false, |any, i| {
            any | cues.is(i, Class::NUMBER) | cues.is_in(a, i, &BOX_CORNER)
        });
    if !possible {
        return;
    }
    let n = a.tokens.len();
    let mut next_number = PerToken::new(n + 1);
    next_numbers(cues, &mut next_number);
    let s = Scan {
        a,
        cues,
        lower_text: super::places::lower_text(a),
        next_number: &next_number,
    };
    // The tokens where the scan below may find something, listed without
    // a branch on each token (see [`candidates`]); the scan goes on from
    // the end of what it finds.
    let mut resume = 0;
    let mut at = PerToken::new(n);
    for &i in candidates(&s, &mut at) {
        let i = i as usize;
        if i < resume {
            continue;
        }
        // The corner of two streets.
        if s.key(i) == "corner" && s.key(i + 1) == "of" {
            let start = if i > 0 && s.key(i - 1) == "the" { i - 1 } else { i };
            let mut e = i + 2;
            let mut and = false;
            while e + 1 < n && e < i + 14 && !s.newline_after(e) {
                let nx = s.key(e + 1);
                if nx == "and" {
                    and = true;
                } else {
                    let k = e + 1;
                    let part = s.cap(k)
                        || s.a.tokens[k].kind == TokenKind::Number
                        || nx == "."
                        || joiner(nx)
                        || s.word(k) && !s.common(k, 2000)
                        || s.street_type(k);
                    if !part {
                        break;
                    }
                }
                e += 1;
            }
            if and && s.key(e) != "and" {
                push(
                    out,
                    a.tokens[start].span.start,
                    a.tokens[e].span.end,
                    Kind::Address,
                    0.85,
                    "street corner",
                );
                resume = e + 1;
                continue;
            }
        }
        // A street line and a town with its postcode both need a number
        // token or `box` within nine tokens after their first, unless they
        // start with a house number glued to its letter (`221B`): far from
        // any, a token starts nothing (see [`street_line`] and
        // [`town_postcode`]).
        if s.number_from(i) > i + 9 && !s.a.token_text(i).starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // A street line starts with a number or a capitalised word (or a
        // type word such as `ul.`), a town after `in`: skip other tokens.
        let t = &a.tokens[i];
        let start_like = match t.kind {
            TokenKind::Number => true,
            TokenKind::Word => s.cap(i) || s.lettered_number(i) || type_first(s.key(i)),
            _ => false,
        };
        if !start_like {
            continue;
        }
        if let Some(e) = town_postcode(&s, i) {
            push(
                out,
                a.tokens[i].span.start,
                a.tokens[e].span.end,
                Kind::Address,
                0.7,
                "town and postcode",
            );
            resume = e + 1;
            continue;
        }
        let Some((mut e, evidence)) = street_line(&s, i) else {
            continue;
        };
        // A unit right after the street (`Apt. 864`).
        let mut parts = 0;
        let mut blank = 0;
        let street_end = e;
        if let Some(u) = s.unit_at(e + 1) {
            e = u;
        }
        while parts < 6 {
            if s.blank_line_after(e) {
                blank += 1;
                if blank > 1 {
                    break;
                }
            }
            match next_part(&s, e) {
                Some(p) => {
                    e = p;
                    parts += 1;
                }
                None => break,
            }
        }
        let numbered = s.number(i, 6) || s.lettered_number(i);
        let long_number = s.a.token_text(i).len() >= 3 && numbered;
        let strong = evidence == Evidence::Strong;
        let cued = match evidence {
            Evidence::Strong => true,
            Evidence::Shaped => cue_before(&s, i) && (numbered || s.cap(i) || s.key(i) == "ul"),
            Evidence::Weak => {
                // Not a dose or a count after the line (`40 mg`).
                let unit_next = s.word(e + 1) && not_street(s.key(e + 1));
                cue_before(&s, i) && (long_number && !unit_next || numbered && e > street_end)
            }
        };
        // `at 0800 Enoxaparin 40 mg`: a time, not a house number.
        let time = parts == 0 && clock_time(s.a.token_text(i)) && i > 0 && s.key(i - 1) == "at";
        if (strong || parts > 0 || cued) && !time {
            let conf = if parts > 0 || strong { 0.9 } else { 0.8 };
            push(
                out,
                a.tokens[i].span.start,
                a.tokens[e].span.end,
                Kind::Address,
                conf,
                "postal address",
            );
            resume = e + 1;
            continue;
        }
    }
}

/// The tokens where [`detect`]'s scan may find something: a word shaped
/// like `corner`, or a token that may start a street line or a town (a
/// number; a word capitalised, or starting with a digit, or of the shape
/// of a [`type_first`] word) with a number or `box` within nine tokens or
/// a digit of its own. The scan tests each of them again in full: this is
/// a superset, found with bits and'ed per token and the list grown by
/// arithmetic (a token is written at its end, which moves on only for a
/// kept one), where the scan tested every token with branches that went
/// either way from token to token.
fn candidates<'t>(s: &Scan<'_, '_>, at: &'t mut PerToken<u32>) -> &'t [u32] {
    let (a, cues) = (s.a, s.cues);
    let bytes = a.text.as_bytes();
    at.select(|i| {
        let t = &a.tokens[i];
        let TokenCues { shape, class, .. } = cues.tokens[i];
        let digit_first = (t.span.end > t.span.start) & bytes.get(t.span.start).is_some_and(u8::is_ascii_digit);
        let near = s.number_from(i) <= i + 9;
        let bit = |b: u16| class & b != 0;
        let start_like = bit(Class::NUMBER)
            | bit(Class::WORD) & (bit(Class::CAPITAL) | s.lower_text | digit_first | TYPE_FIRST_FILTER.may_hold(shape));
        CORNER.may_hold_shape(shape) | (near | digit_first) & start_like
    })
}

#[cfg(test)]
mod tests {
    use primum_text::Analysis;

    use super::super::pattern::Haystack;
    use super::super::words::Cues;

    fn addresses(text: &str) -> Vec<&str> {
        let a = Analysis::new(text);
        let mut out = Vec::new();
        super::detect(&a, Haystack::of(&a), &Cues::new(&a), &mut out);
        out.iter().map(|i| &text[i.span.start..i.span.end]).collect()
    }

    #[test]
    fn street_lines() {
        assert_eq!(
            addresses("She lives at 14 Tern Street with her son"),
            ["14 Tern Street"]
        );
        assert_eq!(addresses("drop off at 221B Baker St. please"), ["221B Baker St."]);
        assert_eq!(
            addresses("Address: 5049 Harjukuja 54, SEINÄJOKI"),
            ["5049 Harjukuja 54, SEINÄJOKI"]
        );
        assert_eq!(
            addresses("lives at 86036 Rua do Arenque 1634, Goiânia"),
            ["86036 Rua do Arenque 1634, Goiânia"]
        );
    }

    #[test]
    fn multi_line_blocks() {
        let t = "William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488";
        assert_eq!(addresses(t), ["20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488"]);
        let t = "is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677";
        assert_eq!(
            addresses(t),
            ["6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"]
        );
        let t = "Flat 3\n12 High Street\nLondon\nSW1A 1AA\nTel 020 7946 0000";
        assert_eq!(addresses(t), ["12 High Street\nLondon\nSW1A 1AA"]);
    }

    #[test]
    fn a_street_type_after_the_number() {
        assert_eq!(
            addresses("The bus drops you off at 87818 Dalmatinova 68 St."),
            ["87818 Dalmatinova 68 St."]
        );
        assert_eq!(addresses("his address: 5366 Pivovarská 276"), ["5366 Pivovarská 276"]);
    }

    #[test]
    fn a_town_and_postcode_end_a_part() {
        assert_eq!(
            addresses("Discharge to 12 Oak Road, Reading RG1 2AB when fit"),
            ["12 Oak Road, Reading RG1 2AB"]
        );
    }

    #[test]
    fn post_office_boxes_start_blocks() {
        let t = "45818 P.O. Box 242\n Suite 787\n Kangerlussuaq\n\n Greenlander 54005";
        assert_eq!(addresses(t), [t]);
        assert_eq!(addresses("write to PO Box 12, Leeds"), ["PO Box 12, Leeds"]);
    }

    #[test]
    fn european_streets_and_towns() {
        assert_eq!(
            addresses("The bus station is on Villacher Strasse 89"),
            ["Villacher Strasse 89"]
        );
        assert_eq!(
            addresses("Timotea lives on Via dei Fiorentini 17 street."),
            ["Via dei Fiorentini 17 street"]
        );
        assert_eq!(addresses("enter on C. Beerninckstraat 88"), ["C. Beerninckstraat 88"]);
        assert_eq!(
            addresses("The restaurant is at 9816 214 Pavlou Drandaki"),
            ["9816 214 Pavlou Drandaki"]
        );
        assert_eq!(
            addresses("to support Nautilytics in København K 1421 in its"),
            ["København K 1421"]
        );
        assert!(addresses("the audit in Leeds 2019 found").is_empty());
        let t = "808 Kálmán Imre u. 12.\n Apt. 762\n Zalakaros\n Hungary 06554";
        assert_eq!(addresses(t), [t]);
        let t = "??? 83854 Strickstrasse 61\n??? Suite 292\n??? Zuoz\n??? Switzerland 53730";
        assert_eq!(
            addresses(t),
            ["83854 Strickstrasse 61\n??? Suite 292\n??? Zuoz\n??? Switzerland 53730"]
        );
    }

    #[test]
    fn boxes_corners_and_zip_codes() {
        assert_eq!(addresses("my zip code is 880"), ["880"]);
        assert_eq!(
            addresses("sent to USNS Møller\nFPO AA 85844"),
            ["USNS Møller\nFPO AA 85844"]
        );
        assert_eq!(
            addresses("Meet me at PSC 1437, Box 3833\nAPO AA 66791"),
            ["PSC 1437, Box 3833\nAPO AA 66791"]
        );
        assert_eq!(addresses("ZIP: 394 13"), ["394 13"]);
        assert_eq!(
            addresses("the corner of Csabai kapu 39. and Mathias Pass"),
            ["the corner of Csabai kapu 39. and Mathias Pass"]
        );
    }

    /// The word sets read by shape hold their words and no word a
    /// byte away from one (longer, shorter, another last byte, upper
    /// case).
    #[test]
    fn street_word_sets_hold_their_words_only() {
        for (set, f) in [
            (super::MORE_TYPES.words(), super::more_type as fn(&str) -> bool),
            (super::NOT_STREET.words(), super::not_street),
            (super::JOINERS.words(), super::joiner),
        ] {
            for w in set {
                assert!(f(w), "{w}");
                for other in [
                    format!("{w}s"),
                    format!("x{w}"),
                    w[..w.len() - 1].to_string(),
                    w.to_uppercase(),
                ] {
                    assert_eq!(f(&other), set.contains(&other.as_str()), "{other}");
                }
            }
        }
    }

    #[test]
    fn counts_and_measurements_are_not_streets() {
        for t in [
            "15 patients in bay 4 tonight",
            "BP 120/80, RR 18, O2 sats 97 on 2L",
            "gave 500 mg Paracetamol 2 hours ago",
            "bed 4 needs a foley x3 today",
            "Ward 9 had 12 admissions and 3 discharges",
            "We scored 3 Goals 2 weeks ago",
            "Top 10 Tips for night shift",
            "In the context of FIDO U 2 F, when is a key made",
            "Paracetamol 1 g PO given at 0800, Enoxaparin 40 mg SC at 1800.",
            "BP 120/80, HR 88, RR 18, A&O x3, on 2L O2, Foley draining 400 ml",
            "Mobilised with Zimmer Frame 2 x assist, GCS 15/15, Cardiology Team 2.",
        ] {
            assert!(addresses(t).is_empty(), "{t}: {:?}", addresses(t));
        }
    }
}
