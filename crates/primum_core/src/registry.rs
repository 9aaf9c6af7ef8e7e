//! The ordered list of implemented rules.

use std::sync::LazyLock;

use crate::rule::{CATALOGUE, Rule};
use crate::rules;

/// Every implemented rule, in catalogue order.
pub static RULES: &[&Rule] = &[
    &rules::privacy::patient_identifier::RULE,
    &rules::privacy::patient_case::RULE,
    &rules::privacy::reidentification_risk::RULE,
    &rules::privacy::clinical_setting_photo::RULE,
    &rules::privacy::image_location::RULE,
    &rules::privacy::image_metadata::RULE,
    &rules::privacy::image_text::RULE,
    &rules::privacy::self_disclosure::RULE,
    &rules::privacy::anonymous_account::RULE,
    &rules::advice::individual::RULE,
    &rules::advice::dosage::RULE,
    &rules::advice::general_without_caveat::RULE,
    &rules::promotion::self_promotion::RULE,
    &rules::promotion::testimonial::RULE,
    &rules::promotion::outcome_claim::RULE,
    &rules::promotion::undisclosed_interest::RULE,
    &rules::integrity::absolute_claim::RULE,
    &rules::integrity::health_misinformation::RULE,
    &rules::integrity::unsourced_statistic::RULE,
    &rules::integrity::outdated_reference::RULE,
    &rules::integrity::readability::RULE,
    &rules::integrity::jargon::RULE,
    &rules::integrity::too_long::RULE,
    &rules::copyright::unattributed_content::RULE,
    &rules::copyright::image_rights::RULE,
    &rules::professionalism::disrespect::RULE,
    &rules::professionalism::humor_at_patients::RULE,
    &rules::professionalism::negativity::RULE,
    &rules::professionalism::profile_mixing::RULE,
    &rules::professionalism::unidentified_professional::RULE,
    &rules::spam::hashtag_stuffing::RULE,
    &rules::spam::mention_stuffing::RULE,
    &rules::spam::shouting::RULE,
    &rules::spam::link_heavy::RULE,
    &rules::spam::duplicate::RULE,
    &rules::cadence::too_frequent::RULE,
    &rules::cadence::irregular::RULE,
    &rules::engagement::self_like::RULE,
    &rules::engagement::unverified_source::RULE,
    &rules::productivity::on_duty_posting::RULE,
    &rules::account::privacy_settings::RULE,
    &rules::policy::org_term::RULE,
    &rules::policy::pack_outdated::RULE,
];

/// For each entry of [`RULES`], its index in the catalogue.
pub(crate) static CATALOGUE_INDEX: LazyLock<Vec<usize>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|r| {
            CATALOGUE
                .iter()
                .position(|e| e.id == r.id)
                .expect("implemented rules are in the catalogue")
        })
        .collect()
});

/// The implemented rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule of the catalogue (text, account, image and history) is
    /// implemented, in catalogue order, and nothing else. (Image rules are
    /// run by `image::check_image`, history rules by `history::audit`, not
    /// by the per-post engine.)
    #[test]
    fn every_catalogue_rule_is_implemented() {
        let expected: Vec<&str> = CATALOGUE.iter().map(|e| e.id.as_str()).collect();
        let got: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(got, expected);
    }

    /// The catalogue compiled in is the shared one (when `../shared` is there).
    #[test]
    fn catalogue_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/rules.toml");
        let Ok(shared) = std::fs::read_to_string(path) else {
            eprintln!("skipped: ../shared/rules.toml is not present");
            return;
        };
        assert_eq!(
            shared,
            include_str!("../catalogue.toml"),
            "crates/primum_core/catalogue.toml differs from ../shared/rules.toml: copy it over"
        );
    }

    /// Every rule's documentation has the five sections, in order, and
    /// every option is documented.
    #[test]
    fn every_rule_is_documented() {
        let mut problems = Vec::new();
        for r in RULES {
            let md = r.docs_markdown();
            let mut at = 0;
            for section in ["What it checks", "Why", "Example", "Fix", "Options"] {
                match md[at..].find(&format!("## {section}")) {
                    Some(i) => at += i,
                    None => problems.push(format!("{}: no `## {section}` section (or out of order)", r.id)),
                }
            }
            if md.contains("TODO") {
                problems.push(format!("{}: documentation says TODO", r.id));
            }
            for o in r.options {
                if o.doc.trim().is_empty() || o.doc.contains("TODO") {
                    problems.push(format!("{}: option `{}` is not documented", r.id, o.name));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
