//! Security scanners' native JSON (Trivy, Grype, gitleaks, Semgrep, npm audit, pip-audit,
//! cargo-audit, Bandit, Checkov, hadolint, ShellCheck) read into the findings model.
//!
//! Where the same tool wrote SARIF for the same scan (`../shared/fixtures/sarif-pairs/`), the
//! tool's SARIF is parsed here independently (serde_json) and our (rule id, file, start line)
//! set must equal its own. Where they differ by design the test says how:
//! - image findings: the tool's SARIF points at a path inside the image (`<image>/<path>`),
//!   which is no repository file; ours point at the repository's Dockerfile, or nowhere when
//!   there is none (these fixture folders have none), and keep the image and the in-image path
//!   in `package`: the comparison uses those.
//! - directory scans: the tool's SARIF writes the path under the scanned directory
//!   (`/some/path/x`); ours is repository-relative (`x`).

use crate::support::{json, read_in, shared};
use serde_json::Value;
use shipgate::ingest::{self, At, Format, IngestError, PathResolver, Report};
use shipgate::model::{Category, Findings, Level, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn findings_in(path: &Path, root: &Path, format: Format) -> Findings {
    let ing = read_in(path, root);
    assert_eq!(
        ing.format,
        format,
        "{}: detected {:?}",
        path.display(),
        ing.format
    );
    match ing.report {
        Report::Findings(f) => f,
        other => panic!("{}: expected findings, got {other:?}", path.display()),
    }
}

fn findings(path: &Path, format: Format) -> Findings {
    findings_in(path, path.parent().unwrap(), format)
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::None => "none",
    }
}

