//! TIFF: the IFD structure (also the inside of every EXIF block), and the
//! scrub that rewrites a TIFF file's IFDs keeping only the tags a picture
//! needs to be decoded and displayed, with the strips or tiles copied byte
//! for byte.

use std::ops::Range;

use crate::bytes::{Endian, u16_at, u32_at};
use crate::{Format, Found, Keep, MediaError, Plan, size};

/// One IFD entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub tag: u16,
    pub typ: u16,
    pub count: u32,
    /// Where the value's bytes are (inline in the entry or elsewhere).
    pub value: Range<usize>,
}

/// One IFD.
#[derive(Debug, Clone)]
pub(crate) struct Ifd {
    pub entries: Vec<Entry>,
    pub next: u32,
}

/// A TIFF structure in a byte slice.
pub(crate) struct Tiff<'a> {
    pub b: &'a [u8],
    pub e: Endian,
    pub first: u32,
}

/// Bytes per value of a TIFF field type.
fn type_size(typ: u16) -> Option<usize> {
    Some(match typ {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => return None,
    })
}

impl<'a> Tiff<'a> {
    pub fn parse(b: &'a [u8]) -> Option<Tiff<'a>> {
        let e = match b.get(..4)? {
            b"II*\0" => Endian::Little,
            b"MM\0*" => Endian::Big,
            _ => return None,
        };
        Some(Tiff {
            b,
            e,
            first: u32_at(b, 4, e)?,
        })
    }

    /// The IFD at `offset`; `None` when it runs past the end.
    pub fn ifd(&self, offset: u32) -> Option<Ifd> {
        let at = offset as usize;
        let n = u16_at(self.b, at, self.e)? as usize;
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let p = at + 2 + 12 * i;
            let tag = u16_at(self.b, p, self.e)?;
            let typ = u16_at(self.b, p + 2, self.e)?;
            let count = u32_at(self.b, p + 4, self.e)?;
            // An entry of an unknown type cannot be sized: kept out.
            let Some(ts) = type_size(typ) else { continue };
            let len = ts.checked_mul(count as usize)?;
            let value = if len <= 4 {
                p + 8..p + 8 + len
            } else {
                let o = u32_at(self.b, p + 8, self.e)? as usize;
                o..o.checked_add(len)?
            };
            entries.push(Entry { tag, typ, count, value });
        }
        let next = u32_at(self.b, at + 2 + 12 * n, self.e).unwrap_or(0);
        Some(Ifd { entries, next })
    }

    /// The bytes of an entry's value, if inside the file.
    pub fn value(&self, e: &Entry) -> Option<&'a [u8]> {
        self.b.get(e.value.clone())
    }

    /// The entry's values as unsigned integers (BYTE, SHORT or LONG).
    pub fn uints(&self, e: &Entry) -> Option<Vec<u32>> {
        let v = self.value(e)?;
        Some(match e.typ {
            1 => v.iter().map(|&x| u32::from(x)).collect(),
            3 => (0..e.count as usize)
                .map(|i| u16_at(v, 2 * i, self.e).map(u32::from))
                .collect::<Option<_>>()?,
            4 | 13 => (0..e.count as usize)
                .map(|i| u32_at(v, 4 * i, self.e))
                .collect::<Option<_>>()?,
            _ => return None,
        })
    }
}

impl Ifd {
    pub fn get(&self, tag: u16) -> Option<&Entry> {
        self.entries.iter().find(|e| e.tag == tag)
    }
}

/// The IFDs of a file, in chain order, stopping at a loop or after 1,000.
fn chain(t: &Tiff<'_>) -> Result<Vec<Ifd>, MediaError> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let mut at = t.first;
    while at != 0 {
        if seen.contains(&at) || seen.len() > 1000 {
            return Err(MediaError::damaged(Format::Tiff, "the IFD chain loops"));
        }
        seen.push(at);
        let ifd = t
            .ifd(at)
            .ok_or_else(|| MediaError::damaged(Format::Tiff, format!("the IFD at byte {at} runs past the end")))?;
        at = ifd.next;
        out.push(ifd);
    }
    if out.is_empty() {
        return Err(MediaError::damaged(Format::Tiff, "no image directory"));
    }
    Ok(out)
}

