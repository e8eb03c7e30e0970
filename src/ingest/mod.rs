//! Ingest: report files in, model out. One module per format, each with the same face:
//! `detect(&Head) -> bool` looks at the first bytes, `parse(reader, &Ctx)` streams the rest
//! into the model. Adding a format is one new module and one row in [`FORMATS`].

mod decode;
pub mod error;
pub mod json;
pub mod paths;
pub mod xml;

mod cargo;
mod checkstyle;
mod clover;
mod cobertura;
mod coveragepy;
mod eslint;
mod gocover;
mod istanbul;
mod jacoco;
mod jest;
mod junit;
mod lcov;
mod mypy;
mod nunit;
mod pylint;
mod ruff;
mod sarif;
mod trx;
// Security scanners' native JSON (and the lints that go with them).
mod bandit;
mod cargo_audit;
mod checkov;
mod gitleaks;
mod grype;
mod hadolint;
mod npm_audit;
mod pip_audit;
mod scan;
mod semgrep;
mod shellcheck;
mod trivy;
mod xunit;

pub use error::{At, IngestError, ParseError};
pub use paths::PathResolver;

use crate::model::{Coverage, CoverageTotals, FindingCounts, Findings, TestCounts, TestRun};
use serde::Serialize;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Line, branch and function coverage.
    Coverage,
    /// Test results.
    Tests,
    /// Lint, type and security findings.
    Findings,
}

/// Every input format shipgate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Format {
    /// Cobertura XML (coverage.py, c8/istanbul, gcovr, cargo-llvm-cov, coverlet).
    Cobertura,
    /// LCOV tracefile.
    Lcov,
    /// JaCoCo XML.
    Jacoco,
    /// Clover XML.
    Clover,
    /// coverage.py `coverage json`.
    CoveragePyJson,
    /// Istanbul `coverage-final.json`.
    IstanbulJson,
    /// Istanbul `coverage-summary.json`.
    IstanbulSummary,
    /// Go `-coverprofile` (set, count, atomic).
    GoCover,
    /// JUnit XML, all dialects.
    Junit,
    /// NUnit 3 XML.
    Nunit3,
    /// xUnit.net v2 XML.
    Xunit2,
    /// Visual Studio TRX.
    Trx,
    /// Jest `--json`.
    JestJson,
    /// Vitest `--reporter=json`.
    VitestJson,
    /// SARIF 2.1.0.
    Sarif,
    /// ESLint `-f json`.
    EslintJson,
    /// Ruff `--output-format=json`.
    RuffJson,
    /// Checkstyle XML.
    Checkstyle,
    /// Pylint `--output-format=json`.
    PylintJson,
    /// Pylint `--output-format=json2`.
    PylintJson2,
    /// mypy `--output json` (one object per line).
    MypyJson,
    /// cargo / clippy `--message-format=json` (one object per line).
    CargoJson,
    /// A JSON array with no element: an empty findings list (Ruff, Pylint print `[]`).
    EmptyJsonArray,
    /// Trivy `--format json` (SchemaVersion 2).
    TrivyJson,
    /// Grype `-o json`.
    GrypeJson,
    /// npm audit `--json` (npm 7+, `auditReportVersion` 2).
    NpmAuditJson,
    /// pip-audit `-f json`.
    PipAuditJson,
    /// cargo-audit `--json`.
    CargoAuditJson,
    /// Bandit `-f json`.
    BanditJson,
    /// Semgrep `--json`.
    SemgrepJson,
    /// Checkov `-o json`.
    CheckovJson,
    /// gitleaks `--report-format json`.
    GitleaksJson,
    /// hadolint `-f json`.
    HadolintJson,
    /// ShellCheck `-f json1` (and the older `-f json`).
    ShellcheckJson,
}

impl From<Format> for &'static str {
    fn from(f: Format) -> &'static str {
        f.name()
    }
}

