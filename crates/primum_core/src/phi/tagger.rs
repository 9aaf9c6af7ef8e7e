//! A statistical tagger for names of people, places and organisations in
//! informal text, where the rules of [`super::names`] need a cue (a title,
//! `pt`, `daughter`) and informal posts give none (`omg saw harry styles
//! at wembley`).
//!
//! The model is a first-order linear-chain model over the post's tokens,
//! trained as an averaged structured perceptron (`examples/train_tagger.rs`)
//! with BIO tags for NAME, LOCATION and ORGANIZATION. Its features are
//! hashed (the token's word, shape, affixes and case, its neighbours' words
//! two either side, the name and word-frequency lists and the cue roles of
//! `phi_cues.csv`) into a fixed table of 8-bit weights, embedded in the
//! binary (`models/tagger.bin`, see `models/README.md`): no file is read at
//! run time, so it works the same in WebAssembly.
//!
//! Only tokens that can be part of a name are scored: words and hashtags
//! that are capitalised or are not among the 1,000 most frequent English
//! words. Every other token is outside a name, so a post of ordinary
//! lower-case words costs almost nothing; the model was trained under the
//! same restriction. @handles are left to the handle logic of the detector
//! (they are always outside a tagger span).
//!
//! The tagger's spans are the least confident candidates of the detector:
//! where a rule found the same name, the rule's span and reason win.

use std::cell::RefCell;
use std::sync::LazyLock;

use primum_text::{Analysis, Case, TokenKind};

use super::words::{Class, Cues, Role, WORDS, WordSet};
use super::{Identifier, push};
use crate::finding::Kind;

/// The tags: outside, then begin and inside for each kind.
pub const TAGS: usize = 7;
/// Tag 0: outside any name.
pub const O: usize = 0;
/// The kinds of the tags 1..7, in pairs (begin, inside).
pub const TAG_KINDS: [Kind; 3] = [Kind::Name, Kind::Location, Kind::Organization];

/// The confidence of a tagger span: below every rule's, so that a rule's
/// span (and its reason, which `privacy/patient-identifier` reads) wins
/// where both found a name.
pub const CONFIDENCE: f32 = 0.45;
/// The reason of a tagger span.
pub const REASON: &str = "name found by the statistical tagger";

/// Tag of the beginning of kind `k` (0 = name, 1 = place, 2 = organisation).
pub const fn begin(k: usize) -> usize {
    1 + 2 * k
}

/// True when tag `cur` may follow tag `prev` (an inside tag only continues
/// its own kind).
pub const fn allowed(prev: usize, cur: usize) -> bool {
    cur == O || cur % 2 == 1 || prev == cur || prev + 1 == cur
}

/// [`allowed`] as a table, for the decoder's inner loop.
const ALLOWED: [[bool; TAGS]; TAGS] = {
    let mut t = [[false; TAGS]; TAGS];
    let mut p = 0;
    while p < TAGS {
        let mut c = 0;
        while c < TAGS {
            t[p][c] = allowed(p, c);
            c += 1;
        }
        p += 1;
    }
    t
};

/// What the features of a candidate read of one token of its window (two
/// tokens either side): hashes and small codes, each computed once per
/// token. The candidate's own affixes are hashed where its features are
/// made, since no neighbour reads them.
#[derive(Clone, Copy, Default)]
struct Atom {
    word: u64,
    /// Only for the candidates and their next neighbours (0 elsewhere).
    shape: u64,
    /// Token kind, case and position, folded into one small number.
    form: u64,
    /// Name lists and frequency bucket.
    gaz: u64,
    /// Cue roles that start, end or cover the token.
    cue: u64,
    /// The hashed word is ASCII (read by the affixes of a candidate).
    ascii: bool,
}

/// The atom of a position before the first token or after the last.
const NONE: Atom = Atom {
    word: 0x5eed,
    shape: 0,
    form: 0xffff,
    gaz: 0,
    cue: 0,
    ascii: false,
};

/// Cue roles whose words are never a name themselves.
const NOT_NAME_ROLES: u32 = Role::Title as u32
    | Role::TitlePro as u32
    | Role::Relation as u32
    | Role::Patient as u32
    | Role::Greeting as u32
    | Role::Dob as u32
    | Role::IdCue as u32
    | Role::PhoneCue as u32
    | Role::FaxCue as u32
    | Role::Bed as u32
    | Role::Unit as u32
    | Role::Staff as u32
    | Role::NotName as u32;

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// FNV-1a over bytes: fixed, platform-independent (training and inference
/// must agree on every hash).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| fnv_step(h, b))
}

/// One byte of [`fnv`]: `fnv(s + b) = fnv_step(fnv(s), b)`.
fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// [`fnv`] of `bytes`, and whether they are all ASCII, read in blocks of
/// eight bytes: each byte of a block is read at an index clamped into
/// `bytes` and its step kept only when it lies in them, so that a word of
/// up to eight bytes (most words) takes one block and no branch on its
/// length, where a loop over its bytes ended at a place that changed from
/// word to word (a mispredicted branch per word). The same hash: the
/// steps kept are those of the bytes, in order.
fn fnv_blocks(bytes: &[u8]) -> (u64, bool) {
    let mut h = fnv(&[]);
    // The bytes read: an empty text reads a zero byte and keeps no step
    // (taken by an index, not a test: links and numbers hash no text).
    let src = [bytes, &[0]][usize::from(bytes.is_empty())];
    let last = src.len() - 1;
    let mut high = 0u8;
    let mut k = 0;
    loop {
        for j in k..k + 8 {
            let b = src[j.min(last)];
            let next = fnv_step(h, b);
            h = if j < bytes.len() { next } else { h };
            // A clamped read reads a byte of the word again: no matter here.
            high |= b;
        }
        k += 8;
        if k > last {
            return (h, high < 0x80);
        }
    }
}

fn mix(template: u64, a: u64) -> u64 {
    let mut h = (template.wrapping_add(1)).wrapping_mul(K1) ^ a;
    h = h.wrapping_mul(K2);
    h ^ (h >> 29)
}

fn mix2(template: u64, a: u64, b: u64) -> u64 {
    mix(template, a.rotate_left(17) ^ b.wrapping_mul(K1))
}

/// The shape symbol of each ASCII byte: `X` for an upper-case letter, `x`
/// for a lower-case one, `d` for a digit, the byte itself otherwise.
const ASCII_SHAPE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            c => c,
        };
        b += 1;
    }
    t
};

