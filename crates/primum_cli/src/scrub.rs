//! `primum scrub`: remove identifying metadata from images, losslessly,
//! writing each result atomically; or, with `--check`, only report it.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use primum_core::image::{What, check_image};
use primum_core::{Finding, Policy};
use primum_media::{Piece, Plan, ScrubOptions};
use rayon::prelude::*;
use serde_json::json;

use crate::cli::{ScrubArgs, TableFormat};
use crate::input::io_message;
use crate::run::{self, EXIT_FAILURE, EXIT_FINDINGS};

/// Images read and scrubbed at once: enough to keep every core busy,
/// few enough that memory stays bounded whatever the batch.
const AT_ONCE: usize = 32;

/// What happens to the images.
#[derive(Debug, Clone)]
enum Mode {
    Check,
    InPlace,
    Out(PathBuf),
}

/// What became of one image.
#[derive(Debug, Default)]
struct Outcome {
    file: String,
    format: Option<&'static str>,
    /// scrubbed | unchanged | duplicate | clean | identifying | error
    status: &'static str,
    out: Option<String>,
    removed: Vec<String>,
    kept: Vec<String>,
    findings: Vec<Finding>,
    error: Option<String>,
}

pub fn run(args: ScrubArgs) -> Result<ExitCode> {
    let mode = match (&args.out, args.in_place, args.check) {
        (_, _, true) => Mode::Check,
        (Some(dir), false, false) => Mode::Out(dir.clone()),
        (None, true, false) => Mode::InPlace,
        _ => bail!("say where the cleaned images go: --out DIR or --in-place (or --check to only report)"),
    };
    if let Mode::Out(dir) = &mode {
        fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("{}: cannot create the output folder: {}", dir.display(), io_message(&e)))?;
    }
    let policy = run::load_policy(&args.policy)?;
    let opts = ScrubOptions {
        keep_orientation: !args.drop_orientation,
        keep_icc: !args.drop_icc,
        keep_copyright: !args.drop_copyright,
    };
    // Two images of the same name would overwrite each other in DIR, and
    // one file named twice would be rewritten by two workers at once.
    let mut names = HashSet::new();
    let clashes: Vec<bool> = args
        .images
        .iter()
        .map(|p| match mode {
            Mode::Out(_) => !names.insert(p.file_name().map(OsString::from)),
            Mode::InPlace => !names.insert(Some(fs::canonicalize(p).unwrap_or_else(|_| p.clone()).into_os_string())),
            Mode::Check => false,
        })
        .collect();

    let bar = (io::stderr().is_terminal() && args.images.len() > 1).then(|| {
        ProgressBar::new(args.images.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} images, {per_sec}, {eta} left")
                .expect("a valid template"),
        )
    });
    let mut stdout = io::stdout().lock();
    let (mut failed, mut identifying) = (false, false);
    let jobs: Vec<(&PathBuf, bool)> = args.images.iter().zip(clashes).collect();
    for group in jobs.chunks(AT_ONCE) {
        let done: Vec<Outcome> = group
            .par_iter()
            .map(|(path, clash)| {
                let o = if *clash && matches!(mode, Mode::InPlace) {
                    // The same file named twice: scrubbed once, not an error.
                    Outcome {
                        file: path.display().to_string(),
                        status: "duplicate",
                        ..Outcome::default()
                    }
                } else if *clash {
                    Outcome {
                        file: path.display().to_string(),
                        status: "error",
                        error: Some(
                            "another image of the same name is written to the output folder; left untouched".into(),
                        ),
                        ..Outcome::default()
                    }
                } else {
                    one(path, &mode, &opts, &policy)
                };
                if let Some(b) = &bar {
                    b.inc(1);
                }
                o
            })
            .collect();
        for o in done {
            if let Some(e) = &o.error {
                failed = true;
                let msg = format!("{}: {e}", o.file);
                match &bar {
                    Some(b) => b.suspend(|| eprintln!("{msg}")),
                    None => eprintln!("{msg}"),
                }
            }
            identifying |= o.status == "identifying";
            let text = match args.format {
                TableFormat::Human => human(&o),
                TableFormat::Json => format!("{}\n", json(&o)),
            };
            match &bar {
                Some(b) => b.suspend(|| stdout.write_all(text.as_bytes()))?,
                None => stdout.write_all(text.as_bytes())?,
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    stdout.flush()?;
    Ok(if failed {
        ExitCode::from(EXIT_FAILURE)
    } else if identifying {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks or scrubs one image; never panics, never leaves a half-written file.
fn one(path: &Path, mode: &Mode, opts: &ScrubOptions, policy: &Policy) -> Outcome {
    let file = path.display().to_string();
    let mut o = Outcome {
        file: file.clone(),
        ..Outcome::default()
    };
    let fail = |mut o: Outcome, e: String| {
        o.status = "error";
        o.error = Some(e);
        o
    };
    // Taken before reading: a change after it shows when the picture is copied.
    let stamp = stamp(path);
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return fail(o, io_message(&e)),
    };
    o.format = primum_media::Format::sniff(&bytes).map(primum_media::Format::as_str);
    if let Mode::Check = mode {
        let inspection = match run::guarded(|| primum_media::inspect(&bytes)) {
            Ok(Ok(i)) => i,
            Ok(Err(e)) => return fail(o, format!("{e}; not checked")),
            Err(e) => return fail(o, e),
        };
        o.findings = check_image(&file, &inspection.meta, policy).findings;
        o.status = if inspection.has_identifying(opts) {
            "identifying"
        } else {
            "clean"
        };
        return o;
    }
    let plan = match run::guarded(|| primum_media::scrub_plan(&bytes, opts)) {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return fail(o, format!("{e}; left untouched")),
        Err(e) => return fail(o, format!("{e}; left untouched")),
    };
    let cleaned = plan.materialize(&bytes);
    if let Err(e) = verify(&cleaned, opts) {
        return fail(o, format!("{e}; left untouched (please report this image)"));
    }
    let dest = match mode {
        Mode::Out(dir) => match path.file_name() {
            Some(name) => dir.join(name),
            None => return fail(o, "not a file name".into()),
        },
        _ => path.to_path_buf(),
    };
    if let Mode::Out(_) = mode
        && same_file(path, &dest)
    {
        return fail(
            o,
            "the output folder is the image's own folder: use --in-place to replace it".into(),
        );
    }
    let unchanged = cleaned == bytes;
    if !(unchanged && matches!(mode, Mode::InPlace))
        && let Err(e) = write_atomically(&dest, &plan, &bytes, path, stamp, matches!(mode, Mode::InPlace))
    {
        return fail(o, format!("{}: {e}; the original is untouched", dest.display()));
    }
    o.status = if unchanged { "unchanged" } else { "scrubbed" };
    o.out = Some(dest.display().to_string());
    o.removed = plan.removed;
    o.kept = plan.kept;
    o
}

/// A file's length and modification time: if they change while it is
/// scrubbed, the picture copied from it may not be the one checked.
fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let m = fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Checks a scrub's result before anything is written: it parses, and
/// nothing identifying is left but what was kept on purpose.
fn verify(cleaned: &[u8], opts: &ScrubOptions) -> Result<(), String> {
    let after = primum_media::inspect(cleaned).map_err(|e| format!("the cleaned image does not read back ({e})"))?;
    let left: Vec<String> = after
        .meta
        .items
        .iter()
        .filter(|i| match i.what {
            What::Copyright => !opts.keep_copyright,
            // HEIF thumbnail items of the same picture stay (see the report).
            What::Thumbnail { differs } => {
                differs || !matches!(after.format, primum_media::Format::Heif | primum_media::Format::Avif)
            }
            _ => true,
        })
        .map(|i| i.source.clone())
        .collect();
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("the scrub left {}", left.join(", ")))
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Pieces of the input at least this long are copied from file to file by
/// the kernel (`copy_file_range` on Linux) rather than written from memory.
const COPY_IN_KERNEL: usize = 64 << 10;

/// Writes the scrubbed file (`plan` over `input`, read from `source`) to a
/// temporary file beside `dest`, with the permissions of `source`, and
/// renames it over `dest`. When `dest` is the original (`durable`, for
/// --in-place) the file is flushed to disk before the rename, so a crash
/// leaves the old image or the new one, never an empty file; into --out the
/// original is safe anyway, and flushing each file would cost more than the
/// scrub (a stall of seconds on a busy disk). The picture's bytes are
/// copied from `source`; if it changed since it was read, nothing is
/// renamed.
fn write_atomically(
    dest: &Path,
    plan: &Plan,
    input: &[u8],
    source: &Path,
    stamp: Option<(u64, std::time::SystemTime)>,
    durable: bool,
) -> io::Result<()> {
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.primum-{}.tmp", std::process::id()));
    let result = (|| {
        let mut src = fs::File::open(source)?;
        let mut f = fs::File::create(&tmp)?;
        for piece in plan.pieces() {
            match piece {
                Piece::Bytes(b) => f.write_all(b)?,
                Piece::Input(r) if r.len() < COPY_IN_KERNEL => f.write_all(&input[r.clone()])?,
                Piece::Input(r) => {
                    src.seek(SeekFrom::Start(r.start as u64))?;
                    let n = io::copy(&mut (&mut src).take(r.len() as u64), &mut f)?;
                    if n != r.len() as u64 {
                        return Err(io::Error::other("the image changed while it was scrubbed"));
                    }
                }
            }
        }
        if stamp.is_none() || self::stamp(source) != stamp {
            return Err(io::Error::other("the image changed while it was scrubbed"));
        }
        if durable {
            f.sync_all()?;
        }
        if let Ok(m) = fs::metadata(source) {
            fs::set_permissions(&tmp, m.permissions())?;
        }
        fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn human(o: &Outcome) -> String {
    let mut s = String::new();
    match o.status {
        "error" => {}
        "duplicate" => s.push_str(&format!("{}: named twice; scrubbed once\n", o.file)),
        "identifying" | "clean" => {
            if o.findings.is_empty() {
                s.push_str(&format!("{}: no identifying metadata\n", o.file));
            } else {
                s.push_str(&format!("{}: {} finding(s)\n", o.file, o.findings.len()));
                for f in &o.findings {
                    let msg = f.message.strip_prefix(&format!("{}: ", o.file)).unwrap_or(&f.message);
                    s.push_str(&format!("  {} {}: {msg}\n", f.severity, f.rule));
                }
            }
        }
        _ => {
            let to = match &o.out {
                Some(out) if *out != o.file => format!(" -> {out}"),
                _ => String::new(),
            };
            if o.removed.is_empty() {
                s.push_str(&format!("{}{to}: nothing to remove\n", o.file));
            } else {
                s.push_str(&format!("{}{to}: removed {}\n", o.file, o.removed.join("; ")));
            }
            if !o.kept.is_empty() {
                s.push_str(&format!("  kept: {}\n", o.kept.join("; ")));
            }
        }
    }
    s
}

fn json(o: &Outcome) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = o
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "notes": f.notes,
            })
        })
        .collect();
    json!({
        "schema": "primum.scrub.v1",
        "file": o.file,
        "format": o.format,
        "status": o.status,
        "out": o.out,
        "removed": o.removed,
        "kept": o.kept,
        "findings": findings,
        "error": o.error,
    })
}
