//! Against the baseline (the base commit's run): what got better or worse, and the
//! regression rules of [`super::config::Regressions`].
//!
//! - `regressions.score_drop`: total score, points down (default limit 5).
//! - `regressions.coverage_drop`: line coverage, percentage points down (default 3).
//! - `regressions.new_high_vulnerabilities`: unsuppressed security findings of high or
//!   critical severity whose fingerprint the baseline does not have (default 0).
//! - `regressions.metrics.<name>`: each performance budget's metric, percent worse (up for a
//!   `max` budget, down for a `min`-only one; default 10).
//! - `regressions.build_time`: `build_time_s`, percent longer (default 20).
//!
//! A finding is new when it is on an added line or its fingerprint is absent from the
//! baseline; identical findings (same fingerprint) compare as counts, so the ones beyond the
//! baseline's count are new.

use super::baseline::{Baseline, finding_hash, hash32, test_id};
use super::config::{Budget, RegressionLimits};
use super::report::fingerprint;
use super::score::{num, round2};
use super::verdict::{Detail, RuleKind, RuleResult, RuleStatus};
use crate::diff::ChangedLines;
use crate::ingest::{Bundle, Kind};
use crate::model::{Category, Finding, Severity, TestStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The metric name of the build time (metrics files, `--build-seconds`).
pub const BUILD_TIME: &str = "build_time_s";
/// How many names a comparison lists per kind (counts are complete).
pub const MAX_NAMES: usize = 20;

/// One metric before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetricDelta {
    /// `score`, `line_coverage`, `tests`, `findings`, a dimension key or a metric name.
    pub name: String,
    /// In the baseline.
    pub before: Option<f64>,
    /// Now.
    pub after: Option<f64>,
    /// `after - before`, when both are known.
    pub delta: Option<f64>,
}

/// A file's line coverage before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileDelta {
    /// Repository-relative path.
    pub path: String,
    /// Line coverage in the baseline, percent (absent: not in the baseline).
    pub before: Option<f64>,
    /// Line coverage now, percent (absent: no coverage data now).
    pub after: Option<f64>,
}

/// What changed since the baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// The baseline's commit, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_commit: Option<String>,
    /// Headline metrics.
    pub metrics: Vec<MetricDelta>,
    /// Changed files (or, without a diff, files whose coverage changed), worst drop first.
    pub files: Vec<FileDelta>,
    /// Tests failing now that did not fail in the baseline (names, bounded).
    pub tests_newly_failing: Vec<String>,
    /// Their count.
    pub tests_newly_failing_count: u64,
    /// Tests skipped now that ran in the baseline (names, bounded).
    pub tests_newly_skipped: Vec<String>,
    /// Their count.
    pub tests_newly_skipped_count: u64,
    /// Tests in the baseline that are gone (the digest keeps hashes, so only the count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests_removed: Option<u64>,
    /// Tests that are new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests_added: Option<u64>,
    /// Findings now absent from the baseline (texts, bounded).
    pub findings_introduced: Vec<String>,
    /// Their count.
    pub findings_introduced_count: u64,
    /// Baseline findings that are gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings_fixed: Option<u64>,
    /// What the baseline lacked for a full comparison.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Which findings are new: on an added line, or beyond the baseline's count of their
/// fingerprint. `None` when there is neither a diff nor a baseline with findings.
pub fn new_findings(
    items: &[Finding],
    changes: Option<&ChangedLines>,
    baseline: Option<&Baseline>,
) -> Option<Vec<bool>> {
    let base = baseline.and_then(|b| b.findings.as_ref());
    if changes.is_none() && base.is_none() {
        return None;
    }
    let mut seen: HashMap<u32, u32> = HashMap::new();
    Some(
        items
            .iter()
            .map(|f| {
                let on_added = changes.is_some_and(|c| {
                    f.location
                        .as_ref()
                        .is_some_and(|l| l.line > 0 && c.is_added(&l.path, l.line))
                });
                let beyond_base = base.is_some_and(|b| {
                    let h = finding_hash(&fingerprint(f));
                    let n = seen.entry(b.key(h)).or_default();
                    *n += 1;
                    *n > b.get(h).copied().unwrap_or(0)
                });
                on_added || beyond_base
            })
            .collect(),
    )
}

