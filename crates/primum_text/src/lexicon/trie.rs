//! The phrases of every lexicon as one trie of words, walked token by token.
//!
//! A phrase is a stream (token norms joined by single spaces), so it is a
//! list of words, none holding a space. It matches a post's stream where its
//! words equal consecutive space-separated parts of the stream, the first of
//! them starting a token; a prefix phrase (`detox*`) needs its last word only
//! to start its part. The trie has one node per distinct word sequence; a
//! scan starts a walk at every part.
//!
//! This replaced one Aho-Corasick automaton over all phrases, which stepped
//! through every byte of the stream through failure links and missed the
//! cache on most of them (its search was 7.5% of `primum check`), and whose
//! build was too slow to redo as each lexicon arrives. The trie is only ever
//! extended: a lexicon adds its phrases, and no pattern id ever changes.
//!
//! Nearly all of a scan's time is cache misses, since six parts in ten
//! start some phrase, so what a walk reads is laid out for few of them: a
//! table slot holds all that decides a word of up to eight bytes and a copy
//! of its node (its first pattern and a small filter of its children's
//! words), so finding a node reads one cache line; a pattern's lexicon and
//! entry follow from its id; and the walks advance in rounds whose slot
//! reads are issued together, so their misses overlap (see
//! [`WordTrie::scan`]).

use std::cell::RefCell;
use std::ops::Range;

/// An absent pattern or prefix word, ending a list.
const NONE: u32 = u32::MAX;

/// Node 0 is the root (the empty word sequence).
const ROOT: u32 = 0;

/// Set in [`Node::ends`] when more than one pattern ends at the node: a
/// scan reads the list only then.
const MORE: u32 = 1 << 31;

/// Set in [`Node::ends`] with [`MORE`] when more than two patterns end at
/// the node: a scan reads the list past its second only then (see
/// [`WordTrie::first_two`]).
const MORE3: u32 = 1 << 30;

/// A pattern id with neither flag.
const FLAGS: u32 = MORE | MORE3;

/// Node ids fit in 24 bits, the rest of a slot's key being the word's
/// length.
const MAX_NODES: usize = 1 << 24;

/// A word of the trie or of a scanned stream, with what the table reads
/// of it.
#[derive(Clone, Copy)]
struct Word<'w> {
    /// The word is `src[start..start + len]`: a scan makes a word of each
    /// part it reads, for which a slice of the stream cost two tests of
    /// its bounds (a tenth of the scan's instructions), and its bytes are
    /// read only for the rare word of more than eight bytes.
    src: &'w [u8],
    start: usize,
    len: usize,
    /// Its first eight bytes as a number (see [`head8`]): with the length,
    /// equality for words of at most eight bytes, nearly all of them.
    head: u64,
    /// A hash of the word alone (see [`Word::new`]).
    hash: u64,
}

