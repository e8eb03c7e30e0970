//! One sticky pull-request comment per gate, found by a hidden marker
//! (`<!-- shipgate:<gate> -->`) and updated in place. Never duplicated: after creating one,
//! the comments are listed again and every marked comment but the oldest is deleted (two jobs
//! that raced both converge on the oldest), and a create whose result is unknown (5xx,
//! timeout) is looked for before it is retried.

use super::{CommentMode, Options};
use crate::gate::verdict::Verdict;
use crate::github::{Client, GitHubError};
use serde_json::{Value, json};

/// The most characters GitHub keeps in a comment body.
pub const BODY_MAX: usize = 65_536;

/// What was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A comment was created (its id; the one kept after de-duplication).
    Created(u64),
    /// The comment was updated.
    Updated(u64),
    /// The comment already said this.
    Unchanged(u64),
    /// The gate passed and the comments were deleted (how many).
    Deleted(usize),
    /// Nothing to do in this mode.
    Skipped,
}

/// The hidden marker of a gate's comment.
pub fn marker(gate: &str) -> String {
    format!("<!-- shipgate:{gate} -->")
}

/// The comment's text: the marker, then the Markdown report within 65,536 characters.
pub fn body(v: &Verdict, gate: &str) -> String {
    let head = format!("{}\n", marker(gate));
    let full = crate::render::markdown::render(v, usize::MAX);
    if head.chars().count() + full.chars().count() <= BODY_MAX {
        return format!("{head}{full}");
    }
    let tail = "\n\n---\nThis comment is shortened; the full report is in the workflow run's job summary and its report.json.\n";
    let md = crate::render::markdown::render(v, BODY_MAX - head.len() - tail.len());
    format!("{head}{md}{tail}")
}

/// The gate's comments on `pr`, oldest first: (id, body).
async fn ours(c: &Client, pr: u64, mark: &str) -> Result<Vec<(u64, String)>, GitHubError> {
    let all = c
        .get_all(&c.repo_path(&format!("/issues/{pr}/comments")), None)
        .await?;
    let mut v: Vec<(u64, String)> = all
        .iter()
        .filter_map(|x| {
            let body = x.get("body").and_then(Value::as_str)?;
            let id = x.get("id").and_then(Value::as_u64)?;
            body.starts_with(mark).then(|| (id, body.to_string()))
        })
        .collect();
    v.sort_by_key(|(id, _)| *id);
    Ok(v)
}

/// Writes, updates or deletes the gate's comment on `pr` as the mode says.
pub async fn publish(
    c: &Client,
    pr: u64,
    v: &Verdict,
    opts: &Options,
) -> Result<Action, GitHubError> {
    if opts.comment == CommentMode::Off {
        return Ok(Action::Skipped);
    }
    let mark = marker(&opts.gate);
    let text = body(v, &opts.gate);
    let existing = ours(c, pr, &mark).await?;
    if v.passed && opts.delete_on_pass {
        for (id, _) in &existing {
            remove(c, *id).await?;
        }
        return Ok(Action::Deleted(existing.len()));
    }
    if let Some((keep, old)) = existing.first() {
        for (id, _) in &existing[1..] {
            remove(c, *id).await?;
        }
        if opts.comment == CommentMode::OnChange && *old == text {
            return Ok(Action::Unchanged(*keep));
        }
        update(c, *keep, &text).await?;
        return Ok(Action::Updated(*keep));
    }
    if opts.comment == CommentMode::OnFailure && v.passed {
        return Ok(Action::Skipped);
    }
    // Create; after an attempt of unknown result, look before trying again.
    let path = c.repo_path(&format!("/issues/{pr}/comments"));
    let payload = json!({ "body": text });
    let landed = || async {
        ours(c, pr, &mark)
            .await
            .ok()
            .filter(|found| !found.is_empty())
    };
    c.post_once(&path, &payload, landed).await?;
    // Another job may have created one at the same time: keep the oldest only.
    let now = ours(c, pr, &mark).await?;
    let Some((keep, kept_body)) = now.first() else {
        return Err(GitHubError::Transport {
            method: "POST".into(),
            path,
            message: "the comment created is not listed".into(),
        });
    };
    for (id, _) in &now[1..] {
        remove(c, *id).await?;
    }
    if *kept_body != text {
        update(c, *keep, &text).await?;
    }
    Ok(Action::Created(*keep))
}

/// Deletes a comment; one already gone (another job removed it) is fine.
async fn remove(c: &Client, id: u64) -> Result<(), GitHubError> {
    match c
        .delete(&c.repo_path(&format!("/issues/comments/{id}")))
        .await
    {
        Ok(()) | Err(GitHubError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

async fn update(c: &Client, id: u64, text: &str) -> Result<(), GitHubError> {
    c.patch(
        &c.repo_path(&format!("/issues/comments/{id}")),
        &json!({ "body": text }),
    )
    .await?;
    Ok(())
}
