//! `primum audit`: a platform's data export in; every post checked by the
//! text rules, the history checked by the history rules, and one report out
//! (human summary, JSON per the contract's `primum.audit.v1`, or a
//! self-contained HTML page).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use primum_core::history::{self, AccountSetting, Engagement, History, HistoryPost};
use primum_core::{DateTime, Finding, Policy, Post, Report, Severity};
use primum_export::{Export, LikeKind};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{AuditArgs, AuditFormat};
use crate::images;
use crate::printer::json_findings;
use crate::run::{self, exit_code};
use crate::style::Style;

pub const SCHEMA: &str = "primum.audit.v1";

/// Shows the number of posts read on a terminal.
struct Reading(Option<ProgressBar>);

impl primum_export::Progress for Reading {
    fn posts(&self, posts: usize) {
        if let Some(p) = &self.0 {
            p.set_message(format!("{posts} posts read"));
        }
    }
}

/// Everything the audit found.
pub struct Audit {
    pub export: Export,
    /// One report per post, in the export's order (by time), once
    /// [`Audit::check_all`] has run (the JSON output checks and writes the
    /// posts a chunk at a time instead).
    pub reports: Vec<Report>,
    /// The history rules' findings about each post, and the image rules'
    /// on its photos.
    history: Vec<Vec<Finding>>,
    /// Findings about the account as a whole.
    pub account: Vec<Finding>,
    /// What could not be checked.
    pub notes: Vec<String>,
    /// Posts whose check failed (an internal error), with the message.
    pub failed: Vec<String>,
    /// Posts by hour of the day in the account's time zone (UTC when the
    /// policy names none or it is unknown), and that zone's name.
    pub hours: ([usize; 24], String),
}

/// The account's time zone from the policy, for duty hours: jiff resolves
/// IANA names with the system's time-zone database.
fn zone(policy: &Policy) -> Option<jiff::tz::TimeZone> {
    let name = policy.account.timezone.as_deref()?;
    history::fixed_offset(name)
        .is_none()
        .then(|| jiff::tz::TimeZone::get(name).ok())?
}

/// A file name that looks like a still image the image rules can read.
fn is_image(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg" | "jpeg" | "png" | "webp" | "gif" | "tif" | "tiff" | "heic" | "heif" | "avif"
    )
}

/// Photos checked in parallel at a time (each is held in memory meanwhile).
const PHOTO_BATCH: usize = 16;

/// Checks the photos the export holds with the image rules (metadata and,
/// with OCR, the text in the picture): their findings join their post's.
/// A photo that cannot be checked is named in the audit's failures; the
/// rest go on.
pub fn check_photos(audit: &mut Audit, export: &Path, policy: &Policy) {
    // Which posts each photo belongs to, by its path in the export.
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in audit.export.posts.iter().enumerate() {
        for m in p.media.iter().filter(|m| is_image(&m.path) && !m.path.contains("://")) {
            owners.entry(m.path.clone()).or_default().push(i);
        }
    }
    if owners.is_empty() {
        return;
    }
    // A folder export may sit one level down from the paths it records.
    let key = |name: &str| -> Option<String> {
        std::iter::once(name)
            .chain(name.match_indices('/').map(|(i, _)| &name[i + 1..]))
            .find(|k| owners.contains_key(*k))
            .map(str::to_string)
    };
    let export_name = export.display().to_string();
    let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
    let mut found: Vec<(String, Result<Vec<Finding>, String>)> = Vec::new();
    let run_batch = |batch: &mut Vec<(String, Vec<u8>)>, found: &mut Vec<(String, Result<Vec<Finding>, String>)>| {
        found.par_extend(batch.par_drain(..).map(|(k, bytes)| {
            let name = format!("{export_name}: {k}");
            let r = run::guarded(|| images::findings_of(&name, &bytes, policy)).and_then(|r| r);
            (k, r)
        }));
    };
    let errors = primum_export::read_media(export, &|name| key(name).is_some(), &mut |name, bytes| {
        if let Some(k) = key(name) {
            batch.push((k, bytes));
            if batch.len() >= PHOTO_BATCH {
                run_batch(&mut batch, &mut found);
            }
        }
    });
    run_batch(&mut batch, &mut found);
    let checked = found.len();
    for (k, r) in found {
        match r {
            Ok(findings) => {
                for &i in &owners[&k] {
                    audit.history[i].extend(findings.iter().cloned());
                }
            }
            Err(e) => audit.failed.push(e),
        }
    }
    audit.failed.extend(errors.into_iter().map(|e| e.to_string()));
    let missing = owners.len().saturating_sub(checked);
    audit.notes.push(if missing == 0 {
        format!("{checked} photo(s) in the export checked with the image rules")
    } else {
        format!("{checked} photo(s) in the export checked with the image rules; {missing} listed by posts are not in the export")
    });
}

