//! Deployments: `health` against HTTP servers on 127.0.0.1 that are slow, flap or fail, the
//! version a tag deploys, and the deployment lifecycle against the test GitHub server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// What the test server answers to its n-th request (from 1): delay, status, body.
type Behaviour = dyn Fn(u32) -> (Duration, u16, String) + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request by `behave`; counts requests.
struct Http {
    url: String,
    hits: Arc<AtomicU32>,
}

impl Http {
    fn start(behave: impl Fn(u32) -> (Duration, u16, String) + Send + Sync + 'static) -> Http {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/health", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicU32::new(0));
        let behave: Arc<Behaviour> = Arc::new(behave);
        let h = hits.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let (h, behave) = (h.clone(), behave.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(conn.try_clone().unwrap());
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let n = h.fetch_add(1, Ordering::SeqCst) + 1;
                    let (delay, status, body) = behave(n);
                    std::thread::sleep(delay);
                    let _ = write!(
                        conn,
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                });
            }
        });
        Http { url, hits }
    }

    fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Runs the binary outside any Actions context.
fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shipgate"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_REF")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_TOKEN")
        .env("NO_COLOR", "1")
        .output()
        .expect("run shipgate")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn health_json(args: &[&str]) -> (Output, serde_json::Value) {
    let mut a = vec!["health", "--format", "json"];
    a.extend_from_slice(args);
    let o = run(&a, Path::new("."));
    let v =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", out(&o), err(&o)));
    (o, v)
}

