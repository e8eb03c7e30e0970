//! The operations: what each endpoint does to the state and answers.

use serde_json::{Value, json};

use crate::http::{Call, Caller, Reply, field_error};
use crate::render::{self, Urls};
use crate::state::{
    self, BranchPolicy, CheckRun, Comment, Deployment, DeploymentStatus, Environment, Release,
    Sarif, State, Status, iso, now,
};
use crate::{Access, Permissions};

/// GitHub's limit on issue and pull-request comment bodies (stated in its documentation).
pub const COMMENT_MAX: usize = 65_536;
/// GitHub's limit on statuses per commit and context (stated in the operation's description).
pub const STATUSES_PER_CONTEXT: usize = 1_000;
/// GitHub's cap on the files listed for a pull request.
pub const PULL_FILES_MAX: usize = 3_000;
/// The descriptions of commit and deployment statuses are limited to 140 characters.
pub const STATUS_DESCRIPTION_MAX: usize = 140;

pub(crate) type Res = Result<Reply, Reply>;
type Perm = fn(&Permissions) -> Access;

const FORBIDDEN: &str = "Resource not accessible by integration";

pub fn dispatch(st: &mut State, call: &Call) -> Reply {
    let r = match call.op.id.as_str() {
        "rate-limit/get" => rate_limit(st, call),
        "repos/get" => repo_get(st, call),
        "repos/update" => repo_update(st, call),
        "repos/delete" => repo_delete(st, call),
        "actions/get-workflow-run" => run_get(st, call),
        "actions/delete-workflow-run" => run_delete(st, call),
        "actions/get-pending-deployments-for-run" => pending_get(st, call),
        "actions/review-pending-deployments-for-run" => pending_review(st, call),
        "checks/create" => check_create(st, call),
        "checks/get" => check_get(st, call),
        "checks/update" => check_update(st, call),
        "checks/list-annotations" => check_annotations(st, call),
        "checks/list-for-ref" => checks_for_ref(st, call),
        "code-scanning/upload-sarif" => sarif_upload(st, call),
        "code-scanning/get-sarif" => sarif_get(st, call),
        "repos/list-pull-requests-associated-with-commit" => commit_pulls(st, call),
        "repos/get-combined-status-for-ref" => combined_status(st, call),
        "repos/list-commit-statuses-for-ref" => list_statuses(st, call),
        "repos/create-commit-status" => create_status(st, call),
        // The full description also has the older `compare/{base}...{head}` template.
        "repos/compare-commits-with-basehead" | "repos/compare-commits" => compare(st, call),
        "repos/list-deployments" => deployments_list(st, call),
        "repos/create-deployment" => deployment_create(st, call),
        "repos/get-deployment" => deployment_get(st, call),
        "repos/delete-deployment" => deployment_delete(st, call),
        "repos/list-deployment-statuses" => deployment_statuses(st, call),
        "repos/create-deployment-status" => deployment_status_create(st, call),
        "repos/get-deployment-status" => deployment_status_get(st, call),
        "repos/get-all-environments" => environments_list(st, call),
        "repos/get-environment" => environment_get(st, call),
        "repos/create-or-update-environment" => environment_put(st, call),
        "repos/delete-an-environment" => environment_delete(st, call),
        "repos/list-deployment-branch-policies" => policies_list(st, call),
        "repos/create-deployment-branch-policy" => policy_create(st, call),
        "repos/get-deployment-branch-policy" => policy_get(st, call),
        "repos/update-deployment-branch-policy" => policy_update(st, call),
        "repos/delete-deployment-branch-policy" => policy_delete(st, call),
        "issues/list-comments-for-repo" => comments_for_repo(st, call),
        "issues/list-comments" => comments_list(st, call),
        "issues/create-comment" => comment_create(st, call),
        "issues/get-comment" => comment_get(st, call),
        "issues/update-comment" => comment_update(st, call),
        "issues/delete-comment" => comment_delete(st, call),
        "pulls/get" => pull_get(st, call),
        "pulls/update" => pull_update(st, call),
        "pulls/list-files" => pull_files(st, call),
        "repos/list-releases" => releases_list(st, call),
        "repos/create-release" => release_create(st, call),
        "repos/get-release-by-tag" => release_by_tag(st, call),
        // Added to ../shared's subset from the full description (widen.rs).
        "repos/update-release" => crate::deploy::release_update(st, call),
        "users/get-by-username" => crate::deploy::user_get(st, call),
        "teams/get-by-name" => crate::deploy::team_get(st, call),
        other => {
            st.limit_problems.push(format!(
                "{other} is described but not implemented by the test server"
            ));
            Err(Reply::error(404, "Not Found", call.docs()))
        }
    };
    r.unwrap_or_else(|e| e)
}

// ---- access -------------------------------------------------------------------------------

/// The repository of the call, if the caller may see it and has `need` on `perm`.
pub(crate) fn repo_for(st: &State, call: &Call, perm: Perm, need: Access) -> Result<usize, Reply> {
    let idx = st
        .repo_index(call.param("owner"), call.param("repo"))
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    let r = &st.repos[idx];
    let full = r.full_name();
    match &call.caller {
        Caller::Anonymous => {
            if r.private {
                return Err(Reply::not_found(call.docs()));
            }
            if need == Access::Write {
                return Err(Reply::error(401, "Requires authentication", call.docs()));
            }
            Ok(idx)
        }
        Caller::Token(t) => {
            let Some(tok) = st.tokens.get(t) else {
                return Err(Reply::error(401, "Bad credentials", call.docs()));
            };
            let listed = tok
                .repositories
                .as_ref()
                .is_none_or(|l| l.iter().any(|x| x.eq_ignore_ascii_case(&full)));
            if !listed && r.private {
                return Err(Reply::not_found(call.docs()));
            }
            let have = if listed {
                tok.access(&full, perm)
            } else if need == Access::Read {
                // Any token reads public repositories.
                Access::Read
            } else {
                Access::None
            };
            if have < need {
                return Err(Reply::error(403, FORBIDDEN, call.docs()));
            }
            Ok(idx)
        }
    }
}

pub(crate) fn login(st: &State, call: &Call) -> String {
    match &call.caller {
        Caller::Token(t) => st
            .tokens
            .get(t)
            .map_or_else(|| "ghost".into(), |t| t.login.clone()),
        Caller::Anonymous => "ghost".into(),
    }
}

fn can(st: &State, call: &Call, perm: Perm, need: Access) -> bool {
    repo_for(st, call, perm, need).is_ok()
}

pub(crate) fn body<'a>(call: &'a Call) -> &'a Value {
    static EMPTY: Value = Value::Null;
    call.body.as_ref().unwrap_or(&EMPTY)
}

pub(crate) fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

/// Position of the item whose id is the numeric path parameter `param`; 404 when none.
pub(crate) fn index_by_id(
    call: &Call,
    param: &str,
    mut ids: impl Iterator<Item = u64>,
) -> Result<usize, Reply> {
    let id = num_param(call, param)?;
    ids.position(|x| x == id)
        .ok_or_else(|| Reply::not_found(call.docs()))
}

pub(crate) fn num_param(call: &Call, name: &str) -> Result<u64, Reply> {
    call.param(name)
        .parse()
        .map_err(|_| Reply::not_found(call.docs()))
}

fn ok_page(call: &Call, items: Vec<Value>) -> Res {
    let (page, link) = call.paginate(&items);
    let mut r = Reply::json(200, Value::Array(page));
    if let Some(l) = link {
        r = r.with_header("link", l);
    }
    Ok(r)
}

fn limit(st: &mut State, what: String) {
    st.limit_problems.push(what);
}

// ---- rate limit, repository -----------------------------------------------------------------

fn rate_limit(st: &mut State, call: &Call) -> Res {
    let b = match &call.caller {
        Caller::Token(t) => st.tokens.get(t).map(|t| t.bucket.clone()),
        Caller::Anonymous => None,
    }
    .unwrap_or_else(|| st.anonymous.clone());
    let core = json!({"limit": b.limit, "remaining": b.remaining, "reset": b.reset, "used": b.limit - b.remaining, "resource": "core"});
    let fresh = |limit: u64, resource: &str| json!({"limit": limit, "remaining": limit, "reset": now() + 3600, "used": 0, "resource": resource});
    Ok(Reply::json(
        200,
        json!({
            "resources": {
                "core": core,
                "search": fresh(30, "search"),
                "graphql": fresh(5000, "graphql"),
                "integration_manifest": fresh(5000, "integration_manifest"),
                "code_scanning_upload": fresh(1000, "code_scanning_upload")
            },
            "rate": core
        }),
    ))
}

