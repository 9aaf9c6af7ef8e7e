//! JPEG: a segment walk over the whole file (between progressive scans
//! too, and past the end-of-image marker), and the scrub that copies every
//! segment the decoder needs and the entropy-coded data byte for byte.

use std::ops::Range;

use primum_core::image::What;

use crate::bytes::{Endian, u16_at};
use crate::{Format, Found, Keep, MediaError, Plan, size};

const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
const ICC: &[u8] = b"ICC_PROFILE\0";
const MPF: &[u8] = b"MPF\0";
const JFIF: &[u8] = b"JFIF\0";

/// One piece of a JPEG file.
#[derive(Debug, Clone)]
enum Part {
    /// A marker segment: the marker, the whole segment (marker and length
    /// included) and its payload.
    Segment {
        marker: u8,
        all: Range<usize>,
        data: Range<usize>,
    },
    /// A marker without a payload (restart markers, TEM).
    Bare(Range<usize>),
    /// Entropy-coded data after a start-of-scan segment.
    Scan(Range<usize>),
}

struct Walk {
    parts: Vec<Part>,
    /// Where the end-of-image marker ends; what follows is trailing data.
    end: usize,
}

fn damaged(what: impl Into<String>) -> MediaError {
    MediaError::damaged(Format::Jpeg, what)
}

fn walk(b: &[u8]) -> Result<Walk, MediaError> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(damaged("no start-of-image marker"));
    }
    let mut parts = Vec::new();
    let mut pos = 2;
    loop {
        if b.get(pos) != Some(&0xFF) {
            return Err(if pos >= b.len() {
                damaged("truncated: no end-of-image marker")
            } else {
                damaged(format!("expected a marker at byte {pos}"))
            });
        }
        while b.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&m) = b.get(pos + 1) else {
            return Err(damaged("truncated: no end-of-image marker"));
        };
        let start = pos;
        pos += 2;
        match m {
            0xD9 => {
                return Ok(Walk { parts, end: pos });
            }
            0xD0..=0xD7 | 0x01 => parts.push(Part::Bare(start..pos)),
            0x00 | 0xD8 => return Err(damaged(format!("unexpected marker FF{m:02X} at byte {start}"))),
            _ => {
                let len =
                    u16_at(b, pos, Endian::Big).ok_or_else(|| damaged("truncated inside a segment header"))? as usize;
                if len < 2 || pos + len > b.len() {
                    return Err(damaged(format!(
                        "the segment FF{m:02X} at byte {start} runs past the end of the file"
                    )));
                }
                let end = pos + len;
                parts.push(Part::Segment {
                    marker: m,
                    all: start..end,
                    data: pos + 2..end,
                });
                pos = end;
                if m == 0xDA {
                    let s = pos;
                    pos = scan_end(b, pos).ok_or_else(|| damaged("truncated: the image data has no end marker"))?;
                    parts.push(Part::Scan(s..pos));
                }
            }
        }
    }
}

/// Where the entropy-coded data starting at `from` ends: at the first
/// marker that is not a stuffed byte or a restart marker.
fn scan_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        // memchr: the scan is most of the work of a scrub.
        i += memchr::memchr(0xFF, b.get(i..)?)?;
        match b.get(i + 1)? {
            0x00 | 0xD0..=0xD7 => i += 2,
            0xFF => i += 1,
            _ => return Some(i),
        }
    }
}

/// The width and height in a JPEG's frame header, tolerating damage after it.
pub(crate) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut pos = 2;
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    while pos + 4 <= b.len() {
        if b[pos] != 0xFF {
            return None;
        }
        let m = b[pos + 1];
        if m == 0xFF {
            pos += 1;
            continue;
        }
        let len = u16_at(b, pos + 2, Endian::Big)? as usize;
        if matches!(m, 0xC0..=0xCF) && !matches!(m, 0xC4 | 0xC8 | 0xCC) {
            let h = u16_at(b, pos + 5, Endian::Big)?;
            let w = u16_at(b, pos + 7, Endian::Big)?;
            return Some((u32::from(w), u32::from(h)));
        }
        if m == 0xDA {
            return None;
        }
        pos += 2 + len;
    }
    None
}

/// The description of an ICC profile ('desc' tag, v2 or v4).
pub(crate) fn icc_description(p: &[u8]) -> Option<String> {
    let n = crate::bytes::u32_at(p, 128, Endian::Big)? as usize;
    for i in 0..n.min(100) {
        let e = 132 + 12 * i;
        if p.get(e..e + 4)? != b"desc" {
            continue;
        }
        let off = crate::bytes::u32_at(p, e + 4, Endian::Big)? as usize;
        let t = p.get(off..off + 4)?;
        if t == b"desc" {
            let len = crate::bytes::u32_at(p, off + 8, Endian::Big)? as usize;
            return Some(crate::bytes::text(p.get(off + 12..off + 12 + len)?));
        }
        if t == b"mluc" {
            let size = crate::bytes::u32_at(p, off + 20, Endian::Big)? as usize;
            let at = crate::bytes::u32_at(p, off + 24, Endian::Big)? as usize;
            let s = p.get(off + at..off + at + size)?;
            let units: Vec<u16> = s.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            return Some(String::from_utf16_lossy(&units).trim_matches('\0').to_string());
        }
    }
    None
}

