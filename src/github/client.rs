//! The client: settings from the runner's environment, one attempt, retried sends.

use super::error::{GitHubError, RateLimit, permission_for};
use super::retry::{Backoff, RetryPolicy};
use http::{HeaderMap, Method};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where and how to reach GitHub.
#[derive(Clone)]
pub struct Settings {
    /// The token (`INPUT_TOKEN`, else `GITHUB_TOKEN`); `None` sends no credentials.
    pub token: Option<String>,
    /// The API base (`GITHUB_API_URL`, default `https://api.github.com`; GitHub Enterprise
    /// Server's ends in `/api/v3`), without a trailing slash.
    pub api_url: String,
    /// `owner/name` (`GITHUB_REPOSITORY`).
    pub repository: String,
    /// Time allowed for one attempt (`SHIPGATE_HTTP_TIMEOUT_SECONDS`, default 30).
    pub timeout: Duration,
    /// How failures are retried.
    pub policy: RetryPolicy,
}

// The token stays out of every Debug output.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("api_url", &self.api_url)
            .field("repository", &self.repository)
            .field("timeout", &self.timeout)
            .field("policy", &self.policy)
            .finish()
    }
}

impl Settings {
    /// Reads the settings through `var` (the process environment, or a map in tests); empty
    /// values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Settings, GitHubError> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let repository = get("GITHUB_REPOSITORY").ok_or_else(|| {
            GitHubError::Config("GITHUB_REPOSITORY is not set (expected owner/name)".into())
        })?;
        if repository.split('/').filter(|s| !s.is_empty()).count() != 2 {
            return Err(GitHubError::Config(format!(
                "GITHUB_REPOSITORY is {repository:?}, expected owner/name"
            )));
        }
        let api_url = get("GITHUB_API_URL")
            .unwrap_or_else(|| "https://api.github.com".into())
            .trim_end_matches('/')
            .to_string();
        if api_url.parse::<http::Uri>().is_err() || !api_url.starts_with("http") {
            return Err(GitHubError::Config(format!(
                "GITHUB_API_URL is {api_url:?}, expected an http(s) URL"
            )));
        }
        let timeout = get("SHIPGATE_HTTP_TIMEOUT_SECONDS")
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|s| *s > 0.0)
            .map_or(Duration::from_secs(30), Duration::from_secs_f64);
        Ok(Settings {
            token: get("INPUT_TOKEN").or_else(|| get("GITHUB_TOKEN")),
            api_url,
            repository,
            timeout,
            policy: RetryPolicy::from_vars(&var),
        })
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The JSON body (`Null` when empty).
    pub body: Value,
}

impl Response {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A GitHub REST client for one repository.
pub struct Client {
    octo: octocrab::Octocrab,
    api_url: String,
    api_path: String,
    repository: String,
    policy: RetryPolicy,
    has_token: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("repository", &self.repository)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client from the process environment ([`Settings::from_vars`]).
    pub fn from_env() -> Result<Client, GitHubError> {
        Client::new(Settings::from_vars(|k| std::env::var(k).ok())?)
    }

    /// A client with these settings. Must be called inside a tokio runtime (octocrab spawns
    /// its request queue on it), and used on that runtime.
    pub fn new(s: Settings) -> Result<Client, GitHubError> {
        crate::install_crypto_provider();
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(GitHubError::Config(
                "the GitHub client must be built inside a tokio runtime".into(),
            ));
        }
        // reqwest's system proxy reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
        let http = reqwest::Client::builder()
            .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
            .timeout(s.timeout)
            .connect_timeout(s.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| GitHubError::Config(format!("cannot build the HTTP client: {e}")))?;
        let mut b = octocrab::Octocrab::builder()
            .base_uri(s.api_url.as_str())
            .map_err(|e| GitHubError::Config(format!("GITHUB_API_URL {}: {e}", s.api_url)))?;
        b = b.add_header(
            http::header::ACCEPT,
            "application/vnd.github+json".to_string(),
        );
        if let Some(t) = &s.token {
            b = b.personal_token(t.clone());
        }
        let octo = b
            .build_with_reqwest(http)
            .map_err(|e| GitHubError::Config(format!("cannot build the GitHub client: {e}")))?;
        let api_path = s
            .api_url
            .parse::<http::Uri>()
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        Ok(Client {
            octo,
            api_url: s.api_url,
            api_path,
            repository: s.repository,
            policy: s.policy,
            has_token: s.token.is_some(),
        })
    }

