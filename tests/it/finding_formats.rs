//! Tests: finding_formats.
