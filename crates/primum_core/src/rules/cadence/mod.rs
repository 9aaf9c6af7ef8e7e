//! The `cadence` rules: the rhythm of an account's posting (account audits).

pub mod irregular;
pub mod too_frequent;
