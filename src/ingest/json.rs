//! JSON shared by the JSON formats: a size cap, typed errors with line and column, and
//! line-delimited streams (mypy, cargo) read one bounded line at a time.
//!
//! Whole-document formats are deserialized straight from the reader into structs that name
//! only the fields shipgate uses; serde skips the rest without keeping it, so memory follows
//! what is kept, and no document larger than [`MAX_JSON_BYTES`] is read at all.

use super::error::ParseError;
use serde::de::DeserializeOwned;
use std::io::{self, BufRead, Read};

/// Largest JSON document read (a larger one is refused, so memory stays bounded).
pub const MAX_JSON_BYTES: u64 = 512 << 20;
/// Longest line of a line-delimited JSON stream.
pub const MAX_JSON_LINE: usize = 16 << 20;

struct Capped<'a> {
    inner: &'a mut dyn BufRead,
    left: u64,
}

impl Read for Capped<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other(format!(
                "the document is larger than {} MiB, the most shipgate reads as one JSON value",
                MAX_JSON_BYTES >> 20
            )));
        }
        let max = out.len().min(self.left as usize);
        let n = self.inner.read(&mut out[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Deserializes one JSON document (`what` names the format in errors) and checks that
/// nothing but whitespace follows it.
pub fn read_document<T: DeserializeOwned>(
    input: &mut dyn BufRead,
    what: &str,
) -> Result<T, ParseError> {
    let capped = Capped {
        inner: input,
        left: MAX_JSON_BYTES,
    };
    let mut de =
        serde_json::Deserializer::from_reader(io::BufReader::with_capacity(64 << 10, capped));
    let value = T::deserialize(&mut de).map_err(|e| ParseError::from_json(&e, what))?;
    de.end().map_err(|e| ParseError::from_json(&e, what))?;
    Ok(value)
}

/// Calls `f` with each non-blank line of a line-delimited JSON stream and its 1-based
/// number. Lines that are not JSON objects are passed too (cargo mixes in plain text);
/// `f` decides. A line longer than [`MAX_JSON_LINE`] is an error.
pub fn for_each_line(
    input: &mut dyn BufRead,
    mut f: impl FnMut(&[u8], u64) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        let read = (&mut *input)
            .take(MAX_JSON_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ParseError::at_line(n + 1, 1, format!("cannot read: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        n += 1;
        if line.len() > MAX_JSON_LINE {
            return Err(ParseError::at_line(
                n,
                1,
                format!(
                    "a line longer than {} MiB; expected one JSON object per line",
                    MAX_JSON_LINE >> 20
                ),
            ));
        }
        let t = line.trim_ascii();
        if !t.is_empty() {
            f(t, n)?;
        }
    }
}

/// Deserializes one line of a line-delimited stream, errors placed on that line.
pub fn parse_line<T: DeserializeOwned>(
    line: &[u8],
    lineno: u64,
    what: &str,
) -> Result<T, ParseError> {
    serde_json::from_slice(line).map_err(|e| {
        let mut pe = ParseError::from_json(&e, what);
        pe.at = super::error::At::LineCol(lineno, e.column() as u64);
        pe
    })
}

/// Keeps at most [`super::xml::MAX_TEXT_BYTES`] of a message or stack trace.
pub fn clip(mut s: String) -> String {
    let max = super::xml::MAX_TEXT_BYTES;
    if s.len() > max {
        let keep = super::xml::truncate(&s, max).len();
        s.truncate(keep);
        s.push_str("\n[… truncated by shipgate]");
    }
    s
}

/// Streams the entries of a JSON object (the document itself, or the object under its
/// top-level key `under`) into `f(key, value)`, so only one entry's value is in memory at a
/// time: what keeps a 200 MB `coverage-final.json` from being held whole. Other top-level keys
/// are skipped. A message `f` returns becomes an error placed where that entry ends. Returns
/// whether the object was there (always true without `under`).
pub fn for_each_entry<T, F>(
    input: &mut dyn BufRead,
    what: &str,
    under: Option<&str>,
    f: F,
) -> Result<bool, ParseError>
where
    T: DeserializeOwned,
    F: FnMut(String, T) -> Result<(), String>,
{
    let capped = Capped {
        inner: input,
        left: MAX_JSON_BYTES,
    };
    let mut de =
        serde_json::Deserializer::from_reader(io::BufReader::with_capacity(64 << 10, capped));
    let mut entries = Entries {
        f,
        _t: std::marker::PhantomData,
    };
    let found = match under {
        None => {
            serde::de::DeserializeSeed::deserialize(&mut entries, &mut de)
                .map_err(|e| ParseError::from_json(&e, what))?;
            true
        }
        Some(key) => serde::de::DeserializeSeed::deserialize(
            Under {
                key,
                entries: &mut entries,
            },
            &mut de,
        )
        .map_err(|e| ParseError::from_json(&e, what))?,
    };
    de.end().map_err(|e| ParseError::from_json(&e, what))?;
    Ok(found)
}

struct Entries<T, F> {
    f: F,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<'de, T, F> serde::de::DeserializeSeed<'de> for &mut Entries<T, F>
where
    T: DeserializeOwned,
    F: FnMut(String, T) -> Result<(), String>,
{
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T, F> serde::de::Visitor<'de> for &mut Entries<T, F>
where
    T: DeserializeOwned,
    F: FnMut(String, T) -> Result<(), String>,
{
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object keyed by file")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let value: T = map.next_value()?;
            (self.f)(key, value).map_err(serde::de::Error::custom)?;
        }
        Ok(())
    }
}

struct Under<'k, 'e, T, F> {
    key: &'k str,
    entries: &'e mut Entries<T, F>,
}

impl<'de, T, F> serde::de::DeserializeSeed<'de> for Under<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(String, T) -> Result<(), String>,
{
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T, F> serde::de::Visitor<'de> for Under<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(String, T) -> Result<(), String>,
{
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with a \"{}\" member", self.key)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                map.next_value_seed(&mut *self.entries)?;
                found = true;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Names the key of [`ListOrKeyed`].
pub trait ListKey {
    /// The object key that holds the list.
    const KEY: &'static str;
    /// What the document should be, for error messages.
    const EXPECTING: &'static str;
}

/// A list written bare (`[...]`) or under one key of an object (`{"KEY": [...], ...}`): the
/// two shapes several tools' reports take across versions and options (pip-audit, Pylint
/// `json`/`json2`, ShellCheck `json`/`json1`). A `null` under the key is an empty list; other
/// keys of the object are skipped without being kept.
pub struct ListOrKeyed<T, K> {
    /// The elements.
    pub items: Vec<T>,
    /// Whether they came under the key (so JSON pointers into them start with `/KEY`).
    pub keyed: bool,
    key: std::marker::PhantomData<K>,
}

impl<'de, T: serde::Deserialize<'de>, K: ListKey> serde::Deserialize<'de> for ListOrKeyed<T, K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V<T, K>(std::marker::PhantomData<(T, K)>);
        impl<'de, T: serde::Deserialize<'de>, K: ListKey> Visitor<'de> for V<T, K> {
            type Value = ListOrKeyed<T, K>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(K::EXPECTING)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element()? {
                    items.push(x);
                }
                Ok(ListOrKeyed {
                    items,
                    keyed: false,
                    key: std::marker::PhantomData,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == K::KEY {
                        items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                let items = items.ok_or_else(|| de::Error::missing_field(K::KEY))?;
                Ok(ListOrKeyed {
                    items,
                    keyed: true,
                    key: std::marker::PhantomData,
                })
            }
        }
        d.deserialize_any(V::<T, K>(std::marker::PhantomData))
    }
}
