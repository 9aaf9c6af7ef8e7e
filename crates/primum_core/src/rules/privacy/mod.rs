//! The `privacy` rules.

pub mod patient_identifier;
pub mod patient_case;
pub mod reidentification_risk;
pub mod clinical_setting_photo;
pub mod self_disclosure;
pub mod anonymous_account;
