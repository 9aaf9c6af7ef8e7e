//! How long a post is, counted the way each platform counts it.
//!
//! Platforms do not agree on what a "character" is. X weighs each code
//! point (Latin, Cyrillic, Greek and general punctuation weigh 1, CJK and
//! most other scripts 2, an emoji sequence 2 in all) and counts every link
//! as 23 whatever its length. Mastodon counts grapheme clusters, links as
//! 23 and a remote mention (`@user@server`) as its local part only. Bluesky
//! counts grapheme clusters. Threads, Instagram, LinkedIn and Facebook
//! count characters; we count grapheme clusters there too, so that an emoji
//! built of several code points (a family, a flag, a skin tone) counts once.
//!
//! Grapheme clusters are found by a small approximation of Unicode's
//! extended grapheme cluster rules (UAX #29) that covers what posts contain:
//! CR LF, combining marks (Latin, Greek, Cyrillic, Hebrew, Arabic, the
//! Indic and Thai scripts), variation selectors, emoji modifiers, zero-width
//! joiner sequences, keycaps, tag sequences and regional-indicator flags. It
//! needs no tables beyond a few ranges and no new dependency.
//!
//! The CLI and the review service reuse these functions to show a length
//! counter; the `integrity/too-long` rule uses them to find the overflow.

use primum_text::{Analysis, TokenKind, is_emoji};

use crate::post::Platform;

/// What X counts a link as, whatever its length (t.co wrapping); Mastodon
/// does the same.
pub const URL_LENGTH: usize = 23;

/// The platform's own limit on a post's length, in its own units; `None`
/// when there is none (the generic platform).
pub fn limit(platform: Platform) -> Option<usize> {
    match platform {
        Platform::X => Some(280),
        Platform::Bluesky => Some(300),
        Platform::Threads | Platform::Mastodon => Some(500),
        Platform::Instagram => Some(2_200),
        Platform::Linkedin => Some(3_000),
        Platform::Facebook => Some(63_206),
        Platform::Generic => None,
    }
}

/// The length of `text` as `platform` counts it.
pub fn length(text: &str, platform: Platform) -> usize {
    length_of(&Analysis::new(text), platform)
}

/// The length of an analysed text as `platform` counts it.
pub fn length_of(a: &Analysis<'_>, platform: Platform) -> usize {
    let mut total = 0usize;
    walk(a, platform, |_, w| {
        total += w;
        true
    });
    total
}

/// The byte offset of the first unit (grapheme cluster or link) that does
/// not fit within `limit`, or `None` when the whole text fits.
pub fn overflow_start(a: &Analysis<'_>, platform: Platform, limit: usize) -> Option<usize> {
    // No unit weighs more than its bytes (an X weight of 2 is a code point
    // of two bytes or more, a remote mention counts less than it is) except
    // a link, which may count 23: a text within the limit by that bound
    // needs no walk, and most posts are.
    let links = a.tokens.iter().filter(|t| t.kind == TokenKind::Url).count();
    if a.text.len().saturating_add(links.saturating_mul(URL_LENGTH)) <= limit {
        return None;
    }
    let mut total = 0usize;
    let mut at = None;
    walk(a, platform, |start, w| {
        total += w;
        if total > limit {
            at = Some(start);
            false
        } else {
            true
        }
    });
    at
}

