//! `shipgate gate` over real reports from `tests/fixtures/real/` (and the peers' scanner SARIF
//! in `../shared/fixtures/sarif-pairs/`). Every expected number comes from the producing
//! tool's own printed totals (`expected.json`, `*.stdout.txt`) or its report file, combined
//! with the thresholds the test's config sets; none comes from running shipgate.

use crate::support::{fixture, json, repo, shared};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary with a clean environment (no GitHub context, no `INPUT_*`), in `cwd`.
pub fn gate(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    c.args(args)
        .current_dir(cwd)
        .env_clear()
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run shipgate")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A real report under tests/fixtures/real, as an absolute path string.
pub fn real(rel: &str) -> String {
    fixture(&format!("real/{rel}")).display().to_string()
}

/// The tool's recorded totals for one report.
fn expected(folder: &str, report: &str) -> Value {
    json(&fixture(&format!("real/{folder}/expected.json")))["reports"][report].clone()
}

/// Writes a config into a fresh temp dir and returns both.
pub fn with_config(cfg: &Value) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("gates.json");
    std::fs::write(&p, serde_json::to_string_pretty(cfg).unwrap()).unwrap();
    (d, p)
}

/// Runs the gate with a config and `--report`, returning the process output and the report.
pub fn run_gate(cfg: &Value, env_name: &str, inputs: &[(&str, String)]) -> (Output, Value) {
    let (d, cfg_path) = with_config(cfg);
    let report = d.path().join("report.json");
    let mut args: Vec<String> = vec![
        "gate".into(),
        "--config".into(),
        cfg_path.display().to_string(),
        "--environment".into(),
        env_name.into(),
        "--report".into(),
        report.display().to_string(),
        "--root".into(),
        d.path().display().to_string(),
    ];
    for (flag, path) in inputs {
        args.push(format!("--{flag}"));
        args.push(path.clone());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gate(&a, &[], &repo());
    let rep = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    (out, rep)
}

/// A rule's entry in the report's verdict.
pub fn rule<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["verdict"]["rules"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("no rule {id} in {:#}", report["verdict"]["rules"]))
}

/// A config in the issue's shape with only the parts a test needs.
fn cfg(envs: Value, blocking: Value) -> Value {
    json!({
        "version": "1.0.0",
        "environments": envs,
        "weighting": {"code_quality": 35, "security": 25, "performance": 20, "testing": 15, "documentation": 5},
        "blocking_rules": blocking,
    })
}

fn status(r: &Value) -> &str {
    r["status"].as_str().unwrap_or("")
}

