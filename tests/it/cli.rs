//! The `shipgate` binary as a user runs it: output, exit codes, stdout/stderr separation.

use crate::support::{fixture, json, repo, shipgate};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn inspect_text_shows_format_and_the_tools_totals() {
    let exp = json(&fixture("real/coverage-py/expected.json"));
    let e = &exp["reports"]["coverage.xml"];
    let out = shipgate(
        &["inspect", "tests/fixtures/real/coverage-py/coverage.xml"],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(
        s.starts_with("tests/fixtures/real/coverage-py/coverage.xml: cobertura\n"),
        "{s}"
    );
    let want = format!(
        "lines {:.2}% ({}/{}), branches {:.2}% ({}/{})",
        e["line_percent_printed"].as_f64().unwrap(),
        e["lines_covered"],
        e["lines_total"],
        e["branch_percent_printed"].as_f64().unwrap(),
        e["branches_covered"],
        e["branches_total"]
    );
    assert!(s.contains(&want), "{s}\nwanted {want}");
}

#[test]
fn inspect_json_over_several_inputs() {
    let cov = json(&fixture("real/gcovr/expected.json"));
    let out = shipgate(
        &[
            "inspect",
            "--json",
            "tests/fixtures/real/gcovr/coverage.xml",
            "tests/fixtures/real/gcovr/coverage.lcov",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["inputs"][0]["format"], "cobertura");
    assert_eq!(v["inputs"][1]["format"], "lcov");
    // The same run written twice (Cobertura and LCOV): merged per file, a line covered if
    // either covered it, so the union equals each one's own totals (gcovr's printed ones).
    let e = &cov["reports"]["coverage.xml"];
    assert_eq!(v["coverage"]["lines_total"], e["lines_total"]);
    assert_eq!(v["coverage"]["lines_covered"], e["lines_covered"]);
    assert_eq!(v["coverage"]["files"], v["inputs"][0]["totals"]["files"]);
}

#[test]
fn forced_format_and_glob() {
    let out = shipgate(
        &[
            "inspect",
            "--input-format",
            "lcov",
            "tests/fixtures/real/jest/coverage/*.info",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("lcov.info: lcov"));
    let out = shipgate(&["inspect", "--input-format", "nope", "x"], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown format; expected one of: cobertura"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_files_are_counted_on_stdout_and_warned_on_stderr() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("real/coverage-py/coverage.xml"),
        d.path().join("coverage.xml"),
    )
    .unwrap();
    let out = shipgate(&["inspect", "coverage.xml"], d.path());
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(
        s.contains("files named by the reports are not in the repository"),
        "{s}"
    );
    assert!(
        s.contains("src/shopcalc/pricing.py") || s.contains("shopcalc/pricing.py"),
        "{s}"
    );
    assert!(stderr(&out).contains("WARN"), "{}", stderr(&out));
    // Inside the project the files exist and nothing is missing.
    let out = shipgate(
        &[
            "inspect",
            "--root",
            "scripts/fixture-projects/python",
            "tests/fixtures/real/coverage-py/coverage.xml",
        ],
        &repo(),
    );
    assert!(
        !stdout(&out).contains("not in the repository"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn help_version_and_usage_errors() {
    let out = shipgate(&["--help"], &repo());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Exit codes"));
    let out = shipgate(&["--version"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let out = shipgate(&["inspect"], &repo());
    assert_eq!(out.status.code(), Some(2));
    let out = shipgate(&["frobnicate"], &repo());
    assert_eq!(out.status.code(), Some(2));
}

/// coverage.py ran in `scripts/fixture-projects/python` and wrote paths relative to it
/// (`src/shopcalc/pricing.py`): from the repository root they are found by their suffix.
#[test]
fn paths_relative_to_a_subdirectory_are_found() {
    let out = shipgate(
        &[
            "inspect",
            "--json",
            "tests/fixtures/real/coverage-py/coverage.xml",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["missing_files"],
        serde_json::json!([]),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
