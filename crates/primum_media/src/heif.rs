//! HEIF/HEIC and AVIF (ISOBMFF): the `meta` box's items. Metadata lives in
//! items of type `Exif` and `mime` (XMP); a scrub overwrites their payload
//! in place (a minimal EXIF block holding only what is kept, an empty XMP
//! packet, blank padding), so every box size and every offset in `iloc`
//! stays valid and the coded picture is not touched.

use std::ops::Range;

use primum_core::image::What;

use crate::bytes::{Endian, text, u16_at, u32_at, u64_at, uint_be};
use crate::{Format, Found, Keep, MediaError, Plan, size};

/// The format an `ftyp` box names, if HEIF or AVIF.
pub(crate) fn brand(b: &[u8]) -> Option<Format> {
    let len = (u32_at(b, 0, Endian::Big)? as usize).min(b.len());
    let mut brands = vec![b.get(8..12)?];
    let mut at = 16;
    while at + 4 <= len {
        brands.push(&b[at..at + 4]);
        at += 4;
    }
    if brands.iter().any(|x| *x == b"avif" || *x == b"avis") {
        Some(Format::Avif)
    } else if brands.iter().any(|x| {
        matches!(
            *x,
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1"
        )
    }) {
        Some(Format::Heif)
    } else {
        None
    }
}

/// A box: its type and payload.
struct BoxAt {
    kind: [u8; 4],
    payload: Range<usize>,
}

fn boxes(b: &[u8], range: Range<usize>, format: Format) -> Result<Vec<BoxAt>, MediaError> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at + 8 <= range.end {
        let size32 = u32_at(b, at, Endian::Big).unwrap_or(0) as u64;
        let kind: [u8; 4] = b[at + 4..at + 8].try_into().unwrap_or([0; 4]);
        let (header, size) = match size32 {
            1 => (
                16,
                u64_at(b, at + 8, Endian::Big).ok_or_else(|| MediaError::damaged(format, "truncated box header"))?,
            ),
            0 => (8, (range.end - at) as u64),
            s => (8, s),
        };
        let end = at as u64 + size;
        if size < header || end > range.end as u64 {
            return Err(MediaError::damaged(
                format,
                format!(
                    "the '{}' box at byte {at} runs past its end",
                    String::from_utf8_lossy(&kind)
                ),
            ));
        }
        out.push(BoxAt {
            kind,
            payload: at + header as usize..end as usize,
        });
        at = end as usize;
    }
    Ok(out)
}

/// An item of the `meta` box.
struct Item {
    id: u32,
    kind: [u8; 4],
    content_type: String,
    /// Where its payload is, in the file; `None` when it cannot be told.
    extents: Option<Vec<Range<usize>>>,
}

struct Meta {
    items: Vec<Item>,
    /// The largest image-spatial-extent property: the picture's size.
    dimensions: Option<(u32, u32)>,
    /// Items that are thumbnails of another.
    thumbnails: usize,
}

