//! Checkov `-o json`: one report object per framework (`check_type`), alone or in an array,
//! each with `results.failed_checks[]`, `skipped_checks[]` and a `summary`. A run that found
//! nothing to scan prints only a summary object (`passed`, `failed`, ... `checkov_version`).
//!
//! Counting and mapping rules, matching Checkov's "Failed checks: N" per framework:
//! - One finding per `failed_checks[]` entry; `skipped_checks[]` (skipped by an inline
//!   `checkov:skip` comment or `--skip-check`) are kept as suppressed; `passed_checks[]` are
//!   not problems.
//! - Rule id `check_id` (`CKV_AWS_20`); name `check_name`; help link `guideline`. Category
//!   `security`; the framework (`check_type`) and `bc_category` are tags.
//! - Level, as Checkov's SARIF: a `severity` of CRITICAL or HIGH → error, MEDIUM → warning,
//!   LOW and INFO → note; no severity (the usual case without a Prisma Cloud key) → error, as
//!   Checkov fails the run on any failed check. Severity: the word when given (INFO → info);
//!   for package findings (`sca_package`: `vulnerability_details`), the CVSS score in bands.
//! - Location: `repo_file_path` (the path from the repository root, with a leading `/`),
//!   else `file_path`, else `file_abs_path`, through the path resolver; the first line of
//!   `file_line_range` (a `[0, 0]` range, a whole-file check, is line 1). `code_block` (the
//!   source lines, which for the `secrets` framework surround a secret) is not read.

use super::json;
use super::sarif::{nullable, positive};
use super::scan;
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, PackageRef, RuleInfo};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::BufRead;

/// A report with `check_type` and `results`, or Checkov's bare summary.
pub fn detect(head: &Head) -> bool {
    head.json_start().is_some()
        && ((head.contains("\"check_type\"") && head.contains("\"results\""))
            || (head.contains("\"checkov_version\"") && head.contains("\"resource_count\"")))
}

#[derive(Deserialize, Default)]
struct Framework {
    #[serde(default, deserialize_with = "nullable")]
    check_type: String,
    #[serde(default, deserialize_with = "nullable")]
    results: Results,
}

#[derive(Deserialize, Default)]
struct Results {
    #[serde(default, deserialize_with = "nullable")]
    failed_checks: Vec<Check>,
    #[serde(default, deserialize_with = "nullable")]
    skipped_checks: Vec<Check>,
}

#[derive(Deserialize, Default)]
struct Check {
    #[serde(default, deserialize_with = "nullable")]
    check_id: String,
    #[serde(default, deserialize_with = "nullable")]
    check_name: String,
    #[serde(default, deserialize_with = "nullable")]
    file_path: String,
    #[serde(default, deserialize_with = "nullable")]
    file_abs_path: String,
    #[serde(default, deserialize_with = "nullable")]
    repo_file_path: String,
    #[serde(default, deserialize_with = "nullable")]
    file_line_range: Vec<i64>,
    #[serde(default, deserialize_with = "nullable")]
    resource: String,
    #[serde(default, deserialize_with = "nullable")]
    severity: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    guideline: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    bc_category: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    vulnerability_details: Option<VulnDetails>,
}

#[derive(Deserialize, Default)]
struct VulnDetails {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    package_name: String,
    #[serde(default, deserialize_with = "nullable")]
    package_version: String,
    #[serde(default)]
    cvss: Value,
    #[serde(default, deserialize_with = "nullable")]
    fixed_version: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    link: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<String>,
}

/// One framework report, an array of them, or the bare summary (no findings).
struct Document(Vec<Framework>);

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Checkov report object or an array of them")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut out = Vec::new();
                while let Some(f) = seq.next_element::<Framework>()? {
                    out.push(f);
                }
                Ok(Document(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Document, A::Error> {
                let f = Framework::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Document(vec![f]))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a Checkov JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let Document(frameworks) = json::read_document(input, "Checkov")?;
    let mut out = Findings::default();
    for (fi, fw) in frameworks.iter().enumerate() {
        let lists = [
            ("failed_checks", &fw.results.failed_checks, false),
            ("skipped_checks", &fw.results.skipped_checks, true),
        ];
        for (key, list, suppressed) in lists {
            for (ci, c) in list.iter().enumerate() {
                let sev_word = c
                    .severity
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty());
                let level = match sev_word.map(str::to_ascii_uppercase).as_deref() {
                    None | Some("CRITICAL") | Some("HIGH") => Level::Error,
                    Some("MEDIUM") => Level::Warning,
                    Some("LOW") | Some("INFO") => Level::Note,
                    Some(other) => {
                        return Err(ParseError::at_pointer(
                            format!("/{fi}/results/{key}/{ci}/severity"),
                            format!(
                                "severity \"{}\": expected CRITICAL, HIGH, MEDIUM, LOW or INFO",
                                super::xml::truncate(other, 40)
                            ),
                        ));
                    }
                };
                out.items
                    .push(finding(c, fw, level, sev_word, suppressed, ctx));
            }
        }
    }
    Ok(out)
}

