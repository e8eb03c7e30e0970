//! mypy `--output json` (one object per line).

use super::{Ctx, Head, ParseError};
use crate::model::Findings;
use std::io::BufRead;

/// Lines of `{file, line, message, severity}`.
pub fn detect(head: &Head) -> bool {
    head.first_non_ws() == Some(b'{')
        && head.contains("\"file\"")
        && head.contains("\"severity\"")
        && head.contains("\"message\"")
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Findings, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
