//! Tests of the detector and of redaction.

use primum_text::Analysis;

use super::{RedactStyle, detect, redact, redact_with};
use crate::finding::Kind;
use crate::policy::Policy;

/// The identifiers of `text` as (kind, substring).
fn found(text: &str) -> Vec<(Kind, String)> {
    let a = Analysis::new(text);
    detect(&a)
        .into_iter()
        .map(|i| (i.kind, text[i.span.start..i.span.end].to_string()))
        .collect()
}

fn has(text: &str, kind: Kind, s: &str) {
    let f = found(text);
    assert!(
        f.iter().any(|(k, x)| *k == kind && x == s),
        "{kind:?} {s:?} not found in {text:?}: {f:?}"
    );
}

#[test]
fn dates() {
    has("admitted 3 March 2026 after a fall", Kind::Date, "3 March 2026");
    has("seen on March 3rd in clinic", Kind::Date, "March 3rd");
    has("seen on the 3rd of March", Kind::Date, "the 3rd of March");
    has("DOB 03/03/1951", Kind::Date, "03/03/1951");
    has("scan on 2026-03-03", Kind::Date, "2026-03-03");
    has("came in on Boxing Day", Kind::Date, "Boxing Day");
    has("flew to Leeds on Tuesday morning.", Kind::Date, "Tuesday");
    has("We'll meet Monday at the cafe", Kind::Date, "Monday");
    assert!(found("clinic every Monday, happy Friday all").is_empty());
    assert!(found("2026 goal: learn Punjabi").is_empty());
    assert!(found("pain 10/10, worse since March").is_empty());
    assert!(found("you may 15 times a day").is_empty());
}

#[test]
fn ages_over_89() {
    has("who turned 94 today", Kind::Age, "94");
    has("Mrs Voss, 91, admitted", Kind::Age, "91");
    has("a 92-year-old man", Kind::Age, "92");
    has("92yo with a fall", Kind::Age, "92");
    has("aged 93 and still gardening", Kind::Age, "93");
    has(
        "gonna miss him on ward 9 😭 91 years young and still flirting",
        Kind::Age,
        "91",
    );
    assert!(
        !found("heart rate is 96 and still rising")
            .iter()
            .any(|(k, _)| *k == Kind::Age)
    );
    // Younger ages are found too, for `redact`, with a reason that `check` drops.
    let a = Analysis::new("a 45-year-old came in");
    let ids = detect(&a);
    assert_eq!(ids.len(), 1);
    assert_eq!((ids[0].kind, ids[0].reason), (Kind::Age, super::ages::UNDER_90));
    has("the seventy-eight-year-old walked in", Kind::Age, "seventy-eight");
    has("He just turned 46 years old", Kind::Age, "46");
    has("I'll turn 23.", Kind::Age, "23");
    has("my father retired at the age of 61", Kind::Age, "61");
    has("Written when he was 78.", Kind::Age, "78");
    assert!(found("when she was 5 minutes late").is_empty());
    assert!(found("spiked a temp of 101F overnight").is_empty());
    let a = Analysis::new("a 19 yr old girl and her 67M dad");
    let ages: Vec<u32> = super::ages(&a).iter().map(|x| x.years).collect();
    assert_eq!(ages, [19, 67]);
}

#[test]
fn phones_and_not_phones() {
    has("ring 07700 900461 please", Kind::Phone, "07700 900461");
    has("call +44 7700 900461", Kind::Phone, "+44 7700 900461");
    has("mobile 0412 345 678", Kind::Phone, "0412 345 678");
    has("WhatsApp +91 98765 43210", Kind::Phone, "+91 98765 43210");
    has("call (212) 555-0147", Kind::Phone, "(212) 555-0147");
    has("fax 01632 960999", Kind::Fax, "01632 960999");
    has("Fax: 345-899-3560x4587", Kind::Fax, "345-899-3560x4587");
    has("They're not answering at 78 651 450", Kind::Phone, "78 651 450");
    has("Phone: (72) 754-186", Kind::Phone, "(72) 754-186");
    has("001-518-640-0854 mobile", Kind::Phone, "001-518-640-0854");
    has("reach me on 3660170548-Fax", Kind::Fax, "3660170548");
    assert!(found("BP 120/80, RR 18, HR 72, sats 97% on 2L").is_empty());
    assert!(found("gave 1000 mg at 0800 and 500 mg at 1400").is_empty());
    for t in [
        "pain 10/10 since 12-14 March",
        "meet at 03:10 or 14:30",
        "cost £1,200 or ₹1,50,000",
        "from 2019-2024 we saw 2,400 adults",
        "paracetamol 15 mg/kg every 4 hours",
        "ref 123-RU-4567",
    ] {
        assert!(
            !found(t).iter().any(|(k, _)| matches!(k, Kind::Phone | Kind::Fax)),
            "{t}: {:?}",
            found(t)
        );
    }
}

