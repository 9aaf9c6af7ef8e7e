//! `spam/hashtag-stuffing`: more hashtags than the limit.

use primum_text::TokenKind;

use crate::declare_rule;
use crate::finding::{Applicability, Fix};
use crate::post::Platform;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Counts the post's hashtags (`#word`; `#1` is not one) and fires when
    /// there are more than the limit: the policy's `max` (default 5), or
    /// the platform's own norm when that is lower (X and Threads: 3).
    /// The finding underlines the hashtags past the limit.
    ///
    /// ## Why
    ///
    /// "Don't share too much and don't be spammy." A wall of hashtags reads
    /// as marketing, buries the message and, on clinical topics, pulls a
    /// post into feeds its author never meant to reach. Platforms advise a
    /// handful at most (X suggests one or two; LinkedIn three to five).
    ///
    /// ## Example
    ///
    /// ```text
    /// Flu jabs now available in store 💉 #flu #flujab #vaccine #NHS #pharmacy #health #wellness
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Flu jabs now available in store, no appointment needed 💉 #flujab #NHS
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep the two or three hashtags that say what the post is about; the
    /// suggested fix removes the ones past the limit.
    ///
    /// ## Options
    ///
    /// - `max` (integer, default 5): the most hashtags allowed.
    pub static RULE = {
        id: "spam/hashtag-stuffing",
        fix: Always,
        options: [
            ("max", Int(5), "the most hashtags allowed in one post"),
        ],
        check: check,
    }
}

/// The number of hashtags a platform's own advice tolerates, where lower
/// than the policy's.
fn platform_norm(p: Platform) -> Option<usize> {
    match p {
        Platform::X | Platform::Threads => Some(3),
        _ => None,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let policy_max = usize::try_from(ctx.opt_i64("max")).unwrap_or(0);
    let max = platform_norm(ctx.platform()).map_or(policy_max, |n| n.min(policy_max));
    let tags: Vec<_> = ctx.text.of_kind(TokenKind::Hashtag).map(|(_, t)| t.span).collect();
    if tags.len() <= max {
        return;
    }
    let extra = &tags[max..];
    let span = extra[0].cover(*extra.last().expect("non-empty"));
    // Remove each extra hashtag with the space before it.
    let src = ctx.src();
    let edits: Vec<_> = extra
        .iter()
        .map(|s| {
            let start = src[..s.start].trim_end_matches(' ').len();
            crate::finding::Edit {
                span: primum_text::Span::new(start, s.end),
                replacement: String::new(),
            }
        })
        .collect();
    let limit = if max < policy_max {
        format!("{}'s norm of {max}", ctx.platform().title())
    } else {
        format!("the limit of {max}")
    };
    out.push(
        Diagnostic::at(span, format!("{} hashtags, more than {limit}", tags.len()))
            .with_fix(Fix {
                edits,
                applicability: Applicability::Unsafe,
            })
            .with_help("keep the two or three hashtags that say what the post is about"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::post::Platform;
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_past_the_limit_with_the_extra_tags() {
        assert_spans(&RULE, "Theatre day #a #b #c #d #e #f #g", &["#f #g"]);
    }

    #[test]
    fn platform_norm_is_lower_on_x() {
        let t = Test::new("Clinic open #a #b #c #d").platform(Platform::X);
        assert_eq!(t.spans(&RULE), ["#d"]);
        assert!(
            !Test::new("Clinic open #a #b #c #d")
                .platform(Platform::Instagram)
                .fires(&RULE)
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "X-ray of the day #radiology #xrayoftheday #foreignbody");
        assert_silent(&RULE, "We're #1 #1 #1 #1 #1 #1 in the league table");
        assert_silent(&RULE, "Call 01632#123#456#789#000#111 for the line");
        assert_silent(&RULE, "");
    }

    #[test]
    fn option_raises_the_limit() {
        let t = Test::new("#a #b #c #d #e #f #g").option(&RULE, "max", OptValue::Int(10));
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn fix_removes_the_extra_tags() {
        let t = Test::new("Done #a #b #c #d #e #f #g today");
        assert_eq!(t.fixed(&RULE), "Done #a #b #c #d #e today");
    }
}
