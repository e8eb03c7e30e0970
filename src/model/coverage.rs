//! Coverage: files → line hits, branches per line, functions.

use serde::Serialize;
use std::collections::BTreeMap;

/// Coverage of a whole project, keyed by repository-relative path (`/` separators).
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Per file, keyed by repository-relative path.
    pub files: BTreeMap<String, FileCoverage>,
    /// Totals the report itself states for the whole project (Cobertura's root attributes,
    /// JaCoCo's report counters...). Writers sometimes keep more there than in their per-line
    /// data (istanbul's Cobertura drops default-argument branches from lines; PHPUnit's has
    /// branch totals only at the root), and these are the figures the tool printed, so
    /// [`Coverage::totals`] prefers them. Kept through merges of disjoint shards, dropped when
    /// shards overlap (adding them up would count shared files twice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<DeclaredTotals>,
}

/// Coverage of one source file.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct FileCoverage {
    /// Coverable lines with their hit counts.
    pub lines: LineHits,
    /// Branch counts per line, sorted by line.
    pub branches: BranchLines,
    /// Functions (methods) with the line they start on.
    pub functions: Vec<Function>,
    /// Totals the report states where it has no line-level data (summary-only formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<DeclaredTotals>,
    /// Statement counts, from formats whose tool's own figure is statement-based (Go's
    /// coverprofile, istanbul's "Statements"); `None` for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<StatementCounts>,
}

/// Statements of one file as the producing tool counts them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatementCounts {
    /// Statements in all.
    pub total: u64,
    /// Statements executed at least once.
    pub covered: u64,
}

/// Branches on one line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BranchLine {
    /// 1-based line number.
    pub line: u32,
    /// Branches taken at least once.
    pub covered: u32,
    /// Branches in all.
    pub total: u32,
}

impl BranchLine {
    /// Groups individual branches, each `(line, taken)`, into per-line counts sorted by line.
    pub fn group(mut branches: Vec<(u32, bool)>) -> Vec<BranchLine> {
        if !branches.is_sorted_by_key(|b| b.0) {
            branches.sort_by_key(|b| b.0);
        }
        let mut out: Vec<BranchLine> = Vec::new();
        for (line, taken) in branches {
            match out.last_mut() {
                Some(b) if b.line == line => {
                    b.total += 1;
                    b.covered += u32::from(taken);
                }
                _ => out.push(BranchLine {
                    line,
                    covered: u32::from(taken),
                    total: 1,
                }),
            }
        }
        out
    }
}

/// A function or method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Function {
    /// Name as the report gives it.
    pub name: String,
    /// 1-based line where it starts (0 if unknown).
    pub line: u32,
    /// Times it was entered.
    pub hits: u64,
}

/// Totals a summary-only report states for a file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeclaredTotals {
    /// Lines that can be covered.
    pub lines_total: u64,
    /// Lines covered.
    pub lines_covered: u64,
    /// Branches in all.
    pub branches_total: u64,
    /// Branches covered.
    pub branches_covered: u64,
    /// Functions in all.
    pub functions_total: u64,
    /// Functions covered.
    pub functions_covered: u64,
}

impl DeclaredTotals {
    fn plus(&self, o: &DeclaredTotals) -> DeclaredTotals {
        DeclaredTotals {
            lines_total: self.lines_total + o.lines_total,
            lines_covered: self.lines_covered + o.lines_covered,
            branches_total: self.branches_total + o.branches_total,
            branches_covered: self.branches_covered + o.branches_covered,
            functions_total: self.functions_total + o.functions_total,
            functions_covered: self.functions_covered + o.functions_covered,
        }
    }
}

