//! Trivy `--format json` (`SchemaVersion` 2): image, filesystem, repository, VM and SBOM
//! scans.
//!
//! Counting and mapping rules:
//! - One finding per entry of `Results[].Vulnerabilities`, `Misconfigurations`, `Secrets` and
//!   `Licenses`, in file order, as Trivy's own SARIF has one result per entry.
//!   Misconfigurations whose `Status` is `PASS` (written with `--include-non-failures`) are not
//!   problems and are dropped; `EXCEPTION` ones (excepted by policy) are kept as suppressed.
//!   `ModifiedFindings` (findings a VEX statement or `.trivyignore` suppressed, written with
//!   `--show-suppressed`) are kept as suppressed. `Packages` and `CustomResources` are
//!   inventory, not findings.
//! - Rule id: `VulnerabilityID`, the misconfiguration `ID` (`AVDID` when `ID` is empty), the
//!   secret `RuleID`, or `<PkgName>:<license>` (`<FilePath>:<license>` for license files), as
//!   Trivy's SARIF names them. Category `security` for all.
//! - Level, as Trivy's SARIF: CRITICAL and HIGH → error, MEDIUM → warning, LOW and UNKNOWN →
//!   note.
//! - Severity: for vulnerabilities, the CVSS v3 (else v4) base score of the vendor Trivy took the
//!   severity from (`SeveritySource`), in bands (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low);
//!   without one, and for the other kinds, Trivy's word: CRITICAL, HIGH, MEDIUM, LOW →
//!   the same; UNKNOWN → info.
//! - Location: image and VM scans (`ArtifactType` `container_image`, `vm`) name paths inside
//!   the image, which are not repository files: their findings point at the repository's
//!   Dockerfile (its last `FROM` line) when there is exactly one, else have no location
//!   (`location: None`; the image is in `package.artifact`). Other scans: the `PkgPath`, else
//!   the `Target` (without the ` (distro version)` suffix), resolved against the scanned
//!   directory (`ArtifactName`) first; for SBOM scans and license results only when that file
//!   exists in the repository (their targets can be language names such as `Java`). Lines:
//!   misconfigurations `CauseMetadata.StartLine`/`EndLine`, secrets `StartLine`/`EndLine`,
//!   packages their `Packages[].Locations` line when Trivy lists it, else the line that declares
//!   the package in the lockfile, else 1.
//! - Secrets are never copied: the message is the rule's title with `(redacted)`; `Match` and
//!   `Code` (which holds the unmasked lines around the secret) are not read into the model.
//! - `Fingerprint` (Trivy ≥ 0.60) is kept in `fingerprints` under `trivy`.
//! - `package.artifact` is `ArtifactName` for image and VM scans (what Trivy's SARIF calls
//!   `imageName`); `Metadata.RepoTags` and `ImageConfig` are not used.

use super::json;
use super::sarif::{nullable, positive};
use super::scan::{self, AdvisoryHelp, PackageLines};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, PackageRef, RuleInfo};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// An object starting with `SchemaVersion` and holding Trivy's `ArtifactName` or `Results`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"SchemaVersion\"")
        && (head.contains("\"ArtifactName\"") || head.contains("\"Results\""))
}

#[derive(Deserialize)]
struct Report {
    #[serde(rename = "SchemaVersion", default, deserialize_with = "nullable")]
    schema_version: Option<i64>,
    #[serde(rename = "ArtifactName", default, deserialize_with = "nullable")]
    artifact_name: String,
    #[serde(rename = "ArtifactType", default, deserialize_with = "nullable")]
    artifact_type: String,
    #[serde(rename = "Metadata", default, deserialize_with = "nullable")]
    metadata: Metadata,
    #[serde(rename = "Results", default, deserialize_with = "nullable")]
    results: Vec<TrivyResult>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(rename = "OS", default, deserialize_with = "nullable")]
    os: Option<Os>,
}

#[derive(Deserialize, Default)]
struct Os {
    #[serde(rename = "Family", default, deserialize_with = "nullable")]
    family: String,
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    name: String,
}

