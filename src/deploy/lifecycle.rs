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
use std::future::Future;
use std::pin::Pin;
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

/// A status request under way.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<(), GitHubError>> + 'a>>;

/// How setting `in_progress` ended.
pub enum Begun<'a> {
    /// It was written.
    Set,
    /// It could not be written.
    Failed(GitHubError),
    /// A signal came first: before the request was sent (it is not sent then) or while it was
    /// under way. `pending` is the request when it was still unanswered [`IN_PROGRESS_WAIT`]
    /// after the signal: it may still land, so it is kept going for [`finish_cancelled`].
    Cancelled {
        /// The signal.
        signal: Received,
        /// The `in_progress` request still under way.
        pending: Option<Pending<'a>>,
    },
}

/// Sets `status` (`in_progress`) on deployment `id`, unless a signal comes first or while it
/// is sent. A signal received while the deployment was being created cancels at once.
pub async fn begin<'a>(
    c: &'a Client,
    id: u64,
    status: &Status,
    signals: &mut Signals,
) -> Begun<'a> {
    if let Ok(signal) = tokio::time::timeout(Duration::ZERO, signals.recv()).await {
        return Begun::Cancelled {
            signal,
            pending: None,
        };
    }
    let s = status.clone();
    let mut ip: Pending<'a> = Box::pin(async move { set_status(c, id, &s).await });
    let signal = tokio::select! {
        biased;
        r = &mut ip => return match r {
            Ok(()) => Begun::Set,
            Err(e) => Begun::Failed(e),
        },
        r = signals.recv() => r,
    };
    // Let the request under way finish first (bounded), so that `in_progress` cannot arrive
    // after the final status.
    let pending = match tokio::time::timeout(IN_PROGRESS_WAIT, &mut ip).await {
        Ok(_) => None,
        Err(_) => Some(ip),
    };
    Begun::Cancelled { signal, pending }
}

/// Drives `p` to its end (its result does not matter: what landed is read back) and empties it.
async fn settle(p: &mut Option<Pending<'_>>) {
    if let Some(f) = p.as_mut() {
        let _ = f.await;
    }
    *p = None;
}

/// Writes the final status `fin` of deployment `id` after a signal, within
/// [`CANCELLED_STATUS_TIME`] (retries included). When an `in_progress` request is still under
/// way (`pending`), it is kept going meanwhile and awaited until that same deadline; then the
/// newest status is read back and `fin` written again if `in_progress` came last (at most
/// [`IN_PROGRESS_WAIT`] more). With [`begin`]'s wait, 8 s at most after the signal, within the
/// 10 s the runner leaves between SIGINT and SIGKILL. An `in_progress` that lands later still
/// (GitHub holding a request more than 6 s) cannot be seen from here.
pub async fn finish_cancelled(
    c: &Client,
    id: u64,
    fin: &Status,
    pending: Option<Pending<'_>>,
) -> Result<(), GitHubError> {
    let deadline = tokio::time::Instant::now() + CANCELLED_STATUS_TIME;
    let had_pending = pending.is_some();
    let mut pending = pending;
    let write = tokio::time::timeout_at(deadline, set_status(c, id, fin));
    tokio::pin!(write);
    let written = loop {
        tokio::select! {
            biased;
            w = &mut write => break w,
            _ = settle(&mut pending), if pending.is_some() => {}
        }
    };
    let written = written.unwrap_or_else(|_| {
        Err(GitHubError::Transport {
            method: "POST".into(),
            path: c.repo_path(&format!("/deployments/{id}/statuses")),
            message: format!(
                "no answer within {} s after the signal",
                CANCELLED_STATUS_TIME.as_secs()
            ),
        })
    });
    if !had_pending || written.is_err() {
        return written;
    }
    // The abandoned `in_progress` gets until the deadline to land or fail; then the newest
    // status tells whether it came after the final one.
    if tokio::time::timeout_at(deadline, settle(&mut pending))
        .await
        .is_err()
    {
        tracing::warn!(
            "the in_progress status of deployment {id} is still unanswered; it may land after the final status"
        );
    }
    drop(pending);
    let again = async {
        if latest_state(c, id).await.as_deref() == Some("in_progress") {
            tracing::warn!("in_progress arrived after the final status; writing it again");
            set_status(c, id, fin).await
        } else {
            Ok(())
        }
    };
    match tokio::time::timeout(IN_PROGRESS_WAIT, again).await {
        Ok(Err(e)) => tracing::error!(
            "cannot write the final status `{}` of deployment {id} again: {e}",
            fin.state
        ),
        Err(_) => tracing::error!(
            "cannot check within {} s that the final status `{}` of deployment {id} came last",
            IN_PROGRESS_WAIT.as_secs(),
            fin.state
        ),
        Ok(Ok(())) => {}
    }
    written
}

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
    // An `in_progress` request still under way when the signal came.
    let mut pending: Option<Pending<'_>> = None;
    match begin(c, id, &in_progress, signals).await {
        Begun::Set => {}
        // A failure to say `in_progress` does not stop the deployment; the final status
        // matters.
        Begun::Failed(e) => tracing::warn!("cannot set the deployment in_progress: {e}"),
        Begun::Cancelled { signal, pending: p } => {
            got = Some(signal);
            pending = p;
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
    let written = if got.is_some() {
        finish_cancelled(c, id, &fin, pending).await
    } else {
        set_status(c, id, &fin).await
    };
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
