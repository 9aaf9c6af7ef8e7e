//! PNG: chunks taken apart and put back by `img-parts` (which checks each
//! chunk's CRC); a scrub keeps the chunks a decoder needs and drops the
//! text, EXIF, time and private chunks and anything after `IEND`.

use img_parts::Bytes;
use img_parts::png::{Png, PngChunk};
use primum_core::image::What;

use crate::bytes::text;
use crate::{Format, Found, Keep, MediaError, Plan, size};

/// Chunks kept: the critical ones, those that change how the pixels look,
/// and APNG animation.
const KEEP: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs", b"hIST",
    b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi",
];

fn parse(b: &[u8]) -> Result<Png, MediaError> {
    Png::from_bytes(Bytes::copy_from_slice(b)).map_err(|e| MediaError::damaged(Format::Png, e.to_string()))
}

/// What a text chunk's keyword says it is.
fn keyword(k: &str) -> What {
    match k {
        "Author" => What::Person,
        "Copyright" => What::Copyright,
        "Creation Time" => What::Time,
        "Software" => What::Software,
        "Source" => What::Device,
        _ => What::Comment,
    }
}

pub(crate) fn read(b: &[u8], found: &mut Found) -> Result<(), MediaError> {
    let png = parse(b)?;
    found.dimensions = png.dimensions();
    for c in png.chunks() {
        let kind = c.kind();
        let d: &[u8] = c.contents();
        let name = String::from_utf8_lossy(&kind).to_string();
        match &kind {
            b"tEXt" => {
                let (k, v) = split_nul(d);
                found.push(keyword(&text(k)), format!("PNG tEXt {}", text(k)), text(v));
            }
            b"zTXt" => {
                let (k, v) = split_nul(d);
                found.push(
                    keyword(&text(k)),
                    format!("PNG zTXt {}", text(k)),
                    format!("compressed text, {}", size(v.len())),
                );
            }
            b"iTXt" => {
                let (k, rest) = split_nul(d);
                let k = text(k);
                let compressed = rest.first().copied().unwrap_or(0) != 0;
                // Compression flag and method, then language and
                // translated keyword, each NUL-terminated.
                let rest = rest.get(2..).unwrap_or(&[]);
                let (_, rest) = split_nul(rest);
                let (_, value) = split_nul(rest);
                if compressed {
                    found.push(
                        keyword(&k),
                        format!("PNG iTXt {k}"),
                        format!("compressed text, {}", size(value.len())),
                    );
                } else if k == "XML:com.adobe.xmp" {
                    found.xmp(value, "PNG XMP");
                } else {
                    found.push(keyword(&k), format!("PNG iTXt {k}"), text(value));
                }
            }
            b"eXIf" => found.exif(d, "PNG eXIf"),
            b"tIME" => {
                let y = u16::from_be_bytes([d.first().copied().unwrap_or(0), d.get(1).copied().unwrap_or(0)]);
                let f = |i: usize| d.get(i).copied().unwrap_or(0);
                found.push(
                    What::Time,
                    "PNG tIME",
                    format!("{y:04}-{:02}-{:02} {:02}:{:02}:{:02}", f(2), f(3), f(4), f(5), f(6)),
                );
            }
            b"iCCP" => {
                found.icc_profile = Some(text(split_nul(d).0));
            }
            k if KEEP.contains(&k) => {}
            _ => found.push(
                What::Hidden,
                format!("PNG {name}"),
                format!("a private {name} chunk ({})", size(d.len())),
            ),
        }
    }
    Ok(())
}

fn split_nul(d: &[u8]) -> (&[u8], &[u8]) {
    match d.iter().position(|&c| c == 0) {
        Some(i) => (&d[..i], &d[i + 1..]),
        None => (d, &[]),
    }
}

pub(crate) fn scrub(b: &[u8], keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let mut png = parse(b)?;
    let mut removed = Vec::new();
    let mut kept_icc = false;
    png.chunks_mut().retain(|c| {
        let k = c.kind();
        let ok = KEEP.contains(&&k) || (keep.icc && &k == b"iCCP");
        kept_icc |= ok && &k == b"iCCP";
        if !ok {
            removed.push(format!(
                "{} ({})",
                String::from_utf8_lossy(&k),
                size(c.contents().len())
            ));
        }
        ok
    });
    if let Some(exif) = keep.exif() {
        // eXIf goes before the image data; right after IHDR is always valid.
        png.chunks_mut().insert(1, PngChunk::new(*b"eXIf", Bytes::from(exif)));
    }
    out.set(png.encoder().bytes().to_vec());
    out.removed = removed;
    if kept_icc {
        out.kept.push("ICC profile".to_string());
    }
    keep.exif_notes(out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScrubOptions;

    pub(crate) fn sample() -> Vec<u8> {
        let mut png = Png::from_bytes(Bytes::from_static(&[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']))
            .expect("signature only");
        let ihdr = [0, 0, 0, 2, 0, 0, 0, 1, 8, 0, 0, 0, 0];
        let c = png.chunks_mut();
        c.push(PngChunk::new(*b"IHDR", Bytes::copy_from_slice(&ihdr)));
        c.push(PngChunk::new(*b"tEXt", Bytes::from_static(b"Author\0Alex Example")));
        c.push(PngChunk::new(*b"tIME", Bytes::from_static(&[7, 234, 3, 14, 7, 42, 11])));
        c.push(PngChunk::new(*b"IDAT", Bytes::from_static(&[1, 2, 3, 4])));
        c.push(PngChunk::new(*b"IEND", Bytes::new()));
        let mut v = png.encoder().bytes().to_vec();
        v.extend_from_slice(b"after IEND");
        v
    }

    #[test]
    fn reads_text_and_time_and_scrubs_them() {
        let b = sample();
        let got = crate::inspect(&b).expect("readable");
        assert_eq!(got.dimensions, Some((2, 1)));
        let sources: Vec<&str> = got.meta.items.iter().map(|i| i.source.as_str()).collect();
        assert_eq!(sources, ["PNG tEXt Author", "PNG tIME"]);
        let s = crate::scrub(&b, &ScrubOptions::default()).expect("scrubbed");
        assert!(crate::inspect(&s.bytes).expect("readable").meta.items.is_empty());
        assert!(!String::from_utf8_lossy(&s.bytes).contains("after IEND"));
        assert!(s.bytes.windows(4).any(|w| w == [1, 2, 3, 4]));
    }

    #[test]
    fn a_bad_crc_is_refused() {
        let mut b = sample();
        b[29] ^= 0xFF;
        assert!(matches!(crate::inspect(&b), Err(MediaError::Damaged { .. })));
    }
}
