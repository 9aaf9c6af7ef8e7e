//! Signals that several rules share, computed once per post on first use.
//!
//! Whether the post talks about a patient (and which words say so) is read
//! by the privacy, professionalism and promotion rules alike; identifiers
//! found in the text are read by `privacy/patient-identifier`,
//! `privacy/reidentification-risk` and `privacy/self-disclosure`.
//!
//! The patient signal has two levels. `mentions` lists every word that
//! refers to a patient or to someone in care, plural and general ones
//! included ("patients tell us"). `case` is set only when the post tells
//! the story of one person in care: a singular referent ("my patient", "a
//! 45-year-old", "the lady in bay 3", "Man came in") with a care event, a
//! story verb or a time anchor near it. The word lists are in
//! `lexicons/patient_narrative.csv`; the grammar (determiners, sentence
//! starts, past tense) is here.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;

use primum_text::{Analysis, Case, LexMatch, Lexicon, Span, TokenKind};

use crate::phi::pattern::{Haystack, Pattern};
use crate::phi::words::Cues;
use crate::phi::{self, Age, Identifier};
use crate::policy::Policy;
use crate::rule::Diagnostic;

/// Lazily computed signals of one post.
pub struct Signals<'a> {
    pub text: &'a Analysis<'a>,
    pub reply: Option<&'a Analysis<'a>>,
    pub policy: &'a Policy,
    haystack: OnceCell<Haystack<'a>>,
    patient: OnceCell<PatientContext>,
    cues: OnceCell<Cues>,
    ages: OnceCell<Vec<Age>>,
    identifiers: OnceCell<Vec<Identifier>>,
    places: OnceCell<Vec<Place>>,
    disrespect: OnceCell<Vec<Diagnostic>>,
    occupations: OnceCell<Vec<LexMatch<'static, ()>>>,
}

/// Where the post refers to a patient or to someone in care.
#[derive(Debug, Clone, Default)]
pub struct PatientContext {
    /// Spans of words that refer to a patient or someone in care (`my
    /// patient`, `pt`, `the lady`, `bay 3`, `a 45-year-old`, `admitted`),
    /// general and plural ones included (`patients`).
    pub mentions: Vec<Span>,
    /// Set when the post tells the story of one person in care.
    pub case: Option<PatientCase>,
    /// The post has clinical context (a care setting, a clinical record or
    /// device, a symptom, a clinical hashtag).
    pub clinical: bool,
}

impl PatientContext {
    pub fn any(&self) -> bool {
        !self.mentions.is_empty()
    }

    /// True when the post tells the story of one person in care.
    pub fn is_case(&self) -> bool {
        self.case.is_some()
    }
}

/// The evidence that a post tells one patient's story.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientCase {
    /// From the referent through the nearest care event or story cue.
    pub span: Span,
    /// The words that refer to the person.
    pub referent: Span,
    /// The care event, story verb or time anchor, if one was needed.
    pub cue: Option<Span>,
    /// Why, for notes: "a patient noun with a story verb".
    pub reason: &'static str,
}

/// A named or numbered place found by pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub span: Span,
    pub kind: PlaceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A named hospital, clinic, school or other institution
    /// ("Ashcombe General", "St Cuthbert's Primary", "St Mildred's").
    Institution,
    /// A numbered ward or unit ("Ward 7B").
    Ward,
    /// A street address ("27 Wexcombe Road").
    Street,
    /// A named town, suburb or district after a preposition ("from
    /// Thornbury Heath", "Chandrapalli district").
    Locality,
}

/// What a word of `patient_narrative.csv` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Patient,
    Person,
    Label,
    Generic,
    Compound,
    Event,
    Weak,
    Outcome,
    Time,
    CaseFrame,
    Setting,
    Clinical,
    Hashtag,
    Review,
    Confirm,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "patient" => Role::Patient,
            "person" => Role::Person,
            "label" => Role::Label,
            "generic" => Role::Generic,
            "compound" => Role::Compound,
            "event" => Role::Event,
            "weak" => Role::Weak,
            "outcome" => Role::Outcome,
            "time" => Role::Time,
            "case" => Role::CaseFrame,
            "setting" => Role::Setting,
            "clinical" => Role::Clinical,
            "hashtag" => Role::Hashtag,
            "review" => Role::Review,
            "confirm" => Role::Confirm,
            _ => return None,
        })
    }
}

