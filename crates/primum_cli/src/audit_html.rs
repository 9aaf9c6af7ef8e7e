//! The audit as one self-contained HTML page: no script, no font, no
//! request to anywhere; the charts are inline SVG drawn here. A clinician
//! opens it and sees what to delete first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use primum_core::{Policy, Severity};

use crate::audit::{Audit, by_category, worst};

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The post's text with each finding's span marked.
fn highlighted(text: &str, spans: &mut [(usize, usize)]) -> String {
    spans.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for &(s, e) in spans.iter() {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&esc(&text[at..s]));
        let _ = write!(out, "<mark>{}</mark>", esc(&text[s..e]));
        at = e;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// A bar chart as inline SVG: one bar per label, stacked by series.
fn bars(labels: &[String], series: &[(&str, &str, Vec<usize>)], title: &str) -> String {
    let max = (0..labels.len())
        .map(|i| series.iter().map(|s| s.2[i]).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h) = (760.0_f64, 180.0_f64);
    let bw = w / labels.len().max(1) as f64;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        h + 30.0,
        esc(title)
    );
    for (i, label) in labels.iter().enumerate() {
        let mut y = h;
        for (name, colour, values) in series {
            let v = values[i];
            if v == 0 {
                continue;
            }
            let bh = v as f64 / max as f64 * h;
            y -= bh;
            let _ = write!(
                svg,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{colour}\"><title>{} {}: {v}</title></rect>",
                i as f64 * bw + 1.0,
                (bw - 2.0).max(1.0),
                esc(label),
                esc(name)
            );
        }
        let step = (labels.len() / 12).max(1);
        if i % step == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\">{}</text>",
                i as f64 * bw,
                h + 14.0,
                esc(label)
            );
        }
    }
    let _ = write!(svg, "<text x=\"0\" y=\"10\" font-size=\"10\">max {max}</text></svg>");
    let legend: Vec<String> = series
        .iter()
        .map(|(n, c, _)| format!("<span style=\"color:{c}\">■</span> {}", esc(n)))
        .collect();
    let _ = write!(svg, "<p class=\"legend\">{}</p></figure>", legend.join(" "));
    svg
}

/// Posts listed in the table: the page stays small enough to open; the
/// JSON report has every post.
const MAX_ROWS: usize = 1000;

const CATEGORY_COLOURS: [&str; 8] = [
    "#b91c1c", "#c2410c", "#a16207", "#15803d", "#0e7490", "#1d4ed8", "#7e22ce", "#be185d",
];

