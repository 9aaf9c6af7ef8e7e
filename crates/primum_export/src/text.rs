//! Turning the text an export holds back into the text the user wrote:
//! HTML entities and tags undone, and UTF-8 that was decoded as Latin-1 or
//! Windows-1252 ("mojibake": `cafÃ©` for `café`) repaired.

/// Decodes HTML character references: the named ones that occur in
/// exports, and every numeric one. Anything else is left as it is.
pub fn unescape_html(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .map(|j| j + 1);
        let decoded = end.filter(|&j| rest.as_bytes().get(j) == Some(&b';')).and_then(|j| {
            let name = &rest[1..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of a post written in HTML (Mastodon): paragraphs become blank
/// lines, `<br>` a line break, other tags disappear (their text stays, so
/// a link's hidden `https://` part comes back), entities are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = rest[i + 1..i + j].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match name.as_str() {
            "br" => out.push('\n'),
            "p" if tag.starts_with('/') => out.push_str("\n\n"),
            _ => {}
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    let text = unescape_html(&out);
    text.trim_end_matches('\n').to_string()
}

/// The Windows-1252 characters of bytes 0x80-0x9F, which differ from
/// Latin-1's control characters there.
const CP1252: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8a),
    ('‹', 0x8b),
    ('Œ', 0x8c),
    ('Ž', 0x8e),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9a),
    ('›', 0x9b),
    ('œ', 0x9c),
    ('ž', 0x9e),
    ('Ÿ', 0x9f),
];

/// Repairs UTF-8 that was decoded as Latin-1 or Windows-1252: when every
/// character maps back to one byte, some of them are not ASCII, and the
/// bytes are valid UTF-8 with at least one multi-byte character, the
/// decoded bytes are the text. Anything else (genuine `é`, text in another
/// script, a lone `Ã`) is returned unchanged.
pub fn repair_mojibake(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = match u32::from(c) {
            n @ 0..=0xff => n as u8,
            _ => match CP1252.iter().find(|(k, _)| *k == c) {
                Some((_, b)) => *b,
                None => return s.to_string(),
            },
        };
        bytes.push(b);
    }
    match String::from_utf8(bytes) {
        Ok(t) if !t.is_ascii() && t.chars().count() < s.chars().count() => t,
        _ => s.to_string(),
    }
}

/// The text of a field as the user wrote it: mojibake repaired, HTML
/// entities decoded.
pub fn clean(s: &str) -> String {
    unescape_html(&repair_mojibake(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            unescape_html("A &amp; E &lt;3 &#39;hi&#39; &#x1F600;"),
            "A & E <3 'hi' 😀"
        );
        assert_eq!(unescape_html("AT&T & co &unknown; &"), "AT&T & co &unknown; &");
    }

    #[test]
    fn mastodon_html() {
        let html = r#"<p>Hello <a href="https://x.org/a"><span class="invisible">https://</span><span class="">x.org/a</span></a></p><p>line<br />two &amp; more</p>"#;
        assert_eq!(html_to_text(html), "Hello https://x.org/a\n\nline\ntwo & more");
    }

    #[test]
    fn mojibake() {
        // Meta's exports: each UTF-8 byte written as its own code point.
        assert_eq!(repair_mojibake("caf\u{c3}\u{a9} \u{c5}\u{99}"), "café ř");
        assert_eq!(repair_mojibake("\u{f0}\u{9f}\u{98}\u{80}"), "😀");
        // Windows-1252: the apostrophe as â€™.
        assert_eq!(repair_mojibake("it\u{e2}\u{20ac}\u{2122}s"), "it’s");
        // Genuine text stays.
        for s in ["café", "naïve résumé", "Ã alone", "日本語", "ümlaut ß"] {
            assert_eq!(repair_mojibake(s), s);
        }
    }
}
