//! Ruff `--output-format=json`.

use super::{Ctx, Head, ParseError};
use crate::model::Findings;
use std::io::BufRead;

/// An array of `{code, filename, location}`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"code\"")
        && head.contains("\"filename\"")
        && head.contains("\"location\"")
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Findings, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
