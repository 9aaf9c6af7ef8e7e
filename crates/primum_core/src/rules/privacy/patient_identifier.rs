//! `privacy/patient-identifier`: a direct identifier of a patient or a
//! private person (the 18 HIPAA Safe Harbor identifiers that text can hold).

use std::sync::LazyLock;

use primum_text::{Analysis, PerSentence, Span, TokenKind};

use crate::declare_rule;
use crate::finding::{Applicability, Fix, Kind};
use crate::phi::words::{Cues, Role};
use crate::phi::{self, Identifier};
use crate::rule::{Ctx, Diagnostic};
use crate::signals::WordShapes;

declare_rule! {
    /// ## What it checks
    ///
    /// Finds the direct identifiers in a post (names, dates tied to a day,
    /// ages over 89, phone and fax numbers, e-mail addresses, personal web
    /// addresses and @handles, IP addresses, street addresses and postcodes, places
    /// smaller than a state, record, account, card and licence numbers,
    /// named facilities) with the detector of `phi/`, and reports those that
    /// can point to a patient or another private person. One finding per
    /// identifier, naming its kind.
    ///
    /// Not reported: what the organisation's policy allows (`[allow]`
    /// names, phones, addresses, e-mails, domains; the account's own name),
    /// a colleague named in a post that congratulates, welcomes, thanks or
    /// says goodbye (and a name behind a professional title such as Dr or
    /// Sister, or a job title such as midwife, ward clerk or Nurse
    /// Practitioner, wherever that name recurs) unless a patient is
    /// mentioned in the same sentence, a public figure (`Florence
    /// Nightingale`, from `lexicons/public_figures.csv`, or a name after a
    /// rank or office: `Sir Chris Hoy`, `Dame`, `Lord`, `Prince`,
    /// `President`, `Prime Minister`, or after a public career or office
    /// with no possessive: `Olympic sprinter Dane Whitford`; `our jockey
    /// Tom` is still a patient), a brand thanked like a person but named
    /// elsewhere after an article (`the new Medivance range ... Thank you
    /// Medivance`), the locality after a facility's name (`Smile Street
    /// Dental, Karol Bagh`), the venue of a past event (`won at
    /// Cheltenham in 1979`), a name followed by a staff role in
    /// apposition (`Bernadette Kearney, our practice nurse,`: a
    /// colleague's), the place a new colleague joins from (`Aroha joins
    /// us from Starship`), and the author of
    /// a saying quoted with a dash (`'...' – Hippocrates`; a signature
    /// under words in the first person, or with an initial or a town, is a
    /// patient's testimonial and is reported), a public organisation's
    /// reception or helpline number, role mailbox, web address or @handle,
    /// and dates, places and facilities that are not tied to a patient (a
    /// clinic's closing dates, the hospital an author works at, the shop
    /// where the author was: "Got stopped at Tesco by a former patient's
    /// husband"). A post
    /// that speaks of no patient and no person (no pronoun such as she or
    /// I, no relative, no name) is an organisation's notice: its dates,
    /// address, facilities, phone line and team mailbox
    /// (`diabetes.referrals@`) are not findings, and neither is an
    /// institution's age (`Happy 100th birthday to St Luke's Hospital`).
    /// A place after a preposition counts in a post about a patient or
    /// beside another identifier, not in any post that merely tells an
    /// event (`outside Tallaght ED`). Handles tagged together in a list or
    /// marked as a professional's (`@DrAroha`, `@Kate_RN`), and a name
    /// thanked for work (`thanks to Nkechi for designing it`), are
    /// colleagues'. A name greeted in a post that speaks to them about
    /// their care (`Thanks Darren! ... see you at your 6-month check`) is a
    /// patient's, with the dates of that care; so is a first name spoken
    /// of in the third person with a place (`Dorothy ... in Thirsk in her
    /// slippers`). Greetings in other languages (`Meri Kirihimete`) are not
    /// names. A ward,
    /// bay or bed number, and a named facility, count only beside another
    /// identifier of the person, or together (`bed 6 ... at St Mary's`) in
    /// a post about him or her that is no colleague's notice; a point on
    /// a road (`mile marker 142`) counts in a post about a patient; an age
    /// over 89 counts when stated alone in an idiom (`96 and still does
    /// the crossword`); an @handle counts in or just before a
    /// sentence that mentions a patient ("Go follow @name, she's one of my
    /// patients"). "Welcome home to ..." greets a patient, not a colleague.
    ///
    /// ## Why
    ///
    /// "Protect the privacy and confidentiality of patients." Every
    /// guideline forbids posting information that identifies a patient,
    /// whatever the privacy settings (core-confidentiality; HIPAA Safe
    /// Harbor, 45 CFR 164.514(b)(2)(i), us-hipaa-164.514(b)(2)(i)(A) to (R);
    /// GMC social media guidance, uk-gmc-sm2024-18). A name, a bed number,
    /// a date of admission or an age of 94 is enough for family,
    /// neighbours or an employer to recognise someone.
    ///
    /// ## Example
    ///
    /// ```text
    /// Shoutout to Doreen Pickersgill in bay 4 who turned 94 today 🎂
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Birthdays on the ward are the best: cake, singing and a few happy tears 🎂
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the identifier. The suggested fix replaces each one with its
    /// placeholder (`[NAME]`, `[AGE]`...); even then, ask whether the story
    /// needs telling with consent, or at all.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/patient-identifier",
        fix: Always,
        options: [],
        check: check,
    }
}

/// Reasons of the detector for a name that is a colleague's (behind a
/// professional or job title).
const COLLEAGUE: &[&str] = &["professional title and name", "job title and name"];
/// Reasons of the detector for a public figure's name.
const PUBLIC: &[&str] = &["public figure", "author of a quotation"];
/// Reasons for a name found without a cue that makes it a patient's: it
/// is not reported when it is a colleague's or public figure's named
/// elsewhere in the post (`... Nurse Aroha Ngata ... lucky to have you, Aroha`).
const WEAK: &[&str] = &[
    "given name",
    "name after a greeting",
    "given name and surname",
    "signature under a quotation",
];

