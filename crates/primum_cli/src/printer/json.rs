//! The JSON report, `primum.report.v1`, exactly as CONTRACT.md gives it:
//! one object per post, on one line. Fields beyond the contract (allowed
//! there): `fix.applicability`, `fix.edits`, `help`, `notes`.

use primum_core::{Applicability, Report, Summary};
use serde::Serialize;

use super::{Item, Outcome, Printer, locate, reports_kind};

pub const SCHEMA: &str = "primum.report.v1";

pub struct Json;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    id: &'a str,
    verdict: &'static str,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonInvalid<'a> {
    schema: &'static str,
    id: &'a str,
    verdict: &'static str,
    error: &'a str,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    references: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonFix<'a> {
    /// The first edit's replacement (the contract's field).
    replacement: &'a str,
    applicability: Applicability,
    /// Every edit, with character offsets into the post's text.
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

impl Printer for Json {
    fn item(&self, item: &Item<'_>, out: &mut Vec<u8>) {
        let written = match item.outcome {
            Outcome::Invalid(error) => serde_json::to_writer(
                &mut *out,
                &JsonInvalid {
                    schema: SCHEMA,
                    id: item.id,
                    verdict: "invalid",
                    error,
                },
            ),
            Outcome::Report(report) => {
                let findings = json_findings(item.text, report);
                serde_json::to_writer(
                    &mut *out,
                    &JsonReport {
                        schema: SCHEMA,
                        id: item.id,
                        verdict: report.verdict().as_str(),
                        findings,
                        summary: report.summary(),
                    },
                )
            }
        };
        // Serialising plain strings and numbers into memory cannot fail.
        written.expect("a report serialises");
        out.push(b'\n');
    }
}

/// The findings of a report as the contract writes them, with character
/// offsets into `text`.
pub fn json_findings<'a>(text: &str, report: &'a Report) -> Vec<JsonFinding<'a>> {
    locate(text, report)
        .into_iter()
        .map(|l| {
            let f = l.finding;
            JsonFinding {
                rule: f.rule,
                severity: f.severity.as_str(),
                message: &f.message,
                start: l.span.map(|s| s.0.char),
                end: l.span.map(|s| s.1.char),
                kind: f.kind.filter(|_| reports_kind(f.rule)).map(|k| k.as_str()),
                fix: f.fix.as_ref().map(|fix| JsonFix {
                    replacement: fix.edits.first().map_or("", |e| e.replacement.as_str()),
                    applicability: fix.applicability,
                    edits: fix
                        .edits
                        .iter()
                        .zip(&l.edits)
                        .map(|(e, (s, t))| JsonEdit {
                            start: s.char,
                            end: t.char,
                            replacement: &e.replacement,
                        })
                        .collect(),
                }),
                references: &f.references,
                help: f.help.as_deref(),
                notes: &f.notes,
            }
        })
        .collect()
}