/// Calls `f(byte_start, weight)` for each counted unit of the text, in
/// order, until `f` returns false.
fn walk(a: &Analysis<'_>, platform: Platform, mut f: impl FnMut(usize, usize) -> bool) {
    let text = a.text;
    let links_fixed = matches!(platform, Platform::X | Platform::Mastodon);
    // The spans counted as a whole (links) or shortened (remote mentions),
    // in text order.
    let mut special = a.tokens.iter().filter(|t| match t.kind {
        TokenKind::Url => links_fixed,
        TokenKind::Mention | TokenKind::Email => platform == Platform::Mastodon,
        _ => false,
    });
    let mut next = special.next();
    let mut pos = 0usize;
    while pos < text.len() {
        if let Some(t) = next
            && t.span.start <= pos
        {
            if t.span.end > pos && t.span.start == pos {
                let s = &text[t.span.start..t.span.end];
                let weight = match t.kind {
                    TokenKind::Url => URL_LENGTH,
                    // `@user@server` counts as `@user`, however the
                    // tokenizer split it.
                    TokenKind::Mention => {
                        let local = s.get(1..).and_then(|r| r.find('@')).map_or(s.len(), |i| i + 1);
                        graphemes(&s[..local]).count()
                    }
                    _ if text[..pos].ends_with('@') => graphemes(&s[..s.find('@').unwrap_or(s.len())]).count(),
                    _ => graphemes(s).count(),
                };
                if !f(pos, weight) {
                    return;
                }
                pos = t.span.end;
                if t.kind == TokenKind::Mention {
                    pos += remote_domain_len(&text[pos..]);
                }
            }
            next = special.next();
            continue;
        }
        let end = next.map_or(text.len(), |t| t.span.start.max(pos));
        let seg = &text[pos..end];
        if seg.is_ascii() && !seg.contains('\r') {
            // Most text: in ASCII without a carriage return each byte is
            // its own cluster (nothing ASCII extends or joins one), and
            // weighs 1 everywhere, X included.
            for k in 0..seg.len() {
                if !f(pos + k, 1) {
                    return;
                }
            }
            pos = end;
            continue;
        }
        for (start, cluster) in graphemes(seg) {
            let weight = if platform == Platform::X { x_weight(cluster) } else { 1 };
            if !f(pos + start, weight) {
                return;
            }
        }
        pos = end;
    }
}

/// The length of the `@server` part of a remote mention that the
/// tokenizer left after `@user`, which Mastodon does not count.
fn remote_domain_len(rest: &str) -> usize {
    let Some(domain) = rest.strip_prefix('@') else {
        return 0;
    };
    let len = domain
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(domain.len());
    let len = domain[..len].trim_end_matches('.').len();
    if len == 0 { 0 } else { 1 + len }
}

/// The weight X gives a grapheme cluster: 2 for an emoji sequence, else
/// the sum of its code points' weights (twitter-text configuration v3).
fn x_weight(cluster: &str) -> usize {
    if cluster.chars().any(|c| is_emoji(c) || c == '\u{20E3}') {
        return 2;
    }
    cluster
        .chars()
        .map(|c| match c as u32 {
            0..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037 => 1,
            _ => 2,
        })
        .sum()
}

/// The grapheme clusters of `s`, each with its byte offset.
pub fn graphemes(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, first) = rest.next()?;
        let mut end = start + first.len_utf8();
        let mut prev = first;
        let mut regional = is_regional(first);
        while let Some(&(i, c)) = rest.peek() {
            let joins = (prev == '\r' && c == '\n')
                || (c != '\r' && c != '\n' && prev != '\r' && prev != '\n' && is_extend(c))
                || (prev == '\u{200D}' && is_emoji(c))
                || (regional && is_regional(c));
            if !joins {
                break;
            }
            regional = false;
            end = i + c.len_utf8();
            prev = c;
            rest.next();
        }
        Some((start, &s[start..end]))
    })
}

