//! Tests: coverage_formats (JaCoCo, Clover, coverage.py JSON, istanbul JSON, Go coverprofile,
//! and the diff-cover corpus over Cobertura, LCOV and Clover).
//!
//! Expected numbers come from the producing tools: the diff-cover goldens in
//! `../shared/fixtures/diff-cover/`, the totals a report states about itself (coverage.py's
//! `totals`, istanbul's `total`, JaCoCo's report-level `<counter>`s, Clover's project
//! `<metrics>`), the summaries the tools printed for the small real reports kept inline below,
//! or a derivation by hand written next to each hand-made input.

use crate::support::{self, read_in};
use shipgate::ingest::paths::FileExists;
use shipgate::ingest::{self, Format, PathResolver, Report};
use shipgate::model::{BranchLine, Coverage, CoverageTotals};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A temporary repository with files in it.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `rel` (creating folders) and returns its path.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        p
    }

    /// Reads `rel` as a report of `format`, paths resolved in this repository.
    fn coverage(&self, rel: &str, format: Format) -> Coverage {
        let ing = read_in(&self.path().join(rel), self.path());
        assert_eq!(ing.format, format, "{rel}: detected {:?}", ing.format);
        match ing.report {
            Report::Coverage(c) => c,
            other => panic!("{rel}: expected coverage, got {other:?}"),
        }
    }

    /// Reads `rel` expecting an error; returns its message.
    fn error(&self, rel: &str) -> String {
        let resolver = PathResolver::new(self.path());
        match ingest::read_path(&self.path().join(rel), None, &resolver) {
            Ok(i) => panic!("{rel}: expected an error, got {:?}", i.report),
            Err(e) => e.to_string(),
        }
    }
}

/// One report written into a fresh repository and read.
fn read_text(name: &str, text: &str, format: Format) -> Coverage {
    let repo = Repo::new();
    repo.write(name, text);
    repo.coverage(name, format)
}

/// One report written into a fresh repository, expected to fail.
fn error_text(name: &str, text: &str) -> String {
    let repo = Repo::new();
    repo.write(name, text);
    repo.error(name)
}

/// `(line, hits)` of a file, panicking with the known files when it is absent.
fn lines(cov: &Coverage, file: &str) -> Vec<(u32, u64)> {
    match cov.files.get(file) {
        Some(f) => f.lines.iter().collect(),
        None => panic!("{file} not in {:?}", cov.files.keys().collect::<Vec<_>>()),
    }
}

fn branches(cov: &Coverage, file: &str) -> Vec<(u32, u32, u32)> {
    cov.files[file]
        .branches
        .iter()
        .map(|b: BranchLine| (b.line, b.covered, b.total))
        .collect()
}

fn functions(cov: &Coverage, file: &str) -> Vec<(String, u32, bool)> {
    cov.files[file]
        .functions
        .iter()
        .map(|f| (f.name.clone(), f.line, f.hits > 0))
        .collect()
}

/// (lines, branches, functions) as (covered, total) pairs.
fn lbf(t: &CoverageTotals) -> [(u64, u64); 3] {
    [
        (t.lines_covered, t.lines_total),
        (t.branches_covered, t.branches_total),
        (t.functions_covered, t.functions_total),
    ]
}

/// `name="value"` in an XML start tag's text.
fn xml_attr(tag: &str, name: &str) -> Option<u64> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = start + tag[start..].find('"')?;
    tag[start..end].parse().ok()
}

/// `(covered, total)` from an istanbul/nyc text-summary line such as
/// `Lines        : 76.47% ( 13/17 )`.
fn text_summary(out: &str, metric: &str) -> (u64, u64) {
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(metric))
        .unwrap_or_else(|| panic!("no {metric} line"));
    let inner = line
        .split('(')
        .nth(1)
        .expect("(")
        .split(')')
        .next()
        .expect(")");
    let (c, t) = inner.trim().split_once('/').expect("/");
    (
        c.trim().parse().expect("covered"),
        t.trim().parse().expect("total"),
    )
}

// ---------------------------------------------------------------------------------------------
// diff-cover corpus (Cobertura, LCOV, Clover)

/// Existence from a list: the repository holds exactly the files a diff names.
struct Listed(BTreeSet<String>);

impl FileExists for Listed {
    fn exists(&self, rel: &str) -> bool {
        self.0.contains(rel)
    }
}

/// Lines added per file (new-side paths) in `git diff` output: what diff-cover measures.
fn added_lines(diff: &str) -> BTreeMap<String, BTreeSet<u32>> {
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut file: Option<String> = None;
    let mut next: u32 = 0;
    for l in diff.lines() {
        if l.starts_with("diff --git ") {
            file = None;
        } else if let Some(p) = l.strip_prefix("+++ ") {
            file = p.strip_prefix("b/").map(str::to_string);
        } else if l.starts_with("--- ") && file.is_none() {
        } else if let Some(h) = l.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@
            let plus = h.split(' ').find(|p| p.starts_with('+')).expect("+c,d");
            next = plus[1..].split(',').next().unwrap().parse().expect("c");
        } else if let Some(f) = &file {
            if l.starts_with('+') {
                out.entry(f.clone()).or_default().insert(next);
                next += 1;
            } else if l.starts_with(' ') || l.is_empty() {
                next += 1;
            }
        }
    }
    out
}

/// `2,4,6-8` → [2, 4, 6, 7, 8].
fn expand_ranges(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => out.extend(a.parse::<u32>().unwrap()..=b.parse::<u32>().unwrap()),
            None => out.push(part.parse().unwrap()),
        }
    }
    out
}

/// A diff-cover console report: per file its missing lines, then Total and Missing.
#[derive(Debug, PartialEq)]
struct Console {
    files: BTreeMap<String, Vec<u32>>,
    total: u64,
    missing: u64,
}

fn parse_console(text: &str) -> Console {
    let mut c = Console {
        files: BTreeMap::new(),
        total: 0,
        missing: 0,
    };
    for l in text.lines() {
        let l = l.trim();
        if l.starts_with("Coverage:") {
            break; // --show-uncovered prints source snippets after the summary
        }
        let count = |rest: &str| {
            rest.split_whitespace()
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        };
        if let Some(rest) = l.strip_prefix("Total:") {
            c.total = count(rest);
        } else if let Some(rest) = l.strip_prefix("Missing:") {
            c.missing = count(rest);
        } else if let Some(open) = l.find(" (")
            && l.contains("%)")
        {
            let missing = l
                .split_once("Missing lines ")
                .map(|(_, r)| expand_ranges(r))
                .unwrap_or_default();
            c.files.insert(l[..open].to_string(), missing);
        }
    }
    c
}

/// What diff-cover reports from `cov` for `added`: changed lines with coverage data, and the
/// uncovered ones among them. With `fn_lines`, a function's first line counts as a measured
/// line too (covered when the function ran) where the report has no line record for it: what
/// diff-cover 10 does with LCOV `FN` records (its `real_typescript` golden counts 20 lines
/// where the tracefile has 16 `DA` records and 4 `FN` lines besides), unlike LCOV's own `LF`.
fn diff_report(cov: &Coverage, added: &BTreeMap<String, BTreeSet<u32>>, fn_lines: bool) -> Console {
    let mut c = Console {
        files: BTreeMap::new(),
        total: 0,
        missing: 0,
    };
    for (file, set) in added {
        let Some(fc) = cov.files.get(file) else {
            continue;
        };
        let measured: Vec<(u32, u64)> = set
            .iter()
            .filter_map(|l| {
                fc.lines.get(*l).map(|h| (*l, h)).or_else(|| {
                    fn_lines
                        .then(|| fc.functions.iter().find(|f| f.line == *l))
                        .flatten()
                        .map(|f| (*l, f.hits))
                })
            })
            .collect();
        if measured.is_empty() {
            continue;
        }
        let missing: Vec<u32> = measured
            .iter()
            .filter(|(_, h)| *h == 0)
            .map(|(l, _)| *l)
            .collect();
        c.total += measured.len() as u64;
        c.missing += missing.len() as u64;
        c.files.insert(file.clone(), missing);
    }
    c
}

