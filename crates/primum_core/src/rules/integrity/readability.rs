//! `integrity/readability`: reading grade above the target.

use primum_text::{Analysis, PerSentence, PerToken, Token, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits;

declare_rule! {
    /// ## What it checks
    ///
    /// Scores the post with the Flesch-Kincaid grade level,
    /// `0.39 × words per sentence + 11.8 × syllables per word − 15.59`, and
    /// fires when the grade is above the target (default 8, the reading age
    /// patient-information guidance aims for). Only words count: links,
    /// hashtags, mentions, numbers and emoji are left out. Syllables are
    /// counted by rule (vowel groups, a silent final `e`, `-ed` and `-es`
    /// endings, vowel pairs that split such as `-ia`). Posts of fewer than
    /// 12 words are skipped, as the formula means little on them. The
    /// finding underlines the hardest sentence and reports both grades.
    ///
    /// ## Why
    ///
    /// "Information should be easy for patients to understand." Around one
    /// adult in six reads at or below the level of an 11-year-old; a post
    /// written at a university level does not reach the people who most
    /// need it. The NMC Code asks that information shared is correct and
    /// understood (`uk-nmc-code-6`); the GMC asks for context readers can
    /// follow and check (GMC 2024, `uk-gmc-sm2024`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Consequent upon substantial organisational restructuring, appointment allocation for non-urgent consultations will henceforth be administered exclusively via the practice's electronic correspondence platform.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// From now on, please book routine appointments through our online system. If you can't use it, call us and we'll help.
    /// ```
    ///
    /// ## Fix
    ///
    /// Use short sentences and everyday words: one idea a sentence, and
    /// "use" for "utilise", "from now on" for "henceforth". No automatic
    /// fix.
    ///
    /// ## Options
    ///
    /// - `target_grade` (number, default 8.0): the highest acceptable
    ///   Flesch-Kincaid grade.
    pub static RULE = {
        id: "integrity/readability",
        fix: Never,
        options: [
            ("target_grade", Float(8.0), "the highest acceptable Flesch-Kincaid grade level"),
        ],
        check: check,
    }
}

/// Posts with fewer words than this are not scored.
const MIN_WORDS: usize = 12;

/// Flesch-Kincaid grade level.
fn grade(words: usize, sentences: usize, syllables: usize) -> f64 {
    if words == 0 || sentences == 0 {
        return 0.0;
    }
    0.39 * (words as f64 / sentences as f64) + 11.8 * (syllables as f64 / words as f64) - 15.59
}

/// The syllables of one word, by rule.
pub(crate) fn syllables(word: &str) -> usize {
    // The letters, lower case. This runs for every word of every post:
    // an ASCII word (almost all of them) is counted on its bytes, held on
    // the stack; any other on its characters.
    if let Some(n) = count_lowercase(word.as_bytes()) {
        // Already the letters, lower case (most normalised words).
        return n;
    }
    if word.is_ascii() {
        let mut short = [0u8; 32];
        let mut long: Vec<u8> = Vec::new();
        let mut len = 0;
        for b in word.bytes().filter(u8::is_ascii_alphabetic) {
            if len < short.len() {
                short[len] = b.to_ascii_lowercase();
            } else {
                if long.is_empty() {
                    long.extend_from_slice(&short);
                }
                long.push(b.to_ascii_lowercase());
            }
            len += 1;
        }
        let w: &[u8] = if len <= short.len() { &short[..len] } else { &long };
        return count_ascii(w);
    }
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    count_syllables(&w)
}

/// The class of each byte for [`count_lowercase`]: 0 for anything but a
/// lower-case ASCII letter, 1 for a consonant, 2 for a vowel (`y`
/// included; it is a consonant only as a word's first letter), so that
/// one table read a byte both tests it and classes it.
const LOWER_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = b'a';
    while b <= b'z' {
        t[b as usize] = if matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            2
        } else {
            1
        };
        b += 1;
    }
    t
};

