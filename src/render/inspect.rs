//! What `shipgate inspect` shows: each input with its format and totals, then the merged totals.

use crate::ingest::{Bundle, InputSummary, Kind, Totals};
use crate::model::{CoverageTotals, FindingCounts, TestCounts};
use serde::Serialize;
use std::fmt::Write;

/// The JSON document `inspect --json` prints.
#[derive(Debug, Serialize)]
pub struct InspectReport<'a> {
    /// Schema version of this document.
    pub version: u32,
    /// Each input file.
    pub inputs: &'a [InputSummary],
    /// Totals over all coverage inputs, merged file by file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageJson>,
    /// Totals over all test inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<TestCounts>,
    /// Totals over all findings inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<FindingCounts>,
    /// Files the reports name that are not in the repository.
    pub missing_files: &'a [String],
}

/// Coverage totals with their percentages.
#[derive(Debug, Serialize)]
pub struct CoverageJson {
    /// The counts.
    #[serde(flatten)]
    pub totals: CoverageTotals,
    /// Line coverage, percent.
    pub line_percent: Option<f64>,
    /// Branch coverage, percent.
    pub branch_percent: Option<f64>,
    /// Function coverage, percent.
    pub function_percent: Option<f64>,
    /// Statement coverage (formats that count statements, such as Go's), percent.
    pub statement_percent: Option<f64>,
}

impl From<CoverageTotals> for CoverageJson {
    fn from(t: CoverageTotals) -> Self {
        CoverageJson {
            totals: t,
            line_percent: t.line_percent().map(round2),
            branch_percent: t.branch_percent().map(round2),
            function_percent: t.function_percent().map(round2),
            statement_percent: t.statement_percent().map(round2),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn has(bundle: &Bundle, kind: Kind) -> bool {
    bundle.inputs.iter().any(|i| i.format.kind() == kind)
}

/// The JSON report.
pub fn report<'a>(bundle: &'a Bundle, missing: &'a [String]) -> InspectReport<'a> {
    InspectReport {
        version: 1,
        inputs: &bundle.inputs,
        coverage: has(bundle, Kind::Coverage).then(|| bundle.coverage.totals().into()),
        tests: has(bundle, Kind::Tests).then(|| bundle.tests.counts()),
        findings: has(bundle, Kind::Findings).then(|| bundle.findings.counts()),
        missing_files: missing,
    }
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.2}%"))
}

fn coverage_line(t: &CoverageTotals) -> String {
    let mut s = format!(
        "lines {} ({}/{})",
        pct(t.line_percent()),
        t.lines_covered,
        t.lines_total
    );
    if t.branches_total > 0 {
        let _ = write!(
            s,
            ", branches {} ({}/{})",
            pct(t.branch_percent()),
            t.branches_covered,
            t.branches_total
        );
    }
    if t.functions_total > 0 {
        let _ = write!(
            s,
            ", functions {} ({}/{})",
            pct(t.function_percent()),
            t.functions_covered,
            t.functions_total
        );
    }
    if t.statements_total > 0 {
        let _ = write!(
            s,
            ", statements {} ({}/{})",
            pct(t.statement_percent()),
            t.statements_covered,
            t.statements_total
        );
    }
    let _ = write!(
        s,
        " in {} file{}",
        t.files,
        if t.files == 1 { "" } else { "s" }
    );
    s
}

fn tests_line(c: &TestCounts) -> String {
    let mut s = format!(
        "{} tests: {} passed, {} failed, {} errored, {} skipped",
        c.total, c.passed, c.failed, c.errored, c.skipped
    );
    if c.todo > 0 {
        let _ = write!(s, ", {} todo", c.todo);
    }
    if c.flaky > 0 {
        let _ = write!(s, " ({} flaky)", c.flaky);
    }
    let _ = write!(s, " in {:.2}s", c.time);
    s
}

fn findings_line(c: &FindingCounts) -> String {
    let mut s = format!(
        "{} findings: {} error, {} warning, {} note",
        c.total, c.error, c.warning, c.note
    );
    if c.none > 0 {
        let _ = write!(s, ", {} none", c.none);
    }
    if c.suppressed > 0 {
        let _ = write!(s, " ({} suppressed, not counted)", c.suppressed);
    }
    s
}

fn totals_line(t: &Totals) -> String {
    match t {
        Totals::Coverage(c) => coverage_line(c),
        Totals::Tests(c) => tests_line(c),
        Totals::Findings(c) => findings_line(c),
    }
}

/// The text report.
pub fn text(bundle: &Bundle, missing: &[String], root: &str) -> String {
    let mut out = String::new();
    for i in &bundle.inputs {
        let _ = writeln!(out, "{}: {}", i.path, i.format.name());
        let _ = writeln!(out, "  {}", totals_line(&i.totals));
    }
    if bundle.inputs.len() > 1 {
        let _ = writeln!(out, "\nall inputs:");
        if has(bundle, Kind::Coverage) {
            let _ = writeln!(
                out,
                "  coverage: {}",
                coverage_line(&bundle.coverage.totals())
            );
        }
        if has(bundle, Kind::Tests) {
            let _ = writeln!(out, "  tests:    {}", tests_line(&bundle.tests.counts()));
        }
        if has(bundle, Kind::Findings) {
            let _ = writeln!(
                out,
                "  findings: {}",
                findings_line(&bundle.findings.counts())
            );
        }
    }
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "\n{} file{} named by the reports {} not in the repository at {}:",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "is" } else { "are" },
            root
        );
        for m in missing.iter().take(20) {
            let _ = writeln!(out, "  {m}");
        }
        if missing.len() > 20 {
            let _ = writeln!(out, "  ... and {} more (see --json)", missing.len() - 20);
        }
    }
    out
}
