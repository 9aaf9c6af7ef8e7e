//! `spam/link-heavy`: too many links, or links through a shortener.

use foldhash::HashSet;
use std::sync::LazyLock;

use primum_text::{Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Counts the post's links and fires when there are more than
    /// `max_links` (default 2), underlining the links past the limit. It
    /// also fires on every link through a URL shortener or link hub
    /// (`bit.ly`, `amzn.to`, `linktr.ee`, listed in
    /// `lexicons/url_shorteners.csv`), which hides where the link goes.
    ///
    /// ## Why
    ///
    /// "Don't be spammy." A post that is mostly links reads as an advert
    /// and is hard to take in; a shortened link asks readers to trust a
    /// destination they cannot see, which is how affiliate links and
    /// unreliable sources travel. Readers should be able to check a
    /// clinician's sources (GMC 2024, "give context so readers can check
    /// your claims", `uk-gmc-sm2024-context`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Grab yours here 👉 amzn.to/3xQf7Lm
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// The strips I use are on the maker's site: https://brightarc.example/strips (I receive no payment)
    /// ```
    ///
    /// ## Fix
    ///
    /// Link to one or two sources, in full; put a list of resources on a
    /// page of its own and link to that.
    ///
    /// ## Options
    ///
    /// - `max_links` (integer, default 2): the most links allowed in one post.
    pub static RULE = {
        id: "spam/link-heavy",
        fix: Never,
        options: [
            ("max_links", Int(2), "the most links allowed in one post"),
        ],
        check: check,
    }
}

/// Domains of URL shorteners and link hubs.
static SHORTENERS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    crate::lexicon_rows!("url_shorteners.csv")
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .map(|d| d.to_lowercase())
        .collect()
});

/// The host of a URL token's text, lowercase, without `www.` (empty when
/// there is none).
pub(crate) fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let host = rest[..end].rsplit('@').next().unwrap_or("");
    let host = host.trim_end_matches('.').to_lowercase();
    host.strip_prefix("www.").map(str::to_string).unwrap_or(host)
}

/// True when `host` is `domain` or one of its subdomains.
pub(crate) fn host_is(host: &str, domain: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|h| h.ends_with('.'))
}

/// The shortener `host` belongs to, if any.
pub(crate) fn shortener(host: &str) -> Option<&'static str> {
    // Walk the host's suffixes (`a.b.bit.ly`, `b.bit.ly`, `bit.ly`...).
    let mut h = host;
    loop {
        if let Some(d) = SHORTENERS.get(h) {
            return Some(d.as_str());
        }
        h = h.split_once('.')?.1;
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let max = usize::try_from(ctx.opt_i64("max_links")).unwrap_or(0);
    let links: Vec<Span> = ctx.text.of_kind(TokenKind::Url).map(|(_, t)| t.span).collect();
    if links.len() > max {
        let extra = &links[max..];
        if let (Some(first), Some(last)) = (extra.first(), extra.last()) {
            out.push(
                Diagnostic::at(
                    first.cover(*last),
                    format!("{} links, more than the limit of {max}", links.len()),
                )
                .with_help("link to one or two sources; gather the rest on a page of their own and link to that"),
            );
        }
    }
    for span in &links {
        let host = url_host(ctx.text.slice(*span));
        if let Some(d) = shortener(&host) {
            out.push(
                Diagnostic::at(*span, format!("shortened link ({d}) hides where it goes"))
                    .with_help("give the full address so readers can see where the link goes"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, url_host};
    use crate::rule::OptValue;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_past_the_limit() {
        assert_spans(
            &RULE,
            "Fever: https://www.nhs.uk/a croup: https://www.nhs.uk/b bronchiolitis: https://www.nhs.uk/c 111: https://111.nhs.uk",
            &["https://www.nhs.uk/c 111: https://111.nhs.uk"],
        );
    }

    #[test]
    fn fires_on_shorteners() {
        assert_spans(&RULE, "Grab yours here 👉 amzn.to/3xQf7Lm", &["amzn.to/3xQf7Lm"]);
        assert_spans(
            &RULE,
            "Our new patient portal is live! Sign up here: bit.ly/kbay-portal",
            &["bit.ly/kbay-portal"],
        );
        assert_spans(
            &RULE,
            "Links in bio https://linktr.ee/drjane",
            &["https://linktr.ee/drjane"],
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(&RULE, "More from the NHS: https://www.nhs.uk/conditions/antibiotics/");
        assert_silent(&RULE, "Paper: https://doi.org/10.1000/x and data: https://osf.io/abc12");
        assert_silent(&RULE, "Email clinic@bit.ly.example.org");
        assert_silent(&RULE, "A bitly.example.com link is not a shortener");
        assert_silent(&RULE, "");
    }

    #[test]
    fn option_raises_the_limit() {
        let t = Test::new("a.com/1 b.com/2 c.com/3").option(&RULE, "max_links", OptValue::Int(3));
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn hosts() {
        assert_eq!(url_host("https://WWW.NHS.uk/x?y"), "nhs.uk");
        assert_eq!(url_host("bit.ly/abc"), "bit.ly");
        assert_eq!(url_host("http://user@host.org:8080/"), "host.org");
        assert_eq!(url_host(""), "");
    }
}