fn parse(b: &[u8], format: Format) -> Result<Meta, MediaError> {
    let bad = |what: &str| MediaError::damaged(format, what.to_string());
    let top = boxes(b, 0..b.len(), format)?;
    let meta = top
        .iter()
        .find(|x| &x.kind == b"meta")
        .ok_or_else(|| MediaError::unsupported(format, "no 'meta' box (an image sequence?)"))?;
    let children = boxes(b, meta.payload.start + 4..meta.payload.end, format)?;
    let mut items: Vec<Item> = Vec::new();
    let mut dimensions: Option<(u32, u32)> = None;
    let mut thumbnails = 0;
    let mut idat: Option<Range<usize>> = None;
    for c in &children {
        if &c.kind == b"idat" {
            idat = Some(c.payload.clone());
        }
    }
    for c in &children {
        let p = c.payload.clone();
        match &c.kind {
            b"iinf" => {
                let v = *b.get(p.start).ok_or_else(|| bad("truncated iinf"))?;
                let skip = if v == 0 { 2 } else { 4 };
                for infe in boxes(b, p.start + 4 + skip..p.end, format)? {
                    if &infe.kind != b"infe" {
                        continue;
                    }
                    let q = infe.payload;
                    let v = *b.get(q.start).ok_or_else(|| bad("truncated infe"))?;
                    if v < 2 {
                        continue;
                    }
                    let (id, at) = if v == 2 {
                        (u16_at(b, q.start + 4, Endian::Big).map(u32::from), q.start + 6)
                    } else {
                        (u32_at(b, q.start + 4, Endian::Big), q.start + 8)
                    };
                    let id = id.ok_or_else(|| bad("truncated infe"))?;
                    let kind: [u8; 4] = b
                        .get(at + 2..at + 6)
                        .and_then(|k| k.try_into().ok())
                        .ok_or_else(|| bad("truncated infe"))?;
                    let rest = b.get(at + 6..q.end).unwrap_or(&[]);
                    let name_end = rest.iter().position(|&x| x == 0).map_or(rest.len(), |i| i + 1);
                    let ct = &rest[name_end.min(rest.len())..];
                    let ct = &ct[..ct.iter().position(|&x| x == 0).unwrap_or(ct.len())];
                    items.push(Item {
                        id,
                        kind,
                        content_type: text(ct),
                        extents: None,
                    });
                }
            }
            b"iprp" => {
                for ipco in boxes(b, p.clone(), format)? {
                    if &ipco.kind != b"ipco" {
                        continue;
                    }
                    for prop in boxes(b, ipco.payload, format)? {
                        if &prop.kind == b"ispe" {
                            let w = u32_at(b, prop.payload.start + 4, Endian::Big);
                            let h = u32_at(b, prop.payload.start + 8, Endian::Big);
                            if let (Some(w), Some(h)) = (w, h)
                                && dimensions
                                    .is_none_or(|(a, c)| u64::from(w) * u64::from(h) > u64::from(a) * u64::from(c))
                            {
                                dimensions = Some((w, h));
                            }
                        }
                    }
                }
            }
            b"iref" => {
                for r in boxes(b, p.start + 4..p.end, format)? {
                    if &r.kind == b"thmb" {
                        thumbnails += 1;
                    }
                }
            }
            _ => {}
        }
    }
    // Item locations.
    if let Some(iloc) = children.iter().find(|c| &c.kind == b"iloc") {
        let p = iloc.payload.clone();
        let t = || bad("truncated iloc");
        let v = *b.get(p.start).ok_or_else(t)?;
        let s1 = *b.get(p.start + 4).ok_or_else(t)?;
        let s2 = *b.get(p.start + 5).ok_or_else(t)?;
        let (off_size, len_size) = ((s1 >> 4) as usize, (s1 & 15) as usize);
        let (base_size, index_size) = ((s2 >> 4) as usize, if v >= 1 { (s2 & 15) as usize } else { 0 });
        let mut at = p.start + 6;
        let count = if v < 2 {
            let c = u16_at(b, at, Endian::Big).ok_or_else(t)? as u32;
            at += 2;
            c
        } else {
            let c = u32_at(b, at, Endian::Big).ok_or_else(t)?;
            at += 4;
            c
        };
        for _ in 0..count {
            let id = if v < 2 {
                let x = u16_at(b, at, Endian::Big).ok_or_else(t)? as u32;
                at += 2;
                x
            } else {
                let x = u32_at(b, at, Endian::Big).ok_or_else(t)?;
                at += 4;
                x
            };
            let method = if v >= 1 {
                let m = u16_at(b, at, Endian::Big).ok_or_else(t)? & 15;
                at += 2;
                m
            } else {
                0
            };
            let dref = u16_at(b, at, Endian::Big).ok_or_else(t)?;
            at += 2;
            let base = uint_be(b, at, base_size).ok_or_else(t)?;
            at += base_size;
            let n = u16_at(b, at, Endian::Big).ok_or_else(t)?;
            at += 2;
            let mut extents = Some(Vec::new());
            for _ in 0..n {
                at += index_size;
                let off = uint_be(b, at, off_size).ok_or_else(t)?;
                at += off_size;
                let len = uint_be(b, at, len_size).ok_or_else(t)?;
                at += len_size;
                let origin = match (method, &idat) {
                    (0, _) if dref == 0 => Some(0u64),
                    (1, Some(idat)) => Some(idat.start as u64),
                    _ => None,
                };
                let r = origin.and_then(|o| {
                    let s = o.checked_add(base)?.checked_add(off)?;
                    let e = if len == 0 { b.len() as u64 } else { s.checked_add(len)? };
                    (e <= b.len() as u64).then_some(s as usize..e as usize)
                });
                match (r, extents.as_mut()) {
                    (Some(r), Some(v)) => v.push(r),
                    _ => extents = None,
                }
            }
            if let Some(item) = items.iter_mut().find(|i| i.id == id) {
                item.extents = extents;
            }
        }
    }
    Ok(Meta {
        items,
        dimensions,
        thumbnails,
    })
}