pub fn write(a: &Audit, policy: &Policy, out: &mut Vec<u8>) {
    let e = &a.export;
    let mut s = String::new();
    let title = format!("primum audit: {} export", e.source.title());
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<title>{}</title><style>\
body{{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}}\
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}}\
mark{{background:#fde68a}}.error{{color:#b91c1c}}.warning{{color:#a16207}}.info{{color:#1d4ed8}}\
figure{{margin:1rem 0}}figcaption{{font-weight:600}}.legend{{font-size:.85rem}}.text{{white-space:pre-wrap}}\
</style></head><body><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    let first = e.posts.iter().find_map(|p| p.created_at);
    let last = e.posts.iter().rev().find_map(|p| p.created_at);
    let _ = write!(
        s,
        "<p>{} posts and {} likes and reposts read{}{}.</p>",
        e.posts.len(),
        e.likes.len(),
        match (first, last) {
            (Some(f), Some(l)) => format!(", from {} to {}", f.date, l.date),
            _ => String::new(),
        },
        if e.partial() {
            " — <strong>partial</strong>: part of the export could not be read"
        } else {
            ""
        }
    );

    // Posting and findings by month.
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    let mut cat_months: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let (hours, zone) = &a.hours;
    for (p, r) in e.posts.iter().zip(&a.reports) {
        let Some(t) = p.created_at else { continue };
        let m = format!("{:04}-{:02}", t.date.year, t.date.month);
        *months.entry(m.clone()).or_default() += 1;
        for f in &r.findings {
            *cat_months
                .entry((f.rule.split('/').next().unwrap_or(""), m.clone()))
                .or_default() += 1;
        }
    }
    if !months.is_empty() {
        let labels: Vec<String> = months.keys().cloned().collect();
        let counts: Vec<usize> = months.values().copied().collect();
        s.push_str(&bars(&labels, &[("posts", "#1d4ed8", counts)], "Posts per month"));
        let cats: Vec<&str> = by_category(a).keys().copied().collect();
        let series: Vec<(&str, &str, Vec<usize>)> = cats
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = labels
                    .iter()
                    .map(|m| cat_months.get(&(*c, m.clone())).copied().unwrap_or(0))
                    .collect();
                (*c, CATEGORY_COLOURS[i % CATEGORY_COLOURS.len()], v)
            })
            .collect();
        if !series.is_empty() {
            s.push_str(&bars(&labels, &series, "Findings per month, by category"));
        }
        // Posting hours (local) against duty hours.
        let mut duty = [0usize; 24];
        for w in &policy.account.duty_hours {
            for (h, d) in duty.iter_mut().enumerate() {
                let m = (h * 60) as u16;
                let inside = if w.start <= w.end {
                    m >= w.start && m < w.end
                } else {
                    m >= w.start || m < w.end
                };
                if inside {
                    *d = 1;
                }
            }
        }
        let labels: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
        let on: Vec<usize> = (0..24).map(|h| if duty[h] == 1 { hours[h] } else { 0 }).collect();
        let off: Vec<usize> = (0..24).map(|h| if duty[h] == 1 { 0 } else { hours[h] }).collect();
        s.push_str(&bars(
            &labels,
            &[
                ("in an hour of a duty window", "#b91c1c", on),
                ("outside duty hours", "#15803d", off),
            ],
            &format!("Posts by hour of the day ({zone}) against the policy's duty hours"),
        ));
    }

    // Findings by category.
    let cats = by_category(a);
    if !cats.is_empty() {
        s.push_str(
            "<h2>Findings by category</h2><table><tr><th>category</th><th>error</th><th>warning</th><th>info</th></tr>",
        );
        for (c, n) in &cats {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(c),
                n[0],
                n[1],
                n[2]
            );
        }
        s.push_str("</table>");
    }
    if !a.account.is_empty() {
        s.push_str("<h2>The account</h2><ul>");
        for f in &a.account {
            let _ = write!(
                s,
                "<li><span class=\"{}\">{}</span> <code>{}</code>: {}{}</li>",
                f.severity,
                f.severity,
                esc(f.rule),
                esc(&f.message),
                f.help.as_deref().map(|h| format!(" — {}", esc(h))).unwrap_or_default()
            );
        }
        s.push_str("</ul>");
    }

    // Posts to delete first.
    let worst = worst(a);
    let _ = write!(s, "<h2>Posts to delete first ({})</h2>", worst.len());
    if worst.is_empty() {
        s.push_str("<p>No post has a finding.</p>");
    } else {
        s.push_str("<table id=\"posts\"><tr><th>date</th><th>post</th><th>findings</th></tr>");
        for &i in worst.iter().take(MAX_ROWS) {
            let p = &e.posts[i];
            let r = &a.reports[i];
            let mut spans: Vec<(usize, usize)> = r
                .findings
                .iter()
                .filter_map(|f| f.span)
                .map(|sp| (sp.start, sp.end))
                .collect();
            let link = p
                .url
                .as_deref()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(|u| format!("<br><a href=\"{}\" rel=\"noreferrer\">open on the platform</a>", esc(u)))
                .unwrap_or_default();
            let findings: Vec<String> = r
                .findings
                .iter()
                .map(|f| {
                    let refs = if f.references.is_empty() {
                        String::new()
                    } else {
                        format!(" <small>({})</small>", esc(&f.references.join(", ")))
                    };
                    format!(
                        "<span class=\"{}\">{}</span> <code>{}</code>: {}{refs}",
                        f.severity,
                        f.severity,
                        esc(f.rule),
                        esc(&f.message)
                    )
                })
                .collect();
            let sev = r.max_severity().unwrap_or(Severity::Info);
            let _ = write!(
                s,
                "<tr class=\"sev-{sev}\"><td>{}</td><td class=\"text\">{}{link}</td><td>{}</td></tr>",
                p.created_at.map_or("—".to_string(), |t| t.date.to_string()),
                highlighted(&p.text, &mut spans),
                findings.join("<br>")
            );
        }
        s.push_str("</table>");
        if worst.len() > MAX_ROWS {
            let _ = write!(
                s,
                "<p>… and {} more posts with findings, less serious: <code>primum audit --format json</code> lists every post.</p>",
                worst.len() - MAX_ROWS
            );
        }
    }
    if !a.notes.is_empty() {
        s.push_str("<h2>Not checked</h2><ul>");
        for n in &a.notes {
            let _ = write!(s, "<li>{}</li>", esc(n));
        }
        s.push_str("</ul>");
    }
    if !e.errors.is_empty() {
        s.push_str("<h2>Problems reading the export</h2><ul>");
        for err in &e.errors {
            let _ = write!(s, "<li>{}</li>", esc(&err.to_string()));
        }
        s.push_str("</ul>");
    }
    s.push_str("<p><small>Made by primum on this computer; nothing was sent anywhere.</small></p></body></html>\n");
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_escapes() {
        assert_eq!(highlighted("a <b> c", &mut [(2, 5)]), "a <mark>&lt;b&gt;</mark> c");
    }
}