/// Runs the history rules on the whole export; the posts are checked by
/// [`Audit::check_all`] or [`write_json`].
pub fn prepare(export: Export, policy: &Policy) -> Audit {
    let mut failed = Vec::new();
    let mut per_post: Vec<Vec<Finding>> = vec![Vec::new(); export.posts.len()];
    let h = History {
        posts: export
            .posts
            .iter()
            .map(|p| HistoryPost {
                id: &p.id,
                aliases: &p.aliases,
                text: &p.text,
                created_at: p.created_at,
                repost: p.repost,
                url: p.url.as_deref(),
            })
            .collect(),
        likes: export
            .likes
            .iter()
            .map(|l| Engagement {
                target: &l.target,
                target_is_own: l.target_is_own,
                repost: l.kind == LikeKind::Repost,
                created_at: l.created_at,
            })
            .collect(),
        settings: export.settings.as_ref().map(|s| {
            s.iter()
                .map(|s| AccountSetting {
                    name: &s.name,
                    value: &s.value,
                    most_secure: s.most_secure,
                    advice: &s.advice,
                })
                .collect()
        }),
    };
    let tz = zone(policy);
    let offset = |t: DateTime| {
        let tz = tz.as_ref()?;
        let ts = jiff::Timestamp::from_second(t.unix()).ok()?;
        Some(tz.to_offset(ts).seconds())
    };
    let found = run::guarded(|| history::audit(&h, policy, Some(&offset)));
    let zone_name = policy.account.timezone.clone().unwrap_or_else(|| "UTC".to_string());
    let fixed = policy.account.timezone.as_deref().and_then(history::fixed_offset);
    let mut hours = [0usize; 24];
    let mut in_utc = false;
    for t in export.posts.iter().filter_map(|p| p.created_at) {
        let o = fixed.or_else(|| offset(t)).unwrap_or_else(|| {
            in_utc = true;
            0
        });
        let local = DateTime::from_unix(t.unix() + i64::from(o));
        hours[(local.seconds / 3600) as usize] += 1;
    }
    let zone_name = if in_utc && policy.account.timezone.is_some() {
        format!("UTC; the time zone {zone_name} is unknown here")
    } else {
        zone_name
    };
    drop(h);
    let (account, mut notes) = match found {
        Ok(r) => {
            for (i, f) in r.posts {
                per_post[i].push(f);
            }
            (r.account, r.notes)
        }
        Err(e) => {
            failed.push(format!("history rules: {e}"));
            (Vec::new(), Vec::new())
        }
    };
    notes.splice(0..0, export.notes.iter().cloned());
    // The photos themselves are checked by `check_photos`; where the
    // export's own fields record a location is worth knowing too.
    let geotagged = export.posts.iter().filter(|p| p.location.is_some()).count();
    let geotagged_media = export
        .posts
        .iter()
        .flat_map(|p| &p.media)
        .filter(|m| m.location.is_some())
        .count();
    if geotagged + geotagged_media > 0 {
        notes.push(format!(
            "privacy/image-location: the export itself records a location on {geotagged} post(s) and {geotagged_media} photo(s)"
        ));
    }
    Audit {
        export,
        reports: Vec::new(),
        history: per_post,
        account,
        notes,
        failed,
        hours: (hours, zone_name),
    }
}