impl Format {
    /// Every format, in detection order.
    pub const ALL: &'static [Format] = &[
        Format::Cobertura,
        Format::Clover,
        Format::Jacoco,
        Format::Junit,
        Format::Nunit3,
        Format::Xunit2,
        Format::Trx,
        Format::Checkstyle,
        Format::Sarif,
        Format::TrivyJson,
        Format::GrypeJson,
        Format::NpmAuditJson,
        Format::PipAuditJson,
        Format::CargoAuditJson,
        Format::BanditJson,
        Format::CheckovJson,
        Format::SemgrepJson,
        Format::ShellcheckJson,
        Format::GitleaksJson,
        Format::HadolintJson,
        Format::CoveragePyJson,
        Format::IstanbulSummary,
        Format::IstanbulJson,
        Format::JestJson,
        Format::VitestJson,
        Format::PylintJson2,
        Format::EslintJson,
        Format::RuffJson,
        Format::PylintJson,
        Format::EmptyJsonArray,
        Format::MypyJson,
        Format::CargoJson,
        Format::Lcov,
        Format::GoCover,
    ];

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Format::Cobertura => "cobertura",
            Format::Lcov => "lcov",
            Format::Jacoco => "jacoco",
            Format::Clover => "clover",
            Format::CoveragePyJson => "coveragepy-json",
            Format::IstanbulJson => "istanbul-json",
            Format::IstanbulSummary => "istanbul-summary",
            Format::GoCover => "go-cover",
            Format::Junit => "junit",
            Format::Nunit3 => "nunit3",
            Format::Xunit2 => "xunit2",
            Format::Trx => "trx",
            Format::JestJson => "jest-json",
            Format::VitestJson => "vitest-json",
            Format::Sarif => "sarif",
            Format::EslintJson => "eslint-json",
            Format::RuffJson => "ruff-json",
            Format::Checkstyle => "checkstyle",
            Format::PylintJson => "pylint-json",
            Format::PylintJson2 => "pylint-json2",
            Format::MypyJson => "mypy-json",
            Format::CargoJson => "cargo-json",
            Format::EmptyJsonArray => "empty-json-array",
            Format::TrivyJson => "trivy-json",
            Format::GrypeJson => "grype-json",
            Format::NpmAuditJson => "npm-audit-json",
            Format::PipAuditJson => "pip-audit-json",
            Format::CargoAuditJson => "cargo-audit-json",
            Format::BanditJson => "bandit-json",
            Format::SemgrepJson => "semgrep-json",
            Format::CheckovJson => "checkov-json",
            Format::GitleaksJson => "gitleaks-json",
            Format::HadolintJson => "hadolint-json",
            Format::ShellcheckJson => "shellcheck-json",
        }
    }

    /// Parses a name given on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The tool a findings format comes from, as its findings name it (`None` for SARIF,
    /// whose driver names itself, and for the other kinds).
    pub fn tool(self) -> Option<&'static str> {
        use Format::*;
        Some(match self {
            EslintJson => "eslint",
            RuffJson => "ruff",
            MypyJson => "mypy",
            PylintJson | PylintJson2 => "pylint",
            Checkstyle => "checkstyle",
            CargoJson => "clippy",
            TrivyJson => "trivy",
            GrypeJson => "grype",
            NpmAuditJson => "npm-audit",
            PipAuditJson => "pip-audit",
            CargoAuditJson => "cargo-audit",
            BanditJson => "bandit",
            SemgrepJson => "semgrep",
            CheckovJson => "checkov",
            GitleaksJson => "gitleaks",
            HadolintJson => "hadolint",
            ShellcheckJson => "shellcheck",
            _ => return None,
        })
    }

    /// What the format reports.
    pub fn kind(self) -> Kind {
        use Format::*;
        match self {
            Cobertura | Lcov | Jacoco | Clover | CoveragePyJson | IstanbulJson
            | IstanbulSummary | GoCover => Kind::Coverage,
            Junit | Nunit3 | Xunit2 | Trx | JestJson | VitestJson => Kind::Tests,
            Sarif | EslintJson | RuffJson | Checkstyle | PylintJson | PylintJson2 | MypyJson
            | CargoJson | EmptyJsonArray | TrivyJson | GrypeJson | NpmAuditJson | PipAuditJson
            | CargoAuditJson | BanditJson | SemgrepJson | CheckovJson | GitleaksJson
            | HadolintJson | ShellcheckJson => Kind::Findings,
        }
    }

    /// Formats read as one JSON document (as opposed to streams of lines or XML events).
    fn is_whole_json(self) -> bool {
        use Format::*;
        matches!(
            self,
            CoveragePyJson
                | IstanbulJson
                | IstanbulSummary
                | JestJson
                | VitestJson
                | Sarif
                | EslintJson
                | RuffJson
                | PylintJson
                | PylintJson2
                | EmptyJsonArray
                | TrivyJson
                | GrypeJson
                | NpmAuditJson
                | PipAuditJson
                | CargoAuditJson
                | BanditJson
                | SemgrepJson
                | CheckovJson
                | GitleaksJson
                | HadolintJson
                | ShellcheckJson
        )
    }

    fn detect(self, head: &Head) -> bool {
        use Format::*;
        match self {
            Cobertura => cobertura::detect(head),
            Lcov => lcov::detect(head),
            Jacoco => jacoco::detect(head),
            Clover => clover::detect(head),
            CoveragePyJson => coveragepy::detect(head),
            IstanbulJson => istanbul::detect_final(head),
            IstanbulSummary => istanbul::detect_summary(head),
            GoCover => gocover::detect(head),
            Junit => junit::detect(head),
            Nunit3 => nunit::detect(head),
            Xunit2 => xunit::detect(head),
            Trx => trx::detect(head),
            JestJson => jest::detect_jest(head),
            VitestJson => jest::detect_vitest(head),
            Sarif => sarif::detect(head),
            EslintJson => eslint::detect(head),
            RuffJson => ruff::detect(head),
            Checkstyle => checkstyle::detect(head),
            PylintJson => pylint::detect_json(head),
            PylintJson2 => pylint::detect_json2(head),
            MypyJson => mypy::detect(head),
            CargoJson => cargo::detect(head),
            EmptyJsonArray => head.json_start() == Some(b'[') && head.json_is_empty_array(),
            TrivyJson => trivy::detect(head),
            GrypeJson => grype::detect(head),
            NpmAuditJson => npm_audit::detect(head),
            PipAuditJson => pip_audit::detect(head),
            CargoAuditJson => cargo_audit::detect(head),
            BanditJson => bandit::detect(head),
            SemgrepJson => semgrep::detect(head),
            CheckovJson => checkov::detect(head),
            GitleaksJson => gitleaks::detect(head),
            HadolintJson => hadolint::detect(head),
            ShellcheckJson => shellcheck::detect(head),
        }
    }

    fn parse(self, input: &mut dyn BufRead, ctx: &Ctx) -> Result<Report, ParseError> {
        use Format::*;
        Ok(match self {
            Cobertura => Report::Coverage(cobertura::parse(input, ctx)?),
            Lcov => Report::Coverage(lcov::parse(input, ctx)?),
            Jacoco => Report::Coverage(jacoco::parse(input, ctx)?),
            Clover => Report::Coverage(clover::parse(input, ctx)?),
            CoveragePyJson => Report::Coverage(coveragepy::parse(input, ctx)?),
            IstanbulJson => Report::Coverage(istanbul::parse_final(input, ctx)?),
            IstanbulSummary => Report::Coverage(istanbul::parse_summary(input, ctx)?),
            GoCover => Report::Coverage(gocover::parse(input, ctx)?),
            Junit => Report::Tests(junit::parse(input, ctx)?),
            Nunit3 => Report::Tests(nunit::parse(input, ctx)?),
            Xunit2 => Report::Tests(xunit::parse(input, ctx)?),
            Trx => Report::Tests(trx::parse(input, ctx)?),
            JestJson | VitestJson => Report::Tests(jest::parse(input, ctx)?),
            Sarif => Report::Findings(sarif::parse(input, ctx)?),
            EslintJson => Report::Findings(eslint::parse(input, ctx)?),
            RuffJson => Report::Findings(ruff::parse(input, ctx)?),
            Checkstyle => Report::Findings(checkstyle::parse(input, ctx)?),
            PylintJson | PylintJson2 => Report::Findings(pylint::parse(input, ctx)?),
            MypyJson => Report::Findings(mypy::parse(input, ctx)?),
            CargoJson => Report::Findings(cargo::parse(input, ctx)?),
            TrivyJson => Report::Findings(trivy::parse(input, ctx)?),
            GrypeJson => Report::Findings(grype::parse(input, ctx)?),
            NpmAuditJson => Report::Findings(npm_audit::parse(input, ctx)?),
            PipAuditJson => Report::Findings(pip_audit::parse(input, ctx)?),
            CargoAuditJson => Report::Findings(cargo_audit::parse(input, ctx)?),
            BanditJson => Report::Findings(bandit::parse(input, ctx)?),
            SemgrepJson => Report::Findings(semgrep::parse(input, ctx)?),
            CheckovJson => Report::Findings(checkov::parse(input, ctx)?),
            GitleaksJson => Report::Findings(gitleaks::parse(input, ctx)?),
            HadolintJson => Report::Findings(hadolint::parse(input, ctx)?),
            ShellcheckJson => Report::Findings(shellcheck::parse(input, ctx)?),
            EmptyJsonArray => {
                let mut rest = Vec::new();
                input
                    .read_to_end(&mut rest)
                    .map_err(|e| ParseError::at_byte(0, format!("cannot read: {e}")))?;
                Report::Findings(Findings::default())
            }
        })
    }
}