#[derive(Deserialize)]
struct TrivyResult {
    #[serde(rename = "Target", default, deserialize_with = "nullable")]
    target: String,
    #[serde(rename = "Class", default, deserialize_with = "nullable")]
    class: String,
    #[serde(rename = "Type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(rename = "Packages", default, deserialize_with = "nullable")]
    packages: Vec<Package>,
    #[serde(rename = "Vulnerabilities", default, deserialize_with = "nullable")]
    vulnerabilities: Vec<Vulnerability>,
    #[serde(rename = "Misconfigurations", default, deserialize_with = "nullable")]
    misconfigurations: Vec<Misconfiguration>,
    #[serde(rename = "Secrets", default, deserialize_with = "nullable")]
    secrets: Vec<Secret>,
    #[serde(rename = "Licenses", default, deserialize_with = "nullable")]
    licenses: Vec<License>,
    #[serde(rename = "ModifiedFindings", default, deserialize_with = "nullable")]
    modified_findings: Vec<Modified>,
}

#[derive(Deserialize, Default)]
struct Package {
    #[serde(rename = "ID", default, deserialize_with = "nullable")]
    id: String,
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    name: String,
    #[serde(rename = "Version", default, deserialize_with = "nullable")]
    version: String,
    #[serde(rename = "Locations", default, deserialize_with = "nullable")]
    locations: Vec<LineRange>,
}

#[derive(Deserialize, Default)]
struct LineRange {
    #[serde(rename = "StartLine", default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(rename = "EndLine", default, deserialize_with = "nullable")]
    end_line: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID", default, deserialize_with = "nullable")]
    id: String,
    #[serde(rename = "PkgID", default, deserialize_with = "nullable")]
    pkg_id: String,
    #[serde(rename = "PkgName", default, deserialize_with = "nullable")]
    pkg_name: String,
    #[serde(rename = "PkgPath", default, deserialize_with = "nullable")]
    pkg_path: String,
    #[serde(rename = "InstalledVersion", default, deserialize_with = "nullable")]
    installed_version: String,
    #[serde(rename = "FixedVersion", default, deserialize_with = "nullable")]
    fixed_version: String,
    #[serde(rename = "Status", default, deserialize_with = "nullable")]
    status: String,
    #[serde(rename = "SeveritySource", default, deserialize_with = "nullable")]
    severity_source: String,
    #[serde(rename = "PrimaryURL", default, deserialize_with = "nullable")]
    primary_url: String,
    #[serde(rename = "Title", default, deserialize_with = "nullable")]
    title: String,
    #[serde(rename = "Description", default, deserialize_with = "nullable")]
    description: String,
    #[serde(rename = "Severity", default, deserialize_with = "nullable")]
    severity: String,
    #[serde(rename = "CweIDs", default, deserialize_with = "nullable")]
    cwe_ids: Vec<String>,
    #[serde(rename = "CVSS", default, deserialize_with = "nullable")]
    cvss: BTreeMap<String, Cvss>,
    #[serde(rename = "References", default, deserialize_with = "nullable")]
    references: Vec<String>,
    #[serde(rename = "Fingerprint", default, deserialize_with = "nullable")]
    fingerprint: String,
}

#[derive(Deserialize, Default)]
struct Cvss {
    #[serde(rename = "V3Score", default, deserialize_with = "nullable")]
    v3_score: Option<f64>,
    #[serde(rename = "V40Score", default, deserialize_with = "nullable")]
    v40_score: Option<f64>,
}

#[derive(Deserialize, Default)]
struct Misconfiguration {
    #[serde(rename = "Type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(rename = "ID", default, deserialize_with = "nullable")]
    id: String,
    #[serde(rename = "AVDID", default, deserialize_with = "nullable")]
    avd_id: String,
    #[serde(rename = "Title", default, deserialize_with = "nullable")]
    title: String,
    #[serde(rename = "Description", default, deserialize_with = "nullable")]
    description: String,
    #[serde(rename = "Message", default, deserialize_with = "nullable")]
    message: String,
    #[serde(rename = "Resolution", default, deserialize_with = "nullable")]
    resolution: String,
    #[serde(rename = "Severity", default, deserialize_with = "nullable")]
    severity: String,
    #[serde(rename = "PrimaryURL", default, deserialize_with = "nullable")]
    primary_url: String,
    #[serde(rename = "References", default, deserialize_with = "nullable")]
    references: Vec<String>,
    #[serde(rename = "Status", default, deserialize_with = "nullable")]
    status: String,
    #[serde(rename = "CauseMetadata", default, deserialize_with = "nullable")]
    cause: Cause,
}

