//! What every subcommand shares: the policy, the clock, a guarded check,
//! and writing items out in order with the exit status they add up to.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Stdout, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use primum_core::{DateTime, Policy, Post, Report, Severity, Verdict};

use crate::cli::PolicyArgs;
use crate::input::{CHUNK_BYTES, Line, for_each_chunk, io_message, label};
use crate::printer::RunSummary;

/// Exit status: a finding at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: a usage error, an unusable policy, an unreadable input.
pub const EXIT_FAILURE: u8 = 2;

/// Resolves the policy from `--region` and `--policy`. The region is passed
/// on only when given, so that the policy file's own `region` applies
/// otherwise.
pub fn load_policy(args: &PolicyArgs) -> Result<Policy> {
    let file = match &args.policy {
        Some(path) => {
            let name = path.display().to_string();
            let bytes = std::fs::read(path)
                .map_err(|e| anyhow::anyhow!("{name}: {}", crate::input::io_message(&e)))
                .context("cannot read the policy file")?;
            let text = String::from_utf8(bytes)
                .map_err(|e| anyhow::anyhow!("{name}: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;
            Some((name, text))
        }
        None => None,
    };
    Ok(Policy::resolve(
        args.region.as_deref(),
        file.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    )?)
}

/// The time of the check: `--now`, else the system clock.
pub fn now_or_clock(now: Option<DateTime>) -> DateTime {
    now.unwrap_or_else(|| {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        DateTime::from_unix(secs)
    })
}

/// Checks one post, turning a panic in the engine into an error.
///
/// The engine promises never to panic, but a batch of a million posts must
/// not die because one of them found a bug: the panic is caught here, the
/// post is reported as invalid with "internal error: ...", and the batch
/// goes on. (The panic hook has already printed where it happened.)
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error: {what} (please report this post)")
    })
}

/// Checks a post with [`guarded`].
pub fn check_post(post: &Post, policy: &Policy, now: DateTime) -> Result<Report, String> {
    guarded(|| primum_core::check(post, policy, Some(now)))
}

/// Panics print one line naming primum and the place, not Rust's default
/// advice about backtraces.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("primum: internal error{at}: {what}");
    }));
}

/// One input, checked and rendered, waiting to be written in order.
#[derive(Debug, Default)]
pub struct Done {
    /// What goes to stdout.
    pub bytes: Vec<u8>,
    /// Messages for stderr, each naming the input.
    pub errors: Vec<String>,
    /// The verdict; `None` for an input that could not be checked.
    pub verdict: Option<Verdict>,
    pub max_severity: Option<Severity>,
}

/// Writes items to stdout in order and adds up the run.
pub struct Output {
    /// Standard output, not its lock: the pool's workers write through it
    /// (see [`check_in_order`]), and a lock belongs to one thread.
    out: BufWriter<Stdout>,
    separator: &'static [u8],
    wrote_any: bool,
    pub summary: RunSummary,
    max_severity: Option<Severity>,
    /// Something could not be processed: the exit status is 2.
    failed: bool,
    progress: Option<ProgressBar>,
}

impl Output {
    pub fn new(separator: &'static [u8]) -> Output {
        Output {
            out: BufWriter::with_capacity(256 << 10, io::stdout()),
            separator,
            wrote_any: false,
            summary: RunSummary::default(),
            max_severity: None,
            failed: false,
            progress: None,
        }
    }

    /// Writes bytes outside any item (a format's head and tail).
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Writes one item and counts it.
    pub fn item(&mut self, done: Done) -> io::Result<()> {
        if !done.bytes.is_empty() {
            if self.wrote_any {
                self.out.write_all(self.separator)?;
            }
            self.out.write_all(&done.bytes)?;
            self.wrote_any = true;
        }
        for e in done.errors {
            self.error(e);
        }
        self.summary.count(done.verdict);
        self.max_severity = self.max_severity.max(done.max_severity);
        Ok(())
    }

    /// Reports an input that could not be processed: on stderr, and in the
    /// run's summary; the exit status becomes 2.
    pub fn error(&mut self, message: String) {
        match &self.progress {
            Some(p) => p.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
        self.summary.errors.push(message);
        self.failed = true;
    }

    /// Shows a progress bar on stderr for a long input, when stderr is a
    /// terminal. `len` is the input's size if known.
    pub fn start_progress(&mut self, len: Option<u64>) {
        if self.progress.is_some() || !io::stderr().is_terminal() {
            return;
        }
        let bar = match len {
            Some(len) => ProgressBar::new(len).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec}, {eta} left")
                    .expect("a valid template"),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {bytes} read, {bytes_per_sec}").expect("a valid template"),
            ),
        };
        self.progress = Some(bar);
    }

    pub fn advance(&self, bytes: usize) {
        if let Some(p) = &self.progress {
            p.inc(bytes as u64);
        }
    }

    /// Flushes and returns the exit status: 2 if an input failed, else 1
    /// if a finding reached `fail_on`, else 0.
    pub fn finish(mut self, fail_on: Option<Severity>) -> io::Result<ExitCode> {
        if let Some(p) = self.progress.take() {
            p.finish_and_clear();
        }
        self.out.flush()?;
        Ok(exit_code(self.failed, self.max_severity, fail_on))
    }
}

pub fn exit_code(failed: bool, max: Option<Severity>, fail_on: Option<Severity>) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_FAILURE)
    } else if matches!((max, fail_on), (Some(m), Some(t)) if m >= t) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Lines one job checks, one after another: enough to make a job's
