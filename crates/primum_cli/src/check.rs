//! `primum check`: posts in, reports out.

use std::process::ExitCode;

use anyhow::{Result, bail};
use primum_core::{DateTime, Policy};
use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::images;
use crate::input::{self, Defaults, Line};
use crate::printer::{Format, Human, Item, Json, Outcome, Printer, Sarif};
use crate::run::{self, Done, Output};
use crate::style::Style;

/// A JSONL input larger than this (about twenty posts) has the rules'
/// tables built on a second core from the start.
const WARM_UP_BYTES: u64 = 4 << 10;

/// Files read and checked at once when several are given.
const FILES_AT_ONCE: usize = 64;

/// What checking one input needs.
struct Ctx<'a> {
    policy: &'a Policy,
    now: DateTime,
    defaults: &'a Defaults,
    printer: &'a dyn Printer,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    if !args.image.is_empty() && (args.jsonl.is_some() || args.files.len() > 1) {
        bail!("--image attaches images to a single post; it cannot be used with --jsonl or several files");
    }
    let policy = run::load_policy(&args.policy)?;
    let defaults = Defaults {
        platform: args.platform,
        account: args.account,
        reply_to: args.reply_to.clone(),
    };
    let human;
    let printer: &dyn Printer = match args.format {
        Format::Human => {
            human = Human::new(Style::new(args.color.enabled()), &policy.references);
            &human
        }
        Format::Json => &Json,
        Format::Sarif => &Sarif,
    };
    let ctx = Ctx {
        policy: &policy,
        now: run::now_or_clock(args.now),
        defaults: &defaults,
        printer,
    };
    let mut out = Output::new(printer.separator());
    let mut head = Vec::new();
    printer.begin(&mut head);
    out.raw(&head)?;

    match &args.jsonl {
        Some(path) => {
            let name = input::label(path);
            // The rules' tables are built on the other core while the first
            // posts are checked (see `warm_up_backwards`), for an input of
            // more than a few posts: 5 ms sooner for 20 posts to 4,000, but
            // 5 ms later for a single short post, which needs few of them.
            let warm = path == "-" || std::fs::metadata(path).is_ok_and(|m| m.len() > WARM_UP_BYTES);
            rayon::in_place_scope(|s| {
                if warm {
                    s.spawn(|_| primum_core::engine::warm_up_backwards(&policy));
                }
                run::each_jsonl_line(path, &mut out, |line| check_line(&ctx, name, line))
            })?;
        }
        None => {
            let files = if args.files.is_empty() {
                vec!["-".to_string()]
            } else {
                args.files.clone()
            };
            for group in files.chunks(FILES_AT_ONCE) {
                let done: Vec<Done> = group.par_iter().map(|f| check_file(&ctx, f, &args.image)).collect();
                for d in done {
                    out.item(d)?;
                }
            }
        }
    }
    let mut tail = Vec::new();
    printer.end(&out.summary, &mut tail);
    out.raw(&tail)?;
    Ok(out.finish(args.fail_on.threshold())?)
}

/// Reads, checks and renders one file holding one post, with its images.
fn check_file(ctx: &Ctx<'_>, path: &str, images: &[std::path::PathBuf]) -> Done {
    let name = input::label(path);
    match input::read_post(path) {
        Ok(text) => {
            let post = ctx.defaults.post(text);
            let mut checked = run::check_post(&post, ctx.policy, ctx.now);
            let mut errors = Vec::new();
            if let Ok(report) = &mut checked {
                errors = images::add_to(report, images, ctx.policy);
            }
            let mut done = render(ctx, path, name, &post.text, checked, name);
            done.errors.extend(errors);
            done
        }
        Err(e) => render(ctx, path, name, "", Err(e), name),
    }
}

/// Renders a checked post, or an input that could not be checked with the
/// message for stderr, which starts with `place` (a file, or a file's line).
fn render(
    ctx: &Ctx<'_>,
    id: &str,
    name: &str,
    text: &str,
    checked: Result<primum_core::Report, String>,
    place: &str,
) -> Done {
    // A report is about four times the post's length plus its findings'
    // help and notes: sized once, it is not regrown (a reallocation and a
    // copy) for all but a few posts with many findings.
    let mut done = Done {
        bytes: Vec::with_capacity(2048 + 4 * text.len()),
        ..Done::default()
    };
    let outcome = match &checked {
        Ok(report) => {
            done.verdict = Some(report.verdict());
            done.max_severity = report.max_severity();
            Outcome::Report(report)
        }
        Err(e) => {
            done.errors.push(format!("{place}: {e}"));
            Outcome::Invalid(e)
        }
    };
    ctx.printer.item(
        &Item {
            id,
            name,
            text,
            outcome,
        },
        &mut done.bytes,
    );
    done
}

/// Parses, checks and renders one JSONL line.
fn check_line(ctx: &Ctx<'_>, file: &str, line: Line<'_>) -> Done {
    // The place is only needed for a message, which few lines have.
    let place = || format!("{file}: line {}", line.no);
    match input::parse_line(line, ctx.defaults) {
        Err(bad) => render(ctx, &bad.id, &bad.id, "", Err(bad.error), &place()),
        Ok(lp) => {
            let mut checked = run::check_post(&lp.post, ctx.policy, ctx.now);
            let mut errors = Vec::new();
            if let Ok(report) = &mut checked {
                // An image that cannot be read makes the exit status 2; the
                // report still holds the text's and the other images' findings.
                errors = images::add_to(report, &lp.images, ctx.policy)
                    .into_iter()
                    .map(|e| format!("{}: {e}", place()))
                    .collect();
            }
            let mut done = match checked {
                Ok(_) => render(ctx, &lp.id, &lp.id, &lp.post.text, checked, ""),
                Err(_) => render(ctx, &lp.id, &lp.id, &lp.post.text, checked, &place()),
            };
            done.errors.extend(errors);
            done
        }
    }
}
