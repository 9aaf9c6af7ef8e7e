//! The engine: a post and a resolved policy in, findings out.

use std::cell::Cell;
use std::sync::LazyLock;

use primum_text::Analysis;

use crate::finding::{Finding, Report};
use crate::policy::{Policy, RuleSettings};
use crate::post::Post;
use crate::registry::{CATALOGUE_INDEX, RULES};
use crate::rule::{CATALOGUE, Ctx, Diagnostic, Rule, Scope};
use crate::signals::Signals;
use crate::time::DateTime;

/// Checks one post against every enabled text and account rule.
///
/// `now` is the time of the check, used when the post has no `created_at`
/// (the age of a cited guideline, the age of the regional pack). The
/// engine never reads a clock itself.
pub fn check(post: &Post, policy: &Policy, now: Option<DateTime>) -> Report {
    let rules = TEXT_RULES.iter().map(|&(r, i)| (r, policy.settings_at(i)));
    check_rules(post, policy, now, rules)
}

/// The rules that read a post (scope `text` or `account`), each with its
/// index in the catalogue, in catalogue order.
static TEXT_RULES: LazyLock<Vec<(&'static Rule, usize)>> = LazyLock::new(|| {
    RULES
        .iter()
        .copied()
        .zip(CATALOGUE_INDEX.iter().copied())
        .filter(|&(_, i)| matches!(CATALOGUE[i].scope, Scope::Text | Scope::Account))
        .collect()
});

thread_local! {
    /// The buffer of [`check_rules`]'s diagnostics, empty between posts.
    static DIAGNOSTICS: Cell<Vec<Diagnostic>> = const { Cell::new(Vec::new()) };
}

/// Checks one post against some of the rules only (as the policy sets
/// them): for tools that run a subset, and for profiling one rule.
pub fn check_only(post: &Post, policy: &Policy, now: Option<DateTime>, only: &[&'static Rule]) -> Report {
    let rules = TEXT_RULES
        .iter()
        .filter(|(r, _)| only.iter().any(|o| std::ptr::eq(*o, *r)))
        .map(|&(r, i)| (r, policy.settings_at(i)));
    check_rules(post, policy, now, rules)
}

/// Checks one post against the given rules (which read a post) with their
/// settings.
pub(crate) fn check_rules<'p>(
    post: &Post,
    policy: &'p Policy,
    now: Option<DateTime>,
    rules: impl Iterator<Item = (&'static Rule, &'p RuleSettings)>,
) -> Report {
    let text = Analysis::new(&post.text);
    let reply = post.reply_to.as_deref().map(Analysis::new);
    let signals = Signals::new(&text, reply.as_ref(), policy);
    let mut findings = Vec::new();
    // The rules' diagnostics pass through a buffer kept per thread (one
    // allocation per post saved: most posts have a finding).
    let mut diags = DIAGNOSTICS.take();
    let mut rules = rules.filter(|(_, settings)| settings.enabled);
    if let Some((rule, settings)) = rules.next() {
        // One context for all the rules: only the rule and its settings
        // change from one to the next (building the whole context for each
        // of some sixty rules was a measurable share of the loop).
        let mut ctx = Ctx {
            post,
            text: &text,
            reply: reply.as_ref(),
            policy,
            now: post.created_at.or(now),
            settings,
            rule,
            signals: &signals,
        };
        loop {
            diags.clear();
            (ctx.rule.check)(&ctx, &mut diags);
            // Most rules find nothing in most posts: skip making and
            // dropping a drain for them.
            if !diags.is_empty() {
                let (rule, settings) = (ctx.rule, ctx.settings);
                for d in diags.drain(..) {
                    findings.push(Finding {
                        rule: rule.id,
                        severity: d.severity.unwrap_or(settings.severity),
                        message: d.message,
                        span: d.span,
                        kind: d.kind,
                        fix: d.fix,
                        help: d.help,
                        notes: d.notes,
                        references: settings.references.clone(),
                    });
                }
            }
            let Some((rule, settings)) = rules.next() else {
                break;
            };
            ctx.rule = rule;
            ctx.settings = settings;
        }
    }
    diags.clear();
    DIAGNOSTICS.set(diags);
    findings.sort_by(|a, b| {
        let key = |f: &Finding| f.span.map_or(usize::MAX, |s| s.start);
        key(a).cmp(&key(b)).then(b.severity.cmp(&a.severity))
    });
    Report { findings }
}

/// A post that meets most rules' tables: names, ages, dates, places,
/// numbers, a dose, claims, links, hashtags, mentions and slang.
const WARM_UP_POST: &str = "Mrs Jane Smith, 94, from Leeds was seen on 3 March 2025 at St Mary's \
Hospital, ward 7B (MRN 1234567, call 07700 900123, jane.smith@example.com). Take 500mg paracetamol \
twice daily and stop your statins! This miracle cure works 100% of the time, 9 out of 10 patients \
agree. DM me for a discount on my clinic's botox #health #nurse #nhs @clinic https://bit.ly/x2 \
Honestly patients are so dumb lol, another frequent flyer moaning at 3am on my night shift. \
Vaccines cause autism, studies show. Great results from my patient: \"best doctor ever!\"";

/// Builds the tables the rules make on first use (lexicons, automata,
/// regexes), by checking a sample post one rule at a time from the last
/// rule to the first.
///
/// A batch runs this on one core while the other checks the first posts,
/// which meet the rules from the first to the last: the two cores then
/// build different tables side by side, where two cores checking posts
/// reach the same table at the same time and one waits for the other.
pub fn warm_up_backwards(policy: &Policy) {
    let post = Post::new(WARM_UP_POST);
    for &(rule, i) in TEXT_RULES.iter().rev() {
        let settings = policy.settings_at(i);
        if settings.enabled {
            check_rules(&post, policy, None, std::iter::once((rule, settings)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warm-up checks its sample post under every pack without a
    /// panic, and leaves no trace: a check after it reports what one
    /// before it did.
    #[test]
    fn warm_up_leaves_checks_as_they_were() {
        for region in ["core", "us", "uk", "eu", "au", "ca", "in"] {
            let policy = Policy::resolve(Some(region), None).expect("a built-in pack");
            let post = Post::new(WARM_UP_POST);
            let before = check(&post, &policy, None);
            warm_up_backwards(&policy);
            assert_eq!(check(&post, &policy, None), before, "{region}");
            assert!(
                before.findings.len() >= 5,
                "the sample post meets many rules: {before:?}"
            );
        }
    }
}
