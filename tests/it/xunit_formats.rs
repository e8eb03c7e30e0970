//! Tests: xunit_formats.
