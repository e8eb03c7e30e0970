//! The quality-gate file: the issue's shape read unchanged, errors that name the key with a
//! line and column (exit 2), and the committed JSON Schemas kept up to date.

use crate::gate::{gate, real, stderr, stdout};
use crate::support::repo;
use std::path::Path;

/// The file as the issue shows teams keeping it.
const TEAM_FILE: &str = r#"{
  "version": "1.0.0",
  "environments": {
    "development": {"quality_threshold": 70, "security_threshold": 80, "coverage_threshold": 70, "performance_threshold": 60},
    "staging":     {"quality_threshold": 85, "security_threshold": 90, "coverage_threshold": 80, "performance_threshold": 75},
    "production":  {"quality_threshold": 90, "security_threshold": 95, "coverage_threshold": 85, "performance_threshold": 85}
  },
  "weighting": {"code_quality": 35, "security": 25, "performance": 20, "testing": 15, "documentation": 5},
  "blocking_rules": {"critical_security_issues": 0, "critical_bugs": 0, "type_errors": 0, "test_failures": 0}
}
"#;

fn check(text: &str) -> std::process::Output {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("quality-gates.json");
    std::fs::write(&p, text).unwrap();
    gate(
        &["config", "check", &p.display().to_string()],
        &[],
        d.path(),
    )
}