fn rows_with_role(rows: Vec<Vec<String>>) -> Vec<(String, Role)> {
    rows.into_iter()
        .filter_map(|r| {
            let role = Role::parse(r.get(1)?.trim())?;
            Some((r.first()?.clone(), role))
        })
        .collect()
}

/// The narrative lexicon, without the hashtag rows (matched separately).
static NARRATIVE: LazyLock<Lexicon<Role>> = LazyLock::new(|| {
    let rows = rows_with_role(crate::lexicon_rows!("patient_narrative.csv"));
    Lexicon::new(rows.into_iter().filter(|(_, r)| *r != Role::Hashtag))
});

/// Hashtag stems (without `#`) that make a post clinical; `*` = prefix.
static CLINICAL_HASHTAGS: LazyLock<Vec<(String, bool)>> = LazyLock::new(|| {
    rows_with_role(crate::lexicon_rows!("patient_narrative.csv"))
        .into_iter()
        .filter(|(_, r)| *r == Role::Hashtag)
        .map(|(p, _)| match p.strip_suffix('*') {
            Some(stem) => (stem.to_lowercase(), true),
            None => (p.to_lowercase(), false),
        })
        .collect()
});

/// Clinical settings, records, imaging and devices (not roles).
/// Short or ambiguous words are weak: they count only with a number or a
/// determiner before them.
static CLINICAL_TERMS: LazyLock<Lexicon<bool>> = LazyLock::new(|| {
    const WEAK: &[&str] = &[
        "bay",
        "ed",
        "er",
        "reg",
        "obs",
        "notes",
        "chart",
        "monitor",
        "theatre",
        "scan",
        "echo",
        "epic",
        "drip",
        "surgery",
        "clinic",
        "nights",
        "handover",
        "trolley",
        "trolleys",
        "ambo",
        "ct",
        "emr",
        "on call",
        "on-call",
        "long day",
        "night shift",
    ];
    Lexicon::new(crate::lexicon_rows!("clinical_terms.csv").into_iter().filter_map(|r| {
        let term = r.first()?.clone();
        let kind = r.get(1)?.trim();
        if kind == "role" {
            return None;
        }
        let weak = WEAK.contains(&term.trim());
        Some((term, weak))
    }))
});

/// Occupations (for "caring for the county's rowing medallist").
static OCCUPATIONS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("occupations.csv")
            .into_iter()
            .filter_map(|r| Some((r.first()?.clone(), ()))),
    )
});

/// Determiners that make a noun refer to one person.
const SINGULAR_DET: &[&str] = &[
    "a",
    "an",
    "this",
    "that",
    "the",
    "my",
    "our",
    "one",
    "another",
    "today's",
    "tonight's",
    "yesterday's",
];

/// Words before "patient" that make it an adjective ("very patient").
const ADJ_PATIENT: &[&str] = &[
    "very",
    "so",
    "too",
    "more",
    "most",
    "less",
    "be",
    "is",
    "was",
    "been",
    "being",
    "are",
    "were",
    "stay",
    "remain",
    "please",
    "really",
    "incredibly",
    "extremely",
    "endlessly",
    "ever",
    "how",
    "being",
];

/// Irregular past tense verbs that tell a story right after a referent.
const PAST_IRREGULAR: &[&str] = &[
    "came", "went", "told", "said", "had", "was", "got", "took", "fell", "broke", "saw", "ate", "drank", "left", "ran",
    "gave", "brought", "made", "thought", "kept", "felt", "found", "sat", "stood", "woke", "wore", "bit", "hit", "put",
    "lost", "spent", "held", "threw", "drove", "rode", "did", "swore", "began", "sang", "cried", "tried", "forgot",
    "knew", "lay", "paid", "rang", "sent", "shook", "slept", "spoke", "stuck", "swam", "tore", "turned", "won",
    "wrote",
];

/// The most referents judged in one post.
const MAX_REFERENTS: usize = 256;

/// The most places collected from one post.
const MAX_PLACES: usize = 256;

/// Location-in-care words that, with a number, point at one patient.
const BED_WORDS: &[&str] = &[
    "bay",
    "bed",
    "cubicle",
    "cube",
    "resus",
    "pod",
    "trolley",
    "stretcher",
    "majors",
];

static AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        \b\d{1,3}\s?-?\s?(?:years?|yrs?|yr|month|months|week|weeks|day)\s?-?\s?olds?\b
        | \b\d{1,3}\s?(?:yo|y/o|y\.o\.?)(?:\b|\s|$)
        | (?i:\bin\s(?:his|her|their)\s(?:early\s|mid\s|mid-|late\s)?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[1-9]0s)\b)
        | (?i:\baged\s\d{1,3}\b)",
    )
});

/// "23F", "45M", "67 M" after a space or the start, not money.
static AGE_SEX: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?:^|[\s(,:;])(\d{1,3}\s?[MF])(?:[\s,.;:)]|$)").needs_digit());

static CLOCK_TIME: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{2}:\d{2}\b").needs_digit());

static HONORIFIC_NAME: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s[A-Z][a-z'’]+(?:\s[A-Z][a-z'’-]+)?"));

static INSTITUTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        \b(?:(?:St|Saint)\.?\s[A-Z][a-z'’]+(?:'s|’s|s)?
            (?:\s(?:General|Hospital|Infirmary|Primary|School|Academy|College|Church|Hospice|ED|A&E|Medical\sCentre))?)
        | \b(?:[A-Z][a-z'’]+\s){1,3}
          (?:General|Hospital|Infirmary|Children's|Children’s|Medical\sCentre|Medical\sCenter|Health\sCentre|Health\sCenter
            |Memorial|Hospice|Clinic|Surgery|Primary|School|Academy|College|Nursery|University|Practice|Pharmacy)\b
        | \b(?:[A-Z][a-z'’]+\s){2,3}(?:ED|A&E|ICU|ITU|NICU|PICU|[Rr]esus|[Mm]aternity|[Tt]heatres)\b",
    )
});

static WARD: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b[Ww]ard\s\d{1,3}[A-Za-z]?\b|\b[A-Z][a-z]+\s[Ww]ard\b"));

static STREET: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b\d{1,4}[A-Za-z]?\s(?:[A-Z][a-z'’]+\s){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Crescent|Way|Court|Ct|Place|Terrace|Grove|Gardens|Parade|Boulevard|Blvd|Square|Mews|Row|Walk)\b",
    )
    .needs_digit()
});

static LOCALITY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b(?:from|in|at|near|of|outside|around),?\s((?:[A-Z][a-z'’]+)(?:\s[A-Z][a-z'’]+){0,2}(?:\s(?:district|village|county|town|island|suburb))?)|\b([A-Z][a-z'’]+\s(?:district|village|county|island|suburb))\b",
    )
});

/// Capitalised words that are not places (calendar words, titles,
/// determiners at a sentence start).
const NOT_PLACE: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Christmas",
    "Boxing",
    "Easter",
    "Diwali",
    "Eid",
    "The",
    "This",
    "That",
    "Our",
    "My",
    "His",
    "Her",
    "Their",
    "A",
    "An",
    "I",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Prof",
    "Sister",
    "Nurse",
    "God",
    "Night",
    "Day",
    "Ward",
    "Bay",
    "Room",
    "Bed",
    "Saturdays",
    "Sundays",
    "Mondays",
];

/// Token index whose span contains or starts after byte `at`.
fn token_at(a: &Analysis<'_>, at: usize) -> Option<usize> {
    let i = a.tokens.partition_point(|t| t.span.end <= at);
    (i < a.tokens.len()).then_some(i)
}

fn sentence(a: &Analysis<'_>, i: usize) -> usize {
    a.sentence_of.get(i).map_or(0, |&s| s as usize)
}

/// One candidate referent.
#[derive(Debug, Clone, Copy)]
struct Referent {
    span: Span,
    first: usize,
    end: usize,
    /// 2: a patient noun, an age, a bed, a label; 1: a person noun, a name.
    strength: u8,
    reason: &'static str,
}

/// A cue near a referent.
#[derive(Debug, Clone, Copy)]
struct Cue {
    span: Span,
    first: usize,
    role: Role,
}

