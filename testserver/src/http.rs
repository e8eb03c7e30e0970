//! The HTTP face: one handler that checks the request against the description, applies
//! authentication, rate limits and faults, calls the operation, checks the answer and logs it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use crate::openapi::{Match, Operation, Problem, parse_query};
use crate::render::Urls;
use crate::state::{self, Bucket};
use crate::{FaultKind, RequestRecord, Shared, Side, Violation};

/// The largest request body read (a SARIF upload of 10 MB gzip is 13.4 MB of base64).
const MAX_BODY: usize = 64 << 20;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// An answer before it becomes HTTP.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            headers: Vec::new(),
        }
    }

    /// GitHub's error body: `message`, `documentation_url`, `status`.
    pub fn error(status: u16, message: &str, docs: &str) -> Reply {
        Reply::json(
            status,
            json!({"message": message, "documentation_url": docs, "status": status.to_string()}),
        )
    }

    pub fn not_found(docs: &str) -> Reply {
        Reply::error(404, "Not Found", docs)
    }

    /// 422 `Validation Failed` with `errors` entries `{resource, field, code, message}`.
    pub fn validation(docs: &str, errors: Vec<Value>) -> Reply {
        Reply::json(
            422,
            json!({"message": "Validation Failed", "errors": errors, "documentation_url": docs, "status": "422"}),
        )
    }

    pub fn with_header(mut self, k: &str, v: String) -> Reply {
        self.headers.push((k.to_string(), v));
        self
    }
}

/// One GitHub validation error entry.
pub fn field_error(resource: &str, field: &str, code: &str, message: &str) -> Value {
    json!({"resource": resource, "field": field, "code": code, "message": message})
}

/// Who is asking.
#[derive(Clone, Debug)]
pub enum Caller {
    Anonymous,
    Token(String),
}

