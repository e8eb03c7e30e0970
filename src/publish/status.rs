//! The optional commit status, for branch protection rules that require statuses.

use super::Options;
use crate::gate::verdict::Verdict;
use crate::github::{Client, GitHubError, Method};
use serde_json::json;

/// Sets the status of `sha` in the context named after the gate. Statuses are append-only on
/// GitHub and the latest per context wins, so a repeated request is harmless.
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
    c.send(
        Method::POST,
        &c.repo_path(&format!("/statuses/{sha}")),
        Some(&body),
    )
    .await?;
    Ok(())
}
