//! LCOV tracefiles (`geninfo`, c8, nyc, Jest, Vitest, cargo-llvm-cov, coverage.py `lcov`).
//!
//! Records: `SF` starts a file and `end_of_record` ends it; `DA:line,hits[,checksum]`,
//! `BRDA:line,block,branch,taken` (`-` is a branch never reached: counted, not covered),
//! `FN:line[,end],name` with `FNDA:hits,name`, and LCOV 2's `FNL:index,line[,end]` with
//! `FNA:index,hits,name`. `LF/LH/BRF/BRH/FNF/FNH` are only used when a file has no detail
//! records (the details are what those totals summarize). The same file in several records
//! (concatenated tracefiles) adds up, as `lcov -a` does.

use super::cobertura::parse_u64;
use super::{Ctx, Head, ParseError};
use crate::model::{
    BranchLinesBuilder, Coverage, DeclaredTotals, FileCoverage, Function, LineHitsBuilder,
};
use std::collections::HashMap;
use std::io::BufRead;

/// The first non-empty line is an LCOV record.
pub fn detect(head: &Head) -> bool {
    head.first_line_starts_with(&["TN:", "SF:"])
}

/// Longest line accepted; a longer one is an error, so memory stays bounded.
const MAX_LINE: usize = 1 << 20;

#[derive(Default)]
struct FileAcc {
    name: String,
    lines: LineHitsBuilder,
    branches: BranchLinesBuilder,
    functions: Vec<Function>,
    by_name: HashMap<String, usize>,
    by_index: HashMap<u64, usize>,
    declared: DeclaredTotals,
    has_declared: bool,
}

/// Parses an LCOV tracefile.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Coverage, ParseError> {
    let mut st = State {
        cov: Coverage::default(),
        cur: None,
        lineno: 0,
    };
    // A line cut by the end of the buffer, completed from the next one.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let buf = input
            .fill_buf()
            .map_err(|e| ParseError::at_line(st.lineno + 1, 1, format!("cannot read: {e}")))?;
        if buf.is_empty() {
            if !carry.is_empty() {
                st.lineno += 1;
                record(&carry, &mut st, ctx)?;
            }
            break;
        }
        let len = buf.len();
        let mut body = buf;
        if !carry.is_empty() {
            match memchr::memchr(b'\n', buf) {
                Some(nl) => {
                    carry.extend_from_slice(&buf[..nl]);
                    st.lineno += 1;
                    record(&carry, &mut st, ctx)?;
                    carry.clear();
                    body = &buf[nl + 1..];
                }
                None => body = &buf[..0],
            }
        }
        // Whole lines up to the last newline; the rest waits for the next buffer.
        let whole = memchr::memrchr(b'\n', body).map_or(0, |p| p + 1);
        lines(&body[..whole], &mut st, ctx)?;
        carry.extend_from_slice(if carry.is_empty() {
            &body[whole..]
        } else {
            buf
        });
        if carry.len() > MAX_LINE {
            return Err(ParseError::at_line(
                st.lineno + 1,
                1,
                format!(
                    "a line longer than {} KiB; expected LCOV records",
                    MAX_LINE >> 10
                ),
            ));
        }
        input.consume(len);
    }
    if let Some(f) = st.cur.take() {
        // A final record without end_of_record still counts; many writers omit nothing, but
        // a cut-off file should not lose what it had.
        finish(f, &mut st.cov, ctx);
    }
    Ok(st.cov)
}

struct State {
    cov: Coverage,
    /// The file being read (after `SF:`, until `end_of_record`).
    cur: Option<FileAcc>,
    /// Lines read so far, for error positions.
    lineno: u64,
}