/// [`shape`] of an ASCII word `b` (`None` for another), in one pass in
/// blocks of eight bytes, as [`fnv_blocks`]: each byte classed by a table
/// and its symbol hashed straight on when it is kept (it differs from the
/// last and the shape is not full), without a branch on the bytes, where a
/// test of ASCII, a `match` on each byte's range, a test of a new symbol
/// and the hash of the symbols each took a loop or a branch that went
/// either way from word to word. The shape is full at its sixth symbol: a
/// later new symbol would have ended the first making, and here is never
/// kept, so reading on to the word's end gives the same shape.
fn ascii_shape(b: &[u8]) -> Option<u64> {
    let mut h = fnv(&[]);
    let Some(end) = b.len().checked_sub(1) else {
        return Some(h);
    };
    let (mut n, mut last, mut high) = (0u8, 0u8, 0u8);
    let mut k = 0;
    loop {
        for j in k..k + 8 {
            let x = b[j.min(end)];
            high |= x;
            let sym = ASCII_SHAPE[usize::from(x & 0x7f)];
            let keep = (j <= end) & (sym != last) & (n < 6);
            let next = fnv_step(h, sym);
            h = if keep { next } else { h };
            n += u8::from(keep);
            last = sym;
        }
        k += 8;
        if k > end {
            return (high < 0x80).then_some(h);
        }
    }
}

/// The shape symbol of a character: `X` upper case, `x` lower case, `d` an
/// ASCII digit, `a` another letter, an ASCII character itself, `*` any
/// other.
fn shape_symbol(c: char) -> u8 {
    if c.is_uppercase() {
        b'X'
    } else if c.is_lowercase() {
        b'x'
    } else if c.is_ascii_digit() {
        b'd'
    } else if c.is_alphabetic() {
        b'a'
    } else if c.is_ascii() {
        c as u8
    } else {
        b'*'
    }
}

/// The word shape of `s`: `Xx`, `x`, `X`, `d`, with runs collapsed,
/// at most six symbols (`McDonald` -> `XxXx`).
///
/// Most tokens are ASCII: their bytes are classed without decoding
/// characters ([`ascii_shape`]: the same symbols, an ASCII letter being
/// upper or lower case).
fn shape(s: &str) -> u64 {
    if let Some(h) = ascii_shape(s.as_bytes()) {
        return h;
    }
    let mut buf = [0u8; 6];
    let mut n = 0;
    let mut last = 0u8;
    // Adds a symbol; false when the shape is full.
    let mut add = |k: u8| {
        if k != last {
            if n == buf.len() {
                return false;
            }
            buf[n] = k;
            n += 1;
            last = k;
        }
        true
    };
    for c in s.chars() {
        if !add(shape_symbol(c)) {
            break;
        }
    }
    fnv(&buf[..n])
}

/// The first and last `n` characters of `w` (the whole word when shorter).
/// The first `n` characters of `w` (all of it when shorter). `ascii`
/// tells that `w` is ASCII, where characters are bytes and no walk over
/// them is needed (the same slice either way).
fn prefix(w: &str, n: usize, ascii: bool) -> &str {
    if ascii {
        return &w[..n.min(w.len())];
    }
    w.char_indices().nth(n).map_or(w, |(i, _)| &w[..i])
}

/// The last `n` characters of `w` (all of it when shorter); `ascii` as
/// for [`prefix`].
fn suffix(w: &str, n: usize, ascii: bool) -> &str {
    if ascii {
        return &w[w.len() - n.min(w.len())..];
    }
    w.char_indices().rev().nth(n - 1).map_or(w, |(i, _)| &w[i..])
}

/// The hashes of the first two and three and the last two, three and
/// four characters of `w` (see [`prefix`] and [`suffix`]). `ascii`
/// tells that `w` is ASCII (found as its hash was made, [`fnv_blocks`]):
/// then straight from its bytes, the first three's hash continuing the
/// first two's.
fn affixes(w: &str, ascii: bool) -> [u64; 5] {
    if !ascii {
        let (p, s) = (
            |n| fnv(prefix(w, n, false).as_bytes()),
            |n| fnv(suffix(w, n, false).as_bytes()),
        );
        return [p(2), p(3), s(2), s(3), s(4)];
    }
    let b = w.as_bytes();
    let basis = fnv(&[]);
    let Some(last) = b.len().checked_sub(1) else {
        return [basis; 5];
    };
    // The hash of the `m` bytes from `from` on (those before the word
    // skipped): each step taken or not by a choice of values, with no
    // branch on the word's length (a word shorter than an affix gives its
    // whole self).
    let hash = |from: isize, m: usize| {
        let mut h = basis;
        for j in 0..m {
            let at = from + j as isize;
            let next = fnv_step(h, b[at.clamp(0, last as isize) as usize]);
            h = if (0..=last as isize).contains(&at) { next } else { h };
        }
        h
    };
    let l = b.len() as isize;
    let pre2 = hash(0, 2);
    let pre3 = if last >= 2 {
        fnv_step(pre2, b[2.min(last)])
    } else {
        pre2
    };
    [pre2, pre3, hash(l - 2, 2), hash(l - 3, 3), hash(l - 4, 4)]
}

/// The cue roles the features use.
const CUE_ROLES: [Role; 14] = [
    Role::Title,
    Role::TitlePro,
    Role::Relation,
    Role::Patient,
    Role::Greeting,
    Role::Facility,
    Role::Area,
    Role::PlaceSuffix,
    Role::Street,
    Role::PlacePrep,
    Role::Staff,
    Role::OrgPrefix,
    Role::PublicFigure,
    Role::PublicRole,
];

fn cue_bits(mask: u32) -> u64 {
    if mask == 0 {
        return 0;
    }
    let mut b = 0u64;
    for (k, r) in CUE_ROLES.iter().enumerate() {
        if mask & r.bit() != 0 {
            b |= 1 << k;
        }
    }
    b
}

fn kind_code(k: TokenKind) -> u64 {
    match k {
        TokenKind::Word => 0,
        TokenKind::Number => 1,
        TokenKind::Hashtag => 2,
        TokenKind::Mention => 3,
        TokenKind::Url => 4,
        TokenKind::Email => 5,
        TokenKind::Emoji => 6,
        TokenKind::Punct => 7,
    }
}

fn case_code(c: Case) -> u64 {
    match c {
        Case::None => 0,
        Case::Lower => 1,
        Case::Title => 2,
        Case::Upper => 3,
        Case::Mixed => 4,
    }
}

/// The marks after which a token starts anew (a sentence or a quotation).
const OPENERS: WordSet<5> = WordSet::new([".", "!", "?", ":", "\""]);

