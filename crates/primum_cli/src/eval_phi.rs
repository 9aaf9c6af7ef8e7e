//! `primum eval phi`: scores `primum redact` on identifier corpora (JSONL
//! of `{"id", "text", "spans": [{"start", "end", "label"}]}`, offsets in
//! Unicode scalar values, as in `../shared/data/phi/`), computing the same
//! figures as the peers' runner `../shared/peers/phi_peers.py`, so that
//! primum and the peers can be put side by side:
//!
//! - matching is label-agnostic (a redaction is a redaction): *exact* when
//!   a prediction and a gold span have the same range, *overlap* when they
//!   share a character;
//! - recall of a label: its gold spans matched by any prediction; precision
//!   of a label: the predictions of that kind that match any gold span;
//! - character recall and precision over non-space characters, token recall
//!   over the gold spans' non-space runs;
//! - gold spans with a don't-care label (`OTHER` by default) are removed,
//!   predictions that overlap only such spans are dropped, and their
//!   characters are ignored.
//!
//! It also times the redaction pass (all cores, after the corpus is read
//! and a warm-up on its first documents).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, anyhow};
use primum_core::Policy;
use primum_core::phi::redact;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cli::{EvalPhiArgs, TableFormat};
use crate::input;
use crate::offsets::positions;
use crate::run::{self, EXIT_FAILURE, EXIT_FINDINGS};

/// The labels of the corpora, in the peers' order.
const LABELS: [&str; 13] = [
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "URL",
    "IP",
    "ADDRESS",
    "LOCATION",
    "ID",
    "ORGANIZATION",
    "OTHER",
];

#[derive(Deserialize)]
struct RawDoc {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    spans: Vec<RawSpan>,
}

#[derive(Deserialize)]
struct RawSpan {
    start: usize,
    end: usize,
    label: String,
}

/// One labelled document, offsets in characters.
struct Doc {
    text: String,
    gold: Vec<(usize, usize, String)>,
}

/// Documents redacted before the timed run.
const WARMUP: usize = 300;