/// Totals over a set of files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoverageTotals {
    /// Files with coverage data.
    pub files: u64,
    /// Coverable lines.
    pub lines_total: u64,
    /// Lines with at least one hit.
    pub lines_covered: u64,
    /// Branches in all.
    pub branches_total: u64,
    /// Branches taken.
    pub branches_covered: u64,
    /// Functions in all.
    pub functions_total: u64,
    /// Functions entered at least once.
    pub functions_covered: u64,
    /// Statements, over the files whose format counts them (see [`FileCoverage::statements`]).
    pub statements_total: u64,
    /// Statements executed, over the same files.
    pub statements_covered: u64,
}

impl CoverageTotals {
    fn as_declared(&self) -> DeclaredTotals {
        DeclaredTotals {
            lines_total: self.lines_total,
            lines_covered: self.lines_covered,
            branches_total: self.branches_total,
            branches_covered: self.branches_covered,
            functions_total: self.functions_total,
            functions_covered: self.functions_covered,
        }
    }

    /// Line coverage in percent, `None` when there are no coverable lines.
    pub fn line_percent(&self) -> Option<f64> {
        percent(self.lines_covered, self.lines_total)
    }
    /// Branch coverage in percent, `None` when there are no branches.
    pub fn branch_percent(&self) -> Option<f64> {
        percent(self.branches_covered, self.branches_total)
    }
    /// Function coverage in percent, `None` when there are no functions.
    pub fn function_percent(&self) -> Option<f64> {
        percent(self.functions_covered, self.functions_total)
    }
    /// Statement coverage in percent, `None` when no file counts statements.
    pub fn statement_percent(&self) -> Option<f64> {
        percent(self.statements_covered, self.statements_total)
    }
}

/// `covered / total` in percent, or `None` for an empty total.
pub fn percent(covered: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| covered as f64 * 100.0 / total as f64)
}

impl FileCoverage {
    /// This file's totals (line-level data where present, else the declared totals).
    pub fn totals(&self) -> CoverageTotals {
        let mut t = CoverageTotals {
            files: 1,
            ..Default::default()
        };
        if let Some(st) = self.statements {
            t.statements_total = st.total;
            t.statements_covered = st.covered.min(st.total);
        }
        if let Some(d) = self.declared
            && self.lines.is_empty()
            && self.branches.is_empty()
            && self.functions.is_empty()
        {
            t.lines_total = d.lines_total;
            t.lines_covered = d.lines_covered;
            t.branches_total = d.branches_total;
            t.branches_covered = d.branches_covered;
            t.functions_total = d.functions_total;
            t.functions_covered = d.functions_covered;
            return t;
        }
        t.lines_total = self.lines.len() as u64;
        t.lines_covered = self.lines.covered() as u64;
        (t.branches_total, t.branches_covered) = self.branches.counts();
        t.functions_total = self.functions.len() as u64;
        t.functions_covered = self.functions.iter().filter(|f| f.hits > 0).count() as u64;
        t
    }

    /// Adds another report's data for the same file: a line is covered if either covered it,
    /// hits add up; branch counts keep the larger of each (the reports name no branch identity).
    pub fn merge(&mut self, other: FileCoverage) {
        self.lines = self.lines.merged(&other.lines);
        if !other.branches.is_empty() {
            let mut all: Vec<BranchLine> =
                self.branches.iter().chain(other.branches.iter()).collect();
            all.sort_by_key(|b| b.line);
            let mut out: Vec<BranchLine> = Vec::with_capacity(all.len());
            for b in all {
                match out.last_mut() {
                    Some(last) if last.line == b.line => {
                        last.total = last.total.max(b.total);
                        last.covered = last.covered.max(b.covered);
                    }
                    _ => out.push(b),
                }
            }
            self.branches = BranchLines::from(out);
        }
        for f in other.functions {
            match self
                .functions
                .iter_mut()
                .find(|g| g.name == f.name && g.line == f.line)
            {
                Some(g) => g.hits = g.hits.saturating_add(f.hits),
                None => self.functions.push(f),
            }
        }
        self.declared = match (self.declared, other.declared) {
            (Some(a), Some(b)) => Some(DeclaredTotals {
                lines_total: a.lines_total.max(b.lines_total),
                lines_covered: a.lines_covered.max(b.lines_covered),
                branches_total: a.branches_total.max(b.branches_total),
                branches_covered: a.branches_covered.max(b.branches_covered),
                functions_total: a.functions_total.max(b.functions_total),
                functions_covered: a.functions_covered.max(b.functions_covered),
            }),
            (a, b) => a.or(b),
        };
        // Without block identities two reports of one file cannot be unioned; the larger of
        // each count is the figure the better-covered shard proves.
        self.statements = match (self.statements, other.statements) {
            (Some(a), Some(b)) => Some(StatementCounts {
                total: a.total.max(b.total),
                covered: a.covered.max(b.covered),
            }),
            (a, b) => a.or(b),
        };
    }
}

