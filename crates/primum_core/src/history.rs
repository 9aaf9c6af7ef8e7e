//! Checks over an account's history: its posts, likes and settings as a
//! platform's data export gives them, judged together (`primum audit`).
//!
//! The history rules are declared like every other rule (one file each
//! under `rules/<category>/`, with `declare_rule!`, so `primum rules` and
//! `primum explain` list them); the per-post engine skips them by scope,
//! and [`audit`] runs their history checks. Pure computation, like the
//! rest of the core: the front end reads the export and passes the local
//! time offset of the account's time zone, since the core has no time-zone
//! database.

use crate::finding::Finding;
use crate::policy::{Policy, RuleSettings};
use crate::registry::CATALOGUE_INDEX;
use crate::rule::{Ctx, Diagnostic, OptValue, Rule};
use crate::rules;
use crate::time::{Date, DateTime};

/// One of the account's own posts.
#[derive(Debug, Clone, Copy)]
pub struct HistoryPost<'a> {
    pub id: &'a str,
    /// Other names of the post (URIs) that likes may use.
    pub aliases: &'a [String],
    pub text: &'a str,
    pub created_at: Option<DateTime>,
    /// A repost (retweet) of someone else's post.
    pub repost: bool,
    /// A link back to the post, for messages.
    pub url: Option<&'a str>,
}

/// A like, favourite, boost or repost made by the account.
#[derive(Debug, Clone, Copy)]
pub struct Engagement<'a> {
    /// The liked post: an id or URI.
    pub target: &'a str,
    /// The export says the liked post is the account's own.
    pub target_is_own: bool,
    /// A boost or repost rather than a like.
    pub repost: bool,
    pub created_at: Option<DateTime>,
}

/// An account setting as the export carries it.
#[derive(Debug, Clone, Copy)]
pub struct AccountSetting<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Whether this is the platform's most secure option.
    pub most_secure: bool,
    /// Where to change it.
    pub advice: &'a str,
}

/// What an export holds, as the history rules see it.
#[derive(Debug, Clone, Default)]
pub struct History<'a> {
    pub posts: Vec<HistoryPost<'a>>,
    pub likes: Vec<Engagement<'a>>,
    /// `None` when the export carries no settings.
    pub settings: Option<Vec<AccountSetting<'a>>>,
}

/// The offset of the account's local time from UTC, in seconds, at an
/// instant; `None` when the zone is unknown to the front end.
pub type LocalOffset<'a> = &'a dyn Fn(DateTime) -> Option<i32>;

/// What the history rules found.
#[derive(Debug, Clone, Default)]
pub struct HistoryReport {
    /// Findings about one post, by its index in [`History::posts`].
    pub posts: Vec<(usize, Finding)>,
    /// Findings about the account as a whole.
    pub account: Vec<Finding>,
    /// What could not be checked, and why.
    pub notes: Vec<String>,
}

/// A history rule's check: the history and the policy in, diagnostics out.
pub type HistoryFn = fn(&HistoryCtx<'_>, &mut Vec<HistoryDiagnostic>);

/// A diagnostic of a history rule: about one post, or the account.
#[derive(Debug, Clone)]
pub struct HistoryDiagnostic {
    /// The post it concerns (index into [`History::posts`]); `None` for
    /// the account.
    pub post: Option<usize>,
    pub diag: Diagnostic,
}

impl HistoryDiagnostic {
    pub fn post(post: usize, diag: Diagnostic) -> HistoryDiagnostic {
        HistoryDiagnostic { post: Some(post), diag }
    }

    pub fn account(diag: Diagnostic) -> HistoryDiagnostic {
        HistoryDiagnostic { post: None, diag }
    }
}

/// What a history check sees.
pub struct HistoryCtx<'a> {
    pub history: &'a History<'a>,
    pub policy: &'a Policy,
    /// The account's local offset at an instant, when its zone is known.
    pub local: &'a dyn Fn(DateTime) -> Option<i32>,
    settings: &'a RuleSettings,
    rule: &'static Rule,
    /// Notes for the report: what the rule could not check.
    pub notes: std::cell::RefCell<Vec<String>>,
}

impl HistoryCtx<'_> {
    fn opt(&self, name: &str) -> OptValue {
        self.settings
            .options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .or_else(|| self.rule.option(name).map(|o| o.default))
            .unwrap_or(OptValue::Int(0))
    }

    pub fn opt_f64(&self, name: &str) -> f64 {
        self.opt(name).as_f64()
    }

    pub fn opt_i64(&self, name: &str) -> i64 {
        self.opt(name).as_i64()
    }

    /// Records what the rule could not check.
    pub fn note(&self, note: impl Into<String>) {
        self.notes
            .borrow_mut()
            .push(format!("{}: {}", self.rule.id, note.into()));
    }

    /// The local date and minute of the day of an instant, in the
    /// account's time zone (UTC when the policy names none).
    pub fn local_time(&self, t: DateTime) -> Option<(Date, u32)> {
        let offset = (self.local)(t)?;
        let secs = t.unix() + i64::from(offset);
        let local = DateTime::from_unix(secs);
        Some((local.date, local.seconds / 60))
    }
}

/// The per-post check of a history rule: nothing (its check runs over the
/// whole history, in [`audit`]).
pub fn not_per_post(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}

