//! `environment plan|apply` against GitHub: read each environment of the file and its branch
//! and tag policies, plan, then write only what differs (PUT the environment when a setting
//! differs, then delete and create policies). Running it twice changes nothing the second
//! time.

use super::environment::{Current, EnvironmentsFile, Plan, RefPolicy, Reviewer, plan, put_body};
use super::lifecycle::percent;
use crate::github::{Client, GitHubError, Method};
use std::collections::BTreeMap;

/// Why planning or applying failed.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The token may not administer environments.
    #[error(
        "{method} {path}: GitHub refused ({message}). Managing environments needs a token with the repository permission \
Administration: write on {repo}; a workflow's GITHUB_TOKEN can never have it (`permissions:` has no `administration` key). \
Use a fine-grained personal access token or a GitHub App installation token with Administration: Read and write on {repo}, \
kept as a secret and given to this step as GITHUB_TOKEN (or the action's `token` input)"
    )]
    NeedsAdministration {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
        /// `owner/name`.
        repo: String,
    },
    /// A reviewer's name is unknown to GitHub (found before any write).
    #[error("{reviewer}: {why}")]
    UnknownReviewer {
        /// The environment whose `reviewers` names it.
        environment: String,
        /// `user LOGIN` or `team SLUG`.
        reviewer: String,
        /// What GitHub said, and what to check.
        why: String,
    },
    /// The token may not read the organisation's teams, so a team named by slug cannot be
    /// resolved to its id.
    #[error(
        "{method} {path}: GitHub refused ({message}). Looking a reviewer team up by its slug needs a token that may read \
the teams of {org}: the organization permission Members: read (fine-grained token or GitHub App), or the read:org scope \
(classic token); or give the team's `id` in the environments file"
    )]
    NeedsMembersRead {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
        /// The organisation.
        org: String,
    },
    /// GitHub refused an environment's reviewers (422 on the PUT that sets them): the usual
    /// cause is a reviewer without read access to the repository.
    #[error(
        "GitHub refused the reviewers of environment {environment} ({message}). Required reviewers must have at least \
read access to {repo}: make each user a collaborator of the repository (or a member of the organisation that owns it) and \
give each team access to the repository, then apply again"
    )]
    ReviewersRefused {
        /// The environment.
        environment: String,
        /// GitHub's message.
        message: String,
        /// `owner/name`.
        repo: String,
    },
    /// Another GitHub failure.
    #[error(transparent)]
    GitHub(#[from] GitHubError),
}

fn explain(c: &Client, e: GitHubError) -> ApplyError {
    match e.root() {
        GitHubError::NotPermitted {
            method,
            path,
            message,
            ..
        } => ApplyError::NeedsAdministration {
            method: method.clone(),
            path: path.clone(),
            message: message.clone(),
            repo: c.repository().to_string(),
        },
        _ => ApplyError::GitHub(e),
    }
}

fn env_path(c: &Client, name: &str) -> String {
    c.repo_path(&format!("/environments/{}", percent(name)))
}

