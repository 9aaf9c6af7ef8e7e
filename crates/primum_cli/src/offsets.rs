//! Byte offsets to the positions the outside world counts in.
//!
//! The engine's spans are byte ranges; the JSON report counts Unicode scalar
//! values, SARIF and the human printer count lines and columns. Each report
//! converts all its positions in one forward pass over the text, so a report
//! with many findings on a 50 MB post costs one walk, not one per finding.

/// Where a byte offset falls, in the units the output formats use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Unicode scalar values before the position.
    pub char: usize,
    /// 1-based line number (lines end at `\n`).
    pub line: usize,
    /// 1-based column, in Unicode scalar values from the start of the line.
    pub col: usize,
    /// Byte offset of the start of the line.
    pub line_start: usize,
}

/// The positions of the byte offsets `bytes` in `text`, in the order given.
///
/// Offsets past the end are clamped to the end and offsets inside a
/// character are moved back to its start, so a bad span never panics.
pub fn positions(text: &str, bytes: &[usize]) -> Vec<Pos> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_unstable_by_key(|&i| bytes[i]);
    let raw = text.as_bytes();
    let mut out = vec![Pos::default(); bytes.len()];
    // The walk's state: everything before byte `at` has been counted.
    let mut at = 0;
    let mut chars = 0;
    let mut line = 1;
    let mut line_start = 0;
    let mut line_start_char = 0;
    for i in order {
        let mut b = bytes[i].min(raw.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        if b > at {
            let seg = count(raw, at, b);
            if let Some((last, chars_to_it)) = seg.last_newline {
                line += seg.newlines;
                line_start = last + 1;
                line_start_char = chars + chars_to_it;
            }
            chars += seg.chars;
            at = b;
        }
        out[i] = Pos {
            char: chars,
            line,
            col: chars - line_start_char + 1,
            line_start,
        };
    }
    out
}

/// What [`count`] finds in a stretch of text.
struct Counts {
    /// Unicode scalar values.
    chars: usize,
    newlines: usize,
    /// The byte offset of the last newline, and the characters up to and
    /// including it.
    last_newline: Option<(usize, usize)>,
}

/// Counts the characters and newlines of `raw[from..to]` (valid UTF-8),
/// eight bytes at a time.
///
/// It replaces two vectorised counts and a search for the last newline:
/// each of those loops has a remainder loop whose length varies with the
/// text, a mispredicted exit or two per call. Here the only branches are
/// the word loop's exit and a test for newlines that is mostly false; the
/// last, partial word is read in one piece (see [`word_at`]).
fn count(raw: &[u8], from: usize, to: usize) -> Counts {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut c = Counts {
        chars: 0,
        newlines: 0,
        last_newline: None,
    };
    let mut i = from;
    while i < to {
        let n = (to - i).min(8);
        let word = word_at(raw, i);
        let valid = low_bytes(n) & HIGH;
        // Every byte but a continuation byte (10xxxxxx) starts a character.
        let starts = !(word & !(word << 1)) & valid;
        // The exact test for a zero byte (no borrow between bytes): 0x80 in
        // each byte of `word` that is a newline.
        let x = word ^ (u64::from(b'\n') * ONES);
        let newlines = !(((x & !HIGH) + !HIGH) | x | !HIGH) & valid;
        if newlines != 0 {
            let k = (63 - newlines.leading_zeros() as usize) / 8;
            let upto = low_bytes(k + 1);
            c.newlines += newlines.count_ones() as usize;
            c.last_newline = Some((i + k, c.chars + (starts & upto).count_ones() as usize));
        }
        c.chars += starts.count_ones() as usize;
        i += n;
    }
    c
}