pub(crate) fn read(b: &[u8], found: &mut Found) -> Result<(), MediaError> {
    read_walked(b, &Walked(walk(b)?), found)
}

/// The pieces of a JPEG, found once for both reading and scrubbing: the
/// scan of the image data for its end is most of a scrub's work.
pub(crate) struct Walked(Walk);

pub(crate) fn walked(b: &[u8]) -> Result<Walked, MediaError> {
    walk(b).map(Walked)
}

/// [`read`] on a JPEG already walked.
pub(crate) fn read_walked(b: &[u8], w: &Walked, found: &mut Found) -> Result<(), MediaError> {
    let w = &w.0;
    let mut icc = Vec::new();
    for part in &w.parts {
        let Part::Segment { marker, data, .. } = part else {
            continue;
        };
        let d = &b[data.clone()];
        match *marker {
            0xC0..=0xCF if !matches!(*marker, 0xC4 | 0xC8 | 0xCC) && found.dimensions.is_none() => {
                let h = u16_at(d, 1, Endian::Big);
                let wd = u16_at(d, 3, Endian::Big);
                found.dimensions = wd.zip(h).map(|(w, h)| (u32::from(w), u32::from(h)));
            }
            0xE0 if d.starts_with(JFIF) => {
                let (tw, th) = (d.get(12).copied().unwrap_or(0), d.get(13).copied().unwrap_or(0));
                if tw > 0 && th > 0 {
                    found
                        .thumbnails
                        .push(("JPEG JFIF thumbnail".to_string(), Some((u32::from(tw), u32::from(th)))));
                }
            }
            0xE0 if d.starts_with(b"JFXX\0") => found.thumbnails.push(("JPEG JFXX thumbnail".to_string(), None)),
            0xE1 if d.starts_with(EXIF) => found.exif(&d[EXIF.len()..], "JPEG APP1"),
            0xE1 if d.starts_with(XMP) => found.xmp(&d[XMP.len()..], "JPEG XMP"),
            0xE1 if d.starts_with(XMP_EXT) => found.xmp(d.get(XMP_EXT.len() + 40..).unwrap_or(&[]), "JPEG XMP"),
            0xED if d.starts_with(PHOTOSHOP) => found.photoshop(&d[PHOTOSHOP.len()..], "JPEG APP13"),
            0xE2 if d.starts_with(ICC) => icc.extend_from_slice(d.get(ICC.len() + 2..).unwrap_or(&[])),
            0xE2 if d.starts_with(MPF) => {
                found.thumbnails.push(("JPEG MPF preview images".to_string(), None));
            }
            0xFE => found.push(What::Comment, "JPEG comment", crate::bytes::text(d)),
            0xE0 | 0xEE => {}
            m @ 0xE1..=0xEF => found.push(
                What::Hidden,
                format!("JPEG APP{}", m - 0xE0),
                format!("an APP{} block ({})", m - 0xE0, size(d.len())),
            ),
            _ => {}
        }
    }
    if !icc.is_empty() {
        found.icc_profile = Some(icc_description(&icc).unwrap_or_else(|| "embedded".to_string()));
    }
    if w.end < b.len() {
        let rest = &b[w.end..];
        // Padding of zeros is not hidden data.
        if rest.iter().any(|&x| x != 0) {
            found.push(
                What::Hidden,
                "JPEG data after the end of the image",
                format!("{} after the end-of-image marker", size(rest.len())),
            );
        }
    }
    Ok(())
}

/// What a segment is, for the report of what was removed.
fn describe(marker: u8, d: &[u8]) -> String {
    let what = match marker {
        0xE1 if d.starts_with(EXIF) => "EXIF",
        0xE1 if d.starts_with(XMP) => "XMP",
        0xE1 if d.starts_with(XMP_EXT) => "extended XMP",
        0xED => "IPTC/Photoshop",
        0xE2 if d.starts_with(ICC) => "ICC profile",
        0xE2 if d.starts_with(MPF) => "MPF index",
        0xE0 => "JFIF extension thumbnail",
        0xFE => "comment",
        _ => "application data",
    };
    let seg = if marker == 0xFE {
        "COM".to_string()
    } else {
        format!("APP{}", marker - 0xE0)
    };
    format!("{what} ({seg}, {})", size(d.len()))
}