fn message(id: &Identifier) -> &'static str {
    if id.reason == "social media handle" {
        return "social media handle of a patient or private person";
    }
    match id.kind {
        Kind::Name => "name of a patient or private person",
        Kind::Date => "date tied to a patient",
        Kind::Age => "age over 89",
        Kind::Phone => "personal phone number",
        Kind::Fax => "personal fax number",
        Kind::Email => "personal e-mail address",
        Kind::Url => "personal web address",
        Kind::Ip => "IP address in a public post",
        Kind::Address => "street address of a private person",
        Kind::Location => "place tied to a patient",
        Kind::Id => "record, account or licence number",
        Kind::Organization => "facility named with a patient",
        Kind::Other => "identifying detail",
    }
}

/// Per sentence: whether it is about a patient or a person in care (a
/// patient word, an event such as `admitted` or `born`, an age).
fn personal_sentences(ctx: &Ctx<'_>, a: &Analysis<'_>, cues: &Cues) -> PerSentence<bool> {
    let n = a.sentences.len();
    let mut p = PerSentence::new(n);
    let sent_at = |b: usize| {
        a.sentences
            .partition_point(|s| s.span.end <= b)
            .min(n.saturating_sub(1))
    };
    for m in &ctx.signals.patient().mentions {
        if let Some(x) = p.get_mut(sent_at(m.start)) {
            *x = true;
        }
    }
    // The sentence that tells a patient's story ("the only dairy farmer
    // left on the Chatham Islands, flew over for his review").
    if let Some(c) = &ctx.signals.patient().case
        && let Some(x) = p.get_mut(sent_at(c.referent.start))
    {
        *x = true;
    }
    for age in ctx.signals.ages() {
        if let Some(x) = p.get_mut(sent_at(age.span.start)) {
            *x = true;
        }
    }
    for (s, x) in p.iter_mut().enumerate() {
        *x |= cues.in_sentence(s, Role::Event) || cues.in_sentence(s, Role::Dob) || cues.in_sentence(s, Role::Patient);
    }
    // Someone's relative (`off home to his daughter in Ballincollig`):
    // where the family is tells who the person is.
    for i in 1..a.tokens.len() {
        if cues.starts_with(i, Role::Relation)
            && matches!(a.tokens[i - 1].norm.as_str(), "his" | "her" | "their")
            && let Some(x) = p.get_mut(a.sentence_of[i] as usize)
        {
            *x = true;
        }
    }
    p
}

/// Whether the policy allows this identifier (the organisation's own
/// details, named colleagues, the author's name).
fn allowed(ctx: &Ctx<'_>, id: &Identifier, s: &str) -> bool {
    let allow = &ctx.policy.allow;
    match id.kind {
        Kind::Name => {
            allow.name(s)
                || ctx.policy.account.name.as_deref().is_some_and(|n| {
                    let n = n.to_lowercase();
                    let s = s.to_lowercase();
                    n == s || n.split_whitespace().any(|w| w == s) || n.contains(&s) && s.contains(' ')
                })
        }
        Kind::Phone | Kind::Fax => allow.phone(s),
        Kind::Email => allow.email(s),
        Kind::Url => allow.domain(&phi::url_host(s)),
        Kind::Address | Kind::Location | Kind::Organization => allow.address(s),
        _ => false,
    }
}

/// A word without a possessive `'s` or trailing punctuation.
fn base_word(w: &str) -> &str {
    let w = w.trim_end_matches([',', '.', '!', '?', ':', ';']);
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w)
}

/// The index of the token that starts at byte `at` (or the next one).
fn token_at(a: &Analysis<'_>, at: usize) -> usize {
    a.tokens.partition_point(|t| t.span.start < at)
}

/// True when a name is thanked for work (`thanks to Nkechi for designing
/// it`): a colleague's.
fn credited(a: &Analysis<'_>, cues: &Cues, name: Span) -> bool {
    let i = a.tokens.partition_point(|t| t.span.end <= name.end);
    a.tokens.get(i).is_some_and(|t| t.norm == "for")
        && (i + 1..a.tokens.len().min(i + 3)).any(|k| cues.starts_with(k, Role::Credit))
}

/// True when an @handle is one of a list of handles tagged together (a
/// conference's speakers, the teams thanked), or is a professional's
/// (`@DrAroha`, `@Kate_RN`).
fn tagged_colleague(a: &Analysis<'_>, handle: Span) -> bool {
    let h = a.text[handle.start..handle.end].trim_start_matches('@');
    let lower = h.to_ascii_lowercase();
    let upper_after = |p: usize| h.chars().nth(p).is_some_and(|c| c.is_ascii_uppercase());
    if lower.starts_with("dr") && upper_after(2)
        || lower.starts_with("prof") && upper_after(4)
        || ["_rn", "_md", "_gp", "_np", "_rm", "_pa", "rn", "md"]
            .iter()
            .any(|x| lower.ends_with(x) && h.ends_with(&x.to_ascii_uppercase()[..]) && h.len() > x.len() + 2)
    {
        return true;
    }
    let i = token_at(a, handle.start);
    let skip = |t: &primum_text::Token| matches!(t.norm.as_str(), "," | "&" | "and" | "+");
    let mut j = i;
    while j > 0 && skip(&a.tokens[j - 1]) {
        j -= 1;
    }
    let before = j > 0 && a.tokens[j - 1].kind == TokenKind::Mention;
    let mut k = i + 1;
    while k < a.tokens.len() && skip(&a.tokens[k]) {
        k += 1;
    }
    let after = a.tokens.get(k).is_some_and(|t| t.kind == TokenKind::Mention);
    before || after
}

