//! Reading posts: a file or stdin holding one post, or JSONL with one post
//! per line. Everything here returns a message for the user instead of
//! failing: one bad input must not stop the others.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::sync::mpsc;
use std::thread;

use primum_core::{AccountKind, DateTime, Platform, Post};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;

use crate::offsets::{low_bytes, word_at};

/// What the command line says about posts that do not say it themselves.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub platform: Option<Platform>,
    pub account: Option<AccountKind>,
    pub reply_to: Option<String>,
}

impl Defaults {
    /// A post with just this text and the command line's defaults.
    pub fn post(&self, text: String) -> Post {
        Post {
            text,
            platform: self.platform.unwrap_or_default(),
            reply_to: self.reply_to.clone(),
            account: self.account,
            created_at: None,
        }
    }
}

/// The name stdin goes by in the human output and in messages.
pub const STDIN_LABEL: &str = "<stdin>";

/// The name of an input for messages: the path, or `<stdin>` for `-`.
pub fn label(path: &str) -> &str {
    if path == "-" { STDIN_LABEL } else { path }
}

/// Reads a whole input: a file, or stdin for `-`.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        return io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|e| format!("cannot read standard input: {e}"));
    }
    fs::read(path).map_err(|e| io_message(&e))
}

/// A short message for a file that cannot be opened or read.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file (check the path)".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied (check the file's permissions)".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// Reads a file that holds one post: UTF-8 text, not binary. A leading
/// byte-order mark is dropped; nothing else is changed.
pub fn read_post(path: &str) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    text_of(bytes)
}

/// Checks that `bytes` is a post's text and returns it.
pub fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    // A NUL never occurs in a post; it does in images, PDFs and
    // executables, which are also usually invalid UTF-8, so it is checked
    // first to give the more useful message.
    if bytes.contains(&0) {
        return Err("binary file, not a post (give a UTF-8 text file, or --image for an image)".to_string());
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "invalid UTF-8 at byte {} (a post must be UTF-8 text; convert it, e.g. `iconv -f latin1 -t utf-8`)",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// One line of JSONL input, as read.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: usize,
    pub bytes: &'a [u8],
}

/// How much input a JSONL chunk holds before it is checked: large enough
/// to keep every core busy, small enough to keep memory bounded.
pub const CHUNK_BYTES: usize = 4 << 20;

/// The first chunk's size; each next one is twice as large, up to
/// [`CHUNK_BYTES`]. The cores wait for the first chunk to be read and cut
/// into lines (some 20 ms for a whole 4 MB, a fiftieth of a 20 MB batch),
/// so it is kept small; from the second on, chunks are read while the one
/// before is checked.
const FIRST_CHUNK_BYTES: usize = 256 << 10;

/// A chunk read ahead: its bytes (whole lines only) and its lines, as
/// `(number, start, end)` in the bytes.
struct Chunk {
    buf: Vec<u8>,
    lines: Vec<(usize, usize, usize)>,
}

/// Reads JSONL from `reader` in chunks of whole lines and hands each chunk
/// to `f`, with the number of bytes it consumed. Blank lines are skipped
/// (their numbers still count). Fails on a read error, or when the input
/// is binary.
///
/// A thread of its own reads the next chunk and cuts it into lines while
/// `f` works on the one before, so that the cores checking a chunk never
/// wait for the next to be read. It stays one chunk ahead at most, and
/// reuses the buffers `f` is done with: memory stays bounded, and is not
/// touched for the first time (a page fault for each page) at every chunk.
/// If `f` fails, reading stops.
pub fn for_each_chunk(
    reader: impl Read + Send,
    mut f: impl FnMut(&[Line<'_>], usize) -> io::Result<()>,
) -> io::Result<()> {
    let (send, chunks) = mpsc::sync_channel::<Chunk>(1);
    let (recycle, spare) = mpsc::channel::<Vec<u8>>();
    thread::scope(|s| {
        let reading = s.spawn(move || read_chunks(reader, &send, &spare));
        let mut result = Ok(());
        for chunk in chunks {
            let lines: Vec<Line<'_>> = chunk
                .lines
                .iter()
                .map(|&(no, from, to)| Line {
                    no,
                    bytes: &chunk.buf[from..to],
                })
                .collect();
            result = f(&lines, chunk.buf.len());
            if result.is_err() {
                // Leaving the loop drops the receiver: the reader stops.
                break;
            }
            drop(lines);
            // The reader may have ended already; then the buffer goes.
            let _ = recycle.send(chunk.buf);
        }
        let read = reading
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("internal error: the input reader stopped")));
        result.and(read)
    })
}