impl Coverage {
    /// Adds one file's coverage, merging with what is already there.
    pub fn add_file(&mut self, path: String, mut file: FileCoverage) {
        // Parsers build these with pushes; return the slack before the file is kept.
        file.functions.shrink_to_fit();
        match self.files.get_mut(&path) {
            Some(existing) => existing.merge(file),
            None => {
                self.files.insert(path, file);
            }
        }
    }

    /// Merges another report (another shard, another format) into this one.
    pub fn merge(&mut self, other: Coverage) {
        if self.files.is_empty() && self.declared.is_none() {
            *self = other;
            return;
        }
        let disjoint = other.files.keys().all(|k| !self.files.contains_key(k));
        self.declared = if disjoint && (self.declared.is_some() || other.declared.is_some()) {
            Some(
                self.totals()
                    .as_declared()
                    .plus(&other.totals().as_declared()),
            )
        } else {
            None
        };
        for (path, file) in other.files {
            self.add_file(path, file);
        }
    }

    /// Totals: the report's own stated totals where it states them (see
    /// [`Coverage::declared`]), else those of the per-line data.
    pub fn totals(&self) -> CoverageTotals {
        let mut t = self.line_totals();
        if let Some(d) = self.declared {
            if d.lines_total > 0 {
                (t.lines_total, t.lines_covered) = (d.lines_total, d.lines_covered);
            }
            if d.branches_total > 0 {
                (t.branches_total, t.branches_covered) = (d.branches_total, d.branches_covered);
            }
            if d.functions_total > 0 {
                (t.functions_total, t.functions_covered) = (d.functions_total, d.functions_covered);
            }
        }
        t
    }

    /// Totals of the per-file data alone (what patch coverage and per-file rules see).
    pub fn line_totals(&self) -> CoverageTotals {
        let mut t = CoverageTotals::default();
        for f in self.files.values() {
            let ft = f.totals();
            t.files += 1;
            t.lines_total += ft.lines_total;
            t.lines_covered += ft.lines_covered;
            t.branches_total += ft.branches_total;
            t.branches_covered += ft.branches_covered;
            t.functions_total += ft.functions_total;
            t.functions_covered += ft.functions_covered;
            t.statements_total += ft.statements_total;
            t.statements_covered += ft.statements_covered;
        }
        t
    }
}

/// Coverable lines and their hit counts, stored compactly: sorted by line, each entry one
/// tagged varint (see [`write_tagged`]) holding the hits and, in 3 bits, the gap from the
/// previous line when it is 1 to 7 (a larger gap, or 0 for a first line 0, follows as a
/// LEB128 varint of its own). A line with fewer than 16 hits takes one byte, fewer than
/// 2,048 two. A 200 MB report of 5,000 files holds a few million lines, so this is what
/// keeps memory proportional to lines rather than to bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LineHits {
    bytes: Box<[u8]>,
    len: u32,
    covered: u32,
}

impl std::fmt::Debug for LineHits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for LineHits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.len()))?;
        for (line, hits) in self.iter() {
            m.serialize_entry(&line, &hits)?;
        }
        m.end()
    }
}

