//! The analysis of one post's text, done once and shared by every rule.

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use crate::Span;
use crate::fold::Folded;
use crate::lexicon::{Hits, scan_shared};
use crate::token::{Case, Token, TokenKind, recycle_tokens, tokenize};

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
    lex_hits: OnceCell<Hits>,
    /// A form of the text made once on demand for searches (see
    /// [`Analysis::search_form`]).
    search_form: OnceCell<String>,
}

/// Words that end a negation scope (`Contrast`) or open one (`Negator`).
/// Every word ending in `n't` (`don't`, `wouldn't`, `ain't`...) opens one
/// too, so none of those is listed.
const ROLE_WORDS: &[(&[u8], Role)] = &[
    (b"but", Role::Contrast),
    (b"however", Role::Contrast),
    (b"although", Role::Contrast),
    (b"though", Role::Contrast),
    (b"yet", Role::Contrast),
    (b"not", Role::Negator),
    (b"no", Role::Negator),
    (b"never", Role::Negator),
    (b"cannot", Role::Negator),
    (b"without", Role::Negator),
    (b"nor", Role::Negator),
    (b"neither", Role::Negator),
    (b"nobody", Role::Negator),
    (b"nothing", Role::Negator),
    (b"none", Role::Negator),
    (b"dont", Role::Negator),
    (b"doesnt", Role::Negator),
    (b"cant", Role::Negator),
    (b"wont", Role::Negator),
    (b"isnt", Role::Negator),
    (b"arent", Role::Negator),
    (b"nope", Role::Negator),
    (b"hardly", Role::Negator),
    (b"barely", Role::Negator),
    (b"stop", Role::Negator),
    (b"avoid", Role::Negator),
];

/// [`ROLE_WORDS`] in a table of 64 slots, one word at most in each, so that
/// a word is looked up with one hash and one comparison (a `match` on the
/// words took a dozen data-dependent branches per word, mostly
/// mispredicted). The key of a word of two bytes or more packs its length
/// and first and last two bytes; its hash's multiplier was searched for to
/// put these words in distinct slots, which [`role_table`] asserts when
/// the crate is compiled. A slot holds the key with the word, and keys are
/// compared first: they differ for nearly every word looked up, a branch
/// that is predicted, where comparing lengths first was not.
const ROLE_SLOTS: [(u64, &[u8], Role); 64] = role_table();

const fn role_key(w: &[u8]) -> u64 {
    let n = w.len();
    ((n as u64) << 32) | ((w[0] as u64) << 24) | ((w[1] as u64) << 16) | ((w[n - 2] as u64) << 8) | w[n - 1] as u64
}

const fn role_slot(key: u64) -> usize {
    (key.wrapping_mul(0x6670_0266_a97f_2203) >> 58) as usize
}

const fn role_table() -> [(u64, &'static [u8], Role); 64] {
    let mut table: [(u64, &[u8], Role); 64] = [(0, b"", Role::Other); 64];
    let mut i = 0;
    while i < ROLE_WORDS.len() {
        let (word, role) = ROLE_WORDS[i];
        let key = role_key(word);
        let slot = role_slot(key);
        assert!(
            table[slot].1.is_empty(),
            "two role words share a slot: change the multiplier"
        );
        table[slot] = (key, word, role);
        i += 1;
    }
    table
}

/// The role of a word or number's norm: `Contrast`, `Negator` or `Other`.
fn word_role(w: &[u8]) -> Role {
    if w.len() >= 2 {
        let key = role_key(w);
        let (slot_key, word, role) = ROLE_SLOTS[role_slot(key)];
        if slot_key == key && word == w {
            return role;
        }
    }
    if w.ends_with(b"n't") {
        Role::Negator
    } else {
        Role::Other
    }
}

/// Words after which a full stop does not end a sentence.
fn is_abbreviation(w: &[u8]) -> bool {
    matches!(
        w,
        b"dr"
            | b"mr"
            | b"mrs"
            | b"ms"
            | b"st"
            | b"vs"
            | b"eg"
            | b"ie"
            | b"approx"
            | b"no"
            | b"prof"
            | b"sr"
            | b"jr"
            | b"dept"
            | b"e.g"
            | b"i.e"
            | b"etc"
            | b"fig"
            | b"ref"
            | b"vol"
            | b"mt"
            | b"ft"
            | b"rd"
            | b"ave"
    )
}

/// The bytes that [`push_run`] copies at once.
const RUN_CHUNK: usize = 64;

thread_local! {
    /// The padded text of the last analysis on this thread (see
    /// [`padded`]), for the next to fill.
    static SPARE_PADDED: Cell<String> = const { Cell::new(String::new()) };
}

/// `folded` followed by [`RUN_CHUNK`] spaces: the text that norms and the
/// stream's runs are copied from in chunks of fixed size (see [`push_run`]
/// and `token::norm_of`), so that every token has a whole chunk after its
/// start (without it, the tokens near the text's end, a few a post, and
/// more in short texts, were copied by their length, and the branches of
/// that copy mispredicted about once a token).
fn padded(folded: &str) -> String {
    let mut s = SPARE_PADDED.try_with(Cell::take).unwrap_or_default();
    s.clear();
    s.reserve(folded.len() + RUN_CHUNK);
    s.push_str(folded);
    s.push_str(PAD);
    s
}

/// [`RUN_CHUNK`] spaces.
const PAD: &str = {
    const BYTES: [u8; RUN_CHUNK] = [b' '; RUN_CHUNK];
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("spaces are UTF-8"),
    }
};

