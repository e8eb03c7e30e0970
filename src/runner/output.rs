//! `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`.
//!
//! Outputs are written as the runner reads them: `name<<DELIMITER`, the value's lines, then
//! `DELIMITER` alone on a line. The delimiter is `ghadelimiter_` and 32 random hex digits
//! (as `@actions/core` writes it); a delimiter that occurs in the name or the value is
//! drawn again, so no value can end its own heredoc early.

use std::io::Write;
use std::path::Path;

/// A source of random delimiter suffixes.
pub trait Random {
    /// A fresh random token (hex digits).
    fn token(&mut self) -> String;
}

/// Randomness from the operating system (`/dev/urandom`), else from std's per-process
/// random hash keys.
#[derive(Debug, Default)]
pub struct OsRandom;

impl Random for OsRandom {
    fn token(&mut self) -> String {
        use std::io::Read;
        let mut buf = [0u8; 16];
        let from_os = std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut buf))
            .is_ok();
        if !from_os {
            use std::hash::{BuildHasher, Hasher};
            for chunk in buf.chunks_mut(8) {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_u64(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_nanos() as u64),
                );
                chunk.copy_from_slice(&h.finish().to_le_bytes());
            }
        }
        buf.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The name cannot be an output name.
    #[error("output name {0:?} is empty or contains a line break, `=` or `<<`")]
    BadName(String),
    /// Every delimiter drawn occurred in the value (the randomness is broken).
    #[error("could not draw a heredoc delimiter that does not occur in the value of `{0}`")]
    NoDelimiter(String),
    /// The file could not be written.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// One output as the runner's file command reads it.
pub fn format_output(name: &str, value: &str, rng: &mut dyn Random) -> Result<String, OutputError> {
    // The runner splits `name=value` at the first `=` before any `<<`.
    if name.is_empty() || name.contains(['\n', '\r', '=']) || name.contains("<<") {
        return Err(OutputError::BadName(name.to_string()));
    }
    for _ in 0..100 {
        let delim = format!("ghadelimiter_{}", rng.token());
        if !name.contains(&delim) && !value.contains(&delim) {
            return Ok(format!("{name}<<{delim}\n{value}\n{delim}\n"));
        }
    }
    Err(OutputError::NoDelimiter(name.to_string()))
}

/// Appends `text` to a runner file (outputs or summary).
pub fn append(path: &Path, text: &str) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)
}

/// Writes outputs to `$GITHUB_OUTPUT`, one heredoc each.
pub fn write_outputs(
    path: &Path,
    outputs: &[(String, String)],
    rng: &mut dyn Random,
) -> Result<(), OutputError> {
    let mut text = String::new();
    for (k, v) in outputs {
        text.push_str(&format_output(k, v, rng)?);
    }
    append(path, &text)
}

/// The runner's limit on one step's summary.
pub const SUMMARY_LIMIT: usize = 1024 * 1024;

/// How many bytes of Markdown may still be appended to a step summary that already holds
/// `existing` bytes, with room to spare.
pub fn summary_budget(existing: u64) -> usize {
    SUMMARY_LIMIT
        .saturating_sub(existing as usize)
        .saturating_sub(4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Seq(Vec<&'static str>);
    impl Random for Seq {
        fn token(&mut self) -> String {
            if self.0.len() > 1 {
                self.0.remove(0).into()
            } else {
                self.0[0].into()
            }
        }
    }

    #[test]
    fn redraws_a_delimiter_found_in_the_value() {
        let mut r = Seq(vec!["aa", "bb"]);
        let s = format_output("x", "before\nghadelimiter_aa\nafter", &mut r).unwrap();
        assert_eq!(
            s,
            "x<<ghadelimiter_bb\nbefore\nghadelimiter_aa\nafter\nghadelimiter_bb\n"
        );
        let mut r = Seq(vec!["aa"]);
        assert!(matches!(
            format_output("x", "ghadelimiter_aa", &mut r),
            Err(OutputError::NoDelimiter(_))
        ));
        assert!(format_output("a\nb", "v", &mut OsRandom).is_err());
        let t = OsRandom.token();
        assert_eq!(t.len(), 32);
        assert_ne!(t, OsRandom.token());
    }
}
