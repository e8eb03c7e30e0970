//! Tests: finding_formats (SARIF, ESLint, Ruff, Checkstyle, Pylint, mypy, cargo/clippy).
//!
//! Expected numbers come from the peers' expected files in `../shared/fixtures/` (parsed here),
//! from what the producing tool printed for the inline reports at the end of this file (quoted
//! next to each), or, for small hand-written inputs, from counting by hand (explained inline).

use crate::support::{json, read_as, read_in, shared};
use serde_json::Value;
use shipgate::ingest::{self, Format, PathResolver, Report};
use shipgate::model::{Category, Finding, Findings, Level, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// helpers

/// A temporary repository: `files` are created (empty) under it, `report` is written as `name`.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(files: &[&str]) -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "").expect("write");
        }
        Repo { dir }
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write report");
        p
    }

    /// Reads `content` as report `name`, paths resolved against this repository.
    fn findings(&self, name: &str, content: impl AsRef<[u8]>, format: Format) -> Findings {
        let p = self.write(name, content);
        let ing = read_in(&p, self.dir.path());
        assert_eq!(ing.format, format, "{name}: detected {:?}", ing.format);
        match ing.report {
            Report::Findings(f) => f,
            other => panic!("{name}: expected findings, got {other:?}"),
        }
    }

    /// The error reading `content` gives, as displayed.
    fn error(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.write(name, content);
        let res = PathResolver::new(self.dir.path());
        match ingest::read_path(&p, None, &res) {
            Ok(i) => panic!("{name}: expected an error, read {:?}", i.report.totals()),
            Err(e) => e.to_string(),
        }
    }
}

/// Findings of a report, paths resolved against an empty directory (so they stay as written,
/// made relative).
fn findings_at(path: &Path) -> Findings {
    let empty = tempfile::tempdir().expect("tempdir");
    match read_in(path, empty.path()).report {
        Report::Findings(f) => f,
        other => panic!("{}: expected findings, got {other:?}", path.display()),
    }
}

fn rules(f: &Findings) -> Vec<&str> {
    f.items.iter().filter_map(|x| x.rule.as_deref()).collect()
}

fn count_by<K: Ord>(f: &Findings, key: impl Fn(&Finding) -> K) -> BTreeMap<K, u64> {
    let mut m = BTreeMap::new();
    for x in &f.items {
        *m.entry(key(x)).or_insert(0) += 1;
    }
    m
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::None => "none",
    }
}

fn loc(f: &Finding) -> (String, u32, Option<u32>, Option<u32>, Option<u32>) {
    let l = f.location.as_ref().expect("a location");
    (l.path.clone(), l.line, l.column, l.end_line, l.end_column)
}

/// A finding's location as a sortable tuple.
type LocKey = Option<(String, u32, Option<u32>, Option<u32>, Option<u32>)>;