/// [`count_ascii`] of `w` if it is all lower-case ASCII letters, else
/// `None`: the test and the count in one pass over the bytes (this runs
/// for every word of every post of 12 words or more), where testing
/// first and counting after read each word twice.
///
/// The pass makes no decision a byte: it sets one bit for each vowel and
/// notes any byte that is not a letter. The vowel groups are then the
/// vowels not preceded by a vowel, counted at once; only the vowel pairs
/// (a bit set with the one below it) are looked at one by one, to see
/// whether they split. A branch on each letter being a vowel was
/// mispredicted about once a letter.
fn count_lowercase(w: &[u8]) -> Option<usize> {
    let n = w.len();
    if n <= 3 {
        // Too short to need the rules: one syllable, if letters at all.
        return (n > 0 && w.iter().all(u8::is_ascii_lowercase)).then_some(1);
    }
    if n > 64 {
        return w.iter().all(u8::is_ascii_lowercase).then(|| count_ascii(w));
    }
    let mut vowels = 0u64;
    let mut other = false;
    for (i, &b) in w.iter().enumerate() {
        let class = LOWER_CLASS[usize::from(b)];
        other |= class == 0;
        vowels |= u64::from(class == 2) << i;
    }
    if other {
        return None;
    }
    // A `y` that starts the word is a consonant ("yes").
    if w[0] == b'y' {
        vowels &= !1;
    }
    let mut count = (vowels & !(vowels << 1)).count_ones() as usize;
    let mut pairs = vowels & (vowels << 1);
    while pairs != 0 {
        // Bit `i`: the letters at `i - 1` and `i` are both vowels.
        count += usize::from(split_pair(w, pairs.trailing_zeros() as usize));
        pairs &= pairs - 1;
    }
    Some(endings(w, count))
}

/// True when the vowels at `i - 1` and `i` (`i >= 1`) are two syllables
/// (see `count_syllables`).
#[inline]
fn split_pair(w: &[u8], i: usize) -> bool {
    let before = if i >= 2 { w[i - 2] } else { b' ' };
    match (w[i - 1], w[i]) {
        (b'i', b'a') | (b'i', b'u') | (b'e', b'o') => true,
        (b'i', b'o') => !matches!(before, b't' | b's' | b'c' | b'x'),
        (b'u', b'a') => before != b'q' && before != b'g',
        _ => false,
    }
}

/// `count`, the vowel groups of `w` (four letters or more), less a silent
/// ending (see `count_syllables`), and at least one.
#[inline]
fn endings(w: &[u8], mut count: usize) -> usize {
    let n = w.len();
    let (last, second, third) = (w[n - 1], w[n - 2], w[n - 3]);
    // `n >= 4`, so the letter before the last two is there.
    let consonant_before_2 = !ascii_vowel(third);
    let silent_e = last == b'e' && !(second == b'l' && consonant_before_2) && second != b'e';
    let silent_ed = second == b'e' && last == b'd' && !matches!(third, b't' | b'd') && consonant_before_2;
    let silent_es = second == b'e'
        && last == b's'
        && !matches!(third, b's' | b'x' | b'z' | b'c' | b'g')
        && third != b'h'
        && consonant_before_2;
    if count > 1 && (silent_e || silent_ed || silent_es) {
        count -= 1;
    }
    count.max(1)
}

/// True for the ASCII vowels `a e i o u y` (lower case).
fn ascii_vowel(b: u8) -> bool {
    // One bit for each vowel, at its place in the alphabet: a shift and a
    // test, where a chain of six comparisons would run for every letter.
    const VOWELS: u32 = 1 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20 | 1 << 24;
    let k = b.wrapping_sub(b'a');
    k < 26 && VOWELS >> k & 1 != 0
}

