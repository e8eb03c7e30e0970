//! cargo / clippy `--message-format=json` (one object per line, build messages mixed in).

use super::{Ctx, Head, ParseError};
use crate::model::Findings;
use std::io::BufRead;

/// Lines of `{reason: ...}`.
pub fn detect(head: &Head) -> bool {
    head.first_non_ws() == Some(b'{')
        && head.contains("\"reason\"")
        && (head.contains("\"compiler-message\"")
            || head.contains("\"compiler-artifact\"")
            || head.contains("\"build-finished\"")
            || head.contains("\"build-script-executed\""))
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Findings, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
