//! `shipgate sarif`: conversions of real reports and of scanners' SARIF validate against the
//! OASIS schema, shipgate's validator and the SARIF SDK's (Sarif.Multitool, GitHub rules);
//! the SDK's GitHub-rule cases are found where the SDK finds them; limits, fingerprints,
//! merges and bad input.

use crate::support::{fixture, json, repo, shared, shipgate};
use serde_json::{Value, json};
use shipgate::sarif::validate::{self, Options};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Sarif.Multitool, installed by `scripts/setup-test-tools.sh` if needed. `None` (with a
/// notice) only when it cannot be installed and this is not CI.
fn multitool() -> Option<PathBuf> {
    static MT: OnceLock<Option<PathBuf>> = OnceLock::new();
    MT.get_or_init(|| {
        let out = Command::new(repo().join("scripts/setup-test-tools.sh")).output();
        let path = out
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            .filter(|p| p.is_file());
        if path.is_none() {
            assert!(
                std::env::var("CI").is_err(),
                "Sarif.Multitool could not be installed (scripts/setup-test-tools.sh) and CI is set"
            );
            println!("notice: skipped Sarif.Multitool checks: scripts/setup-test-tools.sh could not install it");
        }
        path
    })
    .clone()
}

/// Runs `Sarif.Multitool validate --rule-kind Ghas` over the files; returns its error-level
/// results as `file(line,col): rule: message` lines. Every file must be analysed.
fn multitool_errors(files: &[PathBuf]) -> Option<Vec<String>> {
    let mt = multitool()?;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("mt.sarif");
    let o = Command::new(&mt)
        .arg("validate")
        .args(["--rule-kind", "Ghas", "--level", "Error;Warning;Note", "-o"])
        .arg(&out)
        .args(files)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run Sarif.Multitool");
    let printed = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        !printed.contains("WRN997") && !printed.contains("ERR9"),
        "Sarif.Multitool did not analyse every file:\n{printed}"
    );
    let log = json(&out);
    let mut errors = Vec::new();
    for r in log["runs"][0]["results"].as_array().into_iter().flatten() {
        if r["level"] == "error" {
            errors.push(format!(
                "{}({},{}): {}: {}",
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"],
                r["ruleId"],
                r["message"]["arguments"]
            ));
        }
    }
    Some(errors)
}

