//! `shipgate release`: the GitHub release of a `v*` tag, its body the CHANGELOG section of the
//! version, marked prerelease for prerelease versions; re-running changes nothing.

use super::lifecycle::percent;
use crate::github::{Client, GitHubError, Method};
use serde::Serialize;
use serde_json::json;

/// The release wanted.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The tag.
    pub tag: String,
    /// The title.
    pub name: String,
    /// The body (Markdown).
    pub body: String,
    /// Prerelease.
    pub prerelease: bool,
    /// The commit the tag is created at when it does not exist yet.
    pub target: Option<String>,
}

/// What was done.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outcome {
    /// `created`, `updated` or `unchanged`.
    pub action: String,
    /// The release id.
    pub id: u64,
    /// Its page.
    pub html_url: String,
}

/// Creates the release, or updates it when it differs, or leaves it.
pub async fn ensure(c: &Client, w: &Wanted) -> Result<Outcome, GitHubError> {
    let by_tag = c.repo_path(&format!("/releases/tags/{}", percent(&w.tag)));
    let existing = match c.get(&by_tag).await {
        Ok(r) => Some(r.body),
        Err(e) if matches!(e.root(), GitHubError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    let outcome = |action: &str, v: &serde_json::Value| Outcome {
        action: action.into(),
        id: v["id"].as_u64().unwrap_or(0),
        html_url: v["html_url"].as_str().unwrap_or_default().to_string(),
    };
    match existing {
        Some(v) => {
            let same = v["name"].as_str() == Some(w.name.as_str())
                && v["body"].as_str().unwrap_or("").trim() == w.body.trim()
                && v["prerelease"].as_bool() == Some(w.prerelease);
            if same {
                return Ok(outcome("unchanged", &v));
            }
            let id = v["id"].as_u64().unwrap_or(0);
            let body = json!({"name": w.name, "body": w.body, "prerelease": w.prerelease});
            let r = c
                .patch(&c.repo_path(&format!("/releases/{id}")), &body)
                .await?;
            Ok(outcome("updated", &r.body))
        }
        None => {
            let mut body = json!({
                "tag_name": w.tag,
                "name": w.name,
                "body": w.body,
                "prerelease": w.prerelease,
                "draft": false,
            });
            if let Some(t) = &w.target {
                body["target_commitish"] = json!(t);
            }
            // Not idempotent by itself: an ambiguous failure is resolved by looking the tag up.
            let path = c.repo_path("/releases");
            let mut backoff = c.backoff();
            loop {
                match c.once(Method::POST, &path, Some(&body)).await {
                    Ok(r) => return Ok(outcome("created", &r.body)),
                    Err(e) => {
                        if e.ambiguous()
                            && let Ok(r) = c.get(&by_tag).await
                        {
                            return Ok(outcome("created", &r.body));
                        }
                        backoff.wait(e).await?;
                    }
                }
            }
        }
    }
}