#[test]
fn coverage_threshold_on_real_cobertura() {
    // coverage.py printed 126 of 181 lines; PHPUnit 12 of 16.
    let py = expected("coverage-py", "coverage.xml");
    let py_pct =
        py["lines_covered"].as_f64().unwrap() * 100.0 / py["lines_total"].as_f64().unwrap();
    let php = expected("phpunit", "cobertura.xml");
    let php_pct =
        php["lines_covered"].as_f64().unwrap() * 100.0 / php["lines_total"].as_f64().unwrap();
    let c = cfg(
        json!({"development": {"coverage_threshold": 70}, "staging": {"coverage_threshold": 80}}),
        json!({}),
    );
    for (file, pct) in [
        (real("coverage-py/coverage.xml"), py_pct),
        (real("phpunit/cobertura.xml"), php_pct),
    ] {
        for (env, limit) in [("development", 70.0), ("staging", 80.0)] {
            let (out, rep) = run_gate(&c, env, &[("coverage", file.clone())]);
            let r = rule(&rep, "coverage_threshold");
            let want_pass = pct >= limit;
            assert_eq!(
                status(r),
                if want_pass { "passed" } else { "failed" },
                "{file} {env}: {r}"
            );
            assert!((r["measured"].as_f64().unwrap() - pct).abs() < 1e-9, "{r}");
            assert_eq!(r["limit"], limit);
            assert_eq!(
                out.status.code(),
                Some(if want_pass { 0 } else { 1 }),
                "{}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn test_failures_blocking_rule_counts_failed_plus_errored() {
    // pytest: the JUnit file holds 2 failures and 1 error (junit_view); JUnit 5: 1 + 1.
    for (folder, file) in [
        ("pytest", "junit.xml"),
        ("junit5", "TEST-junit-jupiter.xml"),
    ] {
        let e = expected(folder, file);
        let v = &e["junit_view"];
        let failed = v["failed"].as_u64().or(e["failed"].as_u64()).unwrap();
        let errored = v["errored"].as_u64().or(e["errored"].as_u64()).unwrap();
        let n = failed + errored;
        assert!(n > 0);
        for limit in [0, n] {
            let c = cfg(json!({"ci": {}}), json!({"test_failures": limit}));
            let (out, rep) = run_gate(&c, "ci", &[("tests", real(&format!("{folder}/{file}")))]);
            let r = rule(&rep, "blocking_rules.test_failures");
            assert_eq!(r["measured"].as_f64(), Some(n as f64), "{folder}: {r}");
            let want_pass = n <= limit;
            assert_eq!(status(r), if want_pass { "passed" } else { "failed" });
            assert_eq!(out.status.code(), Some(if want_pass { 0 } else { 1 }));
            assert_eq!(rep["tests"]["failed"].as_u64(), Some(failed));
            assert_eq!(rep["tests"]["errored"].as_u64(), Some(errored));
            assert_eq!(rep["tests"]["failing"].as_array().unwrap().len() as u64, n);
        }
    }
}

#[test]
fn failing_tests_are_named_as_pytest_printed_them() {
    // pytest's short summary: "FAILED tests/test_x.py::name - message" / "ERROR ...".
    let printed = std::fs::read_to_string(fixture("real/pytest/pytest.stdout.txt")).unwrap();
    let names: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("FAILED ") || l.starts_with("ERROR "))
        .filter_map(|l| l.split("::").nth(1))
        .filter_map(|rest| rest.split(" - ").next())
        .collect();
    assert_eq!(names.len(), 3, "{printed}");
    let c = cfg(json!({"ci": {}}), json!({"test_failures": 0}));
    let (out, rep) = run_gate(&c, "ci", &[("tests", real("pytest/junit.xml"))]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for n in &names {
        assert!(text.contains(n), "{n} not in\n{text}");
        assert!(
            rep["tests"]["failing"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["name"].as_str().unwrap().ends_with(n)),
            "{n}"
        );
    }
}

#[test]
fn type_errors_blocking_rule_with_mypy() {
    let path = real("mypy/mypy.json");
    // mypy printed "Found 3 errors"; its note (reveal_type) is not an error.
    let n = expected("mypy", "mypy.json")["errors"].as_u64().unwrap();
    for limit in [0, n] {
        let c = cfg(json!({"ci": {}}), json!({"type_errors": limit}));
        let (out, rep) = run_gate(&c, "ci", &[("findings", path.clone())]);
        let r = rule(&rep, "blocking_rules.type_errors");
        assert_eq!(r["measured"].as_f64(), Some(n as f64), "{r}");
        assert_eq!(status(r), if n <= limit { "passed" } else { "failed" });
        assert_eq!(out.status.code(), Some(if n <= limit { 0 } else { 1 }));
    }
}

#[test]
fn critical_bugs_blocking_rule_with_linters() {
    // Pylint's `error` messages are its probable-bug class: the 1 it printed.
    let pylint = expected("pylint", "pylint.json")["by_category"]["error"]
        .as_u64()
        .unwrap();
    // Ruff's rules by code as `ruff --statistics` printed them: none is in the
    // E9/F63/F7/F82/PLE correctness selection.
    let ruff_rules = expected("ruff", "ruff.json")["by_rule"].clone();
    let ruff: u64 = ruff_rules
        .as_object()
        .unwrap()
        .iter()
        .filter(|(code, _)| {
            ["E9", "F63", "F7", "F82", "PLE"]
                .iter()
                .any(|p| code.starts_with(p))
        })
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    // ESLint printed its problems one per line (`16:7 error <message> <rule>`); of the rules
    // at error level, only `no-unused-vars` is of type "problem" in ESLint 9.39.5's rule
    // metadata (`eqeqeq` and `prefer-const` are "suggestion").
    let printed = std::fs::read_to_string(fixture("real/eslint/eslint.stdout.txt")).unwrap();
    let eslint = printed
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("error"))
        .filter(|l| l.split_whitespace().last() == Some("no-unused-vars"))
        .count() as u64;
    // clippy printed 6 warnings and no error.
    let clippy = expected("clippy", "clippy.json")["errors"]
        .as_u64()
        .unwrap();
    for (path, n) in [
        (real("pylint/pylint.json"), pylint),
        (real("ruff/ruff.json"), ruff),
        (real("eslint/eslint.json"), eslint),
        (real("eslint/eslint.sarif"), eslint),
        (real("clippy/clippy.json"), clippy),
    ] {
        let c = cfg(json!({"ci": {}}), json!({"critical_bugs": 0}));
        let (out, rep) = run_gate(&c, "ci", &[("findings", path.clone())]);
        let r = rule(&rep, "blocking_rules.critical_bugs");
        assert_eq!(r["measured"].as_f64(), Some(n as f64), "{path}: {r}");
        assert_eq!(
            status(r),
            if n == 0 { "passed" } else { "failed" },
            "{path}"
        );
        assert_eq!(
            out.status.code(),
            Some(if n == 0 { 0 } else { 1 }),
            "{path}"
        );
    }
}

/// The peers' SARIF for a scan, with each result's security severity band as the CVSS
/// score in its rule says (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low).
fn sarif_bands(sarif: &Value) -> Vec<&'static str> {
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| {
            let r = rules.iter().find(|r| r["id"] == res["ruleId"]).unwrap();
            let score: f64 = r["properties"]["security-severity"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            match score {
                s if s >= 9.0 => "critical",
                s if s >= 7.0 => "high",
                s if s >= 4.0 => "medium",
                _ => "low",
            }
        })
        .collect()
}

/// docs/scoring.md: points per security finding by severity.
fn security_points(band: &str) -> f64 {
    match band {
        "critical" => 40.0,
        "high" => 20.0,
        "medium" => 5.0,
        "low" => 1.0,
        _ => 0.0,
    }
}

#[test]
fn security_threshold_and_critical_issues_with_scanner_sarif() {
    let Some(pairs) = shared("fixtures/sarif-pairs") else {
        return;
    };
    let trivy = pairs.join("trivy/alpine-310.sarif.golden");
    let grype = pairs.join("grype/sarif/testdata/snapshot/TestSarifPresenter_directory.golden");
    let c = cfg(
        json!({"development": {"security_threshold": 80}, "staging": {"security_threshold": 90}}),
        json!({"critical_security_issues": 0}),
    );
    for file in [&trivy, &grype] {
        let bands = sarif_bands(&json(file));
        let want = 100.0 - bands.iter().map(|b| security_points(b)).sum::<f64>();
        let criticals = bands.iter().filter(|b| **b == "critical").count() as u64;
        for (env, limit) in [("development", 80.0), ("staging", 90.0)] {
            let (out, rep) = run_gate(&c, env, &[("security", file.display().to_string())]);
            let r = rule(&rep, "security_threshold");
            assert_eq!(
                r["measured"].as_f64(),
                Some(want.max(0.0)),
                "{}: {r}",
                file.display()
            );
            let pass = want >= limit;
            assert_eq!(status(r), if pass { "passed" } else { "failed" });
            let crit = rule(&rep, "blocking_rules.critical_security_issues");
            assert_eq!(crit["measured"].as_f64(), Some(criticals as f64));
            assert_eq!(
                out.status.code(),
                Some(if pass && criticals == 0 { 0 } else { 1 })
            );
        }
    }
    // Grype's SARIF rates its "Critical" match 8.5 (high). The same log with that score raised
    // to 9.8 is a critical issue, which blocks even where the threshold is met.
    let text = std::fs::read_to_string(&grype)
        .unwrap()
        .replace("\"8.5\"", "\"9.8\"");
    let d = tempfile::tempdir().unwrap();
    let raised = d.path().join("grype-critical.sarif");
    std::fs::write(&raised, text).unwrap();
    let bands = sarif_bands(&json(&raised));
    assert_eq!(bands.iter().filter(|b| **b == "critical").count(), 1);
    let c = cfg(
        json!({"lenient": {"security_threshold": 0}}),
        json!({"critical_security_issues": 0}),
    );
    let (out, rep) = run_gate(&c, "lenient", &[("security", raised.display().to_string())]);
    assert_eq!(status(rule(&rep, "security_threshold")), "passed");
    let crit = rule(&rep, "blocking_rules.critical_security_issues");
    assert_eq!(
        (status(crit), crit["measured"].as_f64()),
        ("failed", Some(1.0))
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn quality_threshold_on_the_weighted_total() {
    // Coverage and tests only: testing is the one measured dimension and takes the whole
    // weight. docs/scoring.md: testing = mean of the pass rate (passed ÷ run) and coverage
    // against the target (the environment's coverage threshold, capped at 100%).
    let cov = expected("coverage-py", "coverage.xml");
    let pct = cov["lines_covered"].as_f64().unwrap() * 100.0 / cov["lines_total"].as_f64().unwrap();
    let t = &expected("pytest", "junit.xml")["junit_view"];
    let (p, f, e) = (
        t["passed"].as_f64().unwrap(),
        t["failed"].as_f64().unwrap(),
        t["errored"].as_f64().unwrap(),
    );
    let target = 80.0;
    let rate = p * 100.0 / (p + f + e);
    let cover = (pct * 100.0 / target).min(100.0);
    let want = ((rate + cover) / 2.0 * 100.0).round() / 100.0;
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let above = round2(want + 0.01);
    let c = cfg(
        json!({
            "low": {"coverage_threshold": target, "quality_threshold": want},
            "high": {"coverage_threshold": target, "quality_threshold": above}
        }),
        json!({}),
    );
    let inputs = [
        ("coverage", real("coverage-py/coverage.xml")),
        ("tests", real("pytest/junit.xml")),
    ];
    let (_, rep) = run_gate(&c, "low", &inputs);
    let r = rule(&rep, "quality_threshold");
    assert!(
        (r["measured"].as_f64().unwrap() - want).abs() < 0.011,
        "{r} vs {want}"
    );
    assert_eq!(status(r), "passed");
    let (_, rep) = run_gate(&c, "high", &inputs);
    assert_eq!(status(rule(&rep, "quality_threshold")), "failed");
    // Unmeasured dimensions are shown as such, and their weight goes to the measured one.
    let dims = rep["verdict"]["dimensions"].as_array().unwrap();
    for d in dims {
        if d["dimension"] == "testing" {
            assert_eq!(d["effective_weight"], 100.0);
        } else {
            assert!(d["score"].is_null() && d["not_measured"].is_string(), "{d}");
        }
    }
}

#[test]
fn performance_threshold_from_a_metrics_file() {
    let d = tempfile::tempdir().unwrap();
    let metrics = d.path().join("metrics.json");
    std::fs::write(
        &metrics,
        r#"{"bundle": {"main_kb": 300}, "build_time_s": 100}"#,
    )
    .unwrap();
    // docs/scoring.md: over a maximum, 100 falls linearly to 0 at twice the maximum; the
    // performance score is the mean over budgets: (100 × (1 − 50/250) + 100) / 2 = 90.
    let mut c = cfg(
        json!({"development": {"performance_threshold": 85}, "staging": {"performance_threshold": 95}}),
        json!({}),
    );
    c["performance"] = json!({"budgets": {
        "bundle.main_kb": {"max": 250, "unit": "KiB"},
        "build_time_s": {"max": 300},
        "image_size_mb": {"max": 500}
    }});
    for (env, pass) in [("development", true), ("staging", false)] {
        let (out, rep) = run_gate(&c, env, &[("metrics", metrics.display().to_string())]);
        let r = rule(&rep, "performance_threshold");
        assert_eq!(r["measured"].as_f64(), Some(90.0), "{r}");
        assert_eq!(status(r), if pass { "passed" } else { "failed" });
        assert_eq!(out.status.code(), Some(if pass { 0 } else { 1 }));
        // A budget with no measured value is noted, not scored.
        assert!(
            rep["verdict"]["notes"]
                .to_string()
                .contains("image_size_mb"),
            "{}",
            rep["verdict"]["notes"]
        );
    }
}

/// Per-file line coverage as `coverage report` printed it (Stmts and Miss columns).
fn coverage_py_files() -> Vec<(String, f64)> {
    let printed =
        std::fs::read_to_string(fixture("real/coverage-py/coverage-report.stdout.txt")).unwrap();
    printed
        .lines()
        .filter(|l| l.starts_with("src/"))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let stmts: f64 = cols[1].parse().unwrap();
            let miss: f64 = cols[2].parse().unwrap();
            (cols[0].to_string(), (stmts - miss) * 100.0 / stmts)
        })
        .collect()
}

#[test]
fn file_floors_name_the_files_below() {
    let files = coverage_py_files();
    assert_eq!(files.len(), 4);
    let floor = 65.0;
    let mut below: Vec<&String> = files
        .iter()
        .filter(|(_, p)| *p < floor)
        .map(|(f, _)| f)
        .collect();
    below.sort();
    assert!(!below.is_empty());
    let mut c = cfg(json!({"ci": {}}), json!({}));
    c["file_coverage_floors"] = json!([{"paths": ["src/shopcalc/**"], "minimum": floor}, {"paths": ["src/shopcalc/__init__.py"], "minimum": 100}]);
    let (out, rep) = run_gate(&c, "ci", &[("coverage", real("coverage-py/coverage.xml"))]);
    assert_eq!(out.status.code(), Some(1));
    let r = rule(&rep, "file_coverage_floors[0]");
    assert_eq!(status(r), "failed");
    let mut named: Vec<String> = r["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    named.sort();
    assert_eq!(named.iter().collect::<Vec<_>>(), below);
    assert_eq!(status(rule(&rep, "file_coverage_floors[1]")), "passed");
    let text = stdout(&out);
    for f in &below {
        assert!(text.contains(f.as_str()), "{f}: {text}");
    }
}

#[test]
fn components_are_reported_and_held_to_their_own_targets() {
    // A Python backend (coverage.py: 126/181) and a JavaScript frontend (jest: 61/91).
    let py = expected("coverage-py", "coverage.xml");
    let js = expected("jest", "coverage/lcov.info");
    let pct = |e: &Value| {
        e["lines_covered"].as_f64().unwrap() * 100.0 / e["lines_total"].as_f64().unwrap()
    };
    let mut c = cfg(json!({"ci": {}}), json!({}));
    c["components"] = json!([
        {"name": "backend", "paths": ["src/shopcalc/**"], "coverage_threshold": 75},
        {"name": "frontend", "paths": ["src/*.js"], "coverage_threshold": 60}
    ]);
    let (out, rep) = run_gate(
        &c,
        "ci",
        &[
            ("coverage", real("coverage-py/coverage.xml")),
            ("coverage", real("jest/coverage/lcov.info")),
        ],
    );
    let comps = rep["verdict"]["components"].as_array().unwrap();
    for (comp, e, limit) in [(&comps[0], &py, 75.0), (&comps[1], &js, 60.0)] {
        assert_eq!(comp["lines_total"], e["lines_total"]);
        assert_eq!(comp["lines_covered"], e["lines_covered"]);
        let id = format!("components.{}", comp["name"].as_str().unwrap());
        let r = rule(&rep, &id);
        assert_eq!(
            status(r),
            if pct(e) >= limit { "passed" } else { "failed" },
            "{r}"
        );
    }
    assert_eq!(
        out.status.code(),
        Some(if pct(&py) >= 75.0 && pct(&js) >= 60.0 {
            0
        } else {
            1
        })
    );
}

#[test]
fn report_json_is_a_complete_baseline() {
    let c = cfg(
        json!({"ci": {"coverage_threshold": 50}}),
        json!({"test_failures": 10}),
    );
    let (d, cfg_path) = with_config(&c);
    let report = d.path().join("r.json");
    let out = gate(
        &[
            "gate",
            "--config",
            &cfg_path.display().to_string(),
            "--environment",
            "ci",
            "--coverage",
            &real("coverage-py/coverage.xml"),
            "--tests",
            &real("pytest/junit.xml"),
            "--report",
            &report.display().to_string(),
            "--format",
            "json",
        ],
        &[
            ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
            ("GITHUB_REF", "refs/heads/feature"),
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rep: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    // --format json prints the same document (up to its timestamp).
    let mut printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    printed["generated_at"] = rep["generated_at"].clone();
    assert_eq!(printed, rep);
    assert_eq!(rep["version"], 1);
    assert_eq!(rep["commit"], "0123456789abcdef0123456789abcdef01234567");
    assert_eq!(rep["environment"]["name"], "ci");
    assert_eq!(rep["config"]["digest"].as_str().unwrap().len(), 64);
    let cov = expected("coverage-py", "coverage.xml");
    assert_eq!(rep["coverage"]["totals"]["lines_total"], cov["lines_total"]);
    assert_eq!(
        rep["coverage"]["totals"]["branches_covered"],
        cov["branches_covered"]
    );
    // Per-file totals as `coverage report` printed them. Run from the repository root, the
    // report's `src/...` paths resolve to the sample project's files under `scripts/`.
    let files = rep["coverage"]["files"].as_object().unwrap();
    for (f, p) in coverage_py_files() {
        let (path, got) = files
            .iter()
            .find(|(k, _)| k.ends_with(&f))
            .unwrap_or_else(|| panic!("{f} not in {files:?}"));
        assert!(path == &f || path.ends_with(&format!("/{f}")), "{path}");
        let got = got["line_percent"].as_f64().unwrap();
        assert!((got - p).abs() < 1e-9, "{f}");
    }
    assert_eq!(
        rep["tests"]["total"],
        expected("pytest", "junit.xml")["junit_view"]["total"]
    );
    // Keys of the report are those its schema declares.
    let schema = json(&repo().join("schemas/report.schema.json"));
    for k in rep.as_object().unwrap().keys() {
        assert!(
            schema["properties"].get(k).is_some(),
            "{k} not in the schema"
        );
    }
}

#[test]
fn findings_in_the_report_have_fingerprints() {
    let path = real("eslint/eslint.json");
    let c = cfg(json!({"ci": {}}), json!({}));
    let (_, rep) = run_gate(&c, "ci", &[("findings", path)]);
    let e = expected("eslint", "eslint.json");
    let items = rep["findings"]["items"].as_array().unwrap();
    let counted = items.iter().filter(|i| i["suppressed"] == false).count() as u64;
    assert_eq!(counted, e["total"].as_u64().unwrap());
    assert_eq!(rep["findings"]["by_level"]["error"], e["errors"]);
    assert_eq!(rep["findings"]["by_level"]["warning"], e["warnings"]);
    for i in items {
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 16);
        assert!(
            i["rule"].is_string() && i["path"].is_string() && i["line"].is_u64(),
            "{i}"
        );
    }
    // Every counted problem has its own fingerprint (the two eqeqeq findings differ by
    // message); the suppressed console call shares one with the counted console call, as the
    // same problem in the same file.
    let counted: Vec<&Value> = items.iter().filter(|i| i["suppressed"] == false).collect();
    let fps: std::collections::BTreeSet<&str> = counted
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), counted.len());
}

#[test]
fn exit_codes() {
    let c = cfg(json!({"ci": {"coverage_threshold": 60}}), json!({}));
    let (d, cfg_path) = with_config(&c);
    let cfgp = cfg_path.display().to_string();
    let cov = real("coverage-py/coverage.xml");
    let run = |args: &[&str]| {
        let mut a = vec!["gate", "--config", cfgp.as_str(), "--environment", "ci"];
        a.extend_from_slice(args);
        gate(&a, &[], d.path())
    };
    assert_eq!(run(&["--coverage", &cov]).status.code(), Some(0));
    assert_eq!(
        run(&["--tests", &real("pytest/junit.xml")]).status.code(),
        Some(0)
    );
    let c2 = cfg(json!({"ci": {}}), json!({"test_failures": 0}));
    let (_d2, p2) = with_config(&c2);
    let out = gate(
        &[
            "gate",
            "--config",
            &p2.display().to_string(),
            "--environment",
            "ci",
            "--tests",
            &real("pytest/junit.xml"),
        ],
        &[],
        d.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    // 2: a report of the wrong kind, a missing file, an unknown environment, no report at all.
    let out = run(&["--coverage", &real("pytest/junit.xml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "given as --coverage, but it is a junit report (test results); expected coverage"
        ),
        "{}",
        stderr(&out)
    );
    let out = run(&["--tests", &cov]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("given as --tests"),
        "{}",
        stderr(&out)
    );
    let out = run(&["--coverage", "nope.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.xml"), "{}", stderr(&out));
    let out = gate(
        &[
            "gate",
            "--config",
            &cfgp,
            "--environment",
            "qa",
            "--coverage",
            &cov,
        ],
        &[],
        d.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown environment `qa`"),
        "{}",
        stderr(&out)
    );
    let empty = tempfile::tempdir().unwrap();
    let out = gate(&["gate"], &[], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no report was given"),
        "{}",
        stderr(&out)
    );
    let out = gate(&["gate", "--format", "yaml"], &[], empty.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn action_inputs_come_from_input_variables() {
    let c = cfg(
        json!({"ci": {"coverage_threshold": 60}}),
        json!({"test_failures": 0}),
    );
    let (d, cfg_path) = with_config(&c);
    let both = format!(
        "{}\n{}",
        real("coverage-py/coverage.xml"),
        real("phpunit/cobertura.xml")
    );
    let out = gate(
        &["gate"],
        &[
            ("INPUT_CONFIG", &cfg_path.display().to_string()),
            ("INPUT_ENVIRONMENT", "ci"),
            ("INPUT_COVERAGE", &both),
            ("INPUT_TESTS", &format!(" {} , ", real("nextest/junit.xml"))),
        ],
        d.path(),
    );
    let err = stderr(&out);
    assert!(
        err.contains("environment: ci (set by INPUT_ENVIRONMENT)"),
        "{err}"
    );
    // nextest: 1 failed test → the blocking rule fails.
    assert_eq!(out.status.code(), Some(1), "{err}");
    let text = stdout(&out);
    let py = expected("coverage-py", "coverage.xml");
    let php = expected("phpunit", "cobertura.xml");
    let lines = py["lines_total"].as_u64().unwrap() + php["lines_total"].as_u64().unwrap();
    let covered = py["lines_covered"].as_u64().unwrap() + php["lines_covered"].as_u64().unwrap();
    assert!(text.contains(&format!("({covered}/{lines})")), "{text}");
}

#[test]
fn discovery_finds_conventional_reports_once() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let put = |rel: &str, from: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(fixture(&format!("real/{from}")), p).unwrap();
    };
    put("coverage.xml", "coverage-py/coverage.xml");
    // The same data again in another format beside it: not read twice.
    put("coverage.lcov", "coverage-py/coverage.lcov");
    put("reports/junit.xml", "pytest/junit.xml");
    put("node_modules/pkg/junit.xml", "vitest/junit.xml");
    put(".git/junit.xml", "vitest/junit.xml");
    put("target/debug/junit.xml", "vitest/junit.xml");
    put(
        "target/surefire-reports/TEST-junit-jupiter.xml",
        "junit5/TEST-junit-jupiter.xml",
    );
    let out = gate(&["gate", "--environment", "development"], &[], root);
    let err = stderr(&out);
    assert!(err.contains("config: defaults"), "{err}");
    assert!(
        err.contains("found 3 report(s) at conventional locations"),
        "{err}"
    );
    for f in [
        "coverage.xml",
        "reports/junit.xml",
        "target/surefire-reports/TEST-junit-jupiter.xml",
    ] {
        assert!(err.contains(f), "{f}: {err}");
    }
    for f in ["coverage.lcov", "node_modules", ".git/", "target/debug"] {
        assert!(!err.contains(f), "{f}: {err}");
    }
    let text = stdout(&out);
    let py = expected("pytest", "junit.xml")["junit_view"]["total"]
        .as_u64()
        .unwrap();
    let j5 = expected("junit5", "TEST-junit-jupiter.xml")["total"]
        .as_u64()
        .unwrap();
    assert!(text.contains(&format!("tests     {} ", py + j5)), "{text}");
}

#[test]
fn default_config_locations() {
    let d = tempfile::tempdir().unwrap();
    let c = cfg(json!({"only-here": {"coverage_threshold": 1}}), json!({}));
    std::fs::create_dir_all(d.path().join(".github")).unwrap();
    std::fs::write(d.path().join(".github/quality-gates.json"), c.to_string()).unwrap();
    let cov = real("coverage-py/coverage.xml");
    let out = gate(
        &["gate", "--environment", "only-here", "--coverage", &cov],
        &[],
        d.path(),
    );
    assert!(
        stderr(&out).contains(".github/quality-gates.json"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
    // .quality-gates.config.json comes first.
    let c2 = cfg(json!({"first": {}}), json!({}));
    std::fs::write(d.path().join(".quality-gates.config.json"), c2.to_string()).unwrap();
    let out = gate(
        &["gate", "--environment", "first", "--coverage", &cov],
        &[],
        d.path(),
    );
    assert!(
        stderr(&out).contains(".quality-gates.config.json"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bundled_example_runs() {
    let out = gate(
        &["gate", "--config", "examples/quality-gates.json"],
        &[],
        &repo(),
    );
    // The sample project fails on purpose (failing tests, mypy errors...): a verdict, exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Quality gate FAILED for development"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("environment: development"));
}

#[test]
fn colour_only_when_asked() {
    let cov = real("coverage-py/coverage.xml");
    let plain = gate(&["gate", "--coverage", &cov], &[], &repo());
    assert!(!stdout(&plain).contains('\x1b'));
    let forced = gate(
        &["gate", "--coverage", &cov],
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "")],
        &repo(),
    );
    assert!(stdout(&forced).contains("\x1b["), "{}", stdout(&forced));
    let both = gate(
        &["gate", "--coverage", &cov],
        &[("FORCE_COLOR", "1")],
        &repo(),
    );
    assert!(!stdout(&both).contains('\x1b'));
}

/// Discovery finds scanners' native reports as security inputs, and a scanner that also
/// wrote SARIF beside its JSON is read once, as SARIF.
#[test]
fn discovery_finds_scanner_reports_once() {
    let Some(pairs) = crate::support::shared("fixtures/sarif-pairs/trivy") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let one = d.path().join("scan");
    let two = d.path().join("other");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&two).unwrap();
    std::fs::copy(pairs.join("alpine-310.json.golden"), one.join("trivy.json")).unwrap();
    std::fs::copy(
        pairs.join("alpine-310.sarif.golden"),
        one.join("trivy.sarif"),
    )
    .unwrap();
    std::fs::copy(
        pairs.join("alpine-310.json.golden"),
        two.join("trivy-image.json"),
    )
    .unwrap();
    let out = crate::support::shipgate(&["gate"], d.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("findings  ") && err.contains("scan/trivy.sarif"),
        "{err}"
    );
    assert!(!err.contains("scan/trivy.json"), "{err}");
    assert!(
        err.contains("security  ") && err.contains("other/trivy-image.json"),
        "{err}"
    );
}
