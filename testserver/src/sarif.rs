//! Reading a code-scanning upload: base64, then gzip, then SARIF, checked against GitHub's limits.

use std::io::Read as _;

use base64::Engine as _;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// The most gzip-compressed bytes GitHub accepts in one upload (10 MB).
pub const MAX_COMPRESSED: usize = 10 * 1024 * 1024;
/// Runs per file.
pub const MAX_RUNS: usize = 20;
/// Results per run.
pub const MAX_RESULTS: usize = 25_000;
/// Decompressed files are read up to this size; beyond it the upload is refused.
const MAX_DECOMPRESSED: u64 = 512 * 1024 * 1024;
/// Decoded documents up to this size are kept for tests to look at.
const KEEP_DOCUMENT: usize = 4 * 1024 * 1024;

/// An upload refused at once, with the HTTP status GitHub gives.
pub struct Rejected {
    pub status: u16,
    pub message: String,
}

/// What was read from an accepted upload; `errors` make its processing fail.
pub struct Read {
    pub runs: usize,
    pub results: Vec<usize>,
    pub errors: Vec<String>,
    pub document: Option<Value>,
}

#[derive(Deserialize)]
struct Counted {
    version: Option<String>,
    runs: Vec<CountedRun>,
}

#[derive(Deserialize)]
struct CountedRun {
    // IgnoredAny is zero-sized: counting 25,000 results allocates nothing per result.
    #[serde(default)]
    results: Option<Vec<IgnoredAny>>,
}

pub fn read(encoded: &str) -> Result<Read, Rejected> {
    let cleaned: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let gz = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| Rejected {
            status: 400,
            message: format!("Invalid request.\n\nThe sarif field is not valid base64: {e}"),
        })?;
    if gz.len() > MAX_COMPRESSED {
        return Err(Rejected {
            status: 413,
            message: format!(
                "Payload Too Large: the compressed SARIF is {} bytes; the maximum is {MAX_COMPRESSED}",
                gz.len()
            ),
        });
    }
    let mut raw = Vec::new();
    let decoder = flate2::read::GzDecoder::new(gz.as_slice());
    decoder
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut raw)
        .map_err(|e| Rejected {
            status: 400,
            message: format!("Invalid request.\n\nThe sarif field is not gzip-compressed: {e}"),
        })?;
    if raw.len() as u64 > MAX_DECOMPRESSED {
        return Err(Rejected {
            status: 413,
            message: format!(
                "Payload Too Large: the SARIF expands beyond {MAX_DECOMPRESSED} bytes"
            ),
        });
    }
    let mut errors = Vec::new();
    let (runs, results) = match serde_json::from_slice::<Counted>(&raw) {
        Ok(c) => {
            if c.version.as_deref() != Some("2.1.0") {
                errors.push(format!(
                    "Unsupported SARIF version {:?}: only 2.1.0 is supported",
                    c.version.unwrap_or_default()
                ));
            }
            let results: Vec<usize> = c
                .runs
                .iter()
                .map(|r| r.results.as_ref().map_or(0, Vec::len))
                .collect();
            (c.runs.len(), results)
        }
        Err(e) => {
            errors.push(format!("Unable to parse the SARIF file: {e}"));
            (0, Vec::new())
        }
    };
    if runs > MAX_RUNS {
        errors.push(format!(
            "rejecting SARIF, as there are more runs than allowed ({runs} > {MAX_RUNS})"
        ));
    }
    if let Some(most) = results.iter().copied().max().filter(|m| *m > MAX_RESULTS) {
        errors.push(format!(
            "rejecting SARIF, as there are more results per run than allowed ({most} > {MAX_RESULTS})"
        ));
    }
    let document = if raw.len() <= KEEP_DOCUMENT {
        serde_json::from_slice(&raw).ok()
    } else {
        None
    };
    Ok(Read {
        runs,
        results,
        errors,
        document,
    })
}
