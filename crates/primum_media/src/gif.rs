//! GIF: a block walk; a scrub keeps the image blocks, graphic controls,
//! plain-text blocks (they are drawn) and the looping extension, and drops
//! comments, XMP and other application extensions and anything after the
//! trailer.

use primum_core::image::What;

use crate::bytes::{Endian, text, u16_at};
use crate::{Format, Found, Keep, MediaError, Plan, size};

fn damaged(what: impl Into<String>) -> MediaError {
    MediaError::damaged(Format::Gif, what)
}

/// One block of a GIF after its header.
enum Block {
    /// Kept as is: an image, a graphic control, a plain-text block.
    Image(std::ops::Range<usize>),
    Comment {
        all: std::ops::Range<usize>,
        text: Vec<u8>,
    },
    Application {
        all: std::ops::Range<usize>,
        id: Vec<u8>,
        data: Vec<u8>,
    },
}

/// Skips data sub-blocks from `at`; returns the end and the bytes, each
/// sub-block with its length byte (how XMP is stored in a GIF).
fn sub_blocks(b: &[u8], mut at: usize) -> Result<(usize, Vec<u8>), MediaError> {
    let mut raw = Vec::new();
    loop {
        let n = *b.get(at).ok_or_else(|| damaged("truncated inside a block"))? as usize;
        if n == 0 {
            return Ok((at + 1, raw));
        }
        let d = b
            .get(at..at + 1 + n)
            .ok_or_else(|| damaged("truncated inside a block"))?;
        raw.extend_from_slice(d);
        at += 1 + n;
    }
}

struct Walk {
    /// The header, screen descriptor and global colour table.
    head: usize,
    blocks: Vec<Block>,
    /// Where the trailer ends.
    end: usize,
    width: u16,
    height: u16,
}

fn walk(b: &[u8]) -> Result<Walk, MediaError> {
    let width = u16_at(b, 6, Endian::Little).ok_or_else(|| damaged("truncated header"))?;
    let height = u16_at(b, 8, Endian::Little).ok_or_else(|| damaged("truncated header"))?;
    let flags = *b.get(10).ok_or_else(|| damaged("truncated header"))?;
    let mut at = 13;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    let head = at;
    let mut blocks = Vec::new();
    loop {
        let start = at;
        match b.get(at) {
            None => return Err(damaged("truncated: no trailer")),
            Some(0x3B) => {
                return Ok(Walk {
                    head,
                    blocks,
                    end: at + 1,
                    width,
                    height,
                });
            }
            Some(0x2C) => {
                let f = *b.get(at + 9).ok_or_else(|| damaged("truncated image descriptor"))?;
                at += 10;
                if f & 0x80 != 0 {
                    at += 3 << ((f & 7) + 1);
                }
                at += 1; // LZW minimum code size
                let (end, _) = sub_blocks(b, at)?;
                at = end;
                blocks.push(Block::Image(start..at));
            }
            Some(0x21) => {
                let label = *b.get(at + 1).ok_or_else(|| damaged("truncated extension"))?;
                let (end, raw) = sub_blocks(b, at + 2)?;
                at = end;
                match label {
                    0xFE => {
                        let mut t = Vec::new();
                        let mut i = 0;
                        while i < raw.len() {
                            let n = raw[i] as usize;
                            t.extend_from_slice(raw.get(i + 1..i + 1 + n).unwrap_or(&[]));
                            i += 1 + n;
                        }
                        blocks.push(Block::Comment {
                            all: start..at,
                            text: t,
                        });
                    }
                    0xFF => {
                        let id = raw.get(1..12).unwrap_or(&[]).to_vec();
                        let data = raw.get(12..).unwrap_or(&[]).to_vec();
                        blocks.push(Block::Application {
                            all: start..at,
                            id,
                            data,
                        });
                    }
                    _ => blocks.push(Block::Image(start..at)),
                }
            }
            Some(x) => return Err(damaged(format!("unknown block {x:#04x} at byte {at}"))),
        }
    }
}