/// Care a person receives, in a post that speaks to them (`your root
/// canal`, `the ACL rehab`, `your 6-month check`).
const CARE: &[&str] = &[
    "appointment",
    "appointments",
    "check",
    "check-up",
    "checkup",
    "follow-up",
    "review",
    "rehab",
    "rehabilitation",
    "recovery",
    "canal",
    "crown",
    "filling",
    "fillings",
    "extraction",
    "implant",
    "brace",
    "braces",
    "stitches",
    "cast",
    "physio",
    "physiotherapy",
    "session",
    "sessions",
    "dressing",
    "x-ray",
    "mri",
    "ultrasound",
    "hamstring",
    "acl",
    "knee",
    "hip",
    "shoulder",
    "discharge",
];

/// The shapes of [`CARE`].
static CARE_SHAPES: LazyLock<WordShapes> = LazyLock::new(|| WordShapes::of(CARE.iter().copied()));

/// True when the post speaks to a person about their care (`Glad your
/// root canal went smoothly`, `see you at your 6-month check`).
///
/// The cheap test for a second-person word comes first; a word is tested
/// against [`CARE`] only when its first letter and length are a care word's.
fn addresses_patient(a: &Analysis<'_>) -> bool {
    a.tokens.iter().any(|t| {
        head2(&t.norm) == head2("yo") && matches!(t.norm.as_str(), "you" | "your" | "you're" | "yours" | "youre")
    }) && a
        .tokens
        .iter()
        .any(|t| CARE_SHAPES.may_contain(&t.norm) && CARE.contains(&t.norm.as_str()))
}

/// True when the post speaks of someone in the third person (`her
/// slippers`, `caught up with him`).
fn third_person(a: &Analysis<'_>) -> bool {
    a.tokens.iter().any(|t| {
        let h = head2(&t.norm);
        ((h == head2("he")) | (h == head2("hi")) | (h == head2("sh")))
            && matches!(t.norm.as_str(), "she" | "her" | "he" | "him" | "his" | "she's" | "he's")
    })
}

/// The first two bytes of `w` as one number (a one-byte word's byte
/// twice, which no two-letter head equals), read without a branch on the
/// length: a cheap test before a word list that turns away nearly every
/// word. A `matches!` on strings branches first on the length of each
/// word, then on its bytes, and both flip from one word to the next.
fn head2(w: &str) -> u16 {
    let w = w.as_bytes();
    let Some(last) = w.len().checked_sub(1) else {
        return 0;
    };
    u16::from_le_bytes([w[0], w[last.min(1)]])
}

/// True when the title before a name is itself preceded by a patient word.
fn patient_before_title(a: &Analysis<'_>, cues: &Cues, name: Span) -> bool {
    let i = a.tokens.partition_point(|t| t.span.start < name.start);
    let mut j = i.saturating_sub(1);
    if j > 0 && a.tokens[j].norm == "." {
        j -= 1;
    }
    j > 0 && cues.ends_with(j - 1, Role::Patient)
}

/// Verbs of a colleague's arrival (`Aroha joins us from Starship`): the
/// place after `from` is their previous workplace.
const JOIN_VERBS: &[&str] = &["joins", "joined", "join", "joining", "rejoins", "rejoined", "rejoining"];

/// True when the place at `span` follows `from` in a sentence with a verb
/// of joining (`she joins us from ICU at Starship`).
fn joins_from(a: &Analysis<'_>, span: Span) -> bool {
    let i = token_at(a, span.start);
    if i == 0 || a.tokens.get(i - 1).is_none_or(|t| t.norm != "from") {
        return false;
    }
    let s = a.sentence_of.get(i).copied();
    (i.saturating_sub(12)..i)
        .any(|k| a.sentence_of.get(k).copied() == s && JOIN_VERBS.contains(&a.tokens[k].norm.as_str()))
}

/// True when the place at `span` follows a job title of staff and `in`,
/// `at` or `across` (`knee surgeon in Manchester`, `physio at Ashford`).
fn staff_place(a: &Analysis<'_>, cues: &Cues, span: Span) -> bool {
    let i = token_at(a, span.start);
    i >= 2 && matches!(a.tokens[i - 1].norm.as_str(), "in" | "at" | "across") && cues.ends_with(i - 2, Role::Staff)
}

/// True when a ward, bay, bed or room number is a ward's (`Ward 9`), which
/// holds many patients.
/// True when the place at `span` is followed by `in <year>` (`at
/// Cheltenham in 1979`): the venue of a past event.
fn past_venue(a: &Analysis<'_>, span: Span) -> bool {
    let k = a.tokens.partition_point(|t| t.span.start < span.end);
    a.tokens.get(k).is_some_and(|t| t.norm == "in")
        && a.tokens.get(k + 1).is_some_and(|t| {
            t.kind == TokenKind::Number
                && t.norm.len() == 4
                && t.norm.parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y))
        })
}

