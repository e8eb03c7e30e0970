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
/// description.
fn server() -> Option<Server> {
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
