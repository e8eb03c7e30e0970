//! Gathering the gate's inputs: the report files given per role (on the command line, in
//! `INPUT_*` variables, in the config) or found at conventional locations, each checked to be
//! of the kind its role expects; metrics files; and the size fallback.

use super::Evidence;
use crate::ingest::{self, Bundle, IngestError, Kind, PathResolver};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a report is given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Coverage.
    Coverage,
    /// Test results.
    Tests,
    /// Lint, type-checker and compiler findings.
    Findings,
    /// Security scanner findings.
    Security,
    /// Findings of documentation checks.
    Documentation,
}

impl Role {
    /// The flag and config key that give it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Coverage => "coverage",
            Role::Tests => "tests",
            Role::Findings => "findings",
            Role::Security => "security",
            Role::Documentation => "documentation",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Role::Coverage => Kind::Coverage,
            Role::Tests => Kind::Tests,
            Role::Findings | Role::Security | Role::Documentation => Kind::Findings,
        }
    }
}

/// Where an input pattern came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// An `INPUT_*` variable.
    Env(String),
    /// The config's `inputs`.
    Config,
    /// Found at a conventional location.
    Discovered,
}

/// One input pattern and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Its role.
    pub role: Role,
    /// A path or glob pattern.
    pub pattern: String,
    /// Where it came from.
    pub origin: Origin,
}

impl Input {
    fn given_as(&self) -> String {
        match &self.origin {
            Origin::Flag => format!("--{}", self.role.name()),
            Origin::Env(v) => v.clone(),
            Origin::Config => format!("the config's inputs.{}", self.role.name()),
            Origin::Discovered => format!("a {} report found by name", self.role.name()),
        }
    }
}

/// Why inputs could not be gathered.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A report could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A report is not of the kind its role needs.
    #[error(
        "{path}: given as {given_as}, but it is a {format} report ({kind}); expected {expected}"
    )]
    WrongKind {
        /// The file.
        path: String,
        /// How it was given.
        given_as: String,
        /// Its detected format.
        format: &'static str,
        /// Its kind.
        kind: &'static str,
        /// What the role needs.
        expected: &'static str,
    },
    /// A metrics file is unusable.
    #[error("{path}: {message}")]
    Metrics {
        /// The file.
        path: String,
        /// What was expected.
        message: String,
    },
    /// Nothing to gate on.
    #[error(
        "no report was given and none was found at the conventional locations under {root} (coverage.xml, lcov.info, junit*.xml, TEST-*.xml, *.sarif...); pass --coverage, --tests or --findings"
    )]
    NothingFound {
        /// Where discovery looked.
        root: String,
    },
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Coverage => "coverage",
        Kind::Tests => "test results",
        Kind::Findings => "findings",
    }
}

/// Everything read for the gate.
#[derive(Debug, Default)]
pub struct Gathered {
    /// The reports, merged.
    pub bundle: Bundle,
    /// Findings reports by role.
    pub lint_reports: usize,
    /// Security scans.
    pub security_reports: usize,
    /// Documentation checks.
    pub documentation_reports: usize,
    /// Metrics by dotted name.
    pub metrics: BTreeMap<String, f64>,
    /// Lines of the files findings name (only counted when there is no coverage).
    pub source_lines: Option<u64>,
    /// Discovered files that could not be used, with why (explicit inputs fail instead).
    pub skipped: Vec<String>,
}

impl Gathered {
    /// The evidence the gate evaluates.
    pub fn evidence(&self) -> Evidence<'_> {
        Evidence {
            bundle: &self.bundle,
            lint_reports: self.lint_reports,
            security_reports: self.security_reports,
            documentation_reports: self.documentation_reports,
            source_lines: self.source_lines,
            metrics: self.metrics.clone(),
            changes: None,
            baseline: None,
        }
    }
}

