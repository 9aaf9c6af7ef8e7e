//! `primum scrub --in-place` end to end: the image is replaced atomically
//! by a clean one with the same image data, a file that cannot be scrubbed
//! is left byte for byte as it was, and the batch goes on.

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn in_place_replaces_clean_files_and_leaves_broken_ones_untouched() {
    let dir = std::env::temp_dir().join(format!("primum-scrub-in-place-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for name in ["photo.jpg", "truncated.jpg", "plain.jpg"] {
        std::fs::copy(fixture(name), dir.join(name)).expect("copied");
    }
    let before = std::fs::read(dir.join("photo.jpg")).expect("readable");
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["scrub", "--in-place", "photo.jpg", "truncated.jpg", "plain.jpg"])
        .current_dir(&dir)
        .output()
        .expect("primum runs");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("truncated.jpg: damaged JPEG file"), "{stderr}");

    // The broken file is as it was; no temporary file is left behind.
    assert_eq!(
        std::fs::read(dir.join("truncated.jpg")).ok(),
        std::fs::read(fixture("truncated.jpg")).ok()
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("listable")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");

    // The photo is clean, still turned the right way, and its image data
    // (from the first frame header on) is byte for byte the same.
    let after = std::fs::read(dir.join("photo.jpg")).expect("readable");
    let i = primum_media::inspect(&after).expect("a valid image");
    assert_eq!(i.orientation, Some(6));
    assert!(i.meta.items.is_empty(), "{:?}", i.meta.items);
    let from = |b: &[u8]| b.windows(2).position(|w| w == [0xFF, 0xDB]).map(|p| b[p..].to_vec());
    assert_eq!(from(&before), from(&after));

    // Checking the result finds nothing and exits 0.
    let check = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["scrub", "--check", "photo.jpg", "plain.jpg"])
        .current_dir(&dir)
        .output()
        .expect("primum runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn out_refuses_to_overwrite_the_original() {
    let dir = std::env::temp_dir().join(format!("primum-scrub-same-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    std::fs::copy(fixture("photo.jpg"), dir.join("photo.jpg")).expect("copied");
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["scrub", "photo.jpg", "--out", "."])
        .current_dir(&dir)
        .output()
        .expect("primum runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use --in-place"));
    assert_eq!(
        std::fs::read(dir.join("photo.jpg")).ok(),
        std::fs::read(fixture("photo.jpg")).ok()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The files `scrub --out` writes (the picture copied file to file by the
/// kernel for large pieces) are byte for byte what the library returns,
/// for every file of the shared corpus that scrubs. Skips when it is absent.
#[test]
fn written_files_equal_the_library_result_on_the_shared_corpus() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/media/real/jpg");
    let Ok(rd) = std::fs::read_dir(&corpus) else {
        eprintln!("skipped: ../shared/data/media is not present");
        return;
    };
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .collect();
    files.sort();
    let out = std::env::temp_dir().join(format!("primum-scrub-corpus-{}", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_primum"))
        .arg("scrub")
        .args(&files)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("primum runs");
    let mut large = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        let Ok(expected) = primum_media::scrub(&bytes, &primum_media::ScrubOptions::default()) else {
            continue;
        };
        large += usize::from(bytes.len() > 64 << 10);
        let written = std::fs::read(out.join(f.file_name().expect("a file name"))).expect("written");
        assert!(
            written == expected.bytes,
            "{} differs from the library's result",
            f.display()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(large > 0, "no file large enough to be copied by the kernel");
    // corrupted.jpg is refused: exit 2, the others written.
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
}

/// One file named twice with --in-place is scrubbed once (two workers
/// rewriting it at once could lose it), and that is not an error.
#[test]
fn a_file_named_twice_is_scrubbed_once() {
    let dir = std::env::temp_dir().join(format!("primum-scrub-twice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    std::fs::copy(fixture("photo.jpg"), dir.join("a.jpg")).expect("copied");
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["scrub", "--in-place", "a.jpg", "./a.jpg"])
        .current_dir(&dir)
        .output()
        .expect("primum runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("./a.jpg: named twice; scrubbed once"));
    let after = std::fs::read(dir.join("a.jpg")).expect("readable");
    assert!(primum_media::inspect(&after).expect("valid").meta.items.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
