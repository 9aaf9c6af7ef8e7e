//! Policy in two stages: raw TOML (a regional pack, an organisation's
//! policy file) is parsed with unknown keys rejected, then resolved and
//! validated into a [`Policy`] that the engine trusts.
//!
//! Resolution order: the `core` pack, then the regional pack (which
//! `extends` core), then the organisation's file. Each layer may switch a
//! rule on or off, change its severity, replace its references and set its
//! options.

mod raw;

use std::collections::BTreeMap;

use primum_text::{Analysis, Lexicon};
use regex::Regex;

use crate::finding::{Severity, Text};
use crate::post::AccountKind;
use crate::registry;
use crate::rule::{CATALOGUE, OptValue};
use crate::time::Date;

pub use raw::{RawPack, RawPolicyFile};

/// The regional packs compiled into primum, by id.
pub const PACKS: &[(&str, &str)] = &[
    ("core", include_str!("../../packs/core.toml")),
    ("us", include_str!("../../packs/us.toml")),
    ("uk", include_str!("../../packs/uk.toml")),
    ("eu", include_str!("../../packs/eu.toml")),
    ("au", include_str!("../../packs/au.toml")),
    ("ca", include_str!("../../packs/ca.toml")),
    ("in", include_str!("../../packs/in.toml")),
];

/// The ids of the regional packs.
pub fn region_ids() -> impl Iterator<Item = &'static str> {
    PACKS.iter().map(|(id, _)| *id)
}

/// A policy that cannot be used, with the file, the key and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PolicyError {
    /// The file (or built-in pack) at fault.
    pub file: String,
    pub message: String,
}

impl PolicyError {
    fn new(file: &str, message: impl Into<String>) -> PolicyError {
        PolicyError {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// A guideline clause that findings cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub title: String,
    pub url: Option<String>,
}

/// The resolved settings of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub enabled: bool,
    pub severity: Severity,
    /// The keys of the references its findings cite (see
    /// [`reference_key`]).
    pub references: Vec<Text>,
    /// Options set by a pack or the policy file; the rule's defaults fill
    /// the rest.
    pub options: Vec<(String, OptValue)>,
}

/// A reference key as a finding carries it: borrowed from the text of a
/// built-in pack when it is written there (nearly every key cited), else
/// the policy file's own. Every finding carries its rule's keys, so a
/// borrowed key saves an allocation and a copy for each of them (a batch
/// has millions of findings). Any place the key's bytes occur in a
/// pack's text is the key itself.
fn reference_key(key: &str) -> Text {
    PACKS
        .iter()
        .find_map(|(_, text)| text.find(key).map(|at| &text[at..at + key.len()]))
        .map_or_else(|| Text::Owned(key.to_string()), Text::Borrowed)
}

/// Which regional pack is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackInfo {
    pub id: String,
    pub name: String,
    pub reviewed: Date,
    pub sources: Vec<String>,
}

/// A weekly window of clinical duty, in the account's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyWindow {
    /// Monday = 0.
    pub days: [bool; 7],
    /// Minutes after local midnight; `end` may be below `start` for a
    /// window that runs past midnight.
    pub start: u16,
    pub end: u16,
}

/// What the policy says of the account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Account {
    pub kind: Option<AccountKind>,
    /// The author's name as they sign it.
    pub name: Option<String>,
    /// The author's own handles (`@drjane`).
    pub handles: Vec<String>,
    pub profession: Option<String>,
    /// An IANA zone name (`Europe/London`) or a fixed offset (`+01:00`).
    pub timezone: Option<String>,
    pub duty_hours: Vec<DutyWindow>,
}

/// What the organisation allows: its own public details and named
/// colleagues, which identifier rules then leave alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allow {
    pub names: Vec<String>,
    pub phones: Vec<String>,
    pub addresses: Vec<String>,
    pub emails: Vec<String>,
    pub domains: Vec<String>,
    pub handles: Vec<String>,
}

