//! What the server remembers between requests.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::{Access, Fault, FileChange, Permissions, RequestRecord, SarifProcessing, Violation};

/// Seconds since the epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for epoch seconds.
pub fn iso(t: u64) -> String {
    let days = (t / 86_400) as i64;
    let secs = t % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Epoch seconds for `YYYY-MM-DDTHH:MM:SSZ` (other offsets are read as UTC).
pub fn parse_iso(s: &str) -> Option<u64> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: u64,
    pub login: String,
    pub kind: &'static str,
}

/// A team of an organisation (a user of kind `Organization`).
#[derive(Clone, Debug)]
pub struct Team {
    pub id: u64,
    pub org: String,
    pub slug: String,
    pub name: String,
    pub created: u64,
}

#[derive(Clone, Debug)]
pub struct Commit {
    pub sha: String,
    pub message: String,
    pub parents: Vec<String>,
    pub author: String,
    pub time: u64,
    pub files: Vec<FileChange>,
}

#[derive(Clone, Debug)]
pub struct Pull {
    pub id: u64,
    pub head_repo: u64,
    pub head_ref: String,
    pub base_ref: String,
    pub body: Option<String>,
    pub state: String,
    pub merged: bool,
    pub draft: bool,
    pub maintainer_can_modify: bool,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub user: String,
    pub created: u64,
    pub updated: u64,
    pub pull: Option<Pull>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub id: u64,
    pub issue: u64,
    pub user: String,
    pub body: String,
    pub created: u64,
    pub updated: u64,
}

#[derive(Clone, Debug)]
pub struct CheckRun {
    pub id: u64,
    pub head_sha: String,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    pub details_url: Option<String>,
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub text: Option<String>,
    pub annotations: Vec<Value>,
    pub check_suite: u64,
}

#[derive(Clone, Debug)]
pub struct Status {
    pub id: u64,
    pub sha: String,
    pub state: String,
    pub context: String,
    pub description: Option<String>,
    pub target_url: Option<String>,
    pub creator: String,
    pub created: u64,
}

#[derive(Clone, Debug)]
pub struct Sarif {
    pub id: String,
    pub commit_sha: String,
    pub git_ref: String,
    pub tool_name: Option<String>,
    pub runs: usize,
    pub results: Vec<usize>,
    pub polls: u32,
    pub processing: SarifProcessing,
    /// Errors found when the upload was read; they fail it whatever the test asked for.
    pub errors: Vec<String>,
    pub document: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct DeploymentStatus {
    pub id: u64,
    pub state: String,
    pub description: String,
    pub environment: String,
    pub target_url: String,
    pub log_url: String,
    pub environment_url: String,
    pub creator: String,
    pub created: u64,
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub id: u64,
    pub sha: String,
    pub git_ref: String,
    pub task: String,
    pub payload: Value,
    pub environment: String,
    pub description: Option<String>,
    pub creator: String,
    pub transient: bool,
    pub production: bool,
    pub created: u64,
    pub updated: u64,
    pub statuses: Vec<DeploymentStatus>,
}

#[derive(Clone, Debug)]
pub struct BranchPolicy {
    pub id: u64,
    pub name: String,
    pub kind: String,
}

#[derive(Clone, Debug)]
pub struct Environment {
    pub id: u64,
    pub name: String,
    pub wait_timer: u32,
    pub prevent_self_review: bool,
    /// (type, id) as sent: `User` or `Team`.
    pub reviewers: Vec<(String, u64)>,
    pub protected_branches: bool,
    pub custom_branch_policies: bool,
    pub branch_policies: Vec<BranchPolicy>,
    pub created: u64,
    pub updated: u64,
    pub rule_ids: [u64; 3],
}

#[derive(Clone, Debug)]
pub struct WorkflowRun {
    pub id: u64,
    pub head_sha: String,
    pub head_branch: String,
    pub head_repo: u64,
    pub event: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub run_number: u64,
    /// Environments the run waits on, with the time the wait began.
    pub pending: Vec<(String, u64)>,
    pub created: u64,
}

#[derive(Clone, Debug)]
pub struct Release {
    pub id: u64,
    pub tag: String,
    pub target: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    pub author: String,
    pub created: u64,
    pub published: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Repo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub private: bool,
    pub description: Option<String>,
    pub default_branch: String,
    pub parent: Option<u64>,
    pub archived: bool,
    pub created: u64,
    pub updated: u64,
    pub branches: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub next_number: u64,
    pub issues: Vec<Issue>,
    pub comments: Vec<Comment>,
    pub check_runs: Vec<CheckRun>,
    pub statuses: Vec<Status>,
    pub sarifs: Vec<Sarif>,
    pub deployments: Vec<Deployment>,
    pub environments: Vec<Environment>,
    pub runs: Vec<WorkflowRun>,
    pub releases: Vec<Release>,
}

impl Repo {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

#[derive(Clone, Debug)]
pub struct Bucket {
    pub limit: u64,
    pub remaining: u64,
    pub reset: u64,
}

impl Bucket {
    pub fn new(limit: u64) -> Bucket {
        Bucket {
            limit,
            remaining: limit,
            reset: now() + 3600,
        }
    }

