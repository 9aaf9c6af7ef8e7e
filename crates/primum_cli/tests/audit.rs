//! `primum audit` end to end on the real export samples in
//! `../shared/data/exports/` (read at run time, skipped with one line when
//! absent): the JSON report per the contract, specific findings, and the
//! exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn sample(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/exports")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data/exports/{rel} is not present");
        None
    }
}

/// Runs `primum audit PATH --format json` (plus `extra`): the report and
/// the exit status.
fn audit(path: &Path, extra: &[&str]) -> (Value, i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .arg("audit")
        .arg(path)
        .args(["--format", "json", "--now", "2026-11-26T12:00:00Z"])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (
        v,
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn account<'a>(v: &'a Value, rule: &str) -> Vec<&'a str> {
    v["account"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap())
        .collect()
}

#[test]
fn bluesky_self_likes_are_caught() {
    let Some(p) = sample("bluesky/paul_staging.repo.car") else {
        return;
    };
    let (v, code, _) = audit(&p, &[]);
    assert_eq!(v["schema"], "primum.audit.v1");
    assert_eq!(
        (v["platform"].as_str(), v["posts"].as_u64(), v["likes"].as_u64()),
        (Some("bluesky"), Some(101), Some(75))
    );
    assert_eq!(v["partial"], false);
    let self_likes = findings(&v, "engagement/self-like");
    // 22 likes and 8 reposts of its own posts, one finding per post and kind.
    let total: usize = self_likes
        .iter()
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            m.split('(')
                .nth(1)
                .map_or(1, |n| n.split(' ').next().unwrap().parse().unwrap())
        })
        .sum();
    assert_eq!(total, 30);
    assert!(
        self_likes
            .iter()
            .all(|f| f["severity"] == "warning" && f["start"].is_null())
    );
    let r = &v["reports"][0];
    assert_eq!(r["schema"], "primum.report.v1");
    assert!(
        r["url"]
            .as_str()
            .unwrap()
            .starts_with("https://bsky.app/profile/did:plc:")
    );
    assert_eq!(code, 1);
}

