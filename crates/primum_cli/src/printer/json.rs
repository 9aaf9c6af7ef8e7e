//! The JSON report, `primum.report.v1`, exactly as CONTRACT.md gives it:
//! one object per post, on one line. Fields beyond the contract (allowed
//! there): `fix.applicability`, `fix.edits`, `help`, `notes`.

use primum_core::{Applicability, Finding, Report, Summary};
use serde::Serialize;

use super::{Item, Outcome, Printer, locate, reports_kind, span_offsets};
use crate::offsets::{le_word, low_bytes, positions, tail_word};

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
    references: &'a [primum_core::Text],
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
/// serialising them through serde took a twentieth of its time. The
/// findings are written straight from the report, with their character
/// offsets from [`chars_at`] (one [`positions`] call at most), rather than through
/// [`json_findings`]' vectors.
fn write_report(out: &mut Vec<u8>, id: &str, text: &str, report: &Report) {
    out.extend_from_slice(b"{\"schema\":\"");
    out.extend_from_slice(SCHEMA.as_bytes());
    field(out, b"\",\"id\":", id);
    out.extend_from_slice(b",\"verdict\":\"");
    out.extend_from_slice(report.verdict().as_str().as_bytes());
    out.extend_from_slice(b"\",\"findings\":[");
    let mut offsets = span_offsets(report);
    chars_at(text, &mut offsets);
    let mut at = offsets.iter().copied();
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let span = f.span.map(|_| (at.next().unwrap_or(0), at.next().unwrap_or(0)));
        write_finding(out, f, span, &mut at);
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

/// Turns byte offsets into `text` into character offsets, in place, as
/// [`positions`] counts them (clamped to the end). In an ASCII text (over
/// half of all posts) a byte is a character: the offsets only need
/// clamping, with no sort, no count and no vectors.
fn chars_at(text: &str, offsets: &mut [usize]) {
    if text.is_ascii() {
        for o in offsets {
            *o = (*o).min(text.len());
        }
    } else {
        let pos = positions(text, offsets);
        for (o, p) in offsets.iter_mut().zip(pos) {
            *o = p.char;
        }
    }
}

/// One finding, as `serde_json` writes its [`JsonFinding`]: `span` in
/// characters, `at` the character offsets of its edits, in order.
fn write_finding(out: &mut Vec<u8>, f: &Finding, span: Option<(usize, usize)>, at: &mut impl Iterator<Item = usize>) {
    // The rule, the severity, the kind and the applicability are the
    // engine's own identifiers, which need no escaping: they are copied as
    // they are, without a look at their bytes.
    plain_field(out, b"{\"rule\":", f.rule);
    plain_field(out, b",\"severity\":", f.severity.as_str());
    field(out, b",\"message\":", &f.message);
    out.extend_from_slice(b",\"start\":");
    optional_number(out, span.map(|s| s.0));
    out.extend_from_slice(b",\"end\":");
    optional_number(out, span.map(|s| s.1));
    if let Some(kind) = f.kind.filter(|_| reports_kind(f.rule)) {
        plain_field(out, b",\"kind\":", kind.as_str());
    }
    if let Some(fix) = &f.fix {
        let first = fix.edits.first().map_or("", |e| e.replacement.as_str());
        field(out, b",\"fix\":{\"replacement\":", first);
        out.extend_from_slice(b",\"applicability\":\"");
        out.extend_from_slice(applicability(fix.applicability).as_bytes());
        out.extend_from_slice(b"\",\"edits\":[");
        for (i, e) in fix.edits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"start\":");
            number(out, at.next().unwrap_or(0));
            out.extend_from_slice(b",\"end\":");
            number(out, at.next().unwrap_or(0));
            field(out, b",\"replacement\":", &e.replacement);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }
    out.extend_from_slice(b",\"references\":");
    strings(out, &f.references);
    if let Some(help) = &f.help {
        field(out, b",\"help\":", help);
    }
    if !f.notes.is_empty() {
        out.extend_from_slice(b",\"notes\":");
        strings(out, &f.notes);
    }
    out.push(b'}');
}

