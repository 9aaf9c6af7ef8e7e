//! `engagement/unverified-source`: sharing content whose authenticity is doubtful.

use foldhash::{HashMap, HashMapExt};
use std::sync::LazyLock;

use primum_text::{Lexicon, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::spam::link_heavy::{host_is, shortener, url_host};

declare_rule! {
    /// ## What it checks
    ///
    /// Signs that the post passes on something nobody has checked:
    ///
    /// - a link to a site with a public record of health misinformation
    ///   (`lexicons/low_credibility_domains.csv`);
    /// - a lookalike link that borrows a health body's name without being
    ///   its site (`nhs-uk-health.info` is not the NHS; the names and real
    ///   domains are in `lexicons/official_domains.csv`), a link that spells
    ///   out an official address inside another one (`who-int.org.news`,
    ///   `cdc.gov.health-alerts.com`), or an internationalised (`xn--`) host;
    /// - viral-rumour markers (`lexicons/rumour_markers.csv`): "share before
    ///   they delete this", "doctors don't want you to know", "WhatsApp
    ///   forward says", "can't verify this but sharing". Weaker markers
    ///   ("must-read", "big pharma", "the truth about") count only together
    ///   with another marker, a shortened link or a doubtful domain;
    ///
    /// Markers inside quotation marks or under a negation ("never share
    /// posts that say...") are left alone.
    ///
    /// ## Why
    ///
    /// "Don't like or comment without reviewing the authenticity of the
    /// post." A clinician's share lends a rumour their authority. Advice on
    /// social media must be evidence-based and correct (NMC Code ¶6,
    /// `uk-nmc-code-6`), and readers should be able to check a clinician's
    /// claims (GMC 2024, `uk-gmc-sm2024-context`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Big Pharma is hiding a natural cure. Full report at nhs-uk-health.info/cure, read it before it gets taken down.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Seen claims of a "natural cure" for type 2 diabetes? There isn't one. What does help: https://www.nhs.uk/conditions/type-2-diabetes/
    /// ```
    ///
    /// ## Fix
    ///
    /// Check the claim against a primary source (the health body's own
    /// site, the paper) before sharing, and link to that source in full.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "engagement/unverified-source",
        fix: Never,
        options: [],
        check: check,
    }
}

/// Rumour markers; the value is true for strong markers. Markers the
/// lexicon's own notes call suspicious only in combination are weak.
static MARKERS: LazyLock<Lexicon<bool>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("rumour_markers.csv").into_iter().filter_map(|r| {
        let p = r.into_iter().next()?;
        let strong = !WEAK.contains(&p.as_str());
        Some((p, strong))
    }))
});

/// True when the post passes a rumour on: a strong rumour marker ("share
/// before it's deleted", "forwarded as received"), not quoted or negated,
/// in a post with no word warning against it. A claim inside such a post
/// is asserted, however it is framed ("doctors have found that...").
pub(crate) fn passes_on_rumour(a: &primum_text::Analysis<'_>) -> bool {
    !DEBUNK.matches(a)
        && MARKERS
            .each(a)
            .any(|m| *m.value && !a.quoted[m.first] && !a.negated[m.first])
}

/// Markers that also occur in ordinary posts (a clinic asking people to
/// share its notice, a debunking article's title); a grammar-level
/// judgement on entries of `rumour_markers.csv`, not a word list.
const WEAK: &[&str] = &[
    "the truth about",
    "the real truth",
    "big pharma",
    "must-read",
    "must read",
    "must watch",
    "please read this",
    "going viral",
    "viral video",
    "unverified",
    "urgent warning",
    "urgent alert",
    "open your eyes",
    "sharing for awareness",
    "please share widely",
    "please forward",
    "share with your family and friends",
    "share with everyone you know",
    "do your own research",
    "suppressed by",
];

/// Words of a post that warns against a rumour rather than passing it on
/// (a small closed set of grammar, kept in code).
static DEBUNK: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        [
            "fake",
            "hoax",
            "myth",
            "myths",
            "false",
            "scam",
            "beware",
            "misinformation",
            "disinformation",
            "debunk*",
            "don't share",
            "never share",
            "do not share",
            "don't believe",
            "don't fall for",
            "never trust",
            "don't trust",
            "not true",
        ]
        .map(|p| (p, ())),
    )
});

static LOW_CRED: LazyLock<Vec<String>> = LazyLock::new(|| {
    crate::lexicon_rows!("low_credibility_domains.csv")
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect()
});

/// Brand label -> the brand's official domains.
static OFFICIAL: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for r in crate::lexicon_rows!("official_domains.csv") {
        if let [brand, domain] = r.as_slice() {
            m.entry(brand.to_lowercase()).or_default().push(domain.to_lowercase());
        }
    }
    m
});

