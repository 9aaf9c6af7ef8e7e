//! `cadence/too-frequent`: more posts in a day or a week than the policy's
//! caps.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, not_per_post};
use crate::rule::Diagnostic;
use crate::time::Date;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, the days with more than `max_per_day` posts
    /// and the weeks (Monday to Sunday) with more than `max_per_week`,
    /// counted in the account's time zone (the policy's
    /// `account.timezone`, else UTC). Reposts are not counted: they are
    /// not the account's own words. One finding for the days and one for
    /// the weeks, about the account as a whole, naming the worst day or
    /// week and listing the others.
    ///
    /// ## Why
    ///
    /// "Post regularly and be consistent; don't overdo it." A flood of
    /// posts buries the useful ones, reads as spam, and suggests time
    /// taken from patients.
    ///
    /// ## Example
    ///
    /// Twelve posts on one Tuesday, with the default cap of five a day.
    /// Better: the two or three that matter, the rest scheduled over the
    /// week or dropped.
    ///
    /// ## Fix
    ///
    /// Plan posts ahead and schedule them; merge a string of posts into one
    /// thread or one post.
    ///
    /// ## Options
    ///
    /// - `max_per_day` (integer, default 5): the most posts in a day
    ///   (0: no daily cap).
    /// - `max_per_week` (integer, default 20): the most posts in a week
    ///   (0: no weekly cap).
    pub static RULE = {
        id: "cadence/too-frequent",
        fix: Never,
        options: [
            ("max_per_day", Int(5), "the most posts in a day, in the account's time zone (0: no cap)"),
            ("max_per_week", Int(20), "the most posts in a week, Monday to Sunday (0: no cap)"),
        ],
        check: not_per_post,
    }
}

/// Days or weeks over a cap listed in a finding's notes.
const MAX_LISTED: usize = 10;

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let mut days: BTreeMap<Date, usize> = BTreeMap::new();
    for p in ctx.history.posts.iter().filter(|p| !p.repost) {
        if let Some((d, _)) = p.created_at.and_then(|t| ctx.local_time(t)) {
            *days.entry(d).or_default() += 1;
        }
    }
    let mut weeks: BTreeMap<Date, usize> = BTreeMap::new();
    for (d, n) in &days {
        let monday = Date::from_days(d.days_since_epoch() - i64::from(d.weekday()));
        *weeks.entry(monday).or_default() += n;
    }
    let per_day = usize::try_from(ctx.opt_i64("max_per_day")).unwrap_or(0);
    let per_week = usize::try_from(ctx.opt_i64("max_per_week")).unwrap_or(0);
    for (counts, cap, unit, prep, label) in [
        (&days, per_day, "day", "on", "on"),
        (&weeks, per_week, "week", "in", "in the week of"),
    ] {
        if cap == 0 {
            continue;
        }
        let mut over: Vec<(Date, usize)> = counts
            .iter()
            .filter(|(_, n)| **n > cap)
            .map(|(d, n)| (*d, *n))
            .collect();
        if over.is_empty() {
            continue;
        }
        over.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let (worst, most) = over[0];
        let times = if over.len() == 1 {
            format!("one {unit}")
        } else {
            format!("{} {unit}s", over.len())
        };
        let mut d = Diagnostic::new(
            None,
            format!("more than {cap} posts a {unit} {prep} {times} (most: {most} {label} {worst})"),
        )
        .with_help("plan posts ahead and spread them out; merge a string of posts into one thread");
        if over.len() > 1 {
            let listed: Vec<String> = over
                .iter()
                .skip(1)
                .take(MAX_LISTED)
                .map(|(d, n)| format!("{d} ({n})"))
                .collect();
            let more = over.len().saturating_sub(1 + MAX_LISTED);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            d = d.with_note(format!("also: {}{tail}", listed.join(", ")));
        }
        out.push(HistoryDiagnostic::account(d));
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::{ids, policy, posts, run};
    use crate::policy::Policy;

    const RULE: &str = "cadence/too-frequent";

    fn day(n: usize, date: &str) -> Vec<String> {
        (0..n).map(|i| format!("{date}T{:02}:00:00Z", 8 + i)).collect()
    }

    #[test]
    fn a_busy_day_and_week() {
        let mut times = day(7, "2026-03-03");
        times.extend(day(5, "2026-03-04"));
        times.extend(day(5, "2026-03-05"));
        times.extend(day(5, "2026-03-06"));
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", t.as_str())).collect();
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(
            found,
            vec![
                (
                    None,
                    "more than 5 posts a day on one day (most: 7 on 2026-03-03)".to_string()
                ),
                (
                    None,
                    "more than 20 posts a week in one week (most: 22 in the week of 2026-03-02)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn at_the_cap_is_fine_and_reposts_do_not_count() {
        let times = day(5, "2026-03-03");
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", t.as_str())).collect();
        let ids = ids(items.len());
        let mut h = posts(&items, &ids);
        assert!(run(&h, &Policy::core(), RULE).is_empty());
        // A sixth post that is a repost.
        let extra = "2026-03-03T20:00:00Z".to_string();
        let mut six = h.posts[0];
        six.created_at = crate::time::DateTime::parse(&extra);
        six.repost = true;
        h.posts.push(six);
        assert!(run(&h, &Policy::core(), RULE).is_empty());
    }

    #[test]
    fn days_follow_the_accounts_time_zone() {
        // Three posts late on 3 March and three early on 4 March UTC are
        // all on 3 March in New York (-05:00).
        let times = [
            "2026-03-03T20:00:00Z",
            "2026-03-03T21:00:00Z",
            "2026-03-03T22:00:00Z",
            "2026-03-04T01:00:00Z",
            "2026-03-04T02:00:00Z",
            "2026-03-04T03:00:00Z",
        ];
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", *t)).collect();
        let ids = ids(items.len());
        assert!(run(&posts(&items, &ids), &Policy::core(), RULE).is_empty());
        let ny = policy("[account]\ntimezone = \"-05:00\"");
        let found = run(&posts(&items, &ids), &ny, RULE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("most: 6 on 2026-03-03"), "{found:?}");
    }
}
