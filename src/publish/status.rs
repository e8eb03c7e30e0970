//! The optional commit status, for branch protection rules that require statuses.
//!
//! GitHub appends every status POST (up to 1,000 per sha and context) and shows the latest per
//! context, so a POST repeated after its first attempt landed adds a duplicate. After an
//! attempt whose result is unknown (5xx, timeout) the commit's combined status is read first:
//! when the latest status of the gate's context already says what this one says, it is not
//! sent again.

use super::Options;
use crate::gate::verdict::Verdict;
use crate::github::{Client, GitHubError};
use serde_json::{Value, json};

/// Sets the status of `sha` in the context named after the gate.
pub async fn set(c: &Client, sha: &str, v: &Verdict, opts: &Options) -> Result<(), GitHubError> {
    let mut desc = super::checks::title(v);
    if desc.chars().count() > 140 {
        desc = desc.chars().take(139).collect::<String>() + "…";
    }
    let mut body = json!({
        "state": if v.passed { "success" } else { "failure" },
        "context": opts.gate,
        "description": desc,
    });
    if let Some(u) = &opts.details_url {
        body["target_url"] = json!(u);
    }
    let path = c.repo_path(&format!("/statuses/{sha}"));
    // Did an attempt land? Then it must not be appended twice.
    let landed = || async { matches!(latest_is(c, sha, &body).await, Ok(true)).then_some(()) };
    c.post_once(&path, &body, landed).await?;
    Ok(())
}

/// Whether the latest status of `want`'s context on `sha` has its state, description and
/// target URL (GitHub compares contexts without case).
async fn latest_is(c: &Client, sha: &str, want: &Value) -> Result<bool, GitHubError> {
    let context = want["context"].as_str().unwrap_or_default();
    let statuses = c
        .get_all(
            &c.repo_path(&format!("/commits/{sha}/status")),
            Some("statuses"),
        )
        .await?;
    let field = |s: &Value, k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(statuses
        .iter()
        .find(|s| {
            s.get("context")
                .and_then(Value::as_str)
                .is_some_and(|x| x.eq_ignore_ascii_case(context))
        })
        .is_some_and(|s| {
            ["state", "description", "target_url"]
                .iter()
                .all(|k| field(s, k) == field(want, k))
        }))
}
