//! Facebook and Instagram "Download your information" exports, JSON
//! flavour, following the layout in `FORMATS.md` §4 (no real sample was
//! available: built from the documented layout, tolerant of missing
//! fields). Every string in Meta's JSON is UTF-8 mis-encoded as Latin-1
//! and is repaired.

use std::io::{self, BufReader};

use primum_core::DateTime;
use serde_json::Value;

use crate::archive::Tree;
use crate::json;
use crate::text::clean;
use crate::{Export, Like, LikeKind, Media, Post, Progress, Setting, Source};

fn file(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn is_fb_posts(name: &str) -> bool {
    let f = file(name);
    (f.starts_with("your_posts") && f.ends_with(".json")) || f == "posts_on_other_pages_and_profiles.json"
}

fn is_ig_posts(name: &str) -> bool {
    let f = file(name);
    (name.contains("content/") && f.starts_with("posts_") && f.ends_with(".json"))
        || (f == "media.json" && !name.contains("your_facebook_activity"))
}

pub(crate) fn detect(names: &[String]) -> Option<Source> {
    if names
        .iter()
        .any(|n| n.contains("your_facebook_activity/") || (n.contains("posts/") && is_fb_posts(n)))
    {
        return Some(Source::Facebook);
    }
    if names
        .iter()
        .any(|n| n.contains("your_instagram_activity/") || is_ig_posts(n))
    {
        return Some(Source::Instagram);
    }
    None
}

fn time(v: &Value, key: &str) -> Option<DateTime> {
    v.get(key).and_then(Value::as_i64).map(DateTime::from_unix)
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(clean).filter(|s| !s.is_empty())
}

/// The top-level list of a Meta file: an array, or the first array inside
/// a top-level object (`{"ig_posts": [...]}`, `{"comments_v2": [...]}`).
fn items(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Object(m) => m
            .into_iter()
            .find_map(|(_, v)| match v {
                Value::Array(a) => Some(a),
                _ => None,
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn media(m: &Value) -> Option<Media> {
    let uri = m.get("uri").and_then(Value::as_str)?;
    let exif = m
        .get("media_metadata")
        .and_then(|x| x.get("photo_metadata").or_else(|| x.get("video_metadata")))
        .and_then(|x| x.get("exif_data"))
        .and_then(Value::as_array);
    let location = exif
        .into_iter()
        .flatten()
        .find_map(|e| Some((json::f64_of(e.get("latitude")?)?, json::f64_of(e.get("longitude")?)?)));
    Some(Media {
        path: uri.to_string(),
        alt: text_of(m, "description"),
        kind: None,
        location,
    })
}

pub(crate) fn import(tree: &mut dyn Tree, _names: &[String], out: &mut Export, progress: &dyn Progress) {
    let ig = out.source == Source::Instagram;
    let mut own_handle: Option<String> = None;
    tree.visit(
        &mut |n| {
            let f = file(n);
            if ig {
                is_ig_posts(n) || f == "liked_posts.json" || f == "personal_information.json"
            } else {
                is_fb_posts(n) || (f.starts_with("likes_and_reactions") && f.ends_with(".json"))
            }
        },
        &mut |name, r| {
            let v: Value = match serde_json::from_reader(BufReader::new(r)) {
                Ok(v) => v,
                Err(e) => {
                    if e.is_io() {
                        return Err(io::Error::other(json::message(&e)));
                    }
                    out.error(name, json::place(&e), json::message(&e));
                    return Ok(());
                }
            };
            let f = file(name);
            if f == "personal_information.json" {
                personal_information(&v, out, &mut own_handle);
            } else if f == "liked_posts.json" {
                for item in items(v) {
                    let author = text_of(&item, "title");
                    for d in item
                        .get("string_list_data")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let target = text_of(d, "href").or_else(|| author.clone()).unwrap_or_default();
                        out.likes.push(Like {
                            kind: LikeKind::Like,
                            target: author.clone().map_or(target.clone(), |a| format!("{a} {target}")),
                            target_is_own: false,
                            created_at: time(d, "timestamp"),
                        });
                    }
                }
            } else if f.starts_with("likes_and_reactions") {
                for item in items(v) {
                    let title = text_of(&item, "title").unwrap_or_default();
                    // "Jane liked her own post." is the only author information.
                    let own = title.contains(" own ");
                    out.likes.push(Like {
                        kind: LikeKind::Like,
                        target: title,
                        target_is_own: own,
                        created_at: time(&item, "timestamp"),
                    });
                }
            } else {
                for (i, item) in items(v).into_iter().enumerate() {
                    let post = if ig {
                        ig_post(&item, name, i)
                    } else {
                        fb_post(&item, name, i)
                    };
                    out.posts.push(post);
                    if out.posts.len().is_multiple_of(1000) {
                        progress.posts(out.posts.len());
                    }
                }
            }
            Ok(())
        },
    );
    if ig {
        if let Some(h) = own_handle {
            let h = h.trim_start_matches('@').to_lowercase();
            for l in &mut out.likes {
                l.target_is_own = l
                    .target
                    .split_whitespace()
                    .next()
                    .is_some_and(|a| a.to_lowercase() == h);
            }
        }
    } else {
        out.notes.push("Facebook exports do not carry the audience of posts or the account's privacy settings reliably: check Settings → Privacy".to_string());
    }
}

fn fb_post(item: &Value, file: &str, i: usize) -> Post {
    let data = item.get("data").and_then(Value::as_array);
    let text = data
        .into_iter()
        .flatten()
        .find_map(|d| text_of(d, "post"))
        .unwrap_or_default();
    let mut media_list = Vec::new();
    let mut link = None;
    for a in item.get("attachments").and_then(Value::as_array).into_iter().flatten() {
        for d in a.get("data").and_then(Value::as_array).into_iter().flatten() {
            if let Some(m) = d.get("media").and_then(media) {
                media_list.push(m);
            }
            if let Some(u) = d.get("external_context").and_then(|e| text_of(e, "url")) {
                link = Some(u);
            }
        }
    }
    let mut text = text;
    if let Some(u) = link.filter(|u| !text.contains(u.as_str())) {
        text = if text.is_empty() { u } else { format!("{text}\n{u}") };
    }
    let place = item.get("place").or_else(|| {
        item.get("attachments")?
            .as_array()?
            .iter()
            .flat_map(|a| a.get("data").and_then(Value::as_array).into_iter().flatten())
            .find_map(|d| d.get("place"))
    });
    let location = place
        .and_then(|p| p.get("coordinate"))
        .and_then(|c| Some((json::f64_of(c.get("latitude")?)?, json::f64_of(c.get("longitude")?)?)));
    let created_at = time(item, "timestamp");
    post_at(file, i, text, created_at, media_list, location)
}

/// Post `i` of `file`, its id made from its time and position.
fn post_at(
    file: &str,
    i: usize,
    text: String,
    created_at: Option<DateTime>,
    media: Vec<Media>,
    location: Option<(f64, f64)>,
) -> Post {
    Post {
        id: format!("{}-{}", created_at.map_or(0, |t| t.unix()), i + 1),
        aliases: vec![format!("{file}#{}", i + 1)],
        text,
        created_at,
        media,
        location,
        ..Post::default()
    }
}

fn ig_post(item: &Value, file: &str, i: usize) -> Post {
    let media_list: Vec<Media> = item
        .get("media")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(media)
        .collect();
    let first = item.get("media").and_then(|m| m.get(0));
    let text = text_of(item, "title")
        .or_else(|| first.and_then(|m| text_of(m, "title")))
        .unwrap_or_default();
    let created_at = time(item, "creation_timestamp").or_else(|| first.and_then(|m| time(m, "creation_timestamp")));
    let location = media_list.iter().find_map(|m| m.location);
    post_at(file, i, text, created_at, media_list, location)
}

fn personal_information(v: &Value, out: &mut Export, own: &mut Option<String>) {
    let Some(map) = v
        .get("profile_user")
        .and_then(|p| p.get(0))
        .and_then(|p| p.get("string_map_data"))
        .and_then(Value::as_object)
    else {
        return;
    };
    for (k, val) in map {
        let value = val.get("value").and_then(Value::as_str).map(clean).unwrap_or_default();
        let key = k.to_lowercase();
        if key == "username" {
            *own = Some(value.clone());
            out.account.handle = Some(value);
        } else if key == "name" {
            out.account.display_name = Some(value);
        } else if key.contains("private") {
            let private = matches!(value.to_lowercase().as_str(), "true" | "yes" | "on");
            out.setting(Setting {
                name: "Private account".to_string(),
                value: if private { "on" } else { "off" }.to_string(),
                most_secure: private,
                advice: "Settings → Account privacy → Private account".to_string(),
            });
        }
    }
}