/// Whole lines, each ending in `\n`: the common `DA:` and `BRDA:` lines of a file are read
/// in one pass each here, anything else by [`record`].
fn lines(chunk: &[u8], st: &mut State, ctx: &Ctx) -> Result<(), ParseError> {
    let mut p = 0;
    while p < chunk.len() {
        let rest = &chunk[p..];
        if let Some(f) = st.cur.as_mut() {
            match rest[0] {
                b'D' => {
                    if let Some((l, h, next)) = fast_da(rest) {
                        st.lineno += 1;
                        f.lines.push(l, h);
                        p += next;
                        continue;
                    }
                }
                b'B' => {
                    if let Some((l, taken, next)) = fast_brda(rest) {
                        st.lineno += 1;
                        f.branches.push(l, taken);
                        p += next;
                        continue;
                    }
                }
                _ => {}
            }
        }
        let nl = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        st.lineno += 1;
        record(&rest[..nl], st, ctx)?;
        p += nl + 1;
    }
    Ok(())
}

fn record(raw: &[u8], st: &mut State, ctx: &Ctx) -> Result<(), ParseError> {
    let (lineno, cur, cov) = (st.lineno, &mut st.cur, &mut st.cov);
    let line = raw.strip_suffix(b"\r").unwrap_or(raw);
    if line.is_empty() {
        return Ok(());
    }
    let Some(colon) = memchr::memchr(b':', line) else {
        if line.trim_ascii() == b"end_of_record" {
            if let Some(f) = cur.take() {
                finish(f, cov, ctx);
            }
            return Ok(());
        }
        if line.trim_ascii().is_empty() {
            return Ok(());
        }
        return Err(err(
            lineno,
            1,
            line,
            "expected an LCOV record such as SF:, DA: or end_of_record",
        ));
    };
    let (tag, value) = (&line[..colon], &line[colon + 1..]);
    let col = colon as u64 + 2;
    match tag {
        b"DA" => {
            let f = need_file(cur, lineno, line)?;
            let mut it = value.splitn(3, |b| *b == b',');
            let (Some(l), Some(h)) = (it.next(), it.next()) else {
                return Err(err(lineno, col, line, "expected DA:<line>,<hits>"));
            };
            let l = parse_u64(l)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    err(
                        lineno,
                        col,
                        line,
                        "expected DA:<line>,<hits> with a whole line number",
                    )
                })?;
            let h = parse_count(h).ok_or_else(|| {
                err(
                    lineno,
                    col,
                    line,
                    "expected DA:<line>,<hits> with a whole hit count",
                )
            })?;
            f.lines.push(l, h);
        }
        b"BRDA" => {
            let f = need_file(cur, lineno, line)?;
            let mut parts = value.splitn(4, |b| *b == b',');
            let (Some(l), Some(_block), Some(_branch), Some(taken)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(err(
                    lineno,
                    col,
                    line,
                    "expected BRDA:<line>,<block>,<branch>,<taken>",
                ));
            };
            let l = parse_u64(l)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    err(
                        lineno,
                        col,
                        line,
                        "expected BRDA:<line>,... with a whole line number",
                    )
                })?;
            let taken = match taken.trim_ascii() {
                b"-" => false,
                t => {
                    parse_count(t).ok_or_else(|| {
                        err(
                            lineno,
                            col,
                            line,
                            "expected BRDA taken count to be a number or '-'",
                        )
                    })? > 0
                }
            };
            f.branches.push(l, taken);
        }
        b"SF" => {
            if let Some(f) = cur.take() {
                // A missing end_of_record: close the previous file.
                finish(f, cov, ctx);
            }
            let name = std::str::from_utf8(value)
                .map_err(|_| err(lineno, col, line, "expected a UTF-8 file name"))?;
            *cur = Some(FileAcc {
                name: name.to_string(),
                ..Default::default()
            });
        }
        b"FN" => {
            let f = need_file(cur, lineno, line)?;
            // FN:<line>,<name> or LCOV 2's FN:<line>,<end line>,<name>.
            let mut it = value.splitn(2, |b| *b == b',');
            let l = it
                .next()
                .and_then(parse_u64)
                .and_then(|n| u32::try_from(n).ok());
            let (Some(l), Some(rest)) = (l, it.next()) else {
                return Err(err(lineno, col, line, "expected FN:<line>,<name>"));
            };
            let name = match memchr::memchr(b',', rest) {
                Some(p) if parse_u64(&rest[..p]).is_some() => &rest[p + 1..],
                _ => rest,
            };
            let name = String::from_utf8_lossy(name).into_owned();
            if !f.by_name.contains_key(&name) {
                f.by_name.insert(name.clone(), f.functions.len());
                f.functions.push(Function {
                    name,
                    line: l,
                    hits: 0,
                });
            }
        }
        b"FNDA" => {
            let f = need_file(cur, lineno, line)?;
            let mut it = value.splitn(2, |b| *b == b',');
            let h = it.next().and_then(parse_count);
            let (Some(h), Some(name)) = (h, it.next()) else {
                return Err(err(lineno, col, line, "expected FNDA:<hits>,<name>"));
            };
            let name = String::from_utf8_lossy(name).into_owned();
            match f.by_name.get(&name) {
                Some(&i) => f.functions[i].hits = f.functions[i].hits.saturating_add(h),
                None => {
                    f.by_name.insert(name.clone(), f.functions.len());
                    f.functions.push(Function {
                        name,
                        line: 0,
                        hits: h,
                    });
                }
            }
        }
        b"FNL" => {
            let f = need_file(cur, lineno, line)?;
            let mut it = value.splitn(3, |b| *b == b',');
            let idx = it.next().and_then(parse_u64);
            let l = it
                .next()
                .and_then(parse_u64)
                .and_then(|n| u32::try_from(n).ok());
            let (Some(idx), Some(l)) = (idx, l) else {
                return Err(err(
                    lineno,
                    col,
                    line,
                    "expected FNL:<index>,<line>[,<end line>]",
                ));
            };
            f.by_index.insert(idx, f.functions.len());
            f.functions.push(Function {
                name: String::new(),
                line: l,
                hits: 0,
            });
        }
        b"FNA" => {
            let f = need_file(cur, lineno, line)?;
            let mut it = value.splitn(3, |b| *b == b',');
            let idx = it.next().and_then(parse_u64);
            let h = it.next().and_then(parse_count);
            let (Some(idx), Some(h), Some(name)) = (idx, h, it.next()) else {
                return Err(err(lineno, col, line, "expected FNA:<index>,<hits>,<name>"));
            };
            let Some(&i) = f.by_index.get(&idx) else {
                return Err(err(
                    lineno,
                    col,
                    line,
                    "FNA names an index no FNL record declared",
                ));
            };
            let func = &mut f.functions[i];
            if func.name.is_empty() {
                func.name = String::from_utf8_lossy(name).into_owned();
                func.hits = h;
            }
            // Aliases (several names for one function) share the record; count it once.
        }
        b"LF" | b"LH" | b"BRF" | b"BRH" | b"FNF" | b"FNH" => {
            let f = need_file(cur, lineno, line)?;
            let n = parse_u64(value)
                .ok_or_else(|| err(lineno, col, line, "expected a whole number"))?;
            f.has_declared = true;
            let d = &mut f.declared;
            match tag {
                b"LF" => d.lines_total = n,
                b"LH" => d.lines_covered = n,
                b"BRF" => d.branches_total = n,
                b"BRH" => d.branches_covered = n,
                b"FNF" => d.functions_total = n,
                _ => d.functions_covered = n,
            }
        }
        // Test names, version stamps, and records we do not use (MC/DC, checksums).
        _ if tag.iter().all(|b| b.is_ascii_uppercase()) => {}
        _ => {
            return Err(err(
                lineno,
                1,
                line,
                "expected an LCOV record such as SF:, DA: or end_of_record",
            ));
        }
    }
    Ok(())
}