fn run_ok(args: &[&str], cwd: &Path) -> String {
    let o = shipgate(args, cwd);
    assert!(
        o.status.success(),
        "shipgate {args:?} exited {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Validates with shipgate's validator; returns the error-level problems.
fn own_errors(path: &Path) -> Vec<String> {
    let r = validate::validate_file(path, &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.problems
        .iter()
        .filter(|p| p.level == validate::Level::Error)
        .map(|p| {
            format!(
                "{}:{}: {} {} ({})",
                p.line, p.column, p.rule, p.message, p.pointer
            )
        })
        .collect()
}

/// The real reports and the sample project each one was made in.
fn real_reports() -> Vec<(&'static str, &'static str)> {
    vec![
        ("eslint/eslint.json", "js"),
        ("eslint/eslint.sarif", "js"),
        ("eslint/eslint-checkstyle.xml", "js"),
        ("ruff/ruff.json", "python"),
        ("ruff/ruff.sarif", "python"),
        ("mypy/mypy.json", "python"),
        ("pylint/pylint.json", "python"),
        ("pylint/pylint-json2.json", "python"),
        ("clippy/clippy.json", "rust"),
        ("checkstyle/checkstyle-result.xml", "java"),
    ]
}

/// Converts one report; returns the SARIF written.
fn convert(input: &Path, root: &Path, out: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "sarif",
        "convert",
        input.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
        "--root",
        root.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    run_ok(&args, &repo());
    json(out)
}

/// Every rule and result has what GitHub needs; returns the number of results.
fn assert_github_ready(log: &Value, what: &str) -> usize {
    assert_eq!(log["version"], "2.1.0", "{what}");
    let mut n = 0;
    let mut categories = BTreeSet::new();
    for run in log["runs"].as_array().expect("runs") {
        let tool = run["tool"]["driver"]["name"].as_str().expect("driver name");
        let id = run["automationDetails"]["id"].as_str().expect("category");
        assert!(id.ends_with('/'), "{what}: {id}");
        assert!(
            categories.insert((tool.to_string(), id.to_string())),
            "{what}: two runs {tool} {id}"
        );
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for r in rules {
            for k in ["shortDescription", "fullDescription", "help"] {
                assert!(
                    r[k]["text"].as_str().is_some_and(|t| !t.trim().is_empty()),
                    "{what}: rule {} without {k}",
                    r["id"]
                );
            }
            let sev: f64 = r["properties"]["security-severity"]
                .as_str()
                .unwrap_or_else(|| {
                    panic!("{what}: rule {} security-severity not a string", r["id"])
                })
                .parse()
                .expect("number");
            assert!(sev > 0.0 && sev <= 10.0, "{what}: {sev}");
        }
        let mut seen = BTreeSet::new();
        for r in run["results"].as_array().expect("results") {
            n += 1;
            assert!(
                r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{what}"
            );
            assert!(r["level"].is_string(), "{what}");
            let loc = &r["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(
                !uri.starts_with('/') && !uri.contains("://"),
                "{what}: {uri}"
            );
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%", "{what}");
            assert!(
                loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1),
                "{what}"
            );
            let fp = r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .expect("fingerprint");
            assert!(
                seen.insert((
                    r["ruleId"].as_str().unwrap_or("").to_string(),
                    fp.to_string()
                )),
                "{what}: two results share rule and fingerprint {fp}"
            );
        }
    }
    n
}

#[test]
fn real_reports_convert_to_sarif_github_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut outputs = Vec::new();
    for (rel, project) in real_reports() {
        let input = fixture(&format!("real/{rel}"));
        let root = repo().join("scripts/fixture-projects").join(project);
        let out = dir
            .path()
            .join(format!("{}.sarif", rel.replace(['/', '.'], "_")));
        let log = convert(&input, &root, &out, &[]);
        assert_github_ready(&log, rel);
        // Every finding the tool printed is a result (tests/fixtures/real/*/expected.json:
        // the printed totals, plus the notes mypy prints apart); findings suppressed in
        // source are results too, marked with a suppression.
        let folder = rel.split('/').next().unwrap_or("");
        let expected = json(&fixture(&format!("real/{folder}/expected.json")));
        let file = rel.split('/').nth(1).unwrap_or("");
        let e = &expected["reports"][file];
        let printed = e["total"]
            .as_u64()
            .or_else(|| Some(e["errors"].as_u64()? + e["warnings"].as_u64().unwrap_or(0)))
            .expect("a total")
            + e["notes_printed"].as_u64().unwrap_or(0);
        let unsuppressed = log["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .flat_map(|r| r["results"].as_array().into_iter().flatten())
            .filter(|r| r["suppressions"].is_null())
            .count();
        assert_eq!(unsuppressed as u64, printed, "{rel}");
        assert_eq!(own_errors(&out), Vec::<String>::new(), "{rel}");
        outputs.push(out);
    }
    if let Some(errors) = multitool_errors(&outputs) {
        assert_eq!(errors, Vec::<String>::new());
    }
}

#[test]
fn results_point_into_the_sample_projects_with_codeql_fingerprints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo().join("scripts/fixture-projects/python");
    let log = convert(
        &fixture("real/ruff/ruff.json"),
        &root,
        &dir.path().join("ruff.sarif"),
        &[],
    );
    for r in log["runs"][0]["results"].as_array().expect("results") {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(
            root.join(uri).is_file(),
            "{uri} is not a file of the sample project"
        );
        let fp = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .expect("hash");
        // codeql-action's shape: hex, ':', occurrence.
        let (hex, n) = fp.split_once(':').expect("colon");
        assert!(
            hex.len() <= 16 && u64::from_str_radix(hex, 16).is_ok(),
            "{fp}"
        );
        assert!(n.parse::<u32>().is_ok(), "{fp}");
    }
}

#[test]
fn fingerprints_survive_unrelated_lines_moving() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = "import os\n\n\ndef f(x=[]):\n    return x\n";
    let report = |line: u32| {
        json!([{
            "code": "B006", "message": "Do not use mutable data structures for argument defaults",
            "filename": "app.py", "location": {"row": line, "column": 9},
            "end_location": {"row": line, "column": 11}, "fix": null, "noqa_row": line,
            "url": "https://docs.astral.sh/ruff/rules/mutable-argument-default"
        }])
    };
    let hash = |source: &str, line: u32, name: &str| {
        let root = dir.path().join(name);
        std::fs::create_dir_all(&root).expect("mkdir");
        std::fs::write(root.join("app.py"), source).expect("write");
        let input = root.join("ruff.json");
        std::fs::write(&input, report(line).to_string()).expect("write");
        let log = convert(&input, &root, &root.join("out.sarif"), &[]);
        log["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .expect("hash")
            .to_string()
    };
    let before = hash(src, 4, "a");
    let moved = hash(&format!("# a comment\n\nimport sys\n{src}"), 7, "b");
    assert_eq!(
        before, moved,
        "inserting unrelated lines above changed the hash"
    );
    let edited = hash(&src.replace("x=[]", "y=[]"), 4, "c");
    assert_ne!(
        before, edited,
        "editing the line itself must change the hash"
    );
}

#[test]
fn scanner_sarif_is_normalised_and_validates() {
    let Some(pairs) = shared("fixtures/sarif-pairs") else {
        return;
    };
    let cases = json(&pairs.join("cases.json"));
    let dir = tempfile::tempdir().expect("tempdir");
    let empty_root = dir.path().join("repo");
    std::fs::create_dir_all(&empty_root).expect("mkdir");
    let mut outputs = Vec::new();
    for (i, case) in cases["pairs"].as_array().expect("pairs").iter().enumerate() {
        let Some(sarif) = case["sarif"].as_str() else {
            continue;
        };
        let input = pairs.join(sarif);
        let out = dir.path().join(format!("pair{i}.sarif"));
        let log = convert(&input, &empty_root, &out, &[]);
        assert_github_ready(&log, sarif);
        // The same (rule, file, line) as the tool's own SARIF: without the files in the
        // repository, the tool's locations are kept as written, except that absolute paths
        // (Grype's directory scan writes `/some/path/...`) are made relative, as GitHub wants.
        let tool = json(&input);
        let key = |r: &Value| {
            let l = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or("").to_string(),
                l["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches('/')
                    .to_string(),
                l["region"]["startLine"].as_u64().unwrap_or(1),
            )
        };
        let theirs: BTreeSet<_> = tool["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(key)
            .collect();
        let ours: BTreeSet<_> = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(key)
            .collect();
        assert_eq!(ours, theirs, "{sarif}");
        if let Some(n) = case["expect"]["results"].as_u64() {
            let count = log["runs"][0]["results"].as_array().map_or(0, Vec::len);
            assert_eq!(count as u64, n, "{sarif}");
        }
        // Rule metadata the scanner wrote is kept.
        for rule in tool["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let Some(ours) = log["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .expect("rules")
                .iter()
                .find(|r| r["id"] == rule["id"])
            else {
                continue; // configured rules without a result are not listed
            };
            if let Some(t) = rule["shortDescription"]["text"].as_str() {
                assert_eq!(ours["shortDescription"]["text"], t, "{sarif}");
            }
            if let Some(s) = rule["properties"]["security-severity"].as_str() {
                let a: f64 = s.parse().expect("number");
                let b: f64 = ours["properties"]["security-severity"]
                    .as_str()
                    .expect("string")
                    .parse()
                    .expect("number");
                assert!((a - b).abs() < 0.05, "{sarif}: {a} vs {b}");
            }
        }
        assert_eq!(own_errors(&out), Vec::<String>::new(), "{sarif}");
        outputs.push(out);
    }
    assert!(outputs.len() >= 4);
    // gitleaks: the secret is in the tool's snippet and must not be in ours.
    let gitleaks = std::fs::read_to_string(&outputs[3]).expect("read");
    assert!(gitleaks.contains("gitleaks"));
    assert!(!gitleaks.contains("a secret"), "the secret was copied");
    if let Some(errors) = multitool_errors(&outputs) {
        assert_eq!(errors, Vec::<String>::new());
    }
}

/// (rule, message id, arguments, line, column) of the problems of one rule.
fn problems_of(
    report: &validate::Report,
    rule: &str,
) -> BTreeSet<(String, String, Vec<String>, u64, u64)> {
    report
        .problems
        .iter()
        .filter(|p| p.rule == rule)
        .map(|p| {
            (
                p.rule.clone(),
                p.message_id.clone().unwrap_or_default(),
                p.arguments.clone(),
                p.line,
                p.column,
            )
        })
        .collect()
}

#[test]
fn github_rule_cases_are_found_where_the_sdk_finds_them() {
    let Some(dir) = shared("fixtures/sarif-validation") else {
        return;
    };
    let cases = json(&dir.join("cases.json"));
    let mut checked = 0;
    for case in cases["validate_cases"].as_array().expect("cases") {
        let rule = case["rule"].as_str().expect("rule");
        let input = dir.join(case["input"].as_str().expect("input"));
        let opts = if case["configuration"].is_string() {
            // As the SDK's test runs GH1004: every array limit set to 1.
            Options {
                runs: 1,
                rules: 1,
                results: 1,
                locations: 1,
                code_flows: Some(1),
                thread_flow_locations: 1,
                ..Options::default()
            }
        } else {
            Options::default()
        };
        let report = validate::validate_file(&input, &opts)
            .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        let expected: BTreeSet<_> = case["expected_results"]
            .as_array()
            .expect("expected")
            .iter()
            .map(|e| {
                (
                    e["ruleId"].as_str().unwrap_or("").to_string(),
                    e["message_id"].as_str().unwrap_or("").to_string(),
                    e["arguments"]
                        .as_array()
                        .expect("arguments")
                        .iter()
                        .map(|a| a.as_str().unwrap_or("").to_string())
                        .collect(),
                    e["line"].as_u64().unwrap_or(0),
                    e["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(problems_of(&report, rule), expected, "{}", input.display());
        checked += 1;
    }
    assert_eq!(checked, 14);
}

#[test]
fn embedded_schema_is_the_oasis_one() {
    let Some(p) = shared("schemas/sarif-2.1.0.json") else {
        return;
    };
    // The published schema, its descriptions and titles left out (keywords only: a member
    // named "description" in `properties` stays).
    fn constraints(v: &Value, in_names: bool) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| in_names || (*k != "description" && *k != "title"))
                    .map(|(k, x)| {
                        let names = !in_names && (k == "properties" || k == "definitions");
                        (k.clone(), constraints(x, names))
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(|x| constraints(x, false)).collect()),
            x => x.clone(),
        }
    }
    let published = json(&p);
    let theirs = constraints(&published, false);
    let ours = shipgate::sarif::schema::sarif_schema();
    assert_eq!(ours, theirs);
    // The published file itself, compiled: shipgate's SARIF passes it, a log it rejects is
    // rejected by `sarif validate` too.
    let schema = jsonschema::draft4::new(&published).expect("the published schema compiles");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("eslint.sarif");
    let log = convert(
        &fixture("real/eslint/eslint.json"),
        &repo().join("scripts/fixture-projects/js"),
        &out,
        &[],
    );
    assert!(schema.is_valid(&log));
    let bad = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"message": {"text": "m"}, "level": "severe"}]}]});
    assert!(!schema.is_valid(&bad));
    let bad_file = dir.path().join("bad.sarif");
    std::fs::write(&bad_file, bad.to_string()).expect("write");
    let report = validate::validate_file(&bad_file, &Options::default()).expect("validate");
    let schema_problems: BTreeSet<&str> = report
        .problems
        .iter()
        .filter(|p| p.rule == "schema")
        .map(|p| p.pointer.as_str())
        .collect();
    let expected: BTreeSet<String> = schema
        .iter_errors(&bad)
        .map(|e| e.instance_path().as_str().to_string())
        .collect();
    assert_eq!(
        schema_problems,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    // Every definition is there and the published file has no keyword the Rust form lacks.
    assert_eq!(
        ours["definitions"].as_object().map(|d| d.len()),
        theirs["definitions"].as_object().map(|d| d.len())
    );
}

