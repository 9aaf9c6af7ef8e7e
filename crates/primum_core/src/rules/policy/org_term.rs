//! `policy/org-term`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "policy/org-term",
        fix: Never,
        options: [],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
