//! Streaming XML shared by the XML formats: bounded events, no entity expansion, typed errors.
//!
//! quick-xml never expands entities declared in a document's DTD and never fetches external
//! ones; unknown references are kept as their literal text. Each event (a tag with its
//! attributes, or a run of text) is capped at [`MAX_EVENT_BYTES`], so a 2 GB attribute or text
//! node fails with an error instead of growing a buffer without bound.

use super::error::ParseError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::borrow::Cow;
use std::io::{self, BufRead, Read};

/// Largest single XML event (tag or text run) accepted.
pub const MAX_EVENT_BYTES: u64 = 64 << 20;
/// Largest message or stack trace kept per item; longer text is cut with a marker.
pub const MAX_TEXT_BYTES: usize = 64 << 10;

/// A `BufRead` that refuses to hand out more than a limit of bytes between two marks.
struct Bounded<'a> {
    inner: &'a mut dyn BufRead,
    since_mark: u64,
    limit: u64,
}

#[derive(Debug)]
struct TooLong;
impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("event too long")
    }
}
impl std::error::Error for TooLong {}

impl Read for Bounded<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Bounded<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_mark > self.limit {
            return Err(io::Error::other(TooLong));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.since_mark += amt as u64;
        self.inner.consume(amt);
    }
}

/// An event with its byte offset and the depth before and after it.
pub struct Placed<'a> {
    /// Byte offset where the event starts.
    pub at: u64,
    /// Nesting depth before the event.
    pub before: usize,
    /// Nesting depth after the event.
    pub depth: usize,
    /// The event.
    pub ev: Event<'a>,
}

/// Pull parser over one XML document.
pub struct XmlReader<'a> {
    reader: quick_xml::Reader<Bounded<'a>>,
    buf: Vec<u8>,
    depth: usize,
    seen_root: bool,
    root: String,
    event_start: u64,
    /// Bytes consumed by [`XmlReader::raw_chunk`] behind quick-xml's back.
    skipped: u64,
}

impl<'a> XmlReader<'a> {
    /// Reads from `input`; a UTF-8 BOM is skipped by quick-xml.
    pub fn new(input: &'a mut dyn BufRead) -> Self {
        let mut reader = quick_xml::Reader::from_reader(Bounded {
            inner: input,
            since_mark: 0,
            limit: MAX_EVENT_BYTES,
        });
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader {
            reader,
            buf: Vec::with_capacity(8 << 10),
            depth: 0,
            seen_root: false,
            root: String::new(),
            event_start: 0,
            skipped: 0,
        }
    }

    /// Byte offset where the event the next call to [`next`](Self::next) returns starts: read
    /// it just before that call to place errors about the event.
    pub fn offset(&self) -> u64 {
        self.reader.buffer_position() + self.skipped
    }

