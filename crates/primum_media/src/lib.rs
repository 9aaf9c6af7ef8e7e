//! primum's media module: what an image's metadata gives away, and the same
//! image with that metadata removed.
//!
//! Bytes in, bytes out: [`inspect`] reads a JPEG, PNG, WebP, TIFF,
//! HEIC/HEIF, AVIF or GIF file's bytes and lists what its metadata holds
//! (EXIF in every IFD, XMP, IPTC, PNG text chunks, comments, thumbnails,
//! data after the image) as a [`primum_core::image::ImageMeta`], which the
//! core's image rules judge; [`scrub`] returns the same file without its
//! identifying metadata. Scrubbing is lossless: the compressed image data is
//! copied byte for byte, never decoded or re-encoded; the orientation, the
//! colour profile and copyright notices are kept unless [`ScrubOptions`]
//! says otherwise.
//!
//! This crate must not touch the file system, the network or a clock (the
//! front end reads and writes files, atomically), and must not panic on any
//! input: a file it cannot take apart safely is refused with a
//! [`MediaError`] saying what is wrong, never half-cleaned.
//!
//! EXIF is decoded by `kamadak-exif`; PNG chunks and WebP (RIFF) chunks are
//! taken apart and put back by `img-parts`. Written here, because no crate
//! does it losslessly: the JPEG segment walk (img-parts keeps everything
//! after the first scan as one opaque block, so comments between
//! progressive scans and data after the end of the image would survive),
//! the TIFF IFD rewrite, the HEIF/AVIF item blanking, the GIF block walk,
//! and the small XMP and IPTC readers.
//!
//! With the feature `ocr`, [`ocr::prepare`] gives the bytes an OCR program
//! should read (a sideways picture turned upright with the `image` crate);
//! running the program is the front end's business.

mod bytes;
mod exif;
mod gif;
mod heif;
mod iptc;
mod jpeg;
#[cfg(feature = "ocr")]
pub mod ocr;
mod png;
mod tiff;
mod webp;
mod xmp;

use primum_core::image::{ImageMeta, What};

/// An image format this crate reads and scrubs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Tiff,
    Heif,
    Avif,
    Gif,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
            Format::Tiff => "TIFF",
            Format::Heif => "HEIF",
            Format::Avif => "AVIF",
            Format::Gif => "GIF",
        }
    }

    /// The format of a file from its first bytes.
    pub fn sniff(b: &[u8]) -> Option<Format> {
        if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            Some(Format::WebP)
        } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
            Some(Format::Tiff)
        } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
            heif::brand(b)
        } else {
            None
        }
    }
}

/// Why a file cannot be read or scrubbed safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("not an image this tool reads (JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF or GIF)")]
    UnknownFormat,
    #[error("damaged {format} file: {what}")]
    Damaged { format: &'static str, what: String },
    #[error("{format} file not supported: {what}")]
    Unsupported { format: &'static str, what: String },
}

impl MediaError {
    pub(crate) fn damaged(format: Format, what: impl Into<String>) -> MediaError {
        MediaError::Damaged {
            format: format.as_str(),
            what: what.into(),
        }
    }

    pub(crate) fn unsupported(format: Format, what: impl Into<String>) -> MediaError {
        MediaError::Unsupported {
            format: format.as_str(),
            what: what.into(),
        }
    }
}

/// What an image's metadata holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub format: Format,
    /// Width and height of the main picture, as stored.
    pub dimensions: Option<(u32, u32)>,
    /// The EXIF orientation (1 to 8), if any.
    pub orientation: Option<u16>,
    /// The ICC colour profile's description, if the file has a profile.
    pub icc_profile: Option<String>,
    /// Every metadata item found, for the image rules.
    pub meta: ImageMeta,
}

impl Inspection {
    /// Whether anything a scrub would remove is there (the orientation and
    /// colour profile are not identifying; copyright notices are counted
    /// unless `opts` keeps them; a HEIF thumbnail item of the same shape as
    /// the picture is the picture itself, and stays, see [`scrub`]).
    pub fn has_identifying(&self, opts: &ScrubOptions) -> bool {
        let heif = matches!(self.format, Format::Heif | Format::Avif);
        self.meta.items.iter().any(|i| match i.what {
            What::Copyright => !opts.keep_copyright,
            What::Thumbnail { differs: false } => !heif,
            _ => true,
        })
    }
}

/// What a scrub keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScrubOptions {
    /// Keep the EXIF orientation (written back as a minimal EXIF block),
    /// so the picture still displays the right way up.
    pub keep_orientation: bool,
    /// Keep the ICC colour profile, so the colours stay right.
    pub keep_icc: bool,
    /// Keep the copyright notice (removing someone's rights information
    /// can itself infringe).
    pub keep_copyright: bool,
}

