//! Diagnostics for people, in the shape of a compiler's:
//!
//! ```text
//! error[privacy/patient-identifier]: patient name in a public post
//!  --> post.txt:1:18
//!   |
//! 1 | Saw a patient, John Smith, today
//!   |                ^^^^^^^^^^ NAME
//!   = fix: replace with `[NAME]`
//!   = see: Principle: protect the privacy and confidentiality of patients
//! ```
//!
//! Underlines are measured in display columns (emoji and CJK take two), and
//! a very long line is shown as a window around the span.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use foldhash::HashMap;
use primum_core::policy::Reference;
use primum_core::{Applicability, Fix, Severity, Verdict};
use unicode_width::UnicodeWidthStr;

use super::{Item, Located, Outcome, Printer, RunSummary, locate};
use crate::offsets::{low_bytes, word_at};
use crate::style::Style;

/// Characters of context shown before a span on a long line.
const BEFORE: usize = 60;
/// Display columns a snippet line aims to fit in.
const WIDTH: usize = 120;
/// Characters of a span shown before it is cut.
const MAX_SPAN: usize = 80;

pub struct Human<'p> {
    style: Style,
    /// What a finding's `see:` line says of each of the policy's
    /// references: its title, and its address if it has one. Made once,
    /// and found by a hash of the key, where a look-up in the policy's
    /// sorted map compared the key with several others (each a `memcmp`,
    /// for every reference of every finding).
    see: HashMap<&'p str, String>,
}

impl<'p> Human<'p> {
    /// The printer for the policy's `references`.
    pub fn new(style: Style, references: &'p BTreeMap<String, Reference>) -> Human<'p> {
        let see = references
            .iter()
            .map(|(key, r)| {
                let text = match &r.url {
                    Some(url) => format!("{} <{url}>", r.title),
                    None => r.title.clone(),
                };
                (key.as_str(), text)
            })
            .collect();
        Human { style, see }
    }
}

impl Printer for Human<'_> {
    fn item(&self, item: &Item<'_>, out: &mut Vec<u8>) {
        // Invalid inputs are named on stderr; stdout keeps to reports.
        let Outcome::Report(report) = item.outcome else {
            return;
        };
        // The report is written straight into `out` when it is empty (as
        // it is for every item of a run): its capacity is already sized for
        // the post, and there is no copy at the end.
        let reuse = out.is_empty();
        let mut s = if reuse {
            String::from_utf8(std::mem::take(out)).expect("an empty buffer is UTF-8")
        } else {
            String::new()
        };
        for l in locate(item.text, report) {
            self.finding(&mut s, item, &l);
            s.push('\n');
        }
        let st = self.style;
        let sum = report.summary();
        let verdict = report.verdict();
        let colour = match verdict {
            Verdict::Block => st.severity(Severity::Error),
            Verdict::Review => st.severity(Severity::Warning),
            Verdict::Pass => st.good(),
        };
        push_all(&mut s, &[st.bold(), item.name, st.reset(), ": "]);
        let mut any = false;
        for (n, one, many) in [
            (sum.error, "error", "errors"),
            (sum.warning, "warning", "warnings"),
            (sum.info, "info", "info"),
        ] {
            if n > 0 {
                s.push_str(if any { ", " } else { "" });
                push_number(&mut s, n);
                push_all(&mut s, &[" ", if n == 1 { one } else { many }]);
                any = true;
            }
        }
        if !any {
            s.push_str("no findings");
        }
        push_all(&mut s, &[": ", colour, verdict.as_str(), st.reset(), "\n"]);
        if reuse {
            *out = s.into_bytes();
        } else {
            out.extend_from_slice(s.as_bytes());
        }
    }

    fn separator(&self) -> &'static [u8] {
        b"\n"
    }

    fn end(&self, sum: &RunSummary, out: &mut Vec<u8>) {
        if sum.posts() <= 1 {
            return;
        }
        let mut line = format!(
            "\n{} posts: {} block, {} review, {} pass",
            sum.posts(),
            sum.block,
            sum.review,
            sum.pass
        );
        if sum.invalid > 0 {
            let _ = write!(line, ", {} invalid", sum.invalid);
        }
        line.push('\n');
        out.extend_from_slice(line.as_bytes());
    }
}

