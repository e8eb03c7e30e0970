//! The section of a Keep a Changelog file for one version: the release body.
//!
//! Version headings are level-2 ATX headings: `## [1.2.3] - 2024-05-01`, `## 1.2.3`,
//! `## [v1.2.3]`, `## v1.2.3 (2024-05-01)`. A section runs to the next level-1 or level-2
//! heading; link reference definitions (`[1.2.3]: https://...`) at its end are left out.
//! Fenced code blocks are skipped when looking for headings.

/// Why no section could be taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChangelogError {
    /// No heading names the version.
    #[error(
        "{file}: no section for version {version} (expected a heading like `## [{version}] - YYYY-MM-DD`; found: {found})"
    )]
    NoSection {
        /// The changelog file.
        file: String,
        /// The version looked for.
        version: String,
        /// The versions the file has, for the message.
        found: String,
    },
}

/// One level-2 heading and the version it names.
fn heading_version(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("## ")?.trim_start();
    let rest = rest.strip_prefix('[').unwrap_or(rest);
    let end = rest
        .find(|c: char| c == ']' || c.is_whitespace())
        .unwrap_or(rest.len());
    let v = &rest[..end];
    Some(v.strip_prefix('v').unwrap_or(v))
}

/// The body of the section for `version` (`1.2.3` or `v1.2.3`), trimmed.
pub fn section(text: &str, version: &str, file: &str) -> Result<String, ChangelogError> {
    let want = version.strip_prefix('v').unwrap_or(version);
    let mut in_fence = false;
    let mut found: Vec<String> = Vec::new();
    let mut body: Option<Vec<&str>> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let is_heading = !in_fence && (line.starts_with("## ") || line.starts_with("# "));
        if is_heading {
            if body.is_some() {
                break;
            }
            if let Some(v) = heading_version(line) {
                if v.eq_ignore_ascii_case(want) {
                    body = Some(Vec::new());
                    continue;
                }
                found.push(v.to_string());
            }
        }
        if let Some(b) = body.as_mut() {
            b.push(line);
        }
    }
    let Some(mut lines) = body else {
        let found = if found.is_empty() {
            "no version headings".to_string()
        } else {
            found.join(", ")
        };
        return Err(ChangelogError::NoSection {
            file: file.to_string(),
            version: want.to_string(),
            found,
        });
    };
    // Trailing link reference definitions and blank lines belong to the file, not the section.
    while let Some(last) = lines.last() {
        let l = last.trim();
        if l.is_empty() || is_link_definition(l) {
            lines.pop();
        } else {
            break;
        }
    }
    Ok(lines.join("\n").trim().to_string())
}

fn is_link_definition(l: &str) -> bool {
    l.starts_with('[')
        && l.find("]:")
            .is_some_and(|i| !l[1..i].contains(']') && l[i + 2..].trim_start().contains("://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of keepachangelog.com 1.1.0, shortened.
    const KAC: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n\
## [Unreleased]\n\n### Added\n\n- v1.1 Brazilian Portuguese translation.\n\n\
## [1.1.1] - 2023-03-05\n\n### Added\n\n- Arabic translation (#444).\n\n```\n## not a heading\n```\n\n### Fixed\n\n- Improve French translation (#377).\n\n\
## [1.1.0] - 2019-02-15\n\n### Added\n\n- Danish translation (#297).\n\n\
[unreleased]: https://github.com/olivierlacan/keep-a-changelog/compare/v1.1.1...HEAD\n\
[1.1.1]: https://github.com/olivierlacan/keep-a-changelog/compare/v1.1.0...v1.1.1\n\
[1.1.0]: https://github.com/olivierlacan/keep-a-changelog/compare/v1.0.0...v1.1.0\n";

    #[test]
    fn takes_the_section_of_a_version() {
        assert_eq!(
            section(KAC, "v1.1.1", "CHANGELOG.md").unwrap(),
            "### Added\n\n- Arabic translation (#444).\n\n```\n## not a heading\n```\n\n### Fixed\n\n- Improve French translation (#377)."
        );
        assert_eq!(
            section(KAC, "1.1.0", "CHANGELOG.md").unwrap(),
            "### Added\n\n- Danish translation (#297)."
        );
        let plain = "## v2.0.0-rc.1 (2024-01-01)\n\n- first\n## 1.0.0\n- old\n";
        assert_eq!(section(plain, "v2.0.0-rc.1", "C").unwrap(), "- first");
    }

    #[test]
    fn a_missing_version_names_what_is_there() {
        let e = section(KAC, "v9.9.9", "CHANGELOG.md")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("CHANGELOG.md: no section for version 9.9.9"),
            "{e}"
        );
        assert!(e.contains("Unreleased, 1.1.1, 1.1.0"), "{e}");
    }
}
