//! `primum eval`: scores the checker on a labelled corpus, computing what
//! `data/posts/README.md` defines:
//!
//! - rule recall: expected (post, rule) pairs that fired over all expected
//!   pairs (micro-average), and per rule; an `expect_any` group is one pair,
//!   hit when any of its rules fired;
//! - clean-post false-alarm rate: clean posts (no `expect`, no
//!   `expect_any`) on which an error or warning fired that is not in
//!   `allow`, over all clean posts;
//! - identifier character recall: non-space characters of the `phi` spans
//!   (kinds other than OTHER) on posts that expect
//!   `privacy/patient-identifier`, covered by a finding of that rule.
//!
//! Also, per rule, its false alarms on all posts: posts where it fired at
//! warning or error while neither expected nor allowed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use primum_core::{Post, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cli::{EvalArgs, EvalCorpus, TableFormat};
use crate::input::{self, Defaults, Line};
use crate::printer::locate;
use crate::run::{self, EXIT_FAILURE, EXIT_FINDINGS};

const IDENTIFIER_RULE: &str = "privacy/patient-identifier";

/// A labelled post and what the checker found on it.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub id: String,
    pub text: String,
    pub labels: Labels,
    pub fired: Vec<Fired>,
}

/// A post's labels, as the corpus gives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Labels {
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub expect_any: Vec<Vec<String>>,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub phi: Vec<PhiSpan>,
}

/// An identifier span, in Unicode scalar values, end exclusive.
#[derive(Debug, Clone, Deserialize)]
pub struct PhiSpan {
    pub start: usize,
    pub end: usize,
    pub kind: String,
}

/// One finding, reduced to what scoring needs.
#[derive(Debug, Clone)]
pub struct Fired {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Character span.
    pub span: Option<(usize, usize)>,
}

/// A count out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ratio {
    pub count: usize,
    pub total: usize,
    /// `count / total`; null when the total is 0.
    pub ratio: Option<f64>,
}

impl Ratio {
    fn new(count: usize, total: usize) -> Ratio {
        Ratio {
            count,
            total,
            ratio: (total > 0).then(|| count as f64 / total as f64),
        }
    }

