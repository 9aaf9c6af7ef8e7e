//! Built-in regexes that stay fast on posts full of emoji.
//!
//! The regex crate's lazy DFA cannot decide a Unicode word boundary `\b`
//! once the text holds a non-ASCII byte, so on almost every post it falls
//! back to a much slower engine. An ASCII word boundary `(?-u:\b)` keeps
//! the DFA. Both boundaries agree at every position whose neighbours are
//! each either ASCII or not a word character: emoji, curly quotes and
//! dashes are not word characters. They can disagree next to a non-ASCII
//! word character: a letter such as `é`, a digit such as `٣`, a combining
//! mark, and also the joiners inside emoji sequences (U+200D, and the
//! variation selector U+FE0F of `❤️`).
//!
//! So each [`Pattern`] is compiled with ASCII boundaries, and also, on
//! first need, as written; a [`Haystack`] records once per text whether
//! the ASCII form gives the same matches, and [`Pattern`] picks the form.
//! The ASCII form is used when the text's only non-ASCII word characters
//! are emoji joiners and none of them touches an ASCII letter, digit, `_`
//! or `.`. That is exact because every `\b` of a built-in pattern has, on
//! each side where the text could hold a joiner, a neighbour in the
//! pattern that matches only a letter, a digit or a `.` (`\b\d`,
//! `olds?\b`, `y\.o\.(?:\b|$)`): a boundary next to a joiner is never
//! reached. A new pattern must keep that shape; in debug builds every
//! search also runs the pattern as written and asserts the same matches,
//! so the tests catch one that does not.
//!
//! Most posts match none of the thirty-odd built-in patterns, and scanning
//! the text once per pattern was a tenth of the engine's time. So every
//! pattern is also registered, with its word boundaries removed, in one
//! process-wide [`RegexSet`]; a [`Haystack`] runs that set over its text
//! once, and a pattern whose loosened form does not match is not searched
//! at all. Removing an assertion only adds matches, so the set never rules
//! out a pattern that could match. A pattern created after the set was
//! last built is always searched until the set is rebuilt (rebuilds are
//! spaced out, as for the lexicons' automaton).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError, RwLock};

use regex::{Captures, Match, Regex, RegexSet, RegexSetBuilder};

/// A text prepared for [`Pattern`] searches.
#[derive(Debug, Clone, Copy)]
pub struct Haystack<'t> {
    pub text: &'t str,
    /// ASCII word boundaries give the same matches (see the module
    /// documentation).
    ascii_words: bool,
    /// The text holds an ASCII digit.
    digits: bool,
    /// Patterns with an id below this were in the set that `possible` came
    /// from.
    covers: usize,
    /// Bit `i`: the loosened form of pattern `i` matches somewhere.
    possible: u128,
}

/// Any word character (Unicode `\w`, which Unicode `\b` uses) that is not
/// ASCII.
static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid built-in regex"));

/// Word characters that only join or vary emoji: zero-width (non-)joiner,
/// variation selectors, the combining keycap.
fn emoji_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{20E3}')
}

