//! Identifiers made of words: names of people (with a title, after a cue
//! such as `pt` or `daughter`, a given name with a surname, a signature
//! under a quote), named organisations (`Queen Adelaide Hospital`), places
//! (`from Thornbury Heath`, `Chandrapalli district`, `Ward 9`, `bay 4`) and
//! street addresses (`14 Tern Street`, `Flat 3`).
//!
//! Given names, surnames and word frequencies come from the shared lists
//! (`first_names.csv`, `surnames.csv`, `common_words.csv`); a capitalised
//! word that is also a frequent ordinary word (`Will`, `Hope`, `Grant`)
//! needs a stronger cue before it is taken for a name.

use primum_text::{Analysis, Case, PerToken, TokenKind};

use super::words::{Class, Cues, Entry, QUOTE_MARKS, Role, WordSet};
use super::{Identifier, push};
use crate::finding::Kind;

/// Month, weekday and holiday names: capitalised, but never a person's or
/// a hospital's name (also read by `privacy/anonymous-account`).
pub(crate) const MONTHS_DAYS: &[&str] = &MONTH_DAY_WORDS;

pub(crate) const MONTH_DAY_WORDS: [&str; 21] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "christmas",
    "easter",
];

/// True for a word of [`MONTHS_DAYS`] (compared by shape, not a search
/// of the list).
pub(crate) fn month_or_day(w: &str) -> bool {
    MONTH_OR_DAY.contains(w)
}

/// [`month_or_day`] of a word `w()` of shape `s` (kept per token by the
/// cues, [`Cues::shape`]): its text is read only when it has the shape
/// of one of the words and more than three bytes.
pub(crate) fn month_or_day_shaped<'w>(s: u32, w: impl FnOnce() -> &'w str) -> bool {
    MONTH_OR_DAY.contains_shaped_with(s, w)
}

/// The words of [`MONTHS_DAYS`], as a set read by shape.
const MONTH_OR_DAY: WordSet<21> = WordSet::new(MONTH_DAY_WORDS);

/// A weekday's full name, lower case (tests hold the weekday sets to it).
#[cfg(test)]
pub(crate) fn full_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

/// Words that open a capitalised run without being part of a name (asked
/// by [`Scan::determiner`]).
const DETERMINERS: WordSet<27> = WordSet::new([
    "the", "our", "my", "this", "that", "a", "an", "your", "their", "his", "her", "its", "every", "any", "each", "new",
    "local", "private", "public", "at", "in", "from", "to", "of", "and", "we", "i",
]);

struct Scan<'a, 't> {
    a: &'a Analysis<'t>,
    cues: &'a Cues,
}

impl Scan<'_, '_> {
    // The token's class, one bit test (see [`Cues::class`]).
    fn is_word(&self, i: usize) -> bool {
        self.cues.is(i, Class::PLAIN)
    }

    fn title(&self, i: usize) -> bool {
        self.cues.is(i, Class::TITLE)
    }

    fn lower(&self, i: usize) -> bool {
        self.cues.is(i, Class::LOWER)
    }

    fn key(&self, i: usize) -> &str {
        self.cues.base(self.a, i)
    }

    /// What the word lists say of [`Scan::key`] of token `i` (kept per
    /// post by the cues: one lookup per word for all detectors).
    fn entry(&self, i: usize) -> Entry {
        self.cues.base_word(self.a, i)
    }

    fn possessive(&self, i: usize) -> bool {
        let t = self.a.token_text(i);
        t.ends_with("'s") || t.ends_with("\u{2019}s")
    }

    /// The byte end of token `i` without a possessive `'s`.
    fn end_of(&self, i: usize) -> usize {
        let t = self.a.token_text(i);
        let e = self.a.tokens[i].span.end;
        if t.ends_with("'s") {
            e - 2
        } else if t.ends_with("\u{2019}s") {
            e - 4
        } else {
            e
        }
    }

    /// True when token `i` starts a sentence, a line or a quotation.
    fn initial(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let p = &self.a.tokens[i - 1];
        let gap = &self.a.text[p.span.end..self.a.tokens[i].span.start];
        gap.contains('\n')
            || self.a.sentence_of[i] != self.a.sentence_of[i - 1]
            || matches!(p.kind, TokenKind::Emoji | TokenKind::Hashtag | TokenKind::Url)
            || p.kind == TokenKind::Punct && !matches!(p.norm.as_str(), "," | "&" | "(")
    }

    fn roles(&self, i: usize) -> u32 {
        self.cues.at(i).covers
    }

    fn has(&self, i: usize, r: Role) -> bool {
        self.roles(i) & r.bit() != 0
    }

    /// [`month_or_day`] of [`Scan::key`], read with the kept shape.
    fn month_or_day(&self, i: usize) -> bool {
        MONTH_OR_DAY.contains_shaped(self.cues.tokens[i].base_shape, self.key(i))
    }

