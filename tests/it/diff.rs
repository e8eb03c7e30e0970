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
