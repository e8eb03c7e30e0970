//! The GitHub Actions runner, seen from a step: its context (read from the environment,
//! passed in as a struct), the environment a run gates for, `$GITHUB_OUTPUT`,
//! `$GITHUB_STEP_SUMMARY` and workflow commands. Randomness and the environment are
//! injected, so everything here is deterministic under test.

pub mod commands;
pub mod output;

use crate::gate::score::{num, round2};
use crate::gate::verdict::{EnvironmentChoice, Verdict};
use std::path::PathBuf;

/// What the runner tells a step through its environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GithubContext {
    /// `GITHUB_ACTIONS=true`.
    pub actions: bool,
    /// `GITHUB_REF` (`refs/heads/main`, `refs/tags/v1.2.0`, `refs/pull/7/merge`).
    pub git_ref: Option<String>,
    /// `GITHUB_REF_TYPE` (`branch` or `tag`).
    pub ref_type: Option<String>,
    /// `GITHUB_REF_NAME` (`main`, `v1.2.0`, `7/merge`).
    pub ref_name: Option<String>,
    /// `GITHUB_EVENT_NAME` (`push`, `pull_request`...).
    pub event_name: Option<String>,
    /// `GITHUB_EVENT_PATH`: the webhook payload.
    pub event_path: Option<PathBuf>,
    /// `GITHUB_SHA`.
    pub sha: Option<String>,
    /// `GITHUB_OUTPUT`.
    pub output: Option<PathBuf>,
    /// `GITHUB_STEP_SUMMARY`.
    pub step_summary: Option<PathBuf>,
}

impl GithubContext {
    /// Reads the context through `var` (the process environment, or a map in tests). Empty
    /// values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> GithubContext {
        let get = |k: &str| var(k).filter(|v| !v.is_empty());
        GithubContext {
            actions: get("GITHUB_ACTIONS").as_deref() == Some("true"),
            git_ref: get("GITHUB_REF"),
            ref_type: get("GITHUB_REF_TYPE"),
            ref_name: get("GITHUB_REF_NAME"),
            event_name: get("GITHUB_EVENT_NAME"),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            sha: get("GITHUB_SHA"),
            output: get("GITHUB_OUTPUT").map(PathBuf::from),
            step_summary: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        }
    }

    /// The repository's default branch, from the event payload's `repository.default_branch`
    /// (every event that carries a repository has it). `None` when unreadable.
    pub fn default_branch(&self) -> Option<String> {
        let path = self.event_path.as_ref()?;
        let text = std::fs::read(path).ok()?;
        default_branch_of(&text)
    }
}

/// `repository.default_branch` of an event payload.
pub fn default_branch_of(payload: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Payload {
        repository: Option<Repo>,
    }
    #[derive(serde::Deserialize)]
    struct Repo {
        default_branch: Option<String>,
    }
    let p: Payload = serde_json::from_slice(payload).ok()?;
    p.repository?.default_branch.filter(|b| !b.is_empty())
}

/// Branch names taken as the default branch when the payload does not say.
const FALLBACK_DEFAULT_BRANCHES: &[&str] = &["main", "master"];

/// The environment a run gates for: a `v*` tag → `production`; the default branch →
/// `staging`; anything else (other branches, pull requests, other tags, a local run) →
/// `development`. `default_branch` comes from the event payload; without it, `main` and
/// `master` are taken as default.
pub fn derive_environment(ctx: &GithubContext, default_branch: Option<&str>) -> EnvironmentChoice {
    let choice = |name: &str, reason: String| EnvironmentChoice {
        name: name.into(),
        reason,
    };
    let Some(r) = ctx.git_ref.as_deref() else {
        return choice(
            "development",
            if ctx.actions {
                "GITHUB_REF is not set".into()
            } else {
                "not running in GitHub Actions".into()
            },
        );
    };
    let is_tag = ctx.ref_type.as_deref() == Some("tag") || r.starts_with("refs/tags/");
    if is_tag {
        let tag = r
            .strip_prefix("refs/tags/")
            .or(ctx.ref_name.as_deref())
            .unwrap_or(r);
        return if tag.starts_with('v') {
            choice("production", format!("tag {tag}"))
        } else {
            choice("development", format!("tag {tag} is not a v* tag"))
        };
    }
    if ctx
        .event_name
        .as_deref()
        .is_some_and(|e| e.starts_with("pull_request"))
        || r.starts_with("refs/pull/")
    {
        return choice("development", format!("pull request ({r})"));
    }
    if let Some(branch) = r.strip_prefix("refs/heads/") {
        let is_default = match default_branch {
            Some(d) => branch == d,
            None => FALLBACK_DEFAULT_BRANCHES.contains(&branch),
        };
        return if is_default {
            choice("staging", format!("default branch {branch}"))
        } else {
            choice("development", format!("branch {branch}"))
        };
    }
    choice("development", format!("ref {r}"))
}

