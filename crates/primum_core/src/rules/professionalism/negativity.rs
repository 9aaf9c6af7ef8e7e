//! `professionalism/negativity`: a strongly negative or hostile tone.

use foldhash::HashMap;
use std::sync::LazyLock;

use primum_text::{Analysis, Case, Token, TokenKind};

use super::humor_at_patients::Tone;
use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{self, TokenSet};

declare_rule! {
    /// ## What it checks
    ///
    /// Scores the post's tone and fires when it is strongly negative: the
    /// valence of its words (VADER, `lexicons/sentiment.csv`; a negated word
    /// counts half, reversed), rant markers ("rant", "do better", "sick of",
    /// "waste of my time", `lexicons/tone_markers.csv`), insults (each
    /// worth the default threshold by itself, since an insult of a
    /// colleague or a patient is hostile however politely it is put) and
    /// profanity (as `professionalism/disrespect` finds them) and words
    /// shouted in capitals. The score must reach `min_score`. Information
    /// only: venting is human, but it is worth a second look before it goes
    /// out under a professional name.
    ///
    /// ## Why
    ///
    /// "Be original and practise positivity." Rants about employers,
    /// colleagues or patients erode public trust in the profession and can
    /// breach the duty of respect (GMC 2024 ¶14, `uk-gmc-sm2024-14`); don't
    /// complain about colleagues online and don't use social media to raise
    /// concerns (NMC guidance); no disparaging remarks about employers or
    /// co-workers (ANA tip 4, `us-ana-2011-tip4`; CMA Code ¶31–33,
    /// `ca-cma-code-31`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Rant incoming. The rota has gaps on every night shift AGAIN and management couldn't care less. Do better.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Rota gaps on night shifts are wearing staff down. We've raised it through the safe-staffing process and hope to see change.
    /// ```
    ///
    /// ## Fix
    ///
    /// Raise the concern through the proper channels; if you post, say what
    /// should change rather than who is to blame.
    ///
    /// ## Options
    ///
    /// - `min_score` (number, default 4): the negativity score at which the
    ///   rule fires.
    pub static RULE = {
        id: "professionalism/negativity",
        fix: Never,
        options: [
            ("min_score", Float(4.0), "the negativity score at which the rule fires"),
        ],
        check: check,
    }
}

static VALENCE: LazyLock<HashMap<String, f64>> = LazyLock::new(|| {
    crate::lexicon_rows!("sentiment.csv")
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [t, v] => Some((t.clone(), v.parse().ok()?)),
            _ => None,
        })
        .collect()
});

/// The [`VALENCE`] words by their first eight bytes and length.
static VALENCE_BLOOM: LazyLock<WordBloom> = LazyLock::new(|| WordBloom::of(VALENCE.keys().map(String::as_str)));

/// A Bloom filter of a word list: 2^16 bits (eight kilobytes, so it stays
/// in cache), two bits a word, both taken from one multiplicative hash of
/// its first eight bytes ([`bits::head`]) and its length. Most words of a
/// post are in no list of valence; this lets through the words of the
/// list and about one other word in twenty, and is tested for every token
/// with no branch (no loop over the word's bytes, as a hash of the whole
/// word had, and no branch on its kind: see [`bits`]).
struct WordBloom(Box<[u64; 1024]>);