/// The reader's side of [`for_each_chunk`]: reads chunks of whole lines
/// into buffers (from `spare` when there are any) and sends them, cut into
/// lines, on `send`; stops at the end of the input, or when the receiver
/// has gone.
fn read_chunks(
    mut reader: impl Read,
    send: &mpsc::SyncSender<Chunk>,
    spare: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let mut size = FIRST_CHUNK_BYTES;
    let mut buf: Vec<u8> = Vec::with_capacity(size + (64 << 10));
    let mut no = 0;
    let mut first = true;
    let mut eof = false;
    while !eof {
        // Fill to `size`, or further until a line ends.
        loop {
            let old = buf.len();
            let want = if old < size { size - old } else { 64 << 10 };
            // Read into the buffer's spare room without zeroing it first: a
            // pipe gives 64 KB a read, and zeroing the rest of the chunk
            // before each one cost many times the reading.
            let n = reader.by_ref().take(want as u64).read_to_end(&mut buf)?;
            if n == 0 {
                eof = true;
                break;
            }
            if buf.len() >= size && buf[old..].contains(&b'\n') {
                break;
            }
        }
        if first {
            first = false;
            if buf[..buf.len().min(8192)].contains(&0) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "binary file, not JSONL (give one JSON object per line)",
                ));
            }
            if buf.starts_with("\u{feff}".as_bytes()) {
                buf.drain(..3);
            }
        }
        let cut = if eof {
            buf.len()
        } else {
            buf.iter().rposition(|&b| b == b'\n').map_or(buf.len(), |i| i + 1)
        };
        if cut == 0 {
            continue;
        }
        let mut lines = Vec::new();
        let mut from = 0;
        // Each piece up to a newline, and the one after the last newline
        // (which is empty when the chunk ends with one, and is no line).
        while from <= cut {
            let end = find_newline(&buf[..cut], from).unwrap_or(cut);
            let raw = &buf[from..end];
            let start = from;
            from = end + 1;
            if end == cut && raw.is_empty() && cut > 0 && buf[cut - 1] == b'\n' {
                break;
            }
            no += 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            lines.push((no, start, start + raw.len()));
        }
        size = (size * 2).min(CHUNK_BYTES);
        // The line not yet ended starts the next buffer.
        let mut next = spare.try_recv().unwrap_or_default();
        next.clear();
        next.reserve(size + (64 << 10));
        next.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        if send.send(Chunk { buf, lines }).is_err() {
            // `f` failed and its side has gone: nothing more to read for.
            return Ok(());
        }
        buf = next;
    }
    Ok(())
}

/// The first newline in `bytes` at or after `from`, looked for eight bytes
/// at a time. The main thread splits each chunk into lines while the
/// workers wait for the first batch; a byte-by-byte search took a few
/// milliseconds per chunk.
fn find_newline(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i < bytes.len() {
        let n = (bytes.len() - i).min(8);
        let x = word_at(bytes, i) ^ (u64::from(b'\n') * ONES);
        // 0x80 in each byte that is a newline (exact: no borrows).
        let newlines = !(((x & !HIGH) + !HIGH) | x | !HIGH) & low_bytes(n) & HIGH;
        if newlines != 0 {
            return Some(i + newlines.trailing_zeros() as usize / 8);
        }
        i += n;
    }
    None
}

/// A JSONL line as parsed: the post and what the report needs of it.
#[derive(Debug)]
pub struct LinePost {
    /// The report's id: the line's `id`, or its line number.
    pub id: String,
    pub post: Post,
    /// Paths of attached images.
    pub images: Vec<String>,
}

/// A line that is not a valid post: the id to report it under, and what
/// is wrong.
#[derive(Debug)]
pub struct BadLine {
    pub id: String,
    pub error: String,
}

/// The fields of a post line. Each is kept as a JSON value so that a
/// wrong type gets a message naming the field; unknown fields are ignored.
#[derive(Deserialize)]
struct RawLine {
    id: Option<Value>,
    text: Option<Value>,
    platform: Option<Value>,
    reply_to: Option<Value>,
    created_at: Option<Value>,
    images: Option<Value>,
    account: Option<Value>,
}

/// A post line in its usual shape: every field absent, null or a string
/// (`images` a list of strings), strings borrowed from the line unless
/// they hold escapes. It is tried first because it parses without building
/// a JSON value per field; a line that does not fit it (an id that is a
/// number, a field of the wrong type, a duplicate key) goes through
/// [`RawLine`], whose messages name what is wrong.
#[derive(Deserialize)]
struct PlainLine<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    platform: Option<Str<'a>>,
    #[serde(borrow)]
    reply_to: Option<Str<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    #[serde(borrow)]
    images: Option<Vec<Str<'a>>>,
    #[serde(borrow)]
    account: Option<Str<'a>>,
}

/// A JSON string, borrowed from the input when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Visit<'a> {
            type Value = Str<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visit(std::marker::PhantomData))
    }
}

