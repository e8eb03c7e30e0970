//! Who can read a repository, for the rule on environment reviewers: GitHub's description of
//! `PUT /repos/{owner}/{repo}/environments/{environment_name}` says "The reviewers must have
//! at least read access to the repository", and refuses others with 422.
//!
//! Modelled: a public repository is readable by everyone; a private one by its owner (a user),
//! its collaborators, the members of the organisation that owns it (an organisation's base
//! permission is read by default), and the teams given the repository. The wording of the 422
//! is the server's own (GitHub does not document it).

use std::collections::BTreeSet;

use crate::Server;
use crate::state::State;

/// Access granted beyond ownership, all keys lower-cased.
#[derive(Clone, Debug, Default)]
pub struct Grants {
    /// (`owner/name`, login).
    collaborators: BTreeSet<(String, String)>,
    /// (organisation, login).
    members: BTreeSet<(String, String)>,
    /// (team id, `owner/name`).
    team_repos: BTreeSet<(u64, String)>,
}

/// Whether the reviewer (`User` or `Team`, id) can read repository `idx`; `None` for a
/// reviewer who can, else the reviewer's name for the error.
pub(crate) fn lacks_read(st: &State, idx: usize, kind: &str, id: u64) -> Option<String> {
    let r = &st.repos[idx];
    if !r.private {
        return None;
    }
    let full = format!("{}/{}", r.owner, r.name).to_ascii_lowercase();
    let owner = r.owner.to_ascii_lowercase();
    if kind == "Team" {
        let t = st.teams.iter().find(|t| t.id == id)?;
        let granted = st.grants.team_repos.contains(&(id, full));
        return (!granted).then(|| format!("team {}/{}", t.org, t.slug));
    }
    let u = st.users.iter().find(|u| u.id == id)?;
    let login = u.login.to_ascii_lowercase();
    let can = login == owner
        || st.grants.collaborators.contains(&(full, login.clone()))
        || st.grants.members.contains(&(owner, login));
    (!can).then(|| format!("user {}", u.login))
}

impl Server {
    /// Makes `login` a collaborator of `repo` (`owner/name`): they can read it.
    pub fn add_collaborator(&self, repo: &str, login: &str) {
        let mut st = self.shared.lock();
        st.user(login);
        st.grants
            .collaborators
            .insert((repo.to_ascii_lowercase(), login.to_ascii_lowercase()));
    }

    /// Makes `login` a member of the organisation `org`: they can read its repositories.
    pub fn add_org_member(&self, org: &str, login: &str) {
        let mut st = self.shared.lock();
        st.user(login);
        st.grants
            .members
            .insert((org.to_ascii_lowercase(), login.to_ascii_lowercase()));
    }

    /// Gives the team `team_id` (from [`Server::create_team`]) access to `repo`.
    pub fn add_team_repo(&self, team_id: u64, repo: &str) {
        self.shared
            .lock()
            .grants
            .team_repos
            .insert((team_id, repo.to_ascii_lowercase()));
    }
}
