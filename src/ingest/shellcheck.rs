//! ShellCheck `-f json1` (`{"comments": [...]}`) and the older `-f json` (the bare array).
//!
//! Counting and mapping rules:
//! - One finding per comment, each a message ShellCheck prints. Category `lint`.
//! - Rule id `SC` followed by the numeric `code` (`SC2086`), linking to ShellCheck's wiki.
//! - Level: error → error, warning → warning, info and style → note.
//! - Location: `file`, `line`–`endLine`, `column`–`endColumn` (1-based, end exclusive, as
//!   ShellCheck writes them).

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::io::BufRead;

/// `{"comments": ...}`, or an array of objects with `endLine`, `endColumn`, `code`, `level`.
pub fn detect(head: &Head) -> bool {
    match head.json_start() {
        Some(b'{') => {
            head.contains("\"comments\"")
                && (head.contains("\"endColumn\"") || head.bytes().len() < 64)
        }
        Some(b'[') => {
            head.contains("\"endLine\"")
                && head.contains("\"endColumn\"")
                && head.contains("\"code\"")
                && head.contains("\"level\"")
        }
        _ => false,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    #[serde(default, deserialize_with = "nullable")]
    file: String,
    #[serde(default, deserialize_with = "nullable")]
    line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    level: String,
    code: i64,
    #[serde(default, deserialize_with = "nullable")]
    message: String,
}

/// The comments, bare (`json`) or under `comments` (`json1`).
struct CommentsKey;
impl json::ListKey for CommentsKey {
    const KEY: &'static str = "comments";
    const EXPECTING: &'static str = "an object with \"comments\" or an array of comments";
}

/// Parses a ShellCheck JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let comments =
        json::read_document::<json::ListOrKeyed<Comment, CommentsKey>>(input, "ShellCheck")?.items;
    let mut out = Findings::default();
    for (i, c) in comments.iter().enumerate() {
        let level = match c.level.trim().to_ascii_lowercase().as_str() {
            "error" => Level::Error,
            "warning" => Level::Warning,
            "info" | "style" => Level::Note,
            other => {
                return Err(ParseError::at_pointer(
                    format!("/comments/{i}/level"),
                    format!(
                        "level \"{}\": expected error, warning, info or style",
                        super::xml::truncate(other, 40)
                    ),
                ));
            }
        };
        let rule = format!("SC{}", c.code);
        let path = c.file.trim();
        out.items.push(Finding {
            tool: "shellcheck".into(),
            help_uri: Some(format!("https://www.shellcheck.net/wiki/{rule}")),
            rule: Some(rule),
            level,
            severity: None,
            category: Category::Lint,
            message: json::clip(c.message.trim().to_string()),
            location: (!path.is_empty()).then(|| Location {
                path: ctx.paths.resolve(path, &[]),
                line: positive(c.line).unwrap_or(0),
                column: positive(c.column),
                end_line: positive(c.end_line),
                end_column: positive(c.end_column),
            }),
            suppressed: false,
            ..Finding::default()
        });
    }
    Ok(out)
}
