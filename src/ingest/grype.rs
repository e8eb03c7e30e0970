//! Grype `-o json`: `matches[]`, each a vulnerability matched to a package (`artifact`).
//!
//! Counting and mapping rules:
//! - One finding per `matches[]` entry, as Grype's table and SARIF list one per match;
//!   `ignoredMatches[]` (matches an ignore rule or VEX statement removed) are kept as
//!   suppressed.
//! - Rule id `<vulnerability id>-<package name>`, as Grype's SARIF names its rules (a rule per
//!   vulnerability and package, since the fix differs by package). Category `security`.
//! - Level, as Grype's SARIF: Critical and High → error, Medium → warning, Low, Negligible and
//!   Unknown → note.
//! - Severity: the highest CVSS base score of the vulnerability (what Grype's SARIF puts in
//!   `security-severity`), else of its `relatedVulnerabilities` (the NVD record of a GitHub
//!   advisory match), in bands (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low); without a score,
//!   Grype's word (Critical, High, Medium, Low; Negligible and Unknown → info). So a match
//!   Grype calls Low can be high here when its CVSS score says so, as in its SARIF.
//! - Location: image scans (`source.type` `image`) name paths inside the image: the finding
//!   points at the repository's Dockerfile (its last `FROM` line) when there is exactly one,
//!   else has no location; the image (`source.target.userInput`) is `package.artifact` and
//!   the package's path in the image `package.manifest`. Directory and file scans: the
//!   package's first location (`accessPath`, else `path`), resolved against the scanned
//!   directory, at the line that declares the package in that lockfile, else line 1. SBOM
//!   scans: the same, only when the file exists in the repository.

use super::json;
use super::sarif::nullable;
use super::scan::{self, AdvisoryHelp, PackageLines};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, PackageRef, RuleInfo};
use serde::Deserialize;
use serde_json::Value;
use std::io::BufRead;

/// An object with `matches` and Grype's `matchDetails` or `descriptor`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"matches\"")
        && (head.contains("\"matchDetails\"") || head.contains("\"descriptor\""))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    matches: Vec<Match>,
    #[serde(default, deserialize_with = "nullable")]
    ignored_matches: Vec<Match>,
    #[serde(default, deserialize_with = "nullable")]
    source: Source,
}

#[derive(Deserialize, Default)]
struct Source {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(default)]
    target: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Match {
    vulnerability: Vulnerability,
    #[serde(default, deserialize_with = "nullable")]
    related_vulnerabilities: Vec<Vulnerability>,
    artifact: Artifact,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Vulnerability {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    data_source: String,
    #[serde(default, deserialize_with = "nullable")]
    severity: String,
    #[serde(default, deserialize_with = "nullable")]
    urls: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: String,
    #[serde(default, deserialize_with = "nullable")]
    cvss: Vec<CvssEntry>,
    #[serde(default, deserialize_with = "nullable")]
    fix: Fix,
}

#[derive(Deserialize, Default)]
struct CvssEntry {
    #[serde(default, deserialize_with = "nullable")]
    metrics: Metrics,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Metrics {
    #[serde(default, deserialize_with = "nullable")]
    base_score: Option<f64>,
}

#[derive(Deserialize, Default)]
struct Fix {
    #[serde(default, deserialize_with = "nullable")]
    versions: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    state: String,
}

#[derive(Deserialize, Default)]
struct Artifact {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    version: String,
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(default, deserialize_with = "nullable")]
    language: String,
    #[serde(default, deserialize_with = "nullable")]
    locations: Vec<ArtifactLocation>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(default, deserialize_with = "nullable")]
    path: String,
    #[serde(default, deserialize_with = "nullable")]
    access_path: String,
}

fn max_score(v: &[CvssEntry]) -> Option<f64> {
    v.iter()
        .filter_map(|c| c.metrics.base_score)
        .filter(|s| s.is_finite() && *s > 0.0)
        .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))))
}

