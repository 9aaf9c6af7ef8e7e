//! The tokenizer: one pass over the folded text that finds URLs, e-mail
//! addresses, @mentions, hashtags, numbers, words, emoji and punctuation.
//!
//! It is written by hand rather than with a regex per kind so that a post is
//! scanned once and every token gets both its folded and its original span.

use std::cell::Cell;

use compact_str::CompactString;

use crate::Span;
use crate::analysis::LetterCounts;
use crate::fold::Folded;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, with interior apostrophes, and interior digits or symbols
    /// that stand for letters (`p@tient`, `sh1t`, `f***`).
    Word,
    /// Digits, possibly with interior `.`, `,`, `:` or `/` (`1,50,000`,
    /// `10/10`, `03:10`, `2.5`).
    Number,
    /// `#tag` (at least one letter).
    Hashtag,
    /// `@handle`.
    Mention,
    /// A web address, with or without scheme (`amzn.to/3xQf7Lm`).
    Url,
    /// An e-mail address.
    Email,
    /// One emoji, with its modifiers and joiners.
    Emoji,
    /// Any other visible character, one per token.
    Punct,
}

/// Letter case of a token as the user typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// No cased letters.
    None,
    /// all lower case
    Lower,
    /// First letter upper, rest lower (`Doreen`, `McAllister` counts too).
    Title,
    /// ALL UPPER (two letters or more).
    Upper,
    /// Anything else (`iPhone`).
    Mixed,
}

/// One token of a post.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte range in the original text.
    pub span: Span,
    /// Byte range in the folded text.
    pub fspan: Span,
    /// The normalised form used for matching: folded, de-obfuscated
    /// (`p@tient` -> `patient`, `s h i t` -> `shit`), letter runs of three or
    /// more collapsed (`soooo` -> `so`). Hashtags and mentions keep their
    /// sigil; URLs and e-mails are their folded text.
    /// Stored inline up to 24 bytes (nearly every token), so a token costs
    /// no allocation; it derefs to `str`.
    pub norm: CompactString,
    pub case: Case,
    /// Its letters by case, as the user typed them.
    pub letters: LetterCounts,
    /// Whitespace (or the start of the text) comes right before the token.
    pub space_before: bool,
    /// The token was rebuilt from an obfuscation (leet, spaced letters,
    /// masking with `*`).
    pub obfuscated: bool,
}

impl Token {
    /// True for tokens that read as words in running text.
    pub fn is_wordlike(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Number)
    }
}

/// Splits folded text into tokens. `original` is the text `folded` came
/// from and `orig_of` maps a folded byte range to an original one.
///
/// Most of a post is ASCII, so every test looks at the byte first and
/// decodes a character only for a non-ASCII byte.
///
/// `padded` is the folded text followed by at least 24 spaces, from which
/// the norms are copied (see [`norm_of`]).
pub(crate) fn tokenize(f: &Folded, original: &str, padded: &str) -> Vec<Token> {
    if f.is_identity() {
        tokenize_with::<true>(f, original, padded)
    } else {
        tokenize_with::<false>(f, original, padded)
    }
}

/// [`tokenize`], compiled twice: with `ASCII` set for an ASCII original
/// (most posts), where the folded text is the original lower-cased, byte
/// for byte, so that no character needs decoding and a token's original
/// span is its folded one.
fn tokenize_with<const ASCII: bool>(f: &Folded, original: &str, padded: &str) -> Vec<Token> {
    let folded = f.text.as_str();
    let b = folded.as_bytes();
    let mut out = spare_tokens();
    out.reserve(folded.len() / 4);
    let mut i = 0;
    let mut space_before = true;
    let mut singles = SingleLetters::default();
    // Where the next `.` and `@` are, and for an ASCII text where its
    // letters are (see [`Marks`]): made from the original, which has them
    // where the folded text has (and its upper-case letters too).
    let marks = Marks::new::<ASCII>(if ASCII { original.as_bytes() } else { b });
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() || (ASCII && c == 0x0B) {
            // (`char::is_whitespace` takes the vertical tab too.)
            space_before = true;
            i += 1;
            continue;
        }
        let ch = if ASCII || c.is_ascii() {
            char::from(c)
        } else {
            folded[i..].chars().next().unwrap_or(' ')
        };
        if !ASCII && (ch.is_whitespace() || is_invisible(ch)) {
            space_before = true;
            i += ch.len_utf8();
            continue;
        }
        // (An ASCII byte looked up in a table, with no branch on it: the
        // byte before a token is a space, a letter or a mark in turn. The
        // text's start reads as a space.)
        let p = b.get(i.wrapping_sub(1)).copied().unwrap_or(b' ');
        let prev_alnum = if ASCII || p.is_ascii() {
            WORD_BYTE[usize::from(p)]
        } else {
            is_word_char(prev_char(folded, i))
        };
        // Links and e-mail addresses need a `.` (or a scheme) before the
        // next space: look for one before trying the scanners, which is
        // most of the tokenizer's time otherwise.
        // (Both looked up with no branch, and the tests combined with `&`:
        // whether a run holds a `.` changes from token to token.)
        let (dot, at_sign) = marks.dot_and_at(i);
        let next_dot = dot.filter(|_| !prev_alnum);
        let has_dot = next_dot.is_some();
        let has_at = has_dot & at_sign;
        let url = next_dot
            .filter(|&at| may_be_url(b, padded.as_bytes(), i, at))
            .and_then(|_| scan_url(folded, i));
        let email = if url.is_none() && has_at {
            scan_email(folded, i)
        } else {
            None
        };
        // A word of ASCII letters in the original (most tokens): found and
        // pushed here, all its fields at hand. (Through the general path
        // below, its fields were merged with other kinds' in memory and
        // read back wider than written, a stall on every token.)
        if url.is_none()
            && email.is_none()
            && c.is_ascii_lowercase()
            && let os = if ASCII { i } else { f.original(i) }
            && let Some((oe, plain, (case, letters))) = if ASCII {
                marks.word_at(original.as_bytes(), os)
            } else {
                ascii_word(original.as_bytes(), os)
            }
        {
            // It folded byte for byte, so it needs no widening to whole
            // characters either.
            let end = i + (oe - os);
            let raw = &folded[i..end];
            let (norm, obfuscated) = if plain {
                (norm_of(padded, i, end), false)
            } else {
                normalise_word(raw)
            };
            singles.next(if plain { raw.len() == 1 } else { is_one_char(&norm) });
            out.push(Token {
                kind: TokenKind::Word,
                span: Span::new(os, oe),
                fspan: Span::new(i, end),
                norm,
                case,
                letters,
                space_before,
                obfuscated,
            });
            (i, space_before) = step_over_space(b, end);
            continue;
        }
        // Set for a word of ASCII letters and apostrophes with no letter
        // tripled: its norm is its folded text.
        let mut plain_word = false;
        let (kind, end) = if let Some(end) = url {
            (TokenKind::Url, end)
        } else if let Some(end) = email {
            (TokenKind::Email, end)
        } else if c == b'@' && !prev_alnum {
            match scan_handle(folded, i + 1) {
                Some(end) => (TokenKind::Mention, end),
                None => (TokenKind::Punct, i + 1),
            }
        } else if c == b'#' && !prev_alnum {
            match scan_hashtag(folded, i + 1) {
                Some(end) => (TokenKind::Hashtag, end),
                None => (TokenKind::Punct, i + 1),
            }
        } else if c.is_ascii_digit() {
            scan_number(folded, i)
        } else if ch.is_alphabetic() {
            let (end, plain) = scan_word(folded, i);
            plain_word = plain;
            (TokenKind::Word, end)
        } else if is_emoji(ch) {
            (TokenKind::Emoji, scan_emoji(folded, i))
        } else {
            (TokenKind::Punct, i + ch.len_utf8())
        };
        // A token never splits the expansion of one original character
        // (`…` folds to `...`, `ﬁ` to `fi`): extend it to the whole of it,
        // so that tokens' original spans never overlap.
        let mut end = end;
        while !ASCII && end < b.len() && f.original(end - 1) == f.original(end) {
            end += folded[end..].chars().next().map_or(1, char::len_utf8);
            plain_word = false;
        }
        let (os, oe) = if ASCII {
            (i, end)
        } else {
            f.original_range(i, end, original)
        };
        let raw = &folded[i..end];
        let (norm, obfuscated) = match kind {
            TokenKind::Word if !plain_word => normalise_word(raw),
            _ => (norm_of(padded, i, end), false),
        };
        singles.next(kind == TokenKind::Word && if plain_word { raw.len() == 1 } else { is_one_char(&norm) });
        let (case, letters) = match kind {
            // Digits, separators or one ASCII symbol: no letters.
            TokenKind::Number | TokenKind::Punct if ASCII => (Case::None, LetterCounts::default()),
            _ => case_of(original, os, oe),
        };
        out.push(Token {
            kind,
            span: Span::new(os, oe),
            fspan: Span::new(i, end),
            norm,
            case,
            letters,
            space_before,
            obfuscated,
        });
        (i, space_before) = step_over_space(b, end);
    }
    if singles.spaced {
        merge_spaced_letters(&mut out, original);
    }
    out
}

