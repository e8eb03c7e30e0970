//! `report.json`: everything measured and decided, versioned, with its own JSON Schema
//! (`schemas/report.schema.json`). Complete enough to be the baseline of a later run: per-file
//! coverage totals, test counts and every failing test, every finding with a fingerprint and
//! its rule and location, the scores, the environment, the config and its digest, the commit.
//!
//! Fingerprints: the first 16 hex digits of the SHA-256 of tool, rule, path and the message's
//! first line (whitespace collapsed), joined with NUL. The line is left out so that a finding
//! keeps its fingerprint when code above it moves; identical problems in one file share a
//! fingerprint and compare as counts.

use super::classify;
use super::config::Config;
use super::digest::sha256_hex;
use super::verdict::{EnvironmentChoice, FailingTest, Verdict};
use crate::ingest::{Bundle, Kind};
use crate::model::Finding;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of this document's shape; bumped on any incompatible change.
pub const REPORT_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "shipgate gate report")]
pub struct Report {
    /// Shape version ([`REPORT_VERSION`]).
    pub version: u32,
    /// The program that wrote it.
    pub tool: ToolInfo,
    /// The commit gated (`GITHUB_SHA`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The ref gated (`GITHUB_REF`), when known.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Seconds since 1970 when the report was written, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<u64>,
    /// The environment and why.
    pub environment: EnvironmentChoice,
    /// The config that applied.
    pub config: ConfigInfo,
    /// The decision.
    pub verdict: Verdict,
    /// Each report file read.
    pub inputs: Vec<InputRow>,
    /// Coverage, when a coverage report was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageSection>,
    /// Test results, when a test report was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<TestsSection>,
    /// Findings, when a findings report was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<FindingsSection>,
    /// Measured metrics by name.
    pub metrics: BTreeMap<String, f64>,
    /// This run as a baseline digest for later runs (see `gate::baseline`): what
    /// `--baseline report.json` reads, and what a check run's text carries.
    pub baseline: String,
}

/// The program.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ToolInfo {
    /// `shipgate`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The config that applied.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConfigInfo {
    /// The file read, or `defaults`.
    pub source: String,
    /// SHA-256 of the file's bytes (of `defaults` when there is no file).
    pub digest: String,
    /// The config as read, defaults filled in.
    pub effective: Config,
}

/// One report file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InputRow {
    /// The path as given.
    pub path: String,
    /// Detected format (`cobertura`, `junit`, `sarif`...).
    pub format: String,
    /// `coverage`, `tests` or `findings`.
    pub kind: String,
}

/// Coverage totals, overall and per file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CoverageSection {
    /// Over all files (the reports' own totals where they state them).
    pub totals: CoverageCounts,
    /// Per file, by repository-relative path.
    pub files: BTreeMap<String, CoverageCounts>,
}

/// Coverage counts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CoverageCounts {
    /// Coverable lines.
    pub lines_total: u64,
    /// Covered lines.
    pub lines_covered: u64,
    /// Branches.
    pub branches_total: u64,
    /// Covered branches.
    pub branches_covered: u64,
    /// Functions.
    pub functions_total: u64,
    /// Entered functions.
    pub functions_covered: u64,
    /// Line coverage, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_percent: Option<f64>,
}

/// Test results.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TestsSection {
    /// All cases.
    pub total: u64,
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Errored.
    pub errored: u64,
    /// Skipped.
    pub skipped: u64,
    /// Todo.
    pub todo: u64,
    /// Passed after retries.
    pub flaky: u64,
    /// Summed time, seconds.
    pub time_s: f64,
    /// Every failed or errored case.
    pub failing: Vec<FailingTest>,
}

/// Findings.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingsSection {
    /// Unsuppressed findings by level (`error`, `warning`, `note`, `none`).
    pub by_level: BTreeMap<String, u64>,
    /// Unsuppressed findings by category (`lint`, `type`, `security`, `build`).
    pub by_category: BTreeMap<String, u64>,
    /// Suppressed in source (not in the other counts).
    pub suppressed: u64,
    /// Every finding, in report order.
    pub items: Vec<FindingRow>,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingRow {
    /// Stable id across runs (see the module documentation).
    pub fingerprint: String,
    /// Tool.
    pub tool: String,
    /// Rule id, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `error`, `warning`, `note` or `none`.
    pub level: String,
    /// `critical`, `high`, `medium`, `low` or `info`, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `lint`, `type`, `security` or `build`.
    pub category: String,
    /// Repository-relative file, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// First line of the message.
    pub message: String,
    /// Suppressed in source.
    pub suppressed: bool,
    /// Fingerprints the tool itself gave (SARIF `partialFingerprints`...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tool_fingerprints: BTreeMap<String, String>,
}

/// The fingerprint of a finding (see the module documentation).
pub fn fingerprint(f: &Finding) -> String {
    let first = f
        .message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let msg: Vec<&str> = first.split_whitespace().collect();
    let path = f.location.as_ref().map_or("", |l| l.path.as_str());
    let key = format!(
        "{}\0{}\0{}\0{}",
        f.tool,
        f.rule.as_deref().unwrap_or(""),
        path,
        msg.join(" ")
    );
    sha256_hex(key.as_bytes())[..16].to_string()
}

