//! CAR v1 files (content-addressed archives, as Bluesky exports a
//! repository): a DAG-CBOR header naming the root, then blocks, each a
//! CID and its bytes. Every block's bytes are checked against the hash in
//! its CID; a block that does not match is left out and reported.

use std::collections::HashMap;
use std::fmt;

use ciborium::Value;
use sha2::{Digest, Sha256};

/// A content identifier, as its binary bytes (version, codec, multihash).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cid(pub Vec<u8>);

/// The multihash code of SHA-256.
const SHA2_256: u64 = 0x12;

impl Cid {
    /// The hash function code and digest inside the CID.
    fn multihash(&self) -> Option<(u64, &[u8])> {
        let b = &self.0;
        if b.len() == 34 && b[0] == 0x12 && b[1] == 0x20 {
            return Some((SHA2_256, &b[2..]));
        }
        let mut at = 0;
        let _version = varint(b, &mut at)?;
        let _codec = varint(b, &mut at)?;
        let code = varint(b, &mut at)?;
        let len = usize::try_from(varint(b, &mut at)?).ok()?;
        let digest = b.get(at..at.checked_add(len)?)?;
        Some((code, digest))
    }
}

impl fmt::Display for Cid {
    /// The CID's usual text form: multibase base32, lower case (`bafy...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut s = String::from("b");
        let (mut buf, mut bits) = (0u32, 0u32);
        for &byte in &self.0 {
            buf = (buf << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                s.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
            }
        }
        if bits > 0 {
            s.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
        }
        f.write_str(&s)
    }
}

/// An unsigned LEB128 integer at `*at`.
fn varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The length of the CID at the start of `b`.
fn cid_len(b: &[u8]) -> Option<usize> {
    if b.len() >= 34 && b[0] == 0x12 && b[1] == 0x20 {
        return Some(34);
    }
    let mut at = 0;
    varint(b, &mut at)?;
    varint(b, &mut at)?;
    varint(b, &mut at)?;
    let len = usize::try_from(varint(b, &mut at)?).ok()?;
    let end = at.checked_add(len)?;
    (end <= b.len()).then_some(end)
}

/// Whether these first bytes look like a CAR v1: a length, then a CBOR
/// map holding `roots` and `version`.
pub(crate) fn looks_like_car(head: &[u8]) -> bool {
    let mut at = 0;
    let Some(len) = varint(head, &mut at) else {
        return false;
    };
    let window = &head[at.min(head.len())..head.len().min(at + 80)];
    len > 0
        && len < 1 << 20
        && window.first().is_some_and(|b| b & 0xe0 == 0xa0)
        && window.windows(5).any(|w| w == b"roots")
}

/// A CID held in DAG-CBOR (tag 42, bytes with a leading zero).
pub fn cid_of(v: &Value) -> Option<Cid> {
    match v {
        Value::Tag(42, inner) => match inner.as_ref() {
            Value::Bytes(b) if b.first() == Some(&0) => Some(Cid(b[1..].to_vec())),
            _ => None,
        },
        _ => None,
    }
}

/// A problem in a CAR file, with the byte offset where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarProblem {
    pub offset: usize,
    pub message: String,
}

/// A parsed CAR: its roots and its verified blocks.
pub struct Car<'a> {
    pub roots: Vec<Cid>,
    blocks: HashMap<Cid, &'a [u8]>,
    /// Blocks whose hash could not be checked (an unknown hash function).
    pub unverified: usize,
}

