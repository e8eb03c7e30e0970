//! JUnit XML in its dialects: pytest (xunit1/xunit2), jest-junit, vitest, Surefire/Failsafe,
//! Gradle, cargo-nextest, go-junit-report/gotestsum, PHPUnit, mocha-junit-reporter, Bazel,
//! Catch2, googletest, CUnit, tst, scalatest and hand-rolled writers.
//!
//! How cases are counted:
//! - Every `<testcase>` element is one case. The suites' `tests`/`failures`/`errors`/`skipped`
//!   attributes are not trusted for counts: pytest counts subtests in `tests`, jest-junit leaves
//!   todo tests out of it, and hand-edited files disagree with their own content. A case
//!   without a `name` is still a case, with an empty name. What a writer leaves out cannot be counted:
//!   nextest omits `#[ignore]` tests, and pytest 9 subtests live inside their parent's case
//!   (one `<failure>` per failed subtest plus the parent's "contains N failed subtests"), so
//!   they are one case where pytest prints each failed subtest as a failure of its own.
//! - The status comes from the case's direct children; when there are several the worst wins:
//!   `<error>` (errored: broke outside its assertions) over `<failure>` (failed) over
//!   `<skipped>` (skipped) over none (passed). pytest's xfail (`<skipped
//!   type="pytest.xfail">`) is therefore skipped and a non-strict xpass, written without a
//!   child, passed; a test whose teardown errored after it failed is errored.
//! - A `status` attribute that says the test did not run (`disabled`, `skipped`, `ignored`,
//!   `notrun`, `pending`; tst, googletest, Catch2 and CUnit write these) makes it skipped even
//!   when a stale `<failure>` child is present: a disabled test cannot have failed. googletest's
//!   `result="skipped"|"suppressed"` means the same. `status="failed"|"errored"` only counts
//!   when the case has no result child; `status="todo"` is todo.
//! - Reruns (Surefire, Gradle, nextest): `<flakyFailure>`/`<flakyError>` are failed attempts
//!   before a final pass, so such a case is passed and flaky; `<rerunFailure>`/`<rerunError>`
//!   are failed reruns after a failed first attempt, so the case stays failed (errored). Each
//!   of these elements is one retry. A case with only rerun elements is failed (errored).
//!   A flaky case keeps its first failed attempt's message and trace.
//! - Repeated `<testcase>` elements with the same name (gotestsum `--rerun-fails`,
//!   web-test-runner) are not merged: each is one case, as written.
//! - vitest writes `test.todo` tests as `<skipped/>`, like skipped ones: they are skipped.
//! - jest-junit writes `test.todo` tests as bare passing cases with `time="0"` and leaves them
//!   out of its suite's `tests` attribute, so in a suite (without child suites) that has k
//!   more cases than its `tests` says, k cases are todo. They are among the bare cases (no
//!   child, no status attribute) whose `time` is written exactly `0` (pytest and Go write
//!   `0.000`), but a passing test that took under 1 ms looks the same; the last k such cases
//!   are taken as todo. The todo and passed counts then equal the ones Jest prints; which
//!   case is todo can be wrong when a sub-millisecond test follows a todo one. With fewer
//!   candidates than k nothing is changed.
//! - Nested `<testsuite>`s are flattened: each case belongs to its innermost suite, named by
//!   the suite names from the outermost down joined with ` › ` (empty names left out).
//!   `<testsuites>` is only a container (nesting allowed) and its name is not part of suite
//!   names; cases directly inside one go to a suite named after it. A suite with no case of
//!   its own is not kept (PHPUnit and nested wrappers, mocha's empty root suite, empty suites).
//!   A suite that has both its own cases and child suites gets no time, because its `time`
//!   includes the children's and would be counted twice; its own cases' times add up instead.
//! - `time` is in seconds. Locale-formatted values are read: of `,` and `.` the last one is
//!   the decimal separator when both occur (`1,234.5`, `1.234,5`), a lone `,` is a decimal
//!   comma (`0,5`), a repeated one groups thousands; `12s` and `12ms` are read too. A value
//!   that is no number at all (`<<computed>>`, `NaN`, negative) is taken as absent, because
//!   timing is informational and must not reject an otherwise sound report.
//! - Message: the result element's `message` attribute, else the first line of its text
//!   (PHPUnit's leading `Class::method` line skipped), else its `type`. Details: the
//!   element's text (CDATA included), trimmed and bounded. `<system-out>`, `<system-err>`
//!   and `<properties>` are skipped.
//! - File and line: the case's `file` and `line` attributes, else the nearest enclosing
//!   suite's `file`; never guessed from the class name.
//! - Errors: a root other than `<testsuites>`/`<testsuite>`, a second root element
//!   (concatenated reports), a `<testcase>` inside a `<testcase>`, and everything malformed or
//!   truncated that the XML reader rejects.

