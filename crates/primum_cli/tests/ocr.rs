//! OCR end to end: the whiteboard photo of the shared media corpus shows a
//! patient's name, date of birth and record number, and `check --image`
//! reports them under `privacy/image-text` with their kinds. Skips with a
//! message when the corpus is absent.
#![cfg(feature = "ocr")]

use std::path::PathBuf;
use std::process::Command;

#[test]
fn ocr_finds_the_patient_on_the_whiteboard() {
    kinds_on("whiteboard_full.jpg");
}

/// The same board photographed sideways (EXIF orientation 6): it is turned
/// upright before it is read.
#[test]
fn ocr_reads_a_sideways_photo_upright() {
    kinds_on("rotated_orientation6.jpg");
}

fn kinds_on(file: &str) {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/media");
    let board = corpus.join(file);
    if !board.exists() {
        eprintln!("skipped: ../shared/data/media is not present");
        return;
    }
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["check", "clean.txt", "--format", "json", "--image"])
        .arg(&board)
        .current_dir(&fixtures)
        .output()
        .expect("primum runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "privacy/image-text")
        .filter_map(|f| f["kind"].as_str())
        .collect();
    for kind in ["NAME", "DATE", "ID"] {
        assert!(kinds.contains(&kind), "no {kind} read on the whiteboard: {kinds:?}");
    }
}
