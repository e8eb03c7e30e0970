//! Visual Studio TRX (`<TestRun>`), as `dotnet test --logger trx`, vstest and MSTest write it.
//!
//! Counting rules, per result element under `<Results>` (`UnitTestResult`, and the other
//! `*TestResult` kinds old MSTest wrote), by its `outcome`:
//! - `Passed`, `PassedButRunAborted` (the test itself passed), `Warning`, `Completed` → passed;
//! - `Failed` → failed;
//! - `Error`, `Timeout`, `Aborted`, `NotRunnable` (the test could not be run), `Disconnected`,
//!   `InProgress` (the run ended while it ran) and a missing outcome → errored: the test did not
//!   finish with a verdict, which a gate must not read as a skip;
//! - `NotExecuted`, `Inconclusive`, `Pending` → skipped;
//! - anything else is an error.
//!
//! These buckets line up with the tool's own `ResultSummary/Counters`: `passed` and `failed`
//! are equal, and `total` is our total for files without data-driven rows.
//!
//! A data-driven test is written as one summary result with one `<InnerResults>` child per data
//! row: the rows are counted and the summary is dropped (vstest versions disagree on whether
//! `Counters` include the summary). A row without its own `testId` takes its parent's.
//!
//! Results and `<TestDefinitions>` may come in either order; results are kept as small records
//! and joined to their definitions by `testId` at the end. One suite per test class
//! (`TestMethod/@className`, cut at the first comma, which starts the assembly name in old
//! MSTest files), in order of first appearance; the case name is `testName` with the class
//! prefix removed. Without a definition, the class is the part of `testName` before its last
//! dot. Durations are `[d.]hh:mm:ss.fffffff` (TimeSpan).

use super::nunit::{Trail, attrs, non_empty, stack_location};
use super::xml::{Placed, XmlReader, push_text, text_piece};
use super::{Ctx, Head, ParseError};
use crate::model::{TestCase, TestRun, TestStatus, TestSuite};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// `<TestRun>` root.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"TestRun")
}

/// A result being read; results nest through `<InnerResults>`.
struct Pending {
    depth: usize,
    test_id: String,
    name: String,
    status: TestStatus,
    time: Option<f64>,
    message: String,
    stack_trace: String,
    /// Depth of its `<InnerResults>` element, when it has one.
    inner_depth: Option<usize>,
    /// Rows recorded under it.
    rows: usize,
}

/// A finished result, waiting for the join with the definitions.
struct Rec {
    test_id: String,
    case: TestCase,
}

