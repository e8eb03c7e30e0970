//! A stateful stand-in for the GitHub REST API, for shipgate's integration tests.
//!
//! [`start`] runs it on `127.0.0.1` on an ephemeral port, on its own thread with its own tokio
//! runtime, so blocking and async tests use it alike. Every request it receives and every
//! response it sends is checked against GitHub's OpenAPI description (see [`openapi`]); what does
//! not conform is answered as GitHub would and recorded as a [`Violation`]. Dropping the
//! [`Server`] panics when violations are left, so a test that sent a bad request fails.
//!
//! The same API is served under `/api/v3`, the prefix of GitHub Enterprise Server, and under
//! `/repositories/{id}/...`, the form GitHub's `Link` headers use.

#![recursion_limit = "512"]

mod access;
mod api;
mod baseline;
mod deploy;
mod hold;
mod http;
pub mod openapi;
mod render;
mod sarif;
mod state;
mod widen;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

pub use deploy::{DeploymentStatusView, DeploymentView, ReleaseView};
pub use openapi::{OPENAPI_ENV, cache_dir, candidate_paths, full_description_path};

/// A level of access for one permission of a token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// No access.
    #[default]
    None,
    /// Read access.
    Read,
    /// Read and write access.
    Write,
}

/// The repository permissions of a token, as a workflow's `permissions:` block names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    /// `contents`: commits, compare, releases.
    pub contents: Access,
    /// `checks`: check runs and their annotations.
    pub checks: Access,
    /// `pull-requests`: pull requests, and comments on them.
    pub pull_requests: Access,
    /// `issues`: issue comments.
    pub issues: Access,
    /// `statuses`: commit statuses.
    pub statuses: Access,
    /// `security-events`: code-scanning SARIF uploads.
    pub security_events: Access,
    /// `deployments`: deployments, their statuses, reviews of pending deployments.
    pub deployments: Access,
    /// `administration`: repository settings, environments.
    pub administration: Access,
    /// `actions`: workflow runs.
    pub actions: Access,
}

impl Permissions {
    /// Every permission at `level`.
    pub fn all(level: Access) -> Permissions {
        Permissions {
            contents: level,
            checks: level,
            pull_requests: level,
            issues: level,
            statuses: level,
            security_events: level,
            deployments: level,
            administration: level,
            actions: level,
        }
    }

    /// Every permission lowered to at most `max`.
    pub fn capped(&self, max: Access) -> Permissions {
        let c = |a: Access| a.min(max);
        Permissions {
            contents: c(self.contents),
            checks: c(self.checks),
            pull_requests: c(self.pull_requests),
            issues: c(self.issues),
            statuses: c(self.statuses),
            security_events: c(self.security_events),
            deployments: c(self.deployments),
            administration: c(self.administration),
            actions: c(self.actions),
        }
    }
}

/// A token the server accepts in `Authorization: token X` or `Bearer X`.
#[derive(Clone, Debug)]
pub struct TokenSpec {
    /// Who acts with it (comments and statuses are theirs); `github-actions[bot]` by default.
    pub login: String,
    /// What it may do.
    pub permissions: Permissions,
    /// The repositories (`owner/name`) it is for; `None` for all. Other repositories are
    /// readable only when public.
    pub repositories: Option<Vec<String>>,
    /// A workflow's token on a pull request from a fork: GitHub lowers every permission to
    /// read, whatever the workflow asked for.
    pub fork_pull_request: bool,
    /// Requests per hour (GitHub gives Actions' `GITHUB_TOKEN` 1,000 per repository).
    pub rate_limit: u64,
}

impl TokenSpec {
    /// A token with every permission at `write`.
    pub fn write_all() -> TokenSpec {
        TokenSpec::with(Permissions::all(Access::Write))
    }

    /// A token with every permission at `read`.
    pub fn read_all() -> TokenSpec {
        TokenSpec::with(Permissions::all(Access::Read))
    }

    /// A token with these permissions.
    pub fn with(permissions: Permissions) -> TokenSpec {
        TokenSpec {
            login: "github-actions[bot]".into(),
            permissions,
            repositories: None,
            fork_pull_request: false,
            rate_limit: 5_000,
        }
    }

    /// The token of a workflow run on a pull request from a fork (write lowered to read).
    pub fn fork_pull_request(mut self) -> TokenSpec {
        self.fork_pull_request = true;
        self
    }