/// A request matched to an operation, handed to the operation's code.
pub struct Call<'a> {
    pub op: &'a Operation,
    pub path: HashMap<String, String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub caller: Caller,
    pub urls: Urls,
    /// The URL of this request without its query, in the `/repositories/{id}` form that
    /// GitHub's `Link` headers use when the repository is known.
    pub link_base: String,
    pub options: &'a crate::Options,
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.path.get(name).map_or("", String::as_str)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn docs(&self) -> &str {
        &self.op.docs_url
    }

    /// The page of `items` asked for, and its `Link` header (30 per page unless `per_page`,
    /// at most 100; pages count from 1).
    pub fn paginate<T: Clone>(&self, items: &[T]) -> (Vec<T>, Option<String>) {
        let per_page = self
            .query("per_page")
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(30, |n| n.clamp(1, 100));
        let page = self
            .query("page")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let last = items.len().div_ceil(per_page).max(1);
        let start = (page - 1).saturating_mul(per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let slice = items[start..end].to_vec();
        if last == 1 && page == 1 {
            return (slice, None);
        }
        let kept: Vec<String> = self
            .query
            .iter()
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let url = |n: usize| {
            let mut q = kept.clone();
            q.push(format!("page={n}"));
            format!("{}?{}", self.link_base, q.join("&"))
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(format!("<{}>; rel=\"prev\"", url((page - 1).min(last))));
        }
        if page < last {
            links.push(format!("<{}>; rel=\"next\"", url(page + 1)));
            links.push(format!("<{}>; rel=\"last\"", url(last)));
        }
        if page > 1 {
            links.push(format!("<{}>; rel=\"first\"", url(1)));
        }
        (slice, Some(links.join(", ")))
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `pattern` with `*` for any run of characters, against the whole of `text`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return pattern == text;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// The path without the GHES prefix.
pub fn strip_ghes(path: &str) -> &str {
    match path.strip_prefix("/api/v3") {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        let mut st = shared.lock();
        st.record_violation(Violation {
            side: Side::Request,
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            operation: None,
            problems: vec![format!(
                "the body could not be read or is larger than {MAX_BODY} bytes"
            )],
        });
        let reply = Reply::error(413, "Payload Too Large", "https://docs.github.com/rest");
        st.log.push(RequestRecord {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            route: strip_ghes(parts.uri.path()).to_string(),
            query: parts.uri.query().map(str::to_string),
            operation: None,
            status: 413,
            elapsed: started.elapsed(),
            body: None,
            response: reply.body.clone(),
        });
        return to_response(reply);
    };
    let auth = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let held = crate::hold::take(&shared, &method, &path);
    if held.is_zero() {
        return serve(shared, method, path, query, auth, bytes, started).await;
    }
    // Held, then carried out in a task of its own: a client that gives up does not stop it.
    let holding = crate::hold::Holding::new(shared.clone());
    let task = tokio::spawn(async move {
        tokio::time::sleep(held).await;
        drop(holding);
        serve(shared, method, path, query, auth, bytes, started).await
    });
    task.await.unwrap_or_else(|_| {
        to_response(Reply::error(
            500,
            "Server Error",
            "https://docs.github.com/rest",
        ))
    })
}

/// Processes a request read whole, waits the injected answer delay, logs and answers.
async fn serve(
    shared: Arc<Shared>,
    method: String,
    path: String,
    query: Option<String>,
    auth: Option<String>,
    bytes: axum::body::Bytes,
    started: Instant,
) -> Response {
    let (reply, delay, mut record) = process(
        &shared,
        &method,
        &path,
        query.as_deref(),
        auth.as_deref(),
        &bytes,
    );
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    record.elapsed = started.elapsed();
    shared.lock().log.push(record);
    to_response(reply)
}

fn to_response(reply: Reply) -> Response {
    let body = match &reply.body {
        Some(v) => Body::from(v.to_string()),
        None => Body::empty(),
    };
    let mut resp = Response::new(body);
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if reply.body.is_some() {
        h.insert(
            "content-type",
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    for (k, v) in reply.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            h.append(k, v);
        }
    }
    resp
}

fn process(
    shared: &Shared,
    method: &str,
    raw_path: &str,
    raw_query: Option<&str>,
    auth: Option<&str>,
    bytes: &[u8],
) -> (Reply, Duration, RequestRecord) {
    let method = method.to_ascii_uppercase();
    let ghes = strip_ghes(raw_path).len() != raw_path.len();
    let api = if ghes {
        format!("{}/api/v3", shared.base)
    } else {
        shared.base.clone()
    };
    let urls = Urls {
        api: api.clone(),
        web: shared.base.clone(),
    };
    let query = parse_query(raw_query);
    let spec = &shared.spec;

    let parsed: Result<Option<Value>, String> = if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        serde_json::from_slice::<Value>(bytes)
            .map(Some)
            .map_err(|e| e.to_string())
    };
    let mut record = RequestRecord {
        method: method.clone(),
        path: raw_path.to_string(),
        route: String::new(),
        query: raw_query.map(str::to_string),
        operation: None,
        status: 0,
        elapsed: Duration::ZERO,
        body: parsed.clone().ok().flatten(),
        response: None,
    };

    let mut st = shared.lock();
    st.request_seq += 1;
    let request_id = format!(
        "C0DE:{:04X}:{:06X}:{:06X}:6650A1B2",
        std::process::id() & 0xffff,
        st.request_seq,
        st.request_seq * 7
    );

    // GitHub's Link headers point at /repositories/{id}/...; serve them as /repos/{o}/{r}/...
    let mut path = strip_ghes(raw_path).to_string();
    let mut repo_id_for_links = None;
    if let Some(rest) = path.strip_prefix("/repositories/") {
        let (id, tail) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
        if let Some(r) = id.parse::<u64>().ok().and_then(|id| st.repo_by_id(id)) {
            repo_id_for_links = Some(r.id);
            path = format!(
                "/repos/{}/{}{}{}",
                r.owner,
                r.name,
                if tail.is_empty() { "" } else { "/" },
                tail
            );
        }
    }

    record.route.clone_from(&path);
    let mut delay = Duration::ZERO;
    let docs_default = "https://docs.github.com/rest";
    let found = spec.find(&method, &path);
    let mut request_reply: Option<Reply> = None;
    let mut op_found: Option<(&Operation, HashMap<String, String>)> = None;
    match found {
        Match::NoPath | Match::NoMethod => {
            let why = if matches!(found, Match::NoMethod) {
                format!("{method} is not a documented method of this path")
            } else {
                "no operation of the description has this path".to_string()
            };
            st.record_violation(Violation {
                side: Side::Request,
                method: method.clone(),
                path: raw_path.to_string(),
                operation: None,
                problems: vec![why],
            });
            request_reply = Some(Reply::not_found(docs_default));
        }
        Match::Found(op, params) => {
            record.operation = Some(op.id.clone());
            let mut problems = spec.check_params(op, &params, &query);
            let path_bad = problems.iter().any(|p| p.at.starts_with("path."));
            let body_problems: Vec<Problem> = match &parsed {
                Ok(b) => spec.check_body(op, b.as_ref()),
                Err(e) => vec![Problem {
                    at: String::new(),
                    message: format!("the body is not JSON: {e}"),
                    code: "invalid",
                }],
            };
            let parse_failed = parsed.is_err();
            let not_object = matches!(&parsed, Ok(Some(v)) if !v.is_object());
            problems.extend(body_problems);
            if !problems.is_empty() {
                st.record_violation(Violation {
                    side: Side::Request,
                    method: method.clone(),
                    path: raw_path.to_string(),
                    operation: Some(op.id.clone()),
                    problems: problems.iter().map(ToString::to_string).collect(),
                });
                request_reply = Some(if path_bad {
                    Reply::not_found(&op.docs_url)
                } else if parse_failed {
                    Reply::error(400, "Problems parsing JSON", &op.docs_url)
                } else if not_object {
                    Reply::error(400, "Body should be a JSON object", &op.docs_url)
                } else {
                    let errors = problems
                        .iter()
                        .map(|p| field_error(resource_of(&op.id), &p.at, p.code, &p.to_string()))
                        .collect();
                    Reply::validation(&op.docs_url, errors)
                });
            }
            op_found = Some((op, params));
        }
    }
    let docs = op_found
        .as_ref()
        .map_or(docs_default, |(op, _)| op.docs_url.as_str())
        .to_string();

    // Authentication: an unknown token is refused before anything else.
    let token = auth.map(|a| {
        let a = a.trim();
        a.strip_prefix("token ")
            .or_else(|| a.strip_prefix("Bearer "))
            .or_else(|| a.strip_prefix("bearer "))
            .unwrap_or(a)
            .trim()
            .to_string()
    });
    let caller = match &token {
        None => Caller::Anonymous,
        Some(t) if st.tokens.contains_key(t) => Caller::Token(t.clone()),
        Some(_) => {
            let reply = Reply::error(401, "Bad credentials", "https://docs.github.com/rest");
            return finish(
                &mut st,
                shared,
                reply,
                delay,
                record,
                None,
                &request_id,
                None,
            );
        }
    };

    // Primary rate limit: every request but GET /rate_limit spends one.
    let counts = op_found
        .as_ref()
        .is_none_or(|(op, _)| op.id != "rate-limit/get");
    {
        let bucket = bucket_of(&mut st, &caller);
        bucket.refresh();
        if counts && bucket.remaining == 0 {
            let b = bucket.clone();
            let reply = primary_limited(403, &b);
            return finish(
                &mut st,
                shared,
                reply,
                delay,
                record,
                None,
                &request_id,
                Some(b),
            );
        }
        if counts {
            bucket.remaining -= 1;
        }
    }

    // Faults, in the order they were switched on.
    let route = path.clone();
    let mut fault_reply = None;
    // An outage status that replaces the answer of a request carried out.
    let mut lost_answer: Option<u16> = None;
    let mut i = 0;
    while i < st.faults.len() {
        let f = &st.faults[i];
        let matches = f
            .fault
            .method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&method))
            && f.fault.path.as_ref().is_none_or(|p| glob(p, &route))
            // Held requests were held before processing (`hold.rs`).
            && !matches!(f.fault.kind, FaultKind::DelayBeforeApplying(_));
        let is_delay = matches!(f.fault.kind, FaultKind::Delay(_));
        if !matches || ((fault_reply.is_some() || lost_answer.is_some()) && !is_delay) {
            i += 1;
            continue;
        }
        let kind = f.fault.kind.clone();
        match kind {
            FaultKind::Delay(d) => delay += d,
            FaultKind::PrimaryRateLimit {
                status,
                reset_after,
            } => {
                let b = bucket_of(&mut st, &caller);
                b.remaining = 0;
                b.reset = state::now() + reset_after.as_secs().max(1);
                let b = b.clone();
                fault_reply = Some(primary_limited(status, &b));
            }
            FaultKind::SecondaryRateLimit {
                status,
                retry_after,
            } => {
                fault_reply = Some(
                    Reply::error(
                        status,
                        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID C0DE:0000:000000:000000:00000000.",
                        "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    )
                    .with_header("retry-after", retry_after.to_string()),
                );
            }
            FaultKind::ServerError(status) => fault_reply = Some(outage(status, &docs)),
            FaultKind::ServerErrorAfterApplying(status) => lost_answer = Some(status),
            FaultKind::BadCredentials => {
                fault_reply = Some(Reply::error(
                    401,
                    "Bad credentials",
                    "https://docs.github.com/rest",
                ));
            }
            FaultKind::ValidationFailed => {
                fault_reply = Some(Reply::validation(
                    &docs,
                    vec![field_error(
                        "Request",
                        "data",
                        "custom",
                        "Validation failed (injected fault)",
                    )],
                ));
            }
            FaultKind::NotFound => fault_reply = Some(Reply::not_found(&docs)),
            FaultKind::DelayBeforeApplying(_) => {}
        }
        let f = &mut st.faults[i];
        if let Some(left) = f.left.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                st.faults.remove(i);
                continue;
            }
        }
        i += 1;
    }
    if let Some(reply) = fault_reply {
        let b = bucket_of(&mut st, &caller).clone();
        return finish(
            &mut st,
            shared,
            reply,
            delay,
            record,
            None,
            &request_id,
            Some(b),
        );
    }
    if let Some(reply) = request_reply {
        let b = bucket_of(&mut st, &caller).clone();
        return finish(
            &mut st,
            shared,
            reply,
            delay,
            record,
            None,
            &request_id,
            Some(b),
        );
    }
    let Some((op, params)) = op_found else {
        let b = bucket_of(&mut st, &caller).clone();
        return finish(
            &mut st,
            shared,
            Reply::not_found(&docs),
            delay,
            record,
            None,
            &request_id,
            Some(b),
        );
    };
    let link_base = match repo_id_for_links.or_else(|| {
        let (o, r) = (params.get("owner")?, params.get("repo")?);
        st.repo_index(o, r).map(|i| st.repos[i].id)
    }) {
        Some(id) if path.starts_with("/repos/") => {
            let tail: String = path
                .splitn(5, '/')
                .nth(4)
                .map(|t| format!("/{t}"))
                .unwrap_or_default();
            format!("{api}/repositories/{id}{tail}")
        }
        _ => format!("{api}{path}"),
    };
    let call = Call {
        op,
        path: params,
        query,
        body: parsed.ok().flatten(),
        caller: caller.clone(),
        urls,
        link_base,
        options: &shared.options,
    };
    let reply = crate::api::dispatch(&mut st, &call);
    // Limits a correct client keeps (those written in descriptions) are violations too.
    let limit_problems = std::mem::take(&mut st.limit_problems);
    if !limit_problems.is_empty() {
        st.record_violation(Violation {
            side: Side::Request,
            method: method.clone(),
            path: raw_path.to_string(),
            operation: Some(op.id.clone()),
            problems: limit_problems,
        });
    }
    let b = bucket_of(&mut st, &caller).clone();
    if let Some(status) = lost_answer {
        // The operation's own answer is checked, then replaced by the outage.
        let _ = finish(
            &mut st,
            shared,
            reply,
            Duration::ZERO,
            record.clone(),
            Some(op),
            &request_id,
            Some(b.clone()),
        );
        return finish(
            &mut st,
            shared,
            outage(status, &docs),
            delay,
            record,
            None,
            &request_id,
            Some(b),
        );
    }
    finish(
        &mut st,
        shared,
        reply,
        delay,
        record,
        Some(op),
        &request_id,
        Some(b),
    )
}

