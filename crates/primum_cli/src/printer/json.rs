//! The JSON report, `primum.report.v1`, exactly as CONTRACT.md gives it:
//! one object per post, on one line. Fields beyond the contract (allowed
//! there): `fix.applicability`, `fix.edits`, `help`, `notes`.

use primum_core::{Applicability, Report, Summary};
use serde::Serialize;

use super::{Item, Outcome, Printer, locate, reports_kind};

pub const SCHEMA: &str = "primum.report.v1";

pub struct Json;

/// The report's shape. [`write_report`] writes it without serde; the
/// tests hold it to the bytes serde writes for this struct.
#[cfg(test)]
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
        match item.outcome {
            Outcome::Invalid(error) => {
                let invalid = JsonInvalid {
                    schema: SCHEMA,
                    id: item.id,
                    verdict: "invalid",
                    error,
                };
                // Serialising plain strings into memory cannot fail.
                serde_json::to_writer(&mut *out, &invalid).expect("a report serialises");
            }
            Outcome::Report(report) => write_report(out, item.id, item.text, report),
        }
        out.push(b'\n');
    }
}

/// Writes `report` exactly as `serde_json` writes the [`JsonReport`] made
/// of it (the tests hold the two to the same bytes), without serde's
/// generic machinery: reports are most of a JSONL run's output, and
/// serialising them through serde took a twentieth of its time.
fn write_report(out: &mut Vec<u8>, id: &str, text: &str, report: &Report) {
    out.extend_from_slice(b"{\"schema\":\"");
    out.extend_from_slice(SCHEMA.as_bytes());
    field(out, b"\",\"id\":", id);
    out.extend_from_slice(b",\"verdict\":\"");
    out.extend_from_slice(report.verdict().as_str().as_bytes());
    out.extend_from_slice(b"\",\"findings\":[");
    for (i, f) in json_findings(text, report).iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_finding(out, f);
    }
    let Summary { error, warning, info } = report.summary();
    out.extend_from_slice(b"],\"summary\":{\"error\":");
    number(out, error);
    out.extend_from_slice(b",\"warning\":");
    number(out, warning);
    out.extend_from_slice(b",\"info\":");
    number(out, info);
    out.extend_from_slice(b"}}");
}

/// One finding, as `serde_json` writes a [`JsonFinding`].
fn write_finding(out: &mut Vec<u8>, f: &JsonFinding<'_>) {
    field(out, b"{\"rule\":", f.rule);
    field(out, b",\"severity\":", f.severity);
    field(out, b",\"message\":", f.message);
    out.extend_from_slice(b",\"start\":");
    optional_number(out, f.start);
    out.extend_from_slice(b",\"end\":");
    optional_number(out, f.end);
    if let Some(kind) = f.kind {
        field(out, b",\"kind\":", kind);
    }
    if let Some(fix) = &f.fix {
        field(out, b",\"fix\":{\"replacement\":", fix.replacement);
        out.extend_from_slice(b",\"applicability\":\"");
        out.extend_from_slice(match fix.applicability {
            Applicability::Safe => b"safe".as_slice(),
            Applicability::Unsafe => b"unsafe",
            Applicability::DisplayOnly => b"display-only",
        });
        out.extend_from_slice(b"\",\"edits\":[");
        for (i, e) in fix.edits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"start\":");
            number(out, e.start);
            out.extend_from_slice(b",\"end\":");
            number(out, e.end);
            field(out, b",\"replacement\":", e.replacement);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }
    out.extend_from_slice(b",\"references\":");
    strings(out, f.references);
    if let Some(help) = f.help {
        field(out, b",\"help\":", help);
    }
    if !f.notes.is_empty() {
        out.extend_from_slice(b",\"notes\":");
        strings(out, f.notes);
    }
    out.push(b'}');
}

/// A key (with what comes before it) and a string value.
fn field(out: &mut Vec<u8>, key: &[u8], value: &str) {
    out.extend_from_slice(key);
    string(out, value);
}

