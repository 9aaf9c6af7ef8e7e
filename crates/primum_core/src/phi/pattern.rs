//! Built-in regexes that stay fast on posts full of emoji and accents.
//!
//! The regex crate's lazy DFA cannot decide a Unicode word boundary `\b`
//! once the text holds a non-ASCII byte, so on almost every post it falls
//! back to a much slower engine (a backtracker over the whole text). An
//! ASCII word boundary `(?-u:\b)` keeps the DFA. Both boundaries agree at
//! every position whose neighbours are each either ASCII or not a word
//! character: emoji, curly quotes and dashes are not word characters. They
//! can disagree next to a non-ASCII word character: a letter such as `é`,
//! a digit such as `٣`, a combining mark, the joiners inside emoji
//! sequences (U+200D, and the variation selector U+FE0F of `❤️`).
//!
//! So each [`Pattern`] is compiled with ASCII boundaries, and also, on
//! first need, as written. A [`Haystack`] picks, once per text, how the
//! ASCII form can be used exactly:
//!
//! - on the text itself, when its only non-ASCII word characters are
//!   emoji joiners that touch no ASCII letter, digit, `_` or `.`: every
//!   `\b` of a built-in pattern has, on each side where the text could
//!   hold a joiner, a neighbour in the pattern that matches only a letter,
//!   a digit or a `.` (`\b\d`, `olds?\b`, `y\.o\.(?:\b|$)`), so a boundary
//!   next to a joiner is never reached;
//! - otherwise on a *search form* of the text, the same bytes with each
//!   non-ASCII word character's bytes replaced by `_` (an ASCII word
//!   character): there, ASCII and Unicode boundaries fall at the same
//!   places. A pattern whose content can only match ASCII letters, ASCII
//!   digits, whitespace and punctuation ("ASCII content": no `\w`, `\S`,
//!   `.`, `\p{..}`, negated class or `_`) finds exactly the same matches
//!   there, with the same offsets and the same text, as written on the
//!   original. This holds while the text has no non-ASCII digit (`\d`
//!   matches `٣`) and neither the Kelvin sign nor the long s (which `(?i)`
//!   folds to `k` and `s`); such a text, and patterns without ASCII
//!   content, use the pattern as written (compiled on first need, and
//!   searched only when the text passes the gates that hold for it too:
//!   its count of digits and its literals).
//!
//! A new pattern must keep the first shape; in debug builds every search
//! also runs the pattern as written on the original text and asserts the
//! same matches, so the tests catch one that does not.

use std::sync::{LazyLock, OnceLock};

use primum_text::Analysis;
use regex::{CaptureMatches, Matches, Regex};

/// A text prepared for [`Pattern`] searches.
#[derive(Debug, Clone, Copy)]
pub struct Haystack<'t> {
    pub text: &'t str,
    /// How the ASCII form of a pattern can be used on this text.
    form: Form<'t>,
    /// How many ASCII digits the text holds.
    digits: usize,
    /// Which [`Shape`]s of digits the text holds, a bit each; then, from
    /// bit [`WORDS_BEFORE_SHIFT`] on, which of [`WORDS_BEFORE_DIGITS`]
    /// come right before a run of digits, in any case, with only
    /// whitespace and colons between (or non-ASCII characters, which may
    /// be whitespace); and [`ANY_FEATURE`]. A pattern's gates on them
    /// (see [`Pattern::when_shape`]) are one `&`.
    features: u64,
    /// Which of [`LITERALS`] the analysis's folded text holds, a bit each.
    /// There each ASCII character of the text is lower cased, in the same
    /// order, so an ASCII word of the text, in any case, is found. Only
    /// the bits of `known` are set as found; the others are looked for
    /// when asked.
    literals: u64,
    /// The bits of [`LITERALS`] looked for (see [`NO_DIGIT_LITERALS`]).
    known: u64,
    /// The folded text, for the literals not looked for at first.
    folded: &'t str,
}

/// Lower-case literals that some pattern needs one of (see
/// [`Pattern::when_any`]): words of ages, months, points on a road,
/// postcode labels and military post. A [`Haystack`] looks for all of
/// them in one pass over the folded text, far cheaper than a regex search
/// each.
const LITERALS: &[&str] = &[
    "old", "yo", "y/o", "y.o", "sal", "saal", "baras", "varsh", "age", "turn", "reach", "was", "were", "0s", "0's",
    "ties", "hundreds", "day", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "mile", "km", "kilomet", "junction", "jct", "exit", "zip", "post", "pin", "apo", "dpo", "fpo", "year", "code",
];

/// A bit past those of [`LITERALS`] that every text has: the literals
/// wanted by a pattern that needs none.
const ANY_TEXT: u64 = 1 << 63;
const _: () = assert!(LITERALS.len() < 63);

/// A bit of [`Haystack::features`] past the shapes and the words that
/// every text has: the features wanted by a pattern that needs none.
const ANY_FEATURE: u64 = 1 << 63;

/// Where the bits of [`WORDS_BEFORE_DIGITS`] start in
/// [`Haystack::features`], past those of [`Shape`].
const WORDS_BEFORE_SHIFT: u32 = 32;
const _: () = assert!(WORDS_BEFORE_DIGITS.len() < 31);

/// The literals of the patterns that need no digit. A text without a
/// digit, where no other pattern can match, is only searched for these
/// (the pass of [`literals_in`] with the others masked out, where
/// candidates, and so its branch, are rarer).
const NO_DIGIT_LITERALS: [(&str, u64); 6] = {
    const fn entry(w: &'static str) -> (&'static str, u64) {
        (w, literal(w))
    }
    [
        entry("old"),
        entry("year"),
        entry("0s"),
        entry("0's"),
        entry("ties"),
        entry("hundreds"),
    ]
};

/// The bits of [`NO_DIGIT_LITERALS`].
const NO_DIGIT_BITS: u64 = {
    let mut bits = 0;
    let mut k = 0;
    while k < NO_DIGIT_LITERALS.len() {
        bits |= NO_DIGIT_LITERALS[k].1;
        k += 1;
    }
    bits
};

/// The bit of `word` among [`LITERALS`], for a test of
/// [`Haystack::has_literal`]; made at compile time (`const { literal("pin")
/// }`), where a word not listed is an error.
pub const fn literal(word: &str) -> u64 {
    let w = word.as_bytes();
    let mut k = 0;
    'next: while k < LITERALS.len() {
        let l = LITERALS[k].as_bytes();
        if l.len() == w.len() {
            let mut i = 0;
            while i < l.len() {
                if l[i] != w[i] {
                    k += 1;
                    continue 'next;
                }
                i += 1;
            }
            return 1 << k;
        }
        k += 1;
    }
    panic!("not one of pattern::LITERALS")
}

