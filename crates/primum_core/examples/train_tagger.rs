//! Trains the statistical name tagger (`primum_core::phi::tagger`) and
//! writes `crates/primum_core/models/tagger.bin`.
//!
//! ```text
//! cargo run --release -p primum_core --example train_tagger [-- DATA_DIR]
//! ```
//!
//! DATA_DIR defaults to `../shared/data/phi/train` from the workspace root.
//! It trains ONLY on `btc_train.jsonl` and `wnut17_train.jsonl` (CC BY 4.0)
//! and chooses the number of epochs, the name bias and the quantisation
//! scale on `btc_dev.jsonl` and `wnut17_dev.jsonl` (the mean of their
//! any-overlap F2, scored like `primum eval phi`: label-agnostic, OTHER is
//! don't-care, with the rule-based detector's identifiers included). The
//! test files are never read. The run is deterministic: a fixed shuffle
//! seed, one thread.

use std::path::{Path, PathBuf};

use primum_core::phi::tagger::{self, Features, Model, O, TAGS};
use primum_core::phi::words::Cues;
use primum_core::phi::{self, Identifier};
use primum_text::{Analysis, TokenKind};
use serde::Deserialize;

/// log2 of the number of feature buckets: 2^18 x 7 one-byte weights = 1.8 MB.
const BITS: u32 = 18;
const MAX_EPOCHS: usize = 12;
const SEED: u64 = 0x5eed_1234_abcd_0001;

#[derive(Deserialize)]
struct RawDoc {
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

/// A document ready for training: its features, gold tags and gold spans
/// (bytes; `care` false for don't-care spans), and the rule-based
/// detector's spans (for scoring the combination on dev).
struct Doc {
    f: Features,
    gold: Vec<u8>,
    spans: Vec<(usize, usize, bool)>,
    rules: Vec<(usize, usize)>,
    tokens: Vec<(usize, usize)>,
}

fn kind_index(label: &str) -> Option<usize> {
    match label {
        "NAME" => Some(0),
        "LOCATION" => Some(1),
        "ORGANIZATION" => Some(2),
        _ => None,
    }
}

fn load(path: &Path, with_rules: bool) -> Vec<Doc> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let d: RawDoc = serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            prepare(&d, with_rules)
        })
        .collect()
}

fn prepare(d: &RawDoc, with_rules: bool) -> Doc {
    let t = d.text.as_str();
    // Character offsets to bytes.
    let mut byte_of: Vec<usize> = t.char_indices().map(|(b, _)| b).collect();
    byte_of.push(t.len());
    let spans: Vec<(usize, usize, bool, Option<usize>)> = d
        .spans
        .iter()
        .map(|s| {
            let (a, b) = (
                byte_of[s.start.min(byte_of.len() - 1)],
                byte_of[s.end.min(byte_of.len() - 1)],
            );
            (a, b, s.label != "OTHER", kind_index(&s.label))
        })
        .collect();
    let a = Analysis::new(t);
    let cues = Cues::new(&a);
    let f = tagger::features(&a, &cues, BITS);
    let mut gold = vec![O as u8; a.tokens.len()];
    let mut prev_span = usize::MAX;
    for (i, tok) in a.tokens.iter().enumerate() {
        let hit = spans
            .iter()
            .enumerate()
            .find(|(_, s)| s.0 < tok.span.end && tok.span.start < s.1 && s.3.is_some());
        match hit {
            Some((si, s)) if f.cand[i] && tok.kind != TokenKind::Mention => {
                let k = s.3.unwrap_or(0);
                let inside = prev_span == si && i > 0 && gold[i - 1] != O as u8;
                gold[i] = if inside { tagger::begin(k) + 1 } else { tagger::begin(k) } as u8;
                prev_span = si;
            }
            _ => prev_span = usize::MAX,
        }
    }
    let rules = if with_rules {
        phi::detect(&a)
            .into_iter()
            .filter(|id: &Identifier| id.reason != tagger::REASON && !phi::is_public_org(&a, id))
            .map(|id| (id.span.start, id.span.end))
            .collect()
    } else {
        Vec::new()
    };
    Doc {
        f,
        gold,
        spans: spans.iter().map(|s| (s.0, s.1, s.2)).collect(),
        rules,
        tokens: a.tokens.iter().map(|t| (t.span.start, t.span.end)).collect(),
    }
}

/// Float weights with the sums for averaging.
struct Weights {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: [f32; TAGS * TAGS],
    tu: [f32; TAGS * TAGS],
    c: f32,
}

impl Weights {
    fn new() -> Weights {
        let n = (1usize << BITS) * TAGS;
        Weights {
            w: vec![0.0; n],
            u: vec![0.0; n],
            tw: [0.0; TAGS * TAGS],
            tu: [0.0; TAGS * TAGS],
            c: 1.0,
        }
    }

