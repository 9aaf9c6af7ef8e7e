//! OCR input (feature `ocr`): the picture an OCR engine should read, as
//! bytes. The engine itself (the Tesseract program) is run by the front
//! end, which may start processes; this module only decides what to give
//! it, so it stays free of I/O and builds for wasm32 like the rest of the
//! crate.
//!
//! Two things are decided here. Whether the picture can be read at all:
//! HEIC and AVIF cannot (the engine has no HEIF decoder, and this build
//! embeds none, by choice), and bytes that are not an image are never
//! passed on. And which way up it is: a photo stored sideways or mirrored
//! (EXIF orientation 2 to 8) is decoded with the `image` crate, turned
//! upright as a viewer would show it, and encoded again as PNG, because
//! Tesseract reads lines of text, not columns, and ignores the EXIF tag.

use std::borrow::Cow;

use crate::Format;

/// Why a picture is not given to OCR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// HEIC/HEIF and AVIF: nothing in this build decodes them.
    #[error("OCR is not available for HEIC/HEIF and AVIF images in this build")]
    NoDecoder,
    /// Not a format OCR reads. This matters beyond a message: given bytes
    /// it does not recognise as an image on its standard input, the
    /// Tesseract program takes them as a list of file names and reads
    /// those files.
    #[error("not an image OCR can read")]
    UnknownFormat,
}

/// The bytes to give an OCR engine for an image, and their format: the
/// image's own bytes when it is stored upright (or when turning it fails:
/// the engine then reads it as stored, as a viewer ignoring EXIF would
/// show it), or a PNG of the picture turned upright when `orientation`
/// (as EXIF says) is 2 to 8.
pub fn prepare(bytes: &[u8], orientation: Option<u16>) -> Result<(Cow<'_, [u8]>, Format), Unreadable> {
    let format = match Format::sniff(bytes) {
        Some(Format::Heif) | Some(Format::Avif) => return Err(Unreadable::NoDecoder),
        Some(f) => f,
        None => return Err(Unreadable::UnknownFormat),
    };
    match orientation
        .filter(|o| (2..=8).contains(o))
        .and_then(|o| upright(bytes, o))
    {
        Some(png) => Ok((Cow::Owned(png), Format::Png)),
        None => Ok((Cow::Borrowed(bytes), format)),
    }
}

/// The picture turned upright from its EXIF `orientation`, as PNG; `None`
/// when it cannot be decoded or encoded.
fn upright(bytes: &[u8], orientation: u16) -> Option<Vec<u8>> {
    let o = image::metadata::Orientation::from_exif(u8::try_from(orientation).ok()?)?;
    let mut img = image::load_from_memory(bytes).ok()?;
    img.apply_orientation(o);
    let mut png = Vec::new();
    // Grey or RGB without alpha: all the engine looks at, and a smaller
    // file to pass than RGBA.
    let img = if img.color().has_color() {
        image::DynamicImage::ImageRgb8(img.to_rgb8())
    } else {
        image::DynamicImage::ImageLuma8(img.to_luma8())
    };
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(img: image::RgbImage) -> Vec<u8> {
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encodes");
        png
    }

    #[test]
    fn heif_and_garbage_say_why_they_are_not_read() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(prepare(heic, None), Err(Unreadable::NoDecoder));
        assert!(Unreadable::NoDecoder.to_string().contains("HEIC"));
        assert_eq!(prepare(b"hello", None), Err(Unreadable::UnknownFormat));
        assert_eq!(prepare(b"", Some(6)), Err(Unreadable::UnknownFormat));
    }

    #[test]
    fn an_upright_picture_is_passed_as_it_is() {
        let bytes = png(image::RgbImage::from_pixel(4, 2, image::Rgb([255, 255, 255])));
        for o in [None, Some(1), Some(9), Some(0)] {
            let (out, format) = prepare(&bytes, o).expect("a PNG");
            assert!(matches!(out, Cow::Borrowed(b) if b == &bytes[..]), "{o:?}");
            assert_eq!(format, Format::Png);
        }
    }

    #[test]
    fn a_sideways_picture_is_turned_upright() {
        // 4 wide, 2 high, the top-left pixel black: orientation 6 (stored
        // turned a quarter anticlockwise) shows it 2 wide and 4 high with
        // that pixel at the top right.
        let mut img = image::RgbImage::from_pixel(4, 2, image::Rgb([255, 255, 255]));
        img.put_pixel(0, 0, image::Rgb([0, 0, 0]));
        let stored = png(img);
        let (out, format) = prepare(&stored, Some(6)).expect("a PNG");
        assert_eq!(format, Format::Png);
        let shown = image::load_from_memory(&out).expect("decodes").to_luma8();
        assert_eq!(shown.dimensions(), (2, 4));
        assert_eq!(shown.get_pixel(1, 0).0, [0]);
        assert_eq!(shown.get_pixel(0, 0).0, [255]);
    }

    #[test]
    fn a_picture_that_does_not_decode_is_passed_as_stored() {
        // A JPEG's first bytes and nothing else: the engine gets it as it
        // is and says what is wrong with it.
        let bytes = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";
        let (out, format) = prepare(bytes, Some(6)).expect("a JPEG");
        assert_eq!(&out[..], &bytes[..]);
        assert_eq!(format, Format::Jpeg);
    }
}
