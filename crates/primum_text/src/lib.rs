//! Text analysis shared by every primum rule.
//!
//! A post is analysed once: folded for matching (NFKC, lower case, no
//! diacritics) with a map back to the original bytes, split into tokens
//! (words, numbers, hashtags, @mentions, URLs, e-mails, emoji) and
//! sentences, with negation and quotation marked and common obfuscations
//! (`p@tient`, `f***`, `s h i t`, `Soooo`) undone. Lexicons of words and
//! phrases match against that analysis.
//!
//! This crate does no I/O and holds no data of its own: it must build for
//! `wasm32-unknown-unknown` and never panic on any input.

mod analysis;
mod fold;
mod lexicon;
mod table;
mod token;

#[cfg(test)]
mod testing;

pub use analysis::{Analysis, LetterCounts, Sentence};
pub use compact_str::CompactString;
pub use fold::Folded;
pub use lexicon::{LexMatch, Lexicon, parse_csv};
pub use table::{PerSentence, PerToken, Table};
pub use token::{Case, Token, TokenKind, is_emoji};

/// A byte range in a text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The number of Unicode scalar values in `text[..byte]`: the offset unit of
/// primum's reports.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}
