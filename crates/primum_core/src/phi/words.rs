//! The word data the detectors read: given names, surnames, word
//! frequencies (to tell names from ordinary words), the cue phrases of
//! `lexicons/phi_cues.csv` and the public figures of
//! `lexicons/public_figures.csv`, each loaded once.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, Token, TokenKind};

/// The role of a cue phrase, as a bit (a phrase may have several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Role {
    Title = 1,
    TitlePro = 1 << 1,
    Relation = 1 << 2,
    Patient = 1 << 3,
    Greeting = 1 << 4,
    Colleague = 1 << 5,
    Facility = 1 << 6,
    Area = 1 << 7,
    PlaceSuffix = 1 << 8,
    Street = 1 << 9,
    Unit = 1 << 10,
    Bed = 1 << 11,
    PlacePrep = 1 << 12,
    PhoneCue = 1 << 13,
    FaxCue = 1 << 14,
    OrgPhone = 1 << 15,
    Notice = 1 << 16,
    Event = 1 << 17,
    Dob = 1 << 18,
    IdCue = 1 << 19,
    Holiday = 1 << 20,
    RoleMailbox = 1 << 21,
    PublicDomain = 1 << 22,
    SocialHost = 1 << 23,
    Staff = 1 << 24,
    OrgPrefix = 1 << 25,
    HandleOrg = 1 << 26,
    PublicFigure = 1 << 27,
    NotName = 1 << 28,
    Credit = 1 << 29,
    PublicRole = 1 << 30,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "title" => Role::Title,
            "title_pro" => Role::TitlePro,
            "relation" => Role::Relation,
            "patient" => Role::Patient,
            "greeting" => Role::Greeting,
            "colleague" => Role::Colleague,
            "facility" => Role::Facility,
            "area" => Role::Area,
            "place_suffix" => Role::PlaceSuffix,
            "street" => Role::Street,
            "unit" => Role::Unit,
            "bed" => Role::Bed,
            "place_prep" => Role::PlacePrep,
            "phone_cue" => Role::PhoneCue,
            "fax_cue" => Role::FaxCue,
            "org_phone" => Role::OrgPhone,
            "notice" => Role::Notice,
            "event" => Role::Event,
            "dob" => Role::Dob,
            "id_cue" => Role::IdCue,
            "holiday" => Role::Holiday,
            "role_mailbox" => Role::RoleMailbox,
            "public_domain" => Role::PublicDomain,
            "social_host" => Role::SocialHost,
            "staff" => Role::Staff,
            "org_prefix" => Role::OrgPrefix,
            "handle_org" => Role::HandleOrg,
            "not_name" => Role::NotName,
            "credit" => Role::Credit,
            "public_role" => Role::PublicRole,
            _ => return None,
        })
    }

    pub fn bit(self) -> u32 {
        self as u32
    }
}

/// What the word lists say of one word: its frequency rank and whether it
/// is a listed given name, surname or clinical word.
#[derive(Clone, Copy, Default)]
pub struct Entry {
    /// Frequency rank among ordinary English words (0 = most frequent).
    pub rank: Option<u32>,
    /// In `first_names.csv`.
    pub first: bool,
    /// In `surnames.csv`.
    pub surname: bool,
    /// A clinical word that is never a name: `tagger_not_names.csv` and the
    /// single words of the medicine, clinical-term and jargon lists.
    pub clinical: bool,
}

impl Entry {
    /// True when the word is a common enough word (rank below `limit`),
    /// as [`Words::common`].
    pub fn common(&self, limit: u32) -> bool {
        self.rank.is_some_and(|r| r < limit)
    }
}

/// The name and frequency lists.
pub struct Words {
    /// The given-name, surname, frequency and clinical lists merged into
    /// one table keyed by the lists' own strings, so that a word costs one
    /// hash lookup however many of them a detector asks about.
    entries: HashMap<Cow<'static, str>, Entry>,
    /// Single-word cues (and domain names) with their role bits.
    pub single: HashMap<String, u32>,
    /// All cue phrases, matched on the post's tokens.
    pub cues: Lexicon<u32>,
}

/// The text of a lexicon file of `crates/primum_core/lexicons/`.
macro_rules! lexicon_text {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons/", $file))
    };
}

/// The first field of each row of a lexicon file whose rows hold no
/// quotes (the header and comments left out), borrowed from the text:
/// the same words as the first column of `lexicon_rows!`, without a
/// string made for each field of its 45,000 rows at start-up (a test
/// holds the two the same).
fn first_fields(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or("").trim())
}

