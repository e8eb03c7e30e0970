//! Findings → SARIF 2.1.0 that GitHub code scanning accepts and shows well.
//!
//! Shape: one run per tool (findings of every input with the same `tool` share it), with
//! `automationDetails.id` = `<category>/` (the `--category` given, else the tool's name in
//! lower case), so each run is unique per tool and category in the file.
//!
//! Rules (`tool.driver.rules`, one per rule id, in first-seen order):
//! - `shortDescription`: the scanner's short description, else its rule name, else
//!   `<tool> rule <id>`; `fullDescription`: the scanner's full description, else the short one.
//!   Both are cut to 1,024 characters, `name` to 255.
//! - `help` (text and Markdown): the scanner's remediation where it gives one; for package
//!   findings the upgrade to make (`Upgrade <package> <version> to <fixed version>`, per
//!   package) and the advisory links; else a pointer to the rule's documentation.
//! - `properties.security-severity`, a string with one decimal in (0, 10]: the highest of the
//!   rule's results, each scored as: its CVSS base score where the scanner gives one; else its
//!   severity: critical 9.5, high 8.0, medium 5.5, low 2.0, info 0.1; else its level: error 8.0,
//!   warning 5.5, note 2.0, none 0.1 (the middle of GitHub's bands: ≥ 9 critical, ≥ 7 high,
//!   ≥ 4 medium, else low; 0.1 because 0 is outside the range GitHub accepts). GitHub applies it
//!   only to rules tagged `security`, so lint rules keep their error/warning/note display.
//! - `properties.tags`: `security` for security findings, the CWE ids as GitHub reads them
//!   (`external/cwe/cwe-079`), then the scanner's tags; at most 20.
//! - `defaultConfiguration.level`: the highest level of the rule's results.
//!
//! A finding without a rule id gets the rule `<tool>/no-rule-id`.
//!
//! Results: `ruleId` and `ruleIndex`, the finding's level, its message (a message that is
//! empty becomes `<rule id> (<tool>)`), one location with a repository-relative
//! `artifactLocation.uri` under `%SRCROOT%` and a region whose `startLine` is at least 1, and
//! `partialFingerprints.primaryLocationLineHash` (see [`super::limits::fill_fingerprints`]).
//! Findings suppressed in source keep a `suppressions` entry of kind `inSource`.
//!
//! Where a result points, first that applies:
//! 1. the finding's own file when it is a file of the repository;
//! 2. for a package finding, its manifest or lockfile (`package.manifest`) when it is in the
//!    repository, at the first line naming the package;
//! 3. for a container-image finding (an `artifact` is named, or an OS package type such as
//!    apk, deb, rpm), the repository's Dockerfile at the `FROM` line of that image, else at the
//!    last `FROM` (the final stage);
//! 4. for a package finding, a lockfile or manifest of its ecosystem at the repository root
//!    (`package-lock.json`, `Cargo.lock`, `requirements.txt`...), at the line naming it;
//! 5. the finding's own path even though the repository does not have it (made relative: a
//!    leading `/` or drive is dropped), line 1 when the tool gives none;
//! 6. nowhere: the finding is left out and counted in the summary (GitHub rejects results
//!    without a location, and pinning one to an unrelated file would mislead).
//!
//! Secrets: messages of secret scanners (gitleaks, trufflehog, detect-secrets, findings tagged
//! `secret`) have every token that looks like a credential replaced by `[REDACTED]`; in every
//! other message, tokens with a well-known credential prefix (`AKIA`, `ghp_`, `xoxb-`...) are.
//! Snippets are never written.

use super::{Repo, SRCROOT, Summary};
use crate::model::{Category, Finding, Level, PackageRef, Severity};
use serde_json::Value;
use serde_sarif::sarif as s;
use std::collections::{BTreeMap, HashMap};

/// What `convert` was asked for beyond the inputs.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// `automationDetails.id` category for every run (default: the tool's name).
    pub category: Option<String>,
    /// Leave out findings below this severity (levels map as error → high, warning →
    /// medium, note → low, none → info).
    pub min_severity: Option<Severity>,
}

