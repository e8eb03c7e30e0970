//! Go coverprofile (`go test -coverprofile`, modes set, count and atomic).
//!
//! Counting rules:
//! - The profile is a `mode:` line, then one block a line:
//!   `file.go:startLine.startCol,endLine.endCol numStmts count`.
//! - Blocks at the same position (a package measured by several test binaries, `-coverpkg`,
//!   concatenated profiles) are one block, merged the way `go tool cover` merges them: counts
//!   added in `count`/`atomic` mode, OR-ed in `set` mode. Two copies that disagree on the
//!   number of statements are an error, as they are for `go tool cover`.
//! - Statements (Go's own figure): every merged block adds its `numStmts` to the total and,
//!   when its count is above zero, to the covered ones. This is the "total: (statements) X%"
//!   of `go tool cover -func` and the "coverage: X% of statements" of `go test -cover`; it is
//!   kept in [`FileCoverage::statements`].
//! - Lines (for patch coverage): every line a block with statements spans is coverable, and its
//!   hits are the largest count of the blocks that touch it. A line shared by a run block and a
//!   skipped one (an `if` whose body never ran starts on the condition's line) is therefore
//!   covered; a block without statements (`func f() {}`) makes no line coverable.
//! - The profile names no functions (that takes the Go source), so the function list is empty.
//! - File names are import paths (`github.com/org/repo/pkg/file.go`). They become repository
//!   paths by removing the module path of the repository's `go.mod` when it is a prefix;
//!   otherwise by dropping leading components until the rest names an existing file (longest
//!   rest first), and the prefix dropped that way is reused for the other files. Pre-module
//!   profiles write `_/abs/path/file.go`; the `_` is dropped and the absolute path resolved.

use super::{Ctx, Head, ParseError};
use crate::model::{Coverage, FileCoverage, LineHits, StatementCounts};
use std::collections::HashMap;
use std::io::{BufRead, Read};

/// First line `mode: set|count|atomic`.
pub fn detect(head: &Head) -> bool {
    head.first_line_starts_with(&["mode: set", "mode: count", "mode: atomic"])
}

/// Longest line accepted; a longer one is an error, so memory stays bounded.
const MAX_LINE: u64 = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Set,
    Count,
}

/// One profile block.
#[derive(Clone, Copy)]
struct Block {
    start_line: u32,
    start_col: u32,
    end_line: u32,
    end_col: u32,
    stmts: u64,
    count: u64,
    /// Profile line it came from, for errors.
    at: u64,
}