fn repo_json(st: &State, idx: usize, call: &Call) -> Value {
    let r = &st.repos[idx];
    let mut v = render::repo(st, r, &call.urls, true);
    if let Caller::Token(t) = &call.caller {
        if let Some(tok) = st.tokens.get(t) {
            let admin = tok.access(&r.full_name(), |p| p.administration) == Access::Write;
            let push = tok.access(&r.full_name(), |p| p.contents) == Access::Write;
            v["permissions"] = json!({"admin": admin, "maintain": admin, "push": push, "triage": push, "pull": true});
        }
    }
    v
}

fn repo_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |_| Access::Read, Access::Read)?;
    Ok(Reply::json(200, repo_json(st, idx, call)))
}

fn repo_update(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let b = body(call).clone();
    if let Some(branch) = s(&b, "default_branch") {
        if !st.repos[idx].branches.contains_key(&branch) {
            return Err(Reply::validation(
                call.docs(),
                vec![field_error(
                    "Repository",
                    "default_branch",
                    "invalid",
                    &format!(
                        "The branch {branch} was not found. Please push that ref first or create it via the Git Data API."
                    ),
                )],
            ));
        }
        st.repos[idx].default_branch = branch;
    }
    let r = &mut st.repos[idx];
    if let Some(n) = s(&b, "name") {
        r.name = n;
    }
    if let Some(d) = b.get("description") {
        r.description = d.as_str().map(str::to_string);
    }
    if let Some(p) = b.get("private").and_then(Value::as_bool) {
        r.private = p;
    }
    if let Some(a) = b.get("archived").and_then(Value::as_bool) {
        r.archived = a;
    }
    r.updated = now();
    Ok(Reply::json(200, repo_json(st, idx, call)))
}

fn repo_delete(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    st.repos.remove(idx);
    Ok(Reply::empty(204))
}

// ---- workflow runs and pending deployments --------------------------------------------------

fn run_index(st: &State, call: &Call, idx: usize) -> Result<usize, Reply> {
    index_by_id(call, "run_id", st.repos[idx].runs.iter().map(|w| w.id))
}

fn run_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions, Access::Read)?;
    let w = run_index(st, call, idx)?;
    let r = &st.repos[idx];
    let mut v = render::workflow_run(st, r, &r.runs[w], &call.urls);
    if call.query("exclude_pull_requests") == Some("true") {
        v["pull_requests"] = json!([]);
    }
    Ok(Reply::json(200, v))
}

fn run_delete(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions, Access::Write)?;
    let w = run_index(st, call, idx)?;
    st.repos[idx].runs.remove(w);
    Ok(Reply::empty(204))
}

fn pending_json(
    st: &State,
    idx: usize,
    env: &Environment,
    started: u64,
    me: &str,
    urls: &Urls,
) -> Value {
    let r = &st.repos[idx];
    let e = render::environment(st, r, env, urls);
    let reviewers = e["protection_rules"]
        .as_array()
        .and_then(|rules| rules.iter().find(|x| x["type"] == "required_reviewers"))
        .map_or_else(|| json!([]), |x| x["reviewers"].clone());
    let me_id = st.user_ref(me).id;
    let can_approve = env.reviewers.iter().any(|(_, id)| *id == me_id);
    json!({
        "environment": {"id": env.id, "node_id": e["node_id"], "name": env.name, "url": e["url"], "html_url": e["html_url"]},
        "wait_timer": env.wait_timer,
        "wait_timer_started_at": if env.wait_timer > 0 { json!(iso(started)) } else { Value::Null },
        "current_user_can_approve": can_approve,
        "reviewers": reviewers
    })
}

fn pending_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions, Access::Read)?;
    let w = run_index(st, call, idx)?;
    let me = login(st, call);
    let r = &st.repos[idx];
    let items: Vec<Value> = r.runs[w]
        .pending
        .iter()
        .filter_map(|(name, started)| {
            let env = r.environments.iter().find(|e| &e.name == name)?;
            Some(pending_json(st, idx, env, *started, &me, &call.urls))
        })
        .collect();
    Ok(Reply::json(200, Value::Array(items)))
}

fn pending_review(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Write)?;
    let w = run_index(st, call, idx)?;
    let b = body(call).clone();
    let ids: Vec<u64> = b["environment_ids"]
        .as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(Value::as_u64).collect());
    let approve = b["state"] == "approved";
    let me = login(st, call);
    let me_id = st.user_ref(&me).id;
    let mut names = Vec::new();
    {
        let r = &st.repos[idx];
        for id in &ids {
            let Some(env) = r.environments.iter().find(|e| e.id == *id) else {
                return Err(Reply::validation(
                    call.docs(),
                    vec![field_error(
                        "DeploymentReview",
                        "environment_ids",
                        "invalid",
                        &format!("Environment {id} does not exist"),
                    )],
                ));
            };
            if !r.runs[w].pending.iter().any(|(n, _)| n == &env.name) {
                return Err(Reply::validation(
                    call.docs(),
                    vec![field_error(
                        "DeploymentReview",
                        "environment_ids",
                        "invalid",
                        &format!("No pending deployment for environment {}", env.name),
                    )],
                ));
            }
            if !env.reviewers.iter().any(|(_, rid)| *rid == me_id) {
                return Err(Reply::validation(
                    call.docs(),
                    vec![field_error(
                        "DeploymentReview",
                        "environment_ids",
                        "invalid",
                        &format!(
                            "{me} is not a required reviewer of environment {}",
                            env.name
                        ),
                    )],
                ));
            }
            names.push(env.name.clone());
        }
    }
    let (sha, branch) = {
        let run = &st.repos[idx].runs[w];
        (run.head_sha.clone(), run.head_branch.clone())
    };
    let mut created = Vec::new();
    for name in &names {
        st.repos[idx].runs[w].pending.retain(|(n, _)| n != name);
        if approve {
            let id = st.id();
            let t = now();
            let d = Deployment {
                id,
                sha: sha.clone(),
                git_ref: branch.clone(),
                task: "deploy".into(),
                payload: json!({}),
                environment: name.clone(),
                description: None,
                creator: me.clone(),
                transient: false,
                production: name == "production",
                created: t,
                updated: t,
                statuses: Vec::new(),
            };
            st.repos[idx].deployments.push(d);
            created.push(id);
        }
    }
    if !approve {
        let run = &mut st.repos[idx].runs[w];
        run.status = "completed".into();
        run.conclusion = Some("failure".into());
    }
    let r = &st.repos[idx];
    let items: Vec<Value> = r
        .deployments
        .iter()
        .filter(|d| created.contains(&d.id))
        .map(|d| render::deployment(st, r, d, &call.urls))
        .collect();
    Ok(Reply::json(200, Value::Array(items)))
}

// ---- check runs -------------------------------------------------------------------------------

fn annotation(r: &state::Repo, sha: &str, a: &Value, urls: &Urls) -> Value {
    let path = a["path"].as_str().unwrap_or("");
    json!({
        "path": path,
        "blob_href": format!("{}/blob/{sha}/{path}", urls.repo_web(r)),
        "start_line": a["start_line"],
        "end_line": a["end_line"],
        "start_column": a.get("start_column").cloned().unwrap_or(Value::Null),
        "end_column": a.get("end_column").cloned().unwrap_or(Value::Null),
        "annotation_level": a["annotation_level"],
        "title": a.get("title").cloned().unwrap_or(Value::Null),
        "message": a["message"],
        "raw_details": a.get("raw_details").cloned().unwrap_or(Value::Null)
    })
}