#[derive(Deserialize, Default)]
struct Cause {
    #[serde(rename = "Resource", default, deserialize_with = "nullable")]
    resource: String,
    #[serde(rename = "Provider", default, deserialize_with = "nullable")]
    provider: String,
    #[serde(rename = "StartLine", default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(rename = "EndLine", default, deserialize_with = "nullable")]
    end_line: Option<i64>,
}

/// Only what is safe to keep: no `Match`, no `Code`.
#[derive(Deserialize, Default)]
struct Secret {
    #[serde(rename = "RuleID", default, deserialize_with = "nullable")]
    rule_id: String,
    #[serde(rename = "Category", default, deserialize_with = "nullable")]
    category: String,
    #[serde(rename = "Severity", default, deserialize_with = "nullable")]
    severity: String,
    #[serde(rename = "Title", default, deserialize_with = "nullable")]
    title: String,
    #[serde(rename = "StartLine", default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(rename = "EndLine", default, deserialize_with = "nullable")]
    end_line: Option<i64>,
}

#[derive(Deserialize, Default)]
struct License {
    #[serde(rename = "Severity", default, deserialize_with = "nullable")]
    severity: String,
    #[serde(rename = "Category", default, deserialize_with = "nullable")]
    category: String,
    #[serde(rename = "PkgName", default, deserialize_with = "nullable")]
    pkg_name: String,
    #[serde(rename = "FilePath", default, deserialize_with = "nullable")]
    file_path: String,
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    name: String,
    #[serde(rename = "Link", default, deserialize_with = "nullable")]
    link: String,
}

#[derive(Deserialize)]
struct Modified {
    #[serde(rename = "Type", default, deserialize_with = "nullable")]
    kind: String,
    #[serde(rename = "Status", default, deserialize_with = "nullable")]
    status: String,
    #[serde(rename = "Statement", default, deserialize_with = "nullable")]
    statement: String,
    #[serde(rename = "Finding", default)]
    finding: Option<ModifiedFinding>,
}

/// The suppressed finding, of the kind `Type` says; every shape's fields in one struct, all
/// optional, so no secret `Match` is read.
#[derive(Deserialize, Default)]
struct ModifiedFinding {
    #[serde(flatten)]
    vulnerability: Vulnerability,
    #[serde(rename = "RuleID", default, deserialize_with = "nullable")]
    rule_id: String,
    #[serde(rename = "Category", default, deserialize_with = "nullable")]
    category: String,
    #[serde(rename = "StartLine", default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(rename = "EndLine", default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(rename = "ID", default, deserialize_with = "nullable")]
    misconf_id: String,
    #[serde(rename = "Message", default, deserialize_with = "nullable")]
    message: String,
    #[serde(rename = "Resolution", default, deserialize_with = "nullable")]
    resolution: String,
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    license_name: String,
    #[serde(rename = "FilePath", default, deserialize_with = "nullable")]
    file_path: String,
}

/// What every finding of one report shares.
struct Scan<'a> {
    ctx: &'a Ctx<'a>,
    image: bool,
    sbom: bool,
    artifact: String,
    bases: Vec<String>,
    dockerfile: Option<Option<Location>>,
    lines: PackageLines,
}

impl Scan<'_> {
    /// Where an image finding points (computed once).
    fn image_location(&mut self) -> Option<Location> {
        let ctx = self.ctx;
        self.dockerfile
            .get_or_insert_with(|| scan::dockerfile_location(ctx))
            .clone()
    }

    /// A report path as a repository path, `None` where it names no repository file.
    fn repo_path(&self, raw: &str, must_exist: bool) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let p = self.ctx.paths.resolve(raw, &self.bases);
        let keep = if must_exist || self.sbom {
            self.ctx.paths.exists(&p)
        } else {
            !p.is_empty()
        };
        keep.then_some(p)
    }
}

