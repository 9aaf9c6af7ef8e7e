//! Realistic surrogates for `primum redact --style surrogate`: each
//! identifier is replaced by a made-up one of the same kind and shape, so
//! a redacted case report still reads naturally.
//!
//! Within one text the replacements are consistent:
//!
//! - a word of a name, place, organisation or street always becomes the
//!   same other word (`Mrs Voss` ... `Eleanor Voss` ... `Voss's daughter`
//!   all become the same surname), and two different words never become
//!   the same one;
//! - every date moves by the same number of days (between 7 and 70, either
//!   way), so intervals, weekdays and their order are kept (`Tuesday 3
//!   March` ... `the 5th` stay two days apart);
//! - ages move by one to three years; an age over 89 becomes another age
//!   over 89, so the surrogate keeps HIPAA's "90 or older" band;
//! - digits of phone, fax and record numbers are redrawn with the same
//!   layout; IP addresses come from the documentation ranges (RFC 5737,
//!   RFC 3849) and e-mail addresses use `example.com` (RFC 2606).
//!
//! The choices come from a keyed hash of the seed and the text, so the
//! same seed gives the same output (reproducible tests) while each text
//! gets its own date shift and names: knowing one post's real date does
//! not reveal another's. A span that cannot be parsed into a surrogate (a
//! date range across months, an age in words) gets its `[KIND]`
//! placeholder instead.
//!
//! Surrogate names come from the most frequent given names (by sex) and
//! surnames of the 1990 US Census lists already embedded
//! (`lexicons/first_names.csv`, `surnames.csv`); places are made from
//! English place-name parts (`Ash` + `ford`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::names::MONTHS_DAYS;
use super::words::{Role, WORDS};
use crate::finding::Kind;
use crate::time::Date;

/// Given names and surnames to draw surrogates from, most frequent first.
struct Pools {
    male: Vec<String>,
    female: Vec<String>,
    surnames: Vec<String>,
    /// Sex of a known given name: `m`, `f` (or absent).
    sex: HashMap<String, u8>,
}

/// How many of the most frequent names of each list are drawn from: common
/// enough to read naturally, many enough that collisions are rare.
const POOL: usize = 400;

static POOLS: LazyLock<Pools> = LazyLock::new(|| {
    let mut male = Vec::new();
    let mut female = Vec::new();
    let mut sex = HashMap::new();
    for row in crate::lexicon_rows!("first_names.csv") {
        let (Some(name), Some(s)) = (row.first(), row.get(1)) else {
            continue;
        };
        let frequent = row.get(2).is_some_and(|f| !f.is_empty());
        let code = s.bytes().next().unwrap_or(b'?');
        sex.entry(name.clone()).or_insert(code);
        let list = if code == b'm' { &mut male } else { &mut female };
        if frequent && list.len() < POOL && name.len() > 2 {
            list.push(name.clone());
        }
    }
    let surnames = crate::lexicon_rows!("surnames.csv")
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .filter(|n| n.len() > 3)
        .take(POOL)
        .collect();
    Pools {
        male,
        female,
        surnames,
        sex,
    }
});

const PLACE_HEADS: &[&str] = &[
    "ash", "brook", "elm", "fair", "green", "hazel", "kings", "lang", "maple", "oak", "stone", "west", "north", "east",
    "south", "thorn", "wood", "bright", "castle", "mill", "red", "white", "black", "cold", "high", "long", "new",
    "river", "rose", "silver",
];
const PLACE_TAILS: &[&str] = &[
    "ford", "field", "ton", "bury", "wood", "ham", "dale", "ley", "worth", "bridge", "combe", "well", "stead", "gate",
    "hurst", "minster", "borough", "haven", "moor", "wick",
];

/// Month names, January first (from the name detector's list).
const MONTHS: &[&str] = MONTHS_DAYS.split_at(12).0;
/// Weekday names, Monday first.
const WEEKDAYS: &[&str] = MONTHS_DAYS.split_at(12).1.split_at(7).0;

/// Words kept as they are inside a name, place, organisation or address:
/// they say what kind of thing it is, not which one.
const KEEP: &[&str] = &[
    "of",
    "the",
    "and",
    "at",
    "on",
    "in",
    "de",
    "la",
    "le",
    "van",
    "von",
    "der",
    "du",
    "da",
    "di",
    "st",
    "saint",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "dame",
    "north",
    "south",
    "east",
    "west",
    "upper",
    "lower",
    "great",
    "little",
    "new",
    "old",
    "flat",
    "apt",
    "apartment",
    "unit",
    "suite",
    "floor",
    "po",
    "box",
    "room",
    "bed",
    "bay",
    "ward",
    "house",
    "block",
];