    /// Restricts the token to these repositories.
    pub fn only(mut self, repos: &[&str]) -> TokenSpec {
        self.repositories = Some(repos.iter().map(|s| s.to_string()).collect());
        self
    }
}

/// What a fault does to the requests it catches.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// GitHub's primary rate limit: `status` (403 or 429) with `x-ratelimit-remaining: 0`
    /// and `x-ratelimit-reset` this long from now.
    PrimaryRateLimit {
        /// 403 or 429.
        status: u16,
        /// When the window resets, from the moment of the request.
        reset_after: Duration,
    },
    /// GitHub's secondary rate limit: `status` (403 or 429) with `retry-after` seconds.
    SecondaryRateLimit {
        /// 403 or 429.
        status: u16,
        /// The `retry-after` header.
        retry_after: u64,
    },
    /// An outage answer (500, 502, 503, 504).
    ServerError(u16),
    /// The request is carried out (its state change kept), then answered with this outage
    /// status instead of its result: GitHub acted but the client cannot know it, so a retry
    /// that does not look first repeats the write.
    ServerErrorAfterApplying(u16),
    /// The answer comes this much later (the request is served normally).
    Delay(Duration),
    /// The request is held this long BEFORE it is carried out, then served normally. It is
    /// carried out even when the client has given up on it meanwhile (as GitHub does with a
    /// request it has received), so it can land after requests sent later.
    DelayBeforeApplying(Duration),
    /// 401 Bad credentials, whatever the token.
    BadCredentials,
    /// 422 Validation Failed, whatever the request.
    ValidationFailed,
    /// 404 Not Found, whatever the request.
    NotFound,
}

/// A fault switched on for the requests that match it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// A pattern for the path (without `/api/v3` and query); `*` matches any run of
    /// characters, slashes included. `None` for every path.
    pub path: Option<String>,
    /// Only this method (`POST`...), or every method.
    pub method: Option<String>,
    /// How many requests it catches before it switches itself off; `None` for all.
    pub times: Option<u32>,
}

impl Fault {
    /// A fault of this kind on every request until cleared.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            path: None,
            method: None,
            times: None,
        }
    }

    /// Primary rate limit answered with 403 (GitHub's usual status).
    pub fn primary_rate_limit(reset_after: Duration) -> Fault {
        Fault::new(FaultKind::PrimaryRateLimit {
            status: 403,
            reset_after,
        })
    }

    /// Secondary rate limit answered with 403 and `retry-after`.
    pub fn secondary_rate_limit(retry_after: u64) -> Fault {
        Fault::new(FaultKind::SecondaryRateLimit {
            status: 403,
            retry_after,
        })
    }

    /// An outage with this status.
    pub fn server_error(status: u16) -> Fault {
        Fault::new(FaultKind::ServerError(status))
    }

    /// The request is carried out, then answered with this outage status
    /// ([`FaultKind::ServerErrorAfterApplying`]).
    pub fn server_error_after_applying(status: u16) -> Fault {
        Fault::new(FaultKind::ServerErrorAfterApplying(status))
    }

    /// Slow answers.
    pub fn delay(d: Duration) -> Fault {
        Fault::new(FaultKind::Delay(d))
    }

    /// Requests held `d` before they are carried out
    /// ([`FaultKind::DelayBeforeApplying`]).
    pub fn delay_before_applying(d: Duration) -> Fault {
        Fault::new(FaultKind::DelayBeforeApplying(d))
    }

    /// Answers with 429 instead of 403 (rate-limit kinds only).
    pub fn with_429(mut self) -> Fault {
        match &mut self.kind {
            FaultKind::PrimaryRateLimit { status, .. }
            | FaultKind::SecondaryRateLimit { status, .. } => *status = 429,
            _ => {}
        }
        self
    }

    /// Only requests whose path matches `pattern` (`*` for any characters).
    pub fn on(mut self, pattern: &str) -> Fault {
        self.path = Some(pattern.to_string());
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, m: &str) -> Fault {
        self.method = Some(m.to_ascii_uppercase());
        self
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }
}

/// A file changed by a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Path in the repository.
    pub filename: String,
    /// `added`, `modified`, `removed`, `renamed`...
    pub status: String,
    /// Lines added.
    pub additions: u64,
    /// Lines removed.
    pub deletions: u64,
    /// The unified diff hunks; `None` for binary files.
    pub patch: Option<String>,
    /// The old name of a renamed file.
    pub previous_filename: Option<String>,
}

