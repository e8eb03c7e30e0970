//! The gate inside a GitHub Actions runner: `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` read
//! back the way the runner reads them, annotations unescaped the way the runner unescapes
//! them, and the environment derived from real webhook payloads.

use crate::gate::{gate, real, stderr, stdout};
use crate::support::{fixture, json, repo, shared};
use shipgate::runner::output::{Random, format_output};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads a file-command file (`$GITHUB_OUTPUT`) as the runner does: `name=value` lines, or
/// `name<<DELIMITER` followed by value lines up to a line that is exactly the delimiter.
/// A heredoc without its closing delimiter is an error, as in the runner.
pub(crate) fn parse_file_command(text: &str) -> Result<Vec<(String, String)>, String> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.is_empty() {
            continue;
        }
        let eq = line.find('=');
        let heredoc = line.find("<<");
        match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => {
                out.push((line[..e].to_string(), line[e + 1..].to_string()));
            }
            (_, Some(h)) => {
                let name = &line[..h];
                let delim = &line[h + 2..];
                if name.is_empty() || delim.is_empty() {
                    return Err(format!("invalid heredoc line {line:?}"));
                }
                let mut value: Vec<&str> = Vec::new();
                loop {
                    let Some(l) = lines.get(i) else {
                        return Err(format!("matching delimiter not found: {delim}"));
                    };
                    i += 1;
                    if *l == delim {
                        break;
                    }
                    value.push(l);
                }
                out.push((name.to_string(), value.join("\n")));
            }
            _ => return Err(format!("invalid format {line:?}")),
        }
    }
    Ok(out)
}

