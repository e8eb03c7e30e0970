//! Environments as code: the file (YAML or JSON, with a JSON Schema), its validation before any
//! call, and the plan that turns the repository's environments into the file's.
//!
//! The file is the whole truth for the environments it names: a setting left out means
//! GitHub's default (no wait timer, no reviewers, any branch). Environments the repository has
//! and the file does not name are left alone.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// GitHub's limits (REST "Create or update an environment").
pub const MAX_REVIEWERS: usize = 6;
/// The longest wait timer, in minutes (30 days).
pub const MAX_WAIT_TIMER: u32 = 43_200;

/// An environments file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "shipgate environments")]
pub struct EnvironmentsFile {
    /// The schema this file follows (editors use it; shipgate ignores it).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The environments, by name.
    pub environments: BTreeMap<String, EnvironmentConfig>,
}

/// One environment's protection rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentConfig {
    /// Minutes a job waits before it may deploy (0 to 43,200).
    #[serde(default)]
    #[schemars(range(min = 0, max = 43200))]
    pub wait_timer: u32,
    /// People and teams one of whom must approve a job that deploys here (at most 6).
    #[serde(default)]
    #[schemars(length(max = 6))]
    pub reviewers: Vec<Reviewer>,
    /// Whether the person who started the run may not approve it.
    #[serde(default)]
    pub prevent_self_review: bool,
    /// Which refs may deploy: absent means any branch or tag.
    #[serde(default)]
    pub deployment_branch_policy: Option<BranchPolicy>,
    /// Branch name patterns that may deploy (with `custom_branch_policies: true`).
    #[serde(default)]
    pub branch_policies: Vec<String>,
    /// Tag name patterns that may deploy (with `custom_branch_policies: true`), like `v*`.
    #[serde(default)]
    pub tag_policies: Vec<String>,
}

/// A required reviewer: `{user: login}` or `{team: slug}` (a team of the repository's owner).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1, "maxProperties" = 2))]
pub struct Reviewer {
    /// A user's login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A team's slug in the organisation owning the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The user's or team's numeric id, when known: saves a lookup by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
}

impl Reviewer {
    /// A user.
    pub fn user(login: &str) -> Reviewer {
        Reviewer {
            user: Some(login.into()),
            team: None,
            id: None,
        }
    }

    /// A team.
    pub fn team(slug: &str) -> Reviewer {
        Reviewer {
            user: None,
            team: Some(slug.into()),
            id: None,
        }
    }

    /// `User` or `Team`, as GitHub names the kind.
    pub fn kind(&self) -> &'static str {
        if self.user.is_some() { "User" } else { "Team" }
    }

    /// The login or slug.
    pub fn name(&self) -> &str {
        self.user.as_deref().or(self.team.as_deref()).unwrap_or("")
    }

    /// Kind and lower-case name: how reviewers are compared.
    pub fn key(&self) -> (&'static str, String) {
        (self.kind(), self.name().to_ascii_lowercase())
    }
}

impl std::fmt::Display for Reviewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind().to_ascii_lowercase(), self.name())
    }
}

/// GitHub's deployment branch policy flags; exactly one must be true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchPolicy {
    /// Only branches with branch protection rules may deploy.
    pub protected_branches: bool,
    /// Only branches and tags matching `branch_policies` and `tag_policies` may deploy.
    pub custom_branch_policies: bool,
}

