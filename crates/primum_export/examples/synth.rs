//! Writes synthetic exports of N posts in every format the importers read,
//! for the audit benchmark (`bench/audit.sh`): an X zip, a Mastodon zip
//! and tar.gz, a Bluesky CAR, a LinkedIn zip, Facebook and Instagram zips,
//! and JSONL. Post texts come from a labelled corpus given as JSONL (the
//! shared dev posts; never copied into the repository), each with a few
//! varying words so that not every post is a duplicate.
//!
//! Usage: cargo run --release -p primum_export --example synth -- OUT_DIR N [CORPUS.jsonl]

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use ciborium::Value;
use sha2::{Digest, Sha256};

const WORDS: &[&str] = &[
    "today",
    "clinic",
    "team",
    "update",
    "reminder",
    "thanks",
    "week",
    "news",
    "service",
    "health",
    "care",
    "spring",
    "winter",
    "local",
    "practice",
    "community",
    "support",
    "open",
    "evening",
    "morning",
];

const FALLBACK: &[&str] = &[
    "Flu jabs are available at the surgery from Monday, ask at reception.",
    "Great session with the nursing students on wound care this afternoon.",
    "Reminder: our phone lines are busiest before 10am, try later for routine queries.",
    "New research on sleep and blood pressure worth a read for anyone interested.",
];

/// A tiny deterministic generator (no dependency for randomness).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

struct Gen {
    texts: Vec<String>,
    rng: Lcg,
}

impl Gen {
    fn text(&mut self, i: usize) -> String {
        let base = &self.texts[i % self.texts.len()];
        let extra: Vec<&str> = (0..5)
            .map(|_| WORDS[(self.rng.next() as usize) % WORDS.len()])
            .collect();
        format!("{base} {}", extra.join(" "))
    }

    /// Seconds since the epoch of post `i`: about forty posts a day from
    /// 2020, at varying hours.
    fn time(&mut self, i: usize) -> i64 {
        1_577_836_800 + (i as i64) * 2_160 + (self.rng.next() % 1800) as i64
    }
}

fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn x_date(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let s = rfc3339(t);
    let (y, m, d, hms) = (&s[0..4], &s[5..7], &s[8..10], &s[11..19]);
    let wd = DAYS[(t.div_euclid(86_400)).rem_euclid(7) as usize];
    format!("{wd} {} {d} {hms} +0000 {y}", MONTHS[m.parse::<usize>().unwrap() - 1])
}