struct Fixed(Vec<&'static str>);
impl Random for Fixed {
    fn token(&mut self) -> String {
        if self.0.len() > 1 {
            self.0.remove(0).to_string()
        } else {
            self.0[0].to_string()
        }
    }
}

#[test]
fn output_values_survive_the_runners_heredoc_parser() {
    // A value holding the text of the first delimiter drawn, and `EOF` lines that a fixed
    // delimiter would stop at.
    let value = "line one\nEOF\nghadelimiter_0001\n<<EOF\nlast";
    let mut rng = Fixed(vec!["0001", "0002"]);
    let mut text = String::from("earlier=kept\n");
    text.push_str(&format_output("tricky", value, &mut rng).unwrap());
    text.push_str(&format_output("empty", "", &mut rng).unwrap());
    text.push_str(&format_output("eof", "EOF", &mut rng).unwrap());
    let parsed = parse_file_command(&text).unwrap();
    assert_eq!(
        parsed,
        vec![
            ("earlier".to_string(), "kept".to_string()),
            ("tricky".into(), value.into()),
            ("empty".into(), "".into()),
            ("eof".into(), "EOF".into()),
        ]
    );
    assert!(text.contains("tricky<<ghadelimiter_0002\n"), "{text}");
}

fn write_config(dir: &Path, text: &str) -> String {
    let p = dir.join("gates.json");
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn outputs_and_summary_in_a_runner() {
    let d = tempfile::tempdir().unwrap();
    // An environment literally called EOF: its name ends up in several output values.
    let cfg = write_config(
        d.path(),
        r#"{"environments": {"EOF": {"coverage_threshold": 70}}, "blocking_rules": {"test_failures": 0}}"#,
    );
    let out_file = d.path().join("output");
    let summary = d.path().join("summary.md");
    std::fs::write(&out_file, "from_an_earlier_step=1\n").unwrap();
    std::fs::write(&summary, "# Earlier step\n\n").unwrap();
    let report = d.path().join("report.json");
    let out = gate(
        &[
            "gate",
            "--config",
            &cfg,
            "--environment",
            "EOF",
            "--coverage",
            &real("coverage-py/coverage.xml"),
            "--tests",
            &real("pytest/junit.xml"),
            "--report",
            &report.display().to_string(),
        ],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_OUTPUT", &out_file.display().to_string()),
            ("GITHUB_STEP_SUMMARY", &summary.display().to_string()),
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let parsed = parse_file_command(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let o: BTreeMap<String, String> = parsed.iter().cloned().collect();
    assert_eq!(parsed.len(), o.len(), "an output written twice");
    assert_eq!(o["from_an_earlier_step"], "1");
    assert_eq!(o["passed"], "false");
    assert_eq!(o["environment"], "EOF");
    assert!(o["summary"].contains("failed for EOF"), "{}", o["summary"]);
    // coverage.py printed 126 of 181 lines (69.61%); the threshold 70 fails.
    let cov = json(&fixture("real/coverage-py/expected.json"))["reports"]["coverage.xml"].clone();
    assert_eq!(
        o["coverage"],
        format!("{:.2}", cov["line_percent_printed"].as_f64().unwrap())
    );
    let failed: Vec<&str> = o["failed-rules"].split(',').collect();
    assert_eq!(
        failed,
        ["coverage_threshold", "blocking_rules.test_failures"]
    );
    assert_eq!(o["failed-count"], "2");
    let t =
        json(&fixture("real/pytest/expected.json"))["reports"]["junit.xml"]["junit_view"].clone();
    assert_eq!(o["tests-total"], t["total"].to_string());
    assert_eq!(
        o["test-failures"],
        (t["failed"].as_u64().unwrap() + t["errored"].as_u64().unwrap()).to_string()
    );
    assert_eq!(o["report"], report.display().to_string());
    assert_eq!(o["code-quality-score"], "", "not measured is empty");
    assert!(!o["testing-score"].is_empty());

    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("# Earlier step\n\n## ❌ Quality gate failed"),
        "{md}"
    );
    let worst = md
        .find("### Lowest line coverage")
        .expect("worst files table");
    let failing = md.find("### Failing tests").expect("failing tests table");
    let counts = md.find("### Counts").expect("counts");
    assert!(worst < failing && failing < counts, "{md}");
    // The files coverage.py listed, and the tests pytest reported as failed or errored.
    let report_txt =
        std::fs::read_to_string(fixture("real/coverage-py/coverage-report.stdout.txt")).unwrap();
    for f in report_txt.lines().filter(|l| l.starts_with("src/")) {
        let name = f.split_whitespace().next().unwrap();
        assert!(md[worst..failing].contains(name), "{name}");
    }
    let printed = std::fs::read_to_string(fixture("real/pytest/pytest.stdout.txt")).unwrap();
    for l in printed
        .lines()
        .filter(|l| l.starts_with("FAILED ") || l.starts_with("ERROR "))
    {
        let name = l.split("::").nth(1).unwrap().split(" - ").next().unwrap();
        assert!(md[failing..counts].contains(name), "{name}");
    }
}

#[test]
fn summary_stays_under_the_runners_limit() {
    let d = tempfile::tempdir().unwrap();
    // Many failing tests with long messages, and a summary file nearly full already.
    let mut xml = String::from("<testsuites><testsuite name=\"big\">");
    for i in 0..3000 {
        xml.push_str(&format!(
            "<testcase classname=\"big.Suite{i}\" name=\"test_{i}_{}\"><failure message=\"{} {i}\"/></testcase>",
            "n".repeat(150),
            "m".repeat(300)
        ));
    }
    xml.push_str("</testsuite></testsuites>");
    let junit = d.path().join("junit.xml");
    std::fs::write(&junit, xml).unwrap();
    let summary = d.path().join("summary.md");
    let limit = 1024 * 1024;
    std::fs::write(&summary, "x".repeat(limit - 40 * 1024)).unwrap();
    let out = gate(
        &["gate", "--tests", &junit.display().to_string()],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", &summary.display().to_string()),
        ],
        d.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.len() <= limit, "{} bytes", md.len());
    assert!(md.contains("## ❌ Quality gate failed"));
    assert!(
        md.contains("more (all of them are in report.json)") || md.contains("cut to fit"),
        "{}",
        &md[limit - 40 * 1024..]
    );
}

/// Undoes the runner's escaping of a command's message.
fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

/// Undoes the runner's escaping of a property value.
fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn annotations_are_escaped_and_capped() {
    let d = tempfile::tempdir().unwrap();
    let mut xml = String::from("<testsuites><testsuite name=\"s\">");
    for i in 0..15 {
        xml.push_str(&format!(
            "<testcase classname=\"c\" name=\"t{i}\" file=\"tests/odd,name:{i}.py\" line=\"{}\"><failure message=\"100% wrong, a:b {i}\">trace</failure></testcase>",
            i + 1
        ));
    }
    xml.push_str("</testsuite></testsuites>");
    let junit = d.path().join("junit.xml");
    std::fs::write(&junit, xml).unwrap();
    let out = gate(
        &["gate", "--tests", &junit.display().to_string()],
        &[("GITHUB_ACTIONS", "true")],
        d.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let commands: Vec<&str> = err.lines().filter(|l| l.starts_with("::")).collect();
    let errors: Vec<&str> = commands
        .iter()
        .copied()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(errors.len(), 10, "{err}");
    assert!(
        errors[0].starts_with("::error title=Quality gate failed::"),
        "{}",
        errors[0]
    );
    // The first test annotation, read back.
    let first = errors[1];
    let (head, msg) = first
        .split_once("::")
        .map(|(_, rest)| rest.split_once("::").unwrap())
        .unwrap();
    assert_eq!(unescape_data(msg), "100% wrong, a:b 0");
    let props: BTreeMap<&str, String> = head
        .trim_start_matches("error ")
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k, unescape_property(v))
        })
        .collect();
    assert_eq!(props["file"], "tests/odd,name:0.py");
    assert_eq!(props["line"], "1");
    assert_eq!(props["title"], "Test failed: c › t0");
    // Outside a runner: no workflow commands.
    let out = gate(
        &["gate", "--tests", &junit.display().to_string()],
        &[],
        d.path(),
    );
    assert!(!stderr(&out).contains("::error"));
    assert!(!stdout(&out).contains("::error"));
}

