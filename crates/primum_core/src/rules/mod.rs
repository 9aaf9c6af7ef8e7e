//! The rules, one file each, grouped by category.

pub mod account;
pub mod advice;
pub(crate) mod bits;
pub mod cadence;
pub mod copyright;
pub mod engagement;
pub mod integrity;
pub mod policy;
pub mod privacy;
pub mod productivity;
pub mod professionalism;
pub mod promotion;
pub mod spam;