/// Parses a TRX file.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<TestRun, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut recs: Vec<Rec> = Vec::new();
    let mut stack: Vec<Pending> = Vec::new();
    let mut trail = Trail::default();
    // Class names are shared by many tests: keep each once.
    let mut classes: Vec<String> = Vec::new();
    let mut class_ids: HashMap<String, u32> = HashMap::new();
    let mut defs: HashMap<String, u32> = HashMap::new();
    let mut results_depth: Option<usize> = None;
    let mut definitions_depth: Option<usize> = None;
    let mut unit_test: Option<(String, usize)> = None;
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
                let elem_depth = before + 1;
                if !saw_root {
                    saw_root = true;
                    if name != "TestRun" {
                        return Err(ParseError::at_byte(
                            at,
                            format!("expected a <TestRun> root element, found <{name}>"),
                        ));
                    }
                    continue;
                }
                // A new result: directly under <Results>, or under the open result's <InnerResults>.
                let is_result_slot = match stack.last() {
                    Some(top) => top.inner_depth.is_some_and(|d| elem_depth == d + 1),
                    None => results_depth.is_some_and(|d| elem_depth == d + 1),
                };
                if is_result_slot {
                    let parent_id = stack.last().map(|p| p.test_id.as_str()).unwrap_or("");
                    let p = start_result(&e, at, elem_depth, parent_id)?;
                    if let Some(parent) = stack.last_mut() {
                        parent.rows += 1;
                    }
                    if is_start {
                        stack.push(p);
                        trail = Trail::default();
                    } else {
                        recs.push(finish(p, ctx));
                    }
                    continue;
                }
                if let Some(top) = stack.last_mut() {
                    let rel = elem_depth.saturating_sub(top.depth);
                    if rel == 1 && name == "InnerResults" && is_start {
                        top.inner_depth = Some(elem_depth);
                    }
                    trail.enter(
                        rel,
                        match name {
                            "Output" => "Output",
                            "ErrorInfo" => "ErrorInfo",
                            "Message" => "Message",
                            "StackTrace" => "StackTrace",
                            _ => "",
                        },
                    );
                    continue;
                }
                match name {
                    "Results" if elem_depth == 2 && is_start => results_depth = Some(elem_depth),
                    "TestDefinitions" if elem_depth == 2 && is_start => {
                        definitions_depth = Some(elem_depth)
                    }
                    _ if is_start && definitions_depth.is_some_and(|d| elem_depth == d + 1) => {
                        let [id] = attrs(&e, at, ["id"])?;
                        unit_test = id.map(|id| (id, elem_depth));
                    }
                    "TestMethod" => {
                        if let Some((id, _)) = &unit_test {
                            let [class] = attrs(&e, at, ["className"])?;
                            if let Some(class) = class {
                                let class = class.split(',').next().unwrap_or("").trim();
                                let idx = match class_ids.get(class) {
                                    Some(i) => *i,
                                    None => {
                                        let i = classes.len() as u32;
                                        classes.push(class.to_string());
                                        class_ids.insert(class.to_string(), i);
                                        i
                                    }
                                };
                                defs.insert(id.clone(), idx);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                if let Some(top) = stack.last()
                    && depth + 1 == top.depth
                    && let Some(p) = stack.pop()
                {
                    // A data-driven summary: its rows were counted instead.
                    if p.rows == 0 {
                        recs.push(finish(p, ctx));
                    }
                    trail = Trail::default();
                    continue;
                }
                if stack.is_empty() {
                    if results_depth.is_some_and(|d| depth + 1 == d) {
                        results_depth = None;
                    } else if definitions_depth.is_some_and(|d| depth + 1 == d) {
                        definitions_depth = None;
                    } else if unit_test.as_ref().is_some_and(|(_, d)| depth + 1 == *d) {
                        unit_test = None;
                    }
                }
            }
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                if let Some(buf) = capture(&mut stack, &trail, depth) {
                    push_text(buf, &text_piece(&ev));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(join(recs, &defs, &classes))
}

fn capture<'p>(stack: &'p mut [Pending], trail: &Trail, depth: usize) -> Option<&'p mut String> {
    let p = stack.last_mut()?;
    let rel = depth.checked_sub(p.depth)?;
    if trail.is(rel, &["Output", "ErrorInfo", "Message"]) {
        Some(&mut p.message)
    } else if trail.is(rel, &["Output", "ErrorInfo", "StackTrace"]) {
        Some(&mut p.stack_trace)
    } else {
        None
    }
}

fn start_result(
    e: &BytesStart<'_>,
    at: u64,
    depth: usize,
    parent_id: &str,
) -> Result<Pending, ParseError> {
    let [test_id, test_name, outcome, duration, start, end] = attrs(
        e,
        at,
        [
            "testId",
            "testName",
            "outcome",
            "duration",
            "startTime",
            "endTime",
        ],
    )?;
    let name = test_name.filter(|n| !n.is_empty()).ok_or_else(|| {
        ParseError::at_byte(
            at,
            format!("<{}> without a testName attribute", e.name().as_ref()),
        )
    })?;
    let status = match outcome.as_deref().map(str::trim) {
        None => TestStatus::Errored,
        Some(o) => outcome_status(o).ok_or_else(|| {
            ParseError::at_byte(
                at,
                format!(
                    "<{} testName=\"{}\"> has outcome=\"{}\"; expected Passed, Failed, \
                     NotExecuted, Inconclusive, Timeout, Error, Aborted or another TRX outcome",
                    e.name().as_ref(),
                    super::xml::truncate(&name, 80),
                    super::xml::truncate(o, 40)
                ),
            )
        })?,
    };
    let time = match duration {
        Some(d) => Some(timespan(&d).ok_or_else(|| {
            ParseError::at_byte(
                at,
                format!(
                    "attribute duration=\"{}\" on <{}>: expected a duration hh:mm:ss.fffffff",
                    super::xml::truncate(&d, 40),
                    e.name().as_ref()
                ),
            )
        })?),
        // Old MSTest files give only the start and end of some results.
        None => match (
            start.as_deref().and_then(instant),
            end.as_deref().and_then(instant),
        ) {
            (Some(s), Some(e)) => Some((e.0 - s.0) as f64 + (e.1 - s.1)).filter(|d| *d >= 0.0),
            _ => None,
        },
    };
    Ok(Pending {
        depth,
        test_id: test_id
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| parent_id.to_string()),
        name,
        status,
        time,
        message: String::new(),
        stack_trace: String::new(),
        inner_depth: None,
        rows: 0,
    })
}

