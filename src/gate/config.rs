//! The quality-gate file: the shape teams already keep (`version`, `environments` with four
//! thresholds, `weighting`, `blocking_rules`), read unchanged, plus additive keys of ours
//! (`$schema`, `inputs`, `components`, `file_coverage_floors`, `performance`, and `extends`
//! inside an environment).
//!
//! How a file is taken:
//! - A section that is absent takes its default ([`Config::default`]: the three environments,
//!   weights and blocking rules of the documented example). A section that is present is taken
//!   as written: a threshold or blocking rule it leaves out is not checked.
//! - An environment with `extends` takes every threshold it does not set from the environment
//!   it names (transitively; a cycle is an error).
//! - Unknown keys are errors, so that a misspelt threshold cannot silently stop being checked.
//!
//! Errors carry the file, the line and column, and the key path (`environments.staging.quality_threshold`).

use super::jsonpos;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The whole quality-gate file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(title = "shipgate quality gates")]
pub struct Config {
    /// The JSON Schema this file follows (editors use it; shipgate ignores it).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Keys the file has that shipgate does not know and ignores, each with its position
    /// (`file:line:col: path: ...`), for the caller to show.
    #[serde(skip)]
    #[schemars(skip)]
    pub warnings: Vec<String>,
    /// Version of the file's shape, as teams write it (`1.0.0`). Informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Thresholds per environment (`development`, `staging`, `production`, or any name).
    #[serde(default = "default_environments")]
    pub environments: BTreeMap<String, Environment>,
    /// Weights of the dimensions in the total score, in percent; they must add up to 100.
    #[serde(default = "default_weighting")]
    pub weighting: Weighting,
    /// Maximum counts; any breach fails the gate whatever the score.
    #[serde(default = "default_blocking")]
    pub blocking_rules: BlockingRules,
    /// Report files to read, per kind (paths or glob patterns, relative to the repository root).
    #[serde(default, skip_serializing_if = "Inputs::is_empty")]
    pub inputs: Inputs,
    /// Parts of a monorepo with their own coverage targets, each reported on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Minimum line coverage of every file matching the patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_coverage_floors: Vec<FileFloor>,
    /// Performance budgets; their measured values come from metrics files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<Performance>,
}

/// Thresholds of one environment, each 0-100. A threshold that is absent is not checked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Environment {
    /// Another environment whose thresholds this one takes where it sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Minimum weighted total score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub quality_threshold: Option<f64>,
    /// Minimum security sub-score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub security_threshold: Option<f64>,
    /// Minimum line coverage, percent. Also the target the testing sub-score measures against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub coverage_threshold: Option<f64>,
    /// Minimum performance sub-score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub performance_threshold: Option<f64>,
}

/// Weights of the five dimensions, in percent. Absent ones weigh 0.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Weighting {
    /// Lint and build findings per 1,000 lines.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub code_quality: f64,
    /// Security findings by severity.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub security: f64,
    /// Performance budgets.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub performance: f64,
    /// Test pass rate and line coverage.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub testing: f64,
    /// Documentation findings per 1,000 lines.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub documentation: f64,
}

/// Maximum counts. A rule that is absent is not checked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct BlockingRules {
    /// Security findings of critical severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_security_issues: Option<u64>,
    /// Error-level correctness findings of linters and compilers (see docs/scoring.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_bugs: Option<u64>,
    /// Error-level findings of type checkers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_errors: Option<u64>,
    /// Failed plus errored tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_failures: Option<u64>,
}

/// Report files per kind. Paths and glob patterns are relative to the repository root.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Inputs {
    /// Coverage reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<String>,
    /// Test results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<String>,
    /// Lint, type-checker and compiler findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// Findings of security scanners: the security dimension is measured even when they are clean.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<String>,
    /// Findings of tools that ran documentation rules: the documentation dimension is measured
    /// even when they are clean.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documentation: Vec<String>,
    /// Metrics files (JSON objects of numbers) with the measured values of performance budgets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<String>,
}

impl Inputs {
    /// True when no input of any kind is listed.
    pub fn is_empty(&self) -> bool {
        self.coverage.is_empty()
            && self.tests.is_empty()
            && self.findings.is_empty()
            && self.security.is_empty()
            && self.documentation.is_empty()
            && self.metrics.is_empty()
    }
}

