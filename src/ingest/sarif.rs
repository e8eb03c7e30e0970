//! SARIF 2.1.0 from any tool (CodeQL, Semgrep, Trivy, Grype, gitleaks, ESLint's SARIF
//! formatter...).
//!
//! Counting rules:
//! - One finding per `runs[].results[]` entry. Results whose `kind` is `pass`,
//!   `notApplicable` or `informational` are not problems and are dropped (a compliance scanner
//!   may list thousands of passed checks); `review` and `open` are kept. Results whose
//!   `baselineState` is `absent` (present in the baseline, gone now) are dropped too.
//! - Level: the result's `level`; else `none` when `kind` is present and not `fail` (as the
//!   spec says); else the rule's `defaultConfiguration.level`; else `warning`, the spec's
//!   default.
//! - The rule is found by `ruleIndex` / `rule.index` (in `rule.toolComponent`'s rules when
//!   that names an extension, as CodeQL writes), else by id; the rule id is `ruleId`, else
//!   `rule.id`, else the id of the rule found by index.
//! - Message: `message.text` (else `markdown`), else `message.id` looked up in the rule's
//!   `messageStrings`, then the component's `globalMessageStrings`; `{0}`, `{1}`...
//!   placeholders take `message.arguments`, `{{`/`}}` are literal braces.
//! - Location: the first `locations[].physicalLocation`; the artifact comes from
//!   `artifactLocation.uri` or, without one, `run.artifacts[index]`. `uriBaseId` is resolved
//!   through `run.originalUriBaseIds`; an id the log does not define (`%SRCROOT%`,
//!   `ROOTPATH`...) means the repository root. `file:` URIs become paths, `%XX` escapes are
//!   decoded; URIs of other schemes (`https:`) are kept verbatim. An absolute path outside the
//!   repository but under an `invocations[].workingDirectory` is taken relative to that
//!   directory.
//! - Suppressed: `suppressions` is non-empty and not every entry has `status: rejected`.
//! - Security severity: `properties.security-severity` (a number or numeric string) of the
//!   result, else of its rule, in CVSS bands: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low,
//!   0 info. Category `security` when a severity is given, when the result's or rule's
//!   `properties.tags` contain `security`, or when the driver is a security scanner by nature
//!   (see [`SECURITY_TOOLS`]); otherwise `lint`.
//! - Rule metadata is kept in `rule_info` for `sarif convert` to write back: `name`,
//!   `shortDescription`, `fullDescription`, `help` (Markdown, else text), `properties.tags`
//!   (CWE ids from `external/cwe/cwe-NNN` and `CWE-NNN` tags; `security` left out: the category
//!   says it), and `security-severity` as the score.
//! - Notifications (`invocations[].toolExecutionNotifications` and
//!   `toolConfigurationNotifications`) of level `error` or `warning` (the spec's default) are
//!   findings of category `build`: they say the tool could not analyse something. ESLint's
//!   SARIF formatter puts there what its JSON reports with a null `ruleId` (parse errors,
//!   unused `eslint-disable` directives), so both formats count the same problems.
//!   Notifications of level `note` or `none` are dropped.

use super::json::{self, clip};
use super::paths::percent_decode;
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location, RuleInfo, Severity};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// An object with `runs` and a SARIF version or schema.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"runs\"")
        && (head.contains("sarif") || head.contains("\"2.1.0\""))
}

/// Drivers whose every result is a security finding, whatever its tags (lower case; matched
/// as a prefix of the driver name).
pub const SECURITY_TOOLS: &[&str] = &[
    "bandit",
    "brakeman",
    "checkov",
    "dependency-check",
    "gitleaks",
    "gosec",
    "grype",
    "kics",
    "osv-scanner",
    "snyk",
    "tfsec",
    "trivy",
    "trufflehog",
];

/// Absent and `null` both give the default (tools write `"results": null` and the like).
pub(super) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A 1-based position, or `None` for absent, zero or negative values.
pub(super) fn positive(v: Option<i64>) -> Option<u32> {
    v.filter(|n| *n > 0).and_then(|n| u32::try_from(n).ok())
}