/// TRX outcome → status (see the module comment).
fn outcome_status(o: &str) -> Option<TestStatus> {
    Some(match o.to_ascii_lowercase().as_str() {
        "passed" | "passedbutrunaborted" | "warning" | "completed" => TestStatus::Passed,
        "failed" => TestStatus::Failed,
        "error" | "timeout" | "aborted" | "notrunnable" | "disconnected" | "inprogress" => {
            TestStatus::Errored
        }
        "notexecuted" | "inconclusive" | "pending" => TestStatus::Skipped,
        _ => return None,
    })
}

fn finish(p: Pending, ctx: &Ctx) -> Rec {
    let details = non_empty(p.stack_trace);
    let (file, line) = match details.as_deref().and_then(|d| stack_location(d, ctx)) {
        Some((f, l)) => (Some(f), Some(l)),
        None => (None, None),
    };
    Rec {
        test_id: p.test_id,
        case: TestCase {
            name: p.name,
            classname: None,
            file,
            line,
            status: p.status,
            time: p.time,
            message: non_empty(p.message),
            details,
            retries: 0,
        },
    }
}

/// Groups the results into one suite per class, in order of first appearance.
fn join(recs: Vec<Rec>, defs: &HashMap<String, u32>, classes: &[String]) -> TestRun {
    let mut run = TestRun::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rec in recs {
        let mut case = rec.case;
        let class = match defs
            .get(&rec.test_id)
            .and_then(|i| classes.get(*i as usize))
        {
            Some(c) => c.clone(),
            None => class_from_name(&case.name),
        };
        if let Some(rest) = case
            .name
            .strip_prefix(class.as_str())
            .and_then(|r| r.strip_prefix('.'))
            .filter(|r| !class.is_empty() && !r.is_empty())
        {
            case.name = rest.to_string();
        }
        case.classname = Some(class.clone()).filter(|c| !c.is_empty());
        let i = match index.get(&class) {
            Some(i) => *i,
            None => {
                run.suites.push(TestSuite {
                    name: class.clone(),
                    file: None,
                    time: None,
                    cases: Vec::new(),
                });
                index.insert(class, run.suites.len() - 1);
                run.suites.len() - 1
            }
        };
        if let Some(s) = run.suites.get_mut(i) {
            s.cases.push(case);
        }
    }
    run
}

/// `Ns.Class.Method(args)` → `Ns.Class`; `Unclassified` when the name has no dot before its
/// arguments.
fn class_from_name(name: &str) -> String {
    let head = name.split('(').next().unwrap_or(name);
    match head.rsplit_once('.') {
        Some((c, _)) if !c.trim().is_empty() => c.to_string(),
        _ => "Unclassified".to_string(),
    }
}

