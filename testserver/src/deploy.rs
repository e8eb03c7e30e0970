//! Views of the deployment side of the state for tests: deployments with their statuses in
//! order, releases, workflow runs' pending environments, and the ids users get; and the
//! operations added to `../shared`'s subset from the full description (`widen.rs`): users and
//! teams by name, and release updates.

use crate::api::{self, Res, seed};
use crate::http::{Call, Caller, Reply};
use crate::render::{self, Urls};
use crate::state::{State, Team, User, iso, now};
use crate::{Access, Server};
use serde_json::{Value, json};

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

// ---- users, organisations and teams (reviewers named in `environment apply`) -------------------

/// A user of this server as `GET /users/{username}` answers (`public-user`).
fn public_user(u: &User, urls: &Urls) -> Value {
    let mut v = render::user(u, urls);
    let extra = json!({
        "name": u.login,
        "company": null,
        "blog": "",
        "location": null,
        "email": null,
        "hireable": null,
        "bio": null,
        "twitter_username": null,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2020-01-01T00:00:00Z"
    });
    if let (Some(m), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    v
}

/// A team as environments list their reviewers (`team`).
pub(crate) fn team(t: &Team, urls: &Urls) -> Value {
    let api = format!("{}/organizations/{}/team/{}", urls.api, t.org, t.id);
    json!({
        "id": t.id,
        "node_id": render::node_id("T", t.id),
        "url": api,
        "html_url": format!("{}/orgs/{}/teams/{}", urls.web, t.org, t.slug),
        "name": t.name,
        "slug": t.slug,
        "description": null,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": format!("{api}/members{{/member}}"),
        "repositories_url": format!("{api}/repos"),
        "type": "organization",
        "parent": null
    })
}

/// A team as `GET /orgs/{org}/teams/{team_slug}` answers (`team-full`).
fn team_full(st: &State, t: &Team, urls: &Urls) -> Value {
    let org = st.user_ref(&t.org);
    let org_api = format!("{}/orgs/{}", urls.api, org.login);
    let mut v = team(t, urls);
    let extra = json!({
        "members_count": 0,
        "repos_count": st.repos.iter().filter(|r| r.owner.eq_ignore_ascii_case(&t.org)).count(),
        "created_at": iso(t.created),
        "updated_at": iso(t.created),
        "organization_id": org.id,
        "organization": {
            "login": org.login,
            "id": org.id,
            "node_id": render::node_id("O", org.id),
            "url": org_api,
            "repos_url": format!("{org_api}/repos"),
            "events_url": format!("{org_api}/events"),
            "hooks_url": format!("{org_api}/hooks"),
            "issues_url": format!("{org_api}/issues"),
            "members_url": format!("{org_api}/members{{/member}}"),
            "public_members_url": format!("{org_api}/public_members{{/member}}"),
            "avatar_url": format!("{}/avatars/u/{}?v=4", urls.web, org.id),
            "description": null,
            "html_url": format!("{}/{}", urls.web, org.login),
            "has_organization_projects": true,
            "has_repository_projects": true,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "type": "Organization",
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": "2020-01-01T00:00:00Z",
            "archived_at": null
        }
    });
    if let (Some(m), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    v
}

/// `GET /users/{username}`: users and organisations this server knows (a token's login, a
/// repository's owner, [`Server::user_id`], [`Server::create_org`]); 404 for others.
pub(crate) fn user_get(st: &mut State, call: &Call) -> Res {
    if let Caller::Token(t) = &call.caller
        && !st.tokens.contains_key(t)
    {
        return Err(Reply::error(401, "Bad credentials", call.docs()));
    }
    let name = call.param("username");
    let u = st
        .users
        .iter()
        .find(|u| u.login.eq_ignore_ascii_case(name))
        .cloned()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(200, public_user(&u, &call.urls)))
}

/// `GET /orgs/{org}/teams/{team_slug}`: teams exist only in organisations, so a user account's
/// name is 404 as on GitHub, and so is an unknown slug.
pub(crate) fn team_get(st: &mut State, call: &Call) -> Res {
    match &call.caller {
        Caller::Anonymous => {
            return Err(Reply::error(401, "Requires authentication", call.docs()));
        }
        Caller::Token(t) if !st.tokens.contains_key(t) => {
            return Err(Reply::error(401, "Bad credentials", call.docs()));
        }
        Caller::Token(t) if st.no_members_read.contains(t) => {
            return Err(Reply::error(
                403,
                "Resource not accessible by personal access token",
                call.docs(),
            ));
        }
        Caller::Token(_) => {}
    }
    let org = call.param("org");
    let slug = call.param("team_slug");
    let is_org = st
        .users
        .iter()
        .any(|u| u.login.eq_ignore_ascii_case(org) && u.kind == "Organization");
    let t = st
        .teams
        .iter()
        .find(|t| is_org && t.org.eq_ignore_ascii_case(org) && t.slug.eq_ignore_ascii_case(slug))
        .cloned()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(200, team_full(st, &t, &call.urls)))
}