/// Appends `src[start..end]`, a run of the folded text (`src` is the
/// folded text padded, see [`padded`]), to the stream `out`.
///
/// A `memcpy` of the run's length branched on the length, which changes
/// from run to run (a run ends at each mark glued to a word), and was
/// mispredicted about once a run. So the run is copied in chunks of
/// [`RUN_CHUNK`] bytes read whole from `src` (a copy of fixed size, with
/// no branch), `out` cut back after each to what the run holds; only where
/// `src` ends within a chunk (never, with the padding, but where a chunk
/// would end inside a character) is the rest copied by its length.
#[inline]
fn push_run(out: &mut String, src: &str, mut start: usize, end: usize) {
    while start < end
        && let Some(chunk) = src.get(start..start + RUN_CHUNK)
    {
        let len = out.len();
        out.push_str(chunk);
        let n = (end - start).min(RUN_CHUNK);
        // A char boundary: the run's end, or the chunk's.
        out.truncate(len + n);
        start += n;
    }
    if start < end {
        out.push_str(&src[start..end]);
    }
}

/// What a token's norm means to the sentence, quotation, negation and
/// stream passes, worked out once per token so that those passes compare
/// no strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Other,
    /// `.`
    Period,
    /// `!`
    Bang,
    /// `?`
    Query,
    /// `...` (what `…` folds to) or `…`.
    Ellipsis,
    /// `'`
    Apostrophe,
    /// `"`
    DoubleQuote,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// `,`, `;` or `:`.
    Pause,
    /// `-`
    Hyphen,
    /// A word that ends a negation scope (`but`, `however`...).
    Contrast,
    /// A word that opens a negation scope.
    Negator,
}

/// The marks that have a [`Role`], as token norms (`…` folds to `...`,
/// but both are listed, as the tokenizer may keep either).
const ROLE_MARKS: &[(&[u8], Role)] = &[
    (b".", Role::Period),
    (b"!", Role::Bang),
    (b"?", Role::Query),
    (b"'", Role::Apostrophe),
    (b"\"", Role::DoubleQuote),
    (b"(", Role::OpenParen),
    (b")", Role::CloseParen),
    (b",", Role::Pause),
    (b";", Role::Pause),
    (b":", Role::Pause),
    (b"-", Role::Hyphen),
    (b"...", Role::Ellipsis),
    (b"\xE2\x80\xA6", Role::Ellipsis),
];

/// A slot of [`ROLE_TABLE`]: a norm of at most eight bytes as its bytes
/// in a number (little-endian, zero-padded), its length and whether it is
/// a word's or number's (see [`role_meta`]), and its role.
#[derive(Clone, Copy)]
struct RoleSlot {
    head: u64,
    meta: u32,
    role: Role,
}

