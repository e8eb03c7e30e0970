//! The GitHub deployment lifecycle: create the deployment (`auto_merge: false`, required
//! contexts as configured), `in_progress` with the run's log, the deploy command, health
//! checks, then `success` with the environment URL or `failure`/`error` with a description of
//! at most 140 characters. Whatever happens after the deployment exists (a failed command, a
//! failed health check, a signal, an error of shipgate's own), a final status is written
//! before returning, so a deployment is never left `in_progress`.

use super::health;
use super::run::{self, Outcome, Received, Signals, description};
use crate::github::{Client, GitHubError, Method, Posted};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// What to create.
#[derive(Debug, Clone)]
pub struct Request {
    /// Branch, tag or sha.
    pub git_ref: String,
    /// Environment name.
    pub environment: String,
    /// Contexts that must be green first; empty (the default) checks none.
    pub required_contexts: Vec<String>,
    /// `production_environment`.
    pub production: bool,
    /// `transient_environment`.
    pub transient: bool,
    /// The version deployed, carried in the payload.
    pub version: Option<String>,
    /// The deployment's description.
    pub description: Option<String>,
}

/// A deployment status to write.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// `in_progress`, `success`, `failure`, `error`...
    pub state: String,
    /// Cut to 140 characters.
    pub description: String,
    /// The workflow run's page.
    pub log_url: Option<String>,
    /// Where the deployed thing is.
    pub environment_url: Option<String>,
    /// `auto_inactive` of a `success` status: whether GitHub marks the earlier successful
    /// deployments of the same environment `inactive` (only non-transient, non-production
    /// ones, as GitHub documents it). `None`: not sent, GitHub's default (true).
    pub auto_inactive: Option<bool>,
}

/// Why the lifecycle failed before it could report a result.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// A GitHub call failed.
    #[error(transparent)]
    GitHub(#[from] GitHubError),
    /// Health checks could not start (bad URL or CA file).
    #[error(transparent)]
    Health(#[from] health::HealthError),
}

/// A nonce to recognise our own deployment after an ambiguous failure.
fn nonce() -> String {
    use crate::runner::output::{OsRandom, Random};
    OsRandom.token()
}

/// Creates the deployment; returns its id. An answer lost in transit (5xx, timeout) is
/// resolved by looking for the deployment carrying this attempt's nonce before trying again.
pub async fn create(c: &Client, req: &Request) -> Result<u64, GitHubError> {
    let n = nonce();
    let mut payload = json!({"shipgate": {"request": n}});
    if let Some(v) = &req.version {
        payload["version"] = json!(v);
    }
    let mut body = json!({
        "ref": req.git_ref,
        "task": "deploy",
        "auto_merge": false,
        "required_contexts": req.required_contexts,
        "environment": req.environment,
        "production_environment": req.production,
        "transient_environment": req.transient,
        "payload": payload,
    });
    if let Some(d) = &req.description {
        body["description"] = json!(description(d));
    }
    let path = c.repo_path("/deployments");
    match c
        .post_once(&path, &body, || find_by_nonce(c, req, &n))
        .await?
    {
        Posted::Answer(r) => id_of(&r.body, &path),
        Posted::Landed(id) => Ok(id),
    }
}

fn id_of(v: &Value, path: &str) -> Result<u64, GitHubError> {
    v["id"].as_u64().ok_or_else(|| GitHubError::Transport {
        method: "POST".into(),
        path: path.into(),
        message: "the answer has no id".into(),
    })
}

async fn find_by_nonce(c: &Client, req: &Request, n: &str) -> Option<u64> {
    let q = format!(
        "/deployments?environment={}&task=deploy",
        percent(&req.environment)
    );
    let list = c.get(&c.repo_path(&q)).await.ok()?;
    list.body.as_array()?.iter().find_map(|d| {
        (d["payload"]["shipgate"]["request"].as_str() == Some(n))
            .then(|| d["id"].as_u64())
            .flatten()
    })
}

/// Percent-encodes a path segment or query value.
pub fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes a status (retried: a repeated status of the same state is harmless).
pub async fn set_status(c: &Client, id: u64, s: &Status) -> Result<(), GitHubError> {
    let mut body = json!({
        "state": s.state,
        "description": description(&s.description),
    });
    if let Some(u) = &s.log_url {
        body["log_url"] = json!(u);
    }
    if let Some(u) = &s.environment_url {
        body["environment_url"] = json!(u);
    }
    if let Some(a) = s.auto_inactive
        && s.state == "success"
    {
        body["auto_inactive"] = json!(a);
    }
    c.send(
        Method::POST,
        &c.repo_path(&format!("/deployments/{id}/statuses")),
        Some(&body),
    )
    .await
    .map(|_| ())
}

/// The state of the newest status of deployment `id`.
async fn latest_state(c: &Client, id: u64) -> Option<String> {
    let r = c
        .get(&c.repo_path(&format!("/deployments/{id}/statuses?per_page=1")))
        .await
        .ok()?;
    r.body.get(0)?["state"].as_str().map(str::to_string)
}

/// The workflow run's page, from the runner's variables.
pub fn log_url(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let get = |k: &str| var(k).filter(|v| !v.is_empty());
    let server = get("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
    let repo = get("GITHUB_REPOSITORY")?;
    let run = get("GITHUB_RUN_ID")?;
    let mut u = format!("{}/{repo}/actions/runs/{run}", server.trim_end_matches('/'));
    if let Some(a) = get("GITHUB_RUN_ATTEMPT").filter(|a| a != "1") {
        u.push_str(&format!("/attempts/{a}"));
    }
    Some(u)
}

/// Time allowed for the final status after a signal.
pub const CANCELLED_STATUS_TIME: Duration = Duration::from_secs(4);

/// Time an `in_progress` request under way when a signal comes gets to finish, and the time
/// for checking afterwards that it did not land after the final status: with the final status,
/// 8 s at most, within the 10 s the runner leaves between SIGINT and SIGKILL.
pub const IN_PROGRESS_WAIT: Duration = Duration::from_secs(2);

/// What `deploy run` does after creating the deployment.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The deploy command (no shell).
    pub command: Vec<String>,
    /// A shell command run when the deploy command or the health checks fail.
    pub rollback: Option<String>,
    /// URLs checked after the command succeeds.
    pub health_urls: Vec<String>,
    /// How they are checked.
    pub health: health::Options,
    /// The run's page.
    pub log_url: Option<String>,
    /// The environment's URL, for `success`.
    pub environment_url: Option<String>,
    /// Variables given to the commands.
    pub env: Vec<(String, String)>,
    /// Time a command gets after a forwarded signal.
    pub grace: Duration,
    /// `auto_inactive` of the `success` status (`None`: GitHub's default, true).
    pub auto_inactive: Option<bool>,
}

/// How a `deploy run` ended.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The deployment.
    pub deployment_id: u64,
    /// The environment.
    pub environment: String,
    /// The final state written: `success`, `failure` or `error`.
    pub state: String,
    /// The description written.
    pub description: String,
    /// What the deploy command did.
    pub command: String,
    /// What the rollback did, when it ran.
    pub rollback: Option<String>,
    /// The health report, when checks ran.
    pub health: Option<health::Report>,
    /// The signal that cancelled the deployment.
    pub signal: Option<String>,
    /// Whether a signal stopped the rollback command before it finished.
    pub rollback_interrupted: bool,
    /// Seconds from creation to the final status.
    pub seconds: f64,
    /// Whether the final status could be written.
    pub status_written: bool,
}

