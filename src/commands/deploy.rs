//! The deployment commands of the binary: their flags and the code that prints.

#![allow(clippy::print_stderr)]

use super::{action_input, action_list};
use crate::cli::OutputFormat;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use shipgate::deploy::{
    apply, approvals, changelog, health, lifecycle, notify, release, run, version,
};
use shipgate::runner::{GithubContext, output};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `deploy`.
#[derive(Debug, Args)]
#[command(
    after_help = "Without a subcommand (the Action's `command: deploy`): `deploy run` from the Action's inputs: \
INPUT_DEPLOY_COMMAND (run with sh -c), INPUT_ENVIRONMENT, INPUT_URL, INPUT_HEALTH_URL (one per line), \
INPUT_HEALTH_TIMEOUT (seconds), INPUT_VERSION, INPUT_WEBHOOK_URL."
)]
pub struct DeployArgs {
    /// What to do; without it, `run` from the Action's inputs.
    #[command(subcommand)]
    pub command: Option<DeployCommand>,
}

/// `deploy` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// The version and environment of a release tag: `v1.2.3` → production, `v1.2.3-rc.1` →
    /// staging; an invalid tag is an error (exit 2). In Actions also writes the outputs
    /// `version`, `tag`, `environment` and `prerelease`.
    #[command(after_help = "Exit codes: 0 a release tag; 2 not one (the message says why).")]
    Version(VersionArgs),
    /// Create a GitHub deployment, set it in_progress (log: the workflow run), run the deploy
    /// command streaming its output, run the health checks, then set success (with --url) or
    /// failure/error (running --rollback on failure). SIGINT/SIGTERM are passed to the command
    /// and end the deployment as `error`, never `in_progress`.
    #[command(
        after_help = "Exit codes: 0 deployed; 1 the command, the health checks or GitHub failed (rollback reported); 128+N after signal N; 2 usage.\n\
Example: shipgate deploy run --environment staging --url https://staging.example.com --health https://staging.example.com/healthz --rollback './deploy.sh --previous' -- ./deploy.sh"
    )]
    Run(Box<RunArgs>),
    /// Create a deployment and set it in_progress, for workflows that deploy in several steps;
    /// prints the id and writes the output `deployment-id` (finish it with `deploy finish`).
    Start(StartArgs),
    /// Write the final status of a deployment made by `deploy start`.
    Finish(FinishArgs),
}

/// How the deployment is created (`deploy run` and `deploy start`).
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The environment; default: the one the tag maps to (`v1.2.3` → production,
    /// `v1.2.3-rc.1` → staging). Env: INPUT_ENVIRONMENT.
    #[arg(long, value_name = "NAME", env = "INPUT_ENVIRONMENT")]
    pub environment: Option<String>,
    /// What to deploy: branch, tag or sha (default: $GITHUB_SHA).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    /// Status contexts that must be green first (repeatable); none by default.
    #[arg(long = "required-context", value_name = "CONTEXT")]
    pub required_contexts: Vec<String>,
    /// Mark the environment as production (default: when it is the release environment).
    #[arg(long = "production-environment", value_name = "BOOL")]
    pub production: Option<bool>,
    /// Mark the environment as transient (review apps).
    #[arg(long)]
    pub transient: bool,
    /// The version carried in the payload (default: from the tag, when it is a release tag).
    #[arg(long = "version", value_name = "VERSION")]
    pub version: Option<String>,
    /// The tag and how it maps to environments.
    #[command(flatten)]
    pub tag: TagArgs,
}

