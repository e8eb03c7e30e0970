//! The verdict: what was decided, with every number it was decided on. Renderers (terminal,
//! Markdown, runner outputs, annotations) and `report.json` all read this one value.

use super::config::Thresholds;
use schemars::JsonSchema;
use serde::Serialize;

/// The five scored dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Lint and build findings per 1,000 lines.
    CodeQuality,
    /// Security findings by severity.
    Security,
    /// Performance budgets.
    Performance,
    /// Test pass rate and line coverage.
    Testing,
    /// Documentation findings per 1,000 lines.
    Documentation,
}

impl Dimension {
    /// All five, in the order the config's `weighting` lists them.
    pub const ALL: [Dimension; 5] = [
        Dimension::CodeQuality,
        Dimension::Security,
        Dimension::Performance,
        Dimension::Testing,
        Dimension::Documentation,
    ];

    /// The config key.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::CodeQuality => "code_quality",
            Dimension::Security => "security",
            Dimension::Performance => "performance",
            Dimension::Testing => "testing",
            Dimension::Documentation => "documentation",
        }
    }

    /// The name people read.
    pub fn title(self) -> &'static str {
        match self {
            Dimension::CodeQuality => "Code quality",
            Dimension::Security => "Security",
            Dimension::Performance => "Performance",
            Dimension::Testing => "Testing",
            Dimension::Documentation => "Documentation",
        }
    }
}

/// One line of a sub-score's explanation: what it saw and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Explanation {
    /// What was measured and how it was weighed.
    pub text: String,
    /// Points it moved the sub-score by (negative: a deduction).
    pub points: f64,
}

/// A dimension's sub-score.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct DimensionScore {
    /// Which dimension.
    pub dimension: Dimension,
    /// Its weight in the config, percent.
    pub weight: f64,
    /// Its share of the total after the weights of unmeasured dimensions were redistributed,
    /// percent; 0 when not measured.
    pub effective_weight: f64,
    /// 0-100; absent when the dimension was not measured.
    pub score: Option<f64>,
    /// What it was computed from, or why it was not measured.
    pub explanation: Vec<Explanation>,
    /// Why it is not measured, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_measured: Option<String>,
}

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// Checked and met.
    Passed,
    /// Checked and breached: the gate fails.
    Failed,
    /// Configured, but nothing measured what it checks (it neither passes nor fails the gate).
    NotMeasured,
}

/// What kind of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A minimum (`quality_threshold`...).
    Threshold,
    /// A maximum count (`blocking_rules`).
    Blocking,
    /// Per-file coverage floors.
    FileFloor,
    /// A component's coverage target.
    Component,
}

/// One checked rule with its measured value and limit.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct RuleResult {
    /// Stable id: `quality_threshold`, `blocking_rules.test_failures`,
    /// `file_coverage_floors[0]`, `components.backend`...
    pub id: String,
    /// Which kind of rule.
    pub kind: RuleKind,
    /// How it came out.
    pub status: RuleStatus,
    /// The measured value (a score, a percentage or a count).
    pub measured: Option<f64>,
    /// The limit it was held to.
    pub limit: f64,
    /// `>=` for minimums, `<=` for maximum counts.
    pub comparison: String,
    /// One sentence saying what was checked and how it came out.
    pub message: String,
    /// For floors and counts: the files or items that breached, most important first (bounded;
    /// `report.json` has all of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
}

/// An item behind a rule's count: a file under its floor, a failing test, a finding.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Detail {
    /// What it is.
    pub text: String,
    /// Repository-relative file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// A component's own coverage.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct ComponentResult {
    /// Its name.
    pub name: String,
    /// Files with coverage data under its patterns.
    pub files: u64,
    /// Coverable lines.
    pub lines_total: u64,
    /// Covered lines.
    pub lines_covered: u64,
    /// Line coverage, percent.
    pub line_percent: Option<f64>,
    /// Its target, percent.
    pub coverage_threshold: Option<f64>,
    /// Unsuppressed findings located in its files.
    pub findings: u64,
}