impl Allow {
    /// True when `phone` has the digits of an allowed number (the last
    /// nine digits are compared, so `+44 1632 960418` matches `01632 960418`).
    pub fn phone(&self, phone: &str) -> bool {
        // Most policies allow nothing: skip normalising the text then.
        if self.phones.is_empty() {
            return false;
        }
        let tail = |s: &str| {
            let d: String = s.chars().filter(char::is_ascii_digit).collect();
            d[d.len().saturating_sub(9)..].to_string()
        };
        let t = tail(phone);
        !t.is_empty() && self.phones.iter().any(|p| tail(p) == t)
    }

    /// True when `name` is, or is part of, an allowed name (case-insensitive).
    pub fn name(&self, name: &str) -> bool {
        if self.names.is_empty() {
            return false;
        }
        let n = name.trim().to_lowercase();
        !n.is_empty()
            && self.names.iter().any(|a| {
                let a = a.to_lowercase();
                a == n || a.split_whitespace().any(|w| w == n) || a.contains(&n) && n.contains(' ')
            })
    }

    /// True when `host` is an allowed domain or a subdomain of one.
    pub fn domain(&self, host: &str) -> bool {
        if self.domains.is_empty() {
            return false;
        }
        let h = host.trim_start_matches("www.").to_lowercase();
        self.domains.iter().any(|d| {
            let d = d.trim_start_matches("www.").to_lowercase();
            h == d || h.ends_with(&format!(".{d}"))
        })
    }

    pub fn email(&self, email: &str) -> bool {
        self.emails.iter().any(|e| e.eq_ignore_ascii_case(email))
            || email.rsplit_once('@').is_some_and(|(_, d)| self.domain(d))
    }

    pub fn handle(&self, handle: &str) -> bool {
        let h = handle.trim_start_matches('@');
        self.handles
            .iter()
            .any(|a| a.trim_start_matches('@').eq_ignore_ascii_case(h))
    }

    /// True when `text` overlaps an allowed address (case- and
    /// punctuation-insensitive containment either way).
    pub fn address(&self, text: &str) -> bool {
        if self.addresses.is_empty() {
            return false;
        }
        let norm = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect::<String>()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let t = norm(text);
        !t.is_empty()
            && self.addresses.iter().any(|a| {
                let a = norm(a);
                a.contains(&t) || t.contains(&a)
            })
    }
}

/// A term the organisation forbids (`policy/org-term`).
#[derive(Debug, Clone)]
pub struct OrgTerm {
    pub message: String,
    pub severity: Option<Severity>,
    pub help: Option<String>,
}

/// The organisation's forbidden terms, compiled.
#[derive(Debug, Clone, Default)]
pub struct OrgTerms {
    pub terms: Vec<OrgTerm>,
    /// Phrases, each pointing into `terms`.
    pub phrases: Option<Lexicon<usize>>,
    /// Patterns, each with its index into `terms`.
    pub patterns: Vec<(Regex, usize)>,
}

/// A resolved, validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub pack: PackInfo,
    /// Settings of every catalogue rule, in catalogue order.
    rules: Vec<RuleSettings>,
    pub references: BTreeMap<String, Reference>,
    pub account: Account,
    pub allow: Allow,
    pub terms: OrgTerms,
    /// Where the organisation's file came from, if one was given.
    pub file: Option<String>,
}

impl Policy {
    /// The `core` pack alone.
    pub fn core() -> Policy {
        Policy::resolve(None, None).expect("the built-in core pack is valid (checked by tests)")
    }

    /// A built-in regional pack alone.
    pub fn region(region: &str) -> Result<Policy, PolicyError> {
        Policy::resolve(Some(region), None)
    }