/// [`scrub`](crate::scrub) of a JPEG already walked.
pub(crate) fn scrub_walked(b: &[u8], w: &Walked, keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let w = &w.0;
    out.extend_from_slice(&[0xFF, 0xD8]);
    let exif = keep.exif();
    let mut exif_written = false;
    let mut kept_icc = false;
    let write_exif = |o: &mut Plan, exif: &[u8]| {
        let len = (2 + EXIF.len() + exif.len()) as u16;
        o.extend_from_slice(&[0xFF, 0xE1]);
        o.extend_from_slice(&len.to_be_bytes());
        o.extend_from_slice(EXIF);
        o.extend_from_slice(exif);
    };
    for part in &w.parts {
        match part {
            Part::Bare(r) | Part::Scan(r) => out.input(r.clone()),
            Part::Segment { marker, all, data } => {
                let d = &b[data.clone()];
                let keep_it = match *marker {
                    0xE0 if d.starts_with(JFIF) => {
                        let thumb = d.get(12).copied().unwrap_or(0) > 0 && d.get(13).copied().unwrap_or(0) > 0;
                        if thumb || d.len() > 14 {
                            // The JFIF header without its thumbnail.
                            let mut h = d[..d.len().min(14)].to_vec();
                            h.resize(14, 0);
                            h[12] = 0;
                            h[13] = 0;
                            out.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
                            out.extend_from_slice(&h);
                            out.removed.push(format!("JFIF thumbnail ({})", size(d.len() - 14)));
                        } else {
                            out.input(all.clone());
                        }
                        if let Some(x) = exif.as_deref().filter(|_| !exif_written) {
                            write_exif(out, x);
                            exif_written = true;
                        }
                        continue;
                    }
                    0xE2 if d.starts_with(ICC) => keep.icc,
                    0xEE => true,
                    0xE0..=0xEF | 0xFE => false,
                    _ => true,
                };
                if !exif_written && let Some(x) = exif.as_deref() {
                    // After a leading JFIF segment, else first.
                    write_exif(out, x);
                    exif_written = true;
                }
                if keep_it {
                    kept_icc |= *marker == 0xE2;
                    out.input(all.clone());
                } else {
                    out.removed.push(describe(*marker, d));
                }
            }
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    if w.end < b.len() {
        out.removed
            .push(format!("data after the end of the image ({})", size(b.len() - w.end)));
    }
    if kept_icc {
        out.kept.push("ICC profile".to_string());
    }
    keep.exif_notes(out);
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ScrubOptions;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    /// A structurally valid (not decodable) JPEG with a JFIF header, an
    /// EXIF block, a comment, a scan with stuffed bytes and restart
    /// markers, a comment between scans, and trailing data.
    pub(crate) fn sample(exif: &[u8]) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        let mut e = EXIF.to_vec();
        e.extend_from_slice(exif);
        b.extend(seg(0xE1, &e));
        b.extend(seg(0xFE, b"Jane Doe MRN 48213377"));
        b.extend(seg(0xDB, &[0; 65]));
        b.extend(seg(0xC0, &[8, 0, 120, 3, 32, 1, 1, 0x11, 0]));
        b.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
        b.extend_from_slice(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4]);
        b.extend(seg(0xFE, b"between scans: Jane"));
        b.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
        b.extend_from_slice(&[5, 6, 7]);
        b.extend_from_slice(&[0xFF, 0xD9]);
        b.extend_from_slice(b"hidden after the end");
        b
    }

    #[test]
    fn reads_every_block() {
        let exif = crate::exif::minimal(Some(6), Some("(c) Someone"));
        let got = crate::inspect(&sample(&exif)).expect("readable");
        assert_eq!(got.dimensions, Some((800, 120)));
        assert_eq!(got.orientation, Some(6));
        let sources: Vec<&str> = got.meta.items.iter().map(|i| i.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "EXIF Copyright",
                "JPEG comment",
                "JPEG comment",
                "JPEG data after the end of the image"
            ]
        );
    }

    #[test]
    fn scrub_copies_the_scans_and_drops_comments_and_trailing_data() {
        let exif = crate::exif::minimal(Some(6), Some("(c) Someone"));
        let b = sample(&exif);
        let s = crate::scrub(&b, &ScrubOptions::default()).expect("scrubbed");
        let text = String::from_utf8_lossy(&s.bytes);
        assert!(!text.contains("Jane") && !text.contains("hidden"), "{text:?}");
        assert!(s.bytes.windows(8).any(|w| w == [1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4]));
        assert!(s.bytes.ends_with(&[5, 6, 7, 0xFF, 0xD9]));
        let again = crate::inspect(&s.bytes).expect("readable after");
        assert_eq!(again.orientation, Some(6));
        assert_eq!(again.meta.items.len(), 1, "{:?}", again.meta.items);
        assert_eq!(s.kept, ["orientation 6", "copyright notice"]);
        // Scrubbing again changes nothing.
        let twice = crate::scrub(&s.bytes, &ScrubOptions::default()).expect("scrubbed");
        assert_eq!(twice.bytes, s.bytes);
    }

    #[test]
    fn damaged_files_are_refused() {
        let b = sample(&crate::exif::minimal(None, None));
        for cut in [3, 10, 40, b.len() - 30] {
            assert!(
                crate::scrub(&b[..cut], &ScrubOptions::default()).is_err(),
                "cut at {cut}"
            );
        }
        let mut bad = b.clone();
        bad[5] = 0xFF; // the JFIF length now runs past the end
        assert!(crate::inspect(&bad).is_err());
    }
}
