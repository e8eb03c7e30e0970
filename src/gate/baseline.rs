//! The baseline: a compact, versioned digest of a run, small enough for a check run's
//! `output.text` (at most 65,535 characters), so a later run can compare itself with the
//! base commit's without a server or a data branch. `report.json` carries the same digest
//! (`baseline`), so `--baseline report.json` reads it back too.
//!
//! Layout (then base64, standard alphabet, inside `<!-- shipgate-baseline:v3:… -->`):
//!
//! ```text
//! u8 version (3)
//! varint n, n bytes   JSON header: commit, score, sub-scores, coverage totals, test counts,
//!                     metrics
//! files               u8 mode, then (1) keys (K = 16) and n × (varint lines total,
//!                     varint zigzag(total − covered)), or (2) a sketch
//! tests               u8 mode, then (1) keys (K = 8) of all test ids, of the failing ones
//!                     and of the skipped ones, or (2) a sketch
//! findings            u8 mode, then (1) keys (K = 8) and n × varint count, or (2) a sketch
//! mode                0: not read in the base run; 1: exact set; 2: sketch
//! keys                varint range M, varint n, then n Golomb-Rice coded gaps (parameter
//!                     ⌊log2(M / n)⌋, bits MSB first, padded to a byte)
//! sketch              varint cells, then the cells of a [`Sketch`]
//! ```
//!
//! The digest stays within [`TARGET_CHARS`] (6,000 characters) whatever the size of the
//! project, except for a header with very many metrics. The header is always exact. A
//! section whose exact set fits its share of the room left is written exactly (50 files, 300
//! tests and 20 findings: 1,326 characters with a full header); a larger one is written as a sketch (an
//! invertible Bloom lookup table, [`super::sketch`]) that fills its share: the current run
//! builds the same sketch of its own sets, subtracts, and lists what differs, which
//! rebuilds the base run's set exactly ([`Baseline::resolved`]). That works while the two
//! runs differ in at most about 0.6 elements a cell (measured: 98.9% to 99.9% of random
//! differences of that size list completely, 99.6% or more at 0.5 a cell). A digest of a
//! large project (measured the same from 1,000 files, 5,000 tests and 500 findings to
//! 40,000, 200,000 and 20,000: 5,918 to 5,926 characters) has 124 file cells, 144 test
//! cells and 76 finding cells: about 86 tests added, removed or changed in status, 37
//! files whose line counts changed (each counts twice, before and after; an added or
//! deleted one once) and 45 findings introduced or fixed. Beyond that the section's
//! comparison is skipped with a note saying how many differences the digest can list; the
//! header's totals are still compared. Sketch elements: a test is its id and status (passed,
//! failing, skipped: 5 bytes), a file its path hash and line counts (3 bytes each,
//! saturating: 10 bytes), a finding its fingerprint hash and occurrence number (6 bytes).
//!
//! Hashes are the first four bytes of the SHA-256 of the path, of
//! `suite NUL class NUL name`, and of the finding's fingerprint
//! ([`super::report::fingerprint`]'s first 8 hex digits). Each exact set is a Golomb-coded
//! set: its hashes are mapped onto `0..M` with `M = n · 2^K` (`h · M >> 32`), sorted, and
//! their gaps Rice-coded: K + 1 + 1/(e − 1) ≈ K + 1.58 bits each. A hash that was not in
//! the set matches one that was with probability n / M = 2^-K: 1/256 for tests, failing,
//! skipped and findings, 1/65,536 for files. A false match mostly hides a difference (a
//! newly failing test taken as failing before, a removed test not counted, a new finding
//! taken as known); two cases show a wrong one instead: a test added and skipped may be
//! counted as newly skipped (1/256 each), and a file new since the base may show another
//! file's coverage as its "before" (1/65,536 each). Files whose keys collide in the base
//! run itself are dropped (their "before" is unknown) rather than mixed up; findings whose
//! keys collide add their counts. A resolved sketch has none of these false matches (two
//! ids equal in all 32 bits aside).
//!
//! Version 2 digests (exact sets only, no mode bytes) are still read.