impl Human<'_> {
    fn finding(&self, s: &mut String, item: &Item<'_>, l: &Located<'_>) {
        let st = self.style;
        let f = l.finding;
        let sev = st.severity(f.severity);
        let (a, r) = (st.accent(), st.reset());
        // Pieces pushed one after another: a run prints a few findings per
        // post, and `write!` machinery was a tenth of printing them.
        push_all(
            s,
            &[
                sev,
                f.severity.as_str(),
                r,
                st.bold(),
                "[",
                f.rule,
                "]: ",
                &f.message,
                r,
                "\n",
            ],
        );
        // Written piece by piece rather than with `write!`, whose
        // formatting machinery cost more than the copies.
        let mut digits = itoa::Buffer::new();
        let pad: &str = match (l.span, f.span) {
            (Some((start, end)), Some(span)) => {
                let gutter = digits.format(start.line);
                let pad = &SPACES[..gutter.len()];
                push_all(s, &[pad, a, "-->", r, " ", item.name, ":", gutter, ":"]);
                push_number(s, start.col);
                s.push('\n');
                let snip = snippet(item.text, start.line_start, span.start, span.end);
                push_all(s, &[pad, " ", a, "|", r, "\n"]);
                push_all(s, &[a, gutter, " |", r, " ", &snip.line, "\n"]);
                push_all(s, &[pad, " ", a, "|", r, " "]);
                push_repeat(s, ' ', snip.before);
                s.push_str(sev);
                push_repeat(s, '^', snip.under.max(1));
                // The label: the kind, then where a span that runs on ends.
                if let Some(k) = f.kind {
                    push_all(s, &[" ", k.as_str()]);
                }
                if end.line > start.line {
                    s.push_str(" (continues to line ");
                    push_number(s, end.line);
                    s.push(')');
                }
                push_all(s, &[r, "\n"]);
                pad
            }
            _ => {
                push_all(s, &[" ", a, "-->", r, " ", item.name, "\n"]);
                " "
            }
        };
        let head = |s: &mut String, label: &str| push_all(s, &[pad, " ", a, "=", r, " ", st.bold(), label, r, ": "]);
        let note = |s: &mut String, label: &str, text: &[&str]| {
            head(s, label);
            push_all(s, text);
            s.push('\n');
        };
        if let Some(fix) = &f.fix {
            let label = if fix.applicability == Applicability::Safe {
                "fix"
            } else {
                "suggestion"
            };
            head(s, label);
            push_fix(s, item.text, fix);
            s.push('\n');
        }
        if let Some(h) = &f.help {
            note(s, "help", &[h]);
        }
        for n in &f.notes {
            note(s, "note", &[n]);
        }
        for key in &f.references {
            let key: &str = key;
            note(s, "see", &[self.see.get(key).map_or(key, String::as_str)]);
        }
    }
}

/// Spaces to pad the gutter with: as many as a line number has digits.
const SPACES: &str = "                    ";

/// Appends a number in decimal.
fn push_number(s: &mut String, n: usize) {
    s.push_str(itoa::Buffer::new().format(n));
}

/// Appends `c` `n` times.
fn push_repeat(s: &mut String, c: char, n: usize) {
    s.extend(std::iter::repeat_n(c, n));
}

/// Appends each piece in turn. Empty pieces (the colour codes, without
/// colour) are passed over: each copy is a call to `memcpy`, and a
/// report is made of a few hundred short pieces.
fn push_all(s: &mut String, pieces: &[&str]) {
    for p in pieces {
        if !p.is_empty() {
            s.push_str(p);
        }
    }
}

/// One line of the post around a span, ready to print.
#[derive(Debug, PartialEq)]
struct Snippet {
    line: String,
    /// Display columns before the span.
    before: usize,
    /// Display columns of the span (on this line).
    under: usize,
}

