//! Attached images: read a file, take its metadata apart with
//! `primum_media`, read the text in its pixels (OCR with the Tesseract
//! program, with the `ocr` feature: see `ocr.rs`), and judge it all with
//! the core's image rules.

use std::path::Path;

use primum_core::image::{Ocr, check_image};
use primum_core::{Finding, Policy};

use crate::input::io_message;

/// The text in an image's pixels. Guarded: turning a picture upright
/// decodes it in this process.
#[cfg(feature = "ocr")]
fn ocr(bytes: &[u8], orientation: Option<u16>) -> Ocr {
    crate::run::guarded(|| crate::ocr::read_text(bytes, orientation)).unwrap_or_else(Ocr::Unavailable)
}

#[cfg(not(feature = "ocr"))]
fn ocr(_: &[u8], _: Option<u16>) -> Ocr {
    Ocr::Unavailable("this build has no OCR (built without the `ocr` feature)".to_string())
}

/// The findings on one image, or a message naming the file and what is
/// wrong with it. Says on stderr when the text in the picture could not be
/// checked or none was read: it is never skipped silently.
pub fn findings(path: &Path, policy: &Policy) -> Result<Vec<Finding>, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {}", io_message(&e)))?;
    findings_of(&name, &bytes, policy)
}

/// [`findings`] on an image already read: `name` names it in messages and
/// findings (a file, or a file inside an archive).
pub fn findings_of(name: &str, bytes: &[u8], policy: &Policy) -> Result<Vec<Finding>, String> {
    let inspection = crate::run::guarded(|| primum_media::inspect(bytes))
        .map_err(|e| format!("{name}: {e}"))?
        .map_err(|e| format!("{name}: {e} (the image was not checked)"))?;
    let mut meta = inspection.meta;
    meta.ocr = ocr(bytes, inspection.orientation);
    match &meta.ocr {
        Ocr::Nothing => eprintln!("{name}: note: OCR read no text in the picture"),
        Ocr::Unavailable(why) => eprintln!("{name}: note: {why}; text in the picture was not checked"),
        _ => {}
    }
    Ok(check_image(name, &meta, policy).findings)
}

/// Adds the findings on each image to `report`, and returns a message for
/// each image that could not be checked.
pub fn add_to(report: &mut primum_core::Report, images: &[impl AsRef<Path>], policy: &Policy) -> Vec<String> {
    let mut errors = Vec::new();
    for image in images {
        match findings(image.as_ref(), policy) {
            Ok(f) => report.findings.extend(f),
            Err(e) => errors.push(e),
        }
    }
    errors
}