/// CVSS bands, as the SARIF `security-severity` is read.
fn band(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// (ruleId, uri, startLine, level) of every result of a SARIF log, the level defaulting
/// to the rule's `defaultConfiguration.level`, then `warning`, as SARIF says.
fn sarif_results(path: &Path) -> Vec<(String, String, u64, String)> {
    let log = json(path);
    let mut out = Vec::new();
    for run in arr(&log, "runs") {
        let rules = arr(&run["tool"]["driver"], "rules");
        for r in arr(run, "results") {
            let rule = s(r, "ruleId").to_string();
            let phys = &r["locations"][0]["physicalLocation"];
            let default = rules
                .iter()
                .find(|x| s(x, "id") == rule)
                .map(|x| s(&x["defaultConfiguration"], "level"))
                .filter(|l| !l.is_empty())
                .unwrap_or("warning");
            let level = r.get("level").and_then(Value::as_str).unwrap_or(default);
            out.push((
                rule,
                s(&phys["artifactLocation"], "uri").to_string(),
                phys["region"]["startLine"].as_u64().unwrap_or(0),
                level.to_string(),
            ));
        }
    }
    out
}

/// The `security-severity` a SARIF log gives a rule.
fn sarif_rule_score(path: &Path, rule: &str) -> Option<f64> {
    let log = json(path);
    arr(&log["runs"][0]["tool"]["driver"], "rules")
        .iter()
        .find(|r| s(r, "id") == rule)
        .and_then(|r| r["properties"]["security-severity"].as_str())
        .and_then(|x| x.parse().ok())
}

fn assert_no_secret(model: &Findings, secrets: &[String], what: &str) {
    let text = serde_json::to_string(model).unwrap();
    for sec in secrets.iter().filter(|x| x.trim().len() >= 4) {
        assert!(
            !text.contains(sec.trim()),
            "{what}: the model holds {sec:?}, which must be redacted"
        );
    }
}

fn pairs() -> Option<PathBuf> {
    shared("fixtures/sarif-pairs")
}

#[test]
fn trivy_image_scan_matches_trivys_own_sarif() {
    let Some(dir) = pairs() else { return };
    let cases = json(&dir.join("cases.json"));
    let case = arr(&cases, "pairs")
        .iter()
        .find(|c| s(c, "tool") == "trivy")
        .unwrap();
    let native = dir.join(s(case, "native"));
    let sarif = dir.join(s(case, "sarif"));
    let f = findings(&native, Format::TrivyJson);
    let theirs = sarif_results(&sarif);
    assert_eq!(
        f.items.len() as u64,
        case["expect"]["results"].as_u64().unwrap()
    );
    assert_eq!(f.items.len(), theirs.len());
    // Image scan, no Dockerfile in the fixture folder: no location; Trivy's SARIF points at
    // the image (its ArtifactName) at line 1, which `package.artifact` holds.
    let ours: BTreeSet<(String, String, u64)> = f
        .items
        .iter()
        .map(|x| {
            assert!(x.location.is_none(), "{x:?}");
            let p = x.package.as_deref().unwrap();
            (x.rule.clone().unwrap(), p.artifact.clone().unwrap(), 1)
        })
        .collect();
    let want: BTreeSet<(String, String, u64)> = theirs
        .iter()
        .map(|(r, u, l, _)| (r.clone(), u.clone(), *l))
        .collect();
    assert_eq!(ours, want);
    let rules: BTreeSet<&str> = f.items.iter().filter_map(|x| x.rule.as_deref()).collect();
    let expect_rules: BTreeSet<&str> = arr(&case["expect"], "rules")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(rules, expect_rules);
    for (x, (rule, _, _, level)) in f.items.iter().zip(&theirs) {
        assert_eq!(x.rule.as_deref(), Some(rule.as_str()));
        assert_eq!(level_name(x.level), level, "{rule}");
        let score = sarif_rule_score(&sarif, rule).unwrap();
        assert_eq!(
            x.severity,
            Some(band(score)),
            "{rule}: security-severity {score}"
        );
        assert_eq!(x.category, Category::Security);
        let info = x.rule_info.as_deref().unwrap();
        assert_eq!(info.cvss, Some(score));
        assert!(info.help.as_deref().unwrap().contains("Fixed version"));
        let p = x.package.as_deref().unwrap();
        assert_eq!(p.ecosystem.as_deref(), Some("alpine"));
        assert!(p.fixed_version.is_some() && p.version.is_some());
        assert!(x.fingerprints.iter().any(|(k, _)| k == "trivy"));
    }
}

#[test]
fn trivy_image_findings_point_at_the_dockerfile_from_line() {
    let Some(dir) = pairs() else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.join("trivy/alpine-310.json.golden"),
        tmp.path().join("trivy.json"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("Dockerfile"),
        "FROM golang:1.22 AS build\nRUN go build\n\nfrom alpine:3.10\nCOPY --from=build /x /x\n",
    )
    .unwrap();
    let f = findings(&tmp.path().join("trivy.json"), Format::TrivyJson);
    for x in &f.items {
        let loc = x.location.as_ref().unwrap();
        assert_eq!(
            (loc.path.as_str(), loc.line),
            ("Dockerfile", 4),
            "the last FROM line"
        );
    }
}

/// What the Trivy README documents, computed from the golden JSON itself: one finding per
/// vulnerability, failed misconfiguration, secret and license, its rule id and level.
fn trivy_expected(doc: &Value) -> Vec<(String, &'static str, &'static str)> {
    let level = |sev: &str| match sev {
        "CRITICAL" | "HIGH" => "error",
        "MEDIUM" => "warning",
        "LOW" | "UNKNOWN" => "note",
        _ => "none",
    };
    let mut out = Vec::new();
    for r in arr(doc, "Results") {
        for v in arr(r, "Vulnerabilities") {
            out.push((
                s(v, "VulnerabilityID").to_string(),
                level(s(v, "Severity")),
                "vulnerability",
            ));
        }
        for m in arr(r, "Misconfigurations") {
            if s(m, "Status") != "PASS" {
                out.push((
                    s(m, "ID").to_string(),
                    level(s(m, "Severity")),
                    "misconfiguration",
                ));
            }
        }
        for x in arr(r, "Secrets") {
            out.push((
                s(x, "RuleID").to_string(),
                level(s(x, "Severity")),
                "secret",
            ));
        }
        for l in arr(r, "Licenses") {
            out.push((
                format!("{}:{}", s(l, "PkgName"), s(l, "Name")),
                level(s(l, "Severity")),
                "license",
            ));
        }
    }
    out
}

#[test]
fn trivy_json_only_goldens_give_the_documented_counts() {
    let Some(dir) = pairs() else { return };
    let cases = json(&dir.join("cases.json"));
    let list = arr(&cases, "trivy_json_only");
    assert_eq!(list.len(), 20);
    let mut checked = 0;
    for case in list {
        let path = dir.join(s(case, "file"));
        let f = findings(&path, Format::TrivyJson);
        let doc = json(&path);
        let counts = case["counts"].as_object().unwrap();
        let n = |k: &str| counts.get(k).and_then(Value::as_u64).unwrap_or(0);
        let want = n("Vulnerabilities") + n("Misconfigurations") + n("Secrets") + n("Licenses");
        let what = path.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(f.items.len() as u64, want, "{what}: {counts:?}");
        let expected = trivy_expected(&doc);
        assert_eq!(f.items.len(), expected.len(), "{what}");
        for (x, (rule, level, kind)) in f.items.iter().zip(&expected) {
            assert_eq!(x.rule.as_deref(), Some(rule.as_str()), "{what}");
            assert_eq!(level_name(x.level), *level, "{what} {rule}");
            assert_eq!(x.category, Category::Security, "{what} {rule}");
            let info = x.rule_info.as_deref().unwrap();
            assert!(
                info.tags.iter().any(|t| t == kind),
                "{what} {rule}: {:?}",
                info.tags
            );
            assert!(info.tags.iter().any(|t| t == "security"), "{what} {rule}");
            assert!(!x.suppressed);
        }
        // Image and VM scans: no Dockerfile here, so no location; repository scans: the
        // target file under the scanned directory (which this folder does not have).
        let kind = s(&doc, "ArtifactType");
        for x in &f.items {
            match kind {
                "container_image" | "vm" => assert!(x.location.is_none(), "{what}: {x:?}"),
                "repository" | "filesystem" => {
                    let loc = x
                        .location
                        .as_ref()
                        .unwrap_or_else(|| panic!("{what}: {x:?}"));
                    assert!(
                        loc.path.starts_with(s(&doc, "ArtifactName")),
                        "{what}: {}",
                        loc.path
                    );
                    assert!(loc.line >= 1);
                }
                _ => {}
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 20);
}

#[test]
fn trivy_details_lines_severities_and_redaction() {
    let Some(dir) = pairs() else { return };
    let only = dir.join("trivy/json-only");
    // npm: the package's line comes from Trivy's own `Packages[].Locations`.
    let f = findings(&only.join("npm.json.golden"), Format::TrivyJson);
    let loc = f.items[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.line, loc.end_line),
        ("testdata/fixtures/repo/npm/package-lock.json", 11, Some(15)),
        "jquery@3.3.9's Locations in npm.json.golden"
    );
    let p = f.items[0].package.as_deref().unwrap();
    assert_eq!(
        (
            p.name.as_str(),
            p.version.as_deref(),
            p.fixed_version.as_deref()
        ),
        ("jquery", Some("3.3.9"), Some("3.4.0"))
    );
    assert_eq!(p.manifest.as_deref(), Some(loc.path.as_str()));
    // Misconfiguration lines from CauseMetadata; none → line 1 (as Trivy's SARIF).
    let f = findings(&only.join("helm_testchart.json.golden"), Format::TrivyJson);
    let loc = f.items[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.end_line),
        (28, Some(57)),
        "KSV-0001 CauseMetadata"
    );
    let f = findings(&only.join("dockerfile.json.golden"), Format::TrivyJson);
    assert_eq!(f.items[0].location.as_ref().unwrap().line, 1);
    assert_eq!(f.items[0].severity, Some(Severity::High));
    // UNKNOWN severity without CVSS: note, info.
    let f = findings(&only.join("gomod.json.golden"), Format::TrivyJson);
    let unknown = f.items.iter().find(|x| x.level == Level::Note).unwrap();
    assert_eq!(unknown.severity, Some(Severity::Info));
    // Licenses of an SBOM scan name a language, not a file: no location.
    let f = findings(
        &only.join("license-cyclonedx.json.golden"),
        Format::TrivyJson,
    );
    assert!(f.items.iter().all(|x| x.location.is_none()));
    // Secrets: rule and lines kept, nothing of the matched lines.
    let path = only.join("secrets.json.golden");
    let f = findings(&path, Format::TrivyJson);
    let loc = f.items[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.line),
        ("testdata/fixtures/repo/secrets/deploy.sh", 3)
    );
    assert_eq!(f.items[0].message, "AWS Access Key ID (redacted)");
    let doc = json(&path);
    let mut secrets = Vec::new();
    for r in arr(&doc, "Results") {
        for x in arr(r, "Secrets") {
            secrets.push(s(x, "Match").to_string());
            for l in arr(&x["Code"], "Lines") {
                secrets.push(s(l, "Content").to_string());
            }
        }
    }
    assert!(
        secrets.iter().any(|x| x.contains("ghp_")),
        "the fixture has an unmasked line"
    );
    assert_no_secret(&f, &secrets, "trivy secrets");
}

