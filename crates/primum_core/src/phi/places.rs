//! Named places: countries, states and provinces, cities and towns
//! (`lexicons/places.csv`, from GeoNames), and a capitalised name after a
//! phrase that introduces a place (`flew to Leppen`, `grew up in Sund`,
//! `originally from Križe`).
//!
//! A listed name that is also an ordinary word or a given name (`Bath`,
//! `Reading`, `Florence`, `Mobile`) counts only with a cue: a place
//! preposition before it, or a state or country after it (`Reading,
//! Berkshire`). Every name must be capitalised as a name is.

use std::sync::LazyLock;

use foldhash::{HashMap, HashMapExt};
use primum_text::{Analysis, Case, PerToken, TokenKind};

use super::words::{Class, Cues, Entry, Role, WordSet};
use super::{Identifier, push};
use crate::finding::Kind;

/// What a listed place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PlaceKind {
    City,
    BigCity,
    Region,
    Country,
}

/// The gazetteer: lower-case name -> kind; and the most words in a name.
pub(crate) struct Gazetteer {
    /// Each name, and each start of a name that ends right before a
    /// character that is not a letter or digit (`porto` of `porto
    /// alegre`, `bay of` of `bay of plenty`): one lookup tells
    /// [`listed_at`] both whether a span is a place and whether a longer
    /// one could be. (Keyed by the text's own strings: a
    /// [`super::words::WordMap`] reads no faster here, the lookups are
    /// few, and it takes longer to build at start-up.)
    names: HashMap<&'static str, Slot>,
    max_words: usize,
    /// Every key of `names` by its [`first_word_bit`]: a filter that
    /// turns away, with one load, most capitalised words of a post (no
    /// place and no start of one) before the key is lowered and hashed
    /// (the lookup's probing and the lowering go either way from word to
    /// word). 64 KB, where the map takes more than a megabyte.
    first_words: Box<[u64]>,
}

/// The bits of [`Gazetteer::first_words`] (a power of two).
const FIRST_WORD_BITS: usize = 1 << 19;

/// The bit of [`Gazetteer::first_words`] of `w`, a word as the text writes
/// it or a key: its length and five of its bytes (first two, middle, last
/// two, each read at an index clamped into the word, so with no branch on
/// the length), ASCII letters lowered, mixed by a multiplication. The
/// bit of an ASCII word is that of its lower-case form.
fn first_word_bit(w: &[u8]) -> usize {
    let Some(last) = w.len().checked_sub(1) else {
        return 0;
    };
    // `| 0x20` lowers an ASCII capital, tested without a branch.
    let at = |k: usize| {
        let b = w[k.min(last)];
        u64::from(b | u8::from(b.is_ascii_uppercase()) << 5)
    };
    let x = w.len() as u64
        | at(0) << 8
        | at(1) << 16
        | at(w.len() / 2) << 24
        | at(last.saturating_sub(1)) << 32
        | at(last) << 40;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FIRST_WORD_BITS.trailing_zeros())) as usize
}

impl Gazetteer {
    /// False when no key of the gazetteer has the bit of `w`, an ASCII
    /// word: its lower-case form is certainly no key.
    fn may_start(&self, w: &[u8]) -> bool {
        let bit = first_word_bit(w);
        self.first_words.get(bit / 64).is_some_and(|x| x >> (bit % 64) & 1 != 0)
    }
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The kind of the place of this name, if one is.
    kind: Option<PlaceKind>,
    /// Some longer name starts with this one and a character that is not a
    /// letter or digit.
    prefix: bool,
}

pub(crate) static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    // 48,000 plain `name,kind` rows: split by hand, which costs a tenth of
    // the general CSV reader at start-up.
    let data = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons/places.csv"));
    let mut names = HashMap::with_capacity(57_000);
    let mut max_words = 1;
    for line in data.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let Some((name, kind)) = line.split_once(',') else {
            continue;
        };
        let kind = match kind {
            "country" => PlaceKind::Country,
            "region" => PlaceKind::Region,
            "bigcity" => PlaceKind::BigCity,
            _ => PlaceKind::City,
        };
        max_words = max_words.max(name.split([' ', '-']).count().min(4));
        let slot: &mut Slot = names.entry(name).or_default();
        slot.kind = Some(kind);
        for (p, c) in name.char_indices() {
            if p > 0 && !c.is_alphanumeric() {
                names.entry(&name[..p]).or_default().prefix = true;
            }
        }
    }
    let mut first_words = vec![0u64; FIRST_WORD_BITS / 64].into_boxed_slice();
    for k in names.keys() {
        let bit = first_word_bit(k.as_bytes());
        first_words[bit / 64] |= 1 << (bit % 64);
    }
    Gazetteer {
        names,
        max_words,
        first_words,
    }
});