/// Where the tokenizer goes on after a token that ends at `end`, and
/// whether whitespace comes before what is there: past one space, if one
/// follows (most tokens), with no branch. (The loop's test for whitespace
/// was true after one token and false after the next, as words and marks
/// glued to them alternate, and was mispredicted about once a token in
/// ten; now it nearly always fails.)
#[inline(always)]
fn step_over_space(b: &[u8], end: usize) -> (usize, bool) {
    let space = b.get(end).is_some_and(|&c| c == b' ');
    (end + usize::from(space), space)
}

/// Single-letter words in a row so far, and whether three came in a row:
/// only then can `s h i t` need merging.
#[derive(Default)]
struct SingleLetters {
    run: usize,
    spaced: bool,
}

impl SingleLetters {
    /// Takes the next token: a one-letter word or anything else.
    #[inline]
    fn next(&mut self, one_letter_word: bool) {
        // With no branch: one-letter words come and go from token to token.
        // (Passed through `black_box` so that it is a value: the compiler
        // otherwise branched on the word's length where it was worked out,
        // mispredicted about twice a post.)
        let one = std::hint::black_box(one_letter_word);
        self.run = (self.run + 1) * usize::from(one);
        self.spaced |= self.run >= 3;
    }
}

thread_local! {
    /// The token vector of the last analysis dropped on this thread, empty,
    /// for the next one to fill. Allocating a fresh one per post cost more
    /// than tokenizing: it is the largest allocation of an analysis (72
    /// bytes a token, a token every five bytes or so), and the allocator
    /// often handed it pages just returned to the system, which the kernel
    /// had to clear again.
    static SPARE_TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

/// The spare token vector of this thread (see [`SPARE_TOKENS`]), or a new
/// one.
fn spare_tokens() -> Vec<Token> {
    SPARE_TOKENS.try_with(Cell::take).unwrap_or_default()
}

/// Keeps `tokens`, emptied, for the next analysis on this thread, unless
/// it is very large.
pub(crate) fn recycle_tokens(mut tokens: Vec<Token>) {
    if tokens.capacity() <= 1 << 16 {
        tokens.clear();
        // (Fails only while the thread is exiting; the vector is freed.)
        let _ = SPARE_TOKENS.try_with(|spare| spare.set(tokens));
    }
}

/// `s[start..end]` as a token's norm.
///
/// A [`CompactString`] of up to 24 bytes is kept inline, copied in by a
/// `memcpy` of its length, whose branches on the length (under four bytes,
/// under eight, under sixteen...) change from token to token: they were
/// mispredicted about once every other token, a third of all `memcpy`'s
/// mispredictions in a check. So where `s` has 24 bytes from `start` (the
/// tokenizer passes the folded text padded with spaces, so that every
/// token has them), all 24 are copied, a copy of fixed size and no branch,
/// and the string is cut back to the token.
#[inline]
fn norm_of(s: &str, start: usize, end: usize) -> CompactString {
    const INLINE: usize = std::mem::size_of::<CompactString>();
    if end - start <= INLINE
        && let Some(window) = s.get(start..start + INLINE)
    {
        let mut norm = CompactString::from(window);
        norm.truncate(end - start);
        return norm;
    }
    CompactString::from(&s[start..end])
}

fn is_one_char(s: &str) -> bool {
    s.len() <= 4 && s.chars().count() == 1
}

/// Answers "does `.` (or `@`) occur between position `i` and the next
/// ASCII whitespace, and where?" for the tokenizer, which asks at most
/// token starts.
///
/// It holds one bit per byte of the folded text for each of `.`, `@` and
/// the bytes that end a run (ASCII whitespace, and the text's end), made
/// in one pass eight bytes at a time with no branch on the text. An answer
/// is then the first set bit at or after `i` among those of the mark and
/// the run ends, read from a window of 64 bits: no branch but a
/// nearly never taken one for a run of over 64 bytes with neither. (It
/// replaced a cursor per byte that kept the next occurrence and moved on
/// with a `memchr` each time it was passed: that search's branches on the
/// distance, and the cursor's on whether it was passed, were mispredicted
/// some thirty times a post.)
///
/// For an ASCII text it also holds where its letters are, for
/// [`ascii_word`]'s answers with no loop over the word: one bit per byte
/// for its ASCII letters, its upper-case ones, and the bytes equal
/// (ignoring case) to both bytes before them. A word's length is then the
/// run of letter bits from its start, its upper-case letters a count of
/// bits, and whether a letter comes three times in a row one test, read
/// from a window of 64 bits (see [`Marks::word_at`]). (The loop of
/// [`ascii_word`] over eight bytes at a time was ended at a word's end, a
/// branch mispredicted for about one word in six, those of eight letters
/// or more.)
struct Marks {
    /// Per 64 bytes of the text (and one block more, so that a window
    /// never reads past the end): the bits of `.`, of `@`, of run ends,
    /// of letters, of upper-case letters and of letters tripled, at
    /// [`DOT`], [`AT`], [`ENDS`], [`LETTER`], [`UPPER`] and [`TRIPLE`].
    blocks: Vec<[u64; 6]>,
}

/// The mark of a `.` in [`Marks`], and of an `@`.
const DOT: usize = 0;
const AT: usize = 1;
/// Where [`Marks`] keeps the run ends.
const ENDS: usize = 2;
/// The bits of [`Marks`] of ASCII letters, of upper-case ones, and of
/// bytes equal, ignoring case, to the two before them.
const LETTER: usize = 3;
const UPPER: usize = 4;
const TRIPLE: usize = 5;

thread_local! {
    /// The blocks of the last [`Marks`] on this thread, for the next to
    /// fill.
    static SPARE_MARKS: Cell<Vec<[u64; 6]>> = const { Cell::new(Vec::new()) };
}

impl Marks {
    /// The marks of `b`, with its letters' when `LETTERS` (for an ASCII
    /// text: a text with other characters never reads them).
    fn new<const LETTERS: bool>(b: &[u8]) -> Marks {
        let mut blocks = SPARE_MARKS.try_with(Cell::take).unwrap_or_default();
        blocks.clear();
        blocks.resize(b.len() / 64 + 2, [0; 6]);
        // The eight bytes before the chunk (zeros before the text).
        let mut before = 0u64;
        let mut chunks = b.chunks_exact(8);
        let mut k = 0;
        for w in &mut chunks {
            let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
            mark_chunk::<LETTERS>(&mut blocks[k / 8], k % 8, x, before);
            before = x;
            k += 1;
        }
        // The last bytes, zero-padded (a zero byte is no mark).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let x = rest.iter().rev().fold(0u64, |x, &c| (x << 8) | u64::from(c));
            mark_chunk::<LETTERS>(&mut blocks[k / 8], k % 8, x, before);
        }
        let n = b.len();
        blocks[n / 64][ENDS] |= 1 << (n % 64);
        Marks { blocks }
    }

    /// The first `.` at or after `i` with no ASCII whitespace before it
    /// from `i`, if any, and whether there is such an `@`: what
    /// [`Marks::in_run`] says of each, from the same reads, with no branch
    /// but a nearly never taken one.
    #[inline(always)]
    fn dot_and_at(&self, i: usize) -> (Option<usize>, bool) {
        let (w, off) = (i / 64, i % 64);
        let (low, high) = (self.blocks[w], self.blocks[w + 1]);
        // The 64 bits from `i` of each (a `u128` so that a shift by `off`
        // of 0 is defined).
        let window = |m: usize| ((u128::from(high[m]) << 64 | u128::from(low[m])) >> off) as u64;
        let (dots, ats, ends) = (window(DOT), window(AT), window(ENDS));
        let (to_dot, to_at) = (dots | ends, ats | ends);
        if (to_dot == 0) | (to_at == 0) {
            return (self.in_run(DOT, i), self.in_run(AT, i).is_some());
        }
        // The mark comes first when the lowest bit of its stops is its own.
        let dot = dots & to_dot & to_dot.wrapping_neg() != 0;
        let at = ats & to_at & to_at.wrapping_neg() != 0;
        (dot.then_some(i + to_dot.trailing_zeros() as usize), at)
    }

    /// The first `mark` ([`DOT`] or [`AT`]) at or after `i` with no ASCII
    /// whitespace before it from `i`, if any.
    #[inline(never)]
    fn in_run(&self, mark: usize, i: usize) -> Option<usize> {
        let (w, off) = (i / 64, i % 64);
        let stops = |k: usize| self.blocks[k][mark] | self.blocks[k][ENDS];
        // The 64 bits from `i` (a `u128` so that a shift by `off` of 0 is
        // defined).
        let window = ((u128::from(stops(w + 1)) << 64 | u128::from(stops(w))) >> off) as u64;
        let at = if window != 0 {
            i + window.trailing_zeros() as usize
        } else {
            // A run of over 64 bytes with no mark (nearly never): on to
            // the first stop from `i + 64` (the text's end is one).
            let mut k = w + 1;
            let mut bits = stops(k) & (u64::MAX << off);
            while bits == 0 {
                k += 1;
                bits = stops(k);
            }
            64 * k + bits.trailing_zeros() as usize
        };
        (self.blocks[at / 64][mark] >> (at % 64) & 1 != 0).then_some(at)
    }
}

