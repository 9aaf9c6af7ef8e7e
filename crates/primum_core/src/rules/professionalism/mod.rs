//! The `professionalism` rules.

pub mod disrespect;
pub mod humor_at_patients;
pub mod negativity;
pub mod profile_mixing;
pub mod unidentified_professional;
