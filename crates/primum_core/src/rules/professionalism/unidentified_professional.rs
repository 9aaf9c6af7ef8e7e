//! `professionalism/unidentified-professional`: a clinician who does not say who they are.

use std::sync::LazyLock;

use regex::Regex;

use crate::declare_rule;
use crate::post::AccountKind;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Where the pack requires it (`require_name`, on in the `uk` pack), a
    /// post in which the author presents as a health professional ("As a
    /// dentist I...", "Fifteen years a paeds nurse", "I'm a consultant
    /// dermatologist", "tell me you work in an ED") from an account with no
    /// name in the policy (`[account] name`) and without signing the post
    /// with a name ("— Dr Jane Smith"). On an anonymous account it always
    /// applies when the pack requires a name. Silent when the pack does not.
    ///
    /// ## Why
    ///
    /// "Follow your regional legal guidelines." "If you identify yourself as
    /// a doctor in publicly accessible social media, you should also identify
    /// yourself by name" (GMC, *Doctors' use of social media* 2013 ¶17,
    /// `uk-gmc-sm2013-17`); the 2024 guidance asks doctors commenting on
    /// health to give the context readers need to judge their claims
    /// (`uk-gmc-sm2024-context`). Anonymous posts can usually be traced
    /// (GMC 2024 ¶9, `uk-gmc-sm2024-9`).
    ///
    /// ## Example
    ///
    /// From an account with no name, under the `uk` pack:
    ///
    /// ```text
    /// As a GP I see this every week: antibiotics won't shift a cold.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// As a GP I see this every week: antibiotics won't shift a cold. — Dr Jane Smith, Harbour Lane Surgery
    /// ```
    ///
    /// ## Fix
    ///
    /// Sign the post with your name, or set your name in the policy's
    /// `[account]` table if the account profile already shows it.
    ///
    /// ## Options
    ///
    /// - `require_name` (true or false, default false): whether a
    ///   professional who identifies as one must also give their name (the
    ///   `uk` pack sets it to true).
    pub static RULE = {
        id: "professionalism/unidentified-professional",
        fix: Never,
        options: [
            ("require_name", Bool(false), "whether a professional who identifies as one must also give their name"),
        ],
        check: check,
    }
}

/// Self-identification as a health professional. The professions are a
/// closed set of grammar-level nouns, kept in the pattern.
static SELF_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?: as\s+an? | i['’]?m\s+an? | i\s+am\s+an? | years?\s+(?:as\s+)?an? | work(?:ing)?\s+as\s+an?
            | qualified\s+as\s+an? | speaking\s+as\s+an? )
        \s+ (?:[a-z&'’-]+\s+){0,2}
        (?: doctor | nurse | gp | dentist | midwife | paramedic | pharmacist | physio | physiotherapist | surgeon
            | consultant | registrar | medic | physician | optometrist | radiographer | sonographer | hca
            | [a-z]+ologist | [a-z]+iatrist | [a-z]+ician | [a-z]+etist | [a-z]+ist\s+nurse ) s?\b
        | \btell\s+me\s+you\s+work\s+in\b
        | \bfellow\s+(?:doctors|nurses|gps|midwives|paramedics|pharmacists|dentists|clinicians)\b",
    )
    .expect("valid self-identification pattern")
});

/// A name signing the post: a dash or tilde, then an optional title and one
/// to three capitalised words, at the end of the post.
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\n—–~-])\s*(?:(?:Dr|Nurse|Sister|Prof)\.?\s+)?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}(?:,[^\n]{0,60})?\s*$")
        .expect("valid signature pattern")
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.opt_bool("require_name") {
        return;
    }
    let anonymous = ctx.account() == Some(AccountKind::Anonymous);
    let named = ctx.policy.account.name.as_deref().is_some_and(|n| !n.trim().is_empty());
    if named && !anonymous {
        return;
    }
    let src = ctx.src();
    let Some(m) = SELF_ID.find(src) else { return };
    if !anonymous && SIGNATURE.is_match(src) {
        return;
    }
    out.push(
        Diagnostic::at(
            primum_text::Span::new(m.start(), m.end()),
            "presents as a health professional without giving a name",
        )
        .with_help(
            "sign the post with your name, or set `name` in the policy's [account] table if your profile shows it",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::post::AccountKind;
    use crate::testing::{Test, assert_silent};

    fn uk(text: &str) -> Vec<String> {
        Test::new(text).region("uk").spans(&RULE)
    }

    #[test]
    fn fires_when_the_pack_requires_a_name() {
        assert_eq!(uk("As a dentist I only recommend these strips"), ["As a dentist"]);
        assert_eq!(
            uk("Fifteen years a paeds nurse and I'll say it"),
            ["years a paeds nurse"]
        );
        assert_eq!(
            uk("I'm a consultant dermatologist and this mole advice is wrong"),
            ["I'm a consultant dermatologist"]
        );
        assert_eq!(
            uk("Resus board at 3am, tell me you work in an ED without telling me"),
            ["tell me you work in"]
        );
        let t = Test::new("As a GP I see this weekly — Dr Jane Smith")
            .region("uk")
            .account(AccountKind::Anonymous);
        assert!(t.fires(&RULE));
    }

    #[test]
    fn silent_when_named_or_not_required() {
        assert_silent(&RULE, "As a dentist I only recommend these strips");
        assert!(uk("As a GP I see this every week: antibiotics won't shift a cold. — Dr Jane Smith").is_empty());
        let t = Test::new("As a nurse I love nights").policy("region = \"uk\"\n[account]\nname = \"Jane Smith\"\n");
        assert!(!t.fires(&RULE));
        assert!(uk("Huge congratulations to Dr Amara Bello on passing her MRCP this week!").is_empty());
        assert!(uk("Asked a patient as a joke whether she wanted the window seat").is_empty());
        assert!(uk("").is_empty());
    }
}
