//! Which findings the blocking rules and the documentation dimension count. The lists are
//! written out in `docs/scoring.md`; keep the two in step.

use crate::model::{Category, Finding, Level, Severity};

/// ESLint's core rules of type `problem` ("Possible Problems": likely logic errors), as
/// ESLint 9.39.5 declares them in each rule's `meta.type` (deprecated rules left out).
const ESLINT_PROBLEM_RULES: &[&str] = &[
    "array-callback-return",
    "constructor-super",
    "for-direction",
    "getter-return",
    "no-async-promise-executor",
    "no-await-in-loop",
    "no-class-assign",
    "no-compare-neg-zero",
    "no-cond-assign",
    "no-const-assign",
    "no-constant-binary-expression",
    "no-constant-condition",
    "no-constructor-return",
    "no-control-regex",
    "no-debugger",
    "no-dupe-args",
    "no-dupe-class-members",
    "no-dupe-else-if",
    "no-dupe-keys",
    "no-duplicate-case",
    "no-duplicate-imports",
    "no-empty-character-class",
    "no-empty-pattern",
    "no-ex-assign",
    "no-fallthrough",
    "no-func-assign",
    "no-import-assign",
    "no-inner-declarations",
    "no-invalid-regexp",
    "no-irregular-whitespace",
    "no-loss-of-precision",
    "no-misleading-character-class",
    "no-new-native-nonconstructor",
    "no-obj-calls",
    "no-promise-executor-return",
    "no-prototype-builtins",
    "no-self-assign",
    "no-self-compare",
    "no-setter-return",
    "no-sparse-arrays",
    "no-template-curly-in-string",
    "no-this-before-super",
    "no-unassigned-vars",
    "no-undef",
    "no-unexpected-multiline",
    "no-unmodified-loop-condition",
    "no-unreachable",
    "no-unreachable-loop",
    "no-unsafe-finally",
    "no-unsafe-negation",
    "no-unsafe-optional-chaining",
    "no-unused-private-class-members",
    "no-unused-vars",
    "no-use-before-define",
    "no-useless-assignment",
    "no-useless-backreference",
    "require-atomic-updates",
    "use-isnan",
    "valid-typeof",
];

/// Ruff / flake8 codes that mean the code cannot run as written: the selection GitHub's
/// Python starter workflow stops the build on (`E9,F63,F7,F82`: syntax errors, invalid
/// comparisons, misplaced statements, undefined names), plus Pylint's errors as Ruff names
/// them (`PLE`).
const PY_CORRECTNESS_PREFIXES: &[&str] = &["E9", "F63", "F7", "F82", "PLE"];

/// Pylint's docstring messages, by symbol and by id.
const PYLINT_DOC_RULES: &[&str] = &[
    "missing-module-docstring",
    "missing-class-docstring",
    "missing-function-docstring",
    "missing-docstring",
    "empty-docstring",
    "C0114",
    "C0115",
    "C0116",
    "C0111",
    "C0112",
];

/// A level as reports and explanations write it.
pub fn level_name(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::None => "none",
    }
}

/// A severity as reports and explanations write it.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// A category as reports write it.
pub fn category_name(c: Category) -> &'static str {
    match c {
        Category::Lint => "lint",
        Category::Type => "type",
        Category::Security => "security",
        Category::Build => "build",
    }
}

fn tool_is(f: &Finding, names: &[&str]) -> bool {
    names.iter().any(|n| f.tool.eq_ignore_ascii_case(n))
}

fn rule(f: &Finding) -> &str {
    f.rule.as_deref().unwrap_or("")
}

/// Counted at all: not suppressed in source.
pub fn counts(f: &Finding) -> bool {
    !f.suppressed
}

/// A security finding of critical severity.
pub fn is_critical_security(f: &Finding) -> bool {
    counts(f) && f.category == Category::Security && f.severity == Some(Severity::Critical)
}

/// An error-level type-checker finding.
pub fn is_type_error(f: &Finding) -> bool {
    counts(f) && f.category == Category::Type && f.level == Level::Error
}

/// An error-level correctness finding of a linter or compiler: the code does not build or
/// parse (category `build`), or the tool's rule says it is a likely bug.
pub fn is_critical_bug(f: &Finding) -> bool {
    if !counts(f) || f.level != Level::Error {
        return false;
    }
    match f.category {
        Category::Build => true,
        Category::Lint => {
            let r = rule(f);
            if tool_is(f, &["clippy", "rustc"]) {
                // Error-level clippy lints are the deny-by-default correctness group, or
                // lints the project itself denied.
                true
            } else if tool_is(f, &["pylint"]) {
                // Pylint's `error` type is its "probable bugs" class.
                true
            } else if tool_is(f, &["ruff", "flake8", "pyflakes"]) {
                PY_CORRECTNESS_PREFIXES.iter().any(|p| r.starts_with(p))
            } else if tool_is(f, &["eslint"]) {
                ESLINT_PROBLEM_RULES.contains(&r)
            } else {
                false
            }
        }
        Category::Type | Category::Security => false,
    }
}