fn is_ward(s: &str) -> bool {
    s.split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("ward") || w.eq_ignore_ascii_case("unit"))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let ids = ctx.signals.identifiers();
    if ids.is_empty() {
        return;
    }
    let cues = ctx.signals.cues();
    let personal = personal_sentences(ctx, a, cues);
    let n = a.sentences.len();
    let sent_of = |sp: Span| {
        a.sentences
            .partition_point(|s| s.span.end <= sp.start)
            .min(n.saturating_sub(1))
    };
    let is_personal = |sp: Span| personal.get(sent_of(sp)).copied().unwrap_or(false);
    let any_patient = ctx.signals.patient().any() || ctx.signals.patient().is_case() || phi::patient_cue(a, cues);
    // A post about no person (an organisation's notice: opening dates,
    // its address and phone line): its dates, places and facilities are
    // the organisation's.
    let person = any_patient || phi::mentions_person(a, cues);
    let addressed = addresses_patient(a);
    // A name with a place, spoken of in the third person, is a private
    // person's ("Dorothy ... got as far as the Co-op in Thirsk in her
    // slippers").
    let placed_person = ids.iter().any(|id| id.kind == Kind::Location) && third_person(a);
    // "Welcome home to ..." greets a patient, not a new colleague.
    let colleague_post =
        (0..a.tokens.len()).any(|i| cues.starts_with(i, Role::Colleague) && !cues.covered(i, Role::Event));
    let text_of = |id: &Identifier| &a.text[id.span.start..id.span.end];
    // The words of colleagues' and public figures' names, which are not
    // reported where they recur without a title.
    let exempt: Vec<String> = ids
        .iter()
        .filter(|id| {
            id.kind == Kind::Name
                && (PUBLIC.contains(&id.reason)
                    || COLLEAGUE.contains(&id.reason) && !patient_before_title(a, cues, id.span)
                    || credited(a, cues, id.span))
        })
        .flat_map(|id| text_of(id).split_whitespace().map(|w| base_word(w).to_lowercase()))
        .collect();
    let exempt_name = |id: &Identifier| {
        WEAK.contains(&id.reason)
            && text_of(id)
                .split_whitespace()
                .any(|w| exempt.iter().any(|x| *x == base_word(w).to_lowercase()))
    };
    // A handle counts in a sentence that mentions a patient, or just
    // before one ("Go follow @name 💜 she's one of my patients").
    let mut patient_sentence = PerSentence::new(n);
    for m in &ctx.signals.patient().mentions {
        if let Some(x) = patient_sentence.get_mut(sent_of(*m)) {
            *x = true;
        }
    }
    for (k, x) in patient_sentence.iter_mut().enumerate() {
        *x |= cues.in_sentence(k, Role::Patient);
    }
    let near_patient = |sp: Span| {
        let k = sent_of(sp);
        patient_sentence.get(k).copied().unwrap_or(false) || patient_sentence.get(k + 1).copied().unwrap_or(false)
    };

    // First the identifiers that stand on their own.
    let mut report: Vec<bool> = ids
        .iter()
        .map(|id| {
            let s = text_of(id);
            if allowed(ctx, id, s) || phi::is_public_org_with(a, id, || cues) {
                return false;
            }
            let here = is_personal(id.span);
            match id.kind {
                // A name repeated from elsewhere in the post is reported
                // when the first mention is (below).
                Kind::Name if id.reason == phi::REPEATED_NAME => false,
                Kind::Name => {
                    if COLLEAGUE.contains(&id.reason) {
                        // A colleague, unless introduced as a patient ("my patient Dr Jones").
                        patient_before_title(a, cues, id.span)
                    } else if PUBLIC.contains(&id.reason) || exempt_name(id) || credited(a, cues, id.span) {
                        false
                    } else if colleague_post {
                        here
                    } else if id.confidence < 0.75 {
                        here || any_patient && id.reason != "given name"
                            || addressed && id.reason == "name after a greeting"
                            || placed_person && WEAK.contains(&id.reason)
                    } else {
                        true
                    }
                }
                Kind::Date => here,
                Kind::Address => {
                    let s = sent_of(id.span);
                    let org = cues.in_sentence(s, Role::Facility)
                        || cues.in_sentence(s, Role::OrgPhone)
                        || cues.in_sentence(s, Role::Notice);
                    here || !org
                }
                Kind::Location | Kind::Organization => false,
                Kind::Url if id.reason == "social media handle" => {
                    !colleague_post && near_patient(id.span) && !tagged_colleague(a, id.span)
                }
                _ => true,
            }
        })
        .collect();
    // A name once reported is reported wherever it recurs.
    let names: Vec<String> = ids
        .iter()
        .zip(&report)
        .filter(|(id, r)| **r && id.kind == Kind::Name)
        .map(|(id, _)| text_of(id).to_lowercase())
        .collect();
    for (id, r) in ids.iter().zip(report.iter_mut()) {
        if id.kind == Kind::Name
            && !*r
            && !allowed(ctx, id, text_of(id))
            && !COLLEAGUE.contains(&id.reason)
            && !PUBLIC.contains(&id.reason)
        {
            let s = text_of(id).to_lowercase();
            *r = names.iter().any(|n| *n == s || n.split_whitespace().any(|w| w == s));
        }
    }
    // A name addressed about their care: the dates of that care are theirs
    // ("Glad your root canal on 2nd January went smoothly").
    let addressed_name = addressed
        && ids
            .iter()
            .zip(&report)
            .any(|(id, r)| *r && id.kind == Kind::Name && id.reason == "name after a greeting");
    let second_person = |sp: Span| {
        let k = sent_of(sp);
        a.tokens.iter().enumerate().any(|(i, t)| {
            matches!(t.norm.as_str(), "your" | "you") && a.sentence_of.get(i).is_some_and(|&x| x as usize == k)
        })
    };
    // In a post about no person, nothing else ties a date, place or
    // facility to one.
    let quiet = !person
        && !ids
            .iter()
            .zip(&report)
            .any(|(id, r)| *r && matches!(id.kind, Kind::Name | Kind::Age | Kind::Id));
    for (id, r) in ids.iter().zip(report.iter_mut()) {
        if quiet
            && matches!(
                id.kind,
                Kind::Date | Kind::Address | Kind::Location | Kind::Organization
            )
        {
            *r = false;
        }
        if addressed_name && id.kind == Kind::Date && second_person(id.span) {
            *r = true;
        }
    }
    // Places, wards and facilities count beside another identifier of the
    // person, or in a sentence about a patient.
    let strong = ids
        .iter()
        .zip(&report)
        .any(|(id, r)| *r && !matches!(id.kind, Kind::Date | Kind::Location | Kind::Organization));
    let reported_sentences: Vec<usize> = ids
        .iter()
        .zip(&report)
        .filter(|(_, r)| **r)
        .map(|(id, _)| sent_of(id.span))
        .collect();
    // A patient's bed at a named hospital points to one person ("whoever's
    // got bed 6 at St Mary's tonight: he's lovely"): the bed and the
    // facility count together in a post about him or her, not a ward
    // number or a bay in a notice.
    let bed_sentences: Vec<usize> = ids
        .iter()
        .filter(|id| id.kind == Kind::Location && id.reason == "ward, bay, bed or room number" && !is_ward(text_of(id)))
        .map(|id| sent_of(id.span))
        .filter(|&k| !cues.in_sentence(k, Role::Staff) && !cues.in_sentence(k, Role::TitlePro))
        .collect();
    let bed_at_facility = |sp: Span| {
        third_person(a)
            && any_patient
            && !colleague_post
            && bed_sentences.contains(&sent_of(sp))
            && ids
                .iter()
                .any(|o| o.kind == Kind::Organization && sent_of(o.span) == sent_of(sp) && !allowed(ctx, o, text_of(o)))
    };
    for (id, r) in ids.iter().zip(report.iter_mut()) {
        if *r || allowed(ctx, id, text_of(id)) || quiet {
            continue;
        }
        *r = match id.kind {
            Kind::Location | Kind::Organization if bed_at_facility(id.span) => {
                // A ward number still counts beside another identifier.
                id.kind == Kind::Organization || !is_ward(text_of(id)) || strong
            }
            Kind::Location if joins_from(a, id.span) && !cues.in_sentence(sent_of(id.span), Role::Patient) => false,
            // Where a clinician works (`the No.1 knee surgeon in
            // Manchester`), not where a patient lives.
            Kind::Location if staff_place(a, cues, id.span) => false,
            Kind::Location if id.reason == "ward, bay, bed or room number" => strong,
            // Where an incident happened, in a post about a patient.
            Kind::Location if id.reason == "point on a road" => any_patient || strong,
            // Where something happened decades ago (`won at Cheltenham in
            // 1979`): a venue of the past, not where the patient lives.
            Kind::Location if past_venue(a, id.span) => false,
            Kind::Location => {
                is_personal(id.span) && (any_patient || strong) || reported_sentences.contains(&sent_of(id.span))
            }
            Kind::Organization => strong,
            Kind::Date => strong && reported_sentences.contains(&sent_of(id.span)),
            _ => false,
        };
    }
    for (id, _) in ids.iter().zip(&report).filter(|(_, r)| **r) {
        let (placeholder, help) = placeholder_and_help(id.kind);
        let kind = id.kind.as_str();
        // "NAME (given name)", pushed in pieces rather than formatted.
        let mut note = String::with_capacity(kind.len() + id.reason.len() + 3);
        note.push_str(kind);
        note.push_str(" (");
        note.push_str(id.reason);
        note.push(')');
        out.push(
            Diagnostic::at(id.span, message(id))
                .with_kind(id.kind)
                .with_fix(Fix::replace(id.span, placeholder, Applicability::Safe))
                .with_help(help)
                .with_note(note),
        );
    }
}

