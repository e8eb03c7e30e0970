//! Commits made outside the server: a test builds a real git repository and registers its
//! commits here under their real shas, so check runs can be created on them and listed by
//! them (the baseline of a pull request lives in the base commit's check run).

use crate::Server;
use crate::state::Commit;

impl Server {
    /// Registers the commit `sha` (made in a local git repository) in `repo`, with its
    /// `parents`, and moves `branch` to it. A sha already known is left as it is.
    pub fn import_commit(&self, repo: &str, branch: &str, sha: &str, parents: &[&str]) {
        let mut st = self.lock();
        let (o, n) = repo.split_once('/').expect("owner/name");
        let idx = st.repo_index(o, n).expect("the repository exists");
        let sha = sha.to_ascii_lowercase();
        let author = st.repos[idx].owner.clone();
        st.commits.entry(sha.clone()).or_insert_with(|| Commit {
            sha: sha.clone(),
            message: format!("imported {sha}"),
            parents: parents.iter().map(|p| p.to_ascii_lowercase()).collect(),
            author,
            time: crate::state::now(),
            files: Vec::new(),
        });
        st.repos[idx].branches.insert(branch.into(), sha);
    }
}
