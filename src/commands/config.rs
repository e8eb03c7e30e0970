//! `shipgate config schema|check`.

use super::{CONFIG_NAMES, config_path, load_config, repo_root, write_stdout};
use anyhow::Result;
use shipgate::gate::config::Config;
use shipgate::gate::{self, report};
use std::path::PathBuf;
use std::process::ExitCode;

/// `config schema`: the config's JSON Schema, or report.json's with `--report`.
pub fn schema(report: bool) -> Result<ExitCode> {
    let schema = if report {
        report::schema()
    } else {
        Config::schema()
    };
    let mut s = serde_json::to_string_pretty(&schema)?;
    s.push('\n');
    write_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}

pub fn config_check(file: Option<PathBuf>, root: Option<PathBuf>) -> Result<ExitCode> {
    let root = repo_root(root)?;
    let Some(path) = config_path(file, &root) else {
        anyhow::bail!(
            "no config file given and none at {} under {}",
            CONFIG_NAMES.join(" or "),
            root.display()
        );
    };
    let (cfg, _, shown) = load_config(Some(&path))?;
    let mut out = format!("{shown}: ok\n");
    for name in cfg.environment_names() {
        let t = cfg
            .thresholds(name)
            .map_err(|m| anyhow::anyhow!("{shown}: {m}"))?;
        let f = |x: Option<f64>| x.map_or_else(|| "-".into(), gate::score::num);
        out.push_str(&format!(
            "  {name}: quality {}, security {}, coverage {}, performance {}\n",
            f(t.quality),
            f(t.security),
            f(t.coverage),
            f(t.performance)
        ));
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