impl<'a> Car<'a> {
    /// Reads the header and indexes the blocks, checking each block's hash.
    /// Problems are returned beside whatever could be read.
    pub fn parse(bytes: &'a [u8]) -> (Car<'a>, Vec<CarProblem>) {
        let mut problems = Vec::new();
        let mut car = Car {
            roots: Vec::new(),
            blocks: HashMap::new(),
            unverified: 0,
        };
        let mut at = 0;
        let Some(hlen) = varint(bytes, &mut at).and_then(|l| usize::try_from(l).ok()) else {
            problems.push(CarProblem {
                offset: 0,
                message: "no CAR header".to_string(),
            });
            return (car, problems);
        };
        let Some(header) = bytes.get(at..at.saturating_add(hlen)) else {
            problems.push(CarProblem {
                offset: at,
                message: "the CAR header is cut short: the file is truncated".to_string(),
            });
            return (car, problems);
        };
        match ciborium::from_reader::<Value, _>(header) {
            Ok(h) => {
                let version = get(&h, "version").and_then(as_int);
                if version != Some(1) {
                    problems.push(CarProblem {
                        offset: at,
                        message: format!(
                            "unknown CAR version {} (only version 1 is read)",
                            version.map_or("(none)".to_string(), |v| v.to_string())
                        ),
                    });
                }
                if let Some(Value::Array(roots)) = get(&h, "roots") {
                    car.roots = roots.iter().filter_map(cid_of).collect();
                }
            }
            Err(e) => problems.push(CarProblem {
                offset: at,
                message: format!("the CAR header is not valid CBOR: {e}"),
            }),
        }
        at += hlen;
        let mut index = 0;
        while at < bytes.len() {
            index += 1;
            let start = at;
            let Some(len) = varint(bytes, &mut at).and_then(|l| usize::try_from(l).ok()) else {
                problems.push(CarProblem {
                    offset: start,
                    message: format!("block {index}: its length cannot be read: the file is truncated"),
                });
                break;
            };
            let Some(block) = at.checked_add(len).and_then(|end| bytes.get(at..end)) else {
                problems.push(CarProblem {
                    offset: start,
                    message: format!(
                        "block {index}: {len} bytes announced, {} left: the file is truncated",
                        bytes.len() - at
                    ),
                });
                break;
            };
            at += len;
            let Some(clen) = cid_len(block) else {
                problems.push(CarProblem {
                    offset: start,
                    message: format!("block {index}: its CID cannot be read"),
                });
                continue;
            };
            let cid = Cid(block[..clen].to_vec());
            let data = &block[clen..];
            match cid.multihash() {
                Some((SHA2_256, digest)) => {
                    if Sha256::digest(data).as_slice() != digest {
                        problems.push(CarProblem {
                            offset: start,
                            message: format!(
                                "block {index} ({cid}): its content does not match its hash; the block is left out"
                            ),
                        });
                        continue;
                    }
                }
                _ => car.unverified += 1,
            }
            car.blocks.insert(cid, data);
        }
        (car, problems)
    }

    pub fn block(&self, cid: &Cid) -> Option<&'a [u8]> {
        self.blocks.get(cid).copied()
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// A map's value by text key.
pub(crate) fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Map(m) => m
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

pub(crate) fn as_int(v: &Value) -> Option<i128> {
    match v {
        Value::Integer(i) => Some(i128::from(*i)),
        _ => None,
    }
}

pub(crate) fn as_text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A CIDv1 (dag-cbor, sha2-256) for `data`.
    pub(crate) fn cid_for(data: &[u8]) -> Cid {
        let mut b = vec![0x01, 0x71, 0x12, 0x20];
        b.extend_from_slice(&Sha256::digest(data));
        Cid(b)
    }

    pub(crate) fn uvarint(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    pub(crate) fn cbor(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(v, &mut out).expect("CBOR writes into memory");
        out
    }

    pub(crate) fn link(c: &Cid) -> Value {
        let mut b = vec![0];
        b.extend_from_slice(&c.0);
        Value::Tag(42, Box::new(Value::Bytes(b)))
    }

    /// A CAR of these blocks with the first as root.
    pub(crate) fn car(blocks: &[(Cid, Vec<u8>)]) -> Vec<u8> {
        let header = cbor(&Value::Map(vec![
            (Value::Text("roots".into()), Value::Array(vec![link(&blocks[0].0)])),
            (Value::Text("version".into()), Value::Integer(1.into())),
        ]));
        let mut out = Vec::new();
        uvarint(header.len(), &mut out);
        out.extend(header);
        for (cid, data) in blocks {
            uvarint(cid.0.len() + data.len(), &mut out);
            out.extend(&cid.0);
            out.extend(data);
        }
        out
    }

    #[test]
    fn a_block_that_does_not_match_its_hash_is_reported() {
        let a = cbor(&Value::Text("root".into()));
        let b = cbor(&Value::Text("leaf".into()));
        let bytes = car(&[
            (cid_for(&a), a.clone()),
            (cid_for(&b), cbor(&Value::Text("lEaf".into()))),
        ]);
        assert!(looks_like_car(&bytes));
        let (car, problems) = Car::parse(&bytes);
        assert_eq!(car.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("does not match its hash"), "{problems:?}");
        assert!(problems[0].message.contains("block 2 (bafyrei"), "{problems:?}");
    }

    #[test]
    fn a_truncated_car_keeps_the_blocks_before_the_cut() {
        let a = cbor(&Value::Text("root".into()));
        let b = cbor(&Value::Text("leaf".into()));
        let bytes = car(&[(cid_for(&a), a.clone()), (cid_for(&b), b)]);
        let (car, problems) = Car::parse(&bytes[..bytes.len() - 3]);
        assert_eq!(car.len(), 1);
        assert!(problems[0].message.contains("truncated"), "{problems:?}");
    }
}
