//! Publishing a verdict to GitHub: a check run with annotations (`checks.rs`), one sticky
//! pull-request comment per gate (`comment.rs`), an optional commit status (`status.rs`),
//! SARIF uploads to code scanning (`code_scanning.rs`), and the fallback when the token may
//! not write (`degrade.rs`).
//!
//! Everything reads one [`Input`]: the verdict and the annotations, built from `report.json`
//! (the same document whether the gate publishes itself with `gate --publish` or a
//! `workflow_run` job publishes an artifact with `shipgate publish report.json`).

pub mod annotations;
pub mod baseline;
pub mod checks;
pub mod code_scanning;
pub mod comment;
pub mod degrade;
pub mod session;
pub mod status;

use crate::gate::verdict::Verdict;
use crate::github::{Client, GitHubError};
use crate::runner::GithubContext;
use annotations::Annotation;

/// Why publishing could not start.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// report.json could not be read.
    #[error("{path}:{message}")]
    Report {
        /// The file.
        path: String,
        /// `line:column: ` and what is wrong.
        message: String,
    },
    /// The commit or pull request could not be found.
    #[error("{0}")]
    Target(String),
    /// Neither `INPUT_TOKEN` nor `GITHUB_TOKEN` is set: nothing can be written.
    #[error(
        "no GitHub token: neither INPUT_TOKEN (the Action's `token` input) nor GITHUB_TOKEN is set"
    )]
    NoToken,
    /// GitHub refused or failed.
    #[error(transparent)]
    GitHub(#[from] GitHubError),
}

/// When the pull-request comment is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentMode {
    /// Created, then updated on every run.
    Always,
    /// Created, then updated only when its text changes.
    OnChange,
    /// Only while the gate fails (an existing comment is still updated when it passes).
    OnFailure,
    /// Never.
    Off,
}

impl CommentMode {
    /// Parses `always`, `on-change`, `on-failure` or `off`.
    pub fn parse(s: &str) -> Option<CommentMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "always" => Some(CommentMode::Always),
            "on-change" => Some(CommentMode::OnChange),
            "on-failure" => Some(CommentMode::OnFailure),
            "off" | "false" | "never" => Some(CommentMode::Off),
            _ => None,
        }
    }
}

/// What to publish and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The gate's name: the check run's name, the comment's marker, the status context.
    pub gate: String,
    /// The comment mode.
    pub comment: CommentMode,
    /// Delete the comment when the gate passes.
    pub delete_on_pass: bool,
    /// Also set a commit status.
    pub status: bool,
    /// Annotations sent at most (most important first).
    pub max_annotations: usize,
    /// Where the full report is (the workflow run), for links.
    pub details_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gate: "shipgate".into(),
            comment: CommentMode::OnChange,
            delete_on_pass: false,
            status: false,
            max_annotations: annotations::DEFAULT_MAX,
            details_url: None,
        }
    }
}

/// The commit and pull request to publish to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The head commit (check runs and statuses go there).
    pub sha: String,
    /// The pull request, when there is one (comments go there).
    pub pr: Option<u64>,
}

/// What is published.
#[derive(Debug, Clone)]
pub struct Input {
    /// The decision.
    pub verdict: Verdict,
    /// Every annotation, most important first.
    pub annotations: Vec<Annotation>,
    /// `commit` of report.json.
    pub commit: Option<String>,
    /// `ref` of report.json.
    pub git_ref: Option<String>,
    /// `baseline` of report.json: the digest written last in the check run's `output.text`.
    pub baseline: Option<String>,
}

impl Input {
    /// Reads report.json's text (`path` names it in errors).
    pub fn from_report(path: &str, text: &str) -> Result<Input, PublishError> {
        let r: annotations::ReportIn =
            serde_json::from_str(text).map_err(|e| PublishError::Report {
                path: path.into(),
                message: format!(
                    "{}:{}: expected a shipgate report.json: {e}",
                    e.line(),
                    e.column()
                ),
            })?;
        let annotations = annotations::collect(&r);
        Ok(Input {
            verdict: r.verdict,
            annotations,
            commit: r.commit,
            git_ref: r.git_ref,
            baseline: r.baseline.filter(|b| !b.is_empty()),
        })
    }
}

