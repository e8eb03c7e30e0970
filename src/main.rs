//! The `shipgate` binary: parse the command line, set up logging, run, map errors to exit codes.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command, InspectArgs, OutputFormat};
use shipgate::ingest::{self, IngestError, PathResolver};
use shipgate::render;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    init_tracing();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(exit_code(&e))
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SHIPGATE_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .unwrap_or_else(|| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !s.contains(&c) {
            s.push_str(": ");
            s.push_str(&c);
        }
    }
    s.replace('\n', " ")
}

/// 2 for unreadable input or usage; 1 otherwise.
fn exit_code(e: &anyhow::Error) -> u8 {
    if e.chain().any(|c| c.is::<IngestError>()) {
        2
    } else {
        1
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Inspect(args) => inspect(args),
    }
}

fn inspect(args: InspectArgs) -> Result<ExitCode> {
    let root = match &args.root {
        Some(r) => r.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let resolver = PathResolver::new(&root);
    let bundle = ingest::read_all(&args.files, args.input_format, &resolver)?;
    let missing = bundle.missing_files(&resolver);
    if !missing.is_empty() {
        tracing::warn!(
            "{} file(s) named by the reports are not in the repository at {}",
            missing.len(),
            resolver.root()
        );
    }
    let json = args.json || args.format == OutputFormat::Json;
    let out = if json {
        let mut s = serde_json::to_string_pretty(&render::inspect::report(&bundle, &missing))?;
        s.push('\n');
        s
    } else {
        render::inspect::text(&bundle, &missing, resolver.root())
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write to stdout");
    }
    Ok(ExitCode::SUCCESS)
}
