//! Changed lines, patch coverage, baselines and regressions: the diff parser against the
//! peers' goldens, and real git repositories built in the test.

use crate::support::{git, shared};
use serde_json::{Value, json};
use shipgate::diff::parse::{self, EofNewline, LineKind};
use shipgate::diff::{ChangedLines, parse::Status};

/// The parse as reviewdog's `diff.FileDiff` JSON (see the fixture's README).
fn as_reviewdog(files: &[parse::FileDiff]) -> Value {
    if files.is_empty() {
        return Value::Null;
    }
    Value::Array(
        files
            .iter()
            .map(|f| {
                let hunks: Vec<Value> = f
                    .hunks
                    .iter()
                    .map(|h| {
                        json!({
                            "StartLineOld": h.start_old, "LineLengthOld": h.len_old,
                            "StartLineNew": h.start_new, "LineLengthNew": h.len_new,
                            "Section": h.section,
                            "Lines": h.lines.iter().map(|l| json!({
                                "Type": match l.kind { LineKind::Context => 0, LineKind::Added => 1, LineKind::Deleted => 2 },
                                "Content": l.content, "LnumDiff": l.lnum_diff,
                                "LnumOld": l.lnum_old, "LnumNew": l.lnum_new,
                            })).collect::<Vec<_>>(),
                            "EofNewline": match h.eof_newline { EofNewline::Unchanged => 0, EofNewline::Added => 1, EofNewline::Removed => 2 },
                        })
                    })
                    .collect();
                json!({
                    "PathOld": f.path_old, "PathNew": f.path_new,
                    "TimeOld": f.time_old, "TimeNew": f.time_new,
                    "Hunks": if hunks.is_empty() { Value::Null } else { Value::Array(hunks) },
                    "Extended": if f.extended.is_empty() { Value::Null } else { json!(f.extended) },
                })
            })
            .collect(),
    )
}

#[test]
fn parser_matches_reviewdog_goldens() {
    let Some(dir) = shared("fixtures/reviewdog-diff/testdata") else {
        return;
    };
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".diff") {
            continue;
        }
        let text = std::fs::read(&p).unwrap();
        let files = parse::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut want: Value =
            serde_json::from_slice(&std::fs::read(dir.join(format!("{name}.json"))).unwrap())
                .unwrap();
        // Go's parser leaves an empty (not nil) hunk list on a headers-only file followed by
        // another file; both mean "no hunks".
        if let Value::Array(fs) = &mut want {
            for f in fs {
                if f["Hunks"] == json!([]) {
                    f["Hunks"] = Value::Null;
                }
            }
        }
        assert_eq!(as_reviewdog(&files), want, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 15, "the fixture has 15 diffs");
}

#[test]
fn paths_and_statuses_of_reviewdog_diffs() {
    let Some(dir) = shared("fixtures/reviewdog-diff/testdata") else {
        return;
    };
    let read = |n: &str| ChangedLines::parse(&std::fs::read(dir.join(n)).unwrap()).unwrap();
    // A new empty file with a space in its name: headers only.
    let c = read("empty_space.diff");
    assert_eq!(c.files["empty space.txt"].status, Status::Added);
    assert!(c.files["empty space.txt"].added.is_empty());
    let c = read("empty_deleted.diff");
    assert_eq!(c.files["empty.txt"].status, Status::Deleted);
    // Quoted, octal-escaped UTF-8 paths.
    let c = read("日本語.diff");
    let f = &c.files["日本語.new.txt"];
    assert_eq!(f.status, Status::Renamed("日本語.old.txt".into()));
    assert_eq!(f.added, vec![2, 3]);
    // Plain `diff -u`: paths as written.
    let c = read("sample.diff");
    assert_eq!(c.files["sample.new.txt"].added, vec![2, 3]);
}

/// diff-cover's console golden as (per-file "path (pct%): Missing lines ..." lines, total
/// coverable lines, missing lines).
fn diff_cover_console(text: &str) -> (Vec<String>, u64, u64) {
    let mut files = Vec::new();
    let (mut total, mut missing) = (0, 0);
    for l in text.lines().map(str::trim) {
        if let Some(n) = l.strip_prefix("Total:") {
            total = n.trim().split(' ').next().unwrap().parse().unwrap();
        } else if let Some(n) = l.strip_prefix("Missing:") {
            missing = n.trim().split(' ').next().unwrap().parse().unwrap();
        } else if l.contains("%)") && !l.starts_with("Coverage") {
            files.push(l.to_string());
        }
    }
    (files, total, missing)
}

/// The same lines from shipgate's patch coverage, in diff-cover's words.
fn console_of(p: &shipgate::gate::patch::PatchCoverage) -> (Vec<String>, u64, u64) {
    let files = p
        .files
        .iter()
        .filter(|f| f.coverable > 0)
        .map(|f| {
            let pct = f.percent.unwrap();
            // diff-cover: one decimal, but whole 100 shown as `100`.
            let pct = if f.covered == f.coverable {
                "100".to_string()
            } else {
                format!("{:.1}", (pct * 10.0).floor() / 10.0)
            };
            let mut s = format!("{} ({pct}%)", f.path);
            if !f.uncovered.is_empty() {
                let r: Vec<String> = f
                    .uncovered
                    .iter()
                    .map(|[a, b]| {
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}-{b}")
                        }
                    })
                    .collect();
                s.push_str(&format!(": Missing lines {}", r.join(",")));
            }
            s
        })
        .collect();
    (files, p.coverable, p.missing())
}

/// Patch coverage of a diff file and coverage reports (paths resolved against `root`).
fn patch_of(
    diff: &std::path::Path,
    reports: &[std::path::PathBuf],
    root: &std::path::Path,
    sub: &str,
) -> shipgate::gate::patch::PatchCoverage {
    let changes = ChangedLines::parse(&std::fs::read(diff).unwrap())
        .unwrap()
        .relative_to(sub);
    let mut cov = shipgate::model::Coverage::default();
    for r in reports {
        match crate::support::read_in(r, root).report {
            shipgate::ingest::Report::Coverage(c) => cov.merge(c),
            other => panic!("{}: not coverage: {other:?}", r.display()),
        }
    }
    shipgate::gate::patch::patch_coverage(&cov, &changes)
}

#[test]
fn patch_coverage_matches_diff_cover_goldens() {
    let Some(dir) = shared("fixtures/diff-cover") else {
        return;
    };
    let cases: Value =
        serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    let fx = dir.join("fixtures");
    let mut checked = Vec::new();
    for c in cases["cases"].as_array().unwrap() {
        let diff = c["git_diff_stdout"].as_str().unwrap_or("");
        let argv: Vec<&str> = c["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let golden = match (&c["expected"]["console"], &c["expected"]["console_inline"]) {
            (Value::String(f), _) => std::fs::read_to_string(dir.join(f)).unwrap(),
            (_, Value::String(s)) => s.clone(),
            _ => continue,
        };
        // Flags that change what is counted (--expand-coverage-report fills unlisted lines in)
        // or that silence the console.
        if c["tool"] != "diff-cover"
            || diff.is_empty()
            || argv
                .iter()
                .any(|a| *a == "--expand-coverage-report" || *a == "-q")
        {
            continue;
        }
        let reports: Vec<std::path::PathBuf> = argv
            .iter()
            .filter(|a| !a.starts_with('-') && !a.contains(':'))
            .map(|a| fx.join(a))
            .collect();
        // Run from `sub/` (the peer maps paths to the working directory), and a .NET report
        // whose repository root is /code/samplediff/: the root shipgate resolves against.
        let root = if diff.ends_with("git_diff_dotnet.txt") {
            std::path::PathBuf::from("/code/samplediff")
        } else {
            fx.clone()
        };
        // From `sub/`, paths are relative to it, as `git diff --relative` gives them.
        let sub = if diff.ends_with("git_diff_subdir.txt") {
            "sub"
        } else {
            ""
        };
        let p = patch_of(&dir.join(diff), &reports, &root, sub);
        let (mut files, total, missing) = console_of(&p);
        if !sub.is_empty() {
            files = files.into_iter().map(|f| format!("{sub}/{f}")).collect();
        }
        assert_eq!(
            (files, total, missing),
            diff_cover_console(&golden),
            "{diff} {argv:?}"
        );
        checked.push(format!("{diff} {argv:?}"));
    }
    assert_eq!(checked.len(), 20, "{checked:#?}");
}

