//! `advice/dosage`: instructions to take, change or stop a medicine or a dose.

use std::sync::LazyLock;

use primum_text::{Analysis, LexMatch, Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::bits::{self, Shapes, TokenSet, Words};
use crate::signals::WordShapes;

declare_rule! {
    /// ## What it checks
    ///
    /// A specific instruction about a medicine: a verb that tells the reader
    /// to take, give, apply, start, double, halve, stop, skip, switch,
    /// come off it or go up or down to a dose ("you can go up to 1g"), at the start of a clause, after a vocative
    /// opening the sentence ("Beta take...", "Madam apply...") or after "you can", "you
    /// should", "you need" or "I'd", with a medicine within a few words
    /// after it (a name or class from `lexicons/medicines.csv`, "your meds",
    /// "the brown one") or, in a reply about a medicine, "it". A verb that
    /// changes a medicine (double, halve, stop, skip, swap) is an
    /// instruction by itself. A verb that gives one (take, apply, start,
    /// get) counts only when a dose or a frequency comes with it ("800 mg",
    /// "15 mg/kg", "twice daily", "thrice daily", "every 4 hours"), or when the post is
    /// addressed to one person (a reply, an opening @mention or "Madam")
    /// and nothing in the sentence sends them to their own clinician:
    /// general self-care ("rest, and take paracetamol for the aches") is
    /// not a dose instruction. A dose with a drug unit ("just take 400mg
    /// three times a day") stands for a medicine the post does not name;
    /// in a reply about a medicine, "take both", "use it" and the like
    /// refer to it (but not "take it easy" or "give it a week"). A
    /// change with a target ("bump the sertraline up to 100") has a dose,
    /// and so does one passed through the reader's clinician ("ask your
    /// GP to bump..."), which is otherwise a redirection. A medicine and
    /// its dose opening a clause addressed to someone, followed by a
    /// verb-final instruction in romanised Hindi/Urdu ("Amlodipine 10 mg
    /// kar do") or by nothing else, is an instruction too.
    /// A bare word for a medicine ("cream",
    /// "drops") needs a determiner ("the cream", "your drops") or a dose.
    /// Negated ("don't stop taking your statin"), quoted and "as
    /// prescribed" instructions are not findings. The finding underlines
    /// the instruction.
    ///
    /// ## Why
    ///
    /// "Don't give medical advice on social media." A dose that is right
    /// for one person can harm another: the writer cannot see the reader's
    /// age, weight, kidneys or other medicines. RCGP Social Media Highway
    /// Code rule 3 (`uk-rcgp-hc-3`) and NMC Code ¶6 (`uk-nmc-code-6`) ask
    /// clinicians not to advise individuals publicly; FSMB 2012
    /// (`us-fsmb-2012`) warns that such advice can begin a clinical
    /// relationship online.
    ///
    /// ## Example
    ///
    /// ```text
    /// Just double your metformin for a week and see if they come down.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Please don't change your dose on your own: your GP practice's
    /// pharmacist can review your metformin this week.
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the dose instruction and point the reader to their own
    /// prescriber or pharmacist. There is no automatic fix.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "advice/dosage",
        fix: Never,
        options: [],
        check: check,
    }
}

/// What a medicine phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MedClass {
    /// A named medicine or class (`metformin`, `statin`).
    Named,
    /// A word for the reader's own medicine (`your meds`, `the inhaler`).
    Form,
    /// A vaccine (`flu jab`).
    Vaccine,
}

/// Medicine names and classes, `lexicons/medicines.csv`.
pub(crate) static MEDICINES: LazyLock<Lexicon<MedClass>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("medicines.csv").into_iter().filter_map(|r| {
        let class = match r.get(1).map(String::as_str) {
            Some("form") => MedClass::Form,
            Some("vaccine") => MedClass::Vaccine,
            Some(_) => MedClass::Named,
            None => return None,
        };
        Some((r.first()?.clone(), class))
    }))
});

/// Dose units and frequencies, rows of `lexicons/advice_markers.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dose {
    Unit,
    Frequency,
}

static DOSE: LazyLock<Lexicon<Dose>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("advice_markers.csv").into_iter().filter_map(|r| {
        let kind = match r.get(1).map(String::as_str) {
            Some("unit") => Dose::Unit,
            Some("frequency") => Dose::Frequency,
            _ => return None,
        };
        Some((r.first()?.clone(), kind))
    }))
});

/// Pointers to one's own clinician (`caveat` rows of
/// `lexicons/advice_markers.csv`): an instruction beside one is education.
pub(crate) static CAVEATS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        crate::lexicon_rows!("advice_markers.csv")
            .into_iter()
            .filter(|r| r.get(1).is_some_and(|k| k == "caveat"))
            .filter_map(|r| r.into_iter().next().map(|p| (p, ()))),
    )
});

