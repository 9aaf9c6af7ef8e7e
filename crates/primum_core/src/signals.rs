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
//! the story of one person in care: one specific person (a singular
//! referent such as "my patient", "a 45-year-old", "the lady in bay 3",
//! "Man came in"; a role noun with a determiner, "the cyclist"; a name
//! that is not a colleague's; a record number; a pronoun whose nearest
//! person is neither a colleague, a public figure nor the author's
//! family) with care near it: a care event or outcome, a story verb, a
//! time anchor or setting in a clinical post, or a personal detail (an
//! age, a name, a date of birth) attached to a patient. The word lists
//! are in `lexicons/patient_narrative.csv`; the grammar (determiners,
//! sentence starts, past tense, pronoun antecedents) is here.

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, OnceCell, RefCell};
use std::sync::LazyLock;

use primum_text::{Analysis, Case, LexMatch, Lexicon, Span, Token, TokenKind};

use crate::finding::Kind;
use crate::phi::pattern::{
    Haystack, Pattern, any_digit, bytes_before, bytes_from, has_byte, starts_with_bits, word_bits,
};
use crate::phi::words::{Cues, shape};
use crate::phi::{self, Age, Identifier};
use crate::policy::Policy;
use crate::rule::Diagnostic;
use crate::rules::advice::dosage::{self, CAVEATS, Instruction, MEDICINES, MedClass};
use crate::rules::bits::Shapes;
use crate::rules::professionalism::humor_at_patients::{TONE, Tone};

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
    advertising: OnceCell<Vec<(Span, bool)>>,
    occupations: OnceCell<Vec<LexMatch<'static, ()>>>,
    product_promotion: OnceCell<Option<Span>>,
    tones: OnceCell<Vec<LexMatch<'static, Tone>>>,
    medicines: OnceCell<Vec<LexMatch<'static, MedClass>>>,
    caveats: OnceCell<Vec<LexMatch<'static, ()>>>,
    dose_instructions: OnceCell<Vec<Instruction>>,
    shapes: OnceCell<Shapes>,
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
    /// A member of staff (a colleague is not a patient).
    Staff,
    /// A word of the author's private life (married, hubby).
    Family,
    /// An insult said of one person ("idiot in cubicle 4").
    Insult,
    /// A personal detail next to a referent (a name, an age, a record
    /// number): not in the lexicon, found by the detectors.
    Detail,
    /// A subject pronoun (he, she) not standing for a colleague or the
    /// author's family: a detail of a patient already named.
    Pronoun,
    /// A public figure's title (minister, president): not the author's
    /// patient.
    Public,
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
            "staff" => Role::Staff,
            "family" => Role::Family,
            "insult" => Role::Insult,
            "public" => Role::Public,
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

/// What a row of `clinical_terms.csv` is to the patient signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// A setting, record, image or device that makes a post clinical.
    Strong,
    /// The same, short or ambiguous: clinical only with a number or a
    /// determiner before it.
    Weak,
    /// A staff role (nurse, registrar): a colleague, not a patient.
    Staff,
}

/// Clinical settings, records, imaging and devices, and staff roles.
/// Short or ambiguous words are weak: they count only with a number or a
/// determiner before them.
static CLINICAL_TERMS: LazyLock<Lexicon<Term>> = LazyLock::new(|| {
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
            // "patient" is listed as a role there; it is not staff.
            if matches!(term.trim(), "patient" | "patients" | "pt" | "pts") {
                return None;
            }
            return Some((term, Term::Staff));
        }
        let weak = if WEAK.contains(&term.trim()) {
            Term::Weak
        } else {
            Term::Strong
        };
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

/// The shapes of [`PAST_IRREGULAR`]: a word of none of them is turned
/// away with one test, before a comparison with each word of the list
/// (each a branch on the length, then on the bytes).
static PAST_IRREGULAR_SHAPES: LazyLock<WordShapes> = LazyLock::new(|| WordShapes::of(PAST_IRREGULAR.iter().copied()));

/// Third-person singular pronouns: a person already spoken of.
const PRONOUNS: &[&str] = &[
    "he", "she", "him", "his", "her", "he's", "she's", "he'd", "she'd", "he'll", "she'll", "himself", "herself",
];

/// Subject pronouns, which say the sentence is about that person.
const SUBJECT_PRONOUNS: &[&str] = &["he", "she", "he's", "she's", "he'd", "she'd", "he'll", "she'll"];

/// Kinship words that name a person with no determiner ("we got there
/// for grandpa"); with "my" they are the author's family.
const BARE_KIN: &[&str] = &[
    "grandpa",
    "grandma",
    "granny",
    "grandad",
    "granddad",
    "gran",
    "nan",
    "nana",
    "nanna",
    "grandmother",
    "grandfather",
];

/// Kinship words that, opening a sentence with no determiner ("Dad's
/// 65th birthday"), are the author's own family.
const OWN_KIN: &[&str] = &[
    "dad", "dad's", "mum", "mum's", "mom", "mom's", "mother", "father", "husband", "wife", "hubby", "son", "daughter",
];

/// Animals: a pronoun that stands for a pet is not a patient ("the cat's
/// third escape attempt... she got as far as the shed").
const ANIMALS: &[&str] = &[
    "cat", "cats", "dog", "dogs", "puppy", "kitten", "pup", "horse", "pony", "rabbit", "hamster", "parrot", "tortoise",
];

/// Words after "your" that name one person's care ("your root canal",
/// "your 6-month check"): with a reply that tells of the reader's own
/// care, the author confirms the reader is a patient.
const CARE_NOUNS: &[&str] = &[
    "appointment",
    "check",
    "check-up",
    "checkup",
    "review",
    "follow-up",
    "rehab",
    "op",
    "operation",
    "surgery",
    "procedure",
    "treatment",
    "canal",
    "crown",
    "filling",
    "extraction",
    "implant",
    "scan",
    "x-ray",
    "results",
    "bloods",
    "physio",
    "recovery",
    "stitches",
    "cast",
    "braces",
    "injection",
    "jab",
    "delivery",
    "transplant",
    "replacement",
    "reconstruction",
    "chemo",
    "radiotherapy",
    "knee",
    "hip",
    "tooth",
    "teeth",
    "visit",
];

/// Verbs that make a numbered room or bed the subject of a sentence
/// about its occupant ("Room 14 is a total crock", "bed 6 keeps...").
const OCCUPANT_VERBS: &[&str] = &[
    "is", "was", "has", "keeps", "kept", "wants", "wanted", "won't", "refuses", "refused", "needs", "just", "still",
    "asked", "asks", "says", "said", "thinks", "demands", "demanded", "pressed", "pulled",
];

/// What a room can be instead of occupied ("Room 4 is booked").
const ROOM_STATES: &[&str] = &[
    "booked",
    "free",
    "available",
    "closed",
    "open",
    "reserved",
    "out",
    "being",
    "now",
    "the",
    "our",
    "where",
];

/// Images and traces of one patient ("this CT from tonight's...").
const SCAN_NOUNS: &[&str] = &[
    "ct",
    "x-ray",
    "xray",
    "mri",
    "cxr",
    "ecg",
    "ekg",
    "radiograph",
    "angiogram",
    "opg",
    "ultrasound",
    "scan",
];

/// What follows a scan noun when it is equipment or a service, not one
/// patient's image ("this MRI scanner", "today's CT list").
const SCAN_NOT_PATIENT: &[&str] = &[
    "scanner",
    "machine",
    "department",
    "dept",
    "room",
    "suite",
    "list",
    "slot",
    "slots",
    "service",
    "waiting",
    "course",
    "training",
    "teaching",
    "session",
    "appointment",
    "appointments",
    "referral",
    "referrals",
    "unit",
    "booking",
    "bookings",
    "capacity",
    "backlog",
    "staff",
    "team",
    "quiz",
    "interpretation",
];

/// Words of a care home's name ("Rosewood Lodge", "Elm Court Care Home").
const CARE_HOME_WORDS: &[&str] = &[
    "lodge", "manor", "court", "home", "house", "hall", "gardens", "grange", "view",
];

/// How many words back a pronoun looks for the person it stands for.
const ANTECEDENT_WINDOW: usize = 40;

/// Words before a number that make it a person's age ("is 103", "at 95").
const AGE_VERBS: &[&str] = &["is", "was", "turned", "turns", "turning", "aged", "age", "at", "now"];

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

/// Ages with a digit ("a 45-year-old", "19 yr old", "aged 50", "in her
/// 80s"). The ages in words ("in her eighties") are [`AGE_IN_WORDS`]: the
/// two were one pattern, split so that each is searched only in a text
/// that may hold one of its matches. A match of one never overlaps a match
/// of the other (one starts at a digit and holds no "in his"; the other
/// holds no digit), so together they find what the one pattern found.
static AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        \b\d{1,3}\s?-?\s?(?:years?|yrs?|yr|month|months|week|weeks|day)\s?-?\s?olds?\b
        | \b\d{1,3}\s?(?:yo|y/o|y\.o\.?)(?:\b|\s|$)
        | (?i:\bin\s(?:his|her|their)\s(?:early\s|mid\s|mid-|late\s)?[1-9]0s\b)
        | (?i:\baged\s\d{1,3}\b)
        | (?i:\b\d{1,3}\s?(?:saal|sal|varsh|baras)\s(?:ke|ki|ka|kee)\b)",
    )
    .needs_digit()
    // Each alternative holds one of these, in any case.
    .when_any(&["old", "yo", "y/o", "y.o", "0s", "age", "saal", "sal", "varsh", "baras"])
    .when(digit_before_age)
});

