//! `partialFingerprints.primaryLocationLineHash`, computed the way GitHub's codeql-action
//! computes it before an upload (`src/fingerprints.ts`, function `hash`), so that an alert
//! keeps its identity when unrelated lines move.
//!
//! The algorithm, as codeql-action implements it:
//! - The file is read as UTF-8 (invalid bytes become U+FFFD) and walked by UTF-16 code unit.
//! - Spaces and tabs are skipped entirely; `\r\n`, `\r` and `\n` all count as one `\n`.
//! - A polynomial rolling hash (multiplier 37, 64-bit wrapping arithmetic) runs over a window
//!   of the last 100 kept code units. The hash of line N is the hash of the 100 code units that
//!   start at line N's first kept character (so it covers the following lines too), taken when
//!   that window is full. After the text come the code unit 65535 and enough zeros to fill the
//!   window for the last lines.
//! - The value is the unsigned hash in lower-case hex without leading zeros, then `:` and the
//!   number of times that same hash has occurred so far in the file (identical blocks of code
//!   get `:1`, `:2`...).
//!
//! Inserting or deleting lines above a finding changes neither its line's text nor the 100
//! characters after it, so the hash stays the same; editing the line or the next ~100
//! non-blank characters changes it, as on GitHub.

use std::collections::{BTreeSet, HashMap};

const BLOCK: usize = 100;
const MOD: u64 = 37;
/// What codeql-action feeds after the last character (`EOF = 65535`).
const EOF: u16 = 0xFFFF;

/// 37^100 with 64-bit wrap-around: the weight of the code unit leaving the window.
fn first_mod() -> u64 {
    (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(MOD))
}

struct Hasher<'w> {
    window: [u16; BLOCK],
    /// For each window slot, the line that starts there (or 0 for none).
    line_at: [u32; BLOCK],
    hash: u64,
    first_mod: u64,
    index: usize,
    line: u32,
    line_start: bool,
    prev_cr: bool,
    counts: HashMap<u64, u32>,
    wanted: &'w BTreeSet<u32>,
    out: HashMap<u32, String>,
}

impl<'w> Hasher<'w> {
    fn new(wanted: &'w BTreeSet<u32>) -> Self {
        Hasher {
            window: [0; BLOCK],
            line_at: [0; BLOCK],
            hash: 0,
            first_mod: first_mod(),
            index: 0,
            line: 0,
            line_start: true,
            prev_cr: false,
            counts: HashMap::new(),
            wanted,
            out: HashMap::new(),
        }
    }

    fn output(&mut self) {
        let n = self.counts.entry(self.hash).or_insert(0);
        *n += 1;
        let line = self.line_at[self.index];
        if self.wanted.contains(&line) {
            self.out.insert(line, format!("{:x}:{n}", self.hash));
        }
        self.line_at[self.index] = 0;
    }

    fn update(&mut self, current: u16) {
        let begin = self.window[self.index];
        self.window[self.index] = current;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(u64::from(current))
            .wrapping_sub(self.first_mod.wrapping_mul(u64::from(begin)));
        self.index = (self.index + 1) % BLOCK;
    }

    fn char(&mut self, mut c: u16) {
        if c == b' ' as u16 || c == b'\t' as u16 || (self.prev_cr && c == b'\n' as u16) {
            self.prev_cr = false;
            return;
        }
        if c == b'\r' as u16 {
            c = b'\n' as u16;
            self.prev_cr = true;
        } else {
            self.prev_cr = false;
        }
        if self.line_at[self.index] != 0 {
            self.output();
        }
        if self.line_start {
            self.line_start = false;
            self.line += 1;
            self.line_at[self.index] = self.line;
        }
        if c == b'\n' as u16 {
            self.line_start = true;
        }
        self.update(c);
    }

    fn finish(mut self) -> HashMap<u32, String> {
        self.char(EOF);
        for _ in 0..BLOCK {
            if self.line_at[self.index] != 0 {
                self.output();
            }
            self.update(0);
        }
        self.out
    }
}

/// The line hashes of `text` for the 1-based `lines` wanted (lines past the end get none).
pub fn line_hashes(text: &str, lines: &BTreeSet<u32>) -> HashMap<u32, String> {
    let mut h = Hasher::new(lines);
    for c in text.encode_utf16() {
        h.char(c);
    }
    h.finish()
}

/// Line hashes of a file's bytes, decoded as codeql-action's UTF-8 stream decoder does.
pub fn file_line_hashes(bytes: &[u8], lines: &BTreeSet<u32>) -> HashMap<u32, String> {
    line_hashes(&String::from_utf8_lossy(bytes), lines)
}

/// A hash for results that have no source line to hash (package and image findings, files
/// outside the repository): the first 16 hex digits of SHA-256 over `parts`, then `:1`, the
/// same shape as a line hash.
pub fn identity_hash(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let d = h.finalize();
    let mut s = String::with_capacity(18);
    for b in &d[..8] {
        s.push_str(&format!("{b:02x}"));
    }
    s.push_str(":1");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's hash, in line order.
    fn all(text: &str) -> Vec<String> {
        let lines: BTreeSet<u32> = (1..=10_000).collect();
        let m = line_hashes(text, &lines);
        let mut keys: Vec<u32> = m.keys().copied().collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| m[&k].clone()).collect()
    }

    // Expected values: codeql-action's own test, src/fingerprints.test.ts ('hash').
    #[test]
    fn codeql_action_vectors() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        assert_eq!(
            all(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End"),
            [
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ]
        );
        let expected = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            assert_eq!(all(text), expected, "{text:?}");
        }
        assert_eq!(
            all(&"Lorem ipsum dolor sit amet.\n".repeat(10)),
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1"
            ]
        );
    }

    #[test]
    fn moving_lines_above_keeps_the_hash() {
        let body = "fn main() {\n    let x = compute(1, 2);\n    println!(\"{x}\");\n}\n";
        let before = format!("use a;\n{body}");
        let after = format!("use a;\n// one\n// two\n\nuse b;\n{body}");
        let h1 = line_hashes(&before, &BTreeSet::from([3]));
        let h2 = line_hashes(&after, &BTreeSet::from([7]));
        assert_eq!(h1[&3], h2[&7]);
    }

    #[test]
    fn identity() {
        let a = identity_hash(&["npm", "lodash", "4.17.20"]);
        assert_eq!(a.len(), 18);
        assert!(a.ends_with(":1"));
        assert_ne!(a, identity_hash(&["npm", "lodash", "4.17.21"]));
    }
}