impl<'w> Word<'w> {
    /// The word's hash reads it in at most two loads (its first eight bytes
    /// and, if longer, its last eight) rather than byte by byte: a probe
    /// compares the word itself, so words that share a hash only cost a
    /// longer probe. The wide multiply folds every input bit into the low
    /// bits that pick the slot and the high bits of the children filter.
    #[inline]
    fn new(bytes: &'w [u8]) -> Word<'w> {
        let n = bytes.len();
        let tail = if n > 8 { read8(&bytes[n - 8..]) } else { 0 };
        Word::hashed(bytes, 0, n, head8(bytes), tail)
    }

    /// [`Word::new`] for the part `stream[start..end]` of a scanned stream,
    /// with the same head and hash, read in two fixed eight-byte loads from
    /// the stream around the part and masked by its length. [`head8`] and
    /// the tail's test branch on the length (under four bytes, under eight,
    /// more), which changes from one part of a post to the next and was
    /// mispredicted about once a part. Only the few parts within eight
    /// bytes of the stream's ends (a predictable test) take `Word::new`.
    #[inline]
    fn in_stream(stream: &'w [u8], start: usize, end: usize) -> Word<'w> {
        let bytes = &stream[start..end];
        if start + 8 > stream.len() || end < 8 {
            let w = Word::new(bytes);
            return Word {
                src: stream,
                start,
                ..w
            };
        }
        let n = bytes.len();
        // The low `n` bytes (all eight for `n >= 8`); a `u128` so that the
        // shift by 64 is defined.
        let low = ((1u128 << (8 * n.min(8))) - 1) as u64;
        let head = read8(&stream[start..start + 8]) & low;
        // The last eight bytes for a part longer than eight, else 0.
        let tail = read8(&stream[end - 8..end]) & u64::from(n > 8).wrapping_neg();
        Word::hashed(stream, start, n, head, tail)
    }

    /// The word `src[start..start + n]` with its [`head8`] and its `tail`
    /// (its last eight bytes if it is longer than eight, else 0), hashed.
    #[inline]
    fn hashed(src: &'w [u8], start: usize, n: usize, head: u64, tail: u64) -> Word<'w> {
        let a = head ^ 0x243f_6a88_85a3_08d3 ^ (n as u64) << 56;
        let b = tail ^ 0x1319_8a2e_0370_7344;
        let r = u128::from(a).wrapping_mul(u128::from(b));
        Word {
            src,
            start,
            len: n,
            head,
            hash: (r as u64) ^ (r >> 64) as u64,
        }
    }

    /// The word's bytes.
    #[inline]
    fn bytes(&self) -> &'w [u8] {
        &self.src[self.start..self.start + self.len]
    }

    /// The table position to start probing for this word as a child of
    /// `parent`.
    #[inline]
    fn slot_hash(&self, parent: u32) -> usize {
        (self.hash ^ u64::from(parent).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as usize
    }

    /// The slot key: the parent and the length (255 for 255 or more).
    #[inline]
    fn key(&self, parent: u32) -> u32 {
        parent | (self.len.min(255) as u32) << 24
    }

    /// The slot for this word as child `c` of `parent`.
    #[inline]
    fn slot(&self, parent: u32, c: u32, node: Node) -> Slot {
        Slot {
            head: self.head,
            key: self.key(parent),
            child: c,
            node,
        }
    }

    /// This word's bit in a node's filter of its children's words.
    #[inline]
    fn bit(&self) -> u64 {
        1 << (self.hash >> 58)
    }

    /// True when the word starts with `w`.
    #[inline]
    fn starts_with(&self, w: &[u8], w_head: u64) -> bool {
        // Both heads hold their first `min(n, 8)` bytes in their low bytes
        // (masked by a `u128` so that the shift by 64 is defined). A word
        // longer than this one never starts it, and one longer than eight
        // bytes needs the rest compared: both tests are `&`-ed in rather
        // than branched on, as the lengths change from part to part, and
        // the rest is compared only when all else matches (rarely).
        let n = w.len();
        let mask = ((1u128 << (8 * n.min(8))) - 1) as u64;
        let head = (self.head & mask == w_head) & (n <= self.len);
        if head & (n > 8) {
            return self.bytes().starts_with(w);
        }
        head
    }
}

/// The first eight bytes of `w` as a little-endian number, zero-padded:
/// equal for two words of the same length up to eight bytes only if the
/// words are equal. Short words are read in overlapping loads whose bytes
/// land where they belong, so no byte-by-byte copy is needed.
#[inline]
fn head8(w: &[u8]) -> u64 {
    let n = w.len();
    if n >= 8 {
        read8(&w[..8])
    } else if n >= 4 {
        u64::from(read4(&w[..4])) | u64::from(read4(&w[n - 4..])) << (8 * (n - 4))
    } else if n > 0 {
        u64::from(w[0]) | u64::from(w[n / 2]) << (8 * (n / 2)) | u64::from(w[n - 1]) << (8 * (n - 1))
    } else {
        0
    }
}

#[inline]
fn read8(b: &[u8]) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[..8]);
    u64::from_le_bytes(x)
}

#[inline]
fn read4(b: &[u8]) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[..4]);
    u32::from_le_bytes(x)
}

/// The root's prefix words are found by the first three bytes of a part
/// (its [`lead`]): a table of one bit per hash of them says whether any
/// word may start a part that starts so, and a bucket per hash lists those
/// words (about one a bucket). Hashed from three bytes rather than two, the
/// bits pass about three parts a dev post where they passed eight (`do`,
/// `he`, `ha`, `to`, `ca` start root prefix words and common words alike),
/// and bucketed so rather than by the first byte, the parts that pass are
/// tried on four words a post in all where they were on fifty: the loop
/// over those words, its tests of each word's length and bytes, and the
/// loop over the parts that passed were mispredicted some twenty times a
/// post, now some eight (cachegrind), for 2,200 fewer instructions.
const LEAD_BITS: u32 = 16;

