//! Importers for the platforms' data exports: an archive as the platform
//! gives it (zip, tar.gz, a Bluesky CAR, or the unpacked folder) in; the
//! account's posts, likes, boosts and reposts, and privacy settings out,
//! with times in UTC and text as the user wrote it (HTML unescaped,
//! mojibake repaired).
//!
//! One module per platform (`x`, `mastodon`, `bluesky`, `linkedin`,
//! `meta` for Facebook and Instagram, `plain` for JSONL and CSV), each
//! turning the bytes of the files it knows into [`Export`] records; `archive`
//! hides the container. The platform is detected from the contents, never
//! from a file name's extension.
//!
//! This crate reads files; it never writes to, moves or modifies the export.
//! Bad input (a truncated zip, JSON cut in the middle, a CAR block whose
//! hash does not match its CID, an unknown version) never ends the import:
//! each problem becomes an [`ImportError`] naming the file and the place,
//! everything else is still read, and the export is marked partial. It
//! holds no rule logic: judging the posts is `primum_core`'s business.

mod archive;
mod bluesky;
mod car;
mod json;
mod linkedin;
mod mastodon;
mod meta;
mod plain;
pub mod text;
mod x;

use std::fmt;
use std::io::Read;
use std::path::Path;

pub use car::{Car, Cid};
use primum_core::DateTime;

/// Where an export comes from, as the audit report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    X,
    Mastodon,
    Bluesky,
    Linkedin,
    Facebook,
    Instagram,
    Jsonl,
    Csv,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::X => "x",
            Source::Mastodon => "mastodon",
            Source::Bluesky => "bluesky",
            Source::Linkedin => "linkedin",
            Source::Facebook => "facebook",
            Source::Instagram => "instagram",
            Source::Jsonl => "jsonl",
            Source::Csv => "csv",
        }
    }

    /// The export's name for people: the platform's, or the file format's.
    pub fn title(self) -> &'static str {
        match self {
            Source::Jsonl => "JSONL",
            Source::Csv => "CSV",
            other => other.platform().title(),
        }
    }

    /// The platform the posts were published on, for the engine's length
    /// and style rules.
    pub fn platform(self) -> primum_core::Platform {
        use primum_core::Platform;
        match self {
            Source::X => Platform::X,
            Source::Mastodon => Platform::Mastodon,
            Source::Bluesky => Platform::Bluesky,
            Source::Linkedin => Platform::Linkedin,
            Source::Facebook => Platform::Facebook,
            Source::Instagram => Platform::Instagram,
            Source::Jsonl | Source::Csv => Platform::Generic,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The account the export belongs to, as far as the export says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// The platform's id: X's numeric account id, a Mastodon actor URI, a
    /// Bluesky DID.
    pub id: Option<String>,
    pub handle: Option<String>,
    pub display_name: Option<String>,
}

/// A media file attached to a post.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Media {
    /// Its path inside the export, or its URL when the export does not
    /// hold the file.
    pub path: String,
    pub alt: Option<String>,
    /// The MIME type or the platform's media type (`photo`, `video`).
    pub kind: Option<String>,
    /// Where the export says it was taken (latitude, longitude).
    pub location: Option<(f64, f64)>,
}

/// One of the account's own posts (replies and reposts included).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Post {
    /// The platform's id of the post.
    pub id: String,
    /// Other names the platform gives the post (a Mastodon status URI, a
    /// Bluesky `at://` URI, a LinkedIn share link): what a like refers to.
    pub aliases: Vec<String>,
    /// The text as the user wrote it.
    pub text: String,
    pub created_at: Option<DateTime>,
    /// A link back to the post on the platform.
    pub url: Option<String>,
    /// The post this one replies to (an id or URI), if any.
    pub reply_to: Option<String>,
    /// The reply is to the account's own post (a thread).
    pub reply_to_self: bool,
    /// The post this one quotes (an id or URI), if any.
    pub quote_of: Option<String>,
    /// The post is a repost (retweet) of another's post.
    pub repost: bool,
    pub media: Vec<Media>,
    /// Who could see it, in the platform's words (`public`,
    /// `MEMBER_NETWORK`, `followers`), when the export says.
    pub visibility: Option<String>,
    /// Where the export says it was posted from (latitude, longitude).
    pub location: Option<(f64, f64)>,
}

/// What kind of engagement a [`Like`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LikeKind {
    /// A like, favourite or reaction.
    Like,
    /// A boost, repost or retweet recorded apart from the posts.
    Repost,
}

