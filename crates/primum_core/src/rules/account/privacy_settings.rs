//! `account/privacy-settings`: account settings below the platform's most
//! secure option.

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, not_per_post};
use crate::rule::Diagnostic;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, each privacy setting the export carries that is
    /// not the platform's most secure option: a Mastodon account that
    /// accepts followers without approval or is featured in discovery, an
    /// X account whose posts are not protected, a Bluesky account shown to
    /// logged-out visitors, a public Instagram account. One finding per
    /// setting, about the account, saying where to change it.
    ///
    /// Most exports carry few settings or none (LinkedIn, X's location,
    /// tagging and direct-message settings, Bluesky's app preferences):
    /// the report then says that the settings could not be checked rather
    /// than guess.
    ///
    /// ## Why
    ///
    /// "Use the most secure privacy settings available." Posts and profile
    /// details reach further than intended, and an open account makes
    /// impersonation and harassment easier; professional bodies ask
    /// clinicians to review their settings regularly.
    ///
    /// ## Example
    ///
    /// A Mastodon archive whose `actor.json` has
    /// `"manuallyApprovesFollowers": false`. Better: require follow
    /// requests, so followers-only posts reach only approved followers.
    ///
    /// ## Fix
    ///
    /// Change the setting on the platform, at the place the finding names.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "account/privacy-settings",
        fix: Never,
        options: [],
        check: not_per_post,
    }
}

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let Some(settings) = &ctx.history.settings else {
        ctx.note("not checked: the export carries no privacy settings; review them on the platform");
        return;
    };
    for s in settings.iter().filter(|s| !s.most_secure) {
        out.push(HistoryDiagnostic::account(
            Diagnostic::new(
                None,
                format!("\"{}\" is {}: not the most secure option", s.name, s.value),
            )
            .with_help(format!("change it: {}", s.advice)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::run;
    use crate::history::{AccountSetting, History};
    use crate::policy::Policy;

    const RULE: &str = "account/privacy-settings";

    fn setting(name: &'static str, most_secure: bool) -> AccountSetting<'static> {
        AccountSetting {
            name,
            value: if most_secure { "on" } else { "off" },
            most_secure,
            advice: "Preferences → Profile",
        }
    }

    #[test]
    fn settings_below_the_most_secure() {
        let h = History {
            settings: Some(vec![
                setting("Require follow requests", false),
                setting("Feature profile in discovery", true),
            ]),
            ..History::default()
        };
        assert_eq!(
            run(&h, &Policy::core(), RULE),
            vec![(
                None,
                "\"Require follow requests\" is off: not the most secure option".to_string()
            )]
        );
    }

    #[test]
    fn no_settings_is_said_not_guessed() {
        let h = History::default();
        assert!(run(&h, &Policy::core(), RULE).is_empty());
        let r = crate::history::audit(&h, &Policy::core(), None);
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("account/privacy-settings: not checked")),
            "{:?}",
            r.notes
        );
        // All secure: nothing to say.
        let h = History {
            settings: Some(vec![setting("Require follow requests", true)]),
            ..History::default()
        };
        assert!(run(&h, &Policy::core(), RULE).is_empty());
    }
}