/// overhead nothing, few enough that the last jobs of a chunk keep both
/// cores busy to its end.
const JOB_LINES: usize = 32;

/// Inputs larger than this get a progress bar (on a terminal).
const PROGRESS_BYTES: u64 = 1 << 20;

/// Runs `work` over every line of a JSONL input, a chunk at a time: the
/// lines of a chunk in parallel on all cores, the results written in input
/// order before the next chunk is read, so memory stays bounded however
/// long the input. An input that cannot be opened or read is reported
/// (exit status 2) and the run goes on to its end.
pub fn each_jsonl_line(path: &str, out: &mut Output, work: impl Fn(Line<'_>) -> Done + Sync) -> io::Result<()> {
    let name = label(path);
    let (reader, len): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(io::stdin()), None)
    } else {
        match File::open(path) {
            Ok(f) => {
                let len = f.metadata().ok().map(|m| m.len());
                (Box::new(f), len)
            }
            Err(e) => {
                out.error(format!("{name}: {}", io_message(&e)));
                return Ok(());
            }
        }
    };
    if len.is_some_and(|l| l > PROGRESS_BYTES) {
        out.start_progress(len);
    }
    // The engine's largest tables, built by the pool's threads side by side
    // while the first chunk is read (see `primum_core::phi::warm_up`).
    for build in primum_core::phi::warm_up() {
        rayon::spawn(build);
    }
    let mut write_err = None;
    let read = for_each_chunk(reader, |lines, consumed| {
        if let Err(e) = check_in_order(lines, out, &work) {
            write_err = Some(e);
            return Err(io::Error::other("output closed"));
        }
        // Standard input has no size: a spinner, once it proves long.
        if len.is_none() && consumed >= CHUNK_BYTES {
            out.start_progress(None);
        }
        out.advance(consumed);
        Ok(())
    });
    if let Some(e) = write_err {
        return Err(e);
    }
    if let Err(e) = read {
        let msg = if e.kind() == io::ErrorKind::InvalidData {
            e.to_string()
        } else {
            io_message(&e)
        };
        out.error(format!("{name}: {msg}"));
    }
    Ok(())
}

/// Runs `work` over `lines` on the pool's threads and writes the results
/// in input order.
///
/// The lines go out as jobs of [`JOB_LINES`], all queued at once. A worker
/// that finishes a job leaves its results in the job's place; when the job
/// is the next to be written, the worker writes it, and every finished job
/// after it, itself. There is no barrier between batches (where one worker
/// waited for the other to finish and for the next batch to be handed
/// out), only at the end of a chunk; and no writer thread to wake for each
/// job, which had the two workers and it share the two cores, and freed
/// every result on a thread other than the one that made it. Memory stays
/// bounded: a job waits only for those before it. If the output fails,
/// the jobs not yet started are skipped.
fn check_in_order(lines: &[Line<'_>], out: &mut Output, work: &(impl Fn(Line<'_>) -> Done + Sync)) -> io::Result<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, PoisonError};

    /// The jobs' results waiting for their turn, and the output.
    struct Turn<'o> {
        out: &'o mut Output,
        /// Results that came before their turn, by job number.
        waiting: Vec<Option<Vec<Done>>>,
        /// The job to be written next.
        next: usize,
        result: io::Result<()>,
    }

    let stop = AtomicBool::new(false);
    let turn = Mutex::new(Turn {
        out,
        waiting: (0..lines.len().div_ceil(JOB_LINES)).map(|_| None).collect(),
        next: 0,
        result: Ok(()),
    });
    rayon::in_place_scope(|s| {
        for (k, job) in lines.chunks(JOB_LINES).enumerate() {
            let (stop, turn) = (&stop, &turn);
            s.spawn(move |_| {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let done: Vec<Done> = job.iter().map(|l| work(*l)).collect();
                // A panic is caught around each post, so the lock is never
                // poisoned; if it were, the results are still whole.
                let mut t = turn.lock().unwrap_or_else(PoisonError::into_inner);
                let t = &mut *t;
                t.waiting[k] = Some(done);
                while let Some(done) = t.waiting.get_mut(t.next).and_then(Option::take) {
                    t.next += 1;
                    if t.result.is_ok() {
                        t.result = done.into_iter().try_for_each(|d| t.out.item(d));
                        if t.result.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    turn.into_inner().unwrap_or_else(PoisonError::into_inner).result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let r: Result<(), String> = guarded(|| panic!("index out of bounds"));
        assert_eq!(
            r.unwrap_err(),
            "internal error: index out of bounds (please report this post)"
        );
        assert_eq!(guarded(|| 7), Ok(7));
    }

    #[test]
    fn exit_status_order() {
        use Severity::*;
        let code = |failed, max, on| format!("{:?}", exit_code(failed, max, on));
        assert_eq!(code(true, Some(Error), Some(Error)), format!("{:?}", ExitCode::from(2)));
        assert_eq!(
            code(false, Some(Error), Some(Error)),
            format!("{:?}", ExitCode::from(1))
        );
        assert_eq!(
            code(false, Some(Warning), Some(Error)),
            format!("{:?}", ExitCode::SUCCESS)
        );
        assert_eq!(code(false, Some(Info), Some(Info)), format!("{:?}", ExitCode::from(1)));
        assert_eq!(code(false, Some(Error), None), format!("{:?}", ExitCode::SUCCESS));
    }
}