/// Checks the limits that the annotation parameters' descriptions state.
fn annotation_limits(st: &mut State, call: &Call, annotations: &[Value]) -> Result<(), Reply> {
    let mut errors = Vec::new();
    for (i, a) in annotations.iter().enumerate() {
        let len = |k: &str| a.get(k).and_then(Value::as_str).map_or(0, |t| t.len());
        if len("message") > 64 * 1024 {
            errors.push(format!(
                "output.annotations[{i}].message is longer than 64 KB"
            ));
        }
        if len("raw_details") > 64 * 1024 {
            errors.push(format!(
                "output.annotations[{i}].raw_details is longer than 64 KB"
            ));
        }
        if a.get("title")
            .and_then(Value::as_str)
            .is_some_and(|t| t.chars().count() > 255)
        {
            errors.push(format!(
                "output.annotations[{i}].title is longer than 255 characters"
            ));
        }
        let same_line = a.get("start_line") == a.get("end_line");
        if !same_line && (a.get("start_column").is_some() || a.get("end_column").is_some()) {
            // GitHub accepts it and drops the columns; a client should not send them.
            st.limit_problems.push(format!(
                "output.annotations[{i}] has columns but start_line != end_line (the description says to omit them)"
            ));
        }
        let (sl, el) = (
            a["start_line"].as_i64().unwrap_or(1),
            a["end_line"].as_i64().unwrap_or(1),
        );
        if sl < 1 || el < sl {
            errors.push(format!("output.annotations[{i}]: lines must start at 1 and end_line must not be before start_line"));
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    st.limit_problems.extend(errors.iter().cloned());
    Err(Reply::validation(
        call.docs(),
        errors
            .iter()
            .map(|e| field_error("CheckRun", "output.annotations", "invalid", e))
            .collect(),
    ))
}

fn apply_check_fields(c: &mut CheckRun, b: &Value, r: &state::Repo, urls: &Urls) {
    if let Some(n) = s(b, "name") {
        c.name = n;
    }
    if let Some(u) = s(b, "details_url") {
        c.details_url = Some(u);
    }
    if let Some(x) = s(b, "external_id") {
        c.external_id = Some(x);
    }
    if let Some(t) = s(b, "started_at") {
        c.started_at = Some(t);
    }
    if let Some(st) = s(b, "status") {
        c.status = st;
        if c.status == "in_progress" && c.started_at.is_none() {
            c.started_at = Some(iso(now()));
        }
    }
    if let Some(con) = s(b, "conclusion") {
        c.conclusion = Some(con);
        c.status = "completed".into();
    }
    if let Some(t) = s(b, "completed_at") {
        c.completed_at = Some(t);
        if c.conclusion.is_some() {
            c.status = "completed".into();
        }
    }
    if c.status == "completed" && c.completed_at.is_none() {
        c.completed_at = Some(iso(now()));
    }
    if let Some(out) = b.get("output").filter(|o| o.is_object()) {
        if let Some(t) = out.get("title") {
            c.title = t.as_str().map(str::to_string);
        }
        if let Some(t) = s(out, "summary") {
            c.summary = Some(t);
        }
        if let Some(t) = s(out, "text") {
            c.text = Some(t);
        }
        // Annotations accumulate across updates, as on GitHub.
        if let Some(list) = out.get("annotations").and_then(Value::as_array) {
            let sha = c.head_sha.clone();
            c.annotations
                .extend(list.iter().map(|a| annotation(r, &sha, a, urls)));
        }
    }
}

fn check_create(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.checks, Access::Write)?;
    let b = body(call).clone();
    let sha_in = s(&b, "head_sha").unwrap_or_default();
    let sha = st
        .commits
        .get(&sha_in.to_ascii_lowercase())
        .map(|c| c.sha.clone());
    let Some(sha) = sha else {
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "CheckRun",
                "head_sha",
                "invalid",
                &format!("No commit found for SHA: {sha_in}"),
            )],
        ));
    };
    if b.get("status").and_then(Value::as_str) == Some("completed") && b.get("conclusion").is_none()
    {
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "CheckRun",
                "conclusion",
                "missing_field",
                "conclusion is required when status is completed",
            )],
        ));
    }
    if let Some(a) = b.pointer("/output/annotations").and_then(Value::as_array) {
        annotation_limits(st, call, a)?;
    }
    let suite = st.repos[idx]
        .check_runs
        .iter()
        .find(|c| c.head_sha == sha)
        .map(|c| c.check_suite);
    let suite = match suite {
        Some(s) => s,
        None => st.id(),
    };
    let id = st.id();
    let mut c = CheckRun {
        id,
        head_sha: sha,
        name: String::new(),
        status: "queued".into(),
        conclusion: None,
        started_at: Some(iso(now())),
        completed_at: None,
        details_url: None,
        external_id: None,
        title: None,
        summary: None,
        text: None,
        annotations: Vec::new(),
        check_suite: suite,
    };
    apply_check_fields(&mut c, &b, &st.repos[idx], &call.urls);
    st.repos[idx].check_runs.push(c);
    let r = &st.repos[idx];
    let c = r
        .check_runs
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(201, render::check_run(st, r, c, &call.urls)))
}

fn check_index(st: &State, call: &Call, idx: usize) -> Result<usize, Reply> {
    index_by_id(
        call,
        "check_run_id",
        st.repos[idx].check_runs.iter().map(|c| c.id),
    )
}

fn check_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.checks, Access::Read)?;
    let c = check_index(st, call, idx)?;
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::check_run(st, r, &r.check_runs[c], &call.urls),
    ))
}

fn check_update(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.checks, Access::Write)?;
    let c = check_index(st, call, idx)?;
    let b = body(call).clone();
    if let Some(a) = b.pointer("/output/annotations").and_then(Value::as_array) {
        annotation_limits(st, call, a)?;
    }
    let mut run = st.repos[idx].check_runs[c].clone();
    apply_check_fields(&mut run, &b, &st.repos[idx], &call.urls);
    st.repos[idx].check_runs[c] = run;
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::check_run(st, r, &r.check_runs[c], &call.urls),
    ))
}

fn check_annotations(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.checks, Access::Read)?;
    let c = check_index(st, call, idx)?;
    ok_page(call, st.repos[idx].check_runs[c].annotations.clone())
}

fn checks_for_ref(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.checks, Access::Read)?;
    let r = &st.repos[idx];
    let sha = st.resolve_ref(r, call.param("ref")).ok_or_else(|| {
        Reply::validation(
            call.docs(),
            vec![field_error(
                "CheckRun",
                "ref",
                "invalid",
                &format!("No commit found for SHA: {}", call.param("ref")),
            )],
        )
    })?;
    let mut runs: Vec<&CheckRun> = r.check_runs.iter().filter(|c| c.head_sha == sha).collect();
    if let Some(name) = call.query("check_name") {
        runs.retain(|c| c.name == name);
    }
    if let Some(status) = call.query("status") {
        runs.retain(|c| c.status == status);
    }
    // Newest first; `latest` keeps the newest run of each name.
    runs.reverse();
    if call.query("filter").unwrap_or("latest") == "latest" {
        let mut seen = std::collections::HashSet::new();
        runs.retain(|c| seen.insert(c.name.clone()));
    }
    let all: Vec<Value> = runs
        .iter()
        .map(|c| render::check_run(st, r, c, &call.urls))
        .collect();
    let (page, link) = call.paginate(&all);
    let mut reply = Reply::json(200, json!({"total_count": all.len(), "check_runs": page}));
    if let Some(l) = link {
        reply = reply.with_header("link", l);
    }
    Ok(reply)
}

// ---- code scanning ----------------------------------------------------------------------------

fn sarif_upload(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.security_events, Access::Write)?;
    let b = body(call).clone();
    let commit_sha = s(&b, "commit_sha").unwrap_or_default();
    let git_ref = s(&b, "ref").unwrap_or_default();
    let encoded = s(&b, "sarif").unwrap_or_default();
    let read = crate::sarif::read(&encoded);
    let read = match read {
        Ok(r) => r,
        Err(crate::sarif::Rejected { status, message }) => {
            limit(st, format!("sarif: {message}"));
            return Err(Reply::error(status, &message, call.docs()));
        }
    };
    if !st.commits.contains_key(&commit_sha.to_ascii_lowercase()) {
        return Err(Reply::error(
            404,
            &format!("commit not found: {commit_sha}"),
            call.docs(),
        ));
    }
    for e in &read.errors {
        limit(st, format!("sarif: {e}"));
    }
    let id = format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        st.id(),
        st.id() & 0xffff,
        st.id() & 0xfff,
        st.id() & 0xfff,
        st.id()
    );
    let processing = st.sarif_processing.clone();
    st.repos[idx].sarifs.push(Sarif {
        id: id.clone(),
        commit_sha,
        git_ref,
        tool_name: s(&b, "tool_name"),
        runs: read.runs,
        results: read.results,
        polls: 0,
        processing,
        errors: read.errors,
        document: read.document,
    });
    let url = format!(
        "{}/code-scanning/sarifs/{id}",
        call.urls.repo(&st.repos[idx])
    );
    Ok(Reply::json(202, json!({"id": id, "url": url})))
}

fn sarif_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.security_events, Access::Read)?;
    let id = call.param("sarif_id").to_string();
    let api = call.urls.repo(&st.repos[idx]);
    let Some(up) = st.repos[idx].sarifs.iter_mut().find(|x| x.id == id) else {
        return Err(Reply::not_found(call.docs()));
    };
    up.polls += 1;
    if up.polls <= up.processing.pending_polls {
        return Ok(Reply::json(
            200,
            json!({"processing_status": "pending", "analyses_url": null, "errors": null}),
        ));
    }
    let mut errors = up.errors.clone();
    if let Some(e) = &up.processing.fail_with {
        errors.extend(e.iter().cloned());
    }
    if errors.is_empty() && up.processing.fail_with.is_none() {
        Ok(Reply::json(
            200,
            json!({"processing_status": "complete", "analyses_url": format!("{api}/code-scanning/analyses?sarif_id={id}"), "errors": null}),
        ))
    } else {
        Ok(Reply::json(
            200,
            json!({"processing_status": "failed", "analyses_url": null, "errors": errors}),
        ))
    }
}

