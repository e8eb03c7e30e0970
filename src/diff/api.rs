//! The changed lines from the GitHub API, for when the checkout has no history to diff:
//! `GET /repos/{owner}/{repo}/pulls/{n}/files`, 100 files a page.
//!
//! GitHub's two gaps are detected and said: a file's `patch` is left out when it is large
//! (its added lines are then unknown), and the list stops at 3,000 files.

use super::{ChangedFile, ChangedLines, parse};
use std::time::Duration;

/// The most files GitHub lists for a pull request.
pub const MAX_FILES: usize = 3_000;
const PER_PAGE: usize = 100;

/// Why the files could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request failed.
    #[error("GET {url}: {message}")]
    Http {
        /// The URL (no token in it).
        url: String,
        /// What happened.
        message: String,
    },
    /// An answer that is not the documented list.
    #[error("GET {url}: unexpected answer: {message}")]
    Body {
        /// The URL.
        url: String,
        /// What was wrong.
        message: String,
    },
}

/// The files of a pull request and what GitHub left out.
#[derive(Debug, Clone, Default)]
pub struct PullFiles {
    /// Added lines per file (files without a patch are listed with none).
    pub lines: ChangedLines,
    /// Files GitHub sent no patch for although lines were added (too large).
    pub without_patch: Vec<String>,
    /// True when the list reached GitHub's 3,000-file limit (later files are unknown).
    pub truncated: bool,
}

impl PullFiles {
    /// Sentences for the log about what is unknown.
    pub fn notes(&self) -> Vec<String> {
        let mut v = Vec::new();
        if !self.without_patch.is_empty() {
            let shown: Vec<&str> = self
                .without_patch
                .iter()
                .take(5)
                .map(String::as_str)
                .collect();
            v.push(format!(
                "GitHub sent no patch for {} large file(s) ({}{}): their added lines are unknown; check out the history (`fetch-depth: 0`) to measure them",
                self.without_patch.len(),
                shown.join(", "),
                if self.without_patch.len() > 5 { ", …" } else { "" }
            ));
        }
        if self.truncated {
            v.push(format!(
                "GitHub lists at most {MAX_FILES} files of a pull request: files past that are unknown; check out the history (`fetch-depth: 0`) to measure them"
            ));
        }
        v
    }
}

#[derive(serde::Deserialize)]
struct Entry {
    filename: String,
    status: String,
    #[serde(default)]
    additions: u64,
    #[serde(default)]
    patch: Option<String>,
    #[serde(default)]
    previous_filename: Option<String>,
}

/// Lists the files of pull request `number` of `repo` (`owner/name`) at `api_url`.
pub async fn pull_files(
    api_url: &str,
    repo: &str,
    number: u64,
    token: &str,
) -> Result<PullFiles, ApiError> {
    crate::install_crypto_provider();
    let client = reqwest::Client::builder()
        .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| ApiError::Http {
            url: api_url.into(),
            message: e.to_string(),
        })?;
    let mut out = PullFiles::default();
    let mut count = 0usize;
    for page in 1.. {
        let url = format!(
            "{}/repos/{repo}/pulls/{number}/files?per_page={PER_PAGE}&page={page}",
            api_url.trim_end_matches('/')
        );
        let http = |message: String| ApiError::Http {
            url: url.clone(),
            message,
        };
        let res = client
            .get(&url)
            .bearer_auth(token)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28")
            .send()
            .await
            .map_err(|e| http(e.to_string()))?;
        let status = res.status();
        if !status.is_success() {
            let body = res.text().await.unwrap_or_default();
            let msg = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("message")?.as_str().map(str::to_string))
                .unwrap_or_default();
            return Err(http(format!("HTTP {status} {msg}")));
        }
        let entries: Vec<Entry> = res.json().await.map_err(|e| ApiError::Body {
            url: url.clone(),
            message: e.to_string(),
        })?;
        let n = entries.len();
        count += n;
        for e in entries {
            add(&mut out, e);
        }
        if n < PER_PAGE || count >= MAX_FILES {
            break;
        }
    }
    out.truncated = count >= MAX_FILES;
    Ok(out)
}

fn add(out: &mut PullFiles, e: Entry) {
    let status = match e.status.as_str() {
        "added" => parse::Status::Added,
        "removed" => parse::Status::Deleted,
        "renamed" => parse::Status::Renamed(e.previous_filename.clone().unwrap_or_default()),
        "copied" => parse::Status::Copied(e.previous_filename.clone().unwrap_or_default()),
        _ => parse::Status::Modified,
    };
    let added = match &e.patch {
        Some(p) if status != parse::Status::Deleted => {
            // The patch is the hunks alone: give it file headers to read it.
            let text = format!("--- a/{0}\n+++ b/{0}\n{p}\n", e.filename);
            parse::parse(text.as_bytes())
                .ok()
                .and_then(|f| f.first().map(parse::FileDiff::added_lines))
                .unwrap_or_default()
        }
        None if e.additions > 0 && status != parse::Status::Deleted => {
            out.without_patch.push(e.filename.clone());
            Vec::new()
        }
        _ => Vec::new(),
    };
    out.lines.files.insert(
        e.filename,
        ChangedFile {
            status,
            binary: e.patch.is_none() && e.additions == 0,
            added,
        },
    );
}
