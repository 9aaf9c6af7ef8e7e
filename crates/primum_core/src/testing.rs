//! Test helpers for rules: build a post, run one rule, look at its spans.
//!
//! ```ignore
//! let t = Test::new("Our frequent flyer is back").platform(Platform::X);
//! assert_eq!(t.spans(&RULE), ["frequent flyer"]);
//! ```

use crate::engine::check_rules;
use crate::finding::{Applicability, Finding, apply_fixes};
use crate::policy::Policy;
use crate::post::{AccountKind, Platform, Post};
use crate::rule::{OptValue, Rule};
use crate::time::DateTime;

/// A post and a policy to run a rule on.
pub struct Test {
    pub post: Post,
    pub policy: Policy,
    pub now: Option<DateTime>,
}

impl Test {
    pub fn new(text: &str) -> Test {
        Test {
            post: Post::new(text),
            policy: Policy::core(),
            now: DateTime::parse("2026-11-26T12:00:00Z"),
        }
    }

    pub fn platform(mut self, p: Platform) -> Test {
        self.post.platform = p;
        self
    }

    pub fn reply_to(mut self, text: &str) -> Test {
        self.post.reply_to = Some(text.to_string());
        self
    }

    pub fn account(mut self, k: AccountKind) -> Test {
        self.post.account = Some(k);
        self
    }

    /// The post's creation time (RFC 3339).
    pub fn created(mut self, at: &str) -> Test {
        self.post.created_at = Some(DateTime::parse(at).expect("valid test date"));
        self
    }

    /// The time of the check (RFC 3339).
    pub fn now(mut self, at: &str) -> Test {
        self.now = Some(DateTime::parse(at).expect("valid test date"));
        self
    }

    pub fn region(mut self, region: &str) -> Test {
        self.policy = Policy::region(region).expect("valid region");
        self
    }

    /// An organisation's policy file (TOML text).
    pub fn policy(mut self, toml: &str) -> Test {
        self.policy = Policy::resolve(None, Some(("test-policy.toml", toml))).expect("valid test policy");
        self
    }

    /// Sets one option of `rule`.
    pub fn option(mut self, rule: &Rule, name: &str, value: OptValue) -> Test {
        let idx = crate::rule::CATALOGUE
            .iter()
            .position(|e| e.id == rule.id)
            .expect("rule in catalogue");
        let s = self.policy.settings_mut(idx);
        s.options.retain(|(n, _)| n != name);
        s.options.push((name.to_string(), value));
        self
    }

    /// The findings of `rule` (enabled whatever the policy says).
    pub fn run(&self, rule: &'static Rule) -> Vec<Finding> {
        let idx = crate::rule::CATALOGUE
            .iter()
            .position(|e| e.id == rule.id)
            .expect("rule in catalogue");
        let mut settings = self.policy.settings_at(idx).clone();
        settings.enabled = true;
        check_rules(&self.post, &self.policy, self.now, std::iter::once((rule, &settings))).findings
    }

    /// The text under each finding's span (`"<post>"` for a finding with no span).
    pub fn spans(&self, rule: &'static Rule) -> Vec<String> {
        self.run(rule)
            .iter()
            .map(|f| {
                f.span
                    .map_or("<post>".to_string(), |s| self.post.text[s.start..s.end].to_string())
            })
            .collect()
    }

    /// True when `rule` fires at least once.
    pub fn fires(&self, rule: &'static Rule) -> bool {
        !self.run(rule).is_empty()
    }

    /// The text after applying the safe and unsafe fixes of `rule`.
    pub fn fixed(&self, rule: &'static Rule) -> String {
        let f = self.run(rule);
        apply_fixes(
            &self.post.text,
            f.iter().filter_map(|f| f.fix.as_ref()),
            &[Applicability::Safe, Applicability::Unsafe],
        )
    }
}

/// Asserts that `rule` fires on `text` exactly on the given substrings.
#[track_caller]
pub fn assert_spans(rule: &'static Rule, text: &str, expected: &[&str]) {
    assert_eq!(Test::new(text).spans(rule), expected, "rule {} on {text:?}", rule.id);
}

/// Asserts that `rule` does not fire on `text`.
#[track_caller]
pub fn assert_silent(rule: &'static Rule, text: &str) {
    let f = Test::new(text).run(rule);
    assert!(f.is_empty(), "rule {} fired on {text:?}: {f:#?}", rule.id);
}
