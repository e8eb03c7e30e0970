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

/// Whole lines, each ending in `\n`: runs of the common `DA:` and `BRDA:` lines of a file are
/// read by [`detail_run`], anything else by [`record`].
fn lines(chunk: &[u8], st: &mut State, ctx: &Ctx) -> Result<(), ParseError> {
    let mut p = 0;
    while p < chunk.len() {
        if let Some(f) = st.cur.as_mut() {
            let (next, n) = detail_run(chunk, p, f);
            st.lineno += n;
            p = next;
            if p >= chunk.len() {
                break;
            }
        }
        let rest = &chunk[p..];
        let nl = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        st.lineno += 1;
        record(&rest[..nl], st, ctx)?;
        p += nl + 1;
    }
    Ok(())
}

/// Reads the `DA:<line>,<hits>` and `BRDA:<line>,<block>,<branch>,<taken>` lines (numbers
/// only, no checksum or expression; `\r\n` or `\n`) that start at `b[p..]`, as many as come in
/// a row: where the first other line starts and how many lines were read. Anything else,
/// including a malformed line, is left for [`record`], which reads every form and reports
/// errors.
#[inline]
fn detail_run(b: &[u8], mut p: usize, f: &mut FileAcc) -> (usize, u64) {
    let mut n = 0;
    while let Some(head) = b.get(p..).and_then(|r| r.first_chunk::<5>()) {
        if head[..3] == *b"DA:" {
            let Some((line, hits, next)) = da(b, p + 3) else {
                break;
            };
            f.lines.push(line, hits);
            p = next;
        } else if head == b"BRDA:" {
            let Some((line, taken, next)) = brda(b, p + 5) else {
                break;
            };
            f.branches.push(line, taken);
            p = next;
        } else {
            break;
        }
        n += 1;
    }
    (p, n)
}

/// The number at `b[i..]`: its value, its length in digits and the byte after it; `None`
/// unless it has 1 to 19 digits (so it fits a u64; longer numbers are left to [`record`]) and
/// a byte follows it. (Reading 8 bytes at a time, SWAR, measured slower here: these numbers
/// are mostly 1 to 4 digits.)
#[inline(always)]
fn number(b: &[u8], i: usize) -> Option<(u64, usize, u8)> {
    let s = b.get(i..)?;
    let mut v = 0u64;
    for (n, &c) in s.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return (n.wrapping_sub(1) < 19).then_some((v, n, c));
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(d));
    }
    None
}

/// The end of a line at `b[i]`, whose byte is `at` (`\n`, or `\r` then `\n`): where the next
/// line starts.
#[inline(always)]
fn line_end(b: &[u8], i: usize, at: u8) -> Option<usize> {
    if at == b'\n' {
        Some(i + 1)
    } else if at == b'\r' && b.get(i + 1) == Some(&b'\n') {
        Some(i + 2)
    } else {
        None
    }
}

/// `<line>,<hits>` after `DA:` at `b[p..]`: line, hits and where the next line starts.
#[inline(always)]
fn da(b: &[u8], p: usize) -> Option<(u32, u64, usize)> {
    let (line, n, sep) = number(b, p)?;
    if sep != b',' {
        return None;
    }
    let i = p + 1 + n;
    let (hits, n, end) = number(b, i)?;
    Some((u32::try_from(line).ok()?, hits, line_end(b, i + n, end)?))
}

/// `<line>,<block>,<branch>,<taken>` after `BRDA:` at `b[p..]`, with numeric block and
/// branch and taken a number or `-`: line, whether taken, and where the next line starts.
#[inline(always)]
fn brda(b: &[u8], p: usize) -> Option<(u32, bool, usize)> {
    let (line, n, sep) = number(b, p)?;
    if sep != b',' {
        return None;
    }
    let mut i = p + 1 + n;
    for _ in 0..2 {
        let (_, n, sep) = number(b, i)?;
        if sep != b',' {
            return None;
        }
        i += n + 1;
    }
    let (taken, end) = if b.get(i) == Some(&b'-') {
        i += 1;
        (false, b.get(i).copied().unwrap_or(0))
    } else {
        let (t, n, end) = number(b, i)?;
        i += n;
        (t > 0, end)
    };
    Some((u32::try_from(line).ok()?, taken, line_end(b, i, end)?))
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

    /// [`number`] against a plain reading of the same bytes.
    #[test]
    fn numbers_read_as_the_standard_library_reads_them() {
        fn plain(b: &[u8]) -> Option<(u64, usize, u8)> {
            let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 19 || n == b.len() {
                return None;
            }
            let v: u64 = std::str::from_utf8(&b[..n]).unwrap().parse().unwrap();
            Some((v, n, b[n]))
        }
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
                b"",
            ] {
                let mut v = n.to_string().into_bytes();
                v.extend_from_slice(tail);
                cases.push(v);
            }
        }
        cases.extend([
            b"12345678901234567890".to_vec(),
            b"1234567890123456789,".to_vec(),
            b"18446744073709551615".to_vec(),
            b"x1234567".to_vec(),
            b"00000007,".to_vec(),
            b"0000007,1".to_vec(),
            b"5".to_vec(),
            b"".to_vec(),
        ]);
        // Every byte value right after a digit, and as the first byte.
        for b in 0..=255u8 {
            cases.push(vec![b'4', b, b'1', b'2', b'3', b'4', b'5', b'6', b'7']);
            cases.push(vec![b, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8']);
        }
        // And random strings over digits and the bytes around them.
        let alphabet = b"0123456789012345678901234567890123456789,\n\r-/:\xff\x7f";
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            let mut v = Vec::with_capacity(12);
            for _ in 0..12 {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32;
                v.push(alphabet[r as usize % alphabet.len()]);
            }
            cases.push(v);
        }
        for c in &cases {
            for start in 0..c.len().min(3) {
                let c = &c[start..];
                assert_eq!(number(c, 0), plain(c), "{:?}", String::from_utf8_lossy(c));
            }
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