/// A failing test, for tables and annotations.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct FailingTest {
    /// Suite name.
    pub suite: String,
    /// Test name (with its class where the report gives one).
    pub name: String,
    /// `failed` or `errored`.
    pub status: String,
    /// First line of the failure message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Repository-relative file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// A file's line coverage, for the worst-files table.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct FileRow {
    /// Repository-relative path.
    pub path: String,
    /// Coverable lines.
    pub lines_total: u64,
    /// Covered lines.
    pub lines_covered: u64,
    /// Line coverage, percent.
    pub line_percent: f64,
}

/// A finding worth an annotation.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Problem {
    /// `error`, `warning` or `notice` (the workflow-command levels).
    pub level: String,
    /// Short title: the tool and rule.
    pub title: String,
    /// The message.
    pub message: String,
    /// Repository-relative file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based end line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// 1-based column, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// Headline counts of what was read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Counts {
    /// Line coverage over all coverage inputs, percent.
    pub line_coverage: Option<f64>,
    /// Coverable lines.
    pub lines_total: u64,
    /// Covered lines.
    pub lines_covered: u64,
    /// Files with coverage data.
    pub coverage_files: u64,
    /// Test cases.
    pub tests_total: u64,
    /// Passed (flaky ones included).
    pub tests_passed: u64,
    /// Failed.
    pub tests_failed: u64,
    /// Errored.
    pub tests_errored: u64,
    /// Skipped.
    pub tests_skipped: u64,
    /// Todo.
    pub tests_todo: u64,
    /// Passed after retries.
    pub tests_flaky: u64,
    /// Unsuppressed findings.
    pub findings_total: u64,
    /// Error level.
    pub findings_error: u64,
    /// Warning level.
    pub findings_warning: u64,
    /// Note level.
    pub findings_note: u64,
    /// Suppressed in source (not counted elsewhere).
    pub findings_suppressed: u64,
    /// Security findings of critical severity.
    pub critical_security_issues: u64,
    /// Error-level correctness findings.
    pub critical_bugs: u64,
    /// Error-level type-checker findings.
    pub type_errors: u64,
    /// Failed plus errored tests.
    pub test_failures: u64,
}

/// How the environment was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
pub struct EnvironmentChoice {
    /// Its name.
    pub name: String,
    /// Why this one (`--environment`, `tag v1.2.0`, `default branch main`...).
    pub reason: String,
}

/// The gate's decision.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Verdict {
    /// True when no rule failed.
    pub passed: bool,
    /// The environment whose thresholds applied.
    pub environment: EnvironmentChoice,
    /// The thresholds that applied (`extends` resolved).
    pub thresholds: Thresholds,
    /// The weighted total, 0-100; absent when no dimension was measured.
    pub score: Option<f64>,
    /// Each dimension, measured or not.
    pub dimensions: Vec<DimensionScore>,
    /// Every rule checked, failed ones first.
    pub rules: Vec<RuleResult>,
    /// Components, in config order.
    pub components: Vec<ComponentResult>,
    /// Headline counts.
    pub counts: Counts,
    /// Failing tests (at most [`super::MAX_LISTED`]; `counts.test_failures` has the number).
    pub failing_tests: Vec<FailingTest>,
    /// Files with the lowest line coverage (at most [`super::MAX_LISTED`]).
    pub worst_files: Vec<FileRow>,
    /// The most important problems, for annotations (most important first, bounded).
    pub problems: Vec<Problem>,
    /// Notes about the inputs (budgets without a measured value, missing files...).
    pub notes: Vec<String>,
}

impl Verdict {
    /// The rules that failed.
    pub fn failed_rules(&self) -> impl Iterator<Item = &RuleResult> {
        self.rules.iter().filter(|r| r.status == RuleStatus::Failed)
    }

    /// A dimension's entry.
    pub fn dimension(&self, d: Dimension) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|s| s.dimension == d)
    }
}