#[test]
fn grype_matches_grypes_own_sarif() {
    let Some(dir) = pairs() else { return };
    let cases = json(&dir.join("cases.json"));
    let mut checked = 0;
    for case in arr(&cases, "pairs")
        .iter()
        .filter(|c| s(c, "tool") == "grype")
    {
        let native = dir.join(s(case, "native"));
        let sarif = dir.join(s(case, "sarif"));
        let doc = json(&native);
        let f = findings(&native, Format::GrypeJson);
        let theirs = sarif_results(&sarif);
        assert_eq!(
            f.items.len() as u64,
            case["expect"]["results"].as_u64().unwrap()
        );
        let image = s(&doc["source"], "type") == "image";
        let log = json(&sarif);
        let ours: BTreeSet<(String, String, u64)> = f
            .items
            .iter()
            .map(|x| {
                let p = x.package.as_deref().unwrap();
                if image {
                    // Grype's uri is `<image>/<accessPath>`; its logical location names the
                    // real path, which we keep as the manifest.
                    assert!(x.location.is_none());
                    let m = p.manifest.clone().unwrap();
                    (x.rule.clone().unwrap(), m, 1)
                } else {
                    let loc = x.location.as_ref().unwrap();
                    (
                        x.rule.clone().unwrap(),
                        loc.path.clone(),
                        u64::from(loc.line),
                    )
                }
            })
            .collect();
        let target = s(&doc["source"], "target");
        let want: BTreeSet<(String, String, u64)> = arr(&log["runs"][0], "results")
            .iter()
            .map(|r| {
                let l = &r["locations"][0];
                let line = l["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap();
                let uri = s(&l["physicalLocation"]["artifactLocation"], "uri");
                let file = if image {
                    s(&l["logicalLocations"][0], "name").to_string()
                } else {
                    uri.strip_prefix(&format!("{target}/")).unwrap().to_string()
                };
                (s(r, "ruleId").to_string(), file, line)
            })
            .collect();
        assert_eq!(ours, want, "{}", native.display());
        for x in &f.items {
            let (_, _, _, level) = theirs
                .iter()
                .find(|t| Some(t.0.as_str()) == x.rule.as_deref())
                .unwrap();
            assert_eq!(level_name(x.level), level);
            let score = sarif_rule_score(&sarif, x.rule.as_deref().unwrap()).unwrap();
            assert_eq!(x.severity, Some(band(score)), "security-severity {score}");
            if image {
                let p = x.package.as_deref().unwrap();
                assert_eq!(
                    p.artifact.as_deref(),
                    Some(s(&doc["source"]["target"], "userInput"))
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 2);
    let empty = findings(
        &dir.join("grype/json/testdata/snapshot/TestEmptyJsonPresenter.golden"),
        Format::GrypeJson,
    );
    assert!(empty.items.is_empty());
}

#[test]
fn gitleaks_matches_its_own_sarif_and_keeps_no_secret() {
    let Some(dir) = pairs() else { return };
    let native = dir.join("gitleaks/json_simple.json");
    let f = findings(&native, Format::GitleaksJson);
    let theirs = sarif_results(&dir.join("gitleaks/sarif_simple.sarif"));
    let ours: Vec<(String, String, u64, String)> = f
        .items
        .iter()
        .map(|x| {
            let loc = x.location.as_ref().unwrap();
            (
                x.rule.clone().unwrap(),
                loc.path.clone(),
                u64::from(loc.line),
                level_name(x.level).to_string(),
            )
        })
        .collect();
    assert_eq!(ours, theirs);
    let loc = f.items[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.column, loc.end_line, loc.end_column),
        (Some(1), Some(2), Some(2))
    );
    assert_eq!(f.items[0].severity, Some(Severity::High));
    let doc = json(&native);
    let secrets: Vec<String> = doc
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|x| [s(x, "Secret").to_string(), s(x, "Match").to_string()])
        .collect();
    assert_no_secret(&f, &secrets, "gitleaks");
    // `[]` is an empty findings list.
    let empty = crate::support::read(&dir.join("gitleaks/empty.json"));
    assert!(matches!(empty.report, Report::Findings(ref x) if x.items.is_empty()));
}

#[test]
fn gitleaks_fingerprint_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("leaks.json");
    std::fs::write(
        &p,
        r#"[{"RuleID":"aws-access-key","Description":"AWS Access Key","StartLine":3,"EndLine":3,
            "StartColumn":5,"EndColumn":24,"Match":"key=AKIAIMNOJVGFDXXXE4OA","Secret":"AKIAIMNOJVGFDXXXE4OA",
            "File":"cfg/app.env","Commit":"abc123","Tags":["key","AWS"],
            "Fingerprint":"abc123:cfg/app.env:aws-access-key:3"}]"#,
    )
    .unwrap();
    let f = findings(&p, Format::GitleaksJson);
    assert_eq!(
        f.items[0].fingerprints,
        vec![(
            "gitleaks".to_string(),
            "abc123:cfg/app.env:aws-access-key:3".to_string()
        )]
    );
    assert_eq!(
        f.items[0].message,
        "AWS Access Key (redacted) in cfg/app.env at commit abc123"
    );
    assert_no_secret(&f, &["AKIAIMNOJVGFDXXXE4OA".to_string()], "gitleaks");
}

