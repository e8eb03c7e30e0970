//! pip-audit `-f json`: `{"dependencies": [{name, version, vulns: [...]}], "fixes": [...]}`
//! (and the bare list of dependencies older versions wrote).
//!
//! Counting and mapping rules:
//! - One finding per entry of `dependencies[].vulns[]`, as pip-audit counts them in "Found N
//!   known vulnerabilities in M packages". Dependencies with a `skip_reason` (not on PyPI, or
//!   not resolvable) could not be audited and are not findings.
//! - Rule id: the vulnerability `id` (`PYSEC-…`, `GHSA-…`); its `aliases` (CVE and GHSA ids)
//!   are tags. Category `security`.
//! - Level error: pip-audit gives no severity and fails the run on any known vulnerability.
//!   Severity: none (pip-audit reports neither a severity nor a CVSS score).
//! - Help links to the OSV record of the id, which pip-audit's default service is.
//! - Location: the report names no file. The finding points at the line declaring the package
//!   in the first of `requirements.txt`, `pyproject.toml`, `pylock.toml`, `poetry.lock`,
//!   `uv.lock`, `Pipfile.lock` (found in the repository through the path resolver) that
//!   declares it; else line 1 of the first of those files that exists (a transitive
//!   dependency comes in through it); with none of them in the repository, no location.

use super::json;
use super::sarif::nullable;
use super::scan::{self, AdvisoryHelp};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, PackageRef, RuleInfo};
use serde::Deserialize;
use std::io::BufRead;

/// `dependencies` holding `vulns` (or the older bare list).
pub fn detect(head: &Head) -> bool {
    match head.json_start() {
        Some(b'{') => head.contains("\"dependencies\"") && head.contains("\"vulns\""),
        Some(b'[') => {
            head.contains("\"vulns\"") && head.contains("\"name\"") && head.contains("\"version\"")
        }
        _ => false,
    }
}

#[derive(Deserialize)]
struct Dependency {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    version: String,
    #[serde(default, deserialize_with = "nullable")]
    vulns: Vec<Vuln>,
}

#[derive(Deserialize)]
struct Vuln {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    fix_versions: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    aliases: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: String,
}

/// The dependency list, bare or under `dependencies`.
struct DepsKey;
impl json::ListKey for DepsKey {
    const KEY: &'static str = "dependencies";
    const EXPECTING: &'static str = "an object with \"dependencies\" or a list of dependencies";
}

/// Files pip-audit is commonly pointed at, in the order they are tried.
const MANIFESTS: &[&str] = &[
    "requirements.txt",
    "pyproject.toml",
    "pylock.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
];

/// Parses a pip-audit JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let deps =
        json::read_document::<json::ListOrKeyed<Dependency, DepsKey>>(input, "pip-audit")?.items;
    let mut out = Findings::default();
    let mut wanted: Vec<(usize, String, String)> = Vec::new();
    for d in &deps {
        for v in &d.vulns {
            let id = v.id.trim();
            let fixed = (!v.fix_versions.is_empty()).then(|| v.fix_versions.join(", "));
            let link = (!id.is_empty()).then(|| format!("https://osv.dev/vulnerability/{id}"));
            let mut message = format!("{id} in {} {}", d.name.trim(), d.version.trim());
            match &fixed {
                Some(f) => message.push_str(&format!(" (fixed in {f})")),
                None => message.push_str(" (no fixed version)"),
            }
            let desc = v.description.trim();
            let first_line = desc.lines().next().unwrap_or("").trim();
            if !first_line.is_empty() {
                message.push_str(&format!(": {first_line}"));
            }
            let mut tags = Vec::new();
            for t in ["vulnerability", "security", "pypi"] {
                scan::push_tag(&mut tags, t);
            }
            for a in &v.aliases {
                scan::push_tag(&mut tags, a);
            }
            let help = AdvisoryHelp {
                id,
                package: d.name.trim(),
                installed: Some(d.version.trim()).filter(|s| !s.is_empty()),
                fixed: fixed.as_deref(),
                severity: None,
                link: link.as_deref(),
                remedy: None,
                description: Some(desc),
            }
            .markdown();
            wanted.push((out.items.len(), d.name.clone(), d.version.clone()));
            out.items.push(Finding {
                tool: "pip-audit".into(),
                rule: (!id.is_empty()).then(|| id.to_string()),
                level: Level::Error,
                severity: None,
                category: Category::Security,
                message: json::clip(message),
                location: None,
                suppressed: false,
                help_uri: link.clone(),
                fingerprints: Vec::new(),
                rule_info: Some(Box::new(RuleInfo {
                    name: Some(format!("{id} in {}", d.name.trim())),
                    short_description: Some(if first_line.is_empty() {
                        format!("Known vulnerability {id} in {}", d.name.trim())
                    } else {
                        json::clip(first_line.to_string())
                    }),
                    full_description: (!desc.is_empty()).then(|| json::clip(desc.to_string())),
                    help: Some(help),
                    tags,
                    cwe: Vec::new(),
                    cvss: None,
                    references: link.into_iter().collect(),
                })),
                package: Some(Box::new(PackageRef {
                    name: d.name.trim().to_string(),
                    version: Some(d.version.trim().to_string()).filter(|s| !s.is_empty()),
                    fixed_version: fixed,
                    ecosystem: Some("pypi".into()),
                    manifest: None,
                    artifact: None,
                })),
            });
        }
    }
    locate(&mut out, &wanted, ctx);
    Ok(out)
}

/// Points each finding at the first manifest that declares its package (see the module doc).
fn locate(out: &mut Findings, wanted: &[(usize, String, String)], ctx: &Ctx) {
    if wanted.is_empty() {
        return;
    }
    let existing: Vec<String> = MANIFESTS
        .iter()
        .map(|m| ctx.paths.resolve(m, &[]))
        .filter(|p| ctx.paths.exists(p))
        .collect();
    let mut found: Vec<Option<(String, u32)>> = vec![None; wanted.len()];
    for m in &existing {
        let asks: Vec<(&str, Option<&str>)> = wanted
            .iter()
            .map(|(_, n, v)| (n.as_str(), Some(v.as_str())))
            .collect();
        let Some(lines) = scan::lines_in(ctx, m, &asks) else {
            continue;
        };
        for (slot, line) in found.iter_mut().zip(lines) {
            if slot.is_none()
                && let Some(l) = line
            {
                *slot = Some((m.clone(), l));
            }
        }
    }
    for ((i, _, _), hit) in wanted.iter().zip(found) {
        let at = hit.or_else(|| existing.first().map(|m| (m.clone(), 1)));
        if let (Some((path, line)), Some(f)) = (at, out.items.get_mut(*i)) {
            if let Some(p) = f.package.as_mut() {
                p.manifest = Some(path.clone());
            }
            let mut loc = scan::file_location(path);
            loc.line = line;
            f.location = Some(loc);
        }
    }
}
