//! OCR (feature `ocr`): the text in a picture's pixels, read by the
//! Tesseract program (`tesseract`, English) run as a child process for
//! each image.
//!
//! A program rather than Tesseract's C library: linking the library pulled
//! some fifty shared libraries (curl, ICU, gnutls, krb5...) into every run
//! of `primum`, about 14 ms of loading on each invocation though only
//! `check --image` and audits with photos read pictures, and needed clang
//! to build; and a crash of the C code on a hostile image would have ended
//! the whole batch. A child that crashes, or hangs past [`TIMEOUT`], costs
//! one image its OCR, which is reported, never skipped silently.
//!
//! `primum_media::ocr::prepare` decides what the program is given (the
//! picture turned upright, and never bytes that are not an image); this
//! module only runs it.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use primum_core::image::Ocr;
use primum_media::Format;

/// The environment variable naming the Tesseract program to run, for a
/// Tesseract outside `PATH` or a wrapper; `tesseract` from `PATH` when it
/// is unset or empty.
pub const PROGRAM_VAR: &str = "PRIMUM_TESSERACT";

/// How long Tesseract may read one picture before it is stopped. A photo
/// takes well under a second; a hostile picture (huge, or made to send
/// the page layout analysis round in circles) must not hold a batch up
/// for ever, and a minute leaves room for a large scan on a slow machine.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The most text kept from Tesseract's standard output: far more than any
/// picture's text, but a bound on what a hostile picture makes us hold.
const MAX_TEXT: u64 = 16 << 20;

/// The most kept from its standard error, of which only the first lines
/// are read.
const MAX_NOTES: u64 = 64 << 10;

const INSTALL_HINT: &str = "Debian: apt install tesseract-ocr tesseract-ocr-eng";

/// Reads the text in an image's pixels. A picture stored sideways or
/// mirrored (`orientation` 2 to 8, as EXIF says) is turned upright first,
/// as a viewer would show it.
pub fn read_text(bytes: &[u8], orientation: Option<u16>) -> Ocr {
    let (input, format) = match primum_media::ocr::prepare(bytes, orientation) {
        Ok(prepared) => prepared,
        Err(e) => return Ocr::Unavailable(e.to_string()),
    };
    let program = std::env::var_os(PROGRAM_VAR).filter(|p| !p.is_empty());
    match run(program.as_ref(), input.into_owned(), TIMEOUT) {
        Ok(text) => {
            let text = String::from_utf8_lossy(&text);
            if text.trim().is_empty() {
                Ocr::Nothing
            } else {
                Ocr::Text(text.into_owned())
            }
        }
        Err(failure) => Ocr::Unavailable(failure.message(program.as_ref(), format)),
    }
}

/// Why Tesseract read no text.
#[derive(Debug)]
enum Failure {
    /// The program could not be started.
    Start(io::Error),
    /// It ran past the time allowed and was stopped.
    TimedOut(Duration),
    /// It ended unsuccessfully, having said this on its standard error.
    Failed(ExitStatus, Vec<u8>),
    /// Talking to it failed.
    Pipe(io::Error),
}

impl Failure {
    /// The reason printed after the image's name (the caller adds that
    /// the text in the picture was not checked).
    fn message(&self, program: Option<&OsString>, format: Format) -> String {
        let format = format.as_str();
        match self {
            Failure::Start(e) if e.kind() == io::ErrorKind::NotFound => match program {
                None => format!("Tesseract is not installed ({INSTALL_HINT})"),
                Some(p) => format!(
                    "Tesseract was not found at {} (set by {PROGRAM_VAR}); install it ({INSTALL_HINT}) or correct the path",
                    p.to_string_lossy()
                ),
            },
            Failure::Start(e) => {
                let p = program.map_or("tesseract".into(), |p| p.to_string_lossy());
                format!("Tesseract ({p}) could not be started: {e}")
            }
            Failure::TimedOut(t) => format!(
                "Tesseract took longer than {} s on this {format} image and was stopped",
                t.as_secs()
            ),
            Failure::Failed(status, notes) => {
                let notes = String::from_utf8_lossy(notes);
                if notes.contains("Failed loading language") {
                    return "Tesseract has no English data (Debian: apt install tesseract-ocr-eng)".to_string();
                }
                match first_line(&notes) {
                    Some(line) => format!("Tesseract could not read this {format} image: {line}"),
                    None => format!("Tesseract failed on this {format} image ({status})"),
                }
            }
            Failure::Pipe(e) => format!("Tesseract could not be given this {format} image: {e}"),
        }
    }
}

/// The first line of Tesseract's notes that says something, trimmed:
/// "Estimating resolution as 321" and the like come before the error on
/// some pictures.
fn first_line(notes: &str) -> Option<&str> {
    notes
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("Estimating resolution") && !l.starts_with("Warning:"))
        .or_else(|| notes.lines().map(str::trim).find(|l| !l.is_empty()))
}

/// What a reader thread sends back when its pipe closes.
enum Stream {
    Out(io::Result<Vec<u8>>),
    Err(io::Result<Vec<u8>>),
}