/// The help of a finding, naming the placeholder that replaces it.
macro_rules! help {
    ($placeholder:literal) => {
        (
            $placeholder,
            concat!(
                "remove it or replace it with ",
                $placeholder,
                "; identifiers of patients and private people don't belong in a public post, even with good intent"
            ),
        )
    };
}

/// The placeholder of an identifier of `kind` (`Kind::placeholder`) and
/// the help of its finding, as static strings: a finding is built without
/// formatting (a test holds them to `Kind::placeholder`).
fn placeholder_and_help(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Name => help!("[NAME]"),
        Kind::Date => help!("[DATE]"),
        Kind::Age => help!("[AGE]"),
        Kind::Phone => help!("[PHONE]"),
        Kind::Fax => help!("[FAX]"),
        Kind::Email => help!("[EMAIL]"),
        Kind::Url => help!("[URL]"),
        Kind::Ip => help!("[IP]"),
        Kind::Address => help!("[ADDRESS]"),
        Kind::Location => help!("[LOCATION]"),
        Kind::Id => help!("[ID]"),
        Kind::Organization => help!("[ORGANIZATION]"),
        Kind::Other => help!("[OTHER]"),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;

    #[test]
    fn static_placeholders_and_help_match_the_kinds() {
        for kind in crate::finding::Kind::ALL {
            let (placeholder, help) = super::placeholder_and_help(kind);
            assert_eq!(placeholder, kind.placeholder());
            assert_eq!(
                help,
                format!(
                    "remove it or replace it with {}; identifiers of patients and private people don't belong in a public post, even with good intent",
                    kind.placeholder()
                )
            );
        }
    }
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn names_ages_and_beds_of_a_patient() {
        assert_spans(
            &RULE,
            "Shoutout to Doreen Pickersgill in bay 4 who turned 94 today 🎂 the whole ward sang",
            &["Doreen Pickersgill", "bay 4", "94"],
        );
        assert_spans(
            &RULE,
            "Teaching case: Mrs Eleanor Voss, 91, admitted 3 March 2026 after a fall at home.",
            &["Eleanor Voss", "91", "3 March 2026"],
        );
        assert_spans(&RULE, "My patient john smith keeps asking for his dog", &["john smith"]);
        assert_spans(
            &RULE,
            "Pt Doreen in bed 12 refused her meds again",
            &["Doreen", "bed 12"],
        );
    }

    #[test]
    fn contact_details_and_numbers() {
        assert_spans(
            &RULE,
            "Does anyone know Harold Pennock's daughter Claire? The number we have is 07700 900461 and claire.p1968@example.com bounces.",
            &["Harold Pennock", "Claire", "07700 900461", "claire.p1968@example.com"],
        );
        assert_spans(
            &RULE,
            "Pt in room 12 (MRN 7734021) pressed the call bell 41 times",
            &["room 12", "7734021"],
        );
        assert_spans(
            &RULE,
            "NHS number 943 476 5919, please chase the bloods",
            &["943 476 5919"],
        );
        assert_spans(&RULE, "His SSN is 123-45-6789 apparently", &["123-45-6789"]);
        assert_spans(&RULE, "Call me on (212) 555-0147 after 6", &["(212) 555-0147"]);
    }

    #[test]
    fn places_tied_to_a_patient() {
        assert_spans(
            &RULE,
            "23F, barista from Thornbury Heath, came in on Boxing Day yellow and confused.",
            &["Thornbury Heath", "Boxing Day"],
        );
        assert_spans(
            &RULE,
            "Saw a 19 yr old girl from Chandrapalli district with Takayasu arteritis in OPD yesterday.",
            &["Chandrapalli district"],
        );
        assert_spans(
            &RULE,
            "Massive thanks to the bloke at 14 Tern Street, Coogara who flagged us down at 3am.",
            &["14 Tern Street", "Coogara"],
        );
    }

    #[test]
    fn testimonial_signature() {
        assert_spans(
            &RULE,
            "'Best physio I've ever seen!' — Callum, Coogara. Thanks Callum, see you at parkrun!",
            &["Callum", "Coogara", "Callum"],
        );
    }

    #[test]
    fn colleagues_and_notices_are_not_findings() {
        assert_silent(
            &RULE,
            "'Dr Meera gave me my confidence back' 🥹 messages like this from patients are why I do this.",
        );
        assert_silent(
            &RULE,
            "Huge congratulations to Dr Amara Bello on passing her MRCP this week!",
        );
        assert_silent(
            &RULE,
            "Dr Sanjay Mehra joins our practice in May. Welcome to the team, Dr Mehra!",
        );
        assert_silent(
            &RULE,
            "Sad to say goodbye to Sister Ruth Adeyemi after 31 years on Ward 9. Enjoy retirement, Ruth 💐",
        );
        assert_silent(
            &RULE,
            "Meet the team 👋 This is Tom, our new sports physio. Say hi when you're in.",
        );
        assert_silent(
            &RULE,
            "Harbour Lane Surgery is closed on Monday 25 August. For urgent help call 111. Reception: 01632 960418.",
        );
        assert_silent(&RULE, "Our Kestrel Bay clinic is closed from 24 December to 2 January.");
        assert_silent(
            &RULE,
            "Night 4 of 4 on Ward 22 at Ashcombe General. Christmas rota still not sorted.",
        );
        assert_silent(
            &RULE,
            "Another drug seeker in room 9 claiming 10/10 pain while eating crisps.",
        );
    }

    #[test]
    fn ordinary_numbers_and_words_are_not_findings() {
        assert_silent(
            &RULE,
            "2026 goal: learn enough Punjabi to say hello to the families I see.",
        );
        assert_silent(
            &RULE,
            "Flu jabs prevent about 60% of admissions. Ask your GP or call 111.",
        );
        assert_silent(&RULE, "Full smile makeover from ₹1,50,000, link in bio");
        assert_silent(
            &RULE,
            "We're hiring! Apply via NHS Jobs: https://www.jobs.nhs.uk (ref 123-RU-4567)",
        );
        assert_silent(&RULE, "Raise the head of your bed by 15cm and sleep on your left side.");
        assert_silent(&RULE, "Off to Bali 3-17 August!! House-sitter bailed.");
        assert_silent(
            &RULE,
            "Will you get your flu jab? Hope so. Grant funding for the clinic came through.",
        );
        assert_silent(
            &RULE,
            "Screenshot of the board at 03:10: 47 waiting, 12 on trolleys, longest wait 19h.",
        );
        assert_silent(&RULE, "More from the NHS: https://www.nhs.uk/conditions/antibiotics/");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "🎉🎉🎉");
    }

    #[test]
    fn quotation_authors_and_public_figures_are_not_findings() {
        assert_silent(
            &RULE,
            "'Nursing is an art: and if it is to be made an art, it requires an exclusive devotion.' Florence Nightingale",
        );
        assert_silent(
            &RULE,
            "'Wherever the art of medicine is loved, there is also a love of humanity.' – Hippocrates. One for the week.",
        );
        assert_silent(
            &RULE,
            "'Listen to your patient, he is telling you the diagnosis.' – Sir William Osler. Still true in clinic today.",
        );
        // An author not on the list: a saying, not a patient's words about their care.
        assert_silent(
            &RULE,
            "'Kindness is the oldest medicine there is.' – Teodora Vasquez. A good one for the staff room wall.",
        );
        assert_silent(
            &RULE,
            "Read about Mary Seacole and Edith Cavell today with the student nurses. What a legacy.",
        );
    }

    #[test]
    fn where_the_author_works_is_not_a_patients_place() {
        assert_silent(
            &RULE,
            "Ranked the No.1 knee surgeon in Manchester by my patients for the third year running. Private consultations now open.",
        );
        assert_silent(
            &RULE,
            "Proud to have been voted the top knee surgeon in Ontario by my patients. Referrals welcome.",
        );
    }

    #[test]
    fn where_a_patients_family_lives_is_a_finding() {
        assert_spans(
            &RULE,
            "gonna miss Frank Delaney on ward 9 😭 91 years young and still flirting with every physio who walks past. off home to his daughter in Ballincollig today 💚 #nursing",
            &["Frank Delaney", "ward 9", "91", "Ballincollig"],
        );
        // The author's own family is not a patient's.
        assert_silent(&RULE, "Flying to see my daughter in Ballincollig this weekend 💚");
    }

    #[test]
    fn testimonial_signatures_are_findings() {
        assert_spans(
            &RULE,
            "'Dr Okafor fixed my back in two sessions!' – Priya K., Hamilton ⭐⭐⭐⭐⭐",
            &["Priya K.", "Hamilton"],
        );
        assert_spans(
            &RULE,
            "\"I walked out pain-free after a week\" — Desmond Achebe. Thank you Desmond!",
            &["Desmond Achebe", "Desmond"],
        );
    }

    #[test]
    fn colleagues_named_after_a_job_title() {
        assert_silent(
            &RULE,
            "Huge congratulations to Nurse Practitioner Mereana Tipene on her prescribing qualification! Our patients are lucky to have you, Mereana.",
        );
        assert_silent(
            &RULE,
            "Happy 40th birthday to our amazing porter Dilip 🎂 Cake in the staff room.",
        );
        assert_silent(
            &RULE,
            "So proud that physio Bríd Ó Conchúir from our Galway team has been named Physio of the Year 👏",
        );
        assert_silent(
            &RULE,
            "Please welcome Staff Nurse Kofi Boateng to Ward 7! Kofi joins us from Tamale.",
        );
        // A patient's name is still one, whatever job they had.
        assert_spans(
            &RULE,
            "My patient Mr Porter, a retired midwife's husband, went home today.",
            &["Porter"],
        );
    }

    #[test]
    fn institutions_are_not_names() {
        assert_silent(
            &RULE,
            "Parking at Royal North Shore changes from Monday: the multi-storey becomes staff-only.",
        );
        assert_silent(&RULE, "Visiting hours at Prince Charles are changing next month.");
        assert_silent(&RULE, "The open day at St Vincent's in Darlinghurst is on Saturday.");
    }

    #[test]
    fn patients_welcomed_home_and_named_with_their_town() {
        assert_spans(
            &RULE,
            "Big welcome home to Zbigniew Kowalczyk, who left our ICU on 3 June after 8 weeks with us.",
            &["Zbigniew Kowalczyk", "3 June"],
        );
        assert_spans(
            &RULE,
            "Happy 101st birthday to Edna Morrow of Lisnaskea, our oldest patient!",
            &["101st", "Edna Morrow", "Lisnaskea"],
        );
        assert_spans(
            &RULE,
            "If you know Mrs Kowal from Lidcombe, please ask her to ring the ward about her handbag.",
            &["Kowal", "Lidcombe"],
        );
    }

    #[test]
    fn ages_stated_of_a_person() {
        assert_spans(
            &RULE,
            "Our oldest patient this winter is 103 and still beats me at cards.",
            &["103"],
        );
        assert_spans(
            &RULE,
            "She walked out of rehab on her own two feet at 97. Never underestimate our older patients!",
            &["97"],
        );
        assert_silent(&RULE, "His heart rate was 96 at triage and his sats at 94 on air.");
        assert_silent(&RULE, "She was 95% sure it was the same rash.");
        assert_silent(&RULE, "The patient in bed 12 waited 100 minutes for a porter.");
        assert_silent(
            &RULE,
            "Omg the patient in bay 2 just asked me if I was old enough to be a nurse 🤣",
        );
    }

    #[test]
    fn handles_of_patients() {
        assert_spans(
            &RULE,
            "Go follow @sam.vs.crohns 💜 she's one of my patients and her posts are brilliant.",
            &["@sam.vs.crohns"],
        );
        assert_silent(
            &RULE,
            "Clear winter guidance for patients from @NHSEngland and @WHO this week.",
        );
        assert_silent(
            &RULE,
            "Birthday drinks for the best charge nurse ever 🥂 @jen_rn @dave.paramedic",
        );
    }

    #[test]
    fn organisation_notices_are_not_findings() {
        assert_silent(
            &RULE,
            "Our new outpatient physio clinic opens 14 July at 22 Mill Lane, Bristol. Weekdays 8am to 6pm, by referral.",
        );
        assert_silent(
            &RULE,
            "Hillview Pharmacy closes early on Friday 3 May for stocktaking. Normal hours from Monday 6 May. Tel 01632 960 771.",
        );
        assert_silent(
            &RULE,
            "Referrals to the Memory Service now go to memory.referrals@example.org. Our new address from 1 June: Suite 2, Larkfield Health Centre, Co. Kildare.",
        );
        assert_silent(
            &RULE,
            "Happy 50th birthday to Riverside Hospital, opened in 1976 with 200 beds 🎂",
        );
        assert_silent(
            &RULE,
            "The clinic is closed 24-26 December. For urgent advice call Healthline. Eid Mubarak and Meri Kirihimete to all!",
        );
        assert_silent(
            &RULE,
            "Saw the chief exec's car in the ambulance bay outside Beaumont ED again this morning 🙄",
        );
        // A person in the notice keeps their details identifiers.
        assert_spans(
            &RULE,
            "Pharmacy closed Monday, so I gave my mobile to the lady from Ferndale: 07700 900 318.",
            &["Ferndale", "07700 900 318"],
        );
    }

    #[test]
    fn tagged_colleagues_and_credited_staff_are_not_findings() {
        assert_silent(
            &RULE,
            "Great panel at the Frailty Summit with @DrSamOkoro @MidwivesNZ @JessPhysio @RuralGPs. Slides to follow!",
        );
        assert_silent(
            &RULE,
            "Our new falls-risk poster for the ward is up 📸 the patients love it. Thanks to Priyanka for designing it!",
        );
        // A single handle next to a patient still counts.
        assert_spans(
            &RULE,
            "Go follow @sam.vs.crohns 💜 she's one of my patients and her posts are brilliant.",
            &["@sam.vs.crohns"],
        );
    }

    #[test]
    fn patients_addressed_about_their_care() {
        assert_spans(
            &RULE,
            "Thank you Mariam 🙏 hope your filling on 4th March has settled. See you at your check-up!",
            &["Mariam", "4th March"],
        );
        assert_spans(
            &RULE,
            "Thanks Callum! Brilliant to see the knee rehab paying off, see you at your review.",
            &["Callum"],
        );
        // A colleague thanked for their work, with no care of theirs.
        assert_silent(&RULE, "Thanks Callum for covering the late shift, you're a star.");
    }

    #[test]
    fn named_person_with_their_town() {
        assert_spans(
            &RULE,
            "Maureen made it to the Spar in Ballymena in her dressing gown again 😂 we caught up with her eventually",
            &["Maureen", "Ballymena"],
        );
        assert_spans(
            &RULE,
            "Aaj OPD mein 94 saal ki amma aayi Sitapur village se, bole dawai khatam ho gayi",
            &["94", "Sitapur village"],
        );
        assert_spans(
            &RULE,
            "Pt's health card 1234-567-890-AB expired and admin want me to chase it",
            &["1234-567-890-AB"],
        );
    }

    #[test]
    fn policy_allow_list() {
        let t = Test::new("Call me on 07700 900123 to book").policy("[allow]\nphones = [\"07700 900123\"]\n");
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn fix_replaces_with_placeholders() {
        let t = Test::new("Pt John Smith, 92, admitted 3 March 2026.");
        assert_eq!(t.fixed(&RULE), "Pt [NAME], [AGE], admitted [DATE].");
    }

    #[test]
    fn ages_told_as_an_idiom() {
        assert!(Test::new("Popped in to see the lady in room 12 today. 101 and still beats me at cards.").fires(&RULE));
        assert_silent(&RULE, "Page 96 and still no sign of the plot twist.");
        assert_silent(
            &RULE,
            "Sats 94 and still dropping overnight, so we called the outreach team.",
        );
    }

    #[test]
    fn ranks_and_offices_mark_public_figures() {
        assert_silent(
            &RULE,
            "Good on Dame Judi Dench for speaking about her macular degeneration. Get your eyes checked.",
        );
        assert_silent(
            &RULE,
            "President Obama spoke about his mother's cancer care today. Worth a listen.",
        );
        assert!(Test::new("Mrs Judith Denholm in bed 4 turned 94 today").fires(&RULE));
    }

    #[test]
    fn staff_role_in_apposition_is_a_colleague() {
        assert_silent(
            &RULE,
            "Farewell to Margaret Oduya, our ward clerk, after 30 years of keeping us in order! Enjoy it, Maggie.",
        );
        assert!(Test::new("Thinking of Margaret Oduya, our patient in bay 2, who went home today.").fires(&RULE));
    }

    #[test]
    fn a_new_colleagues_previous_workplace() {
        assert_silent(
            &RULE,
            "Please welcome Dr Tane Walker to the practice! Tane joins us from Kaitaia and loves rural medicine.",
        );
        assert!(Test::new("Mr Walker from Kaitaia was admitted with chest pain today").fires(&RULE));
    }

    #[test]
    fn incident_locations_and_islands() {
        assert!(
            Test::new("Bad one near mile marker 88 last night. 19yo driver, trapped for an hour, flown to Dunedin.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Roadworks near mile marker 88 this weekend, allow extra time to reach the clinic.",
        );
        assert!(
            Test::new("Had the last fisherman on the Aran Islands in clinic today, he came over for his knee review.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Our conference is on the Mornington Peninsula this year, book early!",
        );
    }

    #[test]
    fn a_bed_at_a_named_hospital() {
        assert!(
            Test::new("Whoever has bay 3 at St Jude's tonight: she's a sweetheart but hide the biscuits 😂")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Bay 3 at St Jude's is being repainted this week, patients will move to bay 5.",
        );
        assert_silent(
            &RULE,
            "Ward 9 at St Jude's moves to the new wing on Monday, he said it's overdue.",
        );
    }

    #[test]
    fn where_the_author_was_is_not_the_patients_place() {
        assert!(
            !Test::new("Got stopped at Tesco today by a former patient's husband, who wanted to thank the ward.")
                .fires(&RULE)
        );
        assert!(!Test::new("I bumped into an old patient at Aldi and she looked so well.").fires(&RULE));
        assert!(
            Test::new("Mrs Doreen Pickersgill from Thornbury Heath was admitted overnight with a fall.").fires(&RULE)
        );
    }

    #[test]
    fn public_careers_before_a_name_mark_public_figures() {
        assert_silent(
            &RULE,
            "Respect to Olympic sprinter Dane Whitford for talking publicly about living with type 1 diabetes. See your GP if you're always thirsty.",
        );
        assert_silent(
            &RULE,
            "Thank you to singer Maya Okonkwo for sharing her endometriosis story on TV last night. Pelvic pain is not normal.",
        );
        // Owned or said of a patient, the same career is a patient's.
        assert!(Test::new("Our patient, sprinter Dane Whitford, was admitted last night with DKA.").fires(&RULE));
        assert!(Test::new("Discharged my jockey Tom Carberry today after his fall, 4 weeks in a cast.").fires(&RULE));
    }

    #[test]
    fn a_facilitys_locality_is_not_a_name() {
        assert_silent(
            &RULE,
            "Smile Street Dental, Karol Bagh will be closed on 15 August for Independence Day. Call our clinic line for emergencies.",
        );
        assert_silent(
            &RULE,
            "Riverside Medical Centre, Kings Heath is closed this Friday for staff training. Call 111 if you need help.",
        );
        assert!(Test::new("Mrs Karol Bagh in bed 4 turned 94 today").fires(&RULE));
    }

    #[test]
    fn a_brand_thanked_is_not_a_name() {
        assert_silent(
            &RULE,
            "So impressed by the new Medivance dressing range after their team's lunch-and-learn. Thank you Medivance for looking after us!",
        );
        assert_silent(
            &RULE,
            "Trying the new Zentra pumps on the ward this week. Thanks Zentra for the training!",
        );
        // A person thanked, named nowhere else as a brand, still is one.
        assert!(
            Test::new(
                "Thanks Callum for the chocolates, so glad your new hip is working. See you at your 6-week check."
            )
            .fires(&RULE)
        );
    }

    #[test]
    fn a_venue_of_the_past_is_not_the_patients_place() {
        assert_silent(
            &RULE,
            "This lovely man with MND told me today he used to be a jockey and won at Cheltenham in 1979. Made my shift.",
        );
        assert_silent(
            &RULE,
            "My patient today told me she danced at Blackpool in 1962 with her late husband. Best story of the week.",
        );
        assert!(
            Test::new("This lovely man with MND told me today he still lives in Cheltenham with his wife.")
                .fires(&RULE)
        );
    }
}