/// Verbs that change a medicine or its dose: an instruction even without
/// a number. A closed set of grammar, so it stays in code.
const CHANGE_VERBS: &[&str] = &[
    "double",
    "halve",
    "stop",
    "increase",
    "up",
    "reduce",
    "cut",
    "skip",
    "alternate",
    "switch",
    "swap",
    "drop",
    "ditch",
    "quit",
    "lower",
    "taper",
    "wean",
    "come",
    "bin",
    "bump",
    "raise",
    "go",
];

/// Verbs that give a medicine: an instruction with a dose, a frequency or
/// no pointer to a clinician.
const GIVE_VERBS: &[&str] = &[
    "take", "give", "apply", "use", "start", "try", "pop", "rub", "get", "put", "add", "restart", "need", "needs",
    "spray", "insert", "chew",
];

/// The shapes of [`CHANGE_VERBS`] and [`GIVE_VERBS`], the verbs an
/// instruction starts with.
static VERB_SHAPES: LazyLock<WordShapes> =
    LazyLock::new(|| WordShapes::of(CHANGE_VERBS.iter().chain(GIVE_VERBS).copied()));

/// Change verbs that are instructions only with a particle after them
/// ("come off it", "wean off", "cut down", "up the dose" is covered by
/// the medicine rule).
fn needs_particle(verb: &str) -> Option<&'static [&'static str]> {
    match verb {
        "come" | "wean" => Some(&["off"]),
        "bin" => Some(&["it", "them", "your", "the", "those", "that"]),
        _ => None,
    }
}

/// True when "go" at `i` moves to a dose: "go up to 1g", "go down to
/// two tablets" (not "go up to the ward").
fn goes_to_dose(a: &Analysis<'_>, i: usize) -> bool {
    let word = |k: Option<usize>| k.map(|k| (k, a.tokens[k].norm.as_str()));
    let Some((p, "up" | "down")) = word(a.next_word(i)) else {
        return false;
    };
    let Some((to, "to")) = word(a.next_word(p)) else {
        return false;
    };
    a.next_word(to).is_some_and(|n| {
        let t = &a.tokens[n];
        t.kind == TokenKind::Number
            || t.norm.starts_with(|c: char| c.is_ascii_digit())
            || matches!(t.norm.as_str(), "one" | "two" | "three" | "four" | "six" | "eight")
    })
}

/// Words before "need" that make it an instruction ("you need", "he'll need").
const NEED_SUBJECTS: &[&str] = &[
    "you", "u", "you'll", "youll", "he", "she", "they", "he'll", "she'll", "they'll", "will",
];

/// Determiners that make a bare word for a medicine ("cream", "drops") a
/// particular one ("the cream", "your drops").
const DETERMINERS: &[&str] = &[
    "the", "your", "his", "her", "their", "my", "some", "this", "that", "these", "those", "a", "an", "more", "extra",
];

/// Give verbs that can take a pronoun for a medicine named in the post
/// replied to ("take both today", "use it before the gym"); "give it a
/// week" and "try it" are idioms, so they are left out.
const PRONOUN_GIVE_VERBS: &[&str] = &[
    "take", "pop", "use", "apply", "start", "restart", "chew", "spray", "insert",
];

/// Pronouns that stand for a medicine named in the post replied to.
const MED_PRONOUNS: &[&str] = &["it", "them", "that", "those", "both", "one", "another"];

/// Words after "take it" that make it an idiom ("take it easy", "take
/// them home"), not a dose.
const IDIOM_AFTER_PRONOUN: &[&str] = &[
    "easy",
    "slow",
    "slowly",
    "seriously",
    "personally",
    "back",
    "off",
    "out",
    "away",
    "home",
    "from",
    "there",
    "to",
    "apart",
    "down",
    "up",
    "over",
    "well",
    "in",
    "on",
    "of",
    "as",
    "for",
    "a",
    "the",
    "into",
    "up",
];

/// Dose units precise enough to stand for an unnamed medicine ("just take
/// 400mg three times a day"); grams, millilitres, spoons and drops are
/// also kitchen units, so they do not.
fn drug_unit(unit: &str) -> bool {
    matches!(
        unit,
        "mg" | "mcg" | "mg/kg" | "iu" | "puff" | "puffs" | "tablet" | "tablets" | "tabs" | "pill" | "pills"
    ) || unit.starts_with("microgram")
        || unit.starts_with("milligram")
        || unit.starts_with("capsule")
        || unit.starts_with("sachet")
}

/// Clinicians a reader may be told to ask for a change ("ask your GP to
/// bump the sertraline up to 100").
const CLINICIANS: &[&str] = &[
    "gp",
    "doctor",
    "doc",
    "dr",
    "prescriber",
    "consultant",
    "psychiatrist",
    "pharmacist",
    "nurse",
    "specialist",
    "psych",
    "team",
    "cardiologist",
    "endo",
    "endocrinologist",
    "gynae",
    "obgyn",
];

/// Words of romanised Hindi/Urdu that end a verb-final instruction after a
/// dose ("Amlodipine 10 mg kar do", "Metformin 500 mg le lo"), and
/// connectives that go on to the next instruction.
const AFTER_DOSE_IMPERATIVE: &[&str] = &[
    "kar", "karo", "karein", "karen", "kariye", "lo", "le", "lijiye", "lena", "kha", "khao", "khaiye", "khana",
    "shuru", "start", "badha", "badhao", "badhaiye", "band", "chalu", "continue", "and", "aur", "then", "plus",
    "instead", "now",
];

