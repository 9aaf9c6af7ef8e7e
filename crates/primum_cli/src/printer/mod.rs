//! Printers: one trait, one implementation per output format (human, JSON,
//! SARIF).
//!
//! A printer renders one item (a post's report, or an input that could not
//! be read) into a byte buffer. Rendering takes `&self` so that batches
//! render on the worker threads, in parallel; the caller writes the
//! buffers out in input order. `begin` and `end` frame the whole run.

mod human;
pub mod json;
mod sarif;

use clap::ValueEnum;
use primum_core::{Finding, Report, Verdict};

use crate::offsets::{Pos, positions};
pub use human::Human;
pub use json::{Json, JsonFinding, SCHEMA as REPORT_SCHEMA, json_findings};
pub use sarif::Sarif;

/// An output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics for people.
    Human,
    /// One `primum.report.v1` object per post, one per line.
    Json,
    /// One SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

/// One thing to print.
pub struct Item<'a> {
    /// The report's id: the file's path, `-` for stdin, or the JSONL id.
    pub id: &'a str,
    /// What the human output calls it (`<stdin>` for `-`).
    pub name: &'a str,
    /// The post's text (empty for an invalid input).
    pub text: &'a str,
    pub outcome: Outcome<'a>,
}

pub enum Outcome<'a> {
    Report(&'a Report),
    /// The input could not be checked; the message says why.
    Invalid(&'a str),
}

/// What the whole run came to, for the printers' closing words.
#[derive(Debug, Default)]
pub struct RunSummary {
    pub block: usize,
    pub review: usize,
    pub pass: usize,
    pub invalid: usize,
    /// Every message printed on stderr, in order.
    pub errors: Vec<String>,
}

impl RunSummary {
    pub fn posts(&self) -> usize {
        self.block + self.review + self.pass + self.invalid
    }

    pub fn count(&mut self, verdict: Option<Verdict>) {
        match verdict {
            Some(Verdict::Block) => self.block += 1,
            Some(Verdict::Review) => self.review += 1,
            Some(Verdict::Pass) => self.pass += 1,
            None => self.invalid += 1,
        }
    }
}

pub trait Printer: Sync {
    /// Written once before the first item.
    fn begin(&self, _out: &mut Vec<u8>) {}

    /// Renders one item.
    fn item(&self, item: &Item<'_>, out: &mut Vec<u8>);

    /// Written between two non-empty items.
    fn separator(&self) -> &'static [u8] {
        b""
    }

    /// Written once after the last item.
    fn end(&self, _summary: &RunSummary, _out: &mut Vec<u8>) {}
}

/// The byte offsets of `report`'s findings in the order [`locate`] takes
/// them: each finding's span's start and end, then its edits' (the list
/// sized once, not grown pair by pair).
pub fn span_offsets(report: &Report) -> Vec<usize> {
    let edits: usize = report
        .findings
        .iter()
        .map(|f| f.fix.as_ref().map_or(0, |x| x.edits.len()))
        .sum();
    let mut bytes = Vec::with_capacity(2 * (report.findings.len() + edits));
    for f in &report.findings {
        if let Some(s) = f.span {
            bytes.extend([s.start, s.end]);
        }
        for e in f.fix.iter().flat_map(|x| &x.edits) {
            bytes.extend([e.span.start, e.span.end]);
        }
    }
    bytes
}

/// A finding with its positions: the span's start and end, and the start
/// and end of each of its fix's edits.
pub struct Located<'a> {
    pub finding: &'a Finding,
    pub span: Option<(Pos, Pos)>,
    /// Start and end of each edit, in the fix's order.
    pub edits: Vec<(Pos, Pos)>,
}

/// Every finding of `report` with its positions in `text`, computed in one
/// pass over the text.
pub fn locate<'a>(text: &str, report: &'a Report) -> Vec<Located<'a>> {
    let pos = positions(text, &span_offsets(report));
    let mut at = pos.chunks_exact(2).map(|p| (p[0], p[1]));
    report
        .findings
        .iter()
        .map(|f| Located {
            finding: f,
            span: f.span.and_then(|_| at.next()),
            edits: f.fix.iter().flat_map(|x| &x.edits).filter_map(|_| at.next()).collect(),
        })
        .collect()
}

/// Whether the contract lets a finding carry a `kind`.
pub fn reports_kind(rule: &str) -> bool {
    matches!(rule, "privacy/patient-identifier" | "privacy/image-text")
}