impl LineHits {
    /// Builds from `(line, hits)` pairs in any order; a repeated line adds its hits.
    pub fn from_pairs(mut pairs: Vec<(u32, u64)>) -> Self {
        if !pairs.is_sorted_by_key(|p| p.0) {
            pairs.sort_unstable_by_key(|p| p.0);
        }
        let mut out = Builder::default();
        out.bytes.reserve(pairs.len() * 2);
        for (line, hits) in pairs {
            // Sorted: always accepted.
            out.push(line, hits);
        }
        out.finish()
    }

    /// Number of coverable lines.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Number of lines with at least one hit.
    pub fn covered(&self) -> usize {
        self.covered as usize
    }

    /// True when no line is listed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `(line, hits)` in ascending line order.
    pub fn iter(&self) -> LineHitsIter<'_> {
        LineHitsIter {
            bytes: &self.bytes,
            pos: 0,
            line: 0,
        }
    }

    /// Hits of one line, `None` when the line is not coverable.
    pub fn get(&self, line: u32) -> Option<u64> {
        self.iter()
            .take_while(|&(l, _)| l <= line)
            .find(|&(l, _)| l == line)
            .map(|(_, h)| h)
    }

    /// Union of two sets of lines, hits added.
    pub fn merged(&self, other: &LineHits) -> LineHits {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let mut out = Builder::default();
        let (mut a, mut b) = (self.iter().peekable(), other.iter().peekable());
        // Both sides are sorted; the builder adds the hits of a line that comes twice.
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&pa), Some(&pb)) if pa.0 <= pb.0 => a.next(),
                (_, Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, None) => break,
            };
            if let Some((line, hits)) = next {
                out.push(line, hits);
            }
        }
        out.finish()
    }
}

/// Builds [`LineHits`] as lines arrive: encoded in place while they come in ascending order
/// (as every writer emits them), collected and sorted only if one comes out of order.
#[derive(Default)]
pub struct LineHitsBuilder {
    sorted: Builder,
    unsorted: Option<Vec<(u32, u64)>>,
}

impl LineHitsBuilder {
    /// Adds a line's hits; a line given twice adds up.
    #[inline(always)]
    pub fn push(&mut self, line: u32, hits: u64) {
        if self.unsorted.is_some() || !self.sorted.push(line, hits) {
            self.push_unsorted(line, hits);
        }
    }

    #[cold]
    fn push_unsorted(&mut self, line: u32, hits: u64) {
        let v = self.unsorted.get_or_insert_with(|| {
            let done = std::mem::take(&mut self.sorted).finish();
            done.iter().collect()
        });
        v.push((line, hits));
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.unsorted
            .as_ref()
            .map_or(self.sorted.len == 0, Vec::is_empty)
    }

    /// The finished set.
    pub fn finish(self) -> LineHits {
        match self.unsorted {
            Some(v) => LineHits::from_pairs(v),
            None => self.sorted.finish(),
        }
    }
}

/// Appends lines in ascending order; a repeat of the last line rewrites its entry with the
/// hits added.
#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
    len: u32,
    covered: u32,
    /// The last entry: its line, gap, hits and where it starts.
    last: u32,
    last_gap: u32,
    last_hits: u64,
    last_pos: usize,
}

impl Builder {
    /// Appends `line`; false (and nothing done) when it is below the last one.
    #[inline(always)]
    fn push(&mut self, line: u32, hits: u64) -> bool {
        let gap = line.wrapping_sub(self.last);
        if gap.wrapping_sub(1) < 7 {
            // The usual case: the next line, a few lines on.
            self.last_pos = self.bytes.len();
            write_tagged(&mut self.bytes, hits, (gap - 1) as u8);
        } else if line < self.last {
            return false;
        } else if gap == 0 && self.len > 0 {
            self.repeat(hits);
            return true;
        } else {
            if self.bytes.capacity() == 0 {
                // Most files hold a few hundred lines: skip the first few doublings.
                self.bytes.reserve(512);
            }
            self.last_pos = self.bytes.len();
            write_tagged(&mut self.bytes, hits, ESCAPE);
            write_varint(&mut self.bytes, u64::from(gap));
        }
        self.len += 1;
        self.covered += u32::from(hits > 0);
        self.last = line;
        self.last_gap = gap;
        self.last_hits = hits;
        true
    }