#[test]
fn semgrep_matches_semgreps_own_sarif() {
    let Some(dir) = pairs() else { return };
    let native = dir.join("semgrep/test_output_format/--json/results.out");
    let sarif = dir.join("semgrep/test_output_format/--sarif/results.out");
    let f = findings(&native, Format::SemgrepJson);
    let theirs = sarif_results(&sarif);
    let ours: Vec<(String, String, u64, String)> = f
        .items
        .iter()
        .map(|x| {
            let loc = x.location.as_ref().unwrap();
            (
                x.rule.clone().unwrap(),
                loc.path.clone(),
                u64::from(loc.line),
                level_name(x.level).to_string(),
            )
        })
        .collect();
    assert_eq!(ours, theirs);
    let log = json(&sarif);
    let r = &log["runs"][0]["results"][0];
    let region = &r["locations"][0]["physicalLocation"]["region"];
    let x = &f.items[0];
    let loc = x.location.as_ref().unwrap();
    assert_eq!(x.message, s(&r["message"], "text"));
    assert_eq!(
        (
            loc.column.map(u64::from),
            loc.end_line.map(u64::from),
            loc.end_column.map(u64::from)
        ),
        (
            region["startColumn"].as_u64(),
            region["endLine"].as_u64(),
            region["endColumn"].as_u64()
        )
    );
    // No security metadata on this rule: a lint finding, no severity; the help link is
    // metadata.source, as Semgrep's SARIF `helpUri`.
    assert_eq!(x.category, Category::Lint);
    assert_eq!(x.severity, None);
    assert_eq!(
        x.help_uri.as_deref(),
        Some("https://semgrep.dev/r/eqeq-bad")
    );
    assert_eq!(x.fingerprints, vec![("semgrep".into(), "0x42".into())]);
}