/// What happened on GitHub.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// The check run written.
    pub check_run: Option<u64>,
    /// Annotations sent.
    pub annotations_sent: usize,
    /// What was done with the comment.
    pub comment: Option<comment::Action>,
    /// Whether a status was set.
    pub status: bool,
    /// Permissions the token lacked (each named once).
    pub missing: Vec<String>,
    /// GitHub refused the token itself (401) with this message; nothing after it was tried.
    pub unauthorized: Option<String>,
    /// Other failures, one line each.
    pub errors: Vec<String>,
}

impl Outcome {
    fn record(&mut self, e: GitHubError) {
        if let Some(m) = e.unauthorized() {
            self.unauthorized.get_or_insert_with(|| m.to_string());
            return;
        }
        match e.missing_permission() {
            Some(p) => {
                if !self.missing.iter().any(|m| m == p) {
                    self.missing.push(p.to_string());
                }
            }
            None => self.errors.push(e.to_string()),
        }
    }

    /// Nothing (or not everything) could be written because of the token: a permission it
    /// lacks, or GitHub refused it. The verdict then stays in the job summary and annotations.
    pub fn degraded(&self) -> bool {
        !self.missing.is_empty() || self.unauthorized.is_some()
    }
}

/// The workflow run's page (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`).
pub fn run_url(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let server = var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
    let repo = var("GITHUB_REPOSITORY")?;
    let id = var("GITHUB_RUN_ID")?;
    Some(format!(
        "{}/{repo}/actions/runs/{id}",
        server.trim_end_matches('/')
    ))
}

