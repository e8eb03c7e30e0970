//! cargo / clippy `--message-format=json` (one object per line, build messages mixed in).
//!
//! Counting rules, chosen so that our warning count is the sum of cargo's "`crate` (target)
//! generated N warnings" less the "(M duplicates)" it reports:
//! - Only `reason: compiler-message` lines are read; `compiler-artifact`,
//!   `build-script-executed`, `build-finished` and lines that are not JSON objects (cargo and
//!   build scripts print plain text too) are skipped.
//! - A diagnostic compiled for several targets (the lib and its test build) is reported once
//!   per target; like cargo, duplicates are recognized by their `rendered` text (or, without
//!   one, by level, code, message and spans) and kept once.
//! - Summaries are not problems and are skipped: `failure-note` ("For more information about
//!   this error..."), "aborting due to ..." and "N warnings emitted", which carry no spans.
//!   Other diagnostics without spans (a linker failure) are kept, without a location.
//! - Level: `error` and `error: internal compiler error` → error, `warning` → warning, `note`
//!   and `help` → note; an unknown level → warning.
//! - `clippy::*` codes are tool `clippy`, category `lint`; everything else is tool `rustc`,
//!   category `build`. Help links: the clippy lint list, or the error code index for `E0308`.
//! - Location: the first primary span. Cargo gives rustc paths relative to the workspace
//!   root for path packages under it (absolute paths otherwise), so a relative span file name
//!   is joined to the workspace root, found from `manifest_path`: the ancestor of the package
//!   directory under which the file name continues with the package's own sub-path
//!   (`crates/a/src/lib.rs` for `<ws>/crates/a/Cargo.toml`), remembered for later messages.
//!   Until it is known, a package at the workspace root is assumed.

use super::json;
use super::sarif::{nullable, positive};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::BufRead;

/// Lines of `{reason: ...}`.
pub fn detect(head: &Head) -> bool {
    head.first_non_ws() == Some(b'{')
        && head.contains("\"reason\"")
        && (head.contains("\"compiler-message\"")
            || head.contains("\"compiler-artifact\"")
            || head.contains("\"build-finished\"")
            || head.contains("\"build-script-executed\""))
}

#[derive(Deserialize)]
struct Line {
    #[serde(default, deserialize_with = "nullable")]
    reason: String,
    #[serde(default, deserialize_with = "nullable")]
    manifest_path: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    message: Option<Diagnostic>,
}

#[derive(Deserialize, Hash, PartialEq, Eq)]
struct Diagnostic {
    #[serde(default, deserialize_with = "nullable")]
    message: String,
    #[serde(default, deserialize_with = "nullable")]
    code: Option<Code>,
    #[serde(default, deserialize_with = "nullable")]
    level: String,
    #[serde(default, deserialize_with = "nullable")]
    spans: Vec<Span>,
    #[serde(default, deserialize_with = "nullable")]
    rendered: Option<String>,
}

#[derive(Deserialize, Hash, PartialEq, Eq)]
struct Code {
    #[serde(default, deserialize_with = "nullable")]
    code: String,
}

#[derive(Deserialize, Hash, PartialEq, Eq)]
struct Span {
    #[serde(default, deserialize_with = "nullable")]
    file_name: String,
    #[serde(default, deserialize_with = "nullable")]
    line_start: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    line_end: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column_start: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    column_end: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    is_primary: bool,
}

/// Parses cargo's JSON messages.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let mut out = Findings::default();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut roots = Roots::default();
    json::for_each_line(input, |text, n| {
        if !text.starts_with(b"{") {
            return Ok(());
        }
        let line: Line = json::parse_line(text, n, "cargo")?;
        if line.reason != "compiler-message" {
            return Ok(());
        }
        let Some(d) = line.message else {
            return Err(ParseError::at_line(
                n,
                1,
                "a compiler-message without a \"message\" object",
            ));
        };
        if is_summary(&d) {
            return Ok(());
        }
        if !seen.insert(dedupe_key(&d)) {
            return Ok(());
        }
        out.items
            .push(finding(d, line.manifest_path.as_deref(), &mut roots, ctx));
        Ok(())
    })?;
    Ok(out)
}

fn dedupe_key(d: &Diagnostic) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match &d.rendered {
        Some(r) => r.hash(&mut h),
        None => d.hash(&mut h),
    }
    h.finish()
}

fn is_summary(d: &Diagnostic) -> bool {
    if d.level == "failure-note" {
        return true;
    }
    if !d.spans.is_empty() {
        return false;
    }
    let m = d.message.trim();
    if m.starts_with("aborting due to") {
        return true;
    }
    // "3 warnings emitted", "1 warning emitted"
    let mut words = m.split_whitespace();
    matches!(
        (words.next(), words.next(), words.next(), words.next()),
        (Some(num), Some("warning" | "warnings"), Some("emitted"), None)
            if num.bytes().all(|b| b.is_ascii_digit())
    )
}