// ---- commits, statuses, compare ---------------------------------------------------------------

fn commit_pulls(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.pull_requests, Access::Read)?;
    let sha_in = call.param("commit_sha").to_ascii_lowercase();
    let r = &st.repos[idx];
    let sha = st.resolve_ref(r, &sha_in).ok_or_else(|| {
        Reply::validation(
            call.docs(),
            vec![field_error(
                "Commit",
                "commit_sha",
                "invalid",
                &format!("No commit found for SHA: {sha_in}"),
            )],
        )
    })?;
    let mut items = Vec::new();
    for issue in &r.issues {
        let Some(p) = &issue.pull else { continue };
        let (_, commits) = render::pull_diff(st, r, p);
        if commits.contains(&sha) {
            items.push(render::pull(st, r, issue, p, &call.urls, false));
        }
    }
    ok_page(call, items)
}

fn status_sha(st: &State, call: &Call, idx: usize) -> Result<String, Reply> {
    let r = &st.repos[idx];
    st.resolve_ref(r, call.param("ref"))
        .ok_or_else(|| Reply::not_found(call.docs()))
}

fn list_statuses(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.statuses, Access::Read)?;
    let sha = status_sha(st, call, idx)?;
    let r = &st.repos[idx];
    let items: Vec<Value> = r
        .statuses
        .iter()
        .rev()
        .filter(|x| x.sha == sha)
        .map(|x| render::status(st, r, x, &call.urls))
        .collect();
    ok_page(call, items)
}

fn combined_status(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.statuses, Access::Read)?;
    let sha = status_sha(st, call, idx)?;
    let r = &st.repos[idx];
    let mut latest: Vec<&Status> = Vec::new();
    for x in r.statuses.iter().rev().filter(|x| x.sha == sha) {
        if !latest
            .iter()
            .any(|l| l.context.eq_ignore_ascii_case(&x.context))
        {
            latest.push(x);
        }
    }
    let state = if latest
        .iter()
        .any(|x| x.state == "error" || x.state == "failure")
    {
        "failure"
    } else if latest.is_empty() || latest.iter().any(|x| x.state == "pending") {
        "pending"
    } else {
        "success"
    };
    let all: Vec<Value> = latest
        .iter()
        .map(|x| render::status(st, r, x, &call.urls))
        .collect();
    let (page, link) = call.paginate(&all);
    let api = call.urls.repo(r);
    let mut reply = Reply::json(
        200,
        json!({
            "state": state,
            "statuses": page,
            "sha": sha,
            "total_count": all.len(),
            "repository": render::repo(st, r, &call.urls, false),
            "commit_url": format!("{api}/commits/{sha}"),
            "url": format!("{api}/commits/{sha}/status")
        }),
    );
    if let Some(l) = link {
        reply = reply.with_header("link", l);
    }
    Ok(reply)
}

fn create_status(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.statuses, Access::Write)?;
    let sha_in = call.param("sha").to_ascii_lowercase();
    let Some(sha) = st.commits.get(&sha_in).map(|c| c.sha.clone()) else {
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "Status",
                "sha",
                "invalid",
                &format!("No commit found for SHA: {}", call.param("sha")),
            )],
        ));
    };
    let b = body(call).clone();
    let context = s(&b, "context").unwrap_or_else(|| "default".into());
    let description = s(&b, "description");
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > STATUS_DESCRIPTION_MAX)
    {
        limit(
            st,
            format!("description is longer than {STATUS_DESCRIPTION_MAX} characters"),
        );
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "Status",
                "description",
                "custom",
                "description is too long (maximum is 140 characters)",
            )],
        ));
    }
    let count = st.repos[idx]
        .statuses
        .iter()
        .filter(|x| x.sha == sha && x.context.eq_ignore_ascii_case(&context))
        .count();
    if count >= STATUSES_PER_CONTEXT {
        limit(
            st,
            format!(
                "more than {STATUSES_PER_CONTEXT} statuses for sha {sha} and context {context}"
            ),
        );
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "Status",
                "context",
                "custom",
                "This SHA and context has reached the maximum number of statuses.",
            )],
        ));
    }
    let creator = login(st, call);
    let id = st.id();
    let x = Status {
        id,
        sha,
        state: s(&b, "state").unwrap_or_default(),
        context,
        description,
        target_url: s(&b, "target_url"),
        creator,
        created: now(),
    };
    st.repos[idx].statuses.push(x);
    let r = &st.repos[idx];
    let x = r
        .statuses
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(201, render::status(st, r, x, &call.urls)))
}

/// Resolves one side of `base...head`: `ref`, `owner:ref` or `owner:repo:ref`, in the
/// repository's network.
fn compare_side(st: &State, idx: usize, side: &str) -> Option<String> {
    let r = &st.repos[idx];
    let parts: Vec<&str> = side.splitn(3, ':').collect();
    let (owner, git_ref) = match parts.as_slice() {
        [only] => return st.resolve_ref(r, only),
        [owner, git_ref] => (*owner, *git_ref),
        [owner, _repo, git_ref] => (*owner, *git_ref),
        _ => return None,
    };
    let root = network_root(st, r.id);
    let other = st
        .repos
        .iter()
        .find(|x| x.owner.eq_ignore_ascii_case(owner) && network_root(st, x.id) == root)?;
    st.resolve_ref(other, git_ref)
}

fn network_root(st: &State, mut id: u64) -> u64 {
    for _ in 0..64 {
        match st.repo_by_id(id).and_then(|r| r.parent) {
            Some(p) => id = p,
            None => break,
        }
    }
    id
}

fn compare(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.contents, Access::Read)?;
    let joined;
    let basehead = match call.path.get("basehead") {
        Some(b) => b.as_str(),
        None => {
            joined = format!("{}...{}", call.param("base"), call.param("head"));
            joined.as_str()
        }
    };
    let (base, head) = basehead
        .split_once("...")
        .or_else(|| basehead.split_once(".."))
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    let base_sha = compare_side(st, idx, base).ok_or_else(|| Reply::not_found(call.docs()))?;
    let head_sha = compare_side(st, idx, head).ok_or_else(|| Reply::not_found(call.docs()))?;
    let (merge_base, ahead, behind) = st.compare(&base_sha, &head_sha);
    let r = &st.repos[idx];
    let status = match (ahead.is_empty(), behind == 0) {
        (true, true) => "identical",
        (false, true) => "ahead",
        (true, false) => "behind",
        (false, false) => "diverged",
    };
    let paged = call.query("page").is_some() || call.query("per_page").is_some();
    let (commits, link) = if paged {
        call.paginate(&ahead)
    } else {
        // Without paging GitHub lists the last 250 commits of the comparison.
        (ahead[ahead.len().saturating_sub(250)..].to_vec(), None)
    };
    let first_page = call
        .query("page")
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        <= 1;
    let files: Vec<Value> = if first_page {
        st.files_of(&ahead)
            .iter()
            .take(300)
            .map(|f| render::diff_entry(f, r, &head_sha, &call.urls, call.options.max_patch_bytes))
            .collect()
    } else {
        Vec::new()
    };
    let api = call.urls.repo(r);
    let web = call.urls.repo_web(r);
    let mb = merge_base.unwrap_or_else(|| base_sha.clone());
    let mut v = json!({
        "url": format!("{api}/compare/{basehead}"),
        "html_url": format!("{web}/compare/{basehead}"),
        "permalink_url": format!("{web}/compare/{}...{}", &base_sha[..7.min(base_sha.len())], &head_sha[..7.min(head_sha.len())]),
        "diff_url": format!("{web}/compare/{basehead}.diff"),
        "patch_url": format!("{web}/compare/{basehead}.patch"),
        "base_commit": render::commit(st, r, &base_sha, &call.urls),
        "merge_base_commit": render::commit(st, r, &mb, &call.urls),
        "status": status,
        "ahead_by": ahead.len(),
        "behind_by": behind,
        "total_commits": ahead.len(),
        "commits": commits.iter().map(|c| render::commit(st, r, c, &call.urls)).collect::<Vec<_>>(),
    });
    if first_page {
        v["files"] = Value::Array(files);
    }
    let mut reply = Reply::json(200, v);
    if let Some(l) = link {
        reply = reply.with_header("link", l);
    }
    Ok(reply)
}

// ---- deployments ------------------------------------------------------------------------------

