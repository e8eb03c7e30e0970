//! Semgrep `--json`: `results[]` and `errors[]`.
//!
//! Counting and mapping rules:
//! - One finding per `results[]` entry, as Semgrep's "N findings"; entries with
//!   `extra.is_ignored` (silenced by `nosemgrep`, listed only with `--disable-nosem`) are kept
//!   as suppressed.
//! - Rule id `check_id`. Category `security` when the rule's metadata says so
//!   (`category: security`) or names a CWE or an OWASP entry; otherwise `lint`.
//! - Level, as Semgrep's SARIF: ERROR (and the newer CRITICAL, HIGH) → error, WARNING
//!   (MEDIUM) → warning, INFO (LOW, INVENTORY, EXPERIMENT) → note.
//! - Severity, security rules only, as Semgrep maps its legacy words: CRITICAL → critical,
//!   ERROR and HIGH → high, WARNING and MEDIUM → medium, INFO and LOW → low.
//! - `metadata.cwe` (`"CWE-89: ..."`, one or a list) gives the CWE ids; `owasp`, `confidence`,
//!   `technology`, `category`, `subcategory` are tags; `references` are references; the help
//!   link is `metadata.source`, else `shortlink`.
//! - `extra.fingerprint` is kept in `fingerprints` under `semgrep` unless it is the
//!   placeholder "requires login". `extra.lines` (the matched source) is not kept.
//! - `errors[]` of level `error` or `warn` are findings of category `build` (Semgrep could
//!   not parse or scan something), as the SARIF reader counts Semgrep's execution
//!   notifications; `info` ones are dropped.

use super::json;
use super::sarif::{nullable, positive};
use super::scan;
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, RuleInfo, Severity};
use serde::Deserialize;
use serde_json::Value;
use std::io::BufRead;

/// An object with Semgrep's `check_id` results, or its `errors` and `paths.scanned` (and
/// not Checkov's `check_type`, whose checks also have a `check_id`).
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && !head.contains("\"check_type\"")
        && head.contains("\"results\"")
        && (head.contains("\"check_id\"")
            || (head.contains("\"errors\"") && head.contains("\"scanned\"")))
        || (head.json_start() == Some(b'{') && head.contains("\"interfile_languages_used\""))
}

#[derive(Deserialize)]
struct Document {
    results: Vec<SgResult>,
    #[serde(default, deserialize_with = "nullable")]
    errors: Vec<SgError>,
}

#[derive(Deserialize)]
struct SgResult {
    #[serde(default, deserialize_with = "nullable")]
    check_id: String,
    #[serde(default, deserialize_with = "nullable")]
    path: String,
    #[serde(default, deserialize_with = "nullable")]
    start: Pos,
    #[serde(default, deserialize_with = "nullable")]
    end: Pos,
    #[serde(default, deserialize_with = "nullable")]
    extra: Extra,
}

#[derive(Deserialize, Default)]
struct Pos {
    #[serde(default, deserialize_with = "nullable")]
    line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    col: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Extra {
    #[serde(default, deserialize_with = "nullable")]
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    severity: String,
    #[serde(default, deserialize_with = "nullable")]
    metadata: Metadata,
    #[serde(default, deserialize_with = "nullable")]
    fingerprint: String,
    #[serde(default, deserialize_with = "nullable")]
    is_ignored: bool,
}

/// Rule metadata: free-form in Semgrep, so every field is read as any JSON value.
#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    cwe: Value,
    #[serde(default)]
    owasp: Value,
    #[serde(default)]
    references: Value,
    #[serde(default)]
    confidence: Value,
    #[serde(default)]
    category: Value,
    #[serde(default)]
    subcategory: Value,
    #[serde(default)]
    technology: Value,
    #[serde(default)]
    source: Value,
    #[serde(default)]
    shortlink: Value,
}

#[derive(Deserialize)]
struct SgError {
    #[serde(default, deserialize_with = "nullable")]
    level: String,
    #[serde(rename = "type", default)]
    kind: Value,
    #[serde(default, deserialize_with = "nullable")]
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    path: String,
    #[serde(default, deserialize_with = "nullable")]
    spans: Vec<Span>,
}

#[derive(Deserialize, Default)]
struct Span {
    #[serde(default, deserialize_with = "nullable")]
    file: String,
    #[serde(default, deserialize_with = "nullable")]
    start: Pos,
}