/// Country and region names that are also ordinary words or given names.
const AMBIGUOUS_REGIONS: &[&str] = &[
    "turkey",
    "israel",
    "kenya",
    "tonga",
    "cuba",
    "chad",
    "guinea",
    "china",
    "jersey",
    "georgia",
    "jordan",
    "victoria",
    "niger",
    "america",
    "india",
    "nelson",
    "marlborough",
    "canterbury",
    "punjab",
    "goa",
    "south",
    "north",
];

/// Postal codes of US states, Canadian provinces and Australian states.
const STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "ON", "QC", "BC", "AB", "MB", "SK",
    "NS", "NB", "NL", "PE", "YT", "NT", "NU", "NSW", "VIC", "QLD", "SA", "TAS", "ACT",
];

/// Words that introduce a place right after them.
fn place_prep(w: &str) -> bool {
    matches!(
        w,
        "in" | "from"
            | "to"
            | "at"
            | "near"
            | "outside"
            | "around"
            | "visiting"
            | "visit"
            | "towards"
            | "toward"
            | "via"
    )
}

/// Phrases (last word first) after which a capitalised name is a place
/// even when no list holds it: `flew to`, `grew up in`, `home city`.
const PLACE_CUES: &[&[&str]] = &[
    &["to", "flew"],
    &["to", "fly"],
    &["to", "flying"],
    &["to", "travelling"],
    &["to", "traveling"],
    &["to", "moved"],
    &["to", "move"],
    &["to", "trip"],
    &["to", "coming"],
    &["to", "relocated"],
    &["to", "emigrated"],
    &["from", "originally"],
    &["from", "here"],
    &["from", "moved"],
    &["from", "am"],
    &["from", "i'm"],
    &["from", "is"],
    &["from", "hails"],
    &["from", "came"],
    &["from", "come"],
    &["from", "comes"],
    &["from", "emigrated"],
    &["in", "up"],
    &["in", "lives"],
    &["in", "live"],
    &["in", "living"],
    &["in", "based"],
    &["in", "born"],
    &["in", "raised"],
    &["in", "located"],
    &["in", "holiday"],
    &["in", "vacation"],
    &["in", "stationed"],
    &["in", "settled"],
    &["in", "am"],
    &["in", "i'm"],
    &["city"],
    &["town"],
    &["hometown"],
    &["village"],
    &["to", "returned"],
    &["to", "return"],
    &["at", "arrived"],
    &["to", "arrived"],
    &["in", "arrived"],
];

/// Words that never start a place name although capitalised (compared
/// by shape, not a search of a list).
const NOT_PLACE: WordSet<24> = WordSet::new([
    "the", "a", "an", "my", "our", "his", "her", "their", "your", "this", "that", "i", "we", "he", "she", "it", "they",
    "mr", "mrs", "ms", "dr", "st", "saint", "mount",
]);

fn capitalised(a: &Analysis<'_>, i: usize, lower: bool) -> bool {
    a.tokens.get(i).is_some_and(|t| {
        t.kind == TokenKind::Word
            && (matches!(t.case, Case::Title | Case::Upper)
                || t.case == Case::Lower && lower
                || t.case == Case::Mixed && a.token_text(i).starts_with(|c: char| c.is_uppercase()))
    })
}

/// The text has no upper-case letter: capitalisation says nothing, and a
/// listed place may be written in lower case (`i'm from switzerland`).
pub(crate) fn lower_text(a: &Analysis<'_>) -> bool {
    a.tokens.iter().all(|t| t.letters.upper == 0)
}

/// True when the gap between tokens `i` and `i + 1` keeps them in one
/// name: a single space, a hyphen or an apostrophe, no line break.
fn joined(a: &Analysis<'_>, i: usize) -> bool {
    let (Some(x), Some(y)) = (a.tokens.get(i), a.tokens.get(i + 1)) else {
        return false;
    };
    let gap = &a.text[x.span.end..y.span.start];
    gap.len() <= 1 && !matches!(gap, "\n" | "\r" | "\t")
}

