//! Tests: junit_format. JUnit XML dialects, checked against the peer corpora in
//! `../shared/fixtures/{mikepenz,enricomi,dorny}` (expectations parsed from the peers' own files)
//! and against small documents written here, whose expected results follow from their content.

use crate::support::*;
use serde_json::Value;
use shipgate::ingest::{self, Format, PathResolver};
use shipgate::model::{TestCase, TestRun, TestStatus};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// helpers

/// Writes `xml` to a fresh temp dir as `name` and returns (dir guard, path).
fn write(name: &str, xml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, xml).expect("write");
    (dir, path)
}

fn parse_str(xml: &str) -> TestRun {
    let (_dir, path) = write("report.xml", xml);
    match read_as(&path, Format::Junit) {
        ingest::Report::Tests(t) => t,
        other => panic!("expected tests, got {other:?}"),
    }
}

/// The error `read_path` gives for `xml` (detected, or read as JUnit when `forced`).
fn error_of(xml: &str, forced: bool) -> String {
    let (dir, path) = write("bad.xml", xml);
    let resolver = PathResolver::new(dir.path());
    match ingest::read_path(&path, forced.then_some(Format::Junit), &resolver) {
        Ok(i) => panic!("expected an error, got {:?}", i.report),
        Err(e) => e.to_string(),
    }
}

fn cases(run: &TestRun) -> Vec<&TestCase> {
    run.suites.iter().flat_map(|s| &s.cases).collect()
}

fn case<'a>(run: &'a TestRun, name: &str) -> &'a TestCase {
    cases(run)
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name:?}"))
}

/// (total, passed, failed, errored, skipped, todo, flaky)
fn counts(run: &TestRun) -> (u64, u64, u64, u64, u64, u64, u64) {
    let c = run.counts();
    (
        c.total, c.passed, c.failed, c.errored, c.skipped, c.todo, c.flaky,
    )
}

fn status_word(s: TestStatus) -> &'static str {
    match s {
        TestStatus::Passed => "passed",
        TestStatus::Failed => "failed",
        TestStatus::Errored => "errored",
        TestStatus::Skipped => "skipped",
        TestStatus::Todo => "todo",
    }
}

// ---------------------------------------------------------------------------------------------
// dialects, written here

#[test]
fn result_elements_and_worst_wins() {
    let run = parse_str(
        r#"<?xml version="1.0"?>
<testsuites>
  <testsuite name="s" tests="6">
    <testcase classname="c" name="passes" time="0.5"/>
    <testcase classname="c" name="fails"><failure message="boom" type="AssertionError">trace</failure></testcase>
    <testcase classname="c" name="errors"><error type="NullPointerException"/></testcase>
    <testcase classname="c" name="skips"><skipped/></testcase>
    <testcase classname="c" name="all"><skipped/><failure message="f">x</failure><error message="teardown">y</error></testcase>
    <testcase classname="c" name="skip-and-fail"><skipped/><failure message="f"/></testcase>
  </testsuite>
</testsuites>"#,
    );
    assert_eq!(counts(&run), (6, 1, 2, 2, 1, 0, 0));
    assert_eq!(case(&run, "all").status, TestStatus::Errored);
    assert_eq!(case(&run, "all").message.as_deref(), Some("teardown"));
    assert_eq!(case(&run, "all").details.as_deref(), Some("y"));
    assert_eq!(case(&run, "skip-and-fail").status, TestStatus::Failed);
    assert_eq!(case(&run, "fails").message.as_deref(), Some("boom"));
    assert_eq!(case(&run, "fails").details.as_deref(), Some("trace"));
    // No message and no text: the type says what broke.
    assert_eq!(
        case(&run, "errors").message.as_deref(),
        Some("NullPointerException")
    );
    assert_eq!(case(&run, "passes").time, Some(0.5));
    assert_eq!(case(&run, "passes").classname.as_deref(), Some("c"));
}

#[test]
fn pytest_xfail_xpass_and_locations() {
    // pytest xunit1 shape: file/line on the case, xfail as <skipped type="pytest.xfail">,
    // non-strict xpass as a plain case, a setup error as <error>.
    let run = parse_str(
        r#"<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="0" skipped="1" tests="9" time="0.031" timestamp="2026-01-01T00:00:00" hostname="vm"><testcase classname="tests.test_a" name="test_xfail" file="tests/test_a.py" line="11" time="0.001"><skipped type="pytest.xfail" message="known bug" /></testcase><testcase classname="tests.test_a" name="test_xpass" file="tests/test_a.py" line="15" time="0.001" /><testcase classname="tests.test_a" name="test_setup" file="tests/test_a.py" line="20" time="0.002"><error message="failed on setup with &quot;RuntimeError: no db&quot;">fixture error
E   RuntimeError: no db</error></testcase></testsuite></testsuites>"#,
    );
    assert_eq!(counts(&run), (3, 1, 0, 1, 1, 0, 0));
    let x = case(&run, "test_xfail");
    assert_eq!(x.status, TestStatus::Skipped);
    assert_eq!(x.message.as_deref(), Some("known bug"));
    assert_eq!(x.file.as_deref(), Some("tests/test_a.py"));
    assert_eq!(x.line, Some(11));
    assert_eq!(
        case(&run, "test_setup").message.as_deref(),
        Some("failed on setup with \"RuntimeError: no db\"")
    );
    assert_eq!(
        case(&run, "test_setup").details.as_deref(),
        Some("fixture error\nE   RuntimeError: no db")
    );
    assert_eq!(run.suites[0].time, Some(0.031));
}

