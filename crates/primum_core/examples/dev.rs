//! Developer tool: runs the engine over a labelled corpus (default
//! `../shared/data/posts/dev.jsonl`) and prints, for rules whose id starts
//! with the given prefix, every missed expectation and every false alarm.
//! The full evaluation is `primum eval`; this is the quick loop for rule
//! authors: `cargo run -p primum_core --example dev -- privacy/`.

use primum_core::{AccountKind, DateTime, Platform, Policy, Post, Severity, check};
use serde_json::Value;

fn main() {
    let mut args = std::env::args().skip(1);
    let prefix = args.next().unwrap_or_default();
    let path = args
        .next()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/posts/dev.jsonl").to_string());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {path} is not present");
        return;
    };
    let policy = Policy::core();
    let now = DateTime::parse("2026-11-26T12:00:00Z");
    let (mut missed, mut false_alarms, mut hits) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("valid JSON line");
        let s = |k: &str| v.get(k).and_then(Value::as_str);
        let list = |k: &str| -> Vec<String> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let post = Post {
            text: s("text").unwrap_or_default().to_string(),
            platform: s("platform").and_then(Platform::parse).unwrap_or_default(),
            reply_to: s("reply_to").map(String::from),
            account: s("account").and_then(AccountKind::parse),
            created_at: s("created_at").and_then(DateTime::parse),
        };
        let report = check(&post, &policy, now);
        let fired: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        let expect = list("expect");
        let allow = list("allow");
        let any: Vec<Vec<String>> = v
            .get("expect_any")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|g| {
                        g.as_array()
                            .map(|g| g.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let id = s("id").unwrap_or("?");
        for e in expect.iter().filter(|e| e.starts_with(&prefix)) {
            if fired.contains(&e.as_str()) {
                hits += 1;
            } else {
                missed += 1;
                println!("MISS  {id} {e}: {}", post.text);
            }
        }
        for g in &any {
            if g.iter().any(|e| e.starts_with(&prefix)) && !g.iter().any(|e| fired.contains(&e.as_str())) {
                missed += 1;
                println!("MISS  {id} any{g:?}: {}", post.text);
            }
        }
        for f in &report.findings {
            let ok = expect.iter().any(|e| e == f.rule)
                || allow.iter().any(|e| e == f.rule)
                || any.iter().flatten().any(|e| e == f.rule);
            if f.rule.starts_with(&prefix) && !ok && f.severity >= Severity::Warning {
                false_alarms += 1;
                let span = f.span.map_or("<post>", |sp| &post.text[sp.start..sp.end]);
                println!("FALSE {id} {} [{span}] {}: {}", f.rule, f.message, post.text);
            }
        }
    }
    println!("prefix {prefix:?}: {hits} hit, {missed} missed, {false_alarms} false alarms (warning/error)");
}