/// True when token `i` starts a sentence or line (capitals there say less).
///
/// Each test is made and the answers joined with `|` (an `||` chain
/// branched on each, going either way from token to token): the previous
/// token's mark is read from its shape kept by the cues (one of these
/// one-byte marks has the shape of no other word), and the bytes between
/// the two tokens, nearly always none or one space, are searched only when
/// there are two or more.
fn initial(a: &Analysis<'_>, cues: &Cues, i: usize) -> bool {
    let p = i.saturating_sub(1);
    let start = a.tokens[i].span.start;
    // Empty for the first token (`p == i`).
    let (bytes, from) = (a.text.as_bytes(), a.tokens[p].span.end.min(start));
    let gap = &bytes[from..start];
    // The gap's first byte, read as the token's own when the gap is empty
    // (and then not counted): no test of the gap's length but for a gap of
    // two bytes or more (rare).
    let newline = (bytes.get(from) == Some(&b'\n')) & (from < start) | (gap.len() > 1 && gap[1..].contains(&b'\n'));
    // All of the marks are of one byte: the shape is exact.
    (i == 0) | (a.sentence_of[i] != a.sentence_of[p]) | newline | OPENERS.may_hold_shape(cues.shape(p))
}

/// The features of one post: per token, its candidate flag and feature
/// rows (the hashes reduced to a model's table once, here, so that
/// decoding and margins read the rows directly).
///
/// Made in two passes: one over every token for the flags (one look-up of
/// its word in the word lists), then, for each run of candidates only, the
/// atoms of the run and its two neighbours either side and the rows of its
/// candidates. The buffers are reused from post to post by [`detect`].
#[derive(Default)]
pub struct Features {
    /// Per token: may it be part of a name?
    pub cand: Vec<bool>,
    /// Feature rows of token `i`: `rows[start[i]..start[i + 1]]`, each the
    /// offset `(hash & mask) * TAGS` of the feature's weights in a table of
    /// `2^bits` buckets (see [`features`]). Below 2^24 * 7, so a `u32`.
    pub rows: Vec<u32>,
    pub start: Vec<u32>,
    /// Per token: a clinical word or abbreviation (`BP`, `foley`, a
    /// medicine), never a name on its own.
    pub clinical: Vec<bool>,
    /// Per token: one of the 3,000 most frequent English words (`Will`,
    /// `Hope`, `Grant`): alone, a name only on the tagger's own evidence.
    pub common: Vec<bool>,
    /// Per token: one of the 100 most frequent words (`we`, `the`, `of`),
    /// not a name: trimmed from the edges of a span (`JESSICA WE`).
    pub stop: Vec<bool>,
    /// Per token: a listed given name at the start of a sentence or line,
    /// where its capital says nothing (`Rose garden open`).
    pub initial: Vec<bool>,
    /// How many tokens are clinical abbreviations or measures (`BP`,
    /// `NAD`, `O2`, `x3`): from three on, the text is a clinical note.
    pub abbreviations: usize,
    /// Per token: its `gaz` atom (name lists and frequency bucket; 0 for a
    /// token that is not a word or hashtag), kept from the first pass so
    /// that a word is looked up once.
    gaz: Vec<u8>,
    /// Per token: what its atom must hold (see [`Features::add_runs`]).
    need: Vec<u8>,
    /// Per token, two more places either side: its atom, where a
    /// candidate's features read it.
    atoms: Vec<Atom>,
    /// Per token, two more places either side: is it scored (see
    /// [`Features::add_runs`])?
    scored: Vec<bool>,
    /// The tokens whose atoms hold their word only, all of it, and the
    /// tokens scored (see [`Features::add_runs`]).
    word_at: Vec<u32>,
    full_at: Vec<u32>,
    rows_at: Vec<u32>,
    /// Per candidate token: its emission scores, for [`detect`] (see
    /// [`Features::add_runs`]).
    em: Vec<[i32; TAGS]>,
}

/// The word a token stands for: its normalised form without a possessive
/// (as the cues keep it: no test of the suffixes), and without the `#` of
/// a hashtag.
fn word_of<'t>(a: &'t Analysis<'_>, cues: &Cues, i: usize) -> &'t str {
    let t = &a.tokens[i];
    let n = cues.base(a, i);
    if t.kind == TokenKind::Hashtag {
        n.trim_start_matches('#')
    } else {
        n
    }
}

/// True when most of the post's letters are capitals (a post in
/// capitals), read by every token's `form`.
fn in_capitals(a: &Analysis<'_>) -> bool {
    let (ratio, n) = a.caps_ratio();
    n >= 3 && ratio > 0.6
}

/// The runs of consecutive candidates of `cand`, as `(first, end)` token
/// ranges (the decoder's unit: a run starts and ends next to an O), into
/// `out`, through `edges`: the places where a run starts or ends, each
/// written at the next free place of `edges` and kept (the place taken)
/// only where the flag changes, with no branch on the flags (a loop to
/// each run's end tested each flag, a test that went either way from
/// token to token). The edges pair up into runs: the flags start and end
/// outside one.
fn all_runs(cand: &[bool], edges: &mut Vec<u32>, out: &mut Vec<(usize, usize)>) {
    let n = cand.len();
    edges.clear();
    edges.resize(n + 1, 0);
    let mut m = 0;
    let mut prev = false;
    // At most one edge per place so far: `m <= k`.
    for (k, &c) in cand.iter().enumerate() {
        edges[m] = k as u32;
        m += usize::from(c != prev);
        prev = c;
    }
    // A run that reaches the last token ends after it.
    edges[m] = n as u32;
    m += usize::from(prev);
    out.clear();
    out.extend(edges[..m].chunks_exact(2).map(|e| (e[0] as usize, e[1] as usize)));
}

/// The atom of token `k`: its word alone, or (`FULL`, for a candidate and
/// its next neighbours) all of it.
fn atom<const FULL: bool>(a: &Analysis<'_>, cues: &Cues, gaz: &[u8], caps: bool, k: usize) -> Atom {
    let t = &a.tokens[k];
    // A word or hashtag hashes its word; links, handles, numbers and emoji
    // their kind alone (and punctuation its character too). The text and
    // the kind's code are chosen first and hashed by one call.
    let wordish = matches!(t.kind, TokenKind::Word | TokenKind::Hashtag);
    let norm = t.norm.as_bytes();
    let other = &norm[..norm.len() * usize::from(t.kind == TokenKind::Punct)];
    // Both made (a word's is made for any token), one taken by an index:
    // an `if` here compiled to a branch on the kind.
    let w = usize::from(wordish);
    let text = [other, word_of(a, cues, k).as_bytes()][w];
    let code = [kind_code(t.kind), 0][w];
    let (hash, ascii) = fnv_blocks(text);
    let word = hash ^ code;
    if !FULL {
        return Atom {
            word,
            ascii,
            ..Atom::default()
        };
    }
    let form = kind_code(t.kind)
        | case_code(t.case) << 3
        | u64::from(initial(a, cues, k)) << 6
        | u64::from(caps) << 7
        | u64::from(t.space_before) << 8;
    let c = cues.at(k);
    let cue = cue_bits(c.covers) | cue_bits(c.starts) << 16 | cue_bits(c.ends) << 32;
    Atom {
        word,
        shape: shape(a.token_text(k)),
        form,
        gaz: u64::from(gaz[k]),
        cue,
        ascii,
    }
}