/// An item's payload, its extents joined.
fn payload(b: &[u8], extents: &[Range<usize>]) -> Vec<u8> {
    extents.iter().flat_map(|r| b[r.clone()].iter().copied()).collect()
}

fn is_xmp(item: &Item) -> bool {
    let ct = item.content_type.to_ascii_lowercase();
    ct.contains("xml") || ct.contains("rdf")
}

pub(crate) fn read(b: &[u8], format: Format, found: &mut Found) -> Result<(), MediaError> {
    let meta = parse(b, format)?;
    found.dimensions = meta.dimensions;
    let name = format.as_str();
    for item in &meta.items {
        let what = match &item.kind {
            b"Exif" | b"mime" | b"uri " => item.kind,
            _ => continue,
        };
        let Some(extents) = &item.extents else {
            return Err(MediaError::unsupported(
                format,
                format!(
                    "item {} ({}) is stored where it cannot be reached",
                    item.id,
                    text(&what)
                ),
            ));
        };
        let data = payload(b, extents);
        match &what {
            b"Exif" => {
                let skip = u32_at(&data, 0, Endian::Big).unwrap_or(0) as usize;
                let tiff = data.get(4usize.saturating_add(skip)..).unwrap_or(&[]);
                if !tiff.iter().all(|&x| x == 0) {
                    found.exif(tiff, &format!("{name} Exif item"));
                }
            }
            b"mime" if is_xmp(item) => found.xmp(&data, &format!("{name} XMP item")),
            _ => {
                if !data.iter().all(|&x| x == 0 || x == b' ') {
                    found.push(
                        What::Hidden,
                        format!("{name} {} item", text(&what)),
                        format!("{} ({})", item.content_type, size(data.len())),
                    );
                }
            }
        }
    }
    for i in 0..meta.thumbnails {
        found
            .thumbnails
            .push((format!("{name} thumbnail item {}", i + 1), None));
    }
    // HEIF says where the picture is turned in its own properties (irot,
    // imir), which a scrub never touches; an EXIF orientation is only a note.
    found.orientation = None;
    Ok(())
}

/// Writes `with` over the extents, then `fill` to their end.
fn overwrite(o: &mut [u8], extents: &[Range<usize>], with: &[u8], fill: u8) {
    let mut src = with.iter().copied();
    for r in extents {
        for x in &mut o[r.clone()] {
            *x = src.next().unwrap_or(fill);
        }
    }
}

const EMPTY_XMP_HEAD: &[u8] =
    b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
const EMPTY_XMP_TAIL: &[u8] = b"<?xpacket end='w'?>";

