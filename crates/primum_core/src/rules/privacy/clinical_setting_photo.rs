//! `privacy/clinical-setting-photo`: a photo or screenshot taken where
//! patients or their data may be in it.

use std::sync::LazyLock;

use primum_text::{Lexicon, Span, TokenKind};

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Fires when the post shares or mentions a photo, screenshot or video
    /// (`pic`, `selfie`, `screenshot`, 📸, "swipe to see", "X-ray of the
    /// day") of a clinical place or thing: a ward, resus, theatre, an ED
    /// tracking board or whiteboard, a chart, a scan or X-ray, a monitor
    /// (the words of `clinical_terms.csv` plus `clinical_photo.csv`). The
    /// photo word and the clinical word must be in the same sentence or
    /// within a few words. Infographics, memes, stock photos and photos of
    /// a building are not clinical scenes; a negated mention ("no photos
    /// on the ward") does not count. The finding spans the photo word and
    /// the clinical word. An image described as one ("name cropped off",
    /// "blurred out", "the size of this ... on today's CT") is a photo.
    ///
    /// ## Why
    ///
    /// "Protect the privacy of patients." Photos taken on the ward catch
    /// patients, whiteboards, screens and wristbands in the background; a
    /// scan or an X-ray is the patient's record. NMC guidance counts
    /// "posting pictures of patients and people receiving care without
    /// their consent" as a risk to registration (`uk-nmc-code-20.10`);
    /// ANA tip 5 says no photos or videos of patients on personal devices
    /// (`us-ana-2011-tip5`); HIPAA lists full-face photographs and
    /// comparable images (`us-hipaa-164.514(b)(2)(i)(Q)`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Screenshot of our ED tracking board at 03:10: 47 waiting, 12 on trolleys in corridors.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// At 3am tonight we had 47 people waiting and 12 on trolleys in corridors.
    /// ```
    ///
    /// ## Fix
    ///
    /// Don't post the image. If a clinical image is needed for teaching,
    /// use one with the patient's written consent and every identifier,
    /// face, screen and board removed, through your organisation's process.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/clinical-setting-photo",
        fix: Never,
        options: [],
        check: check,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Photo,
    Show,
    Scene,
    Not,
    Request,
}

static PHOTO: LazyLock<Lexicon<Role>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("clinical_photo.csv").into_iter().filter_map(|r| {
        let role = match r.get(1)?.trim() {
            "photo" => Role::Photo,
            "show" => Role::Show,
            "scene" => Role::Scene,
            "not" => Role::Not,
            "request" => Role::Request,
            _ => return None,
        };
        Some((r.first()?.clone(), role))
    }))
});

/// Clinical places and things from `clinical_terms.csv` (not roles).
static SCENE: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("clinical_terms.csv").into_iter().filter_map(|r| {
        let kind = r.get(1)?.trim();
        (kind != "role" && !NOT_A_SCENE.contains(&r.first()?.trim()))
            .then(|| (r.first().cloned().unwrap_or_default(), ()))
    }))
});

/// Words of `clinical_terms.csv` that are no place to take a photo of
/// patients: shifts, and buildings whose photo shows the outside.
const NOT_A_SCENE: &[&str] = &[
    "nights",
    "on call",
    "on-call",
    "long day",
    "night shift",
    "clinic",
    "surgery",
    "gp surgery",
    "ambulance",
    "ambo",
    "handover",
    "prescription",
    "referral letter",
];

/// The most photo words and clinical words compared in one post.
const MAX_MARKS: usize = 64;

/// Emoji that mean a camera or a photo.
const CAMERA: &[&str] = &["📸", "📷", "🤳", "🎥"];

