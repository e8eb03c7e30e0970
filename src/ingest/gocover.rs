//! Go coverprofile (`go test -coverprofile`, modes set, count and atomic).

use super::{Ctx, Head, ParseError};
use crate::model::Coverage;
use std::io::BufRead;

/// First line `mode: set|count|atomic`.
pub fn detect(head: &Head) -> bool {
    head.first_line_starts_with(&["mode: set", "mode: count", "mode: atomic"])
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Coverage, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