/// For each byte: the bits of the [`LITERALS`] whose first byte it is, of
/// those whose second byte it is, and of those whose third byte it is
/// (with, for every byte, those of two bytes only). A position where a
/// literal may start is one where the three hold a common bit: an exact
/// test of the first three bytes (of the two of a two-byte literal), made
/// with three table reads.
///
/// Two bytes were tested once: common pairs of letters ("we", "ag", "wa",
/// "da") started a literal's test at many places of a text, a branch
/// taken or not from byte to byte; three letters rarely start one that
/// does not follow.
static LITERAL_BYTES: LazyLock<[[u64; 256]; 3]> = LazyLock::new(|| {
    let mut bytes = [[0u64; 256]; 3];
    for (k, l) in LITERALS.iter().enumerate() {
        let b = l.as_bytes();
        bytes[0][usize::from(b[0])] |= 1 << k;
        bytes[1][usize::from(b[1])] |= 1 << k;
        match b.get(2) {
            Some(&c) => bytes[2][usize::from(c)] |= 1 << k,
            None => bytes[2].iter_mut().for_each(|x| *x |= 1 << k),
        }
    }
    bytes
});

/// The bits of the [`LITERALS`] of `wanted` (bits of them) that `folded`
/// holds, in one pass.
///
/// Four positions are read per step, their candidates or'ed and tested
/// with one branch (nearly never taken): a quarter of the loop's steps
/// and tests of one position at a time. Which literals a text holds
/// does not depend on the order they are found in.
fn literals_in(folded: &str, wanted: u64) -> u64 {
    let [first, second, third] = &*LITERAL_BYTES;
    let b = folded.as_bytes();
    let mut found = 0u64;
    // The literals of `wanted` that may start at a position whose three
    // bytes are `x`, `y` and `z`.
    let cand = |x: u8, y: u8, z: u8| first[usize::from(x)] & second[usize::from(y)] & third[usize::from(z)] & wanted;
    let check = |i: usize, cand: u64, found: &mut u64| {
        let mut cand = cand & !*found;
        while cand != 0 {
            let k = cand.trailing_zeros() as usize;
            cand &= cand - 1;
            if b[i..].starts_with(LITERALS[k].as_bytes()) {
                *found |= 1 << k;
            }
        }
    };
    let mut i = 0;
    for w in b.windows(6).step_by(4) {
        let (c0, c1) = (cand(w[0], w[1], w[2]), cand(w[1], w[2], w[3]));
        let (c2, c3) = (cand(w[2], w[3], w[4]), cand(w[3], w[4], w[5]));
        if (c0 | c1 | c2 | c3) & !found != 0 {
            check(i, c0, &mut found);
            check(i + 1, c1, &mut found);
            check(i + 2, c2, &mut found);
            check(i + 3, c3, &mut found);
        }
        i += 4;
    }
    // The last positions with three bytes, up to three.
    for w in b.get(i..).unwrap_or_default().windows(3) {
        check(i, cand(w[0], w[1], w[2]), &mut found);
        i += 1;
    }
    // The last two bytes, where only a two-byte literal fits: the third
    // byte read is 0, whose bits in `third` are those literals' only.
    if let [.., x, y] = b {
        check(b.len() - 2, cand(*x, *y, 0), &mut found);
    }
    found
}

#[derive(Debug, Clone, Copy)]
enum Form<'t> {
    /// ASCII boundaries on the text itself.
    Ascii,
    /// ASCII boundaries on this search form, for patterns with ASCII
    /// content.
    Search(&'t str),
    /// The patterns as written.
    Written,
}

/// Any word character (Unicode `\w`, which Unicode `\b` uses) that is not
/// ASCII.
static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid built-in regex"));

/// A digit (`\d`, decimal) that is not ASCII: where the text holds one,
/// `\d` is not `[0-9]` and the ASCII forms cannot be used. (Other numeric
/// characters, `½` or `²`, are neither `\d` nor `\w`.)
static NON_ASCII_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\d&&[^0-9]]$").expect("valid built-in regex"));

/// True when `c` (a numeric character: rare, so a regex on it alone is
/// cheap) is a non-ASCII decimal digit.
fn non_ascii_digit(c: char) -> bool {
    NON_ASCII_DIGIT.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Word characters that only join or vary emoji: zero-width (non-)joiner,
/// variation selectors, the combining keycap.
fn emoji_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{20E3}')
}

impl<'t> Haystack<'t> {
    /// Prepares the text of `a`; the search form, when one is needed, is
    /// made once and kept with the analysis.
    pub fn of(a: &'t Analysis<'_>) -> Haystack<'t> {
        let text: &'t str = a.text;
        let Digits {
            count: mut digits,
            shapes,
            chain,
            spaced_chain,
            words_before,
        } = digit_shapes(text.as_bytes());
        let folded = a.folded.text.as_str();
        let (mut literals, mut known) = if digits > 0 {
            (literals_in(folded, u64::MAX), u64::MAX)
        } else {
            // The pass of [`literals_in`] for these literals only: its one
            // branch per two bytes is nearly never taken. (A `contains`
            // for each was six searches whose branches, on where and how
            // often the first byte stands, went either way from post to
            // post: about ten mispredictions per post.)
            (literals_in(folded, NO_DIGIT_BITS), NO_DIGIT_BITS)
        };
        let form = if a.is_ascii() || ascii_boundaries_exact(text) {
            Form::Ascii
        } else if text
            .chars()
            .any(|c| matches!(c, '\u{212A}' | '\u{17F}') || !c.is_ascii() && c.is_numeric() && non_ascii_digit(c))
        {
            // The patterns as written are searched here with the gates
            // that hold for them too: the digits `\d` matches, counted
            // (any numeric character, a superset), and the literals,
            // unless `(?i)` can match one with the Kelvin sign or the long
            // s (then every literal counts as found). Most patterns never
            // pass them, and so are never compiled as written.
            digits += text.chars().filter(|c| !c.is_ascii() && c.is_numeric()).count();
            if text.contains(['\u{212A}', '\u{17F}']) {
                (literals, known) = (u64::MAX, u64::MAX);
            }
            Form::Written
        } else {
            Form::Search(a.search_form(search_form))
        };
        // The shapes that are not of the digits alone. A literal not
        // looked for counts as found (see [`Pattern::regex`]).
        let found = literals | !known;
        let shapes = shapes
            | (u32::from(found & const { literal("pin") } != 0) * Shape::PIN)
            | (u32::from(found & const { literal("year") } != 0) * Shape::YEAR)
            | (u32::from(chain >= 6) * Shape::CHAIN_6)
            | (u32::from(spaced_chain >= 9) * Shape::SPACED_CHAIN_9)
            | (u32::from(spaced_chain >= 10) * Shape::SPACED_CHAIN_10);
        Haystack {
            text,
            form,
            digits,
            features: u64::from(shapes) | (u64::from(words_before) << WORDS_BEFORE_SHIFT) | ANY_FEATURE,
            literals,
            known,
            folded,
        }
    }
}

