//! Mastodon account archives (`outbox.json`, `likes.json`, `actor.json`,
//! media), as a zip (current servers), a tar.gz (older ones) or a folder.
//! The outbox is ActivityStreams: `Create` items are the account's posts
//! (their text is HTML), `Announce` items its boosts.

use std::io::{self, BufReader};

use primum_core::DateTime;
use serde_json::Value;

use crate::archive::Tree;
use crate::json;
use crate::text::{clean, html_to_text};
use crate::{Export, Like, LikeKind, Media, Post, Progress, Setting};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn file(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

pub(crate) fn import(tree: &mut dyn Tree, _names: &[String], out: &mut Export, progress: &dyn Progress) {
    let mut actor: Option<String> = None;
    tree.visit(
        &mut |n| matches!(file(n), "outbox.json" | "likes.json" | "actor.json"),
        &mut |name, r| {
            let r = BufReader::new(r);
            let result = match file(name) {
                "outbox.json" => json::each_element(r, Some("orderedItems"), &mut |item| {
                    if actor.is_none() {
                        actor = item.get("actor").and_then(Value::as_str).map(str::to_string);
                    }
                    activity(&item, out);
                    if out.posts.len().is_multiple_of(1000) {
                        progress.posts(out.posts.len());
                    }
                }),
                "likes.json" => json::each_element(r, Some("orderedItems"), &mut |item| {
                    if let Some(uri) = item.as_str() {
                        out.likes.push(Like {
                            kind: LikeKind::Like,
                            target: uri.to_string(),
                            target_is_own: false,
                            created_at: None,
                        });
                    }
                }),
                _ => match serde_json::from_reader::<_, Value>(r) {
                    Ok(v) => {
                        actor_settings(&v, out);
                        Ok(1)
                    }
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = result {
                if e.is_io() {
                    return Err(io::Error::other(json::message(&e)));
                }
                out.error(name, json::place(&e), json::message(&e));
            }
            Ok(())
        },
    );
    if out.account.id.is_none() {
        out.account.id = actor;
    }
    // A post of one's own: a URI under the account's actor.
    if let Some(own) = out.account.id.clone() {
        let prefix = format!("{own}/");
        for l in &mut out.likes {
            l.target_is_own = l.target.starts_with(&prefix);
        }
        for p in &mut out.posts {
            p.reply_to_self = p.reply_to.as_deref().is_some_and(|r| r.starts_with(&prefix));
        }
    }
    out.notes
        .push("Mastodon likes carry no time: bursts of liking cannot be measured from this archive".to_string());
}

/// One outbox item: a post (`Create`) or a boost (`Announce`).
fn activity(item: &Value, out: &mut Export) {
    match item.get("type").and_then(Value::as_str) {
        Some("Announce") => {
            if let Some(target) = item
                .get("object")
                .and_then(|o| o.as_str().or_else(|| o.get("id")?.as_str()))
            {
                out.likes.push(Like {
                    kind: LikeKind::Repost,
                    target: target.to_string(),
                    target_is_own: false,
                    created_at: item.get("published").and_then(Value::as_str).and_then(DateTime::parse),
                });
            }
        }
        Some("Create") => {
            if let Some(post) = item.get("object").and_then(|o| note(o, item)) {
                out.posts.push(post);
            }
        }
        _ => {}
    }
}

/// A status (`Note`, `Question`) as a post.
pub(crate) fn note(o: &Value, activity: &Value) -> Option<Post> {
    let uri = o.get("id").and_then(Value::as_str)?;
    let id = uri.rsplit('/').next().unwrap_or(uri).to_string();
    let mut text = html_to_text(o.get("content").and_then(Value::as_str).unwrap_or(""));
    if let Some(cw) = o.get("summary").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        text = format!("{}\n\n{text}", clean(cw));
    }
    let list = |v: &Value, k: &str| -> Vec<String> {
        match v.get(k) {
            Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => vec![],
        }
    };
    let (to, cc) = (list(o, "to"), list(o, "cc"));
    let (to, cc) = if to.is_empty() && cc.is_empty() {
        (list(activity, "to"), list(activity, "cc"))
    } else {
        (to, cc)
    };
    let visibility = if to.iter().any(|t| t == PUBLIC || t == "as:Public" || t == "Public") {
        "public"
    } else if cc.iter().any(|t| t == PUBLIC || t == "as:Public" || t == "Public") {
        "unlisted"
    } else if to.iter().any(|t| t.ends_with("/followers")) {
        "followers"
    } else {
        "direct"
    };
    let media = o
        .get("attachment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let url = a.get("url").and_then(Value::as_str)?;
            Some(Media {
                path: url.trim_start_matches('/').to_string(),
                alt: a.get("name").and_then(Value::as_str).map(clean),
                kind: a.get("mediaType").and_then(Value::as_str).map(str::to_string),
                location: None,
            })
        })
        .collect();
    let url = o.get("url").and_then(Value::as_str).map(str::to_string);
    let mut aliases = vec![uri.to_string()];
    aliases.extend(url.iter().cloned());
    if let Some(a) = o.get("atomUri").and_then(Value::as_str).filter(|a| *a != uri) {
        aliases.push(a.to_string());
    }
    Some(Post {
        id,
        aliases,
        text,
        created_at: o
            .get("published")
            .or_else(|| activity.get("published"))
            .and_then(Value::as_str)
            .and_then(DateTime::parse),
        url: url.or_else(|| Some(uri.to_string())),
        reply_to: o.get("inReplyTo").and_then(Value::as_str).map(str::to_string),
        reply_to_self: false,
        quote_of: o
            .get("quoteUri")
            .or_else(|| o.get("quoteUrl"))
            .and_then(Value::as_str)
            .map(str::to_string),
        repost: false,
        media,
        visibility: Some(visibility.to_string()),
        location: None,
    })
}

/// The account and its settings from `actor.json`.
fn actor_settings(v: &Value, out: &mut Export) {
    out.account.id = v.get("id").and_then(Value::as_str).map(str::to_string);
    out.account.handle = v.get("preferredUsername").and_then(Value::as_str).map(str::to_string);
    out.account.display_name = v.get("name").and_then(Value::as_str).map(str::to_string);
    let flag = |k: &str| v.get(k).and_then(Value::as_bool);
    if let Some(locked) = flag("manuallyApprovesFollowers") {
        out.setting(Setting {
            name: "Require follow requests".to_string(),
            value: if locked { "on" } else { "off" }.to_string(),
            most_secure: locked,
            advice: "Preferences → Profile → Require follow requests (approve who sees followers-only posts)"
                .to_string(),
        });
    }
    if let Some(d) = flag("discoverable") {
        out.setting(Setting {
            name: "Feature profile and posts in discovery algorithms".to_string(),
            value: if d { "on" } else { "off" }.to_string(),
            most_secure: !d,
            advice: "Preferences → Public profile → Privacy and reach → untick \"Feature profile and posts in discovery algorithms\"".to_string(),
        });
    }
    if let Some(i) = flag("indexable") {
        out.setting(Setting {
            name: "Include public posts in search results".to_string(),
            value: if i { "on" } else { "off" }.to_string(),
            most_secure: !i,
            advice:
                "Preferences → Public profile → Privacy and reach → untick \"Include public posts in search results\""
                    .to_string(),
        });
    }
}
