//! xUnit.net XML results: v2 (`<assemblies>` → `<assembly>` → `<collection>` → `<test>`) and
//! the v1 layout (`<assembly>` root, `<class>` instead of `<collection>`).
//!
//! Counting rules: `result="Pass"` → passed, `"Fail"` → failed (xUnit has no separate error
//! outcome: an exception in a test is a failure), `"Skip"` and `"NotRun"` (explicit tests left
//! out of the run) → skipped; any other value, or none, is an error. Each `<error>` under an
//! assembly's `<errors>` (a failing fixture, collection or assembly cleanup, a catastrophic
//! runner error) becomes one errored case named `[<type>] <name>` in a suite named after the
//! assembly: xUnit's own summary prints these as `Errors: N` beside `Total`, so our errored
//! count is xUnit's errors and our total is xUnit's total plus its errors. Traits and output
//! are ignored.
//!
//! A skip reason is `<reason>`'s text (v2) or its `<message>` (v1).
//!
//! One suite per `<collection>` (or v1 `<class>`). A test's name is its display `name` with
//! the class (`type`) prefix removed; `type` is the class name. `time` is in seconds; a
//! decimal comma (xUnit 2.0 wrote the machine's locale) is read as a point.

use super::nunit::{Trail, attrs, non_empty, seconds, stack_location};
use super::xml::{Placed, XmlReader, push_text, text_piece};
use super::{Ctx, Head, ParseError};
use crate::model::{TestCase, TestRun, TestStatus, TestSuite};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<assemblies>` or `<assembly>` root.
pub fn detect(head: &Head) -> bool {
    matches!(head.xml_root(), Some(b"assemblies" | b"assembly"))
}

/// What is being read: a `<test>` or an assembly-level `<error>`.
struct Pending {
    depth: usize,
    case: TestCase,
    /// `None` for an `<error>`, which is always errored.
    result: Option<String>,
    message: String,
    stack_trace: String,
    reason: String,
}

/// Parses an xUnit.net v1 or v2 report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<TestRun, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut run = TestRun::default();
    let mut assembly = String::new();
    // Tests outside any collection, and assembly errors, go to a suite named after the assembly.
    let mut loose: Vec<TestCase> = Vec::new();
    let mut suite: Option<TestSuite> = None;
    let mut pending: Option<Pending> = None;
    let mut trail = Trail::default();
    let mut saw_root = false;
    loop {
        let Placed {
            at,
            before,
            depth,
            ev,
        } = xr.next_placed()?;
        let is_start = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if !saw_root {
                    saw_root = true;
                    if !matches!(name, "assemblies" | "assembly") {
                        return Err(ParseError::at_byte(
                            at,
                            format!(
                                "expected an <assemblies> or <assembly> root element, found <{name}>"
                            ),
                        ));
                    }
                }
                if let Some(p) = pending.as_mut() {
                    let rel = depth.saturating_sub(p.depth);
                    trail.enter(
                        rel,
                        match name {
                            "failure" => "failure",
                            "message" => "message",
                            "stack-trace" => "stack-trace",
                            "reason" => "reason",
                            _ => "",
                        },
                    );
                    continue;
                }
                match name {
                    "assembly" => {
                        let [n] = attrs(&e, at, ["name"])?;
                        flush_loose(&mut run, &mut loose, &assembly);
                        assembly = n.unwrap_or_default();
                    }
                    "collection" | "class" if is_start => {
                        let [n, time] = attrs(&e, at, ["name", "time"])?;
                        let time = match time {
                            Some(t) => Some(seconds(&t, "time", name, at)?),
                            None => None,
                        };
                        suite = Some(TestSuite {
                            name: n.unwrap_or_default(),
                            file: None,
                            time,
                            cases: Vec::new(),
                        });
                    }
                    "test" => {
                        let p = start_test(&e, at, depth.max(before + 1))?;
                        if is_start {
                            pending = Some(p);
                            trail = Trail::default();
                        } else {
                            let case = finish(p, at, ctx)?;
                            push_case(&mut suite, &mut loose, case);
                        }
                    }
                    "error" => {
                        let p = start_error(&e, at, depth.max(before + 1))?;
                        if is_start {
                            pending = Some(p);
                            trail = Trail::default();
                        } else {
                            loose.push(finish(p, at, ctx)?);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if let Some(p) = pending.take() {
                    if depth + 1 == p.depth {
                        let is_error = p.result.is_none();
                        let case = finish(p, at, ctx)?;
                        if is_error {
                            loose.push(case);
                        } else {
                            push_case(&mut suite, &mut loose, case);
                        }
                    } else {
                        pending = Some(p);
                    }
                    continue;
                }
                match e.local_name().as_ref() {
                    "collection" | "class" => {
                        if let Some(s) = suite.take()
                            && !s.cases.is_empty()
                        {
                            run.suites.push(s);
                        }
                    }
                    "assembly" => flush_loose(&mut run, &mut loose, &assembly),
                    _ => {}
                }
            }
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                if let Some(buf) = capture(&mut pending, &trail, depth) {
                    push_text(buf, &text_piece(&ev));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    flush_loose(&mut run, &mut loose, &assembly);
    Ok(run)
}

fn push_case(suite: &mut Option<TestSuite>, loose: &mut Vec<TestCase>, case: TestCase) {
    match suite {
        Some(s) => s.cases.push(case),
        None => loose.push(case),
    }
}

fn flush_loose(run: &mut TestRun, loose: &mut Vec<TestCase>, assembly: &str) {
    if loose.is_empty() {
        return;
    }
    run.suites.push(TestSuite {
        name: if assembly.is_empty() {
            "xUnit".into()
        } else {
            assembly.to_string()
        },
        file: None,
        time: None,
        cases: std::mem::take(loose),
    });
}

fn capture<'p>(
    pending: &'p mut Option<Pending>,
    trail: &Trail,
    depth: usize,
) -> Option<&'p mut String> {
    let p = pending.as_mut()?;
    let rel = depth.checked_sub(p.depth)?;
    if trail.is(rel, &["failure", "message"]) {
        Some(&mut p.message)
    } else if trail.is(rel, &["failure", "stack-trace"]) {
        Some(&mut p.stack_trace)
    } else if trail.is(rel, &["reason"]) || trail.is(rel, &["reason", "message"]) {
        Some(&mut p.reason)
    } else {
        None
    }
}

fn start_test(e: &BytesStart<'_>, at: u64, depth: usize) -> Result<Pending, ParseError> {
    let [name, ty, method, time, result] =
        attrs(e, at, ["name", "type", "method", "time", "result"])?;
    let ty = ty.filter(|t| !t.is_empty());
    let name = name
        .filter(|n| !n.is_empty())
        .or_else(|| match (&ty, method) {
            (Some(t), Some(m)) if !m.is_empty() => Some(format!("{t}.{m}")),
            _ => None,
        })
        .ok_or_else(|| ParseError::at_byte(at, "<test> without a name attribute"))?;
    let name = match &ty {
        Some(t) => match name
            .strip_prefix(t.as_str())
            .and_then(|r| r.strip_prefix('.'))
        {
            Some(rest) if !rest.is_empty() => rest.to_string(),
            _ => name,
        },
        None => name,
    };
    let result = result.ok_or_else(|| {
        ParseError::at_byte(
            at,
            format!(
                "<test name=\"{}\"> without a result attribute; expected Pass, Fail, Skip or NotRun",
                super::xml::truncate(&name, 80)
            ),
        )
    })?;
    let time = match time {
        Some(t) => Some(seconds(&t, "time", "test", at)?),
        None => None,
    };
    Ok(Pending {
        depth,
        case: TestCase {
            name,
            classname: ty,
            time,
            ..Default::default()
        },
        result: Some(result),
        message: String::new(),
        stack_trace: String::new(),
        reason: String::new(),
    })
}

fn start_error(e: &BytesStart<'_>, at: u64, depth: usize) -> Result<Pending, ParseError> {
    let [ty, name] = attrs(e, at, ["type", "name"])?;
    let ty = ty.unwrap_or_else(|| "error".into());
    let name = match name.filter(|n| !n.is_empty()) {
        Some(n) => format!("[{ty}] {n}"),
        None => format!("[{ty}]"),
    };
    Ok(Pending {
        depth,
        case: TestCase {
            name,
            status: TestStatus::Errored,
            ..Default::default()
        },
        result: None,
        message: String::new(),
        stack_trace: String::new(),
        reason: String::new(),
    })
}

fn finish(p: Pending, at: u64, ctx: &Ctx) -> Result<TestCase, ParseError> {
    let mut case = p.case;
    if let Some(result) = &p.result {
        case.status = match result.trim().to_ascii_lowercase().as_str() {
            "pass" => TestStatus::Passed,
            "fail" => TestStatus::Failed,
            "skip" | "notrun" => TestStatus::Skipped,
            _ => {
                return Err(ParseError::at_byte(
                    at,
                    format!(
                        "<test name=\"{}\"> has result=\"{}\"; expected Pass, Fail, Skip or NotRun",
                        super::xml::truncate(&case.name, 80),
                        super::xml::truncate(result, 40)
                    ),
                ));
            }
        };
    }
    let message = if p.message.trim().is_empty() {
        p.reason
    } else {
        p.message
    };
    case.message = non_empty(message);
    case.details = non_empty(p.stack_trace);
    if let Some(d) = &case.details
        && let Some((file, line)) = stack_location(d, ctx)
    {
        case.file = Some(file);
        case.line = Some(line);
    }
    Ok(case)
}