#[test]
fn numbers_with_checks() {
    has("NHS number 943 476 5919", Kind::Id, "943 476 5919");
    has("MRN 7734021", Kind::Id, "7734021");
    has("card 4111 1111 1111 1111", Kind::Id, "4111 1111 1111 1111");
    has("aadhaar 4991 1866 5246", Kind::Id, "4991 1866 5246");
    has(
        "IBAN GB82 WEST 1234 5698 7654 32",
        Kind::Id,
        "GB82 WEST 1234 5698 7654 32",
    );
    has("from 192.168.1.20 last night", Kind::Ip, "192.168.1.20");
    has("addr 2001:db8::8a2e:370:7334", Kind::Ip, "2001:db8::8a2e:370:7334");
    assert!(!found("version 1.2.3 and 4.5").iter().any(|(k, _)| *k == Kind::Ip));
}

#[test]
fn names_places_addresses() {
    has(
        "Shoutout to Doreen Pickersgill in bay 4",
        Kind::Name,
        "Doreen Pickersgill",
    );
    has("Shoutout to Doreen Pickersgill in bay 4", Kind::Location, "bay 4");
    has(
        "He's on Ward 9 at Queen Adelaide Hospital, side room 3",
        Kind::Organization,
        "Queen Adelaide Hospital",
    );
    has(
        "He's on Ward 9 at Queen Adelaide Hospital, side room 3",
        Kind::Location,
        "side room 3",
    );
    has("a barista from Thornbury Heath", Kind::Location, "Thornbury Heath");
    has("from Chandrapalli district", Kind::Location, "Chandrapalli district");
    has("27 Wexcombe Road is ours", Kind::Address, "27 Wexcombe Road");
    has("Flat 3, 14 Tern Street", Kind::Address, "Flat 3");
    has("post to SW1A 1AA", Kind::Address, "SW1A 1AA");
    has("my patient john smith", Kind::Name, "john smith");
    for t in [
        "Will you come? Hope so.",
        "Grant funding arrived",
        "Rose garden open",
        "Sunday roast for 12",
    ] {
        assert!(!found(t).iter().any(|(k, _)| *k == Kind::Name), "{t}: {:?}", found(t));
    }
}

#[test]
fn names_that_generalise() {
    // Names with diacritics, after a greeting phrase.
    has(
        "Big welcome home to Tadeusz Wiśniewski, who left our ICU",
        Kind::Name,
        "Tadeusz Wiśniewski",
    );
    // An initial closes a signature; a place after a name.
    has("'Sorted my knee!' – Graham P., Taupō", Kind::Name, "Graham P.");
    has("'Sorted my knee!' – Graham P., Taupō", Kind::Location, "Taupō");
    has("Happy birthday to Florence Evans of Ashby", Kind::Location, "Ashby");
    // Institutions are organisations, not people.
    has(
        "Parking at Royal Prince Alfred changes",
        Kind::Organization,
        "Royal Prince Alfred",
    );
    // Job titles are never names.
    for t in [
        "has been named Midwife of the Year",
        "called Porter to the desk",
        "named Physio Of The Month",
    ] {
        let f = found(t);
        assert!(!f.iter().any(|(k, _)| *k == Kind::Name), "{t}: {f:?}");
    }
    // A public figure is found (redaction removes every person's name) with its reason.
    let a = Analysis::new("'Be kind, always.' – Teodora Vasquez");
    assert!(
        detect(&a)
            .iter()
            .any(|i| i.kind == Kind::Name && i.reason == "author of a quotation")
    );
    let a = Analysis::new("Florence Nightingale said it first");
    assert!(
        detect(&a)
            .iter()
            .any(|i| i.kind == Kind::Name && i.reason == "public figure")
    );
    // But a title makes it a patient's name again.
    let a = Analysis::new("Mrs Nightingale in bed 4");
    assert!(
        detect(&a)
            .iter()
            .any(|i| i.kind == Kind::Name && i.reason == "title and name")
    );
}

