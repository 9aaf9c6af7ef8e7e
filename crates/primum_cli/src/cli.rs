//! The command line: subcommands, flags and their help.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use primum_core::{AccountKind, DateTime, Platform, Severity};

use crate::printer::Format;
use crate::style::ColorChoice;

const ABOUT: &str = "Check a health professional's social-media post before it is published";

const LONG_ABOUT: &str = "\
primum checks a post for what professional guidance says should not be published: \
patient identifiers and case details, personal medical advice, self-promotion and \
testimonials, misinformation and unsourced claims, unprofessional language, and spam. \
Each finding names the rule and the guideline clause it rests on, and most come with a fix. \
Everything runs on this machine; nothing is sent anywhere.";

const AFTER_HELP: &str = "\
Examples:
  primum check draft.txt                      check one post
  echo 'Saw John Smith in bay 4' | primum check --region uk
  primum check --jsonl posts.jsonl --format json > reports.jsonl
  primum rules                                list the rules and their severities
  primum explain privacy/patient-identifier   what a rule checks and why
  primum redact note.txt                      replace identifiers by [NAME], [DATE]...
  primum audit twitter-archive.zip            audit a whole account from its data export
  primum scrub photo.jpg --out clean/         remove location and other metadata from a photo

Exit status: 0 nothing at or above --fail-on; 1 a finding at or above --fail-on;
2 a usage error, an unusable policy file, or an input that could not be read.";

#[derive(Debug, Parser)]
#[command(name = "primum", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(CheckArgs),
    Rules(RulesArgs),
    Explain(ExplainArgs),
    Redact(RedactArgs),
    Scrub(ScrubArgs),
    Eval(EvalArgs),
    Audit(AuditArgs),
}