/// A prediction: character range and label.
type Pred = (usize, usize, &'static str);

/// Precision, recall, F1 and F2 of one way of matching.
#[derive(Debug, Default, Serialize)]
pub struct Prf {
    #[serde(rename = "P")]
    pub p: Option<f64>,
    #[serde(rename = "R")]
    pub r: Option<f64>,
    #[serde(rename = "F1")]
    pub f1: Option<f64>,
    #[serde(rename = "F2")]
    pub f2: Option<f64>,
}

/// The figures for one label, or for all.
#[derive(Debug, Default, Serialize)]
pub struct Row {
    pub gold: usize,
    pub pred: Option<usize>,
    pub exact: Prf,
    pub overlap: Prf,
    pub char_recall: Option<f64>,
    pub token_recall: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub char_precision: Option<f64>,
}

/// The scores of one corpus.
#[derive(Debug, Serialize)]
pub struct PhiScores {
    pub corpus: String,
    pub docs: usize,
    pub mb: f64,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub overall: Row,
    pub labels: BTreeMap<String, Row>,
}

fn fbeta(p: Option<f64>, r: Option<f64>, b: f64) -> Option<f64> {
    let (p, r) = (p?, r?);
    if p + r == 0.0 {
        return Some(0.0);
    }
    Some((1.0 + b * b) * p * r / (b * b * p + r))
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn prf(p: Option<f64>, r: Option<f64>) -> Prf {
    Prf {
        p,
        r,
        f1: fbeta(p, r, 1.0),
        f2: fbeta(p, r, 2.0),
    }
}

/// Counts per label, summed over documents.
#[derive(Default)]
struct Counts {
    g_tot: BTreeMap<String, usize>,
    g_ex: BTreeMap<String, usize>,
    g_ov: BTreeMap<String, usize>,
    p_tot: BTreeMap<String, usize>,
    p_ex: BTreeMap<String, usize>,
    p_ov: BTreeMap<String, usize>,
    gch: BTreeMap<String, usize>,
    gch_hit: BTreeMap<String, usize>,
    tok: BTreeMap<String, usize>,
    tok_hit: BTreeMap<String, usize>,
    pch: usize,
    pch_hit: usize,
}

fn bump(m: &mut BTreeMap<String, usize>, k: &str, n: usize) {
    *m.entry(k.to_string()).or_default() += n;
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl Counts {
    fn add(&mut self, doc: &Doc, preds: &[Pred], dont_care: &HashSet<String>) {
        let chars: Vec<char> = doc.text.chars().collect();
        let gold: Vec<(usize, usize, &str)> = doc
            .gold
            .iter()
            .filter(|(_, _, l)| !dont_care.contains(l))
            .map(|(s, e, l)| (*s, *e, l.as_str()))
            .collect();
        let dc: Vec<(usize, usize)> = doc
            .gold
            .iter()
            .filter(|(_, _, l)| dont_care.contains(l))
            .map(|(s, e, _)| (*s, *e))
            .collect();
        let preds: Vec<Pred> = preds
            .iter()
            .copied()
            .filter(|&(s, e, _)| e > s)
            .filter(|&(s, e, _)| {
                gold.iter().any(|&(gs, ge, _)| overlaps((s, e), (gs, ge))) || !dc.iter().any(|&d| overlaps((s, e), d))
            })
            .collect();
        let exact_p: HashSet<(usize, usize)> = preds.iter().map(|&(s, e, _)| (s, e)).collect();
        let exact_g: HashSet<(usize, usize)> = gold.iter().map(|&(s, e, _)| (s, e)).collect();
        let dc_chars: HashSet<usize> = dc.iter().flat_map(|&(s, e)| s..e).collect();
        let space = |i: usize| chars.get(i).is_none_or(|c| c.is_whitespace());
        let pcov: HashSet<usize> = preds
            .iter()
            .flat_map(|&(s, e, _)| s..e)
            .filter(|&i| !space(i) && !dc_chars.contains(&i))
            .collect();
        let mut gcov: HashSet<usize> = HashSet::new();
        for &(s, e, l) in &gold {
            bump(&mut self.g_tot, l, 1);
            if exact_p.contains(&(s, e)) {
                bump(&mut self.g_ex, l, 1);
            }
            if preds.iter().any(|&(ps, pe, _)| overlaps((s, e), (ps, pe))) {
                bump(&mut self.g_ov, l, 1);
            }
            let idx: Vec<usize> = (s..e).filter(|&i| !space(i)).collect();
            bump(&mut self.gch, l, idx.len());
            bump(&mut self.gch_hit, l, idx.iter().filter(|i| pcov.contains(i)).count());
            gcov.extend(idx);
            // Tokens: the non-space runs inside the gold span.
            let mut i = s;
            while i < e {
                if space(i) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < e && !space(i) {
                    i += 1;
                }
                bump(&mut self.tok, l, 1);
                if (start..i).all(|k| pcov.contains(&k)) {
                    bump(&mut self.tok_hit, l, 1);
                }
            }
        }
        for &(s, e, l) in &preds {
            bump(&mut self.p_tot, l, 1);
            if exact_g.contains(&(s, e)) {
                bump(&mut self.p_ex, l, 1);
            }
            if gold.iter().any(|&(gs, ge, _)| overlaps((s, e), (gs, ge))) {
                bump(&mut self.p_ov, l, 1);
            }
        }
        self.pch += pcov.len();
        self.pch_hit += pcov.intersection(&gcov).count();
    }

    fn row(&self, gl: &[&str], pl: &[&str]) -> Row {
        let sum = |m: &BTreeMap<String, usize>, ls: &[&str]| ls.iter().map(|l| m.get(*l).copied().unwrap_or(0)).sum();
        let g: usize = sum(&self.g_tot, gl);
        let p: usize = sum(&self.p_tot, pl);
        let has_p = !pl.is_empty();
        let p_of = |m: &BTreeMap<String, usize>| if has_p { ratio(sum(m, pl), p) } else { None };
        Row {
            gold: g,
            pred: has_p.then_some(p),
            exact: prf(p_of(&self.p_ex), ratio(sum(&self.g_ex, gl), g)),
            overlap: prf(p_of(&self.p_ov), ratio(sum(&self.g_ov, gl), g)),
            char_recall: ratio(sum(&self.gch_hit, gl), sum(&self.gch, gl)),
            token_recall: ratio(sum(&self.tok_hit, gl), sum(&self.tok, gl)),
            char_precision: None,
        }
    }
}

/// Reads a corpus; lines that are not labelled documents are reported.
fn read_corpus(path: &str, errors: &mut Vec<String>) -> Result<Vec<Doc>> {
    let name = input::label(path);
    let bytes = input::read_bytes(path).map_err(|e| anyhow!("{name}: {e}"))?;
    let text = input::text_of(bytes).map_err(|e| anyhow!("{name}: {e}"))?;
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let raw: RawDoc = match serde_json::from_str(line) {
            Ok(d) => d,
            Err(e) => {
                errors.push(format!("{name}: line {}: not a labelled document: {e}", n + 1));
                continue;
            }
        };
        let len = raw.text.chars().count();
        let bad = raw.spans.iter().find(|s| s.start > s.end || s.end > len);
        if let Some(s) = bad {
            let id = raw.id.map(|v| v.to_string()).unwrap_or_default();
            errors.push(format!(
                "{name}: line {} {id}: span {}..{} is outside the text ({len} characters)",
                n + 1,
                s.start,
                s.end
            ));
            continue;
        }
        docs.push(Doc {
            text: raw.text,
            gold: raw.spans.into_iter().map(|s| (s.start, s.end, s.label)).collect(),
        });
    }
    Ok(docs)
}

/// Redacts every document (in parallel) and returns the predictions in
/// character offsets.
fn predict(docs: &[Doc], policy: &Policy) -> Vec<Vec<Pred>> {
    docs.par_iter()
        .map(|d| {
            let r = redact(&d.text, policy);
            let bytes: Vec<usize> = r.spans.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
            let pos = positions(&d.text, &bytes);
            r.spans
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| (pos[2 * i].char, pos[2 * i + 1].char, kind.as_str()))
                .collect()
        })
        .collect()
}

/// Scores one corpus.
pub fn score_corpus(
    path: &str,
    policy: &Policy,
    dont_care: &HashSet<String>,
    errors: &mut Vec<String>,
) -> Result<PhiScores> {
    let docs = read_corpus(path, errors)?;
    // Warm up on the first documents, untimed, as the peers' runner does
    // (lexicons and automata are built on first use).
    predict(&docs[..docs.len().min(WARMUP)], policy);
    let start = Instant::now();
    let preds = predict(&docs, policy);
    let seconds = start.elapsed().as_secs_f64();
    let mut c = Counts::default();
    for (d, p) in docs.iter().zip(&preds) {
        c.add(d, p, dont_care);
    }
    let all_g: Vec<&str> = c.g_tot.keys().map(String::as_str).collect();
    let all_p: Vec<&str> = c.p_tot.keys().map(String::as_str).collect();
    let mut overall = c.row(&all_g, &all_p);
    overall.char_precision = ratio(c.pch_hit, c.pch);
    let mut labels = BTreeMap::new();
    let extra: Vec<&str> = c
        .p_tot
        .keys()
        .map(String::as_str)
        .filter(|l| !LABELS.contains(l))
        .collect();
    for l in LABELS.iter().copied().chain(extra) {
        let g = c.g_tot.get(l).copied().unwrap_or(0);
        let p = c.p_tot.get(l).copied().unwrap_or(0);
        if g > 0 || p > 0 {
            let gl: &[&str] = if g > 0 { &[l] } else { &[] };
            let pl: &[&str] = if p > 0 { &[l] } else { &[] };
            labels.insert(l.to_string(), c.row(gl, pl));
        }
    }
    let mb = docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    Ok(PhiScores {
        corpus: input::label(path).to_string(),
        docs: docs.len(),
        mb,
        seconds,
        mb_per_s: if seconds > 0.0 { mb / seconds } else { 0.0 },
        overall,
        labels,
    })
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.3}"))
}

