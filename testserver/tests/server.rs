//! The test GitHub server over HTTP: each endpoint family, pagination, faults, permissions,
//! limits, SARIF processing and the GHES prefix. Expected shapes and messages are GitHub's
//! (its OpenAPI description, `../shared/github-openapi/subset.json`, and its documentation).

use std::collections::HashMap;
use std::io::Write as _;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::Method;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use shipgate_testserver::{
    Access, EnvironmentSpec, Fault, FaultKind, FileChange, Options, Permissions, PullSpec,
    RepoSpec, SarifProcessing, Side, StartError, TokenSpec, WorkflowRunSpec, try_start,
};

const TOKEN: &str = "ghs_write_all";
const REPO: &str = "octo/app";

/// reqwest is built with `rustls-no-provider` when the whole workspace is compiled together
/// (features unify with shipgate's), so a client needs the one provider installed first.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn client() -> Client {
    install_crypto_provider();
    Client::new()
}

struct Gh {
    s: shipgate_testserver::Server,
    c: Client,
    root: String,
    token: Option<String>,
}

struct Resp {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Resp {
    fn header(&self, k: &str) -> Option<String> {
        self.headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    fn num_header(&self, k: &str) -> u64 {
        self.header(k)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no numeric {k} header"))
    }

    /// rel → URL from the `Link` header.
    fn links(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for part in self.header("link").unwrap_or_default().split(", ") {
            let Some((url, rel)) = part.split_once("; rel=") else {
                continue;
            };
            out.insert(
                rel.trim_matches('"').to_string(),
                url.trim_matches(['<', '>']).to_string(),
            );
        }
        out
    }

    fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

/// A server with `octo/app` and a write-all token, or `None` (skipped) without the description.
fn gh() -> Option<Gh> {
    let s = match try_start(Options::default()) {
        Ok(s) => s,
        Err(StartError::Spec(e)) => {
            eprintln!("skipped: {e}");
            return None;
        }
        Err(e) => panic!("{e}"),
    };
    s.create_repo(RepoSpec::new(REPO));
    s.add_token(TOKEN, TokenSpec::write_all());
    let root = s.url();
    Some(Gh {
        s,
        c: client(),
        root,
        token: Some(TOKEN.into()),
    })
}

impl Gh {
    fn as_token(&self, token: Option<&str>) -> Gh2<'_> {
        Gh2 {
            g: self,
            token: token.map(str::to_string),
            root: self.root.clone(),
        }
    }

    fn ghes(&self) -> Gh2<'_> {
        Gh2 {
            g: self,
            token: self.token.clone(),
            root: self.s.ghes_url(),
        }
    }

    fn me(&self) -> Gh2<'_> {
        Gh2 {
            g: self,
            token: self.token.clone(),
            root: self.root.clone(),
        }
    }

    fn get(&self, path: &str) -> Resp {
        self.me().send(Method::GET, path, None)
    }

    fn post(&self, path: &str, body: Value) -> Resp {
        self.me().send(Method::POST, path, Some(body))
    }

    fn patch(&self, path: &str, body: Value) -> Resp {
        self.me().send(Method::PATCH, path, Some(body))
    }

    fn put(&self, path: &str, body: Value) -> Resp {
        self.me().send(Method::PUT, path, Some(body))
    }

    fn delete(&self, path: &str) -> Resp {
        self.me().send(Method::DELETE, path, None)
    }

    /// The sha of a new commit on `feature` and a pull request from it.
    fn pull(&self) -> (String, u64) {
        let sha = self.s.commit(
            REPO,
            "feature",
            "Add a feature",
            vec![FileChange::modified("src/lib.rs", 3, 1)],
        );
        (sha, self.s.create_pull(PullSpec::new(REPO, "feature")))
    }

    /// Asserts that exactly the request violations listed (by a fragment) were recorded.
    #[track_caller]
    fn expect_violations(&self, fragments: &[&str]) {
        let v = self.s.take_violations();
        assert_eq!(v.len(), fragments.len(), "violations: {v:#?}");
        for (x, f) in v.iter().zip(fragments) {
            assert_eq!(x.side, Side::Request, "{x}");
            assert!(x.to_string().contains(f), "expected {f:?} in {x}");
        }
    }
}

struct Gh2<'a> {
    g: &'a Gh,
    token: Option<String>,
    root: String,
}

impl Gh2<'_> {
    fn send(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.root)
        };
        let mut req = self
            .g
            .c
            .request(method, url)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28");
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().expect("the server answers");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON answer")
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None)
    }

    fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body))
    }
}

fn annotations(n: usize, from: usize) -> Vec<Value> {
    (from..from + n)
        .map(|i| json!({"path": "src/lib.rs", "start_line": i + 1, "end_line": i + 1, "annotation_level": "warning", "message": format!("finding {i}")}))
        .collect()
}

fn gzip_base64(text: &str) -> String {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).expect("gzip");
    base64::engine::general_purpose::STANDARD.encode(enc.finish().expect("gzip"))
}

