//! Character folding with a map back to the original text.
//!
//! Every rule matches against the folded text, so that `𝐉𝐨𝐡𝐧`, `ＪＯＨＮ`,
//! `Jöhn` and `john` look the same to it, and every match is mapped back to
//! the bytes the user typed, so that a finding's span underlines what is
//! really there.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text folded for matching, with the original byte offset of every byte.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// NFKC, lower case, diacritics removed, typographic quotes and dashes
    /// replaced by their ASCII forms.
    pub text: String,
    /// `map[i]` is the byte offset in the original text of the character
    /// that produced byte `i` of `text`; one extra entry holds the original
    /// length, so that an exclusive end maps too. Empty when every byte
    /// maps to itself (an ASCII original), which needs no table.
    map: Vec<u32>,
}

impl Folded {
    /// Folds `original`. Linear in its length.
    ///
    /// Runs of ASCII (all of most posts, and most of the rest) are copied
    /// and lower-cased eight bytes at a time (see [`lower_ascii_run`]), so
    /// that where a run ends is found in the same pass, with no branch per
    /// byte; the folded bytes are gathered in a vector and made a `String`
    /// once, at the end.
    pub fn new(original: &str) -> Folded {
        let bytes = original.as_bytes();
        let mut text = Vec::with_capacity(bytes.len() + 8);
        let mut map = Vec::new();
        let mut next = lower_ascii_run::<false>(bytes, 0, &mut text, &mut map);
        // An ASCII post: each byte maps to itself (the empty map).
        if next == bytes.len() {
            return Folded {
                text: into_string(text),
                map: Vec::new(),
            };
        }
        map.reserve(bytes.len() + 8);
        map.extend(0..next as u32);
        let mut buf = [0u8; 4];
        while next < bytes.len() {
            let c = original[next..].chars().next().unwrap_or(' ');
            let at = next as u32;
            next += c.len_utf8();
            if let Some(simple) = simple_fold(c) {
                let before = text.len();
                text.extend_from_slice(simple.encode_utf8(&mut buf).as_bytes());
                map_to(&mut map, at, text.len() - before);
            } else {
                for d in std::iter::once(c).nfkd() {
                    // Diacritics go; variation selectors stay with their emoji.
                    if is_combining_mark(d) && !matches!(d, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}') {
                        continue;
                    }
                    for l in d.to_lowercase() {
                        let l = simple_fold(l).unwrap_or(l);
                        let before = text.len();
                        text.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                        map_to(&mut map, at, text.len() - before);
                    }
                }
            }
            // The run of ASCII after it, each byte mapping to itself.
            next = lower_ascii_run::<true>(bytes, next, &mut text, &mut map);
        }
        map.push(original.len() as u32);
        Folded {
            text: into_string(text),
            map,
        }
    }

    /// True when every folded byte maps to the same offset in the original
    /// (an ASCII original, folded by lower-casing it).
    pub(crate) fn is_identity(&self) -> bool {
        self.map.is_empty()
    }

    /// The original byte offset of folded byte `i` (`i` may equal the
    /// folded length, for an exclusive end).
    pub fn original(&self, i: usize) -> usize {
        match self.map.last() {
            Some(_) => self.map[i.min(self.map.len() - 1)] as usize,
            None => i.min(self.text.len()),
        }
    }

    /// The original byte range of the folded range `start..end`: from the
    /// start of the character that produced `start` to the end of the one
    /// that produced `end - 1`.
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let s = self.original(start);
        if end == 0 || end <= start {
            return (s, s);
        }
        let last = self.original(end - 1);
        // `last` starts a character: its length is told by its first byte.
        let e = original
            .as_bytes()
            .get(last)
            .map_or(original.len(), |&lead| last + utf8_len(lead));
        (s, e.max(s))
    }
}

/// Appends `bytes[from..]` to `out` lower-cased, up to the first byte that
/// is not ASCII; returns that byte's position (the length if none).
///
/// Eight bytes are read as one `u64`, lower-cased at once (for bytes below
/// 0x80, adding `0x80 - k` to each sets its high bit exactly when the byte
/// is at least `k`; a byte of 0x80 or more carries into the bytes after it,
/// which are not kept), and all eight appended, then the vector cut back
/// to the ASCII ones: appending only those was a copy of varying length,
/// whose branches on the length were mispredicted. The last bytes of the
/// text are read as the last eight, shifted; a text under eight bytes goes
/// a byte at a time.
///
/// With `MAP`, each byte's offset (itself) is appended to `map` the same
/// way, eight at a time and cut back. (Appended after the run as a range,
/// the map took a loop of the run's length, whose end was mispredicted
/// about once a run.)
fn lower_ascii_run<const MAP: bool>(bytes: &[u8], from: usize, out: &mut Vec<u8>, map: &mut Vec<u32>) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least = |x: u64, k: u8| x.wrapping_add(u64::from(0x80 - k) * ONES) & HIGH;
    // Appends the low `n` bytes of `x` lower-cased, or fewer, up to one
    // that is not ASCII; returns how many.
    // (`x` being the bytes from `at` on.)
    let mut push = |x: u64, n: usize, at: usize| {
        let n = n.min((x & HIGH).trailing_zeros() as usize / 8);
        let upper = at_least(x, b'A') & !at_least(x, b'Z' + 1);
        // Setting 0x20 lower-cases an upper-case letter.
        let lower = x | (upper >> 2);
        let len = out.len();
        out.extend_from_slice(&lower.to_le_bytes());
        out.truncate(len + n);
        if MAP {
            let at = at as u32;
            let len = map.len();
            map.extend_from_slice(&[at, at + 1, at + 2, at + 3, at + 4, at + 5, at + 6, at + 7]);
            map.truncate(len + n);
        }
        n
    };
    let mut at = from;
    while let Some(w) = bytes.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let n = push(u64::from_le_bytes(w), 8, at);
        at += n;
        if n < 8 {
            return at;
        }
    }
    // Fewer than eight bytes left: the text's last eight, shifted down so
    // that those left are the low ones.
    let left = bytes.len() - at;
    if left == 0 {
        return at;
    }
    match bytes
        .len()
        .checked_sub(8)
        .and_then(|s| <[u8; 8]>::try_from(&bytes[s..]).ok())
    {
        Some(w) => at + push(u64::from_le_bytes(w) >> (8 * (8 - left)), left, at),
        None => {
            while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii()) {
                out.push(b.to_ascii_lowercase());
                if MAP {
                    map.push(at as u32);
                }
                at += 1;
            }
            at
        }
    }
}