/// What a parser gets besides the bytes.
pub struct Ctx<'a> {
    /// Maps report paths to repository paths.
    pub paths: &'a PathResolver,
}

/// One parsed report.
#[derive(Debug)]
pub enum Report {
    /// Coverage.
    Coverage(Coverage),
    /// Test results.
    Tests(TestRun),
    /// Findings.
    Findings(Findings),
}

/// The first bytes of a file (up to [`HEAD_BYTES`], byte-order mark removed), for detection.
pub struct Head<'a> {
    bytes: &'a [u8],
}

/// How much of a file detection looks at.
pub const HEAD_BYTES: usize = 64 << 10;

impl<'a> Head<'a> {
    /// Wraps the first bytes of a file.
    pub fn new(bytes: &'a [u8]) -> Self {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Head { bytes }
    }

    /// The bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether `needle` occurs in the head.
    pub fn contains(&self, needle: &str) -> bool {
        memchr::memmem::find(self.bytes, needle.as_bytes()).is_some()
    }

    /// The first byte that is not whitespace.
    pub fn first_non_ws(&self) -> Option<u8> {
        self.bytes
            .iter()
            .copied()
            .find(|b| !b.is_ascii_whitespace())
    }

    /// `{` or `[` when the file looks like JSON.
    pub fn json_start(&self) -> Option<u8> {
        self.first_non_ws().filter(|b| *b == b'{' || *b == b'[')
    }

