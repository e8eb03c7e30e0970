//! Publishing to GitHub, against the project's test GitHub server (`shipgate-testserver`),
//! which checks every request and answer against GitHub's OpenAPI description and panics on
//! drop when one did not conform. The client layer is tested through the library; the
//! commands through the real binary.

use serde_json::json;
use shipgate::github::{Client, GitHubError, Method, Settings};
use shipgate_testserver::{Fault, Options, PullSpec, RepoSpec, Server, TokenSpec, try_start};
use std::time::{Duration, Instant};

const REPO: &str = "octo/app";
const TOKEN: &str = "ghs_write_token_0123456789";

/// A server with `octo/app` and a write-all token, or `None` (skipped) without the OpenAPI
/// description. The OpenAPI check is on (`Options::default()`: violations fail the test on
/// drop); where `../shared` has the description, not starting is a failure, not a skip.
fn server() -> Option<Server> {
    let opts = Options::default();
    assert!(
        opts.check_on_drop,
        "publish tests run with the OpenAPI check on"
    );
    match try_start(opts) {
        Ok(s) => {
            s.create_repo(RepoSpec::new(REPO));
            s.add_token(TOKEN, TokenSpec::write_all());
            Some(s)
        }
        Err(e) => {
            let subset = crate::support::repo().join("../shared/github-openapi/subset.json");
            assert!(
                !subset.exists(),
                "{} exists but the test server did not start: {e}",
                subset.display()
            );
            println!("notice: skipped: {e}");
            None
        }
    }
}

fn settings(gh: &Server, token: &str) -> Settings {
    let mut s = Settings::from_vars(|k| match k {
        "GITHUB_REPOSITORY" => Some(REPO.into()),
        "GITHUB_API_URL" => Some(gh.url()),
        "GITHUB_TOKEN" => Some(token.into()),
        _ => None,
    })
    .unwrap();
    s.policy.base_delay = Duration::from_millis(20);
    s.policy.max_total = Duration::from_secs(20);
    s
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn client_pages_retries_and_names_permissions() {
    let Some(gh) = server() else { return };
    let pr = gh.create_pull(PullSpec::new(REPO, "main"));
    for i in 0..250 {
        gh.add_comment(REPO, pr, "someone", &format!("comment {i}"));
    }
    let rt = rt();
    let _guard = rt.enter();
    let c = Client::new(settings(&gh, TOKEN)).unwrap();
    // 250 comments at 100 a page: three requests, every comment once.
    let all = rt
        .block_on(c.get_all(&c.repo_path(&format!("/issues/{pr}/comments")), None))
        .unwrap();
    assert_eq!(all.len(), 250);
    assert_eq!(all[249]["body"], "comment 249");
    assert_eq!(gh.requests_matching("GET", "*/comments*").len(), 3);

    // A burst of three 502s is retried through.
    gh.clear_requests();
    gh.inject(Fault::server_error(502).on("/repos/octo/app").times(3));
    let r = rt.block_on(c.get(&c.repo_path(""))).unwrap();
    assert_eq!(r.body["full_name"], REPO);
    assert_eq!(gh.requests_matching("GET", "/repos/octo/app").len(), 4);

    // A read-only token: the missing permission is named, nothing is retried.
    gh.add_token("ghs_read", TokenSpec::read_all());
    let ro = Client::new(settings(&gh, "ghs_read")).unwrap();
    let e = rt
        .block_on(ro.send(
            Method::POST,
            &ro.repo_path("/check-runs"),
            Some(&json!({"name": "x", "head_sha": gh.branch_sha(REPO, "main").unwrap()})),
        ))
        .unwrap_err();
    assert_eq!(e.missing_permission(), Some("checks: write"), "{e}");

    // Secondary rate limit: retry-after is waited.
    gh.inject(
        Fault::secondary_rate_limit(1)
            .on("/repos/octo/app")
            .times(1),
    );
    let t = Instant::now();
    rt.block_on(c.get(&c.repo_path(""))).unwrap();
    assert!(t.elapsed() >= Duration::from_secs(1), "{:?}", t.elapsed());

    // A 404 is not retried.
    gh.clear_requests();
    let e = rt.block_on(c.get("/repos/octo/nothing")).unwrap_err();
    assert!(matches!(e, GitHubError::NotFound { .. }), "{e}");
    assert_eq!(gh.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------
// The real binary against the server.

use shipgate_testserver::{FileChange, SarifProcessing};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A pull request from `feature` on `octo/app`, with its head sha.
struct Pr {
    number: u64,
    head: String,
}

fn open_pr(gh: &Server, branch: &str) -> Pr {
    let head = gh.commit(
        REPO,
        branch,
        "Change",
        vec![FileChange::modified("src/app.py", 5, 1)],
    );
    let number = gh.create_pull(PullSpec::new(REPO, branch));
    Pr { number, head }
}

/// A JUnit report with `failing` failed tests (each at `tests/test_app.py:10+i`) and one
/// passing test.
fn junit(dir: &Path, failing: usize) -> PathBuf {
    let mut cases = String::from(
        r#"<testcase classname="tests.test_app" name="test_ok" file="tests/test_app.py" line="3" time="0.01"/>"#,
    );
    for i in 0..failing {
        cases.push_str(&format!(
            r#"<testcase classname="tests.test_app" name="test_bad_{i}" file="tests/test_app.py" line="{}" time="0.01"><failure message="assert {i} == 42">AssertionError</failure></testcase>"#,
            10 + i
        ));
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="{}" failures="{failing}" errors="0" skipped="0">{cases}</testsuite></testsuites>"#,
        failing + 1
    );
    let p = dir.join("junit.xml");
    std::fs::write(&p, xml).unwrap();
    p
}

/// A SARIF log with `n` warning results, each on its own line of `src/app.py`.
fn sarif(dir: &Path, n: usize) -> PathBuf {
    let results: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            json!({
                "ruleId": "W1",
                "level": "warning",
                "message": {"text": format!("warning number {i}")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "src/app.py"},
                    "region": {"startLine": i + 1}
                }}]
            })
        })
        .collect();
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "lintr", "rules": [{"id": "W1"}]}}, "results": results}]
    });
    let p = dir.join("findings.sarif");
    std::fs::write(&p, serde_json::to_vec(&log).unwrap()).unwrap();
    p
}

