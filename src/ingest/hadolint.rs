//! hadolint `-f json`: an array of `{code, file, line, column, level, message}`.
//!
//! Counting and mapping rules:
//! - One finding per entry, each a line hadolint prints. Category `lint` (Dockerfile best
//!   practice; hadolint's `SC` codes are ShellCheck's checks of `RUN` lines).
//! - Level: error → error, warning → warning, info and style → note.
//! - Help: hadolint's wiki page for `DL` rules, ShellCheck's for `SC` rules.
//! - Lines and columns are 1-based as hadolint writes them.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::io::BufRead;

/// An array of objects with `code`, `file`, `level`, `line` and no ShellCheck `endLine`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"code\"")
        && head.contains("\"file\"")
        && head.contains("\"level\"")
        && head.contains("\"line\"")
        && !head.contains("\"endLine\"")
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default, deserialize_with = "nullable")]
    code: String,
    #[serde(default, deserialize_with = "nullable")]
    file: String,
    #[serde(default, deserialize_with = "nullable")]
    line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    level: String,
    #[serde(default, deserialize_with = "nullable")]
    message: String,
}

/// Parses a hadolint JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let entries: Vec<Entry> = json::read_document(input, "hadolint")?;
    let mut out = Findings::default();
    for (i, e) in entries.iter().enumerate() {
        let level = match e.level.trim().to_ascii_lowercase().as_str() {
            "error" => Level::Error,
            "warning" => Level::Warning,
            "info" | "style" => Level::Note,
            other => {
                return Err(ParseError::at_pointer(
                    format!("/{i}/level"),
                    format!(
                        "level \"{}\": expected error, warning, info or style",
                        super::xml::truncate(other, 40)
                    ),
                ));
            }
        };
        let code = e.code.trim();
        let path = e.file.trim();
        out.items.push(Finding {
            tool: "hadolint".into(),
            rule: (!code.is_empty()).then(|| code.to_string()),
            level,
            severity: None,
            category: Category::Lint,
            message: json::clip(e.message.trim().to_string()),
            location: (!path.is_empty()).then(|| Location {
                path: ctx.paths.resolve(path, &[]),
                line: positive(e.line).unwrap_or(0),
                column: positive(e.column),
                ..Location::default()
            }),
            suppressed: false,
            help_uri: help_uri(code),
            ..Finding::default()
        });
    }
    Ok(out)
}

fn help_uri(code: &str) -> Option<String> {
    if code.starts_with("DL") {
        Some(format!("https://github.com/hadolint/hadolint/wiki/{code}"))
    } else if code.starts_with("SC") {
        Some(format!("https://www.shellcheck.net/wiki/{code}"))
    } else {
        None
    }
}
