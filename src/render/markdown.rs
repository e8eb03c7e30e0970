//! The verdict as GitHub-flavoured Markdown, within a size budget. One renderer for the job
//! summary now and the check run and PR comment later; each caller passes its own budget.
//!
//! Layout: the headline, failed rules with their items, the scores with what cost points, all
//! rules, components, then the worst-covered files and failing tests tables, then the counts.
//! The tables give way first: rows are added while they fit, and a line says how many were
//! left out. If even the fixed parts do not fit, the text is cut at a line end with a marker.

use crate::gate::score::{num, round2};
use crate::gate::verdict::{RuleStatus, Verdict};
use std::fmt::Write;

/// Escapes text for a table cell: pipes, line breaks, and HTML-looking angle brackets.
pub fn cell(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    one_line
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn code(s: &str) -> String {
    // Backticks inside inline code would end it.
    format!("`{}`", s.replace('`', "'"))
}

fn score_text(s: Option<f64>) -> String {
    s.map_or_else(|| "not measured".into(), |v| num(round2(v)))
}

fn status_mark(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Passed => "✅",
        RuleStatus::Failed => "❌",
        RuleStatus::NotMeasured => "➖",
    }
}

fn measured_text(r: &crate::gate::verdict::RuleResult) -> String {
    match r.measured {
        None => "not measured".into(),
        Some(v) => num(round2(v)),
    }
}