fn need_file<'a>(
    cur: &'a mut Option<FileAcc>,
    lineno: u64,
    line: &[u8],
) -> Result<&'a mut FileAcc, ParseError> {
    cur.as_mut().ok_or_else(|| {
        err(
            lineno,
            1,
            line,
            "record outside a file: expected SF:<path> first",
        )
    })
}

/// A run of 1 to 19 ASCII digits at the start of `b`: its value and length.
#[inline(always)]
fn digits(b: &[u8]) -> Option<(u64, usize)> {
    match b.first_chunk::<8>() {
        Some(eight) => match swar_digits(u64::from_le_bytes(*eight)) {
            Some(found) => Some(found),
            None => digits_scalar(b),
        },
        None => digits_scalar(b),
    }
}

/// The run of 1 to 7 ASCII digits that starts 8 bytes read little-endian (so the first byte
/// is the lowest): its value and length, all 8 bytes at once. `None` when the first byte is
/// no digit or all 8 are (a longer number: [`digits_scalar`] reads those).
#[inline(always)]
fn swar_digits(x: u64) -> Option<(u64, usize)> {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's value as a digit; a byte is a digit when that is below 10. Adding 0x76 to a
    // byte's low 7 bits sets its bit 7 exactly when they are 10 or more, without carrying
    // into the next byte; the byte's own bit 7 covers values of 128 and up.
    let t = x ^ 0x3030_3030_3030_3030;
    let not_digit = (((t & LOW7) + 0x7676_7676_7676_7676) | t) & HIGH;
    let n = (not_digit.trailing_zeros() / 8) as usize;
    if n == 0 || n == 8 {
        return None;
    }
    // The digits to the top bytes (zeros, the leading digits, below), then pairs, quads and
    // the eight are combined by three multiplications.
    let v = t << (64 - 8 * n);
    let v = ((v & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561)) >> 8;
    let v = ((v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601)) >> 16;
    let v = ((v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001)) >> 32;
    Some((v, n))
}