/// The commit and pull request of the runner's event: a `pull_request` event's head sha and
/// number; a `workflow_run` event's `head_sha` and its first pull request (else the PR of
/// report.json's `ref`, `refs/pull/N/merge`); else `GITHUB_SHA` and a `refs/pull/N/` ref.
pub fn target_from(ctx: &GithubContext, report_ref: Option<&str>) -> Option<Target> {
    let payload: serde_json::Value = ctx
        .event_path
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    let pr_of_ref = |r: Option<&str>| {
        r.and_then(|r| r.strip_prefix("refs/pull/"))
            .and_then(|r| r.split('/').next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    if let Some(wr) = payload.get("workflow_run").filter(|w| w.is_object()) {
        let sha = wr.get("head_sha").and_then(|s| s.as_str())?.to_string();
        let pr = wr
            .get("pull_requests")
            .and_then(|p| p.as_array())
            .and_then(|a| a.first())
            .and_then(|p| p.get("number"))
            .and_then(|n| n.as_u64())
            .or_else(|| pr_of_ref(report_ref));
        return Some(Target { sha, pr });
    }
    if let Some(pr) = payload.get("pull_request").filter(|p| p.is_object()) {
        let sha = pr
            .pointer("/head/sha")
            .and_then(|s| s.as_str())
            .map(str::to_string)
            .or_else(|| ctx.sha.clone())?;
        let n = pr
            .get("number")
            .and_then(|n| n.as_u64())
            .or_else(|| payload.get("number").and_then(|n| n.as_u64()))
            .or_else(|| pr_of_ref(ctx.git_ref.as_deref()));
        return Some(Target { sha, pr: n });
    }
    let sha = ctx.sha.clone()?;
    Some(Target {
        sha,
        pr: pr_of_ref(ctx.git_ref.as_deref()).or_else(|| pr_of_ref(report_ref)),
    })
}

/// Publishes `input` to `target`: the check run (created here unless `check_run` is one
/// already started), the comment, the status. Failures are collected, not returned: the
/// caller decides what they mean for its exit code.
pub async fn publish(
    c: &Client,
    target: &Target,
    input: &Input,
    opts: &Options,
    check_run: Option<u64>,
) -> Outcome {
    let mut out = Outcome::default();
    let id = match check_run {
        Some(id) => Some(id),
        None => {
            match checks::start(c, &target.sha, &opts.gate, opts.details_url.as_deref()).await {
                Ok(id) => Some(id),
                Err(e) => {
                    out.record(e);
                    None
                }
            }
        }
    };
    if let Some(id) = id {
        match checks::finish(c, id, input, opts).await {
            Ok(n) => {
                out.check_run = Some(id);
                out.annotations_sent = n;
            }
            Err(e) => out.record(e),
        }
    }
    rest(c, target, input, opts, &mut out).await;
    out
}

/// The comment and the status, after the check run; skipped once GitHub refused the token
/// (every request would be refused the same way).
pub(crate) async fn rest(
    c: &Client,
    target: &Target,
    input: &Input,
    opts: &Options,
    out: &mut Outcome,
) {
    if let Some(pr) = target.pr
        && out.unauthorized.is_none()
    {
        match comment::publish(c, pr, &input.verdict, opts).await {
            Ok(a) => out.comment = Some(a),
            Err(e) => out.record(e),
        }
    }
    if opts.status && out.unauthorized.is_none() {
        match status::set(c, &target.sha, &input.verdict, opts).await {
            Ok(()) => out.status = true,
            Err(e) => out.record(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(
        event: &str,
        payload: &serde_json::Value,
        git_ref: &str,
    ) -> (GithubContext, tempfile::NamedTempFile) {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), serde_json::to_vec(payload).unwrap()).unwrap();
        let c = GithubContext {
            actions: true,
            event_name: Some(event.into()),
            event_path: Some(tmp.path().to_path_buf()),
            git_ref: Some(git_ref.into()),
            sha: Some("f".repeat(40)),
            ..Default::default()
        };
        (c, tmp)
    }

    fn shared_event(name: &str) -> Option<serde_json::Value> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/github-events")
            .join(name);
        Some(serde_json::from_slice(&std::fs::read(p).ok()?).unwrap())
    }

    #[test]
    fn targets_from_real_payloads() {
        // GitHub's own examples (../shared/github-events); skipped without them.
        let Some(pr) = shared_event("pull_request.opened.0.json") else {
            return;
        };
        let (c, _t) = ctx("pull_request", &pr, "refs/pull/2/merge");
        assert_eq!(
            target_from(&c, None),
            Some(Target {
                sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821".into(),
                pr: Some(2)
            })
        );
        let Some(wr) = shared_event("workflow_run.completed.2.json") else {
            return;
        };
        let (c, _t) = ctx("workflow_run", &wr, "refs/heads/master");
        assert_eq!(
            target_from(&c, None),
            Some(Target {
                sha: "3484a3fb816e0859fd6e1cea078d76385ff50625".into(),
                pr: Some(2)
            })
        );
        // No pull request in the payload (forks): the report's ref gives it.
        let Some(wr0) = shared_event("workflow_run.completed.0.json") else {
            return;
        };
        let (c, _t) = ctx("workflow_run", &wr0, "refs/heads/main");
        assert_eq!(
            target_from(&c, Some("refs/pull/17/merge")),
            Some(Target {
                sha: "5779607b49aab1200488439f02372c57b4f75444".into(),
                pr: Some(17)
            })
        );
        assert_eq!(target_from(&c, None).unwrap().pr, None);
        // A push: GITHUB_SHA, no pull request.
        let Some(push) = shared_event("push.event.4.json") else {
            return;
        };
        let (c, _t) = ctx("push", &push, "refs/heads/main");
        assert_eq!(
            target_from(&c, None),
            Some(Target {
                sha: "f".repeat(40),
                pr: None
            })
        );
    }
}
