//! Helpers shared by the integration tests.

#![allow(dead_code)]

use shipgate::ingest::{self, Format, Ingested, PathResolver, Report};
use shipgate::model::{Coverage, Findings, TestRun};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or `None` with a printed notice (the caller skips).
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = repo().join("..").join("shared").join(sub);
    if p.exists() {
        Some(p)
    } else {
        println!(
            "notice: skipped: {} is absent (tests that read ../shared need it beside the repo)",
            p.display()
        );
        None
    }
}

/// A file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(rel)
}

/// Reads one report through the library, paths resolved against `root` (default: its folder).
pub fn read(path: &Path) -> Ingested {
    read_in(path, path.parent().unwrap_or(Path::new(".")))
}

/// Reads one report, paths resolved against `root`.
pub fn read_in(path: &Path, root: &Path) -> Ingested {
    let resolver = PathResolver::new(root);
    match ingest::read_path(path, None, &resolver) {
        Ok(i) => i,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Reads and checks the detected format.
pub fn read_as(path: &Path, format: Format) -> Report {
    let ing = read(path);
    assert_eq!(
        ing.format,
        format,
        "{}: detected {:?}",
        path.display(),
        ing.format
    );
    ing.report
}

/// The coverage of a report (panics if it is another kind).
pub fn coverage(path: &Path) -> Coverage {
    match read(path).report {
        Report::Coverage(c) => c,
        other => panic!("{}: expected coverage, got {other:?}", path.display()),
    }
}

/// The test results of a report.
pub fn tests(path: &Path) -> TestRun {
    match read(path).report {
        Report::Tests(t) => t,
        other => panic!("{}: expected test results, got {other:?}", path.display()),
    }
}

/// The findings of a report.
pub fn findings(path: &Path) -> Findings {
    match read(path).report {
        Report::Findings(f) => f,
        other => panic!("{}: expected findings, got {other:?}", path.display()),
    }
}

/// Runs the real binary.
pub fn shipgate(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shipgate"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_WORKSPACE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run shipgate")
}

/// Reads a JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Two percentages equal to 0.01.
pub fn assert_pct(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: no percentage"));
    assert!(
        (a - expected).abs() < 0.005 + 1e-9,
        "{what}: {a:.4} != {expected:.2}"
    );
}

/// Runs git in `dir` with a fixed identity and no system config; its trimmed stdout. Fails the
/// test when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