// ---------------------------------------------------------------------------------------
// Real git repositories built in the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// diff-cover and coverage.py from `scripts/setup-test-tools.sh diff-cover` (installed once
/// per test run), or `None` with a printed notice.
fn tools() -> Option<PathBuf> {
    static TOOLS: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    TOOLS
        .get_or_init(|| {
            let script = crate::support::repo().join("scripts/setup-test-tools.sh");
            let out = Command::new("bash").arg(&script).arg("diff-cover").output();
            match out {
                Ok(o) if o.status.success() => {
                    let bin = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
                    bin.join("diff-cover").exists().then_some(bin)
                }
                Ok(o) => {
                    println!(
                        "notice: skipped: diff-cover could not be installed: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    );
                    None
                }
                Err(e) => {
                    println!("notice: skipped: cannot run {}: {e}", script.display());
                    None
                }
            }
        })
        .clone()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn commit(dir: &Path, msg: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", msg]);
    git(dir, &["rev-parse", "HEAD"])
}

fn init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        ".gitignore",
        ".coverage\ncoverage.xml\n*.json\n__pycache__/\n",
    );
}

/// Runs the gate in `dir` (a clean environment but PATH, plus `env`) with `--format json`;
/// the report when it printed one.
fn gate_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Output, Option<Value>) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    c.arg("gate")
        .args(args)
        .args(["--format", "json", "--root"])
        .arg(dir)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("run shipgate");
    let report = serde_json::from_slice(&o.stdout).ok();
    (o, report)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `run_tests.py` under coverage.py and writes `coverage.xml` (Cobertura).
fn coverage_py(bin: &Path, dir: &Path) {
    for args in [
        &["run", "run_tests.py"][..],
        &["xml", "-q", "-o", "coverage.xml"][..],
    ] {
        let o = Command::new(bin.join("coverage"))
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "coverage {args:?}: {}", stderr(&o));
    }
}

/// coverage.py's own line rate of `coverage.xml`, percent.
fn line_rate(dir: &Path) -> f64 {
    let xml = std::fs::read_to_string(dir.join("coverage.xml")).unwrap();
    let i = xml.find("line-rate=\"").unwrap() + 11;
    let v: f64 = xml[i..xml[i..].find('"').unwrap() + i].parse().unwrap();
    v * 100.0
}

/// Per file (covered, missing lines), and the totals (coverable, missing).
type PatchView = (BTreeMap<String, (u64, Vec<u32>)>, u64, u64);