impl FileChange {
    /// A modified file with a made-up patch of the right size.
    pub fn modified(filename: &str, additions: u64, deletions: u64) -> FileChange {
        let mut patch = format!("@@ -1,{deletions} +1,{additions} @@");
        for i in 0..deletions {
            patch.push_str(&format!("\n-old line {}", i + 1));
        }
        for i in 0..additions {
            patch.push_str(&format!("\n+new line {}", i + 1));
        }
        FileChange {
            filename: filename.into(),
            status: "modified".into(),
            additions,
            deletions,
            patch: Some(patch),
            previous_filename: None,
        }
    }

    /// An added file of `lines` lines.
    pub fn added(filename: &str, lines: u64) -> FileChange {
        let mut f = FileChange::modified(filename, lines, 0);
        f.status = "added".into();
        f.patch = f.patch.map(|p| p.replacen("-1,0", "-0,0", 1));
        f
    }

    /// The same change with this patch text.
    pub fn with_patch(mut self, patch: &str) -> FileChange {
        self.patch = Some(patch.into());
        self
    }
}

/// How the next SARIF uploads are processed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SarifProcessing {
    /// How many `GET .../sarifs/{id}` answer `pending` before the outcome.
    pub pending_polls: u32,
    /// `Some(errors)`: the upload ends `failed` with these errors; `None`: `complete`.
    pub fail_with: Option<Vec<String>>,
}

/// A repository to create.
#[derive(Clone, Debug)]
pub struct RepoSpec {
    /// `owner/name`.
    pub full_name: String,
    /// Private (404 to whoever has no access) or public.
    pub private: bool,
    /// The default branch, `main` by default.
    pub default_branch: String,
    /// Its description.
    pub description: Option<String>,
}

impl RepoSpec {
    /// A public repository with a `main` branch.
    pub fn new(full_name: &str) -> RepoSpec {
        RepoSpec {
            full_name: full_name.into(),
            private: false,
            default_branch: "main".into(),
            description: None,
        }
    }
}

/// A pull request to open.
#[derive(Clone, Debug)]
pub struct PullSpec {
    /// The base repository, `owner/name`.
    pub repo: String,
    /// The head: `branch` in the same repository, or `owner:branch` in a fork.
    pub head: String,
    /// The base branch; the default branch when empty.
    pub base: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author login; the head repository's owner when empty.
    pub user: String,
}

impl PullSpec {
    /// A pull request from `head` into the default branch.
    pub fn new(repo: &str, head: &str) -> PullSpec {
        PullSpec {
            repo: repo.into(),
            head: head.into(),
            base: String::new(),
            title: format!("Change from {head}"),
            body: None,
            user: String::new(),
        }
    }
}

/// A protected environment to create.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentSpec {
    /// Minutes to wait before jobs may proceed (0 to 43,200).
    pub wait_timer: u32,
    /// Logins of required reviewers (up to 6).
    pub reviewers: Vec<String>,
    /// Whether a reviewer may not approve their own run.
    pub prevent_self_review: bool,
    /// Only protected branches may deploy.
    pub protected_branches: bool,
    /// Only branches matching these name patterns may deploy.
    pub branch_patterns: Vec<String>,
}

/// A workflow run to create.
#[derive(Clone, Debug)]
pub struct WorkflowRunSpec {
    /// Repository, `owner/name`.
    pub repo: String,
    /// Branch (in `head_repo`) whose head the run is for.
    pub head_branch: String,
    /// The repository the head branch is in, `owner/name`; the repository itself when empty.
    pub head_repo: String,
    /// `pull_request`, `push`, `workflow_run`...
    pub event: String,
    /// Environments the run waits on for approval.
    pub pending_environments: Vec<String>,
}

/// Whether a violation was in what the client sent or in what the server answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The client's request did not conform: a bug in the client.
    Request,
    /// The server's answer did not conform: a bug in this server.
    Response,
}

/// A request or response that does not conform to GitHub's description or documented limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Request or response.
    pub side: Side,
    /// Method.
    pub method: String,
    /// Path as received.
    pub path: String,
    /// The operation it matched, if any.
    pub operation: Option<String>,
    /// What is wrong.
    pub problems: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = match self.side {
            Side::Request => "request",
            Side::Response => "response (server bug)",
        };
        write!(f, "{side} {} {}", self.method, self.path)?;
        if let Some(op) = &self.operation {
            write!(f, " ({op})")?;
        }
        write!(f, ": {}", self.problems.join("; "))
    }
}