#[test]
fn x_archive_is_audited() {
    let Some(p) = sample("x/rti_at_mla_2021") else { return };
    let (v, code, stderr) = audit(&p, &[]);
    assert_eq!(
        (v["platform"].as_str(), v["posts"].as_u64(), v["likes"].as_u64()),
        (Some("x"), Some(70), Some(29))
    );
    assert!(findings(&v, "engagement/self-like").is_empty());
    assert_eq!(
        account(&v, "cadence/too-frequent"),
        ["more than 5 posts a day on one day (most: 14 on 2021-05-14)"]
    );
    assert!(
        v["account"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("carries no privacy settings"))
    );
    // Every post has its report, in time order, with its date and link.
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 70);
    assert_eq!(reports[0]["created_at"], "2020-10-30T22:00:00Z");
    assert!(
        reports
            .iter()
            .all(|r| r["url"].as_str().unwrap().starts_with("https://x.com/i/web/status/"))
    );
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn duty_hours_from_the_policy() {
    let Some(p) = sample("x/rti_at_mla_2021") else { return };
    let dir = std::env::temp_dir().join(format!("primum-audit-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "[account]\ntimezone = \"America/Chicago\"\nduty_hours = [\"mon-fri 09:00-17:00\"]\n",
    )
    .unwrap();
    let (v, _, _) = audit(&p, &["--policy", policy.to_str().unwrap()]);
    let on_duty = findings(&v, "productivity/on-duty-posting");
    assert!(!on_duty.is_empty());
    assert!(
        on_duty
            .iter()
            .all(|f| f["message"].as_str().unwrap().ends_with("(America/Chicago)"))
    );
    // The first post, Friday 2020-10-30 22:00 UTC, is 17:00 in Chicago: off duty.
    assert!(
        v["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "productivity/on-duty-posting")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mastodon_settings_and_partial_slice() {
    if let Some(p) = sample("mastodon/fossilizer_2023_zip") {
        let (v, _, _) = audit(&p, &[]);
        assert_eq!(
            (v["platform"].as_str(), v["posts"].as_u64(), v["likes"].as_u64()),
            (Some("mastodon"), Some(18), Some(3))
        );
        assert_eq!(
            account(&v, "account/privacy-settings"),
            ["\"Require follow requests\" is off: not the most secure option"]
        );
    }
    // An X archive whose manifest lists posts that are not there.
    if let Some(p) = sample("x/ethereum_classic_2022") {
        let (v, code, stderr) = audit(&p, &[]);
        assert_eq!((v["posts"].as_u64(), &v["partial"]), (Some(0), &Value::Bool(true)));
        assert!(
            stderr.contains("data/manifest.js: lists `data/tweets.js` (8074 records)"),
            "{stderr}"
        );
        assert_eq!(code, 2);
    }
    if let Some(p) = sample("bluesky/repo_slice.car") {
        let (v, code, stderr) = audit(&p, &[]);
        assert_eq!(v["partial"], true);
        assert!(
            v["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.as_str().unwrap().contains("not a complete repository export"))
        );
        assert!(stderr.contains("repo_slice.car"), "{stderr}");
        assert_eq!(code, 2);
    }
}

#[test]
fn linkedin_and_html() {
    let Some(p) = sample("linkedin/sanand0_2025/Shares.csv") else {
        return;
    };
    let (v, _, _) = audit(&p, &["--fail-on", "never"]);
    assert_eq!(
        (v["platform"].as_str(), v["posts"].as_u64()),
        (Some("linkedin"), Some(7))
    );
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .arg("audit")
        .arg(&p)
        .args([
            "--format",
            "html",
            "--fail-on",
            "never",
            "--now",
            "2026-11-26T12:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("Posts to delete first"));
    // Self-contained: no script, no stylesheet or font from elsewhere.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http"));
}

#[test]
fn not_an_export() {
    let out = Command::new(env!("CARGO_BIN_EXE_primum"))
        .args(["audit", "no/such/export.zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/export.zip: no such file"));
}

/// A small history written here (no shared data needed), audited to HTML
/// and rendered in headless Chromium when it is installed: the page draws
/// its charts and its table, and asks for nothing from the network.
#[test]
fn html_report_renders_in_chromium() {
    let dir = std::env::temp_dir().join(format!("primum-audit-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let posts = dir.join("posts.jsonl");
    std::fs::write(
        &posts,
        [
            r#"{"id":"a1","text":"Saw Mrs Jane Smith (DOB 03/04/1950) in bay 4 today, she is doing great!","created_at":"2026-03-03T10:15:00Z"}"#,
            r#"{"id":"a2","text":"Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome from 9am!","created_at":"2026-03-04T19:00:00Z"}"#,
            r#"{"id":"a3","text":"Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome from 9am!","created_at":"2026-03-05T11:00:00Z"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "[account]\ntimezone = \"Europe/London\"\nduty_hours = [\"mon-fri 08:00-18:00\"]\n",
    )
    .unwrap();
    let html = dir.join("audit.html");
    let status = Command::new(env!("CARGO_BIN_EXE_primum"))
        .arg("audit")
        .arg(&posts)
        .args([
            "--policy",
            policy.to_str().unwrap(),
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let page = std::fs::read_to_string(&html).unwrap();
    // Self-contained: no script, no external stylesheet, image or font.
    for bad in ["<script", "<link", "src=", "url(", "@import"] {
        assert!(!page.contains(bad), "the page holds {bad}");
    }
    assert!(page.contains("default-src 'none'"));
    assert!(page.contains("Jane Smith</mark>"), "{page}");

    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("skipped the browser check: chromium is not installed");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    };
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Any request for a host would fail: the page must not need one.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--dump-dom",
        ])
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("Posts to delete first (2)"), "{dom}");
    assert!(dom.matches("<rect class=\"bar\"").count() >= 5, "{dom}");
    assert!(dom.contains("Posts by hour of the day (Europe/London)"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Photos inside an export are checked with the image rules: the one with
/// a GPS position and an artist's name gets its findings on its post, the
/// one that is not an image is named as not checked (exit 2), and the rest
/// of the audit goes on.
#[test]
fn photos_in_the_export_are_checked() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = std::env::temp_dir().join(format!("primum-audit-photos-{}", std::process::id()));
    let data = dir.join("data");
    let media = data.join("tweets_media");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(
        data.join("account.js"),
        r#"window.YTD.account.part0 = [{"account": {"accountId": "42", "username": "drjane"}}]"#,
    )
    .unwrap();
    let tweet = |id: &str, file: &str| {
        format!(
            r#"{{"tweet": {{"id_str": "{id}", "full_text": "Sunrise from work https://t.co/p{id}", "created_at": "Thu Feb 11 07:00:00 +0000 2021",
               "entities": {{"media": [{{"url": "https://t.co/p{id}", "media_url_https": "https://pbs.twimg.com/media/{file}", "type": "photo"}}]}}}}}}"#
        )
    };
    std::fs::write(
        data.join("tweets.js"),
        format!(
            "window.YTD.tweets.part0 = [{}, {}]",
            tweet("1", "GPS.jpg"),
            tweet("2", "BAD.jpg")
        ),
    )
    .unwrap();
    std::fs::copy(fixtures.join("photo.jpg"), media.join("1-GPS.jpg")).unwrap();
    std::fs::copy(fixtures.join("broken.jpg"), media.join("2-BAD.jpg")).unwrap();
    let (v, code, stderr) = audit(&dir, &[]);
    std::fs::remove_dir_all(&dir).unwrap();
    let located = findings(&v, "privacy/image-location");
    assert_eq!(located.len(), 1, "{v}");
    assert!(!findings(&v, "privacy/image-metadata").is_empty(), "{v}");
    assert_eq!(code, 2, "a photo that could not be checked makes the audit partial");
    assert!(stderr.contains("2-BAD.jpg"), "{stderr}");
    assert_eq!(v["reports"].as_array().unwrap().len(), 2);
}
