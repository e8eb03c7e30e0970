//! Clover XML coverage (OpenClover, PHPUnit, istanbul).

use super::{Ctx, Head, ParseError};
use crate::model::Coverage;
use std::io::BufRead;

/// `<coverage>` root with a `<project>` child or a `clover` attribute.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"coverage")
        && (head.xml_root_has_attr("clover") || head.contains("<project"))
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Coverage, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
