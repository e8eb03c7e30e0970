//! Cobertura XML, as coverage.py, c8/istanbul, gcovr, cargo-llvm-cov and coverlet write it.
//!
//! Lines are read from each `<class>`'s own `<lines>`; the copies some writers nest under
//! `<methods>` only feed the function list, so no line is counted twice. Branches come from
//! `condition-coverage="50% (1/2)"`. File names are resolved against the `<sources>` roots.

use super::xml::{Placed, XmlReader, attr, push_text};
use super::{Ctx, Head, ParseError};
use crate::model::{BranchLine, Coverage, DeclaredTotals, FileCoverage, Function, LineHits};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<coverage>` root with Cobertura's attributes or children (and no Clover `<project>`).
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"coverage")
        && !head.xml_root_has_attr("clover")
        && !head.contains("<project")
        && (head.xml_root_has_attr("line-rate")
            || head.contains("<packages")
            || head.contains("<sources"))
}

#[derive(Default)]
struct Class {
    filename: String,
    lines: Vec<(u32, u64)>,
    branches: Vec<BranchLine>,
    functions: Vec<Function>,
}

/// Parses a Cobertura report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut cov = Coverage::default();
    let mut sources: Vec<String> = Vec::new();
    let mut in_source = false;
    let mut source_text = String::new();
    let mut class: Option<Class> = None;
    let mut method_depth: Option<usize> = None;
    let mut method: Option<Function> = None;
    let mut saw_root = false;
    loop {
        let Placed {
            at,
            before: depth_before,
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
                cov.declared = root_totals(&e, at)?;
            }
            Event::Start(e) => match e.name().as_ref() {
                "source" => {
                    in_source = true;
                    source_text.clear();
                }
                "class" => class = Some(start_class(&e, at)?),
                "method" => {
                    method_depth = Some(depth_before);
                    method = Some(start_method(&e, at)?);
                }
                "line" => line(&e, at, class.as_mut(), method.as_mut())?,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "line" => {
                    line(&e, at, class.as_mut(), method.as_mut())?;
                    if method.is_none()
                        && let Some(c) = class.as_mut()
                    {
                        while xr.raw_chunk(|buf, _| fast_lines(buf, c))? > 0 {}
                    }
                }
                "class" => {
                    let c = start_class(&e, at)?;
                    finish_class(&mut cov, c, &sources, ctx);
                }
                "method" => {
                    if let (Some(c), Ok(m)) = (class.as_mut(), start_method(&e, at)) {
                        c.functions.push(m);
                    }
                }
                _ => {}
            },
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) if in_source => {
                push_text(&mut source_text, &super::xml::text_piece(&ev))
            }
            Event::End(e) => match e.name().as_ref() {
                "source" => {
                    in_source = false;
                    let s = source_text.trim();
                    if !s.is_empty() {
                        sources.push(s.to_string());
                    }
                }
                "method" if method_depth == Some(depth_before.saturating_sub(1)) => {
                    method_depth = None;
                    if let (Some(c), Some(m)) = (class.as_mut(), method.take()) {
                        c.functions.push(m);
                    }
                }
                "class" => {
                    if let Some(c) = class.take() {
                        finish_class(&mut cov, c, &sources, ctx);
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

/// The root's `lines-valid`, `lines-covered`, `branches-valid`, `branches-covered`: the
/// writer's own totals, when it wrote them (all four whole numbers).
fn root_totals(e: &BytesStart<'_>, at: u64) -> Result<Option<DeclaredTotals>, ParseError> {
    let get = |name: &str| super::xml::attr_num::<u64>(e, name, at);
    let (lv, lc, bv, bc) = (
        get("lines-valid")?,
        get("lines-covered")?,
        get("branches-valid")?,
        get("branches-covered")?,
    );
    Ok(match (lv, lc) {
        (Some(lines_total), Some(lines_covered)) if lines_total > 0 => Some(DeclaredTotals {
            lines_total,
            lines_covered,
            branches_total: bv.unwrap_or(0),
            branches_covered: bc.unwrap_or(0),
            ..Default::default()
        }),
        _ => None,
    })
}

fn start_class(e: &BytesStart<'_>, at: u64) -> Result<Class, ParseError> {
    let filename = attr(e, "filename", at)?
        .ok_or_else(|| ParseError::at_byte(at, "<class> without a filename attribute"))?;
    Ok(Class {
        filename: filename.into_owned(),
        ..Default::default()
    })
}

fn start_method(e: &BytesStart<'_>, at: u64) -> Result<Function, ParseError> {
    let name = attr(e, "name", at)?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    let hits = match attr(e, "hits", at)? {
        Some(h) => Some(parse_hits(h.as_bytes()).ok_or_else(|| bad(at, e, "hits", h.as_bytes()))?),
        None => None,
    };
    Ok(Function {
        name,
        line: 0,
        // u64::MAX marks "take the first line's hits" until a line is seen.
        hits: hits.unwrap_or(u64::MAX),
    })
}

fn finish_class(cov: &mut Coverage, mut c: Class, sources: &[String], ctx: &Ctx) {
    let path = ctx.paths.resolve(&c.filename, sources);
    for f in &mut c.functions {
        if f.hits == u64::MAX {
            f.hits = 0;
        }
    }
    c.branches.sort_by_key(|b| b.line);
    cov.add_file(
        path,
        FileCoverage {
            lines: LineHits::from_pairs(c.lines),
            branches: c.branches.into(),
            functions: c.functions,
            declared: None,
            statements: None,
        },
    );
}

/// Reads a run of `<line number=".." hits=".." [branch=".." condition-coverage=".."]/>`
/// elements straight from the buffer and returns the bytes consumed. It stops, leaving the
/// rest to quick-xml, at the first thing that is not such an element in plain ASCII: a partial
/// element at the end of the buffer, `</lines>`, a `<line>` with children, an entity, a value
/// that is not a number. Nothing it accepts would be read differently by the strict path.
fn fast_lines(buf: &[u8], class: &mut Class) -> usize {
    let mut consumed = 0;
    let mut i = 0;
    loop {
        while i < buf.len() && buf[i].is_ascii_whitespace() {
            i += 1;
        }
        // Whitespace between elements is safe to consume.
        consumed = consumed.max(i);
        let rest = &buf[i..];
        if !(rest.starts_with(b"<line") && rest.get(5).is_some_and(u8::is_ascii_whitespace)) {
            return consumed;
        }
        let Some(end) = memchr::memchr(b'>', rest) else {
            return consumed;
        };
        let tag = &rest[5..end];
        let Some(attrs) = tag.strip_suffix(b"/") else {
            return consumed;
        };
        if !attrs.is_ascii() || memchr::memchr2(b'&', b'<', attrs).is_some() {
            return consumed;
        }
        let (mut number, mut hits, mut branch, mut cond) = (None, None, false, None);
        let mut a = attrs;
        loop {
            a = a.trim_ascii_start();
            if a.is_empty() {
                break;
            }
            let Some(eq) = memchr::memchr(b'=', a) else {
                return consumed;
            };
            let key = a[..eq].trim_ascii_end();
            let v = a[eq + 1..].trim_ascii_start();
            let Some(&q) = v.first().filter(|q| **q == b'"' || **q == b'\'') else {
                return consumed;
            };
            let Some(close) = memchr::memchr(q, &v[1..]) else {
                return consumed;
            };
            let value = &v[1..1 + close];
            match key {
                b"number" => number = parse_u64(value).and_then(|n| u32::try_from(n).ok()),
                b"hits" => hits = parse_hits(value),
                b"branch" => branch = value.eq_ignore_ascii_case(b"true"),
                b"condition-coverage" => cond = parse_condition(value),
                _ => {}
            }
            a = &v[close + 2..];
        }
        let (Some(number), Some(hits)) = (number, hits) else {
            return consumed;
        };
        class.lines.push((number, hits));
        if branch && let Some((covered, total)) = cond {
            class.branches.push(BranchLine {
                line: number,
                covered,
                total,
            });
        }
        i += end + 1;
        consumed = i;
    }
}

/// One `<line>`: number, hits and, for branch lines, `condition-coverage`.
fn line(
    e: &BytesStart<'_>,
    at: u64,
    class: Option<&mut Class>,
    method: Option<&mut Function>,
) -> Result<(), ParseError> {
    let mut number: Option<u32> = None;
    let mut hits: u64 = 0;
    let mut is_branch = false;
    let mut cond: Option<(u32, u32)> = None;
    for a in e.attributes().with_checks(false) {
        let a =
            a.map_err(|err| ParseError::at_byte(at, format!("malformed XML attribute: {err}")))?;
        let v = a.value.as_bytes();
        match a.key.as_ref() {
            "number" => {
                number = Some(
                    parse_u64(v)
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| bad(at, e, "number", v))?,
                )
            }
            "hits" => hits = parse_hits(v).ok_or_else(|| bad(at, e, "hits", v))?,
            "branch" => is_branch = v.eq_ignore_ascii_case(b"true"),
            "condition-coverage" => cond = parse_condition(v),
            _ => {}
        }
    }
    let number =
        number.ok_or_else(|| ParseError::at_byte(at, "<line> without a number attribute"))?;
    if let Some(m) = method {
        // Lines under <methods> only place and count the function.
        if m.line == 0 {
            m.line = number;
            if m.hits == u64::MAX {
                m.hits = hits;
            }
        }
        return Ok(());
    }
    let Some(c) = class else { return Ok(()) };
    c.lines.push((number, hits));
    if is_branch && let Some((covered, total)) = cond {
        c.branches.push(BranchLine {
            line: number,
            covered,
            total,
        });
    }
    Ok(())
}

fn bad(at: u64, e: &BytesStart<'_>, name: &str, v: &[u8]) -> ParseError {
    ParseError::at_byte(
        at,
        format!(
            "attribute {name}=\"{}\" on <{}>: expected a whole number",
            String::from_utf8_lossy(&v[..v.len().min(40)]),
            e.name().as_ref()
        ),
    )
}

/// A non-negative whole number.
pub(crate) fn parse_u64(v: &[u8]) -> Option<u64> {
    let v = v.trim_ascii();
    if v.is_empty() || v.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in v {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// Hit counts: whole numbers; some writers use `-1` for "not instrumented" (read as 0) or a
/// float such as `1.0`.
fn parse_hits(v: &[u8]) -> Option<u64> {
    if let Some(n) = parse_u64(v) {
        return Some(n);
    }
    let s = std::str::from_utf8(v).ok()?.trim();
    let f: f64 = s.parse().ok()?;
    if f.is_finite() {
        Some(if f <= 0.0 { 0 } else { f as u64 })
    } else {
        None
    }
}

/// `"50% (1/2)"` → `(1, 2)`.
fn parse_condition(v: &[u8]) -> Option<(u32, u32)> {
    let open = memchr::memchr(b'(', v)?;
    let slash = open + memchr::memchr(b'/', &v[open..])?;
    let close = slash + memchr::memchr(b')', &v[slash..])?;
    let covered = parse_u64(&v[open + 1..slash])?;
    let total = parse_u64(&v[slash + 1..close])?;
    Some((u32::try_from(covered).ok()?, u32::try_from(total).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_coverage() {
        assert_eq!(parse_condition(b"50% (1/2)"), Some((1, 2)));
        assert_eq!(parse_condition(b"100% (4/4)"), Some((4, 4)));
        assert_eq!(parse_condition(b"garbage"), None);
    }

    #[test]
    fn hits_forms() {
        assert_eq!(parse_hits(b"12"), Some(12));
        assert_eq!(parse_hits(b"-1"), Some(0));
        assert_eq!(parse_hits(b"3.0"), Some(3));
        assert_eq!(parse_hits(b"x"), None);
    }
}
