//! npm audit `--json` of npm 7 and later (`auditReportVersion` 2).
//!
//! Counting and mapping rules:
//! - One finding per entry of `vulnerabilities` (a vulnerable package), not per advisory:
//!   that is what npm counts when it prints "N vulnerabilities (…)" and in
//!   `metadata.vulnerabilities.total`. A package with several advisories of its own is one
//!   finding that lists them all; a package vulnerable only through a dependency (its `via`
//!   names packages, not advisories) is a finding too, as npm counts it.
//! - Rule id: the GitHub advisory id (`GHSA-…`, from the advisory `url`; `npm-<source>` when
//!   there is no such url) of the package's most severe advisory; for a package vulnerable
//!   only through dependencies, the most severe advisory reached through `via`. Category
//!   `security`.
//! - Level: critical and high → error, moderate → warning, low and info → note.
//! - Severity: the highest CVSS score (`via[].cvss.score`, 0 meaning none) of the package's
//!   own advisories, in bands (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low); else npm's word
//!   (critical, high, moderate → medium, low, info).
//! - Location: the report names no file; npm audits the `package-lock.json` (or
//!   `npm-shrinkwrap.json`) of the directory it ran in, found in the repository through the
//!   path resolver (at the root, else the only one). The finding points at the lockfile line
//!   of the package's first `nodes[]` entry (`"node_modules/<name>": {`), else line 1; with no
//!   lockfile in the repository it has no location.
//! - npm's own error document (`{"message": "405 ... /-/npm/v1/security/...", ...}`, what
//!   `npm audit --json` prints when the registry refuses the audit) is an error that quotes
//!   npm's message.
//! - `fixAvailable`: `true` → "run npm audit fix"; an object → the upgrade it names (and that
//!   it is semver-major); `false` → no fix. The fixed version is set only when the upgrade is
//!   of the package itself. npm's report has no installed version.

use super::json;
use super::sarif::nullable;
use super::scan::{self, AdvisoryHelp, PackageLines};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, PackageRef, RuleInfo, Severity};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufRead;

/// An object with `auditReportVersion`, or npm's report that the audit endpoint failed.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && (head.contains("\"auditReportVersion\"") || head.contains("/-/npm/v1/security/"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default, deserialize_with = "nullable")]
    audit_report_version: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    vulnerabilities: BTreeMap<String, Entry>,
    /// Set instead of the report when npm could not reach the audit endpoint.
    #[serde(default, deserialize_with = "nullable")]
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    severity: String,
    #[serde(default, deserialize_with = "nullable")]
    is_direct: bool,
    #[serde(default, deserialize_with = "nullable")]
    via: Vec<Via>,
    #[serde(default, deserialize_with = "nullable")]
    range: String,
    #[serde(default, deserialize_with = "nullable")]
    nodes: Vec<String>,
    #[serde(default)]
    fix_available: Value,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Via {
    /// A dependency through which the package is vulnerable.
    Package(String),
    /// An advisory against the package itself.
    Advisory(Box<Advisory>),
}

#[derive(Deserialize, Default)]
struct Advisory {
    #[serde(default)]
    source: Value,
    #[serde(default, deserialize_with = "nullable")]
    title: String,
    #[serde(default, deserialize_with = "nullable")]
    url: String,
    #[serde(default, deserialize_with = "nullable")]
    severity: String,
    #[serde(default, deserialize_with = "nullable")]
    cwe: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    cvss: Cvss,
    #[serde(default, deserialize_with = "nullable")]
    range: String,
}

#[derive(Deserialize, Default)]
struct Cvss {
    #[serde(default, deserialize_with = "nullable")]
    score: Option<f64>,
}

impl Advisory {
    fn id(&self) -> String {
        let from_url = self
            .url
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .filter(|s| s.starts_with("GHSA-"));
        match from_url {
            Some(g) => g.to_string(),
            None => match &self.source {
                Value::Number(n) => format!("npm-{n}"),
                Value::String(s) if !s.trim().is_empty() => format!("npm-{}", s.trim()),
                _ => "npm-advisory".to_string(),
            },
        }
    }