impl Haystack<'_> {
    /// True when the text holds, in any case, the word of `bit` (its
    /// [`literal`], one of [`LITERALS`]).
    pub fn has_literal(&self, bit: u64) -> bool {
        self.literals_for(bit) & bit != 0
    }

    /// The bits of [`LITERALS`] the text holds, right at least for those
    /// of `wanted`.
    fn literals_for(&self, wanted: u64) -> u64 {
        if wanted & !self.known == 0 {
            self.literals
        } else {
            literals_in(self.folded, u64::MAX)
        }
    }

    /// How many ASCII digits the text holds.
    pub fn digits(&self) -> usize {
        self.digits
    }
}

/// Shapes of ASCII digits and their neighbours that patterns need (a
/// [`Pattern::when_shape`] gate tests some). They are
/// found in the pass that counts the digits, looking around each digit
/// only, so a gate costs a bit test instead of a scan of the text.
pub struct Shape;

impl Shape {
    /// A digit, `/` and a digit in a row (`3/4`).
    pub const SLASH: u32 = 1;
    /// A digit, `.` and a digit in a row (`1.2`).
    pub const DOT: u32 = 1 << 1;
    /// A digit, `-` and a digit in a row (`2-3`).
    pub const DASH: u32 = 1 << 2;
    /// A capital letter right before a digit (`GB82`, `SW1`).
    pub const UPPER_DIGIT: u32 = 1 << 3;
    /// A digit right before a capital letter (`1EG4`).
    pub const DIGIT_UPPER: u32 = 1 << 4;
    /// A digit followed by `M` or `F`, right after it or after one space
    /// (`23F`, `80 M`).
    pub const DIGIT_SEX: u32 = 1 << 5;
    /// Four digits after a space after what ends a US or Australian
    /// state (two capitals, or `ic`, `ld`, `as` for `Vic`, `Qld`, `Tas`),
    /// with an optional comma between (`NY 10001`, `CA, 9021`, `Vic 3000`).
    pub const STATE_DIGITS: u32 = 1 << 6;
    /// Two capital letters and two digits in a row (`GB82`).
    pub const UPPER2_DIGIT2: u32 = 1 << 7;
    /// A run of digits, then spaces or `-` (or non-ASCII characters,
    /// which may be spaces), then `y`, `s`, `b` or `v` in any case (`92
    /// years`, `45yo`, `30 saal`).
    pub const DIGITS_THEN_YSBV: u32 = 1 << 8;
    /// A run of digits glued to an ordinal suffix, `st`, `nd`, `rd` or
    /// `th` in any case (`94th`).
    pub const DIGITS_THEN_ORDINAL: u32 = 1 << 9;
    /// A lower-case letter, a comma, one whitespace character and a digit
    /// in a row (`Smith, 94`), or a digit after a non-ASCII character
    /// (which may be a space).
    pub const COMMA_SPACE_DIGIT: u32 = 1 << 10;
    /// A run of two or three digits of 90 to 125 (`9\d|1[01]\d|12[0-5]`) after a
    /// word ending in `s`, `t`, `w`, `f`, `e`, `g`, `l`, `y` or `d` in any
    /// case and spaces (`is 103`, `at 95`, `reached 100`).
    pub const OVER_89_AFTER_WORD: u32 = 1 << 11;
    /// A number of 90 to 125 before spaces and a word starting with `a`,
    /// `y` or `n` in any case (`96 and`, `102 years`, `99 not`).
    pub const OVER_89_BEFORE_WORD: u32 = 1 << 12;
    /// A capital letter right before a digit and a digit right before a
    /// capital letter, both somewhere in the text ([`Shape::UPPER_DIGIT`]
    /// and [`Shape::DIGIT_UPPER`]).
    pub const UPPER_AND_DIGIT_UPPER: u32 = 1 << 13;
    /// A chain of six ASCII digits or more, each separated from the next
    /// by at most one space, `.` or `-` (a pattern such as
    /// `\d(?:[ .\-]?\d){5,14}` needs one).
    pub const CHAIN_6: u32 = 1 << 14;
    /// A chain of nine ASCII digits or more, each separated from the next
    /// by at most one space or `-` (`\d{3}-\d{2}-\d{4}`).
    pub const SPACED_CHAIN_9: u32 = 1 << 15;
    /// The same of ten digits or more (`\d{3}[ \-]?\d{3}[ \-]?\d{4}`).
    pub const SPACED_CHAIN_10: u32 = 1 << 16;
    /// Not a shape of digits: the text may hold the literal `pin` (see
    /// [`Haystack::has_literal`]), for a gate that wants it or a shape.
    pub const PIN: u32 = 1 << 17;
    /// Not a shape of digits either: the text may hold the literal
    /// `year`, for a pattern that needs it besides one of its
    /// [`Pattern::when_any`] literals.
    pub const YEAR: u32 = 1 << 18;
}

/// Words that some pattern needs right before a run of digits, with
/// nothing but whitespace and colons between (`aged 92`, `was: 78`); a
/// word here is the end of the text before, in any case (`returned 5`
/// ends with `turned`). See [`Pattern::when_word_before`].
const WORDS_BEFORE_DIGITS: &[&str] = &[
    "aged", "age", "of", "turned", "turn", "turns", "turning", "reached", "reaches", "was", "were",
];

/// True for a byte that may be (part of) a whitespace character: ASCII
/// whitespace (with the vertical tab), or any byte of a non-ASCII
/// character, some of which are whitespace.
pub(crate) fn space_like(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') || c >= 0x80
}

/// What [`digit_shapes`] finds.
struct Digits {
    count: usize,
    shapes: u32,
    chain: usize,
    spaced_chain: usize,
    words_before: u32,
}

