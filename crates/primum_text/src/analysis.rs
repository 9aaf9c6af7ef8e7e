//! The analysis of one post's text, done once and shared by every rule.

use std::cell::OnceCell;
use std::ops::Range;

use crate::Span;
use crate::fold::Folded;
use crate::lexicon::{Hits, scan_shared};
use crate::token::{Case, Token, TokenKind, tokenize};

/// A sentence: its original byte span and the tokens in it.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// Everything the rules need to know about a text, computed once.
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    /// The text as the user wrote it.
    pub text: &'t str,
    /// The folded text (see [`Folded`]).
    pub folded: Folded,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// Per token: index of its sentence.
    pub sentence_of: Vec<u32>,
    /// Per token: inside quotation marks.
    pub quoted: Vec<bool>,
    /// Per token: in the scope of a negation (`not`, `never`, `no`, `don't`...)
    /// earlier in the same clause, at most four words back.
    pub negated: Vec<bool>,
    /// The token norms joined by single spaces (intra-word hyphens dropped,
    /// possessive `'s` removed), with one more space before and after:
    /// what lexicons match against (see [`Analysis::stream`]; the shared
    /// automaton's phrases are anchored on those spaces).
    pub(crate) padded_stream: String,
    /// For each token in the stream: its byte start in `stream` and its
    /// index in `tokens`.
    pub(crate) stream_index: Vec<(u32, u32)>,
    /// The hits of all lexicons in the stream, scanned once on first use.
    lex_hits: OnceCell<Option<Hits>>,
    /// A form of the text made once on demand for searches (see
    /// [`Analysis::search_form`]).
    search_form: OnceCell<String>,
}

/// Words that open a negation scope.
fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "no"
            | "never"
            | "don't"
            | "doesn't"
            | "didn't"
            | "isn't"
            | "aren't"
            | "wasn't"
            | "weren't"
            | "can't"
            | "cannot"
            | "won't"
            | "wouldn't"
            | "shouldn't"
            | "couldn't"
            | "without"
            | "nor"
            | "neither"
            | "nobody"
            | "nothing"
            | "none"
            | "hasn't"
            | "haven't"
            | "hadn't"
            | "mustn't"
            | "dont"
            | "doesnt"
            | "cant"
            | "wont"
            | "isnt"
            | "arent"
            | "ain't"
            | "nope"
            | "hardly"
            | "barely"
            | "stop"
            | "avoid"
    )
}

/// Words after which a full stop does not end a sentence.
fn is_abbreviation(w: &str) -> bool {
    matches!(
        w,
        "dr" | "mr"
            | "mrs"
            | "ms"
            | "st"
            | "vs"
            | "eg"
            | "ie"
            | "approx"
            | "no"
            | "prof"
            | "sr"
            | "jr"
            | "dept"
            | "e.g"
            | "i.e"
            | "etc"
            | "fig"
            | "ref"
            | "vol"
            | "mt"
            | "ft"
            | "rd"
            | "ave"
    )
}

impl<'t> Analysis<'t> {
    /// Analyses `text`. Never panics; linear in the length of the text.
    pub fn new(text: &'t str) -> Analysis<'t> {
        let folded = Folded::new(text);
        let tokens = tokenize(&folded, text);
        let mut a = Analysis {
            text,
            folded,
            tokens,
            sentences: Vec::new(),
            sentence_of: Vec::new(),
            quoted: Vec::new(),
            negated: Vec::new(),
            padded_stream: String::new(),
            stream_index: Vec::new(),
            lex_hits: OnceCell::new(),
            search_form: OnceCell::new(),
        };
        a.split_sentences();
        a.mark_quotes();
        a.mark_negation();
        a.build_stream();
        a
    }

    /// The original text of a token.
    /// A rewritten form of the text that searches share, made by `make`
    /// on the first call and kept (the identifier detector's regexes run
    /// over a copy whose non-ASCII word characters are `_`). Every call
    /// must pass the same `make`.
    pub fn search_form(&self, make: impl FnOnce(&str) -> String) -> &str {
        self.search_form.get_or_init(|| make(self.text))
    }

    pub fn token_text(&self, i: usize) -> &'t str {
        let s = self.tokens[i].span;
        &self.text[s.start..s.end]
    }

