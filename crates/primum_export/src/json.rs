//! Streaming JSON: the elements of a top-level array, or of one array field
//! of a top-level object, handed over one at a time, so that memory is
//! bounded by the largest element and a file cut in the middle still gives
//! every element before the cut.

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Skips a JavaScript assignment in front of the JSON
/// (`window.YTD.tweets.part0 = `, `Grailbird.data.tweets_2015_10 =`,
/// `var user_details = `): everything before the first `[` or `{`.
pub(crate) fn skip_js_prefix(r: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'[' || b == b'{') {
            Some(i) => {
                r.consume(i);
                return Ok(());
            }
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

/// Where a JSON error is, for a message.
pub(crate) fn place(e: &serde_json::Error) -> Option<String> {
    (e.line() > 0).then(|| format!("line {}, column {}", e.line(), e.column()))
}

/// What went wrong, without serde's position suffix (given apart).
pub(crate) fn message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    match e.classify() {
        serde_json::error::Category::Eof => format!("the JSON ends in the middle ({s}): the file is truncated"),
        serde_json::error::Category::Io => format!("cannot be read to its end ({s})"),
        _ => format!("not valid JSON here ({s})"),
    }
}

/// Calls `f` with each element of the top-level array, or, when `field`
/// is given and the top level is an object, of that field's array.
/// Returns the number of elements read; an error comes after `f` has seen
/// every element before it.
pub(crate) fn each_element<R: Read>(
    r: R,
    field: Option<&str>,
    f: &mut dyn FnMut(Value),
) -> Result<usize, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(r);
    let mut count = 0;
    de::Deserializer::deserialize_any(
        &mut de,
        Elements {
            field,
            f,
            count: &mut count,
        },
    )?;
    Ok(count)
}

struct Elements<'a, 'f> {
    field: Option<&'a str>,
    f: &'f mut dyn FnMut(Value),
    count: &'f mut usize,
}

impl<'de> Visitor<'de> for Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "an array, or an object with an array `{field}`"),
            None => f.write_str("an array"),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            *self.count += 1;
            (self.f)(v);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(field) = self.field else {
            return Err(de::Error::custom("expected an array, found an object"));
        };
        let mut this = Some(self);
        while let Some(key) = map.next_key::<String>()? {
            if key == field
                && let Some(elements) = this.take()
            {
                map.next_value_seed(elements)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

/// A string field, or a number written as one (X writes ids both ways).
pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match v.get(key)? {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// A number field, or a number written as a string.
pub(crate) fn f64_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_before_a_cut_are_kept() {
        let mut got = Vec::new();
        let r = each_element(&b"[1, 2, {\"a\": 3}, {\"b\": "[..], None, &mut |v| got.push(v));
        let e = r.unwrap_err();
        assert!(e.is_eof());
        assert_eq!(got.len(), 3);
        assert!(message(&e).contains("truncated"), "{}", message(&e));
    }

    #[test]
    fn elements_of_a_field() {
        let mut got = Vec::new();
        let n = each_element(
            &br#"{"id": "outbox.json", "orderedItems": [{"x": 1}, {"x": 2}], "totalItems": 9}"#[..],
            Some("orderedItems"),
            &mut |v| got.push(v),
        )
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(got[1]["x"], 2);
    }

    #[test]
    fn js_prefix_is_skipped() {
        let mut r = io::BufReader::new(&b"window.YTD.tweets.part0 = [ {\"a\": 1} ];\n"[..]);
        skip_js_prefix(&mut r).unwrap();
        let mut n = 0;
        each_element(r, None, &mut |_| n += 1).unwrap();
        assert_eq!(n, 1);
    }
}
