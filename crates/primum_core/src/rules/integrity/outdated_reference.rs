//! `integrity/outdated-reference`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "integrity/outdated-reference",
        fix: Never,
        options: [
            ("max_age_years", Int(5), "TODO"),
        ],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