pub(crate) fn read(b: &[u8], found: &mut Found) -> Result<(), MediaError> {
    if b.get(2..4) == Some(&[0x2B, 0]) || b.get(2..4) == Some(&[0, 0x2B]) {
        return Err(MediaError::unsupported(Format::Tiff, "BigTIFF"));
    }
    let t = Tiff::parse(b).ok_or_else(|| MediaError::damaged(Format::Tiff, "bad header"))?;
    let ifds = chain(&t)?;
    let ifd0 = &ifds[0];
    let dim = |tag| ifd0.get(tag).and_then(|e| t.uints(e)).and_then(|v| v.first().copied());
    found.dimensions = dim(256).zip(dim(257));
    // kamadak-exif reads IFD0, its EXIF and GPS IFDs, and IFD1.
    found.exif(b, "TIFF");
    // Reduced-resolution images after IFD0 are previews.
    for (i, ifd) in ifds.iter().enumerate().skip(1) {
        let sub = ifd.get(254).and_then(|e| t.uints(e)).and_then(|v| v.first().copied());
        if sub.is_some_and(|s| s & 1 == 1) {
            let w = ifd.get(256).and_then(|e| t.uints(e)).and_then(|v| v.first().copied());
            let h = ifd.get(257).and_then(|e| t.uints(e)).and_then(|v| v.first().copied());
            found
                .thumbnails
                .push((format!("TIFF IFD{i} reduced-resolution preview"), w.zip(h)));
        }
    }
    Ok(())
}

/// Tags a picture needs to be decoded and displayed; everything else goes.
const KEEP: &[u16] = &[
    254, 255, 256, 257, 258, 259, 262, 263, 266, 273, 277, 278, 279, 280, 281, 282, 283, 284, 290, 291, 292, 293, 296,
    297, 301, 317, 318, 319, 320, 321, 322, 323, 324, 325, 332, 334, 338, 339, 340, 341, 347, 529, 530, 531, 532,
];
const ORIENTATION: u16 = 274;
const COPYRIGHT: u16 = 33432;
const ICC: u16 = 34675;

/// A human name for a dropped tag.
fn tag_name(tag: u16) -> String {
    match tag {
        270 => "ImageDescription".into(),
        271 => "Make".into(),
        272 => "Model".into(),
        305 => "Software".into(),
        306 => "DateTime".into(),
        315 => "Artist".into(),
        316 => "HostComputer".into(),
        700 => "XMP".into(),
        33432 => "Copyright".into(),
        33723 => "IPTC".into(),
        34377 => "Photoshop".into(),
        34665 => "EXIF IFD".into(),
        34853 => "GPS IFD".into(),
        34675 => "ICC profile".into(),
        274 => "Orientation".into(),
        _ => format!("tag {tag}"),
    }
}

fn put16(out: &mut Vec<u8>, v: u16, e: Endian) {
    out.extend_from_slice(&match e {
        Endian::Big => v.to_be_bytes(),
        Endian::Little => v.to_le_bytes(),
    });
}

fn put32(out: &mut Vec<u8>, v: u32, e: Endian) {
    out.extend_from_slice(&match e {
        Endian::Big => v.to_be_bytes(),
        Endian::Little => v.to_le_bytes(),
    });
}

fn set32(out: &mut [u8], at: usize, v: u32, e: Endian) {
    let b = match e {
        Endian::Big => v.to_be_bytes(),
        Endian::Little => v.to_le_bytes(),
    };
    out[at..at + 4].copy_from_slice(&b);
}