impl<'t> Haystack<'t> {
    pub fn new(text: &'t str) -> Haystack<'t> {
        let ascii_words = text.is_ascii() || ascii_boundaries_exact(text);
        let digits = text.bytes().any(|b| b.is_ascii_digit());
        let (covers, possible) = match loose_set() {
            Some(set) => (
                set.covers,
                set.set.matches(text).iter().fold(0u128, |bits, i| bits | 1 << i),
            ),
            None => (0, 0),
        };
        Haystack {
            text,
            ascii_words,
            digits,
            covers,
            possible,
        }
    }

    /// Whether pattern `id` may match (false only when the set rules it out).
    fn may_match(&self, id: usize) -> bool {
        id >= self.covers || self.possible & (1 << id) != 0
    }
}

/// The loosened sources of the patterns created so far, by id (at most
/// [`SET_MAX`] go in the set; later ones are always searched).
static LOOSE: Mutex<Vec<String>> = Mutex::new(Vec::new());
const SET_MAX: usize = 128;
static PENDING: AtomicBool = AtomicBool::new(false);
static SCANS: AtomicU64 = AtomicU64::new(0);
static NEXT_BUILD: AtomicU64 = AtomicU64::new(0);
static SET: RwLock<Option<Arc<LooseSet>>> = RwLock::new(None);

struct LooseSet {
    set: RegexSet,
    covers: usize,
}

/// The current set of loosened patterns, rebuilt when patterns were added
/// since (at most some twenty times in a million texts: the gap between
/// rebuilds doubles).
fn loose_set() -> Option<Arc<LooseSet>> {
    let scan = SCANS.fetch_add(1, Ordering::Relaxed);
    if scan >= NEXT_BUILD.load(Ordering::Relaxed) && PENDING.swap(false, Ordering::AcqRel) {
        NEXT_BUILD.store(scan.saturating_mul(2).saturating_add(1), Ordering::Relaxed);
        let sources: Vec<String> = LOOSE.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let covers = sources.len().min(SET_MAX);
        let set = RegexSetBuilder::new(&sources[..covers])
            .dfa_size_limit(64 << 20)
            .build()
            .expect("loosened built-in regexes are valid");
        let mut slot = SET.write().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_none_or(|s| s.covers <= covers) {
            *slot = Some(Arc::new(LooseSet { set, covers }));
        }
    }
    SET.read().unwrap_or_else(PoisonError::into_inner).clone()
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

/// A built-in regex, searched with ASCII word boundaries where that gives
/// the same matches.
pub struct Pattern {
    /// Index in the set of loosened patterns.
    id: usize,
    ascii: Regex,
    source: String,
    unicode: OnceLock<Regex>,
    /// Every match holds a digit (`\d`): a text without one is not searched.
    needs_digit: bool,
}

impl Pattern {
    /// Compiles `source` (a built-in pattern: panics if it is invalid).
    pub fn new(source: &str) -> Pattern {
        let ascii = Regex::new(&ascii_boundaries(source)).expect("valid built-in regex");
        let id = {
            let mut loose = LOOSE.lock().unwrap_or_else(PoisonError::into_inner);
            loose.push(rewrite_boundaries(source, ""));
            loose.len() - 1
        };
        PENDING.store(true, Ordering::Release);
        Pattern {
            id,
            ascii,
            source: source.to_string(),
            unicode: OnceLock::new(),
            needs_digit: false,
        }
    }

    /// Declares that every match of the pattern holds a digit, so that
    /// texts without an ASCII digit are skipped (where ASCII boundaries
    /// are exact, a `\d` can only match an ASCII digit: other digits are
    /// word characters). Debug builds check the claim on every search.
    pub fn needs_digit(mut self) -> Pattern {
        self.needs_digit = true;
        self
    }

    /// The regex to search `h` with, or none when it cannot match.
    fn regex(&self, h: Haystack<'_>) -> Option<&Regex> {
        if !h.may_match(self.id) {
            return None;
        }
        if !h.ascii_words {
            return Some(self.written());
        }
        (h.digits || !self.needs_digit).then_some(&self.ascii)
    }

    fn written(&self) -> &Regex {
        self.unicode
            .get_or_init(|| Regex::new(&self.source).expect("valid built-in regex"))
    }

    pub fn find_iter<'r, 't>(&'r self, h: Haystack<'t>) -> impl Iterator<Item = Match<'t>> + use<'r, 't> {
        #[cfg(debug_assertions)]
        self.assert_exact(h);
        self.regex(h).into_iter().flat_map(move |re| re.find_iter(h.text))
    }

    pub fn captures_iter<'r, 't>(&'r self, h: Haystack<'t>) -> impl Iterator<Item = Captures<'t>> + use<'r, 't> {
        #[cfg(debug_assertions)]
        self.assert_exact(h);
        self.regex(h).into_iter().flat_map(move |re| re.captures_iter(h.text))
    }

    /// Checks that the form chosen for `h` finds what the pattern as
    /// written finds, groups included.
    #[cfg(debug_assertions)]
    fn assert_exact(&self, h: Haystack<'_>) {
        let spans = |re: Option<&Regex>| -> Vec<Vec<Option<(usize, usize)>>> {
            re.map_or_else(Vec::new, |re| {
                re.captures_iter(h.text)
                    .map(|c| c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect())
                    .collect()
            })
        };
        assert_eq!(
            spans(self.regex(h)),
            spans(Some(self.written())),
            "the fast form of {:?} finds other matches on {:?}",
            self.source,
            h.text
        );
    }
}

/// `source` with every `\b` outside a character class made an ASCII word
/// boundary `(?-u:\b)`. The built-in patterns use no `\B`, `\<`, `\>` or
/// `\b{...}`, and no `#` comments in verbose mode.
fn ascii_boundaries(source: &str) -> String {
    rewrite_boundaries(source, r"(?-u:\b)")
}

/// `source` with every `\b` outside a character class replaced by `with`.
fn rewrite_boundaries(source: &str, with: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut class = 0usize;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if class == 0 => out.push_str(with),
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

#[cfg(test)]
mod tests {
    use super::{Haystack, Pattern, ascii_boundaries, ascii_boundaries_exact};

    #[test]
    fn rewrites_boundaries_outside_classes() {
        assert_eq!(ascii_boundaries(r"\bab\b"), r"(?-u:\b)ab(?-u:\b)");
        assert_eq!(ascii_boundaries(r"[\d\\]\.\b"), r"[\d\\]\.(?-u:\b)");
        assert_eq!(ascii_boundaries(r"[a-z[\w]]\b"), r"[a-z[\w]](?-u:\b)");
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
        let find =
            |t: &str| -> Vec<(usize, usize)> { p.find_iter(Haystack::new(t)).map(|m| (m.start(), m.end())).collect() };
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
        ] {
            let want: Vec<(usize, usize)> = written.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(find(t), want, "{t}");
        }
    }
}
