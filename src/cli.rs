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
    /// Decide whether the change may ship: scores, thresholds and blocking rules of the
    /// quality-gate config, over the reports given or found.
    Gate(Box<GateArgs>),
    /// The quality-gate config file: its JSON Schema, or a check of a file.
    Config(ConfigArgs),
    /// SARIF for GitHub code scanning: convert reports, merge SARIF files, validate one.
    Sarif(SarifArgs),
    /// Deployments: run a deploy command inside a GitHub deployment (statuses, health checks,
    /// rollback), or start and finish one across steps; the version a tag deploys.
    Deploy(crate::commands::deploy::DeployArgs),
    /// Probe URLs until they are healthy or a deadline passes: expected statuses, body regex,
    /// JSON fields, p95 latency budget.
    Health(Box<crate::commands::deploy::HealthArgs>),
    /// Environments as code: required reviewers, wait timer, branch and tag policies from a
    /// YAML or JSON file; check it, plan, apply.
    Environment(crate::commands::deploy::EnvironmentArgs),
    /// The pending deployments of this workflow run (environments waiting for a reviewer),
    /// or approve/reject them with a comment.
    Approvals(crate::commands::deploy::ApprovalsArgs),
    /// Create or update the GitHub release of a v* tag, its body the tag's CHANGELOG.md
    /// section, prerelease for prerelease versions; re-runs change nothing.
    Release(crate::commands::deploy::ReleaseArgs),
    /// Publish a report.json to GitHub (check run, pull-request comment, status): the second
    /// half of the two-workflow pattern, in a `workflow_run` job with a write token.
    #[command(
        after_help = "Exit codes: 0 published (or, without write permission, degraded with a notice); 1 GitHub failed; 2 usage or unreadable report.\n\
The commit and pull request come from $GITHUB_EVENT_PATH (workflow_run: head_sha and its pull request; else the report's refs/pull/N ref)."
    )]
    Publish(PublishCmdArgs),
}

/// How the verdict is published (`gate --publish` and `publish`).
#[derive(Debug, Args)]
pub struct PublishOpts {
    /// The gate's name: the check run's name, the comment's marker, the status context (one
    /// per gate in a monorepo). Env: INPUT_GATE_NAME.
    #[arg(
        long = "gate-name",
        value_name = "NAME",
        env = "INPUT_GATE_NAME",
        default_value = "shipgate"
    )]
    pub gate_name: String,
    /// The pull-request comment: always (updated every run), on-change, on-failure, off.
    /// Env: INPUT_COMMENT.
    #[arg(long, value_name = "MODE", env = "INPUT_COMMENT", default_value = "on-change", value_parser = parse_comment_mode)]
    pub comment: shipgate::publish::CommentMode,
    /// Delete the comment when the gate passes. Env: INPUT_DELETE_ON_PASS.
    #[arg(long = "delete-on-pass", env = "INPUT_DELETE_ON_PASS")]
    pub delete_on_pass: bool,
    /// Also set a commit status (for branch protection rules on statuses). Env: INPUT_STATUS.
    #[arg(long, env = "INPUT_STATUS")]
    pub status: bool,
    /// Check-run annotations sent at most, most important first. Env: INPUT_MAX_ANNOTATIONS.
    #[arg(long = "max-annotations", value_name = "N", env = "INPUT_MAX_ANNOTATIONS", default_value_t = shipgate::publish::annotations::DEFAULT_MAX)]
    pub max_annotations: usize,
}

fn parse_comment_mode(s: &str) -> Result<shipgate::publish::CommentMode, String> {
    shipgate::publish::CommentMode::parse(s)
        .ok_or_else(|| "expected one of: always, on-change, on-failure, off".into())
}

/// Arguments of `publish`.
#[derive(Debug, Args)]
pub struct PublishCmdArgs {
    /// The report written by `gate --report`.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// The head commit to publish to (default: from the event payload).
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// The pull request to comment on (default: from the event payload or the report's ref).
    #[arg(long, value_name = "NUMBER")]
    pub pr: Option<u64>,
    /// How to publish.
    #[command(flatten)]
    pub opts: PublishOpts,
}