#[test]
fn schema_violations_are_placed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.sarif");
    std::fs::write(
        &p,
        "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\"driver\": {\"name\": \"x\", \"rules\": []}},\n      \"results\": [\n        {\"message\": {\"text\": \"m\"}, \"level\": \"fatal\",\n         \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a.c\"}, \"region\": {\"startLine\": 0}}}]}\n      ]\n    }\n  ]\n}\n",
    )
    .expect("write");
    let r = validate::validate_file(&p, &Options::default()).expect("validate");
    let schema: Vec<_> = r.problems.iter().filter(|p| p.rule == "schema").collect();
    assert!(
        schema
            .iter()
            .any(|p| p.pointer == "/runs/0/results/0/level" && p.line == 7 && p.column == 51),
        "{schema:?}"
    );
    assert!(
        schema
            .iter()
            .any(|p| p.pointer == "/runs/0/results/0/locations/0/physicalLocation/region/startLine"),
        "{schema:?}"
    );
    let o = shipgate(
        &["sarif", "validate", p.to_str().expect("path")],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(":7:51: error schema:"), "{text}");
}

/// A SARIF log of one run with `n` results and generated rules.
fn generated(n: usize, rules: usize, tool: &str) -> Value {
    let rules_json: Vec<Value> = (0..rules)
        .map(|i| json!({"id": format!("R{i}"), "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"}, "help": {"text": "h"}}))
        .collect();
    let results: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "ruleId": format!("R{}", i % rules.max(1)),
                "level": if i % 1000 == 7 { "error" } else { "note" },
                "message": {"text": format!("result {i}")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": format!("src/f{}.c", i % 97)}, "region": {"startLine": i + 1}}}]
            })
        })
        .collect();
    json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": tool, "rules": rules_json}}, "results": results}]})
}