/// A CVSS score or a severity word as a band.
pub(super) fn severity_of(v: &Value) -> Option<Severity> {
    let score = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let s = s.trim();
            match s.to_ascii_lowercase().as_str() {
                "critical" => return Some(Severity::Critical),
                "high" => return Some(Severity::High),
                "medium" | "moderate" => return Some(Severity::Medium),
                "low" => return Some(Severity::Low),
                "info" | "informational" | "none" => return Some(Severity::Info),
                _ => s.parse::<f64>().ok()?,
            }
        }
        _ => return None,
    };
    if !score.is_finite() || score < 0.0 {
        return None;
    }
    Some(if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    })
}

#[derive(Deserialize)]
struct Log {
    #[serde(default, deserialize_with = "nullable")]
    version: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    runs: Vec<Run>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    #[serde(default, deserialize_with = "nullable")]
    tool: Tool,
    #[serde(default, deserialize_with = "nullable")]
    results: Vec<SarifResult>,
    #[serde(default, deserialize_with = "nullable")]
    original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    #[serde(default, deserialize_with = "nullable")]
    artifacts: Vec<Artifact>,
    #[serde(default, deserialize_with = "nullable")]
    invocations: Vec<Invocation>,
}

#[derive(Deserialize, Default)]
struct Tool {
    #[serde(default, deserialize_with = "nullable")]
    driver: Component,
    #[serde(default, deserialize_with = "nullable")]
    extensions: Vec<Component>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    rules: Vec<Rule>,
    #[serde(default, deserialize_with = "nullable")]
    global_message_strings: BTreeMap<String, MessageString>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Rule {
    #[serde(default, deserialize_with = "nullable")]
    id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    short_description: Option<MessageString>,
    #[serde(default, deserialize_with = "nullable")]
    full_description: Option<MessageString>,
    #[serde(default, deserialize_with = "nullable")]
    help: Option<MessageString>,
    #[serde(default, deserialize_with = "nullable")]
    help_uri: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    default_configuration: Option<Configuration>,
    #[serde(default, deserialize_with = "nullable")]
    properties: Properties,
    #[serde(default, deserialize_with = "nullable")]
    message_strings: BTreeMap<String, MessageString>,
}

#[derive(Deserialize, Default)]
struct Configuration {
    #[serde(default, deserialize_with = "nullable")]
    level: Option<String>,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default, deserialize_with = "nullable")]
    tags: Vec<Value>,
    #[serde(rename = "security-severity", default)]
    security_severity: Option<Value>,
}

impl Properties {
    fn has_security_tag(&self) -> bool {
        self.tags.iter().any(|t| {
            t.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("security"))
        })
    }
}

#[derive(Deserialize, Default)]
struct MessageString {
    #[serde(default, deserialize_with = "nullable")]
    text: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    markdown: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    #[serde(default, deserialize_with = "nullable")]
    rule_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    rule_index: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    rule: Option<RuleRef>,
    #[serde(default, deserialize_with = "nullable")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    level: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    message: Message,
    #[serde(default, deserialize_with = "nullable")]
    locations: Vec<SarifLocation>,
    #[serde(default, deserialize_with = "nullable")]
    suppressions: Vec<Suppression>,
    #[serde(default, deserialize_with = "nullable")]
    fingerprints: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "nullable")]
    partial_fingerprints: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "nullable")]
    properties: Properties,
    #[serde(default, deserialize_with = "nullable")]
    baseline_state: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RuleRef {
    #[serde(default, deserialize_with = "nullable")]
    id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    index: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    tool_component: Option<ComponentRef>,
}

#[derive(Deserialize, Default)]
struct ComponentRef {
    #[serde(default, deserialize_with = "nullable")]
    index: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct Message {
    #[serde(default, deserialize_with = "nullable")]
    text: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    markdown: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    arguments: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(default, deserialize_with = "nullable")]
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    #[serde(default, deserialize_with = "nullable")]
    artifact_location: Option<ArtifactLocation>,
    #[serde(default, deserialize_with = "nullable")]
    region: Option<Region>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(default, deserialize_with = "nullable")]
    uri: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    uri_base_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(default, deserialize_with = "nullable")]
    start_line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    start_column: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_line: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    end_column: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Artifact {
    #[serde(default, deserialize_with = "nullable")]
    location: Option<ArtifactLocation>,
}

