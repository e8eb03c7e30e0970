//! Tests: test_formats.