fn parse_platform(p: &str) -> Result<Platform, String> {
    Platform::parse(p).ok_or_else(|| {
        format!(
            "\"platform\": unknown platform `{p}` (allowed: {})",
            Platform::ALL.map(Platform::as_str).join(", ")
        )
    })
}

fn parse_account(a: &str) -> Result<AccountKind, String> {
    AccountKind::parse(a).ok_or_else(|| {
        format!(
            "\"account\": unknown account kind `{a}` (allowed: {})",
            AccountKind::ALL.map(AccountKind::as_str).join(", ")
        )
    })
}

fn parse_created_at(t: &str) -> Result<DateTime, String> {
    DateTime::parse(t)
        .ok_or_else(|| format!("\"created_at\": `{t}` is not an RFC 3339 time (like 2026-11-02T08:15:00Z)"))
}

/// The message for a line without a text.
fn no_text() -> String {
    "no \"text\" field: each line needs {\"text\": \"...\"}".to_string()
}

/// [`parse_line`] for a line of the usual shape; `None` when the line
/// does not have it. Checks the values in the same order as the general
/// path, so either gives the same post or the same message.
fn parse_plain(line: Line<'_>, text: &str, defaults: &Defaults) -> Option<Result<LinePost, BadLine>> {
    let raw: PlainLine<'_> = serde_json::from_str(text).ok()?;
    let id = raw.id.map_or_else(|| line.no.to_string(), |s| s.0.into_owned());
    let fields = (|| {
        let text = raw.text.ok_or_else(no_text)?.0.into_owned();
        let platform = match &raw.platform {
            None => defaults.platform.unwrap_or_default(),
            Some(p) => parse_platform(&p.0)?,
        };
        let account = match &raw.account {
            None => defaults.account,
            Some(a) => Some(parse_account(&a.0)?),
        };
        let created_at = match &raw.created_at {
            None => None,
            Some(t) => Some(parse_created_at(&t.0)?),
        };
        let reply_to = match raw.reply_to {
            None => defaults.reply_to.clone(),
            Some(r) => Some(r.0.into_owned()),
        };
        let images = raw
            .images
            .map_or_else(Vec::new, |v| v.into_iter().map(|s| s.0.into_owned()).collect());
        Ok((
            Post {
                text,
                platform,
                reply_to,
                account,
                created_at,
            },
            images,
        ))
    })();
    Some(match fields {
        Ok((post, images)) => Ok(LinePost { id, post, images }),
        Err(error) => Err(BadLine { id, error }),
    })
}