impl Default for ScrubOptions {
    fn default() -> ScrubOptions {
        ScrubOptions {
            keep_orientation: true,
            keep_icc: true,
            keep_copyright: true,
        }
    }
}

/// A scrubbed image.
#[derive(Debug, Clone, PartialEq)]
pub struct Scrubbed {
    pub bytes: Vec<u8>,
    /// The blocks removed, each described in a few words ("EXIF (APP1,
    /// 12,345 bytes)"), in file order.
    pub removed: Vec<String>,
    /// What was kept on purpose ("orientation 6", "ICC profile",
    /// "copyright notice").
    pub kept: Vec<String>,
}

/// One piece of a scrubbed file: bytes of the input, or new bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// These bytes of the input, unchanged (the compressed picture).
    Input(std::ops::Range<usize>),
    /// New or rewritten bytes.
    Bytes(Vec<u8>),
}

/// A scrubbed file as a list of pieces, so that a front end can copy the
/// unchanged picture from file to file without reading it through memory
/// (on Linux, `copy_file_range`), and what was removed and kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pieces: Vec<Piece>,
    pub removed: Vec<String>,
    pub kept: Vec<String>,
}

impl Plan {
    /// The pieces, in order.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The scrubbed file's length.
    pub fn len(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Input(r) => r.len(),
                Piece::Bytes(b) => b.len(),
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The scrubbed file, from the input the plan was made for.
    pub fn materialize(&self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for p in &self.pieces {
            match p {
                Piece::Input(r) => out.extend_from_slice(&input[r.clone()]),
                Piece::Bytes(b) => out.extend_from_slice(b),
            }
        }
        out
    }

    /// Appends new bytes.
    pub(crate) fn extend_from_slice(&mut self, x: &[u8]) {
        if let Some(Piece::Bytes(last)) = self.pieces.last_mut() {
            last.extend_from_slice(x);
        } else {
            self.pieces.push(Piece::Bytes(x.to_vec()));
        }
    }

    /// Appends a range of the input.
    pub(crate) fn input(&mut self, r: std::ops::Range<usize>) {
        if let Some(Piece::Input(last)) = self.pieces.last_mut()
            && last.end == r.start
        {
            last.end = r.end;
        } else {
            self.pieces.push(Piece::Input(r));
        }
    }

    /// Makes the whole file these bytes.
    pub(crate) fn set(&mut self, bytes: Vec<u8>) {
        self.pieces = vec![Piece::Bytes(bytes)];
    }
}

/// What was found while reading, before it becomes an [`Inspection`].
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub meta: ImageMeta,
    pub dimensions: Option<(u32, u32)>,
    pub orientation: Option<u16>,
    pub icc_profile: Option<String>,
    /// The copyright notice to keep, the first found.
    pub copyright: Option<String>,
    /// Embedded thumbnails: where, and their size if known.
    pub thumbnails: Vec<(String, Option<(u32, u32)>)>,
}

impl Found {
    /// Reads an EXIF block (a TIFF structure) into the findings.
    pub fn exif(&mut self, tiff: &[u8], source: &str) {
        exif::read(tiff, source, self);
    }

    pub fn xmp(&mut self, packet: &[u8], source: &str) {
        xmp::read(packet, source, self);
    }

    pub fn iptc(&mut self, iim: &[u8], source: &str) {
        iptc::read(iim, source, self);
    }

    /// Reads a Photoshop image-resource block (JPEG APP13, TIFF tag 34377).
    pub fn photoshop(&mut self, irb: &[u8], source: &str) {
        iptc::read_irb(irb, source, self);
    }

    pub fn push(&mut self, what: What, source: impl Into<String>, value: impl Into<String>) {
        let value = value.into();
        if what == What::Copyright && self.copyright.is_none() && !value.trim().is_empty() {
            self.copyright = Some(value.trim().to_string());
        }
        self.meta.push(what, source, value);
    }

    fn finish(mut self, format: Format) -> Inspection {
        for (source, size) in std::mem::take(&mut self.thumbnails) {
            let differs = match (size, self.dimensions) {
                (Some((tw, th)), Some((w, h))) if tw > 0 && th > 0 && w > 0 && h > 0 => {
                    let a = f64::from(tw) / f64::from(th);
                    let b = f64::from(w) / f64::from(h);
                    // A thumbnail is the picture scaled down: the same shape
                    // within rounding, or that shape turned a quarter (some
                    // cameras store it upright). Anything else is another
                    // picture, usually the uncropped original.
                    (a / b - 1.0).abs() > 0.15 && (a * b - 1.0).abs() > 0.15
                }
                _ => false,
            };
            let value = match (size, self.dimensions) {
                (Some((tw, th)), Some((w, h))) => format!("thumbnail {tw}x{th}, picture {w}x{h}"),
                (Some((tw, th)), None) => format!("thumbnail {tw}x{th}"),
                _ => String::new(),
            };
            self.meta.push(What::Thumbnail { differs }, source, value);
        }
        Inspection {
            format,
            dimensions: self.dimensions,
            orientation: self.orientation,
            icc_profile: self.icc_profile,
            meta: self.meta,
        }
    }
}