fn zip_files(path: &Path, files: Vec<(&str, Vec<u8>)>) {
    let mut z = zip::ZipWriter::new(BufWriter::new(File::create(path).unwrap()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
}

fn x(g: &mut Gen, n: usize, out: &Path) {
    let mut tweets = Vec::with_capacity(n);
    for i in 0..n {
        let t = g.time(i);
        tweets.push(serde_json::json!({"tweet": {
            "id_str": format!("{}", 1_300_000_000_000_000_000u64 + i as u64),
            "full_text": g.text(i).replace('&', "&amp;"),
            "created_at": x_date(t),
            "entities": {"urls": [], "user_mentions": [], "hashtags": []},
        }}));
    }
    let likes: Vec<_> = (0..n / 4)
        .map(|i| serde_json::json!({"like": {"tweetId": format!("{}", 1_300_000_000_000_000_000u64 + (i * 7) as u64)}}))
        .collect();
    let js = |name: &str, v: &serde_json::Value| {
        format!("window.YTD.{name}.part0 = {}", serde_json::to_string_pretty(v).unwrap()).into_bytes()
    };
    zip_files(
        &out.join("x.zip"),
        vec![
            (
                "data/account.js",
                js(
                    "account",
                    &serde_json::json!([{"account": {"accountId": "1", "username": "synthetic"}}]),
                ),
            ),
            ("data/like.js", js("like", &serde_json::Value::Array(likes))),
            ("data/tweets.js", js("tweets", &serde_json::Value::Array(tweets))),
        ],
    );
}

fn mastodon(g: &mut Gen, n: usize, out: &Path) {
    let actor = "https://example.social/users/synthetic";
    let items: Vec<_> = (0..n)
        .map(|i| {
            let t = rfc3339(g.time(i));
            let id = format!("{actor}/statuses/{}", 100_000_000 + i);
            serde_json::json!({"id": format!("{id}/activity"), "type": "Create", "actor": actor, "published": t,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{actor}/followers")],
                "object": {"id": id, "type": "Note", "published": t, "url": format!("https://example.social/@synthetic/{}", 100_000_000 + i),
                    "content": format!("<p>{}</p>", g.text(i).replace('&', "&amp;").replace('<', "&lt;")), "attachment": [], "tag": []}})
        })
        .collect();
    let outbox = serde_json::to_vec(
        &serde_json::json!({"id": "outbox.json", "type": "OrderedCollection", "totalItems": n, "orderedItems": items}),
    )
    .unwrap();
    let likes = serde_json::to_vec(&serde_json::json!({"id": "likes.json", "type": "OrderedCollection",
        "orderedItems": (0..n / 4).map(|i| format!("{actor}/statuses/{}", 100_000_000 + i * 7)).collect::<Vec<_>>()}))
    .unwrap();
    let actor_json = serde_json::to_vec(
        &serde_json::json!({"id": actor, "type": "Person", "preferredUsername": "synthetic", "manuallyApprovesFollowers": false, "discoverable": true}),
    )
    .unwrap();
    let files = vec![
        ("actor.json", actor_json.clone()),
        ("outbox.json", outbox.clone()),
        ("likes.json", likes.clone()),
    ];
    zip_files(&out.join("mastodon.zip"), files.clone());
    let mut t = tar::Builder::new(flate2::write::GzEncoder::new(
        BufWriter::new(File::create(out.join("mastodon.tar.gz")).unwrap()),
        flate2::Compression::fast(),
    ));
    for (name, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o444);
        h.set_cksum();
        t.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

fn cbor(v: &Value) -> Vec<u8> {
    let mut o = Vec::new();
    ciborium::into_writer(v, &mut o).unwrap();
    o
}

fn cid(data: &[u8]) -> Vec<u8> {
    let mut b = vec![0x01, 0x71, 0x12, 0x20];
    b.extend_from_slice(&Sha256::digest(data));
    b
}

fn link(c: &[u8]) -> Value {
    let mut b = vec![0];
    b.extend_from_slice(c);
    Value::Tag(42, Box::new(Value::Bytes(b)))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn map(items: Vec<(&str, Value)>) -> Value {
    Value::Map(items.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn bluesky(g: &mut Gen, n: usize, out: &Path) {
    let did = "did:plc:synthetic";
    let mut blocks: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let tid = |i: usize| format!("3k{:011}", i);
    for i in 0..n {
        let rec = cbor(&map(vec![
            ("$type", text("app.bsky.feed.post")),
            ("text", text(&g.text(i))),
            ("createdAt", text(&rfc3339(g.time(i)))),
        ]));
        let c = cid(&rec);
        entries.push((format!("app.bsky.feed.post/{}", tid(i)), c.clone()));
        blocks.push((c, rec));
    }
    for i in 0..n / 4 {
        let rec = cbor(&map(vec![
            ("$type", text("app.bsky.feed.like")),
            (
                "subject",
                map(vec![(
                    "uri",
                    text(&format!("at://{did}/app.bsky.feed.post/{}", tid(i * 7))),
                )]),
            ),
            ("createdAt", text(&rfc3339(g.time(i * 7) + 60))),
        ]));
        let c = cid(&rec);
        entries.push((format!("app.bsky.feed.like/{}", tid(i)), c.clone()));
        blocks.push((c, rec));
    }
    entries.sort();
    // Leaves of 64 entries under one root node: a shallow tree, enough for
    // the importer's walk (not the canonical MST layering).
    let mut root_entries = Vec::new();
    let mut prev = String::new();
    for chunk in entries.chunks(64) {
        let mut leaf = Vec::new();
        let mut lp = String::new();
        for (k, c) in &chunk[1..] {
            let p = lp.bytes().zip(k.bytes()).take_while(|(a, b)| a == b).count();
            leaf.push(map(vec![
                ("p", Value::Integer(p.into())),
                ("k", Value::Bytes(k.as_bytes()[p..].to_vec())),
                ("v", link(c)),
                ("t", Value::Null),
            ]));
            lp = k.clone();
        }
        let node = cbor(&map(vec![("l", Value::Null), ("e", Value::Array(leaf))]));
        let nc = cid(&node);
        blocks.push((nc.clone(), node));
        let (k, c) = &chunk[0];
        let p = prev.bytes().zip(k.bytes()).take_while(|(a, b)| a == b).count();
        root_entries.push(map(vec![
            ("p", Value::Integer(p.into())),
            ("k", Value::Bytes(k.as_bytes()[p..].to_vec())),
            ("v", link(c)),
            ("t", link(&nc)),
        ]));
        prev = k.clone();
    }
    let root = cbor(&map(vec![("l", Value::Null), ("e", Value::Array(root_entries))]));
    let rc = cid(&root);
    blocks.push((rc.clone(), root));
    let commit = cbor(&map(vec![
        ("did", text(did)),
        ("version", Value::Integer(3.into())),
        ("data", link(&rc)),
        ("rev", text("3kzzzzzzzzzzz")),
        ("prev", Value::Null),
    ]));
    let cc = cid(&commit);
    let header = cbor(&map(vec![
        ("roots", Value::Array(vec![link(&cc)])),
        ("version", Value::Integer(1.into())),
    ]));
    let mut f = BufWriter::new(File::create(out.join("bluesky.car")).unwrap());
    let varint = |mut n: usize, f: &mut BufWriter<File>| loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            f.write_all(&[b]).unwrap();
            break;
        }
        f.write_all(&[b | 0x80]).unwrap();
    };
    varint(header.len(), &mut f);
    f.write_all(&header).unwrap();
    for (c, d) in std::iter::once((cc, commit)).chain(blocks) {
        varint(c.len() + d.len(), &mut f);
        f.write_all(&c).unwrap();
        f.write_all(&d).unwrap();
    }
    f.flush().unwrap();
}

fn linkedin(g: &mut Gen, n: usize, out: &Path) {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Date",
        "ShareLink",
        "ShareCommentary",
        "SharedUrl",
        "MediaUrl",
        "Visibility",
    ])
    .unwrap();
    for i in 0..n {
        let date = rfc3339(g.time(i)).replace('T', " ").trim_end_matches('Z').to_string();
        w.write_record([
            date.as_str(),
            &format!(
                "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A{}",
                7_000_000_000u64 + i as u64
            ),
            &g.text(i).replace('\n', "\"\n\""),
            "",
            "",
            "PUBLIC",
        ])
        .unwrap();
    }
    zip_files(&out.join("linkedin.zip"), vec![("Shares.csv", w.into_inner().unwrap())]);
}

/// Meta's mis-encoding: each UTF-8 byte as its own code point.
fn meta_text(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

fn meta(g: &mut Gen, n: usize, out: &Path) {
    let fb: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"timestamp": g.time(i), "data": [{"post": meta_text(&g.text(i))}]}))
        .collect();
    zip_files(
        &out.join("facebook.zip"),
        vec![(
            "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
            serde_json::to_vec(&fb).unwrap(),
        )],
    );
    let ig: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({"media": [{"uri": format!("media/posts/{i}.jpg"), "creation_timestamp": g.time(i), "title": meta_text(&g.text(i))}]})
        })
        .collect();
    zip_files(
        &out.join("instagram.zip"),
        vec![(
            "your_instagram_activity/content/posts_1.json",
            serde_json::to_vec(&ig).unwrap(),
        )],
    );
}