/// How many ASCII digits `b` holds, its [`Shape`]s and its
/// longest chains of digits, in one pass. Digits are rare in a post, so
/// the bytes around each one are read only there.
fn digit_shapes(b: &[u8]) -> Digits {
    let mut d = Digits {
        count: 0,
        shapes: 0,
        chain: 0,
        spaced_chain: 0,
        words_before: 0,
    };
    let (mut run, mut value) = (0usize, 0u32);
    // The chains that end at the last digit seen.
    let (mut chain, mut spaced) = (0usize, 0usize);
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    // Only the digits are visited, found eight bytes at a time: a test of
    // each byte was taken or not at each edge of a number, and the bytes
    // between digits (nearly all) cost a few instructions each.
    any_digit(b, |i| {
        let c = b[i];
        // The two bytes before (0 before the text) and the two after.
        let (p1, p2) = (i.checked_sub(1).map_or(0, at), i.checked_sub(2).map_or(0, at));
        let (n1, n2) = (at(i + 1), at(i + 2));
        d.count += 1;
        // What the bytes around a digit are changes from digit to digit:
        // the counts and the shapes below are computed from them by
        // arithmetic (a flag times a value), not by a branch on each.
        let after_digit = p1.is_ascii_digit();
        let glued = p2.is_ascii_digit();
        // A digit right after a digit continues its run; any other starts one.
        run = run * usize::from(after_digit) + 1;
        value = (value * u32::from(after_digit))
            .saturating_mul(10)
            .saturating_add(u32::from(c - b'0'));
        let dash = p1 == b'-';
        let joins_chain = after_digit | glued & (p1 == b' ' || p1 == b'.' || dash);
        let joins_spaced = after_digit | glued & (p1 == b' ' || dash);
        chain = chain * usize::from(joins_chain) + 1;
        spaced = spaced * usize::from(joins_spaced) + 1;
        d.chain = d.chain.max(chain);
        d.spaced_chain = d.spaced_chain.max(spaced);
        let sep = (u32::from(p1 == b'/') * Shape::SLASH)
            | (u32::from(p1 == b'.') * Shape::DOT)
            | (u32::from(dash) * Shape::DASH);
        d.shapes |= u32::from(glued) * sep;
        d.shapes |= u32::from(p1.is_ascii_uppercase()) * Shape::UPPER_DIGIT;
        d.shapes |= u32::from(n1.is_ascii_uppercase()) * Shape::DIGIT_UPPER;
        let sex = |x: u8| (x == b'M') | (x == b'F');
        d.shapes |= u32::from(sex(n1) | (n1 == b' ') & sex(n2)) * Shape::DIGIT_SEX;
        if p1 == b' ' && i >= 3 && b.get(i + 1..i + 4).is_some_and(|r| r.iter().all(u8::is_ascii_digit)) {
            // The state's last letter, before the space or a comma.
            let k = if p2 == b',' { i - 3 } else { i - 2 };
            if k > 0
                && b[k].is_ascii_alphabetic()
                && (b[k - 1].is_ascii_uppercase() && b[k].is_ascii_uppercase()
                    || matches!(&b[k - 1..=k], b"ic" | b"ld" | b"as"))
            {
                d.shapes |= Shape::STATE_DIGITS;
            }
        }
        if p1.is_ascii_digit() && p2.is_ascii_uppercase() && i >= 3 && b[i - 3].is_ascii_uppercase() {
            d.shapes |= Shape::UPPER2_DIGIT2;
        }
        if p1 >= 0x80
            || matches!(p1, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
                && p2 == b','
                && i >= 3
                && b[i - 3].is_ascii_lowercase()
        {
            d.shapes |= Shape::COMMA_SPACE_DIGIT;
        }
        if !p1.is_ascii_digit() {
            // A run starts: the words before it.
            let mut k = i;
            while k > 0 && (space_like(b[k - 1]) || b[k - 1] == b':') {
                k -= 1;
            }
            // Each word is compared with the bytes before `k` at once,
            // as a number: a comparison byte by byte stopped at the first
            // difference, a branch that went one way or the other by
            // word and by text.
            let before = bytes_before(b, k);
            for (w, &(word, mask)) in WORDS_BEFORE_DIGITS_TAILS.iter().enumerate() {
                d.words_before |= u32::from(before & mask == word) << w;
            }
        }
        if !n1.is_ascii_digit() {
            // A run ends: what follows it.
            let mut k = i + 1;
            while k < b.len() && (space_like(b[k]) || b[k] == b'-') {
                k += 1;
            }
            if matches!(at(k) | 0x20, b'y' | b's' | b'b' | b'v') {
                d.shapes |= Shape::DIGITS_THEN_YSBV;
            }
            if matches!(
                [n1 | 0x20, n2 | 0x20],
                [b's', b't'] | [b'n', b'd'] | [b'r', b'd'] | [b't', b'h']
            ) {
                d.shapes |= Shape::DIGITS_THEN_ORDINAL;
            }
            if (2..=3).contains(&run) && (90..=125).contains(&value) {
                if k > i + 1 && matches!(at(k) | 0x20, b'a' | b'y' | b'n') {
                    d.shapes |= Shape::OVER_89_BEFORE_WORD;
                }
                let mut j = i + 1 - run;
                while j > 0 && space_like(b[j - 1]) {
                    j -= 1;
                }
                let word_end = j.checked_sub(1).map_or(0, at) | 0x20;
                if j < i + 1 - run && matches!(word_end, b's' | b't' | b'w' | b'f' | b'e' | b'g' | b'l' | b'y' | b'd') {
                    d.shapes |= Shape::OVER_89_AFTER_WORD;
                }
            }
        }
        false
    });
    let both = Shape::UPPER_DIGIT | Shape::DIGIT_UPPER;
    d.shapes |= u32::from(d.shapes & both == both) * Shape::UPPER_AND_DIGIT_UPPER;
    d
}

/// The eight bytes of `b` that end right before `k`, in ASCII lower case,
/// as a number whose low byte is the last of them (a byte before the text
/// is 0, which no word holds).
pub(crate) fn bytes_before(b: &[u8], k: usize) -> u64 {
    match k.checked_sub(8).and_then(|s| b.get(s..k)) {
        Some(w) => u64::from_be_bytes(<[u8; 8]>::try_from(w).unwrap_or([0; 8]).map(|c| c.to_ascii_lowercase())),
        None => (1..=8).fold(0, |x, j| {
            let c = k
                .checked_sub(j)
                .and_then(|i| b.get(i))
                .map_or(0, u8::to_ascii_lowercase);
            x | u64::from(c) << (8 * (j - 1))
        }),
    }
}

/// The eight bytes of `b` from `k` on, as a number whose low byte is the
/// first of them (a byte past the text is 0, which no word holds).
pub(crate) fn bytes_from(b: &[u8], k: usize) -> u64 {
    match b.get(k..k.saturating_add(8)) {
        Some(w) => u64::from_le_bytes(w.try_into().unwrap_or([0; 8])),
        None => (0..8).fold(0, |x, j| x | u64::from(b.get(k + j).copied().unwrap_or(0)) << (8 * j)),
    }
}

/// True when one of the eight bytes of `x` is `c` (the test for a zero
/// byte of `x` XOR `c` in each byte, exact for whether there is one).
pub(crate) fn has_byte(x: u64, c: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let y = x ^ (ONES * u64::from(c));
    y.wrapping_sub(ONES) & !y & (ONES * 0x80) != 0
}

/// `word` (at most eight bytes) as [`bytes_from`] reads it.
pub(crate) const fn word_bits(word: &[u8]) -> u64 {
    let mut x = 0;
    let mut j = 0;
    while j < word.len() {
        x |= (word[j] as u64) << (8 * j);
        j += 1;
    }
    x
}

/// True when the bytes `x` (as [`bytes_from`] reads them) start with the
/// word of `len` bytes (from one to eight) whose [`word_bits`] are `word`.
pub(crate) fn starts_with_bits(x: u64, word: u64, len: usize) -> bool {
    x & (u64::MAX >> (64 - 8 * len)) == word
}

/// Each word of [`WORDS_BEFORE_DIGITS`] as [`bytes_before`] reads it where
/// the word ends right before, with the mask of its bytes (every word has
/// eight bytes or fewer).
const WORDS_BEFORE_DIGITS_TAILS: [(u64, u64); WORDS_BEFORE_DIGITS.len()] = {
    let mut tails = [(0, 0); WORDS_BEFORE_DIGITS.len()];
    let mut w = 0;
    while w < WORDS_BEFORE_DIGITS.len() {
        let word = WORDS_BEFORE_DIGITS[w].as_bytes();
        assert!(word.len() <= 8);
        let mut j = 0;
        while j < word.len() {
            tails[w].0 |= (word[word.len() - 1 - j] as u64) << (8 * j);
            tails[w].1 |= 0xFF << (8 * j);
            j += 1;
        }
        w += 1;
    }
    tails
};

/// Calls `f` with the offset of each ASCII digit of `b`, in order, until
/// it returns true; true if it did. Eight bytes are tested at once: a
/// byte is a digit when, XORed with `0x30`, it is below 10, which is when
/// adding `0x76` to its low seven bits leaves its high bit clear and the
/// byte's own high bit is clear too (no sum carries into the next byte).
/// Most words of a text hold no digit and cost a few instructions.
pub(crate) fn any_digit(b: &[u8], mut f: impl FnMut(usize) -> bool) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let digits = |w: [u8; 8]| {
        let y = u64::from_le_bytes(w) ^ (ONES * 0x30);
        !(((y & !HIGH) + ONES * 0x76) | y) & HIGH
    };
    let mut each = |at: usize, mut m: u64| {
        while m != 0 {
            if f(at + (m.trailing_zeros() / 8) as usize) {
                return true;
            }
            m &= m - 1;
        }
        false
    };
    let mut chunks = b.chunks_exact(8);
    for (k, chunk) in chunks.by_ref().enumerate() {
        let m = digits(chunk.try_into().unwrap_or([0; 8]));
        if m != 0 && each(8 * k, m) {
            return true;
        }
    }
    // The last bytes: the high ones of the last eight of the text, shifted
    // down (a copy of a few bytes into a padded word would cost a
    // `memcpy`, whose branches on the length vary from text to text); in a
    // text of fewer than eight bytes, padded with zeros (not digits).
    let rest = chunks.remainder();
    let m = match b.len().checked_sub(8) {
        Some(last) => digits(b[last..].try_into().unwrap_or([0; 8]))
            .checked_shr(8 * (8 - rest.len()) as u32)
            .unwrap_or(0),
        None => {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            digits(w)
        }
    };
    each(b.len() - rest.len(), m)
}

