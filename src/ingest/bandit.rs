//! Bandit `-f json`: `results[]`, `errors[]` and `metrics`.
//!
//! Counting and mapping rules:
//! - One finding per `results[]` entry: Bandit's "Total issues" (the sum of its printed
//!   by-severity counts). Issues silenced with `# nosec` are not in `results` (Bandit counts
//!   them in `metrics._totals.skipped_tests`), so nothing is marked suppressed.
//! - Rule id `test_id` (`B602`), name `test_name`; help `more_info`; CWE from `issue_cwe.id`.
//!   Category `security`.
//! - Level, as Bandit's SARIF formatter: HIGH → error, MEDIUM → warning, LOW → note,
//!   UNDEFINED → warning. Severity: `issue_severity` HIGH, MEDIUM, LOW → the same,
//!   UNDEFINED → info. `issue_confidence` is a tag (`confidence:high`).
//! - Location: `filename`, `line_number`; columns are 0-based in Bandit and stored 1-based
//!   (`col_offset + 1`, end `end_col_offset + 1`, exclusive as in SARIF); the end line is the
//!   last of `line_range`.
//! - `errors[]` (files Bandit could not parse) are findings of category `build`, level error,
//!   as the SARIF reader counts a tool's execution notifications.
//! - Secrets: `code` (the source lines) is not kept; the hard-coded password tests (B105,
//!   B106, B107) quote the password in `issue_text`, which is replaced by `***`.

use super::json;
use super::sarif::{nullable, positive};
use super::scan;
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, RuleInfo, Severity};
use serde::Deserialize;
use std::io::BufRead;

/// An object with Bandit's `metrics` totals (`SEVERITY.HIGH`...) or result keys.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"results\"")
        && (head.contains("\"SEVERITY.HIGH\"")
            || (head.contains("\"test_id\"") && head.contains("\"issue_severity\"")))
        || (head.json_start() == Some(b'{')
            && head.contains("\"generated_at\"")
            && head.contains("\"CONFIDENCE.HIGH\""))
}

#[derive(Deserialize)]
struct Document {
    results: Vec<Issue>,
    #[serde(default, deserialize_with = "nullable")]
    errors: Vec<BanditError>,
}

#[derive(Deserialize)]
struct Issue {
    #[serde(default, deserialize_with = "nullable")]
    filename: String,
    #[serde(default, deserialize_with = "nullable")]
    test_id: String,
    #[serde(default, deserialize_with = "nullable")]
    test_name: String,
    #[serde(default, deserialize_with = "nullable")]
    issue_severity: String,
    #[serde(default, deserialize_with = "nullable")]
    issue_confidence: String,
    #[serde(default, deserialize_with = "nullable")]
    issue_text: String,
    #[serde(default, deserialize_with = "nullable")]
    issue_cwe: Option<Cwe>,
    #[serde(default, deserialize_with = "nullable")]
    line_number: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    line_range: Vec<i64>,
    #[serde(default, deserialize_with = "nullable")]
    col_offset: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_col_offset: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    more_info: String,
}

#[derive(Deserialize, Default)]
struct Cwe {
    #[serde(default, deserialize_with = "nullable")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    link: String,
}

#[derive(Deserialize)]
struct BanditError {
    #[serde(default, deserialize_with = "nullable")]
    filename: String,
    #[serde(default, deserialize_with = "nullable")]
    reason: String,
}

