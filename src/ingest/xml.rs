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

/// Pull parser over one XML document.
pub struct XmlReader<'a> {
    reader: quick_xml::Reader<Bounded<'a>>,
    buf: Vec<u8>,
    depth: usize,
    seen_root: bool,
    root: String,
    event_start: u64,
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
        }
    }

    /// Byte offset where the last event returned by [`next`](Self::next) starts.
    pub fn offset(&self) -> u64 {
        self.event_start
    }

    /// Byte offset where the next event returned by [`next`](Self::next) will start; read it
    /// before `next` to place an error on that event (`offset` then still names the previous one).
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// Nesting depth after the last event (the root element is depth 1 inside it).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event. `Eof` only comes after the root element closed; a file that ends
    /// inside an element is an error.
    #[allow(clippy::should_implement_trait)] // events borrow the reader: not an Iterator
    pub fn next(&mut self) -> Result<Event<'_>, ParseError> {
        self.buf.clear();
        self.reader.get_mut().since_mark = 0;
        self.event_start = self.reader.buffer_position();
        let ev = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(e) => {
                return Err(xml_error(
                    &e,
                    self.reader.error_position(),
                    self.reader.buffer_position(),
                ));
            }
        };
        match &ev {
            Event::Start(e) => {
                if !self.seen_root {
                    self.seen_root = true;
                    self.root = e.name().as_ref().to_string();
                }
                self.depth += 1;
            }
            Event::Empty(e) if !self.seen_root => {
                self.seen_root = true;
                self.root = e.name().as_ref().to_string();
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof => {
                if !self.seen_root {
                    return Err(ParseError::at_byte(
                        self.event_start,
                        "unexpected end of file: expected an XML root element",
                    ));
                }
                if self.depth > 0 {
                    return Err(ParseError::at_byte(
                        self.event_start,
                        format!(
                            "unexpected end of file: {} element(s) still open inside <{}>; the file looks truncated",
                            self.depth, self.root
                        ),
                    ));
                }
            }
            Event::Text(t) if self.depth == 0 && self.seen_root && !t.trim().is_empty() => {
                return Err(ParseError::at_byte(
                    self.event_start,
                    "unexpected text after the root element",
                ));
            }
            _ => {}
        }
        Ok(ev)
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
            return match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(v) => Ok(Some(v)),
                // An unknown entity in a value: keep the raw text rather than expand anything.
                Err(_) => Ok(Some(a.value)),
            };
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

/// Like [`general_ref`], but a reference to an entity declared in the document's DTD (or to
/// none) is an error: such an entity is never expanded, so the text it stands for is unknown
/// (an XXE attempt such as `<!ENTITY x SYSTEM "file:///etc/passwd">` fails here, unread).
pub fn strict_ref(r: &BytesRef<'_>, at: u64) -> Result<Cow<'static, str>, ParseError> {
    let name = r.xml_content(quick_xml::XmlVersion::Implicit1_0);
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => Ok(Cow::Owned(c.to_string())),
            _ => Err(ParseError::at_byte(
                at,
                format!("character reference &{name}; is not a character XML allows"),
            )),
        };
    }
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => Ok(Cow::Borrowed(s)),
        None => Err(ParseError::at_byte(
            at,
            format!(
                "entity &{name}; is not defined; expected only &lt; &gt; &amp; &quot; &apos; or \
                 character references (entities declared in a DTD are never expanded)"
            ),
        )),
    }
}

/// Checks that text holds only characters XML 1.0 allows (no NUL or other C0 control
/// character besides tab, newline and carriage return).
pub fn check_chars(s: &str, at: u64) -> Result<(), ParseError> {
    let b = s.as_bytes();
    // Bytes, not chars: this runs over every text node. U+FFFE and U+FFFF are EF BF BE/BF.
    let bad = b
        .iter()
        .position(|&c| c < 0x20 && c != b'\t' && c != b'\n' && c != b'\r')
        .or_else(|| {
            memchr::memmem::find_iter(b, b"\xEF\xBF")
                .find(|&i| matches!(b.get(i + 2), Some(0xBE | 0xBF)))
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

fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}