/// The line holding `start..end` (bytes), cut to a window around the span
/// when long. Never scans more than a window's worth of the text, so a
/// 50 MB one-line post costs no more than a short one.
fn snippet(text: &str, line_start: usize, start: usize, end: usize) -> Snippet {
    let end = end.clamp(start, text.len());
    // A line that fits is shown whole (the search for its end is bounded).
    let limit = floor_boundary(text, line_start.saturating_add(WIDTH * 4));
    if limit >= start {
        let line_end = text[start..limit]
            .find('\n')
            .map(|i| start + i)
            .or((limit == text.len()).then_some(limit));
        if let Some(line_end) = line_end {
            let line = text[line_start..line_end].trim_end_matches('\r');
            // Every ASCII byte takes at least one column once cleaned: a
            // line with more than WIDTH of them cannot fit, and is not
            // cleaned and measured (a walk over its characters) to find out.
            if ascii_bytes(line.as_bytes()) <= WIDTH {
                let shown = clean(line);
                let cut = end.min(line_start + line.len());
                // Printable ASCII all through (most lines): a byte is a
                // column, and the parts before and in the span, within
                // the line, need no cleaning either; the line fits, as
                // the test above counted its bytes.
                if line.is_ascii() && matches!(shown, Cow::Borrowed(_)) {
                    return Snippet {
                        line: line.trim_end().to_string(),
                        before: start - line_start,
                        under: cut.saturating_sub(start),
                    };
                }
                if columns(&shown) <= WIDTH {
                    let before = columns(&clean(&text[line_start..start]));
                    return Snippet {
                        line: shown.trim_end().to_string(),
                        before,
                        under: columns(&clean(&text[start..cut])),
                    };
                }
            }
        }
    }
    let pre_all = &text[line_start..start];
    let pre_from = pre_all.char_indices().rev().nth(BEFORE - 1).map_or(0, |(i, _)| i);
    let pre = &pre_all[pre_from..];
    // The span, up to the end of its line or MAX_SPAN characters.
    let span_all = &text[start..end];
    let mut span_len = span_all.len();
    let mut span_cut = false;
    for (n, (i, c)) in span_all.char_indices().enumerate() {
        if c == '\n' {
            span_len = span_all[..i].strip_suffix('\r').map_or(i, str::len);
            break;
        }
        if n == MAX_SPAN {
            span_len = i;
            span_cut = true;
            break;
        }
    }
    let span = &span_all[..span_len];
    // Sized for the whole window at once rather than regrown piece by
    // piece (each time a reallocation and a copy).
    let mut line = String::with_capacity(WIDTH * 4 + 64);
    if pre_from > 0 {
        line.push('…');
    }
    line.push_str(&clean(pre));
    let before = columns(&line);
    line.push_str(&clean(span));
    if span_cut {
        line.push('…');
    }
    let under = columns(&line) - before;
    // What follows, to the end of the line or the window.
    let room = WIDTH.saturating_sub(columns(&line)).max(20);
    let after_start = start + span_len;
    let rest = &text[after_start..];
    let mut after_len = rest.len();
    let mut after_cut = false;
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if c == '\n' {
            after_len = i;
            break;
        }
        if n == room {
            after_len = i;
            after_cut = true;
            break;
        }
    }
    let after = if span_cut { "" } else { &rest[..after_len] };
    line.push_str(&clean(after.trim_end_matches('\r')));
    if after_cut && !span_cut {
        line.push('…');
    }
    Snippet {
        line: line.trim_end().to_string(),
        before,
        under,
    }
}

