//! `privacy/image-metadata`: an attached image carries identifying
//! metadata (serials, names, times, software, comments, thumbnails).

use crate::declare_rule;
use crate::image::{ImageCtx, What, shorten};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// An image attached to the post (`primum check --image`) whose
    /// metadata identifies the device, the people or the moment behind
    /// it: a camera, lens or phone serial number; an owner's, artist's,
    /// author's or creator's name; capture and modification times; the
    /// software that made or edited it and its edit history; descriptions,
    /// captions, keywords and comments (EXIF, XMP, IPTC, PNG text chunks,
    /// JPEG and GIF comments); maker notes; data hidden after the end of
    /// the image; and an embedded thumbnail or preview, with a stronger
    /// message when its shape differs from the picture's (a crop whose
    /// thumbnail still shows the uncropped original). One finding per kind
    /// of item, with each value and where it was found in its notes.
    ///
    /// ## Why
    ///
    /// "Content uploaded anonymously can be traced back to its point of
    /// origin." A serial number ties every photo to one phone; a caption
    /// written in a photo app ("Rounds, bed 12 - Jane Doe") travels with
    /// the file; a cropped picture's thumbnail can still show the patient
    /// the crop removed. GMC, *Using social media as a medical
    /// professional* ¶9 (`uk-gmc-sm2024-9`); HIPAA's Safe Harbor method
    /// lists device identifiers and serial numbers among the identifiers
    /// to remove (45 CFR 164.514(b)(2)(i)(M)).
    ///
    /// ## Example
    ///
    /// A photo whose EXIF holds `SerialNumber: SN-0123456789`,
    /// `Artist: Dr. Alex Example` and `UserComment: pt Jane Doe`.
    ///
    /// Better: the same photo after `primum scrub`, with the pixels,
    /// orientation and colour profile unchanged.
    ///
    /// ## Fix
    ///
    /// Run `primum scrub IMAGE --out DIR` (or `--in-place`) before
    /// posting; `primum scrub --check IMAGE` lists what would go.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/image-metadata",
        fix: Never,
        options: [],
        check: no_text_check,
    }
}

/// An image rule judges no text: the text engine skips it by scope.
fn no_text_check(_: &Ctx<'_>, _: &mut Vec<Diagnostic>) {}

/// Whether an item is of one kind.
type IsKind = fn(&What) -> bool;

/// The kinds this rule reports, in order, with the message's wording.
const KINDS: &[(IsKind, &str)] = &[
    (|w| matches!(w, What::Serial), "device serial number"),
    (
        |w| matches!(w, What::Person),
        "a person's name (owner, artist or author)",
    ),
    (|w| matches!(w, What::Comment), "description or comment"),
    (|w| matches!(w, What::Time), "capture or edit time"),
    (
        |w| matches!(w, What::Software | What::EditHistory),
        "software or edit history",
    ),
    (|w| matches!(w, What::Device), "camera or phone model"),
    (|w| matches!(w, What::MakerNote), "maker notes"),
    (|w| matches!(w, What::Hidden), "hidden data"),
];

pub fn check_image(ctx: &ImageCtx<'_>, out: &mut Vec<Diagnostic>) {
    let name = ctx.name;
    let items = &ctx.meta.items;
    for &(is, label) in KINDS {
        let found: Vec<_> = items.iter().filter(|i| is(&i.what)).collect();
        let Some(first) = found.first() else { continue };
        let value = shorten(&first.value, 40);
        let message = if value.is_empty() {
            format!("{name}: {label} in the metadata ({})", first.source)
        } else {
            format!("{name}: {label} \"{value}\" in the metadata ({})", first.source)
        };
        let mut d = Diagnostic::new(None, message).with_help("remove it with `primum scrub` before posting");
        d.notes = found
            .iter()
            .map(|i| format!("{}: {}", i.source, shorten(&i.value, 80)))
            .collect();
        out.push(d);
    }
    for item in items {
        if let What::Thumbnail { differs } = item.what {
            let message = if differs {
                format!(
                    "{name}: embedded thumbnail shows a different picture from the image (an uncropped original?) ({})",
                    item.source
                )
            } else {
                format!("{name}: embedded thumbnail or preview ({})", item.source)
            };
            let mut d = Diagnostic::new(None, message).with_help(
                "`primum scrub` removes thumbnails; what was cropped out of the picture may still show in them",
            );
            if !item.value.is_empty() {
                d.notes.push(item.value.clone());
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{ImageMeta, check_image as run};
    use crate::policy::Policy;

    fn messages(meta: &ImageMeta) -> Vec<String> {
        run("p.jpg", meta, &Policy::core())
            .findings
            .into_iter()
            .filter(|f| f.rule == "privacy/image-metadata")
            .map(|f| f.message.into_owned())
            .collect()
    }

    #[test]
    fn serials_names_times_and_comments_fire_once_per_kind() {
        let mut m = ImageMeta::default();
        m.push(What::Serial, "EXIF BodySerialNumber", "SN-0123456789");
        m.push(What::Serial, "XMP aux:SerialNumber", "SN-0123456789");
        m.push(What::Person, "EXIF Artist", "Dr. Alex Example");
        m.push(What::Time, "EXIF DateTimeOriginal", "2026:03:14 07:42:11");
        m.push(What::Comment, "JPEG comment", "Jane Doe MRN 48213377");
        let got = messages(&m);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(
            got[0],
            "p.jpg: device serial number \"SN-0123456789\" in the metadata (EXIF BodySerialNumber)"
        );
        let f = run("p.jpg", &m, &Policy::core());
        assert_eq!(f.findings[0].notes.len(), 2);
        assert_eq!(f.findings[0].severity, crate::Severity::Warning);
    }

    #[test]
    fn a_thumbnail_that_differs_says_so() {
        let mut m = ImageMeta::default();
        m.push(
            What::Thumbnail { differs: true },
            "EXIF IFD1 thumbnail",
            "160x120 vs 800x120",
        );
        let got = messages(&m);
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("different picture"), "{got:?}");
        let mut m = ImageMeta::default();
        m.push(What::Thumbnail { differs: false }, "EXIF IFD1 thumbnail", "");
        assert!(messages(&m)[0].contains("embedded thumbnail or preview"));
    }

    #[test]
    fn hard_negatives_location_and_rights_alone_do_not_fire() {
        let mut m = ImageMeta::default();
        m.push(What::PlaceName, "IPTC City", "New York");
        m.push(What::Copyright, "EXIF Copyright", "(c) Someone");
        assert!(messages(&m).is_empty());
        assert!(messages(&ImageMeta::default()).is_empty());
    }
}
