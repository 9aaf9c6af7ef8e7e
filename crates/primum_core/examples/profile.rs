//! Developer tool: where the engine's time goes. Runs each rule alone over
//! a corpus (default `../shared/data/posts/dev.jsonl`) many times and prints
//! the mean time per post, slowest first. Shared signals are computed by
//! whichever rule asks first, so each line includes what that rule needs.
//! With `PRIMUM_PROFILE_MARGINAL=1`, each rule's marginal cost instead.
//! `cargo run --release -p primum_core --example profile [FILE]`

use std::time::Instant;

use primum_core::engine::check_only;
use primum_core::{DateTime, Policy, RULES};

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| corpus::DEV.to_string());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {path} is not present");
        return;
    };
    let posts = corpus::posts(&text);
    let policy = Policy::core();
    let now = DateTime::parse("2026-11-26T12:00:00Z");
    // PRIMUM_PROFILE_ALL=1: one pass of all rules only, for instruction
    // counts under `valgrind --tool=callgrind`, which are repeatable on a
    // busy machine where times are not.
    if let Some(passes) = std::env::var("PRIMUM_PROFILE_ALL")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..passes {
            for p in &posts {
                std::hint::black_box(check_only(p, &policy, now, RULES));
            }
        }
        return;
    }
    let reps = 20;
    let time = |only: &[&'static primum_core::Rule]| {
        for p in &posts {
            check_only(p, &policy, now, only);
        }
        let t = Instant::now();
        for _ in 0..reps {
            for p in &posts {
                std::hint::black_box(check_only(p, &policy, now, only));
            }
        }
        t.elapsed().as_secs_f64() * 1e6 / (reps * posts.len()) as f64
    };
    // Warm up past the point where the shared lexicon automaton becomes a
    // DFA (2048 scans), so that no timing below includes building it.
    for _ in 0..(4096 / posts.len().max(1) + 1) {
        for p in &posts {
            std::hint::black_box(check_only(p, &policy, now, RULES));
        }
    }
    let base = time(&[]);
    // PRIMUM_PROFILE_MARGINAL: what each rule adds to a full check (all
    // rules minus all but that one), which leaves out the shared signals
    // that other rules compute anyway.
    if std::env::var_os("PRIMUM_PROFILE_MARGINAL").is_some() {
        let all = time(RULES);
        let mut rows: Vec<(f64, &str)> = RULES
            .iter()
            .map(|r| {
                let rest: Vec<&'static primum_core::Rule> = RULES.iter().copied().filter(|o| o.id != r.id).collect();
                (all - time(&rest), r.id)
            })
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("{base:>9.2} µs/post  analysis only (no rule)");
        for (t, id) in rows {
            println!("{t:>9.2} µs/post  {id} (marginal)");
        }
        println!("{all:>9.2} µs/post  all rules");
        return;
    }
    let mut rows: Vec<(f64, &str)> = RULES.iter().map(|r| (time(&[r]) - base, r.id)).collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("{:>9.2} µs/post  analysis only (no rule)", base);
    for (t, id) in rows {
        println!("{t:>9.2} µs/post  {id}");
    }
    println!("{:>9.2} µs/post  all rules", time(RULES));
}