/// The number of buckets of the root's prefix words: a hash's top bits.
const ROOT_BUCKETS: usize = 1 << 10;

/// A part's first three bytes, from its [`Word::head`] (zero past its
/// end).
#[inline]
fn lead(head: u64) -> u32 {
    (head & 0xff_ffff) as u32
}

/// The hash of a [`lead`]: `LEAD_BITS` bits, whose top ones are its
/// bucket (see [`lead_bucket`]).
#[inline]
fn lead_hash(lead: u32) -> usize {
    (lead.wrapping_mul(0x9e37_79b1) >> (32 - LEAD_BITS)) as usize
}

/// The bucket of the root's prefix words of a part with this [`lead`].
#[inline]
fn lead_bucket(lead: u32) -> usize {
    lead_hash(lead) >> (LEAD_BITS as usize - ROOT_BUCKETS.trailing_zeros() as usize)
}

/// A slot of the children table: a child, and a copy of what a walk reads
/// of it (see [`Node`]), so that finding a node reads one cache line.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The child's word: its [`head8`] and [`Word::key`] (parent and
    /// length).
    head: u64,
    key: u32,
    /// The child, 0 for an empty slot (the root is no one's child).
    child: u32,
    node: Node,
}

/// The children table: its slots by pairs, each pair a cache line of its
/// own (aligned to 64 bytes), indexed by slot.
///
/// A probe tests two slots at once (see [`WordTrie::probe`]), and its first
/// two are a pair: every word's first slot is even (see
/// [`WordTrie::home`]). A pair of slots of a plain vector straddled two
/// cache lines one time in two, and a probe then waited for a second line,
/// most often from memory, as the table is larger than the cache.
#[derive(Clone)]
struct Slots(Vec<Line>);

#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Line([Slot; 2]);

impl Slots {
    /// `n` empty slots (`n` even).
    fn new(n: usize) -> Slots {
        Slots(vec![Line::default(); n / 2])
    }

    /// The number of slots.
    #[inline]
    fn len(&self) -> usize {
        2 * self.0.len()
    }
}

impl std::ops::Index<usize> for Slots {
    type Output = Slot;

    #[inline]
    fn index(&self, i: usize) -> &Slot {
        &self.0[i >> 1].0[i & 1]
    }
}

impl std::ops::IndexMut<usize> for Slots {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Slot {
        &mut self.0[i >> 1].0[i & 1]
    }
}

/// Whether slot `s` holds a word with the first eight bytes and the length
/// of `w`, with key `key` (see [`Word::key`]), and whether it is empty.
#[inline]
fn test_slot(s: &Slot, w: &Word<'_>, key: u32) -> (bool, bool) {
    let empty = s.child == 0;
    let hit = (s.head == w.head) & (s.key == key) & !empty;
    (hit, empty)
}

/// What a walk reads of a node.
#[derive(Clone, Copy, Default)]
struct Node {
    /// One bit per child (see [`Word::bit`]): a next word whose bit is
    /// clear continues nothing from here, with no probe. 0 for a leaf.
    children: u64,
    /// The first pattern ending here, with [`MORE`] set if others do too
    /// (linked through [`WordTrie::next`]) and [`MORE3`] if two others
    /// do; [`NONE`] for none.
    ends: u32,
    /// The first prefix word hanging here (see [`Prefix`]), linked through
    /// [`Prefix::next`]; the root's are in [`WordTrie::root_prefixes`].
    prefixes: u32,
}

/// A prefix phrase's last word, hanging from the node of its other words.
#[derive(Clone, Copy)]
struct Prefix {
    /// The word's range in the arena, and its [`head8`].
    at: u32,
    len: u32,
    head: u64,
    pattern: u32,
    next: u32,
}