fn sarif(runs: usize, results_per_run: usize) -> String {
    let result = json!({"ruleId": "R1", "level": "warning", "message": {"text": "x"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/lib.rs"}, "region": {"startLine": 1}}}]});
    let run = json!({"tool": {"driver": {"name": "demo", "rules": [{"id": "R1"}]}}, "results": vec![result; results_per_run]});
    json!({"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": vec![run; runs]}).to_string()
}

// ---- repository, users, rate limit headers ------------------------------------------------------

#[test]
fn repository_with_fork_relationship_visibility_and_rate_limit_headers() {
    let Some(g) = gh() else { return };
    g.s.fork(REPO, "contrib");
    g.s.create_repo(RepoSpec {
        private: true,
        ..RepoSpec::new("octo/secret")
    });

    let r = g.get("/repos/octo/app");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["full_name"], "octo/app");
    assert_eq!(r.body["default_branch"], "main");
    assert_eq!(r.body["visibility"], "public");
    assert_eq!(r.body["fork"], false);
    assert_eq!(r.body["forks_count"], 1);
    assert_eq!(r.body["permissions"]["push"], true);
    assert_eq!(r.num_header("x-ratelimit-limit"), 5000);
    assert_eq!(r.num_header("x-ratelimit-remaining"), 4999);
    assert_eq!(r.num_header("x-ratelimit-used"), 1);
    assert_eq!(r.header("x-ratelimit-resource").as_deref(), Some("core"));
    assert!(r.num_header("x-ratelimit-reset") > 1_700_000_000);

    let f = g.get("/repos/contrib/app");
    assert_eq!(f.body["fork"], true);
    assert_eq!(f.body["parent"]["full_name"], "octo/app");
    assert_eq!(f.body["source"]["full_name"], "octo/app");
    assert_eq!(f.num_header("x-ratelimit-remaining"), 4998);

    // GET /rate_limit does not count against the limit.
    let rl = g.get("/rate_limit");
    assert_eq!(rl.status, 200);
    assert_eq!(rl.body["resources"]["core"]["remaining"], 4998);
    assert_eq!(rl.body["rate"]["limit"], 5000);
    assert_eq!(
        g.get("/rate_limit").body["resources"]["core"]["remaining"],
        4998
    );

    // Unknown and private repositories are 404 to whoever cannot see them.
    assert_eq!(g.get("/repos/octo/nope").status, 404);
    assert_eq!(g.get("/repos/octo/nope").message(), "Not Found");
    assert_eq!(g.get("/repos/octo/secret").status, 200);
    let anon = g.as_token(None).get("/repos/octo/secret");
    assert_eq!(anon.status, 404);
    // Anonymous requests have their own, smaller window.
    assert_eq!(anon.num_header("x-ratelimit-limit"), 60);

    let upd = g.patch(
        "/repos/octo/app",
        json!({"description": "an app", "default_branch": "nope"}),
    );
    assert_eq!(upd.status, 422);
    let upd = g.patch("/repos/octo/app", json!({"description": "an app"}));
    assert_eq!(upd.body["description"], "an app");
    g.s.assert_no_violations();
}

// ---- check runs ---------------------------------------------------------------------------

#[test]
fn check_run_annotations_accumulate_across_updates_and_page_with_links() {
    let Some(g) = gh() else { return };
    let (sha, _) = g.pull();
    let created = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "shipgate", "head_sha": sha, "status": "in_progress",
               "output": {"title": "Running", "summary": "…", "annotations": annotations(50, 0)}}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["status"], "in_progress");
    assert_eq!(created.body["conclusion"], Value::Null);
    assert_eq!(created.body["app"]["slug"], "github-actions");
    assert_eq!(created.body["output"]["annotations_count"], 50);
    let id = created.body["id"].as_u64().expect("id");
    let path = format!("/repos/octo/app/check-runs/{id}");

    let up = g.patch(
        &path,
        json!({"output": {"title": "Running", "summary": "…", "annotations": annotations(50, 50)}}),
    );
    assert_eq!(up.body["output"]["annotations_count"], 100);
    let done = g.patch(
        &path,
        json!({"conclusion": "failure", "output": {"title": "Score 71", "summary": "## Failed", "annotations": annotations(30, 100)}}),
    );
    assert_eq!(done.status, 200);
    assert_eq!(done.body["status"], "completed");
    assert_eq!(done.body["conclusion"], "failure");
    assert!(done.body["completed_at"].is_string());
    assert_eq!(done.body["output"]["annotations_count"], 130);
    assert_eq!(done.body["output"]["title"], "Score 71");

    // 30 per page by default; Link has next and last on the first page.
    let p1 = g.get(&format!("{path}/annotations"));
    assert_eq!(p1.body.as_array().map(Vec::len), Some(30));
    assert_eq!(p1.body[0]["message"], "finding 0");
    assert_eq!(
        p1.body[0]["blob_href"],
        format!("{}/octo/app/blob/{sha}/src/lib.rs", g.root)
    );
    assert_eq!(p1.body[0]["start_column"], Value::Null);
    let links = p1.links();
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links["last"].ends_with("page=5"), "{links:?}");
    // GitHub's links name the repository by id; following them works.
    assert!(links["next"].contains("/repositories/"), "{links:?}");
    let p2 = g.get(&links["next"]);
    assert_eq!(p2.body[0]["message"], "finding 30");
    let l2 = p2.links();
    assert!(
        l2["prev"].ends_with("page=1")
            && l2["first"].ends_with("page=1")
            && l2["next"].ends_with("page=3")
    );

    let last = g.get(&format!("{path}/annotations?per_page=100&page=2"));
    assert_eq!(last.body.as_array().map(Vec::len), Some(30));
    assert_eq!(last.body[29]["message"], "finding 129");
    let l = last.links();
    assert!(!l.contains_key("next") && !l.contains_key("last"));
    assert!(l["prev"].contains("per_page=100") && l["prev"].ends_with("page=1"));
    // per_page above 100 is served as 100.
    assert_eq!(
        g.get(&format!("{path}/annotations?per_page=500"))
            .body
            .as_array()
            .map(Vec::len),
        Some(100)
    );

    let viewed = g.s.check_runs(REPO);
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0].annotations.len(), 130);
    assert_eq!(viewed[0].summary.as_deref(), Some("## Failed"));

    // The check runs of a ref: the latest of each name, in GitHub's envelope.
    g.post("/repos/octo/app/check-runs", json!({"name": "shipgate", "head_sha": sha, "conclusion": "success", "output": {"title": "t", "summary": "s"}}));
    g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "other", "head_sha": sha}),
    );
    let list = g.get("/repos/octo/app/commits/feature/check-runs");
    assert_eq!(list.body["total_count"], 2);
    assert_eq!(list.body["check_runs"][0]["name"], "other");
    assert_eq!(list.body["check_runs"][1]["conclusion"], "success");
    assert_eq!(
        g.get(&format!(
            "/repos/octo/app/commits/{sha}/check-runs?filter=all"
        ))
        .body["total_count"],
        3
    );
    let named = g.get(&format!(
        "/repos/octo/app/commits/{sha}/check-runs?check_name=other&status=queued"
    ));
    assert_eq!(named.body["total_count"], 1);
    // The same-repository pull request is listed on the check run.
    assert_eq!(list.body["check_runs"][0]["pull_requests"][0]["number"], 1);

    assert_eq!(g.get("/repos/octo/app/check-runs/999999").status, 404);
    let bad_sha = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "x", "head_sha": "0".repeat(40)}),
    );
    assert_eq!(bad_sha.status, 422);
    g.s.assert_no_violations();
}

#[test]
fn limits_written_in_the_schemas_and_descriptions_fail_as_on_github() {
    let Some(g) = gh() else { return };
    let (sha, pr) = g.pull();

    // 51 annotations in one request: the schema's maxItems 50.
    let r = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "shipgate", "head_sha": sha, "output": {"title": "t", "summary": "s", "annotations": annotations(51, 0)}}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.message(), "Validation Failed");
    assert!(
        r.body["documentation_url"]
            .as_str()
            .is_some_and(|d| d.starts_with("https://docs.github.com/"))
    );
    assert_eq!(r.body["errors"][0]["field"], "output.annotations");
    assert_eq!(r.body["errors"][0]["code"], "too_long");
    g.expect_violations(&["output.annotations`: has 51 items; the maximum is 50"]);
    assert!(
        g.s.check_runs(REPO).is_empty(),
        "a refused request changes nothing"
    );

    // Summary of 65,535 characters passes; 65,536 fails (maxLength 65535); same for text.
    let ok = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "shipgate", "head_sha": sha, "output": {"title": "t", "summary": "é".repeat(65_535)}}),
    );
    assert_eq!(ok.status, 201);
    let id = ok.body["id"].as_u64().expect("id");
    let r = g.patch(
        &format!("/repos/octo/app/check-runs/{id}"),
        json!({"output": {"title": "t", "summary": "x".repeat(65_536)}}),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("65536 characters; the maximum is 65535"))
    );
    let r = g.patch(
        &format!("/repos/octo/app/check-runs/{id}"),
        json!({"output": {"summary": "s", "text": "x".repeat(65_536)}}),
    );
    assert_eq!(r.status, 422);
    g.expect_violations(&["output.summary`: is too long", "output.text`: is too long"]);

    // Comment bodies: 65,536 characters pass, 65,537 fail.
    let path = format!("/repos/octo/app/issues/{pr}/comments");
    assert_eq!(
        g.post(&path, json!({"body": "b".repeat(65_536)})).status,
        201
    );
    let r = g.post(&path, json!({"body": "b".repeat(65_537)}));
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body["errors"][0]["message"],
        "Body is too long (maximum is 65536 characters)"
    );
    let cid = g.s.comments(REPO, pr)[0].id;
    let r = g.patch(
        &format!("/repos/octo/app/issues/comments/{cid}"),
        json!({"body": "b".repeat(65_537)}),
    );
    assert_eq!(r.status, 422);
    g.expect_violations(&["65537 characters", "65537 characters"]);

    // 1,000 statuses per sha and context; the 1,001st fails; another context still works.
    for i in 0..1_000 {
        let r = g.post(
            &format!("/repos/octo/app/statuses/{sha}"),
            json!({"state": "pending", "context": "ci", "description": format!("run {i}")}),
        );
        assert_eq!(r.status, 201, "status {i}");
    }
    let r = g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "success", "context": "CI"}),
    );
    assert_eq!(r.status, 422, "contexts are case-insensitive");
    assert_eq!(
        r.body["errors"][0]["message"],
        "This SHA and context has reached the maximum number of statuses."
    );
    assert_eq!(
        g.post(
            &format!("/repos/octo/app/statuses/{sha}"),
            json!({"state": "success", "context": "other"})
        )
        .status,
        201
    );
    g.expect_violations(&["more than 1000 statuses"]);
    let r = g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "success", "description": "d".repeat(141)}),
    );
    assert_eq!(r.status, 422);
    g.expect_violations(&["longer than 140 characters"]);
}

