//! The identifier detector: finds the identifiers of a person in a text
//! (names, dates, ages, phone and fax numbers, e-mail and web addresses,
//! IP addresses, postal addresses and places, record and account numbers),
//! each with its kind and span. `privacy/patient-identifier` decides which
//! of them are findings; `primum redact` removes them all.
//!
//! Detectors are independent passes over the shared analysis, merged at
//! the end, so that new kinds and better detectors can be added one file at
//! a time:
//!
//! - [`numbers`]: phones, faxes, numeric dates, IPs, postcodes, national
//!   and account numbers (with the check digits of [`checksums`]), record
//!   numbers after their label;
//! - [`dates`]: dates written out and named days;
//! - [`ages`]: ages (only those over 89 are identifiers);
//! - [`names`]: names of people, organisations, places, street addresses;
//! - e-mail addresses, personal web addresses and @handles, here.
//!
//! Cue words (titles, relations, street types, record-number labels...)
//! are data: `lexicons/phi_cues.csv`.

mod address;
pub mod ages;
pub mod checksums;
mod dates;
pub(crate) mod names;
pub mod numbers;
mod orgs;
pub(crate) mod pattern;
mod places;
pub mod surrogate;
pub mod tagger;
mod urls;
pub mod words;

use primum_text::{Analysis, Span, TokenKind};

use crate::finding::Kind;
pub(crate) use ages::ages_in;
pub use ages::{Age, ages};
use pattern::Haystack;
use words::{Cues, Role, WORDS, WordSet};

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Identifier {
    /// Byte span in the text.
    pub span: Span,
    pub kind: Kind,
    /// How sure the detector is, 0..1.
    pub confidence: f32,
    /// Why it was taken for an identifier (for notes and debugging).
    pub reason: &'static str,
}

/// Adds a candidate (detectors call this; overlaps are resolved at the end).
pub(crate) fn push(
    out: &mut Vec<Identifier>,
    start: usize,
    end: usize,
    kind: Kind,
    confidence: f32,
    reason: &'static str,
) {
    if start < end {
        out.push(Identifier {
            span: Span::new(start, end),
            kind,
            confidence,
            reason,
        });
    }
}

/// Builds the detectors' two largest tables now rather than on first use:
/// the place gazetteer and the word lists (names with their frequencies,
/// common words), each some tens of milliseconds. A batch on several
/// threads runs each on a thread of its own before its first post (the
/// command line does), so that they are built side by side while the
/// input is read, instead of one after the other by the first post while
/// the other threads wait for them. A single post gains nothing by it.
pub fn warm_up() -> [fn(); 2] {
    [
        || {
            std::sync::LazyLock::force(&places::GAZETTEER);
        },
        || {
            std::sync::LazyLock::force(&words::WORDS);
        },
    ]
}

/// Finds the identifiers in `text`, sorted by position, not overlapping.
pub fn detect(text: &Analysis<'_>) -> Vec<Identifier> {
    let h = Haystack::of(text);
    let cues = Cues::new(text);
    detect_all(text, h, &cues, &ages_in(h))
}

/// [`detect_with`], with all the statistical tagger's names, places and
/// organisations: for redaction. Tuned for recall, most of them are too
/// often not a person's to be `check` findings. The least confident
/// candidates, they only fill gaps between the rules' spans.
fn detect_all(text: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, ages: &[Age]) -> Vec<Identifier> {
    detect_using(text, h, cues, ages, Tagger::All)
}

/// How much of the statistical tagger a detection takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tagger {
    /// Only full names with a listed given name ([`tagger::full_names`]).
    FullNames,
    /// Every span.
    All,
}

/// [`detect`] for `check`, with the cue phrases and ages of the text
/// already found (the engine shares them between rules): the rules'
/// identifiers and the tagger's full names.
pub(crate) fn detect_with(text: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, ages: &[Age]) -> Vec<Identifier> {
    detect_using(text, h, cues, ages, Tagger::FullNames)
}