/// One request the server answered.
#[derive(Clone, Debug)]
pub struct RequestRecord {
    /// Method.
    pub method: String,
    /// Path as received, `/api/v3` included.
    pub path: String,
    /// The path the operation was matched on: without `/api/v3`, and with
    /// `/repositories/{id}` written as `/repos/{owner}/{repo}`.
    pub route: String,
    /// The raw query string.
    pub query: Option<String>,
    /// The matched operation's id (`checks/create`).
    pub operation: Option<String>,
    /// Status answered.
    pub status: u16,
    /// Time from receipt to answer (injected delays included).
    pub elapsed: Duration,
    /// The JSON body received.
    pub body: Option<Value>,
    /// The JSON body answered.
    pub response: Option<Value>,
}

/// How to start the server.
#[derive(Clone, Debug)]
pub struct Options {
    /// The OpenAPI description to use; the lookup order of [`candidate_paths`] when `None`.
    pub openapi: Option<PathBuf>,
    /// Patches larger than this many bytes are left out of `pulls/{n}/files`, as GitHub leaves
    /// out the patch of large diffs.
    pub max_patch_bytes: usize,
    /// Panic on drop when violations are left (default): a bad request fails its test.
    pub check_on_drop: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            openapi: None,
            max_patch_bytes: 400_000,
            check_on_drop: true,
        }
    }
}

/// A check run as the server keeps it.
#[derive(Clone, Debug)]
pub struct CheckRunView {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Commit.
    pub head_sha: String,
    /// `queued`, `in_progress`, `completed`.
    pub status: String,
    /// Conclusion once completed.
    pub conclusion: Option<String>,
    /// `output.title`.
    pub title: Option<String>,
    /// `output.summary`.
    pub summary: Option<String>,
    /// `output.text`.
    pub text: Option<String>,
    /// Every annotation received, in order, as GitHub lists them.
    pub annotations: Vec<Value>,
}

/// An issue or pull-request comment as the server keeps it.
#[derive(Clone, Debug)]
pub struct CommentView {
    /// Id.
    pub id: u64,
    /// Issue or pull-request number.
    pub issue: u64,
    /// Author login.
    pub user: String,
    /// Body.
    pub body: String,
}

/// A commit status as the server keeps it.
#[derive(Clone, Debug)]
pub struct StatusView {
    /// Commit.
    pub sha: String,
    /// `pending`, `success`, `failure`, `error`.
    pub state: String,
    /// Context.
    pub context: String,
    /// Description.
    pub description: Option<String>,
    /// Target URL.
    pub target_url: Option<String>,
}