pub fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn optional_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn strings(out: &mut Vec<u8>, list: &[String]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

/// A JSON string as `serde_json` writes it: `"` and `\\` escaped, control
/// characters as `\n`, `\t`... or `\u00XX`, everything else as it is.
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most strings need no escape: one test over all bytes (a fold without
    // an early exit, which the compiler vectorises), then one copy.
    if !bytes
        .iter()
        .fold(false, |any, &b| any | (b < 0x20) | (b == b'"') | (b == b'\\'))
    {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
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

#[cfg(test)]
mod tests {
    use primum_core::{Edit, Finding, Fix, Kind, Policy, Post, Severity, Span};

    use super::*;

    /// The fast writer's bytes and serde's for the same report.
    fn both(id: &str, text: &str, report: &Report) -> (String, String) {
        let mut fast = Vec::new();
        write_report(&mut fast, id, text, report);
        let serde = serde_json::to_string(&JsonReport {
            schema: SCHEMA,
            id,
            verdict: report.verdict().as_str(),
            findings: json_findings(text, report),
            summary: report.summary(),
        })
        .unwrap();
        (String::from_utf8(fast).unwrap(), serde)
    }

    #[test]
    fn the_fast_writer_writes_what_serde_writes() {
        let text = "Pt \"Jo\" Smith\\ é 🩺\n\tline\u{1}\u{7f}\u{8}\u{c}\r end";
        let finding = |rule: &'static str, span: Option<Span>, fix: Option<Fix>| Finding {
            rule,
            severity: Severity::Error,
            message: "a \"quoted\" message\twith\u{0} controls".into(),
            span,
            kind: Some(Kind::Name),
            fix,
            help: Some("help \\ é".into()),
            notes: vec!["note 1".into(), "\u{1f}".into()],
            references: vec!["core-confidentiality".into(), "x\"y".into()],
        };
        let edit = |start, end, r: &str| Edit {
            span: Span::new(start, end),
            replacement: r.into(),
        };
        let report = Report {
            findings: vec![
                finding(
                    "privacy/patient-identifier",
                    Some(Span::new(3, 13)),
                    Some(Fix {
                        applicability: Applicability::Safe,
                        edits: vec![edit(3, 13, "[NAME]"), edit(16, 18, "\"\n")],
                    }),
                ),
                finding("privacy/image-text", None, None),
                Finding {
                    kind: None,
                    help: None,
                    notes: Vec::new(),
                    references: Vec::new(),
                    severity: Severity::Info,
                    fix: Some(Fix {
                        applicability: Applicability::DisplayOnly,
                        edits: Vec::new(),
                    }),
                    ..finding("tone/negativity", Some(Span::new(0, 2)), None)
                },
                Finding {
                    severity: Severity::Warning,
                    fix: Some(Fix {
                        applicability: Applicability::Unsafe,
                        edits: vec![edit(19, 25, "")],
                    }),
                    ..finding("spam/shouting", Some(Span::new(19, 25)), None)
                },
            ],
        };
        let (fast, serde) = both("id \"1\"\n", text, &report);
        assert_eq!(fast, serde);
        let (fast, serde) = both("", "", &Report::default());
        assert_eq!(fast, serde);
    }

    #[test]
    fn checked_posts_are_written_as_serde_writes_them() {
        let policy = Policy::resolve(None, None).unwrap();
        for text in [
            "My patient John Smith (DOB 03/04/1950) told me \"it's fine\" at 12 High St, Leeds.",
            "BUY NOW!!! This miracle cure works 100% \u{1F9EA}\tcall 0113 496 0000",
            "Take 2 tablets of ibuprofen every 4 hours, my friend.\r\nGood luck x",
            "",
        ] {
            let report = primum_core::check(&Post::new(text), &policy, None);
            let (fast, serde) = both("post", text, &report);
            assert_eq!(fast, serde, "{text}");
        }
    }
}
