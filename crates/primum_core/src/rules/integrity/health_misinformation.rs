//! `integrity/health-misinformation`: a claim that contradicts established
//! public-health evidence, stated as fact.
//!
//! This file also holds the framing cues (`integrity_cues.csv`) the other
//! integrity rules share: debunking, disclaimers, reported speech, sources
//! and dated references.

use foldhash::{HashMap, HashMapExt};
use std::sync::LazyLock;

use primum_text::{Analysis, Case, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Looks for a claim that contradicts established public-health
    /// evidence: a subject ("vaccines", "ivermectin", "papaya leaf juice",
    /// "big pharma") followed closely, in the same sentence, by a claim
    /// about it ("cause autism", "cures covid", "raises platelets", "is
    /// hiding a natural cure"), from the pairs in `misinformation.csv`,
    /// which also hold well-known clinical myths that delay care ("normal
    /// for baby to move less" near term, teething causing a high fever,
    /// no pregnancy while breastfeeding, antibiotics for a cold, "too young
    /// for a heart attack", front sleeping for babies, honey or aspirin
    /// for infants, "a glass of wine is fine" in pregnancy).
    /// Shared lists let one row cover a whole kind of claim (any remedy +
    /// a cure verb + a disease: "turmeric shrinks tumours"), and a claim
    /// may be split so that words can come between its halves ("masks do
    /// absolutely nothing", "sunscreen chemicals cause more skin cancer")
    /// unless they negate or hedge it ("chemo doesn't always work"). A few
    /// claims fire on their own ("plandemic"), and a hook such as "doctors
    /// don't want you to know" is reported only when no claim of substance
    /// is in its sentence. It
    /// stays silent when the claim is negated ("vaccines do not cause
    /// autism"), debunked ("it's a myth that...", "Masks do nothing? Not
    /// true."), reported as someone else's belief ("patients ask whether
    /// the flu jab gives you flu"), asked as a question, or when the post
    /// says plainly that it departs from the accepted view.
    ///
    /// ## Why
    ///
    /// "Maintain integrity and share truthful, accurate information."
    /// Health professionals are trusted sources, so a false claim from one
    /// does more harm than the same words from anyone else. The CMA Code
    /// asks physicians interpreting science to the public to give opinions
    /// consistent with the profession's accepted views and to say clearly
    /// when an opinion is contrary to them (`ca-cma-code-41`); the NMC Code
    /// requires information shared on social media to be evidence-based and
    /// correct (`uk-nmc-code-6`); Ahpra and the National Boards state there
    /// is no place for anti-vaccination messages in professional practice
    /// (`au-ahpra-covid-2021`), which is why the rule is an error in the
    /// Australian pack.
    ///
    /// ## Example
    ///
    /// ```text
    /// Honestly at your age the flu jab barely works, your own immune system will do a better job.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// The flu jab works less well as we age, but it still cuts the risk of being admitted with flu. Ask your GP or pharmacist.
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the claim or correct it, citing the current evidence. If you
    /// mean to discuss a view that departs from the accepted one, say so
    /// plainly and give your reasons and sources. No automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "integrity/health-misinformation",
        fix: Never,
        options: [],
        check: check,
    }
}

/// What a framing cue says (bit flags: a phrase can be several).
pub(crate) mod cue {
    pub const DEBUNK: u8 = 1;
    pub const DISCLAIMER: u8 = 2;
    pub const REPORT: u8 = 4;
    pub const SOURCE: u8 = 8;
    pub const SOURCE_CAPS: u8 = 16;
    pub const REFERENCE: u8 = 32;
    pub const NOT_STATISTIC: u8 = 64;
}

