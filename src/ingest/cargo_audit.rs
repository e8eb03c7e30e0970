//! cargo-audit `--json`: `vulnerabilities.list[]` and `warnings` (by kind: `unmaintained`,
//! `unsound`, `yanked`, `notice`).
//!
//! Counting and mapping rules, matching what cargo-audit prints ("error: N vulnerabilities
//! found!", "warning: N allowed warnings found"):
//! - One finding per `vulnerabilities.list[]` entry, level error; one per warning (every
//!   list under `warnings`, or the older flat list), level warning.
//! - Rule id: the advisory id (`RUSTSEC-…`); a yanked crate has no advisory and its rule is
//!   `yanked`. Category `security`.
//! - Severity: the CVSS v3 base score computed from the advisory's `cvss` vector, in bands
//!   (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low). RustSec gives no severity word, so an
//!   advisory without a v3 vector (informational warnings, CVSS v4 vectors) has no severity.
//! - Help: the RustSec page of the advisory; fixed versions are `versions.patched` as written
//!   (`>=0.2.23`); `aliases` (CVE, GHSA) and `categories`/`keywords` are tags.
//! - Location: cargo-audit audits a `Cargo.lock` and does not name it: the finding points at
//!   the `name = "<crate>"` line (with its version) of the repository's `Cargo.lock` (at the
//!   root, else the only one), else line 1; without one, no location.

use super::json;
use super::sarif::nullable;
use super::scan::{self, AdvisoryHelp, PackageLines};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, PackageRef, RuleInfo};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::BufRead;

/// An object with cargo-audit's `database` and `lockfile`, or its `vulnerabilities.list`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && ((head.contains("\"database\"") && head.contains("\"lockfile\""))
            || (head.contains("\"vulnerabilities\"")
                && head.contains("\"advisory\"")
                && head.contains("\"list\"")))
}

#[derive(Deserialize)]
struct Document {
    vulnerabilities: Vulnerabilities,
    #[serde(default)]
    warnings: Warnings,
}

#[derive(Deserialize, Default)]
struct Vulnerabilities {
    #[serde(default, deserialize_with = "nullable")]
    list: Vec<Item>,
}

#[derive(Deserialize, Default)]
struct Item {
    #[serde(default, deserialize_with = "nullable")]
    kind: String,
    #[serde(default, deserialize_with = "nullable")]
    advisory: Option<Advisory>,
    #[serde(default, deserialize_with = "nullable")]
    versions: Option<Versions>,
    #[serde(default, deserialize_with = "nullable")]
    package: Package,
}

#[derive(Deserialize, Default)]
struct Advisory {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    title: String,
    #[serde(default, deserialize_with = "nullable")]
    description: String,
    #[serde(default, deserialize_with = "nullable")]
    url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cvss: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    aliases: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    categories: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    keywords: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    references: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    informational: Option<String>,
}

#[derive(Deserialize, Default)]
struct Versions {
    #[serde(default, deserialize_with = "nullable")]
    patched: Vec<String>,
}

#[derive(Deserialize, Default)]
struct Package {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    version: String,
}

/// `warnings`: an object of lists by kind (cargo-audit ≥ 0.12), or one list.
#[derive(Default)]
struct Warnings(Vec<(String, Item)>);