/// A SARIF upload as the server read it.
#[derive(Clone, Debug)]
pub struct SarifView {
    /// The id answered.
    pub id: String,
    /// `commit_sha` sent.
    pub commit_sha: String,
    /// `ref` sent.
    pub git_ref: String,
    /// `tool_name` sent.
    pub tool_name: Option<String>,
    /// Runs in the decoded file.
    pub runs: usize,
    /// Results per run.
    pub results: Vec<usize>,
    /// The decoded SARIF document, when it was JSON.
    pub document: Option<Value>,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// The OpenAPI description is missing or unreadable.
    Spec(openapi::SpecError),
    /// The socket or the runtime could not be set up.
    Io(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Spec(e) => write!(f, "{e}"),
            StartError::Io(e) => write!(f, "cannot start the test GitHub server: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

pub(crate) struct Shared {
    pub spec: Arc<openapi::Spec>,
    pub state: Mutex<state::State>,
    pub options: Options,
    pub base: String,
    /// Requests being held by [`FaultKind::DelayBeforeApplying`] right now.
    pub held: std::sync::atomic::AtomicUsize,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running server; stops when dropped.
pub struct Server {
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts a server; panics with the reason when it cannot (tests want that).
pub fn start(options: Options) -> Server {
    match try_start(options) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// Starts a server.
pub fn try_start(options: Options) -> Result<Server, StartError> {
    let spec = openapi::Spec::load(options.openapi.as_deref()).map_err(StartError::Spec)?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(StartError::Io)?;
    listener.set_nonblocking(true).map_err(StartError::Io)?;
    let addr = listener.local_addr().map_err(StartError::Io)?;
    let shared = Arc::new(Shared {
        spec,
        state: Mutex::new(state::State::new()),
        options,
        base: format!("http://{addr}"),
        held: Default::default(),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Io)?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = http::router(shared.clone());
    let thread = std::thread::Builder::new()
        .name(format!("github-testserver-{}", addr.port()))
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                tokio::spawn(async move {
                    let _ = axum::serve(listener, app).await;
                });
                let _ = rx.await;
            });
        })
        .map_err(StartError::Io)?;
    Ok(Server {
        shared,
        stop: Some(tx),
        thread: Some(thread),
    })
}

impl Server {
    /// `http://127.0.0.1:PORT`, the API root as `GITHUB_API_URL` holds it on github.com.
    pub fn url(&self) -> String {
        self.shared.base.clone()
    }

    /// `http://127.0.0.1:PORT/api/v3`, the API root of a GitHub Enterprise Server.
    pub fn ghes_url(&self) -> String {
        format!("{}/api/v3", self.shared.base)
    }

    /// The OpenAPI file in use.
    pub fn openapi_source(&self) -> PathBuf {
        self.shared.spec.source.clone()
    }

    /// Whether the description in use has the operation `id` (`users/get-by-username`): the
    /// subset of `../shared` lacks a few that the server adds from the full description when
    /// `testserver/fetch-openapi.sh` has installed it.
    pub fn supports(&self, id: &str) -> bool {
        self.shared.spec.operation(id).is_some()
    }

    /// Why operations could not be added to the subset from the full description, if they
    /// could not (the full description is not installed, or lacks them).
    pub fn widening_problem(&self) -> Option<String> {
        self.shared.spec.widened.as_ref().err().cloned()
    }

    fn lock(&self) -> MutexGuard<'_, state::State> {
        self.shared.lock()
    }

    /// Every violation so far.
    pub fn violations(&self) -> Vec<Violation> {
        self.lock().violations.clone()
    }

    /// Every violation so far, forgetting them (for tests that send bad requests on purpose).
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut self.lock().violations)
    }

    /// Panics with the list of violations if there is any.
    #[track_caller]
    pub fn assert_no_violations(&self) {
        let v = self.violations();
        if !v.is_empty() {
            let list: Vec<String> = v.iter().map(|x| format!("  - {x}")).collect();
            panic!(
                "the test GitHub server recorded {} violation(s) of GitHub's API description:\n{}",
                v.len(),
                list.join("\n")
            );
        }
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.lock().log.clone()
    }

