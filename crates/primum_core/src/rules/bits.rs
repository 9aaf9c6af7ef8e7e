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
//! A word is compared with short words by its [`head`]: the first eight
//! bytes of its folded text, read from the text at once, with no loop over
//! its bytes and no branch on its length.

use primum_text::{Analysis, Token};

/// The tokens of a post for which a test holds, as one bit each.
pub(crate) struct TokenSet(Vec<u64>);

impl TokenSet {
    /// The tokens `0..n` for which `test` holds. `test` runs for every
    /// token and should be cheap and free of branches (`&` and `|` on
    /// `bool`s, table reads): its answer is stored, not branched on.
    #[inline]
    pub(crate) fn of(n: usize, mut test: impl FnMut(usize) -> bool) -> TokenSet {
        let mut bits = vec![0u64; n.div_ceil(64)];
        for i in 0..n {
            bits[i / 64] |= u64::from(test(i)) << (i % 64);
        }
        TokenSet(bits)
    }

    /// True when no token is in the set.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
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

/// The mask of the first `len` bytes (at most eight) of a [`head`].
#[inline]
fn mask(len: usize) -> u64 {
    // `len.clamp(1, 8)`: a token has at least one byte; for none, a mask
    // of one byte is never used.
    u64::MAX >> (64 - 8 * len.clamp(1, 8))
}

/// The first eight bytes of token `t`'s folded text (zero past its end),
/// as [`key`] gives them for a word. For a token that is not obfuscated
/// the folded text is its norm, so `head(a, t) == key(w)` with
/// `t.fspan.len() == w.len()` says `t.norm == w` for any `w` of eight
/// bytes or fewer; an obfuscated token must be tested on its norm.
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
    // `start - at` is at most 7: a token ends by the end of the text.
    (u64::from_le_bytes(eight) >> (8 * (start - at))) & mask(len)
}

/// True when token `t` (of analysis `a`) may be `w`, a word of eight bytes
/// or fewer: it is exactly `w` unless `t` is obfuscated. No branch.
#[inline]
pub(crate) fn may_be(a: &Analysis<'_>, t: &Token, w: &str) -> bool {
    debug_assert!(w.len() <= 8, "{w}");
    let len = t.fspan.end - t.fspan.start;
    ((head(a, t) == key(w)) & (len == w.len())) | t.obfuscated
}

/// True when `t`'s norm is `w` (of eight bytes or fewer), tested with no
/// branch unless `t` is obfuscated.
#[inline]
pub(crate) fn is(a: &Analysis<'_>, t: &Token, w: &str) -> bool {
    debug_assert!(w.len() <= 8, "{w}");
    let len = t.fspan.end - t.fspan.start;
    if t.obfuscated {
        return t.norm == w;
    }
    (head(a, t) == key(w)) & (len == w.len())
}

/// A few words of eight bytes or fewer, by their [`key`]s, to test tokens
/// against with no branch ([`Words::may_have`]).
pub(crate) struct Words<const N: usize> {
    keys: [u64; N],
    lens: [usize; N],
}

impl<const N: usize> Words<N> {
    /// The words; each must be of eight bytes or fewer.
    pub(crate) const fn new(words: [&str; N]) -> Words<N> {
        let mut keys = [0u64; N];
        let mut lens = [0usize; N];
        let mut i = 0;
        while i < N {
            assert!(words[i].len() <= 8, "a word of more than eight bytes");
            keys[i] = key(words[i]);
            lens[i] = words[i].len();
            i += 1;
        }
        Words { keys, lens }
    }

    /// True when token `t` may be one of the words: it is, unless it is
    /// obfuscated (then its norm must be tested). No branch: every word is
    /// compared, and the answers joined with `|`.
    #[inline]
    pub(crate) fn may_have(&self, a: &Analysis<'_>, t: &Token) -> bool {
        let (h, len) = (head(a, t), t.fspan.end - t.fspan.start);
        let mut hit = t.obfuscated;
        for k in 0..N {
            hit |= (h == self.keys[k]) & (len == self.lens[k]);
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::{TokenSet, head, is, key, may_be};
    use primum_text::Analysis;

    #[test]
    fn heads_are_the_norms_keys() {
        for text in [
            "a",
            "ab cd",
            "Hello, world! p@tient s h i t soooo https://x.co/abc #tag @me 12.5 Jöhn 𝐉𝐨𝐡𝐧 end",
            "supercalifragilistic words, and a last one",
        ] {
            let a = Analysis::new(text);
            for t in &a.tokens {
                if !t.obfuscated {
                    assert_eq!(head(&a, t), key(&t.norm), "{:?} in {text:?}", t.norm);
                    if t.norm.len() <= 8 {
                        assert!(is(&a, t, &t.norm));
                    }
                }
                if t.norm.len() <= 8 {
                    assert!(may_be(&a, t, &t.norm), "{:?} in {text:?}", t.norm);
                }
                assert!(!is(&a, t, "zzz"));
            }
        }
    }

    #[test]
    fn sets_list_their_tokens_in_order() {
        let set = TokenSet::of(200, |i| i % 7 == 3 || i == 64 || i == 199);
        let want: Vec<usize> = (0..200).filter(|i| i % 7 == 3 || *i == 64 || *i == 199).collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), want);
        assert!(TokenSet::of(10, |_| false).is_empty());
        assert!(TokenSet::of(0, |_| true).is_empty());
    }
}