    /// The last line again: its entry rewritten with the hits added.
    #[cold]
    fn repeat(&mut self, hits: u64) {
        let sum = self.last_hits.saturating_add(hits);
        self.covered += u32::from(sum > 0) - u32::from(self.last_hits > 0);
        self.bytes.truncate(self.last_pos);
        if self.last_gap.wrapping_sub(1) < 7 {
            write_tagged(&mut self.bytes, sum, (self.last_gap - 1) as u8);
        } else {
            write_tagged(&mut self.bytes, sum, ESCAPE);
            write_varint(&mut self.bytes, u64::from(self.last_gap));
        }
        self.last_hits = sum;
    }

    fn finish(self) -> LineHits {
        LineHits {
            // A new allocation of the exact size rather than a shrink in place, which would
            // leave the slack behind as a hole in the heap, one per file.
            bytes: Box::from(self.bytes.as_slice()),
            len: self.len,
            covered: self.covered,
        }
    }
}

/// Iterator over [`LineHits`].
pub struct LineHitsIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Iterator for LineHitsIter<'_> {
    type Item = (u32, u64);
    #[inline]
    fn next(&mut self) -> Option<(u32, u64)> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let (hits, code) = read_tagged(self.bytes, &mut self.pos);
        let gap = if code == ESCAPE {
            read_varint(self.bytes, &mut self.pos) as u32
        } else {
            u32::from(code) + 1
        };
        self.line = self.line.wrapping_add(gap);
        Some((self.line, hits))
    }
}

/// Branch counts per line ([`BranchLine`]s), sorted by line, stored compactly: each entry
/// the gap from the previous entry's line as a LEB128 varint, then one byte `total << 4 |
/// covered` when the total is 1 to 15 and covered at most 15 (a byte 0 otherwise, followed
/// by both as varints): two bytes for the usual line of a few branches, where a
/// `BranchLine` takes 12.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BranchLines {
    bytes: Box<[u8]>,
    len: u32,
    /// Sums over the entries of `total` and of `covered.min(total)`, kept as they are written.
    total: u64,
    covered: u64,
}

impl std::fmt::Debug for BranchLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for BranchLines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl BranchLines {
    /// Number of entries (lines with branches).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when no line has branches.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Branches in all and branches covered (each line's covered count capped at its total),
    /// summed over the lines.
    pub fn counts(&self) -> (u64, u64) {
        (self.total, self.covered)
    }

    /// The entries in ascending line order.
    pub fn iter(&self) -> BranchLinesIter<'_> {
        BranchLinesIter {
            bytes: &self.bytes,
            pos: 0,
            line: 0,
        }
    }
}

/// Writes [`BranchLines`] entries in ascending line order.
#[derive(Default)]
struct BranchEncoder {
    bytes: Vec<u8>,
    len: u32,
    total: u64,
    covered: u64,
    last: u32,
}

impl BranchEncoder {
    #[inline(always)]
    fn append(&mut self, b: BranchLine) {
        write_varint(&mut self.bytes, u64::from(b.line - self.last));
        if (1..16).contains(&b.total) && b.covered < 16 {
            self.bytes.push(((b.total as u8) << 4) | b.covered as u8);
        } else {
            self.bytes.push(0);
            write_varint(&mut self.bytes, u64::from(b.total));
            write_varint(&mut self.bytes, u64::from(b.covered));
        }
        self.len += 1;
        self.total += u64::from(b.total);
        self.covered += u64::from(b.covered.min(b.total));
        self.last = b.line;
    }