fn is_regional(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Characters that attach to the one before them: combining marks,
/// joiners, variation selectors, emoji modifiers and tags.
fn is_extend(c: char) -> bool {
    let u = c as u32;
    // Below U+0300 nothing extends: all of ASCII and Latin-1 are decided
    // by this one comparison.
    if u < 0x0300 {
        return false;
    }
    match u {
        0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x05BF
        | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5
        | 0x05C7
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8
        | 0x06EA..=0x06ED
        | 0x0E31
        | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E
        | 0x0EB1
        | 0x0EB4..=0x0EBC
        | 0x0EC8..=0x0ECD
        | 0x1160..=0x11FF
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D
        | 0x20D0..=0x20FF
        | 0x302A..=0x302F
        | 0x3099..=0x309A
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F
        | 0xE0100..=0xE01EF => true,
        // The Indic scripts (Devanagari to Malayalam) share a layout:
        // vowel signs, viramas and nasal marks sit at the same offsets in
        // each 128-character block.
        0x0900..=0x0D7F => matches!(u & 0x7F, 0x00..=0x03 | 0x3C | 0x3E..=0x4D | 0x51..=0x57 | 0x62..=0x63),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters(s: &str) -> Vec<&str> {
        graphemes(s).map(|(_, g)| g).collect()
    }

    #[test]
    fn graphemes_keep_emoji_sequences_and_marks_together() {
        assert_eq!(clusters("ab"), ["a", "b"]);
        assert_eq!(clusters("e\u{301}x"), ["e\u{301}", "x"]);
        // Family (ZWJ), thumbs up with skin tone, flag, keycap, heart with VS16.
        assert_eq!(clusters("👨‍👩‍👧"), ["👨‍👩‍👧"]);
        assert_eq!(clusters("👍🏽!"), ["👍🏽", "!"]);
        assert_eq!(clusters("🇬🇧🇦🇺"), ["🇬🇧", "🇦🇺"]);
        assert_eq!(clusters("1️⃣"), ["1️⃣"]);
        assert_eq!(clusters("❤️"), ["❤️"]);
        assert_eq!(clusters("\r\n"), ["\r\n"]);
        assert_eq!(clusters("नमस्ते"), ["न", "म", "स्", "ते"]);
        assert_eq!(clusters(""), Vec::<&str>::new());
    }

    #[test]
    fn limits() {
        assert_eq!(limit(Platform::X), Some(280));
        assert_eq!(limit(Platform::Bluesky), Some(300));
        assert_eq!(limit(Platform::Mastodon), Some(500));
        assert_eq!(limit(Platform::Generic), None);
    }

    #[test]
    fn x_counts_links_as_23_and_wide_characters_as_2() {
        assert_eq!(length("hello", Platform::X), 5);
        assert_eq!(
            length(
                "see https://www.nice.org.uk/guidance/ng232/chapter/recommendations",
                Platform::X
            ),
            4 + 23
        );
        assert_eq!(length("日本語", Platform::X), 6);
        assert_eq!(length("👨‍👩‍👧 ok", Platform::X), 2 + 3);
        assert_eq!(length("café", Platform::X), 4);
        assert_eq!(length("“quote” — yes", Platform::X), 13);
    }

    #[test]
    fn bluesky_counts_graphemes_and_links_in_full() {
        assert_eq!(length("👨‍👩‍👧 ok", Platform::Bluesky), 4);
        assert_eq!(length("go to nhs.uk/flu", Platform::Bluesky), 16);
    }

    #[test]
    fn mastodon_counts_links_as_23_and_remote_mentions_locally() {
        assert_eq!(length("hi @anna@med.social", Platform::Mastodon), 3 + 5);
        assert_eq!(
            length("read https://example.org/a/very/long/path/indeed", Platform::Mastodon),
            5 + 23
        );
    }

    #[test]
    fn overflow_starts_at_the_first_unit_past_the_limit() {
        let a = Analysis::new("abcdef");
        assert_eq!(overflow_start(&a, Platform::Bluesky, 4), Some(4));
        assert_eq!(overflow_start(&a, Platform::Bluesky, 6), None);
        let a = Analysis::new("ab 日本");
        assert_eq!(overflow_start(&a, Platform::X, 4), Some(3));
        let a = Analysis::new("a https://example.org/x b");
        assert_eq!(overflow_start(&a, Platform::X, 10), Some(2));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", "\u{200D}", "\u{301}", "🇬", "@@", "@a@", "\r", "x\u{FE0F}\u{FE0F}"] {
            for p in Platform::ALL {
                let _ = length(s, p);
            }
        }
    }
}
