//! The `advice` rules.

pub mod dosage;
pub mod general_without_caveat;
pub mod individual;
