//! Checkstyle XML, as Checkstyle writes it and as many tools imitate it (ESLint's
//! `-f checkstyle`, ktlint, PHP_CodeSniffer, detekt, SwiftLint, stylelint...).
//!
//! Counting rules:
//! - Each `<error>` inside a `<file name>` is one finding. `severity` `error` → error,
//!   `warning` → warning, `info` → note, `ignore` → none (Checkstyle itself never writes
//!   those; a level-none finding is kept but counts as no problem). Without `severity`,
//!   Checkstyle's default `error` applies. Other tools' words are mapped by meaning
//!   (`fatal`/`critical`/`blocker` → error, `warn`/`major`/`minor` → warning,
//!   `note`/`suggestion`/`hint` → note); an unknown word → warning.
//! - An `<exception>` inside a `<file>` (Checkstyle could not parse the file) is a finding of
//!   level error, category `build`; Checkstyle counts it among its "N errors" too.
//! - The rule is `source`. Checkstyle's own class names
//!   (`com.puppycrawl.tools.checkstyle.checks.naming.MemberNameCheck`) become the module name
//!   its console output shows (`MemberName`); ESLint's `eslint.rules.no-undef` becomes
//!   `no-undef` with tool `eslint` (and the ` (no-undef)` ESLint appends to each message is
//!   removed); other sources are kept as written.
//! - Category `lint`, except the exceptions above.

use super::xml::{XmlReader, attr, attr_num, push_text, text_piece};
use super::{Ctx, Head, ParseError};
use crate::model::{Category, Finding, Findings, Level, Location};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// `<checkstyle>` root.
pub fn detect(head: &Head) -> bool {
    head.xml_root() == Some(b"checkstyle")
}

const CHECKSTYLE_PREFIX: &str = "com.puppycrawl.tools.checkstyle.";

/// Parses a Checkstyle report.
pub fn parse(input: &mut dyn BufRead, ctx: &Ctx) -> Result<Findings, ParseError> {
    let mut xr = XmlReader::new(input);
    let mut out = Findings::default();
    let mut saw_root = false;
    let mut file: Option<String> = None;
    let mut exception: Option<String> = None;
    loop {
        let at = xr.offset();
        match xr.next()? {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                saw_root = true;
                if e.local_name().as_ref() != "checkstyle" {
                    return Err(ParseError::at_byte(
                        at,
                        "expected a <checkstyle> root element",
                    ));
                }
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "file" => file = Some(file_path(&e, at, ctx)?),
                "error" => out.items.push(error(&e, at, file.as_deref())?),
                "exception" => exception = Some(String::new()),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "error" => out.items.push(error(&e, at, file.as_deref())?),
                "exception" => out
                    .items
                    .push(exception_finding(String::new(), file.as_deref())),
                // An empty <file/> is a file without problems.
                _ => {}
            },
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                if let Some(buf) = exception.as_mut() {
                    push_text(buf, &text_piece(&ev));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "file" => file = None,
                "exception" => {
                    if let Some(text) = exception.take() {
                        out.items.push(exception_finding(text, file.as_deref()));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn file_path(e: &BytesStart<'_>, at: u64, ctx: &Ctx) -> Result<String, ParseError> {
    let name = attr(e, "name", at)?
        .ok_or_else(|| ParseError::at_byte(at, "<file> without a name attribute"))?;
    Ok(ctx.paths.resolve(&name, &[]))
}

fn error(e: &BytesStart<'_>, at: u64, file: Option<&str>) -> Result<Finding, ParseError> {
    let level = match attr(e, "severity", at)? {
        None => Level::Error,
        Some(s) => level_of(&s),
    };
    let line: Option<u32> = attr_num(e, "line", at)?;
    let column: Option<u32> = attr_num(e, "column", at)?;
    let message = attr(e, "message", at)?
        .map(|m| m.into_owned())
        .unwrap_or_default();
    let source = attr(e, "source", at)?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let (tool, rule) = match source {
        Some(s) => {
            let (tool, rule) = rule_of(&s);
            (tool, Some(rule))
        }
        None => ("checkstyle", None),
    };
    // ESLint's checkstyle formatter appends " (rule-id)" to every message.
    let message = match (tool, rule.as_deref()) {
        ("eslint", Some(r)) => match message.strip_suffix(&format!(" ({r})")) {
            Some(m) => m.to_string(),
            None => message,
        },
        _ => message,
    };
    Ok(Finding {
        tool: tool.into(),
        rule,
        level,
        severity: None,
        category: Category::Lint,
        message: super::json::clip(message),
        location: file.map(|p| Location {
            path: p.to_string(),
            line: line.unwrap_or(0),
            column: column.filter(|c| *c > 0),
            end_line: None,
            end_column: None,
        }),
        suppressed: false,
        help_uri: None,
        fingerprints: Vec::new(),
        rule_info: None,
        package: None,
    })
}

fn level_of(s: &str) -> Level {
    match s.trim().to_ascii_lowercase().as_str() {
        "error" | "fatal" | "critical" | "blocker" => Level::Error,
        "warning" | "warn" | "major" | "minor" => Level::Warning,
        "info" | "note" | "suggestion" | "hint" => Level::Note,
        "ignore" | "none" => Level::None,
        _ => Level::Warning,
    }
}

/// The tool and rule a `source` names.
fn rule_of(source: &str) -> (&'static str, String) {
    if let Some(rest) = source.strip_prefix(CHECKSTYLE_PREFIX) {
        let last = rest.rsplit('.').next().unwrap_or(rest);
        let name = last.strip_suffix("Check").unwrap_or(last);
        let name = if name.is_empty() { last } else { name };
        return ("checkstyle", name.to_string());
    }
    if let Some(rule) = source.strip_prefix("eslint.rules.") {
        return ("eslint", rule.to_string());
    }
    ("checkstyle", source.to_string())
}

fn exception_finding(text: String, file: Option<&str>) -> Finding {
    let text = text.trim();
    let message = if text.is_empty() {
        "Checkstyle could not process this file".to_string()
    } else {
        text.to_string()
    };
    Finding {
        tool: "checkstyle".into(),
        rule: None,
        level: Level::Error,
        severity: None,
        category: Category::Build,
        message: super::json::clip(message),
        location: file.map(|p| Location {
            path: p.to_string(),
            ..Default::default()
        }),
        suppressed: false,
        help_uri: None,
        fingerprints: Vec::new(),
        rule_info: None,
        package: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(
            rule_of("com.puppycrawl.tools.checkstyle.checks.naming.MemberNameCheck"),
            ("checkstyle", "MemberName".to_string())
        );
        assert_eq!(
            rule_of("eslint.rules.no-undef"),
            ("eslint", "no-undef".to_string())
        );
        assert_eq!(
            rule_of("Generic.Files.LineLength.TooLong"),
            ("checkstyle", "Generic.Files.LineLength.TooLong".to_string())
        );
    }
}
