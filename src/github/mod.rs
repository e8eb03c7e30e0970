//! The GitHub REST API, through octocrab's raw requests (status and headers are needed for
//! GitHub's rate limits and pagination), with one retry policy for every caller.
//!
//! - [`Client`]: token, API base (`GITHUB_API_URL`, GitHub Enterprise Server's `/api/v3`
//!   included), repository, timeouts; proxies come from `HTTPS_PROXY`/`NO_PROXY` (reqwest's
//!   system proxy). The token is sent only to the API's own origin and never logged.
//! - [`GitHubError`]: what went wrong, typed (a missing permission is named: `checks: write`).
//! - [`RetryPolicy`] and [`Backoff`]: secondary rate limit → wait `retry-after`; primary → wait
//!   until `x-ratelimit-reset`; 5xx and transport errors → exponential backoff with jitter;
//!   bounded total time. [`Client::send`] retries by itself and is for idempotent requests;
//!   writes that are not idempotent (creating a check run, appending annotations, creating a
//!   comment) use [`Client::once`] with a [`Backoff`] and check what the failed attempt left
//!   before trying again.
//! - Pagination follows `Link: rel="next"` with `per_page=100` ([`Client::get_all`]).

mod client;
mod error;
mod paginate;
mod retry;

pub use client::{Client, Posted, Response, Settings};
pub use error::{GitHubError, RateLimit, permission_for};
pub use paginate::next_link;
pub use retry::{Backoff, RetryPolicy};

/// HTTP methods, re-exported for callers.
pub use http::Method;