#[test]
fn health_waits_out_a_flapping_service() {
    // 503 twice, then healthy JSON.
    let s = Http::start(|n| {
        if n <= 2 {
            (Duration::ZERO, 503, "{\"status\":\"starting\"}".into())
        } else {
            (
                Duration::ZERO,
                200,
                "{\"status\":\"ok\",\"db\":{\"up\":true}}".into(),
            )
        }
    });
    let (o, v) = health_json(&[
        &s.url,
        "--interval",
        "50ms",
        "--deadline",
        "20s",
        "--json-field",
        "status=ok",
        "--json-field",
        "db.up=true",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(v["healthy"], true);
    assert_eq!(v["urls"][0]["attempts"], 3);
    assert_eq!(v["urls"][0]["last_status"], 200);
    assert_eq!(s.hits(), 3);
}

#[test]
fn health_never_passing_ends_at_the_deadline() {
    let s = Http::start(|_| (Duration::ZERO, 502, "bad gateway".into()));
    let t0 = std::time::Instant::now();
    let o = run(
        &["health", &s.url, "--interval", "100ms", "--deadline", "1s"],
        Path::new("."),
    );
    let took = t0.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(text.starts_with(&format!("unhealthy {}", s.url)), "{text}");
    assert!(text.contains("status 502, expected 200-299"), "{text}");
    // One probe every 100 ms for a second: about 10, never unbounded, never just one.
    let hits = s.hits();
    assert!((5..=11).contains(&hits), "{hits} probes");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn health_latency_budget_and_timeouts_against_a_slow_service() {
    let s = Http::start(|_| (Duration::from_millis(300), 200, "{}".into()));
    let (o, v) = health_json(&[
        &s.url,
        "--probes",
        "3",
        "--max-p95",
        "100ms",
        "--interval",
        "10ms",
        "--deadline",
        "2s",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let reason = v["urls"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("p95 latency 3"), "{reason}");
    assert!(
        reason.ends_with("over the budget of 100 ms (3 probes)"),
        "{reason}"
    );

    let (o, v) = health_json(&[
        &s.url,
        "--probes",
        "3",
        "--max-p95",
        "2s",
        "--interval",
        "10ms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{v}");
    let p95 = v["urls"][0]["p95_ms"].as_u64().unwrap();
    assert!((300..2000).contains(&p95), "{p95}");
    assert_eq!(v["urls"][0]["attempts"], 3);

    let (o, v) = health_json(&[
        &s.url,
        "--timeout",
        "100ms",
        "--deadline",
        "500ms",
        "--interval",
        "50ms",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(v["urls"][0]["reason"], "timed out");
}

#[test]
fn health_body_checks_and_several_urls() {
    let ok = Http::start(|_| (Duration::ZERO, 200, "{\"version\":\"1.2.3\"}".into()));
    let wrong = Http::start(|_| (Duration::ZERO, 200, "{\"version\":\"1.2.2\"}".into()));
    let (o, v) = health_json(&[
        &ok.url,
        &wrong.url,
        "--body-regex",
        "\"version\":\"1\\.2\\.\\d\"",
        "--json-field",
        "version=1.2.3",
        "--interval",
        "50ms",
        "--deadline",
        "300ms",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(v["urls"][0]["healthy"], true);
    assert_eq!(v["urls"][1]["healthy"], false);
    assert_eq!(
        v["urls"][1]["reason"],
        "JSON field `version` is \"1.2.2\", expected \"1.2.3\""
    );
    // A closed port: connection refused, named.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let (o, v) = health_json(&[&closed, "--deadline", "200ms", "--interval", "50ms"]);
    assert_eq!(o.status.code(), Some(1));
    let reason = v["urls"][0]["reason"].as_str().unwrap().to_lowercase();
    assert!(reason.contains("connect"), "{reason}");
}

#[test]
fn health_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["health", "ftp://example.com/"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("`ftp://example.com/`: not an http:// or https:// URL"),
        "{}",
        err(&o)
    );
    std::fs::write(dir.path().join("ca.pem"), "not a certificate").unwrap();
    let o = run(
        &["health", "https://127.0.0.1:9/", "--ca-file", "ca.pem"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("ca.pem: holds no certificate"),
        "{}",
        err(&o)
    );
    let o = run(
        &["health", "http://127.0.0.1:9/", "--expect-status", "2xx"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("expected a status code 100-599"),
        "{}",
        err(&o)
    );
}

#[test]
fn version_and_environment_from_tags() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &[
            "deploy",
            "version",
            "--tag",
            "refs/tags/v1.2.3",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"version": "1.2.3", "tag": "v1.2.3", "environment": "production", "prerelease": "false"})
    );
    let o = run(&["deploy", "version", "--tag", "v1.2.3-rc.1"], dir.path());
    assert_eq!(out(&o), "v1.2.3-rc.1 → staging (prerelease)\n");
    let o = run(
        &[
            "deploy",
            "version",
            "--tag",
            "v2.0.0-beta.1",
            "--prerelease-map",
            "beta=qa",
        ],
        dir.path(),
    );
    assert_eq!(out(&o), "v2.0.0-beta.1 → qa (prerelease)\n");
    let o = run(&["deploy", "version", "--tag", "v1.2"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("error: tag `v1.2`: `1.2` is not a semantic version"),
        "{}",
        err(&o)
    );
    // In Actions, the outputs a later job reads.
    let gh_out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_shipgate"))
        .args(["deploy", "version"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REF", "refs/tags/v3.1.4")
        .env("GITHUB_OUTPUT", &gh_out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let outputs =
        crate::runner::parse_file_command(&std::fs::read_to_string(&gh_out).unwrap()).unwrap();
    assert!(outputs.contains(&("environment".into(), "production".into())));
    assert!(outputs.contains(&("version".into(), "3.1.4".into())));
}

#[test]
fn committed_environment_schema_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run(&["environment", "schema"], root);
    assert_eq!(o.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("schemas/environment.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        printed, committed,
        "schemas/environment.json is stale: run `cargo run -- environment schema > schemas/environment.json`"
    );
}

#[test]
fn environment_check_validates_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("envs.yml");
    std::fs::write(
        &f,
        "environments:\n  production:\n    reviewers: [{user: octocat}]\n    deployment_branch_policy:\n      protected_branches: true\n      custom_branch_policies: true\n",
    )
    .unwrap();
    let o = run(&["environment", "check", "envs.yml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: envs.yml:4:5: environments.production.deployment_branch_policy: protected_branches and custom_branch_policies are mutually exclusive: set exactly one to true\n"
    );
    std::fs::write(
        &f,
        "environments:\n  production:\n    wait_timer: 60\n    deployment_branch_policy: {protected_branches: false, custom_branch_policies: true}\n    tag_policies: ['v*']\n",
    )
    .unwrap();
    let o = run(&["environment", "check", "envs.yml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "envs.yml: ok (production)\n");
}

// ---- the deployment lifecycle against the test GitHub server ---------------------------------

use shipgate_testserver::{Options, RepoSpec, Server, TokenSpec, try_start};

const REPO: &str = "octo/app";
const TOKEN: &str = "ghs_deploy_write_0123456789";

/// A server with `octo/app` and a write-all token, or `None` (skipped) without the OpenAPI
/// description.
fn github() -> Option<Server> {
    match try_start(Options::default()) {
        Ok(s) => {
            s.create_repo(RepoSpec::new(REPO));
            s.add_token(TOKEN, TokenSpec::write_all());
            Some(s)
        }
        Err(e) => {
            println!("notice: skipped: {e}");
            None
        }
    }
}

/// The binary as a workflow step runs it: the runner's variables pointing at `gh`.
fn step(gh: &Server, dir: &Path, token: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", gh.url())
        .env("GITHUB_SERVER_URL", "https://github.example")
        .env("GITHUB_RUN_ID", "4242")
        .env("GITHUB_SHA", gh.branch_sha(REPO, "main").unwrap())
        .env("GITHUB_OUTPUT", dir.join("outputs"))
        .env("GITHUB_TOKEN", token)
        .env("SHIPGATE_RETRY_BASE_MS", "10")
        .env("SHIPGATE_RETRY_MAX_SECONDS", "5");
    c
}

fn states(gh: &Server) -> Vec<Vec<String>> {
    gh.deployments(REPO)
        .iter()
        .map(|d| d.statuses.iter().map(|s| s.state.clone()).collect())
        .collect()
}

#[test]
fn deploy_run_success_writes_statuses_in_order() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = Http::start(|_| (Duration::ZERO, 200, "{\"status\":\"ok\"}".into()));
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--version",
            "1.4.0",
            "--url",
            "https://staging.example",
            "--health",
            &site.url,
            "--health-json-field",
            "status=ok",
            "--format",
            "json",
            "--",
            "sh",
            "-c",
            "echo deploying $SHIPGATE_VERSION to $SHIPGATE_ENVIRONMENT as $SHIPGATE_DEPLOYMENT_ID",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let deps = gh.deployments(REPO);
    assert_eq!(deps.len(), 1);
    let d = &deps[0];
    assert_eq!(d.environment, "staging");
    assert!(!d.production && !d.transient);
    assert_eq!(d.payload["version"], "1.4.0");
    assert_eq!(states(&gh), vec![vec!["in_progress", "success"]]);
    assert_eq!(
        d.statuses[0].log_url,
        "https://github.example/octo/app/actions/runs/4242"
    );
    assert_eq!(d.statuses[1].environment_url, "https://staging.example");
    assert!(
        d.statuses[1]
            .description
            .starts_with("deployed to staging in ")
    );
    // The command's output went to stderr, with the variables it was given.
    assert!(
        err(&o).contains(&format!("deploying 1.4.0 to staging as {}", d.id)),
        "{}",
        err(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["state"], "success");
    assert_eq!(v["health"]["healthy"], true);
    // auto_merge false, no required contexts: the request as sent.
    let reqs = gh.requests_matching("POST", "/repos/octo/app/deployments");
    assert_eq!(reqs.len(), 1);
    let sent = reqs[0].body.clone().unwrap();
    assert_eq!(sent["auto_merge"], false);
    assert_eq!(sent["required_contexts"], serde_json::json!([]));
    assert_eq!(sent["production_environment"], false);
    let outputs = crate::runner::parse_file_command(
        &std::fs::read_to_string(dir.path().join("outputs")).unwrap(),
    )
    .unwrap();
    assert!(outputs.contains(&("deployment-id".into(), d.id.to_string())));
    assert!(outputs.contains(&("state".into(), "success".into())));
    gh.assert_no_violations();
}

#[test]
fn deploy_run_failing_command_rolls_back() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "production",
            "--rollback",
            "echo rolled back > rollback.txt",
            "--",
            "sh",
            "-c",
            "echo boom >&2; exit 3",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rollback.txt")).unwrap(),
        "rolled back\n"
    );
    let d = &gh.deployments(REPO)[0];
    assert!(d.production);
    assert_eq!(states(&gh), vec![vec!["in_progress", "failure"]]);
    assert_eq!(
        d.statuses[1].description,
        "deploy command exited with status 3; rollback succeeded"
    );
    assert!(
        err(&o).contains("rollback: rollback succeeded"),
        "{}",
        err(&o)
    );
    gh.assert_no_violations();
}

#[test]
fn deploy_run_health_never_passing_fails_the_deployment() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = Http::start(|_| (Duration::ZERO, 503, "down".into()));
    let long_rollback = format!("true {}", "x".repeat(300));
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--health",
            &site.url,
            "--health-interval",
            "50ms",
            "--health-deadline",
            "400ms",
            "--rollback",
            &long_rollback,
            "--",
            "true",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let d = &gh.deployments(REPO)[0];
    assert_eq!(states(&gh), vec![vec!["in_progress", "failure"]]);
    let desc = &d.statuses[1].description;
    assert!(
        desc.starts_with(&format!(
            "health check failed: {}: status 503, expected 200-299; rollback succeeded",
            site.url
        )),
        "{desc}"
    );
    assert!(desc.chars().count() <= 140);
    assert!(site.hits() >= 2);
    gh.assert_no_violations();
}

#[test]
fn deploy_run_cancelled_by_a_signal_ends_in_error() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let script =
        "trap 'echo TERM > got-term; exit 143' TERM; echo started > started; sleep 30 & wait";
    let child = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--",
            "sh",
            "-c",
            script,
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let t0 = std::time::Instant::now();
    while !dir.path().join("started").exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the deploy command never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The command runs, so the deployment is in_progress.
    assert_eq!(states(&gh), vec![vec!["in_progress"]]);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    // The command got the signal (its trap ran) and the deployment ended in error.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("got-term")).unwrap(),
        "TERM\n"
    );
    assert_eq!(states(&gh), vec![vec!["in_progress", "error"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[1].description,
        "cancelled by SIGTERM during the deploy command"
    );
    assert!(t0.elapsed() < Duration::from_secs(15));
    gh.assert_no_violations();
}

#[test]
fn deploy_start_and_finish_across_steps() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "start",
            "--tag",
            "refs/tags/v2.0.0-rc.1",
            "--transient",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let id = out(&o).trim().to_string();
    let outputs = crate::runner::parse_file_command(
        &std::fs::read_to_string(dir.path().join("outputs")).unwrap(),
    )
    .unwrap();
    assert!(outputs.contains(&("deployment-id".into(), id.clone())));
    assert!(outputs.contains(&("environment".into(), "staging".into())));
    let d = &gh.deployments(REPO)[0];
    assert_eq!(d.id.to_string(), id);
    assert_eq!(d.environment, "staging");
    assert_eq!(d.payload["version"], "2.0.0-rc.1");
    assert!(d.transient && !d.production);
    let long = "y".repeat(200);
    let (hook, got) = webhook();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "finish",
            "--deployment-id",
            &id,
            "--state",
            "failure",
            "--description",
            &long,
            "--environment",
            "staging",
        ],
    )
    .env("SHIPGATE_NOTIFY_WEBHOOK", &hook)
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = got.join().unwrap()["text"].as_str().unwrap().to_string();
    assert!(
        text.starts_with(":x: octo/app → *staging*: failure"),
        "{text}"
    );
    assert!(!err(&o).contains("secretpart"));
    assert_eq!(states(&gh), vec![vec!["in_progress", "failure"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[1]
            .description
            .chars()
            .count(),
        140
    );
    gh.assert_no_violations();
}

// ---- environments as code ----------------------------------------------------------------------

fn writes(gh: &Server) -> usize {
    ["PUT", "POST", "DELETE", "PATCH"]
        .iter()
        .map(|m| gh.requests_matching(m, "*").len())
        .sum()
}

#[test]
fn environment_apply_creates_then_changes_nothing() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let alice = gh.user_id("alice");
    std::fs::write(
        dir.path().join("envs.yml"),
        format!(
            "environments:\n  production:\n    wait_timer: 30\n    prevent_self_review: true\n    reviewers:\n      - {{user: alice, id: {alice}}}\n    deployment_branch_policy: {{protected_branches: false, custom_branch_policies: true}}\n    branch_policies: [main]\n    tag_policies: ['v*']\n  staging:\n    deployment_branch_policy: {{protected_branches: true, custom_branch_policies: false}}\n"
        ),
    )
    .unwrap();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "environment production:\n  + create the environment\n  ~ wait_timer: 0 -> 30\n  ~ reviewers: none -> user alice\n  ~ prevent_self_review: false -> true\n  ~ deployment_branch_policy: any branch -> custom policies\n  + branch policy `main`\n  + tag policy `v*`\n\
environment staging:\n  + create the environment\n  ~ deployment_branch_policy: any branch -> protected branches\n\
applied 9 change(s) in 4 request(s)\n"
    );
    // What GitHub now has, read back through its API.
    let after = gh.requests_matching("PUT", "*/environments/production");
    assert_eq!(after.len(), 1);
    let env = after[0].response.clone().unwrap();
    assert_eq!(env["protection_rules"][0]["wait_timer"], 30);
    assert_eq!(
        env["protection_rules"][1]["reviewers"][0]["reviewer"]["login"],
        "alice"
    );

    // Again, with the id left out (it is read from the environment): nothing to do.
    let text = std::fs::read_to_string(dir.path().join("envs.yml")).unwrap();
    std::fs::write(
        dir.path().join("envs.yml"),
        text.replace(&format!(", id: {alice}"), ""),
    )
    .unwrap();
    gh.clear_requests();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "environment production: no changes\nenvironment staging: no changes\nnothing to change\n"
    );
    assert_eq!(writes(&gh), 0);

    // A change: the wait timer and one policy less; plan shows it, apply does only that.
    let text = std::fs::read_to_string(dir.path().join("envs.yml")).unwrap();
    std::fs::write(
        dir.path().join("envs.yml"),
        text.replace("wait_timer: 30", "wait_timer: 60")
            .replace("    branch_policies: [main]\n", ""),
    )
    .unwrap();
    let o = step(&gh, dir.path(), TOKEN, &["environment", "plan", "envs.yml"])
        .output()
        .unwrap();
    assert_eq!(
        out(&o),
        "environment production:\n  ~ wait_timer: 30 -> 60\n  - branch policy `main`\nenvironment staging: no changes\n"
    );
    assert_eq!(writes(&gh), 0);
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(gh.requests_matching("PUT", "*").len(), 1);
    assert_eq!(gh.requests_matching("DELETE", "*").len(), 1);
    assert_eq!(gh.requests_matching("POST", "*").len(), 0);
    gh.assert_no_violations();
}

#[test]
fn environment_apply_without_administration_explains_the_token() {
    use shipgate_testserver::{Access, Permissions};
    let Some(gh) = github() else { return };
    // What a workflow's GITHUB_TOKEN can have at most: everything but administration.
    let mut p = Permissions::all(Access::Write);
    p.administration = Access::None;
    gh.add_token("ghs_workflow_token", TokenSpec::with(p));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("envs.json"),
        r#"{"environments": {"production": {"wait_timer": 5}}}"#,
    )
    .unwrap();
    let o = step(
        &gh,
        dir.path(),
        "ghs_workflow_token",
        &["environment", "apply", "envs.json"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.starts_with("error: PUT /repos/octo/app/environments/production: GitHub refused ("),
        "{e}"
    );
    assert!(e.contains("Administration: write on octo/app"), "{e}");
    assert!(e.contains("GITHUB_TOKEN can never have it"), "{e}");
    assert!(!e.contains("ghs_workflow_token"), "{e}");
    assert!(gh.deployments(REPO).is_empty());
    gh.assert_no_violations();
}

// ---- approvals -----------------------------------------------------------------------------------

fn waiting_run(gh: &Server) -> u64 {
    use shipgate_testserver::{EnvironmentSpec, WorkflowRunSpec};
    gh.create_environment(
        REPO,
        "production",
        EnvironmentSpec {
            wait_timer: 5,
            reviewers: vec!["alice".into()],
            ..Default::default()
        },
    );
    gh.create_workflow_run(WorkflowRunSpec {
        repo: REPO.into(),
        head_branch: "main".into(),
        head_repo: String::new(),
        event: "push".into(),
        pending_environments: vec!["production".into()],
    })
}

fn person(gh: &Server, login: &str) -> String {
    let token = format!("ghp_{login}_token");
    gh.add_token(
        &token,
        TokenSpec {
            login: login.into(),
            ..TokenSpec::write_all()
        },
    );
    token
}

#[test]
fn approvals_list_then_approve() {
    let Some(gh) = github() else { return };
    let run = waiting_run(&gh);
    let (alice, bob) = (person(&gh, "alice"), person(&gh, "bob"));
    let dir = tempfile::tempdir().unwrap();
    let run_id = run.to_string();
    let o = step(&gh, dir.path(), &alice, &["approvals", "--run-id", &run_id])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.starts_with("production (id "), "{text}");
    assert!(text.contains("wait timer 5 min from "), "{text}");
    assert!(
        text.ends_with("reviewers: user alice; you can approve\n"),
        "{text}"
    );

    // Bob is not a reviewer: refused before any review is sent.
    let o = step(
        &gh,
        dir.path(),
        &bob,
        &[
            "approvals",
            "approve",
            "--run-id",
            &run_id,
            "--comment",
            "lgtm",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o)
            .contains("not a required reviewer of environment production (reviewers: user alice)"),
        "{}",
        err(&o)
    );
    assert!(gh.requests_matching("POST", "*").is_empty());

    let o = step(
        &gh,
        dir.path(),
        &alice,
        &[
            "approvals",
            "approve",
            "--run-id",
            &run_id,
            "--comment",
            "ship it",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "approved production\n");
    let (pending, conclusion) = gh.run_pending(REPO, run);
    assert!(pending.is_empty());
    assert_eq!(conclusion, None);
    let deps = gh.deployments(REPO);
    assert_eq!(deps.len(), 1);
    assert_eq!(deps[0].environment, "production");
    assert_eq!(deps[0].creator, "alice");
    let sent = gh.requests_matching("POST", "*/pending_deployments")[0]
        .body
        .clone()
        .unwrap();
    assert_eq!(sent["state"], "approved");
    assert_eq!(sent["comment"], "ship it");
    gh.assert_no_violations();
}

#[test]
fn approvals_reject_fails_the_run() {
    let Some(gh) = github() else { return };
    let run = waiting_run(&gh);
    let alice = person(&gh, "alice");
    let dir = tempfile::tempdir().unwrap();
    let o = step(
        &gh,
        dir.path(),
        &alice,
        &[
            "approvals",
            "reject",
            "--comment",
            "not today",
            "--environment",
            "staging",
        ],
    )
    .env("GITHUB_RUN_ID", run.to_string())
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("is not waiting on environment staging (pending: production)"),
        "{}",
        err(&o)
    );
    let o = step(
        &gh,
        dir.path(),
        &alice,
        &["approvals", "reject", "--comment", "not today"],
    )
    .env("GITHUB_RUN_ID", run.to_string())
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "rejected production\n");
    let (pending, conclusion) = gh.run_pending(REPO, run);
    assert!(pending.is_empty());
    assert_eq!(conclusion.as_deref(), Some("failure"));
    assert!(gh.deployments(REPO).is_empty());
    gh.assert_no_violations();
}

// ---- releases ------------------------------------------------------------------------------------

const CHANGELOG: &str = "# Changelog\n\n## [Unreleased]\n\n## [1.3.0-rc.1] - 2026-12-01\n\n### Added\n\n- Deployments with required reviewers.\n\n## [1.2.0] - 2026-11-01\n\n### Fixed\n\n- A bug.\n\n[1.3.0-rc.1]: https://github.com/octo/app/compare/v1.2.0...v1.3.0-rc.1\n";

#[test]
fn release_of_a_prerelease_tag_is_created_once() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("CHANGELOG.md"), CHANGELOG).unwrap();
    let rel = |gh: &Server| {
        step(gh, dir.path(), TOKEN, &["release"])
            .env("GITHUB_REF", "refs/tags/v1.3.0-rc.1")
            .output()
            .unwrap()
    };
    let o = rel(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).starts_with("release v1.3.0-rc.1 created (prerelease): "),
        "{}",
        out(&o)
    );
    let rels = gh.releases(REPO);
    assert_eq!(rels.len(), 1);
    assert!(rels[0].prerelease && !rels[0].draft);
    assert_eq!(rels[0].tag, "v1.3.0-rc.1");
    assert_eq!(
        rels[0].body.as_deref(),
        Some("### Added\n\n- Deployments with required reviewers.")
    );
    // Re-run: nothing written.
    gh.clear_requests();
    let o = rel(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).starts_with("release v1.3.0-rc.1 unchanged (prerelease): "),
        "{}",
        out(&o)
    );
    assert_eq!(writes(&gh), 0);
    assert_eq!(gh.releases(REPO).len(), 1);

    // A version without a section: exit 2, nothing created.
    let o = step(&gh, dir.path(), TOKEN, &["release", "--tag", "v1.4.0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("CHANGELOG.md: no section for version 1.4.0 (expected a heading like `## [1.4.0] - YYYY-MM-DD`; found: Unreleased, 1.3.0-rc.1, 1.2.0)"),
        "{}",
        err(&o)
    );
    assert_eq!(gh.releases(REPO).len(), 1);
    gh.assert_no_violations();
}

// ---- the README's release workflow -----------------------------------------------------------------

/// Splits a command line into words the way sh does for plain and double-quoted words.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

#[test]
fn readme_release_workflow_is_a_valid_pattern() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("## Releases and deployments").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + 8;
    let yaml = &section[start..start + section[start..].find("```").unwrap()];
    let wf: serde_json::Value = serde_yaml_ng::from_str(yaml).unwrap();
    assert_eq!(wf["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let prod = &wf["jobs"]["production"];
    // GitHub holds a job for reviewers only when it declares its environment.
    assert_eq!(prod["environment"]["name"], "production");
    assert_eq!(prod["environment"]["deployment"], false);
    assert_eq!(wf["jobs"]["staging"]["environment"]["deployment"], false);
    // Every shipgate command in it parses (it then stops for want of a GitHub context: no
    // GITHUB_SHA, GITHUB_REF or repository, so nothing is deployed).
    let mut seen = 0;
    for (_, job) in wf["jobs"].as_object().unwrap() {
        for st in job["steps"].as_array().unwrap() {
            let Some(run_line) = st["run"].as_str() else {
                continue;
            };
            let line = run_line.split('#').next().unwrap();
            // Expressions go through env:, never into the script (injection).
            assert!(!run_line.contains("${{"), "{run_line}");
            let line = line.replace("\"$VERSION\"", "1.2.3");
            let w = words(&line);
            assert_eq!(w[0], "shipgate");
            let o = Command::new(env!("CARGO_BIN_EXE_shipgate"))
                .args(&w[1..])
                .current_dir(std::env::temp_dir())
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .output()
                .unwrap();
            let e = err(&o);
            assert!(!e.contains("Usage:"), "{line}: {e}");
            assert_eq!(o.status.code(), Some(2), "{line}: {e}");
            seen += 1;
        }
    }
    assert_eq!(seen, 4);
    // The environments example is a valid file.
    let o = run(&["environment", "check", "examples/environments.yml"], root);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

// ---- notification ----------------------------------------------------------------------------------

/// A webhook receiver on 127.0.0.1 for one message: its URL (with a secret-looking path) and
/// the JSON body it will receive.
fn webhook() -> (String, std::thread::JoinHandle<serde_json::Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!(
        "http://{}/services/T000/B000/secretpart",
        listener.local_addr().unwrap()
    );
    let got = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0u8; len];
        std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        let _ =
            conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    });
    (hook, got)
}

#[test]
fn deploy_run_notifies_a_webhook_without_printing_its_url() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (hook, got) = webhook();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--version",
            "1.2.3",
            "--rollback",
            "true",
            "--",
            "false",
        ],
    )
    .env("SHIPGATE_NOTIFY_WEBHOOK", &hook)
    .env("SHIPGATE_LOG", "trace")
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = got.join().unwrap()["text"].as_str().unwrap().to_string();
    assert!(
        text.starts_with(":rewind: octo/app 1.2.3 → *staging*: failure in "),
        "{text}"
    );
    assert!(
        text.contains("deploy command exited with status 1; rollback succeeded"),
        "{text}"
    );
    assert!(
        text.contains("<https://github.example/octo/app/actions/runs/4242|run log>"),
        "{text}"
    );
    for stream in [out(&o), err(&o)] {
        assert!(!stream.contains("secretpart"), "{stream}");
        assert!(!stream.contains(TOKEN), "{stream}");
    }
    // A webhook that cannot be reached: a warning without the URL, the deployment unaffected.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/hooks/secretpart", l.local_addr().unwrap())
    };
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["deploy", "run", "--environment", "staging", "--", "true"],
    )
    .env("SHIPGATE_NOTIFY_WEBHOOK", &closed)
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("warning: notification webhook: "),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("secretpart"), "{}", err(&o));
    gh.assert_no_violations();
}

