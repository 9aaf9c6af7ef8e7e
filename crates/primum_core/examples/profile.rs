//! Developer tool: where the engine's time goes. Runs each rule alone over
//! a corpus (default `../shared/data/posts/dev.jsonl`) many times and prints
//! the mean time per post, slowest first. Shared signals are computed by
//! whichever rule asks first, so each line includes what that rule needs.
//! With `PRIMUM_PROFILE_MARGINAL=1`, each rule's marginal cost instead.
//! With `PRIMUM_PROFILE_ORDER=1`, what varied posts cost beyond their
//! instructions (see [`order`]).
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
    if std::env::var_os("PRIMUM_PROFILE_ORDER").is_some() {
        order(&posts, &policy, now);
        return;
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

/// Times the same checks in four orders, to show what a check of varied
/// posts costs beyond its instructions (`bench/README.md`, "Where the time
/// goes: varied posts"):
/// - each post repeated 40 times in a row, so the branch predictor and the
///   caches learn it;
/// - the posts cycled, every check a different post from the last (the real
///   case);
/// - each post repeated, with the branch predictor scrambled between repeats
///   by a run of random branches that touches no memory;
/// - each post repeated, with the caches swept between repeats by reading
///   8 MB.
///
/// Only the checks are timed, not what runs between them.
fn order(posts: &[primum_core::Post], policy: &Policy, now: Option<DateTime>) {
    let sweep_buf: Vec<u64> = (0..(8usize << 20) / 8).map(|i| i as u64).collect();
    let scramble = || {
        // 64,000 branches whose outcomes come from a xorshift generator: the
        // `black_box` in one arm keeps each a real branch, not a select.
        let (mut x, mut acc) = (0x9e37_79b9_7f4a_7c15u64, 0u64);
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for b in 0..32 {
                if x >> b & 1 == 1 {
                    std::hint::black_box(&mut acc);
                    acc = acc.wrapping_add(b);
                } else {
                    acc ^= b;
                }
            }
        }
        acc
    };
    let sweep = || sweep_buf.iter().step_by(8).fold(0u64, |a, &x| a.wrapping_add(x));
    let nothing = || 0u64;
    // Micro-seconds per check over `rounds` of `order`, running `between`
    // before each check.
    let timed = |order: &mut dyn Iterator<Item = &primum_core::Post>, between: &dyn Fn() -> u64| {
        let (mut total, mut n) = (0.0, 0);
        for p in order {
            std::hint::black_box(between());
            let t = Instant::now();
            std::hint::black_box(check_only(p, policy, now, RULES));
            total += t.elapsed().as_secs_f64();
            n += 1;
        }
        total * 1e6 / n as f64
    };
    let repeated = || posts.iter().flat_map(|p| std::iter::repeat_n(p, 40));
    let cycled = (0..40).flat_map(|_| posts.iter());
    println!("{:>9.2} µs/post  each post repeated", timed(&mut repeated(), &nothing));
    println!(
        "{:>9.2} µs/post  the posts cycled (every check a different post)",
        timed(&mut cycled.into_iter(), &nothing)
    );
    println!(
        "{:>9.2} µs/post  each post repeated, branch predictor scrambled between",
        timed(&mut repeated(), &scramble)
    );
    println!(
        "{:>9.2} µs/post  each post repeated, caches swept between",
        timed(&mut repeated(), &sweep)
    );
}
