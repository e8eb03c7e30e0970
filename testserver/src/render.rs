//! GitHub's JSON shapes for what the server keeps. Every object carries every property its
//! schema requires; the response check proves it on each answer.

use serde_json::{Value, json};

use crate::state::{
    CheckRun, Comment, Deployment, DeploymentStatus, Environment, Issue, Pull, Release, Repo,
    State, Status, User, WorkflowRun, iso,
};

/// The two roots URLs are built on: the API's (with `/api/v3` for GHES) and the web's.
#[derive(Clone, Debug)]
pub struct Urls {
    pub api: String,
    pub web: String,
}

impl Urls {
    pub fn repo(&self, r: &Repo) -> String {
        format!("{}/repos/{}/{}", self.api, r.owner, r.name)
    }

    pub fn repo_web(&self, r: &Repo) -> String {
        format!("{}/{}/{}", self.web, r.owner, r.name)
    }
}

pub fn node_id(prefix: &str, id: u64) -> String {
    format!("{prefix}_kgDO{id:08X}")
}

pub fn user(u: &User, urls: &Urls) -> Value {
    let api = format!("{}/users/{}", urls.api, u.login);
    json!({
        "login": u.login,
        "id": u.id,
        "node_id": node_id("U", u.id),
        "avatar_url": format!("{}/avatars/u/{}?v=4", urls.web, u.id),
        "gravatar_id": "",
        "url": api,
        "html_url": format!("{}/{}", urls.web, u.login),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": u.kind,
        "user_view_type": "public",
        "site_admin": false
    })
}

pub fn user_named(st: &State, login: &str, urls: &Urls) -> Value {
    user(&st.user_ref(login), urls)
}

/// The GitHub Actions app, which owns the check runs that `GITHUB_TOKEN` creates.
pub fn app(urls: &Urls) -> Value {
    let owner = User {
        id: 9_919,
        login: "github".into(),
        kind: "Organization",
    };
    json!({
        "id": 15_368,
        "slug": "github-actions",
        "node_id": "MDM6QXBwMTUzNjg=",
        "client_id": "Iv1.05c79e9ad1f6bdfa",
        "owner": user(&owner, urls),
        "name": "GitHub Actions",
        "description": "Automate your workflow from idea to production",
        "external_url": "https://help.github.com/en/actions",
        "html_url": format!("{}/apps/github-actions", urls.web),
        "created_at": "2018-07-30T09:30:17Z",
        "updated_at": "2024-04-10T20:33:16Z",
        "permissions": {
            "actions": "write", "checks": "write", "contents": "write", "deployments": "write",
            "issues": "write", "metadata": "read", "pull_requests": "write",
            "security_events": "write", "statuses": "write"
        },
        "events": ["branch_protection_rule", "check_run", "check_suite", "create", "delete",
            "deployment", "deployment_status", "issue_comment", "issues", "pull_request",
            "push", "release", "status", "workflow_dispatch", "workflow_run"]
    })
}