    fn percent(self) -> String {
        self.ratio.map_or("n/a".to_string(), |r| format!("{:.1}%", r * 100.0))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleScore {
    /// A rule id, or `a | b` for an `expect_any` group.
    pub rule: String,
    /// Expected (post, rule) pairs and how many fired.
    pub recall: Ratio,
    /// Posts on which it fired at warning or error, unexpected and not allowed.
    pub false_alarms: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FalseAlarm {
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub schema: &'static str,
    pub posts: usize,
    pub clean_posts: usize,
    pub rule_recall: Ratio,
    pub clean_false_alarms: Ratio,
    pub identifier_recall: Ratio,
    pub rules: Vec<RuleScore>,
    /// The findings that made clean posts false alarms.
    pub clean_false_alarm_findings: Vec<FalseAlarm>,
    /// Warnings and errors neither expected nor allowed on posts that do
    /// expect something (the per-rule false alarms outside clean posts).
    pub other_false_alarm_findings: Vec<FalseAlarm>,
    pub missed: Vec<Miss>,
}

impl Scores {
    /// Keeps only the rules, misses and false alarms whose rule id starts
    /// with `prefix` (the totals stay those of the whole corpus).
    pub fn only_rules(&mut self, prefix: &str) {
        self.rules.retain(|r| r.rule.starts_with(prefix));
        self.missed
            .retain(|m| m.rule.split(" | ").any(|r| r.starts_with(prefix)));
        self.clean_false_alarm_findings.retain(|f| f.rule.starts_with(prefix));
        self.other_false_alarm_findings.retain(|f| f.rule.starts_with(prefix));
    }
}

/// Scores the cases (the arithmetic of the README, nothing else).
pub fn score(cases: &[Case]) -> Scores {
    let mut rules: BTreeMap<String, RuleScore> = BTreeMap::new();
    fn row<'m>(rules: &'m mut BTreeMap<String, RuleScore>, rule: &str) -> &'m mut RuleScore {
        rules.entry(rule.to_string()).or_insert_with(|| RuleScore {
            rule: rule.to_string(),
            ..RuleScore::default()
        })
    }
    let (mut hit, mut expected) = (0, 0);
    let (mut clean, mut clean_alarmed) = (0, 0);
    let (mut id_covered, mut id_total) = (0, 0);
    let mut missed = Vec::new();
    let mut clean_findings = Vec::new();
    let mut other_findings = Vec::new();
    for case in cases {
        let l = &case.labels;
        let fired = |rule: &str| case.fired.iter().any(|f| f.rule == rule);
        // Rule recall: each expected rule, and each group, is one pair.
        let groups = l
            .expect
            .iter()
            .map(|r| (r.clone(), fired(r)))
            .chain(l.expect_any.iter().map(|g| (g.join(" | "), g.iter().any(|r| fired(r)))));
        for (name, ok) in groups {
            expected += 1;
            let r = row(&mut rules, &name);
            r.recall.total += 1;
            if ok {
                hit += 1;
                r.recall.count += 1;
            } else {
                missed.push(Miss {
                    id: case.id.clone(),
                    rule: name,
                });
            }
        }
        // False alarms: warnings and errors neither expected nor allowed,
        // counted once per post and rule.
        let unexpected = |f: &&Fired| {
            f.severity >= Severity::Warning
                && !l.expect.contains(&f.rule)
                && !l.expect_any.iter().flatten().any(|r| *r == f.rule)
                && !l.allow.contains(&f.rule)
        };
        let mut alarmed: Vec<&str> = case.fired.iter().filter(unexpected).map(|f| f.rule.as_str()).collect();
        alarmed.sort_unstable();
        alarmed.dedup();
        for rule in &alarmed {
            row(&mut rules, rule).false_alarms += 1;
        }
        let alarms = case.fired.iter().filter(unexpected).map(|f| FalseAlarm {
            id: case.id.clone(),
            rule: f.rule.clone(),
            severity: f.severity,
            message: f.message.clone(),
        });
        if l.expect.is_empty() && l.expect_any.is_empty() {
            clean += 1;
            if !alarmed.is_empty() {
                clean_alarmed += 1;
                clean_findings.extend(alarms);
            }
        } else {
            other_findings.extend(alarms);
        }
        // Identifier characters.
        if l.expect.iter().any(|r| r == IDENTIFIER_RULE) {
            let chars: Vec<char> = case.text.chars().collect();
            let spans: Vec<(usize, usize)> = case
                .fired
                .iter()
                .filter(|f| f.rule == IDENTIFIER_RULE)
                .filter_map(|f| f.span)
                .collect();
            for p in l.phi.iter().filter(|p| p.kind != "OTHER") {
                let end = p.end.min(chars.len());
                let start = p.start.min(end);
                for (i, c) in chars[start..end].iter().enumerate().map(|(k, c)| (start + k, c)) {
                    if c.is_whitespace() {
                        continue;
                    }
                    id_total += 1;
                    if spans.iter().any(|&(s, e)| s <= i && i < e) {
                        id_covered += 1;
                    }
                }
            }
        }
    }
    let rules = rules
        .into_values()
        .map(|mut r| {
            r.recall = Ratio::new(r.recall.count, r.recall.total);
            r
        })
        .collect();
    Scores {
        schema: "primum.eval.v1",
        posts: cases.len(),
        clean_posts: clean,
        rule_recall: Ratio::new(hit, expected),
        clean_false_alarms: Ratio::new(clean_alarmed, clean),
        identifier_recall: Ratio::new(id_covered, id_total),
        rules,
        clean_false_alarm_findings: clean_findings,
        other_false_alarm_findings: other_findings,
        missed,
    }
}

/// The input line of a labelled post: the post as `check --jsonl` reads
/// it, plus its labels.
fn read_case(line: Line<'_>, policy: &primum_core::Policy, now: primum_core::DateTime) -> Result<Case, String> {
    let lp = input::parse_line(line, &Defaults::default()).map_err(|b| b.error)?;
    // `parse_line` has checked the line is UTF-8 JSON.
    let labels: Labels = serde_json::from_slice(line.bytes).map_err(|e| format!("bad labels: {e}"))?;
    let Post { text, .. } = &lp.post;
    let report = run::check_post(&lp.post, policy, now)?;
    let fired = locate(text, &report)
        .into_iter()
        .map(|l| Fired {
            rule: l.finding.rule.to_string(),
            severity: l.finding.severity,
            message: l.finding.message.to_string(),
            span: l.span.map(|(s, e)| (s.char, e.char)),
        })
        .collect();
    Ok(Case {
        id: lp.id,
        text: lp.post.text,
        labels,
        fired,
    })
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if let Some(EvalCorpus::Phi(phi)) = args.corpus {
        return crate::eval_phi::run(phi);
    }
    let file = args.file.as_deref().unwrap_or("-");
    let policy = run::load_policy(&args.policy)?;
    let now = run::now_or_clock(args.now);
    let name = input::label(file);
    let bytes = input::read_bytes(file).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    let read = input::for_each_chunk(bytes.as_slice(), |lines, _| {
        let results: Vec<(usize, Result<Case, String>)> =
            lines.par_iter().map(|l| (l.no, read_case(*l, &policy, now))).collect();
        for (no, r) in results {
            match r {
                Ok(c) => cases.push(c),
                Err(e) => errors.push(format!("{name}: line {no}: {e}")),
            }
        }
        Ok(())
    });
    if let Err(e) = read {
        errors.push(format!("{name}: {e}"));
    }
    for e in &errors {
        eprintln!("{e}");
    }
    let mut scores = score(&cases);
    if let Some(prefix) = &args.rule {
        scores.only_rules(prefix);
    }
    let text = match args.format {
        TableFormat::Json => format!("{}\n", serde_json::to_string(&scores)?),
        TableFormat::Human => human(&scores, name, &policy.pack.name),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;

    if !errors.is_empty() {
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let mut failed = false;
    if let (Some(min), Some(got)) = (args.min_recall, scores.rule_recall.ratio)
        && got < min
    {
        eprintln!(
            "primum: rule recall {:.1}% is below --min-recall {:.1}%",
            got * 100.0,
            min * 100.0
        );
        failed = true;
    }
    if let (Some(max), Some(got)) = (args.max_false_alarms, scores.clean_false_alarms.ratio)
        && got > max
    {
        eprintln!(
            "primum: clean-post false-alarm rate {:.1}% is above --max-false-alarms {:.1}%",
            got * 100.0,
            max * 100.0
        );
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

fn human(s: &Scores, name: &str, pack: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{name}: {} posts ({} clean), under {pack}\n",
        s.posts, s.clean_posts
    );
    for (label, r) in [
        ("rule recall", s.rule_recall),
        ("clean-post false alarms", s.clean_false_alarms),
        ("identifier character recall", s.identifier_recall),
    ] {
        let _ = writeln!(out, "  {label:30} {:>6} of {:<6} {:>7}", r.count, r.total, r.percent());
    }
    if !s.rules.is_empty() {
        let w = s.rules.iter().map(|r| r.rule.len()).max().unwrap_or(4).max(4);
        let _ = writeln!(out, "\n{:w$}  EXPECTED  FOUND  RECALL  FALSE ALARMS", "RULE");
        for r in &s.rules {
            let recall = if r.recall.total == 0 {
                "-".to_string()
            } else {
                r.recall.percent()
            };
            let _ = writeln!(
                out,
                "{:w$}  {:>8}  {:>5}  {:>6}  {:>12}",
                r.rule, r.recall.total, r.recall.count, recall, r.false_alarms
            );
        }
    }
    if !s.clean_false_alarm_findings.is_empty() {
        out.push_str("\nFalse alarms on clean posts:\n");
        for f in &s.clean_false_alarm_findings {
            let _ = writeln!(out, "  {}: {} ({}): {}", f.id, f.rule, f.severity, f.message);
        }
    }
    if !s.other_false_alarm_findings.is_empty() {
        out.push_str("\nFalse alarms on other posts:\n");
        for f in &s.other_false_alarm_findings {
            let _ = writeln!(out, "  {}: {} ({}): {}", f.id, f.rule, f.severity, f.message);
        }
    }
    if !s.missed.is_empty() {
        out.push_str("\nMissed:\n");
        for m in &s.missed {
            let _ = writeln!(out, "  {}: {}", m.id, m.rule);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(rule: &str, severity: Severity, span: Option<(usize, usize)>) -> Fired {
        Fired {
            rule: rule.into(),
            severity,
            message: "m".into(),
            span,
        }
    }

    fn case(id: &str, text: &str, labels: &str, fired: Vec<Fired>) -> Case {
        Case {
            id: id.into(),
            text: text.into(),
            labels: serde_json::from_str(labels).unwrap(),
            fired,
        }
    }

    /// Worked by hand:
    /// - pairs: a1 {x hit, y missed, identifier hit}, a2 {any[x,z] hit via
    ///   z}, a3 {y hit, though only at info} -> 4 of 5;
    /// - clean posts c1 (allowed warning: fine), c2 (info only: fine),
    ///   c3 (unexpected warning: alarm) -> 1 of 3;
    /// - identifier characters on a1: "Jo Ann" (5 non-space) + "12/3" (DATE,
    ///   4) = 9, OTHER ignored; the finding covers "Jo A" (3 non-space
    ///   chars) and all of "12/3" -> 7 of 9.
    #[test]
    fn the_readme_arithmetic() {
        let id = IDENTIFIER_RULE;
        let text = "Jo Ann, 12/3, tattoo";
        let cases = vec![
            case(
                "a1",
                text,
                r#"{"expect": ["x", "y", "privacy/patient-identifier"],
                    "phi": [{"start": 0, "end": 6, "kind": "NAME"}, {"start": 8, "end": 12, "kind": "DATE"},
                            {"start": 14, "end": 20, "kind": "OTHER"}]}"#,
                vec![
                    fired("x", Severity::Warning, None),
                    fired(id, Severity::Error, Some((0, 4))),
                    fired(id, Severity::Error, Some((8, 12))),
                    fired("w", Severity::Error, None),
                ],
            ),
            case(
                "a2",
                "",
                r#"{"expect_any": [["x", "z"]]}"#,
                vec![fired("z", Severity::Info, None)],
            ),
            case("a3", "", r#"{"expect": ["y"]}"#, vec![fired("y", Severity::Info, None)]),
            case(
                "c1",
                "",
                r#"{"allow": ["w"]}"#,
                vec![fired("w", Severity::Warning, None)],
            ),
            case("c2", "", r#"{}"#, vec![fired("w", Severity::Info, None)]),
            case(
                "c3",
                "",
                r#"{}"#,
                vec![fired("w", Severity::Warning, None), fired("w", Severity::Error, None)],
            ),
        ];
        let s = score(&cases);
        assert_eq!((s.posts, s.clean_posts), (6, 3));
        assert_eq!(s.rule_recall, Ratio::new(4, 5));
        assert_eq!(s.clean_false_alarms, Ratio::new(1, 3));
        assert_eq!(s.identifier_recall, Ratio::new(7, 9));
        let get = |r: &str| s.rules.iter().find(|x| x.rule == r).unwrap().clone();
        assert_eq!(get("y").recall, Ratio::new(1, 2));
        assert_eq!(get("x | z").recall, Ratio::new(1, 1));
        // w: unexpected on a1 (error) and c3 (once, though twice fired).
        assert_eq!(get("w").false_alarms, 2);
        assert_eq!(s.missed.len(), 1);
        assert_eq!((s.missed[0].id.as_str(), s.missed[0].rule.as_str()), ("a1", "y"));
        assert_eq!(s.clean_false_alarm_findings.len(), 2);
        assert!(s.clean_false_alarm_findings.iter().all(|f| f.id == "c3"));
    }

    #[test]
    fn empty_corpus_has_no_ratios() {
        let s = score(&[]);
        assert_eq!(s.rule_recall.ratio, None);
        assert_eq!(s.rule_recall.percent(), "n/a");
    }
}