/// A Semgrep security rule: CWE ids, OWASP tags, severity from the word, nosemgrep'd results
/// suppressed, "requires login" fingerprints dropped, errors as build findings.
#[test]
fn semgrep_security_metadata_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("semgrep.json");
    std::fs::write(
        &p,
        r#"{"errors":[{"code":3,"level":"warn","type":["PartialParsing",[]],"message":"Syntax error at line app/x.py:3","path":"app/x.py","spans":[{"file":"app/x.py","start":{"line":3,"col":1,"offset":0},"end":{"line":3,"col":2,"offset":1}}]}],
            "paths":{"scanned":["app/a.py"]},
            "results":[
             {"check_id":"python.lang.security.audit.exec","path":"app/a.py","start":{"line":4,"col":5,"offset":1},"end":{"line":4,"col":20,"offset":2},
              "extra":{"message":"exec is dangerous","severity":"WARNING","fingerprint":"requires login","lines":"requires login","is_ignored":false,
                       "metadata":{"category":"security","cwe":["CWE-95: Eval Injection"],"owasp":["A03:2021 - Injection"],"confidence":"LOW","references":["https://owasp.org/Top10/A03_2021-Injection"],"source":"https://semgrep.dev/r/python.lang.security.audit.exec"}}},
             {"check_id":"python.lang.security.audit.exec","path":"app/a.py","start":{"line":9,"col":5,"offset":1},"end":{"line":9,"col":20,"offset":2},
              "extra":{"message":"exec is dangerous","severity":"WARNING","fingerprint":"abc","is_ignored":true,"metadata":{"cwe":"CWE-95: Eval Injection"}}}],
            "version":"1.182.0"}"#,
    )
    .unwrap();
    let f = findings(&p, Format::SemgrepJson);
    assert_eq!(f.items.len(), 3);
    let a = &f.items[0];
    assert_eq!(a.category, Category::Security);
    assert_eq!(
        (a.level, a.severity),
        (Level::Warning, Some(Severity::Medium))
    );
    let info = a.rule_info.as_deref().unwrap();
    assert_eq!(info.cwe, vec!["CWE-95".to_string()]);
    assert!(info.tags.contains(&"A03:2021 - Injection".to_string()));
    assert!(info.tags.contains(&"confidence:low".to_string()));
    assert!(a.fingerprints.is_empty());
    assert!(f.items[1].suppressed);
    assert_eq!(
        f.items[1].fingerprints,
        vec![("semgrep".into(), "abc".into())]
    );
    let e = &f.items[2];
    assert_eq!((e.category, e.level), (Category::Build, Level::Warning));
    assert_eq!(e.location.as_ref().unwrap().line, 3);
    let c = f.counts();
    assert_eq!((c.total, c.suppressed), (2, 1));
}

fn sample(sub: &str) -> PathBuf {
    crate::support::repo()
        .join("scripts/fixture-projects/security")
        .join(sub)
}

/// 1-based line of the first line of `file` containing `needle`, searched here independently.
fn line_of(file: &Path, needle: &str) -> u32 {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u32 + 1)
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
}

#[test]
fn npm_audit_one_finding_per_package_at_its_lockfile_line() {
    let report = sample("handwritten/npm-audit.json");
    let root = sample("npm");
    let f = findings_in(&report, &root, Format::NpmAuditJson);
    let doc = json(&report);
    // npm's own count: metadata.vulnerabilities.total, one per package.
    let total = doc["metadata"]["vulnerabilities"]["total"]
        .as_u64()
        .unwrap();
    assert_eq!(f.items.len() as u64, total);
    let lock = root.join("package-lock.json");
    for x in &f.items {
        let p = x.package.as_deref().unwrap();
        let loc = x.location.as_ref().unwrap();
        assert_eq!(loc.path, "package-lock.json");
        assert_eq!(
            loc.line,
            line_of(&lock, &format!("\"node_modules/{}\": {{", p.name)),
            "{}",
            p.name
        );
        assert_eq!(p.manifest.as_deref(), Some("package-lock.json"));
        assert_eq!(x.category, Category::Security);
    }
    let by = |n: &str| {
        f.items
            .iter()
            .find(|x| x.package.as_ref().unwrap().name == n)
            .unwrap()
    };
    // lodash: three advisories of its own; the rule is the most severe (CVSS 9.1).
    let lodash = by("lodash");
    assert_eq!(lodash.rule.as_deref(), Some("GHSA-jf85-cpcp-j695"));
    assert_eq!(lodash.severity, Some(Severity::Critical));
    assert_eq!(lodash.level, Level::Error);
    let info = lodash.rule_info.as_deref().unwrap();
    assert_eq!(info.cvss, Some(9.1));
    for c in [
        "CWE-77", "CWE-94", "CWE-20", "CWE-1321", "CWE-400", "CWE-1333",
    ] {
        assert!(info.cwe.iter().any(|x| x == c), "{c}");
    }
    assert_eq!(
        lodash.package.as_ref().unwrap().fixed_version.as_deref(),
        Some("4.17.21")
    );
    // mkdirp: vulnerable only through minimist; its rule is minimist's worst advisory.
    let mkdirp = by("mkdirp");
    assert_eq!(mkdirp.rule.as_deref(), Some("GHSA-xvch-5gv4-984h"));
    assert_eq!(mkdirp.severity, Some(Severity::Critical), "npm's word");
    assert!(
        mkdirp
            .message
            .contains("through its dependencies: minimist")
    );
}