/// GitHub's answer in an outage.
fn outage(status: u16, docs: &str) -> Reply {
    let message = match status {
        503 => "Service Unavailable",
        504 => {
            "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."
        }
        _ => "Server Error",
    };
    Reply::error(status, message, docs)
}

fn resource_of(op_id: &str) -> &'static str {
    match op_id.split('/').next().unwrap_or("") {
        "checks" => "CheckRun",
        "issues" => "IssueComment",
        "pulls" => "PullRequest",
        "code-scanning" => "CodeScanning",
        "actions" => "WorkflowRun",
        _ if op_id.contains("deployment") => "Deployment",
        _ if op_id.contains("status") => "Status",
        _ if op_id.contains("release") => "Release",
        _ if op_id.contains("environment") => "Environment",
        _ => "Repository",
    }
}

fn bucket_of<'a>(st: &'a mut state::State, caller: &Caller) -> &'a mut Bucket {
    match caller {
        Caller::Token(t) if st.tokens.contains_key(t) => {
            &mut st.tokens.get_mut(t).expect("checked above").bucket
        }
        _ => &mut st.anonymous,
    }
}

fn primary_limited(status: u16, b: &Bucket) -> Reply {
    Reply::error(
        status,
        "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID C0DE:0000:000000:000000:00000000.",
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    )
    .with_header("x-ratelimit-reset", b.reset.to_string())
}

