//! Attached images: read a file, take its metadata apart with
//! `primum_media`, and judge it with the core's image rules.

use std::path::Path;

use primum_core::image::check_image;
use primum_core::{Finding, Policy};

use crate::input::io_message;

/// The findings on one image, or a message naming the file and what is
/// wrong with it.
pub fn findings(path: &Path, policy: &Policy) -> Result<Vec<Finding>, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {}", io_message(&e)))?;
    let inspection = crate::run::guarded(|| primum_media::inspect(&bytes))
        .map_err(|e| format!("{name}: {e}"))?
        .map_err(|e| format!("{name}: {e} (the image was not checked)"))?;
    Ok(check_image(&name, &inspection.meta, policy).findings)
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