/// diff-cover's JSON report of HEAD against `base`: per file (covered, missing lines), and
/// the totals (coverable, missing).
fn diff_cover(bin: &Path, dir: &Path, base: &str) -> PatchView {
    let o = Command::new(bin.join("diff-cover"))
        .args([
            "coverage.xml",
            "--compare-branch",
            base,
            "--format",
            "json:dc.json",
            "-q",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "diff-cover: {}", stderr(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(dir.join("dc.json")).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for (f, s) in v["src_stats"].as_object().unwrap() {
        let nums = |k: &str| -> Vec<u32> {
            s[k].as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect()
        };
        let missing = nums("violation_lines");
        let covered = nums("covered_lines").len() as u64;
        if covered > 0 || !missing.is_empty() {
            files.insert(f.clone(), (covered, missing));
        }
    }
    (
        files,
        v["total_num_lines"].as_u64().unwrap(),
        v["total_num_violations"].as_u64().unwrap(),
    )
}

/// The same from shipgate's report.
fn patch_of_report(r: &Value) -> PatchView {
    let p = &r["verdict"]["patch"];
    let mut files = BTreeMap::new();
    for f in p["files"].as_array().unwrap() {
        if f["coverable"].as_u64().unwrap() == 0 {
            continue;
        }
        let mut missing = Vec::new();
        for rg in f["uncovered"].as_array().unwrap() {
            let (a, z) = (
                rg[0].as_u64().unwrap() as u32,
                rg[1].as_u64().unwrap() as u32,
            );
            missing.extend(a..=z);
        }
        files.insert(
            f["path"].as_str().unwrap().to_string(),
            (f["covered"].as_u64().unwrap(), missing),
        );
    }
    let coverable = p["coverable"].as_u64().unwrap();
    (files, coverable, coverable - p["covered"].as_u64().unwrap())
}

use std::collections::BTreeMap;

const CALC: &str = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef div(a, b):\n    return a / b\n";
const TESTS: &str = "import calc\n\nassert calc.add(1, 2) == 3\nassert calc.sub(3, 1) == 2\n";

fn patch_config(dir: &Path) -> String {
    let p = dir.join("gates.json");
    std::fs::write(
        &p,
        r#"{"environments": {"development": {"patch_coverage_threshold": 80, "patch_min_lines": 5}}}"#,
    )
    .unwrap();
    p.display().to_string()
}

#[test]
fn pull_requests_raising_and_lowering_coverage() {
    let Some(bin) = tools() else { return };
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    write(dir, "calc.py", CALC);
    write(dir, "run_tests.py", TESTS);
    let base = commit(dir, "base");
    let cfg = patch_config(dir);
    let gate_args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "--config",
            &cfg,
            "--environment",
            "development",
            "--coverage",
            "coverage.xml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    // The base run: its report is the baseline.
    coverage_py(&bin, dir);
    let base_rate = line_rate(dir);
    let a = gate_args(&["--report", "base.json"]);
    let (o, _) = gate_in(dir, &a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Raising: tests for div and a new, tested mul.
    git(dir, &["checkout", "-q", "-b", "raise", &base]);
    write(
        dir,
        "calc.py",
        &format!("{CALC}\n\ndef mul(a, b):\n    c = a * b\n    return c\n"),
    );
    write(
        dir,
        "run_tests.py",
        &format!("{TESTS}assert calc.div(6, 3) == 2\nassert calc.mul(2, 3) == 6\n"),
    );
    commit(dir, "raise");
    coverage_py(&bin, dir);
    let raised = line_rate(dir);
    assert!(raised > base_rate, "{raised} > {base_rate}");
    let a = gate_args(&["--base", &base, "--baseline", "base.json"]);
    let (o, r) = gate_in(dir, &a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    assert_eq!(patch_of_report(&r), diff_cover(&bin, dir, &base), "raise");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cmp = &r["verdict"]["comparison"];
    let cov = cmp["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "line_coverage")
        .unwrap();
    crate::support::assert_pct(cov["before"].as_f64(), base_rate, "base coverage");
    crate::support::assert_pct(cov["after"].as_f64(), raised, "raised coverage");

    // Lowering: a new function no test runs.
    git(dir, &["checkout", "-q", "-b", "lower", &base]);
    write(
        dir,
        "calc.py",
        &format!(
            "{CALC}\n\ndef power(a, n):\n    r = 1\n    for _ in range(n):\n        r = r * a\n    return r\n"
        ),
    );
    commit(dir, "lower");
    coverage_py(&bin, dir);
    let lowered = line_rate(dir);
    assert!(lowered < base_rate - 3.0, "{lowered} < {base_rate} - 3");
    let (o, r) = gate_in(dir, &a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let (files, coverable, missing) = diff_cover(&bin, dir, &base);
    assert_eq!(patch_of_report(&r), (files, coverable, missing), "lower");
    // 1 of 5 coverable added lines covered: below 80% with at least 5 lines, and coverage
    // fell by more than 3 points: both fail.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let failed: Vec<&str> = r["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["status"] == "failed")
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    // (The total score, here the testing score alone, drops with coverage too.)
    for id in ["patch_coverage_threshold", "regressions.coverage_drop"] {
        assert!(failed.contains(&id), "{failed:?}");
    }
    assert!((coverable, missing) == (5, 4), "{coverable} {missing}");
}

#[test]
fn renamed_file_counts_only_its_changed_lines() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    write(dir, "old name.py", CALC);
    write(
        dir,
        "run_tests.py",
        &TESTS.replace(
            "import calc",
            "import importlib\ncalc = importlib.import_module('old name'.replace(' ', '_'))",
        ),
    );
    let base = commit(dir, "base");
    git(dir, &["checkout", "-q", "-b", "move"]);
    git(dir, &["mv", "old name.py", "calc_ü.py"]);
    // Two lines changed, one added; the rest moves unchanged.
    let moved = CALC
        .replace("return a + b", "return b + a")
        .replace("return a / b", "return a // b");
    write(dir, "calc_ü.py", &format!("{moved}# end\n"));
    write(
        dir,
        "run_tests.py",
        "import importlib\ncalc = importlib.import_module('calc_ü')\n\nassert calc.add(1, 2) == 3\nassert calc.sub(3, 1) == 2\n",
    );
    commit(dir, "move");
    let c = shipgate::diff::git::changes(dir, &base, &Default::default()).unwrap();
    let f = &c.lines.files["calc_ü.py"];
    assert_eq!(f.status, Status::Renamed("old name.py".into()));
    assert_eq!(f.added, vec![2, 10, 11]);
    assert!(!c.lines.files.contains_key("old name.py"));
    assert_eq!(c.merge_base, base);

    let Some(bin) = tools() else { return };
    coverage_py(&bin, dir);
    let (o, r) = gate_in(dir, &["--coverage", "coverage.xml", "--base", &base], &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    assert_eq!(patch_of_report(&r), diff_cover(&bin, dir, &base), "renamed");
}

/// `n` one-line commits adding `name:i` lines to `file`.
/// `git clone --depth 1 --branch BRANCH URL DEST`, as actions/checkout does by default.
fn shallow_clone(url: &str, branch: &str, dest: &Path) {
    let o = Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--branch", branch, url])
        .arg(dest)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

fn grow(dir: &Path, file: &str, from: usize, n: usize) -> String {
    let mut sha = String::new();
    for i in from..from + n {
        let p = dir.join(file);
        let mut text = std::fs::read_to_string(&p).unwrap_or_default();
        text.push_str(&format!("{file} line {i}\n"));
        std::fs::write(&p, text).unwrap();
        sha = commit(dir, &format!("{file} {i}"));
    }
    sha
}

/// An LCOV report of `file` where lines 1..=n are coverable and the odd ones ran.
fn lcov(dir: &Path, file: &str, n: u32) -> String {
    let mut s = format!("TN:\nSF:{file}\n");
    for l in 1..=n {
        s.push_str(&format!("DA:{l},{}\n", l % 2));
    }
    s.push_str(&format!("LF:{n}\nLH:{}\nend_of_record\n", n.div_ceil(2)));
    let p = dir.join("lcov.info");
    std::fs::write(&p, s).unwrap();
    p.display().to_string()
}

#[test]
fn shallow_clone_is_deepened_to_the_merge_base() {
    let t = tempfile::tempdir().unwrap();
    let up = t.path().join("up");
    std::fs::create_dir(&up).unwrap();
    init(&up);
    grow(&up, "main.txt", 1, 8);
    git(&up, &["checkout", "-q", "-b", "feature"]);
    grow(&up, "feature.txt", 1, 12);
    git(&up, &["checkout", "-q", "main"]);
    let base = grow(&up, "main.txt", 9, 4);
    let url = format!("file://{}", up.display());
    let clone = t.path().join("clone");
    shallow_clone(&url, "feature", &clone);
    assert_eq!(
        git(&clone, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );
    let cov = lcov(t.path(), "feature.txt", 12);

    let (o, r) = gate_in(&clone, &["--coverage", &cov, "--base", &base], &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let err = stderr(&o);
    assert!(err.contains("fetched the base commit"), "{err}");
    assert!(err.contains("shallow clone: fetched more history"), "{err}");
    // The merge base is the 8th main commit, 12 below HEAD.
    assert!(
        err.contains("`fetch-depth: 13` would have reached it"),
        "{err}"
    );
    let files = r["verdict"]["patch"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["path"], "feature.txt");
    assert_eq!(files[0]["added"], 12);
    assert_eq!(
        (files[0]["covered"].as_u64(), files[0]["coverable"].as_u64()),
        (Some(6), Some(12))
    );

    // No way to fetch: the error says which fetch-depth is needed.
    let clone2 = t.path().join("clone2");
    shallow_clone(&url, "feature", &clone2);
    git(
        &clone2,
        &["remote", "set-url", "origin", "file:///nonexistent/repo"],
    );
    let (o, _) = gate_in(&clone2, &["--coverage", &cov, "--base", &base], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("fetch-depth: 0"), "{err}");
    assert_eq!(
        err.trim()
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn force_pushed_branch_whose_base_moved() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    let old_base = grow(dir, "main.txt", 1, 3);
    git(dir, &["checkout", "-q", "-b", "feature"]);
    grow(dir, "feature.txt", 1, 4);
    git(dir, &["checkout", "-q", "main"]);
    let new_base = grow(dir, "main.txt", 4, 5);
    // The branch is rebased on the moved base and force-pushed: new commits, new merge base.
    git(dir, &["checkout", "-q", "feature"]);
    git(dir, &["rebase", "-q", "main"]);
    let cov = lcov(dir, "feature.txt", 4);
    // The event payload names the base branch's current tip.
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        json!({"pull_request": {"number": 7, "commits": 4, "base": {"sha": new_base, "ref": "main"}}}).to_string(),
    )
    .unwrap();
    let env = [
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ("GITHUB_REF", "refs/pull/7/merge"),
    ];
    let (o, r) = gate_in(dir, &["--coverage", &cov], &env);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let files: Vec<&str> = r["verdict"]["patch"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["feature.txt"], "{}", stderr(&o));
    // The stale base (where the branch once started) is not an ancestor of the rebased
    // branch's merge base with it: comparing with it would count main's own 5 commits.
    let c = shipgate::diff::git::changes(dir, &old_base, &Default::default()).unwrap();
    assert_eq!(c.lines.files["main.txt"].added, vec![4, 5, 6, 7, 8]);
}

#[test]
fn first_run_without_a_baseline_is_skipped_with_a_notice() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    let base = grow(dir, "a.txt", 1, 2);
    grow(dir, "a.txt", 3, 2);
    let cov = lcov(dir, "a.txt", 4);
    let cfg = patch_config(dir);
    let (o, r) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--coverage",
            &cov,
            "--base",
            &base,
            "--baseline",
            "missing/report.json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("notice: baseline missing/report.json does not exist"),
        "{}",
        stderr(&o)
    );
    let r = r.unwrap();
    assert!(r["verdict"].get("comparison").is_none());
    assert!(
        r["verdict"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("no baseline")),
        "{}",
        r["verdict"]["notes"]
    );
    // Lines 3 and 4 were added; line 3 ran.
    assert_eq!(r["verdict"]["patch"]["covered"], 1);
    assert_eq!(r["verdict"]["patch"]["coverable"], 2);
}

#[test]
fn baseline_digest_round_trip_through_a_check_run() {
    use shipgate_testserver::{Options, RepoSpec, TokenSpec, start};
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    let base = grow(dir, "a.txt", 1, 4);
    let cov = lcov(dir, "a.txt", 4);
    let cfg = patch_config(dir);
    let (o, r) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--coverage",
            &cov,
            "--report",
            "base.json",
        ],
        &[("GITHUB_SHA", &base)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let digest = r.unwrap()["baseline"].as_str().unwrap().to_string();
    assert!(digest.len() < 2_000, "{}", digest.len());

    let gh = start(Options::default());
    let sha = gh.create_repo(RepoSpec::new("octo/app"));
    gh.add_token("ghs_w", TokenSpec::write_all());
    shipgate::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text = rt.block_on(async {
        let client = reqwest::Client::new();
        let body = json!({
            "name": "shipgate", "head_sha": sha, "status": "completed", "conclusion": "success",
            "output": {"title": "Quality gate passed", "summary": "score 90", "text": format!("Details\n\n{digest}\n")},
        });
        let res = client
            .post(format!("{}/repos/octo/app/check-runs", gh.url()))
            .bearer_auth("ghs_w")
            .header("user-agent", "shipgate-test")
            .header("accept", "application/vnd.github+json")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
        let res = client
            .get(format!("{}/repos/octo/app/commits/{sha}/check-runs", gh.url()))
            .bearer_auth("ghs_w")
            .header("user-agent", "shipgate-test")
            .header("accept", "application/vnd.github+json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let v: Value = res.json().await.unwrap();
        v["check_runs"][0]["output"]["text"].as_str().unwrap().to_string()
    });
    gh.assert_no_violations();
    use shipgate::gate::baseline::Baseline;
    let back = Baseline::decode(&text).unwrap();
    assert_eq!(back, Baseline::decode(&digest).unwrap());
    assert_eq!(back.header.commit.as_deref(), Some(base.as_str()));
    assert_eq!(back.file("a.txt"), Some((4, 2)));

    // The text read back is a baseline for the next run.
    std::fs::write(dir.join("check-run.txt"), &text).unwrap();
    grow(dir, "a.txt", 5, 2);
    let cov = lcov(dir, "a.txt", 6);
    let (o, r) = gate_in(
        dir,
        &[
            "--coverage",
            &cov,
            "--base",
            &base,
            "--baseline",
            "check-run.txt",
        ],
        &[],
    );
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let cmp = &r["verdict"]["comparison"];
    assert_eq!(cmp["base_commit"], base.as_str());
    assert_eq!(cmp["files"][0]["path"], "a.txt");
    assert_eq!(
        (
            cmp["files"][0]["before"].as_f64(),
            cmp["files"][0]["after"].as_f64()
        ),
        (Some(50.0), Some(50.0))
    );
}

/// A SARIF log of one security tool: (rule, security-severity, line, message) at `app.py`.
fn sarif(dir: &Path, name: &str, results: &[(&str, &str, u32, &str)]) -> String {
    let rules: Vec<Value> = results
        .iter()
        .map(|(id, sev, _, _)| {
            json!({"id": id, "shortDescription": {"text": id},
                   "properties": {"tags": ["security"], "security-severity": sev}})
        })
        .collect();
    let res: Vec<Value> = results
        .iter()
        .map(|(id, _, line, msg)| {
            json!({"ruleId": id, "level": "error", "message": {"text": msg},
                   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"},
                                  "region": {"startLine": line}}}]})
        })
        .collect();
    let log = json!({"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "scanner", "rules": rules}}, "results": res}]});
    let p = dir.join(name);
    std::fs::write(&p, log.to_string()).unwrap();
    p.display().to_string()
}

#[test]
fn new_findings_and_fail_on_new_only() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    let base = grow(dir, "app.py", 1, 5);
    let cfg = dir.join("gates.json");
    std::fs::write(
        &cfg,
        r#"{"environments": {"new_only": {"fail_on_new_only": true}, "all": {}},
            "blocking_rules": {"critical_security_issues": 0}}"#,
    )
    .unwrap();
    let cfg = cfg.display().to_string();
    let old = ("R1", "9.5", 2, "hard-coded secret");
    let base_sarif = sarif(dir, "base.sarif", &[old]);
    let (o, _) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--environment",
            "all",
            "--security",
            &base_sarif,
            "--report",
            "base.json",
        ],
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "the old critical finding fails: {}",
        stderr(&o)
    );

    grow(dir, "app.py", 6, 3);
    // The old finding stays; a high one on added line 7; another rule's on unchanged line 1.
    let pr = sarif(
        dir,
        "pr.sarif",
        &[
            old,
            ("R2", "7.5", 7, "sql injection"),
            ("R3", "2.0", 1, "weak hash"),
        ],
    );
    let run = |env: &str| {
        let (o, r) = gate_in(
            dir,
            &[
                "--config",
                &cfg,
                "--environment",
                env,
                "--security",
                &pr,
                "--base",
                &base,
                "--baseline",
                "base.json",
            ],
            &[],
        );
        (
            o.status.code(),
            r.unwrap_or_else(|| panic!("{}", stderr(&o))),
        )
    };
    let status = |r: &Value, id: &str| -> String {
        r["verdict"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .map(|x| x["status"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (code, r) = run("new_only");
    assert_eq!(r["verdict"]["new_findings"], 2);
    assert_eq!(
        status(&r, "blocking_rules.critical_security_issues"),
        "passed"
    );
    assert_eq!(status(&r, "regressions.new_high_vulnerabilities"), "failed");
    let cmp = &r["verdict"]["comparison"];
    assert_eq!(cmp["findings_introduced_count"], 2);
    assert_eq!(cmp["findings_fixed"], 0);
    assert_eq!(code, Some(1));
    let (code, r) = run("all");
    assert_eq!(
        status(&r, "blocking_rules.critical_security_issues"),
        "failed"
    );
    assert_eq!(code, Some(1));

    // Without a baseline only the finding on an added line is new.
    let (o, r) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--environment",
            "new_only",
            "--security",
            &pr,
            "--base",
            &base,
        ],
        &[],
    );
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    assert_eq!(r["verdict"]["new_findings"], 1);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn git_diff_of_awkward_files() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    write(dir, "crlf.txt", "a\r\nb\r\n");
    write(dir, "no newline.txt", "a\nb");
    std::fs::write(dir.join("blob.bin"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    write(dir, "gone.txt", "x\ny\n");
    write(dir, "tab\tand \"quote\".txt", "1\n");
    let base = commit(dir, "base");
    write(dir, "crlf.txt", "a\r\nB\r\nc\r\n");
    write(dir, "no newline.txt", "a\nb\nc");
    std::fs::write(dir.join("blob.bin"), [0u8, 9, 9, 9, 0, 255, 7]).unwrap();
    std::fs::remove_file(dir.join("gone.txt")).unwrap();
    write(dir, "tab\tand \"quote\".txt", "1\n2\n");
    write(dir, "new dir/ünï côde.txt", "p\nq\nr\n");
    commit(dir, "change");
    let c = shipgate::diff::git::changes(dir, &base, &Default::default()).unwrap();
    let f = |p: &str| {
        c.lines
            .files
            .get(p)
            .unwrap_or_else(|| panic!("{p}: {:?}", c.lines.files.keys()))
    };
    assert_eq!(f("crlf.txt").added, vec![2, 3]);
    // `b` gains a newline (a changed line) and `c` is added without one.
    assert_eq!(f("no newline.txt").added, vec![2, 3]);
    assert!(f("blob.bin").binary);
    assert!(f("blob.bin").added.is_empty());
    assert_eq!(f("gone.txt").status, Status::Deleted);
    assert!(f("gone.txt").added.is_empty());
    assert_eq!(f("tab\tand \"quote\".txt").added, vec![2]);
    assert_eq!(f("new dir/ünï côde.txt").status, Status::Added);
    assert_eq!(f("new dir/ünï côde.txt").added, vec![1, 2, 3]);
    assert_eq!(c.lines.files.len(), 6);
}

#[test]
fn changed_lines_from_the_api_without_local_history() {
    use shipgate_testserver::{FileChange, Options, PullSpec, RepoSpec, TokenSpec, start};
    let gh = start(Options {
        max_patch_bytes: 2_000,
        ..Options::default()
    });
    gh.create_repo(RepoSpec::new("octo/app"));
    gh.add_token("ghs_r", TokenSpec::read_all());
    let patch = "@@ -1,2 +1,3 @@\n a\n-b\n+B\n+c\n\\ No newline at end of file";
    gh.commit(
        "octo/app",
        "feat",
        "change",
        vec![
            FileChange::modified("src/a.py", 1, 1).with_patch(patch),
            FileChange::added("src/new.py", 4),
            // About 4,000 bytes of patch: GitHub (and the server) leave it out.
            FileChange::added("big.txt", 300),
        ],
    );
    let n = gh.create_pull(PullSpec::new("octo/app", "feat"));

    // Through the binary: no git repository here, a pull_request event with a token.
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        json!({"pull_request": {"number": n, "base": {"sha": "0123456789012345678901234567890123456789"}}}).to_string(),
    )
    .unwrap();
    let cov = dir.join("lcov.info");
    std::fs::write(&cov, "SF:src/a.py\nDA:2,1\nDA:3,0\nend_of_record\nSF:src/new.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nend_of_record\n").unwrap();
    let url = gh.url();
    let env = [
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ("GITHUB_API_URL", url.as_str()),
        ("GITHUB_REPOSITORY", "octo/app"),
        ("GITHUB_TOKEN", "ghs_r"),
        ("GITHUB_SHA", "0123456789012345678901234567890123456789"),
    ];
    // Without --publish the gate never calls GitHub: no changed lines, a warning.
    let (o, r) = gate_in(dir, &["--coverage", cov.to_str().unwrap()], &env);
    assert!(r.is_some(), "{}", stderr(&o));
    assert!(
        gh.requests().is_empty(),
        "the gate alone does not call GitHub"
    );
    assert!(
        stderr(&o).contains("patch coverage is not measured"),
        "{}",
        stderr(&o)
    );
    // With --publish (a read-only token: publishing degrades), the files come from the API.
    let (o, r) = gate_in(
        dir,
        &[
            "--coverage",
            cov.to_str().unwrap(),
            "--publish",
            "--comment",
            "off",
        ],
        &env,
    );
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let err = stderr(&o);
    assert!(err.contains("asking the API for pull request"), "{err}");
    assert!(
        err.contains("GitHub sent no patch for 1 large file(s) (big.txt)"),
        "{err}"
    );
    assert!(!err.contains("ghs_r"), "the token is never printed: {err}");
    let p = &r["verdict"]["patch"];
    // src/a.py adds lines 2 and 3 (2 covered, 3 not); src/new.py lines 1-4 (3 covered).
    assert_eq!(
        (p["covered"].as_u64(), p["coverable"].as_u64()),
        (Some(4), Some(6))
    );
    gh.assert_no_violations();
}

#[test]
fn the_api_list_stops_at_3000_files() {
    use shipgate_testserver::{FileChange, Options, PullSpec, RepoSpec, TokenSpec, start};
    let gh = start(Options::default());
    gh.create_repo(RepoSpec::new("octo/app"));
    gh.add_token("ghs_r", TokenSpec::read_all());
    let files: Vec<FileChange> = (0..3_005)
        .map(|i| FileChange::added(&format!("gen/f{i:04}.txt"), 1))
        .collect();
    gh.commit("octo/app", "many", "many files", files);
    let n = gh.create_pull(PullSpec::new("octo/app", "many"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = gh.url();
    let vars = move |k: &str| match k {
        "GITHUB_API_URL" => Some(url.clone()),
        "GITHUB_REPOSITORY" => Some("octo/app".to_string()),
        "GITHUB_TOKEN" => Some("ghs_r".to_string()),
        _ => None,
    };
    let f = rt
        .block_on(async {
            let settings = shipgate::github::Settings::from_vars(vars).unwrap();
            let c = shipgate::github::Client::new(settings).unwrap();
            shipgate::diff::api::pull_files(&c, n).await
        })
        .unwrap();
    assert!(f.truncated);
    assert_eq!(f.lines.files.len(), 3_000);
    assert!(
        f.notes().iter().any(|n| n.contains("at most 3000 files")),
        "{:?}",
        f.notes()
    );
    assert_eq!(
        gh.requests_matching("GET", "/repos/octo/app/pulls/*/files*")
            .len(),
        30
    );
    gh.assert_no_violations();
}

#[test]
fn shallow_checkout_of_a_pull_request_merge_commit() {
    // What actions/checkout does on pull_request: one commit, GitHub's merge of the head into
    // the base (refs/pull/N/merge), whose first parent is the base.
    let t = tempfile::tempdir().unwrap();
    let up = t.path().join("up");
    std::fs::create_dir(&up).unwrap();
    init(&up);
    grow(&up, "main.txt", 1, 5);
    git(&up, &["checkout", "-q", "-b", "feature"]);
    grow(&up, "feature.txt", 1, 6);
    git(&up, &["checkout", "-q", "main"]);
    let base = grow(&up, "main.txt", 6, 3);
    git(&up, &["checkout", "-q", "--detach", "main"]);
    git(
        &up,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge feature into main",
            "feature",
        ],
    );
    let merge = git(&up, &["rev-parse", "HEAD"]);
    git(&up, &["update-ref", "refs/pull/7/merge", &merge]);
    git(&up, &["checkout", "-q", "main"]);

    let clone = t.path().join("clone");
    std::fs::create_dir(&clone).unwrap();
    git(&clone, &["init", "-q"]);
    git(
        &clone,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", up.display()),
        ],
    );
    git(
        &clone,
        &[
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "origin",
            "+refs/pull/7/merge:refs/remotes/pull/7/merge",
        ],
    );
    git(
        &clone,
        &["checkout", "-q", "--detach", "refs/remotes/pull/7/merge"],
    );
    let cov = lcov(t.path(), "feature.txt", 6);
    let event = t.path().join("event.json");
    std::fs::write(
        &event,
        json!({"pull_request": {"number": 7, "commits": 6, "base": {"sha": base}}}).to_string(),
    )
    .unwrap();
    let env = [
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
    ];
    let (o, r) = gate_in(&clone, &["--coverage", &cov], &env);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let err = stderr(&o);
    assert!(
        err.contains("`fetch-depth: 2` would have reached it"),
        "{err}"
    );
    let files = r["verdict"]["patch"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["path"], "feature.txt");
    assert_eq!(files[0]["added"], 6);
}

#[test]
fn config_keys_of_changes_and_regressions_are_checked() {
    let t = tempfile::tempdir().unwrap();
    let check = |text: &str| {
        let p = t.path().join("g.json");
        std::fs::write(&p, text).unwrap();
        let o = crate::support::shipgate(&["config", "check", p.to_str().unwrap()], t.path());
        (o.status.code(), stderr(&o))
    };
    let (code, err) =
        check(r#"{"environments": {"dev": {"regressions": {"max_score_drop": -1}}}}"#);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(
            "environments.dev.regressions.max_score_drop: expected a number of 0 or more, got -1"
        ),
        "{err}"
    );
    let (code, err) =
        check("{\"environments\": {\"dev\": {\n  \"patch_coverage_threshold\": 120}}}");
    assert_eq!(code, Some(2));
    assert!(
        err.contains(":2:") && err.contains("environments.dev.patch_coverage_threshold"),
        "{err}"
    );
    let (code, err) = check(r#"{"environments": {"dev": {"regressions": [5]}}}"#);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("environments.dev.regressions: expected an object, got an array"),
        "{err}"
    );
    let (code, err) = check(r#"{"environments": {"dev": {"patch_coverage_treshold": 80}}}"#);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("did you mean `patch_coverage_threshold`"),
        "{err}"
    );
    // `extends` carries them; defaults fill what no environment sets.
    let cfg = shipgate::gate::config::Config::parse(
        r#"{"environments": {"base": {"patch_coverage_threshold": 70, "regressions": {"max_coverage_drop": 1}},
            "pr": {"extends": "base", "patch_min_lines": 10}}}"#,
        "g.json",
    )
    .unwrap();
    let th = cfg.thresholds("pr").unwrap();
    assert_eq!(
        (th.patch_coverage, th.patch_min_lines, th.fail_on_new_only),
        (Some(70.0), 10, false)
    );
    assert_eq!(
        (
            th.regressions.max_coverage_drop,
            th.regressions.max_score_drop
        ),
        (1.0, 5.0)
    );
}

/// A JUnit XML report of suite `s` with (name, status) cases: `pass`, `fail` or `skip`.
fn junit(dir: &Path, name: &str, cases: &[(&str, &str)]) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\" tests=\"{}\">\n",
        cases.len()
    );
    for (n, st) in cases {
        let inner = match *st {
            "fail" => "<failure message=\"boom\">trace</failure>",
            "skip" => "<skipped/>",
            _ => "",
        };
        x.push_str(&format!(
            "<testcase classname=\"m.T\" name=\"{n}\" time=\"0.1\">{inner}</testcase>\n"
        ));
    }
    x.push_str("</testsuite></testsuites>\n");
    let p = dir.join(name);
    std::fs::write(&p, x).unwrap();
    p.display().to_string()
}

#[test]
fn tests_and_findings_compared_with_the_baseline() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    let base = grow(dir, "app.py", 1, 3);
    let cfg = patch_config(dir);
    let base_tests = junit(
        dir,
        "base.xml",
        &[("a", "pass"), ("b", "fail"), ("c", "pass"), ("d", "pass")],
    );
    let base_sarif = sarif(
        dir,
        "base.sarif",
        &[
            ("R1", "5.0", 1, "one"),
            ("R2", "5.0", 2, "two"),
            ("R2", "5.0", 3, "two"),
        ],
    );
    let (o, _) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--tests",
            &base_tests,
            "--security",
            &base_sarif,
            "--report",
            "base.json",
        ],
        &[],
    );
    assert!(o.status.code().is_some(), "{}", stderr(&o));
    grow(dir, "app.py", 4, 1);
    // a now fails, b still fails, c is skipped, d is gone, e is new; R1 is fixed, one of the
    // two R2 is fixed, R3 is new.
    let pr_tests = junit(
        dir,
        "pr.xml",
        &[("a", "fail"), ("b", "fail"), ("c", "skip"), ("e", "pass")],
    );
    let pr_sarif = sarif(
        dir,
        "pr.sarif",
        &[("R2", "5.0", 2, "two"), ("R3", "5.0", 1, "three")],
    );
    let (o, r) = gate_in(
        dir,
        &[
            "--config",
            &cfg,
            "--tests",
            &pr_tests,
            "--security",
            &pr_sarif,
            "--base",
            &base,
            "--baseline",
            "base.json",
        ],
        &[],
    );
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let c = &r["verdict"]["comparison"];
    assert_eq!(c["tests_newly_failing"], json!(["m.T › a"]));
    assert_eq!(c["tests_newly_skipped"], json!(["m.T › c"]));
    assert_eq!(
        (c["tests_removed"].as_u64(), c["tests_added"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(c["findings_fixed"], 2);
    assert_eq!(c["findings_introduced_count"], 1);
    assert_eq!(
        c["findings_introduced"][0].as_str().unwrap(),
        "scanner R3: three (app.py:1)"
    );
    let m = |name: &str| {
        let x = c["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap();
        (x["before"].as_f64(), x["after"].as_f64())
    };
    assert_eq!(m("tests"), (Some(4.0), Some(4.0)));
    assert_eq!(m("failing_tests"), (Some(1.0), Some(2.0)));
    assert_eq!(m("findings"), (Some(3.0), Some(2.0)));
    // The Markdown summary says the same.
    let o = Command::new(env!("CARGO_BIN_EXE_shipgate"))
        .args([
            "gate",
            "--config",
            &cfg,
            "--tests",
            &pr_tests,
            "--security",
            &pr_sarif,
            "--base",
            &base,
            "--baseline",
            "base.json",
            "--format",
            "markdown",
        ])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&o.stdout);
    for line in [
        "- Tests newly failing: 1",
        "  - m.T › a",
        "- Tests newly skipped: 1",
        "- Tests removed: 1",
        "- Findings introduced: 1",
        "- Findings fixed: 2",
    ] {
        assert!(md.lines().any(|l| l == line), "{line:?} in\n{md}");
    }
}

#[test]
fn root_in_a_subdirectory_sees_its_own_files_relative_to_it() {
    // A monorepo where shipgate's root is `backend/`: paths as the coverage report of that
    // folder names them, and changes elsewhere left out (`git diff --relative`).
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    init(dir);
    write(dir, "backend/app.py", "a\n");
    write(dir, "frontend/app.js", "a\n");
    let base = commit(dir, "base");
    write(dir, "backend/app.py", "a\nb\n");
    write(dir, "frontend/app.js", "a\nb\n");
    commit(dir, "change");
    let c = shipgate::diff::git::changes(&dir.join("backend"), &base, &Default::default()).unwrap();
    assert_eq!(c.lines.files.keys().collect::<Vec<_>>(), vec!["app.py"]);
    assert_eq!(c.lines.files["app.py"].added, vec![2]);
}

/// An LCOV report of `(file, lines, covered)`: lines 1..=lines coverable, the first `covered`
/// ran. Line coverage in all is Σcovered / Σlines.
fn lcov_of(dir: &Path, name: &str, files: &[(&str, u32, u32)]) -> String {
    let mut s = String::from("TN:\n");
    for (f, n, c) in files {
        s.push_str(&format!("SF:{f}\n"));
        for l in 1..=*n {
            s.push_str(&format!("DA:{l},{}\n", u32::from(l <= *c)));
        }
        s.push_str(&format!("LF:{n}\nLH:{c}\nend_of_record\n"));
    }
    let p = dir.join(name);
    std::fs::write(&p, s).unwrap();
    p.display().to_string()
}

/// `gate --publish` as a runner job would run it, against the test server: `event` is the
/// payload of `event_name`, `sha` the commit the job checked out.
fn gate_published(
    gh: &shipgate_testserver::Server,
    dir: &Path,
    args: &[&str],
    event_name: &str,
    event: &Value,
    sha: &str,
    git_ref: &str,
) -> (Output, Value) {
    let p = dir.join(format!("event-{}.json", &sha[..8]));
    std::fs::write(&p, event.to_string()).unwrap();
    let url = gh.url();
    let env = [
        ("GITHUB_EVENT_NAME", event_name),
        ("GITHUB_EVENT_PATH", p.to_str().unwrap()),
        ("GITHUB_API_URL", url.as_str()),
        ("GITHUB_REPOSITORY", "octo/app"),
        ("GITHUB_TOKEN", "ghs_baseline_write"),
        ("GITHUB_SHA", sha),
        ("GITHUB_REF", git_ref),
        ("SHIPGATE_RETRY_BASE_MS", "20"),
    ];
    let mut all = vec![
        "--environment",
        "development",
        "--publish",
        "--comment",
        "off",
    ];
    all.extend_from_slice(args);
    let (o, r) = gate_in(dir, &all, &env);
    let err = stderr(&o);
    assert!(
        !err.contains("ghs_baseline_write"),
        "the token is never printed: {err}"
    );
    (o, r.unwrap_or_else(|| panic!("{err}")))
}

fn rule<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}: {}", r["verdict"]["rules"]))
}