/// True when `h` may hold a match of [`AGE`], tested at each digit (where
/// this gate is used `\d` is `[0-9]`, and a whitespace character `\s` is
/// at most three bytes):
/// - "19 yr old": a `y`, `m`, `w` or `d` within eight bytes after the
///   digit, in a text that holds `old`;
/// - "45yo": `yo`, `y/o` or `y.o` opening within four bytes after it;
/// - "in her 80s": `0s` in any case after a digit from 1 to 9;
/// - "aged 50": `aged` in any case ending one to three bytes before it;
/// - "92 saal ke": `saal`, `sal`, `varsh` or `baras` in any case opening
///   within four bytes after it.
///
/// The bytes around each digit are read as two numbers (the eight after
/// it, the eight before it in lower case) and every test is a comparison
/// of those, made without a branch: tests of one byte after another
/// stopped at the first difference, and went one way or the other from
/// digit to digit. Bytes past either end of the text read as 0, which no
/// word holds, as the tests of the text's bounds did.
fn digit_before_age(h: &Haystack<'_>) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let b = h.text.as_bytes();
    let mut old: Option<bool> = None;
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    any_digit(b, |i| {
        // `after` holds bytes i + 1 to i + 8; `lower` the same in ASCII
        // lower case (`| 0x20` makes an ASCII letter lower case and no
        // other byte an ASCII letter).
        let after = bytes_from(b, i + 1);
        let lower = after | (ONES * 0x20);
        let year = has_byte(after, b'y') | has_byte(after, b'm') | has_byte(after, b'w') | has_byte(after, b'd');
        let mut opens = false;
        for o in 0..4 {
            let (x, l) = (after >> (8 * o), lower >> (8 * o));
            opens |= starts_with_bits(x, const { word_bits(b"yo") }, 2)
                | starts_with_bits(x, const { word_bits(b"y/o") }, 3)
                | starts_with_bits(x, const { word_bits(b"y.o") }, 3)
                | starts_with_bits(l, const { word_bits(b"saal") }, 4)
                | starts_with_bits(l, const { word_bits(b"sal") }, 3)
                | starts_with_bits(l, const { word_bits(b"varsh") }, 5)
                | starts_with_bits(l, const { word_bits(b"baras") }, 5);
        }
        let decade = (b[i] == b'0') & matches!(at(i.wrapping_sub(1)), b'1'..=b'9') & matches!(at(i + 1), b's' | b'S');
        // "aged" ending one to three bytes before the digit: its last byte
        // is the low byte of `before` shifted down by one to three bytes.
        let before = bytes_before(b, i);
        let aged = (1..=3).fold(false, |hit, w| {
            hit | ((before >> (8 * w)) as u32 == u32::from_be_bytes(*b"aged"))
        });
        opens | decade | aged || year && *old.get_or_insert_with(|| h.text.contains("old"))
    })
}

/// Ages in words: "in his teens", "in her late eighties" (see [`AGE`]).
/// Searched only in a text that may hold one ([`may_hold_age_in_words`]).
static AGE_IN_WORDS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i:\bin\s(?:his|her|their)\s(?:early\s|mid\s|mid-|late\s)?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
    )
});

/// False when [`AGE_IN_WORDS`] cannot match in `a`: every match holds
/// "teen" or "ties" ("twenties" to "nineties"), in any case, and the folded
/// text holds the same letters in lower case (the only other letter that
/// `(?i)` matches to one of them, the long s, folds to `s`). Whether the
/// folded text holds "ties" the haystack already knows (one of its
/// literals, found in its one pass); "teen" costs a substring search, far
/// cheaper than the regex search it spares on nearly every post.
fn may_hold_age_in_words(a: &Analysis<'_>, h: &Haystack<'_>) -> bool {
    h.has_literal(const { crate::phi::pattern::literal("ties") }) || a.folded.text.contains("teen")
}

/// "23F", "45M", "67 M" after a space or the start, not money. Searched
/// only in a text where an `M` or `F` follows a digit closely enough
/// ([`digit_before_sex`]), which few texts with digits pass.
static AGE_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?:^|[\s(,:;])(\d{1,3}\s?[MF])(?:[\s,.;:)]|$)")
        .needs_digit()
        .when(digit_before_sex)
});

/// True when `h` may hold a match of [`AGE_SEX`]: an ASCII digit, then at
/// most one whitespace character (up to three bytes in UTF-8), then `M` or
/// `F`, so an `M` or `F` within the four bytes after a digit. (Where this
/// gate is used the pattern's `\d` is `[0-9]`; see `phi::pattern`.)
fn digit_before_sex(h: &Haystack<'_>) -> bool {
    let b = h.text.as_bytes();
    // Most texts hold no capital `M` or `F`: two `memchr` searches
    // answer for them before the digits are looked at.
    // The four bytes after each digit are tested at once, as a number
    // (see [`digit_before_age`]).
    (h.text.contains('M') || h.text.contains('F'))
        && any_digit(b, |i| {
            let after = bytes_from(b, i + 1) & 0xFFFF_FFFF;
            has_byte(after, b'M') | has_byte(after, b'F')
        })
}

/// The byte offsets of the ASCII character `c` in `text`. A `char` pattern
/// is searched with `memchr`, several bytes at a time: far cheaper than a
/// test of each byte, for a character that a text holds a few times.
fn offsets(text: &str, c: char) -> impl Iterator<Item = usize> + '_ {
    text.match_indices(c).map(|(i, _)| i)
}

/// Clock times ("3am", "10:30 pm", "03:10"). Searched only in a text
/// where a digit is followed by `:` or, closely, by `am` or `pm`
/// ([`digit_before_clock`]).
static CLOCK_TIME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{2}:\d{2}\b")
        .needs_digit()
        .when(digit_before_clock)
});

/// True when `h` may hold a match of [`CLOCK_TIME`]: every match holds an
/// ASCII digit followed either by `:` or, after at most one whitespace
/// character (up to three bytes), by `am` or `pm` in any case (`(?i)`
/// folds these letters to ASCII ones only).
fn digit_before_clock(h: &Haystack<'_>) -> bool {
    let b = h.text.as_bytes();
    // The bytes after each digit are tested at once, as a number, in
    // lower case for `am` and `pm` (see [`digit_before_age`]).
    const ONES: u64 = 0x0101_0101_0101_0101;
    any_digit(b, |i| {
        let after = bytes_from(b, i + 1);
        let lower = after | (ONES * 0x20);
        let meridiem = (0..4).fold(false, |hit, o| {
            let l = lower >> (8 * o);
            hit | starts_with_bits(l, const { word_bits(b"am") }, 2)
                | starts_with_bits(l, const { word_bits(b"pm") }, 2)
        });
        (after & 0xFF == u64::from(b':')) | meridiem
    })
}

/// "Mrs Eleanor Voss": searched only in a text with one of the titles'
/// first two letters (`Mr`, `Ms`, `Mi`, `Mx`).
static HONORIFIC_NAME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s[A-Z][a-z'’]+(?:\s[A-Z][a-z'’-]+)?").when(|h| {
        let b = h.text.as_bytes();
        offsets(h.text, 'M').any(|i| matches!(b.get(i + 1), Some(b'r' | b's' | b'i' | b'x')))
    })
});

static INSTITUTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        \b(?:(?:St|Saint)\.?\s[A-Z][a-z'’]+(?:'s|’s|s)?
            (?:\s(?:General|Hospital|Infirmary|Primary|School|Academy|College|Church|Hospice|ED|A&E|Medical\sCentre|NS|N\.S\.|National\sSchool))?)
        | \b(?:[A-Z][a-z'’]+\s){1,3}
          (?:General|Hospital|Infirmary|Children's|Children’s|Medical\sCentre|Medical\sCenter|Health\sCentre|Health\sCenter
            |Memorial|Hospice|Clinic|Surgery|Primary|School|Academy|College|Nursery|University|Practice|Pharmacy
            |High|Grammar|Montessori|Kindergarten|Preschool|Pre-school|Kindy|Daycare)\b
        | \b(?:[A-Z][a-z'’]+\s){2,3}(?:ED|A&E|ICU|ITU|NICU|PICU|[Rr]esus|[Mm]aternity|[Tt]heatres)\b",
    )
});

/// Wards ("Ward 7B", "Rowan Ward", "4 North"): searched only in a text
/// that holds `ard` or a compass word after a digit and a whitespace
/// character (up to three bytes), one of which each match holds.
static WARD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b[Ww]ard\s\d{1,3}[A-Za-z]?\b|\b[A-Z][a-z]+\s[Ww]ard\b|\b\d{1,2}\s(?:North|South|East|West)\b").when(
        |h| {
            let b = h.text.as_bytes();
            h.text.contains("ard")
                || any_digit(b, |i| {
                    (i + 2..(i + 5).min(b.len())).any(|k| {
                        [&b"North"[..], b"South", b"East", b"West"]
                            .iter()
                            .any(|w| b[k..].starts_with(w))
                    })
                })
        },
    )
});