/// Reads diff-cover coverage inputs with a repository that holds the diff's files.
fn diff_cover_coverage(dir: &Path, inputs: &[&str], files: &BTreeSet<String>) -> Coverage {
    let resolver = PathResolver::with_fs(&dir.to_string_lossy(), Box::new(Listed(files.clone())));
    let mut cov = Coverage::default();
    for i in inputs {
        match ingest::read_path(&dir.join(i), None, &resolver) {
            Ok(ing) => match ing.report {
                Report::Coverage(c) => cov.merge(c),
                other => panic!("{i}: expected coverage, got {other:?}"),
            },
            Err(e) => panic!("{i}: {e}"),
        }
    }
    cov
}

/// Every diff-cover integration case whose golden is a console report (file or inline) and whose
/// result follows from the coverage data: the per-file missing lines and the Total/Missing
/// counts computed from shipgate's model equal the golden's. Cases whose output depends on
/// other behavior are left out (listed in `skip_reason`).
#[test]
#[allow(clippy::print_stdout)] // the list of skipped cases is part of the test's report
fn diff_cover_console_goldens() {
    let Some(root) = support::shared("fixtures/diff-cover") else {
        return;
    };
    let cases = support::json(&root.join("cases.json"));
    let fixtures = root.join("fixtures");
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        if case["tool"] != "diff-cover" {
            continue;
        }
        let name = case["test"].as_str().unwrap().rsplit("::").next().unwrap();
        let expected = &case["expected"];
        let golden = match (
            expected["console"].as_str(),
            expected["console_inline"].as_str(),
        ) {
            (Some(file), _) => std::fs::read_to_string(root.join(file)).expect("golden"),
            (None, Some(text)) => text.to_string(),
            _ => continue,
        };
        let argv: Vec<&str> = case["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let skip_reason = if case["exit_code"] == "error" {
            Some("expects a failure")
        } else if argv.contains(&"--expand-coverage-report")
            && argv.contains(&"coverage_missing_lines.xml")
        {
            Some("diff-cover fills lines missing from the report (not a property of the data)")
        } else {
            None
        };
        if let Some(why) = skip_reason {
            skipped.push(format!("{name}: {why}"));
            continue;
        }
        let inputs: Vec<&str> = argv
            .iter()
            .copied()
            .filter(|a| {
                !a.starts_with('-') && [".xml", ".info", ".lcov"].iter().any(|e| a.ends_with(e))
            })
            .collect();
        let diff = match case["git_diff_stdout"].as_str() {
            Some(p) if !p.is_empty() => std::fs::read_to_string(root.join(p)).expect("diff"),
            _ => String::new(),
        };
        let mut added = added_lines(&diff);
        // The subdir cases run from `sub/` (README: "run from sub-dir `sub/`"): report paths
        // are relative to it.
        let sub = name.contains("subdir");
        if sub {
            added = added
                .into_iter()
                .map(|(k, v)| (k.strip_prefix("sub/").unwrap_or(&k).to_string(), v))
                .collect();
        }
        let files: BTreeSet<String> = added.keys().cloned().collect();
        let cov = diff_cover_coverage(&fixtures, &inputs, &files);
        let lcov = inputs
            .iter()
            .all(|i| i.ends_with(".info") || i.ends_with(".lcov"));
        let mut got = diff_report(&cov, &added, lcov);
        if sub {
            got.files = got
                .files
                .into_iter()
                .map(|(k, v)| (format!("sub/{k}"), v))
                .collect();
        }
        let want = parse_console(&golden);
        assert_eq!(got, want, "{name} ({inputs:?})");
        checked.push(name.to_string());
    }
    println!(
        "diff-cover console cases: {} checked, {} skipped: {skipped:?}",
        checked.len(),
        skipped.len()
    );
    assert!(checked.len() >= 20, "checked only {checked:?}");
}

/// `add_json_report.json` lists the violation and covered lines of `test_src.txt`: the same
/// from the Cobertura and the LCOV report (the peer runs both against the same golden).
#[test]
fn diff_cover_add_json_lines() {
    let Some(root) = support::shared("fixtures/diff-cover") else {
        return;
    };
    let fixtures = root.join("fixtures");
    let golden = support::json(&fixtures.join("add_json_report.json"));
    for input in ["coverage.xml", "lcov.info"] {
        let files: BTreeSet<String> = ["test_src.txt".to_string()].into();
        let cov = diff_cover_coverage(&fixtures, &[input], &files);
        for (file, stats) in golden["src_stats"].as_object().unwrap() {
            for (key, covered) in [("violation_lines", false), ("covered_lines", true)] {
                for l in stats[key].as_array().unwrap() {
                    let l = l.as_u64().unwrap() as u32;
                    let hits = cov.files[file].lines.get(l);
                    assert_eq!(
                        hits.map(|h| h > 0),
                        Some(covered),
                        "{input}: {file}:{l} ({key})"
                    );
                }
            }
        }
    }
}

/// The peer gives `coverage.xml` and `lcov.info` the same goldens: same files, same lines.
#[test]
fn diff_cover_cobertura_and_lcov_agree() {
    let Some(root) = support::shared("fixtures/diff-cover/fixtures") else {
        return;
    };
    let xml = support::coverage(&root.join("coverage.xml"));
    let lcov = support::coverage(&root.join("lcov.info"));
    assert_eq!(
        xml.files.keys().collect::<Vec<_>>(),
        lcov.files.keys().collect::<Vec<_>>()
    );
    for (file, f) in &xml.files {
        let a: Vec<(u32, bool)> = f.lines.iter().map(|(l, h)| (l, h > 0)).collect();
        let b: Vec<(u32, bool)> = lcov.files[file]
            .lines
            .iter()
            .map(|(l, h)| (l, h > 0))
            .collect();
        assert_eq!(a, b, "{file}");
    }
}

