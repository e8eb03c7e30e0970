//! The check run: created `in_progress`, then completed with the verdict. Annotations go 50
//! per request (GitHub's limit), most important first, up to a cap; the last request also
//! completes the run. Creation and annotation requests are not idempotent on GitHub (a
//! repeated POST makes a second run, a repeated PATCH appends the annotations again), so after
//! an attempt whose result is unknown (5xx, timeout) the run is looked up before retrying.

use super::{Input, Options};
use crate::gate::score::{num, round2};
use crate::gate::verdict::Verdict;
use crate::github::{Client, GitHubError, Method, Posted};
use serde_json::{Value, json};

/// Annotations per request: GitHub's limit.
pub const BATCH: usize = 50;
/// The most characters GitHub keeps in `output.summary`.
pub const SUMMARY_MAX: usize = 65_535;

/// A unique id for this attempt's check run (its `external_id`).
fn external_id(gate: &str) -> String {
    let run = std::env::var("GITHUB_RUN_ID").unwrap_or_default();
    let attempt = std::env::var("GITHUB_RUN_ATTEMPT").unwrap_or_default();
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "shipgate:{gate}:{run}:{attempt}:{}:{nonce}",
        std::process::id()
    )
}

/// Creates the check run `in_progress` on `sha`; returns its id.
pub async fn start(
    c: &Client,
    sha: &str,
    gate: &str,
    details_url: Option<&str>,
) -> Result<u64, GitHubError> {
    let ext = external_id(gate);
    let mut body = json!({
        "name": gate,
        "head_sha": sha,
        "status": "in_progress",
        "external_id": ext,
        "output": {"title": "Quality gate running", "summary": "The quality gate is running."},
    });
    if let Some(u) = details_url {
        body["details_url"] = json!(u);
    }
    let path = c.repo_path("/check-runs");
    let landed = || async { find(c, sha, gate, &ext).await.ok().flatten() };
    match c.post_once(&path, &body, landed).await? {
        Posted::Answer(r) => id_of(&r.body, &path),
        Posted::Landed(id) => Ok(id),
    }
}

fn id_of(v: &Value, path: &str) -> Result<u64, GitHubError> {
    v.get("id")
        .and_then(Value::as_u64)
        .ok_or_else(|| GitHubError::Transport {
            method: "POST".into(),
            path: path.into(),
            message: "the answer has no id".into(),
        })
}

/// The check run of this attempt, found by name and `external_id`.
async fn find(c: &Client, sha: &str, gate: &str, ext: &str) -> Result<Option<u64>, GitHubError> {
    let runs = c
        .get_all(
            &c.repo_path(&format!(
                "/commits/{sha}/check-runs?check_name={}&filter=all",
                encode(gate)
            )),
            Some("check_runs"),
        )
        .await?;
    Ok(runs
        .iter()
        .find(|r| r.get("external_id").and_then(Value::as_str) == Some(ext))
        .and_then(|r| r.get("id").and_then(Value::as_u64)))
}

/// Percent-encodes a query value.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `success`, `failure`, or `neutral` when nothing was measured.
pub fn conclusion(v: &Verdict) -> &'static str {
    if !v.passed {
        "failure"
    } else if v.score.is_none() {
        "neutral"
    } else {
        "success"
    }
}

/// The run's title: verdict and score.
pub fn title(v: &Verdict) -> String {
    let score = v.score.map_or_else(
        || "not measured".into(),
        |s| format!("{} / 100", num(round2(s))),
    );
    let failed = v.failed_rules().count();
    if v.passed {
        format!("Passed: score {score} ({})", v.environment.name)
    } else {
        format!(
            "Failed: score {score} ({}), {failed} rule(s) failed",
            v.environment.name
        )
    }
}

/// The summary: the Markdown report within 65,535 characters; when cut, a last line says
/// where the full report is.
pub fn summary(v: &Verdict, details_url: Option<&str>) -> String {
    let full = crate::render::markdown::render(v, usize::MAX);
    if full.chars().count() <= SUMMARY_MAX {
        return full;
    }
    let where_ = match details_url {
        Some(u) => format!("the job summary of [the workflow run]({u}) and its report.json"),
        None => "the job summary of the workflow run and its report.json".into(),
    };
    let line = format!("\n\n---\nThis summary is shortened; the full report is in {where_}.\n");
    // The renderer's budget is in bytes, which bounds the characters too.
    let mut body = crate::render::markdown::render(v, SUMMARY_MAX - line.len());
    body.push_str(&line);
    body
}

/// Completes the run: annotations 50 a request (at most `opts.max_annotations`), the last
/// request with status, conclusion and output. Returns the annotations sent.
pub async fn finish(
    c: &Client,
    id: u64,
    input: &Input,
    opts: &Options,
) -> Result<usize, GitHubError> {
    let v = &input.verdict;
    let title = title(v);
    let summary = summary(v, opts.details_url.as_deref());
    let total = input.annotations.len();
    let sent: Vec<Value> = input
        .annotations
        .iter()
        .take(opts.max_annotations)
        .map(|a| a.to_json())
        .collect();
    let mut text = String::new();
    if total > sent.len() {
        text = format!(
            "{} of {total} annotations are shown (the most important first); the rest are in report.json.",
            sent.len()
        );
    }
    let batches: Vec<&[Value]> = if sent.is_empty() {
        vec![&[]]
    } else {
        sent.chunks(BATCH).collect()
    };
    let path = c.repo_path(&format!("/check-runs/{id}"));
    let mut done = 0usize;
    let last = batches.len() - 1;
    for (i, batch) in batches.into_iter().enumerate() {
        // GitHub wants a title and summary with every output; the last request sets the real
        // ones, the batches before it a short progress line (not 65 KB each time).
        let mut output = if i == last {
            json!({"title": title, "summary": summary})
        } else {
            json!({
                "title": "Quality gate: adding annotations",
                "summary": format!("Adding annotations: {} of {}.", done + batch.len(), sent.len()),
            })
        };
        if i == last {
            // The digest goes last, after the note, within GitHub's 65,535 characters.
            let full = super::baseline::text(&text, input.baseline.as_deref());
            if !full.is_empty() {
                output["text"] = json!(full);
            }
        }
        if !batch.is_empty() {
            output["annotations"] = Value::Array(batch.to_vec());
        }
        let mut body = json!({"output": output});
        if i == last {
            body["status"] = json!("completed");
            body["conclusion"] = json!(conclusion(v));
        }
        let expected = done + batch.len();
        let mut backoff = c.backoff();
        loop {
            match c.once(Method::PATCH, &path, Some(&body)).await {
                Ok(_) => break,
                Err(e) => {
                    // Did the attempt land? Then its annotations must not be sent twice.
                    if e.ambiguous()
                        && let Ok(r) = c.get(&path).await
                    {
                        let count = r
                            .body
                            .pointer("/output/annotations_count")
                            .and_then(Value::as_u64)
                            .unwrap_or(0) as usize;
                        let completed =
                            r.body.get("status").and_then(Value::as_str) == Some("completed");
                        if count >= expected && (i != last || completed) {
                            break;
                        }
                    }
                    backoff.wait(e).await?;
                }
            }
        }
        done = expected;
    }
    Ok(done)
}
