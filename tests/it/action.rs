//! The composite Action (`action.yml`, `dist/launcher.sh`), run the way the GitHub runner runs
//! it: the metadata checked against SchemaStore's schema, then the step executed by bash with
//! the runner's environment and files, and its outputs read back as the runner reads them.
//!
//! What the harness reproduces of the runner (actions/runner, composite actions):
//! - the `inputs` context is the `with:` map (names case-insensitive) over the defaults, a
//!   default may itself be an expression (`${{ github.token }}`);
//! - composite steps get no `INPUT_*` variables of their own (actions/runner#665): only what
//!   the step's `env:` maps, with `${{ }}` expanded there (and nowhere else: `run:` must hold
//!   none, which a test checks);
//! - `shell: bash` runs `bash --noprofile --norc -eo pipefail {0}` on a file holding the script,
//!   in `GITHUB_WORKSPACE`, with `GITHUB_ACTION_PATH` set to the action's folder;
//! - `$GITHUB_OUTPUT` is parsed as `name=value` lines and `name<<DELIMITER` heredocs, and the
//!   action's `outputs:` are evaluated from the step's outputs.

use crate::runner::parse_file_command;
use crate::support::{fixture, git, json, repo, shared};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct Action {
    inputs: BTreeMap<String, InputDef>,
    outputs: BTreeMap<String, OutputDef>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
struct InputDef {
    default: Option<String>,
    #[serde(default)]
    required: bool,
}

#[derive(Debug, Deserialize)]
struct OutputDef {
    value: String,
}

#[derive(Debug, Deserialize)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
struct Step {
    id: Option<String>,
    shell: Option<String>,
    run: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(rename = "working-directory")]
    working_directory: Option<String>,
}

fn action_text() -> String {
    std::fs::read_to_string(repo().join("action.yml")).expect("action.yml")
}

fn action() -> Action {
    serde_yaml_ng::from_str(&action_text()).expect("action.yml parses")
}