fn loc_key(f: &Finding) -> LocKey {
    f.location.as_ref().map(|_| loc(f))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// SARIF: peer pairs (../shared/fixtures/sarif-pairs)

#[test]
fn sarif_pairs_counts_levels_rules_and_locations() {
    let Some(dir) = shared("fixtures/sarif-pairs") else {
        return;
    };
    let cases = json(&dir.join("cases.json"));
    let mut checked = 0;
    for case in cases["pairs"].as_array().expect("pairs") {
        let Some(sarif) = case["sarif"].as_str() else {
            continue;
        };
        let path = dir.join(sarif);
        let expect = &case["expect"];
        assert!(matches!(read_as(&path, Format::Sarif), Report::Findings(_)));
        // Against an empty root, paths stay as the SARIF writes them (made relative).
        let f = findings_at(&path);
        let n = expect["results"].as_u64().expect("results");
        assert_eq!(f.items.len() as u64, n, "{sarif}: result count");
        assert_eq!(f.counts().total, n, "{sarif}: none suppressed");
        if let Some(want) = expect["rules"].as_array() {
            let mut got: Vec<&str> = rules(&f);
            got.sort();
            got.dedup();
            let want: Vec<&str> = want.iter().map(s).collect();
            assert_eq!(got, want, "{sarif}: rules");
        }
        let want_levels: Vec<&str> = expect["levels"]
            .as_array()
            .map(|a| a.iter().map(s).collect())
            .unwrap_or_default();
        let got_levels: Vec<&str> = f.items.iter().map(|x| level_name(x.level)).collect();
        if want_levels.is_empty() {
            // Semgrep's result has no level; its rule's defaultConfiguration.level is error
            // (cases.json: "it inherits the rule's defaultConfiguration.level 'error'");
            // gitleaks writes neither, so SARIF's default, warning, applies.
            let inherited = if case["tool"] == "semgrep" {
                "error"
            } else {
                "warning"
            };
            assert!(
                got_levels.iter().all(|l| *l == inherited),
                "{sarif}: {got_levels:?}"
            );
        } else {
            let mut distinct = got_levels.clone();
            distinct.dedup();
            assert_eq!(distinct, want_levels, "{sarif}: levels in result order");
        }
        // Locations: the SARIF's own first physical location of each result.
        let raw = json(&path);
        let results = raw["runs"][0]["results"].as_array().expect("results");
        for (x, r) in f.items.iter().zip(results) {
            let pl = &r["locations"][0]["physicalLocation"];
            let uri = s(&pl["artifactLocation"]["uri"]).trim_start_matches('/');
            let region = &pl["region"];
            let l = x.location.as_ref().expect("location");
            assert_eq!(l.path, uri, "{sarif}");
            assert_eq!(Some(l.line as u64), region["startLine"].as_u64(), "{sarif}");
            assert_eq!(
                l.column.map(u64::from),
                region["startColumn"].as_u64(),
                "{sarif}"
            );
            assert_eq!(
                l.end_column.map(u64::from),
                region["endColumn"].as_u64(),
                "{sarif}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 5, "trivy, grype ×2, gitleaks, semgrep");
}

#[test]
fn sarif_pairs_agree_with_the_native_reports() {
    let Some(dir) = shared("fixtures/sarif-pairs") else {
        return;
    };
    // Trivy: one SARIF result per vulnerability of the JSON, in order; MEDIUM → warning (README:
    // "CRITICAL/HIGH → error, MEDIUM → warning"), and security-severity 5.3 → medium band.
    let native = json(&dir.join("trivy/alpine-310.json.golden"));
    let vulns: Vec<&Value> = native["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .flat_map(|r| r["Vulnerabilities"].as_array().into_iter().flatten())
        .collect();
    let f = findings_at(&dir.join("trivy/alpine-310.sarif.golden"));
    assert_eq!(f.items.len(), vulns.len());
    for (x, v) in f.items.iter().zip(&vulns) {
        assert_eq!(x.rule.as_deref(), Some(s(&v["VulnerabilityID"])));
        assert!(x.message.contains(s(&v["PkgName"])), "{}", x.message);
        assert_eq!(s(&v["Severity"]), "MEDIUM");
        assert_eq!(x.level, Level::Warning);
        assert_eq!(x.severity, Some(Severity::Medium));
        assert_eq!(x.category, Category::Security);
        assert_eq!(x.tool, "Trivy");
        assert!(
            x.help_uri
                .as_deref()
                .is_some_and(|u| u.contains("avd.aquasec.com"))
        );
    }

    // Grype: matches in the JSON ↔ results; Low → note, Critical → error (README mapping).
    for (native, sarif) in [
        (
            "TestJsonImgsPresenter.golden",
            "TestSarifPresenter_image.golden",
        ),
        (
            "TestJsonDirsPresenter.golden",
            "TestSarifPresenter_directory.golden",
        ),
    ] {
        let native = json(&dir.join("grype/json/testdata/snapshot").join(native));
        let matches = native["matches"].as_array().expect("matches");
        let f = findings_at(&dir.join("grype/sarif/testdata/snapshot").join(sarif));
        assert_eq!(f.items.len(), matches.len(), "{sarif}");
        for (x, m) in f.items.iter().zip(matches) {
            let id = format!(
                "{}-{}",
                s(&m["vulnerability"]["id"]),
                s(&m["artifact"]["name"])
            );
            assert_eq!(x.rule.as_deref(), Some(id.as_str()), "{sarif}");
            let want = match s(&m["vulnerability"]["severity"]) {
                "Critical" | "High" => Level::Error,
                "Medium" => Level::Warning,
                _ => Level::Note,
            };
            assert_eq!(x.level, want, "{sarif}");
            assert_eq!(x.category, Category::Security);
            assert!(
                x.fingerprints
                    .iter()
                    .any(|(k, _)| k == "primaryLocationLineHash")
            );
        }
    }

    // gitleaks: the finding's rule, file and lines/columns.
    let native = json(&dir.join("gitleaks/json_simple.json"));
    let n = &native[0];
    let f = findings_at(&dir.join("gitleaks/sarif_simple.sarif"));
    assert_eq!(f.items.len(), 1);
    let x = &f.items[0];
    assert_eq!(x.rule.as_deref(), Some(s(&n["RuleID"])));
    assert_eq!(
        loc(x),
        (
            s(&n["File"]).to_string(),
            n["StartLine"].as_u64().expect("line") as u32,
            n["StartColumn"].as_u64().map(|c| c as u32),
            n["EndLine"].as_u64().map(|c| c as u32),
            n["EndColumn"].as_u64().map(|c| c as u32),
        )
    );
    // No level anywhere: SARIF's default. A secret scanner's results are security findings.
    assert_eq!(x.level, Level::Warning);
    assert_eq!(x.category, Category::Security);
    let fp: BTreeMap<&str, &str> = x
        .fingerprints
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(fp.get("commitSha"), Some(&s(&n["Commit"])));

    // Semgrep: check_id, path, start/end of the JSON result; helpUri from the rule.
    let native = json(&dir.join("semgrep/test_output_format/--json/results.out"));
    let r = &native["results"][0];
    let f = findings_at(&dir.join("semgrep/test_output_format/--sarif/results.out"));
    assert_eq!(
        f.items.len(),
        native["results"].as_array().map_or(0, Vec::len)
    );
    let x = &f.items[0];
    assert_eq!(x.rule.as_deref(), Some(s(&r["check_id"])));
    assert_eq!(
        loc(x),
        (
            s(&r["path"]).to_string(),
            r["start"]["line"].as_u64().expect("line") as u32,
            r["start"]["col"].as_u64().map(|c| c as u32),
            r["end"]["line"].as_u64().map(|c| c as u32),
            r["end"]["col"].as_u64().map(|c| c as u32),
        )
    );
    assert_eq!(x.message, s(&r["extra"]["message"]));
    assert_eq!(x.level, Level::Error);
    assert!(x.fingerprints.iter().any(|(k, _)| k == "matchBasedId/v1"));
    assert!(x.help_uri.is_some());
}

// ---------------------------------------------------------------------------------------------
// SARIF: the SARIF SDK's validation and converter data (../shared/fixtures/sarif-validation)

/// Results of every run of a SARIF file, counted from the raw JSON.
fn raw_results(v: &Value) -> Vec<&Value> {
    v["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["results"].as_array().into_iter().flatten())
        .collect()
}

#[test]
fn sarif_validation_inputs_all_read() {
    let Some(dir) = shared("fixtures/sarif-validation/validate/Inputs") else {
        return;
    };
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("read_dir") {
        let path = e.expect("entry").path();
        let raw = json(&path);
        let Report::Findings(f) = read_as(&path, Format::Sarif) else {
            unreachable!()
        };
        // None of these inputs has kind, baselineState or suppressions: one finding each.
        assert_eq!(f.items.len(), raw_results(&raw).len(), "{}", path.display());
        n += 1;
    }
    assert_eq!(n, 14, "GH1001–GH1007, Valid and Invalid");

    // GH1007 Invalid: a message given only by id and arguments.
    let f = findings_at(&dir.join("GH1007.ProvideFullyFormattedMessageStrings_Invalid.sarif"));
    assert_eq!(
        f.items[0].message,
        "'123456789' is an apparent access token of 'Alibaba Cloud service'."
    );
    // GH1006 Valid: absolute file:// URIs under the invocation's working directory.
    let f = findings_at(&dir.join("GH1006.ProvideCheckoutPath_Valid.sarif"));
    assert_eq!(
        f.items[0].location.as_ref().map(|l| l.path.as_str()),
        Some("file.cs")
    );
    // GH1005 Invalid: an https URI is kept as written.
    let f = findings_at(&dir.join("GH1005.LocationsMustBeRelativeUrisOrFilePaths_Invalid.sarif"));
    assert!(
        f.items[0]
            .location
            .as_ref()
            .is_some_and(|l| l.path.starts_with("https://")),
        "{:?}",
        f.items[0].location
    );
}

#[test]
fn sarif_validation_expected_outputs_match_cases() {
    let Some(dir) = shared("fixtures/sarif-validation") else {
        return;
    };
    let cases = json(&dir.join("cases.json"));
    let mut checked = 0;
    for case in cases["validate_cases"].as_array().expect("validate_cases") {
        let out = dir.join(s(&case["expected_output"]));
        let f = findings_at(&out);
        let want = case["expected_results"]
            .as_array()
            .expect("expected_results");
        assert_eq!(f.items.len(), want.len(), "{}", out.display());
        for (x, w) in f.items.iter().zip(want) {
            assert_eq!(x.rule.as_deref(), Some(s(&w["ruleId"])));
            assert_eq!(level_name(x.level), s(&w["level"]));
            let l = x.location.as_ref().expect("location");
            assert_eq!(
                Some(u64::from(l.line)),
                w["line"].as_u64(),
                "{}",
                out.display()
            );
            assert_eq!(l.column.map(u64::from), w["column"].as_u64());
            // The message comes from the rule's messageStrings with the arguments filled in.
            let first = s(&w["arguments"][0]);
            assert!(x.message.contains(first), "{:?} lacks {first:?}", x.message);
            assert!(!x.message.contains("{0}"), "{:?}", x.message);
            assert!(x.help_uri.is_some());
            checked += 1;
        }
    }
    // cases.json: 6 + 1 + 3 + 6 + 2 + 2 + 1 expected results over the Invalid cases.
    assert_eq!(checked, 21);
}

#[test]
fn sarif_converter_goldens_read() {
    let Some(dir) = shared("fixtures/sarif-validation/converters") else {
        return;
    };
    let cases = json(&dir.join("../cases.json"));
    let mut files = 0;
    for case in cases["converter_cases"]
        .as_array()
        .expect("converter_cases")
    {
        let Some(exp) = case["expected"].as_str() else {
            continue;
        };
        let path = dir.join("..").join(exp);
        if !path.exists() {
            continue;
        }
        let raw = json(&path);
        let results = raw_results(&raw);
        let f = findings_at(&path);
        assert_eq!(f.items.len(), results.len(), "{exp}");
        for (x, r) in f.items.iter().zip(&results) {
            if let Some(l) = r["level"].as_str() {
                assert_eq!(level_name(x.level), l, "{exp}");
            }
            assert_eq!(x.rule.as_deref(), r["ruleId"].as_str(), "{exp}");
        }
        files += 1;
    }
    assert!(files >= 8, "converter goldens read: {files}");
}

#[test]
fn pylint_native_input_matches_the_sdk_conversion() {
    let Some(dir) = shared("fixtures/sarif-validation/converters/ConverterTestData/Pylint") else {
        return;
    };
    // The input is UTF-16LE with a BOM (pylint run under PowerShell): read as it is.
    let bytes = std::fs::read(dir.join("Pylint-01.json")).expect("read");
    assert_eq!(&bytes[..2], b"\xFF\xFE");
    let repo = Repo::new(&[]);
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("utf-16");
    let f = repo.findings("pylint.json", text, Format::PylintJson);
    let raw = repo.findings("utf16.json", &bytes, Format::PylintJson);
    assert_eq!(raw, f, "UTF-16 read directly equals the UTF-8 conversion");

    let sarif = json(&dir.join("Pylint-01.json.sarif"));
    let want = raw_results(&sarif);
    assert_eq!(f.items.len(), 72);
    assert_eq!(f.items.len(), want.len());
    for (x, w) in f.items.iter().zip(&want) {
        // The SDK names rules "C0301(line-too-long)": message id, then the symbol we keep.
        let id = s(&w["ruleId"]);
        let rule = x.rule.as_deref().expect("rule");
        assert!(id.ends_with(&format!("({rule})")), "{id} vs {rule}");
        let level = match id.as_bytes().first() {
            Some(b'E' | b'F') => Level::Error,
            Some(b'W') => Level::Warning,
            _ => Level::Note,
        };
        assert_eq!(x.level, level, "{id}");
        assert_eq!(x.message, s(&w["message"]["text"]), "{id}");
        let region = &w["locations"][0]["physicalLocation"]["region"];
        assert_eq!(Some(u64::from(loc(x).1)), region["startLine"].as_u64());
        assert_eq!(loc(x).0, "test.py");
    }
}

// ---------------------------------------------------------------------------------------------
// SARIF: hand-written

#[test]
fn sarif_kinds_levels_rules_and_messages() {
    // Counted by hand: 9 results; pass, notApplicable, informational and a baseline-absent one
    // are dropped (4); review → none; the rest: error (explicit), warning (rule default via
    // ruleIndex), note (rule default via id), warning (no level anywhere), error (rule from an
    // extension through rule.toolComponent.index).
    let sarif = r#"{"version":"2.1.0","runs":[{
      "tool":{"driver":{"name":"CodeQL","rules":[
          {"id":"js/a","defaultConfiguration":{"level":"warning"},"helpUri":"https://h/a",
           "messageStrings":{"m":{"text":"{0} flows to {1} {{literally}}"}}},
          {"id":"js/b","defaultConfiguration":{"level":"note"}}]},
        "extensions":[{"name":"pack","rules":[{"id":"x/c","defaultConfiguration":{"level":"error"},
          "properties":{"tags":["maintainability"]}}]}]},
      "results":[
        {"ruleId":"js/a","kind":"pass","message":{"text":"p"}},
        {"ruleId":"js/a","kind":"notApplicable","message":{"text":"p"}},
        {"ruleId":"js/a","kind":"informational","message":{"text":"p"}},
        {"ruleId":"js/a","baselineState":"absent","level":"error","message":{"text":"gone"}},
        {"ruleId":"js/a","kind":"review","message":{"text":"look"}},
        {"ruleId":"js/b","level":"error","message":{"text":"explicit"}},
        {"ruleIndex":0,"message":{"id":"m","arguments":["x","y"]}},
        {"ruleId":"js/b","message":{"markdown":"**md**"}},
        {"ruleId":"unknown","message":{"text":"default"}},
        {"rule":{"id":"x/c","index":0,"toolComponent":{"index":0}},"message":{"text":"ext"}}
      ]}]}"#;
    let f = Repo::new(&[]).findings("a.sarif", sarif, Format::Sarif);
    let got: Vec<(Option<&str>, Level, &str)> = f
        .items
        .iter()
        .map(|x| (x.rule.as_deref(), x.level, x.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("js/a"), Level::None, "look"),
            (Some("js/b"), Level::Error, "explicit"),
            (Some("js/a"), Level::Warning, "x flows to y {literally}"),
            (Some("js/b"), Level::Note, "**md**"),
            (Some("unknown"), Level::Warning, "default"),
            (Some("x/c"), Level::Error, "ext"),
        ]
    );
    assert_eq!(f.items[2].help_uri.as_deref(), Some("https://h/a"));
    assert!(f.items.iter().all(|x| x.tool == "CodeQL"));
    assert!(f.items.iter().all(|x| x.category == Category::Lint));
    let c = f.counts();
    assert_eq!(
        (c.total, c.error, c.warning, c.note, c.none),
        (6, 2, 2, 1, 1)
    );
}

#[test]
fn sarif_locations_suppressions_security_and_notifications() {
    // src/a b.js exists; the URI is percent-encoded under a base defined through another base.
    let repo = Repo::new(&["src/a b.js", "lib/c.py"]);
    let root = repo.dir.path().to_string_lossy().replace('\\', "/");
    let sarif = format!(
        r#"{{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{{
      "tool":{{"driver":{{"name":"scanner","rules":[
          {{"id":"S1","properties":{{"security-severity":"9.8","tags":["x"]}}}},
          {{"id":"S2","properties":{{"tags":["Security"]}}}}]}}}},
      "originalUriBaseIds":{{"ROOT":{{"uri":"file://{root}/"}},"SRC":{{"uri":"src/","uriBaseId":"ROOT"}}}},
      "artifacts":[{{"location":{{"uri":"lib/c.py","uriBaseId":"%SRCROOT%"}}}}],
      "results":[
        {{"ruleId":"S1","message":{{"text":"a"}},"locations":[{{"physicalLocation":{{
           "artifactLocation":{{"uri":"a%20b.js","uriBaseId":"SRC"}},
           "region":{{"startLine":3,"startColumn":2,"endLine":4,"endColumn":9}}}}}}],
         "suppressions":[{{"kind":"inSource","status":"rejected"}}]}},
        {{"ruleId":"S2","message":{{"text":"b"}},"locations":[{{"physicalLocation":{{
           "artifactLocation":{{"index":0}},"region":{{"startLine":7}}}}}}],
         "suppressions":[{{"kind":"external","status":"rejected"}},{{"kind":"inSource"}}],
         "partialFingerprints":{{"primaryLocationLineHash":"abc:1"}},"fingerprints":{{"v1":"f"}}}},
        {{"ruleId":"S3","message":{{"text":"c"}},"properties":{{"security-severity":4.0}}}},
        {{"ruleId":"S4","message":{{"text":"d"}},"suppressions":[]}}
      ],
      "invocations":[{{"executionSuccessful":false,
        "toolExecutionNotifications":[
          {{"level":"error","message":{{"text":"could not parse"}},"descriptor":{{"id":"E1"}},
            "locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"file://{root}/lib/c.py"}},"region":{{"startLine":1}}}}}}]}},
          {{"level":"note","message":{{"text":"scanned 2 files"}}}}],
        "toolConfigurationNotifications":[{{"message":{{"text":"odd option"}}}}]}}]
    }}]}}"#
    );
    let f = repo.findings("s.sarif", sarif, Format::Sarif);
    assert_eq!(
        f.items.len(),
        6,
        "4 results + 2 notifications (the note is dropped)"
    );
    let a = &f.items[0];
    assert_eq!(
        loc(a),
        ("src/a b.js".to_string(), 3, Some(2), Some(4), Some(9))
    );
    assert!(!a.suppressed, "every suppression rejected: not suppressed");
    assert_eq!(a.severity, Some(Severity::Critical));
    assert_eq!(a.category, Category::Security);
    let b = &f.items[1];
    assert_eq!(loc(b), ("lib/c.py".to_string(), 7, None, None, None));
    assert!(b.suppressed, "one suppression not rejected");
    assert_eq!(b.severity, None);
    assert_eq!(b.category, Category::Security, "tag security, any case");
    assert_eq!(
        b.fingerprints,
        vec![
            ("v1".to_string(), "f".to_string()),
            ("primaryLocationLineHash".to_string(), "abc:1".to_string())
        ]
    );
    let c = &f.items[2];
    assert_eq!(
        c.severity,
        Some(Severity::Medium),
        "4.0 is the medium band's floor"
    );
    assert!(c.location.is_none());
    assert_eq!(f.items[3].category, Category::Lint);
    assert!(
        !f.items[3].suppressed,
        "an empty suppressions array suppresses nothing"
    );
    let n = &f.items[4];
    assert_eq!(
        (n.rule.as_deref(), n.level, n.category, n.message.as_str()),
        (Some("E1"), Level::Error, Category::Build, "could not parse")
    );
    assert_eq!(loc(n).0, "lib/c.py");
    assert_eq!(
        f.items[5].level,
        Level::Warning,
        "a notification's default level"
    );
    let c = f.counts();
    assert_eq!((c.total, c.error, c.warning, c.suppressed), (5, 1, 4, 1));
}