/// Parses a Grype JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: Document = json::read_document(input, "Grype")?;
    let kind = doc.source.kind.trim().to_ascii_lowercase();
    let image = kind == "image";
    let (target, image_name) = match &doc.source.target {
        Value::String(s) => (s.trim().to_string(), None),
        Value::Object(o) => {
            let user = o
                .get("userInput")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string());
            (String::new(), user)
        }
        _ => (String::new(), None),
    };
    let bases: Vec<String> = if kind == "directory" && !target.is_empty() && target != "." {
        vec![target.clone()]
    } else {
        Vec::new()
    };
    let dockerfile = if image {
        scan::dockerfile_location(ctx)
    } else {
        None
    };
    let mut lines = PackageLines::default();
    let mut out = Findings::default();
    let all = doc
        .matches
        .iter()
        .map(|m| (m, false))
        .chain(doc.ignored_matches.iter().map(|m| (m, true)));
    for (m, suppressed) in all {
        let v = &m.vulnerability;
        let a = &m.artifact;
        let first = a.locations.first();
        let pkg_file = first
            .map(|l| {
                if l.access_path.trim().is_empty() {
                    l.path.trim()
                } else {
                    l.access_path.trim()
                }
            })
            .unwrap_or("");
        let location = if image {
            dockerfile.clone()
        } else {
            let raw = if kind == "file" && pkg_file.is_empty() {
                target.as_str()
            } else {
                pkg_file
            };
            let resolved = (!raw.is_empty()).then(|| ctx.paths.resolve(raw, &bases));
            resolved
                .filter(|p| !p.is_empty() && (kind != "sbom" || ctx.paths.exists(p)))
                .map(|p| {
                    lines.want(out.items.len(), &p, &a.name, Some(&a.version));
                    scan::file_location(p)
                })
        };
        let score = max_score(&v.cvss).or_else(|| {
            m.related_vulnerabilities
                .iter()
                .filter_map(|r| max_score(&r.cvss))
                .fold(None, |acc: Option<f64>, s| {
                    Some(acc.map_or(s, |x| x.max(s)))
                })
        });
        let severity = score
            .and_then(scan::band)
            .or_else(|| scan::severity_word(&v.severity));
        let level = match v.severity.trim().to_ascii_lowercase().as_str() {
            "critical" | "high" => Level::Error,
            "medium" => Level::Warning,
            _ => Level::Note,
        };
        let fixed = (v.fix.state.trim() == "fixed" || !v.fix.versions.is_empty())
            .then(|| v.fix.versions.join(", "))
            .filter(|f| !f.is_empty());
        let link = [&v.data_source]
            .into_iter()
            .chain(v.urls.iter())
            .map(|u| u.trim())
            .find(|u| u.starts_with("http"));
        let description = non_empty(&v.description).or_else(|| {
            m.related_vulnerabilities
                .iter()
                .find_map(|r| non_empty(&r.description))
        });
        let sev_word = non_empty(&v.severity);
        let mut message = format!("{} ", v.id.trim());
        if let Some(s) = sev_word {
            message.push_str(&format!("({s}) "));
        }
        message.push_str(&format!("in {} package {}", a.kind.trim(), a.name.trim()));
        if let Some(ver) = non_empty(&a.version) {
            message.push_str(&format!(" {ver}"));
        }
        match &fixed {
            Some(f) => message.push_str(&format!("; fixed in {f}")),
            None => message.push_str("; no fix available"),
        }
        if image && let Some(img) = &image_name {
            message.push_str(&format!(" (image {img}: {pkg_file})"));
        }
        let mut tags = Vec::new();
        for t in [
            "vulnerability",
            "security",
            v.severity.trim(),
            a.kind.trim(),
            a.language.trim(),
        ] {
            scan::push_tag(&mut tags, t);
        }
        let mut references = Vec::new();
        for u in v.urls.iter().take(20) {
            scan::push_tag(&mut references, u);
        }
        let help = AdvisoryHelp {
            id: v.id.trim(),
            package: a.name.trim(),
            installed: non_empty(&a.version),
            fixed: fixed.as_deref(),
            severity: sev_word,
            link,
            remedy: None,
            description,
        }
        .markdown();
        let short = format!(
            "{} {} vulnerability in {}",
            v.id.trim(),
            v.severity.trim().to_ascii_lowercase(),
            a.name.trim()
        );
        out.items.push(Finding {
            tool: "grype".into(),
            rule: Some(format!("{}-{}", v.id.trim(), a.name.trim())),
            level,
            severity,
            category: Category::Security,
            message: json::clip(message),
            location,
            suppressed,
            help_uri: link.map(str::to_string),
            fingerprints: Vec::new(),
            rule_info: Some(Box::new(RuleInfo {
                name: non_empty(&v.id).map(str::to_string),
                short_description: Some(short),
                full_description: description.map(|d| json::clip(d.to_string())),
                help: Some(help),
                tags,
                cwe: Vec::new(),
                cvss: score,
                references,
            })),
            package: Some(Box::new(PackageRef {
                name: a.name.trim().to_string(),
                version: non_empty(&a.version).map(str::to_string),
                fixed_version: fixed.clone(),
                ecosystem: non_empty(&a.kind).map(str::to_string),
                manifest: if image {
                    first
                        .and_then(|l| non_empty(&l.path).or(non_empty(&l.access_path)))
                        .map(str::to_string)
                } else {
                    None
                },
                artifact: if image { image_name.clone() } else { None },
            })),
        });
        if !image
            && let Some(f) = out.items.last_mut()
            && let (Some(p), Some(loc)) = (f.package.as_mut(), f.location.as_ref())
        {
            p.manifest = Some(loc.path.clone());
        }
    }
    lines.fill(&mut out.items, ctx);
    Ok(out)
}

fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}
