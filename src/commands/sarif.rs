//! `shipgate sarif convert|merge|validate` (`upload` is in `publish.rs`).

use super::{repo_root, write_stdout};
use crate::cli::{ConvertArgs, MergeArgs, OutputFormat, ValidateArgs};
use anyhow::{Context, Result};
use shipgate::ingest::{self, PathResolver};
use std::io::Write;
use std::process::ExitCode;

/// The tool a format's reports come from, for the empty run of a clean report.
pub fn sarif_convert(a: ConvertArgs) -> Result<ExitCode> {
    use shipgate::sarif::{self, Repo, Summary, build, limits::Limits};
    let root = repo_root(a.root.clone())?;
    let resolver = PathResolver::new(&root);
    let mut findings = Vec::new();
    let mut tools: Vec<String> = Vec::new();
    for p in ingest::expand(&a.inputs)? {
        let ing = ingest::read_path(&p, a.input_format, &resolver)?;
        match ing.report {
            ingest::Report::Findings(f) => {
                if f.items.is_empty()
                    && let Some(t) = ingest::Format::tool(ing.format)
                {
                    tools.push(t.to_string());
                }
                findings.extend(f.items);
            }
            _ => anyhow::bail!(
                "{}: a {} report holds no findings; sarif convert takes lint, type-checker and security reports",
                ing.path,
                ing.format.name()
            ),
        }
    }
    let repo = Repo::new(&root);
    let mut summary = Summary {
        output: a.output.clone(),
        ..Default::default()
    };
    let opts = build::Options {
        category: a.category.clone(),
        min_severity: a.min_severity,
    };
    let mut log = build::build_with_tools(&findings, &tools, &repo, &opts, &mut summary);
    let bytes = sarif::finish(&mut log, &repo, &Limits::default(), true, &mut summary)?;
    write_sarif(&a.output, &bytes)?;
    print_summary(&a.output, a.format, &summary)?;
    Ok(ExitCode::SUCCESS)
}

pub fn sarif_merge(a: MergeArgs) -> Result<ExitCode> {
    use shipgate::sarif::{self, Repo, Summary, fastmerge, limits::Limits, merge};
    let root = repo_root(a.root.clone())?;
    let paths = ingest::expand(&a.inputs)?;
    let repo = Repo::new(&root);
    let lim = Limits::default();
    let mut summary = Summary {
        output: a.output.clone(),
        ..Default::default()
    };
    // The fast path streams the output; it hands anything unusual to the general path.
    let output = a.output.clone();
    let mut open = || -> std::io::Result<Box<dyn Write>> {
        if output == "-" {
            Ok(Box::new(StdoutSink(std::io::stdout().lock())))
        } else {
            Ok(Box::new(std::fs::File::create(&output)?))
        }
    };
    let fast = fastmerge::merge_files(
        &paths,
        &root,
        &repo,
        &lim,
        &a.output,
        &mut open,
        &mut summary,
    )?;
    if fast.is_none() {
        let mut logs = Vec::new();
        for p in &paths {
            logs.push(merge::read_log(p)?);
        }
        let mut log = merge::merge(logs, &root, &mut summary);
        // Merges can be large: compact JSON (GitHub compresses it anyway).
        let bytes = sarif::finish(&mut log, &repo, &lim, false, &mut summary)?;
        write_sarif(&a.output, &bytes)?;
        // The process ends here: freeing a log of many small allocations one by one would
        // take longer than the merge itself.
        std::mem::forget(log);
        std::mem::forget(std::mem::take(&mut summary.discarded));
    }
    print_summary(&a.output, a.format, &summary)?;
    Ok(ExitCode::SUCCESS)
}

/// Standard output for the SARIF: a reader that went away (`| head`) is not an error.
struct StdoutSink<'a>(std::io::StdoutLock<'a>);

impl Write for StdoutSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            r => r,
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        }
    }
}

pub fn sarif_validate(a: ValidateArgs) -> Result<ExitCode> {
    use shipgate::sarif::validate;
    let report = validate::validate_file(&a.file, &validate::Options::default())?;
    let out = match a.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
        OutputFormat::Text => report.text(),
    };
    write_stdout(&out)?;
    Ok(if report.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_sarif(output: &str, bytes: &[u8]) -> Result<()> {
    if output == "-" {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(bytes).and_then(|_| stdout.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return Err(e).context("cannot write to stdout");
        }
        return Ok(());
    }
    std::fs::write(output, bytes).with_context(|| format!("{output}: cannot write the SARIF"))
}

/// The summary on stdout, or on stderr when stdout carries the SARIF.
fn print_summary(
    output: &str,
    format: OutputFormat,
    summary: &shipgate::sarif::Summary,
) -> Result<()> {
    let text = match format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(summary)?;
            s.push('\n');
            s
        }
        OutputFormat::Text => summary.text(),
    };
    if output == "-" {
        eprint!("{text}");
        Ok(())
    } else {
        write_stdout(&text)
    }
}