/// How many tokens after its verb a medicine may start ("take two 500mg
/// paracetamol", "skip your morning gliclazide").
const MED_REACH: usize = 6;

/// Vocatives that open a post addressed to one person.
const VOCATIVES: &[&str] = &[
    "madam", "sir", "maam", "ma'am", "mate", "dear", "hun", "hon", "bro", "sis", "doc", "hi", "hey", "beta", "bhai",
    "bhaiya", "didi", "aunty", "auntie", "uncle",
];

/// Words after "hi"/"hey" that address everyone, not one person.
const EVERYONE: &[&str] = &[
    "all",
    "everyone",
    "everybody",
    "folks",
    "team",
    "guys",
    "friends",
    "colleagues",
    "people",
    "y'all",
    "there",
];

/// True when the post is addressed to one person: a reply, or a post that
/// opens with an @mention or a vocative ("Madam", "Hi" but not "Hi all").
pub(crate) fn addressed(a: &Analysis<'_>, reply: Option<&Analysis<'_>>) -> bool {
    if reply.is_some() {
        return true;
    }
    let Some(t) = a.tokens.first() else { return false };
    if t.kind == TokenKind::Mention {
        return true;
    }
    if t.kind != TokenKind::Word || !VOCATIVES.contains(&t.norm.as_str()) {
        return false;
    }
    let next = a.next_word(0).map(|k| a.tokens[k].norm.as_str());
    !(matches!(t.norm.as_str(), "hi" | "hey" | "dear") && next.is_some_and(|w| EVERYONE.contains(&w)))
}

/// Words after which a verb still reads as an instruction.
const LEAD_INS: &[&str] = &[
    "and", "then", "so", "just", "please", "also", "simply", "or", "now", "first",
];

/// Modal phrases before the verb that make it advice to the reader.
const MODALS: &[&str] = &[
    "can", "could", "should", "must", "need", "to", "i'd", "id", "better", "may", "might",
];

/// Subjects and auxiliaries before "and"/"then"/"just" that make the verb
/// after them a statement ("I just take mine at night"), not an
/// instruction.
const SUBJECTS: &[&str] = &[
    "i",
    "we",
    "you",
    "they",
    "he",
    "she",
    "it",
    "who",
    "people",
    "patients",
    "parents",
    "many",
    "most",
    "some",
    "doctors",
    "nurses",
    "gps",
    "kids",
    "children",
    "someone",
    "everyone",
    "u",
    "i'll",
    "we'll",
    "they'll",
    "he'll",
    "she'll",
    "will",
    "would",
    "could",
    "did",
    "do",
    "does",
    "don't",
    "didn't",
    "often",
    "usually",
    "always",
    "never",
    "sometimes",
    "also",
];

/// Colours of inhalers and tablets, for "the brown one".
const COLOURS: &[&str] = &[
    "brown", "blue", "purple", "red", "green", "orange", "white", "pink", "yellow", "grey",
];

fn is_clause_break(a: &Analysis<'_>, i: usize) -> bool {
    let t = &a.tokens[i];
    matches!(t.kind, TokenKind::Punct) && matches!(t.norm.as_str(), "," | ";" | "." | "!" | "?" | ":" | "(" | ")")
}

/// True when the verb at `i` reads as an instruction to the reader: at the
/// start of a clause, after a lead-in ("and", "just") or after a modal of
/// the second person or of the writer's own opinion ("you can", "I'd").
fn imperative_position(a: &Analysis<'_>, i: usize) -> bool {
    let mut j = i;
    // A linking lead-in ("...fine just double", "...dark room and take")
    // starts a new instruction unless a subject comes before it ("I just
    // take").
    let mut linked = false;
    // Walk back over lead-ins.
    loop {
        if j == 0 || a.sentence_of[j - 1] != a.sentence_of[i] {
            return true;
        }
        let p = &a.tokens[j - 1];
        match p.kind {
            TokenKind::Punct | TokenKind::Emoji | TokenKind::Hashtag | TokenKind::Mention => {
                // A dash opens a clause only as a separator ("tip - take"),
                // not inside a compound ("pick-up").
                return p.kind != TokenKind::Punct || is_clause_break(a, j - 1) || (p.norm == "-" && p.space_before);
            }
            _ => {}
        }
        // A vocative opening the sentence ("Beta take...", "Madam apply...").
        if VOCATIVES.contains(&p.norm.as_str())
            && (j == 1 || a.sentence_of[j - 2] != a.sentence_of[i])
            && !matches!(p.norm.as_str(), "hi" | "hey")
        {
            return true;
        }
        if LEAD_INS.contains(&p.norm.as_str()) {
            linked |= matches!(p.norm.as_str(), "and" | "then" | "just" | "so" | "simply");
            j -= 1;
            continue;
        }
        if linked && !MODALS.contains(&p.norm.as_str()) && !SUBJECTS.contains(&p.norm.as_str()) {
            return true;
        }
        if MODALS.contains(&p.norm.as_str()) {
            // "you can", "you should", "you need to", "I'd", "you'd better".
            let before = a.prev_word(j - 1).map(|k| a.tokens[k].norm.as_str());
            // "ask your GP to bump...": the change is still the writer's.
            if p.norm == "to" && asks_clinician(a, j - 1) {
                return true;
            }
            return p.norm.starts_with("i'd")
                || p.norm == "id"
                || matches!(
                    before,
                    Some("you" | "u" | "ya" | "i'd" | "need" | "better" | "i" | "fine" | "ok" | "okay" | "safe")
                );
        }
        return matches!(p.norm.as_str(), "you'd" | "youd" | "i'd" | "id" | "you'll" | "please");
    }
}

