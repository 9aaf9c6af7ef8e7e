//! The `privacy` rules.

pub mod anonymous_account;
pub mod clinical_setting_photo;
pub mod patient_case;
pub mod patient_identifier;
pub mod reidentification_risk;
pub mod self_disclosure;
