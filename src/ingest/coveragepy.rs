//! coverage.py JSON (`coverage json`, format 2 and 3).
//!
//! Counting rules, chosen so the totals equal the `totals` block coverage.py writes itself:
//! - Coverable lines are `executed_lines` ∪ `missing_lines` (coverage.py's `num_statements`);
//!   executed lines get 1 hit (the report has no counts), missing ones 0. `excluded_lines`
//!   (`# pragma: no cover`) are not coverable.
//! - Branches are the arcs `[from, to]` of `executed_branches` and `missing_branches` (a
//!   negative `to` is an exit from the code object), grouped by their `from` line: each arc is
//!   one branch, covered when executed (`num_branches`, `covered_branches`).
//! - Functions come from the `functions` map of coverage.py 7.5+: each named region with at
//!   least one statement is a function, entered when any of its lines ran; the unnamed region
//!   `""` (module-level code) and regions whose lines are all excluded are not functions.
//!   Older reports have no functions.
//! - coverage.py's own "Cover" percentage mixes lines and branches
//!   (`(covered_lines + covered_branches) / (num_statements + num_branches)`); shipgate keeps
//!   the two apart and each count equals coverage.py's.
//!
//! The `files` object is read one file at a time, so memory follows the largest file.

use super::{Ctx, Head, ParseError, json};
use crate::model::{BranchLine, Coverage, FileCoverage, Function, LineHits};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::BufRead;

/// An object with coverage.py's `meta` block and per-file `executed_lines`.
pub fn detect(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"meta\"")
        && (head.contains("\"executed_lines\"") || head.contains("\"show_contexts\""))
}

#[derive(Deserialize)]
struct PyFile {
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    executed_branches: Vec<(i64, i64)>,
    #[serde(default)]
    missing_branches: Vec<(i64, i64)>,
    #[serde(default)]
    functions: BTreeMap<String, PyRegion>,
}

#[derive(Deserialize)]
struct PyRegion {
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    start_line: Option<u32>,
}

/// Parses a coverage.py JSON report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    let found = json::for_each_entry(
        input,
        "coverage.py",
        Some("files"),
        |name: String, f: PyFile| {
            let file = build(f).map_err(|m| format!("file {name:?}: {m}"))?;
            cov.add_file(ctx.paths.resolve(&name, &[]), file);
            Ok(())
        },
    )?;
    if !found {
        return Err(ParseError::at_line(
            1,
            1,
            "expected a \"files\" object (coverage.py's `coverage json` output)",
        ));
    }
    Ok(cov)
}

fn build(f: PyFile) -> Result<FileCoverage, String> {
    let mut lines: Vec<(u32, u64)> =
        Vec::with_capacity(f.executed_lines.len() + f.missing_lines.len());
    lines.extend(f.executed_lines.iter().map(|&l| (l, 1)));
    lines.extend(f.missing_lines.iter().map(|&l| (l, 0)));
    // A line listed as both would count twice in `from_pairs`; keep it once, as executed.
    lines.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    lines.dedup_by_key(|p| p.0);

    let mut arcs: Vec<(u32, bool)> =
        Vec::with_capacity(f.executed_branches.len() + f.missing_branches.len());
    for (taken, list) in [(true, &f.executed_branches), (false, &f.missing_branches)] {
        for &(from, _to) in list {
            let from = u32::try_from(from)
                .map_err(|_| format!("branch from line {from}: expected a positive line number"))?;
            arcs.push((from, taken));
        }
    }
    let branches = BranchLine::group(arcs).into();

    let mut functions: Vec<Function> = f
        .functions
        .into_iter()
        .filter(|(name, r)| {
            let has_statements = !r.executed_lines.is_empty() || !r.missing_lines.is_empty();
            !name.is_empty() && has_statements
        })
        .map(|(name, r)| {
            let first = r
                .executed_lines
                .iter()
                .chain(&r.missing_lines)
                .min()
                .copied();
            Function {
                name,
                line: r.start_line.or(first).unwrap_or(0),
                hits: u64::from(!r.executed_lines.is_empty()),
            }
        })
        .collect();
    functions.sort_by_key(|f| f.line);
    Ok(FileCoverage {
        lines: LineHits::from_pairs(lines),
        branches,
        functions,
        ..Default::default()
    })
}
