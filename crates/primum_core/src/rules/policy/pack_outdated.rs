//! `policy/pack-outdated`: the regional pack was reviewed too long ago.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Compares the review date of the regional pack in use (`reviewed` in
    /// its `[pack]` table) with the time of the check (the post's creation
    /// time, or the time the front end supplied) and fires once when the
    /// pack is older than `max_age_months`. Silent when the time of the
    /// check is unknown: the core never reads the clock itself.
    ///
    /// ## Why
    ///
    /// "Stay informed: guidelines are updated from time to time." The GMC
    /// replaced its 2013 social media guidance in January 2024
    /// (`uk-gmc-sm2024-4`), the NMC and Ahpra revise theirs, and advertising
    /// law changes (National Law s133 penalties rose in 2022). A pack that
    /// has not been checked against the current texts may cite superseded
    /// paragraphs or miss new duties.
    ///
    /// ## Example
    ///
    /// Checking a post in December 2026 with a pack whose `reviewed` is
    /// `2025-06-01`:
    ///
    /// ```text
    /// pack `uk` (United Kingdom) was last reviewed on 2025-06-01, more than 12 months ago
    /// ```
    ///
    /// Better: update primum, or ask whoever maintains the pack to re-check
    /// its sources and set a new `reviewed` date.
    ///
    /// ## Fix
    ///
    /// None in the post: update primum or the pack.
    ///
    /// ## Options
    ///
    /// - `max_age_months` (integer, default 12): how many months after its
    ///   review a pack is still considered current.
    pub static RULE = {
        id: "policy/pack-outdated",
        fix: Never,
        options: [
            ("max_age_months", Int(12), "months after its review date that a regional pack is still considered current"),
        ],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(now) = ctx.now else { return };
    let max = ctx.opt_i64("max_age_months").max(0);
    let pack = &ctx.policy.pack;
    let r = pack.reviewed;
    let age = r.months_until(now.date);
    if age <= max {
        return;
    }
    let name = if pack.name.is_empty() || pack.name == pack.id {
        format!("pack `{}`", pack.id)
    } else {
        format!("pack `{}` ({})", pack.id, pack.name)
    };
    out.push(
        Diagnostic::new(
            None,
            format!(
                "{name} was last reviewed on {:04}-{:02}-{:02}, more than {max} months ago",
                r.year, r.month, r.day
            ),
        )
        .with_help("update primum, or ask the pack's maintainer to re-check its sources against the current guidance")
        .with_note(format!("the pack is {age} months old")),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::OptValue;
    use crate::testing::Test;
    use crate::time::Date;

    fn with_reviewed(t: Test, y: i32, m: u8, d: u8) -> Test {
        let mut t = t;
        t.policy.pack.reviewed = Date {
            year: y,
            month: m,
            day: d,
        };
        t
    }

    #[test]
    fn fires_when_the_pack_is_old() {
        let t = with_reviewed(Test::new("Clinic open today").now("2026-12-01T09:00:00Z"), 2025, 6, 1);
        let f = t.run(&RULE);
        assert_eq!(f.len(), 1);
        assert!(f[0].span.is_none());
        assert!(f[0].message.contains("2025-06-01"), "{}", f[0].message);
        assert!(f[0].message.starts_with("pack `core`"), "{}", f[0].message);
    }

    #[test]
    fn silent_for_a_current_pack_or_an_unknown_time() {
        let t = with_reviewed(Test::new("Clinic open today").now("2026-12-01T09:00:00Z"), 2026, 1, 1);
        assert!(!t.fires(&RULE));
        let mut t = with_reviewed(Test::new("Clinic open today"), 2020, 1, 1);
        t.now = None;
        assert!(!t.fires(&RULE));
        // Exactly twelve months is still current.
        let t = with_reviewed(Test::new("").now("2026-06-01T00:00:00Z"), 2025, 6, 1);
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn option_changes_the_limit() {
        let t = with_reviewed(Test::new("x").now("2026-12-01T09:00:00Z"), 2025, 6, 1).option(
            &RULE,
            "max_age_months",
            OptValue::Int(24),
        );
        assert!(!t.fires(&RULE));
    }
}
