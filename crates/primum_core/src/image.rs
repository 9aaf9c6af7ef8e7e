//! What an attached image's metadata says, and the image rules that judge it.
//!
//! Reading an image is the media crate's business (`primum_media`): it
//! turns a file's bytes into an [`ImageMeta`], a plain list of what the
//! metadata holds, each item with where it was found and its value. The
//! rules of scope `image` (`privacy/image-location`,
//! `privacy/image-metadata`, `copyright/image-rights`) read that list here,
//! in the core, so they are declared, documented, configured by packs and
//! policies, and explained like every other rule. Like the rest of the
//! core, nothing here does I/O.

use crate::finding::{Finding, Report};
use crate::policy::Policy;
use crate::registry::{CATALOGUE_INDEX, RULES};
use crate::rule::{Diagnostic, Rule};
use crate::rules;

/// What one metadata item is about.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A GPS position in decimal degrees (north and east positive), with
    /// the resolution the file stores it to, in degrees.
    Position { lat: f64, lon: f64, resolution: f64 },
    /// GPS altitude, direction, speed, area, destination or time.
    GpsOther,
    /// A place name: city, state, country, sub-location, a location field.
    PlaceName,
    /// A serial number of the camera body, lens or phone.
    Serial,
    /// A person's name as owner, artist, author, creator or by-line.
    Person,
    /// The camera or phone make and model.
    Device,
    /// A capture, digitisation or modification time.
    Time,
    /// The software that made or edited the file.
    Software,
    /// Editing history (XMP `xmpMM:History`, derived-from documents).
    EditHistory,
    /// A description, caption, title, keyword, comment or user comment.
    Comment,
    /// An embedded thumbnail or preview image; `differs` when its shape
    /// is not that of the main picture (a crop the thumbnail undoes).
    Thumbnail { differs: bool },
    /// Maker notes (a camera maker's private block, often with serials).
    MakerNote,
    /// Bytes after the end of the image, or an unknown block.
    Hidden,
    /// A copyright notice.
    Copyright,
    /// A creator, credit line, source or rights owner, as a rights claim.
    Credit,
    /// Usage terms or a licence.
    Licence,
}

/// One item of an image's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaItem {
    pub what: What,
    /// Where it was found, as a reader would name it: `EXIF GPS`, `XMP
    /// dc:creator`, `IPTC By-line`, `PNG tEXt Author`, `JPEG comment`.
    pub source: String,
    /// The value, shortened for display.
    pub value: String,
}

/// What OCR made of the picture's pixels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Ocr {
    /// OCR was not asked for.
    #[default]
    NotRun,
    /// The text read.
    Text(String),
    /// OCR ran and read nothing.
    Nothing,
    /// OCR could not run on this image, and why ("not available for HEIF
    /// images in this build").
    Unavailable(String),
}

/// What an image's metadata holds, and the text read in its pixels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageMeta {
    pub items: Vec<MetaItem>,
    pub ocr: Ocr,
}

impl ImageMeta {
    pub fn push(&mut self, what: What, source: impl Into<String>, value: impl Into<String>) {
        self.items.push(MetaItem {
            what,
            source: source.into(),
            value: value.into(),
        });
    }
}

/// What an image rule's check sees: the image's name (for messages), its
/// metadata and the resolved policy.
pub struct ImageCtx<'a> {
    /// The image as the user named it (a path).
    pub name: &'a str,
    pub meta: &'a ImageMeta,
    pub policy: &'a Policy,
}

/// An image rule's check function.
pub type ImageCheckFn = fn(&ImageCtx<'_>, &mut Vec<Diagnostic>);

/// The image rules and their checks, in catalogue order.
pub static IMAGE_RULES: &[(&Rule, ImageCheckFn)] = &[
    (
        &rules::privacy::image_location::RULE,
        rules::privacy::image_location::check_image,
    ),
    (
        &rules::privacy::image_metadata::RULE,
        rules::privacy::image_metadata::check_image,
    ),
    (
        &rules::privacy::image_text::RULE,
        rules::privacy::image_text::check_image,
    ),
    (
        &rules::copyright::image_rights::RULE,
        rules::copyright::image_rights::check_image,
    ),
];

/// Checks one image's metadata against every enabled image rule. The
/// findings have no span (they are about the image, not the text) and
/// name the image in their message.
pub fn check_image(name: &str, meta: &ImageMeta, policy: &Policy) -> Report {
    let ctx = ImageCtx { name, meta, policy };
    let mut findings = Vec::new();
    let mut diags = Vec::new();
    for (rule, check) in IMAGE_RULES {
        let Some(at) = RULES.iter().position(|r| std::ptr::eq(*r, *rule)) else {
            continue;
        };
        let settings = policy.settings_at(CATALOGUE_INDEX[at]);
        if !settings.enabled {
            continue;
        }
        diags.clear();
        check(&ctx, &mut diags);
        for d in diags.drain(..) {
            findings.push(Finding {
                rule: rule.id,
                severity: d.severity.unwrap_or(settings.severity),
                message: d.message,
                span: None,
                kind: d.kind,
                fix: None,
                help: d.help,
                notes: d.notes,
                references: settings.references.clone(),
            });
        }
    }
    Report { findings }
}

/// Shortens a metadata value for a message: one line, at most `max`
/// characters, an ellipsis when cut.
pub fn shorten(value: &str, max: usize) -> String {
    let one_line: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut s: String = one_line.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Scope;

    #[test]
    fn every_image_rule_is_registered_with_image_scope() {
        for (rule, _) in IMAGE_RULES {
            assert_eq!(rule.scope(), Scope::Image, "{}", rule.id);
            assert!(
                RULES.iter().any(|r| std::ptr::eq(*r, *rule)),
                "{} is not in RULES",
                rule.id
            );
        }
    }

    #[test]
    fn every_registered_image_rule_has_a_check() {
        for r in RULES.iter().filter(|r| r.scope() == Scope::Image) {
            assert!(
                IMAGE_RULES.iter().any(|(x, _)| std::ptr::eq(*x, *r)),
                "{} is registered but not in IMAGE_RULES",
                r.id
            );
        }
    }

    #[test]
    fn an_empty_image_has_no_findings() {
        let r = check_image("a.jpg", &ImageMeta::default(), &Policy::core());
        assert!(r.findings.is_empty());
    }

    #[test]
    fn shorten_cuts_long_values() {
        assert_eq!(shorten("a\n b", 10), "a b");
        assert_eq!(shorten("abcdefghijk", 5), "abcd…");
    }
}
