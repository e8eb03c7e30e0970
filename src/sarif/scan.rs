//! A streaming pass over a SARIF log that hands each `runs[i].results[j]` to a callback as its
//! own bytes and keeps the rest (the "skeleton", with every results array emptied), so a log
//! of any size is validated with memory for one result plus the skeleton. Positions (line,
//! character column) of every piece are kept so problems can be placed in the file.
//!
//! Only the top levels (log → runs → run → results) are parsed here; everything below is
//! skipped by bracket and string matching and checked by serde_json when each piece is parsed.

use std::io::BufRead;

/// A place in the file: byte offset, 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Byte offset.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub col: u64,
}

impl Pos {
    fn start() -> Self {
        Pos {
            offset: 0,
            line: 1,
            col: 1,
        }
    }

    /// The position after `bytes` that start here.
    pub fn advance(mut self, bytes: &[u8]) -> Pos {
        let chars = |b: &[u8]| b.iter().filter(|c| (**c & 0xC0) != 0x80).count() as u64;
        self.offset += bytes.len() as u64;
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                self.col = 1 + chars(&bytes[last + 1..]);
            }
            None => self.col += chars(bytes),
        }
        self
    }
}

/// A syntax problem the scan itself found.
#[derive(Debug, Clone)]
pub struct ScanError {
    /// Where.
    pub pos: Pos,
    /// What was expected.
    pub message: String,
}

/// One result, as its bytes.
pub struct Piece {
    /// Index of its run.
    pub run: usize,
    /// Index in the run's results.
    pub index: usize,
    /// The JSON text of the result.
    pub bytes: Vec<u8>,
    /// Where its first byte is.
    pub pos: Pos,
}

/// What the scan keeps besides the results.
#[derive(Default)]
pub struct Skeleton {
    /// The log with every `runs[i].results` emptied (`[]` with whatever whitespace).
    pub bytes: Vec<u8>,
    /// Where skeleton bytes come from: (skeleton offset, file position), in order.
    pub segments: Vec<(usize, Pos)>,
    /// Results per run (runs whose `results` is not an array count 0).
    pub results: Vec<usize>,
    /// Total bytes read.
    pub size: u64,
}

impl Skeleton {
    /// The file position of a skeleton offset.
    pub fn file_pos(&self, off: usize) -> Pos {
        let i = self.segments.partition_point(|(s, _)| *s <= off);
        let (s, p) = match i {
            0 => (0, Pos::start()),
            _ => self.segments[i - 1],
        };
        p.advance(self.bytes.get(s..off).unwrap_or(&[]))
    }
}

struct Scanner<'r, F> {
    input: &'r mut dyn BufRead,
    pos: Pos,
    skel: Skeleton,
    capture: Option<Vec<u8>>,
    on_result: F,
    /// Bytes fed to the observer (gzip estimate) as they are read.
    observe: &'r mut dyn FnMut(&[u8]),
}

type Res<T> = Result<T, ScanError>;

/// Largest single result (one result bigger than this is an error, not a memory hazard).
const MAX_RESULT_BYTES: usize = 64 << 20;
/// Longest key read at the top levels.
const MAX_KEY: usize = 4096;

/// Scans a SARIF log: `on_result` gets each result; `observe` gets every byte read.
pub fn scan<F>(
    input: &mut dyn BufRead,
    observe: &mut dyn FnMut(&[u8]),
    on_result: F,
) -> Result<Skeleton, ScanError>
where
    F: FnMut(Piece),
{
    let mut s = Scanner {
        input,
        pos: Pos::start(),
        skel: Skeleton::default(),
        capture: None,
        on_result,
        observe,
    };
    s.skel.segments.push((0, Pos::start()));
    s.ws()?;
    match s.peek()? {
        Some(b'{') => s.log()?,
        Some(b'[') => {
            return Err(s.err(
                "a JSON array; expected a SARIF log (a JSON object with \"version\" and \"runs\")",
            ));
        }
        Some(_) => {
            return Err(s.err(
                "not JSON; expected a SARIF log (a JSON object with \"version\" and \"runs\")",
            ));
        }
        None => return Err(s.err("the file is empty; expected a SARIF log")),
    }
    s.ws()?;
    if s.peek()?.is_some() {
        return Err(s.err("text after the end of the JSON document"));
    }
    s.skel.size = s.pos.offset;
    Ok(s.skel)
}

