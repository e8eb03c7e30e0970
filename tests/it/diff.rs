//! Changed lines, patch coverage, baselines and regressions: the diff parser against the
//! peers' goldens, and real git repositories built in the test.

use crate::support::shared;
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
    assert!(checked.len() >= 14, "{checked:#?}");
}
