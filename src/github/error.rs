//! Typed GitHub errors.

use std::time::Duration;

/// Which rate limit GitHub applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// The hourly request budget (`x-ratelimit-remaining: 0`).
    Primary,
    /// Abuse protection (`retry-after`, or the "secondary rate limit" message).
    Secondary,
}

/// Why a GitHub request failed.
#[derive(Debug, thiserror::Error)]
pub enum GitHubError {
    /// Settings are missing or unusable (no repository, a bad API URL).
    #[error("GitHub settings: {0}")]
    Config(String),
    /// 401: no token, or a token GitHub does not accept.
    #[error("{method} {path}: unauthorized: {message}")]
    Unauthorized {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
    },
    /// 403 that is not a rate limit: the token lacks a permission.
    #[error("{method} {path}: the token lacks `{permission}` ({message})")]
    NotPermitted {
        /// The permission the request needs, as written in a workflow's `permissions:`
        /// (`checks: write`).
        permission: String,
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
    },
    /// 404.
    #[error("{method} {path}: not found ({message})")]
    NotFound {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
    },
    /// 422: GitHub refused the content.
    #[error("{method} {path}: validation failed: {message}")]
    Validation {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message and its `errors`.
        message: String,
    },
    /// 403/429 rate limit; `retry_in` is how long GitHub asked to wait, when it said.
    #[error("{method} {path}: {kind:?} rate limit ({message})")]
    RateLimited {
        /// Which limit.
        kind: RateLimit,
        /// How long to wait, when known.
        retry_in: Option<Duration>,
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
    },
    /// 5xx.
    #[error("{method} {path}: GitHub answered {status}")]
    Server {
        /// The status.
        status: u16,
        /// The method.
        method: String,
        /// The path.
        path: String,
    },
    /// Another 4xx.
    #[error("{method} {path}: GitHub answered {status}: {message}")]
    Http {
        /// The status.
        status: u16,
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// GitHub's message.
        message: String,
    },
    /// No answer: connection, TLS, timeout, unreadable body.
    #[error("{method} {path}: {message}")]
    Transport {
        /// The method.
        method: String,
        /// The path.
        path: String,
        /// What failed.
        message: String,
    },
    /// Retries were given up: the last error, and how long was spent.
    #[error("{last} (gave up after {attempts} attempt(s) in {:.1} s)", spent.as_secs_f64())]
    GaveUp {
        /// The last error.
        last: Box<GitHubError>,
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        spent: Duration,
    },
}

impl GitHubError {
    /// The error itself, seen through [`GitHubError::GaveUp`].
    pub fn root(&self) -> &GitHubError {
        match self {
            GitHubError::GaveUp { last, .. } => last.root(),
            e => e,
        }
    }

    /// The permission missing, when the token lacks one.
    pub fn missing_permission(&self) -> Option<&str> {
        match self.root() {
            GitHubError::NotPermitted { permission, .. } => Some(permission),
            _ => None,
        }
    }

    /// Worth another attempt: rate limits, 5xx and transport errors.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            GitHubError::RateLimited { .. }
                | GitHubError::Server { .. }
                | GitHubError::Transport { .. }
        )
    }

    /// The request may have been carried out although no success came back (5xx, timeout):
    /// a write that is not idempotent must check before it is repeated.
    pub fn ambiguous(&self) -> bool {
        matches!(
            self,
            GitHubError::Server { .. } | GitHubError::Transport { .. }
        )
    }
}

/// The permission a request needs, named as a workflow's `permissions:` key and level, from
/// its method and path (`/repos/o/r/check-runs` with POST → `checks: write`).
pub fn permission_for(method: &str, path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let write = !method.eq_ignore_ascii_case("GET") && !method.eq_ignore_ascii_case("HEAD");
    let scope = if path.contains("/check-runs") || path.contains("/check-suites") {
        "checks"
    } else if path.contains("/code-scanning/") {
        "security-events"
    } else if path.contains("/statuses/") || path.ends_with("/status") {
        "statuses"
    } else if path.contains("/issues/") || path.contains("/pulls") {
        // Comments on pull requests need pull-requests (or issues) write.
        "pull-requests"
    } else if path.contains("/deployments") || path.contains("/environments") {
        "deployments"
    } else if path.contains("/actions/") {
        "actions"
    } else {
        "contents"
    };
    format!("{scope}: {}", if write { "write" } else { "read" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions() {
        assert_eq!(
            permission_for("POST", "/repos/o/r/check-runs"),
            "checks: write"
        );
        assert_eq!(
            permission_for("PATCH", "/repos/o/r/issues/comments/3"),
            "pull-requests: write"
        );
        assert_eq!(
            permission_for("POST", "/repos/o/r/code-scanning/sarifs"),
            "security-events: write"
        );
        assert_eq!(
            permission_for("POST", "/repos/o/r/statuses/abc"),
            "statuses: write"
        );
        assert_eq!(
            permission_for("GET", "/repos/o/r/pulls/1/files?per_page=100"),
            "pull-requests: read"
        );
    }
}