    /// A new window starts once the reset time has passed, as on GitHub.
    pub fn refresh(&mut self) {
        let t = now();
        if t >= self.reset {
            self.remaining = self.limit;
            self.reset = t + 3600;
        }
    }
}

#[derive(Clone, Debug)]
pub struct TokenState {
    pub login: String,
    pub permissions: Permissions,
    pub repositories: Option<Vec<String>>,
    pub bucket: Bucket,
}

impl TokenState {
    pub fn access(&self, repo: &str, perm: fn(&Permissions) -> Access) -> Access {
        let listed = self
            .repositories
            .as_ref()
            .is_none_or(|r| r.iter().any(|x| x.eq_ignore_ascii_case(repo)));
        if listed {
            perm(&self.permissions)
        } else {
            Access::None
        }
    }
}

#[derive(Clone, Debug)]
pub struct ActiveFault {
    pub fault: Fault,
    pub left: Option<u32>,
}

pub struct State {
    pub next_id: u64,
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    /// Tokens that may not read organisations' teams (no Members: read).
    pub no_members_read: Vec<String>,
    pub repos: Vec<Repo>,
    pub commits: HashMap<String, Commit>,
    pub tokens: HashMap<String, TokenState>,
    pub anonymous: Bucket,
    pub faults: Vec<ActiveFault>,
    pub log: Vec<RequestRecord>,
    pub violations: Vec<Violation>,
    pub sarif_processing: SarifProcessing,
    pub request_seq: u64,
    /// Documented limits the current request broke, recorded as violations after it.
    pub limit_problems: Vec<String>,
    /// Collaborators, organisation members, teams' repositories (`access.rs`).
    pub grants: crate::access::Grants,
}

impl State {
    pub fn new() -> State {
        State {
            next_id: 1000,
            users: Vec::new(),
            teams: Vec::new(),
            no_members_read: Vec::new(),
            repos: Vec::new(),
            commits: HashMap::new(),
            tokens: HashMap::new(),
            anonymous: Bucket::new(60),
            faults: Vec::new(),
            log: Vec::new(),
            violations: Vec::new(),
            sarif_processing: SarifProcessing::default(),
            request_seq: 0,
            limit_problems: Vec::new(),
            grants: Default::default(),
        }
    }

    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A deterministic 40-hex-digit sha for the n-th object.
    pub fn sha(&mut self, salt: &str) -> String {
        let n = self.id();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in salt.bytes().chain(n.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let h2 = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
        format!("{h:016x}{h2:016x}{:08x}", n as u32)
    }

    pub fn user(&mut self, login: &str) -> User {
        if let Some(u) = self
            .users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
        {
            return u.clone();
        }
        let kind = if login.ends_with("[bot]") {
            "Bot"
        } else {
            "User"
        };
        let u = User {
            id: self.id(),
            login: login.to_string(),
            kind,
        };
        self.users.push(u.clone());
        u
    }

    /// The user with this login, or a stand-in with a stable id for one never seen.
    pub fn user_ref(&self, login: &str) -> User {
        if let Some(u) = self
            .users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
        {
            return u.clone();
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in login.to_ascii_lowercase().bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let kind = if login.ends_with("[bot]") {
            "Bot"
        } else {
            "User"
        };
        User {
            id: 10_000_000 + h % 10_000_000,
            login: login.to_string(),
            kind,
        }
    }

    pub fn repo_index(&self, owner: &str, name: &str) -> Option<usize> {
        self.repos
            .iter()
            .position(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name))
    }

    pub fn repo_by_id(&self, id: u64) -> Option<&Repo> {
        self.repos.iter().find(|r| r.id == id)
    }

    /// Resolves a branch, a tag, `heads/x`, `tags/x`, `refs/...` or a (prefix of a) sha.
    pub fn resolve_ref(&self, repo: &Repo, r: &str) -> Option<String> {
        let r = r.strip_prefix("refs/").unwrap_or(r);
        if let Some(b) = r.strip_prefix("heads/") {
            return repo.branches.get(b).cloned();
        }
        if let Some(t) = r.strip_prefix("tags/") {
            return repo.tags.get(t).cloned();
        }
        if let Some(sha) = repo.branches.get(r).or_else(|| repo.tags.get(r)) {
            return Some(sha.clone());
        }
        if let Some(rest) = r.strip_prefix("pull/") {
            let (n, kind) = rest.split_once('/')?;
            let n: u64 = n.parse().ok()?;
            let issue = repo.issues.iter().find(|i| i.number == n)?;
            let pull = issue.pull.as_ref()?;
            let head = self.pull_head_sha(pull)?;
            return (kind == "head" || kind == "merge").then_some(head);
        }
        if r.len() >= 7 && r.bytes().all(|b| b.is_ascii_hexdigit()) {
            let lower = r.to_ascii_lowercase();
            if let Some(c) = self.commits.get(&lower) {
                return Some(c.sha.clone());
            }
            let mut found = self.commits.keys().filter(|k| k.starts_with(&lower));
            if let (Some(one), None) = (found.next(), found.next()) {
                return Some(one.clone());
            }
        }
        None
    }

    pub fn pull_head_sha(&self, pull: &Pull) -> Option<String> {
        self.repo_by_id(pull.head_repo)?
            .branches
            .get(&pull.head_ref)
            .cloned()
    }

    /// Every ancestor of `sha`, itself included, nearest first.
    pub fn ancestors(&self, sha: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::from([sha.to_string()]);
        let mut seen = std::collections::HashSet::new();
        while let Some(s) = queue.pop_front() {
            if !seen.insert(s.clone()) {
                continue;
            }
            if let Some(c) = self.commits.get(&s) {
                queue.extend(c.parents.iter().cloned());
            }
            out.push(s);
        }
        out
    }

    /// (merge base, commits in head not in base oldest first, commits in base not in head).
    pub fn compare(&self, base: &str, head: &str) -> (Option<String>, Vec<String>, usize) {
        let base_anc = self.ancestors(base);
        let head_anc = self.ancestors(head);
        let base_set: std::collections::HashSet<&String> = base_anc.iter().collect();
        let head_set: std::collections::HashSet<&String> = head_anc.iter().collect();
        let merge_base = head_anc.iter().find(|s| base_set.contains(s)).cloned();
        let mut ahead: Vec<String> = head_anc
            .iter()
            .filter(|s| !base_set.contains(s))
            .cloned()
            .collect();
        ahead.reverse();
        let behind = base_anc.iter().filter(|s| !head_set.contains(s)).count();
        (merge_base, ahead, behind)
    }

    /// The files changed by `commits` taken together, in first-touched order.
    pub fn files_of(&self, commits: &[String]) -> Vec<FileChange> {
        let mut out: Vec<FileChange> = Vec::new();
        for sha in commits {
            let Some(c) = self.commits.get(sha) else {
                continue;
            };
            for f in &c.files {
                match out.iter_mut().find(|x| x.filename == f.filename) {
                    Some(x) => {
                        x.additions += f.additions;
                        x.deletions += f.deletions;
                        x.patch = match (&x.patch, &f.patch) {
                            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
                            _ => None,
                        };
                        if x.status != "added" {
                            x.status.clone_from(&f.status);
                        }
                    }
                    None => out.push(f.clone()),
                }
            }
        }
        out
    }

    pub fn record_violation(&mut self, v: Violation) {
        self.violations.push(v);
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips() {
        for t in [0, 951_782_400, 1_700_000_000, 4_102_444_800] {
            assert_eq!(parse_iso(&iso(t)), Some(t), "{}", iso(t));
        }
        assert_eq!(iso(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
