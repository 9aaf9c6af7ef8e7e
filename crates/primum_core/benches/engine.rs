//! Engine benchmarks (divan): one typical post, the whole labelled corpus,
//! and the text analysis alone. Run with `cargo bench -p primum_core`.
//!
//! The posts come from `../shared/data/posts/dev.jsonl` when it is present
//! (read at run time, never copied), else from the repository's own
//! `examples/posts.jsonl`.

use std::sync::LazyLock;

use primum_core::{DateTime, Platform, Policy, Post, check};
use primum_text::Analysis;

fn main() {
    divan::main();
}

static POSTS: LazyLock<Vec<Post>> = LazyLock::new(|| {
    let root = env!("CARGO_MANIFEST_DIR");
    let shared = format!("{root}/../../../shared/data/posts/dev.jsonl");
    let own = format!("{root}/../../examples/posts.jsonl");
    let text = std::fs::read_to_string(&shared)
        .or_else(|_| {
            eprintln!("note: {shared} is not present; using examples/posts.jsonl");
            std::fs::read_to_string(&own)
        })
        .expect("a corpus of posts");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let text = v.get("text")?.as_str()?.to_string();
            Some(Post {
                text,
                platform: v
                    .get("platform")
                    .and_then(|p| p.as_str())
                    .and_then(Platform::parse)
                    .unwrap_or_default(),
                reply_to: v.get("reply_to").and_then(|r| r.as_str()).map(String::from),
                ..Post::default()
            })
        })
        .collect()
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
