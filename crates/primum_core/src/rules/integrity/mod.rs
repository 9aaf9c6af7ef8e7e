//! The `integrity` rules.

pub mod absolute_claim;
pub mod health_misinformation;
pub mod unsourced_statistic;
pub mod outdated_reference;
pub mod readability;
pub mod jargon;
pub mod too_long;
