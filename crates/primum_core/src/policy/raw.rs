//! The raw, deserialised forms of packs and policy files. Unknown keys are
//! errors: a misspelt key must never be silently ignored in a compliance
//! tool.

use std::collections::BTreeMap;

use primum_text::Lexicon;
use regex::RegexBuilder;
use serde::Deserialize;

use super::{Account, DutyWindow, OrgTerm, OrgTerms, PolicyError};
use crate::finding::Severity;
use crate::post::AccountKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    pub pack: PackHeader,
    #[serde(default)]
    pub references: BTreeMap<String, RawReference>,
    #[serde(default)]
    pub rules: BTreeMap<String, RawRuleSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackHeader {
    pub id: String,
    pub name: String,
    pub extends: Option<String>,
    pub reviewed: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRuleSettings {
    pub enabled: Option<bool>,
    pub severity: Option<String>,
    pub references: Option<Vec<String>>,
    #[serde(default)]
    pub options: BTreeMap<String, toml::Value>,
}

/// An organisation's policy file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicyFile {
    pub region: Option<String>,
    pub account: Option<RawAccount>,
    #[serde(default)]
    pub rules: BTreeMap<String, RawRuleSettings>,
    #[serde(default)]
    pub terms: Vec<RawTerm>,
    pub allow: Option<RawAllow>,
    #[serde(default)]
    pub references: BTreeMap<String, RawReference>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    pub kind: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub handles: Vec<String>,
    pub profession: Option<String>,
    pub timezone: Option<String>,
    #[serde(default)]
    pub duty_hours: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub phrase: Option<String>,
    pub regex: Option<String>,
    pub message: String,
    pub severity: Option<String>,
    pub help: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllow {
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub handles: Vec<String>,
}

fn toml_error(file: &str, e: &toml::de::Error) -> PolicyError {
    let mut msg = e.message().trim_end_matches('.').to_string();
    if let Some(span) = e.span() {
        msg = format!("at byte {}: {msg}", span.start);
    }
    PolicyError::new(file, msg)
}

pub(super) fn parse_pack(name: &str, text: &str) -> Result<RawPack, PolicyError> {
    toml::from_str(text).map_err(|e| toml_error(name, &e))
}

pub(super) fn parse_policy_file(name: &str, text: &str) -> Result<RawPolicyFile, PolicyError> {
    let parsed: RawPolicyFile = toml::from_str(text).map_err(|e| {
        // Point at the line, which is what a person editing the file needs.
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let mut err = toml_error(name, &e);
        if let Some(l) = line {
            err.message = format!("line {l}: {}", e.message().trim_end_matches('.'));
        }
        err
    })?;
    Ok(parsed)
}

pub(super) fn resolve_account(file: &str, a: RawAccount) -> Result<Account, PolicyError> {
    let kind = match a.kind.as_deref() {
        None => None,
        Some(k) => Some(AccountKind::parse(k).ok_or_else(|| {
            PolicyError::new(
                file,
                format!("`account.kind`: `{k}` is not an account kind (allowed: professional, personal, anonymous)"),
            )
        })?),
    };
    if let Some(tz) = &a.timezone
        && !valid_timezone(tz)
    {
        return Err(PolicyError::new(
            file,
            format!(
                "`account.timezone`: `{tz}` is not a time zone (allowed: an IANA name such as Europe/London, UTC, or an offset such as +05:30)"
            ),
        ));
    }
    let mut duty_hours = Vec::new();
    for (i, d) in a.duty_hours.iter().enumerate() {
        duty_hours.push(parse_duty(d).ok_or_else(|| {
            PolicyError::new(
                file,
                format!("`account.duty_hours[{i}]`: `{d}` is not a duty window (expected days and times such as \"mon-fri 08:00-18:00\" or \"sat 22:00-08:00\")"),
            )
        })?);
    }
    Ok(Account {
        kind,
        name: a.name,
        handles: a.handles,
        profession: a.profession,
        timezone: a.timezone,
        duty_hours,
    })
}

fn valid_timezone(tz: &str) -> bool {
    let b = tz.as_bytes();
    if tz == "UTC" || tz == "Z" {
        return true;
    }
    if b.len() == 6 && (b[0] == b'+' || b[0] == b'-') && b[3] == b':' {
        return tz[1..3].parse::<u8>().is_ok_and(|h| h <= 14) && tz[4..6].parse::<u8>().is_ok_and(|m| m < 60);
    }
    let parts: Vec<&str> = tz.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
        && parts[0].starts_with(|c: char| c.is_ascii_uppercase())
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `mon-fri 08:00-18:00`, `sat,sun 09:00-13:00`, `daily 20:00-08:00`.
pub(super) fn parse_duty(s: &str) -> Option<DutyWindow> {
    let mut parts = s.split_whitespace();
    let days_s = parts.next()?.to_ascii_lowercase();
    let times = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let mut days = [false; 7];
    if days_s == "daily" || days_s == "every" {
        days = [true; 7];
    } else {
        for item in days_s.split(',') {
            let day = |d: &str| DAYS.iter().position(|x| d.starts_with(x) && d.len() <= 9);
            match item.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    let mut i = a;
                    loop {
                        days[i] = true;
                        if i == b {
                            break;
                        }
                        i = (i + 1) % 7;
                    }
                }
                None => days[day(item)?] = true,
            }
        }
    }
    let (a, b) = times.split_once('-')?;
    let hm = |t: &str| -> Option<u16> {
        let (h, m) = t.split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
    };
    Some(DutyWindow {
        days,
        start: hm(a)?,
        end: hm(b)?,
    })
}

pub(super) fn compile_terms(file: &str, raw: Vec<RawTerm>) -> Result<OrgTerms, PolicyError> {
    let mut out = OrgTerms::default();
    let mut phrases = Vec::new();
    for (i, t) in raw.into_iter().enumerate() {
        let key = format!("terms[{i}]");
        let severity = match t.severity.as_deref() {
            None => None,
            Some(s) => Some(Severity::parse(s).ok_or_else(|| {
                PolicyError::new(
                    file,
                    format!("`{key}.severity`: `{s}` is not a severity (allowed: error, warning, info)"),
                )
            })?),
        };
        if t.message.trim().is_empty() {
            return Err(PolicyError::new(
                file,
                format!("`{key}.message`: must say why the term is forbidden"),
            ));
        }
        let idx = out.terms.len();
        match (t.phrase, t.regex) {
            (Some(p), None) if !p.trim().is_empty() => phrases.push((p, idx)),
            (None, Some(r)) => {
                let re = RegexBuilder::new(&r)
                    .case_insensitive(true)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| {
                        PolicyError::new(
                            file,
                            format!("`{key}.regex`: not a valid pattern: {}", last_line(&e.to_string())),
                        )
                    })?;
                out.patterns.push((re, idx));
            }
            _ => {
                return Err(PolicyError::new(
                    file,
                    format!("`{key}`: give exactly one of `phrase` (words to match) or `regex` (a pattern)"),
                ));
            }
        }
        out.terms.push(OrgTerm {
            message: t.message,
            severity,
            help: t.help,
        });
    }
    if !phrases.is_empty() {
        out.phrases = Some(Lexicon::new(phrases));
    }
    Ok(out)
}

/// The last non-empty line of a (multi-line) regex error: the one that
/// says what is wrong.
fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}