impl Features {
    /// The feature rows of token `k` (empty for a non-candidate).
    pub fn rows_of(&self, k: usize) -> &[u32] {
        &self.rows[self.start[k] as usize..self.start[k + 1] as usize]
    }

    /// The first pass: the flags of every token of `a` (one look-up of
    /// each word); no rows yet.
    fn flag(&mut self, a: &Analysis<'_>, cues: &Cues) {
        let n = a.tokens.len();
        for v in [
            &mut self.cand,
            &mut self.clinical,
            &mut self.common,
            &mut self.stop,
            &mut self.initial,
        ] {
            v.clear();
            v.reserve(n);
        }
        self.gaz.clear();
        self.gaz.reserve(n);
        self.rows.clear();
        self.start.clear();
        self.abbreviations = 0;
        // Each flag is computed for every word and its tests joined with
        // `&` and `|`, then kept only for a candidate (`& cand`), where a
        // chain of `&&`, a `match` on the rank and a block for candidates
        // only each branched on the word. The branches left are on the
        // token being a word (its look-up) and on a listed given name (a
        // look at the tokens before it).
        for (i, t) in a.tokens.iter().enumerate() {
            let (mut cand, mut gaz) = (false, 0u8);
            let (mut clinical, mut common, mut stop, mut first) = (false, false, false, false);
            if matches!(t.kind, TokenKind::Word | TokenKind::Hashtag) {
                // A word's entry comes from the cues, which keep those of
                // capitalised words for every detector (the same answer as
                // `WORDS.entry(word_of(a, cues, i))`); a hashtag's is looked
                // up without its `#`.
                let entry = if t.kind == TokenKind::Word {
                    cues.base_word(a, i)
                } else {
                    WORDS.entry(word_of(a, cues, i))
                };
                let ranked = entry.rank.is_some();
                let rank = entry.rank.unwrap_or(u32::MAX);
                let (in_first, in_sur) = (entry.first, entry.surname);
                let cased = matches!(t.case, Case::Title | Case::Upper | Case::Mixed);
                cand = !t.obfuscated & (cased | !ranked | (rank >= 1000));
                // The frequency bucket: 0 for no rank, then 1 to 5 for
                // ranks below 100, 1,000, 5,000, 15,000 and the rest.
                let bucket = u8::from(ranked)
                    * (1 + u8::from(rank >= 100)
                        + u8::from(rank >= 1000)
                        + u8::from(rank >= 5000)
                        + u8::from(rank >= 15000));
                gaz = bucket | u8::from(in_first) << 3 | u8::from(in_sur) << 4 | 1 << 5;
                // A clinical word, unless written as a name that the name
                // lists know (`Ed`, `Foley`).
                let listed = (t.case == Case::Title) & (in_first | in_sur);
                // A letter glued to a number is a measure or a count
                // (`O2`, `x3`).
                let number = |n: Option<&primum_text::Token>| n.is_some_and(|n| n.kind == TokenKind::Number);
                let next = a.tokens.get(i + 1);
                let measure = (next.is_some_and(|n| !n.space_before) & number(next))
                    | (!t.space_before & number(i.checked_sub(1).and_then(|p| a.tokens.get(p))));
                // A cue word (`Pt`, `DOB`, `Mrs`, `daughter`) introduces a
                // name but is not one.
                let cue_word = cues.at(i).covers & NOT_NAME_ROLES != 0;
                let abbrev = cand & (entry.clinical & !listed | measure);
                self.abbreviations += usize::from(abbrev);
                clinical = abbrev | cand & cue_word;
                common = cand & ranked & (rank < 3000);
                stop = cand & ranked & (rank < 100) & !in_first & !in_sur;
                first = (cand & in_first) && initial(a, cues, i);
            }
            self.cand.push(cand);
            self.gaz.push(gaz);
            self.clinical.push(clinical);
            self.common.push(common);
            self.stop.push(stop);
            self.initial.push(first);
        }
    }

    /// The second pass, for the runs of candidates `runs` (in order,
    /// after [`Features::flag`]): the rows of their candidates, as rows of
    /// a weight table of `2^bits` buckets; every other token gets an empty
    /// range.
    ///
    /// The tokens to score and those their windows read are listed first,
    /// each list made without a branch on the tokens, and each step then
    /// loops over a list: where a loop over the tokens of each run (and
    /// its window) ended at a place that changed from run to run, and a
    /// loop over every token branched on its being read.
    ///
    /// With a `model`, also the emission scores of each candidate
    /// (`em`), for [`detect`]: summed once the rows of every run are
    /// known, in a loop of their table reads alone, so that the processor
    /// has many of them (most are cache misses) in flight at once, where
    /// reading each candidate's rows right after making them left the
    /// reads behind the making of the rows.
    fn add_runs(
        &mut self,
        a: &Analysis<'_>,
        cues: &Cues,
        bits: u32,
        runs: &[(usize, usize)],
        model: Option<&Model<'_>>,
    ) {
        let n = a.tokens.len();
        self.start.clear();
        self.rows.clear();
        if runs.is_empty() {
            self.start.resize(n + 1, 0);
            return;
        }
        // The tokens to score, two unscored places either side
        // (`scored[k + 2]` is token `k`'s): every candidate when the runs
        // hold as many tokens as there are candidates (they are runs of
        // candidates), else those of the runs.
        let scored = &mut self.scored;
        scored.clear();
        scored.extend([false; 2]);
        let in_runs: usize = runs.iter().map(|r| r.1 - r.0).sum();
        if in_runs == self.cand.iter().map(|&c| usize::from(c)).sum::<usize>() {
            scored.extend_from_slice(&self.cand);
        } else {
            scored.resize(n + 2, false);
            for &(s, e) in runs {
                scored[s + 2..e + 2].fill(true);
            }
        }
        scored.extend([false; 2]);
        // What each token's atom must hold: nothing far from a scored
        // token (0), its word two tokens from one (`p2`/`n2`
        // read only that), all of it next to one, and all of it and rows
        // in one. Each atom is made once, also where two windows overlap.
        let need = &mut self.need;
        need.clear();
        need.extend(scored.windows(5).map(|w| {
            (NEED_ROWS * u8::from(w[2]))
                .max(NEED_FULL * u8::from(w[1] | w[3]))
                .max(NEED_WORD * u8::from(w[0] | w[4]))
        }));
        // The tokens of each kind of need, listed: each written at the
        // next free place of its list, the place taken only when the
        // token has that need (at most one place per token so far).
        let lists = [&mut self.word_at, &mut self.full_at, &mut self.rows_at];
        for l in lists {
            l.clear();
            l.resize(n, 0);
        }
        let (mut nw, mut nf, mut nr) = (0, 0, 0);
        for (k, &w) in need.iter().enumerate() {
            let k32 = k as u32;
            self.word_at[nw] = k32;
            nw += usize::from(w == NEED_WORD);
            self.full_at[nf] = k32;
            nf += usize::from(w >= NEED_FULL);
            self.rows_at[nr] = k32;
            nr += usize::from(w == NEED_ROWS);
        }
        self.word_at.truncate(nw);
        self.full_at.truncate(nf);
        self.rows_at.truncate(nr);
        let caps = in_capitals(a);
        // Two positions of `NONE` either side: a window never leaves the
        // table (`atoms[k + 2]` is token `k`'s). Tokens no window reads
        // keep `NONE` too.
        self.atoms.clear();
        self.atoms.resize(n + 4, NONE);
        for &k in &self.word_at {
            self.atoms[k as usize + 2] = atom::<false>(a, cues, &self.gaz, caps, k as usize);
        }
        for &k in &self.full_at {
            self.atoms[k as usize + 2] = atom::<true>(a, cues, &self.gaz, caps, k as usize);
        }
        self.rows.reserve(nr * FEATURES);
        self.add_rows(bits, a, cues);
        // Token `k`'s rows start after those of the candidates before it:
        // counted without a branch on the runs.
        let mut at = 0u32;
        for &w in &self.need {
            self.start.push(at);
            at += FEATURES as u32 * u32::from(w == NEED_ROWS);
        }
        self.start.push(at);
        if let Some(m) = model {
            self.em.clear();
            self.em.resize(n, [0; TAGS]);
            for (&k, rows) in self.rows_at.iter().zip(self.rows.as_chunks::<FEATURES>().0) {
                self.em[k as usize] = m.token_emissions(rows);
            }
        }
    }