/// `text` with the bytes of each non-ASCII word character replaced by `_`.
fn search_form(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    for m in NON_ASCII_WORD.find_iter(text) {
        out[m.range()].fill(b'_');
    }
    String::from_utf8(out).expect("whole characters were replaced by ASCII")
}

/// True when ASCII word boundaries give the built-in patterns the same
/// matches on `text` as Unicode ones (see the module documentation).
fn ascii_boundaries_exact(text: &str) -> bool {
    let bytes = text.as_bytes();
    let touches = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    NON_ASCII_WORD.find_iter(text).all(|m| {
        m.as_str().chars().all(emoji_joiner)
            && !touches(m.start().checked_sub(1).and_then(|i| bytes.get(i)))
            && !touches(bytes.get(m.end()))
    })
}

/// The matches of a [`Pattern`] in a text, none when its gates turned the
/// text away. Most patterns are turned away from most texts: an `Option`
/// of the regex's iterator is all that is built and moved then (a
/// `flat_map` over one moved two of them, each some hundred bytes).
///
/// A loop over one borrows it (`for m in &mut P.find_iter(h)`): a loop
/// that takes it by value moves it first, a call to `memcpy` for its
/// hundred bytes and more, some fifteen times a post.
pub struct Found<I>(Option<I>);

impl<I: Iterator> Iterator for Found<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        self.0.as_mut()?.next()
    }
}

/// The place of `w` in `list`, a list of this module's gates; a pattern
/// that names a word not in it is a bug of the built-in patterns.
fn place_in(list: &[&str], w: &str) -> usize {
    list.iter()
        .position(|x| *x == w)
        .unwrap_or_else(|| panic!("{w:?} is not one of the gate's words {list:?}"))
}

/// A built-in regex, searched with ASCII word boundaries where that gives
/// the same matches.
pub struct Pattern {
    /// The source with ASCII boundaries and digits, compiled on first
    /// need: a pattern whose gates no text passes (most runs never see a
    /// military address) costs no compilation.
    ascii_source: String,
    ascii: OnceLock<Regex>,
    source: String,
    unicode: OnceLock<Regex>,
    /// Every match holds at least this many digits (`\d`): a text with
    /// fewer is not searched.
    min_digits: usize,
    /// A test that every text with a match passes (see [`Pattern::when`]).
    gate: Option<fn(&Haystack<'_>) -> bool>,
    /// Bits of [`LITERALS`], one of which every text with a match holds
    /// (see [`Pattern::when_any`]); [`ANY_TEXT`] for none needed.
    literals: u64,
    /// Bits of [`Haystack::features`], one of which every text with a
    /// match has (see [`Pattern::when_shape`]); [`ANY_FEATURE`] for none
    /// needed.
    features: u64,
    /// The pattern's content matches only ASCII letters and digits,
    /// whitespace and punctuation (see the module documentation).
    ascii_content: bool,
}

impl Pattern {
    /// A built-in pattern: `source` is compiled when first searched with
    /// (it panics then if it is invalid; the tests search with each).
    pub fn new(source: &str) -> Pattern {
        Pattern {
            ascii_source: ascii_boundaries(source),
            ascii: OnceLock::new(),
            source: source.to_string(),
            unicode: OnceLock::new(),
            min_digits: 0,
            gate: None,
            literals: ANY_TEXT,
            features: ANY_FEATURE,
            ascii_content: ascii_content(source),
        }
    }