/// The largest char boundary at or below `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Display columns of text that went through [`clean`]: one per byte when
/// it is ASCII (printable, after `clean`), else its Unicode width, the
/// same as `s.width()` found with fewer look-ups.
///
/// `unicode-width` measures a text from its end, a character's width
/// depending on what follows it (an emoji or variation sequence, `1` with
/// U+FE0F U+20E3, `*` with U+FE0F after a joiner). A printable ASCII
/// character measures one column and hands nothing on to the characters
/// before it, unless it is a digit, `#` or `*` right before a non-ASCII
/// character (which may start or join such a sequence). So the printable
/// ASCII is counted eight bytes at a time, a column each, and only the
/// runs of other characters (an emoji, a word in another script, with
/// such a digit), each with the character before it, go through
/// `unicode-width`. On a line of English with a few emoji, a walk over
/// every character was most of printing a snippet, and a test of each
/// byte was mispredicted at every digit and every emoji.
fn columns(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    let b = s.as_bytes();
    let printable = |k: usize| b.get(k).is_some_and(|c| (0x20..0x7f).contains(c));
    // In a run: not printable ASCII, or a digit, `#` or `*` before a byte
    // that is not.
    let in_run =
        |k: usize| !printable(k) || matches!(b[k], b'0'..=b'9' | b'#' | b'*') && k + 1 < b.len() && !printable(k + 1);
    let mut total = 0;
    let mut i = 0;
    while i < b.len() {
        // The printable ASCII from `i` on, eight bytes at a time.
        let n = (b.len() - i).min(8);
        let word = word_at(b, i);
        let other = (word & HIGH | control_bytes(word)) & low_bytes(n);
        let count = if other == 0 {
            n
        } else {
            other.trailing_zeros() as usize / 8
        };
        total += count;
        i += count;
        if count == n {
            continue;
        }
        // A run, measured with the character before it (counted above as
        // one column), which may start a sequence with it. Every byte of
        // a multi-byte character is at or above 0x80, so the run ends at a
        // character boundary.
        let mut end = i + 1;
        while end < b.len() && in_run(end) {
            end += 1;
        }
        let from = i.saturating_sub(1);
        total -= usize::from(i > 0);
        total += s[from..end].width();
        i = end;
    }
    total
}

