//! The `promotion` rules.

pub mod self_promotion;
pub mod testimonial;
pub mod outcome_claim;
pub mod undisclosed_interest;
