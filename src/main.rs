//! The `shipgate` binary: parse the command line, set up logging, run, map errors to exit codes.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{
    Cli, Command, ConfigCommand, ConvertArgs, GateArgs, GateFormat, InspectArgs, MergeArgs,
    OutputFormat, SarifCommand, ValidateArgs,
};
use shipgate::gate::config::Config;
use shipgate::gate::inputs::{self, Input, Origin, Role};
use shipgate::gate::verdict::EnvironmentChoice;
use shipgate::gate::{self, report};
use shipgate::ingest::{self, IngestError, PathResolver};
use shipgate::render;
use shipgate::runner::{self, GithubContext, commands, output};
use std::io::Write;
use std::path::{Path, PathBuf};
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
        Command::Gate(args) => gate_cmd(args),
        Command::Config(args) => match args.command {
            ConfigCommand::Schema { report } => {
                let schema = if report {
                    report::schema()
                } else {
                    Config::schema()
                };
                let mut s = serde_json::to_string_pretty(&schema)?;
                s.push('\n');
                write_stdout(&s)?;
                Ok(ExitCode::SUCCESS)
            }
            ConfigCommand::Check { file, root } => config_check(file, root),
        },
        Command::Sarif(args) => match args.command {
            SarifCommand::Convert(a) => sarif_convert(a),
            SarifCommand::Merge(a) => sarif_merge(a),
            SarifCommand::Validate(a) => sarif_validate(a),
        },
    }
}