#[test]
fn results_over_the_limit_keep_the_most_severe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("big.sarif");
    std::fs::write(&input, generated(25_100, 10, "gen").to_string()).expect("write");
    let out = dir.path().join("out.sarif");
    let summary = run_ok(
        &[
            "sarif",
            "merge",
            input.to_str().expect("p"),
            "-o",
            out.to_str().expect("p"),
            "--format",
            "json",
        ],
        dir.path(),
    );
    let log = json(&out);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 25_000);
    // 26 results are errors (i % 1000 == 7): all kept; 100 notes dropped and said so.
    assert_eq!(results.iter().filter(|r| r["level"] == "error").count(), 26);
    let s: Value = serde_json::from_str(&summary).expect("summary json");
    let dropped = s["dropped"].to_string();
    assert!(
        dropped.contains("100 least severe") && dropped.contains("100 note"),
        "{dropped}"
    );
    assert_eq!(own_errors(&out), Vec::<String>::new());
}

#[test]
fn per_result_and_per_rule_limits_are_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = generated(2, 1, "gen");
    let loc = log["runs"][0]["results"][0]["locations"][0].clone();
    log["runs"][0]["results"][0]["locations"] = Value::Array(vec![loc.clone(); 1_005]);
    let tfl = json!({"location": loc});
    log["runs"][0]["results"][1]["codeFlows"] =
        json!([{"threadFlows": [{"locations": vec![tfl; 10_005]}]}]);
    log["runs"][0]["tool"]["driver"]["rules"][0]["properties"] =
        json!({"tags": (0..30).map(|i| format!("t{i}")).collect::<Vec<_>>()});
    log["runs"][0]["tool"]["driver"]["rules"][0]["name"] = Value::String("n".repeat(300));
    log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"] =
        Value::String("d".repeat(2_000));
    let input = dir.path().join("in.sarif");
    std::fs::write(&input, log.to_string()).expect("write");
    // shipgate's validator finds each over-limit array before the merge...
    let before = validate::validate_file(&input, &Options::default()).expect("validate");
    let rules: BTreeSet<&str> = before.problems.iter().map(|p| p.rule.as_str()).collect();
    assert!(
        rules.contains("GH1004") && rules.contains("SG1003") && rules.contains("SG1007"),
        "{rules:?}"
    );
    let out = dir.path().join("out.sarif");
    run_ok(
        &[
            "sarif",
            "merge",
            input.to_str().expect("p"),
            "-o",
            out.to_str().expect("p"),
        ],
        dir.path(),
    );
    let m = json(&out);
    let r = &m["runs"][0];
    assert_eq!(
        r["results"][0]["locations"].as_array().expect("locs").len(),
        1_000
    );
    assert_eq!(
        r["results"][1]["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .expect("tfl")
            .len(),
        10_000
    );
    let rule = &r["tool"]["driver"]["rules"][0];
    assert_eq!(
        rule["properties"]["tags"].as_array().expect("tags").len(),
        20
    );
    assert_eq!(rule["name"].as_str().expect("name").chars().count(), 255);
    assert_eq!(
        rule["fullDescription"]["text"]
            .as_str()
            .expect("d")
            .chars()
            .count(),
        1_024
    );
    // ...and none after.
    assert_eq!(own_errors(&out), Vec::<String>::new());
}

