//! gitleaks `--report-format json`: an array of findings.
//!
//! Counting and mapping rules:
//! - One finding per array entry, as gitleaks' "leaks found: N".
//! - Rule id `RuleID`; name `Description`; `Tags` are tags. Category `security`.
//! - Level warning: gitleaks' own SARIF gives its results no level, which SARIF reads as
//!   warning. Severity high: gitleaks has no severity, and a committed credential is usable by
//!   whoever reads the repository.
//! - Location: `File` at `StartLine`–`EndLine`, `StartColumn`–`EndColumn` as gitleaks writes
//!   them.
//! - Secrets are never copied: `Secret` and `Match` are not read into the model (serde skips
//!   them); the message is the rule's description with `(redacted)`, the file and the commit.
//! - `Fingerprint` (`commit:file:rule:line`, what `.gitleaksignore` lists) is kept in
//!   `fingerprints` under `gitleaks`.

use super::json;
use super::sarif::{nullable, positive};
use super::scan;
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, RuleInfo, Severity};
use serde::Deserialize;
use std::io::BufRead;

/// An array of objects with gitleaks' `RuleID` and `StartLine`/`Fingerprint`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'[')
        && head.contains("\"RuleID\"")
        && (head.contains("\"StartLine\"") || head.contains("\"Fingerprint\""))
}

/// Only what is safe to keep: no `Secret`, no `Match`.
#[derive(Deserialize)]
struct Leak {
    #[serde(rename = "RuleID", default, deserialize_with = "nullable")]
    rule_id: String,
    #[serde(rename = "Description", default, deserialize_with = "nullable")]
    description: String,
    #[serde(rename = "StartLine", default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(rename = "EndLine", default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(rename = "StartColumn", default, deserialize_with = "nullable")]
    start_column: Option<i64>,
    #[serde(rename = "EndColumn", default, deserialize_with = "nullable")]
    end_column: Option<i64>,
    #[serde(rename = "File", default, deserialize_with = "nullable")]
    file: String,
    #[serde(rename = "Commit", default, deserialize_with = "nullable")]
    commit: String,
    #[serde(rename = "Tags", default, deserialize_with = "nullable")]
    tags: Vec<String>,
    #[serde(rename = "Fingerprint", default, deserialize_with = "nullable")]
    fingerprint: String,
    #[serde(rename = "Link", default, deserialize_with = "nullable")]
    link: String,
}

/// Parses a gitleaks JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let leaks: Vec<Leak> = json::read_document(input, "gitleaks")?;
    let mut out = Findings::default();
    for l in &leaks {
        let rule = l.rule_id.trim();
        let what = [l.description.trim(), rule]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("secret");
        let path = l.file.trim();
        let mut message = format!("{what} (redacted)");
        if !path.is_empty() {
            message.push_str(&format!(" in {path}"));
        }
        let commit = l.commit.trim();
        if !commit.is_empty() {
            message.push_str(&format!(" at commit {commit}"));
        }
        let line = positive(l.start_line);
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: line.unwrap_or(0),
            column: positive(l.start_column),
            end_line: positive(l.end_line),
            end_column: positive(l.end_column),
        });
        let mut tags = Vec::new();
        for t in ["secret", "security"] {
            scan::push_tag(&mut tags, t);
        }
        for t in &l.tags {
            scan::push_tag(&mut tags, t);
        }
        let link = l.link.trim();
        out.items.push(Finding {
            tool: "gitleaks".into(),
            rule: (!rule.is_empty()).then(|| rule.to_string()),
            level: Level::Warning,
            severity: Some(Severity::High),
            category: Category::Security,
            message: json::clip(message),
            location,
            suppressed: false,
            help_uri: link.starts_with("http").then(|| link.to_string()),
            fingerprints: scan::fingerprint("gitleaks", &l.fingerprint),
            rule_info: Some(Box::new(RuleInfo {
                name: Some(what.to_string()),
                short_description: Some(format!("Secret: {what}")),
                full_description: Some(format!("Credential found by gitleaks rule {rule}.")),
                help: Some(scan::SECRET_HELP.to_string()),
                tags,
                ..RuleInfo::default()
            })),
            package: None,
        });
    }
    Ok(out)
}