/// Arguments of `deploy run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The deployment to create.
    #[command(flatten)]
    pub create: CreateArgs,
    /// The environment's URL, set on success.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// URLs to health-check after the command (repeatable).
    #[arg(long = "health", value_name = "URL")]
    pub health: Vec<String>,
    /// Statuses the health checks accept.
    #[arg(long = "health-expect-status", value_name = "CODES", default_value = "200-299", value_parser = health::StatusSet::parse)]
    pub health_expect_status: health::StatusSet,
    /// A regular expression the health answer's body must match.
    #[arg(long = "health-body-regex", value_name = "REGEX", value_parser = parse_regex)]
    pub health_body_regex: Option<regex::Regex>,
    /// Time allowed for one health probe.
    #[arg(long = "health-timeout", value_name = "DURATION", default_value = "10s", value_parser = health::parse_duration)]
    pub health_timeout: std::time::Duration,
    /// A JSON field the health answer must have (repeatable).
    #[arg(long = "health-json-field", value_name = "PATH=VALUE", value_parser = health::JsonCheck::parse)]
    pub health_json_field: Vec<health::JsonCheck>,
    /// Pause between health probes.
    #[arg(long = "health-interval", value_name = "DURATION", default_value = "5s", value_parser = health::parse_duration)]
    pub health_interval: std::time::Duration,
    /// Time allowed for the health checks.
    #[arg(long = "health-deadline", value_name = "DURATION", default_value = "2m", value_parser = health::parse_duration)]
    pub health_deadline: std::time::Duration,
    /// Passing probes in a row needed.
    #[arg(long = "health-probes", value_name = "N", default_value_t = 1)]
    pub health_probes: u32,
    /// p95 latency budget of the health probes.
    #[arg(long = "health-max-p95", value_name = "DURATION", value_parser = health::parse_duration)]
    pub health_max_p95: Option<std::time::Duration>,
    /// PEM CA file for the health checks instead of the system's roots.
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Shell command run when the deploy command or the health checks fail.
    #[arg(long, value_name = "CMD")]
    pub rollback: Option<String>,
    #[command(flatten)]
    pub notify: NotifyArgs,
    #[command(flatten)]
    pub inactive: AutoInactiveArgs,
    /// Time the command gets to end after a forwarded signal before it is killed.
    #[arg(long = "grace", value_name = "DURATION", default_value = "5s", value_parser = health::parse_duration)]
    pub grace: std::time::Duration,
    /// Output format of the result on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// The deploy command and its arguments (after `--`; no shell).
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// Arguments of `deploy start`.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// The deployment to create.
    #[command(flatten)]
    pub create: CreateArgs,
}

/// Final states of `deploy finish`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FinalState {
    /// Deployed.
    Success,
    /// The deployment failed.
    Failure,
    /// Something else went wrong.
    Error,
    /// The job was cancelled (what `${{ job.status }}` says then): written as `error`, so a
    /// finishing step run with `if: always()` can pass the job's status as it is.
    Cancelled,
}

/// Arguments of `deploy finish`.
#[derive(Debug, Args)]
pub struct FinishArgs {
    /// The id `deploy start` gave (its output `deployment-id`).
    #[arg(
        long = "deployment-id",
        value_name = "ID",
        env = "SHIPGATE_DEPLOYMENT_ID"
    )]
    pub deployment_id: u64,
    /// The final state; `cancelled` (a job's status) is written as `error`.
    #[arg(long, value_enum)]
    pub state: FinalState,
    /// The environment's URL (success).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The description (cut to 140 characters).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The environment, for the notification.
    #[arg(long, value_name = "NAME", env = "INPUT_ENVIRONMENT")]
    pub environment: Option<String>,
    #[command(flatten)]
    pub inactive: AutoInactiveArgs,
    #[command(flatten)]
    pub notify: NotifyArgs,
}

/// Whether a successful deployment makes the earlier ones of its environment inactive.
#[derive(Debug, Args)]
pub struct AutoInactiveArgs {
    /// `auto_inactive` of the success status. true (GitHub's default): GitHub marks the earlier
    /// successful deployments of the same environment `inactive` (only non-transient,
    /// non-production ones, as it documents). false: they stay active, for environments where
    /// several deployments are live at once. Review apps sharing one environment name mark each
    /// other inactive: give each its own environment (`pr-123`) and --transient instead.
    /// Default: not sent (GitHub's default).
    #[arg(long = "auto-inactive", value_name = "BOOL")]
    pub auto_inactive: Option<bool>,
}