/// Parses a coverprofile.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut mode: Option<Mode> = None;
    let mut mode_name = String::new();
    // Blocks per file name, in order of first appearance.
    let mut files: Vec<(String, Vec<Block>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut lineno = 0u64;
    loop {
        buf.clear();
        let n = (&mut *input)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| ParseError::at_line(lineno + 1, 1, format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        if buf.len() as u64 > MAX_LINE {
            return Err(ParseError::at_line(
                lineno,
                1,
                format!(
                    "a line longer than {} KiB; expected coverprofile blocks",
                    MAX_LINE >> 10
                ),
            ));
        }
        let line = buf.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let line = std::str::from_utf8(line)
            .map_err(|_| ParseError::at_line(lineno, 1, "expected UTF-8 text"))?;
        if let Some(m) = line.strip_prefix("mode:") {
            let m = m.trim();
            let parsed = match m {
                "set" => Mode::Set,
                "count" | "atomic" => Mode::Count,
                _ => {
                    return Err(ParseError::at_line(
                        lineno,
                        1,
                        format!("mode {:?}: expected mode: set, count or atomic", clip(m)),
                    ));
                }
            };
            match mode {
                None => {
                    mode = Some(parsed);
                    mode_name = m.to_string();
                }
                // Concatenated profiles repeat the mode line; only a change of mode is wrong.
                Some(old) if old == parsed => {}
                Some(_) => {
                    return Err(ParseError::at_line(
                        lineno,
                        1,
                        format!("mode: {m} after mode: {mode_name}; expected profiles of one mode"),
                    ));
                }
            }
            continue;
        }
        if mode.is_none() {
            return Err(ParseError::at_line(
                lineno,
                1,
                "expected a first line mode: set, count or atomic",
            ));
        }
        let (name, block) = parse_block(line, lineno)?;
        let i = match index.get(name) {
            Some(&i) => i,
            None => {
                index.insert(name.to_string(), files.len());
                files.push((name.to_string(), Vec::new()));
                files.len() - 1
            }
        };
        if let Some((_, blocks)) = files.get_mut(i) {
            blocks.push(block);
        }
    }
    let Some(mode) = mode else {
        return Err(ParseError::at_line(
            1,
            1,
            "expected a first line mode: set, count or atomic",
        ));
    };
    let mut paths = GoPaths::new(ctx);
    let mut cov = Coverage::default();
    for (name, blocks) in files {
        let file = build_file(blocks, mode)?;
        cov.add_file(paths.resolve(&name), file);
    }
    Ok(cov)
}

/// `name:sl.sc,el.ec stmts count`, read from the right because the name may hold colons.
fn parse_block(line: &str, lineno: u64) -> Result<(&str, Block), ParseError> {
    let expected = "expected <file>:<line>.<col>,<line>.<col> <statements> <count>";
    let bad = |what: &str| {
        ParseError::at_line(lineno, 1, format!("{expected}; {what} in {:?}", clip(line)))
    };
    let (rest, count) = line.rsplit_once(' ').ok_or_else(|| bad("no count"))?;
    let (rest, stmts) = rest
        .rsplit_once(' ')
        .ok_or_else(|| bad("no statement count"))?;
    let (name, pos) = rest.rsplit_once(':').ok_or_else(|| bad("no position"))?;
    if name.is_empty() {
        return Err(bad("no file name"));
    }
    let count: u64 = count
        .parse()
        .map_err(|_| bad("the count is not a whole number"))?;
    let stmts: u64 = stmts
        .parse()
        .map_err(|_| bad("the statement count is not a whole number"))?;
    let (start, end) = pos.split_once(',').ok_or_else(|| bad("no end position"))?;
    let pair = |s: &str| -> Option<(u32, u32)> {
        let (l, c) = s.split_once('.')?;
        Some((l.parse().ok()?, c.parse().ok()?))
    };
    let (start_line, start_col) =
        pair(start).ok_or_else(|| bad("the start is not <line>.<col>"))?;
    let (end_line, end_col) = pair(end).ok_or_else(|| bad("the end is not <line>.<col>"))?;
    if end_line < start_line {
        return Err(bad("the block ends before it starts"));
    }
    Ok((
        name,
        Block {
            start_line,
            start_col,
            end_line,
            end_col,
            stmts,
            count,
            at: lineno,
        },
    ))
}

fn clip(s: &str) -> &str {
    super::xml::truncate(s, 80)
}

/// Merges one file's blocks and turns them into lines and statements.
fn build_file(mut blocks: Vec<Block>, mode: Mode) -> Result<FileCoverage, ParseError> {
    blocks.sort_by_key(|b| (b.start_line, b.start_col, b.end_line, b.end_col, b.at));
    let mut merged: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        match merged.last_mut() {
            Some(last)
                if (last.start_line, last.start_col, last.end_line, last.end_col)
                    == (b.start_line, b.start_col, b.end_line, b.end_col) =>
            {
                if last.stmts != b.stmts {
                    return Err(ParseError::at_line(
                        b.at,
                        1,
                        format!(
                            "this block has {} statements but the same block on line {} has {}; expected the same profile of one source",
                            b.stmts, last.at, last.stmts
                        ),
                    ));
                }
                last.count = match mode {
                    Mode::Set => last.count | b.count,
                    Mode::Count => last.count.saturating_add(b.count),
                };
            }
            _ => merged.push(b),
        }
    }
    let mut st = StatementCounts::default();
    let mut lines: Vec<(u32, u64)> = Vec::new();
    for b in &merged {
        st.total = st.total.saturating_add(b.stmts);
        if b.count > 0 {
            st.covered = st.covered.saturating_add(b.stmts);
        }
        if b.stmts > 0 {
            lines.extend((b.start_line..=b.end_line).map(|l| (l, b.count)));
        }
    }
    // Max per line, not the sum `LineHits::from_pairs` would make of repeated lines.
    lines.sort_unstable();
    let mut max: Vec<(u32, u64)> = Vec::with_capacity(lines.len());
    for (l, h) in lines {
        match max.last_mut() {
            Some(last) if last.0 == l => last.1 = last.1.max(h),
            _ => max.push((l, h)),
        }
    }
    Ok(FileCoverage {
        lines: LineHits::from_pairs(max),
        statements: Some(st),
        ..Default::default()
    })
}