/// [`count_syllables`] for a word given as lower-case ASCII letters, the
/// form of nearly every word: the same rules on bytes, without turning
/// each into a `char` and testing it against the accented vowels. This
/// runs for every word of every post of 12 words or more.
fn count_ascii(w: &[u8]) -> usize {
    let n = w.len();
    if n == 0 {
        return 0;
    }
    if n <= 3 {
        return 1;
    }
    let mut count = 0usize;
    let mut prev_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        let v = ascii_vowel(c) && !(c == b'y' && i == 0);
        if v {
            if !prev_vowel {
                count += 1;
            } else {
                // A vowel pair that is two syllables; `prev_vowel` implies
                // `i > 0`.
                count += usize::from(split_pair(w, i));
            }
        }
        prev_vowel = v;
    }
    endings(w, count)
}

/// The syllables of a word given as its lower-case letters (bytes of an
/// ASCII word, or characters).
fn count_syllables<C: Copy + Into<char>>(w: &[C]) -> usize {
    if w.is_empty() {
        return 0;
    }
    if w.len() <= 3 {
        return 1;
    }
    let at = |i: usize| -> char { w[i].into() };
    let vowel =
        |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'à'..='æ' | 'è'..='ï' | 'ò'..='ö' | 'ù'..='ü');
    let mut count = 0usize;
    let mut prev_vowel = false;
    for i in 0..w.len() {
        let c = at(i);
        let v = vowel(c) && !(c == 'y' && i == 0);
        if v && !prev_vowel {
            count += 1;
        }
        // Vowel pairs that are two syllables: "-ia" (mania), "-io" (radio,
        // not -tion/-sion), "-eo" (video), "-ua" (usual), "-iu" (calcium).
        if v && prev_vowel && i > 0 {
            let pair = (at(i - 1), c);
            let before = if i >= 2 { at(i - 2) } else { ' ' };
            let split = match pair {
                ('i', 'a') | ('i', 'u') | ('e', 'o') => true,
                ('i', 'o') => !matches!(before, 't' | 's' | 'c' | 'x'),
                ('u', 'a') => before != 'q' && before != 'g',
                _ => false,
            };
            if split {
                count += 1;
            }
        }
        prev_vowel = v;
    }
    let n = w.len();
    // `s` is ASCII: its bytes are its characters.
    let ends = |s: &str| {
        n >= s.len()
            && w[n - s.len()..]
                .iter()
                .zip(s.bytes())
                .all(|(&c, b)| c.into() == char::from(b))
    };
    let consonant_before = |k: usize| n > k && !vowel(at(n - 1 - k));
    // Silent final e ("make"), but not "-le" after a consonant ("table");
    // "-ed" not after t or d ("jumped"); "-es" not after a sibilant ("makes").
    let silent_e = at(n - 1) == 'e' && !(ends("le") && consonant_before(2)) && !ends("ee");
    let silent_ed = ends("ed") && !matches!(at(n - 3), 't' | 'd') && consonant_before(2);
    let silent_es =
        ends("es") && !matches!(at(n - 3), 's' | 'x' | 'z' | 'c' | 'g') && !ends("hes") && consonant_before(2);
    if count > 1 && (silent_e || silent_ed || silent_es) {
        count -= 1;
    }
    count.max(1)
}

/// The bits of [`SHORT_CLASS`]: which letter a byte is, as far as the
/// rules of [`count_short`] tell letters apart.
const VOWEL: u8 = 1;
const I: u8 = 1 << 1;
const E: u8 = 1 << 2;
const U: u8 = 1 << 3;
const A: u8 = 1 << 4;
const O: u8 = 1 << 5;
/// The letters before `io` that keep it one syllable (`nation`).
const TSCX: u8 = 1 << 6;
/// The letters before `ua` that keep it one syllable (`quality`).
const QG: u8 = 1 << 7;
/// Not a lower-case ASCII letter: every bit, which no letter has.
const NOT_LOWER: u8 = 0xff;

