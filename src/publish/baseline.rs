//! The baseline in shipgate's own check runs: the digest is written last in `output.text`
//! ([`text`]), and read back from the newest completed run of the same gate on the base
//! commit ([`fetch`]), so a later run compares itself without a server or a data branch.

use crate::gate::baseline::{Baseline, BaselineError};
use crate::github::{Client, GitHubError};
use serde_json::Value;

/// The most characters GitHub keeps in `output.text`.
pub const TEXT_MAX: usize = 65_535;

/// `output.text`: the human-readable `note` first, then a rule and the digest (an HTML
/// comment, hidden by Markdown) last, within [`TEXT_MAX`] characters. The note is cut (on a
/// character boundary, with an ellipsis) when both do not fit; the digest never is.
pub fn text(note: &str, digest: Option<&str>) -> String {
    let Some(d) = digest.filter(|d| !d.is_empty()) else {
        return cut(note, TEXT_MAX);
    };
    if note.is_empty() {
        return cut(d, TEXT_MAX);
    }
    let sep = "\n\n";
    let room = TEXT_MAX.saturating_sub(d.chars().count() + sep.len());
    if room < 2 {
        return cut(d, TEXT_MAX);
    }
    format!("{}{sep}{d}", cut(note, room))
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// What the base commit's check runs held.
#[derive(Debug)]
pub enum Fetched {
    /// A digest, from the run with this id.
    Found(Box<Baseline>, u64),
    /// No completed run of the gate on the commit (or GitHub does not know the commit).
    NoRun,
    /// Completed runs, none with a digest (published by an older shipgate, or aborted).
    NoDigest(usize),
    /// A digest this shipgate cannot read (another version, damaged): skipped.
    Unreadable(u64, BaselineError),
}

/// The newest completed check run named `gate` on `sha` that carries a digest, decoded:
/// `GET /repos/{o}/{r}/commits/{sha}/check-runs?check_name=…&status=completed&filter=all`
/// (one request unless there are over 100 runs). Runs are taken newest first (by
/// `completed_at`, then id); a run without a digest is passed over, a damaged or foreign
/// digest in the newest run that has one is reported, not replaced by an older one.
pub async fn fetch(c: &Client, sha: &str, gate: &str) -> Result<Fetched, GitHubError> {
    let path = c.repo_path(&format!(
        "/commits/{sha}/check-runs?check_name={}&status=completed&filter=all",
        super::checks::encode(gate)
    ));
    let runs = match c.get_all(&path, Some("check_runs")).await {
        Ok(r) => r,
        // GitHub answers 422 for a commit it does not have: a base never pushed.
        Err(GitHubError::Validation { .. }) => return Ok(Fetched::NoRun),
        Err(e) => return Err(e),
    };
    Ok(pick(&runs, gate))
}

/// [`fetch`]'s choice among the listed runs.
pub fn pick(runs: &[Value], gate: &str) -> Fetched {
    let mut done: Vec<&Value> = runs
        .iter()
        .filter(|r| r.get("name").and_then(Value::as_str) == Some(gate))
        .filter(|r| r.get("status").and_then(Value::as_str) == Some("completed"))
        .collect();
    if done.is_empty() {
        return Fetched::NoRun;
    }
    let key = |r: &Value| {
        (
            r.get("completed_at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            r.get("id").and_then(Value::as_u64).unwrap_or(0),
        )
    };
    done.sort_by_key(|r| std::cmp::Reverse(key(r)));
    for r in &done {
        let Some(t) = r.pointer("/output/text").and_then(Value::as_str) else {
            continue;
        };
        if !t.contains("<!-- shipgate-baseline:") {
            continue;
        }
        let id = r.get("id").and_then(Value::as_u64).unwrap_or(0);
        return match Baseline::decode(t) {
            Ok(b) => Fetched::Found(Box::new(b), id),
            Err(e) => Fetched::Unreadable(id, e),
        };
    }
    Fetched::NoDigest(done.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::baseline::MARKER;
    use serde_json::json;

    #[test]
    fn text_keeps_the_digest_last_and_whole() {
        let d = format!("{MARKER}{} -->", "A".repeat(59_990));
        let note = "n".repeat(10_000);
        let t = text(&note, Some(&d));
        assert_eq!(t.chars().count(), TEXT_MAX);
        assert!(t.ends_with(&d));
        assert!(t.starts_with("nnn"));
        assert!(t.contains("…\n\n<!--"));
        assert_eq!(text("short", Some("D")), "short\n\nD");
        assert_eq!(text("", Some("D")), "D");
        assert_eq!(text("only", None), "only");
        // Multi-byte characters count as one each, as GitHub counts them.
        let t = text(&"é".repeat(70_000), None);
        assert_eq!(t.chars().count(), TEXT_MAX);
    }

    #[test]
    fn pick_takes_the_newest_completed_run_with_a_digest() {
        let mut b = Baseline::default();
        b.header.score = Some(80.0);
        let old = {
            let mut o = b.clone();
            o.header.score = Some(70.0);
            o.encode()
        };
        let runs = vec![
            json!({"id": 1, "name": "shipgate", "status": "completed", "completed_at": "2026-01-01T00:00:00Z", "output": {"text": old}}),
            json!({"id": 2, "name": "shipgate", "status": "completed", "completed_at": "2026-01-02T00:00:00Z", "output": {"text": format!("note\n\n{}", b.encode())}}),
            json!({"id": 3, "name": "shipgate", "status": "completed", "completed_at": "2026-01-03T00:00:00Z", "output": {"text": null}}),
            json!({"id": 4, "name": "shipgate", "status": "in_progress", "completed_at": null, "output": {"text": null}}),
            json!({"id": 5, "name": "other", "status": "completed", "completed_at": "2026-01-04T00:00:00Z", "output": {"text": old}}),
        ];
        match pick(&runs, "shipgate") {
            Fetched::Found(got, 2) => assert_eq!(got.header.score, Some(80.0)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            pick(&runs[2..4], "shipgate"),
            Fetched::NoDigest(1)
        ));
        assert!(matches!(pick(&runs[3..], "shipgate"), Fetched::NoRun));
        let v2 = vec![
            json!({"id": 9, "name": "shipgate", "status": "completed", "completed_at": "2026-01-05T00:00:00Z", "output": {"text": "<!-- shipgate-baseline:v99:AAAA -->"}}),
        ];
        assert!(matches!(
            pick(&v2, "shipgate"),
            Fetched::Unreadable(9, BaselineError::Version(99))
        ));
        let bad = vec![
            json!({"id": 8, "name": "shipgate", "status": "completed", "completed_at": "2026-01-05T00:00:00Z", "output": {"text": format!("{MARKER}!!! -->")}}),
        ];
        assert!(matches!(
            pick(&bad, "shipgate"),
            Fetched::Unreadable(8, BaselineError::Base64(_))
        ));
    }
}
