//! Fidelity: every report in `tests/fixtures/real/` (made by `scripts/fixtures.sh` with the real
//! tools) read by shipgate gives the totals the tool itself printed, recorded beside it in
//! `expected.json`. Where a report file holds less than the tool printed (jest-junit writes
//! todo tests as passed, pytest writes xfail as skipped...), the script recorded the tool's
//! numbers as the file represents them in `junit_view`, with a note saying why.

use crate::support::{assert_pct, fixture, json};
use serde_json::Value;
use shipgate::ingest::{self, PathResolver, Report};
use shipgate::model::TestStatus;
use std::collections::BTreeMap;

/// Formats the script records that issue 2 does not read (yet): named so the test says so.
const NOT_READ: &[&str] = &["go-test-json", "jacoco-csv", "gcovr-json-summary"];

fn num(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

#[test]
fn every_real_report_matches_the_tools_printed_totals() {
    let root = fixture("real");
    let mut checked = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs.iter().filter(|d| d.join("expected.json").exists()) {
        let expected = json(&dir.join("expected.json"));
        for (name, exp) in expected["reports"].as_object().unwrap() {
            let fmt = exp["format"].as_str().unwrap();
            if NOT_READ.contains(&fmt) {
                println!(
                    "notice: {}/{name}: format {fmt} is not read by shipgate yet; not checked",
                    dir.display()
                );
                continue;
            }
            let path = dir.join(name);
            let what = format!("{}/{name}", dir.file_name().unwrap().to_string_lossy());
            let resolver = PathResolver::new(dir);
            let report = match ingest::read_path(&path, None, &resolver) {
                Ok(i) => i.report,
                Err(e) => {
                    failures.push(format!("{what}: {e}"));
                    continue;
                }
            };
            // `file_view`: what the file holds where it differs by definition from the printed
            // figure (computed by the script independently, with its reason beside it).
            let mut exp = exp.clone();
            if let Some(view) = exp.get("file_view").and_then(Value::as_object).cloned() {
                for (k, v) in view {
                    exp[k.as_str()] = v;
                }
            }
            let exp = &exp;
            let errs = match report {
                Report::Coverage(c) => check_coverage(&c.totals(), exp),
                Report::Tests(t) => check_tests(&t, exp, fmt),
                Report::Findings(f) => check_findings(&f, exp),
            };
            failures.extend(errs.into_iter().map(|e| format!("{what}: {e}")));
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} reports checked");
}

fn cmp(errs: &mut Vec<String>, what: &str, ours: u64, theirs: Option<u64>) {
    if let Some(t) = theirs
        && ours != t
    {
        errs.push(format!("{what}: shipgate {ours}, tool {t}"));
    }
}

fn check_coverage(t: &shipgate::model::CoverageTotals, exp: &Value) -> Vec<String> {
    let mut e = Vec::new();
    cmp(
        &mut e,
        "lines_total",
        t.lines_total,
        num(exp, "lines_total"),
    );
    cmp(
        &mut e,
        "lines_covered",
        t.lines_covered,
        num(exp, "lines_covered"),
    );
    cmp(
        &mut e,
        "branches_total",
        t.branches_total,
        num(exp, "branches_total"),
    );
    cmp(
        &mut e,
        "branches_covered",
        t.branches_covered,
        num(exp, "branches_covered"),
    );
    let ft = num(exp, "functions_total").or(num(exp, "methods_total"));
    let fc = num(exp, "functions_covered").or(num(exp, "methods_covered"));
    cmp(&mut e, "functions_total", t.functions_total, ft);
    cmp(&mut e, "functions_covered", t.functions_covered, fc);
    if let (Some(p), Some(basis)) = (exp["percent"].as_f64(), exp["percent_basis"].as_str()) {
        let ours = match basis {
            "lines" => t.line_percent(),
            // coverage.py's TOTAL: (covered lines + covered branches) / (lines + branches)
            "lines+branches" => shipgate::model::coverage::percent(
                t.lines_covered + t.branches_covered,
                t.lines_total + t.branches_total,
            ),
            other => panic!("unknown percent basis {other}"),
        };
        // The tools print 2 decimals (gcovr 1): compare at the printed precision.
        let decimals = exp["percent"]
            .to_string()
            .split('.')
            .nth(1)
            .map_or(0, str::len) as i32;
        let tol = 0.5 * 10f64.powi(-decimals) + 1e-9;
        match ours {
            Some(o) if (o - p).abs() <= tol || (o - p).abs() < 0.01 => {}
            _ => e.push(format!("percent ({basis}): shipgate {ours:?}, tool {p}")),
        }
    }
    if let Some(p) = exp["line_percent_printed"].as_f64() {
        assert_pct(t.line_percent(), p, "line_percent_printed");
    }
    if let Some(p) = exp["branch_percent_printed"].as_f64() {
        assert_pct(t.branch_percent(), p, "branch_percent_printed");
    }
    if let Some(p) = exp["statement_percent"].as_f64() {
        // Go prints statement coverage with one decimal.
        match t.statement_percent() {
            Some(o) if (o - p).abs() <= 0.05 + 1e-9 => {}
            other => e.push(format!("statement percent: shipgate {other:?}, go {p}")),
        }
    }
    e
}

fn check_tests(run: &shipgate::model::TestRun, exp: &Value, fmt: &str) -> Vec<String> {
    let c = run.counts();
    let mut want: BTreeMap<&str, u64> = BTreeMap::new();
    for k in ["passed", "failed", "errored", "skipped", "todo", "total"] {
        if let Some(v) = num(exp, k) {
            want.insert(k, v);
        }
    }
    if fmt == "junit"
        && let Some(view) = exp.get("junit_view").and_then(Value::as_object)
    {
        for (k, v) in view {
            let key = ["passed", "failed", "errored", "skipped", "todo", "total"]
                .into_iter()
                .find(|x| x == k)
                .unwrap_or_else(|| panic!("unknown junit_view key {k}"));
            want.insert(key, v.as_u64().unwrap());
        }
    }
    let mut e = Vec::new();
    for (k, v) in want {
        let ours = match k {
            "passed" => c.passed,
            "failed" => c.failed,
            "errored" => c.errored,
            "skipped" => c.skipped,
            "todo" => c.todo,
            _ => c.total,
        };
        cmp(&mut e, k, ours, Some(v));
    }
    let by_status = |s| {
        run.suites
            .iter()
            .flat_map(|x| &x.cases)
            .filter(|c| c.status == s)
            .count() as u64
    };
    cmp(
        &mut e,
        "failed (cases)",
        by_status(TestStatus::Failed),
        Some(c.failed),
    );
    e
}

fn check_findings(f: &shipgate::model::Findings, exp: &Value) -> Vec<String> {
    let c = f.counts();
    let mut e = Vec::new();
    cmp(&mut e, "total", c.total, num(exp, "total"));
    cmp(&mut e, "errors", c.error, num(exp, "errors"));
    cmp(&mut e, "warnings", c.warning, num(exp, "warnings"));
    cmp(
        &mut e,
        "suppressed",
        c.suppressed,
        num(exp, "suppressed_in_file"),
    );
    if let Some(by) = exp.get("by_rule").and_then(Value::as_object) {
        for (rule, n) in by {
            let ours = f
                .items
                .iter()
                .filter(|x| !x.suppressed && x.rule.as_deref() == Some(rule.as_str()))
                .count() as u64;
            cmp(&mut e, &format!("rule {rule}"), ours, n.as_u64());
        }
    }
    if let Some(by) = exp.get("by_category").and_then(Value::as_object) {
        // Pylint's categories: fatal/error → error, warning → warning, the rest → note.
        let mut want = [0u64; 3];
        for (cat, n) in by {
            let i = match cat.as_str() {
                "fatal" | "error" => 0,
                "warning" => 1,
                _ => 2,
            };
            want[i] += n.as_u64().unwrap();
        }
        cmp(&mut e, "pylint error+fatal", c.error, Some(want[0]));
        cmp(&mut e, "pylint warning", c.warning, Some(want[1]));
        cmp(
            &mut e,
            "pylint convention+refactor+info",
            c.note,
            Some(want[2]),
        );
    }
    e
}

/// The README's first command (the main job on the bundled example) runs and gives a verdict:
/// exit 0 or 1, never a usage or input error.
#[test]
fn readme_first_command_gives_a_verdict() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("cargo run --release -- "))
        .expect("README has a `cargo run --release -- ...` command");
    let args: Vec<&str> = line.split_whitespace().collect();
    let out = crate::support::shipgate(&args, &crate::support::repo());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "`{line}`: {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Quality gate"), "{stdout}");
}
