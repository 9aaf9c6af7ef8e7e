//! `spam/shouting`: excessive capitals, exclamation marks or emoji.

use primum_text::{Case, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Three kinds of shouting, each reported once:
    ///
    /// - capitals: a run of four or more words in capitals, or a post with
    ///   at least 12 letters of which more than `max_caps_ratio` are
    ///   capitals. Acronyms (`NHS`, `GP`, `NCLEX`, `RN`, `CPR`: capitalised
    ///   words that are not ordinary English words) are left out of both;
    /// - more than `max_exclamations` exclamation marks in a row (`!!!!!!`);
    /// - more than `max_emoji` emoji in the post.
    ///
    /// ## Why
    ///
    /// "Don't be spammy." Capitals read as shouting, and walls of `!!!` and
    /// emoji read as advertising or anger; both undercut a clinician's
    /// message and the trust readers place in it.
    ///
    /// ## Example
    ///
    /// ```text
    /// WASH YOUR HANDS PEOPLE!!! IT IS NOT THAT HARD!!! 🧼🧼🧼
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Washing your hands for 20 seconds is still one of the best ways to stop winter bugs spreading 🧼
    /// ```
    ///
    /// ## Fix
    ///
    /// Write in sentence case, keep one exclamation mark, and use an emoji
    /// or two where they add meaning.
    ///
    /// ## Options
    ///
    /// - `max_caps_ratio` (number, default 0.6): the largest share of
    ///   capital letters allowed.
    /// - `max_exclamations` (integer, default 3): the most exclamation marks
    ///   allowed in a row.
    /// - `max_emoji` (integer, default 5): the most emoji allowed in a post.
    pub static RULE = {
        id: "spam/shouting",
        fix: Never,
        options: [
            ("max_caps_ratio", Float(0.6), "the largest share of capital letters allowed (acronyms left out)"),
            ("max_exclamations", Int(3), "the most exclamation marks allowed in a row"),
            ("max_emoji", Int(5), "the most emoji allowed in one post"),
        ],
        check: check,
    }
}

