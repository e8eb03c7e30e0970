//! The command line: commands and flags. Every flag can also come from the environment
//! (the Action passes inputs as `INPUT_*` variables).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes: 0 success (gate passed); 1 the gate failed or the checked thing is bad; \
2 usage, configuration or unreadable input.\nLogs go to stderr (SHIPGATE_LOG=debug); stdout carries only what was asked for.";

/// Decide from CI's reports whether a change may ship.
#[derive(Debug, Parser)]
#[command(name = "shipgate", version, about, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// shipgate's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read report files and show what was found: format, coverage, test and finding totals.
    Inspect(InspectArgs),
}

/// Output formats of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable text.
    Text,
    /// JSON for scripts.
    Json,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Report files or glob patterns (quote globs: 'reports/**/*.xml').
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Read every file as this format instead of detecting it from content.
    #[arg(long = "input-format", value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<shipgate::ingest::Format>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", env = "SHIPGATE_FORMAT")]
    pub format: OutputFormat,
    /// Shorthand for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Repository root that report paths are made relative to (default: $GITHUB_WORKSPACE,
    /// else the current directory).
    #[arg(long, value_name = "DIR", env = "GITHUB_WORKSPACE")]
    pub root: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<shipgate::ingest::Format, String> {
    shipgate::ingest::Format::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = shipgate::ingest::Format::ALL
            .iter()
            .map(|f| f.name())
            .collect();
        format!("unknown format; expected one of: {}", names.join(", "))
    })
}
