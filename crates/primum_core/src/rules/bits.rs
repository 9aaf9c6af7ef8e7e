//! Helpers for testing every token of a post without a branch on each.
//!
//! Most rules look for a few words among a post's thirty or so tokens:
//! "is this token a word, and is it one of these?" The answer changes from
//! token to token with no pattern the processor can learn, so a branch on
//! it (and on the token's kind, which LLVM tests first when the two are
//! joined with `&&`, or even with `&`, in an `if`) is mispredicted about
//! once for every word that passes or fails unexpectedly. Here the test is
//! computed for every token as a bit ([`TokenSet::of`]), and only the
//! tokens whose bit is set (a few, or none) are looked at by the rule.
//!
//! A word is compared with a list of words by its shape ([`Words`]): its
//! first byte, read from the folded text, and its length.

use primum_text::{Analysis, PerToken, Table, Token};

/// The tokens of a post for which a test holds, as one bit each (in
/// place, with no allocation, for up to 256 tokens).
pub(crate) struct TokenSet(Table<u64, 4>);

impl TokenSet {
    /// The tokens `0..n` for which `test` holds. `test` runs for every
    /// token and should be cheap and free of branches (`&` and `|` on
    /// `bool`s, table reads): its answer is stored, not branched on.
    #[inline]
    pub(crate) fn of(n: usize, mut test: impl FnMut(usize) -> bool) -> TokenSet {
        let mut set = Table::new(n.div_ceil(64));
        let bits: &mut [u64] = &mut set;
        for i in 0..n {
            bits[i / 64] |= u64::from(test(i)) << (i % 64);
        }
        TokenSet(set)
    }

    /// The tokens in the set, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let i = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + i
                })
            })
        })
    }
}

