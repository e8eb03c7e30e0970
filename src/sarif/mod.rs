//! SARIF out: findings written as SARIF that GitHub code scanning accepts ([`build`]), SARIF
//! files merged ([`merge`]), GitHub's limits enforced ([`limits`]), stable fingerprints
//! ([`fingerprint`]) and a validator for the OASIS schema and GitHub's ingestion rules
//! ([`validate`]).
//!
//! Convert and merge both end in [`finish`]: fingerprints, duplicates and limits are handled
//! on the JSON value of the log, so the two commands produce files with the same guarantees.

pub mod build;
pub mod fastmerge;
pub mod fingerprint;
pub mod gzip;
pub mod limits;
pub mod merge;
mod scan;
pub mod schema;
pub mod validate;

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// `$schema` of the files shipgate writes (ends with `2.1.0.json`, as the SARIF SDK's GH1011
/// rule wants).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id GitHub resolves to the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// Why a SARIF command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum SarifError {
    /// An input could not be read or parsed.
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    /// A file could not be read or written.
    #[error("{path}: {message}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What was being done.
        message: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// An input is not a SARIF 2.1.0 log.
    #[error("{path}: {message}")]
    NotSarif {
        /// The file.
        path: String,
        /// What is wrong, with its position.
        message: String,
    },
    /// The output cannot satisfy a GitHub limit by dropping results.
    #[error("{0}")]
    Limit(String),
}

/// The repository the SARIF is for: where locations are looked up and lines hashed.
pub struct Repo {
    root: PathBuf,
    exists: std::cell::RefCell<HashMap<String, bool>>,
    dockerfiles: std::cell::OnceCell<Vec<String>>,
}

/// Largest source file read to hash lines or search a manifest (bigger ones are skipped).
const MAX_SOURCE_BYTES: u64 = 32 << 20;

impl Repo {
    /// The repository at `root`.
    pub fn new(root: &Path) -> Self {
        Repo {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            exists: Default::default(),
            dockerfiles: Default::default(),
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `rel` (repository-relative, `/`-separated) is a file of the repository.
    pub fn exists(&self, rel: &str) -> bool {
        if !is_repo_relative(rel) {
            return false;
        }
        if let Some(e) = self.exists.borrow().get(rel) {
            return *e;
        }
        let e = self.root.join(rel).is_file();
        self.exists.borrow_mut().insert(rel.to_string(), e);
        e
    }

    /// The bytes of a repository file, unless it is missing or too large.
    pub fn read(&self, rel: &str) -> Option<Vec<u8>> {
        if !self.exists(rel) {
            return None;
        }
        let p = self.root.join(rel);
        let len = std::fs::metadata(&p).ok()?.len();
        if len > MAX_SOURCE_BYTES {
            return None;
        }
        std::fs::read(p).ok()
    }

    /// Dockerfiles of the repository (`Dockerfile`, `Containerfile`, `*.Dockerfile`,
    /// `Dockerfile.*`, up to three directories deep), shallowest first.
    pub fn dockerfiles(&self) -> &[String] {
        self.dockerfiles.get_or_init(|| {
            let mut out = Vec::new();
            let mut dirs = vec![(self.root.clone(), String::new(), 0usize)];
            while let Some((dir, rel, depth)) = dirs.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                let mut names: Vec<(String, bool)> = entries
                    .flatten()
                    .filter_map(|e| {
                        let ft = e.file_type().ok()?;
                        Some((e.file_name().to_string_lossy().into_owned(), ft.is_dir()))
                    })
                    .collect();
                names.sort();
                for (name, is_dir) in names {
                    let path = if rel.is_empty() {
                        name.clone()
                    } else {
                        format!("{rel}/{name}")
                    };
                    if is_dir {
                        if depth < 3
                            && !name.starts_with('.')
                            && !SKIP_DIRS.contains(&name.as_str())
                        {
                            dirs.push((dir.join(&name), path, depth + 1));
                        }
                    } else if is_dockerfile_name(&name) {
                        out.push(path);
                    }
                }
            }
            out.sort_by_key(|p| (p.matches('/').count(), p.clone()));
            out
        })
    }

    /// Hashes of the wanted lines of each file (files that cannot be read get none).
    pub fn line_hashes(
        &self,
        wanted: &HashMap<String, BTreeSet<u32>>,
    ) -> HashMap<String, HashMap<u32, String>> {
        wanted
            .iter()
            .filter_map(|(file, lines)| {
                let bytes = self.read(file)?;
                Some((file.clone(), fingerprint::file_line_hashes(&bytes, lines)))
            })
            .collect()
    }
}

const SKIP_DIRS: &[&str] = &["node_modules", "target", "vendor", "__pycache__", "venv"];

fn is_dockerfile_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l == "dockerfile"
        || l == "containerfile"
        || l.starts_with("dockerfile.")
        || l.ends_with(".dockerfile")
        || l.ends_with(".containerfile")
}

