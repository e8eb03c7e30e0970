//! JaCoCo XML coverage (`jacoco:report`, `jacoco:report-aggregate`, Gradle `jacocoTestReport`).
//!
//! Layout: `<report>` → `<group>`* (aggregate reports nest them) → `<package name="com/x">` →
//! `<class>` (with its `<method>` elements) and `<sourcefile name="A.java">` (with its `<line>`
//! elements); `<counter>` elements at every level hold JaCoCo's own totals.
//!
//! Counting rules, those of JaCoCo's LINE, BRANCH and METHOD counters:
//! - `<line nr mi ci mb cb>`: a line with instructions (`mi + ci > 0`) is coverable and covered
//!   when `ci > 0`, so partly covered lines count as covered, as in JaCoCo's LINE counter. JaCoCo
//!   records no execution counts: a line's hits are its covered instructions.
//! - The same line has `mb + cb` branches, `cb` of them covered.
//! - Each `<method>` is a function (`Class.method`, at its `line`), entered when its METHOD
//!   counter has `covered > 0`. Methods belong to the file their class's `sourcefilename`
//!   names; classes without it (JaCoCo before 0.8) go to the source file named after the outer
//!   class. Methods of classes compiled without debug information have no `<sourcefile>`: they
//!   still count, in a file of their own, so function totals equal the METHOD counter.
//! - gcovr's JaCoCo writer gives its `<line>`s branch counts but no instruction counts, so which
//!   lines ran is unknown: such a source file is recorded by its own LINE, BRANCH and METHOD
//!   `<counter>`s only ([`FileCoverage::declared`]), which are gcovr's figures.
//! - The file is package directory + source file name, looked up under the usual source roots
//!   (`src/main/java`, `src/main/kotlin`, ..., each also under the enclosing `<group>` names of
//!   a multi-module report), the first that exists; if none does, `src/main/java/...` (or the
//!   innermost group's) is kept.
//! - The DOCTYPE's `report.dtd` is never fetched, and no entity declared in a DTD is expanded.

use super::xml::{XmlReader, attr, attr_num};
use super::{Ctx, Head, ParseError};
use crate::model::{BranchLine, Coverage, DeclaredTotals, FileCoverage, Function, LineHits};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// `<report>` root as JaCoCo writes it.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"report")
        && (head.contains("JACOCO") || head.contains("<sessioninfo") || head.contains("<counter"))
}

/// Source roots tried for `package/File.java`, in order.
const SOURCE_ROOTS: &[&str] = &[
    "src/main/java",
    "src/main/kotlin",
    "src/main/scala",
    "src/main/groovy",
    "src/test/java",
    "src/test/kotlin",
    "app/src/main/java",
    "app/src/main/kotlin",
    "src/commonMain/kotlin",
    "src/jvmMain/kotlin",
    "src",
    "java",
    "kotlin",
];

#[derive(Default)]
struct SourceAcc {
    name: String,
    lines: Vec<(u32, u64)>,
    branches: Vec<BranchLine>,
    /// `<line>` elements seen, and how many carried instruction counts (`mi`/`ci`).
    line_elements: u64,
    with_instructions: u64,
    /// The source file's own LINE, BRANCH and METHOD counters.
    declared: DeclaredTotals,
    has_counters: bool,
}

struct MethodAcc {
    function: Function,
    /// From the METHOD counter; `None` until one is seen.
    covered: Option<bool>,
    /// Any counter with covered > 0, when there is no METHOD counter.
    any_covered: bool,
}

#[derive(Default)]
struct PackageAcc {
    dir: String,
    sources: Vec<SourceAcc>,
    /// Functions per source file name.
    methods: HashMap<String, Vec<Function>>,
}