/// [`ROLE_WORDS`] (for words and numbers) and [`ROLE_MARKS`] (for other
/// tokens) in one table of 128 slots, one at most in each, looked up with
/// no branch by [`Role::of`]: every one of them is at most eight bytes
/// long, so its bytes in a number and its length say what it is, with no
/// string compared. The multiplier of [`role_table_slot`] was searched for to
/// put them in distinct slots, which is asserted when the crate is
/// compiled.
const ROLE_TABLE: [RoleSlot; 128] = {
    let empty = RoleSlot {
        head: 0,
        meta: u32::MAX,
        role: Role::Other,
    };
    let mut table = [empty; 128];
    let mut list = 0;
    while list < 2 {
        let (entries, wordlike) = if list == 0 {
            (ROLE_WORDS, true)
        } else {
            (ROLE_MARKS, false)
        };
        let mut i = 0;
        while i < entries.len() {
            let (w, role) = entries[i];
            assert!(w.len() <= 8, "a role's word is at most eight bytes");
            let mut head = 0u64;
            let mut k = w.len();
            while k > 0 {
                k -= 1;
                head = head << 8 | w[k] as u64;
            }
            let slot = role_table_slot(head, w.len(), wordlike);
            assert!(
                table[slot].meta == u32::MAX,
                "two roles share a slot: change the multiplier"
            );
            table[slot] = RoleSlot {
                head,
                meta: role_meta(w.len(), wordlike),
                role,
            };
            i += 1;
        }
        list += 1;
    }
    table
};

/// A norm's length (up to 255) and whether it is a word's or number's, as
/// [`RoleSlot::meta`].
const fn role_meta(len: usize, wordlike: bool) -> u32 {
    let len = if len < 255 { len } else { 255 };
    len as u32 | (wordlike as u32) << 8
}

/// The slot of [`ROLE_TABLE`] for a norm with these bytes (its first
/// eight, see [`RoleSlot`]), length and kind.
const fn role_table_slot(head: u64, len: usize, wordlike: bool) -> usize {
    let key = head ^ (len as u64) << 56 ^ (wordlike as u64) << 63;
    (key.wrapping_mul(0x8492_c7b5_f40f_f923) >> 57) as usize
}

/// `b[at..at + 8]` as a little-endian number.
#[inline(always)]
fn read8(b: &[u8], at: usize) -> Option<u64> {
    let w = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(w.try_into().ok()?))
}

impl Role {
    /// The role of token `t`, whose text is in `folded` (the folded text,
    /// padded so that the first eight bytes of every token can be read).
    ///
    /// A token not rebuilt from an obfuscation has its folded text for
    /// norm (see `Token::norm`): its first eight bytes and its last are
    /// read from there in two fixed loads (but for the first and last few
    /// bytes of the text), its role looked up in [`ROLE_TABLE`] and the
    /// `n't` of a negator tested, all with no branch. Looking up words and
    /// marks apart ([`Role::of_slowly`]) branched on the token's kind,
    /// length and text, which change from token to token, about once a
    /// token in three mispredicted.
    #[inline(always)]
    fn of(t: &Token, folded: &[u8]) -> Role {
        let n = t.norm.len();
        let (start, end) = (t.fspan.start, t.fspan.end);
        let wordlike = t.is_wordlike();
        // The eight bytes that end the token are read from the text's
        // start for a token that ends within its first eight (the first
        // token or two of a post, where a test of `end >= 8` was
        // mispredicted about once a post); `tail` is then the token's last
        // three bytes either way.
        let base = end.saturating_sub(8);
        if !t.obfuscated
            && let Some(first) = read8(folded, start)
            && let Some(last) = read8(folded, base)
        {
            // The low `n` bytes (all eight for `n >= 8`); a `u128` so that
            // the shift by 64 is defined.
            let head = first & ((1u128 << (8 * n.min(8))) - 1) as u64;
            let slot = ROLE_TABLE[role_table_slot(head, n, wordlike)];
            let found = (slot.head == head) & (slot.meta == role_meta(n, wordlike));
            let tail = (last >> (8 * (end - base).saturating_sub(3))) & 0xFF_FFFF;
            // `n't` in the last three bytes (`n`, `'`, `t`, little-endian).
            let negator = wordlike & !found & (n >= 3) & (tail == 0x74_27_6e);
            // Chosen by indexing, with no branch: whether a token has a
            // role changes from token to token.
            let role = [Role::Other, slot.role][usize::from(found)];
            return [role, Role::Negator][usize::from(negator)];
        }
        Role::of_slowly(t)
    }