/// The buffers of a scan, kept per thread: allocating them for every post
/// made the allocator hand out fresh pages.
#[derive(Default)]
struct Scratch {
    /// Each part's start and length in the stream, [`head8`] and hash (see
    /// [`Word`]).
    words: Vec<(u32, u32, u64, u64)>,
    /// The probes of a round of [`WordTrie::scan`] (this and the lists
    /// below hold one entry per part, of which a scan uses the first few).
    probes: Vec<(usize, u32, usize, u32)>,
    /// The walks going on after a round: (first part, node's slot).
    walks: Vec<(usize, usize)>,
    /// The patterns found in a scan: (first of the list, first part, last
    /// part).
    found: Vec<(u32, usize, usize)>,
    /// The parts that may start a root prefix word.
    roots: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The trie of every registered phrase.
pub(super) struct WordTrie {
    nodes: Vec<Node>,
    /// Each node's parent and word (its range in `arena`), read only to
    /// compare words longer than eight bytes and to rebuild the table.
    words: Vec<(u32, u32, u32)>,
    /// Every node's word, and every prefix word, one after another.
    arena: Vec<u8>,
    /// Children by (parent, word): open addressing with linear probing
    /// from the first slot of a pair (see [`WordTrie::home`]), at most half
    /// full, so nearly every probe ends within the pair, a cache line, that
    /// [`WordTrie::probe`] reads at once. (Kept at most a quarter full, the
    /// table doubled to 2 MB for no fewer mispredicted branches and no
    /// faster check, `bench/README.md`, fourth speed round.)
    slots: Slots,
    /// Per pattern, the next one ending at the same node ([`NONE`] for
    /// none). A pattern's id is its index; lexicon `l`'s patterns are the
    /// ids from `lexicons[l]` on, in the order of its entries.
    next: Vec<u32>,
    lexicons: Vec<u32>,
    /// Per pattern, its lexicon (see [`WordTrie::owner`]).
    lexicon_of: Vec<u32>,
    prefixes: Vec<Prefix>,
    /// The root's prefix words (one-word prefix phrases, some seventy of
    /// them, too many to try at every part), by bucket (see [`LEAD_BITS`]).
    /// A word of under three bytes is in the bucket of every [`lead`] it
    /// starts, an empty one in every bucket.
    root_prefixes: Vec<Prefix>,
    /// Bucket `b` of the root's prefix words is
    /// `root_prefixes[root_from[b]..root_from[b + 1]]`.
    root_from: Vec<u32>,
    /// One bit per hash of the [`lead`] of a root prefix word (a word of
    /// under three bytes sets those of every lead it starts): a part whose
    /// lead's bit is clear starts none of them.
    root_leads: Vec<u64>,
}

impl WordTrie {
    pub(super) fn new() -> WordTrie {
        WordTrie {
            nodes: vec![Node {
                children: 0,
                ends: NONE,
                prefixes: NONE,
            }],
            words: vec![(NONE, 0, 0)],
            arena: Vec::new(),
            slots: Slots::new(1024),
            next: Vec::new(),
            lexicons: Vec::new(),
            lexicon_of: Vec::new(),
            prefixes: Vec::new(),
            root_prefixes: Vec::new(),
            root_from: vec![0; ROOT_BUCKETS + 1],
            root_leads: vec![0; (1 << LEAD_BITS) / 64],
        }
    }

