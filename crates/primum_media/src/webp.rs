//! WebP: RIFF chunks taken apart and put back by `img-parts`; a scrub
//! keeps the image, alpha, animation and (by default) colour-profile chunks
//! and drops EXIF, XMP and unknown chunks, with the VP8X flags made to
//! match (img-parts leaves the XMP flag set, which strict decoders reject).

use img_parts::Bytes;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;
use primum_core::image::What;

use crate::{Format, Found, Keep, MediaError, Plan, size};

const KEEP: &[&[u8; 4]] = &[b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"];
const FLAG_XMP: u8 = 0b0000_0100;

fn parse(b: &[u8]) -> Result<WebP, MediaError> {
    WebP::from_bytes(Bytes::copy_from_slice(b)).map_err(|e| MediaError::damaged(Format::WebP, e.to_string()))
}

fn data(c: &RiffChunk) -> &[u8] {
    c.content().data().map_or(&[], |d| d.as_ref())
}

pub(crate) fn read(b: &[u8], found: &mut Found) -> Result<(), MediaError> {
    let webp = parse(b)?;
    found.dimensions = webp.dimensions();
    for c in webp.chunks() {
        let d = data(c);
        match &c.id() {
            b"EXIF" => found.exif(d.strip_prefix(b"Exif\0\0").unwrap_or(d), "WebP EXIF"),
            b"XMP " => found.xmp(d, "WebP XMP"),
            b"ICCP" => {
                found.icc_profile = Some(crate::jpeg::icc_description(d).unwrap_or_else(|| "embedded".to_string()));
            }
            k if KEEP.contains(&k) => {}
            k => {
                let name = String::from_utf8_lossy(k).trim().to_string();
                found.push(
                    What::Hidden,
                    format!("WebP {name}"),
                    format!("a {name} chunk ({})", size(d.len())),
                );
            }
        }
    }
    Ok(())
}

pub(crate) fn scrub(b: &[u8], keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let mut webp = parse(b)?;
    let mut removed = Vec::new();
    let mut kept_icc = false;
    webp.chunks_mut().retain(|c| {
        let k = c.id();
        let ok = KEEP.contains(&&k) || (keep.icc && &k == b"ICCP");
        kept_icc |= ok && &k == b"ICCP";
        if !ok {
            let name = String::from_utf8_lossy(&k).trim().to_string();
            removed.push(format!("{name} ({})", size(data(c).len())));
        }
        ok
    });
    let has_vp8x = webp.chunks().iter().any(|c| &c.id() == b"VP8X");
    for c in webp.chunks_mut() {
        if &c.id() == b"VP8X" {
            let mut d = data(c).to_vec();
            if let Some(f) = d.first_mut() {
                *f &= !FLAG_XMP;
            }
            *c = RiffChunk::new(*b"VP8X", RiffContent::Data(Bytes::from(d)));
        }
    }
    // EXIF needs the extended format (VP8X); a simple file has no
    // orientation to keep.
    if has_vp8x && let Some(exif) = keep.exif() {
        webp.chunks_mut()
            .push(RiffChunk::new(*b"EXIF", RiffContent::Data(Bytes::from(exif))));
        keep.exif_notes(out);
    }
    out.set(webp.encoder().bytes().to_vec());
    out.removed = removed;
    if kept_icc {
        out.kept.push("ICC profile".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScrubOptions;

    fn chunk(id: &[u8; 4], d: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend_from_slice(&(d.len() as u32).to_le_bytes());
        v.extend_from_slice(d);
        if d.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn sample() -> Vec<u8> {
        // VP8X: flags EXIF | XMP, canvas 2x1 (stored minus one).
        let vp8x = [FLAG_XMP | 0b1000, 0, 0, 0, 1, 0, 0, 0, 0, 0];
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &vp8x));
        body.extend(chunk(b"VP8L", &[0x2f, 1, 0, 0, 0, 9, 9]));
        body.extend(chunk(b"EXIF", &crate::exif::minimal(Some(3), None)));
        body.extend(chunk(b"XMP ", b"<x dc:creator=\"Alex Example\"/>"));
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend(body);
        v
    }

    #[test]
    fn reads_and_scrubs_exif_and_xmp() {
        let b = sample();
        let got = crate::inspect(&b).expect("readable");
        assert_eq!(got.orientation, Some(3));
        assert!(
            got.meta.items.iter().any(|i| i.value == "Alex Example"),
            "{:?}",
            got.meta.items
        );
        let s = crate::scrub(&b, &ScrubOptions::default()).expect("scrubbed");
        let again = crate::inspect(&s.bytes).expect("readable");
        assert!(again.meta.items.is_empty(), "{:?}", again.meta.items);
        assert_eq!(again.orientation, Some(3));
        // The XMP flag is cleared, the EXIF flag set for the orientation.
        let flags = s.bytes[20];
        assert_eq!(flags & FLAG_XMP, 0);
        assert_eq!(flags & 0b1000, 0b1000);
        assert!(s.bytes.windows(7).any(|w| w == [0x2f, 1, 0, 0, 0, 9, 9]));
    }
}
