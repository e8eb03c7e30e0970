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