#[test]
fn compressed_size_limit_drops_least_severe_results() {
    use shipgate::sarif::{Repo, Summary, finish, limits::Limits};
    let dir = tempfile::tempdir().expect("tempdir");
    let log = generated(3_000, 5, "gen");
    let lim = Limits {
        gzip_bytes: 40_000,
        ..Limits::default()
    };
    let mut summary = Summary::default();
    let mut log = log;
    let bytes = finish(&mut log, &Repo::new(dir.path()), &lim, true, &mut summary).expect("finish");
    assert!(shipgate::sarif::gzip::estimate(&bytes) <= 40_000);
    let out: Value = serde_json::from_slice(&bytes).expect("json");
    let results = out["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() < 3_000 && !results.is_empty());
    assert_eq!(
        results.iter().filter(|r| r["level"] == "error").count(),
        3,
        "errors kept"
    );
    assert!(
        summary.dropped.iter().any(|d| d.contains("compressed")),
        "{:?}",
        summary.dropped
    );
}

#[test]
fn more_than_twenty_runs_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for i in 0..21 {
        let p = dir.path().join(format!("t{i}.sarif"));
        std::fs::write(&p, generated(1, 1, &format!("tool{i}")).to_string()).expect("write");
        files.push(p.to_str().expect("p").to_string());
    }
    let mut args = vec!["sarif", "merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", "out.sarif"]);
    let o = shipgate(&args, dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at most 20"));
    assert!(!dir.path().join("out.sarif").exists());
}

#[test]
fn merge_makes_one_run_per_tool_and_category() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo().join("scripts/fixture-projects/js");
    let eslint = fixture("real/eslint/eslint.sarif");
    let ruff = fixture("real/ruff/ruff.sarif");
    let out = dir.path().join("merged.sarif");
    run_ok(
        &[
            "sarif",
            "merge",
            eslint.to_str().expect("p"),
            ruff.to_str().expect("p"),
            eslint.to_str().expect("p"),
            "-o",
            out.to_str().expect("p"),
            "--root",
            root.to_str().expect("p"),
        ],
        dir.path(),
    );
    let log = json(&out);
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2, "one run per tool");
    let count = |p: &Path| json(p)["runs"][0]["results"].as_array().map_or(0, Vec::len);
    let total: usize = runs
        .iter()
        .map(|r| r["results"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        total,
        count(&eslint) + count(&ruff),
        "the second ESLint file added no duplicate"
    );
    let ids: BTreeSet<_> = runs[0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        ids.len(),
        runs[0]["tool"]["driver"]["rules"]
            .as_array()
            .map_or(0, Vec::len)
    );
    assert_github_ready(&log, "merged");
    assert_eq!(own_errors(&out), Vec::<String>::new());
    if let Some(errors) = multitool_errors(&[out]) {
        assert_eq!(errors, Vec::<String>::new());
    }
}

#[test]
fn category_and_min_severity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo().join("scripts/fixture-projects/js");
    let out = dir.path().join("o.sarif");
    let log = convert(
        &fixture("real/eslint/eslint.json"),
        &root,
        &out,
        &["--category", "frontend", "--min-severity", "error"],
    );
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "frontend/");
    let results = run["results"].as_array().expect("results");
    // expected.json: ESLint printed 4 errors.
    let expected = json(&fixture("real/eslint/expected.json"));
    assert_eq!(
        results.len() as u64,
        expected["reports"]["eslint.json"]["errors"]
            .as_u64()
            .expect("errors")
    );
    assert!(results.iter().all(|r| r["level"] == "error"));
}