fn detect_using(text: &Analysis<'_>, h: Haystack<'_>, cues: &Cues, ages: &[Age], spans: Tagger) -> Vec<Identifier> {
    let mut cand = Vec::new();
    numbers::detect(text, h, cues, &mut cand);
    dates::detect(text, h, cues, &mut cand);
    for age in ages {
        if age.years >= 90 {
            push(
                &mut cand,
                age.value.start,
                age.value.end,
                Kind::Age,
                age.confidence,
                "age over 89",
            );
        } else {
            // Low confidence: any other identifier overlapping it wins.
            push(
                &mut cand,
                age.value.start,
                age.value.end,
                Kind::Age,
                0.3,
                ages::UNDER_90,
            );
        }
    }
    names::detect(text, cues, &mut cand);
    match spans {
        Tagger::FullNames => cand.extend(tagger::full_names(text, cues)),
        Tagger::All => tagger::detect(text, cues, &mut cand),
    }
    address::detect(text, h, cues, &mut cand);
    places::detect(text, cues, &mut cand);
    orgs::detect(text, cues, &mut cand);
    web(text, &mut cand);
    let mut found = merge(cand);
    if repeat_names(text, &mut found) {
        found = merge(found);
    }
    found
}

/// The reason of a name found by [`repeat_names`].
pub(crate) const REPEATED_NAME: &str = "name found elsewhere in the text";

/// Once a name is found (`John Smith`, after `patient`), its words are
/// the same person's name wherever else they occur in the text (`John was
/// seen...`, `SMITH`), written with a capital. A frequent ordinary word
/// that opens a sentence (`Will you...`) is left alone. Returns true when
/// it added any.
fn repeat_names(a: &Analysis<'_>, found: &mut Vec<Identifier>) -> bool {
    // Each word of a name, and the same in capitals (made once).
    let mut words: Vec<(&str, String)> = Vec::new();
    for id in found.iter().filter(|id| id.kind == Kind::Name) {
        for w in a.text[id.span.start..id.span.end].split(|c: char| !c.is_alphabetic() && c != '\'') {
            let w = w.trim_end_matches("'s").trim_matches('\'');
            if w.chars().count() >= 2 && w.starts_with(char::is_uppercase) && !words.iter().any(|(x, _)| *x == w) {
                words.push((w, w.to_uppercase()));
            }
        }
    }
    if words.is_empty() {
        return false;
    }
    let covered = |start: usize| {
        let i = found.partition_point(|id| id.span.end <= start);
        found.get(i).is_some_and(|id| id.span.start <= start)
    };
    let mut added = Vec::new();
    for (i, t) in a.tokens.iter().enumerate() {
        // Every word of `words` starts with a capital.
        if t.kind != TokenKind::Word || t.letters.upper == 0 || covered(t.span.start) {
            continue;
        }
        let s = a.token_text(i);
        let s = s
            .strip_suffix("'s")
            .or_else(|| s.strip_suffix("\u{2019}s"))
            .unwrap_or(s);
        let Some((w, _)) = words.iter().find(|(w, upper)| *w == s || (s.len() > 1 && upper == s)) else {
            continue;
        };
        let opens = i == 0 || a.sentence_of[i - 1] != a.sentence_of[i];
        if opens && WORDS.common(&w.to_lowercase(), 5000) {
            continue;
        }
        push(
            &mut added,
            t.span.start,
            t.span.start + s.len(),
            Kind::Name,
            0.6,
            REPEATED_NAME,
        );
    }
    let any = !added.is_empty();
    found.extend(added);
    any
}

/// Keeps the most confident of overlapping candidates (then the longer).
/// `O(n log n)` to sort, then each candidate is checked against its
/// neighbour in the spans kept so far, sorted by start (a binary search
/// in a vector: a post has tens of candidates, where a vector beats a
/// tree).
fn merge(mut cand: Vec<Identifier>) -> Vec<Identifier> {
    cand.sort_by(|x, y| {
        y.confidence
            .total_cmp(&x.confidence)
            .then(y.span.len().cmp(&x.span.len()))
            .then(x.span.start.cmp(&y.span.start))
    });
    let mut kept: Vec<Identifier> = Vec::with_capacity(cand.len());
    for c in cand {
        // The kept span starting last before `c` ends must end before `c`
        // starts; then no kept span starts inside `c` either.
        let at = kept.partition_point(|k| k.span.start < c.span.end);
        if at > 0 && kept[at - 1].span.end > c.span.start {
            continue;
        }
        // Only an empty span can start where a kept one does: it takes
        // that one's place, as it would as a key of a map of starts.
        match kept.get_mut(at) {
            Some(k) if k.span.start == c.span.start => *k = c,
            _ => kept.insert(at, c),
        }
    }
    kept
}

/// The host of a URL token, lower case, without `www.`.
pub fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    host.trim_start_matches("www.").to_ascii_lowercase()
}

/// True when `host` is, or is under, a domain listed with `role`.
fn host_has_role(host: &str, role: Role) -> bool {
    let mut h = host;
    loop {
        if WORDS.roles_of(h) & role.bit() != 0 {
            return true;
        }
        match h.split_once('.') {
            Some((_, rest)) if rest.contains('.') || role == Role::PublicDomain => h = rest,
            _ => return false,
        }
    }
}

