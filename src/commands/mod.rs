//! The commands: each reads its inputs, calls the library, prints, and returns its exit code.
//! Helpers shared by several commands are here.

pub mod config;
pub mod deploy;
pub mod gate;
pub mod inspect;
pub mod publish;
pub mod sarif;

use anyhow::{Context, Result};
use shipgate::gate::config::Config;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_stdout(out: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write to stdout");
    }
    Ok(())
}

/// An Action input (`INPUT_<NAME>`), unset when empty.
pub fn action_input(name: &str) -> Option<String> {
    std::env::var(format!("INPUT_{}", name.replace(' ', "_").to_uppercase()))
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// An Action input holding a list: one item per line or per comma.
pub fn action_list(name: &str) -> Vec<String> {
    action_input(name)
        .map(|v| {
            v.split(['\n', ','])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

pub fn repo_root(arg: Option<PathBuf>) -> Result<PathBuf> {
    match arg {
        Some(r) => Ok(r),
        None => std::env::current_dir().context("cannot read the current directory"),
    }
}

/// The default config locations under the root, in the order they are tried.
pub const CONFIG_NAMES: &[&str] = &[".quality-gates.config.json", ".github/quality-gates.json"];

/// The config file to use: the one given, else the first default location that exists.
pub fn config_path(given: Option<PathBuf>, root: &Path) -> Option<PathBuf> {
    given.or_else(|| {
        CONFIG_NAMES
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file())
    })
}

pub fn load_config(path: Option<&Path>) -> Result<(Config, Vec<u8>, String)> {
    match path {
        Some(p) => {
            let (cfg, bytes) = Config::load(p)?;
            for w in &cfg.warnings {
                tracing::warn!("{w}");
            }
            Ok((cfg, bytes, p.display().to_string()))
        }
        None => Ok((Config::default(), Vec::new(), "defaults".into())),
    }
}
