//! Deployments: versions from release tags, health checks, environments as code, the deploy
//! command runner, changelog sections for releases.

pub mod apply;
pub mod approvals;
pub mod changelog;
pub mod environment;
pub mod health;
pub mod lifecycle;
pub mod notify;
pub mod release;
pub mod run;
pub mod version;
