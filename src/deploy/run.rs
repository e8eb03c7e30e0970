//! Running the user's deploy and rollback commands: their output streamed to stderr (stdout
//! stays for what shipgate was asked), SIGINT/SIGTERM forwarded to them and reported, so the
//! caller can end the deployment with a final status before exiting.

use std::process::Stdio;
use std::time::Duration;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The longest description GitHub keeps on a deployment status.
pub const DESCRIPTION_LIMIT: usize = 140;

/// `text` cut to GitHub's 140 characters (on a character boundary, with an ellipsis).
pub fn description(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= DESCRIPTION_LIMIT {
        return one_line;
    }
    let mut s: String = one_line.chars().take(DESCRIPTION_LIMIT - 1).collect();
    s.push('…');
    s
}

/// SIGINT and SIGTERM, listened to from the start of a deployment (the runner sends SIGINT on
/// cancellation, then SIGTERM 7.5 s later, then kills).
pub struct Signals {
    int: Signal,
    term: Signal,
}

/// A signal received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// `SIGINT` or `SIGTERM`.
    pub name: &'static str,
    /// Its number.
    pub number: i32,
}

impl Received {
    /// The shell's exit code for a process ended by this signal.
    pub fn exit_code(&self) -> u8 {
        (128 + self.number) as u8
    }
}

impl Signals {
    /// Starts listening; from now on the signals no longer end the process by themselves.
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
        })
    }

    /// The next signal.
    pub async fn recv(&mut self) -> Received {
        tokio::select! {
            _ = self.int.recv() => Received { name: "SIGINT", number: libc::SIGINT },
            _ = self.term.recv() => Received { name: "SIGTERM", number: libc::SIGTERM },
        }
    }
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It exited with this code.
    Exited(i32),
    /// It was ended by a signal it did not get from shipgate.
    Killed(i32),
    /// shipgate received a signal, passed it on, and the command has ended.
    Cancelled(Received),
    /// It could not be started.
    NotStarted(String),
}

impl Outcome {
    /// Whether the command succeeded.
    pub fn success(&self) -> bool {
        matches!(self, Outcome::Exited(0))
    }

    /// What happened, for people and status descriptions.
    pub fn text(&self, what: &str) -> String {
        match self {
            Outcome::Exited(0) => format!("{what} succeeded"),
            Outcome::Exited(c) => format!("{what} exited with status {c}"),
            Outcome::Killed(s) => format!("{what} was killed by signal {s}"),
            Outcome::Cancelled(r) => format!("cancelled by {} during the {what}", r.name),
            Outcome::NotStarted(e) => format!("{what} could not start: {e}"),
        }
    }
}

/// How long a command may take to end after a forwarded signal before it is killed.
pub const GRACE: Duration = Duration::from_secs(5);

/// stderr, as the child's stdout and stderr.
fn to_stderr() -> Stdio {
    use std::os::fd::AsFd;
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::inherit(),
    }
}

/// Runs `argv` (no shell) with `env` added, streaming its output to stderr. A signal received
/// meanwhile is passed to the command's process group; the command gets `grace` to end before
/// it is killed.
pub async fn run(
    argv: &[String],
    env: &[(String, String)],
    signals: &mut Signals,
    grace: Duration,
) -> Outcome {
    let Some((prog, args)) = argv.split_first() else {
        return Outcome::NotStarted("no command given".into());
    };
    let mut cmd = tokio::process::Command::new(prog);
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(to_stderr())
        .stderr(to_stderr())
        // Its own process group: a signal reaches the command's children too, and only once.
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::NotStarted(format!("`{prog}`: {e}")),
    };
    let pid = child.id();
    let done = |st: std::io::Result<std::process::ExitStatus>| -> Outcome {
        use std::os::unix::process::ExitStatusExt;
        match st {
            Ok(s) => match (s.code(), s.signal()) {
                (Some(c), _) => Outcome::Exited(c),
                (None, Some(sig)) => Outcome::Killed(sig),
                (None, None) => Outcome::Exited(-1),
            },
            Err(e) => Outcome::NotStarted(e.to_string()),
        }
    };
    tokio::select! {
        st = child.wait() => done(st),
        got = signals.recv() => {
            if let Some(pid) = pid {
                // SAFETY: kill(2) on the process group shipgate created; no memory is touched.
                unsafe { libc::kill(-(pid as i32), got.number) };
            }
            tracing::warn!("{}: passed to the command; waiting up to {} s for it to end", got.name, grace.as_secs());
            if tokio::time::timeout(grace, child.wait()).await.is_err() {
                if let Some(pid) = pid {
                    // SAFETY: as above.
                    unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
                }
                let _ = child.wait().await;
            }
            Outcome::Cancelled(got)
        }
    }
}

/// Runs a shell command line (`sh -c`), as rollback commands are given.
pub async fn run_shell(
    line: &str,
    env: &[(String, String)],
    signals: &mut Signals,
    grace: Duration,
) -> Outcome {
    run(
        &["sh".to_string(), "-c".to_string(), line.to_string()],
        env,
        signals,
        grace,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_fit_github() {
        assert_eq!(description("deploy  ok\nnow"), "deploy ok now");
        let long = "é".repeat(200);
        let d = description(&long);
        assert_eq!(d.chars().count(), 140);
        assert!(d.ends_with('…'));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn exit_codes_and_missing_programs() {
        let mut s = Signals::install().unwrap();
        let o = run_shell("exit 3", &[], &mut s, GRACE).await;
        assert_eq!(o, Outcome::Exited(3));
        let o = run(&["/nonexistent/deploy".into()], &[], &mut s, GRACE).await;
        assert!(
            matches!(o, Outcome::NotStarted(ref e) if e.contains("/nonexistent/deploy")),
            "{o:?}"
        );
        let o = run_shell(
            "test \"$SHIPGATE_VERSION\" = 1.2.3",
            &[("SHIPGATE_VERSION".into(), "1.2.3".into())],
            &mut s,
            GRACE,
        )
        .await;
        assert!(o.success());
    }
}