impl Audit {
    /// Checks post `i` with the text rules and adds the history rules'
    /// findings about it.
    fn check(&self, i: usize, policy: &Policy, now: DateTime) -> Result<Report, String> {
        let p = &self.export.posts[i];
        let post = Post {
            text: p.text.clone(),
            platform: self.export.source.platform(),
            reply_to: None,
            account: None,
            created_at: p.created_at,
        };
        let mut r = run::check_post(&post, policy, now)?;
        r.findings.extend(self.history[i].iter().cloned());
        Ok(r)
    }

    /// Checks every post, in parallel, keeping every report.
    pub fn check_all(&mut self, policy: &Policy, now: DateTime, bar: Option<&ProgressBar>) {
        let this = &*self;
        let checked: Vec<Result<Report, String>> = (0..this.export.posts.len())
            .into_par_iter()
            .map(|i| {
                let r = this.check(i, policy, now);
                if let Some(b) = bar {
                    b.inc(1);
                }
                r
            })
            .collect();
        let mut failed = Vec::new();
        self.reports = checked
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|e| {
                    failed.push(format!("post {}: {e}", self.export.posts[i].id));
                    Report { findings: Vec::new() }
                })
            })
            .collect();
        self.failed.extend(failed);
    }
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    let policy = run::load_policy(&args.policy)?;
    let now = run::now_or_clock(args.now);
    let terminal = io::stderr().is_terminal();
    let spinner = terminal.then(|| {
        let p = ProgressBar::new_spinner()
            .with_style(ProgressStyle::with_template("{spinner} reading {prefix}: {msg}").expect("a valid template"));
        p.set_prefix(args.export.display().to_string());
        p.enable_steady_tick(std::time::Duration::from_millis(120));
        p
    });
    let reading = Reading(spinner);
    let export = primum_export::import(&args.export, &reading);
    if let Some(s) = reading.0 {
        s.finish_and_clear();
    }
    let export = match export {
        Ok(e) => e,
        Err(e) => {
            eprintln!("primum: {e}");
            return Ok(ExitCode::from(run::EXIT_FAILURE));
        }
    };
    let bar = terminal.then(|| {
        ProgressBar::new(export.posts.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} posts checked, {eta} left").expect("a valid template"),
        )
    });
    let mut result = prepare(export, &policy);
    check_photos(&mut result, &args.export, &policy);

    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::with_capacity(256 << 10, io::stdout().lock())),
    };
    let mut max = result.account.iter().map(|f| f.severity).max();
    if args.format != AuditFormat::Json {
        result.check_all(&policy, now, bar.as_ref());
        max = max.max(result.reports.iter().filter_map(Report::max_severity).max());
    }
    match args.format {
        AuditFormat::Json => {
            let (worst, failed) = write_json(&result, &policy, now, bar.as_ref(), &mut out)?;
            max = max.max(worst);
            result.failed.extend(failed);
        }
        AuditFormat::Human => {
            let mut text = Vec::new();
            write_human(&result, &Style::new(args.color.enabled()), &mut text);
            out.write_all(&text)?;
        }
        AuditFormat::Html => {
            let mut html = Vec::new();
            crate::audit_html::write(&result, &policy, &mut html);
            out.write_all(&html)?;
        }
    }
    out.flush()?;
    drop(out);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let label = args.export.display().to_string();
    for e in &result.export.errors {
        if e.file == label {
            eprintln!("{e}");
        } else {
            eprintln!("{label}: {e}");
        }
    }
    for e in &result.failed {
        eprintln!("{label}: {e}");
    }
    let failed = result.export.partial() || !result.failed.is_empty();
    Ok(exit_code(failed, max, args.fail_on.threshold()))
}

#[derive(Serialize)]
struct JsonHead<'a> {
    schema: &'static str,
    platform: &'static str,
    posts: usize,
    likes: usize,
    partial: bool,
    errors: Vec<String>,
    account: JsonAccount<'a>,
}