    /// Declares that every match of the pattern holds a digit, so that
    /// texts without an ASCII digit are skipped (where ASCII boundaries
    /// are used, a `\d` can only match an ASCII digit: other digits are
    /// word characters). Debug builds check the claim on every search.
    pub fn needs_digit(self) -> Pattern {
        self.min_digits(1)
    }

    /// Declares that every match of the pattern holds at least `n` digits
    /// (as [`Pattern::needs_digit`]): most texts hold few digits, and a
    /// regex search costs some instructions per byte of the text, while
    /// the digits are counted once per text.
    pub fn min_digits(mut self, n: usize) -> Pattern {
        self.min_digits = n;
        self
    }

    /// Declares a cheap test that every text where the pattern matches
    /// passes (a character the pattern needs); a text that fails it is
    /// not searched. Like
    /// the digit count, it is only used where the ASCII form of the
    /// pattern is (there `(?i)` folds ASCII letters only to ASCII
    /// letters); debug builds check the claim on every search.
    pub fn when(mut self, gate: fn(&Haystack<'_>) -> bool) -> Pattern {
        self.gate = Some(gate);
        self
    }

    /// Declares that every match of the pattern holds one of `words`
    /// (ASCII, lower case, each one of [`LITERALS`]) in any case: as
    /// [`Pattern::when`], with the test made once per text for all
    /// patterns.
    pub fn when_any(mut self, words: &[&str]) -> Pattern {
        for w in words {
            self.literals = (self.literals & !ANY_TEXT) | 1 << place_in(LITERALS, w);
        }
        self
    }

    /// Declares that every text where the pattern matches holds one of
    /// `shapes` (bits of [`Shape`]): as [`Pattern::when`], with the bits
    /// found once per text and tested here without a call.
    ///
    /// The gates were functions once, `|h| h.has(..)`: each a call
    /// through a pointer from the one place every pattern is searched,
    /// whose target the CPU guessed wrong nearly every time (some seven
    /// mispredictions a post).
    pub fn when_shape(mut self, shapes: u32) -> Pattern {
        self.features = (self.features & !ANY_FEATURE) | u64::from(shapes);
        self
    }

    /// Declares that in every text where the pattern matches one of
    /// `words` (each one of [`WORDS_BEFORE_DIGITS`]) ends right before a
    /// run of digits, in any case, with only whitespace and colons
    /// between (or non-ASCII characters, which may be whitespace), tested as
    /// [`Pattern::when_shape`] is.
    pub fn when_word_before(mut self, words: &[&str]) -> Pattern {
        for w in words {
            self.features =
                (self.features & !ANY_FEATURE) | 1 << (WORDS_BEFORE_SHIFT as usize + place_in(WORDS_BEFORE_DIGITS, w));
        }
        self
    }

    /// The regex to search `h` with and the text to search, or none when
    /// it cannot match. (Inlined into the two searches: called, it cost a
    /// copy of the haystack and some four hundred instructions a post.)
    #[inline(always)]
    fn regex<'t>(&self, h: Haystack<'t>) -> Option<(&Regex, &'t str)> {
        let on = match h.form {
            Form::Ascii => Some(h.text),
            Form::Search(form) if self.ascii_content => Some(form),
            _ => None,
        };
        // The digits and the literals hold in every form (see
        // [`Haystack::of`]); the other gates only where the ASCII form is
        // used.
        //
        //
        // Both tests are folded into one comparison of numbers: which of
        // them fails changes from pattern to pattern and post to post,
        // and each test of its own was a branch the CPU guessed wrong
        // about as often (`&` of two conditions is split into two branches
        // by the compiler too). A literal not looked for (see
        // [`NO_DIGIT_LITERALS`]) counts as found: only a pattern that needs
        // digits asks for one, in a text without any, which fails on the
        // digits.
        let found = h.literals | !h.known | ANY_TEXT;
        let has_literal = found & self.literals != 0;
        let digits_short = self.min_digits.saturating_sub(h.digits);
        let Some(on) = on else {
            // True when a literal is found and no digit is lacking.
            return (usize::from(has_literal) > digits_short).then(|| (self.written(), h.text));
        };
        // The shapes as well, all three tests made into one value through
        // `black_box`: LLVM otherwise made a branch of each, a third of
        // them mispredicted.
        let shaped = h.features & self.features != 0;
        let possible = std::hint::black_box(has_literal & shaped & (digits_short == 0));
        (possible && self.gate.is_none_or(|g| g(&h))).then(|| {
            let re = self
                .ascii
                .get_or_init(|| Regex::new(&self.ascii_source).expect("valid built-in regex"));
            (re, on)
        })
    }

    fn written(&self) -> &Regex {
        self.unicode
            .get_or_init(|| Regex::new(&self.source).expect("valid built-in regex"))
    }

    pub fn find_iter<'r, 't>(&'r self, h: Haystack<'t>) -> Found<Matches<'r, 't>> {
        #[cfg(debug_assertions)]
        self.assert_exact(h);
        Found(self.regex(h).map(|(re, on)| re.find_iter(on)))
    }

    pub fn captures_iter<'r, 't>(&'r self, h: Haystack<'t>) -> Found<CaptureMatches<'r, 't>> {
        #[cfg(debug_assertions)]
        self.assert_exact(h);
        Found(self.regex(h).map(|(re, on)| re.captures_iter(on)))
    }

    /// True when the pattern, gates included, finds on `h` the matches of
    /// the pattern as written on the original text (tests of gates).
    #[cfg(test)]
    pub(crate) fn same_as_written(&self, h: Haystack<'_>) -> bool {
        let spans = |m: Vec<regex::Match<'_>>| m.iter().map(|m| m.range()).collect::<Vec<_>>();
        let fast = self
            .regex(h)
            .map_or_else(Vec::new, |(re, on)| re.find_iter(on).collect());
        spans(fast) == spans(self.written().find_iter(h.text).collect())
    }