/// A file that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}{at}: {message}", at = position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct FileError {
    /// The file.
    pub file: String,
    /// Line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl EnvironmentsFile {
    /// Reads and validates a file; `.json` is JSON, anything else YAML (a superset of JSON).
    pub fn load(path: &Path) -> Result<EnvironmentsFile, FileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| FileError {
            file: file.clone(),
            position: None,
            message: format!("cannot read: {e}"),
        })?;
        let json = path.extension().is_some_and(|e| e == "json");
        EnvironmentsFile::parse(&text, &file, json)
    }

    /// Parses and validates text.
    pub fn parse(text: &str, file: &str, json: bool) -> Result<EnvironmentsFile, FileError> {
        let err = |position, message: String| FileError {
            file: file.to_string(),
            position,
            message,
        };
        let parsed: EnvironmentsFile = if json {
            serde_json::from_str(text).map_err(|e| {
                let path = crate::gate::jsonpos::path_at(text, e.line(), e.column());
                let msg = strip_position(&e.to_string());
                let msg = if path.is_empty() {
                    msg
                } else {
                    format!("{path}: {msg}")
                };
                err(Some((e.line(), e.column())), msg)
            })?
        } else {
            serde_yaml_ng::from_str(text).map_err(|e| {
                let pos = e.location().map(|l| (l.line(), l.column()));
                err(pos, strip_position(&e.to_string()))
            })?
        };
        if let Err((key, message)) = parsed.validate() {
            let position = if json {
                crate::gate::jsonpos::position_of(text, &key)
            } else {
                yaml_position(text, &key)
            };
            return Err(err(position, format!("{key}: {message}")));
        }
        Ok(parsed)
    }

    /// The rules GitHub enforces, checked before any call: the key path and the problem.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.environments.is_empty() {
            return Err(("environments".into(), "names no environment".into()));
        }
        for (name, env) in &self.environments {
            let key = |k: &str| format!("environments.{name}.{k}");
            if name.trim().is_empty() || name.chars().count() > 255 || name.contains(['/', ',']) {
                return Err((
                    format!("environments.{name}"),
                    "an environment name must be 1 to 255 characters without `/` or `,`".into(),
                ));
            }
            if env.wait_timer > MAX_WAIT_TIMER {
                return Err((
                    key("wait_timer"),
                    format!(
                        "{} minutes; expected 0 to {MAX_WAIT_TIMER} (30 days)",
                        env.wait_timer
                    ),
                ));
            }
            if env.reviewers.len() > MAX_REVIEWERS {
                return Err((
                    key("reviewers"),
                    format!(
                        "{} reviewers; GitHub allows at most {MAX_REVIEWERS} users or teams",
                        env.reviewers.len()
                    ),
                ));
            }
            if env.prevent_self_review && env.reviewers.is_empty() {
                return Err((
                    key("prevent_self_review"),
                    "prevents self-review among required reviewers: list reviewers too".into(),
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            for r in &env.reviewers {
                if r.user.is_some() == r.team.is_some() {
                    return Err((
                        key("reviewers"),
                        "each reviewer is either {user: LOGIN} or {team: SLUG}".into(),
                    ));
                }
                if r.name().trim().is_empty() {
                    return Err((key("reviewers"), "a reviewer with an empty name".into()));
                }
                if !seen.insert(r.key()) {
                    return Err((key("reviewers"), format!("{r} is listed twice")));
                }
            }
            let custom = match env.deployment_branch_policy {
                Some(p) if p.protected_branches && p.custom_branch_policies => {
                    return Err((
                        key("deployment_branch_policy"),
                        "protected_branches and custom_branch_policies are mutually exclusive: set exactly one to true".into(),
                    ));
                }
                Some(p) if !p.protected_branches && !p.custom_branch_policies => {
                    return Err((
                        key("deployment_branch_policy"),
                        "set exactly one of protected_branches and custom_branch_policies to true, or leave the policy out to allow every branch".into(),
                    ));
                }
                Some(p) => p.custom_branch_policies,
                None => false,
            };
            for (k, list) in [
                ("branch_policies", &env.branch_policies),
                ("tag_policies", &env.tag_policies),
            ] {
                if !list.is_empty() && !custom {
                    return Err((
                        key(k),
                        "patterns need deployment_branch_policy: {protected_branches: false, custom_branch_policies: true}".into(),
                    ));
                }
                let mut seen = std::collections::BTreeSet::new();
                for p in list {
                    if p.trim().is_empty() {
                        return Err((key(k), "an empty pattern".into()));
                    }
                    if !seen.insert(p) {
                        return Err((key(k), format!("`{p}` is listed twice")));
                    }
                }
            }
        }
        Ok(())
    }

    /// A problem found after reading `path` (a reviewer GitHub does not know), as a
    /// [`FileError`] at the key path `key` (`environments.production.reviewers`).
    pub fn error_at(path: &Path, key: &str, message: &str) -> FileError {
        let json = path.extension().is_some_and(|e| e == "json");
        let position = std::fs::read_to_string(path).ok().and_then(|text| {
            if json {
                crate::gate::jsonpos::position_of(&text, key)
            } else {
                yaml_position(&text, key)
            }
        });
        FileError {
            file: path.display().to_string(),
            position,
            message: format!("{key}: {message}"),
        }
    }

    /// The file's JSON Schema.
    pub fn schema() -> serde_json::Value {
        let schema = schemars::generate::SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<EnvironmentsFile>();
        serde_json::to_value(schema).unwrap_or_default()
    }
}

/// serde's message without its own " at line X column Y" (the position is printed before).
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Line and column of a dotted key path in a YAML text: each key is looked for, in order, on a
/// line deeper than its parent's. Good enough for the block-style files people write.
fn yaml_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut parent_indent: Option<usize> = None;
    let mut found = None;
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for key in path.split('.') {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim_start().trim_start_matches("- ");
            if let Some(p) = parent_indent
                && indent <= p
                && !line.trim().is_empty()
                && i > from
            {
                break;
            }
            let k = t.trim_matches(|c| c == '"' || c == '\'');
            if t.starts_with(&format!("{key}:"))
                || t.starts_with(&format!("\"{key}\":"))
                || k.starts_with(&format!("{key}\":"))
            {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        parent_indent = Some(indent);
        from = i + 1;
        found = Some((i + 1, indent + 1));
    }
    found
}

/// A deployment branch policy as GitHub keeps it: a name pattern for branches or tags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RefPolicy {
    /// GitHub's id (0 for one not created yet).
    pub id: u64,
    /// The pattern.
    pub name: String,
    /// `branch` or `tag`.
    pub kind: String,
}