/// A part of a monorepo: the files under its patterns, held to its own coverage target.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Component {
    /// Its name, as reports show it.
    pub name: String,
    /// Glob patterns of its files, relative to the repository root (`backend/**`).
    pub paths: Vec<String>,
    /// Minimum line coverage of its files together, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub coverage_threshold: Option<f64>,
}

/// A coverage floor for single files.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct FileFloor {
    /// Glob patterns of the files it applies to (`src/payments/**`).
    pub paths: Vec<String>,
    /// Minimum line coverage of each matching file, percent.
    #[schemars(range(min = 0, max = 100))]
    pub minimum: f64,
}

/// Performance budgets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Performance {
    /// Budgets by metric name (`bundle_size_kb`, `build_time_s`...); the name is looked up in
    /// the metrics files (nested objects are addressed with dots: `bundle.main.size`).
    /// `tests.duration_s` is always available: the test reports' summed time.
    pub budgets: BTreeMap<String, Budget>,
}

/// One budget: a maximum, a minimum, or both.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Budget {
    /// The measured value must not exceed this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The measured value must not be below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Unit, for display only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

fn env(q: f64, s: f64, c: f64, p: f64) -> Environment {
    Environment {
        extends: None,
        quality_threshold: Some(q),
        security_threshold: Some(s),
        coverage_threshold: Some(c),
        performance_threshold: Some(p),
    }
}

fn default_environments() -> BTreeMap<String, Environment> {
    BTreeMap::from([
        ("development".to_string(), env(70.0, 80.0, 70.0, 60.0)),
        ("staging".to_string(), env(85.0, 90.0, 80.0, 75.0)),
        ("production".to_string(), env(90.0, 95.0, 85.0, 85.0)),
    ])
}

fn default_weighting() -> Weighting {
    Weighting {
        code_quality: 35.0,
        security: 25.0,
        performance: 20.0,
        testing: 15.0,
        documentation: 5.0,
    }
}

fn default_blocking() -> BlockingRules {
    BlockingRules {
        critical_security_issues: Some(0),
        critical_bugs: Some(0),
        type_errors: Some(0),
        test_failures: Some(0),
    }
}

impl Default for Config {
    /// What applies without a file: the documented example's environments, weights and
    /// blocking rules.
    fn default() -> Self {
        Config {
            schema: None,
            warnings: Vec::new(),
            version: None,
            environments: default_environments(),
            weighting: default_weighting(),
            blocking_rules: default_blocking(),
            inputs: Inputs::default(),
            components: Vec::new(),
            file_coverage_floors: Vec::new(),
            performance: None,
        }
    }
}

/// A config problem: where, which key, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file, as given.
    pub file: String,
    /// 1-based line and column, where known.
    pub at: Option<(usize, usize)>,
    /// The key path (`environments.staging.quality_threshold`); empty for the whole file.
    pub key: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((l, c)) = self.at {
            write!(f, ":{l}:{c}")?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.key, self.message)
        }
    }
}

/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// The thresholds that apply in one environment, `extends` resolved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Thresholds {
    /// Minimum weighted total score.
    pub quality: Option<f64>,
    /// Minimum security sub-score.
    pub security: Option<f64>,
    /// Minimum line coverage, percent.
    pub coverage: Option<f64>,
    /// Minimum performance sub-score.
    pub performance: Option<f64>,
}

/// Teams keep other keys in the file (notes, settings of other tools), and the file must be
/// read unchanged: an unknown key is a warning. One that is a near miss of a key shipgate
/// knows (`performance_treshold`) is an error instead, so a misspelt threshold cannot silently
/// stop being checked. The known keys come from the generated JSON Schema, so there is no
/// second list to keep in step.
fn unknown_keys(text: &str, name: &str) -> Result<Vec<String>, ConfigError> {
    // Syntax errors are reported by the typed parse that follows, with their position.
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Ok(Vec::new());
    };
    let schema = Config::schema();
    let mut found = Vec::new();
    walk_schema(&value, &schema, &schema, "", &mut found);
    let mut warnings = Vec::new();
    for (parent, key, known) in found {
        let path = if parent.is_empty() {
            key.clone()
        } else {
            format!("{parent}.{key}")
        };
        let at = jsonpos::position_of(text, &path);
        if let Some(near) = known.iter().find(|k| near_miss(&key, k)) {
            return Err(ConfigError {
                file: name.to_string(),
                at,
                key: path,
                message: format!("unknown key `{key}`; did you mean `{near}`?"),
            });
        }
        let place = at.map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
        warnings.push(format!(
            "{name}{place}: {path}: unknown key, ignored (shipgate reads: {})",
            known.join(", ")
        ));
    }
    Ok(warnings)
}