#[derive(Deserialize, Default)]
struct Suppression {
    #[serde(default, deserialize_with = "nullable")]
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    #[serde(default, deserialize_with = "nullable")]
    working_directory: Option<ArtifactLocation>,
    #[serde(default, deserialize_with = "nullable")]
    tool_execution_notifications: Vec<Notification>,
    #[serde(default, deserialize_with = "nullable")]
    tool_configuration_notifications: Vec<Notification>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Notification {
    #[serde(default, deserialize_with = "nullable")]
    level: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    message: Message,
    #[serde(default, deserialize_with = "nullable")]
    locations: Vec<SarifLocation>,
    #[serde(default, deserialize_with = "nullable")]
    descriptor: Option<RuleRef>,
    #[serde(default, deserialize_with = "nullable")]
    associated_rule: Option<RuleRef>,
}

/// Parses a SARIF log.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let log: Log = json::read_document(input, "SARIF")?;
    if let Some(v) = &log.version
        && !v.trim().starts_with('2')
    {
        return Err(ParseError::at_pointer(
            "/version",
            format!(
                "SARIF version \"{}\"; expected 2.1.0",
                super::xml::truncate(v, 40)
            ),
        ));
    }
    let mut out = Findings::default();
    for (r, run) in log.runs.into_iter().enumerate() {
        read_run(run, r, ctx, &mut out)?;
    }
    Ok(out)
}

/// What results of one run look things up in.
struct RunCtx<'a> {
    tool: String,
    security_tool: bool,
    components: Vec<&'a Component>,
    by_id: Vec<HashMap<&'a str, usize>>,
    bases: &'a BTreeMap<String, ArtifactLocation>,
    artifacts: &'a [Artifact],
    /// The invocations' working directories as local paths ending in `/`.
    work_dirs: Vec<String>,
}

fn read_run(mut run: Run, r: usize, ctx: &Ctx, out: &mut Findings) -> Result<(), ParseError> {
    // Results are consumed one by one, so each is freed as its finding is made.
    let results = std::mem::take(&mut run.results);
    let name = run.tool.driver.name.trim();
    let tool = if name.is_empty() { "sarif" } else { name }.to_string();
    let lower = tool.to_ascii_lowercase();
    let security_tool = SECURITY_TOOLS.iter().any(|t| lower.starts_with(t));
    let components: Vec<&Component> = std::iter::once(&run.tool.driver)
        .chain(run.tool.extensions.iter())
        .collect();
    let by_id = components
        .iter()
        .map(|c| {
            let mut m = HashMap::new();
            for (i, rule) in c.rules.iter().enumerate() {
                if let Some(id) = rule.id.as_deref() {
                    m.entry(id).or_insert(i);
                }
            }
            m
        })
        .collect();
    let rc = RunCtx {
        tool,
        security_tool,
        components,
        by_id,
        bases: &run.original_uri_base_ids,
        artifacts: &run.artifacts,
        work_dirs: run
            .invocations
            .iter()
            .filter_map(|inv| {
                let wd = inv.working_directory.as_ref()?;
                let full = with_base(
                    wd.uri.as_deref()?,
                    wd.uri_base_id.as_deref(),
                    &run.original_uri_base_ids,
                    0,
                );
                match uri_to_path(&full)? {
                    UriPath::Local(p) if super::paths::is_absolute(&p) => {
                        let p = p.replace('\\', "/");
                        Some(if p.ends_with('/') { p } else { format!("{p}/") })
                    }
                    _ => None,
                }
            })
            .collect(),
    };
    out.items.reserve(results.len());
    for (i, res) in results.into_iter().enumerate() {
        if let Some(f) = read_result(res, &rc, ctx, r, i)? {
            out.items.push(f);
        }
    }
    for (v, inv) in run.invocations.iter().enumerate() {
        let lists = [
            (
                "toolExecutionNotifications",
                &inv.tool_execution_notifications,
            ),
            (
                "toolConfigurationNotifications",
                &inv.tool_configuration_notifications,
            ),
        ];
        for (key, list) in lists {
            for (n, note) in list.iter().enumerate() {
                let at = || format!("/runs/{r}/invocations/{v}/{key}/{n}/level");
                let level = match note.level.as_deref() {
                    None => Level::Warning,
                    Some(l) => parse_level(l).ok_or_else(|| bad_level(at(), l))?,
                };
                if level < Level::Warning {
                    continue;
                }
                let rule = note
                    .descriptor
                    .as_ref()
                    .or(note.associated_rule.as_ref())
                    .and_then(|d| d.id.clone());
                out.items.push(Finding {
                    tool: rc.tool.clone(),
                    rule,
                    level,
                    severity: None,
                    category: Category::Build,
                    message: clip(message_text(&note.message, None, &rc)),
                    location: first_location(&note.locations, &rc, ctx),
                    suppressed: false,
                    help_uri: None,
                    fingerprints: Vec::new(),
                    rule_info: None,
                    package: None,
                });
            }
        }
    }
    Ok(())
}

