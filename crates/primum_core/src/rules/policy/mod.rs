//! The `policy` rules.

pub mod org_term;
pub mod pack_outdated;