/// Sets the bits of [`Marks`] in `block` of the eight bytes of `x`, the
/// `k`th eight of the block, after the eight of `before` (those of the
/// letters only when `LETTERS`). (Inlined: as a closure called once a
/// chunk it was not, and cost a call every eight bytes.)
#[inline(always)]
fn mark_chunk<const LETTERS: bool>(block: &mut [u64; 6], k: usize, x: u64, before: u64) {
    let shift = 8 * k;
    let [dots, ats, ends] = marks_of(x);
    let [letters, upper, tripled] = if LETTERS { letters_of(x, before) } else { [0; 3] };
    for (bits, m) in block.iter_mut().zip([dots, ats, ends, letters, upper, tripled]) {
        *bits |= m << shift;
    }
}

/// The bits of the `.`s, the `@`s and the run ends (see [`Marks`]) of the
/// eight bytes of `x`, read as a little-endian number: the first byte's
/// the lowest, in the order of [`DOT`], [`AT`] and [`ENDS`].
#[inline(always)]
fn marks_of(x: u64) -> [u64; 3] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = !LOW7;
    // The high bit of each byte of `x` equal to `c` (exactly: no carry
    // crosses a byte, as the low seven bits are added alone).
    let eq = |c: u8| {
        let y = x ^ (u64::from(c) * ONES);
        !(((y & LOW7) + LOW7) | y | LOW7)
    };
    // ASCII whitespace: a space, or a byte from 9 to 13 but the vertical
    // tab, 11 (as `u8::is_ascii_whitespace`). For bytes below 0x80, adding
    // `0x80 - k` to each sets its high bit exactly when the byte is at
    // least `k`, with no carry into the next.
    let x7 = x & LOW7;
    let at_least = |k: u8| (x7 + u64::from(0x80 - k) * ONES) & HIGH;
    let controls = at_least(9) & !at_least(14) & !x & HIGH;
    let ends = eq(b' ') | (controls & !eq(0x0B));
    // The high bits as eight bits, the first byte's lowest.
    let gather = |m: u64| (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    [gather(eq(b'.')), gather(eq(b'@')), gather(ends)]
}

impl Drop for Marks {
    fn drop(&mut self) {
        if self.blocks.capacity() <= 1 << 12 {
            let blocks = std::mem::take(&mut self.blocks);
            // (Fails only while the thread is exiting.)
            let _ = SPARE_MARKS.try_with(|s| s.set(blocks));
        }
    }
}

/// ASCII letters, digits and `_`: the ASCII bytes of [`is_word_char`].
const WORD_BYTE: [bool; 256] = alphanumeric_and(b'_');

/// A table of the ASCII letters and digits and `extra`, by byte.
const fn alphanumeric_and(extra: u8) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == extra;
        c += 1;
    }
    t
}

fn prev_char(s: &str, i: usize) -> char {
    s[..i].chars().next_back().unwrap_or(' ')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Characters that may stand for a letter inside a word.
fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '@' | '4' => 'a',
        '3' => 'e',
        '1' | '!' | '|' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '7' => 't',
        '8' => 'b',
        _ => return None,
    })
}

fn is_mask(c: char) -> bool {
    matches!(c, '*' | '#')
}

/// A word: letters and apostrophes, with interior digits/symbols only when
/// letters surround them (so `4am` and `covid19` stay as they are) and
/// masking characters after a letter (`f***`, `sh*t`, `f**king`).
/// Returns the end and whether the word is plain: ASCII letters and
/// apostrophes with no letter three times in a row, which
/// [`normalise_word`] would leave as it is.
fn scan_word(s: &str, start: usize) -> (usize, bool) {
    let b = s.as_bytes();
    let mut end = start;
    let mut at = start;
    let mut plain = true;
    // The previous byte of the word and how many times in a row it came,
    // for the letter-tripled test.
    let mut prev = 0u8;
    let mut reps = 0u32;
    while at < b.len() {
        // ASCII letters, nearly every byte of a word, without decoding.
        let x = b[at];
        if x.is_ascii_alphabetic() {
            reps = if x == prev { reps + 1 } else { 1 };
            prev = x;
            plain &= reps < 3;
            at += 1;
            end = at;
            continue;
        }
        let c = if b[at].is_ascii() {
            char::from(b[at])
        } else {
            s[at..].chars().next().unwrap_or(' ')
        };
        if c.is_alphabetic() || is_combining(c) {
            at += c.len_utf8();
            end = at;
            plain = false;
            continue;
        }
        let rest = &s[at..];
        if c == '\'' {
            // An apostrophe inside a word: don't, o'brien.
            if rest[1..].chars().next().is_some_and(char::is_alphabetic) {
                at += 1;
                prev = b'\'';
                continue;
            }
            break;
        }
        if is_leet_or_mask(c) {
            // Look ahead: the run of such characters must be followed by a
            // letter (interior), or for masks may end the word (`f***`).
            // They are all ASCII, so the run is counted in bytes.
            let run_len = rest.bytes().take_while(|&d| is_leet_or_mask(char::from(d))).count();
            let run = &rest.as_bytes()[..run_len];
            let after = rest[run_len..].chars().next();
            let interior = after.is_some_and(char::is_alphabetic);
            let masked = run.iter().all(|&d| is_mask(char::from(d))) && run.contains(&b'*');
            if interior || (masked && !after.is_some_and(char::is_alphanumeric)) {
                at += run_len;
                end = at;
                plain = false;
                continue;
            }
            break;
        }
        break;
    }
    let first = start + b.get(start).map_or(1, |&lead| crate::fold::utf8_len(lead));
    (end.max(first), plain)
}