#[test]
fn sarif_null_and_empty_runs() {
    let repo = Repo::new(&[]);
    let f = repo.findings(
        "n.sarif",
        r#"{"version":"2.1.0","runs":null}"#,
        Format::Sarif,
    );
    assert!(f.items.is_empty());
    let f = repo.findings(
        "e.sarif",
        r#"{"version":"2.1.0","$schema":"sarif","runs":[{"tool":{"driver":{"name":"t"}},"results":null}]}"#,
        Format::Sarif,
    );
    assert!(f.items.is_empty());
}

#[test]
fn sarif_errors_say_where_and_what() {
    let repo = Repo::new(&[]);
    let e = repo.error(
        "l.sarif",
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"x"}},{"level":"fatal","message":{"text":"x"}}]}]}"#,
    );
    assert!(e.contains("/runs/0/results/1/level"), "{e}");
    assert!(e.contains("expected error, warning, note or none"), "{e}");
    let e = repo.error(
        "v.sarif",
        r#"{"$schema":"http://json.schemastore.org/sarif-1.0.0","version":"1.0.0","runs":[]}"#,
    );
    assert!(e.contains("expected 2.1.0"), "{e}");
    let e = repo.error(
        "t.sarif",
        "{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"message\":",
    );
    assert!(e.contains("truncated") && e.contains("1:"), "{e}");
    let e = repo.error(
        "x.sarif",
        r#"{"version":"2.1.0","runs":[{"results":[{"locations":[{"physicalLocation":{"region":{"startLine":"three"}}}]}]}]}"#,
    );
    assert!(e.contains("invalid SARIF JSON") && e.contains(":1:"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// ESLint

#[test]
fn eslint_json_counts_equal_eslints_own() {
    // ESLINT_JSON is a real `eslint -f json src` run (ESLint 10.15). Its stylish output:
    //   ✖ 11 problems (7 errors, 4 warnings)
    // with 2 more problems disabled by comments.
    let repo = Repo::new(&["src/a.js", "src/broken.js", "src/sp ace.js"]);
    let f = repo.findings("eslint.json", ESLINT_JSON, Format::EslintJson);
    let raw: Value = serde_json::from_str(ESLINT_JSON).expect("json");
    let sum = |k: &str| -> u64 {
        raw.as_array()
            .expect("array")
            .iter()
            .map(|x| x[k].as_u64().expect("count"))
            .sum()
    };
    let c = f.counts();
    assert_eq!(
        (c.error, c.warning),
        (sum("errorCount"), sum("warningCount"))
    );
    assert_eq!((c.total, c.error, c.warning, c.suppressed), (11, 7, 4, 2));
    // The parse error: null rule, fatal → build.
    let fatal: Vec<&Finding> = f
        .items
        .iter()
        .filter(|x| x.category == Category::Build)
        .collect();
    assert_eq!(fatal.len() as u64, sum("fatalErrorCount"));
    assert_eq!(fatal[0].rule, None);
    assert_eq!(loc(fatal[0]).0, "src/broken.js");
    // The unused eslint-disable directive: ESLint's own warning, no rule.
    let unused = f
        .items
        .iter()
        .find(|x| x.message.starts_with("Unused eslint-disable"))
        .expect("directive warning");
    assert_eq!(
        (unused.rule.as_deref(), unused.level),
        (None, Level::Warning)
    );
    // Paths from another machine land on the repository's files.
    let eq = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("eqeqeq"))
        .expect("eqeqeq");
    assert_eq!(
        loc(eq),
        ("src/a.js".to_string(), 2, Some(7), Some(2), Some(9))
    );
    assert_eq!(
        eq.help_uri.as_deref(),
        Some("https://eslint.org/docs/latest/rules/eqeqeq")
    );
    assert!(f.items.iter().any(|x| loc(x).0 == "src/sp ace.js"));
    let supp: Vec<&str> = f
        .items
        .iter()
        .filter(|x| x.suppressed)
        .filter_map(|x| x.rule.as_deref())
        .collect();
    assert_eq!(supp, vec!["no-undef", "no-console"]);
}

#[test]
fn eslint_sarif_counts_the_same_problems_as_eslint_json() {
    // ESLINT_SARIF is the same run through @microsoft/eslint-formatter-sarif: 11 results (2 of
    // them suppressed) + the two null-rule messages as toolConfigurationNotifications.
    let repo = Repo::new(&["src/a.js", "src/broken.js", "src/sp ace.js"]);
    let sarif = repo.findings("eslint.sarif", ESLINT_SARIF, Format::Sarif);
    let json = repo.findings("eslint.json", ESLINT_JSON, Format::EslintJson);
    let (a, b) = (sarif.counts(), json.counts());
    assert_eq!(
        (a.total, a.error, a.warning, a.suppressed),
        (b.total, b.error, b.warning, b.suppressed)
    );
    // Same locations for the results (the SARIF's are percent-encoded file:// URIs).
    let key = |x: &Finding| (x.rule.clone(), loc_key(x), x.suppressed);
    let mut s: Vec<_> = sarif
        .items
        .iter()
        .filter(|x| x.rule.as_deref() != Some("ESL0999"))
        .map(key)
        .collect();
    let mut j: Vec<_> = json
        .items
        .iter()
        .filter(|x| x.rule.is_some())
        .map(key)
        .collect();
    s.sort();
    j.sort();
    assert_eq!(s, j);
}

#[test]
fn eslint_json_with_metadata_and_plugins() {
    // Hand-written json-with-metadata: 1 error + 1 warning; docs URLs from rulesMeta.
    let report = r#"{"results":[{"filePath":"/ci/ws/src/x.ts","messages":[
        {"ruleId":"@typescript-eslint/no-explicit-any","severity":2,"message":"Unexpected any.","line":3,"column":10,"endLine":3,"endColumn":13},
        {"ruleId":"security/detect-eval-with-expression","severity":1,"message":"eval","line":9,"column":1}],
        "suppressedMessages":[],"errorCount":1,"fatalErrorCount":0,"warningCount":1}],
      "metadata":{"cwd":"/ci/ws","rulesMeta":{"@typescript-eslint/no-explicit-any":{"type":"suggestion",
        "docs":{"url":"https://typescript-eslint.io/rules/no-explicit-any"}}}}}"#;
    let repo = Repo::new(&["src/x.ts"]);
    let f = repo.findings("meta.json", report, Format::EslintJson);
    assert_eq!(f.items.len(), 2);
    assert_eq!(
        f.items[0].help_uri.as_deref(),
        Some("https://typescript-eslint.io/rules/no-explicit-any")
    );
    assert_eq!(loc(&f.items[0]).0, "src/x.ts");
    assert_eq!(f.items[1].help_uri, None, "a plugin rule without metadata");
    assert_eq!(f.items[1].category, Category::Security);
    assert_eq!(f.items[1].location.as_ref().and_then(|l| l.end_line), None);
}

