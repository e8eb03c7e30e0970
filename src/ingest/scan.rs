//! What the security-scanner readers share: severity bands and CVSS v3 base scores, the line
//! of a package in the lockfile that brought it in, the Dockerfile an image scan points at,
//! and the Markdown help of an advisory.
//!
//! Package and image findings name no line of the repository: the scanners say which package,
//! in which lockfile or image, and their own SARIF points at line 1 of that lockfile, or of a
//! path inside the image that does not exist in the repository. Here a dependency finding
//! points at the lockfile line that declares the package (found by reading the lockfile, at
//! most [`MAX_MANIFEST_BYTES`] of it, once per file however many findings it has), and an
//! image finding at the last `FROM` line of the repository's Dockerfile when there is exactly
//! one.

use super::Ctx;
use crate::model::{Finding, Location, Severity};
use std::collections::BTreeMap;
use std::io::Read;

/// Largest lockfile or Dockerfile read to find a line in (larger ones keep line 1).
pub const MAX_MANIFEST_BYTES: u64 = 8 << 20;

/// A CVSS base score as a band: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low. A score of 0 or
/// less, or not a number, is no score (scanners write 0 where they have none).
pub fn band(score: f64) -> Option<Severity> {
    if !score.is_finite() || score <= 0.0 {
        return None;
    }
    Some(if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else {
        Severity::Low
    })
}

/// A scanner's severity word (any case): critical, high, medium/moderate, low;
/// info/informational/negligible/unknown/none are `Info`. Other words are no severity.
pub fn severity_word(word: &str) -> Option<Severity> {
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" | "error" => Severity::High,
        "medium" | "moderate" | "warning" => Severity::Medium,
        "low" => Severity::Low,
        "info" | "informational" | "negligible" | "unknown" | "none" => Severity::Info,
        _ => return None,
    })
}

/// The CVSS v3.0/v3.1 base score of a vector (`CVSS:3.1/AV:N/AC:L/...`), computed with the
/// specification's formula and its round-up; `None` for other versions or a malformed vector.
pub fn cvss3_score(vector: &str) -> Option<f64> {
    let mut parts = vector.trim().split('/');
    let version = parts.next()?;
    if version != "CVSS:3.0" && version != "CVSS:3.1" {
        return None;
    }
    let mut m: BTreeMap<&str, &str> = BTreeMap::new();
    for p in parts {
        let (k, v) = p.split_once(':')?;
        m.insert(k, v);
    }
    let scope_changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (*m.get("PR")?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02_f64).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return Some(0.0);
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    let raw = if scope_changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(round_up(raw))
}

/// CVSS v3.1 `Roundup`: the smallest one-decimal number ≥ x, computed on integers so that
/// floating-point noise (4.000000001) does not round up.
fn round_up(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

/// `CWE-79` from `79`, `"79"`, `"CWE-79"` or `"CWE-79: Improper Neutralization..."`.
pub fn cwe_id(raw: &str) -> Option<String> {
    let t = raw.trim();
    let rest = t
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("cwe-"))
        .map_or(t, |_| &t[4..]);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("CWE-{digits}"))
}

/// Escapes a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Remediation help for a package advisory, Markdown: the package table, what to upgrade to,
/// the advisory link and the description.
pub struct AdvisoryHelp<'a> {
    /// Advisory id (`CVE-2019-1549`, `GHSA-...`, `RUSTSEC-...`).
    pub id: &'a str,
    /// Package name.
    pub package: &'a str,
    /// Installed version, where known.
    pub installed: Option<&'a str>,
    /// Fixed versions as the scanner writes them.
    pub fixed: Option<&'a str>,
    /// Severity word as the scanner writes it.
    pub severity: Option<&'a str>,
    /// Advisory link.
    pub link: Option<&'a str>,
    /// Extra remediation sentence (npm's `fixAvailable`), Markdown.
    pub remedy: Option<String>,
    /// Description, Markdown or text.
    pub description: Option<&'a str>,
}