/// The word of ASCII letters (and apostrophes between letters) at
/// `o[start..]` in the original text, with its case and letters counted in
/// the same pass: its end and whether it is plain, as [`scan_word`] would
/// find them in the folded text, or `None` when `o[start]` is not an ASCII
/// letter, or a character that may stand for a letter, or any non-ASCII
/// one, follows the word (then [`scan_word`] must decide whether the word
/// goes on). A run of ASCII is folded byte for byte, lower-cased, so the
/// word is the same in the folded text, one byte for one.
///
/// Inlined so that its result stays in registers: returned through memory
/// it was read back wider than it was written, a stall on every word.
///
/// It reads the word eight bytes at a time (see [`letter_run`]) and counts
/// its upper-case letters and finds a letter tripled in all eight at once,
/// so that the only branches are per eight bytes: a loop over the bytes
/// ended at the word's end, a branch mispredicted about once a word. Words
/// that need a closer look (an apostrophe, a leet or masking character or
/// a non-ASCII byte after the letters) go through [`ascii_word_bytewise`].
#[inline(always)]
fn ascii_word(o: &[u8], start: usize) -> Option<(usize, bool, (Case, LetterCounts))> {
    if !o.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut at = start;
    let mut upper = 0;
    let mut tripled = 0;
    // (Sixteen bytes a round, the second eight counted only if the first
    // eight were all letters, cut the mispredictions of this loop's test,
    // once a word of eight letters or more, by about six a post, for a
    // nearly three thousand instructions more a post, which cost more.)
    loop {
        let (run, up, triples) = letter_run(o, start, at);
        upper += up;
        tripled |= triples;
        at += run;
        if run < 8 {
            break;
        }
    }
    // `o[at]`, if any, ends the letters.
    if o.get(at).is_some_and(|&c| ENDS_WORD_SLOWLY[usize::from(c)]) {
        return ascii_word_bytewise(o, start);
    }
    let letters = (at - start) as u32;
    Some((
        at,
        tripled == 0,
        ascii_case(letters, upper, o[start].is_ascii_uppercase()),
    ))
}

/// Bytes after a word's ASCII letters that [`ascii_word_bytewise`] must
/// look at: an apostrophe (the word may go on), a character that may
/// stand for a letter or mask one, or a non-ASCII byte (the word may need
/// [`scan_word`]).
const ENDS_WORD_SLOWLY: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = !b.is_ascii()
            || b == b'\''
            || matches!(
                b,
                b'@' | b'4' | b'3' | b'1' | b'!' | b'|' | b'0' | b'$' | b'5' | b'7' | b'8' | b'*' | b'#'
            );
        c += 1;
    }
    t
};

/// The ASCII letters of `o` from `at` (in a word that starts at `start`)
/// within eight bytes, read as one `u64` (zero past the text's end, which
/// is no letter): how many there are in a row (8 if all eight are), their
/// upper-case ones, and a nonzero mask if one of them, at or after
/// `start + 2`, is the third of a letter in a row (ignoring case).
///
/// For bytes below 0x80, adding `0x80 - k` to each sets its high bit
/// exactly when the byte is at least `k`, with no carry into the next, so
/// a range of bytes is two additions and a mask (as in [`ascii_letters`]).
#[inline(always)]
fn letter_run(o: &[u8], start: usize, at: usize) -> (usize, u32, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = !HIGH;
    let at_least = |x: u64, k: u8| (x + u64::from(0x80 - k) * ONES) & HIGH;
    let x = match o.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        Some(w) => u64::from_le_bytes(w),
        // Fewer than eight bytes left in the text (once a post at most).
        None => o
            .get(at..)
            .unwrap_or(&[])
            .iter()
            .rev()
            .fold(0u64, |x, &c| (x << 8) | u64::from(c)),
    };
    let ascii = !x & HIGH;
    let x7 = x & LOW7;
    // Setting 0x20 lower-cases a letter and makes no other byte one.
    let lower = x7 | (0x20 * ONES);
    let letters = at_least(lower, b'a') & !at_least(lower, b'z' + 1) & ascii;
    let up = at_least(x7, b'A') & !at_least(x7, b'Z' + 1) & ascii;
    // The first byte that is no letter (`trailing_zeros` is 64 for none).
    let run = ((!letters & HIGH).trailing_zeros() / 8) as usize;
    let in_run = low_bytes(run) & HIGH;
    // The bytes one and two back: `x` shifted, with the bytes before `at`
    // (0 before the text, and of no account before the word: see `skip`).
    let byte = |back: usize| at.checked_sub(back).and_then(|i| o.get(i)).map_or(0, |&c| u64::from(c));
    let x1 = x << 8 | byte(1);
    let x2 = x << 16 | byte(1) << 8 | byte(2);
    // A byte equal, ignoring case, to both bytes before it: a zero byte of
    // `(v ^ v1) | (v ^ v2)`, found exactly by the high bit of
    // `!((y & LOW7) + LOW7 | y | LOW7)`. Only bytes at or after
    // `start + 2` count: the two before them are the word's.
    let (v, v1, v2) = (x | (0x20 * ONES), x1 | (0x20 * ONES), x2 | (0x20 * ONES));
    let y = (v ^ v1) | (v ^ v2);
    let same = !(((y & LOW7) + LOW7) | y | LOW7);
    let skip = (start + 2).saturating_sub(at).min(8);
    let triples = same & in_run & !low_bytes(skip);
    (run, count_high_bits(up & in_run), triples)
}

/// A mask of the low `n` bytes (`n` at most 8; a `u128` so that the shift
/// by 64 is defined).
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    ((1u128 << (8 * n)) - 1) as u64
}

impl Marks {
    /// What [`ascii_word`] answers for the word at `o[start]`, `o` being
    /// the text these marks were made from.
    #[inline(always)]
    fn word_at(&self, o: &[u8], start: usize) -> Option<(usize, bool, (Case, LetterCounts))> {
        let Some((run, mut upper, mut tripled)) = self.letters_at(start) else {
            return ascii_word_slowly(o, start);
        };
        let mut letters = run;
        let mut at = start + run;
        // `o[at]`, if any, ends the letters, but for an apostrophe between
        // letters (`don't`, `it's`, a word or two a post): the word goes
        // on with the letters after it. (They went through
        // [`ascii_word_bytewise`], whose loop over them was ended at the
        // word's end, a branch mispredicted about three times a post.) An
        // apostrophe stops a run of a letter tripled, and is no letter, as
        // there. Anything else that may not end a word is left to
        // [`ascii_word_bytewise`].
        while o.get(at).is_some_and(|&c| ENDS_WORD_SLOWLY[usize::from(c)]) {
            if !(o[at] == b'\'' && o.get(at + 1).is_some_and(u8::is_ascii_alphabetic)) {
                return ascii_word_bytewise(o, start);
            }
            let Some((run, up, triple)) = self.letters_at(at + 1) else {
                return ascii_word_slowly(o, start);
            };
            letters += run;
            upper += up;
            tripled |= triple;
            at += 1 + run;
        }
        Some((
            at,
            !tripled,
            ascii_case(letters as u32, upper, o[start].is_ascii_uppercase()),
        ))
    }