/// True when "to" at `to` follows "ask/get/tell your GP": "ask your GP
/// to bump the sertraline up to 100".
fn asks_clinician(a: &Analysis<'_>, to: usize) -> bool {
    let word = |k: Option<usize>| k.map(|k| a.tokens[k].norm.as_str());
    let Some(c) = a.prev_word(to) else { return false };
    if !CLINICIANS.contains(&a.tokens[c].norm.as_str()) {
        return false;
    }
    let det = a.prev_word(c);
    if !matches!(word(det), Some("your" | "ur" | "the" | "a")) {
        return false;
    }
    matches!(
        word(det.and_then(|d| a.prev_word(d))),
        Some("ask" | "get" | "tell" | "have" | "beg" | "push")
    )
}

/// The end of the clause that starts at token `i`, at most `max` tokens on.
fn clause_end(a: &Analysis<'_>, i: usize, max: usize) -> usize {
    let s = a.sentence_of[i];
    let mut j = i + 1;
    while j < a.tokens.len() && j < i + max && a.sentence_of[j] == s && !is_clause_break(a, j) {
        j += 1;
    }
    j
}

/// A dose given as a number and a unit ("800 mg", "800mg") starting at `j`:
/// the token index after it.
fn number_with_unit(a: &Analysis<'_>, j: usize, units: &[(usize, usize)]) -> Option<usize> {
    let t = &a.tokens[j];
    if t.kind == TokenKind::Number {
        return units.iter().find(|&&(f, _)| f == j + 1).map(|&(_, e)| e);
    }
    // "800mg" as one token.
    if t.kind == TokenKind::Word && t.norm.starts_with(|c: char| c.is_ascii_digit()) {
        let unit = t.norm.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        if matches!(unit, "mg" | "mcg" | "g" | "ml" | "iu" | "mls") {
            return Some(j + 1);
        }
    }
    None
}

/// A number-led frequency ("every 4 hours", "3 times a day", "for 4
/// weeks") around token `j`: the token index after it.
fn numeric_frequency(a: &Analysis<'_>, j: usize) -> Option<usize> {
    let norm = |k: usize| a.tokens.get(k).map_or("", |t| t.norm.as_str());
    let is_num = |k: usize| {
        a.tokens.get(k).is_some_and(|t| {
            t.kind == TokenKind::Number || matches!(t.norm.as_str(), "two" | "three" | "four" | "six" | "few")
        })
    };
    let period = |k: usize| {
        matches!(
            norm(k),
            "hours" | "hour" | "hrs" | "hr" | "h" | "days" | "day" | "weeks" | "week" | "hourly" | "mins" | "minutes"
        )
    };
    match norm(j) {
        "every" | "for" if is_num(j + 1) && period(j + 2) => Some(j + 3),
        "every" if period(j + 1) => Some(j + 2),
        _ if is_num(j) && norm(j + 1) == "times" && matches!(norm(j + 2), "a" | "per" | "daily") => Some(j + 3),
        _ => None,
    }
}

/// One dose instruction: its span and the medicine's text.
pub(crate) struct Instruction {
    pub span: Span,
    pub medicine: String,
    /// The verb changes a medicine (stop, double) rather than giving it.
    pub change: bool,
}

/// Finds the dose instructions in `a`; `reply` is the post replied to,
/// whose medicine lets "double it" count.
/// Whether `a` may hold a medicine that is not a match of [`MEDICINES`]:
/// a colour and a pill word ("the brown one"), or a number with a drug
/// unit ([`number_with_unit`]: a number token before one of `units`, or
/// one word such as "800mg"). A cheap test of the whole post, made when
/// it names no medicine (most posts), so that the search for instruction
/// verbs is skipped.
///
/// The tests on each token are joined with `|` over all of them, with no
/// branch and no early exit (each branch on a token's kind was
/// mispredicted at random); only a post with a pill word then looks for
/// the colour before it.
fn unnamed_medicine_possible(a: &Analysis<'_>, shapes: &Shapes, units: &[(usize, usize)]) -> bool {
    let has_units = !units.is_empty();
    let (mut possible, mut pill) = (false, false);
    for (i, t) in a.tokens.iter().enumerate() {
        // The first byte of the norm: of the folded text, unless the token
        // is obfuscated (its norm is then rebuilt).
        let first = if t.obfuscated {
            t.norm.bytes().next().unwrap_or(0)
        } else {
            bits::first_byte(a, t)
        };
        possible |= (t.kind == TokenKind::Number) & has_units;
        possible |= (t.kind == TokenKind::Word) & first.is_ascii_digit();
        pill |= PILL_WORDS.may_have_key(shapes.key(i));
    }
    possible || pill && unnamed_medicine_by_colour(a, shapes)
}