impl AdvisoryHelp<'_> {
    /// The Markdown text.
    pub fn markdown(&self) -> String {
        let mut s = format!("**{}**", self.id);
        if let Some(sev) = self.severity.filter(|s| !s.is_empty()) {
            s.push_str(&format!(" ({})", cell(sev)));
        }
        s.push_str("\n\n| Package | Installed version | Fixed version |\n| --- | --- | --- |\n");
        s.push_str(&format!(
            "| {} | {} | {} |\n\n",
            cell(self.package),
            cell(self.installed.unwrap_or("-")),
            cell(self.fixed.filter(|f| !f.is_empty()).unwrap_or("none yet"))
        ));
        match self.fixed.filter(|f| !f.is_empty()) {
            Some(f) => s.push_str(&format!(
                "Remediation: upgrade `{}` to {}.\n",
                self.package, f
            )),
            None => s.push_str(&format!(
                "Remediation: no fixed version of `{}` is known yet; remove or replace the \
                 dependency, or accept the risk.\n",
                self.package
            )),
        }
        if let Some(r) = &self.remedy {
            s.push_str(r);
            s.push('\n');
        }
        if let Some(l) = self.link.filter(|l| !l.is_empty()) {
            s.push_str(&format!("\nAdvisory: [{}]({})\n", self.id, l));
        }
        if let Some(d) = self.description.map(str::trim).filter(|d| !d.is_empty()) {
            s.push('\n');
            s.push_str(d);
            s.push('\n');
        }
        super::json::clip(s)
    }
}

/// Findings waiting for the line of their package in a lockfile: filled in one pass per file.
#[derive(Default)]
pub struct PackageLines {
    /// Repository path → (finding index, package name, version).
    wanted: BTreeMap<String, Vec<(usize, String, Option<String>)>>,
}

impl PackageLines {
    /// Asks for the line of `name` (at `version`) in the lockfile `manifest` (repository path)
    /// for finding `index`, whose location is already set to that file at line 1.
    pub fn want(&mut self, index: usize, manifest: &str, name: &str, version: Option<&str>) {
        self.wanted.entry(manifest.to_string()).or_default().push((
            index,
            name.to_string(),
            version.map(str::to_string),
        ));
    }

    /// Reads each lockfile once and sets the lines found; the others stay at line 1.
    pub fn fill(self, items: &mut [Finding], ctx: &Ctx) {
        for (manifest, wanted) in self.wanted {
            let Some(text) = read_repo_file(ctx, &manifest) else {
                continue;
            };
            let index = LineIndex::new(&text);
            let kind = ManifestKind::of(&manifest);
            let folded = kind.case_insensitive().then(|| fold_python(&text));
            let mut memo: BTreeMap<(String, Option<String>), Option<u32>> = BTreeMap::new();
            for (i, name, version) in wanted {
                let key = (name, version);
                let line = *memo.entry(key.clone()).or_insert_with(|| {
                    find_package(
                        &text,
                        folded.as_deref(),
                        &index,
                        kind,
                        &key.0,
                        key.1.as_deref(),
                    )
                });
                if let (Some(line), Some(f)) = (line, items.get_mut(i))
                    && let Some(loc) = f.location.as_mut()
                {
                    loc.line = line;
                }
            }
        }
    }
}

/// The lines declaring each of `wanted` (name, version) in the lockfile `manifest`, read
/// once; `None` when the file is not in the repository or too large.
pub fn lines_in(
    ctx: &Ctx,
    manifest: &str,
    wanted: &[(&str, Option<&str>)],
) -> Option<Vec<Option<u32>>> {
    let text = read_repo_file(ctx, manifest)?;
    let index = LineIndex::new(&text);
    let kind = ManifestKind::of(manifest);
    let folded = kind.case_insensitive().then(|| fold_python(&text));
    Some(
        wanted
            .iter()
            .map(|(n, v)| find_package(&text, folded.as_deref(), &index, kind, n, *v))
            .collect(),
    )
}

