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
    /// Repository files whose path ends with `/<suffix>` (or is `suffix`), for reports
    /// written relative to a subdirectory. The default knows none.
    fn ending_with(&self, _suffix: &str) -> Vec<String> {
        Vec::new()
    }
}

/// Checks against a directory on disk.
pub struct OnDisk {
    root: PathBuf,
    /// File name → repository-relative paths, built on first need.
    index: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>>,
}

impl OnDisk {
    /// The repository at `root`.
    pub fn new(root: PathBuf) -> Self {
        OnDisk {
            root,
            index: std::sync::OnceLock::new(),
        }
    }
}

/// Directories never searched for sources: VCS data, dependencies, build outputs, caches.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    ".cache",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".gradle",
];
/// At most this many files are indexed, so a huge tree costs bounded time and memory.
const MAX_INDEXED: usize = 200_000;

impl FileExists for OnDisk {
    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    fn ending_with(&self, suffix: &str) -> Vec<String> {
        let index = self.index.get_or_init(|| index_files(&self.root));
        let name = suffix.rsplit('/').next().unwrap_or(suffix);
        index
            .get(name)
            .map(|paths| {
                paths
                    .iter()
                    .filter(|p| *p == suffix || p.ends_with(&format!("/{suffix}")))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn index_files(root: &Path) -> std::collections::HashMap<String, Vec<String>> {
    let mut index: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let mut n = 0;
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    stack.push((e.path(), path));
                }
            } else if ft.is_file() {
                n += 1;
                if n > MAX_INDEXED {
                    return index;
                }
                index.entry(name).or_default().push(path);
            }
        }
    }
    index
}

/// Maps report paths to repository-relative ones.
pub struct PathResolver {
    root: String,
    fs: Box<dyn FileExists>,
    learned: RefCell<Vec<String>>,
    /// Subdirectories that relative report paths turned out to be relative to.
    learned_dirs: RefCell<Vec<String>>,
}

impl PathResolver {
    /// A resolver for the repository at `root` (absolute).
    pub fn new(root: &Path) -> Self {
        let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        PathResolver::with_fs(&abs.to_string_lossy(), Box::new(OnDisk::new(abs.clone())))
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
            learned_dirs: RefCell::new(Vec::new()),
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

    /// Repository files whose path ends with `/<suffix>` or is `suffix`.
    pub fn files_ending_with(&self, suffix: &str) -> Vec<String> {
        self.fs.ending_with(suffix)
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
        // An absolute candidate under the root says where the file is even when it is not
        // checked out (a `<source>` list that starts with a junk entry, as dotnet's has).
        let mut under_root: Option<String> = None;
        for c in &candidates {
            let rel = self.relative(c);
            if let Some(rel) = rel {
                if self.fs.exists(&rel) {
                    return rel;
                }
                if under_root.is_none() && is_absolute(c) && !rel.is_empty() {
                    under_root = Some(rel.clone());
                }
                if first_guess.is_none() {
                    first_guess = Some(rel);
                }
            }
        }
        if under_root.is_some() {
            first_guess = under_root;
        }
        // Absolute paths from another machine: drop leading components until the rest exists.
        for c in &candidates {
            if let Some(rel) = self.strip_foreign_prefix(c) {
                return rel;
            }
        }
        // Relative to a subdirectory (a tool run in `backend/`): a directory learned before,
        // else the one repository file that ends with the path.
        if let Some(guess) = first_guess.as_deref().filter(|g| !g.is_empty()) {
            for dir in self.learned_dirs.borrow().iter() {
                let joined = format!("{dir}/{guess}");
                if self.fs.exists(&joined) {
                    return joined;
                }
            }
            if let [only] = self.fs.ending_with(guess).as_slice() {
                let dir = only[..only.len() - guess.len()]
                    .trim_end_matches('/')
                    .to_string();
                if !dir.is_empty() {
                    self.learned_dirs.borrow_mut().push(dir);
                }
                return only.clone();
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

/// Decodes `%XX` escapes of a URI; malformed escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
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
        fn ending_with(&self, suffix: &str) -> Vec<String> {
            self.0
                .iter()
                .filter(|p| **p == suffix || p.ends_with(&format!("/{suffix}")))
                .map(|p| p.to_string())
                .collect()
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
    fn relative_to_a_subdirectory_is_found_by_suffix_and_learned() {
        let res = r(vec![
            "backend/src/app.py",
            "backend/src/db.py",
            "frontend/src/app.ts",
        ]);
        assert_eq!(res.resolve("src/app.py", &[]), "backend/src/app.py");
        assert_eq!(res.resolve("src/db.py", &[]), "backend/src/db.py");
        // Ambiguous suffixes are not guessed.
        let res = r(vec!["a/src/x.py", "b/src/x.py"]);
        assert_eq!(res.resolve("src/x.py", &[]), "src/x.py");
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
