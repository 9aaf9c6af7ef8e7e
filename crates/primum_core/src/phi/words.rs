//! The word data the detectors read: given names, surnames, word
//! frequencies (to tell names from ordinary words), the cue phrases of
//! `lexicons/phi_cues.csv` and the public figures of
//! `lexicons/public_figures.csv`, each loaded once.

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, OnceCell};
use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, PerSentence, Token, TokenKind};

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

/// A word of up to 15 bytes packed into 16, its length in the last byte
/// (so no two words share a key): the key under which [`WordMap`] keeps a
/// short word. Bytes, not a `u128`, so that a slot needs no 16-byte
/// alignment: the tables stay small (they are built at start-up, where
/// every page touched costs, and read with a cache miss per lookup).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Packed([u8; 16]);

impl Packed {
    fn new(w: &str) -> Option<Packed> {
        let b = w.as_bytes();
        // At most 15 bytes: the last byte holds the length.
        let len = u8::try_from(b.len()).ok().filter(|&n| n < 16)?;
        let mut buf = [0u8; 16];
        // Each of the first 15 bytes read at an index clamped into the
        // word and masked to 0 past its end: a fixed loop the compiler
        // unrolls, where a copy of the word's length called `memcpy`,
        // whose branches on the length go either way from word to word.
        if let Some(last) = b.len().checked_sub(1) {
            for (k, slot) in buf.iter_mut().enumerate().take(15) {
                *slot = b[k.min(last)] & 0u8.wrapping_sub(u8::from(k < b.len()));
            }
        }
        buf[15] = len;
        Some(Packed(buf))
    }
}

impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // One write of the whole key, not sixteen of a byte.
        state.write_u128(u128::from_le_bytes(self.0));
    }
}

/// An [`Entry`] as the word table keeps it, in four bytes: the rank plus
/// one in the low 24 bits (0: no rank), then a bit for each list.
#[derive(Clone, Copy, Default)]
struct Stored(u32);

impl Stored {
    const RANK: u32 = (1 << 24) - 1;
    const FIRST: u32 = 1 << 24;
    const SURNAME: u32 = 1 << 25;
    const CLINICAL: u32 = 1 << 26;

    /// Sets the rank unless the word has one (a word listed twice keeps
    /// its first, best rank). The frequency list is far shorter than
    /// 2^24 words (a test holds it so).
    fn rank_or(&mut self, rank: usize) {
        if self.0 & Self::RANK == 0 {
            self.0 |= u32::try_from(rank + 1).unwrap_or(Self::RANK).min(Self::RANK);
        }
    }

    fn entry(self) -> Entry {
        let rank = self.0 & Self::RANK;
        Entry {
            rank: rank.checked_sub(1),
            first: self.0 & Self::FIRST != 0,
            surname: self.0 & Self::SURNAME != 0,
            clinical: self.0 & Self::CLINICAL != 0,
        }
    }
}

/// A map from words to small values for the word lists (tens of thousands
/// of words), read at every capitalised word of every post. A short word
/// (15 bytes or less: nearly every word read) is kept packed inside its
/// slot, so that a lookup reads the table's slot and compares two numbers,
/// where a map of strings also reads the key's bytes wherever they lie (a
/// cache miss and a `memcmp` per lookup). Longer words go in a map of
/// strings.
pub(crate) struct WordMap<V> {
    short: HashMap<Packed, V>,
    long: HashMap<Box<str>, V>,
}

impl<V: Copy + Default> WordMap<V> {
    pub(crate) fn with_capacity(n: usize) -> WordMap<V> {
        WordMap {
            short: HashMap::with_capacity(n),
            long: HashMap::new(),
        }
    }

    /// The value of `w`, if it is in the map.
    pub(crate) fn get(&self, w: &str) -> Option<V> {
        match Packed::new(w) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(w).copied(),
        }
    }

    /// The value of `w`, inserted as the default value if it is not yet in
    /// the map.
    pub(crate) fn slot(&mut self, w: &str) -> &mut V {
        match Packed::new(w) {
            Some(k) => self.short.entry(k).or_default(),
            None => self.long.entry(w.into()).or_default(),
        }
    }
}