/// Parses a Trivy JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let report: Report = json::read_document(input, "Trivy")?;
    match report.schema_version {
        Some(2) => {}
        other => {
            return Err(ParseError::at_pointer(
                "/SchemaVersion",
                format!(
                    "SchemaVersion {}: expected 2 (Trivy 0.20 and later)",
                    other.map_or("absent".to_string(), |v| v.to_string())
                ),
            ));
        }
    }
    let artifact_type = report.artifact_type.trim().to_ascii_lowercase();
    let image = matches!(artifact_type.as_str(), "container_image" | "vm");
    let sbom = matches!(artifact_type.as_str(), "cyclonedx" | "spdx");
    let name = report.artifact_name.trim();
    let bases = if image || name.is_empty() || name == "." {
        Vec::new()
    } else {
        vec![name.to_string()]
    };
    let mut scan = Scan {
        ctx,
        image,
        sbom,
        artifact: name.to_string(),
        bases,
        dockerfile: None,
        lines: PackageLines::default(),
    };
    let os = report
        .metadata
        .os
        .as_ref()
        .map(|o| format!("{} {}", o.family, o.name).trim().to_string())
        .filter(|s| !s.is_empty());
    let mut out = Findings::default();
    for (r, res) in report.results.iter().enumerate() {
        let packages = PackageIndex::new(&res.packages);
        for v in &res.vulnerabilities {
            let f = vulnerability(v, res, &packages, &mut scan, &mut out, os.as_deref());
            out.items.push(f);
        }
        for (m, mc) in res.misconfigurations.iter().enumerate() {
            let suppressed = match mc.status.trim().to_ascii_uppercase().as_str() {
                "PASS" => continue,
                "" | "FAIL" => false,
                "EXCEPTION" => true,
                other => {
                    return Err(ParseError::at_pointer(
                        format!("/Results/{r}/Misconfigurations/{m}/Status"),
                        format!(
                            "Status \"{}\": expected FAIL, PASS or EXCEPTION",
                            super::xml::truncate(other, 40)
                        ),
                    ));
                }
            };
            let mut f = misconfiguration(mc, res, &mut scan);
            f.suppressed = suppressed;
            out.items.push(f);
        }
        for s in &res.secrets {
            out.items.push(secret(s, res, &mut scan));
        }
        for l in &res.licenses {
            out.items.push(license(l, res, &mut scan));
        }
        for (m, md) in res.modified_findings.iter().enumerate() {
            let Some(found) = &md.finding else { continue };
            let mut f = match md.kind.trim().to_ascii_lowercase().as_str() {
                "vulnerability" => vulnerability(
                    &found.vulnerability,
                    res,
                    &packages,
                    &mut scan,
                    &mut out,
                    os.as_deref(),
                ),
                "misconfiguration" => {
                    let v = &found.vulnerability;
                    let mc = Misconfiguration {
                        id: found.misconf_id.clone(),
                        title: v.title.clone(),
                        description: v.description.clone(),
                        message: found.message.clone(),
                        resolution: found.resolution.clone(),
                        severity: v.severity.clone(),
                        primary_url: v.primary_url.clone(),
                        references: v.references.clone(),
                        ..Misconfiguration::default()
                    };
                    misconfiguration(&mc, res, &mut scan)
                }
                "secret" => {
                    let s = Secret {
                        rule_id: found.rule_id.clone(),
                        category: found.category.clone(),
                        severity: found.vulnerability.severity.clone(),
                        title: found.vulnerability.title.clone(),
                        start_line: found.start_line,
                        end_line: found.end_line,
                    };
                    secret(&s, res, &mut scan)
                }
                "license" => {
                    let l = License {
                        severity: found.vulnerability.severity.clone(),
                        category: found.category.clone(),
                        pkg_name: found.vulnerability.pkg_name.clone(),
                        file_path: found.file_path.clone(),
                        name: found.license_name.clone(),
                        link: String::new(),
                    };
                    license(&l, res, &mut scan)
                }
                other => {
                    return Err(ParseError::at_pointer(
                        format!("/Results/{r}/ModifiedFindings/{m}/Type"),
                        format!(
                            "Type \"{}\": expected vulnerability, misconfiguration, secret or license",
                            super::xml::truncate(other, 40)
                        ),
                    ));
                }
            };
            f.suppressed = true;
            let why = [md.status.trim(), md.statement.trim()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(": ");
            if !why.is_empty() {
                f.message = json::clip(format!("{} [suppressed: {why}]", f.message));
            }
            out.items.push(f);
        }
    }
    let lines = std::mem::take(&mut scan.lines);
    lines.fill(&mut out.items, ctx);
    Ok(out)
}

