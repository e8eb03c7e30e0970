//! The quality gate: config + what was read → verdict. [`evaluate`] is pure (no I/O), so
//! every rule can be tested on its own; reading inputs and config lives in [`inputs`] and
//! [`config`], writing the verdict in `render` and `runner`.
//!
//! Rules and how they are counted (see `docs/scoring.md` for the scores):
//! - Thresholds are minimums: `quality_threshold` on the weighted total, `security_threshold`
//!   on the security sub-score, `coverage_threshold` on line coverage (statement coverage for
//!   reports that count only statements, such as Go's), `performance_threshold` on the
//!   performance sub-score. Scores are compared as shown, rounded to 2 decimals; coverage
//!   unrounded.
//! - Blocking rules are maximum counts of unsuppressed findings or tests: critical security
//!   issues (security findings of critical severity), critical bugs (see
//!   [`classify::is_critical_bug`]), type errors (error-level type-checker findings), test
//!   failures (failed plus errored).
//! - A rule whose input was not given is "not measured": shown, never passed or failed.
//! - File floors fail naming every file under its floor; components with a
//!   `coverage_threshold` fail on their own line coverage.

pub mod baseline;
pub mod classify;
pub mod config;
pub mod digest;
pub mod inputs;
pub mod jsonpos;
pub mod patch;
pub mod regress;
pub mod report;
pub mod score;
pub mod sketch;
pub mod verdict;

use crate::ingest::{Bundle, Format, Kind};
use crate::model::{Category, Finding, Level, Severity, TestStatus};
use config::Config;
use score::{SubScore, num, round2};
use std::collections::BTreeMap;
use verdict::*;

/// How many failing tests, worst files and rule details a verdict lists (the counts are
/// always complete; `report.json` lists everything).
pub const MAX_LISTED: usize = 50;
/// Annotations per level: GitHub shows at most 10 per level per step.
pub const MAX_PROBLEMS_PER_LEVEL: usize = 10;

/// What was read, with what the gate needs to know about how it was given.
#[derive(Debug)]
pub struct Evidence<'a> {
    /// Every report, merged.
    pub bundle: &'a Bundle,
    /// Findings reports given as lint/compiler/type-checker output.
    pub lint_reports: usize,
    /// Findings reports given as security scans.
    pub security_reports: usize,
    /// Findings reports given as documentation checks.
    pub documentation_reports: usize,
    /// Lines of the files the findings name, for sizing when there is no coverage.
    pub source_lines: Option<u64>,
    /// Measured values from metrics files, by (dotted) name.
    pub metrics: BTreeMap<String, f64>,
    /// The lines the change adds, when known (a pull request, `--base`).
    pub changes: Option<&'a crate::diff::ChangedLines>,
    /// The base commit's run, when known.
    pub baseline: Option<&'a baseline::Baseline>,
}

impl Evidence<'_> {
    /// Whether any report of this kind was read.
    pub fn has_kind(&self, k: Kind) -> bool {
        self.bundle.inputs.iter().any(|i| i.format.kind() == k)
    }

    /// Line coverage in percent (statement coverage where a report counts only statements).
    pub fn line_coverage(&self) -> Option<f64> {
        if !self.has_kind(Kind::Coverage) {
            return None;
        }
        let t = self.bundle.coverage.totals();
        t.line_percent().or_else(|| t.statement_percent())
    }

    /// A metric's measured value; `tests.duration_s` comes from the test reports.
    pub fn metric(&self, name: &str) -> Option<f64> {
        if let Some(v) = self.metrics.get(name) {
            return Some(*v);
        }
        (name == "tests.duration_s" && self.has_kind(Kind::Tests))
            .then(|| self.bundle.tests.counts().time)
    }

    fn has_format(&self, f: Format) -> bool {
        self.bundle.inputs.iter().any(|i| i.format == f)
    }
}

/// Why a gate could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateError {
    /// The environment is not in the config.
    #[error("unknown environment `{name}` ({reason}); the config has: {known}")]
    UnknownEnvironment {
        /// The name asked for.
        name: String,
        /// How it was chosen.
        reason: String,
        /// The config's environments.
        known: String,
    },
}

