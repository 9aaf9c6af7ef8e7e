//! The `integrity` rules.

pub mod absolute_claim;
pub mod health_misinformation;
pub mod jargon;
pub mod outdated_reference;
pub mod readability;
pub mod too_long;
pub mod unsourced_statistic;