pub(crate) fn scrub(b: &[u8], keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let t = Tiff::parse(b).ok_or_else(|| MediaError::damaged(Format::Tiff, "bad header"))?;
    let e = t.e;
    let ifds = chain(&t)?;
    let mut o: Vec<u8> = b[..4].to_vec();
    put32(&mut o, 0, e); // the first IFD's offset, set below
    let mut link_at = 4; // where the previous IFD's "next" offset goes
    let mut copyright_written = false;
    for (i, ifd) in ifds.iter().enumerate() {
        let sub = ifd.get(254).and_then(|x| t.uints(x)).and_then(|v| v.first().copied());
        if i > 0 && sub.is_some_and(|s| s & 1 == 1) {
            out.removed.push(format!("IFD{i}: a reduced-resolution preview"));
            continue;
        }
        if ifd.get(330).is_some() {
            return Err(MediaError::unsupported(
                Format::Tiff,
                "sub-IFDs (a raw camera file?): its images cannot be rewritten safely",
            ));
        }
        if ifd.get(513).is_some() {
            return Err(MediaError::unsupported(Format::Tiff, "old-style JPEG compression"));
        }
        // The entries kept, in tag order.
        let mut kept: Vec<&Entry> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        for en in &ifd.entries {
            let k = KEEP.contains(&en.tag)
                || (en.tag == ORIENTATION && keep.orientation.is_some())
                || (en.tag == COPYRIGHT && keep.copyright.is_some())
                || (en.tag == ICC && keep.icc);
            if k {
                if t.value(en).is_none() {
                    return Err(MediaError::damaged(
                        Format::Tiff,
                        format!("IFD{i} tag {} points past the end", en.tag),
                    ));
                }
                kept.push(en);
            } else {
                dropped.push(tag_name(en.tag));
            }
            if en.tag == COPYRIGHT && keep.copyright.is_some() {
                copyright_written = true;
            }
        }
        kept.sort_by_key(|en| en.tag);
        if !dropped.is_empty() {
            out.removed.push(format!("IFD{i}: {}", dropped.join(", ")));
        }
        // The image data: strips or tiles, copied byte for byte.
        let pair = if ifd.get(324).is_some() { (324, 325) } else { (273, 279) };
        let offsets = ifd.get(pair.0).and_then(|x| t.uints(x));
        let counts = ifd.get(pair.1).and_then(|x| t.uints(x));
        let (Some(offsets), Some(counts)) = (offsets, counts) else {
            return Err(MediaError::damaged(Format::Tiff, format!("IFD{i} has no image data")));
        };
        if offsets.len() != counts.len() {
            return Err(MediaError::damaged(
                Format::Tiff,
                format!("IFD{i}: strip offsets and counts differ"),
            ));
        }
        let mut new_offsets = Vec::with_capacity(offsets.len());
        for (&off, &n) in offsets.iter().zip(&counts) {
            let data = b
                .get(off as usize..(off as usize).saturating_add(n as usize))
                .ok_or_else(|| {
                    MediaError::damaged(
                        Format::Tiff,
                        format!("IFD{i}: image data at byte {off} runs past the end"),
                    )
                })?;
            if o.len() % 2 == 1 {
                o.push(0);
            }
            new_offsets.push(u32::try_from(o.len()).map_err(|_| MediaError::unsupported(Format::Tiff, "over 4 GB"))?);
            o.extend_from_slice(data);
        }
        // The IFD, then the values that do not fit in their entries.
        if o.len() % 2 == 1 {
            o.push(0);
        }
        let ifd_at = o.len();
        set32(&mut o, link_at, ifd_at as u32, e);
        let n = kept.len();
        let mut values_at = ifd_at + 2 + 12 * n + 4;
        let mut values: Vec<u8> = Vec::new();
        put16(&mut o, n as u16, e);
        for en in &kept {
            let (typ, count, raw): (u16, u32, Vec<u8>) = if en.tag == pair.0 {
                let mut v = Vec::new();
                for &x in &new_offsets {
                    put32(&mut v, x, e);
                }
                (4, new_offsets.len() as u32, v)
            } else if en.tag == ORIENTATION {
                let mut v = Vec::new();
                put16(&mut v, keep.orientation.unwrap_or(1), e);
                (3, 1, v)
            } else {
                (en.typ, en.count, t.value(en).unwrap_or_default().to_vec())
            };
            put16(&mut o, en.tag, e);
            put16(&mut o, typ, e);
            put32(&mut o, count, e);
            if raw.len() <= 4 {
                let mut v = raw;
                v.resize(4, 0);
                o.extend_from_slice(&v);
            } else {
                put32(&mut o, values_at as u32, e);
                values_at += raw.len() + raw.len() % 2;
                values.extend_from_slice(&raw);
                if raw.len() % 2 == 1 {
                    values.push(0);
                }
            }
        }
        link_at = o.len();
        put32(&mut o, 0, e);
        o.extend_from_slice(&values);
    }
    if link_at == 4 {
        return Err(MediaError::damaged(Format::Tiff, "no full-resolution image"));
    }
    if keep.orientation.is_some() {
        out.kept.push(format!("orientation {}", keep.orientation.unwrap_or(1)));
    }
    if copyright_written {
        out.kept.push("copyright notice".to_string());
    }
    if keep.icc && ifds[0].get(ICC).is_some() {
        out.kept.push("ICC profile".to_string());
    }
    if o.len() < b.len() {
        out.removed.push(format!("{} in all", size(b.len() - o.len())));
    }
    out.set(o);
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A little-endian 4x2 grey TIFF, uncompressed, one strip, with an
    /// ImageDescription, an Artist and a Copyright.
    pub(crate) fn sample() -> Vec<u8> {
        let pixels = [10u8, 20, 30, 40, 50, 60, 70, 80];
        let desc = b"bed 12 Jane Doe\0";
        let artist = b"Dr Alex Example\0";
        let copy = b"(c) Alex\0";
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        let entries: Vec<(u16, u16, u32, u32)> = vec![
            (256, 3, 1, 4),
            (257, 3, 1, 2),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (270, 2, desc.len() as u32, 0),
            (273, 4, 1, 0),
            (274, 3, 1, 6),
            (277, 3, 1, 1),
            (278, 3, 1, 2),
            (279, 4, 1, 8),
            (315, 2, artist.len() as u32, 0),
            (33432, 2, copy.len() as u32, 0),
        ];
        let n = entries.len();
        let data_at = 8 + 2 + 12 * n + 4;
        let desc_at = data_at;
        let artist_at = desc_at + desc.len();
        let copy_at = artist_at + artist.len();
        let pix_at = copy_at + copy.len() + 1;
        b.extend_from_slice(&(n as u16).to_le_bytes());
        for (tag, typ, count, v) in entries {
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&typ.to_le_bytes());
            b.extend_from_slice(&count.to_le_bytes());
            let v = match tag {
                270 => desc_at as u32,
                315 => artist_at as u32,
                33432 => copy_at as u32,
                273 => pix_at as u32,
                _ => v,
            };
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(desc);
        b.extend_from_slice(artist);
        b.extend_from_slice(copy);
        b.push(0);
        b.extend_from_slice(&pixels);
        b
    }

    #[test]
    fn reads_description_artist_and_copyright() {
        let got = crate::inspect(&sample()).expect("readable");
        assert_eq!(got.dimensions, Some((4, 2)));
        assert_eq!(got.orientation, Some(6));
        let values: Vec<&str> = got.meta.items.iter().map(|i| i.value.as_str()).collect();
        assert!(values.contains(&"bed 12 Jane Doe"), "{values:?}");
        assert!(values.contains(&"Dr Alex Example"));
    }

    #[test]
    fn scrub_keeps_pixels_orientation_and_copyright_and_drops_the_rest() {
        let b = sample();
        let s = crate::scrub(&b, &crate::ScrubOptions::default()).expect("scrubbed");
        let text = String::from_utf8_lossy(&s.bytes);
        assert!(!text.contains("Jane Doe") && !text.contains("Dr Alex"), "{text:?}");
        assert!(text.contains("(c) Alex"));
        assert!(s.bytes.windows(8).any(|w| w == [10u8, 20, 30, 40, 50, 60, 70, 80]));
        let again = crate::inspect(&s.bytes).expect("readable after");
        assert_eq!(again.orientation, Some(6));
        assert_eq!(again.dimensions, Some((4, 2)));
        assert!(
            again
                .meta
                .items
                .iter()
                .all(|i| i.what == primum_core::image::What::Copyright)
        );
        let none = crate::ScrubOptions {
            keep_orientation: false,
            keep_icc: false,
            keep_copyright: false,
        };
        let s = crate::scrub(&b, &none).expect("scrubbed");
        let again = crate::inspect(&s.bytes).expect("readable after");
        assert!(again.meta.items.is_empty(), "{:?}", again.meta.items);
        assert_eq!(again.orientation, None);
    }

    #[test]
    fn damaged_files_are_refused() {
        let mut b = sample();
        b.truncate(60);
        assert!(crate::scrub(&b, &crate::ScrubOptions::default()).is_err());
        let mut b = sample();
        b[4..8].copy_from_slice(&8u32.to_le_bytes());
        // Make IFD0 point to itself as next.
        let n = u16::from_le_bytes([b[8], b[9]]) as usize;
        let next = 8 + 2 + 12 * n;
        b[next..next + 4].copy_from_slice(&8u32.to_le_bytes());
        assert!(matches!(
            crate::scrub(&b, &crate::ScrubOptions::default()),
            Err(MediaError::Damaged { .. })
        ));
    }
}
