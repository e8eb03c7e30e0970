//! Jest `--json` and Vitest `--reporter=json` results (the same shape).
//!
//! One suite per test file (`testResults[].name`, made repository-relative); one case per
//! `assertionResults[]` entry, named by its `ancestorTitles` and `title` joined with ` › ` as
//! Jest prints them. Status: `passed` → passed, `failed` → failed, `pending` (Jest's skip),
//! `skipped` (Vitest's), `disabled` → skipped, `todo` → todo, `focused` (a test that ran under
//! `fit`) → passed; any other value is an error. These are exactly the buckets of the tool's
//! `numPassedTests`, `numFailedTests`, `numPendingTests` and `numTodoTests`.
//!
//! A file that failed without any failed test in it (a syntax error, no test in the file, a
//! throwing `afterAll`, an import that fails) adds one errored case named after the file, with
//! the file's `message`: the tools count such a file only among failed suites (Jest as
//! `numRuntimeErrorTestSuites`) and not in `numTotalTests`, but it fails the run, so a gate must
//! see it. Our total is therefore `numTotalTests` plus those files. Durations are milliseconds
//! (a skipped test has none); a file's time is its `endTime - startTime`; `location` (Jest
//! `--testLocationInResults`, Vitest `--includeTaskLocation`) gives the case's line.

use super::json::{clip, read_document};
use super::{Ctx, Head, ParseError};
use crate::model::{TestCase, TestRun, TestStatus, TestSuite};
use serde::Deserialize;
use std::io::BufRead;

/// Jest's aggregated result (it has `openHandles` / `numRuntimeErrorTestSuites`).
pub fn detect_jest(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"numTotalTests\"")
        && (head.contains("\"numRuntimeErrorTestSuites\"") || head.contains("\"openHandles\""))
}

/// Vitest's Jest-shaped result, without Jest's extra keys.
pub fn detect_vitest(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"numTotalTests\"")
        && head.contains("\"testResults\"")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    test_results: Vec<FileResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileResult {
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    assertion_results: Vec<Assertion>,
    #[serde(default)]
    start_time: Option<f64>,
    #[serde(default)]
    end_time: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Assertion {
    #[serde(default)]
    ancestor_titles: Vec<String>,
    title: String,
    status: String,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    failure_messages: Vec<String>,
    #[serde(default)]
    location: Option<Location>,
}

#[derive(Deserialize)]
struct Location {
    line: Option<u32>,
}

/// Parses a Jest or Vitest JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<TestRun, ParseError> {
    let report: Report = read_document(input, "Jest/Vitest")?;
    let mut run = TestRun::default();
    for (i, file) in report.test_results.into_iter().enumerate() {
        let path = ctx.paths.resolve(&file.name, &[]);
        let time = match (file.start_time, file.end_time) {
            (Some(s), Some(e)) if s > 0.0 && e >= s => Some((e - s) / 1000.0),
            _ => None,
        };
        let mut cases = Vec::with_capacity(file.assertion_results.len());
        let mut any_failed = false;
        for (j, a) in file.assertion_results.into_iter().enumerate() {
            let status = match a.status.as_str() {
                "passed" | "focused" => TestStatus::Passed,
                "failed" => TestStatus::Failed,
                "pending" | "skipped" | "disabled" => TestStatus::Skipped,
                "todo" => TestStatus::Todo,
                other => {
                    return Err(ParseError::at_pointer(
                        format!("/testResults/{i}/assertionResults/{j}/status"),
                        format!(
                            "unknown test status \"{}\"; expected passed, failed, pending, skipped, \
                             disabled, todo or focused",
                            super::xml::truncate(other, 40)
                        ),
                    ));
                }
            };
            any_failed |= status == TestStatus::Failed;
            let mut name = a.ancestor_titles.join(" › ");
            if !name.is_empty() {
                name.push_str(" › ");
            }
            name.push_str(&a.title);
            let (message, details) = split_failure(&a.failure_messages.join("\n\n"));
            cases.push(TestCase {
                name,
                classname: None,
                file: Some(path.clone()),
                line: a.location.and_then(|l| l.line).filter(|l| *l > 0),
                status,
                time: a
                    .duration
                    .filter(|d| d.is_finite() && *d >= 0.0)
                    .map(|d| d / 1000.0),
                message,
                details,
                retries: 0,
            });
        }
        let failed_file = file.status.as_deref() == Some("failed");
        if failed_file && !any_failed {
            let (message, details) = split_failure(file.message.as_deref().unwrap_or(""));
            cases.push(TestCase {
                name: path.clone(),
                file: Some(path.clone()),
                status: TestStatus::Errored,
                message: message.or_else(|| Some("the test file failed to run".into())),
                details,
                ..Default::default()
            });
        }
        run.suites.push(TestSuite {
            name: path.clone(),
            file: Some(path),
            time,
            cases,
        });
    }
    Ok(run)
}

/// A failure text split into its message (the lines before the first stack frame, without
/// Jest's `● Test suite failed to run` heading) and the whole text as details.
fn split_failure(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if text.is_empty() {
        return (None, None);
    }
    let mut message = String::new();
    for line in text.lines() {
        let t = line.trim();
        // A stack frame, or the source excerpt Jest prints under a message (`> 5 | code`).
        if t.starts_with("at ") || is_code_frame(t) {
            break;
        }
        if t.starts_with('●') && message.is_empty() {
            continue;
        }
        if message.len() > super::xml::MAX_TEXT_BYTES {
            break;
        }
        if !message.is_empty() || !t.is_empty() {
            message.push_str(line.trim_end());
            message.push('\n');
        }
    }
    let message = message.trim();
    let message = if message.is_empty() {
        text.lines().next().unwrap_or("").trim().to_string()
    } else {
        message.to_string()
    };
    (Some(clip(message)), Some(clip(text.to_string())))
}

/// `> 12 | code`, `12 | code` or `| ^`: a line of Jest's source excerpt.
fn is_code_frame(t: &str) -> bool {
    let t = t.strip_prefix('>').map_or(t, str::trim_start);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    t[digits..].trim_start().starts_with('|') && (digits > 0 || t.starts_with('|'))
}

#[cfg(test)]
mod tests {
    use super::split_failure;

    #[test]
    fn failure_text_is_split_at_the_first_frame() {
        let (m, d) = split_failure("Error: boom\n    at x (a.js:1:2)\n    at y");
        assert_eq!(m.as_deref(), Some("Error: boom"));
        assert_eq!(
            d.as_deref(),
            Some("Error: boom\n    at x (a.js:1:2)\n    at y")
        );
        let (m, _) = split_failure("  ● Test suite failed to run\n\n    Cannot find module 'x'\n");
        assert_eq!(m.as_deref(), Some("Cannot find module 'x'"));
        assert_eq!(split_failure("  \n"), (None, None));
        let (m, _) = split_failure(
            "  ● Test suite failed to run\n\n    cleanup failed\n\n    > 1 | afterAll(() => {});\n        |  ^\n      2 | x\n",
        );
        assert_eq!(m.as_deref(), Some("cleanup failed"));
    }
}