// ---- comments -----------------------------------------------------------------------------

#[test]
fn issue_comments_create_list_paged_update_delete() {
    let Some(g) = gh() else { return };
    let (_, pr) = g.pull();
    let issue = g.s.create_issue(REPO, "A bug");
    g.s.add_comment(REPO, pr, "octo", "first, by a person");
    let path = format!("/repos/octo/app/issues/{pr}/comments");
    let c = g.post(&path, json!({"body": "<!-- shipgate -->\nScore 90"}));
    assert_eq!(c.status, 201);
    assert_eq!(c.body["user"]["login"], "github-actions[bot]");
    assert_eq!(c.body["user"]["type"], "Bot");
    assert!(
        c.body["html_url"]
            .as_str()
            .is_some_and(|u| u.contains(&format!("/pull/{pr}#issuecomment-")))
    );
    let id = c.body["id"].as_u64().expect("id");
    for i in 0..40 {
        g.post(&path, json!({"body": format!("noise {i}")}));
    }
    g.post(
        &format!("/repos/octo/app/issues/{issue}/comments"),
        json!({"body": "on the issue"}),
    );

    let p1 = g.get(&path);
    assert_eq!(p1.body.as_array().map(Vec::len), Some(30));
    assert_eq!(p1.body[1]["id"], id);
    assert!(p1.links()["last"].ends_with("page=2"));
    let p2 = g.get(&p1.links()["next"]);
    assert_eq!(p2.body.as_array().map(Vec::len), Some(12));
    let all = g.get(&format!("{path}?per_page=100"));
    assert_eq!(all.body.as_array().map(Vec::len), Some(42));
    assert!(all.header("link").is_none());

    let upd = g.patch(
        &format!("/repos/octo/app/issues/comments/{id}"),
        json!({"body": "<!-- shipgate -->\nScore 95"}),
    );
    assert_eq!(upd.status, 200);
    assert_eq!(upd.body["body"], "<!-- shipgate -->\nScore 95");
    assert_eq!(
        g.get(&format!("/repos/octo/app/issues/comments/{id}")).body["body"],
        "<!-- shipgate -->\nScore 95"
    );

    let repo_wide =
        g.get("/repos/octo/app/issues/comments?sort=created&direction=desc&per_page=100");
    assert_eq!(repo_wide.body.as_array().map(Vec::len), Some(43));
    assert_eq!(repo_wide.body[0]["body"], "on the issue");
    let since = g.get(&format!("{path}?since=2999-01-01T00:00:00Z"));
    assert_eq!(since.body.as_array().map(Vec::len), Some(0));

    assert_eq!(
        g.delete(&format!("/repos/octo/app/issues/comments/{id}"))
            .status,
        204
    );
    assert_eq!(
        g.get(&format!("/repos/octo/app/issues/comments/{id}"))
            .status,
        404
    );
    assert_eq!(g.s.comments(REPO, pr).len(), 41);
    assert_eq!(
        g.post("/repos/octo/app/issues/999/comments", json!({"body": "x"}))
            .status,
        404
    );
    g.s.assert_no_violations();
}

// ---- statuses -------------------------------------------------------------------------------

#[test]
fn commit_statuses_and_the_combined_status() {
    let Some(g) = gh() else { return };
    let (sha, _) = g.pull();
    let combined = g.get(&format!("/repos/octo/app/commits/{sha}/status"));
    assert_eq!(combined.body["state"], "pending");
    assert_eq!(combined.body["total_count"], 0);
    let s = g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "pending", "context": "shipgate", "target_url": "https://ci/1"}),
    );
    assert_eq!(s.status, 201);
    assert_eq!(s.body["creator"]["login"], "github-actions[bot]");
    g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "success", "context": "shipgate"}),
    );
    g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "success", "context": "lint"}),
    );
    let c = g.get("/repos/octo/app/commits/feature/status");
    assert_eq!(c.body["state"], "success");
    assert_eq!(c.body["total_count"], 2);
    assert_eq!(c.body["sha"], sha);
    g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "failure", "context": "lint"}),
    );
    assert_eq!(
        g.get(&format!("/repos/octo/app/commits/{sha}/status")).body["state"],
        "failure"
    );
    let list = g.get(&format!("/repos/octo/app/commits/{sha}/statuses"));
    assert_eq!(list.body.as_array().map(Vec::len), Some(4));
    assert_eq!(list.body[0]["state"], "failure", "newest first");
    assert_eq!(g.s.statuses(REPO).len(), 4);
    // A ref with a slash (the description marks `ref` as multi-segment).
    let slashed = g.s.commit(REPO, "feature/x", "Slash", vec![]);
    g.post(
        &format!("/repos/octo/app/statuses/{slashed}"),
        json!({"state": "success", "context": "ci"}),
    );
    assert_eq!(
        g.get("/repos/octo/app/commits/feature/x/status").body["state"],
        "success"
    );
    assert_eq!(
        g.get("/repos/octo/app/commits/heads/feature/x/statuses")
            .body[0]["context"],
        "ci"
    );
    // A status needs a commit sha, not a branch name.
    assert_eq!(
        g.post(
            "/repos/octo/app/statuses/feature",
            json!({"state": "success"})
        )
        .status,
        422
    );
    g.s.assert_no_violations();
}

// ---- forks and permissions ----------------------------------------------------------------------

#[test]
fn a_fork_pull_request_token_reads_but_cannot_write() {
    let Some(g) = gh() else { return };
    g.s.fork(REPO, "contrib");
    let sha = g.s.commit(
        "contrib/app",
        "patch-1",
        "Fix typo",
        vec![FileChange::modified("README.md", 1, 1)],
    );
    let pr = g.s.create_pull(PullSpec::new(REPO, "contrib:patch-1"));
    g.s.add_token(
        "ghs_fork",
        TokenSpec::write_all().fork_pull_request().only(&[REPO]),
    );
    let fork = g.as_token(Some("ghs_fork"));

    let p = fork.get(&format!("/repos/octo/app/pulls/{pr}"));
    assert_eq!(p.status, 200);
    assert_eq!(p.body["head"]["repo"]["full_name"], "contrib/app");
    assert_eq!(p.body["head"]["repo"]["fork"], true);
    assert_eq!(p.body["head"]["label"], "contrib:patch-1");
    assert_eq!(p.body["head"]["sha"], sha);
    assert_eq!(p.body["base"]["repo"]["full_name"], "octo/app");

    for (path, body) in [
        (
            format!("/repos/octo/app/issues/{pr}/comments"),
            json!({"body": "hi"}),
        ),
        (
            "/repos/octo/app/check-runs".to_string(),
            json!({"name": "x", "head_sha": sha}),
        ),
        (
            format!("/repos/octo/app/statuses/{sha}"),
            json!({"state": "success"}),
        ),
        (
            "/repos/octo/app/code-scanning/sarifs".to_string(),
            json!({"commit_sha": sha, "ref": "refs/pull/1/merge", "sarif": gzip_base64(&sarif(1, 1))}),
        ),
    ] {
        let r = fork.post(&path, body);
        assert_eq!(r.status, 403, "{path}");
        assert_eq!(r.message(), "Resource not accessible by integration");
    }
    assert!(g.s.comments(REPO, pr).is_empty());

    // A write token can act on the fork's head sha in the base repository; GitHub lists no pull
    // request on a check run whose pull request comes from a fork.
    let c = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "shipgate", "head_sha": sha}),
    );
    assert_eq!(c.status, 201);
    assert_eq!(c.body["pull_requests"], json!([]));
    let prs = g.get(&format!("/repos/octo/app/commits/{sha}/pulls"));
    assert_eq!(prs.body[0]["number"], pr);
    g.s.assert_no_violations();
}