/// Words of a clinical scene within this many tokens of a photo word
/// count even across a sentence break.
const WINDOW: usize = 8;

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let a = ctx.text;
    let marks = PHOTO.find_all(a);
    if marks.iter().any(|m| *m.value == Role::Not) {
        return;
    }
    // A photo the author asks for ("DM me a clear photo") is not one they share.
    let requested: Vec<u32> = marks
        .iter()
        .filter(|m| *m.value == Role::Request)
        .filter_map(|m| a.sentence_of.get(m.first).copied())
        .collect();
    let mut photos: Vec<(usize, Span)> = marks
        .iter()
        .filter(|m| matches!(m.value, Role::Photo | Role::Show) && !a.negated[m.first] && !a.quoted[m.first])
        .filter(|m| a.sentence_of.get(m.first).is_none_or(|s| !requested.contains(s)))
        .map(|m| (m.first, m.span))
        .collect();
    photos.extend(
        a.of_kind(TokenKind::Emoji)
            .filter(|(i, _)| CAMERA.contains(&a.token_text(*i)))
            .map(|(i, t)| (i, t.span)),
    );
    if photos.is_empty() {
        return;
    }
    // Pairs are compared below; the caps keep a pathological post linear.
    photos.truncate(MAX_MARKS);
    let mut scenes: Vec<(usize, usize, Span)> = SCENE.each(a).map(|m| (m.first, m.end, m.span)).collect();
    scenes.extend(
        marks
            .iter()
            .filter(|m| *m.value == Role::Scene)
            .map(|m| (m.first, m.end, m.span)),
    );
    scenes.sort_by_key(|s| s.0);
    scenes.truncate(MAX_MARKS);
    let mut best: Option<(usize, Span, usize)> = None;
    for &(pi, ps) in &photos {
        for (k, &(si, _, _)) in scenes.iter().enumerate() {
            // A photo word usually follows what it shows ("Theatre
            // selfie", "Resus board 📸") or leads into it with "of" or
            // "from" ("Screenshot of our ED tracking board").
            let leads_in = a
                .next_word(pi)
                .is_some_and(|n| matches!(a.tokens[n].norm.as_str(), "of" | "from" | "on" | "in"));
            let dist = if si < pi || leads_in {
                pi.abs_diff(si)
            } else {
                pi.abs_diff(si) + 4
            };
            let same_sentence = a.sentence_of.get(pi) == a.sentence_of.get(si);
            if (same_sentence || dist <= WINDOW) && best.is_none_or(|(d, _, _)| dist < d) {
                best = Some((dist, ps, k));
            }
        }
    }
    let Some((_, ps, k)) = best else { return };
    // Take in the clinical words that follow on ("ED tracking board").
    let mut ss = scenes[k].2;
    let mut end = scenes[k].1;
    for &(si, se, sspan) in &scenes[k + 1..] {
        if si > end {
            break;
        }
        ss = ss.cover(sspan);
        end = se;
    }
    out.push(
        Diagnostic::at(ps.cover(ss), "photo or screenshot from a clinical setting")
            .with_help("don't post images taken where patients, screens, boards or records may be visible")
            .with_note(format!("image: `{}`; setting: `{}`", a.slice(ps), a.slice(ss))),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn a_described_image_is_a_photo() {
        assert!(Test::new("Look at the size of this bowel obstruction on last night's CT 😳").fires(&RULE));
        assert!(Test::new("Wild fracture on the X-ray today, patient details blurred out of course").fires(&RULE));
        assert_silent(&RULE, "Cropped out my double chin from the holiday selfie, no regrets");
        assert_silent(&RULE, "The size of this queue at the bakery this morning 😩");
    }

    #[test]
    fn fires_on_clinical_images() {
        assert_spans(
            &RULE,
            "Theatre selfie with the best team before a big Whipple today",
            &["Theatre selfie"],
        );
        assert_spans(
            &RULE,
            "Screenshot of our ED tracking board at 03:10: 47 waiting",
            &["Screenshot of our ED tracking board"],
        );
        assert_spans(
            &RULE,
            "X-ray of the day 😳 this gentleman swallowed his dentures",
            &["X-ray of the day"],
        );
        assert_spans(
            &RULE,
            "Resus board at Ashcombe General, 3am 📸 tell me you work in an ED",
            &["Resus board at Ashcombe General, 3am 📸"],
        );
    }

    #[test]
    fn fires_on_new_kinds() {
        assert!(Test::new("Pics from the ward Christmas party, swipe to see the decorations on bay 3!").fires(&RULE));
        assert!(Test::new("Snapped this CT on my night shift, look at that bleed").fires(&RULE));
        assert!(!Test::new("Worried about a mole? DM me a clear photo and your latest blood results").fires(&RULE));
        assert!(Test::new("Quick selfie at the nurses' station before handover").fires(&RULE));
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Found this infographic online, it explains insulin resistance better than I could 👇",
        );
        assert_silent(
            &RULE,
            "Absolutely wrecked after my best friend's hen do 🍾 pics below, clinic at 8 tomorrow",
        );
        assert_silent(&RULE, "Photo of our new clinic building, opening in May!");
        assert_silent(
            &RULE,
            "Reminder: no photos on the ward, please, for our patients' privacy.",
        );
        assert_silent(&RULE, "The ortho reg took four hours to look at one X-ray. FOUR.");
        assert_silent(&RULE, "Sunday roast for 12 📸 not a single burnt potato");
        assert_silent(&RULE, "");
    }
}