impl<'a> Signals<'a> {
    pub fn new(text: &'a Analysis<'a>, reply: Option<&'a Analysis<'a>>, policy: &'a Policy) -> Signals<'a> {
        Signals {
            text,
            reply,
            policy,
            haystack: OnceCell::new(),
            patient: OnceCell::new(),
            cues: OnceCell::new(),
            ages: OnceCell::new(),
            identifiers: OnceCell::new(),
            places: OnceCell::new(),
            disrespect: OnceCell::new(),
            occupations: OnceCell::new(),
        }
    }

    /// The post's text, prepared for the built-in patterns.
    pub(crate) fn haystack(&self) -> Haystack<'a> {
        *self.haystack.get_or_init(|| Haystack::new(self.text.text))
    }

    /// Where the post refers to a patient, and whether it tells one
    /// patient's story.
    pub fn patient(&self) -> &PatientContext {
        self.patient
            .get_or_init(|| patient_context(self.text, self.haystack(), self.reply, self.occupations()))
    }

    /// The identifier detector's cue phrases (titles, relations, record
    /// labels...) found in the post.
    pub fn cues(&self) -> &Cues {
        self.cues.get_or_init(|| Cues::new(self.text))
    }

    /// Every age stated in the post (`phi::ages`), in text order.
    pub fn ages(&self) -> &[Age] {
        self.ages.get_or_init(|| phi::ages_in(self.haystack()))
    }

    /// Identifiers found in the post's text, before any exemption.
    pub fn identifiers(&self) -> &[Identifier] {
        self.identifiers
            .get_or_init(|| phi::detect_with(self.text, self.haystack(), self.cues(), self.ages()))
    }

    /// Named institutions, numbered wards, street addresses and named
    /// localities, in text order.
    pub fn places(&self) -> &[Place] {
        self.places.get_or_init(|| find_places_in(self.text, self.haystack()))
    }

    /// Occupations named in the post (`lexicons/occupations.csv`): read
    /// by the patient signal and by `privacy/reidentification-risk`.
    pub fn occupations(&self) -> &[LexMatch<'static, ()>] {
        self.occupations.get_or_init(|| OCCUPATIONS.find_all(self.text))
    }

    /// The findings of `professionalism/disrespect` (insults, slurs,
    /// profanity), which `professionalism/negativity` also weighs: `find`
    /// computes them on first use.
    pub(crate) fn disrespect(&self, find: impl FnOnce() -> Vec<Diagnostic>) -> &[Diagnostic] {
        self.disrespect.get_or_init(find)
    }
}

/// Finds institutions, wards, streets and localities by pattern.
pub fn find_places(a: &Analysis<'_>) -> Vec<Place> {
    find_places_in(a, Haystack::new(a.text))
}

fn find_places_in(a: &Analysis<'_>, h: Haystack<'_>) -> Vec<Place> {
    let text = a.text;
    let mut out: Vec<Place> = Vec::new();
    let push = |span: Span, kind: PlaceKind, out: &mut Vec<Place>| {
        if out.len() < MAX_PLACES && !out.iter().any(|p| p.span.overlaps(span)) {
            out.push(Place { span, kind });
        }
    };
    for m in STREET.find_iter(h) {
        push(Span::new(m.start(), m.end()), PlaceKind::Street, &mut out);
    }
    for m in WARD.find_iter(h) {
        push(Span::new(m.start(), m.end()), PlaceKind::Ward, &mut out);
    }
    for m in INSTITUTION.find_iter(h) {
        // Drop leading words that are not names ("Our", "The").
        let mut start = m.start();
        for w in m.as_str().split(' ') {
            if NOT_PLACE.contains(&w) {
                start += w.len() + 1;
            } else {
                break;
            }
        }
        if start < m.end() && text.is_char_boundary(start) {
            let span = Span::new(start, m.end());
            // A single word like "Surgery" or "Clinic" alone is not a name.
            if text[start..m.end()].contains(' ') {
                push(span, PlaceKind::Institution, &mut out);
            }
        }
    }
    for c in LOCALITY.captures_iter(h) {
        let Some(g) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let first = g.as_str().split(' ').next().unwrap_or("");
        if NOT_PLACE.contains(&first) {
            continue;
        }
        // A capitalised word that opens a sentence after "in" is still a
        // name; an all-lowercase word never matches.
        push(Span::new(g.start(), g.end()), PlaceKind::Locality, &mut out);
    }
    out.sort_by_key(|p| p.span.start);
    out
}

/// True if the hashtag token (with `#`) is a clinical one.
fn clinical_hashtag(norm: &str) -> bool {
    let tag = norm.trim_start_matches('#');
    CLINICAL_HASHTAGS.iter().any(|(stem, prefix)| {
        if *prefix {
            tag.starts_with(stem.as_str())
        } else {
            tag == stem
        }
    })
}