#[test]
fn surefire_and_nextest_reruns() {
    let run = parse_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.FlakyTest" time="3.1" tests="5" errors="0" skipped="1" failures="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="flaky" classname="com.example.FlakyTest" time="1.0">
    <flakyFailure message="first try" type="java.lang.AssertionError">
      <stackTrace><![CDATA[java.lang.AssertionError: first try
	at com.example.FlakyTest.flaky(FlakyTest.java:12)]]></stackTrace>
      <system-out><![CDATA[noise that is not kept]]></system-out>
    </flakyFailure>
    <flakyError message="second try" type="java.io.IOException"><stackTrace>io</stackTrace></flakyError>
  </testcase>
  <testcase name="broken" classname="com.example.FlakyTest" time="1.0">
    <failure message="always" type="java.lang.AssertionError">first</failure>
    <rerunFailure message="always" type="java.lang.AssertionError"><stackTrace>again</stackTrace></rerunFailure>
    <rerunFailure message="always" type="java.lang.AssertionError"><stackTrace>and again</stackTrace></rerunFailure>
  </testcase>
  <testcase name="rerun-only" classname="com.example.FlakyTest" time="1.0">
    <rerunError message="crash" type="java.lang.IllegalStateException"><stackTrace>st</stackTrace></rerunError>
  </testcase>
  <testcase name="ignored" classname="com.example.FlakyTest" time="0">
    <skipped message="@Disabled: later"/>
  </testcase>
  <testcase name="fine" classname="com.example.FlakyTest" time="0.1"/>
</testsuite>"#,
    );
    assert_eq!(counts(&run), (5, 2, 1, 1, 1, 0, 1));
    let flaky = case(&run, "flaky");
    assert_eq!((flaky.status, flaky.retries), (TestStatus::Passed, 2));
    assert!(flaky.is_flaky());
    assert_eq!(flaky.message.as_deref(), Some("first try"));
    let d = flaky.details.as_deref().unwrap_or_default();
    assert!(d.starts_with("java.lang.AssertionError: first try"), "{d}");
    assert!(
        !d.contains("noise"),
        "system-out inside a rerun element is not kept"
    );
    let broken = case(&run, "broken");
    assert_eq!((broken.status, broken.retries), (TestStatus::Failed, 2));
    assert!(!broken.is_flaky());
    assert_eq!(broken.details.as_deref(), Some("first"));
    let rerun = case(&run, "rerun-only");
    assert_eq!((rerun.status, rerun.retries), (TestStatus::Errored, 1));
    assert_eq!(
        case(&run, "ignored").message.as_deref(),
        Some("@Disabled: later")
    );
}

#[test]
fn status_attributes_of_tst_googletest_catch2() {
    let run = parse_str(
        r#"<?xml version="1.0"?>
<testsuites tests="7" failures="1" disabled="2" errors="0" name="AllTests">
  <testsuite name="Math" tests="7">
    <testcase name="Adds" status="run" result="completed" time="0.001" classname="Math"/>
    <testcase name="DISABLED_Later" status="notrun" result="suppressed" time="0" classname="Math"/>
    <testcase name="Skipped" status="run" result="skipped" time="0" classname="Math"><skipped message="GTEST_SKIP"/></testcase>
    <testcase name="stale" status="disabled"><failure type="Test Failure">old failure</failure></testcase>
    <testcase name="tst-failed" status="failed"/>
    <testcase name="tst-errored" status="errored"/>
    <testcase name="tst-passed" status="passed"/>
  </testsuite>
</testsuites>"#,
    );
    assert_eq!(counts(&run), (7, 2, 1, 1, 3, 0, 0));
    assert_eq!(case(&run, "stale").status, TestStatus::Skipped);
    assert_eq!(case(&run, "DISABLED_Later").status, TestStatus::Skipped);
}

