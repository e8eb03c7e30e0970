//! The deployment commands of the binary: their flags and the code that prints.

use crate::cli::OutputFormat;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use shipgate::deploy::{health, version};
use shipgate::runner::{GithubContext, output};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DeployCommand,
}

/// `deploy` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// The version and environment of a release tag: `v1.2.3` → production, `v1.2.3-rc.1` →
    /// staging; an invalid tag is an error (exit 2). In Actions also writes the outputs
    /// `version`, `tag`, `environment` and `prerelease`.
    #[command(after_help = "Exit codes: 0 a release tag; 2 not one (the message says why).")]
    Version(VersionArgs),
}

/// How tags map to versions and environments.
#[derive(Debug, Args, Clone)]
pub struct TagArgs {
    /// The tag (`v1.2.3`) or ref (`refs/tags/v1.2.3`); default: $GITHUB_REF.
    #[arg(long, value_name = "TAG", env = "GITHUB_REF")]
    pub tag: Option<String>,
    /// What precedes the version in a tag.
    #[arg(long = "tag-prefix", value_name = "PREFIX", default_value = "v")]
    pub prefix: String,
    /// Environment of release versions.
    #[arg(
        long = "release-environment",
        value_name = "NAME",
        default_value = "production"
    )]
    pub release_environment: String,
    /// Environment of prerelease versions (unless --prerelease-map says otherwise).
    #[arg(
        long = "prerelease-environment",
        value_name = "NAME",
        default_value = "staging"
    )]
    pub prerelease_environment: String,
    /// Environment per prerelease identifier, like `beta=qa` (repeatable).
    #[arg(long = "prerelease-map", value_name = "IDENT=ENV")]
    pub prerelease_map: Vec<String>,
}

impl TagArgs {
    /// The version and its environment.
    pub fn resolve(&self) -> Result<(version::Version, String)> {
        let Some(tag) = self.tag.as_deref().filter(|t| !t.trim().is_empty()) else {
            anyhow::bail!("no tag: give --tag or run on a tag push (GITHUB_REF=refs/tags/v...)");
        };
        let v = version::Version::parse(tag, &self.prefix)?;
        let map = version::EnvironmentMap {
            release: self.release_environment.clone(),
            prerelease: self.prerelease_environment.clone(),
            ..Default::default()
        }
        .with_mappings(&self.prerelease_map)
        .map_err(|m| anyhow::anyhow!("--prerelease-map {m}"))?;
        let env = map.environment(&v).to_string();
        Ok((v, env))
    }
}

/// Arguments of `deploy version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// The tag and its mapping.
    #[command(flatten)]
    pub tag: TagArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `environment`.
#[derive(Debug, Args)]
pub struct EnvironmentArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: EnvironmentCommand,
}

/// The default environments file.
pub const ENVIRONMENTS_FILE: &str = ".github/environments.yml";

/// `environment` subcommands.
#[derive(Debug, Subcommand)]
pub enum EnvironmentCommand {
    /// Print the JSON Schema of the environments file.
    Schema,
    /// Check an environments file without calling GitHub: reviewers at most 6, wait timer
    /// 0-43,200 minutes, protected-branches and custom-policies exclusive (exit 2 with the
    /// line, column and key of a problem).
    Check {
        /// The file (YAML, or JSON when it ends in .json).
        #[arg(value_name = "FILE", default_value = ENVIRONMENTS_FILE)]
        file: PathBuf,
    },
}

