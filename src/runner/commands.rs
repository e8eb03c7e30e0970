//! Workflow commands (`::error file=app.js,line=10,title=T::message`), escaped the way the
//! runner unescapes them: in the message `%` → `%25`, CR → `%0D`, LF → `%0A`; in property
//! values also `:` → `%3A` and `,` → `%2C`. GitHub shows at most 10 annotations per level
//! per step, so at most 10 per level are written, most important first.

use crate::gate::MAX_PROBLEMS_PER_LEVEL;
use crate::gate::verdict::Problem;
use std::collections::BTreeMap;

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation command.
pub fn annotation(p: &Problem) -> String {
    let level = match p.level.as_str() {
        "error" | "warning" | "notice" => p.level.as_str(),
        _ => "notice",
    };
    let mut props: Vec<String> = Vec::new();
    if let Some(f) = &p.file {
        props.push(format!("file={}", escape_property(f)));
        if let Some(l) = p.line {
            props.push(format!("line={l}"));
            if let Some(e) = p.end_line.filter(|e| *e >= l) {
                props.push(format!("endLine={e}"));
            }
            if let Some(c) = p.column {
                props.push(format!("col={c}"));
            }
        }
    }
    if !p.title.is_empty() {
        props.push(format!("title={}", escape_property(&p.title)));
    }
    let props = if props.is_empty() {
        String::new()
    } else {
        format!(" {}", props.join(","))
    };
    format!("::{level}{props}::{}", escape_data(&p.message))
}

/// The annotation commands for a verdict's problems, at most 10 per level, in order.
pub fn annotations(problems: &[Problem]) -> Vec<String> {
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    problems
        .iter()
        .filter(|p| {
            let n = per.entry(p.level.as_str()).or_default();
            *n += 1;
            *n <= MAX_PROBLEMS_PER_LEVEL
        })
        .map(annotation)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        let p = Problem {
            level: "error".into(),
            title: "eslint no-undef, x: y".into(),
            message: "50% done\nnext".into(),
            file: Some("src/a,b.js".into()),
            line: Some(3),
            end_line: Some(4),
            column: Some(7),
        };
        assert_eq!(
            annotation(&p),
            "::error file=src/a%2Cb.js,line=3,endLine=4,col=7,title=eslint no-undef%2C x%3A y::50%25 done%0Anext"
        );
    }
}
