//! The baseline: a compact, versioned digest of a run, small enough for a check run's
//! `output.text` (at most 65,535 characters), so a later run can compare itself with the
//! base commit's without a server or a data branch. `report.json` carries the same digest
//! (`baseline`), so `--baseline report.json` reads it back too.
//!
//! Layout (then base64, standard alphabet, inside `<!-- shipgate-baseline:v1:… -->`):
//!
//! ```text
//! u8 version (1)
//! varint n, n bytes   JSON header: commit, score, sub-scores, coverage totals, test counts,
//!                     metrics, sections left out to fit
//! files               varint n, then n × (path hash Δ, lines total, lines covered)
//! tests               u8 present, then the set of all test ids
//! failing, skipped    sets of test ids
//! findings            u8 present, varint n, then n × (fingerprint hash Δ, count)
//! ```
//!
//! Sets are sorted 32-bit hashes written as LEB128 gaps (Δ). Hashes are the first four bytes
//! of the SHA-256 of the path, of `suite NUL class NUL name`, and of the finding's
//! fingerprint ([`super::report::fingerprint`]'s first 8 hex digits): collisions are
//! possible (about one in 4 billion per pair) and only make a difference go unseen.
//! About 8 bytes a file, 3 a test, 4 a finding before base64: a project of 1,000 files and
//! 5,000 tests and 500 findings takes 34,650 characters; one of 50 files, 300 tests and 20
//! findings 2,310. When the digest would exceed [`MAX_CHARS`] the test-id set
//! is left out first, then per-file coverage, then findings, and the header says so.

use super::digest::sha256_hex;
use super::report::fingerprint;
use super::verdict::Verdict;
use crate::ingest::{Bundle, Kind};
use crate::model::TestStatus;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The digest's format version.
pub const VERSION: u8 = 1;
/// What starts the digest in a text (check run output, comment).
pub const MARKER: &str = "<!-- shipgate-baseline:v1:";
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