/// The head of the document: headline, failed rules, scores, rules, components.
fn head(v: &Verdict) -> String {
    let mut s = String::new();
    let (mark, word) = if v.passed {
        ("✅", "passed")
    } else {
        ("❌", "failed")
    };
    let _ = writeln!(
        s,
        "## {mark} Quality gate {word}: score {} / 100 ({})\n",
        score_text(v.score),
        cell(&v.environment.name)
    );
    let _ = writeln!(
        s,
        "Environment **{}** ({}).\n",
        cell(&v.environment.name),
        cell(&v.environment.reason)
    );
    let failed: Vec<_> = v.failed_rules().collect();
    if !failed.is_empty() {
        let _ = writeln!(s, "### Failed rules\n");
        for r in &failed {
            let _ = writeln!(s, "- ❌ {}: {}", code(&r.id), cell(&r.message));
            for d in &r.details {
                let loc = match (&d.file, d.line) {
                    (Some(f), Some(l)) => format!(" ({})", code(&format!("{f}:{l}"))),
                    _ => String::new(),
                };
                let _ = writeln!(s, "  - {}{loc}", cell(&d.text));
            }
        }
        s.push('\n');
    }
    let _ = writeln!(s, "### Scores\n");
    let _ = writeln!(s, "| Dimension | Weight | Score | What it is made of |");
    let _ = writeln!(s, "| --- | ---: | ---: | --- |");
    for d in &v.dimensions {
        let weight = if d.score.is_some() && (d.effective_weight - d.weight).abs() > 0.005 {
            format!("{}% → {}%", num(d.weight), num(d.effective_weight))
        } else {
            format!("{}%", num(d.weight))
        };
        let what = match &d.not_measured {
            Some(why) => cell(why),
            None => d
                .explanation
                .iter()
                .map(|e| {
                    if e.points == 0.0 {
                        cell(&e.text)
                    } else {
                        format!("{} ({})", cell(&e.text), num(e.points))
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        let _ = writeln!(
            s,
            "| {} | {weight} | {} | {what} |",
            d.dimension.title(),
            score_text(d.score)
        );
    }
    let _ = writeln!(
        s,
        "| **Total** | 100% | **{}** | weights of unmeasured dimensions shared among the measured ones |\n",
        score_text(v.score)
    );
    let _ = writeln!(s, "### Rules\n");
    let _ = writeln!(s, "| | Rule | Measured | Limit | |");
    let _ = writeln!(s, "| --- | --- | ---: | ---: | --- |");
    for r in &v.rules {
        let limit = format!(
            "{} {}",
            if r.comparison == "<=" { "≤" } else { "≥" },
            num(r.limit)
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {limit} | {} |",
            status_mark(r.status),
            code(&r.id),
            measured_text(r),
            cell(&r.message)
        );
    }
    s.push('\n');
    if !v.components.is_empty() {
        let _ = writeln!(s, "### Components\n");
        let _ = writeln!(
            s,
            "| Component | Files | Line coverage | Target | Findings |"
        );
        let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: |");
        for c in &v.components {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                cell(&c.name),
                c.files,
                c.line_percent.map_or_else(
                    || "n/a".into(),
                    |p| format!("{}% ({}/{})", num(p), c.lines_covered, c.lines_total)
                ),
                c.coverage_threshold
                    .map_or_else(|| "—".into(), |t| format!("{}%", num(t))),
                c.findings
            );
        }
        s.push('\n');
    }
    s
}

fn counts(v: &Verdict) -> String {
    let c = &v.counts;
    let mut s = String::from("### Counts\n\n");
    if let Some(p) = c.line_coverage {
        let _ = writeln!(
            s,
            "- Coverage: {}% of lines ({}/{}) in {} files",
            num(p),
            c.lines_covered,
            c.lines_total,
            c.coverage_files
        );
    }
    if c.tests_total > 0 {
        let _ = writeln!(
            s,
            "- Tests: {} — {} passed, {} failed, {} errored, {} skipped{}{}",
            c.tests_total,
            c.tests_passed,
            c.tests_failed,
            c.tests_errored,
            c.tests_skipped,
            if c.tests_todo > 0 {
                format!(", {} todo", c.tests_todo)
            } else {
                String::new()
            },
            if c.tests_flaky > 0 {
                format!(" ({} flaky)", c.tests_flaky)
            } else {
                String::new()
            }
        );
    }
    if c.findings_total > 0 || c.findings_suppressed > 0 {
        let _ = writeln!(
            s,
            "- Findings: {} — {} error, {} warning, {} note{}",
            c.findings_total,
            c.findings_error,
            c.findings_warning,
            c.findings_note,
            if c.findings_suppressed > 0 {
                format!(" ({} suppressed, not counted)", c.findings_suppressed)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        s,
        "- Blocking counts: {} critical security issues, {} critical bugs, {} type errors, {} test failures",
        c.critical_security_issues, c.critical_bugs, c.type_errors, c.test_failures
    );
    for n in &v.notes {
        let _ = writeln!(s, "- Note: {}", cell(n));
    }
    s
}

/// A table whose rows are added while they fit in `budget` bytes.
fn table(title: &str, header: &str, rows: &[String], total: u64, budget: usize) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut s = format!("### {title}\n\n{header}\n");
    let reserve = 80;
    if s.len() + reserve > budget {
        return String::new();
    }
    let mut shown = 0u64;
    for r in rows {
        if s.len() + r.len() + 1 + reserve > budget {
            break;
        }
        s.push_str(r);
        s.push('\n');
        shown += 1;
    }
    if shown < total {
        let _ = writeln!(
            s,
            "\n… and {} more (all of them are in report.json).",
            total - shown
        );
    }
    s.push('\n');
    s
}

fn pct_text(p: Option<f64>) -> String {
    p.map_or_else(|| "—".into(), |p| format!("{}%", num(round2(p))))
}

fn signed(d: Option<f64>) -> String {
    match d {
        None => "—".into(),
        Some(d) if d > 0.0 => format!("+{}", num(d)),
        Some(d) => num(d),
    }
}

/// Patch coverage and the comparison with the baseline: the headline lines (fixed) and the
/// per-file rows (which give way like the other tables).
fn changes(v: &Verdict) -> (String, Vec<String>, Vec<String>) {
    let mut s = String::new();
    let mut patch_rows = Vec::new();
    let mut file_rows = Vec::new();
    if let Some(p) = &v.patch {
        let _ = writeln!(
            s,
            "### Patch coverage

{} of the {} added lines the coverage report lists are covered: **{}** ({} added lines in all).
",
            p.covered,
            p.coverable,
            pct_text(p.percent),
            p.added
        );
        for f in p.files.iter().filter(|f| f.coverable > 0) {
            let missing = super::line_ranges(&f.uncovered);
            patch_rows.push(format!(
                "| {} | {}/{} | {} | {} |",
                code(&f.path),
                f.covered,
                f.coverable,
                pct_text(f.percent),
                cell(&missing.join(", "))
            ));
        }
    }
    if let Some(n) = v.new_findings {
        let _ = writeln!(
            s,
            "New findings (on added lines or not in the baseline): {n}
"
        );
    }
    if let Some(c) = &v.comparison {
        let base = c
            .base_commit
            .as_deref()
            .map(|b| format!(" ({})", code(b.get(..12).unwrap_or(b))))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "### Compared with the base{base}
"
        );
        let _ = writeln!(s, "| Metric | Base | Now | Change |");
        let _ = writeln!(s, "| --- | ---: | ---: | ---: |");
        for m in c
            .metrics
            .iter()
            .filter(|m| m.before.is_some() || m.after.is_some())
        {
            let f = |x: Option<f64>| x.map_or_else(|| "—".into(), |x| num(round2(x)));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                cell(&m.name),
                f(m.before),
                f(m.after),
                signed(m.delta)
            );
        }
        s.push('\n');
        let list = |s: &mut String, what: &str, names: &[String], count: u64| {
            if count == 0 {
                return;
            }
            let _ = writeln!(s, "- {what}: {count}");
            for n in names {
                let _ = writeln!(s, "  - {}", cell(n));
            }
            if count > names.len() as u64 {
                let _ = writeln!(s, "  - … and {} more", count - names.len() as u64);
            }
        };
        list(
            &mut s,
            "Tests newly failing",
            &c.tests_newly_failing,
            c.tests_newly_failing_count,
        );
        list(
            &mut s,
            "Tests newly skipped",
            &c.tests_newly_skipped,
            c.tests_newly_skipped_count,
        );
        if let Some(n) = c.tests_removed.filter(|n| *n > 0) {
            let _ = writeln!(s, "- Tests removed: {n}");
        }
        if let Some(n) = c.tests_added.filter(|n| *n > 0) {
            let _ = writeln!(s, "- Tests added: {n}");
        }
        list(
            &mut s,
            "Findings introduced",
            &c.findings_introduced,
            c.findings_introduced_count,
        );
        if let Some(n) = c.findings_fixed.filter(|n| *n > 0) {
            let _ = writeln!(s, "- Findings fixed: {n}");
        }
        for n in &c.notes {
            let _ = writeln!(s, "- Note: {}", cell(n));
        }
        if !s.ends_with("\n\n") {
            s.push('\n');
        }
        for f in &c.files {
            let d = match (f.before, f.after) {
                (Some(b), Some(a)) => Some(round2(a - b)),
                _ => None,
            };
            file_rows.push(format!(
                "| {} | {} | {} | {} |",
                code(&f.path),
                pct_text(f.before),
                pct_text(f.after),
                signed(d)
            ));
        }
    }
    (s, patch_rows, file_rows)
}

/// Renders the verdict in at most `budget` bytes.
pub fn render(v: &Verdict, budget: usize) -> String {
    let mut out = head(v);
    let (changes_text, patch_rows, file_rows) = changes(v);
    out.push_str(&changes_text);
    let tail = counts(v);
    let worst: Vec<String> = v
        .worst_files
        .iter()
        .map(|f| {
            format!(
                "| {} | {}/{} | {}% |",
                code(&f.path),
                f.lines_covered,
                f.lines_total,
                num(f.line_percent)
            )
        })
        .collect();
    let failing: Vec<String> = v
        .failing_tests
        .iter()
        .map(|t| {
            let loc = match (&t.file, t.line) {
                (Some(f), Some(l)) => code(&format!("{f}:{l}")),
                (Some(f), None) => code(f),
                _ => String::new(),
            };
            format!(
                "| {} | {} | {} | {} |",
                cell(&t.name),
                t.status,
                cell(t.message.as_deref().unwrap_or("")),
                loc
            )
        })
        .collect();
    let room = budget.saturating_sub(out.len() + tail.len());
    let patch_t = table(
        "Patch coverage by file",
        "| File | Covered | Patch coverage | Uncovered added lines |\n| --- | ---: | ---: | --- |",
        &patch_rows,
        patch_rows.len() as u64,
        room / 3,
    );
    let room = room.saturating_sub(patch_t.len());
    let files_t = table(
        "Coverage of changed files",
        "| File | Base | Now | Change |\n| --- | ---: | ---: | ---: |",
        &file_rows,
        file_rows.len() as u64,
        room / 3,
    );
    let room = room.saturating_sub(files_t.len());
    out.push_str(&patch_t);
    out.push_str(&files_t);
    let worst_t = table(
        "Lowest line coverage",
        "| File | Lines | Coverage |\n| --- | ---: | ---: |",
        &worst,
        worst.len() as u64,
        room / 2,
    );
    let room = room.saturating_sub(worst_t.len());
    let failing_t = table(
        "Failing tests",
        "| Test | Status | Message | Location |\n| --- | --- | --- | --- |",
        &failing,
        v.counts.test_failures,
        room,
    );
    out.push_str(&worst_t);
    out.push_str(&failing_t);
    out.push_str(&tail);
    if out.len() > budget {
        let marker = "\n\n… (cut to fit the size limit; report.json has everything)\n";
        let mut cut = budget.saturating_sub(marker.len());
        while cut > 0 && !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = out[..cut].rfind('\n').unwrap_or(cut);
        out.truncate(cut);
        if budget >= marker.len() {
            out.push_str(marker);
        }
    }
    out
}