#[test]
fn per_token_permissions_bad_tokens_and_anonymous_writes() {
    let Some(g) = gh() else { return };
    let (sha, pr) = g.pull();
    g.s.create_repo(RepoSpec {
        private: true,
        ..RepoSpec::new("octo/secret")
    });
    let perms = Permissions {
        checks: Access::Write,
        pull_requests: Access::Read,
        ..Permissions::default()
    };
    g.s.add_token("ghs_checks", TokenSpec::with(perms).only(&[REPO]));
    let t = g.as_token(Some("ghs_checks"));

    assert_eq!(
        t.post(
            "/repos/octo/app/check-runs",
            json!({"name": "x", "head_sha": sha})
        )
        .status,
        201
    );
    assert_eq!(
        t.post(
            &format!("/repos/octo/app/statuses/{sha}"),
            json!({"state": "success"})
        )
        .status,
        403
    );
    assert_eq!(
        t.get(&format!("/repos/octo/app/commits/{sha}/statuses"))
            .status,
        403
    );
    // pull-requests: read lets it read the PR but not comment on it.
    assert_eq!(t.get(&format!("/repos/octo/app/pulls/{pr}")).status, 200);
    assert_eq!(
        t.post(
            &format!("/repos/octo/app/issues/{pr}/comments"),
            json!({"body": "x"})
        )
        .status,
        403
    );
    // A private repository it is not for does not exist for it.
    assert_eq!(t.get("/repos/octo/secret").status, 404);

    let bad = g.as_token(Some("ghp_nope")).get("/repos/octo/app");
    assert_eq!(bad.status, 401);
    assert_eq!(bad.message(), "Bad credentials");
    let anon = g.as_token(None).post(
        &format!("/repos/octo/app/issues/{pr}/comments"),
        json!({"body": "x"}),
    );
    assert_eq!(anon.status, 401);
    assert_eq!(anon.message(), "Requires authentication");
    assert_eq!(
        g.as_token(None)
            .get(&format!("/repos/octo/app/pulls/{pr}"))
            .status,
        200
    );

    // pull-requests: write is enough to comment on a pull request, not on an issue.
    let issue = g.s.create_issue(REPO, "bug");
    let prw = Permissions {
        pull_requests: Access::Write,
        ..Permissions::default()
    };
    g.s.add_token("ghs_prw", TokenSpec::with(prw));
    let t = g.as_token(Some("ghs_prw"));
    assert_eq!(
        t.post(
            &format!("/repos/octo/app/issues/{pr}/comments"),
            json!({"body": "x"})
        )
        .status,
        201
    );
    assert_eq!(
        t.post(
            &format!("/repos/octo/app/issues/{issue}/comments"),
            json!({"body": "x"})
        )
        .status,
        403
    );
    g.s.assert_no_violations();
}

// ---- faults ---------------------------------------------------------------------------------

#[test]
fn primary_rate_limit_fault_and_natural_exhaustion() {
    let Some(g) = gh() else { return };
    g.s.inject(Fault::primary_rate_limit(Duration::from_secs(120)).times(1));
    let r = g.get("/repos/octo/app");
    assert_eq!(r.status, 403);
    assert_eq!(r.num_header("x-ratelimit-remaining"), 0);
    let reset = r.num_header("x-ratelimit-reset");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    assert!(
        (now + 110..=now + 130).contains(&reset),
        "reset {reset} vs now {now}"
    );
    assert!(r.message().starts_with("API rate limit exceeded"));
    // The window stays exhausted until it resets, as on GitHub.
    assert_eq!(g.get("/repos/octo/app").status, 403);
    // GET /rate_limit still answers and shows it.
    assert_eq!(
        g.get("/rate_limit").body["resources"]["core"]["remaining"],
        0
    );

    g.s.set_rate_limit(Some(TOKEN), 1, Duration::from_secs(1));
    assert_eq!(g.get("/repos/octo/app").status, 200);
    assert_eq!(g.get("/repos/octo/app").status, 403);
    std::thread::sleep(Duration::from_millis(2_100));
    let after = g.get("/repos/octo/app");
    assert_eq!(after.status, 200, "a new window after the reset time");
    assert_eq!(after.num_header("x-ratelimit-remaining"), 4999);

    g.s.inject(
        Fault::primary_rate_limit(Duration::from_secs(1))
            .with_429()
            .on("/repos/*/pulls/*")
            .times(1),
    );
    assert_eq!(
        g.get("/repos/octo/app").status,
        200,
        "other paths are untouched"
    );
    let (_, pr) = g.pull();
    let r = g.get(&format!("/repos/octo/app/pulls/{pr}"));
    assert_eq!(r.status, 429);
    assert_eq!(r.num_header("x-ratelimit-remaining"), 0);
    g.s.assert_no_violations();
}

#[test]
fn secondary_rate_limit_server_errors_delays_and_other_faults() {
    let Some(g) = gh() else { return };
    let (_, pr) = g.pull();
    let path = format!("/repos/octo/app/issues/{pr}/comments");

    g.s.inject(Fault::secondary_rate_limit(7).method("POST").times(1));
    let r = g.post(&path, json!({"body": "x"}));
    assert_eq!(r.status, 403);
    assert_eq!(r.header("retry-after").as_deref(), Some("7"));
    assert!(
        r.message()
            .starts_with("You have exceeded a secondary rate limit")
    );
    assert!(
        r.num_header("x-ratelimit-remaining") > 0,
        "a secondary limit is not the primary one"
    );
    assert!(g.s.comments(REPO, pr).is_empty());
    assert_eq!(g.post(&path, json!({"body": "x"})).status, 201);

    // A burst of 5xx on one path pattern, then normal service.
    g.s.inject(
        Fault::server_error(502)
            .on("/repos/*/issues/*/comments")
            .times(2),
    );
    g.s.inject(
        Fault::server_error(503)
            .on("/repos/octo/app/pulls/*")
            .times(1),
    );
    assert_eq!(g.get(&path).status, 502);
    assert_eq!(g.get(&format!("/repos/octo/app/pulls/{pr}")).status, 503);
    assert_eq!(g.get(&path).status, 502);
    assert_eq!(g.get(&path).status, 200);
    assert_eq!(g.get(&format!("/repos/octo/app/pulls/{pr}")).status, 200);

    g.s.inject(Fault::delay(Duration::from_millis(300)).times(1));
    let t = Instant::now();
    assert_eq!(g.get(&path).status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let last = g.s.requests().pop().expect("logged");
    assert!(last.elapsed >= Duration::from_millis(300));

    g.s.inject(Fault::new(FaultKind::ValidationFailed).times(1));
    let r = g.post(&path, json!({"body": "x"}));
    assert_eq!(r.status, 422);
    assert_eq!(r.message(), "Validation Failed");
    g.s.inject(Fault::new(FaultKind::BadCredentials).times(1));
    assert_eq!(g.get(&path).status, 401);
    g.s.inject(
        Fault::new(FaultKind::NotFound)
            .on("/repos/octo/app")
            .times(1),
    );
    assert_eq!(g.get("/repos/octo/app").status, 404);
    // Carried out, then answered with an outage: the comment exists, the client saw a 502.
    g.s.inject(
        Fault::server_error_after_applying(502)
            .method("POST")
            .times(1),
    );
    let before = g.s.comments(REPO, pr).len();
    let r = g.post(&path, json!({"body": "applied"}));
    assert_eq!(r.status, 502);
    assert_eq!(r.message(), "Server Error");
    let after = g.s.comments(REPO, pr);
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().expect("created").body, "applied");
    assert_eq!(g.post(&path, json!({"body": "next"})).status, 201);
    g.s.inject(Fault::server_error(500));
    assert_eq!(g.get(&path).status, 500);
    assert_eq!(g.get(&path).status, 500);
    g.s.clear_faults();
    assert_eq!(g.get(&path).status, 200);
    g.s.assert_no_violations();
}

// ---- request validation -----------------------------------------------------------------------