    /// [`DETERMINERS`] holding [`Scan::key`], read with the kept shape.
    fn determiner(&self, i: usize) -> bool {
        DETERMINERS.contains_shaped(self.cues.tokens[i].base_shape, self.key(i))
    }

    /// A capitalised word that can be a name after a strong cue. A job
    /// title (`Midwife`) is not a name, except after a title such as Mr
    /// (`Mr Porter`).
    fn name_after_cue(&self, i: usize, strict: bool) -> bool {
        self.name_after(i, strict, false)
    }

    fn name_after(&self, i: usize, strict: bool, after_title: bool) -> bool {
        let k = self.key(i);
        let staff = if after_title { 0 } else { Role::Staff.bit() };
        let bad = Role::Title.bit()
            | Role::TitlePro.bit()
            | Role::Relation.bit()
            | Role::Facility.bit()
            | Role::Greeting.bit()
            | Role::Patient.bit()
            | staff;
        if k.chars().count() < 2 || self.roles(i) & bad != 0 || self.month_or_day(i) || self.determiner(i) {
            return false;
        }
        // One lookup answers both lists and the rank.
        let e = self.entry(i);
        let listed = e.first || e.surname;
        let common = |limit: u32| e.rank.is_some_and(|r| r < limit);
        if strict {
            listed && !common(1000) || e.rank.is_none()
        } else {
            listed && !common(300) || !common(3000)
        }
    }

    /// A capitalised word that can be a surname after a given name.
    fn surname(&self, i: usize) -> bool {
        if !self.title(i) {
            return false;
        }
        let k = self.key(i);
        let bad = Role::Facility.bit()
            | Role::Street.bit()
            | Role::Area.bit()
            | Role::PlaceSuffix.bit()
            | Role::Bed.bit()
            | Role::Staff.bit();
        k.chars().count() >= 2 && self.roles(i) & bad == 0 && !self.month_or_day(i) && {
            // One lookup for both lists.
            let e = self.entry(i);
            e.surname && !e.common(500) || !e.common(4000)
        }
    }

    /// True when the capitalised word at `j` also stands elsewhere in the
    /// post after an article or determiner (`the new Medivance range`,
    /// `a Medivance rep`), as a brand or company does and a person's name
    /// does not.
    fn brand_elsewhere(&self, j: usize) -> bool {
        if !self.title(j) {
            return false;
        }
        let k = self.key(j);
        (0..self.a.tokens.len()).any(|m| {
            m != j
                && self.key(m) == k
                && (m.saturating_sub(2)..m).any(|p| {
                    matches!(
                        self.a.tokens[p].norm.as_str(),
                        "the" | "a" | "an" | "new" | "this" | "that" | "their" | "its"
                    )
                })
        })
    }

    /// A given name, capitalised, not an ordinary word in this position.
    fn given(&self, i: usize) -> bool {
        if !self.title(i) {
            return false;
        }
        // The kept entry first: most capitalised words are no given name,
        // and the tests after it cost more (all are pure, so their order
        // does not change the answer).
        let e = self.entry(i);
        if !e.first || self.month_or_day(i) {
            return false;
        }
        let bad = Role::Facility.bit() | Role::Staff.bit() | Role::OrgPrefix.bit();
        self.roles(i) & bad == 0 && !e.common(if self.initial(i) { 5000 } else { 1500 })
    }

    /// An initial after a name (`Graham P.`): returns the token of its
    /// full stop.
    fn initial_after(&self, e: usize) -> Option<usize> {
        let t = self.a.tokens.get(e + 1)?;
        let dot = self.a.tokens.get(e + 2)?;
        let letter = self.a.token_text(e + 1);
        (t.kind == TokenKind::Word
            && t.space_before
            && letter.len() == 1
            && letter.bytes().all(|b| b.is_ascii_uppercase())
            && dot.norm == "."
            && !dot.space_before)
            .then_some(e + 2)
    }

    /// Extends a name starting at `j` over following surname-like words;
    /// returns the last token of the name.
    fn extend(&self, j: usize) -> usize {
        let mut e = j;
        while e + 1 < self.a.tokens.len()
            && e - j < 2
            && !self.possessive(e)
            && self.surname(e + 1)
            && self.a.tokens[e + 1].space_before
        {
            e += 1;
        }
        if !self.possessive(e)
            && let Some(d) = self.initial_after(e)
        {
            e = d;
        }
        e
    }

    /// The last token of a public figure's name starting at `i` (the
    /// longest listed phrase), unless a title or a patient word precedes
    /// it (`Mrs Nightingale in bed 4` is a patient).
    fn public_figure(&self, i: usize) -> Option<usize> {
        if !self.cues.starts_with(i, Role::PublicFigure) || !matches!(self.a.tokens[i].case, Case::Title | Case::Upper)
        {
            return None;
        }
        if i > 0
            && (self.cues.ends_with(i - 1, Role::Title) && !self.cues.starts_with(i, Role::Title)
                || self.cues.ends_with(i - 1, Role::Patient))
        {
            return None;
        }
        let mut last = None;
        let mut e = i;
        while e < self.a.tokens.len() && self.cues.covered(e, Role::PublicFigure) {
            if self.cues.ends_with(e, Role::PublicFigure) {
                last = Some(e);
            }
            e += 1;
        }
        last
    }

