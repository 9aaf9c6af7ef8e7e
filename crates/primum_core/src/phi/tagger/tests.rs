use primum_text::Analysis;

use super::*;
use crate::phi::detect;
use crate::phi::words::base;

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

/// Texts of every kind the tagger meets: tweets, capitals, hashtags,
/// handles, possessives, non-ASCII words, clinical notes, lines.
const VARIED: &[&str] = &[
    "omg just saw harry styles at wembley last night",
    "Just landed in Manchester with @BBCNews crew",
    "Thanks to everyone at Google for the support",
    "watching Obama speech with Michelle in Chicago",
    "Obama's speech was great",
    "Katie\u{2019}s mum called the ward again",
    "HAPPY BIRTHDAY JESSICA WE LOVE YOU",
    "thanks @user and @_ for the help",
    "Pt John Smith c/o chest pain since this morning",
    "Pt John Smith, DOB 01/02/1950, seen in clinic",
    "Will you check BP and O2 sats x3 please, foley in situ, NAD",
    "Hope the Grant application goes well",
    "Rose garden open\nRose Tyler visited Mrs Jones on Ward 7",
    "Endo: FS BS 180-220, RISS per protocol, lantus 10u at HS. A1c 9.1. WBC 11.2, NGTD. BP 124/70.",
    "Resp: LS coarse, sx x2, ABG 7.38/42/88, BP 124/70. Seen by Walker from the team.",
    "so proud of the NHS staff at the BBC studios today #NHSHeroes #ThankYouNHS",
    "Does anyone know Kevin Marsh from Ridgeview Drive? He left his hearing aids on the 42 bus yesterday.",
    "Zoë Łukasiewicz and José Núñez met Ærøskøbing's mayor in Malmö; ÉCOLE ÉTÉ",
    "Liam Ferris, Sarah O'Neill-McDonald and Dr. Priya Patel (St Thomas' Hospital) #LiamFerris",
    "Marsh Kevin and Walker Sarah were both on bay 4 with Mr.Smith",
    "A",
    "",
    "p@tient J0hn Sm1th s h i t happens at St. Mary's, London SW1A 1AA",
    "New York Times: Senators Inabo and Senior from Palau . . . http://t.co/McYNwpzHmt",
    "x9 O2 3x BP120/80 GCS15 HR 88 RR 18 SpO2 97% on RA",
    "\"Emma\" said: Great! Oliver? Yes. Amelia: no.\n\nNoah Brown",
];

/// The features as first made, every token's atoms collected into one
/// vector, kept to check that the faster making gives the same rows,
/// flags and counts (the model was trained on these).
mod reference {
    use super::super::*;
    use crate::phi::words::base;

    /// The word shape as first written (characters decoded for every
    /// token).
    pub(super) fn shape(s: &str) -> u64 {
        let mut buf = [0u8; 6];
        let mut n = 0;
        let mut last = 0u8;
        for c in s.chars() {
            let k = shape_symbol(c);
            if k != last {
                if n == buf.len() {
                    break;
                }
                buf[n] = k;
                n += 1;
                last = k;
            }
        }
        fnv(&buf[..n])
    }

    /// True when token `i` starts a sentence or line, as first written.
    fn initial(a: &Analysis<'_>, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let p = &a.tokens[i - 1];
        a.sentence_of[i] != a.sentence_of[i - 1]
            || a.text.as_bytes()[p.span.end..a.tokens[i].span.start].contains(&b'\n')
            || matches!(p.norm.as_str(), "." | "!" | "?" | ":" | "\"")
    }

    #[derive(Clone, Copy, Default)]
    struct Atom {
        word: u64,
        shape: u64,
        pre2: u64,
        pre3: u64,
        suf2: u64,
        suf3: u64,
        suf4: u64,
        form: u64,
        gaz: u64,
        cue: u64,
        cand: bool,
        clinical: bool,
        abbrev: bool,
        common: bool,
        stop: bool,
        first: bool,
    }

