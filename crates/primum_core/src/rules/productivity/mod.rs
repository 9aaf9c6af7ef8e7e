//! The `productivity` rules (account audits).

pub mod on_duty_posting;
