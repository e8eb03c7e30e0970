//! The binary's side of publishing: `gate --publish`, `publish`, `sarif upload`. What goes to
//! GitHub is decided in the library (`shipgate::publish`); this file prints and picks exit codes.

use crate::cli::{PublishCmdArgs, PublishOpts, UploadArgs};
use anyhow::{Context, Result};
use shipgate::github::Client;
use shipgate::publish::session::Session;
use shipgate::publish::{self, Input, Options, Outcome, PublishError, code_scanning, degrade};
use shipgate::runner::{GithubContext, commands, output};
use std::process::ExitCode;

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

/// The library's options from the flags.
pub fn options(o: &PublishOpts) -> Options {
    Options {
        gate: o.gate_name.clone(),
        comment: o.comment,
        delete_on_pass: o.delete_on_pass,
        status: o.status,
        max_annotations: o.max_annotations,
        details_url: publish::run_url(env),
    }
}

/// Opens a session and starts the check run (`gate --publish`, before the reports are read).
/// A failure to open is printed and publishing is skipped: the gate's exit code stays its own.
pub fn start(gh: &GithubContext, opts: &Options) -> Option<Session> {
    match Session::open(gh, None, None, None) {
        Ok(mut s) => {
            s.start(opts);
            Some(s)
        }
        Err(PublishError::NoToken) => {
            eprintln!("{}", degrade::no_token_notice());
            None
        }
        Err(e) => {
            eprintln!("warning: not publishing to GitHub: {e}");
            None
        }
    }
}

/// Prints what publishing did; returns whether something failed for a reason other than a
/// missing permission.
pub fn report_outcome(out: &Outcome, gate: &str) -> bool {
    if let Some(id) = out.check_run {
        eprintln!(
            "published: check run {gate} ({id}) with {} annotation(s)",
            out.annotations_sent
        );
    }
    use publish::comment::Action;
    match &out.comment {
        Some(Action::Created(id)) => eprintln!("published: pull-request comment {id} (created)"),
        Some(Action::Updated(id)) => eprintln!("published: pull-request comment {id} (updated)"),
        Some(Action::Unchanged(id)) => eprintln!("pull-request comment {id} unchanged"),
        Some(Action::Deleted(n)) => {
            eprintln!("the gate passed: {n} pull-request comment(s) deleted")
        }
        Some(Action::Skipped) | None => {}
    }
    if out.status {
        eprintln!("published: commit status {gate}");
    }
    // One notice, a workflow command the runner shows on the run.
    if let Some(m) = &out.unauthorized {
        eprintln!(
            "{}",
            degrade::unauthorized_notice(m, degrade::token_source(env))
        );
    } else if !out.missing.is_empty() {
        eprintln!("{}", degrade::notice(&out.missing));
    }
    for e in &out.errors {
        eprintln!("warning: publishing to GitHub failed: {e}");
    }
    !out.errors.is_empty()
}

/// `gate --publish` after the verdict: publishes report.json's content (its patch coverage
/// gives the annotations for added lines no test ran).
pub fn finish(session: Session, report_json: &str, opts: &Options) {
    match Input::from_report("report.json", report_json) {
        Ok(input) => {
            let pr = session.target.pr;
            let out = session.finish(&input, opts);
            report_outcome(&out, &opts.gate);
            if let Err(e) = write_outcome_outputs(&out, pr) {
                eprintln!("warning: cannot write the step outputs: {e}");
            }
        }
        Err(e) => eprintln!("warning: not publishing to GitHub: {e}"),
    }
}

/// GitHub's web address of the repository: `GITHUB_SERVER_URL` (set by the runner; GHES's
/// host there) and `GITHUB_REPOSITORY`.
fn repo_web() -> Option<String> {
    let server = env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
    let repo = env("GITHUB_REPOSITORY")?;
    Some(format!("{}/{repo}", server.trim_end_matches('/')))
}

/// The step outputs of publishing: `check-run-id`, `check-run-url`, `comment-url` (the web
/// addresses in GitHub's `html_url` forms `<repo>/runs/<id>` and
/// `<repo>/pull/<n>#issuecomment-<id>`). Nothing for what was not written.
pub fn outcome_outputs(out: &Outcome, pr: Option<u64>) -> Vec<(String, String)> {
    use publish::comment::Action;
    let web = repo_web();
    let mut fields = Vec::new();
    if let Some(id) = out.check_run {
        fields.push(("check-run-id".to_string(), id.to_string()));
        if let Some(w) = &web {
            fields.push(("check-run-url".to_string(), format!("{w}/runs/{id}")));
        }
    }
    if let (
        Some(Action::Created(id) | Action::Updated(id) | Action::Unchanged(id)),
        Some(n),
        Some(w),
    ) = (&out.comment, pr, &web)
    {
        fields.push((
            "comment-url".to_string(),
            format!("{w}/pull/{n}#issuecomment-{id}"),
        ));
    }
    fields
}

