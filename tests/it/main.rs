//! One integration-test binary; a module per area.

// Tests print skip notices; the library is the code that must not print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod support;

mod action;
mod bad_input;
mod cli;
mod config;
mod coverage_formats;
mod deploy;
mod diff;
mod fast_paths;
mod finding_formats;
mod gate;
mod junit_format;
mod publish;
mod real_fixtures;
mod runner;
mod sarif;
mod scanner_formats;
mod xunit_formats;
