//! `shipgate inspect`.

use super::write_stdout;
use crate::cli::{InspectArgs, OutputFormat};
use anyhow::{Context, Result};
use shipgate::ingest::{self, PathResolver};
use shipgate::render;
use std::process::ExitCode;

pub fn inspect(args: InspectArgs) -> Result<ExitCode> {
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
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