impl LikeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LikeKind::Like => "like",
            LikeKind::Repost => "repost",
        }
    }
}

/// A like, favourite, boost or repost made by the account.
#[derive(Debug, Clone, PartialEq)]
pub struct Like {
    pub kind: LikeKind,
    /// The liked post: an id or URI, compared with the posts' ids and
    /// aliases.
    pub target: String,
    /// The export itself says the liked post is the account's own (the
    /// DID in a Bluesky subject, the actor in a Mastodon URI), whether or
    /// not that post is among the export's posts.
    pub target_is_own: bool,
    /// When the like was made, where the export says (Bluesky only).
    pub created_at: Option<DateTime>,
}

/// An account setting the export carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The setting as the platform's settings page names it.
    pub name: String,
    /// Its value in the export.
    pub value: String,
    /// Whether this is the platform's most secure option.
    pub most_secure: bool,
    /// What to change, in the platform's words, when it is not.
    pub advice: String,
}

/// A problem met while reading the export: the import goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file inside the export (or the export itself).
    pub file: String,
    /// Where in it: `line 3, column 17`, `byte 5120`, `record 12`...
    pub place: Option<String>,
    pub message: String,
}

impl ImportError {
    pub fn new(file: impl Into<String>, place: Option<String>, message: impl Into<String>) -> ImportError {
        ImportError {
            file: file.into(),
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(p) => write!(f, "{}: {}: {}", self.file, p, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// Everything read from one export.
#[derive(Debug, Clone)]
pub struct Export {
    pub source: Source,
    pub account: Account,
    pub posts: Vec<Post>,
    pub likes: Vec<Like>,
    /// The privacy settings the export carries; `None` when it carries
    /// none (the audit then says so rather than guess).
    pub settings: Option<Vec<Setting>>,
    /// What could not be read; the rest of the export still was.
    pub errors: Vec<ImportError>,
    /// Notes on what the export leaves out (no like times, no settings).
    pub notes: Vec<String>,
}

impl Export {
    pub fn new(source: Source) -> Export {
        Export {
            source,
            account: Account::default(),
            posts: Vec::new(),
            likes: Vec::new(),
            settings: None,
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// True when part of the export could not be read.
    pub fn partial(&self) -> bool {
        !self.errors.is_empty()
    }

    pub(crate) fn error(&mut self, file: &str, place: Option<String>, message: impl Into<String>) {
        self.errors.push(ImportError::new(file, place, message));
    }

    pub(crate) fn setting(&mut self, s: Setting) {
        self.settings.get_or_insert_with(Vec::new).push(s);
    }

    /// Sorts the posts by time (those without one last), so that reports
    /// and history checks read them in order.
    pub fn sort(&mut self) {
        self.posts.sort_by_key(|p| (p.created_at.is_none(), p.created_at));
    }
}

/// What the caller learns while an export is read.
pub trait Progress {
    /// `posts` posts have been read so far.
    fn posts(&self, _posts: usize) {}
}

/// No progress reports.
pub struct Quiet;

impl Progress for Quiet {}

/// Reads the export at `path` (a zip, tar.gz, tar, CAR, JSONL or CSV file,
/// or a folder). Fails only when nothing can be read at all: the path
/// cannot be opened, or its contents are no export primum knows; every
/// other problem is recorded in [`Export::errors`].
pub fn import(path: &Path, progress: &dyn Progress) -> Result<Export, ImportError> {
    let name = path.display().to_string();
    let mut export = match archive::Container::open(path)? {
        archive::Container::Car(bytes) => bluesky::import(&name, &bytes, progress),
        archive::Container::Tree(mut tree) => {
            let names = tree.names();
            let source = match detect(&names) {
                Some(s) => Some(s),
                // A single file whose name does not tell: its first bytes.
                None if names.len() == 1 => {
                    let mut head = Vec::new();
                    tree.visit(&mut |_| true, &mut |_, r| {
                        r.take(4096).read_to_end(&mut head).map(|_| ())
                    });
                    plain::sniff(&head)
                }
                None => None,
            };
            let Some(source) = source else {
                return Err(ImportError::new(
                    &name,
                    None,
                    "not a data export primum knows: no X `data/tweets.js`, Mastodon `outbox.json`, LinkedIn `Shares.csv`, Facebook or Instagram posts file, Bluesky `.car`, or JSONL/CSV of posts",
                ));
            };
            let mut export = Export::new(source);
            export.errors.extend(tree.take_errors());
            let single = names.len() == 1;
            match source {
                Source::X => x::import(tree.as_mut(), &names, &mut export, progress),
                Source::Mastodon if single && !names[0].ends_with("outbox.json") => {
                    plain::import(tree.as_mut(), &names, &mut export, progress)
                }
                Source::Mastodon => mastodon::import(tree.as_mut(), &names, &mut export, progress),
                Source::Linkedin if single => {
                    // A `Shares.csv` given alone, whatever its name.
                    linkedin::import_file(tree.as_mut(), &names[0], &mut export, progress)
                }
                Source::Linkedin => linkedin::import(tree.as_mut(), &names, &mut export, progress),
                Source::Facebook | Source::Instagram => meta::import(tree.as_mut(), &names, &mut export, progress),
                Source::Bluesky => {
                    let car = names.iter().find(|n| n.ends_with(".car")).cloned().unwrap_or_default();
                    let mut bytes = Vec::new();
                    tree.visit(&mut |n| n == car, &mut |_, r| r.read_to_end(&mut bytes).map(|_| ()));
                    let mut e = bluesky::import(&car, &bytes, progress);
                    e.errors.splice(0..0, export.errors.drain(..));
                    export = e;
                }
                Source::Jsonl | Source::Csv => {
                    let file: Vec<String> = names
                        .iter()
                        .filter(|n| single || n.ends_with(".jsonl") || n.ends_with(".csv"))
                        .take(1)
                        .cloned()
                        .collect();
                    plain::import(tree.as_mut(), &file, &mut export, progress)
                }
            }
            export.errors.extend(tree.take_errors());
            export
        }
    };
    export.sort();
    Ok(export)
}

/// The platform of an export from the names of its files.
fn detect(names: &[String]) -> Option<Source> {
    let has = |f: &dyn Fn(&str) -> bool| names.iter().any(|n| f(n));
    let file = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    if has(&|n| {
        let f = file(n);
        x::is_post_file(n) || (n.contains("data/") && matches!(f.as_str(), "manifest.js" | "account.js" | "like.js"))
    }) {
        return Some(Source::X);
    }
    if has(&|n| file(n) == "outbox.json") {
        return Some(Source::Mastodon);
    }
    if has(&|n| linkedin::is_shares(&file(n))) {
        return Some(Source::Linkedin);
    }
    if let Some(s) = meta::detect(names) {
        return Some(s);
    }
    if has(&|n| n.ends_with(".car")) {
        return Some(Source::Bluesky);
    }
    if has(&|n| n.ends_with(".jsonl")) {
        return Some(Source::Jsonl);
    }
    if has(&|n| n.ends_with(".csv")) {
        return Some(Source::Csv);
    }
    None
}

/// `true` when `name` is `file` or ends with `/file`.
pub(crate) fn is_file(name: &str, file: &str) -> bool {
    name == file || name.strip_suffix(file).is_some_and(|p| p.ends_with('/'))
}

/// The largest media file [`read_media`] reads (a phone's photo is a few
/// megabytes; a larger file is reported, not read).
pub const MEDIA_MAX_BYTES: u64 = 64 << 20;

/// Reads the files of the export at `path` whose names `want` accepts (the
/// paths [`Media::path`] gives), one at a time in the container's order,
/// calling `f` with each file's name and bytes. A file too large or that
/// cannot be read is reported in the returned errors and the reading goes
/// on. A CAR holds no media (Bluesky keeps images as separate blobs).
pub fn read_media(path: &Path, want: &dyn Fn(&str) -> bool, f: &mut dyn FnMut(&str, Vec<u8>)) -> Vec<ImportError> {
    let tree = match archive::Container::open(path) {
        Ok(archive::Container::Tree(tree)) => tree,
        Ok(archive::Container::Car(_)) => return Vec::new(),
        Err(e) => return vec![e],
    };
    let mut tree = tree;
    let mut errors = Vec::new();
    tree.visit(&mut |name| want(name), &mut |name, r| {
        let mut bytes = Vec::new();
        r.take(MEDIA_MAX_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MEDIA_MAX_BYTES {
            errors.push(ImportError::new(
                name,
                None,
                format!("larger than {} MB: not checked", MEDIA_MAX_BYTES >> 20),
            ));
        } else {
            f(name, bytes);
        }
        Ok(())
    });
    errors.extend(tree.take_errors());
    errors
}