fn patient_context(
    a: &Analysis<'_>,
    h: Haystack<'_>,
    reply: Option<&Analysis<'_>>,
    occupations: &[LexMatch<'_, ()>],
) -> PatientContext {
    let matches = NARRATIVE.find_all(a);
    let n = a.tokens.len();
    let word = |i: usize| a.tokens.get(i).map_or("", |t| t.norm.as_str());

    // Clinical context anywhere in the post.
    let mut clinical = a
        .tokens
        .iter()
        .any(|t| t.kind == TokenKind::Hashtag && clinical_hashtag(&t.norm));
    for m in CLINICAL_TERMS.find_all(a) {
        let weak = *m.value;
        let supported = !weak
            || a.tokens.get(m.end).is_some_and(|t| t.kind == TokenKind::Number)
            || m.first
                .checked_sub(1)
                .is_some_and(|p| matches!(word(p), "the" | "in" | "our" | "on" | "at" | "from" | "into"));
        if supported {
            clinical = true;
            break;
        }
    }

    let mut mentions = Vec::new();
    let mut referents: Vec<Referent> = Vec::new();
    let mut cues: Vec<Cue> = Vec::new();
    for m in &matches {
        let role = *m.value;
        match role {
            Role::Patient | Role::Person | Role::Label => {
                if role == Role::Patient {
                    mentions.push(m.span);
                }
                if let Some(r) = noun_referent(a, m.first, m.end, role) {
                    if role != Role::Patient {
                        mentions.push(m.span);
                    }
                    referents.push(r);
                }
            }
            Role::Event | Role::Weak | Role::Outcome | Role::Time | Role::CaseFrame | Role::Setting => {
                if matches!(role, Role::Event | Role::Setting | Role::CaseFrame) {
                    clinical = true;
                }
                // Care events ("admitted", "came in with") say a person in
                // care is near, as the first version of this signal did.
                if role == Role::Event {
                    mentions.push(m.span);
                }
                cues.push(Cue {
                    span: m.span,
                    first: m.first,
                    role,
                });
            }
            Role::Clinical => clinical = true,
            _ => {}
        }
    }
    // "caring for the county's rowing medallist", "delivered a baby for
    // our local principal": an occupation after a care event is a person.
    for m in occupations {
        let s = sentence(a, m.first);
        let care_before = cues.iter().any(|c| {
            c.role == Role::Event && c.first < m.first && m.first - c.first <= 10 && sentence(a, c.first) == s
        });
        if care_before && let Some(mut r) = noun_referent(a, m.first, m.end, Role::Label) {
            r.strength = 1;
            r.reason = "a person by occupation";
            referents.push(r);
        }
    }
    // Plural patient words are mentions too ("patients tell us").
    for (i, t) in a.tokens.iter().enumerate() {
        if matches!(t.norm.as_str(), "patients" | "pts" | "customers" | "clients") && !a.quoted[i] {
            mentions.push(t.span);
        }
    }

    // Ages ("a 45-year-old", "19 yr old", "23F", "in her eighties").
    let mut age_spans: Vec<Span> = AGE.find_iter(h).map(|m| Span::new(m.start(), m.end())).collect();
    age_spans.extend(
        AGE_SEX
            .captures_iter(h)
            .filter_map(|c| c.get(1))
            .filter(|g| {
                let digits: String = g.as_str().chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<u32>().is_ok_and(|v| v <= 110)
            })
            .map(|g| Span::new(g.start(), g.end())),
    );
    for s in age_spans {
        let Some(first) = token_at(a, s.start) else { continue };
        let Some(last) = token_at(a, s.end.saturating_sub(1)) else {
            continue;
        };
        if a.quoted[first] {
            continue;
        }
        let prev = a.prev_word(first).map(word);
        // "my 3-year-old" is the author's own child.
        if matches!(prev, Some("my" | "our" | "your")) {
            continue;
        }
        if a.prev_word(first).is_some_and(|p| generic_before(a, p)) {
            continue;
        }
        let mut end = last + 1;
        // Take in the person noun that follows ("19 yr old girl").
        if let Some(nx) = a.next_word(last)
            && matches!(
                word(nx),
                "girl"
                    | "boy"
                    | "man"
                    | "woman"
                    | "lady"
                    | "gentleman"
                    | "male"
                    | "female"
                    | "guy"
                    | "bloke"
                    | "baby"
                    | "patient"
                    | "kid"
                    | "child"
                    | "lad"
                    | "gent"
            )
        {
            end = nx + 1;
        }
        let start = match prev {
            Some("a" | "an" | "this" | "the" | "one" | "another") => a.prev_word(first).unwrap_or(first),
            _ => first,
        };
        mentions.push(s);
        referents.push(Referent {
            span: a.tokens_span(start..end),
            first: start,
            end,
            strength: 2,
            reason: "an age",
        });
    }

    // Beds and bays with a number ("in bay 4", "side room 3").
    for i in 0..n {
        let t = &a.tokens[i];
        if t.kind != TokenKind::Word || a.quoted[i] {
            continue;
        }
        let w = t.norm.as_str();
        let bed = BED_WORDS.contains(&w) || (w == "room" && i > 0 && word(i - 1) == "side");
        if bed && a.tokens.get(i + 1).is_some_and(|x| x.kind == TokenKind::Number) {
            let start = if w == "room" { i - 1 } else { i };
            clinical = true;
            mentions.push(a.tokens_span(start..i + 2));
            referents.push(Referent {
                span: a.tokens_span(start..i + 2),
                first: start,
                end: i + 2,
                strength: 2,
                reason: "a bed or bay number",
            });
        }
    }

    // "Mrs Eleanor Voss".
    for m in HONORIFIC_NAME.find_iter(h) {
        let (Some(first), Some(last)) = (token_at(a, m.start()), token_at(a, m.end().saturating_sub(1))) else {
            continue;
        };
        referents.push(Referent {
            span: Span::new(m.start(), m.end()),
            first,
            end: last + 1,
            strength: 1,
            reason: "a person's name",
        });
    }

    // Clock times ("at 3am") are time cues.
    for m in CLOCK_TIME.find_iter(h) {
        if let Some(first) = token_at(a, m.start()) {
            cues.push(Cue {
                span: Span::new(m.start(), m.end()),
                first,
                role: Role::Time,
            });
        }
    }
    cues.sort_by_key(|c| c.first);
    referents.sort_by_key(|r| r.first);

    let mut case = None;
    // A post with hundreds of referents is not a social-media post; the
    // cap keeps a pathological input linear.
    for r in referents.iter().take(MAX_REFERENTS) {
        if let Some(c) = judge(a, r, &cues, clinical) {
            case = Some(c);
            break;
        }
    }
    if case.is_none() {
        case = reply_confirmation(a, reply, &matches);
    }
    mentions.sort_by_key(|s| s.start);
    mentions.dedup();
    PatientContext {
        mentions,
        case,
        clinical,
    }
}

/// A generic or hypothetical word within three words before token `i`
/// ("when the patient", "if a patient", "every patient").
fn generic_before(a: &Analysis<'_>, i: usize) -> bool {
    const GENERIC: &[&str] = &[
        "if", "when", "whenever", "every", "each", "any", "whether", "imagine", "should", "would", "forget", "all",
    ];
    let mut j = Some(i);
    for _ in 0..3 {
        let Some(k) = j else { break };
        if GENERIC.contains(&a.tokens[k].norm.as_str()) {
            return true;
        }
        j = a.prev_word(k);
    }
    false
}

/// A question asked of readers ("What's the one thing a patient said that
/// stuck with you?"): a sentence ending in `?` that opens with a question
/// word.
fn question_sentence(a: &Analysis<'_>, i: usize) -> bool {
    let Some(sent) = a.sentences.get(sentence(a, i)) else {
        return false;
    };
    let ends_with_question = a.slice(sent.span).trim_end().ends_with('?');
    let first = sent.tokens.clone().find(|&k| a.tokens[k].is_wordlike());
    ends_with_question
        && first.is_some_and(|k| {
            matches!(
                a.tokens[k].norm.as_str(),
                "what"
                    | "what's"
                    | "which"
                    | "who"
                    | "how"
                    | "have"
                    | "has"
                    | "do"
                    | "does"
                    | "did"
                    | "anyone"
                    | "ever"
            )
        })
}

/// Whether the normalised word `w` is a compound row of the narrative
/// lexicon ("portal", "volunteers"), as the lexicon matches it on its own.
/// Analysing a word costs more than looking it up, so answers are kept per
/// thread (a bounded cache of a pure function).
fn compound_word(w: &str) -> bool {
    thread_local! {
        static SEEN: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        if let Some(&v) = seen.borrow().get(w) {
            return v;
        }
        let v = NARRATIVE
            .find_all(&Analysis::new(w))
            .iter()
            .any(|m| *m.value == Role::Compound);
        let mut seen = seen.borrow_mut();
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(w.to_string(), v);
        v
    })
}

