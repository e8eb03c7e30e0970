//! What a change adds: the lines of each file a pull request (or any commit range) adds,
//! read from git.
//!
//! ```text
//! base sha (event payload / --base) ──git::changes──▶ merge base (deepening a shallow clone)
//!   ──git diff --unified=0 -M <merge-base> HEAD──▶ parse::parse ──▶ ChangedLines
//! ```
//!
//! [`git`] runs the git CLI (no libgit2); [`parse`] reads unified diffs of any origin;
//! [`api`] asks GitHub for a pull request's files when there is no history to diff.

pub mod api;
pub mod git;
pub mod parse;

use parse::{FileDiff, Status};
use std::collections::BTreeMap;

/// One changed file, by its new path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// What happened to it.
    pub status: Status,
    /// `Binary files ... differ`: no line numbers are known.
    pub binary: bool,
    /// New-file numbers of the added lines, ascending.
    pub added: Vec<u32>,
}

/// The files a change touches, keyed by their new repository-relative path (deleted files
/// by their old path), each with its added lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
    /// Per file.
    pub files: BTreeMap<String, ChangedFile>,
}

impl ChangedLines {
    /// From parsed file diffs.
    pub fn from_diffs(diffs: &[FileDiff]) -> ChangedLines {
        let mut files: BTreeMap<String, ChangedFile> = BTreeMap::new();
        for d in diffs {
            let status = d.status();
            let Some(path) = d.new_path().or_else(|| d.old_path()) else {
                continue;
            };
            let added = if status == Status::Deleted {
                Vec::new()
            } else {
                d.added_lines()
            };
            // The same file twice (diffs concatenated): lines are joined.
            match files.get_mut(&path) {
                Some(f) => {
                    f.added.extend(added);
                    f.added.sort_unstable();
                    f.added.dedup();
                }
                None => {
                    files.insert(
                        path,
                        ChangedFile {
                            status,
                            binary: d.is_binary(),
                            added,
                        },
                    );
                }
            }
        }
        ChangedLines { files }
    }

    /// Parses diff text.
    pub fn parse(text: &[u8]) -> Result<ChangedLines, parse::ParseError> {
        Ok(ChangedLines::from_diffs(&parse::parse(text)?))
    }

    /// The files under `dir` (a repository-relative folder, `sub/`), with paths relative to
    /// it: what `git diff --relative` gives when run from that folder.
    pub fn relative_to(&self, dir: &str) -> ChangedLines {
        let dir = dir.trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            return self.clone();
        }
        let prefix = format!("{dir}/");
        ChangedLines {
            files: self
                .files
                .iter()
                .filter_map(|(p, f)| Some((p.strip_prefix(&prefix)?.to_string(), f.clone())))
                .collect(),
        }
    }

    /// Whether `line` of `path` was added.
    pub fn is_added(&self, path: &str, line: u32) -> bool {
        self.files
            .get(path)
            .is_some_and(|f| f.added.binary_search(&line).is_ok())
    }

    /// Added lines in all files.
    pub fn added_count(&self) -> usize {
        self.files.values().map(|f| f.added.len()).sum()
    }
}

/// Consecutive numbers as `(first, last)` ranges.
pub fn ranges(lines: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &l in lines {
        match out.last_mut() {
            Some((_, end)) if l == *end + 1 => *end = l,
            _ => out.push((l, l)),
        }
    }
    out
}