/// Makes the surrogates of one text.
pub struct Surrogates {
    /// Key of this text's choices: the seed mixed with the text.
    key: u64,
    /// Days every date moves by.
    shift: i64,
    /// Numeric dates with both parts up to 12 are read month first.
    month_first: bool,
    /// Replacement of each word seen (lower case).
    words: HashMap<String, String>,
    /// Replacements given out, and the text's own words: never reused.
    taken: HashSet<String>,
    /// Whole replacements of e-mail addresses, handles, IPs.
    whole: HashMap<String, String>,
}

impl Surrogates {
    /// Surrogates for `text` (the whole text being redacted), drawn with
    /// `seed`; `month_first` reads `03/04` as 4 March (US usage).
    pub fn new(seed: u64, text: &str, month_first: bool) -> Surrogates {
        let key = mix(seed, hash_str(text));
        let days = 7 + (mix(key, 1) % 64) as i64;
        let shift = if mix(key, 2).is_multiple_of(2) { days } else { -days };
        let taken = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        Surrogates {
            key,
            shift,
            month_first,
            words: HashMap::new(),
            taken,
            whole: HashMap::new(),
        }
    }

    /// The number of days dates move by in this text.
    pub fn date_shift(&self) -> i64 {
        self.shift
    }

    /// The surrogate of identifier `s` of kind `kind`, or `None` when it
    /// cannot be made (the caller writes the placeholder).
    pub fn replace(&mut self, kind: Kind, s: &str) -> Option<String> {
        match kind {
            Kind::Name => Some(self.words_of(s, Class::Name)),
            Kind::Location => Some(self.words_of(s, Class::Place)),
            Kind::Organization | Kind::Address => Some(self.words_of(s, Class::Surname)),
            Kind::Date => self.date(s),
            Kind::Age => self.age(s),
            // A national number keeps its trunk and service digits (`07`
            // stays a UK mobile, `04` an Australian one).
            Kind::Phone | Kind::Fax => Some(self.redraw(s, if s.starts_with('0') { 2 } else { 0 })),
            Kind::Id => Some(self.redraw(s, 0)),
            Kind::Email => Some(self.email(s)),
            Kind::Url => Some(self.url(s)),
            Kind::Ip => Some(self.ip(s)),
            Kind::Other => None,
        }
    }

    /// A random number for choice `what` about `item`.
    fn draw(&self, item: &str, what: u64) -> u64 {
        mix(mix(self.key, hash_str(item)), what)
    }

