//! Views of the deployment side of the state for tests: deployments with their statuses in
//! order, releases, workflow runs' pending environments, and the ids users get.

use crate::Server;
use crate::api::seed;
use serde_json::Value;

/// A deployment status as the server keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentStatusView {
    /// `in_progress`, `success`, `failure`, `error`, `inactive`...
    pub state: String,
    /// The description (at most 140 characters).
    pub description: String,
    /// `log_url` (or `target_url`).
    pub log_url: String,
    /// `environment_url`.
    pub environment_url: String,
}

/// A deployment as the server keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentView {
    /// Its id.
    pub id: u64,
    /// The ref it was created for.
    pub git_ref: String,
    /// The commit.
    pub sha: String,
    /// The environment.
    pub environment: String,
    /// The payload.
    pub payload: Value,
    /// `production_environment`.
    pub production: bool,
    /// `transient_environment`.
    pub transient: bool,
    /// Who created it.
    pub creator: String,
    /// Statuses, oldest first.
    pub statuses: Vec<DeploymentStatusView>,
}

/// A release as the server keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseView {
    /// Its id.
    pub id: u64,
    /// The tag.
    pub tag: String,
    /// The name.
    pub name: Option<String>,
    /// The body.
    pub body: Option<String>,
    /// Draft.
    pub draft: bool,
    /// Prerelease.
    pub prerelease: bool,
}

impl Server {
    /// The deployments of a repository, oldest first.
    pub fn deployments(&self, repo: &str) -> Vec<DeploymentView> {
        let st = self.lock();
        seed::find(&st, repo)
            .map(|r| {
                r.deployments
                    .iter()
                    .map(|d| DeploymentView {
                        id: d.id,
                        git_ref: d.git_ref.clone(),
                        sha: d.sha.clone(),
                        environment: d.environment.clone(),
                        payload: d.payload.clone(),
                        production: d.production,
                        transient: d.transient,
                        creator: d.creator.clone(),
                        statuses: d
                            .statuses
                            .iter()
                            .map(|s| DeploymentStatusView {
                                state: s.state.clone(),
                                description: s.description.clone(),
                                log_url: s.log_url.clone(),
                                environment_url: s.environment_url.clone(),
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The releases of a repository, oldest first.
    pub fn releases(&self, repo: &str) -> Vec<ReleaseView> {
        let st = self.lock();
        seed::find(&st, repo)
            .map(|r| {
                r.releases
                    .iter()
                    .map(|x| ReleaseView {
                        id: x.id,
                        tag: x.tag.clone(),
                        name: x.name.clone(),
                        body: x.body.clone(),
                        draft: x.draft,
                        prerelease: x.prerelease,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The environments a workflow run still waits on, and its conclusion.
    pub fn run_pending(&self, repo: &str, run_id: u64) -> (Vec<String>, Option<String>) {
        let st = self.lock();
        seed::find(&st, repo)
            .and_then(|r| r.runs.iter().find(|w| w.id == run_id))
            .map(|w| {
                (
                    w.pending.iter().map(|(n, _)| n.clone()).collect(),
                    w.conclusion.clone(),
                )
            })
            .unwrap_or_default()
    }

    /// The id of a user of this server (created when new), as reviewers are named by id.
    pub fn user_id(&self, login: &str) -> u64 {
        self.lock().user(login).id
    }
}