/// A repository with every property of `full-repository`, which also satisfies `repository`,
/// `minimal-repository` and `nullable-repository`.
pub fn repo(st: &State, r: &Repo, urls: &Urls, with_family: bool) -> Value {
    let owner = user_named(st, &r.owner, urls);
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let forks = st.repos.iter().filter(|x| x.parent == Some(r.id)).count();
    let open = r
        .issues
        .iter()
        .filter(|i| i.pull.as_ref().is_none_or(|p| p.state == "open"))
        .count();
    let host = urls
        .web
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    let mut v = json!({
        "id": r.id,
        "node_id": node_id("R", r.id),
        "name": r.name,
        "full_name": r.full_name(),
        "private": r.private,
        "visibility": if r.private { "private" } else { "public" },
        "owner": owner,
        "html_url": web,
        "description": r.description,
        "fork": r.parent.is_some(),
        "url": api,
        "archive_url": format!("{api}/{{archive_format}}{{/ref}}"),
        "assignees_url": format!("{api}/assignees{{/user}}"),
        "blobs_url": format!("{api}/git/blobs{{/sha}}"),
        "branches_url": format!("{api}/branches{{/branch}}"),
        "collaborators_url": format!("{api}/collaborators{{/collaborator}}"),
        "comments_url": format!("{api}/comments{{/number}}"),
        "commits_url": format!("{api}/commits{{/sha}}"),
        "compare_url": format!("{api}/compare/{{base}}...{{head}}"),
        "contents_url": format!("{api}/contents/{{+path}}"),
        "contributors_url": format!("{api}/contributors"),
        "deployments_url": format!("{api}/deployments"),
        "downloads_url": format!("{api}/downloads"),
        "events_url": format!("{api}/events"),
        "forks_url": format!("{api}/forks"),
        "git_commits_url": format!("{api}/git/commits{{/sha}}"),
        "git_refs_url": format!("{api}/git/refs{{/sha}}"),
        "git_tags_url": format!("{api}/git/tags{{/sha}}"),
        "git_url": format!("git://{host}/{}.git", r.full_name()),
        "hooks_url": format!("{api}/hooks"),
        "issue_comment_url": format!("{api}/issues/comments{{/number}}"),
        "issue_events_url": format!("{api}/issues/events{{/number}}"),
        "issues_url": format!("{api}/issues{{/number}}"),
        "keys_url": format!("{api}/keys{{/key_id}}"),
        "labels_url": format!("{api}/labels{{/name}}"),
        "languages_url": format!("{api}/languages"),
        "merges_url": format!("{api}/merges"),
        "milestones_url": format!("{api}/milestones{{/number}}"),
        "notifications_url": format!("{api}/notifications{{?since,all,participating}}"),
        "pulls_url": format!("{api}/pulls{{/number}}"),
        "releases_url": format!("{api}/releases{{/id}}"),
        "ssh_url": format!("git@{host}:{}.git", r.full_name()),
        "stargazers_url": format!("{api}/stargazers"),
        "statuses_url": format!("{api}/statuses/{{sha}}"),
        "subscribers_url": format!("{api}/subscribers"),
        "subscription_url": format!("{api}/subscription"),
        "tags_url": format!("{api}/tags"),
        "teams_url": format!("{api}/teams"),
        "trees_url": format!("{api}/git/trees{{/sha}}"),
        "clone_url": format!("{web}.git"),
        "mirror_url": null,
        "svn_url": web,
        "homepage": null,
        "language": null,
        "forks_count": forks,
        "forks": forks,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 0,
        "default_branch": r.default_branch,
        "open_issues_count": open,
        "open_issues": open,
        "is_template": false,
        "topics": [],
        "has_issues": true,
        "has_projects": true,
        "has_wiki": true,
        "has_pages": false,
        "has_downloads": true,
        "has_discussions": false,
        "archived": r.archived,
        "disabled": false,
        "pushed_at": iso(r.updated),
        "created_at": iso(r.created),
        "updated_at": iso(r.updated),
        "allow_rebase_merge": true,
        "allow_squash_merge": true,
        "allow_merge_commit": true,
        "allow_auto_merge": false,
        "delete_branch_on_merge": false,
        "allow_forking": true,
        "web_commit_signoff_required": false,
        "license": null,
        "network_count": forks,
        "subscribers_count": 0
    });
    if with_family {
        if let Some(parent) = r.parent.and_then(|p| st.repo_by_id(p)).cloned() {
            let mut source = parent.clone();
            while let Some(up) = source.parent.and_then(|p| st.repo_by_id(p)).cloned() {
                source = up;
            }
            v["parent"] = repo(st, &parent, urls, false);
            v["source"] = repo(st, &source, urls, false);
        }
    }
    v
}

pub fn git_user(login: &str, time: u64) -> Value {
    json!({"name": login, "email": format!("{login}@users.noreply.github.com"), "date": iso(time)})
}