/// Arguments of `sarif upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// The SARIF file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Category of the analysis (every run's `automationDetails.id` becomes CATEGORY/).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Wait until code scanning has processed the upload; exit 1 when it failed it.
    #[arg(long)]
    pub wait: bool,
    /// Longest wait, seconds.
    #[arg(long = "wait-timeout", value_name = "SECONDS", default_value_t = 600)]
    pub wait_timeout: u64,
    /// Commit (default: $GITHUB_SHA).
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// Ref (default: $GITHUB_REF, `refs/pull/N/merge` on pull requests).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
}

/// Arguments of `sarif`.
#[derive(Debug, Args)]
pub struct SarifArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SarifCommand,
}

/// `sarif` subcommands.
#[derive(Debug, Subcommand)]
pub enum SarifCommand {
    /// Convert findings reports (any format shipgate reads, SARIF included) into one SARIF
    /// file GitHub code scanning accepts: one run per tool, rules with descriptions, help and
    /// security-severity, repository-relative locations, fingerprints, GitHub's limits.
    #[command(
        after_help = "Exit codes: 0 written; 2 usage or unreadable input (nothing is written).\n\
The summary (what was written, dropped and why) goes to stdout, or to stderr when the SARIF does."
    )]
    Convert(ConvertArgs),
    /// Merge SARIF files: one run per tool and category, rules de-duplicated, duplicate
    /// results removed, every run normalised for GitHub and within its limits.
    #[command(
        after_help = "Exit codes: 0 written; 2 usage or unreadable input (nothing is written)."
    )]
    Merge(MergeArgs),
    /// Check a SARIF file against the OASIS SARIF 2.1.0 schema, GitHub's ingestion rules
    /// (GH1001-GH1007, GH1011, GH1018, GH2012) and GitHub's limits; every problem with its
    /// line, column and JSON pointer.
    #[command(
        after_help = "Exit codes: 0 no error (warnings allowed); 1 errors found; 2 not a SARIF 2.1.0 file or unreadable."
    )]
    Validate(ValidateArgs),
    /// Upload a SARIF file to GitHub code scanning (gzip + base64) for the runner's commit and
    /// ref; with --wait, poll until it is processed and print GitHub's errors.
    #[command(
        after_help = "Exit codes: 0 uploaded (and processed, with --wait); 1 GitHub refused or failed it; 2 unreadable file or usage."
    )]
    Upload(UploadArgs),
}

/// Arguments of `sarif convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Findings reports or glob patterns (quote globs).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Where to write the SARIF (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    pub output: String,
    /// Read every input as this format instead of detecting it.
    #[arg(long = "input-format", value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<shipgate::ingest::Format>,
    /// Category of every run (`automationDetails.id` = CATEGORY/); default: the tool's name.
    /// Keep it stable between workflow runs so GitHub matches alerts.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Leave out findings below this severity: info, low, medium, high, critical (or a level:
    /// none, note, warning, error).
    #[arg(long = "min-severity", value_name = "SEVERITY", value_parser = parse_severity)]
    pub min_severity: Option<shipgate::model::Severity>,
    /// Format of the summary.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Repository root that locations are made relative to (default: $GITHUB_WORKSPACE, else
    /// the current directory).
    #[arg(long, value_name = "DIR", env = "GITHUB_WORKSPACE")]
    pub root: Option<PathBuf>,
}

/// Arguments of `sarif merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// SARIF files or glob patterns.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<String>,
    /// Where to write the merged SARIF (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    pub output: String,
    /// Format of the summary.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Repository root (for fingerprints and relative URIs; default: $GITHUB_WORKSPACE, else
    /// the current directory).
    #[arg(long, value_name = "DIR", env = "GITHUB_WORKSPACE")]
    pub root: Option<PathBuf>,
}

/// Arguments of `sarif validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The SARIF file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

fn parse_severity(s: &str) -> Result<shipgate::model::Severity, String> {
    shipgate::sarif::build::parse_min_severity(s).ok_or_else(|| {
        "expected one of: info, low, medium, high, critical, none, note, warning, error".into()
    })
}

/// Output formats of `gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GateFormat {
    /// A readable summary.
    Text,
    /// The whole report as JSON (what --report writes).
    Json,
    /// The Markdown of the job summary.
    Markdown,
}