/// Trivy's SARIF levels.
fn level(severity: &str) -> Level {
    match severity.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" | "HIGH" => Level::Error,
        "MEDIUM" => Level::Warning,
        "LOW" | "UNKNOWN" => Level::Note,
        _ => Level::None,
    }
}

/// Packages by id and by `name@version`, for their line in the lockfile.
struct PackageIndex<'a> {
    by_id: HashMap<&'a str, &'a Package>,
    by_name: HashMap<(&'a str, &'a str), &'a Package>,
}

impl<'a> PackageIndex<'a> {
    fn new(packages: &'a [Package]) -> Self {
        let mut by_id = HashMap::new();
        let mut by_name = HashMap::new();
        for p in packages {
            if !p.id.is_empty() {
                by_id.entry(p.id.as_str()).or_insert(p);
            }
            by_name
                .entry((p.name.as_str(), p.version.as_str()))
                .or_insert(p);
        }
        PackageIndex { by_id, by_name }
    }

    fn lines(&self, v: &Vulnerability) -> Option<&'a LineRange> {
        let p = self.by_id.get(v.pkg_id.as_str()).or_else(|| {
            self.by_name
                .get(&(v.pkg_name.as_str(), v.installed_version.as_str()))
        })?;
        p.locations.first()
    }
}

/// `Target` without the ` (alpine 3.10.2)` suffix Trivy adds for OS packages.
fn target_path(res: &TrivyResult) -> &str {
    let t = res.target.trim();
    if res.class == "os-pkgs"
        && t.ends_with(')')
        && let Some(i) = t.rfind(" (")
    {
        return &t[..i];
    }
    t
}