fn finding(d: Diagnostic, manifest: Option<&str>, roots: &mut Roots, ctx: &Ctx) -> Finding {
    let level = match d.level.as_str() {
        "error" | "error: internal compiler error" => Level::Error,
        "warning" => Level::Warning,
        "note" | "help" => Level::Note,
        _ => Level::Warning,
    };
    let code = d
        .code
        .as_ref()
        .map(|c| c.code.trim())
        .filter(|c| !c.is_empty());
    let clippy = code.and_then(|c| c.strip_prefix("clippy::"));
    let help_uri = match (clippy, code) {
        (Some(lint), _) => Some(format!(
            "https://rust-lang.github.io/rust-clippy/master/index.html#{lint}"
        )),
        (None, Some(c)) if is_error_code(c) => {
            Some(format!("https://doc.rust-lang.org/error_codes/{c}.html"))
        }
        _ => None,
    };
    let location = d
        .spans
        .iter()
        .find(|s| s.is_primary)
        .and_then(|s| span_location(s, manifest, roots, ctx));
    Finding {
        tool: if clippy.is_some() { "clippy" } else { "rustc" }.into(),
        rule: code.map(str::to_string),
        level,
        severity: None,
        category: if clippy.is_some() {
            Category::Lint
        } else {
            Category::Build
        },
        message: json::clip(d.message),
        location,
        suppressed: false,
        help_uri,
        fingerprints: Vec::new(),
        rule_info: None,
        package: None,
    }
}

/// `E` and four digits.
fn is_error_code(c: &str) -> bool {
    c.len() == 5 && c.starts_with('E') && c[1..].bytes().all(|b| b.is_ascii_digit())
}

fn span_location(
    s: &Span,
    manifest: Option<&str>,
    roots: &mut Roots,
    ctx: &Ctx,
) -> Option<Location> {
    let name = s.file_name.trim().replace('\\', "/");
    // `<anon>`, `<std macros>` and the like name no file.
    if name.is_empty() || name.starts_with('<') {
        return None;
    }
    let path = match manifest.and_then(|m| roots.rustc_dir(&name, m)) {
        Some(dir) => ctx.paths.resolve(&format!("{dir}/{name}"), &[]),
        None => ctx.paths.resolve(&name, &[]),
    };
    Some(Location {
        path,
        line: positive(s.line_start).unwrap_or(0),
        column: positive(s.column_start),
        end_line: positive(s.line_end),
        end_column: positive(s.column_end),
    })
}

/// Cargo passes rustc paths relative to the workspace root for path packages under it, and
/// absolute paths otherwise; the workspace root is learned from the first span that shows it.
#[derive(Default)]
struct Roots {
    workspace: Option<String>,
}

impl Roots {
    fn rustc_dir(&mut self, name: &str, manifest: &str) -> Option<String> {
        if super::paths::is_absolute(name) {
            return None;
        }
        let manifest = manifest.replace('\\', "/");
        let pkg_dir = manifest.rsplit_once('/')?.0;
        // Walk up from the package directory: an ancestor is the workspace root when the
        // file name continues with the path from it down to the package.
        let mut cut = pkg_dir.len();
        while let Some(slash) = pkg_dir[..cut].rfind('/') {
            let sub = &pkg_dir[slash + 1..];
            if name.starts_with(sub) && name.as_bytes().get(sub.len()) == Some(&b'/') {
                let root = pkg_dir[..slash].to_string();
                self.workspace = Some(root.clone());
                return Some(root);
            }
            cut = slash;
        }
        if let Some(ws) = &self.workspace
            && (pkg_dir == ws || pkg_dir.starts_with(&format!("{ws}/")))
        {
            return Some(ws.clone());
        }
        Some(pkg_dir.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustc_dir() {
        let mut r = Roots::default();
        assert_eq!(
            r.rustc_dir("src/lib.rs", "/ws/proj/Cargo.toml"),
            Some("/ws/proj".into())
        );
        assert_eq!(r.rustc_dir("/abs/x.rs", "/ws/Cargo.toml"), None);
        assert_eq!(
            r.rustc_dir("alpha/src/a.rs", "C:\\ws\\alpha\\Cargo.toml"),
            Some("C:/ws".into())
        );
        let mut r = Roots::default();
        assert_eq!(
            r.rustc_dir("crates/alpha/src/lib.rs", "/ws/crates/alpha/Cargo.toml"),
            Some("/ws".into())
        );
        // Another member's file, once the workspace root is known.
        assert_eq!(
            r.rustc_dir("crates/beta/src/x.rs", "/ws/crates/alpha/Cargo.toml"),
            Some("/ws".into())
        );
    }

    #[test]
    fn summaries() {
        let d = |level: &str, msg: &str| Diagnostic {
            message: msg.into(),
            code: None,
            level: level.into(),
            spans: vec![],
            rendered: None,
        };
        assert!(is_summary(&d("warning", "3 warnings emitted")));
        assert!(is_summary(&d("warning", "1 warning emitted")));
        assert!(is_summary(&d("error", "aborting due to 2 previous errors")));
        assert!(is_summary(&d("failure-note", "For more information")));
        assert!(!is_summary(&d("error", "linking with `cc` failed")));
    }
}