/// The longest listed place starting at token `i`, as (last token, kind):
/// every word of it capitalised, except short joining words (`Bay of
/// Plenty`, `Villafranca del Cid`).
pub(crate) fn listed_at(a: &Analysis<'_>, i: usize, lower: bool) -> Option<(usize, PlaceKind)> {
    listed_at_with(a, i, lower, &mut String::new(), false)
}

/// [`listed_at`], building its keys in `key` (emptied first): a detector
/// that asks at every capitalised word makes one string for all of them.
/// `ascii`: the whole text is ASCII (then the first word's key is its
/// bytes lowered, and [`Gazetteer::may_start`] can turn it away).
fn listed_at_with(
    a: &Analysis<'_>,
    i: usize,
    lower: bool,
    key: &mut String,
    ascii: bool,
) -> Option<(usize, PlaceKind)> {
    if !capitalised(a, i, lower) {
        return None;
    }
    let g = &*GAZETTEER;
    // A first word that no key can be, with no letter or digit glued
    // after it, ends the search below at its first lookup (no place, no
    // start of one, and nothing that reads on): none is found.
    if ascii {
        let span = a.tokens[i].span;
        let bytes = a.text.as_bytes();
        let glued = bytes.get(span.end).is_some_and(u8::is_ascii_alphanumeric);
        if !glued && !g.may_start(&bytes[span.start..span.end]) {
            return None;
        }
    }
    let n = a.tokens.len();
    let mut best = None;
    let mut e = i;
    let mut words = 1;
    // The lower-case text from token `i` to the last one read, grown as
    // the name does (lower-casing is per character, so the same as
    // lower-casing the whole span each time).
    key.clear();
    let mut key_end = a.tokens[i].span.start;
    loop {
        if capitalised(a, e, lower) {
            let more = &a.text[key_end..a.tokens[e].span.end];
            if ascii || more.is_ascii() {
                let from = key.len();
                key.push_str(more);
                key[from..].make_ascii_lowercase();
            } else {
                key.extend(more.chars().flat_map(char::to_lowercase));
            }
            key_end = a.tokens[e].span.end;
            let slot = g.names.get(key.as_str()).copied().unwrap_or_default();
            if let Some(k) = slot.kind {
                best = Some((e, k));
            }
            // A longer name read on goes on with the next character of the
            // text (a space, or the `-` or `'` token): when that is no
            // letter or digit, the key is a listed start of one or there
            // is none. (`char::to_lowercase` keeps a character's class.)
            if !slot.prefix && a.text[key_end..].chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                break;
            }
        }
        // Extend over a hyphen or to the next word: a capitalised one, or a
        // short joining word (`of`, `del`, `upon`).
        if words > g.max_words || e + 1 >= n || !joined(a, e) {
            break;
        }
        let nx = &a.tokens[e + 1];
        let ok = match nx.kind {
            TokenKind::Word => capitalised(a, e + 1, lower) || nx.norm.len() <= 4,
            TokenKind::Punct => matches!(nx.norm.as_str(), "-" | "'"),
            _ => false,
        };
        if !ok {
            break;
        }
        e += 1;
        if nx.kind == TokenKind::Word {
            words += 1;
        }
    }
    best
}

/// True when a single-word listed name needs a cue before it counts; `e`
/// is what the word lists say of `word`.
fn ambiguous(word: &str, e: Entry, kind: PlaceKind) -> bool {
    let w = e.first;
    match kind {
        // Countries named like people (`France`, `Kenya`) are rarely meant as
        // the person; the few that often are (`Jordan`, `Georgia`) are listed.
        PlaceKind::Country => AMBIGUOUS_REGIONS.contains(&word),
        PlaceKind::Region => AMBIGUOUS_REGIONS.contains(&word) || w,
        PlaceKind::BigCity => w || e.common(5000),
        PlaceKind::City => w || e.common(30000) || e.surname,
    }
}

/// The word token before `i` (skipping nothing), lower case.
fn word_before<'a>(a: &'a Analysis<'_>, i: usize) -> Option<&'a str> {
    let j = i.checked_sub(1)?;
    let t = &a.tokens[j];
    (t.kind == TokenKind::Word).then_some(t.norm.as_str())
}

