//! Organisations named by their shape: a capitalised name ending in a
//! company word (`Shepherd Ltd.`, `Allstate Insurance Group`, `Lucid and
//! Loveland Technologies`, `Smith & Sons`), a firm of partners (`Davis,
//! Reynolds and Williamson`, `Mayo-Walters`), and a capitalised name after
//! a phrase that introduces an employer (`worked for Usaa`, `a year at
//! Weeks-Rivas`). Named facilities (`... Hospital`) are found with the
//! names of people (`names.rs`).

use primum_text::{Analysis, Case, PerToken};

use super::words::{Class, Cues, Role, ShapeFilter, WordSet};
use super::{Identifier, push};
use crate::finding::Kind;

/// Legal forms: a capitalised name before one is a company's.
fn legal_word(w: &str) -> bool {
    LEGAL_WORDS.contains(w)
}

/// The words of [`legal_word`].
const LEGAL_WORDS: WordSet<24> = WordSet::new([
    "inc",
    "llc",
    "llp",
    "ltd",
    "plc",
    "gmbh",
    "ag",
    "corp",
    "corporation",
    "co",
    "company",
    "limited",
    "pty",
    "pvt",
    "lp",
    "sa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "srl",
    "spa",
    "kg",
]);

/// The shapes of the words of [`legal_word`] and [`trade_word`]: asked
/// first, with one load, of every capitalised word (few have one), where
/// the two sets compare a word's shape with each of their 65 words'.
const COMPANY_SHAPES: ShapeFilter = ShapeFilter::of(&LEGAL_WORDS).or(ShapeFilter::of(&TRADE_WORDS));

/// Words that end many company names; weaker than a legal form.
fn trade_word(w: &str) -> bool {
    TRADE_WORDS.contains(w)
}

/// The words of [`trade_word`].
const TRADE_WORDS: WordSet<41> = WordSet::new([
    "group",
    "holdings",
    "partners",
    "associates",
    "technologies",
    "technology",
    "solutions",
    "systems",
    "industries",
    "enterprises",
    "ventures",
    "capital",
    "consulting",
    "insurance",
    "investments",
    "bank",
    "labs",
    "software",
    "markets",
    "media",
    "sons",
    "brothers",
    "bros",
    "analytics",
    "logistics",
    "pharmaceuticals",
    "pharma",
    "bioscience",
    "biosciences",
    "networks",
    "communications",
    "motors",
    "foods",
    "finance",
    "financial",
    "realty",
    "properties",
    "construction",
    "agency",
    "studios",
    "trust",
]);

/// Phrases (last word first) after which a capitalised name is an employer.
const EMPLOYER_CUES: &[&[&str]] = &[
    &["for", "work"],
    &["for", "works"],
    &["for", "worked"],
    &["for", "working"],
    &["at", "work"],
    &["at", "works"],
    &["at", "worked"],
    &["at", "working"],
    &["by", "employed"],
    &["at", "employed"],
    &["at", "job"],
    &["at", "intern"],
    &["at", "internship"],
    &["joined"],
    &["at", "year"],
    &["support"],
];

/// The last words of [`EMPLOYER_CUES`].
const EMPLOYER_LAST: WordSet<5> = WordSet::new(["for", "at", "by", "joined", "support"]);

/// `inc`, the one legal form written in lower case that ends a name.
const INC: WordSet<1> = WordSet::new(["inc"]);

/// Nouns that say what kind of organisation a name is (`Coden is a design
/// agency`, `Persint is an German multinational`).
fn org_noun(w: &str) -> bool {
    matches!(
        w,
        "company"
            | "firm"
            | "agency"
            | "startup"
            | "start-up"
            | "multinational"
            | "nonprofit"
            | "non-profit"
            | "charity"
            | "corporation"
            | "business"
            | "brand"
            | "bank"
            | "consultancy"
            | "retailer"
            | "manufacturer"
            | "provider"
            | "publisher"
            | "insurer"
            | "conglomerate"
            | "organisation"
            | "organization"
            | "enterprise"
            | "employer"
            | "supplier"
            | "vendor"
    )
}

/// Words after a capitalised name that make it an organisation's
/// (`The Avalara office is at`).
fn org_after(w: &str) -> bool {
    matches!(
        w,
        "office" | "offices" | "headquarters" | "hq" | "employees" | "staff" | "ceo" | "board" | "shareholders"
    )
}

/// A capitalised word (or one in mixed case that starts with a capital),
/// one bit of the token's class.
fn cap(cues: &Cues, i: usize) -> bool {
    cues.class(i) & Class::CAPITAL != 0
}

fn key<'a>(a: &'a Analysis<'_>, i: usize) -> &'a str {
    a.tokens.get(i).map_or("", |t| t.norm.as_str())
}

/// Words that do not open a company's name.
fn not_start(w: &str) -> bool {
    NOT_START.contains(w)
}

