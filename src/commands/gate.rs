//! `shipgate gate`: reads the reports, decides, prints, writes the runner's files, and
//! publishes with `--publish`.

use super::publish as publishing;
use super::{action_input, action_list, config_path, load_config, repo_root, write_stdout};
use crate::cli::{GateArgs, GateFormat};
use anyhow::{Context, Result};
use shipgate::gate::config::Config;
use shipgate::gate::inputs::{self, Input, Origin, Role};
use shipgate::gate::verdict::EnvironmentChoice;
use shipgate::gate::{self, report};
use shipgate::ingest::PathResolver;
use shipgate::runner::{self, GithubContext, commands, output};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The reports to read, per role, and the metrics files: flags, `INPUT_*` variables and the
/// config's `inputs` (relative to the root) together; with none of them, the reports found at
/// conventional locations (listed on stderr).
fn gate_inputs(
    args: &GateArgs,
    cfg: &Config,
    root: &Path,
    cwd: &Path,
) -> (Vec<Input>, Vec<String>) {
    let mut list: Vec<Input> = Vec::new();
    let from_config = |p: &String| {
        if Path::new(p).is_absolute() || root == cwd {
            p.clone()
        } else {
            root.join(p).display().to_string()
        }
    };
    for (role, flag, conf) in [
        (Role::Coverage, &args.coverage, &cfg.inputs.coverage),
        (Role::Tests, &args.tests, &cfg.inputs.tests),
        (Role::Findings, &args.findings, &cfg.inputs.findings),
        (Role::Security, &args.security, &cfg.inputs.security),
        (
            Role::Documentation,
            &args.documentation,
            &cfg.inputs.documentation,
        ),
    ] {
        for p in flag {
            list.push(Input {
                role,
                pattern: p.clone(),
                origin: Origin::Flag,
            });
        }
        let var = format!("INPUT_{}", role.name().to_uppercase());
        for p in action_list(role.name()) {
            list.push(Input {
                role,
                pattern: p,
                origin: Origin::Env(var.clone()),
            });
        }
        for p in conf {
            list.push(Input {
                role,
                pattern: from_config(p),
                origin: Origin::Config,
            });
        }
    }
    let mut metrics: Vec<String> = args.metrics.clone();
    metrics.extend(action_list("metrics"));
    metrics.extend(cfg.inputs.metrics.iter().map(from_config));
    if list.is_empty() {
        list = inputs::discover(root);
        if list.is_empty() {
            eprintln!(
                "found no report at the conventional locations under {}",
                root.display()
            );
        } else {
            eprintln!("found {} report(s) at conventional locations:", list.len());
            for i in &list {
                let shown = Path::new(&i.pattern)
                    .strip_prefix(root)
                    .map_or_else(|_| i.pattern.clone(), |p| p.display().to_string());
                eprintln!("  {:<9} {shown}", i.role.name());
            }
        }
    }

    (list, metrics)
}

/// A pull request's files from the API, on the shared GitHub client (token, GHES, retries).
fn pull_files_from_api(number: u64) -> Result<shipgate::diff::api::PullFiles> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let c = shipgate::github::Client::from_env()?;
        Ok(shipgate::diff::api::pull_files(&c, number).await?)
    })
}

/// The changed lines, and the commits whose check run may hold the baseline (the merge base
/// first, then the base asked for), when there is a base.
#[derive(Default)]
struct Compared {
    lines: Option<shipgate::diff::ChangedLines>,
    bases: Vec<String>,
}

