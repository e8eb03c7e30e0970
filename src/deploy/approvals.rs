//! Pending deployments of a workflow run: who may approve them and how long the wait timers
//! are; approve or reject them with a comment. GitHub holds a JOB for required reviewers only
//! when the job declares `environment:`; these calls act on those waiting jobs.

use super::lifecycle::percent;
use crate::github::{Client, GitHubError, Method};
use serde::Serialize;
use serde_json::json;

/// One environment a run waits on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pending {
    /// Its name.
    pub environment: String,
    /// Its id (what a review names).
    pub environment_id: u64,
    /// Wait timer, minutes.
    pub wait_timer: u64,
    /// When the wait timer started.
    pub wait_timer_started_at: Option<String>,
    /// Whether the token's user may approve.
    pub current_user_can_approve: bool,
    /// The required reviewers: `user octocat`, `team release-managers`.
    pub reviewers: Vec<String>,
}

/// Why a review was not sent.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The run waits on nothing.
    #[error(
        "workflow run {0} has no pending deployment (only jobs that declare `environment:` wait for reviewers)"
    )]
    NothingPending(u64),
    /// The environment named is not one the run waits on.
    #[error("workflow run {run} is not waiting on environment {environment} (pending: {pending})")]
    NotPending {
        /// The run.
        run: u64,
        /// The name given.
        environment: String,
        /// What is pending.
        pending: String,
    },
    /// The token's user is not a required reviewer.
    #[error(
        "the token's user is not a required reviewer of environment {environment} (reviewers: {reviewers}); approve with the token of one of them"
    )]
    NotAReviewer {
        /// The environment.
        environment: String,
        /// Who may.
        reviewers: String,
    },
    /// GitHub failed.
    #[error(transparent)]
    GitHub(#[from] GitHubError),
}

/// The pending deployments of run `run_id`.
pub async fn list(c: &Client, run_id: u64) -> Result<Vec<Pending>, GitHubError> {
    let r = c
        .get(&c.repo_path(&format!("/actions/runs/{run_id}/pending_deployments")))
        .await?;
    Ok(r.body
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Pending {
            environment: p["environment"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            environment_id: p["environment"]["id"].as_u64().unwrap_or(0),
            wait_timer: p["wait_timer"].as_u64().unwrap_or(0),
            wait_timer_started_at: p["wait_timer_started_at"].as_str().map(str::to_string),
            current_user_can_approve: p["current_user_can_approve"].as_bool().unwrap_or(false),
            reviewers: p["reviewers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| match r["type"].as_str() {
                    Some("Team") => format!(
                        "team {}",
                        r["reviewer"]["slug"].as_str().unwrap_or_default()
                    ),
                    _ => format!(
                        "user {}",
                        r["reviewer"]["login"].as_str().unwrap_or_default()
                    ),
                })
                .collect(),
        })
        .collect())
}

/// The pending list as text.
pub fn text(list: &[Pending]) -> String {
    if list.is_empty() {
        return "no pending deployments\n".into();
    }
    let mut s = String::new();
    for p in list {
        s.push_str(&format!(
            "{} (id {}): wait timer {} min{}; reviewers: {}; you {} approve\n",
            p.environment,
            p.environment_id,
            p.wait_timer,
            p.wait_timer_started_at
                .as_deref()
                .map_or_else(String::new, |t| format!(" from {t}")),
            if p.reviewers.is_empty() {
                "none".into()
            } else {
                p.reviewers.join(", ")
            },
            if p.current_user_can_approve {
                "can"
            } else {
                "cannot"
            }
        ));
    }
    s
}

/// Approves or rejects the named environments (all pending ones when `names` is empty) of run
/// `run_id`; returns the environments reviewed.
pub async fn review(
    c: &Client,
    run_id: u64,
    names: &[String],
    approve: bool,
    comment: &str,
) -> Result<Vec<String>, ReviewError> {
    let pending = list(c, run_id).await?;
    if pending.is_empty() {
        return Err(ReviewError::NothingPending(run_id));
    }
    let chosen: Vec<&Pending> = if names.is_empty() {
        pending.iter().collect()
    } else {
        let mut v = Vec::new();
        for n in names {
            match pending.iter().find(|p| &p.environment == n) {
                Some(p) => v.push(p),
                None => {
                    return Err(ReviewError::NotPending {
                        run: run_id,
                        environment: n.clone(),
                        pending: pending
                            .iter()
                            .map(|p| p.environment.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        v
    };
    if let Some(p) = chosen.iter().find(|p| !p.current_user_can_approve) {
        return Err(ReviewError::NotAReviewer {
            environment: p.environment.clone(),
            reviewers: p.reviewers.join(", "),
        });
    }
    let body = json!({
        "environment_ids": chosen.iter().map(|p| p.environment_id).collect::<Vec<_>>(),
        "state": if approve { "approved" } else { "rejected" },
        "comment": comment,
    });
    c.send(
        Method::POST,
        &c.repo_path(&format!(
            "/actions/runs/{}/pending_deployments",
            percent(&run_id.to_string())
        )),
        Some(&body),
    )
    .await?;
    Ok(chosen.iter().map(|p| p.environment.clone()).collect())
}