/// The words of [`not_start`].
const NOT_START: WordSet<26> = WordSet::new([
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "at", "in", "for", "from", "of",
    "and", "with", "by", "to", "i", "we", "mr", "mrs", "ms", "dr",
]);

/// True when the gap between tokens `i` and `i + 1` is one space or none.
fn near(a: &Analysis<'_>, i: usize) -> bool {
    match (a.tokens.get(i), a.tokens.get(i + 1)) {
        (Some(x), Some(y)) => {
            let gap = &a.text[x.span.end..y.span.start];
            gap.len() <= 1 && gap != "\n"
        }
        _ => false,
    }
}

/// A surname-like word: capitalised, not an ordinary word, not a
/// month or a day.
fn surname_like(a: &Analysis<'_>, cues: &Cues, i: usize) -> bool {
    let k = key(a, i);
    cap(cues, i)
        && a.tokens[i].case != Case::Upper
        && {
            let e = cues.word(a, i);
            e.surname || !e.common(8000)
        }
        && !super::names::month_or_day(k)
        && k.chars().count() > 1
}

/// The first token of the capitalised name that ends at token `e - 1`
/// (up to four words, with `&`, `and`, `-` and `,` between them).
fn name_start(a: &Analysis<'_>, e: usize, cues: &Cues) -> Option<usize> {
    let mut j = e;
    let mut words = 0;
    while j > 0 && words < 4 {
        let p = j - 1;
        if !near(a, p) {
            break;
        }
        if cap(cues, p) && !not_start(key(a, p)) && !cues.covered(p, Role::Title) {
            words += 1;
            j = p;
        } else if matches!(key(a, p), "&" | "and" | "-") && p > 0 && cap(cues, p - 1) {
            j = p;
        } else {
            break;
        }
    }
    while j < e && matches!(key(a, j), "&" | "and" | "-") {
        j += 1;
    }
    (words > 0 && j < e).then_some(j)
}

