//! Pylint `--output-format=json` (an array of messages) and `json2` (Pylint ≥ 3:
//! `{messages, statistics}`).
//!
//! Counting rules:
//! - Every message is one finding. Level by `type`: `fatal` and `error` → error, `warning` →
//!   warning, `refactor`, `convention` and `info` → note. So our error, warning and note
//!   counts add up to json2's `statistics.messageTypeCount` the same way.
//! - The rule is the `symbol` (`line-too-long`), the name `# pylint: disable=` takes; the
//!   message id (`C0301`) is used only when there is no symbol.
//! - `fatal` messages and `syntax-error` (E0001) mean Pylint could not analyse the file:
//!   category `build`; the rest is `lint`.
//! - Pylint's columns are 0-based (`column`, `endColumn`); they are shifted to 1-based.
//! - Messages disabled in the source are not in the output; `suppressed-message` (I0020),
//!   when enabled, is an info message like any other.
//! - The path is json2's `absolutePath` when it names a file of the repository, else `path`.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::io::BufRead;

/// The old array of `{message-id, symbol}`.
pub fn detect_json(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"message-id\"")
        && head.contains("\"symbol\"")
}

/// The `json2` object `{messages, statistics}` (ESLint's `json-with-metadata` also has
/// `messages` and `messageId`, but always `filePath`).
pub fn detect_json2(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"messages\"")
        && (head.contains("\"messageId\"") || head.contains("\"statistics\""))
        && !head.contains("\"filePath\"")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(default, deserialize_with = "nullable")]
    symbol: Option<String>,
    #[serde(alias = "message-id", default, deserialize_with = "nullable")]
    message_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    path: String,
    #[serde(default, deserialize_with = "nullable")]
    absolute_path: Option<String>,
}

/// The messages, bare (`json`) or under `messages` (`json2`).
struct MessagesKey;
impl json::ListKey for MessagesKey {
    const KEY: &'static str = "messages";
    const EXPECTING: &'static str =
        "an array of Pylint messages or a json2 object with \"messages\"";
}

/// Parses a Pylint `json` or `json2` report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: json::ListOrKeyed<Message, MessagesKey> = json::read_document(input, "Pylint")?;
    let base = if doc.keyed { "/messages" } else { "" };
    let messages = doc.items;
    let mut out = Findings::default();
    for (i, m) in messages.into_iter().enumerate() {
        let kind = m.kind.trim().to_ascii_lowercase();
        let level = match kind.as_str() {
            "fatal" | "error" => Level::Error,
            "warning" => Level::Warning,
            "refactor" | "convention" | "info" => Level::Note,
            _ => {
                return Err(ParseError::at_pointer(
                    format!("{base}/{i}/type"),
                    format!(
                        "type \"{}\": expected fatal, error, warning, refactor, convention or info",
                        super::xml::truncate(m.kind.trim(), 40)
                    ),
                ));
            }
        };
        let symbol = m.symbol.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let id = m
            .message_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let category = if kind == "fatal" || symbol == Some("syntax-error") || id == Some("E0001") {
            Category::Build
        } else {
            Category::Lint
        };
        let location = path_of(&m, ctx).map(|path| Location {
            path,
            line: positive(m.line).unwrap_or(0),
            column: zero_based(m.column),
            end_line: positive(m.end_line),
            end_column: zero_based(m.end_column),
        });
        out.items.push(Finding {
            tool: "pylint".into(),
            rule: symbol.or(id).map(str::to_string),
            level,
            severity: None,
            category,
            message: json::clip(m.message),
            location,
            suppressed: false,
            help_uri: None,
            fingerprints: Vec::new(),
            rule_info: None,
            package: None,
        });
    }
    Ok(out)
}

/// A 0-based column as 1-based.
fn zero_based(v: Option<i64>) -> Option<u32> {
    positive(v.filter(|c| *c >= 0).map(|c| c.saturating_add(1)))
}

fn path_of(m: &Message, ctx: &Ctx) -> Option<String> {
    if let Some(abs) = m.absolute_path.as_deref().map(str::trim)
        && !abs.is_empty()
    {
        let p = ctx.paths.resolve(abs, &[]);
        if ctx.paths.exists(&p) {
            return Some(p);
        }
    }
    let p = m.path.trim();
    (!p.is_empty()).then(|| ctx.paths.resolve(p, &[]))
}
