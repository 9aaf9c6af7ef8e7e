//! The `spam` rules.

pub mod duplicate;
pub mod hashtag_stuffing;
pub mod link_heavy;
pub mod mention_stuffing;
pub mod shouting;