/// The framing cues of `integrity_cues.csv`.
pub(crate) static CUES: LazyLock<Lexicon<u8>> = LazyLock::new(|| {
    let mut flags: HashMap<String, u8> = HashMap::new();
    for row in crate::lexicon_rows!("integrity_cues.csv") {
        let (Some(phrase), Some(kinds)) = (row.first(), row.get(1)) else {
            continue;
        };
        for kind in kinds.split('|') {
            let bit = match kind.trim() {
                "debunk" => cue::DEBUNK,
                "disclaimer" => cue::DISCLAIMER,
                "report" => cue::REPORT,
                "source" => cue::SOURCE,
                "source_caps" => cue::SOURCE_CAPS,
                "reference" => cue::REFERENCE,
                "not_statistic" => cue::NOT_STATISTIC,
                _ => continue,
            };
            *flags.entry(phrase.trim().to_string()).or_default() |= bit;
        }
    }
    Lexicon::new(flags)
});

/// One framing cue found in a post.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CueHit {
    pub first: usize,
    pub end: usize,
    pub flags: u8,
}

/// The framing cues of a post, in order. An acronym source (`WHO`,
/// `NICE`) counts only when written in capitals.
pub(crate) fn cues(a: &Analysis<'_>) -> Vec<CueHit> {
    CUES.each(a)
        .filter_map(|m| {
            let mut flags = *m.value;
            if flags & cue::SOURCE_CAPS != 0 {
                let caps = a.tokens[m.first..m.end]
                    .iter()
                    .all(|t| t.kind != TokenKind::Word || t.case == Case::Upper);
                flags &= !cue::SOURCE_CAPS;
                if caps {
                    flags |= cue::SOURCE;
                }
            }
            (flags != 0).then_some(CueHit {
                first: m.first,
                end: m.end,
                flags,
            })
        })
        .collect()
}

/// Words that turn a following statement round ("X is not real").
const AFTER_NEGATORS: &[&str] = &[
    "not", "never", "isn't", "aren't", "wasn't", "doesn't", "don't", "hasn't", "no",
];

/// Verbs between a claim and its negation ("the link is not real").
const COPULAS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "will", "would", "can",
];

/// Words that start a new clause, so a negation after them is not the
/// verb of the claim's noun phrase ("a detox that doesn't taste bad").
const CLAUSE_OPENERS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "and", "but", "or", "if", "because", "so", "when", "while", "i", "you",
    "we", "they", "he", "she", "it", "me", "us", "them", "my", "your", "our", "their", "no", "not", "never",
];

/// Pronouns that open a one-line rebuttal ("It can't.", "They don't.").
const REBUTTAL_SUBJECTS: &[&str] = &["it", "they", "that", "this", "which", "nope", "no", "wrong"];

/// True when sentence `s` is a short rebuttal of the one before it: "It
/// can't.", "They don't.", "Not true.", "Wrong."
pub(crate) fn is_rebuttal(a: &Analysis<'_>, s: usize, hits: &[CueHit]) -> bool {
    let Some(sent) = a.sentences.get(s) else { return false };
    let words: Vec<usize> = a.sentence_words(s).collect();
    if words.is_empty() {
        return false;
    }
    if hits
        .iter()
        .any(|h| h.flags & cue::DEBUNK != 0 && sent.tokens.contains(&h.first))
        && words.len() <= 6
    {
        return true;
    }
    let first = a.tokens[words[0]].norm.as_str();
    let second = words.get(1).map(|&i| a.tokens[i].norm.as_str()).unwrap_or("");
    REBUTTAL_SUBJECTS.contains(&first)
        && (matches!(first, "nope" | "no" | "wrong")
            || second.ends_with("n't")
            || second == "cannot"
            || second == "not")
}

/// True when sentence `s` ends with a question mark.
pub(crate) fn is_question(a: &Analysis<'_>, s: usize) -> bool {
    a.sentences
        .get(s)
        .is_some_and(|x| a.text[x.span.start..x.span.end].trim_end().ends_with('?'))
}

