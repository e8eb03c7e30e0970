//! One integration-test binary; a module per area.

mod support;

mod bad_input;
mod cli;
mod coverage_formats;
mod finding_formats;
mod junit_format;
mod real_fixtures;
mod xunit_formats;