static STREET: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b\d{1,4}[A-Za-z]?\s(?:[A-Z][a-z'’]+\s){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Crescent|Way|Court|Ct|Place|Terrace|Grove|Gardens|Parade|Boulevard|Blvd|Square|Mews|Row|Walk)\b",
    )
    .needs_digit()
});

static LOCALITY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b(?:from|in|at|near|of|outside|around),?\s((?:\p{Lu}[\p{Ll}'’]+)(?:\s\p{Lu}[\p{Ll}'’]+){0,2}(?:\s(?:district|village|county|town|island|suburb))?)|\b(\p{Lu}[\p{Ll}'’]+\s(?:district|village|county|island|suburb))\b",
    )
});

/// Where the name starts in a match of [`LOCALITY`] (its group 1 or 2),
/// read off the match: a match of the first alternative opens with a
/// lower-case preposition, an optional comma and one whitespace
/// character, the rest being the name; one of the second opens with a
/// capital and is the name. Reading the groups this way spares the regex
/// a capture search for each match, which costs several times the match.
fn locality_name_at(m: &str) -> usize {
    for prep in ["from", "in", "at", "near", "of", "outside", "around"] {
        if let Some(rest) = m.strip_prefix(prep) {
            let rest = rest.strip_prefix(',').unwrap_or(rest);
            let space = rest.chars().next().map_or(0, char::len_utf8);
            return m.len() - rest.len() + space;
        }
    }
    0
}

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
    /// A pronoun: its cues may be in the sentence before it too.
    back: bool,
}

/// What a token says about who a pronoun near it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    /// Not a patient of the author's: a colleague (a staff role, a
    /// title, a named colleague) or a public figure.
    Staff,
    /// The author's own family or private life.
    Family,
    /// Someone else: a patient, a person noun, a name.
    Person,
}

const REASON_BED: &str = "a bed or bay number";
const REASON_LABEL: &str = "a label for one patient";
const REASON_PRONOUN: &str = "a pronoun for one person";

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
            advertising: OnceCell::new(),
            occupations: OnceCell::new(),
            product_promotion: OnceCell::new(),
            tones: OnceCell::new(),
            medicines: OnceCell::new(),
            caveats: OnceCell::new(),
            dose_instructions: OnceCell::new(),
            shapes: OnceCell::new(),
        }
    }

    /// Each token's shape, for the rules' word lists (see [`Shapes`]).
    pub(crate) fn shapes(&self) -> &Shapes {
        self.shapes.get_or_init(|| Shapes::of(self.text))
    }

    /// The post's text, prepared for the built-in patterns.
    pub(crate) fn haystack(&self) -> Haystack<'a> {
        *self.haystack.get_or_init(|| Haystack::of(self.text))
    }

    /// Where the post refers to a patient, and whether it tells one
    /// patient's story.
    pub fn patient(&self) -> &PatientContext {
        self.patient.get_or_init(|| {
            patient_context(
                self.text,
                self.cues(),
                self.haystack(),
                self.reply,
                self.occupations(),
                self.identifiers(),
                self.ages(),
            )
        })
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

    /// Identifiers found in the post's text, before any exemption. Ages
    /// under 90 and weekdays are left out (`phi::ages::redact_only`):
    /// `redact` removes them, but the rules report only HIPAA Safe Harbor
    /// identifiers (ages over 89) and read ages through [`Signals::ages`].
    pub fn identifiers(&self) -> &[Identifier] {
        self.identifiers.get_or_init(|| {
            let mut ids = phi::detect_with(self.text, self.haystack(), self.cues(), self.ages());
            ids.retain(|id| !phi::ages::redact_only(id));
            ids
        })
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

    /// Where the post promotes a third party's product
    /// (`undisclosed_interest::product_promotion`): read by
    /// `promotion/undisclosed-interest`, `promotion/self-promotion` and
    /// `promotion/outcome-claim`.
    pub(crate) fn product_promotion(&self) -> Option<Span> {
        *self
            .product_promotion
            .get_or_init(|| crate::rules::promotion::undisclosed_interest::product_promotion(self.text, self.shapes()))
    }

    /// Tone markers (`humor_at_patients::TONE`: laughter, mockery, rants,
    /// health words...): read by `professionalism/humor-at-patients`,
    /// `professionalism/negativity` and `professionalism/profile-mixing`.
    pub(crate) fn tones(&self) -> &[LexMatch<'static, Tone>] {
        self.tones.get_or_init(|| TONE.find_all(self.text))
    }

    /// Medicine names and classes in the text (`dosage::MEDICINES`): read
    /// by `advice/dosage`, `advice/individual`,
    /// `advice/general-without-caveat` and `professionalism/profile-mixing`.
    pub(crate) fn medicines(&self) -> &[LexMatch<'static, MedClass>] {
        self.medicines.get_or_init(|| MEDICINES.find_all(self.text))
    }

    /// "Check with your pharmacist" and other caveats in the text
    /// (`dosage::CAVEATS`): read by `advice/dosage`, `advice/individual`,
    /// `advice/general-without-caveat` and `promotion/self-promotion`.
    pub(crate) fn caveats(&self) -> &[LexMatch<'static, ()>] {
        self.caveats.get_or_init(|| CAVEATS.find_all(self.text))
    }

    /// The dose instructions of the text (given the post replied to),
    /// which `advice/dosage` reports and `advice/individual` also counts.
    pub(crate) fn dose_instructions(&self) -> &[Instruction] {
        self.dose_instructions.get_or_init(|| {
            dosage::instructions_with(self.text, self.reply, self.medicines(), self.caveats(), self.shapes())
        })
    }

    /// The findings of `professionalism/disrespect` (insults, slurs,
    /// profanity), which `professionalism/negativity` also weighs: `find`
    /// computes them on first use.
    pub(crate) fn disrespect(&self, find: impl FnOnce() -> Vec<Diagnostic>) -> &[Diagnostic] {
        self.disrespect.get_or_init(find)
    }

    /// The advertising phrases of the post (`self_promotion::signals`),
    /// found on first need: self-promotion reports them, and
    /// outcome-claim and testimonial ask whether the post advertises.
    pub(crate) fn advertising(&self, find: impl FnOnce() -> Vec<(Span, bool)>) -> &[(Span, bool)] {
        self.advertising.get_or_init(find)
    }
}

/// Finds institutions, wards, streets and localities by pattern.
pub fn find_places(a: &Analysis<'_>) -> Vec<Place> {
    find_places_in(a, Haystack::of(a))
}

fn find_places_in(a: &Analysis<'_>, h: Haystack<'_>) -> Vec<Place> {
    let text = a.text;
    let mut out: Vec<Place> = Vec::new();
    let push = |span: Span, kind: PlaceKind, out: &mut Vec<Place>| {
        if out.len() < MAX_PLACES && !out.iter().any(|p| p.span.overlaps(span)) {
            out.push(Place { span, kind });
        }
    };
    for m in &mut STREET.find_iter(h) {
        push(Span::new(m.start(), m.end()), PlaceKind::Street, &mut out);
    }
    for m in &mut WARD.find_iter(h) {
        push(Span::new(m.start(), m.end()), PlaceKind::Ward, &mut out);
    }
    for m in &mut INSTITUTION.find_iter(h) {
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
    let localities: Vec<Span> = LOCALITY
        .find_iter(h)
        .map(|m| Span::new(m.start() + locality_name_at(&text[m.range()]), m.end()))
        .collect();
    #[cfg(debug_assertions)]
    {
        let groups: Vec<Span> = LOCALITY
            .captures_iter(h)
            .filter_map(|c| c.get(1).or_else(|| c.get(2)))
            .map(|g| Span::new(g.start(), g.end()))
            .collect();
        assert_eq!(localities, groups, "{text}");
    }
    for g in localities {
        let name = &text[g.start..g.end];
        let first = name.split(' ').next().unwrap_or("");
        // "Friday's swimming carnival" is a day, not a place.
        let bare = first.trim_end_matches("'s").trim_end_matches("’s");
        if NOT_PLACE.contains(&first) || NOT_PLACE.contains(&bare) {
            continue;
        }
        // A capitalised word that opens a sentence after "in" is still a
        // name; an all-lowercase word never matches.
        push(g, PlaceKind::Locality, &mut out);
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

/// The word lists [`patient_context`] tests every word against, as bits.
mod class {
    /// An animal word, or an animal word's possessive ("the dog's"): set
    /// per token by [`super::patient_context`], not by the map.
    pub const ANIMAL: u16 = 1;
    pub const BED: u16 = 2;
    pub const SCAN: u16 = 4;
    pub const PRONOUN: u16 = 8;
    /// "patients", "pts", "customers", "clients".
    pub const PLURAL: u16 = 16;
    /// "who".
    pub const WHO: u16 = 32;
    /// "our", "my".
    pub const OWN: u16 = 64;
    /// "ray" (of "x-ray" split in three tokens).
    pub const RAY: u16 = 128;
    /// "room".
    pub const ROOM: u16 = 256;
    /// A number token: set per token by [`super::patient_context`].
    pub const NUMBER: u16 = 512;
    /// A kinship word of [`super::OWN_KIN`].
    pub const KIN: u16 = 1024;
}

/// Plural patient words ([`class::PLURAL`]).
const PLURAL_PATIENTS: &[&str] = &["patients", "pts", "customers", "clients"];

/// Each word of [`ANIMALS`], [`BED_WORDS`], [`SCAN_NOUNS`], [`PRONOUNS`],
/// [`OWN_KIN`] and the single words [`patient_context`] looks for, with the lists it
/// is in: one hash lookup for a word instead of a scan of each list.
static WORD_CLASSES: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (list, bit) in [
        (ANIMALS, class::ANIMAL),
        (BED_WORDS, class::BED),
        (SCAN_NOUNS, class::SCAN),
        (PRONOUNS, class::PRONOUN),
        (PLURAL_PATIENTS, class::PLURAL),
        (&["who"][..], class::WHO),
        (&["our", "my"][..], class::OWN),
        (&["ray"][..], class::RAY),
        (&["room"][..], class::ROOM),
        (OWN_KIN, class::KIN),
    ] {
        for &w in list {
            *m.entry(w).or_insert(0) |= bit;
        }
    }
    m
});

/// The first byte and length of each word of some word lists: a filter
/// that answers "in none of them" for most words without hashing or
/// comparing strings. For each first byte, bit `len` is set when a listed
/// word of that length starts with it (lengths of 63 and more share bit 63).
pub(crate) struct WordShapes([u64; 256]);

impl WordShapes {
    /// The shapes of `words`.
    pub(crate) fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> WordShapes {
        let mut shapes = [0u64; 256];
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                shapes[usize::from(b)] |= 1 << w.len().min(63);
            }
        }
        WordShapes(shapes)
    }

    /// False when `w` is certainly not one of the words; true when it may
    /// be (the empty word always may be).
    pub(crate) fn may_contain(&self, w: &str) -> bool {
        w.as_bytes()
            .first()
            .is_none_or(|&b| self.0[usize::from(b)] & (1 << w.len().min(63)) != 0)
    }
}

