//! Tests: real_fixtures.
