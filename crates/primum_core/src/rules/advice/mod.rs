//! The `advice` rules.

pub mod individual;
pub mod dosage;
pub mod general_without_caveat;
