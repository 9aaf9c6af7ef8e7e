//! `privacy/image-text`: text visible in an attached image names a patient
//! or tells a patient's story.

use crate::declare_rule;
use crate::engine::check_only;
use crate::image::{ImageCtx, Ocr, shorten};
use crate::post::Post;
use crate::rule::{Ctx, Diagnostic};
use crate::rules::privacy::{patient_case, patient_identifier};

declare_rule! {
    /// ## What it checks
    ///
    /// An image attached to the post (`primum check --image`) whose
    /// pixels show text, read by OCR (Tesseract, English), that holds a
    /// patient identifier or a patient's story: a name, date of birth or
    /// record number on a whiteboard, wristband, chart or screen. The text
    /// read goes through the same checks as a post's text
    /// (`privacy/patient-identifier`, with its kinds, and
    /// `privacy/patient-case`); each finding carries the identifier's kind
    /// and the text read. When OCR reads nothing, or cannot run on the
    /// image (HEIC/AVIF, or a build without OCR), `check` says so on
    /// standard error: the image's text is then not checked.
    ///
    /// ## Why
    ///
    /// "Protect the privacy and confidentiality of patients." A photo of
    /// the team at the nurses' station can show the board behind them;
    /// a screenshot of a chart shows a name and a record number. Patient
    /// information in an image is as identifiable as in the text: GMC,
    /// *Confidentiality* ¶¶ 9-11; HIPAA's Safe Harbor identifiers apply to
    /// "full-face photographs and any comparable images" and to what they
    /// show (45 CFR 164.514(b)(2)).
    ///
    /// ## Example
    ///
    /// A photo of the ward whiteboard reading "Patient: Jane Doe DOB
    /// 01/02/1960, MRN 48213377".
    ///
    /// Better: a photo with no screen, chart or board in frame, or the
    /// text covered before it is taken.
    ///
    /// ## Fix
    ///
    /// Crop or cover the text (blurring small text is not always enough),
    /// or take another picture. Scrubbing metadata does not remove text in
    /// the pixels.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/image-text",
        fix: Never,
        options: [],
        check: no_text_check,
    }
}

/// An image rule judges no text: the text engine skips it by scope.
fn no_text_check(_: &Ctx<'_>, _: &mut Vec<Diagnostic>) {}

pub fn check_image(ctx: &ImageCtx<'_>, out: &mut Vec<Diagnostic>) {
    let Ocr::Text(text) = &ctx.meta.ocr else { return };
    let name = ctx.name;
    let post = Post::new(text.clone());
    let report = check_only(
        &post,
        ctx.policy,
        None,
        &[&patient_identifier::RULE, &patient_case::RULE],
    );
    for f in report.findings {
        let seen = f
            .span
            .and_then(|s| text.get(s.start..s.end))
            .map(|s| shorten(s, 40))
            .unwrap_or_default();
        let message = match (f.kind, seen.is_empty()) {
            (Some(kind), false) => format!("{name}: patient identifier ({kind}) \"{seen}\" in the picture's text"),
            (Some(kind), true) => format!("{name}: patient identifier ({kind}) in the picture's text"),
            (None, _) => format!("{name}: a patient's details in the picture's text ({})", f.message),
        };
        let mut d = Diagnostic::new(None, message)
            .with_help("crop or cover the text in the picture; scrubbing metadata does not remove it");
        if let Some(kind) = f.kind {
            d = d.with_kind(kind);
        }
        d.notes.push(format!("read by OCR: {}", shorten(text, 200)));
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Kind;
    use crate::image::{ImageMeta, check_image as run};
    use crate::policy::Policy;

    fn findings(ocr: Ocr) -> Vec<crate::Finding> {
        let meta = ImageMeta { items: Vec::new(), ocr };
        run("board.jpg", &meta, &Policy::core())
            .findings
            .into_iter()
            .filter(|f| f.rule == "privacy/image-text")
            .collect()
    }

    #[test]
    fn identifiers_read_on_a_whiteboard_fire_with_their_kind() {
        let got = findings(Ocr::Text(
            "Rounds 03/14 - Ward 4B Bed 12\nPatient: Jane Doe DOB 01/02/1960\nMRN 48213377 Dx: CHF exacerbation\n"
                .into(),
        ));
        let kinds: Vec<Option<Kind>> = got.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&Some(Kind::Name)), "{got:#?}");
        assert!(kinds.contains(&Some(Kind::Id)), "{got:#?}");
        assert!(
            got.iter()
                .all(|f| f.span.is_none() && f.message.starts_with("board.jpg: "))
        );
        assert!(got[0].notes[0].starts_with("read by OCR: Rounds"));
        assert_eq!(got[0].severity, crate::Severity::Error);
    }

    #[test]
    fn hard_negatives() {
        assert!(findings(Ocr::Text("Happy Nurses Week! Thank you team".into())).is_empty());
        assert!(findings(Ocr::Nothing).is_empty());
        assert!(findings(Ocr::NotRun).is_empty());
        assert!(findings(Ocr::Unavailable("HEIF".into())).is_empty());
    }
}