    /// `owner/name`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The API base URL.
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// Whether a token is sent.
    pub fn has_token(&self) -> bool {
        self.has_token
    }

    /// The retry policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// A fresh backoff for one logical request.
    pub fn backoff(&self) -> Backoff {
        self.policy.start()
    }

    /// `/repos/{owner}/{name}` followed by `rest`.
    pub fn repo_path(&self, rest: &str) -> String {
        format!("/repos/{}{rest}", self.repository)
    }

    /// A POST that GitHub does not make idempotent (creating a check run, a comment, a
    /// deployment, a status), retried by the policy; after a failure that may have been carried
    /// out anyway ([`GitHubError::ambiguous`]: 5xx, timeout), `landed` looks for the write
    /// before it is repeated. Either GitHub's answer or what `landed` found.
    pub async fn post_once<T, F, Fut>(
        &self,
        path: &str,
        body: &Value,
        mut landed: F,
    ) -> Result<Posted<T>, GitHubError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let mut backoff = self.backoff();
        loop {
            match self.once(Method::POST, path, Some(body)).await {
                Ok(r) => return Ok(Posted::Answer(r)),
                Err(e) => {
                    if e.ambiguous()
                        && let Some(found) = landed().await
                    {
                        return Ok(Posted::Landed(found));
                    }
                    backoff.wait(e).await?;
                }
            }
        }
    }

    /// One attempt. `target` is a path under the API (`/repos/o/r/check-runs?x=1`) or an
    /// absolute URL on the API's origin (a `Link` header's). Failures are classified.
    pub async fn once(
        &self,
        method: Method,
        target: &str,
        body: Option<&Value>,
    ) -> Result<Response, GitHubError> {
        let uri = self.uri(target)?;
        let shown = self.shown_path(target);
        let m = method.to_string();
        let transport = |message: String| GitHubError::Transport {
            method: m.clone(),
            path: shown.clone(),
            message,
        };
        let builder = http::Request::builder().method(method.clone()).uri(uri);
        let req = self
            .octo
            .build_request(builder, body)
            .map_err(|e| transport(first_line(&e.to_string())))?;
        let started = std::time::Instant::now();
        let resp = self
            .octo
            .execute(req)
            .await
            .map_err(|e| transport(transport_message(&e)))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = self
            .octo
            .body_to_string(resp)
            .await
            .map_err(|e| transport(transport_message(&e)))?;
        tracing::debug!(
            "{m} {shown} → {status} in {} ms",
            started.elapsed().as_millis()
        );
        let body: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        let resp = Response {
            status,
            headers,
            body,
        };
        if (200..300).contains(&status) {
            return Ok(resp);
        }
        Err(classify(&m, &shown, &resp))
    }

    /// Sends with retries ([`RetryPolicy`]); for idempotent requests only (reads, updates
    /// that set a value, deletes).
    pub async fn send(
        &self,
        method: Method,
        target: &str,
        body: Option<&Value>,
    ) -> Result<Response, GitHubError> {
        let mut backoff = self.backoff();
        loop {
            match self.once(method.clone(), target, body).await {
                Ok(r) => return Ok(r),
                Err(e) => backoff.wait(e).await?,
            }
        }
    }

    /// GET with retries.
    pub async fn get(&self, target: &str) -> Result<Response, GitHubError> {
        self.send(Method::GET, target, None).await
    }

    /// PATCH with retries (setting fields is idempotent).
    pub async fn patch(&self, target: &str, body: &Value) -> Result<Response, GitHubError> {
        self.send(Method::PATCH, target, Some(body)).await
    }

    /// DELETE with retries; a 404 on a retry means an earlier attempt succeeded.
    pub async fn delete(&self, target: &str) -> Result<(), GitHubError> {
        let mut backoff = self.backoff();
        loop {
            match self.once(Method::DELETE, target, None).await {
                Ok(_) => return Ok(()),
                Err(GitHubError::NotFound { .. }) if backoff.attempts() > 0 => return Ok(()),
                Err(e) => backoff.wait(e).await?,
            }
        }
    }

    fn uri(&self, target: &str) -> Result<http::Uri, GitHubError> {
        let full = if target.starts_with("http://") || target.starts_with("https://") {
            // Only the API's own origin: the token must not travel elsewhere.
            let origin = &self.api_url[..self.api_url.len() - self.api_path.len()];
            let same_origin = target
                .strip_prefix(origin)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
            if !same_origin {
                return Err(GitHubError::Config(format!(
                    "refusing to follow {target}: not on {}",
                    self.api_url
                )));
            }
            target.to_string()
        } else {
            format!("{}{}", self.api_url, target)
        };
        full.parse()
            .map_err(|_| GitHubError::Config(format!("not a URL: {full}")))
    }

    /// The path shown in logs and errors: under the API, without the query.
    fn shown_path(&self, target: &str) -> String {
        let path = if let Some(rest) = target
            .strip_prefix("http://")
            .or_else(|| target.strip_prefix("https://"))
        {
            rest.find('/').map_or("/", |i| &rest[i..])
        } else {
            target
        };
        let path = path.split('?').next().unwrap_or(path);
        path.strip_prefix(self.api_path.as_str())
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path)
            .to_string()
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// The innermost cause of a transport error, on one line (octocrab's Display adds a
/// backtrace on some variants).
fn transport_message(e: &octocrab::Error) -> String {
    let mut msg = first_line(&e.to_string());
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        let t = first_line(&s.to_string());
        if !msg.contains(&t) {
            msg.push_str(": ");
            msg.push_str(&t);
        }
        src = s.source();
    }
    msg
}

