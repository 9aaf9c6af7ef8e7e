//! Bluesky repository exports (`com.atproto.sync.getRepo`, one CAR file).
//! The records are found by walking the Merkle Search Tree from the root
//! commit, never by iterating the blocks: older exports also hold the
//! blocks of deleted records.

use std::collections::HashSet;

use ciborium::Value;
use primum_core::DateTime;

use crate::car::{Car, Cid, as_text, cid_of, get};
use crate::{Export, ImportError, Like, LikeKind, Media, Post, Progress, Setting, Source};

/// Tree nodes deeper than this are taken for a loop.
const MAX_DEPTH: usize = 64;
/// Missing blocks named one by one before they are only counted.
const MAX_MISSING_NAMED: usize = 5;

struct Walk<'a, 'c> {
    car: &'c Car<'a>,
    file: &'c str,
    seen: HashSet<Cid>,
    missing: usize,
    export: &'c mut Export,
    did: String,
    progress: &'c dyn Progress,
}

pub(crate) fn import(file: &str, bytes: &[u8], progress: &dyn Progress) -> Export {
    let mut export = Export::new(Source::Bluesky);
    let (car, problems) = Car::parse(bytes);
    for p in problems {
        export
            .errors
            .push(ImportError::new(file, Some(format!("byte {}", p.offset)), p.message));
    }
    let Some(root) = car.roots.first() else {
        export.error(file, None, "the CAR names no root commit");
        return export;
    };
    let Some(commit) = car.block(root).and_then(|b| ciborium::from_reader::<Value, _>(b).ok()) else {
        export.error(
            file,
            None,
            format!("the root commit {root} is missing or unreadable: no record can be found"),
        );
        return export;
    };
    let did = get(&commit, "did").and_then(as_text).unwrap_or("").to_string();
    let version = get(&commit, "version").and_then(crate::car::as_int);
    if !matches!(version, Some(2 | 3)) {
        export.error(
            file,
            Some(format!("commit {root}")),
            format!(
                "unknown repository version {} (versions 2 and 3 are read); reading it as version 3",
                version.map_or("(none)".to_string(), |v| v.to_string())
            ),
        );
    }
    export.account.id = Some(did.clone()).filter(|d| !d.is_empty());
    let Some(data) = get(&commit, "data").and_then(cid_of) else {
        export.error(
            file,
            Some(format!("commit {root}")),
            "the commit has no record tree (`data`)",
        );
        return export;
    };
    let mut walk = Walk {
        car: &car,
        file,
        seen: HashSet::new(),
        missing: 0,
        export: &mut export,
        did,
        progress,
    };
    walk.node(&data, &mut String::new(), 0);
    if walk.missing > 0 {
        let missing = walk.missing;
        export.error(
            file,
            None,
            format!(
                "not a complete repository export: {missing} block(s) of the record tree are missing (a partial CAR such as a repo slice); only the records present were read"
            ),
        );
    }
    if car.unverified > 0 {
        export.notes.push(format!(
            "{} block(s) use a hash function primum cannot check",
            car.unverified
        ));
    }
    if export.settings.is_none() {
        export.notes.push("the Bluesky repository carries no privacy settings (app preferences are not exported): check Settings → Privacy and security".to_string());
    }
    export
}

impl Walk<'_, '_> {
    fn missing(&mut self, what: &str, cid: &Cid) {
        self.missing += 1;
        if self.missing <= MAX_MISSING_NAMED {
            self.export.error(
                self.file,
                Some(what.to_string()),
                format!("block {cid} is not in the file"),
            );
        }
    }

