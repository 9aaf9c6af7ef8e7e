//! `cadence/irregular`: long silences and bursts in an account's posting.

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, not_per_post};
use crate::rule::Diagnostic;
use crate::time::DateTime;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, the rhythm of the account's own posts
    /// (reposts left out), between its first and its last post:
    ///
    /// - silences: gaps between two posts longer than `max_gap_days`
    ///   days. One finding names how many there are and the longest;
    /// - bursts: weeks with at least ten posts and at least four times
    ///   the account's usual week (the median of the weeks in which it
    ///   posted). One finding names how many there are and the largest.
    ///
    /// Both findings are about the account as a whole.
    ///
    /// ## Why
    ///
    /// "Post updates on a regular basis and be consistent." An account that
    /// goes silent for months and then floods its followers is hard to
    /// trust as a source of health information, and stale accounts are
    /// easier to take over.
    ///
    /// ## Example
    ///
    /// Weekly posts from January to March, nothing until September, then
    /// thirty posts in one week. Better: a steady post or two a week,
    /// scheduled ahead; a pinned note when the account pauses.
    ///
    /// ## Fix
    ///
    /// Keep a posting plan; when the account has to pause, say so in a
    /// post or the profile, and archive an account that is no longer used.
    ///
    /// ## Options
    ///
    /// - `max_gap_days` (integer, default 30): the longest silence, in
    ///   days, before the rhythm counts as broken (0: silences are not
    ///   checked).
    pub static RULE = {
        id: "cadence/irregular",
        fix: Never,
        options: [("max_gap_days", Int(30), "the longest silence between two posts, in days (0: not checked)")],
        check: not_per_post,
    }
}

/// A burst week has at least this many posts...
const BURST_MIN: usize = 10;
/// ...and this many times the median active week.
const BURST_FACTOR: usize = 4;

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let mut times: Vec<DateTime> = ctx
        .history
        .posts
        .iter()
        .filter(|p| !p.repost)
        .filter_map(|p| p.created_at)
        .collect();
    if times.len() < 2 {
        return;
    }
    times.sort_unstable();

    let max_gap = ctx.opt_i64("max_gap_days");
    if max_gap > 0 {
        let gaps: Vec<(i64, DateTime, DateTime)> = times
            .windows(2)
            .map(|w| ((w[1].unix() - w[0].unix()) / 86_400, w[0], w[1]))
            .filter(|(d, _, _)| *d > max_gap)
            .collect();
        if let Some(&(days, from, to)) = gaps.iter().max_by_key(|(d, _, _)| *d) {
            let n = if gaps.len() == 1 {
                "a silence".to_string()
            } else {
                format!("{} silences", gaps.len())
            };
            out.push(HistoryDiagnostic::account(
                Diagnostic::new(
                    None,
                    format!(
                        "{n} of more than {max_gap} days between posts (longest: {days} days, {} to {})",
                        from.date, to.date
                    ),
                )
                .with_help("keep a posting plan; when the account pauses, say so in a post or the profile"),
            ));
        }
    }

    // Posts per week (weeks from Monday, UTC).
    let mut weeks: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for t in &times {
        let d = t.date.days_since_epoch();
        *weeks.entry(d - i64::from(t.date.weekday())).or_default() += 1;
    }
    let mut counts: Vec<usize> = weeks.values().copied().collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2].max(1);
    let bursts: Vec<(i64, usize)> = weeks
        .iter()
        .filter(|(_, n)| **n >= BURST_MIN && **n >= BURST_FACTOR * median)
        .map(|(w, n)| (*w, *n))
        .collect();
    if let Some(&(week, n)) = bursts.iter().max_by_key(|(_, n)| *n) {
        let what = if bursts.len() == 1 {
            "a burst".to_string()
        } else {
            format!("{} bursts", bursts.len())
        };
        out.push(HistoryDiagnostic::account(
            Diagnostic::new(
                None,
                format!(
                    "{what} of posting against a usual {median} a week (largest: {n} in the week of {})",
                    crate::time::Date::from_days(week)
                ),
            )
            .with_help("spread posts out: schedule them over the following weeks"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::{ids, policy, posts, run};
    use crate::policy::Policy;

    const RULE: &str = "cadence/irregular";

    fn weekly(from_day: i64, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| crate::time::DateTime::from_unix((from_day + 7 * i as i64) * 86_400 + 9 * 3600).to_string())
            .collect()
    }

    #[test]
    fn a_long_silence() {
        // 2026-01-05 is day 20458.
        let mut times = weekly(20_458, 8);
        times.extend(weekly(20_458 + 7 * 8 + 120, 4));
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", t.as_str())).collect();
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].1,
            "a silence of more than 30 days between posts (longest: 127 days, 2026-02-23 to 2026-06-30)"
        );
        // A policy that tolerates it.
        let lax = policy("[rules.\"cadence/irregular\"]\noptions = { max_gap_days = 200 }");
        assert!(run(&posts(&items, &ids), &lax, RULE).is_empty());
    }

    #[test]
    fn a_burst() {
        let mut times = weekly(20_458, 10);
        times.extend((0..12).map(|i| format!("2026-03-17T{:02}:00:00Z", 8 + i)));
        times.sort();
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", t.as_str())).collect();
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with("a burst of posting against a usual 1 a week (largest: 12 in the week of 2026-03-16)"),
            "{found:?}"
        );
    }

    #[test]
    fn a_steady_rhythm_and_a_single_post_are_fine() {
        let times = weekly(20_458, 30);
        let items: Vec<(&str, &str)> = times.iter().map(|t| ("a post", t.as_str())).collect();
        let ids = ids(items.len());
        assert!(run(&posts(&items, &ids), &Policy::core(), RULE).is_empty());
        assert!(run(&posts(&items[..1], &ids), &Policy::core(), RULE).is_empty());
    }
}
