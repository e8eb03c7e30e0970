//! Test results: suites → cases with status, time, message, location, retries.

use serde::Serialize;

/// All test results read from one or more reports.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct TestRun {
    /// Suites in report order (nested suites are flattened, their names joined with ` › `).
    pub suites: Vec<TestSuite>,
}

/// A suite (a JUnit `testsuite`, an NUnit fixture, a Jest test file...).
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct TestSuite {
    /// Suite name.
    pub name: String,
    /// Source file the suite comes from, repository-relative, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Duration in seconds, where the report gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    /// The cases.
    pub cases: Vec<TestCase>,
}

/// One test case.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct TestCase {
    /// Test name.
    pub name: String,
    /// Class name (JUnit `classname`), where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classname: Option<String>,
    /// Source file, repository-relative, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Outcome of the final attempt.
    pub status: TestStatus,
    /// Duration in seconds, where given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    /// Failure, error or skip message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Stack trace or failure body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Earlier attempts that did not pass (reruns); the case is flaky when it then passed.
    pub retries: u32,
}

impl TestCase {
    /// Passed only after one or more failed attempts.
    pub fn is_flaky(&self) -> bool {
        self.retries > 0 && self.status == TestStatus::Passed
    }
}

/// Outcome of a test case.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    /// Ran and passed.
    #[default]
    Passed,
    /// An assertion failed.
    Failed,
    /// Broke outside its assertions (setup, exception, timeout).
    Errored,
    /// Not run (skipped, ignored, pending, xfail).
    Skipped,
    /// Declared but not written yet (Jest/Vitest `test.todo`); not run.
    Todo,
}

/// Counts by status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize)]
pub struct TestCounts {
    /// All cases.
    pub total: u64,
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Errored.
    pub errored: u64,
    /// Skipped.
    pub skipped: u64,
    /// Todo.
    pub todo: u64,
    /// Passed after retries.
    pub flaky: u64,
    /// Time summed over suites (or cases where suites have no time), seconds.
    pub time: f64,
}

impl TestCounts {
    /// Adds one case.
    pub fn add(&mut self, case: &TestCase) {
        self.total += 1;
        match case.status {
            TestStatus::Passed => self.passed += 1,
            TestStatus::Failed => self.failed += 1,
            TestStatus::Errored => self.errored += 1,
            TestStatus::Skipped => self.skipped += 1,
            TestStatus::Todo => self.todo += 1,
        }
        self.flaky += u64::from(case.is_flaky());
    }
}

impl TestRun {
    /// Counts over all suites.
    pub fn counts(&self) -> TestCounts {
        let mut c = TestCounts::default();
        for s in &self.suites {
            for case in &s.cases {
                c.add(case);
            }
            c.time += s
                .time
                .unwrap_or_else(|| s.cases.iter().filter_map(|c| c.time).sum());
        }
        c
    }

    /// Appends another run's suites.
    pub fn merge(&mut self, other: TestRun) {
        self.suites.extend(other.suites);
    }
}
