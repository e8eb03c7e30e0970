//! Pylint `--output-format=json` and `json2`.

use super::{Ctx, Head, ParseError};
use crate::model::Findings;
use std::io::BufRead;

/// The old array of `{message-id, symbol}`.
pub fn detect_json(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"message-id\"")
        && head.contains("\"symbol\"")
}

/// The `json2` object `{messages, statistics}`.
pub fn detect_json2(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"messages\"")
        && (head.contains("\"messageId\"") || head.contains("\"statistics\""))
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Findings, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