#[derive(Serialize)]
struct JsonAccount<'a> {
    findings: Vec<crate::printer::JsonFinding<'a>>,
    /// What the audit could not check, and why.
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonPostReport<'a> {
    schema: &'static str,
    id: &'a str,
    created_at: Option<String>,
    url: Option<&'a str>,
    verdict: &'static str,
    findings: Vec<crate::printer::JsonFinding<'a>>,
    summary: primum_core::Summary,
}

/// Posts checked and written at once by the JSON output.
const CHUNK: usize = 4096;

/// Checks the posts a chunk at a time (each chunk in parallel) and writes
/// the `primum.audit.v1` object as it goes, so that neither the reports
/// nor the output are ever held whole in memory. Returns the highest
/// severity found and the posts whose check failed.
fn write_json(
    a: &Audit,
    policy: &Policy,
    now: DateTime,
    bar: Option<&ProgressBar>,
    out: &mut dyn Write,
) -> Result<(Option<Severity>, Vec<String>)> {
    let account_report = Report {
        findings: a.account.clone(),
    };
    let head = JsonHead {
        schema: SCHEMA,
        platform: a.export.source.as_str(),
        posts: a.export.posts.len(),
        likes: a.export.likes.len(),
        partial: a.export.partial() || !a.failed.is_empty(),
        errors: a
            .export
            .errors
            .iter()
            .map(ToString::to_string)
            .chain(a.failed.iter().cloned())
            .collect(),
        account: JsonAccount {
            findings: json_findings("", &account_report),
            notes: &a.notes,
        },
    };
    // The head is written before the posts are checked: a post whose check
    // fails (an internal error, which the engine promises never to have)
    // is named on stderr and makes the exit status 2, but cannot set
    // `partial` any more.
    let mut head = serde_json::to_vec(&head)?;
    // Reopen the object for the reports.
    head.pop();
    out.write_all(&head)?;
    out.write_all(b",\"reports\":[")?;
    let (mut max, mut failed) = (None, Vec::new());
    let n = a.export.posts.len();
    for start in (0..n).step_by(CHUNK) {
        let done: Vec<(Vec<u8>, Option<Severity>, Option<String>)> = (start..n.min(start + CHUNK))
            .into_par_iter()
            .map(|i| {
                let p = &a.export.posts[i];
                let (r, err) = match a.check(i, policy, now) {
                    Ok(r) => (r, None),
                    Err(e) => (Report { findings: Vec::new() }, Some(format!("post {}: {e}", p.id))),
                };
                let mut bytes = Vec::with_capacity(512);
                if i > 0 {
                    bytes.push(b',');
                }
                serde_json::to_writer(
                    &mut bytes,
                    &JsonPostReport {
                        schema: crate::printer::REPORT_SCHEMA,
                        id: &p.id,
                        created_at: p.created_at.map(|t| t.to_string()),
                        url: p.url.as_deref(),
                        verdict: r.verdict().as_str(),
                        findings: json_findings(&p.text, &r),
                        summary: r.summary(),
                    },
                )
                .expect("a report serialises");
                if let Some(b) = bar {
                    b.inc(1);
                }
                (bytes, r.max_severity(), err)
            })
            .collect();
        for (bytes, sev, err) in done {
            out.write_all(&bytes)?;
            max = max.max(sev);
            failed.extend(err);
        }
    }
    out.write_all(b"]}\n")?;
    Ok((max, failed))
}

/// Posts ranked for deletion: most errors first, then warnings, then
/// infos, then the oldest.
pub fn worst(a: &Audit) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..a.reports.len())
        .filter(|&i| !a.reports[i].findings.is_empty())
        .collect();
    let key = |i: usize| {
        let s = a.reports[i].summary();
        (std::cmp::Reverse((s.error, s.warning, s.info)), i)
    };
    idx.sort_by_key(|&i| key(i));
    idx
}

/// Findings by category and severity, the account's included.
pub fn by_category(a: &Audit) -> BTreeMap<&'static str, [usize; 3]> {
    let mut m: BTreeMap<&'static str, [usize; 3]> = BTreeMap::new();
    for f in a.reports.iter().flat_map(|r| &r.findings).chain(&a.account) {
        let cat = f.rule.split('/').next().unwrap_or(f.rule);
        let e = m.entry(cat).or_default();
        e[match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    }
    m
}