pub static WORDS: LazyLock<Words> = LazyLock::new(|| {
    // Keys borrowed from the lexicon texts where they can be.
    let mut entries: HashMap<Cow<'static, str>, Entry> = HashMap::with_capacity(48_000);
    for w in first_fields(lexicon_text!("first_names.csv")) {
        entries.entry(Cow::Borrowed(w)).or_default().first = true;
    }
    for w in first_fields(lexicon_text!("surnames.csv")) {
        entries.entry(Cow::Borrowed(w)).or_default().surname = true;
    }
    for (n, w) in first_fields(lexicon_text!("common_words.csv")).enumerate() {
        // A word listed twice keeps its first (best) rank.
        entries
            .entry(Cow::Borrowed(w))
            .or_default()
            .rank
            .get_or_insert(u32::try_from(n).unwrap_or(u32::MAX));
    }
    let clinical = crate::lexicon_rows!("tagger_not_names.csv")
        .into_iter()
        .chain(crate::lexicon_rows!("medicines.csv"))
        .chain(crate::lexicon_rows!("clinical_terms.csv"))
        .chain(crate::lexicon_rows!("jargon.csv"));
    for r in clinical {
        if let Some(t) = r.into_iter().next()
            && !t.contains(' ')
            && !t.ends_with('*')
        {
            entries.entry(Cow::Owned(t.to_lowercase())).or_default().clinical = true;
        }
    }
    let mut phrases: HashMap<String, u32> = HashMap::new();
    for r in crate::lexicon_rows!("phi_cues.csv") {
        if let (Some(p), Some(role)) = (r.first(), r.get(1).and_then(|s| Role::parse(s))) {
            *phrases.entry(p.to_lowercase()).or_insert(0) |= role.bit();
        }
    }
    // Public figures share the one automaton: a name listed there is a
    // public figure's wherever it occurs.
    for r in crate::lexicon_rows!("public_figures.csv") {
        if let Some(p) = r.first() {
            *phrases.entry(p.to_lowercase()).or_insert(0) |= Role::PublicFigure.bit();
        }
    }
    let single = phrases
        .iter()
        .filter(|(p, _)| !p.contains(' '))
        .map(|(p, v)| (p.clone(), *v))
        .collect();
    let cues = Lexicon::new(
        phrases
            .iter()
            .filter(|(p, _)| !p.contains('.'))
            .map(|(p, v)| (p.clone(), *v)),
    );
    Words { entries, single, cues }
});

impl Words {
    /// What the lists say of `w` (all false and no rank for an unlisted
    /// word).
    pub fn entry(&self, w: &str) -> Entry {
        self.entries.get(w).copied().unwrap_or_default()
    }

    /// True when `w` is a listed given name.
    pub fn is_first(&self, w: &str) -> bool {
        self.entries.get(w).is_some_and(|e| e.first)
    }

    /// True when `w` is a listed surname.
    pub fn is_surname(&self, w: &str) -> bool {
        self.entries.get(w).is_some_and(|e| e.surname)
    }

    /// The frequency rank of an ordinary word, if it is one.
    pub fn rank(&self, w: &str) -> Option<u32> {
        self.entries.get(w).and_then(|e| e.rank)
    }

    /// True when `w` is a common enough word (rank below `limit`).
    pub fn common(&self, w: &str, limit: u32) -> bool {
        self.rank(w).is_some_and(|r| r < limit)
    }

    pub fn roles_of(&self, w: &str) -> u32 {
        self.single.get(w).copied().unwrap_or(0)
    }
}

/// The cue phrases found in one post: per token, the roles of the phrases
/// that start, end or cover it.
pub struct Cues {
    pub ends: Vec<u32>,
    pub starts: Vec<u32>,
    pub covers: Vec<u32>,
    /// Per sentence: the roles found in it.
    pub sentence: Vec<u32>,
    /// All roles found in the post.
    pub all: u32,
    /// Per token, what the word lists say of it, looked up on the first
    /// question (see [`Cues::word`]).
    words: OnceCell<Vec<TokenWords>>,
}

/// What the word lists say of one capitalised word of a post: of its
/// normalised form, and of that form without a possessive `'s` (the key
/// of `names.rs`).
#[derive(Clone, Copy, Default)]
struct TokenWords {
    norm: Entry,
    base: Entry,
}

/// The tokens whose entries [`Cues::word`] keeps: the capitalised words.
/// Nearly every word-list question of the detectors is about one (a name,
/// a place, a company), and each is asked of it by several of them (names,
/// places, organisations, the tagger); a lower-case word is asked about
/// rarely, and only by one.
fn kept(t: &Token) -> bool {
    t.kind == TokenKind::Word && matches!(t.case, Case::Title | Case::Upper | Case::Mixed)
}