    /// Resolves the policy: `region` (from the command line) wins over the
    /// file's `region`, which wins over `core`. `file` is the
    /// organisation's policy file as (name for messages, contents).
    pub fn resolve(region: Option<&str>, file: Option<(&str, &str)>) -> Result<Policy, PolicyError> {
        let org = match file {
            Some((name, text)) => Some((name, raw::parse_policy_file(name, text)?)),
            None => None,
        };
        let region = region
            .map(str::to_string)
            .or_else(|| org.as_ref().and_then(|(_, f)| f.region.clone()))
            .unwrap_or_else(|| "core".to_string());
        let Some(_) = PACKS.iter().find(|(id, _)| *id == region) else {
            let allowed: Vec<&str> = region_ids().collect();
            let file = org.as_ref().map_or("--region", |(n, _)| n);
            return Err(PolicyError::new(
                file,
                format!("`region`: unknown region `{region}` (allowed: {})", allowed.join(", ")),
            ));
        };

        let mut policy = Policy {
            pack: PackInfo {
                id: String::new(),
                name: String::new(),
                reviewed: Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                },
                sources: vec![],
            },
            rules: CATALOGUE
                .iter()
                .map(|e| RuleSettings {
                    enabled: true,
                    severity: e.severity,
                    references: vec![],
                    options: vec![],
                })
                .collect(),
            references: BTreeMap::new(),
            account: Account::default(),
            allow: Allow::default(),
            terms: OrgTerms::default(),
            file: org.as_ref().map(|(n, _)| n.to_string()),
        };

        // Packs from the root: core, then the region.
        let mut chain = vec![region.clone()];
        while let Some(parent) = pack_source(chain.last().expect("non-empty"))
            .and_then(|t| raw::parse_pack(chain.last().expect("non-empty"), t).ok())
            .and_then(|p| p.pack.extends)
        {
            if chain.contains(&parent) || chain.len() > 8 {
                break;
            }
            chain.push(parent);
        }
        for id in chain.iter().rev() {
            let name = format!("pack `{id}`");
            let text = pack_source(id).ok_or_else(|| PolicyError::new(&name, "no such pack"))?;
            let pack = raw::parse_pack(&name, text)?;
            let reviewed = Date::parse(&pack.pack.reviewed).ok_or_else(|| {
                PolicyError::new(
                    &name,
                    format!("`pack.reviewed`: `{}` is not a date (YYYY-MM-DD)", pack.pack.reviewed),
                )
            })?;
            policy.pack = PackInfo {
                id: pack.pack.id.clone(),
                name: pack.pack.name.clone(),
                reviewed,
                sources: pack.pack.sources.clone(),
            };
            for (key, r) in pack.references {
                policy.references.insert(
                    key,
                    Reference {
                        title: r.title,
                        url: r.url,
                    },
                );
            }
            for (id, raw) in &pack.rules {
                policy.apply_rule(&name, id, raw)?;
            }
        }

        if let Some((name, f)) = org {
            for (key, r) in f.references {
                policy.references.insert(
                    key,
                    Reference {
                        title: r.title,
                        url: r.url,
                    },
                );
            }
            for (id, raw) in &f.rules {
                policy.apply_rule(name, id, raw)?;
            }
            if let Some(a) = f.account {
                policy.account = raw::resolve_account(name, a)?;
            }
            if let Some(a) = f.allow {
                policy.allow = Allow {
                    names: a.names,
                    phones: a.phones,
                    addresses: a.addresses,
                    emails: a.emails,
                    domains: a.domains,
                    handles: a.handles,
                };
            }
            policy.terms = raw::compile_terms(name, f.terms)?;
        }