/// Whether the patient or person noun at `first..end` refers to one
/// specific person: a singular determiner before it (up to five words
/// back, for "the county's youngest-ever Olympic rowing medallist"), or
/// the start of a sentence ("Man came in", "Pt in room 12").
fn noun_referent(a: &Analysis<'_>, first: usize, end: usize, role: Role) -> Option<Referent> {
    if a.quoted[first] {
        return None;
    }
    let word = |i: usize| a.tokens.get(i).map_or("", |t| t.norm.as_str());
    let next = a.next_word(end - 1).map(word).unwrap_or("");
    let next_tok = a.tokens.get(end);
    // "patient portal", "patient volunteers": an attribute, not a person.
    if role == Role::Patient
        && next_tok.is_some_and(|t| t.kind == TokenKind::Word && t.space_before)
        && compound_word(next)
    {
        return None;
    }
    // "patient-centred", "patient-facing".
    if role == Role::Patient && next_tok.is_some_and(|t| !t.space_before && a.token_text(end) == "-") {
        return None;
    }
    if question_sentence(a, first) {
        return None;
    }
    let prev = a.prev_word(first);
    if role == Role::Patient && prev.is_some_and(|p| ADJ_PATIENT.contains(&word(p))) {
        return None;
    }
    // A noun followed by another noun-like word is a modifier ("baby
    // food", "man flu"); keep the common story continuations.
    if role == Role::Person
        && next_tok.is_some_and(|t| t.kind == TokenKind::Word && t.space_before)
        && matches!(
            next,
            "flu" | "food" | "shower" | "steps" | "up" | "cave" | "bump" | "brain" | "hours" | "power"
        )
    {
        return None;
    }
    let sentence_start = a.sentences.get(sentence(a, first)).map_or(0, |s| s.tokens.start);
    let first_word_of_sentence = (sentence_start..first).all(|k| !a.tokens[k].is_wordlike());
    // Look back for a determiner, over at most five words with no
    // punctuation between them other than hyphens and apostrophes.
    let mut det = None;
    let mut k = first;
    let mut words = 0;
    let mut clean_run = true;
    while k > sentence_start && words <= 5 {
        k -= 1;
        let t = &a.tokens[k];
        match t.kind {
            TokenKind::Word | TokenKind::Number => {
                words += 1;
                if SINGULAR_DET.contains(&t.norm.as_str()) {
                    det = Some(k);
                    break;
                }
            }
            TokenKind::Punct if matches!(a.token_text(k), "-" | "'" | "’") => {}
            _ => {
                clean_run = false;
                break;
            }
        }
    }
    // "Lovely old chap on the ward": a few adjectives open the sentence.
    let adjectives_from_start = det.is_none() && clean_run && k == sentence_start && (1..=3).contains(&words);
    // "a healthy baby girl": take in the second noun.
    let end = if a
        .tokens
        .get(end)
        .is_some_and(|t| t.space_before && matches!(t.norm.as_str(), "girl" | "boy"))
    {
        end + 1
    } else {
        end
    };
    let start = match det {
        Some(d) => {
            if generic_before(a, d) {
                return None;
            }
            // "my girl", "our baby": the author's own family.
            if role == Role::Person && matches!(word(d), "my" | "our") {
                return None;
            }
            d
        }
        None if first_word_of_sentence && role != Role::Person => first,
        None if first_word_of_sentence
            && role == Role::Person
            && matches!(a.tokens[first].case, Case::Title | Case::Upper | Case::Lower) =>
        {
            first
        }
        None if adjectives_from_start && role != Role::Patient => sentence_start,
        None => return None,
    };
    let strength = match role {
        Role::Patient | Role::Label => 2,
        _ => 1,
    };
    let reason = match role {
        Role::Patient => "a patient",
        Role::Label => "a label for one patient",
        _ => "a person",
    };
    Some(Referent {
        span: a.tokens_span(start..end),
        first: start,
        end,
        strength,
        reason,
    })
}