    fn atoms(a: &Analysis<'_>, cues: &Cues) -> Vec<Atom> {
        let caps = {
            let (ratio, n) = a.caps_ratio();
            n >= 3 && ratio > 0.6
        };
        let mut atoms = a
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let start = initial(a, i);
                let form = kind_code(t.kind)
                    | case_code(t.case) << 3
                    | u64::from(start) << 6
                    | u64::from(caps) << 7
                    | u64::from(t.space_before) << 8;
                let c = cues.at(i);
                let cue = cue_bits(c.covers) | cue_bits(c.starts) << 16 | cue_bits(c.ends) << 32;
                if !matches!(t.kind, TokenKind::Word | TokenKind::Hashtag) {
                    // Links, handles, numbers and emoji: their kind is enough
                    // (and punctuation its character).
                    let s = if t.kind == TokenKind::Punct {
                        t.norm.as_str()
                    } else {
                        ""
                    };
                    return Atom {
                        word: fnv(s.as_bytes()) ^ kind_code(t.kind),
                        form,
                        cue,
                        ..Atom::default()
                    };
                }
                // The word as the first making took it: the norm without a
                // possessive, and without a hashtag's `#`.
                let word = {
                    let n = base(&t.norm);
                    if t.kind == TokenKind::Hashtag {
                        n.trim_start_matches('#')
                    } else {
                        n
                    }
                };
                let entry = WORDS.entry(word);
                let rank = entry.rank;
                let (in_first, in_sur) = (entry.first, entry.surname);
                let cased = matches!(t.case, Case::Title | Case::Upper | Case::Mixed);
                let cand = !t.obfuscated && (cased || rank.is_none_or(|r| r >= 1000));
                let bucket = match rank {
                    None => 0,
                    Some(r) if r < 100 => 1,
                    Some(r) if r < 1000 => 2,
                    Some(r) if r < 5000 => 3,
                    Some(r) if r < 15000 => 4,
                    Some(_) => 5,
                };
                let mut at = Atom {
                    word: fnv(word.as_bytes()),
                    form,
                    gaz: bucket | u64::from(in_first) << 3 | u64::from(in_sur) << 4 | 1 << 5,
                    cue,
                    cand,
                    ..Atom::default()
                };
                if !cand {
                    // Only its neighbours read it.
                    return at;
                }
                let ascii = word.is_ascii();
                at.pre2 = fnv(prefix(word, 2, ascii).as_bytes());
                at.pre3 = fnv(prefix(word, 3, ascii).as_bytes());
                at.suf2 = fnv(suffix(word, 2, ascii).as_bytes());
                at.suf3 = fnv(suffix(word, 3, ascii).as_bytes());
                at.suf4 = fnv(suffix(word, 4, ascii).as_bytes());
                // A clinical word, unless written as a name that the name lists
                // know (`Ed`, `Foley`).
                let listed = t.case == Case::Title && (in_first || in_sur);
                // A letter glued to a number is a measure or a count (`O2`, `x3`).
                let glued = |k: usize| a.tokens.get(k).is_some_and(|n| n.kind == TokenKind::Number);
                let measure = a.tokens.get(i + 1).is_some_and(|n| !n.space_before) && glued(i + 1)
                    || !t.space_before && i > 0 && glued(i - 1);
                // A cue word (`Pt`, `DOB`, `Mrs`, `daughter`) introduces a name
                // but is not one.
                let cue_word = cues.at(i).covers & NOT_NAME_ROLES != 0;
                at.abbrev = entry.clinical && !listed || measure;
                at.clinical = at.abbrev || cue_word;
                at.common = rank.is_some_and(|r| r < 3000);
                at.stop = rank.is_some_and(|r| r < 100) && !in_first && !in_sur;
                at.first = start && in_first;
                at
            })
            .collect::<Vec<Atom>>();
        // Only a candidate and its two neighbours read a shape (the features
        // of a candidate): the other tokens, most of a post, keep 0.
        for i in 0..atoms.len() {
            let near = |k: usize| atoms.get(k).is_some_and(|x| x.cand);
            if near(i) || i > 0 && near(i - 1) || near(i + 1) {
                atoms[i].shape = shape(a.token_text(i));
            }
        }
        atoms
    }

    pub(super) fn features(a: &Analysis<'_>, cues: &Cues, bits: u32) -> Features {
        debug_assert!(bits <= 24);
        let mask = (1u64 << bits) - 1;
        // The hash's bucket times the row width; a `u32` since `bits <= 24`.
        let row = |h: u64| ((h & mask) as u32) * TAGS as u32;
        let at = atoms(a, cues);
        let n = at.len();
        let none = Atom {
            word: 0x5eed,
            form: 0xffff,
            ..Atom::default()
        };
        // Neighbours by reference: an atom is some 150 bytes.
        let get = |i: isize| -> &Atom {
            if i < 0 || i as usize >= n {
                &none
            } else {
                &at[i as usize]
            }
        };
        let mut rows = Vec::with_capacity(at.iter().filter(|x| x.cand).count() * FEATURES);
        // The bias feature is the same for every token.
        let bias = row(mix(0, 0));
        let mut start = Vec::with_capacity(n + 1);
        for (i, c) in at.iter().enumerate() {
            start.push(rows.len() as u32);
            if !c.cand {
                continue;
            }
            let i = i as isize;
            let (p1, p2, n1, n2) = (get(i - 1), get(i - 2), get(i + 1), get(i + 2));
            let hashes = [
                mix(1, c.word),
                mix(2, p1.word),
                mix(3, n1.word),
                mix(4, p2.word),
                mix(5, n2.word),
                mix(6, c.shape),
                mix(7, c.pre2),
                mix(8, c.pre3),
                mix(9, c.suf2),
                mix(10, c.suf3),
                mix(11, c.suf4),
                mix(12, c.form),
                mix(13, p1.form),
                mix(14, n1.form),
                mix(15, c.gaz),
                mix(16, p1.gaz),
                mix(17, n1.gaz),
                mix2(18, c.gaz, c.form),
                mix(19, c.cue),
                mix(20, p1.cue),
                mix(21, n1.cue),
                mix2(22, p1.word, c.word),
                mix2(23, c.word, n1.word),
                mix2(24, p1.shape, c.shape),
                mix2(25, c.shape, n1.shape),
                mix2(26, p1.form, c.form),
                mix2(27, c.form, n1.form),
                mix2(28, p1.gaz, c.gaz),
                mix2(29, c.gaz, n1.gaz),
                mix2(30, p2.word, p1.word),
            ];
            rows.push(bias);
            rows.extend(hashes.map(row));
        }
        start.push(rows.len() as u32);
        Features {
            cand: at.iter().map(|x| x.cand).collect(),
            clinical: at.iter().map(|x| x.clinical).collect(),
            common: at.iter().map(|x| x.common).collect(),
            stop: at.iter().map(|x| x.stop).collect(),
            initial: at.iter().map(|x| x.first).collect(),
            abbreviations: at.iter().filter(|x| x.abbrev).count(),
            rows,
            start,
            ..Features::default()
        }
    }
}