/// The strings of a string or a list of strings.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_string())
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Parses a Semgrep JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: Document = json::read_document(input, "Semgrep")?;
    let mut out = Findings::default();
    for (i, r) in doc.results.iter().enumerate() {
        let word = r.extra.severity.trim().to_ascii_uppercase();
        let level = match word.as_str() {
            "ERROR" | "CRITICAL" | "HIGH" => Level::Error,
            "WARNING" | "MEDIUM" => Level::Warning,
            "INFO" | "LOW" | "INVENTORY" | "EXPERIMENT" => Level::Note,
            other => {
                return Err(ParseError::at_pointer(
                    format!("/results/{i}/extra/severity"),
                    format!(
                        "severity \"{}\": expected ERROR, WARNING or INFO",
                        super::xml::truncate(other, 40)
                    ),
                ));
            }
        };
        let md = &r.extra.metadata;
        let cwe: Vec<String> = {
            let mut v: Vec<String> = Vec::new();
            for c in strings(&md.cwe).iter().filter_map(|c| scan::cwe_id(c)) {
                if !v.contains(&c) {
                    v.push(c);
                }
            }
            v
        };
        let owasp = strings(&md.owasp);
        let category_words = strings(&md.category);
        let security = category_words
            .iter()
            .any(|c| c.eq_ignore_ascii_case("security"))
            || !cwe.is_empty()
            || !owasp.is_empty();
        let severity = if security {
            match word.as_str() {
                "CRITICAL" => Some(Severity::Critical),
                "ERROR" | "HIGH" => Some(Severity::High),
                "WARNING" | "MEDIUM" => Some(Severity::Medium),
                "INFO" | "LOW" => Some(Severity::Low),
                _ => None,
            }
        } else {
            None
        };
        let mut tags = Vec::new();
        if security {
            scan::push_tag(&mut tags, "security");
        }
        for t in category_words
            .iter()
            .chain(&strings(&md.subcategory))
            .chain(&owasp)
            .chain(&strings(&md.technology))
        {
            scan::push_tag(&mut tags, t);
        }
        for c in strings(&md.confidence) {
            scan::push_tag(&mut tags, &format!("confidence:{}", c.to_ascii_lowercase()));
        }
        let help_uri = strings(&md.source)
            .into_iter()
            .chain(strings(&md.shortlink))
            .find(|u| u.starts_with("http"));
        let mut references = Vec::new();
        for u in strings(&md.references).iter().take(20) {
            scan::push_tag(&mut references, u);
        }
        let path = r.path.trim();
        let line = positive(r.start.line);
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: line.unwrap_or(0),
            column: positive(r.start.col),
            end_line: positive(r.end.line),
            end_column: positive(r.end.col),
        });
        let message = r.extra.message.trim();
        let mut help = format!("{message}\n");
        if !references.is_empty() || help_uri.is_some() {
            help.push_str("\nReferences:\n");
            for u in help_uri.iter().chain(references.iter()) {
                help.push_str(&format!("- <{u}>\n"));
            }
        }
        let fp = r.extra.fingerprint.trim();
        let fingerprints = if fp.eq_ignore_ascii_case("requires login") {
            Vec::new()
        } else {
            scan::fingerprint("semgrep", fp)
        };
        let id = r.check_id.trim();
        out.items.push(Finding {
            tool: "semgrep".into(),
            rule: (!id.is_empty()).then(|| id.to_string()),
            level,
            severity,
            category: if security {
                Category::Security
            } else {
                Category::Lint
            },
            message: json::clip(message.to_string()),
            location,
            suppressed: r.extra.is_ignored,
            help_uri: help_uri.clone(),
            fingerprints,
            rule_info: Some(Box::new(RuleInfo {
                name: (!id.is_empty()).then(|| id.to_string()),
                short_description: Some(format!("Semgrep rule {id}")),
                full_description: None,
                help: Some(json::clip(help)),
                tags,
                cwe,
                cvss: None,
                references,
            })),
            package: None,
        });
    }
    for e in &doc.errors {
        let level = match e.level.trim().to_ascii_lowercase().as_str() {
            "error" => Level::Error,
            "warn" | "warning" | "" => Level::Warning,
            _ => continue,
        };
        let kind = match &e.kind {
            Value::String(s) => s.trim().to_string(),
            Value::Array(a) => a
                .first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_string(),
            _ => String::new(),
        };
        let span = e.spans.first();
        let path = span
            .map(|s| s.file.trim())
            .filter(|f| !f.is_empty())
            .unwrap_or(e.path.trim());
        let location = (!path.is_empty()).then(|| Location {
            path: ctx.paths.resolve(path, &[]),
            line: span.and_then(|s| positive(s.start.line)).unwrap_or(0),
            column: span.and_then(|s| positive(s.start.col)),
            ..Location::default()
        });
        let msg = e.message.trim();
        out.items.push(Finding {
            tool: "semgrep".into(),
            rule: None,
            level,
            severity: None,
            category: Category::Build,
            message: json::clip(if kind.is_empty() {
                msg.to_string()
            } else {
                format!("{kind}: {msg}")
            }),
            location,
            ..Finding::default()
        });
    }
    Ok(out)
}