fn human(s: &PhiScores) -> String {
    let mut out = String::new();
    let o = &s.overall;
    out.push_str(&format!(
        "{}: {} documents, {:.3} MB, redacted in {:.3} s ({:.2} MB/s on all cores)\n",
        s.corpus, s.docs, s.mb, s.seconds, s.mb_per_s
    ));
    out.push_str(&format!(
        "  overall: overlap P/R/F2 {}/{}/{}  exact P/R/F2 {}/{}/{}  char recall {}  char precision {}  token recall {}\n",
        fmt(o.overlap.p),
        fmt(o.overlap.r),
        fmt(o.overlap.f2),
        fmt(o.exact.p),
        fmt(o.exact.r),
        fmt(o.exact.f2),
        fmt(o.char_recall),
        fmt(o.char_precision),
        fmt(o.token_recall)
    ));
    out.push_str(&format!(
        "  {:<13} {:>5} {:>5}  {:>21}  {:>21}  {:>6}\n",
        "label", "gold", "pred", "overlap P / R / F2", "exact P / R / F2", "chars"
    ));
    for (l, r) in &s.labels {
        out.push_str(&format!(
            "  {:<13} {:>5} {:>5}  {:>6} {:>6} {:>7}  {:>6} {:>6} {:>7}  {:>6}\n",
            l,
            r.gold,
            r.pred.map_or("–".to_string(), |p| p.to_string()),
            fmt(r.overlap.p),
            fmt(r.overlap.r),
            fmt(r.overlap.f2),
            fmt(r.exact.p),
            fmt(r.exact.r),
            fmt(r.exact.f2),
            fmt(r.char_recall)
        ));
    }
    out
}

