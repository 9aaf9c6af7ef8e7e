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

use std::sync::LazyLock;

use primum_text::{Analysis, Case, TokenKind};

use super::words::{Cues, Role, WORDS, base};
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

/// One token's precomputed atoms: the hashes its neighbours' features
/// combine, so that each string is hashed once.
#[derive(Clone, Copy, Default)]
struct Atom {
    word: u64,
    shape: u64,
    pre2: u64,
    pre3: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    /// Token kind, case and position, folded into one small number.
    form: u64,
    /// Name lists and frequency bucket.
    gaz: u64,
    /// Cue roles that start, end or cover the token.
    cue: u64,
    cand: bool,
    clinical: bool,
    /// A clinical abbreviation or measure (`BP`, `NAD`, `O2`, `x3`), cue
    /// words left out: what makes a text a clinical note.
    abbrev: bool,
    common: bool,
    stop: bool,
    first: bool,
}

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
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn mix(template: u64, a: u64) -> u64 {
    let mut h = (template.wrapping_add(1)).wrapping_mul(K1) ^ a;
    h = h.wrapping_mul(K2);
    h ^ (h >> 29)
}

fn mix2(template: u64, a: u64, b: u64) -> u64 {
    mix(template, a.rotate_left(17) ^ b.wrapping_mul(K1))
}

/// The word shape of `s`: `Xx`, `x`, `X`, `d`, with runs collapsed,
/// at most six symbols (`McDonald` -> `XxXx`).
fn shape(s: &str) -> u64 {
    let mut buf = [0u8; 6];
    let mut n = 0;
    let mut last = 0u8;
    for c in s.chars() {
        let k = if c.is_uppercase() {
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
        };
        if k != last {
            if n == buf.len() {
                break;
            }
            buf[n] = k;
            n += 1;
            last = k;
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

/// True when token `i` starts a sentence or line (capitals there say less).
fn initial(a: &Analysis<'_>, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = &a.tokens[i - 1];
    a.sentence_of[i] != a.sentence_of[i - 1]
        || a.text.as_bytes()[p.span.end..a.tokens[i].span.start].contains(&b'\n')
        || matches!(p.norm.as_str(), "." | "!" | "?" | ":" | "\"")
}

/// The features of one post: per token, its candidate flag and feature
/// rows (the hashes reduced to a model's table once, here, so that
/// decoding and margins read the rows directly).
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
}

/// The word a token stands for: its normalised form without a possessive,
/// and without the `#` of a hashtag.
fn word_of<'t>(a: &'t Analysis<'_>, i: usize) -> &'t str {
    let t = &a.tokens[i];
    let n = base(&t.norm);
    if t.kind == TokenKind::Hashtag {
        n.trim_start_matches('#')
    } else {
        n
    }
}

fn atoms(a: &Analysis<'_>, cues: &Cues) -> Vec<Atom> {
    let caps = {
        let (ratio, n) = a.caps_ratio();
        n >= 3 && ratio > 0.6
    };
    let mut atoms = a
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let start = initial(a, i);
            let form = kind_code(t.kind)
                | case_code(t.case) << 3
                | u64::from(start) << 6
                | u64::from(caps) << 7
                | u64::from(t.space_before) << 8;
            let cue = cue_bits(cues.covers.get(i).copied().unwrap_or(0))
                | cue_bits(cues.starts.get(i).copied().unwrap_or(0)) << 16
                | cue_bits(cues.ends.get(i).copied().unwrap_or(0)) << 32;
            if !matches!(t.kind, TokenKind::Word | TokenKind::Hashtag) {
                // Links, handles, numbers and emoji: their kind is enough
                // (and punctuation its character).
                let s = if t.kind == TokenKind::Punct {
                    t.norm.as_str()
                } else {
                    ""
                };
                return Atom {
                    word: fnv(s.as_bytes()) ^ kind_code(t.kind),
                    form,
                    cue,
                    ..Atom::default()
                };
            }
            let word = word_of(a, i);
            let entry = WORDS.entry(word);
            let rank = entry.rank;
            let (in_first, in_sur) = (entry.first, entry.surname);
            let cased = matches!(t.case, Case::Title | Case::Upper | Case::Mixed);
            let cand = !t.obfuscated && (cased || rank.is_none_or(|r| r >= 1000));
            let bucket = match rank {
                None => 0,
                Some(r) if r < 100 => 1,
                Some(r) if r < 1000 => 2,
                Some(r) if r < 5000 => 3,
                Some(r) if r < 15000 => 4,
                Some(_) => 5,
            };
            let mut at = Atom {
                word: fnv(word.as_bytes()),
                form,
                gaz: bucket | u64::from(in_first) << 3 | u64::from(in_sur) << 4 | 1 << 5,
                cue,
                cand,
                ..Atom::default()
            };
            if !cand {
                // Only its neighbours read it.
                return at;
            }
            let ascii = word.is_ascii();
            at.pre2 = fnv(prefix(word, 2, ascii).as_bytes());
            at.pre3 = fnv(prefix(word, 3, ascii).as_bytes());
            at.suf2 = fnv(suffix(word, 2, ascii).as_bytes());
            at.suf3 = fnv(suffix(word, 3, ascii).as_bytes());
            at.suf4 = fnv(suffix(word, 4, ascii).as_bytes());
            // A clinical word, unless written as a name that the name lists
            // know (`Ed`, `Foley`).
            let listed = t.case == Case::Title && (in_first || in_sur);
            // A letter glued to a number is a measure or a count (`O2`, `x3`).
            let glued = |k: usize| a.tokens.get(k).is_some_and(|n| n.kind == TokenKind::Number);
            let measure = a.tokens.get(i + 1).is_some_and(|n| !n.space_before) && glued(i + 1)
                || !t.space_before && i > 0 && glued(i - 1);
            // A cue word (`Pt`, `DOB`, `Mrs`, `daughter`) introduces a name
            // but is not one.
            let cue_word = cues.covers.get(i).is_some_and(|m| m & NOT_NAME_ROLES != 0);
            at.abbrev = entry.clinical && !listed || measure;
            at.clinical = at.abbrev || cue_word;
            at.common = rank.is_some_and(|r| r < 3000);
            at.stop = rank.is_some_and(|r| r < 100) && !in_first && !in_sur;
            at.first = start && in_first;
            at
        })
        .collect::<Vec<Atom>>();
    // Only a candidate and its two neighbours read a shape (the features
    // of a candidate): the other tokens, most of a post, keep 0.
    for i in 0..atoms.len() {
        let near = |k: usize| atoms.get(k).is_some_and(|x| x.cand);
        if near(i) || i > 0 && near(i - 1) || near(i + 1) {
            atoms[i].shape = shape(a.token_text(i));
        }
    }
    atoms
}