/// Reads a file's metadata into [`Found`].
fn read(bytes: &[u8], format: Format) -> Result<Found, MediaError> {
    let mut found = Found::default();
    match format {
        Format::Jpeg => jpeg::read(bytes, &mut found)?,
        Format::Png => png::read(bytes, &mut found)?,
        Format::WebP => webp::read(bytes, &mut found)?,
        Format::Tiff => tiff::read(bytes, &mut found)?,
        Format::Heif | Format::Avif => heif::read(bytes, format, &mut found)?,
        Format::Gif => gif::read(bytes, &mut found)?,
    }
    Ok(found)
}

/// Reads what an image's metadata holds.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, MediaError> {
    let format = Format::sniff(bytes).ok_or(MediaError::UnknownFormat)?;
    Ok(read(bytes, format)?.finish(format))
}

/// Returns the image without its identifying metadata, and what was
/// removed. The image data is copied byte for byte.
pub fn scrub(bytes: &[u8], opts: &ScrubOptions) -> Result<Scrubbed, MediaError> {
    let plan = scrub_plan(bytes, opts)?;
    Ok(Scrubbed {
        bytes: plan.materialize(bytes),
        removed: plan.removed,
        kept: plan.kept,
    })
}

/// [`scrub`] as a list of pieces: the input's ranges to copy unchanged
/// and the new bytes between them.
pub fn scrub_plan(bytes: &[u8], opts: &ScrubOptions) -> Result<Plan, MediaError> {
    let format = Format::sniff(bytes).ok_or(MediaError::UnknownFormat)?;
    // A JPEG is walked once for both.
    let jpeg = match format {
        Format::Jpeg => Some(jpeg::walked(bytes)?),
        _ => None,
    };
    // Reading first finds the orientation and the copyright notice to keep,
    // and refuses a file whose metadata is damaged before anything is
    // written.
    let found = match &jpeg {
        Some(w) => {
            let mut found = Found::default();
            jpeg::read_walked(bytes, w, &mut found)?;
            found
        }
        None => read(bytes, format)?,
    };
    let keep = Keep {
        orientation: if opts.keep_orientation {
            found.orientation.filter(|o| (2..=8).contains(o))
        } else {
            None
        },
        copyright: if opts.keep_copyright { found.copyright } else { None },
        icc: opts.keep_icc,
    };
    let mut out = Plan::default();
    match format {
        Format::Jpeg => {
            let w = match jpeg {
                Some(w) => w,
                None => jpeg::walked(bytes)?,
            };
            jpeg::scrub_walked(bytes, &w, &keep, &mut out)?
        }
        Format::Png => png::scrub(bytes, &keep, &mut out)?,
        Format::WebP => webp::scrub(bytes, &keep, &mut out)?,
        Format::Tiff => tiff::scrub(bytes, &keep, &mut out)?,
        Format::Heif | Format::Avif => heif::scrub(bytes, format, &keep, &mut out)?,
        Format::Gif => gif::scrub(bytes, &keep, &mut out)?,
    }
    Ok(out)
}

/// What a format's scrub keeps, decided once.
#[derive(Debug, Clone)]
pub(crate) struct Keep {
    /// The orientation to write back (2 to 8; 1 needs nothing).
    pub orientation: Option<u16>,
    pub copyright: Option<String>,
    pub icc: bool,
}

impl Keep {
    /// A minimal EXIF block holding what is kept, or `None` when nothing is.
    pub fn exif(&self) -> Option<Vec<u8>> {
        if self.orientation.is_none() && self.copyright.is_none() {
            return None;
        }
        Some(exif::minimal(self.orientation, self.copyright.as_deref()))
    }

    /// Notes for [`Scrubbed::kept`] about the minimal EXIF block.
    pub fn exif_notes(&self, out: &mut Plan) {
        if let Some(o) = self.orientation {
            out.kept.push(format!("orientation {o}"));
        }
        if self.copyright.is_some() {
            out.kept.push("copyright notice".to_string());
        }
    }
}

/// "12,345 bytes".
pub(crate) fn size(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_and_refuses_others() {
        assert_eq!(Format::sniff(b"\xFF\xD8\xFF\xE0"), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"GIF89a...."), Some(Format::Gif));
        assert_eq!(Format::sniff(b"MM\0*\0\0\0\x08"), Some(Format::Tiff));
        assert_eq!(inspect(b"hello"), Err(MediaError::UnknownFormat));
        assert_eq!(inspect(b""), Err(MediaError::UnknownFormat));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(12), "12 bytes");
        assert_eq!(size(12345), "12,345 bytes");
        assert_eq!(size(1234567), "1,234,567 bytes");
    }
}
