//! The baseline: a compact, versioned digest of a run, small enough for a check run's
//! `output.text` (at most 65,535 characters), so a later run can compare itself with the
//! base commit's without a server or a data branch. `report.json` carries the same digest
//! (`baseline`), so `--baseline report.json` reads it back too.
//!
//! Layout (then base64, standard alphabet, inside `<!-- shipgate-baseline:v2:… -->`):
//!
//! ```text
//! u8 version (2)
//! varint n, n bytes   JSON header: commit, score, sub-scores, coverage totals, test counts,
//!                     metrics, sections left out to fit
//! files               keys (K = 16), then n × (varint lines total, varint zigzag(total − covered))
//! tests               u8 present, then keys (K = 8) of all test ids
//! failing, skipped    keys (K = 8)
//! findings            u8 present, keys (K = 8), then n × varint count
//! keys                varint range M, varint n, then n Golomb-Rice coded gaps (parameter
//!                     ⌊log2(M / n)⌋, bits MSB first, padded to a byte)
//! ```
//!
//! Hashes are the first four bytes of the SHA-256 of the path, of
//! `suite NUL class NUL name`, and of the finding's fingerprint
//! ([`super::report::fingerprint`]'s first 8 hex digits). Each set is a Golomb-coded set:
//! its hashes are mapped onto `0..M` with `M = n · 2^K` (`h · M >> 32`), sorted, and their
//! gaps Rice-coded: K + 1 + 1/(e − 1) ≈ K + 1.58 bits each. A hash that was not in the set
//! matches one that was with probability n / M = 2^-K: 1/256 for tests, failing, skipped
//! and findings, 1/65,536 for files. A false match mostly hides a difference (a newly
//! failing test taken as failing before, a removed test not counted, a new finding taken as
//! known); two cases show a wrong one instead: a test added and skipped may be counted as
//! newly skipped (1/256 each), and a file new since the base may show another file's
//! coverage as its "before" (1/65,536 each). Files whose keys collide in the base run itself
//! are dropped (their "before" is unknown) rather than mixed up; findings whose keys collide
//! add their counts.
//!
//! About 2.2 bytes a file for its key plus its line counts as varints (3 bytes for 250
//! lines, 50 uncovered), 1.2 bytes a test id, 1.2 a finding plus its count, then base64's
//! 4/3: a project of 1,000 files, 5,000 tests and 500 findings takes 16,714 characters
//! (version 1: 34,650), one of 50 files, 300 tests and 20 findings 990 (v1: 2,310), 2,000
//! files alone 13,954 (v1: 19,730). So "a few KB" holds up to a few thousand tests and
//! files; 10,000 tests alone take about 16,000 characters. When the digest would exceed
//! [`MAX_CHARS`] (about 37,000 tests with nothing else) the test-id set is left
//! out first, then per-file coverage, then findings, and the header says so.

use super::digest::sha256_hex;
use super::report::fingerprint;
use super::verdict::Verdict;
use crate::ingest::{Bundle, Kind};
use crate::model::TestStatus;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The digest's format version.
pub const VERSION: u8 = 2;
/// What starts the digest in a text (check run output, comment).
pub const MARKER: &str = "<!-- shipgate-baseline:v2:";
/// The largest digest written, in characters (room is left in the 65,535 of `output.text`).
pub const MAX_CHARS: usize = 60_000;

/// Why a digest could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    /// No digest in the text.
    #[error(
        "no shipgate baseline digest found (expected `{MARKER}…-->` or report.json's `baseline`)"
    )]
    Missing,
    /// Not base64.
    #[error("the baseline digest is not base64: {0}")]
    Base64(String),
    /// Another version.
    #[error("baseline digest version {0}; this shipgate reads version {VERSION}")]
    Version(u8),
    /// Truncated or malformed.
    #[error("the baseline digest is damaged at byte {at}: {what}")]
    Damaged {
        /// Byte offset in the decoded digest.
        at: usize,
        /// What was expected.
        what: String,
    },
}