use super::xml::{Placed, XmlReader, attr, push_text, text_piece};
use super::{Ctx, Head, ParseError};
use crate::model::{TestCase, TestRun, TestStatus, TestSuite};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<testsuites>` or `<testsuite>` root.
pub fn detect(head: &Head) -> bool {
    matches!(head.xml_root(), Some(b"testsuites" | b"testsuite"))
}

/// Separator between the names of nested suites.
const SUITE_SEP: &str = " › ";

/// Result elements a `<testcase>` can hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Failure,
    Error,
    Skipped,
    FlakyFailure,
    FlakyError,
    RerunFailure,
    RerunError,
}

const KINDS: usize = 7;

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "failure" => Kind::Failure,
            "error" => Kind::Error,
            "skipped" => Kind::Skipped,
            "flakyFailure" => Kind::FlakyFailure,
            "flakyError" => Kind::FlakyError,
            "rerunFailure" => Kind::RerunFailure,
            "rerunError" => Kind::RerunError,
            _ => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a `status` (or googletest `result`) attribute says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusAttr {
    NotRun,
    Failed,
    Errored,
    Todo,
}

fn status_attr(status: Option<&str>, result: Option<&str>) -> Option<StatusAttr> {
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    if let Some(r) = result.map(norm)
        && matches!(r.as_str(), "skipped" | "suppressed")
    {
        return Some(StatusAttr::NotRun);
    }
    match status.map(norm).as_deref() {
        Some(
            "disabled" | "skipped" | "skip" | "ignored" | "notrun" | "not_run" | "not run"
            | "pending",
        ) => Some(StatusAttr::NotRun),
        Some("failed" | "failure" | "fail") => Some(StatusAttr::Failed),
        Some("errored" | "error") => Some(StatusAttr::Errored),
        Some("todo") => Some(StatusAttr::Todo),
        _ => None,
    }
}

/// The first result element of one kind: its attributes and text.
#[derive(Default)]
struct Res {
    message: Option<String>,
    kind_type: Option<String>,
    text: String,
}

impl Res {
    /// `(message, details)`; `case_name` spots PHPUnit's `Class::method` first line.
    fn into_parts(self, case_name: &str) -> (Option<String>, Option<String>) {
        let text = self.text.trim();
        let details = (!text.is_empty()).then(|| text.to_string());
        let message = self
            .message
            .filter(|m| !m.trim().is_empty())
            .or_else(|| first_line(text, case_name))
            .or(self.kind_type.filter(|t| !t.trim().is_empty()));
        (message, details)
    }
}

/// The first non-empty line of a result's text. PHPUnit starts the text with the test's id
/// (`Class::method`), which says nothing about the failure, so the line after it is taken.
fn first_line(text: &str, case_name: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let is_id = !case_name.is_empty()
        && first
            .strip_suffix(case_name)
            .is_some_and(|rest| rest.ends_with("::"));
    if is_id {
        lines.next().map(str::to_string)
    } else {
        Some(first.to_string())
    }
}

struct OpenCase {
    /// Reader depth inside the `<testcase>`; its direct children start at this depth.
    depth: usize,
    case: TestCase,
    status_attr: Option<StatusAttr>,
    first: [Option<Res>; KINDS],
    count: [u32; KINDS],
    /// The result element whose text is being collected, and the depth inside it.
    collecting: Option<(Kind, usize)>,
    /// Inside a result element that is not the first of its kind (its text is not kept).
    ignoring: Option<usize>,
    /// The `time` attribute is literally `0`.
    zero_time: bool,
}

impl OpenCase {
    fn start_result(
        &mut self,
        kind: Kind,
        e: &BytesStart<'_>,
        at: u64,
    ) -> Result<bool, ParseError> {
        let i = kind.index();
        self.count[i] = self.count[i].saturating_add(1);
        if self.first[i].is_some() {
            return Ok(false);
        }
        let mut message = None;
        if let Some(m) = attr(e, "message", at)? {
            let mut s = String::new();
            push_text(&mut s, &m);
            message = Some(s);
        }
        let kind_type = attr(e, "type", at)?.map(|t| {
            let mut s = String::new();
            push_text(&mut s, &t);
            s
        });
        self.first[i] = Some(Res {
            message,
            kind_type,
            text: String::new(),
        });
        Ok(true)
    }

    fn push(&mut self, piece: &str) {
        if let Some((kind, _)) = self.collecting
            && let Some(r) = self.first[kind.index()].as_mut()
        {
            push_text(&mut r.text, piece);
        }
    }

    /// The case with its final status, and whether it could be a jest-junit todo (no result,
    /// no status, `time="0"`).
    fn finish(mut self) -> (TestCase, bool) {
        let has = |k: Kind| self.count[k.index()] > 0;
        let retries = [
            Kind::FlakyFailure,
            Kind::FlakyError,
            Kind::RerunFailure,
            Kind::RerunError,
        ]
        .iter()
        .fold(0u32, |n, k| n.saturating_add(self.count[k.index()]));
        let any_result = self.count.iter().any(|c| *c > 0);
        let (status, from) = if self.status_attr == Some(StatusAttr::NotRun) {
            (TestStatus::Skipped, Some(Kind::Skipped))
        } else if has(Kind::Error) {
            (TestStatus::Errored, Some(Kind::Error))
        } else if has(Kind::Failure) {
            (TestStatus::Failed, Some(Kind::Failure))
        } else if has(Kind::Skipped) {
            (TestStatus::Skipped, Some(Kind::Skipped))
        } else if has(Kind::RerunError) {
            (TestStatus::Errored, Some(Kind::RerunError))
        } else if has(Kind::RerunFailure) {
            (TestStatus::Failed, Some(Kind::RerunFailure))
        } else if has(Kind::FlakyFailure) {
            (TestStatus::Passed, Some(Kind::FlakyFailure))
        } else if has(Kind::FlakyError) {
            (TestStatus::Passed, Some(Kind::FlakyError))
        } else {
            match self.status_attr {
                Some(StatusAttr::Failed) => (TestStatus::Failed, None),
                Some(StatusAttr::Errored) => (TestStatus::Errored, None),
                Some(StatusAttr::Todo) => (TestStatus::Todo, None),
                _ => (TestStatus::Passed, None),
            }
        };
        if let Some(res) = from.and_then(|k| self.first[k.index()].take()) {
            let (message, details) = res.into_parts(&self.case.name);
            self.case.message = message;
            self.case.details = details;
        }
        self.case.status = status;
        self.case.retries = retries;
        let bare = !any_result && self.status_attr.is_none() && self.zero_time;
        (self.case, bare)
    }
}

/// An open `<testsuite>` (or `<testsuites>` container).
struct Frame {
    is_suite: bool,
    /// Full name (joined with the enclosing suites' names).
    name: String,
    /// Own name only, for joining.
    own_name: String,
    file: Option<String>,
    time: Option<f64>,
    tests: Option<u64>,
    /// A suite nested in this one kept cases of its own.
    has_child_suites: bool,
    slot: usize,
    cases: Vec<TestCase>,
    bare: Vec<bool>,
}

struct Parser<'c, 'p> {
    ctx: &'c Ctx<'p>,
    frames: Vec<Frame>,
    slots: Vec<Option<TestSuite>>,
    case: Option<OpenCase>,
}

/// Parses a JUnit XML report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<TestRun, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut p = Parser {
        ctx,
        frames: Vec::new(),
        slots: Vec::new(),
        case: None,
    };
    let mut saw_root = false;
    loop {
        let mut skip = false;
        let Placed {
            at,
            before: depth_before,
            ev,
            ..
        } = xr.next_placed()?;
        match ev {
            Event::Start(e) if !saw_root => {
                saw_root = true;
                let is_suite = root_is_suite(&e, at)?;
                p.open(&e, at, is_suite)?;
            }
            // A childless root (`<testsuites/>`) holds no case.
            Event::Empty(e) if !saw_root => {
                saw_root = true;
                root_is_suite(&e, at)?;
            }
            Event::Start(e) | Event::Empty(e) if depth_before == 0 => {
                return Err(ParseError::at_byte(
                    at,
                    format!(
                        "a second root element <{}> after the first one closed; expected one XML document (were reports concatenated?)",
                        e.local_name().as_ref()
                    ),
                ));
            }
            Event::Start(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if let Some(c) = p.case.as_mut() {
                    if c.collecting.is_some() || c.ignoring.is_some() {
                        if name == "system-out" || name == "system-err" {
                            skip = true;
                        }
                    } else if depth_before == c.depth {
                        if let Some(kind) = Kind::from_name(name) {
                            if c.start_result(kind, &e, at)? {
                                c.collecting = Some((kind, depth_before + 1));
                            } else {
                                c.ignoring = Some(depth_before + 1);
                            }
                        } else if name == "testcase" {
                            return Err(nested_case(at));
                        } else {
                            skip = true;
                        }
                    } else {
                        skip = true;
                    }
                } else {
                    match name {
                        "testsuite" => p.open(&e, at, true)?,
                        "testsuites" => p.open(&e, at, false)?,
                        "testcase" => p.case = Some(p.start_case(&e, at, depth_before + 1)?),
                        // Output, properties and unknown elements carry nothing counted.
                        _ => skip = true,
                    }
                }
            }
            Event::Empty(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if let Some(c) = p.case.as_mut() {
                    if c.collecting.is_none() && c.ignoring.is_none() && depth_before == c.depth {
                        if let Some(kind) = Kind::from_name(name) {
                            c.start_result(kind, &e, at)?;
                        } else if name == "testcase" {
                            return Err(nested_case(at));
                        }
                    }
                } else if name == "testcase" {
                    let c = p.start_case(&e, at, depth_before + 1)?;
                    p.finish_case(c);
                }
            }
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                if let Some(c) = p.case.as_mut()
                    && c.collecting.is_some()
                {
                    c.push(&text_piece(&ev));
                }
            }
            Event::End(_) => {
                // depth_before is the depth inside the element that just closed.
                if let Some(c) = p.case.as_mut() {
                    if c.collecting.is_some_and(|(_, d)| d == depth_before) {
                        c.collecting = None;
                    } else if c.ignoring == Some(depth_before) {
                        c.ignoring = None;
                    } else if depth_before == c.depth
                        && let Some(c) = p.case.take()
                    {
                        p.finish_case(c);
                    }
                } else if p.frames.len() == depth_before && depth_before > 0 {
                    p.close();
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if skip {
            xr.skip_element()?;
        }
    }
    Ok(TestRun {
        suites: p.slots.into_iter().flatten().collect(),
    })
}

fn nested_case(at: u64) -> ParseError {
    ParseError::at_byte(
        at,
        "a <testcase> inside a <testcase>; expected result elements (<failure>, <error>, <skipped>) only",
    )
}

fn root_is_suite(e: &BytesStart<'_>, at: u64) -> Result<bool, ParseError> {
    match e.local_name().as_ref() {
        "testsuite" => Ok(true),
        "testsuites" => Ok(false),
        other => Err(ParseError::at_byte(
            at,
            format!("expected a <testsuites> or <testsuite> root element, found <{other}>"),
        )),
    }
}

impl Parser<'_, '_> {
    fn open(&mut self, e: &BytesStart<'_>, at: u64, is_suite: bool) -> Result<(), ParseError> {
        let own_name = attr(e, "name", at)?
            .map(|n| n.trim().to_string())
            .unwrap_or_default();
        let name = if is_suite {
            let mut parts: Vec<&str> = self
                .frames
                .iter()
                .filter(|f| f.is_suite && !f.own_name.is_empty())
                .map(|f| f.own_name.as_str())
                .collect();
            if !own_name.is_empty() {
                parts.push(&own_name);
            }
            parts.join(SUITE_SEP)
        } else {
            own_name.clone()
        };
        let file = match attr(e, "file", at)? {
            Some(f) if !f.trim().is_empty() => Some(self.ctx.paths.resolve(&f, &[])),
            _ => None,
        };
        let time = attr(e, "time", at)?.and_then(|t| parse_time(&t));
        let tests = attr(e, "tests", at)?.and_then(|t| t.trim().parse::<u64>().ok());
        self.slots.push(None);
        self.frames.push(Frame {
            is_suite,
            name,
            own_name,
            file,
            time,
            tests,
            has_child_suites: false,
            slot: self.slots.len() - 1,
            cases: Vec::new(),
            bare: Vec::new(),
        });
        Ok(())
    }

    fn close(&mut self) {
        let Some(mut f) = self.frames.pop() else {
            return;
        };
        if f.cases.is_empty() {
            return;
        }
        // The enclosing suite's time and `tests` now cover cases kept elsewhere.
        if f.is_suite
            && let Some(parent) = self.frames.iter_mut().rev().find(|p| p.is_suite)
        {
            parent.has_child_suites = true;
        }
        if f.is_suite && !f.has_child_suites {
            mark_jest_todos(&mut f);
        }
        let time = if f.is_suite && !f.has_child_suites {
            f.time
        } else {
            None
        };
        if let Some(slot) = self.slots.get_mut(f.slot) {
            *slot = Some(TestSuite {
                name: f.name,
                file: f.file,
                time,
                cases: f.cases,
            });
        }
    }

    fn start_case(
        &mut self,
        e: &BytesStart<'_>,
        at: u64,
        depth: usize,
    ) -> Result<OpenCase, ParseError> {
        let name = attr(e, "name", at)?
            .map(|n| n.into_owned())
            .unwrap_or_default();
        let classname = match attr(e, "classname", at)? {
            Some(c) => Some(c.into_owned()),
            None => attr(e, "class", at)?.map(|c| c.into_owned()),
        }
        .filter(|c| !c.is_empty());
        let file = match attr(e, "file", at)? {
            Some(f) if !f.trim().is_empty() => Some(self.ctx.paths.resolve(&f, &[])),
            _ => self
                .frames
                .iter()
                .rev()
                .filter(|f| f.is_suite)
                .find_map(|f| f.file.clone()),
        };
        let line = attr(e, "line", at)?
            .and_then(|l| l.trim().parse::<u32>().ok())
            .filter(|l| *l > 0);
        let time_attr = attr(e, "time", at)?;
        // jest-junit writes the duration of a test that never ran as exactly `0`.
        let zero_time = time_attr.as_deref().is_some_and(|t| t.trim() == "0");
        let time = time_attr.and_then(|t| parse_time(&t));
        let status = attr(e, "status", at)?;
        let result = attr(e, "result", at)?;
        Ok(OpenCase {
            depth,
            case: TestCase {
                name,
                classname,
                file,
                line,
                time,
                ..TestCase::default()
            },
            status_attr: status_attr(status.as_deref(), result.as_deref()),
            first: Default::default(),
            count: [0; KINDS],
            collecting: None,
            ignoring: None,
            zero_time,
        })
    }

    fn finish_case(&mut self, c: OpenCase) {
        let (case, bare) = c.finish();
        if self.frames.is_empty() {
            // Unreachable for a well-formed root; keep the case rather than drop it.
            self.slots.push(None);
            self.frames.push(Frame {
                is_suite: false,
                name: String::new(),
                own_name: String::new(),
                file: None,
                time: None,
                tests: None,
                has_child_suites: false,
                slot: self.slots.len() - 1,
                cases: Vec::new(),
                bare: Vec::new(),
            });
        }
        if let Some(f) = self.frames.last_mut() {
            f.cases.push(case);
            f.bare.push(bare);
        }
    }
}

/// jest-junit's todo tests: see the module doc.
fn mark_jest_todos(f: &mut Frame) {
    let Some(tests) = f.tests else { return };
    let n = f.cases.len() as u64;
    if n <= tests {
        return;
    }
    let todo = usize::try_from(n - tests).unwrap_or(usize::MAX);
    let candidates: Vec<usize> = f
        .bare
        .iter()
        .enumerate()
        .filter(|(_, bare)| **bare)
        .map(|(i, _)| i)
        .collect();
    // Fewer candidates than missing cases: the gap has another cause; leave the cases alone.
    if candidates.len() < todo {
        return;
    }
    for &i in &candidates[candidates.len() - todo..] {
        if let Some(c) = f.cases.get_mut(i) {
            c.status = TestStatus::Todo;
        }
    }
}

/// Seconds from a `time` attribute; `None` when it is not a number.
fn parse_time(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let (num, scale) = if let Some(x) = s.strip_suffix("ms") {
        (x, 0.001)
    } else if let Some(x) = ["seconds", "secs", "sec", "s"]
        .iter()
        .find_map(|u| s.strip_suffix(u))
    {
        (x, 1.0)
    } else {
        (s, 1.0)
    };
    let num = num.trim();
    let commas = num.matches(',').count();
    let dots = num.matches('.').count();
    let normalized: String = if commas > 0 && dots > 0 {
        // Whichever separator comes last is the decimal one; the other groups thousands.
        let last_comma = num.rfind(',').unwrap_or(0);
        let last_dot = num.rfind('.').unwrap_or(0);
        if last_comma > last_dot {
            num.replace('.', "").replace(',', ".")
        } else {
            num.replace(',', "")
        }
    } else if commas > 1 {
        num.replace(',', "")
    } else if commas == 1 {
        num.replace(',', ".")
    } else if dots > 1 {
        num.replace('.', "")
    } else {
        num.to_string()
    };
    if normalized.is_empty()
        || !normalized
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    let v: f64 = normalized.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_forms() {
        assert_eq!(parse_time("1.5"), Some(1.5));
        assert_eq!(parse_time(" 0.010 "), Some(0.01));
        assert_eq!(parse_time("1,234.5"), Some(1234.5));
        assert_eq!(parse_time("1.234,5"), Some(1234.5));
        assert_eq!(parse_time("0,5"), Some(0.5));
        assert_eq!(parse_time("1,234,567"), Some(1234567.0));
        assert_eq!(parse_time("12s"), Some(12.0));
        assert_eq!(parse_time("250ms"), Some(0.25));
        assert_eq!(parse_time("3 sec"), Some(3.0));
        assert_eq!(parse_time("<<computed>>"), None);
        assert_eq!(parse_time("NaN"), None);
        assert_eq!(parse_time("inf"), None);
        assert_eq!(parse_time("-1"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn status_attributes() {
        assert!(status_attr(Some("disabled"), None) == Some(StatusAttr::NotRun));
        assert!(status_attr(Some("run"), Some("suppressed")) == Some(StatusAttr::NotRun));
        assert!(status_attr(Some("run"), Some("completed")).is_none());
        assert!(status_attr(Some("Failed"), None) == Some(StatusAttr::Failed));
        assert!(status_attr(Some("passed"), None).is_none());
    }
}
