//! The `copyright` rules.

pub mod image_rights;
pub mod unattributed_content;