/// Whether a claim at tokens `first..end` in sentence `s` is framed as
/// something not asserted: debunked, reported, rebutted, asked, turned
/// round by a negation after it, or quoted in a post that debunks.
pub(crate) fn framed_as_not_asserted(a: &Analysis<'_>, hits: &[CueHit], first: usize, end: usize) -> bool {
    let s = a.sentence_of[first] as usize;
    let Some(sent) = a.sentences.get(s) else { return false };
    let in_sentence = |h: &&CueHit| a.sentence_of[h.first] as usize == s && (h.end <= first || h.first >= end);
    if hits.iter().filter(in_sentence).any(|h| h.flags & cue::DEBUNK != 0) {
        return true;
    }
    // Reported: the frame comes before the claim.
    if hits
        .iter()
        .filter(in_sentence)
        .any(|h| h.flags & cue::REPORT != 0 && h.end <= first)
    {
        return true;
    }
    if is_question(a, s) {
        return true;
    }
    // A short debunking label before ("Myth:") or a rebuttal after.
    if s > 0 && is_rebuttal(a, s - 1, hits) && a.sentence_words(s - 1).count() <= 2 {
        return true;
    }
    if is_rebuttal(a, s + 1, hits) {
        return true;
    }
    // "the MMR-autism link is not real": a negation right after the claim.
    let mut after = (end..sent.tokens.end)
        .take_while(|&i| !matches!(a.tokens[i].norm.as_str(), "," | ";" | ":" | "." | "!" | "?"))
        .filter(|&i| a.tokens[i].is_wordlike())
        .map(|i| a.tokens[i].norm.as_str());
    // The claim word may open a longer noun phrase whose verb is negated
    // ("Detox teas don't detox anything", "Juice cleanses do not work"):
    // up to two plain words (no pronoun, conjunction or relative word,
    // which would start another clause) before the negation.
    let words: Vec<&str> = after.by_ref().take(5).collect();
    // After a longer noun phrase only a verb's negation counts: "cures
    // arthritis naturally - no more pills" is still a claim.
    let negated_at = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| AFTER_NEGATORS.contains(w) && (k == 0 || *w != "no"))
            || (words.get(k).is_some_and(|w| COPULAS.contains(w))
                && words.get(k + 1).is_some_and(|w| AFTER_NEGATORS.contains(w)))
    };
    let negated_after = (0..=2).any(|k| {
        words
            .get(..k)
            .is_some_and(|head| head.iter().all(|w| !CLAUSE_OPENERS.contains(w) && !COPULAS.contains(w)))
            && negated_at(k)
    });
    if negated_after {
        return true;
    }
    if a.quoted[first] && hits.iter().any(|h| h.flags & (cue::DEBUNK | cue::REPORT) != 0) {
        return true;
    }
    false
}

/// One row of `misinformation.csv`.
struct Topic {
    topic: String,
    note: String,
    /// The claim is misinformation whatever its subject (`@any`).
    any_subject: bool,
}

/// The longest gap, in tokens, between the two halves of a split claim
/// ("cause ... skin cancer" matches "cause more skin cancer").
const MAX_SPLIT_GAP: usize = 4;

struct Misinfo {
    topics: Vec<Topic>,
    subjects: Lexicon<Vec<u16>>,
    /// Whole claims ("cures covid"), with their rows.
    claims: Lexicon<Vec<u16>>,
    /// First halves of split claims, with (row, second-half id).
    heads: Lexicon<Vec<(u16, u16)>>,
    /// Second halves of split claims, with their ids.
    tails: Lexicon<Vec<u16>>,
}

/// Expands `@name` references in a `|`-separated list, one level deep.
fn expand(list: &str, macros: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for alt in list.split('|').map(str::trim).filter(|s| !s.is_empty()) {
        match macros.get(alt) {
            Some(more) => out.extend(more.iter().cloned()),
            None => out.push(alt.to_string()),
        }
    }
    out
}