    /// The run of letters at `at`: how many there are, how many of them
    /// are upper case, and whether one of them, after the first two, is a
    /// letter tripled. `None` for no letter there (never where
    /// [`Marks::word_at`] asks) or a run of 64 letters or more (nearly
    /// never), left to [`ascii_word`].
    #[inline(always)]
    fn letters_at(&self, at: usize) -> Option<(usize, u32, bool)> {
        let (w, off) = (at / 64, at % 64);
        let (Some(low), Some(high)) = (self.blocks.get(w), self.blocks.get(w + 1)) else {
            return None;
        };
        // The 64 bits from `at` of each (a `u128` so that a shift by `off`
        // of 0 is defined).
        let window = |m: usize| ((u128::from(high[m]) << 64 | u128::from(low[m])) >> off) as u64;
        let run = window(LETTER).trailing_ones() as usize;
        if (run == 0) | (run == 64) {
            return None;
        }
        let in_run = (1u64 << run) - 1;
        let upper = (window(UPPER) & in_run).count_ones();
        // A letter tripled: the third of three in a row, the two before
        // it in the run (and, after an apostrophe, the apostrophe is
        // neither).
        let tripled = window(TRIPLE) & in_run & !3 != 0;
        Some((run, upper, tripled))
    }
}

/// [`ascii_word`], not inlined, for the words [`Marks::word_at`] leaves
/// to it.
#[inline(never)]
fn ascii_word_slowly(o: &[u8], start: usize) -> Option<(usize, bool, (Case, LetterCounts))> {
    ascii_word(o, start)
}

/// The bits of the letters, the upper-case letters and the bytes equal,
/// ignoring case, to both bytes before them (see [`Marks`]) of the eight
/// bytes of `x`, read as a little-endian number, the eight before them
/// being `before`: the first byte's the lowest, in the order of
/// [`LETTER`], [`UPPER`] and [`TRIPLE`].
#[inline(always)]
fn letters_of(x: u64, before: u64) -> [u64; 3] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = !HIGH;
    // For bytes below 0x80, adding `0x80 - k` to each sets its high bit
    // exactly when the byte is at least `k`, with no carry into the next
    // (as in [`letter_run`]).
    let at_least = |x: u64, k: u8| (x + u64::from(0x80 - k) * ONES) & HIGH;
    let ascii = !x & HIGH;
    let x7 = x & LOW7;
    // Setting 0x20 lower-cases a letter and makes no other byte one.
    let lower = x7 | (0x20 * ONES);
    let letters = at_least(lower, b'a') & !at_least(lower, b'z' + 1) & ascii;
    let up = at_least(x7, b'A') & !at_least(x7, b'Z' + 1) & ascii;
    // The bytes one and two back, ignoring case, and a byte equal to both:
    // a zero byte of `(v ^ v1) | (v ^ v2)`, found exactly by the high bit
    // of `!((y & LOW7) + LOW7 | y | LOW7)`.
    let (x1, x2) = (x << 8 | before >> 56, x << 16 | before >> 48);
    let (v, v1, v2) = (x | (0x20 * ONES), x1 | (0x20 * ONES), x2 | (0x20 * ONES));
    let y = (v ^ v1) | (v ^ v2);
    let same = !(((y & LOW7) + LOW7) | y | LOW7);
    // The high bits as eight bits, the first byte's lowest.
    let gather = |m: u64| (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    [gather(letters), gather(up), gather(same)]
}

/// [`ascii_word`] a byte at a time.
#[inline(never)]
fn ascii_word_bytewise(o: &[u8], start: usize) -> Option<(usize, bool, (Case, LetterCounts))> {
    if !o.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut at = start;
    let mut upper = 0;
    let mut letters = 0;
    // The previous byte (a letter lower-cased, or an apostrophe) and how
    // many times in a row it came, as in [`scan_word`].
    let mut prev = 0u8;
    let mut reps = 0u32;
    let mut plain = true;
    while let Some(&c) = o.get(at) {
        // Setting 0x20 lower-cases a letter and makes no other byte one.
        let l = c | 0x20;
        if !l.is_ascii_lowercase() {
            if c == b'\'' {
                match o.get(at + 1) {
                    // An apostrophe inside a word: don't, o'brien.
                    Some(n) if n.is_ascii_alphabetic() => {
                        prev = c;
                        at += 1;
                        continue;
                    }
                    // A letter that folds to ASCII (`l'é`) goes on too.
                    Some(n) if !n.is_ascii() => return None,
                    _ => break,
                }
            }
            if !c.is_ascii() || is_leet_or_mask(char::from(c)) {
                return None;
            }
            break;
        }
        upper += u32::from(c < b'a');
        letters += 1;
        reps = if l == prev { reps + 1 } else { 1 };
        prev = l;
        plain &= reps < 3;
        at += 1;
    }
    let first_upper = o.get(start).is_some_and(u8::is_ascii_uppercase);
    Some((at, plain, ascii_case(letters, upper, first_upper)))
}

/// The case and letter counts of an ASCII word of `letters` letters,
/// `upper` of them upper case (every ASCII letter is cased and alphabetic).
fn ascii_case(letters: u32, upper: u32, first_upper: bool) -> (Case, LetterCounts) {
    let tally = CaseTally {
        upper,
        lower: letters - upper,
        first_upper,
        upper_after_first: upper - u32::from(first_upper),
    };
    let (case, upper, cased) = tally.finish();
    let counts = LetterCounts {
        upper,
        cased,
        alphabetic: cased,
    };
    (case, counts)
}

/// A character that may stand for a letter or mask one (all ASCII; a
/// non-ASCII byte read as a `char` is never one).
fn is_leet_or_mask(c: char) -> bool {
    leet_letter(c).is_some() || is_mask(c)
}

fn is_combining(c: char) -> bool {
    // No ASCII character is a combining mark: skip the table lookup for
    // the space or punctuation that ends nearly every word.
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Normalises a word: leet letters replaced, runs of three or more of the
/// same letter collapsed to one, masks kept as `*`.
fn normalise_word(raw: &str) -> (CompactString, bool) {
    // Most words are plain ASCII letters (and apostrophes) with no letter
    // tripled: their norm is the word itself.
    let b = raw.as_bytes();
    let plain = b
        .iter()
        .enumerate()
        .all(|(k, &c)| (c.is_ascii_alphabetic() && !(k >= 2 && b[k - 1] == c && b[k - 2] == c)) || c == b'\'');
    if plain {
        return (CompactString::from(raw), false);
    }
    let mut out = CompactString::with_capacity(raw.len());
    let mut obf = false;
    let mut prev: Option<char> = None;
    let mut run = 0usize;
    for c in raw.chars() {
        let c = if c.is_alphabetic() || c == '\'' {
            c
        } else if is_mask(c) {
            obf = true;
            '*'
        } else if let Some(l) = leet_letter(c) {
            obf = true;
            l
        } else {
            c
        };
        if Some(c) == prev && c.is_alphabetic() {
            run += 1;
        } else {
            run = 1;
        }
        prev = Some(c);
        out.push(c);
        if run == 3 {
            // Collapse: remove the two previous copies; further copies are
            // skipped below.
            out.pop();
            out.pop();
            obf = true;
        } else if run > 3 {
            out.pop();
        }
    }
    (out, obf)
}

fn scan_number(s: &str, start: usize) -> (TokenKind, usize) {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() {
        let interior_separator =
            matches!(b[i], b'.' | b',' | b':' | b'/') && i + 1 < b.len() && b[i + 1].is_ascii_digit();
        if b[i].is_ascii_digit() || interior_separator {
            i += 1;
        } else {
            break;
        }
    }
    // A word glued to the digits with interior leet (`p4tient` starts with a
    // letter, so only the digits-first case matters here): `4am` stays a
    // number followed by a word.
    (TokenKind::Number, i)
}

fn scan_handle(s: &str, start: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
        i += 1;
    }
    while i > start && b[i - 1] == b'.' {
        i -= 1;
    }
    (i > start && b[start..i].iter().any(u8::is_ascii_alphabetic)).then_some(i)
}

