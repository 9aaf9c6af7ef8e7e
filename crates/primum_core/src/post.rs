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
    /// A platform by its name in any case, or `twitter` for X; compared
    /// without a lowercased copy (batches parse one per post).
    pub fn parse(s: &str) -> Option<Platform> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("twitter") {
            return Some(Platform::X);
        }
        Platform::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(s))
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
        let s = s.trim();
        AccountKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
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

#[cfg(test)]
mod tests {
    use super::{AccountKind, Platform};

    /// Names are read in any case and with spaces around; `twitter` is X.
    #[test]
    fn names_parse_in_any_case() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
            assert_eq!(Platform::parse(&format!(" {} ", p.as_str().to_uppercase())), Some(p));
        }
        assert_eq!(Platform::parse("Twitter"), Some(Platform::X));
        assert_eq!(Platform::parse("myspace"), None);
        for k in AccountKind::ALL {
            assert_eq!(AccountKind::parse(&k.as_str().to_uppercase()), Some(k));
        }
        assert_eq!(AccountKind::parse("robot"), None);
    }
}