fn read_result(
    res: SarifResult,
    rc: &RunCtx,
    ctx: &Ctx,
    r: usize,
    i: usize,
) -> Result<Option<Finding>, ParseError> {
    let kind = res.kind.as_deref().map(str::trim);
    if let Some(k) = kind
        && ["pass", "notApplicable", "informational"]
            .iter()
            .any(|s| k.eq_ignore_ascii_case(s))
    {
        return Ok(None);
    }
    if res
        .baseline_state
        .as_deref()
        .is_some_and(|b| b.trim().eq_ignore_ascii_case("absent"))
    {
        return Ok(None);
    }
    let rule = find_rule(&res, rc);
    let level = match res.level.as_deref() {
        Some(l) => {
            parse_level(l).ok_or_else(|| bad_level(format!("/runs/{r}/results/{i}/level"), l))?
        }
        None if kind.is_some_and(|k| !k.eq_ignore_ascii_case("fail")) => Level::None,
        None => match rule.and_then(|h| h.rule.default_configuration.as_ref()?.level.as_deref()) {
            Some(l) => parse_level(l).ok_or_else(|| {
                let h = rule.as_ref().map_or((0, 0), |h| (h.comp, h.index));
                let comp = match h.0 {
                    0 => "driver".to_string(),
                    n => format!("extensions/{}", n - 1),
                };
                bad_level(
                    format!(
                        "/runs/{r}/tool/{comp}/rules/{}/defaultConfiguration/level",
                        h.1
                    ),
                    l,
                )
            })?,
            None => Level::Warning,
        },
    };
    let rule_id = res
        .rule_id
        .clone()
        .or_else(|| res.rule.as_ref().and_then(|x| x.id.clone()))
        .or_else(|| rule.and_then(|h| h.rule.id.clone()));
    let severity = res
        .properties
        .security_severity
        .as_ref()
        .and_then(severity_of)
        .or_else(|| {
            rule.and_then(|h| h.rule.properties.security_severity.as_ref())
                .and_then(severity_of)
        });
    let security = severity.is_some()
        || rc.security_tool
        || res.properties.has_security_tag()
        || rule.is_some_and(|h| h.rule.properties.has_security_tag());
    let suppressed = !res.suppressions.is_empty()
        && !res.suppressions.iter().all(|s| {
            s.status
                .as_deref()
                .is_some_and(|st| st.trim().eq_ignore_ascii_case("rejected"))
        });
    let fingerprints = res
        .fingerprints
        .into_iter()
        .chain(res.partial_fingerprints)
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect();
    Ok(Some(Finding {
        tool: rc.tool.clone(),
        rule: rule_id,
        level,
        severity,
        category: if security {
            Category::Security
        } else {
            Category::Lint
        },
        message: clip(message_text(&res.message, rule, rc)),
        location: first_location(&res.locations, rc, ctx),
        suppressed,
        help_uri: rule.and_then(|h| h.rule.help_uri.clone()),
        fingerprints,
        rule_info: rule.and_then(|h| rule_info(h.rule)),
        package: None,
    }))
}

