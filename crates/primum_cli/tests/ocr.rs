//! OCR end to end, through the `tesseract` program: the whiteboard photo
//! of the shared media corpus shows a patient's name, date of birth and
//! record number, and `check --image` reports them under
//! `privacy/image-text` with their kinds (skipped with a message when the
//! corpus is absent); a picture OCR cannot read, or a missing or failing
//! program, is said on stderr, never skipped silently. The program is
//! chosen for the child `primum` only (`PRIMUM_TESSERACT` set with
//! `Command::env`), never in this process's environment, which the tests
//! running beside share.
#![cfg(feature = "ocr")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
    let out = check_image(&board, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Tesseract's own notes ("Estimating resolution as 321") are not the
    // user's business.
    assert!(!stderr.contains("Estimating"), "{stderr}");
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

/// `check clean.txt --image IMAGE --format json` in the fixtures folder,
/// with `env` set for the child only.
fn check_image(image: &Path, env: &[(&str, &str)]) -> Output {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["check", "clean.txt", "--format", "json", "--image"])
        .arg(image)
        .envs(env.iter().copied())
        .current_dir(&fixtures)
        .output()
        .expect("primum runs")
}

/// A white 64x32 PNG with no metadata: nothing to find but what OCR says.
fn blank() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/blank.png")
}

/// The one note `check` printed on stderr about the blank picture; the
/// post and the picture are clean, so the exit status is 0.
fn note_on_blank(env: &[(&str, &str)]) -> String {
    let out = check_image(&blank(), env);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    assert_eq!(report["findings"], serde_json::json!([]), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

/// Whether the Tesseract program `primum` would run (`PRIMUM_TESSERACT`,
/// else `tesseract`) runs here; the tests that need it skip with a
/// message otherwise.
fn tesseract_installed() -> bool {
    let program = std::env::var_os("PRIMUM_TESSERACT")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "tesseract".into());
    let ok = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the tesseract program is not installed (Debian: tesseract-ocr)");
    }
    ok
}

#[test]
fn a_blank_picture_reads_nothing() {
    if !tesseract_installed() {
        return;
    }
    let note = note_on_blank(&[]);
    assert!(
        note.contains("blank.png: note: OCR read no text in the picture"),
        "{note}"
    );
}

#[test]
fn a_missing_program_is_named_with_how_to_install_it() {
    let note = note_on_blank(&[("PRIMUM_TESSERACT", "/nonexistent/bin/tesseract")]);
    assert!(
        note.contains(
            "blank.png: note: Tesseract was not found at /nonexistent/bin/tesseract (set by PRIMUM_TESSERACT)"
        ),
        "{note}"
    );
    assert!(
        note.contains("(Debian: apt install tesseract-ocr tesseract-ocr-eng)"),
        "{note}"
    );
    assert!(
        note.trim_end().ends_with("text in the picture was not checked"),
        "{note}"
    );
}

/// A program that ends unsuccessfully, saying nothing: its exit status is
/// given.
#[test]
fn a_failing_program_is_reported() {
    let note = note_on_blank(&[("PRIMUM_TESSERACT", "false")]);
    assert!(
        note.contains("blank.png: note: Tesseract failed on this PNG image (exit status: 1)"),
        "{note}"
    );
}

/// Tesseract without its English data says so in a few lines; the note
/// gives the package to install instead.
#[test]
fn missing_english_data_is_named() {
    if !tesseract_installed() {
        return;
    }
    let note = note_on_blank(&[("TESSDATA_PREFIX", "/nonexistent")]);
    assert!(
        note.contains("Tesseract has no English data (Debian: apt install tesseract-ocr-eng)"),
        "{note}"
    );
}

#[test]
fn heic_says_ocr_is_not_available() {
    let heic = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/media/photo.heic");
    if !heic.exists() {
        eprintln!("skipped: ../shared/data/media is not present");
        return;
    }
    let out = check_image(&heic, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("photo.heic: note: OCR is not available for HEIC/HEIF and AVIF images in this build; text in the picture was not checked"),
        "{stderr}"
    );
}