/// Test counts of the base run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TestCounts {
    /// All cases.
    pub total: u64,
    /// Failed plus errored.
    pub failing: u64,
    /// Skipped (todo included).
    pub skipped: u64,
}

/// The small, readable part of the digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The commit the base run gated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Weighted total score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Sub-scores by dimension key (measured ones only).
    #[serde(default)]
    pub dimensions: BTreeMap<String, f64>,
    /// Line coverage, percent, when coverage was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_coverage: Option<f64>,
    /// Test counts, when tests were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<TestCounts>,
    /// Unsuppressed findings, when findings were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<u64>,
    /// Measured metrics.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Sections left out to stay within [`MAX_CHARS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
}

/// The full range of a hash: keys are the hashes themselves.
pub const FULL: u64 = 1 << 32;
/// Golomb-coded sets of tests, failing, skipped and findings: 2^-8 false matches.
const K_SETS: u32 = 8;
/// Golomb-coded set of file paths: 2^-16 false matches.
const K_FILES: u32 = 16;

/// Hash-keyed values of the digest: built from full 32-bit hashes (`range` [`FULL`]);
/// decoded ones hold keys reduced to `0..range`, and every lookup reduces the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<V> {
    /// The key range (`n · 2^K` once encoded, [`FULL`] when built from a run).
    pub range: u64,
    /// Values by key.
    pub map: HashMap<u32, V>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed {
            range: FULL,
            map: HashMap::new(),
        }
    }
}

impl<V> Keyed<V> {
    /// The key of a 32-bit hash in this range.
    pub fn key(&self, h: u32) -> u32 {
        reduce(h, self.range)
    }

    /// The value of a hash (or of one sharing its key).
    pub fn get(&self, h: u32) -> Option<&V> {
        self.map.get(&self.key(h))
    }

    /// Whether a hash (or one sharing its key) is in.
    pub fn contains(&self, h: u32) -> bool {
        self.map.contains_key(&self.key(h))
    }

    /// Sets the value of a hash.
    pub fn insert(&mut self, h: u32, v: V) {
        let k = self.key(h);
        self.map.insert(k, v);
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// No keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A set of hashes.
pub type Keys = Keyed<()>;

impl FromIterator<u32> for Keys {
    fn from_iter<I: IntoIterator<Item = u32>>(it: I) -> Self {
        Keyed {
            range: FULL,
            map: it.into_iter().map(|h| (h, ())).collect(),
        }
    }
}

impl<V> FromIterator<(u32, V)> for Keyed<V> {
    fn from_iter<I: IntoIterator<Item = (u32, V)>>(it: I) -> Self {
        Keyed {
            range: FULL,
            map: it.into_iter().collect(),
        }
    }
}

fn reduce(h: u32, range: u64) -> u32 {
    if range >= FULL {
        h
    } else {
        ((u64::from(h) * range) >> 32) as u32
    }
}

/// The range of a set of `n` with `2^k` false matches: `n · 2^k`, at most [`FULL`].
fn range_for(n: usize, k: u32) -> u64 {
    ((n.max(1) as u64) << k).min(FULL)
}

impl<V: Clone> Keyed<V> {
    /// Reduced to `n · 2^k` keys (already reduced ones stay); keys that collide are merged.
    fn compact(&self, k: u32, mut merge: impl FnMut(&mut Option<V>, V)) -> Keyed<V> {
        if self.range != FULL {
            return self.clone();
        }
        let range = range_for(self.map.len(), k);
        let mut keys: Vec<&u32> = self.map.keys().collect();
        keys.sort_unstable();
        let mut out: HashMap<u32, Option<V>> = HashMap::new();
        let mut fresh: HashSet<u32> = HashSet::new();
        for h in keys {
            let r = reduce(*h, range);
            let v = self.map[h].clone();
            if fresh.insert(r) {
                out.insert(r, Some(v));
            } else if let Some(slot) = out.get_mut(&r) {
                merge(slot, v);
            }
        }
        Keyed {
            range,
            map: out.into_iter().filter_map(|(k, v)| Some((k, v?))).collect(),
        }
    }
}

/// A decoded baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// Totals and scores.
    pub header: Header,
    /// Per-file `(lines total, lines covered)` by path hash; empty when left out.
    pub files: Keyed<(u64, u64)>,
    /// Every test id; `None` when tests were not read or the set was left out.
    pub tests: Option<Keys>,
    /// Failed or errored test ids.
    pub failing: Keys,
    /// Skipped test ids.
    pub skipped: Keys,
    /// Finding fingerprint hashes with their counts; `None` when findings were not read.
    pub findings: Option<Keyed<u32>>,
}

/// First four bytes of SHA-256.
pub fn hash32(s: &str) -> u32 {
    u32::from_str_radix(&sha256_hex(s.as_bytes())[..8], 16).unwrap_or(0)
}

/// The id of a test case.
pub fn test_id(suite: &str, classname: Option<&str>, name: &str) -> u32 {
    hash32(&format!("{suite}\0{}\0{name}", classname.unwrap_or("")))
}

/// The hash of a finding fingerprint (16 hex digits).
pub fn finding_hash(fp: &str) -> u32 {
    fp.get(..8)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| hash32(fp))
}