    /// The original text of a span.
    pub fn slice(&self, s: Span) -> &'t str {
        &self.text[s.start..s.end]
    }

    /// The original span of a folded byte range.
    pub fn original_span(&self, fstart: usize, fend: usize) -> Span {
        let (s, e) = self.folded.original_range(fstart, fend, self.text);
        Span::new(s, e)
    }

    /// The original span covering tokens `range` (which must not be empty).
    pub fn tokens_span(&self, range: Range<usize>) -> Span {
        Span::new(self.tokens[range.start].span.start, self.tokens[range.end - 1].span.end)
    }

    /// Indices of the word tokens (Word or Number).
    pub fn word_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_wordlike())
            .map(|(i, _)| i)
    }

    /// Tokens of one kind.
    pub fn of_kind(&self, kind: TokenKind) -> impl Iterator<Item = (usize, &Token)> + '_ {
        self.tokens.iter().enumerate().filter(move |(_, t)| t.kind == kind)
    }

    /// Number of Word tokens.
    pub fn word_count(&self) -> usize {
        self.tokens.iter().filter(|t| t.kind == TokenKind::Word).count()
    }

    /// The word tokens of sentence `s`, as indices.
    pub fn sentence_words(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        self.sentences[s]
            .tokens
            .clone()
            .filter(|&i| self.tokens[i].is_wordlike())
    }

    /// Index of the previous word-like token before `i`, in the same sentence.
    pub fn prev_word(&self, i: usize) -> Option<usize> {
        let s = self.sentence_of[i];
        (0..i)
            .rev()
            .take_while(|&j| self.sentence_of[j] == s)
            .find(|&j| self.tokens[j].is_wordlike())
    }

    /// Index of the next word-like token after `i`, in the same sentence.
    pub fn next_word(&self, i: usize) -> Option<usize> {
        let s = self.sentence_of[i];
        (i + 1..self.tokens.len())
            .take_while(|&j| self.sentence_of[j] == s)
            .find(|&j| self.tokens[j].is_wordlike())
    }

    /// The normalised words within `window` word tokens either side of token
    /// `i`, in the same sentence (not including `i`).
    pub fn window(&self, i: usize, window: usize) -> impl Iterator<Item = usize> + '_ {
        let s = self.sentence_of.get(i).copied().unwrap_or(0);
        let before = (0..i)
            .rev()
            .filter(move |&j| self.tokens[j].is_wordlike())
            .take_while(move |&j| self.sentence_of[j] == s)
            .take(window);
        let after = (i + 1..self.tokens.len())
            .filter(move |&j| self.tokens[j].is_wordlike())
            .take_while(move |&j| self.sentence_of[j] == s)
            .take(window);
        before.chain(after)
    }

    /// True when some token's norm is one of `words`.
    pub fn has_word(&self, words: &[&str]) -> bool {
        self.tokens.iter().any(|t| words.contains(&t.norm.as_str()))
    }

    /// Share of cased letters that are upper case, and the number of cased
    /// letters.
    pub fn caps_ratio(&self) -> (f32, usize) {
        let (mut up, mut all) = (0usize, 0usize);
        for t in &self.tokens {
            if matches!(t.kind, TokenKind::Word) {
                up += t.letters.upper as usize;
                all += t.letters.cased as usize;
            }
        }
        (if all == 0 { 0.0 } else { up as f32 / all as f32 }, all)
    }

    fn split_sentences(&mut self) {
        let n = self.tokens.len();
        self.sentence_of = vec![0; n];
        let mut start = 0usize;
        let mut sentence = 0u32;
        for i in 0..n {
            self.sentence_of[i] = sentence;
            let boundary_after = i + 1 < n && self.ends_sentence(i);
            if boundary_after || i + 1 == n {
                self.sentences.push(Sentence {
                    span: self.tokens_span(start..i + 1),
                    tokens: start..i + 1,
                });
                start = i + 1;
                sentence += 1;
            }
        }
    }

    /// Whether a sentence ends after token `i` (there is a token after it).
    fn ends_sentence(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let next = &self.tokens[i + 1];
        // (Bytes, not a `str`: a newline byte is always a newline.)
        let gap = self.text.as_bytes().get(t.span.end..next.span.start).unwrap_or(&[]);
        if gap.contains(&b'\n') {
            return true;
        }
        if !next.space_before {
            return false;
        }
        let next_starts = matches!(next.case, Case::Title | Case::Upper)
            || matches!(next.kind, TokenKind::Number | TokenKind::Emoji | TokenKind::Hashtag)
            || (next.kind == TokenKind::Punct && matches!(next.norm.as_str(), "'" | "\"" | "("));
        match t.kind {
            TokenKind::Punct if matches!(t.norm.as_str(), "." | "!" | "?" | "..." | "\u{2026}") => {
                if t.norm == "." {
                    // Not after an abbreviation or an initial.
                    if let Some(p) = i.checked_sub(1).map(|p| &self.tokens[p])
                        && !t.space_before
                        && p.kind == TokenKind::Word
                        && (is_abbreviation(&p.norm) || p.norm.chars().count() == 1)
                    {
                        return false;
                    }
                }
                next_starts || next.kind == TokenKind::Word
            }
            TokenKind::Punct if matches!(t.norm.as_str(), "'" | "\"") => {
                // A closing quote after sentence punctuation.
                i > 0 && matches!(self.tokens[i - 1].norm.as_str(), "." | "!" | "?") && next_starts
            }
            TokenKind::Emoji => {
                next.kind == TokenKind::Word && matches!(next.case, Case::Title | Case::Upper) && next.norm != "i"
            }
            _ => false,
        }
    }

    fn mark_quotes(&mut self) {
        let n = self.tokens.len();
        self.quoted = vec![false; n];
        let mut open: Option<(usize, &str)> = None;
        for i in 0..n {
            let t = &self.tokens[i];
            if t.kind != TokenKind::Punct || !matches!(t.norm.as_str(), "'" | "\"") {
                continue;
            }
            let q = if t.norm == "'" { "'" } else { "\"" };
            let next_glued = self.tokens.get(i + 1).is_some_and(|x| !x.space_before);
            match open {
                Some((o, oq))
                    if oq == q
                        && (!next_glued || self.tokens.get(i + 1).is_some_and(|x| x.kind == TokenKind::Punct)) =>
                {
                    for f in &mut self.quoted[o + 1..i] {
                        *f = true;
                    }
                    open = None;
                }
                None if next_glued => open = Some((i, q)),
                _ => {}
            }
        }
    }

    fn mark_negation(&mut self) {
        let n = self.tokens.len();
        self.negated = vec![false; n];
        let mut remaining = 0usize;
        for i in 0..n {
            let t = &self.tokens[i];
            match t.kind {
                TokenKind::Punct if matches!(t.norm.as_str(), "." | "," | ";" | ":" | "!" | "?" | "(" | ")") => {
                    remaining = 0;
                }
                TokenKind::Word | TokenKind::Number => {
                    if matches!(t.norm.as_str(), "but" | "however" | "although" | "though" | "yet") {
                        remaining = 0;
                    } else if is_negator(&t.norm) || t.norm.ends_with("n't") {
                        remaining = 4;
                    } else if remaining > 0 {
                        self.negated[i] = true;
                        remaining -= 1;
                    }
                }
                _ => {}
            }
            if self.sentence_of[i] != self.sentence_of.get(i + 1).copied().unwrap_or(u32::MAX) {
                remaining = 0;
            }
        }
    }

    /// The token norms joined by single spaces: the padded stream without
    /// its padding.
    pub(crate) fn stream(&self) -> &str {
        let p = &self.padded_stream;
        p.get(1..p.len().saturating_sub(1)).unwrap_or("")
    }

    fn build_stream(&mut self) {
        let mut stream = String::with_capacity(self.folded.text.len() + 8);
        stream.push(' ');
        let mut index = Vec::with_capacity(self.tokens.len());
        for (i, t) in self.tokens.iter().enumerate() {
            if t.kind == TokenKind::Punct && t.norm == "-" && !t.space_before {
                let next_glued = self
                    .tokens
                    .get(i + 1)
                    .is_some_and(|x| !x.space_before && x.is_wordlike());
                if next_glued {
                    continue;
                }
            }
            if stream.len() > 1 {
                stream.push(' ');
            }
            // Stream positions leave out the leading pad.
            index.push((stream.len() as u32 - 1, i as u32));
            let norm = match t.kind {
                TokenKind::Word => t.norm.strip_suffix("'s").unwrap_or(&t.norm),
                _ => &t.norm,
            };
            stream.push_str(norm);
        }
        stream.push(' ');
        self.padded_stream = stream;
        self.stream_index = index;
    }

    /// The hits of every registered lexicon in this text (see
    /// [`crate::Lexicon`]), scanned on first use.
    pub(crate) fn lexicon_hits(&self) -> Option<&Hits> {
        self.lex_hits.get_or_init(|| scan_shared(self)).as_ref()
    }

    /// The token index of the stream token starting at byte `at`, if any.
    pub(crate) fn stream_token_at(&self, at: usize) -> Option<usize> {
        self.stream_index.binary_search_by_key(&(at as u32), |&(s, _)| s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(s: &str) -> Vec<&str> {
        let a = Analysis::new(s);
        a.sentences.iter().map(|x| &s[x.span.start..x.span.end]).collect()
    }

    #[test]
    fn sentences_split_on_terminal_punctuation() {
        assert_eq!(
            sentences("We have. Every single channel! Why? Dr. Smith saw it."),
            ["We have.", "Every single channel!", "Why?", "Dr. Smith saw it."]
        );
    }

    #[test]
    fn sentences_split_on_newlines_and_emoji() {
        assert_eq!(
            sentences("saved her marriage 😂❤️ Best compliment ever\nNext line"),
            ["saved her marriage 😂❤️", "Best compliment ever", "Next line"]
        );
    }

    #[test]
    fn decimals_are_not_boundaries() {
        assert_eq!(sentences("Take 2.5 mg now."), ["Take 2.5 mg now."]);
    }

    #[test]
    fn negation_scope() {
        let a = Analysis::new("Vaccines do not cause autism, they cause immunity.");
        let neg: Vec<&str> = (0..a.tokens.len())
            .filter(|&i| a.negated[i])
            .map(|i| a.token_text(i))
            .collect();
        assert_eq!(neg, ["cause", "autism"]);
    }

    #[test]
    fn quotes_are_marked() {
        let a = Analysis::new("She said 'I fell on it'. Sure, and don't \"worry\".");
        let q: Vec<&str> = (0..a.tokens.len())
            .filter(|&i| a.quoted[i])
            .map(|i| a.token_text(i))
            .collect();
        assert_eq!(q, ["I", "fell", "on", "it", "worry"]);
    }

    #[test]
    fn stream_joins_hyphenated_words_and_drops_possessives() {
        let a = Analysis::new("The MMR-autism link, the patient's notes");
        assert_eq!(a.stream(), "the mmr autism link , the patient notes");
    }

    /// Random strings over characters that stress folding and tokenizing
    /// never panic, and every token's span lies inside the text on char
    /// boundaries, in order.
    #[test]
    fn arbitrary_text_never_panics() {
        const ALPHABET: &[&str] = &[
            "a",
            "Z",
            " ",
            "\n",
            ".",
            "…",
            "'",
            "\"",
            "“",
            "”",
            "@",
            "#",
            "*",
            "1",
            "0",
            "/",
            ":",
            "-",
            "ﬁ",
            "é",
            "e\u{301}",
            "😂",
            "🏃\u{200d}♀\u{fe0f}",
            "🇵🇹",
            "\u{200b}",
            "ß",
            "İ",
            "www.",
            "http://",
            ".com",
            "x@y.co",
            "𝐉",
            "Ｊ",
            "\t",
            "!",
            "?",
            "$",
            "%",
            "&",
            "ǅ",
            "\u{fe0f}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(ALPHABET[(seed % ALPHABET.len() as u64) as usize]);
            }
            let a = Analysis::new(&s);
            let mut last = 0;
            for t in &a.tokens {
                assert!(t.span.start <= t.span.end && t.span.end <= s.len(), "{s:?}");
                assert!(
                    s.is_char_boundary(t.span.start) && s.is_char_boundary(t.span.end),
                    "{s:?}"
                );
                assert!(t.span.start >= last, "{s:?}: tokens out of order");
                last = t.span.end;
            }
        }
    }

    #[test]
    fn empty_and_whitespace_texts() {
        for s in ["", "   ", "\n\n"] {
            let a = Analysis::new(s);
            assert!(a.tokens.is_empty());
            assert!(a.sentences.is_empty());
        }
    }
}

/// Letters of a token by case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LetterCounts {
    /// Upper-case letters.
    pub upper: u32,
    /// Upper- and lower-case letters.
    pub cased: u32,
    /// Letters of any script, cased or not.
    pub alphabetic: u32,
}

impl LetterCounts {
    pub(crate) fn add(self, o: LetterCounts) -> LetterCounts {
        LetterCounts {
            upper: self.upper + o.upper,
            cased: self.cased + o.cased,
            alphabetic: self.alphabetic + o.alphabetic,
        }
    }
}