    /// `[` followed only by whitespace and `]`.
    pub fn json_is_empty_array(&self) -> bool {
        let t: Vec<u8> = self
            .bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .take(3)
            .collect();
        t == b"[]"
    }

    /// Whether the first non-empty line starts with one of `prefixes`.
    pub fn first_line_starts_with(&self, prefixes: &[&str]) -> bool {
        let line = self
            .bytes
            .split(|b| *b == b'\n')
            .map(|l| l.trim_ascii())
            .find(|l| !l.is_empty());
        line.is_some_and(|l| prefixes.iter().any(|p| l.starts_with(p.as_bytes())))
    }

    /// The root element's start tag (`<name attrs...>`), skipping the XML declaration,
    /// comments, processing instructions and a DOCTYPE (with its internal subset).
    pub fn xml_root_tag(&self) -> Option<&'a [u8]> {
        let b = self.bytes;
        let mut i = 0;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'<' {
                return None;
            }
            let rest = &b[i..];
            if rest.starts_with(b"<?") {
                i += memchr::memmem::find(rest, b"?>")? + 2;
            } else if rest.starts_with(b"<!--") {
                i += memchr::memmem::find(rest, b"-->")? + 3;
            } else if rest.starts_with(b"<!") {
                // DOCTYPE, possibly with an internal subset in brackets.
                let mut depth = 0i32;
                let mut j = 2;
                loop {
                    match rest.get(j)? {
                        b'[' => depth += 1,
                        b']' => depth -= 1,
                        b'>' if depth <= 0 => break,
                        _ => {}
                    }
                    j += 1;
                }
                i += j + 1;
            } else {
                let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
                return Some(&rest[..end]);
            }
        }
    }

    /// Local name of the root element (namespace prefix removed).
    pub fn xml_root(&self) -> Option<&'a [u8]> {
        let tag = self.xml_root_tag()?;
        let tag = &tag[1..];
        let end = tag
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
            .unwrap_or(tag.len());
        let name = &tag[..end];
        Some(match memchr::memchr(b':', name) {
            Some(p) => &name[p + 1..],
            None => name,
        })
    }

    /// Whether the root start tag carries an attribute called `name`.
    pub fn xml_root_has_attr(&self, name: &str) -> bool {
        self.xml_root_tag().is_some_and(|t| {
            let needle = format!("{name}=");
            memchr::memmem::find_iter(t, needle.as_bytes())
                .any(|p| p > 0 && t[p - 1].is_ascii_whitespace())
        })
    }
}