/// A decoded baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// Totals and scores.
    pub header: Header,
    /// Per-file `(lines total, lines covered)` by path hash; empty when left out.
    pub files: HashMap<u32, (u64, u64)>,
    /// Every test id; `None` when tests were not read or the set was left out.
    pub tests: Option<HashSet<u32>>,
    /// Failed or errored test ids.
    pub failing: HashSet<u32>,
    /// Skipped test ids.
    pub skipped: HashSet<u32>,
    /// Finding fingerprint hashes with their counts; `None` when findings were not read.
    pub findings: Option<HashMap<u32, u32>>,
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
            let mut all = HashSet::new();
            let mut counts = TestCounts::default();
            for s in &bundle.tests.suites {
                for c in &s.cases {
                    let id = test_id(&s.name, c.classname.as_deref(), &c.name);
                    all.insert(id);
                    counts.total += 1;
                    match c.status {
                        TestStatus::Failed | TestStatus::Errored => {
                            counts.failing += 1;
                            b.failing.insert(id);
                        }
                        TestStatus::Skipped | TestStatus::Todo => {
                            counts.skipped += 1;
                            b.skipped.insert(id);
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
            b.findings = Some(m);
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
                b.files.clear();
                b.header.left_out.push("files".into());
            } else if b.findings.take().is_some() {
                b.header.left_out.push("findings".into());
            } else {
                b.failing.clear();
                b.skipped.clear();
                b.header.left_out.push("failing and skipped tests".into());
                let s = format!(
                    "{MARKER}{} -->",
                    base64::engine::general_purpose::STANDARD.encode(b.bytes())
                );
                return s;
            }
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = vec![VERSION];
        let header = serde_json::to_vec(&self.header).unwrap_or_default();
        varint(&mut out, header.len() as u64);
        out.extend_from_slice(&header);
        let mut files: Vec<(u32, (u64, u64))> = self.files.iter().map(|(k, v)| (*k, *v)).collect();
        files.sort_unstable();
        varint(&mut out, files.len() as u64);
        let mut prev = 0u32;
        for (h, (total, covered)) in files {
            varint(&mut out, u64::from(h - prev));
            prev = h;
            varint(&mut out, total);
            varint(&mut out, covered);
        }
        match &self.tests {
            Some(t) => {
                out.push(1);
                set(&mut out, t);
            }
            None => out.push(0),
        }
        set(&mut out, &self.failing);
        set(&mut out, &self.skipped);
        match &self.findings {
            Some(f) => {
                out.push(1);
                let mut v: Vec<(u32, u32)> = f.iter().map(|(k, c)| (*k, *c)).collect();
                v.sort_unstable();
                varint(&mut out, v.len() as u64);
                let mut prev = 0u32;
                for (h, c) in v {
                    varint(&mut out, u64::from(h - prev));
                    prev = h;
                    varint(&mut out, u64::from(c));
                }
            }
            None => out.push(0),
        }
        out
    }

    /// Finds and reads a digest in any text that holds one: a check run's `output.text`, a
    /// comment, or a `report.json` (its `baseline` field).
    pub fn decode(text: &str) -> Result<Baseline, BaselineError> {
        let start = text.find(MARKER).ok_or(BaselineError::Missing)? + MARKER.len();
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
        let n = r.len("the file count")?;
        let mut h = 0u32;
        for _ in 0..n {
            h = r.next_hash(h)?;
            let total = r.varint("a file's line total")?;
            let covered = r.varint("a file's covered lines")?;
            b.files.insert(h, (total, covered));
        }
        if r.byte("the tests flag")? == 1 {
            b.tests = Some(r.set()?);
        }
        b.failing = r.set()?;
        b.skipped = r.set()?;
        if r.byte("the findings flag")? == 1 {
            let n = r.len("the finding count")?;
            let mut m = HashMap::with_capacity(n.min(1 << 16));
            let mut h = 0u32;
            for _ in 0..n {
                h = r.next_hash(h)?;
                let c = r.varint("a finding count")?;
                m.insert(h, u32::try_from(c).unwrap_or(u32::MAX));
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
        self.files.get(&hash32(path)).copied()
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

fn set(out: &mut Vec<u8>, s: &HashSet<u32>) {
    let mut v: Vec<u32> = s.iter().copied().collect();
    v.sort_unstable();
    varint(out, v.len() as u64);
    let mut prev = 0u32;
    for h in v {
        varint(out, u64::from(h - prev));
        prev = h;
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

    fn next_hash(&mut self, prev: u32) -> Result<u32, BaselineError> {
        let d = self.varint("a hash gap")?;
        u32::try_from(u64::from(prev) + d).map_err(|_| self.damaged("a hash gap within 32 bits"))
    }

    fn set(&mut self) -> Result<HashSet<u32>, BaselineError> {
        let n = self.len("a set size")?;
        let mut s = HashSet::with_capacity(n);
        let mut h = 0u32;
        for _ in 0..n {
            h = self.next_hash(h)?;
            s.insert(h);
        }
        Ok(s)
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
        b.failing.insert(5);
        b.findings = Some([(0, 2), (77, 1)].into_iter().collect());
        let s = b.encode();
        assert!(s.starts_with(MARKER) && s.ends_with("-->"));
        let text = format!("## Quality gate\n\nsome text\n{s}\n");
        assert_eq!(Baseline::decode(&text).unwrap(), b);
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
    }

    #[test]
    fn size_of_a_mid_sized_project() {
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
        // Measured: 34,650 characters (about 8 bytes a file, 3 a test, 5 a finding, then
        // base64's 4/3).
        assert!(s.len() < 40_000, "{}", s.len());
        assert_eq!(Baseline::decode(&s).unwrap(), b);
        // 50 files, 300 tests, 20 findings: 2,310 characters.
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
        assert!(s.len() < 2_500, "{}", s.len());
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