    /// Checks that the form chosen for `h` finds what the pattern as
    /// written finds in the original text, groups and their text included.
    #[cfg(debug_assertions)]
    fn assert_exact(&self, h: Haystack<'_>) {
        type Groups = Vec<Vec<Option<(usize, String)>>>;
        let spans = |found: Option<(&Regex, &str)>| -> Groups {
            found.map_or_else(Vec::new, |(re, on)| {
                re.captures_iter(on)
                    .map(|c| {
                        c.iter()
                            .map(|g| g.map(|g| (g.start(), g.as_str().to_string())))
                            .collect()
                    })
                    .collect()
            })
        };
        assert_eq!(
            spans(self.regex(h)),
            spans(Some((self.written(), h.text))),
            "the fast form of {:?} finds other matches on {:?}",
            self.source,
            h.text
        );
    }
}

/// True when the content of pattern `source` can only match ASCII letters
/// and digits, whitespace and punctuation: no `\w`, `\W`, `\S`, `\D`, `\p`,
/// `\P`, `.`, negated class, `_` or non-ASCII word character. Errs on the
/// side of false.
fn ascii_content(source: &str) -> bool {
    let mut class = 0usize;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some('w' | 'W' | 'S' | 'D' | 'p' | 'P' | 'X' | 'B') = chars.next() {
                    return false;
                }
            }
            '[' => {
                class += 1;
                if chars.peek() == Some(&'^') {
                    return false;
                }
            }
            ']' if class > 0 => class -= 1,
            '.' if class == 0 => return false,
            '_' => return false,
            c if !c.is_ascii() && (c.is_alphanumeric() || emoji_joiner(c)) => return false,
            _ => {}
        }
    }
    true
}

