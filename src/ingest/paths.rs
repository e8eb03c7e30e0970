//! Turning the paths reports name into repository-relative paths.
//!
//! Reports name files in many ways: relative to the directory the tool ran in, relative to a
//! Cobertura `<source>` root, absolute on the machine that made them (a CI runner's
//! workspace, a container's `/app`), or with Windows separators. [`PathResolver`] tries the
//! candidates in order and picks the first that exists in the repository; a report made under
//! another absolute root is mapped by dropping leading components until the rest exists, and
//! the prefix learned that way is reused for the following paths.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Tells whether a repository-relative path exists.
pub trait FileExists {
    /// `rel` uses `/` separators and has no leading `./`.
    fn exists(&self, rel: &str) -> bool;
}

/// Checks against a directory on disk.
pub struct OnDisk(pub PathBuf);

impl FileExists for OnDisk {
    fn exists(&self, rel: &str) -> bool {
        self.0.join(rel).is_file()
    }
}

/// Maps report paths to repository-relative ones.
pub struct PathResolver {
    root: String,
    fs: Box<dyn FileExists>,
    learned: RefCell<Vec<String>>,
}

impl PathResolver {
    /// A resolver for the repository at `root` (absolute).
    pub fn new(root: &Path) -> Self {
        let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        PathResolver::with_fs(&abs.to_string_lossy(), Box::new(OnDisk(abs.clone())))
    }

    /// A resolver with an injected file-existence check (for tests).
    pub fn with_fs(root: &str, fs: Box<dyn FileExists>) -> Self {
        let mut root = normalize(root);
        while root.len() > 1 && root.ends_with('/') {
            root.pop();
        }
        PathResolver {
            root,
            fs,
            learned: RefCell::new(Vec::new()),
        }
    }

    /// The repository root, `/`-separated.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Whether a repository-relative path exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.fs.exists(rel)
    }

    /// Resolves `raw` as written in a report, trying it under each of `bases` (Cobertura
    /// sources, a JaCoCo package directory...) first. Returns the repository-relative path
    /// when one candidate exists, else the best guess (which [`missing`] will then count).
    pub fn resolve(&self, raw: &str, bases: &[String]) -> String {
        let raw = normalize(raw.trim());
        let mut candidates: Vec<String> = Vec::new();
        if is_absolute(&raw) {
            candidates.push(raw.clone());
        } else {
            for b in bases {
                let b = normalize(b.trim());
                if b.is_empty() || b == "." {
                    continue;
                }
                candidates.push(format!("{}/{}", b.trim_end_matches('/'), raw));
            }
            candidates.push(raw.clone());
        }
        let mut first_guess: Option<String> = None;
        for c in &candidates {
            let rel = self.relative(c);
            if let Some(rel) = rel {
                if self.fs.exists(&rel) {
                    return rel;
                }
                if first_guess.is_none() {
                    first_guess = Some(rel);
                }
            }
        }
        // Absolute paths from another machine: drop leading components until the rest exists.
        for c in &candidates {
            if let Some(rel) = self.strip_foreign_prefix(c) {
                return rel;
            }
        }
        first_guess.unwrap_or_else(|| clean(&raw))
    }

    /// `path` relative to the root when it is relative already or under the root.
    fn relative(&self, path: &str) -> Option<String> {
        if !is_absolute(path) {
            return Some(clean(path));
        }
        for prefix in self.learned.borrow().iter() {
            if let Some(rest) = path.strip_prefix(prefix.as_str()) {
                return Some(clean(rest));
            }
        }
        let root = self.root.as_str();
        if path.len() > root.len()
            && path.starts_with(root)
            && (root.ends_with('/') || path.as_bytes()[root.len()] == b'/')
        {
            return Some(clean(&path[root.len()..]));
        }
        if root.len() > 2
            && has_drive(root)
            && path
                .to_ascii_lowercase()
                .starts_with(&root.to_ascii_lowercase())
        {
            return Some(clean(&path[root.len()..]));
        }
        None
    }

    fn strip_foreign_prefix(&self, path: &str) -> Option<String> {
        if !is_absolute(path) {
            return None;
        }
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        for skip in 1..parts.len() {
            let rest = parts[skip..].join("/");
            if self.fs.exists(&rest) {
                let prefix_len = path.len() - rest.len();
                let prefix = path[..prefix_len].to_string();
                let mut learned = self.learned.borrow_mut();
                if !learned.contains(&prefix) {
                    learned.push(prefix);
                }
                return Some(rest);
            }
        }
        None
    }
}

/// Backslashes to slashes, `./` segments removed.
pub fn normalize(p: &str) -> String {
    let p = p.replace('\\', "/");
    let p = p.strip_prefix("file://").unwrap_or(&p).to_string();
    let mut out = p.replace("/./", "/");
    while let Some(rest) = out.strip_prefix("./") {
        out = rest.to_string();
    }
    out
}

/// Removes `.` and resolves `..` lexically; no leading `/`.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn has_drive(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// `/x`, `C:/x` or `//server/share`.
pub fn is_absolute(p: &str) -> bool {
    p.starts_with('/') || has_drive(p)
}

/// The files of `paths` that do not exist in the repository, sorted.
pub fn missing<'a>(
    resolver: &PathResolver,
    paths: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let set: BTreeSet<&str> = paths.into_iter().collect();
    set.into_iter()
        .filter(|p| !resolver.exists(p))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake(Vec<&'static str>);
    impl FileExists for Fake {
        fn exists(&self, rel: &str) -> bool {
            self.0.contains(&rel)
        }
    }

    fn r(files: Vec<&'static str>) -> PathResolver {
        PathResolver::with_fs("/home/runner/work/app/app", Box::new(Fake(files)))
    }

    #[test]
    fn relative_under_source_root() {
        let res = r(vec!["src/pkg/mod.py"]);
        let srcs = vec!["/home/runner/work/app/app/src".to_string()];
        assert_eq!(res.resolve("pkg/mod.py", &srcs), "src/pkg/mod.py");
    }

    #[test]
    fn absolute_in_workspace_and_windows_separators() {
        let res = r(vec!["src/a.rs"]);
        assert_eq!(
            res.resolve("/home/runner/work/app/app/src/a.rs", &[]),
            "src/a.rs"
        );
        assert_eq!(res.resolve(".\\src\\a.rs", &[]), "src/a.rs");
    }

    #[test]
    fn foreign_root_is_learned() {
        let res = r(vec!["lib/x.cs", "lib/y.cs"]);
        assert_eq!(res.resolve("/code/samplediff/lib/x.cs", &[]), "lib/x.cs");
        // learned prefix applies even when the file does not exist
        assert_eq!(res.resolve("/code/samplediff/lib/z.cs", &[]), "lib/z.cs");
    }

    #[test]
    fn missing_files_keep_best_guess() {
        let res = r(vec![]);
        assert_eq!(
            res.resolve("pkg/a.py", &["src".to_string()]),
            "src/pkg/a.py"
        );
        assert_eq!(
            missing(&res, ["src/pkg/a.py"]),
            vec!["src/pkg/a.py".to_string()]
        );
    }
}