/// Suffixes of government and public bodies' hosts, never lookalikes.
const PUBLIC_SUFFIXES: &[&str] = &[
    "gov",
    "gov.uk",
    "gov.au",
    "gov.in",
    "gc.ca",
    "gov.ie",
    "europa.eu",
    "int",
    "mil",
    "nhs.uk",
];

/// True when `host` spells out the official `domain` inside a different
/// address: `who-int.org.news`, `cdc.gov.health-alerts.com`.
fn imitates(host: &str, domain: &str) -> bool {
    if domain.is_empty() || host_is(host, domain) {
        return false;
    }
    // Both spellings hold the domain's first label: most hosts have none.
    let first = domain.split('.').next().unwrap_or(domain);
    if !host.contains(first) {
        return false;
    }
    let dashed = domain.replace('.', "-");
    let bounded = |needle: &str| {
        host.match_indices(needle).any(|(i, _)| {
            let before = host[..i].chars().next_back();
            let after = host[i + needle.len()..].chars().next();
            before.is_none_or(|c| matches!(c, '.' | '-')) && after.is_none_or(|c| matches!(c, '.' | '-'))
        })
    };
    (domain.contains('.') && bounded(&dashed)) || bounded(&format!("{domain}."))
}

/// Why `host` is doubtful, if it is.
/// The official domains by their first label, each with its place in
/// `OFFICIAL.values().flatten()`: the order in which they are tried.
static OFFICIAL_BY_FIRST: LazyLock<HashMap<&'static str, Vec<(usize, &'static str)>>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Vec<(usize, &'static str)>> = HashMap::new();
    for (k, d) in OFFICIAL.values().flatten().enumerate() {
        let first = d.split('.').next().unwrap_or(d);
        m.entry(first).or_default().push((k, d.as_str()));
    }
    m
});

/// The first official domain (in the order of `OFFICIAL.values().flatten()`)
/// that `host` [`imitates`].
///
/// Where `host` imitates a domain, the domain's first label is in the host
/// from the host's start or after a `.` or `-`, and is followed by a `.` or
/// a `-` (the dashed spelling, or the domain and a dot). So only the
/// domains whose first label is such a piece of the host are tried: a
/// handful of lookups, where trying every domain searched the host for
/// each one's first label.
fn imitated(host: &str) -> Option<&'static str> {
    let seps: Vec<usize> = host
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'.' || b == b'-')
        .map(|(i, _)| i)
        .collect();
    let mut best: Option<(usize, &'static str)> = None;
    for p in std::iter::once(0).chain(seps.iter().map(|&i| i + 1)) {
        for &q in seps.iter().filter(|&&q| q >= p) {
            let Some(domains) = OFFICIAL_BY_FIRST.get(&host[p..q]) else {
                continue;
            };
            for &(k, d) in domains {
                if best.is_none_or(|(b, _)| k < b) && imitates(host, d) {
                    best = Some((k, d));
                }
            }
        }
    }
    best.map(|(_, d)| d)
}

