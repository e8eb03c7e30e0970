//! Runs the test GitHub server by itself for manual use: prints its URL, seeds one repository
//! with a pull request and a token, and serves until interrupted.

use shipgate_testserver::{FileChange, Options, PullSpec, RepoSpec, TokenSpec, start};

fn main() {
    let server = start(Options {
        check_on_drop: false,
        ..Options::default()
    });
    server.create_repo(RepoSpec::new("octo/app"));
    server.commit(
        "octo/app",
        "feature",
        "Add a feature",
        vec![FileChange::modified("src/lib.rs", 3, 1)],
    );
    let pr = server.create_pull(PullSpec::new("octo/app", "feature"));
    server.add_token("ghs_test", TokenSpec::write_all());
    println!("{}", server.url());
    eprintln!(
        "test GitHub server on {} (GHES: {}); OpenAPI from {}; repository octo/app, pull request #{pr}; token ghs_test (all write)",
        server.url(),
        server.ghes_url(),
        server.openapi_source().display()
    );
    let mut seen = 0;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let v = server.violations();
        for x in v.iter().skip(seen) {
            eprintln!("violation: {x}");
        }
        seen = v.len();
    }
}