// ---- TLS -------------------------------------------------------------------------------------------

/// `openssl` on PATH, or `None` with a printed notice.
fn openssl(dir: &Path, args: &[&str]) -> Option<()> {
    match Command::new("openssl").args(args).current_dir(dir).output() {
        Ok(o) if o.status.success() => Some(()),
        Ok(o) => panic!("openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => {
            println!("notice: skipped: openssl is not installed (the TLS health test needs it)");
            None
        }
    }
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn health_over_tls_trusts_the_ca_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A CA and a server certificate for 127.0.0.1 signed by it.
    if openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=shipgate test CA",
        ],
    )
    .is_none()
    {
        return;
    }
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "srv.key",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "srv.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Kill(
        Command::new("openssl")
            .args([
                "s_server",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-cert",
                "srv.pem",
                "-key",
                "srv.key",
                "-www",
                "-quiet",
            ])
            .current_dir(d)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("https://127.0.0.1:{port}/");
    // s_server -www answers GET / with its status page.
    let (o, v) = health_json(&[
        &url,
        "--ca-file",
        d.join("ca.pem").to_str().unwrap(),
        "--interval",
        "100ms",
        "--deadline",
        "10s",
        "--body-regex",
        "(?i)<html>",
    ]);
    assert_eq!(o.status.code(), Some(0), "{v}");
    // Without the CA file the system's roots do not know the test CA.
    let (o, v) = health_json(&[&url, "--interval", "100ms", "--deadline", "1s"]);
    assert_eq!(o.status.code(), Some(1), "{v}");
    let reason = v["urls"][0]["reason"].as_str().unwrap().to_lowercase();
    assert!(
        reason.contains("certificate") || reason.contains("issuer"),
        "{reason}"
    );
}