fn scan_hashtag(s: &str, start: usize) -> Option<usize> {
    let mut end = start;
    let mut letter = false;
    for (off, c) in s[start..].char_indices() {
        if c.is_alphanumeric() || c == '_' || is_combining(c) {
            letter |= c.is_alphabetic();
            end = start + off + c.len_utf8();
        } else {
            break;
        }
    }
    (letter && end > start).then_some(end)
}

/// Top-level domains accepted for bare (scheme-less) addresses. A bare
/// `word.word` is only a link when it ends in one of these, so that
/// `e.g.` or `Dr.Smith` are not mistaken for one.
const BARE_TLDS: &[&str] = &[
    "com", "org", "net", "info", "io", "co", "uk", "au", "nz", "ca", "in", "ie", "us", "eu", "gov", "edu", "ly", "to",
    "gl", "me", "ai", "app", "dev", "health", "news", "site", "online", "xyz", "tv", "be", "de", "fr", "es", "it",
    "nl", "link", "page", "care", "clinic", "org.uk", "gd", "at", "cc", "ws", "su", "biz", "blog", "shop", "store",
    "live", "life", "top", "click",
];

/// A quick test that [`scan_url`] may find an address at `b[start..]`,
/// given the first `.` at or after `start` (in the same run) at `dot`:
/// without a scheme or `www.`, the host's labels are ASCII letters, digits
/// and hyphens, so the bytes up to that `.` must be, and a label must
/// follow it. (Most runs with a `.` are a word at the end of a sentence,
/// which this turns away without scanning.) `padded` is `b` followed by at
/// least 16 bytes (see [`all_label`]).
fn may_be_url(b: &[u8], padded: &[u8], start: usize, dot: usize) -> bool {
    let rest = &b[start..];
    rest.starts_with(b"http://")
        || rest.starts_with(b"https://")
        || rest.starts_with(b"www.")
        || (all_label(padded, start, dot) && b.get(dot + 1).is_some_and(|&c| LABEL_BYTE[usize::from(c)]))
}

/// The bytes of a host's label: ASCII letters, digits and `-`.
const LABEL_BYTE: [bool; 256] = alphanumeric_and(b'-');

/// Whether `b[start..end]` is all [`LABEL_BYTE`]s, `padded` being `b`
/// followed by at least 16 bytes.
///
/// Up to 16 bytes (nearly every word before a `.`) are tested in a loop
/// of 16 steps, the bytes past `end` counted as labels: a loop of a fixed
/// length, where one that stopped at `end` ended after as many steps as
/// the word has letters, mispredicted about once a run with a `.`.
#[inline]
fn all_label(padded: &[u8], start: usize, end: usize) -> bool {
    let n = end - start;
    if n <= 16
        && let Some(window) = padded.get(start..start + 16)
    {
        let mut ok = true;
        for (k, &c) in window.iter().enumerate() {
            ok &= (k >= n) | LABEL_BYTE[usize::from(c)];
        }
        return ok;
    }
    padded[start..end].iter().all(|&c| LABEL_BYTE[usize::from(c)])
}

fn scan_url(s: &str, start: usize) -> Option<usize> {
    let rest = &s[start..];
    let has_scheme = rest.starts_with("http://") || rest.starts_with("https://");
    let www = rest.starts_with("www.");
    let first = rest.chars().next()?;
    if !has_scheme && !www && !first.is_ascii_alphanumeric() {
        return None;
    }
    // The candidate runs to the next whitespace.
    let mut end = start
        + rest
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .map_or(rest.len(), |(o, _)| o);
    // Strip trailing punctuation that belongs to the sentence.
    loop {
        let last = s[start..end].chars().next_back()?;
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => s[start..end].matches('(').count() < s[start..end].matches(')').count(),
            _ => !last.is_ascii() && !last.is_alphanumeric(),
        };
        if strip {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let cand = &s[start..end];
    if has_scheme {
        return (cand.len() > 8).then_some(end);
    }
    // Host part: up to the first '/', '?' or '#'.
    let host_end = cand.find(['/', '?', '#']).unwrap_or(cand.len());
    let host = &cand[..host_end];
    if host.contains('@') || !host.contains('.') {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels
        .iter()
        .any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if !BARE_TLDS.contains(&tld) || tld.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // `word.com` with nothing after is accepted; `u.s` style abbreviations
    // are excluded by requiring the second-level label to have 2+ chars.
    if labels[labels.len() - 2].len() < 2 {
        return None;
    }
    Some(start + cand.len())
}

fn scan_email(s: &str, start: usize) -> Option<usize> {
    let rest = &s[start..];
    let local_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-'))
        .count();
    if local_len == 0 || rest.as_bytes().get(local_len) != Some(&b'@') {
        return None;
    }
    let dom = &rest[local_len + 1..];
    let mut dom_len = dom
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        .count();
    while dom_len > 0 && matches!(dom.as_bytes()[dom_len - 1], b'.' | b'-') {
        dom_len -= 1;
    }
    let domain = &dom[..dom_len];
    let tld = domain.rsplit('.').next()?;
    (domain.contains('.') && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then_some(start + local_len + 1 + dom_len)
}

/// Emoji: pictographs, dingbats, symbols, regional indicators, keycaps.
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF
        | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x00A9 | 0x00AE
        | 0x2122 | 0x2139 | 0x25A0..=0x25FF | 0x2934 | 0x2935)
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0x1F3FB..=0x1F3FF | 0xFE0E | 0xFE0F | 0x20E3 | 0xE0020..=0xE007F)
}

fn scan_emoji(s: &str, start: usize) -> usize {
    let mut end = start;
    let mut joined = true;
    let mut regional = 0;
    for (off, c) in s[start..].char_indices() {
        let at = start + off;
        if joined && is_emoji(c) {
            if (0x1F1E6..=0x1F1FF).contains(&(c as u32)) {
                regional += 1;
                if regional > 2 {
                    break;
                }
            }
            end = at + c.len_utf8();
            joined = (0x1F1E6..=0x1F1FF).contains(&(c as u32)) && regional == 1;
        } else if is_emoji_modifier(c) {
            end = at + c.len_utf8();
        } else if c == '\u{200D}' {
            end = at + c.len_utf8();
            joined = true;
        } else {
            break;
        }
    }
    end.max(start + 1)
}