/// Application extensions kept: looping (they change how the picture plays).
fn keeps(id: &[u8], keep: &Keep) -> bool {
    id == b"NETSCAPE2.0" || id == b"ANIMEXTS1.0" || (keep.icc && id == b"ICCRGBG1012")
}

pub(crate) fn read(b: &[u8], found: &mut Found) -> Result<(), MediaError> {
    let w = walk(b)?;
    found.dimensions = Some((u32::from(w.width), u32::from(w.height)));
    for block in &w.blocks {
        match block {
            Block::Comment { text: t, .. } => found.push(What::Comment, "GIF comment", text(t)),
            Block::Application { id, data, .. } if id == b"XMP DataXMP" => found.xmp(data, "GIF XMP"),
            Block::Application { id, data, .. } if !keeps(id, &Keep::default_for_read()) => {
                let name = text(id);
                found.push(
                    What::Hidden,
                    format!("GIF application extension {name}"),
                    format!("{} of application data", size(data.len())),
                );
            }
            _ => {}
        }
    }
    if w.end < b.len() {
        found.push(
            What::Hidden,
            "GIF data after the trailer",
            format!("{} after the end of the image", size(b.len() - w.end)),
        );
    }
    Ok(())
}

impl Keep {
    fn default_for_read() -> Keep {
        Keep {
            orientation: None,
            copyright: None,
            icc: true,
        }
    }
}

pub(crate) fn scrub(b: &[u8], keep: &Keep, out: &mut Plan) -> Result<(), MediaError> {
    let w = walk(b)?;
    out.input(0..w.head);
    for block in &w.blocks {
        match block {
            Block::Image(r) => out.input(r.clone()),
            Block::Comment { all, .. } => out.removed.push(format!("comment ({})", size(all.len()))),
            Block::Application { all, id, .. } => {
                if keeps(id, keep) {
                    out.input(all.clone());
                } else {
                    out.removed
                        .push(format!("application extension {} ({})", text(id), size(all.len())));
                }
            }
        }
    }
    out.extend_from_slice(&[0x3B]);
    if w.end < b.len() {
        out.removed
            .push(format!("data after the trailer ({})", size(b.len() - w.end)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::ScrubOptions;

    fn sample() -> Vec<u8> {
        let mut b = b"GIF89a".to_vec();
        b.extend_from_slice(&[2, 0, 1, 0, 0x80, 0, 0]); // 2x1, 2-colour table
        b.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        b.extend_from_slice(&[0x21, 0xFE, 8]);
        b.extend_from_slice(b"Jane Doe");
        b.push(0);
        b.extend_from_slice(&[0x21, 0xFF, 11]);
        b.extend_from_slice(b"NETSCAPE2.0");
        b.extend_from_slice(&[3, 1, 0, 0, 0]);
        b.extend_from_slice(&[0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0]);
        b.push(0x3B);
        b.extend_from_slice(b"trailing");
        b
    }

    #[test]
    fn reads_and_scrubs_comments_keeping_the_image_and_looping() {
        let b = sample();
        let got = crate::inspect(&b).expect("readable");
        let values: Vec<&str> = got.meta.items.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(values, ["Jane Doe", "8 bytes after the end of the image"]);
        let s = crate::scrub(&b, &ScrubOptions::default()).expect("scrubbed");
        assert!(crate::inspect(&s.bytes).expect("readable").meta.items.is_empty());
        assert!(s.bytes.windows(11).any(|w| w == b"NETSCAPE2.0"));
        assert!(s.bytes.ends_with(&[0x44, 0x01, 0, 0x3B]));
    }

    #[test]
    fn truncated_files_are_refused() {
        let b = sample();
        for cut in [5, 12, 20, 40] {
            assert!(
                crate::scrub(&b[..cut], &ScrubOptions::default()).is_err(),
                "cut at {cut}"
            );
        }
    }
}