/// E-mail addresses, and web addresses that point to a person (a profile
/// on a social site, a fundraiser).
fn web(a: &Analysis<'_>, out: &mut Vec<Identifier>) {
    // One pass over the tokens for all kinds: a personal web address
    // ([`urls`]), an e-mail address, a handle, a profile. The spans of
    // each kind are pushed in order, and their confidences differ but for
    // the two readings of one URL (pushed in the same order as before),
    // so their interleaving does not change what [`merge`] keeps.
    // The three kinds as bits of one mask: one test of a token's kind,
    // false for nearly every token (a `match` on the kind tested each in
    // turn, and words and punctuation alternate).
    const WEB: u32 = 1 << TokenKind::Email as u32 | 1 << TokenKind::Mention as u32 | 1 << TokenKind::Url as u32;
    for (i, t) in a.tokens.iter().enumerate() {
        if (1u32 << t.kind as u32) & WEB == 0 {
            continue;
        }
        match t.kind {
            TokenKind::Email => push(out, t.span.start, t.span.end, Kind::Email, 0.99, "e-mail address"),
            TokenKind::Mention => mention(t, out),
            TokenKind::Url => {
                urls::personal(a, i, t, out);
                profile_url(a, t, out);
            }
            _ => {}
        }
    }
}

/// A handle names an account; an organisation's (@NHSEngland) is kept
/// apart by [`is_public_org`]. A handle with fewer than two letters, or a
/// placeholder (`@user`, `@https` left by a broken link), names no account.
fn mention(t: &primum_text::Token, out: &mut Vec<Identifier>) {
    let h = t.norm.trim_start_matches('@');
    let letters = h.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && !matches!(h, "user" | "username" | "handle" | "http" | "https" | "name") {
        push(out, t.span.start, t.span.end, Kind::Url, 0.5, "social media handle");
    }
}

/// The first parts of a path on a social site that name no person's
/// page (a group, a search, a post).
const GENERIC_PATHS: &[&str] = &[
    "", "groups", "pages", "watch", "hashtag", "explore", "search", "share", "sharer", "events", "help", "about",
    "policies", "reel", "p", "status", "i", "intent", "home", "company", "school",
];

/// A web address of a person's profile or page on a social site. The
/// path is looked at first: it is cheaper than the host's roles.
fn profile_url(a: &Analysis<'_>, t: &primum_text::Token, out: &mut Vec<Identifier>) {
    let url = &a.text[t.span.start..t.span.end];
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let first = path.split(['/', '?', '#']).next().unwrap_or("");
    let generic = GENERIC_PATHS.iter().any(|g| first.eq_ignore_ascii_case(g));
    if !generic && host_has_role(&url_host(url), Role::SocialHost) {
        push(
            out,
            t.span.start,
            t.span.end,
            Kind::Url,
            0.8,
            "personal profile or page",
        );
    }
}

/// True when identifier `id` is a public organisation's contact detail, not
/// a person's: a phone number given as a reception, helpline or free-phone
/// number, a role mailbox (`reception@`), a public body's web address.
pub fn is_public_org(a: &Analysis<'_>, id: &Identifier) -> bool {
    is_public_org_with(a, id, || Cues::new(a))
}

/// [`is_public_org`], taking the text's cue phrases from `cues` when they
/// are needed.
pub(crate) fn is_public_org_with<C: std::borrow::Borrow<Cues>>(
    a: &Analysis<'_>,
    id: &Identifier,
    cues: impl FnOnce() -> C,
) -> bool {
    let s = &a.text[id.span.start..id.span.end];
    match id.kind {
        Kind::Phone | Kind::Fax => {
            if numbers::service_number(s) {
                return true;
            }
            let cues = cues();
            org_phone_context(a, cues.borrow(), id.span) || org_notice(a, cues.borrow())
        }
        Kind::Email => {
            let local = s.split('@').next().unwrap_or("").to_ascii_lowercase();
            let host = s.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
            // A team's mailbox: `reception@`, `diabetes.referrals@`.
            let role = |w: &str| WORDS.roles_of(w) & Role::RoleMailbox.bit() != 0;
            let mut parts = local.split(['.', '_', '-']);
            let (first, last) = (
                parts.next().unwrap_or(""),
                local.rsplit(['.', '_', '-']).next().unwrap_or(""),
            );
            role(&local)
                || role(first)
                || role(last)
                || host_has_role(&host, Role::PublicDomain)
                || org_notice(a, cues().borrow())
        }
        Kind::Url if s.starts_with('@') => org_handle(s),
        Kind::Url => host_has_role(&url_host(s), Role::PublicDomain),
        _ => false,
    }
}

