//! Errors of the ingest layer: typed, and each names the file, the position and what was expected.

use std::fmt;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Byte offset from the start of the file (converted to line:column before display).
    Byte(u64),
    /// 1-based line and column.
    LineCol(u64, u64),
    /// A JSON pointer into a document.
    Pointer(String),
    /// The file as a whole.
    File,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Byte(b) => write!(f, "byte {b}"),
            At::LineCol(l, c) => write!(f, "{l}:{c}"),
            At::Pointer(p) => write!(f, "{}", if p.is_empty() { "/" } else { p }),
            At::File => Ok(()),
        }
    }
}

/// A parse problem as a format parser sees it: a position and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct ParseError {
    /// Where.
    pub at: At,
    /// What was wrong, phrased as what was expected.
    pub message: String,
}

impl ParseError {
    /// A problem at a byte offset.
    pub fn at_byte(offset: u64, message: impl Into<String>) -> Self {
        ParseError {
            at: At::Byte(offset),
            message: message.into(),
        }
    }

    /// A problem at a line and column.
    pub fn at_line(line: u64, column: u64, message: impl Into<String>) -> Self {
        ParseError {
            at: At::LineCol(line, column),
            message: message.into(),
        }
    }

    /// A problem at a JSON pointer.
    pub fn at_pointer(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        ParseError {
            at: At::Pointer(pointer.into()),
            message: message.into(),
        }
    }

    /// From a serde_json error, which carries line and column.
    pub fn from_json(e: &serde_json::Error, what: &str) -> Self {
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                format!("unexpected end of file: the {what} JSON is truncated")
            }
            serde_json::error::Category::Io => format!("cannot read: {e}"),
            _ => format!(
                "invalid {what} JSON: {}",
                strip_json_position(&e.to_string())
            ),
        };
        ParseError::at_line(e.line() as u64, e.column() as u64, message)
    }
}

fn strip_json_position(s: &str) -> &str {
    s.rfind(" at line ").map_or(s, |i| &s[..i])
}

/// Why a report could not be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{path}: empty file; expected a coverage, test-result or findings report")]
    Empty {
        /// The file.
        path: String,
    },
    /// The content matches no known format.
    #[error("{path}: unknown report format (it starts with {start}); expected {expected}")]
    UnknownFormat {
        /// The file.
        path: String,
        /// The first bytes, quoted.
        start: String,
        /// What was expected.
        expected: String,
    },
    /// The content is malformed.
    #[error("{path}:{}{message}", at_prefix(at))]
    Parse {
        /// The file.
        path: String,
        /// Where.
        at: At,
        /// What was expected there.
        message: String,
    },
    /// A glob matched nothing or was malformed.
    #[error("{pattern}: {message}")]
    Pattern {
        /// The pattern as given.
        pattern: String,
        /// What went wrong.
        message: String,
    },
}

fn at_prefix(at: &At) -> String {
    match at {
        At::File => " ".to_string(),
        other => format!("{other}: "),
    }
}