/// The bytes `i..` of `raw` (at most 8 of them, `i` inside `raw`) in the
/// low bytes of a little-endian word; any bytes past the end are zero.
///
/// In a text of at least 8 bytes it reads the 8 from `i`, or near the end
/// the last 8, shifted down: no branch on whether a whole word is left
/// (which flips at the end of every text).
pub(crate) fn word_at(raw: &[u8], i: usize) -> u64 {
    if raw.len() >= 8 {
        let from = i.min(raw.len() - 8);
        le_word(&raw[from..from + 8]) >> (8 * (i - from))
    } else {
        tail_word(raw, i)
    }
}

/// Eight bytes as a little-endian word: byte `k` in bits `8k..8k+8`.
pub(crate) fn le_word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("eight bytes"))
}

/// The bytes `i..` of `bytes` (fewer than 8) in the low bytes of a word,
/// the rest zero. When the text has 8 bytes, it reads the 8 that end where
/// the text does and shifts them down, rather than looping over a number
/// of bytes that varies from one call to the next.
pub(crate) fn tail_word(bytes: &[u8], i: usize) -> u64 {
    let rest = bytes.len() - i;
    if bytes.len() >= 8 {
        le_word(&bytes[bytes.len() - 8..]) >> (8 * (8 - rest))
    } else {
        bytes[i..]
            .iter()
            .enumerate()
            .fold(0, |w, (k, &b)| w | u64::from(b) << (8 * k))
    }
}

/// A mask of the low `n` bytes of a word, `n` from 1 to 8.
pub(crate) fn low_bytes(n: usize) -> u64 {
    u64::MAX >> (64 - 8 * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slow, obviously right answer.
    fn naive(text: &str, b: usize) -> Pos {
        let before = &text[..b];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            char: before.chars().count(),
            line: before.matches('\n').count() + 1,
            col: text[line_start..b].chars().count() + 1,
            line_start,
        }
    }

    #[test]
    fn matches_the_naive_count_on_mixed_scripts() {
        let text = "Seen 👩‍⚕️ Dr Ångström\r\n今日は患者さん 🇬🇧\nline three é\u{301}\n\nlast";
        let bounds: Vec<usize> = (0..=text.len()).filter(|&b| text.is_char_boundary(b)).collect();
        // Unsorted and repeated offsets, as findings give them.
        let mut asked: Vec<usize> = bounds.iter().rev().copied().collect();
        asked.extend(bounds.iter().step_by(3));
        let got = positions(text, &asked);
        for (b, p) in asked.iter().zip(&got) {
            assert_eq!(*p, naive(text, *b), "at byte {b}");
        }
    }

    #[test]
    fn newlines_anywhere_in_a_word() {
        // Newlines and multi-byte characters at every place around the
        // 8-byte words the count reads.
        for len in 1..30 {
            for at in 0..len {
                let text: String = (0..len)
                    .map(|i| match (i == at, i % 5) {
                        (true, _) => '\n',
                        (_, 0) => 'é',
                        (_, 3) => '\n',
                        _ => 'a',
                    })
                    .collect();
                let bounds: Vec<usize> = (0..=text.len()).filter(|&b| text.is_char_boundary(b)).collect();
                for step in 1..4 {
                    let asked: Vec<usize> = bounds.iter().step_by(step).copied().collect();
                    for (b, p) in asked.iter().zip(positions(&text, &asked)) {
                        assert_eq!(p, naive(&text, *b), "{text:?} at byte {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn python_str_offsets() {
        // Python: "a😀b".index("b") == 2; "naïve".index("v") == 3.
        assert_eq!(positions("a😀b", &[5])[0].char, 2);
        assert_eq!(positions("naïve", &[4])[0].char, 3);
    }

    #[test]
    fn bad_offsets_are_clamped_not_panicking() {
        let text = "é";
        let p = positions(text, &[1, 99]);
        assert_eq!(p[0].char, 0);
        assert_eq!(p[1].char, 1);
        assert_eq!(
            positions("", &[0, 3])[1],
            Pos {
                char: 0,
                line: 1,
                col: 1,
                line_start: 0
            }
        );
    }
}
