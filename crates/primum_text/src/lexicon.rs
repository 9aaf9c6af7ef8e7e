//! Word and phrase lists, matched on whole words.
//!
//! A lexicon's phrases go through the same tokenizer and normaliser as a
//! post, so a phrase matches however the post spells, cases, obfuscates or
//! punctuates it (`Frequent-Flyer`, `fr3quent flyer`, `FREQUENT FLYER`), and
//! only on whole words. A phrase ending in `*` also matches longer words
//! (`detox*` matches `detoxing`).

mod trie;

use std::cell::OnceCell;
use std::sync::{LazyLock, PoisonError, RwLock};

#[cfg(debug_assertions)]
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::{Analysis, Span};
use trie::WordTrie;

/// A compiled list of phrases, each with a value of type `V`.
///
/// Every lexicon adds its phrases to one process-wide trie of words holding
/// the phrases of all lexicons (see [`trie`]), so that a post's stream is
/// scanned once for all of them (the rules read some forty lexicons per
/// post; one scan each was most of the engine's time). The hits of that one
/// scan are cached in the [`Analysis`] and each lexicon takes its own from
/// there. A lexicon created after a post was scanned (rules create theirs
/// lazily, as they first run) scans that post again with the trie, which
/// holds it by then, so results never depend on the order in which lexicons
/// were created.
#[derive(Debug, Clone)]
pub struct Lexicon<V> {
    id: u32,
    entries: Vec<Entry<V>>,
    /// In debug builds, an Aho-Corasick automaton of this lexicon's phrases
    /// alone: the reference that every shared scan is checked against.
    #[cfg(debug_assertions)]
    own: std::sync::OnceLock<AhoCorasick>,
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

/// The phrases of every lexicon created so far. Only ever extended, so the
/// hits of an earlier scan stay valid. A scan holds the read lock while it
/// walks the trie; creating a lexicon takes the write lock.
static SHARED: LazyLock<RwLock<Shared>> = LazyLock::new(|| {
    RwLock::new(Shared {
        trie: WordTrie::new(),
        lexicons: 0,
    })
});

struct Shared {
    trie: WordTrie,
    /// Lexicons with an id below this are in the trie.
    lexicons: u32,
}

/// One hit of the shared scan in a post's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    lexicon: u32,
    start: u32,
    /// `u32::MAX - end`, so that sorting puts the longest first.
    neg_end: u32,
    entry: u32,
    /// The indices of its first and last tokens, found once at the scan
    /// rather than by every lexicon that reads the hit. (They follow from
    /// the fields above, so they never decide the order.)
    first_tok: u32,
    last_tok: u32,
}

/// The hits of the shared scan in one post, sorted by lexicon, start,
/// then longest first.
#[derive(Debug, Clone)]
pub(crate) struct Hits {
    hits: Vec<Hit>,
    /// The hits of lexicon `id` are `hits[lo..hi]` for `(lo, hi) =
    /// spans[id]`, one entry per lexicon the scan covers: the rules read
    /// some forty lexicons per post, most with no hit, and a lookup here is
    /// cheaper than two binary searches.
    spans: Vec<(u32, u32)>,
    /// A scan of the same post made after this one, for a lexicon created
    /// since (see [`Hits::of_lexicon`]).
    later: OnceCell<Box<Hits>>,
}

impl Hits {
    /// The hits of lexicon `lexicon`, or `None` if this scan does not
    /// cover it. (One test of the lexicon's id, where a test that it was
    /// covered, then one that its entries were in the table, were two
    /// branches per lexicon a post, some forty.)
    #[inline]
    fn of(&self, lexicon: u32) -> Option<&[Hit]> {
        let &(lo, hi) = self.spans.get(lexicon as usize)?;
        Some(self.hits.get(lo as usize..hi as usize).unwrap_or(&[]))
    }