#[test]
fn nested_suites_flatten_with_joined_names() {
    let run = parse_str(
        r#"<testsuites name="root">
  <testsuites name="inner container">
    <testsuite name="" tests="3" time="9">
      <testsuite name="Unit" file="tests/Unit" time="4">
        <testsuite name="FooTest" file="tests/Unit/FooTest.php" time="1.5">
          <testcase name="testA" class="Foo\FooTest" classname="Foo.FooTest" line="7" time="0.5"/>
          <testcase name="testB" time="1"/>
        </testsuite>
        <testcase name="testDirect" time="0.25"/>
      </testsuite>
    </testsuite>
  </testsuites>
  <testcase name="loose" time="2"/>
  <testsuite name="Root Suite" tests="0" time="0"/>
  <testsuite name="Empty" tests="0" time="3"></testsuite>
</testsuites>"#,
    );
    let names: Vec<&str> = run.suites.iter().map(|s| s.name.as_str()).collect();
    // Wrappers and empty suites are not kept; cases directly in <testsuites> get its name.
    assert_eq!(names, ["root", "Unit", "Unit › FooTest"]);
    let foo = &run.suites[2];
    assert_eq!(foo.time, Some(1.5));
    assert_eq!(foo.file.as_deref(), Some("tests/Unit/FooTest.php"));
    let a = case(&run, "testA");
    assert_eq!(a.classname.as_deref(), Some("Foo.FooTest"));
    assert_eq!(a.file.as_deref(), Some("tests/Unit/FooTest.php"));
    assert_eq!(a.line, Some(7));
    // A suite with cases and child suites has no own time: its attribute includes the children.
    let unit = &run.suites[1];
    assert_eq!(unit.time, None);
    assert_eq!(case(&run, "testDirect").file.as_deref(), Some("tests/Unit"));
    assert_eq!(run.suites[0].time, None);
    // 2 (loose) + 0.25 (Unit's own case) + 1.5 (FooTest)
    assert!((run.counts().time - 3.75).abs() < 1e-9);
}

#[test]
fn time_forms_and_missing_time() {
    let run = parse_str(
        r#"<testsuite name="t">
  <testcase name="comma-grouped" time="1,234.5"/>
  <testcase name="decimal-comma" time="0,25"/>
  <testcase name="german" time="1.234,5"/>
  <testcase name="seconds-unit" time="12s"/>
  <testcase name="millis" time="250ms"/>
  <testcase name="placeholder" time="&lt;&lt;computed&gt;&gt;"/>
  <testcase name="none"/>
</testsuite>"#,
    );
    let t = |n: &str| case(&run, n).time;
    assert_eq!(t("comma-grouped"), Some(1234.5));
    assert_eq!(t("decimal-comma"), Some(0.25));
    assert_eq!(t("german"), Some(1234.5));
    assert_eq!(t("seconds-unit"), Some(12.0));
    assert_eq!(t("millis"), Some(0.25));
    assert_eq!(t("placeholder"), None);
    assert_eq!(t("none"), None);
    assert_eq!(run.suites[0].time, None);
}

#[test]
fn messages_text_cdata_entities_and_bounds() {
    let long = "x".repeat(200 << 10);
    let xml = format!(
        r#"<testsuite name="m">
  <testcase name="cdata"><failure><![CDATA[first line <b>
second]]></failure></testcase>
  <testcase name="entities"><failure message="a &lt; b &amp;&#10;c">t &amp; u &#x41;</failure></testcase>
  <testcase name="long"><failure message="m">{long}</failure><system-out>{long}</system-out></testcase>
  <testcase name="phpunit" class="App\FooTest"><failure type="PHPUnit\Framework\ExpectationFailedException">App\FooTest::phpunit
Failed asserting that false is true.

/app/tests/FooTest.php:12</failure></testcase>
</testsuite>"#
    );
    let run = parse_str(&xml);
    let c = case(&run, "cdata");
    assert_eq!(c.message.as_deref(), Some("first line <b>"));
    assert_eq!(c.details.as_deref(), Some("first line <b>\nsecond"));
    let e = case(&run, "entities");
    assert_eq!(e.message.as_deref(), Some("a < b &\nc"));
    assert_eq!(e.details.as_deref(), Some("t & u A"));
    let l = case(&run, "long").details.as_deref().unwrap_or_default();
    assert!(l.len() < 70 << 10, "details are bounded: {} bytes", l.len());
    assert!(l.ends_with("[… truncated by shipgate]"));
    assert_eq!(
        case(&run, "phpunit").message.as_deref(),
        Some("Failed asserting that false is true.")
    );
}

#[test]
fn jest_junit_todo_cases() {
    // jest-junit 17 output (shape of tests/fixtures/real/jest/junit.xml): todo tests are bare
    // cases with time="0" that `tests` leaves out. Here 2 cases more than tests="4".
    let run = parse_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="4" failures="0" errors="0" time="0.5">
  <testsuite name="cart" errors="0" failures="0" skipped="1" timestamp="2026-01-01T00:00:00" time="0.4" tests="4">
    <testcase classname="cart adds" name="cart adds" time="0.01">
    </testcase>
    <testcase classname="cart fast" name="cart fast" time="0">
    </testcase>
    <testcase classname="cart todo one" name="cart todo one" time="0">
    </testcase>
    <testcase classname="cart skipped" name="cart skipped" time="0">
      <skipped/>
    </testcase>
    <testcase classname="cart todo two" name="cart todo two" time="0">
    </testcase>
    <testcase classname="cart slow" name="cart slow" time="0.02">
    </testcase>
  </testsuite>
</testsuites>"#,
    );
    assert_eq!(counts(&run), (6, 3, 0, 0, 1, 2, 0));
    assert_eq!(case(&run, "cart todo one").status, TestStatus::Todo);
    assert_eq!(case(&run, "cart todo two").status, TestStatus::Todo);
    assert_eq!(case(&run, "cart fast").status, TestStatus::Passed);

    // pytest writes 0.000, not 0: a hand-edited tests= gap there changes nothing.
    let run = parse_str(
        r#"<testsuites><testsuite name="pytest" tests="1"><testcase name="a" time="0.001"/><testcase name="b" time="0.000"/></testsuite></testsuites>"#,
    );
    assert_eq!(counts(&run), (2, 2, 0, 0, 0, 0, 0));
}