/// [`WORD_CLASSES`] read by a word's [`shape`] (its length and its first,
/// middle and last bytes, in one number), which the cues keep for every
/// token of a post: the words' lists are found with no branch on the
/// word for most words, and no read of its text.
///
/// A shape of three bytes or fewer is the word itself: those words (the
/// common ones, "he", "his", "her", "my", "our", "who") are kept in a
/// table indexed by a perfect hash of the shape, and read with no branch.
/// A longer word is looked up in the map only when a bit set for the
/// shapes of the longer listed words (a filter) lets it through, rare.
///
/// (The words were first turned away by filters of their first byte and
/// length and of their first three bytes, then hashed: the short common
/// words passed, a quarter of a post's words, and the branch on the
/// filters' answer went either way from word to word, about ten
/// mispredictions a post.)
struct ShapeClasses {
    /// The multiplier of the hash: one that gives each short word its own
    /// slot (found when the table is made).
    mul: u32,
    /// Per slot, a short word's shape above its classes (`shape << 16 |
    /// classes`); `u64::MAX`, which no shape matches, when empty.
    short: Box<[u64; 256]>,
    /// 4096 bits, one set for the hash of each longer word's shape.
    long: Box<[u64; 64]>,
}

impl ShapeClasses {
    /// The slot of shape `s` in `short` (the top eight bits of its hash)
    /// and its bit in `long` (the twelve below).
    #[inline(always)]
    fn at(&self, s: u32) -> (usize, usize) {
        let h = s.wrapping_mul(self.mul);
        ((h >> 24) as usize, (h >> 12 & 4095) as usize)
    }

    /// The table of `(word, classes)`.
    fn of<'w>(words: impl IntoIterator<Item = (&'w str, u16)> + Clone) -> ShapeClasses {
        // Odd multipliers in turn until one puts each short word in a slot
        // of its own (a few tries: a few dozen words in 256 slots).
        let mut k = 0u32;
        loop {
            k += 1;
            let mut t = ShapeClasses {
                mul: 0x9E37_79B1u32.wrapping_mul(k) | 1,
                short: Box::new([u64::MAX; 256]),
                long: Box::new([0; 64]),
            };
            let mut clash = false;
            for (w, c) in words.clone() {
                let s = shape(w.as_bytes());
                let (slot, bit) = t.at(s);
                if w.len() <= 3 {
                    clash |= t.short[slot] != u64::MAX;
                    t.short[slot] = u64::from(s) << 16 | u64::from(c);
                } else {
                    t.long[bit / 64] |= 1 << (bit % 64);
                }
            }
            if !clash {
                return t;
            }
        }
    }
}

/// The table of [`WORD_CLASSES`] by shape.
static WORD_CLASS_SHAPES: LazyLock<ShapeClasses> =
    LazyLock::new(|| ShapeClasses::of(WORD_CLASSES.iter().map(|(&w, &c)| (w, c))));

/// The tables [`word_class`] reads, dereferenced once per post rather
/// than once per word.
struct WordClassTables {
    shapes: &'static ShapeClasses,
    classes: &'static HashMap<&'static str, u16>,
}

impl WordClassTables {
    fn get() -> WordClassTables {
        WordClassTables {
            shapes: &WORD_CLASS_SHAPES,
            classes: &WORD_CLASSES,
        }
    }
}

/// The lists of [`WORD_CLASSES`] that the word `w()`, whose [`shape`] is
/// `s`, is in. Inlined into the one loop that calls it for every word: a
/// call would cost more than the tests, which answer for most words
/// without reading the word (`w` is called only for a longer word that
/// the filter lets through).
#[inline(always)]
fn word_class<'w>(s: u32, w: impl FnOnce() -> &'w str, t: &WordClassTables) -> u16 {
    let (slot, bit) = t.shapes.at(s);
    // A short word's classes, by arithmetic: the slot's shape is compared
    // with the word's, a match keeps its classes, any other word gets
    // none (a longer word never matches: its shape holds its length).
    let e = t.shapes.short[slot];
    let short = (e as u16) & 0u16.wrapping_sub(u16::from(e >> 16 == u64::from(s)));
    // A longer word's bit, and'ed with its length test as numbers and
    // passed through `black_box`, so that the compiler keeps one branch
    // (with `bool`s it split the test into one per answer, each
    // mispredicted as words vary).
    let long = u64::from(s >> 24 > 3) & (t.shapes.long[bit / 64] >> (bit % 64));
    if std::hint::black_box(long & 1) == 0 {
        return short;
    }
    t.classes.get(w()).copied().unwrap_or(0)
}

/// The [`class::ANIMAL`] bit of token `t` when it is a possessive word
/// (`cat's`), read without its `'s`; its bit `c` otherwise. Asked only of
/// a token the cues say may be one (rare), and kept out of line: inlined,
/// its look-up made the compiler lay out the loop over every token
/// around it.
#[cold]
#[inline(never)]
fn possessive_animal(t: &Token, c: u16, tables: &WordClassTables) -> u16 {
    let w = t.norm.as_str();
    if !possessive(w.as_bytes()) {
        return c & class::ANIMAL;
    }
    let base = w.get(..w.len() - 2).unwrap_or(w);
    word_class(shape(base.as_bytes()), || base, tables) & class::ANIMAL
}

/// The classes a token that is not a word can have: only those of the
/// single-word tests that the passes of [`patient_context`] make on any
/// token (a token of another kind keeps its `#`, `@`, digits or
/// punctuation, so it has none in practice; they are kept to keep the
/// answer the same).
const OTHER_CLASSES: u16 = class::PLURAL | class::WHO | class::OWN;

/// True when `w` ends with `'s`. Its last two bytes are compared as one
/// number, with no test of its length: `ends_with` tested that the word
/// has two bytes (not so for punctuation, which alternates with words)
/// and compared the bytes one at a time. A one-byte word reads its byte
/// twice, which is never `'s`.
fn possessive(w: &[u8]) -> bool {
    let Some(last) = w.len().checked_sub(1) else {
        return false;
    };
    u16::from_le_bytes([w[last.saturating_sub(1)], w[last]]) == u16::from_le_bytes(*b"'s")
}