static MISINFO: LazyLock<Misinfo> = LazyLock::new(|| {
    let rows = crate::lexicon_rows!("misinformation.csv");
    // Rows whose subject is `@name` (and whose topic is empty) name a list
    // that other rows use on either side ("@cure_verb ... @disease").
    let mut macros: HashMap<String, Vec<String>> = HashMap::new();
    for row in &rows {
        let (Some(subj), Some(list)) = (row.first(), row.get(1)) else {
            continue;
        };
        let subj = subj.trim();
        if subj.starts_with('@') && subj != "@any" && row.get(2).is_none_or(|t| t.trim().is_empty()) {
            let expanded = expand(list, &macros);
            macros.insert(subj.to_string(), expanded);
        }
    }
    let mut topics = Vec::new();
    let mut subjects: HashMap<String, Vec<u16>> = HashMap::new();
    let mut claims: HashMap<String, Vec<u16>> = HashMap::new();
    let mut heads: HashMap<String, Vec<(u16, u16)>> = HashMap::new();
    let mut tail_ids: HashMap<String, u16> = HashMap::new();
    for row in &rows {
        let (Some(subj), Some(claim)) = (row.first(), row.get(1)) else {
            continue;
        };
        let topic = row.get(2).map_or("", |t| t.trim());
        if topic.is_empty() {
            continue;
        }
        let Ok(id) = u16::try_from(topics.len()) else { break };
        let any_subject = subj.trim() == "@any";
        if !any_subject {
            for s in expand(subj, &macros) {
                push_unique(subjects.entry(s).or_default(), id);
            }
        }
        for c in expand(claim, &macros) {
            match c.split_once("...") {
                Some((head, tail)) => {
                    for tail in expand(tail, &macros) {
                        let next = u16::try_from(tail_ids.len()).unwrap_or(u16::MAX);
                        let t = *tail_ids.entry(tail).or_insert(next);
                        for head in expand(head, &macros) {
                            push_unique(heads.entry(head).or_default(), (id, t));
                        }
                    }
                }
                None => push_unique(claims.entry(c).or_default(), id),
            }
        }
        topics.push(Topic {
            topic: topic.to_string(),
            note: row.get(3).cloned().unwrap_or_default(),
            any_subject,
        });
    }
    let tails: HashMap<String, Vec<u16>> = tail_ids.into_iter().map(|(k, v)| (k, vec![v])).collect();
    // The lexicon keeps the longest match, so a longer phrase also carries
    // the rows of the phrases inside it: "covid vaccines" is a subject
    // wherever "vaccines" is, "cures covid" a claim wherever "cures" is.
    let subjects = widen(subjects, |words, k| words[k..].join(" "));
    let claims = widen(claims, |words, k| words[..words.len() - k].join(" "));
    let heads = widen(heads, |words, k| words[..words.len() - k].join(" "));
    let tails = widen(tails, |words, k| words[k..].join(" "));
    let (subjects, claims) = (merge_prefixes(subjects), merge_prefixes(claims));
    let (heads, tails) = (merge_prefixes(heads), merge_prefixes(tails));
    Misinfo {
        topics,
        subjects: Lexicon::new(subjects),
        claims: Lexicon::new(claims),
        heads: Lexicon::new(heads),
        tails: Lexicon::new(tails),
    }
});

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Adds to each phrase the rows of its shorter forms (`part(words, k)` for
/// k = 1.. drops k words from one end).
fn widen<T: Clone + PartialEq>(
    map: HashMap<String, Vec<T>>,
    part: impl Fn(&[&str], usize) -> String,
) -> HashMap<String, Vec<T>> {
    let mut out = map.clone();
    for (phrase, rows) in out.iter_mut() {
        let words: Vec<&str> = phrase.split(' ').collect();
        for k in 1..words.len() {
            if let Some(more) = map.get(&part(&words, k)) {
                for r in more {
                    push_unique(rows, r.clone());
                }
            }
        }
    }
    out
}

/// Shares rows between a prefix phrase (`cure*`) and the phrases it also
/// matches (`cures`, `cure*` in another row): the lexicon reports one
/// phrase per place, so each must carry the rows of the others.
fn merge_prefixes<T: Clone + PartialEq>(map: HashMap<String, Vec<T>>) -> HashMap<String, Vec<T>> {
    let stems: Vec<(&str, &Vec<T>)> = map
        .iter()
        .filter_map(|(k, v)| k.strip_suffix('*').map(|s| (s, v)))
        .collect();
    if stems.is_empty() {
        return map;
    }
    let mut out = map.clone();
    for (phrase, rows) in out.iter_mut() {
        let bare = phrase.trim_end_matches('*');
        for (stem, more) in &stems {
            let same_word = bare.strip_prefix(stem).is_some_and(|rest| !rest.contains(' '));
            if same_word || stem.strip_prefix(bare).is_some_and(|rest| !rest.contains(' ')) && phrase.ends_with('*') {
                for r in more.iter() {
                    push_unique(rows, r.clone());
                }
            }
        }
        // A prefix also carries the rows of the whole words it matches
        // ("cure*" those of "cures"): when both match at one place, the
        // lexicon may report either.
        if phrase.ends_with('*') {
            for (word, more) in &map {
                if !word.ends_with('*') && word.strip_prefix(bare).is_some_and(|rest| !rest.contains(' ')) {
                    for r in more.iter() {
                        push_unique(rows, r.clone());
                    }
                }
            }
        }
    }
    out
}

/// How many tokens may separate a subject from its claim.
const MAX_GAP: usize = 10;

/// Claims examined per post: a bound that keeps pathological posts (a
/// claim repeated a million times) linear.
pub(crate) const MAX_CLAIMS: usize = 64;

/// One claim found in a post: whole, or both halves of a split one.
struct ClaimHit {
    first: usize,
    end: usize,
    span: Span,
    rows: Vec<u16>,
}

/// The claims of a post, whole and split, in no particular order.
fn claim_hits(a: &Analysis<'_>, m: &Misinfo) -> Vec<ClaimHit> {
    let mut out: Vec<ClaimHit> = m
        .claims
        .each(a)
        .take(MAX_CLAIMS)
        .map(|c| ClaimHit {
            first: c.first,
            end: c.end,
            span: c.span,
            rows: c.value.clone(),
        })
        .collect();
    let heads = m.heads.find_all(a);
    if heads.is_empty() {
        return out;
    }
    let tails = m.tails.find_all(a);
    for h in heads.iter().take(MAX_CLAIMS) {
        let from = tails.partition_point(|t| t.first < h.end);
        for t in tails[from..].iter().take_while(|t| t.first - h.end <= MAX_SPLIT_GAP) {
            if a.sentence_of[t.first] != a.sentence_of[h.first] || !open_gap(a, h.end, t.first) {
                continue;
            }
            let rows: Vec<u16> = h
                .value
                .iter()
                .filter(|(_, tail)| t.value.contains(tail))
                .map(|&(row, _)| row)
                .collect();
            if !rows.is_empty() {
                out.push(ClaimHit {
                    first: h.first,
                    end: t.end,
                    span: h.span.cover(t.span),
                    rows,
                });
                break;
            }
        }
    }
    out.sort_by_key(|c| (c.first, std::cmp::Reverse(c.end)));
    out
}

/// Words that, between the halves of a split claim, hedge or turn it
/// round ("chemo doesn't always work", "masks do not work").
const GAP_BREAKERS: &[&str] = &[
    "not",
    "never",
    "no",
    "always",
    "necessarily",
    "everyone",
    "if",
    "when",
    "unless",
    "but",
    "only",
    "rarely",
    "seldom",
];

/// True when tokens `from..to` may sit inside a claim: no clause
/// punctuation, negation or hedge.
fn open_gap(a: &Analysis<'_>, from: usize, to: usize) -> bool {
    a.tokens[from..to].iter().all(|t| {
        let w = t.norm.as_str();
        !matches!(w, "," | ";" | ":" | "(" | ")" | "?" | "!" | ".") && !GAP_BREAKERS.contains(&w) && !w.ends_with("n't")
    })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let m = &*MISINFO;
    let claims = claim_hits(a, m);
    if claims.is_empty() {
        return;
    }
    let hits = cues(a);
    if hits.iter().any(|h| h.flags & cue::DISCLAIMER != 0) {
        return;
    }
    let subjects = m.subjects.find_all(a);
    let mut reported: Vec<u32> = Vec::new();
    let start = out.len();
    // Hooks ("doctors don't want you to know") are reported only where no
    // claim of substance is.
    for hooks in [false, true] {
        for c in claims.iter().take(MAX_CLAIMS) {
            let s = a.sentence_of[c.first];
            if reported.contains(&s) || a.negated[c.first] {
                continue;
            }
            let subject = subjects.iter().rev().find(|x| {
                a.sentence_of[x.first] == s
                    && x.first < c.first
                    && c.first.saturating_sub(x.end) <= MAX_GAP
                    && x.value.iter().any(|t| c.rows.contains(t))
            });
            let (span, first, row) = match subject {
                Some(x) if !a.negated[x.first] => (
                    x.span.cover(c.span),
                    x.first,
                    x.value.iter().find(|t| c.rows.contains(t)).copied(),
                ),
                _ => {
                    // A claim that is misinformation on its own.
                    let row = c
                        .rows
                        .iter()
                        .copied()
                        .find(|&r| m.topics.get(usize::from(r)).is_some_and(|t| t.any_subject));
                    (c.span, c.first, row)
                }
            };
            let Some(topic) = row.and_then(|t| m.topics.get(usize::from(t))) else {
                continue;
            };
            if topic.topic.ends_with("-bait") != hooks {
                continue;
            }
            if framed_as_not_asserted(a, &hits, c.first, c.end) || framed_as_not_asserted(a, &hits, first, c.end) {
                continue;
            }
            reported.push(s);
            out.push(
                Diagnostic::at(span, "claim that contradicts public-health evidence")
                    .with_help("remove or correct the claim and cite current evidence; if you mean to question the accepted view, say so plainly and give your sources")
                    .with_note(format!("{}: {}", topic.topic, topic.note)),
            );
        }
    }
    out[start..].sort_by_key(|d| d.span.map_or(0, |s| s.start));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn vaccines_worse_than_disease_and_remedies_for_vaccines() {
        for t in [
            "Nobody will tell you this: routine vaccines do more harm than the diseases they target.",
            "Ditch the booster, zinc and elderberry will do the same job.",
            "Honestly skip your flu jab, vitamin C gives you the same protection as the vaccine.",
        ] {
            assert!(!Test::new(t).run(&RULE).is_empty(), "{t}");
        }
        assert_silent(
            &RULE,
            "Vitamin D is worth taking in winter, but don't skip the flu jab.",
        );
        assert_silent(
            &RULE,
            "Measles does far more harm than people think. Vaccines prevent it.",
        );
        assert_silent(&RULE, "Vitamin D3 and D2 tablets do the same job for most people.");
    }

    #[test]
    fn fires_on_claims_stated_as_fact() {
        assert_spans(
            &RULE,
            "masks never stopped a single virus, the gaps in the fabric are way bigger than the particles",
            &["masks never stopped"],
        );
        assert_spans(
            &RULE,
            "Fifteen years a paeds nurse and I'll say it: the MMR-autism link is real.",
            &["MMR-autism link"],
        );
        assert_spans(
            &RULE,
            "Honestly at your age the flu jab barely works, your own immune system will do a better job.",
            &["flu jab barely works"],
        );
        assert_spans(
            &RULE,
            "Dengue fever? Papaya leaf juice twice a day raises platelets naturally, no need to get admitted.",
            &["Papaya leaf juice twice a day raises platelets"],
        );
        assert_spans(
            &RULE,
            "DOCTORS DON'T WANT YOU TO KNOW that baking soda dissolves kidney stones in 3 days",
            &["baking soda dissolves kidney stones"],
        );
        assert_spans(
            &RULE,
            "Big Pharma is hiding a natural cure for type 2 diabetes.",
            &["Big Pharma is hiding a natural cure"],
        );
        assert_spans(&RULE, "Masks do nothing. Wake up.", &["Masks do nothing"]);
        assert_spans(
            &RULE,
            "Ivermectin cures covid and they know it",
            &["Ivermectin cures covid"],
        );
        assert_spans(
            &RULE,
            "Healthy kids don't need the flu jab, let their immune systems work",
            &["kids don't need the flu jab"],
        );
    }

    #[test]
    fn silent_on_negation_and_debunking() {
        assert_silent(
            &RULE,
            "Vaccines do not cause autism. This has been studied in millions of children.",
        );
        assert_silent(&RULE, "No, vaccines don't cause autism.");
        assert_silent(&RULE, "It's a myth that vaccines cause autism.");
        assert_silent(
            &RULE,
            "Myth: masks do nothing. Fact: well-fitted masks cut transmission.",
        );
        assert_silent(&RULE, "There is no evidence that ivermectin cures covid.");
        assert_silent(&RULE, "The MMR-autism link is not real, and the paper was retracted.");
        assert_silent(
            &RULE,
            "Every winter someone tells me that the flu jab gives you flu. It can't: the injected vaccine has no live virus in it.",
        );
        assert_silent(&RULE, "Patients often ask whether vaccines cause autism.");
        assert_silent(&RULE, "Do vaccines cause autism?");
        assert_silent(&RULE, "People say the flu jab gives you flu. It doesn't.");
    }

    #[test]
    fn silent_on_ordinary_education() {
        assert_silent(
            &RULE,
            "Antibiotics don't work on colds. Rest, fluids and paracetamol if you need it.",
        );
        assert_silent(&RULE, "Flu vaccines for over-65s are now available at the surgery.");
        assert_silent(
            &RULE,
            "Ivermectin is a good treatment for scabies; ask your pharmacist.",
        );
        assert_silent(&RULE, "We use sodium bicarbonate for metabolic acidosis on the unit.");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "💉💉💉");
    }

    #[test]
    fn silent_with_a_disclaimer() {
        assert_silent(
            &RULE,
            "This is a minority view and most experts disagree, but I think masks do nothing outdoors.",
        );
    }

    #[test]
    fn quoted_claims_in_a_debunking_post() {
        assert_silent(
            &RULE,
            "Saw a post claiming 'vaccines cause autism' doing the rounds again. Please don't share it.",
        );
        assert!(Test::new("'Vaccines cause autism' and I stand by it").fires(&RULE));
    }

    #[test]
    fn generalises_to_new_topics_and_wording() {
        // Intensifiers and modifiers inside a claim ("do ... nothing").
        assert_spans(
            &RULE,
            "Masks do absolutely nothing against viruses and never did.",
            &["Masks do absolutely nothing"],
        );
        assert_spans(
            &RULE,
            "Sunscreen chemicals cause more skin cancer than the sun ever will.",
            &["Sunscreen chemicals cause more skin cancer"],
        );
        // A remedy, a cure verb and a disease, from the shared lists.
        assert_spans(
            &RULE,
            "10 g of vitamin C by IV drip shrinks tumours.",
            &["vitamin C by IV drip shrinks tumours"],
        );
        assert!(Test::new("Black seed oil cures everything except death.").fires(&RULE));
        assert!(Test::new("Turmeric shrinks tumours better than chemo.").fires(&RULE));
        assert!(Test::new("Fluoride in tap water lowers your kids' IQ. Buy a filter.").fires(&RULE));
        assert!(Test::new("Chemo kills more people than the cancer does.").fires(&RULE));
        assert!(Test::new("Statins cause dementia and nobody talks about it.").fires(&RULE));
        assert!(Test::new("The HPV vaccine causes paralysis in teenage girls.").fires(&RULE));
        assert!(Test::new("Raw milk is perfectly safe and so much healthier.").fires(&RULE));
        assert!(Test::new("Pasteurisation destroys all the nutrients in milk.").fires(&RULE));
        assert!(Test::new("Coconut oil is a natural sunscreen, that's all my family uses.").fires(&RULE));
        assert!(Test::new("You can't overdose on vitamin D, take as much as you like.").fires(&RULE));
        assert!(
            Test::new("Doctors don't want you to know this simple trick that reverses type 2 diabetes").fires(&RULE)
        );
        assert!(Test::new("BREAKING: WHO has quietly banned ibuprofen for under-40s!!").fires(&RULE));
    }

    #[test]
    fn new_topics_hard_negatives() {
        for text in [
            "Fluoride varnish at your child's dental check protects their teeth.",
            "Chemo doesn't always work, and that's a hard conversation we have every week.",
            "Statins can cause muscle aches in a few people. Talk to your GP before stopping them.",
            "The HPV vaccine prevents cervical cancer. Book your daughter in at school.",
            "Raw milk isn't safe for pregnant women because of Listeria.",
            "Sunscreen does not cause skin cancer. The sun does.",
            "Vitamin B12 injections treat pernicious anaemia.",
            "Some people believe fluoride lowers IQ. At the levels in our tap water, it doesn't.",
            "Radiotherapy kills cancer cells while sparing as much healthy tissue as possible.",
            "Garlic is lovely in a curry but it won't cure your cold.",
            "Weight loss can put type 2 diabetes into remission for some people.",
            "The WHO has updated its guidance on hypertension treatment.",
            "Myth: sunscreen causes cancer. Fact: it prevents it.",
            "Is it true that statins cause dementia? No.",
            "Masks do reduce transmission in crowded clinics.",
        ] {
            assert_silent(&RULE, text);
        }
    }

    #[test]
    fn large_repetitive_posts_stay_linear() {
        use crate::rules::{copyright, integrity};
        let rules = [
            &RULE,
            &integrity::absolute_claim::RULE,
            &integrity::unsourced_statistic::RULE,
            &integrity::outdated_reference::RULE,
            &integrity::readability::RULE,
            &integrity::jargon::RULE,
            &integrity::too_long::RULE,
            &copyright::unattributed_content::RULE,
        ];
        let started = std::time::Instant::now();
        for unit in [
            "vaccines cause autism myth ",
            "80% off 1 in 3 ",
            "the 2001 study ",
            "'not mine' @a ",
            "NPO miracle cure ",
        ] {
            let text = unit.repeat(4_000);
            for r in rules {
                let _ = Test::new(&text).run(r);
            }
        }
        assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    }
}