/// Parses a `--min-severity` value: a severity or a SARIF level.
pub fn parse_min_severity(s: &str) -> Option<Severity> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" | "error" => Severity::High,
        "medium" | "moderate" | "warning" => Severity::Medium,
        "low" | "note" => Severity::Low,
        "info" | "informational" | "none" => Severity::Info,
        _ => return None,
    })
}

/// The severity a finding counts as: its own, else its level's.
pub fn effective_severity(f: &Finding) -> Severity {
    f.severity.unwrap_or(match f.level {
        Level::Error => Severity::High,
        Level::Warning => Severity::Medium,
        Level::Note => Severity::Low,
        Level::None => Severity::Info,
    })
}

/// The `security-severity` score of one finding (see the module documentation).
pub fn score(f: &Finding) -> f64 {
    if let Some(c) = f
        .rule_info
        .as_ref()
        .and_then(|r| r.cvss)
        .filter(|c| c.is_finite() && *c > 0.0 && *c <= 10.0)
    {
        return c;
    }
    match f.severity {
        Some(Severity::Critical) => 9.5,
        Some(Severity::High) => 8.0,
        Some(Severity::Medium) => 5.5,
        Some(Severity::Low) => 2.0,
        Some(Severity::Info) => 0.1,
        None => level_score(f.level),
    }
}

/// The score a bare level maps to.
pub fn level_score(l: Level) -> f64 {
    match l {
        Level::Error => 8.0,
        Level::Warning => 5.5,
        Level::Note => 2.0,
        Level::None => 0.1,
    }
}

/// `security-severity` as GitHub wants it: a string with one decimal in (0, 10].
pub fn score_text(x: f64) -> String {
    format!("{:.1}", x.clamp(0.1, 10.0))
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::None => "none",
    }
}

fn sarif_level(l: Level) -> s::ResultLevel {
    match l {
        Level::Error => s::ResultLevel::Error,
        Level::Warning => s::ResultLevel::Warning,
        Level::Note => s::ResultLevel::Note,
        Level::None => s::ResultLevel::None,
    }
}

/// The category a tool's run gets without `--category`.
pub fn default_category(tool: &str) -> String {
    let mut out = String::new();
    for c in tool.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "sarif".into() } else { out }
}

/// `automationDetails.id` for a category: GitHub reads the part before the last `/`.
pub fn automation_id(category: &str) -> String {
    let c = category.trim();
    if c.ends_with('/') {
        c.to_string()
    } else {
        format!("{c}/")
    }
}

/// Where a result points.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placed {
    path: String,
    line: u32,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Tool,
    Manifest,
    Dockerfile,
    Lockfile,
    Outside,
}

/// Rule metadata gathered over a rule's findings.
#[derive(Default)]
struct RuleAcc {
    id: String,
    name: Option<String>,
    short: Option<String>,
    full: Option<String>,
    help: Option<String>,
    help_uri: Option<String>,
    tags: Vec<String>,
    cwe: Vec<String>,
    references: Vec<String>,
    security: bool,
    score: f64,
    level: Level,
    /// Upgrade lines for package findings: (package, installed, fixed).
    upgrades: Vec<(String, Option<String>, Option<String>)>,
    tool: String,
}

/// Most upgrade lines listed in one rule's help.
const MAX_UPGRADES: usize = 20;

impl RuleAcc {
    fn add(&mut self, f: &Finding) {
        if let Some(ri) = f.rule_info.as_deref() {
            fill(&mut self.name, &ri.name);
            fill(&mut self.short, &ri.short_description);
            fill(&mut self.full, &ri.full_description);
            fill(&mut self.help, &ri.help);
            for t in &ri.tags {
                push_unique(&mut self.tags, t);
            }
            for c in &ri.cwe {
                push_unique(&mut self.cwe, c);
            }
            for r in &ri.references {
                push_unique(&mut self.references, r);
            }
        }
        if self.help_uri.is_none() {
            self.help_uri = f
                .help_uri
                .as_ref()
                .filter(|u| super::has_scheme(u) && !u.contains(char::is_whitespace))
                .cloned();
        }
        self.security |= f.category == Category::Security;
        self.score = self.score.max(score(f));
        self.level = self.level.max(f.level);
        if let Some(p) = f.package.as_deref()
            && self.upgrades.len() < MAX_UPGRADES
        {
            let u = (p.name.clone(), p.version.clone(), p.fixed_version.clone());
            if !self.upgrades.contains(&u) {
                self.upgrades.push(u);
            }
        }
    }

