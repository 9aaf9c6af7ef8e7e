use primum_text::Analysis;

use super::*;
use crate::phi::detect;

/// The identifiers of `text` as `(text, kind)`.
fn found(text: &str) -> Vec<(&str, Kind)> {
    detect(&Analysis::new(text))
        .into_iter()
        .map(|id| (&text[id.span.start..id.span.end], id.kind))
        .collect()
}

/// The names in `text`.
fn names(text: &str) -> Vec<&str> {
    found(text)
        .into_iter()
        .filter(|(_, k)| *k == Kind::Name)
        .map(|(s, _)| s)
        .collect()
}

#[test]
fn the_model_is_embedded() {
    let m = MODEL.as_ref().expect("models/tagger.bin is a tagger model");
    assert_eq!(m.emit.len(), (1 << m.bits) * TAGS);
}

#[test]
fn spans_of_tags() {
    assert_eq!(spans(&[0, 1, 2, 0, 3, 5, 6]), vec![(1, 2, 0), (4, 4, 1), (5, 6, 2)]);
    // An inside tag of another kind starts a new span.
    assert_eq!(spans(&[1, 4]), vec![(0, 0, 0), (1, 1, 1)]);
}

#[test]
fn names_places_and_organisations_in_informal_text() {
    assert_eq!(
        found("omg just saw harry styles at wembley last night"),
        [("harry styles", Kind::Name), ("wembley", Kind::Location)]
    );
    assert_eq!(
        found("Just landed in Manchester with @BBCNews crew"),
        [("Manchester", Kind::Location), ("@BBCNews", Kind::Url)]
    );
    assert_eq!(
        found("Thanks to everyone at Google for the support"),
        [("Google", Kind::Organization)]
    );
    assert_eq!(
        found("watching Obama speech with Michelle in Chicago"),
        [
            ("Obama", Kind::Name),
            ("Michelle", Kind::Name),
            ("Chicago", Kind::Location)
        ]
    );
}

#[test]
fn edge_cases() {
    // Possessive: the name without its 's.
    assert_eq!(names("Obama's speech was great"), ["Obama"]);
    assert_eq!(names("Katie's mum called the ward again"), ["Katie"]);
    // All capitals; a frequent word at the edge of a span is trimmed.
    assert_eq!(names("HAPPY BIRTHDAY JESSICA WE LOVE YOU"), ["JESSICA"]);
    // Handles are the handle logic's; placeholders name no account.
    assert_eq!(found("thanks @user and @_ for the help"), []);
}

#[test]
fn a_cue_word_is_not_part_of_the_name() {
    assert_eq!(names("Pt John Smith c/o chest pain since this morning"), ["John Smith"]);
    assert_eq!(names("Pt John Smith, DOB 01/02/1950, seen in clinic"), ["John Smith"]);
    assert_eq!(names("Pt Mary Jones, DOB 12/03/1958, seen today"), ["Mary Jones"]);
}

#[test]
fn hard_negatives() {
    for text in [
        "Will you check BP and O2 sats x3 please, foley in situ, NAD",
        "Hope the Grant application goes well",
        "Hope you feel better soon",
        "Grant funding for the new Bay unit",
        "Started amoxicillin and Ramipril today, BP better",
        "Gave metoprolol 25mg, Lasix 40 IV and Tylenol, pt tolerated well",
        "GCS 15, HR 88, RR 18, SpO2 97% on RA, NAD",
    ] {
        let got: Vec<_> = found(text)
            .into_iter()
            .filter(|(_, k)| matches!(k, Kind::Name | Kind::Location | Kind::Organization))
            .collect();
        assert_eq!(got, [], "{text}");
    }
    // A bay number is a place (the rules'), never a name.
    assert_eq!(found("Bay 4 needs obs doing"), [("Bay 4", Kind::Location)]);
}

#[test]
fn check_does_not_report_the_taggers_names() {
    use crate::testing::assert_silent;
    assert_silent(
        &crate::rules::privacy::patient_identifier::RULE,
        "omg just saw harry styles at wembley last night",
    );
}

#[test]
fn in_a_clinical_note_abbreviations_and_headings_are_not_names() {
    let note = "Endo: FS BS 180-220, RISS per protocol, lantus 10u at HS. A1c 9.1. WBC 11.2, NGTD. BP 124/70.";
    assert_eq!(found(note), []);
    // A listed name written as one still counts there.
    let note = "Resp: LS coarse, sx x2, ABG 7.38/42/88, BP 124/70. Seen by Walker from the team.";
    assert!(names(note).contains(&"Walker"), "{:?}", found(note));
    // In a tweet, capitals are still organisations.
    assert!(!found("so proud of the NHS staff at the BBC studios today").is_empty());
}

#[test]
fn full_names_for_check() {
    let t = "Does anyone know Kevin Marsh from Ridgeview Drive? He left his hearing aids on the 42 bus yesterday.";
    let a = Analysis::new(t);
    let cues = Cues::new(&a);
    let names: Vec<&str> = full_names(&a, &cues)
        .iter()
        .map(|id| &t[id.span.start..id.span.end])
        .collect();
    assert_eq!(names, ["Kevin Marsh"]);
    // No listed given name with another capitalised word: the tagger does
    // not run, and its single words never count.
    for t in [
        "Loving the new TikTok trend at work",
        "DOB checked, ED busy, #RCEM2026 was GUARANTEED fun",
    ] {
        let a = Analysis::new(t);
        assert!(full_names(&a, &Cues::new(&a)).is_empty(), "{t}");
    }
}
