//! `primum`, the command line: checks posts, lists and explains the rules,
//! redacts identifiers, and scores the checker on a labelled corpus.
//!
//! This crate is a front end: it reads files and standard input, resolves
//! the policy, hands each post to `primum_core::check`, and prints the
//! reports (human, JSON, SARIF). It must not hold rule logic; what a post
//! is judged by lives in the core. Its outside behaviour (flags, JSON
//! report, exit codes) is fixed by CONTRACT.md.

mod audit;
mod audit_html;
mod check;
mod cli;
mod eval;
mod eval_phi;
mod images;
mod input;
#[cfg(feature = "ocr")]
mod ocr;
mod offsets;
mod printer;
mod redact;
mod rules;
mod run;
mod scrub;
mod style;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// mimalloc rather than the system allocator: checking a post makes many
/// small short-lived allocations, and malloc and free were a tenth of a
/// JSONL run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    run::install_panic_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Redact(args) => redact::run(args),
        Command::Scrub(args) => scrub::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Audit(args) => audit::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`| head`): nothing to say.
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("primum: {e:#}");
            ExitCode::from(run::EXIT_FAILURE)
        }
    }
}