    /// Replaces the words of a multi-word identifier one by one, keeping
    /// kind words (`Street`, `Hospital`, `Ward`, `Mrs`), digits redrawn.
    fn words_of(&mut self, s: &str, class: Class) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        let pieces = pieces(s);
        // The `s` of a possessive (`Voss's`) is kept and is not a word.
        let possessive: Vec<bool> = (0..pieces.len())
            .map(|k| {
                k > 0
                    && s[pieces[k].start..pieces[k].end].eq_ignore_ascii_case("s")
                    && matches!(&s[pieces[k - 1].start..pieces[k - 1].end], "'" | "\u{2019}")
            })
            .collect();
        let letters = pieces
            .iter()
            .zip(&possessive)
            .filter(|(p, poss)| p.kind == Piece::Letters && !**poss)
            .count();
        let mut seen = 0;
        for (k, p) in pieces.iter().enumerate() {
            let text = &s[p.start..p.end];
            match p.kind {
                Piece::Letters if possessive[k] => out.push_str(text),
                Piece::Letters => {
                    seen += 1;
                    let lower = text.to_lowercase();
                    let keep = KEEP.contains(&lower.as_str())
                        || (class != Class::Name && kind_word(&lower))
                        || (text.chars().count() == 1 && class == Class::Name);
                    if keep {
                        out.push_str(text);
                        continue;
                    }
                    // In a name, the last word is the surname unless it
                    // is the only one and a known given name.
                    let class = match class {
                        Class::Name if seen < letters || (letters == 1 && POOLS.sex.contains_key(&lower)) => {
                            Class::Given
                        }
                        Class::Name => Class::Surname,
                        c => c,
                    };
                    let new = self.word(&lower, class);
                    out.push_str(&same_case(text, &new));
                }
                Piece::Digits => out.push_str(&self.digits(text)),
                Piece::Other => out.push_str(text),
            }
        }
        out
    }

    /// The surrogate of one word (lower case), the same each time.
    fn word(&mut self, lower: &str, class: Class) -> String {
        if let Some(w) = self.words.get(lower) {
            return w.clone();
        }
        let pools = &*POOLS;
        let mut choice = String::new();
        for attempt in 0..64 {
            let r = self.draw(lower, 100 + attempt);
            choice = match class {
                Class::Given => {
                    let list = match pools.sex.get(lower) {
                        Some(b'm') => &pools.male,
                        Some(b'f') => &pools.female,
                        _ if r.is_multiple_of(2) => &pools.male,
                        _ => &pools.female,
                    };
                    pick(list, r >> 1)
                }
                Class::Surname | Class::Name => pick(&pools.surnames, r),
                Class::Place => {
                    let head = PLACE_HEADS[(r % PLACE_HEADS.len() as u64) as usize];
                    let tail = PLACE_TAILS[((r >> 16) % PLACE_TAILS.len() as u64) as usize];
                    format!("{head}{tail}")
                }
            };
            if !self.taken.contains(&choice) {
                break;
            }
            // 64 collisions in a row only happen with a text that holds
            // most of the pool; add a letter rather than reuse a name.
            if attempt == 63 {
                choice.push(char::from(b'a' + (r % 26) as u8));
            }
        }
        self.taken.insert(choice.clone());
        self.words.insert(lower.to_string(), choice.clone());
        choice
    }

    /// Digits redrawn, one for one; a leading zero stays a zero (trunk
    /// prefix) and a leading non-zero digit stays non-zero.
    fn digits(&self, run: &str) -> String {
        let mut out = String::with_capacity(run.len());
        for (i, c) in run.chars().enumerate() {
            let r = self.draw(run, 1000 + i as u64);
            let d = match (i, c) {
                (0, '0') => 0,
                (0, _) => 1 + r % 9,
                _ => r % 10,
            };
            out.push(char::from(b'0' + d as u8));
        }
        out
    }

    /// Phone, fax and record numbers: every digit and letter redrawn, the
    /// layout kept; a `+` country code and the first `keep` digits are
    /// kept so the number stays the same kind of number.
    fn redraw(&self, s: &str, keep: usize) -> String {
        let mut out = String::with_capacity(s.len());
        let mut country = s.starts_with('+');
        let mut digits = 0;
        for (i, c) in s.char_indices() {
            let r = self.draw(s, 2000 + i as u64);
            digits += usize::from(c.is_ascii_digit());
            if country || (c.is_ascii_digit() && digits <= keep) {
                out.push(c);
                if i > 0 && !c.is_ascii_digit() {
                    country = false;
                }
            } else if c.is_ascii_digit() {
                let prev_digit = s[..i].chars().next_back().is_some_and(|p| p.is_ascii_digit());
                let d = if !prev_digit && c == '0' {
                    0
                } else if !prev_digit {
                    1 + r % 9
                } else {
                    r % 10
                };
                out.push(char::from(b'0' + d as u8));
            } else if c.is_ascii_uppercase() {
                out.push(char::from(b'A' + (r % 26) as u8));
            } else if c.is_ascii_lowercase() {
                out.push(char::from(b'a' + (r % 26) as u8));
            } else {
                out.push(c);
            }
        }
        out
    }

    fn email(&mut self, s: &str) -> String {
        let key = s.to_lowercase();
        if let Some(w) = self.whole.get(&key) {
            return w.clone();
        }
        let local = key.split('@').next().unwrap_or("");
        let first = local.split(['.', '_', '-', '+']).next().unwrap_or(local);
        let given = self.word(first, Class::Given);
        let last = local.rsplit(['.', '_', '-', '+']).next().unwrap_or(local);
        let new = if last != first {
            format!("{given}.{}@example.com", self.word(last, Class::Surname))
        } else {
            format!("{given}@example.com")
        };
        self.whole.insert(key, new.clone());
        new
    }

    /// Handles and personal web addresses: the account name becomes a
    /// surrogate name, a social site's host is kept.
    fn url(&mut self, s: &str) -> String {
        if let Some(handle) = s.strip_prefix('@') {
            return format!("@{}", self.handle(handle));
        }
        let (scheme, rest) = s.split_once("://").map_or(("", s), |(a, b)| (a, b));
        let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
        let social = WORDS.roles_of(&super::url_host(s)) & Role::SocialHost.bit() != 0;
        let mut out = String::with_capacity(s.len());
        if !scheme.is_empty() {
            out.push_str(scheme);
            out.push_str("://");
        }
        if social {
            out.push_str(host);
        } else {
            let (name, tld) = host.rsplit_once('.').unwrap_or((host, "com"));
            let name = name.trim_start_matches("www.");
            if host.starts_with("www.") {
                out.push_str("www.");
            }
            out.push_str(&self.handle(name));
            out.push('.');
            out.push_str(tld);
        }
        if !path.is_empty() || rest.contains('/') {
            out.push('/');
            let mut first = true;
            for seg in path.split('/') {
                if !first {
                    out.push('/');
                }
                first = false;
                if seg.is_empty() || !seg.chars().any(char::is_alphanumeric) {
                    out.push_str(seg);
                } else {
                    out.push_str(&self.handle(seg));
                }
            }
        }
        out
    }

    /// An account name (`jane_smith_83`, `JaneSmith`): its letters become
    /// a surrogate name, its digits are redrawn, separators kept.
    fn handle(&mut self, h: &str) -> String {
        let key = h.to_lowercase();
        if let Some(w) = self.whole.get(&key) {
            return w.clone();
        }
        let mut out = String::with_capacity(h.len() + 4);
        let mut given = true;
        for p in pieces(h) {
            let text = &h[p.start..p.end];
            match p.kind {
                Piece::Letters => {
                    let class = if given { Class::Given } else { Class::Surname };
                    given = false;
                    let new = self.word(&text.to_lowercase(), class);
                    out.push_str(&same_case(text, &new));
                }
                Piece::Digits => out.push_str(&self.digits(text)),
                Piece::Other => out.push_str(text),
            }
        }
        self.whole.insert(key, out.clone());
        out
    }

    fn ip(&mut self, s: &str) -> String {
        let key = s.to_lowercase();
        if let Some(w) = self.whole.get(&key) {
            return w.clone();
        }
        let n = self.whole.len() as u64;
        let new = if s.contains(':') {
            format!("2001:db8::{:x}", 1 + (self.draw(s, 3000) + n) % 0xfffe)
        } else {
            let nets = ["192.0.2", "198.51.100", "203.0.113"];
            let r = self.draw(s, 3000);
            format!("{}.{}", nets[(r % 3) as usize], 1 + (r >> 8) % 254)
        };
        self.whole.insert(key, new.clone());
        new
    }

    /// Ages move by 1 to 3 years, keeping an age over 89 over 89.
    fn age(&self, s: &str) -> Option<String> {
        let start = s.find(|c: char| c.is_ascii_digit())?;
        let len = s[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(s.len() - start);
        let years: i64 = s[start..start + len].parse().ok()?;
        let r = self.draw(s, 4000);
        let new = if years >= 90 {
            let n = 90 + (r % 10) as i64;
            if n == years { 90 + (n - 89) % 10 } else { n }
        } else {
            let step = 1 + (r % 3) as i64;
            if (r & 8) == 0 || years - step < 1 {
                years + step
            } else {
                years - step
            }
        };
        Some(format!("{}{new}{}", &s[..start], &s[start + len..]))
    }

    /// Moves a date by the text's shift and writes it the way it was
    /// written.
    fn date(&self, s: &str) -> Option<String> {
        let parts = date_parts(s);
        let days = parts.iter().filter(|p| matches!(p.what, Part::Day(_))).count();
        let month = parts.iter().find_map(|p| match p.what {
            Part::Month(m) => Some(m),
            _ => None,
        });
        let numbers: Vec<&DatePart> = parts.iter().filter(|p| matches!(p.what, Part::Number(_))).collect();
        let year = parts.iter().find_map(|p| match p.what {
            Part::Year(y) => Some(y),
            _ => None,
        });
        // A date with its month in words.
        if let Some(m) = month {
            if days > 1 || !numbers.is_empty() {
                return None;
            }
            let day = parts.iter().find_map(|p| match p.what {
                Part::Day(d) => Some(d),
                _ => None,
            });
            let (y, m2, d2) = shift_date(year.unwrap_or(2000), m, day.unwrap_or(15), self.shift)?;
            let mut out = String::new();
            let mut at = 0;
            for p in &parts {
                out.push_str(&s[at..p.start]);
                let orig = &s[p.start..p.end];
                match p.what {
                    Part::Day(_) => {
                        let digits = orig.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                        out.push_str(&d2.to_string());
                        if digits.len() < orig.len() {
                            out.push_str(ordinal(d2));
                        }
                    }
                    Part::Month(_) => out.push_str(&month_like(orig, m2)),
                    Part::Year(_) => out.push_str(&pad(i64::from(y), p.end - p.start)),
                    Part::Weekday(w) => out.push_str(&weekday_like(orig, (w as i64 + self.shift).rem_euclid(7))),
                    Part::Number(_) => out.push_str(orig),
                }
                at = p.end;
            }
            out.push_str(&s[at..]);
            return (day.is_some() || year.is_some()).then_some(out);
        }
        // A weekday alone.
        if numbers.is_empty() && year.is_none() {
            let p = parts.iter().find(|p| matches!(p.what, Part::Weekday(_)))?;
            let Part::Weekday(w) = p.what else { return None };
            let orig = &s[p.start..p.end];
            let new = weekday_like(orig, (w as i64 + self.shift).rem_euclid(7));
            return Some(format!("{}{new}{}", &s[..p.start], &s[p.end..]));
        }
        self.numeric_date(s, &numbers)
    }

    /// `03/04/2026`, `2026-04-03`, `3.4.26`, `03/04`.
    fn numeric_date(&self, s: &str, numbers: &[&DatePart]) -> Option<String> {
        let value = |p: &DatePart| match p.what {
            Part::Number(n) => n,
            _ => 0,
        };
        let n: Vec<u32> = numbers.iter().map(|p| value(p)).collect();
        // Positions (in `numbers`) of year, month and day.
        let (yi, mi, di) = match n.len() {
            3 if numbers[0].end - numbers[0].start == 4 => (Some(0), 1, 2),
            3 | 2 => {
                let month_first = if n[0] > 12 {
                    false
                } else if n[1] > 12 {
                    true
                } else {
                    self.month_first
                };
                let y = (n.len() == 3).then_some(2);
                if month_first { (y, 0, 1) } else { (y, 1, 0) }
            }
            _ => return None,
        };
        let year = yi.map_or(2000, |i| {
            let y = n[i] as i32;
            match numbers[i].end - numbers[i].start {
                2 if y > 30 => 1900 + y,
                2 => 2000 + y,
                _ => y,
            }
        });
        let (y2, m2, d2) = shift_date(year, n[mi], n[di], self.shift)?;
        let mut out = String::new();
        let mut at = 0;
        for (i, p) in numbers.iter().enumerate() {
            out.push_str(&s[at..p.start]);
            let width = p.end - p.start;
            let v = if Some(i) == yi {
                if width == 2 { i64::from(y2 % 100) } else { i64::from(y2) }
            } else if i == mi {
                i64::from(m2)
            } else {
                i64::from(d2)
            };
            out.push_str(&pad(v, width));
            at = p.end;
        }
        out.push_str(&s[at..]);
        Some(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Name,
    Given,
    Surname,
    Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Letters,
    Digits,
    Other,
}

struct Span3 {
    start: usize,
    end: usize,
    kind: Piece,
}

/// Splits `s` into runs of letters (with inner apostrophes), digits and
/// anything else.
fn pieces(s: &str) -> Vec<Span3> {
    let class = |c: char| {
        if c.is_alphabetic() {
            Piece::Letters
        } else if c.is_ascii_digit() {
            Piece::Digits
        } else {
            Piece::Other
        }
    };
    let mut out: Vec<Span3> = Vec::new();
    for (i, c) in s.char_indices() {
        let k = class(c);
        match out.last_mut() {
            Some(last) if last.kind == k && k != Piece::Other => last.end = i + c.len_utf8(),
            _ => out.push(Span3 {
                start: i,
                end: i + c.len_utf8(),
                kind: k,
            }),
        }
    }
    out
}

/// True when a word says what kind of place or organisation something is
/// (`street`, `hospital`, `ward`), from the detector's cue words.
fn kind_word(lower: &str) -> bool {
    let kinds = Role::Street.bit()
        | Role::Facility.bit()
        | Role::Unit.bit()
        | Role::Bed.bit()
        | Role::PlaceSuffix.bit()
        | Role::Area.bit()
        | Role::Title.bit()
        | Role::OrgPrefix.bit();
    WORDS.roles_of(lower) & kinds != 0 || MONTHS.contains(&lower)
}

/// `new` written in the case of `like`: `SMITH`, `smith`, `Smith`.
fn same_case(like: &str, new: &str) -> String {
    let letters = like.chars().filter(|c| c.is_alphabetic());
    let upper = letters.clone().filter(|c| c.is_uppercase()).count();
    let total = letters.count();
    if total > 1 && upper == total {
        new.to_uppercase()
    } else if upper == 0 {
        new.to_lowercase()
    } else {
        let mut c = new.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
}

fn pick(list: &[String], r: u64) -> String {
    if list.is_empty() {
        return "alex".to_string();
    }
    list[(r % list.len() as u64) as usize].clone()
}

#[derive(Debug, Clone, Copy)]
enum Part {
    Day(u32),
    Month(u32),
    Year(i32),
    Weekday(u32),
    /// A number in a numeric date.
    Number(u32),
}

struct DatePart {
    start: usize,
    end: usize,
    what: Part,
}

/// The parts of a date span: words are months or weekdays; numbers are
/// days (1-2 digits, with or without `st`/`th`), years (4 digits) or, in a
/// date without a month word, the numbers of a numeric date.
fn date_parts(s: &str) -> Vec<DatePart> {
    let mut out = Vec::new();
    let words = pieces(s);
    let has_month = words
        .iter()
        .any(|p| p.kind == Piece::Letters && month_of(&s[p.start..p.end]).is_some());
    let mut i = 0;
    while i < words.len() {
        let p = &words[i];
        let text = &s[p.start..p.end];
        match p.kind {
            Piece::Letters => {
                if let Some(m) = month_of(text) {
                    out.push(DatePart {
                        start: p.start,
                        end: p.end,
                        what: Part::Month(m),
                    });
                } else if let Some(w) = weekday_of(text) {
                    out.push(DatePart {
                        start: p.start,
                        end: p.end,
                        what: Part::Weekday(w),
                    });
                }
            }
            Piece::Digits => {
                let n: u32 = text.parse().unwrap_or(0);
                let suffix = words
                    .get(i + 1)
                    .filter(|q| {
                        q.kind == Piece::Letters
                            && matches!(
                                s[q.start..q.end].to_ascii_lowercase().as_str(),
                                "st" | "nd" | "rd" | "th"
                            )
                    })
                    .map(|q| q.end);
                let what = if !has_month {
                    Part::Number(n)
                } else if text.len() == 4 {
                    Part::Year(n as i32)
                } else {
                    Part::Day(n)
                };
                out.push(DatePart {
                    start: p.start,
                    end: suffix.unwrap_or(p.end),
                    what,
                });
                if suffix.is_some() {
                    i += 1;
                }
            }
            Piece::Other => {}
        }
        i += 1;
    }
    out
}

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn weekday_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if w.len() < 3 {
        return None;
    }
    let w = w.strip_suffix('s').filter(|_| w.len() == 5).unwrap_or(&w); // `tues`
    WEEKDAYS
        .iter()
        .position(|d| *d == w || (w.len() <= 4 && d.starts_with(w)))
        .map(|i| i as u32)
}

/// Month `m` (1-12) written the way `like` (a month's name) is: full or
/// short, same case.
fn month_like(like: &str, m: u32) -> String {
    let full = MONTHS[(m - 1) as usize];
    let short = month_of(like).is_some_and(|o| like.chars().count() < MONTHS[(o - 1) as usize].len());
    let word = if short { &full[..3] } else { full };
    same_case(like, word)
}

/// Weekday `w` (Monday = 0) written the way `like` (a weekday's name) is.
fn weekday_like(like: &str, w: i64) -> String {
    let full = WEEKDAYS[w as usize];
    let short = weekday_of(like).is_some_and(|o| like.chars().count() < WEEKDAYS[o as usize].len());
    let word = if short { &full[..3] } else { full };
    same_case(like, word)
}

fn ordinal(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// `v` with at least `width` digits (`03`).
fn pad(v: i64, width: usize) -> String {
    format!("{v:0width$}")
}

/// `(y, m, d)` moved by `days`, or `None` when it is not a calendar date.
fn shift_date(y: i32, m: u32, d: u32, days: i64) -> Option<(i32, u32, u32)> {
    let date = Date::new(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
    let moved = Date::from_days(date.days_since_epoch() + days);
    Some((moved.year, u32::from(moved.month), u32::from(moved.day)))
}

/// SplitMix64 finaliser over `a` and `b`.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a string (stable across runs and platforms).
fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sur(text: &str) -> Surrogates {
        Surrogates::new(7, text, false)
    }

    #[test]
    fn names_are_consistent_and_change() {
        let mut s = sur("Eleanor Voss ... Mrs Voss");
        let full = s.replace(Kind::Name, "Eleanor Voss").unwrap();
        let last = s.replace(Kind::Name, "Voss").unwrap();
        assert_eq!(s.replace(Kind::Name, "Eleanor Voss's").unwrap(), format!("{full}'s"));
        let (given, surname) = full.split_once(' ').unwrap();
        assert_eq!(surname, last);
        assert_ne!(given, "Eleanor");
        assert_ne!(surname, "Voss");
        assert!(given.starts_with(char::is_uppercase));
        // Eleanor is a woman's name: the surrogate is one too.
        assert!(POOLS.female.contains(&given.to_lowercase()), "{given}");
        // Case follows the original.
        assert_eq!(s.replace(Kind::Name, "VOSS").unwrap(), last.to_uppercase());
        assert_eq!(s.replace(Kind::Name, "voss").unwrap(), last.to_lowercase());
    }

    #[test]
    fn different_words_never_share_a_surrogate() {
        let names: Vec<String> = (0..250u8)
            .map(|i| format!("Zq{}{}", char::from(b'a' + i % 26), char::from(b'a' + i / 26)))
            .collect();
        let text = names.join(" ");
        let mut s = sur(&text);
        let mut seen = HashSet::new();
        for n in &names {
            let w = s.replace(Kind::Location, n).unwrap();
            assert!(seen.insert(w.to_lowercase()), "{w} given twice");
        }
    }

    #[test]
    fn kind_words_and_layout_are_kept() {
        let mut s = sur("14 Tern Street");
        let a = s.replace(Kind::Address, "14 Tern Street").unwrap();
        assert!(a.ends_with(" Street"), "{a}");
        assert!(!a.contains("Tern"));
        assert_eq!(a.split(' ').next().unwrap().len(), 2);
        let p = s.replace(Kind::Location, "Yefremova's").unwrap();
        assert!(p.ends_with("'s") && !p.contains("Yefremova"), "{p}");
        let o = s.replace(Kind::Organization, "Queen Adelaide Hospital").unwrap();
        assert!(o.ends_with(" Hospital"), "{o}");
        let b = s.replace(Kind::Location, "bed 12").unwrap();
        assert!(b.starts_with("bed ") && b.len() == 6, "{b}");
    }

    #[test]
    fn dates_move_together() {
        let mut s = sur("x");
        let shift = s.date_shift();
        assert!((7..=70).contains(&shift.abs()));
        let d1 = s.replace(Kind::Date, "3 March 2026").unwrap();
        let (y, m, d) = shift_date(2026, 3, 3, shift).unwrap();
        assert_eq!(d1, format!("{d} {} {y}", same_case("M", MONTHS[(m - 1) as usize])));
        // Numeric day-first dates keep their layout.
        let d2 = s.replace(Kind::Date, "03/03/2026").unwrap();
        assert_eq!(d2, format!("{d:02}/{m:02}/{y}"));
        // Ordinals and short month names keep their form; without a year,
        // a leap year is assumed (so that 29 February can be moved).
        let (_, m, d) = shift_date(2000, 3, 3, shift).unwrap();
        let d3 = s.replace(Kind::Date, "the 3rd of Mar").unwrap();
        assert_eq!(
            d3,
            format!(
                "the {d}{} of {}",
                ordinal(d),
                same_case("M", &MONTHS[(m - 1) as usize][..3])
            )
        );
        // A weekday moves by the same days.
        let w = (1 + shift).rem_euclid(7) as usize; // Tuesday = 1
        assert_eq!(s.replace(Kind::Date, "Tuesday").unwrap(), same_case("T", WEEKDAYS[w]));
        assert_eq!(
            s.replace(Kind::Date, "Tues").unwrap().to_lowercase(),
            WEEKDAYS[w][..3].to_string()
        );
        // US order when the policy says so.
        let mut us = Surrogates::new(7, "x", true);
        let (y, m, d) = shift_date(2026, 3, 4, us.date_shift()).unwrap();
        assert_eq!(
            us.replace(Kind::Date, "3/4/26").unwrap(),
            format!("{m}/{d}/{}", y % 100)
        );
        // ISO.
        let (y, m, d) = shift_date(2026, 12, 30, shift).unwrap();
        assert_eq!(
            s.replace(Kind::Date, "2026-12-30").unwrap(),
            format!("{y}-{m:02}-{d:02}")
        );
    }

    #[test]
    fn dates_that_cannot_be_parsed_get_the_placeholder() {
        let mut s = sur("x");
        assert_eq!(s.replace(Kind::Date, "3-17 August"), None);
        assert_eq!(s.replace(Kind::Date, "31/02/2026"), None);
        assert_eq!(s.replace(Kind::Date, "last night"), None);
    }

    #[test]
    fn ages_keep_their_band() {
        let mut s = sur("x");
        let a = s.replace(Kind::Age, "94").unwrap();
        let n: i64 = a.parse().unwrap();
        assert!((90..=99).contains(&n) && n != 94, "{a}");
        let b = s.replace(Kind::Age, "78yo").unwrap();
        let n: i64 = b.trim_end_matches("yo").parse().unwrap();
        assert!((75..=81).contains(&n) && n != 78, "{b}");
        assert_eq!(s.replace(Kind::Age, "ninety-one"), None);
    }

    #[test]
    fn numbers_keep_their_layout() {
        let mut s = sur("x");
        let p = s.replace(Kind::Phone, "07700 900461").unwrap();
        assert_eq!(p.len(), 12);
        assert!(p.starts_with('0') && p.as_bytes()[5] == b' ');
        assert_ne!(p, "07700 900461");
        let i = s.replace(Kind::Phone, "+44 7700 900461").unwrap();
        assert!(i.starts_with("+44 "), "{i}");
        let id = s.replace(Kind::Id, "AB123456C").unwrap();
        assert!(id[..2].chars().all(|c| c.is_ascii_uppercase()) && id[2..8].chars().all(|c| c.is_ascii_digit()));
        let ip = s.replace(Kind::Ip, "10.1.2.3").unwrap();
        assert!(ip.starts_with("192.0.2.") || ip.starts_with("198.51.100.") || ip.starts_with("203.0.113."));
        assert_eq!(s.replace(Kind::Ip, "10.1.2.3").unwrap(), ip);
    }

    #[test]
    fn emails_and_handles() {
        let mut s = sur("jane.smith@gmail.com @jane_smith83");
        let e = s.replace(Kind::Email, "jane.smith@gmail.com").unwrap();
        assert!(e.ends_with("@example.com") && !e.contains("jane"), "{e}");
        let h = s.replace(Kind::Url, "@jane_smith83").unwrap();
        // The same name parts as the e-mail address.
        let (local, _) = e.split_once('@').unwrap();
        assert_eq!(h[1..h.len() - 2], local.replace('.', "_"));
        let u = s.replace(Kind::Url, "https://www.facebook.com/jane.smith").unwrap();
        assert!(u.starts_with("https://www.facebook.com/") && !u.contains("jane"), "{u}");
    }

    #[test]
    fn same_seed_same_output_other_text_other_choices() {
        let a = Surrogates::new(1, "Seen Eleanor", false).replace(Kind::Name, "Eleanor");
        let b = Surrogates::new(1, "Seen Eleanor", false).replace(Kind::Name, "Eleanor");
        assert_eq!(a, b);
        let shifts: HashSet<i64> = (0..20)
            .map(|i| Surrogates::new(1, &format!("post {i}"), false).date_shift())
            .collect();
        assert!(shifts.len() > 5);
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(shift_date(2026, 12, 30, 3), Some((2027, 1, 2)));
        assert_eq!(shift_date(2000, 2, 29, -60), Some((1999, 12, 31)));
        assert_eq!(shift_date(2024, 2, 30, 1), None);
        assert_eq!(MONTHS.len(), 12);
        assert_eq!((MONTHS[11], WEEKDAYS[0], WEEKDAYS[6]), ("december", "monday", "sunday"));
    }
}
