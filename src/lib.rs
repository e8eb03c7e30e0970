//! shipgate: decide from CI's reports whether a change may ship.
//!
//! Data flows one way: [`ingest`] turns report files into the [`model`]; later layers
//! evaluate and publish it. The library never prints; the binary in `main.rs` does.

pub mod gate;
pub mod ingest;
pub mod model;
pub mod render;
pub mod runner;
pub mod sarif;