impl Baseline {
    /// The digest of a run.
    pub fn of_run(
        verdict: &Verdict,
        bundle: &Bundle,
        metrics: &BTreeMap<String, f64>,
        commit: Option<&str>,
    ) -> Baseline {
        let has = |k: Kind| bundle.inputs.iter().any(|i| i.format.kind() == k);
        let mut b = Baseline {
            header: Header {
                commit: commit.map(str::to_string),
                score: verdict.score,
                dimensions: verdict
                    .dimensions
                    .iter()
                    .filter_map(|d| Some((d.dimension.key().to_string(), d.score?)))
                    .collect(),
                line_coverage: verdict.counts.line_coverage,
                tests: None,
                findings: None,
                metrics: metrics.clone(),
                left_out: Vec::new(),
            },
            ..Default::default()
        };
        if has(Kind::Coverage) {
            for (p, f) in &bundle.coverage.files {
                let t = f.totals();
                b.files.insert(hash32(p), (t.lines_total, t.lines_covered));
            }
        }
        if has(Kind::Tests) {
            let mut all = Keys::default();
            let mut counts = TestCounts::default();
            for s in &bundle.tests.suites {
                for c in &s.cases {
                    let id = test_id(&s.name, c.classname.as_deref(), &c.name);
                    all.insert(id, ());
                    counts.total += 1;
                    match c.status {
                        TestStatus::Failed | TestStatus::Errored => {
                            counts.failing += 1;
                            b.failing.insert(id, ());
                        }
                        TestStatus::Skipped | TestStatus::Todo => {
                            counts.skipped += 1;
                            b.skipped.insert(id, ());
                        }
                        TestStatus::Passed => {}
                    }
                }
            }
            b.tests = Some(all);
            b.header.tests = Some(counts);
        }
        if has(Kind::Findings) {
            let mut m: HashMap<u32, u32> = HashMap::new();
            let mut n = 0;
            for f in bundle.findings.items.iter().filter(|f| !f.suppressed) {
                *m.entry(finding_hash(&fingerprint(f))).or_default() += 1;
                n += 1;
            }
            b.findings = Some(m.into_iter().collect());
            b.header.findings = Some(n);
        }
        b
    }