/// How serde names an [`Applicability`] (kebab case).
fn applicability(a: Applicability) -> &'static str {
    match a {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// A key and a string that needs no escaping (an identifier of the
/// engine's), copied as it is.
fn plain_field(out: &mut Vec<u8>, key: &[u8], value: &str) {
    debug_assert!(
        !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
        "{value:?} needs escaping"
    );
    out.extend_from_slice(key);
    out.push(b'"');
    out.extend_from_slice(value.as_bytes());
    out.push(b'"');
}

/// A key (with what comes before it) and a string value.
fn field(out: &mut Vec<u8>, key: &[u8], value: &str) {
    out.extend_from_slice(key);
    string(out, value);
}

/// A number in decimal. Offsets and counts are mostly below 1000: those
/// are written without a branch on their number of digits (which varies
/// from one to the next, so a branch on it is a coin flip), the rest by
/// `itoa`.
pub fn number(out: &mut Vec<u8>, n: usize) {
    if n >= 1000 {
        out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        return;
    }
    let digits = 1 + usize::from(n >= 10) + usize::from(n >= 100);
    // The three digits, hundreds first, in the low bytes of a word, then
    // shifted so that the number's own digits come first; all four bytes
    // are pushed and the ones past the number dropped.
    let n = n as u32;
    let word = (u32::from(b'0') + n / 100) | (u32::from(b'0') + n / 10 % 10) << 8 | (u32::from(b'0') + n % 10) << 16;
    let word = word >> (8 * (3 - digits));
    out.extend_from_slice(&word.to_le_bytes());
    out.truncate(out.len() - 4 + digits);
}

fn optional_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn strings<S: AsRef<str>>(out: &mut Vec<u8>, list: &[S]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s.as_ref());
    }
    out.push(b']');
}

/// A JSON string as `serde_json` writes it: `"` and `\\` escaped, control
/// characters as `\n`, `\t`... or `\u00XX`, everything else as it is.
///
/// The text is read and copied eight bytes at a time: each word is stored
/// whole, and a bit test (mostly 0, so a branch the CPU predicts) says
/// whether it holds a byte to escape. A byte-by-byte loop, or one
/// `extend_from_slice` of a varying length (memcpy branches on the size),
/// mispredicted a few branches in every string; this costs about one, the
/// loop's exit.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Room for the quotes and for the last word's whole 8 bytes, so the
    // pushes below never reallocate (an escape may still grow the buffer).
    out.reserve(bytes.len() + 2 + 8);
    out.push(b'"');
    let mut i = 0;
    while i + 8 <= bytes.len() {
        let word = le_word(&bytes[i..i + 8]);
        out.extend_from_slice(&word.to_le_bytes());
        let flags = escape_flags(word);
        if flags == 0 {
            i += 8;
        } else {
            // Keep the bytes before the first byte to escape, escape it, and
            // go on just after it.
            let k = first_byte(flags);
            out.truncate(out.len() - 8 + k);
            escape(out, bytes[i + k]);
            i += k + 1;
        }
    }
    // Fewer than 8 bytes left: the same, on a word holding just them.
    while i < bytes.len() {
        let rest = bytes.len() - i;
        let word = tail_word(bytes, i);
        out.extend_from_slice(&word.to_le_bytes());
        let flags = escape_flags(word) & low_bytes(rest);
        if flags == 0 {
            out.truncate(out.len() - 8 + rest);
            break;
        }
        let k = first_byte(flags);
        out.truncate(out.len() - 8 + k);
        escape(out, bytes[i + k]);
        i += k + 1;
    }
    out.push(b'"');
}

/// Writes the escape of one byte that needs it (a control character, `"`
/// or `\\`).
fn escape(out: &mut Vec<u8>, b: u8) {
    let escape: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
            return;
        }
    };
    out.extend_from_slice(escape);
}

/// The 0x80 bit of every byte of `word` that JSON must escape: below 0x20,
/// `"` or `\\`. The lowest flag is always right (the subtractions' borrows
/// can only set flags above a flagged byte), which is all [`string`] uses.
fn escape_flags(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let control = word.wrapping_sub(0x20 * ONES) & !word & HIGH;
    control | zero(word ^ (u64::from(b'"') * ONES)) | zero(word ^ (u64::from(b'\\') * ONES))
}

/// The index of the byte whose 0x80 bit is the lowest set in `flags`.
fn first_byte(flags: u64) -> usize {
    flags.trailing_zeros() as usize / 8
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
        // An ASCII text takes the short way to character offsets; those
        // past its end (here up to 25 in 19 bytes) are clamped as
        // `positions` clamps them.
        let (fast, serde) = both("ascii", "Pt Jo Smith said hi", &report);
        assert_eq!(fast, serde);
        let (fast, serde) = both("", "", &Report::default());
        assert_eq!(fast, serde);
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        // Every length around the 8-byte words, with each kind of byte to
        // escape at every place, and multi-byte characters.
        for len in 0..40 {
            for at in 0..len {
                for odd in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '🩺', ' '] {
                    let s: String = (0..len)
                        .map(|i| if i == at || i == at * 3 { odd } else { 'a' })
                        .collect();
                    let mut fast = Vec::new();
                    string(&mut fast, &s);
                    assert_eq!(String::from_utf8(fast).unwrap(), serde_json::to_string(&s).unwrap());
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in (0..2000).chain([9999, 10_000, usize::MAX]) {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
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
