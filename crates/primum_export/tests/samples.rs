//! Every real export sample in `../shared/data/exports/` imported, with
//! its counts and specific records checked, as a folder and as the
//! archive the platform gives (zip, tar.gz); and damaged copies of them
//! (a truncated zip, JSON cut in the middle, a CAR block that does not
//! match its hash) still read as far as they can. The samples are
//! third-party data and stay outside the repository: each test skips with
//! one line when they are absent; the damaged copies are made in a
//! temporary folder at run time.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use primum_export::{Export, LikeKind, Quiet, Source, import};

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

fn load(p: &Path) -> Export {
    import(p, &Quiet).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A fresh temporary folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("primum-export-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// Zips the files of a folder (paths relative to it).
fn zip_folder(dir: &Path, out: &Path) {
    let mut z = zip::ZipWriter::new(fs::File::create(out).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        z.start_file(rel, opts).unwrap();
        z.write_all(&fs::read(&f).unwrap()).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn x_2021_archive() {
    let Some(p) = sample("x/rti_at_mla_2021") else { return };
    let e = load(&p);
    assert_eq!(e.source, Source::X);
    assert_eq!((e.posts.len(), e.likes.len()), (70, 29));
    assert!(!e.partial(), "{:?}", e.errors);
    assert_eq!(e.account.handle.as_deref(), Some("RTIatMLA"));
    assert_eq!(e.posts.iter().filter(|p| p.reply_to_self).count(), 14);
    assert_eq!(e.posts.iter().filter(|p| p.repost).count(), 12);
    assert_eq!(e.posts.iter().filter(|p| !p.media.is_empty()).count(), 8);
    // Media files in the archive are found by the tweet-id prefix.
    assert!(
        e.posts
            .iter()
            .flat_map(|p| &p.media)
            .any(|m| m.path.ends_with("1403007918614712322-E3h8QwOWYAMzxQt.jpg"))
    );
    // Text as written: entities decoded, links expanded.
    assert!(
        e.posts
            .iter()
            .all(|p| !p.text.contains("&amp;") && !p.text.contains("https://t.co/"))
    );
    let first = &e.posts[0];
    assert_eq!(first.created_at.unwrap().to_string(), "2020-10-30T22:00:00Z");
    assert_eq!(
        first.url.as_deref(),
        Some("https://x.com/i/web/status/1322297225620475905")
    );
    // No settings in this archive: said, not guessed.
    assert!(e.settings.is_none());
    assert!(e.notes.iter().any(|n| n.contains("carries no privacy settings")));
}

#[test]
fn x_2021_archive_as_zip_and_truncated() {
    let Some(p) = sample("x/rti_at_mla_2021") else { return };
    let d = scratch("xzip");
    let z = d.join("twitter.zip");
    zip_folder(&p, &z);
    let e = load(&z);
    assert_eq!((e.posts.len(), e.likes.len()), (70, 29));
    assert!(!e.partial(), "{:?}", e.errors);
    // Cut the zip in the middle: no table of contents, the entries before
    // the cut are still read.
    let bytes = fs::read(&z).unwrap();
    let cut = d.join("cut.zip");
    fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let e = load(&cut);
    assert!(e.partial());
    assert!(
        e.errors[0].to_string().contains("table of contents cannot be read"),
        "{:?}",
        e.errors
    );
    assert!(
        e.errors
            .iter()
            .any(|x| x.place.as_deref().is_some_and(|p| p.starts_with("zip entry"))),
        "{:?}",
        e.errors
    );
    // account.js and like.js come before tweet.js in name order.
    assert_eq!(e.likes.len(), 29);
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn x_json_cut_in_the_middle() {
    let Some(p) = sample("x/rti_at_mla_2021/data/tweet.js") else {
        return;
    };
    let d = scratch("xcut");
    let data = d.join("data");
    fs::create_dir_all(&data).unwrap();
    let text = fs::read_to_string(&p).unwrap();
    let at = text.match_indices("\"tweet\" :").nth(10).unwrap().0;
    fs::write(data.join("tweet.js"), &text[..at + 40]).unwrap();
    let e = load(&d);
    assert_eq!(e.posts.len(), 10);
    assert_eq!(e.errors.len(), 1, "{:?}", e.errors);
    let msg = e.errors[0].to_string();
    assert!(msg.starts_with("data/tweet.js: line "), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn x_grailbird_2015() {
    let Some(p) = sample("x/bizweekgraphics_grailbird_2015") else {
        return;
    };
    let e = load(&p);
    assert_eq!(e.source, Source::X);
    assert_eq!(e.posts.len(), 33);
    assert_eq!(e.account.handle.as_deref(), Some("bizweekgraphics"));
    assert_eq!(e.posts[0].created_at.unwrap().to_string(), "2011-03-01T16:25:37Z");
    // Every tweet carries `user.protected`: the one setting of this era.
    let s = e.settings.as_ref().unwrap();
    assert_eq!((s[0].name.as_str(), s[0].most_secure), ("Protect your posts", false));
}

#[test]
fn x_archives_without_posts() {
    if let Some(p) = sample("x/dogsheep_fixture_2020") {
        let e = load(&p);
        assert_eq!((e.source, e.posts.len()), (Source::X, 0));
        assert!(!e.partial(), "{:?}", e.errors);
    }
    // The publisher left out the posts and likes its manifest lists: the
    // import says so, naming the manifest.
    if let Some(p) = sample("x/ethereum_classic_2022") {
        let e = load(&p);
        assert_eq!((e.source, e.posts.len()), (Source::X, 0));
        let errors: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
        assert!(
            errors.contains(
                &"data/manifest.js: lists `data/tweets.js` (8074 records) but the archive does not hold it".to_string()
            ),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|m| m.contains("`data/like.js` (20377 records)")),
            "{errors:?}"
        );
    }
}

#[test]
fn mastodon_2023_and_single_activity() {
    let Some(p) = sample("mastodon/fossilizer_2023_zip") else {
        return;
    };
    let e = load(&p);
    assert_eq!((e.source, e.posts.len(), e.likes.len()), (Source::Mastodon, 18, 3));
    assert_eq!(
        e.account.id.as_deref(),
        Some("https://toot.lmorchard.com/users/lmorchard")
    );
    assert_eq!(e.posts[0].text, "Just setting up another tooter!");
    let s = e.settings.as_ref().unwrap();
    assert!(s.iter().any(|s| s.name == "Require follow requests" && !s.most_secure));
    let Some(p) = sample("mastodon/fossilizer_single/activity-with-attachment.json") else {
        return;
    };
    let e = load(&p);
    assert_eq!((e.source, e.posts.len()), (Source::Mastodon, 1));
    assert_eq!(e.posts[0].media.len(), 2);
}

#[test]
fn mastodon_2022_as_tar_gz() {
    let Some(p) = sample("mastodon/fossilizer_2022_targz") else {
        return;
    };
    let e = load(&p);
    assert_eq!((e.posts.len(), e.likes.len()), (73, 147 + 34));
    assert_eq!(e.likes.iter().filter(|l| l.kind == LikeKind::Repost).count(), 34);
    assert!(
        e.posts
            .iter()
            .all(|p| !p.text.contains("<p>") && !p.text.contains("&#39;"))
    );
    // The same files as the server's tar.gz.
    let d = scratch("mtgz");
    let tgz = d.join("archive.tar.gz");
    let mut t = tar::Builder::new(flate2::write::GzEncoder::new(
        fs::File::create(&tgz).unwrap(),
        flate2::Compression::fast(),
    ));
    for f in ["actor.json", "outbox.json", "likes.json"] {
        t.append_path_with_name(p.join(f), f).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap();
    let e = load(&tgz);
    assert_eq!((e.source, e.posts.len(), e.likes.len()), (Source::Mastodon, 73, 181));
    assert!(!e.partial(), "{:?}", e.errors);
    // Cut the outbox in the middle: the posts before the cut are kept.
    let outbox = fs::read_to_string(p.join("outbox.json")).unwrap();
    let cut = d.join("cut");
    fs::create_dir_all(&cut).unwrap();
    fs::write(cut.join("outbox.json"), &outbox[..outbox.len() / 2]).unwrap();
    let e = load(&cut);
    assert!(e.posts.len() > 20 && e.posts.len() < 73, "{}", e.posts.len());
    assert_eq!(e.errors.len(), 1);
    assert!(
        e.errors[0].to_string().starts_with("outbox.json: line 1, column "),
        "{}",
        e.errors[0]
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn bluesky_repositories() {
    if let Some(p) = sample("bluesky/paul_staging.repo.car") {
        let e = load(&p);
        assert_eq!(e.source, Source::Bluesky);
        assert!(!e.partial(), "{:?}", e.errors);
        let own_likes = e
            .likes
            .iter()
            .filter(|l| l.target_is_own && l.kind == LikeKind::Like)
            .count();
        let own_reposts = e
            .likes
            .iter()
            .filter(|l| l.target_is_own && l.kind == LikeKind::Repost)
            .count();
        assert_eq!((own_likes, own_reposts), (22, 8));
        assert_eq!(e.posts.iter().filter(|p| p.reply_to_self).count(), 11);
    }
    if let Some(p) = sample("bluesky/bnewbold.robocracy.org.20250310005405.car") {
        let e = load(&p);
        assert_eq!((e.posts.len(), e.likes.len()), (23, 3));
        assert!(e.posts.iter().any(|p| p.quote_of.is_some()));
        assert!(e.posts.iter().flat_map(|p| &p.media).any(|m| m.alt.is_some()));
    }
    if let Some(p) = sample("bluesky/fakermaker.repo.car") {
        let e = load(&p);
        // `-07:00` offsets normalised to UTC.
        assert_eq!(e.posts[0].created_at.unwrap().to_string(), "2023-04-26T07:09:11Z");
    }
    if let Some(p) = sample("bluesky/greenground.repo.car") {
        let e = load(&p);
        assert_eq!((e.posts.len(), e.partial()), (0, false));
    }
    if let Some(p) = sample("bluesky/repo_slice.car") {
        let e = load(&p);
        assert!(e.partial());
        assert!(
            e.errors
                .iter()
                .any(|x| x.message.contains("not a complete repository export")),
            "{:?}",
            e.errors
        );
    }
}

#[test]
fn bluesky_block_hash_mismatch() {
    let Some(p) = sample("bluesky/bnewbold.robocracy.org.20250310005405.car") else {
        return;
    };
    let mut bytes = fs::read(&p).unwrap();
    // Change one byte of a post's text.
    let at = bytes.windows(13).position(|w| w == b"does it work?").unwrap();
    bytes[at] = b'D';
    let d = scratch("car");
    let f = d.join("bad.car");
    fs::write(&f, &bytes).unwrap();
    let e = load(&f);
    assert!(e.partial());
    assert!(
        e.errors.iter().any(|x| x.message.contains("does not match its hash")
            && x.place.as_deref().is_some_and(|p| p.starts_with("byte "))),
        "{:?}",
        e.errors
    );
    // The damaged record is left out; the others are read.
    assert_eq!(e.posts.len(), 22);
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn linkedin_shares() {
    let Some(p) = sample("linkedin/sanand0_2025/Shares.csv") else {
        return;
    };
    for path in [p.clone(), p.parent().unwrap().to_path_buf()] {
        let e = load(&path);
        assert_eq!((e.source, e.posts.len()), (Source::Linkedin, 7));
        let vip = e
            .posts
            .iter()
            .find(|p| p.text.starts_with("I'm off for a 10-day"))
            .unwrap();
        assert!(vip.text.contains("program.\n\n𝗪𝗛𝗔𝗧? A 10-day"), "{:?}", vip.text);
        assert!(!vip.text.contains("\"\n"), "{:?}", vip.text);
        assert_eq!(vip.created_at.unwrap().to_string(), "2025-07-01T14:33:22Z");
        assert_eq!(vip.visibility.as_deref(), Some("MEMBER_NETWORK"));
        let q = e
            .posts
            .iter()
            .find(|p| p.text.starts_with("If someone asked me"))
            .unwrap();
        assert!(
            q.text
                .starts_with("If someone asked me, \"What's changed this year in LLMs\", here's my list:\n\n")
        );
    }
}

#[test]
fn facebook_fixture_with_mojibake() {
    let d = scratch("fb");
    let posts = d.join("your_facebook_activity/posts");
    fs::create_dir_all(&posts).unwrap();
    // As Meta writes it: UTF-8 bytes as \u00XX escapes.
    fs::write(
        posts.join("your_posts__check_ins__photos_and_videos_1.json"),
        r#"[{"timestamp": 1700000000, "data": [{"post": "Caf\u00c3\u00a9 with the team \u00f0\u009f\u0098\u0080"}],
            "attachments": [{"data": [{"place": {"name": "Clinic", "coordinate": {"latitude": 51.5, "longitude": -0.12}}}]}]},
           {"timestamp": 1700003600, "data": [{"post": "Second"}]}"#,
    )
    .unwrap();
    let likes = d.join("your_facebook_activity/comments_and_reactions");
    fs::create_dir_all(&likes).unwrap();
    fs::write(
        likes.join("likes_and_reactions_1.json"),
        r#"[{"timestamp": 1700007200, "title": "Jane Doe liked her own post."}, {"timestamp": 1700007300, "title": "Jane Doe liked Bob's post."}]"#,
    )
    .unwrap();
    let e = load(&d);
    assert_eq!(e.source, Source::Facebook);
    // The posts file is cut (no closing bracket): reported, nothing read
    // from it; the likes file is whole.
    assert!(e.partial());
    assert!(
        e.errors[0]
            .to_string()
            .starts_with("your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json: line "),
        "{:?}",
        e.errors
    );
    assert_eq!(e.likes.iter().filter(|l| l.target_is_own).count(), 1);
    // Whole, the posts read with their text repaired.
    let f = posts.join("your_posts__check_ins__photos_and_videos_1.json");
    let mut text = fs::read_to_string(&f).unwrap();
    text.push(']');
    fs::write(&f, text).unwrap();
    let e = load(&d);
    assert!(!e.partial(), "{:?}", e.errors);
    assert_eq!(e.posts.len(), 2);
    assert_eq!(e.posts[0].text, "Café with the team 😀");
    assert_eq!(e.posts[0].location, Some((51.5, -0.12)));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn instagram_fixture() {
    let d = scratch("ig");
    let content = d.join("your_instagram_activity/content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("posts_1.json"),
        r#"[{"media": [{"uri": "media/posts/1.jpg", "creation_timestamp": 1700000000, "title": "Night shift done \u00e2\u009c\u0094",
             "media_metadata": {"photo_metadata": {"exif_data": [{"latitude": 48.85, "longitude": 2.35}]}}}]}]"#,
    )
    .unwrap();
    let info = d.join("personal_information/personal_information");
    fs::create_dir_all(&info).unwrap();
    fs::write(
        info.join("personal_information.json"),
        r#"{"profile_user": [{"string_map_data": {"Username": {"value": "drjane"}, "Private Account": {"value": "False"}}}]}"#,
    )
    .unwrap();
    let likes = d.join("your_instagram_activity/likes");
    fs::create_dir_all(&likes).unwrap();
    fs::write(
        likes.join("liked_posts.json"),
        r#"{"likes_media_likes": [{"title": "drjane", "string_list_data": [{"href": "https://www.instagram.com/p/abc/", "timestamp": 1700000100}]},
                                 {"title": "someone", "string_list_data": [{"href": "https://www.instagram.com/p/def/", "timestamp": 1700000200}]}]}"#,
    )
    .unwrap();
    let e = load(&d);
    assert_eq!(e.source, Source::Instagram);
    assert!(!e.partial(), "{:?}", e.errors);
    assert_eq!(e.posts[0].text, "Night shift done ✔");
    assert_eq!(e.posts[0].location, Some((48.85, 2.35)));
    assert_eq!(e.likes.iter().filter(|l| l.target_is_own).count(), 1);
    assert!(
        e.settings
            .as_ref()
            .unwrap()
            .iter()
            .any(|s| s.name == "Private account" && !s.most_secure)
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn plain_jsonl_and_csv() {
    let d = scratch("plain");
    let j = d.join("posts.jsonl");
    fs::write(&j, "{\"id\": \"a\", \"text\": \"one\", \"created_at\": \"2026-01-01T10:00:00+01:00\"}\nnot json\n{\"text\": \"two\"}\n").unwrap();
    let e = load(&j);
    assert_eq!((e.source, e.posts.len()), (Source::Jsonl, 2));
    assert_eq!(e.posts[0].created_at.unwrap().to_string(), "2026-01-01T09:00:00Z");
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].place.as_deref(), Some("line 2, column 2"));
    let c = d.join("export.csv");
    fs::write(&c, "id,date,text\n1,2026-01-02 08:00:00,\"hello, world\"\n").unwrap();
    let e = load(&c);
    assert_eq!((e.source, e.posts.len()), (Source::Csv, 1));
    assert_eq!(e.posts[0].text, "hello, world");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn unknown_input_is_refused_with_the_file_named() {
    let d = scratch("unknown");
    let f = d.join("notes.bin");
    fs::write(&f, [0u8, 1, 2, 3]).unwrap();
    let err = import(&f, &Quiet).unwrap_err().to_string();
    assert!(
        err.contains("notes.bin") && err.contains("not a data export primum knows"),
        "{err}"
    );
    let err = import(&d.join("missing.zip"), &Quiet).unwrap_err().to_string();
    assert!(err.contains("missing.zip: no such file"), "{err}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn x_part_files_bare_tweets_and_geotags() {
    let d = scratch("xparts");
    let data = d.join("archive/data");
    fs::create_dir_all(&data).unwrap();
    fs::write(
        data.join("account.js"),
        r#"window.YTD.account.part0 = [{"account": {"accountId": "42", "username": "drjane"}}]"#,
    )
    .unwrap();
    fs::write(
        data.join("tweets.js"),
        r#"window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "A &amp; E was busy https://t.co/x",
            "created_at": "Wed Feb 10 18:00:00 +0000 2021",
            "entities": {"urls": [{"url": "https://t.co/x", "expanded_url": "https://example.org/a", "indices": ["19", "33"]}]},
            "coordinates": {"type": "Point", "coordinates": ["-0.12", "51.5"]}}}];"#,
    )
    .unwrap();
    // A part file, with a bare tweet (no wrapper) replying to the account.
    fs::write(
        data.join("tweets-part1.js"),
        r#"window.YTD.tweets.part1 = [{"id_str": "2", "full_text": "@drjane and more", "created_at": "Thu Feb 11 18:00:00 +0000 2021",
            "in_reply_to_status_id_str": "1", "in_reply_to_user_id_str": "42"}]"#,
    )
    .unwrap();
    fs::write(
        data.join("like.js"),
        r#"window.YTD.like.part0 = [{"like": {"tweetId": "2"}}, {"like": {"tweetId": "999"}}]"#,
    )
    .unwrap();
    // The posts file given alone.
    let e = load(&data.join("tweets-part1.js"));
    assert_eq!((e.source, e.posts.len()), (Source::X, 1));
    let e = load(&d);
    assert_eq!((e.source, e.posts.len(), e.likes.len()), (Source::X, 2, 2));
    assert!(!e.partial(), "{:?}", e.errors);
    assert_eq!(e.posts[0].text, "A & E was busy https://example.org/a");
    assert_eq!(e.posts[0].location, Some((51.5, -0.12)));
    assert!(e.posts[1].reply_to_self);
    assert_eq!(e.account.handle.as_deref(), Some("drjane"));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn linkedin_reactions_to_own_shares() {
    let d = scratch("li");
    fs::write(
        d.join("Shares.csv"),
        "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2025-07-01 14:33:22,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7345,\"First line.\"\"\n\"\"\"\"\n\"\"Second line.\",,,PUBLIC\n",
    )
    .unwrap();
    fs::write(
        d.join("Reactions.csv"),
        "Date,Type,Link\n2025-07-01 15:00:00,LIKE,https://www.linkedin.com/feed/update/urn:li:share:7345\n2025-07-01 15:05:00,PRAISE,https://www.linkedin.com/feed/update/urn:li:activity:1\n",
    )
    .unwrap();
    let e = load(&d);
    assert_eq!((e.source, e.posts.len(), e.likes.len()), (Source::Linkedin, 1, 2));
    assert_eq!(e.posts[0].text, "First line.\n\nSecond line.");
    assert_eq!(e.likes.iter().filter(|l| l.target_is_own).count(), 1);
    let _ = fs::remove_dir_all(&d);
}