/// A file read: where from, what format, and its model.
#[derive(Debug)]
pub struct Ingested {
    /// The path as given.
    pub path: String,
    /// The detected (or forced) format.
    pub format: Format,
    /// The parsed model.
    pub report: Report,
}

/// Expands the given paths and glob patterns into files, in order, without duplicates.
/// A pattern that matches nothing is an error; so is a path that does not exist.
pub fn expand(patterns: &[String]) -> Result<Vec<PathBuf>, IngestError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for pat in patterns {
        let is_glob = pat.contains(['*', '?', '[']);
        if !is_glob {
            let p = PathBuf::from(pat);
            if !out.contains(&p) {
                out.push(p);
            }
            continue;
        }
        let paths = glob::glob(pat).map_err(|e| IngestError::Pattern {
            pattern: pat.clone(),
            message: format!("invalid glob at character {}: {}", e.pos + 1, e.msg),
        })?;
        let mut n = 0;
        for p in paths {
            let p = p.map_err(|e| IngestError::Io {
                path: e.path().display().to_string(),
                source: std::io::Error::new(e.error().kind(), e.error().to_string()),
            })?;
            if p.is_file() {
                n += 1;
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        if n == 0 {
            return Err(IngestError::Pattern {
                pattern: pat.clone(),
                message: "matched no file".into(),
            });
        }
    }
    Ok(out)
}

/// Reads one report file: detects its format (unless `forced`) and parses it.
pub fn read_path(
    path: &Path,
    forced: Option<Format>,
    paths: &PathResolver,
) -> Result<Ingested, IngestError> {
    let shown = path.display().to_string();
    let io_err = |source| IngestError::Io {
        path: shown.clone(),
        source,
    };
    let (meta_file, mut file) = decode::open(path).map_err(io_err)?;
    let meta = meta_file.metadata().map_err(io_err)?;
    if meta.is_dir() {
        return Err(io_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory; expected a report file",
        )));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    let blank = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head)
        .iter()
        .all(u8::is_ascii_whitespace);
    if blank {
        // An empty report is only meaningful when the caller says what it is (a clean mypy
        // run writes nothing); otherwise there is nothing to detect.
        match forced {
            Some(f) if f.kind() == Kind::Findings && !f.is_whole_json() => {
                return Ok(Ingested {
                    path: shown,
                    format: f,
                    report: Report::Findings(Findings::default()),
                });
            }
            _ => return Err(IngestError::Empty { path: shown }),
        }
    }
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let format = match forced {
        Some(f) => f,
        None => {
            let h = Head::new(&head);
            Format::ALL
                .iter()
                .copied()
                .find(|f| f.detect(&h))
                .ok_or_else(|| IngestError::UnknownFormat {
                    path: shown.clone(),
                    start: quote_start(h.bytes()),
                    expected: "a coverage report (Cobertura, LCOV, JaCoCo, Clover, coverage.py JSON, Istanbul JSON, Go coverprofile), test results (JUnit, NUnit 3, xUnit v2, TRX, Jest/Vitest JSON) or findings (SARIF, ESLint, Ruff, Checkstyle, Pylint, mypy, cargo JSON; Trivy, Grype, npm audit, pip-audit, cargo-audit, Bandit, Semgrep, Checkov, gitleaks, hadolint, ShellCheck JSON)".into(),
                })?
        }
    };
    if format.is_whole_json() && meta.len() > json::MAX_JSON_BYTES {
        return Err(IngestError::Parse {
            path: shown,
            at: At::File,
            message: format!(
                "{}: the file is {} MiB; JSON reports are read whole and shipgate reads at most {} MiB of one",
                format.name(),
                meta.len() >> 20,
                json::MAX_JSON_BYTES >> 20
            ),
        });
    }
    let mut head = std::io::Cursor::new(head);
    head.set_position(bom);
    let mut reader = BufReader::with_capacity(256 << 10, head.chain(file));
    let ctx = Ctx { paths };
    match format.parse(&mut reader, &ctx) {
        Ok(report) => Ok(Ingested {
            path: shown,
            format,
            report,
        }),
        Err(e) => {
            let at = match e.at {
                At::Byte(b) => locate(path, b + bom).unwrap_or(At::Byte(b)),
                other => other,
            };
            Err(IngestError::Parse {
                path: shown,
                at,
                message: format!(
                    "{} ({}): {}",
                    format.name(),
                    kind_word(format.kind()),
                    e.message
                ),
            })
        }
    }
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Coverage => "coverage",
        Kind::Tests => "test results",
        Kind::Findings => "findings",
    }
}

