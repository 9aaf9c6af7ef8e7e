//! The `engagement` rules.

pub mod unverified_source;