/// An environment as the repository has it now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Current {
    /// The name.
    pub name: String,
    /// Wait timer, minutes.
    pub wait_timer: u32,
    /// Reviewers, by kind and login or slug.
    pub reviewers: Vec<Reviewer>,
    /// Prevent self-review.
    pub prevent_self_review: bool,
    /// The flags, `None` for any branch.
    pub deployment_branch_policy: Option<BranchPolicy>,
    /// The custom policies.
    pub policies: Vec<RefPolicy>,
    /// The reviewers' ids, by kind and lower-case name.
    #[serde(skip)]
    pub reviewer_ids: Vec<((&'static str, String), u64)>,
}

impl Current {
    /// Reads GitHub's environment object (`GET /repos/{o}/{r}/environments/{name}`).
    pub fn from_api(v: &serde_json::Value) -> Current {
        let mut c = Current {
            name: v["name"].as_str().unwrap_or_default().to_string(),
            ..Default::default()
        };
        if let Some(p) = v.get("deployment_branch_policy").filter(|p| p.is_object()) {
            c.deployment_branch_policy = Some(BranchPolicy {
                protected_branches: p["protected_branches"].as_bool().unwrap_or(false),
                custom_branch_policies: p["custom_branch_policies"].as_bool().unwrap_or(false),
            });
        }
        for rule in v["protection_rules"].as_array().into_iter().flatten() {
            match rule["type"].as_str() {
                Some("wait_timer") => {
                    c.wait_timer = rule["wait_timer"].as_u64().unwrap_or(0) as u32
                }
                Some("required_reviewers") => {
                    c.prevent_self_review = rule["prevent_self_review"].as_bool().unwrap_or(false);
                    for r in rule["reviewers"].as_array().into_iter().flatten() {
                        let who = &r["reviewer"];
                        if let Some(id) = who["id"].as_u64() {
                            let key = match r["type"].as_str() {
                                Some("Team") => ("Team", who["slug"].as_str()),
                                _ => ("User", who["login"].as_str()),
                            };
                            if let (k, Some(n)) = key {
                                c.reviewer_ids.push(((k, n.to_ascii_lowercase()), id));
                            }
                        }
                        match r["type"].as_str() {
                            Some("User") => c
                                .reviewers
                                .push(Reviewer::user(who["login"].as_str().unwrap_or_default())),
                            Some("Team") => c
                                .reviewers
                                .push(Reviewer::team(who["slug"].as_str().unwrap_or_default())),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        c
    }
}

/// One change the plan makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    /// The environment does not exist yet.
    Create,
    /// A setting changes.
    Set {
        /// The setting.
        field: String,
        /// Its value now.
        from: String,
        /// Its value after.
        to: String,
    },
    /// A branch or tag policy is added.
    AddPolicy {
        /// `branch` or `tag`.
        kind: String,
        /// The pattern.
        name: String,
    },
    /// A branch or tag policy is removed.
    RemovePolicy {
        /// `branch` or `tag`.
        kind: String,
        /// The pattern.
        name: String,
        /// GitHub's id.
        id: u64,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Create => f.write_str("+ create the environment"),
            Change::Set { field, from, to } => write!(f, "~ {field}: {from} -> {to}"),
            Change::AddPolicy { kind, name } => write!(f, "+ {kind} policy `{name}`"),
            Change::RemovePolicy { kind, name, .. } => write!(f, "- {kind} policy `{name}`"),
        }
    }
}

/// What changes in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvPlan {
    /// The environment.
    pub name: String,
    /// Whether the environment's settings must be written (create or update).
    pub put: bool,
    /// The changes, settings first, then policies.
    pub changes: Vec<Change>,
}

/// The plan for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// One per environment of the file, in name order.
    pub environments: Vec<EnvPlan>,
}

impl Plan {
    /// Whether anything changes.
    pub fn is_empty(&self) -> bool {
        self.environments.iter().all(|e| e.changes.is_empty())
    }

    /// The number of changes.
    pub fn count(&self) -> usize {
        self.environments.iter().map(|e| e.changes.len()).sum()
    }

    /// The plan for people.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for e in &self.environments {
            if e.changes.is_empty() {
                s.push_str(&format!("environment {}: no changes\n", e.name));
            } else {
                s.push_str(&format!("environment {}:\n", e.name));
                for c in &e.changes {
                    s.push_str(&format!("  {c}\n"));
                }
            }
        }
        s
    }
}