/// diff-cover's Clover test: `isLucky.js` reports exactly lines [2, 3, 5, 6, 8, 12] (its README);
/// and the model's totals equal the project `<metrics>` the writer (istanbul) states.
#[test]
fn diff_cover_clover() {
    let Some(root) = support::shared("fixtures/diff-cover/test_clover_violations_reporter") else {
        return;
    };
    let path = root.join("test.xml");
    let Report::Coverage(cov) = support::read_as(&path, Format::Clover) else {
        unreachable!()
    };
    let nums: Vec<u32> = lines(&cov, "isLucky.js").iter().map(|p| p.0).collect();
    assert_eq!(nums, [2, 3, 5, 6, 8, 12]);
    let text = std::fs::read_to_string(&path).unwrap();
    let project = text.lines().find(|l| l.contains("<metrics")).unwrap();
    let m = |n: &str| xml_attr(project, n).unwrap();
    assert_eq!(
        lbf(&cov.totals()),
        [
            (m("coveredstatements"), m("statements")),
            (m("coveredconditionals"), m("conditionals")),
            (m("coveredmethods"), m("methods")),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// JaCoCo

/// Written by JaCoCo 0.8.6's XMLFormatter (Debian libjacoco-java) for `org/demo/Gate.java`:
/// `check(int)` has `if (x > 1 && x < 9)` and ran once with 5; `never()` and the implicit
/// constructor never ran. JaCoCo's own totals are the report-level `<counter>`s at its end.
const JACOCO_REAL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd"><report name="demo"><sessioninfo id="&lt;none&gt;" start="1795316346787" dump="1795316346789"/><package name="org/demo"><class name="org/demo/Gate" sourcefilename="Gate.java"><method name="&lt;init&gt;" desc="()V" line="3"><counter type="INSTRUCTION" missed="3" covered="0"/><counter type="LINE" missed="1" covered="0"/><counter type="COMPLEXITY" missed="1" covered="0"/><counter type="METHOD" missed="1" covered="0"/></method><method name="check" desc="(I)I" line="5"><counter type="INSTRUCTION" missed="2" covered="8"/><counter type="BRANCH" missed="2" covered="2"/><counter type="LINE" missed="1" covered="2"/><counter type="COMPLEXITY" missed="2" covered="1"/><counter type="METHOD" missed="0" covered="1"/></method><method name="never" desc="()I" line="12"><counter type="INSTRUCTION" missed="2" covered="0"/><counter type="LINE" missed="1" covered="0"/><counter type="COMPLEXITY" missed="1" covered="0"/><counter type="METHOD" missed="1" covered="0"/></method><method name="main" desc="([Ljava/lang/String;)V" line="16"><counter type="INSTRUCTION" missed="0" covered="4"/><counter type="LINE" missed="0" covered="2"/><counter type="COMPLEXITY" missed="0" covered="1"/><counter type="METHOD" missed="0" covered="1"/></method><counter type="INSTRUCTION" missed="7" covered="12"/><counter type="BRANCH" missed="2" covered="2"/><counter type="LINE" missed="3" covered="4"/><counter type="COMPLEXITY" missed="4" covered="2"/><counter type="METHOD" missed="2" covered="2"/><counter type="CLASS" missed="0" covered="1"/></class><sourcefile name="Gate.java"><line nr="3" mi="3" ci="0" mb="0" cb="0"/><line nr="5" mi="0" ci="6" mb="2" cb="2"/><line nr="6" mi="0" ci="2" mb="0" cb="0"/><line nr="8" mi="2" ci="0" mb="0" cb="0"/><line nr="12" mi="2" ci="0" mb="0" cb="0"/><line nr="16" mi="0" ci="3" mb="0" cb="0"/><line nr="17" mi="0" ci="1" mb="0" cb="0"/><counter type="INSTRUCTION" missed="7" covered="12"/><counter type="BRANCH" missed="2" covered="2"/><counter type="LINE" missed="3" covered="4"/><counter type="COMPLEXITY" missed="4" covered="2"/><counter type="METHOD" missed="2" covered="2"/><counter type="CLASS" missed="0" covered="1"/></sourcefile><counter type="INSTRUCTION" missed="7" covered="12"/><counter type="BRANCH" missed="2" covered="2"/><counter type="LINE" missed="3" covered="4"/><counter type="COMPLEXITY" missed="4" covered="2"/><counter type="METHOD" missed="2" covered="2"/><counter type="CLASS" missed="0" covered="1"/></package><counter type="INSTRUCTION" missed="7" covered="12"/><counter type="BRANCH" missed="2" covered="2"/><counter type="LINE" missed="3" covered="4"/><counter type="COMPLEXITY" missed="4" covered="2"/><counter type="METHOD" missed="2" covered="2"/><counter type="CLASS" missed="0" covered="1"/></report>"#;

/// JaCoCo's report-level counter of `kind` as (covered, total).
fn jacoco_counter(xml: &str, kind: &str) -> (u64, u64) {
    let tail = &xml[xml
        .rfind("</package>")
        .or_else(|| xml.rfind("</group>"))
        .unwrap()..];
    let needle = format!("<counter type=\"{kind}\"");
    let start = tail.find(&needle).unwrap();
    let tag = &tail[start..start + tail[start..].find("/>").unwrap()];
    let (m, c) = (
        xml_attr(tag, "missed").unwrap(),
        xml_attr(tag, "covered").unwrap(),
    );
    (c, m + c)
}

#[test]
fn jacoco_real_report_matches_its_counters() {
    let repo = Repo::new();
    repo.write("src/main/java/org/demo/Gate.java", "class Gate {}\n");
    repo.write("jacoco.xml", JACOCO_REAL);
    let cov = repo.coverage("jacoco.xml", Format::Jacoco);
    assert_eq!(
        lbf(&cov.totals()),
        [
            jacoco_counter(JACOCO_REAL, "LINE"),
            jacoco_counter(JACOCO_REAL, "BRANCH"),
            jacoco_counter(JACOCO_REAL, "METHOD"),
        ]
    );
    // Found under the Maven source root.
    let file = "src/main/java/org/demo/Gate.java";
    assert_eq!(
        lines(&cov, file),
        [(3, 0), (5, 6), (6, 2), (8, 0), (12, 0), (16, 3), (17, 1)]
    );
    assert_eq!(branches(&cov, file), [(5, 2, 4)]);
    assert_eq!(
        functions(&cov, file),
        [
            ("Gate.<init>".to_string(), 3, false),
            ("Gate.check".to_string(), 5, true),
            ("Gate.never".to_string(), 12, false),
            ("Gate.main".to_string(), 16, true),
        ]
    );
}

/// An aggregate report: groups nest packages; the module's folder is found from the group name.
/// Derivation: App.kt lines 3 (ci=2 → covered), 4 (mi=1 → missed), 5 (mi=1, ci=1 → covered:
/// partly covered lines count, as in JaCoCo's LINE counter) → 2/3 lines; line 5 has mb=1 cb=1
/// → 1/2 branches. Util.java (class without sourcefilename, pre-0.8 style: source taken from the
/// outer class name, `Util$1` → `Util.java`) has line 7 covered. Methods: App.run covered,
/// App.stop not (METHOD counter), Util$1.call covered → 2/3. `Gen` has no `<sourcefile>`
/// (no debug information): its method still counts, in a file with no lines → 2/4 overall.
#[test]
fn jacoco_groups_and_method_attribution() {
    let repo = Repo::new();
    repo.write("billing/src/main/kotlin/com/acme/App.kt", "");
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="all">
  <sessioninfo id="x" start="1" dump="2"/>
  <group name="billing">
    <package name="com/acme">
      <class name="com/acme/App" sourcefilename="App.kt">
        <method name="run" desc="()V" line="3"><counter type="METHOD" missed="0" covered="1"/></method>
        <method name="stop" desc="()V" line="4"><counter type="INSTRUCTION" missed="1" covered="0"/><counter type="METHOD" missed="1" covered="0"/></method>
      </class>
      <class name="com/acme/Util$1">
        <method name="call" desc="()V" line="7"><counter type="METHOD" missed="0" covered="1"/></method>
      </class>
      <class name="com/acme/Gen" sourcefilename="Gen.java">
        <method name="make" desc="()V"><counter type="METHOD" missed="1" covered="0"/></method>
      </class>
      <sourcefile name="App.kt">
        <line nr="3" mi="0" ci="2" mb="0" cb="0"/>
        <line nr="4" mi="1" ci="0" mb="0" cb="0"/>
        <line nr="5" mi="1" ci="1" mb="1" cb="1"/>
        <counter type="LINE" missed="1" covered="2"/>
      </sourcefile>
      <sourcefile name="Util.java"><line nr="7" mi="0" ci="4"/></sourcefile>
    </package>
  </group>
  <counter type="LINE" missed="1" covered="3"/>
</report>
"#;
    repo.write("jacoco.xml", xml);
    let cov = repo.coverage("jacoco.xml", Format::Jacoco);
    let app = "billing/src/main/kotlin/com/acme/App.kt";
    assert_eq!(lines(&cov, app), [(3, 2), (4, 0), (5, 1)]);
    assert_eq!(branches(&cov, app), [(5, 1, 2)]);
    assert_eq!(
        functions(&cov, app),
        [
            ("App.run".to_string(), 3, true),
            ("App.stop".to_string(), 4, false)
        ]
    );
    // Nothing exists for Util.java: the innermost group's Maven root is the guess.
    let util = "billing/src/main/java/com/acme/Util.java";
    assert_eq!(lines(&cov, util), [(7, 4)]);
    assert_eq!(
        functions(&cov, util),
        [("Util$1.call".to_string(), 7, true)]
    );
    let generated = "billing/src/main/java/com/acme/Gen.java";
    assert!(cov.files[generated].lines.is_empty());
    assert_eq!(lbf(&cov.totals()), [(3, 4), (1, 2), (2, 4)]);
}

/// The DOCTYPE names `report.dtd` (never fetched) and an internal subset declares external and
/// internal entities: none is expanded, nothing is read from disk, the numbers are unaffected.
#[test]
fn jacoco_doctype_and_xxe() {
    let repo = Repo::new();
    let secret = repo.write("secret.txt", "TOP-SECRET");
    let xml = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "http://127.0.0.1:9/report.dtd" [
  <!ENTITY xxe SYSTEM "file://{}">
  <!ENTITY big "lots of text">
]>
<report name="&xxe;">
  <package name="p">
    <class name="p/&xxe;" sourcefilename="A.java">
      <method name="m&big;" desc="()V" line="1"><counter type="METHOD" missed="0" covered="1"/></method>
    </class>
    <sourcefile name="A.java"><line nr="1" mi="0" ci="1" mb="0" cb="0"/></sourcefile>
  </package>
  <counter type="LINE" missed="0" covered="1"/>
</report>
"#,
        secret.display()
    );
    repo.write("jacoco.xml", &xml);
    // The DTD (with its http system id) is never fetched, and a reference to an entity it
    // declares is refused rather than expanded: the secret never reaches the model.
    let e = error_text("jacoco.xml", &xml);
    assert!(
        e.contains("xxe") && e.contains("never ones declared in a DTD"),
        "{e}"
    );
    assert!(
        !e.contains("TOP-SECRET") && !e.contains("lots of text"),
        "{e}"
    );
    // Without the references, the same report reads normally.
    let clean = xml.replace("&xxe;", "x").replace("&big;", "");
    repo.write("jacoco-clean.xml", &clean);
    let cov = repo.coverage("jacoco-clean.xml", Format::Jacoco);
    assert_eq!(lines(&cov, "src/main/java/p/A.java"), [(1, 1)]);
}

#[test]
fn jacoco_bad_input() {
    let head = r#"<?xml version="1.0"?><report name="x"><sessioninfo id="s" start="1" dump="2"/>"#;
    let e = error_text(
        "j.xml",
        &format!(
            r#"{head}<package name="p"><sourcefile name="A.java"><line mi="1"/></sourcefile></package></report>"#
        ),
    );
    assert!(e.contains("<line> without an nr attribute"), "{e}");
    let e = error_text(
        "j.xml",
        &format!(
            r#"{head}<package name="p"><sourcefile name="A.java"><line nr="x" mi="1"/></sourcefile></package></report>"#
        ),
    );
    assert!(
        e.contains("nr=\"x\"") && e.contains("expected a number"),
        "{e}"
    );
    let e = error_text(
        "j.xml",
        &format!(r#"{head}<package name="p"><sourcefile name="A.java"><line nr="1" mi="1"/>"#),
    );
    assert!(e.contains("truncated"), "{e}");
    assert!(e.contains("j.xml:1:"), "position: {e}");
}

// ---------------------------------------------------------------------------------------------
// Clover

/// PHPUnit 9.6.7 `--coverage-clover` with PCOV (php-code-coverage 9) for a class with `abs()`
/// (one branch not taken), the one-line method `half()` and `never()`, plus a file with a plain
/// function. PHPUnit printed (`--coverage-text`) in the same run:
const PHPUNIT_TEXT: &str =
    "  Classes:  0.00% (0/1)\n  Methods: 33.33% (1/3)\n  Lines:   44.44% (4/9)\n";
const PHPUNIT_CLOVER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1795316224">
  <project timestamp="1795316224">
    <file name="/tmp/phpproj/src/Calc.php">
      <class name="Acme\Calc" namespace="global">
        <metrics complexity="5" methods="3" coveredmethods="1" conditionals="0" coveredconditionals="0" statements="8" coveredstatements="3" elements="11" coveredelements="4"/>
      </class>
      <line num="6" type="method" name="abs" visibility="public" complexity="2" crap="2.15" count="1"/>
      <line num="8" type="stmt" count="1"/>
      <line num="9" type="stmt" count="0"/>
      <line num="11" type="stmt" count="1"/>
      <line num="14" type="method" name="half" visibility="public" complexity="1" crap="1" count="1"/>
      <line num="16" type="method" name="never" visibility="public" complexity="2" crap="6" count="0"/>
      <line num="18" type="stmt" count="0"/>
      <line num="19" type="stmt" count="0"/>
      <line num="20" type="stmt" count="0"/>
      <line num="22" type="stmt" count="0"/>
      <metrics loc="25" ncloc="25" classes="1" methods="3" coveredmethods="1" conditionals="0" coveredconditionals="0" statements="8" coveredstatements="3" elements="11" coveredelements="4"/>
    </file>
    <file name="/tmp/phpproj/src/helpers.php">
      <line num="4" type="stmt" count="1"/>
      <metrics loc="6" ncloc="6" classes="0" methods="0" coveredmethods="0" conditionals="0" coveredconditionals="0" statements="1" coveredstatements="1" elements="1" coveredelements="1"/>
    </file>
    <metrics files="2" loc="31" ncloc="31" classes="1" methods="3" coveredmethods="1" conditionals="0" coveredconditionals="0" statements="9" coveredstatements="4" elements="12" coveredelements="5"/>
  </project>
</coverage>
"#;

#[test]
fn clover_phpunit_matches_its_text_summary() {
    let repo = Repo::new();
    repo.write("src/Calc.php", "<?php\n");
    repo.write("src/helpers.php", "<?php\n");
    repo.write("clover.xml", PHPUNIT_CLOVER);
    let cov = repo.coverage("clover.xml", Format::Clover);
    let t = cov.totals();
    assert_eq!(
        [
            (t.functions_covered, t.functions_total),
            (t.lines_covered, t.lines_total)
        ],
        [
            text_summary(PHPUNIT_TEXT, "Methods:"),
            text_summary(PHPUNIT_TEXT, "Lines:")
        ]
    );
    // /tmp/phpproj is another machine's checkout: mapped onto the repository.
    let calc = "src/Calc.php";
    // Line 14 is half()'s one statement, written by PHPUnit as the method line only.
    assert_eq!(
        lines(&cov, calc),
        [
            (8, 1),
            (9, 0),
            (11, 1),
            (14, 1),
            (18, 0),
            (19, 0),
            (20, 0),
            (22, 0)
        ]
    );
    // abs() ran but line 9 did not: PHPUnit does not count it as a tested method.
    assert_eq!(
        functions(&cov, calc),
        [
            ("abs".to_string(), 6, false),
            ("half".to_string(), 14, true),
            ("never".to_string(), 16, false)
        ]
    );
}

/// nyc 17 (istanbul-reports) `clover` for `lib.js`:
/// `function grade(n) { if (n > 90) return 'A'; return n > 50 ? 'B' : 'C'; }`,
/// `const unused = () => 0;`, `both: (a, b) => a && b`, called as grade(95), grade(60),
/// both(1, 0). nyc's text-summary of the same run is [`NYC_TEXT`].
const NYC_CLOVER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1795316337097" clover="3.2.0">
  <project timestamp="1795316337097" name="All files">
    <metrics statements="5" coveredstatements="5" conditionals="6" coveredconditionals="5" methods="3" coveredmethods="2" elements="14" coveredelements="12" complexity="0" loc="5" ncloc="5" packages="1" files="2" classes="2"/>
    <file name="lib.js" path="/tmp/js2/lib.js">
      <metrics statements="4" coveredstatements="4" conditionals="6" coveredconditionals="5" methods="3" coveredmethods="2"/>
      <line num="2" count="2" type="cond" truecount="2" falsecount="0"/>
      <line num="3" count="1" type="cond" truecount="1" falsecount="1"/>
      <line num="5" count="1" type="stmt"/>
      <line num="6" count="1" type="cond" truecount="2" falsecount="0"/>
    </file>
    <file name="main.js" path="/tmp/js2/main.js">
      <metrics statements="1" coveredstatements="1" conditionals="0" coveredconditionals="0" methods="0" coveredmethods="0"/>
      <line num="1" count="1" type="stmt"/>
    </file>
  </project>
</coverage>
"#;

const NYC_TEXT: &str = "Statements   : 90.9% ( 10/11 )\nBranches     : 83.33% ( 5/6 )\nFunctions    : 66.66% ( 2/3 )\nLines        : 100% ( 5/5 )\n";

#[test]
fn clover_istanbul_matches_its_text_summary() {
    let cov = read_text("clover.xml", NYC_CLOVER, Format::Clover);
    // istanbul's clover `<line>`s are its line coverage: the "Lines" figure.
    assert_eq!(
        lbf(&cov.totals()),
        [
            text_summary(NYC_TEXT, "Lines"),
            text_summary(NYC_TEXT, "Branches"),
            text_summary(NYC_TEXT, "Functions")
        ]
    );
    let lib = cov
        .files
        .keys()
        .find(|k| k.ends_with("lib.js"))
        .unwrap()
        .clone();
    // istanbul's truecount/falsecount are branches covered/missed on the line.
    assert_eq!(branches(&cov, &lib), [(2, 2, 2), (3, 1, 2), (6, 2, 2)]);
}

/// OpenClover-style report, by hand. Derivation:
/// - `<testproject>` is skipped entirely (its file would add a line).
/// - Foo.java: stmt lines 6 (count 3) and 7 (twice: two statements; one line, max count 2);
///   cond line 8 (truecount 4, falsecount 0: true branch taken, false never → 1 of 2) and
///   line 9 (1, 1 → 2 of 2); stmt line 10 count 0. Lines: 6,7,8,9,10 → 4 covered of 5
///   (line 8's hits are 4+0 evaluations, line 9's 2). Branches 3/4, matching the file's
///   metrics conditionals="4" coveredconditionals="3" (istanbul's reading would give 5/6).
/// - Methods: `bar` (count 3) entered, `baz(int) : void` (no name, signature used) not → 1/2.
#[test]
fn clover_openclover_by_hand() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1" clover="4.4.1">
  <project timestamp="1" name="demo">
    <metrics statements="4" coveredstatements="3" conditionals="4" coveredconditionals="3" methods="2" coveredmethods="1"/>
    <package name="com.example">
      <metrics statements="4"/>
      <file name="Foo.java" path="src/main/java/com/example/Foo.java">
        <metrics statements="4" coveredstatements="3" conditionals="4" coveredconditionals="3" methods="2" coveredmethods="1"/>
        <class name="Foo"><metrics statements="99" conditionals="99" coveredconditionals="0"/></class>
        <line num="5" count="3" type="method" name="bar" signature="bar() : int"/>
        <line num="6" count="3" type="stmt"/>
        <line num="7" count="2" type="stmt"/>
        <line num="7" count="1" type="stmt"/>
        <line num="8" truecount="4" falsecount="0" type="cond"/>
        <line num="9" truecount="1" falsecount="1" type="cond"/>
        <line num="10" count="0" type="stmt"/>
        <line num="12" count="0" type="method" signature="baz(int) : void"/>
      </file>
    </package>
  </project>
  <testproject timestamp="1" name="tests">
    <package name="t"><file name="FooTest.java" path="src/test/java/t/FooTest.java">
      <line num="1" count="1" type="stmt"/>
    </file></package>
  </testproject>
</coverage>
"#;
    let cov = read_text("clover.xml", xml, Format::Clover);
    let f = "src/main/java/com/example/Foo.java";
    assert_eq!(cov.files.len(), 1);
    assert_eq!(lines(&cov, f), [(6, 3), (7, 2), (8, 4), (9, 2), (10, 0)]);
    assert_eq!(branches(&cov, f), [(8, 1, 2), (9, 2, 2)]);
    assert_eq!(
        functions(&cov, f),
        [
            ("bar".to_string(), 5, true),
            ("baz(int) : void".to_string(), 12, false)
        ]
    );
    assert_eq!(lbf(&cov.totals()), [(4, 5), (3, 4), (1, 2)]);
}

/// A file known only by `name` inside a package is tried under the package's folder.
#[test]
fn clover_bare_name_under_package() {
    let repo = Repo::new();
    repo.write("com/example/Foo.java", "");
    repo.write(
        "c.xml",
        r#"<coverage clover="4.0.0"><project><package name="com.example"><file name="Foo.java"><line num="1" count="1" type="stmt"/></file></package></project></coverage>"#,
    );
    let cov = repo.coverage("c.xml", Format::Clover);
    assert_eq!(lines(&cov, "com/example/Foo.java"), [(1, 1)]);
}

#[test]
fn clover_bad_input() {
    let e = error_text(
        "c.xml",
        r#"<coverage clover="4"><project><file name="a.js"><line count="1" type="stmt"/></file></project></coverage>"#,
    );
    assert!(e.contains("<line> without a num attribute"), "{e}");
    let e = error_text(
        "c.xml",
        r#"<coverage clover="4"><project><file name="a.js"><line num="1" count="x" type="stmt"/></file></project></coverage>"#,
    );
    assert!(
        e.contains("count=\"x\"") && e.contains("expected a number"),
        "{e}"
    );
    let e = error_text(
        "c.xml",
        r#"<coverage clover="4"><project><file name="a.js"><line num="1" count="1" type="weird"/></file></project></coverage>"#,
    );
    assert!(e.contains("expected type stmt, cond or method"), "{e}");
    let e = error_text(
        "c.xml",
        r#"<coverage clover="4"><project><file><line num="1" count="1" type="stmt"/></file></project></coverage>"#,
    );
    assert!(e.contains("<file> without a name or path attribute"), "{e}");
    let e = error_text(
        "c.xml",
        r#"<coverage clover="4"><project><file name="a.js"><line num="1" count="1" type="stmt"/>"#,
    );
    assert!(e.contains("truncated"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// coverage.py JSON

/// `coverage json` of coverage.py 7.17.3 (`coverage run --branch`) for `shapes.py`: `area()`
/// called once with "square", `unused()` excluded by a pragma, `Box.size(2)`. The `totals`
/// block is coverage.py's own figure.
const COVERAGEPY_REAL: &str = r#"{"meta": {"format": 3, "version": "7.17.3", "timestamp": "2026-11-22T02:59:00.957260", "branch_coverage": true, "show_contexts": false}, "files": {"shapes.py": {"executed_lines": [1, 2, 3, 13, 14, 15, 16, 18], "summary": {"covered_lines": 8, "num_statements": 12, "percent_covered": 60.0, "percent_covered_display": "60", "missing_lines": 4, "excluded_lines": 2, "percent_statements_covered": 66.66666666666667, "percent_statements_covered_display": "67", "num_branches": 8, "num_partial_branches": 2, "covered_branches": 4, "missing_branches": 4, "percent_branches_covered": 50.0, "percent_branches_covered_display": "50"}, "missing_lines": [4, 5, 6, 17], "excluded_lines": [9, 10], "executed_branches": [[2, 3], [15, 16], [15, 18], [16, 15]], "missing_branches": [[2, 4], [4, 5], [4, 6], [16, 17]], "functions": {"area": {"executed_lines": [2, 3], "summary": {"covered_lines": 2, "num_statements": 5, "percent_covered": 33.333333333333336, "percent_covered_display": "33", "missing_lines": 3, "excluded_lines": 0, "percent_statements_covered": 40.0, "percent_statements_covered_display": "40", "num_branches": 4, "num_partial_branches": 1, "covered_branches": 1, "missing_branches": 3, "percent_branches_covered": 25.0, "percent_branches_covered_display": "25"}, "missing_lines": [4, 5, 6], "excluded_lines": [], "start_line": 1, "executed_branches": [[2, 3]], "missing_branches": [[2, 4], [4, 5], [4, 6]]}, "unused": {"executed_lines": [], "summary": {"covered_lines": 0, "num_statements": 0, "percent_covered": 100.0, "percent_covered_display": "100", "missing_lines": 0, "excluded_lines": 1, "percent_statements_covered": 100.0, "percent_statements_covered_display": "100", "num_branches": 0, "num_partial_branches": 0, "covered_branches": 0, "missing_branches": 0, "percent_branches_covered": 100.0, "percent_branches_covered_display": "100"}, "missing_lines": [], "excluded_lines": [10], "start_line": 9, "executed_branches": [], "missing_branches": []}, "Box.size": {"executed_lines": [15, 16, 18], "summary": {"covered_lines": 3, "num_statements": 4, "percent_covered": 75.0, "percent_covered_display": "75", "missing_lines": 1, "excluded_lines": 0, "percent_statements_covered": 75.0, "percent_statements_covered_display": "75", "num_branches": 4, "num_partial_branches": 1, "covered_branches": 3, "missing_branches": 1, "percent_branches_covered": 75.0, "percent_branches_covered_display": "75"}, "missing_lines": [17], "excluded_lines": [], "start_line": 14, "executed_branches": [[15, 16], [15, 18], [16, 15]], "missing_branches": [[16, 17]]}, "": {"executed_lines": [1, 13, 14], "summary": {"covered_lines": 3, "num_statements": 3, "percent_covered": 100.0, "percent_covered_display": "100", "missing_lines": 0, "excluded_lines": 1, "percent_statements_covered": 100.0, "percent_statements_covered_display": "100", "num_branches": 0, "num_partial_branches": 0, "covered_branches": 0, "missing_branches": 0, "percent_branches_covered": 100.0, "percent_branches_covered_display": "100"}, "missing_lines": [], "excluded_lines": [9], "start_line": 1, "executed_branches": [], "missing_branches": []}}, "classes": {"Box": {"executed_lines": [15, 16, 18], "summary": {"covered_lines": 3, "num_statements": 4, "percent_covered": 75.0, "percent_covered_display": "75", "missing_lines": 1, "excluded_lines": 0, "percent_statements_covered": 75.0, "percent_statements_covered_display": "75", "num_branches": 4, "num_partial_branches": 1, "covered_branches": 3, "missing_branches": 1, "percent_branches_covered": 75.0, "percent_branches_covered_display": "75"}, "missing_lines": [17], "excluded_lines": [], "start_line": 13, "executed_branches": [[15, 16], [15, 18], [16, 15]], "missing_branches": [[16, 17]]}, "": {"executed_lines": [1, 2, 3, 13, 14], "summary": {"covered_lines": 5, "num_statements": 8, "percent_covered": 50.0, "percent_covered_display": "50", "missing_lines": 3, "excluded_lines": 2, "percent_statements_covered": 62.5, "percent_statements_covered_display": "62", "num_branches": 4, "num_partial_branches": 1, "covered_branches": 1, "missing_branches": 3, "percent_branches_covered": 25.0, "percent_branches_covered_display": "25"}, "missing_lines": [4, 5, 6], "excluded_lines": [9, 10], "start_line": 1, "executed_branches": [[2, 3]], "missing_branches": [[2, 4], [4, 5], [4, 6]]}}}}, "totals": {"covered_lines": 8, "num_statements": 12, "percent_covered": 60.0, "percent_covered_display": "60", "missing_lines": 4, "excluded_lines": 2, "percent_statements_covered": 66.66666666666667, "percent_statements_covered_display": "67", "num_branches": 8, "num_partial_branches": 2, "covered_branches": 4, "missing_branches": 4, "percent_branches_covered": 50.0, "percent_branches_covered_display": "50"}}"#;

#[test]
fn coveragepy_real_matches_its_totals() {
    let repo = Repo::new();
    repo.write("shapes.py", "");
    repo.write("coverage.json", COVERAGEPY_REAL);
    let cov = repo.coverage("coverage.json", Format::CoveragePyJson);
    let doc: serde_json::Value = serde_json::from_str(COVERAGEPY_REAL).unwrap();
    let tot = &doc["totals"];
    let n = |k: &str| tot[k].as_u64().unwrap();
    let t = cov.totals();
    assert_eq!(
        [
            (t.lines_covered, t.lines_total),
            (t.branches_covered, t.branches_total)
        ],
        [
            (n("covered_lines"), n("num_statements")),
            (n("covered_branches"), n("num_branches"))
        ]
    );
    // Branch arcs grouped by their source line: 2 → {3 taken, 4 not}; 4 → {5, 6} not;
    // 15 → {16, 18} taken; 16 → {15 taken, 17 not}.
    assert_eq!(
        branches(&cov, "shapes.py"),
        [(2, 1, 2), (4, 0, 2), (15, 2, 2), (16, 1, 2)]
    );
    // `unused` is excluded (no statements) and "" is module-level code: not functions.
    assert_eq!(
        functions(&cov, "shapes.py"),
        [
            ("area".to_string(), 1, true),
            ("Box.size".to_string(), 14, true)
        ]
    );
}

/// Format 2 (coverage.py before 7.5: no functions) by hand: executed [1, 2], missing [3],
/// excluded [4] → lines 1, 2 covered, 3 not, 4 not coverable; an exit arc `[3, -1]` is a branch
/// of line 3. Two entries naming one file through different spellings add up.
#[test]
fn coveragepy_by_hand() {
    let json = r#"{"meta": {"version": "6.5.0", "timestamp": "x", "branch_coverage": true, "show_contexts": false},
      "files": {
        "pkg/a.py": {"executed_lines": [1, 2], "missing_lines": [3], "excluded_lines": [4],
                     "executed_branches": [[2, 3]], "missing_branches": [[3, -1], [2, 1]],
                     "summary": {"covered_lines": 2, "num_statements": 3}},
        "./pkg/a.py": {"executed_lines": [3], "missing_lines": [], "excluded_lines": []}
      },
      "totals": {"covered_lines": 2, "num_statements": 3}}"#;
    let cov = read_text("coverage.json", json, Format::CoveragePyJson);
    assert_eq!(lines(&cov, "pkg/a.py"), [(1, 1), (2, 1), (3, 1)]);
    assert_eq!(branches(&cov, "pkg/a.py"), [(2, 1, 2), (3, 0, 1)]);
    assert!(cov.files["pkg/a.py"].functions.is_empty());
}

#[test]
fn coveragepy_bad_input() {
    let e = error_text(
        "c.json",
        r#"{"meta": {"show_contexts": false}, "files": {"a.py": {"executed_lines": [1, "x"]}}}"#,
    );
    assert!(
        e.contains("c.json:1:") && e.contains("invalid coverage.py JSON"),
        "{e}"
    );
    let e = error_text(
        "c.json",
        r#"{"meta": {"show_contexts": false}, "files": {"a.py": {"executed_lines": [1, 2"#,
    );
    assert!(e.contains("truncated"), "{e}");
    let e = error_text(
        "c.json",
        r#"{"meta": {"show_contexts": false}, "totals": {}}"#,
    );
    assert!(e.contains("expected a \"files\" object"), "{e}");
    let e = error_text(
        "c.json",
        r#"{"meta": {"show_contexts": false}, "files": {"a.py": {"executed_lines": [1], "missing_branches": [[-2, 1]]}}}"#,
    );
    assert!(e.contains("expected a positive line number"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Istanbul

/// nyc 17 `json` reporter for the program of [`NYC_CLOVER`] (`inputSourceMap` absent: plain
/// JavaScript). nyc's text-summary of the same run is [`NYC_TEXT`].
const NYC_FINAL: &str = r#"{"/tmp/js2/lib.js": {"path":"/tmp/js2/lib.js","statementMap":{"0":{"start":{"line":2,"column":2},"end":{"line":2,"column":25}},"1":{"start":{"line":2,"column":14},"end":{"line":2,"column":25}},"2":{"start":{"line":3,"column":2},"end":{"line":3,"column":28}},"3":{"start":{"line":5,"column":15},"end":{"line":5,"column":22}},"4":{"start":{"line":5,"column":21},"end":{"line":5,"column":22}},"5":{"start":{"line":6,"column":0},"end":{"line":6,"column":59}},"6":{"start":{"line":6,"column":50},"end":{"line":6,"column":56}}},"fnMap":{"0":{"name":"grade","decl":{"start":{"line":1,"column":9},"end":{"line":1,"column":14}},"loc":{"start":{"line":1,"column":18},"end":{"line":4,"column":1}},"line":1},"1":{"name":"(anonymous_1)","decl":{"start":{"line":5,"column":15},"end":{"line":5,"column":16}},"loc":{"start":{"line":5,"column":21},"end":{"line":5,"column":22}},"line":5},"2":{"name":"(anonymous_2)","decl":{"start":{"line":6,"column":40},"end":{"line":6,"column":41}},"loc":{"start":{"line":6,"column":50},"end":{"line":6,"column":56}},"line":6}},"branchMap":{"0":{"loc":{"start":{"line":2,"column":2},"end":{"line":2,"column":25}},"type":"if","locations":[{"start":{"line":2,"column":2},"end":{"line":2,"column":25}},{"start":{},"end":{}}],"line":2},"1":{"loc":{"start":{"line":3,"column":9},"end":{"line":3,"column":27}},"type":"cond-expr","locations":[{"start":{"line":3,"column":18},"end":{"line":3,"column":21}},{"start":{"line":3,"column":24},"end":{"line":3,"column":27}}],"line":3},"2":{"loc":{"start":{"line":6,"column":50},"end":{"line":6,"column":56}},"type":"binary-expr","locations":[{"start":{"line":6,"column":50},"end":{"line":6,"column":51}},{"start":{"line":6,"column":55},"end":{"line":6,"column":56}}],"line":6}},"s":{"0":2,"1":1,"2":1,"3":1,"4":0,"5":1,"6":1},"f":{"0":2,"1":0,"2":1},"b":{"0":[1,1],"1":[1,0],"2":[1,1]},"_coverageSchema":"1a1c01bbd47fc00a2c39e90264f33305004495a9","hash":"b1781d1628b9ecc67383c16f01c44ef8b553ec9d"}
,"/tmp/js2/main.js": {"path":"/tmp/js2/main.js","statementMap":{"0":{"start":{"line":1,"column":10},"end":{"line":1,"column":26}},"1":{"start":{"line":1,"column":28},"end":{"line":1,"column":40}},"2":{"start":{"line":1,"column":41},"end":{"line":1,"column":53}},"3":{"start":{"line":1,"column":54},"end":{"line":1,"column":67}}},"fnMap":{},"branchMap":{},"s":{"0":1,"1":1,"2":1,"3":1},"f":{},"b":{},"_coverageSchema":"1a1c01bbd47fc00a2c39e90264f33305004495a9","hash":"300df99c5265adaeb8b516025c2ee448b7b3eacb"}
}"#;

#[test]
fn istanbul_final_matches_its_text_summary() {
    let cov = read_text("coverage-final.json", NYC_FINAL, Format::IstanbulJson);
    let t = cov.totals();
    assert_eq!(
        [
            (t.statements_covered, t.statements_total),
            (t.branches_covered, t.branches_total),
            (t.functions_covered, t.functions_total),
            (t.lines_covered, t.lines_total),
        ],
        [
            text_summary(NYC_TEXT, "Statements"),
            text_summary(NYC_TEXT, "Branches"),
            text_summary(NYC_TEXT, "Functions"),
            text_summary(NYC_TEXT, "Lines"),
        ]
    );
    let lib = cov
        .files
        .keys()
        .find(|k| k.ends_with("lib.js"))
        .unwrap()
        .clone();
    // Line 5 holds `const unused = ...` (ran, 1) and the arrow's body (never ran, 0): the line
    // takes the larger, as istanbul's getLineCoverage does.
    assert_eq!(lines(&cov, &lib), [(2, 2), (3, 1), (5, 1), (6, 1)]);
    assert_eq!(branches(&cov, &lib), [(2, 2, 2), (3, 1, 2), (6, 2, 2)]);
    assert_eq!(
        functions(&cov, &lib),
        [
            ("grade".to_string(), 1, true),
            ("(anonymous_1)".to_string(), 5, false),
            ("(anonymous_2)".to_string(), 6, true)
        ]
    );
}

/// nyc 17 `json-summary` of the same run; `total` is istanbul's own sum.
const NYC_SUMMARY: &str = r#"{"total": {"lines":{"total":5,"covered":5,"skipped":0,"pct":100},"statements":{"total":11,"covered":10,"skipped":0,"pct":90.9},"functions":{"total":3,"covered":2,"skipped":0,"pct":66.66},"branches":{"total":6,"covered":5,"skipped":0,"pct":83.33},"branchesTrue":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}}
,"/tmp/js2/lib.js": {"lines":{"total":4,"covered":4,"skipped":0,"pct":100},"functions":{"total":3,"covered":2,"skipped":0,"pct":66.66},"statements":{"total":7,"covered":6,"skipped":0,"pct":85.71},"branches":{"total":6,"covered":5,"skipped":0,"pct":83.33}}
,"/tmp/js2/main.js": {"lines":{"total":1,"covered":1,"skipped":0,"pct":100},"functions":{"total":0,"covered":0,"skipped":0,"pct":100},"statements":{"total":4,"covered":4,"skipped":0,"pct":100},"branches":{"total":0,"covered":0,"skipped":0,"pct":100}}
}"#;

#[test]
fn istanbul_summary_matches_its_total() {
    let cov = read_text(
        "coverage-summary.json",
        NYC_SUMMARY,
        Format::IstanbulSummary,
    );
    let doc: serde_json::Value = serde_json::from_str(NYC_SUMMARY).unwrap();
    let m = |k: &str| {
        let v = &doc["total"][k];
        (v["covered"].as_u64().unwrap(), v["total"].as_u64().unwrap())
    };
    let t = cov.totals();
    assert_eq!(t.files, 2, "the total entry is not a file");
    assert_eq!(
        [
            (t.lines_covered, t.lines_total),
            (t.statements_covered, t.statements_total),
            (t.functions_covered, t.functions_total),
            (t.branches_covered, t.branches_total),
        ],
        [m("lines"), m("statements"), m("functions"), m("branches")]
    );
    // And the same as the coverage-final.json of that run.
    let fin = read_text("coverage-final.json", NYC_FINAL, Format::IstanbulJson);
    assert_eq!(fin.totals(), t);
}

/// By hand: a `{"data": ...}`-wrapped entry (older Jest), a statement without a statementMap
/// entry (counts as a statement, places no line), a branch placed by `loc` when `line` is 0,
/// a function count without an fnMap entry. Derivation: statements 0 (line 1, 0 hits),
/// 1 (line 1, 3 hits), 2 (no location, 1 hit) → statements 2/3, lines {1: 3} → 1/1; branches
/// b0 [0, 2, 0] on line 4 → 1/3; functions f0 = 0 ("main" at decl line 1), f9 = 5 (unnamed) →
/// 1/2.
#[test]
fn istanbul_final_by_hand() {
    let json = r#"{"src/a.js": {"data": {
        "path": "src/a.js",
        "statementMap": {"0": {"start": {"line": 1, "column": 0}, "end": {"line": 1, "column": 5}},
                         "1": {"start": {"line": 1, "column": 6}, "end": {"line": 2, "column": 1}}},
        "s": {"0": 0, "1": 3, "2": 1},
        "branchMap": {"0": {"line": 0, "loc": {"start": {"line": 4, "column": 0}, "end": {}}, "type": "switch", "locations": []}},
        "b": {"0": [0, 2, 0]},
        "fnMap": {"0": {"name": "main", "decl": {"start": {"line": 1, "column": 0}, "end": {}}, "loc": {"start": {"line": 2, "column": 0}}}},
        "f": {"0": 0, "9": 5},
        "inputSourceMap": {"version": 3, "sources": ["a.ts"], "mappings": "AAAA"}
    }}}"#;
    let cov = read_text("coverage-final.json", json, Format::IstanbulJson);
    let t = cov.totals();
    assert_eq!((t.statements_covered, t.statements_total), (2, 3));
    assert_eq!(lines(&cov, "src/a.js"), [(1, 3)]);
    assert_eq!(branches(&cov, "src/a.js"), [(4, 1, 3)]);
    assert_eq!(
        functions(&cov, "src/a.js"),
        [
            ("(function 9)".to_string(), 0, true),
            ("main".to_string(), 1, false)
        ]
    );
}

#[test]
fn istanbul_bad_input() {
    let e = error_text(
        "coverage-final.json",
        r#"{"a.js": {"statementMap": {}, "s": {"0": "many"}}}"#,
    );
    assert!(
        e.contains("coverage-final.json:1:") && e.contains("invalid istanbul JSON"),
        "{e}"
    );
    let e = error_text(
        "coverage-final.json",
        r#"{"a.js": {"statementMap": {"0": {"start": {"line": 1"#,
    );
    assert!(e.contains("truncated"), "{e}");
    let e = error_text(
        "coverage-summary.json",
        r#"{"total": {"lines": {"total": 1, "covered": 1, "pct": 100}}, "a.js": {"lines": {"total": 1, "covered": 1, "pct": 100}}}"#,
    );
    assert!(e.contains("missing field"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Go coverprofile

/// `go test -covermode=count -coverpkg=./... -coverprofile` (Go 1.19) over a module
/// `example.com/acme/gomod` with packages calc and text: each package's test binary writes
/// every block of both packages, so each block appears twice and the counts add up.
const GO_PROFILE: &str = "mode: count
example.com/acme/gomod/calc/calc.go:4.21,5.11 1 0
example.com/acme/gomod/calc/calc.go:8.2,8.10 1 0
example.com/acme/gomod/calc/calc.go:5.11,7.3 1 0
example.com/acme/gomod/calc/calc.go:12.25,13.9 1 0
example.com/acme/gomod/calc/calc.go:19.2,19.12 1 0
example.com/acme/gomod/calc/calc.go:14.13,15.13 1 0
example.com/acme/gomod/calc/calc.go:16.13,17.13 1 0
example.com/acme/gomod/calc/calc.go:22.16,22.17 0 0
example.com/acme/gomod/calc/calc.go:24.22,26.25 2 0
example.com/acme/gomod/calc/calc.go:33.2,33.10 1 0
example.com/acme/gomod/calc/calc.go:26.25,27.15 1 0
example.com/acme/gomod/calc/calc.go:27.15,29.4 1 0
example.com/acme/gomod/calc/calc.go:29.9,31.4 1 0
example.com/acme/gomod/text/text.go:9.29,9.64 1 1
example.com/acme/gomod/text/text.go:11.34,13.17 2 0
example.com/acme/gomod/text/text.go:16.2,16.10 1 0
example.com/acme/gomod/text/text.go:13.17,15.3 1 0
example.com/acme/gomod/calc/calc.go:4.21,5.11 1 2
example.com/acme/gomod/calc/calc.go:8.2,8.10 1 1
example.com/acme/gomod/calc/calc.go:5.11,7.3 1 1
example.com/acme/gomod/calc/calc.go:12.25,13.9 1 1
example.com/acme/gomod/calc/calc.go:19.2,19.12 1 0
example.com/acme/gomod/calc/calc.go:14.13,15.13 1 1
example.com/acme/gomod/calc/calc.go:16.13,17.13 1 0
example.com/acme/gomod/calc/calc.go:22.16,22.17 0 0
example.com/acme/gomod/calc/calc.go:24.22,26.25 2 1
example.com/acme/gomod/calc/calc.go:33.2,33.10 1 1
example.com/acme/gomod/calc/calc.go:26.25,27.15 1 5
example.com/acme/gomod/calc/calc.go:27.15,29.4 1 3
example.com/acme/gomod/calc/calc.go:29.9,31.4 1 2
example.com/acme/gomod/text/text.go:9.29,9.64 1 0
example.com/acme/gomod/text/text.go:11.34,13.17 2 0
example.com/acme/gomod/text/text.go:16.2,16.10 1 0
example.com/acme/gomod/text/text.go:13.17,15.3 1 0
";

/// The last line `go tool cover -func` printed for [`GO_PROFILE`].
const GO_FUNC_TOTAL: &str = "total:\t\t\t\t\t(statements)\t66.7%";

#[test]
fn gocover_real_matches_go_tool_cover() {
    let repo = Repo::new();
    repo.write(
        "go.mod",
        "module example.com/acme/gomod // the module\n\ngo 1.19\n",
    );
    repo.write("cover.out", GO_PROFILE);
    let cov = repo.coverage("cover.out", Format::GoCover);
    assert_eq!(
        cov.files.keys().collect::<Vec<_>>(),
        ["calc/calc.go", "text/text.go"],
        "module path stripped even though the files are absent"
    );
    let want: f64 = GO_FUNC_TOTAL
        .rsplit('\t')
        .next()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    let got = cov.totals().statement_percent().unwrap();
    assert_eq!(format!("{got:.1}"), format!("{want:.1}"));
    // Hand check of the lines view for text.go: blocks 9.29-9.64 (1 hit), 11.34-13.17,
    // 13.17-15.3 and 16.2-16.10 (none) → line 9 covered; 11-16 not (13 is shared by two
    // missed blocks).
    assert_eq!(
        lines(&cov, "text/text.go"),
        [(9, 1), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0)]
    );
    // calc.go line 22 is `func unused() {}`: a block without statements covers no line.
    assert_eq!(cov.files["calc/calc.go"].lines.get(22), None);
    // Line 5 ends block 4.21-5.11 (2 hits) and starts 5.11-7.3 (1 hit): the larger.
    assert_eq!(cov.files["calc/calc.go"].lines.get(5), Some(2));
}

/// By hand, set mode, no go.mod: the import path's prefix is found by dropping components until
/// the rest exists (`pkg/a.go`), then reused for `pkg/b.go` which does not exist. Blocks:
/// a.go 1.1-2.5 (2 statements) hit in one copy and not in the other → OR → covered;
/// a.go 3.1-3.9 (1 statement) never → statements 2/3; lines 1, 2 covered, 3 not.
/// `_/abs/...` pre-module names lose the `_`.
#[test]
fn gocover_by_hand() {
    let repo = Repo::new();
    repo.write("pkg/a.go", "package pkg\n");
    repo.write(
        "c.out",
        "mode: set\n\
         github.com/o/r/pkg/a.go:1.1,2.5 2 1\n\
         github.com/o/r/pkg/a.go:3.1,3.9 1 0\r\n\
         \n\
         mode: set\n\
         github.com/o/r/pkg/a.go:1.1,2.5 2 0\n\
         github.com/o/r/pkg/b.go:1.1,1.9 1 1\n\
         _/somewhere/else/c.go:1.1,1.2 1 1\n",
    );
    let cov = repo.coverage("c.out", Format::GoCover);
    assert_eq!(lines(&cov, "pkg/a.go"), [(1, 1), (2, 1), (3, 0)]);
    let a = cov.files["pkg/a.go"].totals();
    assert_eq!((a.statements_covered, a.statements_total), (2, 3));
    assert!(cov.files.contains_key("pkg/b.go"));
    assert!(
        cov.files.contains_key("somewhere/else/c.go"),
        "{:?}",
        cov.files.keys()
    );
}

#[test]
fn gocover_bad_input() {
    let e = error_text("c.out", "mode: count\na.go:1.1,2.1 1\n");
    assert!(
        e.contains("c.out:2:1") && e.contains("expected <file>:<line>.<col>"),
        "{e}"
    );
    let e = error_text("c.out", "mode: count\na.go:1.1,2.1 1 1\na.go:1.1,2.1 2 1\n");
    assert!(
        e.contains("c.out:3:") && e.contains("same block on line 2"),
        "{e}"
    );
    let e = error_text("c.out", "mode: set\na.go:1.1,2.1 1 1\nmode: count\n");
    assert!(e.contains("expected profiles of one mode"), "{e}");
    let e = error_text("c.out", "mode: set\na.go:9.1,2.1 1 1\n");
    assert!(e.contains("ends before it starts"), "{e}");
    let e = error_text("c.out", "mode: set\na.go:1.1,2.1 1 -3\n");
    assert!(e.contains("count is not a whole number"), "{e}");
}

/// Jest's `--json --coverage` output embeds istanbul file objects in `coverageMap`, after its
/// test counts: it is test results, not `coverage-final.json`.
#[test]
fn jest_results_with_coverage_map_are_not_istanbul() {
    let repo = Repo::new();
    let p = repo.write(
        "jest.json",
        r#"{"numFailedTestSuites":0,"numPassedTests":1,"numTotalTests":1,"coverageMap":{"/a.js":{"path":"/a.js","statementMap":{},"s":{},"fnMap":{},"f":{},"branchMap":{},"b":{}}},"testResults":[]}"#,
    );
    let resolver = PathResolver::new(repo.path());
    let format = match ingest::read_path(&p, None, &resolver) {
        Ok(i) => i.format,
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains("istanbul"), "{msg}");
            return;
        }
    };
    assert_ne!(format, Format::IstanbulJson);
}

/// gcovr's JaCoCo writer (gcovr 8.8) gives `<line>`s no instruction counts: the source file is
/// read from its own counters. By hand: LINE 1 missed + 7 covered → 7/8, BRANCH 1/2, METHOD 1/1.
#[test]
fn jacoco_gcovr_lines_without_instructions() {
    let xml = r#"<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE report SYSTEM 'https://www.jacoco.org/jacoco/trunk/coverage/report.dtd'>
<report name="GCOVR report">
  <package name="">
    <sourcefile name="main.c">
      <line nr="4"/>
      <line nr="10" mb="1" cb="1"/>
      <counter type="LINE" missed="1" covered="7"/>
      <counter type="BRANCH" missed="1" covered="1"/>
      <counter type="METHOD" missed="0" covered="1"/>
    </sourcefile>
    <counter type="LINE" missed="1" covered="7"/>
  </package>
  <counter type="LINE" missed="1" covered="7"/>
</report>
"#;
    let cov = read_text("jacoco.xml", xml, Format::Jacoco);
    assert_eq!(lbf(&cov.totals()), [(7, 8), (1, 2), (1, 1)]);
}

/// Branches the file's metrics count beyond its cond lines are kept on line 0. By hand: PHPUnit
/// with path coverage writes conditionals="20" coveredconditionals="13" and no cond line →
/// 13/20; an istanbul file with one cond line (1 of 2) and metrics 3 of 5 → 2 of 3 more on
/// line 0.
#[test]
fn clover_branches_only_in_metrics() {
    let xml = r#"<coverage generated="1"><project timestamp="1">
      <file name="src/A.php">
        <line num="3" type="stmt" count="1"/>
        <metrics methods="0" coveredmethods="0" conditionals="20" coveredconditionals="13" statements="1" coveredstatements="1"/>
      </file></project></coverage>"#;
    let cov = read_text("clover.xml", xml, Format::Clover);
    assert_eq!(branches(&cov, "src/A.php"), [(0, 13, 20)]);
    let xml = r#"<coverage generated="1" clover="3.2.0"><project timestamp="1" name="All files">
      <file name="a.js" path="a.js">
        <metrics statements="1" coveredstatements="1" conditionals="5" coveredconditionals="3" methods="0" coveredmethods="0"/>
        <line num="2" count="1" type="cond" truecount="1" falsecount="1"/>
      </file></project></coverage>"#;
    let cov = read_text("clover.xml", xml, Format::Clover);
    assert_eq!(branches(&cov, "a.js"), [(0, 2, 3), (2, 1, 2)]);
}