impl<F: FnMut(Piece)> Scanner<'_, F> {
    fn err(&self, message: &str) -> ScanError {
        ScanError {
            pos: self.pos,
            message: message.into(),
        }
    }

    fn io_err(&self, e: std::io::Error) -> ScanError {
        ScanError {
            pos: self.pos,
            message: format!("cannot read: {e}"),
        }
    }

    fn peek(&mut self) -> Res<Option<u8>> {
        let buf = match self.input.fill_buf() {
            Ok(b) => b,
            Err(e) => return Err(self.io_err(e)),
        };
        Ok(buf.first().copied())
    }

    fn sink(&mut self) -> &mut Vec<u8> {
        match &mut self.capture {
            Some(c) => c,
            None => &mut self.skel.bytes,
        }
    }

    /// Consumes `n` bytes of the current buffer, copying them to the sink.
    fn take(&mut self, n: usize) -> Res<()> {
        let buf = match self.input.fill_buf() {
            Ok(b) => b,
            Err(e) => return Err(self.io_err(e)),
        };
        let n = n.min(buf.len());
        let chunk = &buf[..n];
        self.pos = self.pos.advance(chunk);
        (self.observe)(chunk);
        match &mut self.capture {
            Some(c) => c.extend_from_slice(chunk),
            None => self.skel.bytes.extend_from_slice(chunk),
        }
        self.input.consume(n);
        Ok(())
    }

    /// Consumes `n` bytes without keeping them anywhere.
    fn drop_bytes(&mut self, n: usize) -> Res<()> {
        let buf = match self.input.fill_buf() {
            Ok(b) => b,
            Err(e) => return Err(self.io_err(e)),
        };
        let n = n.min(buf.len());
        let chunk = &buf[..n];
        self.pos = self.pos.advance(chunk);
        (self.observe)(chunk);
        self.input.consume(n);
        Ok(())
    }

    fn ws(&mut self) -> Res<()> {
        self.skip_ws(true)
    }

    /// Skips whitespace, passing it on to the skeleton (`keep`) or dropping it.
    fn skip_ws(&mut self, keep: bool) -> Res<()> {
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) => return Err(self.io_err(e)),
            };
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            if n == 0 {
                return Ok(());
            }
            if keep {
                self.take(n)?;
            } else {
                self.drop_bytes(n)?;
            }
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Res<()> {
        self.ws()?;
        match self.peek()? {
            Some(x) if x == b => self.take(1),
            Some(_) => Err(self.err(&format!("expected {what}"))),
            None => Err(self.err(&format!(
                "unexpected end of file: the SARIF JSON is truncated (expected {what})"
            ))),
        }
    }

    /// A string at the top levels, returned (keys).
    fn key(&mut self) -> Res<String> {
        self.ws()?;
        if self.peek()? != Some(b'"') {
            return Err(self.err("expected a string key"));
        }
        let start = self.sink().len();
        self.skip_value()?;
        let raw = &self.sink()[start..];
        if raw.len() > MAX_KEY {
            return Ok(String::new());
        }
        Ok(serde_json::from_slice::<String>(raw).unwrap_or_default())
    }

    /// Members of an object, calling `member(self, key)` after each key and colon.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &str) -> Res<()>) -> Res<()> {
        self.expect(b'{', "'{'")?;
        self.ws()?;
        if self.peek()? == Some(b'}') {
            return self.take(1);
        }
        loop {
            let k = self.key()?;
            self.expect(b':', "':' after an object key")?;
            self.ws()?;
            member(self, &k)?;
            self.ws()?;
            match self.peek()? {
                Some(b',') => self.take(1)?,
                Some(b'}') => return self.take(1),
                Some(_) => return Err(self.err("expected ',' or '}' in an object")),
                None => {
                    return Err(self.err(
                        "unexpected end of file: the SARIF JSON is truncated (expected '}')",
                    ));
                }
            }
        }
    }

    fn log(&mut self) -> Res<()> {
        self.object(|s, k| {
            if k == "runs" && s.peek()? == Some(b'[') {
                s.runs()
            } else {
                s.value()
            }
        })
    }

    fn runs(&mut self) -> Res<()> {
        self.take(1)?;
        let mut i = 0usize;
        self.ws()?;
        if self.peek()? == Some(b']') {
            return self.take(1);
        }
        loop {
            self.ws()?;
            self.skel.results.push(0);
            if self.peek()? == Some(b'{') {
                self.run(i)?;
            } else {
                self.value()?;
            }
            i += 1;
            self.ws()?;
            match self.peek()? {
                Some(b',') => self.take(1)?,
                Some(b']') => return self.take(1),
                Some(_) => return Err(self.err("expected ',' or ']' in \"runs\"")),
                None => {
                    return Err(self.err(
                        "unexpected end of file: the SARIF JSON is truncated (expected ']')",
                    ));
                }
            }
        }
    }

    fn run(&mut self, r: usize) -> Res<()> {
        self.object(|s, k| {
            if k == "results" && s.peek()? == Some(b'[') {
                s.results(r)
            } else {
                s.value()
            }
        })
    }

    fn results(&mut self, r: usize) -> Res<()> {
        self.take(1)?;
        let mut j = 0usize;
        loop {
            self.ws_dropped()?;
            match self.peek()? {
                Some(b']') if j == 0 => break,
                None => {
                    return Err(self.err(
                        "unexpected end of file: the SARIF JSON is truncated (expected ']')",
                    ));
                }
                _ => {}
            }
            let start = self.pos;
            self.capture = Some(Vec::new());
            let skipped = self.value();
            let bytes = self.capture.take().unwrap_or_default();
            skipped?;
            (self.on_result)(Piece {
                run: r,
                index: j,
                bytes,
                pos: start,
            });
            j += 1;
            self.ws_dropped()?;
            match self.peek()? {
                Some(b',') => self.drop_bytes(1)?,
                Some(b']') => break,
                Some(_) => return Err(self.err("expected ',' or ']' in \"results\"")),
                None => {
                    return Err(self.err(
                        "unexpected end of file: the SARIF JSON is truncated (expected ']')",
                    ));
                }
            }
        }
        if let Some(n) = self.skel.results.get_mut(r) {
            *n = j;
        }
        // The skeleton resumes here: record where.
        let off = self.skel.bytes.len();
        self.skel.segments.push((off, self.pos));
        self.take(1)
    }

    /// Whitespace between results, kept out of the skeleton.
    fn ws_dropped(&mut self) -> Res<()> {
        self.skip_ws(false)
    }

    /// Any value, skipped by bracket and string matching (serde_json checks it later).
    fn value(&mut self) -> Res<()> {
        self.skip_value()
    }

    fn skip_value(&mut self) -> Res<()> {
        self.ws()?;
        let Some(first) = self.peek()? else {
            return Err(
                self.err("unexpected end of file: the SARIF JSON is truncated (expected a value)")
            );
        };
        match first {
            b'{' | b'[' | b'"' => self.skip_nested(),
            b']' | b'}' | b',' | b':' => Err(self.err("expected a value")),
            _ => {
                // A number or literal: up to the next delimiter.
                loop {
                    let buf = match self.input.fill_buf() {
                        Ok(b) => b,
                        Err(e) => return Err(self.io_err(e)),
                    };
                    if buf.is_empty() {
                        return Ok(());
                    }
                    let n = buf
                        .iter()
                        .position(|b| {
                            matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                        })
                        .unwrap_or(buf.len());
                    let done = n < buf.len();
                    self.take(n)?;
                    if done {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// A container or string, to its matching end.
    fn skip_nested(&mut self) -> Res<()> {
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) => return Err(self.io_err(e)),
            };
            if buf.is_empty() {
                return Err(self.err("unexpected end of file: the SARIF JSON is truncated"));
            }
            let mut end = None;
            let mut i = 0;
            while i < buf.len() {
                let b = buf[i];
                if in_str {
                    if !esc {
                        // Jump to the next quote or backslash.
                        match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                            Some(k) if k > 0 => {
                                i += k;
                                continue;
                            }
                            Some(_) => {}
                            None => {
                                i = buf.len();
                                continue;
                            }
                        }
                    }
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    i += 1;
                    continue;
                }
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let n = end.unwrap_or(buf.len());
            self.take(n)?;
            if let Some(c) = &self.capture
                && c.len() > MAX_RESULT_BYTES
            {
                return Err(self.err(&format!(
                    "a result larger than {} MiB",
                    MAX_RESULT_BYTES >> 20
                )));
            }
            if end.is_some() {
                return Ok(());
            }
        }
    }
}

/// The offset, in `bytes` (one JSON value), of the node at `pointer`: the last byte of its
/// first token (the `{` or `[`, the closing quote of a string, the last character of a
/// number or literal), as the SARIF SDK reports positions. `None` when the path is absent.
pub fn locate(bytes: &[u8], pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let mut i = skip_ws(bytes, 0);
    for tok in &tokens {
        match bytes.get(i)? {
            b'{' => {
                i += 1;
                loop {
                    i = skip_ws(bytes, i);
                    if *bytes.get(i)? == b'}' {
                        return None;
                    }
                    let kend = slice_skip(bytes, i)?;
                    let key: String = serde_json::from_slice(bytes.get(i..kend)?).ok()?;
                    i = skip_ws(bytes, kend);
                    if *bytes.get(i)? != b':' {
                        return None;
                    }
                    i = skip_ws(bytes, i + 1);
                    if key == *tok {
                        break;
                    }
                    i = skip_ws(bytes, slice_skip(bytes, i)?);
                    match bytes.get(i)? {
                        b',' => i += 1,
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let want: usize = tok.parse().ok()?;
                i += 1;
                for _ in 0..want {
                    i = skip_ws(bytes, i);
                    i = skip_ws(bytes, slice_skip(bytes, i)?);
                    match bytes.get(i)? {
                        b',' => i += 1,
                        _ => return None,
                    }
                }
                i = skip_ws(bytes, i);
                if *bytes.get(i)? == b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    match bytes.get(i)? {
        b'{' | b'[' => Some(i),
        _ => slice_skip(bytes, i).map(|e| e - 1),
    }
}

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end (exclusive) of the value starting at `i`.
pub(super) fn slice_skip(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    match first {
        b'{' | b'[' | b'"' => {
            let (mut depth, mut in_str, mut esc) = (0usize, false, false);
            for (k, &c) in b.iter().enumerate().skip(i) {
                if in_str {
                    if esc {
                        esc = false;
                    } else if c == b'\\' {
                        esc = true;
                    } else if c == b'"' {
                        in_str = false;
                        if depth == 0 {
                            return Some(k + 1);
                        }
                    }
                    continue;
                }
                match c {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(k + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        _ => {
            let mut k = i;
            while k < b.len() && !matches!(b[k], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                k += 1;
            }
            (k > i).then_some(k)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_results_and_keeps_positions() {
        let text = "{\n  \"version\": \"2.1.0\",\n  \"runs\": [ { \"results\": [\n    {\"a\": 1},\n    {\"b\": [2, \"x]\"]}\n  ], \"tool\": {} } ]\n}\n";
        let mut got = Vec::new();
        let skel = scan(&mut text.as_bytes(), &mut |_| {}, |p| {
            got.push((
                p.run,
                p.index,
                String::from_utf8_lossy(&p.bytes).into_owned(),
                p.pos.line,
                p.pos.col,
            ));
        })
        .unwrap();
        assert_eq!(got[0], (0, 0, "{\"a\": 1}".into(), 4, 5));
        assert_eq!(got[1], (0, 1, "{\"b\": [2, \"x]\"]}".into(), 5, 5));
        assert_eq!(skel.results, vec![2]);
        let sk = String::from_utf8(skel.bytes.clone()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&sk).unwrap();
        assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
        let off = locate(&skel.bytes, "/runs/0/tool").unwrap();
        let p = skel.file_pos(off);
        assert_eq!((p.line, p.col), (6, 14));
    }

    #[test]
    fn locate_tokens() {
        let t = br#"{"a": [1, {"b": "xyz"}], "c": 12}"#;
        assert_eq!(locate(t, ""), Some(0));
        assert_eq!(locate(t, "/a"), Some(6));
        assert_eq!(locate(t, "/a/1/b"), Some(20));
        assert_eq!(locate(t, "/c"), Some(31));
        assert_eq!(locate(t, "/d"), None);
        assert_eq!(locate(t, "/a/5"), None);
    }

    #[test]
    fn truncated_is_an_error() {
        let r = scan(
            &mut &b"{\"runs\": [{\"results\": [{\"a\": "[..],
            &mut |_| {},
            |_| {},
        );
        assert!(r.is_err());
    }
}