/// A child that is killed and reaped when dropped before it ended (a
/// timeout, a broken pipe), so that no Tesseract outlives its picture or
/// stays a zombie.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Runs Tesseract on `input` (an image's bytes) and returns its standard
/// output, the text.
fn run(program: Option<&OsString>, input: Vec<u8>, timeout: Duration) -> Result<Vec<u8>, Failure> {
    let mut command = Command::new(program.map_or_else(|| OsString::from("tesseract"), Clone::clone));
    // The picture on standard input, the text on standard output. Page
    // segmentation 6 (one uniform block of text) is what the C library,
    // which primum linked before, does by default, so the findings stay
    // as they were (the same on every picture of ../shared/data/media);
    // the program's own default (3, fully automatic) finds the same
    // identifiers there but quotes different stray marks.
    command
        .args(["stdin", "stdout", "-l", "eng", "--psm", "6"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // One thread: Tesseract's OpenMP threads spin while they wait, and on
    // two cores made a photo take 2.3 times as long (576 ms against 251);
    // an audit already reads several photos at once. A limit the user set
    // is kept.
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        command.env("OMP_THREAD_LIMIT", "1");
    }
    let mut child = Running(command.spawn().map_err(Failure::Start)?);
    let deadline = Instant::now() + timeout;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.0.stdin.take(), child.0.stdout.take(), child.0.stderr.take())
    else {
        return Err(Failure::Pipe(io::Error::other("no pipe to the child")));
    };
    // The picture is written from its own thread while this one reads the
    // text, so that neither side waits on a full pipe. A write that fails
    // because Tesseract stopped reading (it gave up on the picture) is not
    // an error of its own: its exit status and notes say why.
    thread::Builder::new()
        .name("ocr-stdin".into())
        .spawn(move || {
            let _ = stdin.write_all(&input);
        })
        .map_err(Failure::Pipe)?;
    let (tx, rx) = mpsc::channel();
    spawn_reader(stdout, MAX_TEXT, tx.clone(), Stream::Out)?;
    spawn_reader(stderr, MAX_NOTES, tx, Stream::Err)?;
    let (mut text, mut notes) = (None, None);
    while text.is_none() || notes.is_none() {
        // A child killed here closes its pipes, and the reader threads
        // end by themselves; they are not waited for, in case something
        // it started still holds a pipe open.
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Stream::Out(r)) => text = Some(r.map_err(Failure::Pipe)?),
            Ok(Stream::Err(r)) => notes = Some(r.map_err(Failure::Pipe)?),
            Err(_) => return Err(Failure::TimedOut(timeout)),
        }
    }
    // Both pipes are closed, so the child has ended or is ending.
    let status = loop {
        match child.0.try_wait().map_err(Failure::Pipe)? {
            Some(status) => break status,
            None if Instant::now() >= deadline => return Err(Failure::TimedOut(timeout)),
            None => thread::sleep(Duration::from_millis(1)),
        }
    };
    let (text, notes) = (text.unwrap_or_default(), notes.unwrap_or_default());
    if status.success() {
        Ok(text)
    } else {
        Err(Failure::Failed(status, notes))
    }
}

/// Reads one of the child's pipes to its end on a thread of its own,
/// keeping at most `max` bytes (the rest is read and dropped, so that the
/// child never blocks on a full pipe), and sends the result.
fn spawn_reader<R: Read + Send + 'static>(
    mut pipe: R,
    max: u64,
    tx: mpsc::Sender<Stream>,
    wrap: fn(io::Result<Vec<u8>>) -> Stream,
) -> Result<(), Failure> {
    thread::Builder::new()
        .name("ocr-read".into())
        .spawn(move || {
            let mut kept = Vec::new();
            let r = (&mut pipe)
                .take(max)
                .read_to_end(&mut kept)
                .and_then(|_| io::copy(&mut pipe, &mut io::sink()))
                .map(|_| kept);
            let _ = tx.send(wrap(r));
        })
        .map(drop)
        .map_err(Failure::Pipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_that_says_something() {
        let notes = "Estimating resolution as 321\n\n  Premature end of JPEG file \nError in pixReadMem\n";
        assert_eq!(first_line(notes), Some("Premature end of JPEG file"));
        assert_eq!(
            first_line("Estimating resolution as 70\n"),
            Some("Estimating resolution as 70")
        );
        assert_eq!(first_line(" \n"), None);
    }

    #[test]
    fn a_missing_program_is_named_with_how_to_install_it() {
        let e = || Failure::Start(io::Error::from(io::ErrorKind::NotFound));
        let default = e().message(None, Format::Jpeg);
        assert!(default.starts_with("Tesseract is not installed"), "{default}");
        assert!(default.contains("apt install tesseract-ocr"), "{default}");
        let set = e().message(Some(&OsString::from("/opt/t/tesseract")), Format::Jpeg);
        assert!(set.contains("/opt/t/tesseract") && set.contains(PROGRAM_VAR), "{set}");
        assert!(set.contains("apt install tesseract-ocr"), "{set}");
    }

    /// A script standing in for a Tesseract that never finishes, and
    /// never reads its input.
    #[cfg(unix)]
    #[test]
    fn a_program_that_hangs_is_stopped() {
        use std::os::unix::fs::PermissionsExt;
        let script = std::env::temp_dir().join(format!("primum-ocr-hang-{}", std::process::id()));
        std::fs::write(&script, "#!/bin/sh\nexec sleep 30\n").expect("temp dir writable");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let started = Instant::now();
        let r = run(
            Some(&script.clone().into_os_string()),
            vec![0; 1 << 20],
            Duration::from_millis(300),
        );
        let _ = std::fs::remove_file(&script);
        if let Err(Failure::Start(e)) = &r {
            // A temporary folder mounted noexec, say.
            eprintln!("skipped: the stand-in could not be started: {e}");
            return;
        }
        assert!(matches!(r, Err(Failure::TimedOut(_))), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        let message = Failure::TimedOut(TIMEOUT).message(None, Format::Png);
        assert!(message.contains("longer than 60 s"), "{message}");
    }
}
