//! Patch coverage: of the lines a change adds, how many the tests ran.
//!
//! An added line counts when the coverage report lists it (as a line, or as the line a
//! function starts on: LCOV's `FN` records) and is then coverable; lines the
//! report does not list (blank lines, comments, declarations, files without coverage data)
//! are neither covered nor missing. This is diff-cover's rule, and the tests compare the
//! numbers with diff-cover's on its own fixtures and on repositories built in the test.

use crate::diff::{ChangedLines, ranges};
use crate::model::Coverage;
use crate::model::coverage::percent;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Patch coverage of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PatchFile {
    /// Repository-relative path (the new path of a moved file).
    pub path: String,
    /// Lines the change adds to it.
    pub added: u64,
    /// Of those, lines the coverage report lists.
    pub coverable: u64,
    /// Of those, lines run at least once.
    pub covered: u64,
    /// `covered / coverable`, percent; absent when nothing added is coverable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Added coverable lines never run, as `[first, last]` ranges of consecutive lines.
    pub uncovered: Vec<[u32; 2]>,
}

/// Patch coverage of a change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PatchCoverage {
    /// Files that the change adds lines to (with or without coverage data), path order.
    pub files: Vec<PatchFile>,
    /// Lines added in all.
    pub added: u64,
    /// Added lines the coverage report lists.
    pub coverable: u64,
    /// Added lines run at least once.
    pub covered: u64,
    /// `covered / coverable`, percent; absent when nothing added is coverable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
}

impl PatchCoverage {
    /// Uncovered added lines, in all files.
    pub fn missing(&self) -> u64 {
        self.coverable - self.covered
    }
}

/// Computes patch coverage. Binary and deleted files add no lines.
pub fn patch_coverage(cov: &Coverage, changes: &ChangedLines) -> PatchCoverage {
    let mut out = PatchCoverage::default();
    for (path, f) in &changes.files {
        if f.added.is_empty() {
            continue;
        }
        let (mut coverable, mut covered) = (0u64, 0u64);
        let mut missing: Vec<u32> = Vec::new();
        if let Some(fc) = cov.files.get(path) {
            // The report's lines, and the lines functions start on where it lists no line
            // there (LCOV's FN records: diff-cover counts them too).
            let mut listed: Vec<(u32, u64)> = fc.lines.iter().collect();
            let n = listed.len();
            for func in fc.functions.iter().filter(|x| x.line > 0) {
                if listed[..n]
                    .binary_search_by_key(&func.line, |p| p.0)
                    .is_err()
                {
                    listed.push((func.line, func.hits));
                }
            }
            listed.sort_unstable_by_key(|p| p.0);
            listed.dedup_by_key(|p| p.0);
            // Both sorted: one merge walk.
            let mut added = f.added.iter().peekable();
            for (line, hits) in listed {
                while added.next_if(|&&a| a < line).is_some() {}
                if added.next_if(|&&a| a == line).is_some() {
                    coverable += 1;
                    if hits > 0 {
                        covered += 1;
                    } else {
                        missing.push(line);
                    }
                }
                if added.peek().is_none() {
                    break;
                }
            }
        }
        out.added += f.added.len() as u64;
        out.coverable += coverable;
        out.covered += covered;
        out.files.push(PatchFile {
            path: path.clone(),
            added: f.added.len() as u64,
            coverable,
            covered,
            percent: percent(covered, coverable),
            uncovered: ranges(&missing).into_iter().map(|(a, b)| [a, b]).collect(),
        });
    }
    out.percent = percent(out.covered, out.coverable);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangedFile;
    use crate::diff::parse::Status;
    use crate::model::coverage::{FileCoverage, Function, LineHits};

    #[test]
    fn listed_lines_and_function_starts_count() {
        let mut cov = Coverage::default();
        cov.add_file(
            "a.rs".into(),
            FileCoverage {
                lines: LineHits::from_pairs(vec![(2, 1), (3, 0), (4, 0), (6, 5)]),
                functions: vec![Function {
                    name: "f".into(),
                    line: 1,
                    hits: 0,
                }],
                ..Default::default()
            },
        );
        let mut ch = ChangedLines::default();
        let file = |status, binary, added: &[u32]| ChangedFile {
            status,
            binary,
            added: added.to_vec(),
        };
        // Line 1 is a function start (not run), 5 and 7 are not listed.
        ch.files.insert(
            "a.rs".into(),
            file(Status::Modified, false, &[1, 3, 4, 5, 6, 7]),
        );
        ch.files
            .insert("img.png".into(), file(Status::Added, true, &[]));
        ch.files
            .insert("gone.rs".into(), file(Status::Deleted, false, &[]));
        ch.files
            .insert("docs.md".into(), file(Status::Added, false, &[1, 2]));
        let p = patch_coverage(&cov, &ch);
        assert_eq!((p.added, p.coverable, p.covered), (8, 4, 1));
        assert_eq!(p.percent, Some(25.0));
        assert_eq!(p.files.len(), 2);
        let a = &p.files[0];
        assert_eq!(a.path, "a.rs");
        assert_eq!(a.uncovered, vec![[1, 1], [3, 4]]);
        assert_eq!(p.files[1].path, "docs.md");
        assert_eq!(p.files[1].percent, None);
    }
}