/// A `pull_request` event payload (GitHub's own example, with this PR's number and head).
fn pr_event(dir: &Path, pr: &Pr) -> PathBuf {
    let mut v: serde_json::Value = match crate::support::shared("github-events") {
        Some(p) => {
            serde_json::from_slice(&std::fs::read(p.join("pull_request.opened.0.json")).unwrap())
                .unwrap()
        }
        None => json!({"action": "opened", "pull_request": {"head": {}}, "repository": {}}),
    };
    v["number"] = json!(pr.number);
    v["pull_request"]["number"] = json!(pr.number);
    v["pull_request"]["head"]["sha"] = json!(pr.head);
    v["repository"]["full_name"] = json!(REPO);
    v["repository"]["default_branch"] = json!("main");
    let p = dir.join("event.json");
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p
}

/// The runner's environment for a `pull_request` job on `pr`, nothing else inherited.
fn pr_env(gh: &Server, dir: &Path, pr: &Pr, token: &str) -> Vec<(String, String)> {
    let event = pr_event(dir, pr);
    std::fs::write(dir.join("summary.md"), "").unwrap();
    std::fs::write(dir.join("output.txt"), "").unwrap();
    [
        ("GITHUB_ACTIONS", "true".to_string()),
        ("GITHUB_REPOSITORY", REPO.into()),
        ("GITHUB_API_URL", gh.url()),
        ("GITHUB_SERVER_URL", "https://github.com".into()),
        ("GITHUB_TOKEN", token.into()),
        ("GITHUB_EVENT_NAME", "pull_request".into()),
        ("GITHUB_EVENT_PATH", event.display().to_string()),
        (
            "GITHUB_SHA",
            "0123456789abcdef0123456789abcdef01234567".into(),
        ),
        ("GITHUB_REF", format!("refs/pull/{}/merge", pr.number)),
        ("GITHUB_RUN_ID", "4242".into()),
        (
            "GITHUB_STEP_SUMMARY",
            dir.join("summary.md").display().to_string(),
        ),
        (
            "GITHUB_OUTPUT",
            dir.join("output.txt").display().to_string(),
        ),
        ("SHIPGATE_RETRY_BASE_MS", "20".into()),
        ("SHIPGATE_RETRY_MAX_SECONDS", "20".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn shipgate_cmd(dir: &Path, args: &[&str], env: &[(String, String)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    c.args(args).current_dir(dir).env_clear();
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(dir: &Path, args: &[&str], env: &[(String, String)]) -> Output {
    shipgate_cmd(dir, args, env).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `gate --publish` with the given reports, in a fresh directory.
fn gate(
    gh: &Server,
    pr: &Pr,
    token: &str,
    failing: usize,
    warnings: usize,
    extra: &[&str],
) -> (Output, tempfile::TempDir) {
    gate_env(gh, pr, token, failing, warnings, extra, &[])
}

fn gate_env(
    gh: &Server,
    pr: &Pr,
    token: &str,
    failing: usize,
    warnings: usize,
    extra: &[&str],
    more_env: &[(&str, &str)],
) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let j = junit(dir.path(), failing);
    let mut args: Vec<String> = vec![
        "gate".into(),
        "--publish".into(),
        "--tests".into(),
        j.display().to_string(),
    ];
    if warnings > 0 {
        let s = sarif(dir.path(), warnings);
        args.push("--findings".into());
        args.push(s.display().to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut env = pr_env(gh, dir.path(), pr, token);
    env.extend(more_env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(dir.path(), &a, &env);
    (o, dir)
}

fn annotation_patches(gh: &Server) -> usize {
    gh.requests_matching("PATCH", "/repos/octo/app/check-runs/*")
        .iter()
        .filter(|r| {
            r.body
                .as_ref()
                .and_then(|b| b.pointer("/output/annotations"))
                .is_some()
        })
        .count()
}

#[test]
fn passing_and_failing_pull_requests() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");

    let (o, dir) = gate(&gh, &pr, TOKEN, 0, 0, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let runs = gh.check_runs(REPO);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].name, "shipgate");
    assert_eq!(
        runs[0].head_sha, pr.head,
        "the check goes on the PR's head, not the merge commit"
    );
    assert_eq!(runs[0].status, "completed");
    assert_eq!(runs[0].conclusion.as_deref(), Some("success"));
    assert!(
        runs[0]
            .title
            .as_deref()
            .unwrap()
            .starts_with("Passed: score 100 / 100"),
        "{:?}",
        runs[0].title
    );
    assert!(
        runs[0]
            .summary
            .as_deref()
            .unwrap()
            .contains("Quality gate passed")
    );
    // It was created in_progress.
    let created = gh.requests_matching("POST", "/repos/octo/app/check-runs");
    assert_eq!(created[0].body.as_ref().unwrap()["status"], "in_progress");
    let comments = gh.comments(REPO, pr.number);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].body.starts_with("<!-- shipgate:shipgate -->"));
    // A typical PR run: create the check run, read the pull request's changed lines (the
    // workspace has no git history, so from the API), read the baseline from the base
    // commit's check runs (one request; none there: the comparison is skipped), complete the
    // check run, list the comments, create the comment, list again to make sure it is the
    // only one.
    let all = gh.requests();
    println!("API requests for a typical pull-request run: {}", all.len());
    let shape: Vec<&str> = all
        .iter()
        .map(|r| r.operation.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(
        shape,
        [
            "checks/create",
            "pulls/list-files",
            "checks/list-for-ref",
            "checks/update",
            "issues/list-comments",
            "issues/create-comment",
            "issues/list-comments",
        ]
    );
    drop(dir);

    // A failing PR: exit 1, failure, one annotation per failing test and per finding.
    let pr2 = open_pr(&gh, "broken");
    gh.clear_requests();
    let (o, _dir) = gate(&gh, &pr2, TOKEN, 2, 3, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let run = gh
        .check_runs(REPO)
        .into_iter()
        .find(|r| r.head_sha == pr2.head)
        .unwrap();
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert!(
        run.title.as_deref().unwrap().starts_with("Failed:"),
        "{:?}",
        run.title
    );
    assert_eq!(run.annotations.len(), 2 + 3);
    // Failing tests first.
    assert_eq!(run.annotations[0]["annotation_level"], "failure");
    assert_eq!(run.annotations[0]["path"], "tests/test_app.py");
    assert_eq!(run.annotations[0]["start_line"], 10);
    assert_eq!(run.annotations[4]["annotation_level"], "warning");
    let c = gh.comments(REPO, pr2.number);
    assert_eq!(c.len(), 1);
    assert!(c[0].body.contains("Quality gate failed"));
    gh.assert_no_violations();
}

#[test]
fn annotations_go_50_a_request() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let (o, _dir) = gate(&gh, &pr, TOKEN, 0, 1234, &["--comment", "off"]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    // ceil(1234 / 50) = 25 requests carry annotations; the last also completes the run.
    assert_eq!(annotation_patches(&gh), 25);
    let runs = gh.check_runs(REPO);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].annotations.len(), 1234);
    assert_eq!(runs[0].status, "completed");
    assert!(
        gh.requests_matching("POST", "*/comments").is_empty(),
        "--comment off"
    );

    // A cap keeps the most important.
    gh.clear_requests();
    let (_o, _dir) = gate(
        &gh,
        &pr,
        TOKEN,
        1,
        1234,
        &["--comment", "off", "--max-annotations", "120"],
    );
    assert_eq!(annotation_patches(&gh), 3);
    let run = gh.check_runs(REPO).pop().unwrap();
    assert_eq!(run.annotations.len(), 120);
    assert_eq!(run.annotations[0]["annotation_level"], "failure");
}

#[test]
fn rerun_updates_the_same_comment() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &["--comment", "always"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let first = gh.comments(REPO, pr.number);
    assert_eq!(first.len(), 1);
    // Re-run, now with two failures: the same comment, updated in place.
    let (o, _d) = gate(&gh, &pr, TOKEN, 2, 0, &["--comment", "always"]);
    assert_eq!(o.status.code(), Some(1));
    let second = gh.comments(REPO, pr.number);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id);
    assert_ne!(second[0].body, first[0].body);
    assert_eq!(
        gh.requests_matching("PATCH", "/repos/octo/app/issues/comments/*")
            .len(),
        1
    );
    // on-change with nothing changed: no update.
    gh.clear_requests();
    let (_o, _d) = gate(&gh, &pr, TOKEN, 2, 0, &["--comment", "on-change"]);
    assert!(
        gh.requests_matching("PATCH", "/repos/octo/app/issues/comments/*")
            .is_empty()
    );
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);
    // Passing with delete-on-pass: the comment goes.
    let (o, _d) = gate(&gh, &pr, TOKEN, 0, 0, &["--delete-on-pass"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(gh.comments(REPO, pr.number).is_empty());
    // on-failure while passing: no comment is created.
    let (_o, _d) = gate(&gh, &pr, TOKEN, 0, 0, &["--comment", "on-failure"]);
    assert!(gh.comments(REPO, pr.number).is_empty());
}

#[test]
fn two_concurrent_runs_leave_one_comment() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    // Slow answers to listing the comments (the server answers with the state at the time of
    // the request): both runs see no comment, both create one, and must then converge.
    gh.inject(
        Fault::delay(Duration::from_millis(1500))
            .on("/repos/octo/app/issues/*/comments")
            .method("GET"),
    );
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let children: Vec<std::process::Child> = dirs
        .iter()
        .map(|d| {
            let j = junit(d.path(), 1);
            let env = pr_env(&gh, d.path(), &pr, TOKEN);
            shipgate_cmd(
                d.path(),
                &["gate", "--publish", "--tests", j.to_str().unwrap()],
                &env,
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    assert_eq!(
        gh.requests_matching("POST", "/repos/octo/app/issues/*/comments")
            .len(),
        2,
        "both created one"
    );
    let c = gh.comments(REPO, pr.number);
    assert_eq!(c.len(), 1, "one comment left: {c:?}");
    assert!(c[0].body.starts_with("<!-- shipgate:shipgate -->"));
}

#[test]
fn fork_pull_request_with_read_only_token_degrades() {
    let Some(gh) = server() else { return };
    gh.fork(REPO, "contrib");
    let head = gh.commit(
        "contrib/app",
        "fix",
        "Fix",
        vec![FileChange::modified("src/app.py", 2, 0)],
    );
    let number = gh.create_pull(PullSpec::new(REPO, "contrib:fix"));
    gh.add_token("ghs_fork_token", TokenSpec::write_all().fork_pull_request());
    let pr = Pr { number, head };
    for (failing, code) in [(1usize, 1), (0, 0)] {
        let (o, dir) = gate(&gh, &pr, "ghs_fork_token", failing, 0, &["--status"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "the gate's exit code: {err}");
        let notices: Vec<&str> = err.lines().filter(|l| l.starts_with("::notice")).collect();
        assert_eq!(notices.len(), 1, "{err}");
        assert!(notices[0].contains("`checks: write`"), "{}", notices[0]);
        assert!(
            notices[0].contains("`pull-requests: write`"),
            "{}",
            notices[0]
        );
        assert!(notices[0].contains("`statuses: write`"), "{}", notices[0]);
        assert!(
            !err.contains("warning: publishing to GitHub failed"),
            "{err}"
        );
        let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
        assert!(
            summary.contains("Quality gate"),
            "the job summary carries the verdict"
        );
    }
    assert!(gh.check_runs(REPO).is_empty());
    assert!(gh.comments(REPO, number).is_empty());
    // Each write was tried once: a 403 for a permission is not retried.
    assert_eq!(
        gh.requests_matching("POST", "/repos/octo/app/check-runs")
            .len(),
        2
    );
}

#[test]
fn faults_are_retried_without_duplicates() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");

    // Secondary rate limit on creating the check run: retry-after (1 s) is waited.
    gh.inject(
        Fault::secondary_rate_limit(1)
            .on("/repos/octo/app/check-runs")
            .method("POST")
            .times(1),
    );
    let t = Instant::now();
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert_eq!(gh.check_runs(REPO).len(), 1);

    // Primary rate limit: waits until x-ratelimit-reset.
    gh.inject(
        Fault::primary_rate_limit(Duration::from_secs(1))
            .on("/repos/octo/app/issues/*/comments")
            .method("GET")
            .times(1),
    );
    let t = Instant::now();
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &["--comment", "always"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);

    // A burst of 502s on the annotation requests: every annotation lands once.
    gh.inject(
        Fault::server_error(502)
            .on("/repos/octo/app/check-runs/*")
            .method("PATCH")
            .times(3),
    );
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 120, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let run = gh.check_runs(REPO).pop().unwrap();
    assert_eq!(run.annotations.len(), 121);
    assert_eq!(run.status, "completed");

    // A slow answer (past the client's timeout) to the create: the run made is found, not
    // made twice.
    let before = gh.check_runs(REPO).len();
    gh.inject(
        Fault::delay(Duration::from_secs(3))
            .on("/repos/octo/app/check-runs")
            .method("POST")
            .times(1),
    );
    let (o, _d) = gate_env(
        &gh,
        &pr,
        TOKEN,
        1,
        0,
        &[],
        &[("SHIPGATE_HTTP_TIMEOUT_SECONDS", "1")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(gh.check_runs(REPO).len(), before + 1, "{}", stderr(&o));
    assert_eq!(gh.check_runs(REPO).pop().unwrap().status, "completed");

    // 422 on the comment: reported, the gate's exit code unchanged, nothing retried.
    gh.clear_requests();
    gh.inject(
        Fault::new(shipgate_testserver::FaultKind::ValidationFailed)
            .on("/repos/octo/app/issues/comments/*")
            .times(1),
    );
    let (o, _d) = gate(&gh, &pr, TOKEN, 3, 0, &["--comment", "always"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("validation failed"), "{err}");
    assert_eq!(
        gh.requests_matching("PATCH", "/repos/octo/app/issues/comments/*")
            .len(),
        1
    );

    // A 5xx outage longer than the time bound: given up, the gate's exit code stays 0.
    gh.inject(Fault::server_error(503).on("/repos/octo/app/check-runs*"));
    let t = Instant::now();
    let (o, _d) = gate_env(
        &gh,
        &pr,
        TOKEN,
        0,
        0,
        &["--comment", "off"],
        &[("SHIPGATE_RETRY_MAX_SECONDS", "2")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(t.elapsed() < Duration::from_secs(15));
    assert!(stderr(&o).contains("gave up"), "{}", stderr(&o));
    gh.clear_faults();
}

#[test]
fn sarif_upload_waits_and_fails_on_failed_processing() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    let file = sarif(dir.path(), 3);
    let mut env = pr_env(&gh, dir.path(), &pr, TOKEN);
    // On GitHub GITHUB_SHA is the merge commit; the server knows the head only.
    for (k, v) in env.iter_mut() {
        if k == "GITHUB_SHA" {
            *v = pr.head.clone();
        }
    }
    gh.set_sarif_processing(SarifProcessing {
        pending_polls: 2,
        fail_with: None,
    });
    let o = run(
        dir.path(),
        &[
            "sarif",
            "upload",
            file.to_str().unwrap(),
            "--category",
            "lint",
            "--wait",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ups = gh.sarif_uploads(REPO);
    assert_eq!(ups.len(), 1);
    assert_eq!(ups[0].git_ref, format!("refs/pull/{}/merge", pr.number));
    assert_eq!(ups[0].commit_sha, pr.head);
    assert_eq!(ups[0].results, vec![3]);
    let doc = ups[0].document.as_ref().unwrap();
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "lint/");
    // pending, pending, complete
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/code-scanning/sarifs/*")
            .len(),
        3
    );

    gh.set_sarif_processing(SarifProcessing {
        pending_polls: 1,
        fail_with: Some(vec![
            "locationFromSarifResult: expected artifact location".into(),
        ]),
    });
    let o = run(
        dir.path(),
        &["sarif", "upload", file.to_str().unwrap(), "--wait"],
        &env,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("locationFromSarifResult: expected artifact location"),
        "{err}"
    );
}

#[test]
fn ghes_paths_and_no_token_in_trace_logs() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    let j = junit(dir.path(), 1);
    let mut env = pr_env(&gh, dir.path(), &pr, TOKEN);
    for (k, v) in env.iter_mut() {
        if k == "GITHUB_API_URL" {
            *v = gh.ghes_url();
        }
    }
    env.push(("SHIPGATE_LOG".into(), "trace".into()));
    env.push(("RUST_LOG".into(), "trace".into()));
    let o = run(
        dir.path(),
        &[
            "gate",
            "--publish",
            "--status",
            "--tests",
            j.to_str().unwrap(),
        ],
        &env,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let reqs = gh.requests();
    assert!(reqs.len() >= 6);
    assert!(
        reqs.iter()
            .all(|r| r.path.starts_with("/api/v3/repos/octo/app/")),
        "{reqs:?}"
    );
    assert_eq!(gh.check_runs(REPO).len(), 1);
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);
    assert_eq!(gh.statuses(REPO).len(), 1);
    assert!(err.lines().count() > 20, "trace logging is on: {err}");
    assert!(!err.contains(TOKEN), "the token leaked into the logs");
    assert!(!err.contains(&TOKEN[4..]), "part of the token leaked");
}

#[test]
fn publish_report_from_a_workflow_run() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    // The pull_request job: gate without publishing, report.json as the artifact.
    let j = junit(dir.path(), 2);
    let mut env = pr_env(&gh, dir.path(), &pr, "");
    env.retain(|(k, _)| k != "GITHUB_TOKEN");
    let o = run(
        dir.path(),
        &[
            "gate",
            "--tests",
            j.to_str().unwrap(),
            "--report",
            "report.json",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        gh.requests().is_empty(),
        "the gate alone does not call GitHub"
    );

    // The workflow_run job: GitHub's example payload with this run's head and PR.
    let mut v: serde_json::Value = match crate::support::shared("github-events") {
        Some(p) => {
            serde_json::from_slice(&std::fs::read(p.join("workflow_run.completed.2.json")).unwrap())
                .unwrap()
        }
        None => json!({"workflow_run": {"pull_requests": [{}]}}),
    };
    v["workflow_run"]["head_sha"] = json!(pr.head);
    v["workflow_run"]["pull_requests"][0]["number"] = json!(pr.number);
    let event = dir.path().join("workflow_run.json");
    std::fs::write(&event, serde_json::to_vec(&v).unwrap()).unwrap();
    let mut env = pr_env(&gh, dir.path(), &pr, TOKEN);
    for (k, val) in env.iter_mut() {
        match k.as_str() {
            "GITHUB_EVENT_NAME" => *val = "workflow_run".into(),
            "GITHUB_EVENT_PATH" => *val = event.display().to_string(),
            "GITHUB_REF" => *val = "refs/heads/main".into(),
            _ => {}
        }
    }
    let o = run(dir.path(), &["publish", "report.json"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let runs = gh.check_runs(REPO);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].head_sha, pr.head);
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    assert_eq!(runs[0].annotations.len(), 2);
    // The report's baseline digest is written last in output.text, for later runs.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    let text = runs[0].text.as_deref().expect("output.text");
    assert!(
        text.ends_with(report["baseline"].as_str().unwrap()),
        "{text}"
    );
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);

    // Without a pull request in the payload (fork PRs), the report's refs/pull/N/merge ref.
    v["workflow_run"]["pull_requests"] = json!([]);
    std::fs::write(&event, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = run(
        dir.path(),
        &["publish", "report.json", "--comment", "always"],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);
    assert_eq!(gh.check_runs(REPO).len(), 2);

    // With a read-only token: one notice, this job's summary carries the verdict, exit 0.
    gh.add_token("ghs_read_only", TokenSpec::read_all());
    std::fs::write(dir.path().join("summary.md"), "").unwrap();
    let ro: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if k == "GITHUB_TOKEN" {
                    "ghs_read_only".into()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let o = run(dir.path(), &["publish", "report.json"], &ro);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("::notice")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("`checks: write`"), "{err}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("Quality gate failed"), "{summary}");
    assert_eq!(gh.check_runs(REPO).len(), 2, "nothing more was published");

    // A file that is not a report: exit 2 with its position.
    std::fs::write(dir.path().join("bad.json"), "{\"verdict\": 3}").unwrap();
    let o = run(dir.path(), &["publish", "bad.json"], &env);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.json:1:"), "{}", stderr(&o));
}

#[test]
fn uncovered_changed_lines_are_annotated() {
    let Some(gh) = server() else { return };
    // The PR adds lines 1-5 of src/app.py (the server's patch: "@@ -1,1 +1,5 @@").
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/app.py"), "a\nb\nc\nd\ne\nf\ng\n").unwrap();
    // Lines 2, 3, 5 and 7 never ran; 7 is not changed by the PR.
    let lcov = "TN:\nSF:src/app.py\nDA:1,1\nDA:2,0\nDA:3,0\nDA:4,3\nDA:5,0\nDA:7,0\nLF:6\nLH:2\nend_of_record\n";
    std::fs::write(dir.path().join("lcov.info"), lcov).unwrap();
    let env = pr_env(&gh, dir.path(), &pr, TOKEN);
    let root = dir.path().display().to_string();
    let o = run(
        dir.path(),
        &[
            "gate",
            "--publish",
            "--coverage",
            "lcov.info",
            "--root",
            &root,
            "--comment",
            "off",
        ],
        &env,
    );
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    let run = gh.check_runs(REPO).pop().unwrap();
    let got: Vec<(u64, u64, String)> = run
        .annotations
        .iter()
        .map(|a| {
            (
                a["start_line"].as_u64().unwrap(),
                a["end_line"].as_u64().unwrap(),
                a["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(2, 3, "src/app.py".into()), (5, 5, "src/app.py".into())]
    );
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/pulls/*/files")
            .len(),
        1
    );
}

#[test]
fn long_reports_are_cut_to_githubs_limits() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    // 60 failing tests with 2,000-character names (the verdict lists 50 of them): the
    // Markdown is over 65,535 characters.
    let mut cases = String::new();
    for i in 0..60 {
        cases.push_str(&format!(
            r#"<testcase classname="t" name="test_{i}_{}" file="tests/t.py" line="{}"><failure message="assert False">x</failure></testcase>"#,
            "x".repeat(2000),
            i + 1,
        ));
    }
    std::fs::write(
        dir.path().join("junit.xml"),
        format!(r#"<testsuites><testsuite name="s" tests="60" failures="60">{cases}</testsuite></testsuites>"#),
    )
    .unwrap();
    let env = pr_env(&gh, dir.path(), &pr, TOKEN);
    let o = run(
        dir.path(),
        &[
            "gate",
            "--publish",
            "--tests",
            "junit.xml",
            "--format",
            "markdown",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let full = String::from_utf8(o.stdout).unwrap();
    assert!(
        full.chars().count() > 65_536,
        "the uncut report is {} characters",
        full.chars().count()
    );
    let run = gh.check_runs(REPO).pop().unwrap();
    let summary = run.summary.unwrap();
    assert!(summary.chars().count() <= 65_535);
    assert!(
        summary.contains("the full report is in"),
        "{}",
        &summary[summary.len() - 300..]
    );
    assert!(summary.contains("https://github.com/octo/app/actions/runs/4242"));
    let c = gh.comments(REPO, pr.number);
    assert_eq!(c.len(), 1);
    assert!(c[0].body.chars().count() <= 65_536);
    assert!(c[0].body.contains("This comment is shortened"));
    assert_eq!(run.annotations.len(), 60);
}

#[test]
fn action_inputs_proxy_and_bad_input() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");

    // The Action's inputs as INPUT_* variables.
    let dir = tempfile::tempdir().unwrap();
    let j = junit(dir.path(), 1);
    let mut env = pr_env(&gh, dir.path(), &pr, "");
    env.retain(|(k, _)| k != "GITHUB_TOKEN");
    for (k, v) in [
        ("INPUT_TOKEN", TOKEN),
        ("INPUT_PUBLISH", "true"),
        ("INPUT_GATE_NAME", "backend"),
        ("INPUT_COMMENT", "on-failure"),
        ("INPUT_STATUS", "true"),
    ] {
        env.push((k.into(), v.into()));
    }
    let o = run(dir.path(), &["gate", "--tests", j.to_str().unwrap()], &env);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(gh.check_runs(REPO)[0].name, "backend");
    assert!(
        gh.comments(REPO, pr.number)[0]
            .body
            .starts_with("<!-- shipgate:backend -->")
    );
    assert_eq!(gh.statuses(REPO)[0].context, "backend");
    assert_eq!(gh.statuses(REPO)[0].state, "failure");
    // A second gate on the same pull request (a monorepo): its own check run and comment.
    let o = run(
        dir.path(),
        &[
            "gate",
            "--tests",
            j.to_str().unwrap(),
            "--gate-name",
            "frontend",
            "--comment",
            "always",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let names: Vec<String> = gh.check_runs(REPO).into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["backend", "frontend"]);
    let bodies: Vec<String> = gh
        .comments(REPO, pr.number)
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(bodies[1].starts_with("<!-- shipgate:frontend -->"));
    // INPUT_PUBLISH=false publishes nothing.
    gh.clear_requests();
    let env2: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if k == "INPUT_PUBLISH" {
                    "false".into()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let o = run(dir.path(), &["gate", "--tests", j.to_str().unwrap()], &env2);
    assert_eq!(o.status.code(), Some(1));
    assert!(gh.requests().is_empty());

    // Unreadable input: exit 2, and the check run started is completed, not left running.
    let o = run(dir.path(), &["gate", "--tests", "missing.xml"], &env);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let last = gh.check_runs(REPO).pop().unwrap();
    assert_eq!(last.status, "completed");
    assert_eq!(last.conclusion.as_deref(), Some("failure"));
    assert_eq!(last.title.as_deref(), Some("shipgate could not run"));

    // HTTP_PROXY is honoured: the request goes to the proxy, in absolute form.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let seen = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut s, _) = proxy.accept().unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap();
        let head = String::from_utf8_lossy(&buf[..n]).into_owned();
        let _ = s.write_all(
            b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        );
        head.lines().next().unwrap_or("").to_string()
    });
    gh.clear_requests();
    let mut env3 = env.clone();
    env3.push(("HTTP_PROXY".into(), proxy_url));
    env3.push(("SHIPGATE_RETRY_MAX_SECONDS".into(), "0".into()));
    let o = run(
        dir.path(),
        &["gate", "--tests", j.to_str().unwrap(), "--comment", "off"],
        &env3,
    );
    assert_eq!(o.status.code(), Some(1), "the gate's code: {}", stderr(&o));
    let line = seen.join().unwrap();
    assert!(
        line.starts_with(&format!("POST {}/repos/octo/app/check-runs ", gh.url())),
        "{line}"
    );
}

#[test]
fn writes_applied_before_a_failed_answer_are_not_repeated() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");

    // Every write is carried out by the server, then answered 502: the client cannot know it
    // landed. The check run, the comment and the status must each exist once.
    for (path, method) in [
        ("/repos/octo/app/check-runs", "POST"),
        ("/repos/octo/app/issues/*/comments", "POST"),
        ("/repos/octo/app/statuses/*", "POST"),
    ] {
        gh.inject(
            Fault::server_error_after_applying(502)
                .on(path)
                .method(method)
                .times(1),
        );
    }
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &["--status"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("warning:"), "{err}");
    assert_eq!(gh.check_runs(REPO).len(), 1);
    assert_eq!(gh.check_runs(REPO)[0].status, "completed");
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);
    let st = gh.statuses(REPO);
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0].state, "failure");
    assert_eq!(st[0].context, "shipgate");
    // Each create was sent once; the look before a retry found it.
    for (m, p) in [
        ("POST", "/repos/octo/app/check-runs"),
        ("POST", "/repos/octo/app/issues/*/comments"),
        ("POST", "/repos/octo/app/statuses/*"),
        ("GET", "/repos/octo/app/commits/*/status"),
    ] {
        assert_eq!(gh.requests_matching(m, p).len(), 1, "{m} {p}");
    }
    let post = &gh.requests_matching("POST", "/repos/octo/app/statuses/*")[0];
    assert_eq!(post.status, 502);

    // The answer to the status POST comes after the client's timeout (the server carried it
    // out): not sent twice either. The gate now passes, so the latest status differs.
    gh.clear_requests();
    gh.inject(
        Fault::delay(Duration::from_secs(3))
            .on("/repos/octo/app/statuses/*")
            .method("POST")
            .times(1),
    );
    let (o, _d) = gate_env(
        &gh,
        &pr,
        TOKEN,
        0,
        0,
        &["--status", "--comment", "off"],
        &[("SHIPGATE_HTTP_TIMEOUT_SECONDS", "1")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let st = gh.statuses(REPO);
    assert_eq!(st.len(), 2, "{st:?}");
    assert_eq!(
        st.iter().filter(|s| s.state == "success").count(),
        1,
        "{st:?}"
    );
    // The status POST timed out (the server logs a request when its answer goes out, so it
    // is not in the log); the look found it.
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/commits/*/status")
            .len(),
        1
    );

    // A 502 that was not carried out: the look finds the latest status differs (failure
    // wanted, success there), so the status is sent again, once.
    gh.clear_requests();
    gh.inject(
        Fault::server_error(502)
            .on("/repos/octo/app/statuses/*")
            .method("POST")
            .times(1),
    );
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &["--status", "--comment", "off"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let st = gh.statuses(REPO);
    assert_eq!(st.len(), 3, "{st:?}");
    assert_eq!(
        gh.requests_matching("POST", "/repos/octo/app/statuses/*")
            .len(),
        2
    );
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/commits/*/status")
            .len(),
        1
    );
    gh.assert_no_violations();
}

#[test]
fn primary_rate_limit_answered_with_429_waits_for_the_reset() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    // 429 with x-ratelimit-remaining: 0 and x-ratelimit-reset one second ahead. Read as a
    // secondary limit it would wait GitHub's default minute, past this test's 20 s bound.
    gh.inject(
        Fault::primary_rate_limit(Duration::from_secs(1))
            .with_429()
            .on("/repos/octo/app/check-runs")
            .method("POST")
            .times(1),
    );
    let t = Instant::now();
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let took = t.elapsed();
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert!(!err.contains("warning:"), "{err}");
    let posts = gh.requests_matching("POST", "/repos/octo/app/check-runs");
    assert_eq!(
        posts.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 201]
    );
    assert_eq!(
        posts[0].response.as_ref().unwrap()["message"]
            .as_str()
            .unwrap()
            .split('.')
            .next(),
        Some("API rate limit exceeded for installation")
    );
    let runs = gh.check_runs(REPO);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "completed");
    assert_eq!(gh.comments(REPO, pr.number).len(), 1);
    gh.assert_no_violations();
}

/// The `::notice` lines of a run's stderr.
fn notices(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("::notice")).collect()
}

#[test]
fn bad_or_missing_token_gives_one_notice_and_the_gates_exit_code() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let revoked = "ghs_revoked_token_9876543210";

    // A token GitHub does not accept: 401 Bad credentials on the first request; nothing else
    // is tried, one notice, the gate's exit code.
    for (failing, code) in [(1usize, 1), (0, 0)] {
        gh.clear_requests();
        let (o, dir) = gate(&gh, &pr, revoked, failing, 0, &["--status"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{err}");
        let n = notices(&err);
        assert_eq!(n.len(), 1, "{err}");
        assert!(n[0].contains("GitHub refused the token"), "{}", n[0]);
        assert!(n[0].contains("401 Bad credentials"), "{}", n[0]);
        assert!(n[0].contains("`GITHUB_TOKEN`"), "{}", n[0]);
        assert!(!err.contains("warning:"), "{err}");
        assert!(
            !err.contains(revoked) && !err.contains(&revoked[4..]),
            "{err}"
        );
        let reqs = gh.requests();
        assert_eq!(reqs.len(), 1, "{reqs:?}");
        assert_eq!(reqs[0].status, 401);
        let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
        assert!(summary.contains("Quality gate"), "{summary}");
    }
    assert!(gh.check_runs(REPO).is_empty());

    // The same through the Action's input: the notice names the input.
    let (o, _d) = gate_env(&gh, &pr, "", 1, 0, &[], &[("INPUT_TOKEN", revoked)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let n = notices(&err);
    assert_eq!(n.len(), 1, "{err}");
    assert!(n[0].contains("the Action's `token` input"), "{}", n[0]);

    // A token that stops being accepted in the middle (the comment): the check run is done,
    // the rest is not tried, one notice.
    gh.clear_requests();
    gh.inject(
        Fault::new(shipgate_testserver::FaultKind::BadCredentials)
            .on("/repos/octo/app/issues/*/comments")
            .times(1),
    );
    let (o, _d) = gate(&gh, &pr, TOKEN, 1, 0, &["--status"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(notices(&err).len(), 1, "{err}");
    assert!(!err.contains("warning:"), "{err}");
    assert_eq!(gh.check_runs(REPO).len(), 1);
    assert_eq!(gh.check_runs(REPO)[0].status, "completed");
    assert!(
        gh.requests_matching("POST", "/repos/octo/app/statuses/*")
            .is_empty()
    );

    // No token at all: nothing is sent; the notice says what to set.
    gh.clear_requests();
    let (o, dir) = gate(&gh, &pr, "", 1, 0, &["--status"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let n = notices(&err);
    assert_eq!(n.len(), 1, "{err}");
    assert!(n[0].contains("no GitHub token"), "{}", n[0]);
    assert!(n[0].contains("`token` input"), "{}", n[0]);
    assert!(n[0].contains("GITHUB_TOKEN"), "{}", n[0]);
    assert!(!err.contains("warning:"), "{err}");
    assert!(gh.requests().is_empty());
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("Quality gate failed"), "{summary}");

    // `shipgate publish report.json` in a workflow_run job: the same notices; it degrades to
    // the job summary and exits 0 as it does for a read-only token.
    let (o, dir) = gate(&gh, &pr, "", 1, 0, &["--report", "report.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for token in [revoked, ""] {
        gh.clear_requests();
        std::fs::write(dir.path().join("summary.md"), "").unwrap();
        let env = pr_env(&gh, dir.path(), &pr, token);
        let o = run(dir.path(), &["publish", "report.json"], &env);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        let n = notices(&err);
        assert_eq!(n.len(), 1, "{err}");
        let what = if token.is_empty() {
            "no GitHub token"
        } else {
            "401 Bad credentials"
        };
        assert!(n[0].contains(what), "{}", n[0]);
        assert!(!err.contains("warning:"), "{err}");
        assert_eq!(gh.requests().len(), usize::from(!token.is_empty()));
        let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
        assert!(summary.contains("Quality gate failed"), "{summary}");
    }
    assert_eq!(gh.check_runs(REPO).len(), 1);
    gh.assert_no_violations();
}

#[test]
fn https_proxy_gets_a_connect_and_publishing_degrades_cleanly() {
    use std::io::{BufRead, BufReader, Write};
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    // A proxy that records each request head, agrees to tunnel, then hangs up: the TLS
    // handshake to the API fails, as it must with nothing behind the tunnel.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = proxy.local_addr().unwrap();
    let seen = std::thread::spawn(move || {
        let mut heads: Vec<String> = Vec::new();
        for s in proxy.incoming() {
            let Ok(mut s) = s else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            if head.starts_with("STOP") {
                break;
            }
            let _ = s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            heads.push(head);
        }
        heads
    });
    let dir = tempfile::tempdir().unwrap();
    let j = junit(dir.path(), 1);
    let mut env = pr_env(&gh, dir.path(), &pr, TOKEN);
    for (k, v) in env.iter_mut() {
        if k == "GITHUB_API_URL" {
            // A name that resolves nowhere: only the proxy can reach it.
            *v = "https://ghe.invalid/api/v3".into();
        }
    }
    env.push(("HTTPS_PROXY".into(), format!("http://{addr}")));
    env.push(("SHIPGATE_RETRY_MAX_SECONDS".into(), "0".into()));
    let o = run(
        dir.path(),
        &[
            "gate",
            "--publish",
            "--status",
            "--tests",
            j.to_str().unwrap(),
        ],
        &env,
    );
    std::net::TcpStream::connect(addr)
        .unwrap()
        .write_all(b"STOP\r\n\r\n")
        .unwrap();
    let heads = seen.join().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "the gate's exit code: {err}");
    // The check run, the comment list and the status (and the looks after failures): each a
    // tunnel to the API's host.
    assert!(heads.len() >= 3, "{heads:?}\n{err}");
    for h in &heads {
        assert!(
            h.starts_with("CONNECT ghe.invalid:443 HTTP/1.1\r\n"),
            "{h:?}"
        );
        assert!(!h.contains(TOKEN) && !h.contains(&TOKEN[4..]), "{h:?}");
        assert!(!h.to_ascii_lowercase().contains("authorization"), "{h:?}");
    }
    assert!(gh.requests().is_empty(), "nothing bypassed the proxy");
    // One warning per step (check run, comment, status), naming the failed handshake, and
    // no other noise.
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("warning: publishing to GitHub failed"))
        .collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(
        warnings.iter().all(|w| w.contains("tls handshake")),
        "{err}"
    );
    assert!(!err.contains("ERROR"), "{err}");
    assert!(!err.contains(TOKEN) && !err.contains(&TOKEN[4..]), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("Quality gate failed"), "{summary}");
}

#[test]
fn sarif_upload_names_a_missing_or_refused_token() {
    let Some(gh) = server() else { return };
    let pr = open_pr(&gh, "feature");
    let dir = tempfile::tempdir().unwrap();
    let file = sarif(dir.path(), 1);
    for (token, says, requests) in [
        ("", "error: no GitHub token", 0),
        (
            "ghs_revoked_token_9876543210",
            "error: GitHub refused the token from `GITHUB_TOKEN`",
            1,
        ),
    ] {
        gh.clear_requests();
        let env = pr_env(&gh, dir.path(), &pr, token);
        let o = run(
            dir.path(),
            &["sarif", "upload", file.to_str().unwrap()],
            &env,
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(err.contains("token"), "{err}");
        assert!(
            !err.contains("ghs_revoked") && !err.contains("revoked_token"),
            "{err}"
        );
        assert_eq!(gh.requests().len(), requests);
    }
    assert!(gh.sarif_uploads(REPO).is_empty());
    gh.assert_no_violations();
}