/// The tool a format's reports come from, for the empty run of a clean report.
fn sarif_convert(a: ConvertArgs) -> Result<ExitCode> {
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

fn sarif_merge(a: MergeArgs) -> Result<ExitCode> {
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

fn sarif_validate(a: ValidateArgs) -> Result<ExitCode> {
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
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn write_stdout(out: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write to stdout");
    }
    Ok(())
}

/// An Action input (`INPUT_<NAME>`), unset when empty.
fn action_input(name: &str) -> Option<String> {
    std::env::var(format!("INPUT_{}", name.replace(' ', "_").to_uppercase()))
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// An Action input holding a list: one item per line or per comma.
fn action_list(name: &str) -> Vec<String> {
    action_input(name)
        .map(|v| {
            v.split(['\n', ','])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn repo_root(arg: Option<PathBuf>) -> Result<PathBuf> {
    match arg {
        Some(r) => Ok(r),
        None => std::env::current_dir().context("cannot read the current directory"),
    }
}

/// The default config locations under the root, in the order they are tried.
const CONFIG_NAMES: &[&str] = &[".quality-gates.config.json", ".github/quality-gates.json"];

/// The config file to use: the one given, else the first default location that exists.
fn config_path(given: Option<PathBuf>, root: &Path) -> Option<PathBuf> {
    given.or_else(|| {
        CONFIG_NAMES
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file())
    })
}

fn load_config(path: Option<&Path>) -> Result<(Config, Vec<u8>, String)> {
    match path {
        Some(p) => {
            let (cfg, bytes) = Config::load(p)?;
            for w in &cfg.warnings {
                tracing::warn!("{w}");
            }
            Ok((cfg, bytes, p.display().to_string()))
        }
        None => Ok((Config::default(), Vec::new(), "defaults".into())),
    }
}

fn config_check(file: Option<PathBuf>, root: Option<PathBuf>) -> Result<ExitCode> {
    let root = repo_root(root)?;
    let Some(path) = config_path(file, &root) else {
        anyhow::bail!(
            "no config file given and none at {} under {}",
            CONFIG_NAMES.join(" or "),
            root.display()
        );
    };
    let (cfg, _, shown) = load_config(Some(&path))?;
    let mut out = format!("{shown}: ok\n");
    for name in cfg.environment_names() {
        let t = cfg
            .thresholds(name)
            .map_err(|m| anyhow::anyhow!("{shown}: {m}"))?;
        let f = |x: Option<f64>| x.map_or_else(|| "-".into(), gate::score::num);
        out.push_str(&format!(
            "  {name}: quality {}, security {}, coverage {}, performance {}\n",
            f(t.quality),
            f(t.security),
            f(t.coverage),
            f(t.performance)
        ));
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The reports to read, per role, and the metrics files: flags, `INPUT_*` variables and the
/// config's `inputs` (relative to the root) together; with none of them, the reports found at
/// conventional locations (listed on stderr).
fn gate_inputs(
    args: &GateArgs,
    cfg: &Config,
    root: &Path,
    cwd: &Path,
) -> (Vec<Input>, Vec<String>) {
    let mut list: Vec<Input> = Vec::new();
    let from_config = |p: &String| {
        if Path::new(p).is_absolute() || root == cwd {
            p.clone()
        } else {
            root.join(p).display().to_string()
        }
    };
    for (role, flag, conf) in [
        (Role::Coverage, &args.coverage, &cfg.inputs.coverage),
        (Role::Tests, &args.tests, &cfg.inputs.tests),
        (Role::Findings, &args.findings, &cfg.inputs.findings),
        (Role::Security, &args.security, &cfg.inputs.security),
        (
            Role::Documentation,
            &args.documentation,
            &cfg.inputs.documentation,
        ),
    ] {
        for p in flag {
            list.push(Input {
                role,
                pattern: p.clone(),
                origin: Origin::Flag,
            });
        }
        let var = format!("INPUT_{}", role.name().to_uppercase());
        for p in action_list(role.name()) {
            list.push(Input {
                role,
                pattern: p,
                origin: Origin::Env(var.clone()),
            });
        }
        for p in conf {
            list.push(Input {
                role,
                pattern: from_config(p),
                origin: Origin::Config,
            });
        }
    }
    let mut metrics: Vec<String> = args.metrics.clone();
    metrics.extend(action_list("metrics"));
    metrics.extend(cfg.inputs.metrics.iter().map(from_config));
    if list.is_empty() {
        list = inputs::discover(root);
        if list.is_empty() {
            eprintln!(
                "found no report at the conventional locations under {}",
                root.display()
            );
        } else {
            eprintln!("found {} report(s) at conventional locations:", list.len());
            for i in &list {
                let shown = Path::new(&i.pattern)
                    .strip_prefix(root)
                    .map_or_else(|_| i.pattern.clone(), |p| p.display().to_string());
                eprintln!("  {:<9} {shown}", i.role.name());
            }
        }
    }

    (list, metrics)
}

fn gate_cmd(args: GateArgs) -> Result<ExitCode> {
    let root = repo_root(args.root.clone())?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let gh = GithubContext::from_vars(|k| std::env::var(k).ok());

    let given_config = args
        .config
        .clone()
        .or_else(|| action_input("config").map(PathBuf::from));
    let cfg_path = config_path(given_config, &root);
    let (cfg, cfg_bytes, cfg_source) = load_config(cfg_path.as_deref())?;
    eprintln!("config: {cfg_source}");

    let env = match args
        .environment
        .clone()
        .map(|e| (e, "--environment"))
        .or_else(|| action_input("environment").map(|e| (e, "INPUT_ENVIRONMENT")))
    {
        Some((name, from)) => EnvironmentChoice {
            name,
            reason: format!("set by {from}"),
        },
        None => {
            let branch = gh.default_branch();
            runner::derive_environment(&gh, branch.as_deref())
        }
    };
    eprintln!("environment: {} ({})", env.name, env.reason);

    let (list, metrics) = gate_inputs(&args, &cfg, &root, &cwd);

    let resolver = PathResolver::new(&root);
    let gathered = inputs::gather(&list, &metrics, &resolver, &root)?;
    for s in &gathered.skipped {
        eprintln!("skipped: {s}");
    }
    let missing = gathered.bundle.missing_files(&resolver);
    if !missing.is_empty() {
        tracing::warn!(
            "{} file(s) named by the reports are not in the repository at {}",
            missing.len(),
            resolver.root()
        );
    }
    let evidence = gathered.evidence();
    let verdict = gate::evaluate(&cfg, env, &evidence)?;

    let report_path = args
        .report
        .clone()
        .or_else(|| action_input("report").map(PathBuf::from));
    let needs_report = report_path.is_some() || args.format == GateFormat::Json;
    let report_json = if needs_report {
        let ctx = report::Context {
            config: &cfg,
            config_source: cfg_source.clone(),
            config_bytes: &cfg_bytes,
            commit: gh.sha.clone(),
            git_ref: gh.git_ref.clone(),
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs()),
            metrics: &gathered.metrics,
        };
        let r = report::build(&verdict, &gathered.bundle, &ctx);
        let mut s = serde_json::to_string_pretty(&r)?;
        s.push('\n');
        Some(s)
    } else {
        None
    };
    if let (Some(p), Some(json)) = (&report_path, &report_json) {
        std::fs::write(p, json)
            .with_context(|| format!("{}: cannot write the report", p.display()))?;
        eprintln!("report: {}", p.display());
    }

    let out = match args.format {
        GateFormat::Text => {
            use std::io::IsTerminal;
            let color = shipgate::render::terminal::use_color(
                std::env::var("NO_COLOR").ok().as_deref(),
                std::env::var("FORCE_COLOR").ok().as_deref(),
                std::io::stdout().is_terminal(),
            );
            shipgate::render::terminal::render(&verdict, color)
        }
        GateFormat::Json => report_json.clone().unwrap_or_default(),
        GateFormat::Markdown => shipgate::render::markdown::render(&verdict, output::SUMMARY_LIMIT),
    };
    write_stdout(&out)?;

    if gh.actions {
        // The runner reads workflow commands from stderr as well as stdout; stderr keeps
        // stdout for what was asked.
        for a in commands::annotations(&verdict.problems) {
            eprintln!("{a}");
        }
        if let Some(p) = &gh.output {
            let shown = report_path.as_ref().map(|p| p.display().to_string());
            output::write_outputs(
                p,
                &runner::step_outputs(&verdict, shown.as_deref()),
                &mut output::OsRandom,
            )?;
        }
        if let Some(p) = &gh.step_summary {
            let existing = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let md = shipgate::render::markdown::render(&verdict, output::summary_budget(existing));
            output::append(p, &md)?;
        }
    }
    Ok(if verdict.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