fn vulnerability(
    v: &Vulnerability,
    res: &TrivyResult,
    packages: &PackageIndex,
    scan: &mut Scan,
    out: &mut Findings,
    os: Option<&str>,
) -> Finding {
    let score = v
        .cvss
        .get(v.severity_source.as_str())
        .and_then(|c| c.v3_score.filter(|s| *s > 0.0).or(c.v40_score));
    let severity = score
        .and_then(scan::band)
        .or_else(|| scan::severity_word(&v.severity));
    let manifest_raw = if v.pkg_path.trim().is_empty() {
        target_path(res)
    } else {
        v.pkg_path.trim()
    };
    let location = if scan.image {
        scan.image_location()
    } else {
        scan.repo_path(manifest_raw, false).map(|p| {
            let mut loc = scan::file_location(p.clone());
            match packages.lines(v) {
                Some(l) => {
                    loc.line = positive(l.start_line).unwrap_or(1);
                    loc.end_line = positive(l.end_line);
                }
                None => {
                    scan.lines
                        .want(out.items.len(), &p, &v.pkg_name, Some(&v.installed_version))
                }
            }
            loc
        })
    };
    let manifest = if scan.image {
        (!v.pkg_path.trim().is_empty()).then(|| v.pkg_path.trim().to_string())
    } else if res.class == "os-pkgs" {
        None
    } else {
        location
            .as_ref()
            .map(|l| l.path.clone())
            .or_else(|| (!manifest_raw.is_empty()).then(|| manifest_raw.to_string()))
    };
    let fixed = non_empty(&v.fixed_version);
    let installed = non_empty(&v.installed_version);
    let ecosystem = non_empty(&res.kind).map(str::to_string);
    let mut tags = Vec::new();
    for t in [
        "vulnerability",
        "security",
        v.severity.trim(),
        res.class.trim(),
        res.kind.trim(),
    ] {
        scan::push_tag(&mut tags, t);
    }
    if let Some(os) = os.filter(|_| res.class == "os-pkgs") {
        scan::push_tag(&mut tags, os);
    }
    let title = non_empty(&v.title);
    let mut message = format!("{} in {}", v.id.trim(), v.pkg_name.trim());
    if let Some(i) = installed {
        message.push_str(&format!(" {i}"));
    }
    match fixed {
        Some(f) => message.push_str(&format!(" (fixed in {f})")),
        None if !v.status.trim().is_empty() => {
            message.push_str(&format!(" (no fix: {})", v.status.trim()))
        }
        None => {}
    }
    if let Some(t) = title {
        message.push_str(&format!(": {t}"));
    }
    let mut references = Vec::new();
    for r in v.references.iter().take(20) {
        scan::push_tag(&mut references, r);
    }
    let help = AdvisoryHelp {
        id: v.id.trim(),
        package: v.pkg_name.trim(),
        installed,
        fixed,
        severity: non_empty(&v.severity),
        link: non_empty(&v.primary_url),
        remedy: None,
        description: non_empty(&v.description),
    }
    .markdown();
    Finding {
        tool: "trivy".into(),
        rule: non_empty(&v.id).map(str::to_string),
        level: level(&v.severity),
        severity,
        category: Category::Security,
        message: json::clip(message),
        location,
        suppressed: false,
        help_uri: non_empty(&v.primary_url).map(str::to_string),
        fingerprints: scan::fingerprint("trivy", &v.fingerprint),
        rule_info: Some(Box::new(RuleInfo {
            name: title.map(str::to_string),
            short_description: title.map(str::to_string),
            full_description: non_empty(&v.description).map(|d| json::clip(d.to_string())),
            help: Some(help),
            tags,
            cwe: v.cwe_ids.iter().filter_map(|c| scan::cwe_id(c)).collect(),
            cvss: score.filter(|s| *s > 0.0),
            references,
        })),
        package: Some(Box::new(PackageRef {
            name: v.pkg_name.trim().to_string(),
            version: installed.map(str::to_string),
            fixed_version: fixed.map(str::to_string),
            ecosystem,
            manifest,
            artifact: scan.image.then(|| scan.artifact.clone()),
        })),
    }
}

fn misconfiguration(mc: &Misconfiguration, res: &TrivyResult, scan: &mut Scan) -> Finding {
    let id = non_empty(&mc.id).or(non_empty(&mc.avd_id));
    let location = if scan.image {
        scan.image_location()
    } else {
        scan.repo_path(target_path(res), false).map(|p| Location {
            path: p,
            line: positive(mc.cause.start_line).unwrap_or(1),
            end_line: positive(mc.cause.end_line),
            ..Location::default()
        })
    };
    let mut tags = Vec::new();
    for t in [
        "misconfiguration",
        "security",
        mc.severity.trim(),
        res.kind.trim(),
        mc.cause.provider.trim(),
    ] {
        scan::push_tag(&mut tags, t);
    }
    let mut message = non_empty(&mc.message)
        .or(non_empty(&mc.title))
        .unwrap_or("misconfiguration")
        .to_string();
    if let Some(r) = non_empty(&mc.cause.resource) {
        message.push_str(&format!(" (resource {r})"));
    }
    let mut references = Vec::new();
    for r in mc.references.iter().take(20) {
        scan::push_tag(&mut references, r);
    }
    let mut help = String::new();
    if let Some(t) = non_empty(&mc.title) {
        help.push_str(&format!("**{t}**\n\n"));
    }
    if let Some(d) = non_empty(&mc.description) {
        help.push_str(&format!("{d}\n\n"));
    }
    if let Some(r) = non_empty(&mc.resolution) {
        help.push_str(&format!("Remediation: {r}\n"));
    }
    if let Some(u) = non_empty(&mc.primary_url) {
        help.push_str(&format!("\n[{}]({u})\n", id.unwrap_or("documentation")));
    }
    let mut f = Finding {
        tool: "trivy".into(),
        rule: id.map(str::to_string),
        level: level(&mc.severity),
        severity: scan::severity_word(&mc.severity),
        category: Category::Security,
        message: json::clip(message),
        location,
        suppressed: false,
        help_uri: non_empty(&mc.primary_url).map(str::to_string),
        fingerprints: Vec::new(),
        rule_info: Some(Box::new(RuleInfo {
            name: non_empty(&mc.title).map(str::to_string),
            short_description: non_empty(&mc.title).map(str::to_string),
            full_description: non_empty(&mc.description).map(|d| json::clip(d.to_string())),
            help: (!help.is_empty()).then(|| json::clip(help)),
            tags,
            cwe: Vec::new(),
            cvss: None,
            references,
        })),
        package: None,
    };
    if let Some(info) = f.rule_info.as_mut() {
        scan::push_tag(&mut info.tags, &mc.kind);
    }
    f
}