/// The lines the change adds: against `--base` (an error when git cannot tell), else on a
/// pull_request event against the payload's base, on a push event against its `before` (a
/// warning when git cannot tell).
fn changed_lines(
    args: &GateArgs,
    api_allowed: bool,
    gh: &GithubContext,
    root: &Path,
) -> Result<Compared> {
    use shipgate::diff::git;
    let given = args.base.clone().or_else(|| action_input("base"));
    let payload = gh.event_path.as_ref().and_then(|p| std::fs::read(p).ok());
    let from_event = payload
        .as_deref()
        .and_then(git::pull_request_base)
        .or_else(|| {
            // A push (to main, say) is compared with the branch's previous tip.
            (gh.event_name.as_deref() == Some("push"))
                .then(|| payload.as_deref().and_then(git::push_before))
                .flatten()
                .map(|sha| (sha, None))
        });
    let hints = git::Hints {
        pr_commits: from_event.as_ref().and_then(|e| e.1),
    };
    let (base, explicit) = match (given, from_event) {
        (Some(b), _) => (b, true),
        (None, Some((sha, _))) => (sha, false),
        (None, None) => return Ok(Compared::default()),
    };
    match git::changes(root, &base, &hints) {
        Ok(c) => {
            for n in &c.notes {
                eprintln!("changes: {n}");
            }
            eprintln!(
                "changes: {} file(s), {} added line(s) since the merge base {} of {} and HEAD",
                c.lines.files.len(),
                c.lines.added_count(),
                short(&c.merge_base),
                short(&c.base)
            );
            let mut bases = vec![c.merge_base.clone()];
            if c.base != c.merge_base {
                bases.push(c.base.clone());
            }
            Ok(Compared {
                lines: Some(c.lines),
                bases,
            })
        }
        Err(e) if explicit => Err(e).context("--base: cannot find the changed lines"),
        Err(e) => {
            // No local history: the pull request's files from the API, but only when the run
            // publishes (a gate without --publish never calls GitHub) with an accepted token.
            let bases = vec![base.clone()];
            let number = payload
                .as_deref()
                .and_then(git::pull_request_number)
                .filter(|_| api_allowed);
            if let Some(n) = number {
                eprintln!(
                    "changes: git cannot tell ({e}); asking the API for pull request #{n}'s files"
                );
                match pull_files_from_api(n) {
                    Ok(f) => {
                        for note in f.notes() {
                            eprintln!("notice: {note}");
                        }
                        eprintln!(
                            "changes: {} file(s), {} added line(s) from the API",
                            f.lines.files.len(),
                            f.lines.added_count()
                        );
                        return Ok(Compared {
                            lines: Some(f.lines),
                            bases,
                        });
                    }
                    Err(api_err) => tracing::warn!("{api_err:#}"),
                }
            }
            let forced = gh.event_name.as_deref() == Some("push")
                && payload.as_deref().is_some_and(git::push_forced);
            if forced {
                tracing::warn!(
                    "cannot find the changed lines, so patch coverage is not measured: this push was forced, and its `before` ({}) is not in the clone and could not be fetched (a force push can remove it from the remote; no fetch-depth brings it back)",
                    short(&base)
                );
            } else {
                tracing::warn!(
                    "cannot find the changed lines, so patch coverage is not measured: {e}"
                );
            }
            Ok(Compared { lines: None, bases })
        }
    }
}