#[test]
fn npm_audit_refused_endpoint_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("audit.json");
    std::fs::write(
        &p,
        r#"{"message":"405 Method Not Allowed - POST <registry>/-/npm/v1/security/advisories/bulk","method":"POST","uri":"<registry>/-/npm/v1/security/advisories/bulk","statusCode":405,"body":"","error":{"summary":"","detail":""}}"#,
    )
    .unwrap();
    let Err(e) = ingest::read_path(&p, None, &PathResolver::new(tmp.path())) else {
        panic!("npm's error document parsed as a report");
    };
    let msg = e.to_string();
    assert!(msg.contains("npm audit did not run"), "{msg}");
    assert!(msg.contains("405 Method Not Allowed"), "{msg}");
}

#[test]
fn pip_audit_findings_point_at_the_requirements_line() {
    let report = sample("handwritten/pip-audit.json");
    let root = sample("python");
    let f = findings_in(&report, &root, Format::PipAuditJson);
    let doc = json(&report);
    let n: usize = arr(&doc, "dependencies")
        .iter()
        .map(|d| arr(d, "vulns").len())
        .sum();
    assert_eq!(
        f.items.len(),
        n,
        "one per dependencies[].vulns[]; skipped ones are none"
    );
    let req = root.join("requirements.txt");
    for x in &f.items {
        let p = x.package.as_deref().unwrap();
        let loc = x.location.as_ref().unwrap();
        assert_eq!(loc.path, "requirements.txt");
        let written = std::fs::read_to_string(&req).unwrap();
        let needle = written
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&format!("{}==", p.name)))
            .unwrap()
            .to_string();
        assert_eq!(loc.line, line_of(&req, &needle), "{}", p.name);
        assert_eq!((x.level, x.severity), (Level::Error, None));
        assert!(
            x.help_uri
                .as_deref()
                .unwrap()
                .starts_with("https://osv.dev/vulnerability/")
        );
    }
    let w = &f.items[0];
    assert_eq!(w.rule.as_deref(), Some("PYSEC-2019-140"));
    assert!(
        w.rule_info
            .as_ref()
            .unwrap()
            .tags
            .contains(&"CVE-2019-14806".to_string())
    );
    assert_eq!(
        w.package.as_ref().unwrap().fixed_version.as_deref(),
        Some("0.15.3")
    );
}

#[test]
fn cargo_audit_vulnerabilities_and_warnings() {
    let report = crate::support::fixture("real/cargo-audit/cargo-audit.json");
    if !report.exists() {
        println!("notice: skipped: {} is absent", report.display());
        return;
    }
    let root = sample("rust");
    let f = findings_in(&report, &root, Format::CargoAuditJson);
    let doc = json(&report);
    let nv = arr(&doc["vulnerabilities"], "list").len();
    assert!(nv >= 1);
    let lock = root.join("Cargo.lock");
    let time = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("RUSTSEC-2020-0071"))
        .unwrap();
    assert_eq!(time.level, Level::Error);
    // CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H is 5.9 (NVD's score for CVE-2020-26235).
    assert_eq!(time.rule_info.as_ref().unwrap().cvss, Some(5.9));
    assert_eq!(time.severity, Some(Severity::Medium));
    let loc = time.location.as_ref().unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.line),
        ("Cargo.lock", line_of(&lock, "name = \"time\""))
    );
    assert_eq!(
        time.help_uri.as_deref(),
        Some("https://rustsec.org/advisories/RUSTSEC-2020-0071")
    );
    let unmaintained = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("RUSTSEC-2021-0139"))
        .unwrap();
    assert_eq!(
        (unmaintained.level, unmaintained.severity),
        (Level::Warning, None)
    );
    assert!(unmaintained.message.contains("unmaintained"));
}

#[test]
fn bandit_redacts_hardcoded_passwords_and_maps_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("bandit.json");
    std::fs::write(
        &p,
        r#"{"errors":[{"filename":"broken.py","reason":"syntax error while parsing AST from file"}],"generated_at":"2026-01-01T00:00:00Z",
            "metrics":{"_totals":{"CONFIDENCE.HIGH":0,"SEVERITY.HIGH":0}},
            "results":[{"code":"1 PASSWORD = 'hunter2hunter2'\n","col_offset":11,"end_col_offset":27,"filename":"app/cfg.py",
              "issue_confidence":"MEDIUM","issue_cwe":{"id":259,"link":"https://cwe.mitre.org/data/definitions/259.html"},
              "issue_severity":"LOW","issue_text":"Possible hardcoded password: 'hunter2hunter2'","line_number":1,"line_range":[1],
              "more_info":"https://bandit.readthedocs.io/en/1.9.4/plugins/b105_hardcoded_password_string.html","test_id":"B105","test_name":"hardcoded_password_string"}]}"#,
    )
    .unwrap();
    let f = findings(&p, Format::BanditJson);
    assert_eq!(f.items.len(), 2);
    let x = &f.items[0];
    assert_eq!(x.message, "Possible hardcoded password: '***'");
    let loc = x.location.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.column, loc.end_column),
        (1, Some(12), Some(28))
    );
    assert_eq!((x.level, x.severity), (Level::Note, Some(Severity::Low)));
    assert_eq!(
        x.rule_info.as_ref().unwrap().cwe,
        vec!["CWE-259".to_string()]
    );
    assert_no_secret(&f, &["hunter2hunter2".to_string()], "bandit");
    assert_eq!(
        (f.items[1].category, f.items[1].level),
        (Category::Build, Level::Error)
    );
}

