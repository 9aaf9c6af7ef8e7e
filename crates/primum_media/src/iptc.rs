//! IPTC-IIM (record 2) and the Photoshop image-resource blocks that carry
//! it in JPEG (APP13) and TIFF (tag 34377), with their thumbnails.

use primum_core::image::What;

use crate::Found;
use crate::bytes::{Endian, text, u16_at, u32_at};

/// Record 2 datasets read, with their names and what they are.
fn dataset(n: u8) -> Option<(&'static str, What)> {
    Some(match n {
        5 => ("ObjectName", What::Comment),
        25 => ("Keywords", What::Comment),
        40 => ("SpecialInstructions", What::Comment),
        55 => ("DateCreated", What::Time),
        60 => ("TimeCreated", What::Time),
        62 => ("DigitalCreationDate", What::Time),
        65 => ("OriginatingProgram", What::Software),
        80 => ("By-line", What::Person),
        85 => ("By-lineTitle", What::Person),
        90 => ("City", What::PlaceName),
        92 => ("Sub-location", What::PlaceName),
        95 => ("Province-State", What::PlaceName),
        100 => ("Country-PrimaryLocationCode", What::PlaceName),
        101 => ("Country-PrimaryLocationName", What::PlaceName),
        105 => ("Headline", What::Comment),
        110 => ("Credit", What::Credit),
        115 => ("Source", What::Credit),
        116 => ("CopyrightNotice", What::Copyright),
        120 => ("Caption-Abstract", What::Comment),
        122 => ("Writer-Editor", What::Person),
        _ => return None,
    })
}

pub(crate) fn read(b: &[u8], source: &str, found: &mut Found) {
    let mut at = 0;
    while at + 5 <= b.len() {
        if b[at] != 0x1C {
            // Padding after the last dataset, or a damaged block.
            break;
        }
        let record = b[at + 1];
        let ds = b[at + 2];
        let Some(len) = u16_at(b, at + 3, Endian::Big) else {
            break;
        };
        if len & 0x8000 != 0 {
            // An extended dataset (over 32 kB): not text worth reading.
            break;
        }
        let start = at + 5;
        let Some(value) = b.get(start..start + len as usize) else {
            break;
        };
        if record == 2
            && let Some((name, what)) = dataset(ds)
        {
            let v = text(value);
            if !v.is_empty() {
                if ds == 80 {
                    found.push(What::Credit, format!("{source} {name}"), v.clone());
                }
                found.push(what, format!("{source} {name}"), v);
            }
        }
        at = start + len as usize;
    }
}

/// Reads Photoshop image resources ("8BIM" blocks): IPTC (0x0404) and
/// thumbnails (0x0409, 0x040C).
pub(crate) fn read_irb(b: &[u8], source: &str, found: &mut Found) {
    let mut at = 0;
    while at + 12 <= b.len() {
        if &b[at..at + 4] != b"8BIM" {
            break;
        }
        let Some(id) = u16_at(b, at + 4, Endian::Big) else {
            break;
        };
        // A Pascal name padded to an even length.
        let name_len = b[at + 6] as usize;
        let mut p = at + 6 + 1 + name_len;
        if (1 + name_len) % 2 == 1 {
            p += 1;
        }
        let Some(size) = u32_at(b, p, Endian::Big) else { break };
        let start = p + 4;
        let Some(data) = b.get(start..start.saturating_add(size as usize)) else {
            break;
        };
        match id {
            0x0404 => read(data, &format!("{source} IPTC"), found),
            0x0409 | 0x040C => {
                let dims = u32_at(data, 4, Endian::Big).zip(u32_at(data, 8, Endian::Big));
                found
                    .thumbnails
                    .push((format!("{source} thumbnail ({})", crate::size(data.len())), dims));
            }
            _ => {}
        }
        at = start + size as usize + (size as usize % 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(n: u8, v: &str) -> Vec<u8> {
        let mut b = vec![0x1C, 2, n];
        b.extend_from_slice(&(v.len() as u16).to_be_bytes());
        b.extend_from_slice(v.as_bytes());
        b
    }

    #[test]
    fn reads_names_places_and_rights() {
        let mut iim = ds(80, "Alex Example");
        iim.extend(ds(90, "New York"));
        iim.extend(ds(116, "(c) Getty Images"));
        let mut irb = b"8BIM\x04\x04\0\0".to_vec();
        irb.extend_from_slice(&(iim.len() as u32).to_be_bytes());
        irb.extend_from_slice(&iim);
        let mut f = Found::default();
        read_irb(&irb, "JPEG APP13", &mut f);
        let sources: Vec<&str> = f.meta.items.iter().map(|i| i.source.as_str()).collect();
        assert!(sources.contains(&"JPEG APP13 IPTC By-line"), "{sources:?}");
        assert!(sources.contains(&"JPEG APP13 IPTC City"));
        assert_eq!(f.copyright.as_deref(), Some("(c) Getty Images"));
    }

    #[test]
    fn damaged_blocks_stop_quietly() {
        let mut f = Found::default();
        read(&[0x1C, 2, 80, 0xFF], "X", &mut f);
        read(&[0x1C, 2, 80, 0, 200, b'a'], "X", &mut f);
        read_irb(b"8BIM\x04\x04\x05abc", "X", &mut f);
        read_irb(b"8BIM\x04\x04\0\0\xFF\xFF\xFF\xFF", "X", &mut f);
        assert!(f.meta.items.is_empty());
    }
}