#[test]
fn package_findings_point_at_the_manifest_or_dockerfile() {
    use shipgate::model::{Category, Finding, Level, PackageRef, RuleInfo, Severity};
    use shipgate::sarif::{Repo, Summary, build, finish, limits::Limits};
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("package-lock.json"),
        "{\n  \"name\": \"app\",\n  \"packages\": {\n    \"node_modules/lodash\": {\n      \"version\": \"4.17.20\"\n    }\n  }\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.10\nCOPY --from=build /app /app\n",
    )
    .expect("write");
    let vuln = |pkg: &str, eco: &str, artifact: Option<&str>| Finding {
        tool: "scanner".into(),
        rule: Some("CVE-2020-8203".into()),
        level: Level::Error,
        severity: Some(Severity::High),
        category: Category::Security,
        message: format!("{pkg} is vulnerable"),
        rule_info: Some(Box::new(RuleInfo {
            short_description: Some("Prototype pollution".into()),
            cvss: Some(7.4),
            cwe: vec!["CWE-1321".into()],
            ..Default::default()
        })),
        package: Some(Box::new(PackageRef {
            name: pkg.into(),
            version: Some("1.0".into()),
            fixed_version: Some("2.0".into()),
            ecosystem: Some(eco.into()),
            artifact: artifact.map(str::to_string),
            ..Default::default()
        })),
        ..Default::default()
    };
    let findings = vec![
        vuln("lodash", "npm", None),
        vuln("libssl1.1", "apk", Some("myapp:latest")),
        vuln("libcrypto1.1", "apk", Some("myapp:latest")),
        vuln("leftpad", "unknown-eco", None),
    ];
    let repo_ = Repo::new(dir.path());
    let mut summary = Summary::default();
    let log = build::build(&findings, &repo_, &build::Options::default(), &mut summary);
    let mut log = log;
    let bytes = finish(&mut log, &repo_, &Limits::default(), true, &mut summary).expect("finish");
    let log: Value = serde_json::from_slice(&bytes).expect("json");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let at = |i: usize| {
        let l = &results[i]["locations"][0]["physicalLocation"];
        (
            l["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            l["region"]["startLine"].as_u64().unwrap_or(0),
        )
    };
    assert_eq!(at(0), ("package-lock.json".into(), 4));
    assert_eq!(at(1), ("Dockerfile".into(), 3), "the final stage's FROM");
    assert_eq!(at(2), ("Dockerfile".into(), 3));
    assert_eq!(results.len(), 3, "no place for the last one: left out");
    assert!(
        summary.dropped.iter().any(|d| d.contains("no location")),
        "{:?}",
        summary.dropped
    );
    // Same rule on the same line for two packages: two fingerprints.
    assert_ne!(
        results[1]["partialFingerprints"]["primaryLocationLineHash"],
        results[2]["partialFingerprints"]["primaryLocationLineHash"]
    );
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["properties"]["security-severity"], "7.4");
    let tags = rule["properties"]["tags"].to_string();
    assert!(
        tags.contains("\"security\"") && tags.contains("external/cwe/cwe-1321"),
        "{tags}"
    );
    assert!(
        rule["help"]["text"]
            .as_str()
            .expect("help")
            .contains("Upgrade lodash 1.0 to 2.0")
    );
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("p").to_string()
    };
    let not_json = w("notjson.sarif", "this is not JSON\n");
    let unknown = w("unknown.json", "{\"some\": {\"tool\": [1, 2, 3]}}\n");
    let sarif1 = w(
        "v1.sarif",
        "{\"version\": \"1.0.0\", \"runLogs\": [], \"runs\": [{\"toolInfo\": {\"name\": \"x\"}, \"results\": []}]}\n",
    );
    let truncated = w(
        "trunc.sarif",
        "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"message\": ",
    );
    let huge = dir.path().join("huge.sarif");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(500 << 20))
        .expect("sparse 500 MB file");
    let huge = huge.to_str().expect("p").to_string();
    for (file, expect) in [
        (&not_json, "JSON"),
        (&unknown, "not a SARIF log"),
        (&sarif1, "SARIF version \"1.0.0\""),
        (&truncated, "truncated"),
        (&huge, "JSON"),
    ] {
        for cmd in [
            vec!["sarif", "validate", file.as_str()],
            vec!["sarif", "convert", file.as_str(), "-o", "o.sarif"],
            vec!["sarif", "merge", file.as_str(), "-o", "o.sarif"],
        ] {
            let o = shipgate(&cmd, dir.path());
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{cmd:?}: {err}");
            assert!(
                err.contains("error:") && !err.contains("panicked"),
                "{cmd:?}: {err}"
            );
            // The file named; validate and merge read it as SARIF and say what is wrong
            // (convert first detects the format and says it knows none).
            let name = Path::new(file)
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name");
            assert!(err.contains(name), "{cmd:?}: {err}");
            if cmd[1] != "convert" {
                assert!(err.contains(expect), "{cmd:?}: {err}");
            }
            assert!(!dir.path().join("o.sarif").exists(), "{cmd:?} wrote output");
        }
    }
    let o = shipgate(&["sarif", "validate", &not_json], dir.path());
    assert!(String::from_utf8_lossy(&o.stderr).contains("notjson.sarif:1:1"));
}