    /// [`Role::of`] by the norm alone, for the tokens whose folded text
    /// is not their norm, or not eight bytes from the text's ends.
    fn of_slowly(t: &Token) -> Role {
        let n = t.norm.as_bytes();
        match t.kind {
            TokenKind::Word | TokenKind::Number => word_role(n),
            // Nearly every other token is one byte: its role is looked up
            // in a table (a `match` on the strings branched on the byte).
            _ => match n {
                [c] => PUNCT_ROLES[usize::from(*c)],
                // `…` as UTF-8.
                b"..." | b"\xE2\x80\xA6" => Role::Ellipsis,
                _ => Role::Other,
            },
        }
    }

    /// A mark that ends a clause, and a negation's scope.
    fn ends_clause(self) -> bool {
        matches!(
            self,
            Role::Period | Role::Pause | Role::Bang | Role::Query | Role::OpenParen | Role::CloseParen
        )
    }

    /// A mark that may end a sentence (see [`Analysis::ends_sentence`]).
    fn may_end_sentence(self) -> bool {
        matches!(
            self,
            Role::Period | Role::Bang | Role::Query | Role::Ellipsis | Role::Apostrophe | Role::DoubleQuote
        )
    }

    /// `.`, `!` or `?`.
    fn is_terminal(self) -> bool {
        matches!(self, Role::Period | Role::Bang | Role::Query)
    }
}

/// The role of a one-byte token other than a word or number, by its byte.
const PUNCT_ROLES: [Role; 256] = {
    let mut t = [Role::Other; 256];
    t[b'.' as usize] = Role::Period;
    t[b'!' as usize] = Role::Bang;
    t[b'?' as usize] = Role::Query;
    t[b'\'' as usize] = Role::Apostrophe;
    t[b'"' as usize] = Role::DoubleQuote;
    t[b'(' as usize] = Role::OpenParen;
    t[b')' as usize] = Role::CloseParen;
    t[b',' as usize] = Role::Pause;
    t[b';' as usize] = Role::Pause;
    t[b':' as usize] = Role::Pause;
    t[b'-' as usize] = Role::Hyphen;
    t
};

/// The per-token vectors and the stream of an analysis, kept by
/// [`SPARE`] between analyses.
#[derive(Default)]
struct Buffers {
    sentence_of: Vec<u32>,
    sentences: Vec<Sentence>,
    quoted: Vec<bool>,
    negated: Vec<bool>,
    stream: String,
    stream_index: Vec<(u32, u32)>,
}

thread_local! {
    /// The buffers of the last analysis dropped on this thread, for the
    /// next one to fill rather than allocating its own (as for the tokens:
    /// see `token::SPARE_TOKENS`).
    static SPARE: Cell<Buffers> = const {
        Cell::new(Buffers {
            sentence_of: Vec::new(),
            sentences: Vec::new(),
            quoted: Vec::new(),
            negated: Vec::new(),
            stream: String::new(),
            stream_index: Vec::new(),
        })
    };
}

/// The tokens and buffers go back to this thread's spares, for the next
/// analysis, unless they are very large.
impl Drop for Analysis<'_> {
    fn drop(&mut self) {
        recycle_tokens(std::mem::take(&mut self.tokens));
        if let Some(hits) = self.lex_hits.take() {
            hits.recycle();
        }
        if self.sentence_of.capacity() <= 1 << 16 && self.padded_stream.capacity() <= 1 << 20 {
            let spare = Buffers {
                sentence_of: std::mem::take(&mut self.sentence_of),
                sentences: std::mem::take(&mut self.sentences),
                quoted: std::mem::take(&mut self.quoted),
                negated: std::mem::take(&mut self.negated),
                stream: std::mem::take(&mut self.padded_stream),
                stream_index: std::mem::take(&mut self.stream_index),
            };
            // (Fails only while the thread is exiting.)
            let _ = SPARE.try_with(|s| s.set(spare));
        }
    }
}

