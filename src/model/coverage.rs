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
    pub branches: Vec<BranchLine>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
        for b in &self.branches {
            t.branches_total += u64::from(b.total);
            t.branches_covered += u64::from(b.covered.min(b.total));
        }
        t.functions_total = self.functions.len() as u64;
        t.functions_covered = self.functions.iter().filter(|f| f.hits > 0).count() as u64;
        t
    }

    /// Adds another report's data for the same file: a line is covered if either covered it,
    /// hits add up; branch counts keep the larger of each (the reports name no branch identity).
    pub fn merge(&mut self, other: FileCoverage) {
        self.lines = self.lines.merged(&other.lines);
        if !other.branches.is_empty() {
            let mut all = std::mem::take(&mut self.branches);
            all.extend(other.branches);
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
            self.branches = out;
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
        file.branches.shrink_to_fit();
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

/// Coverable lines and their hit counts, stored compactly: sorted by line, each entry
/// written as two LEB128 varints (the gap from the previous line, then the hits), which
/// takes about two bytes a line. A 200 MB report of 5,000 files holds a few million
/// lines, so this is what keeps memory proportional to lines rather than to bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LineHits {
    bytes: Vec<u8>,
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
        out.out.bytes.reserve(pairs.len() * 3);
        for (line, hits) in pairs {
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
        if let Some(v) = &mut self.unsorted {
            v.push((line, hits));
            return;
        }
        if self.sorted.out.bytes.capacity() == 0 {
            // Most files hold a few hundred lines: skip the first few doublings.
            self.sorted.out.bytes.reserve(1024);
        }
        let last = self.sorted.pending.map_or(self.sorted.last, |p| p.0);
        if line >= last {
            self.sorted.push(line, hits);
        } else {
            let done = std::mem::take(&mut self.sorted).finish();
            let mut v: Vec<(u32, u64)> = done.iter().collect();
            v.push((line, hits));
            self.unsorted = Some(v);
        }
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.unsorted.as_ref().map_or(
            self.sorted.out.len == 0 && self.sorted.pending.is_none(),
            Vec::is_empty,
        )
    }

    /// The finished set.
    pub fn finish(self) -> LineHits {
        match self.unsorted {
            Some(v) => LineHits::from_pairs(v),
            None => self.sorted.finish(),
        }
    }
}

/// Appends lines in ascending order, folding a repeated line into one entry.
#[derive(Default)]
struct Builder {
    out: LineHits,
    pending: Option<(u32, u64)>,
    last: u32,
}

impl Builder {
    #[inline(always)]
    fn push(&mut self, line: u32, hits: u64) {
        match &mut self.pending {
            Some((l, h)) if *l == line => *h = h.saturating_add(hits),
            _ => {
                self.flush();
                self.pending = Some((line, hits));
            }
        }
    }

    #[inline(always)]
    fn flush(&mut self) {
        if let Some((line, hits)) = self.pending.take() {
            write_varint(&mut self.out.bytes, u64::from(line - self.last));
            write_varint(&mut self.out.bytes, hits);
            self.out.len += 1;
            self.out.covered += u32::from(hits > 0);
            self.last = line;
        }
    }

    fn finish(mut self) -> LineHits {
        self.flush();
        self.out.bytes.shrink_to_fit();
        self.out
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
    fn next(&mut self) -> Option<(u32, u64)> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let gap = read_varint(self.bytes, &mut self.pos);
        let hits = read_varint(self.bytes, &mut self.pos);
        self.line = self.line.wrapping_add(gap as u32);
        Some((self.line, hits))
    }
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

    #[test]
    fn merge_adds_hits_and_unions_lines() {
        let a = LineHits::from_pairs(vec![(1, 1), (4, 0)]);
        let b = LineHits::from_pairs(vec![(4, 2), (6, 0)]);
        let m = a.merged(&b);
        assert_eq!(m.iter().collect::<Vec<_>>(), [(1, 1), (4, 2), (6, 0)]);
        assert_eq!(m.covered(), 2);
    }
}
