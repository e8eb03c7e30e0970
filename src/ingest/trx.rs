//! Visual Studio TRX (`<TestRun>`).

use super::{Ctx, Head, ParseError};
use crate::model::TestRun;
use std::io::BufRead;

/// `<TestRun>` root.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"TestRun")
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<TestRun, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
