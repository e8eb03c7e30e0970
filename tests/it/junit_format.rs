//! Tests: junit_format.