/// [`digits`] one byte at a time.
#[inline]
fn digits_scalar(b: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    let mut i = 0;
    while i < b.len() {
        let d = b[i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        v = v * 10 + u64::from(d);
        i += 1;
        if i > 19 {
            return None;
        }
    }
    (i > 0).then_some((v, i))
}

/// `BRDA:<line>,<block>,<branch>,<taken>\n` with numeric block and branch, taken a number
/// or `-`: line, whether taken, and the length through the newline.
#[inline]
fn fast_brda(b: &[u8]) -> Option<(u32, bool, usize)> {
    if !b.starts_with(b"BRDA:") {
        return None;
    }
    let (l, n) = digits(&b[5..])?;
    let mut i = 5 + n;
    for _ in 0..2 {
        if *b.get(i)? != b',' {
            return None;
        }
        i += 1 + digits(&b[i + 1..])?.1;
    }
    if *b.get(i)? != b',' {
        return None;
    }
    i += 1;
    let taken = if *b.get(i)? == b'-' {
        i += 1;
        false
    } else {
        let (t, n) = digits(&b[i..])?;
        i += n;
        t > 0
    };
    if *b.get(i)? == b'\r' {
        i += 1;
    }
    if *b.get(i)? != b'\n' {
        return None;
    }
    Some((u32::try_from(l).ok()?, taken, i + 1))
}

/// `DA:<line>,<hits>\n` (or `\r\n`) at the start of `b`: line, hits and the length up to and
/// including the newline. `None` for anything else, including a checksum field or a line
/// cut by the end of the buffer, which the general path then reads.
#[inline]
fn fast_da(b: &[u8]) -> Option<(u32, u64, usize)> {
    if !b.starts_with(b"DA:") {
        return None;
    }
    let (l, n1) = digits(&b[3..])?;
    let mut i = 3 + n1;
    if *b.get(i)? != b',' {
        return None;
    }
    i += 1;
    let (h, n2) = digits(&b[i..])?;
    i += n2;
    if *b.get(i)? == b'\r' {
        i += 1;
    }
    if *b.get(i)? != b'\n' {
        return None;
    }
    Some((u32::try_from(l).ok()?, h, i + 1))
}

/// Hit counts; some writers emit them as floats (`1.0`) or negative for "not instrumented".
fn parse_count(v: &[u8]) -> Option<u64> {
    parse_u64(v).or_else(|| {
        let f: f64 = std::str::from_utf8(v).ok()?.trim().parse().ok()?;
        f.is_finite().then_some(if f <= 0.0 { 0 } else { f as u64 })
    })
}

fn err(lineno: u64, col: u64, line: &[u8], expected: &str) -> ParseError {
    let shown = String::from_utf8_lossy(&line[..line.len().min(60)]);
    ParseError::at_line(lineno, col, format!("{expected}; found {shown:?}"))
}

fn finish(f: FileAcc, cov: &mut Coverage, ctx: &Ctx) {
    let path = ctx.paths.resolve(&f.name, &[]);
    let branches = f.branches.finish();
    let no_detail = f.lines.is_empty() && branches.is_empty() && f.functions.is_empty();
    cov.add_file(
        path,
        FileCoverage {
            lines: f.lines.finish(),
            branches,
            functions: f.functions,
            declared: (no_detail && f.has_declared).then_some(f.declared),
            statements: None,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::PathResolver;
    use std::io::BufReader;

    const TEXT: &str = "TN:\nSF:a.c\r\nFN:3,main\nFNDA:2,main\nDA:3,2\r\nDA:4,0\nBRDA:4,0,0,1\nBRDA:4,0,1,-\nDA:12,70000\nDA:11,1,abc\nBRDA:2,0,0,3\nDA:900,18446744073709551615\nLF:5\nLH:4\nend_of_record\nSF:b.c\nDA:1,1\nBRDA:1,0,0,0";

    fn parse_with(cap: usize) -> Coverage {
        let resolver = PathResolver::new(std::path::Path::new("/nonexistent-root"));
        let ctx = Ctx { paths: &resolver };
        let mut r = BufReader::with_capacity(cap, TEXT.as_bytes());
        parse(&mut r, &ctx).unwrap()
    }

    #[test]
    fn eight_bytes_at_once_equal_one_at_a_time() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for n in [
            0u64, 1, 9, 10, 99, 100, 4095, 65_536, 1_234_567, 9_999_999, 10_000_000,
        ] {
            for tail in [
                &b",1\n"[..],
                b"\n",
                b"\r\n",
                b"-",
                b"/",
                b":",
                b"\xb0",
                b"\x80",
                b"99999999",
            ] {
                let mut v = n.to_string().into_bytes();
                v.extend_from_slice(tail);
                cases.push(v);
            }
        }
        cases.extend([
            b"12345678901234567890".to_vec(),
            b"1234567890123456789,".to_vec(),
            b"x1234567".to_vec(),
            b"00000007,".to_vec(),
            b"0000007,1".to_vec(),
            b"5".to_vec(),
        ]);
        // Every byte value right after a digit, and as the first byte.
        for b in 0..=255u8 {
            cases.push(vec![b'4', b, b'1', b'2', b'3', b'4', b'5', b'6', b'7']);
            cases.push(vec![b, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8']);
        }
        for c in &cases {
            assert_eq!(
                digits(c),
                digits_scalar(c),
                "{:?}",
                String::from_utf8_lossy(c)
            );
        }
    }

    #[test]
    fn lines_cut_by_any_buffer_boundary_read_the_same() {
        let whole = parse_with(1 << 16);
        let a = &whole.files["a.c"];
        assert_eq!(
            a.lines.iter().collect::<Vec<_>>(),
            [(3, 2), (4, 0), (11, 1), (12, 70000), (900, u64::MAX)]
        );
        assert_eq!(
            a.branches
                .iter()
                .map(|b| (b.line, b.covered, b.total))
                .collect::<Vec<_>>(),
            [(2, 1, 1), (4, 1, 2)]
        );
        assert_eq!((a.functions[0].line, a.functions[0].hits), (3, 2));
        let b = &whole.files["b.c"];
        assert_eq!(b.lines.iter().collect::<Vec<_>>(), [(1, 1)]);
        assert_eq!(
            b.branches
                .iter()
                .map(|b| (b.covered, b.total))
                .collect::<Vec<_>>(),
            [(0, 1)]
        );
        for cap in 1..40 {
            assert_eq!(parse_with(cap), whole, "buffer of {cap} bytes");
        }
    }
}
