//! The `spam` rules.

pub mod hashtag_stuffing;
pub mod mention_stuffing;
pub mod shouting;
pub mod link_heavy;
