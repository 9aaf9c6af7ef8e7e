//! `spam/shouting`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "spam/shouting",
        fix: Never,
        options: [
            ("max_caps_ratio", Float(0.6), "TODO"),
            ("max_exclamations", Int(3), "TODO"),
            ("max_emoji", Int(5), "TODO"),
        ],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
