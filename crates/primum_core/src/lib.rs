//! primum's engine: a post and a resolved policy in, findings out.
//!
//! It holds the rules (one file each under `rules/<category>/`), the
//! lexicons and regional packs they read (compiled in from `lexicons/` and
//! `packs/`), the policy resolution that turns packs and an organisation's
//! policy file into a [`Policy`], and the identifier detector.
//!
//! It must not do I/O, read a clock or the environment, or panic on any
//! input: the same engine serves the command line, the review service and
//! the browser (it builds for `wasm32-unknown-unknown`). Serialising reports
//! is the front ends' business.

pub mod engine;
pub mod finding;
pub mod history;
pub mod image;
pub mod lexicons;
pub mod phi;
pub mod platform;
pub mod policy;
pub mod post;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod signals;
pub mod time;

#[cfg(test)]
pub(crate) mod testing;

pub use engine::check;
pub use finding::{Applicability, Edit, Finding, Fix, Kind, Report, Severity, Summary, Text, Verdict, apply_fixes};
pub use policy::{Policy, PolicyError};
pub use post::{AccountKind, Platform, Post};
pub use primum_text::{Span, char_offset};
pub use registry::RULES;
pub use rule::{CATALOGUE, Rule, Scope};
pub use time::{Date, DateTime};
