//! Loading the lexicon data files (`lexicons/*.csv`, compiled into the
//! binary). See `lexicons/README.md` for each file's source and licence.

pub use primum_text::parse_csv;

/// Includes a lexicon file from `crates/primum_core/lexicons/` and parses
/// it: `lexicon_rows!("jargon.csv")` gives its rows as `Vec<Vec<String>>`.
#[macro_export]
macro_rules! lexicon_rows {
    ($file:literal) => {
        $crate::lexicons::parse_csv(
            $file,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons/", $file)),
        )
    };
}