/// A documentation finding: missing or malformed docstrings, Javadoc, JSDoc, Rust docs.
pub fn is_documentation(f: &Finding) -> bool {
    if !counts(f) || f.category == Category::Security {
        return false;
    }
    let r = rule(f);
    if tool_is(f, &["pylint"]) {
        return PYLINT_DOC_RULES.contains(&r);
    }
    if tool_is(f, &["ruff", "flake8", "pydocstyle"]) {
        // pydocstyle's codes, which Ruff and flake8-docstrings keep: D1xx-D4xx.
        let b = r.as_bytes();
        return b.len() >= 2 && b[0] == b'D' && b[1].is_ascii_digit();
    }
    if tool_is(f, &["eslint"]) {
        return r.starts_with("jsdoc/") || r == "valid-jsdoc" || r == "require-jsdoc";
    }
    if tool_is(f, &["checkstyle"]) {
        return r.contains("Javadoc");
    }
    if tool_is(f, &["clippy", "rustc"]) {
        let r = r.strip_prefix("clippy::").unwrap_or(r);
        return r == "missing_docs"
            || r == "missing_docs_in_private_items"
            || r.starts_with("doc_")
            || (r.starts_with("missing_") && r.ends_with("_doc"));
    }
    false
}

/// Whether a tool checks documentation by default, so that its report measures the
/// documentation dimension even when it found nothing: Pylint enables C0114-C0116 unless
/// a project turns them off.
pub fn checks_docs_by_default(format: crate::ingest::Format) -> bool {
    matches!(
        format,
        crate::ingest::Format::PylintJson | crate::ingest::Format::PylintJson2
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(tool: &str, rule: &str, level: Level, category: Category) -> Finding {
        Finding {
            tool: tool.into(),
            rule: Some(rule.into()),
            level,
            category,
            ..Default::default()
        }
    }

    #[test]
    fn correctness_by_tool() {
        use Category::*;
        use Level::*;
        assert!(is_critical_bug(&f("eslint", "no-unused-vars", Error, Lint)));
        assert!(!is_critical_bug(&f("eslint", "eqeqeq", Error, Lint)));
        assert!(!is_critical_bug(&f("eslint", "no-undef", Warning, Lint)));
        assert!(is_critical_bug(&f("ESLint", "no-undef", Error, Lint)));
        assert!(is_critical_bug(&f("ruff", "F821", Error, Lint)));
        assert!(is_critical_bug(&f("ruff", "E999", Error, Lint)));
        assert!(!is_critical_bug(&f("ruff", "F401", Error, Lint)));
        assert!(!is_critical_bug(&f("ruff", "E722", Error, Lint)));
        assert!(is_critical_bug(&f(
            "pylint",
            "no-value-for-parameter",
            Error,
            Lint
        )));
        assert!(is_critical_bug(&f("checkstyle", "x", Error, Build)));
        assert!(!is_critical_bug(&f(
            "checkstyle",
            "MemberName",
            Error,
            Lint
        )));
        assert!(!is_critical_bug(&f("mypy", "return-value", Error, Type)));
        let mut s = f("eslint", "no-undef", Error, Lint);
        s.suppressed = true;
        assert!(!is_critical_bug(&s));
    }

    #[test]
    fn documentation_rules() {
        use Category::*;
        use Level::*;
        assert!(is_documentation(&f(
            "pylint",
            "missing-class-docstring",
            Note,
            Lint
        )));
        assert!(is_documentation(&f("ruff", "D103", Error, Lint)));
        assert!(!is_documentation(&f("ruff", "DTZ005", Error, Lint)));
        assert!(is_documentation(&f(
            "eslint",
            "jsdoc/require-param",
            Warning,
            Lint
        )));
        assert!(is_documentation(&f(
            "checkstyle",
            "MissingJavadocMethod",
            Warning,
            Lint
        )));
        assert!(is_documentation(&f(
            "clippy",
            "clippy::missing_errors_doc",
            Warning,
            Lint
        )));
        assert!(is_documentation(&f(
            "rustc",
            "missing_docs",
            Warning,
            Build
        )));
        assert!(!is_documentation(&f(
            "clippy",
            "clippy::needless_return",
            Warning,
            Lint
        )));
    }
}