fn rule(id: &str, measured: Option<f64>, limit: f64, message: String, failed: bool) -> RuleResult {
    RuleResult {
        id: format!("regressions.{id}"),
        kind: RuleKind::Regression,
        status: match (measured, failed) {
            (None, _) => RuleStatus::NotMeasured,
            (Some(_), true) => RuleStatus::Failed,
            (Some(_), false) => RuleStatus::Passed,
        },
        measured,
        limit,
        comparison: "<=".into(),
        message,
        details: Vec::new(),
    }
}

fn delta(name: &str, before: Option<f64>, after: Option<f64>) -> MetricDelta {
    MetricDelta {
        name: name.into(),
        before,
        after,
        delta: match (before, after) {
            (Some(b), Some(a)) => Some(round2(a - b)),
            _ => None,
        },
    }
}

/// What the comparison needs from the current run.
pub struct Current<'a> {
    /// Every report, merged.
    pub bundle: &'a Bundle,
    /// The total score.
    pub score: Option<f64>,
    /// Sub-scores by dimension key.
    pub dimensions: BTreeMap<String, f64>,
    /// Line coverage, percent.
    pub line_coverage: Option<f64>,
    /// Measured metrics.
    pub metrics: &'a BTreeMap<String, f64>,
    /// The config's performance budgets.
    pub budgets: &'a BTreeMap<String, Budget>,
    /// The change's lines, when known.
    pub changes: Option<&'a ChangedLines>,
    /// Which findings are new (see [`new_findings`]).
    pub new: Option<&'a [bool]>,
}