#[test]
fn deploy_run_with_a_failing_required_context_deploys_nothing() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "production",
            "--required-context",
            "ci/test",
            "--",
            "sh",
            "-c",
            "echo ran > ran.txt",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).starts_with("error: cannot create the deployment to production: POST /repos/octo/app/deployments: GitHub answered 409: Conflict: Commit status checks failed"),
        "{}",
        err(&o)
    );
    assert!(!dir.path().join("ran.txt").exists());
    assert!(gh.deployments(REPO).is_empty());
    let sent = gh.requests_matching("POST", "/repos/octo/app/deployments")[0]
        .body
        .clone()
        .unwrap();
    assert_eq!(sent["required_contexts"], serde_json::json!(["ci/test"]));
    gh.assert_no_violations();
}

#[test]
fn deploy_run_interrupted_during_health_checks_ends_in_error() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = Http::start(|_| (Duration::ZERO, 503, "starting".into()));
    let child = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--health",
            &site.url,
            "--health-interval",
            "50ms",
            "--health-deadline",
            "60s",
            "--rollback",
            "echo no > rollback.txt",
            "--",
            "true",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let t0 = std::time::Instant::now();
    while site.hits() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(20), "no health probe");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", err(&o));
    assert_eq!(states(&gh), vec![vec!["in_progress", "error"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[1].description,
        "cancelled by SIGINT during the health checks"
    );
    // Cancelled, not failed: no rollback.
    assert!(!dir.path().join("rollback.txt").exists());
    gh.assert_no_violations();
}

// ---- the Action's inputs ---------------------------------------------------------------------------

#[test]
fn the_actions_deploy_health_and_release_inputs() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = Http::start(|_| (Duration::ZERO, 200, "{}".into()));
    // `command: deploy` runs `shipgate deploy` with the inputs as INPUT_* variables.
    let o = step(&gh, dir.path(), TOKEN, &["deploy"])
        .env(
            "INPUT_DEPLOY_COMMAND",
            "echo \"$SHIPGATE_VERSION\" > deployed.txt",
        )
        .env("INPUT_ENVIRONMENT", "staging")
        .env("INPUT_URL", "https://staging.example")
        .env("INPUT_HEALTH_URL", format!("{}\n", site.url))
        .env("INPUT_HEALTH_TIMEOUT", "5")
        .env("INPUT_VERSION", "v1.2.3")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("deployed.txt")).unwrap(),
        "1.2.3\n"
    );
    assert_eq!(states(&gh), vec![vec!["in_progress", "success"]]);
    assert_eq!(site.hits(), 1);
    let outputs = crate::runner::parse_file_command(
        &std::fs::read_to_string(dir.path().join("outputs")).unwrap(),
    )
    .unwrap();
    assert!(outputs.contains(&("deployment-url".into(), "https://staging.example".into())));
    // Without a deploy command: a usage error naming the input.
    let o = step(&gh, dir.path(), TOKEN, &["deploy"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("INPUT_DEPLOY_COMMAND"), "{}", err(&o));
    // `command: health`.
    let o = step(&gh, dir.path(), TOKEN, &["health"])
        .env("INPUT_HEALTH_URL", &site.url)
        .env("INPUT_HEALTH_TIMEOUT", "5")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).starts_with(&format!("healthy   {}", site.url)),
        "{}",
        out(&o)
    );
    // `command: release` with the version input.
    std::fs::write(dir.path().join("CHANGELOG.md"), CHANGELOG).unwrap();
    let o = step(&gh, dir.path(), TOKEN, &["release"])
        .env("INPUT_VERSION", "v1.2.0")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let rels = gh.releases(REPO);
    assert_eq!(rels[0].tag, "v1.2.0");
    assert!(!rels[0].prerelease);
    assert_eq!(rels[0].body.as_deref(), Some("### Fixed\n\n- A bug."));
    gh.assert_no_violations();
}