/// True when an @handle is an organisation's: an acronym (`@WHO`), or a
/// part (split at `.`, `_`, digits and lower-to-upper case changes) that
/// is an organisation word or starts or ends with one (`@NHSEngland`,
/// `@CDCgov`, `@TheBMJ`).
fn org_handle(handle: &str) -> bool {
    let h = handle.trim_start_matches('@');
    // An ASCII letter is one byte, and no byte of another character is one.
    let letters = || h.bytes().filter(u8::is_ascii_alphabetic);
    if letters().count() >= 2 && letters().all(|b| b.is_ascii_uppercase()) {
        return true;
    }
    let is_org = |w: &str| WORDS.roles_of(w) & Role::HandleOrg.bit() != 0;
    let org_part = |p: &str| {
        is_org(p)
            || ["nhs", "gov", "org", "cdc", "nih", "bmj", "rcn", "bma"]
                .iter()
                .any(|w| p.len() > w.len() + 2 && (p.starts_with(w) || p.ends_with(w)))
    };
    // The handle's words (`NHSEngland`, `bolton_nhs`), each tested as it
    // ends, in one buffer (a list of them, each a string, took an
    // allocation apiece).
    let mut cur = String::with_capacity(h.len());
    let mut prev_lower = false;
    for c in h.chars() {
        if (!c.is_ascii_alphabetic() || c.is_ascii_uppercase() && prev_lower) && !cur.is_empty() {
            if org_part(&cur) {
                return true;
            }
            cur.clear();
        }
        if c.is_ascii_alphabetic() {
            cur.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase();
    }
    !cur.is_empty() && org_part(&cur)
}

/// Words that make a post about a person (a private individual or the
/// author as one): personal pronouns, `bloke`, `lady`.
const PERSON_WORDS: WordSet<34> = WordSet::new([
    "he",
    "she",
    "him",
    "her",
    "his",
    "hers",
    "himself",
    "herself",
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "i'm",
    "im",
    "i've",
    "i'd",
    "i'll",
    "bloke",
    "guy",
    "lady",
    "man",
    "woman",
    "gentleman",
    "gent",
    "chap",
    "girl",
    "boy",
    "lad",
    "lass",
    "kid",
    "baby",
    "someone",
    "somebody",
]);

/// Words after `patient` that make it a modifier (`outpatient imaging
/// centre`, `patient parking`), not a mention of a patient.
const PATIENT_MODIFIED: &[&str] = &[
    "clinic",
    "clinics",
    "centre",
    "center",
    "department",
    "dept",
    "service",
    "services",
    "unit",
    "imaging",
    "appointments",
    "pharmacy",
    "wing",
    "building",
    "parking",
    "transport",
    "portal",
    "information",
    "leaflet",
    "leaflets",
    "forum",
    "survey",
    "feedback",
    "safety",
    "experience",
    "lounge",
    "entrance",
    "facilities",
    "physiotherapy",
    "physio",
    "rehabilitation",
    "rehab",
    "therapy",
    "lab",
    "laboratory",
    "radiology",
    "x-ray",
    "mri",
];

/// True when the patient cue phrase ending at token `i` only modifies
/// the words after it (`outpatient imaging centre`, `patient parking`).
pub(crate) fn patient_modifier(a: &Analysis<'_>, i: usize) -> bool {
    let mut j = i + 1;
    while j < a.tokens.len() && a.tokens[j].kind == TokenKind::Word && j <= i + 2 {
        let w = a.tokens[j].norm.as_str();
        if PATIENT_MODIFIED.contains(&w) {
            return true;
        }
        j += 1;
    }
    false
}

/// True when a patient cue in the post refers to a patient (not one that
/// only modifies a service: `outpatient clinic`).
pub(crate) fn patient_cue(a: &Analysis<'_>, cues: &Cues) -> bool {
    cues.any(Role::Patient) && (0..a.tokens.len()).any(|i| cues.ends_with(i, Role::Patient) && !patient_modifier(a, i))
}

/// True when the post speaks of a person (a patient, a relative, a titled
/// person, someone referred to as he, she or I), as far as its words show.
pub(crate) fn mentions_person(a: &Analysis<'_>, cues: &Cues) -> bool {
    cues.any(Role::Relation)
        || cues.any(Role::Title)
        || cues.any(Role::Dob)
        || patient_cue(a, cues)
        || a.tokens
            .iter()
            .zip(&cues.tokens)
            // A test without branches first, nearly always false: one
            // predictable branch per token instead of a search of the list.
            .any(|(t, c)| {
                (t.kind == TokenKind::Word) & PERSON_WORDS.may_hold_shape(c.shape) && PERSON_WORDS.contains(&t.norm)
            })
}

/// True when the post is an organisation's notice (opening or closing
/// dates, hours, its address or phone line) that speaks of no person:
/// its dates, address, phone and mailbox are the organisation's.
pub(crate) fn org_notice(a: &Analysis<'_>, cues: &Cues) -> bool {
    (cues.any(Role::Notice) || cues.any(Role::OrgPhone) || cues.any(Role::Facility)) && !mentions_person(a, cues)
}

/// A phone number introduced as an organisation's: an organisation word in
/// the six words before it, with no person (her, his, patient, daughter)
/// named there.
fn org_phone_context(a: &Analysis<'_>, cues: &Cues, span: Span) -> bool {
    let i = a.tokens.partition_point(|t| t.span.start < span.start);
    let sentence = i.checked_sub(1).map(|p| a.sentence_of[p]);
    let mut org = false;
    for j in (0..i).rev().filter(|&j| a.tokens[j].kind == TokenKind::Word).take(6) {
        if Some(a.sentence_of[j]) != sentence {
            break;
        }
        if cues.covered(j, Role::Relation)
            || cues.covered(j, Role::Patient)
            || matches!(a.tokens[j].norm.as_str(), "her" | "his" | "him" | "my" | "me" | "mine")
        {
            return false;
        }
        if cues.covered(j, Role::OrgPhone) || cues.covered(j, Role::Facility) {
            org = true;
        }
    }
    org
}

/// How a redaction writes what it removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RedactStyle {
    /// `[NAME]`, `[DATE]`...: the kind of what was removed.
    #[default]
    Placeholder,
    /// Each letter and digit becomes `*`; spaces and punctuation stay, so
    /// the text keeps its length and layout (`J** S****`).
    Mask,
    /// A made-up identifier of the same kind and shape, consistent within
    /// the text (see [`surrogate`]), drawn with this seed.
    Surrogate(u64),
}

