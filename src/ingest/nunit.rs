//! NUnit XML results: NUnit 3 (`<test-run>`, or a lone `<test-suite>` root as some runners
//! write for one assembly) and NUnit 2.x (`<test-results>`).
//!
//! Counting rules, per `<test-case>` (suites never count):
//! - NUnit 3 `result`: `Passed` → passed; `Warning` → passed (a warning does not fail the run
//!   and NUnit writes no `<failure>` for it; its text is kept as the message); `Failed` →
//!   failed, or errored when `label` is `Error` (an unexpected exception), `Cancelled` or
//!   `Invalid` (not runnable); NUnit's own summary lists these under "Failed" too, so failed +
//!   errored equals the `failed` attribute of `<test-run>`. `Skipped` (labels `Ignored`,
//!   `Explicit`) and `Inconclusive` → skipped.
//! - NUnit 2 `result`: `Success` → passed; `Failure` → failed; `Error`, `Cancelled` → errored;
//!   `Ignored`, `Skipped`, `NotRunnable` (NUnit 2 reports these as "not run") and
//!   `Inconclusive` → skipped. NUnit 2.2 files carry no `result`: `executed="False"` → skipped,
//!   `success="False"` or a `<failure>` → failed, else passed.
//! - A case without any of `result`, `executed`, `success` is an error (an `--explore` listing
//!   is not a result file); so is an unknown `result` value.
//!
//! Suites: a case belongs to the innermost enclosing `<test-suite>` that is not a group of
//! rows of one method (`ParameterizedMethod`, `ParameterizedTest`, `Theory`, `GenericMethod`),
//! i.e. its fixture (one suite per instance of a parameterized or generic fixture). The suite
//! is named by `fullname` (NUnit 3), else by the enclosing `Namespace` suites joined with the
//! fixture's `name` (NUnit 2). NUnit 2 case names are fully qualified; the fixture's name is
//! cut off the front and kept as the class name.
//!
//! Times are `duration` (NUnit 3) or `time` (NUnit 2) in seconds; a decimal comma, as some
//! localized runners write, is read as a point. Entities declared in a DTD are never expanded
//! (a reference to one is an error), and control characters that XML forbids (NUL...) are an
//! error, as any conforming XML parser reports them.

