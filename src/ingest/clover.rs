//! Clover XML coverage (OpenClover, PHPUnit `--coverage-clover`, istanbul's `clover` reporter).
//!
//! Layout: `<coverage><project>` holding `<file>` elements, directly or inside (possibly
//! nested) `<package>` elements; each file has `<line num type count .../>` children and a
//! `<metrics>` child with the writer's own totals. OpenClover's `<testproject>` (the coverage
//! of the test sources) is skipped: OpenClover leaves it out of its project totals too.
//!
//! Counting rules:
//! - `type="stmt"` and `type="cond"` lines are coverable lines; hits are `count`, or for an
//!   OpenClover `cond` line that has none, `truecount + falsecount` (times evaluated). This
//!   gives istanbul's "Lines" and PHPUnit's "Lines" (executable lines).
//! - `type="method"` lines are functions (`name`, else OpenClover's `signature`), covered when
//!   `count` is above zero, except in PHPUnit's reports (no `clover` attribute on the root),
//!   where a method is covered only when every executable line of it ran, as PHPUnit's own
//!   "Methods" figure counts it. A PHPUnit method's lines are the stmt lines after its method
//!   line, up to the next method line; that reading is used only when it reproduces the file's
//!   `coveredmethods` metric, else covered means entered.
//! - Branches of a `cond` line. The writers disagree on `truecount`/`falsecount`: OpenClover
//!   means the times the condition was true and false (2 branches; covered: each count above
//!   zero), istanbul means branches covered and branches missed on that line. Each file is
//!   read the way that reproduces its own `<metrics conditionals coveredconditionals>`; when
//!   neither or both do, istanbul's reading is used for `clover="3.2.0"` (the version istanbul
//!   stamps) and OpenClover's otherwise.
//! - Branches that the file's `<metrics conditionals coveredconditionals>` count but no cond line
//!   holds are recorded on line 0: PHPUnit with path coverage (Xdebug) writes its branch totals
//!   only there, and istanbul writes a line's branches only when a statement starts on that
//!   line. The totals then equal the writer's "Branches".
//! - PHPUnit writes a method's first line as `type="method"` even when that line is also an
//!   executable statement (a one-line method), so its statement line is missing. PHPUnit lists
//!   only methods with executable lines, so a method line with no stmt line before the next
//!   method line is such a statement; those lines are counted as coverable when that brings
//!   the stmt lines up to the file's `statements` metric exactly (failing that, all method
//!   lines are, when that does).
//! - istanbul writes no method lines, only the `methods`/`coveredmethods` metrics; for such a
//!   file that many functions are recorded, named `(function N)` at line 0, the covered ones
//!   first, so function totals still equal istanbul's "Functions".
//! - The file is the `path` attribute (istanbul, OpenClover: the full path), else `name`
//!   (PHPUnit: the full path); a bare name is tried under its package's directory.