/// Import paths to repository paths (see the module comment).
struct GoPaths<'a> {
    ctx: &'a Ctx<'a>,
    module: Option<String>,
    learned: Option<String>,
    cache: HashMap<String, String>,
}

impl<'a> GoPaths<'a> {
    fn new(ctx: &'a Ctx<'a>) -> Self {
        GoPaths {
            ctx,
            module: module_path(ctx),
            learned: None,
            cache: HashMap::new(),
        }
    }

    fn resolve(&mut self, name: &str) -> String {
        if let Some(p) = self.cache.get(name) {
            return p.clone();
        }
        let p = self.resolve_uncached(name);
        self.cache.insert(name.to_string(), p.clone());
        p
    }

    fn resolve_uncached(&mut self, name: &str) -> String {
        let paths = self.ctx.paths;
        // GOPATH-less, pre-module builds: `_/home/me/proj/x.go`.
        let name = match name.strip_prefix('_') {
            Some(rest) if rest.starts_with('/') => rest.to_string(),
            _ => name.to_string(),
        };
        if super::paths::is_absolute(&name) {
            return paths.resolve(&name, &[]);
        }
        if let Some(m) = &self.module
            && let Some(rest) = name.strip_prefix(m.as_str())
            && let Some(rest) = rest.strip_prefix('/')
        {
            return paths.resolve(rest, &[]);
        }
        if let Some(prefix) = &self.learned
            && let Some(rest) = name.strip_prefix(prefix.as_str())
        {
            return paths.resolve(rest, &[]);
        }
        let direct = paths.resolve(&name, &[]);
        if paths.exists(&direct) {
            return direct;
        }
        let mut offset = 0;
        while let Some(slash) = name[offset..].find('/') {
            offset += slash + 1;
            let rest = &name[offset..];
            if paths.exists(rest) {
                self.learned = Some(name[..offset].to_string());
                return rest.to_string();
            }
        }
        direct
    }
}

/// The `module` line of the repository's `go.mod`, when there is one.
fn module_path(ctx: &Ctx) -> Option<String> {
    if !ctx.paths.exists("go.mod") {
        return None;
    }
    let path = std::path::Path::new(ctx.paths.root()).join("go.mod");
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    // go.mod files are small; a huge one is not read past its start.
    file.take(1 << 20).read_to_string(&mut text).ok()?;
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let m = rest.split("//").next()?.trim().trim_matches('"');
        (!m.is_empty()).then(|| m.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_with_colon_in_name() {
        let (name, b) = parse_block("C:/src/a.go:3.14,5.2 2 7", 1).unwrap();
        assert_eq!(name, "C:/src/a.go");
        assert_eq!(
            (
                b.start_line,
                b.start_col,
                b.end_line,
                b.end_col,
                b.stmts,
                b.count
            ),
            (3, 14, 5, 2, 2, 7)
        );
        assert!(parse_block("a.go:3.14,5.2 2", 1).is_err());
        assert!(parse_block("a.go:3.x,5.2 2 1", 1).is_err());
        assert!(parse_block("a.go:5.1,3.2 2 1", 1).is_err());
    }

    #[test]
    fn merge_rules() {
        let b = |count, at| Block {
            start_line: 1,
            start_col: 1,
            end_line: 2,
            end_col: 1,
            stmts: 3,
            count,
            at,
        };
        let f = build_file(vec![b(1, 1), b(1, 2)], Mode::Set).unwrap();
        assert_eq!(f.lines.get(1), Some(1));
        let f = build_file(vec![b(1, 1), b(4, 2)], Mode::Count).unwrap();
        assert_eq!(f.lines.get(2), Some(5));
        assert_eq!(
            f.statements,
            Some(StatementCounts {
                total: 3,
                covered: 3
            })
        );
        let mut odd = b(0, 3);
        odd.stmts = 2;
        assert!(build_file(vec![b(1, 1), odd], Mode::Count).is_err());
    }
}