/// How tags map to versions and environments.
#[derive(Debug, Args, Clone)]
pub struct TagArgs {
    /// The tag (`v1.2.3`) or ref (`refs/tags/v1.2.3`); default: the Action's `version` input
    /// (INPUT_VERSION), else $GITHUB_REF.
    #[arg(long, value_name = "TAG")]
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
        let tag = self
            .tag
            .clone()
            .or_else(|| action_input("version"))
            .or_else(|| env_var("GITHUB_REF"));
        let Some(tag) = tag.filter(|t| !t.trim().is_empty()) else {
            anyhow::bail!("no tag: give --tag or run on a tag push (GITHUB_REF=refs/tags/v...)");
        };
        let v = version::Version::parse(&tag, &self.prefix)?;
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
    /// Show what `apply` would change: settings, reviewers, policies (reads only).
    #[command(
        after_help = "Exit codes: 0 planned (changes or not); 2 a bad file, or GitHub refused."
    )]
    Plan {
        /// The file (YAML, or JSON when it ends in .json).
        #[arg(value_name = "FILE", default_value = ENVIRONMENTS_FILE)]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Make the repository's environments match the file: the plan, then only the writes it
    /// needs. Needs a token with Administration: write (never the workflow's GITHUB_TOKEN).
    #[command(
        after_help = "Exit codes: 0 applied (or nothing to do); 2 a bad file, a token without Administration: write, or GitHub refused."
    )]
    Apply {
        /// The file (YAML, or JSON when it ends in .json).
        #[arg(value_name = "FILE", default_value = ENVIRONMENTS_FILE)]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

/// Arguments of `approvals`.
#[derive(Debug, Args)]
#[command(
    after_help = "GitHub holds a job for required reviewers only when the job declares `environment:`. Reviewing needs a token of a \
listed reviewer (a person's token, not GITHUB_TOKEN).\nExit codes: 0 listed or reviewed; 2 nothing pending, not a reviewer, or GitHub refused."
)]
pub struct ApprovalsArgs {
    /// What to do; without it, list.
    #[command(subcommand)]
    pub command: Option<ApprovalsCommand>,
    /// The workflow run (default: $GITHUB_RUN_ID).
    #[arg(
        long = "run-id",
        value_name = "ID",
        env = "GITHUB_RUN_ID",
        global = true
    )]
    pub run_id: Option<u64>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value = "text", global = true)]
    pub format: OutputFormat,
}

/// `approvals` subcommands.
#[derive(Debug, Subcommand)]
pub enum ApprovalsCommand {
    /// Approve pending deployments.
    Approve(ReviewArgs),
    /// Reject pending deployments (the run fails).
    Reject(ReviewArgs),
}

/// Arguments of `approvals approve|reject`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The environments (repeatable); default: every pending one.
    #[arg(long, value_name = "NAME")]
    pub environment: Vec<String>,
    /// The review comment.
    #[arg(long, value_name = "TEXT", required = true)]
    pub comment: String,
}