fn reviewers_text(list: &[Reviewer]) -> String {
    if list.is_empty() {
        return "none".into();
    }
    let mut v: Vec<String> = list.iter().map(|r| r.to_string()).collect();
    v.sort();
    v.join(", ")
}

fn policy_text(p: Option<BranchPolicy>) -> String {
    match p {
        None => "any branch".into(),
        Some(p) if p.protected_branches => "protected branches".into(),
        Some(_) => "custom policies".into(),
    }
}

/// What it takes to turn `current` (`None`: absent) into `want`.
pub fn plan_one(name: &str, want: &EnvironmentConfig, current: Option<&Current>) -> EnvPlan {
    let empty = Current::default();
    let mut changes = Vec::new();
    if current.is_none() {
        changes.push(Change::Create);
    }
    let cur = current.unwrap_or(&empty);
    let mut set = |field: &str, from: String, to: String| {
        if from != to {
            changes.push(Change::Set {
                field: field.into(),
                from,
                to,
            });
        }
    };
    set(
        "wait_timer",
        cur.wait_timer.to_string(),
        want.wait_timer.to_string(),
    );
    let key = |l: &[Reviewer]| {
        let mut k: Vec<(&str, String)> = l.iter().map(Reviewer::key).collect();
        k.sort();
        k
    };
    if key(&cur.reviewers) != key(&want.reviewers) {
        set(
            "reviewers",
            reviewers_text(&cur.reviewers),
            reviewers_text(&want.reviewers),
        );
    }
    set(
        "prevent_self_review",
        cur.prevent_self_review.to_string(),
        want.prevent_self_review.to_string(),
    );
    set(
        "deployment_branch_policy",
        policy_text(cur.deployment_branch_policy),
        policy_text(want.deployment_branch_policy),
    );
    let put = !changes.is_empty();
    let custom = want
        .deployment_branch_policy
        .is_some_and(|p| p.custom_branch_policies);
    if custom {
        let wanted: Vec<(&str, &String)> = want
            .branch_policies
            .iter()
            .map(|n| ("branch", n))
            .chain(want.tag_policies.iter().map(|n| ("tag", n)))
            .collect();
        // Policies of an environment that was not on custom policies are GitHub's leftovers:
        // switching to custom keeps them, so they are compared all the same.
        for p in &cur.policies {
            if !wanted.iter().any(|(k, n)| *k == p.kind && **n == p.name) {
                changes.push(Change::RemovePolicy {
                    kind: p.kind.clone(),
                    name: p.name.clone(),
                    id: p.id,
                });
            }
        }
        for (k, n) in wanted {
            if !cur.policies.iter().any(|p| p.kind == k && &p.name == n) {
                changes.push(Change::AddPolicy {
                    kind: k.into(),
                    name: n.clone(),
                });
            }
        }
    }
    EnvPlan {
        name: name.to_string(),
        put,
        changes,
    }
}

/// The plan for a file, given the current state of each of its environments.
pub fn plan(file: &EnvironmentsFile, current: &BTreeMap<String, Current>) -> Plan {
    Plan {
        environments: file
            .environments
            .iter()
            .map(|(n, e)| plan_one(n, e, current.get(n)))
            .collect(),
    }
}

