//! How a rule is declared, and what its check function sees.

use std::cell::OnceCell;
use std::sync::LazyLock;

use primum_text::{Analysis, Span};
use serde::Deserialize;

use crate::finding::{Fix, Kind, Severity, Text};
use crate::policy::{Policy, RuleSettings};
use crate::post::{AccountKind, Platform, Post};
use crate::signals::Signals;
use crate::time::DateTime;

/// What a rule needs to be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Text,
    Image,
    History,
    Account,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Text => "text",
            Scope::Image => "image",
            Scope::History => "history",
            Scope::Account => "account",
        }
    }
}

/// Whether a rule's findings carry a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    Always,
    Sometimes,
    Never,
}

/// The value of a rule option: numbers and switches only; lists (allowed
/// names, forbidden terms) have their own sections in the policy file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptValue {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl OptValue {
    /// The value as a number (integers are widened, `true` is 1).
    pub fn as_f64(self) -> f64 {
        match self {
            OptValue::Float(v) => v,
            OptValue::Int(v) => v as f64,
            OptValue::Bool(v) => f64::from(u8::from(v)),
        }
    }

    /// The value as an integer (floats are truncated, `true` is 1).
    pub fn as_i64(self) -> i64 {
        match self {
            OptValue::Int(v) => v,
            OptValue::Float(v) => v as i64,
            OptValue::Bool(v) => i64::from(v),
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            OptValue::Int(_) => "an integer",
            OptValue::Float(_) => "a number",
            OptValue::Bool(_) => "true or false",
        }
    }
}

impl std::fmt::Display for OptValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptValue::Int(v) => write!(f, "{v}"),
            OptValue::Float(v) => write!(f, "{v}"),
            OptValue::Bool(v) => write!(f, "{v}"),
        }
    }
}

/// An option a rule accepts, with its default and documentation.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub default: OptValue,
    pub doc: &'static str,
}

/// A rule's check function: reads the context, pushes diagnostics.
pub type CheckFn = fn(&Ctx<'_>, &mut Vec<Diagnostic>);

/// A rule: its id, documentation, options and check function. The rest of
/// its metadata (category, default severity, scope, summary, principle)
/// comes from the catalogue, `catalogue.toml`, a copy of the shared
/// `rules.toml` that a test keeps current.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    /// The rule's documentation, in Markdown, with the sections *What it
    /// checks*, *Why*, *Example*, *Fix* and *Options*.
    pub docs: &'static str,
    pub fix: FixAvailability,
    pub options: &'static [OptionSpec],
    pub check: CheckFn,
}

/// One rule's entry in the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub scope: Scope,
    pub principle: String,
    pub summary: String,
}

#[derive(Deserialize)]
struct Catalogue {
    rule: Vec<CatalogueEntry>,
}

/// Every rule of the catalogue, implemented here or not.
pub static CATALOGUE: LazyLock<Vec<CatalogueEntry>> = LazyLock::new(|| {
    toml::from_str::<Catalogue>(include_str!("../catalogue.toml"))
        .expect("catalogue.toml is valid (checked by tests)")
        .rule
});

impl Rule {
    /// The rule's catalogue entry.
    pub fn meta(&self) -> &'static CatalogueEntry {
        CATALOGUE
            .iter()
            .find(|e| e.id == self.id)
            .expect("every implemented rule is in the catalogue (checked by tests)")
    }

    pub fn category(&self) -> &'static str {
        &self.meta().category
    }

    pub fn default_severity(&self) -> Severity {
        self.meta().severity
    }

    pub fn scope(&self) -> Scope {
        self.meta().scope
    }

    pub fn summary(&self) -> &'static str {
        &self.meta().summary
    }

    /// The documentation with the one leading space of each doc-comment
    /// line removed.
    pub fn docs_markdown(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// One section of the documentation (`"Why"`, `"Fix"`...), without its
    /// heading.
    pub fn doc_section(&self, name: &str) -> Option<String> {
        let md = self.docs_markdown();
        let heading = format!("## {name}");
        let start = md.find(&heading)? + heading.len();
        let rest = &md[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }

    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }
}

