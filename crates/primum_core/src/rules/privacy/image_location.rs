//! `privacy/image-location`: an attached image says where it was taken.

use crate::declare_rule;
use crate::image::{ImageCtx, What, shorten};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// An image attached to the post (`primum check --image`) whose
    /// metadata says where it was taken: GPS coordinates in EXIF or XMP
    /// (reported in decimal degrees, with the precision the file stores
    /// them to), GPS altitude, direction, destination or time, and place
    /// names in XMP or IPTC (city, state, country, sub-location, a
    /// location field such as "Example General Hospital, Ward 4B").
    ///
    /// ## Why
    ///
    /// "Information about your location may be embedded within
    /// photographs." A phone stores its position in every photo by
    /// default, often to a metre: a photo taken on a ward names the
    /// hospital and the ward, and one taken at home gives the author's
    /// address. The GMC's *Using social media as a medical professional*
    /// ¶9 (`uk-gmc-sm2024-9`) asks professionals to consider what a post
    /// gives away about patients and themselves.
    ///
    /// ## Example
    ///
    /// A sunrise from the ward window, with
    /// `GPS 40.790300, -73.953300 (to about 0.3 m)` in its EXIF.
    ///
    /// Better: the same picture after `primum scrub photo.jpg --out
    /// clean/`, which removes the position and keeps every pixel.
    ///
    /// ## Fix
    ///
    /// Run `primum scrub IMAGE --out DIR` (or `--in-place`) before
    /// posting, or turn off location tagging in the camera app. Most
    /// platforms strip GPS on upload, but not all, and not from files sent
    /// as documents.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/image-location",
        fix: Never,
        options: [],
        check: no_text_check,
    }
}

/// An image rule judges no text: the text engine skips it by scope.
fn no_text_check(_: &Ctx<'_>, _: &mut Vec<Diagnostic>) {}

/// How far apart two points `resolution` degrees apart are, in metres
/// (along a meridian).
fn metres(resolution: f64) -> f64 {
    resolution * 111_320.0
}

/// "0.3 m", "31 m", "1.9 km".
fn distance(m: f64) -> String {
    if m < 1.0 {
        format!("{m:.1} m")
    } else if m < 1000.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

/// The decimals that show a position to its resolution (at most 7).
fn decimals(resolution: f64) -> usize {
    if resolution.is_nan() || resolution <= 0.0 {
        return 6;
    }
    (-resolution.log10()).ceil().clamp(0.0, 7.0) as usize
}

pub fn check_image(ctx: &ImageCtx<'_>, out: &mut Vec<Diagnostic>) {
    let name = ctx.name;
    let mut seen: Vec<(f64, f64, usize)> = Vec::new();
    for item in &ctx.meta.items {
        let What::Position { lat, lon, resolution } = item.what else {
            continue;
        };
        // The same position in EXIF and XMP is one finding with two sources.
        if let Some(&(_, _, at)) = seen
            .iter()
            .find(|(a, b, _)| (a - lat).abs() < 1e-4 && (b - lon).abs() < 1e-4)
        {
            out[at].notes.push(format!("also in {}", item.source));
            continue;
        }
        seen.push((lat, lon, out.len()));
        let n = decimals(resolution);
        out.push(
            Diagnostic::new(
                None,
                format!(
                    "{name}: GPS position {lat:.n$}, {lon:.n$} (to about {}) in {}",
                    distance(metres(resolution)),
                    item.source
                ),
            )
            .with_help(
                "remove it with `primum scrub` before posting; the position can name the hospital, the ward or your home",
            ),
        );
    }
    for (what, label) in [
        (What::GpsOther, "GPS details (altitude, direction or time)"),
        (What::PlaceName, "place name"),
    ] {
        let found: Vec<_> = ctx.meta.items.iter().filter(|i| i.what == what).collect();
        let Some(first) = found.first() else { continue };
        let message = if what == What::PlaceName {
            format!(
                "{name}: {label} \"{}\" in the metadata ({})",
                shorten(&first.value, 40),
                first.source
            )
        } else {
            format!("{name}: {label} in the metadata ({})", first.source)
        };
        let mut d = Diagnostic::new(None, message).with_help("remove it with `primum scrub` before posting");
        d.notes = found
            .iter()
            .map(|i| format!("{}: {}", i.source, shorten(&i.value, 60)))
            .collect();
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{ImageMeta, check_image as run};
    use crate::policy::Policy;

    fn messages(meta: &ImageMeta, policy: &Policy) -> Vec<String> {
        run("p.jpg", meta, policy)
            .findings
            .into_iter()
            .filter(|f| f.rule == "privacy/image-location")
            .map(|f| f.message.into_owned())
            .collect()
    }

    #[test]
    fn a_gps_position_fires_in_decimal_degrees_with_its_precision() {
        let mut m = ImageMeta::default();
        let exif = What::Position {
            lat: 40.7903,
            lon: -73.9533,
            resolution: 1.0 / 360_000.0,
        };
        let xmp = What::Position {
            lat: 40.79030,
            lon: -73.95330,
            resolution: 1.0 / 60_000.0,
        };
        m.push(exif, "EXIF GPS", "");
        m.push(xmp, "XMP exif:GPSLatitude", "");
        let got = messages(&m, &Policy::core());
        assert_eq!(
            got,
            ["p.jpg: GPS position 40.790300, -73.953300 (to about 0.3 m) in EXIF GPS"]
        );
        let f = run("p.jpg", &m, &Policy::core());
        assert_eq!(f.findings[0].notes, ["also in XMP exif:GPSLatitude"]);
        assert_eq!(f.findings[0].severity, crate::Severity::Error);
        assert_eq!(f.findings[0].span, None);
    }

    #[test]
    fn place_names_and_altitude_fire() {
        let mut m = ImageMeta::default();
        m.push(What::PlaceName, "IPTC City", "New York");
        m.push(What::GpsOther, "EXIF GPSAltitude", "34.5 m");
        let got = messages(&m, &Policy::core());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().any(|msg| msg.contains("\"New York\"")));
    }

    #[test]
    fn hard_negatives_other_metadata_does_not_fire() {
        let mut m = ImageMeta::default();
        m.push(What::Serial, "EXIF SerialNumber", "SN-1");
        m.push(What::Copyright, "EXIF Copyright", "(c) A");
        assert!(messages(&m, &Policy::core()).is_empty());
        assert!(messages(&ImageMeta::default(), &Policy::core()).is_empty());
    }

    #[test]
    fn precision_in_words() {
        assert_eq!(decimals(1.0 / 3600.0), 4);
        assert_eq!(decimals(0.0), 6);
        assert_eq!(distance(metres(1.0 / 3600.0)), "31 m");
        assert_eq!(distance(metres(0.1)), "11.1 km");
    }

    #[test]
    fn can_be_switched_off_by_policy() {
        let p = Policy::resolve(
            None,
            Some(("p.toml", "[rules.\"privacy/image-location\"]\nenabled = false\n")),
        )
        .expect("a valid policy");
        let mut m = ImageMeta::default();
        m.push(What::PlaceName, "IPTC City", "New York");
        assert!(messages(&m, &p).is_empty());
    }
}