    /// The digest as text: the marker, base64, and the closing `-->`, at most
    /// [`MAX_CHARS`] characters (sections are left out to fit, and named in the header).
    pub fn encode(&self) -> String {
        let mut b = self.clone();
        loop {
            let s = format!(
                "{MARKER}{} -->",
                base64::engine::general_purpose::STANDARD.encode(b.bytes())
            );
            if s.len() <= MAX_CHARS {
                return s;
            }
            if b.tests.take().is_some() {
                b.header.left_out.push("tests".into());
            } else if !b.files.is_empty() {
                b.files = Keyed::default();
                b.header.left_out.push("files".into());
            } else if b.findings.take().is_some() {
                b.header.left_out.push("findings".into());
            } else {
                b.failing = Keys::default();
                b.skipped = Keys::default();
                b.header.left_out.push("failing and skipped tests".into());
                let s = format!(
                    "{MARKER}{} -->",
                    base64::engine::general_purpose::STANDARD.encode(b.bytes())
                );
                return s;
            }
        }
    }

    /// The baseline as it reads back: every set reduced to its Golomb-coded range.
    pub fn compacted(&self) -> Baseline {
        Baseline {
            header: self.header.clone(),
            files: self.files.compact(K_FILES, |slot, v| {
                if slot.as_ref() != Some(&v) {
                    *slot = None;
                }
            }),
            tests: self.tests.as_ref().map(|t| t.compact(K_SETS, |_, _| {})),
            failing: self.failing.compact(K_SETS, |_, _| {}),
            skipped: self.skipped.compact(K_SETS, |_, _| {}),
            findings: self.findings.as_ref().map(|f| {
                f.compact(K_SETS, |slot, v| {
                    if let Some(s) = slot {
                        *s = s.saturating_add(v);
                    }
                })
            }),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let c = self.compacted();
        let mut out = vec![VERSION];
        let header = serde_json::to_vec(&c.header).unwrap_or_default();
        varint(&mut out, header.len() as u64);
        out.extend_from_slice(&header);
        for k in keys(&mut out, &c.files) {
            let (total, covered) = c.files.map[&k];
            varint(&mut out, total);
            let d = total.wrapping_sub(covered) as i64;
            varint(&mut out, ((d << 1) ^ (d >> 63)) as u64);
        }
        match &c.tests {
            Some(t) => {
                out.push(1);
                keys(&mut out, t);
            }
            None => out.push(0),
        }
        keys(&mut out, &c.failing);
        keys(&mut out, &c.skipped);
        match &c.findings {
            Some(f) => {
                out.push(1);
                for k in keys(&mut out, f) {
                    varint(&mut out, u64::from(f.map[&k]));
                }
            }
            None => out.push(0),
        }
        out
    }

    /// Finds and reads a digest in any text that holds one: a check run's `output.text`, a
    /// comment, or a `report.json` (its `baseline` field).
    pub fn decode(text: &str) -> Result<Baseline, BaselineError> {
        let Some(start) = text.find(MARKER).map(|s| s + MARKER.len()) else {
            // Another version's marker (`<!-- shipgate-baseline:vN:`): say which.
            return Err(text
                .split("<!-- shipgate-baseline:v")
                .nth(1)
                .and_then(|s| s.split(':').next())
                .and_then(|s| s.parse::<u8>().ok())
                .map_or(BaselineError::Missing, BaselineError::Version));
        };
        let rest = &text[start..];
        let end = rest.find("-->").ok_or(BaselineError::Missing)?;
        let b64: String = rest[..end].chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| BaselineError::Base64(e.to_string()))?;
        Baseline::from_bytes(&bytes)
    }