impl WordBloom {
    /// The two bits of a word with head `head` and length `len`.
    #[inline]
    fn bits(head: u64, len: usize) -> (usize, usize) {
        let h = (head ^ (len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        ((h >> 48) as usize, (h >> 32 & 0xffff) as usize)
    }

    fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> WordBloom {
        let mut set = Box::new([0u64; 1024]);
        for w in words {
            let (x, y) = Self::bits(bits::key(w), w.len());
            set[x / 64] |= 1 << (x % 64);
            set[y / 64] |= 1 << (y % 64);
        }
        WordBloom(set)
    }

    /// False when the token `t` is certainly not in the list (nor is its
    /// norm); true when it may be.
    #[inline]
    fn may_contain(&self, a: &Analysis<'_>, t: &Token) -> bool {
        let (x, y) = Self::bits(bits::head(a, t), t.fspan.end - t.fspan.start);
        ((self.0[x / 64] >> (x % 64)) & (self.0[y / 64] >> (y % 64)) & 1 != 0) | t.obfuscated
    }
}

/// What one insult adds to the score: as much as the default `min_score`.
const INSULT_WEIGHT: f64 = 4.0;

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let (mut neg, mut pos) = (0.0f64, 0.0f64);
    let mut words: Vec<&str> = Vec::new();
    let mut shouted = 0usize;
    // The words that may have a valence, and the words shouted, found
    // for every token with no branch (see [`bits`]).
    let bloom = &*VALENCE_BLOOM;
    let candidates = TokenSet::of(a.tokens.len(), |i| {
        let t = &a.tokens[i];
        let word = t.kind == TokenKind::Word;
        shouted += usize::from(word & (t.case == Case::Upper) & (t.norm.len() >= 4));
        word & bloom.may_contain(a, t)
    });
    for i in candidates.iter() {
        let t = &a.tokens[i];
        let Some(&v) = VALENCE.get(t.norm.as_str()) else {
            continue;
        };
        let v = if a.negated.get(i).copied().unwrap_or(false) {
            -v * 0.5
        } else {
            v
        };
        if v < 0.0 {
            neg -= v;
            if words.len() < 6 {
                words.push(a.slice(t.span));
            }
        } else {
            pos += v;
        }
    }
    // Scale word valence (VADER: -4..4) so that two or three strongly
    // negative words make one point each.
    let mut score = (neg - 0.5 * pos) / 2.5;
    let rants: Vec<&str> = ctx
        .signals
        .tones()
        .iter()
        .filter(|m| *m.value == Tone::Rant)
        .map(|m| a.slice(m.span))
        .collect();
    score += 2.0 * rants.len() as f64;
    // An insult aimed at a colleague or a patient ("the locum is an
    // absolute clown", "another nutter") is hostile by itself: each one
    // is worth the default threshold.
    // Polite words around it ("honestly", "lovely") do not cancel it.
    let insults = ctx.signals.disrespect(|| super::disrespect::find(ctx)).len();
    if insults > 0 {
        score = score.max(0.0);
    }
    score += INSULT_WEIGHT * insults.min(3) as f64;
    score += shouted.min(2) as f64;
    let min = ctx.opt_f64("min_score");
    if score < min {
        return;
    }
    let mut d = Diagnostic::new(None, "strongly negative tone")
        .with_help("raise the concern through the proper channels; if you post, say what should change rather than who is to blame")
        .with_note(format!("negativity score {score:.1} (fires at {min})"));
    if !words.is_empty() {
        d = d.with_note(format!("negative words: {}", words.join(", ")));
    }
    if !rants.is_empty() {
        d = d.with_note(format!("rant markers: {}", rants.join(", ")));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::Test;
    use crate::testing::assert_silent;

    #[test]
    fn fires_on_rants() {
        for text in [
            "Rant incoming. The rota has gaps on every night shift again and management couldn't care less. Do better.",
            "The ortho reg is a total f***ing muppet. Four hours to look at one X-ray. FOUR.",
            "These illiterate village people never follow instructions and then come back blaming the doctor. Waste of my time.",
            "Six GOMERs waiting for beds, ward manager STILL hasn't sorted the rota. Same every year.",
            "Sick of this awful, hopeless, toxic hospital. Worst management ever, they are useless and cruel.",
        ] {
            assert_eq!(Test::new(text).spans(&RULE), ["<post>"], "{text}");
        }
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Hard week on the unit. If you're struggling, you're not weak. Talk to someone you trust.",
        );
        assert_silent(
            &RULE,
            "Sad to say goodbye to Sister Ruth after 31 years on Ward 9. Enjoy retirement, Ruth 💐",
        );
        assert_silent(
            &RULE,
            "Antibiotics don't work on colds or flu. Taking them when you don't need them helps resistance.",
        );
        assert_silent(
            &RULE,
            "Stroke: think FAST. Face drooping, arm weakness, speech difficulty. Acting fast saves lives.",
        );
        assert_silent(&RULE, "");
    }
    #[test]
    fn exasperated_rants() {
        assert!(Test::new("I'm done. Done being screamed at, done covering gaps, done with management pretending everything is fine. This place is rotten to the core.").fires(&RULE));
    }

    #[test]
    fn an_insult_of_a_colleague_or_patient_is_hostile() {
        assert!(Test::new("Honestly the agency nurse tonight is a total clown.").fires(&RULE));
        assert_silent(&RULE, "Great shift with a brilliant agency nurse tonight.");
    }
}