fn glob_matches(patterns: &[glob::Pattern], path: &str) -> bool {
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    patterns.iter().any(|p| p.matches_with(path, opts))
}

fn compile(patterns: &[String]) -> Vec<glob::Pattern> {
    // Validated when the config was read.
    patterns
        .iter()
        .filter_map(|p| glob::Pattern::new(p.trim_start_matches("./")).ok())
        .collect()
}

fn location_of(f: &Finding) -> (Option<String>, Option<u32>) {
    match &f.location {
        Some(l) if !l.path.is_empty() => (Some(l.path.clone()), (l.line > 0).then_some(l.line)),
        _ => (None, None),
    }
}

fn finding_detail(f: &Finding) -> Detail {
    let (file, line) = location_of(f);
    let rule = f
        .rule
        .as_deref()
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    Detail {
        text: format!("{}{rule}: {}", f.tool, first_line(&f.message)),
        file,
        line,
    }
}

/// The first non-blank line of a message, trimmed, at most 200 characters.
pub(crate) fn first_line(s: &str) -> String {
    let l = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if l.chars().count() > 200 {
        let cut: String = l.chars().take(199).collect();
        format!("{cut}…")
    } else {
        l.to_string()
    }
}

struct Min<'a> {
    id: &'a str,
    what: &'a str,
    measured: Option<f64>,
    limit: Option<f64>,
    unit: &'a str,
    why_not: &'a str,
}

fn threshold(m: Min) -> Option<RuleResult> {
    let limit = m.limit?;
    let (status, message) = match m.measured {
        None => (
            RuleStatus::NotMeasured,
            format!(
                "{} not measured ({}); minimum {}{}",
                m.what,
                m.why_not,
                num(limit),
                m.unit
            ),
        ),
        Some(v) if v >= limit => (
            RuleStatus::Passed,
            format!(
                "{} {}{} ≥ {}{}",
                m.what,
                num(round2(v)),
                m.unit,
                num(limit),
                m.unit
            ),
        ),
        Some(v) => (
            RuleStatus::Failed,
            format!(
                "{} {}{} < {}{}",
                m.what,
                num(round2(v)),
                m.unit,
                num(limit),
                m.unit
            ),
        ),
    };
    Some(RuleResult {
        id: m.id.to_string(),
        kind: RuleKind::Threshold,
        status,
        measured: m.measured,
        limit,
        comparison: ">=".into(),
        message,
        details: Vec::new(),
    })
}

fn blocking(
    id: &str,
    what: &str,
    limit: Option<u64>,
    count: Option<u64>,
    why_not: &str,
    details: Vec<Detail>,
) -> Option<RuleResult> {
    let limit = limit?;
    let (status, message) = match count {
        None => (
            RuleStatus::NotMeasured,
            format!("{what}: not measured ({why_not}); at most {limit} allowed"),
        ),
        Some(n) if n <= limit => (
            RuleStatus::Passed,
            format!("{what}: {n} (at most {limit} allowed)"),
        ),
        Some(n) => (
            RuleStatus::Failed,
            format!("{what}: {n}, more than the {limit} allowed"),
        ),
    };
    let failed = status == RuleStatus::Failed;
    Some(RuleResult {
        id: format!("blocking_rules.{id}"),
        kind: RuleKind::Blocking,
        status,
        measured: count.map(|n| n as f64),
        limit: limit as f64,
        comparison: "<=".into(),
        message,
        details: if failed {
            details.into_iter().take(MAX_LISTED).collect()
        } else {
            Vec::new()
        },
    })
}

/// Every failed or errored test, in report order.
pub fn failing_tests(b: &Bundle) -> Vec<FailingTest> {
    b.tests
        .suites
        .iter()
        .flat_map(|s| s.cases.iter().map(move |c| (s, c)))
        .filter(|(_, c)| matches!(c.status, TestStatus::Failed | TestStatus::Errored))
        .map(|(s, c)| FailingTest {
            suite: s.name.clone(),
            name: match &c.classname {
                Some(cl) if !cl.is_empty() && !c.name.contains(cl.as_str()) => {
                    format!("{cl} › {}", c.name)
                }
                _ => c.name.clone(),
            },
            status: if c.status == TestStatus::Failed {
                "failed"
            } else {
                "errored"
            }
            .into(),
            message: c
                .message
                .as_deref()
                .map(first_line)
                .filter(|m| !m.is_empty()),
            file: c.file.clone().or_else(|| s.file.clone()),
            line: c.line,
        })
        .collect()
}