    /// The rows of the tokens of `rows_at`, in order (see
    /// [`Features::add_runs`]).
    fn add_rows(&mut self, bits: u32, a: &Analysis<'_>, cues: &Cues) {
        debug_assert!(bits <= 24);
        let mask = (1u64 << bits) - 1;
        // The hash's bucket times the row width; a `u32` since `bits <= 24`.
        let row = |h: u64| ((h & mask) as u32) * TAGS as u32;
        let at = &self.atoms;
        // The bias feature is the same for every token.
        let bias = row(mix(0, 0));
        for &i in &self.rows_at {
            let i = i as usize;
            // Token `i + d`'s atom is `at[i + 2 + d]`.
            let (p2, p1, c, n1, n2) = (&at[i], &at[i + 1], &at[i + 2], &at[i + 3], &at[i + 4]);
            let [pre2, pre3, suf2, suf3, suf4] = affixes(word_of(a, cues, i), c.ascii);
            let rows: [u32; FEATURES] = [
                bias,
                row(mix(1, c.word)),
                row(mix(2, p1.word)),
                row(mix(3, n1.word)),
                row(mix(4, p2.word)),
                row(mix(5, n2.word)),
                row(mix(6, c.shape)),
                row(mix(7, pre2)),
                row(mix(8, pre3)),
                row(mix(9, suf2)),
                row(mix(10, suf3)),
                row(mix(11, suf4)),
                row(mix(12, c.form)),
                row(mix(13, p1.form)),
                row(mix(14, n1.form)),
                row(mix(15, c.gaz)),
                row(mix(16, p1.gaz)),
                row(mix(17, n1.gaz)),
                row(mix2(18, c.gaz, c.form)),
                row(mix(19, c.cue)),
                row(mix(20, p1.cue)),
                row(mix(21, n1.cue)),
                row(mix2(22, p1.word, c.word)),
                row(mix2(23, c.word, n1.word)),
                row(mix2(24, p1.shape, c.shape)),
                row(mix2(25, c.shape, n1.shape)),
                row(mix2(26, p1.form, c.form)),
                row(mix2(27, c.form, n1.form)),
                row(mix2(28, p1.gaz, c.gaz)),
                row(mix2(29, c.gaz, n1.gaz)),
                row(mix2(30, p2.word, p1.word)),
            ];
            self.rows.extend_from_slice(&rows);
        }
    }
}

/// What a token's atom must hold (see [`Features::add_runs`]), in order:
/// nothing (0), its word, all of it, all of it and the token's rows.
const NEED_WORD: u8 = 1;
const NEED_FULL: u8 = 2;
const NEED_ROWS: u8 = 3;

/// Features per candidate token.
const FEATURES: usize = 31;

/// Computes the features of every candidate token of `a` (others get none),
/// as rows of a weight table of `2^bits` buckets of `TAGS` weights.
pub fn features(a: &Analysis<'_>, cues: &Cues, bits: u32) -> Features {
    let mut f = Features::default();
    f.flag(a, cues);
    let mut all = Vec::new();
    all_runs(&f.cand, &mut Vec::new(), &mut all);
    f.add_runs(a, cues, bits, &all, None);
    // The working buffers serve only the making (a trainer keeps the
    // features of every document).
    f.gaz = Vec::new();
    f.need = Vec::new();
    f.atoms = Vec::new();
    f.scored = Vec::new();
    f.word_at = Vec::new();
    f.full_at = Vec::new();
    f.rows_at = Vec::new();
    f
}

/// A trained model: emission weights per hashed feature and tag, and
/// transition weights, in the same (quantised) units.
pub struct Model<'m> {
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// `emit[bucket * TAGS + tag]`.
    pub emit: &'m [u8],
    /// `trans[prev * TAGS + cur]`, the start being "after O".
    pub trans: [i32; TAGS * TAGS],
    /// Added to every non-O tag's score (chosen on the dev sets: recall
    /// counts more than precision for identifiers).
    pub bias: i32,
}

const MAGIC: &[u8; 4] = b"PTG1";

