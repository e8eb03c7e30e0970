//! shipgate: decide from CI's reports whether a change may ship.
//!
//! Data flows one way: [`ingest`] turns report files into the [`model`]; later layers
//! evaluate and publish it. The library never prints; the binary in `main.rs` does.

pub mod deploy;
pub mod diff;
pub mod gate;
pub mod github;
pub mod ingest;
pub mod model;
pub mod publish;
pub mod render;
pub mod runner;
pub mod sarif;

/// Installs the one rustls crypto provider compiled in (ring). octocrab and reqwest both use
/// rustls without choosing a provider, and a client built before one is installed panics, so
/// `main` calls this first and every constructor of an HTTP client calls it too (tests build
/// clients without `main`). Calling it again is harmless.
pub fn install_crypto_provider() {
    // Err only means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