/// GitHub's message, with the `errors` of a 422.
fn message_of(body: &Value) -> String {
    let mut m = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(errs) = body.get("errors").and_then(Value::as_array) {
        let parts: Vec<String> = errs
            .iter()
            .map(|e| match e {
                Value::String(s) => s.clone(),
                e => e
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        let f = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
                        format!("{} {} {}", f("resource"), f("field"), f("code"))
                    }),
            })
            .collect();
        if !parts.is_empty() {
            m = format!("{m}: {}", parts.join("; "));
        }
    }
    if m.is_empty()
        && let Value::String(s) = body
    {
        m = first_line(s);
    }
    m
}

fn seconds_header(r: &Response, name: &str) -> Option<u64> {
    r.header(name).and_then(|v| v.trim().parse::<u64>().ok())
}

/// Turns a failed answer into its error.
fn classify(method: &str, path: &str, r: &Response) -> GitHubError {
    let message = message_of(&r.body);
    let (method, path) = (method.to_string(), path.to_string());
    let lower = message.to_ascii_lowercase();
    match r.status {
        401 => GitHubError::Unauthorized {
            method,
            path,
            message,
        },
        403 | 429 => {
            if r.header("x-ratelimit-remaining").map(str::trim) == Some("0") {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                // The reset is a whole second; wait into it.
                let retry_in = seconds_header(r, "x-ratelimit-reset")
                    .map(|reset| Duration::from_secs(reset.saturating_sub(now) + 1));
                GitHubError::RateLimited {
                    kind: RateLimit::Primary,
                    retry_in,
                    method,
                    path,
                    message,
                }
            } else if let Some(s) = seconds_header(r, "retry-after") {
                GitHubError::RateLimited {
                    kind: RateLimit::Secondary,
                    retry_in: Some(Duration::from_secs(s)),
                    method,
                    path,
                    message,
                }
            } else if r.status == 429 || lower.contains("secondary rate limit") {
                GitHubError::RateLimited {
                    kind: RateLimit::Secondary,
                    retry_in: None,
                    method,
                    path,
                    message,
                }
            } else {
                GitHubError::NotPermitted {
                    permission: permission_for(&method, &path),
                    method,
                    path,
                    message,
                }
            }
        }
        404 => GitHubError::NotFound {
            method,
            path,
            message,
        },
        422 => GitHubError::Validation {
            method,
            path,
            message,
        },
        s if s >= 500 => GitHubError::Server {
            status: s,
            method,
            path,
        },
        status => GitHubError::Http {
            status,
            method,
            path,
            message,
        },
    }
}

/// The result of [`Client::post_once`].
#[derive(Debug)]
pub enum Posted<T> {
    /// GitHub answered the POST.
    Answer(Response),
    /// An earlier attempt had landed; this is what the look found.
    Landed(T),
}