/// A commit in the `commit` schema (compare's `commits`, `base_commit`...).
pub fn commit(st: &State, r: &Repo, sha: &str, urls: &Urls) -> Value {
    let Some(c) = st.commits.get(sha).cloned() else {
        return Value::Null;
    };
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let author = user_named(st, &c.author, urls);
    json!({
        "sha": c.sha,
        "node_id": format!("C_kwDO{}", &c.sha[..c.sha.len().min(16)]),
        "url": format!("{api}/commits/{}", c.sha),
        "html_url": format!("{web}/commit/{}", c.sha),
        "comments_url": format!("{api}/commits/{}/comments", c.sha),
        "commit": {
            "url": format!("{api}/git/commits/{}", c.sha),
            "author": git_user(&c.author, c.time),
            "committer": git_user(&c.author, c.time),
            "message": c.message,
            "tree": {"sha": tree_sha(&c.sha), "url": format!("{api}/git/trees/{}", tree_sha(&c.sha))},
            "comment_count": 0,
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null}
        },
        "author": author.clone(),
        "committer": author,
        "parents": c.parents.iter().map(|p| json!({
            "sha": p, "url": format!("{api}/commits/{p}"), "html_url": format!("{web}/commit/{p}")
        })).collect::<Vec<_>>()
    })
}

pub fn tree_sha(sha: &str) -> String {
    sha.chars().rev().collect()
}

/// A file of a diff (`diff-entry`); the patch is left out above `max_patch_bytes`, as GitHub
/// leaves out the patch of large files.
pub fn diff_entry(
    f: &crate::FileChange,
    r: &Repo,
    head: &str,
    urls: &Urls,
    max_patch: usize,
) -> Value {
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let mut v = json!({
        "sha": blob_sha(&f.filename, head),
        "filename": f.filename,
        "status": f.status,
        "additions": f.additions,
        "deletions": f.deletions,
        "changes": f.additions + f.deletions,
        "blob_url": format!("{web}/blob/{head}/{}", f.filename),
        "raw_url": format!("{web}/raw/{head}/{}", f.filename),
        "contents_url": format!("{api}/contents/{}?ref={head}", f.filename),
    });
    if let Some(p) = f.patch.as_ref().filter(|p| p.len() <= max_patch) {
        v["patch"] = json!(p);
    }
    if let Some(prev) = &f.previous_filename {
        v["previous_filename"] = json!(prev);
    }
    v
}

