//! `primum rules` and `primum explain`: the catalogue as the selected
//! region and policy leave it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Result, bail};
use primum_core::rule::OptValue;
use primum_core::{CATALOGUE, Policy, RULES, Rule};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::{ExplainArgs, RulesArgs, TableFormat};
use crate::style::Style;

#[derive(Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    category: &'a str,
    severity: &'static str,
    scope: &'static str,
    enabled: bool,
    summary: &'a str,
}

fn rows(policy: &Policy) -> Vec<RuleRow<'static>> {
    RULES
        .iter()
        .map(|r| {
            let s = policy.settings(r.id);
            RuleRow {
                id: r.id,
                category: r.category(),
                severity: s.map_or(r.default_severity(), |s| s.severity).as_str(),
                scope: r.scope().as_str(),
                enabled: s.is_none_or(|s| s.enabled),
                summary: r.summary(),
            }
        })
        .collect()
}

pub fn list(args: RulesArgs) -> Result<ExitCode> {
    let policy = crate::run::load_policy(&args.policy)?;
    let rows = rows(&policy);
    let mut out = String::new();
    match args.format {
        TableFormat::Json => {
            out = serde_json::to_string(&rows)?;
            out.push('\n');
        }
        TableFormat::Human => {
            let st = Style::new(args.color.enabled());
            let on = rows.iter().filter(|r| r.enabled).count();
            let _ = writeln!(
                out,
                "{} rules ({on} on) under {}, reviewed {}{}\n",
                rows.len(),
                policy.pack.name,
                policy.pack.reviewed,
                policy.file.as_ref().map(|f| format!(", with {f}")).unwrap_or_default()
            );
            let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let _ = writeln!(
                out,
                "{}{:w$}  {:8}  {:7}  SUMMARY{}",
                st.bold(),
                "RULE",
                "SEVERITY",
                "SCOPE",
                st.reset()
            );
            for r in &rows {
                let (sev, colour) = if r.enabled {
                    (
                        r.severity,
                        st.severity(primum_core::Severity::parse(r.severity).expect("a severity")),
                    )
                } else {
                    ("off", "")
                };
                let _ = writeln!(
                    out,
                    "{:w$}  {colour}{sev:8}{}  {:7}  {}",
                    r.id,
                    st.reset(),
                    r.scope,
                    headline(r.summary)
                );
            }
            out.push_str("\nprimum explain RULE tells what a rule checks, why, and how to fix it.\n");
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let policy = crate::run::load_policy(&args.policy)?;
    let st = Style::new(args.color.enabled());
    let id = args.rule.trim();
    let Some(entry) = CATALOGUE.iter().find(|e| e.id == id) else {
        let close = suggestions(id);
        let hint = match close.as_slice() {
            [] => String::new(),
            [one] => format!("; did you mean `{one}`?"),
            many => format!(
                "; did you mean one of: {}?",
                many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        bail!("no rule `{id}`{hint} (`primum rules` lists them all)");
    };
    let rule = RULES.iter().copied().find(|r| r.id == id);
    let mut out = String::new();
    let (b, r) = (st.bold(), st.reset());
    let _ = writeln!(out, "{b}{id}{r}: {}\n", entry.summary);
    let _ = writeln!(out, "  category:          {}", entry.category);
    let _ = writeln!(out, "  default severity:  {}", entry.severity);
    let _ = writeln!(out, "  scope:             {}", entry.scope.as_str());
    let _ = writeln!(out, "  principle:         {}", entry.principle);
    let settings = policy.settings(id);
    if let Some(s) = settings {
        let state = if s.enabled {
            s.severity.as_str().to_string()
        } else {
            "switched off".to_string()
        };
        let _ = writeln!(out, "  {:19}{state}", format!("under {}:", policy.pack.id));
    }
    let Some(rule) = rule else {
        let _ = writeln!(
            out,
            "\nThis build does not implement it yet (it needs the {} scope).",
            entry.scope.as_str()
        );
        std::io::stdout().lock().write_all(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    out.push('\n');
    out.push_str(&render_markdown(&rule.docs_markdown(), st));
    options(&mut out, rule, &policy, st);
    let refs = settings.map(|s| s.references.as_slice()).unwrap_or_default();
    let _ = writeln!(out, "\n{b}References under {}{r}", policy.pack.name);
    if refs.is_empty() {
        out.push_str("  (none cited)\n");
    }
    for key in refs {
        match policy.references.get(key.as_ref()) {
            Some(reference) => {
                let _ = writeln!(out, "  - {} [{key}]", reference.title);
                if let Some(url) = &reference.url {
                    let _ = writeln!(out, "    {url}");
                }
            }
            None => {
                let _ = writeln!(out, "  - {key}");
            }
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The start of a summary, for the table: up to its first colon, full stop
/// or bracket, and at most 90 characters.
fn headline(summary: &str) -> String {
    let end = [": ", ". ", " ("]
        .iter()
        .filter_map(|p| summary.find(p))
        .min()
        .unwrap_or(summary.len());
    let head = summary[..end].trim_end_matches('.');
    if head.chars().count() > 90 {
        format!("{}…", head.chars().take(89).collect::<String>())
    } else {
        head.to_string()
    }
}

fn options(out: &mut String, rule: &Rule, policy: &Policy, st: Style) {
    if rule.options.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}Option values under {}{}",
        st.bold(),
        policy.pack.id,
        st.reset()
    );
    let set = policy
        .settings(rule.id)
        .map(|s| s.options.as_slice())
        .unwrap_or_default();
    let w = rule.options.iter().map(|o| o.name.len()).max().unwrap_or(0);
    for o in rule.options {
        let value = set.iter().find(|(n, _)| n == o.name).map_or(o.default, |(_, v)| *v);
        let note = if value == o.default {
            String::new()
        } else {
            format!(" (default {})", o.default)
        };
        let kind = match o.default {
            OptValue::Int(_) => "integer",
            OptValue::Float(_) => "number",
            OptValue::Bool(_) => "true/false",
        };
        let _ = writeln!(out, "  {:w$} = {value}{note}  [{kind}] {}", o.name, o.doc);
    }
}

/// Markdown for a terminal: `## Heading` in bold capitals, fenced code
/// indented without its fences, the rest as written (it is meant to read
/// well as plain text).
fn render_markdown(md: &str, st: Style) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            let _ = writeln!(out, "      {line}");
        } else if let Some(h) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            let _ = writeln!(out, "{}{}{}", st.bold(), h.to_uppercase(), st.reset());
        } else if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// The catalogue ids closest to `asked`: those containing it, else those
/// within a few edits of it (whole id or the part after the slash).
fn suggestions(asked: &str) -> Vec<&'static str> {
    let asked_l = asked.to_lowercase();
    let ids = CATALOGUE.iter().map(|e| e.id.as_str());
    let containing: Vec<&str> = ids
        .clone()
        .filter(|id| !asked_l.is_empty() && id.contains(&asked_l))
        .collect();
    if !containing.is_empty() {
        return containing.into_iter().take(5).collect();
    }
    let mut scored: Vec<(usize, &str)> = ids
        .map(|id| {
            let tail = id.rsplit('/').next().unwrap_or(id);
            (levenshtein(&asked_l, id).min(levenshtein(&asked_l, tail)), id)
        })
        .collect();
    scored.sort();
    let limit = (asked.width() / 3).clamp(2, 6);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, id)| id)
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids() {
        assert_eq!(suggestions("hashtag"), ["spam/hashtag-stuffing"]);
        assert_eq!(suggestions("spam/shoutin"), ["spam/shouting"]);
        assert_eq!(suggestions("spam/hashtag-stufing")[0], "spam/hashtag-stuffing");
        assert!(suggestions("zzzzzzzzzzzzzzzzzzzzzz").is_empty());
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
