//! Plain lists of posts, for any platform primum has no importer for:
//! JSONL (one post per line, as `primum check --jsonl` reads them: `id`,
//! `text`, `created_at`, and `url`) and CSV with a header naming the same
//! columns (`text` may also be `content`, `body` or `message`;
//! `created_at` may be `date` or `timestamp`).

use std::io::{self, BufRead, BufReader, Read};

use primum_core::DateTime;
use serde_json::Value;

use crate::archive::Tree;
use crate::{Export, Post, Progress, Source};

/// The kind of a single file from its first bytes, when its name does
/// not tell.
pub(crate) fn sniff(head: &[u8]) -> Option<Source> {
    let s = String::from_utf8_lossy(head);
    let s = s.trim_start_matches('\u{feff}').trim_start();
    if s.starts_with("window.YTD.") || s.starts_with("Grailbird.") {
        return Some(Source::X);
    }
    if s.starts_with('{') {
        if s.contains("\"orderedItems\"") || s.contains("\"https://www.w3.org/ns/activitystreams") {
            return Some(Source::Mastodon);
        }
        return Some(Source::Jsonl);
    }
    let header = s.lines().next().unwrap_or("").to_ascii_lowercase();
    if header.starts_with("date,sharelink") {
        return Some(Source::Linkedin);
    }
    let cols: Vec<&str> = header.split(',').map(|c| c.trim().trim_matches('"')).collect();
    if cols
        .iter()
        .any(|c| matches!(*c, "text" | "content" | "body" | "message"))
    {
        return Some(Source::Csv);
    }
    None
}

pub(crate) fn import(tree: &mut dyn Tree, names: &[String], out: &mut Export, progress: &dyn Progress) {
    let file = names.first().cloned().unwrap_or_default();
    let source = out.source;
    tree.visit(&mut |n| n == file, &mut |name, r| match source {
        Source::Csv => read_csv(name, r, out, progress),
        Source::Mastodon => read_activity(name, r, out),
        _ => read_jsonl(name, r, out, progress),
    });
    out.notes
        .push("a plain list of posts carries no likes and no account settings".to_string());
}

fn post_from(v: &Value, line: usize) -> Option<Post> {
    let text = v.get("text").and_then(Value::as_str)?;
    let id = match v.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => line.to_string(),
    };
    Some(Post {
        id,
        text: text.to_string(),
        created_at: v.get("created_at").and_then(Value::as_str).and_then(DateTime::parse),
        url: v.get("url").and_then(Value::as_str).map(str::to_string),
        ..Post::default()
    })
}

fn read_jsonl(name: &str, r: &mut dyn Read, out: &mut Export, progress: &dyn Progress) -> io::Result<()> {
    let mut r = BufReader::new(r);
    let mut line = String::new();
    let mut no = 0;
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            break;
        }
        no += 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(v) => match post_from(&v, no) {
                Some(p) => {
                    out.posts.push(p);
                    if out.posts.len().is_multiple_of(1000) {
                        progress.posts(out.posts.len());
                    }
                }
                None => out.error(name, Some(format!("line {no}")), "not a post: no `text` string"),
            },
            Err(e) => out.error(
                name,
                Some(format!("line {no}, column {}", e.column())),
                crate::json::message(&e),
            ),
        }
    }
    Ok(())
}

fn read_csv(name: &str, r: &mut dyn Read, out: &mut Export, progress: &dyn Progress) -> io::Result<()> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.error(name, Some("line 1".to_string()), format!("cannot be read as CSV: {e}"));
            return Ok(());
        }
    };
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase().as_str()))
    };
    let Some(text) = col(&["text", "content", "body", "message"]) else {
        out.error(name, Some("line 1".to_string()), "no `text` column in the header");
        return Ok(());
    };
    let (id, date, url) = (
        col(&["id"]),
        col(&["created_at", "date", "timestamp"]),
        col(&["url", "link"]),
    );
    for (i, rec) in rdr.records().enumerate() {
        match rec {
            Ok(rec) => {
                let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty());
                let created_at = get(date).and_then(|d| {
                    DateTime::parse(d)
                        .or_else(|| DateTime::parse(&d.replace(' ', "T")))
                        .or_else(|| d.parse::<i64>().ok().map(DateTime::from_unix))
                });
                out.posts.push(Post {
                    id: get(id).map_or_else(|| (i + 1).to_string(), str::to_string),
                    text: rec.get(text).unwrap_or("").to_string(),
                    created_at,
                    url: get(url).map(str::to_string),
                    ..Post::default()
                });
                if out.posts.len().is_multiple_of(1000) {
                    progress.posts(out.posts.len());
                }
            }
            Err(e) => {
                let place = e.position().map(|p| format!("line {}", p.line()));
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                out.error(name, place, format!("cannot be read as CSV: {e}"));
                if io {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// A single ActivityStreams activity or outbox given alone.
fn read_activity(name: &str, r: &mut dyn Read, out: &mut Export) -> io::Result<()> {
    let v: Value = match serde_json::from_reader(BufReader::new(r)) {
        Ok(v) => v,
        Err(e) => {
            out.error(name, crate::json::place(&e), crate::json::message(&e));
            return Ok(());
        }
    };
    let items = match v.get("orderedItems").and_then(Value::as_array) {
        Some(a) => a.clone(),
        None => vec![v],
    };
    for item in &items {
        if let Some(post) = item.get("object").and_then(|o| crate::mastodon::note(o, item)) {
            if out.account.id.is_none() {
                out.account.id = item.get("actor").and_then(Value::as_str).map(str::to_string);
            }
            out.posts.push(post);
        }
    }
    Ok(())
}