#[test]
fn ages_stated_and_birthdays() {
    has("walked out on her own two feet at 95", Kind::Age, "95");
    has("our oldest patient is 103 and sharp", Kind::Age, "103");
    has("Happy 100th birthday to Florence", Kind::Age, "100th");
    has("Agnes, born 2 February 1931, went home", Kind::Date, "2 February 1931");
    for t in [
        "his heart rate is 96 and rising",
        "she is 95% sure",
        "the patient in bed 12 waited 100 minutes",
        "we were at 99 beds by noon",
        "is 100 mg enough",
    ] {
        assert!(!found(t).iter().any(|(k, _)| *k == Kind::Age), "{t}: {:?}", found(t));
    }
}

#[test]
fn handles() {
    has("Go follow @maddie.beats.lupus 💜", Kind::Url, "@maddie.beats.lupus");
    has("rego XKT48B on the Corolla", Kind::Id, "XKT48B");
    // An organisation's handle is kept by redaction; a person's is removed.
    let r = redact("Thanks @NHSEngland, @CDCgov and @jess_runs_far", &Policy::core());
    assert_eq!(r.text, "Thanks @NHSEngland, @CDCgov and [URL]");
}

#[test]
fn emails_and_personal_urls() {
    has(
        "write to claire.p1968@example.com",
        Kind::Email,
        "claire.p1968@example.com",
    );
    has(
        "her page facebook.com/doreen.pickersgill",
        Kind::Url,
        "facebook.com/doreen.pickersgill",
    );
    assert!(found("More: https://www.nhs.uk/conditions/flu/").is_empty());
}

#[test]
fn redaction() {
    let p = Policy::core();
    let r = redact(
        "Seen Mrs Eleanor Voss, 91, on 3 March 2026; daughter on 07700 900461.",
        &p,
    );
    assert_eq!(r.text, "Seen Mrs [NAME], [AGE], on [DATE]; daughter on [PHONE].");
    assert_eq!(r.spans.len(), 4);
    // Colleagues are redacted too; a surgery's reception number and public links are kept.
    let r = redact(
        "Welcome Dr Sanjay Mehra! Reception: 01632 960418. https://www.nhs.uk/flu",
        &p,
    );
    assert_eq!(
        r.text,
        "Welcome Dr [NAME]! Reception: 01632 960418. https://www.nhs.uk/flu"
    );
    assert_eq!(redact("", &p).text, "");
    assert_eq!(redact("Nothing to see here 🎉", &p).text, "Nothing to see here 🎉");
}

#[test]
fn never_panics_and_stays_linear() {
    let big = "Mrs Doreen Pickersgill, 94, 07700 900461 room 9 3 March ".repeat(2000);
    let a = Analysis::new(&big);
    assert!(detect(&a).len() >= 2000);
    for t in [
        "\u{0}",
        "—",
        "' —",
        "Dr.",
        "Mr",
        "14",
        "Flat",
        "pt",
        "🎉 Ward 🎉 9",
        "é 14 É Street",
    ] {
        let _ = found(t);
    }
}

/// The corpus the dump and recall helpers read: `PHI_FILE`, else the
/// shared development set.
fn corpus() -> Option<(String, String)> {
    let path = std::env::var("PHI_FILE")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/posts/dev.jsonl").to_string());
    match std::fs::read_to_string(&path) {
        Ok(data) => Some((path, data)),
        Err(_) => {
            eprintln!("skipped: {path} is not present");
            None
        }
    }
}

/// Prints what the detector finds in each post of the corpus (run with
/// PHI_DUMP=1, and PHI_FILE=path for another corpus than dev.jsonl).
#[test]
fn dump_corpus() {
    if std::env::var("PHI_DUMP").is_err() {
        return;
    }
    let Some((_, data)) = corpus() else { return };
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let text = v["text"].as_str().unwrap_or_default();
        let f = found(text);
        if !f.is_empty() {
            println!("{} {:?}", v["id"].as_str().unwrap_or("?"), f);
        }
    }
}