impl Cues {
    pub fn new(a: &Analysis<'_>) -> Cues {
        let n = a.tokens.len();
        let mut c = Cues {
            ends: vec![0; n],
            starts: vec![0; n],
            covers: vec![0; n],
            sentence: vec![0; a.sentences.len()],
            all: 0,
            words: OnceCell::new(),
        };
        for m in WORDS.cues.find_all(a) {
            let v = *m.value;
            if m.end == 0 || m.end > n {
                continue;
            }
            c.starts[m.first] |= v;
            c.ends[m.end - 1] |= v;
            for k in m.first..m.end {
                c.covers[k] |= v;
            }
            if let Some(s) = a.sentence_of.get(m.first)
                && let Some(slot) = c.sentence.get_mut(*s as usize)
            {
                *slot |= v;
            }
            c.all |= v;
        }
        c
    }

    pub fn ends_with(&self, i: usize, role: Role) -> bool {
        self.ends.get(i).is_some_and(|m| m & role.bit() != 0)
    }

    pub fn starts_with(&self, i: usize, role: Role) -> bool {
        self.starts.get(i).is_some_and(|m| m & role.bit() != 0)
    }

    pub fn covered(&self, i: usize, role: Role) -> bool {
        self.covers.get(i).is_some_and(|m| m & role.bit() != 0)
    }

    pub fn in_sentence(&self, s: usize, role: Role) -> bool {
        self.sentence.get(s).is_some_and(|m| m & role.bit() != 0)
    }

    pub fn any(&self, role: Role) -> bool {
        self.all & role.bit() != 0
    }

    /// What the word lists say of token `i` of `a` (the analysis these
    /// cues were found in): the same as `WORDS.entry(&a.tokens[i].norm)`.
    /// The capitalised words are looked up once per post, on the first
    /// question, and kept: every detector that asks about a word then
    /// reads it from this table instead of hashing the word again.
    pub fn word(&self, a: &Analysis<'_>, i: usize) -> Entry {
        match a.tokens.get(i) {
            Some(t) if kept(t) => self.kept_words(a).get(i).map_or_else(|| WORDS.entry(&t.norm), |w| w.norm),
            Some(t) => WORDS.entry(&t.norm),
            None => WORDS.entry(""),
        }
    }

    /// [`Cues::word`] for the token's [`base`] (its form without a
    /// possessive `'s`): `WORDS.entry(base(&a.tokens[i].norm))`.
    pub fn base_word(&self, a: &Analysis<'_>, i: usize) -> Entry {
        match a.tokens.get(i) {
            Some(t) if kept(t) => self
                .kept_words(a)
                .get(i)
                .map_or_else(|| WORDS.entry(base(&t.norm)), |w| w.base),
            Some(t) => WORDS.entry(base(&t.norm)),
            None => WORDS.entry(""),
        }
    }

    /// The entries of the capitalised words of `a`, looked up on the first
    /// call (other tokens hold a default entry that is never read).
    fn kept_words(&self, a: &Analysis<'_>) -> &[TokenWords] {
        self.words.get_or_init(|| {
            a.tokens
                .iter()
                .map(|t| {
                    if !kept(t) {
                        return TokenWords::default();
                    }
                    let norm = WORDS.entry(&t.norm);
                    let b = base(&t.norm);
                    // Without an `'s` the two keys are one.
                    let base = if b.len() == t.norm.len() { norm } else { WORDS.entry(b) };
                    TokenWords { norm, base }
                })
                .collect()
        })
    }
}

/// A token's normalised form without a possessive `'s`.
pub fn base(norm: &str) -> &str {
    norm.strip_suffix("'s")
        .or_else(|| norm.strip_suffix("\u{2019}s"))
        .unwrap_or(norm)
}

#[cfg(test)]
mod tests {
    use super::first_fields;

    /// The borrowed reader gives the first column that the CSV reader does.
    #[test]
    fn first_fields_as_the_csv_reader() {
        for (rows, text) in [
            (
                crate::lexicon_rows!("first_names.csv"),
                lexicon_text!("first_names.csv"),
            ),
            (crate::lexicon_rows!("surnames.csv"), lexicon_text!("surnames.csv")),
            (
                crate::lexicon_rows!("common_words.csv"),
                lexicon_text!("common_words.csv"),
            ),
        ] {
            assert!(!text.lines().any(|l| !l.starts_with('#') && l.contains('"')));
            let want: Vec<String> = rows.into_iter().map(|r| r[0].clone()).collect();
            assert_eq!(first_fields(text).collect::<Vec<_>>(), want);
        }
    }
}