use super::xml::{Placed, XmlReader, check_chars, push_text, text_piece};
use super::{Ctx, Head, ParseError};
use crate::model::{TestCase, TestRun, TestStatus, TestSuite};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<test-run>` (NUnit 3), `<test-results>` (NUnit 2) or a lone `<test-suite>` root.
pub fn detect(head: &Head) -> bool {
    matches!(
        head.xml_root(),
        Some(b"test-run" | b"test-results" | b"test-suite")
    )
}

/// One open `<test-suite>`.
struct Frame {
    /// Full name, as the suite is reported.
    name: String,
    /// Namespace prefix its NUnit 2 children inherit.
    ns: String,
    /// Groups the rows of one method: its cases go to the enclosing fixture.
    method_group: bool,
    time: Option<f64>,
    cases: Vec<TestCase>,
}

/// The case being read: attributes plus the text of its children.
struct Pending {
    depth: usize,
    case: TestCase,
    result: Option<String>,
    label: Option<String>,
    executed: Option<String>,
    success: Option<String>,
    has_failure: bool,
    failure_message: String,
    stack_trace: String,
    reason: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Capture {
    FailureMessage,
    StackTrace,
    Reason,
}

/// Parses an NUnit 2 or 3 report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<TestRun, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut run = TestRun::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut loose = Frame {
        name: String::new(),
        ns: String::new(),
        method_group: false,
        time: None,
        cases: Vec::new(),
    };
    let mut pending: Option<Pending> = None;
    let mut trail = Trail::default();
    let mut saw_root = false;
    loop {
        let Placed { at, depth, ev, .. } = xr.next_placed()?;
        let is_start = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                saw_root = true;
                let root = e.local_name().as_ref().to_string();
                match root.as_str() {
                    "test-run" | "test-results" => {
                        let [name] = attrs(&e, at, ["name"])?;
                        loose.name = name.unwrap_or_default();
                    }
                    "test-suite" => {
                        if is_start {
                            frames.push(start_suite(&e, at, None)?);
                        }
                    }
                    _ => {
                        return Err(ParseError::at_byte(
                            at,
                            format!(
                                "expected a <test-run> (NUnit 3), <test-results> (NUnit 2) or \
                                 <test-suite> root element, found <{root}>"
                            ),
                        ));
                    }
                }
            }
            Event::Start(e) => {
                if let Some(p) = pending.as_mut() {
                    let rel = depth.saturating_sub(p.depth);
                    let name = match e.local_name().as_ref() {
                        "failure" if rel == 1 => {
                            p.has_failure = true;
                            "failure"
                        }
                        "reason" if rel == 1 => "reason",
                        "message" => "message",
                        "stack-trace" => "stack-trace",
                        _ => "",
                    };
                    trail.enter(rel, name);
                    continue;
                }
                match e.local_name().as_ref() {
                    "test-suite" => {
                        let frame = start_suite(&e, at, frames.last())?;
                        frames.push(frame);
                    }
                    "test-case" => {
                        let target = target_frame(&mut frames, &mut loose);
                        pending = Some(start_case(&e, at, depth, target)?);
                        trail = Trail::default();
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if let Some(p) = pending.as_mut() {
                    if e.local_name().as_ref() == "failure" && depth == p.depth {
                        p.has_failure = true;
                    }
                    continue;
                }
                if e.local_name().as_ref() == "test-case" {
                    let target = target_frame(&mut frames, &mut loose);
                    let p = start_case(&e, at, depth + 1, target)?;
                    let case = finish_case(p, at, ctx)?;
                    target_frame(&mut frames, &mut loose).cases.push(case);
                }
            }
            Event::End(e) => {
                if let Some(p) = pending.take() {
                    if depth + 1 == p.depth {
                        let case = finish_case(p, at, ctx)?;
                        target_frame(&mut frames, &mut loose).cases.push(case);
                    } else {
                        pending = Some(p);
                    }
                    continue;
                }
                if e.local_name().as_ref() == "test-suite"
                    && let Some(f) = frames.pop()
                    && !f.cases.is_empty()
                {
                    run.suites.push(TestSuite {
                        name: f.name,
                        file: None,
                        time: f.time,
                        cases: f.cases,
                    });
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
    if !loose.cases.is_empty() {
        if loose.name.is_empty() {
            loose.name = "NUnit".into();
        }
        run.suites.push(TestSuite {
            name: loose.name,
            file: None,
            time: None,
            cases: loose.cases,
        });
    }
    Ok(run)
}

/// The suite a case read now belongs to.
fn target_frame<'f>(frames: &'f mut [Frame], loose: &'f mut Frame) -> &'f mut Frame {
    let i = frames
        .iter()
        .rposition(|f| !f.method_group)
        .or(frames.len().checked_sub(1));
    match i.and_then(|i| frames.get_mut(i)) {
        Some(f) => f,
        None => loose,
    }
}

fn capture<'p>(
    pending: &'p mut Option<Pending>,
    trail: &Trail,
    depth: usize,
) -> Option<&'p mut String> {
    let p = pending.as_mut()?;
    let rel = depth.checked_sub(p.depth)?;
    let which = if trail.is(rel, &["failure", "message"]) {
        Capture::FailureMessage
    } else if trail.is(rel, &["failure", "stack-trace"]) {
        Capture::StackTrace
    } else if trail.is(rel, &["reason", "message"]) {
        Capture::Reason
    } else {
        return None;
    };
    Some(match which {
        Capture::FailureMessage => &mut p.failure_message,
        Capture::StackTrace => &mut p.stack_trace,
        Capture::Reason => &mut p.reason,
    })
}

fn start_suite(e: &BytesStart<'_>, at: u64, parent: Option<&Frame>) -> Result<Frame, ParseError> {
    let [kind, name, fullname, classname, duration, time] = attrs(
        e,
        at,
        ["type", "name", "fullname", "classname", "duration", "time"],
    )?;
    let kind = kind.unwrap_or_default();
    let name = name.unwrap_or_default();
    let parent_ns = parent.map(|p| p.ns.as_str()).unwrap_or("");
    let qualified = if parent_ns.is_empty() {
        name.clone()
    } else {
        format!("{parent_ns}.{name}")
    };
    let ns = if kind == "Namespace" {
        qualified.clone()
    } else {
        parent_ns.to_string()
    };
    let time = match (duration, time) {
        (Some(d), _) => Some(seconds(&d, "duration", "test-suite", at)?),
        // NUnit 2 writes seconds; a clock time there is not a duration.
        (None, Some(t)) => seconds(&t, "time", "test-suite", at).ok(),
        (None, None) => None,
    };
    Ok(Frame {
        name: fullname
            .filter(|s| !s.is_empty())
            .or(classname.filter(|s| !s.is_empty()))
            .unwrap_or(qualified),
        ns,
        method_group: matches!(
            kind.as_str(),
            "ParameterizedMethod" | "ParameterizedTest" | "Theory" | "GenericMethod"
        ),
        time,
        cases: Vec::new(),
    })
}

fn start_case(
    e: &BytesStart<'_>,
    at: u64,
    depth: usize,
    suite: &Frame,
) -> Result<Pending, ParseError> {
    let [
        name,
        fullname,
        classname,
        result,
        label,
        executed,
        success,
        duration,
        time,
    ] = attrs(
        e,
        at,
        [
            "name",
            "fullname",
            "classname",
            "result",
            "label",
            "executed",
            "success",
            "duration",
            "time",
        ],
    )?;
    let name = name
        .filter(|n| !n.is_empty())
        .or(fullname)
        .ok_or_else(|| ParseError::at_byte(at, "<test-case> without a name attribute"))?;
    if result.is_none() && executed.is_none() && success.is_none() {
        return Err(ParseError::at_byte(
            at,
            format!(
                "<test-case name=\"{}\"> has no result, executed or success attribute; expected a \
                 test result file (not an --explore listing)",
                super::xml::truncate(&name, 80)
            ),
        ));
    }
    let time = match (duration, time) {
        (Some(d), _) => Some(seconds(&d, "duration", "test-case", at)?),
        (None, Some(t)) => Some(seconds(&t, "time", "test-case", at)?),
        (None, None) => None,
    };
    let (classname, name) = match classname {
        Some(c) => (Some(c).filter(|c| !c.is_empty()), name),
        None => match name
            .strip_prefix(suite.name.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
        {
            Some(rest) if !suite.name.is_empty() && !rest.is_empty() => {
                (Some(suite.name.clone()), rest.to_string())
            }
            _ => (None, name),
        },
    };
    Ok(Pending {
        depth,
        case: TestCase {
            name,
            classname,
            time,
            ..Default::default()
        },
        result,
        label,
        executed,
        success,
        has_failure: false,
        failure_message: String::new(),
        stack_trace: String::new(),
        reason: String::new(),
    })
}

fn finish_case(p: Pending, at: u64, ctx: &Ctx) -> Result<TestCase, ParseError> {
    let mut case = p.case;
    let is =
        |v: &Option<String>, want: &str| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(want));
    let result = p.result.as_deref().map(str::trim);
    case.status = match result.map(str::to_ascii_lowercase).as_deref() {
        Some("passed" | "success" | "warning") => TestStatus::Passed,
        Some("failed" | "failure") => {
            if ["error", "cancelled", "invalid"]
                .iter()
                .any(|l| is(&p.label, l))
            {
                TestStatus::Errored
            } else {
                TestStatus::Failed
            }
        }
        Some("error" | "cancelled") => TestStatus::Errored,
        Some("skipped" | "ignored" | "explicit" | "notrunnable" | "inconclusive") => {
            TestStatus::Skipped
        }
        Some(_) => {
            let other = result.unwrap_or("");
            return Err(ParseError::at_byte(
                at,
                format!(
                    "<test-case name=\"{}\"> has result=\"{}\"; expected Passed, Failed, Skipped, \
                     Inconclusive or Warning (NUnit 3), or Success, Failure, Error, Ignored, \
                     NotRunnable, Inconclusive (NUnit 2)",
                    super::xml::truncate(&case.name, 80),
                    super::xml::truncate(other, 40)
                ),
            ));
        }
        None => {
            if is(&p.executed, "false") {
                TestStatus::Skipped
            } else if is(&p.success, "false") || p.has_failure {
                TestStatus::Failed
            } else {
                TestStatus::Passed
            }
        }
    };
    let message = if p.has_failure {
        p.failure_message
    } else {
        p.reason
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

// ---- helpers shared with xunit.rs and trx.rs ----

/// Names of the elements on the way from a base element (a test case) down to the current
/// one, kept for the first few levels only, so that text is captured by its path
/// (`failure/message`) without keeping a stack that grows with the document's nesting.
#[derive(Default)]
pub(super) struct Trail {
    names: [&'static str; 4],
}

impl Trail {
    /// Records that an element called `name` opened `rel` levels below the base.
    pub(super) fn enter(&mut self, rel: usize, name: &'static str) {
        if let Some(slot) = rel.checked_sub(1).and_then(|i| self.names.get_mut(i)) {
            *slot = name;
        }
    }

    /// Whether text at `rel` levels below the base sits at exactly `path`.
    pub(super) fn is(&self, rel: usize, path: &[&str]) -> bool {
        rel == path.len() && self.names.get(..rel).is_some_and(|n| n == path)
    }
}

/// The values of the attributes called `names` (local names), read in one pass that also
/// rejects malformed attributes (unquoted values, a quote inside a value, duplicates).
pub(super) fn attrs<const N: usize>(
    e: &BytesStart<'_>,
    at: u64,
    names: [&str; N],
) -> Result<[Option<String>; N], ParseError> {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    for a in e.attributes() {
        let a = a.map_err(|err| {
            ParseError::at_byte(
                at,
                format!(
                    "malformed attribute in <{}>: {err}; expected name=\"value\" pairs",
                    e.name().as_ref()
                ),
            )
        })?;
        let key = a.key.local_name();
        if let Some(i) = names.iter().position(|n| *n == key.as_ref()) {
            // As in text, an entity from a DTD is never expanded: its value is unknown.
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| {
                    ParseError::at_byte(
                        at,
                        format!(
                            "attribute {} of <{}>: {err}; expected only &lt; &gt; &amp; &quot; \
                             &apos; or character references",
                            key.as_ref(),
                            e.name().as_ref()
                        ),
                    )
                })?
                .into_owned();
            check_chars(&v, at)?;
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(v);
            }
        }
    }
    Ok(out)
}

/// Seconds written as a decimal number. Localized runners write a decimal comma: of `,` and
/// `.` the last one is the decimal separator (`0,125`, `1.234,5`, `1,234.5`).
pub(super) fn seconds(v: &str, attr: &str, elem: &str, at: u64) -> Result<f64, ParseError> {
    let t = v.trim();
    let normalized: String = match (t.rfind(','), t.rfind('.')) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replacen(',', ".", 1),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) if t.matches(',').count() == 1 => t.replacen(',', ".", 1),
        _ => t.to_string(),
    };
    match normalized.parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
        _ => Err(ParseError::at_byte(
            at,
            format!(
                "attribute {attr}=\"{}\" on <{elem}>: expected a number of seconds",
                super::xml::truncate(t, 40)
            ),
        )),
    }
}

/// The text trimmed, or `None` when nothing is left.
pub(super) fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}

/// The first frame of a .NET stack trace (`at X() in C:\src\Foo.cs:line 42`, or Mono's
/// `in /src/Foo.cs:42`) whose file exists in the repository, as a repository path and line.
pub(super) fn stack_location(stack: &str, ctx: &Ctx) -> Option<(String, u32)> {
    stack
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.rsplit_once(" in ")?;
            let rest = rest.trim_end();
            let (path, line) = match rest.rsplit_once(":line ") {
                Some(pl) => pl,
                None => rest.rsplit_once(':')?,
            };
            let line: u32 = line.trim().parse().ok()?;
            (line > 0 && !path.is_empty()).then_some((path, line))
        })
        .take(8)
        .find_map(|(path, line)| {
            let rel = ctx.paths.resolve(path, &[]);
            ctx.paths.exists(&rel).then_some((rel, line))
        })
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn localized_seconds() {
        let s = |v: &str| seconds(v, "time", "test", 0).ok();
        assert_eq!(s("0.125"), Some(0.125));
        assert_eq!(s("0,125"), Some(0.125));
        assert_eq!(s("1.234,5"), Some(1234.5));
        assert_eq!(s("1,234.5"), Some(1234.5));
        assert_eq!(s(" 2 "), Some(2.0));
        assert_eq!(s("1,2,3"), None);
        assert_eq!(s("-1"), None);
        assert_eq!(s("NaN"), None);
        assert_eq!(s("soon"), None);
    }
}