/// The first eight bytes of `w` as a little-endian number, zero past its
/// end: what [`head`] gives for a token whose norm is `w`.
pub(crate) const fn key(w: &str) -> u64 {
    let b = w.as_bytes();
    let mut k = 0u64;
    let mut i = 0;
    while i < b.len() && i < 8 {
        k |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// The first eight bytes of token `t`'s folded text (zero past its end),
/// as [`key`] gives them for a word: for a token that is not obfuscated
/// the folded text is its norm, so this is `key(&t.norm)`; an obfuscated
/// token must be tested on its norm.
///
/// The eight bytes are read at once from the text (from eight bytes
/// before its end for a token near it), with no loop and no branch on
/// the token's length.
#[inline]
pub(crate) fn head(a: &Analysis<'_>, t: &Token) -> u64 {
    let text = a.folded.text.as_bytes();
    let (start, len) = (t.fspan.start, t.fspan.end - t.fspan.start);
    if text.len() < 8 {
        return key(&a.folded.text[start..t.fspan.end]);
    }
    let at = start.min(text.len() - 8);
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&text[at..at + 8]);
    // `start - at` is at most 7: a token ends by the end of the text. The
    // mask keeps the token's first `len` bytes, at most eight (a token has
    // one byte or more).
    (u64::from_le_bytes(eight) >> (8 * (start - at))) & (u64::MAX >> (64 - 8 * len.clamp(1, 8)))
}

/// The first byte of token `t`'s norm if `t` is not obfuscated (its norm
/// is then its folded text), read from the folded text; for an obfuscated
/// token, a byte of no meaning (test its norm).
#[inline]
pub(crate) fn first_byte(a: &Analysis<'_>, t: &Token) -> u8 {
    // A token has at least one byte, so `fspan.start` is in the text.
    a.folded.text.as_bytes()[t.fspan.start]
}

/// A filter of a few words by their shape: first two bytes (five bits of
/// each) and length, built at compile time, read for a token with no
/// branch ([`Words::may_have_key`], by the token's [`Shapes`] key): one
/// table read and a shift. (The first byte and length alone, as `signals::WordShapes`,
/// let through every "the" for "two" and "ten".)
pub(crate) struct Words {
    /// For each pair of first two bytes (a one-byte word's second byte
    /// taken as 0), bit `n` set for a word of `n` bytes (63 for 63 or
    /// more).
    shapes: [u64; 1024],
}

/// The index in [`Words::shapes`] of a word's first two bytes.
const fn shape(b0: u8, b1: u8) -> usize {
    ((b0 & 31) as usize) << 5 | (b1 & 31) as usize
}

/// Where a word (of at least one byte) sets its bit in [`Words::shapes`],
/// and the bit.
const fn slot(w: &[u8]) -> (usize, u64) {
    let len = if w.len() < 63 { w.len() } else { 63 };
    let b1 = if w.len() >= 2 { w[1] } else { 0 };
    (shape(w[0], b1), 1 << len)
}

impl Words {
    pub(crate) const fn new(words: &[&str]) -> Words {
        // Bit 0 (no word has 0 bytes) of every pair: an obfuscated token's
        // [`Shapes`] key, which may be any word.
        let mut shapes = [1u64; 1024];
        let mut i = 0;
        while i < words.len() {
            let (at, bit) = slot(words[i].as_bytes());
            shapes[at] |= bit;
            i += 1;
        }
        Words { shapes }
    }

    /// [`Words::new`] of a list made at run time.
    pub(crate) fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> Words {
        // Bit 0 of every pair, as in [`Words::new`].
        let mut shapes = [1u64; 1024];
        for w in words.into_iter().filter(|w| !w.is_empty()) {
            let (at, bit) = slot(w.as_bytes());
            shapes[at] |= bit;
        }
        Words { shapes }
    }

    /// False when the token with this [`Shapes`] key is certainly none of
    /// the words; true when it may be one (a word of the same shape, or an
    /// obfuscated token, whose norm is not its text). One table read and a
    /// shift, no branch.
    #[inline]
    pub(crate) fn may_have_key(&self, key: u16) -> bool {
        (self.shapes[usize::from(key >> 6)] >> (key & 63)) & 1 != 0
    }
}

/// The [`Shapes`] key of token `t` of the folded text `text`, read with
/// no branch.
#[inline]
fn token_key(text: &[u8], t: &Token) -> u16 {
    let len = t.fspan.end - t.fspan.start;
    // A token has at least one byte, so `fspan.start` is in the text; its
    // second byte (the byte after it for a one-byte token, read and then
    // dropped by the mask) is read from no further than the text's last
    // byte.
    let b0 = text[t.fspan.start];
    let b1 = text[(t.fspan.start + 1).min(text.len() - 1)] & 0u8.wrapping_sub(u8::from(len >= 2));
    let len = len.min(63) as u16 & 0u16.wrapping_sub(u16::from(!t.obfuscated));
    (shape(b0, b1) as u16) << 6 | len
}

/// Each token's shape as [`Words`] reads it, made once per post for all
/// the rules that filter tokens by a list of words: the index of its first
/// two bytes times 64, plus its length (63 for 63 bytes or more), or plus
/// 0 for an obfuscated token (whose norm is not its text), which every
/// list lets through. (Read from the text and the token for each token and
/// each list, they were made some ten times a post.)
pub(crate) struct Shapes(PerToken<u16>);

impl Shapes {
    pub(crate) fn of(a: &Analysis<'_>) -> Shapes {
        let text = a.folded.text.as_bytes();
        let mut keys = PerToken::new(a.tokens.len());
        for (key, t) in keys.iter_mut().zip(&a.tokens) {
            *key = token_key(text, t);
        }
        Shapes(keys)
    }

    /// The key of token `i`.
    #[inline]
    pub(crate) fn key(&self, i: usize) -> u16 {
        self.0[i]
    }
}

#[cfg(test)]
mod tests {
    use super::{Shapes, TokenSet, Words, first_byte, head, key};
    use primum_text::Analysis;

    #[test]
    fn words_let_their_words_through() {
        let words = Words::new(&[
            "no",
            "book",
            "£",
            "supercalifragilisticexpialidociousnessandthensomemoreletters",
        ]);
        for text in [
            "a",
            "No, book £5! p@tient s h i t soooo https://x.co/abc #tag @me 12.5 Jöhn 𝐉𝐨𝐡𝐧 no",
            "supercalifragilisticexpialidociousnessandthensomemoreletters booking",
        ] {
            let a = Analysis::new(text);
            let shapes = Shapes::of(&a);
            for (i, t) in a.tokens.iter().enumerate() {
                if !t.obfuscated {
                    assert_eq!(first_byte(&a, t), t.norm.as_bytes()[0], "{:?} in {text:?}", t.norm);
                    assert_eq!(head(&a, t), key(&t.norm), "{:?} in {text:?}", t.norm);
                }
                let listed = [
                    "no",
                    "book",
                    "£",
                    "supercalifragilisticexpialidociousnessandthensomemoreletters",
                ]
                .contains(&t.norm.as_str());
                assert!(!listed || words.may_have_key(shapes.key(i)), "{:?} in {text:?}", t.norm);
            }
            assert!((0..a.tokens.len()).any(|i| !words.may_have_key(shapes.key(i))));
        }
    }

    #[test]
    fn sets_list_their_tokens_in_order() {
        let set = TokenSet::of(200, |i| i % 7 == 3 || i == 64 || i == 199);
        let want: Vec<usize> = (0..200).filter(|i| i % 7 == 3 || *i == 64 || *i == 199).collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), want);
        assert_eq!(TokenSet::of(10, |_| false).iter().count(), 0);
        assert_eq!(TokenSet::of(0, |_| true).iter().count(), 0);
    }
}