fn patient_context(
    a: &Analysis<'_>,
    token_cues: &Cues,
    h: Haystack<'_>,
    reply: Option<&Analysis<'_>>,
    occupations: &[LexMatch<'_, ()>],
    identifiers: &[Identifier],
    ages: &[Age],
) -> PatientContext {
    let matches = NARRATIVE.find_all(a);
    let n = a.tokens.len();
    // One pass over the tokens looks each word up once in the word lists
    // the passes below test it against. Each of those passes needs a word
    // of one of the lists or a number, so it walks `listed` (the tokens in
    // some list, or numbers: a few of a post's tokens) instead of every
    // token, and is skipped when no token is in its lists (`present`).
    // The same pass tells whether a hashtag is a clinical one.
    let mut scratch = SCRATCH.with(Cell::take);
    let Scratch {
        classes,
        listed,
        marks,
        cues,
        referents,
    } = &mut scratch;
    classes.clear();
    listed.clear();
    cues.clear();
    referents.clear();
    let mut present = 0;
    let mut clinical = false;
    let tables = WordClassTables::get();
    listed.resize(n, 0);
    let mut count = 0;
    // The kind of a token flips from one token to the next: every token is
    // looked up the same way and its kind only picks, by arithmetic, which
    // classes it keeps (a branch on the kind would be mispredicted often).
    for (i, t) in a.tokens.iter().enumerate() {
        let is_word = t.kind == TokenKind::Word;
        // The shape and the base's length the cues keep for the token
        // (those of its norm): its text is read only in the rare cases
        // below, not for every token (a read of a token's text first
        // tests whether the string is kept inline, a branch mispredicted
        // at the long tokens, the web addresses).
        let tc = token_cues.at(i);
        let c = word_class(tc.shape, || t.norm.as_str(), &tables);
        // The animal test is on the word without a possessive (rare): a
        // word that ends with `'s` has a base two bytes shorter than
        // itself, which the cues tell from its shape's length (exact
        // under 255 bytes; a longer word is tested on its text).
        let len = tc.shape >> 24;
        let animal = if (len.wrapping_sub(tc.base_len) == 2) | (len >= 255) {
            possessive_animal(t, c, &tables)
        } else {
            c & class::ANIMAL
        };
        let keep = if is_word { u16::MAX } else { OTHER_CLASSES };
        let number = u16::from(t.kind == TokenKind::Number) * class::NUMBER;
        let c = (((c & !class::ANIMAL) | animal) & keep) | number;
        if t.kind == TokenKind::Hashtag && !clinical {
            clinical = clinical_hashtag(&t.norm);
        }
        // Every token is written at the end of `listed`, which grows only
        // for a listed one: no branch on the class.
        listed[count] = i as u32;
        count += usize::from(c != 0);
        present |= c;
        classes.push(c);
    }
    listed.truncate(count);
    let (classes, listed) = (&classes[..], &listed[..]);
    let (cues, referents) = (&mut *cues, &mut *referents);
    let class_at = |i: usize| classes[i];
    // The tokens in one of the lists `bits`, in text order.
    // A pass over a list no token is in (most passes, on most posts) walks
    // nothing: one branch, taken the same way post after post, instead of
    // a test of each listed token.
    let listed_in = move |bits: u16| {
        let listed = if present & bits != 0 { listed } else { &[][..] };
        listed
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| classes[i] & bits != 0)
    };
    let word = |i: usize| a.tokens.get(i).map_or("", |t| t.norm.as_str());

    // What each token says about who a pronoun near it stands for.
    marks.clear();
    marks.resize(n, Mark::None);
    let marks: &mut [Mark] = &mut marks[..];
    let mark = |first: usize, end: usize, m: Mark, marks: &mut [Mark]| {
        for x in marks.iter_mut().take(end.min(n)).skip(first) {
            *x = m;
        }
    };

    // Clinical context anywhere in the post (a clinical hashtag was looked
    // for above).
    for m in CLINICAL_TERMS.each(a) {
        if *m.value == Term::Staff {
            mark(m.first, m.end, Mark::Staff, marks);
            continue;
        }
        let supported = *m.value == Term::Strong
            || a.tokens.get(m.end).is_some_and(|t| t.kind == TokenKind::Number)
            || m.first.checked_sub(1).is_some_and(|p| {
                matches!(word(p), "the" | "in" | "our" | "on" | "at" | "from" | "into")
                    || (word(p).ends_with("'s") && a.tokens[p].kind == TokenKind::Word)
            });
        if supported {
            clinical = true;
            cues.push(Cue {
                span: m.span,
                first: m.first,
                role: Role::Clinical,
            });
        }
    }

    let mut mentions = Vec::new();

    for m in &matches {
        let role = *m.value;
        match role {
            Role::Patient | Role::Person | Role::Label => {
                if role == Role::Patient {
                    mentions.push(m.span);
                }
                // "my girl" is the author's family; "your nan" (advice
                // to a reader) is the reader's, no patient either.
                let own = m
                    .first
                    .checked_sub(1)
                    .is_some_and(|p| matches!(word(p), "my" | "our" | "your") && role == Role::Person);
                mark(m.first, m.end, if own { Mark::Family } else { Mark::Person }, marks);
                if let Some(r) = noun_referent(a, m.first, m.end, role) {
                    if role != Role::Patient {
                        mentions.push(m.span);
                    }
                    referents.push(r);
                }
            }
            Role::Staff | Role::Public => mark(m.first, m.end, Mark::Staff, marks),
            Role::Family => mark(m.first, m.end, Mark::Family, marks),
            Role::Insult => mark(m.first, m.end, Mark::Person, marks),
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
            Role::Clinical => {
                clinical = true;
                cues.push(Cue {
                    span: m.span,
                    first: m.first,
                    role,
                });
            }
            _ => {}
        }
    }
    // An occupation or role noun with a determiner is one person ("the
    // Year 12 captain", "the cyclist"); after a care event, also with a
    // possessive ("delivered a baby for our local principal").
    for m in occupations {
        if marks.get(m.first).is_some_and(|&k| k == Mark::Staff) {
            continue;
        }
        let s = sentence(a, m.first);
        let care_before = cues.iter().any(|c| {
            c.role == Role::Event && c.first < m.first && m.first - c.first <= 10 && sentence(a, c.first) == s
        });
        let Some(mut r) = noun_referent(a, m.first, m.end, Role::Label) else {
            continue;
        };
        let determined = r.first < m.first && matches!(word(r.first), "a" | "an" | "the" | "this" | "that" | "another");
        if care_before || determined {
            mark(m.first, m.end, Mark::Person, marks);
            r.strength = 1;
            r.reason = "a person by occupation";
            referents.push(r);
        }
    }
    for i in listed_in(class::ANIMAL) {
        marks[i] = Mark::Family;
    }
    // Plural patient words are mentions too ("patients tell us"); "one of
    // my clinic patients" is one person.
    for i in listed_in(class::PLURAL) {
        if !a.quoted[i] {
            mentions.push(a.tokens[i].span);
            if let Some(r) = one_of_my(a, i) {
                referents.push(r);
            }
        }
    }

    // Names of people: a referent unless a colleague's (a staff role or
    // title near the name, or the same name so introduced elsewhere) or a
    // quotation's signature.
    let mut staff_names: Vec<&str> = Vec::new();
    let mut names: Vec<(usize, usize, Span)> = Vec::new();
    for id in identifiers.iter().filter(|id| id.kind == Kind::Name) {
        let (Some(first), Some(last)) = (token_at(a, id.span.start), token_at(a, id.span.end.saturating_sub(1))) else {
            continue;
        };
        if a.quoted[first] || id.reason.contains("signature") {
            continue;
        }
        // A colleague's name, or a public figure's (`Sir Chris Hoy ...
        // his diagnosis`): a pronoun after it is not the author's patient.
        let staff = id.reason.contains("professional")
            || id.reason == "public figure"
            || id.reason == "job title and name"
            || near_mark(a, marks, first, last + 1, 4, 6, Mark::Staff)
            || staff_names.contains(&a.token_text(first));
        if staff {
            staff_names.push(a.token_text(first));
            mark(first, last + 1, Mark::Staff, marks);
        } else {
            names.push((first, last + 1, id.span));
        }
    }
    for (first, end, span) in names {
        if staff_names.contains(&a.token_text(first)) {
            mark(first, end, Mark::Staff, marks);
            continue;
        }
        mark(first, end, Mark::Person, marks);
        referents.push(Referent {
            span,
            first,
            end,
            strength: 1,
            reason: "a person's name",
            back: false,
        });
    }
    // "Tadeusz Wiśniewski, who finally left our ICU": capitalised words
    // before ", who" are a person, whether or not the name detector knows
    // the name.
    for i in listed_in(class::WHO) {
        if i < 2 || a.token_text(i - 1) != "," {
            continue;
        }
        let mut k = i - 1;
        let mut count = 0;
        while k > 0 && count < 3 {
            let t = &a.tokens[k - 1];
            if t.kind == TokenKind::Word && t.case == Case::Title && !NOT_PLACE.contains(&a.token_text(k - 1)) {
                k -= 1;
                count += 1;
            } else {
                break;
            }
        }
        let sentence_start = a.sentences.get(sentence(a, i)).map_or(0, |s| s.tokens.start);
        if count == 0 || (count == 1 && k == sentence_start) || a.quoted[k] {
            continue;
        }
        if marks[k..i - 1].contains(&Mark::Staff) || near_mark(a, marks, k, i - 1, 4, 6, Mark::Staff) {
            continue;
        }
        mark(k, i - 1, Mark::Person, marks);
        referents.push(Referent {
            span: a.tokens_span(k..i - 1),
            first: k,
            end: i - 1,
            strength: 1,
            reason: "a person's name",
            back: false,
        });
    }
    // A record number ("MRN 00482913") is one patient.
    for id in identifiers.iter().filter(|id| id.kind == Kind::Id) {
        let (Some(first), Some(last)) = (token_at(a, id.span.start), token_at(a, id.span.end.saturating_sub(1))) else {
            continue;
        };
        let health_number = ["record", "NHS", "Medicare", "health", "hospital", "MRN"]
            .iter()
            .any(|k| id.reason.contains(k));
        if a.quoted[first] || !health_number {
            continue;
        }
        referents.push(Referent {
            span: id.span,
            first,
            end: last + 1,
            strength: 2,
            reason: "a record number",
            back: false,
        });
    }

    // Ages ("a 45-year-old", "19 yr old", "23F", "in her eighties").
    let mut age_spans: Vec<Span> = AGE.find_iter(h).map(|m| Span::new(m.start(), m.end())).collect();
    let words_from = age_spans.len();
    if may_hold_age_in_words(a, &h) {
        age_spans.extend(AGE_IN_WORDS.find_iter(h).map(|m| Span::new(m.start(), m.end())));
    } else {
        debug_assert_eq!(AGE_IN_WORDS.find_iter(h).count(), 0, "{}", a.text);
    }
    if age_spans.len() > words_from && words_from > 0 {
        // In text order, as the one pattern found them.
        age_spans.sort_by_key(|s| s.start);
    }
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
        // "people aged 50 and over", "adults aged 45 to 74": an age band.
        if matches!(
            prev,
            Some(
                "people"
                    | "adults"
                    | "children"
                    | "kids"
                    | "patients"
                    | "women"
                    | "men"
                    | "those"
                    | "anyone"
                    | "everyone"
                    | "over"
                    | "under"
                    | "australians"
                    | "americans"
            )
        ) || a.next_word(last).is_some_and(|k| {
            matches!(word(k), "and" | "or" | "to")
                && a.next_word(k).is_some_and(|j| {
                    matches!(word(j), "over" | "older" | "above" | "under" | "up")
                        || a.tokens[j].kind == TokenKind::Number
                })
        }) {
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
        mark(start, end, Mark::Person, marks);
        referents.push(Referent {
            span: a.tokens_span(start..end),
            first: start,
            end,
            strength: 2,
            reason: "an age",
            back: false,
        });
    }

    // "Mrs Eleanor Voss".
    for m in &mut HONORIFIC_NAME.find_iter(h) {
        let (Some(first), Some(last)) = (token_at(a, m.start()), token_at(a, m.end().saturating_sub(1))) else {
            continue;
        };
        mark(first, last + 1, Mark::Person, marks);
        referents.push(Referent {
            span: Span::new(m.start(), m.end()),
            first,
            end: last + 1,
            strength: 1,
            reason: "a person's name",
            back: false,
        });
    }

    // Beds and bays with a number ("in bay 4", "side room 3"); a room
    // whose number is the subject of a sentence about its occupant
    // ("Room 14 is a total crock"); a bare room number after a named
    // person ("Mr. Alvarez in 412 who..."). Each needs a number token.
    // Only a number, a bed word or "room" can start one.
    for i in listed_in(if present & class::NUMBER != 0 {
        class::NUMBER | class::BED | class::ROOM
    } else {
        0
    }) {
        let t = &a.tokens[i];
        if a.quoted[i] {
            continue;
        }
        if t.kind == TokenKind::Number
            && i >= 2
            && word(i - 1) == "in"
            && (1..=4).contains(&t.norm.len())
            && t.norm.bytes().all(|b| b.is_ascii_digit())
            && marks[i - 2] == Mark::Person
            && a.tokens
                .get(i + 1)
                .is_none_or(|x| x.kind != TokenKind::Word || !x.space_before || word(i + 1) == "who")
            && a.next_word(i)
                .is_some_and(|k| matches!(word(k), "who" | "is" | "has" | "keeps"))
        {
            clinical = true;
            mentions.push(t.span);
            referents.push(Referent {
                span: t.span,
                first: i,
                end: i + 1,
                strength: 2,
                reason: REASON_BED,
                back: false,
            });
            continue;
        }
        if t.kind != TokenKind::Word {
            continue;
        }
        let w = t.norm.as_str();
        let side_room = w == "room" && i > 0 && word(i - 1) == "side";
        let occupant_room = w == "room"
            && !side_room
            && a.tokens.get(i + 1).is_some_and(|x| x.kind == TokenKind::Number)
            && a.next_word(i + 1).is_some_and(|k| {
                sentence(a, k) == sentence(a, i)
                    && OCCUPANT_VERBS.contains(&word(k))
                    && a.next_word(k).is_none_or(|j| !ROOM_STATES.contains(&word(j)))
            })
            && a.prev_word(i)
                .is_none_or(|p| !matches!(word(p), "in" | "to" | "at" | "into" | "meeting" | "seminar"));
        let bed = class_at(i) & class::BED != 0 || side_room || occupant_room;
        if bed && a.tokens.get(i + 1).is_some_and(|x| x.kind == TokenKind::Number) {
            let start = if side_room { i - 1 } else { i };
            clinical = true;
            mentions.push(a.tokens_span(start..i + 2));
            referents.push(Referent {
                span: a.tokens_span(start..i + 2),
                first: start,
                end: i + 2,
                strength: 2,
                reason: REASON_BED,
                back: false,
            });
        }
    }

    // "this CT from tonight's trauma call", "today's X-ray": one
    // patient's image, shown with when it was taken.
    for i in listed_in(class::SCAN | class::RAY) {
        if a.quoted[i] || a.tokens[i].kind != TokenKind::Word {
            continue;
        }
        // "X-ray" may come as three tokens.
        let split_xray = class_at(i) & class::RAY != 0 && i >= 2 && a.token_text(i - 1) == "-" && word(i - 2) == "x";
        if class_at(i) & class::SCAN == 0 && !split_xray {
            continue;
        }
        let start = if split_xray { i - 2 } else { i };
        let Some(p) = a.prev_word(start) else { continue };
        let timed_det = matches!(
            word(p),
            "today's" | "tonight's" | "morning's" | "night's" | "yesterday's"
        );
        let this = matches!(word(p), "this" | "that");
        if !(timed_det || this) {
            continue;
        }
        if a.next_word(i).is_some_and(|k| {
            sentence(a, k) == sentence(a, i) && a.tokens[k].space_before && SCAN_NOT_PATIENT.contains(&word(k))
        }) {
            continue;
        }
        let s = sentence(a, i);
        let timed = timed_det
            || a.sentences.get(s).is_some_and(|st| {
                st.tokens.clone().any(|k| {
                    matches!(
                        word(k),
                        "today" | "tonight" | "tonight's" | "today's" | "yesterday" | "night's" | "morning's"
                    )
                })
            });
        if !timed {
            continue;
        }
        clinical = true;
        mentions.push(a.tokens_span(start..i + 1));
        referents.push(Referent {
            span: a.tokens_span(start..i + 1),
            first: start,
            end: i + 1,
            strength: 2,
            reason: "one patient's scan or trace",
            back: false,
        });
    }

    // "our Elsie at Rosewood Lodge": a first name the author calls
    // theirs, at a named care home, is one of its residents.
    for i in listed_in(class::OWN).take_while(|&i| i < n.saturating_sub(3)) {
        if a.quoted[i] {
            continue;
        }
        // "our resident Winifred Hale at Elmbank Care Home".
        let resident = matches!(word(i + 1), "resident" | "residents");
        let name = if resident { i + 2 } else { i + 1 };
        let title = |k: usize| {
            a.tokens
                .get(k)
                .is_some_and(|t| t.kind == TokenKind::Word && t.case == Case::Title)
        };
        if !title(name) || (!resident && marks[name] != Mark::None) || NOT_PLACE.contains(&a.token_text(name)) {
            continue;
        }
        let name_end = if resident && title(name + 1) && matches!(word(name + 2), "at" | "from" | "in") {
            name + 2
        } else {
            name + 1
        };
        if !matches!(word(name_end), "at" | "from" | "in") {
            continue;
        }
        let name = name_end - 1;
        let mut k = name + 2;
        let mut home = false;
        while k < n && k < name + 6 && a.tokens[k].kind == TokenKind::Word && a.tokens[k].case == Case::Title {
            if CARE_HOME_WORDS.contains(&word(k)) && k > name + 2 {
                home = true;
            }
            k += 1;
        }
        if home {
            clinical = true;
            mark(i + 1, name + 1, Mark::Person, marks);
            mentions.push(a.tokens_span(i..name + 1));
            referents.push(Referent {
                span: a.tokens_span(i..name + 1),
                first: i,
                end: name + 1,
                strength: 2,
                reason: "a care home's resident",
                back: false,
            });
        }
    }
    // "Dad's 65th birthday" opening a sentence is the author's own family.
    // A post without any kinship word (most) skips the sentences.
    let sentences = if present & class::KIN != 0 {
        &a.sentences[..]
    } else {
        &[]
    };
    for s in sentences {
        if let Some(k) = s.tokens.clone().find(|&k| a.tokens[k].is_wordlike())
            && OWN_KIN.contains(&word(k))
            && a.tokens[k].case == Case::Title
            && word(k + 1) != "of"
        {
            marks[k] = Mark::Family;
        }
    }

    // Pronouns: he, she, him, her stand for a person. The nearest
    // person-like word before one says who: a colleague or the author's
    // family is not a patient; a patient or no one named is.
    let mut pronouns = 0;
    let mut last_sentence = usize::MAX;
    for i in listed_in(class::PRONOUN) {
        if pronouns >= MAX_REFERENTS {
            break;
        }
        if a.tokens[i].kind != TokenKind::Word || a.quoted[i] {
            continue;
        }
        if generic_before(a, i) {
            continue;
        }
        let antecedent = (i.saturating_sub(ANTECEDENT_WINDOW)..i)
            .rev()
            .map(|k| marks[k])
            .find(|&m| m != Mark::None)
            .unwrap_or(Mark::None);
        if matches!(antecedent, Mark::Staff | Mark::Family) {
            continue;
        }
        if SUBJECT_PRONOUNS.contains(&word(i)) {
            cues.push(Cue {
                span: a.tokens[i].span,
                first: i,
                role: Role::Pronoun,
            });
        }
        let s = sentence(a, i);
        if s == last_sentence {
            continue;
        }
        last_sentence = s;
        pronouns += 1;
        referents.push(Referent {
            span: a.tokens[i].span,
            first: i,
            end: i + 1,
            strength: 1,
            reason: REASON_PRONOUN,
            back: true,
        });
    }

    // The cues below (personal details, clock times) are read only to
    // judge a referent: a post without one (most posts) skips them. They
    // come after the pronouns' cues; the order of cues of different roles
    // at one token changes no answer of `judge`.
    if !referents.is_empty() {
        // Personal details near a referent: names, dates, record numbers,
        // addresses and ages found by the detectors, and ages stated after a
        // verb ("is 103", "at 95").
        for id in identifiers {
            if matches!(id.kind, Kind::Name | Kind::Date | Kind::Id | Kind::Address | Kind::Age)
                && let Some(first) = token_at(a, id.span.start)
                && !a.quoted[first]
                && marks[first] != Mark::Staff
            {
                cues.push(Cue {
                    span: id.span,
                    first,
                    role: Role::Detail,
                });
            }
        }
        for g in ages {
            if let Some(first) = token_at(a, g.span.start)
                && !a.quoted[first]
            {
                cues.push(Cue {
                    span: g.span,
                    first,
                    role: Role::Detail,
                });
            }
        }
        for i in listed_in(class::NUMBER) {
            let t = &a.tokens[i];
            if a.quoted[i] || i == 0 || !AGE_VERBS.contains(&word(i - 1)) {
                continue;
            }
            let value = t.norm.parse::<u32>().unwrap_or(0);
            let next = a.tokens.get(i + 1);
            // "at 95." ends a clause; "at 10:30", "at 10am", "at 38 minutes"
            // do not give an age.
            let clause_end = next.is_none_or(|x| {
                x.kind == TokenKind::Emoji
                    || (x.kind == TokenKind::Punct && matches!(a.token_text(i + 1), "." | "," | "!" | ";" | ")"))
            });
            let after_copula = word(i - 1) != "at"
                && next.is_none_or(|x| {
                    x.kind != TokenKind::Word
                        || matches!(x.norm.as_str(), "and" | "today" | "this" | "now" | "but" | "years")
                });
            if (10..=115).contains(&value) && (clause_end || after_copula) {
                cues.push(Cue {
                    span: a.tokens_span(i - 1..i + 1),
                    first: i - 1,
                    role: Role::Detail,
                });
            }
        }

        // Clock times ("at 3am") are time cues.
        for m in &mut CLOCK_TIME.find_iter(h) {
            if let Some(first) = token_at(a, m.start()) {
                cues.push(Cue {
                    span: Span::new(m.start(), m.end()),
                    first,
                    role: Role::Time,
                });
            }
        }
    }
    cues.sort_by_key(|c| c.first);
    referents.sort_by_key(|r| r.first);
    // One patient named as such ("New patient today whose...") is care.
    clinical |= referents.iter().any(|r| r.reason == "a patient");

    let mut case = None;
    // A post with hundreds of referents is not a social-media post; the
    // cap keeps a pathological input linear.
    for r in referents.iter().take(MAX_REFERENTS) {
        if let Some(c) = judge(a, r, cues, clinical, marks) {
            case = Some(c);
            break;
        }
    }
    if case.is_none() {
        case = reply_confirmation(a, reply, &matches);
    }
    mentions.sort_by_key(|s| s.start);
    mentions.dedup();
    SCRATCH.with(|s| s.set(scratch));
    PatientContext {
        mentions,
        case,
        clinical,
    }
}