/// True when a place preposition or a place cue comes right before `i`.
fn prep_before(a: &Analysis<'_>, cues: &Cues, i: usize) -> bool {
    word_before(a, i).is_some_and(place_prep) || cue_before(a, cues, i)
}

/// `:`, which ends a place label.
const COLON: WordSet<1> = WordSet::new([":"]);

/// The last words of [`PLACE_CUES`].
const CUE_LAST: WordSet<8> = WordSet::new(["to", "from", "in", "at", "city", "town", "hometown", "village"]);

/// True when one of [`PLACE_CUES`] ends right before token `i`, or a
/// place label (`Where:`, `Location:`).
/// (The token before is read by its kept shape, `cues` of `a`: a string
/// comparison first branches on the length, which goes either way.)
fn cue_before(a: &Analysis<'_>, cues: &Cues, i: usize) -> bool {
    let label = i >= 2
        && cues.is_in(a, i - 1, &COLON)
        && matches!(
            a.tokens[i - 2].norm.as_str(),
            "where" | "location" | "venue" | "place" | "city" | "town" | "hometown"
        );
    // Every cue ends in one of these words: a quick test first.
    let possible = i.checked_sub(1).is_some_and(|p| cues.is_in(a, p, &CUE_LAST));
    label
        || possible
            && PLACE_CUES.iter().any(|cue| {
                cue.iter().enumerate().all(|(k, w)| {
                    i.checked_sub(k + 1)
                        .and_then(|j| a.tokens.get(j))
                        .is_some_and(|t| t.kind == TokenKind::Word && t.norm == *w)
                })
            })
}

/// True when a listed region or country, or a state code, follows `e`
/// after a comma (`Reading, Berkshire`, `Austin, TX`).
fn region_after(a: &Analysis<'_>, e: usize, lower: bool, key: &mut String, ascii: bool) -> bool {
    if a.tokens.get(e + 1).is_none_or(|t| t.norm != ",") {
        return false;
    }
    let j = e + 2;
    if let Some((_, k)) = listed_at_with(a, j, lower, key, ascii) {
        return k >= PlaceKind::Region;
    }
    a.tokens
        .get(j)
        .is_some_and(|t| t.kind == TokenKind::Word && STATE_CODES.contains(&a.token_text(j)))
}

/// A title or a given name right before: the word is a person's name
/// (`Mr. Leiva`, `Florence Nightingale`).
fn person_before(cues: &Cues, i: usize) -> bool {
    // The first dot before is stepped over by arithmetic (a branch on it
    // went either way: capitalised words often follow a full stop); the
    // loop then goes on over a second dot, which is rare.
    let mut j = i - usize::from(i > 0 && cues.is(i - 1, Class::DOT));
    while j > 0 && cues.is(j - 1, Class::DOT) {
        j -= 1;
    }
    let title = Role::Title.bit() | Role::TitlePro.bit();
    j.checked_sub(1).is_some_and(|p| cues.at(p).covers & title != 0)
}