/// The result of de-identifying a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    /// The text with each identifier replaced as the style says.
    pub text: String,
    /// The identifiers removed: byte spans in the ORIGINAL text, with kinds.
    pub spans: Vec<(Span, Kind)>,
}

/// De-identifies `text`: every identifier of a person, whoever they are,
/// is replaced by its placeholder; a public organisation's web address or
/// phone number (its reception or helpline number, or one in the policy's
/// allow-list) is kept. Nothing else changes.
pub fn redact(text: &str, policy: &crate::policy::Policy) -> Redaction {
    redact_with(text, policy, RedactStyle::Placeholder)
}

/// [`redact`], writing what it removes in the given style.
pub fn redact_with(text: &str, policy: &crate::policy::Policy, style: RedactStyle) -> Redaction {
    let a = Analysis::new(text);
    let h = Haystack::of(&a);
    let cues = Cues::new(&a);
    let ids = detect_all(&a, h, &cues, &ages_in(h));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut spans = Vec::new();
    let mut surrogates = match style {
        RedactStyle::Surrogate(seed) => Some(surrogate::Surrogates::new(seed, text, policy.pack.id == "us")),
        _ => None,
    };
    for id in ids {
        if id.span.start < at {
            continue;
        }
        let s = &text[id.span.start..id.span.end];
        let org = match id.kind {
            Kind::Phone | Kind::Fax => policy.allow.phone(s) || is_public_org_with(&a, &id, || &cues),
            Kind::Url => policy.allow.domain(&url_host(s)) || is_public_org_with(&a, &id, || &cues),
            Kind::Email => is_public_org_with(&a, &id, || &cues),
            _ => false,
        };
        if org {
            continue;
        }
        out.push_str(&text[at..id.span.start]);
        match (style, surrogates.as_mut().and_then(|g| g.replace(id.kind, s))) {
            (RedactStyle::Mask, _) => out.extend(s.chars().map(|c| if c.is_alphanumeric() { '*' } else { c })),
            (_, Some(new)) => out.push_str(&new),
            _ => out.push_str(&id.kind.placeholder()),
        }
        at = id.span.end;
        spans.push((id.span, id.kind));
    }
    out.push_str(&text[at..]);
    Redaction { text: out, spans }
}

#[cfg(test)]
mod tests;
