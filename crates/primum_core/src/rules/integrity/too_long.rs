//! `integrity/too-long`: longer than the platform allows.

use primum_text::Span;

use crate::declare_rule;
use crate::platform;
use crate::post::Platform;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Counts the post's length the way its platform counts it and fires
    /// when it is over the platform's limit or over the policy's own
    /// `max_chars`, whichever is lower. X: 280, with every link counted as
    /// 23 and CJK characters and emoji as 2. Bluesky: 300 grapheme
    /// clusters. Threads and Mastodon: 500 (Mastodon counts links as 23).
    /// Instagram: 2,200. LinkedIn: 3,000. Facebook: 63,206. The generic
    /// platform has no limit of its own. The finding underlines the part
    /// that does not fit.
    ///
    /// ## Why
    ///
    /// "Information should be concise." A post over the limit is cut off or
    /// refused, and the part that is lost is often the caveat, the source or
    /// the advice to see a clinician, which leaves a post that is no longer
    /// accurate (GMC 2024, give context so readers can check your claims,
    /// `uk-gmc-sm2024`; NMC Code ¶6, information must be correct,
    /// `uk-nmc-code-6`).
    ///
    /// ## Example
    ///
    /// ```text
    /// (on X) Thinking about the lady we looked after this week, a retired lighthouse keeper in her eighties ... [363 characters]
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// (on X) Reminder that the people we care for have whole lives we never see. Ask them what matters to them.
    /// ```
    ///
    /// ## Fix
    ///
    /// Shorten the post, or split it into a thread whose every part stands
    /// on its own. No automatic fix: only the author knows what to cut.
    ///
    /// ## Options
    ///
    /// - `max_chars` (integer, default 0): the organisation's own limit,
    ///   counted as the platform counts; 0 means only the platform's limit.
    pub static RULE = {
        id: "integrity/too-long",
        fix: Never,
        options: [
            ("max_chars", Int(0), "the organisation's own length limit, counted as the platform counts; 0 = only the platform's limit"),
        ],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.platform();
    let own = usize::try_from(ctx.opt_i64("max_chars")).ok().filter(|&n| n > 0);
    // Whose limit it is: the policy's (`true`) or the platform's.
    let (limit, policy) = match (platform::limit(p), own) {
        (Some(l), Some(o)) if o < l => (o, true),
        (Some(l), _) => (l, false),
        (None, Some(o)) => (o, true),
        (None, None) => return,
    };
    let Some(start) = platform::overflow_start(ctx.text, p, limit) else {
        return;
    };
    let whose = if policy {
        "the policy's".to_string()
    } else {
        format!("{}'s", p.title())
    };
    let len = platform::length_of(ctx.text, p);
    let unit = if p == Platform::X {
        "weighted characters"
    } else {
        "characters"
    };
    out.push(
        Diagnostic::at(
            Span::new(start, ctx.src().len()),
            format!("{len} {unit}, over {whose} limit of {limit}"),
        )
        .with_help("shorten the post, or split it into a thread whose parts each stand on their own")
        .with_note(format!("{} over; the underlined part does not fit", len - limit)),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::post::Platform;
    use crate::rule::OptValue;
    use crate::testing::Test;

    #[test]
    fn fires_on_the_overflow_on_x() {
        let text = format!("{}tail", "a".repeat(278));
        let t = Test::new(&text).platform(Platform::X);
        assert_eq!(t.spans(&RULE), ["il"]);
        assert_eq!(
            t.run(&RULE)[0].message,
            "282 weighted characters, over X's limit of 280"
        );
    }

    #[test]
    fn x_counts_links_as_23() {
        let long_link = format!("https://example.org/{}", "p".repeat(400));
        let text = format!("Worth a read: {long_link}");
        assert!(!Test::new(&text).platform(Platform::X).fires(&RULE));
        // On Bluesky the link counts in full.
        assert!(Test::new(&text).platform(Platform::Bluesky).fires(&RULE));
    }

    #[test]
    fn x_counts_cjk_as_two() {
        let text = "日".repeat(141);
        let t = Test::new(&text).platform(Platform::X);
        assert_eq!(t.spans(&RULE), ["日"]);
        assert!(!Test::new(&"日".repeat(140)).platform(Platform::X).fires(&RULE));
    }

    #[test]
    fn bluesky_counts_emoji_sequences_once() {
        let text = "👨‍👩‍👧".repeat(300);
        assert!(!Test::new(&text).platform(Platform::Bluesky).fires(&RULE));
        let text = "👨‍👩‍👧".repeat(301);
        assert_eq!(Test::new(&text).platform(Platform::Bluesky).spans(&RULE), ["👨‍👩‍👧"]);
    }

    #[test]
    fn hard_negatives() {
        let short = "Flu clinic open Saturday 9-12, no appointment needed 💉";
        for p in Platform::ALL {
            assert!(!Test::new(short).platform(p).fires(&RULE), "{p:?}");
        }
        // The generic platform has no limit.
        assert!(!Test::new(&"word ".repeat(20_000)).fires(&RULE));
        assert!(!Test::new("").platform(Platform::X).fires(&RULE));
        // 400 characters is fine on Threads and LinkedIn.
        let text = "a".repeat(400);
        assert!(!Test::new(&text).platform(Platform::Threads).fires(&RULE));
        assert!(!Test::new(&text).platform(Platform::Linkedin).fires(&RULE));
    }

    #[test]
    fn policy_limit_applies_when_lower() {
        let text = "a".repeat(150);
        let t = Test::new(&text)
            .platform(Platform::Linkedin)
            .option(&RULE, "max_chars", OptValue::Int(100));
        assert_eq!(
            t.run(&RULE)[0].message,
            "150 characters, over the policy's limit of 100"
        );
        let t = Test::new(&text).option(&RULE, "max_chars", OptValue::Int(100));
        assert_eq!(t.spans(&RULE), ["a".repeat(50)]);
        let t = Test::new(&text)
            .platform(Platform::X)
            .option(&RULE, "max_chars", OptValue::Int(1000));
        assert!(!t.fires(&RULE));
    }
}