/// The baseline from shipgate's check run (the same gate name) on the base commits, tried in
/// order: the merge base, then the base asked for. Nothing found or unreadable: a notice, and
/// the comparison is skipped; never an error.
fn baseline_from_check_run(
    session: &shipgate::publish::session::Session,
    gate: &str,
    bases: &[String],
) -> Option<shipgate::gate::baseline::Baseline> {
    use shipgate::publish::baseline::{Fetched, fetch};
    let mut tried = Vec::new();
    for sha in bases {
        match session.block_on(fetch(session.client(), sha, gate)) {
            Ok(Fetched::Found(b, id)) => {
                eprintln!(
                    "baseline: check run {gate} ({id}) on the base commit {}",
                    short(sha)
                );
                return Some(*b);
            }
            Ok(Fetched::NoRun) => tried.push(format!("{} (no completed run)", short(sha))),
            Ok(Fetched::NoDigest(n)) => tried.push(format!(
                "{} ({n} completed run(s), none with a baseline digest)",
                short(sha)
            )),
            Ok(Fetched::Unreadable(id, e)) => {
                eprintln!(
                    "notice: the baseline in check run {gate} ({id}) on {} cannot be read ({e}): the comparison is skipped",
                    short(sha)
                );
                return None;
            }
            Err(e) => {
                eprintln!(
                    "notice: cannot read the check runs of the base commit {} ({e}): the comparison is skipped",
                    short(sha)
                );
                return None;
            }
        }
    }
    if !tried.is_empty() {
        eprintln!(
            "notice: no shipgate baseline in check run {gate} on the base commit {}: the comparison is skipped (a first run?)",
            tried.join(", ")
        );
    }
    None
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The baseline of `--baseline`: a missing file skips the comparison with a notice; a file
/// without a digest too; a damaged digest is an error.
fn read_baseline(args: &GateArgs) -> Result<Option<shipgate::gate::baseline::Baseline>> {
    use shipgate::gate::baseline::{self, BaselineError};
    let Some(p) = args
        .baseline
        .clone()
        .or_else(|| action_input("baseline").map(PathBuf::from))
    else {
        return Ok(None);
    };
    let text = match std::fs::read(&p) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "notice: baseline {} does not exist (a first run?): the comparison is skipped",
                p.display()
            );
            return Ok(None);
        }
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read the baseline", p.display()));
        }
    };
    match baseline::read_text(&text) {
        Ok(b) => {
            eprintln!(
                "baseline: {}{}",
                p.display(),
                b.header
                    .commit
                    .as_deref()
                    .map(|c| format!(" (commit {})", short(c)))
                    .unwrap_or_default()
            );
            Ok(Some(b))
        }
        Err(BaselineError::Missing) => {
            eprintln!(
                "notice: {} holds no shipgate baseline digest: the comparison is skipped",
                p.display()
            );
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| format!("{}: bad baseline", p.display())),
    }
}