/// The name and frequency lists.
pub struct Words {
    /// The given-name, surname, frequency and clinical lists merged into
    /// one table, so that a word costs one hash lookup however many of
    /// them a detector asks about.
    entries: WordMap<Stored>,
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
    plain_rows(text).map(|mut r| r.next().unwrap_or(""))
}

/// The rows of a lexicon file whose rows hold no quotes, each as its
/// fields trimmed, borrowed from the text (the same as `lexicon_rows!`
/// without a string per field).
fn plain_rows(text: &'static str) -> impl Iterator<Item = impl Iterator<Item = &'static str>> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::trim))
}

pub static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut entries: WordMap<Stored> = WordMap::with_capacity(48_000);
    for w in first_fields(lexicon_text!("first_names.csv")) {
        entries.slot(w).0 |= Stored::FIRST;
    }
    for w in first_fields(lexicon_text!("surnames.csv")) {
        entries.slot(w).0 |= Stored::SURNAME;
    }
    for (n, w) in first_fields(lexicon_text!("common_words.csv")).enumerate() {
        entries.slot(w).rank_or(n);
    }
    let clinical = first_fields(lexicon_text!("tagger_not_names.csv"))
        .chain(first_fields(lexicon_text!("medicines.csv")))
        .chain(first_fields(lexicon_text!("clinical_terms.csv")))
        .chain(first_fields(lexicon_text!("jargon.csv")));
    for t in clinical {
        if !t.contains(' ') && !t.ends_with('*') {
            entries.slot(&t.to_lowercase()).0 |= Stored::CLINICAL;
        }
    }
    let mut phrases: HashMap<String, u32> = HashMap::new();
    for mut r in plain_rows(lexicon_text!("phi_cues.csv")) {
        if let (Some(p), Some(role)) = (r.next(), r.next().and_then(Role::parse)) {
            *phrases.entry(p.to_lowercase()).or_insert(0) |= role.bit();
        }
    }
    // Public figures share the one automaton: a name listed there is a
    // public figure's wherever it occurs.
    for p in first_fields(lexicon_text!("public_figures.csv")) {
        *phrases.entry(p.to_lowercase()).or_insert(0) |= Role::PublicFigure.bit();
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
        self.stored(w).entry()
    }

    /// [`Words::entry`] as the table keeps it.
    fn stored(&self, w: &str) -> Stored {
        self.entries.get(w).unwrap_or_default()
    }

    /// True when `w` is a listed given name.
    pub fn is_first(&self, w: &str) -> bool {
        self.entry(w).first
    }

    /// True when `w` is a listed surname.
    pub fn is_surname(&self, w: &str) -> bool {
        self.entry(w).surname
    }

    /// The frequency rank of an ordinary word, if it is one.
    pub fn rank(&self, w: &str) -> Option<u32> {
        self.entry(w).rank
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
    /// Per token, what is known of it: in one table (one allocation per
    /// post, where a table per field took seven, and one cache line per
    /// token).
    pub tokens: Vec<TokenCues>,
    /// Per sentence: the roles found in it.
    pub sentence: PerSentence<u32>,
    /// All roles found in the post.
    pub all: u32,
    /// Per token, what the word lists say of it, looked up on the first
    /// question about it (see [`Cues::word`]).
    words: OnceCell<Vec<Cell<Option<TokenWords>>>>,
}

/// The cues of one token of a post (see [`Cues`]).
#[derive(Clone, Copy, Default)]
pub struct TokenCues {
    /// The roles of the cue phrases that end, start and cover the token.
    pub ends: u32,
    pub starts: u32,
    pub covers: u32,
    /// The [`shape`] of its normalised form, and of that form without a
    /// possessive `'s` ([`base`]): made once per post for every
    /// [`WordSet`] asked about the token.
    pub shape: u32,
    pub base_shape: u32,
    /// The byte length of its [`base`] (see [`base_len`]): the detectors
    /// read the base of a token at most of their steps, and [`base`]
    /// tests two suffixes (a test of the length, then of the bytes, each
    /// going either way from one token to the next).
    pub base_len: u32,
    /// Its [`Class`] bits: what the detectors ask of a token at every
    /// step (a word? capitalised?), found once per post without a branch,
    /// so that each question is one bit test instead of a chain of tests
    /// on the token's kind and case (each a branch the processor
    /// mispredicts as tokens vary).
    pub class: u16,
}

