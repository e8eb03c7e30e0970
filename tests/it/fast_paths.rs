//! The Cobertura and LCOV fast paths change speed, never results: the same data forced
//! through the general path gives the same model.

use crate::support::{coverage, fixture};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn cobertura_general_path_gives_the_same_model() {
    let d = tempfile::tempdir().unwrap();
    for rel in [
        "real/coverage-py/coverage.xml",
        "real/vitest/coverage-istanbul/cobertura-coverage.xml",
        "real/gcovr/coverage.xml",
        "real/jest/coverage/cobertura-coverage.xml",
    ] {
        let src = fixture(rel);
        let text = std::fs::read_to_string(&src).unwrap();
        // The fast path stops at anything but a plain <line .../>: a comment before every
        // line sends each one through quick-xml's attribute reader instead.
        let slow = text.replace("<line ", "<!-- slow --><line ");
        assert!(slow.len() > text.len());
        let fast_model = coverage(&src);
        let slow_model = coverage(&write(d.path(), "slow.xml", &slow));
        assert_eq!(fast_model.files.len(), slow_model.files.len(), "{rel}");
        for ((pa, a), (pb, b)) in fast_model.files.iter().zip(slow_model.files.iter()) {
            assert_eq!(pa, pb, "{rel}");
            assert_eq!(a, b, "{rel}: {pa}");
        }
        assert_eq!(fast_model.totals(), slow_model.totals(), "{rel}");
    }
}

#[test]
fn lcov_general_path_gives_the_same_model() {
    let d = tempfile::tempdir().unwrap();
    for rel in [
        "real/coverage-py/coverage.lcov",
        "real/vitest/coverage-istanbul/lcov.info",
        "real/gcovr/coverage.lcov",
        "real/jest/coverage/lcov.info",
    ] {
        let src = fixture(rel);
        let text = std::fs::read_to_string(&src).unwrap();
        let mut slow = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("DA:") {
                // A checksum field (geninfo --checksum) is outside the DA fast path.
                let fields: Vec<&str> = rest.split(',').collect();
                slow.push_str(&format!("DA:{},{},c0ffee\n", fields[0], fields[1]));
            } else if let Some(rest) = line.strip_prefix("BRDA:") {
                // LCOV 2 allows a branch expression instead of a number: outside the fast path.
                let f: Vec<&str> = rest.splitn(4, ',').collect();
                slow.push_str(&format!("BRDA:{},{},expr{},{}\n", f[0], f[1], f[2], f[3]));
            } else {
                slow.push_str(line);
                slow.push('\n');
            }
        }
        let fast_model = coverage(&src);
        let slow_model = coverage(&write(d.path(), "slow.info", &slow));
        assert_eq!(fast_model, slow_model, "{rel}");
    }
}
