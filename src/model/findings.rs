//! Findings: lint, type and security problems from any tool.

use serde::Serialize;

/// Findings read from one or more reports.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Findings {
    /// The findings, in report order.
    pub items: Vec<Finding>,
}

/// One problem a tool reported.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Tool that reported it (`eslint`, `ruff`, `clippy`, a SARIF driver name...).
    pub tool: String,
    /// Rule id, where the tool names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// SARIF-style level.
    pub level: Level,
    /// Security severity, where the tool gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// What kind of problem this is.
    pub category: Category,
    /// Message text.
    pub message: String,
    /// Where it is, if anywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Suppressed in source (eslint-disable, noqa, SARIF suppressions); kept but not counted.
    pub suppressed: bool,
    /// Link to the rule's documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    /// Fingerprint inputs the tool provides (SARIF `partialFingerprints` and the like).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fingerprints: Vec<(String, String)>,
    /// What the tool says about the rule: names, descriptions, remediation, tags, CWE, CVSS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_info: Option<Box<RuleInfo>>,
    /// The package a dependency or image finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Box<PackageRef>>,
}

/// Rule metadata a scanner gives with a finding (advisories, rule catalogs).
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    /// Short human name (`Use of weak hash`, an advisory title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One-line description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    /// Full description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_description: Option<String>,
    /// Remediation, Markdown (fixed version, advisory link, how to fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Tags (`security`, `vulnerability`, ecosystem...), CWE ids not included.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// CWE ids (`CWE-79`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<String>,
    /// CVSS base score, 0-10, where the scanner gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f64>,
    /// Advisory or rule documentation links beyond `help_uri`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A package a finding is about, and where it came from.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct PackageRef {
    /// Package name.
    pub name: String,
    /// Installed version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Versions that fix it, as the scanner writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    /// Ecosystem or package type (`npm`, `pypi`, `cargo`, `apk`, `deb`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecosystem: Option<String>,
    /// The manifest or lockfile the scanner found it in, as written (repository paths resolved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    /// The scanned artifact when it is not a file of the repository (a container image name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
}

/// A place in a file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// 1-based start line (0 when the tool gives none).
    pub line: u32,
    /// 1-based start column, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// 1-based end line, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// 1-based end column, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
}

/// SARIF result levels.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not a problem in itself.
    None,
    /// Informational.
    Note,
    /// Should be fixed.
    #[default]
    Warning,
    /// Must be fixed.
    Error,
}

/// Security severity (CVSS bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational or unknown.
    Info,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9.
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

/// Broad kind of finding, which the gate scores differently.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Style and correctness lints.
    #[default]
    Lint,
    /// Type checker errors.
    Type,
    /// Security scanners.
    Security,
    /// Compiler errors and warnings.
    Build,
}

/// Counts of unsuppressed findings by level.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FindingCounts {
    /// Unsuppressed findings.
    pub total: u64,
    /// Level error.
    pub error: u64,
    /// Level warning.
    pub warning: u64,
    /// Level note.
    pub note: u64,
    /// Level none.
    pub none: u64,
    /// Suppressed in source (not in the other counts).
    pub suppressed: u64,
}

impl Findings {
    /// Counts by level, suppressed findings apart.
    pub fn counts(&self) -> FindingCounts {
        let mut c = FindingCounts::default();
        for f in &self.items {
            if f.suppressed {
                c.suppressed += 1;
                continue;
            }
            c.total += 1;
            match f.level {
                Level::Error => c.error += 1,
                Level::Warning => c.warning += 1,
                Level::Note => c.note += 1,
                Level::None => c.none += 1,
            }
        }
        c
    }

    /// Appends another set.
    pub fn merge(&mut self, other: Findings) {
        self.items.extend(other.items);
    }
}