    fn decode(&self, w: &[f32], tw: &[f32; TAGS * TAGS], f: &Features, bias: f32) -> Vec<u8> {
        tagger::decode_with(
            f,
            tw,
            |row, s| {
                for (x, y) in s.iter_mut().zip(&w[row..row + TAGS]) {
                    *x += *y;
                }
            },
            bias,
        )
    }

    fn margin(&self, w: &[f32], f: &Features, k: usize, tag: usize) -> f32 {
        f.rows_of(k)
            .iter()
            .map(|&row| {
                let row = row as usize;
                w[row + tag] - w[row + O]
            })
            .sum()
    }

    fn update_emit(&mut self, f: &Features, k: usize, tag: usize, d: f32) {
        for &row in f.rows_of(k) {
            let i = row as usize + tag;
            self.w[i] += d;
            self.u[i] += self.c * d;
        }
    }

    fn update_trans(&mut self, seq: &[u8], d: f32) {
        let mut p = O;
        for &t in seq.iter().chain(std::iter::once(&(O as u8))) {
            let t = t as usize;
            if !(p == O && t == O) {
                self.tw[p * TAGS + t] += d;
                self.tu[p * TAGS + t] += self.c * d;
            }
            p = t;
        }
    }

    fn train(&mut self, d: &Doc) {
        let pred = self.decode(&self.w, &self.tw, &d.f, 0.0);
        if pred != d.gold {
            for (k, (&g, &p)) in d.gold.iter().zip(&pred).enumerate() {
                if p != g {
                    self.update_emit(&d.f, k, g as usize, 1.0);
                    self.update_emit(&d.f, k, p as usize, -1.0);
                }
            }
            self.update_trans(&d.gold, 1.0);
            self.update_trans(&pred, -1.0);
        }
        self.c += 1.0;
    }

    fn averaged(&self) -> (Vec<f32>, [f32; TAGS * TAGS]) {
        let w = self.w.iter().zip(&self.u).map(|(w, u)| w - u / self.c).collect();
        let mut tw = [0.0; TAGS * TAGS];
        for (k, t) in tw.iter_mut().enumerate() {
            *t = self.tw[k] - self.tu[k] / self.c;
        }
        (w, tw)
    }
}

/// Any-overlap precision, recall and F2 of rules + tagger on `docs`, as
/// `primum eval phi` counts them.
fn score(docs: &[Doc], predict: impl Fn(&Doc) -> (Vec<u8>, Vec<(usize, usize, usize)>)) -> (f64, f64, f64) {
    let (mut tp_pred, mut n_pred, mut tp_gold, mut n_gold) = (0usize, 0usize, 0usize, 0usize);
    for d in docs {
        let (_, spans) = predict(d);
        let mut preds: Vec<(usize, usize)> = d.rules.clone();
        for (s, e, _) in spans {
            let sp = (d.tokens[s].0, d.tokens[e].1);
            if !preds.iter().any(|r| r.0 < sp.1 && sp.0 < r.1) {
                preds.push(sp);
            }
        }
        let ov = |p: &(usize, usize), g: &(usize, usize, bool)| p.0 < g.1 && g.0 < p.1;
        for p in &preds {
            let care = d.spans.iter().any(|g| g.2 && ov(p, g));
            let dont = d.spans.iter().any(|g| !g.2 && ov(p, g));
            if care {
                tp_pred += 1;
                n_pred += 1;
            } else if !dont {
                n_pred += 1;
            }
        }
        for g in d.spans.iter().filter(|g| g.2) {
            n_gold += 1;
            if preds.iter().any(|p| ov(p, g)) {
                tp_gold += 1;
            }
        }
    }
    let p = tp_pred as f64 / n_pred.max(1) as f64;
    let r = tp_gold as f64 / n_gold.max(1) as f64;
    let f2 = if p + r == 0.0 { 0.0 } else { 5.0 * p * r / (4.0 * p + r) };
    (p, r, f2)
}