/// The case and letter counts of `text[start..end]`, a token's original
/// text.
fn case_of(text: &str, start: usize, end: usize) -> (Case, LetterCounts) {
    // Nearly every token is ASCII: count its letters eight bytes at a time
    // (then count again by characters if a byte is not ASCII).
    if let Some((upper, cased, first_upper)) = ascii_letters(text.as_bytes(), start, end) {
        // An ASCII letter is upper or lower case, so the letters are the
        // cased ones.
        let tally = CaseTally {
            upper,
            lower: cased - upper,
            first_upper,
            upper_after_first: upper - u32::from(first_upper),
        };
        let (case, upper, cased) = tally.finish();
        return (
            case,
            LetterCounts {
                upper,
                cased,
                alphabetic: cased,
            },
        );
    }
    let s = text.get(start..end).unwrap_or("");
    let mut tally = CaseTally::default();
    let mut alphabetic = 0;
    for c in s.chars() {
        alphabetic += u32::from(c.is_alphabetic());
        tally.add(c.is_uppercase(), c.is_lowercase());
    }
    let (case, upper, cased) = tally.finish();
    (
        case,
        LetterCounts {
            upper,
            cased,
            alphabetic,
        },
    )
}

/// `b[start..end]`'s upper-case letters, its letters, and whether its first
/// letter is upper case, when it is all ASCII.
///
/// It reads eight bytes at a time as a `u64` (bytes past `end` masked to
/// zero, which is no letter) and tests all eight at once: for bytes below
/// 0x80, adding `0x80 - k` to each sets its high bit exactly when the byte
/// is at least `k`, with no carry into the next byte, so a range of bytes
/// is two additions and a mask, and the count is a popcount.
fn ascii_letters(b: &[u8], start: usize, end: usize) -> Option<(u32, u32, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte that is at least `k` (for bytes below 0x80).
    let at_least = |x: u64, k: u8| (x + u64::from(0x80 - k) * ONES) & HIGH;
    let (mut upper, mut cased) = (0u32, 0u32);
    let mut first_upper = None;
    let mut at = start;
    while at < end {
        let n = (end - at).min(8);
        let x = match b.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            Some(w) => u64::from_le_bytes(w),
            // Fewer than eight bytes left in the text.
            None => b.get(at..end)?.iter().rev().fold(0u64, |x, &c| (x << 8) | u64::from(c)),
        };
        let x = if n == 8 { x } else { x & ((1u64 << (8 * n)) - 1) };
        if x & HIGH != 0 {
            return None;
        }
        let up = at_least(x, b'A') & !at_least(x, b'Z' + 1);
        // Lower-cased (setting 0x20 maps A-Z onto a-z and no other byte
        // onto them).
        let l = x | (0x20 * ONES);
        let letters = at_least(l, b'a') & !at_least(l, b'z' + 1);
        upper += count_high_bits(up);
        cased += count_high_bits(letters);
        if first_upper.is_none() && letters != 0 {
            first_upper = Some((up >> letters.trailing_zeros()) & 1 == 1);
        }
        at += 8;
    }
    Some((upper, cased, first_upper.unwrap_or(false)))
}

