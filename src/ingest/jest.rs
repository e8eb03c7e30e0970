//! Jest `--json` and Vitest `--reporter=json` results.

use super::{Ctx, Head, ParseError};
use crate::model::TestRun;
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

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<TestRun, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