/// Character recall of the corpus's `phi` spans by the rule's findings,
/// with each missed span (run with PHI_DUMP=1; PHI_FILE=path for another
/// corpus than dev.jsonl).
#[test]
fn char_recall() {
    if std::env::var("PHI_DUMP").is_err() {
        return;
    }
    let Some((path, data)) = corpus() else { return };
    let (mut hit, mut all) = (0usize, 0usize);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let expects = v["expect"]
            .as_array()
            .is_some_and(|e| e.iter().any(|x| x == "privacy/patient-identifier"));
        if !expects {
            continue;
        }
        let text = v["text"].as_str().unwrap_or_default();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let found = crate::testing::Test::new(text).run(&crate::rules::privacy::patient_identifier::RULE);
        for p in v["phi"].as_array().into_iter().flatten() {
            if p["kind"] == "OTHER" {
                continue;
            }
            let to = |x: &serde_json::Value| usize::try_from(x.as_u64().unwrap_or(0)).unwrap_or(0);
            let (s, e) = (to(&p["start"]).min(chars.len()), to(&p["end"]).min(chars.len()));
            let (mut h, mut n) = (0, 0);
            for &(b, c) in &chars[s..e] {
                if c.is_whitespace() {
                    continue;
                }
                n += 1;
                if found
                    .iter()
                    .any(|f| f.span.is_some_and(|sp| sp.start <= b && b < sp.end))
                {
                    h += 1;
                }
            }
            if h < n {
                let sub: String = chars[s..e].iter().map(|&(_, c)| c).collect();
                println!("missed {} {} {:?} ({h}/{n})", v["id"], p["kind"], sub);
            }
            hit += h;
            all += n;
        }
    }
    println!("phi char recall {path}: {hit}/{all}");
}

#[test]
fn health_cards_hindi_ages_and_greetings() {
    has("Pt's OHIP card 5584-486-674-YM expired", Kind::Id, "5584-486-674-YM");
    has("her card 1234 567 890 AB is on file", Kind::Id, "1234 567 890 AB");
    has("Medicare card 2123 45670 1 please", Kind::Id, "2123 45670 1");
    has("OPD mein 95 saal ki amma aayi", Kind::Age, "95");
    has("93 saal ke dada ji", Kind::Age, "93");
    assert!(found("20 saal se yahi kaam").is_empty());
    // An institution's birthday is not a person's age.
    assert!(
        !found("Happy 100th birthday to St Luke's Hospital!")
            .iter()
            .any(|(k, _)| *k == Kind::Age)
    );
    assert!(!found("Happy 75th birthday, NHS!").iter().any(|(k, _)| *k == Kind::Age));
    has("Happy 100th birthday to Mrs Doyle!", Kind::Age, "100th");
    // Greetings in other languages are not names.
    assert!(
        !found("Closed 25 December. Meri Kirihimete!")
            .iter()
            .any(|(k, _)| *k == Kind::Name)
    );
    assert!(
        !found("Eid Mubarak from all of us at the clinic")
            .iter()
            .any(|(k, _)| *k == Kind::Name)
    );
}

#[test]
fn organisation_contact_details_kept_in_redaction() {
    let p = Policy::core();
    let r = redact(
        "Hillview Pharmacy closes early on Friday 3 May. Normal hours from Monday. Tel 01632 960 771.",
        &p,
    );
    assert!(r.text.contains("01632 960 771"), "{}", r.text);
    let r = redact("Referrals now go to cardiology.referrals@example.org from 1 June.", &p);
    assert!(r.text.contains("cardiology.referrals@example.org"), "{}", r.text);
    // A person's number is still removed.
    let r = redact("My mum's number is 01632 960 771, the clinic lost it.", &p);
    assert!(!r.text.contains("960 771"), "{}", r.text);
}

#[test]
fn names_before_dob_flats_and_bare_streets() {
    has(
        "re: Tobenna Adeyemi-Cole, DOB 12/03/1958, NHS no",
        Kind::Name,
        "Tobenna Adeyemi-Cole",
    );
    has("my pt: Margaret O'Shea, DOB 03/07/1941", Kind::Name, "Margaret O'Shea");
    has(
        "Third call to Flat 2A, Almsbury Court this week",
        Kind::Address,
        "Flat 2A, Almsbury Court",
    );
    has(
        "Same man on Wexcombe Road again tonight",
        Kind::Address,
        "Wexcombe Road",
    );
    let none = |text: &str, kind: Kind| {
        assert!(
            !found(text).iter().any(|(k, _)| *k == kind),
            "{text}: {:?}",
            found(text)
        );
    };
    none("Please bring your DOB and NHS number to the appointment", Kind::Name);
    none("Meet me on the High Street after work", Kind::Address);
    none("Traffic on Main Road is awful today", Kind::Address);
    none(
        "Got stopped at Tesco today by a former patient's husband",
        Kind::Location,
    );
}