/// The `${{ }}` expressions of a string, trimmed, in order.
fn expressions(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${{") {
        let tail = &rest[i + 3..];
        let j = tail.find("}}").expect("unclosed ${{");
        out.push(tail[..j].trim());
        rest = &tail[j + 2..];
    }
    out
}

/// Replaces each `${{ expr }}` by `eval(expr)`.
fn expand(s: &str, eval: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${{") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 3..];
        let j = tail.find("}}").expect("unclosed ${{");
        out.push_str(&eval(tail[..j].trim()));
        rest = &tail[j + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn expression_helpers() {
    assert_eq!(
        expressions("a ${{ inputs.x }} b ${{github.token}}"),
        ["inputs.x", "github.token"]
    );
    assert_eq!(
        expand("a${{ inputs.x }}b", &|e| format!("<{e}>")),
        "a<inputs.x>b"
    );
}

#[test]
fn action_yml_validates_against_the_schemastore_schema() {
    let Some(schema_path) = shared("schemas/github-action.json") else {
        return;
    };
    let schema = json(&schema_path);
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let doc: Value = serde_yaml_ng::from_str(&action_text()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The validator does reject what the schema forbids: a number as a default (YAML's
    // unquoted 300), an unknown branding icon.
    let mut bad = doc.clone();
    bad["inputs"]["health-timeout"]["default"] = Value::from(300);
    assert!(!validator.is_valid(&bad));
    let mut bad = doc.clone();
    bad["branding"]["icon"] = Value::from("no-such-icon");
    assert!(!validator.is_valid(&bad));

    // Every default is a string in the YAML itself (what the schema checks above).
    for (name, input) in doc["inputs"].as_object().unwrap() {
        if let Some(d) = input.get("default") {
            assert!(d.is_string(), "input {name}: default {d} is not a string");
        }
    }
}

#[test]
fn no_expression_reaches_a_shell_and_every_input_is_mapped() {
    let a = action();
    assert_eq!(a.runs.using, "composite");
    let mut mapped = BTreeMap::new();
    for step in &a.runs.steps {
        let run = step.run.as_deref().unwrap_or_default();
        assert!(
            !run.contains("${{"),
            "step {:?}: an expression inside run: is script injection",
            step.id
        );
        if let Some(wd) = &step.working_directory {
            assert!(!wd.contains("${{"), "working-directory: {wd}");
        }
        for (var, value) in &step.env {
            for e in expressions(value) {
                let name = e
                    .strip_prefix("inputs.")
                    .unwrap_or_else(|| panic!("env {var}: only inputs are mapped, got {e}"));
                assert!(
                    a.inputs.contains_key(name),
                    "env {var}: unknown input {name}"
                );
                mapped.insert(name.to_string(), var.clone());
            }
        }
    }
    for name in a.inputs.keys() {
        let var = mapped
            .get(name)
            .unwrap_or_else(|| panic!("input {name} reaches no step"));
        // The binary's own INPUT_* names; a few inputs steer the step itself.
        let expected = match name.as_str() {
            "command" => "SHIPGATE_COMMAND".to_string(),
            "working-directory" => "SHIPGATE_WORKING_DIRECTORY".to_string(),
            "log-level" => "SHIPGATE_LOG".to_string(),
            _ => format!("INPUT_{}", name.replace('-', "_").to_uppercase()),
        };
        assert_eq!(*var, expected, "input {name}");
    }
    // Every output comes from the one step.
    for (name, o) in &a.outputs {
        assert_eq!(
            o.value,
            format!("${{{{ steps.shipgate.outputs.{name} }}}}"),
            "output {name}"
        );
    }
    assert_eq!(
        a.inputs["token"].default.as_deref(),
        Some("${{ github.token }}")
    );
    assert!(
        a.inputs.values().all(|i| !i.required),
        "every input has a default"
    );
}

// ---------------------------------------------------------------------------------------------
// The harness.

/// A file's SHA-256 by coreutils' `sha256sum` (what the release workflow uses).
fn sha256_file(p: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(p)
        .output()
        .expect("sha256sum");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// The test binary's SHA-256.
fn binary_digest() -> &'static str {
    static D: OnceLock<String> = OnceLock::new();
    D.get_or_init(|| sha256_file(Path::new(env!("CARGO_BIN_EXE_shipgate"))))
}

/// The static release binary `scripts/check-static.sh` built, if there is one.
fn static_binary() -> Option<(PathBuf, String)> {
    let target_dir = Path::new(env!("CARGO_BIN_EXE_shipgate"))
        .parent()
        .and_then(Path::parent)?
        .to_path_buf();
    let arch = std::env::consts::ARCH;
    ["musl", "gnu"]
        .iter()
        .map(|libc| format!("{arch}-unknown-linux-{libc}"))
        .find(|t| target_dir.join(t).join("release/shipgate").is_file())
        .map(|t| (target_dir, t))
}

/// One run of the action: its folder, a workspace, HOME, the runner files.
struct Runner {
    _tmp: tempfile::TempDir,
    action_path: PathBuf,
    workspace: PathBuf,
    home: PathBuf,
    temp: PathBuf,
    event: PathBuf,
    path: String,
    extra_env: Vec<(String, String)>,
    api_url: String,
}

/// What a step did, and the action's outputs as the workflow sees them.
struct Ran {
    output: Output,
    step_outputs: BTreeMap<String, String>,
    outputs: BTreeMap<String, String>,
    summary: String,
}

impl Ran {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
}

const TOKEN: &str = "ghs_harnessTokenNotARealOne0123456789";

impl Runner {
    /// A fresh runner with the action's folder holding action.yml, the launcher, and the
    /// built binary as `dist/shipgate-linux-x64` with its digest in `dist/SHA256SUMS`.
    fn new() -> Runner {
        Runner::with_binary(Path::new(env!("CARGO_BIN_EXE_shipgate")), binary_digest())
    }

    /// The same with another binary and its digest.
    fn with_binary(binary: &Path, digest: &str) -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        let action_path = tmp.path().join("_actions/owner/shipgate/v1");
        let dist = action_path.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::copy(repo().join("action.yml"), action_path.join("action.yml")).unwrap();
        std::fs::copy(repo().join("dist/launcher.sh"), dist.join("launcher.sh")).unwrap();
        std::os::unix::fs::symlink(binary, dist.join("shipgate-linux-x64")).unwrap();
        std::fs::write(
            dist.join("SHA256SUMS"),
            format!("{digest}  shipgate-linux-x64\n"),
        )
        .unwrap();
        let workspace = tmp.path().join("work/repo/repo");
        let home = tmp.path().join("home");
        let temp = tmp.path().join("_temp");
        for d in [&workspace, &home, &temp] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(home.join("canary"), "still here").unwrap();
        let event = temp.join("event.json");
        let payload = shared("github-events/pull_request.opened.0.json")
            .map(|p| std::fs::read(p).unwrap())
            .unwrap_or_else(|| {
                br#"{"action":"opened","number":1,"repository":{"default_branch":"main"}}"#.to_vec()
            });
        std::fs::write(&event, payload).unwrap();
        Runner {
            _tmp: tmp,
            action_path,
            workspace,
            home,
            temp,
            event,
            path: std::env::var("PATH").unwrap_or_default(),
            extra_env: Vec::new(),
            // Nothing listens there: a test that expects API calls sets the test server's.
            api_url: "http://127.0.0.1:9".into(),
        }
    }

    /// Copies a fixture under tests/fixtures/ into the workspace.
    fn put(&self, from: &str, to: &str) {
        let dest = self.workspace.join(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(fixture(from), dest).unwrap();
    }

    /// Runs the action's steps with these `with:` inputs, as the runner does.
    fn run(&self, with: &[(&str, &str)]) -> Ran {
        let a = action();
        let with: BTreeMap<String, String> = with
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v.to_string()))
            .collect();
        for k in with.keys() {
            assert!(a.inputs.contains_key(k), "unexpected input {k}");
        }
        let github = |e: &str| match e {
            "github.token" => TOKEN.to_string(),
            other => panic!("the harness knows no {other}"),
        };
        let inputs: BTreeMap<&str, String> =
            a.inputs
                .iter()
                .map(|(k, def)| {
                    let v = with.get(k).cloned().unwrap_or_else(|| {
                        expand(def.default.as_deref().unwrap_or_default(), &github)
                    });
                    (k.as_str(), v)
                })
                .collect();
        let eval = |e: &str| -> String {
            match e.strip_prefix("inputs.") {
                Some(name) => inputs[name].clone(),
                None => github(e),
            }
        };
        let output_file = self.temp.join("_runner_file_commands/set_output");
        let summary_file = self.temp.join("_runner_file_commands/step_summary");
        std::fs::create_dir_all(output_file.parent().unwrap()).unwrap();
        std::fs::write(&output_file, "").unwrap();
        std::fs::write(&summary_file, "").unwrap();
        let mut last = None;
        let mut step_outputs = BTreeMap::new();
        for (i, step) in a.runs.steps.iter().enumerate() {
            assert_eq!(step.shell.as_deref(), Some("bash"));
            let script = self.temp.join(format!("step{i}.sh"));
            std::fs::write(&script, step.run.as_deref().unwrap()).unwrap();
            let mut c = Command::new("bash");
            c.args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(&self.workspace)
                .env_clear()
                .env("PATH", &self.path)
                .env("HOME", &self.home)
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_ACTION_PATH", &self.action_path)
                .env("GITHUB_ACTION_REF", "")
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_STEP_SUMMARY", &summary_file)
                .env("GITHUB_EVENT_PATH", &self.event)
                .env("GITHUB_EVENT_NAME", "pull_request")
                .env("GITHUB_REF", "refs/pull/1/merge")
                .env("GITHUB_REF_NAME", "1/merge")
                .env("GITHUB_REF_TYPE", "branch")
                .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
                .env("GITHUB_REPOSITORY", "Codertocat/Hello-World")
                .env("GITHUB_API_URL", &self.api_url)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", "X64")
                .env("RUNNER_TEMP", &self.temp)
                .env("NO_COLOR", "1");
            for (k, v) in &self.extra_env {
                c.env(k, v);
            }
            for (k, v) in &step.env {
                c.env(k, expand(v, &eval));
            }
            let out = c.output().expect("bash");
            let text = std::fs::read_to_string(&output_file).unwrap();
            let parsed = parse_file_command(&text).expect("the runner parses GITHUB_OUTPUT");
            if step.id.is_some() {
                step_outputs = parsed.into_iter().collect();
            }
            let failed = !out.status.success();
            last = Some(out);
            if failed {
                break;
            }
        }
        let outputs = a
            .outputs
            .iter()
            .map(|(name, o)| {
                let v = expand(&o.value, &|e| {
                    let key = e
                        .strip_prefix("steps.shipgate.outputs.")
                        .expect("outputs come from the step");
                    step_outputs.get(key).cloned().unwrap_or_default()
                });
                (name.clone(), v)
            })
            .collect();
        Ran {
            output: last.expect("a step ran"),
            step_outputs,
            outputs,
            summary: std::fs::read_to_string(&summary_file).unwrap(),
        }
    }
}

#[test]
fn gate_step_on_a_pull_request() {
    let r = Runner::new();
    r.put("real/coverage-py/coverage.xml", "reports/coverage.xml");
    r.put("real/pytest/junit.xml", "reports/junit.xml");
    let ran = r.run(&[
        ("coverage", "reports/coverage.xml"),
        ("tests", "reports/*.xml\n"),
        // shipgate creates no folders for its outputs: the report goes beside the reports.
        ("report", "reports/report.json"),
    ]);
    // The derived environment of a pull request is development (threshold 70 by default);
    // coverage.py printed 69.61% of lines, and pytest failures block: the gate fails, exit 1.
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    let o = &ran.outputs;
    assert_eq!(o["passed"], "false");
    assert_eq!(o["environment"], "development");
    assert_eq!(o["environment-reason"], "pull request (refs/pull/1/merge)");
    let cov = json(&fixture("real/coverage-py/expected.json"))["reports"]["coverage.xml"].clone();
    assert_eq!(
        o["coverage"],
        format!("{:.2}", cov["line_percent_printed"].as_f64().unwrap())
    );
    let t =
        json(&fixture("real/pytest/expected.json"))["reports"]["junit.xml"]["junit_view"].clone();
    assert_eq!(o["tests-total"], t["total"].to_string());
    assert_eq!(
        o["test-failures"],
        (t["failed"].as_u64().unwrap() + t["errored"].as_u64().unwrap()).to_string()
    );
    assert_eq!(o["report"], "reports/report.json");
    assert!(r.workspace.join("reports/report.json").is_file());
    // Outputs the gate does not write (publish's, deploy's) are empty, as in the runner.
    assert_eq!(o["check-run-id"], "");
    assert!(
        ran.summary.contains("Quality gate failed"),
        "{}",
        ran.summary
    );
    // The launcher said nothing: the binary was there and its checksum matched.
    assert!(!ran.stderr().contains("launcher"), "{}", ran.stderr());
    assert!(!ran.stderr().contains(TOKEN));
}

#[test]
fn hostile_inputs_are_data() {
    let r = Runner::new();
    let quote_payload = r#""; rm -rf ~; echo ""#;
    let subst_payload = "$(id)";
    let backtick = "`touch pwned`";
    std::fs::write(
        r.workspace.join("gates.json"),
        serde_json::json!({
            "environments": {
                quote_payload: {"coverage_threshold": 0},
                subst_payload: {"coverage_threshold": 0},
                backtick: {"coverage_threshold": 0},
            }
        })
        .to_string(),
    )
    .unwrap();
    r.put("real/coverage-py/coverage.xml", "coverage.xml");
    for payload in [quote_payload, subst_payload, backtick] {
        let ran = r.run(&[
            ("config", "gates.json"),
            ("environment", payload),
            ("coverage", "coverage.xml"),
            ("report", payload),
        ]);
        assert_eq!(ran.code(), Some(0), "{payload}: {}", ran.stderr());
        assert_eq!(ran.outputs["environment"], payload);
        assert_eq!(ran.outputs["report"], payload);
        // The report file has exactly the payload as its name, in the workspace.
        assert!(r.workspace.join(payload).is_file(), "{payload}");
        assert_eq!(
            std::fs::read_to_string(r.home.join("canary")).unwrap(),
            "still here"
        );
        assert!(!r.workspace.join("pwned").exists());
    }
    // `$(id)` never ran: no output of id (uid=...) anywhere.
    let all = std::fs::read_to_string(r.workspace.join("$(id)")).unwrap();
    assert!(!all.contains("uid="));

    // A hostile command is refused by name, on one line, without running anything.
    let ran = r.run(&[(
        "command",
        "gate; touch $HOME/pwned #\n::set-output name=passed::true",
    )]);
    assert_eq!(ran.code(), Some(2));
    let err = String::from_utf8_lossy(&ran.output.stdout).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("::error title=shipgate::unknown command "),
        "{err}"
    );
    assert!(!r.home.join("pwned").exists());
    assert!(ran.step_outputs.is_empty());
}

#[test]
fn sarif_command_passes_list_inputs_as_arguments() {
    let r = Runner::new();
    r.put("real/ruff/ruff.json", "lint/ruff.json");
    r.put("real/mypy/mypy.json", "lint/mypy.json");
    let ran = r.run(&[
        ("command", "sarif"),
        ("findings", " lint/ruff.json ,\n\nlint/mypy.json\n"),
        ("sarif", "lint/findings out.sarif"),
        ("category", "lint"),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let sarif = json(&r.workspace.join("lint/findings out.sarif"));
    let runs = sarif["runs"].as_array().unwrap();
    let tools: Vec<&str> = runs
        .iter()
        .map(|r| r["tool"]["driver"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(runs.len(), 2, "{tools:?}");
    for run in runs {
        assert!(
            run["automationDetails"]["id"]
                .as_str()
                .unwrap()
                .starts_with("lint/")
        );
    }
}

#[test]
fn working_directory_input() {
    let r = Runner::new();
    r.put("real/pytest/junit.xml", "sub/dir/junit.xml");
    let ran = r.run(&[
        ("working-directory", "sub/dir"),
        ("tests", "junit.xml"),
        ("report", "r.json"),
    ]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    assert!(r.workspace.join("sub/dir/r.json").is_file());
    // A folder that is not there: the step stops with 2 before anything runs.
    let ran = r.run(&[("working-directory", "no/such/dir")]);
    assert_eq!(ran.code(), Some(2));
    assert!(ran.stderr().contains("no/such/dir"), "{}", ran.stderr());
    assert!(ran.step_outputs.is_empty());
}

#[test]
fn checksum_mismatch_is_refused() {
    let r = Runner::new();
    let bin = r.action_path.join("dist/shipgate-linux-x64");
    std::fs::remove_file(&bin).unwrap();
    // Another executable under the binary's name: it would print, if it ran.
    std::fs::write(&bin, "#!/bin/sh\necho RAN\n").unwrap();
    set_mode(&bin, 0o755);
    let ran = r.run(&[]);
    assert_eq!(ran.code(), Some(2));
    let err = ran.stderr();
    assert!(
        err.contains("refusing to run shipgate-linux-x64: SHA-256 mismatch"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!String::from_utf8_lossy(&ran.output.stdout).contains("RAN"));
    assert!(ran.step_outputs.is_empty());

    // Not listed in SHA256SUMS, or no SHA256SUMS: refused too.
    std::fs::write(
        r.action_path.join("dist/SHA256SUMS"),
        format!("{}  shipgate-macos-arm64\n", binary_digest()),
    )
    .unwrap();
    let err = r.run(&[]).stderr();
    assert!(err.contains("is not listed in"), "{err}");
    std::fs::remove_file(r.action_path.join("dist/SHA256SUMS")).unwrap();
    let err = r.run(&[]).stderr();
    assert!(err.contains("SHA256SUMS is missing"), "{err}");
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The tools the launcher and the step use (bash, coreutils, awk, a SHA-256 tool).
const TOOLS: &[&str] = &[
    "bash",
    "sh",
    "dirname",
    "uname",
    "cut",
    "awk",
    "sha256sum",
    "tr",
    "cat",
    "chmod",
    "mkdir",
];

/// A PATH holding only the tools the launcher and step use, and optionally a `cargo`.
fn minimal_path(r: &Runner, cargo: Option<&str>) -> String {
    path_with(r, TOOLS, cargo)
}

/// A PATH holding only `tools`, and optionally a `cargo`.
fn path_with(r: &Runner, tools: &[&str], cargo: Option<&str>) -> String {
    let bin = r.temp.join("pathbin");
    let _ = std::fs::remove_dir_all(&bin);
    std::fs::create_dir_all(&bin).unwrap();
    for tool in tools {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join(tool))
            .find(|p| p.is_file());
        if let Some(p) = found {
            std::os::unix::fs::symlink(p, bin.join(tool)).unwrap();
        }
    }
    if let Some(script) = cargo {
        let p = bin.join("cargo");
        std::fs::write(&p, script).unwrap();
        set_mode(&p, 0o755);
    }
    bin.display().to_string()
}

#[test]
fn missing_binary_without_cargo_says_so_in_one_line() {
    let mut r = Runner::new();
    std::fs::remove_file(r.action_path.join("dist/shipgate-linux-x64")).unwrap();
    r.path = minimal_path(&r, None);
    let ran = r.run(&[]);
    assert_eq!(ran.code(), Some(2));
    let err = ran.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("shipgate launcher: no binary for Linux/X64 (shipgate-linux-x64)"),
        "{err}"
    );
}

#[test]
fn missing_binary_with_cargo_builds_from_source() {
    let mut r = Runner::new();
    std::fs::remove_file(r.action_path.join("dist/shipgate-linux-x64")).unwrap();
    // A stand-in for cargo that records its arguments and "builds" a binary that prints its
    // own; the real build takes minutes, and what matters here is what the launcher asks.
    let cargo = r#"#!/bin/bash
printf '%s\n' "$@" > "$RUNNER_TEMP/cargo-args"
mkdir -p "$CARGO_TARGET_DIR/release"
printf '#!/bin/bash\nprintf "built:%%s\\n" "$@"\n' > "$CARGO_TARGET_DIR/release/shipgate"
chmod +x "$CARGO_TARGET_DIR/release/shipgate"
"#;
    r.path = minimal_path(&r, Some(cargo));
    let ran = r.run(&[("command", "config-check")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    assert!(
        ran.stderr()
            .contains("building from source with cargo (slow")
    );
    let args = std::fs::read_to_string(r.temp.join("cargo-args")).unwrap();
    let manifest = r.action_path.join("Cargo.toml").display().to_string();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--manifest-path",
            manifest.as_str(),
            "--bin",
            "shipgate"
        ]
    );
    assert_eq!(
        String::from_utf8_lossy(&ran.output.stdout),
        "built:config\nbuilt:check\n"
    );
}

/// check-jsonschema (PyPI, installed by scripts/setup-test-tools.sh) agrees: an independent
/// validator over the same schema file, and its own vendored copy of SchemaStore's.
#[test]
fn check_jsonschema_accepts_action_yml() {
    let tool = repo().join(".cache/test-tools/venv/bin/check-jsonschema");
    if !tool.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is missing under CI=true (scripts/setup-test-tools.sh installs it)",
            tool.display()
        );
        println!(
            "notice: skipped: check-jsonschema is not installed (scripts/setup-test-tools.sh)"
        );
        return;
    }
    let mut runs = vec![vec![
        "--builtin-schema".to_string(),
        "vendor.github-actions".into(),
    ]];
    if let Some(schema) = shared("schemas/github-action.json") {
        runs.push(vec!["--schemafile".into(), schema.display().to_string()]);
    }
    for args in runs {
        let out = Command::new(&tool)
            .args(&args)
            .arg(repo().join("action.yml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And it rejects what the schema forbids (an unquoted number as a default).
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("action.yml");
    std::fs::write(
        &bad,
        action_text().replace("default: \"300\"", "default: 300"),
    )
    .unwrap();
    let out = Command::new(&tool)
        .args(["--builtin-schema", "vendor.github-actions"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

// ---------------------------------------------------------------------------------------------
// Against the test GitHub server.

/// A test server with the payload's repository, a pull request, and the harness's token.
fn github() -> Option<(shipgate_testserver::Server, u64, String)> {
    use shipgate_testserver::{FileChange, Options, PullSpec, RepoSpec, TokenSpec};
    shared("github-openapi/subset.json")?;
    let server = shipgate_testserver::start(Options::default());
    let repo = "Codertocat/Hello-World";
    server.create_repo(RepoSpec::new(repo));
    let sha = server.commit(
        repo,
        "changes",
        "A change",
        vec![FileChange::added("src/app.py", 10)],
    );
    let number = server.create_pull(PullSpec::new(repo, "changes"));
    server.add_token(TOKEN, TokenSpec::write_all());
    Some((server, number, sha))
}

/// The real pull_request payload, pointed at the test server's pull request.
fn payload_for(r: &Runner, number: u64, sha: &str) {
    let mut p = json(&r.event);
    p["number"] = number.into();
    p["pull_request"]["number"] = number.into();
    p["pull_request"]["head"]["sha"] = sha.into();
    std::fs::write(&r.event, p.to_string()).unwrap();
}

#[test]
fn gate_without_publish_makes_no_api_call() {
    let Some((server, number, sha)) = github() else {
        return;
    };
    let mut r = Runner::new();
    payload_for(&r, number, &sha);
    r.api_url = server.url();
    r.extra_env.push(("GITHUB_SHA".into(), sha));
    r.put("real/pytest/junit.xml", "junit.xml");
    let ran = r.run(&[("tests", "junit.xml")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    server.assert_no_violations();
}

/// The web address the test server gives its repository (its `html_url`s start with it), as
/// the runner's GITHUB_SERVER_URL does on github.com.
fn repo_web(server: &shipgate_testserver::Server) -> String {
    format!("{}/Codertocat/Hello-World", server.url())
}

/// The whole step with publishing: the check run and the comment land on the test server, and
/// their ids and addresses come back as the action's outputs.
#[test]
fn gate_step_publishes_to_the_test_server() {
    let Some((server, number, sha)) = github() else {
        return;
    };
    let repo = "Codertocat/Hello-World";
    let mut r = Runner::new();
    payload_for(&r, number, &sha);
    r.api_url = server.url();
    r.extra_env.push(("GITHUB_SHA".into(), sha.clone()));
    r.extra_env.push(("GITHUB_SERVER_URL".into(), server.url()));
    r.put("real/pytest/junit.xml", "junit.xml");
    let ran = r.run(&[
        ("tests", "junit.xml"),
        ("publish", "true"),
        ("gate-name", "quality gate"),
        ("status", "true"),
    ]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    let runs = server.check_runs(repo);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].name, "quality gate");
    assert_eq!(runs[0].head_sha, sha);
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    assert_eq!(ran.outputs["check-run-id"], runs[0].id.to_string());
    assert_eq!(
        ran.outputs["check-run-url"],
        format!("{}/runs/{}", repo_web(&server), runs[0].id)
    );
    let comments = server.comments(repo, number);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].body.contains("<!-- shipgate:quality gate -->"));
    assert_eq!(
        ran.outputs["comment-url"],
        format!(
            "{}/pull/{number}#issuecomment-{}",
            repo_web(&server),
            comments[0].id
        )
    );
    // The status input reached the binary.
    let statuses = server.statuses(repo);
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    // The gate's own outputs are there too.
    assert_eq!(ran.outputs["passed"], "false");
    assert!(!ran.stderr().contains(TOKEN));
    assert!(
        !std::fs::read_to_string(r.temp.join("_runner_file_commands/set_output"))
            .unwrap()
            .contains(TOKEN)
    );
    // A second run (comment: always) edits the same comment; comment: off leaves it alone.
    let again = r.run(&[
        ("tests", "junit.xml"),
        ("publish", "true"),
        ("gate-name", "quality gate"),
        ("comment", "always"),
    ]);
    assert_eq!(again.code(), Some(1), "{}", again.stderr());
    let now = server.comments(repo, number);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].id, comments[0].id);
    assert_eq!(again.outputs["comment-url"], ran.outputs["comment-url"]);
    let off = r.run(&[
        ("tests", "junit.xml"),
        ("publish", "true"),
        ("gate-name", "quality gate"),
        ("comment", "off"),
    ]);
    assert_eq!(off.code(), Some(1), "{}", off.stderr());
    assert_eq!(off.outputs["comment-url"], "");
    assert_eq!(server.check_runs(repo).len(), 3);
    // A comment mode the binary does not know: a one-line usage error, exit 2.
    let bad = r.run(&[("tests", "junit.xml"), ("comment", "update")]);
    assert_eq!(bad.code(), Some(2));
    assert!(
        bad.stderr().contains("always, on-change, on-failure, off"),
        "{}",
        bad.stderr()
    );
    server.assert_no_violations();
}

/// The fork-safe two workflows: the pull request's workflow runs the gate without a token
/// (report.json as an artifact); a `workflow_run` job publishes it with `command: publish`.
#[test]
fn publish_step_in_a_workflow_run_job() {
    let Some((server, number, sha)) = github() else {
        return;
    };
    let Some(wr) = shared("github-events/workflow_run.completed.2.json") else {
        return;
    };
    let repo = "Codertocat/Hello-World";
    // Workflow 1: the gate on the pull request, no publishing.
    let first = Runner::new();
    payload_for(&first, number, &sha);
    first.put("real/pytest/junit.xml", "junit.xml");
    let ran = first.run(&[("tests", "junit.xml"), ("report", "report.json")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    let report = first.workspace.join("report.json");
    assert!(report.is_file());

    // Workflow 2: `on: workflow_run`, the artifact downloaded into the workspace.
    let mut second = Runner::new();
    let mut p = json(&wr);
    p["workflow_run"]["head_sha"] = sha.clone().into();
    p["workflow_run"]["pull_requests"][0]["number"] = number.into();
    std::fs::write(&second.event, p.to_string()).unwrap();
    std::fs::copy(&report, second.workspace.join("report.json")).unwrap();
    second.api_url = server.url();
    second
        .extra_env
        .push(("GITHUB_EVENT_NAME".into(), "workflow_run".into()));
    second
        .extra_env
        .push(("GITHUB_REF".into(), "refs/heads/main".into()));
    second
        .extra_env
        .push(("GITHUB_SERVER_URL".into(), server.url()));
    let ran = second.run(&[("command", "publish")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let runs = server.check_runs(repo);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].head_sha, sha);
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    assert_eq!(ran.outputs["check-run-id"], runs[0].id.to_string());
    let comments = server.comments(repo, number);
    assert_eq!(comments.len(), 1);
    assert_eq!(
        ran.outputs["comment-url"],
        format!(
            "{}/pull/{number}#issuecomment-{}",
            repo_web(&server),
            comments[0].id
        )
    );
    // The report input names another file: that one is read.
    std::fs::rename(
        second.workspace.join("report.json"),
        second.workspace.join("gate report.json"),
    )
    .unwrap();
    let ran = second.run(&[("command", "publish"), ("report", "gate report.json")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    assert_eq!(server.check_runs(repo).len(), 2);
    assert_eq!(server.comments(repo, number).len(), 1);
    server.assert_no_violations();
}

/// `command: sarif` then `command: sarif-upload`: the file the first writes is the one the
/// second uploads, with the category; the upload's id is the output `sarif-id`.
#[test]
fn sarif_then_sarif_upload_steps() {
    let Some((server, _number, sha)) = github() else {
        return;
    };
    let mut r = Runner::new();
    r.api_url = server.url();
    r.extra_env.push(("GITHUB_SHA".into(), sha.clone()));
    r.put("real/ruff/ruff.json", "lint/ruff.json");
    let ran = r.run(&[
        ("command", "sarif"),
        ("findings", "lint/ruff.json"),
        ("sarif", "out/lint.sarif"),
        ("category", "lint"),
    ]);
    assert_eq!(
        ran.code(),
        Some(2),
        "out/ does not exist yet: {}",
        ran.stderr()
    );
    std::fs::create_dir_all(r.workspace.join("out")).unwrap();
    let ran = r.run(&[
        ("command", "sarif"),
        ("findings", "lint/ruff.json"),
        ("sarif", "out/lint.sarif"),
        ("category", "lint"),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let ran = r.run(&[
        ("command", "sarif-upload"),
        ("sarif", "out/lint.sarif"),
        ("category", "lint"),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let ups = server.sarif_uploads("Codertocat/Hello-World");
    assert_eq!(ups.len(), 1, "{ups:?}");
    assert_eq!(ups[0].commit_sha, sha);
    assert_eq!(ups[0].git_ref, "refs/pull/1/merge");
    assert_eq!(ran.outputs["sarif-id"], ups[0].id);
    assert!(!ran.stderr().contains(TOKEN));
    server.assert_no_violations();
}

/// The gate's other inputs reach the binary: each value below is one the binary refuses or
/// reports on by the variable's name, so its message proves it read the input.
#[test]
fn gate_inputs_reach_the_binary() {
    let r = Runner::new();
    r.put("real/pytest/junit.xml", "junit.xml");
    let ran = r.run(&[("tests", "junit.xml"), ("baseline", "base/report.json")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    assert!(
        ran.stderr()
            .contains("notice: baseline base/report.json does not exist"),
        "{}",
        ran.stderr()
    );
    let ran = r.run(&[("tests", "junit.xml"), ("build-seconds", "soon")]);
    assert_eq!(ran.code(), Some(2), "{}", ran.stderr());
    assert!(
        ran.stderr()
            .contains("INPUT_BUILD_SECONDS: expected a number of seconds, got `soon`"),
        "{}",
        ran.stderr()
    );
    let ran = r.run(&[("tests", "junit.xml"), ("base", "no-such-revision")]);
    assert_eq!(ran.code(), Some(2), "{}", ran.stderr());
    assert!(ran.stderr().contains("--base"), "{}", ran.stderr());
    let ran = r.run(&[("tests", "junit.xml"), ("max-annotations", "many")]);
    assert_eq!(ran.code(), Some(2), "{}", ran.stderr());
    assert!(
        ran.stderr().contains("--max-annotations"),
        "{}",
        ran.stderr()
    );
    let ran = r.run(&[("tests", "junit.xml"), ("publish", "yes please")]);
    assert_eq!(ran.code(), Some(2), "{}", ran.stderr());
    assert!(ran.stderr().contains("--publish"), "{}", ran.stderr());
    // The defaults (publish "false", empty max-annotations, status "false"...) are accepted.
    let ran = r.run(&[("tests", "junit.xml")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
}

/// Request lines and bodies an HTTP server received.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// A one-request-at-a-time HTTP server on 127.0.0.1 answering 200 `{}` to every request; its
/// `/healthz` URL, and the request lines and bodies it received.
fn healthy_site() -> (String, Seen) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/healthz", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut length = 0usize;
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push((
                first.trim().to_string(),
                String::from_utf8_lossy(&body).into_owned(),
            ));
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            );
        }
    });
    (url, seen)
}

/// `command: deploy`, `health` and `release` with the action's inputs, against the test
/// server; their outputs as the workflow reads them.
#[test]
fn deploy_health_and_release_steps() {
    let Some((server, _number, sha)) = github() else {
        return;
    };
    let repo = "Codertocat/Hello-World";
    let (site, seen) = healthy_site();
    let hook = site.replace("/healthz", "/hook");
    let mut r = Runner::new();
    r.api_url = server.url();
    r.extra_env.push(("GITHUB_SHA".into(), sha.clone()));
    r.extra_env.push(("GITHUB_SERVER_URL".into(), server.url()));
    // The deploy command is data for `sh -c` run by shipgate, never part of the step's script.
    let ran = r.run(&[
        ("command", "deploy"),
        (
            "deploy-command",
            "printf '%s' \"$SHIPGATE_VERSION\" > deployed.txt",
        ),
        ("environment", "staging"),
        ("url", "https://staging.example"),
        ("health-url", &format!("{site}\n")),
        ("health-timeout", "5"),
        ("version", "v1.2.3"),
        ("webhook-url", &hook),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    // The health check, then the notification to the webhook (whose URL is never printed).
    let got = seen.lock().unwrap().clone();
    assert!(got[0].0.starts_with("GET /healthz "), "{got:?}");
    let posted: Vec<&(String, String)> = got
        .iter()
        .filter(|(l, _)| l.starts_with("POST /hook "))
        .collect();
    assert_eq!(posted.len(), 1, "{got:?}");
    assert!(posted[0].1.contains("staging"), "{}", posted[0].1);
    assert!(!ran.stderr().contains(&hook), "{}", ran.stderr());
    assert_eq!(
        std::fs::read_to_string(r.workspace.join("deployed.txt")).unwrap(),
        "1.2.3"
    );
    let deps = server.deployments(repo);
    assert_eq!(deps.len(), 1, "{deps:?}");
    assert_eq!(deps[0].environment, "staging");
    let states: Vec<&str> = deps[0].statuses.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(states, ["in_progress", "success"]);
    assert_eq!(ran.outputs["deployment-id"], deps[0].id.to_string());
    assert_eq!(ran.outputs["deployment-url"], "https://staging.example");

    let ran = r.run(&[
        ("command", "health"),
        ("health-url", &site),
        ("health-timeout", "5"),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    assert!(
        String::from_utf8_lossy(&ran.output.stdout).starts_with(&format!("healthy   {site}")),
        "{}",
        String::from_utf8_lossy(&ran.output.stdout)
    );

    std::fs::write(
        r.workspace.join("CHANGELOG.md"),
        "# Changelog\n\n## [1.2.3] - 2026-12-01\n\n### Fixed\n\n- A bug.\n",
    )
    .unwrap();
    let ran = r.run(&[("command", "release"), ("version", "v1.2.3")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let rels = server.releases(repo);
    assert_eq!(rels.len(), 1);
    assert_eq!(rels[0].tag, "v1.2.3");
    assert_eq!(rels[0].body.as_deref(), Some("### Fixed\n\n- A bug."));
    assert_eq!(
        ran.outputs["release-url"],
        format!("{}/releases/tag/v1.2.3", repo_web(&server))
    );
    assert!(!ran.stderr().contains(TOKEN));
    server.assert_no_violations();
}

/// `auto-inactive` reaches `deploy` only through `env:`: empty leaves GitHub's default (not
/// sent: earlier deployments become inactive), "false" keeps them active, anything else is a
/// usage error naming the input, before any call.
#[test]
fn deploy_step_auto_inactive_input() {
    let Some((server, _number, sha)) = github() else {
        return;
    };
    let repo = "Codertocat/Hello-World";
    let mut r = Runner::new();
    r.api_url = server.url();
    r.extra_env.push(("GITHUB_SHA".into(), sha));
    let deploy = |auto_inactive: &str| {
        let ran = r.run(&[
            ("command", "deploy"),
            ("deploy-command", "true"),
            ("environment", "staging"),
            ("auto-inactive", auto_inactive),
        ]);
        assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    };
    let last = || -> Vec<String> {
        server
            .deployments(repo)
            .iter()
            .map(|d| d.statuses.last().unwrap().state.clone())
            .collect()
    };
    let sent_auto_inactive = || -> Vec<Option<bool>> {
        server
            .requests_matching("POST", "/repos/*/deployments/*/statuses")
            .iter()
            .filter_map(|q| q.body.as_ref())
            .filter(|b| b["state"] == "success")
            .map(|b| b.get("auto_inactive").and_then(Value::as_bool))
            .collect()
    };
    deploy("");
    deploy("false");
    // Kept active beside the second.
    assert_eq!(last(), ["success", "success"]);
    assert_eq!(sent_auto_inactive(), [None, Some(false)]);
    deploy("true");
    assert_eq!(last(), ["inactive", "inactive", "success"]);
    assert_eq!(sent_auto_inactive(), [None, Some(false), Some(true)]);
    deploy("");
    // Not sent: GitHub's default (true) applies.
    assert_eq!(last(), ["inactive", "inactive", "inactive", "success"]);
    assert_eq!(sent_auto_inactive(), [None, Some(false), Some(true), None]);
    let writes = server.requests_matching("POST", "*").len();
    let ran = r.run(&[
        ("command", "deploy"),
        ("deploy-command", "true"),
        ("environment", "staging"),
        ("auto-inactive", "no"),
    ]);
    assert_eq!(ran.code(), Some(2), "{}", ran.stderr());
    assert!(
        ran.stderr().contains(
            "the Action's auto-inactive input (INPUT_AUTO_INACTIVE): expected true or false, got \"no\""
        ),
        "{}",
        ran.stderr()
    );
    assert_eq!(server.requests_matching("POST", "*").len(), writes);
    server.assert_no_violations();
}

// ---------------------------------------------------------------------------------------------
// The repository's workflows and the README's quick-start workflows.

/// Every `run:` of a workflow, with its job and step, and every `uses:`.
fn scripts_and_uses(doc: &Value) -> (Vec<(String, String)>, Vec<String>) {
    let mut runs = Vec::new();
    let mut uses = Vec::new();
    for (job, j) in doc["jobs"].as_object().expect("jobs") {
        for (i, step) in j["steps"].as_array().into_iter().flatten().enumerate() {
            if let Some(r) = step["run"].as_str() {
                runs.push((format!("{job} step {i}"), r.to_string()));
            }
            if let Some(u) = step["uses"].as_str() {
                uses.push(u.to_string());
            }
        }
    }
    (runs, uses)
}

#[test]
fn workflows_pin_actions_and_keep_expressions_out_of_scripts() {
    let dir = repo().join(".github/workflows");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
        assert_eq!(
            doc["permissions"],
            serde_json::json!({}),
            "{}: nothing granted at the top",
            path.display()
        );
        for (job, j) in doc["jobs"].as_object().unwrap() {
            assert!(
                j["permissions"].is_object(),
                "{}: job {job} names its permissions",
                path.display()
            );
        }
        let (runs, uses) = scripts_and_uses(&doc);
        for (at, r) in runs {
            assert!(
                !r.contains("${{"),
                "{}: {at}: ${{{{ }}}} in run:",
                path.display()
            );
        }
        for u in uses {
            if u.starts_with("./") {
                continue;
            }
            let (_, rev) = u.split_once('@').expect("a pinned ref");
            assert!(
                rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
                "{}: {u} is not pinned by a commit sha",
                path.display()
            );
        }
    }
    assert_eq!(seen, 2, "ci.yml and release.yml");
}

#[test]
fn readme_workflows_are_valid_and_injection_free() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap())
        .filter(|b| b.contains("\njobs:") || b.starts_with("jobs:"))
        .collect();
    assert!(blocks.len() >= 6, "{} workflows", blocks.len());
    let tool = repo().join(".cache/test-tools/venv/bin/check-jsonschema");
    let d = tempfile::tempdir().unwrap();
    for (i, b) in blocks.iter().enumerate() {
        let doc: Value =
            serde_yaml_ng::from_str(b).unwrap_or_else(|e| panic!("block {i}: {e}\n{b}"));
        let (runs, uses) = scripts_and_uses(&doc);
        for (at, r) in runs {
            assert!(
                !r.contains("${{"),
                "README workflow {i}: {at}: ${{{{ }}}} in run:"
            );
        }
        // The inputs given to shipgate exist in action.yml.
        let inputs = action().inputs;
        for (job, j) in doc["jobs"].as_object().unwrap() {
            for step in j["steps"].as_array().into_iter().flatten() {
                if step["uses"]
                    .as_str()
                    .is_some_and(|u| u.contains("shipgate@"))
                {
                    for k in step["with"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k)
                    {
                        assert!(
                            inputs.contains_key(k),
                            "README workflow {i} job {job}: input {k}"
                        );
                    }
                }
            }
        }
        assert!(!uses.is_empty());
        if tool.is_file() && !b.starts_with("jobs:") {
            let f = d.path().join(format!("w{i}.yml"));
            std::fs::write(&f, b).unwrap();
            let out = Command::new(&tool)
                .args(["--builtin-schema", "vendor.github-workflows"])
                .arg(&f)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "README workflow {i}: {}\n{b}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The static release binary.

/// `scripts/check-static.sh --no-build` over the binary that `scripts/check-static.sh` built
/// (scripts/test.sh builds it before the tests): no dynamic dependency by ldd, no program
/// interpreter, rustls and no OpenSSL in the shipped dependency tree, and it runs.
#[test]
fn release_binary_is_static() {
    let Some((target_dir, target)) = static_binary() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "no static build (scripts/test.sh runs scripts/check-static.sh first)"
        );
        println!("notice: skipped: run scripts/check-static.sh to build the static binary");
        return;
    };
    let out = Command::new("bash")
        .arg(repo().join("scripts/check-static.sh"))
        .args(["--no-build", "--target", &target])
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("check-static: ok:"), "{err}");
    // And ldd itself, read here too.
    let bin = target_dir.join(&target).join("release/shipgate");
    let ldd = Command::new("ldd").arg(&bin).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&ldd.stdout),
        String::from_utf8_lossy(&ldd.stderr)
    );
    assert!(
        text.contains("not a dynamic executable") || text.contains("statically linked"),
        "{text}"
    );
}

/// macOS runners have `shasum` and no `sha256sum`; with neither, nothing runs.
#[test]
fn checksum_with_shasum_or_no_tool() {
    let mut r = Runner::new();
    let mut tools: Vec<&str> = TOOLS
        .iter()
        .copied()
        .filter(|t| *t != "sha256sum")
        .collect();
    // shasum is a Perl script.
    tools.extend(["shasum", "perl"]);
    r.path = path_with(&r, &tools, None);
    let ran = r.run(&[("command", "config-check")]);
    // Config check without a config file: exit 2 from shipgate itself, so the launcher ran it.
    let err = ran.stderr();
    assert!(!err.contains("launcher"), "{err}");
    assert!(err.contains("no config file given"), "{err}");

    tools.retain(|t| *t != "shasum");
    r.path = path_with(&r, &tools, None);
    let ran = r.run(&[("command", "config-check")]);
    assert_eq!(ran.code(), Some(2));
    assert!(
        ran.stderr()
            .contains("neither sha256sum nor shasum is installed"),
        "{}",
        ran.stderr()
    );
}

/// The step with the binary a release ships (the static build), not the test build: the same
/// outputs.
#[test]
fn gate_step_with_the_static_release_binary() {
    let Some((target_dir, target)) = static_binary() else {
        println!("notice: skipped: run scripts/check-static.sh to build the static binary");
        return;
    };
    let bin = target_dir.join(target).join("release/shipgate");
    let with = [
        ("coverage", "coverage.xml"),
        ("tests", "junit.xml"),
        ("findings", "ruff.json,mypy.json"),
    ];
    let mut outputs = Vec::new();
    for r in [Runner::with_binary(&bin, &sha256_file(&bin)), Runner::new()] {
        r.put("real/coverage-py/coverage.xml", "coverage.xml");
        r.put("real/pytest/junit.xml", "junit.xml");
        r.put("real/ruff/ruff.json", "ruff.json");
        r.put("real/mypy/mypy.json", "mypy.json");
        let ran = r.run(&with);
        assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
        assert!(!ran.stderr().contains("launcher"), "{}", ran.stderr());
        outputs.push(ran.outputs);
    }
    assert_eq!(outputs[0], outputs[1]);
    let mypy = json(&fixture("real/mypy/expected.json"));
    let errors = mypy["reports"]["mypy.json"]["errors"].clone();
    assert_eq!(outputs[0]["type-errors"], errors.to_string(), "{mypy}");
}

// ---------------------------------------------------------------------------------------------
// The release workflow's scripts, run against a local "origin".

/// The `run:` of a step of `.github/workflows/release.yml`, by job and step name (or the
/// text the script contains, for unnamed steps).
fn release_step(job: &str, find: &str) -> String {
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    doc["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["name"].as_str() == Some(find) || s["run"].as_str().is_some_and(|r| r.contains(find))
        })
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("release.yml: no step {find:?} in job {job}"))
        .to_string()
}

/// Runs a workflow step's script as the runner runs a step without `shell:` on Linux
/// (`bash -e {0}`).
fn run_step(dir: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    let f = dir.join("..").join("step.sh");
    std::fs::write(&f, script).unwrap();
    let mut c = Command::new("bash");
    c.args(["--noprofile", "--norc", "-e"])
        .arg(&f)
        .current_dir(dir)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn release_scripts_make_a_tagged_commit_carrying_dist() {
    let d = tempfile::tempdir().unwrap();
    let origin = d.path().join("origin.git");
    let work = d.path().join("work");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    // A repository with what the scripts use: Cargo.toml's version, .gitignore, the launcher
    // and package-dist.sh.
    std::fs::create_dir_all(work.join("scripts")).unwrap();
    std::fs::create_dir_all(work.join("dist")).unwrap();
    for f in [
        "Cargo.toml",
        ".gitignore",
        "dist/launcher.sh",
        "scripts/package-dist.sh",
    ] {
        std::fs::copy(repo().join(f), work.join(f)).unwrap();
    }
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "main"]);
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git(&work, &["push", "-q", "origin", "main"]);
    let version = json_version();

    // The check job: the version's form, Cargo.toml's, not tagged yet.
    let check = release_step(
        "check",
        "The version is X.Y.Z, is Cargo.toml's, and is not tagged yet",
    );
    assert!(
        run_step(&work, &check, &[("VERSION", &version)])
            .status
            .success()
    );
    for bad in ["9.9.9", "1.0", "0.1.0; touch pwned", "$(id)"] {
        let out = run_step(&work, &check, &[("VERSION", bad)]);
        assert!(!out.status.success(), "{bad}");
        assert!(!work.join("pwned").exists());
    }

    // The binaries as the build jobs upload them (the Linux x64 one a small executable
    // standing in for the build, so the launcher can run it; the real binary is hundreds of
    // megabytes in a test build), then the publish job's steps but the attestation and
    // `gh release`.
    let out_dir = work.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let stand_in = format!("#!/bin/sh\necho \"shipgate {version}\"\n");
    std::fs::write(out_dir.join("shipgate-linux-x64"), &stand_in).unwrap();
    for other in [
        "shipgate-linux-arm64",
        "shipgate-macos-x64",
        "shipgate-macos-arm64",
        "shipgate-windows-x64.exe",
    ] {
        std::fs::write(out_dir.join(other), other).unwrap();
    }
    let env = [("VERSION", version.as_str())];
    for step in [
        "dist/ and SHA256SUMS",
        "bash dist/launcher.sh --version",
        "Release commit and tags",
        "Move the major tag",
    ] {
        let out = run_step(&work, &release_step("publish", step), &env);
        assert!(
            out.status.success(),
            "{step}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if step.contains("launcher") {
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                format!("shipgate {version}\n")
            );
        }
    }

    // origin: the tag's commit carries dist/ with checksums that hold; main does not; the
    // major tag points at the release commit.
    let tag = format!("v{version}");
    let files = git(&origin, &["ls-tree", "-r", "--name-only", &tag]);
    let names: Vec<&str> = files.lines().filter(|l| l.starts_with("dist/")).collect();
    assert_eq!(
        names,
        [
            "dist/SHA256SUMS",
            "dist/launcher.sh",
            "dist/shipgate-linux-arm64",
            "dist/shipgate-linux-x64",
            "dist/shipgate-macos-arm64",
            "dist/shipgate-macos-x64",
            "dist/shipgate-windows-x64.exe",
        ]
    );
    let sums = git(&origin, &["show", &format!("{tag}:dist/SHA256SUMS")]);
    assert_eq!(sums.lines().count(), 5);
    let stand_in_path = d.path().join("stand-in");
    std::fs::write(&stand_in_path, &stand_in).unwrap();
    assert!(sums.contains(&format!(
        "{}  shipgate-linux-x64",
        sha256_file(&stand_in_path)
    )));
    let main_files = git(&origin, &["ls-tree", "-r", "--name-only", "main"]);
    assert!(!main_files.contains("dist/shipgate-"), "{main_files}");
    let major = format!("v{}", version.split('.').next().unwrap());
    let commit = |r: &str| git(&origin, &["rev-parse", &format!("{r}^{{commit}}")]);
    assert_eq!(commit(&major), commit(&tag));
    assert_ne!(commit("main"), commit(&tag));
    assert_eq!(
        git(&origin, &["rev-parse", &format!("{tag}^{{commit}}^")]),
        commit("main"),
        "the release commit sits on main's head"
    );
    // A second check of the same version now finds the tag.
    let out = run_step(&work, &check, &[("VERSION", &version)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("exists already"));
}

/// Cargo.toml's version (what the release check compares with).
fn json_version() -> String {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap()
        .to_string()
}

#[test]
fn inspect_command_reads_the_list_inputs() {
    let r = Runner::new();
    r.put("real/pytest/junit.xml", "-junit.xml");
    r.put("real/coverage-py/coverage.xml", "cov dir/coverage.xml");
    // A file name starting with `-` is still a file (the step passes `--` first), and a
    // folder with a space stays one argument.
    let ran = r.run(&[
        ("command", "inspect"),
        ("coverage", "cov dir/coverage.xml"),
        ("tests", "-junit.xml"),
    ]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stderr());
    let out = String::from_utf8_lossy(&ran.output.stdout).into_owned();
    let cov = json(&fixture("real/coverage-py/expected.json"))["reports"]["coverage.xml"].clone();
    assert!(
        out.contains(&format!(
            "lines {:.2}% ({}/{})",
            cov["line_percent_printed"].as_f64().unwrap(),
            cov["lines_covered"],
            cov["lines_total"]
        )),
        "{out}"
    );
    let t =
        json(&fixture("real/pytest/expected.json"))["reports"]["junit.xml"]["junit_view"].clone();
    assert!(out.contains(&format!("{} tests:", t["total"])), "{out}");
}
