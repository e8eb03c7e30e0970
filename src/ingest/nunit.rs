//! NUnit 3 XML (`<test-run>`).

use super::{Ctx, Head, ParseError};
use crate::model::TestRun;
use std::io::BufRead;

/// `<test-run>` root.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"test-run")
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<TestRun, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
