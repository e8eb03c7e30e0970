//! The five sub-scores, each 0-100 and each monotonic in what it measures (more findings,
//! more failures or more budget overrun never raise it). Every formula returns the lines that
//! explain it. `docs/scoring.md` states the formulas and constants; keep the two in step.

use super::Evidence;
use super::classify;
use super::verdict::Explanation;
use crate::ingest::Kind;
use crate::model::{Category, Level, Severity};
use std::collections::BTreeMap;

/// Points per finding per 1,000 lines, by level, for code quality.
pub const CODE_QUALITY_POINTS: [(Level, f64); 3] = [
    (Level::Error, 5.0),
    (Level::Warning, 1.0),
    (Level::Note, 0.2),
];
/// Points per security finding, by severity.
pub const SECURITY_POINTS: [(Severity, f64); 5] = [
    (Severity::Critical, 40.0),
    (Severity::High, 20.0),
    (Severity::Medium, 5.0),
    (Severity::Low, 1.0),
    (Severity::Info, 0.0),
];
/// Points per documentation finding per 1,000 lines.
pub const DOCUMENTATION_POINTS: f64 = 5.0;
/// Below this size, findings are weighed as if the project had this many lines, so that one
/// finding in a 50-line script does not cost 100 points.
pub const MIN_SIZE_LINES: u64 = 1000;
/// The coverage target of the testing sub-score when the environment sets none.
pub const DEFAULT_COVERAGE_TARGET: f64 = 80.0;

/// A sub-score before weighting.
#[derive(Debug, Clone, PartialEq)]
pub struct SubScore {
    /// 0-100, `None` when not measured.
    pub score: Option<f64>,
    /// What it was computed from.
    pub explanation: Vec<Explanation>,
    /// Why it is not measured.
    pub not_measured: Option<String>,
}

impl SubScore {
    fn unmeasured(why: &str) -> SubScore {
        SubScore {
            score: None,
            explanation: Vec::new(),
            not_measured: Some(why.to_string()),
        }
    }

    /// 100 less the deductions, clamped to 0-100.
    fn from_deductions(explanation: Vec<Explanation>) -> SubScore {
        let total: f64 = explanation.iter().map(|e| e.points).sum();
        SubScore {
            score: Some(round2((100.0 + total).clamp(0.0, 100.0))),
            explanation,
            not_measured: None,
        }
    }
}

/// Rounds to 2 decimals: scores are compared with thresholds as shown.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A number shown without trailing zeros (`5`, `0.2`, `1.25`).
pub fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The project's size that findings are weighed against, in lines, and where it came from.
pub fn size(ev: &Evidence) -> (u64, String) {
    let cov = ev.bundle.coverage.totals().lines_total;
    let (lines, from) = if ev.has_kind(Kind::Coverage) && cov > 0 {
        (cov, format!("{cov} coverable lines (coverage)"))
    } else if let Some(n) = ev.source_lines.filter(|n| *n > 0) {
        (n, format!("{n} lines in the files the findings name"))
    } else {
        (0, "no size known".to_string())
    };
    if lines < MIN_SIZE_LINES {
        (
            MIN_SIZE_LINES,
            format!("{from}, counted as the minimum {MIN_SIZE_LINES}"),
        )
    } else {
        (lines, from)
    }
}

/// Code quality: unsuppressed lint and build findings (documentation rules apart), by
/// level, per 1,000 lines.
pub fn code_quality(ev: &Evidence) -> SubScore {
    let findings: Vec<_> = ev
        .bundle
        .findings
        .items
        .iter()
        .filter(|f| classify::counts(f))
        .filter(|f| matches!(f.category, Category::Lint | Category::Build))
        .filter(|f| !classify::is_documentation(f))
        .collect();
    if ev.lint_reports == 0 && findings.is_empty() {
        return SubScore::unmeasured("no lint or compiler report was given");
    }
    let (lines, from) = size(ev);
    let kloc = lines as f64 / 1000.0;
    let mut explanation = vec![Explanation {
        text: format!("size: {from}"),
        points: 0.0,
    }];
    for (level, per) in CODE_QUALITY_POINTS {
        let n = findings.iter().filter(|f| f.level == level).count() as u64;
        if n == 0 {
            continue;
        }
        let pts = n as f64 * per / kloc;
        explanation.push(Explanation {
            text: format!(
                "{} × {} points ÷ {} kLOC",
                plural(
                    n,
                    &format!("{}-level finding", classify::level_name(level)),
                    &format!("{}-level findings", classify::level_name(level))
                ),
                num(per),
                num(kloc)
            ),
            points: -round2(pts),
        });
    }
    SubScore::from_deductions(explanation)
}