/// The [`count_short`] class of each byte (see [`VOWEL`] and the others).
const SHORT_CLASS: [u8; 256] = {
    let mut t = [NOT_LOWER; 256];
    let mut b = b'a';
    while b <= b'z' {
        t[b as usize] = match b {
            b'a' => VOWEL | A,
            b'e' => VOWEL | E,
            b'i' => VOWEL | I,
            b'o' => VOWEL | O,
            b'u' => VOWEL | U,
            b'y' => VOWEL,
            b't' | b's' | b'c' | b'x' => TSCX,
            b'q' | b'g' => QG,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// [`count_lowercase`] of a word of one to eight bytes held in `head`
/// (its first byte lowest, zero past its `n` bytes), with no branch: the
/// count, or `None` when a byte is not a lower-case ASCII letter.
///
/// The per-word count branched on the word's length (three letters or
/// fewer?), looped over its bytes (a loop whose end came at a different
/// byte for each word), over its vowel pairs, and tested its endings:
/// branches whose outcome changes from word to word, mispredicted several
/// times a post. Here each of the eight bytes is classed by one table
/// read into a byte of a 64-bit number, and the rules are worked out on
/// all eight at once: a vowel group starts at a vowel whose byte before
/// is not one, a pair splits by the classes of its two letters and the
/// one before, and the endings read the last three letters.
fn count_short(head: u64, n: usize) -> Option<usize> {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut classes = 0u64;
    for (k, b) in head.to_le_bytes().into_iter().enumerate() {
        classes |= u64::from(SHORT_CLASS[usize::from(b)]) << (8 * k);
    }
    // The word's bytes only: no class past its end.
    classes &= u64::MAX >> (64 - 8 * n.clamp(1, 8));
    // A byte that is not a lower-case letter (`NOT_LOWER`, every bit set)
    // is a zero byte of `!classes`: the high bit of each byte of `zero`
    // is clear just for a zero byte (exact, with no carry between bytes).
    let inverse = !classes;
    let zero = ((inverse & LOW7) + LOW7) | inverse;
    let other = zero | LOW7 != u64::MAX;
    // Each class bit, as a 0 or 1 in each letter's byte.
    let lane = |bit: u8| (classes >> bit.trailing_zeros()) & LANES;
    // A `y` that starts the word is a consonant ("yes").
    let vowels = lane(VOWEL) & !u64::from(head & 0xff == u64::from(b'y'));
    let (i, e, u, a, o) = (lane(I), lane(E), lane(U), lane(A), lane(O));
    let groups = (vowels & !(vowels << 8)).count_ones() as usize;
    // The pairs that are two syllables (see [`split_pair`]): `ia`, `iu`,
    // `eo`; `io` but after `t`, `s`, `c` or `x`; `ua` but after `q` or
    // `g` (a pair at the start has no letter before it, and no byte: none
    // of these).
    let split =
        (i << 8) & (a | u) | (e << 8) & o | (i << 8) & o & !(lane(TSCX) << 16) | (u << 8) & a & !(lane(QG) << 16);
    let count = groups + split.count_ones() as usize;
    // The endings, as [`endings`] reads them (for `4 <= n <= 8`; the
    // shifts are kept in range for any other length, whose answer is not
    // this one).
    let end = n.clamp(3, 8);
    let byte = |from_end: usize| ((head >> (8 * (end - from_end))) & 0xff) as u8;
    let (last, second, third) = (byte(1), byte(2), byte(3));
    let consonant_before_2 = (classes >> (8 * (end - 3))) & u64::from(VOWEL) == 0;
    let silent_e = (last == b'e') & !((second == b'l') & consonant_before_2) & (second != b'e');
    let silent_ed = (second == b'e') & (last == b'd') & !((third == b't') | (third == b'd')) & consonant_before_2;
    let silent_es = (second == b'e')
        & (last == b's')
        & !((third == b's') | (third == b'x') | (third == b'z') | (third == b'c') | (third == b'g'))
        & (third != b'h')
        & consonant_before_2;
    let full = (count - usize::from((count > 1) & (silent_e | silent_ed | silent_es))).max(1);
    // Three letters or fewer: one syllable.
    let syllables = if n <= 3 { 1 } else { full };
    (!other).then_some(syllables)
}

/// The syllables of word token `t` of `a`: [`count_short`] on its first
/// eight bytes, read from the folded text, for a word of eight bytes or
/// fewer whose norm is its folded text (nearly every word); [`syllables`]
/// of its norm for any other.
#[inline]
fn word_syllables(a: &Analysis<'_>, t: &Token) -> usize {
    let n = t.fspan.end - t.fspan.start;
    // Not obfuscated, and no longer or shorter than its folded text: the
    // norm is the folded text (see `bits::head`).
    let same = !t.obfuscated & (n == t.norm.len());
    match count_short(bits::head(a, t), n) {
        Some(k) if same & (n <= 8) => k,
        _ => syllables(&t.norm),
    }
}

/// Word and syllable counts of each sentence (words only: no numbers,
/// links, hashtags, mentions or emoji), in one pass over the words,
/// listed with no branch on each token's kind (a test of every token's
/// kind went either way from token to token).
fn sentence_counts(a: &Analysis<'_>) -> PerSentence<(usize, usize)> {
    let mut counts = PerSentence::new(a.sentences.len());
    let mut words = PerToken::new(a.tokens.len());
    for &i in words.select(|i| a.tokens[i].kind == TokenKind::Word) {
        let i = i as usize;
        // Every token is in a sentence.
        if let Some((w, y)) = a.sentence_of.get(i).and_then(|&s| counts.get_mut(s as usize)) {
            *w += 1;
            *y += word_syllables(a, &a.tokens[i]);
        }
    }
    counts
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    // A short post is not scored: skip counting its syllables. Fewer
    // tokens than that means fewer words, and is known without a pass; a
    // post with more tokens but fewer words (a few, to count) is turned
    // away by the same test on the words counted below.
    if a.tokens.len() < MIN_WORDS {
        return;
    }
    let target = ctx.opt_f64("target_grade");
    let (mut words, mut syl, mut sentences) = (0usize, 0usize, 0usize);
    let mut hardest: Option<(usize, f64)> = None;
    for (s, &(w, y)) in sentence_counts(a).iter().enumerate() {
        if w == 0 {
            continue;
        }
        words += w;
        syl += y;
        sentences += 1;
        let g = grade(w, 1, y);
        if w >= 3 && hardest.is_none_or(|(_, h)| g > h) {
            hardest = Some((s, g));
        }
    }
    if words < MIN_WORDS {
        return;
    }
    let g = grade(words, sentences, syl);
    if g <= target {
        return;
    }
    let Some((s, hg)) = hardest else { return };
    let span = a.sentences[s].span;
    out.push(
        Diagnostic::at(span, format!("reading grade {g:.1}, above the target of {target}"))
            .with_help("use shorter sentences and everyday words: one idea a sentence")
            .with_note(format!(
                "Flesch-Kincaid grade {g:.1} over {words} words in {sentences} sentence(s); the underlined sentence scores {hg:.1}"
            )),
    );
}

#[cfg(test)]
mod tests {
    use super::{RULE, count_ascii, count_lowercase, count_short, count_syllables, syllables};
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn syllable_rules() {
        for (w, n) in [
            ("the", 1),
            ("make", 1),
            ("table", 2),
            ("jumped", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("makes", 1),
            ("hospital", 3),
            ("hyperuricaemia", 7),
            ("radio", 3),
            ("nation", 2),
            ("decolonisation", 6),
            ("every", 3),
            ("you", 1),
            ("", 0),
            ("😀", 0),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn ascii_count_is_the_general_count() {
        // Every word of up to five letters over the letters the rules
        // look at, and one consonant they do not.
        let letters = b"aeiouylsdthqgxcb";
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            words = words
                .iter()
                .flat_map(|w| {
                    letters.iter().map(move |&c| {
                        let mut w = w.clone();
                        w.push(c);
                        w
                    })
                })
                .collect();
            all.extend(words.iter().cloned());
        }
        // And longer words, drawn by a fixed linear congruential sequence.
        let mut x: u64 = 1;
        for _ in 0..100_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 6 + (x >> 59) as usize * 3;
            let w = (0..len)
                .map(|k| letters[((x >> (k % 60)) as usize ^ k) % letters.len()])
                .collect();
            all.push(w);
        }
        for w in all
            .iter()
            .map(Vec::as_slice)
            .chain([&b""[..], b"hyperuricaemia", b"decolonisation"])
        {
            assert_eq!(count_ascii(w), count_syllables(w), "{}", String::from_utf8_lossy(w));
            // The one-pass count of a lower-case word is the same count.
            let lower = (!w.is_empty()).then(|| count_ascii(w));
            assert_eq!(count_lowercase(w), lower, "{}", String::from_utf8_lossy(w));
            // And the count of a word of up to eight bytes at once.
            if (1..=8).contains(&w.len()) {
                let mut head = [0u8; 8];
                head[..w.len()].copy_from_slice(w);
                assert_eq!(
                    count_short(u64::from_le_bytes(head), w.len()),
                    lower,
                    "{}",
                    String::from_utf8_lossy(w)
                );
            }
        }
    }

    #[test]
    fn eight_byte_count_is_the_general_count() {
        // Words of six to eight letters (the exhaustive test above stops
        // at five), drawn by a fixed linear congruential sequence, over
        // every lower-case letter, with a byte that is not one now and
        // then.
        let mut x: u64 = 7;
        for _ in 0..200_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 6 + (x >> 62) as usize % 3;
            let w: Vec<u8> = (0..len)
                .map(|k| {
                    let r = (x >> (7 * k)) as u8;
                    if r.is_multiple_of(61) {
                        b'-'
                    } else {
                        b"aeiouyaeiouytscxqglhdzb"[usize::from(r) % 23]
                    }
                })
                .collect();
            let mut head = [0u8; 8];
            head[..len].copy_from_slice(&w);
            assert_eq!(
                count_short(u64::from_le_bytes(head), len),
                count_lowercase(&w),
                "{}",
                String::from_utf8_lossy(&w)
            );
        }
    }

    #[test]
    fn fires_on_dense_prose_with_the_hardest_sentence() {
        let text = "Hyperuricaemia predisposes susceptible individuals to monosodium urate crystallisation within synovial joints, precipitating acute inflammatory arthropathy. #gout";
        let t = Test::new(text);
        assert_eq!(
            t.spans(&RULE),
            [
                "Hyperuricaemia predisposes susceptible individuals to monosodium urate crystallisation within synovial joints, precipitating acute inflammatory arthropathy."
            ]
        );
        assert!(t.run(&RULE)[0].message.starts_with("reading grade "));
        assert_spans(
            &RULE,
            "Clinic is open. Individuals experiencing persistent reflux symptoms notwithstanding optimisation of lifestyle modifications should be considered for pharmacological intervention.",
            &[
                "Individuals experiencing persistent reflux symptoms notwithstanding optimisation of lifestyle modifications should be considered for pharmacological intervention.",
            ],
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Flu jabs are here. Come in on Saturday, no need to book. Bring a friend if they are over 65.",
        );
        assert_silent(
            &RULE,
            "So proud of our team today! Thank you all for the hard work and the cake.",
        );
        // Too short to score.
        assert_silent(&RULE, "Pharmacological intervention notwithstanding optimisation.");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "https://www.nhs.uk/conditions/ #a #b 😀😀");
    }

    #[test]
    fn target_is_an_option() {
        let text = "Hyperuricaemia predisposes susceptible individuals to monosodium urate crystallisation within synovial joints, precipitating acute inflammatory arthropathy.";
        assert!(
            !Test::new(text)
                .option(&RULE, "target_grade", OptValue::Float(40.0))
                .fires(&RULE)
        );
    }
}