/// The real reports of `scripts/fixtures.sh` (section `security`, and Bandit from `python`):
/// the breakdowns `real_fixtures` does not check (by severity, level, framework).
#[test]
fn real_scanner_reports_match_the_printed_breakdowns() {
    let real = crate::support::fixture("real");
    let exp = |tool: &str, file: &str| -> Option<(Findings, Value)> {
        let dir = real.join(tool);
        let e = dir.join("expected.json");
        if !e.exists() {
            println!("notice: skipped: {} is absent", e.display());
            return None;
        }
        let f = match read_in(&dir.join(file), &dir).report {
            Report::Findings(f) => f,
            other => panic!("{tool}: {other:?}"),
        };
        Some((f, json(&e)["reports"][file].clone()))
    };
    if let Some((f, e)) = exp("bandit", "bandit.json") {
        let c = f.counts();
        assert_eq!(c.total, e["total"].as_u64().unwrap());
        for (word, sev) in [
            ("high", Severity::High),
            ("medium", Severity::Medium),
            ("low", Severity::Low),
        ] {
            let n = f.items.iter().filter(|x| x.severity == Some(sev)).count() as u64;
            assert_eq!(n, e["by_severity"][word].as_u64().unwrap(), "bandit {word}");
        }
        let high_conf = f
            .items
            .iter()
            .filter(|x| {
                x.rule_info
                    .as_ref()
                    .is_some_and(|i| i.tags.contains(&"confidence:high".to_string()))
            })
            .count() as u64;
        assert_eq!(high_conf, e["by_confidence"]["high"].as_u64().unwrap());
        assert!(f.items.iter().all(|x| x.category == Category::Security));
    }
    for (tool, file) in [
        ("hadolint", "hadolint.json"),
        ("shellcheck", "shellcheck.json"),
    ] {
        if let Some((f, e)) = exp(tool, file) {
            let notes =
                e["by_level"]["info"].as_u64().unwrap() + e["by_level"]["style"].as_u64().unwrap();
            assert_eq!(f.counts().note, notes, "{tool}: info + style are notes");
            assert!(f.items.iter().all(|x| x.category == Category::Lint));
        }
    }
    if let Some((f, e)) = exp("checkov", "checkov.json") {
        for (fw, by) in e["by_framework"].as_object().unwrap() {
            let n = f
                .items
                .iter()
                .filter(|x| {
                    !x.suppressed && x.rule_info.as_ref().is_some_and(|i| i.tags.contains(fw))
                })
                .count() as u64;
            assert_eq!(n, by["failed"].as_u64().unwrap(), "checkov {fw}");
        }
    }
    if let Some((f, e)) = exp("semgrep", "semgrep.json") {
        assert_eq!(f.counts().total, e["total"].as_u64().unwrap());
        let security = f
            .items
            .iter()
            .filter(|x| x.category == Category::Security)
            .count();
        assert_eq!(
            security, 3,
            "semgrep-rules.yml: three rules with category security"
        );
    }
}

fn parse_error(name: &str, text: &str) -> (At, String) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join(name);
    std::fs::write(&p, text).unwrap();
    match ingest::read_path(&p, None, &PathResolver::new(tmp.path())) {
        Err(IngestError::Parse { at, message, .. }) => (at, message),
        Err(other) => panic!("{name}: expected a parse error, got {other}"),
        Ok(i) => panic!("{name}: parsed as {:?}", i.format),
    }
}

