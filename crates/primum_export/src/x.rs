//! X / Twitter archives: the current layout (`data/tweets.js` and its part
//! files, `like.js`, `account.js`, `protected-history.js`), the 2019-2021
//! one (`data/tweet.js`), and the 2012-2018 "Grailbird" one
//! (`data/js/tweets/YYYY_MM.js`, `user_details.js`). Every file is a
//! JavaScript assignment whose right-hand side is JSON; it is parsed as
//! JSON after the assignment, never evaluated.

use std::collections::HashSet;
use std::io::{self, BufReader};

use primum_core::{Date, DateTime};
use serde_json::Value;

use crate::archive::Tree;
use crate::json::{self, str_of};
use crate::text::clean;
use crate::{Export, Like, LikeKind, Media, Post, Progress, Setting, is_file};

/// A file of posts: `tweets.js`, `tweet.js`, their part files, the
/// Grailbird monthly files, and the other post files of current archives.
pub(crate) fn is_post_file(name: &str) -> bool {
    // A posts file given alone counts as being in `data/`.
    let (dir, file) = name.rsplit_once('/').unwrap_or(("data", name));
    if dir.ends_with("js/tweets") {
        return file.len() == 10 && file.ends_with(".js") && file.as_bytes()[4] == b'_';
    }
    if !(dir == "data" || dir.ends_with("/data")) {
        return false;
    }
    let stem = file.strip_suffix(".js").unwrap_or("");
    let base = stem.split(['-', '.']).next().unwrap_or("");
    let part_ok = stem[base.len()..].is_empty()
        || stem[base.len()..]
            .strip_prefix("-part")
            .or_else(|| stem[base.len()..].strip_prefix(".part"))
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
    matches!(base, "tweets" | "tweet") && part_ok
        || matches!(stem, "community-tweet" | "twitter-circle-tweet" | "note-tweet")
}