#[test]
fn detection_of_roots() {
    for xml in [
        "<testsuites/>",
        "<?xml version=\"1.0\"?>\n<!-- c -->\n<testsuite name=\"x\"/>",
        "\u{feff}<testsuites><testsuite name=\"a\"><testcase name=\"t\"/></testsuite></testsuites>",
    ] {
        let (_d, p) = write("r.xml", xml);
        read_as(&p, Format::Junit);
    }
    assert_eq!(counts(&parse_str("<testsuites/>")), (0, 0, 0, 0, 0, 0, 0));
}

#[test]
fn bad_input_errors() {
    let e = error_of(
        "<testsuites><testsuite name=\"a\"><testcase name=\"t\"><failure>cut",
        false,
    );
    assert!(e.contains("bad.xml:") && e.contains("truncated"), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");

    let e = error_of("<suites><suite/></suites>", true);
    assert!(
        e.contains("expected a <testsuites> or <testsuite> root element, found <suites>"),
        "{e}"
    );

    let e = error_of(
        "<testsuite><testcase name=\"a\"><testcase name=\"b\"/></testcase></testsuite>",
        false,
    );
    assert!(e.contains("<testcase> inside a <testcase>"), "{e}");

    let e = error_of("<testsuite><testcase name=\"a></testsuite>", false);
    assert!(e.contains("bad.xml:") && e.contains("junit"), "{e}");

    let e = error_of(
        "<testsuite><testcase name=\"a\"/></testsuite><testsuite/>",
        false,
    );
    assert!(e.contains("bad.xml:"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// mikepenz/action-junit-report

/// Counts as the peer's result names them, from our model. The peer's `failed` counts
/// `<failure>` and `<error>` alike; `passed` is total − failed − skipped.
fn mikepenz_actual(run: &TestRun, what: &str) -> Option<u64> {
    let c = run.counts();
    Some(match what {
        "totalCount" => c.total,
        "skippedCount" | "skipped" => c.skipped,
        "failedCount" | "failed" => c.failed + c.errored,
        "passedCount" | "passed" => c.passed + c.todo,
        "retriedCount" | "retried" => cases(run).iter().filter(|c| c.retries > 0).count() as u64,
        _ => return None,
    })
}

fn has_duplicate_names(run: &TestRun) -> bool {
    run.suites.iter().any(|s| {
        let mut seen = HashSet::new();
        s.cases.iter().any(|c| !seen.insert(c.name.as_str()))
    })
}

#[test]
#[allow(clippy::print_stdout)] // the per-case summary is what the test reports
fn mikepenz_corpus() {
    let Some(root) = shared("fixtures/mikepenz") else {
        return;
    };
    let expected = json(&root.join("expected.json"));
    let defaults = &expected["parameter_defaults"];
    let all = expected["cases"].as_array().expect("cases");
    let (mut checked, mut failed_as_expected) = (0, 0);
    let mut unmodeled: Vec<String> = Vec::new();
    for case in all {
        let func = case["call"]["function"].as_str().unwrap_or_default();
        let args = &case["call"]["args"];
        let label = format!("{func} {}", case["test"].as_str().unwrap_or_default());
        let opt = |name: &str| {
            let v = &args[name];
            if v.is_null() {
                defaults[func][name].clone()
            } else {
                v.clone()
            }
        };
        let pattern = args["file"]
            .as_str()
            .or(args["reportPaths"].as_str())
            .expect("file or reportPaths");
        let full = root.join(pattern).to_string_lossy().into_owned();
        let files = ingest::expand(&[full]).expect("peer files exist");
        // The peer's corrupt-junit case: a Surefire file cut off inside a CDATA section. The
        // peer logs the parse failure and reports no tests; shipgate refuses a truncated file.
        if pattern.contains("corrupt-junit") {
            for f in &files {
                let resolver = PathResolver::new(&root);
                let err = ingest::read_path(f, None, &resolver).expect_err("truncated file");
                assert!(
                    err.to_string().contains("TEST-test.CorruptTest.xml"),
                    "{err}"
                );
            }
            failed_as_expected += 1;
            continue;
        }
        let mut run = TestRun::default();
        for f in &files {
            run.merge(tests(f));
        }
        // Options that change the peer's counting and that shipgate does not model:
        // annotationsLimit stops counting early; checkRetries merges same-named cases.
        let limit = opt("annotationsLimit").as_i64().unwrap_or(-1);
        let merges = opt("checkRetries").as_bool().unwrap_or(false) && has_duplicate_names(&run);
        if limit > 0 || merges {
            unmodeled.push(format!(
                "{label} ({})",
                if limit > 0 {
                    "annotationsLimit"
                } else {
                    "checkRetries merges repeated cases"
                }
            ));
            continue;
        }
        let mut asserted = 0;
        for a in case["assertions"].as_array().into_iter().flatten() {
            if a["matcher"] != "toBe" {
                continue;
            }
            let what = a["actual"].as_str().unwrap_or_default();
            let (Some(actual), Some(want)) = (mikepenz_actual(&run, what), a["expected"].as_u64())
            else {
                continue;
            };
            assert_eq!(actual, want, "{label}: {what} of {pattern}");
            asserted += 1;
        }
        assert!(asserted > 0, "{label}: no count asserted");
        checked += 1;
    }
    println!(
        "mikepenz: {checked} cases match, {failed_as_expected} fails as a truncated file, {} need options shipgate does not model:\n  {}",
        unmodeled.len(),
        unmodeled.join("\n  ")
    );
    assert_eq!(all.len(), 40);
    assert_eq!(checked + failed_as_expected + unmodeled.len(), all.len());
    assert_eq!(unmodeled.len(), 8, "{unmodeled:#?}");
}

#[test]
fn mikepenz_flaky_and_nested_details() {
    let Some(root) = shared("fixtures/mikepenz/test_results") else {
        return;
    };
    // expected.json: mixed_flaky_and_passed.xml → 3 passed, globalAnnotations[0].retries 1
    // (the annotation of testFlaky, the only case with a <flakyFailure>).
    let run = tests(&root.join("junit_flaky_failure/mixed_flaky_and_passed.xml"));
    assert_eq!(case(&run, "testFlaky").retries, 1);
    assert_eq!(case(&run, "testFlaky").status, TestStatus::Passed);
    assert_eq!(run.counts().flaky, 1);
    // nested/junit.xml: each case in its innermost suite; names as in the file.
    let run = tests(&root.join("nested/junit.xml"));
    let names: Vec<&str> = run.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "All tests › tests › packet",
            "All tests › tests › packet › TestA",
            "All tests › tests › packet › TestB",
        ]
    );
    assert_eq!(run.suites[0].cases.len(), 1);
    // testFailedDisabled.xml: status="disabled" with a <failure> child → skipped (peer: skipped 1, failed 0).
    let run = tests(&root.join("issues/testFailedDisabled.xml"));
    assert_eq!(counts(&run), (1, 0, 0, 0, 1, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// EnricoMi/publish-unit-test-result-action

/// One `UnitTestCase(...)` of a `.results` golden (Python pretty-print).
#[derive(Debug, Default)]
struct PeerCase {
    class_name: Option<String>,
    test_name: Option<String>,
    result: String,
    message: Option<String>,
    content: Option<String>,
    line: Option<u32>,
    time: Option<f64>,
}

/// A Python literal as pprint writes it: `None`, a number, or a quoted string with escapes.
/// `None` when the literal uses an escape this reader does not know.
fn py_value(v: &str) -> Option<Option<String>> {
    let v = v.trim();
    if v == "None" {
        return Some(None);
    }
    let q = v.chars().next()?;
    if q != '\'' && q != '"' {
        return Some(Some(v.to_string()));
    }
    let inner = v.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let h: String = it.by_ref().take(2).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            'u' => {
                let h: String = it.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            'U' => {
                let h: String = it.by_ref().take(8).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(Some(out))
}

fn peer_cases(results: &str) -> Vec<PeerCase> {
    // A field is `key=literal,`; pprint continues a long string on the next lines as
    // adjacent literals (`'first part '` / `'second part',`), which concatenate.
    let mut out = Vec::new();
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    let mut open = false;
    for line in results.lines() {
        let t = line.trim();
        if t.starts_with("publish.unittestresults.UnitTestCase(") {
            open = true;
            fields.clear();
            continue;
        }
        if !open {
            continue;
        }
        if t == ")" || t == ")," {
            open = false;
            out.push(peer_case(&fields));
            continue;
        }
        let piece = |v: &str| v.strip_suffix(',').unwrap_or(v).to_string();
        if t.starts_with('\'') || t.starts_with('"') {
            if let Some((_, pieces)) = fields.last_mut() {
                pieces.push(piece(t));
            }
        } else if let Some((key, value)) = t.split_once('=') {
            fields.push((key.to_string(), vec![piece(value)]));
        }
    }
    out
}

fn peer_case(fields: &[(String, Vec<String>)]) -> PeerCase {
    let mut c = PeerCase::default();
    for (key, pieces) in fields {
        let mut value: Option<String> = None;
        for p in pieces {
            let v = py_value(p).unwrap_or_else(|| panic!("cannot read {key}={p}"));
            if let Some(v) = v {
                value.get_or_insert_with(String::new).push_str(&v);
            }
        }
        match key.as_str() {
            "class_name" => c.class_name = value,
            "test_name" => c.test_name = value,
            "result" => c.result = value.unwrap_or_default(),
            "message" => c.message = value,
            "content" => c.content = value,
            "line" => c.line = value.and_then(|l| l.parse().ok()),
            "time" => c.time = value.and_then(|l| l.parse().ok()),
            _ => {}
        }
    }
    c
}

/// The peer's per-case result word for our status (`disabled` is our skipped).
fn enrico_result(s: TestStatus) -> &'static str {
    match s {
        TestStatus::Passed | TestStatus::Todo => "success",
        TestStatus::Failed => "failure",
        TestStatus::Errored => "error",
        TestStatus::Skipped => "skipped",
    }
}

#[test]
#[allow(clippy::print_stdout)] // the per-case summary is what the test reports
fn enricomi_corpus() {
    let Some(root) = shared("fixtures/enricomi") else {
        return;
    };
    let index = json(&root.join("cases.json"));
    let stale: HashSet<String> = index["stale_files"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut passed = Vec::new();
    let mut total = 0;
    for c in index["cases"].as_array().expect("cases") {
        let parser = &c["parser"];
        let for_junit = parser == "junit"
            || parser
                .as_array()
                .is_some_and(|a| a.iter().any(|p| p == "junit"));
        if !for_junit {
            continue;
        }
        total += 1;
        let input = c["input"].as_str().expect("input");
        let path = root.join(input);
        let resolver = PathResolver::new(path.parent().unwrap_or(&root));
        if let Some(exc) = c["expected_exception"].as_str() {
            assert!(!stale.contains(exc));
            let err = ingest::read_path(&path, None, &resolver)
                .expect_err(input)
                .to_string();
            let file = Path::new(input).file_name().unwrap().to_string_lossy();
            assert!(err.contains(&*file), "{input}: error names the file: {err}");
            assert!(!err.contains('\n'), "{input}: one line: {err}");
            passed.push(input.to_string());
            continue;
        }
        // non-junit.xml: the peer's current golden (non-junit.exception is stale) reports the
        // parse as an error inside its results ("Invalid format."); shipgate does not take
        // <suites> for JUnit and says the format is unknown.
        if input.ends_with("non-junit.xml") {
            assert!(stale.contains("files/junit-xml/non-junit.exception"));
            let err = ingest::read_path(&path, None, &resolver)
                .expect_err(input)
                .to_string();
            assert!(err.contains("non-junit.xml") && err.contains("unknown report format"));
            let err = ingest::read_path(&path, Some(Format::Junit), &resolver)
                .expect_err(input)
                .to_string();
            assert!(err.contains("found <suites>"), "{err}");
            passed.push(input.to_string());
            continue;
        }
        let run = tests(&path);
        let results = std::fs::read_to_string(root.join(c["expected_results"].as_str().unwrap()))
            .expect("results");
        let peer = peer_cases(&results);
        let stats = json(&root.join(c["expected_results_json"].as_str().unwrap()))["stats"].clone();
        let ours = cases(&run);
        if peer.is_empty() && !ours.is_empty() {
            // no-attributes.xml: the peer leaves cases without a name out of its case list but
            // counts them in its statistics (runs_*), which we then compare with.
            assert!(input.ends_with("no-attributes.xml"), "{input}");
            let c = run.counts();
            let got = [c.total, c.passed, c.skipped, c.failed, c.errored];
            let want = ["runs", "runs_succ", "runs_skip", "runs_fail", "runs_error"]
                .map(|k| stats[k].as_u64().expect(k));
            assert_eq!(got, want, "{input}");
            passed.push(input.to_string());
            continue;
        }
        // Per case, in document order within a suite but suites flattened: compare as multisets.
        let key = |class: &Option<String>, name: &str, result: &str| {
            format!("{} | {} | {}", class.as_deref().unwrap_or(""), name, result)
        };
        let mut want: Vec<String> = peer
            .iter()
            .map(|p| {
                let r = if p.result == "disabled" {
                    "skipped"
                } else {
                    &p.result
                };
                key(&p.class_name, p.test_name.as_deref().unwrap_or(""), r)
            })
            .collect();
        let mut got: Vec<String> = ours
            .iter()
            .map(|c| key(&c.classname, &c.name, enrico_result(c.status)))
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{input}");
        // Messages, details, lines and times of the cases, matched by class and name.
        let mut by_name: BTreeMap<(String, String), Vec<&TestCase>> = BTreeMap::new();
        for c in &ours {
            by_name
                .entry((c.classname.clone().unwrap_or_default(), c.name.clone()))
                .or_default()
                .push(c);
        }
        for p in &peer {
            let k = (
                p.class_name.clone().unwrap_or_default(),
                p.test_name.clone().unwrap_or_default(),
            );
            let candidates = &by_name[&k];
            let ok = candidates.iter().any(|c| {
                p.message
                    .as_ref()
                    .is_none_or(|m| c.message.as_ref() == Some(m))
                    && p.content
                        .as_ref()
                        .filter(|t| !t.trim().is_empty())
                        .is_none_or(|t| c.details.as_deref() == Some(t.trim()))
                    && p.line == c.line
                    && match (p.time, c.time) {
                        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                        (a, b) => a.is_none() && b.is_none(),
                    }
            });
            assert!(ok, "{input}: {p:?} vs {candidates:#?}");
        }
        // no-cases-but-tests.xml has no <testcase> at all; the peer's runs_* (6) come from the
        // suite attributes. Its case list, like ours, is empty.
        let disabled = peer.iter().any(|p| p.result == "disabled");
        if !disabled
            && !input.ends_with("no-cases-but-tests.xml")
            && !input.ends_with("junit.multiresult.xml")
        {
            // The peer's per-occurrence statistics agree with its case list, except for
            // multiresult (runs_succ -2: every result element counted once) and tst's
            // disabled cases (counted as successes in runs_succ, as skipped here).
            let c = run.counts();
            assert_eq!(
                [c.total, c.passed, c.failed, c.errored],
                ["runs", "runs_succ", "runs_fail", "runs_error"]
                    .map(|k| stats[k].as_u64().expect(k)),
                "{input}"
            );
        }
        passed.push(input.to_string());
    }
    println!(
        "enricomi: {} of {total} JUnit cases match:\n  {}",
        passed.len(),
        passed.join("\n  ")
    );
    assert_eq!(total, 32);
    assert_eq!(passed.len(), total);
}

// ---------------------------------------------------------------------------------------------
// dorny/test-reporter

/// The snapshot entry `key` of a Jest snapshot file.
fn snapshot_entry<'a>(snap: &'a str, key: &str) -> &'a str {
    let start_marker = format!("exports[`{key}`] = `");
    let start = snap
        .find(&start_marker)
        .unwrap_or_else(|| panic!("no snapshot {key}"));
    let rest = &snap[start..];
    let end = rest.find("\n`;\n").unwrap_or(rest.len());
    &rest[..end]
}

/// success/failed/skipped counts of a snapshot entry (each TestCaseResult has one `"result"`).
fn snapshot_counts(entry: &str) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for line in entry.lines() {
        if let Some(v) = line.trim().strip_prefix("\"result\": \"") {
            let v = v.trim_end_matches(',').trim_end_matches('"');
            *m.entry(v.to_string()).or_insert(0) += 1;
        }
    }
    m
}

#[test]
#[allow(clippy::print_stdout)] // the per-case summary is what the test reports
fn dorny_corpus() {
    let Some(root) = shared("fixtures/dorny") else {
        return;
    };
    let junit_parsers = [
        "JavaJunitParser",
        "JestJunitParser",
        "PhpunitJunitParser",
        "NetteTesterJunitParser",
        "PythonXunitParser",
        "SwiftXunitParser",
    ];
    let index = json(&root.join("cases.json"));
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut fixtures: HashSet<String> = HashSet::new();
    for c in index["cases"].as_array().expect("cases") {
        let parser = c["parser"].as_str().unwrap_or_default();
        if !junit_parsers.contains(&parser) {
            continue;
        }
        let fixture = c["fixture"].as_str().expect("fixture");
        fixtures.insert(fixture.to_string());
        let run = tests(&root.join(fixture));
        let k = run.counts();
        // The peer has no errored or todo: <error> is failed, a bare case success.
        let ours: BTreeMap<String, u64> = [
            ("success", k.passed + k.todo),
            ("failed", k.failed + k.errored),
            ("skipped", k.skipped),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (s.to_string(), n))
        .collect();
        let mut n = 0;
        if let (Some(file), Some(key)) = (c["snapshot_file"].as_str(), c["snapshot_key"].as_str()) {
            let snap = std::fs::read_to_string(root.join(file)).expect("snapshot");
            assert_eq!(
                ours,
                snapshot_counts(snapshot_entry(&snap, key)),
                "{fixture} vs {key}"
            );
            n += 1;
        }
        for a in c["assertions"].as_array().into_iter().flatten() {
            if a["matcher"] != "toBe" {
                continue;
            }
            let want = &a["expected"];
            let got: Value = match a["actual"].as_str().unwrap_or_default() {
                "result.tests" => k.total.into(),
                "result.passed" => (k.passed + k.todo).into(),
                "result.failed" => (k.failed + k.errored).into(),
                "result.skipped" => k.skipped.into(),
                "result.result" => {
                    if k.failed + k.errored > 0 {
                        "failed"
                    } else {
                        "success"
                    }
                }
                .into(),
                "result.suites.length" => run.suites.len().into(),
                _ => continue,
            };
            assert_eq!(&got, want, "{fixture}: {}", a["actual"]);
            n += 1;
        }
        if n > 0 {
            *checked.entry(fixture.to_string()).or_default() += n;
        }
    }
    println!("dorny: fixtures with checked expectations (checks): {checked:#?}");
    // Every JUnit-family fixture read by a peer test parses; these have counts to compare.
    assert_eq!(fixtures.len(), 24, "{fixtures:#?}");
    assert_eq!(checked.len(), 22, "{checked:#?}");
}

#[test]
fn dorny_failure_messages_per_case() {
    let Some(root) = shared("fixtures/dorny") else {
        return;
    };
    // Per-case statuses of the pytest fixture, in the peer's snapshot order (one suite).
    let snap = std::fs::read_to_string(root.join("__snapshots__/python-xunit.test.ts.snap"))
        .expect("snapshot");
    let entry = snapshot_entry(
        &snap,
        "python-xunit pytest report report from python test results matches snapshot 1",
    );
    let want: Vec<&str> = entry
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"result\": \""))
        .map(|v| v.trim_end_matches(',').trim_end_matches('"'))
        .collect();
    let run = tests(&root.join("fixtures/python-xunit-pytest.xml"));
    let got: Vec<&str> = cases(&run)
        .iter()
        .map(|c| match status_word(c.status) {
            "passed" | "todo" => "success",
            "failed" | "errored" => "failed",
            other => other,
        })
        .collect();
    assert_eq!(got, want);
}

/// Attribute `name` of the first `<tag ` start tag in `xml` (the test reads the peer's own
/// numbers from the file instead of copying them).
fn first_tag_attr(xml: &str, tag: &str, name: &str) -> Option<u64> {
    let start = xml.find(&format!("<{tag} "))?;
    let end = start + xml[start..].find('>')?;
    let t = &xml[start..end];
    let key = format!(" {name}=\"");
    let v = &t[t.find(&key)? + key.len()..];
    v[..v.find('"')?].parse().ok()
}

#[test]
fn mikepenz_files_without_expectations_agree_with_their_attributes() {
    let Some(root) = shared("fixtures/mikepenz/test_results") else {
        return;
    };
    // README: these are only used by the peer's CI; their Surefire <testsuite> attributes are
    // the writer's own counts. (python/report_flaky.xml is hand-edited: tests="3" over four
    // <testcase>s; multiple/*.xml carry a container-structure-test root total of 8 over three.)
    for rel in [
        "maven_surefire_flaky/surefire-report.xml",
        "tests/email/target/surefire-reports/TEST-action.surefire.report.email.EmailAddressTest.xml",
        "tests/utils/target/surefire-reports/TEST-action.surefire.report.calc.AllOkTest.xml",
    ] {
        let path = root.join(rel);
        let xml = std::fs::read_to_string(&path).expect("read");
        let run = tests(&path);
        let c = run.counts();
        let attr = |n: &str| first_tag_attr(&xml, "testsuite", n).unwrap_or(0);
        assert_eq!(
            [c.total, c.failed, c.errored, c.skipped],
            [
                attr("tests"),
                attr("failures"),
                attr("errors"),
                attr("skipped")
            ],
            "{rel}"
        );
    }
    for rel in [
        "python/report_flaky.xml",
        "multiple/test_10.xml",
        "multiple/test_11.xml",
        "multiple/test_12.xml",
    ] {
        let run = tests(&root.join(rel));
        assert!(run.counts().total > 0, "{rel}");
    }
}

#[test]
fn dorny_empty_failures_and_tracked_paths() {
    let Some(root) = shared("fixtures/dorny") else {
        return;
    };
    // empty_failures.xml: its <testsuite> says tests="3" failures="1"; the failure has only a
    // message attribute, which becomes the message.
    let path = root.join("fixtures/external/java/empty_failures.xml");
    let xml = std::fs::read_to_string(&path).expect("read");
    let run = tests(&path);
    let c = run.counts();
    assert_eq!(
        (c.total, c.failed),
        (
            first_tag_attr(&xml, "testsuite", "tests").unwrap(),
            first_tag_attr(&xml, "testsuite", "failures").unwrap()
        )
    );
    let failed = cases(&run)
        .into_iter()
        .find(|c| c.status == TestStatus::Failed)
        .expect("failed case");
    assert!(
        failed
            .message
            .as_deref()
            .unwrap_or_default()
            .starts_with("Traceback (most recent call last):")
    );
    assert_eq!(failed.details, None);

    // phpunit-paths.xml: the peer maps each failure to a tracked file and line. Here the same
    // mapping comes from the cases' file/line attributes resolved against a repository that
    // holds exactly the peer's expected paths.
    let index = json(&root.join("cases.json"));
    let peer = index["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["fixture"] == "fixtures/phpunit/phpunit-paths.xml")
        .expect("phpunit-paths case");
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for d in peer["definitions"].as_array().into_iter().flatten() {
        let expr = d["expression"].as_str().unwrap_or_default();
        if let Some(rest) = expr.split("t.name === '").nth(1) {
            let test = rest.split('\'').next().unwrap_or_default();
            names.insert(d["name"].as_str().unwrap().to_string(), test.to_string());
        }
    }
    let mut want: BTreeMap<String, (Option<String>, Option<u64>)> = BTreeMap::new();
    for a in peer["assertions"].as_array().into_iter().flatten() {
        let actual = a["actual"].as_str().unwrap_or_default();
        let Some((var, field)) = actual.split_once("!.error!.") else {
            continue;
        };
        let e = want.entry(names[var].clone()).or_default();
        match field {
            "path" => e.0 = a["expected"].as_str().map(str::to_string),
            "line" => e.1 = a["expected"].as_u64(),
            _ => {}
        }
    }
    assert_eq!(want.len(), 6, "{want:#?}");
    let repo = tempfile::tempdir().expect("tempdir");
    for (p, _) in want.values() {
        let f = repo.path().join(p.as_deref().unwrap());
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, "").unwrap();
    }
    let run = match read_in(
        &root.join("fixtures/phpunit/phpunit-paths.xml"),
        repo.path(),
    )
    .report
    {
        ingest::Report::Tests(t) => t,
        other => panic!("{other:?}"),
    };
    for (test, (p, l)) in &want {
        let c = case(&run, test);
        assert_eq!(c.file.as_deref(), p.as_deref(), "{test}");
        assert_eq!(c.line.map(u64::from), *l, "{test}");
        assert_eq!(c.status, TestStatus::Failed);
    }
}
