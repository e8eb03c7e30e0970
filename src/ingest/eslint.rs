//! ESLint `-f json` (an array of per-file results) and `-f json-with-metadata` (the same array
//! under `results`, with `metadata.rulesMeta`).
//!
//! Counting rules, chosen so that our error and warning counts are the sums of ESLint's own
//! `errorCount` and `warningCount` (what it prints as "✖ N problems (E errors, W warnings)"):
//! - Each entry of `messages[]` is one finding: `severity` 2 → error, 1 → warning.
//! - `suppressedMessages[]` (ESLint ≥ 8.8, disabled by `eslint-disable` comments) are kept as
//!   suppressed findings, which ESLint does not count either.
//! - A message with a null `ruleId` is still counted, as ESLint counts it. With `fatal: true`
//!   it is a parse error (category `build`); otherwise it is ESLint's own report, such as an
//!   unused `eslint-disable` directive or a file ignored by a pattern (category `lint`).
//! - Rules of the `security` plugin (`security/...`) are category `security`.
//! - Help links: `metadata.rulesMeta[rule].docs.url` when given; core rules (no plugin
//!   prefix) link to eslint.org.
//!
//! ESLint's SARIF (`@microsoft/eslint-formatter-sarif`) carries the same problems differently:
//! suppressed messages are results with `suppressions: [{kind: inSource}]`, and messages with
//! a null `ruleId` are not results but `invocations[].toolConfigurationNotifications` (id
//! `ESL0999`); the SARIF reader counts those notifications, so both give the same totals.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;

/// An array of `{filePath, messages}`, or `json-with-metadata`'s `{results: [...]}`.
pub fn detect(head: &Head) -> bool {
    let shape = match head.json_start() {
        Some(b'[') => true,
        Some(b'{') => head.contains("\"results\""),
        _ => false,
    };
    shape && head.contains("\"filePath\"") && head.contains("\"messages\"")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileResult {
    #[serde(default, deserialize_with = "nullable")]
    file_path: String,
    #[serde(default, deserialize_with = "nullable")]
    messages: Vec<Message>,
    #[serde(default, deserialize_with = "nullable")]
    suppressed_messages: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    #[serde(default, deserialize_with = "nullable")]
    rule_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    severity: Option<i64>,
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
    fatal: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default, deserialize_with = "nullable")]
    rules_meta: BTreeMap<String, RuleMeta>,
}

#[derive(Deserialize, Default)]
struct RuleMeta {
    #[serde(default, deserialize_with = "nullable")]
    docs: Docs,
}

#[derive(Deserialize, Default)]
struct Docs {
    #[serde(default, deserialize_with = "nullable")]
    url: Option<String>,
}

/// Either shape of the document.
struct Report {
    results: Vec<FileResult>,
    metadata: Metadata,
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Report;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of ESLint file results or an object with \"results\"")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Report, A::Error> {
                let mut results = Vec::new();
                while let Some(r) = seq.next_element()? {
                    results.push(r);
                }
                Ok(Report {
                    results,
                    metadata: Metadata::default(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
                let mut results = None;
                let mut metadata = Metadata::default();
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "results" => results = Some(map.next_value()?),
                        "metadata" => {
                            metadata = map.next_value::<Option<Metadata>>()?.unwrap_or_default()
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let results = results.ok_or_else(|| de::Error::missing_field("results"))?;
                Ok(Report { results, metadata })
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses an ESLint JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let report: Report = json::read_document(input, "ESLint")?;
    let mut out = Findings::default();
    for (f, file) in report.results.iter().enumerate() {
        let path = file.file_path.trim();
        let path = (!path.is_empty()).then(|| ctx.paths.resolve(path, &[]));
        let lists = [
            ("messages", &file.messages, false),
            ("suppressedMessages", &file.suppressed_messages, true),
        ];
        for (key, list, suppressed) in lists {
            for (m, msg) in list.iter().enumerate() {
                let level = match msg.severity {
                    Some(2) => Level::Error,
                    Some(1) => Level::Warning,
                    other => {
                        return Err(ParseError::at_pointer(
                            format!("/{f}/{key}/{m}/severity"),
                            format!(
                                "severity {}: expected 1 (warning) or 2 (error)",
                                other.map_or("null".to_string(), |s| s.to_string())
                            ),
                        ));
                    }
                };
                out.items
                    .push(finding(msg, level, suppressed, path.as_deref(), &report));
            }
        }
    }
    Ok(out)
}

fn finding(
    msg: &Message,
    level: Level,
    suppressed: bool,
    path: Option<&str>,
    report: &Report,
) -> Finding {
    let rule = msg
        .rule_id
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let category = if msg.fatal {
        Category::Build
    } else if rule.is_some_and(|r| r.starts_with("security/")) {
        Category::Security
    } else {
        Category::Lint
    };
    let help_uri = rule.and_then(|r| {
        report
            .metadata
            .rules_meta
            .get(r)
            .and_then(|m| m.docs.url.clone())
            .or_else(|| {
                (!r.contains('/')).then(|| format!("https://eslint.org/docs/latest/rules/{r}"))
            })
    });
    let line = positive(msg.line);
    let location = path.map(|p| Location {
        path: p.to_string(),
        line: line.unwrap_or(0),
        column: positive(msg.column),
        end_line: positive(msg.end_line),
        end_column: positive(msg.end_column),
    });
    Finding {
        tool: "eslint".into(),
        rule: rule.map(str::to_string),
        level,
        severity: None,
        category,
        message: json::clip(msg.message.clone()),
        location,
        suppressed,
        help_uri,
        fingerprints: Vec::new(),
        rule_info: None,
        package: None,
    }
}