    /// True when the quotation that ends at token `close` (its closing
    /// mark) speaks in the first person singular: a patient's words about
    /// their own care (`'Dr Nwosu sorted my knee'`), not a saying.
    fn first_person_quote(&self, close: usize) -> bool {
        let mut k = close;
        let mut seen = 0;
        while k > 0 && seen < 120 {
            k -= 1;
            if !self.a.quoted[k] {
                if seen > 0 {
                    break;
                }
                continue;
            }
            seen += 1;
            if matches!(
                self.a.tokens[k].norm.as_str(),
                "i" | "my" | "me" | "mine" | "myself" | "i'm" | "i've" | "i'd" | "i'll" | "im" | "ive"
            ) {
                return true;
            }
        }
        false
    }

    /// A place right after a person's name: `Florence Evans of Ashby`,
    /// `Mrs Kovac from Marrickville`.
    fn place_after_name(&self, e: usize, out: &mut Vec<Identifier>) {
        if self
            .a
            .tokens
            .get(e + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "of" | "from"))
        {
            place_run(self, e + 2, 0.7, "place after a name", out);
        }
    }

    fn push_name(&self, out: &mut Vec<Identifier>, j: usize, e: usize, conf: f32, why: &'static str) {
        push(out, self.a.tokens[j].span.start, self.end_of(e), Kind::Name, conf, why);
    }
}

pub(super) fn detect(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let s = Scan { a, cues };
    let n = a.tokens.len();
    let from = out.len();
    // The tokens that are not plain words, listed without a branch on
    // each token (a token is written at the end of the list, which grows
    // only when it is to be kept): a branch on every token, either way
    // as the words of a post go, cost more than the list.
    let mut at = PerToken::new(n);
    for &i in at.select(|i| !plain_word(&s, i)) {
        let i = i as usize;
        names_at(&s, i, out);
        places_at(&s, i, out);
    }
    // A staff role in apposition after a name (`Bernadette Kearney, our
    // practice nurse,`) makes it a colleague's, as a job title before it does.
    for id in out[from..].iter_mut() {
        if id.kind == Kind::Name && APPOSITION_REASONS.contains(&id.reason) && staff_apposition(s.a, cues, id.span.end)
        {
            id.reason = "job title and name";
        }
    }
    // Greetings and set phrases in other languages (`Meri Kirihimete`,
    // `Eid Mubarak`) are capitalised like names but are not names.
    if cues.any(Role::NotName) {
        let found: Vec<Identifier> = out.drain(from..).collect();
        out.extend(found.into_iter().filter(|id| {
            id.kind != Kind::Name || {
                let first = a.tokens.partition_point(|t| t.span.end <= id.span.start);
                !(first..a.tokens.len())
                    .take_while(|&t| a.tokens[t].span.start < id.span.end)
                    .any(|t| cues.covered(t, Role::NotName))
            }
        }));
    }
}

/// Titles of rank or public office: the name after one is a public
/// figure's (`Sir Chris Hoy`, `President Obama`).
const PUBLIC_TITLES: &[&str] = &[
    "sir",
    "dame",
    "lord",
    "baroness",
    "baron",
    "prince",
    "princess",
    "president",
    "minister",
    "senator",
];

/// A saint's title, which may open a facility's name.
const SAINT: WordSet<2> = WordSet::new(["st", "saint"]);

/// Name reasons that a staff role in apposition turns into a colleague's.
const APPOSITION_REASONS: &[&str] = &["given name", "given name and surname", "title and name"];

/// True when a name ending at byte `end` is followed by `, our|the|my
/// <staff role>` within a few words (`Bernadette Kearney, our practice
/// nurse`).
fn staff_apposition(a: &Analysis<'_>, cues: &Cues, end: usize) -> bool {
    let k = a.tokens.partition_point(|t| t.span.start < end);
    if a.tokens.get(k).is_none_or(|t| t.norm != ",")
        || !a
            .tokens
            .get(k + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "our" | "the" | "my" | "their"))
    {
        return false;
    }
    (k + 2..(k + 6).min(a.tokens.len()))
        .take_while(|&j| a.tokens[j].kind == TokenKind::Word)
        .any(|j| cues.ends_with(j, Role::Staff) || cues.ends_with(j, Role::TitlePro))
}