#[test]
fn mask_style_keeps_length_and_layout() {
    let p = Policy::core();
    let text = "My patient John Smith, DOB 03/04/1961, call 07700 900123.";
    let r = redact_with(text, &p, RedactStyle::Mask);
    assert_eq!(r.text, "My patient **** *****, DOB **/**/****, call ***** ******.");
    assert_eq!(r.text.chars().count(), text.chars().count());
    // The same identifiers as the placeholder style.
    assert_eq!(r.spans, redact(text, &p).spans);
    assert_eq!(redact_with("Nothing here", &p, RedactStyle::Mask).text, "Nothing here");
}

#[test]
fn a_name_found_once_is_found_where_it_recurs() {
    let text = "My patient Eleanor Voss, 91, was discharged. Eleanor's daughter called; VOSS on the wristband.";
    has(text, Kind::Name, "Eleanor Voss");
    has(text, Kind::Name, "Eleanor");
    has(text, Kind::Name, "VOSS");
    // Only capitalised words recur as names; a frequent word that opens
    // a sentence is the word.
    let text = "Seen Mr Grant today. Grant applications close Friday; a grant for Grant.";
    let a = Analysis::new(text);
    let names: Vec<usize> = detect(&a)
        .into_iter()
        .filter(|i| i.kind == Kind::Name)
        .map(|i| i.span.start)
        .collect();
    assert_eq!(names, [8, 66], "{text}");
}

#[test]
fn surrogate_redaction_reads_naturally() {
    let p = Policy::core();
    let text = "Mrs Eleanor Voss, 91, seen 03/03/2026; Eleanor went home on 05/03/2026. Call 07700 900461.";
    let r = redact_with(text, &p, RedactStyle::Surrogate(42));
    assert_eq!(r.spans.len(), 6, "{}", r.text);
    assert!(
        !r.text.contains("Eleanor") && !r.text.contains("Voss") && !r.text.contains('['),
        "{}",
        r.text
    );
    // The same given name both times, two days between the dates.
    let words: Vec<&str> = r.text.split([' ', ',', ';', '.']).collect();
    assert_eq!(words[1], words[words.iter().rposition(|w| *w == "went").unwrap() - 1]);
    let dates: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.len() == 10 && w.contains('/'))
        .collect();
    let day = |d: &str| d[..2].parse::<i32>().unwrap();
    assert_eq!(dates.len(), 2);
    assert!(
        day(dates[1]) - day(dates[0]) == 2 || day(dates[1]) < day(dates[0]),
        "{dates:?}"
    );
    // Same seed, same text: the same output.
    assert_eq!(redact_with(text, &p, RedactStyle::Surrogate(42)).text, r.text);
}

#[test]
fn a_day_and_month_after_a_date_word() {
    has("92 y/o F adm 3/14 from nursing home", Kind::Date, "3/14");
    has("comfort measures only as of 12/22.", Kind::Date, "12/22");
    has("Cultures from 2/3 NGTD", Kind::Date, "2/3");
    has("Family meeting, will revisit Monday", Kind::Date, "Monday");
    has("DC planning: home Thursday with VNA", Kind::Date, "Thursday");
    for t in [
        "pain 6/10 at start of shift",
        "BP 124/70, HR 88",
        "about 2/3 of the team were off",
        "GCS 15/15 on 2L",
        "scored 3/14 on the quiz",
        "every Monday we run the clinic",
        "Chest crackles bibasal. Na 134 K 3.9.",
        "GCS 14 (E3V5M6), pupils equal",
    ] {
        assert!(
            !found(t)
                .iter()
                .any(|(k, _)| matches!(k, Kind::Date | Kind::Name | Kind::Address)),
            "{t}: {:?}",
            found(t)
        );
    }
}

#[test]
fn month_or_day_is_the_list_of_months_and_days() {
    for w in super::names::MONTHS_DAYS {
        assert!(super::names::month_or_day(w), "{w}");
    }
    let mut others = 0;
    for w in [
        "monday", "tuesday", "march", "may", "easter", "mon", "tues", "marching", "mayor", "", "sun",
    ] {
        others += usize::from(super::names::month_or_day(w) && !super::names::MONTHS_DAYS.contains(&w));
    }
    assert_eq!(others, 0);
}

#[test]
fn organisations_handles() {
    for (h, org) in [
        ("@NHS", true),
        ("@NHSEngland", true),
        ("@bolton_nhs", true),
        ("@govuk", false),
        ("@mygovernment", false),
        ("@janesmith", false),
        ("@Jane_Smith", false),
        ("@", false),
    ] {
        assert_eq!(super::org_handle(h), org, "{h}");
    }
}
