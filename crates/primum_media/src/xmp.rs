//! XMP: a small reader for the properties that identify, in attribute
//! (`exif:GPSLatitude="40,47.418N"`) and element (`<dc:creator><rdf:Seq>
//! <rdf:li>...`) form. It looks properties up by their usual prefixes
//! rather than resolving namespaces, which is what every writer in
//! practice produces; a scrub removes the whole packet whatever it holds.

use primum_core::image::What;

use crate::Found;

/// Properties read, with what they are.
const PROPS: &[(&str, What)] = &[
    ("exif:GPSAltitude", What::GpsOther),
    ("exif:GPSImgDirection", What::GpsOther),
    ("exif:GPSDestLatitude", What::GpsOther),
    ("exif:GPSTimeStamp", What::GpsOther),
    ("photoshop:City", What::PlaceName),
    ("photoshop:State", What::PlaceName),
    ("photoshop:Country", What::PlaceName),
    ("Iptc4xmpCore:Location", What::PlaceName),
    ("Iptc4xmpCore:CountryCode", What::PlaceName),
    ("Iptc4xmpExt:LocationCreated", What::PlaceName),
    ("Iptc4xmpExt:LocationShown", What::PlaceName),
    ("Iptc4xmpExt:Sublocation", What::PlaceName),
    ("Iptc4xmpExt:City", What::PlaceName),
    ("aux:SerialNumber", What::Serial),
    ("aux:LensSerialNumber", What::Serial),
    ("exifEX:BodySerialNumber", What::Serial),
    ("exifEX:SerialNumber", What::Serial),
    ("exifEX:LensSerialNumber", What::Serial),
    ("aux:OwnerName", What::Person),
    ("exifEX:CameraOwnerName", What::Person),
    ("dc:creator", What::Person),
    ("photoshop:AuthorsPosition", What::Person),
    ("photoshop:CaptionWriter", What::Person),
    ("Iptc4xmpCore:CreatorContactInfo", What::Person),
    ("xmp:CreateDate", What::Time),
    ("xmp:ModifyDate", What::Time),
    ("xmp:MetadataDate", What::Time),
    ("exif:DateTimeOriginal", What::Time),
    ("exif:DateTimeDigitized", What::Time),
    ("photoshop:DateCreated", What::Time),
    ("xmp:CreatorTool", What::Software),
    ("xmpMM:History", What::EditHistory),
    ("xmpMM:DerivedFrom", What::EditHistory),
    ("xmpMM:DocumentID", What::EditHistory),
    ("xmpMM:OriginalDocumentID", What::EditHistory),
    ("photoshop:DocumentAncestors", What::EditHistory),
    ("dc:description", What::Comment),
    ("dc:title", What::Comment),
    ("dc:subject", What::Comment),
    ("photoshop:Headline", What::Comment),
    ("photoshop:Instructions", What::Comment),
    ("exif:UserComment", What::Comment),
    ("lr:hierarchicalSubject", What::Comment),
    ("dc:rights", What::Copyright),
    ("photoshop:Credit", What::Credit),
    ("photoshop:Source", What::Credit),
    ("plus:CopyrightOwner", What::Credit),
    ("plus:ImageCreator", What::Credit),
    ("plus:Licensor", What::Credit),
    ("xmpRights:Owner", What::Credit),
    ("xmpRights:UsageTerms", What::Licence),
    ("xmpRights:WebStatement", What::Licence),
    ("cc:license", What::Licence),
];

pub(crate) fn read(packet: &[u8], source: &str, found: &mut Found) {
    let s = String::from_utf8_lossy(packet);
    let s = s.as_ref();
    for (name, what) in PROPS {
        for v in values(s, name) {
            if *name == "dc:creator" {
                found.push(What::Credit, format!("{source} {name}"), v.clone());
            }
            found.push(what.clone(), format!("{source} {name}"), v);
        }
    }
    let lat = values(s, "exif:GPSLatitude")
        .into_iter()
        .next()
        .and_then(|v| coordinate(&v));
    let lon = values(s, "exif:GPSLongitude")
        .into_iter()
        .next()
        .and_then(|v| coordinate(&v));
    match (lat, lon) {
        (Some((la, r1)), Some((lo, r2))) => found.push(
            What::Position {
                lat: la,
                lon: lo,
                resolution: r1.min(r2),
            },
            format!("{source} exif:GPSLatitude"),
            format!("{la}, {lo}"),
        ),
        (Some(_), None) | (None, Some(_)) => {
            found.push(What::GpsOther, format!("{source} exif:GPS"), "a partial GPS position")
        }
        _ => {}
    }
}

/// The values of property `name`: attribute values and element contents
/// (text of the element with inner tags removed, list items joined).
fn values(s: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = s[..at].chars().next_back();
        let after = &s[from..];
        if before == Some('<') {
            // Element form: <name ...>content</name>, or <name .../>.
            let Some(close) = after.find('>') else { break };
            if after[..close].ends_with('/') {
                // Attributes on an empty element (e.g. a structure).
                let inner = &after[..close];
                let v = attribute_values(inner);
                if !v.is_empty() {
                    out.push(v);
                }
                continue;
            }
            let body_start = from + close + 1;
            let end_tag = format!("</{name}>");
            let Some(end) = s[body_start..].find(&end_tag) else {
                break;
            };
            let body = &s[body_start..body_start + end];
            let mut v = strip_tags(body);
            let attrs = attribute_values(body);
            if v.is_empty() {
                v = attrs;
            }
            if !v.is_empty() {
                out.push(v);
            }
            from = body_start + end + end_tag.len();
        } else if before.is_some_and(char::is_whitespace) && after.trim_start().starts_with('=') {
            let rest = after.trim_start()[1..].trim_start();
            let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(end) = rest[1..].find(q) else { break };
            let v = unescape(&rest[1..1 + end]);
            if !v.trim().is_empty() {
                out.push(v.trim().to_string());
            }
        }
    }
    out
}