/// What the word lists say of one capitalised word of a post: of its
/// normalised form, and of that form without a possessive `'s` (the key
/// of `names.rs`).
#[derive(Clone, Copy)]
struct TokenWords {
    norm: Stored,
    base: Stored,
}

impl TokenWords {
    /// The entries of `t`, whose [`base`] is `b` (kept by the cues).
    fn of(t: &Token, b: &str) -> TokenWords {
        let norm = WORDS.stored(&t.norm);
        // Without an `'s` the two keys are one.
        let base = if b.len() == t.norm.len() { norm } else { WORDS.stored(b) };
        TokenWords { norm, base }
    }
}

/// The tokens whose entries [`Cues::word`] keeps: the capitalised words.
/// Nearly every word-list question of the detectors is about one (a name,
/// a place, a company), and each is asked of it by several of them (names,
/// places, organisations, the tagger); a lower-case word is asked about
/// rarely, and only by one.
fn kept(t: &Token) -> bool {
    t.kind == TokenKind::Word && matches!(t.case, Case::Title | Case::Upper | Case::Mixed)
}

/// The bits of [`Cues::class`].
pub struct Class;

impl Class {
    /// A word token.
    pub const WORD: u16 = 1;
    /// A word not rebuilt from an obfuscation.
    pub const PLAIN: u16 = 1 << 1;
    /// A plain word in title case (`Smith`).
    pub const TITLE: u16 = 1 << 2;
    /// A plain word in lower case.
    pub const LOWER: u16 = 1 << 3;
    /// A word in title or upper case.
    pub const CAP: u16 = 1 << 4;
    /// A word in title, upper or mixed case.
    pub const CASED: u16 = 1 << 5;
    /// A word in title or upper case, or in mixed case starting with an
    /// upper-case letter (`McDonald`, not `iPhone`).
    pub const CAPITAL: u16 = 1 << 6;
    /// A punctuation token.
    pub const PUNCT: u16 = 1 << 7;
    /// A number token.
    pub const NUMBER: u16 = 1 << 8;
    /// Whitespace (or the start of the text) comes right before it.
    pub const SPACE: u16 = 1 << 9;
    /// Its normalised form is `,`.
    pub const COMMA: u16 = 1 << 10;
    /// Its normalised form is `-`.
    pub const HYPHEN: u16 = 1 << 11;
    /// Its normalised form is `.`.
    pub const DOT: u16 = 1 << 12;
    /// A word in lower case (obfuscated or not).
    pub const LCASE: u16 = 1 << 13;
    /// Punctuation of [`DASHES`].
    pub const DASH: u16 = 1 << 14;
    /// Punctuation of [`QUOTE_MARKS`].
    pub const QUOTE: u16 = 1 << 15;

    /// The bits of token `i` (`t`) of `a`. Each test is a comparison
    /// turned into a bit, not a branch; only a mixed-case word (rare)
    /// reads its text.
    fn of(a: &Analysis<'_>, i: usize, t: &Token, s: u32) -> u16 {
        let word = t.kind == TokenKind::Word;
        let plain = word & !t.obfuscated;
        let cap = word & matches!(t.case, Case::Title | Case::Upper);
        let mixed = word & (t.case == Case::Mixed);
        // `|`, not `||`: the branch left is on `mixed`, rarely true.
        let capital = cap | (mixed && a.token_text(i).starts_with(char::is_uppercase));
        let punct = t.kind == TokenKind::Punct;
        // `s`, the token's shape: one of up to three bytes is the word
        // itself (see [`shape`]).
        u16::from(word)
            | u16::from(plain) << 1
            | u16::from(plain & (t.case == Case::Title)) << 2
            | u16::from(plain & (t.case == Case::Lower)) << 3
            | u16::from(cap) << 4
            | u16::from(cap | mixed) << 5
            | u16::from(capital) << 6
            | u16::from(punct) << 7
            | u16::from(t.kind == TokenKind::Number) << 8
            | u16::from(t.space_before) << 9
            | u16::from(s == shape(b",")) << 10
            | u16::from(s == shape(b"-")) << 11
            | u16::from(s == shape(b".")) << 12
            | u16::from(word & (t.case == Case::Lower)) << 13
            | u16::from(punct & DASHES.may_hold_shape(s)) << 14
            | u16::from(punct & QUOTE_MARKS.may_hold_shape(s)) << 15
    }
}