    fn from_bytes(bytes: &[u8]) -> Result<Baseline, BaselineError> {
        let mut r = Reader { b: bytes, pos: 0 };
        let v = r.byte("the version")?;
        if v != VERSION {
            return Err(BaselineError::Version(v));
        }
        let n = r.len("the header length")?;
        let at = r.pos;
        let raw = r.take(n, "the header")?;
        let header: Header = serde_json::from_slice(raw).map_err(|e| BaselineError::Damaged {
            at,
            what: format!("a JSON header ({e})"),
        })?;
        let mut b = Baseline {
            header,
            ..Default::default()
        };
        let (range, ks) = r.keys("file keys")?;
        b.files.range = range;
        for k in ks {
            let total = r.varint("a file's line total")?;
            let zz = r.varint("a file's uncovered lines")?;
            let d = ((zz >> 1) as i64) ^ -((zz & 1) as i64);
            b.files.map.insert(k, (total, total.wrapping_sub(d as u64)));
        }
        if r.byte("the tests flag")? == 1 {
            b.tests = Some(r.set("test ids")?);
        }
        b.failing = r.set("failing test ids")?;
        b.skipped = r.set("skipped test ids")?;
        if r.byte("the findings flag")? == 1 {
            let (range, ks) = r.keys("finding keys")?;
            let mut m = Keyed {
                range,
                map: HashMap::with_capacity(ks.len()),
            };
            for k in ks {
                let c = r.varint("a finding count")?;
                m.map.insert(k, u32::try_from(c).unwrap_or(u32::MAX));
            }
            b.findings = Some(m);
        }
        if r.pos != bytes.len() {
            return Err(BaselineError::Damaged {
                at: r.pos,
                what: "the end of the digest".into(),
            });
        }
        Ok(b)
    }

    /// Per-file `(lines total, lines covered)` of a path.
    pub fn file(&self, path: &str) -> Option<(u64, u64)> {
        self.files.get(hash32(path)).copied()
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The Rice parameter of `n` keys in `0..range`: ⌊log2(range / n)⌋.
fn rice_param(range: u64, n: usize) -> u32 {
    63 - (range / (n.max(1) as u64)).max(1).leading_zeros()
}

/// Writes a Golomb-coded set (range, count, Rice-coded gaps) and returns its sorted keys.
fn keys<V>(out: &mut Vec<u8>, s: &Keyed<V>) -> Vec<u32> {
    let mut v: Vec<u32> = s.map.keys().copied().collect();
    v.sort_unstable();
    varint(out, s.range);
    varint(out, v.len() as u64);
    let r = rice_param(s.range, v.len());
    let mut bits = Bits {
        out,
        acc: 0,
        used: 0,
    };
    let mut prev = 0u64;
    for &k in &v {
        let g = u64::from(k) - prev;
        prev = u64::from(k);
        for _ in 0..(g >> r) {
            bits.push(1);
        }
        bits.push(0);
        for i in (0..r).rev() {
            bits.push(((g >> i) & 1) as u8);
        }
    }
    bits.flush();
    v
}

struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u8,
    used: u32,
}

impl Bits<'_> {
    fn push(&mut self, bit: u8) {
        self.acc = (self.acc << 1) | bit;
        self.used += 1;
        if self.used == 8 {
            self.out.push(self.acc);
            self.acc = 0;
            self.used = 0;
        }
    }

    fn flush(&mut self) {
        if self.used > 0 {
            self.out.push(self.acc << (8 - self.used));
            self.acc = 0;
            self.used = 0;
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn damaged(&self, what: &str) -> BaselineError {
        BaselineError::Damaged {
            at: self.pos,
            what: what.into(),
        }
    }

    fn byte(&mut self, what: &str) -> Result<u8, BaselineError> {
        let b = *self.b.get(self.pos).ok_or_else(|| self.damaged(what))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self, what: &str) -> Result<u64, BaselineError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.damaged(what))
    }