    fn descriptor(&self) -> s::ReportingDescriptor {
        let tool = display_tool(&self.tool);
        let short = self
            .short
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| format!("{tool} rule {}", self.id));
        let full = self.full.clone().unwrap_or_else(|| short.clone());
        let (help_text, help_md) = self.help_texts(&tool);
        let mut tags: Vec<String> = Vec::new();
        if self.security {
            tags.push("security".into());
        }
        for c in &self.cwe {
            if let Some(t) = cwe_tag(c) {
                push_unique(&mut tags, &t);
            }
        }
        for t in &self.tags {
            push_unique(&mut tags, t);
        }
        tags.truncate(super::limits::Limits::default().tags_per_rule);
        let mut extra = BTreeMap::new();
        extra.insert(
            "security-severity".to_string(),
            Value::String(score_text(self.score)),
        );
        let props = s::PropertyBag {
            tags: (!tags.is_empty()).then_some(tags),
            additional_properties: extra,
        };
        let mut d = s::ReportingDescriptor::builder()
            .id(self.id.clone())
            .short_description(mms(cut(&short, 1024)))
            .full_description(mms(cut(&full, 1024)))
            .help(
                s::MultiformatMessageString::builder()
                    .text(help_text)
                    .markdown(help_md)
                    .build(),
            )
            .default_configuration(
                s::ReportingConfiguration::builder()
                    .level(Value::String(level_word(self.level).into()))
                    .build(),
            )
            .properties(props)
            .build();
        if let Some(n) = &self.name {
            d.name = Some(cut(n, 255));
        }
        d.help_uri = self.help_uri.clone();
        d
    }

    /// Help as text and Markdown: the scanner's, else upgrades and links, else a pointer.
    fn help_texts(&self, tool: &str) -> (String, String) {
        let mut text = Vec::new();
        let mut md = Vec::new();
        if let Some(h) = self.help.as_deref().filter(|h| !h.trim().is_empty()) {
            text.push(h.to_string());
            md.push(h.to_string());
        }
        for (name, version, fixed) in &self.upgrades {
            let from = version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            let line = match fixed.as_deref().filter(|f| !f.trim().is_empty()) {
                Some(f) => format!("Upgrade {name}{from} to {f}."),
                None => format!(
                    "No fixed version of {name}{from} is known yet: remove or replace it, or accept the risk."
                ),
            };
            md.push(format!("- {line}"));
            text.push(line);
        }
        let mut links: Vec<&str> = self.help_uri.iter().map(String::as_str).collect();
        for r in &self.references {
            if links.len() >= 5 {
                break;
            }
            if !links.contains(&r.as_str()) {
                links.push(r);
            }
        }
        if text.is_empty() {
            let fallback = if links.is_empty() {
                format!(
                    "{tool} reported {} here: fix the code as the message says, or suppress the finding with {tool}'s own mechanism if it is intended.",
                    self.id
                )
            } else {
                format!(
                    "{tool} reported {}: see the rule's documentation for why it matters and how to fix it.",
                    self.id
                )
            };
            text.push(fallback.clone());
            md.push(fallback);
        }
        for l in &links {
            text.push(format!("More: {l}"));
            md.push(format!("- [{l}]({l})"));
        }
        (text.join("\n"), md.join("\n\n"))
    }
}

fn fill(slot: &mut Option<String>, v: &Option<String>) {
    if slot.is_none()
        && let Some(x) = v.as_ref().filter(|x| !x.trim().is_empty())
    {
        *slot = Some(x.trim().to_string());
    }
}

