//! The normalized model: the only types the rest of shipgate sees.

pub mod coverage;
pub mod findings;
pub mod tests;

pub use coverage::{
    BranchLine, BranchLines, BranchLinesBuilder, Coverage, CoverageTotals, DeclaredTotals,
    FileCoverage, Function, LineHits, LineHitsBuilder, StatementCounts,
};
pub use findings::{
    Category, Finding, FindingCounts, Findings, Level, Location, PackageRef, RuleInfo, Severity,
};
pub use tests::{TestCase, TestCounts, TestRun, TestStatus, TestSuite};