fn secret(s: &Secret, res: &TrivyResult, scan: &mut Scan) -> Finding {
    let location = if scan.image {
        scan.image_location()
    } else {
        scan.repo_path(res.target.trim(), false).map(|p| Location {
            path: p,
            line: positive(s.start_line).unwrap_or(1),
            end_line: positive(s.end_line),
            ..Location::default()
        })
    };
    let title = non_empty(&s.title)
        .or(non_empty(&s.rule_id))
        .unwrap_or("secret");
    let mut tags = Vec::new();
    for t in ["secret", "security", s.severity.trim(), s.category.trim()] {
        scan::push_tag(&mut tags, t);
    }
    Finding {
        tool: "trivy".into(),
        rule: non_empty(&s.rule_id).map(str::to_string),
        level: level(&s.severity),
        severity: scan::severity_word(&s.severity),
        category: Category::Security,
        message: format!("{title} (redacted)"),
        location,
        suppressed: false,
        help_uri: None,
        fingerprints: Vec::new(),
        rule_info: Some(Box::new(RuleInfo {
            name: Some(title.to_string()),
            short_description: Some(format!("Secret: {title}")),
            full_description: Some(format!(
                "Trivy's secret rule {} ({}) matched.",
                s.rule_id.trim(),
                non_empty(&s.category).unwrap_or("uncategorised")
            )),
            help: Some(scan::SECRET_HELP.to_string()),
            tags,
            ..RuleInfo::default()
        })),
        package: None,
    }
}

fn license(l: &License, res: &TrivyResult, scan: &mut Scan) -> Finding {
    let location = if scan.image {
        scan.image_location()
    } else {
        non_empty(&l.file_path)
            .and_then(|f| scan.repo_path(f, false))
            .or_else(|| scan.repo_path(target_path(res), true))
            .map(scan::file_location)
    };
    let subject = non_empty(&l.pkg_name)
        .or(non_empty(&l.file_path))
        .unwrap_or("");
    let rule = format!("{subject}:{}", l.name.trim());
    let mut tags = Vec::new();
    for t in ["license", "security", l.severity.trim(), l.category.trim()] {
        scan::push_tag(&mut tags, t);
    }
    let category = non_empty(&l.category).unwrap_or("unclassified");
    Finding {
        tool: "trivy".into(),
        rule: Some(rule),
        level: level(&l.severity),
        severity: scan::severity_word(&l.severity),
        category: Category::Security,
        message: format!("{subject}: license {} ({category})", l.name.trim()),
        location,
        suppressed: false,
        help_uri: non_empty(&l.link).map(str::to_string),
        fingerprints: Vec::new(),
        rule_info: Some(Box::new(RuleInfo {
            name: Some(format!("License {}", l.name.trim())),
            short_description: Some(format!("License {} ({category})", l.name.trim())),
            full_description: Some(format!(
                "{subject} is licensed under {}, which Trivy's license policy classifies as {category}.",
                l.name.trim()
            )),
            help: Some(format!(
                "Check that the {} license of `{subject}` is acceptable for how this project is \
                 distributed; otherwise replace the dependency.",
                l.name.trim()
            )),
            tags,
            ..RuleInfo::default()
        })),
        package: non_empty(&l.pkg_name).map(|n| {
            Box::new(PackageRef {
                name: n.to_string(),
                ecosystem: non_empty(&res.kind).map(str::to_string),
                artifact: scan.image.then(|| scan.artifact.clone()),
                ..PackageRef::default()
            })
        }),
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}