/// Parses one JSONL line into a post; the command line's defaults fill
/// what the line does not give.
pub fn parse_line(line: Line<'_>, defaults: &Defaults) -> Result<LinePost, BadLine> {
    let number = || line.no.to_string();
    let bad = |id: String, error: String| BadLine { id, error };
    let text = std::str::from_utf8(line.bytes).map_err(|e| {
        bad(
            number(),
            format!(
                "invalid UTF-8 at byte {} of the line (the input must be UTF-8)",
                e.valid_up_to()
            ),
        )
    })?;
    if let Some(done) = parse_plain(line, text, defaults) {
        return done;
    }
    let raw: RawLine = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_data() {
            "not a post: each line must be a JSON object with a \"text\" string"
        } else {
            "not valid JSON: each line must be one JSON object"
        };
        bad(number(), format!("{what} ({e})"))
    })?;
    let id = match raw.id {
        None | Some(Value::Null) => number(),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(bad(
                number(),
                format!("\"id\" must be a string or a number, not {}", type_name(&other)),
            ));
        }
    };
    let string = |field: &str, v: Option<Value>| -> Result<Option<String>, String> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("\"{field}\" must be a string, not {}", type_name(&other))),
        }
    };
    let fields = (|| {
        let text = string("text", raw.text)?.ok_or_else(no_text)?;
        let platform = match string("platform", raw.platform)? {
            None => defaults.platform.unwrap_or_default(),
            Some(p) => parse_platform(&p)?,
        };
        let account = match string("account", raw.account)? {
            None => defaults.account,
            Some(a) => Some(parse_account(&a)?),
        };
        let created_at = match string("created_at", raw.created_at)? {
            None => None,
            Some(t) => Some(parse_created_at(&t)?),
        };
        let reply_to = string("reply_to", raw.reply_to)?.or_else(|| defaults.reply_to.clone());
        let images = match raw.images {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(format!("\"images\" must list paths, not {}", type_name(&other))),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(format!("\"images\" must be a list of paths, not {}", type_name(&other))),
        };
        Ok((
            Post {
                text,
                platform,
                reply_to,
                account,
                created_at,
            },
            images,
        ))
    })();
    match fields {
        Ok((post, images)) => Ok(LinePost { id, post, images }),
        Err(error) => Err(bad(id, error)),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str) -> Vec<(usize, String)> {
        let mut got = Vec::new();
        for_each_chunk(input.as_bytes(), |ls, _| {
            got.extend(ls.iter().map(|l| (l.no, String::from_utf8_lossy(l.bytes).into_owned())));
            Ok(())
        })
        .unwrap();
        got
    }

    #[test]
    fn numbers_lines_and_skips_blank_ones() {
        assert_eq!(
            lines("\u{feff}a\r\n\n  \nb\nc"),
            [(1, "a".into()), (4, "b".into()), (5, "c".into())]
        );
        assert_eq!(lines("a\n"), [(1, "a".into())]);
        assert!(lines("").is_empty());
        assert_eq!(
            lines("\n\nfirst line, long\r\n\n\t\nsecond line, longer still\n\n"),
            [(3, "first line, long".into()), (6, "second line, longer still".into())]
        );
    }

    /// Lines of many lengths over several chunks (the first is 256 KB, the
    /// next ones twice as large), some cut by a chunk's end: each comes out
    /// whole, numbered, once, in order, and the chunks' sizes add up to the
    /// input's.
    #[test]
    fn lines_across_chunks_come_out_whole_and_in_order() {
        let mut input = String::new();
        let mut want = Vec::new();
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for no in 1..=12_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x.is_multiple_of(17) {
                input.push('\n');
                continue;
            }
            let line = format!("{no}:{}", "é-x".repeat((x % 400) as usize));
            input.push_str(&line);
            input.push('\n');
            want.push((no, line));
        }
        assert!(input.len() > 3 * CHUNK_BYTES / 2, "spans several chunks");
        let mut got = Vec::new();
        let mut consumed = 0;
        let mut chunks = 0;
        for_each_chunk(input.as_bytes(), |ls, n| {
            got.extend(
                ls.iter()
                    .map(|l| (l.no, String::from_utf8(l.bytes.to_vec()).expect("whole lines"))),
            );
            consumed += n;
            chunks += 1;
            Ok(())
        })
        .unwrap();
        assert!(chunks >= 4, "{chunks} chunks");
        assert_eq!(consumed, input.len());
        assert_eq!(got, want);
    }

    /// When the output fails, reading stops and the failure is returned; a
    /// read error after some chunks comes after them.
    #[test]
    fn failures_stop_the_reading() {
        let input = "{}\n".repeat(1 << 20);
        let mut calls = 0;
        let r = for_each_chunk(input.as_bytes(), |_, _| {
            calls += 1;
            Err(io::Error::other("output closed"))
        });
        assert_eq!(r.unwrap_err().to_string(), "output closed");
        assert_eq!(calls, 1);

        /// Gives `ok` bytes of lines, then fails.
        struct Failing {
            ok: usize,
        }
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.ok == 0 {
                    return Err(io::Error::other("disk on fire"));
                }
                let n = buf.len().min(self.ok);
                buf[..n].fill(b'\n');
                buf[..n].iter_mut().step_by(2).for_each(|b| *b = b'x');
                self.ok -= n;
                Ok(n)
            }
        }
        let mut lines = 0;
        let r = for_each_chunk(Failing { ok: 1 << 20 }, |ls, _| {
            lines += ls.len();
            Ok(())
        });
        assert_eq!(r.unwrap_err().to_string(), "disk on fire");
        assert!(lines > 0, "the chunks read before the error are checked");
    }

    #[test]
    fn bad_lines_name_what_is_wrong() {
        let d = Defaults::default();
        let parse = |s: &str| {
            parse_line(
                Line {
                    no: 7,
                    bytes: s.as_bytes(),
                },
                &d,
            )
        };
        assert!(parse("{nope").unwrap_err().error.starts_with("not valid JSON"));
        assert!(parse("[1]").unwrap_err().error.starts_with("not a post"));
        let e = parse(r#"{"id": "p1"}"#).unwrap_err();
        assert_eq!((e.id.as_str(), e.error.starts_with("no \"text\"")), ("p1", true));
        assert_eq!(
            parse(r#"{"text": 3}"#).unwrap_err().error,
            "\"text\" must be a string, not a number"
        );
        assert!(parse(r#"{"text": "x", "platform": "myspace"}"#).is_err());
        assert!(parse(r#"{"text": "x", "created_at": "yesterday"}"#).is_err());
        let ok = parse(r#"{"text": "x", "id": 12, "extra": {"a": 1}, "platform": "twitter"}"#).unwrap();
        assert_eq!((ok.id.as_str(), ok.post.platform), ("12", Platform::X));
        let bad = parse_line(
            Line {
                no: 2,
                bytes: b"{\"text\": \"\xff\"}",
            },
            &d,
        )
        .unwrap_err();
        assert_eq!(
            bad.error.split(' ').take(5).collect::<Vec<_>>().join(" "),
            "invalid UTF-8 at byte 10"
        );
    }
}