fn blob_sha(name: &str, head: &str) -> String {
    let mut h: u64 = 0x811c_9dc5;
    for b in name.bytes().chain(head.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!(
        "{h:016x}{:016x}{:08x}",
        h.rotate_left(17),
        h as u32 ^ 0x5bd1_e995
    )
}

fn label_free_links(api: &str, web: &str, n: u64, head_sha: &str) -> Value {
    json!({
        "self": {"href": format!("{api}/pulls/{n}")},
        "html": {"href": format!("{web}/pull/{n}")},
        "issue": {"href": format!("{api}/issues/{n}")},
        "comments": {"href": format!("{api}/issues/{n}/comments")},
        "review_comments": {"href": format!("{api}/pulls/{n}/comments")},
        "review_comment": {"href": format!("{api}/pulls/comments{{/number}}")},
        "commits": {"href": format!("{api}/pulls/{n}/commits")},
        "statuses": {"href": format!("{api}/statuses/{head_sha}")}
    })
}

/// A pull request: `pull-request` when `full`, otherwise `pull-request-simple`.
pub fn pull(st: &State, r: &Repo, issue: &Issue, p: &Pull, urls: &Urls, full: bool) -> Value {
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let n = issue.number;
    let head_sha = st.pull_head_sha(p).unwrap_or_default();
    let base_sha = r.branches.get(&p.base_ref).cloned().unwrap_or_default();
    let head_repo = st.repo_by_id(p.head_repo).cloned();
    let author = user_named(st, &issue.user, urls);
    let head_owner = head_repo
        .as_ref()
        .map_or_else(|| r.owner.clone(), |h| h.owner.clone());
    let head_repo_json = match &head_repo {
        Some(h) => repo(st, h, urls, false),
        None => Value::Null,
    };
    let head_user = user_named(st, &head_owner, urls);
    let base_user = user_named(st, &r.owner, urls);
    let base_repo_json = repo(st, r, urls, false);
    let closed = p.state == "closed";
    let mut v = json!({
        "url": format!("{api}/pulls/{n}"),
        "id": p.id,
        "node_id": node_id("PR", p.id),
        "html_url": format!("{web}/pull/{n}"),
        "diff_url": format!("{web}/pull/{n}.diff"),
        "patch_url": format!("{web}/pull/{n}.patch"),
        "issue_url": format!("{api}/issues/{n}"),
        "commits_url": format!("{api}/pulls/{n}/commits"),
        "review_comments_url": format!("{api}/pulls/{n}/comments"),
        "review_comment_url": format!("{api}/pulls/comments{{/number}}"),
        "comments_url": format!("{api}/issues/{n}/comments"),
        "statuses_url": format!("{api}/statuses/{head_sha}"),
        "number": n,
        "state": p.state,
        "locked": false,
        "title": issue.title,
        "user": author,
        "body": p.body,
        "labels": [],
        "milestone": null,
        "active_lock_reason": null,
        "created_at": iso(issue.created),
        "updated_at": iso(issue.updated),
        "closed_at": if closed { json!(iso(issue.updated)) } else { Value::Null },
        "merged_at": if p.merged { json!(iso(issue.updated)) } else { Value::Null },
        "merge_commit_sha": null,
        "assignee": null,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {
            "label": format!("{head_owner}:{}", p.head_ref),
            "ref": p.head_ref,
            "sha": head_sha,
            "user": head_user,
            "repo": head_repo_json
        },
        "base": {
            "label": format!("{}:{}", r.owner, p.base_ref),
            "ref": p.base_ref,
            "sha": base_sha,
            "user": base_user,
            "repo": base_repo_json
        },
        "_links": label_free_links(&api, &web, n, &head_sha),
        "author_association": if issue.user.eq_ignore_ascii_case(&r.owner) { "OWNER" } else { "CONTRIBUTOR" },
        "auto_merge": null,
        "draft": p.draft
    });
    if full {
        let (files, ahead) = pull_diff(st, r, p);
        let comments = r.comments.iter().filter(|c| c.issue == n).count();
        v["merged"] = json!(p.merged);
        v["mergeable"] = json!(!closed);
        v["rebaseable"] = json!(!closed);
        v["mergeable_state"] = json!(if closed { "unknown" } else { "clean" });
        v["merged_by"] = Value::Null;
        v["comments"] = json!(comments);
        v["review_comments"] = json!(0);
        v["maintainer_can_modify"] = json!(p.maintainer_can_modify);
        v["commits"] = json!(ahead.len());
        v["additions"] = json!(files.iter().map(|f| f.additions).sum::<u64>());
        v["deletions"] = json!(files.iter().map(|f| f.deletions).sum::<u64>());
        v["changed_files"] = json!(files.len());
    }
    v
}

/// The files and commits of a pull request: head's commits that the base branch lacks.
pub fn pull_diff(st: &State, r: &Repo, p: &Pull) -> (Vec<crate::FileChange>, Vec<String>) {
    let head = st.pull_head_sha(p).unwrap_or_default();
    let base = r.branches.get(&p.base_ref).cloned().unwrap_or_default();
    let (_, ahead, _) = st.compare(&base, &head);
    (st.files_of(&ahead), ahead)
}

/// `pull-request-minimal`, as listed in check runs and workflow runs.
pub fn pull_minimal(st: &State, r: &Repo, issue: &Issue, p: &Pull, urls: &Urls) -> Value {
    let head = st.repo_by_id(p.head_repo);
    json!({
        "id": p.id,
        "number": issue.number,
        "url": format!("{}/pulls/{}", urls.repo(r), issue.number),
        "head": {
            "ref": p.head_ref,
            "sha": st.pull_head_sha(p).unwrap_or_default(),
            "repo": {"id": head.map_or(0, |h| h.id), "name": head.map_or("", |h| h.name.as_str()), "url": head.map_or_else(String::new, |h| urls.repo(h))}
        },
        "base": {
            "ref": p.base_ref,
            "sha": r.branches.get(&p.base_ref).cloned().unwrap_or_default(),
            "repo": {"id": r.id, "name": r.name, "url": urls.repo(r)}
        }
    })
}

pub fn check_run(st: &State, r: &Repo, c: &CheckRun, urls: &Urls) -> Value {
    let api = urls.repo(r);
    // GitHub lists only pull requests whose head is in the same repository: a fork's pull
    // request is never in `pull_requests`, a trap for code that looks for the PR there.
    let prs: Vec<Value> = r
        .issues
        .iter()
        .filter_map(|i| i.pull.as_ref().map(|p| (i, p)))
        .filter(|(_, p)| p.head_repo == r.id && p.state == "open")
        .filter(|(_, p)| st.pull_head_sha(p).as_deref() == Some(c.head_sha.as_str()))
        .map(|(i, p)| pull_minimal(st, r, i, p, urls))
        .collect();
    json!({
        "id": c.id,
        "node_id": node_id("CR", c.id),
        "head_sha": c.head_sha,
        "external_id": c.external_id.clone().unwrap_or_default(),
        "url": format!("{api}/check-runs/{}", c.id),
        "html_url": format!("{}/runs/{}", urls.repo_web(r), c.id),
        "details_url": c.details_url.clone().unwrap_or_else(|| format!("{}/runs/{}", urls.repo_web(r), c.id)),
        "status": c.status,
        "conclusion": c.conclusion,
        "started_at": c.started_at,
        "completed_at": c.completed_at,
        "output": {
            "title": c.title,
            "summary": c.summary,
            "text": c.text,
            "annotations_count": c.annotations.len(),
            "annotations_url": format!("{api}/check-runs/{}/annotations", c.id)
        },
        "name": c.name,
        "check_suite": {"id": c.check_suite},
        "app": app(urls),
        "pull_requests": prs
    })
}

pub fn comment(st: &State, r: &Repo, c: &Comment, urls: &Urls) -> Value {
    let api = urls.repo(r);
    let is_pull = r
        .issues
        .iter()
        .any(|i| i.number == c.issue && i.pull.is_some());
    let kind = if is_pull { "pull" } else { "issues" };
    let u = user_named(st, &c.user, urls);
    json!({
        "id": c.id,
        "node_id": node_id("IC", c.id),
        "url": format!("{api}/issues/comments/{}", c.id),
        "html_url": format!("{}/{kind}/{}#issuecomment-{}", urls.repo_web(r), c.issue, c.id),
        "body": c.body,
        "user": u,
        "created_at": iso(c.created),
        "updated_at": iso(c.updated),
        "issue_url": format!("{api}/issues/{}", c.issue),
        "author_association": if c.user.ends_with("[bot]") { "NONE" } else { "CONTRIBUTOR" },
        "performed_via_github_app": null,
        "reactions": {
            "url": format!("{api}/issues/comments/{}/reactions", c.id),
            "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0
        }
    })
}

/// A commit status; carries the properties of both `status` and `simple-commit-status`.
pub fn status(st: &State, r: &Repo, s: &Status, urls: &Urls) -> Value {
    let creator = user_named(st, &s.creator, urls);
    json!({
        "url": format!("{}/statuses/{}", urls.repo(r), s.sha),
        "avatar_url": format!("{}/avatars/u/{}?v=4", urls.web, creator["id"]),
        "id": s.id,
        "node_id": node_id("SC", s.id),
        "state": s.state,
        "description": s.description,
        "target_url": s.target_url,
        "context": s.context,
        "created_at": iso(s.created),
        "updated_at": iso(s.created),
        "creator": creator
    })
}

pub fn deployment(st: &State, r: &Repo, d: &Deployment, urls: &Urls) -> Value {
    let api = urls.repo(r);
    let creator = user_named(st, &d.creator, urls);
    json!({
        "url": format!("{api}/deployments/{}", d.id),
        "id": d.id,
        "node_id": node_id("DE", d.id),
        "sha": d.sha,
        "ref": d.git_ref,
        "task": d.task,
        "payload": d.payload,
        "original_environment": d.environment,
        "environment": d.environment,
        "description": d.description,
        "creator": creator,
        "created_at": iso(d.created),
        "updated_at": iso(d.updated),
        "statuses_url": format!("{api}/deployments/{}/statuses", d.id),
        "repository_url": api,
        "transient_environment": d.transient,
        "production_environment": d.production,
        "performed_via_github_app": null
    })
}

pub fn deployment_status(
    st: &State,
    r: &Repo,
    d: &Deployment,
    s: &DeploymentStatus,
    urls: &Urls,
) -> Value {
    let api = urls.repo(r);
    let creator = user_named(st, &s.creator, urls);
    json!({
        "url": format!("{api}/deployments/{}/statuses/{}", d.id, s.id),
        "id": s.id,
        "node_id": node_id("DES", s.id),
        "state": s.state,
        "creator": creator,
        "description": s.description,
        "environment": s.environment,
        "target_url": s.target_url,
        "log_url": s.log_url,
        "environment_url": s.environment_url,
        "created_at": iso(s.created),
        "updated_at": iso(s.created),
        "deployment_url": format!("{api}/deployments/{}", d.id),
        "repository_url": api,
        "performed_via_github_app": null
    })
}

pub fn environment(st: &State, r: &Repo, e: &Environment, urls: &Urls) -> Value {
    let mut rules = Vec::new();
    if e.wait_timer > 0 {
        rules.push(json!({"id": e.rule_ids[0], "node_id": node_id("GA", e.rule_ids[0]), "type": "wait_timer", "wait_timer": e.wait_timer}));
    }
    if !e.reviewers.is_empty() {
        let reviewers: Vec<Value> = e
            .reviewers
            .iter()
            .map(|(kind, id)| {
                if kind == "Team"
                    && let Some(t) = st.teams.iter().find(|t| t.id == *id)
                {
                    return json!({"type": kind, "reviewer": crate::deploy::team(t, urls)});
                }
                let who = st.users.iter().find(|u| u.id == *id).cloned();
                let reviewer = match who {
                    Some(u) => user(&u, urls),
                    None => user(
                        &User {
                            id: *id,
                            login: format!("user{id}"),
                            kind: "User",
                        },
                        urls,
                    ),
                };
                json!({"type": kind, "reviewer": reviewer})
            })
            .collect();
        rules.push(json!({"id": e.rule_ids[1], "node_id": node_id("GA", e.rule_ids[1]), "type": "required_reviewers",
            "prevent_self_review": e.prevent_self_review, "reviewers": reviewers}));
    }
    if e.protected_branches || e.custom_branch_policies {
        rules.push(json!({"id": e.rule_ids[2], "node_id": node_id("GA", e.rule_ids[2]), "type": "branch_policy"}));
    }
    let mut v = json!({
        "id": e.id,
        "node_id": node_id("EN", e.id),
        "name": e.name,
        "url": format!("{}/environments/{}", urls.repo(r), e.name),
        "html_url": format!("{}/deployments/activity_log?environments_filter={}", urls.repo_web(r), e.name),
        "created_at": iso(e.created),
        "updated_at": iso(e.updated),
        "protection_rules": rules,
        "deployment_branch_policy": null
    });
    if e.protected_branches || e.custom_branch_policies {
        v["deployment_branch_policy"] = json!({
            "protected_branches": e.protected_branches,
            "custom_branch_policies": e.custom_branch_policies
        });
    }
    v
}

pub fn release(st: &State, r: &Repo, rel: &Release, urls: &Urls) -> Value {
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let author = user_named(st, &rel.author, urls);
    // github.com answers `uploads.github.com`, a host tests cannot reach; GHES's form
    // (`/api/uploads` on the same host) is used for both.
    let uploads = format!("{}/api/uploads", urls.web);
    json!({
        "url": format!("{api}/releases/{}", rel.id),
        "html_url": if rel.draft { format!("{web}/releases/tag/untagged-{}", rel.id) } else { format!("{web}/releases/tag/{}", rel.tag) },
        "assets_url": format!("{api}/releases/{}/assets", rel.id),
        "upload_url": format!("{uploads}/repos/{}/releases/{}/assets{{?name,label}}", r.full_name(), rel.id),
        "tarball_url": format!("{api}/tarball/{}", rel.tag),
        "zipball_url": format!("{api}/zipball/{}", rel.tag),
        "id": rel.id,
        "node_id": node_id("RE", rel.id),
        "tag_name": rel.tag,
        "target_commitish": rel.target,
        "name": rel.name,
        "body": rel.body,
        "draft": rel.draft,
        "prerelease": rel.prerelease,
        "immutable": false,
        "created_at": iso(rel.created),
        "updated_at": iso(rel.created),
        "published_at": rel.published.map(iso),
        "author": author,
        "assets": []
    })
}

pub fn workflow_run(st: &State, r: &Repo, w: &WorkflowRun, urls: &Urls) -> Value {
    let api = urls.repo(r);
    let web = urls.repo_web(r);
    let head_repo = st
        .repo_by_id(w.head_repo)
        .cloned()
        .unwrap_or_else(|| r.clone());
    let head_commit = st.commits.get(&w.head_sha).cloned();
    let prs: Vec<Value> = r
        .issues
        .iter()
        .filter_map(|i| i.pull.as_ref().map(|p| (i, p)))
        .filter(|(_, p)| p.head_repo == r.id)
        .filter(|(_, p)| st.pull_head_sha(p).as_deref() == Some(w.head_sha.as_str()))
        .map(|(i, p)| pull_minimal(st, r, i, p, urls))
        .collect();
    let actor = user_named(st, &r.owner, urls);
    let head_repo_json = repo(st, &head_repo, urls, false);
    let repo_json = repo(st, r, urls, false);
    json!({
        "id": w.id,
        "name": "CI",
        "node_id": node_id("WFR", w.id),
        "head_branch": w.head_branch,
        "head_sha": w.head_sha,
        "path": ".github/workflows/ci.yml",
        "display_title": head_commit.as_ref().map_or("CI", |c| c.message.lines().next().unwrap_or("CI")),
        "run_number": w.run_number,
        "run_attempt": 1,
        "event": w.event,
        "status": w.status,
        "conclusion": w.conclusion,
        "workflow_id": 161_335,
        "check_suite_id": w.id + 1,
        "check_suite_node_id": node_id("CS", w.id + 1),
        "url": format!("{api}/actions/runs/{}", w.id),
        "html_url": format!("{web}/actions/runs/{}", w.id),
        "pull_requests": prs,
        "created_at": iso(w.created),
        "updated_at": iso(w.created),
        "run_started_at": iso(w.created),
        "actor": actor.clone(),
        "triggering_actor": actor,
        "jobs_url": format!("{api}/actions/runs/{}/jobs", w.id),
        "logs_url": format!("{api}/actions/runs/{}/logs", w.id),
        "check_suite_url": format!("{api}/check-suites/{}", w.id + 1),
        "artifacts_url": format!("{api}/actions/runs/{}/artifacts", w.id),
        "cancel_url": format!("{api}/actions/runs/{}/cancel", w.id),
        "rerun_url": format!("{api}/actions/runs/{}/rerun", w.id),
        "previous_attempt_url": null,
        "workflow_url": format!("{api}/actions/workflows/161335"),
        "head_commit": head_commit.map(|c| json!({
            "id": c.sha,
            "tree_id": tree_sha(&c.sha),
            "message": c.message,
            "timestamp": iso(c.time),
            "author": {"name": c.author, "email": format!("{}@users.noreply.github.com", c.author)},
            "committer": {"name": c.author, "email": format!("{}@users.noreply.github.com", c.author)}
        })),
        "repository": repo_json,
        "head_repository": head_repo_json,
        "head_repository_id": head_repo.id
    })
}
