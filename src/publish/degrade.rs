//! When the token may not write (a pull request from a fork gets a read-only token; a
//! workflow's `permissions:` may be too narrow): the verdict stays in the job summary and the
//! workflow annotations, and one notice says which permission was missing and what to do.

use crate::runner::commands::escape_data;

/// The one notice (a workflow command) naming the missing permissions.
pub fn notice(missing: &[String]) -> String {
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let msg = format!(
        "shipgate could not publish to GitHub: the token lacks {list} (pull requests from forks get a read-only token). \
The verdict is in the job summary and the annotations. To publish it, grant {list} in the workflow's `permissions:`, \
or publish report.json from a `workflow_run` job with `shipgate publish`."
    );
    format!(
        "::notice title=shipgate%3A missing permission {}::{}",
        escape_data(&missing.join(", "))
            .replace(':', "%3A")
            .replace(',', "%2C"),
        escape_data(&msg)
    )
}

/// Where the token came from, for the notices: the Action's input or the environment.
pub fn token_source(var: impl Fn(&str) -> Option<String>) -> &'static str {
    let set = |k: &str| var(k).is_some_and(|v| !v.trim().is_empty());
    if set("INPUT_TOKEN") {
        "the Action's `token` input"
    } else {
        "`GITHUB_TOKEN`"
    }
}

/// The one notice when GitHub refused the token (401), `source` from [`token_source`].
pub fn unauthorized_notice(message: &str, source: &str) -> String {
    let said = if message.trim().is_empty() {
        "401".to_string()
    } else {
        format!("401 {}", message.trim())
    };
    let msg = format!(
        "shipgate could not publish to GitHub: GitHub refused the token ({said}). The token from {source} is invalid, \
expired or revoked (`secrets.GITHUB_TOKEN` is valid only while its job runs; a personal access token may have expired). \
The verdict is in the job summary and the annotations. To publish it, pass a valid token: `token: ${{{{ secrets.GITHUB_TOKEN }}}}` \
in the step's `with:`, or `GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}` in its `env:`."
    );
    format!(
        "::notice title=shipgate%3A GitHub refused the token::{}",
        escape_data(&msg)
    )
}

/// The one notice when no token was given at all.
pub fn no_token_notice() -> String {
    let msg = "shipgate did not publish to GitHub: no token was given (neither the Action's `token` input, INPUT_TOKEN, \
nor GITHUB_TOKEN is set). The verdict is in the job summary and the annotations. To publish it, pass one: \
`token: ${{ secrets.GITHUB_TOKEN }}` in the step's `with:`, or `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` in its `env:`, \
with `permissions:` granting `checks: write` and `pull-requests: write`.";
    format!(
        "::notice title=shipgate%3A no GitHub token::{}",
        escape_data(msg)
    )
}
