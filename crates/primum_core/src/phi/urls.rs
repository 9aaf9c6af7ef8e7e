//! Web addresses given as a person's or a private business's own: after
//! `my website`, `my blog`, a `Website:` label, or words that share one's
//! own files (`I've shared files with you https://...`). A public
//! body's address is kept apart later by `is_public_org`.

use primum_text::{Analysis, Token, TokenKind};

use super::{Identifier, push};
use crate::finding::Kind;

/// Things a person owns on the web, after `my` or `our`.
const OWNED: &[&str] = &[
    "website",
    "site",
    "blog",
    "page",
    "portfolio",
    "homepage",
    "shop",
    "store",
    "channel",
    "profile",
    "podcast",
    "vlog",
    "newsletter",
    "gallery",
    "photos",
    "pics",
    "link",
];

/// Labels of a web address in a signature or a form.
const LABELS: &[&str] = &["website", "web", "homepage", "blog", "site", "url", "portfolio"];

/// Sharing one's own files: the words before the link. (`Just posted a
/// photo` links are cross-posts of public photos, not a private address.)
const SHARED: &[&[&str]] = &[
    &["shared", "files", "with", "you"],
    &["shared", "a", "file", "with", "you"],
    &["check", "out", "my"],
];

/// Every personal web address of the text (the detector takes them one
/// URL token at a time, with [`personal`]).
#[cfg(test)]
fn detect(a: &Analysis<'_>, out: &mut Vec<Identifier>) {
    for (i, t) in a.of_kind(TokenKind::Url) {
        personal(a, i, t, out);
    }
}

/// The URL token `t`, the `i`-th, when the words before it give it as a
/// person's own.
pub(super) fn personal(a: &Analysis<'_>, i: usize, t: &Token, out: &mut Vec<Identifier>) {
    // The words before it, back to the start of its sentence or line.
    let mut words: Vec<&str> = Vec::new();
    let mut j = i;
    while j > 0 && words.len() < 8 {
        j -= 1;
        let p = &a.tokens[j];
        if a.text[p.span.end..a.tokens[j + 1].span.start].matches('\n').count() > 2 {
            break;
        }
        match p.kind {
            TokenKind::Word => words.push(p.norm.as_str()),
            TokenKind::Punct if matches!(p.norm.as_str(), "." | "!" | "?") => break,
            _ => {}
        }
    }
    words.reverse();
    let owned = words
        .windows(2)
        .any(|w| matches!(w[0], "my" | "our") && OWNED.contains(&w[1]) || w[0] == "my" && w[1] == "own");
    let labelled = words.last().is_some_and(|w| LABELS.contains(w)) && a.tokens[i - 1].norm.as_str() == ":";
    let shared = SHARED.iter().any(|p| words.windows(p.len()).any(|w| w == *p));
    if owned || labelled || shared {
        push(out, t.span.start, t.span.end, Kind::Url, 0.8, "personal web address");
    }
}

#[cfg(test)]
mod tests {
    use primum_text::Analysis;

    fn urls(text: &str) -> Vec<&str> {
        let a = Analysis::new(text);
        let mut out = Vec::new();
        super::detect(&a, &mut out);
        out.iter().map(|i| &text[i.span.start..i.span.end]).collect()
    }

    #[test]
    fn personal_links() {
        assert_eq!(
            urls("My website is http://www.ScrapbookInsider.com.pt/"),
            ["http://www.ScrapbookInsider.com.pt/"]
        );
        assert_eq!(
            urls("Website:\nhttps://www.UEarly.se/\n\nAddress:"),
            ["https://www.UEarly.se/"]
        );
        assert_eq!(
            urls("I've shared files with you https://OrthoTraffic.ch/"),
            ["https://OrthoTraffic.ch/"]
        );
        assert_eq!(urls("my blog: janesmithwrites.com"), ["janesmithwrites.com"]);
    }

    #[test]
    fn other_links() {
        assert!(urls("New NICE guidance https://www.nice.org.uk/guidance/ng28").is_empty());
        assert!(urls("Read this http://t.co/m8LlP5PvLD").is_empty());
        assert!(urls("Just posted a photo http://instagram.com/p/xyz/").is_empty());
    }
}
