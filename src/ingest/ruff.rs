//! Ruff `--output-format=json` (an array of diagnostics).
//!
//! Counting rules:
//! - Every entry is one finding, matching Ruff's "Found N errors.". Ruff has no warnings: it
//!   exits non-zero on any diagnostic, so the level is `error`, unless the entry carries a
//!   `severity` field (newer Ruff) saying `warning` or `info`.
//! - Syntax errors (`code` null in older Ruff, `invalid-syntax` or `E999` in others) are
//!   category `build`; flake8-bandit rules (`S` followed by digits) are `security`; the rest
//!   is `lint`.
//! - Ruff does not report what `# noqa` suppressed, so nothing is marked suppressed.
//! - Locations are 1-based rows and columns already; for notebooks (`cell` set) the row is
//!   within the cell, as Ruff gives it.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::io::BufRead;

/// An array of `{code, filename, location}`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"code\"")
        && head.contains("\"filename\"")
        && head.contains("\"location\"")
}

#[derive(Deserialize)]
struct Diagnostic {
    #[serde(default, deserialize_with = "nullable")]
    code: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    filename: String,
    #[serde(default, deserialize_with = "nullable")]
    location: Option<Position>,
    #[serde(default, deserialize_with = "nullable")]
    end_location: Option<Position>,
    #[serde(default, deserialize_with = "nullable")]
    url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    severity: Option<String>,
}

#[derive(Deserialize)]
struct Position {
    #[serde(default, deserialize_with = "nullable")]
    row: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column: Option<i64>,
}

/// Parses a Ruff JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let diags: Vec<Diagnostic> = json::read_document(input, "Ruff")?;
    let mut out = Findings::default();
    for (i, d) in diags.into_iter().enumerate() {
        let level = match d.severity.as_deref().map(str::trim) {
            None => Level::Error,
            Some(s) => match s.to_ascii_lowercase().as_str() {
                "error" | "fatal" => Level::Error,
                "warning" => Level::Warning,
                "info" | "note" | "hint" => Level::Note,
                _ => {
                    return Err(ParseError::at_pointer(
                        format!("/{i}/severity"),
                        format!(
                            "severity \"{}\": expected error, warning or info",
                            super::xml::truncate(s, 40)
                        ),
                    ));
                }
            },
        };
        let code = d.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let syntax = match code {
            None => true,
            Some(c) => c == "invalid-syntax" || c == "E999",
        };
        let category = if syntax {
            Category::Build
        } else if code.is_some_and(is_bandit) {
            Category::Security
        } else {
            Category::Lint
        };
        let path = d.filename.trim();
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: positive(d.location.as_ref().and_then(|p| p.row)).unwrap_or(0),
            column: positive(d.location.as_ref().and_then(|p| p.column)),
            end_line: positive(d.end_location.as_ref().and_then(|p| p.row)),
            end_column: positive(d.end_location.as_ref().and_then(|p| p.column)),
        });
        out.items.push(Finding {
            tool: "ruff".into(),
            rule: code.map(str::to_string),
            level,
            severity: None,
            category,
            message: json::clip(d.message),
            location,
            suppressed: false,
            help_uri: d.url.filter(|u| !u.trim().is_empty()),
            fingerprints: Vec::new(),
            rule_info: None,
            package: None,
        });
    }
    Ok(out)
}

/// `S` followed by digits: flake8-bandit, Ruff's security rules.
fn is_bandit(code: &str) -> bool {
    code.strip_prefix('S')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}