fn ensure_environment(st: &mut State, idx: usize, name: &str) {
    if st.repos[idx].environments.iter().any(|e| e.name == name) {
        return;
    }
    let id = st.id();
    let rule_ids = [st.id(), st.id(), st.id()];
    let t = now();
    st.repos[idx].environments.push(Environment {
        id,
        name: name.to_string(),
        wait_timer: 0,
        prevent_self_review: false,
        reviewers: Vec::new(),
        protected_branches: false,
        custom_branch_policies: false,
        branch_policies: Vec::new(),
        created: t,
        updated: t,
        rule_ids,
    });
}

fn deployments_list(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Read)?;
    let r = &st.repos[idx];
    let keep = |d: &&Deployment| {
        call.query("sha")
            .is_none_or(|v| v == "none" || v.eq_ignore_ascii_case(&d.sha))
            && call
                .query("ref")
                .is_none_or(|v| v == "none" || v == d.git_ref)
            && call
                .query("task")
                .is_none_or(|v| v == "none" || v == d.task)
            && call
                .query("environment")
                .is_none_or(|v| v == "none" || v == d.environment)
    };
    let items: Vec<Value> = r
        .deployments
        .iter()
        .rev()
        .filter(keep)
        .map(|d| render::deployment(st, r, d, &call.urls))
        .collect();
    ok_page(call, items)
}

fn deployment_create(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Write)?;
    let b = body(call).clone();
    let git_ref = s(&b, "ref").unwrap_or_default();
    let Some(sha) = st.resolve_ref(&st.repos[idx], &git_ref) else {
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "Deployment",
                "ref",
                "invalid",
                &format!("No ref found for: {git_ref}"),
            )],
        ));
    };
    // By default every context with a status on the commit must be successful.
    let required: Option<Vec<String>> =
        b.get("required_contexts")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
    let r = &st.repos[idx];
    let mut latest: Vec<&Status> = Vec::new();
    for x in r.statuses.iter().rev().filter(|x| x.sha == sha) {
        if !latest
            .iter()
            .any(|l| l.context.eq_ignore_ascii_case(&x.context))
        {
            latest.push(x);
        }
    }
    let contexts: Vec<String> = match &required {
        Some(list) => list.clone(),
        None => latest.iter().map(|x| x.context.clone()).collect(),
    };
    let failing: Vec<Value> = contexts
        .iter()
        .filter_map(|ctx| {
            let state = latest
                .iter()
                .find(|x| x.context.eq_ignore_ascii_case(ctx))
                .map_or("missing", |x| x.state.as_str());
            (state != "success").then(|| json!({"context": ctx, "state": state}))
        })
        .collect();
    if !failing.is_empty() {
        return Err(Reply::json(
            409,
            json!({
                "message": format!("Conflict: Commit status checks failed for {git_ref}."),
                "errors": [{"contexts": failing, "resource": "Deployment", "field": "required_contexts", "code": "invalid"}],
                "documentation_url": call.docs(),
                "status": "409"
            }),
        ));
    }
    let environment = s(&b, "environment").unwrap_or_else(|| "production".into());
    ensure_environment(st, idx, &environment);
    let id = st.id();
    let t = now();
    let d = Deployment {
        id,
        sha,
        git_ref,
        task: s(&b, "task").unwrap_or_else(|| "deploy".into()),
        payload: match b.get("payload") {
            Some(Value::String(p)) if !p.is_empty() => {
                serde_json::from_str(p).unwrap_or_else(|_| json!(p))
            }
            Some(v @ Value::Object(_)) => v.clone(),
            _ => json!({}),
        },
        production: b
            .get("production_environment")
            .and_then(Value::as_bool)
            .unwrap_or(environment == "production"),
        transient: b
            .get("transient_environment")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        environment,
        description: s(&b, "description"),
        creator: login(st, call),
        created: t,
        updated: t,
        statuses: Vec::new(),
    };
    st.repos[idx].deployments.push(d);
    let r = &st.repos[idx];
    let d = r
        .deployments
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(201, render::deployment(st, r, d, &call.urls)))
}

fn deployment_index(st: &State, call: &Call, idx: usize) -> Result<usize, Reply> {
    index_by_id(
        call,
        "deployment_id",
        st.repos[idx].deployments.iter().map(|d| d.id),
    )
}

fn deployment_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Read)?;
    let d = deployment_index(st, call, idx)?;
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::deployment(st, r, &r.deployments[d], &call.urls),
    ))
}

fn deployment_delete(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Write)?;
    let d = deployment_index(st, call, idx)?;
    let r = &st.repos[idx];
    let dep = &r.deployments[d];
    let inactive = dep.statuses.last().is_some_and(|s| s.state == "inactive");
    let alone = r
        .deployments
        .iter()
        .filter(|x| x.environment == dep.environment)
        .count()
        == 1;
    if !inactive && !alone {
        return Err(Reply::json(
            422,
            json!({"message": "We cannot delete an active deployment unless it is the only deployment in a given environment.", "documentation_url": call.docs()}),
        ));
    }
    st.repos[idx].deployments.remove(d);
    Ok(Reply::empty(204))
}

fn deployment_statuses(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Read)?;
    let d = deployment_index(st, call, idx)?;
    let r = &st.repos[idx];
    let dep = &r.deployments[d];
    let items: Vec<Value> = dep
        .statuses
        .iter()
        .rev()
        .map(|x| render::deployment_status(st, r, dep, x, &call.urls))
        .collect();
    ok_page(call, items)
}

fn deployment_status_create(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Write)?;
    let d = deployment_index(st, call, idx)?;
    let b = body(call).clone();
    let description = s(&b, "description").unwrap_or_default();
    if description.chars().count() > STATUS_DESCRIPTION_MAX {
        limit(
            st,
            format!(
                "deployment status description is longer than {STATUS_DESCRIPTION_MAX} characters"
            ),
        );
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "DeploymentStatus",
                "description",
                "custom",
                "description is too long (maximum is 140 characters)",
            )],
        ));
    }
    let state = s(&b, "state").unwrap_or_default();
    let environment = s(&b, "environment")
        .or_else(|| {
            st.repos[idx].deployments[d]
                .statuses
                .last()
                .map(|x| x.environment.clone())
        })
        .unwrap_or_else(|| st.repos[idx].deployments[d].environment.clone());
    let log_url = s(&b, "log_url")
        .or_else(|| s(&b, "target_url"))
        .unwrap_or_default();
    let creator = login(st, call);
    let id = st.id();
    let t = now();
    let status = DeploymentStatus {
        id,
        state: state.clone(),
        description,
        environment: environment.clone(),
        target_url: log_url.clone(),
        log_url,
        environment_url: s(&b, "environment_url").unwrap_or_default(),
        creator: creator.clone(),
        created: t,
    };
    {
        let dep = &mut st.repos[idx].deployments[d];
        dep.environment.clone_from(&environment);
        dep.updated = t;
        dep.statuses.push(status);
    }
    ensure_environment(st, idx, &environment);
    let auto_inactive = b
        .get("auto_inactive")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if state == "success" && auto_inactive {
        let this = st.repos[idx].deployments[d].id;
        let mut to_mark = Vec::new();
        for (i, other) in st.repos[idx].deployments.iter().enumerate() {
            let was_success = other.statuses.last().is_some_and(|x| x.state == "success");
            if other.id != this
                && other.environment == environment
                && !other.transient
                && !other.production
                && was_success
            {
                to_mark.push(i);
            }
        }
        for i in to_mark {
            let sid = st.id();
            st.repos[idx].deployments[i]
                .statuses
                .push(DeploymentStatus {
                    id: sid,
                    state: "inactive".into(),
                    description: String::new(),
                    environment: environment.clone(),
                    target_url: String::new(),
                    log_url: String::new(),
                    environment_url: String::new(),
                    creator: creator.clone(),
                    created: t,
                });
        }
    }
    let r = &st.repos[idx];
    let dep = &r.deployments[d];
    let x = dep
        .statuses
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(
        201,
        render::deployment_status(st, r, dep, x, &call.urls),
    ))
}

fn deployment_status_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.deployments, Access::Read)?;
    let d = deployment_index(st, call, idx)?;
    let sid = num_param(call, "status_id")?;
    let r = &st.repos[idx];
    let dep = &r.deployments[d];
    let x = dep
        .statuses
        .iter()
        .find(|x| x.id == sid)
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(
        200,
        render::deployment_status(st, r, dep, x, &call.urls),
    ))
}

// ---- environments -----------------------------------------------------------------------------

fn env_index(st: &State, call: &Call, idx: usize) -> Result<usize, Reply> {
    let name = call.param("environment_name");
    st.repos[idx]
        .environments
        .iter()
        .position(|e| e.name == name)
        .ok_or_else(|| Reply::not_found(call.docs()))
}

