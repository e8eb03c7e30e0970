//! Istanbul `coverage-final.json` and `coverage-summary.json` (nyc, c8, Jest, Vitest).

use super::{Ctx, Head, ParseError};
use crate::model::Coverage;
use std::io::BufRead;

/// `coverage-final.json`: objects with `statementMap`.
pub fn detect_final(head: &Head) -> bool {
    head.json_start() == Some(b'{') && head.contains("\"statementMap\"")
}

/// `coverage-summary.json`: a `total` with `lines.pct`.
pub fn detect_summary(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"total\"")
        && head.contains("\"pct\"")
        && head.contains("\"lines\"")
}

/// Parses `coverage-final.json`. Not written yet.
pub fn parse_final(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Coverage, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}

/// Parses `coverage-summary.json`. Not written yet.
pub fn parse_summary(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Coverage, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