/// What the rule descriptor says, for SARIF written back out (`sarif convert`).
fn rule_info(rule: &Rule) -> Option<Box<RuleInfo>> {
    let text = |m: &Option<MessageString>| {
        m.as_ref()
            .and_then(|m| m.text.clone().or_else(|| m.markdown.clone()))
            .filter(|t| !t.trim().is_empty())
    };
    let mut info = RuleInfo {
        name: rule.name.clone().filter(|n| !n.trim().is_empty()),
        short_description: text(&rule.short_description),
        full_description: text(&rule.full_description),
        // The Markdown keeps the links a text rendering drops.
        help: rule
            .help
            .as_ref()
            .and_then(|m| m.markdown.clone().or_else(|| m.text.clone()))
            .filter(|t| !t.trim().is_empty()),
        cvss: rule
            .properties
            .security_severity
            .as_ref()
            .and_then(|v| match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .filter(|x| x.is_finite() && *x > 0.0 && *x <= 10.0),
        ..Default::default()
    };
    for t in rule.properties.tags.iter().filter_map(Value::as_str) {
        let l = t.to_ascii_lowercase();
        if let Some(n) = l
            .strip_prefix("external/cwe/cwe-")
            .or_else(|| l.strip_prefix("cwe-"))
            .and_then(|d| d.parse::<u32>().ok())
        {
            let id = format!("CWE-{n}");
            if !info.cwe.contains(&id) {
                info.cwe.push(id);
            }
        } else if !l.eq_ignore_ascii_case("security") && !info.tags.iter().any(|x| x == t) {
            info.tags.push(t.to_string());
        }
    }
    (info != RuleInfo::default()).then(|| Box::new(info))
}

/// A rule found for a result: its component (0 = driver, n = extension n-1) and index.
#[derive(Clone, Copy)]
struct RuleHit<'a> {
    comp: usize,
    index: usize,
    rule: &'a Rule,
}

/// The rule a result refers to.
fn find_rule<'a>(res: &SarifResult, rc: &RunCtx<'a>) -> Option<RuleHit<'a>> {
    let rref = res.rule.as_ref();
    let comp = match rref.and_then(|x| x.tool_component.as_ref()) {
        Some(tc) => match (tc.index, tc.name.as_deref()) {
            (Some(ix), _) => usize::try_from(ix).ok().map(|i| i + 1),
            (None, Some(name)) => rc.components.iter().position(|c| c.name == name),
            (None, None) => Some(0),
        },
        None => Some(0),
    };
    let comp = comp.filter(|c| *c < rc.components.len())?;
    let hit = |comp: usize, index: usize| {
        rc.components[comp]
            .rules
            .get(index)
            .map(|rule| RuleHit { comp, index, rule })
    };
    let index = res.rule_index.or_else(|| rref.and_then(|x| x.index));
    if let Some(h) = index
        .and_then(|ix| usize::try_from(ix).ok())
        .and_then(|ix| hit(comp, ix))
    {
        return Some(h);
    }
    let id = res
        .rule_id
        .as_deref()
        .or_else(|| rref.and_then(|x| x.id.as_deref()))?;
    if let Some(ix) = rc.by_id[comp].get(id) {
        return hit(comp, *ix);
    }
    // Some writers omit the component reference for rules that live in an extension.
    rc.by_id
        .iter()
        .enumerate()
        .find_map(|(c, m)| m.get(id).and_then(|ix| hit(c, *ix)))
}

fn parse_level(l: &str) -> Option<Level> {
    match l.trim().to_ascii_lowercase().as_str() {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "note" => Some(Level::Note),
        "none" => Some(Level::None),
        _ => None,
    }
}

fn bad_level(pointer: String, l: &str) -> ParseError {
    ParseError::at_pointer(
        pointer,
        format!(
            "level \"{}\": expected error, warning, note or none",
            super::xml::truncate(l, 40)
        ),
    )
}

fn message_text(m: &Message, rule: Option<RuleHit>, rc: &RunCtx) -> String {
    let template = m.text.as_deref().or(m.markdown.as_deref()).or_else(|| {
        let id = m.id.as_deref()?;
        let from_rule = rule.and_then(|h| h.rule.message_strings.get(id));
        let global = || {
            let comp = rule.map_or(0, |h| h.comp);
            rc.components[comp]
                .global_message_strings
                .get(id)
                .or_else(|| rc.components[0].global_message_strings.get(id))
        };
        let s = from_rule.or_else(global)?;
        s.text.as_deref().or(s.markdown.as_deref())
    });
    match template {
        Some(t) if m.arguments.is_empty() => t.to_string(),
        Some(t) => substitute(t, &m.arguments),
        None => match &m.id {
            // An id the log does not define: keep it and the arguments rather than nothing.
            Some(id) => {
                let args: Vec<String> = m.arguments.iter().map(arg_text).collect();
                if args.is_empty() {
                    id.clone()
                } else {
                    format!("{id}: {}", args.join(", "))
                }
            }
            None => String::new(),
        },
    }
}