    /// The hits of lexicon `lexicon` in `a`, whose scan this is: this
    /// scan's, or for a lexicon created after it (once per lexicon, on the
    /// post during which it was made), those of a later scan of `a`, made
    /// then and kept with this one for the rest of the post, so that every
    /// lexicon's hits are borrowed from the analysis.
    #[inline]
    pub(crate) fn of_lexicon(&self, lexicon: u32, a: &Analysis<'_>) -> &[Hit] {
        match self.of(lexicon) {
            Some(hits) => hits,
            None => self.later_of(lexicon, a),
        }
    }

    /// [`Hits::of_lexicon`] for a lexicon this scan does not cover.
    #[inline(never)]
    fn later_of(&self, lexicon: u32, a: &Analysis<'_>) -> &[Hit] {
        if let Some(later) = self.later.get() {
            return later.of_lexicon(lexicon, a);
        }
        // A new scan covers every lexicon created so far, this one too.
        self.later
            .get_or_init(|| Box::new(scan_shared(a)))
            .of(lexicon)
            .unwrap_or(&[])
    }

    /// Gives the two buffers back to this thread's spares, for the next
    /// post's [`sorted`] to fill, unless they are very large. (Allocating
    /// them afresh for every post was two allocations and two frees a post.)
    pub(crate) fn recycle(self) {
        if self.hits.capacity() <= 1 << 16 && self.spans.capacity() <= 1 << 16 {
            // (Fails only while the thread is exiting.)
            let _ = SPARE_HITS.try_with(|s| {
                let mut spare = s.take();
                spare.out = self.hits;
                spare.spans = self.spans;
                s.set(spare);
            });
        }
    }
}

/// The buffers of [`sorted`], kept per thread between posts: the two a
/// [`Hits`] takes away (given back by [`Hits::recycle`]), and the two it
/// uses only while it sorts.
#[derive(Default)]
struct SortBuffers {
    out: Vec<Hit>,
    spans: Vec<(u32, u32)>,
    by_start: Vec<Hit>,
    counts: Vec<u32>,
}

thread_local! {
    /// This thread's [`SortBuffers`] between posts (as `Analysis` keeps
    /// its own buffers).
    static SPARE_HITS: std::cell::Cell<SortBuffers> = const {
        std::cell::Cell::new(SortBuffers {
            out: Vec::new(),
            spans: Vec::new(),
            by_start: Vec::new(),
            counts: Vec::new(),
        })
    };
}

/// Scans a stream with the shared trie: every whole-token hit of every
/// lexicon created so far.
pub(crate) fn scan_shared(a: &Analysis<'_>) -> Hits {
    let shared = SHARED.read().unwrap_or_else(PoisonError::into_inner);
    RAW.with_borrow_mut(|hits| {
        hits.clear();
        scan_into(&shared.trie, a, hits);
        let covers = shared.lexicons;
        drop(shared);
        sorted(hits, covers, a.tokens.len())
    })
}