/// Reads every input. Explicit inputs must exist, parse and be of their role's kind;
/// discovered ones that do not are skipped and listed in [`Gathered::skipped`].
pub fn gather(
    inputs: &[Input],
    metrics: &[String],
    resolver: &PathResolver,
    root: &Path,
) -> Result<Gathered, InputError> {
    let mut g = Gathered::default();
    let mut seen: Vec<PathBuf> = Vec::new();
    for input in inputs {
        let discovered = input.origin == Origin::Discovered;
        let files = ingest::expand(std::slice::from_ref(&input.pattern))?;
        for path in files {
            if seen.contains(&path) {
                continue;
            }
            seen.push(path.clone());
            let ing = match ingest::read_path(&path, None, resolver) {
                Ok(i) => i,
                Err(IngestError::UnknownFormat { path, .. }) if discovered => {
                    g.skipped
                        .push(format!("{path}: not a report shipgate reads"));
                    continue;
                }
                Err(e) if discovered => {
                    g.skipped.push(e.to_string());
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let kind = ing.format.kind();
            if kind != input.role.kind() {
                let err = InputError::WrongKind {
                    path: ing.path.clone(),
                    given_as: input.given_as(),
                    format: ing.format.name(),
                    kind: kind_word(kind),
                    expected: kind_word(input.role.kind()),
                };
                if discovered {
                    g.skipped.push(err.to_string());
                    continue;
                }
                return Err(err);
            }
            match input.role {
                Role::Findings => g.lint_reports += 1,
                Role::Security => g.security_reports += 1,
                Role::Documentation => g.documentation_reports += 1,
                Role::Coverage | Role::Tests => {}
            }
            g.bundle.add(ing);
        }
    }
    for m in metrics {
        for path in ingest::expand(std::slice::from_ref(m))? {
            read_metrics(&path, &mut g.metrics)?;
        }
    }
    if g.bundle.inputs.is_empty() && g.metrics.is_empty() {
        return Err(InputError::NothingFound {
            root: root.display().to_string(),
        });
    }
    if !g
        .bundle
        .inputs
        .iter()
        .any(|i| i.format.kind() == Kind::Coverage)
    {
        g.source_lines = count_source_lines(&g.bundle, resolver, root);
    }
    Ok(g)
}

const MAX_METRICS_BYTES: u64 = 16 << 20;

/// Reads a metrics file: a JSON object whose numbers (at any depth, named with dots) are
/// measured values. Other values are ignored.
pub fn read_metrics(path: &Path, out: &mut BTreeMap<String, f64>) -> Result<(), InputError> {
    let shown = path.display().to_string();
    let err = |message: String| InputError::Metrics {
        path: shown.clone(),
        message,
    };
    let len = std::fs::metadata(path)
        .map_err(|e| err(format!("cannot read: {e}")))?
        .len();
    if len > MAX_METRICS_BYTES {
        return Err(err(format!(
            "the file is {len} bytes; a metrics file is at most {} MiB",
            MAX_METRICS_BYTES >> 20
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        err(format!(
            "{}:{}: invalid metrics JSON: {}",
            e.line(),
            e.column(),
            e.to_string()
                .rsplit_once(" at line ")
                .map_or(e.to_string(), |p| p.0.to_string())
        ))
    })?;
    let serde_json::Value::Object(map) = v else {
        return Err(err(
            "expected a JSON object of metric names and numbers ({\"bundle_size_kb\": 231})".into(),
        ));
    };
    fn walk(
        prefix: &str,
        map: &serde_json::Map<String, serde_json::Value>,
        out: &mut BTreeMap<String, f64>,
    ) {
        for (k, v) in map {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                serde_json::Value::Number(n) => {
                    if let Some(x) = n.as_f64() {
                        out.insert(name, x);
                    }
                }
                serde_json::Value::Object(m) => walk(&name, m, out),
                _ => {}
            }
        }
    }
    walk("", &map, out);
    Ok(())
}

/// Physical lines of the distinct files the findings name that exist under the root.
fn count_source_lines(bundle: &Bundle, resolver: &PathResolver, root: &Path) -> Option<u64> {
    let mut files: Vec<&str> = bundle
        .findings
        .items
        .iter()
        .filter_map(|f| f.location.as_ref())
        .map(|l| l.path.as_str())
        .filter(|p| !p.is_empty() && resolver.exists(p))
        .collect();
    files.sort_unstable();
    files.dedup();
    let mut total = 0u64;
    for f in files.iter().take(20_000) {
        if let Ok(bytes) = std::fs::read(root.join(f)) {
            total += memchr::memchr_iter(b'\n', &bytes).count() as u64;
        }
    }
    (total > 0).then_some(total)
}

/// Folders discovery never enters.
const SKIP_DIRS: &[&str] = &[".git", "node_modules", "target", "vendor", ".cache"];
/// Report folders inside `target/` (Maven) that discovery does enter.
const TARGET_REPORT_DIRS: &[&str] = &["surefire-reports", "failsafe-reports", "site"];
const MAX_DEPTH: usize = 12;
const MAX_ENTRIES: usize = 200_000;

/// File-name patterns per role, in groups of preference: within one folder only the first
/// group that matches is taken, because tools write the same data in several formats side by
/// side (coverage.xml and coverage.lcov; eslint.json and eslint.sarif) and reading both would
/// count it twice.
fn groups(role: Role) -> &'static [&'static [&'static str]] {
    match role {
        Role::Coverage => &[
            &["coverage.xml", "cobertura*.xml", "*cobertura-coverage.xml"],
            &["lcov.info", "*.lcov"],
            &["jacoco*.xml"],
            &["clover.xml"],
            &["coverage-final.json"],
            &["cover.out", "coverage.out", "cover-*.out"],
        ],
        Role::Tests => &[&[
            "junit*.xml",
            "TEST-*.xml",
            "*.trx",
            "TestResult*.xml",
            "test-results*.xml",
        ]],
        Role::Findings => &[
            &["*.sarif"],
            &[
                "eslint*.json",
                "ruff*.json",
                "pylint*.json",
                "mypy*.json",
                "clippy*.json",
                "checkstyle*.xml",
                "hadolint*.json",
                "shellcheck*.json",
            ],
        ],
        // Scanners' native JSON: the security dimension is measured even when they are clean.
        Role::Security => &[&[
            "trivy*.json",
            "grype*.json",
            "semgrep*.json",
            "gitleaks*.json",
            "bandit*.json",
            "checkov*.json",
            "npm-audit*.json",
            "pip-audit*.json",
            "cargo-audit*.json",
        ]],
        Role::Documentation => &[],
    }
}

/// Finds reports at conventional locations under `root`, sorted by path.
pub fn discover(root: &Path) -> Vec<Input> {
    let mut dirs: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    let mut found: Vec<Input> = Vec::new();
    let mut entries = 0usize;
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        for e in rd.flatten() {
            entries += 1;
            if entries > MAX_ENTRIES {
                break;
            }
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if ft.is_dir() {
                if depth >= MAX_DEPTH {
                    continue;
                }
                if name == "target" {
                    for sub in TARGET_REPORT_DIRS {
                        let p = e.path().join(sub);
                        if p.is_dir() {
                            dirs.push((p, depth + 2));
                        }
                    }
                    continue;
                }
                if !SKIP_DIRS.contains(&name.as_str()) {
                    dirs.push((e.path(), depth + 1));
                }
            } else if ft.is_file() {
                names.push(name);
            }
        }
        names.sort();
        for role in [Role::Coverage, Role::Tests, Role::Findings, Role::Security] {
            for group in groups(role) {
                let pats: Vec<glob::Pattern> = group
                    .iter()
                    .filter_map(|p| glob::Pattern::new(p).ok())
                    .collect();
                let hits: Vec<&String> = names
                    .iter()
                    .filter(|n| pats.iter().any(|p| p.matches(n)))
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                let mut taken: Vec<&str> = Vec::new();
                for n in hits {
                    // One report per tool in the lint group (pylint.json and pylint-json2.json
                    // hold the same messages).
                    let tool = n.split(['.', '-', '_']).next().unwrap_or(n);
                    // A scanner that also wrote SARIF beside its JSON is read once, as SARIF.
                    let stem = n.rsplit_once('.').map_or(n.as_str(), |(s, _)| s);
                    if role == Role::Security && names.iter().any(|m| *m == format!("{stem}.sarif"))
                    {
                        continue;
                    }
                    if role == Role::Findings && !n.ends_with(".sarif") {
                        if taken.contains(&tool) {
                            continue;
                        }
                        taken.push(tool);
                    }
                    found.push(Input {
                        role,
                        pattern: dir.join(n).display().to_string(),
                        origin: Origin::Discovered,
                    });
                }
                break;
            }
        }
        if entries > MAX_ENTRIES {
            break;
        }
    }
    found.sort_by(|a, b| a.pattern.cmp(&b.pattern));
    // A literal file name with glob characters would be read as a pattern.
    found.retain(|i| !i.pattern.contains(['*', '?', '[']));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_flatten_and_ignore_non_numbers() {
        let d = std::env::temp_dir().join(format!("shipgate-metrics-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("m.json");
        std::fs::write(&p, r#"{"a": 1.5, "b": {"c": 2, "d": "x"}, "e": [1]}"#).unwrap();
        let mut m = BTreeMap::new();
        read_metrics(&p, &mut m).unwrap();
        assert_eq!(m.get("a"), Some(&1.5));
        assert_eq!(m.get("b.c"), Some(&2.0));
        assert_eq!(m.len(), 2);
        std::fs::write(&p, "[1]").unwrap();
        assert!(read_metrics(&p, &mut m).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }
}