/// The old way of [`full_names`]: the whole post tagged, then filtered.
fn full_names_by_detect(a: &Analysis<'_>, cues: &Cues) -> Vec<Identifier> {
    let title = |i: usize| {
        a.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.case == Case::Title && t.letters.alphabetic >= 2)
    };
    let given = |i: usize| title(i) && WORDS.entry(base(&a.tokens[i].norm)).first;
    if !(0..a.tokens.len()).any(|i| given(i) && title(i + 1)) {
        return Vec::new();
    }
    let mut found = Vec::new();
    super::detect(a, cues, &mut found);
    found.retain(|id| {
        let first = a.tokens.partition_point(|t| t.span.start < id.span.start);
        let last = a.tokens.partition_point(|t| t.span.start < id.span.end);
        id.kind == Kind::Name && last - first >= 2 && (first..last).all(title) && (first..last).any(given)
    });
    found
}

/// Checks, on `text`, that the features are those of the first making,
/// that the decoder chooses what [`decode_with`] does, and that
/// [`full_names`] finds what tagging the whole post finds.
fn same_as_reference(text: &str) {
    let m = MODEL.as_ref().expect("models/tagger.bin is a tagger model");
    let a = Analysis::new(text);
    let cues = Cues::new(&a);
    let f = features(&a, &cues, m.bits);
    let r = reference::features(&a, &cues, m.bits);
    assert_eq!(f.cand, r.cand, "{text}");
    assert_eq!(f.rows, r.rows, "{text}");
    assert_eq!(f.start, r.start, "{text}");
    assert_eq!(f.clinical, r.clinical, "{text}");
    assert_eq!(f.common, r.common, "{text}");
    assert_eq!(f.stop, r.stop, "{text}");
    assert_eq!(f.initial, r.initial, "{text}");
    assert_eq!(f.abbreviations, r.abbreviations, "{text}");
    let slow = decode_with(
        &f,
        &m.trans,
        |row, scores| {
            for (s, &w) in scores.iter_mut().zip(&m.emit[row..row + TAGS]) {
                *s += i32::from(w as i8);
            }
        },
        m.bias,
    );
    assert_eq!(m.decode(&f), slow, "{text}");
    let spans = |ids: Vec<Identifier>| -> Vec<(usize, usize, Kind)> {
        ids.iter().map(|id| (id.span.start, id.span.end, id.kind)).collect()
    };
    assert_eq!(
        spans(full_names(&a, &cues)),
        spans(full_names_by_detect(&a, &cues)),
        "{text}"
    );
}