    /// Visits a tree node: its left subtree, then each entry's record and
    /// right subtree, in key order.
    fn node(&mut self, cid: &Cid, key: &mut String, depth: usize) {
        if depth > MAX_DEPTH || !self.seen.insert(cid.clone()) {
            self.export
                .error(self.file, Some(format!("tree node {cid}")), "the record tree loops");
            return;
        }
        let Some(bytes) = self.car.block(cid) else {
            self.missing(&format!("record tree node after key `{key}`"), cid);
            return;
        };
        let node = match ciborium::from_reader::<Value, _>(bytes) {
            Ok(n) => n,
            Err(e) => {
                self.export.error(
                    self.file,
                    Some(format!("tree node {cid}")),
                    format!("not valid DAG-CBOR: {e}"),
                );
                return;
            }
        };
        if let Some(left) = get(&node, "l").and_then(cid_of) {
            self.node(&left, &mut key.clone(), depth + 1);
        }
        let entries = match get(&node, "e") {
            Some(Value::Array(e)) => e.as_slice(),
            _ => &[],
        };
        let mut prev: Vec<u8> = key.as_bytes().to_vec();
        for e in entries {
            let p = get(e, "p")
                .and_then(crate::car::as_int)
                .and_then(|p| usize::try_from(p).ok())
                .unwrap_or(0);
            let suffix = match get(e, "k") {
                Some(Value::Bytes(b)) => b.as_slice(),
                _ => &[],
            };
            let mut full = prev[..p.min(prev.len())].to_vec();
            full.extend_from_slice(suffix);
            let full_key = String::from_utf8_lossy(&full).into_owned();
            if let Some(v) = get(e, "v").and_then(cid_of) {
                self.record(&full_key, &v);
            }
            if let Some(t) = get(e, "t").and_then(cid_of) {
                self.node(&t, &mut full_key.clone(), depth + 1);
            }
            prev = full;
        }
    }

