//! The `account` rules: the account's own settings (account audits).

pub mod privacy_settings;