fn arg_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Replaces `{n}` with argument n; `{{` and `}}` stand for literal braces.
fn substitute(template: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(p) = rest.find(['{', '}']) {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{')
            && let Some(close) = tail.find('}')
            && let Ok(n) = tail[1..close].parse::<usize>()
            && let Some(a) = args.get(n)
        {
            out.push_str(&arg_text(a));
            rest = &tail[close + 1..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

fn first_location(locs: &[SarifLocation], rc: &RunCtx, ctx: &Ctx) -> Option<Location> {
    let phys = locs.iter().find_map(|l| l.physical_location.as_ref())?;
    let art = phys.artifact_location.as_ref();
    let path = art.and_then(|a| artifact_path(a, rc, ctx));
    let region = phys.region.as_ref();
    let line = positive(region.and_then(|r| r.start_line));
    if path.is_none() && line.is_none() {
        return None;
    }
    Some(Location {
        path: path.unwrap_or_default(),
        line: line.unwrap_or(0),
        column: positive(region.and_then(|r| r.start_column)),
        end_line: positive(region.and_then(|r| r.end_line)),
        end_column: positive(region.and_then(|r| r.end_column)),
    })
}

fn artifact_path(a: &ArtifactLocation, rc: &RunCtx, ctx: &Ctx) -> Option<String> {
    let from_index = || {
        let ix = usize::try_from(a.index?).ok()?;
        rc.artifacts.get(ix)?.location.as_ref()
    };
    let (uri, base) = match a.uri.as_deref() {
        Some(u) => (u, a.uri_base_id.as_deref()),
        None => {
            let l = from_index()?;
            (l.uri.as_deref()?, l.uri_base_id.as_deref())
        }
    };
    let full = with_base(uri, base, rc.bases, 0);
    let path = uri_to_path(&full)?;
    if path.is_empty() {
        return None;
    }
    Some(match path {
        UriPath::Local(p) => {
            let p = p.replace('\\', "/");
            // An absolute path outside the repository but under the directory the tool ran
            // in is relative to that directory (how GitHub finds the checkout path).
            let root = ctx.paths.root();
            let under_root = p.len() > root.len()
                && p.starts_with(root)
                && p.as_bytes().get(root.len()) == Some(&b'/');
            let in_work_dir = (!under_root)
                .then(|| rc.work_dirs.iter().find_map(|wd| strip_dir(&p, wd)))
                .flatten();
            ctx.paths.resolve(in_work_dir.unwrap_or(&p), &[])
        }
        UriPath::Remote(u) => u,
    })
}

/// `path` below `dir` (which ends in `/`), compared without case for Windows drive paths.
fn strip_dir<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    if path.len() <= dir.len() || !path.is_char_boundary(dir.len()) {
        return None;
    }
    let (head, rest) = path.split_at(dir.len());
    let drive = dir.as_bytes().get(1) == Some(&b':');
    let same = if drive {
        head.eq_ignore_ascii_case(dir)
    } else {
        head == dir
    };
    same.then_some(rest)
}

/// `uri` made absolute through the run's `originalUriBaseIds` (at most 8 levels deep, so a
/// cycle cannot loop).
fn with_base(
    uri: &str,
    base: Option<&str>,
    bases: &BTreeMap<String, ArtifactLocation>,
    depth: usize,
) -> String {
    let uri = uri.trim();
    if has_scheme(uri) || uri.starts_with('/') || depth > 8 {
        return uri.to_string();
    }
    let Some(b) = base.and_then(|id| bases.get(id)) else {
        return uri.to_string();
    };
    let Some(buri) = b.uri.as_deref() else {
        return uri.to_string();
    };
    let prefix = with_base(buri, b.uri_base_id.as_deref(), bases, depth + 1);
    if prefix.is_empty() {
        uri.to_string()
    } else if prefix.ends_with('/') {
        format!("{prefix}{uri}")
    } else {
        format!("{prefix}/{uri}")
    }
}

/// A URI scheme of two or more characters (`C:` is a Windows drive, not a scheme).
fn has_scheme(uri: &str) -> bool {
    let Some(colon) = uri.find(':') else {
        return false;
    };
    let scheme = &uri[..colon];
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

enum UriPath {
    Local(String),
    Remote(String),
}

impl UriPath {
    fn is_empty(&self) -> bool {
        match self {
            UriPath::Local(s) | UriPath::Remote(s) => s.is_empty(),
        }
    }
}

fn uri_to_path(uri: &str) -> Option<UriPath> {
    if has_scheme(uri) {
        let colon = uri.find(':')?;
        if !uri[..colon].eq_ignore_ascii_case("file") {
            return Some(UriPath::Remote(uri.to_string()));
        }
        let rest = &uri[colon + 1..];
        let path = if let Some(r) = rest.strip_prefix("//") {
            if r.starts_with('/') {
                r.to_string()
            } else if r.to_ascii_lowercase().starts_with("localhost/") {
                r["localhost".len()..].to_string()
            } else {
                // file://server/share/x: a UNC path.
                format!("//{r}")
            }
        } else {
            rest.to_string()
        };
        let mut p = percent_decode(&path);
        // file:///C:/x names the Windows path C:/x.
        let b = p.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            p.remove(0);
        }
        return Some(UriPath::Local(p));
    }
    Some(UriPath::Local(percent_decode(uri)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        let args = vec![Value::from("a"), Value::from(2)];
        assert_eq!(substitute("'{0}' of '{1}'", &args), "'a' of '2'");
        assert_eq!(substitute("{{0}} {0} {5} {x}", &args), "{0} a {5} {x}");
        assert_eq!(substitute("trailing {", &args), "trailing {");
    }

    #[test]
    fn uris() {
        let p = |u: &str| match uri_to_path(u) {
            Some(UriPath::Local(p)) => format!("local:{p}"),
            Some(UriPath::Remote(p)) => format!("remote:{p}"),
            None => "none".into(),
        };
        assert_eq!(p("file:///C:/code/a%20b.cs"), "local:C:/code/a b.cs");
        assert_eq!(p("file:///tmp/x.js"), "local:/tmp/x.js");
        assert_eq!(p("file://server/share/x"), "local://server/share/x");
        assert_eq!(p("file:/tmp/x"), "local:/tmp/x");
        assert_eq!(p("src/a%2Bb.py"), "local:src/a+b.py");
        assert_eq!(p("C:/x/y.cs"), "local:C:/x/y.cs");
        assert_eq!(p("https://example.com/a"), "remote:https://example.com/a");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e6%97%a5"), "日");
    }

    #[test]
    fn bases_chain() {
        let mut bases = BTreeMap::new();
        bases.insert(
            "ROOT".to_string(),
            ArtifactLocation {
                uri: Some("file:///work/".into()),
                ..Default::default()
            },
        );
        bases.insert(
            "SRC".to_string(),
            ArtifactLocation {
                uri: Some("src/".into()),
                uri_base_id: Some("ROOT".into()),
                index: None,
            },
        );
        assert_eq!(
            with_base("a.rs", Some("SRC"), &bases, 0),
            "file:///work/src/a.rs"
        );
        assert_eq!(with_base("a.rs", Some("%SRCROOT%"), &bases, 0), "a.rs");
    }

    #[test]
    fn bands() {
        assert_eq!(severity_of(&Value::from("9.0")), Some(Severity::Critical));
        assert_eq!(severity_of(&Value::from(8.9)), Some(Severity::High));
        assert_eq!(severity_of(&Value::from("5.3")), Some(Severity::Medium));
        assert_eq!(severity_of(&Value::from(0.1)), Some(Severity::Low));
        assert_eq!(severity_of(&Value::from(0)), Some(Severity::Info));
        assert_eq!(severity_of(&Value::from("HIGH")), Some(Severity::High));
        assert_eq!(severity_of(&Value::from("n/a")), None);
    }
}