thread_local! {
    /// The hits of a scan before they are sorted, kept per thread:
    /// allocating them for every post made the allocator hand out fresh
    /// pages.
    static RAW: std::cell::RefCell<Vec<Hit>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Pushes every hit of the trie's phrases in `a`'s stream onto `hits`.
fn scan_into(trie: &WordTrie, a: &Analysis<'_>, hits: &mut Vec<Hit>) {
    let stream = a.stream().as_bytes();
    let index = &a.stream_index;
    // The trie walks the stream's space-separated parts. When they are its
    // tokens (no token's norm holds a space, so the stream has one space
    // fewer than tokens), every part starts a token and a hit's tokens are
    // its first and last parts. That is nearly always. (The tokens start
    // strictly after one another in the stream, each followed by a space
    // there: see `Analysis::mark_tokens`. A test of it over the index, a
    // loop of a varying length, ended mispredicted.)
    debug_assert!(index.windows(2).all(|w| w[0].0 < w[1].0));
    let simple = stream.iter().filter(|&&c| c == b' ').count() + 1 == index.len();
    if simple {
        let range = |j: usize| {
            let end = index.get(j + 1).map_or(stream.len(), |&(s, _)| s as usize - 1);
            index[j].0 as usize..end
        };
        trie.scan(stream, index.len(), range, |p, k, j| {
            let (start, first_tok) = index[k];
            let (neg_end, last_tok) = (u32::MAX - range(j).end as u32, index[j].1);
            let hit = |p: u32| {
                let (lexicon, entry) = trie.owner(p);
                Hit {
                    lexicon,
                    start,
                    neg_end,
                    entry,
                    first_tok,
                    last_tok,
                }
            };
            // The list's first two patterns are both written, and the
            // second kept if the list has two, with no branch on that (see
            // `WordTrie::first_two`).
            let (first, second, two, more) = trie.first_two(p);
            hits.extend_from_slice(&[hit(first), hit(second)]);
            hits.truncate(hits.len() - usize::from(!two));
            // (Nearly never, a branch that is predicted.)
            if more {
                trie.for_each_after(second, |p| hits.push(hit(p)));
            }
        });
    } else {
        // Otherwise walk the parts themselves, keep the hits that start a
        // token, and find their tokens by position.
        let mut parts = Vec::new();
        let mut at = 0;
        for part in stream.split(|&c| c == b' ') {
            parts.push(at..at + part.len());
            at += part.len() + 1;
        }
        trie.scan(
            stream,
            parts.len(),
            |j| parts[j].clone(),
            |p, k, j| {
                let (start, end) = (parts[k].start, parts[j].end);
                let Some(first) = a.stream_token_at(start) else { return };
                // The last token is the last one starting before `end`:
                // phrases are a few tokens long, so walk there from the first.
                let mut last = first;
                while index.get(last + 1).is_some_and(|&(st, _)| (st as usize) < end) {
                    last += 1;
                }
                trie.for_each_pattern(p, |p| {
                    let (lexicon, entry) = trie.owner(p);
                    hits.push(Hit {
                        lexicon,
                        start: start as u32,
                        neg_end: u32::MAX - end as u32,
                        entry,
                        first_tok: index[first].1,
                        last_tok: index[last].1,
                    });
                });
            },
        );
    }
}

/// `hits` as [`Hits`] over lexicons `0..covers`: each lexicon's
/// leftmost-longest hits that overlap none before them (what
/// [`Lexicon::find_all`] returns), sorted by lexicon, start, then longest
/// first (then by entry). `tokens` is more than any hit's first token.
fn sorted(hits: &[Hit], covers: u32, tokens: usize) -> Hits {
    let SortBuffers {
        mut out,
        mut spans,
        mut by_start,
        mut counts,
    } = SPARE_HITS.try_with(std::cell::Cell::take).unwrap_or_default();
    // First a counting sort by first token, from the first hit on, each
    // placed before the end of its token's (so in the reverse order at a
    // token). The scan finds a start's hits shortest first (a round per
    // word of length), and the order below wants the longest first: the
    // insertion sort there moved each longer hit back past the shorter
    // ones, a loop whose length the text decided, mispredicted some six
    // times a post. Now nearly every hit is in place before it. Then a
    // counting sort by lexicon: first each lexicon's count, then where its
    // hits end, then each hit placed before the end of its lexicon's, from
    // the last hit back (so in the same order). (In `spans`, whose first
    // numbers count and place here, and whose second count the hits kept
    // below.) Both counts are taken in one loop over the hits, and no step
    // branches on the text. `counts` and `by_start` are only grown, so
    // that their lengths are tested, not filled, for most posts.
    let n = hits.len();
    if counts.len() < tokens {
        counts.resize(tokens, 0);
    }
    counts[..tokens].fill(0);
    spans.clear();
    spans.resize(covers as usize, (0, 0));
    for h in hits {
        counts[h.first_tok as usize] += 1;
        spans[h.lexicon as usize].0 += 1;
    }
    let mut end = 0;
    for c in &mut counts[..tokens] {
        end += *c;
        *c = end;
    }
    let mut end = 0;
    for s in &mut spans {
        end += s.0;
        s.0 = end;
    }
    if by_start.len() < n {
        by_start.resize(n, NO_HIT);
    }
    for h in hits {
        let f = &mut counts[h.first_tok as usize];
        *f -= 1;
        by_start[*f as usize] = *h;
    }
    let hits = &by_start[..n];
    out.clear();
    out.resize(n, NO_HIT);
    for h in hits.iter().rev() {
        let f = &mut spans[h.lexicon as usize].0;
        *f -= 1;
        out[*f as usize] = *h;
    }
    // Then the whole list in the order of `Hit`'s derived `Ord` (its last
    // two fields follow from the others), by an insertion sort: the list
    // is in order (longest first at a start, by the sort by token above)
    // but where a lexicon has, at one start, a hit of a phrase ending in
    // `*` longer than a hit of another phrase (the scan lists those of
    // `*` first), or two entries with the same words, so nearly every
    // comparison says "in order", a branch that is predicted. (Sorting
    // each lexicon's hits apart took a test per lexicon of whether it had
    // more than one, mispredicted whenever it had.)
    // The key is one number, compared with no branch, where a tuple was
    // compared field by field.
    let key = |h: &Hit| {
        u128::from(h.lexicon) << 96 | u128::from(h.start) << 64 | u128::from(h.neg_end) << 32 | u128::from(h.entry)
    };
    // An insertion sort is quadratic in the hits out of place, though: in
    // a long post with many hits out of place (a long one at each start,
    // say), it gives way to a sort of the whole list, so that the time
    // stays linear in the text, but for the logarithm.
    let budget = 4 * out.len() + 64;
    let mut moves = 0;
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && key(&out[j - 1]) > key(&out[j]) {
            out.swap(j - 1, j);
            j -= 1;
        }
        moves += i - j;
        if moves > budget {
            out.sort_unstable_by_key(key);
            break;
        }
    }
    // Then in each lexicon's hits, those that overlap one kept before them
    // are dropped: each hit is written at the end of the kept ones, which
    // moves past it by a `bool`, and `spans` counts the kept ones,
    // with no branch on the text (a branch per hit in `find_all` on
    // whether it overlapped was mispredicted about once a post in three).
    let mut kept = 0;
    // The end of the last kept hit of the lexicon of the hit before.
    let mut covered = 0u32;
    let mut last = u32::MAX;
    for i in 0..out.len() {
        let h = out[i];
        // A new lexicon covers nothing yet (no hit starts before 0).
        let covered_here = if h.lexicon == last { covered } else { 0 };
        let keep = h.start >= covered_here;
        out[kept] = h;
        kept += usize::from(keep);
        spans[h.lexicon as usize].1 += u32::from(keep);
        covered = if keep { u32::MAX - h.neg_end } else { covered_here };
        last = h.lexicon;
    }
    out.truncate(kept);
    // Each lexicon's span from the count of its hits kept.
    let mut start = 0;
    for s in &mut spans {
        let count = s.1;
        *s = (start, start + count);
        start += count;
    }
    // The two buffers used only here go back at once, unless very large.
    if by_start.capacity() <= 1 << 16 && counts.capacity() <= 1 << 16 {
        // (Fails only while the thread is exiting.)
        let _ = SPARE_HITS.try_with(|s| {
            s.set(SortBuffers {
                by_start,
                counts,
                ..SortBuffers::default()
            });
        });
    }
    Hits {
        hits: out,
        spans,
        later: OnceCell::new(),
    }
}