/// Arguments of `release`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 created, updated or unchanged; 2 not a release tag, no CHANGELOG section, or GitHub refused."
)]
pub struct ReleaseArgs {
    /// The tag and its mapping.
    #[command(flatten)]
    pub tag: TagArgs,
    /// The Keep a Changelog file.
    #[arg(long, value_name = "FILE", default_value = "CHANGELOG.md")]
    pub changelog: PathBuf,
    /// The title (default: the tag).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `health`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every URL healthy; 1 some URL not healthy by the deadline; 2 usage (bad URL, flag or CA file).\n\
A URL is healthy when --probes probes in a row pass and their p95 latency is within --max-p95."
)]
pub struct HealthArgs {
    /// URLs to probe (GET), checked concurrently.
    /// Default: the Action's INPUT_HEALTH_URL (one per line or comma).
    #[arg(value_name = "URL")]
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
    /// Time allowed in all, per URL (a bare number is seconds). Env: INPUT_HEALTH_TIMEOUT.
    #[arg(long, value_name = "DURATION", default_value = "2m", env = "INPUT_HEALTH_TIMEOUT", value_parser = health::parse_duration)]
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
    let mut urls = args.urls.clone();
    if urls.is_empty() {
        urls = action_list("health_url");
    }
    if urls.is_empty() {
        anyhow::bail!("no URL: give URLs or the Action's health-url input (INPUT_HEALTH_URL)");
    }
    let report = runtime()?.block_on(health::check(&urls, &opts))?;
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
        EnvironmentCommand::Plan { file, format } => {
            let f = EnvironmentsFile::load(&file)?;
            let rt = runtime()?;
            let _guard = rt.enter();
            let c = github()?;
            let (plan, _) = rt.block_on(apply::plan_for(&c, &f))?;
            match format {
                OutputFormat::Json => print(&json_line(&plan)?)?,
                OutputFormat::Text => print(&plan.text())?,
            }
        }
        EnvironmentCommand::Apply { file, format } => {
            let f = EnvironmentsFile::load(&file)?;
            let rt = runtime()?;
            let _guard = rt.enter();
            let c = github()?;
            let (plan, cur) = rt.block_on(apply::plan_for(&c, &f))?;
            let writes = match rt.block_on(apply::apply(&c, &f, &plan, &cur)) {
                Ok(n) => n,
                // Names are resolved before any write: the file is what to fix.
                Err(apply::ApplyError::UnknownReviewer {
                    environment,
                    reviewer,
                    why,
                }) => {
                    return Err(EnvironmentsFile::error_at(
                        &file,
                        &format!("environments.{environment}.reviewers"),
                        &format!("{reviewer}: {why}"),
                    )
                    .into());
                }
                // Reviewers GitHub refused (no access to the repository): at the file's key.
                Err(apply::ApplyError::ReviewersRefused {
                    environment,
                    message,
                    repo,
                }) => {
                    let key = format!("environments.{environment}.reviewers");
                    let why = apply::ApplyError::ReviewersRefused {
                        environment,
                        message,
                        repo,
                    }
                    .to_string();
                    return Err(EnvironmentsFile::error_at(&file, &key, &why).into());
                }
                Err(e) => return Err(e.into()),
            };
            match format {
                OutputFormat::Json => print(&json_line(&serde_json::json!({
                    "plan": plan, "writes": writes
                }))?)?,
                OutputFormat::Text => {
                    let mut t = plan.text();
                    t.push_str(&if plan.is_empty() {
                        "nothing to change\n".to_string()
                    } else {
                        format!(
                            "applied {} change(s) in {writes} request(s)\n",
                            plan.count()
                        )
                    });
                    print(&t)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `deploy ...`.
pub fn deploy_cmd(args: DeployArgs) -> Result<ExitCode> {
    let Some(command) = args.command else {
        return action_deploy();
    };
    match command {
        DeployCommand::Version(a) => version_cmd(a),
        DeployCommand::Run(a) => run_cmd(*a),
        DeployCommand::Start(a) => start_cmd(a),
        DeployCommand::Finish(a) => finish_cmd(a),
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

fn env_var(k: &str) -> Option<String> {
    std::env::var(k)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `deploy` without a subcommand: `deploy run` from the Action's inputs.
fn action_deploy() -> Result<ExitCode> {
    #[derive(clap::Parser)]
    struct Only {
        #[command(flatten)]
        run: RunArgs,
    }
    use clap::Parser;
    let Some(cmd) = action_input("deploy_command") else {
        anyhow::bail!(
            "deploy: give a subcommand (run, start, finish, version) or the Action's deploy-command input (INPUT_DEPLOY_COMMAND)"
        );
    };
    let mut argv: Vec<String> = vec!["deploy".into()];
    let mut flag = |f: &str, v: String| {
        argv.push(f.into());
        argv.push(v);
    };
    if let Some(u) = action_input("url") {
        flag("--url", u);
    }
    for h in action_list("health_url") {
        flag("--health", h);
    }
    if let Some(t) = action_input("health_timeout") {
        flag("--health-deadline", t);
    }
    if let Some(v) = action_input("version") {
        flag("--version", v.trim_start_matches('v').to_string());
    }
    if let Some(w) = action_input("webhook_url") {
        flag("--notify-webhook", w);
    }
    if let Some(v) = action_input("auto_inactive") {
        match v.as_str() {
            "true" | "false" => flag("--auto-inactive", v),
            _ => anyhow::bail!(
                "the Action's auto-inactive input (INPUT_AUTO_INACTIVE): expected true or false, got {v:?}"
            ),
        }
    }
    argv.extend(["--".into(), "sh".into(), "-c".into(), cmd]);
    let only = Only::try_parse_from(&argv).map_err(|e| {
        anyhow::anyhow!(
            "the Action's deploy inputs: {}",
            e.to_string().lines().next().unwrap_or_default()
        )
    })?;
    run_cmd(only.run)
}

/// The deployment request, the version and the environment.
fn request(a: &CreateArgs) -> Result<lifecycle::Request> {
    // Without --environment the tag decides and must be a release tag; with it, a release tag
    // still gives the version.
    let tagged = if a.environment.is_none() {
        Some(a.tag.resolve()?)
    } else {
        a.tag.resolve().ok()
    };
    let environment = match (&a.environment, &tagged) {
        (Some(e), _) => e.clone(),
        (None, Some((_, e))) => e.clone(),
        (None, None) => anyhow::bail!(
            "no environment: give --environment or run on a release tag (GITHUB_REF=refs/tags/v1.2.3)"
        ),
    };
    let git_ref = a
        .git_ref
        .clone()
        .or_else(|| env_var("GITHUB_SHA"))
        .or_else(|| tagged.as_ref().map(|(v, _)| v.tag.clone()))
        .context("no ref: give --ref or set GITHUB_SHA")?;
    let version = a
        .version
        .clone()
        .or_else(|| tagged.as_ref().map(|(v, _)| v.number()));
    Ok(lifecycle::Request {
        production: a
            .production
            .unwrap_or(environment == a.tag.release_environment),
        transient: a.transient,
        required_contexts: a.required_contexts.clone(),
        description: Some(match &version {
            Some(v) => format!("shipgate: {v} to {environment}"),
            None => format!("shipgate: {git_ref} to {environment}"),
        }),
        git_ref,
        environment,
        version,
    })
}

fn github() -> Result<shipgate::github::Client> {
    Ok(shipgate::github::Client::from_env()?)
}

fn write_outputs(fields: &[(String, String)]) -> Result<()> {
    let gh = GithubContext::from_vars(|k| std::env::var(k).ok());
    if gh.actions
        && let Some(p) = &gh.output
    {
        output::write_outputs(p, fields, &mut output::OsRandom)?;
    }
    Ok(())
}

fn run_cmd(a: RunArgs) -> Result<ExitCode> {
    let req = request(&a.create)?;
    let rt = runtime()?;
    let _guard = rt.enter();
    // Listening from the start: a cancellation while the deployment is being created is
    // handled once it exists.
    let mut signals = run::Signals::install().context("cannot listen for SIGINT/SIGTERM")?;
    let client = github()?;
    let log_url = lifecycle::log_url(env_var);
    let mut env: Vec<(String, String)> =
        vec![("SHIPGATE_ENVIRONMENT".into(), req.environment.clone())];
    if let Some(v) = &req.version {
        env.push(("SHIPGATE_VERSION".into(), v.clone()));
    }
    let plan = lifecycle::Plan {
        command: a.command.clone(),
        rollback: a.rollback.clone(),
        health_urls: a.health.clone(),
        health: health::Options {
            expect: a.health_expect_status.clone(),
            json: a.health_json_field.clone(),
            body_regex: a.health_body_regex.clone(),
            timeout: a.health_timeout,
            interval: a.health_interval,
            deadline: a.health_deadline,
            probes: a.health_probes.max(1),
            p95_budget: a.health_max_p95,
            ca_file: a.ca_file.clone(),
        },
        log_url: log_url.clone(),
        environment_url: a.url.clone(),
        env,
        grace: a.grace,
        auto_inactive: a.inactive.auto_inactive,
    };
    let id = match rt.block_on(lifecycle::create(&client, &req)) {
        Ok(id) => id,
        Err(e) => {
            // Nothing was deployed: the deployment itself failed (exit 1, like a failed command).
            eprintln!(
                "error: cannot create the deployment to {}: {e}",
                req.environment
            );
            return Ok(ExitCode::from(1));
        }
    };
    eprintln!("deployment {id} to {} created", req.environment);
    let mut plan = plan;
    plan.env
        .push(("SHIPGATE_DEPLOYMENT_ID".into(), id.to_string()));
    let (report, got) = rt.block_on(lifecycle::drive(
        &client,
        id,
        &req.environment,
        &plan,
        &mut signals,
    ));
    eprintln!(
        "deployment {} → {}: {}",
        report.deployment_id, report.state, report.description
    );
    if let Some(rb) = &report.rollback {
        eprintln!("rollback: {rb}");
    }
    write_outputs(&[
        ("deployment-id".into(), report.deployment_id.to_string()),
        ("state".into(), report.state.clone()),
        (
            "deployment-url".into(),
            if report.state == "success" {
                a.url.clone().unwrap_or_default()
            } else {
                String::new()
            },
        ),
    ])?;
    if let Some(hook) = &a.notify.webhook {
        let m = notify::Message {
            state: report.state.clone(),
            environment: req.environment.clone(),
            version: req.version.clone(),
            seconds: report.seconds,
            description: report.description.clone(),
            rollback: report.rollback.clone(),
            log_url,
            environment_url: a.url.clone(),
            repository: client.repository().to_string(),
        };
        if let Err(e) = rt.block_on(notify::send(hook, &m)) {
            eprintln!("warning: {e}");
        }
    }
    match a.format {
        OutputFormat::Json => print(&json_line(&report)?)?,
        OutputFormat::Text => print(&format!(
            "{} {} {}\n",
            report.deployment_id, report.state, report.description
        ))?,
    }
    if !report.status_written {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::from(report.exit_code(got)))
}

fn start_cmd(a: StartArgs) -> Result<ExitCode> {
    let req = request(&a.create)?;
    let rt = runtime()?;
    let _guard = rt.enter();
    // Listening from the start: a cancellation while the deployment is being created is
    // handled once it exists, and the deployment is never left without a final status.
    let mut signals = run::Signals::install().context("cannot listen for SIGINT/SIGTERM")?;
    let client = github()?;
    let log_url = lifecycle::log_url(env_var);
    let ended = rt.block_on(async {
        let id = lifecycle::create(&client, &req).await?;
        let st = lifecycle::Status {
            state: "in_progress".into(),
            description: format!("deploying to {}", req.environment),
            log_url: log_url.clone(),
            environment_url: None,
            auto_inactive: None,
        };
        let (signal, pending) = match lifecycle::begin(&client, id, &st, &mut signals).await {
            lifecycle::Begun::Set => {
                // A signal that came as `in_progress` was answered cancels too: nothing
                // would finish the deployment (the step fails and writes no output).
                match tokio::time::timeout(std::time::Duration::ZERO, signals.recv()).await {
                    Ok(s) => (s, None),
                    Err(_) => return Ok((id, None)),
                }
            }
            lifecycle::Begun::Failed(e) => {
                // The deployment exists and nobody would finish it: end it now.
                let fail = lifecycle::Status {
                    state: "error".into(),
                    description: format!("cannot set in_progress: {e}"),
                    log_url,
                    ..Default::default()
                };
                let _ = lifecycle::set_status(&client, id, &fail).await;
                return Err(anyhow::Error::from(e));
            }
            lifecycle::Begun::Cancelled { signal, pending } => (signal, pending),
        };
        let fin = lifecycle::Status {
            state: "error".into(),
            description: format!(
                "cancelled by {} while the deployment was being started",
                signal.name
            ),
            log_url,
            ..Default::default()
        };
        let written = lifecycle::finish_cancelled(&client, id, &fin, pending).await;
        Ok((id, Some((signal, fin.description, written))))
    })?;
    match ended {
        (id, None) => {
            eprintln!("deployment {id} to {} started", req.environment);
            write_outputs(&[
                ("deployment-id".into(), id.to_string()),
                ("environment".into(), req.environment.clone()),
                ("version".into(), req.version.clone().unwrap_or_default()),
            ])?;
            print(&format!("{id}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        (id, Some((signal, why, Ok(())))) => {
            eprintln!("deployment {id} to {} → error: {why}", req.environment);
            Ok(ExitCode::from(signal.exit_code()))
        }
        (id, Some((_, _, Err(e)))) => {
            eprintln!(
                "error: deployment {id} to {} was cancelled, but its final status `error` could not be written: {e}",
                req.environment
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn finish_cmd(a: FinishArgs) -> Result<ExitCode> {
    let rt = runtime()?;
    let _guard = rt.enter();
    let client = github()?;
    let state = match a.state {
        FinalState::Success => "success",
        FinalState::Failure => "failure",
        FinalState::Error | FinalState::Cancelled => "error",
    };
    let st = lifecycle::Status {
        state: state.into(),
        description: a.description.clone().unwrap_or_else(|| {
            if a.state == FinalState::Cancelled {
                "deployment cancelled: the job was cancelled".into()
            } else {
                format!("deployment {state}")
            }
        }),
        log_url: lifecycle::log_url(env_var),
        environment_url: if state == "success" {
            a.url.clone()
        } else {
            None
        },
        auto_inactive: a.inactive.auto_inactive,
    };
    rt.block_on(lifecycle::set_status(&client, a.deployment_id, &st))?;
    eprintln!("deployment {} → {state}", a.deployment_id);
    if let Some(hook) = &a.notify.webhook {
        let m = notify::Message {
            state: state.into(),
            environment: a.environment.clone().unwrap_or_else(|| "?".into()),
            description: run::description(&st.description),
            log_url: st.log_url.clone(),
            environment_url: st.environment_url.clone(),
            repository: client.repository().to_string(),
            ..Default::default()
        };
        if let Err(e) = rt.block_on(notify::send(hook, &m)) {
            eprintln!("warning: {e}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `approvals ...`.
pub fn approvals_cmd(a: ApprovalsArgs) -> Result<ExitCode> {
    let run_id = a
        .run_id
        .context("no workflow run: give --run-id or run inside a workflow (GITHUB_RUN_ID)")?;
    let rt = runtime()?;
    let _guard = rt.enter();
    let c = github()?;
    match a.command {
        None => {
            let list = rt.block_on(approvals::list(&c, run_id))?;
            match a.format {
                OutputFormat::Json => print(&json_line(&list)?)?,
                OutputFormat::Text => print(&approvals::text(&list))?,
            }
        }
        Some(ApprovalsCommand::Approve(r)) | Some(ApprovalsCommand::Reject(r))
            if r.comment.trim().is_empty() =>
        {
            anyhow::bail!("--comment is empty: say why")
        }
        Some(cmd) => {
            let (approve, r) = match cmd {
                ApprovalsCommand::Approve(r) => (true, r),
                ApprovalsCommand::Reject(r) => (false, r),
            };
            let done = rt.block_on(approvals::review(
                &c,
                run_id,
                &r.environment,
                approve,
                &r.comment,
            ))?;
            print(&format!(
                "{} {}\n",
                if approve { "approved" } else { "rejected" },
                done.join(", ")
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `release`.
pub fn release_cmd(a: ReleaseArgs) -> Result<ExitCode> {
    let (v, _) = a.tag.resolve()?;
    let text = std::fs::read_to_string(&a.changelog)
        .with_context(|| format!("{}: cannot read the changelog", a.changelog.display()))?;
    let body = changelog::section(&text, &v.number(), &a.changelog.display().to_string())?;
    let w = release::Wanted {
        tag: v.tag.clone(),
        name: a.name.clone().unwrap_or_else(|| v.tag.clone()),
        body,
        prerelease: v.is_prerelease(),
        target: env_var("GITHUB_SHA"),
    };
    let rt = runtime()?;
    let _guard = rt.enter();
    let c = github()?;
    let o = rt.block_on(release::ensure(&c, &w))?;
    write_outputs(&[
        ("release-id".into(), o.id.to_string()),
        ("release-url".into(), o.html_url.clone()),
    ])?;
    match a.format {
        OutputFormat::Json => print(&json_line(&o)?)?,
        OutputFormat::Text => print(&format!(
            "release {} {}{}: {}\n",
            v.tag,
            o.action,
            if w.prerelease { " (prerelease)" } else { "" },
            o.html_url
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `deploy run` and `deploy finish` report the result.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// Slack-compatible incoming webhook notified of the result (a secret: never printed).
    /// Env: SHIPGATE_NOTIFY_WEBHOOK.
    #[arg(
        long = "notify-webhook",
        value_name = "URL",
        env = "SHIPGATE_NOTIFY_WEBHOOK",
        hide_env_values = true
    )]
    pub webhook: Option<String>,
}