#[test]
fn features_decoding_and_full_names_as_first_made() {
    for text in VARIED {
        same_as_reference(text);
    }
}

/// The same on a corpus of JSON lines with a `text` field, named by
/// `PRIMUM_TAGGER_CORPUS` (`cargo test -- --ignored`): for a change to the
/// tagger's speed.
#[test]
#[ignore = "needs a corpus: PRIMUM_TAGGER_CORPUS=path"]
fn features_decoding_and_full_names_as_first_made_on_a_corpus() {
    let path = std::env::var("PRIMUM_TAGGER_CORPUS").expect("PRIMUM_TAGGER_CORPUS");
    let corpus = std::fs::read_to_string(&path).expect("a readable corpus");
    let mut n = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if let Some(text) = v["text"].as_str() {
            same_as_reference(text);
            n += 1;
        }
    }
    assert!(n > 0, "no text in {path}");
}

#[test]
fn emission_sums_by_lanes_are_the_weights_sums() {
    let m = MODEL.as_ref().expect("models/tagger.bin is a tagger model");
    let buckets = m.emit.len() / TAGS;
    let scalar = |rows: &[u32]| {
        let mut s = [0i32; TAGS];
        for &r in rows {
            for (t, x) in s.iter_mut().enumerate() {
                *x += i32::from(m.emit[r as usize + t] as i8);
            }
        }
        s
    };
    // Every row alone (the last one too, which has no eighth byte).
    for b in 0..buckets {
        let row = [(b * TAGS) as u32];
        assert_eq!(m.emissions(&row), scalar(&row), "bucket {b}");
    }
    // Many rows at once, past the 256 of one sum of lanes.
    let rows: Vec<u32> = (0..600).map(|k| ((k * 7919 % buckets) * TAGS) as u32).collect();
    assert_eq!(m.emissions(&rows), scalar(&rows));
    // A candidate's rows, the last row and the first among them.
    for k in 0..200 {
        let mut rows = [0u32; FEATURES];
        for (j, r) in rows.iter_mut().enumerate() {
            *r = (((k * 31 + j) * 7919 % buckets) * TAGS) as u32;
        }
        rows[k % FEATURES] = ((buckets - 1) * TAGS) as u32;
        rows[(k + 7) % FEATURES] = 0;
        assert_eq!(m.token_emissions(&rows), scalar(&rows), "rows {k}");
    }
}

/// The hash in blocks of eight bytes is the byte-at-a-time one, and its
/// ASCII test that of `str::is_ascii`; the shape of an ASCII word in one
/// pass is that of the first making.
#[test]
fn hashes_and_shapes_by_blocks() {
    let words = [
        "",
        "a",
        "ab",
        "abc",
        "Abcd",
        "abcdefg",
        "abcdefgh",
        "abcdefghi",
        "McDonald",
        "O'Neill-McDonald",
        "x9",
        "BP120/80",
        "SpO2",
        "1234567890123456",
        "12345678901234567",
        "Zoë",
        "Ærøskøbing's",
        "aaaaaaaaé",
        "#LiamFerris",
        "\u{2019}s",
        "a.b.c.d.e.f.g.h.i",
        "AaAaAaAaAaAa",
        "\0",
    ];
    for w in words {
        assert_eq!(fnv_blocks(w.as_bytes()), (fnv(w.as_bytes()), w.is_ascii()), "{w:?}");
        assert_eq!(shape(w), reference::shape(w), "{w:?}");
        let ascii = w.is_ascii();
        let slow = [
            fnv(prefix(w, 2, false).as_bytes()),
            fnv(prefix(w, 3, false).as_bytes()),
            fnv(suffix(w, 2, false).as_bytes()),
            fnv(suffix(w, 3, false).as_bytes()),
            fnv(suffix(w, 4, false).as_bytes()),
        ];
        if !w.is_empty() {
            assert_eq!(affixes(w, ascii), slow, "{w:?}");
        }
    }
}
