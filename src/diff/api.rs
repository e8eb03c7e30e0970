//! The changed lines from the GitHub API, for when the checkout has no history to diff:
//! `GET /repos/{owner}/{repo}/pulls/{n}/files`, 100 files a page.
//!
//! GitHub's two gaps are detected and said: a file's `patch` is left out when it is large
//! (its added lines are then unknown), and the list stops at 3,000 files.

use super::{ChangedFile, ChangedLines, parse};
use crate::github::{Client, GitHubError};

/// The most files GitHub lists for a pull request.
pub const MAX_FILES: usize = 3_000;

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

/// Lists the files of pull request `number` through the shared GitHub client (its
/// pagination, retries and rate-limit handling).
pub async fn pull_files(c: &Client, number: u64) -> Result<PullFiles, GitHubError> {
    let path = c.repo_path(&format!("/pulls/{number}/files"));
    let entries = c.get_all(&path, None).await?;
    let mut out = PullFiles {
        truncated: entries.len() >= MAX_FILES,
        ..PullFiles::default()
    };
    for v in entries {
        let e: Entry = serde_json::from_value(v).map_err(|e| GitHubError::Transport {
            method: "GET".into(),
            path: path.clone(),
            message: format!("unexpected answer: {e}"),
        })?;
        add(&mut out, e);
    }
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