#[test]
fn deploy_run_survives_a_lost_create_answer_without_a_duplicate() {
    use shipgate_testserver::Fault;
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    gh.inject(
        Fault::server_error(502)
            .on("/repos/octo/app/deployments")
            .method("POST")
            .times(1),
    );
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["deploy", "run", "--environment", "staging", "--", "true"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // The 502 was ambiguous: shipgate looked for its nonce, found nothing, and tried again once.
    assert_eq!(
        gh.requests_matching("POST", "/repos/octo/app/deployments")
            .len(),
        2
    );
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/deployments")
            .len(),
        1
    );
    assert_eq!(states(&gh), vec![vec!["in_progress", "success"]]);
    gh.assert_no_violations();
}

// ---- operations added to ../shared's subset from the full description ---------------------------

/// Whether the server's description has `ops` (../shared's subset lacks them; the server adds
/// them from @octokit/openapi installed by testserver/fetch-openapi.sh). Without them the test
/// is skipped with a notice, or fails under CI=true.
fn described(gh: &Server, ops: &[&str]) -> bool {
    let missing: Vec<&str> = ops.iter().copied().filter(|o| !gh.supports(o)).collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "the test GitHub server's description lacks {} ({}); run testserver/fetch-openapi.sh",
        missing.join(", "),
        gh.widening_problem().unwrap_or_default()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}");
    }
    println!("notice: skipped: {why}");
    false
}

const LOOKUPS: [&str; 2] = ["users/get-by-username", "teams/get-by-name"];

#[test]
fn environment_apply_resolves_reviewer_names_to_ids() {
    let Some(gh) = github() else { return };
    if !described(&gh, &LOOKUPS) {
        return;
    }
    // octo/app belongs to the organisation octo, which has the team.
    gh.create_org("octo");
    let alice = gh.user_id("alice");
    let bob = gh.user_id("bob");
    let team = gh.create_team("octo", "release-managers", "Release managers");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("envs.yml"),
        "environments:\n  production:\n    prevent_self_review: true\n    reviewers:\n      - user: alice\n      - team: release-managers\n  staging:\n    reviewers:\n      - user: Bob\n",
    )
    .unwrap();
    let apply = |gh: &Server| {
        step(gh, dir.path(), TOKEN, &["environment", "apply", "envs.yml"])
            .output()
            .unwrap()
    };
    let o = apply(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        gh.environment_reviewers(REPO, "production"),
        vec![("User".to_string(), alice), ("Team".to_string(), team)]
    );
    assert_eq!(
        gh.environment_reviewers(REPO, "staging"),
        vec![("User".to_string(), bob)]
    );
    // One lookup per name, all before the first write.
    let log = gh.requests();
    let ops: Vec<&str> = log.iter().filter_map(|r| r.operation.as_deref()).collect();
    let first_put = ops
        .iter()
        .position(|o| *o == "repos/create-or-update-environment")
        .unwrap();
    let lookups: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| LOOKUPS.contains(o))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(lookups.len(), 3, "{ops:?}");
    assert!(lookups.iter().all(|i| *i < first_put), "{ops:?}");
    assert_eq!(
        gh.requests_matching("GET", "/orgs/octo/teams/release-managers")
            .len(),
        1
    );

    // Second run: the environments already have those reviewers; no lookup, no write.
    gh.clear_requests();
    let o = apply(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "environment production: no changes\nenvironment staging: no changes\nnothing to change\n"
    );
    assert_eq!(writes(&gh), 0);
    assert!(
        gh.requests()
            .iter()
            .all(|r| !LOOKUPS.contains(&r.operation.as_deref().unwrap_or(""))),
    );
    gh.assert_no_violations();
}