/// A relative path that stays inside the repository (no scheme, no `..`, not absolute).
pub fn is_repo_relative(p: &str) -> bool {
    let drive = p.len() > 1 && p.as_bytes()[1] == b':';
    let outside = p.is_empty()
        || p.starts_with('/')
        || drive
        || has_scheme(p)
        || p.split('/').any(|s| s == "..");
    !outside
}

/// A URI scheme of two or more characters (`C:` is a drive, not a scheme).
pub fn has_scheme(uri: &str) -> bool {
    let Some(colon) = uri.find(':') else {
        return false;
    };
    let scheme = &uri[..colon];
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

pub use crate::ingest::paths::percent_decode;

/// What convert or merge did beyond copying: per run, and what was dropped.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// The output file (`-` for stdout).
    pub output: String,
    /// Runs written.
    pub runs: Vec<RunSummary>,
    /// Results left out, and why (one line each, already counted).
    pub dropped: Vec<String>,
    /// Other things worth knowing (relocated findings, redactions).
    pub notes: Vec<String>,
    /// Size of the file written, bytes.
    pub bytes: u64,
    /// Upper bound of its gzip-compressed size, bytes (what GitHub's 10 MB limit is about).
    pub gzip_bytes_at_most: u64,
    /// Results taken out of the log, handed back so the caller decides when to free them (a
    /// command about to exit need not).
    #[serde(skip)]
    pub discarded: Vec<Value>,
}

/// One run of the output.
#[derive(Debug, Default, Clone, Serialize)]
pub struct RunSummary {
    /// `tool.driver.name`.
    pub tool: String,
    /// `automationDetails.id`.
    pub category: String,
    /// Results written.
    pub results: usize,
    /// Rules written.
    pub rules: usize,
    /// Results by level.
    pub levels: std::collections::BTreeMap<String, usize>,
}

impl Summary {
    /// A readable summary.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}: {} run(s), {} bytes (gzip at most {} bytes)\n",
            self.output,
            self.runs.len(),
            self.bytes,
            self.gzip_bytes_at_most
        );
        for r in &self.runs {
            let levels: Vec<String> = r.levels.iter().map(|(k, v)| format!("{v} {k}")).collect();
            s.push_str(&format!(
                "  {} ({}): {} result(s){}, {} rule(s)\n",
                r.tool,
                r.category,
                r.results,
                if levels.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", levels.join(", "))
                },
                r.rules
            ));
        }
        for d in &self.dropped {
            s.push_str(&format!("  dropped: {d}\n"));
        }
        for n in &self.notes {
            s.push_str(&format!("  note: {n}\n"));
        }
        s
    }
}

/// Fingerprints, duplicates, limits, then the bytes: the last steps of convert and merge.
/// Returns the serialized log and fills the summary.
/// `pretty` indents the JSON (for files people read; merges of big files are written compact).
pub fn finish(
    log: &mut Value,
    repo: &Repo,
    lim: &limits::Limits,
    pretty: bool,
    summary: &mut Summary,
) -> Result<Vec<u8>, SarifError> {
    if let Some(runs) = log.get_mut("runs").and_then(Value::as_array_mut) {
        for run in runs.iter_mut() {
            let n = limits::fill_fingerprints(run, repo);
            if n.dropped_duplicates > 0 {
                summary.dropped.push(format!(
                    "{} duplicate result(s) of {} (same rule, location and message)",
                    n.dropped_duplicates,
                    limits::tool_name(run)
                ));
            }
        }
    }
    summary
        .dropped
        .extend(limits::enforce(log, lim, &mut summary.discarded)?);
    let bytes = limits::serialize_within(log, lim, pretty, summary)?;
    summary.runs = log
        .get("runs")
        .and_then(Value::as_array)
        .map(|runs| runs.iter().map(limits::run_summary).collect())
        .unwrap_or_default();
    Ok(bytes)
}