/// True when token `i` is one that [`names_at`] and [`places_at`] find
/// nothing at: in no cue phrase, and either a word not capitalised and
/// none of the words they look for themselves (`st`, `on`, `in`, `off`,
/// `along`, `po`), or punctuation other than a dash or a quotation mark.
/// Most tokens of a post are such; every pattern of those functions
/// starts with a capitalised word, a cue, one of these words, a number, a
/// dash or a quotation mark. (Leaving the commas and full stops out too
/// makes the tokens looked at more alike: the tests on each, a word's
/// case first, are less often mispredicted.)
fn plain_word(s: &Scan<'_, '_>, i: usize) -> bool {
    // Bits and'ed, not a chain of branches: the one branch left (on the
    // shape of the word) is nearly never taken.
    let k = s.key(i);
    let c = s.cues.tokens[i];
    let class = c.class;
    let word = (class & (Class::WORD | Class::CASED) == Class::WORD) & !LOOKED_FOR.contains_shaped(c.base_shape, k);
    let punct = class & (Class::PUNCT | Class::DASH | Class::QUOTE) == Class::PUNCT;
    (c.starts | c.ends | c.covers == 0) & (word | punct)
}

/// The lower-case words [`names_at`] and [`places_at`] look for
/// themselves, without a cue.
const LOOKED_FOR: WordSet<6> = WordSet::new(["st", "on", "in", "off", "along", "po"]);