/// The step outputs of a verdict, in the order they are written: `passed`, `score`,
/// `coverage`, `environment`, `environment-reason`, `failed-rules` (comma-separated ids),
/// `failed-count`, one `<dimension>-score` each (`code-quality-score`...), the blocking
/// counts, test and finding totals, `report` (the path written, if any) and `summary` (one
/// line). Numbers are plain decimals; an unmeasured value is the empty string.
pub fn step_outputs(v: &Verdict, report: Option<&str>) -> Vec<(String, String)> {
    let n = |x: Option<f64>| x.map(|v| num(round2(v))).unwrap_or_default();
    let failed: Vec<&str> = v.failed_rules().map(|r| r.id.as_str()).collect();
    let mut out: Vec<(String, String)> = vec![
        ("passed".into(), v.passed.to_string()),
        ("score".into(), n(v.score)),
        ("coverage".into(), n(v.counts.line_coverage)),
        ("environment".into(), v.environment.name.clone()),
        ("environment-reason".into(), v.environment.reason.clone()),
        ("failed-rules".into(), failed.join(",")),
        ("failed-count".into(), failed.len().to_string()),
    ];
    for d in &v.dimensions {
        out.push((
            format!("{}-score", d.dimension.key().replace('_', "-")),
            n(d.score),
        ));
    }
    let c = &v.counts;
    for (k, x) in [
        ("critical-security-issues", c.critical_security_issues),
        ("critical-bugs", c.critical_bugs),
        ("type-errors", c.type_errors),
        ("test-failures", c.test_failures),
        ("tests-total", c.tests_total),
        ("findings-total", c.findings_total),
    ] {
        out.push((k.into(), x.to_string()));
    }
    // Empty when the changed lines or coverage are unknown.
    out.push((
        "patch-coverage".into(),
        n(v.patch.as_ref().and_then(|p| p.percent)),
    ));
    out.push((
        "new-findings".into(),
        v.new_findings.map(|x| x.to_string()).unwrap_or_default(),
    ));
    out.push(("report".into(), report.unwrap_or_default().to_string()));
    let summary = if v.passed {
        format!(
            "Quality gate passed for {}: score {}",
            v.environment.name,
            n(v.score)
        )
    } else {
        let msgs: Vec<&str> = v.failed_rules().map(|r| r.message.as_str()).collect();
        format!(
            "Quality gate failed for {}: {}",
            v.environment.name,
            msgs.join("; ")
        )
    };
    out.push(("summary".into(), summary));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(r: &str, event: &str) -> GithubContext {
        GithubContext {
            actions: true,
            git_ref: Some(r.into()),
            event_name: Some(event.into()),
            ..Default::default()
        }
    }

    #[test]
    fn derivation() {
        let d = |c: &GithubContext, b| derive_environment(c, b).name;
        assert_eq!(
            d(&ctx("refs/tags/v1.2.0", "push"), Some("main")),
            "production"
        );
        assert_eq!(
            d(&ctx("refs/tags/1.2.0", "push"), Some("main")),
            "development"
        );
        assert_eq!(d(&ctx("refs/heads/main", "push"), Some("main")), "staging");
        assert_eq!(
            d(&ctx("refs/heads/main", "push"), Some("trunk")),
            "development"
        );
        assert_eq!(d(&ctx("refs/heads/master", "push"), None), "staging");
        assert_eq!(
            d(&ctx("refs/pull/7/merge", "pull_request"), Some("main")),
            "development"
        );
        assert_eq!(d(&GithubContext::default(), None), "development");
    }
}