/// The body of `PUT /repos/{o}/{r}/environments/{name}`, reviewers given as (kind, id).
pub fn put_body(
    want: &EnvironmentConfig,
    reviewer_ids: &[(&'static str, u64)],
) -> serde_json::Value {
    let reviewers: Vec<serde_json::Value> = reviewer_ids
        .iter()
        .map(|(k, id)| serde_json::json!({"type": k, "id": id}))
        .collect();
    serde_json::json!({
        "wait_timer": want.wait_timer,
        "prevent_self_review": want.prevent_self_review,
        "reviewers": reviewers,
        "deployment_branch_policy": want.deployment_branch_policy.map(|p| serde_json::json!({
            "protected_branches": p.protected_branches,
            "custom_branch_policies": p.custom_branch_policies,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
environments:
  production:
    wait_timer: 30
    prevent_self_review: true
    reviewers:
      - user: octocat
      - team: release-managers
    deployment_branch_policy:
      protected_branches: false
      custom_branch_policies: true
    tag_policies: [\"v*\"]
  staging:
    deployment_branch_policy: {protected_branches: true, custom_branch_policies: false}
";

    #[test]
    fn reads_yaml_and_json_alike() {
        let y = EnvironmentsFile::parse(YAML, "envs.yml", false).unwrap();
        let json = serde_json::to_string(&y).unwrap();
        let j = EnvironmentsFile::parse(&json, "envs.json", true).unwrap();
        assert_eq!(y, j);
        let p = &y.environments["production"];
        assert_eq!(p.wait_timer, 30);
        assert_eq!(
            p.reviewers,
            vec![
                Reviewer::user("octocat"),
                Reviewer::team("release-managers")
            ]
        );
    }

    #[test]
    fn validation_names_the_key_and_the_line() {
        let both = YAML.replace("protected_branches: false", "protected_branches: true");
        let e = EnvironmentsFile::parse(&both, "envs.yml", false).unwrap_err();
        assert_eq!(e.position, Some((8, 5)));
        assert!(
            e.to_string().starts_with(
                "envs.yml:8:5: environments.production.deployment_branch_policy: protected_branches and custom_branch_policies are mutually exclusive"
            ),
            "{e}"
        );
        let e = EnvironmentsFile::parse(
            &YAML.replace("wait_timer: 30", "wait_timer: 43201"),
            "f",
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("43201 minutes; expected 0 to 43200"),
            "{e}"
        );
        let seven: String = (0..7).map(|i| format!("      - user: u{i}\n")).collect();
        let e = EnvironmentsFile::parse(
            &YAML.replace(
                "      - user: octocat\n      - team: release-managers\n",
                &seven,
            ),
            "f",
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("7 reviewers; GitHub allows at most 6"),
            "{e}"
        );
        let e = EnvironmentsFile::parse(
            "{\"environments\": {\"qa\": {\"tag_policies\": [\"v*\"]}}}",
            "e.json",
            true,
        )
        .unwrap_err();
        assert_eq!(e.position, Some((1, 26)), "{e}");
        let e =
            EnvironmentsFile::parse("environments:\n  qa:\n    wait: 3\n", "f", false).unwrap_err();
        assert!(e.to_string().starts_with("f:3:5: "), "{e}");
        assert!(e.to_string().contains("unknown field `wait`"), "{e}");
    }

    #[test]
    fn plan_creates_then_finds_nothing_to_do() {
        let f = EnvironmentsFile::parse(YAML, "envs.yml", false).unwrap();
        let p = plan(&f, &BTreeMap::new());
        assert_eq!(p.environments[0].changes[0], Change::Create);
        assert!(p.environments.iter().all(|e| e.put));
        assert!(p.text().contains("+ tag policy `v*`"), "{}", p.text());
        // The state GitHub answers after the apply.
        let api = serde_json::json!({
            "name": "production",
            "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true},
            "protection_rules": [
                {"type": "wait_timer", "wait_timer": 30},
                {"type": "required_reviewers", "prevent_self_review": true, "reviewers": [
                    {"type": "Team", "reviewer": {"slug": "release-managers"}},
                    {"type": "User", "reviewer": {"login": "OctoCat"}}]}
            ]
        });
        let mut cur = Current::from_api(&api);
        cur.policies.push(RefPolicy {
            id: 4,
            name: "v*".into(),
            kind: "tag".into(),
        });
        let p = plan_one("production", &f.environments["production"], Some(&cur));
        assert_eq!(p.changes, vec![]);
        assert!(!p.put);
        cur.policies.push(RefPolicy {
            id: 5,
            name: "main".into(),
            kind: "branch".into(),
        });
        cur.wait_timer = 0;
        let p = plan_one("production", &f.environments["production"], Some(&cur));
        assert_eq!(
            p.changes,
            vec![
                Change::Set {
                    field: "wait_timer".into(),
                    from: "0".into(),
                    to: "30".into()
                },
                Change::RemovePolicy {
                    kind: "branch".into(),
                    name: "main".into(),
                    id: 5
                }
            ]
        );
    }
}