impl<'m> Model<'m> {
    /// Reads a model written by [`Model::write`]; `None` when the bytes are
    /// not one (then the tagger finds nothing).
    pub fn read(b: &'m [u8]) -> Option<Model<'m>> {
        let rest = b.strip_prefix(MAGIC)?;
        let u32_at = |o: usize| -> Option<u32> { Some(u32::from_le_bytes(rest.get(o..o + 4)?.try_into().ok()?)) };
        let bits = u32_at(0)?;
        let bias = u32_at(4)? as i32;
        let mut trans = [0i32; TAGS * TAGS];
        for (k, t) in trans.iter_mut().enumerate() {
            *t = u32_at(8 + 4 * k)? as i32;
        }
        let off = 8 + 4 * TAGS * TAGS;
        let len = (1usize << bits) * TAGS;
        if bits > 24 || rest.len() != off + len {
            return None;
        }
        Some(Model {
            bits,
            emit: &rest[off..],
            trans,
            bias,
        })
    }

    /// The bytes of a model.
    pub fn write(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        for t in self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(self.emit);
        out
    }

    /// The emission score of `tag` over that of O at token `k`.
    /// `f` must come from [`features`] with this model's `bits`.
    pub fn margin(&self, f: &Features, k: usize, tag: usize) -> i32 {
        f.rows_of(k)
            .iter()
            .map(|&row| {
                let row = row as usize;
                i32::from(self.emit[row + tag] as i8) - i32::from(self.emit[row + O] as i8)
            })
            .sum()
    }

    /// The emission scores of the tags at a token with feature rows
    /// `rows`: the sums of their weights.
    ///
    /// Each row is read as one little-endian `u64` (its seven weights and
    /// the next row's first, unused), its bytes shifted from `i8` to `0..=255`
    /// by flipping their top bit (`w ^ 0x80 = w + 128`), and its even and
    /// odd bytes added as four 16-bit lanes of one `u64` each: a few
    /// instructions per row instead of seven loads and adds. Up to 257 rows
    /// of 255 stay below 2^16, so no lane carries into the next; the
    /// 128 per row is taken off at the end. Integer sums, so the result is
    /// that of adding the weights one by one.
    fn emissions(&self, rows: &[u32]) -> [i32; TAGS] {
        let mut em = [0i32; TAGS];
        for chunk in rows.chunks(256) {
            let (even, odd) = self.lanes(chunk);
            add_lanes(&mut em, even, odd, chunk.len());
        }
        em
    }

    /// [`Model::emissions`] of the rows of one candidate (a loop of a
    /// fixed count).
    fn token_emissions(&self, rows: &[u32; FEATURES]) -> [i32; TAGS] {
        let (even, odd) = self.lanes(rows);
        let mut em = [0i32; TAGS];
        add_lanes(&mut em, even, odd, FEATURES);
        em
    }

    /// The flipped weights of `rows` (at most 256) added in the even and
    /// odd lanes (see [`Model::emissions`]).
    #[inline]
    fn lanes(&self, rows: &[u32]) -> (u64, u64) {
        let (mut even, mut odd) = (0u64, 0u64);
        for &row in rows {
            let w = self.flipped_row(row);
            even += w & LOW_BYTES;
            odd += (w >> 8) & LOW_BYTES;
        }
        (even, odd)
    }

    /// The weights of `row` as one little-endian `u64` with the top bit of
    /// each byte flipped (see [`Model::emissions`]); the table's last row,
    /// which has no eighth byte, with a zero there.
    #[inline]
    fn flipped_row(&self, row: u32) -> u64 {
        let row = row as usize;
        let w = match self.emit.get(row..row + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            Some(b) => u64::from_le_bytes(b),
            None => {
                // The table's last row.
                let mut b = [0u8; 8];
                b[..TAGS].copy_from_slice(&self.emit[row..row + TAGS]);
                u64::from_le_bytes(b)
            }
        };
        w ^ FLIP
    }

    /// The best tags of a run of candidates, given their emission scores
    /// `ems`, into `tags` (the run's):
    /// [`decode_with`] for this model, with the same choices (the first
    /// best previous tag on ties), its inner loop specialised to
    /// [`ALLOWED`].
    ///
    /// Instead of [`decode_with`]'s flags of reachable tags, an
    /// unreachable tag (an inside tag at the run's first token) scores
    /// [`UNREACHABLE`], far below any reachable score, so that it never
    /// wins a maximum and every tag can be scanned without a test: from
    /// the run's third token on, every tag is reachable.
    fn decode_run(&self, ems: &[[i32; TAGS]], tags: &mut [u8], back: &mut Vec<[u8; TAGS]>) {
        let trans = &self.trans;
        if let [em] = ems {
            // A run of one token (most runs): from O, a begin tag or O,
            // back to O; the first best as below.
            let score = |c: usize| trans[c] + em[c] + if c == O { 0 } else { self.bias } + trans[c * TAGS + O];
            let mut best = (score(O), O);
            for c in [1, 3, 5] {
                let v = score(c);
                if v > best.0 {
                    best = (v, c);
                }
            }
            tags[0] = best.1 as u8;
            return;
        }
        back.clear();
        // Before the run: O, reachable; the others are not.
        let mut prev = [UNREACHABLE; TAGS];
        prev[O] = 0;
        for em in ems {
            let mut cur = [0i32; TAGS];
            let mut bp = [0u8; TAGS];
            for c in 0..TAGS {
                let (v, p) = if c == O || c % 2 == 1 {
                    // O and begin tags follow any tag.
                    let mut best = (prev[0] + trans[c], 0);
                    for (p, &pv) in prev.iter().enumerate().skip(1) {
                        let v = pv + trans[p * TAGS + c];
                        if v > best.0 {
                            best = (v, p);
                        }
                    }
                    best
                } else {
                    // An inside tag follows its begin tag or itself.
                    let b = prev[c - 1] + trans[(c - 1) * TAGS + c];
                    let i = prev[c] + trans[c * TAGS + c];
                    if i > b { (i, c) } else { (b, c - 1) }
                };
                cur[c] = v + em[c] + if c == O { 0 } else { self.bias };
                bp[c] = p as u8;
            }
            back.push(bp);
            prev = cur;
        }
        // The run ends before an O.
        let mut best = (prev[O] + trans[O], O);
        for (c, &pv) in prev.iter().enumerate().skip(1) {
            let v = pv + trans[c * TAGS + O];
            if v > best.0 {
                best = (v, c);
            }
        }
        let mut c = best.1;
        for (t, bp) in tags.iter_mut().zip(back.iter()).rev() {
            *t = c as u8;
            c = bp[c] as usize;
        }
    }

    /// The best tag sequence for the features of a post (from
    /// [`features`] with this model's `bits`): [`decode_with`] for this
    /// model.
    pub fn decode(&self, f: &Features) -> Vec<u8> {
        let mut tags = vec![O as u8; f.cand.len()];
        let (mut back, mut ems, mut runs) = (Vec::new(), Vec::new(), Vec::new());
        all_runs(&f.cand, &mut Vec::new(), &mut runs);
        for (s, e) in runs {
            ems.clear();
            ems.extend((s..e).map(|k| self.emissions(f.rows_of(k))));
            self.decode_run(&ems, &mut tags[s..e], &mut back);
        }
        tags
    }
}

/// The score of a tag that cannot be reached (see [`Model::decode_run`]):
/// far below any reachable score (at most 31 weights of 127 and a
/// transition per token, over a post's tokens), and far enough above
/// `i32::MIN` that adding to it cannot overflow.
const UNREACHABLE: i32 = -(1 << 29);

/// Viterbi decoding over `f`, the emission scores of a feature (given its
/// row, see [`Features::rows`]) added by `emit`; tokens that are not candidates are outside (tag 0). Runs of
/// non-candidates cost nothing but a reset.
pub fn decode_with<S>(f: &Features, trans: &[S; TAGS * TAGS], emit: impl Fn(usize, &mut [S; TAGS]), bias: S) -> Vec<u8>
where
    S: Copy + Default + PartialOrd + std::ops::Add<Output = S> + std::ops::AddAssign,
{
    let n = f.cand.len();
    let mut tags = vec![O as u8; n];
    // Back pointers of the current run, reused from run to run.
    let mut back: Vec<[u8; TAGS]> = Vec::new();
    let mut i = 0;
    while i < n {
        if !f.cand[i] {
            i += 1;
            continue;
        }
        // A run of candidates, preceded and followed by O.
        let s = i;
        while i < n && f.cand[i] {
            i += 1;
        }
        let e = i;
        back.clear();
        let mut prev = [S::default(); TAGS];
        let mut valid = [false; TAGS];
        valid[O] = true;
        for k in s..e {
            let mut em = [S::default(); TAGS];
            for &row in f.rows_of(k) {
                emit(row as usize, &mut em);
            }
            let mut cur = [S::default(); TAGS];
            let mut ok = [false; TAGS];
            let mut bp = [0u8; TAGS];
            for c in 0..TAGS {
                let mut best: Option<(S, usize)> = None;
                for p in 0..TAGS {
                    if valid[p] && ALLOWED[p][c] {
                        let v = prev[p] + trans[p * TAGS + c];
                        if best.is_none_or(|(b, _)| v > b) {
                            best = Some((v, p));
                        }
                    }
                }
                if let Some((v, p)) = best {
                    cur[c] = v + em[c];
                    if c != O {
                        cur[c] += bias;
                    }
                    ok[c] = true;
                    bp[c] = p as u8;
                }
            }
            back.push(bp);
            prev = cur;
            valid = ok;
        }
        // The run ends before an O.
        let mut best = O;
        let mut bv: Option<S> = None;
        for c in (0..TAGS).filter(|&c| valid[c]) {
            let v = prev[c] + trans[c * TAGS + O];
            if bv.is_none_or(|b| v > b) {
                bv = Some(v);
                best = c;
            }
        }
        let mut c = best;
        for k in (s..e).rev() {
            tags[k] = c as u8;
            c = back[k - s][c] as usize;
        }
    }
    tags
}

/// The spans of tags: `(first token, last token, kind index)`.
pub fn spans(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (i, &t) in tags.iter().enumerate() {
        let t = t as usize;
        if t == O {
            continue;
        }
        let k = (t - 1) / 2;
        let inside = t.is_multiple_of(2);
        match out.last_mut() {
            Some(last) if inside && last.1 + 1 == i && last.2 == k => last.1 = i,
            _ => out.push((i, i, k)),
        }
    }
    out
}

/// The spans of `tags` that can be names: not made only of clinical
/// words (`BP`, `NAD`, `foley`, a medicine); for a frequent word alone
/// (`Will`, `Hope`, `Grant`), never as a person's name when it is also a
/// given name at the start of a sentence (`Rose garden open`; a place
/// there, `Chelsea`, may stand), and elsewhere only where its own features favour the tag
/// without the recall bias (`margin(token, tag) > 0`: the emission score of
/// the tag over that of O).
pub fn name_spans<S: Copy + Default + PartialOrd>(
    f: &Features,
    tags: &[u8],
    margin: impl Fn(usize, usize) -> S,
    initial_margin: S,
) -> Vec<(usize, usize, usize)> {
    let mut out = spans(tags);
    for sp in &mut out {
        while sp.0 < sp.1 && f.stop[sp.0] {
            sp.0 += 1;
        }
        while sp.1 > sp.0 && f.stop[sp.1] {
            sp.1 -= 1;
        }
    }
    out.retain(|&(s, e, _)| {
        let clinical = (s..=e).all(|k| f.clinical[k] || f.stop[k]);
        let weak = s == e && f.common[s] && {
            let m = margin(s, tags[s] as usize);
            m <= S::default() || f.initial[s] && tags[s] <= 2 && m <= initial_margin
        };
        !clinical && !weak
    });
    out
}

/// Clinical abbreviations, measures and other short words in capitals
/// (at least one of them a known clinical one) from which a text is read
/// as a clinical note (see [`detect`]).
const NOTE_ABBREVIATIONS: usize = 4;

/// Words of two to four capital letters that the name lists do not know
/// (`WBC`, `NGTD`, `RISS`): abbreviations, in a note.
fn short_capitals(a: &Analysis<'_>, cues: &Cues) -> usize {
    a.tokens
        .iter()
        .enumerate()
        .filter(|&(i, t)| {
            t.kind == TokenKind::Word && t.case == Case::Upper && (2..=4).contains(&t.letters.alphabetic) && {
                let e = cues.word(a, i);
                !e.first && !e.surname
            }
        })
        .count()
}

/// True when token `i` is a listed given name or surname of three letters
/// or more, capitalised as a name (`Walker`, not `WALKER` or `walker`),
/// and not a clinical word.
fn listed_name(a: &Analysis<'_>, cues: &Cues, i: usize, f: &Features) -> bool {
    let t = &a.tokens[i];
    t.case == Case::Title && t.letters.alphabetic >= 3 && !f.clinical[i] && {
        let e = cues.base_word(a, i);
        e.first || e.surname
    }
}

static MODEL_BYTES: &[u8] = include_bytes!("../../models/tagger.bin");

static MODEL: LazyLock<Option<Model<'static>>> = LazyLock::new(|| Model::read(MODEL_BYTES));

/// Flips the top bit of each byte: `w ^ 0x80 = w + 128` for an `i8`.
const FLIP: u64 = 0x8080_8080_8080_8080;

/// The low byte of each 16-bit lane.
const LOW_BYTES: u64 = 0x00ff_00ff_00ff_00ff;

/// Adds to `em` the sums of `rows` rows of flipped weights gathered in
/// the 16-bit lanes of `even` (tags 0, 2, 4, 6) and `odd` (tags 1, 3, 5),
/// less the 128 per row of the flip.
fn add_lanes(em: &mut [i32; TAGS], even: u64, odd: u64, rows: usize) {
    let bias = 128 * rows as i32;
    let lane = |x: u64, j: usize| ((x >> (16 * j)) & 0xffff) as i32 - bias;
    let sums = [
        lane(even, 0),
        lane(odd, 0),
        lane(even, 1),
        lane(odd, 1),
        lane(even, 2),
        lane(odd, 2),
        lane(even, 3),
    ];
    for (e, s) in em.iter_mut().zip(sums) {
        *e += s;
    }
}

/// A thread's buffers for tagging, reused from post to post so that a
/// post costs no allocation once they have grown.
#[derive(Default)]
struct Scratch {
    f: Features,
    tags: Vec<u8>,
    back: Vec<[u8; TAGS]>,
    /// The runs of candidates to decode.
    runs: Vec<(usize, usize)>,
    /// The edges of the runs (see [`all_runs`]).
    edges: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Tokens beyond which a post's buffers are not kept for the next one: a
/// very long text should not hold its memory for the rest of the run.
const KEEP_TOKENS: usize = 1 << 16;

/// Runs `f` with this thread's buffers.
fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with_borrow_mut(|sc| {
        let out = f(sc);
        if sc.f.cand.capacity() > KEEP_TOKENS {
            *sc = Scratch::default();
        }
        out
    })
}

/// The tagger's full names for `check`: a given name the name lists know
/// and at least one more word, each capitalised as a name (`Kevin Marsh`,
/// `Liam Ferris`). Alone, a tagger span is too often a product, a
/// hashtag or an abbreviation (`TikTok`, `DOB`) to be a finding; a listed
/// given name with a surname is a person. Posts without such a pair skip
/// the tagger.
///
/// Such a name lies in one run of candidates (see [`Model::decode_run`])
/// and holds a listed given name next to another capitalised word, so only
/// the runs around such pairs are decoded: the others' spans would all be
/// dropped. Runs are decoded independently of each other, so the result is
/// that of tagging the whole post.
pub(crate) fn full_names(a: &Analysis<'_>, cues: &Cues) -> Vec<Identifier> {
    let title = |i: usize| {
        a.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.case == Case::Title && t.letters.alphabetic >= 2)
    };
    // A word in title or upper case (a bit the cues keep per token): true
    // of every word `title` holds for, and cheaper to test.
    let cap = |i: usize| cues.class(i) & Class::CAP != 0;
    let listed_first = |i: usize| cues.base_word(a, i).first;
    // Pairs of capitalised words `(i, i + 1)` with a listed given name,
    // found with one look-up per word; the post is tagged only when one of
    // them starts with the given name.
    let mut gate = false;
    let mut pairs: Vec<usize> = Vec::new();
    // `given(i)`, carried from one pair to the next.
    let mut given_next: Option<(usize, bool)> = None;
    // `cap(i)`, carried from one token to the next: each token is tested
    // once, with one bit, and the pair's test is one branch, rarely taken
    // (two capitalised words in a row); `title` is asked only then. (A
    // test of `title` on each word, a chain of tests of its kind, case
    // and letters, was mispredicted about ten times a post: each goes
    // either way from one token to the next.)
    let mut cap_here = cap(0);
    for i in 0..a.tokens.len().saturating_sub(1) {
        let cap_next = cap(i + 1);
        let pair = cap_here & cap_next;
        cap_here = cap_next;
        if !(pair && title(i) && title(i + 1)) {
            continue;
        }
        let gi = match given_next {
            Some((k, g)) if k == i => g,
            _ => listed_first(i),
        };
        let gn = listed_first(i + 1);
        given_next = Some((i + 1, gn));
        gate |= gi;
        if gi || gn {
            pairs.push(i);
        }
    }
    if !gate {
        return Vec::new();
    }
    let Some(model) = MODEL.as_ref() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    with_scratch(|sc| {
        sc.f.flag(a, cues);
        sc.runs.clear();
        for &i in &pairs {
            let cand = &sc.f.cand;
            if !(cand[i] && cand[i + 1]) || sc.runs.last().is_some_and(|r| i < r.1) {
                // Not both candidates (an obfuscated word), or in the run
                // already taken.
                continue;
            }
            let mut s = i;
            while s > 0 && cand[s - 1] {
                s -= 1;
            }
            let mut e = i + 2;
            while e < cand.len() && cand[e] {
                e += 1;
            }
            sc.runs.push((s, e));
        }
        tag(sc, a, cues, model, true, &mut found);
    });
    found.retain(|id| {
        let first = a.tokens.partition_point(|t| t.span.start < id.span.start);
        let last = a.tokens.partition_point(|t| t.span.start < id.span.end);
        id.kind == Kind::Name
            && last - first >= 2
            && (first..last).all(title)
            && (first..last).any(|i| title(i) && listed_first(i))
    });
    found
}

