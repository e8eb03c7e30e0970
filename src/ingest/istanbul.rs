//! Istanbul `coverage-final.json` and `coverage-summary.json` (nyc, c8, Jest, Vitest).
//!
//! Counting rules for `coverage-final.json`, those of istanbul-lib-coverage, so the totals equal
//! the "Lines", "Branches", "Functions" and "Statements" of istanbul's text summary:
//! - Lines (`getLineCoverage`): every statement of `s` that `statementMap` locates makes its
//!   start line coverable; the line's hits are the largest count of the statements starting
//!   on it. A statement spanning several lines covers only its first.
//! - Branches (`computeBranchTotals`): each count in `b[id]` is one branch, covered when above
//!   zero. It sits on `branchMap[id].line`, or else on the start line of `branchMap[id].loc`
//!   (`getBranchCoverageByLine`); a count with no `branchMap` entry still counts, on line 0.
//! - Functions: each entry of `f` is one function, entered when its count is above zero,
//!   named and placed by `fnMap` (`decl`, else `loc`, else `line`).
//! - Statements: each entry of `s`, covered when above zero ([`FileCoverage::statements`]).
//! - `inputSourceMap`, `bT` (branch truthiness) and `hash` are not read. Some writers wrap a
//!   file's data in `{"data": {...}}`; that is unwrapped. The file is the entry's `path`, else
//!   its key.
//!
//! The top-level object is read one file at a time, so memory follows the largest file.
//!
//! `coverage-summary.json` has only per-file totals: they become [`FileCoverage::declared`]
//! (lines, branches, functions) and [`FileCoverage::statements`]; the `total` entry is the sum
//! of the files and is skipped.

use super::{Ctx, Head, ParseError, json};
use crate::model::{
    BranchLine, Coverage, DeclaredTotals, FileCoverage, Function, LineHits, StatementCounts,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;

/// `coverage-final.json`: objects with `statementMap`. Jest's and Vitest's `--json` results
/// embed a `coverageMap` of the same objects after their test counts; those are test results.
pub fn detect_final(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"statementMap\"")
        && !head.contains("\"numTotalTests\"")
}

/// `coverage-summary.json`: a `total` with `lines.pct`.
pub fn detect_summary(head: &Head) -> bool {
    head.json_start() == Some(b'{')
        && head.contains("\"total\"")
        && head.contains("\"pct\"")
        && head.contains("\"lines\"")
}

#[derive(Deserialize)]
struct Pos {
    line: u32,
}

#[derive(Deserialize)]
struct Range {
    start: Pos,
}

#[derive(Deserialize)]
struct BranchMeta {
    #[serde(default)]
    line: Option<u32>,
    #[serde(default)]
    loc: Option<Range>,
}

#[derive(Deserialize)]
struct FnMeta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    decl: Option<Range>,
    #[serde(default)]
    loc: Option<Range>,
    #[serde(default)]
    line: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileData {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    statement_map: HashMap<String, Range>,
    #[serde(default)]
    s: HashMap<String, u64>,
    #[serde(default)]
    branch_map: HashMap<String, BranchMeta>,
    #[serde(default)]
    b: HashMap<String, Vec<u64>>,
    #[serde(default)]
    fn_map: HashMap<String, FnMeta>,
    #[serde(default)]
    f: HashMap<String, u64>,
    #[serde(default)]
    data: Option<Box<FileData>>,
}

/// Parses `coverage-final.json`.
pub fn parse_final(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    json::for_each_entry(input, "istanbul", None, |key: String, d: FileData| {
        let d = match d.data {
            Some(inner) => *inner,
            None => d,
        };
        let name = d.path.clone().unwrap_or(key);
        let path = ctx.paths.resolve(&name, &[]);
        cov.add_file(path, build(d));
        Ok(())
    })?;
    Ok(cov)
}

fn build(d: FileData) -> FileCoverage {
    let mut line_max: HashMap<u32, u64> = HashMap::new();
    let mut st = StatementCounts::default();
    for (id, &count) in &d.s {
        st.total += 1;
        st.covered += u64::from(count > 0);
        if let Some(r) = d.statement_map.get(id) {
            let e = line_max.entry(r.start.line).or_insert(0);
            *e = (*e).max(count);
        }
    }
    let lines = LineHits::from_pairs(line_max.into_iter().collect());

    let mut by_line: HashMap<u32, BranchLine> = HashMap::new();
    for (id, counts) in &d.b {
        let line = d
            .branch_map
            .get(id)
            .and_then(|m| {
                m.line
                    .filter(|l| *l > 0)
                    .or_else(|| m.loc.as_ref().map(|r| r.start.line))
            })
            .unwrap_or(0);
        let e = by_line.entry(line).or_insert(BranchLine {
            line,
            covered: 0,
            total: 0,
        });
        e.total = e.total.saturating_add(counts.len() as u32);
        e.covered = e
            .covered
            .saturating_add(counts.iter().filter(|c| **c > 0).count() as u32);
    }
    let mut branches: Vec<BranchLine> = by_line.into_values().collect();
    branches.sort_by_key(|b| b.line);

    let mut functions: Vec<(u32, String, Function)> =
        d.f.iter()
            .map(|(id, &hits)| {
                let meta = d.fn_map.get(id);
                let name = meta
                    .and_then(|m| m.name.clone())
                    .unwrap_or_else(|| format!("(function {id})"));
                let line = meta
                    .and_then(|m| {
                        m.decl
                            .as_ref()
                            .or(m.loc.as_ref())
                            .map(|r| r.start.line)
                            .or(m.line)
                    })
                    .unwrap_or(0);
                (line, id.clone(), Function { name, line, hits })
            })
            .collect();
    functions.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    FileCoverage {
        lines,
        branches: branches.into(),
        functions: functions.into_iter().map(|(_, _, f)| f).collect(),
        statements: Some(st),
        ..Default::default()
    }
}

#[derive(Deserialize)]
struct Metric {
    total: u64,
    covered: u64,
}

#[derive(Deserialize)]
struct SummaryEntry {
    lines: Metric,
    statements: Metric,
    functions: Metric,
    branches: Metric,
}

/// Parses `coverage-summary.json`.
pub fn parse_summary(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    json::for_each_entry(
        input,
        "istanbul summary",
        None,
        |key: String, e: SummaryEntry| {
            if key == "total" {
                return Ok(());
            }
            let path = ctx.paths.resolve(&key, &[]);
            cov.add_file(
                path,
                FileCoverage {
                    declared: Some(DeclaredTotals {
                        lines_total: e.lines.total,
                        lines_covered: e.lines.covered,
                        branches_total: e.branches.total,
                        branches_covered: e.branches.covered,
                        functions_total: e.functions.total,
                        functions_covered: e.functions.covered,
                    }),
                    statements: Some(StatementCounts {
                        total: e.statements.total,
                        covered: e.statements.covered,
                    }),
                    ..Default::default()
                },
            );
            Ok(())
        },
    )?;
    Ok(cov)
}