    /// Nesting depth after the last event (the root element is depth 1 inside it).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event. `Eof` only comes after the root element closed; a file that ends
    /// inside an element is an error.
    // Not an Iterator: the event borrows the reader's buffer until the next call.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Event<'_>, ParseError> {
        self.buf.clear();
        self.reader.get_mut().since_mark = 0;
        self.event_start = self.reader.buffer_position() + self.skipped;
        let ev = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(e) => {
                return Err(xml_error(
                    &e,
                    self.reader.error_position() + self.skipped,
                    self.reader.buffer_position() + self.skipped,
                ));
            }
        };
        let opens_root = !self.seen_root && matches!(ev, Event::Start(_) | Event::Empty(_));
        if let (true, Event::Start(e) | Event::Empty(e)) = (opens_root, &ev) {
            self.seen_root = true;
            self.root = e.name().as_ref().to_string();
        }
        let problem = match &ev {
            Event::Start(_) => {
                self.depth += 1;
                None
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                None
            }
            Event::Eof if !self.seen_root => {
                Some("unexpected end of file: expected an XML root element".to_string())
            }
            Event::Eof if self.depth > 0 => Some(format!(
                "unexpected end of file: {} element(s) still open inside <{}>; the file looks truncated",
                self.depth, self.root
            )),
            Event::GeneralRef(r) if !is_known_ref(r) => Some(format!(
                "entity reference &{}; is not one of XML's predefined entities; shipgate never expands entities declared in a document's DTD (billion laughs, external entities)",
                truncate(r, 40)
            )),
            Event::Text(t) if self.depth == 0 && self.seen_root && !t.trim().is_empty() => {
                Some("unexpected text after the root element".to_string())
            }
            _ => None,
        };
        if let Some(message) = problem {
            return Err(ParseError::at_byte(self.event_start, message));
        }
        // Characters XML forbids (NUL and other controls) make a damaged report, whatever the
        // format: refuse them everywhere rather than in some parsers.
        match &ev {
            Event::Text(t) => check_chars(t, self.event_start)?,
            Event::CData(t) => check_chars(t, self.event_start + 9)?,
            Event::GeneralRef(r) => check_chars(&general_ref(r), self.event_start)?,
            _ => {}
        }
        Ok(ev)
    }

    /// The next event with where it starts and the nesting depth around it, so parsers do not
    /// derive them: `before` is the depth before the event (a start tag's parent level),
    /// `depth` the depth after it (inside a start tag, back at the parent after an end tag).
    pub fn next_placed(&mut self) -> Result<Placed<'_>, ParseError> {
        let at = self.offset();
        let before = self.depth;
        let ev = self.next()?;
        let depth = match ev {
            Event::Start(_) => before + 1,
            Event::End(_) => before.saturating_sub(1),
            _ => before,
        };
        Ok(Placed {
            at,
            before,
            depth,
            ev,
        })
    }

    /// Hands the bytes already buffered after the last event to `f` (with their offset in the
    /// file) and consumes as many as `f` returns. Formats use this for long runs of simple,
    /// self-closing elements: `f` must stop before anything it does not fully understand
    /// (a partial element at the end of the buffer, a comment, an entity, an element with
    /// children), so quick-xml reads that next, strictly, with its usual errors.
    pub fn raw_chunk(&mut self, f: impl FnOnce(&[u8], u64) -> usize) -> Result<usize, ParseError> {
        let base = self.reader.buffer_position() + self.skipped;
        let inner = &mut self.reader.get_mut().inner;
        let buf = inner
            .fill_buf()
            .map_err(|e| ParseError::at_byte(base, format!("cannot read: {e}")))?;
        let n = f(buf, base).min(buf.len());
        inner.consume(n);
        self.skipped += n as u64;
        Ok(n)
    }

    /// Skips the rest of the element whose Start event was just returned.
    pub fn skip_element(&mut self) -> Result<(), ParseError> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if let Event::Eof = self.next()? {
                break;
            }
        }
        Ok(())
    }
}

fn xml_error(e: &quick_xml::Error, error_pos: u64, pos: u64) -> ParseError {
    if let quick_xml::Error::Io(io) = e
        && io.get_ref().is_some_and(|inner| inner.is::<TooLong>())
    {
        return ParseError::at_byte(
            error_pos,
            format!(
                "a single XML tag or text run is longer than {} MiB; expected a well-formed report",
                MAX_EVENT_BYTES >> 20
            ),
        );
    }
    let message = match e {
        quick_xml::Error::Io(io) => format!("cannot read: {io}"),
        quick_xml::Error::Syntax(s) => format!("malformed XML: {s}"),
        quick_xml::Error::IllFormed(s) => format!("malformed XML: {s}"),
        quick_xml::Error::Encoding(s) => format!("expected UTF-8 text: {s}"),
        other => format!("malformed XML: {other}"),
    };
    ParseError::at_byte(if error_pos > 0 { error_pos } else { pos }, message)
}

/// The value of attribute `name` (matched on its local name), unescaped.
pub fn attr<'e>(
    e: &'e BytesStart<'_>,
    name: &str,
    at: u64,
) -> Result<Option<Cow<'e, str>>, ParseError> {
    for a in e.attributes().with_checks(false) {
        let a =
            a.map_err(|err| ParseError::at_byte(at, format!("malformed XML attribute: {err}")))?;
        if a.key.local_name().as_ref() == name {
            return a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(Some)
                .map_err(|err| {
                    ParseError::at_byte(
                        at,
                        format!(
                            "attribute {name} on <{}>: {err}; only XML's predefined entities and character references are expanded, never ones declared in a DTD",
                            e.name().as_ref()
                        ),
                    )
                });
        }
    }
    Ok(None)
}

/// Attribute `name` parsed as a number; a value that is not one is an error naming it.
pub fn attr_num<T: std::str::FromStr>(
    e: &BytesStart<'_>,
    name: &str,
    at: u64,
) -> Result<Option<T>, ParseError> {
    match attr(e, name, at)? {
        None => Ok(None),
        Some(v) => {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<T>().map(Some).map_err(|_| {
                ParseError::at_byte(
                    at,
                    format!(
                        "attribute {}=\"{}\" on <{}>: expected a number",
                        name,
                        truncate(t, 40),
                        e.name().as_ref()
                    ),
                )
            })
        }
    }
}

/// A character reference or one of the five predefined entities.
fn is_known_ref(r: &BytesRef<'_>) -> bool {
    matches!(r.resolve_char_ref(), Ok(Some(_)))
        || quick_xml::escape::resolve_predefined_entity(
            &r.xml_content(quick_xml::XmlVersion::Implicit1_0),
        )
        .is_some()
}