/// Every history rule with its history check, in catalogue order.
pub static HISTORY_RULES: &[(&Rule, HistoryFn)] = &[
    (&rules::spam::duplicate::RULE, rules::spam::duplicate::check_history),
    (
        &rules::cadence::too_frequent::RULE,
        rules::cadence::too_frequent::check_history,
    ),
    (
        &rules::cadence::irregular::RULE,
        rules::cadence::irregular::check_history,
    ),
    (
        &rules::engagement::self_like::RULE,
        rules::engagement::self_like::check_history,
    ),
    (
        &rules::productivity::on_duty_posting::RULE,
        rules::productivity::on_duty_posting::check_history,
    ),
    (
        &rules::account::privacy_settings::RULE,
        rules::account::privacy_settings::check_history,
    ),
];

/// A time zone the core can resolve by itself: `UTC`, `Z` or a fixed
/// offset such as `+05:30`.
pub fn fixed_offset(tz: &str) -> Option<i32> {
    let tz = tz.trim();
    if matches!(tz, "UTC" | "Etc/UTC" | "Z" | "GMT" | "Etc/GMT") {
        return Some(0);
    }
    let b = tz.as_bytes();
    if b.len() == 6 && matches!(b[0], b'+' | b'-') && b[3] == b':' {
        let h: i32 = tz[1..3].parse().ok()?;
        let m: i32 = tz[4..6].parse().ok()?;
        if h > 14 || m > 59 {
            return None;
        }
        let v = h * 3600 + m * 60;
        return Some(if b[0] == b'-' { -v } else { v });
    }
    None
}

/// Runs every enabled history rule over the history.
///
/// `zone` resolves the policy's `account.timezone` (an IANA name) to an
/// offset at an instant; without it, only `UTC` and fixed offsets are
/// understood, and a named zone leaves duty hours unchecked (with a note).
pub fn audit(history: &History<'_>, policy: &Policy, zone: Option<LocalOffset<'_>>) -> HistoryReport {
    let tz = policy.account.timezone.as_deref();
    let fixed = tz.map_or(Some(0), fixed_offset);
    let local = |t: DateTime| match (fixed, zone) {
        (Some(o), _) => Some(o),
        (None, Some(z)) => z(t),
        (None, None) => None,
    };
    let mut report = HistoryReport::default();
    let mut diags = Vec::new();
    for (rule, check) in HISTORY_RULES {
        let Some(idx) = crate::registry::RULES
            .iter()
            .position(|r| std::ptr::eq(*r, *rule))
            .map(|i| CATALOGUE_INDEX[i])
        else {
            continue;
        };
        let settings = policy.settings_at(idx);
        if !settings.enabled {
            continue;
        }
        let ctx = HistoryCtx {
            history,
            policy,
            local: &local,
            settings,
            rule,
            notes: std::cell::RefCell::new(Vec::new()),
        };
        diags.clear();
        check(&ctx, &mut diags);
        report.notes.extend(ctx.notes.into_inner());
        for d in diags.drain(..) {
            let finding = Finding {
                rule: rule.id,
                severity: d.diag.severity.unwrap_or(settings.severity),
                message: d.diag.message,
                span: None,
                kind: None,
                fix: None,
                help: d.diag.help,
                notes: d.diag.notes,
                references: settings.references.clone(),
            };
            match d.post {
                Some(i) if i < history.posts.len() => report.posts.push((i, finding)),
                _ => report.account.push(finding),
            }
        }
    }
    report
}

/// How a post is named in a message: its date and link, or its id.
pub fn describe(p: &HistoryPost<'_>) -> String {
    let when = p.created_at.map(|t| t.date.to_string());
    match (when, p.url) {
        (Some(w), Some(u)) => format!("{w}, {u}"),
        (Some(w), None) => format!("{w}, id {}", p.id),
        (None, Some(u)) => u.to_string(),
        (None, None) => format!("id {}", p.id),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A history of posts `(text, RFC 3339 time)`, ids `p1`, `p2`...
    pub(crate) fn posts<'a>(items: &'a [(&'a str, &'a str)], ids: &'a [String]) -> History<'a> {
        History {
            posts: items
                .iter()
                .zip(ids)
                .map(|((text, t), id)| HistoryPost {
                    id,
                    aliases: &[],
                    text,
                    created_at: DateTime::parse(t),
                    repost: false,
                    url: None,
                })
                .collect(),
            likes: Vec::new(),
            settings: None,
        }
    }

    pub(crate) fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("p{i}")).collect()
    }

    /// The findings of one rule, as `(post index or None, message)`.
    pub(crate) fn run(history: &History<'_>, policy: &Policy, rule: &str) -> Vec<(Option<usize>, String)> {
        let r = audit(history, policy, None);
        let mut out: Vec<(Option<usize>, String)> = r
            .posts
            .iter()
            .filter(|(_, f)| f.rule == rule)
            .map(|(i, f)| (Some(*i), f.message.to_string()))
            .collect();
        out.extend(
            r.account
                .iter()
                .filter(|f| f.rule == rule)
                .map(|f| (None, f.message.to_string())),
        );
        out
    }

    /// The policy from an organisation file's text.
    pub(crate) fn policy(toml: &str) -> Policy {
        Policy::resolve(None, Some(("test.toml", toml))).expect("a valid test policy")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_offsets() {
        assert_eq!(fixed_offset("UTC"), Some(0));
        assert_eq!(fixed_offset("+05:30"), Some(19_800));
        assert_eq!(fixed_offset("-03:00"), Some(-10_800));
        assert_eq!(fixed_offset("Europe/London"), None);
    }

    #[test]
    fn every_history_rule_has_a_history_check() {
        let declared: Vec<&str> = crate::registry::RULES
            .iter()
            .filter(|r| r.scope() == crate::rule::Scope::History)
            .map(|r| r.id)
            .collect();
        let checked: Vec<&str> = HISTORY_RULES.iter().map(|(r, _)| r.id).collect();
        assert_eq!(declared, checked);
    }
}
