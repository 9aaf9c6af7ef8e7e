//! The rules, one file each, grouped by category.

pub mod privacy;
pub mod advice;
pub mod promotion;
pub mod integrity;
pub mod copyright;
pub mod professionalism;
pub mod spam;
pub mod engagement;
pub mod policy;
