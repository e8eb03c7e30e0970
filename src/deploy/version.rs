//! The version and the environment a `v*` tag deploys to.
//!
//! A release tag is `v` followed by a semantic version (`v1.2.3`, `v1.2.3-rc.1`,
//! `v1.2.3+build.5`). A release version deploys to the release environment (`production`);
//! a prerelease to the environment its first prerelease identifier is mapped to, else to the
//! prerelease environment (`staging`).

use std::collections::BTreeMap;

/// A release tag that is not `v` + a semantic version.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VersionError {
    /// The tag does not start with the prefix.
    #[error(
        "tag `{tag}` is not a release tag: expected `{prefix}` followed by a semantic version, like `{prefix}1.2.3` or `{prefix}1.2.3-rc.1`"
    )]
    NoPrefix {
        /// The tag as given.
        tag: String,
        /// The prefix expected (`v`).
        prefix: String,
    },
    /// What follows the prefix is not a semantic version.
    #[error(
        "tag `{tag}`: `{rest}` is not a semantic version (expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], numbers without leading zeros): {reason}"
    )]
    NotSemver {
        /// The tag as given.
        tag: String,
        /// The part after the prefix.
        rest: String,
        /// semver's explanation.
        reason: String,
    },
}

/// A parsed release tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The tag name (`v1.2.3-rc.1`), without `refs/tags/`.
    pub tag: String,
    /// The semantic version (`1.2.3-rc.1`).
    pub semver: semver::Version,
}

impl Version {
    /// Parses a tag name or a full ref (`refs/tags/v1.2.3`) with the given prefix (`v`).
    pub fn parse(tag: &str, prefix: &str) -> Result<Version, VersionError> {
        let tag = tag.trim();
        let tag = tag.strip_prefix("refs/tags/").unwrap_or(tag);
        let Some(rest) = tag.strip_prefix(prefix) else {
            return Err(VersionError::NoPrefix {
                tag: tag.to_string(),
                prefix: prefix.to_string(),
            });
        };
        match semver::Version::parse(rest) {
            Ok(semver) => Ok(Version {
                tag: tag.to_string(),
                semver,
            }),
            Err(e) => Err(VersionError::NotSemver {
                tag: tag.to_string(),
                rest: rest.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// Whether the version has a prerelease part (`-rc.1`).
    pub fn is_prerelease(&self) -> bool {
        !self.semver.pre.is_empty()
    }

    /// The version without the prefix (`1.2.3-rc.1`).
    pub fn number(&self) -> String {
        self.semver.to_string()
    }
}

/// Which environment a version deploys to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentMap {
    /// Environment of release versions.
    pub release: String,
    /// Environment of prerelease versions whose identifier is not in `by_identifier`.
    pub prerelease: String,
    /// Environment per first prerelease identifier (`rc` → `staging`, `beta` → `qa`).
    pub by_identifier: BTreeMap<String, String>,
}

impl Default for EnvironmentMap {
    fn default() -> Self {
        EnvironmentMap {
            release: "production".into(),
            prerelease: "staging".into(),
            by_identifier: BTreeMap::new(),
        }
    }
}

impl EnvironmentMap {
    /// Adds `IDENT=ENV` mappings; an item without `=` is an error naming it.
    pub fn with_mappings(mut self, items: &[String]) -> Result<Self, String> {
        for item in items {
            let Some((k, v)) = item.split_once('=') else {
                return Err(format!(
                    "`{item}`: expected PRERELEASE_IDENTIFIER=ENVIRONMENT, like rc=staging"
                ));
            };
            let (k, v) = (k.trim(), v.trim());
            if k.is_empty() || v.is_empty() {
                return Err(format!(
                    "`{item}`: expected PRERELEASE_IDENTIFIER=ENVIRONMENT, like rc=staging"
                ));
            }
            self.by_identifier.insert(k.to_string(), v.to_string());
        }
        Ok(self)
    }

    /// The environment `v` deploys to.
    pub fn environment(&self, v: &Version) -> &str {
        if !v.is_prerelease() {
            return &self.release;
        }
        // The first identifier, up to the first dot: `rc` of `rc.1`.
        let first = v.semver.pre.as_str().split('.').next().unwrap_or("");
        // `rc1` maps like `rc`: the identifier without trailing digits.
        let alpha = first.trim_end_matches(|c: char| c.is_ascii_digit());
        self.by_identifier
            .get(first)
            .or_else(|| self.by_identifier.get(alpha))
            .unwrap_or(&self.prerelease)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_and_prerelease_tags() {
        let v = Version::parse("v1.2.3", "v").unwrap();
        assert!(!v.is_prerelease());
        assert_eq!(v.number(), "1.2.3");
        let m = EnvironmentMap::default();
        assert_eq!(m.environment(&v), "production");
        let rc = Version::parse("refs/tags/v1.2.3-rc.1", "v").unwrap();
        assert_eq!(rc.tag, "v1.2.3-rc.1");
        assert!(rc.is_prerelease());
        assert_eq!(m.environment(&rc), "staging");
        let m = m
            .with_mappings(&["beta=qa".into(), "rc=preprod".into()])
            .unwrap();
        assert_eq!(m.environment(&rc), "preprod");
        let b = Version::parse("v2.0.0-beta2+sha.5114f85", "v").unwrap();
        assert_eq!(m.environment(&b), "qa");
        let a = Version::parse("v2.0.0-alpha", "v").unwrap();
        assert_eq!(m.environment(&a), "staging");
        assert!(
            EnvironmentMap::default()
                .with_mappings(&["rc".into()])
                .is_err()
        );
    }

    #[test]
    fn invalid_tags_say_what_was_expected() {
        for bad in [
            "1.2.3",
            "release-1",
            "v1.2",
            "v01.2.3",
            "v1.2.3-",
            "v",
            "vx.y.z",
        ] {
            let e = Version::parse(bad, "v").unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
            assert!(
                e.contains("1.2.3") || e.contains("MAJOR.MINOR.PATCH"),
                "{e}"
            );
        }
    }
}