#[test]
fn results_without_a_location() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("noloc.sarif");
    std::fs::write(
        &p,
        json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": []}},
            "results": [
                {"ruleId": "A", "message": {"text": "nowhere"}},
                {"ruleId": "B", "message": {"text": "somewhere"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}}}]}
            ]}]})
        .to_string(),
    )
    .expect("write");
    // validate: GitHub would reject it (GH1001), exit 1.
    let o = shipgate(&["sarif", "validate", "noloc.sarif"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("GH1001"));
    // convert and merge: the result without a location is left out and said so; exit 0.
    for cmd in ["convert", "merge"] {
        let o = shipgate(
            &["sarif", cmd, "noloc.sarif", "-o", "out.sarif"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(
            said.contains("dropped") && said.contains("location"),
            "{cmd}: {said}"
        );
        let log = json(&dir.path().join("out.sarif"));
        assert_eq!(
            log["runs"][0]["results"].as_array().map_or(0, Vec::len),
            1,
            "{cmd}"
        );
        assert_eq!(
            own_errors(&dir.path().join("out.sarif")),
            Vec::<String>::new(),
            "{cmd}"
        );
    }
}

/// The scanners' native JSON converted by shipgate against the SARIF the same tool wrote for
/// the same scan: the same rules and results, and GitHub-ready output (our validator and the
/// SDK's Ghas rules: zero errors). Image findings differ by design: the tool's SARIF pins them
/// to the image tarball at line 1, ours to the Dockerfile's `FROM` line that brought the image
/// in (a Dockerfile is placed in the scanned repository for that); other findings keep the
/// tool's (rule, file, line).
#[test]
fn native_scanner_json_converts_like_the_tools_own_sarif() {
    let Some(pairs) = shared("fixtures/sarif-pairs") else {
        return;
    };
    let cases = json(&pairs.join("cases.json"));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut outputs = Vec::new();
    for (i, case) in cases["pairs"].as_array().expect("pairs").iter().enumerate() {
        let (Some(native), Some(sarif)) = (case["native"].as_str(), case["sarif"].as_str()) else {
            continue;
        };
        let tool = json(&pairs.join(sarif));
        let theirs: Vec<&Value> = tool["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .collect();
        let image = theirs.iter().any(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with(".tar.gz") || u.contains(':') && !u.starts_with('/'))
        }) || native.contains("Imgs");
        let root = dir.path().join(format!("repo{i}"));
        std::fs::create_dir_all(&root).expect("mkdir");
        if image {
            std::fs::write(
                root.join("Dockerfile"),
                "# build\nFROM alpine:3.10\nRUN true\n",
            )
            .expect("write");
        }
        let out = dir.path().join(format!("native{i}.sarif"));
        let log = convert(&pairs.join(native), &root, &out, &[]);
        assert_github_ready(&log, native);
        let ours: Vec<&Value> = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .collect();
        let rules = |rs: &[&Value]| {
            let mut v: Vec<String> = rs
                .iter()
                .map(|r| r["ruleId"].as_str().unwrap_or("").to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            rules(&ours),
            rules(&theirs),
            "{native}: rule ids per result"
        );
        let place = |r: &Value| {
            let l = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or("").to_string(),
                l["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches('/')
                    .to_string(),
                l["region"]["startLine"].as_u64().unwrap_or(1),
            )
        };
        if image {
            for r in &ours {
                let (_, uri, line) = place(r);
                assert_eq!(
                    (uri.as_str(), line),
                    ("Dockerfile", 2),
                    "{native}: image findings point at FROM"
                );
            }
        } else {
            // A directory scan: Grype's SARIF writes the scanned directory in front of each
            // path (`/some/path/x`); ours are relative to that directory, the repository
            // GitHub knows. Strip the scan's own source directory, read from its report.
            let scanned = json(&pairs.join(native))["source"]["target"]
                .as_str()
                .map(|t| format!("{}/", t.trim_matches('/')))
                .unwrap_or_default();
            let a: BTreeSet<_> = ours.iter().map(|r| place(r)).collect();
            let b: BTreeSet<_> = theirs
                .iter()
                .map(|r| {
                    let (rule, uri, line) = place(r);
                    let uri = uri
                        .strip_prefix(scanned.as_str())
                        .map(str::to_string)
                        .unwrap_or(uri);
                    (rule, uri, line)
                })
                .collect();
            assert_eq!(a, b, "{native}: (rule, file, line)");
        }
        assert_eq!(own_errors(&out), Vec::<String>::new(), "{native}");
        outputs.push(out);
    }
    assert_eq!(
        outputs.len(),
        5,
        "Trivy, Grype image and directory, gitleaks, Semgrep"
    );
    if let Some(errors) = multitool_errors(&outputs) {
        assert_eq!(errors, Vec::<String>::new());
    }
}

/// Merges with the general path (every result a value) and with the fast path (results kept
/// as their bytes where nothing changes); both outputs parsed, and the summaries.
fn both_merges(
    files: &[PathBuf],
    root: &Path,
    lim: &shipgate::sarif::limits::Limits,
) -> (
    Value,
    Value,
    shipgate::sarif::Summary,
    shipgate::sarif::Summary,
    Option<shipgate::sarif::fastmerge::FastStats>,
) {
    use shipgate::sarif::{Repo, Summary, fastmerge, finish, merge};
    let repo = Repo::new(root);
    let mut general = Summary::default();
    let logs = files
        .iter()
        .map(|p| merge::read_log(p).expect("read"))
        .collect();
    let mut log = merge::merge(logs, root, &mut general);
    let bytes = finish(&mut log, &repo, lim, false, &mut general).expect("finish");
    let slow: Value = serde_json::from_slice(&bytes).expect("general output");
    let buf = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let b2 = buf.clone();
    let mut open =
        move || -> std::io::Result<Box<dyn std::io::Write>> { Ok(Box::new(Sink(b2.clone()))) };
    let mut fast_summary = Summary::default();
    let stats =
        fastmerge::merge_files(files, root, &repo, lim, "out", &mut open, &mut fast_summary)
            .expect("fast merge");
    let fast = if stats.is_some() {
        serde_json::from_slice(&buf.borrow()).expect("fast output")
    } else {
        Value::Null
    };
    (slow, fast, general, fast_summary, stats)
}

const LEVELS: [&str; 3] = ["error", "warning", "note"];

/// A scanner-like log (fingerprints, related locations, code flows on some results), as
/// `scripts/bench/gen_sarif.py` writes them, small.
fn scanner_like(n: usize, rules: &[usize], tool: &str, category: &str) -> Value {
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|i| {
            let level = LEVELS[i % 3];
            json!({"id": format!("SEC{i:04}"), "name": format!("Rule{i}"),
                   "shortDescription": {"text": format!("rule {i}")},
                   "defaultConfiguration": {"level": level},
                   "properties": {"security-severity": format!("{:.1}", (i % 100) as f64 / 10.0 + 0.1)}})
        })
        .collect();
    let results: Vec<Value> = (0..n)
        .map(|i| {
            let r = rules[i % rules.len()];
            let loc = json!({"physicalLocation": {"artifactLocation": {"uri": format!("src/f{}.py", i % 17), "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": i % 300 + 1, "startColumn": 5, "snippet": {"text": "x = f(q)"}}}});
            let mut res = json!({
                "ruleId": format!("SEC{r:04}"),
                "ruleIndex": i % rules.len(),
                "message": {"text": format!("finding {i}")},
                "locations": [loc],
                "relatedLocations": [{"id": 1, "message": {"text": "source"}, "physicalLocation": {"artifactLocation": {"uri": "src/in.py"}, "region": {"startLine": 3}}}],
                "partialFingerprints": {"primaryLocationLineHash": format!("{:x}:1", (i * 7919) % 1000)},
            });
            if i % 3 == 0 {
                res["level"] = json!(LEVELS[i / 3 % 3]);
            }
            if i % 10 == 0 {
                res["codeFlows"] = json!([{"threadFlows": [{"locations": [{"location": loc}, {"location": loc}]}]}]);
            }
            res
        })
        .collect();
    json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": tool, "rules": rules_json}},
           "automationDetails": {"id": format!("{category}/")}, "results": results}]})
}