fn push_unique(v: &mut Vec<String>, x: &str) {
    let x = x.trim();
    if !x.is_empty() && !v.iter().any(|y| y == x) {
        v.push(x.to_string());
    }
}

fn mms(text: String) -> s::MultiformatMessageString {
    s::MultiformatMessageString::builder().text(text).build()
}

/// At most `max` characters, with an ellipsis when cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `CWE-79`, `cwe-079`, `79` → `external/cwe/cwe-079` (how CodeQL tags, which GitHub reads).
fn cwe_tag(c: &str) -> Option<String> {
    let digits: String = c
        .trim()
        .trim_start_matches(|ch: char| !ch.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: u32 = digits.parse().ok()?;
    Some(format!("external/cwe/cwe-{n:03}"))
}

/// The tool's name as people write it, for texts.
fn display_tool(tool: &str) -> String {
    let known = [
        ("eslint", "ESLint"),
        ("ruff", "Ruff"),
        ("mypy", "mypy"),
        ("clippy", "Clippy"),
        ("rustc", "rustc"),
        ("pylint", "Pylint"),
        ("checkstyle", "Checkstyle"),
        ("bandit", "Bandit"),
        ("semgrep", "Semgrep"),
        ("trivy", "Trivy"),
        ("grype", "Grype"),
        ("gitleaks", "gitleaks"),
    ];
    let l = tool.to_ascii_lowercase();
    known
        .iter()
        .find(|(k, _)| *k == l)
        .map_or_else(|| tool.to_string(), |(_, v)| v.to_string())
}

fn is_secret_finding(f: &Finding) -> bool {
    let tool = f.tool.to_ascii_lowercase();
    [
        "gitleaks",
        "trufflehog",
        "detect-secrets",
        "ggshield",
        "secretlint",
    ]
    .iter()
    .any(|t| tool.starts_with(t))
        || f.rule_info.as_deref().is_some_and(|ri| {
            ri.tags
                .iter()
                .any(|t| t.eq_ignore_ascii_case("secret") || t.eq_ignore_ascii_case("secrets"))
        })
}

/// The findings written as one SARIF log, not yet fingerprinted or limited ([`super::finish`]
/// does that). Findings left out are counted in `summary`.
pub fn build(findings: &[Finding], repo: &Repo, opts: &Options, summary: &mut Summary) -> Value {
    build_with_tools(findings, &[], repo, opts, summary)
}

/// [`build`], with an empty run for each of `tools` that has no finding (a clean report
/// still clears the tool's earlier alerts on GitHub).
pub fn build_with_tools(
    findings: &[Finding],
    tools: &[String],
    repo: &Repo,
    opts: &Options,
    summary: &mut Summary,
) -> Value {
    let mut order: Vec<String> = Vec::new();
    let mut by_tool: HashMap<&str, Vec<&Finding>> = HashMap::new();
    let mut below = 0usize;
    for f in findings {
        if let Some(min) = opts.min_severity
            && effective_severity(f) < min
        {
            below += 1;
            continue;
        }
        let tool = f.tool.as_str();
        if !by_tool.contains_key(tool) {
            order.push(tool.to_string());
        }
        by_tool.entry(tool).or_default().push(f);
    }
    for t in tools {
        if !order.contains(t) {
            order.push(t.clone());
        }
    }
    if below > 0 {
        summary.dropped.push(format!(
            "{below} finding(s) below --min-severity {}",
            severity_word(opts.min_severity.unwrap_or(Severity::Info))
        ));
    }
    let mut runs = Vec::new();
    let mut placed_count: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut redacted = 0usize;
    for tool in &order {
        let list = by_tool.remove(tool.as_str()).unwrap_or_default();
        let mut rules: Vec<RuleAcc> = Vec::new();
        let mut rule_ix: HashMap<String, usize> = HashMap::new();
        let mut results = Vec::new();
        let mut nowhere: BTreeMap<String, usize> = BTreeMap::new();
        for f in list {
            let Some(p) = place(f, repo) else {
                *nowhere
                    .entry(f.rule.clone().unwrap_or_default())
                    .or_default() += 1;
                continue;
            };
            match p.how {
                How::Manifest => {
                    *placed_count
                        .entry("a manifest or lockfile named by the scanner")
                        .or_default() += 1
                }
                How::Dockerfile => {
                    *placed_count.entry("the Dockerfile FROM line").or_default() += 1
                }
                How::Lockfile => {
                    *placed_count
                        .entry("a lockfile or manifest at the repository root")
                        .or_default() += 1
                }
                How::Outside => {
                    *placed_count
                        .entry("a path that is not in the repository (kept as the tool wrote it)")
                        .or_default() += 1
                }
                How::Tool => {}
            }
            let rule_id = f
                .rule
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| format!("{}/no-rule-id", default_category(tool)));
            let ix = *rule_ix.entry(rule_id.clone()).or_insert_with(|| {
                rules.push(RuleAcc {
                    id: rule_id.clone(),
                    tool: tool.clone(),
                    level: Level::None,
                    ..Default::default()
                });
                rules.len() - 1
            });
            rules[ix].add(f);
            let (message, changed) = redact(&f.message, is_secret_finding(f), &p.path);
            redacted += usize::from(changed);
            let message = if message.trim().is_empty() {
                format!("{rule_id} ({tool})")
            } else {
                message
            };
            results.push(result(f, &rule_id, ix, message, &p));
        }
        for (rule, n) in nowhere {
            let rule = if rule.is_empty() {
                "no rule id".into()
            } else {
                rule
            };
            summary.dropped.push(format!(
                "{n} finding(s) of {tool} ({rule}) with no location in the repository (no file, manifest, lockfile or Dockerfile to point at)"
            ));
        }
        let category = opts
            .category
            .clone()
            .unwrap_or_else(|| default_category(tool));
        let driver = s::ToolComponent::builder()
            .name(tool.clone())
            .rules(rules.iter().map(RuleAcc::descriptor).collect::<Vec<_>>())
            .build();
        let run = s::Run::builder()
            .tool(s::Tool::builder().driver(driver).build())
            .results(results)
            .automation_details(s::RunAutomationDetails {
                id: Some(automation_id(&category)),
                ..Default::default()
            })
            .build();
        runs.push(run);
    }
    for (how, n) in placed_count {
        summary.notes.push(format!("{n} result(s) point at {how}"));
    }
    if redacted > 0 {
        summary.notes.push(format!(
            "{redacted} message(s) had secret-looking text redacted"
        ));
    }
    let log = s::Sarif::builder()
        .schema(super::SCHEMA_URI)
        .version(Value::String("2.1.0".into()))
        .runs(runs)
        .build();
    serde_json::to_value(log).unwrap_or(Value::Null)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

fn result(f: &Finding, rule_id: &str, ix: usize, message: String, p: &Placed) -> s::Result {
    let mut region = s::Region {
        start_line: Some(i64::from(p.line.max(1))),
        ..Default::default()
    };
    if p.how == How::Tool || p.how == How::Outside {
        region.start_column = p.column.map(i64::from);
        let start_line = p.line.max(1);
        let end_line = p.end_line.filter(|e| *e >= start_line);
        region.end_line = end_line.map(i64::from);
        let same_line = end_line.is_none_or(|e| e == start_line);
        region.end_column = p
            .end_column
            .filter(|ec| !same_line || p.column.is_none_or(|c| *ec >= c))
            .map(i64::from);
    }
    let loc = s::Location {
        physical_location: Some(s::PhysicalLocation {
            artifact_location: Some(s::ArtifactLocation {
                uri: Some(p.path.clone()),
                uri_base_id: Some(SRCROOT.into()),
                ..Default::default()
            }),
            region: Some(region),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut fp = BTreeMap::new();
    if let Some((_, v)) = f
        .fingerprints
        .iter()
        .find(|(k, _)| k == "primaryLocationLineHash")
    {
        fp.insert("primaryLocationLineHash".to_string(), v.clone());
    } else if let Some(pkg) = f.package.as_deref() {
        fp.insert(
            "primaryLocationLineHash".to_string(),
            super::fingerprint::identity_hash(&package_identity(&f.tool, pkg, &p.path)),
        );
    }
    let mut r = s::Result::builder()
        .message(s::Message {
            text: Some(message),
            ..Default::default()
        })
        .rule_id(rule_id.to_string())
        .rule_index(ix as i64)
        .level(sarif_level(f.level))
        .locations(vec![loc])
        .build();
    if !fp.is_empty() {
        r.partial_fingerprints = Some(fp);
    }
    if f.suppressed {
        r.suppressions = Some(vec![
            s::Suppression::builder()
                .kind(Value::String("inSource".into()))
                .build(),
        ]);
    }
    r
}

/// What identifies a package finding apart from its line: the same advisory in two packages
/// (libssl and libcrypto) placed on the same Dockerfile line must stay two alerts.
fn package_identity<'a>(tool: &'a str, p: &'a PackageRef, path: &'a str) -> [&'a str; 6] {
    [
        tool,
        p.ecosystem.as_deref().unwrap_or(""),
        &p.name,
        p.version.as_deref().unwrap_or(""),
        p.artifact
            .as_deref()
            .or(p.manifest.as_deref())
            .unwrap_or(""),
        path,
    ]
}

/// Package types of operating-system packages (found in images, brought in by `FROM`).
const OS_PACKAGES: &[&str] = &[
    "apk",
    "deb",
    "rpm",
    "alpine",
    "debian",
    "ubuntu",
    "centos",
    "redhat",
    "rhel",
    "amazon",
    "oracle",
    "photon",
    "wolfi",
    "chainguard",
    "alma",
    "rocky",
    "suse",
    "opensuse",
    "os",
];

/// Lockfiles and manifests per ecosystem, most precise first.
const ECOSYSTEM_FILES: &[(&[&str], &[&str])] = &[
    (
        &["npm", "node", "yarn", "pnpm", "javascript"],
        &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "package.json",
        ],
    ),
    (
        &["pypi", "pip", "python", "poetry", "pipenv", "uv"],
        &[
            "requirements.txt",
            "poetry.lock",
            "Pipfile.lock",
            "uv.lock",
            "pyproject.toml",
            "Pipfile",
        ],
    ),
    (
        &["cargo", "crates.io", "rust"],
        &["Cargo.lock", "Cargo.toml"],
    ),
    (&["go", "gomod", "golang"], &["go.sum", "go.mod"]),
    (
        &["maven", "pom", "java", "jar", "gradle"],
        &[
            "pom.xml",
            "gradle.lockfile",
            "build.gradle",
            "build.gradle.kts",
        ],
    ),
    (
        &["gem", "rubygems", "bundler", "gemspec", "ruby"],
        &["Gemfile.lock", "Gemfile"],
    ),
    (
        &["composer", "php", "packagist"],
        &["composer.lock", "composer.json"],
    ),
    (&["nuget", "dotnet", ".net"], &["packages.lock.json"]),
];

fn place(f: &Finding, repo: &Repo) -> Option<Placed> {
    let tool_loc = f.location.as_ref().filter(|l| !l.path.trim().is_empty());
    if let Some(l) = tool_loc
        && repo.exists(&l.path)
    {
        return Some(Placed {
            path: l.path.clone(),
            line: l.line.max(1),
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
            how: How::Tool,
        });
    }
    if let Some(p) = f.package.as_deref() {
        if let Some(m) = p.manifest.as_deref().filter(|m| repo.exists(m)) {
            return Some(at_line(
                m,
                find_package_line(repo, m, &p.name),
                How::Manifest,
            ));
        }
        let eco = p.ecosystem.as_deref().unwrap_or("").to_ascii_lowercase();
        let image = p.artifact.is_some() || OS_PACKAGES.contains(&eco.as_str());
        if image && let Some((file, line)) = dockerfile_from(repo, p.artifact.as_deref()) {
            return Some(at_line(&file, line, How::Dockerfile));
        }
        if !eco.is_empty()
            && let Some((_, files)) = ECOSYSTEM_FILES
                .iter()
                .find(|(names, _)| names.iter().any(|n| eco == *n || eco.contains(n)))
            && let Some(file) = files.iter().find(|f| repo.exists(f))
        {
            return Some(at_line(
                file,
                find_package_line(repo, file, &p.name),
                How::Lockfile,
            ));
        }
    }
    let l = tool_loc?;
    let path = outside_path(&l.path)?;
    Some(Placed {
        path,
        line: l.line.max(1),
        column: l.column,
        end_line: l.end_line,
        end_column: l.end_column,
        how: How::Outside,
    })
}

fn at_line(path: &str, line: u32, how: How) -> Placed {
    Placed {
        path: path.to_string(),
        line: line.max(1),
        column: None,
        end_line: None,
        end_column: None,
        how,
    }
}

/// A path the repository does not have, made relative so GitHub accepts it; `None` for URIs
/// of other schemes (GitHub rejects those) and empty paths.
pub(super) fn outside_path(p: &str) -> Option<String> {
    let p = p.trim().replace('\\', "/");
    if super::has_scheme(&p) {
        return None;
    }
    let p = if p.len() > 2 && p.as_bytes()[1] == b':' {
        &p[2..]
    } else {
        &p[..]
    };
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The first line of a manifest naming the package as a whole word (1 when none does).
fn find_package_line(repo: &Repo, file: &str, name: &str) -> u32 {
    let Some(bytes) = repo.read(file) else {
        return 1;
    };
    let text = String::from_utf8_lossy(&bytes);
    let name = name.trim();
    if name.is_empty() {
        return 1;
    }
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/');
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(pos) = line[from..].find(name) {
            let start = from + pos;
            let end = start + name.len();
            // `node_modules/lodash` names it too: a path separator may precede.
            let before_ok = line[..start]
                .chars()
                .next_back()
                .is_none_or(|c| c == '/' || !is_name_char(c));
            // `lodash@4.17.20`, `lodash==1.0` and `"lodash"` all name it; `lodash-es` does not.
            let after_ok = line[end..]
                .chars()
                .next()
                .is_none_or(|c| !is_name_char(c) || c == '@' || c == '.');
            if before_ok && after_ok {
                return u32::try_from(i + 1).unwrap_or(1);
            }
            from = end;
        }
    }
    1
}

/// The Dockerfile line that brought an image's packages in: the `FROM` naming `artifact`,
/// else the last `FROM` of the shallowest Dockerfile.
fn dockerfile_from(repo: &Repo, artifact: Option<&str>) -> Option<(String, u32)> {
    let wanted = artifact.map(image_name);
    let mut fallback: Option<(String, u32)> = None;
    for file in repo.dockerfiles() {
        let Some(bytes) = repo.read(file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut last = None;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if t.len() < 5 || !t[..5].eq_ignore_ascii_case("from ") {
                continue;
            }
            let n = u32::try_from(i + 1).unwrap_or(1);
            last = Some(n);
            let image = t[5..]
                .split_whitespace()
                .find(|w| !w.starts_with("--"))
                .unwrap_or("");
            if let Some(w) = &wanted
                && !w.is_empty()
                && image_name(image) == *w
            {
                return Some((file.clone(), n));
            }
        }
        if fallback.is_none()
            && let Some(n) = last
        {
            fallback = Some((file.clone(), n));
        }
    }
    fallback
}

/// `registry.example.com/team/app:1.2@sha256:...` → `app`.
fn image_name(r: &str) -> String {
    let r = r.split('@').next().unwrap_or(r);
    let last = r.rsplit('/').next().unwrap_or(r);
    let last = last.split(':').next().unwrap_or(last);
    last.split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Credential prefixes that are secrets wherever they appear.
const SECRET_PREFIXES: &[&str] = &[
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxs-",
    "sk_live_",
    "rk_live_",
    "AIza",
    "npm_",
    "pypi-",
];

/// The message with secret-looking tokens replaced, and whether anything was.
pub fn redact(msg: &str, secret_finding: bool, path: &str) -> (String, bool) {
    let is_sep = |c: char| c.is_whitespace() || "\"'`=:,;()[]{}<>".contains(c);
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let mut out = String::with_capacity(msg.len());
    let mut changed = false;
    let mut prev_word = "";
    let mut start: Option<usize> = None;
    let mut flush = |tok: &str, out: &mut String, prev: &str| {
        let drop = SECRET_PREFIXES
            .iter()
            .any(|p| tok.starts_with(p) && tok.len() >= p.len() + 12)
            || (secret_finding
                && tok != path
                && tok != file_name
                && !(prev.eq_ignore_ascii_case("commit")
                    && tok.bytes().all(|b| b.is_ascii_hexdigit()))
                && looks_random(tok));
        if drop {
            out.push_str("[REDACTED]");
            changed = true;
        } else {
            out.push_str(tok);
        }
    };
    for (i, c) in msg.char_indices() {
        if is_sep(c) {
            if let Some(s0) = start.take() {
                let tok = &msg[s0..i];
                flush(tok, &mut out, prev_word);
                prev_word = tok;
            }
            out.push(c);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s0) = start {
        flush(&msg[s0..], &mut out, prev_word);
    }
    (out, changed)
}

/// Long, mixed and high-entropy: how generated keys and tokens look, and words and paths
/// do not.
fn looks_random(tok: &str) -> bool {
    let tok = tok.trim_end_matches('.');
    if tok.len() < 12 || tok.chars().all(|c| c == '*') {
        return false;
    }
    let lower = tok.bytes().any(|b| b.is_ascii_lowercase());
    let upper = tok.bytes().any(|b| b.is_ascii_uppercase());
    let digit = tok.bytes().any(|b| b.is_ascii_digit());
    // Identifiers (UPPER_SNAKE, kebab-case words) are not keys; keys mix cases or digits.
    if !((digit && (lower || upper)) || (lower && upper)) {
        return false;
    }
    let mut counts = [0u32; 256];
    for b in tok.bytes() {
        counts[b as usize] += 1;
    }
    let n = tok.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        let (m, c) = redact(
            "generic-api-key has detected secret for file auth.py at commit 1b6da43b82b22e4eaa10bcf8ee591e91abbfc587: key=sk8Hw2pQ9zLmX4vT7rYb",
            true,
            "auth.py",
        );
        assert!(c);
        assert!(
            m.contains("1b6da43b82b22e4eaa10bcf8ee591e91abbfc587"),
            "{m}"
        );
        assert!(m.contains("key=[REDACTED]"), "{m}");
        let (m, c) = redact("token AKIAIOSFODNN7EXAMPLE in config", false, "");
        assert!(c);
        assert_eq!(m, "token [REDACTED] in config");
        let (m, c) = redact("'os' imported but unused in src/app/module_4.py", false, "");
        assert!(!c);
        assert_eq!(m, "'os' imported but unused in src/app/module_4.py");
        let (_, c) = redact("Match: AWS_ACCESS_KEY_ID=********************", true, "");
        assert!(!c);
    }

    #[test]
    fn categories() {
        assert_eq!(default_category("ESLint"), "eslint");
        assert_eq!(
            default_category("Trivy Vulnerability Scanner"),
            "trivy-vulnerability-scanner"
        );
        assert_eq!(automation_id("js"), "js/");
        assert_eq!(automation_id("js/"), "js/");
        assert_eq!(cwe_tag("CWE-79").as_deref(), Some("external/cwe/cwe-079"));
        assert_eq!(
            cwe_tag("cwe-1333").as_deref(),
            Some("external/cwe/cwe-1333")
        );
        assert_eq!(
            image_name("docker.io/library/alpine:3.10@sha256:ab"),
            "alpine"
        );
        assert_eq!(
            outside_path("/usr/lib/x.so").as_deref(),
            Some("usr/lib/x.so")
        );
        assert_eq!(outside_path("https://x/y"), None);
    }
}
