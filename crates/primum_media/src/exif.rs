//! EXIF: decoded with `kamadak-exif` into metadata items; and the minimal
//! EXIF block a scrub writes back (orientation, copyright).

use exif::{Context, In, Reader, Tag, Value};
use primum_core::image::What;

use crate::Found;
use crate::bytes::text;
use crate::tiff;

/// Reads an EXIF block (a TIFF structure: byte order, IFD0, ...) found at
/// `source` ("JPEG APP1", "PNG eXIf").
pub(crate) fn read(data: &[u8], source: &str, found: &mut Found) {
    // XMP, IPTC and Photoshop blocks stored as IFD0 tags are read from the
    // raw entries, which kamadak-exif gives as numbers for some types.
    if let Some(ifd0) = tiff::Tiff::parse(data).and_then(|t| t.ifd(t.first).map(|i| (t, i))) {
        let (t, ifd) = ifd0;
        for e in &ifd.entries {
            let Some(raw) = t.value(e) else { continue };
            match e.tag {
                700 => found.xmp(raw, &format!("{source} XMP")),
                33723 => found.iptc(raw, &format!("{source} IPTC")),
                34377 => found.photoshop(raw, &format!("{source} Photoshop")),
                _ => {}
            }
        }
    }
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let exif = match reader.read_raw(data.to_vec()) {
        Ok(e) => e,
        Err(exif::Error::PartialResult(p)) => p.into_inner().0,
        Err(e) => {
            found.push(
                What::Hidden,
                format!("{source} EXIF"),
                format!("an EXIF block that cannot be read ({e})"),
            );
            return;
        }
    };
    let mut lat = None;
    let mut lon = None;
    let mut lat_ref = None;
    let mut lon_ref = None;
    for f in exif.fields() {
        let tag = f.tag;
        let name = tag.to_string();
        let ifd = if f.ifd_num == In::THUMBNAIL { "IFD1 " } else { "" };
        let src = format!("EXIF {ifd}{name}");
        if tag.context() == Context::Gps {
            match tag {
                Tag::GPSLatitude => lat = coordinate(&f.value),
                Tag::GPSLongitude => lon = coordinate(&f.value),
                Tag::GPSLatitudeRef => lat_ref = ascii(&f.value),
                Tag::GPSLongitudeRef => lon_ref = ascii(&f.value),
                Tag::GPSVersionID => {}
                _ => found.push(What::GpsOther, src, f.display_value().with_unit(&exif).to_string()),
            }
            continue;
        }
        if f.ifd_num == In::THUMBNAIL {
            continue;
        }
        let what = match tag {
            Tag::BodySerialNumber | Tag::LensSerialNumber => Some(What::Serial),
            Tag::CameraOwnerName => Some(What::Person),
            Tag::Artist => {
                if let Some(v) = ascii(&f.value) {
                    found.push(What::Credit, src.clone(), v);
                }
                Some(What::Person)
            }
            Tag::DateTime | Tag::DateTimeOriginal | Tag::DateTimeDigitized => Some(What::Time),
            Tag::Software => Some(What::Software),
            Tag::ImageDescription | Tag::UserComment => Some(What::Comment),
            Tag::ImageUniqueID => Some(What::EditHistory),
            Tag::Make | Tag::Model | Tag::LensMake | Tag::LensModel => Some(What::Device),
            Tag::MakerNote => Some(What::MakerNote),
            Tag::Copyright => Some(What::Copyright),
            Tag::Orientation if f.ifd_num == In::PRIMARY => {
                found.orientation = f.value.get_uint(0).and_then(|o| u16::try_from(o).ok());
                None
            }
            _ => match tag.number() {
                // HostComputer, DocumentName, and Windows' XP tags.
                0x013C => Some(What::Software),
                0x010D => Some(What::Comment),
                0xC62F => Some(What::Serial),
                0x9C9B | 0x9C9C | 0x9C9E | 0x9C9F => {
                    if let Value::Byte(b) = &f.value {
                        found.push(What::Comment, src.clone(), utf16le(b));
                    }
                    None
                }
                0x9C9D => {
                    if let Value::Byte(b) = &f.value {
                        found.push(What::Person, src.clone(), utf16le(b));
                    }
                    None
                }
                _ => None,
            },
        };
        let Some(what) = what else { continue };
        let value = match (&what, &f.value) {
            (What::MakerNote, Value::Undefined(b, _)) => crate::size(b.len()),
            (_, Value::Undefined(b, _)) if tag == Tag::UserComment => user_comment(b),
            (_, Value::Ascii(_)) => ascii(&f.value).unwrap_or_default(),
            _ => f.display_value().to_string(),
        };
        if value.is_empty() && what != What::MakerNote {
            continue;
        }
        found.push(what, src, value);
    }
    if let (Some((la, lres)), Some((lo, ores))) = (lat, lon) {
        let la = if lat_ref.as_deref() == Some("S") { -la } else { la };
        let lo = if lon_ref.as_deref() == Some("W") { -lo } else { lo };
        found.push(
            What::Position {
                lat: la,
                lon: lo,
                resolution: lres.min(ores),
            },
            format!("{source} EXIF GPS"),
            format!("{la}, {lo}"),
        );
    } else if lat.is_some() || lon.is_some() {
        found.push(What::GpsOther, format!("{source} EXIF GPS"), "a partial GPS position");
    }
    // The thumbnail in IFD1: its size, to tell whether it shows the same
    // picture.
    let offset = exif
        .get_field(Tag::JPEGInterchangeFormat, In::THUMBNAIL)
        .and_then(|f| f.value.get_uint(0));
    let length = exif
        .get_field(Tag::JPEGInterchangeFormatLength, In::THUMBNAIL)
        .and_then(|f| f.value.get_uint(0));
    if let (Some(o), Some(l)) = (offset, length) {
        let thumb = data.get(o as usize..(o as usize).saturating_add(l as usize));
        let dims = thumb.and_then(crate::jpeg::dimensions);
        found.thumbnails.push((
            format!("{source} EXIF IFD1 thumbnail ({})", crate::size(l as usize)),
            dims,
        ));
    } else if exif.get_field(Tag::StripOffsets, In::THUMBNAIL).is_some() {
        let w = exif
            .get_field(Tag::ImageWidth, In::THUMBNAIL)
            .and_then(|f| f.value.get_uint(0));
        let h = exif
            .get_field(Tag::ImageLength, In::THUMBNAIL)
            .and_then(|f| f.value.get_uint(0));
        let dims = w.zip(h);
        found.thumbnails.push((format!("{source} EXIF IFD1 thumbnail"), dims));
    }
}

