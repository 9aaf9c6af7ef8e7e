//! Word and phrase lists compiled into one automaton each.
//!
//! A lexicon's phrases go through the same tokenizer and normaliser as a
//! post, so a phrase matches however the post spells, cases, obfuscates or
//! punctuates it (`Frequent-Flyer`, `fr3quent flyer`, `FREQUENT FLYER`), and
//! only on whole words. A phrase ending in `*` also matches longer words
//! (`detox*` matches `detoxing`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::{Analysis, Span};

/// A compiled list of phrases, each with a value of type `V`.
///
/// Every lexicon is also registered in one process-wide automaton holding
/// the phrases of all lexicons, so that a post's token stream is scanned
/// once for all of them (the rules read some forty lexicons per post; one
/// scan each was most of the engine's time). The hits of that one scan are
/// cached in the [`Analysis`] and each lexicon takes its own from there. A
/// lexicon created after the shared automaton was last built uses an
/// automaton of its own until the next post rebuilds the shared one, so
/// results never depend on the order in which lexicons were created.
#[derive(Debug, Clone)]
pub struct Lexicon<V> {
    id: u32,
    entries: Vec<Entry<V>>,
    own: OnceLock<AhoCorasick>,
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

/// The phrases of every lexicon created so far, by id.
/// The phrases of one lexicon, each with its prefix flag.
type Phrases = Arc<[(String, bool)]>;

static REGISTRY: Mutex<Vec<Phrases>> = Mutex::new(Vec::new());
/// Set when a lexicon was registered after the shared automaton was built.
static PENDING: AtomicBool = AtomicBool::new(false);
/// Scans asked for so far, and the scan from which the shared automaton may
/// next be rebuilt. Rules create their lexicons lazily, so the first posts of
/// a run each create a few: rebuilding for every one of them took a fifth of
/// a short run. So the first build waits until most rules have run (each
/// lexicon uses its own automaton meanwhile, which gives the same matches),
/// and later rebuilds are spaced out, the gap doubling each time (at most
/// some twenty rebuilds in a million posts). Debug builds build at once, so
/// that the tests exercise the shared automaton.
static SCANS: AtomicU64 = AtomicU64::new(0);
static NEXT_BUILD: AtomicU64 = AtomicU64::new(if cfg!(debug_assertions) { 0 } else { 256 });
/// From this scan on, the shared automaton is rebuilt as a DFA. A DFA
/// searches a post in about half the time of the NFA but took some 1.5
/// billion instructions (half a second) to build: it pays off only after
/// about 140,000 posts, measured with `primum check --jsonl` on the dev
/// corpus.
const DFA_AFTER: u64 = 150_000;
/// Set once the upgrade to a DFA is under way.
static UPGRADED: AtomicBool = AtomicBool::new(false);
/// The shared automaton over all registered lexicons.
static SHARED: RwLock<Option<Arc<Shared>>> = RwLock::new(None);

struct Shared {
    automaton: AhoCorasick,
    /// For each pattern: its lexicon and its entry there.
    owner: Vec<(u32, u32)>,
    /// For each pattern: a prefix phrase (`detox*`).
    prefix: Vec<bool>,
    /// Lexicons with an id below this are in the automaton.
    covers: u32,
    /// The automaton is a DFA.
    dfa: bool,
}

/// One hit of the shared automaton in a post's stream.
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

/// The hits of the shared automaton in one post, sorted by lexicon, start,
/// then longest first.
#[derive(Debug, Clone)]
pub(crate) struct Hits {
    covers: u32,
    hits: Vec<Hit>,
    /// The hits of lexicon `id` are `hits[from[id]..from[id + 1]]`: the
    /// rules read some forty lexicons per post, most with no hit, and a
    /// lookup here is cheaper than two binary searches.
    from: Vec<u32>,
}

impl Hits {
    fn of(&self, lexicon: u32) -> &[Hit] {
        let id = lexicon as usize;
        match (self.from.get(id), self.from.get(id + 1)) {
            (Some(&lo), Some(&hi)) => &self.hits[lo as usize..hi as usize],
            _ => &[],
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn shared() -> Option<Arc<Shared>> {
    let scan = SCANS.fetch_add(1, Ordering::Relaxed);
    let due = scan >= NEXT_BUILD.load(Ordering::Relaxed) && PENDING.swap(false, Ordering::AcqRel);
    let upgrade = scan >= DFA_AFTER && !UPGRADED.swap(true, Ordering::AcqRel);
    if due || upgrade {
        PENDING.store(false, Ordering::Release);
        NEXT_BUILD.store(scan.saturating_mul(2).saturating_add(1), Ordering::Relaxed);
        let lexicons: Vec<Phrases> = lock(&REGISTRY).clone();
        let mut owner = Vec::new();
        let mut prefix = Vec::new();
        // Each phrase is anchored on the spaces around it in the padded
        // stream (` phrase `; ` phrase` for a prefix phrase), so the
        // automaton reports only matches that start and end on whole tokens
        // instead of every phrase inside every word.
        let mut patterns: Vec<String> = Vec::new();
        for (id, phrases) in lexicons.iter().enumerate() {
            for (n, (p, pre)) in phrases.iter().enumerate() {
                owner.push((id as u32, n as u32));
                prefix.push(*pre);
                patterns.push(if *pre { format!(" {p}") } else { format!(" {p} ") });
            }
        }
        // A DFA searches faster but takes longer to build: worth it only
        // once the run has shown itself long (the matches are the same).
        let build = |kind| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(&patterns)
        };
        let dfa = (scan >= DFA_AFTER).then(|| build(AhoCorasickKind::DFA).ok()).flatten();
        let is_dfa = dfa.is_some();
        let automaton = match dfa {
            Some(a) => a,
            None => build(AhoCorasickKind::ContiguousNFA).expect("lexicon automaton within size limits"),
        };
        let built = Arc::new(Shared {
            automaton,
            owner,
            prefix,
            covers: lexicons.len() as u32,
            dfa: is_dfa,
        });
        // Builds may finish out of order: never replace a newer automaton
        // with an older one.
        let mut slot = SHARED.write().unwrap_or_else(PoisonError::into_inner);
        if slot
            .as_ref()
            .is_none_or(|s| (s.covers, s.dfa) <= (built.covers, built.dfa))
        {
            *slot = Some(built);
        }
    }
    SHARED.read().unwrap_or_else(PoisonError::into_inner).clone()
}

/// Scans a stream with the shared automaton: every whole-token hit of every
/// lexicon.
pub(crate) fn scan_shared(a: &Analysis<'_>) -> Option<Hits> {
    let shared = shared()?;
    let stream = a.stream().as_bytes();
    // The stream with a space before and after it, for the anchored
    // phrases: padded byte `i + 1` is stream byte `i`.
    let padded = a.padded_stream.as_bytes();
    let mut hits = Vec::new();
    for m in shared.automaton.find_overlapping_iter(padded) {
        let p = m.pattern().as_usize();
        let start = m.start();
        // Without the anchors: the phrase's own range in the stream.
        let end = if shared.prefix[p] { m.end() - 1 } else { m.end() - 2 };
        if let Some((s, end, first)) = boundaries_at(a, stream, start, end, shared.prefix[p]) {
            let (lexicon, entry) = shared.owner[p];
            // The last stream token is the last one starting before `end`:
            // phrases are a few tokens long, so walk there from the first.
            let index = &a.stream_index;
            let mut last = first;
            while index.get(last + 1).is_some_and(|&(st, _)| (st as usize) < end) {
                last += 1;
            }
            let (first_tok, last_tok) = (index[first].1, index[last].1);
            hits.push(Hit {
                lexicon,
                start: s as u32,
                neg_end: u32::MAX - end as u32,
                entry,
                first_tok,
                last_tok,
            });
        }
    }
    hits.sort_unstable();
    let mut from = Vec::with_capacity(shared.covers as usize + 1);
    let mut at = 0;
    for id in 0..=shared.covers {
        while at < hits.len() && hits[at].lexicon < id {
            at += 1;
        }
        from.push(at as u32);
    }
    Some(Hits {
        covers: shared.covers,
        hits,
        from,
    })
}

/// Checks that a raw match starts at a token and ends at one (extending a
/// prefix phrase to the end of its word); returns the match's range.
fn boundaries(a: &Analysis<'_>, stream: &[u8], start: usize, end: usize, prefix: bool) -> Option<(usize, usize)> {
    boundaries_at(a, stream, start, end, prefix).map(|(s, e, _)| (s, e))
}

/// [`boundaries`], with the index in the stream of the match's first
/// token.
fn boundaries_at(
    a: &Analysis<'_>,
    stream: &[u8],
    start: usize,
    mut end: usize,
    prefix: bool,
) -> Option<(usize, usize, usize)> {
    let first = a.stream_token_at(start)?;
    if prefix {
        while end < stream.len() && stream[end] != b' ' {
            end += 1;
        }
    } else if end < stream.len() && stream[end] != b' ' {
        return None;
    }
    Some((start, end, first))
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
        let phrases: Phrases = list.iter().map(|e| (e.phrase.clone(), e.prefix)).collect();
        let id = {
            let mut reg = lock(&REGISTRY);
            reg.push(phrases);
            (reg.len() - 1) as u32
        };
        PENDING.store(true, Ordering::Release);
        Lexicon {
            id,
            entries: list,
            own: OnceLock::new(),
        }
    }

    /// This lexicon's own automaton, for posts scanned before the shared
    /// one included it.
    fn own(&self) -> &AhoCorasick {
        self.own.get_or_init(|| {
            // This automaton serves only the few posts checked between the
            // lexicon's creation and the next rebuild of the shared one, so
            // it is the kind quickest to build, not the quickest to search
            // (a DFA took a fifth of start-up).
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(self.entries.iter().map(|e| e.phrase.as_bytes()))
                .expect("lexicon automaton within size limits")
        })
    }

    /// The whole-token matches of this lexicon's own automaton, as
    /// (start, end, entry), unsorted.
    fn scan_own(&self, a: &Analysis<'_>) -> Vec<(usize, usize, usize)> {
        let stream = a.stream().as_bytes();
        let mut found = Vec::new();
        for m in self.own().find_overlapping_iter(stream) {
            let p = m.pattern().as_usize();
            if let Some((s, end)) = boundaries(a, stream, m.start(), m.end(), self.entries[p].prefix) {
                found.push((s, end, p));
            }
        }
        found
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
        let mut out = Vec::new();
        match a.lexicon_hits() {
            Some(h) if self.id < h.covers => {
                // The shared hits are already sorted leftmost then longest
                // and carry their tokens: take them as they are.
                let hits = h.of(self.id);
                // In debug builds (and so in every test), the shared scan
                // must find exactly what this lexicon's own automaton finds.
                #[cfg(debug_assertions)]
                {
                    let mut own = self.scan_own(a);
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
                }
                let mut covered = 0u32;
                for x in hits {
                    if x.start < covered && !out.is_empty() {
                        continue;
                    }
                    covered = u32::MAX - x.neg_end;
                    out.push(self.lex_match(a, x.first_tok as usize, x.last_tok as usize, x.entry as usize));
                }
            }
            _ => {
                // (start, end, entry), sorted leftmost then longest.
                let mut found = self.scan_own(a);
                found.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
                let mut covered = 0usize;
                for (s, end, p) in found {
                    if s < covered && !out.is_empty() {
                        continue;
                    }
                    covered = end;
                    let Some(first) = a.stream_token_at(s) else { continue };
                    // The last stream token is the one starting before `end`.
                    let last_pos = a.stream_index.partition_point(|&(st, _)| (st as usize) < end) - 1;
                    let first_tok = a.stream_index[first].1 as usize;
                    let last_tok = a.stream_index[last_pos].1 as usize;
                    out.push(self.lex_match(a, first_tok, last_tok, p));
                }
            }
        }
        out
    }

    fn lex_match<'l>(&'l self, a: &Analysis<'_>, first_tok: usize, last_tok: usize, entry: usize) -> LexMatch<'l, V> {
        let e = &self.entries[entry];
        LexMatch {
            span: Span::new(a.tokens[first_tok].span.start, a.tokens[last_tok].span.end),
            first: first_tok,
            end: last_tok + 1,
            phrase: &e.phrase,
            value: &e.value,
        }
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