fn environments_list(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions.max(p.deployments), Access::Read)?;
    let r = &st.repos[idx];
    let all: Vec<Value> = r
        .environments
        .iter()
        .map(|e| render::environment(st, r, e, &call.urls))
        .collect();
    let (page, link) = call.paginate(&all);
    let mut reply = Reply::json(200, json!({"total_count": all.len(), "environments": page}));
    if let Some(l) = link {
        reply = reply.with_header("link", l);
    }
    Ok(reply)
}

fn environment_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions.max(p.deployments), Access::Read)?;
    let e = env_index(st, call, idx)?;
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::environment(st, r, &r.environments[e], &call.urls),
    ))
}

fn environment_put(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let b = body(call).clone();
    let name = call.param("environment_name").to_string();
    let wait = b.get("wait_timer").and_then(Value::as_u64);
    if wait.is_some_and(|w| w > 43_200) {
        limit(st, "wait_timer is above 43,200 minutes".into());
        return Err(Reply::error(
            422,
            "Invalid request.\n\nwait_timer must be an integer between 0 and 43200.",
            call.docs(),
        ));
    }
    let reviewers: Option<Vec<(String, u64)>> =
        b.get("reviewers").and_then(Value::as_array).map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["type"].as_str().unwrap_or("User").to_string(),
                        x["id"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        });
    if reviewers.as_ref().is_some_and(|r| r.len() > 6) {
        limit(st, "more than six reviewers".into());
        return Err(Reply::error(
            422,
            "Invalid request.\n\nYou can list up to six users or teams as reviewers.",
            call.docs(),
        ));
    }
    // Reviewers must exist: users of this server, teams of the organisation owning the
    // repository (a user-owned repository has no teams).
    let owner = st.repos[idx].owner.clone();
    let unknown = reviewers.iter().flatten().find(|(kind, id)| {
        if kind == "Team" {
            !st.teams
                .iter()
                .any(|t| t.id == *id && t.org.eq_ignore_ascii_case(&owner))
        } else {
            !st.users
                .iter()
                .any(|u| u.id == *id && u.kind != "Organization")
        }
    });
    if let Some((kind, id)) = unknown {
        return Err(Reply::error(
            422,
            &format!(
                "Invalid request.\n\nNo {} with id {id} can review deployments of this repository.",
                kind.to_ascii_lowercase()
            ),
            call.docs(),
        ));
    }
    // "The reviewers must have at least read access to the repository" (`access.rs`).
    if let Some(who) = reviewers
        .iter()
        .flatten()
        .find_map(|(kind, id)| crate::access::lacks_read(st, idx, kind, *id))
    {
        return Err(Reply::error(
            422,
            &format!(
                "Invalid request.\n\nThe {who} cannot review deployments: reviewers must have at least read access to the repository."
            ),
            call.docs(),
        ));
    }
    let policy = b
        .get("deployment_branch_policy")
        .filter(|p| p.is_object())
        .map(|p| {
            (
                p["protected_branches"].as_bool().unwrap_or(false),
                p["custom_branch_policies"].as_bool().unwrap_or(false),
            )
        });
    if let Some((a, c)) = policy {
        if a == c {
            return Err(Reply::error(
                422,
                "Invalid request.\n\nExactly one of protected_branches and custom_branch_policies must be true.",
                call.docs(),
            ));
        }
    }
    ensure_environment(st, idx, &name);
    let e = env_index(st, call, idx)?;
    let env = &mut st.repos[idx].environments[e];
    if let Some(w) = wait {
        env.wait_timer = u32::try_from(w).unwrap_or(0);
    }
    if let Some(r) = reviewers {
        env.reviewers = r;
    }
    if let Some(p) = b.get("prevent_self_review").and_then(Value::as_bool) {
        env.prevent_self_review = p;
    }
    if b.get("deployment_branch_policy").is_some() {
        let (a, c) = policy.unwrap_or((false, false));
        env.protected_branches = a;
        env.custom_branch_policies = c;
    }
    env.updated = now();
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::environment(st, r, &r.environments[e], &call.urls),
    ))
}

fn environment_delete(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let e = env_index(st, call, idx)?;
    st.repos[idx].environments.remove(e);
    Ok(Reply::empty(204))
}

fn policy_json(p: &BranchPolicy) -> Value {
    json!({"id": p.id, "node_id": render::node_id("DBP", p.id), "name": p.name, "type": p.kind})
}

fn policies_list(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions.max(p.deployments), Access::Read)?;
    let e = env_index(st, call, idx)?;
    let all: Vec<Value> = st.repos[idx].environments[e]
        .branch_policies
        .iter()
        .map(policy_json)
        .collect();
    let (page, link) = call.paginate(&all);
    let mut reply = Reply::json(
        200,
        json!({"total_count": all.len(), "branch_policies": page}),
    );
    if let Some(l) = link {
        reply = reply.with_header("link", l);
    }
    Ok(reply)
}

fn policy_create(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let e = env_index(st, call, idx)?;
    if !st.repos[idx].environments[e].custom_branch_policies {
        return Err(Reply::not_found(call.docs()));
    }
    let b = body(call).clone();
    let name = s(&b, "name").unwrap_or_default();
    let kind = s(&b, "type").unwrap_or_else(|| "branch".into());
    if st.repos[idx].environments[e]
        .branch_policies
        .iter()
        .any(|p| p.name == name && p.kind == kind)
    {
        return Ok(Reply::empty(303));
    }
    let id = st.id();
    let p = BranchPolicy { id, name, kind };
    let v = policy_json(&p);
    st.repos[idx].environments[e].branch_policies.push(p);
    Ok(Reply::json(200, v))
}

fn policy_index(st: &State, call: &Call, idx: usize, e: usize) -> Result<usize, Reply> {
    index_by_id(
        call,
        "branch_policy_id",
        st.repos[idx].environments[e]
            .branch_policies
            .iter()
            .map(|p| p.id),
    )
}

fn policy_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.actions.max(p.deployments), Access::Read)?;
    let e = env_index(st, call, idx)?;
    let p = policy_index(st, call, idx, e)?;
    Ok(Reply::json(
        200,
        policy_json(&st.repos[idx].environments[e].branch_policies[p]),
    ))
}

fn policy_update(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let e = env_index(st, call, idx)?;
    let p = policy_index(st, call, idx, e)?;
    let name = s(body(call), "name").unwrap_or_default();
    let pol = &mut st.repos[idx].environments[e].branch_policies[p];
    pol.name = name;
    Ok(Reply::json(200, policy_json(pol)))
}

fn policy_delete(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.administration, Access::Write)?;
    let e = env_index(st, call, idx)?;
    let p = policy_index(st, call, idx, e)?;
    st.repos[idx].environments[e].branch_policies.remove(p);
    Ok(Reply::empty(204))
}

// ---- issue comments ---------------------------------------------------------------------------

/// Comments on pull requests need `issues` or `pull-requests`; on issues, `issues`.
fn comment_perm(is_pull: bool) -> Perm {
    if is_pull {
        |p| p.issues.max(p.pull_requests)
    } else {
        |p| p.issues
    }
}

fn issue_is_pull(st: &State, call: &Call, number: u64) -> Option<bool> {
    let idx = st.repo_index(call.param("owner"), call.param("repo"))?;
    st.repos[idx]
        .issues
        .iter()
        .find(|i| i.number == number)
        .map(|i| i.pull.is_some())
}

fn since_filter(call: &Call) -> Option<u64> {
    call.query("since").and_then(state::parse_iso)
}

fn comments_for_repo(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.issues.max(p.pull_requests), Access::Read)?;
    let r = &st.repos[idx];
    let since = since_filter(call);
    let mut list: Vec<&Comment> = r
        .comments
        .iter()
        .filter(|c| since.is_none_or(|t| c.updated >= t))
        .collect();
    if let Some(sort) = call.query("sort") {
        if sort == "updated" {
            list.sort_by_key(|c| (c.updated, c.id));
        }
        if call.query("direction") == Some("desc") {
            list.reverse();
        }
    }
    let items: Vec<Value> = list
        .iter()
        .map(|c| render::comment(st, r, c, &call.urls))
        .collect();
    ok_page(call, items)
}

fn issue_number(st: &State, call: &Call) -> Result<(u64, bool), Reply> {
    let n = num_param(call, "issue_number")?;
    match issue_is_pull(st, call, n) {
        Some(p) => Ok((n, p)),
        None => Err(Reply::not_found(call.docs())),
    }
}

fn comments_list(st: &mut State, call: &Call) -> Res {
    repo_for(st, call, |_| Access::Read, Access::Read)?;
    let (n, is_pull) = issue_number(st, call)?;
    let idx = repo_for(st, call, comment_perm(is_pull), Access::Read)?;
    let r = &st.repos[idx];
    let since = since_filter(call);
    let items: Vec<Value> = r
        .comments
        .iter()
        .filter(|c| c.issue == n && since.is_none_or(|t| c.updated >= t))
        .map(|c| render::comment(st, r, c, &call.urls))
        .collect();
    ok_page(call, items)
}