fn jsonl(g: &mut Gen, n: usize, out: &Path) {
    let mut f = BufWriter::new(File::create(out.join("posts.jsonl")).unwrap());
    for i in 0..n {
        let line = serde_json::json!({"id": format!("p{i}"), "text": g.text(i), "created_at": rfc3339(g.time(i))});
        writeln!(f, "{line}").unwrap();
    }
    f.flush().unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: synth OUT_DIR N [CORPUS.jsonl]");
        std::process::exit(2);
    };
    let mut texts: Vec<String> = args
        .get(3)
        .and_then(|p| fs::read_to_string(p).ok())
        .map(|s| {
            s.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if texts.is_empty() {
        texts = FALLBACK.iter().map(|s| s.to_string()).collect();
    }
    let out = Path::new(dir);
    fs::create_dir_all(out).unwrap();
    type Writer = fn(&mut Gen, usize, &Path);
    let writers: [(&str, Writer); 6] = [
        ("x", x),
        ("mastodon", mastodon),
        ("bluesky", bluesky),
        ("linkedin", linkedin),
        ("facebook/instagram", meta),
        ("jsonl", jsonl),
    ];
    for (name, w) in writers {
        let mut g = Gen {
            texts: texts.clone(),
            rng: Lcg(42),
        };
        w(&mut g, n, out);
        eprintln!("wrote {name}");
    }
}