fn metric(r: &Value, name: &str) -> (Option<f64>, Option<f64>) {
    let m = r["verdict"]["comparison"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no metric {name}: {}", r["verdict"]["comparison"]));
    (m["before"].as_f64(), m["after"].as_f64())
}

#[test]
fn baseline_read_from_the_base_commits_check_run() {
    use shipgate::gate::baseline::{Baseline, MARKER};
    use shipgate_testserver::{Options, RepoSpec, TokenSpec, start};
    let gh = start(Options::default());
    gh.create_repo(RepoSpec::new("octo/app"));
    gh.add_token("ghs_baseline_write", TokenSpec::write_all());
    let t = tempfile::tempdir().unwrap();
    let dir = &t.path().join("repo");
    let covs = t.path();
    std::fs::create_dir(dir).unwrap();
    init(dir);
    let cfg = dir.join("gates.json");
    std::fs::write(
        &cfg,
        r#"{"environments": {"development": {"quality_threshold": 0, "patch_coverage_threshold": 50}}}"#,
    )
    .unwrap();
    let cfg = cfg.display().to_string();
    git(dir, &["add", "-A"]);
    let root = commit(dir, "root");
    gh.import_commit("octo/app", "main", &root, &[]);
    let base = grow(dir, "a.txt", 1, 10);
    gh.import_commit("octo/app", "main", &base, &[&root]);

    // Run 1: the push of `base` to main (its `before` has no check run yet). a.txt: 10
    // coverable lines, 8 ran: 80%.
    let cov = lcov_of(covs, "base.info", &[("a.txt", 10, 8)]);
    let push = json!({"ref": "refs/heads/main", "before": root, "after": base});
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "push",
        &push,
        &base,
        "refs/heads/main",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("notice: no shipgate baseline in check run shipgate on the base commit"),
        "{err}"
    );
    assert!(r["verdict"].get("comparison").is_none());
    let runs = gh.check_runs("octo/app");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].head_sha, base);
    assert_eq!(runs[0].status, "completed");
    let text = runs[0].text.clone().expect("output.text holds the digest");
    assert!(
        text.trim_end().ends_with("-->") && text.contains(MARKER),
        "{text}"
    );
    assert!(text.chars().count() <= 65_535);
    let digest = Baseline::decode(&text).unwrap();
    assert_eq!(digest.header.commit.as_deref(), Some(base.as_str()));
    assert_eq!(digest.header.line_coverage, Some(80.0));
    assert_eq!(digest.file("a.txt"), Some((10, 8)));
    // The same digest as report.json's.
    assert_eq!(
        digest,
        Baseline::decode(r["baseline"].as_str().unwrap()).unwrap()
    );

    // Run 2: a pull request adding b.txt (10 lines, 7 ran): 15 / 20 = 75%, 5 points below
    // the base's 80: beyond the 3 allowed, the gate fails.
    git(dir, &["checkout", "-q", "-b", "feature"]);
    let head = grow(dir, "b.txt", 1, 10);
    gh.import_commit("octo/app", "feature", &head, &[&base]);
    let cov = lcov_of(covs, "head.info", &[("a.txt", 10, 8), ("b.txt", 10, 7)]);
    let pr = json!({"number": 5, "pull_request": {"number": 5, "commits": 10,
        "base": {"sha": base, "ref": "main"}, "head": {"sha": head, "ref": "feature"}}});
    gh.clear_requests();
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "pull_request",
        &pr,
        &head,
        "refs/pull/5/merge",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("baseline: check run shipgate ("), "{err}");
    let requests = gh.requests();
    let lookups: Vec<String> = requests
        .iter()
        .filter(|q| q.method == "GET" && q.path.contains("/check-runs"))
        .map(|q| q.path.clone())
        .collect();
    // One request more than before: the base commit's check runs (the merge base is `base`).
    assert_eq!(lookups.len(), 1, "{lookups:?}");
    assert!(lookups[0].contains(&format!("/commits/{base}/check-runs")));
    println!(
        "requests of a pull-request run with a baseline lookup: {} ({:?})",
        requests.len(),
        requests
            .iter()
            .map(|q| format!("{} {}", q.method, q.path))
            .collect::<Vec<_>>()
    );
    let cmp = &r["verdict"]["comparison"];
    assert_eq!(cmp["base_commit"], base.as_str());
    assert_eq!(metric(&r, "line_coverage"), (Some(80.0), Some(75.0)));
    let cd = rule(&r, "regressions.coverage_drop");
    assert_eq!(cd["status"], "failed", "{cd}");
    assert_eq!(cd["measured"].as_f64(), Some(5.0));
    // Per file: a.txt unchanged (80 → 80) is not a changed file; b.txt is new.
    let files = cmp["files"].as_array().unwrap();
    let b = files.iter().find(|f| f["path"] == "b.txt").unwrap();
    assert!(b.get("before").is_none_or(Value::is_null), "{b}");
    assert_eq!(b["after"].as_f64(), Some(70.0));
    // The pull request's own run carries its digest too.
    let head_run = gh
        .check_runs("octo/app")
        .into_iter()
        .find(|c| c.head_sha == head)
        .unwrap();
    assert!(head_run.text.is_some(), "{err}");
    assert_eq!(
        Baseline::decode(head_run.text.as_deref().unwrap())
            .unwrap()
            .header
            .line_coverage,
        Some(75.0)
    );

    // A pull request whose base has no check run: a notice, the comparison skipped, a pass.
    git(dir, &["checkout", "-q", "main"]);
    let base2 = grow(dir, "c.txt", 1, 2);
    gh.import_commit("octo/app", "main", &base2, &[&base]);
    git(dir, &["checkout", "-q", "-b", "other"]);
    let head2 = grow(dir, "c.txt", 3, 2);
    gh.import_commit("octo/app", "other", &head2, &[&base2]);
    let cov = lcov_of(covs, "other.info", &[("a.txt", 10, 8), ("c.txt", 4, 4)]);
    let pr2 = json!({"number": 6, "pull_request": {"number": 6, "commits": 2,
        "base": {"sha": base2, "ref": "main"}, "head": {"sha": head2, "ref": "other"}}});
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "pull_request",
        &pr2,
        &head2,
        "refs/pull/6/merge",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "notice: no shipgate baseline in check run shipgate on the base commit {} (no completed run): the comparison is skipped",
            &base2[..12]
        )),
        "{err}"
    );
    assert!(r["verdict"].get("comparison").is_none());
    // Lines 3 and 4 of c.txt were added and ran.
    assert_eq!(
        (
            r["verdict"]["patch"]["covered"].as_u64(),
            r["verdict"]["patch"]["coverable"].as_u64()
        ),
        (Some(2), Some(2))
    );

    // A digest of another version on the base commit's run (a newer shipgate wrote it): a
    // notice, the comparison skipped, a pass.
    shipgate::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/repos/octo/app/check-runs", gh.url()))
            .bearer_auth("ghs_baseline_write")
            .header("user-agent", "shipgate-test")
            .header("accept", "application/vnd.github+json")
            .json(&json!({
                "name": "shipgate", "head_sha": base2, "status": "completed", "conclusion": "success",
                "output": {"title": "Passed", "summary": "score 90", "text": "note\n\n<!-- shipgate-baseline:v99:AAAA -->"},
            }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 201);
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "pull_request",
        &pr2,
        &head2,
        "refs/pull/6/merge",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("cannot be read (baseline digest version 99; this shipgate reads versions 2 and 3): the comparison is skipped"),
        "{err}"
    );
    assert!(r["verdict"].get("comparison").is_none());

    // The merge base has no run, the base tip has one: the tip's digest is used (two
    // lookups). A branch from the root commit, whose pull request targets main at base3.
    git(dir, &["checkout", "-q", "main"]);
    let base3 = grow(dir, "e.txt", 1, 2);
    gh.import_commit("octo/app", "main", &base3, &[&base2]);
    let cov = lcov_of(
        covs,
        "base3.info",
        &[("a.txt", 10, 8), ("c.txt", 2, 2), ("e.txt", 2, 2)],
    );
    let push3 = json!({"ref": "refs/heads/main", "before": base2, "after": base3});
    let (o, _) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "push",
        &push3,
        &base3,
        "refs/heads/main",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    git(dir, &["checkout", "-q", "-b", "old", &root]);
    let head3 = grow(dir, "d.txt", 1, 2);
    gh.import_commit("octo/app", "old", &head3, &[&root]);
    let cov = lcov_of(covs, "old.info", &[("d.txt", 2, 2)]);
    let pr3 = json!({"number": 7, "pull_request": {"number": 7, "commits": 2,
        "base": {"sha": base3, "ref": "main"}, "head": {"sha": head3, "ref": "old"}}});
    gh.clear_requests();
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "pull_request",
        &pr3,
        &head3,
        "refs/pull/7/merge",
    );
    let err = stderr(&o);
    let lookups: Vec<String> = gh
        .requests()
        .iter()
        .filter(|q| q.method == "GET" && q.path.contains("/check-runs"))
        .map(|q| q.path.clone())
        .collect();
    assert_eq!(lookups.len(), 2, "{lookups:?}");
    assert!(
        lookups[0].contains(&root) && lookups[1].contains(&base3),
        "{lookups:?}"
    );
    assert!(
        err.contains(&format!("on the base commit {}", &base3[..12])),
        "{err}"
    );
    assert_eq!(r["verdict"]["comparison"]["base_commit"], base3.as_str());
    // 14 lines, 12 ran at base3 (85.71%); d.txt alone now: 2 of 2.
    assert_eq!(metric(&r, "line_coverage").1, Some(100.0));

    // A push to main with `before` = base: patch coverage of what the push adds, and the
    // comparison with base's check run. a.txt grows to 14 lines, 12 ran: 12/14.
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["reset", "-q", "--hard", &base]);
    let after = grow(dir, "a.txt", 11, 4);
    gh.import_commit("octo/app", "main", &after, &[&base]);
    let cov = lcov_of(covs, "push.info", &[("a.txt", 14, 12)]);
    let push = json!({"ref": "refs/heads/main", "before": base, "after": after});
    let (o, r) = gate_published(
        &gh,
        dir,
        &["--config", &cfg, "--coverage", &cov],
        "push",
        &push,
        &after,
        "refs/heads/main",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("4 added line(s) since the merge base"),
        "{err}"
    );
    assert_eq!(r["verdict"]["comparison"]["base_commit"], base.as_str());
    let (before, now) = metric(&r, "line_coverage");
    assert_eq!(before, Some(80.0));
    assert!((now.unwrap() - 1200.0 / 14.0).abs() < 0.01, "{now:?}");
    // Lines 11-14 added; 11 and 12 ran (the first 12 of 14).
    assert_eq!(
        (
            r["verdict"]["patch"]["covered"].as_u64(),
            r["verdict"]["patch"]["coverable"].as_u64()
        ),
        (Some(2), Some(4))
    );
    gh.assert_no_violations();
}