    fn rank(&self) -> (Option<Severity>, f64) {
        let score = self.cvss.score.filter(|s| *s > 0.0);
        (
            score
                .and_then(scan::band)
                .or_else(|| scan::severity_word(&self.severity)),
            score.unwrap_or(0.0),
        )
    }
}

/// The most severe of some advisories (the first among equals).
fn most_severe<'a>(list: impl Iterator<Item = &'a Advisory>) -> Option<&'a Advisory> {
    list.fold(None, |best: Option<&Advisory>, a| match best {
        Some(b) if b.rank() >= a.rank() => Some(b),
        _ => Some(a),
    })
}

/// Advisories reached from `name` through `via` (visited once each, so cycles end).
fn reached<'a>(doc: &'a Document, name: &str) -> Vec<&'a Advisory> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut stack: Vec<&str> = vec![name];
    while let Some(n) = stack.pop() {
        if seen.contains(&n) {
            continue;
        }
        seen.push(n);
        let Some(e) = doc.vulnerabilities.get(n) else {
            continue;
        };
        for v in &e.via {
            match v {
                Via::Advisory(a) => out.push(a.as_ref()),
                Via::Package(p) => stack.push(p.as_str()),
            }
        }
    }
    out
}

/// Parses an npm audit JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: Document = json::read_document(input, "npm audit")?;
    match doc.audit_report_version {
        Some(2) => {}
        None if doc.message.is_some() => {
            return Err(ParseError::at_pointer(
                "/message",
                format!(
                    "npm audit did not run: {}; expected its report (auditReportVersion 2)",
                    super::xml::truncate(doc.message.as_deref().unwrap_or("").trim(), 300)
                ),
            ));
        }
        other => {
            return Err(ParseError::at_pointer(
                "/auditReportVersion",
                format!(
                    "auditReportVersion {}: expected 2 (npm 7 and later)",
                    other.map_or("absent".to_string(), |v| v.to_string())
                ),
            ));
        }
    }
    let lockfile = ["package-lock.json", "npm-shrinkwrap.json"]
        .iter()
        .map(|f| ctx.paths.resolve(f, &[]))
        .find(|p| ctx.paths.exists(p));
    let mut lines = PackageLines::default();
    let mut out = Findings::default();
    for (key, e) in &doc.vulnerabilities {
        let name = if e.name.trim().is_empty() {
            key.trim()
        } else {
            e.name.trim()
        };
        let own: Vec<&Advisory> = e
            .via
            .iter()
            .filter_map(|v| match v {
                Via::Advisory(a) => Some(a.as_ref()),
                Via::Package(_) => None,
            })
            .collect();
        let through: Vec<&str> = e
            .via
            .iter()
            .filter_map(|v| match v {
                Via::Package(p) => Some(p.as_str()),
                Via::Advisory(_) => None,
            })
            .collect();
        let transitive = reached(&doc, name);
        let main =
            most_severe(own.iter().copied()).or_else(|| most_severe(transitive.iter().copied()));
        let score = own
            .iter()
            .filter_map(|a| a.cvss.score)
            .filter(|s| s.is_finite() && *s > 0.0)
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
        let severity = score
            .and_then(scan::band)
            .or_else(|| scan::severity_word(&e.severity));
        let level = match e.severity.trim().to_ascii_lowercase().as_str() {
            "critical" | "high" => Level::Error,
            "moderate" | "medium" => Level::Warning,
            _ => Level::Note,
        };
        let rule = main.map_or_else(|| format!("npm-audit:{name}"), |a| a.id());
        let (fixed, remedy) = fix(&e.fix_available, name);
        let mut message = match own.as_slice() {
            [] => format!(
                "{name} is vulnerable through its dependencies: {}",
                through.join(", ")
            ),
            [a] => format!("{name}: {} ({})", a.title.trim(), a.id()),
            [a, rest @ ..] => format!(
                "{name}: {} ({}) and {} more advisor{}",
                a.title.trim(),
                a.id(),
                rest.len(),
                if rest.len() == 1 { "y" } else { "ies" }
            ),
        };
        if !e.range.trim().is_empty() {
            message.push_str(&format!("; vulnerable versions {}", e.range.trim()));
        }
        let mut listing = String::new();
        let listed: &[&Advisory] = if own.is_empty() { &transitive } else { &own };
        for a in listed {
            listing.push_str(&format!(
                "- [{}]({}) {} ({}{})\n",
                a.id(),
                a.url.trim(),
                a.title.trim(),
                a.severity.trim(),
                if a.range.trim().is_empty() {
                    String::new()
                } else {
                    format!(", affects {}", a.range.trim())
                }
            ));
        }
        if own.is_empty() && !through.is_empty() {
            listing.insert_str(
                0,
                &format!(
                    "`{name}` is vulnerable because it depends on {}, which has:\n\n",
                    through
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let link = main.map(|a| a.url.trim()).filter(|u| !u.is_empty());
        let help = AdvisoryHelp {
            id: &rule,
            package: name,
            installed: None,
            fixed: fixed.as_deref(),
            severity: Some(e.severity.trim()),
            link,
            remedy: Some(remedy),
            description: Some(&listing),
        }
        .markdown();
        let mut cwe = Vec::new();
        for a in &own {
            for c in &a.cwe {
                if let Some(id) = scan::cwe_id(c)
                    && !cwe.contains(&id)
                {
                    cwe.push(id);
                }
            }
        }
        let mut tags = Vec::new();
        for t in [
            "vulnerability",
            "security",
            "npm",
            e.severity.trim(),
            if e.is_direct { "direct" } else { "transitive" },
        ] {
            scan::push_tag(&mut tags, t);
        }
        let mut references = Vec::new();
        for a in own.iter().take(20) {
            scan::push_tag(&mut references, &a.url);
        }
        let location = lockfile.as_ref().map(|lf| {
            let node = e.nodes.first().map(String::as_str).unwrap_or("");
            let pkg = node.rsplit("node_modules/").next().unwrap_or(node);
            lines.want(
                out.items.len(),
                lf,
                if pkg.is_empty() { name } else { pkg },
                None,
            );
            scan::file_location(lf.clone())
        });
        let title = main.map(|a| a.title.trim()).filter(|t| !t.is_empty());
        out.items.push(Finding {
            tool: "npm-audit".into(),
            rule: Some(rule.clone()),
            level,
            severity,
            category: Category::Security,
            message: json::clip(message),
            location,
            suppressed: false,
            help_uri: link.map(str::to_string),
            fingerprints: Vec::new(),
            rule_info: Some(Box::new(RuleInfo {
                name: title.map(str::to_string),
                short_description: Some(match (title, own.is_empty()) {
                    (Some(t), false) => t.to_string(),
                    (Some(t), true) => format!("Depends on a vulnerable package: {t}"),
                    (None, _) => format!("Vulnerable npm package {name}"),
                }),
                full_description: (!listing.is_empty()).then(|| json::clip(listing.clone())),
                help: Some(help),
                tags,
                cwe,
                cvss: score,
                references,
            })),
            package: Some(Box::new(PackageRef {
                name: name.to_string(),
                version: None,
                fixed_version: fixed,
                ecosystem: Some("npm".into()),
                manifest: lockfile.clone(),
                artifact: None,
            })),
        });
    }
    lines.fill(&mut out.items, ctx);
    Ok(out)
}

/// The fixed version (when the fix upgrades this package) and the remediation sentence.
fn fix(v: &Value, name: &str) -> (Option<String>, String) {
    match v {
        Value::Bool(true) => (None, "A fix is available: run `npm audit fix`.".into()),
        Value::Object(o) => {
            let fname = o.get("name").and_then(Value::as_str).unwrap_or("").trim();
            let fver = o
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            let major = o
                .get("isSemVerMajor")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let sentence = if major {
                format!(
                    "A fix is available: `npm audit fix --force` installs `{fname}@{fver}`, a \
                     semver-major (breaking) change."
                )
            } else {
                format!("A fix is available: `npm audit fix` installs `{fname}@{fver}`.")
            };
            let fixed = (fname == name && !fver.is_empty()).then(|| fver.to_string());
            (fixed, sentence)
        }
        _ => (None, "npm knows no fix yet.".into()),
    }
}