pub fn run(args: EvalPhiArgs) -> Result<ExitCode> {
    let policy = run::load_policy(&args.policy)?;
    let dont_care: HashSet<String> = args.dont_care.iter().map(|l| l.to_ascii_uppercase()).collect();
    let mut errors = Vec::new();
    let mut all = Vec::new();
    for path in &args.files {
        match score_corpus(path, &policy, &dont_care, &mut errors) {
            Ok(s) => all.push(s),
            Err(e) => errors.push(e.to_string()),
        }
    }
    for e in &errors {
        eprintln!("{e}");
    }
    let text = match args.format {
        TableFormat::Json => format!("{}\n", serde_json::to_string(&all)?),
        TableFormat::Human => all.iter().map(human).collect::<Vec<_>>().join("\n"),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    if !errors.is_empty() {
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let below = args.min_f2.and_then(|min| {
        all.iter()
            .find(|s| s.overall.overlap.f2.is_some_and(|f| f < min))
            .map(|s| (min, s))
    });
    if let Some((min, s)) = below {
        eprintln!(
            "primum: {}: overlap F2 {} is below --min-f2 {min:.3}",
            s.corpus,
            fmt(s.overall.overlap.f2)
        );
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, gold: &[(usize, usize, &str)]) -> Doc {
        Doc {
            text: text.to_string(),
            gold: gold.iter().map(|&(s, e, l)| (s, e, l.to_string())).collect(),
        }
    }

    fn dc() -> HashSet<String> {
        ["OTHER".to_string()].into_iter().collect()
    }

    #[test]
    fn exact_and_overlap_matching() {
        // "John Smith rang 0161 496 0000"
        let d = doc("John Smith rang 0161 496 0000", &[(0, 10, "NAME"), (16, 29, "PHONE")]);
        let mut c = Counts::default();
        c.add(&d, &[(0, 4, "NAME"), (16, 29, "PHONE"), (11, 15, "NAME")], &dc());
        let all = c.row(&["NAME", "PHONE"], &["NAME", "PHONE"]);
        assert_eq!(all.gold, 2);
        assert_eq!(all.pred, Some(3));
        assert_eq!(all.exact.r, Some(0.5));
        assert_eq!(all.overlap.r, Some(1.0));
        assert_eq!(all.overlap.p, Some(2.0 / 3.0));
        // "John" of "John Smith": 4 of 9 non-space characters; one of two tokens.
        let name = c.row(&["NAME"], &["NAME"]);
        assert_eq!(name.char_recall, Some(4.0 / 9.0));
        assert_eq!(name.token_recall, Some(0.5));
    }

    #[test]
    fn dont_care_spans_are_neither_hits_nor_false_alarms() {
        let d = doc("Dr Jones saw Acme", &[(0, 2, "OTHER"), (3, 8, "NAME")]);
        let mut c = Counts::default();
        // "Dr" overlaps only a don't-care span: dropped. "Acme": a false alarm.
        c.add(&d, &[(0, 2, "NAME"), (3, 8, "NAME"), (13, 17, "ORGANIZATION")], &dc());
        let all = c.row(&["NAME"], &["NAME", "ORGANIZATION"]);
        assert_eq!(all.gold, 1);
        assert_eq!(all.pred, Some(2));
        assert_eq!(all.overlap.p, Some(0.5));
        assert_eq!(c.pch, 9);
        assert_eq!(c.pch_hit, 5);
    }

    #[test]
    fn f_scores() {
        assert_eq!(fbeta(Some(1.0), Some(1.0), 2.0), Some(1.0));
        assert_eq!(fbeta(Some(0.0), Some(0.0), 2.0), Some(0.0));
        let f2 = fbeta(Some(0.5), Some(1.0), 2.0).unwrap();
        assert!((f2 - 5.0 * 0.5 / (4.0 * 0.5 + 1.0)).abs() < 1e-12);
        assert_eq!(fbeta(None, Some(1.0), 2.0), None);
    }
}