impl Report {
    /// The process exit code: 0 success, 128+n after a signal, else 1.
    pub fn exit_code(&self, sig: Option<Received>) -> u8 {
        match (self.state.as_str(), sig) {
            ("success", _) => 0,
            (_, Some(s)) => s.exit_code(),
            _ => 1,
        }
    }
}

/// Runs the deployment `id` (already created): statuses, command, health, rollback. Returns
/// the report and the signal received, if any.
pub async fn drive(
    c: &Client,
    id: u64,
    environment: &str,
    plan: &Plan,
    signals: &mut Signals,
) -> (Report, Option<Received>) {
    let started = Instant::now();
    let mut rep = Report {
        deployment_id: id,
        environment: environment.to_string(),
        state: "error".into(),
        description: String::new(),
        command: String::new(),
        rollback: None,
        health: None,
        signal: None,
        rollback_interrupted: false,
        seconds: 0.0,
        status_written: false,
    };
    let mut got: Option<Received> = None;
    let in_progress = Status {
        state: "in_progress".into(),
        description: format!("deploying to {environment}"),
        log_url: plan.log_url.clone(),
        environment_url: None,
        auto_inactive: None,
    };
    // A signal that came while the deployment was being created: nothing more is started.
    if let Ok(r) = tokio::time::timeout(Duration::ZERO, signals.recv()).await {
        got = Some(r);
    }
    // Whether an `in_progress` request may still land after the final status.
    let mut in_flight = false;
    if got.is_none() {
        let ip = set_status(c, id, &in_progress);
        tokio::pin!(ip);
        tokio::select! {
            biased;
            // A failure to say `in_progress` does not stop the deployment; the final status
            // matters.
            r = &mut ip => if let Err(e) = r {
                tracing::warn!("cannot set the deployment in_progress: {e}");
            },
            r = signals.recv() => {
                got = Some(r);
                // Let the request under way finish first (bounded), so that `in_progress`
                // cannot arrive after the final status.
                in_flight = tokio::time::timeout(IN_PROGRESS_WAIT, &mut ip).await.is_err();
            }
        }
    }
    let started_command = got.is_none();
    let outcome = match got {
        Some(r) => Outcome::Cancelled(r),
        None => run::run(&plan.command, &plan.env, signals, plan.grace).await,
    };
    rep.command = match (&outcome, started_command) {
        (Outcome::Cancelled(r), false) => {
            format!("deploy command not started (cancelled by {})", r.name)
        }
        _ => outcome.text("deploy command"),
    };
    let mut failed: Option<String> = None;
    match &outcome {
        Outcome::Cancelled(r) => got = Some(*r),
        o if o.success() => {}
        _ => failed = Some(rep.command.clone()),
    }
    if got.is_none() && failed.is_none() && !plan.health_urls.is_empty() {
        tokio::select! {
            r = health::check(&plan.health_urls, &plan.health) => match r {
                Ok(h) => {
                    if let Some(why) = h.failure_summary() {
                        failed = Some(why);
                    }
                    rep.health = Some(h);
                }
                Err(e) => failed = Some(format!("health check could not run: {e}")),
            },
            r = signals.recv() => got = Some(r),
        }
    }
    if let Some(why) = &failed
        && let Some(rb) = &plan.rollback
    {
        tracing::warn!("{why}; running the rollback command");
        let o = run::run_shell(rb, &plan.env, signals, plan.grace).await;
        rep.rollback = Some(match o {
            Outcome::Cancelled(r) => {
                got = Some(r);
                rep.rollback_interrupted = true;
                format!(
                    "rollback interrupted by {}: it was stopped before it finished",
                    r.name
                )
            }
            _ => o.text("rollback"),
        });
    }
    let (state, desc) = if let Some(r) = got {
        rep.signal = Some(r.name.to_string());
        let d = if !started_command {
            format!("cancelled by {} before the deploy command started", r.name)
        } else if matches!(outcome, Outcome::Cancelled(_)) {
            outcome.text("deploy command")
        } else if rep.rollback_interrupted
            && let Some(why) = &failed
        {
            format!("rollback interrupted by {} after: {why}", r.name)
        } else if let Some(why) = &failed {
            format!("cancelled by {} during the rollback after: {why}", r.name)
        } else {
            format!("cancelled by {} during the health checks", r.name)
        };
        ("error", d)
    } else if let Some(why) = failed {
        let d = match &rep.rollback {
            Some(rb) => format!("{why}; {rb}"),
            None => why,
        };
        ("failure", d)
    } else {
        (
            "success",
            format!(
                "deployed to {environment} in {} s",
                started.elapsed().as_secs()
            ),
        )
    };
    rep.state = state.into();
    rep.description = description(&desc);
    let fin = Status {
        state: state.into(),
        description: rep.description.clone(),
        log_url: plan.log_url.clone(),
        environment_url: (state == "success")
            .then(|| plan.environment_url.clone())
            .flatten(),
        auto_inactive: plan.auto_inactive,
    };
    // After a signal the runner kills the process soon (SIGINT, then SIGTERM 7.5 s later,
    // then SIGKILL 2.5 s after that): the final status gets a bounded time, retries included.
    let written = if got.is_some() {
        match tokio::time::timeout(CANCELLED_STATUS_TIME, set_status(c, id, &fin)).await {
            Ok(r) => r,
            Err(_) => Err(GitHubError::Transport {
                method: "POST".into(),
                path: c.repo_path(&format!("/deployments/{id}/statuses")),
                message: format!(
                    "no answer within {} s after the signal",
                    CANCELLED_STATUS_TIME.as_secs()
                ),
            }),
        }
    } else {
        set_status(c, id, &fin).await
    };
    // An `in_progress` abandoned in flight may have landed after the final status: look, and
    // write the final status again if it did.
    if in_flight && written.is_ok() {
        let again = async {
            if latest_state(c, id).await.as_deref() == Some("in_progress") {
                tracing::warn!("in_progress arrived after the final status; writing it again");
                set_status(c, id, &fin).await
            } else {
                Ok(())
            }
        };
        if let Ok(Err(e)) = tokio::time::timeout(IN_PROGRESS_WAIT, again).await {
            tracing::error!(
                "cannot write the final status `{state}` of deployment {id} again: {e}"
            );
        }
    }
    match written {
        Ok(()) => rep.status_written = true,
        Err(e) => {
            tracing::error!("cannot write the final status `{state}` of deployment {id}: {e}")
        }
    }
    rep.seconds = started.elapsed().as_secs_f64();
    (rep, got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_urls_and_encoding() {
        let vars = |k: &str| match k {
            "GITHUB_SERVER_URL" => Some("https://ghes.example/".to_string()),
            "GITHUB_REPOSITORY" => Some("o/r".to_string()),
            "GITHUB_RUN_ID" => Some("77".to_string()),
            "GITHUB_RUN_ATTEMPT" => Some("2".to_string()),
            _ => None,
        };
        assert_eq!(
            log_url(vars).as_deref(),
            Some("https://ghes.example/o/r/actions/runs/77/attempts/2")
        );
        assert_eq!(log_url(|_| None), None);
        assert_eq!(percent("prod env/1"), "prod%20env%2F1");
    }
}
