//! What the engine returns: findings, fixes and the verdict.

use std::borrow::Cow;
use std::fmt;

use primum_text::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of an identifier (`privacy/patient-identifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Name,
    Date,
    Age,
    Phone,
    Fax,
    Email,
    Url,
    Ip,
    Address,
    Location,
    Id,
    Organization,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Name,
        Kind::Date,
        Kind::Age,
        Kind::Phone,
        Kind::Fax,
        Kind::Email,
        Kind::Url,
        Kind::Ip,
        Kind::Address,
        Kind::Location,
        Kind::Id,
        Kind::Organization,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "NAME",
            Kind::Date => "DATE",
            Kind::Age => "AGE",
            Kind::Phone => "PHONE",
            Kind::Fax => "FAX",
            Kind::Email => "EMAIL",
            Kind::Url => "URL",
            Kind::Ip => "IP",
            Kind::Address => "ADDRESS",
            Kind::Location => "LOCATION",
            Kind::Id => "ID",
            Kind::Organization => "ORGANIZATION",
            Kind::Other => "OTHER",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The placeholder that replaces an identifier of this kind.
    pub fn placeholder(self) -> String {
        format!("[{}]", self.as_str())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix can be applied without a person reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Meaning is kept and nothing is lost but what must go (redacting an
    /// identifier).
    Safe,
    /// Changes the meaning; offer it, never apply it unasked (a rewording).
    Unsafe,
    /// Shown to the user only.
    DisplayOnly,
}

/// One replacement in the post's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte span in the post's text.
    pub span: Span,
    pub replacement: String,
}

/// A fix: edits to the text with their applicability.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// One edit replacing `span` by `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>, applicability: Applicability) -> Fix {
        Fix {
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
            applicability,
        }
    }

    /// Deleting `span`.
    pub fn delete(span: Span, applicability: Applicability) -> Fix {
        Fix::replace(span, "", applicability)
    }
}

/// A finding's message or help: most are fixed sentences of a rule,
/// borrowed as they are; the rest (with a count, a word of the post) are
/// made for the finding. Borrowing saves an allocation and a copy for
/// each of the two in most findings, of which a batch has millions.
pub type Text = Cow<'static, str>;

/// One problem found in a post.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's stable id.
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong, in a short phrase: lower case, no final full stop.
    pub message: Text,
    /// Byte span in the post's text; `None` for findings about the post as
    /// a whole, an image or the account.
    pub span: Option<Span>,
    /// For identifier findings: the kind of identifier.
    pub kind: Option<Kind>,
    pub fix: Option<Fix>,
    /// How to put it right, in a sentence or two.
    pub help: Option<Text>,
    /// Further detail: what combined, which words, the measured value.
    pub notes: Vec<String>,
    /// Guideline clauses this finding cites (keys defined by the packs).
    pub references: Vec<Text>,
}

/// The verdict on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Review,
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Review => "review",
            Verdict::Block => "block",
        }
    }
}

/// The findings on one post.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Report {
    /// `block` if any error, `review` if any warning, else `pass`.
    pub fn verdict(&self) -> Verdict {
        match self.findings.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Verdict::Block,
            Some(Severity::Warning) => Verdict::Review,
            _ => Verdict::Pass,
        }
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.findings {
            match f.severity {
                Severity::Error => s.error += 1,
                Severity::Warning => s.warning += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// The highest severity, if any finding.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Applies the edits of the fixes with the given applicabilities to `text`.
/// Overlapping edits after the first are skipped. Applying the result's
/// fixes again changes nothing, because a fixed text no longer fires.
pub fn apply_fixes<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>, accept: &[Applicability]) -> String {
    let mut edits: Vec<&Edit> = fixes
        .into_iter()
        .filter(|f| accept.contains(&f.applicability))
        .flat_map(|f| f.edits.iter())
        .filter(|e| {
            e.span.end <= text.len() && text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end)
        })
        .collect();
    edits.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.span.start < at {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_edits_apply_once() {
        let a = Fix::replace(Span::new(0, 4), "[NAME]", Applicability::Safe);
        let b = Fix::replace(Span::new(2, 6), "X", Applicability::Safe);
        let c = Fix::replace(Span::new(7, 9), "Y", Applicability::Unsafe);
        assert_eq!(
            apply_fixes("John Smith", [&a, &b, &c], &[Applicability::Safe]),
            "[NAME] Smith"
        );
    }

    #[test]
    fn verdicts() {
        let mut r = Report::default();
        assert_eq!(r.verdict(), Verdict::Pass);
        r.findings.push(Finding {
            rule: "spam/shouting",
            severity: Severity::Warning,
            message: "x".into(),
            span: None,
            kind: None,
            fix: None,
            help: None,
            notes: vec![],
            references: vec![],
        });
        assert_eq!(r.verdict(), Verdict::Review);
    }
}