impl<'t> Analysis<'t> {
    /// Analyses `text`. Never panics; linear in the length of the text.
    pub fn new(text: &'t str) -> Analysis<'t> {
        let folded = Folded::new(text);
        let padded = padded(&folded.text);
        let tokens = tokenize(&folded, text, &padded);
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
        a.mark_tokens(&padded);
        // (Fails only while the thread is exiting.)
        let _ = SPARE_PADDED.try_with(|s| s.set(padded));
        a
    }

    /// A rewritten form of the text that searches share, made by `make`
    /// on the first call and kept (the identifier detector's regexes run
    /// over a copy whose non-ASCII word characters are `_`). Every call
    /// must pass the same `make`.
    pub fn search_form(&self, make: impl FnOnce(&str) -> String) -> &str {
        self.search_form.get_or_init(|| make(self.text))
    }

    /// True when the text is all ASCII: known from the fold (an ASCII
    /// text folds byte for byte, with no map), with no pass over the text.
    pub fn is_ascii(&self) -> bool {
        self.folded.is_identity()
    }

    /// The original text of a token.
    #[inline]
    pub fn token_text(&self, i: usize) -> &'t str {
        let s = self.tokens[i].span;
        &self.text[s.start..s.end]
    }

    /// The original text of a span.
    #[inline]
    pub fn slice(&self, s: Span) -> &'t str {
        &self.text[s.start..s.end]
    }

    /// The original span of a folded byte range.
    pub fn original_span(&self, fstart: usize, fend: usize) -> Span {
        let (s, e) = self.folded.original_range(fstart, fend, self.text);
        Span::new(s, e)
    }

    /// The original span covering tokens `range` (which must not be empty).
    #[inline]
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

    /// Splits the tokens into sentences, marks quotation and negation and
    /// builds the stream, in one pass over the tokens: each pass looks only
    /// at a token and its neighbours, and each token's [`Role`] is worked
    /// out once.
    fn mark_tokens(&mut self, padded: &str) {
        let tokens = &self.tokens;
        let n = tokens.len();
        let Buffers {
            mut sentence_of,
            mut sentences,
            mut quoted,
            mut negated,
            mut stream,
            stream_index: mut index,
        } = SPARE.try_with(Cell::take).unwrap_or_default();
        sentence_of.clear();
        sentence_of.reserve(n);
        sentences.clear();
        sentences.reserve(n / 8 + 1);
        quoted.clear();
        quoted.resize(n, false);
        negated.clear();
        negated.resize(n, false);
        stream.clear();
        // (With room for the whole chunks that `push_run` copies: a token
        // adds its norm, no longer than its folded text but for an
        // obfuscation's, and a space.)
        stream.reserve(2 * self.folded.text.len() + 8 + RUN_CHUNK);
        index.clear();
        index.reserve(n);
        stream.push(' ');
        // The sentence so far: its first token and its number.
        let mut start = 0usize;
        let mut sentence = 0u32;
        // An open quotation: its mark's index and role.
        let mut open: Option<(usize, Role)> = None;
        // Words left in the current negation scope.
        let mut remaining = 0usize;
        let mut prev_role = Role::Other;
        let mut role = tokens.first().map_or(Role::Other, |t| Role::of(t, padded.as_bytes()));
        for (i, t) in tokens.iter().enumerate() {
            let next = tokens.get(i + 1);
            let next_role = next.map_or(Role::Other, |t| Role::of(t, padded.as_bytes()));
            sentence_of.push(sentence);
            let boundary_after = match next {
                Some(next) => self.ends_sentence(i, role, prev_role, next, next_role),
                None => true,
            };

            // Quotation: a mark glued to the next token opens; the same
            // mark not glued to a word closes.
            if t.kind == TokenKind::Punct && matches!(role, Role::Apostrophe | Role::DoubleQuote) {
                let next_glued = next.is_some_and(|x| !x.space_before);
                match open {
                    Some((o, q)) if q == role && (!next_glued || next.is_some_and(|x| x.kind == TokenKind::Punct)) => {
                        quoted[o + 1..i].fill(true);
                        open = None;
                    }
                    None if next_glued => open = Some((i, role)),
                    _ => {}
                }
            }

            // Negation: up to four words after a negator, within a clause.
            // A clause mark or a contrast word ends the scope, a negator
            // opens one, and a word in one is negated: worked out with no
            // branch, where a `match` on the token's kind and role went
            // one way and another from token to token.
            let wordlike = t.is_wordlike();
            let ends_scope =
                ((t.kind == TokenKind::Punct) & role.ends_clause()) | (wordlike & (role == Role::Contrast));
            let opens = wordlike & (role == Role::Negator);
            let in_scope = wordlike & !ends_scope & !opens & (remaining > 0);
            negated[i] = in_scope;
            // `if opens { 4 } else if ends_scope { 0 } else { remaining - in_scope }`.
            remaining =
                (remaining - usize::from(in_scope)) * usize::from(!(ends_scope | opens)) + 4 * usize::from(opens);

            // The stream: a hyphen inside a word is left out.
            // (Tested with `&`, as a token's kind changes from token to
            // token, and a hyphen is nearly never glued to a word before
            // it.)
            let in_word_hyphen = (t.kind == TokenKind::Punct) & (role == Role::Hyphen) & !t.space_before
                && next.is_some_and(|x| !x.space_before && x.is_wordlike());
            if !in_word_hyphen {
                // A word's possessive `'s` is left out: the norm is cut by
                // two bytes or none, with no branch on the token's kind.
                let possessive = (t.kind == TokenKind::Word) & t.norm.as_bytes().ends_with(b"'s");
                let len = t.norm.len() - 2 * usize::from(possessive);
                // Stream positions leave out the leading pad.
                index.push(((stream.len() - 1) as u32, i as u32));
                // A token not rebuilt from an obfuscation has its folded
                // text for norm (and the norm cut of its `'s` is the start
                // of it): it is copied from the padded text in a chunk of
                // fixed size. (Runs of such tokens, one space apart, were
                // copied whole when they ended, but whether the next token
                // went on the run changed from token to token, and was
                // mispredicted about once a token in six.) Then a space,
                // before the next token or as the closing pad.
                if t.obfuscated {
                    stream.push_str(&t.norm[..len]);
                } else {
                    push_run(&mut stream, padded, t.fspan.start, t.fspan.start + len);
                }
                stream.push(' ');
            }

            if boundary_after {
                sentences.push(Sentence {
                    span: Span::new(tokens[start].span.start, t.span.end),
                    tokens: start..i + 1,
                });
                start = i + 1;
                sentence += 1;
                remaining = 0;
            }
            prev_role = role;
            role = next_role;
        }
        // The closing pad, after no token.
        if n == 0 {
            stream.push(' ');
        }
        self.sentence_of = sentence_of;
        self.sentences = sentences;
        self.quoted = quoted;
        self.negated = negated;
        self.padded_stream = stream;
        self.stream_index = index;
    }

    /// Whether a sentence ends after token `i`, followed by `next`; `role`
    /// and `prev_role` are those of tokens `i` and `i - 1`.
    fn ends_sentence(&self, i: usize, role: Role, prev_role: Role, next: &Token, next_role: Role) -> bool {
        let t = &self.tokens[i];
        // A newline between them. (Bytes, not a `str`: a newline byte is
        // always a newline.) The gap is nearly always one space or none:
        // its first byte is tested with no branch on its length, and the
        // rest searched only in a longer one. (A search of the whole gap
        // branched on whether it was empty, which changes from token to
        // token.)
        let text = self.text.as_bytes();
        let (end, next_start) = (t.span.end, next.span.start);
        let newline = (next_start > end) & (text.get(end).copied().unwrap_or(0) == b'\n');
        let long_gap = next_start > end + 1;
        // Nothing else ends one but a few marks and emoji followed by a
        // space. One test, passed by nearly every token, for all of it, with no
        // branch on the token's kind or the newline (tested first, a
        // newline was mispredicted about once a post, as was a mark that
        // may end a sentence).
        let may_end = next.space_before & (role.may_end_sentence() | (t.kind == TokenKind::Emoji));
        if !(newline | long_gap | may_end) {
            return false;
        }
        if newline || (long_gap && text.get(end + 1..next_start).is_some_and(|g| g.contains(&b'\n'))) {
            return true;
        }
        if !may_end {
            return false;
        }
        let next_starts = || {
            matches!(next.case, Case::Title | Case::Upper)
                || matches!(next.kind, TokenKind::Number | TokenKind::Emoji | TokenKind::Hashtag)
                || (next.kind == TokenKind::Punct
                    && matches!(next_role, Role::Apostrophe | Role::DoubleQuote | Role::OpenParen))
        };
        match t.kind {
            TokenKind::Punct if role.is_terminal() || role == Role::Ellipsis => {
                if role == Role::Period {
                    // Not after an abbreviation or an initial.
                    if let Some(p) = i.checked_sub(1).map(|p| &self.tokens[p])
                        && !t.space_before
                        && p.kind == TokenKind::Word
                        && (is_abbreviation(p.norm.as_bytes()) || p.norm.chars().count() == 1)
                    {
                        return false;
                    }
                }
                next_starts() || next.kind == TokenKind::Word
            }
            TokenKind::Punct if matches!(role, Role::Apostrophe | Role::DoubleQuote) => {
                // A closing quote after sentence punctuation.
                i > 0 && prev_role.is_terminal() && next_starts()
            }
            TokenKind::Emoji => {
                next.kind == TokenKind::Word && matches!(next.case, Case::Title | Case::Upper) && next.norm != "i"
            }
            _ => false,
        }
    }

    /// The token norms joined by single spaces: the padded stream without
    /// its padding.
    pub(crate) fn stream(&self) -> &str {
        let p = &self.padded_stream;
        p.get(1..p.len().saturating_sub(1)).unwrap_or("")
    }

    /// The hits of every registered lexicon in this text (see
    /// [`crate::Lexicon`]), scanned on first use.
    /// (Inlined, so that a rule's lookup of a lexicon's hits, some forty a
    /// post, is a test and no call.)
    #[inline]
    pub(crate) fn lexicon_hits(&self) -> &Hits {
        self.lex_hits.get_or_init(|| scan_shared(self))
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
    fn role_words_are_found_and_no_others() {
        for &(w, role) in ROLE_WORDS {
            assert_eq!(word_role(w), role, "{}", String::from_utf8_lossy(w));
        }
        for w in ["don't", "ain't", "wouldn't"] {
            assert_eq!(word_role(w.as_bytes()), Role::Negator, "{w}");
        }
        for w in [
            "", "a", "n", "nt", "note", "nob", "the", "buts", "yes", "stops", "hardy",
        ] {
            assert_eq!(word_role(w.as_bytes()), Role::Other, "{w}");
        }
    }

    /// The role looked up from the folded text is the one looked up from
    /// the norm, for every token of texts with the role words and marks,
    /// others near them in length and spelling, and obfuscations.
    #[test]
    fn roles_read_from_the_text_as_from_the_norm() {
        let mut words: Vec<&str> = ROLE_WORDS
            .iter()
            .chain(ROLE_MARKS)
            .map(|(w, _)| std::str::from_utf8(w).unwrap_or(""))
            .collect();
        words.extend([
            "don't",
            "shouldn't",
            "n't",
            "nt",
            "'t",
            "butt",
            "although2",
            "althoughs",
            "n0t",
            "n o t",
            "#not",
            "@but",
            "…",
            "x.com/isn't",
            "But",
            "NEVER",
            "2",
            "a",
            "8",
            "😂",
            "\n",
        ]);
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..3000 {
            let mut s = String::new();
            // (The length from a step of its own: taken from the state
            // alone, once 0, it stayed 0, and every text after was empty.)
            for _ in 0..(rng.next() % 12) {
                let seed = rng.next();
                s.push_str(words[(seed % words.len() as u64) as usize]);
                s.push_str(if seed & 64 == 0 { " " } else { "" });
            }
            let a = Analysis::new(&s);
            let padded = padded(&a.folded.text);
            for t in &a.tokens {
                assert_eq!(
                    Role::of(t, padded.as_bytes()),
                    Role::of_slowly(t),
                    "{s:?}: {:?}",
                    t.norm
                );
                let folded = a.folded.text.as_bytes();
                assert_eq!(Role::of(t, folded), Role::of_slowly(t), "{s:?}: {:?}", t.norm);
            }
        }
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
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(rng.0 % 24) {
                let seed = rng.next();
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
