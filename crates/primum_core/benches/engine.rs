//! Engine benchmarks (divan): one typical post, the whole labelled corpus,
//! and the text analysis alone. Run with `cargo bench -p primum_core`.
//!
//! The posts come from `../shared/data/posts/dev.jsonl` when it is present
//! (read at run time, never copied), else from the repository's own
//! `examples/posts.jsonl`.

use std::sync::LazyLock;

use primum_core::{DateTime, Policy, Post, check};
use primum_text::Analysis;

fn main() {
    divan::main();
}

#[path = "support/corpus.rs"]
mod corpus;

static POSTS: LazyLock<Vec<Post>> = LazyLock::new(|| {
    let own = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/posts.jsonl");
    let text = std::fs::read_to_string(corpus::DEV)
        .or_else(|_| {
            eprintln!("note: {} is not present; using examples/posts.jsonl", corpus::DEV);
            std::fs::read_to_string(own)
        })
        .expect("a corpus of posts");
    corpus::posts(&text)
});

static POLICY: LazyLock<Policy> = LazyLock::new(Policy::core);
static NOW: LazyLock<Option<DateTime>> = LazyLock::new(|| DateTime::parse("2026-11-26T12:00:00Z"));

/// A typical post: the one of median length.
fn typical() -> &'static Post {
    static T: LazyLock<&'static Post> = LazyLock::new(|| {
        let mut v: Vec<&Post> = POSTS.iter().collect();
        v.sort_by_key(|p| p.text.len());
        v[v.len() / 2]
    });
    &T
}

#[divan::bench]
fn check_typical_post(b: divan::Bencher) {
    let post = typical();
    let _ = check(post, &POLICY, *NOW);
    b.bench(|| check(divan::black_box(post), &POLICY, *NOW));
}

#[divan::bench]
fn check_whole_corpus(b: divan::Bencher) {
    let bytes: usize = POSTS.iter().map(|p| p.text.len()).sum();
    b.counter(divan::counter::BytesCount::new(bytes)).bench(|| {
        for p in POSTS.iter() {
            divan::black_box(check(p, &POLICY, *NOW));
        }
    });
}

#[divan::bench]
fn analyse_typical_post(b: divan::Bencher) {
    let post = typical();
    b.bench(|| Analysis::new(divan::black_box(&post.text)));
}