fn finding(
    c: &Check,
    fw: &Framework,
    level: Level,
    sev_word: Option<&str>,
    suppressed: bool,
    ctx: &Ctx,
) -> Finding {
    let raw = [&c.repo_file_path, &c.file_path, &c.file_abs_path]
        .into_iter()
        .map(|p| p.trim())
        .find(|p| !p.is_empty());
    let location = raw.map(|p| {
        // Checkov writes `/main.tf` for a path relative to the directory it scanned.
        let rel = p.trim_start_matches('/');
        let mut path = ctx.paths.resolve(rel, &[]);
        if !ctx.paths.exists(&path) {
            let abs = c.file_abs_path.trim();
            if !abs.is_empty() {
                let alt = ctx.paths.resolve(abs, &[]);
                if ctx.paths.exists(&alt) {
                    path = alt;
                }
            }
        }
        let start = positive(c.file_line_range.first().copied());
        let end = positive(c.file_line_range.get(1).copied());
        Location {
            path,
            line: start.unwrap_or(1),
            end_line: end.filter(|e| start.is_some_and(|s| *e > s)),
            ..Location::default()
        }
    });
    let vd = c.vulnerability_details.as_ref();
    let score = vd.and_then(|v| match &v.cvss {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    });
    let severity = score
        .and_then(scan::band)
        .or_else(|| sev_word.and_then(scan::severity_word));
    let name = c.check_name.trim();
    let id = c.check_id.trim();
    let guideline = c
        .guideline
        .as_deref()
        .map(str::trim)
        .filter(|g| g.starts_with("http"))
        .or_else(|| vd.and_then(|v| v.link.as_deref()).map(str::trim))
        .filter(|g| !g.is_empty());
    let mut message = name.to_string();
    if !c.resource.trim().is_empty() {
        message.push_str(&format!(" (resource {})", c.resource.trim()));
    }
    let mut tags = Vec::new();
    for t in ["security", fw.check_type.trim()] {
        scan::push_tag(&mut tags, t);
    }
    if let Some(b) = c.bc_category.as_deref() {
        scan::push_tag(&mut tags, b);
    }
    if let Some(s) = sev_word {
        scan::push_tag(&mut tags, s);
    }
    let mut help = format!("**{id}: {name}**\n\n");
    if let Some(d) = c
        .description
        .as_deref()
        .or(vd.and_then(|v| v.description.as_deref()))
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        help.push_str(&format!("{d}\n\n"));
    }
    if let Some(v) = vd {
        match v
            .fixed_version
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            Some(f) => help.push_str(&format!(
                "Remediation: upgrade `{}` to {f}.\n\n",
                v.package_name.trim()
            )),
            None => help.push_str("Remediation: no fixed version is known yet.\n\n"),
        }
    }
    match guideline {
        Some(g) => help.push_str(&format!("How to fix: [Checkov guideline for {id}]({g})\n")),
        None => help.push_str(&format!(
            "Fix the configuration so that the check passes, or skip it with a \
             `checkov:skip={id}:<reason>` comment where it does not apply.\n"
        )),
    }
    let package = vd.filter(|v| !v.package_name.trim().is_empty()).map(|v| {
        Box::new(PackageRef {
            name: v.package_name.trim().to_string(),
            version: Some(v.package_version.trim().to_string()).filter(|s| !s.is_empty()),
            fixed_version: v
                .fixed_version
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            ecosystem: None,
            manifest: location.as_ref().map(|l| l.path.clone()),
            artifact: None,
        })
    });
    Finding {
        tool: "checkov".into(),
        rule: (!id.is_empty()).then(|| id.to_string()),
        level,
        severity,
        category: Category::Security,
        message: json::clip(if message.is_empty() {
            vd.map(|v| v.id.clone()).unwrap_or_default()
        } else {
            message
        }),
        location,
        suppressed,
        help_uri: guideline.map(str::to_string),
        fingerprints: Vec::new(),
        rule_info: Some(Box::new(RuleInfo {
            name: (!name.is_empty()).then(|| name.to_string()),
            short_description: (!name.is_empty()).then(|| name.to_string()),
            full_description: c
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| json::clip(d.to_string())),
            help: Some(json::clip(help)),
            tags,
            cwe: Vec::new(),
            cvss: score.filter(|s| *s > 0.0),
            references: guideline.map(str::to_string).into_iter().collect(),
        })),
        package,
    }
}
