//! `spam/mention-stuffing`: more @mentions than the limit.

use primum_text::{Span, TokenKind};

use crate::declare_rule;
use crate::finding::{Applicability, Edit, Fix};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Counts the post's @mentions and fires when there are more than the
    /// policy's `max` (default 5). In a reply, the @mentions that open the
    /// post only address the thread, so that opening run counts as one.
    /// The finding underlines the mentions past the limit.
    ///
    /// ## Why
    ///
    /// "Don't be spammy." Tagging a crowd of accounts pushes a post into
    /// people's notifications whether or not it concerns them; platforms
    /// treat mass tagging as spam, and it makes a post about patients or
    /// clinical claims travel further than its author meant. Respect for the
    /// audience is part of professional conduct online (GMC 2024 ¶14,
    /// `uk-gmc-sm2024-14`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Huge congrats on the new stroke pathway! @DrAmaraBello @KavyaRamanMD @TomWhitlock @SisterRuthA @AshcombeNHS @StrokeNetUK @StrokeNursesUK
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Huge congrats to the stroke team on the new pathway! @AshcombeNHS @StrokeNetUK
    /// ```
    ///
    /// ## Fix
    ///
    /// Tag the two or three accounts the post is really for and thank the
    /// rest by name or in the replies; the suggested fix removes the mentions
    /// past the limit.
    ///
    /// ## Options
    ///
    /// - `max` (integer, default 5): the most @mentions allowed.
    pub static RULE = {
        id: "spam/mention-stuffing",
        fix: Always,
        options: [
            ("max", Int(5), "the most @mentions allowed in one post"),
        ],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let max = usize::try_from(ctx.opt_i64("max")).unwrap_or(0);
    let a = ctx.text;
    let mentions: Vec<Span> = a.of_kind(TokenKind::Mention).map(|(_, t)| t.span).collect();
    // In a reply, the run of mentions before the first other token
    // addresses the thread: it counts as one.
    let leading = if ctx.reply.is_some() || ctx.post.reply_to.is_some() {
        a.tokens.iter().take_while(|t| t.kind == TokenKind::Mention).count()
    } else {
        0
    };
    let counted = mentions.len() - leading.saturating_sub(1);
    if counted <= max {
        return;
    }
    let skip = mentions.len() - (counted - max);
    let extra = &mentions[skip..];
    let (Some(first), Some(last)) = (extra.first(), extra.last()) else {
        return;
    };
    let src = ctx.src();
    let edits = extra
        .iter()
        .map(|s| {
            let start = src[..s.start].trim_end_matches([' ', ',']).len();
            Edit {
                span: Span::new(start, s.end),
                replacement: String::new(),
            }
        })
        .collect();
    out.push(
        Diagnostic::at(
            first.cover(*last),
            format!("{counted} @mentions, more than the limit of {max}"),
        )
        .with_fix(Fix {
            edits,
            applicability: Applicability::Unsafe,
        })
        .with_help("tag only the few accounts the post is really for; thank the others by name or in a reply"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_past_the_limit_with_the_extra_mentions() {
        assert_spans(&RULE, "Congrats team! @a @b @c @d @e @f @g", &["@f @g"]);
        assert_spans(
            &RULE,
            "Finished my first triathlon thank you @jess.runs @kbay_tri @sarah_swims @mattbikes @the.tri.coach @lakeside.rc",
            &["@lakeside.rc"],
        );
    }

    #[test]
    fn a_reply_s_leading_mentions_count_once() {
        let t = Test::new("@a @b @c @d thanks, and well done @e @f").reply_to("Great talk @x");
        assert!(!t.fires(&RULE));
        // Without the reply context they all count.
        assert_spans(&RULE, "@a @b @c @d thanks, and well done @e @f", &["@f"]);
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Delighted to have spoken alongside @FionaGP and @DrSanjay. Slides to follow.",
        );
        assert_silent(&RULE, "Email me at clinic@example.org or call 01632 960418");
        assert_silent(&RULE, "@a @b @c @d @e");
        assert_silent(&RULE, "");
    }

    #[test]
    fn option_raises_the_limit() {
        let t = Test::new("@a @b @c @d @e @f @g").option(&RULE, "max", OptValue::Int(10));
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn fix_removes_the_extra_mentions() {
        assert_eq!(
            Test::new("Thanks @a @b @c @d @e @f @g!").fixed(&RULE),
            "Thanks @a @b @c @d @e!"
        );
    }
}