fn check_comment_body(st: &mut State, call: &Call) -> Result<String, Reply> {
    let text = s(body(call), "body").unwrap_or_default();
    let len = text.chars().count();
    if len > COMMENT_MAX {
        limit(
            st,
            format!("comment body has {len} characters; GitHub's maximum is {COMMENT_MAX}"),
        );
        return Err(Reply::validation(
            call.docs(),
            vec![field_error(
                "IssueComment",
                "data",
                "unprocessable",
                &format!("Body is too long (maximum is {COMMENT_MAX} characters)"),
            )],
        ));
    }
    Ok(text)
}

fn comment_create(st: &mut State, call: &Call) -> Res {
    repo_for(st, call, |_| Access::Read, Access::Read)?;
    let (n, is_pull) = issue_number(st, call)?;
    let idx = repo_for(st, call, comment_perm(is_pull), Access::Write)?;
    let text = check_comment_body(st, call)?;
    let id = st.id();
    let t = now();
    let user = login(st, call);
    st.repos[idx].comments.push(Comment {
        id,
        issue: n,
        user,
        body: text,
        created: t,
        updated: t,
    });
    let r = &st.repos[idx];
    let c = r
        .comments
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(201, render::comment(st, r, c, &call.urls)))
}

fn comment_index(st: &State, call: &Call) -> Result<(usize, usize, bool), Reply> {
    let id = num_param(call, "comment_id")?;
    let idx = st
        .repo_index(call.param("owner"), call.param("repo"))
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    let r = &st.repos[idx];
    let c = r
        .comments
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    let is_pull = r
        .issues
        .iter()
        .any(|i| i.number == r.comments[c].issue && i.pull.is_some());
    Ok((idx, c, is_pull))
}

fn comment_get(st: &mut State, call: &Call) -> Res {
    repo_for(st, call, |_| Access::Read, Access::Read)?;
    let (_, c, is_pull) = comment_index(st, call)?;
    let idx = repo_for(st, call, comment_perm(is_pull), Access::Read)?;
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::comment(st, r, &r.comments[c], &call.urls),
    ))
}

fn comment_update(st: &mut State, call: &Call) -> Res {
    repo_for(st, call, |_| Access::Read, Access::Read)?;
    let (_, c, is_pull) = comment_index(st, call)?;
    let idx = repo_for(st, call, comment_perm(is_pull), Access::Write)?;
    let text = check_comment_body(st, call)?;
    let com = &mut st.repos[idx].comments[c];
    com.body = text;
    com.updated = now().max(com.updated);
    let r = &st.repos[idx];
    Ok(Reply::json(
        200,
        render::comment(st, r, &r.comments[c], &call.urls),
    ))
}

fn comment_delete(st: &mut State, call: &Call) -> Res {
    repo_for(st, call, |_| Access::Read, Access::Read)?;
    let (_, c, is_pull) = comment_index(st, call)?;
    let idx = repo_for(st, call, comment_perm(is_pull), Access::Write)?;
    st.repos[idx].comments.remove(c);
    Ok(Reply::empty(204))
}

// ---- pull requests ----------------------------------------------------------------------------

fn pull_issue(st: &State, call: &Call, idx: usize) -> Result<usize, Reply> {
    let n = num_param(call, "pull_number")?;
    st.repos[idx]
        .issues
        .iter()
        .position(|i| i.number == n && i.pull.is_some())
        .ok_or_else(|| Reply::not_found(call.docs()))
}

fn pull_json(st: &State, idx: usize, i: usize, call: &Call) -> Result<Value, Reply> {
    let r = &st.repos[idx];
    let issue = &r.issues[i];
    let p = issue
        .pull
        .as_ref()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(render::pull(st, r, issue, p, &call.urls, true))
}

fn pull_get(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.pull_requests, Access::Read)?;
    let i = pull_issue(st, call, idx)?;
    Ok(Reply::json(200, pull_json(st, idx, i, call)?))
}

fn pull_update(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.pull_requests, Access::Write)?;
    let i = pull_issue(st, call, idx)?;
    let b = body(call).clone();
    if let Some(base) = s(&b, "base") {
        if !st.repos[idx].branches.contains_key(&base) {
            return Err(Reply::validation(
                call.docs(),
                vec![field_error(
                    "PullRequest",
                    "base",
                    "invalid",
                    &format!("Proposed base branch '{base}' was not found"),
                )],
            ));
        }
    }
    let issue = &mut st.repos[idx].issues[i];
    if let Some(t) = s(&b, "title") {
        issue.title = t;
    }
    issue.updated = now();
    if let Some(p) = issue.pull.as_mut() {
        if let Some(x) = b.get("body") {
            p.body = x.as_str().map(str::to_string);
        }
        if let Some(x) = s(&b, "state") {
            p.state = x;
        }
        if let Some(x) = s(&b, "base") {
            p.base_ref = x;
        }
        if let Some(x) = b.get("maintainer_can_modify").and_then(Value::as_bool) {
            p.maintainer_can_modify = x;
        }
    }
    Ok(Reply::json(200, pull_json(st, idx, i, call)?))
}

fn pull_files(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.pull_requests, Access::Read)?;
    let i = pull_issue(st, call, idx)?;
    let r = &st.repos[idx];
    let p = r.issues[i]
        .pull
        .as_ref()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    let head = st.pull_head_sha(p).unwrap_or_default();
    let head_repo = st.repo_by_id(p.head_repo).unwrap_or(r);
    let (files, _) = render::pull_diff(st, r, p);
    let items: Vec<Value> = files
        .iter()
        .take(PULL_FILES_MAX)
        .map(|f| {
            render::diff_entry(
                f,
                head_repo,
                &head,
                &call.urls,
                call.options.max_patch_bytes,
            )
        })
        .collect();
    ok_page(call, items)
}

// ---- releases ---------------------------------------------------------------------------------

fn releases_list(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.contents, Access::Read)?;
    let drafts = can(st, call, |p| p.contents, Access::Write);
    let r = &st.repos[idx];
    let items: Vec<Value> = r
        .releases
        .iter()
        .rev()
        .filter(|x| drafts || !x.draft)
        .map(|x| render::release(st, r, x, &call.urls))
        .collect();
    ok_page(call, items)
}

fn release_create(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.contents, Access::Write)?;
    let b = body(call).clone();
    let tag = s(&b, "tag_name").unwrap_or_default();
    if st.repos[idx].releases.iter().any(|x| x.tag == tag) {
        return Err(Reply::validation(
            call.docs(),
            vec![json!({"resource": "Release", "code": "already_exists", "field": "tag_name"})],
        ));
    }
    let target = s(&b, "target_commitish").unwrap_or_else(|| st.repos[idx].default_branch.clone());
    let draft = b.get("draft").and_then(Value::as_bool).unwrap_or(false);
    if !st.repos[idx].tags.contains_key(&tag) {
        let Some(sha) = st.resolve_ref(&st.repos[idx], &target) else {
            return Err(Reply::validation(
                call.docs(),
                vec![field_error(
                    "Release",
                    "target_commitish",
                    "invalid",
                    "target_commitish is invalid",
                )],
            ));
        };
        if !draft {
            st.repos[idx].tags.insert(tag.clone(), sha);
        }
    }
    let mut text = s(&b, "body");
    if text.is_none() && b.get("generate_release_notes").and_then(Value::as_bool) == Some(true) {
        text = Some(format!(
            "**Full Changelog**: {}/commits/{tag}",
            call.urls.repo_web(&st.repos[idx])
        ));
    }
    let id = st.id();
    let t = now();
    let author = login(st, call);
    st.repos[idx].releases.push(Release {
        id,
        tag,
        target,
        name: s(&b, "name"),
        body: text,
        draft,
        prerelease: b
            .get("prerelease")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        author,
        created: t,
        published: (!draft).then_some(t),
    });
    let r = &st.repos[idx];
    let x = r
        .releases
        .last()
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(201, render::release(st, r, x, &call.urls)))
}

fn release_by_tag(st: &mut State, call: &Call) -> Res {
    let idx = repo_for(st, call, |p| p.contents, Access::Read)?;
    let r = &st.repos[idx];
    let tag = call.param("tag");
    let x = r
        .releases
        .iter()
        .find(|x| x.tag == tag && !x.draft)
        .ok_or_else(|| Reply::not_found(call.docs()))?;
    Ok(Reply::json(200, render::release(st, r, x, &call.urls)))
}