use super::digest::sha256_hex;
use super::report::fingerprint;
use super::sketch::{Sketch, cell_bytes};
use super::verdict::Verdict;
use crate::ingest::{Bundle, Kind};
use crate::model::TestStatus;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The digest's format version.
pub const VERSION: u8 = 3;
/// What starts the digest in a text (check run output, comment).
pub const MARKER: &str = "<!-- shipgate-baseline:v3:";
/// What starts a digest of any version (`<!-- shipgate-baseline:vN:`).
pub const MARKER_PREFIX: &str = "<!-- shipgate-baseline:v";
/// The versions this shipgate reads.
pub const READS: [u8; 2] = [2, 3];
/// The size the digest keeps to, in characters, header included.
pub const TARGET_CHARS: usize = 6_000;
/// The largest digest written, in characters (room is left in the 65,535 of `output.text`):
/// reached only by a header with thousands of metrics, which are then left out.
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
    #[error("baseline digest version {0}; this shipgate reads versions 2 and {VERSION}")]
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
    /// Sections read back as sketches, to be listed against a run by [`Baseline::resolved`].
    pub sketches: Sketches,
    /// Sections whose sketch could not be listed against the current run.
    pub unresolved: Vec<Unresolved>,
}

/// The sections of a digest held as sketches (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketches {
    /// Per-file line counts.
    pub files: Option<Sketch>,
    /// Test ids with their status.
    pub tests: Option<Sketch>,
    /// Finding fingerprints, one element per occurrence.
    pub findings: Option<Sketch>,
}

/// A section of the base run that differs from the current run more than its sketch can
/// list, so it is not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unresolved {
    /// `files`, `tests` or `findings`.
    pub section: &'static str,
    /// The sketch's cells.
    pub cells: usize,
}

impl Unresolved {
    /// The differences a sketch of this size lists reliably.
    pub fn capacity(&self) -> usize {
        self.cells * 3 / 5
    }

    /// A note for the reader.
    pub fn note(&self) -> String {
        let what = match self.section {
            "files" => "per-file coverage before this change",
            "tests" => "tests newly failing, newly skipped, added and removed",
            _ => "findings introduced and fixed",
        };
        format!(
            "{what}: not compared, the {} differ from the base run's in more than the digest can list (about {})",
            self.section,
            self.capacity()
        )
    }
}

const W_FILES: usize = 10;
const W_TESTS: usize = 5;
const W_FINDINGS: usize = 6;
/// Shares of the room left after the header, for the sections written as sketches.
const WEIGHT_FILES: usize = 45;
const WEIGHT_TESTS: usize = 35;
const WEIGHT_FINDINGS: usize = 20;
/// The smallest sketch written, in cells.
const MIN_CELLS: usize = 24;
const MODE_NONE: u8 = 0;
const MODE_EXACT: u8 = 1;
const MODE_SKETCH: u8 = 2;
/// Line counts in a file's sketch element saturate at 2^24 − 1.
const MAX_LINES: u64 = 0xff_ffff;

fn file_el(h: u32, (total, covered): (u64, u64)) -> [u8; W_FILES] {
    let mut e = [0u8; W_FILES];
    e[..4].copy_from_slice(&h.to_le_bytes());
    e[4..7].copy_from_slice(&(total.min(MAX_LINES) as u32).to_le_bytes()[..3]);
    e[7..].copy_from_slice(&(covered.min(MAX_LINES) as u32).to_le_bytes()[..3]);
    e
}

fn u24(b: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes([b[0], b[1], b[2], 0]))
}

fn head32(e: &[u8]) -> u32 {
    u32::from_le_bytes([e[0], e[1], e[2], e[3]])
}

const PASSED: u8 = 0;
const FAILING: u8 = 1;
const SKIPPED: u8 = 2;

fn test_el(id: u32, status: u8) -> [u8; W_TESTS] {
    let mut e = [0u8; W_TESTS];
    e[..4].copy_from_slice(&id.to_le_bytes());
    e[4] = status;
    e
}

fn finding_el(h: u32, nth: u16) -> [u8; W_FINDINGS] {
    let mut e = [0u8; W_FINDINGS];
    e[..4].copy_from_slice(&h.to_le_bytes());
    e[4..].copy_from_slice(&nth.to_le_bytes());
    e
}

/// The sections, in the digest's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Files,
    Tests,
    Findings,
}

impl Section {
    const ALL: [Section; 3] = [Section::Files, Section::Tests, Section::Findings];

    fn width(self) -> usize {
        match self {
            Section::Files => W_FILES,
            Section::Tests => W_TESTS,
            Section::Findings => W_FINDINGS,
        }
    }