    fn finish(self) -> BranchLines {
        BranchLines {
            // Exact size, as for `LineHits`.
            bytes: Box::from(self.bytes.as_slice()),
            len: self.len,
            total: self.total,
            covered: self.covered,
        }
    }
}

/// Keeps every entry as given, in line order (a stable sort when they come unsorted).
impl From<Vec<BranchLine>> for BranchLines {
    fn from(mut v: Vec<BranchLine>) -> Self {
        if !v.is_sorted_by_key(|b| b.line) {
            v.sort_by_key(|b| b.line);
        }
        let mut out = BranchEncoder::default();
        out.bytes.reserve(v.len() * 2);
        for b in v {
            out.append(b);
        }
        out.finish()
    }
}

impl FromIterator<BranchLine> for BranchLines {
    fn from_iter<I: IntoIterator<Item = BranchLine>>(it: I) -> Self {
        BranchLines::from(it.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a BranchLines {
    type Item = BranchLine;
    type IntoIter = BranchLinesIter<'a>;
    fn into_iter(self) -> BranchLinesIter<'a> {
        self.iter()
    }
}

/// Iterator over [`BranchLines`].
pub struct BranchLinesIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Iterator for BranchLinesIter<'_> {
    type Item = BranchLine;
    #[inline]
    fn next(&mut self) -> Option<BranchLine> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let gap = read_varint(self.bytes, &mut self.pos) as u32;
        let tc = self.bytes[self.pos];
        self.pos += 1;
        let (total, covered) = if tc != 0 {
            (u32::from(tc >> 4), u32::from(tc & 15))
        } else {
            let t = read_varint(self.bytes, &mut self.pos) as u32;
            (t, read_varint(self.bytes, &mut self.pos) as u32)
        };
        self.line = self.line.wrapping_add(gap);
        Some(BranchLine {
            line: self.line,
            covered,
            total,
        })
    }
}

/// Builds [`BranchLines`] from individual branches, each `(line, taken)`, as they arrive: the
/// same result as [`BranchLine::group`], encoded in place while lines ascend.
#[derive(Default)]
pub struct BranchLinesBuilder {
    out: BranchEncoder,
    /// The line in progress, valid when `started` (and never once `unsorted`).
    cur: BranchLine,
    started: bool,
    /// Entries so far once a line came out of order; grouped again at the end.
    unsorted: Option<Vec<BranchLine>>,
}

impl BranchLinesBuilder {
    /// Adds one branch of `line`, taken or not.
    #[inline(always)]
    pub fn push(&mut self, line: u32, taken: bool) {
        if self.started && line == self.cur.line {
            self.cur.total = self.cur.total.saturating_add(1);
            self.cur.covered = self.cur.covered.saturating_add(u32::from(taken));
            return;
        }
        self.push_new(line, taken);
    }

    #[inline(always)]
    fn push_new(&mut self, line: u32, taken: bool) {
        let next = BranchLine {
            line,
            covered: u32::from(taken),
            total: 1,
        };
        if self.started && line > self.cur.line {
            self.out.append(self.cur);
            self.cur = next;
        } else {
            self.push_cold(next);
        }
    }

    /// The first branch, or one out of line order, or any once out of order.
    #[cold]
    fn push_cold(&mut self, next: BranchLine) {
        if let Some(v) = &mut self.unsorted {
            v.push(next);
        } else if self.started {
            // Below the line in progress.
            let mut v: Vec<BranchLine> = std::mem::take(&mut self.out).finish().iter().collect();
            v.push(self.cur);
            v.push(next);
            self.unsorted = Some(v);
            self.started = false;
        } else {
            self.started = true;
            self.out.bytes.reserve(256);
            self.cur = next;
        }
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        !self.started && self.unsorted.is_none()
    }

