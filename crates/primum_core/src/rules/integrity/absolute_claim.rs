//! `integrity/absolute-claim`: not yet implemented.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// TODO
    pub static RULE = {
        id: "integrity/absolute-claim",
        fix: Never,
        options: [],
        check: check,
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
