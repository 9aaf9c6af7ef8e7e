//! Bounds-checked reads of big- and little-endian integers: every read of
//! untrusted bytes goes through here and fails with `None` past the end.

/// A byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Big,
    Little,
}

pub(crate) fn u16_at(b: &[u8], at: usize, e: Endian) -> Option<u16> {
    let s: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(match e {
        Endian::Big => u16::from_be_bytes(s),
        Endian::Little => u16::from_le_bytes(s),
    })
}

pub(crate) fn u32_at(b: &[u8], at: usize, e: Endian) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(match e {
        Endian::Big => u32::from_be_bytes(s),
        Endian::Little => u32::from_le_bytes(s),
    })
}

pub(crate) fn u64_at(b: &[u8], at: usize, e: Endian) -> Option<u64> {
    let s: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(match e {
        Endian::Big => u64::from_be_bytes(s),
        Endian::Little => u64::from_le_bytes(s),
    })
}

/// A big-endian unsigned integer of `n` bytes (0, 4 or 8; 0 reads as 0).
pub(crate) fn uint_be(b: &[u8], at: usize, n: usize) -> Option<u64> {
    match n {
        0 => Some(0),
        2 => u16_at(b, at, Endian::Big).map(u64::from),
        4 => u32_at(b, at, Endian::Big).map(u64::from),
        8 => u64_at(b, at, Endian::Big),
        _ => None,
    }
}

/// Text from metadata bytes: UTF-8 where valid, else Latin-1; NULs and
/// surrounding white space removed.
pub(crate) fn text(b: &[u8]) -> String {
    let s = match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    };
    s.trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fail_past_the_end() {
        assert_eq!(u16_at(&[1, 2], 0, Endian::Big), Some(0x0102));
        assert_eq!(u16_at(&[1, 2], 0, Endian::Little), Some(0x0201));
        assert_eq!(u16_at(&[1, 2], 1, Endian::Big), None);
        assert_eq!(u32_at(&[1, 2, 3], 0, Endian::Big), None);
        assert_eq!(u32_at(&[], usize::MAX, Endian::Big), None);
        assert_eq!(uint_be(&[0, 0, 0, 5], 0, 4), Some(5));
        assert_eq!(uint_be(&[], 0, 0), Some(0));
    }

    #[test]
    fn text_falls_back_to_latin1() {
        assert_eq!(text(b"  Jos\xe9\0\0"), "José");
        assert_eq!(text("Zoë\0".as_bytes()), "Zoë");
    }
}