/// Text safe to show on a terminal: tabs become spaces, control characters
/// a space, and bidirectional overrides (which could make the shown text
/// differ from the checked one) the replacement character.
fn clean(s: &str) -> Cow<'_, str> {
    if !has_odd(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push(' '),
            c if odd(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether [`clean`] changes a character of `s`: a control character or a
/// bidirectional mark or override.
fn odd(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` holds an [`odd`] character, found eight bytes at a time.
///
/// Every odd character starts with a byte below 0x20, 0x7f, 0xc2 (U+0080
/// to U+009F) or 0xe2 (U+2000 to U+2FFF): words without such a byte are
/// passed over, and only at those bytes (curly quotes and dashes start
/// with 0xe2 too) is the character decoded. It replaces a walk over every
/// character, which branches on each non-ASCII one.
fn has_odd(s: &str) -> bool {
    let raw = s.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let n = (raw.len() - i).min(8);
        let word = word_at(raw, i);
        let mut flags = (control_bytes(word) | eq_bytes(word, 0xc2) | eq_bytes(word, 0xe2)) & low_bytes(n) & HIGH;
        while flags != 0 {
            let at = i + flags.trailing_zeros() as usize / 8;
            if s[at..].chars().next().is_some_and(odd) {
                return true;
            }
            flags &= flags - 1;
        }
        i += n;
    }
    false
}

/// How many bytes of `raw` are ASCII, counted eight at a time.
fn ascii_bytes(raw: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < raw.len() {
        let n = (raw.len() - i).min(8);
        let word = word_at(raw, i);
        count += (!word & low_bytes(n) & HIGH).count_ones() as usize;
        i += n;
    }
    count
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// 0x80 in each byte of `word` that is an ASCII control character (below
/// 0x20, or 0x7f), exactly.
fn control_bytes(word: u64) -> u64 {
    zero_bytes(word & (0xe0 * ONES)) | eq_bytes(word, 0x7f)
}

/// 0x80 in each byte of `word` that is zero, exactly (no borrow from one
/// byte into the next).
fn zero_bytes(word: u64) -> u64 {
    !(((word & !HIGH) + !HIGH) | word | !HIGH)
}

/// 0x80 in each byte of `word` equal to `b`.
fn eq_bytes(word: u64, b: u8) -> u64 {
    zero_bytes(word ^ (u64::from(b) * ONES))
}

/// What a fix does, in a line: `replace with `[NAME]``, `remove `#f`, `#g``.
pub(super) fn describe_fix(text: &str, fix: &Fix) -> String {
    let mut line = String::new();
    push_fix(&mut line, text, fix);
    line
}

/// Appends [`describe_fix`]'s line to `line`, piece by piece: a report
/// prints about one fix per post, and the strings that `format!` and
/// `join` built for its parts cost more than the copies.
fn push_fix(line: &mut String, text: &str, fix: &Fix) {
    const SHOWN: usize = 6;
    // A piece of text in backquotes, cut after 40 characters.
    let quote = |line: &mut String, s: &str| {
        let s = s.trim();
        let cut = s.char_indices().nth(40).map_or(s.len(), |(i, _)| i);
        line.push('`');
        line.push_str(&clean(&s[..cut]));
        if cut < s.len() {
            line.push('…');
        }
        line.push('`');
    };
    let original = |e: &primum_core::Edit| text.get(e.span.start..e.span.end).unwrap_or("");
    let shown = fix.edits.iter().take(SHOWN).enumerate();
    if fix.edits.iter().all(|e| e.replacement.is_empty()) {
        line.push_str("remove ");
        for (i, e) in shown {
            line.push_str(if i > 0 { ", " } else { "" });
            quote(line, original(e));
        }
    } else if let [e] = fix.edits.as_slice() {
        line.push_str("replace with ");
        quote(line, &e.replacement);
    } else {
        for (i, e) in shown {
            line.push_str(if i > 0 { "; " } else { "" });
            if e.replacement.is_empty() {
                line.push_str("remove ");
                quote(line, original(e));
            } else {
                line.push_str("replace ");
                quote(line, original(e));
                line.push_str(" with ");
                quote(line, &e.replacement);
            }
        }
    }
    if fix.edits.len() > SHOWN {
        let _ = write!(line, " and {} more", fix.edits.len() - SHOWN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn under(s: &Snippet) -> String {
        format!("{}{}", " ".repeat(s.before), "^".repeat(s.under.max(1)))
    }

    #[test]
    fn underline_is_measured_in_display_columns() {
        let text = "今日 😀 saw John Smith";
        let start = text.find("John").unwrap();
        let s = snippet(text, 0, start, text.len());
        assert_eq!(s.line, text);
        // 今日 = 4 columns, a space, 😀 = 2, a space, "saw " = 4.
        assert_eq!(under(&s), format!("{}{}", " ".repeat(12), "^".repeat(10)));
    }

    #[test]
    fn long_lines_are_windowed_without_scanning_them() {
        let text = format!("{}John Smith{}", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let start = 1_000_000;
        let s = snippet(&text, 0, start, start + 10);
        assert!(s.line.starts_with('…') && s.line.ends_with('…'), "{}", s.line);
        assert!(s.line.width() <= WIDTH + 2);
        assert_eq!(&s.line[s.line.find('J').unwrap()..][..10], "John Smith");
        assert_eq!((s.before, s.under), (BEFORE + 1, 10));
    }

    #[test]
    fn a_printable_ascii_line_is_measured_by_its_bytes() {
        // The short way for a line of printable ASCII gives what cleaning
        // and measuring each part gives, on every span of lines short and
        // long, with a tab (cleaned) or a carriage return in some.
        let lines = [
            "Saw John Smith today",
            "a",
            "x\ty z",
            "ends with a return\r",
            "emoji 😀 after",
            &"w".repeat(WIDTH),
            &"w".repeat(WIDTH + 1),
        ];
        for line in lines {
            let text = format!("before\n{line}\nafter");
            let line_start = 7;
            let line_end = line_start + line.len();
            for start in (line_start..line_end).filter(|&i| text.is_char_boundary(i)) {
                for end in (start..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(3) {
                    let s = snippet(&text, line_start, start, end);
                    let shown = line.trim_end_matches('\r');
                    if clean(shown).len() == shown.len() && columns(&clean(shown)) <= WIDTH {
                        let cut = end.min(line_start + shown.len());
                        let want = (
                            columns(&clean(&text[line_start..start])),
                            columns(&clean(&text[start..cut.max(start)])),
                        );
                        assert_eq!((s.before, s.under), want, "{line:?} {start}..{end}");
                        assert_eq!(s.line, clean(shown).trim_end(), "{line:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn multi_line_spans_stop_at_the_line_end() {
        let text = "first line\nsecond\r\nthird";
        let s = snippet(text, 11, 11, text.len());
        assert_eq!(s.line, "second");
        assert_eq!((s.before, s.under), (0, 6));
    }

    #[test]
    fn odd_characters_are_found_at_any_place() {
        let odd_ones = [
            '\t', '\u{0}', '\u{7f}', '\u{85}', '\u{9f}', '\u{200e}', '\u{202e}', '\u{2069}',
        ];
        let fine = [
            'a', ' ', '~', '\u{a0}', '\u{2019}', '\u{2026}', '\u{2070}', '\u{200d}', '😀',
        ];
        for len in 1..20 {
            for at in 0..len {
                for c in odd_ones.iter().chain(&fine) {
                    let s: String = (0..len)
                        .map(|i| if i == at { *c } else { fine[i % fine.len()] })
                        .collect();
                    assert_eq!(has_odd(&s), s.chars().any(odd), "{s:?}");
                    assert_eq!(ascii_bytes(s.as_bytes()), s.bytes().filter(u8::is_ascii).count());
                }
            }
        }
    }

    /// Pieces of text around which `unicode-width` reads context: emoji,
    /// modifiers, joiners, variation selectors, keycaps, combining marks,
    /// wide and narrow letters.
    const PIECES: [&str; 24] = [
        "a",
        " ",
        "1",
        "#",
        "*",
        "~",
        "\u{fe0f}",
        "\u{fe0e}",
        "\u{fe01}",
        "\u{20e3}",
        "\u{200d}",
        "😀",
        "👍🏽",
        "\u{2764}",
        "\u{2019}",
        "\u{301}",
        "今",
        "é",
        "\u{1f1ec}",
        "\u{1f1e7}",
        "\u{a9}",
        "\u{644}",
        "\u{627}",
        "\u{2026}",
    ];

    /// The cuts [`columns`] makes are exact: before a printable ASCII
    /// character, the width of a text is the width before the cut plus
    /// the width from it, whatever comes on either side; and such a
    /// character followed by another (or by nothing) is one column.
    #[test]
    fn cuts_hand_no_context_on() {
        let printable: Vec<String> = (0x20u8..0x7f).map(|c| char::from(c).to_string()).collect();
        let pairs = || {
            PIECES
                .iter()
                .flat_map(|a| PIECES.iter().map(move |b| format!("{a}{b}")))
        };
        for c in &printable {
            for before in pairs().chain(PIECES.iter().map(|p| p.to_string())) {
                for after in PIECES.iter().map(|p| p.to_string()).chain([String::new()]) {
                    // Where `columns` cuts: before `c` when it is no digit,
                    // `#` or `*` right before a byte that is not printable
                    // ASCII.
                    let keycap = matches!(c.as_bytes()[0], b'0'..=b'9' | b'#' | b'*');
                    if keycap && after.bytes().next().is_some_and(|b| !(0x20..0x7f).contains(&b)) {
                        continue;
                    }
                    let whole = format!("{before}{c}{after}");
                    assert_eq!(
                        whole.width(),
                        before.width() + format!("{c}{after}").width(),
                        "{whole:?}"
                    );
                    let ascii_next = after.bytes().next().is_none_or(|b| (0x20..0x7f).contains(&b));
                    if ascii_next {
                        assert_eq!(format!("{c}{after}").width(), 1 + after.width(), "{c:?} {after:?}");
                    }
                }
            }
        }
    }

    /// [`columns`] is `width()` on texts mixing every kind of piece.
    #[test]
    fn columns_are_the_unicode_width() {
        // A small deterministic generator (xorshift): the texts are the
        // same on every run.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..100_000 {
            let n = (next() % 16) as usize;
            let text: String = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            assert_eq!(columns(&text), text.width(), "{text:?}");
        }
        for text in [
            "",
            "plain ascii",
            "café ☕ at 9️⃣ #️⃣",
            "👨\u{200d}👩\u{200d}👧 family",
            "x\u{fe0f}",
            "’🇬👍🏽👍🏽\u{200d}*\u{fe0f}",
            "abcdefg1\u{fe0f}\u{20e3} and 12\u{fe0f}\u{20e3}, 50mg 😀a😀",
        ] {
            assert_eq!(columns(text), text.width(), "{text:?}");
        }
    }

    #[test]
    fn controls_and_bidi_overrides_are_neutralised() {
        assert_eq!(clean("a\tb\u{202e}c\u{7}"), "a    b\u{fffd}c ");
    }
}
