//! Tests: coverage_formats.