use super::xml::{Placed, XmlReader, attr, attr_num};
use super::{Ctx, Head, ParseError};
use crate::model::{BranchLine, Coverage, FileCoverage, Function, LineHits};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<coverage>` root with a `<project>` child or a `clover` attribute.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"coverage")
        && (head.xml_root_has_attr("clover") || head.contains("<project"))
}

/// A file's `<metrics>` figures that the counting rules check against.
/// Who wrote the report, as far as it matters for reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// `clover="3.2.0"`: istanbul's clover reporter.
    Istanbul,
    /// Another `clover` version: OpenClover or Atlassian Clover.
    OpenClover,
    /// No `clover` attribute: PHPUnit (php-code-coverage).
    PhpUnit,
}

#[derive(Default, Clone, Copy)]
struct Metrics {
    statements: Option<u64>,
    conditionals: Option<u64>,
    covered_conditionals: Option<u64>,
    methods: Option<u64>,
    covered_methods: Option<u64>,
}

struct CondLine {
    line: u32,
    truecount: u64,
    falsecount: u64,
}

#[derive(Default)]
struct FileAcc {
    raw: String,
    /// The file came from `name` alone (no `path`), so it may be relative to its package.
    bare: bool,
    package: Option<String>,
    /// `XmlReader::depth` inside the `<file>` element, to tell its own `<metrics>` from a
    /// `<class>`'s.
    depth: usize,
    lines: Vec<(u32, u64)>,
    conds: Vec<CondLine>,
    methods: Vec<(u32, String, u64)>,
    metrics: Option<Metrics>,
}

/// Parses a Clover report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut cov = Coverage::default();
    let mut saw_root = false;
    let mut writer = Writer::PhpUnit;
    let mut packages: Vec<String> = Vec::new();
    let mut file: Option<FileAcc> = None;
    loop {
        // Depth outside the event: a child of an open <file> sits at the file's own depth.
        let Placed {
            at,
            before: depth,
            ev,
            ..
        } = xr.next_placed()?;
        match ev {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                saw_root = true;
                if e.local_name().as_ref() != "coverage" {
                    return Err(ParseError::at_byte(
                        at,
                        "expected a <coverage> root element",
                    ));
                }
                writer = match attr(&e, "clover", at)? {
                    Some(v) if v.trim() == "3.2.0" => Writer::Istanbul,
                    Some(_) => Writer::OpenClover,
                    None => Writer::PhpUnit,
                };
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "testproject" => xr.skip_element()?,
                "package" => {
                    let name = attr(&e, "name", at)?.unwrap_or_default().into_owned();
                    packages.push(name);
                }
                "file" => {
                    if file.is_some() {
                        return Err(ParseError::at_byte(
                            at,
                            "<file> inside another <file>; expected files side by side",
                        ));
                    }
                    let mut f = start_file(&e, at, packages.last())?;
                    f.depth = depth + 1;
                    file = Some(f);
                }
                "line" => line(&e, at, file.as_mut())?,
                "metrics" => metrics(&e, at, file.as_mut(), depth)?,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "line" => line(&e, at, file.as_mut())?,
                "metrics" => metrics(&e, at, file.as_mut(), depth)?,
                "file" => {
                    let f = start_file(&e, at, packages.last())?;
                    finish(&mut cov, f, writer, ctx);
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "package" => {
                    packages.pop();
                }
                "file" => {
                    if let Some(f) = file.take() {
                        finish(&mut cov, f, writer, ctx);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(cov)
}

fn start_file(
    e: &BytesStart<'_>,
    at: u64,
    package: Option<&String>,
) -> Result<FileAcc, ParseError> {
    let (raw, bare) = match attr(e, "path", at)? {
        Some(p) if !p.trim().is_empty() => (p.into_owned(), false),
        _ => (
            attr(e, "name", at)?
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| ParseError::at_byte(at, "<file> without a name or path attribute"))?
                .into_owned(),
            true,
        ),
    };
    Ok(FileAcc {
        raw,
        bare,
        package: package.filter(|p| !p.is_empty()).cloned(),
        ..Default::default()
    })
}

/// A `<metrics>` element; only the one directly inside a `<file>` is kept.
fn metrics(
    e: &BytesStart<'_>,
    at: u64,
    file: Option<&mut FileAcc>,
    depth: usize,
) -> Result<(), ParseError> {
    let Some(f) = file else { return Ok(()) };
    if depth != f.depth {
        return Ok(());
    }
    f.metrics = Some(Metrics {
        statements: attr_num(e, "statements", at)?,
        conditionals: attr_num(e, "conditionals", at)?,
        covered_conditionals: attr_num(e, "coveredconditionals", at)?,
        methods: attr_num(e, "methods", at)?,
        covered_methods: attr_num(e, "coveredmethods", at)?,
    });
    Ok(())
}

fn line(e: &BytesStart<'_>, at: u64, file: Option<&mut FileAcc>) -> Result<(), ParseError> {
    let Some(f) = file else {
        return Err(ParseError::at_byte(
            at,
            "<line> outside a <file>; expected it inside one",
        ));
    };
    let num: u32 = attr_num(e, "num", at)?
        .ok_or_else(|| ParseError::at_byte(at, "<line> without a num attribute"))?;
    let count: Option<u64> = count_attr(e, "count", at)?;
    let kind = attr(e, "type", at)?.unwrap_or_default();
    match kind.as_ref() {
        "stmt" => f.lines.push((num, count.unwrap_or(0))),
        "cond" => {
            let truecount = count_attr(e, "truecount", at)?.unwrap_or(0);
            let falsecount = count_attr(e, "falsecount", at)?.unwrap_or(0);
            let hits = count.unwrap_or(truecount.saturating_add(falsecount));
            f.lines.push((num, hits));
            f.conds.push(CondLine {
                line: num,
                truecount,
                falsecount,
            });
        }
        "method" => {
            let name = match attr(e, "name", at)? {
                Some(n) if !n.is_empty() => n.into_owned(),
                _ => attr(e, "signature", at)?
                    .map(|s| s.into_owned())
                    .unwrap_or_else(|| format!("(method at line {num})")),
            };
            f.methods.push((num, name, count.unwrap_or(0)));
        }
        other => {
            return Err(ParseError::at_byte(
                at,
                format!(
                    "<line type=\"{}\">: expected type stmt, cond or method",
                    super::xml::truncate(other, 40)
                ),
            ));
        }
    }
    Ok(())
}

/// A count; negative values (some writers' "not instrumented") read as 0.
fn count_attr(e: &BytesStart<'_>, name: &str, at: u64) -> Result<Option<u64>, ParseError> {
    Ok(attr_num::<i64>(e, name, at)?.map(|n| n.max(0) as u64))
}

fn finish(cov: &mut Coverage, f: FileAcc, writer: Writer, ctx: &Ctx) {
    let m = f.metrics.unwrap_or_default();
    let mut lines = f.lines;
    // Repeated lines (OpenClover writes one element per statement) are one coverable line;
    // its hits are the largest count, not the sum `LineHits::from_pairs` would make.
    lines.sort_unstable();
    lines.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            kept.1 = kept.1.max(later.1);
            true
        } else {
            false
        }
    });

    let mut methods = f.methods;
    methods.sort_by_key(|m| m.0);
    if writer == Writer::PhpUnit {
        add_php_method_lines(&mut lines, &methods, m);
    }

    let mut branches = cond_branches(&f.conds, m, writer == Writer::Istanbul);
    unplaced_branches(&mut branches, m);

    let fully = (writer == Writer::PhpUnit)
        .then(|| php_fully_covered(&lines, &methods))
        .filter(|full| {
            let n = full.iter().filter(|c| **c).count() as u64;
            m.covered_methods == Some(n)
        });
    let mut functions: Vec<Function> = methods
        .into_iter()
        .enumerate()
        .map(|(i, (line, name, count))| {
            let hits = match &fully {
                Some(full) if full.get(i) == Some(&true) => count.max(1),
                Some(_) => 0,
                None => count,
            };
            Function { name, line, hits }
        })
        .collect();
    if functions.is_empty()
        && let Some(total) = m.methods.filter(|t| *t > 0)
    {
        let covered = m.covered_methods.unwrap_or(0).min(total);
        // Bounded by what a real file can hold, so a corrupt metric cannot allocate wildly.
        let total = total.min(1 << 20);
        functions = (1..=total)
            .map(|i| Function {
                name: format!("(function {i})"),
                line: 0,
                hits: u64::from(i <= covered),
            })
            .collect();
    }

    let bases: Vec<String> = match &f.package {
        Some(p) if f.bare && !f.raw.contains(['/', '\\']) => vec![p.replace('.', "/"), p.clone()],
        _ => Vec::new(),
    };
    let path = ctx.paths.resolve(&f.raw, &bases);
    cov.add_file(
        path,
        FileCoverage {
            lines: LineHits::from_pairs(lines),
            branches: branches.into(),
            functions,
            ..Default::default()
        },
    );
}

/// The stmt lines between a method line (included) and the next one (excluded), as indices.
fn method_bodies(lines: &[(u32, u64)], methods: &[(u32, String, u64)]) -> Vec<(usize, usize)> {
    methods
        .iter()
        .enumerate()
        .map(|(i, (start, _, _))| {
            let end = methods.get(i + 1).map_or(u32::MAX, |m| m.0);
            let from = lines.partition_point(|p| p.0 < *start);
            let to = lines.partition_point(|p| p.0 < end);
            (from, to.max(from))
        })
        .collect()
}

/// PHPUnit's one-line methods: their line is a statement it wrote as the method line.
fn add_php_method_lines(lines: &mut Vec<(u32, u64)>, methods: &[(u32, String, u64)], m: Metrics) {
    let Some(statements) = m.statements else {
        return;
    };
    let n = lines.len() as u64;
    if methods.is_empty() || n >= statements {
        return;
    }
    let bodies = method_bodies(lines, methods);
    let mut one_line: Vec<(u32, u64)> = methods
        .iter()
        .zip(&bodies)
        .filter(|(_, (from, to))| from == to)
        .map(|((l, _, c), _)| (*l, *c))
        .collect();
    let mut all: Vec<(u32, u64)> = methods
        .iter()
        .filter(|(l, _, _)| lines.binary_search_by_key(l, |p| p.0).is_err())
        .map(|(l, _, c)| (*l, *c))
        .collect();
    for v in [&mut one_line, &mut all] {
        v.dedup_by_key(|p| p.0);
    }
    let extra = if n + one_line.len() as u64 == statements {
        one_line
    } else if n + all.len() as u64 == statements {
        all
    } else {
        return;
    };
    lines.extend(extra);
    lines.sort_unstable();
}

/// Whether each method's every executable line ran (PHPUnit's "tested method").
fn php_fully_covered(lines: &[(u32, u64)], methods: &[(u32, String, u64)]) -> Vec<bool> {
    method_bodies(lines, methods)
        .into_iter()
        .map(|(from, to)| {
            let body = lines.get(from..to).unwrap_or(&[]);
            !body.is_empty() && body.iter().all(|p| p.1 > 0)
        })
        .collect()
}

/// Branches the file's metrics count beyond its cond lines go on line 0 (see the module
/// comment), so the totals stay the writer's.
fn unplaced_branches(branches: &mut Vec<BranchLine>, m: Metrics) {
    let (Some(total), Some(covered)) = (m.conditionals, m.covered_conditionals) else {
        return;
    };
    let (have_c, have_t) = branches.iter().fold((0u64, 0u64), |(c, t), b| {
        (c + u64::from(b.covered), t + u64::from(b.total))
    });
    if total <= have_t {
        return;
    }
    let extra_t = u32::try_from(total - have_t).unwrap_or(u32::MAX);
    let extra_c = u32::try_from(covered.saturating_sub(have_c)).unwrap_or(u32::MAX);
    branches.insert(
        0,
        BranchLine {
            line: 0,
            covered: extra_c.min(extra_t),
            total: extra_t,
        },
    );
}

/// Branches per line under the reading of `truecount`/`falsecount` the file's metrics confirm.
fn cond_branches(conds: &[CondLine], m: Metrics, istanbul_default: bool) -> Vec<BranchLine> {
    if conds.is_empty() {
        return Vec::new();
    }
    let as_istanbul = |c: &CondLine| {
        let total = c.truecount.saturating_add(c.falsecount);
        (c.truecount, total)
    };
    let as_openclover = |c: &CondLine| {
        (
            u64::from(c.truecount > 0) + u64::from(c.falsecount > 0),
            2u64,
        )
    };
    let sums = |f: &dyn Fn(&CondLine) -> (u64, u64)| {
        conds.iter().map(f).fold((0u64, 0u64), |(c, t), (c1, t1)| {
            (c.saturating_add(c1), t.saturating_add(t1))
        })
    };
    let stated = match (m.covered_conditionals, m.conditionals) {
        (Some(c), Some(t)) => Some((c, t)),
        _ => None,
    };
    let istanbul_fits = stated == Some(sums(&as_istanbul));
    let clover_fits = stated == Some(sums(&as_openclover));
    let istanbul = match (istanbul_fits, clover_fits) {
        (true, false) => true,
        (false, true) => false,
        _ => istanbul_default,
    };
    let mut out: Vec<BranchLine> = Vec::new();
    let mut sorted: Vec<&CondLine> = conds.iter().collect();
    sorted.sort_by_key(|c| c.line);
    for c in sorted {
        let (covered, total) = if istanbul {
            as_istanbul(c)
        } else {
            as_openclover(c)
        };
        let covered = u32::try_from(covered).unwrap_or(u32::MAX);
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        match out.last_mut() {
            Some(b) if b.line == c.line => {
                b.covered = b.covered.saturating_add(covered);
                b.total = b.total.saturating_add(total);
            }
            _ => out.push(BranchLine {
                line: c.line,
                covered,
                total,
            }),
        }
    }
    out
}