/// The first string of an ASCII value.
fn ascii(v: &Value) -> Option<String> {
    match v {
        Value::Ascii(parts) => {
            let s = parts.iter().map(|p| text(p)).collect::<Vec<_>>().join(" ");
            let s = s.trim().to_string();
            (!s.is_empty()).then_some(s)
        }
        _ => None,
    }
}

/// Degrees, minutes and seconds as decimal degrees, with the resolution
/// they are stored to (in degrees).
fn coordinate(v: &Value) -> Option<(f64, f64)> {
    let Value::Rational(r) = v else { return None };
    let mut deg = 0.0;
    let mut resolution = f64::INFINITY;
    for (i, scale) in [1.0, 1.0 / 60.0, 1.0 / 3600.0].into_iter().enumerate() {
        let Some(x) = r.get(i) else { break };
        if x.denom == 0 {
            if x.num == 0 {
                continue;
            }
            return None;
        }
        deg += x.to_f64() * scale;
        resolution = resolution.min(scale / f64::from(x.denom));
    }
    (resolution.is_finite() && (0.0..=180.0).contains(&deg)).then_some((deg, resolution))
}

/// An EXIF UserComment: an 8-byte character code, then the text.
fn user_comment(b: &[u8]) -> String {
    let (code, body) = b.split_at(b.len().min(8));
    if code.starts_with(b"UNICODE") {
        // UCS-2 in the file's byte order; guess little-endian when the
        // high bytes are zero in odd places.
        let le = body.iter().skip(1).step_by(2).all(|&c| c == 0);
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16_lossy(&units).trim_matches(['\0', ' ']).to_string();
    }
    text(body)
}

fn utf16le(b: &[u8]) -> String {
    let units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units).trim_matches(['\0', ' ']).to_string()
}

/// A minimal big-endian EXIF block (a TIFF structure) with IFD0 holding
/// only the orientation and the copyright notice given.
pub(crate) fn minimal(orientation: Option<u16>, copyright: Option<&str>) -> Vec<u8> {
    let mut entries: Vec<(u16, u16, u32, Vec<u8>)> = Vec::new();
    if let Some(o) = orientation {
        entries.push((0x0112, 3, 1, o.to_be_bytes().to_vec()));
    }
    if let Some(c) = copyright {
        let mut v: Vec<u8> = c.bytes().filter(|&b| b != 0).collect();
        v.push(0);
        entries.push((0x8298, 2, v.len() as u32, v));
    }
    let mut out = b"MM\0*\0\0\0\x08".to_vec();
    let n = entries.len();
    out.extend_from_slice(&(n as u16).to_be_bytes());
    let mut extra_at = 8 + 2 + 12 * n + 4;
    let mut extra = Vec::new();
    for (tag, typ, count, value) in &entries {
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&typ.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        if value.len() <= 4 {
            let mut v = value.clone();
            v.resize(4, 0);
            out.extend_from_slice(&v);
        } else {
            out.extend_from_slice(&(extra_at as u32).to_be_bytes());
            extra.extend_from_slice(value);
            if value.len() % 2 == 1 {
                extra.push(0);
            }
            extra_at += value.len() + value.len() % 2;
        }
    }
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&extra);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_block_reads_back() {
        let b = minimal(Some(6), Some("(c) 2026 A. Example"));
        let exif = Reader::new().read_raw(b).expect("valid EXIF");
        let o = exif
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0));
        assert_eq!(o, Some(6));
        let c = exif.get_field(Tag::Copyright, In::PRIMARY).expect("copyright");
        assert_eq!(ascii(&c.value).as_deref(), Some("(c) 2026 A. Example"));
        assert_eq!(exif.fields().count(), 2);
    }

    #[test]
    fn gps_reads_as_decimal_degrees() {
        let mut found = Found::default();
        // The corpus position written by exiftool, 40 47 25.08 N 73 57 11.88 W.
        let r = |n, d| exif::Rational { num: n, denom: d };
        let (deg, res) = coordinate(&Value::Rational(vec![r(40, 1), r(47, 1), r(2508, 100)])).expect("valid");
        assert!((deg - 40.7903).abs() < 1e-6);
        assert!((res - 1.0 / 360_000.0).abs() < 1e-12);
        assert_eq!(coordinate(&Value::Rational(vec![r(1, 0)])), None);
        read(b"not exif", "test", &mut found);
        assert!(matches!(found.meta.items[0].what, What::Hidden));
    }

    #[test]
    fn user_comments_decode() {
        assert_eq!(user_comment(b"ASCII\0\0\0pt Jane Doe"), "pt Jane Doe");
        assert_eq!(user_comment(b"UNICODE\0J\0a\0"), "Ja");
        assert_eq!(user_comment(b""), "");
    }
}