/// A project far beyond what exact sets fit in a few KB (3,000 files, 6,000 tests, 300
/// findings): the base run's digest stays within 6,000 characters, and the pull request's
/// run still finds exactly what changed, by listing the differences of the sketches.
#[test]
fn a_large_project_compares_through_a_digest_of_a_few_kb() {
    use shipgate::gate::baseline::{Baseline, TARGET_CHARS};
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let cfg = dir.join("gates.json");
    std::fs::write(
        &cfg,
        r#"{"environments": {"development": {"quality_threshold": 0}}}"#,
    )
    .unwrap();
    let cfg = cfg.display().to_string();
    // File i: 20 lines, i % 21 of them covered.
    let names: Vec<String> = (0..3_000).map(|i| format!("src/m{i:04}.py")).collect();
    let mut files: Vec<(&str, u32, u32)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), 20, i as u32 % 21))
        .collect();
    let base_cov = lcov_of(dir, "base.info", &files);
    // Tests t0..t5999: t0-t9 fail, t10-t19 are skipped.
    let tests: Vec<String> = (0..6_000).map(|i| format!("t{i}")).collect();
    let status = |i: usize| match i {
        0..=9 => "fail",
        10..=19 => "skip",
        _ => "pass",
    };
    let cases: Vec<(&str, &str)> = tests
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), status(i)))
        .collect();
    let base_tests = junit(dir, "base.xml", &cases);
    let msgs: Vec<String> = (0..300).map(|i| format!("finding {i}")).collect();
    let found: Vec<(&str, &str, u32, &str)> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| ("R1", "5.0", i as u32 + 1, m.as_str()))
        .collect();
    let base_sarif = sarif(dir, "base.sarif", &found);
    let args = |cov: &str, tests: &str, sarif: &str| {
        vec![
            "--config".to_string(),
            cfg.clone(),
            "--coverage".into(),
            cov.into(),
            "--tests".into(),
            tests.into(),
            "--security".into(),
            sarif.into(),
        ]
    };
    let mut a = args(&base_cov, &base_tests, &base_sarif);
    a.extend(["--report".into(), "base.json".into()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (o, r) = gate_in(dir, &a, &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let digest = r["baseline"].as_str().unwrap();
    assert!(digest.len() <= TARGET_CHARS, "{} characters", digest.len());
    let d = Baseline::decode(digest).unwrap();
    assert!(d.sketches.files.is_some() && d.sketches.tests.is_some());

    // The pull request: files 1-6 now fully covered, m2999 deleted, new.py added (10 of
    // 20); t5990-t5999 removed, n0-n11 added, t100-t104 now fail, t200-t202 are skipped,
    // t0 passes; findings 0-3 fixed, three new ones.
    for f in files.iter_mut().take(7).skip(1) {
        f.2 = 20;
    }
    files.pop();
    files.push(("src/new.py", 20, 10));
    let pr_cov = lcov_of(dir, "pr.info", &files);
    let added: Vec<String> = (0..12).map(|i| format!("n{i}")).collect();
    let mut cases: Vec<(&str, &str)> = tests[..5_990]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let st = match i {
                0 => "pass",
                100..=104 => "fail",
                200..=202 => "skip",
                _ => status(i),
            };
            (n.as_str(), st)
        })
        .collect();
    cases.extend(added.iter().map(|n| (n.as_str(), "pass")));
    let pr_tests = junit(dir, "pr.xml", &cases);
    let new_msgs = ["new one", "new two", "new three"];
    let mut found: Vec<(&str, &str, u32, &str)> = found[4..].to_vec();
    found.extend(
        new_msgs
            .iter()
            .enumerate()
            .map(|(i, m)| ("R2", "5.0", 500 + i as u32, *m)),
    );
    let pr_sarif = sarif(dir, "pr.sarif", &found);
    let mut a = args(&pr_cov, &pr_tests, &pr_sarif);
    a.extend(["--baseline".into(), "base.json".into()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (o, r) = gate_in(dir, &a, &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let c = &r["verdict"]["comparison"];
    assert!(c.get("notes").is_none(), "{c}");
    assert_eq!(c["tests_newly_failing_count"], 5);
    assert_eq!(
        c["tests_newly_failing"],
        json!([
            "m.T › t100",
            "m.T › t101",
            "m.T › t102",
            "m.T › t103",
            "m.T › t104"
        ])
    );
    assert_eq!(c["tests_newly_skipped_count"], 3);
    assert_eq!(
        (c["tests_removed"].as_u64(), c["tests_added"].as_u64()),
        (Some(10), Some(12))
    );
    assert_eq!(c["findings_fixed"], 4);
    assert_eq!(c["findings_introduced_count"], 3);
    // Files whose coverage moved: 1-6 (from 5%, 10%, ... 30% to 100%) and the new one.
    let rows: Vec<(String, Option<f64>, Option<f64>)> = c["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["before"].as_f64(),
                f["after"].as_f64(),
            )
        })
        .collect();
    let mut want: Vec<(String, Option<f64>, Option<f64>)> = (1..=6)
        .map(|i| (format!("src/m{i:04}.py"), Some(5.0 * i as f64), Some(100.0)))
        .collect();
    want.push(("src/new.py".into(), None, Some(50.0)));
    let mut rows = rows;
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows, want);

    // A run whose tests were all renamed (12,000 differences) is beyond the sketch: the
    // tests are not compared, with a note; files and findings still are.
    let renamed: Vec<String> = (0..6_000).map(|i| format!("renamed{i}")).collect();
    let cases: Vec<(&str, &str)> = renamed.iter().map(|n| (n.as_str(), "pass")).collect();
    let renamed_tests = junit(dir, "renamed.xml", &cases);
    let mut a = args(&pr_cov, &renamed_tests, &pr_sarif);
    a.extend(["--baseline".into(), "base.json".into()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (o, r) = gate_in(dir, &a, &[]);
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let c = &r["verdict"]["comparison"];
    let notes = c["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with(
                "tests newly failing, newly skipped, added and removed: not compared"
            )),
        "{c}"
    );
    assert!(c.get("tests_removed").is_none(), "{c}");
    assert_eq!(c["tests_newly_failing_count"], 0);
    assert_eq!(c["findings_fixed"], 4);
    assert_eq!(c["files"].as_array().unwrap().len(), 7);
}