#[test]
fn bad_scanner_input_errors_with_positions() {
    // Truncated documents of each format: detected, then an end-of-file error with a position.
    let docs = [
        (
            "trivy",
            r#"{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Target": "a", "Vulnerabilities": [{"VulnerabilityID": "CVE-1""#,
        ),
        (
            "grype",
            r#"{"matches": [{"vulnerability": {"id": "CVE-1"}, "matchDetails": [], "artifact": {"name": "#,
        ),
        (
            "npm",
            r#"{"auditReportVersion": 2, "vulnerabilities": {"a": {"name": "a", "via": ["#,
        ),
        (
            "pip",
            r#"{"dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "#,
        ),
        (
            "cargo",
            r#"{"database": {"advisory-count": 1}, "lockfile": {"dependency-count": 2}, "vulnerabilities": {"list": ["#,
        ),
        (
            "bandit",
            r#"{"errors": [], "generated_at": "x", "metrics": {"_totals": {"SEVERITY.HIGH": 0}}, "results": [{"test_id": "#,
        ),
        (
            "semgrep",
            r#"{"errors": [], "paths": {"scanned": []}, "results": [{"check_id": "a", "#,
        ),
        (
            "checkov",
            r#"{"check_type": "terraform", "results": {"failed_checks": [{"check_id": "#,
        ),
        ("gitleaks", r#"[{"RuleID": "a", "StartLine": 1, "File": "#),
        (
            "hadolint",
            r#"[{"code": "DL3008", "column": 1, "file": "Dockerfile", "level": "warning", "line": 6, "#,
        ),
        (
            "shellcheck",
            r#"{"comments": [{"file": "a.sh", "line": 1, "endLine": 1, "column": 1, "endColumn": 2, "#,
        ),
    ];
    for (name, text) in docs {
        let (at, msg) = parse_error(&format!("{name}.json"), text);
        assert!(matches!(at, At::LineCol(1, _)), "{name}: {at:?}");
        assert!(msg.contains("truncated"), "{name}: {msg}");
    }
    // Wrong types: a position and what was expected.
    let wrong = [
        (
            "gitleaks",
            r#"[{"RuleID": "a", "StartLine": "three", "File": "a"}]"#,
            "invalid type",
        ),
        (
            "trivy",
            "{\"SchemaVersion\": 2, \"ArtifactName\": \"x\",\n \"Results\": {}}",
            "invalid type",
        ),
        (
            "shellcheck",
            r#"{"comments": [{"file": "a.sh", "line": 1, "endLine": 1, "endColumn": 1, "level": "warning", "code": "SC2086"}]}"#,
            "invalid type",
        ),
        (
            "npm",
            r#"{"auditReportVersion": 2, "vulnerabilities": {"a": {"severity": 3}}}"#,
            "invalid type",
        ),
    ];
    for (name, text, want) in wrong {
        let (at, msg) = parse_error(&format!("{name}.json"), text);
        assert!(matches!(at, At::LineCol(_, _)), "{name}: {at:?}");
        assert!(msg.contains(want), "{name}: {msg}");
    }
    // Values outside the format: a JSON pointer to them.
    let values = [
        (
            "trivy",
            r#"{"SchemaVersion": 1, "ArtifactName": "x", "Results": []}"#,
            "/SchemaVersion",
            "expected 2",
        ),
        (
            "hadolint",
            r#"[{"code": "DL1", "file": "D", "level": "fatal", "line": 1, "column": 1, "message": "m"}]"#,
            "/0/level",
            "expected error, warning, info or style",
        ),
        (
            "bandit",
            r#"{"results": [{"test_id": "B1", "issue_severity": "SEVERE"}], "metrics": {"_totals": {"SEVERITY.HIGH": 0}}}"#,
            "/results/0/issue_severity",
            "expected HIGH",
        ),
        (
            "semgrep",
            r#"{"errors": [], "paths": {"scanned": []}, "results": [{"check_id": "a", "extra": {"severity": "FATAL"}}]}"#,
            "/results/0/extra/severity",
            "expected ERROR",
        ),
    ];
    for (name, text, pointer, want) in values {
        let (at, msg) = parse_error(&format!("{name}.json"), text);
        assert_eq!(at, At::Pointer(pointer.into()), "{name}: {msg}");
        assert!(msg.contains(want), "{name}: {msg}");
    }
}

/// Trivy: PASS misconfigurations are dropped, EXCEPTION ones and `ModifiedFindings` (VEX,
/// `.trivyignore`) are suppressed; a suppressed secret keeps nothing of its match.
#[test]
fn trivy_suppressed_and_passed_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("trivy.json");
    std::fs::write(
        &p,
        r#"{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem", "Results": [
          {"Target": "main.tf", "Class": "config", "Type": "terraform", "Misconfigurations": [
            {"ID": "AVD-AWS-0086", "Title": "S3 public", "Severity": "HIGH", "Status": "FAIL", "CauseMetadata": {"StartLine": 3, "EndLine": 5}},
            {"ID": "AVD-AWS-0087", "Title": "S3 ok", "Severity": "HIGH", "Status": "PASS"},
            {"ID": "AVD-AWS-0088", "Title": "S3 excepted", "Severity": "LOW", "Status": "EXCEPTION"}]},
          {"Target": "go.mod", "Class": "lang-pkgs", "Type": "gomod",
           "ModifiedFindings": [
            {"Type": "vulnerability", "Status": "not_affected", "Statement": "vulnerable_code_not_in_execute_path", "Source": "vex.json",
             "Finding": {"VulnerabilityID": "CVE-2023-1", "PkgName": "golang.org/x/net", "InstalledVersion": "v0.1.0", "FixedVersion": "v0.7.0", "Severity": "CRITICAL"}},
            {"Type": "secret", "Status": "ignored", "Source": ".trivyignore",
             "Finding": {"RuleID": "github-pat", "Category": "GitHub", "Title": "GitHub Personal Access Token", "Severity": "CRITICAL", "StartLine": 2, "EndLine": 2, "Match": "token = ghp_abcdefghijklmnopqrstuvwxyz0123456789"}}]}]}"#,
    )
    .unwrap();
    let f = findings(&p, Format::TrivyJson);
    let rules: Vec<(&str, bool)> = f
        .items
        .iter()
        .map(|x| (x.rule.as_deref().unwrap(), x.suppressed))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("AVD-AWS-0086", false),
            ("AVD-AWS-0088", true),
            ("CVE-2023-1", true),
            ("github-pat", true)
        ]
    );
    let loc = f.items[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.line, loc.end_line),
        ("main.tf", 3, Some(5))
    );
    assert!(f.items[2].message.contains("not_affected"));
    assert_eq!(f.items[3].location.as_ref().unwrap().line, 2);
    assert_no_secret(
        &f,
        &["ghp_abcdefghijklmnopqrstuvwxyz0123456789".into()],
        "trivy",
    );
    let c = f.counts();
    assert_eq!((c.total, c.error, c.suppressed), (1, 1, 3));
}
