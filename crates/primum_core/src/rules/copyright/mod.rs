//! The `copyright` rules.

pub mod unattributed_content;