#[allow(clippy::too_many_arguments)]
fn finish(
    st: &mut state::State,
    shared: &Shared,
    mut reply: Reply,
    delay: Duration,
    mut record: RequestRecord,
    op: Option<&Operation>,
    request_id: &str,
    bucket: Option<Bucket>,
) -> (Reply, Duration, RequestRecord) {
    if let Some(op) = op {
        let problems = shared
            .spec
            .check_response(op, reply.status, reply.body.as_ref());
        if !problems.is_empty() {
            let v = Violation {
                side: Side::Response,
                method: record.method.clone(),
                path: record.path.clone(),
                operation: Some(op.id.clone()),
                problems: problems.iter().map(ToString::to_string).collect(),
            };
            #[allow(clippy::print_stderr)]
            {
                eprintln!("shipgate-testserver BUG: {v}");
            }
            st.record_violation(v);
        }
    }
    let b = bucket.unwrap_or_else(|| st.anonymous.clone());
    let has_reset = reply.headers.iter().any(|(k, _)| k == "x-ratelimit-reset");
    let remaining = if has_reset { 0 } else { b.remaining };
    reply
        .headers
        .push(("x-ratelimit-limit".into(), b.limit.to_string()));
    reply
        .headers
        .push(("x-ratelimit-remaining".into(), remaining.to_string()));
    if !has_reset {
        reply
            .headers
            .push(("x-ratelimit-reset".into(), b.reset.to_string()));
    }
    reply
        .headers
        .push(("x-ratelimit-used".into(), (b.limit - remaining).to_string()));
    reply
        .headers
        .push(("x-ratelimit-resource".into(), "core".into()));
    reply
        .headers
        .push(("x-github-api-version-selected".into(), "2022-11-28".into()));
    reply
        .headers
        .push(("x-github-request-id".into(), request_id.to_string()));
    record.status = reply.status;
    record.response = reply.body.clone();
    (reply, delay, record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_across_slashes() {
        assert!(glob(
            "/repos/*/check-runs*",
            "/repos/o/r/check-runs/5/annotations"
        ));
        assert!(glob("*", "/x"));
        assert!(glob("/rate_limit", "/rate_limit"));
        assert!(!glob("/repos/*/pulls/*", "/repos/o/r/issues/1"));
        assert!(!glob("/a*b*c", "/ac"));
    }
}