impl Features {
    /// The feature rows of token `k` (empty for a non-candidate).
    pub fn rows_of(&self, k: usize) -> &[u32] {
        &self.rows[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// Features per candidate token.
const FEATURES: usize = 31;

/// Computes the features of every candidate token of `a` (others get none),
/// as rows of a weight table of `2^bits` buckets of `TAGS` weights.
pub fn features(a: &Analysis<'_>, cues: &Cues, bits: u32) -> Features {
    debug_assert!(bits <= 24);
    let mask = (1u64 << bits) - 1;
    // The hash's bucket times the row width; a `u32` since `bits <= 24`.
    let row = |h: u64| ((h & mask) as u32) * TAGS as u32;
    let at = atoms(a, cues);
    let n = at.len();
    let none = Atom {
        word: 0x5eed,
        form: 0xffff,
        ..Atom::default()
    };
    // Neighbours by reference: an atom is some 150 bytes.
    let get = |i: isize| -> &Atom {
        if i < 0 || i as usize >= n {
            &none
        } else {
            &at[i as usize]
        }
    };
    let mut rows = Vec::with_capacity(at.iter().filter(|x| x.cand).count() * FEATURES);
    // The bias feature is the same for every token.
    let bias = row(mix(0, 0));
    let mut start = Vec::with_capacity(n + 1);
    for (i, c) in at.iter().enumerate() {
        start.push(rows.len() as u32);
        if !c.cand {
            continue;
        }
        let i = i as isize;
        let (p1, p2, n1, n2) = (get(i - 1), get(i - 2), get(i + 1), get(i + 2));
        let hashes = [
            mix(1, c.word),
            mix(2, p1.word),
            mix(3, n1.word),
            mix(4, p2.word),
            mix(5, n2.word),
            mix(6, c.shape),
            mix(7, c.pre2),
            mix(8, c.pre3),
            mix(9, c.suf2),
            mix(10, c.suf3),
            mix(11, c.suf4),
            mix(12, c.form),
            mix(13, p1.form),
            mix(14, n1.form),
            mix(15, c.gaz),
            mix(16, p1.gaz),
            mix(17, n1.gaz),
            mix2(18, c.gaz, c.form),
            mix(19, c.cue),
            mix(20, p1.cue),
            mix(21, n1.cue),
            mix2(22, p1.word, c.word),
            mix2(23, c.word, n1.word),
            mix2(24, p1.shape, c.shape),
            mix2(25, c.shape, n1.shape),
            mix2(26, p1.form, c.form),
            mix2(27, c.form, n1.form),
            mix2(28, p1.gaz, c.gaz),
            mix2(29, c.gaz, n1.gaz),
            mix2(30, p2.word, p1.word),
        ];
        rows.push(bias);
        rows.extend(hashes.map(row));
    }
    start.push(rows.len() as u32);
    Features {
        cand: at.iter().map(|x| x.cand).collect(),
        clinical: at.iter().map(|x| x.clinical).collect(),
        common: at.iter().map(|x| x.common).collect(),
        stop: at.iter().map(|x| x.stop).collect(),
        initial: at.iter().map(|x| x.first).collect(),
        abbreviations: at.iter().filter(|x| x.abbrev).count(),
        rows,
        start,
    }
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

    /// The best tag sequence for the features of a post (from
    /// [`features`] with this model's `bits`).
    pub fn decode(&self, f: &Features) -> Vec<u8> {
        decode_with(
            f,
            &self.trans,
            |row, scores| {
                // A fixed-size row: one bounds check, and the seven adds
                // unrolled (integer sums, so the order does not matter).
                if let Ok(w) = <&[u8; TAGS]>::try_from(&self.emit[row..row + TAGS]) {
                    for (s, &w) in scores.iter_mut().zip(w) {
                        *s += i32::from(w as i8);
                    }
                }
            },
            self.bias,
        )
    }
}

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
fn short_capitals(a: &Analysis<'_>) -> usize {
    a.tokens
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Word && t.case == Case::Upper && (2..=4).contains(&t.letters.alphabetic) && {
                let e = WORDS.entry(&t.norm);
                !e.first && !e.surname
            }
        })
        .count()
}

/// True when token `i` is a listed given name or surname of three letters
/// or more, capitalised as a name (`Walker`, not `WALKER` or `walker`),
/// and not a clinical word.
fn listed_name(a: &Analysis<'_>, i: usize, f: &Features) -> bool {
    let t = &a.tokens[i];
    let w = base(&t.norm);
    t.case == Case::Title && t.letters.alphabetic >= 3 && !f.clinical[i] && {
        let e = WORDS.entry(w);
        e.first || e.surname
    }
}

static MODEL_BYTES: &[u8] = include_bytes!("../../models/tagger.bin");

static MODEL: LazyLock<Option<Model<'static>>> = LazyLock::new(|| Model::read(MODEL_BYTES));

/// The tagger's full names for `check`: a given name the name lists know
/// and at least one more word, each capitalised as a name (`Kevin Marsh`,
/// `Liam Ferris`). Alone, a tagger span is too often a product, a
/// hashtag or an abbreviation (`TikTok`, `DOB`) to be a finding; a listed
/// given name with a surname is a person. Posts without such a pair skip
/// the tagger.
pub(crate) fn full_names(a: &Analysis<'_>, cues: &Cues) -> Vec<Identifier> {
    let title = |i: usize| {
        a.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.case == Case::Title && t.letters.alphabetic >= 2)
    };
    let given = |i: usize| title(i) && WORDS.entry(base(&a.tokens[i].norm)).first;
    if !(0..a.tokens.len()).any(|i| given(i) && title(i + 1)) {
        return Vec::new();
    }
    let mut found = Vec::new();
    detect(a, cues, &mut found);
    found.retain(|id| {
        let first = a.tokens.partition_point(|t| t.span.start < id.span.start);
        let last = a.tokens.partition_point(|t| t.span.start < id.span.end);
        id.kind == Kind::Name && last - first >= 2 && (first..last).all(title) && (first..last).any(given)
    });
    found
}

/// Adds the tagger's names, places and organisations in `a` to `out`.
pub(super) fn detect(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let Some(model) = MODEL.as_ref() else {
        return;
    };
    // A post with no candidate token needs no features.
    let any = a.tokens.iter().any(|t| {
        matches!(t.kind, TokenKind::Word | TokenKind::Hashtag)
            && (matches!(t.case, Case::Title | Case::Upper | Case::Mixed) || !WORDS.common(base(&t.norm), 1000))
    });
    if !any {
        return;
    }
    let f = features(a, cues, model.bits);
    let tags = model.decode(&f);
    // The model learnt from tweets, where a short word in capitals is
    // often an organisation (`NHS`, `BBC`); in a clinical note it is an
    // abbreviation (`CTA`, `MAE`, `OOB`) and a capitalised word heads a
    // section (`Labs:`, `Vent:`). There, a span counts only with a word
    // that the name lists know, written as a name.
    let note = f.abbreviations >= 1 && f.abbreviations + short_capitals(a) >= NOTE_ABBREVIATIONS;
    for (s, e, k) in name_spans(&f, &tags, |k, tag| model.margin(&f, k, tag), model.bias) {
        if note && !(s..=e).any(|i| listed_name(a, i, &f)) {
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