/// The working vectors of [`patient_context`], kept per thread from one
/// post to the next so that a post allocates none of them.
#[derive(Default)]
struct Scratch {
    classes: Vec<u16>,
    listed: Vec<u32>,
    marks: Vec<Mark>,
    cues: Vec<Cue>,
    referents: Vec<Referent>,
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

/// Whether a token marked `m` is within `before` words before `first` or
/// `after` words after `end`, in the same sentence ("our new sports
/// physio Tom", "Tom, our new sports physio", "Anna, who returns to our
/// ICU team").
fn near_mark(a: &Analysis<'_>, marks: &[Mark], first: usize, end: usize, before: usize, after: usize, m: Mark) -> bool {
    let s = sentence(a, first);
    let mut k = Some(first);
    for _ in 0..before {
        k = k.and_then(|k| a.prev_word(k));
        match k {
            Some(p) if sentence(a, p) == s && marks[p] == m => return true,
            Some(p) if sentence(a, p) == s => {}
            _ => break,
        }
    }
    let mut k = Some(end.saturating_sub(1));
    for _ in 0..after {
        k = k.and_then(|k| a.next_word(k));
        match k {
            Some(p) if sentence(a, p) == s && marks[p] == m => return true,
            Some(p) if sentence(a, p) == s => {}
            _ => break,
        }
    }
    false
}

/// "one of my clinic patients": one patient, out of the author's own.
fn one_of_my(a: &Analysis<'_>, i: usize) -> Option<Referent> {
    let mut k = a.prev_word(i)?;
    // Up to two modifiers ("clinic", "long-term").
    for _ in 0..2 {
        if matches!(a.tokens[k].norm.as_str(), "my" | "our") {
            break;
        }
        k = a.prev_word(k)?;
    }
    if !matches!(a.tokens[k].norm.as_str(), "my" | "our") {
        return None;
    }
    let of = a.prev_word(k)?;
    let one = a.prev_word(of)?;
    (a.tokens[of].norm == "of" && a.tokens[one].norm == "one").then(|| Referent {
        span: a.tokens_span(one..i + 1),
        first: one,
        end: i + 1,
        strength: 2,
        reason: "a patient",
        back: false,
    })
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
        let v = NARRATIVE.each(&Analysis::new(w)).any(|m| *m.value == Role::Compound);
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
    // A question to readers ("What's the one thing a patient said?") is
    // general; a label is always about one patient ("Who else has a bed
    // blocker who...?").
    if role != Role::Label && question_sentence(a, first) {
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
    let prev_is_possessive = a
        .prev_word(first)
        .is_some_and(|p| matches!(word(p), "my" | "our" | "his" | "her" | "your" | "their"));
    // "Dad's 65th birthday": the author's own family opens the sentence.
    // "Proud mum moment": without a determiner, mum and dad are the
    // author or the author's family.
    if det.is_none() && OWN_KIN.contains(&word(first)) && next != "of" {
        return None;
    }
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
        // "New patient today whose...", "Lovely patient this morning
        // who...": an opening patient noun tied to a time or a relative
        // clause is one person.
        None if adjectives_from_start
            && role == Role::Patient
            && matches!(
                next,
                "today" | "yesterday" | "tonight" | "this" | "who" | "whose" | "earlier"
            ) =>
        {
            sentence_start
        }
        // "when we got there for grandpa": a kinship word used as a name.
        None if role == Role::Person
            && BARE_KIN.contains(&word(first))
            && a.tokens[first].case == Case::Lower
            && !prev_is_possessive =>
        {
            first
        }
        None => return None,
    };
    let strength = match role {
        Role::Patient | Role::Label => 2,
        _ => 1,
    };
    let reason = match role {
        Role::Patient => "a patient",
        Role::Label => REASON_LABEL,
        _ => "a person",
    };
    Some(Referent {
        span: a.tokens_span(start..end),
        first: start,
        end,
        strength,
        reason,
        back: false,
    })
}

/// True if the word right after the referent (or after "who") is a past
/// tense verb ("this gentleman swallowed", "Customer asked").
fn past_verb_after(a: &Analysis<'_>, r: &Referent) -> Option<usize> {
    let mut i = a.next_word(r.end.saturating_sub(1))?;
    if a.sentence_of.get(i) != a.sentence_of.get(r.first) {
        return None;
    }
    let who = a.tokens[i].norm == "who";
    // Over a few auxiliaries and adverbs: "who hadn't smiled", "who had
    // finally walked".
    for _ in 0..3 {
        if !matches!(
            a.tokens[i].norm.as_str(),
            "who"
                | "had"
                | "has"
                | "hadn't"
                | "hasn't"
                | "not"
                | "never"
                | "finally"
                | "just"
                | "then"
                | "actually"
                | "literally"
        ) {
            break;
        }
        i = a.next_word(i)?;
    }
    let w = a.tokens[i].norm.as_str();
    let word = a.tokens[i].kind == TokenKind::Word;
    let regular = w.len() > 4 && w.ends_with("ed") && word;
    // What a labelled patient does, told in the present ("a bed blocker
    // who refuses every care home").
    let habit = who && r.reason == REASON_LABEL && word && w.len() > 3 && w.ends_with('s') && !w.ends_with("ss");
    (regular || habit || PAST_IRREGULAR_SHAPES.may_contain(w) && PAST_IRREGULAR.contains(&w)).then_some(i)
}

fn judge(a: &Analysis<'_>, r: &Referent, cues: &[Cue], clinical: bool, marks: &[Mark]) -> Option<PatientCase> {
    let s = sentence(a, r.first);
    // A pronoun's story may be told in the sentence before it ("Swipe for
    // today's CT... He's lucky").
    let from = if r.back { s.saturating_sub(1) } else { s };
    // The four comparisons joined with `&`, not `&&` (cheap and pure):
    // one branch on the answer where the chain was a branch per test,
    // taken or not as the cues fall around the referent.
    let near = |c: &&Cue| {
        let cs = sentence(a, c.first);
        (from <= cs) & (cs <= s + 1) & !((c.first >= r.first) & (c.first < r.end))
    };
    // Cues are sorted by token, so the ones in sentences `from..=s + 1`
    // are one contiguous run: find it by binary search, keeping the whole
    // check linear on long posts.
    let lo = cues.partition_point(|c| sentence(a, c.first) < from);
    let hi = cues.partition_point(|c| sentence(a, c.first) <= s + 1);
    // The near cues, walked again for each question (a few cues) rather
    // than collected into a vector for each referent.
    let run = cues.get(lo..hi).unwrap_or(&[]);
    let near_cues = || run.iter().filter(near);
    let has = |roles: &[Role]| near_cues().find(|c| roles.contains(&c.role));
    let past = past_verb_after(a, r);
    let strong = has(&[Role::Event, Role::CaseFrame, Role::Outcome]);
    let story = has(&[Role::Weak]);
    let time = has(&[Role::Time, Role::Setting]);
    let detail = has(&[Role::Detail]);
    let pronoun = has(&[Role::Pronoun]);
    // Care said near the person, not just somewhere in the post.
    let local_care = has(&[Role::Setting, Role::Clinical]);
    // "idiot in cubicle 4 who...", "the lady in bay 6": someone in that bed.
    let occupied = r.reason == REASON_BED
        && (a.next_word(r.end.saturating_sub(1)).is_some_and(|k| {
            let w = a.tokens[k].norm.as_str();
            sentence(a, k) == s
                && (matches!(w, "who" | "whose")
                    || (OCCUPANT_VERBS.contains(&w)
                        && a.next_word(k).is_none_or(|j| {
                            !ROOM_STATES.contains(&a.tokens[j].norm.as_str())
                                // "bay 6 is our resident frequent flyer":
                                // a label for a person after "our".
                                || (matches!(a.tokens[j].norm.as_str(), "our" | "the")
                                    && (j + 1..(j + 5).min(marks.len())).any(|x| marks[x] == Mark::Person))
                        })))
        }) || a.prev_word(r.first).is_some_and(|p| {
            matches!(a.tokens[p].norm.as_str(), "in" | "on" | "from")
                && a.prev_word(p).is_some_and(|q| marks[q] == Mark::Person)
        }));
    let told = story.is_some() || past.is_some() || time.is_some() || detail.is_some();
    let fires = match r.strength {
        2 => {
            strong.is_some()
                || story.is_some()
                || past.is_some()
                || detail.is_some()
                || pronoun.is_some()
                || occupied
                || (time.is_some() && clinical)
        }
        // A pronoun stands for someone in care only with care near it
        // ("today's CT ... He's lucky"), not with a clinical word
        // anywhere in the post.
        _ if r.back => strong.is_some() || (told && local_care.is_some()),
        _ => strong.is_some() || (told && clinical),
    };
    if !fires {
        return None;
    }
    // The span runs from the referent to the nearest cue after it in the
    // same sentence; a care verb just before the referent ("Saw a 19 yr
    // old girl") starts it instead.
    let before = near_cues().rfind(|c| {
        sentence(a, c.first) == s
            && c.first < r.first
            && r.first - c.first <= 4
            && matches!(c.role, Role::Event | Role::Weak)
    });
    let after = near_cues()
        .filter(|c| sentence(a, c.first) == s && c.first >= r.end && !matches!(c.role, Role::Clinical | Role::Pronoun))
        .map(|c| (c.first, c.span))
        .chain(past.map(|i| (i, a.tokens[i].span)))
        .min_by_key(|(i, _)| *i)
        .map(|(_, sp)| sp);
    let (span, cue) = match (before, after) {
        (Some(b), _) => (b.span.cover(r.span), Some(b.span)),
        (None, Some(c)) => (r.span.cover(c), Some(c)),
        (None, None) => (r.span, strong.or(story).or(time).or(detail).map(|c| c.span)),
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
    let review = || {
        reply.text.contains('⭐') || reply.text.contains('★') || NARRATIVE.each(reply).any(|m| *m.value == Role::Review)
    };
    // A reply to someone telling of their own past care ("Dr Sharma did
    // my root canal", "got me back on the field after my knee op").
    let own_care = || {
        possessed_care(reply, "my").is_some()
            && reply.tokens.iter().any(|t| {
                let w = t.norm.as_str();
                t.kind == TokenKind::Word && (PAST_IRREGULAR.contains(&w) || (w.len() > 4 && w.ends_with("ed")))
            })
    };
    let confirm = matches
        .iter()
        .find(|m| *m.value == Role::Confirm && !a.quoted[m.first])
        .map(|m| m.span);
    // A confirmation counts in a reply to a review or to the teller of
    // their own care; without one, "your 6-month check" confirms it to the
    // teller. The tests of the post come first: most posts have neither,
    // and then the post replied to need not be read.
    let span = match confirm {
        Some(s) if review() || own_care() => s,
        Some(_) => return None,
        None => {
            let span = possessed_care(a, "your")?;
            if !own_care() {
                return None;
            }
            span
        }
    };
    Some(PatientCase {
        span,
        referent: span,
        cue: None,
        reason: "a reply that confirms a reviewer's care",
    })
}

/// "my knee op", "your 6-month check": `owner` followed within three
/// words by a care noun; the span of the phrase.
fn possessed_care(a: &Analysis<'_>, owner: &str) -> Option<Span> {
    for (i, t) in a.tokens.iter().enumerate() {
        if t.norm != owner || a.quoted[i] {
            continue;
        }
        let mut k = i;
        for _ in 0..3 {
            let Some(nx) = a.next_word(k) else { break };
            if sentence(a, nx) != sentence(a, i) {
                break;
            }
            if CARE_NOUNS.contains(&a.tokens[nx].norm.as_str()) {
                return Some(a.tokens_span(i..nx + 1));
            }
            k = nx;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{AGE, AGE_SEX, CLOCK_TIME, WORD_CLASSES, WordClassTables, shape, word_class};
    use crate::phi::pattern::assert_gates_keep_every_match;

    /// [`word_class`] (a table by shape for words of three bytes or
    /// fewer, a filter of shapes and a map for longer ones) gives each
    /// listed word its classes, and none to words of the same lengths and
    /// bytes that are not listed.
    #[test]
    fn word_classes_read_as_listed() {
        let t = WordClassTables::get();
        for (w, &c) in WORD_CLASSES.iter() {
            assert_eq!(word_class(shape(w.as_bytes()), || w, &t), c, "{w}");
        }
        for w in [
            "",
            "h",
            "e",
            "hi",
            "hes",
            "eh",
            "m",
            "y",
            "ou",
            "whom",
            "wh",
            "sh",
            "he'",
            "our ",
            "cats'",
            "x",
            "\u{e9}",
            "\u{e9}t\u{e9}",
            "c",
            "ct ",
            "pt",
            "ray's",
            "a\0",
        ] {
            let c = WORD_CLASSES.get(w).copied().unwrap_or(0);
            assert_eq!(word_class(shape(w.as_bytes()), || w, &t), c, "{w:?}");
        }
    }

    /// The gates of the patterns of ages, ages with a sex and clock times
    /// (bytes around each digit read as numbers) turn away no text where
    /// the pattern as written matches: made-up texts with the words and
    /// the characters the gates test, in both cases, at the text's ends
    /// and in the middle.
    #[test]
    fn digit_gates_keep_every_match() {
        let pieces = [
            "1",
            "45",
            "103",
            "0",
            "80",
            "9",
            " ",
            "  ",
            "-",
            "\u{a0}",
            "\u{2009}",
            "y",
            "yo",
            "y/o",
            "y.o",
            "y.o.",
            "YO",
            "yr",
            "yrs",
            "years",
            "year",
            "month",
            "week",
            "day",
            "old",
            "olds",
            "Old",
            "aged",
            "AGED",
            "Aged",
            "age",
            "saal",
            "SAAL",
            "sal",
            "Sal",
            "varsh",
            "baras",
            "BARAS",
            " ke",
            " ki",
            "s",
            "S",
            "0s",
            "'s",
            "in her ",
            "mid-",
            "M",
            "F",
            "m",
            "f",
            "am",
            "AM",
            "Pm",
            "pm",
            "p",
            "a",
            ":",
            ":3",
            "03:10",
            "(",
            ",",
            ".",
            ";",
            ")",
            "é",
            "😀",
            "x",
            "\n",
            "aged 45",
            "Aged\u{a0}9",
            "AGED  80",
            "45yo",
            "19 yr old",
            "3 y/o",
            "in his 80s",
            "92 saal ke",
            "7 Varsh ki",
            "10:30",
            "3 pm",
            "11AM",
            "23F",
            "45 M",
            "(67 F)",
            " 101M",
        ];
        assert_gates_keep_every_match(&pieces, 50000, &[&AGE, &AGE_SEX, &CLOCK_TIME]);
    }
}