/// A repository file's bytes, when it exists and is at most [`MAX_MANIFEST_BYTES`].
fn read_repo_file(ctx: &Ctx, rel: &str) -> Option<Vec<u8>> {
    if rel.is_empty() || !ctx.paths.exists(rel) {
        return None;
    }
    let path = std::path::Path::new(ctx.paths.root()).join(rel);
    let file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let mut out = Vec::new();
    file.take(MAX_MANIFEST_BYTES).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Byte offsets of line starts, for offset → line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }

    /// Bytes of 0-based line `n`.
    fn line<'t>(&self, text: &'t [u8], n: usize) -> &'t [u8] {
        let start = self.starts.get(n).copied().unwrap_or(text.len());
        let end = self
            .starts
            .get(n + 1)
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        text.get(start..end).unwrap_or_default()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ManifestKind {
    NpmLock,
    YarnLock,
    PnpmLock,
    CargoLock,
    TomlLock,
    PipfileLock,
    Requirements,
    GemfileLock,
    ComposerLock,
    GoMod,
    Pom,
    Other,
}

impl ManifestKind {
    fn of(path: &str) -> Self {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        match name.as_str() {
            "package-lock.json" | "npm-shrinkwrap.json" => ManifestKind::NpmLock,
            "yarn.lock" => ManifestKind::YarnLock,
            "pnpm-lock.yaml" => ManifestKind::PnpmLock,
            "cargo.lock" => ManifestKind::CargoLock,
            "poetry.lock" | "uv.lock" | "pylock.toml" | "pdm.lock" => ManifestKind::TomlLock,
            "pipfile.lock" => ManifestKind::PipfileLock,
            "gemfile.lock" => ManifestKind::GemfileLock,
            "composer.lock" | "installed.json" => ManifestKind::ComposerLock,
            "go.mod" | "go.sum" => ManifestKind::GoMod,
            "pom.xml" => ManifestKind::Pom,
            n if n.ends_with(".txt") || n.ends_with(".in") || n == "pyproject.toml" => {
                ManifestKind::Requirements
            }
            _ => ManifestKind::Other,
        }
    }

    /// Python package names compare case-insensitively, `-`, `_` and `.` alike (PEP 503).
    fn case_insensitive(self) -> bool {
        matches!(
            self,
            ManifestKind::TomlLock | ManifestKind::PipfileLock | ManifestKind::Requirements
        )
    }
}