/// Declares a rule: its documentation (the doc comment), id, fix
/// availability, options and check function.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub static SHOUTING = {
///         id: "spam/shouting",
///         fix: Never,
///         options: [("max_exclamations", Int(3), "exclamation marks allowed in a row")],
///         check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $name:ident = {
            id: $id:literal,
            fix: $fix:ident,
            options: [$(($oname:literal, $okind:ident($odefault:expr), $odoc:literal)),* $(,)?],
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $name: $crate::rule::Rule = $crate::rule::Rule {
            id: $id,
            docs: concat!($($doc, "\n"),*),
            fix: $crate::rule::FixAvailability::$fix,
            options: &[$($crate::rule::OptionSpec {
                name: $oname,
                default: $crate::rule::OptValue::$okind($odefault),
                doc: $odoc,
            }),*],
            check: $check,
        };
    };
}

/// What a check function reports; the engine adds the rule id, severity and
/// references.
#[derive(Debug, Clone, Default)]
pub struct Diagnostic {
    /// Byte span in the post's text.
    pub span: Option<Span>,
    pub message: Text,
    pub kind: Option<Kind>,
    pub fix: Option<Fix>,
    pub help: Option<Text>,
    pub notes: Vec<String>,
    /// Overrides the policy's severity for this finding (a score above or
    /// below a threshold, an organisation's term with its own severity).
    pub severity: Option<Severity>,
}

impl Diagnostic {
    pub fn new(span: Option<Span>, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            span,
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    pub fn at(span: Span, message: impl Into<Text>) -> Diagnostic {
        Diagnostic::new(Some(span), message)
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_kind(mut self, kind: Kind) -> Diagnostic {
        self.kind = Some(kind);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = Some(severity);
        self
    }
}

/// What a check function sees: the post, its analysis, the reply context,
/// the resolved policy and this rule's settings.
pub struct Ctx<'a> {
    pub post: &'a Post,
    /// The analysis of the post's text.
    pub text: &'a Analysis<'a>,
    /// The analysis of the text being replied to, if any.
    pub reply: Option<&'a Analysis<'a>>,
    pub policy: &'a Policy,
    /// The reference time: the post's `created_at`, or the time of the
    /// check as the front end supplied it. `None` when neither is known.
    pub now: Option<DateTime>,
    pub(crate) settings: &'a RuleSettings,
    pub(crate) rule: &'static Rule,
    /// Signals several rules share, computed on first use.
    pub signals: &'a Signals<'a>,
}

impl Ctx<'_> {
    /// The account kind: the post's, else the policy's.
    pub fn account(&self) -> Option<AccountKind> {
        self.post.account.or(self.policy.account.kind)
    }

    pub fn platform(&self) -> Platform {
        self.post.platform
    }

    /// The post's text.
    pub fn src(&self) -> &str {
        &self.post.text
    }

    fn opt(&self, name: &str) -> OptValue {
        self.settings
            .options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .or_else(|| self.rule.option(name).map(|o| o.default))
            .unwrap_or_else(|| panic!("rule {} reads undeclared option {name}", self.rule.id))
    }

    /// A numeric option (integers are widened).
    pub fn opt_f64(&self, name: &str) -> f64 {
        self.opt(name).as_f64()
    }

    /// An integer option.
    pub fn opt_i64(&self, name: &str) -> i64 {
        self.opt(name).as_i64()
    }

    /// A boolean option.
    pub fn opt_bool(&self, name: &str) -> bool {
        match self.opt(name) {
            OptValue::Bool(v) => v,
            OptValue::Int(v) => v != 0,
            OptValue::Float(v) => v != 0.0,
        }
    }
}

/// Lazily computed value shared by the rules of one check.
pub type Lazy<T> = OnceCell<T>;
