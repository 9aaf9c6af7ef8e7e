//! LinkedIn exports: a zip of CSV files. `Shares.csv` holds the posts (with
//! LinkedIn's broken quoting of multi-line text), `Reactions.csv` the
//! reactions; other files (connections, messages) are not read.

use std::io::{self, Read};

use primum_core::DateTime;

use crate::archive::Tree;
use crate::{Export, Like, LikeKind, Post, Progress};

/// `Shares.csv`, or `Shares_<n>.csv`.
pub(crate) fn is_shares(file: &str) -> bool {
    file == "Shares.csv"
        || file
            .strip_prefix("Shares_")
            .and_then(|r| r.strip_suffix(".csv"))
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

fn is_reactions(file: &str) -> bool {
    file == "Reactions.csv"
        || file
            .strip_prefix("Reactions_")
            .and_then(|r| r.strip_suffix(".csv"))
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

pub(crate) fn import(tree: &mut dyn Tree, _names: &[String], out: &mut Export, progress: &dyn Progress) {
    tree.visit(
        &mut |n| {
            let f = n.rsplit('/').next().unwrap_or(n);
            is_shares(f) || is_reactions(f)
        },
        &mut |name, r| {
            let f = name.rsplit('/').next().unwrap_or(name);
            if is_shares(f) {
                read_shares(name, r, out, progress)
            } else {
                read_reactions(name, r, out)
            }
        },
    );
    finish(out);
}

/// A shares file given alone, whatever its name.
pub(crate) fn import_file(tree: &mut dyn Tree, file: &str, out: &mut Export, progress: &dyn Progress) {
    tree.visit(&mut |n| n == file, &mut |name, r| read_shares(name, r, out, progress));
    finish(out);
}

fn finish(out: &mut Export) {
    // A reaction to one's own share is found by its link.
    for l in &mut out.likes {
        let t = normalise_link(&l.target);
        l.target_is_own = out
            .posts
            .iter()
            .any(|p| p.aliases.iter().any(|a| normalise_link(a) == t));
    }
    out.notes.push(
        "LinkedIn exports carry no account privacy settings: check Settings → Visibility (profile viewing options, who can see your connections, discoverability by e-mail and phone)".to_string(),
    );
}

/// A link without scheme, `www.`, trailing slash or percent-encoding of
/// the URN's colons.
fn normalise_link(s: &str) -> String {
    let s = s.trim().replace("%3A", ":").replace("%3a", ":");
    let s = s.split("://").nth(1).unwrap_or(&s);
    s.trim_start_matches("www.").trim_end_matches('/').to_ascii_lowercase()
}

/// Undoes LinkedIn's quoting of multi-line text: every inner line was
/// wrapped in quotes of its own, which a CSV parser returns as a stray `"`
/// before and after each line break.
pub fn unquote_commentary(s: &str) -> String {
    s.replace("\"\n\"", "\n")
}

fn csv_reader(r: &mut dyn Read) -> csv::Reader<&mut dyn Read> {
    csv::ReaderBuilder::new().flexible(true).from_reader(r)
}

fn csv_error(name: &str, e: &csv::Error, out: &mut Export) -> bool {
    let place = e.position().map(|p| format!("line {}", p.line()));
    let io = matches!(e.kind(), csv::ErrorKind::Io(_));
    out.error(name, place, format!("cannot be read as CSV: {e}"));
    io
}

fn read_shares(name: &str, r: &mut dyn Read, out: &mut Export, progress: &dyn Progress) -> io::Result<()> {
    let mut rdr = csv_reader(r);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            csv_error(name, &e, out);
            return Ok(());
        }
    };
    let col = |n: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == n);
    let (Some(date), Some(text)) = (col("Date"), col("ShareCommentary")) else {
        out.error(
            name,
            Some("line 1".to_string()),
            format!(
                "unknown version of Shares.csv: no `Date` and `ShareCommentary` columns (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        );
        return Ok(());
    };
    let (link, shared, media, vis) = (col("ShareLink"), col("SharedUrl"), col("MediaUrl"), col("Visibility"));
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                if csv_error(name, &e, out) {
                    break;
                }
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty());
        let link = get(link).map(str::to_string);
        let id = link
            .as_deref()
            .and_then(|l| normalise_link(l).rsplit(':').next().map(str::to_string))
            .unwrap_or_else(|| format!("{}", i + 1));
        let mut text = unquote_commentary(rec.get(text).unwrap_or(""));
        if let Some(u) = get(shared).filter(|u| !text.contains(u)) {
            text = format!("{text}\n{u}");
        }
        let created_at = get(Some(date)).and_then(|d| DateTime::parse(&d.replace(' ', "T")));
        out.posts.push(Post {
            id,
            aliases: link.iter().cloned().collect(),
            text,
            created_at,
            url: link,
            media: get(media)
                .map(|m| crate::Media {
                    path: m.to_string(),
                    ..crate::Media::default()
                })
                .into_iter()
                .collect(),
            visibility: get(vis).map(str::to_string),
            ..Post::default()
        });
        if out.posts.len().is_multiple_of(1000) {
            progress.posts(out.posts.len());
        }
    }
    Ok(())
}

fn read_reactions(name: &str, r: &mut dyn Read, out: &mut Export) -> io::Result<()> {
    let mut rdr = csv_reader(r);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            csv_error(name, &e, out);
            return Ok(());
        }
    };
    let col = |n: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == n);
    let (date, link) = (col("Date"), col("Link"));
    let Some(link) = link else {
        out.error(
            name,
            Some("line 1".to_string()),
            "unknown version of Reactions.csv: no `Link` column",
        );
        return Ok(());
    };
    for rec in rdr.records() {
        match rec {
            Ok(rec) => {
                if let Some(target) = rec.get(link).filter(|s| !s.trim().is_empty()) {
                    out.likes.push(Like {
                        kind: LikeKind::Like,
                        target: target.trim().to_string(),
                        target_is_own: false,
                        created_at: date
                            .and_then(|d| rec.get(d))
                            .and_then(|d| DateTime::parse(&d.trim().replace(' ', "T"))),
                    });
                }
            }
            Err(e) => {
                if csv_error(name, &e, out) {
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_quoting() {
        // As a CSV parser returns LinkedIn's field.
        let parsed = "I'm off.\"\n\"\"\n\"WHAT? A retreat.\"\n\"He said \"hi\" there.";
        assert_eq!(
            unquote_commentary(parsed),
            "I'm off.\n\nWHAT? A retreat.\nHe said \"hi\" there."
        );
    }

    #[test]
    fn share_files() {
        assert!(is_shares("Shares.csv") && is_shares("Shares_17529409.csv"));
        assert!(!is_shares("Shares_x.csv") && !is_shares("Comments.csv"));
    }

    #[test]
    fn links_match_across_encodings() {
        assert_eq!(
            normalise_link("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A734/"),
            normalise_link("http://linkedin.com/feed/update/urn:li:share:734")
        );
    }
}