/// Compares with the baseline and checks the regression rules.
pub fn compare(
    base: &Baseline,
    cur: &Current,
    limits: &RegressionLimits,
) -> (Comparison, Vec<RuleResult>) {
    let h = &base.header;
    let b = cur.bundle;
    let has = |k: Kind| b.inputs.iter().any(|i| i.format.kind() == k);
    let mut c = Comparison {
        base_commit: h.commit.clone(),
        ..Default::default()
    };
    let mut rules = Vec::new();
    if !h.left_out.is_empty() {
        c.notes.push(format!(
            "the baseline left out {} to fit its size limit",
            h.left_out.join(", ")
        ));
    }
    c.notes.extend(base.unresolved.iter().map(|u| u.note()));

    // Headline metrics.
    c.metrics.push(delta("score", h.score, cur.score));
    c.metrics.push(delta(
        "line_coverage",
        h.line_coverage,
        cur.line_coverage.map(round2),
    ));
    let tc = b.tests.counts();
    let now_tests = has(Kind::Tests);
    c.metrics.push(delta(
        "tests",
        h.tests.as_ref().map(|t| t.total as f64),
        now_tests.then_some(tc.total as f64),
    ));
    c.metrics.push(delta(
        "failing_tests",
        h.tests.as_ref().map(|t| t.failing as f64),
        now_tests.then_some((tc.failed + tc.errored) as f64),
    ));
    c.metrics.push(delta(
        "findings",
        h.findings.map(|n| n as f64),
        has(Kind::Findings).then_some(b.findings.counts().total as f64),
    ));
    for (k, after) in &cur.dimensions {
        c.metrics
            .push(delta(k, h.dimensions.get(k).copied(), Some(*after)));
    }
    let metric_names: Vec<&String> = cur
        .metrics
        .keys()
        .chain(h.metrics.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for k in metric_names {
        c.metrics.push(delta(
            k,
            h.metrics.get(k).copied(),
            cur.metrics.get(k).copied(),
        ));
    }

    // Score and coverage drops.
    let drop = |before: Option<f64>, after: Option<f64>| Some(round2(before? - after?));
    let sd = drop(h.score, cur.score);
    rules.push(rule(
        "score_drop",
        sd,
        limits.max_score_drop,
        match sd {
            Some(d) => format!(
                "total score {} → {} ({}{} points; at most {} down allowed)",
                num(h.score.unwrap_or(0.0)),
                num(cur.score.unwrap_or(0.0)),
                if d > 0.0 { "-" } else { "+" },
                num(d.abs()),
                num(limits.max_score_drop)
            ),
            None => "total score: not in both runs".into(),
        },
        sd.is_some_and(|d| d > limits.max_score_drop),
    ));
    let cd = drop(h.line_coverage, cur.line_coverage.map(round2));
    rules.push(rule(
        "coverage_drop",
        cd,
        limits.max_coverage_drop,
        match cd {
            Some(d) => format!(
                "line coverage {}% → {}% ({}{} points; at most {} down allowed)",
                num(h.line_coverage.unwrap_or(0.0)),
                num(round2(cur.line_coverage.unwrap_or(0.0))),
                if d > 0.0 { "-" } else { "+" },
                num(d.abs()),
                num(limits.max_coverage_drop)
            ),
            None => "line coverage: not in both runs".into(),
        },
        cd.is_some_and(|d| d > limits.max_coverage_drop),
    ));

    // Findings introduced and fixed.
    let items = &b.findings.items;
    if let (Some(bf), true) = (&base.findings, has(Kind::Findings)) {
        let mut now: HashMap<u32, u32> = HashMap::new();
        for f in items.iter().filter(|f| !f.suppressed) {
            *now.entry(bf.key(finding_hash(&fingerprint(f))))
                .or_default() += 1;
        }
        let fixed: u64 = bf
            .map
            .iter()
            .map(|(k, n)| u64::from(n.saturating_sub(now.get(k).copied().unwrap_or(0))))
            .sum();
        c.findings_fixed = Some(fixed);
    } else if h.left_out.iter().any(|s| s == "findings") {
        c.notes
            .push("findings fixed and introduced: not in the baseline".into());
    }
    let mut high_new: Vec<&Finding> = Vec::new();
    if let Some(new) = cur.new {
        for (f, is_new) in items.iter().zip(new) {
            if !is_new || f.suppressed {
                continue;
            }
            c.findings_introduced_count += 1;
            if c.findings_introduced.len() < MAX_NAMES {
                c.findings_introduced.push(finding_text(f));
            }
            if f.category == Category::Security && f.severity.is_some_and(|s| s >= Severity::High) {
                high_new.push(f);
            }
        }
    }
    let vuln_measured = cur.new.is_some() && base.findings.is_some();
    let n = high_new.len() as u64;
    let mut r = rule(
        "new_high_vulnerabilities",
        vuln_measured.then_some(n as f64),
        limits.max_new_high_vulnerabilities as f64,
        if vuln_measured {
            format!(
                "new high or critical security findings: {n} (at most {} allowed)",
                limits.max_new_high_vulnerabilities
            )
        } else if base.is_unresolved("findings") {
            "new high or critical security findings: not compared (the findings differ from the base run's in more than the digest can list)".into()
        } else {
            "new high or critical security findings: the baseline has no findings".into()
        },
        vuln_measured && n > limits.max_new_high_vulnerabilities,
    );
    if r.status == RuleStatus::Failed {
        r.details = high_new
            .iter()
            .take(super::MAX_LISTED)
            .map(|f| Detail {
                text: finding_text(f),
                file: f.location.as_ref().map(|l| l.path.clone()),
                line: f.location.as_ref().map(|l| l.line).filter(|l| *l > 0),
            })
            .collect();
    }
    rules.push(r);

    // Performance metrics and build time.
    let pct = |before: f64, after: f64| -> Option<f64> {
        (before > 0.0).then(|| round2((after - before) * 100.0 / before))
    };
    for (name, budget) in cur.budgets {
        if name == BUILD_TIME {
            continue;
        }
        let (Some(before), Some(after)) = (h.metrics.get(name), cur.metrics.get(name)) else {
            continue;
        };
        // A metric with only a minimum gets worse downwards.
        let lower_is_worse = budget.max.is_none() && budget.min.is_some();
        let worse = if lower_is_worse {
            pct(*before, *after).map(|p| -p)
        } else {
            pct(*before, *after)
        };
        let lim = limits.max_metric_worsening_percent;
        rules.push(rule(
            &format!("metrics.{name}"),
            worse,
            lim,
            format!(
                "{name} {} → {} ({}% worse; at most {}% allowed)",
                num(*before),
                num(*after),
                num(worse.unwrap_or(0.0)),
                num(lim)
            ),
            worse.is_some_and(|w| w > lim),
        ));
    }
    if let (Some(before), Some(after)) = (h.metrics.get(BUILD_TIME), cur.metrics.get(BUILD_TIME)) {
        let lim = limits.max_build_time_increase_percent;
        let longer = pct(*before, *after);
        rules.push(rule(
            "build_time",
            longer,
            lim,
            format!(
                "build time {}s → {}s ({}% longer; at most {}% allowed)",
                num(*before),
                num(*after),
                num(longer.unwrap_or(0.0)),
                num(lim)
            ),
            longer.is_some_and(|l| l > lim),
        ));
    }

    // Tests.
    if now_tests && h.tests.is_some() && !base.is_unresolved("tests") {
        let mut ids_now: HashSet<u32> = HashSet::new();
        for s in &b.tests.suites {
            for t in &s.cases {
                let id = test_id(&s.name, t.classname.as_deref(), &t.name);
                ids_now.insert(id);
                let name = match &t.classname {
                    Some(cl) if !cl.is_empty() && !t.name.contains(cl.as_str()) => {
                        format!("{cl} › {}", t.name)
                    }
                    _ => t.name.clone(),
                };
                let existed = base.tests.as_ref().is_none_or(|all| all.contains(id));
                match t.status {
                    TestStatus::Failed | TestStatus::Errored if !base.failing.contains(id) => {
                        c.tests_newly_failing_count += 1;
                        if c.tests_newly_failing.len() < MAX_NAMES {
                            c.tests_newly_failing.push(name);
                        }
                    }
                    TestStatus::Skipped | TestStatus::Todo
                        if existed && !base.skipped.contains(id) =>
                    {
                        c.tests_newly_skipped_count += 1;
                        if c.tests_newly_skipped.len() < MAX_NAMES {
                            c.tests_newly_skipped.push(name);
                        }
                    }
                    _ => {}
                }
            }
        }
        match &base.tests {
            Some(all) => {
                // Keys of the digest's set: a current test sharing a key hides a removal.
                let keys_now: HashSet<u32> = ids_now.iter().map(|id| all.key(*id)).collect();
                c.tests_removed =
                    Some(all.map.keys().filter(|k| !keys_now.contains(k)).count() as u64);
                c.tests_added =
                    Some(ids_now.iter().filter(|id| !all.contains(**id)).count() as u64);
            }
            None => c
                .notes
                .push("tests removed and added: the baseline left its test list out".into()),
        }
    }

    // Files: the changed ones, else those whose coverage moved.
    if has(Kind::Coverage) && !base.files.is_empty() {
        let pct_of = |(total, covered): (u64, u64)| {
            crate::model::coverage::percent(covered, total).map(round2)
        };
        let mut rows: Vec<FileDelta> = Vec::new();
        match cur.changes {
            Some(ch) => {
                for path in ch.files.keys() {
                    let before = base.files.get(hash32(path)).copied().and_then(pct_of);
                    let after = b.coverage.files.get(path).and_then(|f| {
                        let t = f.totals();
                        pct_of((t.lines_total, t.lines_covered))
                    });
                    if before.is_some() || after.is_some() {
                        rows.push(FileDelta {
                            path: path.clone(),
                            before,
                            after,
                        });
                    }
                }
            }
            None => {
                for (path, f) in &b.coverage.files {
                    let t = f.totals();
                    let after = pct_of((t.lines_total, t.lines_covered));
                    let before = base.files.get(hash32(path)).copied().and_then(pct_of);
                    if before != after {
                        rows.push(FileDelta {
                            path: path.clone(),
                            before,
                            after,
                        });
                    }
                }
            }
        }
        rows.sort_by(|a, b| {
            let d = |r: &FileDelta| r.after.unwrap_or(0.0) - r.before.unwrap_or(0.0);
            d(a).total_cmp(&d(b)).then_with(|| a.path.cmp(&b.path))
        });
        rows.truncate(super::MAX_LISTED);
        c.files = rows;
    }
    (c, rules)
}

fn finding_text(f: &Finding) -> String {
    let loc = f
        .location
        .as_ref()
        .filter(|l| !l.path.is_empty())
        .map(|l| {
            if l.line > 0 {
                format!(" ({}:{})", l.path, l.line)
            } else {
                format!(" ({})", l.path)
            }
        })
        .unwrap_or_default();
    let rule = f
        .rule
        .as_deref()
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    format!("{}{rule}: {}{loc}", f.tool, super::first_line(&f.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_for(
        before: &[(&str, f64)],
        after: &[(&str, f64)],
        budgets: &[(&str, Option<f64>, Option<f64>)],
    ) -> Vec<(String, RuleStatus, Option<f64>)> {
        let mut base = Baseline::default();
        base.header.metrics = before.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let metrics: BTreeMap<String, f64> =
            after.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let budgets: BTreeMap<String, Budget> = budgets
            .iter()
            .map(|(k, max, min)| {
                (
                    k.to_string(),
                    Budget {
                        max: *max,
                        min: *min,
                        unit: None,
                    },
                )
            })
            .collect();
        let bundle = Bundle::default();
        let cur = Current {
            bundle: &bundle,
            score: None,
            dimensions: BTreeMap::new(),
            line_coverage: None,
            metrics: &metrics,
            budgets: &budgets,
            changes: None,
            new: None,
        };
        let (_, rules) = compare(&base, &cur, &RegressionLimits::default());
        rules
            .into_iter()
            .filter(|r| r.id.starts_with("regressions.metrics") || r.id == "regressions.build_time")
            .map(|r| (r.id, r.status, r.measured))
            .collect()
    }

    #[test]
    fn build_time_and_budget_metrics() {
        // 100 s → 125 s is 25% longer (> 20%); 100 s → 115 s is 15%.
        let r = rules_for(&[(BUILD_TIME, 100.0)], &[(BUILD_TIME, 125.0)], &[]);
        assert_eq!(
            r,
            vec![(
                "regressions.build_time".into(),
                RuleStatus::Failed,
                Some(25.0)
            )]
        );
        let r = rules_for(&[(BUILD_TIME, 100.0)], &[(BUILD_TIME, 115.0)], &[]);
        assert_eq!(r[0].1, RuleStatus::Passed);
        // A `max` budget gets worse upwards (200 → 230 kB: 15%), a `min`-only one downwards
        // (50 → 40 rps: 20% worse); 1000 → 1050 ms is 5%.
        let r = rules_for(
            &[("bundle_kb", 200.0), ("rps", 50.0), ("p95_ms", 1000.0)],
            &[("bundle_kb", 230.0), ("rps", 40.0), ("p95_ms", 1050.0)],
            &[
                ("bundle_kb", Some(300.0), None),
                ("rps", None, Some(10.0)),
                ("p95_ms", Some(2000.0), None),
            ],
        );
        assert_eq!(
            r,
            vec![
                (
                    "regressions.metrics.bundle_kb".into(),
                    RuleStatus::Failed,
                    Some(15.0)
                ),
                (
                    "regressions.metrics.p95_ms".into(),
                    RuleStatus::Passed,
                    Some(5.0)
                ),
                (
                    "regressions.metrics.rps".into(),
                    RuleStatus::Failed,
                    Some(20.0)
                ),
            ]
        );
    }
}