fn names_at(s: &Scan<'_, '_>, i: usize, out: &mut Vec<Identifier>) {
    let a = s.a;
    let n = a.tokens.len();
    // A public figure: Florence Nightingale, Hippocrates, Sir William Osler.
    if let Some(e) = s.public_figure(i) {
        s.push_name(out, i, e, 0.95, "public figure");
        return;
    }
    // A name given with a date of birth: "re: John Okafor, DOB
    // 12/03/1958", "my pt: Margaret O'Shea, DOB ...". Two or three
    // capitalised words right before a DOB label are a person's name,
    // whether or not the name lists know them.
    // A cue word before the name (`Pt`, `Mrs`, `daughter`) is not part of
    // it: "Pt Mary Jones, DOB ..." names Mary Jones.
    let cue_word = |k: usize| {
        s.has(k, Role::Patient) || s.has(k, Role::Title) || s.has(k, Role::TitlePro) || s.has(k, Role::Relation)
    };
    // Only a post with a DOB label asks (the test that ends the block).
    if s.cues.any(Role::Dob)
        && s.title(i)
        && !cue_word(i)
        && (i == 0 || !s.title(i - 1) || cue_word(i - 1))
        && !s.month_or_day(i)
    {
        let mut e = i;
        while e + 1 < n && e - i < 4 && !s.possessive(e) {
            if s.title(e + 1) && a.tokens[e + 1].space_before {
                e += 1;
            } else if a.token_text(e + 1) == "-" && !a.tokens[e + 1].space_before && s.title(e + 2) {
                // "Adeyemi-Cole".
                e += 2;
            } else {
                break;
            }
        }
        let mut k = e + 1;
        if a.tokens
            .get(k)
            .is_some_and(|t| matches!(t.norm.as_str(), "," | "(" | "-"))
        {
            k += 1;
        }
        if e > i && k < n && s.cues.starts_with(k, Role::Dob) && !s.entry(i).common(3000) {
            s.push_name(out, i, e, 0.85, "name before a date of birth");
            return;
        }
    }
    // A public career or office right before a name, with no possessive
    // (`Olympic sprinter Dane Whitford`, `senator Ana Ruiz`): a public
    // figure's name, not a patient's (`our jockey Tom` is not one).
    if s.cues.ends_with(i, Role::PublicRole) && s.title(i + 1) && s.name_after_cue(i + 1, false) {
        let owned = (i.saturating_sub(3)..i).any(|k| {
            matches!(
                a.tokens[k].norm.as_str(),
                "my" | "our" | "your" | "his" | "her" | "their" | "patient" | "pt"
            )
        });
        if !owned {
            let e = s.extend(i + 1);
            s.push_name(out, i + 1, e, 0.95, "public figure");
            return;
        }
    }
    // The locality of a named facility (`Smile Street Dental, Karol
    // Bagh`): a branch's place, not a person's name.
    // (The facility first: rare, it settles the test for most tokens.)
    if i >= 2 && s.cues.ends_with(i - 2, Role::Facility) && a.tokens[i - 1].norm == "," && s.title(i) {
        return;
    }
    // A title: Mrs Eleanor Voss, Dr Osei, Sister Ruth Adeyemi.
    if s.cues.at(i).ends & (Role::Title.bit() | Role::TitlePro.bit()) != 0 {
        let pro = s.cues.ends_with(i, Role::TitlePro);
        let capital = matches!(a.tokens[i].case, Case::Title | Case::Upper);
        let j = if a.tokens.get(i + 1).is_some_and(|t| t.norm == ".") {
            i + 2
        } else {
            i + 1
        };
        if capital && s.title(j) && s.name_after(j, pro, !pro) {
            let e = s.extend(j);
            // A rank or office (Sir, Dame, Lord, Prince, President, Prime
            // Minister) names a public figure, not a patient.
            // Inside an institution's name (`Royal Prince Alfred`) the
            // title is part of that name.
            if s.has(i, Role::OrgPrefix) && i > 0 && s.title(i - 1) {
                return;
            }
            if !pro && PUBLIC_TITLES.contains(&a.tokens[i].norm.as_str()) {
                s.push_name(out, j, e, 0.95, "public figure");
                return;
            }
            let why = if pro {
                "professional title and name"
            } else {
                "title and name"
            };
            s.push_name(out, j, e, 0.9, why);
            if !pro {
                s.place_after_name(e, out);
            }
            return;
        }
    }
    // A job title: midwife Siobhán Ní Bhriain, ward clerk Bev, Nurse
    // Practitioner Aroha Ngata: a colleague.
    if s.cues.ends_with(i, Role::Staff) && s.is_word(i) {
        let j = i + 1;
        if s.title(j) && s.name_after_cue(j, false) && !s.possessive(i) {
            let e = s.extend(j);
            s.push_name(out, j, e, 0.9, "job title and name");
            return;
        }
    }
    // A cue: pt John, daughter Claire, thanks Callum, my patient john smith.
    let strong = s.cues.ends_with(i, Role::Patient) || s.cues.ends_with(i, Role::Relation);
    let greet = s.cues.ends_with(i, Role::Greeting);
    if (strong || greet) && !s.cues.ends_with(i, Role::Title) {
        let j = if a.tokens.get(i + 1).is_some_and(|t| t.norm == ",") && greet {
            i + 2
        } else {
            i + 1
        };
        // A word thanked that the post also uses as a brand or company
        // (`the new Medivance dressing range ... Thank you Medivance`).
        if greet && !strong && !s.given(j) && s.brand_elsewhere(j) {
            return;
        }
        if s.title(j) && s.name_after_cue(j, false) && !s.initial(j) || (s.title(j) && greet && s.given(j)) {
            let e = s.extend(j);
            let why = if greet {
                "name after a greeting"
            } else {
                "name after a patient or relation word"
            };
            s.push_name(out, j, e, if greet { 0.7 } else { 0.85 }, why);
            s.place_after_name(e, out);
            return;
        }
        // A lower-case name: not a frequent word (`the patient in bay 2`).
        if strong && s.lower(j) && s.entry(j).first && !month_or_day(s.key(j)) && !s.entry(j).common(300) {
            if j + 1 < n && s.lower(j + 1) && {
                let e = s.entry(j + 1);
                e.surname && !e.common(500)
            } {
                s.push_name(out, j, j + 1, 0.75, "lower-case name after a patient or relation word");
                return;
            }
            if !s.entry(j).common(3000) {
                s.push_name(out, j, j, 0.6, "lower-case name after a patient or relation word");
                return;
            }
        }
    }
    // A name under a quotation: a patient's signature under their words
    // ('Best physio I've ever seen' — Callum, Coogara), or the author of a
    // saying ('...' – Hippocrates), told apart by the quotation's first
    // person and by a place or initial in the signature.
    // Punctuation that is a dash or a quotation mark, told by the shape of
    // the token without a branch (most tokens here are words; a test of
    // the kind, then of the text, goes either way from token to token).
    // (One bit each, kept by the cues: a test of the kind and the shape
    // here was compiled to a branch on each.)
    let quote_mark = |k: usize| s.cues.is_in(a, k, &QUOTE_MARKS);
    let dash = s.cues.is(i, Class::DASH) && i > 0 && (a.quoted[i - 1] || quote_mark(i - 1));
    let closing = s.cues.is(i, Class::QUOTE) && i > 0 && a.quoted[i - 1];
    if dash || closing {
        let j = i + 1;
        if s.title(j) && s.name_after_cue(j, false) {
            let e = s.extend(j);
            let close = if dash { i - 1 } else { i };
            let place = a.tokens.get(e + 1).is_some_and(|t| t.norm == ",") && s.title(e + 2);
            let initial = a.tokens[e].norm == ".";
            if s.first_person_quote(close) || place || initial {
                s.push_name(out, j, e, 0.85, "signature under a quotation");
                if place {
                    place_run(s, e + 2, 0.75, "place in a signature", out);
                }
            } else {
                s.push_name(out, j, e, 0.9, "author of a quotation");
            }
            return;
        }
    }
    // A given name, with a surname or alone.
    // (The given name first: it is false for most tokens, where a test of
    // the position goes either way; both are pure, so the order does not
    // change the answer.)
    if s.given(i) && !(i > 0 && s.title(i - 1) && !s.initial(i)) {
        let next_bad = s.is_word(i + 1)
            && (s.has(i + 1, Role::Facility)
                || s.has(i + 1, Role::Street)
                || s.has(i + 1, Role::PlaceSuffix)
                || s.has(i + 1, Role::Area));
        if !s.possessive(i) && s.surname(i + 1) && a.tokens[i + 1].space_before && !next_bad {
            let e = s.extend(i + 1);
            s.push_name(out, i, e, 0.8, "given name and surname");
            s.place_after_name(e, out);
        } else if !(next_bad
            || i > 0 && s.determiner(i - 1) && a.tokens[i - 1].kind == TokenKind::Word
            // Two letters before a number label a value (`Na 134`, `Al 3`).
            || a.tokens[i].letters.alphabetic <= 2 && a.tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number))
        {
            s.push_name(out, i, i, 0.5, "given name");
        }
    }
}