/// `GITHUB_REF` as the runner sets it for an event (GitHub's "Events that trigger
/// workflows": push → the pushed ref; pull_request → `refs/pull/<number>/merge`; release →
/// `refs/tags/<tag_name>`; workflow_run → the default branch).
fn ref_for(event: &str, payload: &serde_json::Value) -> Option<String> {
    match event {
        "push" => payload["ref"].as_str().map(String::from),
        "pull_request" => Some(format!("refs/pull/{}/merge", payload["number"])),
        "release" => payload["release"]["tag_name"]
            .as_str()
            .map(|t| format!("refs/tags/{t}")),
        "workflow_run" => payload["repository"]["default_branch"]
            .as_str()
            .map(|b| format!("refs/heads/{b}")),
        _ => None,
    }
}

#[test]
fn environment_from_real_event_payloads() {
    let Some(events) = shared("github-events") else {
        return;
    };
    let mut checked = 0;
    let mut names: Vec<_> = std::fs::read_dir(&events)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if !file.ends_with(".json") {
            continue;
        }
        let event = file.split('.').next().unwrap();
        let payload = json(&path);
        let Some(git_ref) = ref_for(event, &payload) else {
            continue;
        };
        let default = payload["repository"]["default_branch"].as_str().unwrap();
        let want = if let Some(tag) = git_ref.strip_prefix("refs/tags/") {
            if tag.starts_with('v') {
                "production"
            } else {
                "development"
            }
        } else if git_ref == format!("refs/heads/{default}") {
            "staging"
        } else {
            "development"
        };
        let d = tempfile::tempdir().unwrap();
        let out_file = d.path().join("out");
        let out = gate(
            &["gate", "--coverage", &real("coverage-py/coverage.xml")],
            &[
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_EVENT_NAME", event),
                ("GITHUB_EVENT_PATH", &path.display().to_string()),
                ("GITHUB_REF", &git_ref),
                ("GITHUB_OUTPUT", &out_file.display().to_string()),
            ],
            &repo(),
        );
        let err = stderr(&out);
        assert!(
            err.contains(&format!("environment: {want} (")),
            "{file}: {err}"
        );
        let o: BTreeMap<String, String> =
            parse_file_command(&std::fs::read_to_string(&out_file).unwrap())
                .unwrap()
                .into_iter()
                .collect();
        assert_eq!(o["environment"], want, "{file}");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} payloads");
    // The payloads' tags are `simple-tag` and `0.0.1`; a v* tag push on the same payload is
    // production, and --environment overrides whatever was derived.
    let tag_push = events.join("push.event-tag.0.json");
    let vars = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_EVENT_PATH", tag_push.to_str().unwrap()),
        ("GITHUB_REF", "refs/tags/v2.3.0"),
        ("GITHUB_REF_TYPE", "tag"),
    ];
    let cov = real("coverage-py/coverage.xml");
    let out = gate(&["gate", "--coverage", &cov], &vars, &repo());
    assert!(
        stderr(&out).contains("environment: production (tag v2.3.0)"),
        "{}",
        stderr(&out)
    );
    let out = gate(
        &["gate", "--coverage", &cov, "--environment", "staging"],
        &vars,
        &repo(),
    );
    assert!(
        stderr(&out).contains("environment: staging (set by --environment)"),
        "{}",
        stderr(&out)
    );
}