pub fn gate_cmd(args: GateArgs) -> Result<ExitCode> {
    let root = repo_root(args.root.clone())?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let gh = GithubContext::from_vars(|k| std::env::var(k).ok());

    let given_config = args
        .config
        .clone()
        .or_else(|| action_input("config").map(PathBuf::from));
    let cfg_path = config_path(given_config, &root);
    let (cfg, cfg_bytes, cfg_source) = load_config(cfg_path.as_deref())?;
    eprintln!("config: {cfg_source}");

    let env = match args
        .environment
        .clone()
        .map(|e| (e, "--environment"))
        .or_else(|| action_input("environment").map(|e| (e, "INPUT_ENVIRONMENT")))
    {
        Some((name, from)) => EnvironmentChoice {
            name,
            reason: format!("set by {from}"),
        },
        None => {
            let branch = gh.default_branch();
            runner::derive_environment(&gh, branch.as_deref())
        }
    };
    eprintln!("environment: {} ({})", env.name, env.reason);

    let (list, metrics) = gate_inputs(&args, &cfg, &root, &cwd);

    let build_seconds = match args.build_seconds {
        Some(v) => Some(v),
        None => action_input("build_seconds")
            .map(|v| {
                v.parse::<f64>().map_err(|_| {
                    anyhow::anyhow!("INPUT_BUILD_SECONDS: expected a number of seconds, got `{v}`")
                })
            })
            .transpose()?,
    };
    if let Some(v) = build_seconds {
        anyhow::ensure!(
            v.is_finite() && v >= 0.0,
            "--build-seconds: expected a number of 0 or more, got {v}"
        );
    }

    // The check run shows in_progress while the reports are read.
    let publish_opts = publishing::options(&args.publish_opts);
    let session = if args.publish {
        publishing::start(&gh, &publish_opts)
    } else {
        None
    };

    let resolver = PathResolver::new(&root);
    let mut gathered = match inputs::gather(&list, &metrics, &resolver, &root) {
        Ok(g) => g,
        Err(e) => {
            if let Some(s) = session {
                s.abort(&format!("shipgate could not read its inputs: {e}"));
            }
            return Err(e.into());
        }
    };
    if let Some(v) = build_seconds {
        gathered
            .metrics
            .insert(gate::regress::BUILD_TIME.to_string(), v);
    }
    // The API may be asked for the changed lines only by a run that publishes with a token
    // GitHub accepted.
    let api_allowed = session.as_ref().is_some_and(|s| s.unauthorized().is_none());
    let baseline_given = args.baseline.is_some() || action_input("baseline").is_some();
    let compared = changed_lines(&args, api_allowed, &gh, &root)
        .and_then(|changes| Ok((changes, read_baseline(&args)?)));
    let (
        Compared {
            lines: changes,
            bases,
        },
        mut baseline,
    ) = match compared {
        Ok(c) => c,
        Err(e) => {
            if let Some(s) = session {
                s.abort(&format!("shipgate could not compare with the base: {e:#}"));
            }
            return Err(e);
        }
    };
    // Without --baseline, the base commit's own check run holds it (only when publishing with
    // a token GitHub accepted: a gate without --publish never calls GitHub).
    if !baseline_given && !bases.is_empty() {
        match &session {
            Some(s) if api_allowed => {
                baseline = baseline_from_check_run(s, &publish_opts.gate, &bases);
            }
            _ => eprintln!(
                "notice: no baseline: pass --baseline report.json, or --publish to read it from the base commit's check run; the comparison is skipped"
            ),
        }
    }
    for s in &gathered.skipped {
        eprintln!("skipped: {s}");
    }
    let missing = gathered.bundle.missing_files(&resolver);
    if !missing.is_empty() {
        tracing::warn!(
            "{} file(s) named by the reports are not in the repository at {}",
            missing.len(),
            resolver.root()
        );
    }
    let mut evidence = gathered.evidence();
    evidence.changes = changes.as_ref();
    evidence.baseline = baseline.as_ref();
    let verdict = match gate::evaluate(&cfg, env, &evidence) {
        Ok(v) => v,
        Err(e) => {
            if let Some(s) = session {
                s.abort(&format!("shipgate could not evaluate the gate: {e}"));
            }
            return Err(e.into());
        }
    };

    let report_path = args
        .report
        .clone()
        .or_else(|| action_input("report").map(PathBuf::from));
    let needs_report =
        report_path.is_some() || args.format == GateFormat::Json || session.is_some();
    let report_json = if needs_report {
        let ctx = report::Context {
            config: &cfg,
            config_source: cfg_source.clone(),
            config_bytes: &cfg_bytes,
            commit: gh.sha.clone(),
            git_ref: gh.git_ref.clone(),
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs()),
            metrics: &gathered.metrics,
        };
        let r = report::build(&verdict, &gathered.bundle, &ctx);
        let mut s = serde_json::to_string_pretty(&r)?;
        s.push('\n');
        Some(s)
    } else {
        None
    };
    if let (Some(p), Some(json)) = (&report_path, &report_json) {
        std::fs::write(p, json)
            .with_context(|| format!("{}: cannot write the report", p.display()))?;
        eprintln!("report: {}", p.display());
    }

    let out = match args.format {
        GateFormat::Text => {
            use std::io::IsTerminal;
            let color = shipgate::render::terminal::use_color(
                std::env::var("NO_COLOR").ok().as_deref(),
                std::env::var("FORCE_COLOR").ok().as_deref(),
                std::io::stdout().is_terminal(),
            );
            shipgate::render::terminal::render(&verdict, color)
        }
        GateFormat::Json => report_json.clone().unwrap_or_default(),
        GateFormat::Markdown => shipgate::render::markdown::render(&verdict, output::SUMMARY_LIMIT),
    };
    write_stdout(&out)?;

    if gh.actions {
        // The runner reads workflow commands from stderr as well as stdout; stderr keeps
        // stdout for what was asked.
        for a in commands::annotations(&verdict.problems) {
            eprintln!("{a}");
        }
        if let Some(p) = &gh.output {
            let shown = report_path.as_ref().map(|p| p.display().to_string());
            output::write_outputs(
                p,
                &runner::step_outputs(&verdict, shown.as_deref()),
                &mut output::OsRandom,
            )?;
        }
        if let Some(p) = &gh.step_summary {
            let existing = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let md = shipgate::render::markdown::render(&verdict, output::summary_budget(existing));
            output::append(p, &md)?;
        }
    }
    // Publishing never changes the gate's exit code.
    if let (Some(s), Some(json)) = (session, &report_json) {
        publishing::finish(s, json, &publish_opts);
    }
    Ok(if verdict.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