    /// The finished set.
    pub fn finish(mut self) -> BranchLines {
        if let Some(mut v) = self.unsorted {
            v.sort_by_key(|b| b.line);
            let mut out: Vec<BranchLine> = Vec::with_capacity(v.len());
            for b in v {
                match out.last_mut() {
                    Some(o) if o.line == b.line => {
                        o.total = o.total.saturating_add(b.total);
                        o.covered = o.covered.saturating_add(b.covered);
                    }
                    _ => out.push(b),
                }
            }
            return BranchLines::from(out);
        }
        if self.started {
            self.out.append(self.cur);
        }
        self.out.finish()
    }
}

/// The 3-bit code of a tagged varint that says "the gap follows as a varint of its own".
const ESCAPE: u8 = 7;

/// A value with a 3-bit code: the first byte holds a continuation bit, the value's low 4 bits
/// and the code (`c vvvv kkk`); the rest of the value, if any, follows as a LEB128 varint.
#[inline(always)]
fn write_tagged(out: &mut Vec<u8>, value: u64, code: u8) {
    let first = (((value & 0xF) as u8) << 3) | code;
    let rest = value >> 4;
    if rest == 0 {
        out.push(first);
    } else {
        out.push(first | 0x80);
        write_varint(out, rest);
    }
}

#[inline(always)]
fn read_tagged(bytes: &[u8], pos: &mut usize) -> (u64, u8) {
    let b = bytes[*pos];
    *pos += 1;
    let mut v = u64::from((b >> 3) & 0xF);
    if b & 0x80 != 0 {
        v |= read_varint(bytes, pos) << 4;
    }
    (v, b & 7)
}