#[test]
fn requests_that_do_not_conform_are_answered_as_github_would_and_recorded() {
    let Some(g) = gh() else { return };
    let (sha, pr) = g.pull();

    let r = g.post("/repos/octo/app/check-runs", json!({"name": "x"}));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["code"], "missing_field");
    assert_eq!(r.body["errors"][0]["field"], "head_sha");
    let r = g.post(
        "/repos/octo/app/check-runs",
        json!({"name": "x", "head_sha": sha, "conclusion": "great"}),
    );
    assert_eq!(r.status, 422);
    let r = g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "ok"}),
    );
    assert_eq!(r.status, 422);
    // Completing without a conclusion breaks the update schema's anyOf.
    let id = g
        .post(
            "/repos/octo/app/check-runs",
            json!({"name": "x", "head_sha": sha}),
        )
        .body["id"]
        .as_u64()
        .expect("id");
    assert_eq!(
        g.patch(
            &format!("/repos/octo/app/check-runs/{id}"),
            json!({"status": "completed"})
        )
        .status,
        422
    );
    g.expect_violations(&[
        "head_sha`: is missing",
        "\"great\" is not one of",
        "\"ok\" is not one of",
        "matches none of the 2 alternatives",
    ]);

    let r = g.get(&format!(
        "/repos/octo/app/issues/{pr}/comments?per_page=10&sort=created"
    ));
    assert_eq!(r.status, 422);
    let r = g.get("/repos/octo/app/check-runs/abc");
    assert_eq!(r.status, 404);
    let r = g.get(&format!(
        "/repos/octo/app/commits/{sha}/check-runs?filter=newest"
    ));
    assert_eq!(r.status, 422);
    g.expect_violations(&[
        "query.sort`: is not a documented query parameter",
        "path.check_run_id`: expected an integer",
        "query.filter",
    ]);

    let raw =
        g.c.post(format!("{}/repos/octo/app/check-runs", g.root))
            .bearer_auth(TOKEN)
            .body("{not json")
            .send()
            .expect("answer");
    assert_eq!(raw.status().as_u16(), 400);
    let r = g.post(
        &format!("/repos/octo/app/issues/{pr}/comments"),
        json!(["body"]),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), "Body should be a JSON object");
    g.expect_violations(&["the body is not JSON", "expected an object"]);

    assert_eq!(g.get("/repos/octo/app/no-such-endpoint").status, 404);
    assert_eq!(
        g.post("/repos/octo/app/pulls/1/files", json!({})).status,
        404
    );
    assert_eq!(
        g.get(&format!("/repos/octo/app/issues/{pr}/comments"))
            .status,
        200
    );
    g.expect_violations(&[
        "no operation of the description has this path",
        "POST is not a documented method",
    ]);
    assert!(
        g.s.check_runs(REPO)
            .iter()
            .all(|c| c.name == "x" && c.status == "queued")
    );
}

// ---- code scanning --------------------------------------------------------------------------