pub(super) fn detect(a: &Analysis<'_>, cues: &Cues, out: &mut Vec<Identifier>) {
    let n = a.tokens.len();
    // Every shape here starts or ends at a capitalised word (or `inc`):
    // those tokens are listed without a branch on each token (one that
    // would go either way as the words of a post go), then looked at.
    let looked_at = |i: usize| {
        // `inc` has three bytes: its shape is the word (see `WordSet`).
        let inc = INC.may_hold_shape(cues.shape(i));
        (cues.class(i) & Class::CAPITAL != 0) | (cues.class(i) & Class::WORD != 0) & inc
    };
    let mut at = PerToken::new(n);
    for &i in at.select(looked_at) {
        let i = i as usize;
        let t = &a.tokens[i];
        let k = key(a, i);
        // The shape filter first (the tests are pure: their order does not
        // change the answer).
        let company_shape = |x: usize| COMPANY_SHAPES.may_hold(cues.shape(x));
        // A company word after a capitalised name.
        let company = company_shape(i);
        let legal = company && legal_word(k) && (cap(cues, i) || k == "inc");
        let trade = company && trade_word(k) && cap(cues, i);
        // `Allstate Insurance Group`: the last company word ends the name.
        let more = company_shape(i + 1)
            && near(a, i)
            && cap(cues, i + 1)
            && (legal_word(key(a, i + 1)) || trade_word(key(a, i + 1)));
        if (legal || trade)
            && !more
            && let Some(j) = name_start(a, i, cues)
        {
            // `Co` must be written as a word (`Shepherd & Co.`), and a
            // trade word needs a name that is not all ordinary words.
            let rare = (j..i).any(|x| cap(cues, x) && !cues.word(a, x).common(3000));
            if legal || rare {
                let mut end = i;
                if a.tokens.get(i + 1).is_some_and(|x| x.norm == "." && !x.space_before) && k.len() <= 4 {
                    end = i + 1;
                }
                let conf = if legal { 0.85 } else { 0.7 };
                push(
                    out,
                    a.tokens[j].span.start,
                    a.tokens[end].span.end,
                    Kind::Organization,
                    conf,
                    "company name",
                );
                continue;
            }
        }
        // A firm of partners: `Davis, Reynolds and Williamson`.
        // The cheap tests first (the order does not change the result).
        if cues.is(i + 1, Class::COMMA)
            && surname_like(a, cues, i)
            && (i == 0 || !cap(cues, i - 1) || not_start(key(a, i - 1)))
            && surname_like(a, cues, i + 2)
            && (key(a, i + 3) == "and" || key(a, i + 3) == "&")
            && surname_like(a, cues, i + 4)
        {
            let firsts = [i, i + 2, i + 4].iter().filter(|&&x| cues.word(a, x).first).count();
            if firsts < 2 {
                push(
                    out,
                    t.span.start,
                    a.tokens[i + 4].span.end,
                    Kind::Organization,
                    0.75,
                    "firm of partners",
                );
                continue;
            }
        }
        // A double-barrelled firm: `Mayo-Walters` (not `Jane Smith-Jones`).
        if cues.is(i + 1, Class::HYPHEN)
            && surname_like(a, cues, i)
            && !a.tokens[i + 1].space_before
            && surname_like(a, cues, i + 2)
            && !a.tokens[i + 2].space_before
            && cues.word(a, i).surname
            && cues.word(a, i + 2).surname
            && (i == 0 || !cap(cues, i - 1) || !near(a, i - 1))
            && !(cap(cues, i + 3) && near(a, i + 2))
            && !cues.covered(i.saturating_sub(1), Role::Title)
        {
            push(
                out,
                t.span.start,
                a.tokens[i + 2].span.end,
                Kind::Organization,
                0.6,
                "firm of partners",
            );
            continue;
        }
        // A capitalised name said to be a company (`Coden is a design
        // agency`), or with an organisation's office after it (`The
        // Avalara office`).
        let not_start_at = |x: usize| NOT_START.contains_shaped(cues.tokens[x].shape, key(a, x));
        if cap(cues, i) && (i == 0 || !cap(cues, i - 1) || not_start_at(i - 1)) && !not_start_at(i) {
            let mut e = i;
            while e + 1 < n && e - i < 3 && near(a, e) && cap(cues, e + 1) {
                e += 1;
            }
            let is_a = key(a, e + 1) == "is" && matches!(key(a, e + 2), "a" | "an");
            let noun = is_a && (e + 3..(e + 6).min(n)).any(|x| org_noun(key(a, x)) || key(a, x) == "501");
            let office = i > 0 && key(a, i - 1) == "the" && org_after(key(a, e + 1));
            // Asked last: a given name is looked up only for a described name.
            if (noun || office) && !(e > i && cues.word(a, i).first) && !super::names::month_or_day(k) {
                push(
                    out,
                    t.span.start,
                    a.tokens[e].span.end,
                    Kind::Organization,
                    0.65,
                    "organisation by its description",
                );
                continue;
            }
        }
        // An employer after its phrase: `worked for Usaa Group`.
        let prev = i.checked_sub(1).map_or("", |p| key(a, p));
        let employer = EMPLOYER_LAST.contains(prev)
            && EMPLOYER_CUES.iter().any(|cue| {
                cue.iter()
                    .enumerate()
                    .all(|(m, w)| i.checked_sub(m + 1).is_some_and(|x| key(a, x) == *w))
            });
        if employer && cap(cues, i) && !not_start(k) && !cues.word(a, i).first {
            let mut e = i;
            while e + 1 < n && e - i < 3 && near(a, e) && cap(cues, e + 1) {
                e += 1;
            }
            let company_word = |x: usize| legal_word(key(a, x)) || trade_word(key(a, x));
            if (i..=e).any(|x| !cues.word(a, x).common(3000)) && !(i..=e).any(company_word) {
                push(
                    out,
                    t.span.start,
                    a.tokens[e].span.end,
                    Kind::Organization,
                    0.6,
                    "employer",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use primum_text::Analysis;

    use super::super::words::Cues;

    fn orgs(text: &str) -> Vec<&str> {
        let a = Analysis::new(text);
        let mut out = Vec::new();
        super::detect(&a, &Cues::new(&a), &mut out);
        out.iter().map(|i| &text[i.span.start..i.span.end]).collect()
    }

    #[test]
    fn company_shapes() {
        assert_eq!(orgs("The Shepherd Ltd. Orchestra was founded"), ["Shepherd Ltd."]);
        assert_eq!(
            orgs("During 2017, Allstate Insurance Group invested"),
            ["Allstate Insurance Group"]
        );
        assert_eq!(orgs("bought from the Harlow & Sons shop"), ["Harlow & Sons"]);
        assert_eq!(
            orgs("The Davis, Reynolds and Williamson Orchestra"),
            ["Davis, Reynolds and Williamson"]
        );
        assert_eq!(orgs("During 1971, Mayo-Walters invested heavily"), ["Mayo-Walters"]);
        assert_eq!(orgs("I used to work for Usaa Group as an operator"), ["Usaa Group"]);
        assert_eq!(orgs("Coden is a design agency based in Leeds"), ["Coden"]);
        assert_eq!(orgs("The Avalara office is at 12 High St"), ["Avalara"]);
        assert_eq!(orgs("Transunion is a 501(c)3 that invites"), ["Transunion"]);
    }

    #[test]
    fn not_companies() {
        for t in [
            "Our support group meets on Tuesdays",
            "The Support Group was great",
            "Jane Smith-Jones was admitted",
            "Tom, Dick and Harry",
            "the patient in bed 4 is going home",
            "I work for the NHS",
            "Jane Smith is a nurse at the practice",
            "Paracetamol is a medicine",
        ] {
            assert!(orgs(t).is_empty(), "{t}: {:?}", orgs(t));
        }
    }
}
