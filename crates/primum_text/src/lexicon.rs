//! Word and phrase lists compiled into one automaton each.
//!
//! A lexicon's phrases go through the same tokenizer and normaliser as a
//! post, so a phrase matches however the post spells, cases, obfuscates or
//! punctuates it (`Frequent-Flyer`, `fr3quent flyer`, `FREQUENT FLYER`), and
//! only on whole words. A phrase ending in `*` also matches longer words
//! (`detox*` matches `detoxing`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::{Analysis, Span};

/// A compiled list of phrases, each with a value of type `V`.
#[derive(Debug, Clone)]
pub struct Lexicon<V> {
    automaton: AhoCorasick,
    entries: Vec<Entry<V>>,
}

#[derive(Debug, Clone)]
struct Entry<V> {
    phrase: String,
    prefix: bool,
    value: V,
}

/// One match of a lexicon phrase in a post.
#[derive(Debug, Clone, Copy)]
pub struct LexMatch<'l, V> {
    /// Original byte span, from the first token's start to the last's end.
    pub span: Span,
    /// First and last-plus-one token index.
    pub first: usize,
    pub end: usize,
    /// The phrase as normalised.
    pub phrase: &'l str,
    pub value: &'l V,
}

impl<V> Lexicon<V> {
    /// Compiles `entries`. Empty phrases are skipped.
    pub fn new<S: AsRef<str>>(entries: impl IntoIterator<Item = (S, V)>) -> Lexicon<V> {
        let mut list: Vec<Entry<V>> = Vec::new();
        for (phrase, value) in entries {
            let raw = phrase.as_ref().trim();
            let (raw, prefix) = match raw.strip_suffix('*') {
                Some(r) if !r.ends_with('*') => (r, true),
                _ => (raw, false),
            };
            let phrase = Analysis::new(raw).stream;
            if phrase.is_empty() {
                continue;
            }
            list.push(Entry { phrase, prefix, value });
        }
        // A full DFA is several times faster than the default NFA for the
        // overlapping search below, at a memory cost that grows with the
        // total length of the phrases: use it for all but the largest lists.
        let total: usize = list.iter().map(|e| e.phrase.len()).sum();
        let kind = (total <= 64 * 1024).then_some(AhoCorasickKind::DFA);
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(list.iter().map(|e| e.phrase.as_bytes()))
            .expect("lexicon automaton within size limits");
        Lexicon {
            automaton,
            entries: list,
        }
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no phrases.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All matches on whole tokens, leftmost-longest, not overlapping.
    pub fn find_all<'l>(&'l self, a: &Analysis<'_>) -> Vec<LexMatch<'l, V>> {
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let stream = a.stream.as_bytes();
        for m in self.automaton.find_overlapping_iter(stream) {
            let e = &self.entries[m.pattern().as_usize()];
            let (s, mut end) = (m.start(), m.end());
            if a.stream_token_at(s).is_none() {
                continue;
            }
            if e.prefix {
                while end < stream.len() && stream[end] != b' ' {
                    end += 1;
                }
            } else if end < stream.len() && stream[end] != b' ' {
                continue;
            }
            found.push((s, end, m.pattern().as_usize()));
        }
        // Leftmost, then longest.
        found.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
        let mut out = Vec::new();
        let mut covered = 0usize;
        for (s, end, p) in found {
            if s < covered && !out.is_empty() {
                continue;
            }
            covered = end;
            let Some(first) = a.stream_token_at(s) else { continue };
            // The last stream token is the one starting at or before `end`.
            let last_pos = a.stream_index.partition_point(|&(st, _)| (st as usize) < end) - 1;
            let first_tok = a.stream_index[first].1 as usize;
            let last_tok = a.stream_index[last_pos].1 as usize;
            let e = &self.entries[p];
            out.push(LexMatch {
                span: Span::new(a.tokens[first_tok].span.start, a.tokens[last_tok].span.end),
                first: first_tok,
                end: last_tok + 1,
                phrase: &e.phrase,
                value: &e.value,
            });
        }
        out
    }

    /// True when any phrase matches.
    pub fn matches(&self, a: &Analysis<'_>) -> bool {
        !self.find_all(a).is_empty()
    }

    /// The value of a single word, looked up exactly (for word lists such
    /// as names or sentiment, where the caller walks the tokens itself).
    pub fn phrases(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().map(|e| (e.phrase.as_str(), &e.value))
    }
}

/// Parses a lexicon CSV file: `#` lines are comments, the first other line
/// is the header, fields are separated by commas and may be quoted with
/// `"` (a doubled `""` inside quotes is a quote). Returns the rows without
/// the header. Panics with the file name on a row whose field count differs
/// from the header's: lexicons are compiled into the binary, so a bad one is
/// a build error caught by the tests, never a user's.
pub fn parse_csv(name: &str, text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut width = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_csv_line(line);
        match width {
            None => width = Some(fields.len()),
            Some(w) => {
                assert!(
                    fields.len() == w,
                    "{name}:{}: {} fields, header has {w}",
                    n + 1,
                    fields.len()
                );
                rows.push(fields);
            }
        }
    }
    rows
}

fn split_csv_line(line: &str) -> Vec<String> {
    // Most lines have no quotes: split them directly (lexicons are parsed
    // at start-up, so this is on the path of every one-post command).
    if !line.contains('"') {
        return line.split(',').map(|f| f.trim().to_string()).collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(lex: &Lexicon<u8>, s: &str) -> Vec<String> {
        let a = Analysis::new(s);
        lex.find_all(&a)
            .iter()
            .map(|m| s[m.span.start..m.span.end].to_string())
            .collect()
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let lex = Lexicon::new([("frequent flyer", 1u8), ("cure", 2), ("detox*", 3)]);
        assert_eq!(spans(&lex, "Our Frequent-Flyer is back"), ["Frequent-Flyer"]);
        assert_eq!(spans(&lex, "the FREQUENT FLYER."), ["FREQUENT FLYER"]);
        assert_eq!(spans(&lex, "secure cures"), Vec::<String>::new());
        assert_eq!(spans(&lex, "a cure, detoxing"), ["cure", "detoxing"]);
    }

    #[test]
    fn obfuscated_text_matches() {
        let lex = Lexicon::new([("patient", 1u8), ("shit", 2)]);
        assert_eq!(spans(&lex, "my p@tient said s h i t"), ["p@tient", "s h i t"]);
    }

    #[test]
    fn longest_match_wins() {
        let lex = Lexicon::new([("drug", 1u8), ("drug seeker", 2)]);
        let a = Analysis::new("another drug seeker");
        let m = lex.find_all(&a);
        assert_eq!(m.len(), 1);
        assert_eq!(*m[0].value, 2);
    }

    #[test]
    fn symbols_inside_phrases() {
        let lex = Lexicon::new([("100% safe", 1u8), ("a&e", 2)]);
        assert_eq!(spans(&lex, "Vaccines are 100% safe. Go to A&E"), ["100% safe", "A&E"]);
    }

    #[test]
    fn csv_parsing() {
        let rows = parse_csv("t.csv", "# c\nterm,plain\n\"a, b\",c\nx,\"say \"\"hi\"\"\"\n");
        assert_eq!(
            rows,
            vec![
                vec!["a, b".to_string(), "c".into()],
                vec!["x".into(), "say \"hi\"".into()]
            ]
        );
    }
}