#[cfg(test)]
mod clinical_myth_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn dangerous_clinical_myths_fire() {
        for text in [
            "Totally normal for your baby to be moving less at 39 weeks, they've run out of room.",
            "Babies slow down before labour, nothing to worry about.",
            "Teething causes high fevers in lots of babies, just give Calpol.",
            "You can't get pregnant while you're breastfeeding, so no rush with the pill.",
            "Honey is safe for babies, brilliant for coughs.",
            "Antibiotics will help clear a cold faster.",
            "You're too young for a heart attack, it's probably anxiety.",
            "Newborns are safer on their tummy, they don't choke.",
        ] {
            assert!(Test::new(text).fires(&RULE), "{text}");
        }
    }

    #[test]
    fn corrections_of_the_myths_are_silent() {
        for text in [
            "It is never normal for your baby to move less, even at 39 weeks: call your maternity unit.",
            "If your baby is moving less than usual, call your maternity unit today.",
            "Babies don't run out of room. If movements slow down, call us.",
            "Antibiotics won't help a cold.",
            "Honey isn't safe for babies under one.",
            "Teething doesn't cause a high fever.",
            "Please put babies to sleep on their back, never on their front.",
            "We're running out of room in the waiting area, please bear with us.",
        ] {
            assert!(!Test::new(text).fires(&RULE), "{text}");
        }
    }

    #[test]
    fn cow_urine_remedies_and_debunked_noun_phrases() {
        assert!(Test::new("Gau mutra ark boosts immunity and cures diabetes, no need for tablets").fires(&RULE));
        assert!(Test::new("Cow urine cures cancer, stop chemo.").fires(&RULE));
        crate::testing::assert_silent(&RULE, "Cow urine does not cure cancer. Please keep going with chemo.");
        crate::testing::assert_silent(&RULE, "Alkaline water drinks don't cure cancer, whatever the ads say.");
    }
}
