//! xUnit.net v2 XML (`<assemblies>`).

use super::{Ctx, Head, ParseError};
use crate::model::TestRun;
use std::io::BufRead;

/// `<assemblies>` or `<assembly>` root.
pub fn detect(head: &Head) -> bool {
    matches!(head.xml_root(), Some(b"assemblies" | b"assembly"))
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<TestRun, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