/// A push to main checked out shallow (actions/checkout's default depth 1): the push's
/// `before` is not in the clone, so it is fetched and the history deepened until the merge
/// base is found; the changed lines are the push's.
#[test]
fn shallow_push_whose_before_is_missing_locally() {
    let t = tempfile::tempdir().unwrap();
    let up = t.path().join("up");
    std::fs::create_dir(&up).unwrap();
    init(&up);
    let before = grow(&up, "main.txt", 1, 8);
    let after = grow(&up, "main.txt", 9, 3);
    let url = format!("file://{}", up.display());
    let clone = t.path().join("clone");
    shallow_clone(&url, "main", &clone);
    let o = Command::new("git")
        .args(["cat-file", "-e", &before])
        .current_dir(&clone)
        .output()
        .unwrap();
    assert!(!o.status.success(), "`before` is not in the shallow clone");
    let event = t.path().join("event.json");
    std::fs::write(
        &event,
        json!({"ref": "refs/heads/main", "before": before, "after": after, "forced": false})
            .to_string(),
    )
    .unwrap();
    let event = event.display().to_string();
    // main.txt: 11 lines, the first 6 ran.
    let cov = lcov_of(t.path(), "cov.info", &[("main.txt", 11, 6)]);
    let env = [
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_EVENT_PATH", event.as_str()),
        ("GITHUB_SHA", after.as_str()),
    ];
    let (o, r) = gate_in(&clone, &["--coverage", &cov], &env);
    let code = o.status.code();
    let r = r.unwrap_or_else(|| panic!("{}", stderr(&o)));
    let err = stderr(&o);
    assert!(err.contains("fetched the base commit"), "{err}");
    assert!(
        err.contains("changes: 1 file(s), 3 added line(s) since the merge base"),
        "{err}"
    );
    // Lines 9-11 were added by the push; none of them ran.
    let files = r["verdict"]["patch"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["path"], "main.txt");
    assert_eq!(
        (files[0]["covered"].as_u64(), files[0]["coverable"].as_u64()),
        (Some(0), Some(3))
    );

    // A force push whose `before` is gone from the remote: the changed lines are unknown,
    // which is a warning, not an error: the gate decides as it did (the defaults fail 6/11
    // covered lines either way).
    let gone = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(
        &event,
        json!({"ref": "refs/heads/main", "before": gone, "after": after, "forced": true})
            .to_string(),
    )
    .unwrap();
    let (o, r) = gate_in(&clone, &["--coverage", &cov], &env);
    let err = stderr(&o);
    assert_eq!(o.status.code(), code, "{err}");
    assert_ne!(code, Some(2), "{err}");
    assert!(
        err.contains("cannot find the changed lines, so patch coverage is not measured: this push was forced, and its `before` (0123456789ab) is not in the clone and could not be fetched"),
        "{err}"
    );
    assert!(!err.contains("fetch-depth: 0"), "{err}");
    assert!(r.unwrap()["verdict"].get("patch").is_none());
}
