//! `productivity/on-duty-posting`: posts made during the author's clinical
//! duty hours.

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, not_per_post};
use crate::policy::DutyWindow;
use crate::rule::Diagnostic;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, each post (reposts included) made within the
    /// duty hours of the policy file's `[account]` section
    /// (`duty_hours = ["mon-fri 08:00-18:00"]`), in the account's time
    /// zone (`account.timezone`: an IANA name such as `Europe/London`, a
    /// fixed offset such as `+05:30`, or UTC when none is given). A window
    /// may run past midnight (`"sat 22:00-06:00"`: Saturday night into
    /// Sunday morning). Without duty hours in the policy the rule has
    /// nothing to check, and the report says so.
    ///
    /// ## Why
    ///
    /// "Don't let social media crowd out your priorities; delegate it."
    /// Posting while on duty takes attention from patients, and a
    /// time-stamped post during a shift can be used against a clinician.
    ///
    /// ## Example
    ///
    /// With `duty_hours = ["mon-fri 08:00-18:30"]` and `timezone =
    /// "Europe/London"`, a post on Tuesday at 10:42 London time. Better:
    /// write it in a break and schedule it for the evening, or hand it to
    /// the practice's communications team.
    ///
    /// ## Fix
    ///
    /// Schedule posts outside duty hours, or delegate the account.
    ///
    /// ## Options
    ///
    /// None: the duty hours and the time zone come from the policy file's
    /// `[account]` section.
    pub static RULE = {
        id: "productivity/on-duty-posting",
        fix: Never,
        options: [],
        check: not_per_post,
    }
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether local `weekday` (Monday = 0) and `minute` fall in the window.
pub(crate) fn on_duty(w: &DutyWindow, weekday: usize, minute: u32) -> bool {
    let (start, end) = (u32::from(w.start), u32::from(w.end));
    if start <= end {
        w.days[weekday] && minute >= start && minute < end
    } else {
        // Past midnight: the evening of a duty day, or the morning after.
        (w.days[weekday] && minute >= start) || (w.days[(weekday + 6) % 7] && minute < end)
    }
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let windows = &ctx.policy.account.duty_hours;
    if windows.is_empty() {
        ctx.note("not checked: the policy file gives no duty hours (`[account] duty_hours`)");
        return;
    }
    let tz = ctx.policy.account.timezone.as_deref().unwrap_or("UTC");
    let mut unknown_zone = false;
    for (i, p) in ctx.history.posts.iter().enumerate() {
        let Some(t) = p.created_at else { continue };
        let Some((date, minute)) = ctx.local_time(t) else {
            unknown_zone = true;
            continue;
        };
        let weekday = usize::from(date.weekday());
        if let Some(w) = windows.iter().find(|w| on_duty(w, weekday, minute)) {
            out.push(HistoryDiagnostic::post(
                i,
                Diagnostic::new(
                    None,
                    format!(
                        "posted during duty hours: {} {} at {} ({tz})",
                        DAYS[weekday],
                        date,
                        hhmm(minute)
                    ),
                )
                .with_note(format!(
                    "duty window {}-{}",
                    hhmm(u32::from(w.start)),
                    hhmm(u32::from(w.end))
                ))
                .with_help("schedule posts outside duty hours, or delegate the account"),
            ));
        }
    }
    if unknown_zone {
        ctx.note(format!("not checked: the time zone `{tz}` is unknown to this build"));
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::{ids, policy, posts, run};
    use crate::policy::Policy;

    const RULE: &str = "productivity/on-duty-posting";

    const POLICY: &str =
        "[account]\ntimezone = \"+01:00\"\nduty_hours = [\"mon-fri 08:00-18:30\", \"sat 22:00-06:00\"]";

    #[test]
    fn posts_in_duty_hours_local_time() {
        let items = [
            // Tuesday 10:42 local (09:42 UTC).
            ("a", "2026-03-03T09:42:00Z"),
            // Tuesday 18:29 local: still on duty.
            ("b", "2026-03-03T17:29:00Z"),
            // Sunday 02:00 local: the Saturday night window.
            ("c", "2026-03-08T01:00:00Z"),
        ];
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &policy(POLICY), RULE);
        assert_eq!(
            found,
            vec![
                (
                    Some(0),
                    "posted during duty hours: Tuesday 2026-03-03 at 10:42 (+01:00)".to_string()
                ),
                (
                    Some(1),
                    "posted during duty hours: Tuesday 2026-03-03 at 18:29 (+01:00)".to_string()
                ),
                (
                    Some(2),
                    "posted during duty hours: Sunday 2026-03-08 at 02:00 (+01:00)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn off_duty_posts_are_fine() {
        let items = [
            // Tuesday 07:30 local (06:30 UTC): before the shift.
            ("a", "2026-03-03T06:30:00Z"),
            // Tuesday 18:30 local: the window has ended.
            ("b", "2026-03-03T17:30:00Z"),
            // Saturday 12:00 local.
            ("c", "2026-03-07T11:00:00Z"),
            // Monday 02:00 local: Sunday night is not a duty night.
            ("d", "2026-03-09T01:00:00Z"),
            // 08:30 UTC on Tuesday is 07:30 in -01:00... but in +01:00 it is 09:30: only
            // the zone decides.
        ];
        let ids = ids(items.len());
        assert!(run(&posts(&items, &ids), &policy(POLICY), RULE).is_empty());
    }

    #[test]
    fn without_duty_hours_it_says_so() {
        let items = [("a", "2026-03-03T09:42:00Z")];
        let ids = ids(1);
        let h = posts(&items, &ids);
        assert!(run(&h, &Policy::core(), RULE).is_empty());
        let r = crate::history::audit(&h, &Policy::core(), None);
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("productivity/on-duty-posting: not checked")),
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn a_named_zone_needs_the_front_end() {
        let p = policy("[account]\ntimezone = \"Europe/London\"\nduty_hours = [\"mon-fri 08:00-18:00\"]");
        let items = [("a", "2026-07-07T08:30:00Z")];
        let ids = ids(1);
        let h = posts(&items, &ids);
        // Without a resolver: a note, no finding.
        let r = crate::history::audit(&h, &p, None);
        assert!(r.posts.is_empty());
        assert!(r.notes.iter().any(|n| n.contains("Europe/London")), "{:?}", r.notes);
        // British Summer Time: 08:30 UTC is 09:30 in London.
        let bst = |_t| Some(3600);
        let r = crate::history::audit(&h, &p, Some(&bst));
        assert_eq!(r.posts.len(), 1);
        assert!(
            r.posts[0].1.message.ends_with("at 09:30 (Europe/London)"),
            "{}",
            r.posts[0].1.message
        );
    }
}