/// Lower case, and `_`/`.` as `-`, byte for byte (offsets unchanged).
fn fold_python(text: &[u8]) -> Vec<u8> {
    text.iter()
        .map(|b| match b.to_ascii_lowercase() {
            b'_' | b'.' => b'-',
            c => c,
        })
        .collect()
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// The 1-based line declaring `name` in a lockfile: the first place a needle for this kind of
/// file matches whose line or the next three hold `version`; else the first match at all.
fn find_package(
    text: &[u8],
    folded: Option<&[u8]>,
    index: &LineIndex,
    kind: ManifestKind,
    name: &str,
    version: Option<&str>,
) -> Option<u32> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let (hay, key) = match folded {
        Some(f) => (
            f,
            String::from_utf8_lossy(&fold_python(name.as_bytes())).into_owned(),
        ),
        None => (text, name.to_string()),
    };
    let needles: Vec<String> = match kind {
        ManifestKind::NpmLock => vec![
            format!("\"node_modules/{key}\""),
            format!("/node_modules/{key}\""),
            format!("\"{key}\": {{"),
        ],
        ManifestKind::YarnLock => vec![
            format!("\n{key}@"),
            format!("\n\"{key}@"),
            format!(", {key}@"),
            format!(", \"{key}@"),
        ],
        ManifestKind::PnpmLock => vec![
            format!("/{key}@"),
            format!(" {key}@"),
            format!("'{key}@"),
            format!("/{key}/"),
        ],
        ManifestKind::CargoLock | ManifestKind::TomlLock => vec![format!("name = \"{key}\"")],
        ManifestKind::PipfileLock => vec![format!("\"{key}\": {{")],
        ManifestKind::GemfileLock => vec![format!("    {key} (")],
        ManifestKind::ComposerLock => vec![format!("\"name\": \"{key}\"")],
        ManifestKind::Pom => {
            let artifact = key.rsplit(':').next().unwrap_or(&key);
            vec![format!("<artifactId>{artifact}</artifactId>")]
        }
        ManifestKind::GoMod | ManifestKind::Requirements | ManifestKind::Other => {
            vec![format!("\"{key}\""), key.clone()]
        }
    };
    let mut first: Option<usize> = None;
    for needle in &needles {
        for pos in memchr::memmem::find_iter(hay, needle.as_bytes()) {
            let starts_delimited = !needle.as_bytes().first().is_some_and(|b| is_name_byte(*b));
            let ends_delimited = !needle.as_bytes().last().is_some_and(|b| is_name_byte(*b));
            let before_ok = starts_delimited
                || pos == 0
                || hay
                    .get(pos - 1)
                    .is_none_or(|b| !is_name_byte(*b) && *b != b'/');
            let after_ok = ends_delimited
                || hay
                    .get(pos + needle.len())
                    .is_none_or(|b| !is_name_byte(*b) && *b != b'/');
            if !before_ok || !after_ok {
                continue;
            }
            // A needle starting with a newline matches the line after it.
            let at = if needle.starts_with('\n') {
                pos + 1
            } else {
                pos
            };
            let line = index.line_of(at);
            let Some(v) = version.map(str::trim).filter(|v| !v.is_empty()) else {
                return u32::try_from(line + 1).ok();
            };
            if (line..line + 4).any(|l| has_token(index.line(text, l), v)) {
                return u32::try_from(line + 1).ok();
            }
            first.get_or_insert(line);
        }
    }
    first.and_then(|l| u32::try_from(l + 1).ok())
}

/// Whether `token` occurs in `line` not glued to other version characters.
fn has_token(line: &[u8], token: &str) -> bool {
    let t = token.as_bytes();
    memchr::memmem::find_iter(line, t).any(|p| {
        let before = p.checked_sub(1).and_then(|i| line.get(i));
        let after = line.get(p + t.len());
        before.is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'.')
            && after.is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'.')
    })
}

/// The location of an image finding: the repository's Dockerfile (`Dockerfile` at the root,
/// else the only file named `Dockerfile` or `Containerfile` anywhere), at its last
/// `FROM` line (the final stage, which the image is); `None` when there is no single one.
pub fn dockerfile_location(ctx: &Ctx) -> Option<Location> {
    let path = ["Dockerfile", "Containerfile"]
        .iter()
        .find(|p| ctx.paths.exists(p))
        .map(|p| p.to_string())
        .or_else(|| {
            let mut found: Vec<String> = ctx.paths.files_ending_with("Dockerfile");
            found.extend(ctx.paths.files_ending_with("Containerfile"));
            match found.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            }
        })?;
    let line = read_repo_file(ctx, &path)
        .and_then(|text| {
            let index = LineIndex::new(&text);
            (0..index.starts.len()).rev().find(|n| {
                let l = index.line(&text, *n).trim_ascii_start();
                l.len() > 5 && l[..5].eq_ignore_ascii_case(b"FROM ")
            })
        })
        .map_or(1, |n| u32::try_from(n + 1).unwrap_or(1));
    Some(Location {
        path,
        line,
        ..Location::default()
    })
}

/// Remediation for any leaked secret.
pub const SECRET_HELP: &str = "A secret is committed in this file. Revoke or rotate it with \
its issuer first (it must be considered compromised), then remove it from the file and from \
the history, and load it at run time from a vault or the CI's secrets instead.";

/// A file-level location: `path` at line 1, where scanners that name only a file point.
pub fn file_location(path: String) -> Location {
    Location {
        path,
        line: 1,
        ..Location::default()
    }
}

/// The `RuleInfo` tags kept unique and non-empty, in first-seen order.
pub fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let t = tag.trim();
    if !t.is_empty() && !tags.iter().any(|x| x == t) {
        tags.push(t.to_string());
    }
}

