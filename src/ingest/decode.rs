//! Opening a report as UTF-8 bytes. Files with a UTF-16 byte-order mark (what Windows
//! PowerShell's `>` writes by default) are transcoded on the fly, so every format parser only
//! ever sees UTF-8; the BOM comes out as a UTF-8 BOM, which the readers skip.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Opens `path` and returns a reader of its text as UTF-8 bytes.
pub fn open(path: &Path) -> io::Result<(File, Box<dyn Read>)> {
    let mut file = File::open(path)?;
    let meta_file = file.try_clone()?;
    let mut first = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        let k = file.read(&mut first[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let prefix = io::Cursor::new(first[..n].to_vec());
    let reader: Box<dyn Read> = match &first[..n] {
        [0xFF, 0xFE] => Box::new(Utf16::new(prefix.chain(file), false)),
        [0xFE, 0xFF] => Box::new(Utf16::new(prefix.chain(file), true)),
        _ => Box::new(prefix.chain(file)),
    };
    Ok((meta_file, reader))
}

/// UTF-16 (either byte order) in, UTF-8 out.
struct Utf16<R> {
    inner: R,
    big_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    high: Option<u16>,
    consumed: u64,
    eof: bool,
}

impl<R: Read> Utf16<R> {
    fn new(inner: R, big_endian: bool) -> Self {
        Utf16 {
            inner,
            big_endian,
            raw: Vec::with_capacity(16 << 10),
            out: Vec::with_capacity(24 << 10),
            out_pos: 0,
            high: None,
            consumed: 0,
            eof: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        let keep = self.raw.len();
        self.raw.resize(keep + (16 << 10), 0);
        let n = self.inner.read(&mut self.raw[keep..])?;
        self.raw.truncate(keep + n);
        if n == 0 {
            self.eof = true;
            if !self.raw.is_empty() || self.high.is_some() {
                return Err(self.bad("the file ends in the middle of a UTF-16 character"));
            }
            return Ok(());
        }
        let whole = self.raw.len() / 2 * 2;
        for pair in self.raw[..whole].chunks_exact(2) {
            let unit = if self.big_endian {
                u16::from_be_bytes([pair[0], pair[1]])
            } else {
                u16::from_le_bytes([pair[0], pair[1]])
            };
            let c = match (self.high.take(), unit) {
                (None, 0xD800..=0xDBFF) => {
                    self.high = Some(unit);
                    None
                }
                (Some(h), 0xDC00..=0xDFFF) => char::from_u32(
                    0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00),
                ),
                (None, 0xDC00..=0xDFFF) | (Some(_), _) => {
                    return Err(self.bad("invalid UTF-16 (an unpaired surrogate)"));
                }
                (None, u) => char::from_u32(u32::from(u)),
            };
            if let Some(c) = c {
                let mut b = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            self.consumed += 2;
        }
        self.raw.drain(..whole);
        Ok(())
    }

    fn bad(&self, what: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{what} at byte {} of the file", self.consumed),
        )
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], be: bool) -> io::Result<String> {
        let mut s = String::new();
        Utf16::new(bytes, be).read_to_string(&mut s)?;
        Ok(s)
    }

    #[test]
    fn both_byte_orders_and_surrogates() {
        let text = "\u{FEFF}<a>é 😀</a>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le, false).unwrap(), text);
        assert_eq!(decode(&be, true).unwrap(), text);
    }

    #[test]
    fn odd_length_and_lone_surrogate_are_errors() {
        assert!(decode(&[0x3C, 0x00, 0x61], false).is_err());
        assert!(decode(&[0x00, 0xD8, 0x61, 0x00], false).is_err());
    }
}