/// The best setting so far: mean dev F2, epoch, bias, averaged emission
/// and transition weights.
type Best = (f64, usize, f32, Vec<f32>, [f32; TAGS * TAGS]);

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = std::env::args()
        .nth(1)
        .map_or_else(|| root.join("../shared/data/phi/train"), PathBuf::from);
    if !data.join("btc_train.jsonl").exists() {
        eprintln!("train_tagger: no training data at {} (pass its folder)", data.display());
        std::process::exit(2);
    }
    let mut train = load(&data.join("btc_train.jsonl"), false);
    train.extend(load(&data.join("wnut17_train.jsonl"), false));
    let devs = [
        ("btc_dev", load(&data.join("btc_dev.jsonl"), true)),
        ("wnut17_dev", load(&data.join("wnut17_dev.jsonl"), true)),
    ];
    eprintln!("{} training documents", train.len());
    let rules_only: Vec<(f64, f64, f64)> = devs
        .iter()
        .map(|(_, d)| score(d, |_| (Vec::new(), Vec::new())))
        .collect();
    eprintln!("rules only: {rules_only:.3?}");

    let biases = [0.0f32, 2.0, 4.0, 6.0, 8.0, 11.0, 15.0, 20.0];
    let mut w = Weights::new();
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = SEED;
    // Best (mean dev F2, epoch, bias, averaged weights).
    let mut best: Option<Best> = None;
    for epoch in 1..=MAX_EPOCHS {
        // Fisher-Yates with xorshift64: the same order on every machine.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            w.train(&train[k]);
        }
        let (aw, atw) = w.averaged();
        for &bias in &biases {
            let s: Vec<(f64, f64, f64)> = devs
                .iter()
                .map(|(_, d)| {
                    score(d, |d| {
                        let tags = w.decode(&aw, &atw, &d.f, bias);
                        let spans = tagger::name_spans(&d.f, &tags, |k, t| w.margin(&aw, &d.f, k, t), bias);
                        (tags, spans)
                    })
                })
                .collect();
            let mean = s.iter().map(|x| x.2).sum::<f64>() / s.len() as f64;
            eprintln!(
                "epoch {epoch:2} bias {bias:4.1}: btc_dev {:.3?} wnut17_dev {:.3?} mean F2 {mean:.4}",
                s[0], s[1]
            );
            if best.as_ref().is_none_or(|b| mean > b.0) {
                best = Some((mean, epoch, bias, aw.clone(), atw));
            }
        }
    }
    let Some((mean, epoch, bias, aw, atw)) = best else {
        return;
    };
    eprintln!("chosen: epoch {epoch}, bias {bias}, mean dev F2 {mean:.4}");

    // Quantise: the weight at a high quantile of |w| maps to 127, larger
    // ones are clipped; the quantile is chosen on dev.
    let mut mags: Vec<f32> = aw.iter().map(|x| x.abs()).filter(|&x| x > 0.0).collect();
    mags.sort_by(f32::total_cmp);
    // (mean F2, mean precision, description, bytes) of every setting.
    let mut tried: Vec<(f64, f64, String, Vec<u8>)> = Vec::new();
    for q in [0.99, 0.995, 0.998, 0.999, 0.9995, 0.9999] {
        let top = mags[((mags.len() - 1) as f64 * q) as usize].max(1e-6);
        let scale = 127.0 / top;
        let emit: Vec<u8> = aw
            .iter()
            .map(|x| ((x * scale).round().clamp(-127.0, 127.0) as i8) as u8)
            .collect();
        let mut trans = [0i32; TAGS * TAGS];
        for (t, a) in trans.iter_mut().zip(&atw) {
            *t = (a * scale).round() as i32;
        }
        for b in [0.5f32, 0.75, 1.0, 1.25, 1.5, 2.0] {
            let model = Model {
                bits: BITS,
                emit: &emit,
                trans,
                bias: (bias * b * scale).round() as i32,
            };
            let s: Vec<(f64, f64, f64)> = devs
                .iter()
                .map(|(_, d)| {
                    score(d, |d| {
                        let tags = model.decode(&d.f);
                        let spans = tagger::name_spans(&d.f, &tags, |k, t| model.margin(&d.f, k, t), model.bias);
                        (tags, spans)
                    })
                })
                .collect();
            let m = s.iter().map(|x| x.2).sum::<f64>() / s.len() as f64;
            eprintln!(
                "quantile {q} bias {}: btc_dev {:.3?} wnut17_dev {:.3?} mean F2 {m:.4}",
                model.bias, s[0], s[1]
            );
            let mp = s.iter().map(|x| x.0).sum::<f64>() / s.len() as f64;
            tried.push((m, mp, format!("quantile {q} bias {}", model.bias), model.write()));
        }
    }
    // The best mean F2; among settings within 0.003 of it, the most precise
    // (F2 weighs recall four times: near-ties should not cost precision).
    let top = tried.iter().map(|t| t.0).fold(0.0, f64::max);
    let Some((m, p, what, bytes)) = tried
        .into_iter()
        .filter(|t| t.0 >= top - 0.003)
        .max_by(|x, y| x.1.total_cmp(&y.1))
    else {
        return;
    };
    eprintln!("chosen: {what}, mean dev F2 {m:.4}, mean dev precision {p:.3}");
    let out = root.join("crates/primum_core/models/tagger.bin");
    std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
}