/// Arguments of `gate`. Each list flag is repeatable and takes paths or quoted glob patterns;
/// in a GitHub Action the same inputs come from `INPUT_COVERAGE`, `INPUT_TESTS`... (newline- or
/// comma-separated), added to the flags and to the config's `inputs`. With no report given
/// anywhere, conventional locations are searched.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 the gate passed; 1 the gate failed; 2 usage, configuration or unreadable input.\n\
In GitHub Actions (GITHUB_ACTIONS=true) the verdict also goes to $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT and annotations."
)]
pub struct GateArgs {
    /// Quality-gate config (default: .quality-gates.config.json, then
    /// .github/quality-gates.json under the root, else built-in defaults). Env: INPUT_CONFIG.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Environment whose thresholds apply (default: derived from the GitHub context: a v* tag
    /// → production, the default branch → staging, else development). Env: INPUT_ENVIRONMENT.
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    /// Coverage reports. Env: INPUT_COVERAGE.
    #[arg(long, value_name = "GLOB")]
    pub coverage: Vec<String>,
    /// Test results. Env: INPUT_TESTS.
    #[arg(long, value_name = "GLOB")]
    pub tests: Vec<String>,
    /// Lint, type-checker and compiler findings. Env: INPUT_FINDINGS.
    #[arg(long, value_name = "GLOB")]
    pub findings: Vec<String>,
    /// Security scanner findings (a clean scan still measures security). Env: INPUT_SECURITY.
    #[arg(long, value_name = "GLOB")]
    pub security: Vec<String>,
    /// Findings of documentation checks (a clean run still measures documentation).
    /// Env: INPUT_DOCUMENTATION.
    #[arg(long, value_name = "GLOB")]
    pub documentation: Vec<String>,
    /// Metrics files (JSON objects of numbers) for performance budgets. Env: INPUT_METRICS.
    #[arg(long, value_name = "GLOB")]
    pub metrics: Vec<String>,
    /// Write everything measured and decided to this JSON file. Env: INPUT_REPORT.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Base commit of the change (a sha or any revision): patch coverage and new findings
    /// look at the lines HEAD adds since its merge base with it (a shallow clone is deepened
    /// as needed). Default on pull_request events: the payload's pull_request.base.sha.
    /// Env: INPUT_BASE.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The base commit's report.json (or a saved text holding shipgate's baseline digest) to
    /// compare with: regressions, tests and findings that changed. Missing: the comparison is
    /// skipped with a notice. Env: INPUT_BASELINE.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// How long the build took, in seconds (the `build_time_s` metric the regression rules
    /// compare). Env: INPUT_BUILD_SECONDS.
    #[arg(long, value_name = "SECONDS")]
    pub build_seconds: Option<f64>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: GateFormat,
    /// Repository root that report paths are made relative to and config inputs are found
    /// under (default: $GITHUB_WORKSPACE, else the current directory).
    #[arg(long, value_name = "DIR", env = "GITHUB_WORKSPACE")]
    pub root: Option<PathBuf>,
    /// Publish the verdict to GitHub: a check run, the pull-request comment, optionally a
    /// status. Needs `checks: write` and `pull-requests: write`; without them (fork pull
    /// requests) it falls back to the job summary with one notice. The exit code stays the
    /// gate's. Env: INPUT_PUBLISH.
    #[arg(long, env = "INPUT_PUBLISH")]
    pub publish: bool,
    /// How to publish.
    #[command(flatten)]
    pub publish_opts: PublishOpts,
}

/// Arguments of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ConfigCommand,
}

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON Schema of the quality-gate file (or of report.json with --report).
    Schema {
        /// Print the schema of `gate --report` output instead.
        #[arg(long)]
        report: bool,
    },
    /// Check a quality-gate file (default: the one `gate` would use) and show the thresholds
    /// of each environment; errors name the line, column and key (exit 2).
    Check {
        /// The file.
        file: Option<PathBuf>,
        /// Repository root where the default files are looked for.
        #[arg(long, value_name = "DIR", env = "GITHUB_WORKSPACE")]
        root: Option<PathBuf>,
    },
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