pub(crate) fn scrub(b: &[u8], format: Format, keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let meta = parse(b, format)?;
    let mut o = b.to_vec();
    let mut copyright_kept = false;
    for item in &meta.items {
        if !matches!(&item.kind, b"Exif" | b"mime" | b"uri ") {
            continue;
        }
        let extents = item.extents.as_deref().ok_or_else(|| {
            MediaError::unsupported(format, format!("item {} is stored where it cannot be reached", item.id))
        })?;
        let len: usize = extents.iter().map(|r| r.len()).sum();
        if payload(b, extents).iter().all(|&x| x == 0 || x == b' ') {
            continue;
        }
        match &item.kind {
            b"Exif" => {
                let mut with = vec![0, 0, 0, 0];
                let block = match keep.copyright.as_deref() {
                    Some(c) if 4 + crate::exif::minimal(None, Some(c)).len() <= len => {
                        copyright_kept = true;
                        crate::exif::minimal(None, Some(c))
                    }
                    _ => crate::exif::minimal(None, None),
                };
                with.extend_from_slice(&block);
                if with.len() > len {
                    with.clear();
                }
                overwrite(&mut o, extents, &with, 0);
                out.removed.push(format!("EXIF item {} ({})", item.id, size(len)));
            }
            b"mime" if is_xmp(item) => {
                let mut with = EMPTY_XMP_HEAD.to_vec();
                if with.len() + EMPTY_XMP_TAIL.len() <= len {
                    with.resize(len - EMPTY_XMP_TAIL.len(), b' ');
                    with.extend_from_slice(EMPTY_XMP_TAIL);
                } else {
                    with.clear();
                }
                overwrite(&mut o, extents, &with, b' ');
                out.removed.push(format!("XMP item {} ({})", item.id, size(len)));
            }
            _ => {
                overwrite(&mut o, extents, &[], 0);
                out.removed
                    .push(format!("{} item {} ({})", text(&item.kind), item.id, size(len)));
            }
        }
    }
    if meta.thumbnails > 0 {
        out.kept.push(format!(
            "{} thumbnail item(s) of the same picture (HEIF items cannot be removed without rewriting the file)",
            meta.thumbnails
        ));
    }
    if copyright_kept {
        out.kept.push("copyright notice".to_string());
    }
    // Colour (colr) and rotation (irot, imir) are properties of the coded
    // picture in HEIF, not metadata: they are never touched, whatever the
    // options say.
    out.kept
        .push("colour profile and rotation (HEIF image properties, never touched)".to_string());
    out.set(o);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScrubOptions;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    fn full(kind: &[u8; 4], version: u8, payload: &[u8]) -> Vec<u8> {
        let mut p = vec![version, 0, 0, 0];
        p.extend_from_slice(payload);
        bx(kind, &p)
    }

    fn infe(id: u16, kind: &[u8; 4], content_type: &str) -> Vec<u8> {
        let mut p = id.to_be_bytes().to_vec();
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(kind);
        p.push(0); // empty name
        if !content_type.is_empty() {
            p.extend_from_slice(content_type.as_bytes());
            p.push(0);
        }
        full(b"infe", 2, &p)
    }

    /// A HEIC with a picture item (1), an Exif item (2) and an XMP item (3),
    /// their payloads in `mdat`, located by a version 0 `iloc`.
    pub(crate) fn sample() -> Vec<u8> {
        let picture = b"CODED-PICTURE-BYTES".to_vec();
        let mut exif = vec![0, 0, 0, 6];
        exif.extend_from_slice(b"Exif\0\0");
        exif.extend(crate::exif::minimal(Some(6), Some("(c) 2026 Someone Else")));
        exif.extend_from_slice(&[0; 16]);
        let xmp = b"<x:xmpmeta><rdf:Description aux:SerialNumber='SN-0123456789'/></x:xmpmeta>".to_vec();
        let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        let mut iinf_p = 3u16.to_be_bytes().to_vec();
        iinf_p.extend(infe(1, b"hvc1", ""));
        iinf_p.extend(infe(2, b"Exif", ""));
        iinf_p.extend(infe(3, b"mime", "application/rdf+xml"));
        let iinf = full(b"iinf", 0, &iinf_p);
        let mut ispe = vec![0, 0, 0, 0];
        ispe.extend_from_slice(&32u32.to_be_bytes());
        ispe.extend_from_slice(&16u32.to_be_bytes());
        let iprp = bx(b"iprp", &bx(b"ipco", &bx(b"ispe", &ispe)));
        // iloc: offset_size 4, length_size 4, base_offset_size 0.
        let iloc_len = 8 + 4 + 2 + 2 + 3 * (2 + 2 + 2 + 8);
        let hdlr = full(b"hdlr", 0, b"\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0");
        let meta_len = 8 + 4 + hdlr.len() + iinf.len() + iprp.len() + iloc_len;
        let mdat_data = ftyp.len() + meta_len + 8;
        let offs = [
            (1u16, mdat_data, picture.len()),
            (2, mdat_data + picture.len(), exif.len()),
            (3, mdat_data + picture.len() + exif.len(), xmp.len()),
        ];
        let mut iloc_p = vec![0x44, 0x00];
        iloc_p.extend_from_slice(&3u16.to_be_bytes());
        for (id, off, len) in offs {
            iloc_p.extend_from_slice(&id.to_be_bytes());
            iloc_p.extend_from_slice(&0u16.to_be_bytes());
            iloc_p.extend_from_slice(&1u16.to_be_bytes());
            iloc_p.extend_from_slice(&(off as u32).to_be_bytes());
            iloc_p.extend_from_slice(&(len as u32).to_be_bytes());
        }
        let iloc = full(b"iloc", 0, &iloc_p);
        assert_eq!(iloc.len(), iloc_len);
        let mut meta_p = hdlr;
        meta_p.extend(iinf);
        meta_p.extend(iprp);
        meta_p.extend(iloc);
        let meta = full(b"meta", 0, &meta_p);
        assert_eq!(meta.len(), meta_len);
        let mut mdat_p = picture;
        mdat_p.extend(exif);
        mdat_p.extend(xmp);
        let mut out = ftyp;
        out.extend(meta);
        out.extend(bx(b"mdat", &mdat_p));
        out
    }

    #[test]
    fn reads_exif_and_xmp_items() {
        let b = sample();
        assert_eq!(Format::sniff(&b), Some(Format::Heif));
        let got = crate::inspect(&b).expect("readable");
        assert_eq!(got.dimensions, Some((32, 16)));
        // The EXIF orientation is only a note in HEIF.
        assert_eq!(got.orientation, None);
        let sources: Vec<&str> = got.meta.items.iter().map(|i| i.source.as_str()).collect();
        assert_eq!(sources, ["EXIF Copyright", "HEIF XMP item aux:SerialNumber"]);
    }

    #[test]
    fn scrub_blanks_items_in_place_and_keeps_the_picture_and_copyright() {
        let b = sample();
        let s = crate::scrub(&b, &ScrubOptions::default()).expect("scrubbed");
        assert_eq!(s.bytes.len(), b.len());
        assert!(s.bytes.windows(19).any(|w| w == b"CODED-PICTURE-BYTES"));
        assert!(!String::from_utf8_lossy(&s.bytes).contains("SN-0123456789"));
        let again = crate::inspect(&s.bytes).expect("readable");
        let whats: Vec<&What> = again.meta.items.iter().map(|i| &i.what).collect();
        assert_eq!(whats, [&What::Copyright]);
        let none = ScrubOptions {
            keep_copyright: false,
            ..ScrubOptions::default()
        };
        let s = crate::scrub(&b, &none).expect("scrubbed");
        assert!(crate::inspect(&s.bytes).expect("readable").meta.items.is_empty());
        assert_eq!(crate::scrub(&s.bytes, &none).expect("again").bytes, s.bytes);
    }

    #[test]
    fn damaged_files_are_refused() {
        let b = sample();
        for cut in [20, 60, b.len() - 10] {
            assert!(
                crate::scrub(&b[..cut], &ScrubOptions::default()).is_err(),
                "cut at {cut}"
            );
        }
        // A box whose size runs past the end.
        let mut bad = b.clone();
        bad[3] = 0xFF;
        assert!(crate::inspect(&bad).is_err());
    }
}