/// Whether the preposition at `i` is "at" and tells where the author
/// was: the clause before it is the author's ("Got stopped at Tesco",
/// "I bumped into her at Aldi", "We were at Lidl"), with no other person
/// named in it. A shop or café the author visited is not the patient's
/// place.
fn author_was_at(s: &Scan<'_, '_>, i: usize) -> bool {
    let a = s.a;
    if s.key(i) != "at" {
        return false;
    }
    let Some(sent) = a.sentences.iter().find(|x| x.tokens.contains(&i)) else {
        return false;
    };
    let words: Vec<usize> = (sent.tokens.start..i)
        .filter(|&k| a.tokens[k].kind == TokenKind::Word)
        .collect();
    let Some(&first) = words.first() else {
        return false;
    };
    if words.len() > 6 {
        return false;
    }
    let opener = matches!(
        a.tokens[first].norm.as_str(),
        "i" | "i'm"
            | "i've"
            | "we"
            | "we're"
            | "we've"
            | "got"
            | "was"
            | "were"
            | "stopped"
            | "bumped"
            | "ran"
            | "popped"
            | "spotted"
            | "queuing"
            | "queueing"
            | "shopping"
            | "waiting"
    );
    let other_person = words.iter().skip(1).any(|&k| {
        a.tokens[k].case == Case::Title
            || matches!(
                a.tokens[k].norm.as_str(),
                "he" | "she" | "his" | "her" | "he's" | "she's"
            )
    });
    opener && !other_person
}

/// [`author_was_at`] for the detectors outside this file.
pub(super) fn author_was_at_token(a: &Analysis<'_>, cues: &Cues, i: usize) -> bool {
    author_was_at(&Scan { a, cues }, i)
}

/// The last word of a block of flats' name ("Denholme Court").
fn building(w: &str) -> bool {
    matches!(
        w,
        "court" | "house" | "tower" | "towers" | "mansions" | "buildings" | "heights" | "estate"
    )
}

/// A run of up to three capitalised words from `j`, taken as a place when
/// its first word is not an ordinary word.
fn place_run(s: &Scan<'_, '_>, j: usize, conf: f32, why: &'static str, out: &mut Vec<Identifier>) -> bool {
    if !s.title(j) || s.month_or_day(j) || s.entry(j).common(3000) || s.determiner(j) {
        return false;
    }
    let mut e = j;
    while e + 1 < s.a.tokens.len() && e - j < 2 && !s.possessive(e) && s.title(e + 1) && !s.has(e + 1, Role::Facility) {
        e += 1;
    }
    push(out, s.a.tokens[j].span.start, s.end_of(e), Kind::Location, conf, why);
    true
}

/// Single words [`places_at`] compares its key with.
const ST: WordSet<1> = WordSet::new(["st"]);
const ON: WordSet<1> = WordSet::new(["on"]);
const PO: WordSet<1> = WordSet::new(["po"]);

/// The words before a street named without a number (`on Carrow Road`),
/// and `along`: the short words told by their shape alone.
const STREET_PREPS: WordSet<3> = WordSet::new(["on", "in", "off"]);
const ALONG: WordSet<1> = WordSet::new(["along"]);