/// The words that name a pill after a colour ("the brown one").
static PILL_WORDS: Words = Words::new(&["one", "ones", "inhaler", "pill", "pills", "tablet", "tablets"]);

/// [`unnamed_medicine_possible`] as it was written: any number with a
/// unit, word opening with a digit, or pill word after a colour.
fn unnamed_medicine_by_colour(a: &Analysis<'_>, shapes: &Shapes) -> bool {
    a.tokens.iter().enumerate().any(|(k, t)| match t.kind {
        TokenKind::Number => false,
        // The filter first: the `matches!` is a jump on the word's length,
        // whose target went one way or another from token to token.
        _ => {
            PILL_WORDS.may_have_key(shapes.key(k))
                && matches!(
                    t.norm.as_str(),
                    "one" | "ones" | "inhaler" | "pill" | "pills" | "tablet" | "tablets"
                )
                && k > 0
                && COLOURS.contains(&a.tokens[k - 1].norm.as_str())
        }
    })
}

/// `meds` and `caveats` are the matches of [`MEDICINES`] and [`CAVEATS`]
/// in `a`, which `Signals` finds once for every rule that reads them (and
/// `Signals::dose_instructions` keeps the answer for both rules that ask).
pub(crate) fn instructions_with(
    a: &Analysis<'_>,
    reply: Option<&Analysis<'_>>,
    meds: &[LexMatch<'_, MedClass>],
    caveats: &[LexMatch<'_, ()>],
    shapes: &Shapes,
) -> Vec<Instruction> {
    let mut out = Vec::new();
    if a.tokens.is_empty() {
        return out;
    }
    let doses = DOSE.find_all(a);
    let units: Vec<(usize, usize)> = doses
        .iter()
        .filter(|m| *m.value == Dose::Unit)
        .map(|m| (m.first, m.end))
        .collect();
    let reply_has_medicine = reply.is_some_and(|r| MEDICINES.matches(r));
    if meds.is_empty() && !reply_has_medicine && !unnamed_medicine_possible(a, shapes, &units) {
        // Every instruction below names its medicine: a match of
        // `meds`, "it" in a reply about one, or an unnamed one the
        // post cannot hold.
        return out;
    }
    let to_one = addressed(a, reply);
    // Most words are neither kind of verb: one table lookup says so, made
    // for every token with no branch (see [`bits`]); the loop below looks
    // only at the words it lets through, in order, from `i` on.
    let verbs = TokenSet::of(a.tokens.len(), |i| {
        let t = &a.tokens[i];
        (t.kind == TokenKind::Word) & VERB_SHAPES.may_contain(&t.norm)
    });
    let mut i = 0;
    for next in verbs.iter() {
        if next < i {
            continue;
        }
        i = next;
        let t = &a.tokens[i];
        let verb = t.norm.as_str();
        let change = CHANGE_VERBS.contains(&verb);
        // The cheap tests first: most tokens are not an instruction verb,
        // and the position and particle tests (pure) need not run for them.
        let positioned = || {
            if matches!(verb, "need" | "needs") {
                a.prev_word(i)
                    .is_some_and(|k| NEED_SUBJECTS.contains(&a.tokens[k].norm.as_str()))
            } else {
                imperative_position(a, i)
            }
        };
        let particle_ok = || {
            if verb == "go" {
                goes_to_dose(a, i)
            } else {
                needs_particle(verb)
                    .is_none_or(|ps| a.next_word(i).is_some_and(|k| ps.contains(&a.tokens[k].norm.as_str())))
            }
        };
        if t.kind != TokenKind::Word
            || !(change || GIVE_VERBS.contains(&verb))
            || a.quoted[i]
            || a.negated[i]
            || !positioned()
            || !particle_ok()
        {
            i += 1;
            continue;
        }
        let end = clause_end(a, i, 16);
        let reach = end.min(i + 1 + MED_REACH);
        // The medicine: a lexicon match, "the brown one", or "it" in a
        // reply about a medicine.
        let mut med: Option<(usize, usize, bool)> = meds
            .iter()
            .find(|m| m.first > i && m.first < reach && m.end <= end)
            .map(|m| {
                // A bare "cream" or "tablets" is a medicine only with a
                // determiner ("the cream"); "ice cream" is not.
                let bare = *m.value == MedClass::Form
                    && !m.phrase.contains(' ')
                    && !a
                        .prev_word(m.first)
                        .is_some_and(|k| k > i && DETERMINERS.contains(&a.tokens[k].norm.as_str()))
                    && a.prev_word(m.first) != Some(i);
                (m.first, m.end, bare)
            });
        if med.is_none() {
            for k in i + 1..reach.min(end.saturating_sub(1)) {
                if COLOURS.contains(&a.tokens[k].norm.as_str())
                    && matches!(
                        a.tokens[k + 1].norm.as_str(),
                        "one" | "ones" | "inhaler" | "pill" | "pills" | "tablet" | "tablets"
                    )
                {
                    med = Some((k, k + 2, false));
                    break;
                }
            }
        }
        if med.is_none()
            && reply_has_medicine
            && (change || PRONOUN_GIVE_VERBS.contains(&verb))
            && let Some(k) = a
                .next_word(i)
                .map(|k| {
                    // "come off it": the pronoun is after the particle.
                    if needs_particle(verb).is_some() && a.tokens[k].norm == "off" {
                        a.next_word(k).unwrap_or(k)
                    } else {
                        k
                    }
                })
                .filter(|&k| {
                    k < end
                        && MED_PRONOUNS.contains(&a.tokens[k].norm.as_str())
                        && (change
                            || !a
                                .next_word(k)
                                .is_some_and(|n| IDIOM_AFTER_PRONOUN.contains(&a.tokens[n].norm.as_str())))
                })
        {
            med = Some((k, k + 1, false));
        }
        // A dose with a drug unit stands for an unnamed medicine: "just
        // take 400mg three times a day".
        if med.is_none() {
            med = (i + 1..reach).find_map(|j| {
                let e = number_with_unit(a, j, &units)?;
                let unit = a.slice(a.tokens_span(j..e)).to_lowercase();
                let unit = unit.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace());
                (e <= end && drug_unit(unit)).then_some((j, e, false))
            });
        }
        let Some((mf, me, bare)) = med else {
            i += 1;
            continue;
        };
        // Dose and frequency in the clause.
        let mut last = me;
        let mut has_dose = false;
        for m in doses
            .iter()
            .filter(|m| m.first > i && m.end <= end && *m.value == Dose::Frequency)
        {
            has_dose = true;
            last = last.max(m.end);
        }
        for j in i + 1..end {
            if let Some(e) = number_with_unit(a, j, &units).or_else(|| numeric_frequency(a, j))
                && e <= end
            {
                has_dose = true;
                last = last.max(e);
            }
            // A target for a change: "up to 100", "down to 5".
            if change
                && j >= me
                && a.tokens[j].norm == "to"
                && a.tokens.get(j + 1).is_some_and(|t| t.kind == TokenKind::Number)
                && j + 1 < end
            {
                has_dose = true;
                last = last.max(j + 2);
            }
        }
        let sentence = a.sentence_of[i];
        let caveat = caveats.iter().any(|c| a.sentence_of[c.first] == sentence);
        let as_prescribed = caveats
            .iter()
            .any(|c| c.first > i && c.first < end && matches!(c.phrase, "as prescribed" | "as directed"));
        // Changing a medicine is an instruction by itself; giving one needs
        // a dose, or a person it is addressed to.
        let fires = !as_prescribed
            && (!bare || has_dose)
            && if change {
                has_dose || !caveat
            } else {
                has_dose || (to_one && !caveat)
            };
        if fires {
            let span = a.tokens_span(i..last.max(i + 1));
            let medicine = a.slice(a.tokens_span(mf..me)).to_string();
            out.push(Instruction { span, medicine, change });
            i = last.max(i + 1);
        } else {
            i += 1;
        }
    }
    // A dose with no verb that answers a problem or is given to someone:
    // "Migraine? Two 500 mg paracetamol and a can of coke."
    let answers = super::general_without_caveat::problem_opener(a).is_some() || to_one;
    for m in meds.iter().filter(|m| *m.value == MedClass::Named) {
        if a.quoted[m.first] || a.negated[m.first] || out.iter().any(|o| o.span.overlaps(m.span)) {
            continue;
        }
        let s = a.sentence_of[m.first];
        let Some(start) = (m.first.saturating_sub(4)..m.first).find(|&k| {
            a.sentence_of[k] == s
                && (a.tokens[k].kind == TokenKind::Number
                    || matches!(a.tokens[k].norm.as_str(), "one" | "two" | "three"))
                && imperative_position(a, k)
        }) else {
            continue;
        };
        let unit = (start..m.first).any(|j| number_with_unit(a, j, &units).is_some_and(|e| e <= m.first));
        let freq = doses
            .iter()
            .any(|d| *d.value == Dose::Frequency && a.sentence_of[d.first] == s && d.first > m.first);
        if unit && (answers || freq) && !caveats.iter().any(|c| a.sentence_of[c.first] == s) {
            out.push(Instruction {
                span: a.tokens_span(start..m.end),
                medicine: a.slice(m.span).to_string(),
                change: false,
            });
        }
    }
    // A medicine and its dose opening a clause addressed to someone, with
    // nothing after them but an instruction verb (romanised Hindi/Urdu is
    // verb-final) or the next instruction: "Amlodipine 10 mg kar do aur
    // namak kam karo".
    for m in meds.iter().filter(|m| *m.value == MedClass::Named) {
        if !answers
            || a.quoted[m.first]
            || a.negated[m.first]
            || !imperative_position(a, m.first)
            || out.iter().any(|o| o.span.overlaps(m.span))
        {
            continue;
        }
        let Some(j) = a.next_word(m.end.saturating_sub(1)).filter(|&j| j == m.end) else {
            continue;
        };
        let Some(e) = number_with_unit(a, j, &units) else {
            continue;
        };
        let s = a.sentence_of[m.first];
        let ends = a.tokens.get(e).is_none_or(|t| {
            a.sentence_of[e] != s
                || is_clause_break(a, e)
                || AFTER_DOSE_IMPERATIVE.contains(&t.norm.as_str())
                || doses.iter().any(|d| *d.value == Dose::Frequency && d.first == e)
        });
        if ends && !caveats.iter().any(|c| a.sentence_of[c.first] == s) {
            let last = if a.tokens.get(e).is_some_and(|t| {
                a.sentence_of[e] == s && t.kind == TokenKind::Word && AFTER_DOSE_IMPERATIVE.contains(&t.norm.as_str())
            }) {
                e + 1
            } else {
                e
            };
            out.push(Instruction {
                span: a.tokens_span(m.first..last),
                medicine: a.slice(m.span).to_string(),
                change: false,
            });
        }
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for ins in ctx.signals.dose_instructions() {
        let what = if ins.change {
            "instruction to change or stop a medicine"
        } else {
            "instruction to take a medicine"
        };
        out.push(
            Diagnostic::at(ins.span, what)
                .with_help("remove the dose instruction and point the reader to their own prescriber or pharmacist")
                .with_note(format!("medicine: {}", ins.medicine)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_dose_instructions() {
        assert_spans(
            &RULE,
            "Just double your metformin for a week and see.",
            &["double your metformin"],
        );
        assert_spans(
            &RULE,
            "Fever in little ones? Give paracetamol 15 mg/kg every 4 hours and alternate with ibuprofen in between",
            &["Give paracetamol 15 mg/kg every 4 hours", "alternate with ibuprofen"],
        );
        assert_spans(
            &RULE,
            "Madam it is ringworm. Apply clotrimazole cream twice daily for 4 weeks and keep the area dry.",
            &["Apply clotrimazole cream twice daily for 4 weeks"],
        );
        assert_spans(
            &RULE,
            "Take 800mg ibuprofen every 4 hours",
            &["Take 800mg ibuprofen every 4 hours"],
        );
        assert_spans(
            &RULE,
            "Honestly you should stop taking your statin, they're overrated",
            &["stop taking your statin"],
        );
        assert_spans(
            &RULE,
            "If you feel fine you can just stop the brown one, it's only for when you're bad.",
            &["stop the brown one"],
        );
    }

    #[test]
    fn reply_context_lets_it_count() {
        let t = Test::new("Just double it for a week.").reply_to("My metformin isn't working");
        assert_eq!(t.spans(&RULE), ["double it"]);
        assert!(!Test::new("Just double it for a week.").fires(&RULE));
    }

    #[test]
    fn generalises_dose_instructions() {
        // "you need" + a medicine with a dose.
        assert_spans(
            &RULE,
            "Classic Lyme. You need doxycycline 100 mg twice a day for 10 days.",
            &["need doxycycline 100 mg twice a day for 10 days"],
        );
        // An instruction after an "if" clause with no comma, and after "and".
        assert_spans(
            &RULE,
            "If your bloods are fine just double the levothyroxine and recheck in 6 weeks.",
            &["double the levothyroxine"],
        );
        assert_spans(
            &RULE,
            "Lie down in a dark room and take 400 mg ibuprofen at the first sign.",
            &["take 400 mg ibuprofen"],
        );
        // A verbless dose answering a problem.
        assert_spans(
            &RULE,
            "Migraine? Two 500 mg paracetamol and a can of coke, works every time.",
            &["Two 500 mg paracetamol"],
        );
        // "Come off it" in a reply about a medicine.
        let t = Test::new("You're fine to come off it now.").reply_to("Been on sertraline 4 months, can I stop?");
        assert_eq!(t.spans(&RULE), ["come off it"]);
        // Addressed to one person: no dose needed.
        let t = Test::new("Get some aciclovir from the chemist.").reply_to("Painful rash on one side of my back");
        assert_eq!(t.spans(&RULE), ["Get some aciclovir"]);
    }

    #[test]
    fn general_self_care_is_not_a_dose_instruction() {
        // No dose, no frequency, not addressed to anyone.
        assert_silent(
            &RULE,
            "Drink plenty of fluids, rest, and take paracetamol for the aches. If you're no better after a week, contact your GP.",
        );
        assert_silent(&RULE, "Got a cold? Rest, fluids and take ibuprofen if you need it.");
        // A compound ("pick-up") is not a clause break, and "ice cream" is
        // not a medicine.
        assert_silent(&RULE, "First day at school for both 🎒 Pick-up at 3 then ice cream!");
        assert_silent(
            &RULE,
            "I just take mine at night with a glass of milk, 20 mg atorvastatin.",
        );
        assert_silent(
            &RULE,
            "Stopped at the shop for ice cream and plasters on the way home 🍦",
        );
    }

    #[test]
    fn vocative_then_imperative_and_indian_english_frequencies() {
        assert_spans(
            &RULE,
            "Beta take Crocin 500 thrice daily for 3 days.",
            &["take Crocin 500 thrice daily for 3 days"],
        );
        assert_spans(
            &RULE,
            "Sir start amoxicillin 500 thrice a day, finish the course.",
            &["start amoxicillin 500 thrice a day"],
        );
        assert_silent(
            &RULE,
            "Beta, my mum takes her metformin thrice a week without fail, bless her.",
        );
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Antibiotics don't work on colds or flu, which are caused by viruses. Taking them when you don't need them helps bacteria become resistant.",
        );
        assert_silent(&RULE, "Your pharmacist can advise on easing symptoms.");
        assert_silent(&RULE, "Don't stop taking your statin without talking to your GP.");
        assert_silent(&RULE, "Take your medicines as prescribed, even when you feel well.");
        assert_silent(
            &RULE,
            "A 2009 study found that nurses who take their full breaks make fewer medication errors.",
        );
        assert_silent(
            &RULE,
            "#ad | Paid partnership with Kinetix. I've been wearing their compression socks on 12-hour shifts.",
        );
        assert_silent(
            &RULE,
            "Please bring unused or out-of-date medicines back to any pharmacy. Don't flush them.",
        );
        assert_silent(
            &RULE,
            "It changes a lot about how we use reliever inhalers, worth a read.",
        );
        assert_silent(&RULE, "Book your flu jab and stop listening to Facebook uncles.");
        assert_silent(
            &RULE,
            "Try antihistamines for hay fever, and ask your pharmacist which one suits you.",
        );
        assert_silent(
            &RULE,
            "She said 'just double your metformin' and I nearly fell off my chair.",
        );
        assert_silent(&RULE, "");
        assert_silent(&RULE, "💊💊💊");
    }

    #[test]
    fn generalises_unnamed_doses_targets_pronouns_and_word_order() {
        use crate::testing::Test;
        // A dose with a drug unit stands for a medicine the post never names.
        let t = Test::new("Take 400mg every 8 hours and rest up.").reply_to("Anything for period pain?");
        assert!(t.fires(&RULE));
        assert!(Test::new("Honestly just take 2 tablets at night and see how you go.").fires(&RULE));
        // A pronoun for the medicine of the post replied to.
        let t =
            Test::new("Just take them both now and carry on as normal.").reply_to("Forgot my antibiotics this morning");
        assert!(t.fires(&RULE));
        // A change with a target dose, passed through the reader's GP.
        assert!(Test::new("Ask your doctor to increase the levothyroxine to 75 and recheck.").fires(&RULE));
        // Romanised Hindi puts the verb after the dose.
        let t = Test::new("Metformin 1000 mg le lo subah shaam.")
            .reply_to("Sugar 250 aa rahi hai, metformin 500 le raha hu");
        assert!(t.fires(&RULE));
    }

    #[test]
    fn hard_negatives_for_unnamed_doses_and_pronouns() {
        use crate::testing::Test;
        // Idioms, kitchen units, a review without a dose, a statement.
        assert!(
            !Test::new("Take it easy and ring the surgery tomorrow.")
                .reply_to("My inhaler ran out")
                .fires(&RULE)
        );
        assert!(
            !Test::new("Give it a week and see.")
                .reply_to("Started sertraline on Monday")
                .fires(&RULE)
        );
        assert_silent(&RULE, "Add 200 ml of milk and 5 g of sugar, then whisk.");
        assert_silent(&RULE, "Ask your GP to review your statin if the aches carry on.");
        let t = Test::new("Amlodipine 10 mg is what I was started on too.").reply_to("What dose are you on?");
        assert!(!t.fires(&RULE));
    }
}

#[cfg(test)]
mod go_to_dose_tests {
    use super::RULE;
    use crate::testing::Test;

    #[test]
    fn going_up_to_a_dose_is_an_instruction() {
        let reply = "My back is killing me, already on ibuprofen";
        assert!(
            Test::new("You can go up to 1g paracetamol four times a day, that should help")
                .reply_to(reply)
                .fires(&RULE)
        );
        assert!(Test::new("Just go down to 5 mg of the prednisolone from Monday").fires(&RULE));
        // Going somewhere is not a dose.
        assert!(
            !Test::new("You can go up to the pharmacy counter and ask about paracetamol")
                .reply_to(reply)
                .fires(&RULE)
        );
        assert!(!Test::new("Prices go up to 5 pounds for paracetamol next year").fires(&RULE));
    }
}