/// The current state of one environment, `None` when it does not exist.
pub async fn current(c: &Client, name: &str) -> Result<Option<Current>, ApplyError> {
    let r = match c.get(&env_path(c, name)).await {
        Ok(r) => r,
        Err(e) if matches!(e.root(), GitHubError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(explain(c, e)),
    };
    let mut cur = Current::from_api(&r.body);
    if cur
        .deployment_branch_policy
        .is_some_and(|p| p.custom_branch_policies)
    {
        let list = c
            .get_all(
                &format!("{}/deployment-branch-policies", env_path(c, name)),
                Some("branch_policies"),
            )
            .await
            .map_err(|e| explain(c, e))?;
        for p in list {
            cur.policies.push(RefPolicy {
                id: p["id"].as_u64().unwrap_or(0),
                name: p["name"].as_str().unwrap_or_default().to_string(),
                kind: p["type"].as_str().unwrap_or("branch").to_string(),
            });
        }
    }
    Ok(Some(cur))
}

/// The current state of every environment of the file.
pub async fn read_all(
    c: &Client,
    file: &EnvironmentsFile,
) -> Result<BTreeMap<String, Current>, ApplyError> {
    let mut out = BTreeMap::new();
    for name in file.environments.keys() {
        if let Some(cur) = current(c, name).await? {
            out.insert(name.clone(), cur);
        }
    }
    Ok(out)
}

/// The plan for the file against the repository.
pub async fn plan_for(
    c: &Client,
    file: &EnvironmentsFile,
) -> Result<(Plan, BTreeMap<String, Current>), ApplyError> {
    let cur = read_all(c, file).await?;
    Ok((plan(file, &cur), cur))
}

/// A reviewer's id: given in the file, known from the environment, else looked up by name
/// (`GET /users/{login}`; `GET /orgs/{owner}/teams/{slug}`, since teams belong to the
/// organisation that owns the repository).
async fn reviewer_id(
    c: &Client,
    environment: &str,
    r: &Reviewer,
    cur: Option<&Current>,
) -> Result<u64, ApplyError> {
    if let Some(id) = r.id {
        return Ok(id);
    }
    if let Some(id) = cur.and_then(|cur| {
        cur.reviewer_ids
            .iter()
            .find(|(k, _)| *k == r.key())
            .map(|(_, id)| *id)
    }) {
        return Ok(id);
    }
    let owner = c.repository().split('/').next().unwrap_or_default();
    let (path, why) = match r.kind() {
        "Team" => (
            format!("/orgs/{}/teams/{}", percent(owner), percent(r.name())),
            format!(
                "no team `{}` in the organisation `{owner}` (GitHub answered 404; teams belong to the organisation owning the repository, and a user's repository has none): check the slug, or give the team's `id`",
                r.name()
            ),
        ),
        _ => (
            format!("/users/{}", percent(r.name())),
            format!(
                "no GitHub user `{}` (GitHub answered 404): check the login, or give the user's `id`",
                r.name()
            ),
        ),
    };
    let unknown = |why: String| ApplyError::UnknownReviewer {
        environment: environment.to_string(),
        reviewer: r.to_string(),
        why,
    };
    match c.get(&path).await {
        // `/users/{name}` answers organisations too; only people review.
        Ok(v) if r.kind() == "User" && v.body["type"] == "Organization" => Err(unknown(format!(
            "`{}` is an organisation, not a user: name a team of it with `team:`",
            r.name()
        ))),
        Ok(v) => v.body["id"]
            .as_u64()
            .ok_or_else(|| unknown(format!("GET {path} answered without an id"))),
        Err(e) if matches!(e.root(), GitHubError::NotFound { .. }) => Err(unknown(why)),
        Err(e) if r.kind() == "Team" => match e.root() {
            GitHubError::NotPermitted {
                method,
                path,
                message,
                ..
            } => Err(ApplyError::NeedsMembersRead {
                method: method.clone(),
                path: path.clone(),
                message: message.clone(),
                org: owner.to_string(),
            }),
            _ => Err(ApplyError::GitHub(e)),
        },
        Err(e) => Err(explain(c, e)),
    }
}

/// The reviewers' (kind, id) of every environment the plan writes, all looked up before any
/// write, so an unknown name changes nothing.
pub async fn reviewer_ids(
    c: &Client,
    file: &EnvironmentsFile,
    p: &Plan,
    cur: &BTreeMap<String, Current>,
) -> Result<BTreeMap<String, Vec<(&'static str, u64)>>, ApplyError> {
    let mut out = BTreeMap::new();
    for e in p.environments.iter().filter(|e| e.put) {
        let Some(want) = file.environments.get(&e.name) else {
            continue;
        };
        let mut ids = Vec::new();
        for r in &want.reviewers {
            ids.push((
                r.kind(),
                reviewer_id(c, &e.name, r, cur.get(&e.name)).await?,
            ));
        }
        out.insert(e.name.clone(), ids);
    }
    Ok(out)
}

/// Carries out the plan; returns the number of requests that changed something.
pub async fn apply(
    c: &Client,
    file: &EnvironmentsFile,
    p: &Plan,
    cur: &BTreeMap<String, Current>,
) -> Result<usize, ApplyError> {
    use super::environment::Change;
    let ids = reviewer_ids(c, file, p, cur).await?;
    let mut writes = 0;
    for e in &p.environments {
        let Some(want) = file.environments.get(&e.name) else {
            continue;
        };
        if e.put {
            let none = Vec::new();
            let body = put_body(want, ids.get(&e.name).unwrap_or(&none));
            c.send(Method::PUT, &env_path(c, &e.name), Some(&body))
                .await
                .map_err(|err| match err.root() {
                    GitHubError::Validation { message, .. } if !want.reviewers.is_empty() => {
                        ApplyError::ReviewersRefused {
                            environment: e.name.clone(),
                            message: message.clone(),
                            repo: c.repository().to_string(),
                        }
                    }
                    _ => explain(c, err),
                })?;
            writes += 1;
        }
        let base = format!("{}/deployment-branch-policies", env_path(c, &e.name));
        for ch in &e.changes {
            match ch {
                Change::RemovePolicy { id, .. } => {
                    c.delete(&format!("{base}/{id}"))
                        .await
                        .map_err(|err| explain(c, err))?;
                    writes += 1;
                }
                Change::AddPolicy { kind, name } => {
                    let body = serde_json::json!({"name": name, "type": kind});
                    c.send(Method::POST, &base, Some(&body))
                        .await
                        .map_err(|err| explain(c, err))?;
                    writes += 1;
                }
                _ => {}
            }
        }
    }
    Ok(writes)
}