/// `PATCH /repos/{owner}/{repo}/releases/{release_id}`: the fields sent change, others stay.
pub(crate) fn release_update(st: &mut State, call: &Call) -> Res {
    let idx = api::repo_for(st, call, |p| p.contents, Access::Write)?;
    let i = api::index_by_id(
        call,
        "release_id",
        st.repos[idx].releases.iter().map(|x| x.id),
    )?;
    let b = api::body(call).clone();
    if let Some(tag) = api::s(&b, "tag_name")
        && st.repos[idx]
            .releases
            .iter()
            .any(|x| x.tag == tag && x.id != st.repos[idx].releases[i].id)
    {
        return Err(Reply::validation(
            call.docs(),
            vec![json!({"resource": "Release", "code": "already_exists", "field": "tag_name"})],
        ));
    }
    let t = now();
    let rel = &mut st.repos[idx].releases[i];
    if let Some(tag) = api::s(&b, "tag_name") {
        rel.tag = tag;
    }
    if let Some(x) = api::s(&b, "target_commitish") {
        rel.target = x;
    }
    if let Some(x) = api::s(&b, "name") {
        rel.name = Some(x);
    }
    if let Some(x) = api::s(&b, "body") {
        rel.body = Some(x);
    }
    if let Some(x) = b.get("prerelease").and_then(Value::as_bool) {
        rel.prerelease = x;
    }
    if let Some(x) = b.get("draft").and_then(Value::as_bool) {
        if rel.draft && !x {
            rel.published = Some(t);
        }
        rel.draft = x;
    }
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::release(st, r, &r.releases[i], &call.urls),
    ))
}

impl Server {
    /// Makes `login` an organisation (created when new); returns its id. Repositories it owns
    /// are organisation-owned, and only organisations have teams.
    pub fn create_org(&self, login: &str) -> u64 {
        let mut st = self.lock();
        let id = st.user(login).id;
        if let Some(u) = st.users.iter_mut().find(|u| u.id == id) {
            u.kind = "Organization";
        }
        id
    }

    /// Creates a team `slug` (named `name`) in the organisation `org`; returns its id. Panics
    /// when `org` is not an organisation of this server (a mistake in the test).
    pub fn create_team(&self, org: &str, slug: &str, name: &str) -> u64 {
        let mut st = self.lock();
        assert!(
            st.users
                .iter()
                .any(|u| u.login.eq_ignore_ascii_case(org) && u.kind == "Organization"),
            "{org} is not an organisation of the test server (create_org first)"
        );
        assert!(
            !st.teams
                .iter()
                .any(|t| t.org.eq_ignore_ascii_case(org) && t.slug.eq_ignore_ascii_case(slug)),
            "team {org}/{slug} exists already"
        );
        let id = st.id();
        let created = now();
        st.teams.push(Team {
            id,
            org: org.to_string(),
            slug: slug.to_string(),
            name: name.to_string(),
            created,
        });
        id
    }

    /// Takes from `token` the organization permission Members: read: reading a team by its
    /// slug answers 403, as GitHub does for such a fine-grained token.
    pub fn deny_members_read(&self, token: &str) {
        self.lock().no_members_read.push(token.to_string());
    }

    /// The required reviewers of an environment, as (`User` or `Team`, id), in the order sent.
    pub fn environment_reviewers(&self, repo: &str, name: &str) -> Vec<(String, u64)> {
        let st = self.lock();
        seed::find(&st, repo)
            .and_then(|r| r.environments.iter().find(|e| e.name == name))
            .map(|e| e.reviewers.clone())
            .unwrap_or_default()
    }
}
