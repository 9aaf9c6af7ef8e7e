//! `privacy/reidentification-risk`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "privacy/reidentification-risk",
        fix: Never,
        options: [
            ("threshold", Float(0.6), "TODO"),
            ("min_score", Float(0.35), "TODO"),
        ],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