#[test]
fn the_teams_file_is_read_unchanged() {
    let out = check(TEAM_FILE);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(
        s.contains("staging: quality 85, security 90, coverage 80, performance 75"),
        "{s}"
    );
    let out = gate(
        &["config", "check", "examples/quality-gates.json"],
        &[],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // production extends staging and overrides three thresholds.
    assert!(
        stdout(&out).contains("production: quality 90, security 95, coverage 85, performance 75"),
        "{}",
        stdout(&out)
    );
}

/// Each bad file: the key its error must name, and the line it is on (1-based).
#[test]
fn bad_configs_name_the_key_with_line_and_column() {
    let cases: Vec<(&str, String, &str, Option<usize>)> = vec![
        (
            "wrong type",
            TEAM_FILE.replace(r#""quality_threshold": 90"#, r#""quality_threshold": "ninety""#),
            "environments.production.quality_threshold",
            Some(6),
        ),
        (
            "negative threshold",
            TEAM_FILE.replace(r#""coverage_threshold": 80"#, r#""coverage_threshold": -80"#),
            "environments.staging.coverage_threshold",
            Some(5),
        ),
        (
            "threshold above 100",
            TEAM_FILE.replace(r#""security_threshold": 95"#, r#""security_threshold": 950"#),
            "environments.production.security_threshold",
            Some(6),
        ),
        (
            "weights that do not add up",
            TEAM_FILE.replace(r#""documentation": 5"#, r#""documentation": 10"#),
            "weighting",
            Some(8),
        ),
        (
            "negative weight",
            TEAM_FILE
                .replace(r#""documentation": 5"#, r#""documentation": -5"#)
                .replace(r#""testing": 15"#, r#""testing": 25"#),
            "weighting.documentation",
            Some(8),
        ),
        (
            "negative blocking count",
            TEAM_FILE.replace(r#""test_failures": 0"#, r#""test_failures": -1"#),
            "blocking_rules.test_failures",
            Some(9),
        ),
        (
            "misspelt key",
            TEAM_FILE.replace(r#""performance_threshold": 60"#, r#""performance_treshold": 60"#),
            "environments.development.performance_treshold",
            Some(4),
        ),
        (
            "extends an unknown environment",
            TEAM_FILE.replace(
                r#""production":  {"#,
                r#""production":  {"extends": "qa", "#,
            ),
            "environments.production.extends",
            Some(6),
        ),
        (
            "weights of the wrong type",
            TEAM_FILE.replace(
                r#""weighting": {"code_quality": 35, "security": 25, "performance": 20, "testing": 15, "documentation": 5}"#,
                r#""weighting": [35, 25, 20, 15, 5]"#,
            ),
            "weighting",
            Some(8),
        ),
    ];
    for (what, text, key, line) in cases {
        assert_ne!(text, TEAM_FILE, "{what}: the replacement did not apply");
        let out = check(&text);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(&format!(": {key}: ")),
            "{what}: no key {key} in {err}"
        );
        if let Some(l) = line {
            assert!(
                err.contains(&format!("quality-gates.json:{l}:")),
                "{what}: no line {l} in {err}"
            );
        }
        // The gate itself refuses the same file the same way.
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("quality-gates.json");
        std::fs::write(&p, &text).unwrap();
        let cov = real("coverage-py/coverage.xml");
        let out = gate(
            &[
                "gate",
                "--config",
                &p.display().to_string(),
                "--coverage",
                &cov,
            ],
            &[],
            d.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{what}");
        assert!(stderr(&out).contains(key), "{what}: {}", stderr(&out));
    }
    // Broken JSON: the position, no key.
    let out = check(&TEAM_FILE.replace("\"weighting\"", "weighting"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("quality-gates.json:8:"),
        "{}",
        stderr(&out)
    );
    // A file that is not there.
    let out = gate(&["config", "check", "nope.json"], &[], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.json"), "{}", stderr(&out));
}

#[test]
fn unknown_environment_is_named() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("q.json");
    std::fs::write(&p, TEAM_FILE).unwrap();
    let cov = real("coverage-py/coverage.xml");
    let out = gate(
        &[
            "gate",
            "--config",
            &p.display().to_string(),
            "--environment",
            "preview",
            "--coverage",
            &cov,
        ],
        &[],
        d.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown environment `preview`")
            && err.contains("development, production, staging"),
        "{err}"
    );
}

fn committed(rel: &str) -> serde_json::Value {
    let p = repo().join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn committed_schemas_are_up_to_date() {
    for (args, file) in [
        (
            vec!["config", "schema"],
            "schemas/quality-gates.schema.json",
        ),
        (
            vec!["config", "schema", "--report"],
            "schemas/report.schema.json",
        ),
    ] {
        let out = gate(&args, &[], Path::new(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(out.status.code(), Some(0));
        let printed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            printed,
            committed(file),
            "{file} is stale: run `cargo run -- {}` > {file}",
            args.join(" ")
        );
    }
    let schema = committed("schemas/quality-gates.schema.json");
    // The issue's keys are all there, and ours are additive.
    for k in [
        "version",
        "environments",
        "weighting",
        "blocking_rules",
        "inputs",
        "components",
        "file_coverage_floors",
        "performance",
    ] {
        assert!(schema["properties"].get(k).is_some(), "{k}");
    }
    assert!(
        schema["required"].is_null(),
        "every top-level key is optional"
    );
}

#[test]
fn the_readme_config_is_valid() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("The config, as teams keep it")
        .expect("the README shows the config");
    let block = &readme[start..];
    let open = block.find("```json\n").unwrap() + 8;
    let close = open + block[open..].find("```").unwrap();
    let out = check(&block[open..close]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("hotfix: quality 90, security 95, coverage 75, performance 85"),
        "{}",
        stdout(&out)
    );
}

/// A team's file with keys of its own is read unchanged: each unknown key is a warning with
/// its position, and the gate's thresholds still apply.
#[test]
fn unknown_keys_are_warnings_but_near_misses_are_errors() {
    let text = TEAM_FILE
        .replacen(
            '{',
            "{\n  \"description\": \"kept by the platform team\",",
            1,
        )
        .replace(
            r#""production":  {"#,
            r#""production":  {"owner": "release-managers", "#,
        );
    assert_ne!(text, TEAM_FILE);
    let out = check(&text);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(":2:3: description: unknown key, ignored"),
        "{err}"
    );
    assert!(
        err.contains("environments.production.owner: unknown key, ignored"),
        "{err}"
    );
    let near = TEAM_FILE.replace(r#""critical_bugs": 0"#, r#""Critical_Bugs": 0"#);
    assert_ne!(near, TEAM_FILE);
    let out = check(&near);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `critical_bugs`?"),
        "{}",
        stderr(&out)
    );
}
