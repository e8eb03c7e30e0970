//! The `shipgate` binary: parse the command line, set up logging, run, map errors to exit codes.
//! The commands themselves are in `commands/` (one module per command family).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;

use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command, ConfigCommand, SarifCommand};
use commands::{config, deploy, gate, inspect, publish, sarif};
use shipgate::ingest::IngestError;
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
    // octocrab and reqwest both use rustls; exactly one crypto provider (ring) is compiled in and
    // installed here, before any client exists.
    shipgate::install_crypto_provider();
    // The gate and config commands report every error as a usage, configuration or input
    // problem (2); their "checked thing is bad" outcome is a verdict, returned as 1.
    let always_2 = !matches!(cli.command, Command::Inspect(_));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(if always_2 { 2 } else { exit_code(&e) })
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SHIPGATE_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        // octocrab logs every failed request at error level; shipgate reports each failure
        // itself, once, as a warning or notice.
        .unwrap_or_else(|| "warn,octocrab=off".into());
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
        Command::Inspect(args) => inspect::inspect(args),
        Command::Gate(args) => gate::gate_cmd(*args),
        Command::Config(args) => match args.command {
            ConfigCommand::Schema { report } => config::schema(report),
            ConfigCommand::Check { file, root } => config::config_check(file, root),
        },
        Command::Sarif(args) => match args.command {
            SarifCommand::Convert(a) => sarif::sarif_convert(a),
            SarifCommand::Merge(a) => sarif::sarif_merge(a),
            SarifCommand::Validate(a) => sarif::sarif_validate(a),
            SarifCommand::Upload(a) => publish::sarif_upload(a),
        },
        Command::Publish(a) => publish::publish_cmd(a),
        Command::Deploy(args) => deploy::deploy_cmd(args),
        Command::Health(args) => deploy::health_cmd(*args),
        Command::Environment(args) => deploy::environment_cmd(args),
        Command::Approvals(args) => deploy::approvals_cmd(args),
        Command::Release(args) => deploy::release_cmd(args),
    }
}