#[test]
fn eslint_bad_input() {
    let repo = Repo::new(&[]);
    let e = repo.error(
        "e.json",
        r#"[{"filePath":"a.js","messages":[{"ruleId":"x","severity":3,"message":"m"}]}]"#,
    );
    assert!(
        e.contains("/0/messages/0/severity") && e.contains("expected 1"),
        "{e}"
    );
    let e = repo.error(
        "t.json",
        r#"[{"filePath":"a.js","messages":[{"ruleId":"x","#,
    );
    assert!(e.contains("truncated"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Ruff

#[test]
fn ruff_json_counts_equal_ruffs_own() {
    // RUFF_JSON is a real `ruff check --output-format=json pkg` run (Ruff 0.17.6). Ruff printed
    //   Found 15 errors.
    // and `ruff check --statistics pkg`:
    //   3 F401, 3 F841, 2 (no code) invalid-syntax, 2 F821, 2 I001, 1 UP035, 1 N999, 1 UP006
    let repo = Repo::new(&["pkg/a.py", "pkg/bad.py", "pkg/unic ode.py"]);
    let f = repo.findings("ruff.json", RUFF_JSON, Format::RuffJson);
    let c = f.counts();
    assert_eq!((c.total, c.error), (15, 15));
    let by_rule = count_by(&f, |x| x.rule.clone().unwrap_or_default());
    let want: BTreeMap<String, u64> = [
        ("F401", 3),
        ("F841", 3),
        ("invalid-syntax", 2),
        ("F821", 2),
        ("I001", 2),
        ("UP035", 1),
        ("N999", 1),
        ("UP006", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(by_rule, want);
    let syntax: Vec<&Finding> = f
        .items
        .iter()
        .filter(|x| x.category == Category::Build)
        .collect();
    assert_eq!(syntax.len(), 2);
    assert_eq!(
        loc(syntax[0]),
        ("pkg/bad.py".to_string(), 1, Some(12), Some(1), Some(13))
    );
    let f401 = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("F401"))
        .expect("F401");
    assert_eq!(
        f401.help_uri.as_deref(),
        Some("https://docs.astral.sh/ruff/rules/unused-import")
    );
    assert_eq!(
        loc(f401),
        ("pkg/a.py".to_string(), 1, Some(8), Some(1), Some(10))
    );
}

#[test]
fn ruff_older_shapes_and_empty_output() {
    // Older Ruff: a syntax error has code null; S-rules are flake8-bandit. 2 findings, both errors.
    let report = r#"[
      {"code":null,"message":"SyntaxError: Expected an expression","filename":"/w/app/x.py",
       "location":{"row":2,"column":5},"end_location":{"row":2,"column":6},"fix":null,"noqa_row":null,"url":null},
      {"code":"S101","message":"Use of `assert` detected","filename":"/w/app/x.py",
       "location":{"row":4,"column":1},"end_location":{"row":4,"column":7},"fix":null,"noqa_row":4,
       "url":"https://docs.astral.sh/ruff/rules/assert"}]"#;
    let repo = Repo::new(&["x.py"]);
    let f = repo.findings("r.json", report, Format::RuffJson);
    assert_eq!(
        f.items
            .iter()
            .map(|x| (x.rule.as_deref(), x.level, x.category))
            .collect::<Vec<_>>(),
        vec![
            (None, Level::Error, Category::Build),
            (Some("S101"), Level::Error, Category::Security)
        ]
    );
    assert_eq!(loc(&f.items[1]).0, "x.py");
    // No problem at all: Ruff prints `[]`.
    let f = repo.findings("empty.json", "[]\n", Format::EmptyJsonArray);
    assert!(f.items.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Pylint

#[test]
fn pylint_json2_counts_equal_its_statistics() {
    // PYLINT_JSON2 is a real `pylint --output-format=json2 pkg` run (Pylint 4.1.4).
    let repo = Repo::new(&["pkg/a.py", "pkg/bad.py", "pkg/unic ode.py"]);
    let f = repo.findings("pylint2.json", PYLINT_JSON2, Format::PylintJson2);
    let raw: Value = serde_json::from_str(PYLINT_JSON2).expect("json");
    let t = &raw["statistics"]["messageTypeCount"];
    let n = |k: &str| t[k].as_u64().expect("count");
    let c = f.counts();
    assert_eq!(c.error, n("fatal") + n("error"));
    assert_eq!(c.warning, n("warning"));
    assert_eq!(c.note, n("refactor") + n("convention") + n("info"));
    assert_eq!(c.total, 23);
    // Pylint's text output for the same code: "pkg/unic ode.py:3:11: E0602: Undefined variable
    // 'undefined_name' (undefined-variable)" — its columns are 0-based, ours 1-based.
    let undef = f
        .items
        .iter()
        .find(|x| x.message.contains("'undefined_name'"))
        .expect("E0602");
    assert_eq!(undef.rule.as_deref(), Some("undefined-variable"));
    assert_eq!(loc(undef).0, "pkg/unic ode.py");
    assert_eq!((loc(undef).1, loc(undef).2), (3, Some(12)));
    // "pkg/bad.py:1:12: E0001: Parsing failed: ... (syntax-error)": Pylint could not analyse it.
    let syntax = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("syntax-error"))
        .expect("E0001");
    assert_eq!(
        (syntax.level, syntax.category),
        (Level::Error, Category::Build)
    );
}

#[test]
fn pylint_json_matches_json2() {
    // PYLINT_JSON: the same code through `--output-format=json`: the same 23 messages.
    let repo = Repo::new(&["pkg/a.py", "pkg/bad.py", "pkg/unic ode.py"]);
    let old = repo.findings("pylint.json", PYLINT_JSON, Format::PylintJson);
    let new = repo.findings("pylint2.json", PYLINT_JSON2, Format::PylintJson2);
    assert_eq!(old.counts(), new.counts());
    let key = |x: &Finding| (x.rule.clone(), x.level, loc_key(x), x.message.clone());
    let mut a: Vec<_> = old.items.iter().map(key).collect();
    let mut b: Vec<_> = new.items.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // Text output "pkg/a.py:4:16: W0613: Unused argument 'b' (unused-argument)".
    let w = old
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("unused-argument"))
        .expect("W0613");
    assert_eq!(
        (loc(w).0.as_str(), loc(w).1, loc(w).2),
        ("pkg/a.py", 4, Some(17))
    );
}

#[test]
fn pylint_bad_type_is_an_error() {
    let repo = Repo::new(&[]);
    let e = repo.error(
        "p.json",
        r#"[{"type":"severe","module":"m","obj":"","line":1,"column":0,"path":"m.py","symbol":"s","message":"x","message-id":"X0001"}]"#,
    );
    assert!(e.contains("/0/type") && e.contains("expected fatal"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// mypy

#[test]
fn mypy_error_count_equals_found_n_errors() {
    // MYPY_A: `mypy --output json pkg/a.py "pkg/unic ode.py"` (mypy 2.4.1); the text run printed
    //   pkg/a.py:6:16:6:18: error: Unsupported operand types for + ("int" and "str")  [operator]
    //   pkg/a.py:10:17:10:17: note: Revealed type is "list[int]"
    //   ...
    //   Found 4 errors in 1 file (checked 2 source files)
    let repo = Repo::new(&["pkg/a.py"]);
    let f = repo.findings("mypy.json", MYPY_A, Format::MypyJson);
    let c = f.counts();
    assert_eq!((c.total, c.error, c.note), (5, 4, 1));
    assert!(
        f.items
            .iter()
            .all(|x| x.category == Category::Type && x.tool == "mypy")
    );
    // mypy's JSON columns are 0-based (15 for the text's 16); ends are exclusive here.
    assert_eq!(
        loc(&f.items[0]),
        ("pkg/a.py".to_string(), 6, Some(16), Some(6), Some(19))
    );
    assert_eq!(f.items[1].level, Level::Note);
    assert_eq!(f.items[1].rule.as_deref(), Some("misc"));

    // MYPY_N: `mypy --output json n.py`; text run: "Found 5 errors in 1 file (checked 1 source
    // file)", with 7 note lines that all explain an error and are its JSON "hint".
    let f = repo.findings("mypy-n.json", MYPY_N, Format::MypyJson);
    let c = f.counts();
    assert_eq!((c.total, c.error, c.note), (5, 5, 0));
    assert!(
        f.items[2]
            .message
            .ends_with("Consider using \"Sequence\" instead, which is covariant"),
        "{}",
        f.items[2].message
    );
    assert_eq!(
        f.items[1].message.lines().count(),
        1,
        "no hint, nothing appended"
    );

    // `mypy pkg` stops at a syntax error: "Found 2 errors in 1 file (errors prevented further
    // checking)"; both are code "syntax".
    let f = repo.findings("mypy-s.json", MYPY_SYNTAX, Format::MypyJson);
    assert_eq!(f.counts().error, 2);
    assert!(f.items.iter().all(|x| x.category == Category::Build));
}

#[test]
fn mypy_skips_plain_lines_and_places_errors() {
    let repo = Repo::new(&[]);
    let mixed = format!(
        "{}\nSuccess: no issues found in 1 source file\n",
        MYPY_SYNTAX.trim()
    );
    let f = repo.findings("m.json", mixed, Format::MypyJson);
    assert_eq!(f.items.len(), 2);
    let bad = format!(
        "{}\n{{\"file\": \"x.py\", \"line\": 1, \"message\": \"m\", \"severity\": \"fatal\"}}\n",
        MYPY_SYNTAX.trim()
    );
    let e = repo.error("b.json", bad);
    assert!(
        e.contains(":3:1:") && e.contains("expected error or note"),
        "{e}"
    );
    let cut = &MYPY_A[..MYPY_A.len() - 40];
    let e = repo.error("c.json", cut);
    assert!(e.contains(":5:") && e.contains("truncated"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// cargo / clippy

#[test]
fn clippy_workspace_counts_like_cargo() {
    // CLIPPY_JSON: `cargo clippy --all-targets --message-format=json` in a workspace with one
    // member at crates/alpha (lib, bin, integration test). The human run printed:
    //   warning: `alpha` (lib) generated 4 warnings
    //   warning: `alpha` (lib test) generated 4 warnings (4 duplicates)
    //   warning: `alpha` (bin "alpha") generated 1 warning
    //   warning: `alpha` (test "it") generated 1 warning
    //   warning: `alpha` (bin "alpha" test) generated 1 warning (1 duplicate)
    // → 4 + 1 + 1 distinct warnings.
    let repo = Repo::new(&[
        "crates/alpha/src/lib.rs",
        "crates/alpha/src/main.rs",
        "crates/alpha/tests/it.rs",
    ]);
    let f = repo.findings("clippy.json", CLIPPY_JSON, Format::CargoJson);
    let c = f.counts();
    assert_eq!((c.total, c.warning, c.error), (6, 6, 0));
    let by_tool = count_by(&f, |x| (x.tool.clone(), x.category == Category::Lint));
    assert_eq!(by_tool.get(&("clippy".to_string(), true)), Some(&2));
    assert_eq!(by_tool.get(&("rustc".to_string(), false)), Some(&4));
    let ret = f
        .items
        .iter()
        .find(|x| x.rule.as_deref() == Some("clippy::needless_return"))
        .expect("needless_return");
    assert_eq!(
        loc(ret),
        (
            "crates/alpha/src/lib.rs".to_string(),
            3,
            Some(5),
            Some(3),
            Some(17)
        )
    );
    assert_eq!(
        ret.help_uri.as_deref(),
        Some("https://rust-lang.github.io/rust-clippy/master/index.html#needless_return")
    );
    let paths: std::collections::BTreeSet<String> = f.items.iter().map(|x| loc(x).0).collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        vec![
            "crates/alpha/src/lib.rs",
            "crates/alpha/src/main.rs",
            "crates/alpha/tests/it.rs"
        ]
    );
}

#[test]
fn cargo_build_errors_and_summaries() {
    // BUILD_ERR_JSON: `cargo build --message-format=json` of the same crate with a type error in
    // main.rs. The human run printed:
    //   warning: `alpha` (lib) generated 2 warnings
    //   error[E0308]: mismatched types
    //   error: could not compile `alpha` (bin "alpha") due to 1 previous error; 1 warning emitted
    // and "For more information about this error, try `rustc --explain E0308`." (a failure-note).
    let repo = Repo::new(&["crates/alpha/src/lib.rs", "crates/alpha/src/main.rs"]);
    let f = repo.findings("build.json", BUILD_ERR_JSON, Format::CargoJson);
    let c = f.counts();
    assert_eq!((c.error, c.warning, c.note), (1, 3, 0));
    let e = f
        .items
        .iter()
        .find(|x| x.level == Level::Error)
        .expect("error");
    assert_eq!(e.rule.as_deref(), Some("E0308"));
    assert_eq!(e.category, Category::Build);
    assert_eq!(
        e.help_uri.as_deref(),
        Some("https://doc.rust-lang.org/error_codes/E0308.html")
    );
    assert_eq!(loc(e).0, "crates/alpha/src/main.rs");

    // Hand-written: plain text lines and summaries are skipped; a span-less linker error is
    // kept; a single-package crate's relative paths are under the package directory.
    let lines = [
        r#"{"reason":"compiler-message","manifest_path":"/build/app/Cargo.toml","message":{"rendered":"warning: x\n","level":"warning","message":"x","code":null,"spans":[{"file_name":"src/lib.rs","line_start":1,"line_end":1,"column_start":1,"column_end":2,"is_primary":true}]}}"#,
        "   Compiling app v0.1.0 (/build/app)",
        r#"{"reason":"compiler-message","manifest_path":"/build/app/Cargo.toml","message":{"rendered":"warning: 1 warning emitted\n","level":"warning","message":"1 warning emitted","code":null,"spans":[]}}"#,
        r#"{"reason":"compiler-message","manifest_path":"/build/app/Cargo.toml","message":{"rendered":"error: linking with `cc` failed\n","level":"error","message":"linking with `cc` failed: exit status: 1","code":null,"spans":[]}}"#,
        r#"{"reason":"compiler-message","manifest_path":"/build/app/Cargo.toml","message":{"rendered":"error: aborting due to 1 previous error\n","level":"error","message":"aborting due to 1 previous error","code":null,"spans":[]}}"#,
        r#"{"reason":"build-finished","success":false}"#,
    ];
    let repo = Repo::new(&["src/lib.rs"]);
    let f = repo.findings("c.json", lines.join("\n"), Format::CargoJson);
    assert_eq!(f.items.len(), 2);
    assert_eq!(loc(&f.items[0]).0, "src/lib.rs");
    assert_eq!(f.items[1].level, Level::Error);
    assert!(f.items[1].location.is_none());
}

#[test]
fn cargo_truncated_line_is_an_error() {
    let repo = Repo::new(&[]);
    let cut = CLIPPY_JSON.get(..600).expect("an ASCII prefix");
    let e = repo.error("cut.json", cut);
    assert!(e.contains(":1:") && e.contains("truncated"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Checkstyle

#[test]
fn checkstyle_counts_equal_checkstyles_own() {
    // CHECKSTYLE_XML: `checkstyle -c /usr/share/checkstyle/sun_checks.xml -f xml src` (Checkstyle
    // 8.36.1), whose plain run printed "Checkstyle ends with 13 errors."
    let repo = Repo::new(&["src/com/x/A.java"]);
    let f = repo.findings("cs.xml", CHECKSTYLE_XML, Format::Checkstyle);
    let c = f.counts();
    assert_eq!((c.total, c.error), (13, 13));
    // The console shows "[ERROR] /tmp/csplay/src/com/x/A.java:5:17: Name 'UNUSED_name' must
    // match pattern '^[a-z][a-zA-Z0-9]*$'. [MemberName]".
    let last = f.items.last().expect("findings");
    assert_eq!(last.rule.as_deref(), Some("MemberName"));
    assert_eq!(
        last.message,
        "Name 'UNUSED_name' must match pattern '^[a-z][a-zA-Z0-9]*$'."
    );
    assert_eq!(
        loc(last),
        ("src/com/x/A.java".to_string(), 5, Some(17), None, None)
    );
    // "Missing package-info.java file." has a line and no column.
    assert_eq!(loc(&f.items[0]).2, None);
}

#[test]
fn checkstyle_severities_exceptions_and_other_writers() {
    // By hand: error, warning, info → note, ignore → none, no severity → error (Checkstyle's
    // default), an <exception> → error/build; ESLint's checkstyle source and message suffix.
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<checkstyle version="4.3">
  <file name="/ci/ws/a.js">
    <error line="1" column="2" severity="error" message="m1 (no-undef)" source="eslint.rules.no-undef" />
    <error line="2" severity="warning" message="m2" source="standard:indent"/>
    <error line="3" severity="info" message="m3"/>
    <error line="4" severity="ignore" message="m4"/>
    <error line="5" message="m5 &amp; &#x41;"/>
  </file>
  <file name="/ci/ws/B.java">
    <exception><![CDATA[com.puppycrawl.tools.checkstyle.api.CheckstyleException: Exception was thrown while processing B.java
	at com.puppycrawl.tools.checkstyle.Checker.processFiles(Checker.java:311)]]></exception>
  </file>
  <file name="/ci/ws/clean.java"/>
</checkstyle>"#;
    let repo = Repo::new(&["a.js", "B.java"]);
    let f = repo.findings("c.xml", xml, Format::Checkstyle);
    let got: Vec<(&str, Option<&str>, Level, Category)> = f
        .items
        .iter()
        .map(|x| (x.tool.as_str(), x.rule.as_deref(), x.level, x.category))
        .collect();
    assert_eq!(
        got,
        vec![
            ("eslint", Some("no-undef"), Level::Error, Category::Lint),
            (
                "checkstyle",
                Some("standard:indent"),
                Level::Warning,
                Category::Lint
            ),
            ("checkstyle", None, Level::Note, Category::Lint),
            ("checkstyle", None, Level::None, Category::Lint),
            ("checkstyle", None, Level::Error, Category::Lint),
            ("checkstyle", None, Level::Error, Category::Build),
        ]
    );
    assert_eq!(f.items[0].message, "m1");
    assert_eq!(f.items[4].message, "m5 & A");
    assert_eq!(
        loc(&f.items[0]),
        ("a.js".to_string(), 1, Some(2), None, None)
    );
    assert!(f.items[5].message.starts_with("com.puppycrawl"));
    assert_eq!(loc(&f.items[5]).0, "B.java");
    let c = f.counts();
    assert_eq!(
        (c.total, c.error, c.warning, c.note, c.none),
        (6, 3, 1, 1, 1)
    );
}

#[test]
fn checkstyle_bad_input() {
    let repo = Repo::new(&[]);
    let e = repo.error(
        "t.xml",
        "<checkstyle version=\"8\"><file name=\"a\"><error line=\"1\" message=\"x\"/>",
    );
    assert!(e.contains("truncated"), "{e}");
    let e = repo.error(
        "n.xml",
        "<checkstyle><file name=\"a\"><error line=\"one\" message=\"x\"/></file></checkstyle>",
    );
    assert!(
        e.contains("line=\"one\"") && e.contains("expected a number"),
        "{e}"
    );
    let e = repo.error(
        "f.xml",
        "<checkstyle><file><error line=\"1\"/></file></checkstyle>",
    );
    assert!(
        e.contains("<file> without a name attribute") && e.contains(":1:"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Detection: formats that look alike

#[test]
fn lookalike_json_formats_are_told_apart() {
    let repo = Repo::new(&[]);
    // ESLint json-with-metadata has "messages" and "messageId" like Pylint json2.
    let eslint_meta = r#"{"results":[{"filePath":"a.js","messages":[{"ruleId":"r","severity":1,"message":"m","messageId":"x","line":1,"column":1}],"suppressedMessages":[],"errorCount":0,"warningCount":1}],"metadata":{"rulesMeta":{}}}"#;
    assert_eq!(
        repo.findings("m.json", eslint_meta, Format::EslintJson)
            .items
            .len(),
        1
    );
    let json2 = r#"{"messages":[],"statistics":{"messageTypeCount":{"fatal":0,"error":0,"warning":0,"refactor":0,"convention":0,"info":0},"modulesLinted":1,"score":10}}"#;
    assert!(
        repo.findings("p.json", json2, Format::PylintJson2)
            .items
            .is_empty()
    );
    let empty_eslint = r#"[{"filePath":"/w/a.js","messages":[],"suppressedMessages":[],"errorCount":0,"fatalErrorCount":0,"warningCount":0}]"#;
    assert!(
        repo.findings("e.json", empty_eslint, Format::EslintJson)
            .items
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Real outputs of the tools, generated for these tests (compacted: fields shipgate does not read,
// such as ESLint's usedDeprecatedRules and fixes or rustc's children, were removed).

/// `eslint -f json src` (ESLint 10.15.0, flat config: recommended + no-console warn, eqeqeq error, semi warn, unused directives reported as warnings).
const ESLINT_JSON: &str = r###"[{"filePath": "/tmp/eslint-play/src/a.js", "messages": [{"ruleId": "semi", "severity": 1, "message": "Missing semicolon.", "line": 1, "column": 10, "messageId": "missingSemi", "endLine": 2, "endColumn": 1}, {"ruleId": "eqeqeq", "severity": 2, "message": "Expected '===' and instead saw '=='.", "line": 2, "column": 7, "messageId": "unexpected", "endLine": 2, "endColumn": 9}, {"ruleId": "no-undef", "severity": 2, "message": "'console' is not defined.", "line": 2, "column": 15, "messageId": "undef", "endLine": 2, "endColumn": 22}, {"ruleId": "no-console", "severity": 1, "message": "Unexpected console statement.", "line": 2, "column": 15, "messageId": "unexpected", "endLine": 2, "endColumn": 26}, {"ruleId": "semi", "severity": 1, "message": "Missing semicolon.", "line": 2, "column": 31, "messageId": "missingSemi", "endLine": 2, "endColumn": 32}, {"ruleId": "no-undef", "severity": 2, "message": "'console' is not defined.", "line": 6, "column": 1, "messageId": "undef", "endLine": 6, "endColumn": 8}, {"ruleId": null, "message": "Unused eslint-disable directive (no problems were reported from 'eqeqeq').", "line": 7, "column": 1, "severity": 1}, {"ruleId": "no-unused-vars", "severity": 2, "message": "'y' is assigned a value but never used.", "line": 8, "column": 5, "messageId": "unusedVar", "endLine": 8, "endColumn": 6}, {"ruleId": "no-unused-vars", "severity": 2, "message": "'unused' is defined but never used.", "line": 9, "column": 10, "messageId": "unusedVar", "endLine": 9, "endColumn": 16}], "suppressedMessages": [{"ruleId": "no-undef", "severity": 2, "message": "'foo' is not defined.", "line": 4, "column": 1, "messageId": "undef", "endLine": 4, "endColumn": 4, "suppressions": [{"kind": "directive", "justification": ""}]}, {"ruleId": "no-console", "severity": 1, "message": "Unexpected console statement.", "line": 6, "column": 1, "messageId": "unexpected", "endLine": 6, "endColumn": 12, "suppressions": [{"kind": "directive", "justification": "justified here"}]}], "errorCount": 5, "fatalErrorCount": 0, "warningCount": 4, "fixableErrorCount": 0, "fixableWarningCount": 3}, {"filePath": "/tmp/eslint-play/src/broken.js", "messages": [{"ruleId": null, "fatal": true, "severity": 2, "message": "Parsing error: Unexpected token (", "line": 1, "column": 10}], "suppressedMessages": [], "errorCount": 1, "fatalErrorCount": 1, "warningCount": 0, "fixableErrorCount": 0, "fixableWarningCount": 0}, {"filePath": "/tmp/eslint-play/src/sp ace.js", "messages": [{"ruleId": "no-undef", "severity": 2, "message": "'bar' is not defined.", "line": 1, "column": 1, "messageId": "undef", "endLine": 1, "endColumn": 4}], "suppressedMessages": [], "errorCount": 1, "fatalErrorCount": 0, "warningCount": 0, "fixableErrorCount": 0, "fixableWarningCount": 0}]
"###;

/// The same run with `-f @microsoft/eslint-formatter-sarif` (the rules' `properties` removed).
const ESLINT_SARIF: &str = r###"{"version": "2.1.0", "$schema": "http://json.schemastore.org/sarif-2.1.0-rtm.5", "runs": [{"tool": {"driver": {"name": "ESLint", "informationUri": "https://eslint.org", "rules": [{"id": "semi", "helpUri": "https://eslint.org/docs/latest/rules/semi", "shortDescription": {"text": "Require or disallow semicolons instead of ASI"}}, {"id": "eqeqeq", "helpUri": "https://eslint.org/docs/latest/rules/eqeqeq", "shortDescription": {"text": "Require the use of `===` and `!==`"}}, {"id": "no-undef", "helpUri": "https://eslint.org/docs/latest/rules/no-undef", "shortDescription": {"text": "Disallow the use of undeclared variables unless mentioned in `/*global */` comments"}}, {"id": "no-console", "helpUri": "https://eslint.org/docs/latest/rules/no-console", "shortDescription": {"text": "Disallow the use of `console`"}}, {"id": "no-unused-vars", "helpUri": "https://eslint.org/docs/latest/rules/no-unused-vars", "shortDescription": {"text": "Disallow unused variables"}}], "version": "10.15.0"}}, "artifacts": [{"location": {"uri": "file:///tmp/eslint-play/src/a.js"}}, {"location": {"uri": "file:///tmp/eslint-play/src/broken.js"}}, {"location": {"uri": "file:///tmp/eslint-play/src/sp%20ace.js"}}], "results": [{"level": "warning", "message": {"text": "Missing semicolon."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 1, "startColumn": 10, "endLine": 2, "endColumn": 1}}}], "ruleId": "semi", "ruleIndex": 0, "suppressions": []}, {"level": "error", "message": {"text": "Expected '===' and instead saw '=='."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 9}}}], "ruleId": "eqeqeq", "ruleIndex": 1, "suppressions": []}, {"level": "error", "message": {"text": "'console' is not defined."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 2, "startColumn": 15, "endLine": 2, "endColumn": 22}}}], "ruleId": "no-undef", "ruleIndex": 2, "suppressions": []}, {"level": "warning", "message": {"text": "Unexpected console statement."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 2, "startColumn": 15, "endLine": 2, "endColumn": 26}}}], "ruleId": "no-console", "ruleIndex": 3, "suppressions": []}, {"level": "warning", "message": {"text": "Missing semicolon."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 2, "startColumn": 31, "endLine": 2, "endColumn": 32}}}], "ruleId": "semi", "ruleIndex": 0, "suppressions": []}, {"level": "error", "message": {"text": "'console' is not defined."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 6, "startColumn": 1, "endLine": 6, "endColumn": 8}}}], "ruleId": "no-undef", "ruleIndex": 2, "suppressions": []}, {"level": "error", "message": {"text": "'y' is assigned a value but never used."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 8, "startColumn": 5, "endLine": 8, "endColumn": 6}}}], "ruleId": "no-unused-vars", "ruleIndex": 4, "suppressions": []}, {"level": "error", "message": {"text": "'unused' is defined but never used."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 9, "startColumn": 10, "endLine": 9, "endColumn": 16}}}], "ruleId": "no-unused-vars", "ruleIndex": 4, "suppressions": []}, {"level": "error", "message": {"text": "'foo' is not defined."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 4}}}], "ruleId": "no-undef", "ruleIndex": 2, "suppressions": [{"kind": "inSource", "justification": ""}]}, {"level": "warning", "message": {"text": "Unexpected console statement."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 6, "startColumn": 1, "endLine": 6, "endColumn": 12}}}], "ruleId": "no-console", "ruleIndex": 3, "suppressions": [{"kind": "inSource", "justification": "justified here"}]}, {"level": "error", "message": {"text": "'bar' is not defined."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/sp%20ace.js", "index": 2}, "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 4}}}], "ruleId": "no-undef", "ruleIndex": 2}], "invocations": [{"toolConfigurationNotifications": [{"level": "warning", "message": {"text": "Unused eslint-disable directive (no problems were reported from 'eqeqeq')."}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/a.js", "index": 0}, "region": {"startLine": 7, "startColumn": 1}}}], "descriptor": {"id": "ESL0999"}}, {"level": "error", "message": {"text": "Parsing error: Unexpected token ("}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/eslint-play/src/broken.js", "index": 1}, "region": {"startLine": 1, "startColumn": 10}}}], "descriptor": {"id": "ESL0999"}}], "executionSuccessful": false}]}]}
"###;

/// `ruff check --output-format=json pkg` (Ruff 0.17.6; fix edits removed).
const RUFF_JSON: &str = r###"[{"cell": null, "code": "I001", "end_location": {"column": 24, "row": 2}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "safe", "edits": [], "message": "Organize imports"}, "location": {"column": 1, "row": 1}, "message": "Import block is un-sorted or un-formatted", "name": "unsorted-imports", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unsorted-imports"}, {"cell": null, "code": "F401", "end_location": {"column": 10, "row": 1}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "safe", "edits": [], "message": "Remove unused import"}, "location": {"column": 8, "row": 1}, "message": "`os` imported but unused", "name": "unused-import", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-import"}, {"cell": null, "code": "F401", "end_location": {"column": 15, "row": 1}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "safe", "edits": [], "message": "Remove unused import"}, "location": {"column": 12, "row": 1}, "message": "`sys` imported but unused", "name": "unused-import", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-import"}, {"cell": null, "code": "UP035", "end_location": {"column": 24, "row": 2}, "filename": "/tmp/pyplay/pkg/a.py", "fix": null, "location": {"column": 1, "row": 2}, "message": "`typing.List` is deprecated, use `list` instead", "name": "deprecated-import", "noqa_row": 2, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/deprecated-import"}, {"cell": null, "code": "F841", "end_location": {"column": 6, "row": 5}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "unsafe", "edits": [], "message": "Remove assignment to unused variable `x`"}, "location": {"column": 5, "row": 5}, "message": "Local variable `x` is assigned to but never used", "name": "unused-variable", "noqa_row": 5, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-variable"}, {"cell": null, "code": "UP006", "end_location": {"column": 14, "row": 8}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "safe", "edits": [], "message": "Replace with `list`"}, "location": {"column": 10, "row": 8}, "message": "Use `list` instead of `List` for type annotation", "name": "non-pep585-annotation", "noqa_row": 8, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/non-pep585-annotation"}, {"cell": null, "code": "F841", "end_location": {"column": 6, "row": 9}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "unsafe", "edits": [], "message": "Remove assignment to unused variable `y`"}, "location": {"column": 5, "row": 9}, "message": "Local variable `y` is assigned to but never used", "name": "unused-variable", "noqa_row": 9, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-variable"}, {"cell": null, "code": "F821", "end_location": {"column": 16, "row": 10}, "filename": "/tmp/pyplay/pkg/a.py", "fix": null, "location": {"column": 5, "row": 10}, "message": "Undefined name `reveal_type`", "name": "undefined-name", "noqa_row": 10, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/undefined-name"}, {"cell": null, "code": "F841", "end_location": {"column": 6, "row": 20}, "filename": "/tmp/pyplay/pkg/a.py", "fix": {"applicability": "unsafe", "edits": [], "message": "Remove assignment to unused variable `v`"}, "location": {"column": 5, "row": 20}, "message": "Local variable `v` is assigned to but never used", "name": "unused-variable", "noqa_row": 20, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-variable"}, {"cell": null, "code": "invalid-syntax", "end_location": {"column": 13, "row": 1}, "filename": "/tmp/pyplay/pkg/bad.py", "fix": null, "location": {"column": 12, "row": 1}, "message": "Expected a parameter or the end of the parameter list", "name": "invalid-syntax", "noqa_row": null, "severity": "error", "url": null}, {"cell": null, "code": "invalid-syntax", "end_location": {"column": 1, "row": 2}, "filename": "/tmp/pyplay/pkg/bad.py", "fix": null, "location": {"column": 13, "row": 1}, "message": "Expected `)`, found newline", "name": "invalid-syntax", "noqa_row": null, "severity": "error", "url": null}, {"cell": null, "code": "N999", "end_location": {"column": 1, "row": 1}, "filename": "/tmp/pyplay/pkg/unic ode.py", "fix": null, "location": {"column": 1, "row": 1}, "message": "Invalid module name: 'unic ode'", "name": "invalid-module-name", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/invalid-module-name"}, {"cell": null, "code": "I001", "end_location": {"column": 10, "row": 1}, "filename": "/tmp/pyplay/pkg/unic ode.py", "fix": {"applicability": "safe", "edits": [], "message": "Organize imports"}, "location": {"column": 1, "row": 1}, "message": "Import block is un-sorted or un-formatted", "name": "unsorted-imports", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unsorted-imports"}, {"cell": null, "code": "F401", "end_location": {"column": 10, "row": 1}, "filename": "/tmp/pyplay/pkg/unic ode.py", "fix": {"applicability": "safe", "edits": [], "message": "Remove unused import: `re`"}, "location": {"column": 8, "row": 1}, "message": "`re` imported but unused", "name": "unused-import", "noqa_row": 1, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/unused-import"}, {"cell": null, "code": "F821", "end_location": {"column": 26, "row": 3}, "filename": "/tmp/pyplay/pkg/unic ode.py", "fix": null, "location": {"column": 12, "row": 3}, "message": "Undefined name `undefined_name`", "name": "undefined-name", "noqa_row": 3, "severity": "error", "url": "https://docs.astral.sh/ruff/rules/undefined-name"}]
"###;

/// `pylint --output-format=json pkg` (Pylint 4.1.4, astroid 4.3.4).
const PYLINT_JSON: &str = r###"[{"type": "error", "module": "pkg.bad", "obj": "", "line": 1, "column": 12, "endLine": null, "endColumn": null, "path": "pkg/bad.py", "symbol": "syntax-error", "message": "Parsing failed: 'invalid syntax (pkg.bad, line 1)'", "message-id": "E0001"}, {"type": "convention", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/unic ode.py", "symbol": "missing-module-docstring", "message": "Missing module docstring", "message-id": "C0114"}, {"type": "convention", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/unic ode.py", "symbol": "invalid-name", "message": "Module name \"unic ode\" doesn't conform to snake_case naming style", "message-id": "C0103"}, {"type": "convention", "module": "pkg.unic ode", "obj": "h", "line": 2, "column": 0, "endLine": 2, "endColumn": 5, "path": "pkg/unic ode.py", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "message-id": "C0116"}, {"type": "error", "module": "pkg.unic ode", "obj": "h", "line": 3, "column": 11, "endLine": 3, "endColumn": 25, "path": "pkg/unic ode.py", "symbol": "undefined-variable", "message": "Undefined variable 'undefined_name'", "message-id": "E0602"}, {"type": "warning", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 9, "path": "pkg/unic ode.py", "symbol": "unused-import", "message": "Unused import re", "message-id": "W0611"}, {"type": "convention", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/a.py", "symbol": "missing-module-docstring", "message": "Missing module docstring", "message-id": "C0114"}, {"type": "convention", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "symbol": "multiple-imports", "message": "Multiple imports on one line (os, sys)", "message-id": "C0410"}, {"type": "convention", "module": "pkg.a", "obj": "add", "line": 4, "column": 0, "endLine": 4, "endColumn": 7, "path": "pkg/a.py", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "message-id": "C0116"}, {"type": "warning", "module": "pkg.a", "obj": "add", "line": 4, "column": 16, "endLine": 4, "endColumn": 22, "path": "pkg/a.py", "symbol": "unused-argument", "message": "Unused argument 'b'", "message-id": "W0613"}, {"type": "warning", "module": "pkg.a", "obj": "add", "line": 5, "column": 4, "endLine": 5, "endColumn": 5, "path": "pkg/a.py", "symbol": "unused-variable", "message": "Unused variable 'x'", "message-id": "W0612"}, {"type": "convention", "module": "pkg.a", "obj": "f", "line": 8, "column": 0, "endLine": 8, "endColumn": 5, "path": "pkg/a.py", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "message-id": "C0116"}, {"type": "error", "module": "pkg.a", "obj": "f", "line": 10, "column": 4, "endLine": 10, "endColumn": 15, "path": "pkg/a.py", "symbol": "undefined-variable", "message": "Undefined variable 'reveal_type'", "message-id": "E0602"}, {"type": "warning", "module": "pkg.a", "obj": "f", "line": 9, "column": 4, "endLine": 9, "endColumn": 5, "path": "pkg/a.py", "symbol": "unused-variable", "message": "Unused variable 'y'", "message-id": "W0612"}, {"type": "convention", "module": "pkg.a", "obj": "C", "line": 13, "column": 0, "endLine": 13, "endColumn": 7, "path": "pkg/a.py", "symbol": "missing-class-docstring", "message": "Missing class docstring", "message-id": "C0115"}, {"type": "convention", "module": "pkg.a", "obj": "C.m", "line": 14, "column": 4, "endLine": 14, "endColumn": 9, "path": "pkg/a.py", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "message-id": "C0116"}, {"type": "refactor", "module": "pkg.a", "obj": "C", "line": 13, "column": 0, "endLine": 13, "endColumn": 7, "path": "pkg/a.py", "symbol": "too-few-public-methods", "message": "Too few public methods (1/2)", "message-id": "R0903"}, {"type": "convention", "module": "pkg.a", "obj": "g", "line": 17, "column": 0, "endLine": 17, "endColumn": 5, "path": "pkg/a.py", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "message-id": "C0116"}, {"type": "convention", "module": "pkg.a", "obj": "g", "line": 19, "column": 4, "endLine": 19, "endColumn": 15, "path": "pkg/a.py", "symbol": "import-outside-toplevel", "message": "Import outside toplevel (json)", "message-id": "C0415"}, {"type": "warning", "module": "pkg.a", "obj": "g", "line": 19, "column": 4, "endLine": 19, "endColumn": 15, "path": "pkg/a.py", "symbol": "unused-import", "message": "Unused import json", "message-id": "W0611"}, {"type": "warning", "module": "pkg.a", "obj": "g", "line": 20, "column": 4, "endLine": 20, "endColumn": 5, "path": "pkg/a.py", "symbol": "unused-variable", "message": "Unused variable 'v'", "message-id": "W0612"}, {"type": "warning", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "symbol": "unused-import", "message": "Unused import os", "message-id": "W0611"}, {"type": "warning", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "symbol": "unused-import", "message": "Unused import sys", "message-id": "W0611"}]
"###;

/// `pylint --output-format=json2 pkg` (same code).
const PYLINT_JSON2: &str = r###"{"messages": [{"type": "error", "symbol": "syntax-error", "message": "Parsing failed: 'invalid syntax (pkg.bad, line 1)'", "messageId": "E0001", "confidence": "HIGH", "module": "pkg.bad", "obj": "", "line": 1, "column": 12, "endLine": null, "endColumn": null, "path": "pkg/bad.py", "absolutePath": "pkg/bad.py"}, {"type": "convention", "symbol": "missing-module-docstring", "message": "Missing module docstring", "messageId": "C0114", "confidence": "HIGH", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/unic ode.py", "absolutePath": "/tmp/pyplay/pkg/unic ode.py"}, {"type": "convention", "symbol": "invalid-name", "message": "Module name \"unic ode\" doesn't conform to snake_case naming style", "messageId": "C0103", "confidence": "HIGH", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/unic ode.py", "absolutePath": "/tmp/pyplay/pkg/unic ode.py"}, {"type": "convention", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "messageId": "C0116", "confidence": "HIGH", "module": "pkg.unic ode", "obj": "h", "line": 2, "column": 0, "endLine": 2, "endColumn": 5, "path": "pkg/unic ode.py", "absolutePath": "/tmp/pyplay/pkg/unic ode.py"}, {"type": "error", "symbol": "undefined-variable", "message": "Undefined variable 'undefined_name'", "messageId": "E0602", "confidence": "UNDEFINED", "module": "pkg.unic ode", "obj": "h", "line": 3, "column": 11, "endLine": 3, "endColumn": 25, "path": "pkg/unic ode.py", "absolutePath": "/tmp/pyplay/pkg/unic ode.py"}, {"type": "warning", "symbol": "unused-import", "message": "Unused import re", "messageId": "W0611", "confidence": "UNDEFINED", "module": "pkg.unic ode", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 9, "path": "pkg/unic ode.py", "absolutePath": "/tmp/pyplay/pkg/unic ode.py"}, {"type": "convention", "symbol": "missing-module-docstring", "message": "Missing module docstring", "messageId": "C0114", "confidence": "HIGH", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": null, "endColumn": null, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "multiple-imports", "message": "Multiple imports on one line (os, sys)", "messageId": "C0410", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "messageId": "C0116", "confidence": "HIGH", "module": "pkg.a", "obj": "add", "line": 4, "column": 0, "endLine": 4, "endColumn": 7, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-argument", "message": "Unused argument 'b'", "messageId": "W0613", "confidence": "HIGH", "module": "pkg.a", "obj": "add", "line": 4, "column": 16, "endLine": 4, "endColumn": 22, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-variable", "message": "Unused variable 'x'", "messageId": "W0612", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "add", "line": 5, "column": 4, "endLine": 5, "endColumn": 5, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "messageId": "C0116", "confidence": "HIGH", "module": "pkg.a", "obj": "f", "line": 8, "column": 0, "endLine": 8, "endColumn": 5, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "error", "symbol": "undefined-variable", "message": "Undefined variable 'reveal_type'", "messageId": "E0602", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "f", "line": 10, "column": 4, "endLine": 10, "endColumn": 15, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-variable", "message": "Unused variable 'y'", "messageId": "W0612", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "f", "line": 9, "column": 4, "endLine": 9, "endColumn": 5, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "missing-class-docstring", "message": "Missing class docstring", "messageId": "C0115", "confidence": "HIGH", "module": "pkg.a", "obj": "C", "line": 13, "column": 0, "endLine": 13, "endColumn": 7, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "messageId": "C0116", "confidence": "INFERENCE", "module": "pkg.a", "obj": "C.m", "line": 14, "column": 4, "endLine": 14, "endColumn": 9, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "refactor", "symbol": "too-few-public-methods", "message": "Too few public methods (1/2)", "messageId": "R0903", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "C", "line": 13, "column": 0, "endLine": 13, "endColumn": 7, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "missing-function-docstring", "message": "Missing function or method docstring", "messageId": "C0116", "confidence": "HIGH", "module": "pkg.a", "obj": "g", "line": 17, "column": 0, "endLine": 17, "endColumn": 5, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "convention", "symbol": "import-outside-toplevel", "message": "Import outside toplevel (json)", "messageId": "C0415", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "g", "line": 19, "column": 4, "endLine": 19, "endColumn": 15, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-import", "message": "Unused import json", "messageId": "W0611", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "g", "line": 19, "column": 4, "endLine": 19, "endColumn": 15, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-variable", "message": "Unused variable 'v'", "messageId": "W0612", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "g", "line": 20, "column": 4, "endLine": 20, "endColumn": 5, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-import", "message": "Unused import os", "messageId": "W0611", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}, {"type": "warning", "symbol": "unused-import", "message": "Unused import sys", "messageId": "W0611", "confidence": "UNDEFINED", "module": "pkg.a", "obj": "", "line": 1, "column": 0, "endLine": 1, "endColumn": 14, "path": "pkg/a.py", "absolutePath": "/tmp/pyplay/pkg/a.py"}], "statistics": {"messageTypeCount": {"fatal": 0, "error": 3, "warning": 8, "refactor": 1, "convention": 11, "info": 0}, "modulesLinted": 6, "score": 0}}
"###;

/// `mypy --output json pkg/a.py "pkg/unic ode.py"` (mypy 2.4.1).
const MYPY_A: &str = r###"{"file": "pkg/a.py", "line": 6, "column": 15, "end_line": 6, "end_column": 18, "message": "Unsupported operand types for + (\"int\" and \"str\")", "hint": null, "code": "operator", "severity": "error"}
{"file": "pkg/a.py", "line": 10, "column": 16, "end_line": 10, "end_column": 17, "message": "Revealed type is \"list[int]\"", "hint": null, "code": "misc", "severity": "note"}
{"file": "pkg/a.py", "line": 11, "column": 11, "end_line": 11, "end_column": 12, "message": "Incompatible return value type (got \"list[int]\", expected \"str\")", "hint": null, "code": "return-value", "severity": "error"}
{"file": "pkg/a.py", "line": 18, "column": 4, "end_line": 18, "end_column": 25, "message": "Item \"None\" of \"int | None\" has no attribute \"bit_length\"", "hint": null, "code": "union-attr", "severity": "error"}
{"file": "pkg/a.py", "line": 20, "column": 13, "end_line": 20, "end_column": 16, "message": "Incompatible types in assignment (expression has type \"str\", variable has type \"int\")", "hint": null, "code": "assignment", "severity": "error"}
"###;

/// `mypy --output json n.py` (mypy 2.4.1).
const MYPY_N: &str = r###"{"file": "n.py", "line": 1, "column": 0, "end_line": 1, "end_column": 1, "message": "Library stubs not installed for \"yaml\"", "hint": "Hint: \"python3 -m pip install types-PyYAML\"\n(or run \"mypy --install-types\" to install all missing stub packages)\nSee https://mypy.readthedocs.io/en/stable/running_mypy.html#missing-imports", "code": "import-untyped", "severity": "error"}
{"file": "n.py", "line": 2, "column": 0, "end_line": 2, "end_column": 1, "message": "Cannot find implementation or library stub for module named \"nonexistent_mod\"", "hint": null, "code": "import-not-found", "severity": "error"}
{"file": "n.py", "line": 6, "column": 2, "end_line": 6, "end_column": 3, "message": "Argument 1 to \"f\" has incompatible type \"list[int]\"; expected \"list[object]\"", "hint": "\"list\" is invariant -- see https://mypy.readthedocs.io/en/stable/common_issues.html#variance\nConsider using \"Sequence\" instead, which is covariant", "code": "arg-type", "severity": "error"}
{"file": "n.py", "line": 8, "column": 11, "end_line": 8, "end_column": 12, "message": "Incompatible return value type (got \"Sequence[int]\", expected \"int\")", "hint": null, "code": "return-value", "severity": "error"}
{"file": "n.py", "line": 12, "column": 16, "end_line": 12, "end_column": 22, "message": "Argument 1 of \"m\" is incompatible with supertype \"P\"; supertype defines the argument type as \"int\"", "hint": "This violates the Liskov substitution principle\nSee https://mypy.readthedocs.io/en/stable/common_issues.html#incompatible-overrides", "code": "override", "severity": "error"}
"###;

/// `mypy --output json pkg` (it stops at the syntax errors of pkg/bad.py).
const MYPY_SYNTAX: &str = r###"{"file": "pkg/bad.py", "line": 1, "column": 12, "end_line": 1, "end_column": 13, "message": "Expected a parameter or the end of the parameter list", "hint": null, "code": "syntax", "severity": "error"}
{"file": "pkg/bad.py", "line": 1, "column": 13, "end_line": 1, "end_column": 14, "message": "Expected `)`, found newline", "hint": null, "code": "syntax", "severity": "error"}
"###;

/// `cargo clippy --all-targets --message-format=json` (clippy 0.1.95) in a workspace whose member is crates/alpha.
const CLIPPY_JSON: &str = r###"{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: unused variable: `unused`\n --> crates/alpha/src/lib.rs:2:9\n  |\n2 |     let unused = 3;\n  |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_unused`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `unused`", "spans": [{"column_end": 15, "column_start": 9, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 2, "line_start": 2}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: function `dead` is never used\n --> crates/alpha/src/lib.rs:5:4\n  |\n5 | fn dead() {}\n  |    ^^^^\n  |\n  = note: `#[warn(dead_code)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "function `dead` is never used", "spans": [{"column_end": 8, "column_start": 4, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 5, "line_start": 5}], "code": {"code": "dead_code", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: unneeded `return` statement\n --> crates/alpha/src/lib.rs:3:5\n  |\n3 |     return x + 1;\n  |     ^^^^^^^^^^^^\n  |\n  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#needless_return\n  = note: `#[warn(clippy::needless_return)]` on by default\nhelp: remove `return`\n  |\n3 -     return x + 1;\n3 +     x + 1\n  |\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unneeded `return` statement", "spans": [{"column_end": 17, "column_start": 5, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 3, "line_start": 3}], "code": {"code": "clippy::needless_return", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: writing `&Vec` instead of `&[_]` involves a new object where a slice will do\n --> crates/alpha/src/lib.rs:6:13\n  |\n6 | pub fn g(v: &Vec<i32>) -> usize { v.len() }\n  |             ^^^^^^^^^\n  |\n  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#ptr_arg\n  = note: `#[warn(clippy::ptr_arg)]` on by default\nhelp: change this to\n  |\n6 - pub fn g(v: &Vec<i32>) -> usize { v.len() }\n6 + pub fn g(v: &[i32]) -> usize { v.len() }\n  |\n\n", "$message_type": "diagnostic", "level": "warning", "message": "writing `&Vec` instead of `&[_]` involves a new object where a slice will do", "spans": [{"column_end": 22, "column_start": 13, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 6, "line_start": 6}], "code": {"code": "clippy::ptr_arg", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha"}, "fresh": false}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: unused variable: `unused`\n --> crates/alpha/src/lib.rs:2:9\n  |\n2 |     let unused = 3;\n  |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_unused`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `unused`", "spans": [{"column_end": 15, "column_start": 9, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 2, "line_start": 2}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: function `dead` is never used\n --> crates/alpha/src/lib.rs:5:4\n  |\n5 | fn dead() {}\n  |    ^^^^\n  |\n  = note: `#[warn(dead_code)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "function `dead` is never used", "spans": [{"column_end": 8, "column_start": 4, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 5, "line_start": 5}], "code": {"code": "dead_code", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: unneeded `return` statement\n --> crates/alpha/src/lib.rs:3:5\n  |\n3 |     return x + 1;\n  |     ^^^^^^^^^^^^\n  |\n  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#needless_return\n  = note: `#[warn(clippy::needless_return)]` on by default\nhelp: remove `return`\n  |\n3 -     return x + 1;\n3 +     x + 1\n  |\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unneeded `return` statement", "spans": [{"column_end": 17, "column_start": 5, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 3, "line_start": 3}], "code": {"code": "clippy::needless_return", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: writing `&Vec` instead of `&[_]` involves a new object where a slice will do\n --> crates/alpha/src/lib.rs:6:13\n  |\n6 | pub fn g(v: &Vec<i32>) -> usize { v.len() }\n  |             ^^^^^^^^^\n  |\n  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#ptr_arg\n  = note: `#[warn(clippy::ptr_arg)]` on by default\nhelp: change this to\n  |\n6 - pub fn g(v: &Vec<i32>) -> usize { v.len() }\n6 + pub fn g(v: &[i32]) -> usize { v.len() }\n  |\n\n", "$message_type": "diagnostic", "level": "warning", "message": "writing `&Vec` instead of `&[_]` involves a new object where a slice will do", "spans": [{"column_end": 22, "column_start": 13, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 6, "line_start": 6}], "code": {"code": "clippy::ptr_arg", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha"}, "fresh": false}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/main.rs"}, "message": {"rendered": "warning: unused variable: `y`\n --> crates/alpha/src/main.rs:1:17\n  |\n1 | fn main() { let y = 1; println!(\"{}\", alpha::f(2)); }\n  |                 ^ help: if this is intentional, prefix it with an underscore: `_y`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `y`", "spans": [{"column_end": 18, "column_start": 17, "file_name": "crates/alpha/src/main.rs", "is_primary": true, "line_end": 1, "line_start": 1}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha"}, "fresh": false}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/main.rs"}, "message": {"rendered": "warning: unused variable: `y`\n --> crates/alpha/src/main.rs:1:17\n  |\n1 | fn main() { let y = 1; println!(\"{}\", alpha::f(2)); }\n  |                 ^ help: if this is intentional, prefix it with an underscore: `_y`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `y`", "spans": [{"column_end": 18, "column_start": 17, "file_name": "crates/alpha/src/main.rs", "is_primary": true, "line_end": 1, "line_start": 1}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha"}, "fresh": false}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["test"], "name": "it", "src_path": "/tmp/cargoplay/ws/crates/alpha/tests/it.rs"}, "message": {"rendered": "warning: unused variable: `z`\n --> crates/alpha/tests/it.rs:2:14\n  |\n2 | fn x() { let z = 5; }\n  |              ^ help: if this is intentional, prefix it with an underscore: `_z`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `z`", "spans": [{"column_end": 15, "column_start": 14, "file_name": "crates/alpha/tests/it.rs", "is_primary": true, "line_end": 2, "line_start": 2}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["test"], "name": "it"}, "fresh": false}
{"reason": "build-finished", "success": true}
"###;

/// `cargo build --message-format=json` of the same crate with a type error in main.rs.
const BUILD_ERR_JSON: &str = r###"{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: unused variable: `unused`\n --> crates/alpha/src/lib.rs:2:9\n  |\n2 |     let unused = 3;\n  |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_unused`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `unused`", "spans": [{"column_end": 15, "column_start": 9, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 2, "line_start": 2}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/lib.rs"}, "message": {"rendered": "warning: function `dead` is never used\n --> crates/alpha/src/lib.rs:5:4\n  |\n5 | fn dead() {}\n  |    ^^^^\n  |\n  = note: `#[warn(dead_code)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "function `dead` is never used", "spans": [{"column_end": 8, "column_start": 4, "file_name": "crates/alpha/src/lib.rs", "is_primary": true, "line_end": 5, "line_start": 5}], "code": {"code": "dead_code", "explanation": null}}}
{"reason": "compiler-artifact", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["lib"], "name": "alpha"}, "fresh": false}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/main.rs"}, "message": {"rendered": "error[E0308]: mismatched types\n --> crates/alpha/src/main.rs:2:19\n  |\n2 | fn bad() -> u32 { \"x\" }\n  |             ---   ^^^ expected `u32`, found `&str`\n  |             |\n  |             expected `u32` because of return type\n\n", "$message_type": "diagnostic", "level": "error", "message": "mismatched types", "spans": [{"column_end": 22, "column_start": 19, "file_name": "crates/alpha/src/main.rs", "is_primary": true, "line_end": 2, "line_start": 2}, {"column_end": 16, "column_start": 13, "file_name": "crates/alpha/src/main.rs", "is_primary": false, "line_end": 2, "line_start": 2}], "code": {"code": "E0308", "explanation": "Expected type did not match the received type.\n\nErroneous code examples:\n\n```compile_fail,E0308\nfn plus_one(x: i32) -> i32 {\n    x + 1\n}\n\nplus_one(\"Not a number\");\n//       ^^^^^^^^^^^^^^ expected `i32`, found `&str`\n\nif \"Not a bool\" {\n// ^^^^^^^^^^^^ expected `bool`, found `&str`\n}\n\nlet x: f32 = \"Not a float\";\n//     ---   ^^^^^^^^^^^^^ expected `f32`, found `&str`\n//     |\n//     expected due to this\n```\n\nThis error occurs when an expression was used in a place where the compiler\nexpected an expression of a different type. It can occur in several cases, the\nmost common being when calling a function and passing an argument which has a\ndifferent type than the matching type in the function declaration.\n"}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/main.rs"}, "message": {"rendered": "warning: unused variable: `y`\n --> crates/alpha/src/main.rs:1:17\n  |\n1 | fn main() { let y = 1; println!(\"{}\", alpha::f(2)); }\n  |                 ^ help: if this is intentional, prefix it with an underscore: `_y`\n  |\n  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default\n\n", "$message_type": "diagnostic", "level": "warning", "message": "unused variable: `y`", "spans": [{"column_end": 18, "column_start": 17, "file_name": "crates/alpha/src/main.rs", "is_primary": true, "line_end": 1, "line_start": 1}], "code": {"code": "unused_variables", "explanation": null}}}
{"reason": "compiler-message", "package_id": "path+file:///tmp/cargoplay/ws/crates/alpha#0.1.0", "manifest_path": "/tmp/cargoplay/ws/crates/alpha/Cargo.toml", "target": {"kind": ["bin"], "name": "alpha", "src_path": "/tmp/cargoplay/ws/crates/alpha/src/main.rs"}, "message": {"rendered": "For more information about this error, try `rustc --explain E0308`.\n", "$message_type": "diagnostic", "level": "failure-note", "message": "For more information about this error, try `rustc --explain E0308`.", "spans": [], "code": null}}
{"reason": "build-finished", "success": false}
"###;

/// `checkstyle -c /usr/share/checkstyle/sun_checks.xml -f xml -o cs.xml src` (Checkstyle 8.36.1).
const CHECKSTYLE_XML: &str = r###"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="8.36.1">
<file name="/tmp/csplay/src/com/x/A.java">
<error line="1" severity="error" message="Missing package-info.java file." source="com.puppycrawl.tools.checkstyle.checks.javadoc.JavadocPackageCheck"/>
<error line="2" column="17" severity="error" message="Using the &apos;.*&apos; form of import should be avoided - java.util.*." source="com.puppycrawl.tools.checkstyle.checks.imports.AvoidStarImportCheck"/>
<error line="4" column="5" severity="error" message="Class &apos;A&apos; looks like designed for extension (can be subclassed), but the method &apos;f&apos; does not have javadoc that explains how to do that safely. If class is not designed for extension consider making the class &apos;A&apos; final or making the method &apos;f&apos; static/final/abstract/empty, or adding allowed annotation for the method." source="com.puppycrawl.tools.checkstyle.checks.design.DesignForExtensionCheck"/>
<error line="4" column="18" severity="error" message="Parameter a should be final." source="com.puppycrawl.tools.checkstyle.checks.FinalParametersCheck"/>
<error line="4" column="24" severity="error" message="&apos;{&apos; at column 24 should have line break after." source="com.puppycrawl.tools.checkstyle.checks.blocks.LeftCurlyCheck"/>
<error line="4" column="24" severity="error" message="&apos;{&apos; is not preceded with whitespace." source="com.puppycrawl.tools.checkstyle.checks.whitespace.WhitespaceAroundCheck"/>
<error line="4" column="26" severity="error" message="&apos;if&apos; construct must use &apos;{}&apos;s." source="com.puppycrawl.tools.checkstyle.checks.blocks.NeedBracesCheck"/>
<error line="4" column="26" severity="error" message="&apos;if&apos; is not followed by whitespace." source="com.puppycrawl.tools.checkstyle.checks.whitespace.WhitespaceAfterCheck"/>
<error line="4" column="30" severity="error" message="&apos;==&apos; is not followed by whitespace." source="com.puppycrawl.tools.checkstyle.checks.whitespace.WhitespaceAroundCheck"/>
<error line="4" column="30" severity="error" message="&apos;==&apos; is not preceded with whitespace." source="com.puppycrawl.tools.checkstyle.checks.whitespace.WhitespaceAroundCheck"/>
<error line="4" column="52" severity="error" message="&apos;3&apos; is a magic number." source="com.puppycrawl.tools.checkstyle.checks.coding.MagicNumberCheck"/>
<error line="5" column="5" severity="error" message="Missing a Javadoc comment." source="com.puppycrawl.tools.checkstyle.checks.javadoc.JavadocVariableCheck"/>
<error line="5" column="17" severity="error" message="Name &apos;UNUSED_name&apos; must match pattern &apos;^[a-z][a-zA-Z0-9]*$&apos;." source="com.puppycrawl.tools.checkstyle.checks.naming.MemberNameCheck"/>
</file>
</checkstyle>
"###;
