//! The `engagement` rules.

pub mod self_like;
pub mod unverified_source;
