//! `shipgate sarif upload`: a SARIF file to code scanning (gzip, then base64), against the
//! runner's commit and ref (`refs/pull/N/merge` on pull requests, as codeql-action does), then
//! optionally polled until GitHub has processed it.

use crate::github::{Client, GitHubError, Method};
use base64::Engine as _;
use serde_json::{Value, json};
use std::io::Write as _;
use std::time::{Duration, Instant};

/// GitHub's limit on the compressed upload: 10 MiB.
pub const MAX_GZIP_BYTES: usize = 10 * 1024 * 1024;

/// Why an upload failed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The file is not usable.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// GitHub refused or failed.
    #[error(transparent)]
    GitHub(#[from] GitHubError),
    /// GitHub processed the upload and failed it.
    #[error("code scanning failed to process upload {id}: {}", errors.join("; "))]
    Failed {
        /// The upload id.
        id: String,
        /// GitHub's errors.
        errors: Vec<String>,
    },
    /// Processing did not end in time.
    #[error("code scanning had not processed upload {id} after {:.0} s (status {status})", waited.as_secs_f64())]
    Timeout {
        /// The upload id.
        id: String,
        /// The last status.
        status: String,
        /// Time waited.
        waited: Duration,
    },
}

/// The file's bytes with every run's `automationDetails.id` set to `CATEGORY/` (when given),
/// gzip-compressed and base64-encoded.
pub fn encode(path: &str, bytes: &[u8], category: Option<&str>) -> Result<String, UploadError> {
    let file_err = |message: String| UploadError::File {
        path: path.into(),
        message,
    };
    let owned;
    let data: &[u8] = match category {
        Some(cat) => {
            let mut v: Value = serde_json::from_slice(bytes).map_err(|e| {
                file_err(format!(
                    "{}:{}: expected SARIF JSON: {e}",
                    e.line(),
                    e.column()
                ))
            })?;
            let id = if cat.ends_with('/') {
                cat.to_string()
            } else {
                format!("{cat}/")
            };
            let runs = v
                .get_mut("runs")
                .and_then(Value::as_array_mut)
                .ok_or_else(|| file_err("expected a SARIF log with a `runs` array".into()))?;
            for run in runs {
                if let Some(o) = run.as_object_mut() {
                    o.insert("automationDetails".into(), json!({ "id": id }));
                }
            }
            owned = serde_json::to_vec(&v).map_err(|e| file_err(e.to_string()))?;
            &owned
        }
        None => bytes,
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).map_err(|e| file_err(e.to_string()))?;
    let compressed = gz.finish().map_err(|e| file_err(e.to_string()))?;
    if compressed.len() > MAX_GZIP_BYTES {
        return Err(file_err(format!(
            "{} bytes compressed; code scanning accepts at most {MAX_GZIP_BYTES}",
            compressed.len()
        )));
    }
    Ok(base64::engine::general_purpose::STANDARD.encode(compressed))
}

/// Uploads; returns the upload's id. Uploading the same analysis again replaces it on GitHub,
/// so the request is retried like an idempotent one.
pub async fn upload(
    c: &Client,
    sarif_b64: &str,
    sha: &str,
    git_ref: &str,
) -> Result<String, UploadError> {
    let body = json!({ "commit_sha": sha, "ref": git_ref, "sarif": sarif_b64 });
    let r = c
        .send(
            Method::POST,
            &c.repo_path("/code-scanning/sarifs"),
            Some(&body),
        )
        .await?;
    r.body
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            UploadError::GitHub(GitHubError::Transport {
                method: "POST".into(),
                path: c.repo_path("/code-scanning/sarifs"),
                message: "the answer has no upload id".into(),
            })
        })
}

/// Polls the upload with backoff until it is `complete` (Ok) or `failed` (Err with GitHub's
/// errors), for at most `max`.
pub async fn wait(c: &Client, id: &str, max: Duration) -> Result<(), UploadError> {
    let started = Instant::now();
    let path = c.repo_path(&format!("/code-scanning/sarifs/{id}"));
    let mut delay = c.policy().base_delay.max(Duration::from_millis(10));
    let mut status: String;
    loop {
        match c.get(&path).await {
            Ok(r) => {
                status = r
                    .body
                    .get("processing_status")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
                    .to_string();
                match status.as_str() {
                    "complete" => return Ok(()),
                    "failed" => {
                        let errors = r
                            .body
                            .get("errors")
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter()
                                    .map(|e| {
                                        e.as_str().map_or_else(|| e.to_string(), str::to_string)
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        return Err(UploadError::Failed {
                            id: id.into(),
                            errors,
                        });
                    }
                    _ => {}
                }
            }
            // Right after the upload GitHub may not know the id yet.
            Err(GitHubError::NotFound { .. }) => status = "not found yet".into(),
            Err(e) => return Err(e.into()),
        }
        if started.elapsed() + delay > max {
            return Err(UploadError::Timeout {
                id: id.into(),
                status,
                waited: started.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}