    /// Adds a lexicon's phrases (streams, so words separated by single
    /// spaces, each with its prefix flag); returns its id.
    pub(super) fn add_lexicon<'p>(&mut self, phrases: impl Iterator<Item = (&'p str, bool)>) -> u32 {
        let id = self.lexicons.len() as u32;
        self.lexicons.push(self.next.len() as u32);
        for (phrase, prefix) in phrases {
            self.add(phrase, prefix);
            self.lexicon_of.push(id);
        }
        id
    }

    /// The lexicon of pattern `p` and its entry there.
    #[inline]
    pub(super) fn owner(&self, p: u32) -> (u32, u32) {
        let l = self.lexicon_of[p as usize];
        (l, p - self.lexicons[l as usize])
    }

    /// Adds a phrase, a prefix phrase if `prefix`.
    fn add(&mut self, phrase: &str, prefix: bool) {
        let id = u32::try_from(self.next.len())
            .ok()
            .filter(|&id| id < MORE3 - 1)
            .expect("fewer than 2^30 lexicon phrases");
        let mut words = phrase.as_bytes().split(|&c| c == b' ');
        let last = if prefix { words.next_back() } else { None };
        let mut node = ROOT;
        for w in words {
            node = self.child_or_insert(node, Word::new(w));
        }
        match last {
            None => {
                let n = &mut self.nodes[node as usize];
                let (next, more) = if n.ends == NONE {
                    (NONE, 0)
                } else {
                    (n.ends & !FLAGS, MORE | (n.ends & MORE) >> 1)
                };
                self.next.push(next);
                n.ends = id | more;
                self.sync(node);
            }
            Some(w) => {
                self.next.push(NONE);
                let mut prefix = Prefix {
                    at: self.push_word(w),
                    len: w.len() as u32,
                    head: head8(w),
                    pattern: id,
                    next: NONE,
                };
                if node == ROOT {
                    self.add_root_prefix(w, prefix);
                } else {
                    let p = self.prefixes.len() as u32;
                    prefix.next = std::mem::replace(&mut self.nodes[node as usize].prefixes, p);
                    self.prefixes.push(prefix);
                    self.sync(node);
                }
            }
        }
    }

    fn add_root_prefix(&mut self, w: &[u8], prefix: Prefix) {
        // The leads of the parts that may start with `w`: its first three
        // bytes, and any third byte (or none) for a word of two. A word of
        // under two bytes, if any, is taken to start every lead.
        let leads: Option<Vec<u32>> = match *w {
            [a, b, c, ..] => Some(vec![u32::from(a) | u32::from(b) << 8 | u32::from(c) << 16]),
            [a, b] => Some(
                (0..256u32)
                    .map(|c| u32::from(a) | u32::from(b) << 8 | c << 16)
                    .collect(),
            ),
            _ => None,
        };
        let (hashes, mut buckets): (Vec<usize>, Vec<usize>) = match leads {
            Some(leads) => (
                leads.iter().map(|&l| lead_hash(l)).collect(),
                leads.iter().map(|&l| lead_bucket(l)).collect(),
            ),
            None => ((0..1 << LEAD_BITS).collect(), (0..ROOT_BUCKETS).collect()),
        };
        for h in hashes {
            self.root_leads[h >> 6] |= 1 << (h & 63);
        }
        // At the end of each of their buckets (once in each): the buckets
        // after it move up one.
        buckets.sort_unstable();
        buckets.dedup();
        for bucket in buckets {
            let at = self.root_from[bucket + 1];
            self.root_prefixes.insert(at as usize, prefix);
            self.root_from[bucket + 1..].iter_mut().for_each(|f| *f += 1);
        }
    }

    fn push_word(&mut self, w: &[u8]) -> u32 {
        let at = u32::try_from(self.arena.len()).expect("lexicon words under 4 GB");
        self.arena.extend_from_slice(w);
        at
    }

    fn word(&self, at: u32, len: u32) -> &[u8] {
        &self.arena[at as usize..(at + len) as usize]
    }

    fn node_word(&self, c: u32) -> &[u8] {
        let (_, at, len) = self.words[c as usize];
        self.word(at, len)
    }

    fn child_or_insert(&mut self, parent: u32, w: Word<'_>) -> u32 {
        if let Some(s) = self.child(parent, &w) {
            return s.child;
        }
        assert!(self.nodes.len() < MAX_NODES, "fewer than 2^24 lexicon words");
        let c = self.nodes.len() as u32;
        let at = self.push_word(w.bytes());
        self.words.push((parent, at, w.len as u32));
        self.nodes.push(Node {
            children: 0,
            ends: NONE,
            prefixes: NONE,
        });
        if 2 * self.nodes.len() > self.slots.len() {
            self.grow();
        }
        self.place(self.home(&w, parent), w.slot(parent, c, self.nodes[c as usize]));
        self.nodes[parent as usize].children |= w.bit();
        self.sync(parent);
        c
    }

    /// Doubles the table and places every child again, but the newest
    /// (which the caller places).
    fn grow(&mut self) {
        self.slots = Slots::new(2 * self.slots.len());
        for c in 1..self.nodes.len() as u32 - 1 {
            let (parent, at, len) = self.words[c as usize];
            let w = Word::new(&self.arena[at as usize..(at + len) as usize]);
            let (pos, slot) = (self.home(&w, parent), w.slot(parent, c, self.nodes[c as usize]));
            self.place(pos, slot);
        }
    }

    /// The slot where the probes for word `w` as a child of `parent`
    /// start: the first of a pair (see [`Slots`]).
    #[inline]
    fn home(&self, w: &Word<'_>, parent: u32) -> usize {
        w.slot_hash(parent) & (self.slots.len() - 2)
    }

    /// Copies node `c` into its slot.
    fn sync(&mut self, c: u32) {
        if c == ROOT {
            return;
        }
        let (parent, at, len) = self.words[c as usize];
        let w = Word::new(&self.arena[at as usize..(at + len) as usize]);
        let mask = self.slots.len() - 1;
        let mut i = self.home(&w, parent);
        while self.slots[i].child != c {
            i = (i + 1) & mask;
        }
        self.slots[i].node = self.nodes[c as usize];
    }

    /// Puts `slot` in the first empty slot from `pos` on.
    fn place(&mut self, pos: usize, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = pos & mask;
        while self.slots[i].child != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    /// The index of the slot of the child of `parent` by word `w`,
    /// probing from slot `i`.
    #[inline]
    fn child_from(&self, parent: u32, w: &Word<'_>, mut i: usize) -> Option<usize> {
        let key = w.key(parent);
        let mask = self.slots.len() - 1;
        loop {
            let s = &self.slots[i];
            if s.child == 0 {
                return None;
            }
            if s.head == w.head && s.key == key && (w.len <= 8 || self.node_word(s.child) == w.bytes()) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// [`WordTrie::child_from`] for a scan: the slot of the child of
    /// `parent` by word `w`, probing from slot `i`, and whether it is there
    /// (if not, the slot returned is of no use). Whether a part continues a
    /// walk is up to the text, so a probe tests two slots at once and
    /// combines the tests with `&` and `|` into one branch that ends the
    /// probe (nearly always after the first two slots), where `&&` and an
    /// early return for an empty slot made several, each mispredicted
    /// often: in a table up to half full, a probe's first slot is taken by
    /// another word often enough that a probe by one slot at a time ended
    /// after the first or a later slot unpredictably.
    ///
    /// The slots are first matched by the word's first eight bytes, length
    /// and parent alone; a word of more than eight bytes is then compared
    /// whole with the one slot that matched, if any (a test per probe,
    /// where testing each slot it read took two, one wasted). Should the
    /// rest differ (a word sharing its first eight bytes and its length),
    /// the probe goes on from the slot after.
    #[inline(always)]
    fn probe(&self, parent: u32, w: &Word<'_>, i: usize) -> (usize, bool) {
        let key = w.key(parent);
        let lines = &self.slots.0;
        let mask = lines.len() - 1;
        // `i` is the first slot of a pair: the probe reads pairs, a cache
        // line each.
        let mut l = i >> 1;
        loop {
            let line = &lines[l];
            let (hit0, empty0) = test_slot(&line.0[0], w, key);
            let (hit1, empty1) = test_slot(&line.0[1], w, key);
            // The first slot decides when it holds the word or is empty;
            // otherwise the second does, if it holds the word or is empty.
            let first = hit0 | empty0;
            // Passed through `black_box` so that it is tested in one
            // branch: LLVM split the `|` into a branch for each of its
            // parts (each mispredicted now and then), however written.
            let decided = std::hint::black_box(first | hit1 | empty1);
            let hit = hit0 | (!first & hit1);
            // `if first { 2 * l } else { 2 * l + 1 }`, with no branch
            // (`first` through `black_box`, as LLVM made a branch of the
            // choice once the probe was inlined in the scan).
            let second = usize::from(!std::hint::black_box(first));
            let at = 2 * l + second;
            if decided {
                // Rare: a word of more than eight bytes whose head matches,
                // and whose rest is to be compared. (One test of both,
                // through `black_box`: LLVM made two versions of this loop,
                // for a word of up to eight bytes and for a longer one,
                // chosen by a branch on the length, which changes from part
                // to part and was mispredicted about once a part in eight.)
                // Should the rest differ (a word sharing its first eight
                // bytes and its length), the probe goes on from the slot
                // after, a slot at a time.
                if std::hint::black_box(hit & (w.len > 8)) && self.node_word(line.0[second].child) != w.bytes() {
                    let from = (at + 1) & (self.slots.len() - 1);
                    return self.child_from(parent, w, from).map_or((at, false), |j| (j, true));
                }
                return (at, hit);
            }
            l = (l + 1) & mask;
        }
    }

    /// The slot of the child of `parent` by word `w`.
    #[inline]
    fn child(&self, parent: u32, w: &Word<'_>) -> Option<&Slot> {
        let i = self.child_from(parent, w, self.home(w, parent))?;
        Some(&self.slots[i])
    }

    /// Calls `emit` with the prefix patterns in the list from `first`
    /// whose last word starts `part`.
    #[inline]
    fn prefixes_from(&self, mut first: u32, part: &Word<'_>, mut emit: impl FnMut(u32)) {
        while first != NONE {
            let x = &self.prefixes[first as usize];
            if part.starts_with(self.word(x.at, x.len), x.head) {
                emit(x.pattern);
            }
            first = x.next;
        }
    }

    /// Whether `part` may start one of the root's prefix words: most parts
    /// start none, and one bit of [`WordTrie::root_leads`] says so. Worked
    /// out with no branch (its first three bytes are the low three of its
    /// head, zero past its end, where `match`ing on its length branched on
    /// it).
    #[inline]
    fn may_start_root_prefix(&self, part: &Word<'_>) -> bool {
        let h = lead_hash(lead(part.head));
        let bit = self.root_leads[h >> 6] >> (h & 63) & 1 != 0;
        bit | (part.len == 0)
    }

    /// Calls `emit` with the root's prefix patterns whose word starts
    /// `part`, one that [`WordTrie::may_start_root_prefix`].
    #[inline]
    fn root_prefix_matches(&self, part: &Word<'_>, mut emit: impl FnMut(u32)) {
        // The words of its bucket: those with its first three bytes (and a
        // few others that share the bucket).
        let b = lead_bucket(lead(part.head));
        let (lo, hi) = (self.root_from[b] as usize, self.root_from[b + 1] as usize);
        for x in &self.root_prefixes[lo..hi] {
            if part.starts_with(self.word(x.at, x.len), x.head) {
                emit(x.pattern);
            }
        }
    }

    /// Every match in a stream of `n` parts, part `j` being
    /// `stream[range(j)]`: calls `emit(pattern, k, j)` for each pattern
    /// whose words are parts `k..=j`, in no particular order, where
    /// `pattern` is the first of a list (see [`WordTrie::for_each_pattern`]). Walks
    /// start at every part; the caller drops those that start no token.
    ///
    /// The walks advance together, one word per round, and the slot where
    /// each probe of a round starts is read as the probe is listed, with no
    /// branch on what the slots hold: their cache misses (most of this
    /// scan's time) then overlap instead of waiting one after another.
    /// (They were read in a loop of their own at the start of each round,
    /// and the patterns found in a round emitted in another at its end:
    /// two more loops a round, each of a length that changes from post to
    /// post, whose ends were mispredicted.)
    pub(super) fn scan(
        &self,
        stream: &[u8],
        n: usize,
        range: impl Fn(usize) -> Range<usize>,
        mut emit: impl FnMut(u32, usize, usize),
    ) {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                words,
                probes,
                walks,
                found,
                roots,
            } = scratch;
            // (The first slot of a pair: see [`WordTrie::home`].)
            let pairs = self.slots.len() - 2;
            words.clear();
            words.extend((0..n).map(|k| {
                let r = range(k);
                let w = Word::in_stream(stream, r.start, r.end);
                (r.start as u32, w.len as u32, w.head, w.hash)
            }));
            let word = |j: usize| {
                let (start, len, head, hash) = words[j];
                Word {
                    src: stream,
                    start: start as usize,
                    len: len as usize,
                    head,
                    hash,
                }
            };
            // Below, lists are filled with no branch on what the text
            // decides: each candidate is written at the list's end, and the
            // end moves past it by a `bool` (`len += usize::from(keep)`), so
            // that only the kept ones are looked at again. A branch on
            // whether a part starts a prefix word, continues a walk or ends
            // a phrase was mispredicted about as often as it went either
            // way, as these change from part to part. No list but `found`
            // holds more than one entry per part: each is `n` long (grown,
            // never shrunk, so never filled again), and only its first
            // entries, up to its count, are in use. (The three are always
            // as long as one another; `found` is grown in each round.)
            if probes.len() < n {
                probes.resize(n, (0, ROOT, 0, 0));
                walks.resize(n, (0, 0));
                roots.resize(n, 0);
            }
            // The probes of a round: (walk's first part, parent, slot to
            // start from, the child in that slot, read only so that the
            // slot is in the cache when the probe comes to it).
            let mut nr = 0;
            for (k, probe) in probes[..n].iter_mut().enumerate() {
                let w = word(k);
                roots[nr] = k;
                nr += usize::from(self.may_start_root_prefix(&w));
                let i = w.slot_hash(ROOT) & pairs;
                *probe = (k, ROOT, i, self.slots[i].child);
            }
            for &k in &roots[..nr] {
                self.root_prefix_matches(&word(k), |p| emit(p, k, k));
            }
            let mut np = n;
            // Walks still going after `d` words: (first part, node's slot).
            let mut d = 0;
            // The patterns found in all rounds so far, emitted at the end.
            let mut nf = 0;
            while np > 0 {
                // Room for one more found a probe (grown, never shrunk).
                if found.len() < nf + np {
                    found.resize(nf + np, (NONE, 0, 0));
                }
                // Each probe's child, if found, goes on walking; its
                // patterns, if any, are listed.
                let mut nw = 0;
                for &(k, parent, i, _) in &probes[..np] {
                    let j = k + d;
                    let (at, hit) = self.probe(parent, &word(j), i);
                    walks[nw] = (k, at);
                    nw += usize::from(hit);
                    let ends = self.slots[at].node.ends;
                    found[nf] = (ends, k, j);
                    nf += usize::from(hit & (ends != NONE));
                }
                d += 1;
                np = 0;
                for &(k, at) in &walks[..nw] {
                    let j = k + d;
                    if j >= n {
                        continue;
                    }
                    let w = word(j);
                    let at = &self.slots[at];
                    let node = at.node;
                    self.prefixes_from(node.prefixes, &w, |p| emit(p, k, j));
                    let go = node.children & w.bit() != 0;
                    let i = w.slot_hash(at.child) & pairs;
                    // The slot is read only for a probe that is kept (else
                    // slot 0, read by many, is), with no branch.
                    let touch = i & usize::from(go).wrapping_neg();
                    probes[np] = (k, at.child, i, self.slots[touch].child);
                    np += usize::from(go);
                }
            }
            for &(ends, k, j) in &found[..nf] {
                emit(ends, k, j);
            }
        });
    }

    /// Calls `f` with each pattern of the list that starts with `first` (as
    /// [`WordTrie::scan`] emits it, never [`NONE`]): the first, and if
    /// [`MORE`] is set, those linked from it. (One test of [`MORE`], nearly
    /// always clear, rather than an iterator's test of its next pattern,
    /// which was mispredicted at every list's end.)
    #[inline]
    pub(super) fn for_each_pattern(&self, first: u32, mut f: impl FnMut(u32)) {
        debug_assert!(first != NONE, "a list of patterns that is none");
        let mut p = first & !FLAGS;
        f(p);
        if first & MORE != 0 {
            loop {
                p = self.next[p as usize];
                if p == NONE {
                    break;
                }
                f(p);
            }
        }
    }

    /// The first two patterns of the list that starts with `first` (as
    /// [`WordTrie::for_each_pattern`] gives them), found with no branch on
    /// how long the list is: `(first, second, two, more)`, where `second`
    /// is the first again if the list has one pattern (`two` is false).
    /// If `more`, the list has more than two, which
    /// [`WordTrie::for_each_after`] gives for `second`.
    /// (About a third of the lists the scan finds have two patterns, a
    /// phrase of two lexicons: the test of [`MORE`] in `for_each_pattern`
    /// and the end of its loop were mispredicted some six times a post.)
    #[inline]
    pub(super) fn first_two(&self, first: u32) -> (u32, u32, bool, bool) {
        debug_assert!(first != NONE, "a list of patterns that is none");
        let p = first & !FLAGS;
        // `next[p]` is `NONE` exactly when `MORE` is clear (see `add`).
        let q = self.next[p as usize];
        let two = q != NONE;
        // `if two { q } else { p }`, as a selection with no branch.
        let second = q ^ ((q ^ p) & u32::from(!two).wrapping_neg());
        (p, second, two, first & MORE3 != 0)
    }

    /// Calls `f` with each pattern after `second` in its list: see
    /// [`WordTrie::first_two`].
    #[inline]
    pub(super) fn for_each_after(&self, second: u32, mut f: impl FnMut(u32)) {
        let mut p = self.next[second as usize];
        while p != NONE {
            f(p);
            p = self.next[p as usize];
        }
    }
}