    /// The requests whose method is `method` and whose [`RequestRecord::route`] matches
    /// `pattern` (`*` for any characters).
    pub fn requests_matching(&self, method: &str, pattern: &str) -> Vec<RequestRecord> {
        self.lock()
            .log
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method))
            .filter(|r| http::glob(pattern, &r.route))
            .cloned()
            .collect()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.lock().log.clear();
    }

    /// Switches a fault on.
    pub fn inject(&self, fault: Fault) {
        let left = fault.times;
        self.lock().faults.push(state::ActiveFault { fault, left });
    }

    /// Switches every fault off.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Sets the primary rate-limit window of a token (`None`: anonymous requests).
    pub fn set_rate_limit(&self, token: Option<&str>, remaining: u64, reset_after: Duration) {
        let mut st = self.lock();
        let reset = state::now() + reset_after.as_secs();
        let bucket = match token {
            Some(t) => st.tokens.get_mut(t).map(|t| &mut t.bucket),
            None => Some(&mut st.anonymous),
        };
        if let Some(b) = bucket {
            b.remaining = remaining.min(b.limit);
            b.reset = reset;
        }
    }

    /// Adds a token.
    pub fn add_token(&self, token: &str, spec: TokenSpec) {
        let mut st = self.lock();
        st.user(&spec.login);
        let permissions = if spec.fork_pull_request {
            spec.permissions.capped(Access::Read)
        } else {
            spec.permissions
        };
        st.tokens.insert(
            token.to_string(),
            state::TokenState {
                login: spec.login,
                permissions,
                repositories: spec.repositories,
                bucket: state::Bucket::new(spec.rate_limit),
            },
        );
    }

    /// Sets how the next SARIF uploads are processed.
    pub fn set_sarif_processing(&self, p: SarifProcessing) {
        self.lock().sarif_processing = p;
    }

    /// Creates a repository with one commit on its default branch; returns that commit's sha.
    pub fn create_repo(&self, spec: RepoSpec) -> String {
        api::seed::create_repo(&mut self.lock(), &spec)
    }

    /// Forks `parent` (`owner/name`) into `owner`'s account; the fork shares its commits.
    pub fn fork(&self, parent: &str, owner: &str) -> String {
        api::seed::fork(&mut self.lock(), parent, owner)
    }

    /// Commits `files` on `branch` of `repo` (the branch starts at the default branch's head
    /// when new); returns the sha.
    pub fn commit(
        &self,
        repo: &str,
        branch: &str,
        message: &str,
        files: Vec<FileChange>,
    ) -> String {
        api::seed::commit(&mut self.lock(), repo, branch, message, files)
    }

    /// Adds a tag pointing at `sha`.
    pub fn tag(&self, repo: &str, tag: &str, sha: &str) {
        api::seed::tag(&mut self.lock(), repo, tag, sha);
    }

    /// Opens a pull request; returns its number.
    pub fn create_pull(&self, spec: PullSpec) -> u64 {
        api::seed::pull(&mut self.lock(), &spec)
    }

    /// Opens an issue; returns its number.
    pub fn create_issue(&self, repo: &str, title: &str) -> u64 {
        api::seed::issue(&mut self.lock(), repo, title)
    }

    /// Adds a comment as `user`; returns its id.
    pub fn add_comment(&self, repo: &str, issue: u64, user: &str, body: &str) -> u64 {
        api::seed::comment(&mut self.lock(), repo, issue, user, body)
    }

    /// Creates or replaces an environment with protection rules; returns its id.
    pub fn create_environment(&self, repo: &str, name: &str, spec: EnvironmentSpec) -> u64 {
        api::seed::environment(&mut self.lock(), repo, name, &spec)
    }

    /// Creates a workflow run (waiting on its pending environments, if any); returns its id.
    pub fn create_workflow_run(&self, spec: WorkflowRunSpec) -> u64 {
        api::seed::workflow_run(&mut self.lock(), &spec)
    }

    /// The head sha of a branch.
    pub fn branch_sha(&self, repo: &str, branch: &str) -> Option<String> {
        let st = self.lock();
        let (o, n) = repo.split_once('/')?;
        let r = &st.repos[st.repo_index(o, n)?];
        r.branches.get(branch).cloned()
    }

    /// The check runs of a repository, oldest first.
    pub fn check_runs(&self, repo: &str) -> Vec<CheckRunView> {
        let st = self.lock();
        api::seed::find(&st, repo)
            .map(|r| {
                r.check_runs
                    .iter()
                    .map(|c| CheckRunView {
                        id: c.id,
                        name: c.name.clone(),
                        head_sha: c.head_sha.clone(),
                        status: c.status.clone(),
                        conclusion: c.conclusion.clone(),
                        title: c.title.clone(),
                        summary: c.summary.clone(),
                        text: c.text.clone(),
                        annotations: c.annotations.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The comments on an issue or pull request, oldest first.
    pub fn comments(&self, repo: &str, issue: u64) -> Vec<CommentView> {
        let st = self.lock();
        api::seed::find(&st, repo)
            .map(|r| {
                r.comments
                    .iter()
                    .filter(|c| c.issue == issue)
                    .map(|c| CommentView {
                        id: c.id,
                        issue: c.issue,
                        user: c.user.clone(),
                        body: c.body.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The commit statuses of a repository, oldest first.
    pub fn statuses(&self, repo: &str) -> Vec<StatusView> {
        let st = self.lock();
        api::seed::find(&st, repo)
            .map(|r| {
                r.statuses
                    .iter()
                    .map(|s| StatusView {
                        sha: s.sha.clone(),
                        state: s.state.clone(),
                        context: s.context.clone(),
                        description: s.description.clone(),
                        target_url: s.target_url.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The SARIF uploads of a repository, oldest first.
    pub fn sarif_uploads(&self, repo: &str) -> Vec<SarifView> {
        let st = self.lock();
        api::seed::find(&st, repo)
            .map(|r| {
                r.sarifs
                    .iter()
                    .map(|s| SarifView {
                        id: s.id.clone(),
                        commit_sha: s.commit_sha.clone(),
                        git_ref: s.git_ref.clone(),
                        tool_name: s.tool_name.clone(),
                        runs: s.runs,
                        results: s.results.clone(),
                        document: s.document.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if self.shared.options.check_on_drop && !std::thread::panicking() {
            self.assert_no_violations();
        }
    }
}
