//! The git CLI: the merge base of a base commit and HEAD, fetching history a shallow clone
//! lacks, and the diff between them.
//!
//! Why the merge base: a pull request is judged on what it adds, which is the diff from
//! the point its branch left the base, not from the base branch's tip (that would count the
//! base's own later commits as the PR's, negated) nor from some older commit.
//!
//! Shallow clones (actions/checkout fetches one commit by default): when the base commit or
//! the merge base is missing, the base is fetched and both sides are deepened in steps
//! (`git fetch --deepen`), up to a full `--unshallow`; when fetching is impossible the error
//! says which `fetch-depth` is needed.

use super::ChangedLines;
use std::path::Path;
use std::process::Command;

/// Why the changed lines could not be found.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git could not be run.
    #[error("cannot run git: {0}")]
    Spawn(String),
    /// A git command failed.
    #[error("`git {args}` failed: {message}")]
    Failed {
        /// The arguments.
        args: String,
        /// Its stderr (first line).
        message: String,
    },
    /// The base commit is neither in the clone nor fetchable.
    #[error(
        "the base commit {base} is not in the clone at {repo} and could not be fetched ({why}); {advice}"
    )]
    MissingBase {
        /// The base sha.
        base: String,
        /// The repository.
        repo: String,
        /// What went wrong.
        why: String,
        /// What to change.
        advice: String,
    },
    /// No merge base after fetching what could be fetched.
    #[error("no merge base of {base} and HEAD in {repo} ({why}); {advice}")]
    NoMergeBase {
        /// The base sha.
        base: String,
        /// The repository.
        repo: String,
        /// What went wrong.
        why: String,
        /// What to change.
        advice: String,
    },
    /// git printed a diff this parser does not read.
    #[error("cannot read git's diff: {0}")]
    Parse(#[from] super::parse::ParseError),
}

/// How the merge base was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The base commit asked for, resolved to a sha.
    pub base: String,
    /// HEAD's sha.
    pub head: String,
    /// The merge base of the two.
    pub merge_base: String,
    /// The lines HEAD adds since the merge base.
    pub lines: ChangedLines,
    /// What was done to find it (fetches on a shallow clone), for the log.
    pub notes: Vec<String>,
}

/// Extra knowledge for a better message when a shallow clone cannot be deepened.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// `pull_request.commits` of the event payload.
    pub pr_commits: Option<u64>,
}

/// Depths of the `--deepen` steps before a full `--unshallow`.
const DEEPEN_STEPS: &[u32] = &[10, 100, 1000];

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| GitError::Spawn(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let message = err
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no message")
            .to_string();
        Err(GitError::Failed {
            args: args.join(" "),
            message: format!(
                "{message} (exit {})",
                out.status.code().map_or("signal".into(), |c| c.to_string())
            ),
        })
    }
}

fn text(b: Vec<u8>) -> String {
    String::from_utf8_lossy(&b).trim().to_string()
}

fn has_commit(repo: &Path, rev: &str) -> bool {
    git(repo, &["cat-file", "-e", &format!("{rev}^{{commit}}")]).is_ok()
}

fn is_shallow(repo: &Path) -> bool {
    git(repo, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|o| text(o) == "true")
}

fn merge_base(repo: &Path, a: &str, b: &str) -> Option<String> {
    git(repo, &["merge-base", a, b])
        .ok()
        .map(text)
        .filter(|s| !s.is_empty())
}

/// The remote to fetch from: `origin`, else the first one.
fn remote(repo: &Path) -> Option<String> {
    let list = text(git(repo, &["remote"]).ok()?);
    let names: Vec<&str> = list.lines().collect();
    if names.contains(&"origin") {
        Some("origin".into())
    } else {
        names.first().map(|s| s.to_string())
    }
}

fn advice(h: &Hints) -> String {
    match h.pr_commits {
        Some(n) => format!(
            "set `fetch-depth: 0` on actions/checkout, or at least `fetch-depth: {}` when checking out the pull request's head (its {n} commit(s) and the merge base), `fetch-depth: 2` for its merge commit",
            n + 1
        ),
        None => "set `fetch-depth: 0` on actions/checkout (or a depth that reaches the merge base of the base commit and HEAD)".into(),
    }
}