/// The text in `body` with tags removed and list items joined by ", ".
fn strip_tags(body: &str) -> String {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                if !cur.trim().is_empty() {
                    parts.push(unescape(cur.trim()));
                }
                cur.clear();
            }
            '>' => in_tag = false,
            _ if !in_tag => cur.push(c),
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        parts.push(unescape(cur.trim()));
    }
    parts.join(", ")
}

/// Values of the attributes inside a tag body (`stEvt:action="saved" ...`),
/// joined; namespace declarations aside.
fn attribute_values(inner: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = inner;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq]
            .rsplit(|c: char| c.is_whitespace() || c == '<')
            .next()
            .unwrap_or("");
        let Some(end) = rest[eq + 2..].find('"') else { break };
        let v = &rest[eq + 2..eq + 2 + end];
        if !key.starts_with("xmlns") && !key.starts_with("rdf:") && !v.trim().is_empty() {
            parts.push(unescape(v.trim()));
        }
        rest = &rest[eq + 2 + end + 1..];
    }
    parts.join(", ")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// An XMP GPS coordinate ("40,47.418N" or "40,47,25.08N") as decimal
/// degrees with its resolution in degrees.
fn coordinate(v: &str) -> Option<(f64, f64)> {
    let v = v.trim();
    let hemi = v.chars().last()?.to_ascii_uppercase();
    let sign = match hemi {
        'N' | 'E' => 1.0,
        'S' | 'W' => -1.0,
        _ => return None,
    };
    let body = &v[..v.len() - 1];
    let mut deg = 0.0;
    let mut resolution = f64::INFINITY;
    for (i, part) in body.split(',').enumerate() {
        let scale = [1.0, 1.0 / 60.0, 1.0 / 3600.0].get(i).copied()?;
        let x: f64 = part.trim().parse().ok()?;
        deg += x * scale;
        let decimals = part.trim().split('.').nth(1).map_or(0, str::len) as i32;
        resolution = resolution.min(scale * 10f64.powi(-decimals));
    }
    (resolution.is_finite() && (0.0..=180.0).contains(&deg)).then_some((sign * deg, resolution))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = r#"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
 <rdf:Description rdf:about='' xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/'>
  <Iptc4xmpCore:Location>Example General Hospital, Ward 4B</Iptc4xmpCore:Location>
 </rdf:Description>
 <rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'>
  <dc:creator><rdf:Seq><rdf:li>Alex Example</rdf:li></rdf:Seq></dc:creator>
  <dc:description><rdf:Alt><rdf:li xml:lang='x-default'>Jane Doe, post-op day 2</rdf:li></rdf:Alt></dc:description>
  <dc:subject><rdf:Bag><rdf:li>patient</rdf:li><rdf:li>cardiology</rdf:li></rdf:Bag></dc:subject>
 </rdf:Description>
 <rdf:Description rdf:about='' xmlns:exif='http://ns.adobe.com/exif/1.0/'>
  <exif:GPSLatitude>40,47.418N</exif:GPSLatitude>
  <exif:GPSLongitude>73,57.198W</exif:GPSLongitude>
 </rdf:Description>
 <rdf:Description rdf:about='' xmp:CreatorTool="Adobe Lightroom 12.1" aux:SerialNumber='SN-0123456789'/>
</rdf:RDF></x:xmpmeta><?xpacket end='w'?>"#;

    #[test]
    fn reads_elements_attributes_lists_and_gps() {
        let mut f = Found::default();
        read(PACKET.as_bytes(), "JPEG XMP", &mut f);
        let get = |src: &str| {
            f.meta
                .items
                .iter()
                .find(|i| i.source == format!("JPEG XMP {src}"))
                .map(|i| i.value.clone())
        };
        assert_eq!(
            get("Iptc4xmpCore:Location").as_deref(),
            Some("Example General Hospital, Ward 4B")
        );
        assert_eq!(get("dc:creator").as_deref(), Some("Alex Example"));
        assert_eq!(get("dc:subject").as_deref(), Some("patient, cardiology"));
        assert_eq!(get("xmp:CreatorTool").as_deref(), Some("Adobe Lightroom 12.1"));
        assert_eq!(get("aux:SerialNumber").as_deref(), Some("SN-0123456789"));
        let pos = f.meta.items.iter().find_map(|i| match i.what {
            What::Position { lat, lon, .. } => Some((lat, lon)),
            _ => None,
        });
        let (lat, lon) = pos.expect("a position");
        assert!(
            (lat - 40.7903).abs() < 1e-4 && (lon + 73.9533).abs() < 1e-4,
            "{lat} {lon}"
        );
    }

    #[test]
    fn coordinates_and_garbage() {
        assert_eq!(coordinate("10,30S").map(|c| c.0), Some(-10.5));
        assert_eq!(coordinate("x"), None);
        assert_eq!(coordinate(""), None);
        let mut f = Found::default();
        read(b"<dc:creator><unclosed", "X", &mut f);
        read(b"dc:creator=\"", "X", &mut f);
        read(&[0xFF, 0xFE, b'<'], "X", &mut f);
        assert!(f.meta.items.is_empty());
    }
}