/// What [`build`] needs besides the verdict and the reports.
pub struct Context<'a> {
    /// The config that applied.
    pub config: &'a Config,
    /// The config file, or `defaults`.
    pub config_source: String,
    /// The config file's bytes (empty without a file).
    pub config_bytes: &'a [u8],
    /// `GITHUB_SHA`.
    pub commit: Option<String>,
    /// `GITHUB_REF`.
    pub git_ref: Option<String>,
    /// Now, in seconds since 1970.
    pub now: Option<u64>,
    /// Measured metrics.
    pub metrics: &'a BTreeMap<String, f64>,
}

/// Builds the report.
pub fn build(verdict: &Verdict, bundle: &Bundle, ctx: &Context) -> Report {
    let has = |k: Kind| bundle.inputs.iter().any(|i| i.format.kind() == k);
    let digest_input: &[u8] = if ctx.config_bytes.is_empty() {
        b"defaults"
    } else {
        ctx.config_bytes
    };
    let coverage = has(Kind::Coverage).then(|| {
        let t = bundle.coverage.totals();
        CoverageSection {
            totals: CoverageCounts {
                lines_total: t.lines_total,
                lines_covered: t.lines_covered,
                branches_total: t.branches_total,
                branches_covered: t.branches_covered,
                functions_total: t.functions_total,
                functions_covered: t.functions_covered,
                line_percent: t.line_percent(),
            },
            files: bundle
                .coverage
                .files
                .iter()
                .map(|(p, f)| {
                    let t = f.totals();
                    (
                        p.clone(),
                        CoverageCounts {
                            lines_total: t.lines_total,
                            lines_covered: t.lines_covered,
                            branches_total: t.branches_total,
                            branches_covered: t.branches_covered,
                            functions_total: t.functions_total,
                            functions_covered: t.functions_covered,
                            line_percent: t.line_percent(),
                        },
                    )
                })
                .collect(),
        }
    });
    let tests = has(Kind::Tests).then(|| {
        let c = bundle.tests.counts();
        TestsSection {
            total: c.total,
            passed: c.passed,
            failed: c.failed,
            errored: c.errored,
            skipped: c.skipped,
            todo: c.todo,
            flaky: c.flaky,
            time_s: c.time,
            failing: super::failing_tests(bundle),
        }
    });
    let findings = has(Kind::Findings).then(|| {
        let mut by_level = BTreeMap::new();
        let mut by_category = BTreeMap::new();
        let mut suppressed = 0;
        for f in &bundle.findings.items {
            if f.suppressed {
                suppressed += 1;
                continue;
            }
            *by_level
                .entry(classify::level_name(f.level).to_string())
                .or_insert(0) += 1;
            *by_category
                .entry(classify::category_name(f.category).to_string())
                .or_insert(0) += 1;
        }
        FindingsSection {
            by_level,
            by_category,
            suppressed,
            items: bundle
                .findings
                .items
                .iter()
                .map(|f| {
                    let loc = f.location.as_ref().filter(|l| !l.path.is_empty());
                    FindingRow {
                        fingerprint: fingerprint(f),
                        tool: f.tool.clone(),
                        rule: f.rule.clone(),
                        level: classify::level_name(f.level).into(),
                        severity: f.severity.map(|s| classify::severity_name(s).into()),
                        category: classify::category_name(f.category).into(),
                        path: loc.map(|l| l.path.clone()),
                        line: loc.map(|l| l.line).filter(|l| *l > 0),
                        column: loc.and_then(|l| l.column),
                        message: super::first_line(&f.message),
                        suppressed: f.suppressed,
                        tool_fingerprints: f.fingerprints.iter().cloned().collect(),
                    }
                })
                .collect(),
        }
    });
    Report {
        version: REPORT_VERSION,
        tool: ToolInfo {
            name: "shipgate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        commit: ctx.commit.clone(),
        git_ref: ctx.git_ref.clone(),
        generated_at: ctx.now,
        environment: verdict.environment.clone(),
        config: ConfigInfo {
            source: ctx.config_source.clone(),
            digest: sha256_hex(digest_input),
            effective: ctx.config.clone(),
        },
        verdict: verdict.clone(),
        inputs: bundle
            .inputs
            .iter()
            .map(|i| InputRow {
                path: i.path.clone(),
                format: i.format.name().into(),
                kind: match i.format.kind() {
                    Kind::Coverage => "coverage",
                    Kind::Tests => "tests",
                    Kind::Findings => "findings",
                }
                .into(),
            })
            .collect(),
        coverage,
        tests,
        findings,
        metrics: ctx.metrics.clone(),
        baseline: super::baseline::Baseline::of_run(
            verdict,
            bundle,
            ctx.metrics,
            ctx.commit.as_deref(),
        )
        .encode(),
    }
}

/// The JSON Schema of `report.json`.
pub fn schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Report>();
    serde_json::to_value(schema).unwrap_or_default()
}