#[test]
fn fast_merge_writes_what_the_general_path_writes() {
    use shipgate::sarif::limits::Limits;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo().join("scripts/fixture-projects/js");
    // Real SARIF: the tools' own files in the repository and the shared scanner pairs and SDK
    // cases where present.
    let mut real: Vec<PathBuf> = ["eslint", "ruff", "semgrep", "checkov", "hadolint"]
        .iter()
        .map(|t| fixture(&format!("real/{t}/{t}.sarif")))
        .collect();
    for sub in [
        "fixtures/sarif-pairs",
        "fixtures/sarif-validation/validate/Inputs",
    ] {
        if let Some(d) = shared(sub) {
            let mut found = Vec::new();
            let mut stack = vec![d];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).expect("dir").flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "sarif") {
                        found.push(p);
                    }
                }
            }
            found.sort();
            real.extend(found);
        }
    }
    // Generated: two files of one tool and category whose rules differ (the second file's
    // results get new rule indices), one of another category, and duplicates.
    let gen_files: Vec<PathBuf> = [
        scanner_like(400, &[0, 1, 2, 3, 4, 5], "Scan", "a"),
        scanner_like(300, &[7, 3, 8, 0], "Scan", "a"),
        scanner_like(200, &[1, 2], "Scan", "b"),
    ]
    .iter()
    .enumerate()
    .map(|(i, log)| {
        let p = dir.path().join(format!("gen{i}.sarif"));
        std::fs::write(&p, serde_json::to_string_pretty(log).expect("json")).expect("write");
        p
    })
    .collect();
    let mut cases: Vec<(Vec<PathBuf>, Limits)> = real
        .iter()
        .map(|p| (vec![p.clone()], Limits::default()))
        .collect();
    cases.push((real.clone(), Limits::default()));
    cases.push(([real.clone(), real.clone()].concat(), Limits::default()));
    cases.push((gen_files.clone(), Limits::default()));
    let mut gen_twice = gen_files.clone();
    gen_twice.push(gen_files[1].clone());
    cases.push((gen_twice, Limits::default()));
    // Limits that cut: results per run (most severe kept), locations per result.
    cases.push((
        gen_files.clone(),
        Limits {
            results_per_run: 250,
            locations_per_result: 1,
            thread_flow_locations_per_result: 1,
            tags_per_rule: 1,
            ..Limits::default()
        },
    ));
    // Results without fingerprints or rule indices (both computed and written in).
    let plain = dir.path().join("plain.sarif");
    std::fs::write(&plain, generated(500, 7, "Plain").to_string()).expect("write");
    cases.push((vec![plain.clone(), gen_files[0].clone()], Limits::default()));
    let mut raw_total = 0;
    for (files, lim) in &cases {
        let (slow, fast, s1, s2, stats) = both_merges(files, &root, lim);
        let names: Vec<_> = files.iter().filter_map(|p| p.file_name()).collect();
        assert!(stats.is_some(), "the fast path handed over {names:?}");
        assert_eq!(fast, slow, "{names:?}");
        assert_eq!(s2.dropped, s1.dropped, "{names:?}");
        assert_eq!(s2.notes, s1.notes, "{names:?}");
        assert_eq!(
            serde_json::to_value(&s2.runs).expect("runs"),
            serde_json::to_value(&s1.runs).expect("runs"),
            "{names:?}"
        );
        raw_total += stats.map_or(0, |s| s.raw);
    }
    // The generated results need nothing but (for the second file) a new rule index, or (the
    // plain file) a rule index and a fingerprint: all are kept as their bytes, patched.
    let (_, _, _, _, stats) = both_merges(&gen_files, &root, &Limits::default());
    let stats = stats.expect("fast");
    assert_eq!((stats.raw, stats.parsed), (900, 0));
    let (_, _, _, _, stats) = both_merges(&[plain], &root, &Limits::default());
    assert_eq!(stats.map(|s| (s.raw, s.parsed)), Some((500, 0)));
    assert!(raw_total > 0);
    // Over the compressed-size limit, the general path does the dropping.
    let small = Limits {
        gzip_bytes: 20_000,
        ..Limits::default()
    };
    let (_, _, _, _, stats) = both_merges(&gen_files, &root, &small);
    assert_eq!(stats, None);
}

/// The security scanners' own reports (tests/fixtures/real, made on
/// scripts/fixture-projects/security by scripts/fixtures.sh; npm audit and pip-audit written
/// from their documented output, marked so there) convert to SARIF that shipgate's validator
/// and the SARIF SDK's GitHub rules accept.
#[test]
fn scanner_reports_convert_to_sarif_github_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo().join("scripts/fixture-projects/security");
    let mut outputs = Vec::new();
    for rel in [
        "bandit/bandit.json",
        "checkov/checkov.json",
        "semgrep/semgrep.json",
        "hadolint/hadolint.json",
        "shellcheck/shellcheck.json",
        "cargo-audit/cargo-audit.json",
        "pip-audit/pip-audit.json",
        "npm-audit/npm-audit.json",
    ] {
        let out = dir
            .path()
            .join(format!("{}.sarif", rel.replace(['/', '.'], "_")));
        let log = convert(&fixture(&format!("real/{rel}")), &root, &out, &[]);
        let n = assert_github_ready(&log, rel);
        assert!(n > 0, "{rel}: no result");
        assert_eq!(own_errors(&out), Vec::<String>::new(), "{rel}");
        outputs.push(out);
    }
    if let Some(errors) = multitool_errors(&outputs) {
        assert_eq!(errors, Vec::<String>::new());
    }
}
