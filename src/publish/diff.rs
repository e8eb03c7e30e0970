//! Changed lines of a pull request (its files' patches, from the API) and the annotations for
//! those that coverage says no test ran.

use super::annotations::Annotation;
use crate::github::{Client, GitHubError};
use crate::model::Coverage;
use serde_json::Value;
use std::collections::BTreeMap;

/// The new-file line numbers of the lines a unified-diff patch adds.
pub fn added_lines(patch: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut line: Option<u32> = None;
    for l in patch.lines() {
        if let Some(rest) = l.strip_prefix("@@") {
            // @@ -a,b +c,d @@
            line = rest
                .split_whitespace()
                .find_map(|p| p.strip_prefix('+'))
                .and_then(|p| p.split(',').next())
                .and_then(|n| n.parse().ok());
            continue;
        }
        let Some(n) = line.as_mut() else { continue };
        if l.starts_with('+') {
            out.push(*n);
            *n += 1;
        } else if l.starts_with('-') || l.starts_with('\\') {
            // Removed lines and "\ No newline at end of file" do not advance the new file.
        } else {
            *n += 1;
        }
    }
    out
}

/// Every file of the pull request with the lines it adds (files without a patch, e.g.
/// binary or too large, are left out).
pub async fn changed_lines(c: &Client, pr: u64) -> Result<BTreeMap<String, Vec<u32>>, GitHubError> {
    let files = c
        .get_all(&c.repo_path(&format!("/pulls/{pr}/files")), None)
        .await?;
    let mut out = BTreeMap::new();
    for f in files {
        let (Some(name), Some(patch)) = (
            f.get("filename").and_then(Value::as_str),
            f.get("patch").and_then(Value::as_str),
        ) else {
            continue;
        };
        let lines = added_lines(patch);
        if !lines.is_empty() {
            out.insert(name.to_string(), lines);
        }
    }
    Ok(out)
}

/// One warning per run of consecutive changed lines that are coverable and were never hit.
pub fn uncovered(changed: &BTreeMap<String, Vec<u32>>, cov: &Coverage) -> Vec<Annotation> {
    let mut out = Vec::new();
    for (path, lines) in changed {
        let Some(fc) = cov.files.get(path) else {
            continue;
        };
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for &l in lines {
            if fc.lines.get(l) != Some(0) {
                continue;
            }
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == l => *end = l,
                _ => runs.push((l, l)),
            }
        }
        for (start, end) in runs {
            let what = if start == end {
                format!("Line {start} is")
            } else {
                format!("Lines {start}-{end} are")
            };
            out.push(Annotation {
                path: path.clone(),
                start_line: start,
                end_line: end,
                level: "warning",
                title: "Changed lines not covered by tests".into(),
                message: format!("{what} changed in this pull request and no test ran them."),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_lines() {
        // Two hunks: the second starts at new line 20; context and removals as in git.
        let p = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -18,2 +20,3 @@ fn x()\n d\n+e\n\\ No newline at end of file";
        assert_eq!(added_lines(p), vec![2, 3, 21]);
    }
}