/// The number of bytes of `mask` whose high bit is set (it has no other
/// bits set): one multiplication sums the bytes' bits into the top byte,
/// where `count_ones` would be a dozen instructions on CPUs without
/// `popcnt` (the baseline x86-64 that primum is built for).
fn count_high_bits(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// The letters of a token by case, counted one at a time.
#[derive(Default)]
struct CaseTally {
    upper: u32,
    lower: u32,
    first_upper: bool,
    upper_after_first: u32,
}

impl CaseTally {
    fn add(&mut self, is_upper: bool, is_lower: bool) {
        if is_upper {
            let seen = self.upper + self.lower > 0;
            self.first_upper |= !seen;
            self.upper_after_first += u32::from(seen);
            self.upper += 1;
        } else if is_lower {
            self.lower += 1;
        }
    }

    /// The case of the token, with the number of upper-case letters and of
    /// cased letters.
    ///
    /// The case is looked up in [`CASES`] by four bits computed with no
    /// branch: a `match` on the counts took a branch per test, on what
    /// changes from token to token (lower, title, upper), and was
    /// mispredicted about once a token.
    #[inline]
    fn finish(&self) -> (Case, u32, u32) {
        let index = usize::from(self.upper > 0)
            | usize::from(self.lower > 0) << 1
            | usize::from(self.upper >= 2) << 2
            | usize::from(self.first_upper & (self.upper_after_first <= 1)) << 3;
        (CASES[index], self.upper, self.upper + self.lower)
    }
}

/// The case of a token by four bits of its letters: 1, some upper case;
/// 2, some lower case; 4, two upper case or more; 8, the first letter is
/// upper case and at most one other is.
const CASES: [Case; 16] = {
    let mut t = [Case::None; 16];
    let mut i = 0;
    while i < 16 {
        let (upper, lower, two, title) = (i & 1 != 0, i & 2 != 0, i & 4 != 0, i & 8 != 0);
        t[i] = match (upper, lower) {
            (false, false) => Case::None,
            (false, true) => Case::Lower,
            (true, false) if two => Case::Upper,
            (true, false) => Case::Title,
            (true, true) if title => Case::Title,
            (true, true) => Case::Mixed,
        };
        i += 1;
    }
    t
};

/// `s h i t` -> one word `shit`: three or more single letters, each
/// separated by exactly one space, become one obfuscated token.
fn merge_spaced_letters(tokens: &mut Vec<Token>, original: &str) {
    let single = |t: &Token| t.kind == TokenKind::Word && is_one_char(&t.norm);
    let mut i = 0;
    while i < tokens.len() {
        if !single(&tokens[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len()
            && single(&tokens[j])
            && tokens[j].space_before
            && original.get(tokens[j - 1].span.end..tokens[j].span.start) == Some(" ")
        {
            j += 1;
        }
        if j - i >= 3 {
            let norm: CompactString = tokens[i..j].iter().map(|t| t.norm.as_str()).collect();
            let merged = Token {
                kind: TokenKind::Word,
                span: Span::new(tokens[i].span.start, tokens[j - 1].span.end),
                fspan: Span::new(tokens[i].fspan.start, tokens[j - 1].fspan.end),
                norm,
                case: tokens[i].case,
                letters: tokens[i..j]
                    .iter()
                    .fold(LetterCounts::default(), |n, t| n.add(t.letters)),
                space_before: tokens[i].space_before,
                obfuscated: true,
            };
            tokens.splice(i..j, std::iter::once(merged));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::Analysis;

    use super::TokenKind::*;

    /// [`all_label`] against the test it stands for, on words shorter
    /// and longer than its window.
    #[test]
    fn all_label_is_every_byte_a_label() {
        let texts = [
            "nhs.uk",
            "my-gp.co",
            "a_b.c",
            "x",
            "",
            "www.",
            "dr.smith",
            "abcdefghijklmnop.q",
            "abcdefghijklmnopq.r",
            "abcdefghij-lmno_.x",
            "héllo.fr",
        ];
        for t in texts {
            let mut padded = t.as_bytes().to_vec();
            padded.extend_from_slice(&[b' '; 24]);
            for end in 0..=t.len() {
                for start in 0..=end {
                    let want = t.as_bytes()[start..end]
                        .iter()
                        .all(|c| c.is_ascii_alphanumeric() || *c == b'-');
                    assert_eq!(all_label(&padded, start, end), want, "{t:?} {start}..{end}");
                }
            }
        }
    }
    use super::*;

    fn toks(s: &str) -> Vec<(TokenKind, String, String)> {
        let a = Analysis::new(s);
        a.tokens
            .iter()
            .map(|t| (t.kind, s[t.span.start..t.span.end].to_string(), t.norm.to_string()))
            .collect()
    }

    fn kinds(s: &str) -> Vec<(TokenKind, String)> {
        toks(s).into_iter().map(|(k, o, _)| (k, o)).collect()
    }

    #[test]
    fn urls_with_and_without_scheme() {
        let k = kinds("see https://www.nhs.uk/conditions/antibiotics/ and amzn.to/3xQf7Lm.");
        assert!(k.contains(&(Url, "https://www.nhs.uk/conditions/antibiotics/".into())));
        assert!(k.contains(&(Url, "amzn.to/3xQf7Lm".into())));
        assert_eq!(k.last().unwrap(), &(Punct, ".".into()));
    }

    #[test]
    fn abbreviations_are_not_urls() {
        for s in ["e.g. this", "i.e. that", "Dr.Smith", "U.S. law", "3.5 mg"] {
            assert!(kinds(s).iter().all(|(k, _)| *k != Url), "{s}");
        }
    }

    #[test]
    fn emails_mentions_hashtags() {
        let k = kinds("mail claire.p1968@example.com or @kbay.parents #NHS #1 x#y");
        assert!(k.contains(&(Email, "claire.p1968@example.com".into())));
        assert!(k.contains(&(Mention, "@kbay.parents".into())));
        assert!(k.contains(&(Hashtag, "#NHS".into())));
        assert!(!k.contains(&(Hashtag, "#1".into())));
    }

    #[test]
    fn numbers_keep_interior_separators() {
        let k = kinds("₹1,50,000 at 03:10, 10/10 pain, 2.5 mg, 4am");
        assert!(k.contains(&(Number, "1,50,000".into())));
        assert!(k.contains(&(Number, "03:10".into())));
        assert!(k.contains(&(Number, "10/10".into())));
        assert!(k.contains(&(Number, "4".into())));
        assert!(k.contains(&(Word, "am".into())));
    }

    #[test]
    fn obfuscations_are_undone() {
        let t = toks("my p@tient is a f***ing sh1t, s h i t, Soooooo good");
        let norms: Vec<&str> = t.iter().map(|(_, _, n)| n.as_str()).collect();
        assert!(norms.contains(&"patient"), "{norms:?}");
        assert!(norms.contains(&"f***ing"));
        assert!(norms.contains(&"shit"));
        assert!(norms.contains(&"so"));
        assert!(norms.contains(&"good"));
        let spaced = t.iter().find(|(_, o, _)| o == "s h i t").unwrap();
        assert_eq!(spaced.2, "shit");
    }

    #[test]
    fn interior_digits_only() {
        let norms: Vec<String> = toks("covid19 b12 4am").into_iter().map(|t| t.2).collect();
        assert_eq!(norms, ["covid", "19", "b", "12", "4", "am"]);
    }

    #[test]
    fn emoji_sequences_are_one_token() {
        let k = kinds("done 🏃‍♀️ 👍🏽 🇵🇹!");
        let emoji: Vec<_> = k.iter().filter(|(k, _)| *k == Emoji).collect();
        assert_eq!(emoji.len(), 3, "{k:?}");
    }

    #[test]
    fn expansions_stay_in_one_token() {
        let k = kinds("“quote” — yes… ﬁne");
        assert!(k.contains(&(Punct, "…".into())), "{k:?}");
        assert!(k.contains(&(Word, "ﬁne".into())), "{k:?}");
        let a = Analysis::new("Wait… What? ok…");
        assert_eq!(a.sentences.len(), 3);
    }

    #[test]
    fn case_is_recorded() {
        let a = Analysis::new("Doreen SHOUTS quietly iPhone McAllister");
        let c: Vec<Case> = a.tokens.iter().map(|t| t.case).collect();
        assert_eq!(c, [Case::Title, Case::Upper, Case::Lower, Case::Mixed, Case::Title]);
    }

    /// The word reader that reads eight bytes at a time agrees with the
    /// one that reads a byte at a time, at every position of random texts
    /// over letters of both cases (many tripled), apostrophes, leet and
    /// masking characters, spaces and non-ASCII.
    #[test]
    fn words_read_by_eight_bytes_as_by_one() {
        const ALPHABET: &[u8] = b"aaaaaAAbBbcdezZ'  .,!1@*#-\xc3\xa9";
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = || rng.next();
        let mut words = 0;
        for _ in 0..20000 {
            let n = next() % 40;
            let s: Vec<u8> = (0..n)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            for i in 0..s.len() {
                let w = ascii_word(&s, i);
                assert_eq!(
                    w,
                    ascii_word_bytewise(&s, i),
                    "{:?} at {i}",
                    String::from_utf8_lossy(&s)
                );
                words += usize::from(w.is_some_and(|(end, _, _)| end - i >= 8));
            }
        }
        assert!(words > 1000, "{words} long words");
    }

    /// The words read from [`Marks`] are those [`ascii_word`] reads, at
    /// every letter of random texts up to 300 bytes long (so words cross
    /// blocks, and a few are 64 letters or more), over letters of both
    /// cases (many tripled), apostrophes, leet and masking characters,
    /// spaces and non-ASCII.
    #[test]
    fn words_read_from_marks_as_by_eight_bytes() {
        const ALPHABET: &[u8] = b"aaaaaaaaaaaaaaaaAAAbBbbbbcdezZZZZZ'  .,!1@*#-\xc3\xa9";
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d_u64);
        let mut next = || rng.next();
        // (A text in four nearly all letters, for long words.)
        const LETTERS: &[u8] = b"aaaaaaaAAAbBbbcdezZZ ";
        let mut long = 0;
        for _ in 0..3000 {
            let n = next() % 300;
            let alphabet = if next() % 4 == 0 { LETTERS } else { ALPHABET };
            let s: Vec<u8> = (0..n)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let marks = Marks::new::<true>(&s);
            for i in (0..s.len()).filter(|&i| s[i].is_ascii_alphabetic()) {
                let w = marks.word_at(&s, i);
                assert_eq!(w, ascii_word(&s, i), "{:?} at {i}", String::from_utf8_lossy(&s));
                long += usize::from(w.is_some_and(|(end, _, _)| end - i >= 64));
            }
        }
        assert!(long > 10, "{long} words of 64 letters or more");
    }

    /// [`Marks`] finds, at every position of random texts of every length
    /// up to 300 bytes (so runs cross blocks, and some are over 64 bytes),
    /// the first `.` or `@` before the next ASCII whitespace, as a plain
    /// search does.
    #[test]
    fn marks_find_the_next_mark_in_the_run() {
        let naive = |b: &[u8], c: u8, i: usize| {
            let at = i + b[i..].iter().position(|&x| x == c || x.is_ascii_whitespace())?;
            (b[at] == c).then_some(at)
        };
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d_u64);
        let mut next = || rng.next();
        const ALPHABET: &[u8] =
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.@ \t\n\x0b\x0c\r\x00\xc3";
        for round in 0..3000 {
            let n = next() % 300;
            // Some texts have few marks and stops, for long runs.
            let letters = if round % 3 == 0 { 60 } else { ALPHABET.len() as u64 };
            let s: Vec<u8> = (0..n).map(|_| ALPHABET[(next() % letters) as usize]).collect();
            // With and without the letters' bits (as for an ASCII text and
            // for another).
            for marks in [Marks::new::<false>(&s), Marks::new::<true>(&s)] {
                for i in 0..s.len() {
                    let (dot, at) = (naive(&s, b'.', i), naive(&s, b'@', i));
                    assert_eq!(marks.in_run(DOT, i), dot, "{s:?} at {i}");
                    assert_eq!(marks.in_run(AT, i), at, "{s:?} at {i}");
                    assert_eq!(marks.dot_and_at(i), (dot, at.is_some()), "{s:?} at {i}");
                }
            }
        }
    }

    #[test]
    fn apostrophes_inside_words() {
        let k = kinds("don't 'quoted' O'Brien's");
        assert!(k.contains(&(Word, "don't".into())));
        assert!(k.contains(&(Word, "O'Brien's".into())));
        assert!(k.contains(&(Word, "quoted".into())));
    }
}