fn doubtful_host(host: &str) -> Option<String> {
    if host.is_empty() {
        return None;
    }
    if let Some(d) = LOW_CRED.iter().find(|d| host_is(host, d)) {
        return Some(format!("link to {d}, a site with a record of health misinformation"));
    }
    if PUBLIC_SUFFIXES.iter().any(|s| host_is(host, s)) {
        return None;
    }
    if host.split('.').any(|l| l.starts_with("xn--")) {
        return Some(format!(
            "link to {host}, an internationalised address that may imitate another site"
        ));
    }
    if let Some(d) = imitated(host) {
        return Some(format!(
            "link to {host}, which imitates the address {d} but is not that site"
        ));
    }
    for part in host.split(['.', '-']) {
        if part == "-" {
            continue;
        }
        if let Some(official) = OFFICIAL.get(part)
            && !official.iter().any(|d| host_is(host, d))
        {
            return Some(format!(
                "link to {host}, which borrows the name `{part}` but is not its official site"
            ));
        }
    }
    None
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let mut has_doubtful_link = false;
    let mut has_short = false;
    for (_, t) in a.of_kind(TokenKind::Url) {
        let host = url_host(a.slice(t.span));
        if let Some(why) = doubtful_host(&host) {
            has_doubtful_link = true;
            out.push(Diagnostic::at(t.span, why).with_help(
                "check the claim at its primary source (the health body's own site, the paper) and link to that",
            ));
        } else if shortener(&host).is_some() {
            has_short = true;
        }
    }
    let markers = MARKERS.find_all(a);
    // Debunking sentences matter only to a marker: most posts have none.
    let mut debunk: Vec<u32> = if markers.is_empty() {
        Vec::new()
    } else {
        DEBUNK
            .each(a)
            .filter_map(|m| a.sentence_of.get(m.first).copied())
            .collect()
    };
    debunk.sort_unstable();
    let markers: Vec<_> = markers
        .into_iter()
        .filter(|m| {
            !a.quoted.get(m.first).copied().unwrap_or(false)
                && !a.negated.get(m.first).copied().unwrap_or(false)
                && a.sentence_of
                    .get(m.first)
                    .is_none_or(|s| debunk.binary_search(s).is_err())
        })
        .collect();
    let corroborated = markers.len() >= 2 || has_short || has_doubtful_link;
    for m in &markers {
        if *m.value || corroborated {
            let mut d = Diagnostic::at(m.span, "viral-rumour wording in a shared claim").with_help(
                "check the claim at a primary source before sharing; if you cannot verify it, don't pass it on",
            );
            if has_short {
                d = d.with_note("the post's shortened link hides where the claim comes from");
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn fires_on_rumour_markers() {
        assert_spans(
            &RULE,
            "SHARE BEFORE THEY DELETE THIS!!! 👇 DOCTORS DON'T WANT YOU TO KNOW that baking soda dissolves kidney stones",
            &["SHARE BEFORE THEY DELETE THIS", "DOCTORS DON'T WANT YOU TO KNOW"],
        );
        assert_spans(
            &RULE,
            "Can't verify this but sharing just in case: WhatsApp forward says a new virus is spreading",
            &["Can't verify this", "sharing just in case", "WhatsApp forward"],
        );
    }

    #[test]
    fn fires_on_doubtful_links() {
        assert_spans(
            &RULE,
            "Full report at nhs-uk-health.info/cure, read it before it gets taken down.",
            &["nhs-uk-health.info/cure", "read it before it gets taken down"],
        );
        assert_spans(
            &RULE,
            "Interesting read https://www.naturalnews.com/2026-01-01-x.html",
            &["https://www.naturalnews.com/2026-01-01-x.html"],
        );
    }

    #[test]
    fn weak_markers_need_company() {
        assert_spans(
            &RULE,
            "Must-read on the vaccine injuries 👉 bit.ly/3vAxT9q",
            &["Must-read"],
        );
        assert_silent(
            &RULE,
            "Must-read: the new NICE asthma guideline https://www.nice.org.uk/guidance/ng245",
        );
        assert_silent(&RULE, "Please share widely: our blood drive is on Thursday 10am to 4pm");
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Our new patient portal is live! Sign up here: bit.ly/kbay-portal",
        );
        assert_silent(
            &RULE,
            "More from the NHS: https://www.nhs.uk/conditions/antibiotics/ and https://111.nhs.uk",
        );
        assert_silent(
            &RULE,
            "Paper's out! https://doi.org/10.1000/jfp.2026.118 and https://www.england.nhs.uk/x",
        );
        assert_silent(
            &RULE,
            "If a post says 'share before they delete this', don't share it: check the NHS website.",
        );
        assert_silent(&RULE, "Never trust anything that says doctors don't want you to know");
        assert_silent(&RULE, "");
    }
    #[test]
    fn fires_on_addresses_that_imitate_official_ones() {
        assert_spans(
            &RULE,
            "BREAKING: WHO has quietly banned ibuprofen for under-40s!! Full story at who-int.org.news",
            &["who-int.org.news"],
        );
        assert_spans(
            &RULE,
            "New advice at cdc.gov.health-alerts.com today",
            &["cdc.gov.health-alerts.com"],
        );
        assert_spans(
            &RULE,
            "Read it at nice-org-uk.info before it's scrubbed",
            &["nice-org-uk.info", "before it's scrubbed"],
        );
    }

    #[test]
    fn the_index_of_first_labels_finds_what_trying_every_domain_finds() {
        let mut hosts: Vec<String> = super::OFFICIAL
            .values()
            .flatten()
            .flat_map(|d| {
                let dashed = d.replace('.', "-");
                [
                    d.clone(),
                    format!("www.{d}"),
                    format!("{d}.news"),
                    format!("{dashed}.info"),
                    format!("my-{dashed}-x.com"),
                    format!("a.{d}-b.org"),
                    format!("x{d}.com"),
                    format!("{d}x.com"),
                ]
            })
            .collect();
        hosts.extend(
            [
                "",
                ".",
                "-",
                "a",
                "who-int.org.news",
                "cdc.gov.health-alerts.com",
                "doctor-who.com",
                "a..b--c",
            ]
            .map(String::from),
        );
        for host in &hosts {
            let every = super::OFFICIAL
                .values()
                .flatten()
                .find(|d| super::imitates(host, d))
                .map(String::as_str);
            assert_eq!(super::imitated(host), every, "{host}");
        }
    }

    #[test]
    fn silent_on_official_addresses_and_names() {
        assert_silent(
            &RULE,
            "Updated guidance at https://www.who.int/news and nice.org.uk/guidance/ng136",
        );
        assert_silent(&RULE, "Loved the Doctor Who exhibition at doctor-who.com this weekend");
        assert_silent(&RULE, "Cancer info: https://www.cancer.gov/about-cancer");
    }
}
