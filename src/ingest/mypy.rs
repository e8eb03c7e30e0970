//! mypy `--output json` (mypy ≥ 1.11: one object per line).
//!
//! Counting rules:
//! - Each line is one finding, category `type`. `severity` `error` → error (so our error
//!   count is mypy's "Found N errors in M files"), `note` → note.
//! - In mypy's text output, notes that explain an error follow it on their own lines; the
//!   JSON output already folds those into the error's `hint`, which is appended to the
//!   message here. A note that remains a line of its own (`reveal_type`, a note with no error
//!   before it) is a finding of level note.
//! - Syntax errors (`code` `syntax`) stop mypy from checking the file: category `build`.
//! - mypy's `column` and `end_column` are 0-based; they are shifted to 1-based. A line or
//!   column of -1 (mypy's "none") is left out.
//! - Blank lines and lines that do not start with `{` (a "Success: ..." line when stdout and
//!   stderr were mixed) are skipped.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::io::BufRead;

/// Lines of `{file, line, message, severity}`.
pub fn detect(head: &Head) -> bool {
    head.first_non_ws() == Some(b'{')
        && head.contains("\"file\"")
        && head.contains("\"severity\"")
        && head.contains("\"message\"")
}

#[derive(Deserialize)]
struct Line {
    #[serde(default, deserialize_with = "nullable")]
    file: String,
    #[serde(default, deserialize_with = "nullable")]
    line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_column: Option<i64>,
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    hint: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    code: Option<String>,
    severity: String,
}

/// Parses mypy's JSON lines.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let mut out = Findings::default();
    json::for_each_line(input, |text, n| {
        if !text.starts_with(b"{") {
            return Ok(());
        }
        let l: Line = json::parse_line(text, n, "mypy")?;
        let level = match l.severity.trim() {
            "error" => Level::Error,
            "warning" => Level::Warning,
            "note" => Level::Note,
            other => {
                return Err(ParseError::at_line(
                    n,
                    1,
                    format!(
                        "severity \"{}\": expected error or note (or warning)",
                        super::xml::truncate(other, 40)
                    ),
                ));
            }
        };
        let code = l.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let mut message = l.message;
        if let Some(h) = l.hint.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            message.push('\n');
            message.push_str(h);
        }
        let path = l.file.trim();
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: positive(l.line).unwrap_or(0),
            column: zero_based(l.column),
            end_line: positive(l.end_line),
            end_column: zero_based(l.end_column),
        });
        out.items.push(Finding {
            tool: "mypy".into(),
            rule: code.map(str::to_string),
            level,
            severity: None,
            category: if code == Some("syntax") {
                Category::Build
            } else {
                Category::Type
            },
            message: json::clip(message),
            location,
            suppressed: false,
            help_uri: None,
            fingerprints: Vec::new(),
            rule_info: None,
            package: None,
        });
        Ok(())
    })?;
    Ok(out)
}

/// A 0-based column as 1-based; negative means none.
fn zero_based(v: Option<i64>) -> Option<u32> {
    positive(v.filter(|c| *c >= 0).map(|c| c.saturating_add(1)))
}