#[test]
fn environment_apply_with_an_unknown_reviewer_writes_nothing() {
    let Some(gh) = github() else { return };
    if !described(&gh, &LOOKUPS) {
        return;
    }
    gh.user_id("alice");
    let dir = tempfile::tempdir().unwrap();
    // production sorts first and is valid: an apply that resolved names as it went would have
    // written it before failing on staging.
    let file = "environments:\n  production:\n    reviewers:\n      - user: alice\n  staging:\n    wait_timer: 5\n    reviewers:\n      - user: nobody-here\n";
    std::fs::write(dir.path().join("envs.yml"), file).unwrap();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(
        err(&o),
        "error: envs.yml:7:5: environments.staging.reviewers: user nobody-here: no GitHub user `nobody-here` (GitHub answered 404): check the login, or give the user's `id`\n"
    );
    assert_eq!(writes(&gh), 0);
    assert_eq!(gh.requests_matching("GET", "/users/nobody-here").len(), 1);

    // A team in a repository owned by a user (octo is not an organisation here): GitHub has
    // no teams for users, so the lookup is a 404 and nothing is written either.
    std::fs::write(
        dir.path().join("envs.yml"),
        file.replace("user: nobody-here", "team: release-managers"),
    )
    .unwrap();
    gh.clear_requests();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with("error: envs.yml:7:5: environments.staging.reviewers: team release-managers: no team `release-managers` in the organisation `octo`"),
        "{e}"
    );
    assert_eq!(writes(&gh), 0);
    assert_eq!(
        gh.requests_matching("GET", "/orgs/octo/teams/release-managers")
            .iter()
            .map(|r| r.status)
            .collect::<Vec<_>>(),
        vec![404]
    );
    assert!(gh.environment_reviewers(REPO, "production").is_empty());

    // octo an organisation with that team, but a token that may not read its teams (no
    // Members: read): GitHub's 403 is explained, and still nothing is written.
    gh.create_org("octo");
    gh.create_team("octo", "release-managers", "Release managers");

    // An organisation named as a user (GET /users/octo answers it, as GitHub does).
    std::fs::write(
        dir.path().join("envs.yml"),
        file.replace("user: nobody-here", "user: octo"),
    )
    .unwrap();
    gh.clear_requests();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(
        err(&o),
        "error: envs.yml:7:5: environments.staging.reviewers: user octo: `octo` is an organisation, not a user: name a team of it with `team:`\n"
    );
    assert_eq!(writes(&gh), 0);
    std::fs::write(
        dir.path().join("envs.yml"),
        file.replace("user: nobody-here", "team: release-managers"),
    )
    .unwrap();

    gh.deny_members_read(TOKEN);
    gh.clear_requests();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["environment", "apply", "envs.yml"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with("error: GET /orgs/octo/teams/release-managers: GitHub refused (Resource not accessible by personal access token). Looking a reviewer team up by its slug needs"),
        "{e}"
    );
    assert!(e.contains("Members: read"), "{e}");
    assert_eq!(writes(&gh), 0);
    gh.assert_no_violations();
}

#[test]
fn release_rerun_after_the_changelog_changed_updates_the_body() {
    let Some(gh) = github() else { return };
    if !described(&gh, &["repos/update-release"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("CHANGELOG.md"), CHANGELOG).unwrap();
    let rel = |gh: &Server| {
        step(gh, dir.path(), TOKEN, &["release"])
            .env("GITHUB_REF", "refs/tags/v1.3.0-rc.1")
            .output()
            .unwrap()
    };
    let o = rel(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let id = gh.releases(REPO)[0].id;

    // The section gains a line: one PATCH of that release, with the new body.
    std::fs::write(
        dir.path().join("CHANGELOG.md"),
        CHANGELOG.replace(
            "- Deployments with required reviewers.\n",
            "- Deployments with required reviewers.\n- Release notes from the changelog.\n",
        ),
    )
    .unwrap();
    gh.clear_requests();
    let o = rel(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).starts_with("release v1.3.0-rc.1 updated (prerelease): "),
        "{}",
        out(&o)
    );
    let patches = gh.requests_matching("PATCH", &format!("/repos/octo/app/releases/{id}"));
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].status, 200);
    assert_eq!(writes(&gh), 1);
    let rels = gh.releases(REPO);
    assert_eq!(rels.len(), 1);
    assert_eq!(
        rels[0].body.as_deref(),
        Some(
            "### Added\n\n- Deployments with required reviewers.\n- Release notes from the changelog."
        )
    );
    assert!(rels[0].prerelease);

    // Once more, unchanged: nothing written.
    gh.clear_requests();
    let o = rel(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains(" unchanged "), "{}", out(&o));
    assert_eq!(writes(&gh), 0);
    gh.assert_no_violations();
}

// ---- auto_inactive -------------------------------------------------------------------------------

