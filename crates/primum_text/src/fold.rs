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
    pub fn new(original: &str) -> Folded {
        // Most posts are ASCII: lower-case them in one pass, each byte
        // mapping to itself (the empty map).
        if original.is_ascii() {
            return Folded {
                text: original.to_ascii_lowercase(),
                map: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let bytes = original.as_bytes();
        let mut next = 0;
        while next < bytes.len() {
            // A run of ASCII (most of even a non-ASCII post) is copied
            // lower-cased in one go, each byte mapping to itself.
            let run = bytes[next..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(bytes.len() - next);
            if run > 0 {
                let from = text.len();
                text.push_str(&original[next..next + run]);
                text[from..].make_ascii_lowercase();
                map.extend(next as u32..(next + run) as u32);
                next += run;
                continue;
            }
            let c = original[next..].chars().next().unwrap_or(' ');
            let at = next as u32;
            next += c.len_utf8();
            if let Some(simple) = simple_fold(c) {
                let before = text.len();
                text.push(simple);
                map.resize(map.len() + (text.len() - before), at);
                continue;
            }
            for d in std::iter::once(c).nfkd() {
                // Diacritics go; variation selectors stay with their emoji.
                if is_combining_mark(d) && !matches!(d, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}') {
                    continue;
                }
                for l in d.to_lowercase() {
                    let l = simple_fold(l).unwrap_or(l);
                    let before = text.len();
                    text.push(l);
                    map.resize(map.len() + (text.len() - before), at);
                }
            }
        }
        map.push(original.len() as u32);
        Folded { text, map }
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

    #[test]
    fn empty_text() {
        let f = Folded::new("");
        assert_eq!(f.text, "");
        assert_eq!(f.original(0), 0);
    }
}