#[inline]
fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    if v < 0x80 {
        out.push(v as u8);
        return;
    }
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn read_varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_in_order_out_of_order_and_repeats() {
        let mut b = LineHitsBuilder::default();
        for (l, h) in [(1, 2), (3, 0), (3, 5), (7, 1)] {
            b.push(l, h);
        }
        let sorted = b.finish();
        assert_eq!(sorted.iter().collect::<Vec<_>>(), [(1, 2), (3, 5), (7, 1)]);
        assert_eq!((sorted.len(), sorted.covered()), (3, 3));

        let mut b = LineHitsBuilder::default();
        for (l, h) in [(5, 1), (9, 0), (2, 4), (5, 1), (300, 70000)] {
            b.push(l, h);
        }
        let out = b.finish();
        assert_eq!(
            out.iter().collect::<Vec<_>>(),
            [(2, 4), (5, 2), (9, 0), (300, 70000)]
        );
        assert_eq!(
            out,
            LineHits::from_pairs(vec![(300, 70000), (9, 0), (5, 2), (2, 4)])
        );
        assert_eq!(out.get(9), Some(0));
        assert_eq!(out.get(10), None);
    }

    /// xorshift64*, for repeatable pseudo-random inputs.
    fn rng(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut x = seed;
        move |n| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
        }
    }

    #[test]
    fn line_hits_round_trip_at_the_encoding_edges() {
        // Gaps of 0 (a first line 0), 1..=7 (in the tag) and beyond (escaped); hits around
        // each byte boundary of the tagged varint, up to u64::MAX.
        let mut pairs = vec![(0u32, 0u64)];
        let mut line = 0;
        for (gap, hits) in [
            (1, 15),
            (2, 16),
            (3, 2047),
            (4, 2048),
            (5, 1 << 18),
            (6, u64::MAX),
            (7, 1),
            (8, 0),
            (200, 7),
            (1 << 20, u64::MAX - 1),
            (u32::MAX - 2_000_000, 3),
        ] {
            line += gap;
            pairs.push((line, hits));
        }
        let lh = LineHits::from_pairs(pairs.clone());
        assert_eq!(lh.iter().collect::<Vec<_>>(), pairs);
        assert_eq!(lh.len(), pairs.len());
        assert_eq!(lh.covered(), pairs.iter().filter(|p| p.1 > 0).count());
        assert_eq!(lh.get(u32::MAX - 2_000_000 + 3_000), None);
        assert_eq!(lh.get(pairs[6].0), Some(u64::MAX));
    }

    #[test]
    fn line_hits_builder_equals_a_sorted_sum() {
        let mut r = rng(7);
        for case in 0..200 {
            let n = r(300) as usize;
            let spread = [5, 40, 100_000][case % 3];
            let pairs: Vec<(u32, u64)> = (0..n)
                .map(|_| (r(spread) as u32, [r(3), r(100), r(1 << 40)][case % 3]))
                .collect();
            // Mostly ascending with repeats, sometimes shuffled.
            let mut input = pairs.clone();
            if case % 2 == 0 {
                input.sort_by_key(|p| p.0);
            }
            let mut b = LineHitsBuilder::default();
            for &(l, h) in &input {
                b.push(l, h);
            }
            assert_eq!(b.is_empty(), input.is_empty());
            let mut want: BTreeMap<u32, u64> = BTreeMap::new();
            for &(l, h) in &pairs {
                *want.entry(l).or_default() += h;
            }
            let got = b.finish();
            assert_eq!(
                got.iter().collect::<Vec<_>>(),
                want.iter().map(|(&l, &h)| (l, h)).collect::<Vec<_>>()
            );
            assert_eq!(got.covered(), want.values().filter(|h| **h > 0).count());
        }
    }

    #[test]
    fn branch_lines_keep_every_entry_in_line_order() {
        let v = vec![
            BranchLine {
                line: 9,
                covered: 1,
                total: 2,
            },
            BranchLine {
                line: 0,
                covered: 3,
                total: 7,
            },
            BranchLine {
                line: 9,
                covered: 0,
                total: 4,
            },
            BranchLine {
                line: 15,
                covered: 16,
                total: 17,
            },
            BranchLine {
                line: 15,
                covered: 15,
                total: 15,
            },
            BranchLine {
                line: 16,
                covered: 0,
                total: 0,
            },
            BranchLine {
                line: 300,
                covered: 2,
                total: 1,
            },
            BranchLine {
                line: 1 << 30,
                covered: u32::MAX,
                total: u32::MAX,
            },
        ];
        let bl = BranchLines::from(v.clone());
        let mut want = v;
        want.sort_by_key(|b| b.line);
        assert_eq!(bl.iter().collect::<Vec<_>>(), want);
        assert_eq!(bl.len(), 8);
        let total: u64 = want.iter().map(|b| u64::from(b.total)).sum();
        let covered: u64 = want.iter().map(|b| u64::from(b.covered.min(b.total))).sum();
        assert_eq!(bl.counts(), (total, covered));
        assert_eq!(
            serde_json::to_value(&bl).unwrap(),
            serde_json::to_value(&want).unwrap()
        );
        assert!(BranchLines::default().is_empty());
    }

    #[test]
    fn branch_builder_equals_group() {
        let mut r = rng(11);
        for case in 0..200 {
            let n = r(200) as usize;
            let spread = [3, 30, 1 << 24][case % 3];
            let mut input: Vec<(u32, bool)> =
                (0..n).map(|_| (r(spread) as u32, r(2) == 1)).collect();
            if case % 2 == 0 {
                input.sort_by_key(|b| b.0);
            }
            let mut b = BranchLinesBuilder::default();
            for &(l, t) in &input {
                b.push(l, t);
            }
            assert_eq!(b.is_empty(), input.is_empty());
            let got: Vec<BranchLine> = b.finish().iter().collect();
            assert_eq!(got, BranchLine::group(input), "case {case}");
        }
    }

    #[test]
    fn merge_adds_hits_and_unions_lines() {
        let a = LineHits::from_pairs(vec![(1, 1), (4, 0)]);
        let b = LineHits::from_pairs(vec![(4, 2), (6, 0)]);
        let m = a.merged(&b);
        assert_eq!(m.iter().collect::<Vec<_>>(), [(1, 1), (4, 2), (6, 0)]);
        assert_eq!(m.covered(), 2);
    }
}