#[test]
fn auto_inactive_marks_earlier_deployments_of_the_environment_only_when_asked() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let deploy = |extra: &[&str]| {
        let mut args = vec!["deploy", "run"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--", "true"]);
        let o = step(&gh, dir.path(), TOKEN, &args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    };
    let last = |gh: &Server| -> Vec<String> {
        gh.deployments(REPO)
            .iter()
            .map(|d| d.statuses.last().unwrap().state.clone())
            .collect()
    };
    deploy(&["--environment", "qa"]); // 0: another environment
    deploy(&["--environment", "staging", "--transient"]); // 1: a review app
    deploy(&["--environment", "staging"]); // 2
    // GitHub's default: earlier successful deployments of staging that are not transient
    // (none yet) become inactive; qa and the transient one are untouched.
    assert_eq!(last(&gh), ["success", "success", "success"]);
    deploy(&["--environment", "staging", "--auto-inactive", "false"]); // 3
    // Switched off: 2 stays active beside 3.
    assert_eq!(last(&gh), ["success", "success", "success", "success"]);
    let sent = gh.requests_matching("POST", "/repos/octo/app/deployments/*/statuses");
    let successes: Vec<&serde_json::Value> = sent
        .iter()
        .filter_map(|r| r.body.as_ref())
        .filter(|b| b["state"] == "success")
        .collect();
    assert_eq!(successes.len(), 4);
    assert!(
        successes[..3]
            .iter()
            .all(|b| b.get("auto_inactive").is_none())
    );
    assert_eq!(successes[3]["auto_inactive"], false);
    deploy(&["--environment", "staging", "--auto-inactive", "true"]); // 4
    // On: both earlier non-transient staging deployments get an `inactive` status.
    assert_eq!(
        last(&gh),
        ["success", "success", "inactive", "inactive", "success"]
    );
    assert_eq!(
        states(&gh)[2],
        vec!["in_progress", "success", "inactive"],
        "one inactive status added"
    );
    // Production deployments are not made inactive (GitHub: "non-transient, non-production").
    deploy(&["--environment", "production"]); // 5
    deploy(&["--environment", "production"]); // 6
    assert_eq!(&last(&gh)[5..], ["success", "success"]);

    // deploy start|finish carries the switch too: 4 stays active beside 7.
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &["deploy", "start", "--environment", "staging"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let id = out(&o).trim().to_string();
    let o = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "finish",
            "--deployment-id",
            &id,
            "--state",
            "success",
            "--auto-inactive",
            "false",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(last(&gh)[4], "success");
    assert_eq!(last(&gh)[7], "success");
    gh.assert_no_violations();
}

// ---- signals at the edges of the lifecycle -----------------------------------------------------

/// Waits (at most 20 s) for `cond`.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let t0 = std::time::Instant::now();
    while !cond() {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{what} never happened"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn sigterm(child: &std::process::Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn deploy_run_interrupted_during_the_rollback_reports_it() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rollback = "trap 'echo TERM > rollback-term; exit 143' TERM; echo started > rollback-started; sleep 30 & wait";
    let child = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--rollback",
            rollback,
            "--format",
            "json",
            "--",
            "sh",
            "-c",
            "exit 3",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    wait_for("the rollback's start", || {
        dir.path().join("rollback-started").exists()
    });
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    // The rollback got the signal and the deployment ended in error, not in_progress.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rollback-term")).unwrap(),
        "TERM\n"
    );
    assert_eq!(states(&gh), vec![vec!["in_progress", "error"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[1].description,
        "rollback interrupted by SIGTERM after: deploy command exited with status 3"
    );
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report["state"], "error");
    assert_eq!(report["signal"], "SIGTERM");
    assert_eq!(report["rollback_interrupted"], true);
    assert_eq!(
        report["rollback"],
        "rollback interrupted by SIGTERM: it was stopped before it finished"
    );
    assert!(
        err(&o).contains("rollback: rollback interrupted by SIGTERM"),
        "{}",
        err(&o)
    );
    gh.assert_no_violations();
}

#[test]
fn deploy_run_interrupted_while_in_progress_is_being_set_ends_in_error() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The in_progress status is recorded at once and answered 1 s later: the signal comes
    // while shipgate waits for that answer.
    delay_answer(&gh, "/repos/octo/app/deployments/*/statuses", 1);
    let child = run_step(&gh, dir.path());
    wait_for("the in_progress status", || {
        states(&gh) == vec![vec!["in_progress".to_string()]]
    });
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    assert_eq!(states(&gh), vec![vec!["in_progress", "error"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[1].description,
        "cancelled by SIGTERM before the deploy command started"
    );
    // The deploy command never ran.
    assert!(!dir.path().join("deployed").exists());
    gh.assert_no_violations();
}

#[test]
fn deploy_run_interrupted_right_after_the_deployment_was_created_ends_in_error() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The deployment is created at once and answered 2 s later: the signal comes before
    // shipgate knows its id.
    delay_answer(&gh, "/repos/octo/app/deployments", 2);
    let child = run_step(&gh, dir.path());
    wait_for("the deployment", || !gh.deployments(REPO).is_empty());
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    // No in_progress at all: straight to error; nothing deployed.
    assert_eq!(states(&gh), vec![vec!["error"]]);
    assert_eq!(
        gh.deployments(REPO)[0].statuses[0].description,
        "cancelled by SIGTERM before the deploy command started"
    );
    assert!(!dir.path().join("deployed").exists());
    gh.assert_no_violations();
}

/// The deployments' statuses with their descriptions, oldest first.
fn described_states(gh: &Server) -> Vec<Vec<(String, String)>> {
    gh.deployments(REPO)
        .iter()
        .map(|d| {
            d.statuses
                .iter()
                .map(|s| (s.state.clone(), s.description.clone()))
                .collect()
        })
        .collect()
}

fn pair(state: &str, description: &str) -> (String, String) {
    (state.to_string(), description.to_string())
}

/// GitHub holds the `in_progress` request 4 s before storing it: past the 2 s shipgate gives
/// it after a signal (sent as soon as the request is held), so the final status is stored
/// first and `in_progress` after it, before the 6 s shipgate waits for it (margins of about
/// 2 s both ways for a loaded machine).
fn hold_in_progress(gh: &Server) {
    use shipgate_testserver::Fault;
    gh.inject(
        Fault::delay_before_applying(Duration::from_secs(4))
            .on("/repos/octo/app/deployments/*/statuses")
            .method("POST")
            .times(1),
    );
}

#[test]
fn deploy_run_in_progress_landing_after_the_final_status_is_overwritten() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    hold_in_progress(&gh);
    let child = step(
        &gh,
        dir.path(),
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--format",
            "json",
            "--",
            "sh",
            "-c",
            "echo ran > deployed",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let (o, took) = sigterm_while_in_progress_is_held(&gh, child);
    // Stored as GitHub would have them: the final status (written 2 s after the signal), the
    // held in_progress (4 s after it was sent), then the final status again, so the newest is
    // the final one.
    let why = "cancelled by SIGTERM before the deploy command started";
    assert_error_in_progress_error(&gh, why, &o);
    assert!(
        err(&o).contains("in_progress arrived after the final status; writing it again"),
        "{}",
        err(&o)
    );
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report["state"], "error");
    assert_eq!(report["status_written"], true);
    assert!(!dir.path().join("deployed").exists());
    // Within the runner's 10 s between SIGINT and SIGKILL.
    assert!(took < Duration::from_secs(8), "{took:?}");
    gh.assert_no_violations();
}

/// `deploy run --environment staging -- sh -c 'echo ran > deployed'`, as a child to signal.
fn run_step(gh: &Server, dir: &Path) -> std::process::Child {
    step(
        gh,
        dir,
        TOKEN,
        &[
            "deploy",
            "run",
            "--environment",
            "staging",
            "--",
            "sh",
            "-c",
            "echo ran > deployed",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap()
}

/// The next POST to `path` is applied at once and answered `secs` seconds later.
fn delay_answer(gh: &Server, path: &str, secs: u64) {
    gh.inject(
        shipgate_testserver::Fault::delay(Duration::from_secs(secs))
            .on(path)
            .method("POST")
            .times(1),
    );
}

/// SIGTERM once the `in_progress` request is held (and no status stored yet); the step's
/// output and how long it took to end after the signal, once the held request is stored.
fn sigterm_while_in_progress_is_held(
    gh: &Server,
    child: std::process::Child,
) -> (std::process::Output, Duration) {
    wait_for("the held in_progress", || gh.held_requests() == 1);
    assert_eq!(states(gh), vec![Vec::<String>::new()]);
    let t0 = std::time::Instant::now();
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    let took = t0.elapsed();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    // Whatever shipgate did, the held request is stored before the states are read.
    wait_for("the held in_progress stored", || {
        gh.held_requests() == 0 && gh.requests_matching("POST", "*/statuses").len() >= 2
    });
    (o, took)
}

/// The one deployment's statuses: the final `error`, the late `in_progress`, `error` again.
fn assert_error_in_progress_error(gh: &Server, why: &str, o: &std::process::Output) {
    assert_eq!(
        described_states(gh),
        vec![vec![
            pair("error", why),
            pair("in_progress", "deploying to staging"),
            pair("error", why),
        ]],
        "{}",
        err(o)
    );
}

fn start_step(gh: &Server, dir: &Path) -> std::process::Child {
    step(
        gh,
        dir,
        TOKEN,
        &["deploy", "start", "--environment", "staging"],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap()
}

/// The step's outputs (none when it wrote no file).
fn step_outputs(dir: &Path) -> Vec<(String, String)> {
    match std::fs::read_to_string(dir.join("outputs")) {
        Ok(t) => crate::runner::parse_file_command(&t).unwrap(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn deploy_start_cancelled_while_in_progress_is_held_ends_in_error() {
    let Some(gh) = github() else { return };
    let dir = tempfile::tempdir().unwrap();
    hold_in_progress(&gh);
    let child = start_step(&gh, dir.path());
    let (o, took) = sigterm_while_in_progress_is_held(&gh, child);
    let why = "cancelled by SIGTERM while the deployment was being started";
    assert_error_in_progress_error(&gh, why, &o);
    let id = gh.deployments(REPO)[0].id;
    assert!(
        err(&o).contains(&format!("deployment {id} to staging → error: {why}")),
        "{}",
        err(&o)
    );
    // No deployment id for a later `deploy finish`, nothing on stdout.
    assert_eq!(out(&o), "");
    assert!(step_outputs(dir.path()).is_empty());
    assert!(took < Duration::from_secs(8), "{took:?}");
    gh.assert_no_violations();
}

#[test]
fn deploy_start_cancelled_before_or_while_in_progress_is_set_ends_in_error() {
    let Some(gh) = github() else { return };
    let why = "cancelled by SIGTERM while the deployment was being started";
    // 1. In_progress stored at once, answered 1 s later: the signal comes while shipgate
    //    waits for the answer, which comes within the 2 s; then the final status.
    let dir = tempfile::tempdir().unwrap();
    delay_answer(&gh, "/repos/octo/app/deployments/*/statuses", 1);
    let child = start_step(&gh, dir.path());
    wait_for("the in_progress status", || {
        states(&gh) == vec![vec!["in_progress".to_string()]]
    });
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    assert_eq!(
        described_states(&gh),
        vec![vec![
            pair("in_progress", "deploying to staging"),
            pair("error", why)
        ]]
    );
    assert!(step_outputs(dir.path()).is_empty());
    // 2. The deployment stored at once, answered 2 s later: the signal comes before shipgate
    //    knows its id; no in_progress at all.
    let dir = tempfile::tempdir().unwrap();
    delay_answer(&gh, "/repos/octo/app/deployments", 2);
    let child = start_step(&gh, dir.path());
    wait_for("the second deployment", || gh.deployments(REPO).len() == 2);
    sigterm(&child);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", err(&o));
    let all = described_states(&gh);
    let second = all
        .iter()
        .find(|s| s.len() == 1)
        .expect("the second deployment");
    assert_eq!(second, &vec![pair("error", why)]);
    assert!(step_outputs(dir.path()).is_empty());
    gh.assert_no_violations();
}

// ---- the README's deploy-in-steps workflow ---------------------------------------------------------

/// A `run:` script as the runner's bash runs it: the step's `env:` (its `${{ }}` evaluated by
/// `eval`), the runner's variables, `shipgate` on the PATH.
fn shell_step(
    gh: &Server,
    dir: &Path,
    bin: &Path,
    step: &serde_json::Value,
    eval: &dyn Fn(&str) -> String,
) -> Output {
    let script = step["run"].as_str().unwrap();
    let mut c = step_command(gh, dir, "bash");
    c.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env_remove("GITHUB_TOKEN");
    for (k, v) in step["env"].as_object().into_iter().flatten() {
        let v = v.as_str().unwrap();
        let expr = v
            .trim()
            .strip_prefix("${{")
            .and_then(|r| r.strip_suffix("}}"))
            .map(str::trim);
        c.env(k, expr.map_or(v.to_string(), eval));
    }
    c.output().unwrap()
}

/// [`step`]'s environment for any program.
fn step_command(gh: &Server, dir: &Path, program: &str) -> Command {
    let mut c = step(gh, dir, TOKEN, &[]);
    let envs: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)> = c
        .get_envs()
        .map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned())))
        .collect();
    c = Command::new(program);
    c.current_dir(dir).env_clear();
    for (k, v) in envs {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c
}

#[test]
fn readme_deploy_in_steps_workflow_finishes_whatever_the_job_status() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("## Releases and deployments").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    let yaml = section
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap())
        .find(|b| b.contains("deploy start"))
        .expect("the deploy-in-steps workflow");
    let wf: serde_json::Value = serde_yaml_ng::from_str(yaml).unwrap();
    let job = &wf["jobs"]["production"];
    assert_eq!(job["environment"]["deployment"], false);
    let steps = job["steps"].as_array().unwrap();
    let start = steps.iter().find(|s| s["id"] == "start").unwrap();
    let finish = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("deploy finish"))
        })
        .unwrap();
    // Run on cancellation too (`always()`; `!cancelled()` and `success()` are skipped then),
    // and only when start gave an id.
    assert_eq!(
        finish["if"],
        "always() && steps.start.outputs.deployment-id != ''"
    );
    let Some(gh) = github() else { return };
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_shipgate"), bin.path().join("shipgate"))
        .unwrap();
    for (n, (job_status, state, description)) in [
        ("success", "success", "deployment success"),
        ("failure", "failure", "deployment failure"),
        (
            "cancelled",
            "error",
            "deployment cancelled: the job was cancelled",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = tempfile::tempdir().unwrap();
        let github = |e: &str| match e {
            "github.token" => TOKEN.to_string(),
            other => panic!("the test knows no {other}"),
        };
        let o = shell_step(&gh, dir.path(), bin.path(), start, &github);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let outputs = crate::runner::parse_file_command(
            &std::fs::read_to_string(dir.path().join("outputs")).unwrap(),
        )
        .unwrap();
        let id = outputs
            .iter()
            .find(|(k, _)| k == "deployment-id")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert_eq!(id, gh.deployments(REPO)[n].id.to_string());
        let eval = |e: &str| match e {
            "steps.start.outputs.deployment-id" => id.clone(),
            "job.status" => job_status.to_string(),
            other => github(other),
        };
        let o = shell_step(&gh, dir.path(), bin.path(), finish, &eval);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        assert_eq!(
            described_states(&gh)[n],
            vec![
                pair("in_progress", "deploying to production"),
                pair(state, description)
            ],
            "job status {job_status}"
        );
        let last = gh.deployments(REPO)[n].statuses[1].clone();
        let url = if state == "success" {
            "https://example.com"
        } else {
            ""
        };
        assert_eq!(last.environment_url, url);
    }
    gh.assert_no_violations();
}

