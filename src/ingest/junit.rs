//! JUnit XML in its dialects (pytest, jest-junit, vitest, Surefire/Gradle, nextest, go-junit-report, PHPUnit, mocha).

use super::{Ctx, Head, ParseError};
use crate::model::TestRun;
use std::io::BufRead;

/// `<testsuites>` or `<testsuite>` root.
pub fn detect(head: &Head) -> bool {
    matches!(head.xml_root(), Some(b"testsuites" | b"testsuite"))
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<TestRun, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