/// The regional pack and the organisation's policy file.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Regional guidance to apply: core | us | uk | eu | au | ca | in
    /// [default: the policy file's `region`, else core]
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(["core", "us", "uk", "eu", "au", "ca", "in"]), hide_possible_values = true)]
    pub region: Option<String>,

    /// An organisation's policy file (TOML): rule switches, severities,
    /// allowed names and numbers, forbidden terms
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// Check posts and report what should not be published.
///
/// Each FILE holds one post; `-` or no FILE reads one post from standard
/// input. With --jsonl, FILE holds one post per line as a JSON object
/// (`{"id": "p1", "text": "...", "platform": "x"}`; only `text` is
/// required) and the reports come out in input order. The exit status is
/// 1 when a finding is at or above --fail-on, 2 when an input could not be
/// read (the other inputs are still checked).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum check draft.txt
  primum check --platform x --region uk draft.txt
  primum check --reply-to \"$(cat question.txt)\" answer.txt
  pbpaste | primum check -
  primum check --jsonl posts.jsonl --format json --fail-on warning
  primum check --format sarif drafts/*.txt > primum.sarif
  primum check --now 2026-11-26T12:00:00Z --format json draft.txt   (reproducible)")]
pub struct CheckArgs {
    /// Files holding one post each; `-` reads standard input [default: -]
    #[arg(value_name = "FILE", conflicts_with = "jsonl")]
    pub files: Vec<String>,

    /// Read posts from a JSONL file, one JSON object per line (`-` reads
    /// standard input)
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<String>,

    /// Attach an image to the post (repeatable; only with a single post):
    /// its metadata is checked for location, identifying details and
    /// rights claims. An image that cannot be read exits with 2
    ///
    /// The text in the picture is read by the Tesseract program (OCR,
    /// English) and checked like the post's: `tesseract` on PATH (Debian:
    /// apt install tesseract-ocr tesseract-ocr-eng), or the program the
    /// environment variable PRIMUM_TESSERACT names. Without it, or for
    /// HEIC/AVIF, a note says the text was not checked
    #[arg(long, value_name = "PATH")]
    pub image: Vec<PathBuf>,

    /// Where the post will be published: x | bluesky | threads | mastodon |
    /// instagram | linkedin | facebook | generic [default: generic]
    #[arg(long, value_name = "NAME", value_parser = platform_parser(), hide_possible_values = true)]
    pub platform: Option<Platform>,

    /// The text of the post this one replies to (for JSONL, lines without
    /// `reply_to`)
    #[arg(long, value_name = "TEXT")]
    pub reply_to: Option<String>,

    /// The account the post is published from: professional | personal |
    /// anonymous [default: the policy file's, else unknown]
    #[arg(long, value_name = "KIND", value_parser = account_parser(), hide_possible_values = true)]
    pub account: Option<AccountKind>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human (diagnostics), json (one report per post, per
    /// line), sarif (SARIF 2.1.0)
    #[arg(long, value_name = "FMT", value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 when a finding is at or above this severity: error |
    /// warning | info | never
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// The time of the check, RFC 3339 (e.g. 2026-11-26T12:00:00Z), for
    /// reproducible runs; posts' own `created_at` wins [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime>,

    /// Colour the human output: auto (on a terminal, unless NO_COLOR is
    /// set) | always | never
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The severity at which `check` exits with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// The output format of `rules` and `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Human,
    Json,
}

/// List the rules, with their severity under the selected region and policy.
///
/// Shows every rule this build implements: its id, severity, what it needs
/// (text, account), whether it is switched on, and a one-line summary.
/// The severities and switches are those the --region pack and --policy
/// file leave; `primum explain ID` tells more about one rule.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum rules
  primum rules --region us --format json
  primum rules --policy our-trust.toml")]
pub struct RulesArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human (a table) | json (an array, per CONTRACT.md)
    #[arg(long, value_name = "FMT", value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,

    /// Colour: auto | always | never
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Explain one rule: what it checks, why, an example, the fix and its options.
///
/// Prints the rule's documentation, its catalogue entry (category, default
/// severity, scope, principle), its options with their defaults and the
/// values the policy sets, and the guideline clauses the selected --region
/// cites for it. An unknown id gets the closest ids as suggestions.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum explain spam/hashtag-stuffing
  primum explain privacy/patient-identifier --region uk")]
pub struct ExplainArgs {
    /// The rule's id, as `primum rules` lists it (e.g. spam/shouting)
    #[arg(value_name = "RULE")]
    pub rule: String,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Colour: auto | always | never
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Replace every identifier of a person in a post by its [KIND] placeholder.
///
/// De-identification mode: names, dates, ages, phone numbers, addresses,
/// record numbers and the other identifier kinds are replaced by [NAME],
/// [DATE]... whoever they belong to (unlike `check`, which leaves the
/// author and colleagues alone); an organisation's public web address or
/// phone number (from --policy) is kept. Nothing else in the text changes.
/// With --jsonl, reads posts as `check --jsonl` does and prints one line
/// per post.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum redact note.txt > note.redacted.txt
  primum redact --format json - < note.txt
  primum redact --jsonl posts.jsonl --format json")]
pub struct RedactArgs {
    /// A file holding one post; `-` reads standard input [default: -]
    #[arg(value_name = "FILE", conflicts_with = "jsonl")]
    pub file: Option<String>,

    /// Read posts from a JSONL file, one JSON object per line (`-` reads
    /// standard input)
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<String>,

    /// Output format: text (the redacted text) | json (`{"id", "text",
    /// "spans"}` per post, offsets into the original text) [default: text,
    /// or json with --jsonl]
    #[arg(long, value_name = "FMT", value_enum)]
    pub format: Option<RedactFormat>,

    /// How removed identifiers are written: placeholder (`[NAME]`,
    /// `[DATE]`...) | mask (`*` for each letter and digit) | surrogate
    /// (made-up names, numbers and addresses of the same shape, the same
    /// name always becoming the same other name and all dates of a post
    /// moved by the same number of days, so a case report still reads
    /// naturally)
    #[arg(long, value_name = "STYLE", value_enum, default_value_t = RedactStyleArg::Placeholder)]
    pub style: RedactStyleArg,

    /// With --style surrogate: draw the surrogates with this number, so
    /// that a run can be repeated exactly [default: a new random number
    /// for each run]
    #[arg(long, value_name = "N", requires = "style")]
    pub seed: Option<u64>,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// The `--style` of `redact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedactStyleArg {
    Placeholder,
    Mask,
    Surrogate,
}

impl RedactStyleArg {
    /// The core's style; surrogates are drawn with `seed`, or with a
    /// random number (from the standard library's per-process hash keys)
    /// when none is given.
    pub fn style(self, seed: Option<u64>) -> primum_core::phi::RedactStyle {
        use std::hash::{BuildHasher, RandomState};
        match self {
            RedactStyleArg::Placeholder => primum_core::phi::RedactStyle::Placeholder,
            RedactStyleArg::Mask => primum_core::phi::RedactStyle::Mask,
            RedactStyleArg::Surrogate => primum_core::phi::RedactStyle::Surrogate(
                seed.unwrap_or_else(|| RandomState::new().hash_one(std::time::SystemTime::now())),
            ),
        }
    }
}

/// Remove identifying metadata from images, without re-encoding them.
///
/// Removes location, people's names, device serials, capture and edit
/// times, descriptions, comments, thumbnails and data hidden after the
/// image from JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF and GIF files. The
/// compressed picture is copied byte for byte; the orientation, the colour
/// profile and copyright notices are kept unless a --drop flag says
/// otherwise. Each cleaned file is written to a temporary file beside its
/// destination and renamed into place. A file that cannot be taken apart
/// safely is named on stderr and left untouched, the others are still
/// scrubbed, and the exit status is 2. With --check, nothing is written:
/// the image rules' findings are listed, and the exit status is 1 when
/// identifying metadata is present.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum scrub IMG_0042.jpg --out clean/
  primum scrub --in-place photos/*.heic
  primum scrub --check ward_sunrise.jpg
  primum scrub --check --format json *.jpg")]
pub struct ScrubArgs {
    /// The images to scrub
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<std::path::PathBuf>,

    /// Write each cleaned image to DIR under its own file name (DIR is
    /// created if missing)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["in_place", "check"])]
    pub out: Option<std::path::PathBuf>,

    /// Replace each image by its cleaned version
    #[arg(long, conflicts_with = "check")]
    pub in_place: bool,

    /// Only report what identifying metadata each image holds; write nothing
    #[arg(long)]
    pub check: bool,

    /// Also remove the EXIF orientation (the picture may then display
    /// sideways)
    #[arg(long)]
    pub drop_orientation: bool,

    /// Also remove the ICC colour profile (colours may then shift)
    #[arg(long)]
    pub drop_icc: bool,

    /// Also remove copyright notices (removing someone else's rights
    /// information can itself break copyright law)
    #[arg(long)]
    pub drop_copyright: bool,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human | json (one object per image, per line)
    #[arg(long, value_name = "FMT", value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedactFormat {
    Text,
    Json,
}

/// Score the checker on a labelled corpus.
///
/// FILE is JSONL in the format of the labelled posts (each line a post
/// with `expect`, `expect_any`, `allow` and `phi` labels). Prints rule
/// recall (micro-averaged over expected post-rule pairs) and recall per
/// rule, the false-alarm rate on clean posts (with the offending posts),
/// identifier character recall, and each rule's false alarms on all posts.
/// With --min-recall and --max-false-alarms it exits with 1 when the
/// figures are worse, for CI.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Examples:
  primum eval ../shared/data/posts/dev.jsonl
  primum eval corpus.jsonl --region uk --format json
  primum eval corpus.jsonl --min-recall 0.8 --max-false-alarms 0.1
  primum eval phi ../shared/data/phi/*.jsonl"
)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub corpus: Option<EvalCorpus>,

    /// The labelled corpus (JSONL; `-` reads standard input)
    #[arg(value_name = "FILE", required = true)]
    pub file: Option<String>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human | json
    #[arg(long, value_name = "FMT", value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,

    /// Exit with 1 when rule recall is below this fraction (0 to 1)
    #[arg(long, value_name = "X", value_parser = parse_fraction)]
    pub min_recall: Option<f64>,

    /// Exit with 1 when the clean-post false-alarm rate is above this
    /// fraction (0 to 1)
    #[arg(long, value_name = "Y", value_parser = parse_fraction)]
    pub max_false_alarms: Option<f64>,

    /// The time of the check, RFC 3339, for posts without `created_at`
    /// [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime>,

    /// List only the rules whose id starts with PREFIX (e.g. `privacy/`)
    /// in the table, the misses and the false alarms; the three totals
    /// stay those of the whole corpus
    #[arg(long, value_name = "PREFIX")]
    pub rule: Option<String>,
}

/// Other kinds of labelled corpus `eval` scores.
#[derive(Debug, Subcommand)]
pub enum EvalCorpus {
    Phi(EvalPhiArgs),
}

/// Score `primum redact` on identifier corpora: JSONL of {"id", "text",
/// "spans": [{"start", "end", "label"}]} with offsets in Unicode scalar
/// values (the format of ../shared/data/phi/). Prints, per corpus and per
/// label, exact-span and any-overlap precision, recall, F1 and F2,
/// character recall and precision and token recall, computed as
/// ../shared/peers/phi_peers.py computes them for the peers (matching is
/// label-agnostic; don't-care labels are neither hits nor false alarms),
/// and the redaction speed.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum eval phi ../shared/data/phi/presidio_synth_v2.jsonl
  primum eval phi ../shared/data/phi/*.jsonl --format json
  primum eval phi notes.jsonl --min-f2 0.9")]
pub struct EvalPhiArgs {
    /// The labelled corpora (JSONL)
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    pub files: Vec<String>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human | json
    #[arg(long, value_name = "FMT", value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,

    /// Labels scored as don't-care: their spans are neither hits nor misses,
    /// and predictions on them are neither hits nor false alarms
    #[arg(long, value_name = "LABEL", value_delimiter = ',', default_value = "OTHER")]
    pub dont_care: Vec<String>,

    /// Exit with 1 when a corpus's any-overlap F2 is below this (0 to 1)
    #[arg(long, value_name = "X", value_parser = parse_fraction)]
    pub min_f2: Option<f64>,
}

/// Audit an account's whole history from the platform's data export.
///
/// EXPORT is the archive as the platform gives it (an X or Mastodon zip, a
/// Mastodon tar.gz, a Bluesky .car, a LinkedIn zip or Shares.csv, a
/// Facebook or Instagram JSON export, JSONL or CSV of posts), or its
/// unpacked folder; the platform is detected from the contents. Every post
/// is checked by the text rules, and the history by the history rules
/// (duplicates, cadence, self-likes, posting on duty, privacy settings).
/// The export is only read, never changed. Exit status: 2 when part of the
/// export could not be read (the report covers the rest and says
/// `partial`), else 1 when a finding is at or above --fail-on, else 0.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  primum audit twitter-2024-01-01.zip
  primum audit mastodon-archive.tar.gz --format json > audit.json
  primum audit repo.car --policy our-trust.toml --format html --out audit.html")]
pub struct AuditArgs {
    /// The export: a zip, tar.gz, .car, JSONL or CSV file, or a folder
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: human (a summary) | json (primum.audit.v1) | html (a
    /// self-contained page)
    #[arg(long, value_name = "FMT", value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,

    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Exit with 1 when a finding is at or above this severity: error |
    /// warning | info | never
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// The time of the audit, RFC 3339, for reproducible runs [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime>,

    /// Colour the human output: auto | always | never
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The output format of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Human,
    Json,
    Html,
}

fn platform_parser() -> impl TypedValueParser<Value = Platform> {
    let values = Platform::ALL.map(|p| {
        let v = PossibleValue::new(p.as_str());
        if p == Platform::X { v.alias("twitter") } else { v }
    });
    PossibleValuesParser::new(values).map(|s| Platform::parse(&s).expect("a listed platform"))
}

fn account_parser() -> impl TypedValueParser<Value = AccountKind> {
    PossibleValuesParser::new(AccountKind::ALL.map(AccountKind::as_str))
        .map(|s| AccountKind::parse(&s).expect("a listed account kind"))
}

fn parse_now(s: &str) -> Result<DateTime, String> {
    DateTime::parse(s).ok_or_else(|| format!("`{s}` is not an RFC 3339 time (like 2026-11-26T12:00:00Z)"))
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a fraction between 0 and 1 (e.g. 0.8)")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
