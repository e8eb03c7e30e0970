//! The verdict as a terminal summary. Colour is the caller's decision (only on a TTY or with
//! `FORCE_COLOR`, never with `NO_COLOR`, never in files): see [`use_color`].

use crate::gate::score::{num, round2};
use crate::gate::verdict::{RuleStatus, Verdict};
use std::fmt::Write;

/// Whether to colour: never when `NO_COLOR` is set and non-empty; always when `FORCE_COLOR`
/// is set to anything but `0` or `false`; otherwise only when writing to a terminal.
pub fn use_color(no_color: Option<&str>, force_color: Option<&str>, is_tty: bool) -> bool {
    if no_color.is_some_and(|v| !v.is_empty()) {
        return false;
    }
    match force_color {
        Some(v) if !v.is_empty() => v != "0" && v != "false",
        _ => is_tty,
    }
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31;1", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32;1", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "not measured".into(), |v| num(round2(v)))
}

/// Renders the verdict for a terminal.
pub fn render(v: &Verdict, color: bool) -> String {
    let p = Paint(color);
    let mut s = String::new();
    let head = if v.passed {
        p.green("Quality gate PASSED")
    } else {
        p.red("Quality gate FAILED")
    };
    let _ = writeln!(
        s,
        "{head} for {} ({}): score {} / 100",
        p.bold(&v.environment.name),
        v.environment.reason,
        p.bold(&score(v.score))
    );
    let failed: Vec<_> = v.failed_rules().collect();
    if !failed.is_empty() {
        let _ = writeln!(s, "\nFailed rules:");
        for r in failed {
            let _ = writeln!(s, "  {} {}: {}", p.red("✗"), r.id, r.message);
            for d in r.details.iter().take(10) {
                let loc = match (&d.file, d.line) {
                    (Some(f), Some(l)) if !d.text.starts_with(f.as_str()) => format!("{f}:{l}  "),
                    _ => String::new(),
                };
                let _ = writeln!(s, "      {}{}", p.dim(&loc), d.text);
            }
            if r.details.len() > 10 {
                let _ = writeln!(s, "      … and {} more", r.details.len() - 10);
            }
        }
    }
    let _ = writeln!(s, "\nScores (weight → share after redistribution):");
    for d in &v.dimensions {
        match d.score {
            Some(sc) => {
                let _ = writeln!(
                    s,
                    "  {:<14} {:>6}   weight {}% → {}%",
                    d.dimension.title(),
                    num(sc),
                    num(d.weight),
                    num(d.effective_weight)
                );
                for e in &d.explanation {
                    if e.points == 0.0 {
                        let _ = writeln!(s, "  {:<14} {:>6}   {}", "", "", p.dim(&e.text));
                    } else {
                        let _ = writeln!(s, "  {:<14} {:>6}   {}", "", num(e.points), e.text);
                    }
                }
            }
            None => {
                let _ = writeln!(
                    s,
                    "  {:<14} {}",
                    d.dimension.title(),
                    p.yellow(&format!(
                        "not measured ({}); its weight {}% is shared among the others",
                        d.not_measured.as_deref().unwrap_or("no input"),
                        num(d.weight)
                    ))
                );
            }
        }
    }
    let others: Vec<_> = v
        .rules
        .iter()
        .filter(|r| r.status != RuleStatus::Failed)
        .collect();
    if !others.is_empty() {
        let _ = writeln!(s, "\nOther rules:");
        for r in others {
            let mark = match r.status {
                RuleStatus::Passed => p.green("✓"),
                _ => p.yellow("–"),
            };
            let _ = writeln!(s, "  {mark} {}: {}", r.id, r.message);
        }
    }
    if !v.components.is_empty() {
        let _ = writeln!(s, "\nComponents:");
        for c in &v.components {
            let _ = writeln!(
                s,
                "  {:<16} {} ({}/{} lines in {} file{}){}, {} findings",
                c.name,
                c.line_percent
                    .map_or_else(|| "no coverage".into(), |x| format!("{}%", num(x))),
                c.lines_covered,
                c.lines_total,
                c.files,
                if c.files == 1 { "" } else { "s" },
                c.coverage_threshold
                    .map(|t| format!(", target {}%", num(t)))
                    .unwrap_or_default(),
                c.findings
            );
        }
    }
    if let Some(pc) = &v.patch {
        let _ = writeln!(
            s,
            "\nPatch coverage: {} ({}/{} coverable added lines; {} added in all)",
            pc.percent
                .map_or_else(|| "n/a".into(), |x| format!("{}%", num(round2(x)))),
            pc.covered,
            pc.coverable,
            pc.added
        );
        for f in pc.files.iter().filter(|f| f.coverable > 0) {
            let missing = super::line_ranges(&f.uncovered);
            let _ = writeln!(
                s,
                "  {} {}/{}{}",
                f.path,
                f.covered,
                f.coverable,
                if missing.is_empty() {
                    String::new()
                } else {
                    format!(", uncovered added lines {}", missing.join(","))
                }
            );
        }
    }
    if let Some(n) = v.new_findings {
        let _ = writeln!(
            s,
            "\nNew findings (on added lines or not in the baseline): {n}"
        );
    }
    if let Some(cmp) = &v.comparison {
        let _ = writeln!(
            s,
            "\nCompared with the base{}:",
            cmp.base_commit
                .as_deref()
                .map(|b| format!(" {}", b.get(..12).unwrap_or(b)))
                .unwrap_or_default()
        );
        let f = |x: Option<f64>| x.map_or_else(|| "—".into(), |x| num(round2(x)));
        for m in cmp
            .metrics
            .iter()
            .filter(|m| m.before.is_some() || m.after.is_some())
        {
            let d = match m.delta {
                Some(d) if d > 0.0 => format!("+{}", num(d)),
                Some(d) => num(d),
                None => "—".into(),
            };
            let _ = writeln!(
                s,
                "  {:<16} {:>8} → {:<8} ({d})",
                m.name,
                f(m.before),
                f(m.after)
            );
        }
        for fd in &cmp.files {
            let _ = writeln!(
                s,
                "  file {}: {} → {}",
                fd.path,
                fd.before
                    .map_or_else(|| "—".into(), |x| format!("{}%", num(x))),
                fd.after
                    .map_or_else(|| "—".into(), |x| format!("{}%", num(x)))
            );
        }
        for (what, names, n) in [
            (
                "tests newly failing",
                &cmp.tests_newly_failing,
                cmp.tests_newly_failing_count,
            ),
            (
                "tests newly skipped",
                &cmp.tests_newly_skipped,
                cmp.tests_newly_skipped_count,
            ),
            (
                "findings introduced",
                &cmp.findings_introduced,
                cmp.findings_introduced_count,
            ),
        ] {
            if n > 0 {
                let _ = writeln!(s, "  {what}: {n}");
                for x in names {
                    let _ = writeln!(s, "    {x}");
                }
            }
        }
        if let Some(n) = cmp.tests_removed.filter(|n| *n > 0) {
            let _ = writeln!(s, "  tests removed: {n}");
        }
        if let Some(n) = cmp.findings_fixed.filter(|n| *n > 0) {
            let _ = writeln!(s, "  findings fixed: {n}");
        }
        for n in &cmp.notes {
            let _ = writeln!(s, "  {} {n}", p.yellow("note:"));
        }
    }
    let c = &v.counts;
    let _ = writeln!(s, "\nCounts:");
    if let Some(pc) = c.line_coverage {
        let _ = writeln!(
            s,
            "  coverage  {}% of lines ({}/{}) in {} files",
            num(pc),
            c.lines_covered,
            c.lines_total,
            c.coverage_files
        );
    }
    if c.tests_total > 0 {
        let _ = writeln!(
            s,
            "  tests     {} — {} passed, {} failed, {} errored, {} skipped, {} todo, {} flaky",
            c.tests_total,
            c.tests_passed,
            c.tests_failed,
            c.tests_errored,
            c.tests_skipped,
            c.tests_todo,
            c.tests_flaky
        );
    }
    if c.findings_total > 0 || c.findings_suppressed > 0 {
        let _ = writeln!(
            s,
            "  findings  {} — {} error, {} warning, {} note ({} suppressed, not counted)",
            c.findings_total,
            c.findings_error,
            c.findings_warning,
            c.findings_note,
            c.findings_suppressed
        );
    }
    for n in &v.notes {
        let _ = writeln!(s, "  {} {n}", p.yellow("note:"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::use_color;

    #[test]
    fn colour_decision() {
        assert!(!use_color(Some("1"), Some("1"), true));
        assert!(use_color(Some(""), Some("1"), false));
        assert!(!use_color(None, Some("0"), true));
        assert!(use_color(None, None, true));
        assert!(!use_color(None, None, false));
    }
}
