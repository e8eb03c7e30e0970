//! Checkstyle XML (checkstyle, ESLint, ktlint, PHP_CodeSniffer...).

use super::{Ctx, Head, ParseError};
use crate::model::Findings;
use std::io::BufRead;

/// `<checkstyle>` root.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"checkstyle")
}

/// Parses the report. Not written yet.
pub fn parse(_input: &mut dyn BufRead, _ctx: &Ctx) -> Result<Findings, ParseError> {
    Err(ParseError::at_byte(
        0,
        "reading this format is not implemented yet",
    ))
}
