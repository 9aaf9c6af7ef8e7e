//! The `privacy` rules.

pub mod anonymous_account;
pub mod clinical_setting_photo;
pub mod image_location;
pub mod image_metadata;
pub mod image_text;
pub mod patient_case;
pub mod patient_identifier;
pub mod reidentification_risk;
pub mod self_disclosure;
