//! SARIF 2.1.0, for code-scanning tools: one log with one run, whose
//! driver lists every rule with its documentation and whose results are
//! the findings.
//!
//! The log is streamed: the head (tool and rules) is written first, each
//! post's results as it is checked, and the invocation (with one
//! notification per input that could not be read) last, so a long batch
//! never sits in memory. Columns and character offsets count Unicode
//! scalar values, as the run's `columnKind` says.

use primum_core::{RULES, Severity};
use serde_json::{Value, json};

use super::human::describe_fix;
use super::{Item, Outcome, Printer, RunSummary, locate, reports_kind};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Notifications past this many are summed up in one.
const MAX_NOTIFICATIONS: usize = 1000;

pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `spam/hashtag-stuffing` -> `HashtagStuffing`: SARIF's readable rule name.
fn rule_name(id: &str) -> String {
    let last = id.rsplit('/').next().unwrap_or(id);
    last.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative URI reference for a path or id: unreserved characters and
/// `/` stay, everything else is percent-encoded (a space is `%20`).
pub fn uri(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The tool's description, with every rule.
pub fn driver() -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let docs = r.docs_markdown();
            let full = r
                .doc_section("What it checks")
                .and_then(|s| {
                    s.split("\n\n")
                        .next()
                        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| r.summary().to_string());
            json!({
                "id": r.id,
                "name": rule_name(r.id),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": full},
                "help": {"text": docs, "markdown": docs},
                "defaultConfiguration": {"level": level(r.default_severity())},
                "properties": {
                    "category": r.category(),
                    "scope": r.scope().as_str(),
                    "principle": r.meta().principle,
                    "tags": [r.category()],
                },
            })
        })
        .collect();
    json!({
        "name": "primum",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    })
}

impl Printer for Sarif {
    fn begin(&self, out: &mut Vec<u8>) {
        // Everything up to the opening of `results`, which the items fill.
        let head = format!(
            "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{}}},\"columnKind\":\"unicodeCodePoints\",\"results\":[",
            json!(SCHEMA),
            driver()
        );
        out.extend_from_slice(head.as_bytes());
    }

    fn item(&self, item: &Item<'_>, out: &mut Vec<u8>) {
        let Outcome::Report(report) = item.outcome else {
            return;
        };
        let location = uri(item.id);
        for (n, l) in locate(item.text, report).into_iter().enumerate() {
            let f = l.finding;
            let mut physical = json!({"artifactLocation": {"uri": location}});
            if let Some((s, e)) = l.span {
                physical["region"] = json!({
                    "startLine": s.line,
                    "startColumn": s.col,
                    "endLine": e.line,
                    "endColumn": e.col,
                    "charOffset": s.char,
                    "charLength": e.char - s.char,
                });
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": physical}],
            });
            if let Some(i) = RULES.iter().position(|r| r.id == f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &f.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .zip(&l.edits)
                    .map(|(e, (s, t))| {
                        json!({
                            "deletedRegion": {"charOffset": s.char, "charLength": t.char - s.char},
                            "insertedContent": {"text": e.replacement},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": describe_fix(item.text, fix)},
                    "artifactChanges": [{"artifactLocation": {"uri": location}, "replacements": replacements}],
                }]);
            }
            let mut props = json!({"postId": item.id, "references": f.references});
            if let Some(k) = f.kind.filter(|_| reports_kind(f.rule)) {
                props["kind"] = json!(k.as_str());
            }
            if let Some(h) = &f.help {
                props["help"] = json!(h);
            }
            if !f.notes.is_empty() {
                props["notes"] = json!(f.notes);
            }
            result["properties"] = props;
            if n > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, &result).expect("a result serialises");
        }
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn end(&self, sum: &RunSummary, out: &mut Vec<u8>) {
        let mut notes: Vec<Value> = sum
            .errors
            .iter()
            .take(MAX_NOTIFICATIONS)
            .map(|e| json!({"level": "error", "message": {"text": e}}))
            .collect();
        if sum.errors.len() > MAX_NOTIFICATIONS {
            let more = sum.errors.len() - MAX_NOTIFICATIONS;
            notes.push(json!({"level": "error", "message": {"text": format!("and {more} more inputs that could not be read")}}));
        }
        let invocation = json!({
            "executionSuccessful": sum.errors.is_empty(),
            "toolExecutionNotifications": notes,
        });
        out.extend_from_slice(b"],\"invocations\":[");
        serde_json::to_writer(&mut *out, &invocation).expect("an invocation serialises");
        out.extend_from_slice(b"]}]}\n");
    }
}

#[cfg(test)]
mod tests {
    use primum_core::{Policy, Post, check};

    use super::*;
    use crate::printer::RunSummary;

    fn render(text: &str) -> Value {
        let report = check(&Post::new(text), &Policy::core(), None);
        let mut out = Vec::new();
        Sarif.begin(&mut out);
        let item = Item {
            id: "posts/a b.txt",
            name: "posts/a b.txt",
            text,
            outcome: Outcome::Report(&report),
        };
        Sarif.item(&item, &mut out);
        let sum = RunSummary {
            errors: vec!["x.txt: no such file".into()],
            ..RunSummary::default()
        };
        Sarif.end(&sum, &mut out);
        serde_json::from_slice(&out).expect("the streamed log is one JSON document")
    }

    /// The shape SARIF 2.1.0 requires: version, runs[].tool.driver.name,
    /// results with ruleId, level, message.text and regions in range.
    #[test]
    fn log_has_the_sarif_shape() {
        let text = "Flu jabs 💉 now #a #b #c #d #e #f #g";
        let log = render(text);
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].as_str().unwrap().ends_with("sarif-schema-2.1.0.json"));
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "primum");
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        for r in rules {
            assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
            assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        }
        let results = run["results"].as_array().unwrap();
        let stuffing = results
            .iter()
            .find(|r| r["ruleId"] == "spam/hashtag-stuffing")
            .expect("hashtag stuffing fires");
        let i = stuffing["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], "spam/hashtag-stuffing");
        assert!(["error", "warning", "note"].contains(&stuffing["level"].as_str().unwrap()));
        assert!(stuffing["message"]["text"].is_string());
        let loc = &stuffing["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "posts/a%20b.txt");
        let region = &loc["region"];
        // "#f #g" starts at character 31 (the syringe is one character).
        let start = text.chars().position(|c| c == 'f').unwrap() - 1;
        assert_eq!(region["charOffset"], start);
        assert_eq!(region["charLength"], 5);
        assert_eq!(
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (Some(1), Some(start as u64 + 1))
        );
        assert_eq!(region["endColumn"].as_u64(), Some(start as u64 + 6));
        let change = &stuffing["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["replacements"].as_array().unwrap().len(), 2);
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(
            inv["toolExecutionNotifications"][0]["message"]["text"],
            "x.txt: no such file"
        );
    }

    #[test]
    fn rule_names_and_uris() {
        assert_eq!(rule_name("privacy/patient-identifier"), "PatientIdentifier");
        assert_eq!(uri("dir/ä b#1.txt"), "dir/%C3%A4%20b%231.txt");
    }
}