/// True if the word right after the referent (or after "who") is a past
/// tense verb ("this gentleman swallowed", "Customer asked").
fn past_verb_after(a: &Analysis<'_>, r: &Referent) -> Option<usize> {
    let mut i = a.next_word(r.end.saturating_sub(1))?;
    if a.sentence_of.get(i) != a.sentence_of.get(r.first) {
        return None;
    }
    if matches!(
        a.tokens[i].norm.as_str(),
        "who" | "had" | "has" | "just" | "then" | "actually" | "literally"
    ) {
        i = a.next_word(i)?;
    }
    let w = a.tokens[i].norm.as_str();
    let regular = w.len() > 4 && w.ends_with("ed") && a.tokens[i].kind == TokenKind::Word;
    (regular || PAST_IRREGULAR.contains(&w)).then_some(i)
}

fn judge(a: &Analysis<'_>, r: &Referent, cues: &[Cue], clinical: bool) -> Option<PatientCase> {
    let s = sentence(a, r.first);
    let near = |c: &&Cue| {
        let cs = sentence(a, c.first);
        (cs == s || cs == s + 1) && !(c.first >= r.first && c.first < r.end)
    };
    // Cues are sorted by token, so the ones in sentences `s` and `s + 1`
    // are one contiguous run: find it by binary search, keeping the whole
    // check linear on long posts.
    let lo = cues.partition_point(|c| sentence(a, c.first) < s);
    let hi = cues.partition_point(|c| sentence(a, c.first) <= s + 1);
    let near_cues: Vec<&Cue> = cues.get(lo..hi).unwrap_or(&[]).iter().filter(near).collect();
    let has = |roles: &[Role]| near_cues.iter().copied().find(|c| roles.contains(&c.role));
    let past = past_verb_after(a, r);
    let strong = has(&[Role::Event, Role::CaseFrame]);
    let story = has(&[Role::Weak, Role::Outcome]);
    let time = has(&[Role::Time, Role::Setting]);
    let fires = match r.strength {
        2 => strong.is_some() || story.is_some() || past.is_some() || (time.is_some() && clinical),
        _ => strong.is_some() || ((story.is_some() || past.is_some() || time.is_some()) && clinical),
    };
    if !fires {
        return None;
    }
    // The span runs from the referent to the nearest cue after it in the
    // same sentence; a care verb just before the referent ("Saw a 19 yr
    // old girl") starts it instead.
    let before = near_cues.iter().rfind(|c| {
        sentence(a, c.first) == s
            && c.first < r.first
            && r.first - c.first <= 4
            && matches!(c.role, Role::Event | Role::Weak)
    });
    let after = near_cues
        .iter()
        .filter(|c| sentence(a, c.first) == s && c.first >= r.end)
        .map(|c| (c.first, c.span))
        .chain(past.map(|i| (i, a.tokens[i].span)))
        .min_by_key(|(i, _)| *i)
        .map(|(_, sp)| sp);
    let (span, cue) = match (before, after) {
        (Some(b), _) => (b.span.cover(r.span), Some(b.span)),
        (None, Some(c)) => (r.span.cover(c), Some(c)),
        (None, None) => (r.span, strong.or(story).or(time).map(|c| c.span)),
    };
    Some(PatientCase {
        span,
        referent: r.span,
        cue,
        reason: r.reason,
    })
}

/// A reply to a review or complaint that confirms the reviewer was a
/// patient ("we're sorry you were unhappy with your treatment").
fn reply_confirmation(
    a: &Analysis<'_>,
    reply: Option<&Analysis<'_>>,
    matches: &[primum_text::LexMatch<'_, Role>],
) -> Option<PatientCase> {
    let reply = reply?;
    let review = reply.text.contains('⭐')
        || reply.text.contains('★')
        || NARRATIVE.find_all(reply).iter().any(|m| *m.value == Role::Review);
    if !review {
        return None;
    }
    let m = matches
        .iter()
        .find(|m| *m.value == Role::Confirm && !a.quoted[m.first])?;
    Some(PatientCase {
        span: m.span,
        referent: m.span,
        cue: None,
        reason: "a reply that confirms a reviewer's care",
    })
}
