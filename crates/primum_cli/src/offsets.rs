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
            let seg = &raw[at..b];
            let newlines = memcount(seg, b'\n');
            if newlines > 0 {
                let last = seg.iter().rposition(|&c| c == b'\n').expect("counted a newline");
                line += newlines;
                line_start = at + last + 1;
                line_start_char = chars + count_chars(&seg[..=last]);
            }
            chars += count_chars(seg);
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

/// Unicode scalar values in valid UTF-8: every byte that is not a
/// continuation byte starts one. Written so the compiler vectorises it.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn memcount(bytes: &[u8], needle: u8) -> usize {
    bytes.iter().filter(|&&b| b == needle).count()
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
