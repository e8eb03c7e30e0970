//! Check-run annotations from report.json: every failing test with a location, then the
//! error findings, then the added lines no test ran (the verdict's patch coverage), then the
//! other findings (warnings before notes, critical and high severities first within a level);
//! suppressed findings and those without a file are left out.

use crate::gate::verdict::{FailingTest, Verdict};
use serde::Deserialize;
use serde_json::{Value, json};

/// Annotations sent at most by default (100 requests of 50).
pub const DEFAULT_MAX: usize = 5000;

/// GitHub's limits on an annotation's title (characters) and message (bytes).
const TITLE_MAX: usize = 255;
const MESSAGE_MAX: usize = 60 * 1024;

/// The parts of report.json publishing reads.
#[derive(Debug, Deserialize)]
pub struct ReportIn {
    /// The decision.
    pub verdict: Verdict,
    /// `commit`.
    #[serde(default)]
    pub commit: Option<String>,
    /// `ref`.
    #[serde(default, rename = "ref")]
    pub git_ref: Option<String>,
    /// `tests`.
    #[serde(default)]
    pub tests: Option<TestsIn>,
    /// `findings`.
    #[serde(default)]
    pub findings: Option<FindingsIn>,
    /// `baseline`: the run's digest.
    #[serde(default)]
    pub baseline: Option<String>,
}

/// `tests` of report.json.
#[derive(Debug, Deserialize)]
pub struct TestsIn {
    /// Every failing test.
    #[serde(default)]
    pub failing: Vec<FailingTest>,
}

/// `findings` of report.json.
#[derive(Debug, Deserialize)]
pub struct FindingsIn {
    /// Every finding.
    #[serde(default)]
    pub items: Vec<FindingIn>,
}

/// One finding of report.json.
#[derive(Debug, Deserialize)]
pub struct FindingIn {
    /// Tool.
    pub tool: String,
    /// Rule.
    #[serde(default)]
    pub rule: Option<String>,
    /// Level.
    pub level: String,
    /// Severity.
    #[serde(default)]
    pub severity: Option<String>,
    /// File.
    #[serde(default)]
    pub path: Option<String>,
    /// Line.
    #[serde(default)]
    pub line: Option<u32>,
    /// Message.
    pub message: String,
    /// Suppressed.
    #[serde(default)]
    pub suppressed: bool,
}

/// One check-run annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Repository-relative file.
    pub path: String,
    /// First line.
    pub start_line: u32,
    /// Last line.
    pub end_line: u32,
    /// `failure`, `warning` or `notice`.
    pub level: &'static str,
    /// Title.
    pub title: String,
    /// Message.
    pub message: String,
}

impl Annotation {
    /// The API's JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level,
            "title": cut(&self.title, TITLE_MAX),
            "message": cut_bytes(&self.message, MESSAGE_MAX),
        })
    }
}

fn cut(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max_chars - 1).collect();
        t.push('…');
        t
    }
}

fn cut_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max - 3;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn severity_rank(s: Option<&str>) -> u8 {
    match s {
        Some("critical") => 0,
        Some("high") => 1,
        Some("medium") => 2,
        Some("low") => 3,
        _ => 4,
    }
}

/// Every annotation of a report, most important first.
pub fn collect(r: &ReportIn) -> Vec<Annotation> {
    let mut out = Vec::new();
    if let Some(t) = &r.tests {
        for f in &t.failing {
            let Some(path) = &f.file else { continue };
            let line = f.line.unwrap_or(1).max(1);
            out.push(Annotation {
                path: path.clone(),
                start_line: line,
                end_line: line,
                level: "failure",
                title: format!("Test {}: {}", f.status, f.name),
                message: f
                    .message
                    .clone()
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or_else(|| format!("{} ({}) {}", f.name, f.suite, f.status)),
            });
        }
    }
    let mut added = false;
    if let Some(fs) = &r.findings {
        let mut items: Vec<&FindingIn> = fs
            .items
            .iter()
            .filter(|f| !f.suppressed && f.path.is_some())
            .collect();
        let level_rank = |l: &str| match l {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        // Stable: report order within a rank.
        items.sort_by_key(|f| (level_rank(&f.level), severity_rank(f.severity.as_deref())));
        let errors = items.iter().take_while(|f| f.level == "error").count();
        for (i, f) in items.into_iter().enumerate() {
            if i == errors {
                uncovered_added_lines(&r.verdict, &mut out);
                added = true;
            }
            let line = f.line.unwrap_or(1).max(1);
            let title = match &f.rule {
                Some(r) => format!("{} {r}", f.tool),
                None => f.tool.clone(),
            };
            out.push(Annotation {
                path: f.path.clone().unwrap_or_default(),
                start_line: line,
                end_line: line,
                level: match f.level.as_str() {
                    "error" => "failure",
                    "warning" => "warning",
                    _ => "notice",
                },
                title,
                message: if f.message.trim().is_empty() {
                    "(no message)".into()
                } else {
                    f.message.clone()
                },
            });
        }
    }
    if !added {
        uncovered_added_lines(&r.verdict, &mut out);
    }
    out
}

/// One warning per run of added lines that coverage lists and no test ran (the verdict's
/// patch coverage, which the gate computed from the changed lines).
fn uncovered_added_lines(v: &Verdict, out: &mut Vec<Annotation>) {
    let Some(p) = &v.patch else { return };
    for f in &p.files {
        for &[start, end] in &f.uncovered {
            let what = if start == end {
                format!("Line {start} is")
            } else {
                format!("Lines {start}-{end} are")
            };
            out.push(Annotation {
                path: f.path.clone(),
                start_line: start,
                end_line: end,
                level: "warning",
                title: "Added lines not covered by tests".into(),
                message: format!("{what} added by this change and no test ran them."),
            });
        }
    }
}