/// Parses a Bandit JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: Document = json::read_document(input, "Bandit")?;
    let mut out = Findings::default();
    for (i, r) in doc.results.iter().enumerate() {
        let sev = r.issue_severity.trim().to_ascii_uppercase();
        let (level, severity) = match sev.as_str() {
            "HIGH" => (Level::Error, Severity::High),
            "MEDIUM" => (Level::Warning, Severity::Medium),
            "LOW" => (Level::Note, Severity::Low),
            "UNDEFINED" | "" => (Level::Warning, Severity::Info),
            other => {
                return Err(ParseError::at_pointer(
                    format!("/results/{i}/issue_severity"),
                    format!(
                        "issue_severity \"{}\": expected HIGH, MEDIUM, LOW or UNDEFINED",
                        super::xml::truncate(other, 40)
                    ),
                ));
            }
        };
        let path = r.filename.trim();
        let line = positive(r.line_number);
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: line.unwrap_or(0),
            column: r
                .col_offset
                .filter(|c| *c >= 0)
                .and_then(|c| positive(Some(c + 1))),
            end_line: r
                .line_range
                .iter()
                .copied()
                .max()
                .and_then(|e| positive(Some(e)))
                .filter(|e| line.is_none_or(|l| *e > l)),
            end_column: r
                .end_col_offset
                .filter(|c| *c >= 0)
                .and_then(|c| positive(Some(c + 1))),
        });
        let rule = r.test_id.trim();
        let cwe: Vec<String> = r
            .issue_cwe
            .as_ref()
            .and_then(|c| c.id)
            .filter(|id| *id > 0)
            .map(|id| format!("CWE-{id}"))
            .into_iter()
            .collect();
        let mut tags = Vec::new();
        scan::push_tag(&mut tags, "security");
        if !r.issue_confidence.trim().is_empty() {
            scan::push_tag(
                &mut tags,
                &format!(
                    "confidence:{}",
                    r.issue_confidence.trim().to_ascii_lowercase()
                ),
            );
        }
        let message = redact_password(rule, r.issue_text.trim());
        let name = r.test_name.trim();
        let more_info = r.more_info.trim();
        let mut help = format!("**{rule}: {name}**\n\n");
        if let Some(c) = cwe.first() {
            let link = r
                .issue_cwe
                .as_ref()
                .map(|c| c.link.trim())
                .filter(|l| !l.is_empty());
            match link {
                Some(l) => help.push_str(&format!("Weakness: [{c}]({l})\n\n")),
                None => help.push_str(&format!("Weakness: {c}\n\n")),
            }
        }
        if !more_info.is_empty() {
            help.push_str(&format!(
                "How to fix, with examples: [Bandit documentation for {rule}]({more_info})\n"
            ));
        }
        out.items.push(Finding {
            tool: "bandit".into(),
            rule: (!rule.is_empty()).then(|| rule.to_string()),
            level,
            severity: Some(severity),
            category: Category::Security,
            message: json::clip(message),
            location,
            suppressed: false,
            help_uri: (!more_info.is_empty()).then(|| more_info.to_string()),
            fingerprints: Vec::new(),
            rule_info: Some(Box::new(RuleInfo {
                name: (!name.is_empty()).then(|| name.to_string()),
                short_description: (!name.is_empty()).then(|| format!("{rule}: {name}")),
                full_description: None,
                help: Some(help),
                tags,
                cwe,
                cvss: None,
                references: Vec::new(),
            })),
            package: None,
        });
    }
    for e in &doc.errors {
        let path = e.filename.trim();
        out.items.push(Finding {
            tool: "bandit".into(),
            rule: None,
            level: Level::Error,
            severity: None,
            category: Category::Build,
            message: json::clip(format!(
                "Bandit could not scan the file: {}",
                e.reason.trim()
            )),
            location: (!path.is_empty()).then(|| Location {
                path: ctx.paths.resolve(path, &[]),
                ..Location::default()
            }),
            ..Finding::default()
        });
    }
    Ok(out)
}

/// B105–B107 write `Possible hardcoded password: '<the password>'`: keep the words, not the
/// password.
fn redact_password(rule: &str, text: &str) -> String {
    if !matches!(rule, "B105" | "B106" | "B107") {
        return text.to_string();
    }
    match text.split_once(": ") {
        Some((head, _)) => format!("{head}: '***'"),
        None => text.to_string(),
    }
}
