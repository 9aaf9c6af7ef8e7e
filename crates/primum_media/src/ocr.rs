//! OCR (feature `ocr`): the text in a picture's pixels, read by Tesseract
//! (English) through its C library. Leptonica decodes the picture from
//! memory (JPEG, PNG, TIFF, GIF, WebP); HEIC and AVIF are not decoded in
//! this build (no HEIF decoder), and say so.
//!
//! Unlike the rest of this crate this module calls C libraries, which read
//! their trained data from the system (Debian's `tesseract-ocr-eng`); it
//! still reads and writes no file of its own.

use primum_core::image::Ocr;

use crate::Format;

/// Reads the text in an image's pixels. A picture stored sideways or
/// mirrored (`orientation` 2 to 8, as EXIF says) is turned upright first,
/// as a viewer would show it: Tesseract reads lines of text, not columns.
pub fn read_text(bytes: &[u8], orientation: Option<u16>) -> Ocr {
    let format = match Format::sniff(bytes) {
        Some(Format::Heif) | Some(Format::Avif) => {
            return Ocr::Unavailable("OCR is not available for HEIC/HEIF and AVIF images in this build".to_string());
        }
        Some(f) => f,
        None => return Ocr::Unavailable("not an image OCR can read".to_string()),
    };
    let tess = match tesseract::Tesseract::new(None, Some("eng")) {
        Ok(t) => t,
        Err(e) => {
            return Ocr::Unavailable(format!(
                "Tesseract could not start ({e}); is its English data installed (Debian: tesseract-ocr-eng)?"
            ));
        }
    };
    // Tesseract's own notes ("Estimating resolution as ...") go nowhere.
    let tess = match tess.set_variable("debug_file", "/dev/null") {
        Ok(t) => t,
        Err(e) => return Ocr::Unavailable(format!("Tesseract: {e}")),
    };
    let upright = orientation
        .filter(|o| (2..=8).contains(o))
        .and_then(|o| image::metadata::Orientation::from_exif(o as u8))
        .and_then(|o| {
            let mut img = image::load_from_memory(bytes).ok()?;
            img.apply_orientation(o);
            Some(img.to_rgb8())
        });
    let set = match &upright {
        Some(img) => {
            let (w, h) = (img.width() as i32, img.height() as i32);
            tess.set_frame(img.as_raw(), w, h, 3, w * 3).map_err(|e| e.to_string())
        }
        None => tess.set_image_from_mem(bytes).map_err(|e| e.to_string()),
    };
    let tess = match set {
        Ok(t) => t,
        Err(e) => {
            return Ocr::Unavailable(format!("OCR could not decode this {} image ({e})", format.as_str()));
        }
    };
    let mut tess = match tess.recognize() {
        Ok(t) => t,
        Err(e) => return Ocr::Unavailable(format!("OCR failed: {e}")),
    };
    match tess.get_text() {
        Ok(t) if t.trim().is_empty() => Ocr::Nothing,
        Ok(t) => Ocr::Text(t),
        Err(e) => Ocr::Unavailable(format!("OCR failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heif_and_garbage_say_why_they_are_not_read() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert!(matches!(read_text(heic, None), Ocr::Unavailable(m) if m.contains("HEIC")));
        assert!(matches!(read_text(b"hello", None), Ocr::Unavailable(_)));
    }

    #[test]
    fn a_blank_picture_reads_nothing() {
        let img = image::RgbImage::from_pixel(64, 32, image::Rgb([255, 255, 255]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encodes");
        match read_text(&png, None) {
            Ocr::Nothing => {}
            Ocr::Unavailable(why) => eprintln!("skipped: {why}"),
            other => panic!("{other:?}"),
        }
    }
}
