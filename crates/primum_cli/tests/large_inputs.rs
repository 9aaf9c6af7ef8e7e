//! End-to-end tests that need generated inputs (a 5 MB post, a JSONL file
//! larger than one read chunk) or the shared corpus, which may be absent.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

fn primum() -> Command {
    Command::new(env!("CARGO_BIN_EXE_primum"))
}

/// A file in the system's temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("primum-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("the temporary directory is writable");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn eval_runs_on_the_shared_dev_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/posts/dev.jsonl");
    if !Path::new(path).exists() {
        eprintln!("skipped: {path} is not present");
        return;
    }
    let out = primum()
        .args(["eval", path, "--now", "2026-11-26T12:00:00Z"])
        .output()
        .expect("primum runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for figure in ["rule recall", "clean-post false alarms", "identifier character recall"] {
        assert!(stdout.contains(figure), "no `{figure}` in:\n{stdout}");
    }
}

/// Checks `text` as one post from a file and returns its JSON report,
/// having checked that every span is within the text's characters.
fn check_one_post(name: &str, text: &str) -> Value {
    let chars = text.chars().count();
    let file = TempFile::new(name, text.as_bytes());
    let started = Instant::now();
    let out = primum()
        .arg("check")
        .arg(&file.0)
        .args(["--format", "json", "--now", "2026-11-26T12:00:00Z"])
        .output()
        .expect("primum runs");
    eprintln!("checked {} bytes in {:.1?}", text.len(), started.elapsed());
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    assert_eq!(report["schema"], "primum.report.v1");
    for f in report["findings"].as_array().expect("findings") {
        if let (Some(s), Some(e)) = (f["start"].as_u64(), f["end"].as_u64()) {
            assert!(s <= e && e as usize <= chars, "span {s}..{e} out of {chars}");
        }
    }
    report
}

/// One 5 MB post on one line completes. It is ASCII: non-ASCII text
/// sends the core's Unicode word-boundary regexes to their slow engine,
/// which in a debug build takes minutes (reported to the rule authors).
#[test]
fn a_five_megabyte_post_is_checked() {
    let unit = "Reading about sleep and recovery after long shifts. ";
    let text = format!("{}SLEEP IS NOT OPTIONAL!!!", unit.repeat(5_000_000 / unit.len()));
    check_one_post("big.txt", &text);
}

/// A long post with emoji and CJK throughout: character offsets stay in
/// range. (That the human printer shows a window of a long line is a unit
/// test of the printer.)
#[test]
fn a_long_multibyte_post_is_checked() {
    let unit = "Reading about sleep 😴 and recovery after long shifts 夜勤. ";
    let text = format!("{}SLEEP IS NOT OPTIONAL!!! 😴", unit.repeat(100_000 / unit.len()));
    check_one_post("multibyte.txt", &text);
}

/// A JSONL input larger than one read chunk (4 MiB): every line gets its
/// report, in input order.
#[test]
fn jsonl_spanning_chunks_keeps_input_order() {
    let pad = "x".repeat(100);
    let n = 42_000;
    let mut input = String::new();
    for i in 0..n {
        input.push_str(&format!("{{\"id\": \"p{i}\", \"text\": \"ok\", \"pad\": \"{pad}\"}}\n"));
    }
    assert!(input.len() > 4 << 20);
    let file = TempFile::new("many.jsonl", input.as_bytes());
    let out = primum()
        .args(["check", "--format", "json", "--jsonl"])
        .arg(&file.0)
        .output()
        .expect("primum runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("a JSON line")["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), n);
    assert!(ids.iter().enumerate().all(|(i, id)| *id == format!("p{i}")));
}