fn is_like_file(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.strip_suffix(".js").unwrap_or("");
    stem == "like"
        || stem
            .strip_prefix("like-part")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

pub(crate) fn import(tree: &mut dyn Tree, names: &[String], out: &mut Export, progress: &dyn Progress) {
    let media_files: HashSet<&str> = names
        .iter()
        .filter(|n| n.contains("tweet_media/") || n.contains("tweets_media/"))
        .map(String::as_str)
        .collect();
    // Replies are resolved once the account's own id is known.
    let mut reply_users: Vec<(usize, String)> = Vec::new();
    let mut own_id: Option<String> = None;
    let mut protected: Option<(String, bool)> = None;
    let mut protected_history_seen = false;
    let mut note_tweets: Vec<Post> = Vec::new();
    let mut manifest: Option<Value> = None;
    // Records read from each file, for the manifest's counts.
    let mut read: std::collections::HashMap<String, usize> = std::collections::HashMap::new();

    let wanted = |n: &str| {
        is_post_file(n)
            || is_like_file(n)
            || is_file(n, "data/account.js")
            || is_file(n, "data/manifest.js")
            || is_file(n, "data/protected-history.js")
            || is_file(n, "js/user_details.js")
    };
    tree.visit(&mut |n| wanted(n), &mut |name, r| {
        let mut r = BufReader::new(r);
        json::skip_js_prefix(&mut r)?;
        let file = name.rsplit('/').next().unwrap_or(name);
        let result = if file == "manifest.js" {
            match serde_json::from_reader::<_, Value>(r) {
                Ok(v) => {
                    manifest = Some(v);
                    Ok(1)
                }
                Err(e) => Err(e),
            }
        } else if is_post_file(name) {
            let note = file.starts_with("note-tweet");
            json::each_element(r, None, &mut |v| {
                // Unwrap `{"tweet": {...}}` without copying it.
                let v = match v {
                    Value::Object(mut m)
                        if m.len() == 1 && (m.contains_key("tweet") || m.contains_key("noteTweet")) =>
                    {
                        m.remove("tweet").or_else(|| m.remove("noteTweet")).unwrap_or_default()
                    }
                    v => v,
                };
                if note {
                    if let Some(p) = note_tweet(&v) {
                        note_tweets.push(p);
                    }
                    return;
                }
                if let Some((post, reply_user)) = tweet(&v, &media_files) {
                    if let Some(u) = reply_user {
                        reply_users.push((out.posts.len(), u));
                    }
                    if own_id.is_none() {
                        own_id = v
                            .get("user")
                            .and_then(|u| str_of(u, "id_str").or_else(|| str_of(u, "id")))
                            .map(|s| s.into_owned());
                    }
                    if protected.is_none()
                        && let Some(p) = v.get("user").and_then(|u| u.get("protected")).and_then(Value::as_bool)
                    {
                        protected = Some((post.created_at.map(|t| t.to_string()).unwrap_or_default(), p));
                    }
                    out.posts.push(post);
                    if out.posts.len().is_multiple_of(1000) {
                        progress.posts(out.posts.len());
                    }
                }
            })
        } else if is_like_file(name) {
            json::each_element(r, None, &mut |v| {
                let v = v.get("like").unwrap_or(&v);
                if let Some(id) = str_of(v, "tweetId") {
                    out.likes.push(Like {
                        kind: LikeKind::Like,
                        target: id.into_owned(),
                        target_is_own: false,
                        created_at: None,
                    });
                }
            })
        } else if file == "account.js" {
            json::each_element(r, None, &mut |v| {
                let v = v.get("account").unwrap_or(&v);
                out.account.id = str_of(v, "accountId").map(|s| s.into_owned());
                out.account.handle = str_of(v, "username").map(|s| s.into_owned());
                out.account.display_name = str_of(v, "accountDisplayName").map(|s| s.into_owned());
            })
        } else if file == "protected-history.js" {
            protected_history_seen = true;
            json::each_element(r, None, &mut |v| {
                let v = v.get("protectedHistory").unwrap_or(&v);
                let at = str_of(v, "protectedAt").map(|s| s.into_owned()).unwrap_or_default();
                let action = str_of(v, "action").map(|s| s.to_ascii_lowercase()).unwrap_or_default();
                let on = action.starts_with("protect");
                if protected.as_ref().is_none_or(|(t, _)| at >= *t) {
                    protected = Some((at, on));
                }
            })
        } else {
            // user_details.js (Grailbird): one object, not an array.
            let v: Result<Value, _> = serde_json::from_reader(r);
            match v {
                Ok(v) => {
                    out.account.id = str_of(&v, "id").map(|s| s.into_owned());
                    out.account.handle = str_of(&v, "screen_name").map(|s| s.into_owned());
                    out.account.display_name = str_of(&v, "full_name").map(|s| s.into_owned());
                    Ok(0)
                }
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(n) => {
                read.insert(name.to_string(), n);
            }
            Err(e) => {
                if e.is_io() {
                    return Err(io::Error::other(json::message(&e)));
                }
                out.error(name, json::place(&e), json::message(&e));
            }
        }
        Ok(())
    });
    if let Some(m) = manifest {
        check_manifest(&m, names, &read, out);
    }

    // The long posts' full text replaces the truncated copy.
    for n in note_tweets {
        if let Some(p) = out.posts.iter_mut().find(|p| p.id == n.id || p.aliases.contains(&n.id)) {
            p.text = n.text;
        }
    }
    let own = out.account.id.clone().or(own_id);
    if out.account.id.is_none() {
        out.account.id = own.clone();
    }
    if let Some(own) = &own {
        for (i, user) in reply_users {
            if user == *own {
                out.posts[i].reply_to_self = true;
            }
        }
    }
    match protected {
        Some((_, on)) => out.setting(Setting {
            name: "Protect your posts".to_string(),
            value: if on { "on" } else { "off" }.to_string(),
            most_secure: on,
            advice: "Settings and privacy → Privacy and safety → Audience and tagging → Protect your posts".to_string(),
        }),
        None => {
            let why = if protected_history_seen {
                "its protected-history.js records no change of \"Protect your posts\" in the last six months"
            } else {
                "it has no protected-history.js"
            };
            out.notes.push(format!(
                "the X archive carries no privacy settings ({why}; location on posts, discoverability by e-mail or phone, photo tagging and direct messages are never exported): check them under Settings and privacy → Privacy and safety"
            ));
        }
    }
    out.notes.push(
        "X likes carry no time and no author: a self-like is found only when the liked post is in the archive"
            .to_string(),
    );
    if names.iter().any(|n| is_file(n, "data/deleted-tweets.js")) {
        out.notes.push(
            "data/deleted-tweets.js (posts deleted shortly before the export, no longer public) is not audited"
                .to_string(),
        );
    }
}

/// The data types whose files the audit reads, as the manifest names them.
const MANIFEST_TYPES: [&str; 6] = ["tweets", "tweet", "like", "account", "noteTweet", "communityTweet"];

/// Compares the archive with its manifest (`data/manifest.js`): a file it
/// lists that is missing, or holds fewer records than it says, makes the
/// import partial; so does an archive that calls itself partial.
fn check_manifest(m: &Value, names: &[String], read: &std::collections::HashMap<String, usize>, out: &mut Export) {
    let manifest = names
        .iter()
        .find(|n| is_file(n, "data/manifest.js"))
        .map_or("data/manifest.js", String::as_str)
        .to_string();
    if m.get("archiveInfo")
        .and_then(|a| a.get("isPartialArchive"))
        .is_some_and(|p| p == true || p == "true")
    {
        out.error(
            &manifest,
            None,
            "the archive says it is partial (isPartialArchive): X split it into several downloads; audit each",
        );
    }
    let Some(types) = m.get("dataTypes").and_then(Value::as_object) else {
        out.error(
            &manifest,
            None,
            "unknown manifest version: no `dataTypes`; files were found by name",
        );
        return;
    };
    for ty in MANIFEST_TYPES {
        for f in types
            .get(ty)
            .and_then(|t| t.get("files"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(file) = f.get("fileName").and_then(Value::as_str) else {
                continue;
            };
            let count: Option<usize> = str_of(f, "count").and_then(|c| c.parse().ok());
            // An empty type's file may be left out.
            if count == Some(0) {
                continue;
            }
            let held = names.iter().find(|n| is_file(n, file));
            match held {
                None => out.error(
                    &manifest,
                    None,
                    format!(
                        "lists `{file}`{} but the archive does not hold it",
                        count.map_or(String::new(), |c| format!(" ({c} records)"))
                    ),
                ),
                Some(n) => {
                    if let (Some(c), Some(&got)) = (count, read.get(n))
                        && got < c
                    {
                        out.error(n, None, format!("{got} records read of the {c} that {manifest} lists"));
                    }
                }
            }
        }
    }
}

/// A post of `tweets.js` / `tweet.js` / a Grailbird month, with the id of
/// the user it replies to.
fn tweet(v: &Value, media_files: &HashSet<&str>) -> Option<(Post, Option<String>)> {
    let id = str_of(v, "id_str").or_else(|| str_of(v, "id"))?.into_owned();
    let raw = v
        .get("full_text")
        .or_else(|| v.get("text"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut text = raw.to_string();
    let entities = v.get("entities");
    let mut quote_of = None;
    // Links as the user wrote them, not t.co; media links are X's, not
    // the user's.
    for u in entities
        .and_then(|e| e.get("urls"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(short), Some(long)) = (str_of(u, "url"), str_of(u, "expanded_url")) {
            text = text.replace(short.as_ref(), long.as_ref());
            if let Some(q) = status_id(&long) {
                quote_of = Some(q);
            }
        }
    }
    let media_list = v
        .get("extended_entities")
        .and_then(|e| e.get("media"))
        .or_else(|| entities.and_then(|e| e.get("media")))
        .and_then(Value::as_array);
    let mut media = Vec::new();
    for m in media_list.into_iter().flatten() {
        if let Some(short) = str_of(m, "url") {
            text = text.replace(short.as_ref(), "");
        }
        let url = str_of(m, "media_url_https").or_else(|| str_of(m, "media_url"));
        let Some(url) = url else { continue };
        let last = url.rsplit('/').next().unwrap_or("");
        let file = format!("{id}-{last}");
        let path = media_files
            .iter()
            .find(|p| p.ends_with(&file))
            .map_or_else(|| url.to_string(), |p| p.to_string());
        media.push(Media {
            path,
            alt: str_of(m, "ext_alt_text").map(|s| clean(&s)),
            kind: str_of(m, "type").map(|s| s.into_owned()),
            location: None,
        });
    }
    let text = clean(text.trim_end());
    let repost = v.get("retweeted_status").is_some_and(|r| !r.is_null()) || text.starts_with("RT @");
    let created_at = str_of(v, "created_at").and_then(|s| parse_date(&s));
    let reply_to = str_of(v, "in_reply_to_status_id_str")
        .or_else(|| str_of(v, "in_reply_to_status_id"))
        .map(|s| s.into_owned());
    let reply_user = str_of(v, "in_reply_to_user_id_str")
        .or_else(|| str_of(v, "in_reply_to_user_id"))
        .map(|s| s.into_owned());
    let location = location(v);
    Some((
        Post {
            url: Some(format!("https://x.com/i/web/status/{id}")),
            id,
            aliases: Vec::new(),
            text,
            created_at,
            reply_to,
            reply_to_self: false,
            quote_of: if repost { None } else { quote_of },
            repost,
            media,
            visibility: None,
            location,
        },
        reply_user,
    ))
}

/// `note-tweet.js`: the full text of a long post.
fn note_tweet(v: &Value) -> Option<Post> {
    let id = str_of(v, "noteTweetId").or_else(|| str_of(v, "tweetId"))?.into_owned();
    let text = v
        .get("core")
        .and_then(|c| c.get("text"))
        .or_else(|| v.get("text"))
        .and_then(Value::as_str)?;
    Some(Post {
        id,
        text: clean(text),
        ..Post::default()
    })
}

/// A geotag: GeoJSON `coordinates` (`[lon, lat]`) or the older `geo`
/// (`[lat, lon]`), numbers or strings.
fn location(v: &Value) -> Option<(f64, f64)> {
    let pair = |c: &Value| {
        let a = c.as_array()?;
        Some((json::f64_of(a.first()?)?, json::f64_of(a.get(1)?)?))
    };
    if let Some((lon, lat)) = v.get("coordinates").and_then(|c| c.get("coordinates")).and_then(pair) {
        return Some((lat, lon));
    }
    v.get("geo").and_then(|g| g.get("coordinates")).and_then(pair)
}

/// The id in a `twitter.com/<user>/status/<id>` or `x.com/...` link.
fn status_id(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let (host, path) = rest.split_once('/')?;
    if !matches!(
        host.trim_start_matches("www.").trim_start_matches("mobile."),
        "twitter.com" | "x.com"
    ) {
        return None;
    }
    let mut parts = path.split('/');
    while let Some(p) = parts.next() {
        if p == "status" || p == "statuses" {
            let id: String = parts.next()?.chars().take_while(char::is_ascii_digit).collect();
            return (!id.is_empty()).then_some(id);
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Wed Feb 10 18:00:00 +0000 2021` (current) or `2015-10-02 20:15:40
/// +0000` (Grailbird), to UTC.
pub(crate) fn parse_date(s: &str) -> Option<DateTime> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    match parts.as_slice() {
        [_, mon, day, time, zone, year] => {
            let month = MONTHS.iter().position(|m| m == mon)? as u8 + 1;
            let date = Date::new(year.parse().ok()?, month, day.parse().ok()?)?;
            with_time(date, time, zone)
        }
        [date, time, zone] => with_time(Date::parse(date)?, time, zone),
        _ => DateTime::parse(s),
    }
}

fn with_time(date: Date, time: &str, zone: &str) -> Option<DateTime> {
    let z = zone.as_bytes();
    if z.len() != 5 || !matches!(z[0], b'+' | b'-') {
        return None;
    }
    let offset = format!("{}:{}", &zone[..3], &zone[3..]);
    DateTime::parse(&format!("{date}T{time}{offset}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("Wed Feb 10 18:00:00 +0000 2021").unwrap().to_string(),
            "2021-02-10T18:00:00Z"
        );
        assert_eq!(
            parse_date("2015-10-02 20:15:40 +0000").unwrap().to_string(),
            "2015-10-02T20:15:40Z"
        );
        assert_eq!(
            parse_date("2015-10-02 20:15:40 -0130").unwrap().to_string(),
            "2015-10-02T21:45:40Z"
        );
        assert!(parse_date("Wed Foo 10 18:00:00 +0000 2021").is_none());
    }

    #[test]
    fn post_files() {
        for n in [
            "data/tweets.js",
            "data/tweet.js",
            "data/tweets-part1.js",
            "x/data/tweets-part12.js",
            "data/js/tweets/2015_10.js",
        ] {
            assert!(is_post_file(n), "{n}");
        }
        // A posts file given alone.
        assert!(is_post_file("tweets.js"));
        for n in [
            "data/tweetdeck.js",
            "data/tweet-headers.js",
            "data/like.js",
            "assets/js/tweets.js",
        ] {
            assert!(!is_post_file(n), "{n}");
        }
    }

    #[test]
    fn quotes() {
        assert_eq!(
            status_id("https://twitter.com/a/status/123?s=2").as_deref(),
            Some("123")
        );
        assert_eq!(status_id("https://example.com/a/status/123"), None);
    }
}