fn quote_start(b: &[u8]) -> String {
    let line = b
        .split(|c| *c == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or(b);
    let s = String::from_utf8_lossy(&line[..line.len().min(40)]);
    format!("{:?}", s.trim())
}

/// Line and column (1-based, column in bytes) of a byte offset, found by reading the file again.
fn locate(path: &Path, offset: u64) -> Option<At> {
    // Through the same decoding as the parse, so offsets in a UTF-16 file land right.
    let (_, text) = decode::open(path).ok()?;
    let mut r = BufReader::with_capacity(256 << 10, text.take(offset));
    let (mut line, mut last_nl) = (1u64, None::<u64>);
    let mut pos = 0u64;
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        for i in memchr::memchr_iter(b'\n', buf) {
            line += 1;
            last_nl = Some(pos + i as u64);
        }
        let n = buf.len();
        pos += n as u64;
        r.consume(n);
    }
    let col = match last_nl {
        Some(nl) => offset - nl,
        None => offset + 1,
    };
    Some(At::LineCol(line, col))
}

/// Per-input totals, for `inspect` and logs.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Totals {
    /// Coverage totals.
    Coverage(CoverageTotals),
    /// Test counts.
    Tests(TestCounts),
    /// Finding counts.
    Findings(FindingCounts),
}

impl Report {
    /// This report's totals.
    pub fn totals(&self) -> Totals {
        match self {
            Report::Coverage(c) => Totals::Coverage(c.totals()),
            Report::Tests(t) => Totals::Tests(t.counts()),
            Report::Findings(f) => Totals::Findings(f.counts()),
        }
    }
}

/// One input file as read.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// Path as given.
    pub path: String,
    /// Format detected.
    pub format: Format,
    /// Its totals.
    pub totals: Totals,
}

/// Everything read from a set of inputs, merged.
#[derive(Debug, Default)]
pub struct Bundle {
    /// All coverage, merged across files.
    pub coverage: Coverage,
    /// All test results.
    pub tests: TestRun,
    /// All findings.
    pub findings: Findings,
    /// Each input with its own totals.
    pub inputs: Vec<InputSummary>,
}

impl Bundle {
    /// Adds one parsed report.
    pub fn add(&mut self, ing: Ingested) {
        self.inputs.push(InputSummary {
            path: ing.path,
            format: ing.format,
            totals: ing.report.totals(),
        });
        match ing.report {
            Report::Coverage(c) => self.coverage.merge(c),
            Report::Tests(t) => self.tests.merge(t),
            Report::Findings(f) => self.findings.merge(f),
        }
    }

    /// Repository paths the reports name that do not exist under the root.
    pub fn missing_files(&self, paths: &PathResolver) -> Vec<String> {
        let names = self
            .coverage
            .files
            .keys()
            .map(String::as_str)
            .chain(
                self.tests
                    .suites
                    .iter()
                    .flat_map(|s| {
                        s.file
                            .iter()
                            .chain(s.cases.iter().filter_map(|c| c.file.as_ref()))
                    })
                    .map(String::as_str),
            )
            .chain(
                self.findings
                    .items
                    .iter()
                    .filter_map(|f| f.location.as_ref())
                    .map(|l| l.path.as_str())
                    .filter(|p| !p.is_empty()),
            );
        paths::missing(paths, names)
    }
}

/// Reads every input (paths or globs) into one bundle; stops at the first bad file.
pub fn read_all(
    patterns: &[String],
    forced: Option<Format>,
    paths: &PathResolver,
) -> Result<Bundle, IngestError> {
    let mut bundle = Bundle::default();
    for p in expand(patterns)? {
        bundle.add(read_path(&p, forced, paths)?);
    }
    Ok(bundle)
}