/// The first line of a text, shortened to `max` characters.
pub fn excerpt(text: &str, max: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max - 1).collect();
        format!("{cut}…")
    } else if text.trim().lines().count() > 1 {
        format!("{line} …")
    } else {
        line.to_string()
    }
}

/// How many of the worst posts the terminal summary lists.
const WORST_SHOWN: usize = 10;

fn write_human(a: &Audit, st: &Style, out: &mut Vec<u8>) {
    let mut s = String::new();
    let e = &a.export;
    let first = e.posts.iter().find_map(|p| p.created_at);
    let last = e.posts.iter().rev().find_map(|p| p.created_at);
    let span = match (first, last) {
        (Some(f), Some(l)) => format!(", {} to {}", f.date, l.date),
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "{}{} export{}: {} posts, {} likes and reposts read{span}{}",
        st.bold(),
        e.source.title(),
        if e.partial() { " (partial)" } else { "" },
        e.posts.len(),
        e.likes.len(),
        st.reset(),
    );
    let cats = by_category(a);
    let total = cats
        .values()
        .fold([0; 3], |acc, v| [acc[0] + v[0], acc[1] + v[1], acc[2] + v[2]]);
    let flagged = a.reports.iter().filter(|r| !r.findings.is_empty()).count();
    let _ = writeln!(
        s,
        "{} error(s), {} warning(s), {} info; {flagged} of {} posts have findings",
        total[0],
        total[1],
        total[2],
        e.posts.len()
    );
    if !cats.is_empty() {
        let _ = writeln!(
            s,
            "\n{}By category{}            error  warning  info",
            st.bold(),
            st.reset()
        );
        for (c, n) in &cats {
            let _ = writeln!(s, "  {c:<22} {:>5}  {:>7}  {:>4}", n[0], n[1], n[2]);
        }
    }
    if !a.account.is_empty() {
        let _ = writeln!(s, "\n{}The account{}", st.bold(), st.reset());
        for f in &a.account {
            let _ = writeln!(
                s,
                "  {}{}{} {}: {}",
                st.severity(f.severity),
                f.severity,
                st.reset(),
                f.rule,
                f.message
            );
            if let Some(h) = &f.help {
                let _ = writeln!(s, "      {h}");
            }
        }
    }
    let worst = worst(a);
    if !worst.is_empty() {
        let _ = writeln!(s, "\n{}Posts to review first{}", st.bold(), st.reset());
        for &i in worst.iter().take(WORST_SHOWN) {
            let p = &e.posts[i];
            let r = &a.reports[i];
            let when = p.created_at.map_or("(no date)".to_string(), |t| t.date.to_string());
            let _ = writeln!(
                s,
                "  {when}  {}{}{}  {}",
                st.severity(r.max_severity().unwrap_or(Severity::Info)),
                r.verdict().as_str(),
                st.reset(),
                p.url.as_deref().unwrap_or(&p.id)
            );
            let _ = writeln!(s, "      \"{}\"", excerpt(&p.text, 90));
            for f in &r.findings {
                let _ = writeln!(s, "      {} {}: {}", f.severity, f.rule, f.message);
            }
        }
        if worst.len() > WORST_SHOWN {
            let _ = writeln!(
                s,
                "  ... and {} more (--format json or --format html for all)",
                worst.len() - WORST_SHOWN
            );
        }
    }
    if !a.notes.is_empty() {
        let _ = writeln!(s, "\n{}Not checked{}", st.bold(), st.reset());
        for n in &a.notes {
            let _ = writeln!(s, "  - {n}");
        }
    }
    if e.partial() {
        let _ = writeln!(
            s,
            "\n{}Partial:{} {} problem(s) reading the export (listed on stderr); the report covers what could be read",
            st.bold(),
            st.reset(),
            e.errors.len()
        );
    }
    out.extend_from_slice(s.as_bytes());
}
