//! One publishing session for the binary: a runtime, the client and the target, so that
//! `gate --publish` can create the check run `in_progress` before it reads the reports and
//! complete it after.

use super::{Input, Options, Outcome, PublishError, Target, checks, target_from};
use crate::github::{Client, GitHubError};
use crate::runner::GithubContext;

/// A client on its own runtime, with the commit and pull request to publish to.
pub struct Session {
    rt: tokio::runtime::Runtime,
    client: Client,
    /// Where the verdict goes.
    pub target: Target,
    check_run: Option<u64>,
    start_error: Option<GitHubError>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("target", &self.target)
            .field("check_run", &self.check_run)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Reads the client settings from the environment and the target from the runner's
    /// context; `sha` and `pr` override it.
    pub fn open(
        ctx: &GithubContext,
        report_ref: Option<&str>,
        sha: Option<String>,
        pr: Option<u64>,
    ) -> Result<Session, PublishError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| PublishError::Target(format!("cannot start the runtime: {e}")))?;
        let client = {
            let _g = rt.enter();
            Client::from_env()?
        };
        let found = target_from(ctx, report_ref);
        let target = match (sha, found) {
            (Some(sha), f) => Target {
                sha,
                pr: pr.or(f.and_then(|t| t.pr)),
            },
            (None, Some(t)) => Target {
                sha: t.sha,
                pr: pr.or(t.pr),
            },
            (None, None) => {
                return Err(PublishError::Target(
                    "no commit to publish to: GITHUB_SHA and the event payload give none (use --sha)"
                        .into(),
                ));
            }
        };
        Ok(Session {
            rt,
            client,
            target,
            check_run: None,
            start_error: None,
        })
    }

    /// Creates the check run `in_progress`; a failure is kept for the outcome.
    pub fn start(&mut self, opts: &Options) {
        let r = self.rt.block_on(checks::start(
            &self.client,
            &self.target.sha,
            &opts.gate,
            opts.details_url.as_deref(),
        ));
        match r {
            Ok(id) => self.check_run = Some(id),
            Err(e) => self.start_error = Some(e),
        }
    }

    /// Publishes: completes the check run started (or creates one), then the comment and the
    /// status.
    pub fn finish(mut self, input: &Input, opts: &Options) -> Outcome {
        let mut out = Outcome::default();
        if let Some(e) = self.start_error.take() {
            // Creating the run failed: do not try again, publish the rest.
            out.record(e);
            let mut rest = self.rt.block_on(async {
                let mut o = Outcome::default();
                if let Some(pr) = self.target.pr {
                    match super::comment::publish(&self.client, pr, &input.verdict, opts).await {
                        Ok(a) => o.comment = Some(a),
                        Err(e) => o.record(e),
                    }
                }
                if opts.status {
                    match super::status::set(&self.client, &self.target.sha, &input.verdict, opts)
                        .await
                    {
                        Ok(()) => o.status = true,
                        Err(e) => o.record(e),
                    }
                }
                o
            });
            for m in rest.missing.drain(..) {
                if !out.missing.contains(&m) {
                    out.missing.push(m);
                }
            }
            out.errors.append(&mut rest.errors);
            out.comment = rest.comment;
            out.status = rest.status;
            return out;
        }
        self.rt.block_on(super::publish(
            &self.client,
            &self.target,
            input,
            opts,
            self.check_run,
        ))
    }

    /// Completes a started check run as failed when the gate could not run.
    pub fn abort(self, message: &str) {
        let Some(id) = self.check_run else { return };
        let path = self.client.repo_path(&format!("/check-runs/{id}"));
        let body = serde_json::json!({
            "status": "completed",
            "conclusion": "failure",
            "output": {"title": "shipgate could not run", "summary": message},
        });
        if let Err(e) = self.rt.block_on(self.client.patch(&path, &body)) {
            tracing::warn!("could not complete the check run: {e}");
        }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a future on the session's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}
