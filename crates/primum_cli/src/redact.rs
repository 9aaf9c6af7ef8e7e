//! `primum redact`: every identifier of a person replaced by its `[KIND]`
//! placeholder (de-identification mode), per CONTRACT.md.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use primum_core::Policy;
use primum_core::phi::{RedactStyle, Redaction, redact_with};
use serde::Serialize;

use crate::cli::{RedactArgs, RedactFormat};
use crate::input::{self, Defaults, Line};
use crate::offsets::positions;
use crate::printer::json;
use crate::run::{self, Done, Output};

/// A redaction's JSON shape: [`render`] writes it without serde, and the
/// tests hold it to the bytes serde writes for this struct.
#[cfg(test)]
#[derive(Serialize)]
struct JsonRedaction<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<JsonSpan>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
    kind: &'static str,
}

#[derive(Serialize)]
struct JsonInvalid<'a> {
    id: &'a str,
    error: &'a str,
}

pub fn run(args: RedactArgs) -> Result<ExitCode> {
    let policy = run::load_policy(&args.policy)?;
    let format = args.format.unwrap_or(if args.jsonl.is_some() {
        RedactFormat::Json
    } else {
        RedactFormat::Text
    });
    let style = args.style.style(args.seed);
    let mut out = Output::new(b"");
    match &args.jsonl {
        Some(path) => redact_jsonl(&policy, format, style, path, &mut out)?,
        None => {
            let path = args.file.as_deref().unwrap_or("-");
            let name = input::label(path);
            let done = match input::read_post(path) {
                Ok(text) => redact_one(&policy, format, style, path, &text, || name.to_string()),
                Err(e) => invalid(format, path, &e, name),
            };
            out.item(done)?;
        }
    }
    Ok(out.finish(None)?)
}

/// Redacts one text and renders it; a panic in the detector makes the
/// input invalid rather than ending the run.
/// `place` names the input for a message, which few inputs have.
fn redact_one(
    policy: &Policy,
    format: RedactFormat,
    style: RedactStyle,
    id: &str,
    text: &str,
    place: impl Fn() -> String,
) -> Done {
    let redaction = match run::guarded(|| redact_with(text, policy, style)) {
        Ok(r) => r,
        Err(e) => return invalid(format, id, &e, &place()),
    };
    let mut done = Done {
        // Sized once for the text, its id and its spans, not regrown.
        bytes: Vec::with_capacity(256 + 2 * text.len()),
        verdict: Some(primum_core::Verdict::Pass),
        ..Done::default()
    };
    render(format, id, text, &redaction, &mut done.bytes);
    done
}

fn render(format: RedactFormat, id: &str, original: &str, r: &Redaction, out: &mut Vec<u8>) {
    match format {
        RedactFormat::Text => out.extend_from_slice(r.text.as_bytes()),
        RedactFormat::Json => {
            let bytes: Vec<usize> = r.spans.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
            let pos = positions(original, &bytes);
            // As serde_json writes a `JsonRedaction` (the tests hold the
            // two to the same bytes), without serde's generic machinery.
            out.extend_from_slice(b"{\"id\":");
            json::string(out, id);
            out.extend_from_slice(b",\"text\":");
            json::string(out, &r.text);
            out.extend_from_slice(b",\"spans\":[");
            for (i, ((_, kind), p)) in r.spans.iter().zip(pos.chunks_exact(2)).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"start\":");
                json::number(out, p[0].char);
                out.extend_from_slice(b",\"end\":");
                json::number(out, p[1].char);
                out.extend_from_slice(b",\"kind\":");
                json::string(out, kind.as_str());
                out.push(b'}');
            }
            out.extend_from_slice(b"]}");
            out.push(b'\n');
        }
    }
}

fn invalid(format: RedactFormat, id: &str, error: &str, place: &str) -> Done {
    let mut done = Done {
        errors: vec![format!("{place}: {error}")],
        ..Done::default()
    };
    if format == RedactFormat::Json {
        serde_json::to_writer(&mut done.bytes, &JsonInvalid { id, error }).expect("an error serialises");
        done.bytes.push(b'\n');
    }
    done
}

fn redact_jsonl(
    policy: &Policy,
    format: RedactFormat,
    style: RedactStyle,
    path: &str,
    out: &mut Output,
) -> io::Result<()> {
    let name = input::label(path);
    let defaults = Defaults::default();
    run::each_jsonl_line(path, out, |line: Line<'_>| {
        let place = || format!("{name}: line {}", line.no);
        match input::parse_line(line, &defaults) {
            Ok(lp) => {
                let mut d = redact_one(policy, format, style, &lp.id, &lp.post.text, place);
                if format == RedactFormat::Text {
                    d.bytes.push(b'\n');
                }
                d
            }
            Err(bad) => invalid(format, &bad.id, &bad.error, &place()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redaction_is_written_as_serde_writes_it() {
        let policy = Policy::resolve(None, None).unwrap();
        for text in [
            "Pt \"John\" Smith, DOB 03/04/1950, é 🩺\tcall 0113 496 0000\r\nat 12 High St, Leeds \\ end",
            "nothing to redact here",
            "",
        ] {
            let r = redact_with(text, &policy, RedactStyle::Placeholder);
            let mut fast = Vec::new();
            render(RedactFormat::Json, "id \"1\"", text, &r, &mut fast);
            let bytes: Vec<usize> = r.spans.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
            let pos = positions(text, &bytes);
            let spans = r
                .spans
                .iter()
                .zip(pos.chunks_exact(2))
                .map(|((_, kind), p)| JsonSpan {
                    start: p[0].char,
                    end: p[1].char,
                    kind: kind.as_str(),
                })
                .collect();
            let mut serde = serde_json::to_vec(&JsonRedaction {
                id: "id \"1\"",
                text: &r.text,
                spans,
            })
            .unwrap();
            serde.push(b'\n');
            assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(serde).unwrap());
        }
    }
}