/// Adds the tagger's names, places and organisations in `a` to `out`.
pub(super) fn detect(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let Some(model) = MODEL.as_ref() else {
        return;
    };
    with_scratch(|sc| {
        sc.f.flag(a, cues);
        all_runs(&sc.f.cand, &mut sc.edges, &mut sc.runs);
        // A post with no candidate token needs no features.
        if !sc.runs.is_empty() {
            tag(sc, a, cues, model, false, out);
        }
    });
}

/// Tags the runs `sc.runs` of the post `a` (whose flags `sc.f` holds) and
/// adds their spans to `out`; only names with `names_only`.
fn tag(
    sc: &mut Scratch,
    a: &Analysis<'_>,
    cues: &Cues,
    model: &Model<'_>,
    names_only: bool,
    out: &mut Vec<Identifier>,
) {
    let Scratch {
        f, tags, back, runs, ..
    } = sc;
    if runs.is_empty() {
        return;
    }
    f.add_runs(a, cues, model.bits, runs, Some(model));
    let f: &Features = f;
    tags.clear();
    tags.resize(f.cand.len(), O as u8);
    for &(s, e) in runs.iter() {
        model.decode_run(&f.em[s..e], &mut tags[s..e], back);
    }
    // The model learnt from tweets, where a short word in capitals is
    // often an organisation (`NHS`, `BBC`); in a clinical note it is an
    // abbreviation (`CTA`, `MAE`, `OOB`) and a capitalised word heads a
    // section (`Labs:`, `Vent:`). There, a span counts only with a word
    // that the name lists know, written as a name. Counted at the first
    // span: most posts have none.
    let mut note: Option<bool> = None;
    // The margin from the emission scores ([`Model::margin`] without
    // reading the rows again).
    let margin = |k: usize, tag: usize| f.em[k][tag] - f.em[k][O];
    for (s, e, k) in name_spans(f, tags, margin, model.bias) {
        if names_only && k != 0 {
            continue;
        }
        let note = *note.get_or_insert_with(|| {
            f.abbreviations >= 1 && f.abbreviations + short_capitals(a, cues) >= NOTE_ABBREVIATIONS
        });
        if note && !(s..=e).any(|i| listed_name(a, cues, i, f)) {
            continue;
        }
        // A shop or café the author was at is not the patient's place.
        if k != 0 && s > 0 && super::names::author_was_at_token(a, cues, s - 1) {
            continue;
        }
        let end = {
            let t = a.token_text(e);
            let end = a.tokens[e].span.end;
            if t.ends_with("'s") {
                end - 2
            } else if t.ends_with("\u{2019}s") {
                end - 4
            } else {
                end
            }
        };
        push(out, a.tokens[s].span.start, end, TAG_KINDS[k], CONFIDENCE, REASON);
    }
}

#[cfg(test)]
mod tests;