// ---- reviewers need read access to the repository ----------------------------------------------

#[test]
fn environment_apply_refuses_reviewers_without_access_to_a_private_repository() {
    let gh = match try_start(Options::default()) {
        Ok(s) => s,
        Err(e) => {
            println!("notice: skipped: {e}");
            return;
        }
    };
    gh.create_org("octo");
    let mut spec = RepoSpec::new(REPO);
    spec.private = true;
    gh.create_repo(spec);
    gh.add_token(TOKEN, TokenSpec::write_all());
    let alice = gh.user_id("alice");
    let bob = gh.user_id("bob");
    let team = gh.create_team("octo", "release-managers", "Release managers");
    let dir = tempfile::tempdir().unwrap();
    // Ids given: no lookup by name, only the environment's own calls.
    std::fs::write(
        dir.path().join("envs.yml"),
        format!(
            "environments:\n  production:\n    reviewers:\n      - user: alice\n        id: {alice}\n      - user: bob\n        id: {bob}\n      - team: release-managers\n        id: {team}\n"
        ),
    )
    .unwrap();
    let apply = |gh: &Server| {
        step(gh, dir.path(), TOKEN, &["environment", "apply", "envs.yml"])
            .output()
            .unwrap()
    };
    // Nobody but the organisation can read octo/app yet.
    let o = apply(&gh);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("envs.yml:3:"), "{e}");
    assert!(
        e.contains("GitHub refused the reviewers of environment production"),
        "{e}"
    );
    assert!(
        e.contains("The user alice cannot review deployments"),
        "{e}"
    );
    assert!(
        e.contains("Required reviewers must have at least read access to octo/app"),
        "{e}"
    );
    assert!(gh.environment_reviewers(REPO, "production").is_empty());
    // alice a collaborator, bob a member of the organisation: the team is refused next.
    gh.add_collaborator(REPO, "alice");
    gh.add_org_member("octo", "bob");
    let o = apply(&gh);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("The team octo/release-managers cannot review deployments"),
        "{}",
        err(&o)
    );
    // The team given the repository: applied.
    gh.add_team_repo(team, REPO);
    let o = apply(&gh);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        gh.environment_reviewers(REPO, "production"),
        vec![
            ("User".to_string(), alice),
            ("User".to_string(), bob),
            ("Team".to_string(), team)
        ]
    );
    gh.assert_no_violations();
}