/// A placeholder for [`sorted`]'s output before it is filled.
const NO_HIT: Hit = Hit {
    lexicon: 0,
    start: 0,
    neg_end: 0,
    entry: 0,
    first_tok: 0,
    last_tok: 0,
};

/// Checks that a raw match starts at a token and ends at one (extending a
/// prefix phrase to the end of its word); returns the match's range.
#[cfg(debug_assertions)]
fn boundaries(a: &Analysis<'_>, stream: &[u8], start: usize, mut end: usize, prefix: bool) -> Option<(usize, usize)> {
    a.stream_token_at(start)?;
    if prefix {
        while end < stream.len() && stream[end] != b' ' {
            end += 1;
        }
    } else if end < stream.len() && stream[end] != b' ' {
        return None;
    }
    Some((start, end))
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
            let phrase = Analysis::new(raw).stream().to_string();
            if phrase.is_empty() {
                continue;
            }
            list.push(Entry { phrase, prefix, value });
        }
        let id = {
            let mut shared = SHARED.write().unwrap_or_else(PoisonError::into_inner);
            let id = shared
                .trie
                .add_lexicon(list.iter().map(|e| (e.phrase.as_str(), e.prefix)));
            shared.lexicons = id + 1;
            id
        };
        Lexicon {
            id,
            entries: list,
            #[cfg(debug_assertions)]
            own: std::sync::OnceLock::new(),
        }
    }

    /// The reference for this lexicon's hits in debug builds: an
    /// Aho-Corasick automaton of its phrases alone.
    #[cfg(debug_assertions)]
    fn own(&self) -> &AhoCorasick {
        self.own.get_or_init(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(self.entries.iter().map(|e| e.phrase.as_bytes()))
                .expect("lexicon automaton within size limits")
        })
    }

    /// In debug builds (and so in every test), checks that `hits`, this
    /// lexicon's part of a shared scan, are exactly the leftmost-longest
    /// whole-token matches of its own automaton that overlap none before
    /// them.
    #[cfg(debug_assertions)]
    fn check_hits(&self, a: &Analysis<'_>, hits: &[Hit]) {
        let stream = a.stream().as_bytes();
        let mut all: Vec<(usize, std::cmp::Reverse<usize>, usize)> = Vec::new();
        for m in self.own().find_overlapping_iter(stream) {
            let p = m.pattern().as_usize();
            if let Some((s, end)) = boundaries(a, stream, m.start(), m.end(), self.entries[p].prefix) {
                all.push((s, std::cmp::Reverse(end), p));
            }
        }
        all.sort_unstable();
        let mut own = Vec::new();
        let mut covered = 0;
        for (s, std::cmp::Reverse(end), p) in all {
            if s >= covered {
                own.push((s, end, p));
                covered = end;
            }
        }
        own.sort_unstable();
        let mut shared: Vec<(usize, usize, usize)> = hits
            .iter()
            .map(|x| (x.start as usize, (u32::MAX - x.neg_end) as usize, x.entry as usize))
            .collect();
        shared.sort_unstable();
        assert_eq!(
            shared, own,
            "shared lexicon scan differs from the lexicon's own on {:?}",
            a.text
        );
        for x in hits {
            let first = a.stream_token_at(x.start as usize).expect("a hit starts a token");
            let end = u32::MAX - x.neg_end;
            let last = a.stream_index.partition_point(|&(st, _)| st < end) - 1;
            assert_eq!(
                (x.first_tok, x.last_tok),
                (a.stream_index[first].1, a.stream_index[last].1),
                "tokens of a lexicon hit in {:?}",
                a.text
            );
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
    ///
    /// Called for some forty lexicons a post: it takes its hits with as
    /// few tests as it can (each is mispredicted now and then, as calls
    /// for different lexicons run through it one after another).
    pub fn find_all<'l>(&'l self, a: &Analysis<'_>) -> Vec<LexMatch<'l, V>> {
        self.each(a).collect()
    }

    /// [`Lexicon::find_all`] as an iterator: the same matches, in the same
    /// order, read from the post's scan as they are taken, with no list
    /// made (a `Vec` of the matches was an allocation for every lexicon
    /// with a match in the post, several a post, for a caller that reads
    /// the matches once).
    pub fn each<'l>(&'l self, a: &Analysis<'_>) -> impl Iterator<Item = LexMatch<'l, V>> {
        // The hits are the leftmost-longest ones, with no overlap, and
        // carry their tokens (see [`sorted`]): taken as they are, from one
        // slice. (A lexicon created after the post was scanned had its
        // matches from a new scan chained after the hits: each step of
        // that chain took two tests, one of them shared by every lexicon's
        // loop and mispredicted about once a lexicon with a hit.)
        let hits = a.lexicon_hits().of_lexicon(self.id, a);
        #[cfg(debug_assertions)]
        self.check_hits(a, hits);
        hits.iter().map(move |x| self.lex_match(a, x))
    }

    /// The match of hit `x` of a scan of `a`.
    fn lex_match<'l>(&'l self, a: &Analysis<'_>, x: &Hit) -> LexMatch<'l, V> {
        let (first, last) = (x.first_tok as usize, x.last_tok as usize);
        let e = &self.entries[x.entry as usize];
        LexMatch {
            span: Span::new(a.tokens[first].span.start, a.tokens[last].span.end),
            first,
            end: last + 1,
            phrase: &e.phrase,
            value: &e.value,
        }
    }

    /// True when any phrase matches.
    pub fn matches(&self, a: &Analysis<'_>) -> bool {
        self.each(a).next().is_some()
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

    /// One-word prefix phrases of one, two and more bytes: the root's
    /// prefix words are found by a part's first three bytes, which a word
    /// of under three bytes has fewer of.
    #[test]
    fn short_prefix_words_at_the_root() {
        let lex = Lexicon::new([("q*", 1u8), ("zy*", 2), ("cardio*", 3), ("xyz*", 4)]);
        assert_eq!(
            spans(&lex, "Quick zyx zy z cardiology cardi q xyz xy"),
            ["Quick", "zyx", "zy", "cardiology", "q", "xyz"]
        );
    }

    /// Words of more than eight bytes that share their first eight and
    /// their length: a probe that finds the first eight bytes compares the
    /// rest, and goes on to the next slot if it differs.
    #[test]
    fn long_words_sharing_their_first_eight_bytes() {
        let lex = Lexicon::new([
            ("paracetamol", 1u8),
            ("paracetamxx", 2),
            ("paracetamol overdose", 3),
            ("paracetamxx overdosing", 4),
        ]);
        let a = Analysis::new("paracetamxx paracetamol paracetamxx overdosing paracetamol overdose paracetamyy");
        let values: Vec<u8> = lex.find_all(&a).iter().map(|m| *m.value).collect();
        assert_eq!(values, [2, 1, 4, 3]);
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
    fn each_gives_the_matches_of_find_all() {
        let lex = Lexicon::new([("drug", 1u8), ("drug seeker", 2), ("cure", 3), ("p*tient", 4)]);
        for text in [
            "another drug seeker",
            "a drug, a cure, a drug",
            "my p@tient",
            "nothing here",
            "",
        ] {
            let a = Analysis::new(text);
            let key = |m: &LexMatch<'_, u8>| (m.span, m.first, m.end, *m.value);
            let each: Vec<_> = lex.each(&a).map(|m| key(&m)).collect();
            let all: Vec<_> = lex.find_all(&a).iter().map(key).collect();
            assert_eq!(each, all, "{text}");
        }
    }

    /// A lexicon made after the post was scanned (as a rule's lexicon is
    /// made during the first post it checks) takes its matches from a new
    /// scan, by `each` as by `find_all`.
    #[test]
    fn each_on_a_lexicon_made_after_the_scan() {
        let first = Lexicon::new([("drug", 1u8)]);
        let a = Analysis::new("another drug seeker sought a cure");
        assert_eq!(first.find_all(&a).len(), 1);
        let later = Lexicon::new([("drug seeker", 2u8), ("cure", 3)]);
        let values: Vec<u8> = later.each(&a).map(|m| *m.value).collect();
        assert_eq!(values, [2, 3]);
        let all: Vec<u8> = later.find_all(&a).iter().map(|m| *m.value).collect();
        assert_eq!(all, values);
        // One more, after both scans: a third scan, kept after the second.
        let last = Lexicon::new([("seeker", 4u8), ("cure", 5)]);
        let values: Vec<u8> = last.each(&a).map(|m| *m.value).collect();
        assert_eq!(values, [4, 5]);
        assert!(last.matches(&a));
        assert!(!Lexicon::new([("healer", 6u8)]).matches(&a));
        // The earlier lexicons still read theirs.
        assert_eq!(later.find_all(&a).len(), 2);
        assert_eq!(first.find_all(&a).len(), 1);
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
