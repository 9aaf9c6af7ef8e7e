//! The input: a post and what is known of it.

use crate::time::DateTime;

/// Where the post will be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Platform {
    X,
    Bluesky,
    Threads,
    Mastodon,
    Instagram,
    Linkedin,
    Facebook,
    #[default]
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Platform::X,
        Platform::Bluesky,
        Platform::Threads,
        Platform::Mastodon,
        Platform::Instagram,
        Platform::Linkedin,
        Platform::Facebook,
        Platform::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Bluesky => "bluesky",
            Platform::Threads => "threads",
            Platform::Mastodon => "mastodon",
            Platform::Instagram => "instagram",
            Platform::Linkedin => "linkedin",
            Platform::Facebook => "facebook",
            Platform::Generic => "generic",
        }
    }

    /// Parses a platform name; `twitter` is accepted for `x`.
    pub fn parse(s: &str) -> Option<Platform> {
        let s = s.trim().to_ascii_lowercase();
        if s == "twitter" {
            return Some(Platform::X);
        }
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Display name.
    pub fn title(self) -> &'static str {
        match self {
            Platform::X => "X",
            Platform::Bluesky => "Bluesky",
            Platform::Threads => "Threads",
            Platform::Mastodon => "Mastodon",
            Platform::Instagram => "Instagram",
            Platform::Linkedin => "LinkedIn",
            Platform::Facebook => "Facebook",
            Platform::Generic => "a generic platform",
        }
    }
}

/// What kind of account the post is published from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    Professional,
    Personal,
    Anonymous,
}

impl AccountKind {
    pub const ALL: [AccountKind; 3] = [AccountKind::Professional, AccountKind::Personal, AccountKind::Anonymous];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Professional => "professional",
            AccountKind::Personal => "personal",
            AccountKind::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        AccountKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// One post to check.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub text: String,
    pub platform: Platform,
    /// The text of the post this one replies to.
    pub reply_to: Option<String>,
    /// The account kind given with the post; falls back to the policy's.
    pub account: Option<AccountKind>,
    pub created_at: Option<DateTime>,
}

impl Post {
    pub fn new(text: impl Into<String>) -> Post {
        Post {
            text: text.into(),
            ..Post::default()
        }
    }
}
