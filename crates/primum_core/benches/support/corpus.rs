//! Reading a labelled corpus of posts (JSONL, the contract's post format)
//! for the engine benchmark and the profile example, which share this file.

use primum_core::{AccountKind, DateTime, Platform, Post};

/// The shared development corpus, read at run time (never copied into the
/// repository).
pub const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/posts/dev.jsonl");

/// The posts of a JSONL text; lines that are not posts are skipped.
pub fn posts(jsonl: &str) -> Vec<Post> {
    jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let s = |k: &str| v.get(k).and_then(serde_json::Value::as_str);
            Some(Post {
                text: s("text")?.to_string(),
                platform: s("platform").and_then(Platform::parse).unwrap_or_default(),
                reply_to: s("reply_to").map(String::from),
                account: s("account").and_then(AccountKind::parse),
                created_at: s("created_at").and_then(DateTime::parse),
            })
        })
        .collect()
}