    fn weight(self) -> usize {
        match self {
            Section::Files => WEIGHT_FILES,
            Section::Tests => WEIGHT_TESTS,
            Section::Findings => WEIGHT_FINDINGS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Section::Files => "files",
            Section::Tests => "tests",
            Section::Findings => "findings",
        }
    }
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
        let mut b = Baseline::sets_of(bundle);
        b.header.commit = commit.map(str::to_string);
        b.header.score = verdict.score;
        b.header.dimensions = verdict
            .dimensions
            .iter()
            .filter_map(|d| Some((d.dimension.key().to_string(), d.score?)))
            .collect();
        b.header.line_coverage = verdict.counts.line_coverage;
        b.header.metrics = metrics.clone();
        b
    }

    /// The sets of a run (per-file line counts, test ids by status, finding fingerprints)
    /// with the header's counts, for a digest or for [`Baseline::resolved`].
    pub fn sets_of(bundle: &Bundle) -> Baseline {
        let has = |k: Kind| bundle.inputs.iter().any(|i| i.format.kind() == k);
        let mut b = Baseline::default();
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

    /// The digest as text: the marker, base64, and the closing `-->`, within
    /// [`TARGET_CHARS`] unless the header alone is larger, and at most [`MAX_CHARS`] (the
    /// metrics are then left out, and the header says so).
    pub fn encode(&self) -> String {
        let wrap = |bytes: Vec<u8>| {
            format!(
                "{MARKER}{} -->",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        };
        let s = wrap(self.bytes());
        if s.len() <= MAX_CHARS || self.header.metrics.is_empty() {
            return s;
        }
        let mut b = self.clone();
        b.header.metrics.clear();
        b.header.left_out.push("metrics".into());
        wrap(b.bytes())
    }

    /// The baseline as it reads back: every exact set reduced to its Golomb-coded range.
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
            sketches: self.sketches.clone(),
            unresolved: self.unresolved.clone(),
        }
    }

    /// Whether the base run read this section (stored exactly or as a sketch).
    fn has(&self, s: Section) -> bool {
        (match s {
            Section::Files => !self.files.is_empty(),
            Section::Tests => self.tests.is_some(),
            Section::Findings => self.findings.is_some(),
        }) || self.stored(s).is_some()
    }

    /// The section's sketch as read back from a digest.
    fn stored(&self, s: Section) -> Option<&Sketch> {
        match s {
            Section::Files => self.sketches.files.as_ref(),
            Section::Tests => self.sketches.tests.as_ref(),
            Section::Findings => self.sketches.findings.as_ref(),
        }
    }

    /// A section's exact encoding (after its mode byte).
    fn exact_bytes(c: &Baseline, s: Section) -> Vec<u8> {
        let mut out = Vec::new();
        match s {
            Section::Files => {
                for k in keys(&mut out, &c.files) {
                    let (total, covered) = c.files.map[&k];
                    varint(&mut out, total);
                    let d = total.wrapping_sub(covered) as i64;
                    varint(&mut out, ((d << 1) ^ (d >> 63)) as u64);
                }
            }
            Section::Tests => {
                if let Some(t) = &c.tests {
                    keys(&mut out, t);
                }
                keys(&mut out, &c.failing);
                keys(&mut out, &c.skipped);
            }
            Section::Findings => {
                if let Some(f) = &c.findings {
                    for k in keys(&mut out, f) {
                        varint(&mut out, u64::from(f.map[&k]));
                    }
                }
            }
        }
        out
    }

    /// The section's sketch: the stored one, or one of `cells` built from full hashes.
    fn sketch_of(&self, s: Section, cells: usize) -> Sketch {
        if let Some(k) = self.stored(s) {
            return k.clone();
        }
        let mut k = Sketch::new(s.width(), cells);
        match s {
            Section::Files => {
                for (h, v) in &self.files.map {
                    k.insert(&file_el(*h, *v));
                }
            }
            Section::Tests => {
                for (id, st) in self.statuses() {
                    k.insert(&test_el(id, st));
                }
            }
            Section::Findings => {
                for (h, n) in self.findings.iter().flat_map(|f| &f.map) {
                    for nth in 1..=(*n).min(u32::from(u16::MAX)) as u16 {
                        k.insert(&finding_el(*h, nth));
                    }
                }
            }
        }
        k
    }

    /// Every test id with its status (failing before skipped before passed).
    fn statuses(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.tests.iter().flat_map(|t| t.map.keys()).map(|&id| {
            let st = if self.failing.map.contains_key(&id) {
                FAILING
            } else if self.skipped.map.contains_key(&id) {
                SKIPPED
            } else {
                PASSED
            };
            (id, st)
        })
    }

    /// Whether a section's data holds full hashes (a run's), so a sketch can be built.
    fn sketchable(&self, s: Section) -> bool {
        match s {
            Section::Files => self.files.range == FULL,
            Section::Tests => self.tests.as_ref().is_some_and(|t| t.range == FULL),
            Section::Findings => self.findings.as_ref().is_some_and(|f| f.range == FULL),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let c = self.compacted();
        let mut out = vec![VERSION];
        let header = serde_json::to_vec(&c.header).unwrap_or_default();
        varint(&mut out, header.len() as u64);
        out.extend_from_slice(&header);

        // Which sections are exact: those whose exact set fits its share of the room left
        // (shares are recomputed as sections are settled), then sketches filling the rest.
        let room = (TARGET_CHARS - MARKER.len() - 4) / 4 * 3;
        let mut left = room.saturating_sub(out.len() + Section::ALL.len());
        let mut plan: Vec<(Section, Option<Vec<u8>>, usize)> = Vec::new();
        let mut open: Vec<(Section, Vec<u8>)> = Vec::new();
        for s in Section::ALL.into_iter().filter(|s| self.has(*s)) {
            if self.stored(s).is_some() {
                let k = self.sketch_of(s, 0);
                left = left.saturating_sub(k.cells() * cell_bytes(k.width()) + 2);
                plan.push((s, None, k.cells()));
            } else if !self.sketchable(s) {
                let e = Self::exact_bytes(&c, s);
                left = left.saturating_sub(e.len());
                plan.push((s, Some(e), 0));
            } else {
                open.push((s, Self::exact_bytes(&c, s)));
            }
        }
        loop {
            let weights: usize = open.iter().map(|(s, _)| s.weight()).sum();
            let fits = open
                .iter()
                .position(|(s, e)| e.len() <= left * s.weight() / weights.max(1));
            let Some(i) = fits else { break };
            let (s, e) = open.remove(i);
            left -= e.len();
            plan.push((s, Some(e), 0));
        }
        let weights: usize = open.iter().map(|(s, _)| s.weight()).sum();
        for (s, _) in &open {
            let share = left * s.weight() / weights.max(1);
            let cells = (share.saturating_sub(2) / cell_bytes(s.width()) / 4 * 4).max(MIN_CELLS);
            plan.push((*s, None, cells));
        }
        for s in Section::ALL {
            match plan.iter().find(|(p, _, _)| *p == s) {
                None => out.push(MODE_NONE),
                Some((_, Some(e), _)) => {
                    out.push(MODE_EXACT);
                    out.extend_from_slice(e);
                }
                Some((_, None, cells)) => {
                    out.push(MODE_SKETCH);
                    let k = self.sketch_of(s, *cells);
                    varint(&mut out, k.cells() as u64);
                    k.write(&mut out);
                }
            }
        }
        out
    }

    /// Finds and reads a digest in any text that holds one: a check run's `output.text`, a
    /// comment, or a `report.json` (its `baseline` field).
    pub fn decode(text: &str) -> Result<Baseline, BaselineError> {
        let Some(at) = text.find(MARKER_PREFIX) else {
            return Err(BaselineError::Missing);
        };
        let rest = &text[at + MARKER_PREFIX.len()..];
        let (v, rest) = rest.split_once(':').ok_or(BaselineError::Missing)?;
        let v: u8 = v.parse().map_err(|_| BaselineError::Missing)?;
        if !READS.contains(&v) {
            return Err(BaselineError::Version(v));
        }
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
        if !READS.contains(&v) {
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
        // Version 2: no mode bytes; files always exact, a flag before tests and findings.
        let mode = |r: &mut Reader, s: Section| -> Result<u8, BaselineError> {
            if v == 2 {
                return Ok(match s {
                    Section::Files => MODE_EXACT,
                    _ => r.byte(&format!("the {} flag", s.name()))?,
                });
            }
            match r.byte(&format!("the {} mode (0, 1 or 2)", s.name()))? {
                m @ (MODE_NONE | MODE_EXACT | MODE_SKETCH) => Ok(m),
                _ => {
                    r.pos -= 1;
                    Err(r.damaged(&format!("the {} mode (0, 1 or 2)", s.name())))
                }
            }
        };
        for s in Section::ALL {
            let m = mode(&mut r, s)?;
            if m == MODE_SKETCH {
                let cells = r.varint(&format!("the {} sketch's cells", s.name()))?;
                let len = (cells as usize).saturating_mul(cell_bytes(s.width()));
                let at = r.pos;
                let raw = r.take(len, &format!("the {} sketch", s.name()))?;
                let k =
                    Sketch::read(s.width(), cells as usize, raw).ok_or(BaselineError::Damaged {
                        at,
                        what: format!("a sketch of a multiple of 4 cells ({})", s.name()),
                    })?;
                match s {
                    Section::Files => b.sketches.files = Some(k),
                    Section::Tests => b.sketches.tests = Some(k),
                    Section::Findings => b.sketches.findings = Some(k),
                }
                continue;
            }
            match s {
                Section::Files if m == MODE_EXACT => {
                    let (range, ks) = r.keys("file keys")?;
                    b.files.range = range;
                    for k in ks {
                        let total = r.varint("a file's line total")?;
                        let zz = r.varint("a file's uncovered lines")?;
                        let d = ((zz >> 1) as i64) ^ -((zz & 1) as i64);
                        b.files.map.insert(k, (total, total.wrapping_sub(d as u64)));
                    }
                }
                Section::Tests => {
                    if m == MODE_EXACT {
                        b.tests = Some(r.set("test ids")?);
                    }
                    // Version 2 wrote the failing and skipped sets even without the tests.
                    if m == MODE_EXACT || v == 2 {
                        b.failing = r.set("failing test ids")?;
                        b.skipped = r.set("skipped test ids")?;
                    }
                }
                Section::Findings if m == MODE_EXACT => {
                    let (range, ks) = r.keys("finding keys")?;
                    let mut f = Keyed {
                        range,
                        map: HashMap::with_capacity(ks.len()),
                    };
                    for k in ks {
                        let c = r.varint("a finding count")?;
                        f.map.insert(k, u32::try_from(c).unwrap_or(u32::MAX));
                    }
                    b.findings = Some(f);
                }
                _ => {}
            }
        }
        if r.pos != bytes.len() {
            return Err(BaselineError::Damaged {
                at: r.pos,
                what: "the end of the digest".into(),
            });
        }
        Ok(b)
    }

    /// The base run's sets rebuilt exactly from the current run's (`now`, a
    /// [`Baseline::of_run`] of it) and the sketches' differences. Sections the current
    /// run did not read stay unresolved without a note; sections that differ beyond their
    /// sketch's capacity are listed in `unresolved`. Exact sections are kept as they are.
    pub fn resolved(&self, now: &Baseline) -> Baseline {
        let mut b = self.clone();
        b.sketches = Sketches::default();
        let fail = |b: &mut Baseline, section: &'static str, k: &Sketch| {
            b.unresolved.push(Unresolved {
                section,
                cells: k.cells(),
            });
        };
        if let Some(k) = &self.sketches.files
            && now.has(Section::Files)
        {
            match k.difference(&now.sketch_of(Section::Files, k.cells())) {
                Ok(d) => {
                    let mut m = now.files.map.clone();
                    for e in &d.only_second {
                        let h = head32(e);
                        if m.get(&h).is_some_and(|v| file_el(h, *v)[..] == e[..]) {
                            m.remove(&h);
                        }
                    }
                    for e in &d.only_first {
                        m.insert(head32(e), (u24(&e[4..7]), u24(&e[7..10])));
                    }
                    b.files = Keyed {
                        range: FULL,
                        map: m,
                    };
                }
                Err(_) => fail(&mut b, "files", k),
            }
        }
        if let Some(k) = &self.sketches.tests
            && now.has(Section::Tests)
        {
            match k.difference(&now.sketch_of(Section::Tests, k.cells())) {
                Ok(d) => {
                    let mut m: HashMap<u32, u8> = now.statuses().collect();
                    for e in &d.only_second {
                        if m.get(&head32(e)) == Some(&e[4]) {
                            m.remove(&head32(e));
                        }
                    }
                    for e in &d.only_first {
                        m.insert(head32(e), e[4]);
                    }
                    let with = |st: u8| -> Keys {
                        m.iter()
                            .filter(|(_, s)| **s == st)
                            .map(|(id, _)| *id)
                            .collect()
                    };
                    b.failing = with(FAILING);
                    b.skipped = with(SKIPPED);
                    b.tests = Some(m.keys().copied().collect());
                }
                Err(_) => fail(&mut b, "tests", k),
            }
        }
        if let Some(k) = &self.sketches.findings
            && now.has(Section::Findings)
        {
            match k.difference(&now.sketch_of(Section::Findings, k.cells())) {
                Ok(d) => {
                    let mut m: HashMap<u32, u32> =
                        now.findings.iter().flat_map(|f| f.map.clone()).collect();
                    for e in &d.only_second {
                        if let Some(n) = m.get_mut(&head32(e)) {
                            *n = n.saturating_sub(1);
                        }
                    }
                    for e in &d.only_first {
                        *m.entry(head32(e)).or_default() += 1;
                    }
                    m.retain(|_, n| *n > 0);
                    b.findings = Some(m.into_iter().collect());
                }
                Err(_) => fail(&mut b, "findings", k),
            }
        }
        b
    }

    /// Whether a section could not be listed against the current run.
    pub fn is_unresolved(&self, section: &str) -> bool {
        self.unresolved.iter().any(|u| u.section == section)
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

    /// A project's sets: `files` files, `tests` tests (every 100th failing, every 50th
    /// skipped), `findings` distinct findings (every 10th twice).
    fn project(files: u32, tests: u32, findings: u32) -> Baseline {
        let mut b = Baseline {
            tests: Some((0..tests).map(|i| hash32(&format!("t{i}"))).collect()),
            findings: Some(
                (0..findings)
                    .map(|i| (hash32(&format!("f{i}")), 1 + u32::from(i % 10 == 0)))
                    .collect(),
            ),
            ..Default::default()
        };
        for i in 0..files {
            b.files.insert(
                hash32(&format!("src/m{i}.rs")),
                (250 + u64::from(i % 7), 200),
            );
        }
        b.failing = (0..tests)
            .step_by(100)
            .map(|i| hash32(&format!("t{i}")))
            .collect();
        b.skipped = (1..tests)
            .step_by(50)
            .map(|i| hash32(&format!("t{i}")))
            .collect();
        b
    }

    #[test]
    fn small_projects_are_exact_and_sized_by_the_format() {
        // Expected sizes from the format, not from the encoder: a Golomb-coded set of n
        // uniform keys in n · 2^K takes n · (K + 1 + 1/(e − 1)) bits (Rice parameter K, the
        // quotient of an exponential gap of mean 2^K averaging 1/(e − 1) = 0.582), plus its
        // varint range and count; an empty set 2 bytes; (250, 200) lines 2 + 1 bytes; a
        // count of 1 one byte; the empty JSON header 30 bytes behind its version and length
        // bytes; a mode byte a section. Then base64 (4 per 3) inside the 26-character
        // marker and " -->".
        let gcs = |n: f64, k: f64| n * (k + 1.0 + 1.0 / (std::f64::consts::E - 1.0)) / 8.0;
        let chars = |bytes: f64| 4.0 * (bytes / 3.0).ceil() + 30.0;
        let close = |got: usize, want: f64| {
            assert!(
                (got as f64 - want).abs() / want < 0.015,
                "{got} characters, {want:.0} expected"
            );
        };
        let header = 32.0;

        // 50 files, 300 tests, 20 findings (v1: 2,310 characters, v2: 990).
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
            + (1.0 + 4.0 + 1.0 + gcs(50.0, 16.0) + 50.0 * 3.0)
            + (1.0 + 3.0 + 2.0 + gcs(300.0, 8.0) + 2.0 + 2.0)
            + (1.0 + 2.0 + 1.0 + gcs(20.0, 8.0) + 20.0);
        close(s.len(), chars(want)); // 994 measured, 990 expected
        let d = Baseline::decode(&s).unwrap();
        assert_eq!(d, small.compacted());
        assert_eq!(d.sketches, Sketches::default());

        // 2,000 files alone (v1: 19,730 characters, v2: 13,954): too many for the room
        // left (4,440 bytes), so a sketch filling it: 4,440 bytes less the header, mode
        // bytes and cell count, in 15-byte cells, a multiple of 4.
        let mut files_only = Baseline::default();
        for i in 0..2_000u32 {
            files_only
                .files
                .insert(hash32(&format!("src/m{i}.rs")), (250, 200));
        }
        let s = files_only.encode();
        assert!(s.len() <= TARGET_CHARS, "{}", s.len());
        let d = Baseline::decode(&s).unwrap();
        let k = d.sketches.files.as_ref().unwrap();
        assert_eq!(k.cells(), (4_440 - 32 - 3 - 2) / 15 / 4 * 4);
    }

    #[test]
    fn every_project_fits_the_target_and_resolves_exactly() {
        for (files, tests, findings) in [
            (1_000, 5_000, 500),
            (10_000, 50_000, 5_000),
            (40_000, 200_000, 20_000),
        ] {
            let base = project(files, tests, findings);
            let mut with_header = base.clone();
            with_header.header.commit = Some("a".repeat(40));
            with_header.header.score = Some(87.25);
            with_header.header.line_coverage = Some(81.5);
            let s = with_header.encode();
            assert!(
                s.len() <= TARGET_CHARS,
                "{files}/{tests}/{findings}: {}",
                s.len()
            );
            let d = Baseline::decode(&s).unwrap();
            assert!(d.sketches.files.is_some() && d.sketches.tests.is_some());

            // The current run: 20 tests removed, 25 added, 8 that passed now fail and 4
            // that failed now pass, 12 files with other line counts, 3 new files, 2
            // deleted, 10 findings fixed, 7 new and one more occurrence of a known one.
            let mut now = base.clone();
            let t = |i: u32| hash32(&format!("t{i}"));
            for i in 2..22 {
                now.tests.as_mut().unwrap().map.remove(&t(i));
                now.failing.map.remove(&t(i));
                now.skipped.map.remove(&t(i));
            }
            for i in 0..25 {
                now.tests
                    .as_mut()
                    .unwrap()
                    .insert(hash32(&format!("new{i}")), ());
            }
            for i in 0..8 {
                now.failing.insert(t(1_003 + i * 10), ());
            }
            for i in 0..4 {
                now.failing.map.remove(&t(1_000 + i * 100));
            }
            let m = |i: u32| hash32(&format!("src/m{i}.rs"));
            for i in 100..112 {
                now.files.insert(m(i), (300, 120));
            }
            for i in 0..3 {
                now.files
                    .insert(hash32(&format!("src/new{i}.rs")), (40, 40));
            }
            now.files.map.remove(&m(500));
            now.files.map.remove(&m(501));
            let f = |i: u32| hash32(&format!("f{i}"));
            let nf = now.findings.as_mut().unwrap();
            for i in 1..11 {
                nf.map.remove(&f(i));
            }
            for i in 0..7 {
                nf.insert(hash32(&format!("newf{i}")), 1);
            }
            *nf.map.get_mut(&f(15)).unwrap() += 1;

            let r = d.resolved(&now);
            assert!(r.unresolved.is_empty(), "{:?}", r.unresolved);
            assert_eq!(r.files, base.files);
            assert_eq!(r.tests, base.tests);
            assert_eq!(r.failing, base.failing);
            assert_eq!(r.skipped, base.skipped);
            assert_eq!(r.findings, base.findings);
            // And against itself: nothing differs.
            assert_eq!(d.resolved(&base).tests, base.tests);
        }
    }

    #[test]
    fn too_many_differences_leave_only_that_section_unresolved() {
        let base = project(2_000, 10_000, 300);
        let d = Baseline::decode(&base.encode()).unwrap();
        let mut now = base.clone();
        // 400 tests renamed: 800 differences, far beyond the tests' sketch.
        for i in 0..400u32 {
            let all = now.tests.as_mut().unwrap();
            all.map.remove(&hash32(&format!("t{i}")));
            all.insert(hash32(&format!("renamed{i}")), ());
        }
        let r = d.resolved(&now);
        assert_eq!(r.unresolved.len(), 1);
        assert_eq!(r.unresolved[0].section, "tests");
        assert!(r.tests.is_none());
        assert!(r.unresolved[0].note().contains("tests"));
        assert_eq!(r.files, base.files);
        // A run without tests leaves the tests' sketch alone, without a note.
        let mut no_tests = base.clone();
        no_tests.tests = None;
        assert!(d.resolved(&no_tests).unresolved.is_empty());
    }

    #[test]
    fn version_2_digests_are_still_read() {
        // Written by hand in version 2's layout: version, header, file keys and counts,
        // tests flag and keys, failing and skipped keys, findings flag, keys and counts.
        let mut b = Baseline::default();
        b.files.insert(hash32("src/a.rs"), (10, 7));
        b.tests = Some([1u32, 5, 9].into_iter().collect());
        b.failing.insert(5, ());
        b.findings = Some([(0u32, 2u32)].into_iter().collect());
        let c = b.compacted();
        let mut out = vec![2u8];
        let header = serde_json::to_vec(&c.header).unwrap();
        varint(&mut out, header.len() as u64);
        out.extend_from_slice(&header);
        keys(&mut out, &c.files);
        varint(&mut out, 10);
        varint(&mut out, 3 << 1);
        out.push(1);
        keys(&mut out, c.tests.as_ref().unwrap());
        keys(&mut out, &c.failing);
        keys(&mut out, &c.skipped);
        out.push(1);
        keys(&mut out, c.findings.as_ref().unwrap());
        varint(&mut out, 2);
        let text = format!(
            "<!-- shipgate-baseline:v2:{} -->",
            base64::engine::general_purpose::STANDARD.encode(&out)
        );
        let d = Baseline::decode(&text).unwrap();
        assert_eq!(d, c);
        assert_eq!(d.file("src/a.rs"), Some((10, 7)));
    }

    #[test]
    fn exact_sets_match_others_at_the_documented_rate() {
        // 2,500 tests alone and 500 files alone fit exactly; read back, every member
        // still matches; of 100,000 hashes that were not in, about 1/256 (390.6, sd 19.7)
        // match a test key and about 1/65,536 (1.5) a file key.
        let tests = Baseline {
            tests: Some((0..2_500u32).map(|i| hash32(&format!("t{i}"))).collect()),
            ..Default::default()
        };
        let mut files = Baseline::default();
        for i in 0..500u32 {
            files
                .files
                .insert(hash32(&format!("src/m{i}.rs")), (i.into(), 0));
        }
        let dt = Baseline::decode(&tests.encode()).unwrap();
        let df = Baseline::decode(&files.encode()).unwrap();
        assert_eq!(dt.sketches, Sketches::default());
        assert_eq!(df.sketches, Sketches::default());
        let t = dt.tests.as_ref().unwrap();
        assert!((0..2_500u32).all(|i| t.contains(hash32(&format!("t{i}")))));
        let intact = (0..500u32)
            .filter(|i| df.file(&format!("src/m{i}.rs")) == Some((u64::from(*i), 0)))
            .count();
        // Files colliding within the run are dropped: about 500 / 131,072 pairs.
        assert!(intact >= 498, "{intact}");
        let others = (0..100_000u32).map(|i| hash32(&format!("other{i}")));
        let false_tests = others.clone().filter(|h| t.contains(*h)).count();
        assert!((300..480).contains(&false_tests), "{false_tests}");
        let false_files = others.filter(|h| df.files.contains(*h)).count();
        assert!(false_files <= 10, "{false_files}");
    }

    #[test]
    fn damaged_digests_are_errors_not_panics() {
        // Real digests (one exact, one with sketches) with single bytes changed, and random
        // tails: decoding returns (an error or some baseline), never panics or loops.
        let mut b = Baseline {
            tests: Some((0..200u32).map(|i| hash32(&format!("t{i}"))).collect()),
            findings: Some((0..20u32).map(|i| (hash32(&format!("f{i}")), 2)).collect()),
            ..Default::default()
        };
        for i in 0..30u32 {
            b.files.insert(hash32(&format!("f{i}")), (9, 4));
        }
        b.failing = (0..5u32).map(|i| hash32(&format!("t{i}"))).collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let big = project(3_000, 8_000, 400);
        for good in [b.bytes(), big.bytes()] {
            for i in 0..5_000 {
                let mut bytes = good.clone();
                let at = 1 + (next() as usize) % (bytes.len() - 1);
                bytes[at] = next() as u8;
                if let Ok(d) = Baseline::from_bytes(&bytes)
                    && i % 50 == 0
                {
                    let _ = d.resolved(&big);
                }
                let cut = (next() as usize) % bytes.len();
                bytes.truncate(cut.max(1));
                bytes.extend((0..next() % 16).map(|_| next() as u8));
                let _ = Baseline::from_bytes(&bytes);
            }
        }
    }

    #[test]
    fn a_header_with_thousands_of_metrics_leaves_them_out() {
        let mut b = project(100, 100, 10);
        for i in 0..5_000 {
            b.header
                .metrics
                .insert(format!("metric_number_{i}"), f64::from(i));
        }
        let s = b.encode();
        assert!(s.len() <= TARGET_CHARS, "{}", s.len());
        let d = Baseline::decode(&s).unwrap();
        assert_eq!(d.header.left_out, vec!["metrics".to_string()]);
        assert!(d.header.metrics.is_empty());
    }
}