/// Parses a JaCoCo report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut cov = Coverage::default();
    let mut saw_root = false;
    let mut groups: Vec<String> = Vec::new();
    let mut package: Option<PackageAcc> = None;
    // (simple class name, source file) of the open <class>.
    let mut class: Option<(String, String)> = None;
    let mut method: Option<MethodAcc> = None;
    let mut source: Option<SourceAcc> = None;
    loop {
        let at = xr.offset();
        match xr.next()? {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                saw_root = true;
                if e.local_name().as_ref() != "report" {
                    return Err(ParseError::at_byte(at, "expected a <report> root element"));
                }
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "group" => groups.push(attr(&e, "name", at)?.unwrap_or_default().into_owned()),
                "package" => package = Some(start_package(&e, at)?),
                "class" => class = Some(start_class(&e, at)?),
                "method" => method = Some(start_method(&e, at, class.as_ref())?),
                "sourcefile" => source = Some(start_source(&e, at)?),
                "counter" => counter(&e, at, method.as_mut(), source.as_mut())?,
                "line" => line(&e, at, source.as_mut())?,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "counter" => counter(&e, at, method.as_mut(), source.as_mut())?,
                "line" => line(&e, at, source.as_mut())?,
                "method" => {
                    let m = start_method(&e, at, class.as_ref())?;
                    end_method(m, class.as_ref(), package.as_mut());
                }
                "sourcefile" => {
                    let s = start_source(&e, at)?;
                    if let Some(p) = package.as_mut() {
                        p.sources.push(s);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "group" => {
                    groups.pop();
                }
                "package" => {
                    if let Some(p) = package.take() {
                        finish_package(&mut cov, p, &groups, ctx);
                    }
                }
                "class" => class = None,
                "method" => {
                    if let Some(m) = method.take() {
                        end_method(m, class.as_ref(), package.as_mut());
                    }
                }
                "sourcefile" => {
                    if let (Some(s), Some(p)) = (source.take(), package.as_mut()) {
                        p.sources.push(s);
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

fn required<'e>(
    e: &'e BytesStart<'_>,
    name: &str,
    at: u64,
) -> Result<std::borrow::Cow<'e, str>, ParseError> {
    attr(e, name, at)?.ok_or_else(|| {
        ParseError::at_byte(
            at,
            format!("<{}> without a {name} attribute", e.name().as_ref()),
        )
    })
}

fn start_package(e: &BytesStart<'_>, at: u64) -> Result<PackageAcc, ParseError> {
    // The default package is written as name="".
    let dir = required(e, "name", at)?.replace('.', "/");
    Ok(PackageAcc {
        dir: dir.trim_matches('/').to_string(),
        ..Default::default()
    })
}

fn start_class(e: &BytesStart<'_>, at: u64) -> Result<(String, String), ParseError> {
    let name = required(e, "name", at)?;
    let simple = name.rsplit('/').next().unwrap_or(&name).to_string();
    let source = match attr(e, "sourcefilename", at)? {
        Some(s) if !s.is_empty() => s.into_owned(),
        // Before JaCoCo 0.8 classes did not name their source: take the outer class's name.
        _ => {
            let outer = simple.split('$').next().unwrap_or(&simple);
            format!("{outer}.java")
        }
    };
    Ok((simple, source))
}

fn start_method(
    e: &BytesStart<'_>,
    at: u64,
    class: Option<&(String, String)>,
) -> Result<MethodAcc, ParseError> {
    let name = required(e, "name", at)?;
    let line: u32 = attr_num(e, "line", at)?.unwrap_or(0);
    let name = match class {
        Some((c, _)) => format!("{c}.{name}"),
        None => name.into_owned(),
    };
    Ok(MethodAcc {
        function: Function {
            name,
            line,
            hits: 0,
        },
        covered: None,
        any_covered: false,
    })
}

fn end_method(
    mut m: MethodAcc,
    class: Option<&(String, String)>,
    package: Option<&mut PackageAcc>,
) {
    let (Some((_, source)), Some(p)) = (class, package) else {
        return;
    };
    m.function.hits = u64::from(m.covered.unwrap_or(m.any_covered));
    p.methods
        .entry(source.clone())
        .or_default()
        .push(m.function);
}

fn counter(
    e: &BytesStart<'_>,
    at: u64,
    method: Option<&mut MethodAcc>,
    source: Option<&mut SourceAcc>,
) -> Result<(), ParseError> {
    let covered: u64 = attr_num(e, "covered", at)?
        .ok_or_else(|| ParseError::at_byte(at, "<counter> without a covered attribute"))?;
    let kind = attr(e, "type", at)?;
    let Some(m) = method else {
        if let Some(s) = source {
            let missed: u64 = attr_num(e, "missed", at)?.unwrap_or(0);
            let total = missed.saturating_add(covered);
            let d = &mut s.declared;
            match kind.as_deref() {
                Some("LINE") => (d.lines_total, d.lines_covered) = (total, covered),
                Some("BRANCH") => (d.branches_total, d.branches_covered) = (total, covered),
                Some("METHOD") => (d.functions_total, d.functions_covered) = (total, covered),
                _ => return Ok(()),
            }
            s.has_counters = true;
        }
        return Ok(());
    };
    if kind.as_deref() == Some("METHOD") {
        m.covered = Some(covered > 0);
    } else if covered > 0 {
        m.any_covered = true;
    }
    Ok(())
}

fn start_source(e: &BytesStart<'_>, at: u64) -> Result<SourceAcc, ParseError> {
    Ok(SourceAcc {
        name: required(e, "name", at)?.into_owned(),
        ..Default::default()
    })
}

fn line(e: &BytesStart<'_>, at: u64, source: Option<&mut SourceAcc>) -> Result<(), ParseError> {
    let Some(s) = source else {
        // <line> only appears in <sourcefile>; anywhere else it is not JaCoCo's.
        return Err(ParseError::at_byte(
            at,
            "<line> outside a <sourcefile>; expected it inside one",
        ));
    };
    let nr: u32 = attr_num(e, "nr", at)?
        .ok_or_else(|| ParseError::at_byte(at, "<line> without an nr attribute"))?;
    let num =
        |name: &str| -> Result<u64, ParseError> { Ok(attr_num::<u64>(e, name, at)?.unwrap_or(0)) };
    let (mi, ci, mb, cb) = (num("mi")?, num("ci")?, num("mb")?, num("cb")?);
    s.line_elements += 1;
    if attr(e, "mi", at)?.is_some() || attr(e, "ci", at)?.is_some() {
        s.with_instructions += 1;
    }
    if mi.saturating_add(ci) > 0 {
        s.lines.push((nr, ci));
    }
    let total = mb.saturating_add(cb);
    if total > 0 {
        s.branches.push(BranchLine {
            line: nr,
            covered: u32::try_from(cb).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        });
    }
    Ok(())
}

fn finish_package(cov: &mut Coverage, mut p: PackageAcc, groups: &[String], ctx: &Ctx) {
    let bases = bases(groups);
    let rel = |name: &str| {
        if p.dir.is_empty() {
            name.to_string()
        } else {
            format!("{}/{}", p.dir, name)
        }
    };
    for s in std::mem::take(&mut p.sources) {
        let mut functions = p.methods.remove(&s.name).unwrap_or_default();
        if s.line_elements > 0 && s.with_instructions == 0 && s.has_counters {
            // gcovr's JaCoCo writer: lines without instruction counts; only the counters know.
            cov.add_file(
                ctx.paths.resolve(&rel(&s.name), &bases),
                FileCoverage {
                    declared: Some(s.declared),
                    ..Default::default()
                },
            );
            continue;
        }
        functions.sort_by_key(|f| f.line);
        let mut branches = s.branches;
        branches.sort_by_key(|b| b.line);
        cov.add_file(
            ctx.paths.resolve(&rel(&s.name), &bases),
            FileCoverage {
                lines: LineHits::from_pairs(s.lines),
                branches: branches.into(),
                functions,
                ..Default::default()
            },
        );
    }
    // Classes whose source file has no <sourcefile> (compiled without debug information).
    let mut rest: Vec<(String, Vec<Function>)> = p.methods.into_iter().collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, functions) in rest {
        cov.add_file(
            ctx.paths.resolve(&rel(&name), &bases),
            FileCoverage {
                functions,
                ..Default::default()
            },
        );
    }
}

/// Source roots for a file, the innermost group's first.
fn bases(groups: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in groups.iter().rev().filter(|g| !g.is_empty()) {
        for r in SOURCE_ROOTS {
            out.push(format!("{g}/{r}"));
        }
    }
    out.extend(SOURCE_ROOTS.iter().map(|r| r.to_string()));
    out
}