/// The lines HEAD adds since its merge base with `base` (a sha or any revision), in the
/// repository at `repo`; a shallow clone is deepened as needed.
pub fn changes(repo: &Path, base: &str, hints: &Hints) -> Result<Changes, GitError> {
    let mut notes = Vec::new();
    let head = text(git(repo, &["rev-parse", "--verify", "HEAD^{commit}"])?);
    let repo_shown = repo.display().to_string();
    let remote = remote(repo);

    if !has_commit(repo, base) {
        let Some(r) = &remote else {
            return Err(GitError::MissingBase {
                base: base.into(),
                repo: repo_shown,
                why: "the repository has no remote".into(),
                advice: advice(hints),
            });
        };
        let depth = format!("--depth={}", DEEPEN_STEPS[0]);
        let fetched = git(repo, &["fetch", "--no-tags", "--quiet", &depth, r, base]);
        if let Err(e) = fetched {
            return Err(GitError::MissingBase {
                base: base.into(),
                repo: repo_shown,
                why: e.to_string(),
                advice: advice(hints),
            });
        }
        notes.push(format!("fetched the base commit {base} from {r} ({depth})"));
    }
    let base_sha = text(git(
        repo,
        &["rev-parse", "--verify", &format!("{base}^{{commit}}")],
    )?);

    let mut mb = merge_base(repo, &base_sha, &head);
    if mb.is_none() && is_shallow(repo) {
        let Some(r) = &remote else {
            return Err(GitError::NoMergeBase {
                base: base_sha,
                repo: repo_shown,
                why: "the clone is shallow and has no remote to fetch more history from".into(),
                advice: advice(hints),
            });
        };
        let mut last_err = String::new();
        for step in DEEPEN_STEPS.iter().map(Some).chain([None]) {
            let arg = step.map_or_else(|| "--unshallow".to_string(), |n| format!("--deepen={n}"));
            match git(
                repo,
                &["fetch", "--no-tags", "--quiet", &arg, r, &head, &base_sha],
            ) {
                Ok(_) => notes.push(format!("shallow clone: fetched more history ({arg})")),
                Err(e) => {
                    last_err = e.to_string();
                    break;
                }
            }
            mb = merge_base(repo, &base_sha, &head);
            if mb.is_some() || !is_shallow(repo) {
                break;
            }
        }
        if mb.is_none() {
            return Err(GitError::NoMergeBase {
                base: base_sha,
                repo: repo_shown,
                why: if last_err.is_empty() {
                    "not found after fetching the whole history: the histories are unrelated".into()
                } else {
                    format!("the clone is shallow and fetching more failed: {last_err}")
                },
                advice: advice(hints),
            });
        }
        if let Some(m) = &mb
            // Along first parents: a pull request's merge commit reaches its base in one step.
            && let Ok(n) = git(
                repo,
                &["rev-list", "--first-parent", "--count", &format!("{m}..{head}")],
            )
        {
            let n: u64 = text(n).parse().unwrap_or(0);
            notes.push(format!(
                "the merge base is {n} commit(s) below HEAD: `fetch-depth: {}` would have reached it",
                n + 1
            ));
        }
    }
    let Some(merge_base) = mb else {
        return Err(GitError::NoMergeBase {
            base: base_sha,
            repo: repo_shown,
            why: "the histories are unrelated".into(),
            advice: "compare against a base commit that shares history with HEAD".into(),
        });
    };
    let raw = git(
        repo,
        &[
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
            "--relative",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            &merge_base,
            &head,
            "--",
        ],
    )?;
    let lines = ChangedLines::parse(&raw)?;
    Ok(Changes {
        base: base_sha,
        head,
        merge_base,
        lines,
        notes,
    })
}

/// `pull_request.number` of an event payload.
pub fn pull_request_number(payload: &[u8]) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    v.get("pull_request")?.get("number")?.as_u64()
}

/// `pull_request.base.sha` and `pull_request.commits` of an event payload.
pub fn pull_request_base(payload: &[u8]) -> Option<(String, Option<u64>)> {
    #[derive(serde::Deserialize)]
    struct Payload {
        pull_request: Option<Pr>,
    }
    #[derive(serde::Deserialize)]
    struct Pr {
        base: Option<Base>,
        commits: Option<u64>,
    }
    #[derive(serde::Deserialize)]
    struct Base {
        sha: Option<String>,
    }
    let p: Payload = serde_json::from_slice(payload).ok()?;
    let pr = p.pull_request?;
    let sha = pr.base?.sha.filter(|s| !s.is_empty())?;
    Some((sha, pr.commits))
}

/// `before` of a push event's payload: the branch's previous tip, unless the push created the
/// branch (all zeros).
pub fn push_before(payload: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let b = v.get("before")?.as_str()?;
    (b.len() >= 7 && b.bytes().all(|c| c.is_ascii_hexdigit()) && b.bytes().any(|c| c != b'0'))
        .then(|| b.to_string())
}

/// Whether a push event's payload says the push was forced (`forced: true`): its `before`
/// may then be gone from the remote.
pub fn push_forced(payload: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v.get("forced")?.as_bool())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_before_skips_new_branches() {
        let sha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
        assert_eq!(
            super::push_before(format!(r#"{{"before":"{sha}"}}"#).as_bytes()),
            Some(sha.to_string())
        );
        let zeros = "0".repeat(40);
        assert_eq!(
            super::push_before(format!(r#"{{"before":"{zeros}"}}"#).as_bytes()),
            None
        );
        assert_eq!(super::push_before(b"{}"), None);
    }
}