/// `source` with every `\b` outside a character class made an ASCII word
/// boundary `(?-u:\b)`, and every `\d` the ASCII digits `0-9`. The built-in patterns use no `\B`, `\<`, `\>` or
/// `\b{...}`, and no `#` comments in verbose mode.
fn ascii_boundaries(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut class = 0usize;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if class == 0 => out.push_str(r"(?-u:\b)"),
                // Where the ASCII form is used the text holds no non-ASCII
                // digit (see the module documentation), so `\d` is `[0-9]`:
                // a Unicode `\d` is some sixty ranges of UTF-8 sequences,
                // copied for each repetition (`\d{5,14}`), which makes the
                // regexes far slower to compile and their automata larger.
                Some('d') if class == 0 => out.push_str("[0-9]"),
                Some('d') => out.push_str("0-9"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                class += 1;
                out.push(c);
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Made-up texts of 1 to 12 `pieces` each, drawn with a fixed seed: for
/// tests that a pattern's gates never turn away a text it matches.
#[cfg(test)]
pub(crate) fn made_up_texts(pieces: &[&str], count: usize) -> Vec<String> {
    let mut seed = 11u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..count)
        .map(|_| (0..next() % 12 + 1).map(|_| pieces[next() % pieces.len()]).collect())
        .collect()
}

/// Asserts that each of `patterns`, gates included, finds what it finds as
/// written on `count` texts made up of `pieces` (see [`made_up_texts`]).
#[cfg(test)]
pub(crate) fn assert_gates_keep_every_match(pieces: &[&str], count: usize, patterns: &[&Pattern]) {
    for t in made_up_texts(pieces, count) {
        let a = primum_text::Analysis::new(&t);
        let h = Haystack::of(&a);
        for p in patterns {
            assert!(p.same_as_written(h), "{t:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use primum_text::Analysis;

    use super::{
        ANY_FEATURE, Haystack, LITERALS, NO_DIGIT_BITS, Pattern, Shape, WORDS_BEFORE_DIGITS, WORDS_BEFORE_SHIFT,
        ascii_boundaries, ascii_boundaries_exact, ascii_content, digit_shapes, literals_in, made_up_texts, search_form,
    };

    /// [`literals_in`] (four positions a step, all literals or some)
    /// finds the literals a search for each finds, at every position and
    /// text length: the literals and pieces of them put together in turn,
    /// at the text's ends and in the middle.
    #[test]
    fn literals_in_agrees_with_searches() {
        let pieces: Vec<&str> = LITERALS
            .iter()
            .copied()
            .chain([
                "", "x", "o", "y", "0", "'", "/", ".", " ", "ol", "ye", "ag", "te", "ja", "\u{e9}",
            ])
            .collect();
        let mut texts = Vec::new();
        for a in &pieces {
            for b in &pieces {
                for pad in ["", "z", "zz", "zzz"] {
                    texts.push(format!("{pad}{a}{b}"));
                    texts.push(format!("{a}{pad}{b}"));
                    texts.push(format!("{a}{b}{pad}"));
                }
            }
        }
        for t in &texts {
            let want = LITERALS
                .iter()
                .enumerate()
                .filter(|(_, l)| t.contains(*l))
                .fold(0u64, |bits, (k, _)| bits | 1 << k);
            assert_eq!(literals_in(t, u64::MAX), want, "{t:?}");
            assert_eq!(literals_in(t, NO_DIGIT_BITS), want & NO_DIGIT_BITS, "{t:?}");
        }
    }

    /// The shapes and chains of [`digit_shapes`] agree with scans of the
    /// whole text written the plain way, on many made-up texts.
    #[test]
    fn digit_shapes_agree_with_plain_scans() {
        let glued = |b: &[u8], sep: u8| {
            b.windows(3)
                .any(|w| w[1] == sep && w[0].is_ascii_digit() && w[2].is_ascii_digit())
        };
        let state = |b: &[u8]| {
            (1..b.len()).filter(|&d| b[d].is_ascii_digit()).any(|d| {
                if b[d - 1] != b' ' || d < 3 || !b.get(d + 1..d + 4).is_some_and(|r| r.iter().all(u8::is_ascii_digit)) {
                    return false;
                }
                let i = if b[d - 2] == b',' { d - 3 } else { d - 2 };
                i > 0
                    && b[i].is_ascii_alphabetic()
                    && (b[i - 1].is_ascii_uppercase() && b[i].is_ascii_uppercase()
                        || matches!(&b[i - 1..=i], b"ic" | b"ld" | b"as"))
            })
        };
        let sex = |b: &[u8]| {
            let mf = |k: usize| b.get(k).is_some_and(|&c| c == b'M' || c == b'F');
            (0..b.len()).any(|i| b[i].is_ascii_digit() && (mf(i + 1) || b.get(i + 1) == Some(&b' ') && mf(i + 2)))
        };
        let chain = |t: &str, n: usize| {
            regex::Regex::new(&format!("[0-9](?:[ .\\-]?[0-9]){{{}}}", n - 1))
                .unwrap()
                .is_match(t)
        };
        let spaced = |t: &str, n: usize| {
            regex::Regex::new(&format!("[0-9](?:[ \\-]?[0-9]){{{}}}", n - 1))
                .unwrap()
                .is_match(t)
        };
        let alphabet: Vec<char> = "0123456789 .-/,MFAZTicldasx\u{e9}".chars().collect();
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut t = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 59) + 1 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                t.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let b = t.as_bytes();
            let d = digit_shapes(b);
            let has = |s: u32| d.shapes & s != 0;
            assert_eq!(d.count, b.iter().filter(|c| c.is_ascii_digit()).count(), "{t:?}");
            assert_eq!(has(Shape::SLASH), glued(b, b'/'), "{t:?}");
            assert_eq!(has(Shape::DOT), glued(b, b'.'), "{t:?}");
            assert_eq!(has(Shape::DASH), glued(b, b'-'), "{t:?}");
            let upper_digit = b.windows(2).any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_digit());
            assert_eq!(has(Shape::UPPER_DIGIT), upper_digit, "{t:?}");
            let digit_upper = b.windows(2).any(|w| w[0].is_ascii_digit() && w[1].is_ascii_uppercase());
            assert_eq!(has(Shape::DIGIT_UPPER), digit_upper, "{t:?}");
            assert_eq!(has(Shape::UPPER_AND_DIGIT_UPPER), upper_digit && digit_upper, "{t:?}");
            assert_eq!(has(Shape::DIGIT_SEX), sex(b), "{t:?}");
            assert_eq!(has(Shape::STATE_DIGITS), state(b), "{t:?}");
            let iban = b.windows(4).any(|w| {
                w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase() && w[2].is_ascii_digit() && w[3].is_ascii_digit()
            });
            assert_eq!(has(Shape::UPPER2_DIGIT2), iban, "{t:?}");
            for n in 1..12 {
                assert_eq!(d.chain >= n, chain(&t, n), "{t:?} {n}");
                assert_eq!(d.spaced_chain >= n, spaced(&t, n), "{t:?} {n}");
            }
        }
    }

    #[test]
    fn rewrites_boundaries_outside_classes() {
        assert_eq!(ascii_boundaries(r"\bab\b"), r"(?-u:\b)ab(?-u:\b)");
        assert_eq!(ascii_boundaries(r"[\d\\]\.\b"), r"[0-9\\]\.(?-u:\b)");
        assert_eq!(ascii_boundaries(r"\d{2}\\d"), r"[0-9]{2}\\d");
        assert_eq!(ascii_boundaries(r"[a-z[\w]]\b"), r"[a-z[\w]](?-u:\b)");
    }

    /// The features a [`Haystack`] keeps past the shapes of
    /// [`digit_shapes`] (chains, literals, words before digits) agree
    /// with plain tests of the text, on many made-up texts.
    #[test]
    fn features_agree_with_plain_tests() {
        let pieces = [
            "1", "23", "456", " ", "-", ".", ":", "pin", "PIN", "year", "Year", "aged", "was", "of", "turned", "x",
            "\u{e9}", "\u{a0}",
        ];
        let chain = |n: usize, sep: &str| regex::Regex::new(&format!("[0-9](?:[{sep}]?[0-9]){{{}}}", n - 1)).unwrap();
        let (chain6, spaced9, spaced10) = (chain(6, r" .\-"), chain(9, r" \-"), chain(10, r" \-"));
        let words: Vec<regex::Regex> = WORDS_BEFORE_DIGITS
            .iter()
            .map(|w| regex::Regex::new(&format!(r"(?i){w}[\s:\u{{80}}-\u{{10FFFF}}]*[0-9]")).unwrap())
            .collect();
        for t in made_up_texts(&pieces, 3000) {
            let a = Analysis::new(&t);
            let h = Haystack::of(&a);
            let has = |bits: u32| h.features & u64::from(bits) != 0;
            assert!(h.features & ANY_FEATURE != 0);
            assert_eq!(has(Shape::CHAIN_6), chain6.is_match(&t), "{t:?}");
            assert_eq!(has(Shape::SPACED_CHAIN_9), spaced9.is_match(&t), "{t:?}");
            assert_eq!(has(Shape::SPACED_CHAIN_10), spaced10.is_match(&t), "{t:?}");
            let folded = t.to_ascii_lowercase();
            assert_eq!(has(Shape::YEAR), folded.contains("year"), "{t:?}");
            // `pin` is looked for only in a text with a digit; without,
            // it counts as found.
            let digits = t.bytes().any(|c| c.is_ascii_digit());
            assert_eq!(has(Shape::PIN), folded.contains("pin") || !digits, "{t:?}");
            for (k, w) in words.iter().enumerate() {
                let found = h.features >> WORDS_BEFORE_SHIFT >> k & 1 != 0;
                assert_eq!(found, w.is_match(&t), "{t:?} {w}");
            }
        }
    }

    #[test]
    fn emoji_joiners_keep_ascii_boundaries() {
        assert!(ascii_boundaries_exact("nurse life 👩\u{200d}⚕\u{fe0f} ❤\u{fe0f} 45 yo"));
        assert!(!ascii_boundaries_exact("Zoë, 45"));
        assert!(!ascii_boundaries_exact("day 1\u{fe0f}\u{20e3}"));
        assert!(!ascii_boundaries_exact("y.o.\u{fe0f}"));
    }

    #[test]
    fn same_matches_as_written() {
        let p = Pattern::new(r"\b\d{1,3}\s?yo\b");
        let find = |t: &str| -> Vec<(usize, usize)> {
            let a = Analysis::new(t);
            p.find_iter(Haystack::of(&a)).map(|m| (m.start(), m.end())).collect()
        };
        let written = regex::Regex::new(r"\b\d{1,3}\s?yo\b").unwrap();
        for t in [
            "a 92yo 😀",
            "x92yo",
            "café92yo",
            "92yo\u{fe0f}",
            "👩\u{200d}⚕️ 45 yo.",
            "é 45 yo",
            "1\u{fe0f}\u{20e3}2yo",
            "❤\u{fe0f}45yo",
            "Zoë 45yo",
            "Zoë45yo",
            "45yoé",
            "Jyväskylä 45 yo, Åsa 92yo",
            "٣ 45yo",
            "\u{212A} 45yo",
        ] {
            let want: Vec<(usize, usize)> = written.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(find(t), want, "{t}");
        }
    }

    #[test]
    fn search_form_keeps_bytes_and_boundaries() {
        assert_eq!(search_form("Zoë, 45"), "Zo__, 45");
        assert_eq!(search_form("❤\u{fe0f} ok"), "❤___ ok");
        assert_eq!(search_form("plain"), "plain");
    }

    #[test]
    fn ascii_content_is_judged_conservatively() {
        assert!(ascii_content(r"(?i)\b\d{1,2}(?:st|nd)?\s+[a-z'’]+\b"));
        assert!(ascii_content(r"[\d\\]\.\b"));
        for p in [r"\w+", r"a.b", r"[^a-z]", r"\p{Lu}", r"\S+", r"a_b", "é"] {
            assert!(!ascii_content(p), "{p}");
        }
    }
}