/// A .NET TimeSpan `[d.]hh:mm:ss[.fffffff]` in seconds.
pub(super) fn timespan(s: &str) -> Option<f64> {
    let s = s.trim();
    let mut parts = s.split(':');
    let (dh, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (days, hours) = match dh.split_once('.') {
        Some((d, h)) => (d.parse::<u64>().ok()?, h.parse::<u64>().ok()?),
        None => (0, dh.parse::<u64>().ok()?),
    };
    let minutes: u64 = m.parse().ok()?;
    if !sec.bytes().all(|b| b.is_ascii_digit() || b == b'.') || sec.is_empty() {
        return None;
    }
    let seconds: f64 = sec.parse().ok()?;
    if minutes >= 60 || !(0.0..60.0).contains(&seconds) {
        return None;
    }
    Some((days as f64 * 24.0 + hours as f64) * 3600.0 + (minutes * 60) as f64 + seconds)
}

/// An ISO 8601 date and time (`2021-04-20T21:20:35.7257934+02:00`, `Z` or no offset) as
/// whole seconds since 1970-01-01 UTC at the start of its day, plus the seconds into the day
/// (kept apart so that differences keep sub-microsecond precision).
fn instant(s: &str) -> Option<(i64, f64)> {
    let s = s.trim();
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let valid = (0..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&day);
    if d.next().is_some() || !valid {
        return None;
    }
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0i64)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, o) = time.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (oh, om) = o.get(1..)?.split_once(':')?;
        let (oh, om): (i64, i64) = (oh.parse().ok()?, om.parse().ok()?);
        if !(0..=23).contains(&oh) || !(0..=59).contains(&om) {
            return None;
        }
        (c, sign * (oh * 3600 + om * 60))
    } else {
        (time, 0)
    };
    let clock = timespan(clock)?;
    // Days from the civil date (proleptic Gregorian), after H. Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 - offset, clock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans() {
        assert_eq!(timespan("00:00:00.0010000"), Some(0.001));
        assert_eq!(timespan("00:01:02"), Some(62.0));
        assert_eq!(timespan("1.02:00:00.5"), Some(93600.5));
        assert_eq!(timespan("00:00:60"), None);
        assert_eq!(timespan("12.5"), None);
        assert_eq!(timespan("aa:bb:cc"), None);
        assert_eq!(timespan("00:00:-1"), None);
        assert_eq!(timespan("99999999999999999999.00:00:00"), None);
        assert!(timespan("18446744073709551615.23:00:00").is_some_and(f64::is_finite));
    }

    #[test]
    fn instants() {
        let secs = |s: &str| instant(s).map(|(d, c)| d as f64 + c);
        assert_eq!(secs("1970-01-01T00:00:01Z"), Some(1.0));
        assert_eq!(secs("1970-01-02T00:00:00+01:00"), Some(82_800.0));
        let (a, b) = (
            instant("2021-04-20T21:20:35.7257934+02:00").unwrap(),
            instant("2021-04-20T21:20:35.7257944+02:00").unwrap(),
        );
        assert_eq!(a.0, b.0);
        assert!((b.1 - a.1 - 0.000001).abs() < 1e-9);
        assert_eq!(
            secs("2015-10-24T23:59:59-03:00").map(|x| x + 2.0),
            secs("2015-10-25T00:00:01-03:00")
        );
        assert_eq!(instant("yesterday"), None);
        assert_eq!(instant("9223372036854775807-01-01T00:00:00Z"), None);
        assert_eq!(instant("2020-01-01T00:00:00+99999999999999:00"), None);
    }

    #[test]
    fn class_names() {
        assert_eq!(class_from_name("A.B.Test(1.5)"), "A.B");
        assert_eq!(class_from_name("Test"), "Unclassified");
        assert_eq!(
            class_from_name("[Test Class Cleanup Failure (A.B.C)]"),
            "Unclassified"
        );
    }
}
