//! Requests held before they are carried out ([`FaultKind::DelayBeforeApplying`]): the
//! handler waits, then serves the request as usual. The wait and the serving run in a task of
//! their own, so a client that gives up (closes the connection) does not stop its request:
//! like GitHub with a request it has received, the server still carries it out, possibly after
//! requests the client sent later.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::http::{glob, strip_ghes};
use crate::{FaultKind, Server, Shared};

/// How long the request `method path` is held: the sum of the matching
/// [`FaultKind::DelayBeforeApplying`] faults, each counting one of its `times`.
pub(crate) fn take(shared: &Shared, method: &str, raw_path: &str) -> Duration {
    let mut st = shared.lock();
    let mut route = strip_ghes(raw_path).to_string();
    // The `/repositories/{id}/...` form matches the patterns written for `/repos/{o}/{r}/...`.
    if let Some(rest) = route.strip_prefix("/repositories/") {
        let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if let Some(r) = id.parse::<u64>().ok().and_then(|id| st.repo_by_id(id)) {
            let sep = if tail.is_empty() { "" } else { "/" };
            route = format!("/repos/{}/{}{sep}{tail}", r.owner, r.name);
        }
    }
    let mut held = Duration::ZERO;
    let mut i = 0;
    while i < st.faults.len() {
        let f = &st.faults[i].fault;
        let FaultKind::DelayBeforeApplying(d) = f.kind else {
            i += 1;
            continue;
        };
        let matches = f
            .method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && f.path.as_ref().is_none_or(|p| glob(p, &route));
        if !matches {
            i += 1;
            continue;
        }
        held += d;
        if let Some(left) = st.faults[i].left.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                st.faults.remove(i);
                continue;
            }
        }
        i += 1;
    }
    held
}

/// Counts a request as held while it lives.
pub(crate) struct Holding(Arc<Shared>);

impl Holding {
    pub(crate) fn new(shared: Arc<Shared>) -> Holding {
        shared.held.fetch_add(1, Ordering::SeqCst);
        Holding(shared)
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Server {
    /// How many requests are being held right now, not yet carried out
    /// ([`crate::Fault::delay_before_applying`]).
    pub fn held_requests(&self) -> usize {
        self.shared.held.load(Ordering::SeqCst)
    }
}