/// Collects `(parent path, key, known keys)` for keys the schema does not list.
fn walk_schema(
    v: &serde_json::Value,
    node: &serde_json::Value,
    root: &serde_json::Value,
    path: &str,
    out: &mut Vec<(String, String, Vec<String>)>,
) {
    let resolve = |n: &'_ serde_json::Value| -> serde_json::Value {
        let mut n = n.clone();
        for _ in 0..8 {
            let Some(r) = n.get("$ref").and_then(|r| r.as_str()) else {
                break;
            };
            let target = r
                .strip_prefix("#/")
                .and_then(|p| p.split('/').try_fold(root, |acc, seg| acc.get(seg)));
            match target {
                Some(t) => n = t.clone(),
                None => break,
            }
        }
        n
    };
    let node = resolve(node);
    if let Some(branches) = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(|b| b.as_array())
    {
        if let Some(b) = branches
            .iter()
            .map(&resolve)
            .find(|b| b.get("type").and_then(|t| t.as_str()) != Some("null"))
        {
            walk_schema(v, &b, root, path, out);
        }
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        serde_json::Value::Object(map) => {
            let props = node.get("properties").and_then(|p| p.as_object());
            let additional = node.get("additionalProperties").filter(|a| a.is_object());
            for (k, child) in map {
                if let Some(p) = props.and_then(|p| p.get(k)) {
                    walk_schema(child, p, root, &join(k), out);
                } else if let Some(a) = additional {
                    walk_schema(child, a, root, &join(k), out);
                } else if let Some(p) = props {
                    out.push((path.to_string(), k.clone(), p.keys().cloned().collect()));
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(it) = node.get("items") {
                for (i, x) in items.iter().enumerate() {
                    walk_schema(x, it, root, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// Same letters but for case, or at most two edits apart (for keys of five letters or more).
fn near_miss(key: &str, known: &str) -> bool {
    if key.eq_ignore_ascii_case(known) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (key.chars().collect(), known.chars().collect());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<(Config, Vec<u8>), ConfigError> {
        let name = path.display().to_string();
        let err = |message: String| ConfigError {
            file: name.clone(),
            at: None,
            key: String::new(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read: {e}")))?;
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(err(format!(
                "the file is {} bytes; a quality-gate config is at most {} MiB",
                meta.len(),
                MAX_CONFIG_BYTES >> 20
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| err(format!("not UTF-8 at byte {}", e.valid_up_to())))?;
        let cfg = Config::parse(text, &name)?;
        Ok((cfg, bytes))
    }

    /// Parses and checks config text; `name` is used in errors.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        objects_where_expected(text).map_err(|(key, message)| ConfigError {
            file: name.to_string(),
            at: jsonpos::position_of(text, &key),
            key,
            message,
        })?;
        let warnings = unknown_keys(text, name)?;
        let mut cfg: Config = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column());
            let key = if e.classify() == serde_json::error::Category::Data {
                jsonpos::path_at(text, line, column)
            } else {
                String::new()
            };
            ConfigError {
                file: name.to_string(),
                at: (line > 0).then_some((line, column)),
                key,
                message: friendly(&e),
            }
        })?;
        cfg.validate().map_err(|(key, message)| ConfigError {
            file: name.to_string(),
            at: jsonpos::position_of(text, &key),
            key,
            message,
        })?;
        cfg.warnings = warnings;
        Ok(cfg)
    }

    /// Semantic checks: ranges, weights, names. Returns the key path and the message.
    fn validate(&self) -> Result<(), (String, String)> {
        if self.environments.is_empty() {
            return Err((
                "environments".into(),
                "expected at least one environment".into(),
            ));
        }
        for (name, e) in &self.environments {
            let at = |k: &str| format!("environments.{name}.{k}");
            for (k, v) in [
                ("quality_threshold", e.quality_threshold),
                ("security_threshold", e.security_threshold),
                ("coverage_threshold", e.coverage_threshold),
                ("performance_threshold", e.performance_threshold),
            ] {
                if let Some(v) = v {
                    percent_range(v).map_err(|m| (at(k), m))?;
                }
            }
            if let Some(parent) = &e.extends
                && !self.environments.contains_key(parent)
            {
                return Err((
                    at("extends"),
                    format!(
                        "unknown environment `{parent}`; expected one of: {}",
                        self.environment_names().join(", ")
                    ),
                ));
            }
            self.thresholds(name).map_err(|m| (at("extends"), m))?;
        }
        let w = &self.weighting;
        let weights = [
            ("code_quality", w.code_quality),
            ("security", w.security),
            ("performance", w.performance),
            ("testing", w.testing),
            ("documentation", w.documentation),
        ];
        for (k, v) in weights {
            if !v.is_finite() || v < 0.0 {
                return Err((
                    format!("weighting.{k}"),
                    format!("expected a weight of 0 or more, got {v}"),
                ));
            }
        }
        let sum: f64 = weights.iter().map(|(_, v)| v).sum();
        if (sum - 100.0).abs() > 0.01 {
            return Err((
                "weighting".into(),
                format!(
                    "the weights must add up to 100; they add up to {}",
                    trim_num(sum)
                ),
            ));
        }
        let mut names = Vec::new();
        for (i, c) in self.components.iter().enumerate() {
            let at = |k: &str| format!("components[{i}].{k}");
            if c.name.trim().is_empty() {
                return Err((at("name"), "expected a non-empty name".into()));
            }
            if names.contains(&c.name.as_str()) {
                return Err((at("name"), format!("component `{}` is named twice", c.name)));
            }
            names.push(&c.name);
            patterns(&c.paths).map_err(|(j, m)| (format!("components[{i}].paths[{j}]"), m))?;
            if c.paths.is_empty() {
                return Err((at("paths"), "expected at least one path pattern".into()));
            }
            if let Some(v) = c.coverage_threshold {
                percent_range(v).map_err(|m| (at("coverage_threshold"), m))?;
            }
        }
        for (i, f) in self.file_coverage_floors.iter().enumerate() {
            if f.paths.is_empty() {
                return Err((
                    format!("file_coverage_floors[{i}].paths"),
                    "expected at least one path pattern".into(),
                ));
            }
            patterns(&f.paths)
                .map_err(|(j, m)| (format!("file_coverage_floors[{i}].paths[{j}]"), m))?;
            percent_range(f.minimum)
                .map_err(|m| (format!("file_coverage_floors[{i}].minimum"), m))?;
        }
        if let Some(p) = &self.performance {
            for (name, b) in &p.budgets {
                let at = |k: &str| format!("performance.budgets.{name}.{k}");
                if b.max.is_none() && b.min.is_none() {
                    return Err((
                        format!("performance.budgets.{name}"),
                        "expected `max`, `min` or both".into(),
                    ));
                }
                for (k, v) in [("max", b.max), ("min", b.min)] {
                    if let Some(v) = v
                        && (!v.is_finite() || v < 0.0)
                    {
                        return Err((at(k), format!("expected a number of 0 or more, got {v}")));
                    }
                }
                if let (Some(lo), Some(hi)) = (b.min, b.max)
                    && lo > hi
                {
                    return Err((at("min"), format!("`min` {lo} is above `max` {hi}")));
                }
            }
        }
        for (k, list) in [
            ("coverage", &self.inputs.coverage),
            ("tests", &self.inputs.tests),
            ("findings", &self.inputs.findings),
            ("security", &self.inputs.security),
            ("documentation", &self.inputs.documentation),
            ("metrics", &self.inputs.metrics),
        ] {
            patterns(list).map_err(|(j, m)| (format!("inputs.{k}[{j}]"), m))?;
        }
        Ok(())
    }

    /// The environments' names, sorted.
    pub fn environment_names(&self) -> Vec<&str> {
        self.environments.keys().map(String::as_str).collect()
    }

    /// The thresholds of an environment, `extends` resolved; an error names an unknown
    /// environment or a cycle.
    pub fn thresholds(&self, name: &str) -> Result<Thresholds, String> {
        let mut t = Thresholds::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut cur = name;
        loop {
            let Some(e) = self.environments.get(cur) else {
                return Err(format!(
                    "unknown environment `{cur}`; expected one of: {}",
                    self.environment_names().join(", ")
                ));
            };
            if seen.contains(&cur) {
                seen.push(cur);
                return Err(format!("`extends` makes a cycle: {}", seen.join(" → ")));
            }
            seen.push(cur);
            t.quality = t.quality.or(e.quality_threshold);
            t.security = t.security.or(e.security_threshold);
            t.coverage = t.coverage.or(e.coverage_threshold);
            t.performance = t.performance.or(e.performance_threshold);
            match &e.extends {
                Some(p) => cur = p,
                None => return Ok(t),
            }
        }
    }

    /// The JSON Schema of the file, as `shipgate config schema` prints it.
    pub fn schema() -> serde_json::Value {
        let schema = schemars::generate::SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<Config>();
        serde_json::to_value(schema).unwrap_or_default()
    }
}

/// serde reads a struct from an array too (`"weighting": [35, 25, 20, 15, 5]` would fill the
/// fields in order); the file's sections must be objects, so arrays there are refused first.
fn objects_where_expected(text: &str) -> Result<(), (String, String)> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        // Syntax errors are reported by the typed parse, with their position.
        return Ok(());
    };
    let mut places: Vec<(String, &serde_json::Value)> = Vec::new();
    for k in [
        "environments",
        "weighting",
        "blocking_rules",
        "inputs",
        "performance",
    ] {
        if let Some(x) = v.get(k) {
            places.push((k.to_string(), x));
        }
    }
    if let Some(serde_json::Value::Object(envs)) = v.get("environments") {
        for (name, e) in envs {
            places.push((format!("environments.{name}"), e));
        }
    }
    if let Some(b) = v.get("performance").and_then(|p| p.get("budgets")) {
        places.push(("performance.budgets".into(), b));
        if let serde_json::Value::Object(m) = b {
            for (name, x) in m {
                places.push((format!("performance.budgets.{name}"), x));
            }
        }
    }
    for list in ["components", "file_coverage_floors"] {
        if let Some(serde_json::Value::Array(items)) = v.get(list) {
            for (i, x) in items.iter().enumerate() {
                places.push((format!("{list}[{i}]"), x));
            }
        }
    }
    for (key, x) in places {
        if !x.is_object() {
            let got = match x {
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Null => "null",
                serde_json::Value::Object(_) => "an object",
            };
            return Err((key, format!("expected an object, got {got}")));
        }
    }
    Ok(())
}

fn percent_range(v: f64) -> Result<(), String> {
    if v.is_finite() && (0.0..=100.0).contains(&v) {
        Ok(())
    } else {
        Err(format!("expected a percentage from 0 to 100, got {v}"))
    }
}

fn patterns(list: &[String]) -> Result<(), (usize, String)> {
    for (j, p) in list.iter().enumerate() {
        if p.trim().is_empty() {
            return Err((
                j,
                "expected a path or glob pattern, got an empty string".into(),
            ));
        }
        glob::Pattern::new(p).map_err(|e| {
            (
                j,
                format!("invalid glob pattern at character {}: {}", e.pos + 1, e.msg),
            )
        })?;
    }
    Ok(())
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// serde's message without its position, with Rust type names said in words.
fn friendly(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let s = s.rfind(" at line ").map_or(s.as_str(), |i| &s[..i]);
    let s = s
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number of 0 or more")
        .replace("expected struct ", "expected an object: ")
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected an object");
    match e.classify() {
        serde_json::error::Category::Eof => format!("unexpected end of file ({s})"),
        serde_json::error::Category::Syntax => format!("invalid JSON: {s}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        match Config::parse(text, "c.json") {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn extends_resolves_and_cycles_are_errors() {
        let c = Config::parse(
            r#"{"environments": {"a": {"quality_threshold": 50, "coverage_threshold": 60},
                "b": {"extends": "a", "coverage_threshold": 70}}}"#,
            "c.json",
        )
        .unwrap();
        let t = c.thresholds("b").unwrap();
        assert_eq!(
            (t.quality, t.coverage, t.security),
            (Some(50.0), Some(70.0), None)
        );
        let e = err(r#"{"environments": {"a": {"extends": "b"}, "b": {"extends": "a"}}}"#);
        assert_eq!(e.key, "environments.a.extends");
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_key_and_position() {
        let e = err("{\n  \"environments\": {\"dev\": {\"quality_threshold\": \"high\"}}\n}");
        assert_eq!(e.key, "environments.dev.quality_threshold");
        assert_eq!(e.at.map(|a| a.0), Some(2));
        assert!(e.message.contains("expected a number"), "{e}");
    }
}
