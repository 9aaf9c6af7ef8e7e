//! Every file of the shared media corpus (`../shared/data/media/`, real
//! camera files included) is scrubbed or refused with a message, never a
//! crash; a scrubbed file decodes to the same pixels, keeps its
//! orientation, and `exiftool -a -G1` lists no identifying tag in it.
//! Skips with a one-line message when the corpus (or exiftool) is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use primum_core::image::What;
use primum_media::{Format, ScrubOptions};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/media");
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if !matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")) {
            out.push(p);
        }
    }
}

/// Decoded pixels, for the formats the `image` crate decodes.
fn pixels(b: &[u8]) -> Option<Vec<u8>> {
    let f = match Format::sniff(b)? {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::WebP => image::ImageFormat::WebP,
        Format::Tiff => image::ImageFormat::Tiff,
        Format::Gif => image::ImageFormat::Gif,
        Format::Heif | Format::Avif => return None,
    };
    image::load_from_memory_with_format(b, f).ok().map(|i| i.into_bytes())
}

/// Scrubs every corpus file into `out`, checking what can be checked in
/// Rust; returns the files written.
fn scrub_all(out: &Path) -> Option<Vec<PathBuf>> {
    let Some(dir) = corpus() else {
        eprintln!("skipped: ../shared/data/media is not present");
        return None;
    };
    let mut all = Vec::new();
    files(&dir, &mut all);
    assert!(all.len() >= 10, "the corpus has {} files", all.len());
    std::fs::create_dir_all(out).expect("a scratch folder");
    let mut written = Vec::new();
    let mut problems = Vec::new();
    for (n, path) in all.iter().enumerate() {
        let name = path.strip_prefix(&dir).unwrap_or(path).display().to_string();
        let bytes = std::fs::read(path).expect("readable corpus file");
        let before = primum_media::inspect(&bytes);
        match primum_media::scrub(&bytes, &ScrubOptions::default()) {
            Err(e) => {
                // Refused: with a message, and consistently with reading.
                assert!(!e.to_string().is_empty());
                eprintln!("refused {name}: {e}");
                if name.starts_with("real/") && !name.contains("corrupt") && !name.contains("invalid") {
                    problems.push(format!("{name}: a real camera file was refused: {e}"));
                }
            }
            Ok(s) => {
                let after = match primum_media::inspect(&s.bytes) {
                    Ok(a) => a,
                    Err(e) => {
                        problems.push(format!("{name}: the scrubbed file does not read back: {e}"));
                        continue;
                    }
                };
                let left: Vec<String> = after
                    .meta
                    .items
                    .iter()
                    .filter(|i| !matches!(i.what, What::Copyright | What::Thumbnail { differs: false }))
                    .map(|i| format!("{} = {}", i.source, i.value))
                    .collect();
                if !left.is_empty() {
                    problems.push(format!("{name}: left {left:?}"));
                }
                if let Ok(b) = &before
                    && !matches!(b.format, Format::Heif | Format::Avif)
                    && b.orientation.unwrap_or(1) != after.orientation.unwrap_or(1)
                {
                    problems.push(format!(
                        "{name}: orientation {:?} became {:?}",
                        b.orientation, after.orientation
                    ));
                }
                if let Some(px) = pixels(&bytes)
                    && pixels(&s.bytes).as_ref() != Some(&px)
                {
                    problems.push(format!("{name}: the pixels changed"));
                }
                if let Ok(b) = &before
                    && b.icc_profile.is_some()
                    && after.icc_profile.is_none()
                    && b.format != Format::Png
                {
                    problems.push(format!("{name}: the ICC profile was lost"));
                }
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("img");
                let to = out.join(format!("{n:03}.{ext}"));
                std::fs::write(&to, &s.bytes).expect("writable scratch");
                written.push(to);
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Some(written)
}

/// Groups that hold nothing but identifying or private data.
const BAD_GROUPS: &[&str] = &[
    "ExifIFD",
    "GPS",
    "IFD1",
    "IFD2",
    "InteropIFD",
    "IPTC",
    "Photoshop",
    "XMP",
    "MakerNotes",
    "MPF",
    "Ducky",
    "APP",
    "FlashPix",
    "Canon",
    "Nikon",
    "Olympus",
    "Sony",
    "Pentax",
    "Samsung",
    "FujiFilm",
    "Panasonic",
    "Kodak",
    "Ricoh",
    "Sanyo",
    "Minolta",
    "Casio",
    "PrintIM",
];

/// Tags that identify, in whatever group.
const BAD_TAGS: &[&str] = &[
    "ImageDescription",
    "Make",
    "Model",
    "Software",
    "ModifyDate",
    "DateTimeOriginal",
    "CreateDate",
    "Artist",
    "HostComputer",
    "DocumentName",
    "XPComment",
    "XPAuthor",
    "XPTitle",
    "XPSubject",
    "XPKeywords",
    "Author",
    "Comment",
    "Description",
    "CreationTime",
    "Title",
    "Source",
    "SerialNumber",
    "OwnerName",
    "UserComment",
    "ThumbnailImage",
    "PreviewImage",
    "GPSLatitude",
    "GPSLongitude",
];

/// One test, so the corpus is decoded once: scrubbing it in Rust, then
/// asking exiftool about the results.
#[test]
fn every_corpus_file_is_scrubbed_losslessly_or_refused_and_exiftool_agrees() {
    let out = std::env::temp_dir().join(format!("primum-media-test-{}", std::process::id()));
    let Some(written) = scrub_all(&out) else { return };
    assert!(written.len() >= 60, "only {} files were scrubbed", written.len());
    if Command::new("exiftool").arg("-ver").output().is_err() {
        let _ = std::fs::remove_dir_all(&out);
        eprintln!("skipped the exiftool half: exiftool is not installed (Debian: libimage-exiftool-perl)");
        return;
    }
    let bad = exiftool_leaks(&written);
    let _ = std::fs::remove_dir_all(&out);
    // The check itself works: it flags an original.
    let original = corpus().map(|d| d.join("whiteboard_full.jpg")).filter(|p| p.exists());
    if let Some(original) = original {
        assert!(
            !exiftool_leaks(&[original]).is_empty(),
            "the exiftool check flags nothing on an original"
        );
    }
    assert!(bad.is_empty(), "exiftool still lists:\n{}", bad.join("\n"));
}

/// What `exiftool -a -G1 -s` lists in `files` that identifies someone.
fn exiftool_leaks(files: &[PathBuf]) -> Vec<String> {
    let run = Command::new("exiftool")
        .args(["-a", "-G1", "-s"])
        .args(files)
        .output()
        .expect("exiftool runs");
    let text = String::from_utf8_lossy(&run.stdout);
    let mut file = String::new();
    let mut bad = Vec::new();
    for line in text.lines() {
        if let Some(f) = line.strip_prefix("======== ") {
            file = f.to_string();
            continue;
        }
        let Some(rest) = line.strip_prefix('[') else { continue };
        let Some((group, rest)) = rest.split_once(']') else {
            continue;
        };
        let tag = rest.split(':').next().unwrap_or("").trim();
        if group == "ExifTool" || group == "System" || group == "Composite" {
            continue;
        }
        let bad_group = BAD_GROUPS.iter().any(|g| group.starts_with(g));
        let bad_tag = BAD_TAGS.contains(&tag) && !(group == "File" && tag != "Comment");
        let leaked = ["Jane Doe", "SN-0123456789", "48213377", "Ward 4B"]
            .iter()
            .any(|s| rest.contains(s));
        if bad_group || bad_tag || leaked {
            bad.push(format!("{file}: [{group}] {}", rest.trim()));
        }
    }
    bad
}