/// Seeding from tests: state changes without HTTP.
pub mod seed {
    use super::*;
    use crate::state::{Commit, Issue, Pull, Repo, WorkflowRun};
    use crate::{EnvironmentSpec, FileChange, PullSpec, RepoSpec, WorkflowRunSpec};

    pub fn find<'a>(st: &'a State, full: &str) -> Option<&'a Repo> {
        let (o, n) = full.split_once('/')?;
        st.repo_index(o, n).map(|i| &st.repos[i])
    }

    fn index(st: &State, full: &str) -> usize {
        let Some((o, n)) = full.split_once('/') else {
            panic!("repository names are owner/name, not {full:?}");
        };
        st.repo_index(o, n)
            .unwrap_or_else(|| panic!("no repository {full} on the test server"))
    }

    pub fn create_repo(st: &mut State, spec: &RepoSpec) -> String {
        let Some((owner, name)) = spec.full_name.split_once('/') else {
            panic!("repository names are owner/name, not {:?}", spec.full_name);
        };
        assert!(
            st.repo_index(owner, name).is_none(),
            "{} exists already",
            spec.full_name
        );
        st.user(owner);
        let sha = st.sha(&spec.full_name);
        let t = now();
        st.commits.insert(
            sha.clone(),
            Commit {
                sha: sha.clone(),
                message: "Initial commit".into(),
                parents: Vec::new(),
                author: owner.into(),
                time: t,
                files: vec![FileChange::added("README.md", 1)],
            },
        );
        let id = st.id();
        st.repos.push(Repo {
            id,
            owner: owner.into(),
            name: name.into(),
            private: spec.private,
            description: spec.description.clone(),
            default_branch: spec.default_branch.clone(),
            parent: None,
            archived: false,
            created: t,
            updated: t,
            branches: [(spec.default_branch.clone(), sha.clone())].into(),
            tags: Default::default(),
            next_number: 1,
            issues: Vec::new(),
            comments: Vec::new(),
            check_runs: Vec::new(),
            statuses: Vec::new(),
            sarifs: Vec::new(),
            deployments: Vec::new(),
            environments: Vec::new(),
            runs: Vec::new(),
            releases: Vec::new(),
        });
        sha
    }

    pub fn fork(st: &mut State, parent: &str, owner: &str) -> String {
        let p = st.repos[index(st, parent)].clone();
        st.user(owner);
        let id = st.id();
        let t = now();
        let full = format!("{owner}/{}", p.name);
        st.repos.push(Repo {
            id,
            owner: owner.into(),
            name: p.name.clone(),
            private: p.private,
            description: p.description.clone(),
            default_branch: p.default_branch.clone(),
            parent: Some(p.id),
            archived: false,
            created: t,
            updated: t,
            branches: p.branches.clone(),
            tags: p.tags.clone(),
            next_number: 1,
            issues: Vec::new(),
            comments: Vec::new(),
            check_runs: Vec::new(),
            statuses: Vec::new(),
            sarifs: Vec::new(),
            deployments: Vec::new(),
            environments: Vec::new(),
            runs: Vec::new(),
            releases: Vec::new(),
        });
        full
    }

    pub fn commit(
        st: &mut State,
        repo: &str,
        branch: &str,
        message: &str,
        files: Vec<FileChange>,
    ) -> String {
        let idx = index(st, repo);
        let r = &st.repos[idx];
        let parent = r
            .branches
            .get(branch)
            .or_else(|| r.branches.get(&r.default_branch))
            .cloned();
        let author = r.owner.clone();
        let sha = st.sha(message);
        st.commits.insert(
            sha.clone(),
            Commit {
                sha: sha.clone(),
                message: message.into(),
                parents: parent.into_iter().collect(),
                author,
                time: now(),
                files,
            },
        );
        let r = &mut st.repos[idx];
        r.branches.insert(branch.into(), sha.clone());
        r.updated = now();
        sha
    }

    pub fn tag(st: &mut State, repo: &str, tag: &str, sha: &str) {
        let idx = index(st, repo);
        st.repos[idx].tags.insert(tag.into(), sha.into());
    }

    pub fn pull(st: &mut State, spec: &PullSpec) -> u64 {
        let idx = index(st, &spec.repo);
        let (head_repo, head_ref) = match spec.head.split_once(':') {
            Some((owner, branch)) => {
                let name = st.repos[idx].name.clone();
                let h = index(st, &format!("{owner}/{name}"));
                (st.repos[h].id, branch.to_string())
            }
            None => (st.repos[idx].id, spec.head.clone()),
        };
        let head_owner = st
            .repo_by_id(head_repo)
            .map(|r| r.owner.clone())
            .unwrap_or_default();
        assert!(
            st.repo_by_id(head_repo)
                .is_some_and(|r| r.branches.contains_key(&head_ref)),
            "no branch {head_ref} in the head repository of the pull request"
        );
        let base = if spec.base.is_empty() {
            st.repos[idx].default_branch.clone()
        } else {
            spec.base.clone()
        };
        let user = if spec.user.is_empty() {
            head_owner
        } else {
            spec.user.clone()
        };
        st.user(&user);
        let pid = st.id();
        let t = now();
        let r = &mut st.repos[idx];
        let number = r.next_number;
        r.next_number += 1;
        r.issues.push(Issue {
            number,
            title: spec.title.clone(),
            user,
            created: t,
            updated: t,
            pull: Some(Pull {
                id: pid,
                head_repo,
                head_ref,
                base_ref: base,
                body: spec.body.clone(),
                state: "open".into(),
                merged: false,
                draft: false,
                maintainer_can_modify: false,
            }),
        });
        number
    }

    pub fn issue(st: &mut State, repo: &str, title: &str) -> u64 {
        let idx = index(st, repo);
        let t = now();
        let r = &mut st.repos[idx];
        let number = r.next_number;
        r.next_number += 1;
        let user = r.owner.clone();
        r.issues.push(Issue {
            number,
            title: title.into(),
            user,
            created: t,
            updated: t,
            pull: None,
        });
        number
    }

    pub fn comment(st: &mut State, repo: &str, issue: u64, user: &str, body: &str) -> u64 {
        let idx = index(st, repo);
        st.user(user);
        let id = st.id();
        let t = now();
        st.repos[idx].comments.push(Comment {
            id,
            issue,
            user: user.into(),
            body: body.into(),
            created: t,
            updated: t,
        });
        id
    }

    pub fn environment(st: &mut State, repo: &str, name: &str, spec: &EnvironmentSpec) -> u64 {
        let idx = index(st, repo);
        let reviewers: Vec<(String, u64)> = spec
            .reviewers
            .iter()
            .map(|l| ("User".to_string(), st.user(l).id))
            .collect();
        st.repos[idx].environments.retain(|e| e.name != name);
        super::ensure_environment(st, idx, name);
        let mut policies = Vec::new();
        for p in &spec.branch_patterns {
            policies.push(BranchPolicy {
                id: st.id(),
                name: p.clone(),
                kind: "branch".into(),
            });
        }
        let Some(env) = st.repos[idx]
            .environments
            .iter_mut()
            .find(|e| e.name == name)
        else {
            panic!("environment {name} was not created");
        };
        env.wait_timer = spec.wait_timer;
        env.reviewers = reviewers;
        env.prevent_self_review = spec.prevent_self_review;
        env.protected_branches = spec.protected_branches;
        env.custom_branch_policies = !spec.branch_patterns.is_empty();
        env.branch_policies = policies;
        env.id
    }

    pub fn workflow_run(st: &mut State, spec: &WorkflowRunSpec) -> u64 {
        let idx = index(st, &spec.repo);
        let head_idx = if spec.head_repo.is_empty() {
            idx
        } else {
            index(st, &spec.head_repo)
        };
        let head_sha = st.repos[head_idx]
            .branches
            .get(&spec.head_branch)
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "no branch {} in {}",
                    spec.head_branch,
                    st.repos[head_idx].full_name()
                )
            });
        for env in &spec.pending_environments {
            assert!(
                st.repos[idx].environments.iter().any(|e| &e.name == env),
                "create environment {env} before a run that waits on it"
            );
        }
        let id = st.id();
        let t = now();
        let head_repo = st.repos[head_idx].id;
        let r = &mut st.repos[idx];
        let run_number = r.runs.len() as u64 + 1;
        let waiting = !spec.pending_environments.is_empty();
        r.runs.push(WorkflowRun {
            id,
            head_sha,
            head_branch: spec.head_branch.clone(),
            head_repo,
            event: spec.event.clone(),
            status: if waiting {
                "waiting".into()
            } else {
                "in_progress".into()
            },
            conclusion: None,
            run_number,
            pending: spec
                .pending_environments
                .iter()
                .map(|e| (e.clone(), t))
                .collect(),
            created: t,
        });
        id
    }
}
