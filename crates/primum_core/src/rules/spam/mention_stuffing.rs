//! `spam/mention-stuffing`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "spam/mention-stuffing",
        fix: Never,
        options: [
            ("max", Int(5), "TODO"),
        ],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