/// A security finding's severity, and whether it was taken from its level because the tool
/// gave none (error as high, warning as medium, note as low).
fn effective_severity(f: &crate::model::Finding) -> (Severity, bool) {
    match f.severity {
        Some(s) => (s, false),
        None => (
            match f.level {
                Level::Error => Severity::High,
                Level::Warning => Severity::Medium,
                Level::Note => Severity::Low,
                Level::None => Severity::Info,
            },
            true,
        ),
    }
}

fn severity_points(sev: Severity) -> f64 {
    SECURITY_POINTS
        .iter()
        .find(|(s, _)| *s == sev)
        .map_or(0.0, |(_, p)| *p)
}

/// Security: unsuppressed security findings by severity (findings without a severity by
/// level: error as high, warning as medium, note as low).
pub fn security(ev: &Evidence) -> SubScore {
    let findings: Vec<_> = ev
        .bundle
        .findings
        .items
        .iter()
        .filter(|f| classify::counts(f) && f.category == Category::Security)
        .collect();
    if ev.security_reports == 0 && findings.is_empty() {
        return SubScore::unmeasured("no security scanner report was given");
    }
    // Most severe first.
    let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, bool), u64> = BTreeMap::new();
    for f in &findings {
        let (sev, by_level) = effective_severity(f);
        *groups
            .entry((std::cmp::Reverse(sev), by_level))
            .or_default() += 1;
    }
    let mut explanation = Vec::new();
    if findings.is_empty() {
        explanation.push(Explanation {
            text: "no security findings".into(),
            points: 0.0,
        });
    }
    for ((std::cmp::Reverse(sev), by_level), n) in groups {
        let per = severity_points(sev);
        let word = classify::severity_name(sev);
        let what = if by_level {
            format!("{word} (no severity given; by level)")
        } else {
            word.to_string()
        };
        explanation.push(Explanation {
            text: format!(
                "{} × {} points",
                plural(
                    n,
                    &format!("{what} security finding"),
                    &format!("{what} security findings")
                ),
                num(per)
            ),
            points: -(n as f64 * per),
        });
    }
    SubScore::from_deductions(explanation)
}

/// Testing: the mean of the pass rate (passed ÷ run; skipped and todo not run) and line
/// coverage against the target (capped at 100), each where measured.
pub fn testing(ev: &Evidence, target: f64) -> SubScore {
    let c = ev.bundle.tests.counts();
    let run = c.passed + c.failed + c.errored;
    let has_tests = ev.has_kind(Kind::Tests) && run > 0;
    let line_pct = ev.line_coverage();
    if !has_tests && line_pct.is_none() {
        return SubScore::unmeasured("no test results or coverage report was given");
    }
    let mut parts: Vec<(f64, String)> = Vec::new();
    if has_tests {
        let rate = c.passed as f64 * 100.0 / run as f64;
        parts.push((
            rate,
            format!(
                "pass rate {}/{} run = {}%",
                c.passed,
                run,
                num(round2(rate))
            ),
        ));
    }
    if let Some(p) = line_pct {
        let target = if target > 0.0 { target } else { 100.0 };
        let part = (p * 100.0 / target).min(100.0);
        parts.push((
            part,
            format!(
                "line coverage {}% against the {}% target = {}%",
                num(round2(p)),
                num(target),
                num(round2(part))
            ),
        ));
    }
    let share = 1.0 / parts.len() as f64;
    let explanation = parts
        .into_iter()
        .map(|(part, text)| Explanation {
            text: if share < 1.0 {
                format!("{text}, weighing {}%", num(share * 100.0))
            } else {
                text
            },
            points: -round2((100.0 - part) * share),
        })
        .collect();
    SubScore::from_deductions(explanation)
}