/// Decides the gate. `env` names the environment and how it was chosen.
pub fn evaluate(cfg: &Config, env: EnvironmentChoice, ev: &Evidence) -> Result<Verdict, GateError> {
    let thresholds = cfg
        .thresholds(&env.name)
        .map_err(|_| GateError::UnknownEnvironment {
            name: env.name.clone(),
            reason: env.reason.clone(),
            known: cfg.environment_names().join(", "),
        })?;
    let b = ev.bundle;
    let mut notes = Vec::new();

    // Sub-scores and the weighted total.
    let target = thresholds
        .coverage
        .unwrap_or(score::DEFAULT_COVERAGE_TARGET);
    let no_budgets = BTreeMap::new();
    let budgets = cfg.performance.as_ref().map_or(&no_budgets, |p| &p.budgets);
    let (perf, perf_notes) = score::performance(ev, budgets);
    notes.extend(perf_notes);
    let subs: [(Dimension, f64, SubScore); 5] = [
        (
            Dimension::CodeQuality,
            cfg.weighting.code_quality,
            score::code_quality(ev),
        ),
        (
            Dimension::Security,
            cfg.weighting.security,
            score::security(ev),
        ),
        (Dimension::Performance, cfg.weighting.performance, perf),
        (
            Dimension::Testing,
            cfg.weighting.testing,
            score::testing(ev, target),
        ),
        (
            Dimension::Documentation,
            cfg.weighting.documentation,
            score::documentation(ev),
        ),
    ];
    let measured_weight: f64 = subs
        .iter()
        .filter(|(_, _, s)| s.score.is_some())
        .map(|(_, w, _)| w)
        .sum();
    let total = (measured_weight > 0.0).then(|| {
        round2(
            subs.iter()
                .filter_map(|(_, w, s)| s.score.map(|v| v * w))
                .sum::<f64>()
                / measured_weight,
        )
    });
    if total.is_none() && subs.iter().any(|(_, _, s)| s.score.is_some()) {
        notes.push("every measured dimension has weight 0, so there is no total score".into());
    }
    let dimensions: Vec<DimensionScore> = subs
        .iter()
        .map(|(d, w, s)| DimensionScore {
            dimension: *d,
            weight: *w,
            effective_weight: if s.score.is_some() && measured_weight > 0.0 {
                round2(w * 100.0 / measured_weight)
            } else {
                0.0
            },
            score: s.score,
            explanation: s.explanation.clone(),
            not_measured: s.not_measured.clone(),
        })
        .collect();
    let sub = |d: Dimension| {
        dimensions
            .iter()
            .find(|s| s.dimension == d)
            .and_then(|s| s.score)
    };

    // Counts behind the blocking rules.
    let items = &b.findings.items;
    // New findings: on added lines or absent from the baseline; with `fail_on_new_only`
    // the blocking rules on findings count only those.
    // A digest's sketches are listed against this run's own sets first.
    let resolved = ev
        .baseline
        .map(|base| base.resolved(&baseline::Baseline::sets_of(b)));
    let new_flags = regress::new_findings(items, ev.changes, resolved.as_ref());
    let only_new = match (&new_flags, thresholds.fail_on_new_only) {
        (Some(flags), true) => Some(flags.as_slice()),
        (None, true) => {
            notes.push(
                "fail_on_new_only: neither changed lines nor a baseline, so every finding counts"
                    .into(),
            );
            None
        }
        _ => None,
    };
    let of = |pred: fn(&Finding) -> bool| -> Vec<&Finding> {
        items
            .iter()
            .enumerate()
            .filter(|(i, f)| pred(f) && only_new.is_none_or(|n| n[*i]))
            .map(|(_, f)| f)
            .collect()
    };
    let critical_sec = of(classify::is_critical_security);
    let bugs = of(classify::is_critical_bug);
    let type_errs = of(classify::is_type_error);
    let tc = b.tests.counts();
    let fc = b.findings.counts();
    let cov = b.coverage.totals();
    let line_coverage = ev.line_coverage();

    let security_measured =
        ev.security_reports > 0 || items.iter().any(|f| f.category == Category::Security);
    let lint_measured = ev.lint_reports > 0
        || items
            .iter()
            .any(|f| matches!(f.category, Category::Lint | Category::Build));
    let types_measured =
        ev.has_format(Format::MypyJson) || items.iter().any(|f| f.category == Category::Type);
    let tests_measured = ev.has_kind(Kind::Tests);

    let failing = failing_tests(b);

    let mut rules: Vec<RuleResult> = Vec::new();
    rules.extend(threshold(Min {
        id: "quality_threshold",
        what: "total score",
        measured: total,
        limit: thresholds.quality,
        unit: "",
        why_not: "no dimension was measured",
    }));
    rules.extend(threshold(Min {
        id: "security_threshold",
        what: "security score",
        measured: sub(Dimension::Security),
        limit: thresholds.security,
        unit: "",
        why_not: "no security scanner report",
    }));
    rules.extend(threshold(Min {
        id: "coverage_threshold",
        what: "line coverage",
        measured: line_coverage,
        limit: thresholds.coverage,
        unit: "%",
        why_not: "no coverage report",
    }));
    rules.extend(threshold(Min {
        id: "performance_threshold",
        what: "performance score",
        measured: sub(Dimension::Performance),
        limit: thresholds.performance,
        unit: "",
        why_not: "no performance budget with a measured value",
    }));
    let br = &cfg.blocking_rules;
    rules.extend(blocking(
        "critical_security_issues",
        "critical security issues",
        br.critical_security_issues,
        security_measured.then_some(critical_sec.len() as u64),
        "no security scanner report",
        critical_sec.iter().map(|f| finding_detail(f)).collect(),
    ));
    rules.extend(blocking(
        "critical_bugs",
        "critical bugs",
        br.critical_bugs,
        lint_measured.then_some(bugs.len() as u64),
        "no lint or compiler report",
        bugs.iter().map(|f| finding_detail(f)).collect(),
    ));
    rules.extend(blocking(
        "type_errors",
        "type errors",
        br.type_errors,
        types_measured.then_some(type_errs.len() as u64),
        "no type-checker report",
        type_errs.iter().map(|f| finding_detail(f)).collect(),
    ));
    rules.extend(blocking(
        "test_failures",
        "test failures (failed + errored)",
        br.test_failures,
        tests_measured.then_some(tc.failed + tc.errored),
        "no test results",
        failing
            .iter()
            .map(|t| Detail {
                text: format!(
                    "{} ({}){}",
                    t.name,
                    t.status,
                    t.message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
                file: t.file.clone(),
                line: t.line,
            })
            .collect(),
    ));

    // Per-file floors.
    let has_cov = ev.has_kind(Kind::Coverage);
    let mut floor_breaches: Vec<(String, f64, f64)> = Vec::new();
    for (i, floor) in cfg.file_coverage_floors.iter().enumerate() {
        let pats = compile(&floor.paths);
        let mut checked = 0u64;
        let mut below: Vec<(String, f64, u64, u64)> = Vec::new();
        for (path, fc) in &b.coverage.files {
            if !glob_matches(&pats, path) {
                continue;
            }
            let t = fc.totals();
            let Some(p) = t.line_percent() else { continue };
            checked += 1;
            if p < floor.minimum {
                below.push((path.clone(), p, t.lines_covered, t.lines_total));
            }
        }
        below.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let id = format!("file_coverage_floors[{i}]");
        let pattern_list = floor.paths.join(", ");
        let (status, message) = if !has_cov {
            (
                RuleStatus::NotMeasured,
                format!("files matching {pattern_list}: no coverage report"),
            )
        } else if checked == 0 {
            notes.push(format!("{id}: no covered file matches {pattern_list}"));
            (
                RuleStatus::NotMeasured,
                format!("no file with coverage matches {pattern_list}"),
            )
        } else if below.is_empty() {
            (
                RuleStatus::Passed,
                format!(
                    "all {checked} files matching {pattern_list} have ≥ {}% line coverage",
                    num(floor.minimum)
                ),
            )
        } else {
            (
                RuleStatus::Failed,
                format!(
                    "{} of {checked} files matching {pattern_list} are below {}% line coverage",
                    below.len(),
                    num(floor.minimum)
                ),
            )
        };
        for (p, v, _, _) in &below {
            floor_breaches.push((p.clone(), *v, floor.minimum));
        }
        rules.push(RuleResult {
            id,
            kind: RuleKind::FileFloor,
            status,
            measured: (has_cov && checked > 0).then_some(below.len() as f64),
            limit: floor.minimum,
            comparison: ">=".into(),
            message,
            details: below
                .iter()
                .take(MAX_LISTED)
                .map(|(p, v, c, t)| Detail {
                    text: format!("{p}: {}% ({c}/{t} lines)", num(round2(*v))),
                    file: Some(p.clone()),
                    line: None,
                })
                .collect(),
        });
    }

    // Components.
    let mut components = Vec::new();
    for c in &cfg.components {
        let pats = compile(&c.paths);
        let (mut files, mut total, mut covered) = (0u64, 0u64, 0u64);
        for (path, fc) in &b.coverage.files {
            if glob_matches(&pats, path) {
                let t = fc.totals();
                files += 1;
                total += t.lines_total;
                covered += t.lines_covered;
            }
        }
        let findings = items
            .iter()
            .filter(|f| classify::counts(f))
            .filter(|f| {
                f.location
                    .as_ref()
                    .is_some_and(|l| glob_matches(&pats, &l.path))
            })
            .count() as u64;
        let line_percent = crate::model::coverage::percent(covered, total);
        if let Some(limit) = c.coverage_threshold {
            let id = format!("components.{}", c.name);
            let what = format!("{} line coverage", c.name);
            let why = if has_cov {
                "no covered file matches its paths"
            } else {
                "no coverage report"
            };
            if let Some(mut r) = threshold(Min {
                id: &id,
                what: &what,
                measured: line_percent,
                limit: Some(limit),
                unit: "%",
                why_not: why,
            }) {
                r.kind = RuleKind::Component;
                if let Some(p) = line_percent {
                    r.message.push_str(&format!(
                        " ({covered}/{total} lines in {files} file{})",
                        if files == 1 { "" } else { "s" }
                    ));
                    r.measured = Some(p);
                }
                rules.push(r);
            }
        }
        components.push(ComponentResult {
            name: c.name.clone(),
            files,
            lines_total: total,
            lines_covered: covered,
            line_percent: line_percent.map(round2),
            coverage_threshold: c.coverage_threshold,
            findings,
        });
    }

    // Patch coverage.
    let patch = match (ev.changes, has_cov) {
        (Some(ch), true) => Some(patch::patch_coverage(&b.coverage, ch)),
        _ => None,
    };
    if let Some(limit) = thresholds.patch_coverage {
        rules.push(patch_rule(
            patch.as_ref(),
            limit,
            thresholds.patch_min_lines,
            ev.changes.is_some(),
        ));
    }

    // Against the baseline.
    let comparison = match &resolved {
        Some(base) => {
            let cur = regress::Current {
                bundle: b,
                score: total,
                dimensions: dimensions
                    .iter()
                    .filter_map(|d| Some((d.dimension.key().to_string(), d.score?)))
                    .collect(),
                line_coverage,
                metrics: &ev.metrics,
                budgets,
                changes: ev.changes,
                new: new_flags.as_deref(),
            };
            let (c, regression_rules) = regress::compare(base, &cur, &thresholds.regressions);
            rules.extend(regression_rules);
            Some(c)
        }
        None => {
            if ev.changes.is_some() {
                notes.push(
                    "no baseline (the base commit's report): the comparison with it was skipped"
                        .into(),
                );
            }
            None
        }
    };

    // Failed rules first, otherwise in the order above.
    rules.sort_by_key(|r| r.status != RuleStatus::Failed);
    let passed = !rules.iter().any(|r| r.status == RuleStatus::Failed);

    let mut worst_files: Vec<FileRow> = b
        .coverage
        .files
        .iter()
        .filter_map(|(path, f)| {
            let t = f.totals();
            t.line_percent().map(|p| FileRow {
                path: path.clone(),
                lines_total: t.lines_total,
                lines_covered: t.lines_covered,
                line_percent: round2(p),
            })
        })
        .collect();
    worst_files.sort_by(|a, b| {
        a.line_percent
            .total_cmp(&b.line_percent)
            .then_with(|| b.lines_total.cmp(&a.lines_total))
            .then_with(|| a.path.cmp(&b.path))
    });
    worst_files.truncate(MAX_LISTED);

    let mut problems = problems(&rules, &failing, &floor_breaches, items, passed);
    if let Some(p) = &patch {
        // Uncovered added lines as warnings, after the gate's own problems, within the
        // per-level bound.
        let warnings = problems.iter().filter(|p| p.level == "warning").count();
        let room = MAX_PROBLEMS_PER_LEVEL.saturating_sub(warnings);
        problems.extend(
            p.files
                .iter()
                .flat_map(|f| f.uncovered.iter().map(move |r| (f, r)))
                .take(room)
                .map(|(f, [a, z])| Problem {
                    level: "warning".into(),
                    title: "Added lines not covered by tests".into(),
                    message: if a == z {
                        format!("line {a} is added and no test runs it")
                    } else {
                        format!("lines {a}-{z} are added and no test runs them")
                    },
                    file: Some(f.path.clone()),
                    line: Some(*a),
                    end_line: Some(*z),
                    column: None,
                }),
        );
    }
    let new_findings = new_flags
        .as_ref()
        .filter(|_| ev.has_kind(Kind::Findings))
        .map(|f| {
            items
                .iter()
                .zip(f)
                .filter(|(x, n)| **n && classify::counts(x))
                .count() as u64
        });

    let counts = Counts {
        line_coverage: line_coverage.map(round2),
        lines_total: cov.lines_total,
        lines_covered: cov.lines_covered,
        coverage_files: cov.files,
        tests_total: tc.total,
        tests_passed: tc.passed,
        tests_failed: tc.failed,
        tests_errored: tc.errored,
        tests_skipped: tc.skipped,
        tests_todo: tc.todo,
        tests_flaky: tc.flaky,
        findings_total: fc.total,
        findings_error: fc.error,
        findings_warning: fc.warning,
        findings_note: fc.note,
        findings_suppressed: fc.suppressed,
        critical_security_issues: critical_sec.len() as u64,
        critical_bugs: bugs.len() as u64,
        type_errors: type_errs.len() as u64,
        test_failures: tc.failed + tc.errored,
    };
    let mut failing_tests = failing;
    failing_tests.truncate(MAX_LISTED);
    Ok(Verdict {
        passed,
        environment: env,
        thresholds,
        score: total,
        dimensions,
        rules,
        components,
        counts,
        failing_tests,
        worst_files,
        problems,
        notes,
        patch,
        new_findings,
        comparison,
    })
}

fn patch_rule(
    patch: Option<&patch::PatchCoverage>,
    limit: f64,
    min_lines: u64,
    have_changes: bool,
) -> RuleResult {
    let (status, measured, message) = match patch {
        None => (
            RuleStatus::NotMeasured,
            None,
            if have_changes {
                format!(
                    "patch coverage not measured (no coverage report); minimum {}%",
                    num(limit)
                )
            } else {
                format!(
                    "patch coverage not measured (no changed lines: give --base or run on a pull request); minimum {}%",
                    num(limit)
                )
            },
        ),
        Some(p) => match p.percent {
            None => (
                RuleStatus::NotMeasured,
                None,
                format!(
                    "patch coverage: none of the {} added line(s) is coverable; minimum {}%",
                    p.added,
                    num(limit)
                ),
            ),
            Some(v) => {
                let shown = format!(
                    "patch coverage {}% ({}/{} coverable added lines)",
                    num(round2(v)),
                    p.covered,
                    p.coverable
                );
                if v >= limit {
                    (
                        RuleStatus::Passed,
                        Some(v),
                        format!("{shown} ≥ {}%", num(limit)),
                    )
                } else if p.coverable < min_lines {
                    (
                        RuleStatus::Passed,
                        Some(v),
                        format!(
                            "{shown} < {}%, but fewer than {min_lines} coverable lines were added, so it does not fail",
                            num(limit)
                        ),
                    )
                } else {
                    (
                        RuleStatus::Failed,
                        Some(v),
                        format!("{shown} < {}%", num(limit)),
                    )
                }
            }
        },
    };
    let failed = status == RuleStatus::Failed;
    RuleResult {
        id: "patch_coverage_threshold".into(),
        kind: RuleKind::Patch,
        status,
        measured,
        limit,
        comparison: ">=".into(),
        message,
        details: match patch {
            Some(p) if failed => p
                .files
                .iter()
                .filter(|f| f.covered < f.coverable)
                .take(MAX_LISTED)
                .map(|f| Detail {
                    text: format!(
                        "{}: {}/{} added lines covered; missing {}",
                        f.path,
                        f.covered,
                        f.coverable,
                        f.uncovered
                            .iter()
                            .map(|[a, z]| if a == z {
                                a.to_string()
                            } else {
                                format!("{a}-{z}")
                            })
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                    file: Some(f.path.clone()),
                    line: f.uncovered.first().map(|r| r[0]),
                })
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// The most important problems, at most [`MAX_PROBLEMS_PER_LEVEL`] per level: the gate's own
/// failure, then critical security issues, critical bugs, type errors, failing tests, files
/// under their floor, other security findings and other errors; warnings after.
fn problems(
    rules: &[RuleResult],
    failing: &[FailingTest],
    floors: &[(String, f64, f64)],
    items: &[Finding],
    passed: bool,
) -> Vec<Problem> {
    let mut ranked: Vec<(u8, Problem)> = Vec::new();
    let finding = |f: &Finding, level: &str| {
        let (file, line) = location_of(f);
        let loc = f.location.as_ref();
        Problem {
            level: level.into(),
            title: match &f.rule {
                Some(r) => format!("{} {r}", f.tool),
                None => f.tool.clone(),
            },
            message: first_line(&f.message),
            file,
            line,
            end_line: loc.and_then(|l| l.end_line).filter(|_| line.is_some()),
            column: loc.and_then(|l| l.column).filter(|_| line.is_some()),
        }
    };
    if !passed {
        let failed: Vec<&str> = rules
            .iter()
            .filter(|r| r.status == RuleStatus::Failed)
            .map(|r| r.message.as_str())
            .collect();
        ranked.push((
            0,
            Problem {
                level: "error".into(),
                title: "Quality gate failed".into(),
                message: failed.join("; "),
                file: None,
                line: None,
                end_line: None,
                column: None,
            },
        ));
    }
    for f in items.iter().filter(|f| classify::counts(f)) {
        let rank = if classify::is_critical_security(f) {
            1
        } else if classify::is_critical_bug(f) {
            2
        } else if classify::is_type_error(f) {
            3
        } else if f.category == Category::Security
            && f.severity.is_some_and(|s| s >= Severity::High)
        {
            6
        } else if f.level == Level::Error {
            7
        } else if f.level == Level::Warning || f.category == Category::Security {
            10
        } else {
            continue;
        };
        let level = if rank < 10 { "error" } else { "warning" };
        ranked.push((rank, finding(f, level)));
    }
    for t in failing {
        ranked.push((
            4,
            Problem {
                level: "error".into(),
                title: format!("Test {}: {}", t.status, t.name),
                message: t
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", t.suite, t.status)),
                file: t.file.clone(),
                line: t.line,
                end_line: None,
                column: None,
            },
        ));
    }
    for (path, v, min) in floors {
        ranked.push((
            5,
            Problem {
                level: "error".into(),
                title: "Coverage below the file floor".into(),
                message: format!(
                    "{path}: line coverage {}% < {}%",
                    num(round2(*v)),
                    num(*min)
                ),
                file: Some(path.clone()),
                line: None,
                end_line: None,
                column: None,
            },
        ));
    }
    // Stable: within a rank, report order.
    ranked.sort_by_key(|(r, _)| *r);
    let mut per_level: BTreeMap<String, usize> = BTreeMap::new();
    ranked
        .into_iter()
        .filter_map(|(_, p)| {
            let n = per_level.entry(p.level.clone()).or_default();
            *n += 1;
            (*n <= MAX_PROBLEMS_PER_LEVEL).then_some(p)
        })
        .collect()
}