/// Writes publishing's outputs to `$GITHUB_OUTPUT` in Actions.
fn write_outcome_outputs(out: &Outcome, pr: Option<u64>) -> Result<()> {
    write_step_outputs(&outcome_outputs(out, pr))
}

/// Appends outputs to `$GITHUB_OUTPUT` when running in Actions.
fn write_step_outputs(fields: &[(String, String)]) -> Result<()> {
    let gh = GithubContext::from_vars(env);
    if gh.actions
        && let Some(p) = &gh.output
        && !fields.is_empty()
    {
        output::write_outputs(p, fields, &mut output::OsRandom)?;
    }
    Ok(())
}

/// `shipgate publish report.json`.
pub fn publish_cmd(a: PublishCmdArgs) -> Result<ExitCode> {
    let shown = a.report.display().to_string();
    let text = std::fs::read_to_string(&a.report)
        .with_context(|| format!("{shown}: cannot read the report"))?;
    let input = Input::from_report(&shown, &text)?;
    let gh = GithubContext::from_vars(env);
    let opts = options(&a.opts);
    let session = match Session::open(&gh, input.git_ref.as_deref(), a.sha, a.pr) {
        Ok(s) => s,
        Err(PublishError::NoToken) => {
            eprintln!("{}", degrade::no_token_notice());
            degrade_to_job(&gh, &input)?;
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e.into()),
    };
    eprintln!(
        "publishing to {} (pull request {})",
        session.target.sha,
        session
            .target
            .pr
            .map_or_else(|| "none".into(), |n| format!("#{n}"))
    );
    let pr = session.target.pr;
    let out = session.finish(&input, &opts);
    let failed = report_outcome(&out, &opts.gate);
    write_outcome_outputs(&out, pr)?;
    if out.degraded() {
        degrade_to_job(&gh, &input)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Publishing degraded (the token may not write, or there is none): this job's summary and
/// annotations carry the verdict.
fn degrade_to_job(gh: &GithubContext, input: &Input) -> Result<()> {
    if !gh.actions {
        return Ok(());
    }
    for a in commands::annotations(&input.verdict.problems) {
        eprintln!("{a}");
    }
    if let Some(p) = &gh.step_summary {
        let existing = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let md =
            shipgate::render::markdown::render(&input.verdict, output::summary_budget(existing));
        output::append(p, &md)?;
    }
    Ok(())
}

/// `shipgate sarif upload FILE`.
pub fn sarif_upload(a: UploadArgs) -> Result<ExitCode> {
    let shown = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).with_context(|| format!("{shown}: cannot read"))?;
    let encoded = code_scanning::encode(&shown, &bytes, a.category.as_deref())?;
    let gh = GithubContext::from_vars(env);
    let sha = a
        .sha
        .or(gh.sha.clone())
        .context("no commit to upload for: GITHUB_SHA is not set (use --sha)")?;
    let git_ref = a
        .git_ref
        .or(gh.git_ref.clone())
        .context("no ref to upload for: GITHUB_REF is not set (use --ref)")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let client = {
        let _g = rt.enter();
        Client::from_env()?
    };
    if !client.has_token() {
        eprintln!(
            "error: no GitHub token: set the Action's `token` input or GITHUB_TOKEN (the token needs `security-events: write`)"
        );
        return Ok(ExitCode::from(1));
    }
    let result = rt.block_on(async {
        let id = code_scanning::upload(&client, &encoded, &sha, &git_ref).await?;
        eprintln!("uploaded {shown} for {sha} on {git_ref}: upload {id}");
        if a.wait {
            code_scanning::wait(&client, &id, std::time::Duration::from_secs(a.wait_timeout))
                .await?;
            eprintln!("code scanning processed upload {id}: complete");
        }
        Ok::<_, code_scanning::UploadError>(id)
    });
    match result {
        Ok(id) => {
            write_step_outputs(&[("sarif-id".to_string(), id.clone())])?;
            super::write_stdout(&format!("{id}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(code_scanning::UploadError::File { path, message }) => {
            anyhow::bail!("{path}: {message}")
        }
        Err(e) => {
            if let code_scanning::UploadError::Failed { errors, .. } = &e {
                for err in errors {
                    eprintln!(
                        "::error title=code scanning::{}",
                        commands::escape_data(err)
                    );
                }
            }
            if let code_scanning::UploadError::GitHub(g) = &e
                && g.unauthorized().is_some()
            {
                eprintln!(
                    "error: GitHub refused the token from {} (invalid, expired or revoked): {g}",
                    degrade::token_source(env)
                );
                return Ok(ExitCode::from(1));
            }
            if let code_scanning::UploadError::GitHub(g) = &e
                && let Some(p) = g.missing_permission()
            {
                eprintln!("error: the token lacks `{p}`: {g}");
                return Ok(ExitCode::from(1));
            }
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