#[test]
fn sarif_uploads_decode_gzip_base64_and_move_from_pending_to_complete_or_failed() {
    let Some(g) = gh() else { return };
    let (sha, pr) = g.pull();
    g.s.set_sarif_processing(SarifProcessing {
        pending_polls: 2,
        fail_with: None,
    });
    let up = g.post(
        "/repos/octo/app/code-scanning/sarifs",
        json!({"commit_sha": sha, "ref": format!("refs/pull/{pr}/merge"), "sarif": gzip_base64(&sarif(2, 3)), "tool_name": "shipgate"}),
    );
    assert_eq!(up.status, 202, "{}", up.body);
    let id = up.body["id"].as_str().expect("id").to_string();
    assert_eq!(
        up.body["url"],
        format!("{}/repos/octo/app/code-scanning/sarifs/{id}", g.root)
    );
    let seen = g.s.sarif_uploads(REPO);
    assert_eq!(seen[0].runs, 2);
    assert_eq!(seen[0].results, vec![3, 3]);
    assert_eq!(
        seen[0].document.as_ref().map(|d| d["version"].clone()),
        Some(json!("2.1.0"))
    );
    assert_eq!(seen[0].git_ref, format!("refs/pull/{pr}/merge"));

    let status = |id: &str| {
        g.get(&format!("/repos/octo/app/code-scanning/sarifs/{id}"))
            .body
    };
    assert_eq!(status(&id)["processing_status"], "pending");
    assert_eq!(status(&id)["processing_status"], "pending");
    let done = status(&id);
    assert_eq!(done["processing_status"], "complete");
    assert!(
        done["analyses_url"]
            .as_str()
            .is_some_and(|u| u.contains("sarif_id="))
    );

    g.s.set_sarif_processing(SarifProcessing {
        pending_polls: 0,
        fail_with: Some(vec![
            "locationFromSarifResult: expected artifact location".into(),
        ]),
    });
    let id = g.post("/repos/octo/app/code-scanning/sarifs", json!({"commit_sha": sha, "ref": "refs/heads/feature", "sarif": gzip_base64(&sarif(1, 1))})).body["id"].as_str().expect("id").to_string();
    let failed = status(&id);
    assert_eq!(failed["processing_status"], "failed");
    assert_eq!(
        failed["errors"][0],
        "locationFromSarifResult: expected artifact location"
    );
    assert_eq!(
        g.get("/repos/octo/app/code-scanning/sarifs/nope").status,
        404
    );
    g.s.assert_no_violations();

    // Limits: 20 runs per file, 25,000 results per run: accepted, then failed.
    g.s.set_sarif_processing(SarifProcessing::default());
    let id = g.post("/repos/octo/app/code-scanning/sarifs", json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": gzip_base64(&sarif(21, 0))})).body["id"].as_str().expect("id").to_string();
    let f = status(&id);
    assert_eq!(f["processing_status"], "failed");
    assert_eq!(
        f["errors"][0],
        "rejecting SARIF, as there are more runs than allowed (21 > 20)"
    );
    let id = g.post("/repos/octo/app/code-scanning/sarifs", json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": gzip_base64(&sarif(1, 25_001))})).body["id"].as_str().expect("id").to_string();
    assert_eq!(
        status(&id)["errors"][0],
        "rejecting SARIF, as there are more results per run than allowed (25001 > 25000)"
    );
    assert_eq!(g.post("/repos/octo/app/code-scanning/sarifs", json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": gzip_base64(&sarif(1, 25_000))})).status, 202);
    g.expect_violations(&[
        "more runs than allowed",
        "more results per run than allowed",
    ]);

    // Not base64, not gzip, over 10 MB compressed: refused at once.
    let r = g.post(
        "/repos/octo/app/code-scanning/sarifs",
        json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": "not base64!"}),
    );
    assert_eq!(r.status, 400);
    let plain = base64::engine::general_purpose::STANDARD.encode(sarif(1, 1));
    assert_eq!(
        g.post(
            "/repos/octo/app/code-scanning/sarifs",
            json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": plain})
        )
        .status,
        400
    );
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let noise: Vec<u8> = (0..10 * 1024 * 1024 + 1)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let big = base64::engine::general_purpose::STANDARD.encode(&noise);
    let r = g.post(
        "/repos/octo/app/code-scanning/sarifs",
        json!({"commit_sha": sha, "ref": "refs/heads/main", "sarif": big}),
    );
    assert_eq!(r.status, 413);
    // The schema: a full sha and a full ref.
    let r = g.post(
        "/repos/octo/app/code-scanning/sarifs",
        json!({"commit_sha": "abc", "ref": "main", "sarif": gzip_base64(&sarif(1, 1))}),
    );
    assert_eq!(r.status, 422);
    g.expect_violations(&[
        "not valid base64",
        "not gzip-compressed",
        "Payload Too Large",
        "commit_sha",
    ]);
}

// ---- pulls, compare ---------------------------------------------------------------------------

#[test]
fn pull_files_cap_and_patch_omission_compare_across_a_fork_and_commit_pulls() {
    let Some(g) = gh() else { return };
    g.s.fork(REPO, "contrib");
    let mut files: Vec<FileChange> = (0..3_100)
        .map(|i| FileChange::added(&format!("gen/f{i:04}.rs"), 2))
        .collect();
    files.push(FileChange::modified("big.txt", 1, 0).with_patch(&"+".repeat(500_000)));
    files.rotate_right(1);
    let c1 = g.s.commit("contrib/app", "big", "Generate", files);
    let c2 = g.s.commit(
        "contrib/app",
        "big",
        "Tweak",
        vec![FileChange::modified("gen/f0000.rs", 1, 1)],
    );
    let pr = g.s.create_pull(PullSpec::new(REPO, "contrib:big"));

    let p = g.get(&format!("/repos/octo/app/pulls/{pr}"));
    assert_eq!(p.body["changed_files"], 3_101);
    assert_eq!(p.body["commits"], 2);
    let first = g.get(&format!("/repos/octo/app/pulls/{pr}/files?per_page=100"));
    assert_eq!(first.body[0]["filename"], "big.txt");
    assert!(
        first.body[0].get("patch").is_none(),
        "the patch of a large file is left out"
    );
    assert_eq!(first.body[1]["additions"], 3);
    assert!(first.body[1]["patch"].is_string());
    assert!(
        first.links()["last"].ends_with("page=30"),
        "3,000 files at most: {:?}",
        first.links()
    );
    let last = g.get(&format!(
        "/repos/octo/app/pulls/{pr}/files?per_page=100&page=30"
    ));
    assert_eq!(last.body.as_array().map(Vec::len), Some(100));
    assert_eq!(
        g.get(&format!(
            "/repos/octo/app/pulls/{pr}/files?per_page=100&page=31"
        ))
        .body,
        json!([])
    );

    let cmp = g.get("/repos/octo/app/compare/main...contrib:big");
    assert_eq!(cmp.status, 200);
    assert_eq!(cmp.body["status"], "ahead");
    assert_eq!(cmp.body["ahead_by"], 2);
    assert_eq!(cmp.body["behind_by"], 0);
    assert_eq!(cmp.body["commits"][1]["sha"], c2);
    assert_eq!(cmp.body["files"].as_array().map(Vec::len), Some(300));
    let main2 = g.s.commit(
        REPO,
        "main",
        "Upstream",
        vec![FileChange::modified("README.md", 1, 0)],
    );
    let cmp = g.get(&format!("/repos/octo/app/compare/{main2}...{c1}"));
    assert_eq!(cmp.body["status"], "diverged");
    assert_eq!(cmp.body["behind_by"], 1);
    let paged = g.get("/repos/octo/app/compare/main...contrib:big?per_page=1&page=2");
    assert_eq!(paged.body["commits"][0]["sha"], c2);
    assert!(
        paged.body.get("files").is_none(),
        "files only on the first page"
    );
    assert_eq!(g.get("/repos/octo/app/compare/main...nope").status, 404);

    let prs = g.get(&format!("/repos/octo/app/commits/{c1}/pulls"));
    assert_eq!(prs.body[0]["number"], pr);
    assert_eq!(prs.body[0]["head"]["repo"]["full_name"], "contrib/app");
    let upd = g.patch(
        &format!("/repos/octo/app/pulls/{pr}"),
        json!({"state": "closed", "body": "done"}),
    );
    assert_eq!(upd.body["state"], "closed");
    assert_eq!(upd.body["body"], "done");
    g.s.assert_no_violations();
}

// ---- deployments and environments ----------------------------------------------------------

#[test]
fn deployments_statuses_environments_and_branch_policies() {
    let Some(g) = gh() else { return };
    let (sha, _) = g.pull();
    g.post(
        &format!("/repos/octo/app/statuses/{sha}"),
        json!({"state": "failure", "context": "ci"}),
    );
    let r = g.post(
        "/repos/octo/app/deployments",
        json!({"ref": "feature", "environment": "staging"}),
    );
    assert_eq!(
        r.status, 409,
        "failing statuses block a deployment by default"
    );
    assert_eq!(
        r.message(),
        "Conflict: Commit status checks failed for feature."
    );
    let d1 = g.post("/repos/octo/app/deployments", json!({"ref": "feature", "environment": "staging", "required_contexts": [], "payload": {"x": 1}}));
    assert_eq!(d1.status, 201);
    assert_eq!(d1.body["sha"], sha);
    assert_eq!(d1.body["payload"]["x"], 1);
    assert_eq!(d1.body["production_environment"], false);
    let d1 = d1.body["id"].as_u64().expect("id");
    assert_eq!(
        g.post("/repos/octo/app/deployments", json!({"ref": "nope"}))
            .status,
        422
    );

    let s = g.post(
        &format!("/repos/octo/app/deployments/{d1}/statuses"),
        json!({"state": "success", "log_url": "https://ci/1", "description": "ok"}),
    );
    assert_eq!(s.status, 201);
    assert_eq!(s.body["target_url"], "https://ci/1");
    assert_eq!(s.body["environment"], "staging");
    let d2 = g
        .post(
            "/repos/octo/app/deployments",
            json!({"ref": "main", "environment": "staging", "required_contexts": []}),
        )
        .body["id"]
        .as_u64()
        .expect("id");
    g.post(
        &format!("/repos/octo/app/deployments/{d2}/statuses"),
        json!({"state": "success"}),
    );
    // auto_inactive: the earlier successful deployment to staging became inactive.
    let st1 = g.get(&format!("/repos/octo/app/deployments/{d1}/statuses"));
    assert_eq!(st1.body[0]["state"], "inactive");
    let sid = st1.body[1]["id"].as_u64().expect("id");
    assert_eq!(
        g.get(&format!("/repos/octo/app/deployments/{d1}/statuses/{sid}"))
            .body["state"],
        "success"
    );
    // An active deployment that is not alone in its environment cannot be deleted.
    assert_eq!(
        g.delete(&format!("/repos/octo/app/deployments/{d2}"))
            .status,
        422
    );
    assert_eq!(
        g.delete(&format!("/repos/octo/app/deployments/{d1}"))
            .status,
        204
    );
    let list = g.get("/repos/octo/app/deployments?environment=staging");
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
    assert_eq!(
        g.get(&format!("/repos/octo/app/deployments/{d1}")).status,
        404
    );
    let r = g.post(
        &format!("/repos/octo/app/deployments/{d2}/statuses"),
        json!({"state": "success", "description": "d".repeat(141)}),
    );
    assert_eq!(r.status, 422);
    g.expect_violations(&["longer than 140 characters"]);

    // Environments: created by deploying, or by PUT with protection rules.
    let envs = g.get("/repos/octo/app/environments");
    assert_eq!(envs.body["total_count"], 1);
    assert_eq!(envs.body["environments"][0]["name"], "staging");
    g.s.create_environment(REPO, "ignored", EnvironmentSpec::default());
    let reviewer = g.get("/repos/octo/app").body["owner"]["id"].clone();
    let e = g.put(
        "/repos/octo/app/environments/production",
        json!({"wait_timer": 30, "reviewers": [{"type": "User", "id": reviewer}], "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}}),
    );
    assert_eq!(e.status, 200, "{}", e.body);
    let rules = e.body["protection_rules"].as_array().expect("rules");
    let kinds: Vec<&str> = rules.iter().filter_map(|r| r["type"].as_str()).collect();
    assert_eq!(kinds, ["wait_timer", "required_reviewers", "branch_policy"]);
    assert_eq!(rules[1]["reviewers"][0]["reviewer"]["login"], "octo");
    assert_eq!(
        g.get("/repos/octo/app/environments/production").body["deployment_branch_policy"]["custom_branch_policies"],
        true
    );
    let bad = g.put("/repos/octo/app/environments/production", json!({"deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": true}}));
    assert_eq!(bad.status, 422);
    let bad = g.put(
        "/repos/octo/app/environments/production",
        json!({"wait_timer": 50_000}),
    );
    assert_eq!(bad.status, 422);
    g.expect_violations(&["wait_timer is above 43,200"]);

    let base = "/repos/octo/app/environments/production/deployment-branch-policies";
    let p = g.post(base, json!({"name": "release/*"}));
    assert_eq!(p.status, 200);
    assert_eq!(p.body["type"], "branch");
    let pid = p.body["id"].as_u64().expect("id");
    assert_eq!(g.post(base, json!({"name": "release/*"})).status, 303);
    assert_eq!(
        g.put(&format!("{base}/{pid}"), json!({"name": "v*"})).body["name"],
        "v*"
    );
    assert_eq!(g.get(base).body["total_count"], 1);
    assert_eq!(g.get(&format!("{base}/{pid}")).body["name"], "v*");
    assert_eq!(g.delete(&format!("{base}/{pid}")).status, 204);
    assert_eq!(
        g.post(
            "/repos/octo/app/environments/staging/deployment-branch-policies",
            json!({"name": "x"})
        )
        .status,
        404
    );
    assert_eq!(g.delete("/repos/octo/app/environments/ignored").status, 204);
    assert_eq!(g.get("/repos/octo/app/environments/ignored").status, 404);
    g.s.assert_no_violations();
}

#[test]
fn pending_deployments_of_a_workflow_run_are_reviewed_by_a_required_reviewer() {
    let Some(g) = gh() else { return };
    g.s.commit(
        REPO,
        "main",
        "Release",
        vec![FileChange::modified("src/lib.rs", 1, 1)],
    );
    g.s.create_environment(
        REPO,
        "production",
        EnvironmentSpec {
            wait_timer: 5,
            reviewers: vec!["alice".into()],
            ..EnvironmentSpec::default()
        },
    );
    let run = g.s.create_workflow_run(WorkflowRunSpec {
        repo: REPO.into(),
        head_branch: "main".into(),
        head_repo: String::new(),
        event: "push".into(),
        pending_environments: vec!["production".into()],
    });
    let r = g.get(&format!("/repos/octo/app/actions/runs/{run}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "waiting");
    assert_eq!(r.body["head_commit"]["message"], "Release");

    let pending = g.get(&format!(
        "/repos/octo/app/actions/runs/{run}/pending_deployments"
    ));
    assert_eq!(pending.body[0]["environment"]["name"], "production");
    assert_eq!(pending.body[0]["wait_timer"], 5);
    assert_eq!(pending.body[0]["current_user_can_approve"], false);
    assert_eq!(
        pending.body[0]["reviewers"][0]["reviewer"]["login"],
        "alice"
    );
    let env_id = pending.body[0]["environment"]["id"].clone();

    let review = json!({"environment_ids": [env_id], "state": "approved", "comment": "ship it"});
    let r = g.post(
        &format!("/repos/octo/app/actions/runs/{run}/pending_deployments"),
        review.clone(),
    );
    assert_eq!(
        r.status, 422,
        "the workflow token is not a required reviewer"
    );
    let mut alice = TokenSpec::write_all();
    alice.login = "alice".into();
    g.s.add_token("ghp_alice", alice);
    let a = g.as_token(Some("ghp_alice"));
    assert_eq!(
        a.get(&format!(
            "/repos/octo/app/actions/runs/{run}/pending_deployments"
        ))
        .body[0]["current_user_can_approve"],
        true
    );
    let r = a.post(
        &format!("/repos/octo/app/actions/runs/{run}/pending_deployments"),
        review,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body[0]["environment"], "production");
    assert_eq!(r.body[0]["ref"], "main");
    assert_eq!(
        g.get(&format!(
            "/repos/octo/app/actions/runs/{run}/pending_deployments"
        ))
        .body,
        json!([])
    );
    assert_eq!(
        g.delete(&format!("/repos/octo/app/actions/runs/{run}"))
            .status,
        204
    );
    assert_eq!(
        g.get(&format!("/repos/octo/app/actions/runs/{run}")).status,
        404
    );
    g.s.assert_no_violations();
}

// ---- releases -------------------------------------------------------------------------------

#[test]
fn releases_create_list_and_get_by_tag() {
    let Some(g) = gh() else { return };
    let r = g.post(
        "/repos/octo/app/releases",
        json!({"tag_name": "v1.0.0", "name": "1.0.0", "body": "notes"}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.body["tag_name"], "v1.0.0");
    assert_eq!(r.body["target_commitish"], "main");
    assert!(r.body["published_at"].is_string());
    assert!(
        r.body["upload_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/assets{?name,label}"))
    );
    let dup = g.post("/repos/octo/app/releases", json!({"tag_name": "v1.0.0"}));
    assert_eq!(dup.status, 422);
    assert_eq!(dup.body["errors"][0]["code"], "already_exists");
    let draft = g.post(
        "/repos/octo/app/releases",
        json!({"tag_name": "v2.0.0", "draft": true, "generate_release_notes": true}),
    );
    assert_eq!(draft.body["published_at"], Value::Null);
    assert!(
        draft.body["body"]
            .as_str()
            .is_some_and(|b| b.contains("Full Changelog"))
    );
    assert_eq!(
        g.get("/repos/octo/app/releases")
            .body
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        g.as_token(None)
            .get("/repos/octo/app/releases")
            .body
            .as_array()
            .map(Vec::len),
        Some(1),
        "drafts only for writers"
    );
    assert_eq!(
        g.get("/repos/octo/app/releases/tags/v1.0.0").body["name"],
        "1.0.0"
    );
    assert_eq!(g.get("/repos/octo/app/releases/tags/v2.0.0").status, 404);
    // The tag of a published release points at its target.
    assert_eq!(
        g.get("/repos/octo/app/compare/main...v1.0.0").body["status"],
        "identical"
    );
    g.s.assert_no_violations();
}

// ---- GHES, the request log, async use -------------------------------------------------------

#[test]
fn everything_is_served_under_the_ghes_prefix_too() {
    let Some(g) = gh() else { return };
    let (sha, pr) = g.pull();
    let e = g.ghes();
    let r = e.get("/repos/octo/app");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["url"], format!("{}/api/v3/repos/octo/app", g.root));
    assert_eq!(r.body["html_url"], format!("{}/octo/app", g.root));
    let c = e.post("/repos/octo/app/check-runs", json!({"name": "shipgate", "head_sha": sha, "output": {"title": "t", "summary": "s", "annotations": annotations(40, 0)}}));
    assert_eq!(c.status, 201);
    assert!(
        c.body["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{}/api/v3/", g.root)))
    );
    let id = c.body["id"].as_u64().expect("id");
    let page = e.get(&format!("/repos/octo/app/check-runs/{id}/annotations"));
    let next = &page.links()["next"];
    assert!(
        next.starts_with(&format!("{}/api/v3/repositories/", g.root)),
        "{next}"
    );
    assert_eq!(e.get(next).body.as_array().map(Vec::len), Some(10));
    assert_eq!(
        e.post(
            &format!("/repos/octo/app/issues/{pr}/comments"),
            json!({"body": "hi"})
        )
        .status,
        201
    );
    assert_eq!(e.get("/rate_limit").status, 200);
    assert_eq!(
        g.s.requests_matching("GET", "/repos/*/check-runs/*/annotations")
            .len(),
        2
    );
    assert!(
        g.s.requests()
            .iter()
            .all(|r| r.path.starts_with("/api/v3/"))
    );
    g.s.assert_no_violations();
}

#[test]
fn the_request_log_counts_requests_with_their_bodies_and_statuses() {
    let Some(g) = gh() else { return };
    let (sha, _) = g.pull();
    let id = g
        .post(
            "/repos/octo/app/check-runs",
            json!({"name": "shipgate", "head_sha": sha, "status": "in_progress"}),
        )
        .body["id"]
        .as_u64()
        .expect("id");
    let total: usize = 1_234;
    for chunk in 0..total.div_ceil(50) {
        let n = 50.min(total - chunk * 50);
        let r = g.patch(&format!("/repos/octo/app/check-runs/{id}"), json!({"output": {"title": "t", "summary": "s", "annotations": annotations(n, chunk * 50)}}));
        assert_eq!(r.status, 200);
    }
    let patches =
        g.s.requests_matching("PATCH", "/repos/octo/app/check-runs/*");
    assert_eq!(patches.len(), 25);
    assert_eq!(g.s.requests().len(), 26);
    assert!(
        patches
            .iter()
            .all(|r| r.status == 200 && r.operation.as_deref() == Some("checks/update"))
    );
    assert_eq!(
        patches[24]
            .body
            .as_ref()
            .map(|b| b["output"]["annotations"].as_array().map(Vec::len)),
        Some(Some(34))
    );
    assert_eq!(g.s.check_runs(REPO)[0].annotations.len(), 1_234);
    g.s.clear_requests();
    assert!(g.s.requests().is_empty());
    g.s.assert_no_violations();
}

#[tokio::test(flavor = "current_thread")]
async fn async_clients_use_it_too() {
    let s = match try_start(Options::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: {e}");
            return;
        }
    };
    s.create_repo(RepoSpec::new(REPO));
    s.add_token(TOKEN, TokenSpec::write_all());
    install_crypto_provider();
    let c = reqwest::Client::new();
    let r = c
        .get(format!("{}/repos/octo/app", s.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["name"], "app");
    s.assert_no_violations();
}

#[test]
#[should_panic(expected = "recorded 1 violation")]
fn a_bad_request_fails_the_test_that_made_it() {
    let Some(g) = gh() else {
        panic!("recorded 1 violation (skipped: no description)")
    };
    let (sha, _) = g.pull();
    g.post("/repos/octo/app/check-runs", json!({"head_sha": sha}));
    drop(g);
}

#[test]
fn the_response_check_catches_an_answer_that_is_not_githubs() {
    let spec = match shipgate_testserver::openapi::Spec::load(None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: {e}");
            return;
        }
    };
    let op = spec
        .operation("checks/create")
        .expect("checks/create is described");
    let problems = spec.check_response(op, 201, Some(&json!({"id": 1, "name": "x"})));
    assert!(
        problems
            .iter()
            .any(|p| p.to_string() == "`node_id`: is missing"),
        "{problems:?}"
    );
    // An undocumented success status is a server bug; GitHub's generic errors are not.
    assert!(!spec.check_response(op, 200, Some(&json!({}))).is_empty());
    assert!(
        spec.check_response(op, 503, Some(&json!({"message": "Service Unavailable"})))
            .is_empty()
    );
    let op = spec.operation("issues/delete-comment").expect("described");
    assert!(
        !spec
            .check_response(op, 204, Some(&json!({"x": 1})))
            .is_empty()
    );
}

#[test]
fn the_description_is_looked_up_in_the_documented_order() {
    let c = shipgate_testserver::candidate_paths();
    let n = c.len();
    assert!(
        c[n - 2].ends_with("shared/github-openapi/subset.json"),
        "{c:?}"
    );
    assert!(c[n - 1].ends_with("node_modules/@octokit/openapi/generated/api.github.com.json"));
    assert!(c[n - 1].starts_with(shipgate_testserver::cache_dir()));
}

// ---- operations added to ../shared's subset (widen.rs) --------------------------------------

#[test]
fn users_teams_and_release_updates_added_from_the_full_description() {
    let Some(g) = gh() else { return };
    let ops = [
        "users/get-by-username",
        "teams/get-by-name",
        "repos/update-release",
    ];
    if ops.iter().any(|o| !g.s.supports(o)) {
        let why = g.s.widening_problem().unwrap_or_default();
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the description lacks {ops:?}: {why}"
        );
        eprintln!("skipped: the description lacks {ops:?}: {why}");
        return;
    }
    // Users: known ones with their ids, 404 for others; teams only in organisations.
    let alice = g.s.user_id("alice");
    let r = g.get("/users/alice");
    assert_eq!((r.status, r.body["id"].as_u64()), (200, Some(alice)));
    assert_eq!(r.body["type"], "User");
    assert_eq!(g.get("/users/nobody-here").status, 404);
    assert_eq!(g.get("/orgs/octo/teams/ops").status, 404, "octo is a user");
    let org = g.s.create_org("octo");
    let team = g.s.create_team("octo", "ops", "Operations");
    assert_eq!(g.get("/users/octo").body["type"], "Organization");
    let r = g.get("/orgs/octo/teams/ops");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["id"].as_u64(), Some(team));
    assert_eq!(r.body["organization"]["id"].as_u64(), Some(org));
    assert_eq!(g.get("/orgs/octo/teams/nope").status, 404);
    assert_eq!(g.get("/orgs/alice/teams/ops").status, 404);
    // Reviewers must exist; the team is listed as a team.
    let r = g.put(
        "/repos/octo/app/environments/production",
        json!({"reviewers": [{"type": "User", "id": alice}, {"type": "Team", "id": 99_999_999}]}),
    );
    assert_eq!(r.status, 422);
    let r = g.put(
        "/repos/octo/app/environments/production",
        json!({"reviewers": [{"type": "User", "id": alice}, {"type": "Team", "id": team}]}),
    );
    assert_eq!(r.status, 200);
    let reviewers = &r.body["protection_rules"][0]["reviewers"];
    assert_eq!(reviewers[1]["reviewer"]["slug"], "ops");
    assert_eq!(
        g.s.environment_reviewers(REPO, "production"),
        vec![("User".to_string(), alice), ("Team".to_string(), team)]
    );
    // Release updates change the fields sent, keep the others.
    let id = g
        .post(
            "/repos/octo/app/releases",
            json!({"tag_name": "v1.0.0", "name": "1.0.0", "body": "notes"}),
        )
        .body["id"]
        .as_u64()
        .unwrap();
    let r = g.patch(
        &format!("/repos/octo/app/releases/{id}"),
        json!({"body": "better notes", "prerelease": true}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        (&r.body["name"], &r.body["body"], &r.body["prerelease"]),
        (&json!("1.0.0"), &json!("better notes"), &json!(true))
    );
    assert_eq!(
        g.patch("/repos/octo/app/releases/12345678", json!({"body": "x"}))
            .status,
        404
    );
    let no_write = "ghs_read_only";
    g.s.add_token(no_write, TokenSpec::read_all());
    assert_eq!(
        g.as_token(Some(no_write))
            .send(
                Method::PATCH,
                &format!("/repos/octo/app/releases/{id}"),
                Some(json!({"body": "x"}))
            )
            .status,
        403
    );
    g.s.assert_no_violations();
}

#[test]
fn a_request_held_before_applying_lands_after_later_ones_even_when_abandoned() {
    let Some(g) = gh() else { return };
    let (_, pr) = g.pull();
    let path = format!("/repos/octo/app/issues/{pr}/comments");
    g.s.inject(
        Fault::delay_before_applying(Duration::from_millis(800))
            .on("/repos/*/issues/*/comments")
            .method("POST")
            .times(1),
    );
    // The first comment's client gives up after 200 ms.
    let url = format!("{}{path}", g.root);
    let impatient = std::thread::spawn(move || {
        install_crypto_provider();
        let c = Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        c.post(url)
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("accept", "application/vnd.github+json")
            .json(&json!({"body": "first"}))
            .send()
            .is_err()
    });
    let t = Instant::now();
    while g.s.held_requests() == 0 {
        assert!(t.elapsed() < Duration::from_secs(5), "never held");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Held: not carried out yet, and a later request (the fault caught only one) goes first.
    assert!(g.s.comments(REPO, pr).is_empty());
    assert_eq!(g.post(&path, json!({"body": "second"})).status, 201);
    assert!(impatient.join().unwrap(), "the first client gave up");
    while g.s.held_requests() > 0 || g.s.comments(REPO, pr).len() < 2 {
        assert!(t.elapsed() < Duration::from_secs(5), "never carried out");
        std::thread::sleep(Duration::from_millis(5));
    }
    let bodies: Vec<String> = g.s.comments(REPO, pr).into_iter().map(|c| c.body).collect();
    assert_eq!(bodies, ["second", "first"]);
    assert!(t.elapsed() >= Duration::from_millis(750));
    // Logged once, with its status, after it was carried out.
    let posts = g.s.requests_matching("POST", "/repos/*/issues/*/comments");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].status, 201);
    assert!(posts[1].elapsed >= Duration::from_millis(750));
    g.s.assert_no_violations();
}