    fn record(&mut self, key: &str, cid: &Cid) {
        let Some((collection, rkey)) = key.split_once('/') else {
            return;
        };
        if !matches!(
            collection,
            "app.bsky.feed.post" | "app.bsky.feed.like" | "app.bsky.feed.repost" | "app.bsky.actor.profile"
        ) {
            return;
        }
        let Some(bytes) = self.car.block(cid) else {
            self.missing(&format!("record `{key}`"), cid);
            return;
        };
        let rec = match ciborium::from_reader::<Value, _>(bytes) {
            Ok(r) => r,
            Err(e) => {
                self.export.error(
                    self.file,
                    Some(format!("record `{key}`")),
                    format!("not valid DAG-CBOR: {e}"),
                );
                return;
            }
        };
        let created_at = get(&rec, "createdAt").and_then(as_text).and_then(DateTime::parse);
        let own_prefix = format!("at://{}/", self.did);
        match collection {
            "app.bsky.feed.post" => {
                let uri = format!("at://{}/{key}", self.did);
                let parent = get(&rec, "reply")
                    .and_then(|r| get(r, "parent"))
                    .and_then(|p| get(p, "uri"))
                    .and_then(as_text)
                    .map(str::to_string);
                let embed = get(&rec, "embed");
                let quote = embed
                    .and_then(|e| get(e, "record"))
                    .and_then(|r| get(r, "uri").or_else(|| get(r, "record").and_then(|r| get(r, "uri"))))
                    .and_then(as_text)
                    .map(str::to_string);
                let mut media = Vec::new();
                let images =
                    embed.and_then(|e| get(e, "images").or_else(|| get(e, "media").and_then(|m| get(m, "images"))));
                if let Some(Value::Array(images)) = images {
                    for img in images {
                        let blob = get(img, "image");
                        let r = blob
                            .and_then(|b| get(b, "ref").and_then(cid_of).map(|c| c.to_string()))
                            .or_else(|| blob.and_then(|b| get(b, "cid")).and_then(as_text).map(str::to_string));
                        media.push(Media {
                            path: r.map_or_else(|| "blob".to_string(), |c| format!("blob:{c}")),
                            alt: get(img, "alt")
                                .and_then(as_text)
                                .filter(|a| !a.is_empty())
                                .map(str::to_string),
                            kind: blob
                                .and_then(|b| get(b, "mimeType"))
                                .and_then(as_text)
                                .map(str::to_string),
                            location: None,
                        });
                    }
                }
                let reply_to_self = parent.as_deref().is_some_and(|p| p.starts_with(&own_prefix));
                self.export.posts.push(Post {
                    id: rkey.to_string(),
                    aliases: vec![uri],
                    text: get(&rec, "text").and_then(as_text).unwrap_or("").to_string(),
                    created_at,
                    url: Some(format!("https://bsky.app/profile/{}/post/{rkey}", self.did)),
                    reply_to: parent,
                    reply_to_self,
                    quote_of: quote,
                    repost: false,
                    media,
                    visibility: None,
                    location: None,
                });
                if self.export.posts.len().is_multiple_of(1000) {
                    self.progress.posts(self.export.posts.len());
                }
            }
            "app.bsky.feed.like" | "app.bsky.feed.repost" => {
                let Some(target) = get(&rec, "subject").and_then(|s| get(s, "uri")).and_then(as_text) else {
                    return;
                };
                self.export.likes.push(Like {
                    kind: if collection == "app.bsky.feed.like" {
                        LikeKind::Like
                    } else {
                        LikeKind::Repost
                    },
                    target: target.to_string(),
                    target_is_own: target.starts_with(&own_prefix),
                    created_at,
                });
            }
            _ => {
                // The profile: "discourage apps from showing my account to
                // logged-out users" is the self-label `!no-unauthenticated`.
                let labels = get(&rec, "labels").and_then(|l| get(l, "values"));
                let hidden = matches!(labels, Some(Value::Array(v)) if v.iter().any(|l| get(l, "val").and_then(as_text) == Some("!no-unauthenticated")));
                self.export.account.display_name = get(&rec, "displayName").and_then(as_text).map(str::to_string);
                self.export.setting(Setting {
                    name: "Discourage apps from showing my account to logged-out users".to_string(),
                    value: if hidden { "on" } else { "off" }.to_string(),
                    most_secure: hidden,
                    advice: "Settings → Privacy and security → Logged-out visibility".to_string(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use ciborium::Value;

    use crate::Quiet;
    use crate::car::tests::{car, cbor, cid_for, link};

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn map(items: Vec<(&str, Value)>) -> Value {
        Value::Map(items.into_iter().map(|(k, v)| (text(k), v)).collect())
    }

    /// A repository with one post and one like of it, under a commit of
    /// the given version.
    fn repo(version: i64) -> Vec<u8> {
        let post = cbor(&map(vec![
            ("text", text("hello")),
            ("createdAt", text("2023-04-26T00:08:50-07:00")),
        ]));
        let like = cbor(&map(vec![
            (
                "subject",
                map(vec![("uri", text("at://did:plc:me/app.bsky.feed.post/3aaa"))]),
            ),
            ("createdAt", text("2023-04-26T08:00:00Z")),
        ]));
        let (pc, lc) = (cid_for(&post), cid_for(&like));
        let entry = |p: usize, k: &str, v: &crate::Cid| {
            map(vec![
                ("p", Value::Integer(p.into())),
                ("k", Value::Bytes(k.as_bytes().to_vec())),
                ("v", link(v)),
                ("t", Value::Null),
            ])
        };
        let node = cbor(&map(vec![
            ("l", Value::Null),
            (
                "e",
                Value::Array(vec![
                    entry(0, "app.bsky.feed.like/3bbb", &lc),
                    entry(14, "post/3aaa", &pc),
                ]),
            ),
        ]));
        let nc = cid_for(&node);
        let commit = cbor(&map(vec![
            ("did", text("did:plc:me")),
            ("version", Value::Integer(version.into())),
            ("data", link(&nc)),
        ]));
        car(&[(cid_for(&commit), commit), (nc, node), (pc, post), (lc, like)])
    }

    #[test]
    fn walks_the_tree_from_the_commit() {
        let e = super::import("repo.car", &repo(3), &Quiet);
        assert!(!e.partial(), "{:?}", e.errors);
        assert_eq!(e.posts.len(), 1);
        assert_eq!(e.posts[0].text, "hello");
        assert_eq!(e.posts[0].created_at.unwrap().to_string(), "2023-04-26T07:08:50Z");
        assert_eq!(e.posts[0].aliases, ["at://did:plc:me/app.bsky.feed.post/3aaa"]);
        assert_eq!(e.likes.len(), 1);
        assert!(e.likes[0].target_is_own);
    }

    #[test]
    fn an_unknown_version_is_reported_and_read() {
        let e = super::import("repo.car", &repo(9), &Quiet);
        assert_eq!(e.posts.len(), 1);
        assert_eq!(e.errors.len(), 1);
        assert!(
            e.errors[0].to_string().contains("unknown repository version 9"),
            "{}",
            e.errors[0]
        );
    }
}
