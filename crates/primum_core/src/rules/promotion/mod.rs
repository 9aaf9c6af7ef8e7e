//! The `promotion` rules.

pub mod outcome_claim;
pub mod self_promotion;
pub mod testimonial;
pub mod undisclosed_interest;