        // Every cited reference must be defined somewhere.
        for (entry, s) in CATALOGUE.iter().zip(&policy.rules) {
            if let Some(missing) = s
                .references
                .iter()
                .find(|r| !policy.references.contains_key(r.as_ref()))
            {
                return Err(PolicyError::new(
                    policy.file.as_deref().unwrap_or(&format!("pack `{}`", policy.pack.id)),
                    format!(
                        "`rules.\"{}\".references`: reference `{missing}` is not defined in any [references] table",
                        entry.id
                    ),
                ));
            }
        }
        Ok(policy)
    }

    fn apply_rule(&mut self, file: &str, id: &str, raw: &raw::RawRuleSettings) -> Result<(), PolicyError> {
        let Some(idx) = CATALOGUE.iter().position(|e| e.id == id) else {
            return Err(PolicyError::new(
                file,
                format!("`rules.\"{id}\"`: no such rule (see `primum rules` for the ids)"),
            ));
        };
        let s = &mut self.rules[idx];
        if let Some(e) = raw.enabled {
            s.enabled = e;
        }
        if let Some(sev) = &raw.severity {
            s.severity = Severity::parse(sev).ok_or_else(|| {
                PolicyError::new(
                    file,
                    format!("`rules.\"{id}\".severity`: `{sev}` is not a severity (allowed: error, warning, info)"),
                )
            })?;
        }
        if let Some(r) = &raw.references {
            s.references = r.iter().map(|k| reference_key(k)).collect();
        }
        let implemented = registry::find(id);
        for (name, value) in &raw.options {
            let key = format!("rules.\"{id}\".options.{name}");
            let v = match value {
                toml::Value::Integer(i) => OptValue::Int(*i),
                toml::Value::Float(f) => OptValue::Float(*f),
                toml::Value::Boolean(b) => OptValue::Bool(*b),
                other => {
                    return Err(PolicyError::new(
                        file,
                        format!("`{key}`: {} is not allowed (a number or true/false)", other.type_str()),
                    ));
                }
            };
            let v = match implemented {
                Some(rule) => {
                    let Some(spec) = rule.option(name) else {
                        let names: Vec<&str> = rule.options.iter().map(|o| o.name).collect();
                        let allowed = if names.is_empty() {
                            "this rule has no options".to_string()
                        } else {
                            format!("allowed: {}", names.join(", "))
                        };
                        return Err(PolicyError::new(file, format!("`{key}`: unknown option ({allowed})")));
                    };
                    coerce(v, spec.default).ok_or_else(|| {
                        PolicyError::new(
                            file,
                            format!("`{key}`: expected {}, found `{v}`", spec.default.type_name()),
                        )
                    })?
                }
                None => v,
            };
            if let OptValue::Float(f) = v
                && !f.is_finite()
            {
                return Err(PolicyError::new(file, format!("`{key}`: must be a finite number")));
            }
            s.options.retain(|(n, _)| n != name);
            s.options.push((name.clone(), v));
        }
        Ok(())
    }

    /// The settings of a catalogue rule.
    pub fn settings(&self, id: &str) -> Option<&RuleSettings> {
        CATALOGUE.iter().position(|e| e.id == id).map(|i| &self.rules[i])
    }

    /// The settings by catalogue index.
    pub(crate) fn settings_at(&self, idx: usize) -> &RuleSettings {
        &self.rules[idx]
    }

    #[cfg(test)]
    pub(crate) fn settings_mut(&mut self, idx: usize) -> &mut RuleSettings {
        &mut self.rules[idx]
    }

    /// Is the named phrase one of the organisation's allowed names?
    pub fn allowed_name(&self, name: &str) -> bool {
        self.allow.name(name)
            || self.account.name.as_deref().is_some_and(|a| {
                let a = a.to_lowercase();
                let n = name.trim().to_lowercase();
                a == n || a.split_whitespace().any(|w| w == n)
            })
    }
}

fn coerce(v: OptValue, like: OptValue) -> Option<OptValue> {
    match (v, like) {
        (OptValue::Int(i), OptValue::Int(_)) => Some(OptValue::Int(i)),
        (OptValue::Int(i), OptValue::Float(_)) => Some(OptValue::Float(i as f64)),
        (OptValue::Float(f), OptValue::Float(_)) => Some(OptValue::Float(f)),
        (OptValue::Bool(b), OptValue::Bool(_)) => Some(OptValue::Bool(b)),
        _ => None,
    }
}

fn pack_source(id: &str) -> Option<&'static str> {
    PACKS.iter().find(|(p, _)| *p == id).map(|(_, t)| *t)
}

/// Normalises a phrase the way posts are, for comparisons outside a
/// lexicon.
pub fn normalise_phrase(s: &str) -> String {
    let a = Analysis::new(s);
    a.tokens.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
