//! `policy/org-term`: a term the organisation's policy file forbids.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Looks for the terms and patterns listed under `[[terms]]` in the
    /// organisation's policy file: internal project names, unreleased
    /// results, security details, words the organisation has asked staff
    /// not to use. A `phrase` matches whole words whatever the case,
    /// punctuation or obfuscation (`Project-Falcon`, `PR0JECT FALCON`); a
    /// `regex` matches case-insensitively. Each match is one finding, with
    /// the term's own message, severity and help.
    ///
    /// ## Why
    ///
    /// "Follow your organisation's policy on social media." The GMC asks
    /// doctors to keep up to date with and follow their employer's social
    /// media policy (GMC, *Doctors' use of social media* 2013 ¶7,
    /// `uk-gmc-sm2013-7`); the ANA asks nurses to help shape and follow
    /// institutional policy (`us-ana-2011-p6`). Only the organisation knows
    /// which names and figures are confidential, so the list is theirs.
    ///
    /// ## Example
    ///
    /// With `[[terms]] phrase = "Project Falcon", message = "internal project name"`:
    ///
    /// ```text
    /// Exciting times: Project Falcon goes live on the wards next month!
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Exciting times: a new system goes live on the wards next month!
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove or reword the term as the policy's help says; there is no
    /// automatic fix because only the author knows what may be said instead.
    ///
    /// ## Options
    ///
    /// None. The terms themselves are listed under `[[terms]]` in the
    /// policy file (`phrase` or `regex`, `message`, optional `severity` and
    /// `help`).
    pub static RULE = {
        id: "policy/org-term",
        fix: Never,
        options: [],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let terms = &ctx.policy.terms;
    if terms.terms.is_empty() {
        return;
    }
    let mut found: Vec<(primum_text::Span, usize)> = Vec::new();
    if let Some(lex) = &terms.phrases {
        found.extend(lex.each(ctx.text).map(|m| (m.span, *m.value)));
    }
    let src = ctx.src();
    for (re, idx) in &terms.patterns {
        for m in re.find_iter(src) {
            // An empty match (a pattern such as `x*`) underlines nothing.
            if m.start() < m.end() {
                found.push((primum_text::Span::new(m.start(), m.end()), *idx));
            }
        }
    }
    found.sort_by_key(|(s, i)| (s.start, s.end, *i));
    found.dedup();
    for (span, idx) in found {
        let Some(term) = terms.terms.get(idx) else { continue };
        let message = if term.message.trim().is_empty() {
            "a term your organisation's policy forbids".to_string()
        } else {
            term.message.clone()
        };
        let mut d = Diagnostic::at(span, message).with_help(
            term.help
                .clone()
                .unwrap_or_else(|| "remove or reword it, as your organisation's social media policy asks".into()),
        );
        if let Some(sev) = term.severity {
            d = d.with_severity(sev);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::finding::Severity;
    use crate::testing::{Test, assert_silent};

    const POLICY: &str = r#"
[[terms]]
phrase = "Project Falcon"
message = "internal project name"
help = "say 'a new system' instead"

[[terms]]
regex = "\\bward\\s?x-?\\d+\\b"
message = "restricted ward code"
severity = "warning"
"#;

    #[test]
    fn fires_on_phrases_whatever_the_spelling() {
        let t = Test::new("Exciting: PROJECT-FALCON goes live next month, then pr0ject falcon phase 2").policy(POLICY);
        assert_eq!(t.spans(&RULE), ["PROJECT-FALCON", "pr0ject falcon"]);
        let f = t.run(&RULE);
        assert_eq!(f[0].message, "internal project name");
        assert_eq!(f[0].help.as_deref(), Some("say 'a new system' instead"));
    }

    #[test]
    fn patterns_carry_their_severity() {
        let t = Test::new("Busy night on Ward X12 again").policy(POLICY);
        assert_eq!(t.spans(&RULE), ["Ward X12"]);
        assert_eq!(t.run(&RULE)[0].severity, Severity::Warning);
    }

    #[test]
    fn hard_negatives() {
        let t = Test::new("A falcon nested on the hospital roof; the project team named it Fred").policy(POLICY);
        assert!(!t.fires(&RULE));
        assert!(!Test::new("").policy(POLICY).fires(&RULE));
        // No policy file, no terms.
        assert_silent(&RULE, "Project Falcon goes live");
    }
}
