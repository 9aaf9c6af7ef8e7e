//! Terminal colours: ANSI escapes when the output is a terminal (or the
//! user asks), nothing otherwise. Hand-written because seven escape codes
//! do not need a dependency.

use std::io::IsTerminal;

use clap::ValueEnum;
use primum_core::Severity;

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour stdout.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Styles for the human printer; all empty when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    pub fn new(on: bool) -> Style {
        Style { on }
    }

    fn code(&self, c: &'static str) -> &'static str {
        if self.on { c } else { "" }
    }

    pub fn reset(&self) -> &'static str {
        self.code("\x1b[0m")
    }

    pub fn bold(&self) -> &'static str {
        self.code("\x1b[1m")
    }

    /// The gutter, arrows and `=` labels.
    pub fn accent(&self) -> &'static str {
        self.code("\x1b[1;34m")
    }

    pub fn good(&self) -> &'static str {
        self.code("\x1b[1;32m")
    }

    pub fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Error => self.code("\x1b[1;31m"),
            Severity::Warning => self.code("\x1b[1;33m"),
            Severity::Info => self.code("\x1b[1;36m"),
        }
    }
}