    /// A count, bounded by the bytes left (each item takes at least one).
    fn len(&mut self, what: &str) -> Result<usize, BaselineError> {
        let n = self.varint(what)?;
        if n > (self.b.len() - self.pos) as u64 {
            return Err(self.damaged(what));
        }
        Ok(n as usize)
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], BaselineError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.b.len());
        let end = end.ok_or_else(|| self.damaged(what))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// A Golomb-coded set: its range and its keys, ascending.
    fn keys(&mut self, what: &str) -> Result<(u64, Vec<u32>), BaselineError> {
        let range = self.varint(what)?;
        if range == 0 || range > FULL {
            return Err(self.damaged(&format!("{what}: a range within 1..=2^32")));
        }
        let n = self.varint(what)?;
        let left_bits = (self.b.len() - self.pos) as u64 * 8;
        if n > range || n > left_bits {
            return Err(self.damaged(&format!("{what}: a count")));
        }
        let n = n as usize;
        let r = rice_param(range, n);
        let mut v = Vec::with_capacity(n);
        let mut bit = 0u64;
        let mut prev = 0u64;
        for i in 0..n {
            let mut q = 0u64;
            loop {
                let b = self.bit(&mut bit, what)?;
                if b == 0 {
                    break;
                }
                q += 1;
                if q > range >> r {
                    return Err(self.damaged(&format!("{what}: a gap within the range")));
                }
            }
            let mut low = 0u64;
            for _ in 0..r {
                low = (low << 1) | u64::from(self.bit(&mut bit, what)?);
            }
            let g = (q << r) | low;
            let k = prev + g;
            if k >= range || (i > 0 && g == 0) {
                return Err(self.damaged(&format!("{what}: ascending keys within the range")));
            }
            prev = k;
            v.push(k as u32);
        }
        self.pos += bit.div_ceil(8) as usize;
        Ok((range, v))
    }

    /// The bit `*bit` after `pos` (MSB first), then advances `*bit`.
    fn bit(&self, bit: &mut u64, what: &str) -> Result<u8, BaselineError> {
        let at = self.pos + (*bit / 8) as usize;
        let byte = *self.b.get(at).ok_or_else(|| BaselineError::Damaged {
            at,
            what: what.into(),
        })?;
        let b = (byte >> (7 - (*bit % 8))) & 1;
        *bit += 1;
        Ok(b)
    }

    fn set(&mut self, what: &str) -> Result<Keys, BaselineError> {
        let (range, ks) = self.keys(what)?;
        Ok(Keyed {
            range,
            map: ks.into_iter().map(|k| (k, ())).collect(),
        })
    }
}

/// The digest text of a baseline (for a check run's `output.text`); see [`Baseline::encode`].
pub fn encode(b: &Baseline) -> String {
    b.encode()
}

/// Reads the digest out of any text holding one; see [`Baseline::decode`].
pub fn decode(text: &str) -> Result<Baseline, BaselineError> {
    Baseline::decode(text)
}