fn places_at(s: &Scan<'_, '_>, i: usize, out: &mut Vec<Identifier>) {
    let a = s.a;
    let n = a.tokens.len();
    let t = &a.tokens[i];
    // The token's key, asked by most of the tests below, and its kept
    // shape: the words compared with it are tested as a [`WordSet`] (a
    // string comparison first branches on the length, which goes either
    // way from token to token).
    let k = s.key(i);
    let ks = s.cues.tokens[i].base_shape;
    let is = |set: &WordSet<1>| set.contains_shaped(ks, k);
    // An organisation: a capitalised run ending in a facility word.
    // Asked only of a token that may start a run (most tokens do not).
    let run_start = || i == 0 || !s.title(i - 1) || s.initial(i) || s.determiner(i - 1);
    // Only where the post has a facility word, or at a saint's name (the
    // two ways the block finds anything): a test of the post, the same for
    // every token, before those of the token.
    let saint = SAINT.contains_shaped(s.cues.tokens[i].base_shape, k);
    if (s.cues.any(Role::Facility) || saint) && (s.title(i) || is(&ST)) && run_start() && !s.determiner(i) {
        let mut e = i;
        while e + 1 < n && e - i < 5 {
            let nx = e + 1;
            let dot = a.tokens[nx].norm == "." && e == i && s.key(e) == "st";
            if s.title(nx) && (a.tokens[nx].space_before || e > i && a.tokens[e].norm == ".") || dot {
                e = nx;
            } else {
                break;
            }
        }
        // The run must end with the facility word ("... Hospital,").
        let last = e;
        if last > i
            && s.has(last, Role::Facility)
            && !s.has(i, Role::Facility)
            && a.tokens[last].kind == TokenKind::Word
        {
            push(
                out,
                t.span.start,
                a.tokens[last].span.end,
                Kind::Organization,
                0.85,
                "named facility",
            );
        } else if saint && last > i && s.possessive(last) {
            push(
                out,
                t.span.start,
                a.tokens[last].span.end,
                Kind::Organization,
                0.7,
                "saint's name (a facility)",
            );
        }
    }
    // An institution named without a facility word: Royal Prince Alfred,
    // St Vincent's, Queen Elizabeth.
    if s.has(i, Role::OrgPrefix) && matches!(t.case, Case::Title | Case::Upper) && run_start() {
        let mut e = i;
        while e + 1 < n && e - i < 3 && s.title(e + 1) && a.tokens[e + 1].space_before && !s.possessive(e) {
            e += 1;
        }
        if e > i || s.possessive(i) {
            push(
                out,
                t.span.start,
                a.tokens[e].span.end,
                Kind::Organization,
                0.84,
                "named institution",
            );
        }
    }
    // A district or village: Chandrapalli district.
    // Only in a post with an area word (`district`), which ends the name.
    if s.cues.any(Role::Area)
        && s.title(i)
        && (i == 0 || !s.title(i - 1))
        && !s.entry(i).common(3000)
        && !s.month_or_day(i)
    {
        let mut e = i;
        while e + 1 < n && e - i < 2 && s.title(e + 1) && !s.has(e + 1, Role::Area) {
            e += 1;
        }
        if e + 1 < n && s.has(e + 1, Role::Area) && s.is_word(e + 1) {
            push(
                out,
                t.span.start,
                a.tokens[e + 1].span.end,
                Kind::Location,
                0.75,
                "named district or village",
            );
        }
    }
    // After a preposition: from Thornbury Heath, in Coogara.
    if s.cues.ends_with(i, Role::PlacePrep) && t.kind == TokenKind::Word {
        let j = i + 1;
        if s.title(j) && !s.month_or_day(j) && !s.determiner(j) {
            let mut e = j;
            while e + 1 < n && e - j < 2 && !s.possessive(e) && s.title(e + 1) {
                e += 1;
            }
            let first = s.entry(j);
            let first_rare = !first.common(8000) && !first.first;
            let suffix = e > j && s.has(e, Role::PlaceSuffix) && !first.common(3000);
            let facility = s.has(e, Role::Facility);
            if (first_rare || suffix) && !facility && !author_was_at(s, i) {
                push(
                    out,
                    a.tokens[j].span.start,
                    s.end_of(e),
                    Kind::Location,
                    0.6,
                    "place after a preposition",
                );
            }
        }
    }
    // After a preposition and `the`, a named geographic feature: on the
    // Chatham Islands, from the Mornington Peninsula.
    if (s.cues.ends_with(i, Role::PlacePrep) || is(&ON))
        && t.kind == TokenKind::Word
        && i + 2 < n
        && s.key(i + 1) == "the"
        && s.title(i + 2)
        && !s.month_or_day(i + 2)
    {
        let j = i + 2;
        let mut e = j;
        while e + 1 < n && e - j < 2 && !s.possessive(e) && s.title(e + 1) {
            e += 1;
        }
        if e > j && s.has(e, Role::PlaceSuffix) && !s.has(e, Role::Facility) && !s.entry(j).common(3000) {
            push(
                out,
                a.tokens[i + 1].span.start,
                s.end_of(e),
                Kind::Location,
                0.6,
                "place after a preposition",
            );
        }
    }
    // A ward, bay, bed or room number: Ward 9, side room 3, bay 4.
    if s.cues.ends_with(i, Role::Bed)
        && t.kind == TokenKind::Word
        && let Some(e) = unit_number(s, i + 1)
    {
        let start = (i.saturating_sub(1)..=i)
            .find(|&k| s.cues.starts_with(k, Role::Bed) && s.cues.covered(i, Role::Bed))
            .map_or(t.span.start, |k| a.tokens[k].span.start);
        push(
            out,
            start,
            a.tokens[e].span.end,
            Kind::Location,
            0.7,
            "ward, bay, bed or room number",
        );
    }
    // A flat or unit: Flat 3, Apt 5B.
    if s.cues.ends_with(i, Role::Unit)
        && (t.case == Case::Title || matches!(k, "flat" | "apt"))
        && let Some(e) = unit_number(s, i + 1)
    {
        // "Flat 4B, Denholme Court": the building's name after a comma.
        let mut end = e;
        if a.tokens.get(e + 1).is_some_and(|x| x.norm == ",") && s.title(e + 2) {
            let mut b = e + 2;
            while b + 1 < n && b - (e + 2) < 3 && s.title(b + 1) && !s.has(b, Role::Street) && !building(s.key(b)) {
                b += 1;
            }
            if s.has(b, Role::Street) || building(s.key(b)) {
                end = b;
            }
        }
        push(
            out,
            t.span.start,
            a.tokens[end].span.end,
            Kind::Address,
            0.75,
            "flat or unit number",
        );
    }
    // A street named without a number after "on", "in" or "off" ("on
    // Carrow Road", "in Banksia Crescent"): a capitalised, uncommon name
    // and a street word.
    // (The cheap tests and'ed, one branch: each goes either way.)
    if (STREET_PREPS.contains_shaped(ks, k) | is(&ALONG)) & (t.kind == TokenKind::Word) & s.title(i + 1)
        && !s.entry(i + 1).common(3000)
        && !s.month_or_day(i + 1)
    {
        let j = i + 1;
        let mut e = j;
        while e + 1 < n && e - j < 2 && s.title(e + 1) && !s.has(e, Role::Street) && !s.possessive(e) {
            e += 1;
        }
        let street_word = matches!(
            s.key(e),
            "road"
                | "street"
                | "avenue"
                | "lane"
                | "close"
                | "drive"
                | "crescent"
                | "terrace"
                | "grove"
                | "mews"
                | "parade"
        );
        if e > j && street_word && matches!(a.tokens[e].case, Case::Title) {
            push(
                out,
                a.tokens[j].span.start,
                a.tokens[e].span.end,
                Kind::Address,
                0.6,
                "street name",
            );
        }
    }
    // A street address: 14 Tern Street, 27 Wexcombe Road. Only in a post
    // with a street word, which ends the address.
    if s.cues.any(Role::Street)
        && t.kind == TokenKind::Number
        && (i == 0 || a.tokens[i - 1].kind != TokenKind::Punct || a.tokens[i - 1].norm == ",")
    {
        let txt = a.token_text(i);
        if txt.len() <= 5 && txt.bytes().all(|b| b.is_ascii_digit()) {
            let mut j = i + 1;
            // 14a Tern Street
            if s.is_word(j) && a.token_text(j).len() == 1 && !a.tokens[j].space_before {
                j += 1;
            }
            let mut e = j;
            while e < n && e - j < 4 && s.title(e) && !s.has(e, Role::Street) {
                e += 1;
            }
            if e > j && e < n && s.title(e) && s.has(e, Role::Street) && !s.possessive(e) {
                let end = if a.tokens.get(e + 1).is_some_and(|x| x.norm == "." && !x.space_before)
                    && matches!(s.key(e), "st" | "rd" | "ave")
                {
                    e + 1
                } else {
                    e
                };
                push(
                    out,
                    t.span.start,
                    a.tokens[end].span.end,
                    Kind::Address,
                    0.85,
                    "street address",
                );
                if a.tokens.get(end + 1).is_some_and(|x| x.norm == ",") {
                    place_run(s, end + 2, 0.75, "place after a street address", out);
                }
            }
        }
    }
    // PO Box 123
    if is(&PO)
        && a.tokens.get(i + 1).is_some_and(|x| x.norm == "box")
        && let Some(e) = unit_number(s, i + 2)
    {
        push(
            out,
            t.span.start,
            a.tokens[e].span.end,
            Kind::Address,
            0.85,
            "post office box",
        );
    }
}

/// A short number or code (9, 7B, 12a) at `j`, not a measure (15cm) or a
/// score (10/10); returns its last token.
fn unit_number(s: &Scan<'_, '_>, j: usize) -> Option<usize> {
    let a = s.a;
    let t = a.tokens.get(j)?;
    let txt = a.token_text(j);
    let ok = match t.kind {
        TokenKind::Number => txt.len() <= 4 && txt.bytes().all(|b| b.is_ascii_digit()),
        TokenKind::Word => {
            txt.len() <= 4
                && txt.starts_with(|c: char| c.is_ascii_digit())
                && txt.chars().all(|c| c.is_ascii_alphanumeric())
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    // 7B: a letter glued to the number.
    let mut e = j;
    if let Some(nx) = a.tokens.get(j + 1)
        && !nx.space_before
    {
        let nt = a.token_text(j + 1);
        if nx.kind == TokenKind::Word && nt.len() == 1 && nt.chars().all(|c| c.is_ascii_alphabetic()) {
            e = j + 1;
        } else if matches!(nx.kind, TokenKind::Word | TokenKind::Number) || matches!(nx.norm.as_str(), "/" | "%" | ":")
        {
            return None;
        }
    }
    Some(e)
}