/// Appends `n` copies of `at` to `map`, `n` being the bytes of a character
/// (so at most four): four appended and cut back, where a `resize` by `n`
/// was a loop of `n` steps, its end mispredicted.
#[inline]
fn map_to(map: &mut Vec<u32>, at: u32, n: usize) {
    let len = map.len();
    if n <= 4 {
        map.extend_from_slice(&[at; 4]);
        map.truncate(len + n);
    } else {
        map.resize(len + n, at);
    }
}

/// The folded bytes as a `String`: they are UTF-8, copied from `&str`s and
/// `char`s whole, so the check never fails.
fn into_string(text: Vec<u8>) -> String {
    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The length of the UTF-8 sequence that starts with byte `lead`.
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0xE0 => 1 + usize::from(lead >= 0xC0),
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Characters that NFKD leaves alone but that people type in place of an
/// ASCII one.
fn simple_fold(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '\u{0060}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' => ' ',
        '\u{00DF}' => 's',
        '\u{00F8}' | '\u{00D8}' => 'o',
        '\u{0142}' | '\u{0141}' => 'l',
        '\u{00E6}' | '\u{00C6}' => 'a',
        '\u{0111}' | '\u{0110}' => 'd',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_lowercased_in_place() {
        let f = Folded::new("Hello WORLD");
        assert_eq!(f.text, "hello world");
        assert_eq!(f.original(6), 6);
        assert_eq!(f.original(11), 11);
    }

    #[test]
    fn styled_and_accented_letters_fold() {
        let s = "𝐉𝐨𝐡𝐧 Jöhn ＪＯＨＮ café";
        let f = Folded::new(s);
        assert_eq!(f.text, "john john john cafe");
        let (a, b) = f.original_range(0, 4, s);
        assert_eq!(&s[a..b], "𝐉𝐨𝐡𝐧");
        let at = f.text.find("cafe").unwrap();
        let (a, b) = f.original_range(at, at + 4, s);
        assert_eq!(&s[a..b], "café");
    }

    #[test]
    fn typographic_quotes_become_ascii() {
        assert_eq!(Folded::new("don\u{2019}t \u{201C}x\u{201D}").text, "don't \"x\"");
    }

    /// Folding eight bytes at a time gives what folding a character at a
    /// time does, on random texts of every length up to 40 bytes or so,
    /// ASCII or not, with the map too.
    #[test]
    fn folds_as_a_character_at_a_time() {
        fn by_char(original: &str) -> (String, Vec<usize>) {
            let (mut text, mut map) = (String::new(), Vec::new());
            for (at, c) in original.char_indices() {
                let before = text.len();
                if c.is_ascii() {
                    text.push(c.to_ascii_lowercase());
                } else if let Some(simple) = simple_fold(c) {
                    text.push(simple);
                } else {
                    for d in std::iter::once(c).nfkd() {
                        if is_combining_mark(d) && !matches!(d, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}') {
                            continue;
                        }
                        for l in d.to_lowercase() {
                            text.push(simple_fold(l).unwrap_or(l));
                        }
                    }
                }
                map.resize(map.len() + (text.len() - before), at);
            }
            map.push(original.len());
            (text, map)
        }
        const ALPHABET: &[&str] = &[
            "a", "Z", "q", "M", " ", "@", "[", "`", "{", "\u{7f}", "9", "é", "𝐉", "ﬁ", "\u{2019}", "😂", "ß", "Ｊ",
        ];
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d_u64);
        let mut next = || rng.next();
        for round in 0..5000 {
            let n = next() % 40;
            // Every other text is ASCII (the first eleven).
            let letters = if round % 2 == 0 { 11 } else { ALPHABET.len() as u64 };
            let s: String = (0..n).map(|_| ALPHABET[(next() % letters) as usize]).collect();
            let f = Folded::new(&s);
            let (text, map) = by_char(&s);
            assert_eq!(f.text, text, "{s:?}");
            for (i, &m) in map.iter().enumerate() {
                assert_eq!(f.original(i), m, "{s:?} at {i}");
            }
        }
    }

    #[test]
    fn empty_text() {
        let f = Folded::new("");
        assert_eq!(f.text, "");
        assert_eq!(f.original(0), 0);
    }
}