/// The text a general reference (`&amp;`, `&#10;`) stands for; an entity declared in the
/// document's DTD is never expanded and is kept as written.
pub fn general_ref(r: &BytesRef<'_>) -> Cow<'static, str> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Cow::Owned(c.to_string());
    }
    let name = r.xml_content(quick_xml::XmlVersion::Implicit1_0);
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(format!("&{name};")),
    }
}

/// The text a Text, CDATA or entity-reference event stands for (empty for other events):
/// the three pieces an element's text arrives in.
pub fn text_piece<'e>(ev: &'e Event<'_>) -> Cow<'e, str> {
    match ev {
        Event::Text(t) => t.xml_content(quick_xml::XmlVersion::Implicit1_0),
        Event::CData(t) => t.xml_content(quick_xml::XmlVersion::Implicit1_0),
        Event::GeneralRef(r) => general_ref(r),
        _ => Cow::Borrowed(""),
    }
}

/// Appends `piece` to `out`, keeping at most [`MAX_TEXT_BYTES`].
pub fn push_text(out: &mut String, piece: &str) {
    if out.len() >= MAX_TEXT_BYTES {
        return;
    }
    let room = MAX_TEXT_BYTES - out.len();
    if piece.len() <= room {
        out.push_str(piece);
    } else {
        out.push_str(truncate(piece, room));
        out.push_str("\n[… truncated by shipgate]");
    }
}

/// Longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether a byte is a C0 control character other than tab, newline and carriage return.
fn is_control(c: u8) -> bool {
    (c < 0x20) & (c != b'\t') & (c != b'\n') & (c != b'\r')
}

/// The offset of the first C0 control character other than tab, newline and carriage return.
/// Whole 32-byte blocks are tested without branches first (the compiler vectorises that loop;
/// a plain `position` stops at every byte), then the block that has one is searched.
fn first_control(b: &[u8]) -> Option<usize> {
    let mut at = 0;
    for block in b.chunks(32) {
        if block.iter().fold(false, |any, &c| any | is_control(c)) {
            return block.iter().position(|&c| is_control(c)).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

/// Checks that text holds only characters XML 1.0 allows (no NUL or other C0 control
/// character besides tab, newline and carriage return, no U+FFFE or U+FFFF); `at` is where
/// the text starts.
pub fn check_chars(s: &str, at: u64) -> Result<(), ParseError> {
    let b = s.as_bytes();
    // Bytes, not chars: this runs over every text node. U+FFFE and U+FFFF are EF BF BE/BF.
    let bad = first_control(b).or_else(|| {
        memchr::memchr_iter(0xEF, b)
            .find(|&i| b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    });
    match bad.and_then(|i| Some((i, s.get(i..)?.chars().next()?))) {
        None => Ok(()),
        Some((i, c)) => Err(ParseError::at_byte(
            at + i as u64,
            format!(
                "control character U+{:04X} in text; XML does not allow it (the report is damaged)",
                c as u32
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::error::At;

    /// The rule written plainly, as check_chars reports it: the first C0 control other than
    /// tab, newline and carriage return, else the first U+FFFE or U+FFFF.
    fn plain(b: &[u8]) -> Option<usize> {
        (0..b.len())
            .find(|&i| b[i] < 0x20 && !matches!(b[i], b'\t' | b'\n' | b'\r'))
            .or_else(|| {
                (0..b.len()).find(|&i| {
                    b[i..].starts_with(b"\xEF\xBF") && matches!(b.get(i + 2), Some(0xBE | 0xBF))
                })
            })
    }

    #[test]
    fn check_chars_finds_what_the_plain_rule_finds() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pieces = [
            "é", "\t", "\n", "\r", "\u{1}", "\u{1f}", "\u{fffe}", "\u{ffff}", "\u{fffd}",
        ];
        for _ in 0..5_000 {
            let n = (next() % 100) as usize;
            let mut s = String::new();
            for _ in 0..n {
                // Mostly plain text, now and then a piece that matters, so blocks of 32
                // bytes have none, one or several.
                let r = next();
                s.push_str(if r % 16 == 0 {
                    pieces[(r >> 8) as usize % pieces.len()]
                } else {
                    "x"
                });
            }
            let got = match check_chars(&s, 100) {
                Ok(()) => None,
                Err(ParseError {
                    at: At::Byte(b), ..
                }) => Some(b as usize - 100),
                Err(e) => panic!("{e:?}"),
            };
            assert_eq!(got, plain(s.as_bytes()), "{s:?}");
        }
    }
}