/// Arguments of `health`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every URL healthy; 1 some URL not healthy by the deadline; 2 usage (bad URL, flag or CA file).\n\
A URL is healthy when --probes probes in a row pass and their p95 latency is within --max-p95."
)]
pub struct HealthArgs {
    /// URLs to probe (GET), checked concurrently.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
    /// Statuses that pass (redirects are followed).
    #[arg(long = "expect-status", value_name = "CODES", default_value = "200-299", value_parser = health::StatusSet::parse)]
    pub expect_status: health::StatusSet,
    /// A regular expression the body must match.
    #[arg(long = "body-regex", value_name = "REGEX", value_parser = parse_regex)]
    pub body_regex: Option<regex::Regex>,
    /// A JSON field the body must have: `status=ok`, `checks.db.up=true` (repeatable).
    #[arg(long = "json-field", value_name = "PATH=VALUE", value_parser = health::JsonCheck::parse)]
    pub json_field: Vec<health::JsonCheck>,
    /// Pause between probes.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = health::parse_duration)]
    pub interval: std::time::Duration,
    /// Time allowed in all, per URL.
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = health::parse_duration)]
    pub deadline: std::time::Duration,
    /// Time allowed for one request.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = health::parse_duration)]
    pub timeout: std::time::Duration,
    /// Passing probes in a row needed; their latencies are the p95 sample.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub probes: u32,
    /// Budget for the p95 latency of the probes (like 300ms).
    #[arg(long = "max-p95", value_name = "DURATION", value_parser = health::parse_duration)]
    pub max_p95: Option<std::time::Duration>,
    /// PEM file of CA certificates to trust instead of the system's roots.
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

fn parse_regex(s: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(s).map_err(|e| e.to_string().replace('\n', " "))
}

impl HealthArgs {
    /// The library's options.
    pub fn options(&self) -> health::Options {
        health::Options {
            expect: self.expect_status.clone(),
            body_regex: self.body_regex.clone(),
            json: self.json_field.clone(),
            interval: self.interval,
            deadline: self.deadline,
            timeout: self.timeout,
            probes: self.probes,
            p95_budget: self.max_p95,
            ca_file: self.ca_file.clone(),
        }
    }
}

/// A runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn print(s: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write to stdout");
    }
    Ok(())
}

fn json_line(v: &impl serde::Serialize) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

/// `health`.
pub fn health_cmd(args: HealthArgs) -> Result<ExitCode> {
    let opts = args.options();
    let report = runtime()?.block_on(health::check(&args.urls, &opts))?;
    match args.format {
        OutputFormat::Json => print(&json_line(&report)?)?,
        OutputFormat::Text => print(&report.text())?,
    }
    Ok(if report.healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `environment ...`.
pub fn environment_cmd(args: EnvironmentArgs) -> Result<ExitCode> {
    use shipgate::deploy::environment::EnvironmentsFile;
    match args.command {
        EnvironmentCommand::Schema => print(&json_line(&EnvironmentsFile::schema())?)?,
        EnvironmentCommand::Check { file } => {
            let f = EnvironmentsFile::load(&file)?;
            let names: Vec<&str> = f.environments.keys().map(String::as_str).collect();
            print(&format!("{}: ok ({})\n", file.display(), names.join(", ")))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `deploy ...`.
pub fn deploy_cmd(args: DeployArgs) -> Result<ExitCode> {
    match args.command {
        DeployCommand::Version(a) => version_cmd(a),
    }
}

fn version_cmd(a: VersionArgs) -> Result<ExitCode> {
    let (v, env) = a.tag.resolve()?;
    let fields = [
        ("version".to_string(), v.number()),
        ("tag".to_string(), v.tag.clone()),
        ("environment".to_string(), env.clone()),
        ("prerelease".to_string(), v.is_prerelease().to_string()),
    ];
    match a.format {
        OutputFormat::Json => {
            let obj: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            print(&json_line(&obj)?)?;
        }
        OutputFormat::Text => print(&format!(
            "{} → {env}{}\n",
            v.tag,
            if v.is_prerelease() {
                " (prerelease)"
            } else {
                ""
            }
        ))?,
    }
    let gh = GithubContext::from_vars(|k| std::env::var(k).ok());
    if gh.actions
        && let Some(p) = &gh.output
    {
        output::write_outputs(p, &fields, &mut output::OsRandom)?;
    }
    Ok(ExitCode::SUCCESS)
}