/// Reads a baseline from a file's text: a `report.json` (its `baseline` field) or any text
/// holding the digest (a saved check-run output).
pub fn read_text(text: &str) -> Result<Baseline, BaselineError> {
    if text.trim_start().starts_with('{')
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
    {
        return match v.get("baseline").and_then(|b| b.as_str()) {
            Some(d) => Baseline::decode(d),
            None => Err(BaselineError::Missing),
        };
    }
    Baseline::decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let mut b = Baseline::default();
        b.header.score = Some(81.5);
        b.header.metrics.insert("build_time_s".into(), 42.0);
        b.files.insert(hash32("src/a.rs"), (10, 7));
        b.files.insert(u32::MAX, (3, 0));
        b.tests = Some([1, 5, u32::MAX].into_iter().collect());
        b.failing.insert(5, ());
        b.findings = Some([(0, 2), (77, 1)].into_iter().collect());
        let s = b.encode();
        assert!(s.starts_with(MARKER) && s.ends_with("-->"));
        let text = format!("## Quality gate\n\nsome text\n{s}\n");
        assert_eq!(Baseline::decode(&text).unwrap(), b.compacted());
        // Read back and written again: the same digest.
        assert_eq!(Baseline::decode(&text).unwrap().encode(), s);
        assert_eq!(
            Baseline::decode(&text).unwrap().file("src/a.rs"),
            Some((10, 7))
        );
        // Cut short: an error naming the byte, never a panic.
        let bytes = b.bytes();
        for cut in 0..bytes.len() {
            assert!(Baseline::from_bytes(&bytes[..cut]).is_err(), "{cut}");
        }
        assert_eq!(Baseline::decode("no digest"), Err(BaselineError::Missing));
        // A version-1 digest (an older shipgate's): its version, not "missing".
        assert_eq!(
            Baseline::decode("<!-- shipgate-baseline:v1:AQ== -->"),
            Err(BaselineError::Version(1))
        );
    }

    #[test]
    fn size_of_a_mid_sized_project() {
        // Expected sizes from the format, not from the encoder: a Golomb-coded set of n
        // uniform keys in n · 2^K takes n · (K + 1 + 1/(e − 1)) bits (Rice parameter K, the
        // quotient of an exponential gap of mean 2^K averaging 1/(e − 1) = 0.582), plus its
        // varint range and count; an empty set 2 bytes; (250, 200) lines 2 + 1 bytes; a
        // count of 1 one byte; the empty JSON header 30 bytes behind its version and length
        // bytes. Then base64 (4 per 3) inside the 26-character marker and " -->".
        let gcs = |n: f64, k: f64| n * (k + 1.0 + 1.0 / (std::f64::consts::E - 1.0)) / 8.0;
        let chars = |bytes: f64| 4.0 * (bytes / 3.0).ceil() + 30.0;
        let close = |got: usize, want: f64| {
            assert!(
                (got as f64 - want).abs() / want < 0.015,
                "{got} characters, {want:.0} expected"
            );
        };
        let header = 32.0;

        // 1,000 files, 5,000 tests (50 failing, 100 skipped), 500 findings.
        let mut b = Baseline {
            tests: Some((0..5_000u32).map(|i| hash32(&format!("t{i}"))).collect()),
            findings: Some((0..500u32).map(|i| (hash32(&format!("f{i}")), 1)).collect()),
            ..Default::default()
        };
        for i in 0..1_000u32 {
            b.files.insert(hash32(&format!("src/m{i}.rs")), (250, 200));
        }
        b.failing = (0..50u32).map(|i| hash32(&format!("t{i}"))).collect();
        b.skipped = (50..150u32).map(|i| hash32(&format!("t{i}"))).collect();
        let s = b.encode();
        // Version 1 (32-bit hashes as LEB128 gaps) took 34,650 characters.
        let want = header
            + (4.0 + 2.0 + gcs(1_000.0, 16.0) + 1_000.0 * 3.0)
            + (1.0 + 3.0 + 2.0 + gcs(5_000.0, 8.0))
            + (2.0 + 1.0 + gcs(50.0, 8.0))
            + (3.0 + 1.0 + gcs(100.0, 8.0))
            + (1.0 + 3.0 + 2.0 + gcs(500.0, 8.0) + 500.0);
        close(s.len(), chars(want)); // 16,714 measured, 16,730 expected
        assert_eq!(Baseline::decode(&s).unwrap(), b.compacted());

        // 50 files, 300 tests, 20 findings (v1: 2,310 characters).
        let mut small = Baseline {
            tests: Some((0..300u32).map(|i| hash32(&format!("t{i}"))).collect()),
            findings: Some((0..20u32).map(|i| (hash32(&format!("f{i}")), 1)).collect()),
            ..Default::default()
        };
        for i in 0..50u32 {
            small
                .files
                .insert(hash32(&format!("src/m{i}.rs")), (250, 200));
        }
        let s = small.encode();
        let want = header
            + (4.0 + 1.0 + gcs(50.0, 16.0) + 50.0 * 3.0)
            + (1.0 + 3.0 + 2.0 + gcs(300.0, 8.0))
            + 2.0
            + 2.0
            + (1.0 + 2.0 + 1.0 + gcs(20.0, 8.0) + 20.0);
        close(s.len(), chars(want)); // 990 measured, 986 expected
        assert_eq!(Baseline::decode(&s).unwrap(), small.compacted());

        // 2,000 files alone (v1: 19,730 characters).
        let mut files_only = Baseline::default();
        for i in 0..2_000u32 {
            files_only
                .files
                .insert(hash32(&format!("src/m{i}.rs")), (250, 200));
        }
        let s = files_only.encode();
        let want =
            header + (4.0 + 2.0 + gcs(2_000.0, 16.0) + 2_000.0 * 3.0) + 1.0 + 2.0 + 2.0 + 1.0;
        close(s.len(), chars(want)); // 13,954 measured, 13,953 expected
        assert_eq!(Baseline::decode(&s).unwrap(), files_only.compacted());
    }

    #[test]
    fn members_always_match_others_at_the_documented_rate() {
        // 5,000 tests, 1,000 files, read back: every member still matches; of 100,000
        // hashes that were not in, about 1/256 (390.6, sd 19.7) match a test key and about
        // 1/65,536 (1.5) a file key.
        let mut b = Baseline {
            tests: Some((0..5_000u32).map(|i| hash32(&format!("t{i}"))).collect()),
            ..Default::default()
        };
        for i in 0..1_000u32 {
            b.files
                .insert(hash32(&format!("src/m{i}.rs")), (i.into(), 0));
        }
        let d = Baseline::decode(&b.encode()).unwrap();
        let tests = d.tests.as_ref().unwrap();
        assert!((0..5_000u32).all(|i| tests.contains(hash32(&format!("t{i}")))));
        let intact = (0..1_000u32)
            .filter(|i| d.file(&format!("src/m{i}.rs")) == Some((u64::from(*i), 0)))
            .count();
        // Files colliding within the run are dropped: about 1,000 / 131,072 pairs.
        assert!(intact >= 998, "{intact}");
        let others = (0..100_000u32).map(|i| hash32(&format!("other{i}")));
        let false_tests = others.clone().filter(|h| tests.contains(*h)).count();
        assert!((300..480).contains(&false_tests), "{false_tests}");
        let false_files = others.filter(|h| d.files.contains(*h)).count();
        assert!(false_files <= 10, "{false_files}");
    }

    #[test]
    fn damaged_digests_are_errors_not_panics() {
        // A real digest with single bytes changed, and random tails: decoding returns
        // (an error or some baseline), never panics or loops.
        let mut b = Baseline {
            tests: Some((0..200u32).map(|i| hash32(&format!("t{i}"))).collect()),
            findings: Some((0..20u32).map(|i| (hash32(&format!("f{i}")), 2)).collect()),
            ..Default::default()
        };
        for i in 0..30u32 {
            b.files.insert(hash32(&format!("f{i}")), (9, 4));
        }
        b.failing = (0..5u32).map(|i| hash32(&format!("t{i}"))).collect();
        let good = b.bytes();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let mut bytes = good.clone();
            let at = 1 + (next() as usize) % (bytes.len() - 1);
            bytes[at] = next() as u8;
            let _ = Baseline::from_bytes(&bytes);
            let cut = (next() as usize) % bytes.len();
            bytes.truncate(cut.max(1));
            bytes.extend((0..next() % 16).map(|_| next() as u8));
            let _ = Baseline::from_bytes(&bytes);
        }
    }

    #[test]
    fn big_projects_fit_by_leaving_sections_out() {
        let mut b = Baseline {
            tests: Some(
                (0..40_000u32)
                    .map(|i| i.wrapping_mul(2_654_435_761))
                    .collect(),
            ),
            ..Default::default()
        };
        for i in 0..2_000u32 {
            b.files.insert(i.wrapping_mul(2_246_822_519), (200, 150));
        }
        let s = b.encode();
        assert!(s.len() <= MAX_CHARS, "{}", s.len());
        let d = Baseline::decode(&s).unwrap();
        assert_eq!(d.header.left_out, vec!["tests".to_string()]);
        assert_eq!(d.files.len(), 2_000);
    }
}