/// Dashes that may come before the name under a quotation (each of three
/// bytes or fewer: a token has one of their shapes only when it is one).
pub(crate) const DASHES: WordSet<4> = WordSet::new(["-", "\u{2014}", "\u{2013}", "~"]);

/// Quotation marks that may close a quotation (each of three bytes or
/// fewer, as [`DASHES`]).
pub(crate) const QUOTE_MARKS: WordSet<4> = WordSet::new(["'", "\"", "\u{201d}", "\u{2019}"]);

impl Cues {
    pub fn new(a: &Analysis<'_>) -> Cues {
        let n = a.tokens.len();
        let mut c = Cues {
            tokens: Vec::with_capacity(n),
            sentence: PerSentence::new(a.sentences.len()),
            all: 0,
            words: OnceCell::new(),
        };
        for (i, t) in a.tokens.iter().enumerate() {
            let norm = t.norm.as_bytes();
            let s = shape(norm);
            // The base's length found without a branch on the word, and
            // its shape made whether or not it is the whole word (a test
            // of a final `s` went either way from word to word).
            let bl = base_len(norm);
            let bs = shape(norm.get(..bl).unwrap_or(norm));
            c.tokens.push(TokenCues {
                ends: 0,
                starts: 0,
                covers: 0,
                shape: s,
                base_shape: bs,
                base_len: u32::try_from(bl).unwrap_or(u32::MAX),
                class: Class::of(a, i, t, s),
            });
        }
        for m in WORDS.cues.each(a) {
            let v = *m.value;
            if m.end == 0 || m.end > n {
                continue;
            }
            c.tokens[m.first].starts |= v;
            c.tokens[m.end - 1].ends |= v;
            for k in m.first..m.end {
                c.tokens[k].covers |= v;
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

    /// The cues of token `i` (all zero past the last token).
    #[inline]
    pub fn at(&self, i: usize) -> TokenCues {
        self.tokens.get(i).copied().unwrap_or_default()
    }

    pub fn ends_with(&self, i: usize, role: Role) -> bool {
        self.at(i).ends & role.bit() != 0
    }

    pub fn starts_with(&self, i: usize, role: Role) -> bool {
        self.at(i).starts & role.bit() != 0
    }

    pub fn covered(&self, i: usize, role: Role) -> bool {
        self.at(i).covers & role.bit() != 0
    }

    pub fn in_sentence(&self, s: usize, role: Role) -> bool {
        self.sentence.get(s).is_some_and(|m| m & role.bit() != 0)
    }

    pub fn any(&self, role: Role) -> bool {
        self.all & role.bit() != 0
    }

    /// The [`base`] of token `i` of `a` (the analysis these cues were
    /// found in), cut at its kept length: no test of its suffixes.
    pub fn base<'t>(&self, a: &'t Analysis<'_>, i: usize) -> &'t str {
        let norm = a.tokens[i].norm.as_str();
        let len = self.tokens.get(i).map_or(norm.len(), |c| c.base_len as usize);
        norm.get(..len).unwrap_or(norm)
    }

    /// The [`Class`] bits of token `i` (none past the last token).
    pub fn class(&self, i: usize) -> u16 {
        self.at(i).class
    }

    /// The [`shape`] of token `i`'s normalised form (0 past the last
    /// token).
    pub fn shape(&self, i: usize) -> u32 {
        self.at(i).shape
    }

    /// True when token `i` has every bit of `bits` ([`Class`]).
    pub fn is(&self, i: usize, bits: u16) -> bool {
        self.class(i) & bits == bits
    }

    /// True when token `i` of `a` (the analysis these cues were found in)
    /// is one of the words of `set`, read with the token's kept shape.
    /// The token's text is read only when its shape is that of a word of
    /// the set longer than three bytes (rare).
    pub(crate) fn is_in<const N: usize>(&self, a: &Analysis<'_>, i: usize, set: &WordSet<N>) -> bool {
        match self.tokens.get(i) {
            Some(c) => set.contains_shaped_with(c.shape, || a.tokens.get(i).map_or("", |t| t.norm.as_str())),
            None => false,
        }
    }

    /// What the word lists say of token `i` of `a` (the analysis these
    /// cues were found in): the same as `WORDS.entry(&a.tokens[i].norm)`.
    /// The capitalised words are looked up once per post, on the first
    /// question, and kept: every detector that asks about a word then
    /// reads it from this table instead of hashing the word again.
    pub fn word(&self, a: &Analysis<'_>, i: usize) -> Entry {
        match a.tokens.get(i) {
            Some(t) if kept(t) => self.kept_word(a, i, t).norm.entry(),
            Some(t) => WORDS.entry(&t.norm),
            None => WORDS.entry(""),
        }
    }

    /// [`Cues::word`] for the token's [`base`] (its form without a
    /// possessive `'s`): `WORDS.entry(base(&a.tokens[i].norm))`.
    pub fn base_word(&self, a: &Analysis<'_>, i: usize) -> Entry {
        match a.tokens.get(i) {
            Some(t) if kept(t) => self.kept_word(a, i, t).base.entry(),
            // The kept base: no test of the word's suffixes.
            Some(_) => WORDS.entry(self.base(a, i)),
            None => WORDS.entry(""),
        }
    }

    /// The entries of capitalised token `i` (`t`) of `a`: looked up on the
    /// first question about it, then read from the table (a word no
    /// detector asks about, as most words inside a capitalised run, is
    /// never looked up).
    fn kept_word(&self, a: &Analysis<'_>, i: usize, t: &Token) -> TokenWords {
        let cells = self.words.get_or_init(|| vec![Cell::new(None); a.tokens.len()]);
        match cells.get(i) {
            Some(cell) => cell.get().unwrap_or_else(|| {
                let w = TokenWords::of(t, self.base(a, i));
                cell.set(Some(w));
                w
            }),
            None => TokenWords::of(t, base(&t.norm)),
        }
    }
}

/// A word's shape: its length and its first, middle and last bytes, in
/// one number (0 for the empty word). Two different words may share one;
/// a word and its shape never disagree on length.
pub(crate) const fn shape(w: &[u8]) -> u32 {
    let n = w.len();
    if n == 0 {
        return 0;
    }
    let len = if n > 255 { 255 } else { n as u32 };
    len << 24 | (w[0] as u32) << 16 | (w[n / 2] as u32) << 8 | w[n - 1] as u32
}

/// A short list of words, asked about at every token: the replacement of
/// a `matches!` on strings (which first branches on the word's length,
/// then compares bytes: branches whose outcome changes from word to word
/// and that the processor mispredicts) and of a search of a list with
/// `==`. The shapes of the words ([`shape`]) are compared all at once,
/// without a branch; only a word that has the shape of one of them (rare)
/// is compared as a string.
pub(crate) struct WordSet<const N: usize> {
    words: [&'static str; N],
    shapes: [u32; N],
    /// Every word has three bytes or fewer: its shape is the word, and no
    /// word is ever compared as a string (known when the set is made, so
    /// the test of a constant set drops that branch).
    short: bool,
}

impl<const N: usize> WordSet<N> {
    pub(crate) const fn new(words: [&'static str; N]) -> WordSet<N> {
        let mut shapes = [0; N];
        let mut short = true;
        let mut k = 0;
        while k < N {
            shapes[k] = shape(words[k].as_bytes());
            short &= words[k].len() <= 3;
            k += 1;
        }
        WordSet { words, shapes, short }
    }

    /// True when a word of shape `s` may be one of the words: false for
    /// most words, found without a branch on the word.
    #[inline]
    pub(crate) fn may_hold_shape(&self, s: u32) -> bool {
        self.shapes.iter().fold(false, |any, &x| any | (x == s))
    }

    /// True when `w` is one of the words. A shape holds every byte of a
    /// word of up to three bytes: such a word is one of them when its
    /// shape is, and only a longer word that has the shape of one is
    /// compared as a string (so `in`, `on`, `he`, frequent words, cost no
    /// branch on their letters).
    /// (Shapes of equal words have equal lengths, so the one branch left
    /// is on a long word with the shape of one of them: rare.)
    #[inline]
    pub(crate) fn contains(&self, w: &str) -> bool {
        self.contains_shaped(shape(w.as_bytes()), w)
    }

    /// [`WordSet::contains`] for `w` of shape `s` (kept per token by the
    /// cues, [`Cues::shape`]).
    #[inline]
    pub(crate) fn contains_shaped(&self, s: u32, w: &str) -> bool {
        self.contains_shaped_with(s, || w)
    }

    /// [`WordSet::contains_shaped`] for a word `w()` of shape `s`, made
    /// only when it must be compared as a string.
    #[inline]
    pub(crate) fn contains_shaped_with<'w>(&self, s: u32, w: impl FnOnce() -> &'w str) -> bool {
        let hit = self.may_hold_shape(s);
        if self.short {
            return hit;
        }
        // The shape's length, exact up to 255 bytes.
        let short = s >> 24 <= 3;
        hit & short | (hit & !short && self.words.contains(&w()))
    }

    /// The words, for tests.
    #[cfg(test)]
    pub(crate) fn words(&self) -> &[&'static str] {
        &self.words
    }
}

/// The byte length of [`base`] of `w`: the same answer, with no branch
/// on the word's bytes or length (but for the empty word). Each byte is
/// read at an index clamped into the word: a word too short for a suffix
/// reads a byte twice, and no such word matches one (the bytes a suffix
/// needs at two clamped places differ).
fn base_len(w: &[u8]) -> usize {
    let Some(last) = w.len().checked_sub(1) else {
        return 0;
    };
    let at = |back: usize| w[last.saturating_sub(back)];
    let s = at(0) == b's';
    // `'s`, then `\u{2019}s` (bytes E2 80 99 before the `s`).
    let straight = s & (at(1) == b'\'');
    let curly = s & (at(1) == 0x99) & (at(2) == 0x80) & (at(3) == 0xE2) & (w.len() >= 4);
    w.len() - 2 * usize::from(straight) - 4 * usize::from(curly)
}

/// The shapes of the words of a [`WordSet`] hashed into 1,024 bits: a filter
/// for a set of many words, asked of every token, that answers with one
/// load and no branch where [`WordSet::may_hold_shape`] compares the shape
/// with each word's. It may answer yes for a word of another shape (about
/// one in twenty of all shapes for fifty words): only a pre-filter.
pub(crate) struct ShapeFilter([u64; 16]);

impl ShapeFilter {
    pub(crate) const fn of<const N: usize>(set: &WordSet<N>) -> ShapeFilter {
        let mut bits = [0u64; 16];
        let mut k = 0;
        while k < N {
            let slot = Self::slot(set.shapes[k]);
            bits[slot >> 6] |= 1 << (slot & 63);
            k += 1;
        }
        ShapeFilter(bits)
    }

    /// The filter of the words of both `self` and `other`.
    pub(crate) const fn or(self, other: ShapeFilter) -> ShapeFilter {
        let mut bits = self.0;
        let mut k = 0;
        while k < 16 {
            bits[k] |= other.0[k];
            k += 1;
        }
        ShapeFilter(bits)
    }

    /// The bit of shape `s`: its top ten bits after a multiplication
    /// that mixes all its bytes into them.
    const fn slot(s: u32) -> usize {
        (s.wrapping_mul(0x9E37_79B1) >> 22) as usize
    }

    /// False when no word of the set has shape `s`.
    #[inline]
    pub(crate) fn may_hold(&self, s: u32) -> bool {
        let slot = Self::slot(s);
        self.0[slot >> 6] >> (slot & 63) & 1 != 0
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
    use super::{Stored, WORDS, WordMap, first_fields, plain_rows};

    /// The borrowed reader gives the rows that the CSV reader does, for
    /// every file read with it (none of them holds a quote).
    #[test]
    fn plain_rows_as_the_csv_reader() {
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
            (
                crate::lexicon_rows!("tagger_not_names.csv"),
                lexicon_text!("tagger_not_names.csv"),
            ),
            (crate::lexicon_rows!("medicines.csv"), lexicon_text!("medicines.csv")),
            (
                crate::lexicon_rows!("clinical_terms.csv"),
                lexicon_text!("clinical_terms.csv"),
            ),
            (crate::lexicon_rows!("jargon.csv"), lexicon_text!("jargon.csv")),
            (crate::lexicon_rows!("phi_cues.csv"), lexicon_text!("phi_cues.csv")),
            (
                crate::lexicon_rows!("public_figures.csv"),
                lexicon_text!("public_figures.csv"),
            ),
        ] {
            assert!(!text.lines().any(|l| !l.starts_with('#') && l.contains('"')));
            let firsts: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
            assert_eq!(first_fields(text).collect::<Vec<_>>(), firsts);
            let all: Vec<Vec<&str>> = plain_rows(text).map(Iterator::collect).collect();
            assert_eq!(all, rows);
        }
    }

    /// The packed entry keeps every rank of the frequency list, and a
    /// word's first rank.
    #[test]
    fn stored_entries() {
        let n = first_fields(lexicon_text!("common_words.csv")).count();
        assert!(n < Stored::RANK as usize);
        let mut e = Stored::default();
        assert!(e.entry().rank.is_none());
        e.rank_or(0);
        e.rank_or(7);
        e.0 |= Stored::SURNAME;
        let got = e.entry();
        assert_eq!(got.rank, Some(0));
        assert!(got.surname && !got.first && !got.clinical);
        assert_eq!(WORDS.rank("the"), Some(0));
    }

    /// A shape filter lets every word of its set through, and turns away
    /// most others.
    #[test]
    fn shape_filter() {
        use super::{ShapeFilter, WordSet, shape};
        const SET: WordSet<4> = WordSet::new(["rue", "via", "boulevard", ""]);
        const F: ShapeFilter = ShapeFilter::of(&SET);
        for w in SET.words() {
            assert!(F.may_hold(shape(w.as_bytes())), "{w}");
        }
        let others = ["the", "and", "patient", "smith", "road", "a", "of", "to"];
        assert!(others.iter().filter(|w| F.may_hold(shape(w.as_bytes()))).count() <= 2);
    }

    /// A word set holds its words and no other.
    #[test]
    fn word_set() {
        use super::WordSet;
        const SET: WordSet<5> = WordSet::new(["he", "himself", "herself", "a", ""]);
        for w in ["he", "himself", "herself", "a", ""] {
            assert!(SET.contains(w), "{w}");
        }
        for w in ["hi", "hmself", "h", "he's", "b", "herselF", "hes"] {
            assert!(!SET.contains(w), "{w}");
        }
        assert!(SET.may_hold_shape(super::shape(b"hxrself")));
    }

    /// The kept length of a base cuts what [`super::base`] does.
    #[test]
    fn base_lengths() {
        for w in [
            "",
            "s",
            "'s",
            "\u{2019}s",
            "x's",
            "x\u{2019}s",
            "smith's",
            "smiths",
            "'",
            "\u{99}s",
            "\u{2019}",
            "a\u{2019}s's",
            "its",
            "s's",
            "\u{80}s",
        ] {
            assert_eq!(super::base_len(w.as_bytes()), super::base(w).len(), "{w:?}");
        }
    }

    /// Short and long words alike are found, and only they.
    #[test]
    fn word_map() {
        let mut m: WordMap<u32> = WordMap::with_capacity(4);
        *m.slot("ab") = 1;
        *m.slot("abcdefghijklmno") = 2;
        *m.slot("abcdefghijklmnop") = 3;
        *m.slot("") = 4;
        assert_eq!(m.get("ab"), Some(1));
        assert_eq!(m.get("abcdefghijklmno"), Some(2));
        assert_eq!(m.get("abcdefghijklmnop"), Some(3));
        assert_eq!(m.get(""), Some(4));
        assert_eq!(m.get("a"), None);
        assert_eq!(m.get("ab\0"), None);
        assert_eq!(m.get("abcdefghijklmnopq"), None);
    }
}
