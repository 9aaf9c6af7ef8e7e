//! `copyright/unattributed-content`: someone else's content shared without
//! attribution.

use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{Shapes, TokenSet, Words};

declare_rule! {
    /// ## What it checks
    ///
    /// Finds content shared as someone else's without saying whose: the
    /// phrases of `attribution.csv` ("credit unknown", "not mine", "no
    /// idea who made it", "via the internet", "no copyright intended"),
    /// reposting phrases ("found this online", "saw this in a group",
    /// "copied in full", or "saw/found this on/in" and within five words a
    /// group, page, forum or feed: "saw this on a nursing group") when the
    /// post names no source, and a long
    /// quotation (25 words or more) with no source. A source is a link, an
    /// `@mention` after "via", "credit", "h/t", "by" or "from", a dash and
    /// a name after the quotation ("— Florence Nightingale"), or a speaker
    /// ("as @nhsengland says", "my patient said"). Short quoted phrases do
    /// not count.
    ///
    /// ## Why
    ///
    /// "Respect copyright laws and licensing." Infographics, cartoons,
    /// poems and articles belong to the people who made them; sharing them
    /// without credit can breach copyright, and it leaves readers unable to
    /// judge where the content comes from. The GMC asks for context readers
    /// can check (GMC 2024, `uk-gmc-sm2024`); the NMC Code asks that
    /// information shared is accurate and attributable (`uk-nmc-code-6`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Found this infographic online, no idea who made it but it explains insulin resistance better than I ever could 👇
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// This infographic from @DiabetesUK explains insulin resistance better than I ever could 👇 https://www.diabetes.org.uk/
    /// ```
    ///
    /// ## Fix
    ///
    /// Name the creator and link to the original, or share the original
    /// post instead of a copy. If the source cannot be found, consider not
    /// sharing it. No automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "copyright/unattributed-content",
        fix: Never,
        options: [],
        check: check,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// The author says the source is unknown or the content not theirs.
    Unattributed,
    /// The content was copied; fires only when no source is named.
    Copied,
}

static CUES: LazyLock<Lexicon<Cue>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("attribution.csv").into_iter().filter_map(|r| {
        let kind = match r.get(1)?.trim() {
            "unattributed" => Cue::Unattributed,
            "copied" => Cue::Copied,
            _ => return None,
        };
        Some((r.first()?.trim().to_string(), kind))
    }))
});

/// Words that introduce a source when a mention or link follows.
const SOURCE_WORDS: &[&str] = &[
    "via", "credit", "credits", "h/t", "ht", "by", "from", "source", "courtesy", "thanks", "cc", "rt", "says", "said",
    "shared",
];

/// Verbs of saying: a quotation with a speaker is attributed.
const SAYING: &[&str] = &[
    "said",
    "says",
    "say",
    "wrote",
    "writes",
    "write",
    "told",
    "tells",
    "asked",
    "asks",
    "put",
    "puts",
    "quote",
    "quoted",
    "according",
    "words",
];

/// Minimum length of a quotation that needs a source, in words.
const LONG_QUOTE: usize = 25;

/// True when the post names a source: a link, or a mention after a source
/// word ("via @x", "credit: @x", "h/t @x").
fn names_a_source(a: &Analysis<'_>) -> bool {
    // One pass for links and credited mentions: the answer is yes at the
    // first of either, as with a pass for links and then one for mentions.
    // Only links and mentions are looked at, found with no branch on each
    // token's kind (see [`TokenSet`]).
    let links = TokenSet::of(a.tokens.len(), |i| {
        let kind = a.tokens[i].kind;
        (kind == TokenKind::Url) | (kind == TokenKind::Mention)
    });
    links.iter().any(|i| match a.tokens[i].kind {
        TokenKind::Url => true,
        TokenKind::Mention => a.tokens[..i]
            .iter()
            .rev()
            .take(4)
            .filter(|t| t.is_wordlike())
            .take(2)
            .any(|t| SOURCE_WORDS.contains(&t.norm.as_str())),
        _ => false,
    })
}