/// Letters in capitals short enough to be an acronym even when they spell
/// a word (`ED`, `GP`, `IT` as in information technology are rare in a
/// shouted run, so two letters are always taken as an acronym).
fn is_acronym(norm: &str, len: usize) -> bool {
    // Ordinary English words (the frequency list the identifier detector
    // also reads): a capitalised word that is not one is taken for an
    // acronym (`NHS`, `NCLEX`, `MRCP`).
    len <= 2 || crate::phi::words::WORDS.rank(norm).is_none()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let max_ratio = ctx.opt_f64("max_caps_ratio");
    let max_excl = usize::try_from(ctx.opt_i64("max_exclamations")).unwrap_or(0);
    let max_emoji = usize::try_from(ctx.opt_i64("max_emoji")).unwrap_or(0);

    // Capitals: count letters of non-acronym words, and find the longest
    // run of shouted words. The runs of exclamation marks and the emoji
    // are counted in the same pass over the tokens.
    let (mut up, mut all) = (0usize, 0usize);
    let (mut run, mut run_start, mut best): (usize, usize, Option<(usize, usize, usize)>) = (0, 0, None);
    // Exclamation marks in a row (spaces allowed between them): the current
    // run and the longest, as (start, end, count).
    let mut excl: Option<(usize, usize, usize)> = None;
    let mut worst: Option<(usize, usize, usize)> = None;
    // Emoji: how many, the first over the limit and the last.
    let (mut emoji, mut first_extra, mut last_emoji) = (0usize, None::<Span>, None::<Span>);
    let src = a.text.as_bytes();
    for (i, t) in a.tokens.iter().enumerate() {
        // Each token's kind is tested with `&` and the letters counted with
        // arithmetic: a branch on the kind of each token (one in four is
        // not a word, at random) was mispredicted a few times a post. Only
        // the rare cases branch: an exclamation mark, an emoji, a word in
        // capitals.
        //
        // Two tests joined with `&` in an `if` are still two branches (the
        // compiler splits them, the kind first): each test here is one
        // comparison of a number that packs what it looks at.
        let one_byte = u32::from(t.span.end == t.span.start + 1);
        let bang = (t.kind as u32) << 16 | one_byte << 8 | u32::from(src[t.span.start])
            == (TokenKind::Punct as u32) << 16 | 1 << 8 | u32::from(b'!');
        if bang {
            excl = Some(match excl {
                Some((s, _, n)) => (s, t.span.end, n + 1),
                None => (t.span.start, t.span.end, 1),
            });
            if let Some(e) = excl
                && worst.is_none_or(|w| e.2 > w.2)
            {
                worst = Some(e);
            }
        } else {
            excl = None;
        }
        if t.kind == TokenKind::Emoji {
            if emoji == max_emoji {
                first_extra = Some(t.span);
            }
            last_emoji = Some(t.span);
            emoji += 1;
        }
        let word = t.kind == TokenKind::Word;
        let letters = t.letters.alphabetic as usize;
        // A word in capitals (rare): the kind and the case in one number.
        let caps = (t.kind as u32) << 8 | t.case as u32 == (TokenKind::Word as u32) << 8 | Case::Upper as u32;
        let counted = usize::from(word);
        up += t.letters.upper as usize * counted;
        all += t.letters.cased as usize * counted;
        if caps && is_acronym(&t.norm, letters) {
            // An acronym's letters are not counted.
            up -= t.letters.upper as usize;
            all -= t.letters.cased as usize;
        }
        // A shouted word: all capitals, two letters or more (`I` and `A`
        // neither start nor break a run).
        if caps && letters >= 2 {
            if run == 0 {
                run_start = i;
            }
            run += 1;
            if best.is_none_or(|(_, _, n)| run > n) {
                best = Some((run_start, i, run));
            }
        } else {
            let reset = word & ((letters >= 2) | (t.case == Case::Lower));
            run = if reset { 0 } else { run };
        }
    }
    let ratio = if all == 0 { 0.0 } else { up as f64 / all as f64 };
    let run_shouts = best.is_some_and(|(s, e, n)| {
        n >= 4 && {
            // At least two words of the run are ordinary words, so a string
            // of acronyms (`NHS GP ED CPR`) is not shouting.
            (s..=e)
                .filter(|&j| {
                    let t = &a.tokens[j];
                    t.kind == TokenKind::Word && t.case == Case::Upper && !is_acronym(&t.norm, t.norm.len())
                })
                .count()
                >= 2
        }
    });
    if (all >= 12 && ratio > max_ratio) || run_shouts {
        let span = match best {
            Some((s, e, _)) if run_shouts => a.tokens_span(s..e + 1),
            _ => Span::new(0, ctx.src().len()),
        };
        out.push(
            Diagnostic::at(span, "text in capitals reads as shouting")
                .with_help("write in sentence case; keep capitals for acronyms")
                .with_note(format!(
                    "{:.0}% of letters are capitals, acronyms left out",
                    ratio * 100.0
                )),
        );
    }

    if let Some((s, e, n)) = worst
        && n > max_excl
    {
        out.push(
            Diagnostic::at(Span::new(s, e), format!("{n} exclamation marks in a row"))
                .with_help("one exclamation mark is enough"),
        );
    }

    // Emoji.
    if emoji > max_emoji
        && let (Some(f), Some(l)) = (first_extra, last_emoji)
    {
        out.push(
            Diagnostic::at(f.cover(l), format!("{emoji} emoji, more than the limit of {max_emoji}"))
                .with_help("use an emoji or two where they add meaning"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_capitals() {
        assert_spans(
            &RULE,
            "WASH YOUR HANDS PEOPLE!!! IT IS NOT THAT HARD!!! 🧼🧼🧼",
            &["WASH YOUR HANDS PEOPLE!!! IT IS NOT THAT HARD"],
        );
        assert_spans(
            &RULE,
            "Results are in and we are THE BEST CLINIC IN TOWN for families",
            &["THE BEST CLINIC IN TOWN"],
        );
    }

    #[test]
    fn fires_on_exclamations_and_emoji() {
        assert_spans(
            &RULE,
            "Just passed my NCLEX!!!!!! 🎉🎉🎉🎉🎉🎉 RN BABY",
            &["!!!!!!", "🎉"],
        );
        assert_spans(&RULE, "Done! ! ! ! Home time", &["! ! ! !"]);
    }

    #[test]
    fn acronyms_are_not_shouting() {
        assert_silent(&RULE, "Passed my MRCP and the NHS GP ED CPR HPV course this week");
        assert_silent(&RULE, "NICE NG232 on head injury: worth a read for anyone in ED");
        assert_silent(
            &RULE,
            "Stroke: think FAST. Face drooping, Arm weakness, Speech difficulty, Time to call 999.",
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Huge congratulations to Dr Amara Bello on passing her MRCP this week! So proud.",
        );
        assert_silent(&RULE, "Passed my OSCEs 🎉 Thank you to the patient volunteers!!");
        assert_silent(&RULE, "⭐⭐⭐⭐⭐ thanks to the team");
        assert_silent(&RULE, "OK");
        assert_silent(&RULE, "");
    }
}