pub(super) fn detect(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let n = a.tokens.len();
    let lower = lower_text(a);
    // The gazetteer's keys, made in one string for the whole post.
    let mut key = String::new();
    let ascii = a.is_ascii();
    // The capitalised tokens ([`capitalised`]: the only ones the loop
    // looks at), listed without a branch on each token (one that goes
    // either way from word to word), then looked at in order.
    let cap = Class::CAPITAL | if lower { Class::LCASE } else { 0 };
    let mut i = 0;
    let mut at = PerToken::new(n);
    for &c in at.select(|i| cues.class(i) & cap != 0) {
        let c = c as usize;
        if c < i {
            continue;
        }
        i = c;
        // The word's two tests read its shape, kept by the cues (the
        // text only for a longer word of a listed word's shape), and are
        // or'ed as bools: one branch, where a shape made from the text
        // first tested the word for being empty, and each test was a
        // branch of its own.
        let s = cues.shape(i);
        let norm = || a.tokens[i].norm.as_str();
        if NOT_PLACE.contains_shaped_with(s, norm) | super::names::month_or_day_shaped(s, norm)
            || person_before(cues, i)
        {
            continue;
        }
        if let Some((e, kind)) = listed_at_with(a, i, lower, &mut key, ascii) {
            let single = e == i;
            let word = a.tokens[i].norm.as_str();
            // What the word lists say of it, kept per post by the cues.
            let entry = cues.word(a, i);
            // A bare preposition is a weak cue before a very common word
            // (`in Police custody`, `to Spring Showcase`).
            let weak = single && entry.common(2000) && !cue_before(a, cues, i);
            let cue = (prep_before(a, cues, i) && !weak) || region_after(a, e, lower, &mut key, ascii);
            let name_after = e + 1 < n && joined(a, e) && capitalised(a, e + 1, lower) && cues.word(a, e + 1).surname;
            let counts = !single || cue || !ambiguous(word, entry, kind) && !name_after;
            if counts {
                // `Thornbury Heath`: a listed town with a place word after it.
                let mut e = e;
                while e + 1 < n
                    && joined(a, e)
                    && capitalised(a, e + 1, lower)
                    && cues.covered(e + 1, Role::PlaceSuffix)
                {
                    e += 1;
                }
                let conf = if cue { 0.75 } else { 0.65 };
                push(
                    out,
                    a.tokens[i].span.start,
                    a.tokens[e].span.end,
                    Kind::Location,
                    conf,
                    "place name",
                );
                i = e + 1;
                continue;
            }
        }
        // A capitalised name no list holds, after a phrase that introduces
        // a place.
        if cue_before(a, cues, i) && !super::names::month_or_day(a.tokens[i].norm.as_str()) {
            let mut e = i;
            while e + 1 < n && e - i < 2 && joined(a, e) && capitalised(a, e + 1, lower) {
                e += 1;
            }
            push(
                out,
                a.tokens[i].span.start,
                a.tokens[e].span.end,
                Kind::Location,
                0.7,
                "place after a place phrase",
            );
            i = e + 1;
            continue;
        }
    }
}

#[cfg(test)]
mod tests {
    use primum_text::Analysis;

    use super::super::words::Cues;
    use crate::finding::Kind;

    fn places(text: &str) -> Vec<(&str, Kind)> {
        let a = Analysis::new(text);
        let mut out = Vec::new();
        super::detect(&a, &Cues::new(&a), &mut out);
        out.iter().map(|i| (&text[i.span.start..i.span.end], i.kind)).collect()
    }

    #[test]
    fn listed_places() {
        assert_eq!(places("I'm in Miami, at the conference"), [("Miami", Kind::Location)]);
        assert_eq!(places("She moved here from Estonia"), [("Estonia", Kind::Location)]);
        assert_eq!(places("France was super fun to visit!"), [("France", Kind::Location)]);
        assert_eq!(
            places("i'm originally from switzerland"),
            [("switzerland", Kind::Location)]
        );
        assert_eq!(
            places("Where: Erwetegem Country Club."),
            [("Erwetegem Country Club", Kind::Location)]
        );
        assert_eq!(
            places("Back home in Porto Alegre now"),
            [("Porto Alegre", Kind::Location)]
        );
        assert_eq!(places("She lives in Reading, Berkshire"), [("Reading", Kind::Location)]);
        assert_eq!(
            places("Reading, England"),
            [("Reading", Kind::Location), ("England", Kind::Location)]
        );
        assert!(places("he is in Police custody").is_empty());
        assert_eq!(places("Springfield, IL"), [("Springfield", Kind::Location)]);
        assert!(places("Placate Legacy Media, DOJ moves").is_empty());
        assert_eq!(
            places("Mr. Leiva flew to LEPPEN on Tuesday"),
            [("LEPPEN", Kind::Location)]
        );
        assert_eq!(
            places("a 19 year old man who grew up in SUND."),
            [("SUND", Kind::Location)]
        );
    }

    #[test]
    fn ambiguous_words_need_a_cue() {
        assert!(places("Reading is hard after a night shift").is_empty());
        assert!(places("Florence was lovely to work with").is_empty());
        assert!(places("Mobile: 0490 39 07 81").is_empty());
        assert!(places("Bath time on the ward").is_empty());
        assert_eq!(places("we moved to Bath last year"), [("Bath", Kind::Location)]);
    }

    #[test]
    fn names_and_lower_case_are_not_places() {
        assert!(places("the nurse in charge was kind").is_empty());
        assert!(places("Mrs Florence Adeyemi").is_empty());
    }
}