/// The quoted runs of the post, as token ranges.
fn quotations(a: &Analysis<'_>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Most posts quote nothing: one pass with no branch says so.
    if !a.quoted.iter().fold(false, |any, &q| any | q) {
        return out;
    }
    let mut i = 0;
    while i < a.quoted.len() {
        if a.quoted[i] {
            let start = i;
            while i < a.quoted.len() && a.quoted[i] {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// True when a quotation is attributed: a speaker before it ("my patient
/// said:", "as @nhsengland says") or a dash and a name after it.
fn quote_attributed(a: &Analysis<'_>, start: usize, end: usize) -> bool {
    let before = a.tokens[..start]
        .iter()
        .rev()
        .take(8)
        .filter(|t| t.is_wordlike() || t.kind == TokenKind::Mention)
        .take(4);
    for t in before {
        if t.kind == TokenKind::Mention || SAYING.contains(&t.norm.as_str()) {
            return true;
        }
    }
    // After the closing quote: "— Florence Nightingale", "- @who", "(Maya Angelou)".
    let mut after = a.tokens[end..]
        .iter()
        .skip_while(|t| t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "'" | "\"" | "." | ","));
    if let Some(t) = after.next()
        && t.kind == TokenKind::Punct
        && matches!(t.norm.as_str(), "-" | "\u{2014}" | "\u{2013}" | "~" | "(")
        && let Some(n) = after.next()
    {
        return n.kind == TokenKind::Mention
            || (n.kind == TokenKind::Word && matches!(n.case, Case::Title | Case::Upper | Case::Mixed));
    }
    a.tokens[end..]
        .iter()
        .take(6)
        .filter(|t| t.is_wordlike() || t.kind == TokenKind::Mention)
        .take(3)
        .any(|t| t.kind == TokenKind::Mention || SAYING.contains(&t.norm.as_str()))
}

/// Places online a post is reposted from ("a nursing group", "a mums'
/// page").
const ONLINE_PLACES: &[&str] = &[
    "group", "groups", "page", "pages", "forum", "forums", "feed", "timeline", "chat",
];

/// "Saw this on a nursing group", "found this in one of my Facebook
/// groups": a reposting verb, "this", "on"/"in", and an online place
/// within five words.
fn seen_in_a_group(a: &Analysis<'_>, shapes: &Shapes) -> Option<Span> {
    static VERBS: Words = Words::new(&["saw", "seen", "found", "spotted"]);
    let word = |k: usize| a.tokens[k].norm.as_str();
    // The words that may be one of the verbs, found with no branch on each
    // token (see [`TokenSet`]), then tested in full.
    let verbs = TokenSet::of(a.tokens.len(), |i| VERBS.may_have_key(shapes.key(i)));
    for i in verbs.iter() {
        if !a.tokens[i].is_wordlike()
            || !matches!(word(i), "saw" | "seen" | "found" | "spotted")
            || a.quoted[i]
            || a.negated[i]
        {
            continue;
        }
        let Some(t) = a.next_word(i).filter(|&t| matches!(word(t), "this" | "these" | "it")) else {
            continue;
        };
        let Some(p) = a.next_word(t).filter(|&p| matches!(word(p), "on" | "in")) else {
            continue;
        };
        let mut k = p;
        for _ in 0..5 {
            let Some(n) = a.next_word(k).filter(|&n| a.sentence_of[n] == a.sentence_of[i]) else {
                break;
            };
            k = n;
            if ONLINE_PLACES.contains(&word(k)) {
                return Some(a.tokens_span(i..k + 1));
            }
        }
    }
    None
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let sourced = names_a_source(a);
    let mut fired = false;
    for m in CUES.each(a) {
        if a.negated[m.first] && !a.tokens[m.first].norm.starts_with("not") && a.tokens[m.first].norm != "no" {
            continue;
        }
        // "not mine to decide": "not mine" followed by "to".
        if a.next_word(m.end - 1).is_some_and(|j| a.tokens[j].norm == "to") && m.phrase.starts_with("not ") {
            continue;
        }
        if *m.value == Cue::Copied && sourced {
            continue;
        }
        if *m.value == Cue::Unattributed && sourced && m.phrase.starts_with("not ") {
            continue;
        }
        fired = true;
        out.push(
            Diagnostic::at(m.span, "shared content without attribution")
                .with_help("name the creator and link to the original, or share the original post instead")
                .with_note(format!("\"{}\" says the content is someone else's", a.slice(m.span))),
        );
        break;
    }
    if !fired
        && !sourced
        && let Some(span) = seen_in_a_group(a, ctx.signals.shapes())
    {
        fired = true;
        out.push(
            Diagnostic::at(span, "shared content without attribution")
                .with_help("name the creator and link to the original, or share the original post instead")
                .with_note(format!("\"{}\" says the content was reposted", a.slice(span))),
        );
    }
    if fired || sourced {
        return;
    }
    for (start, end) in quotations(a).into_iter().take(64) {
        let words = a.tokens[start..end]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        if words < LONG_QUOTE || quote_attributed(a, start, end) {
            continue;
        }
        let span = Span::new(a.tokens[start].span.start, a.tokens[end - 1].span.end);
        out.push(
            Diagnostic::at(span, "long quotation without a source")
                .with_help("say who wrote it and link to the original")
                .with_note(format!("{words} quoted words with no author or link")),
        );
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_silent, assert_spans};

    #[test]
    fn reposts_from_groups_and_not_my_words() {
        assert_spans(
            &RULE,
            "Found this in one of my Facebook groups and had to share ❤️ Be kind to your nurses.",
            &["Found this in one of my Facebook groups"],
        );
        assert_spans(
            &RULE,
            "Not my words but so true: every patient is someone's whole world.",
            &["Not my words"],
        );
        assert_silent(
            &RULE,
            "Saw this on a patient's chart today: allergies, none known. Always double check!",
        );
        assert_silent(
            &RULE,
            "Saw this in the @RCNi members' group, full credit to them: https://rcni.com/post/123",
        );
    }

    #[test]
    fn fires_on_reposts_without_a_source() {
        assert_spans(
            &RULE,
            "Credit unknown, but every new grad nurse needs to read this: 'You will forget the drug doses.'",
            &["Credit unknown"],
        );
        assert_spans(&RULE, "Not mine but too good not to share 😂", &["Not mine"]);
        assert_spans(
            &RULE,
            "Found this infographic online, no idea who made it but it explains insulin resistance 👇",
            &["no idea who made"],
        );
        assert_spans(
            &RULE,
            "Saw this in a group and had to share, copied in full: 'Be kind.'",
            &["Saw this in a group"],
        );
        assert_spans(
            &RULE,
            "Great poster (source unknown) for the staff room",
            &["source unknown"],
        );
        assert_spans(&RULE, "Love this cartoon, via the internet 😂", &["via the internet"]);
    }

    #[test]
    fn fires_on_a_long_unattributed_quotation() {
        let text = "Every new nurse should read this: 'You will forget the drug doses and the lab values, but you will never forget the patient who held your hand on your worst day and told you that you were doing fine.'";
        assert_spans(
            &RULE,
            text,
            &[
                "You will forget the drug doses and the lab values, but you will never forget the patient who held your hand on your worst day and told you that you were doing fine.",
            ],
        );
    }

    #[test]
    fn silent_with_a_source() {
        assert_silent(&RULE, "'Nursing is an art' — Florence Nightingale");
        assert_silent(&RULE, "Not mine, via @nursememes 😂");
        assert_silent(
            &RULE,
            "Found this online from @DiabetesUK: https://www.diabetes.org.uk/",
        );
        assert_silent(
            &RULE,
            "As @nhsengland says: 'Every contact counts, and every conversation about smoking, alcohol or weight is a chance to help someone live longer and feel better in the years ahead of them.'",
        );
        assert_silent(
            &RULE,
            "One of my patients said: 'You made the worst week of my life bearable, and I will never forget the way the whole team looked after my mum when she was so poorly last winter.'",
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "We are told, again, to 'escalate concerns through the appropriate channels'. We have.",
        );
        assert_silent(&RULE, "That decision is not mine to make, it's the patient's.");
        assert_silent(
            &RULE,
            "Made this infographic for our clinic on insulin resistance 👇 #diabetes",
        );
        assert_silent(&RULE, "");
        assert_silent(&RULE, "😂😂");
    }
}