/// Performance: the mean over budgets with a measured value of each budget's score: 100
/// within budget; beyond a maximum, falling linearly to 0 at twice the maximum; below a
/// minimum, the measured share of the minimum.
pub fn performance(
    ev: &Evidence,
    budgets: &BTreeMap<String, crate::gate::config::Budget>,
) -> (SubScore, Vec<String>) {
    let mut notes = Vec::new();
    if budgets.is_empty() {
        return (
            SubScore::unmeasured("no performance budgets are configured"),
            notes,
        );
    }
    let mut scored: Vec<(f64, String)> = Vec::new();
    for (name, b) in budgets {
        let Some(v) = ev.metric(name) else {
            notes.push(format!(
                "performance budget `{name}` has no measured value in the metrics files"
            ));
            continue;
        };
        let unit = b
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let mut s: f64 = 100.0;
        let mut what = format!("{name} = {}{unit}", num(v));
        if let Some(max) = b.max {
            let part = if v <= max {
                100.0
            } else if max > 0.0 {
                (100.0 * (1.0 - (v - max) / max)).max(0.0)
            } else {
                0.0
            };
            what.push_str(&format!(", max {}{unit}", num(max)));
            s = s.min(part);
        }
        if let Some(min) = b.min {
            let part = if v >= min {
                100.0
            } else if min > 0.0 {
                100.0 * v / min
            } else {
                100.0
            };
            what.push_str(&format!(", min {}{unit}", num(min)));
            s = s.min(part);
        }
        scored.push((s, what));
    }
    if scored.is_empty() {
        return (
            SubScore::unmeasured("no performance budget has a measured value"),
            notes,
        );
    }
    let n = scored.len() as f64;
    let explanation = scored
        .into_iter()
        .map(|(s, what)| Explanation {
            text: format!("{what}: budget score {}", num(round2(s))),
            points: -round2((100.0 - s) / n),
        })
        .collect();
    (SubScore::from_deductions(explanation), notes)
}

/// Documentation: unsuppressed documentation findings (missing docstrings, Javadoc, JSDoc,
/// Rust docs) per 1,000 lines, whatever their level.
pub fn documentation(ev: &Evidence) -> SubScore {
    let n = ev
        .bundle
        .findings
        .items
        .iter()
        .filter(|f| classify::is_documentation(f))
        .count() as u64;
    let by_default = ev
        .bundle
        .inputs
        .iter()
        .any(|i| classify::checks_docs_by_default(i.format));
    if n == 0 && ev.documentation_reports == 0 && !by_default {
        return SubScore::unmeasured(
            "no report of a documentation check was given (pydocstyle/Ruff D rules, Pylint, JSDoc, Javadoc, Rust doc lints)",
        );
    }
    let (lines, from) = size(ev);
    let kloc = lines as f64 / 1000.0;
    let mut explanation = vec![Explanation {
        text: format!("size: {from}"),
        points: 0.0,
    }];
    if n == 0 {
        explanation.push(Explanation {
            text: "no documentation findings".into(),
            points: 0.0,
        });
    } else {
        explanation.push(Explanation {
            text: format!(
                "{} × {} points ÷ {} kLOC",
                plural(n, "documentation finding", "documentation findings"),
                num(DOCUMENTATION_POINTS),
                num(kloc)
            ),
            points: -round2(n as f64 * DOCUMENTATION_POINTS / kloc),
        });
    }
    SubScore::from_deductions(explanation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_short() {
        assert_eq!(num(5.0), "5");
        assert_eq!(num(0.2), "0.2");
        assert_eq!(num(69.614), "69.61");
        assert_eq!(num(-0.0), "0");
    }
}