impl<'de> Deserialize<'de> for Warnings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Warnings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of warning lists by kind, or a list of warnings")
            }
            fn visit_unit<E>(self) -> Result<Warnings, E> {
                Ok(Warnings::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Warnings, A::Error> {
                let mut out = Vec::new();
                while let Some(w) = seq.next_element::<Item>()? {
                    out.push((w.kind.clone(), w));
                }
                Ok(Warnings(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Warnings, A::Error> {
                let mut out = Vec::new();
                while let Some(kind) = map.next_key::<String>()? {
                    let list: Option<Vec<Item>> = map.next_value()?;
                    for w in list.unwrap_or_default() {
                        let k = if w.kind.trim().is_empty() {
                            kind.clone()
                        } else {
                            w.kind.clone()
                        };
                        out.push((k, w));
                    }
                }
                Ok(Warnings(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a cargo-audit JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let doc: Document = json::read_document(input, "cargo-audit")?;
    let lockfile = Some(ctx.paths.resolve("Cargo.lock", &[])).filter(|p| ctx.paths.exists(p));
    let mut lines = PackageLines::default();
    let mut out = Findings::default();
    let vulns = doc
        .vulnerabilities
        .list
        .iter()
        .map(|i| ("vulnerability", i));
    let warns = doc.warnings.0.iter().map(|(k, i)| (k.as_str(), i));
    for (kind, item) in vulns.chain(warns) {
        let kind = match kind.trim() {
            "" => "warning",
            k => k,
        };
        let vulnerability = kind == "vulnerability";
        let pkg = &item.package;
        let adv = item.advisory.as_ref();
        let id = adv.map(|a| a.id.trim()).filter(|s| !s.is_empty());
        let rule = id.unwrap_or(kind).to_string();
        let score = adv
            .and_then(|a| a.cvss.as_deref())
            .and_then(scan::cvss3_score);
        let fixed = item
            .versions
            .as_ref()
            .filter(|v| !v.patched.is_empty())
            .map(|v| v.patched.join(", "));
        let title = adv.map(|a| a.title.trim()).filter(|s| !s.is_empty());
        let link = id.map(|i| format!("https://rustsec.org/advisories/{i}"));
        let message = match (vulnerability, title) {
            (true, t) => format!(
                "{rule}: {} {} is vulnerable{}",
                pkg.name.trim(),
                pkg.version.trim(),
                t.map(|t| format!(": {t}")).unwrap_or_default()
            ),
            (false, Some(t)) => format!(
                "{} {} is {kind} ({rule}): {t}",
                pkg.name.trim(),
                pkg.version.trim()
            ),
            (false, None) => format!("{} {} is {kind}", pkg.name.trim(), pkg.version.trim()),
        };
        let mut tags = Vec::new();
        scan::push_tag(&mut tags, kind);
        for t in ["security", "cargo"] {
            scan::push_tag(&mut tags, t);
        }
        if let Some(a) = adv {
            if let Some(i) = a.informational.as_deref() {
                scan::push_tag(&mut tags, i);
            }
            for t in a.aliases.iter().chain(&a.categories).chain(&a.keywords) {
                scan::push_tag(&mut tags, t);
            }
        }
        let mut references = Vec::new();
        if let Some(a) = adv {
            for r in a.url.iter().chain(a.references.iter()).take(20) {
                scan::push_tag(&mut references, r);
            }
        }
        let help = match adv {
            Some(a) => AdvisoryHelp {
                id: id.unwrap_or(kind),
                package: pkg.name.trim(),
                installed: Some(pkg.version.trim()).filter(|s| !s.is_empty()),
                fixed: fixed.as_deref(),
                severity: a.informational.as_deref(),
                link: link.as_deref(),
                remedy: None,
                description: Some(a.description.as_str()),
            }
            .markdown(),
            None => format!(
                "`{} {}` was yanked from crates.io: its authors withdrew it. Update to a \
                 version that is not yanked (`cargo update -p {}`).",
                pkg.name.trim(),
                pkg.version.trim(),
                pkg.name.trim()
            ),
        };
        let location = lockfile.as_ref().map(|lf| {
            lines.want(out.items.len(), lf, &pkg.name, Some(&pkg.version));
            scan::file_location(lf.clone())
        });
        out.items.push(Finding {
            tool: "cargo-audit".into(),
            rule: Some(rule.clone()),
            level: if vulnerability {
                Level::Error
            } else {
                Level::Warning
            },
            severity: score.and_then(scan::band),
            category: Category::Security,
            message: json::clip(message),
            location,
            suppressed: false,
            help_uri: link.clone(),
            fingerprints: Vec::new(),
            rule_info: Some(Box::new(RuleInfo {
                name: title
                    .map(str::to_string)
                    .or_else(|| Some(format!("{kind} crate"))),
                short_description: Some(
                    title.map_or_else(|| format!("Crate is {kind}"), str::to_string),
                ),
                full_description: adv
                    .map(|a| a.description.trim())
                    .filter(|d| !d.is_empty())
                    .map(|d| json::clip(d.to_string())),
                help: Some(help),
                tags,
                cwe: Vec::new(),
                cvss: score.filter(|s| *s > 0.0),
                references,
            })),
            package: Some(Box::new(PackageRef {
                name: pkg.name.trim().to_string(),
                version: Some(pkg.version.trim().to_string()).filter(|s| !s.is_empty()),
                fixed_version: fixed,
                ecosystem: Some("cargo".into()),
                manifest: lockfile.clone(),
                artifact: None,
            })),
        });
    }
    lines.fill(&mut out.items, ctx);
    Ok(out)
}