/// A finding's `fingerprints` entry from a scanner's own fingerprint, when it has one.
pub fn fingerprint(key: &str, value: &str) -> Vec<(String, String)> {
    let v = value.trim();
    if v.is_empty() {
        Vec::new()
    } else {
        vec![(key.to_string(), v.to_string())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss3_scores_match_published_ones() {
        // Trivy alpine-310 golden: NVD's CVE-2019-1549 vector and its V3Score 5.3.
        assert_eq!(
            cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"),
            Some(5.3)
        );
        // Grype golden: vectors with their baseScore 8.2 and 8.5.
        assert_eq!(
            cvss3_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H"),
            Some(8.2)
        );
        assert_eq!(
            cvss3_score("CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H"),
            Some(8.5)
        );
        // Trivy alpine-310 golden: Red Hat's CVE-2019-1549 vector, V3Score 4.8.
        assert_eq!(
            cvss3_score("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N"),
            Some(4.8)
        );
        assert_eq!(
            cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
            Some(0.0)
        );
        assert_eq!(cvss3_score("AV:N/AC:L/Au:N/C:P/I:N/A:N"), None);
        assert_eq!(cvss3_score("CVSS:3.1/AV:X/AC:L"), None);
    }

    #[test]
    fn cwe_ids() {
        assert_eq!(
            cwe_id("CWE-79: Improper Neutralization").as_deref(),
            Some("CWE-79")
        );
        assert_eq!(cwe_id("502").as_deref(), Some("CWE-502"));
        assert_eq!(cwe_id("cwe-20").as_deref(), Some("CWE-20"));
        assert_eq!(cwe_id("NVD-CWE-Other"), None);
    }

    fn find(file: &str, text: &str, name: &str, version: Option<&str>) -> Option<u32> {
        let kind = ManifestKind::of(file);
        let t = text.as_bytes();
        let folded = kind.case_insensitive().then(|| fold_python(t));
        find_package(
            t,
            folded.as_deref(),
            &LineIndex::new(t),
            kind,
            name,
            version,
        )
    }

    #[test]
    fn package_lines_in_lockfiles() {
        let lock = "{\n  \"packages\": {\n    \"\": {\n      \"dependencies\": {\"minimist\": \"^0.0.8\"}\n    },\n    \"node_modules/minimist\": {\n      \"version\": \"0.0.8\"\n    }\n  }\n}\n";
        assert_eq!(
            find("package-lock.json", lock, "minimist", Some("0.0.8")),
            Some(6)
        );
        let cargo = "[[package]]\nname = \"time\"\nversion = \"0.2.0\"\n\n[[package]]\nname = \"time\"\nversion = \"0.1.45\"\n";
        assert_eq!(find("Cargo.lock", cargo, "time", Some("0.1.45")), Some(6));
        assert_eq!(find("Cargo.lock", cargo, "time", Some("9")), Some(2));
        let req = "# pinned\nflask==2.0\nWerkzeug==0.11  # old\njinja2>=2\n";
        assert_eq!(
            find("requirements.txt", req, "werkzeug", Some("0.11")),
            Some(3)
        );
        assert_eq!(find("requirements.txt", req, "Jinja2", None), Some(4));
        assert_eq!(find("requirements.txt", req, "jinja", None), None);
        let gomod =
            "module x\n\nrequire (\n\tgithub.com/docker/distribution v2.7.1+incompatible\n)\n";
        assert_eq!(
            find(
                "go.mod",
                gomod,
                "github.com/docker/distribution",
                Some("v2.7.1+incompatible")
            ),
            Some(4)
        );
        let yarn = "# yarn\n\n\"@babel/core@^7.0.0\":\n  version \"7.1.0\"\n\nlodash@^4.17.0, lodash@^4.17.4:\n  version \"4.17.4\"\n";
        assert_eq!(find("yarn.lock", yarn, "lodash", Some("4.17.4")), Some(6));
        assert_eq!(find("yarn.lock", yarn, "@babel/core", None), Some(3));
    }
}
